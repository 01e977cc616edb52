/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include <glib/gi18n.h>

#include "assay-store-audits-private.h"
#include "assay-store-private.h"
#include "core/assay-scoring.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

/* Filling an audit: the draft saved as typed, scored by the form engine on the audit's form
 * version; submit and amend with a reason, each an append-only revision (docs/audits.md). */

typedef struct
{
  double  score;
  char   *results;
  char   *answers;      /* the answers as the engine writes them back */
  guint   unanswered;
  guint   missing_comments;
  guint   missing_evidence;  /* items short of the evidence files their form asks for */
} Scored;

static void
scored_clear (Scored *s)
{
  g_clear_pointer (&s->results, g_free);
  g_clear_pointer (&s->answers, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scored, scored_clear)

/* Scores @answers (an answers file, NULL or "" for none yet) on the form version. */
static gboolean
score_locked (sqlite3     *db,
              const char  *audit_id,
              const char  *form_version_id,
              const char  *answers,
              Scored      *out,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) parsed = NULL;
  g_autoptr(AssayScore) score = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT definition FROM form_version WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, form_version_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        return _assay_audits_invalid (error, _("The audit's scorecard version is missing: sync or "
                                               "import the scorecard first"));
      return _assay_store_set_error (db, rc, error);
    }
  form = assay_form_from_json (_assay_store_column_text (stmt, 0), -1, error);
  if (form == NULL)
    return FALSE;
  if (answers == NULL || *answers == '\0' || g_strcmp0 (answers, "{}") == 0)
    parsed = assay_answers_new (form);
  else
    parsed = assay_answers_from_json (form, answers, -1, error);
  if (parsed == NULL)
    {
      g_prefix_error (error, _("The answers do not fit the audit's scorecard: "));
      if (*error != NULL)
        (*error)->domain = ASSAY_STORE_ERROR, (*error)->code = ASSAY_STORE_ERROR_INVALID;
      return FALSE;
    }
  score = assay_score_compute (parsed);
  out->score = score->overall;
  out->results = assay_score_to_json (score, FALSE);
  out->answers = assay_answers_to_json (parsed);
  /* what stops a Submit, as the scoring panel sees it (an observation needs its text even on
   * a full-marks answer, which the score's own list leaves out) */
  {
    g_autoptr(GArray) problems = assay_answers_check_submit (parsed);

    for (guint i = 0; i < problems->len; i++)
      switch (g_array_index (problems, AssayProblem, i).kind)
        {
        case ASSAY_PROBLEM_UNANSWERED:
          out->unanswered++;
          break;
        case ASSAY_PROBLEM_COMMENT_MISSING:
        case ASSAY_PROBLEM_UNCONFIRMED:
        default:
          out->missing_comments++;
          break;
        }
  }

  /* items that ask for photos or files: count what the audit attached for each */
  for (guint i = 0; audit_id != NULL && i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      g_autoptr(sqlite3_stmt) count = NULL;

      if (item->evidence_min == 0)
        continue;
      count = _assay_store_prepare (db, "SELECT count(*) FROM audit_evidence"
                                        " WHERE audit_id = ? AND item_id = ?", error);
      if (count == NULL)
        return FALSE;
      sqlite3_bind_text (count, 1, audit_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (count, 2, item->id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (count) != SQLITE_ROW)
        return _assay_store_set_error (db, sqlite3_errcode (db), error);
      if ((guint) sqlite3_column_int (count, 0) < item->evidence_min)
        out->missing_evidence++;
    }
  return TRUE;
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

/* ---- save a draft ---- */

static gpointer
save_draft_locked (sqlite3  *db,
                   gpointer  data,
                   GError  **error)
{
  const AssayAuditRecord *r = data;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *state = NULL;
  g_autofree char *form_version_id = NULL;
  g_autofree char *scenario_id = g_strdup (r->scenario_id);
  g_autofree char *shopper_id = g_strdup (r->shopper_id);
  g_auto(Scored) scored = { 0 };
  gint64 now = assay_now_ms ();
  gboolean is_new;
  gboolean amending;
  int rc;

  if (r->id == NULL || r->author_id == NULL)
    return _assay_audits_invalid (error, _("A draft needs its audit and its author")), NULL;

  find = _assay_store_prepare (db, "SELECT state, form_version_id FROM audit WHERE id = ?", error);
  if (find == NULL)
    return NULL;
  sqlite3_bind_text (find, 1, r->id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (find)) == SQLITE_ROW)
    {
      state = _assay_store_column_dup (find, 0);
      form_version_id = _assay_store_column_dup (find, 1);
    }
  else if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  is_new = state == NULL;
  amending = g_strcmp0 (state, "submitted") == 0;

  if (is_new)
    {
      /* a visit's audit takes the visit's scenario and shopper; a scenario its form version */
      g_autoptr(sqlite3_stmt) scen = NULL;

      if (r->visit_id != NULL)
        {
          g_autoptr(sqlite3_stmt) visit = _assay_store_prepare (db, "SELECT scenario_id, shopper_id"
                                                                    " FROM audit_visit WHERE id = ?",
                                                                error);
          if (visit == NULL)
            return NULL;
          sqlite3_bind_text (visit, 1, r->visit_id, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (visit) != SQLITE_ROW)
            return _assay_audits_invalid (error, _("The scheduled visit no longer exists")), NULL;
          g_free (scenario_id);
          scenario_id = _assay_store_column_dup (visit, 0);
          if (shopper_id == NULL)
            shopper_id = _assay_store_column_dup (visit, 1);
        }
      scen = _assay_store_prepare (db, "SELECT form_version_id FROM audit_scenario WHERE id = ?",
                                   error);
      if (scen == NULL)
        return NULL;
      _assay_store_bind_text_or_null (scen, 1, scenario_id);
      if (scenario_id == NULL || sqlite3_step (scen) != SQLITE_ROW)
        return _assay_audits_invalid (error, _("Pick the scenario the audit is for")), NULL;
      form_version_id = _assay_store_column_dup (scen, 0);
    }

  if (!score_locked (db, NULL, form_version_id, r->answers, &scored, error))
    return NULL;

  if (is_new)
    stmt = _assay_store_prepare (db, "INSERT INTO audit (id, visit_id, scenario_id, form_version_id,"
                                     " shopper_id, author_id, agent_id, visited_at, state,"
                                     " draft_answers, draft_score, draft_results, draft_saved_at,"
                                     " created_at, updated_at)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'draft', ?9, ?10, ?11,"
                                     " ?12, ?12, ?12)", error);
  else
    stmt = _assay_store_prepare (db, "UPDATE audit SET agent_id = coalesce (?7, agent_id),"
                                     " visited_at = CASE WHEN ?8 > 0 THEN ?8 ELSE visited_at END,"
                                     " draft_answers = ?9, draft_score = ?10, draft_results = ?11,"
                                     " draft_saved_at = ?12, amending = ?13, updated_at = ?12"
                                     " WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, r->id, -1, SQLITE_TRANSIENT);
  if (is_new)
    {
      _assay_store_bind_text_or_null (stmt, 2, r->visit_id);
      sqlite3_bind_text (stmt, 3, scenario_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, form_version_id, -1, SQLITE_TRANSIENT);
      _assay_store_bind_text_or_null (stmt, 5, shopper_id);
      sqlite3_bind_text (stmt, 6, r->author_id, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_int (stmt, 13, amending);
  _assay_store_bind_text_or_null (stmt, 7, r->agent_id);
  sqlite3_bind_int64 (stmt, 8, r->visited_at > 0 ? r->visited_at : (is_new ? now : 0));
  sqlite3_bind_text (stmt, 9, scored.answers, -1, SQLITE_TRANSIENT);
  bind_score (stmt, 10, scored.score);
  sqlite3_bind_text (stmt, 11, scored.results, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 12, now);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  _assay_store_note_change (db, ASSAY_STORE_AUDITS, r->id);

  /* an amendment stays local until it is submitted with its reason */
  if (!amending
      && !_assay_audits_queue_row (db, "audit", "audits", r->id, is_new ? "create" : "update", TRUE,
                                   error))
    return NULL;
  return _assay_audit_get_locked (db, r->id, error);
}

static gpointer
save_draft_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return _assay_store_in_transaction (db, save_draft_locked, data,
                                      (GDestroyNotify) assay_audit_record_free, error);
}

void
assay_store_audits_save_draft_async (AssayStore             *store,
                                     const AssayAuditRecord *record,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  _assay_store_run_async (store, save_draft_func, assay_audit_record_copy (record),
                          (GDestroyNotify) assay_audit_record_free,
                          (GDestroyNotify) assay_audit_record_free,
                          assay_store_audits_save_draft_async, cancellable, callback, user_data);
}

AssayAuditRecord *
assay_store_audits_save_draft_finish (AssayStore    *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayAuditRecord *
assay_store_audits_save_draft_sync (AssayStore             *store,
                                    const AssayAuditRecord *record,
                                    GError                **error)
{
  return _assay_store_run_sync (store, save_draft_func, (gpointer) record, error);
}

/* ---- submit / amend ---- */

typedef struct
{
  char *audit_id;
  char *author_id;
  char *reason;
  int   number;        /* out */
} SubmitCall;

static void
submit_call_free (SubmitCall *call)
{
  g_free (call->audit_id);
  g_free (call->author_id);
  g_free (call->reason);
  g_free (call);
}

static gboolean
submit_locked (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  SubmitCall *call = data;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *revision_id = assay_uuid_new ();
  g_autofree char *reason = NULL;
  g_autofree char *op_data = NULL;
  g_auto(Scored) scored = { 0 };
  gboolean amending;
  AssayStoreOutboxOp op = { .collection = "audits", .base_rev_of = "audit" };

  find = _assay_store_prepare (db, "SELECT state, form_version_id, draft_answers, draft_saved_at,"
                                   " (SELECT coalesce (max (number), 0) FROM audit_revision"
                                   "  WHERE audit_id = audit.id)"
                                   " FROM audit WHERE id = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, call->audit_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The audit %s does not exist"), call->audit_id);
      return FALSE;
    }
  amending = g_strcmp0 (_assay_store_column_text (find, 0), "submitted") == 0;
  call->number = sqlite3_column_int (find, 4) + 1;
  if (sqlite3_column_type (find, 3) == SQLITE_NULL)
    return _assay_audits_invalid (error, amending ? _("There is no change to submit: change an "
                                                      "answer first")
                                                  : _("There is nothing to submit yet"));
  if (!score_locked (db, call->audit_id, _assay_store_column_text (find, 1),
                     _assay_store_column_text (find, 2), &scored, error))
    return FALSE;
  if (scored.unanswered > 0 || scored.missing_comments > 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The audit is not complete: %u required item(s) unanswered and %u comment(s) "
                     "missing. Answer them, then submit."),
                   scored.unanswered, scored.missing_comments);
      return FALSE;
    }
  if (scored.missing_evidence > 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("%u item(s) still need their photos or files: attach them, then submit."),
                   scored.missing_evidence);
      return FALSE;
    }
  reason = g_strstrip (g_strdup (call->reason ? call->reason : ""));
  if (amending && *reason == '\0')
    return _assay_audits_invalid (error, _("An amendment needs a reason: say why the score "
                                           "changes"));

  stmt = _assay_store_prepare (db, "INSERT INTO audit_revision (id, audit_id, number, answers, score,"
                                   " results, author_id, created_at, reason)"
                                   " SELECT ?1, id, ?2, draft_answers, draft_score, draft_results,"
                                   " ?3, ?4, ?5 FROM audit WHERE id = ?6", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, revision_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, call->number);
  sqlite3_bind_text (stmt, 3, call->author_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, assay_now_ms ());
  _assay_store_bind_text_or_null (stmt, 5, *reason != '\0' ? reason : NULL);
  sqlite3_bind_text (stmt, 6, call->audit_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _assay_store_prepare (db, "UPDATE audit SET state = 'submitted', current_revision_id = ?,"
                                   " draft_answers = NULL, draft_score = NULL, draft_results = NULL,"
                                   " draft_saved_at = NULL, amending = 0, updated_at = ?, dirty = 1"
                                   " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, revision_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, assay_now_ms ());
  sqlite3_bind_text (stmt, 3, call->audit_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  _assay_store_note_change (db, ASSAY_STORE_AUDITS, call->audit_id);

  op_data = g_strdup_printf ("{\"revisionId\":\"%s\",\"number\":%d,\"answers\":%s,\"results\":%s}",
                             revision_id, call->number, scored.answers, scored.results);
  op.object_id = call->audit_id;
  op.action = amending ? "amend" : "submit";
  op.data = op_data;
  op.reason = *reason != '\0' ? reason : NULL;
  return _assay_store_enqueue (db, &op, error);
}

static gpointer
submit_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  SubmitCall *call = data;

  if (!_assay_store_in_transaction_ok (db, submit_locked, call, error))
    return NULL;
  return GINT_TO_POINTER (call->number);
}

static SubmitCall *
submit_call_new (const char *audit_id,
                 const char *author_id,
                 const char *reason)
{
  SubmitCall *call = g_new0 (SubmitCall, 1);

  call->audit_id = g_strdup (audit_id);
  call->author_id = g_strdup (author_id);
  call->reason = g_strdup (reason);
  return call;
}

void
assay_store_audits_submit_async (AssayStore          *store,
                                 const char          *audit_id,
                                 const char          *author_id,
                                 const char          *reason,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  _assay_store_run_async (store, submit_func, submit_call_new (audit_id, author_id, reason),
                          (GDestroyNotify) submit_call_free, NULL, assay_store_audits_submit_async,
                          cancellable, callback, user_data);
}

int
assay_store_audits_submit_finish (AssayStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return GPOINTER_TO_INT (_assay_store_run_finish (store, result, error));
}

int
assay_store_audits_submit_sync (AssayStore  *store,
                                const char  *audit_id,
                                const char  *author_id,
                                const char  *reason,
                                GError     **error)
{
  SubmitCall *call = submit_call_new (audit_id, author_id, reason);
  int number = GPOINTER_TO_INT (_assay_store_run_sync (store, submit_func, call, error));

  submit_call_free (call);
  return number;
}
