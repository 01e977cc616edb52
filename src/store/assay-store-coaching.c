/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "core/assay-util.h"
#include "assay-store-coaching.h"
#include "assay-store-coaching-private.h"
#include "assay-store-private.h"
#include "assay-store-records-sync.h"

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

void
_assay_coaching_args_free (Args *a)
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

gboolean
_assay_coaching_invalid (GError    **error,
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
      g_autofree char *member = _assay_store_wire_member (name);   /* camelCase on the wire */

      q = sqlite3_mprintf (_assay_store_wire_json_column (name) ? "%s%Q, json (\"%w\")"
                                                                : "%s%Q, \"%w\"",
                           first ? "" : ", ", member, name);
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
gboolean
_assay_coaching_queue_row (sqlite3     *db,
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
    return _assay_coaching_invalid (error, _("The evaluation to coach from no longer exists; pick another")),
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
    return _assay_coaching_invalid (error, _("Pick the agent to coach")), NULL;

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
    return _assay_coaching_invalid (error, _("The agent or the coach is not in the directory; sync or pick "
                             "another")), NULL;
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  if (!_assay_coaching_queue_row (db, "coaching_session", "coaching_sessions", id, "create", error))
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
  _assay_store_run_async (store, create_func, create_args (spec), (GDestroyNotify) _assay_coaching_args_free,
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

  _assay_coaching_args_free (a);
  return id;
}

AssayCoachingSessionRecord *
_assay_coaching_session_from_row (sqlite3_stmt *stmt)
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
  return r;
}

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
                               ? ASSAY_COACHING_SESSION_SQL " WHERE s.agent_id = ?"
                                 " ORDER BY s.scheduled_at DESC, s.id"
                               : ASSAY_COACHING_SESSION_SQL " ORDER BY s.scheduled_at DESC, s.id",
                               error);
  if (stmt == NULL)
    return NULL;
  if (a->agent_id != NULL)
    sqlite3_bind_text (stmt, 1, a->agent_id, -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_coaching_session_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, _assay_coaching_session_from_row (stmt));
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
                          (GDestroyNotify) _assay_coaching_args_free, (GDestroyNotify) g_ptr_array_unref,
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

  _assay_coaching_args_free (a);
  return list;
}
