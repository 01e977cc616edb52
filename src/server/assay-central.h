/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "assay-central-storage.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_CENTRAL (assay_central_get_type ())
G_DECLARE_FINAL_TYPE (AssayCentral, assay_central, ASSAY, CENTRAL, GObject)

/**
 * assay_central_new:
 * The reference central service over @storage (borrowed: it must outlive the service): the HTTP
 * API of docs/sync-protocol.md on a SoupServer.
 */
AssayCentral *assay_central_new          (AssayCentralStorage  *storage);

/**
 * assay_central_listen:
 * Listens on @host (an IP address, or "localhost") at @port (0 picks a free one), over HTTPS
 * when @tls_cert and @tls_key (PEM files) are given.
 * Returns: (transfer full): the base address, "http://127.0.0.1:41234", or %NULL.
 */
char         *assay_central_listen       (AssayCentral         *self,
                                          const char           *host,
                                          guint                 port,
                                          const char           *tls_cert,
                                          const char           *tls_key,
                                          GError              **error);

/** assay_central_listen_local: listens on 127.0.0.1 at @port (0 picks one); returns the port. */
guint         assay_central_listen_local (AssayCentral         *self,
                                          guint                 port,
                                          GError              **error);

G_END_DECLS
