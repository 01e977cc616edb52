/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "assay-store-calibration.h"
#include "assay-store-private.h"
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

typedef struct {
  char     *session_id;
  char     *name;
  char     *form_version_id;
  char     *created_by;
  char     *expert_id;
  GStrv     interaction_ids;
  GStrv     participant_ids;
  char     *interaction_id;
  char     *inspector_id;
  char     *item_id;
  char     *answers;
  char     *comments;
  char     *state;
  char     *by_id;
  gboolean  submit;
} Args;

static void
args_free (Args *a)
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

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
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

/* Runs a query that names one row and checks it exists; 1 found, 0 not, -1 error. */
static int
exists (sqlite3     *db,
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
static AssayForm *
load_form (sqlite3     *db,
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
      invalid (error, "The scorecard version is a draft; publish it before calibrating on it");
      return NULL;
    }
  form = assay_form_from_json (_assay_store_column_text (stmt, 0), -1, error);
  if (form == NULL)
    g_prefix_error (error, "The session's scorecard cannot be read: ");
  return form;
}

typedef struct {
  char *form_version_id;
  char *created_by;
  char *expert_id;
  char *state;
} SessionRow;

static void
session_row_clear (SessionRow *s)
{
  g_free (s->form_version_id);
  g_free (s->created_by);
  g_free (s->expert_id);
  g_free (s->state);
}

static gboolean
load_session (sqlite3     *db,
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

static char *
build_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return assay_json_write (root, FALSE);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_json (JsonBuilder *b,
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

/*
 * Queues a sync operation. With @coalesce, an unsent create or update of the same object is
 * rewritten in place instead (drafts saved on every change send only their last state).
 */
static gboolean
queue_operation (sqlite3     *db,
                 const char  *collection,
                 gint64       base_rev,
                 const char  *object_id,
                 const char  *action,
                 const char  *data,
                 gboolean     coalesce,
                 GError     **error)
{
  AssayStoreOutboxOp op = { .collection = collection, .object_id = object_id, .action = action,
                            .data = data, .base_rev = base_rev, .coalesce = coalesce };

  return _assay_store_enqueue (db, &op, error);
}

/* The server revision a row was last seen at (its rev), -1 for none; -2 on error. */
static gint64
row_rev (sqlite3     *db,
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
  add_string_or_null (b, "name", _assay_store_column_text (stmt, 0));
  add_string_or_null (b, "formVersionId", _assay_store_column_text (stmt, 1));
  add_string_or_null (b, "createdBy", _assay_store_column_text (stmt, 2));
  add_string_or_null (b, "expertId", _assay_store_column_text (stmt, 3));
  add_string_or_null (b, "state", _assay_store_column_text (stmt, 4));
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
  return build_json (b);
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
    return invalid (error, "The session has no name; give it one, e.g. the week and the queue"),
           NULL;
  if (a->interaction_ids == NULL || a->interaction_ids[0] == NULL)
    return invalid (error, "The session has no interactions; pick at least one to score"), NULL;
  if (a->participant_ids == NULL || g_strv_length (a->participant_ids) < 2)
    return invalid (error, "Calibration needs at least two inspectors; invite more"), NULL;
  form = load_form (db, a->form_version_id, error);
  if (form == NULL)
    return NULL;

  found = exists (db, "SELECT 1 FROM staff WHERE id = ?", a->created_by, NULL, error);
  if (found <= 0)
    return found < 0 ? NULL : (invalid (error, "The lead %s is not on the staff", a->created_by), NULL);
  if (a->expert_id != NULL)
    {
      found = exists (db, "SELECT 1 FROM staff WHERE id = ?", a->expert_id, NULL, error);
      if (found <= 0)
        return found < 0 ? NULL
                         : (invalid (error, "The expert %s is not on the staff", a->expert_id), NULL);
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

      found = exists (db, "SELECT 1 FROM interaction WHERE id = ?", a->interaction_ids[i], NULL,
                      error);
      if (found <= 0)
        return found < 0 ? NULL : (invalid (error, "The interaction %s does not exist",
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
        return invalid (error, "The interaction %s is picked twice; pick it once",
                        a->interaction_ids[i]), NULL;
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error), NULL;
    }

  for (guint i = 0; a->participant_ids[i] != NULL; i++)
    {
      g_autoptr(sqlite3_stmt) insert = NULL;

      if (g_strcmp0 (a->participant_ids[i], a->created_by) == 0)
        return invalid (error, "The lead who runs the session cannot also score in it; invite "
                               "another inspector"), NULL;
      found = exists (db, "SELECT 1 FROM staff WHERE id = ?", a->participant_ids[i], NULL, error);
      if (found <= 0)
        return found < 0 ? NULL : (invalid (error, "The inspector %s is not on the staff",
                                            a->participant_ids[i]), NULL);
      insert = _assay_store_prepare (db, "INSERT INTO calibration_participant (session_id, staff_id)"
                                         " VALUES (?, ?)", error);
      if (insert == NULL)
        return NULL;
      sqlite3_bind_text (insert, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, a->participant_ids[i], -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (insert);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return invalid (error, "The inspector %s is invited twice", a->participant_ids[i]), NULL;
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error), NULL;
    }

  op = session_data (db, id, error);
  if (op == NULL || !queue_operation (db, "calibration_sessions", -1, id, "create", op, FALSE,
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
  _assay_store_run_async (store, create_func, create_args (spec), (GDestroyNotify) args_free,
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

  args_free (a);
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

static Args *
session_args (const char *session_id)
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
  _assay_store_run_async (store, get_session_func, session_args (session_id),
                          (GDestroyNotify) args_free,
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
  Args *a = session_args (session_id);
  AssayCalibrationSessionRecord *r = _assay_store_run_sync (store, get_session_func, a, error);

  args_free (a);
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
    return invalid (error, "A session can be opened or closed, not set to \"%s\"",
                    a->state ? a->state : ""), NULL;
  if (!load_session (db, a->session_id, &s, error))
    goto out;
  if (g_strcmp0 (s.created_by, a->by_id) != 0)
    {
      invalid (error, "Only the lead who created the session can open or close it");
      goto out;
    }
  if (g_strcmp0 (s.state, ASSAY_CALIBRATION_CLOSED) == 0)
    {
      invalid (error, "The session is closed already; create a new one to calibrate again");
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
  rev = row_rev (db, SESSION_REV_SQL, a->session_id, NULL, NULL, error);
  ok = op != NULL && rev > -2
       && queue_operation (db, "calibration_sessions", rev, a->session_id, "update", op, FALSE,
                           error);
out:
  session_row_clear (&s);
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
  Args *a = session_args (session_id);

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
                          (GDestroyNotify) args_free, NULL,
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

  args_free (a);
  return ok;
}

/* ---- scorings ---- */

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

  if (!load_session (db, a->session_id, &s, error))
    goto out;
  if (g_strcmp0 (s.state, ASSAY_CALIBRATION_SCORING) != 0)
    {
      invalid (error, "The session is %s: scoring in it has ended", s.state);
      goto out;
    }
  found = exists (db, "SELECT 1 FROM calibration_participant WHERE session_id = ? AND staff_id = ?",
                  a->session_id, a->inspector_id, error);
  if (found <= 0)
    {
      if (found == 0)
        invalid (error, "%s is not invited to this session; the lead can invite them",
                 a->inspector_id);
      goto out;
    }
  found = exists (db, "SELECT 1 FROM calibration_interaction WHERE session_id = ?"
                      " AND interaction_id = ?", a->session_id, a->interaction_id, error);
  if (found <= 0)
    {
      if (found == 0)
        invalid (error, "The interaction %s is not part of this session", a->interaction_id);
      goto out;
    }

  form = load_form (db, s.form_version_id, error);
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

          invalid (error, "The scoring cannot be submitted yet: %s", text);
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
          invalid (error, "This scoring was submitted already; a submitted scoring cannot change");
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
  add_string_or_null (b, "sessionId", a->session_id);
  add_string_or_null (b, "interactionId", a->interaction_id);
  add_string_or_null (b, "inspectorId", a->inspector_id);
  add_json (b, "answers", normal);
  add_string_or_null (b, "comments", a->comments && *a->comments ? a->comments : NULL);
  json_builder_end_object (b);
  op = build_json (b);
  rev = row_rev (db, "SELECT rev FROM calibration_scoring WHERE id = ?", scoring_id, NULL, NULL,
                 error);
  ok = rev > -2 && queue_operation (db, "calibration_scorings", rev, scoring_id,
                                    a->submit ? "submit" : "update", op, !a->submit, error);
out:
  session_row_clear (&s);
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
  Args *a = session_args (session_id);

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
                          (GDestroyNotify) args_free, NULL,
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

  args_free (a);
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
  Args *a = session_args (session_id);

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
                          (GDestroyNotify) args_free, (GDestroyNotify) g_ptr_array_unref,
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

  args_free (a);
  return list;
}

/* ---- consensus ---- */

static gpointer
consensus_locked (sqlite3  *db,
                  gpointer  data,
                  GError  **error)
{
  Args *a = data;
  SessionRow s = { 0 };
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *answer = NULL;
  g_autofree char *object_id = NULL;
  g_autofree char *op = NULL;
  gboolean ok = FALSE;
  gint64 rev;
  int found;

  if (!load_session (db, a->session_id, &s, error))
    goto out;
  if (g_strcmp0 (s.state, ASSAY_CALIBRATION_CLOSED) == 0)
    {
      invalid (error, "The session is closed; its consensus can no longer change");
      goto out;
    }
  if (g_strcmp0 (a->by_id, s.created_by) != 0 && g_strcmp0 (a->by_id, s.expert_id) != 0)
    {
      invalid (error, "Only the session's lead or its expert can set the consensus");
      goto out;
    }
  found = exists (db, "SELECT 1 FROM calibration_interaction WHERE session_id = ?"
                      " AND interaction_id = ?", a->session_id, a->interaction_id, error);
  if (found <= 0)
    {
      if (found == 0)
        invalid (error, "The interaction %s is not part of this session", a->interaction_id);
      goto out;
    }
  form = load_form (db, s.form_version_id, error);
  if (form == NULL)
    goto out;
  if (assay_form_lookup_item (form, a->item_id) < 0)
    {
      invalid (error, "The scorecard has no item \"%s\"", a->item_id);
      goto out;
    }

  if (a->answers != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonNode) doc = NULL;
      g_autoptr(AssayAnswers) parsed = NULL;
      g_autoptr(JsonBuilder) file = json_builder_new ();
      int index = assay_form_lookup_item (form, a->item_id);

      if (!json_parser_load_from_data (parser, a->answers, -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          invalid (error, "The consensus answer is not a JSON object like {\"value\": \"yes\"}");
          goto out;
        }
      /* the form engine checks the answer as part of an answers file on the session's form */
      json_builder_begin_object (file);
      json_builder_set_member_name (file, "format");
      json_builder_add_int_value (file, ASSAY_FORM_FORMAT);
      add_string_or_null (file, "form_id", form->id);
      json_builder_set_member_name (file, "form_version");
      json_builder_add_int_value (file, form->version);
      json_builder_set_member_name (file, "answers");
      json_builder_begin_object (file);
      json_builder_set_member_name (file, a->item_id);
      json_builder_add_value (file, json_node_copy (json_parser_get_root (parser)));
      json_builder_end_object (file);
      json_builder_end_object (file);
      doc = json_builder_get_root (file);
      parsed = assay_answers_from_json_node (form, doc, error);
      if (parsed == NULL)
        {
          g_prefix_error (error, "The consensus answer does not fit the item: ");
          if (*error != NULL)
            (*error)->domain = ASSAY_STORE_ERROR, (*error)->code = ASSAY_STORE_ERROR_INVALID;
          goto out;
        }
      if (assay_answers_get (parsed, index)->state == ASSAY_ANSWER_NONE)
        {
          invalid (error, "The consensus answer is empty; give a value or N/A, or clear it");
          goto out;
        }
      {
        g_autoptr(JsonNode) written = assay_answers_to_json_node (parsed);
        JsonObject *answers = json_object_get_object_member (json_node_get_object (written), "answers");

        answer = assay_json_write (json_object_get_member (answers, a->item_id), FALSE);
      }
    }
  rev = row_rev (db, "SELECT rev FROM calibration_consensus WHERE session_id = ?"
                     " AND interaction_id = ? AND item_id = ?",
                 a->session_id, a->interaction_id, a->item_id, error);
  if (rev == -2)
    goto out;
  if (answer != NULL)
    {
      stmt = _assay_store_prepare (db, "INSERT INTO calibration_consensus (session_id, interaction_id,"
                                       " item_id, answer, set_by, set_at, dirty)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)"
                                       " ON CONFLICT (session_id, interaction_id, item_id) DO UPDATE"
                                       " SET answer = ?4, set_by = ?5, set_at = ?6, dirty = 1",
                                   error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 4, answer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, a->by_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, assay_now_ms ());
    }
  else
    {
      stmt = _assay_store_prepare (db, "DELETE FROM calibration_consensus WHERE session_id = ?1"
                                       " AND interaction_id = ?2 AND item_id = ?3", error);
      if (stmt == NULL)
        goto out;
    }
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->interaction_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->item_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    goto out;

  json_builder_begin_object (b);
  add_string_or_null (b, "sessionId", a->session_id);
  add_string_or_null (b, "interactionId", a->interaction_id);
  add_string_or_null (b, "itemId", a->item_id);
  add_json (b, "answer", answer);
  add_string_or_null (b, "setBy", a->by_id);
  json_builder_end_object (b);
  op = build_json (b);
  /* the row's key is composite: the object id joins its parts */
  object_id = g_strdup_printf ("%s/%s/%s", a->session_id, a->interaction_id, a->item_id);
  ok = queue_operation (db, "calibration_consensus", rev, object_id,
                        answer != NULL ? "update" : "delete", op, FALSE, error);
out:
  session_row_clear (&s);
  return ok ? GINT_TO_POINTER (1) : NULL;
}

static gpointer
consensus_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  gpointer result = _assay_store_in_transaction (db, consensus_locked, data, NULL, error);

  /* announced once the transaction has committed */
  if (result != NULL)
    _assay_store_note_change (db, ASSAY_STORE_CALIBRATION, ((Args *) data)->session_id);
  return result;
}

static Args *
consensus_args (const char *session_id,
                const char *interaction_id,
                const char *item_id,
                const char *answer,
                const char *set_by)
{
  Args *a = session_args (session_id);

  a->interaction_id = g_strdup (interaction_id);
  a->item_id = g_strdup (item_id);
  a->answers = g_strdup (answer);
  a->by_id = g_strdup (set_by);
  return a;
}

void
assay_store_set_calibration_consensus_async (AssayStore          *store,
                                             const char          *session_id,
                                             const char          *interaction_id,
                                             const char          *item_id,
                                             const char          *answer,
                                             const char          *set_by,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  _assay_store_run_async (store, consensus_func,
                          consensus_args (session_id, interaction_id, item_id, answer, set_by),
                          (GDestroyNotify) args_free, NULL,
                          assay_store_set_calibration_consensus_async, cancellable, callback,
                          user_data);
}

gboolean
assay_store_set_calibration_consensus_finish (AssayStore    *store,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

gboolean
assay_store_set_calibration_consensus_sync (AssayStore  *store,
                                            const char  *session_id,
                                            const char  *interaction_id,
                                            const char  *item_id,
                                            const char  *answer,
                                            const char  *set_by,
                                            GError     **error)
{
  Args *a = consensus_args (session_id, interaction_id, item_id, answer, set_by);
  gboolean ok = _assay_store_run_sync (store, consensus_func, a, error) != NULL;

  args_free (a);
  return ok;
}

static gpointer
list_consensus_func (sqlite3       *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT c.interaction_id, c.item_id, c.answer, c.set_by, c.set_at"
                                   " FROM calibration_consensus c"
                                   " LEFT JOIN calibration_interaction ci"
                                   "   ON ci.session_id = c.session_id"
                                   "   AND ci.interaction_id = c.interaction_id"
                                   " WHERE c.session_id = ? ORDER BY ci.position, c.item_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calibration_consensus_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCalibrationConsensusRecord *r = g_new0 (AssayCalibrationConsensusRecord, 1);

      r->interaction_id = _assay_store_column_dup (stmt, 0);
      r->item_id = _assay_store_column_dup (stmt, 1);
      r->answer = _assay_store_column_dup (stmt, 2);
      r->set_by = _assay_store_column_dup (stmt, 3);
      r->set_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

void
assay_store_list_calibration_consensus_async (AssayStore          *store,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  _assay_store_run_async (store, list_consensus_func, session_args (session_id),
                          (GDestroyNotify) args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_calibration_consensus_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_list_calibration_consensus_finish (AssayStore    *store,
                                               GAsyncResult  *result,
                                               GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_calibration_consensus_sync (AssayStore  *store,
                                             const char  *session_id,
                                             GError     **error)
{
  Args *a = session_args (session_id);
  GPtrArray *list = _assay_store_run_sync (store, list_consensus_func, a, error);

  args_free (a);
  return list;
}

static gpointer
list_staff_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT id, name, roles FROM staff ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_staff_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayStaffRecord *r = g_new0 (AssayStaffRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->name = _assay_store_column_dup (stmt, 1);
      r->roles = _assay_store_column_dup (stmt, 2);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

void
assay_store_list_calibration_staff_async (AssayStore          *store,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  _assay_store_run_async (store, list_staff_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_calibration_staff_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_list_calibration_staff_finish (AssayStore    *store,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}
