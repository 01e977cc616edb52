/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_REPORTS_PAGE (assay_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayReportsPage, assay_reports_page, ASSAY, REPORTS_PAGE, GtkWidget)

/*
 * AssayReportsPage:
 * The monthly QC report (Insights): a month and the centre or a team, a preview of its
 * headline figures against target, and Export PDF… / Export CSV… through the report room
 * (src/report), with progress and cancel.
 */

/* for tests: exports the month shown to @path (a PDF) or @dir (CSV files) */
void        _assay_reports_page_export_pdf (AssayReportsPage *self,
                                            const char       *path);
void        _assay_reports_page_export_csv (AssayReportsPage *self,
                                            const char       *dir);
/* "idle", "exporting", "done" or "failed" */
const char *_assay_reports_page_get_export_state (AssayReportsPage *self);
void        _assay_reports_page_set_month (AssayReportsPage *self,
                                           int               year,
                                           int               month);

G_END_DECLS
