/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "assay-store-calibration-private.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

void
assay_calibration_session_record_free (AssayCalibrationSessionRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->name);
  g_free (r->form_version_id);
  g_free (r->form_id);
  g_free (r->form_name);
  g_free (r->created_by);
  g_free (r->created_by_name);
  g_free (r->expert_id);
  g_free (r->state);
  g_strfreev (r->interaction_ids);
  g_strfreev (r->participant_ids);
  g_free (r);
}

void
assay_calibration_scoring_record_free (AssayCalibrationScoringRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->session_id);
  g_free (r->interaction_id);
  g_free (r->inspector_id);
  g_free (r->answers);
  g_free (r->comments);
  g_free (r);
}

AssayCalibrationScoringRecord *
assay_calibration_scoring_record_copy (const AssayCalibrationScoringRecord *r)
{
  AssayCalibrationScoringRecord *copy = g_new0 (AssayCalibrationScoringRecord, 1);

  copy->id = g_strdup (r->id);
  copy->session_id = g_strdup (r->session_id);
  copy->interaction_id = g_strdup (r->interaction_id);
  copy->inspector_id = g_strdup (r->inspector_id);
  copy->answers = g_strdup (r->answers);
  copy->comments = g_strdup (r->comments);
  copy->updated_at = r->updated_at;
  copy->submitted_at = r->submitted_at;
  return copy;
}

void
assay_calibration_consensus_record_free (AssayCalibrationConsensusRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->interaction_id);
  g_free (r->item_id);
  g_free (r->answer);
  g_free (r->set_by);
  g_free (r);
}


void
_assay_calibration_args_free (Args *a)
{
  g_free (a->session_id);
  g_free (a->name);
  g_free (a->form_version_id);
  g_free (a->created_by);
  g_free (a->expert_id);
  g_strfreev (a->interaction_ids);
  g_strfreev (a->participant_ids);
  g_free (a->interaction_id);
  g_free (a->inspector_id);
  g_free (a->item_id);
  g_free (a->answers);
  g_free (a->comments);
  g_free (a->state);
  g_free (a->by_id);
  g_free (a);
}

/* ---- helpers, on the worker ---- */

gboolean
_assay_calibration_invalid (GError    **error,
                            const char *format,
                            ...)
{
  va_list args;
  GError *e;

  va_start (args, format);
  e = g_error_new_valist (ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID, format, args);
  va_end (args);
  g_propagate_error (error, e);
  return FALSE;
}

/* Runs a query that names one row and checks it _assay_calibration_exists; 1 found, 0 not, -1 error. */
int
_assay_calibration_exists (sqlite3     *db,
                           const char  *sql,
                           const char  *a,
                           const char  *b,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  _assay_store_set_error (db, rc, error);
  return -1;
}

/* The session's form version as the form engine reads it. */
AssayForm *
_assay_calibration_load_form (sqlite3     *db,
                              const char  *form_version_id,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AssayForm *form;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT definition, published_at FROM form_version WHERE id = ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, form_version_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "The form version %s does not exist; pick a published scorecard", form_version_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    {
      _assay_calibration_invalid (error, "The scorecard version is a draft; publish it before calibrating on it");
      return NULL;
    }
  form = assay_form_from_json (_assay_store_column_text (stmt, 0), -1, error);
  if (form == NULL)
    g_prefix_error (error, "The session's scorecard cannot be read: ");
  return form;
}


void
_assay_calibration_session_row_clear (SessionRow *s)
{
  g_free (s->form_version_id);
  g_free (s->created_by);
  g_free (s->expert_id);
  g_free (s->state);
}

gboolean
_assay_calibration_load_session (sqlite3     *db,
                                 const char  *session_id,
                                 SessionRow  *out,
                                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT form_version_id, created_by, expert_id, state"
                                   " FROM calibration_session WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "The calibration session %s does not exist", session_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error);
  out->form_version_id = _assay_store_column_dup (stmt, 0);
  out->created_by = _assay_store_column_dup (stmt, 1);
  out->expert_id = _assay_store_column_dup (stmt, 2);
  out->state = _assay_store_column_dup (stmt, 3);
  return TRUE;
}

char *
_assay_calibration_build_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return assay_json_write (root, FALSE);
}

void
_assay_calibration_add_string_or_null (JsonBuilder *b,
                                       const char  *name,
                                       const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
_assay_calibration_add_json (JsonBuilder *b,
                             const char  *name,
                             const char  *json)
{
  JsonNode *node = json != NULL ? json_from_string (json, NULL) : NULL;

  json_builder_set_member_name (b, name);
  if (node != NULL)
    json_builder_add_value (b, node);
  else
    json_builder_add_null_value (b);
}

/* The server revision a row was last seen at (its rev), -1 for none; -2 on error. */
gint64
_assay_calibration_row_rev (sqlite3     *db,
                            const char  *sql,
                            const char  *a,
                            const char  *b,
                            const char  *c,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return -2;
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  if (c != NULL)
    sqlite3_bind_text (stmt, 3, c, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    return -1;
  _assay_store_set_error (db, rc, error);
  return -2;
}

#define SESSION_REV_SQL "SELECT rev FROM calibration_session WHERE id = ?"

static char *
session_data (sqlite3     *db,
              const char  *session_id,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) list = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  int rc;

  stmt = _assay_store_prepare (db, "SELECT name, form_version_id, created_by, expert_id, state,"
                                   " created_at, opened_at, closed_at"
                                   " FROM calibration_session WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  json_builder_begin_object (b);
  _assay_calibration_add_string_or_null (b, "name", _assay_store_column_text (stmt, 0));
  _assay_calibration_add_string_or_null (b, "formVersionId", _assay_store_column_text (stmt, 1));
  _assay_calibration_add_string_or_null (b, "createdBy", _assay_store_column_text (stmt, 2));
  _assay_calibration_add_string_or_null (b, "expertId", _assay_store_column_text (stmt, 3));
  _assay_calibration_add_string_or_null (b, "state", _assay_store_column_text (stmt, 4));
  json_builder_set_member_name (b, "createdAt");
  json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 5));
  json_builder_set_member_name (b, "openedAt");
  if (sqlite3_column_type (stmt, 6) == SQLITE_NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 6));
  json_builder_set_member_name (b, "closedAt");
  if (sqlite3_column_type (stmt, 7) == SQLITE_NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 7));

  list = _assay_store_prepare (db, "SELECT 'interactionIds', interaction_id"
                                   " FROM calibration_interaction"
                                   " WHERE session_id = ?1"
                                   " UNION ALL SELECT 'participantIds', staff_id"
                                   " FROM calibration_participant WHERE session_id = ?1"
                                   " ORDER BY 1, 2", error);
  if (list == NULL)
    return NULL;
  sqlite3_bind_text (list, 1, session_id, -1, SQLITE_TRANSIENT);
  {
    g_autofree char *current = NULL;

    while ((rc = sqlite3_step (list)) == SQLITE_ROW)
      {
        const char *key = _assay_store_column_text (list, 0);

        if (g_strcmp0 (current, key) != 0)
          {
            if (current != NULL)
              json_builder_end_array (b);
            g_free (current);
            current = g_strdup (key);
            json_builder_set_member_name (b, key);
            json_builder_begin_array (b);
          }
        json_builder_add_string_value (b, _assay_store_column_text (list, 1));
      }
    if (current != NULL)
      json_builder_end_array (b);
  }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  json_builder_end_object (b);
  return _assay_calibration_build_json (b);
}

/* ---- create ---- */

static gpointer
create_locked (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  Args *a = data;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = assay_uuid_new ();
  g_autofree char *op = NULL;
  int found, rc;

  if (a->name == NULL || *g_strstrip (a->name) == '\0')
    return _assay_calibration_invalid (error, "The session has no name; give it one, e.g. the week and the queue"),
           NULL;
  if (a->interaction_ids == NULL || a->interaction_ids[0] == NULL)
    return _assay_calibration_invalid (error, "The session has no interactions; pick at least one to score"), NULL;
  if (a->participant_ids == NULL || g_strv_length (a->participant_ids) < 2)
    return _assay_calibration_invalid (error, "Calibration needs at least two inspectors; invite more"), NULL;
  form = _assay_calibration_load_form (db, a->form_version_id, error);
  if (form == NULL)
    return NULL;

  found = _assay_calibration_exists (db, "SELECT 1 FROM staff WHERE id = ?", a->created_by, NULL, error);
  if (found <= 0)
    return found < 0 ? NULL : (_assay_calibration_invalid (error, "The lead %s is not on the staff", a->created_by), NULL);
  if (a->expert_id != NULL)
    {
      found = _assay_calibration_exists (db, "SELECT 1 FROM staff WHERE id = ?", a->expert_id, NULL, error);
      if (found <= 0)
        return found < 0 ? NULL
                         : (_assay_calibration_invalid (error, "The expert %s is not on the staff", a->expert_id), NULL);
    }

  stmt = _assay_store_prepare (db, "INSERT INTO calibration_session (id, name, form_version_id,"
                                   " created_by, expert_id, state, created_at, dirty)"
                                   " VALUES (?, ?, ?, ?, ?, 'scoring', ?, 1)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->form_version_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, a->created_by, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 5, a->expert_id);
  sqlite3_bind_int64 (stmt, 6, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;

  for (guint i = 0; a->interaction_ids[i] != NULL; i++)
    {
      g_autoptr(sqlite3_stmt) insert = NULL;

      found = _assay_calibration_exists (db, "SELECT 1 FROM interaction WHERE id = ?", a->interaction_ids[i], NULL,
                      error);
      if (found <= 0)
        return found < 0 ? NULL : (_assay_calibration_invalid (error, "The interaction %s does not exist",
                                            a->interaction_ids[i]), NULL);
      insert = _assay_store_prepare (db, "INSERT INTO calibration_interaction (session_id,"
                                         " interaction_id, position) VALUES (?, ?, ?)", error);
      if (insert == NULL)
        return NULL;
      sqlite3_bind_text (insert, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, a->interaction_ids[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (insert, 3, (int) i);
      rc = sqlite3_step (insert);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return _assay_calibration_invalid (error, "The interaction %s is picked twice; pick it once",
                        a->interaction_ids[i]), NULL;
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error), NULL;
    }

  for (guint i = 0; a->participant_ids[i] != NULL; i++)
    {
      g_autoptr(sqlite3_stmt) insert = NULL;

      if (g_strcmp0 (a->participant_ids[i], a->created_by) == 0)
        return _assay_calibration_invalid (error, "The lead who runs the session cannot also score in it; invite "
                               "another inspector"), NULL;
      found = _assay_calibration_exists (db, "SELECT 1 FROM staff WHERE id = ?", a->participant_ids[i], NULL, error);
      if (found <= 0)
        return found < 0 ? NULL : (_assay_calibration_invalid (error, "The inspector %s is not on the staff",
                                            a->participant_ids[i]), NULL);
      insert = _assay_store_prepare (db, "INSERT INTO calibration_participant (session_id, staff_id)"
                                         " VALUES (?, ?)", error);
      if (insert == NULL)
        return NULL;
      sqlite3_bind_text (insert, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, a->participant_ids[i], -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (insert);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return _assay_calibration_invalid (error, "The inspector %s is invited twice", a->participant_ids[i]), NULL;
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error), NULL;
    }

  op = session_data (db, id, error);
  if (op == NULL || !_assay_calibration_queue_operation (db, "calibration_sessions", -1, id, "create", op, FALSE,
                                      error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
create_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  gpointer result = _assay_store_in_transaction (db, create_locked, data, g_free, error);

  /* announced once the transaction has committed */
  if (result != NULL)
    _assay_store_note_change (db, ASSAY_STORE_CALIBRATION, ((Args *) data)->session_id);
  return result;
}

static Args *
create_args (const AssayCalibrationSpec *spec)
{
  Args *a = g_new0 (Args, 1);

  a->name = g_strdup (spec->name);
  a->form_version_id = g_strdup (spec->form_version_id);
  a->created_by = g_strdup (spec->created_by);
  a->expert_id = g_strdup (spec->expert_id);
  a->interaction_ids = g_strdupv ((char **) spec->interaction_ids);
  a->participant_ids = g_strdupv ((char **) spec->participant_ids);
  return a;
}

void
assay_store_create_calibration_session_async (AssayStore                 *store,
                                              const AssayCalibrationSpec *spec,
                                              GCancellable               *cancellable,
                                              GAsyncReadyCallback         callback,
                                              gpointer                    user_data)
{
  _assay_store_run_async (store, create_func, create_args (spec), (GDestroyNotify) _assay_calibration_args_free,
                          g_free, assay_store_create_calibration_session_async, cancellable,
                          callback, user_data);
}

char *
assay_store_create_calibration_session_finish (AssayStore    *store,
                                               GAsyncResult  *result,
                                               GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

char *
assay_store_create_calibration_session_sync (AssayStore                 *store,
                                             const AssayCalibrationSpec *spec,
                                             GError                    **error)
{
  Args *a = create_args (spec);
  char *id = _assay_store_run_sync (store, create_func, a, error);

  _assay_calibration_args_free (a);
  return id;
}

/* ---- list / get ---- */

#define SESSION_SQL \
  "SELECT s.id, s.name, s.form_version_id, f.id, f.name, fv.version, s.created_by, st.name," \
  " s.expert_id, s.state, s.created_at, s.opened_at, s.closed_at," \
  " (SELECT count(*) FROM calibration_interaction ci WHERE ci.session_id = s.id)," \
  " (SELECT count(*) FROM calibration_participant cp WHERE cp.session_id = s.id)," \
  " (SELECT count(*) FROM calibration_scoring sc WHERE sc.session_id = s.id)," \
  " (SELECT count(*) FROM calibration_scoring sc WHERE sc.session_id = s.id" \
  "   AND sc.submitted_at IS NOT NULL)" \
  " FROM calibration_session s" \
  " JOIN form_version fv ON fv.id = s.form_version_id" \
  " JOIN form f ON f.id = fv.form_id" \
  " LEFT JOIN staff st ON st.id = s.created_by"

static AssayCalibrationSessionRecord *
read_session (sqlite3_stmt *stmt)
{
  AssayCalibrationSessionRecord *r = g_new0 (AssayCalibrationSessionRecord, 1);

  r->id = _assay_store_column_dup (stmt, 0);
  r->name = _assay_store_column_dup (stmt, 1);
  r->form_version_id = _assay_store_column_dup (stmt, 2);
  r->form_id = _assay_store_column_dup (stmt, 3);
  r->form_name = _assay_store_column_dup (stmt, 4);
  r->form_version = sqlite3_column_int (stmt, 5);
  r->created_by = _assay_store_column_dup (stmt, 6);
  r->created_by_name = _assay_store_column_dup (stmt, 7);
  r->expert_id = _assay_store_column_dup (stmt, 8);
  r->state = _assay_store_column_dup (stmt, 9);
  r->created_at = sqlite3_column_int64 (stmt, 10);
  r->opened_at = sqlite3_column_int64 (stmt, 11);
  r->closed_at = sqlite3_column_int64 (stmt, 12);
  r->n_interactions = sqlite3_column_int (stmt, 13);
  r->n_participants = sqlite3_column_int (stmt, 14);
  r->n_scorings = sqlite3_column_int (stmt, 15);
  r->n_submitted = sqlite3_column_int (stmt, 16);
  return r;
}

static gpointer
list_sessions_func (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, SESSION_SQL " ORDER BY s.created_at DESC, s.id", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calibration_session_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_session (stmt));
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

void
assay_store_list_calibration_sessions_async (AssayStore          *store,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  _assay_store_run_async (store, list_sessions_func, NULL, NULL,
                          (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_calibration_sessions_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_list_calibration_sessions_finish (AssayStore    *store,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_calibration_sessions_sync (AssayStore  *store,
                                            GError     **error)
{
  return _assay_store_run_sync (store, list_sessions_func, NULL, error);
}

static GStrv
query_ids (sqlite3     *db,
           const char  *sql,
           const char  *id,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, _assay_store_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_strv_builder_end (builder);
}

static gpointer
get_session_func (sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(AssayCalibrationSessionRecord) r = NULL;
  int rc;

  stmt = _assay_store_prepare (db, SESSION_SQL " WHERE s.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "No calibration session has the id %s; `assayctl calibration list` shows them",
                   a->session_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error), NULL;
  r = read_session (stmt);
  r->interaction_ids = query_ids (db, "SELECT interaction_id FROM calibration_interaction"
                                      " WHERE session_id = ? ORDER BY position", a->session_id, error);
  if (r->interaction_ids == NULL)
    return NULL;
  r->participant_ids = query_ids (db, "SELECT p.staff_id FROM calibration_participant p"
                                      " JOIN staff s ON s.id = p.staff_id"
                                      " WHERE p.session_id = ? ORDER BY s.name, s.id",
                                  a->session_id, error);
  if (r->participant_ids == NULL)
    return NULL;
  return g_steal_pointer (&r);
}

Args *
_assay_calibration_session_args (const char *session_id)
{
  Args *a = g_new0 (Args, 1);

  a->session_id = g_strdup (session_id);
  return a;
}

void
assay_store_get_calibration_session_async (AssayStore          *store,
                                           const char          *session_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  _assay_store_run_async (store, get_session_func, _assay_calibration_session_args (session_id),
                          (GDestroyNotify) _assay_calibration_args_free,
                          (GDestroyNotify) assay_calibration_session_record_free,
                          assay_store_get_calibration_session_async, cancellable, callback,
                          user_data);
}

AssayCalibrationSessionRecord *
assay_store_get_calibration_session_finish (AssayStore    *store,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayCalibrationSessionRecord *
assay_store_get_calibration_session_sync (AssayStore  *store,
                                          const char  *session_id,
                                          GError     **error)
{
  Args *a = _assay_calibration_session_args (session_id);
  AssayCalibrationSessionRecord *r = _assay_store_run_sync (store, get_session_func, a, error);

  _assay_calibration_args_free (a);
  return r;
}

/* ---- state ---- */

static gpointer
state_locked (sqlite3  *db,
              gpointer  data,
              GError  **error)
{
  Args *a = data;
  SessionRow s = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *op = NULL;
  gboolean ok = FALSE;
  gint64 now = assay_now_ms ();
  gint64 rev;

  if (g_strcmp0 (a->state, ASSAY_CALIBRATION_OPENED) != 0
      && g_strcmp0 (a->state, ASSAY_CALIBRATION_CLOSED) != 0)
    return _assay_calibration_invalid (error, "A session can be opened or closed, not set to \"%s\"",
                    a->state ? a->state : ""), NULL;
  if (!_assay_calibration_load_session (db, a->session_id, &s, error))
    goto out;
  if (g_strcmp0 (s.created_by, a->by_id) != 0)
    {
      _assay_calibration_invalid (error, "Only the lead who created the session can open or close it");
      goto out;
    }
  if (g_strcmp0 (s.state, ASSAY_CALIBRATION_CLOSED) == 0)
    {
      _assay_calibration_invalid (error, "The session is closed already; create a new one to calibrate again");
      goto out;
    }
  if (g_strcmp0 (s.state, a->state) == 0)
    {
      ok = TRUE;   /* opening an opened session changes nothing */
      goto out;
    }

  stmt = _assay_store_prepare (db, "UPDATE calibration_session SET state = ?2,"
                                   " opened_at = coalesce (opened_at, ?3),"
                                   " closed_at = CASE WHEN ?2 = 'closed' THEN ?3 END, dirty = 1"
                                   " WHERE id = ?1", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_assay_store_step_done (db, stmt, error))
    goto out;
  op = session_data (db, a->session_id, error);
  rev = _assay_calibration_row_rev (db, SESSION_REV_SQL, a->session_id, NULL, NULL, error);
  ok = op != NULL && rev > -2
       && _assay_calibration_queue_operation (db, "calibration_sessions", rev, a->session_id, "update", op, FALSE,
                           error);
out:
  _assay_calibration_session_row_clear (&s);
  return ok ? GINT_TO_POINTER (1) : NULL;
}

static gpointer
state_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  gpointer result = _assay_store_in_transaction (db, state_locked, data, NULL, error);

  /* announced once the transaction has committed */
  if (result != NULL)
    _assay_store_note_change (db, ASSAY_STORE_CALIBRATION, ((Args *) data)->session_id);
  return result;
}

static Args *
state_args (const char *session_id,
            const char *state,
            const char *by_id)
{
  Args *a = _assay_calibration_session_args (session_id);

  a->state = g_strdup (state);
  a->by_id = g_strdup (by_id);
  return a;
}

void
assay_store_set_calibration_state_async (AssayStore          *store,
                                         const char          *session_id,
                                         const char          *state,
                                         const char          *by_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  _assay_store_run_async (store, state_func, state_args (session_id, state, by_id),
                          (GDestroyNotify) _assay_calibration_args_free, NULL,
                          assay_store_set_calibration_state_async, cancellable, callback,
                          user_data);
}

gboolean
assay_store_set_calibration_state_finish (AssayStore    *store,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

gboolean
assay_store_set_calibration_state_sync (AssayStore  *store,
                                        const char  *session_id,
                                        const char  *state,
                                        const char  *by_id,
                                        GError     **error)
{
  Args *a = state_args (session_id, state, by_id);
  gboolean ok = _assay_store_run_sync (store, state_func, a, error) != NULL;

  _assay_calibration_args_free (a);
  return ok;
}

