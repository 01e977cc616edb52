/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "assay-store-analysis.h"
#include "assay-store-private.h"
#include "core/assay-util.h"
#include "protocol/assay-speech-json.h"

void
assay_pending_recording_free (AssayPendingRecording *r)
{
  if (r == NULL)
    return;
  g_free (r->recording_id);
  g_free (r->interaction_id);
  g_free (r->location);
  g_free (r);
}

static int
int_or_none (sqlite3_stmt *stmt,
             int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? ASSAY_NONE : sqlite3_column_int (stmt, col);
}

/* ---- save ---- */

typedef struct {
  char *recording_id;
  char *figures;
  char *segments;
} SaveArgs;

static void
save_args_free (SaveArgs *a)
{
  g_free (a->recording_id);
  g_free (a->figures);
  g_free (a->segments);
  g_free (a);
}

static SaveArgs *
save_args_new (const char               *recording_id,
               const AssaySpeechSummary *summary)
{
  SaveArgs *a = g_new0 (SaveArgs, 1);

  a->recording_id = g_strdup (recording_id);
  /* the path is the recording's location already; the figures are the same wherever it lives */
  a->figures = assay_speech_figures_to_json (summary, FALSE);
  a->segments = assay_speech_segments_to_json (summary);
  return a;
}

static gpointer
save_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  SaveArgs *a = data;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  find = _assay_store_prepare (db, "SELECT 1 FROM recording WHERE id = ?1", error);
  if (find == NULL)
    return NULL;
  sqlite3_bind_text (find, 1, a->recording_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (find);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The recording %s does not exist"), a->recording_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }

  /* the peaks column is left alone: the waveform does not depend on the analyser */
  stmt = _assay_store_prepare (db, "INSERT INTO analysis (recording_id, analyser_version, segments,"
                                   " figures, computed_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                                   " ON CONFLICT (recording_id) DO UPDATE SET"
                                   " analyser_version = excluded.analyser_version,"
                                   " segments = excluded.segments, figures = excluded.figures,"
                                   " computed_at = excluded.computed_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->recording_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, ASSAY_ANALYSER_VERSION);
  sqlite3_bind_text (stmt, 3, a->segments, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, a->figures, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, assay_now_ms ());
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  _assay_store_note_change (db, ASSAY_STORE_ANALYSES, a->recording_id);
  return GINT_TO_POINTER (TRUE);
}

void
assay_store_save_analysis_async (AssayStore               *store,
                                 const char               *recording_id,
                                 const AssaySpeechSummary *summary,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_return_if_fail (ASSAY_IS_STORE (store));
  g_return_if_fail (recording_id != NULL);
  g_return_if_fail (summary != NULL);

  _assay_store_run_async (store, save_func, save_args_new (recording_id, summary),
                          (GDestroyNotify) save_args_free, NULL,
                          assay_store_save_analysis_async, cancellable, callback, user_data);
}

gboolean
assay_store_save_analysis_finish (AssayStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

gboolean
assay_store_save_analysis_sync (AssayStore               *store,
                                const char               *recording_id,
                                const AssaySpeechSummary *summary,
                                GError                  **error)
{
  SaveArgs *a;
  gboolean ok;

  g_return_val_if_fail (ASSAY_IS_STORE (store), FALSE);
  g_return_val_if_fail (recording_id != NULL, FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  a = save_args_new (recording_id, summary);
  ok = _assay_store_run_sync (store, save_func, a, error) != NULL;
  save_args_free (a);
  return ok;
}

/* ---- load ---- */

static gpointer
load_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  const char *interaction_id = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) json_error = NULL;
  AssaySpeechSummary *summary;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT a.analyser_version, a.figures, a.segments, r.location"
                                   " FROM (SELECT id, location FROM recording WHERE interaction_id = ?1"
                                   "       ORDER BY rowid LIMIT 1) r"
                                   " JOIN analysis a ON a.recording_id = r.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, interaction_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  if (sqlite3_column_int (stmt, 0) != ASSAY_ANALYSER_VERSION
      || sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    return NULL;

  summary = assay_speech_summary_from_json (_assay_store_column_text (stmt, 1),
                                            _assay_store_column_text (stmt, 2), &json_error);
  if (summary == NULL)
    {
      /* unreadable counts as not analysed: the next analysis overwrites it */
      g_debug ("The stored analysis of %s is unreadable: %s", interaction_id, json_error->message);
      return NULL;
    }
  g_free (summary->file);
  summary->file = g_strdup (_assay_store_column_text (stmt, 3));
  return summary;
}

void
assay_store_load_analysis_async (AssayStore          *store,
                                 const char          *interaction_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (ASSAY_IS_STORE (store));
  g_return_if_fail (interaction_id != NULL);

  _assay_store_run_async (store, load_func, g_strdup (interaction_id), g_free,
                          (GDestroyNotify) assay_speech_summary_free,
                          assay_store_load_analysis_async, cancellable, callback, user_data);
}

AssaySpeechSummary *
assay_store_load_analysis_finish (AssayStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssaySpeechSummary *
assay_store_load_analysis_sync (AssayStore  *store,
                                const char  *interaction_id,
                                GError     **error)
{
  g_return_val_if_fail (ASSAY_IS_STORE (store), NULL);
  g_return_val_if_fail (interaction_id != NULL, NULL);

  return _assay_store_run_sync (store, load_func, (gpointer) interaction_id, error);
}

/* ---- pending ---- */

static gpointer
pending_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_pending_recording_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT r.id, r.interaction_id, r.location, r.channels, r.agent_channel"
                                   " FROM recording r LEFT JOIN analysis a ON a.recording_id = r.id"
                                   " WHERE a.recording_id IS NULL OR a.analyser_version IS NOT ?1"
                                   " ORDER BY r.rowid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, ASSAY_ANALYSER_VERSION);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayPendingRecording *r = g_new0 (AssayPendingRecording, 1);

      r->recording_id = g_strdup (_assay_store_column_text (stmt, 0));
      r->interaction_id = g_strdup (_assay_store_column_text (stmt, 1));
      r->location = g_strdup (_assay_store_column_text (stmt, 2));
      r->channels = int_or_none (stmt, 3);
      r->agent_channel = int_or_none (stmt, 4);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
assay_store_list_pending_analyses_sync (AssayStore  *store,
                                        GError     **error)
{
  g_return_val_if_fail (ASSAY_IS_STORE (store), NULL);

  return _assay_store_run_sync (store, pending_func, NULL, error);
}
