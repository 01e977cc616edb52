/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <glib/gi18n-lib.h>

#include "assay-store-disputes.h"
#include "assay-store-private.h"
#include "core/assay-util.h"

/* Reading disputes: the lists, one dispute with its steps, the configured steps. */

static const char *const reasons[] = {
  "evidence_supports_agent", "item_misapplied", "missing_context", "policy_unclear",
  "evaluation_correct", "other", NULL
};

const char * const *
assay_dispute_reasons (void)
{
  return reasons;
}

gboolean
assay_dispute_reason_is_valid (const char *code)
{
  return code != NULL && g_strv_contains (reasons, code);
}

gboolean
assay_dispute_decision_is_valid (const char *decision)
{
  return g_strcmp0 (decision, "upheld") == 0 || g_strcmp0 (decision, "partly_upheld") == 0
         || g_strcmp0 (decision, "rejected") == 0;
}

void
assay_dispute_stage_free (AssayDisputeStage *stage)
{
  if (stage == NULL)
    return;
  g_free (stage->role);
  g_free (stage);
}

void
assay_dispute_step_free (AssayDisputeStep *s)
{
  if (s == NULL)
    return;
  g_free (s->role);
  g_free (s->assignee_id);
  g_free (s->assignee_name);
  g_free (s->decision);
  g_free (s->reason);
  g_free (s->comment);
  g_free (s->upheld_items);
  g_free (s->decided_by);
  g_free (s->decided_by_name);
  g_free (s);
}

void
assay_dispute_record_free (AssayDisputeRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->evaluation_id);
  g_free (r->revision_id);
  g_free (r->agent_id);
  g_free (r->agent_name);
  g_free (r->raised_by);
  g_free (r->raised_by_name);
  g_free (r->items);
  g_free (r->reason);
  g_free (r->state);
  g_free (r->current_role);
  g_free (r->outcome_revision_id);
  g_free (r->inspector_id);
  g_free (r->inspector_name);
  g_free (r->form_name);
  g_free (r->channel);
  g_clear_pointer (&r->steps, g_ptr_array_unref);
  g_free (r);
}

gboolean
assay_dispute_record_is_overdue (const AssayDisputeRecord *record,
                                 gint64                    now)
{
  return g_strcmp0 (record->state, "open") == 0 && record->due_at > 0 && now > record->due_at;
}

#define RECORD_SQL \
  "SELECT d.id, d.evaluation_id, d.revision_id, rv.number, d.agent_id, a.name, d.raised_by," \
  " rb.name, d.on_behalf, d.items, d.reason, d.state, coalesce (d.current_step, 0)," \
  " (SELECT count(*) FROM dispute_step WHERE dispute_id = d.id), cs.role, cs.due_at," \
  " d.outcome_revision_id, orv.number, d.raised_at, d.closed_at, d.acknowledged_at," \
  " e.inspector_id, ins.name, f.name, fv.version, i.channel, i.started_at, cr.score" \
  " FROM dispute d" \
  " JOIN evaluation e ON e.id = d.evaluation_id" \
  " JOIN evaluation_revision rv ON rv.id = d.revision_id" \
  " LEFT JOIN evaluation_revision cr ON cr.id = e.current_revision_id" \
  " LEFT JOIN evaluation_revision orv ON orv.id = d.outcome_revision_id" \
  " LEFT JOIN dispute_step cs ON cs.dispute_id = d.id AND cs.position = d.current_step" \
  " LEFT JOIN agent a ON a.id = d.agent_id" \
  " LEFT JOIN staff rb ON rb.id = d.raised_by" \
  " LEFT JOIN staff ins ON ins.id = e.inspector_id" \
  " JOIN interaction i ON i.id = e.interaction_id" \
  " JOIN form_version fv ON fv.id = e.form_version_id" \
  " JOIN form f ON f.id = fv.form_id"

static AssayDisputeRecord *
read_record (sqlite3_stmt *stmt)
{
  AssayDisputeRecord *r = g_new0 (AssayDisputeRecord, 1);

  r->id = _assay_store_column_dup (stmt, 0);
  r->evaluation_id = _assay_store_column_dup (stmt, 1);
  r->revision_id = _assay_store_column_dup (stmt, 2);
  r->revision_number = sqlite3_column_int (stmt, 3);
  r->agent_id = _assay_store_column_dup (stmt, 4);
  r->agent_name = _assay_store_column_dup (stmt, 5);
  r->raised_by = _assay_store_column_dup (stmt, 6);
  r->raised_by_name = _assay_store_column_dup (stmt, 7);
  r->on_behalf = sqlite3_column_int (stmt, 8);
  r->items = _assay_store_column_dup (stmt, 9);
  r->reason = _assay_store_column_dup (stmt, 10);
  r->state = _assay_store_column_dup (stmt, 11);
  r->current_step = sqlite3_column_int (stmt, 12);
  r->n_steps = sqlite3_column_int (stmt, 13);
  r->current_role = _assay_store_column_dup (stmt, 14);
  r->due_at = sqlite3_column_int64 (stmt, 15);
  r->outcome_revision_id = _assay_store_column_dup (stmt, 16);
  r->outcome_revision_number = sqlite3_column_int (stmt, 17);
  r->raised_at = sqlite3_column_int64 (stmt, 18);
  r->closed_at = sqlite3_column_int64 (stmt, 19);
  r->acknowledged_at = sqlite3_column_int64 (stmt, 20);
  r->inspector_id = _assay_store_column_dup (stmt, 21);
  r->inspector_name = _assay_store_column_dup (stmt, 22);
  r->form_name = _assay_store_column_dup (stmt, 23);
  r->form_version = sqlite3_column_int (stmt, 24);
  r->channel = _assay_store_column_dup (stmt, 25);
  r->interaction_started_at = sqlite3_column_int64 (stmt, 26);
  r->score = sqlite3_column_type (stmt, 27) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 27);
  return r;
}

/* ---- lists ---- */

typedef struct
{
  char   *state;
  char   *evaluation_id;
  char   *agent_id;
  gint64  now;
  guint   limit;
} ListArgs;

static void
list_args_free (ListArgs *a)
{
  g_free (a->state);
  g_free (a->evaluation_id);
  g_free (a->agent_id);
  g_free (a);
}

static gpointer
list_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  ListArgs *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_dispute_record_free);
  const char *where;
  int rc;

  /* each filter reads an index: dispute_state, dispute_evaluation, dispute_agent */
  if (g_strcmp0 (a->state, "open") == 0)
    where = " WHERE d.state = 'open'";
  else if (g_strcmp0 (a->state, "overdue") == 0)
    where = " WHERE d.state = 'open' AND cs.due_at < ?4";
  else if (g_strcmp0 (a->state, "decided") == 0)
    where = " WHERE d.state IN ('upheld', 'partly_upheld', 'rejected') AND d.acknowledged_at IS NULL";
  else if (g_strcmp0 (a->state, "closed") == 0)
    where = " WHERE d.state <> 'open'";
  else
    where = " WHERE 1";
  {
    g_autofree char *sql = g_strconcat (RECORD_SQL, where,
                                        " AND (?1 IS NULL OR d.evaluation_id = ?1)"
                                        " AND (?2 IS NULL OR d.agent_id = ?2)"
                                        " ORDER BY d.raised_at DESC, d.id LIMIT ?3", NULL);

    stmt = _assay_store_prepare (db, sql, error);
  }
  if (stmt == NULL)
    return NULL;
  _assay_store_bind_text_or_null (stmt, 1, a->evaluation_id);
  _assay_store_bind_text_or_null (stmt, 2, a->agent_id);
  sqlite3_bind_int64 (stmt, 3, a->limit ? a->limit : G_MAXINT);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    sqlite3_bind_int64 (stmt, 4, a->now > 0 ? a->now : assay_now_ms ());
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, read_record (stmt));
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static ListArgs *
list_args (const AssayDisputeFilter *filter)
{
  ListArgs *a = g_new0 (ListArgs, 1);

  a->state = g_strdup (filter->state);
  a->evaluation_id = g_strdup (filter->evaluation_id);
  a->agent_id = g_strdup (filter->agent_id);
  a->now = filter->now;
  a->limit = filter->limit;
  return a;
}

void
assay_store_list_disputes_async (AssayStore               *store,
                                 const AssayDisputeFilter *filter,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  _assay_store_run_async (store, list_func, list_args (filter), (GDestroyNotify) list_args_free,
                          (GDestroyNotify) g_ptr_array_unref, assay_store_list_disputes_async,
                          cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_disputes_finish (AssayStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_disputes_sync (AssayStore               *store,
                                const AssayDisputeFilter *filter,
                                GError                  **error)
{
  ListArgs *a = list_args (filter);
  GPtrArray *out = _assay_store_run_sync (store, list_func, a, error);

  list_args_free (a);
  return out;
}

/* ---- one dispute ---- */

typedef struct
{
  const char         *id;
  AssayDisputeRecord *record;   /* out */
} GetCall;

static gboolean
get_locked (sqlite3  *db,
            gpointer  data,
            GError  **error)
{
  GetCall *call = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) steps = NULL;
  g_autoptr(AssayDisputeRecord) r = NULL;
  int rc;

  stmt = _assay_store_prepare (db, RECORD_SQL " WHERE d.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, call->id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The dispute %s does not exist"), call->id);
      return FALSE;
    }
  r = read_record (stmt);
  r->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_dispute_step_free);

  steps = _assay_store_prepare (db, "SELECT s.position, s.role, s.assignee_id, an.name, s.started_at,"
                                    " s.due_at, s.decision, s.reason, s.comment, s.upheld_items,"
                                    " s.decided_by, db.name, s.decided_at FROM dispute_step s"
                                    " LEFT JOIN staff an ON an.id = s.assignee_id"
                                    " LEFT JOIN staff db ON db.id = s.decided_by"
                                    " WHERE s.dispute_id = ? ORDER BY s.position", error);
  if (steps == NULL)
    return FALSE;
  sqlite3_bind_text (steps, 1, call->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (steps)) == SQLITE_ROW)
    {
      AssayDisputeStep *s = g_new0 (AssayDisputeStep, 1);

      s->position = sqlite3_column_int (steps, 0);
      s->role = _assay_store_column_dup (steps, 1);
      s->assignee_id = _assay_store_column_dup (steps, 2);
      s->assignee_name = _assay_store_column_dup (steps, 3);
      s->started_at = sqlite3_column_int64 (steps, 4);
      s->due_at = sqlite3_column_int64 (steps, 5);
      s->decision = _assay_store_column_dup (steps, 6);
      s->reason = _assay_store_column_dup (steps, 7);
      s->comment = _assay_store_column_dup (steps, 8);
      s->upheld_items = _assay_store_column_dup (steps, 9);
      s->decided_by = _assay_store_column_dup (steps, 10);
      s->decided_by_name = _assay_store_column_dup (steps, 11);
      s->decided_at = sqlite3_column_int64 (steps, 12);
      g_ptr_array_add (r->steps, s);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  call->record = g_steal_pointer (&r);
  return TRUE;
}

static gpointer
get_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  GetCall call = { data, NULL };

  if (!_assay_store_in_read_transaction (db, get_locked, &call, error))
    {
      assay_dispute_record_free (call.record);
      return NULL;
    }
  return call.record;
}

void
assay_store_get_dispute_async (AssayStore          *store,
                               const char          *dispute_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _assay_store_run_async (store, get_func, g_strdup (dispute_id), g_free,
                          (GDestroyNotify) assay_dispute_record_free, assay_store_get_dispute_async,
                          cancellable, callback, user_data);
}

AssayDisputeRecord *
assay_store_get_dispute_finish (AssayStore    *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayDisputeRecord *
assay_store_get_dispute_sync (AssayStore  *store,
                              const char  *dispute_id,
                              GError     **error)
{
  return _assay_store_run_sync (store, get_func, (gpointer) dispute_id, error);
}

/* ---- configured steps ---- */

static gpointer
stages_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_dispute_stage_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT position, role, deadline_days FROM dispute_stage"
                                   " ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayDisputeStage *s = g_new0 (AssayDisputeStage, 1);

      s->position = sqlite3_column_int (stmt, 0);
      s->role = _assay_store_column_dup (stmt, 1);
      s->deadline_days = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (out, s);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
assay_store_list_dispute_stages_async (AssayStore          *store,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  _assay_store_run_async (store, stages_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_dispute_stages_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_dispute_stages_finish (AssayStore    *store,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

/* ---- the packet's data ---- */

void
assay_dispute_packet_data_free (AssayDisputePacketData *d)
{
  if (d == NULL)
    return;
  g_free (d->evaluation_id);
  g_free (d->state);
  g_free (d->interaction_id);
  g_free (d->agent_name);
  g_free (d->team_name);
  g_free (d->inspector_name);
  g_free (d->form_name);
  g_free (d->form_definition);
  g_free (d->channel);
  g_free (d->queue);
  g_clear_pointer (&d->revisions, g_ptr_array_unref);
  g_clear_pointer (&d->disputes, g_ptr_array_unref);
  g_free (d);
}

typedef struct
{
  const char             *id;
  AssayDisputePacketData *data;   /* out */
} PacketCall;

static gboolean
packet_revisions (sqlite3                 *db,
                  AssayDisputePacketData  *d,
                  GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT r.id, r.number, r.author_id, s.name, r.created_at,"
                                   " r.reason, r.score, r.answers, r.results"
                                   " FROM evaluation_revision r LEFT JOIN staff s ON s.id = r.author_id"
                                   " WHERE r.evaluation_id = ? ORDER BY r.number", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->evaluation_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayRevisionRecord *r = g_new0 (AssayRevisionRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->number = sqlite3_column_int (stmt, 1);
      r->author_id = _assay_store_column_dup (stmt, 2);
      r->author_name = _assay_store_column_dup (stmt, 3);
      r->created_at = sqlite3_column_int64 (stmt, 4);
      r->reason = _assay_store_column_dup (stmt, 5);
      r->score = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 6);
      r->answers = _assay_store_column_dup (stmt, 7);
      r->results = _assay_store_column_dup (stmt, 8);
      g_ptr_array_add (d->revisions, r);
    }
  return rc == SQLITE_DONE || _assay_store_set_error (db, rc, error);
}

static gboolean
packet_disputes (sqlite3                 *db,
                 AssayDisputePacketData  *d,
                 GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  /* reads the index dispute_evaluation */
  stmt = _assay_store_prepare (db, "SELECT id FROM dispute WHERE evaluation_id = ?"
                                   " ORDER BY raised_at, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->evaluation_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, _assay_store_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  for (guint i = 0; i < ids->len; i++)
    {
      GetCall call = { g_ptr_array_index (ids, i), NULL };

      if (!get_locked (db, &call, error))
        return FALSE;
      g_ptr_array_add (d->disputes, call.record);
    }
  return TRUE;
}

static gboolean
packet_locked (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  PacketCall *call = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(AssayDisputePacketData) d = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT e.id, e.state, e.interaction_id, a.name, t.name, s.name,"
                                   " f.name, fv.version, fv.definition, i.channel, i.queue, i.started_at"
                                   " FROM evaluation e"
                                   " JOIN interaction i ON i.id = e.interaction_id"
                                   " JOIN form_version fv ON fv.id = e.form_version_id"
                                   " JOIN form f ON f.id = fv.form_id"
                                   " LEFT JOIN agent a ON a.id = i.agent_id"
                                   " LEFT JOIN team t ON t.id = i.team_id"
                                   " LEFT JOIN staff s ON s.id = e.inspector_id"
                                   " WHERE e.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, call->id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The evaluation %s does not exist"), call->id);
      return FALSE;
    }
  d = g_new0 (AssayDisputePacketData, 1);
  d->evaluation_id = _assay_store_column_dup (stmt, 0);
  d->state = _assay_store_column_dup (stmt, 1);
  d->interaction_id = _assay_store_column_dup (stmt, 2);
  d->agent_name = _assay_store_column_dup (stmt, 3);
  d->team_name = _assay_store_column_dup (stmt, 4);
  d->inspector_name = _assay_store_column_dup (stmt, 5);
  d->form_name = _assay_store_column_dup (stmt, 6);
  d->form_version = sqlite3_column_int (stmt, 7);
  d->form_definition = _assay_store_column_dup (stmt, 8);
  d->channel = _assay_store_column_dup (stmt, 9);
  d->queue = _assay_store_column_dup (stmt, 10);
  d->interaction_started_at = sqlite3_column_int64 (stmt, 11);
  d->revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_revision_record_free);
  d->disputes = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_dispute_record_free);
  if (!packet_revisions (db, d, error) || !packet_disputes (db, d, error))
    return FALSE;
  call->data = g_steal_pointer (&d);
  return TRUE;
}

static gpointer
packet_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  PacketCall call = { data, NULL };

  if (!_assay_store_in_read_transaction (db, packet_locked, &call, error))
    {
      assay_dispute_packet_data_free (call.data);
      return NULL;
    }
  return call.data;
}

AssayDisputePacketData *
assay_store_get_dispute_packet_data_sync (AssayStore  *store,
                                          const char  *evaluation_id,
                                          GError     **error)
{
  g_return_val_if_fail (evaluation_id != NULL, NULL);
  return _assay_store_run_sync (store, packet_func, (gpointer) evaluation_id, error);
}
