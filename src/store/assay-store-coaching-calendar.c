/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "core/assay-util.h"
#include "assay-store-coaching.h"
#include "assay-store-coaching-private.h"
#include "assay-store-private.h"

#define HOUR_MS (3600 * G_GINT64_CONSTANT (1000))

void
assay_calendar_event_free (AssayCalendarEvent *e)
{
  if (e == NULL)
    return;
  g_free (e->kind);
  g_free (e->id);
  g_free (e->title);
  g_free (e->who);
  g_free (e->state);
  g_free (e);
}

/*
 * Coaching sessions (an hour from their time), training assignments and assessments (at their
 * due time) in [from, to), of one team's agents when a team is given. An assessment belongs to
 * no team: it is listed for every team.
 */
#define CALENDAR_SQL \
  "SELECT 'coaching', s.id, s.agenda, ag.name, s.scheduled_at, s.scheduled_at + ?4, s.state," \
  "   s.created_at, s.updated_at FROM coaching_session s JOIN agent ag ON ag.id = s.agent_id" \
  " WHERE s.scheduled_at >= ?1 AND s.scheduled_at < ?2" \
  "   AND (?3 IS NULL OR ag.team_id = ?3)" \
  " UNION ALL SELECT 'training', t.id, p.title, ag.name, t.due_at, t.due_at + ?4 / 2," \
  "   CASE WHEN t.completed_at IS NULL THEN 'open' ELSE 'done' END, t.created_at," \
  "   max (t.created_at, coalesce (t.completed_at, 0)) FROM training_assignment t" \
  "   JOIN training_plan p ON p.id = t.plan_id JOIN agent ag ON ag.id = t.agent_id" \
  " WHERE t.due_at >= ?1 AND t.due_at < ?2 AND (?3 IS NULL OR ag.team_id = ?3)" \
  " UNION ALL SELECT 'assessment', a.id, a.title, NULL, a.due_at, a.due_at + ?4, 'open'," \
  "   a.created_at, a.created_at FROM assessment a WHERE a.due_at >= ?1 AND a.due_at < ?2" \
  " ORDER BY 5, 1, 2"

static gpointer
calendar_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *team_id = NULL;
  int rc;

  if (a->text != NULL)
    {
      g_autoptr(sqlite3_stmt) team = _assay_store_prepare (db, "SELECT id FROM team"
                                                               " WHERE name = ?1 OR id = ?1"
                                                               " ORDER BY id = ?1 DESC LIMIT 1",
                                                           error);

      if (team == NULL)
        return NULL;
      sqlite3_bind_text (team, 1, a->text, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (team);
      if (rc == SQLITE_DONE)
        return _assay_coaching_invalid (error, _("There is no team of that name")), NULL;
      if (rc != SQLITE_ROW)
        return _assay_store_set_error (db, rc, error), NULL;
      team_id = _assay_store_column_dup (team, 0);
    }
  stmt = _assay_store_prepare (db, CALENDAR_SQL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, a->at);
  sqlite3_bind_int64 (stmt, 2, (gint64) a->target);
  _assay_store_bind_text_or_null (stmt, 3, team_id);
  sqlite3_bind_int64 (stmt, 4, HOUR_MS);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calendar_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCalendarEvent *e = g_new0 (AssayCalendarEvent, 1);

      e->kind = _assay_store_column_dup (stmt, 0);
      e->id = _assay_store_column_dup (stmt, 1);
      e->title = _assay_store_column_dup (stmt, 2);
      e->who = _assay_store_column_dup (stmt, 3);
      e->start_at = sqlite3_column_int64 (stmt, 4);
      e->end_at = sqlite3_column_int64 (stmt, 5);
      e->state = _assay_store_column_dup (stmt, 6);
      e->created_at = sqlite3_column_int64 (stmt, 7);
      e->updated_at = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (list, e);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

static Args *
calendar_args (const char *team,
               gint64      from,
               gint64      to)
{
  Args *a = g_new0 (Args, 1);

  a->text = g_strdup (team);
  a->at = from;
  a->target = (double) to;
  return a;
}

void
assay_store_list_calendar_async (AssayStore          *store,
                                 const char          *team,
                                 gint64               from,
                                 gint64               to,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  _assay_store_run_async (store, calendar_func, calendar_args (team, from, to),
                          (GDestroyNotify) _assay_coaching_args_free,
                          (GDestroyNotify) g_ptr_array_unref, assay_store_list_calendar_async,
                          cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_calendar_finish (AssayStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_calendar_sync (AssayStore  *store,
                                const char  *team,
                                gint64       from,
                                gint64       to,
                                GError     **error)
{
  Args *a = calendar_args (team, from, to);
  GPtrArray *list = _assay_store_run_sync (store, calendar_func, a, error);

  _assay_coaching_args_free (a);
  return list;
}
