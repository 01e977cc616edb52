/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "core/assay-util.h"
#include "assay-store-coaching.h"
#include "assay-store-private.h"

#define DAY_MS (24 * 60 * 60 * (gint64) 1000)
#define BEFORE_DAYS 30

void
assay_coaching_session_record_free (AssayCoachingSessionRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->agent_id);
  g_free (r->agent_name);
  g_free (r->team_id);
  g_free (r->coach_id);
  g_free (r->coach_name);
  g_free (r->source);
  g_free (r->evaluation_id);
  g_free (r->kpi);
  g_free (r->focus);
  g_free (r->agenda);
  g_free (r->notes);
  g_free (r->state);
  g_free (r->ack_comment);
  g_free (r);
}

void
assay_coaching_goal_record_free (AssayCoachingGoalRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->session_id);
  g_free (r->description);
  g_free (r->metric);
  g_free (r->item_id);
  g_free (r->kpi);
  g_free (r);
}

void
assay_coaching_action_record_free (AssayCoachingActionRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->session_id);
  g_free (r->description);
  g_free (r->owner);
  g_free (r);
}

void
assay_overdue_record_free (AssayOverdueRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->kind);
  g_free (r->id);
  g_free (r->title);
  g_free (r->who);
  g_free (r);
}

gint64
assay_coaching_day_start_ms (GDateTime *now)
{
  g_autoptr(GDateTime) start = NULL;

  g_return_val_if_fail (now != NULL, 0);
  start = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                           g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                           0, 0, 0);
  return g_date_time_to_unix (start) * 1000;
}

typedef struct
{
  char     *id;
  char     *session_id;
  char     *agent_id;
  char     *coach_id;
  char     *evaluation_id;
  char     *kpi;
  char     *item_id;
  char     *text;
  char     *owner;
  gint64    at;
  double    target;
  gboolean  flag;
  GDateTime *now;
} Args;

static void
args_free (Args *a)
{
  g_free (a->id);
  g_free (a->session_id);
  g_free (a->agent_id);
  g_free (a->coach_id);
  g_free (a->evaluation_id);
  g_free (a->kpi);
  g_free (a->item_id);
  g_free (a->text);
  g_free (a->owner);
  g_clear_pointer (&a->now, g_date_time_unref);
  g_free (a);
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID, message);
  return FALSE;
}

static char *
row_json (sqlite3     *db,
          const char  *table,
          const char  *id,
          GError     **error)
{
  /* the row as a JSON object, the sync operation's data, read back as written */
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) cols = NULL;
  g_autoptr(GString) obj = g_string_new ("SELECT json_object (");
  char *q;
  int rc;
  gboolean first = TRUE;

  q = sqlite3_mprintf ("SELECT name FROM pragma_table_info (%Q)"
                       " WHERE name NOT IN ('rev', 'dirty')", table);
  cols = _assay_store_prepare (db, q, error);
  sqlite3_free (q);
  if (cols == NULL)
    return NULL;
  while ((rc = sqlite3_step (cols)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (cols, 0);

      q = sqlite3_mprintf ("%s%Q, \"%w\"", first ? "" : ", ", name, name);
      g_string_append (obj, q);
      sqlite3_free (q);
      first = FALSE;
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  q = sqlite3_mprintf (") FROM \"%w\" WHERE id = ?", table);
  g_string_append (obj, q);
  sqlite3_free (q);
  stmt = _assay_store_prepare (db, obj->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error), NULL;
  return _assay_store_column_dup (stmt, 0);
}

/* Marks the row dirty, queues its operation on @collection and announces the change. */
static gboolean
queue_row (sqlite3     *db,
           const char  *table,
           const char  *collection,
           const char  *id,
           const char  *action,
           GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET dirty = 1 WHERE id = ?", table);
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  AssayStoreOutboxOp op = { .collection = collection, .object_id = id, .action = action,
                            .base_rev = -1 };

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  data = row_json (db, table, id, error);
  if (data == NULL)
    return FALSE;
  op.data = data;
  if (g_strcmp0 (action, "create") != 0)
    op.base_rev_of = table;
  if (!_assay_store_enqueue (db, &op, error))
    return FALSE;
  _assay_store_note_change (db, ASSAY_STORE_COACHING, id);
  return TRUE;
}

/* ---- sessions ---- */

/* The yes/no items an evaluation's current revision answered "no": its coaching focus. */
static char *
lost_items (sqlite3     *db,
            const char  *evaluation_id,
            char       **agent_id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _assay_store_prepare (db,
    "SELECT i.agent_id, (SELECT json_group_array (a.key) FROM json_each (r.answers, '$.answers') a"
    "   WHERE json_extract (a.value, '$.value') = 'no')"
    " FROM evaluation e JOIN interaction i ON i.id = e.interaction_id"
    " LEFT JOIN evaluation_revision r ON r.id = e.current_revision_id"
    " WHERE e.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, evaluation_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return invalid (error, _("The evaluation to coach from no longer exists; pick another")),
           NULL;
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error), NULL;
  *agent_id = _assay_store_column_dup (stmt, 0);
  return g_strdup (sqlite3_column_type (stmt, 1) == SQLITE_NULL
                   ? "[]" : _assay_store_column_text (stmt, 1));
}

static gpointer
create_locked (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  Args *a = data;
  g_autofree char *id = assay_uuid_new ();
  g_autofree char *focus = NULL;
  g_autofree char *agent_id = g_strdup (a->agent_id);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *source = "scratch";
  gint64 now = assay_now_ms ();
  int rc;

  if (a->evaluation_id != NULL)
    {
      g_clear_pointer (&agent_id, g_free);
      focus = lost_items (db, a->evaluation_id, &agent_id, error);
      if (focus == NULL)
        return NULL;
      source = "evaluation";
    }
  else if (a->kpi != NULL)
    source = "kpi";
  if (agent_id == NULL)
    return invalid (error, _("Pick the agent to coach")), NULL;

  stmt = _assay_store_prepare (db, "INSERT INTO coaching_session (id, agent_id, coach_id, source,"
                                   " evaluation_id, kpi, focus, scheduled_at, agenda, created_at,"
                                   " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, agent_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->coach_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, source, -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (stmt, 5, a->evaluation_id);
  _assay_store_bind_text_or_null (stmt, 6, a->kpi);
  sqlite3_bind_text (stmt, 7, focus != NULL ? focus : "[]", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, a->at != 0 ? a->at : now);
  sqlite3_bind_text (stmt, 9, a->text != NULL ? a->text : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, now);
  sqlite3_bind_int64 (stmt, 11, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return invalid (error, _("The agent or the coach is not in the directory; sync or pick "
                             "another")), NULL;
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  if (!queue_row (db, "coaching_session", "coaching_sessions", id, "create", error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
create_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _assay_store_in_transaction (db, create_locked, data, g_free, error);
}

static Args *
create_args (const AssayCoachingSessionSpec *spec)
{
  Args *a = g_new0 (Args, 1);

  a->agent_id = g_strdup (spec->agent_id);
  a->coach_id = g_strdup (spec->coach_id);
  a->evaluation_id = g_strdup (spec->evaluation_id);
  a->kpi = g_strdup (spec->kpi);
  a->at = spec->scheduled_at;
  a->text = g_strdup (spec->agenda);
  return a;
}

void
assay_store_create_coaching_session_async (AssayStore                     *store,
                                           const AssayCoachingSessionSpec *spec,
                                           GCancellable                   *cancellable,
                                           GAsyncReadyCallback             callback,
                                           gpointer                        user_data)
{
  _assay_store_run_async (store, create_func, create_args (spec), (GDestroyNotify) args_free,
                          g_free, assay_store_create_coaching_session_async, cancellable,
                          callback, user_data);
}

char *
assay_store_create_coaching_session_finish (AssayStore    *store,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

char *
assay_store_create_coaching_session_sync (AssayStore                     *store,
                                          const AssayCoachingSessionSpec *spec,
                                          GError                        **error)
{
  Args *a = create_args (spec);
  char *id = _assay_store_run_sync (store, create_func, a, error);

  args_free (a);
  return id;
}

#define SESSION_SQL \
  "SELECT s.id, s.agent_id, ag.name, ag.team_id, s.coach_id, st.name, s.source," \
  " s.evaluation_id, s.kpi, s.focus, s.scheduled_at, s.agenda, s.notes, s.state," \
  " s.acknowledged_at, s.ack_comment," \
  " (SELECT count(*) FROM coaching_goal g WHERE g.session_id = s.id)," \
  " (SELECT count(*) FROM coaching_action c WHERE c.session_id = s.id)," \
  " (SELECT count(*) FROM coaching_action c WHERE c.session_id = s.id AND c.done_at IS NULL)" \
  " FROM coaching_session s JOIN agent ag ON ag.id = s.agent_id" \
  " LEFT JOIN staff st ON st.id = s.coach_id"

static gpointer
list_sessions_func (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, a->agent_id != NULL
                               ? SESSION_SQL " WHERE s.agent_id = ? ORDER BY s.scheduled_at DESC, s.id"
                               : SESSION_SQL " ORDER BY s.scheduled_at DESC, s.id", error);
  if (stmt == NULL)
    return NULL;
  if (a->agent_id != NULL)
    sqlite3_bind_text (stmt, 1, a->agent_id, -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_coaching_session_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCoachingSessionRecord *r = g_new0 (AssayCoachingSessionRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->agent_id = _assay_store_column_dup (stmt, 1);
      r->agent_name = _assay_store_column_dup (stmt, 2);
      r->team_id = _assay_store_column_dup (stmt, 3);
      r->coach_id = _assay_store_column_dup (stmt, 4);
      r->coach_name = _assay_store_column_dup (stmt, 5);
      r->source = _assay_store_column_dup (stmt, 6);
      r->evaluation_id = _assay_store_column_dup (stmt, 7);
      r->kpi = _assay_store_column_dup (stmt, 8);
      r->focus = _assay_store_column_dup (stmt, 9);
      r->scheduled_at = sqlite3_column_int64 (stmt, 10);
      r->agenda = _assay_store_column_dup (stmt, 11);
      r->notes = _assay_store_column_dup (stmt, 12);
      r->state = _assay_store_column_dup (stmt, 13);
      r->acknowledged_at = sqlite3_column_int64 (stmt, 14);
      r->ack_comment = _assay_store_column_dup (stmt, 15);
      r->n_goals = sqlite3_column_int (stmt, 16);
      r->n_actions = sqlite3_column_int (stmt, 17);
      r->n_actions_open = sqlite3_column_int (stmt, 18);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

static Args *
agent_args (const char *agent_id)
{
  Args *a = g_new0 (Args, 1);

  a->agent_id = g_strdup (agent_id);
  return a;
}

void
assay_store_list_coaching_sessions_async (AssayStore          *store,
                                          const char          *agent_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  _assay_store_run_async (store, list_sessions_func, agent_args (agent_id),
                          (GDestroyNotify) args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_coaching_sessions_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_list_coaching_sessions_finish (AssayStore    *store,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_coaching_sessions_sync (AssayStore  *store,
                                         const char  *agent_id,
                                         GError     **error)
{
  Args *a = agent_args (agent_id);
  GPtrArray *list = _assay_store_run_sync (store, list_sessions_func, a, error);

  args_free (a);
  return list;
}

/* ---- goals and actions ---- */

static gpointer
add_goal_locked (sqlite3  *db,
                 gpointer  data,
                 GError  **error)
{
  Args *a = data;
  g_autofree char *id = assay_uuid_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (a->text == NULL || *g_strstrip (a->text) == '\0')
    /* xgettext:no-c-format */
    return invalid (error, _("Describe the goal, e.g. “Verified identity in 90 % of calls”")),
           NULL;
  if ((a->item_id == NULL) == (a->kpi == NULL))
    return invalid (error, _("Measure the goal by one form item or one KPI")), NULL;
  if (a->target < 0 || (a->item_id != NULL && a->target > 1))
    return invalid (error, _("The goal's target is out of range; an item's pass rate is "
                             "between 0 % and 100 %")), NULL;
  stmt = _assay_store_prepare (db, "INSERT INTO coaching_goal (id, session_id, description,"
                                   " metric, item_id, kpi, target, deadline, created_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, a->item_id != NULL ? "item_pass_rate" : "kpi", -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (stmt, 5, a->item_id);
  _assay_store_bind_text_or_null (stmt, 6, a->kpi);
  sqlite3_bind_double (stmt, 7, a->target);
  sqlite3_bind_int64 (stmt, 8, a->at);
  sqlite3_bind_int64 (stmt, 9, assay_now_ms ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return invalid (error, _("The coaching session no longer exists")), NULL;
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  if (!queue_row (db, "coaching_goal", "coaching_goals", id, "create", error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
add_goal_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  return _assay_store_in_transaction (db, add_goal_locked, data, g_free, error);
}

static Args *
goal_args (const char *session_id,
           const char *description,
           const char *item_id,
           const char *kpi,
           double      target,
           gint64      deadline)
{
  Args *a = g_new0 (Args, 1);

  a->session_id = g_strdup (session_id);
  a->text = g_strdup (description);
  a->item_id = g_strdup (item_id);
  a->kpi = g_strdup (kpi);
  a->target = target;
  a->at = deadline;
  return a;
}

char *
assay_store_add_coaching_goal_sync (AssayStore  *store,
                                    const char  *session_id,
                                    const char  *description,
                                    const char  *item_id,
                                    const char  *kpi,
                                    double       target,
                                    gint64       deadline,
                                    GError     **error)
{
  Args *a = goal_args (session_id, description, item_id, kpi, target, deadline);
  char *id = _assay_store_run_sync (store, add_goal_func, a, error);

  args_free (a);
  return id;
}

void
assay_store_add_coaching_goal_async (AssayStore          *store,
                                     const char          *session_id,
                                     const char          *description,
                                     const char          *item_id,
                                     const char          *kpi,
                                     double               target,
                                     gint64               deadline,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  _assay_store_run_async (store, add_goal_func,
                          goal_args (session_id, description, item_id, kpi, target, deadline),
                          (GDestroyNotify) args_free, g_free,
                          assay_store_add_coaching_goal_async, cancellable, callback, user_data);
}

char *
assay_store_add_coaching_goal_finish (AssayStore    *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

static gpointer
add_action_locked (sqlite3  *db,
                   gpointer  data,
                   GError  **error)
{
  Args *a = data;
  g_autofree char *id = assay_uuid_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (a->text == NULL || *g_strstrip (a->text) == '\0')
    return invalid (error, _("Describe the action, e.g. “Listen to two model calls”")), NULL;
  if (g_strcmp0 (a->owner, "agent") != 0 && g_strcmp0 (a->owner, "coach") != 0)
    return invalid (error, _("An action belongs to the agent or to the coach")), NULL;
  stmt = _assay_store_prepare (db, "INSERT INTO coaching_action (id, session_id, description,"
                                   " owner, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, a->owner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, a->at);
  sqlite3_bind_int64 (stmt, 6, assay_now_ms ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return invalid (error, _("The coaching session no longer exists")), NULL;
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  if (!queue_row (db, "coaching_action", "coaching_actions", id, "create", error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
add_action_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return _assay_store_in_transaction (db, add_action_locked, data, g_free, error);
}

static Args *
action_args (const char *session_id,
             const char *description,
             const char *owner,
             gint64      due_at)
{
  Args *a = g_new0 (Args, 1);

  a->session_id = g_strdup (session_id);
  a->text = g_strdup (description);
  a->owner = g_strdup (owner);
  a->at = due_at;
  return a;
}

char *
assay_store_add_coaching_action_sync (AssayStore  *store,
                                      const char  *session_id,
                                      const char  *description,
                                      const char  *owner,
                                      gint64       due_at,
                                      GError     **error)
{
  Args *a = action_args (session_id, description, owner, due_at);
  char *id = _assay_store_run_sync (store, add_action_func, a, error);

  args_free (a);
  return id;
}

void
assay_store_add_coaching_action_async (AssayStore          *store,
                                       const char          *session_id,
                                       const char          *description,
                                       const char          *owner,
                                       gint64               due_at,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  _assay_store_run_async (store, add_action_func,
                          action_args (session_id, description, owner, due_at),
                          (GDestroyNotify) args_free, g_free,
                          assay_store_add_coaching_action_async, cancellable, callback,
                          user_data);
}

char *
assay_store_add_coaching_action_finish (AssayStore    *store,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

static gboolean
done_locked (sqlite3  *db,
             gpointer  data,
             GError  **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "UPDATE coaching_action SET done_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _assay_store_bind_int_or_null (stmt, 1, assay_now_ms (), !a->flag);
  sqlite3_bind_text (stmt, 2, a->id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    return invalid (error, _("The action no longer exists"));
  return queue_row (db, "coaching_action", "coaching_actions", a->id, "update", error);
}

static gpointer
done_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return _assay_store_in_transaction_ok (db, done_locked, data, error) ? GINT_TO_POINTER (1)
                                                                       : NULL;
}

gboolean
assay_store_set_coaching_action_done_sync (AssayStore  *store,
                                           const char  *action_id,
                                           gboolean     done,
                                           GError     **error)
{
  Args *a = g_new0 (Args, 1);
  gboolean ok;

  a->id = g_strdup (action_id);
  a->flag = done;
  ok = _assay_store_run_sync (store, done_func, a, error) != NULL;
  args_free (a);
  return ok;
}

static gboolean
ack_locked (sqlite3  *db,
            gpointer  data,
            GError  **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "UPDATE coaching_session SET acknowledged_at = ?,"
                                   " ack_comment = ?, updated_at = ?"
                                   " WHERE id = ? AND agent_id = ? AND acknowledged_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, assay_now_ms ());
  _assay_store_bind_text_or_null (stmt, 2, a->text != NULL && *g_strstrip (a->text) != '\0'
                                           ? a->text : NULL);
  sqlite3_bind_int64 (stmt, 3, assay_now_ms ());
  sqlite3_bind_text (stmt, 4, a->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, a->agent_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    return invalid (error, _("Only the coached agent can acknowledge a session, once"));
  return queue_row (db, "coaching_session", "coaching_sessions", a->session_id, "update",
                    error);
}

static gpointer
ack_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return _assay_store_in_transaction_ok (db, ack_locked, data, error) ? GINT_TO_POINTER (1)
                                                                      : NULL;
}

static Args *
ack_args (const char *session_id,
          const char *agent_id,
          const char *comment)
{
  Args *a = g_new0 (Args, 1);

  a->session_id = g_strdup (session_id);
  a->agent_id = g_strdup (agent_id);
  a->text = g_strdup (comment);
  return a;
}

gboolean
assay_store_acknowledge_coaching_sync (AssayStore  *store,
                                       const char  *session_id,
                                       const char  *agent_id,
                                       const char  *comment,
                                       GError     **error)
{
  Args *a = ack_args (session_id, agent_id, comment);
  gboolean ok = _assay_store_run_sync (store, ack_func, a, error) != NULL;

  args_free (a);
  return ok;
}

void
assay_store_acknowledge_coaching_async (AssayStore          *store,
                                        const char          *session_id,
                                        const char          *agent_id,
                                        const char          *comment,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  _assay_store_run_async (store, ack_func, ack_args (session_id, agent_id, comment),
                          (GDestroyNotify) args_free, NULL,
                          assay_store_acknowledge_coaching_async, cancellable, callback,
                          user_data);
}

gboolean
assay_store_acknowledge_coaching_finish (AssayStore    *store,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

/*
 * An item's pass rate over the agent's submitted evaluations of contacts in [from, to): the
 * share of "yes" among the yes/no answers to it, and their number.
 */
static gboolean
item_rate (sqlite3     *db,
           const char  *agent_id,
           const char  *item_id,
           gint64       from,
           gint64       to,
           double      *rate,
           guint       *n,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *path = g_strdup_printf ("$.answers.\"%s\".value", item_id);
  int rc;

  stmt = _assay_store_prepare (db,
    "SELECT count(*), total (json_extract (r.answers, ?4) = 'yes')"
    " FROM interaction i JOIN evaluation e ON e.interaction_id = i.id"
    " JOIN evaluation_revision r ON r.id = e.current_revision_id"
    " WHERE i.agent_id = ?1 AND i.started_at >= ?2 AND i.started_at < ?3"
    " AND e.state = 'submitted' AND json_extract (r.answers, ?4) IN ('yes', 'no')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, agent_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, to);
  sqlite3_bind_text (stmt, 4, path, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error);
  *n = sqlite3_column_int (stmt, 0);
  *rate = *n > 0 ? sqlite3_column_double (stmt, 1) / *n : -1;
  return TRUE;
}

static gpointer
list_goals_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT g.id, g.session_id, g.description, g.metric, g.item_id,"
                                   " g.kpi, g.target, g.deadline, s.agent_id, s.scheduled_at"
                                   " FROM coaching_goal g"
                                   " JOIN coaching_session s ON s.id = g.session_id"
                                   " WHERE g.session_id = ? ORDER BY g.created_at, g.rowid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_coaching_goal_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCoachingGoalRecord *r = g_new0 (AssayCoachingGoalRecord, 1);
      const char *agent_id = _assay_store_column_text (stmt, 8);
      gint64 at = sqlite3_column_int64 (stmt, 9);

      g_ptr_array_add (list, r);
      r->id = _assay_store_column_dup (stmt, 0);
      r->session_id = _assay_store_column_dup (stmt, 1);
      r->description = _assay_store_column_dup (stmt, 2);
      r->metric = _assay_store_column_dup (stmt, 3);
      r->item_id = _assay_store_column_dup (stmt, 4);
      r->kpi = _assay_store_column_dup (stmt, 5);
      r->target = sqlite3_column_double (stmt, 6);
      r->deadline = sqlite3_column_int64 (stmt, 7);
      r->before = r->after = -1;
      if (r->item_id != NULL)
        {
          if (!item_rate (db, agent_id, r->item_id, at - BEFORE_DAYS * DAY_MS, at,
                          &r->before, &r->before_n, error)
              || !item_rate (db, agent_id, r->item_id, at, r->deadline + 1,
                             &r->after, &r->after_n, error))
            return NULL;
          r->met = r->after_n > 0 && r->after >= r->target;
        }
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

GPtrArray *
assay_store_list_coaching_goals_sync (AssayStore  *store,
                                      const char  *session_id,
                                      GError     **error)
{
  Args *a = g_new0 (Args, 1);
  GPtrArray *list;

  a->session_id = g_strdup (session_id);
  list = _assay_store_run_sync (store, list_goals_func, a, error);
  args_free (a);
  return list;
}

static gpointer
list_actions_func (sqlite3       *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT id, session_id, description, owner, due_at, done_at"
                                   " FROM coaching_action WHERE session_id = ?"
                                   " ORDER BY due_at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_coaching_action_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCoachingActionRecord *r = g_new0 (AssayCoachingActionRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->session_id = _assay_store_column_dup (stmt, 1);
      r->description = _assay_store_column_dup (stmt, 2);
      r->owner = _assay_store_column_dup (stmt, 3);
      r->due_at = sqlite3_column_int64 (stmt, 4);
      r->done_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

GPtrArray *
assay_store_list_coaching_actions_sync (AssayStore  *store,
                                        const char  *session_id,
                                        GError     **error)
{
  Args *a = g_new0 (Args, 1);
  GPtrArray *list;

  a->session_id = g_strdup (session_id);
  list = _assay_store_run_sync (store, list_actions_func, a, error);
  args_free (a);
  return list;
}

/* ---- overdue ---- */

#define OVERDUE_SQL \
  "SELECT 'coaching_action', c.id, c.description, ag.name, c.due_at FROM coaching_action c" \
  " JOIN coaching_session s ON s.id = c.session_id JOIN agent ag ON ag.id = s.agent_id" \
  " WHERE c.done_at IS NULL AND c.due_at < ?1" \
  " UNION ALL SELECT 'training', t.id, p.title, ag.name, t.due_at FROM training_assignment t" \
  " JOIN training_plan p ON p.id = t.plan_id JOIN agent ag ON ag.id = t.agent_id" \
  " WHERE t.completed_at IS NULL AND t.due_at < ?1" \
  " UNION ALL SELECT 'improvement', m.id, m.problem, st.name, m.due_at FROM improvement_action m" \
  " LEFT JOIN staff st ON st.id = m.owner_id" \
  " WHERE m.state IN ('open', 'in_progress') AND m.due_at < ?1" \
  " UNION ALL SELECT 'review', a.id, i.queue, st.name, a.due_at FROM assignment a" \
  " JOIN interaction i ON i.id = a.interaction_id LEFT JOIN staff st ON st.id = a.inspector_id" \
  " WHERE a.due_at < ?1 AND NOT EXISTS (SELECT 1 FROM evaluation e" \
  "   WHERE e.assignment_id = a.id AND e.state = 'submitted')" \
  " UNION ALL SELECT 'callback', cb.id, i.customer_ref, st.name, cb.due_at FROM callback cb" \
  " JOIN interaction i ON i.id = cb.interaction_id LEFT JOIN staff st ON st.id = cb.owner_id" \
  " WHERE cb.state = 'to_call' AND cb.due_at < ?1" \
  " ORDER BY 5, 2"

static gpointer
overdue_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, OVERDUE_SQL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, assay_coaching_day_start_ms (a->now));
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_overdue_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayOverdueRecord *r = g_new0 (AssayOverdueRecord, 1);

      r->kind = _assay_store_column_dup (stmt, 0);
      r->id = _assay_store_column_dup (stmt, 1);
      r->title = _assay_store_column_dup (stmt, 2);
      r->who = _assay_store_column_dup (stmt, 3);
      r->due_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

static Args *
now_args (GDateTime *now)
{
  Args *a = g_new0 (Args, 1);

  a->now = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_local ();
  return a;
}

void
assay_store_list_overdue_async (AssayStore          *store,
                                GDateTime           *now,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  _assay_store_run_async (store, overdue_func, now_args (now), (GDestroyNotify) args_free,
                          (GDestroyNotify) g_ptr_array_unref, assay_store_list_overdue_async,
                          cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_overdue_finish (AssayStore    *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_overdue_sync (AssayStore  *store,
                               GDateTime   *now,
                               GError     **error)
{
  Args *a = now_args (now);
  GPtrArray *list = _assay_store_run_sync (store, overdue_func, a, error);

  args_free (a);
  return list;
}
