/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "assay-store-disputes.h"
#include "assay-store-evaluations-private.h"
#include "assay-store-private.h"
#include "assay-store-records-sync.h"
#include "core/assay-scoring.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

/* Raising, deciding and withdrawing disputes; the reads are in assay-store-disputes-read.c. */

static char *
builder_json (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  return assay_json_write (root, FALSE);
}

static gboolean
queue_operation (sqlite3     *db,
                 const char  *dispute_id,
                 const char  *action,
                 const char  *data,
                 GError     **error)
{
  /* the wire carries the whole dispute with its steps, never a patch (docs/sync-protocol.md) */
  g_autofree char *whole = _assay_store_dispute_wire_data (db, dispute_id, error);
  AssayStoreOutboxOp op = { .collection = "disputes", .object_id = dispute_id, .action = action,
                            .data = whole, .base_rev_of = "dispute" };

  (void) data;
  return whole != NULL && _assay_store_enqueue (db, &op, error);
}

/* ---- raise ---- */

typedef struct
{
  const AssayDisputeRaise *raise;
  char                    *id;   /* out */
} RaiseCall;

static gboolean
raise_locked (sqlite3  *db,
              gpointer  data,
              GError  **error)
{
  RaiseCall *call = data;
  const AssayDisputeRaise *r = call->raise;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) open = NULL;
  g_autoptr(sqlite3_stmt) stages = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(JsonBuilder) items = json_builder_new ();
  g_autoptr(JsonBuilder) op = json_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *reason = g_strstrip (g_strdup (r->reason ? r->reason : ""));
  g_autofree char *items_json = NULL;
  g_autofree char *op_json = NULL;
  g_autofree char *revision_id = NULL;
  g_autofree char *agent_id = NULL;
  g_autofree char *lead_id = NULL;
  g_autofree char *id = assay_uuid_new ();
  gint64 now = r->now > 0 ? r->now : assay_now_ms ();
  gint64 submitted_at;
  int rc, n_stages = 0;

  if (*reason == '\0')
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A dispute needs a reason: say what is wrong with the evaluation"));
      return FALSE;
    }
  find = _assay_store_prepare (db, "SELECT e.state, e.current_revision_id, r.created_at,"
                                   " fv.definition, i.agent_id, t.lead_id"
                                   " FROM evaluation e"
                                   " LEFT JOIN evaluation_revision r ON r.id = e.current_revision_id"
                                   " JOIN form_version fv ON fv.id = e.form_version_id"
                                   " JOIN interaction i ON i.id = e.interaction_id"
                                   " LEFT JOIN team t ON t.id = i.team_id WHERE e.id = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, r->evaluation_id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (find)) != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The evaluation %s does not exist"), r->evaluation_id);
      return FALSE;
    }
  if (g_strcmp0 (_assay_store_column_text (find, 0), "submitted") != 0
      || sqlite3_column_type (find, 1) == SQLITE_NULL)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("Only a submitted evaluation can be disputed: this one is a draft"));
      return FALSE;
    }
  revision_id = _assay_store_column_dup (find, 1);
  submitted_at = sqlite3_column_int64 (find, 2);
  agent_id = _assay_store_column_dup (find, 4);
  lead_id = _assay_store_column_dup (find, 5);
  if (now - submitted_at > (gint64) r->window_days * ASSAY_DISPUTE_DAY_MS)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The evaluation was submitted more than %u day ago: the window "
                                "for disputes has closed",
                                "The evaluation was submitted more than %u days ago: the window "
                                "for disputes has closed", r->window_days),
                   r->window_days);
      return FALSE;
    }

  form = assay_form_from_json (_assay_store_column_text (find, 3), -1, error);
  if (form == NULL)
    return FALSE;
  json_builder_begin_array (items);
  for (guint i = 0; r->items != NULL && r->items[i] != NULL; i++)
    {
      if (assay_form_lookup_item (form, r->items[i]) < 0)
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                       _("The scorecard has no item “%s”: dispute items of this evaluation's "
                         "scorecard"), r->items[i]);
          return FALSE;
        }
      if (!g_hash_table_add (seen, (gpointer) r->items[i]))
        continue;
      json_builder_add_string_value (items, r->items[i]);
    }
  json_builder_end_array (items);
  items_json = builder_json (items);

  open = _assay_store_prepare (db, "SELECT 1 FROM dispute WHERE evaluation_id = ? AND state = 'open'",
                               error);
  if (open == NULL)
    return FALSE;
  sqlite3_bind_text (open, 1, r->evaluation_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (open) == SQLITE_ROW)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("This evaluation is disputed already: add to the open dispute or "
                             "wait for its decision"));
      return FALSE;
    }

  insert = _assay_store_prepare (db, "INSERT INTO dispute (id, evaluation_id, revision_id, agent_id,"
                                     " raised_by, on_behalf, items, reason, state, current_step,"
                                     " raised_at, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', 1, ?, 1)",
                                 error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, r->evaluation_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, revision_id, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (insert, 4, agent_id);
  _assay_store_bind_text_or_null (insert, 5, r->raised_by);
  sqlite3_bind_int (insert, 6, r->on_behalf ? 1 : 0);
  sqlite3_bind_text (insert, 7, items_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 8, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 9, now);
  if (!_assay_store_step_done (db, insert, error))
    return FALSE;
  g_clear_pointer (&insert, sqlite3_finalize);

  /* every configured step now: a dispute keeps the steps it started with */
  stages = _assay_store_prepare (db, "SELECT position, role, deadline_days FROM dispute_stage"
                                     " ORDER BY position", error);
  insert = _assay_store_prepare (db, "INSERT INTO dispute_step (dispute_id, position, role,"
                                     " assignee_id, deadline_days, started_at, due_at)"
                                     " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stages == NULL || insert == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stages)) == SQLITE_ROW)
    {
      const char *role = _assay_store_column_text (stages, 1);
      int days = sqlite3_column_int (stages, 2);

      n_stages++;
      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (insert, 2, n_stages);
      sqlite3_bind_text (insert, 3, role, -1, SQLITE_TRANSIENT);
      _assay_store_bind_text_or_null (insert, 4, g_str_equal (role, "lead") ? lead_id : NULL);
      sqlite3_bind_int (insert, 5, days);
      _assay_store_bind_int_or_null (insert, 6, now, n_stages != 1);
      _assay_store_bind_int_or_null (insert, 7, now + days * ASSAY_DISPUTE_DAY_MS, n_stages != 1);
      if (!_assay_store_step_done (db, insert, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  if (n_stages == 0)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("No dispute steps are configured: a manager sets them up first"));
      return FALSE;
    }
  _assay_store_note_change (db, ASSAY_STORE_DISPUTES, id);

  json_builder_begin_object (op);
  json_builder_set_member_name (op, "evaluationId");
  json_builder_add_string_value (op, r->evaluation_id);
  json_builder_set_member_name (op, "revisionId");
  json_builder_add_string_value (op, revision_id);
  json_builder_set_member_name (op, "agentId");
  if (agent_id != NULL)
    json_builder_add_string_value (op, agent_id);
  else
    json_builder_add_null_value (op);
  json_builder_set_member_name (op, "raisedBy");
  json_builder_add_string_value (op, r->raised_by);
  json_builder_set_member_name (op, "onBehalf");
  json_builder_add_boolean_value (op, r->on_behalf);
  json_builder_set_member_name (op, "items");
  json_builder_add_value (op, json_from_string (items_json, NULL));
  json_builder_set_member_name (op, "reason");
  json_builder_add_string_value (op, reason);
  json_builder_set_member_name (op, "raisedAt");
  json_builder_add_int_value (op, now);
  json_builder_end_object (op);
  op_json = builder_json (op);
  if (!queue_operation (db, id, "create", op_json, error))
    return FALSE;

  call->id = g_steal_pointer (&id);
  return TRUE;
}

static gpointer
raise_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  RaiseCall call = { data, NULL };

  if (((AssayDisputeRaise *) data)->evaluation_id == NULL
      || ((AssayDisputeRaise *) data)->raised_by == NULL)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A dispute needs its evaluation and who raises it"));
      return NULL;
    }
  if (!_assay_store_in_transaction_ok (db, raise_locked, &call, error))
    {
      g_free (call.id);
      return NULL;
    }
  return call.id;
}

static void
raise_copy_free (AssayDisputeRaise *r)
{
  g_free ((char *) r->evaluation_id);
  g_free ((char *) r->raised_by);
  g_free ((char *) r->reason);
  g_strfreev ((char **) r->items);
  g_free (r);
}

void
assay_store_raise_dispute_async (AssayStore              *store,
                                 const AssayDisputeRaise *raise,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  AssayDisputeRaise *copy = g_new0 (AssayDisputeRaise, 1);

  *copy = *raise;
  copy->evaluation_id = g_strdup (raise->evaluation_id);
  copy->raised_by = g_strdup (raise->raised_by);
  copy->reason = g_strdup (raise->reason);
  copy->items = (const char * const *) g_strdupv ((char **) raise->items);
  _assay_store_run_async (store, raise_func, copy, (GDestroyNotify) raise_copy_free, g_free,
                          assay_store_raise_dispute_async, cancellable, callback, user_data);
}

char *
assay_store_raise_dispute_finish (AssayStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

char *
assay_store_raise_dispute_sync (AssayStore              *store,
                                const AssayDisputeRaise *raise,
                                GError                 **error)
{
  return _assay_store_run_sync (store, raise_func, (gpointer) raise, error);
}

/* ---- decide ---- */

static gboolean
answer_equal (const AssayAnswer *a,
              const AssayAnswer *b)
{
  if (a->state != b->state)
    return FALSE;
  if (a->state != ASSAY_ANSWER_VALUE)
    return TRUE;
  return a->choice == b->choice && a->choices == b->choices
         && (a->value == b->value || (isnan (a->value) && isnan (b->value)))
         && g_strcmp0 (a->text, b->text) == 0;
}

typedef struct
{
  const AssayDisputeDecision *d;
  int                         number;   /* out: the amendment's revision number, or 0 */
} DecideCall;

/* The amendment of an upheld outcome: checks the new answers and writes the revision. */
static gboolean
amend_for_outcome (sqlite3     *db,
                   const char  *evaluation_id,
                   const char  *items_json,
                   const char  *dispute_reason,
                   DecideCall  *call,
                   char       **revision_id,
                   char       **upheld_items,
                   GError     **error)
{
  const AssayDisputeDecision *d = call->d;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) before = NULL;
  g_autoptr(AssayAnswers) after = NULL;
  g_autoptr(AssayScore) score = NULL;
  g_autoptr(GArray) problems = NULL;
  g_autoptr(JsonNode) disputed = json_from_string (items_json, NULL);
  g_autoptr(JsonBuilder) changed = json_builder_new ();
  g_autoptr(GHashTable) allowed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *answers_json = NULL;
  g_autofree char *results = NULL;
  g_autofree char *reason = NULL;
  JsonArray *array = disputed != NULL ? json_node_get_array (disputed) : NULL;
  guint n_changed = 0;

  stmt = _assay_store_prepare (db, "SELECT fv.definition, r.answers FROM evaluation e"
                                   " JOIN form_version fv ON fv.id = e.form_version_id"
                                   " JOIN evaluation_revision r ON r.id = e.current_revision_id"
                                   " WHERE e.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, evaluation_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The evaluation %s does not exist"), evaluation_id);
      return FALSE;
    }
  form = assay_form_from_json (_assay_store_column_text (stmt, 0), -1, error);
  if (form == NULL)
    return FALSE;
  before = assay_answers_from_json (form, _assay_store_column_text (stmt, 1), -1, error);
  if (before == NULL)
    return FALSE;
  after = assay_answers_from_json (form, d->answers, -1, error);
  if (after == NULL)
    {
      g_prefix_error (error, _("The new answers cannot be read: "));
      return FALSE;
    }
  problems = assay_answers_check_submit (after);
  if (problems->len > 0)
    {
      const AssayProblem *p = &g_array_index (problems, AssayProblem, 0);

      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The new answers cannot be submitted: item “%s” needs an answer, a "
                     "comment or a confirmation"),
                   assay_form_get_item (form, p->item)->id);
      return FALSE;
    }

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_hash_table_add (allowed, (gpointer) json_array_get_string_element (array, i));
  json_builder_begin_array (changed);
  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);

      if (answer_equal (assay_answers_get (before, i), assay_answers_get (after, i)))
        continue;
      if (g_hash_table_size (allowed) > 0 && !g_hash_table_contains (allowed, item->id))
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                       _("The item “%s” is not disputed: a dispute changes only the items it "
                         "names"), item->id);
          return FALSE;
        }
      json_builder_add_string_value (changed, item->id);
      n_changed++;
    }
  json_builder_end_array (changed);
  if (n_changed == 0)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("An upheld dispute changes at least one answer: give the disputed "
                             "items their new answers, or reject the dispute"));
      return FALSE;
    }

  score = assay_score_compute (after);
  answers_json = assay_answers_to_json (after);
  results = assay_score_to_json (score, FALSE);
  reason = g_strdup_printf (g_str_equal (d->decision, "upheld") ? _("Dispute upheld: %s")
                                                                 : _("Dispute partly upheld: %s"),
                            dispute_reason);
  call->number = _assay_store_amend_locked (db, evaluation_id, d->decided_by, answers_json,
                                            score->overall, results, reason, revision_id, error);
  if (call->number == 0)
    return FALSE;
  *upheld_items = builder_json (changed);
  return TRUE;
}

static gboolean
decide_locked (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  DecideCall *call = data;
  const AssayDisputeDecision *d = call->d;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) op = json_builder_new ();
  g_autofree char *evaluation_id = NULL;
  g_autofree char *items = NULL;
  g_autofree char *dispute_reason = NULL;
  g_autofree char *revision_id = NULL;
  g_autofree char *upheld_items = NULL;
  g_autofree char *op_json = NULL;
  g_autofree char *comment = g_strstrip (g_strdup (d->comment ? d->comment : ""));
  gint64 now = d->now > 0 ? d->now : assay_now_ms ();
  gboolean last;
  int current;

  find = _assay_store_prepare (db, "SELECT d.state, d.current_step, d.evaluation_id, d.items, d.reason,"
                                   " (SELECT max(position) FROM dispute_step WHERE dispute_id = d.id)"
                                   " FROM dispute d WHERE d.id = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, d->dispute_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The dispute %s does not exist"), d->dispute_id);
      return FALSE;
    }
  if (g_strcmp0 (_assay_store_column_text (find, 0), "open") != 0)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("This dispute is closed: its outcome stands"));
      return FALSE;
    }
  current = sqlite3_column_int (find, 1);
  evaluation_id = _assay_store_column_dup (find, 2);
  items = _assay_store_column_dup (find, 3);
  dispute_reason = _assay_store_column_dup (find, 4);
  last = current == sqlite3_column_int (find, 5);
  if (d->position != current)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("Step %d of this dispute is not the one under review (step %d is): "
                     "reload the dispute"), d->position, current);
      return FALSE;
    }
  if (!assay_dispute_decision_is_valid (d->decision))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("Decide the step as upheld, partly upheld or rejected"));
      return FALSE;
    }
  if (!assay_dispute_reason_is_valid (d->reason))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("Choose a reason for the decision from the list"));
      return FALSE;
    }
  if (d->decided_by == NULL)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A decision needs the person who decides"));
      return FALSE;
    }
  if (d->answers != NULL && (!last || g_str_equal (d->decision, "rejected")))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           last ? _("A rejected dispute leaves the answers as they are")
                                : _("Only the last step of a dispute changes answers: decide "
                                    "this step without new answers"));
      return FALSE;
    }
  if (last && !g_str_equal (d->decision, "rejected"))
    {
      if (d->answers == NULL)
        {
          g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                               _("An upheld dispute needs the new answers of the items it "
                                 "changes"));
          return FALSE;
        }
      if (!amend_for_outcome (db, evaluation_id, items, dispute_reason, call, &revision_id,
                              &upheld_items, error))
        return FALSE;
    }

  stmt = _assay_store_prepare (db, "UPDATE dispute_step SET decision = ?, reason = ?, comment = ?,"
                                   " upheld_items = ?, decided_by = ?, decided_at = ?"
                                   " WHERE dispute_id = ? AND position = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->decision, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, d->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, comment, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 4, upheld_items);
  sqlite3_bind_text (stmt, 5, d->decided_by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_text (stmt, 7, d->dispute_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 8, current);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (last)
    {
      stmt = _assay_store_prepare (db, "UPDATE dispute SET state = ?, current_step = NULL,"
                                       " closed_at = ?, outcome_revision_id = ?, dirty = 1"
                                       " WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, d->decision, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      _assay_store_bind_text_or_null (stmt, 3, revision_id);
      sqlite3_bind_text (stmt, 4, d->dispute_id, -1, SQLITE_TRANSIENT);
      if (!_assay_store_step_done (db, stmt, error))
        return FALSE;
    }
  else
    {
      /* the next step's deadline counts from now */
      stmt = _assay_store_prepare (db, "UPDATE dispute_step SET started_at = ?1,"
                                       " due_at = ?1 + deadline_days * ?2"
                                       " WHERE dispute_id = ?3 AND position = ?4", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, ASSAY_DISPUTE_DAY_MS);
      sqlite3_bind_text (stmt, 3, d->dispute_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, current + 1);
      if (!_assay_store_step_done (db, stmt, error))
        return FALSE;
      g_clear_pointer (&stmt, sqlite3_finalize);
      stmt = _assay_store_prepare (db, "UPDATE dispute SET current_step = ?, dirty = 1 WHERE id = ?",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, current + 1);
      sqlite3_bind_text (stmt, 2, d->dispute_id, -1, SQLITE_TRANSIENT);
      if (!_assay_store_step_done (db, stmt, error))
        return FALSE;
    }
  _assay_store_note_change (db, ASSAY_STORE_DISPUTES, d->dispute_id);

  json_builder_begin_object (op);
  json_builder_set_member_name (op, "step");
  json_builder_add_int_value (op, current);
  json_builder_set_member_name (op, "decision");
  json_builder_add_string_value (op, d->decision);
  json_builder_set_member_name (op, "reason");
  json_builder_add_string_value (op, d->reason);
  json_builder_set_member_name (op, "comment");
  json_builder_add_string_value (op, comment);
  json_builder_set_member_name (op, "decidedBy");
  json_builder_add_string_value (op, d->decided_by);
  json_builder_set_member_name (op, "decidedAt");
  json_builder_add_int_value (op, now);
  json_builder_set_member_name (op, "outcomeRevisionId");
  if (revision_id != NULL)
    json_builder_add_string_value (op, revision_id);
  else
    json_builder_add_null_value (op);
  json_builder_end_object (op);
  op_json = builder_json (op);
  return queue_operation (db, d->dispute_id, "update", op_json, error);
}

static gpointer
decide_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  DecideCall call = { data, 0 };

  if (call.d->dispute_id == NULL)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A decision needs its dispute"));
      return NULL;
    }
  if (!_assay_store_in_transaction_ok (db, decide_locked, &call, error))
    return NULL;
  return g_memdup2 (&call.number, sizeof call.number);
}

static void
decision_copy_free (AssayDisputeDecision *d)
{
  g_free ((char *) d->dispute_id);
  g_free ((char *) d->decided_by);
  g_free ((char *) d->decision);
  g_free ((char *) d->reason);
  g_free ((char *) d->comment);
  g_free ((char *) d->answers);
  g_free (d);
}

void
assay_store_decide_dispute_async (AssayStore                 *store,
                                  const AssayDisputeDecision *decision,
                                  GCancellable               *cancellable,
                                  GAsyncReadyCallback         callback,
                                  gpointer                    user_data)
{
  AssayDisputeDecision *copy = g_new0 (AssayDisputeDecision, 1);

  *copy = *decision;
  copy->dispute_id = g_strdup (decision->dispute_id);
  copy->decided_by = g_strdup (decision->decided_by);
  copy->decision = g_strdup (decision->decision);
  copy->reason = g_strdup (decision->reason);
  copy->comment = g_strdup (decision->comment);
  copy->answers = g_strdup (decision->answers);
  _assay_store_run_async (store, decide_func, copy, (GDestroyNotify) decision_copy_free, g_free,
                          assay_store_decide_dispute_async, cancellable, callback, user_data);
}

int
assay_store_decide_dispute_finish (AssayStore    *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_autofree int *number = _assay_store_run_finish (store, result, error);

  return number != NULL ? *number : -1;
}

int
assay_store_decide_dispute_sync (AssayStore                 *store,
                                 const AssayDisputeDecision *decision,
                                 GError                    **error)
{
  g_autofree int *number = _assay_store_run_sync (store, decide_func, (gpointer) decision, error);

  return number != NULL ? *number : -1;
}

/* ---- withdraw ---- */

typedef struct
{
  char *dispute_id;
  char *by;
} WithdrawCall;

static void
withdraw_call_free (WithdrawCall *call)
{
  g_free (call->dispute_id);
  g_free (call->by);
  g_free (call);
}

static gboolean
withdraw_locked (sqlite3  *db,
                 gpointer  data,
                 GError  **error)
{
  WithdrawCall *call = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *op_json = NULL;
  gint64 now = assay_now_ms ();

  stmt = _assay_store_prepare (db, "UPDATE dispute SET state = 'withdrawn', current_step = NULL,"
                                   " closed_at = ?, dirty = 1 WHERE id = ? AND state = 'open'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, call->dispute_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("Only an open dispute can be withdrawn"));
      return FALSE;
    }
  _assay_store_note_change (db, ASSAY_STORE_DISPUTES, call->dispute_id);
  op_json = g_strdup_printf ("{\"state\":\"withdrawn\",\"closedAt\":%" G_GINT64_FORMAT "}", now);
  return queue_operation (db, call->dispute_id, "update", op_json, error);
}

static gpointer
withdraw_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  return _assay_store_in_transaction_ok (db, withdraw_locked, data, error) ? GINT_TO_POINTER (1)
                                                                           : NULL;
}

void
assay_store_withdraw_dispute_async (AssayStore          *store,
                                    const char          *dispute_id,
                                    const char          *by,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  WithdrawCall *call = g_new0 (WithdrawCall, 1);

  call->dispute_id = g_strdup (dispute_id);
  call->by = g_strdup (by);
  _assay_store_run_async (store, withdraw_func, call, (GDestroyNotify) withdraw_call_free, NULL,
                          assay_store_withdraw_dispute_async, cancellable, callback, user_data);
}

gboolean
assay_store_withdraw_dispute_finish (AssayStore    *store,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

/* ---- configured steps ---- */

static gboolean
set_stages_locked (sqlite3  *db,
                   gpointer  data,
                   GError  **error)
{
  GPtrArray *stages = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (stages->len == 0)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A dispute needs at least one step"));
      return FALSE;
    }
  if (!_assay_store_exec (db, "DELETE FROM dispute_stage", error))
    return FALSE;
  stmt = _assay_store_prepare (db, "INSERT INTO dispute_stage (position, role, deadline_days, dirty)"
                                   " VALUES (?, ?, ?, 1)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < stages->len; i++)
    {
      const AssayDisputeStage *s = g_ptr_array_index (stages, i);

      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, (int) i + 1);
      _assay_store_bind_text_or_null (stmt, 2, s->role);
      sqlite3_bind_int (stmt, 3, s->deadline_days);
      if (!_assay_store_step_done (db, stmt, error))
        {
          g_prefix_error (error, _("Step %u needs the role lead or manager and 1 to 365 days: "),
                          i + 1);
          return FALSE;
        }
    }
  _assay_store_note_change (db, ASSAY_STORE_DISPUTES, NULL);
  return TRUE;
}

static gpointer
set_stages_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return _assay_store_in_transaction_ok (db, set_stages_locked, data, error) ? GINT_TO_POINTER (1)
                                                                             : NULL;
}

gboolean
assay_store_set_dispute_stages_sync (AssayStore  *store,
                                     GPtrArray   *stages,
                                     GError     **error)
{
  return _assay_store_run_sync (store, set_stages_func, stages, error) != NULL;
}
