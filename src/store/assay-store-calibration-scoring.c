/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "assay-store-calibration-private.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

/* Blind scorings of a calibration session: saving, submitting, reading. */

static char *
problems_text (const AssayAnswers *answers,
               GArray             *problems)
{
  AssayForm *form = assay_answers_get_form (answers);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < problems->len && i < 5; i++)
    {
      const AssayProblem *p = &g_array_index (problems, AssayProblem, i);
      const AssayItem *item = assay_form_get_item (form, p->item);

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, p->kind == ASSAY_PROBLEM_UNANSWERED
                                      ? "\"%s\" has no answer (answer it or mark it N/A)"
                                      : "\"%s\" lost points and needs a comment",
                              item->id);
    }
  if (problems->len > 5)
    g_string_append_printf (text, "; and %u more", problems->len - 5);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gpointer
save_scoring_locked (sqlite3  *db,
                     gpointer  data,
                     GError  **error)
{
  Args *a = data;
  SessionRow s = { 0 };
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *scoring_id = NULL;
  g_autofree char *op = NULL;
  gboolean ok = FALSE;
  gint64 now = assay_now_ms ();
  gint64 rev;
  int found, rc;

  if (!_assay_calibration_load_session (db, a->session_id, &s, error))
    goto out;
  if (g_strcmp0 (s.state, ASSAY_CALIBRATION_SCORING) != 0)
    {
      _assay_calibration_invalid (error, "The session is %s: scoring in it has ended", s.state);
      goto out;
    }
  found = _assay_calibration_exists (db, "SELECT 1 FROM calibration_participant WHERE session_id = ? AND staff_id = ?",
                  a->session_id, a->inspector_id, error);
  if (found <= 0)
    {
      if (found == 0)
        _assay_calibration_invalid (error, "%s is not invited to this session; the lead can invite them",
                 a->inspector_id);
      goto out;
    }
  found = _assay_calibration_exists (db, "SELECT 1 FROM calibration_interaction WHERE session_id = ?"
                      " AND interaction_id = ?", a->session_id, a->interaction_id, error);
  if (found <= 0)
    {
      if (found == 0)
        _assay_calibration_invalid (error, "The interaction %s is not part of this session", a->interaction_id);
      goto out;
    }

  form = _assay_calibration_load_form (db, s.form_version_id, error);
  if (form == NULL)
    goto out;
  answers = assay_answers_from_json (form, a->answers ? a->answers : "", -1, error);
  if (answers == NULL)
    {
      g_prefix_error (error, "The answers cannot be saved: ");
      if (*error != NULL)
        (*error)->domain = ASSAY_STORE_ERROR, (*error)->code = ASSAY_STORE_ERROR_INVALID;
      goto out;
    }
  if (a->submit)
    {
      g_autoptr(GArray) problems = assay_answers_check_submit (answers);

      if (problems->len > 0)
        {
          g_autofree char *text = problems_text (answers, problems);

          _assay_calibration_invalid (error, "The scoring cannot be submitted yet: %s", text);
          goto out;
        }
    }
  normal = assay_answers_to_json (answers);

  stmt = _assay_store_prepare (db, "SELECT id, submitted_at IS NOT NULL FROM calibration_scoring"
                                   " WHERE session_id = ? AND interaction_id = ? AND inspector_id = ?",
                               error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->interaction_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->inspector_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (sqlite3_column_int (stmt, 1))
        {
          _assay_calibration_invalid (error, "This scoring was submitted already; a submitted scoring cannot change");
          goto out;
        }
      scoring_id = _assay_store_column_dup (stmt, 0);
    }
  else if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      goto out;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (scoring_id == NULL)
    {
      scoring_id = assay_uuid_new ();
      stmt = _assay_store_prepare (db, "INSERT INTO calibration_scoring (id, session_id,"
                                       " interaction_id, inspector_id, answers, comments, updated_at,"
                                       " submitted_at, dirty)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)",
                                   error);
    }
  else
    stmt = _assay_store_prepare (db, "UPDATE calibration_scoring SET answers = ?5, comments = ?6,"
                                     " updated_at = ?7, submitted_at = ?8, dirty = 1 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, scoring_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->interaction_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, a->inspector_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, normal, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 6, a->comments && *a->comments ? a->comments : NULL);
  sqlite3_bind_int64 (stmt, 7, now);
  _assay_store_bind_int_or_null (stmt, 8, now, !a->submit);
  if (!_assay_store_step_done (db, stmt, error))
    goto out;

  b = json_builder_new ();
  json_builder_begin_object (b);
  _assay_calibration_add_string_or_null (b, "sessionId", a->session_id);
  _assay_calibration_add_string_or_null (b, "interactionId", a->interaction_id);
  _assay_calibration_add_string_or_null (b, "inspectorId", a->inspector_id);
  _assay_calibration_add_json (b, "answers", normal);
  _assay_calibration_add_string_or_null (b, "comments", a->comments && *a->comments ? a->comments : NULL);
  json_builder_end_object (b);
  op = _assay_calibration_build_json (b);
  rev = _assay_calibration_row_rev (db, "SELECT rev FROM calibration_scoring WHERE id = ?", scoring_id, NULL, NULL,
                 error);
  ok = rev > -2 && _assay_calibration_queue_operation (db, "calibration_scorings", rev, scoring_id,
                                    a->submit ? "submit" : "update", op, !a->submit, error);
out:
  _assay_calibration_session_row_clear (&s);
  return ok ? GINT_TO_POINTER (1) : NULL;
}

static gpointer
save_scoring_func (sqlite3       *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gpointer result = _assay_store_in_transaction (db, save_scoring_locked, data, NULL, error);

  /* announced once the transaction has committed */
  if (result != NULL)
    _assay_store_note_change (db, ASSAY_STORE_CALIBRATION, ((Args *) data)->session_id);
  return result;
}

static Args *
scoring_args (const char *session_id,
              const char *interaction_id,
              const char *inspector_id,
              const char *answers,
              const char *comments,
              gboolean    submit)
{
  Args *a = _assay_calibration_session_args (session_id);

  a->interaction_id = g_strdup (interaction_id);
  a->inspector_id = g_strdup (inspector_id);
  a->answers = g_strdup (answers);
  a->comments = g_strdup (comments);
  a->submit = submit;
  return a;
}

void
assay_store_save_calibration_scoring_async (AssayStore          *store,
                                            const char          *session_id,
                                            const char          *interaction_id,
                                            const char          *inspector_id,
                                            const char          *answers,
                                            const char          *comments,
                                            gboolean             submit,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  _assay_store_run_async (store, save_scoring_func,
                          scoring_args (session_id, interaction_id, inspector_id, answers, comments,
                                        submit),
                          (GDestroyNotify) _assay_calibration_args_free, NULL,
                          assay_store_save_calibration_scoring_async, cancellable, callback,
                          user_data);
}

gboolean
assay_store_save_calibration_scoring_finish (AssayStore    *store,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

gboolean
assay_store_save_calibration_scoring_sync (AssayStore  *store,
                                           const char  *session_id,
                                           const char  *interaction_id,
                                           const char  *inspector_id,
                                           const char  *answers,
                                           const char  *comments,
                                           gboolean     submit,
                                           GError     **error)
{
  Args *a = scoring_args (session_id, interaction_id, inspector_id, answers, comments, submit);
  gboolean ok = _assay_store_run_sync (store, save_scoring_func, a, error) != NULL;

  _assay_calibration_args_free (a);
  return ok;
}

static gpointer
list_scorings_func (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  /* blind scoring (docs/calibration.md): own rows; others' submitted rows once the session is
   * opened or closed, the viewer has submitted every interaction, or the viewer is the lead who
   * runs it without scoring in it */
  stmt = _assay_store_prepare (db,
    "SELECT sc.id, sc.session_id, sc.interaction_id, sc.inspector_id, sc.answers, sc.comments,"
    " sc.updated_at, sc.submitted_at"
    " FROM calibration_scoring sc"
    " JOIN calibration_session cs ON cs.id = sc.session_id"
    " LEFT JOIN calibration_interaction ci ON ci.session_id = sc.session_id"
    "   AND ci.interaction_id = sc.interaction_id"
    " LEFT JOIN staff st ON st.id = sc.inspector_id"
    " WHERE sc.session_id = ?1 AND (?2 IS NULL OR sc.inspector_id = ?2"
    "   OR (sc.submitted_at IS NOT NULL AND (cs.state <> 'scoring'"
    "     OR (cs.created_by = ?2 AND NOT EXISTS (SELECT 1 FROM calibration_participant p"
    "         WHERE p.session_id = ?1 AND p.staff_id = ?2))"
    "     OR (SELECT count(*) FROM calibration_scoring own WHERE own.session_id = ?1"
    "         AND own.inspector_id = ?2 AND own.submitted_at IS NOT NULL)"
    "        = (SELECT count(*) FROM calibration_interaction i WHERE i.session_id = ?1))))"
    " ORDER BY ci.position, st.name, sc.inspector_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 2, a->by_id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calibration_scoring_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCalibrationScoringRecord *r = g_new0 (AssayCalibrationScoringRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->session_id = _assay_store_column_dup (stmt, 1);
      r->interaction_id = _assay_store_column_dup (stmt, 2);
      r->inspector_id = _assay_store_column_dup (stmt, 3);
      r->answers = _assay_store_column_dup (stmt, 4);
      r->comments = _assay_store_column_dup (stmt, 5);
      r->updated_at = sqlite3_column_int64 (stmt, 6);
      r->submitted_at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

static Args *
viewer_args (const char *session_id,
             const char *viewer_id)
{
  Args *a = _assay_calibration_session_args (session_id);

  a->by_id = g_strdup (viewer_id);
  return a;
}

void
assay_store_list_calibration_scorings_async (AssayStore          *store,
                                             const char          *session_id,
                                             const char          *viewer_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  _assay_store_run_async (store, list_scorings_func, viewer_args (session_id, viewer_id),
                          (GDestroyNotify) _assay_calibration_args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_calibration_scorings_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_list_calibration_scorings_finish (AssayStore    *store,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_calibration_scorings_sync (AssayStore  *store,
                                            const char  *session_id,
                                            const char  *viewer_id,
                                            GError     **error)
{
  Args *a = viewer_args (session_id, viewer_id);
  GPtrArray *list = _assay_store_run_sync (store, list_scorings_func, a, error);

  _assay_calibration_args_free (a);
  return list;
}

