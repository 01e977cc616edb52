/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ASSAY_SYNC_ERROR (assay_sync_error_quark ())

typedef enum {
  ASSAY_SYNC_ERROR_NETWORK,
  ASSAY_SYNC_ERROR_AUTH,
  ASSAY_SYNC_ERROR_CONFLICT,
  ASSAY_SYNC_ERROR_CURSOR_EXPIRED,
  ASSAY_SYNC_ERROR_PROTOCOL,
} AssaySyncError;

GQuark assay_sync_error_quark (void);

G_END_DECLS
