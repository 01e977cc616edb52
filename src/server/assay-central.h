/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define ASSAY_TYPE_CENTRAL (assay_central_get_type ())
G_DECLARE_FINAL_TYPE (AssayCentral, assay_central, ASSAY, CENTRAL, GObject)

/**
 * assay_central_new:
 * The reference central service. This first version answers `GET /api/v1/health`;
 * the sync issue adds the feed and the operations (see SYNC.md).
 */
AssayCentral *assay_central_new    (void);
/** assay_central_listen_local: listens on 127.0.0.1 at @port (0 picks one); returns the port. */
guint         assay_central_listen_local (AssayCentral  *self,
                                          guint          port,
                                          GError       **error);

G_END_DECLS
