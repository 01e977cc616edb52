/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <glib/gi18n-lib.h>

#include "assay-store-evaluations-private.h"
#include "assay-store-private.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

void
assay_evaluation_record_free (AssayEvaluationRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->interaction_id);
  g_free (r->form_version_id);
  g_free (r->inspector_id);
  g_free (r->assignment_id);
  g_free (r->state);
  g_free (r->answers);
  g_free (r->results);
  g_free (r->inspector_name);
  g_free (r->agent_name);
  g_free (r->form_name);
  g_free (r->channel);
  g_free (r->queue);
  g_free (r);
}

void
assay_revision_record_free (AssayRevisionRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->author_id);
  g_free (r->author_name);
  g_free (r->reason);
  g_free (r->answers);
  g_free (r->results);
  g_free (r);
}

void
assay_staff_record_free (AssayStaffRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->name);
  g_free (r->roles);
  g_free (r);
}

static AssayEvaluationRecord *
record_copy (const AssayEvaluationRecord *src)
{
  AssayEvaluationRecord *r = g_new0 (AssayEvaluationRecord, 1);

  *r = *src;
  r->id = g_strdup (src->id);
  r->interaction_id = g_strdup (src->interaction_id);
  r->form_version_id = g_strdup (src->form_version_id);
  r->inspector_id = g_strdup (src->inspector_id);
  r->assignment_id = g_strdup (src->assignment_id);
  r->state = g_strdup (src->state);
  r->answers = g_strdup (src->answers);
  r->results = g_strdup (src->results);
  r->inspector_name = g_strdup (src->inspector_name);
  r->agent_name = g_strdup (src->agent_name);
  r->form_name = g_strdup (src->form_name);
  r->channel = g_strdup (src->channel);
  r->queue = g_strdup (src->queue);
  return r;
}

static double
col_score (sqlite3_stmt *stmt,
           int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

static void
bind_score (sqlite3_stmt *stmt,
            int           idx,
            double        score)
{
  if (isnan (score))
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_double (stmt, idx, score);
}

#define RECORD_SQL \
  "SELECT e.id, e.interaction_id, e.form_version_id, e.inspector_id, e.assignment_id, e.state," \
  " d.amending IS 1," \
  " CASE WHEN d.evaluation_id IS NOT NULL THEN d.answers ELSE r.answers END," \
  " CASE WHEN d.evaluation_id IS NOT NULL THEN d.score ELSE r.score END," \
  " CASE WHEN d.evaluation_id IS NOT NULL THEN d.results ELSE r.results END," \
  " e.created_at, e.updated_at, d.saved_at, r.number, s.name, a.name, f.name, fv.version," \
  " i.channel, i.queue, i.started_at, e.review_s" \
  " FROM evaluation e" \
  " LEFT JOIN evaluation_draft d ON d.evaluation_id = e.id" \
  " LEFT JOIN evaluation_revision r ON r.id = e.current_revision_id" \
  " LEFT JOIN staff s ON s.id = e.inspector_id" \
  " JOIN interaction i ON i.id = e.interaction_id" \
  " LEFT JOIN agent a ON a.id = i.agent_id" \
  " JOIN form_version fv ON fv.id = e.form_version_id" \
  " JOIN form f ON f.id = fv.form_id"

static AssayEvaluationRecord *
read_record (sqlite3_stmt *stmt)
{
  AssayEvaluationRecord *r = g_new0 (AssayEvaluationRecord, 1);

  r->id = _assay_store_column_dup (stmt, 0);
  r->interaction_id = _assay_store_column_dup (stmt, 1);
  r->form_version_id = _assay_store_column_dup (stmt, 2);
  r->inspector_id = _assay_store_column_dup (stmt, 3);
  r->assignment_id = _assay_store_column_dup (stmt, 4);
  r->state = _assay_store_column_dup (stmt, 5);
  r->amending = sqlite3_column_int (stmt, 6);
  r->answers = _assay_store_column_dup (stmt, 7);
  r->score = col_score (stmt, 8);
  r->results = _assay_store_column_dup (stmt, 9);
  r->created_at = sqlite3_column_int64 (stmt, 10);
  r->updated_at = sqlite3_column_int64 (stmt, 11);
  r->saved_at = sqlite3_column_int64 (stmt, 12);
  r->revision = sqlite3_column_int (stmt, 13);
  r->inspector_name = _assay_store_column_dup (stmt, 14);
  r->agent_name = _assay_store_column_dup (stmt, 15);
  r->form_name = _assay_store_column_dup (stmt, 16);
  r->form_version = sqlite3_column_int (stmt, 17);
  r->channel = _assay_store_column_dup (stmt, 18);
  r->queue = _assay_store_column_dup (stmt, 19);
  r->interaction_started_at = sqlite3_column_int64 (stmt, 20);
  r->review_s = sqlite3_column_int64 (stmt, 21);
  return r;
}

/* ---- me ---- */

AssayStaffRecord *
_assay_store_get_me_locked (sqlite3  *db,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(AssayStaffRecord) me = g_new0 (AssayStaffRecord, 1);
  const char *name;

  stmt = _assay_store_prepare (db, "SELECT id, name, roles FROM staff WHERE is_me = 1", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      me->id = _assay_store_column_dup (stmt, 0);
      me->name = _assay_store_column_dup (stmt, 1);
      me->roles = _assay_store_column_dup (stmt, 2);
      return g_steal_pointer (&me);
    }

  /* a database without a "me" (imported data): this workstation's user becomes an inspector */
  name = g_get_real_name ();
  if (name == NULL || *name == '\0' || g_strcmp0 (name, "Unknown") == 0)
    name = g_get_user_name ();
  me->id = assay_uuid_new ();
  me->name = g_strdup (name);
  me->roles = g_strdup ("inspector");
  /* a read-only database cannot take one: this session's user, not stored */
  if (sqlite3_db_readonly (db, "main") == 1)
    return g_steal_pointer (&me);
  insert = _assay_store_prepare (db, "INSERT INTO staff (id, name, roles, is_me) VALUES (?, ?, ?, 1)",
                                 error);
  if (insert == NULL)
    return NULL;
  sqlite3_bind_text (insert, 1, me->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, me->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, me->roles, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, insert, error))
    return NULL;
  _assay_store_note_change (db, ASSAY_STORE_DIRECTORY, me->id);
  return g_steal_pointer (&me);
}

static gpointer
get_me_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _assay_store_get_me_locked (db, error);
}

void
assay_store_get_me_async (AssayStore          *store,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  _assay_store_run_async (store, get_me_func, NULL, NULL, (GDestroyNotify) assay_staff_record_free,
                          assay_store_get_me_async, cancellable, callback, user_data);
}

AssayStaffRecord *
assay_store_get_me_finish (AssayStore    *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

/* ---- open / get ---- */

typedef struct {
  char *evaluation_id;
  char *interaction_id;
  char *form_version_id;
  char *inspector_id;
  char *assignment_id;
  char *state;
  char *reason;
  guint limit;
} Args;

static void
args_free (Args *a)
{
  g_free (a->evaluation_id);
  g_free (a->interaction_id);
  g_free (a->form_version_id);
  g_free (a->inspector_id);
  g_free (a->assignment_id);
  g_free (a->state);
  g_free (a->reason);
  g_free (a);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Args, args_free)

static gpointer
open_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AssayEvaluationRecord *r;
  int rc;

  if (a->evaluation_id != NULL)
    stmt = _assay_store_prepare (db, RECORD_SQL " WHERE e.id = ?1", error);
  else
    stmt = _assay_store_prepare (db, RECORD_SQL " WHERE e.interaction_id = ?2 AND e.inspector_id = ?3"
                                     " ORDER BY e.created_at DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  if (a->evaluation_id != NULL)
    sqlite3_bind_text (stmt, 1, a->evaluation_id, -1, SQLITE_TRANSIENT);
  else
    {
      sqlite3_bind_text (stmt, 2, a->interaction_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, a->inspector_id, -1, SQLITE_TRANSIENT);
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_record (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  if (a->evaluation_id != NULL)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The evaluation %s does not exist"), a->evaluation_id);
      return NULL;
    }

  r = g_new0 (AssayEvaluationRecord, 1);
  r->id = assay_uuid_new ();
  r->interaction_id = g_strdup (a->interaction_id);
  r->form_version_id = g_strdup (a->form_version_id);
  r->inspector_id = g_strdup (a->inspector_id);
  r->assignment_id = g_strdup (a->assignment_id);
  r->score = NAN;
  return r;
}

void
assay_store_open_evaluation_async (AssayStore          *store,
                                   const char          *interaction_id,
                                   const char          *form_version_id,
                                   const char          *inspector_id,
                                   const char          *assignment_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Args *a = g_new0 (Args, 1);

  a->interaction_id = g_strdup (interaction_id);
  a->form_version_id = g_strdup (form_version_id);
  a->inspector_id = g_strdup (inspector_id);
  a->assignment_id = g_strdup (assignment_id);
  _assay_store_run_async (store, open_func, a, (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_evaluation_record_free,
                          assay_store_open_evaluation_async, cancellable, callback, user_data);
}

AssayEvaluationRecord *
assay_store_open_evaluation_finish (AssayStore    *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

void
assay_store_get_evaluation_async (AssayStore          *store,
                                  const char          *evaluation_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Args *a = g_new0 (Args, 1);

  a->evaluation_id = g_strdup (evaluation_id);
  _assay_store_run_async (store, open_func, a, (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_evaluation_record_free,
                          assay_store_get_evaluation_async, cancellable, callback, user_data);
}

AssayEvaluationRecord *
assay_store_get_evaluation_finish (AssayStore    *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

/* ---- save draft ---- */

static char *
operation_data (const AssayEvaluationRecord *r)
{
  /* ids are UUIDs and answers are already JSON: nothing here needs escaping */
  return g_strdup_printf ("{\"interactionId\":\"%s\",\"formVersionId\":\"%s\",\"inspectorId\":\"%s\","
                          "\"answers\":%s}",
                          r->interaction_id, r->form_version_id, r->inspector_id,
                          r->answers ? r->answers : "null");
}

static gboolean
queue_operation (sqlite3     *db,
                 const char  *object_id,
                 const char  *action,
                 const char  *data,
                 const char  *reason,
                 gboolean     coalesce,
                 GError     **error)
{
  AssayStoreOutboxOp op = { .collection = "evaluations", .object_id = object_id, .action = action,
                            .data = data, .reason = reason, .base_rev_of = "evaluation",
                            .coalesce = coalesce };

  return _assay_store_enqueue (db, &op, error);
}

static gboolean
save_draft_locked (sqlite3                     *db,
                   const AssayEvaluationRecord *r,
                   gint64                       now,
                   GError                     **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *state = NULL;
  g_autofree char *data = NULL;
  gboolean is_new;
  gboolean amending;

  find = _assay_store_prepare (db, "SELECT state FROM evaluation WHERE id = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, r->id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) == SQLITE_ROW)
    state = _assay_store_column_dup (find, 0);
  is_new = state == NULL;
  amending = g_strcmp0 (state, "submitted") == 0;

  if (is_new)
    {
      stmt = _assay_store_prepare (db, "INSERT INTO evaluation (id, interaction_id, form_version_id,"
                                       " inspector_id, assignment_id, state, created_at, updated_at)"
                                       " VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, r->id, -1, SQLITE_TRANSIENT);
      _assay_store_bind_text_or_null (stmt, 2, r->interaction_id);
      _assay_store_bind_text_or_null (stmt, 3, r->form_version_id);
      _assay_store_bind_text_or_null (stmt, 4, r->inspector_id);
      _assay_store_bind_text_or_null (stmt, 5, r->assignment_id);
      sqlite3_bind_int64 (stmt, 6, now);
      sqlite3_bind_int64 (stmt, 7, now);
      if (!_assay_store_step_done (db, stmt, error))
        return FALSE;
      g_clear_pointer (&stmt, sqlite3_finalize);
    }
  else
    {
      stmt = _assay_store_prepare (db, "UPDATE evaluation SET updated_at = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_text (stmt, 2, r->id, -1, SQLITE_TRANSIENT);
      if (!_assay_store_step_done (db, stmt, error))
        return FALSE;
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  stmt = _assay_store_prepare (db, "INSERT INTO evaluation_draft (evaluation_id, answers, score, results,"
                                   " amending, saved_at, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)"
                                   " ON CONFLICT (evaluation_id) DO UPDATE SET answers = ?2, score = ?3,"
                                   " results = ?4, saved_at = ?6, changes = changes + 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, r->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, r->answers ? r->answers : "{}", -1, SQLITE_TRANSIENT);
  bind_score (stmt, 3, r->score);
  _assay_store_bind_text_or_null (stmt, 4, r->results);
  sqlite3_bind_int (stmt, 5, amending);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  _assay_store_note_change (db, ASSAY_STORE_EVALUATIONS, r->id);

  /* an amendment stays local until it is submitted with its reason */
  if (amending)
    return TRUE;
  data = operation_data (r);
  return queue_operation (db, r->id, is_new ? "create" : "update", data, NULL, TRUE, error);
}

typedef struct
{
  const AssayEvaluationRecord *r;
  gint64                       now;
} SaveDraftCall;

/* returns the time it saved at */
static gpointer
save_draft_call (sqlite3  *db,
                 gpointer  data,
                 GError  **error)
{
  SaveDraftCall *call = data;

  if (!save_draft_locked (db, call->r, call->now, error))
    return NULL;
  return g_memdup2 (&call->now, sizeof call->now);
}

static gpointer
save_draft_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const AssayEvaluationRecord *r = data;
  gint64 now = assay_now_ms ();

  if (r->id == NULL || r->interaction_id == NULL || r->form_version_id == NULL || r->inspector_id == NULL)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A draft needs its evaluation, interaction, form version and "
                             "inspector"));
      return NULL;
    }
  {
    SaveDraftCall call = { r, now };

    return _assay_store_in_transaction (db, save_draft_call, &call, g_free, error);
  }
}

void
assay_store_save_draft_async (AssayStore                  *store,
                              const AssayEvaluationRecord *record,
                              GCancellable                *cancellable,
                              GAsyncReadyCallback          callback,
                              gpointer                     user_data)
{
  _assay_store_run_async (store, save_draft_func, record_copy (record),
                          (GDestroyNotify) assay_evaluation_record_free, g_free,
                          assay_store_save_draft_async, cancellable, callback, user_data);
}

gint64
assay_store_save_draft_finish (AssayStore    *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_autofree gint64 *saved = _assay_store_run_finish (store, result, error);

  return saved ? *saved : 0;
}

gint64
assay_store_save_draft_sync (AssayStore                  *store,
                             const AssayEvaluationRecord *record,
                             GError                     **error)
{
  g_autofree gint64 *saved = _assay_store_run_sync (store, save_draft_func, (gpointer) record, error);

  return saved ? *saved : 0;
}

/* ---- submit / amend ---- */

static gboolean
submit_locked (sqlite3  *db,
               Args     *a,
               int      *number,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *revision_id = assay_uuid_new ();
  g_autofree char *state = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *data = NULL;
  gboolean has_draft;
  gboolean amending;
  gint64 now = assay_now_ms ();

  find = _assay_store_prepare (db, "SELECT e.state, d.evaluation_id IS NOT NULL,"
                                   " (SELECT coalesce(max(number), 0) FROM evaluation_revision"
                                   "  WHERE evaluation_id = e.id), d.answers"
                                   " FROM evaluation e LEFT JOIN evaluation_draft d ON d.evaluation_id = e.id"
                                   " WHERE e.id = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, a->evaluation_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The evaluation %s does not exist"), a->evaluation_id);
      return FALSE;
    }
  state = _assay_store_column_dup (find, 0);
  has_draft = sqlite3_column_int (find, 1);
  *number = sqlite3_column_int (find, 2) + 1;
  amending = g_strcmp0 (state, "submitted") == 0;

  if (!has_draft)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           amending ? _("There is no change to submit: change an answer first")
                                    : _("There is nothing to submit yet"));
      return FALSE;
    }
  /* a suggestion made from a transcript is never submitted before the inspector confirms it */
  {
    g_autofree char *draft = _assay_store_column_dup (find, 3);
    guint unconfirmed = assay_answers_json_count_unconfirmed (draft);

    if (unconfirmed > 0)
      {
        g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                     "%u suggested answer(s) are not confirmed yet: confirm each suggestion or "
                     "answer it yourself before submitting", unconfirmed);
        return FALSE;
      }
  }
  if (amending)
    {
      reason = g_strstrip (g_strdup (a->reason ? a->reason : ""));
      if (*reason == '\0')
        {
          g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                               _("An amendment needs a reason: say why the score changes"));
          return FALSE;
        }
    }

  stmt = _assay_store_prepare (db, "INSERT INTO evaluation_revision (id, evaluation_id, number, answers,"
                                   " score, results, author_id, created_at, reason)"
                                   " SELECT ?1, ?2, ?3, answers, score, results, ?4, ?5, ?6"
                                   " FROM evaluation_draft WHERE evaluation_id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, revision_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->evaluation_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, *number);
  sqlite3_bind_text (stmt, 4, a->inspector_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  _assay_store_bind_text_or_null (stmt, 6, reason);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _assay_store_prepare (db, "UPDATE evaluation SET state = 'submitted', current_revision_id = ?,"
                                   " updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, revision_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, a->evaluation_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _assay_store_prepare (db, "DELETE FROM evaluation_draft WHERE evaluation_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, a->evaluation_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  _assay_store_note_change (db, ASSAY_STORE_EVALUATIONS, a->evaluation_id);

  data = g_strdup_printf ("{\"revisionId\":\"%s\",\"number\":%d}", revision_id, *number);
  return queue_operation (db, a->evaluation_id, amending ? "amend" : "submit", data, reason, FALSE,
                          error);
}

typedef struct
{
  Args *a;
  int   number;  /* out: the revision's number */
} SubmitCall;

static gboolean
submit_call (sqlite3  *db,
             gpointer  data,
             GError  **error)
{
  SubmitCall *call = data;

  return submit_locked (db, call->a, &call->number, error);
}

static gpointer
submit_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  SubmitCall call = { data, 0 };

  if (!_assay_store_in_transaction_ok (db, submit_call, &call, error))
    return NULL;
  return GINT_TO_POINTER (call.number);
}

static Args *
submit_args (const char *evaluation_id,
             const char *author_id,
             const char *reason)
{
  Args *a = g_new0 (Args, 1);

  a->evaluation_id = g_strdup (evaluation_id);
  a->inspector_id = g_strdup (author_id);
  a->reason = g_strdup (reason);
  return a;
}

void
assay_store_submit_evaluation_async (AssayStore          *store,
                                     const char          *evaluation_id,
                                     const char          *author_id,
                                     const char          *reason,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  _assay_store_run_async (store, submit_func, submit_args (evaluation_id, author_id, reason),
                          (GDestroyNotify) args_free, NULL, assay_store_submit_evaluation_async,
                          cancellable, callback, user_data);
}

int
assay_store_submit_evaluation_finish (AssayStore    *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return GPOINTER_TO_INT (_assay_store_run_finish (store, result, error));
}

int
assay_store_submit_evaluation_sync (AssayStore  *store,
                                    const char  *evaluation_id,
                                    const char  *author_id,
                                    const char  *reason,
                                    GError     **error)
{
  Args *a = submit_args (evaluation_id, author_id, reason);
  int number = GPOINTER_TO_INT (_assay_store_run_sync (store, submit_func, a, error));

  args_free (a);
  return number;
}

static gpointer
discard_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, "DELETE FROM evaluation_draft"
                                                           " WHERE evaluation_id = ? AND amending = 1",
                                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->evaluation_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  _assay_store_note_change (db, ASSAY_STORE_EVALUATIONS, a->evaluation_id);
  return GINT_TO_POINTER (1);
}

void
assay_store_discard_amendment_async (AssayStore          *store,
                                     const char          *evaluation_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  _assay_store_run_async (store, discard_func, submit_args (evaluation_id, NULL, NULL),
                          (GDestroyNotify) args_free, NULL, assay_store_discard_amendment_async,
                          cancellable, callback, user_data);
}

gboolean
assay_store_discard_amendment_finish (AssayStore    *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

/* ---- lists ---- */

static gpointer
revisions_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_revision_record_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT r.id, r.number, r.author_id, s.name, r.created_at, r.reason,"
                                   " r.score, r.answers, r.results FROM evaluation_revision r"
                                   " LEFT JOIN staff s ON s.id = r.author_id"
                                   " WHERE r.evaluation_id = ? ORDER BY r.number", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->evaluation_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayRevisionRecord *r = g_new0 (AssayRevisionRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->number = sqlite3_column_int (stmt, 1);
      r->author_id = _assay_store_column_dup (stmt, 2);
      r->author_name = _assay_store_column_dup (stmt, 3);
      r->created_at = sqlite3_column_int64 (stmt, 4);
      r->reason = _assay_store_column_dup (stmt, 5);
      r->score = col_score (stmt, 6);
      r->answers = _assay_store_column_dup (stmt, 7);
      r->results = _assay_store_column_dup (stmt, 8);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
assay_store_list_revisions_async (AssayStore          *store,
                                  const char          *evaluation_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  _assay_store_run_async (store, revisions_func, submit_args (evaluation_id, NULL, NULL),
                          (GDestroyNotify) args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_revisions_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_revisions_finish (AssayStore    *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

static gpointer
list_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_evaluation_record_free);
  int rc;

  stmt = _assay_store_prepare (db, RECORD_SQL " WHERE (?1 IS NULL OR e.inspector_id = ?1)"
                                   " AND (?2 IS NULL OR e.state = ?2)"
                                   " ORDER BY e.updated_at DESC LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  _assay_store_bind_text_or_null (stmt, 1, a->inspector_id);
  _assay_store_bind_text_or_null (stmt, 2, a->state);
  sqlite3_bind_int64 (stmt, 3, a->limit ? a->limit : G_MAXINT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, read_record (stmt));
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
assay_store_list_evaluations_async (AssayStore          *store,
                                    const char          *inspector_id,
                                    const char          *state,
                                    guint                limit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Args *a = g_new0 (Args, 1);

  a->inspector_id = g_strdup (inspector_id);
  a->state = g_strdup (state);
  a->limit = limit;
  _assay_store_run_async (store, list_func, a, (GDestroyNotify) args_free,
                          (GDestroyNotify) g_ptr_array_unref, assay_store_list_evaluations_async,
                          cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_evaluations_finish (AssayStore    *store,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

/* by the index evaluation_interaction */
static gpointer
list_interaction_func (sqlite3       *db,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_evaluation_record_free);
  int rc;

  stmt = _assay_store_prepare (db, RECORD_SQL " WHERE e.interaction_id = ?1"
                                   " ORDER BY e.updated_at DESC, e.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->interaction_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, read_record (stmt));
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
assay_store_list_interaction_evaluations_async (AssayStore          *store,
                                                const char          *interaction_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  Args *a;

  g_return_if_fail (interaction_id != NULL);

  a = g_new0 (Args, 1);
  a->interaction_id = g_strdup (interaction_id);
  _assay_store_run_async (store, list_interaction_func, a, (GDestroyNotify) args_free,
                          (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_interaction_evaluations_async,
                          cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_interaction_evaluations_finish (AssayStore    *store,
                                                 GAsyncResult  *result,
                                                 GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

/* ---- amendments made by other store files (disputes) ---- */

int
_assay_store_amend_locked (sqlite3     *db,
                           const char  *evaluation_id,
                           const char  *author_id,
                           const char  *answers,
                           double       score,
                           const char  *results,
                           const char  *reason,
                           char       **revision_id,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) current = NULL;
  g_autoptr(AssayEvaluationRecord) r = g_new0 (AssayEvaluationRecord, 1);
  g_autoptr(Args) a = NULL;
  int number = 0;

  find = _assay_store_prepare (db, "SELECT e.interaction_id, e.form_version_id, e.inspector_id,"
                                   " e.assignment_id, e.state, d.evaluation_id IS NOT NULL"
                                   " FROM evaluation e LEFT JOIN evaluation_draft d"
                                   " ON d.evaluation_id = e.id WHERE e.id = ?", error);
  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, evaluation_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The evaluation %s does not exist"), evaluation_id);
      return 0;
    }
  if (g_strcmp0 (_assay_store_column_text (find, 4), "submitted") != 0)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("Only a submitted evaluation can be amended"));
      return 0;
    }
  if (sqlite3_column_int (find, 5))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("The evaluation has an amendment open in the review workspace: "
                             "submit or discard it first, then try again"));
      return 0;
    }
  r->id = g_strdup (evaluation_id);
  r->interaction_id = _assay_store_column_dup (find, 0);
  r->form_version_id = _assay_store_column_dup (find, 1);
  r->inspector_id = _assay_store_column_dup (find, 2);
  r->assignment_id = _assay_store_column_dup (find, 3);
  r->answers = g_strdup (answers);
  r->score = score;
  r->results = g_strdup (results);
  if (!save_draft_locked (db, r, assay_now_ms (), error))
    return 0;

  a = submit_args (evaluation_id, author_id, reason);
  if (!submit_locked (db, a, &number, error))
    return 0;

  current = _assay_store_prepare (db, "SELECT current_revision_id FROM evaluation WHERE id = ?",
                                  error);
  if (current == NULL)
    return 0;
  sqlite3_bind_text (current, 1, evaluation_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (current) != SQLITE_ROW)
    {
      _assay_store_set_error (db, SQLITE_ERROR, error);
      return 0;
    }
  if (revision_id != NULL)
    *revision_id = _assay_store_column_dup (current, 0);
  return number;
}
