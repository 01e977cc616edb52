/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-media-error.h"

G_DEFINE_QUARK (assay-media-error-quark, assay_media_error)
