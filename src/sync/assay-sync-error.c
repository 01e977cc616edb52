/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-sync-error.h"

G_DEFINE_QUARK (assay-sync-error-quark, assay_sync_error)
