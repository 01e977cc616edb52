/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ASSAY_SYNC_ERROR (assay_sync_error_quark ())

typedef enum {
  ASSAY_SYNC_ERROR_NETWORK,         /* transport error, timeout, 5xx: retry later */
  ASSAY_SYNC_ERROR_AUTH,            /* 401: sign in again */
  ASSAY_SYNC_ERROR_CONFLICT,
  ASSAY_SYNC_ERROR_CURSOR_EXPIRED,
  ASSAY_SYNC_ERROR_PROTOCOL,        /* an answer that does not follow docs/sync-protocol.md */
  ASSAY_SYNC_ERROR_SLOW_DOWN,       /* 429: wait Retry-After */
  ASSAY_SYNC_ERROR_INSECURE,        /* plain HTTP to a host that is not loopback */
  ASSAY_SYNC_ERROR_TLS,             /* the server's certificate is not trusted */
} AssaySyncError;

GQuark assay_sync_error_quark (void);

G_END_DECLS
