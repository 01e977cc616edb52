/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/assay-store.h"

G_BEGIN_DECLS

/*
 * The monthly QC report (docs/report.md): a PDF drawn with cairo and Pango (cover, headline
 * KPIs against targets, weekly trend, a page per team, improvement points from the root causes,
 * the low-score callback list), and the same tables as CSV. The figures are the store's
 * scorecards (assay-store-kpi.h), so they equal `assayctl kpi` for the same month.
 *
 * The text is in the language of the process's LC_MESSAGES (assayctl report --lang sets it);
 * Pango-cairo embeds the subsets of the fonts it uses, CJK ones included.
 */

/**
 * AssayReportOptions:
 * @year, @month: the calendar month, local days
 * @team: a team's name or id, or %NULL for the whole centre
 * @min_n: below this n a figure is "too few to judge" (0: the default, 5)
 * @max_callbacks: at most this many callbacks in the list (0: 200)
 */
typedef struct {
  int         year;
  int         month;
  const char *team;
  gint64      min_n;
  guint       max_callbacks;
} AssayReportOptions;

/**
 * AssayReportProgress:
 * Called from the thread that renders, with the share done (0–1).
 */
typedef void (*AssayReportProgress) (double   fraction,
                                     gpointer user_data);

/**
 * assay_report_write_pdf_sync:
 * Reads the month's figures from @store and writes the report to @path (replacing it only when
 * complete). Not on the GUI's main thread. A month out of range is %G_IO_ERROR_INVALID_ARGUMENT;
 * an unknown team %ASSAY_STORE_ERROR_NOT_FOUND; cancelling leaves no file.
 */
gboolean assay_report_write_pdf_sync  (AssayStore                *store,
                                       const AssayReportOptions  *options,
                                       const char                *path,
                                       AssayReportProgress        progress,
                                       gpointer                   progress_data,
                                       GCancellable              *cancellable,
                                       GError                   **error);

/**
 * assay_report_write_csv_sync:
 * Writes the report's tables into the directory @dir (created when missing): kpis.csv,
 * weeks.csv, teams.csv, root-causes.csv and callbacks.csv, UTF-8 with a header row.
 */
gboolean assay_report_write_csv_sync  (AssayStore                *store,
                                       const AssayReportOptions  *options,
                                       const char                *dir,
                                       GCancellable              *cancellable,
                                       GError                   **error);

/**
 * assay_report_write_pdf_async:
 * Renders in a thread of its own; @progress is called there. Finish with
 * assay_report_write_pdf_finish().
 */
void     assay_report_write_pdf_async  (AssayStore                *store,
                                        const AssayReportOptions  *options,
                                        const char                *path,
                                        AssayReportProgress        progress,
                                        gpointer                   progress_data,
                                        GCancellable              *cancellable,
                                        GAsyncReadyCallback        callback,
                                        gpointer                   user_data);
gboolean assay_report_write_pdf_finish (AssayStore                *store,
                                        GAsyncResult              *result,
                                        GError                   **error);

G_END_DECLS
