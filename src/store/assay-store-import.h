/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "assay-store.h"

G_BEGIN_DECLS

typedef enum {
  ASSAY_IMPORT_NONE   = 0,
  ASSAY_IMPORT_UPDATE = 1 << 0,   /* a row whose id exists replaces that interaction's facts */
} AssayImportFlags;

/* How many bad rows an import reports before it only counts them. */
#define ASSAY_IMPORT_MAX_REPORTED 50

/**
 * AssayImportSummary:
 * What an import did. n_interactions counts inserted and updated rows.
 */
typedef struct {
  guint64 n_interactions;
  guint64 n_updated;
  guint64 n_recordings;
  guint   n_agents_created;
  guint   n_teams_created;
  guint64 n_transcripts;    /* transcripts and conversations stored */
} AssayImportSummary;

/**
 * assay_store_import_csv_sync:
 * Loads the interactions of a CSV file (docs/csv.md) read from @input in one transaction:
 * either every row goes in or none does. @name is used in messages ("calls.csv:12: ...").
 * Recording file names are relative to @recordings_dir (the current folder when %NULL).
 *
 * Bad input fails with %ASSAY_STORE_ERROR_INVALID; its message has one line per problem,
 * "NAME:LINE: column 'csat': must be 1–5 or empty, got '7'" (at most
 * %ASSAY_IMPORT_MAX_REPORTED of them), then a line saying nothing was imported.
 * Reads @input and writes the database on the store's worker; waits for it, so never call it
 * on the GUI's main thread.
 */
gboolean assay_store_import_csv_sync   (AssayStore          *self,
                                        GInputStream        *input,
                                        const char          *name,
                                        const char          *recordings_dir,
                                        AssayImportFlags     flags,
                                        AssayImportSummary  *out_summary,
                                        GCancellable        *cancellable,
                                        GError             **error);
/** assay_store_import_csv_async: as assay_store_import_csv_sync(), without waiting. */
void     assay_store_import_csv_async  (AssayStore          *self,
                                        GInputStream        *input,
                                        const char          *name,
                                        const char          *recordings_dir,
                                        AssayImportFlags     flags,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean assay_store_import_csv_finish (AssayStore          *self,
                                        GAsyncResult        *result,
                                        AssayImportSummary  *out_summary,
                                        GError             **error);

/**
 * assay_store_export_csv_sync:
 * Writes the interactions that started in [@from_ms, @to_ms) as CSV (docs/csv.md) to @output,
 * ordered by start time, streaming: memory use does not grow with the number of rows.
 * Pass %G_MININT64 / %G_MAXINT64 for an open end. The first recording of each interaction is
 * written in the recording columns. @output is written on the store's worker thread and is not
 * closed.
 */
gboolean assay_store_export_csv_sync   (AssayStore          *self,
                                        GOutputStream       *output,
                                        gint64               from_ms,
                                        gint64               to_ms,
                                        guint64             *out_n_rows,
                                        GCancellable        *cancellable,
                                        GError             **error);
/** assay_store_export_csv_async: as assay_store_export_csv_sync(), without waiting. */
void     assay_store_export_csv_async  (AssayStore          *self,
                                        GOutputStream       *output,
                                        gint64               from_ms,
                                        gint64               to_ms,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean assay_store_export_csv_finish (AssayStore          *self,
                                        GAsyncResult        *result,
                                        guint64             *out_n_rows,
                                        GError             **error);

G_END_DECLS
