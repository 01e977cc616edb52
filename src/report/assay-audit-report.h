/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/assay-store.h"

G_BEGIN_DECLS

/*
 * The report of one mystery-shopper audit (docs/audits.md): the scenario, channel, target,
 * shopper and visit, the score with its band and the score without fatal, every answer with
 * its observation, the photos (PNG and JPEG drawn, other files listed with their SHA-256) and
 * the revisions with their reasons. Drawn with cairo and Pango like the dispute packet, in the
 * language of the process's LC_MESSAGES.
 */

/**
 * assay_audit_report_write_pdf_sync:
 * Writes the report of @audit_id to @path, replacing it only when complete. Not on the GUI's
 * main thread. An unknown audit is %ASSAY_STORE_ERROR_NOT_FOUND.
 */
gboolean assay_audit_report_write_pdf_sync (AssayStore    *store,
                                            const char    *audit_id,
                                            const char    *path,
                                            GCancellable  *cancellable,
                                            GError       **error);

G_END_DECLS
