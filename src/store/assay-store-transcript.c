/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-transcript.h"

#include "assay-store-transcript-private.h"
#include "core/assay-util.h"

void
assay_stored_transcript_free (AssayStoredTranscript *t)
{
  if (t == NULL)
    return;
  g_free (t->id);
  g_free (t->interaction_id);
  g_clear_pointer (&t->utterances, assay_utterances_free);
  g_free (t->source);
  g_free (t);
}

static gboolean
format_from_string (const char            *text,
                    AssayTranscriptFormat *out)
{
  for (int f = ASSAY_TRANSCRIPT_FORMAT_VTT; f <= ASSAY_TRANSCRIPT_FORMAT_CONVERSATION; f++)
    if (g_strcmp0 (text, assay_transcript_format_to_string ((AssayTranscriptFormat) f)) == 0)
      {
        *out = (AssayTranscriptFormat) f;
        return TRUE;
      }
  return FALSE;
}

gboolean
_assay_store_put_transcript_locked (sqlite3                *db,
                                    const char             *interaction_id,
                                    const AssayUtterances  *utterances,
                                    AssayTranscriptFormat   format,
                                    const char             *source,
                                    GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = assay_uuid_new ();
  g_autofree char *json = NULL;
  const char *kind = assay_transcript_kind_to_string (utterances->kind);

  if (assay_utterances_get_n (utterances) == 0)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           "The transcript is empty: give a file with at least one line");
      return FALSE;
    }
  stmt = _assay_store_prepare (db, "SELECT 1 FROM interaction WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, interaction_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "The interaction %s does not exist", interaction_id);
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  json = assay_utterances_to_json (utterances);
  stmt = _assay_store_prepare (db, "INSERT INTO transcript (id, interaction_id, kind, format,"
                                   " segments, n_segments, source, created_at)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                   " ON CONFLICT (interaction_id, kind) DO UPDATE SET"
                                   " format = excluded.format, segments = excluded.segments,"
                                   " n_segments = excluded.n_segments, source = excluded.source,"
                                   " created_at = excluded.created_at", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, interaction_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, assay_transcript_format_to_string (format), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, (int) assay_utterances_get_n (utterances));
  _assay_store_bind_text_or_null (stmt, 7, source);
  sqlite3_bind_int64 (stmt, 8, assay_now_ms ());
  return _assay_store_step_done (db, stmt, error);
}

gboolean
_assay_store_seed_transcript_locked (sqlite3                *db,
                                     sqlite3_stmt          **stmt,
                                     const char             *interaction_id,
                                     const AssayUtterances  *utterances,
                                     AssayTranscriptFormat   format,
                                     const char             *source,
                                     gint64                  created_at,
                                     GError                **error)
{
  const char *kind = assay_transcript_kind_to_string (utterances->kind);
  g_autofree char *key = g_strconcat ("transcript/", kind, "/", interaction_id, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;

  /* a version 8 UUID (RFC 9562: custom) from the hash of what it is */
  id = g_strdup_printf ("%.8s-%.4s-8%.3s-%c%.3s-%.12s", hash, hash + 8, hash + 13,
                        "89ab"[g_ascii_xdigit_value (hash[16]) & 3], hash + 17, hash + 20);
  if (*stmt == NULL)
    {
      *stmt = _assay_store_prepare (db, "INSERT INTO transcript (id, interaction_id, kind, format,"
                                        " segments, n_segments, source, created_at)"
                                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
      if (*stmt == NULL)
        return FALSE;
    }
  json = assay_utterances_to_json (utterances);
  sqlite3_reset (*stmt);
  sqlite3_bind_text (*stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (*stmt, 2, interaction_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (*stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (*stmt, 4, assay_transcript_format_to_string (format), -1, SQLITE_STATIC);
  sqlite3_bind_text (*stmt, 5, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (*stmt, 6, (int) assay_utterances_get_n (utterances));
  _assay_store_bind_text_or_null (*stmt, 7, source);
  sqlite3_bind_int64 (*stmt, 8, created_at);
  if (!_assay_store_step_done (db, *stmt, error))
    return FALSE;
  sqlite3_clear_bindings (*stmt);
  return TRUE;
}

typedef struct {
  char                  *interaction_id;
  AssayUtterances       *utterances;     /* borrowed */
  AssayTranscriptFormat  format;
  char                  *source;
  char                  *evaluation_id;
  gint64                 ms;
} Args;

static void
args_free (Args *a)
{
  g_free (a->interaction_id);
  g_free (a->source);
  g_free (a->evaluation_id);
  g_free (a);
}

static gpointer
put_txn (sqlite3  *db,
         gpointer  data,
         GError  **error)
{
  Args *a = data;

  if (!_assay_store_put_transcript_locked (db, a->interaction_id, a->utterances, a->format,
                                           a->source, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static gpointer
put_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return _assay_store_in_transaction (db, put_txn, data, NULL, error);
}

gboolean
assay_store_put_transcript_sync (AssayStore             *store,
                                 const char             *interaction_id,
                                 const AssayUtterances  *utterances,
                                 AssayTranscriptFormat   format,
                                 const char             *source,
                                 GError                **error)
{
  Args a = { (char *) interaction_id, (AssayUtterances *) utterances, format, (char *) source,
             NULL, 0 };

  g_return_val_if_fail (ASSAY_IS_STORE (store), FALSE);
  g_return_val_if_fail (interaction_id != NULL && utterances != NULL, FALSE);
  return _assay_store_run_sync (store, put_func, &a, error) != NULL;
}

static gpointer
get_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(AssayStoredTranscript) t = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *format = NULL;
  g_autofree char *json = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT id, kind, format, segments, source, created_at"
                                   " FROM transcript WHERE interaction_id = ?"
                                   " ORDER BY kind = 'call_transcript' DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->interaction_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  t = g_new0 (AssayStoredTranscript, 1);
  t->id = _assay_store_column_dup (stmt, 0);
  t->interaction_id = g_strdup (a->interaction_id);
  kind = _assay_store_column_dup (stmt, 1);
  format = _assay_store_column_dup (stmt, 2);
  json = _assay_store_column_dup (stmt, 3);
  t->source = _assay_store_column_dup (stmt, 4);
  t->created_at = sqlite3_column_int64 (stmt, 5);
  if (!format_from_string (format, &t->format))
    t->format = ASSAY_TRANSCRIPT_FORMAT_JSON;
  t->utterances = assay_utterances_from_json (g_strcmp0 (kind, "conversation") == 0
                                                ? ASSAY_TRANSCRIPT_CONVERSATION
                                                : ASSAY_TRANSCRIPT_CALL, json, error);
  if (t->utterances == NULL)
    {
      g_prefix_error (error, "The transcript of interaction %s is damaged: ", a->interaction_id);
      return NULL;
    }
  return g_steal_pointer (&t);
}

void
assay_store_get_transcript_async (AssayStore          *store,
                                  const char          *interaction_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Args *a = g_new0 (Args, 1);

  g_return_if_fail (ASSAY_IS_STORE (store));
  a->interaction_id = g_strdup (interaction_id);
  _assay_store_run_async (store, get_func, a, (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_stored_transcript_free,
                          assay_store_get_transcript_async, cancellable, callback, user_data);
}

AssayStoredTranscript *
assay_store_get_transcript_finish (AssayStore    *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayStoredTranscript *
assay_store_get_transcript_sync (AssayStore  *store,
                                 const char  *interaction_id,
                                 GError     **error)
{
  Args a = { (char *) interaction_id, NULL, 0, NULL, NULL, 0 };

  g_return_val_if_fail (ASSAY_IS_STORE (store), NULL);
  return _assay_store_run_sync (store, get_func, &a, error);
}

/* Review time -------------------------------------------------------------------------------- */

static gpointer
add_time_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (a->ms < 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "A review time cannot be negative (%" G_GINT64_FORMAT " ms)", a->ms);
      return NULL;
    }
  stmt = _assay_store_prepare (db, "UPDATE evaluation SET review_s = review_s + ? WHERE id = ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (a->ms + 500) / 1000);
  sqlite3_bind_text (stmt, 2, a->evaluation_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "The evaluation %s does not exist", a->evaluation_id);
      return NULL;
    }
  return GINT_TO_POINTER (1);
}

void
assay_store_add_review_time_async (AssayStore          *store,
                                   const char          *evaluation_id,
                                   gint64               active_ms,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Args *a = g_new0 (Args, 1);

  g_return_if_fail (ASSAY_IS_STORE (store));
  a->evaluation_id = g_strdup (evaluation_id);
  a->ms = active_ms;
  _assay_store_run_async (store, add_time_func, a, (GDestroyNotify) args_free, NULL,
                          assay_store_add_review_time_async, cancellable, callback, user_data);
}

gboolean
assay_store_add_review_time_finish (AssayStore    *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

gboolean
assay_store_add_review_time_sync (AssayStore  *store,
                                  const char  *evaluation_id,
                                  gint64       active_ms,
                                  GError     **error)
{
  Args a = { NULL, NULL, 0, NULL, (char *) evaluation_id, active_ms };

  g_return_val_if_fail (ASSAY_IS_STORE (store), FALSE);
  return _assay_store_run_sync (store, add_time_func, &a, error) != NULL;
}

static gpointer
get_time_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 *result;

  stmt = _assay_store_prepare (db, "SELECT review_s FROM evaluation WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->evaluation_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "The evaluation %s does not exist", a->evaluation_id);
      return NULL;
    }
  result = g_new (gint64, 1);
  *result = sqlite3_column_int64 (stmt, 0);
  return result;
}

gint64
assay_store_get_review_time_sync (AssayStore  *store,
                                  const char  *evaluation_id,
                                  GError     **error)
{
  Args a = { NULL, NULL, 0, NULL, (char *) evaluation_id, 0 };
  g_autofree gint64 *result = NULL;

  g_return_val_if_fail (ASSAY_IS_STORE (store), -1);
  result = _assay_store_run_sync (store, get_time_func, &a, error);
  return result != NULL ? *result : -1;
}
