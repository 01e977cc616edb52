/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "core/assay-util.h"
#include "assay-store-coaching.h"
#include "assay-store-coaching-private.h"
#include "assay-store-private.h"

#define DAY_MS (24 * 60 * 60 * (gint64) 1000)
#define BEFORE_DAYS 30

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
    return _assay_coaching_invalid (error, _("Describe the goal, e.g. “Verified identity in 90 %"
                                             " of calls”")), NULL;
  if ((a->item_id == NULL) == (a->kpi == NULL))
    return _assay_coaching_invalid (error, _("Measure the goal by one form item or one KPI")), NULL;
  if (a->kpi != NULL && g_strcmp0 (a->kpi, "csat") != 0 && g_strcmp0 (a->kpi, "fcr") != 0)
    return _assay_coaching_invalid (error, _("A goal measures CSAT or first-contact resolution"
                                             " among the KPIs")), NULL;
  if (a->target < 0 || a->target > 1)
    return _assay_coaching_invalid (error, _("The goal's target is out of range; an item's pass rate is "
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
    return _assay_coaching_invalid (error, _("The coaching session no longer exists")), NULL;
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  if (!_assay_coaching_queue_row (db, "coaching_goal", "coaching_goals", id, "create", error))
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

  _assay_coaching_args_free (a);
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
                          (GDestroyNotify) _assay_coaching_args_free, g_free,
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
    return _assay_coaching_invalid (error, _("Describe the action, e.g. “Listen to two model calls”")), NULL;
  if (g_strcmp0 (a->owner, "agent") != 0 && g_strcmp0 (a->owner, "coach") != 0)
    return _assay_coaching_invalid (error, _("An action belongs to the agent or to the coach")), NULL;
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
    return _assay_coaching_invalid (error, _("The coaching session no longer exists")), NULL;
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  if (!_assay_coaching_queue_row (db, "coaching_action", "coaching_actions", id, "create", error))
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

  _assay_coaching_args_free (a);
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
                          (GDestroyNotify) _assay_coaching_args_free, g_free,
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
    return _assay_coaching_invalid (error, _("The action no longer exists"));
  return _assay_coaching_queue_row (db, "coaching_action", "coaching_actions", a->id, "update", error);
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
  _assay_coaching_args_free (a);
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
    return _assay_coaching_invalid (error, _("Only the coached agent can acknowledge a session, once"));
  return _assay_coaching_queue_row (db, "coaching_session", "coaching_sessions", a->session_id, "update",
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

  _assay_coaching_args_free (a);
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
                          (GDestroyNotify) _assay_coaching_args_free, NULL,
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

/*
 * A KPI's share over the agent's contacts in [from, to): "csat" the share of survey answers 4
 * or 5, "fcr" the share resolved at first contact among those known (docs/kpi.md), and their n.
 */
static gboolean
kpi_rate (sqlite3     *db,
          const char  *agent_id,
          const char  *kpi,
          gint64       from,
          gint64       to,
          double      *rate,
          guint       *n,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean csat = g_strcmp0 (kpi, "csat") == 0;
  int rc;

  *rate = -1;
  *n = 0;
  if (!csat && g_strcmp0 (kpi, "fcr") != 0)
    return TRUE;
  stmt = _assay_store_prepare (db, csat
    ? "SELECT count(csat), total (csat >= 4) FROM interaction"
      " WHERE agent_id = ?1 AND started_at >= ?2 AND started_at < ?3"
    : "SELECT count(fcr), total (fcr) FROM interaction"
      " WHERE agent_id = ?1 AND started_at >= ?2 AND started_at < ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, agent_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, to);
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
        }
      else if (!kpi_rate (db, agent_id, r->kpi, at - BEFORE_DAYS * DAY_MS, at, &r->before,
                          &r->before_n, error)
               || !kpi_rate (db, agent_id, r->kpi, at, r->deadline + 1, &r->after, &r->after_n,
                             error))
        return NULL;
      r->met = r->after_n > 0 && r->after >= r->target;
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
  _assay_coaching_args_free (a);
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
  _assay_coaching_args_free (a);
  return list;
}

/* ---- one session with its focus, goals and actions ---- */

void
assay_coaching_focus_item_free (AssayCoachingFocusItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->text);
  g_free (item);
}

void
assay_coaching_session_detail_free (AssayCoachingSessionDetail *detail)
{
  if (detail == NULL)
    return;
  g_clear_pointer (&detail->session, assay_coaching_session_record_free);
  g_clear_pointer (&detail->focus, g_ptr_array_unref);
  g_clear_pointer (&detail->goals, g_ptr_array_unref);
  g_clear_pointer (&detail->actions, g_ptr_array_unref);
  g_free (detail);
}

/* The focus items with their text in the scorecard version the evaluation was scored on. */
static GPtrArray *
read_focus (sqlite3     *db,
            const char  *session_id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db,
    "SELECT f.value, (SELECT json_extract (t.value, '$.text')"
    "   FROM json_tree (fv.definition, '$.sections') t"
    "   WHERE t.type = 'object' AND json_extract (t.value, '$.id') = f.value"
    "   AND json_extract (t.value, '$.kind') IS NOT NULL LIMIT 1)"
    " FROM coaching_session s JOIN json_each (s.focus) f"
    " LEFT JOIN evaluation e ON e.id = s.evaluation_id"
    " LEFT JOIN form_version fv ON fv.id = e.form_version_id"
    " WHERE s.id = ? ORDER BY f.key", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_coaching_focus_item_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCoachingFocusItem *item = g_new0 (AssayCoachingFocusItem, 1);

      item->id = _assay_store_column_dup (stmt, 0);
      item->text = sqlite3_column_type (stmt, 1) == SQLITE_TEXT ? _assay_store_column_dup (stmt, 1)
                                                                : g_strdup (item->id);
      g_ptr_array_add (list, item);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

static gpointer
detail_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AssayCoachingSessionDetail *d;
  int rc;

  stmt = _assay_store_prepare (db, ASSAY_COACHING_SESSION_SQL " WHERE s.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return _assay_coaching_invalid (error, _("The coaching session no longer exists")), NULL;
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error), NULL;
  if (a->agent_id != NULL && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1),
                                        a->agent_id) != 0)
    return _assay_coaching_invalid (error, _("This coaching session is another agent's")), NULL;
  d = g_new0 (AssayCoachingSessionDetail, 1);
  d->session = _assay_coaching_session_from_row (stmt);
  if ((d->focus = read_focus (db, a->session_id, error)) == NULL
      || (d->goals = list_goals_func (db, a, cancellable, error)) == NULL
      || (d->actions = list_actions_func (db, a, cancellable, error)) == NULL)
    {
      assay_coaching_session_detail_free (d);
      return NULL;
    }
  return d;
}

static Args *
detail_args (const char *session_id,
             const char *agent_id)
{
  Args *a = g_new0 (Args, 1);

  a->session_id = g_strdup (session_id);
  a->agent_id = g_strdup (agent_id);
  return a;
}

void
assay_store_get_coaching_session_async (AssayStore          *store,
                                        const char          *session_id,
                                        const char          *agent_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  _assay_store_run_async (store, detail_func, detail_args (session_id, agent_id),
                          (GDestroyNotify) _assay_coaching_args_free,
                          (GDestroyNotify) assay_coaching_session_detail_free,
                          assay_store_get_coaching_session_async, cancellable, callback,
                          user_data);
}

AssayCoachingSessionDetail *
assay_store_get_coaching_session_finish (AssayStore    *store,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayCoachingSessionDetail *
assay_store_get_coaching_session_sync (AssayStore  *store,
                                       const char  *session_id,
                                       const char  *agent_id,
                                       GError     **error)
{
  Args *a = detail_args (session_id, agent_id);
  AssayCoachingSessionDetail *d = _assay_store_run_sync (store, detail_func, a, error);

  _assay_coaching_args_free (a);
  return d;
}

/* ---- actions done, asynchronously ---- */

void
assay_store_set_coaching_action_done_async (AssayStore          *store,
                                            const char          *action_id,
                                            gboolean             done,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  Args *a = g_new0 (Args, 1);

  a->id = g_strdup (action_id);
  a->flag = done;
  _assay_store_run_async (store, done_func, a, (GDestroyNotify) _assay_coaching_args_free, NULL,
                          assay_store_set_coaching_action_done_async, cancellable, callback,
                          user_data);
}

gboolean
assay_store_set_coaching_action_done_finish (AssayStore    *store,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}
