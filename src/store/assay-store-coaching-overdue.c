/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "core/assay-util.h"
#include "assay-store-coaching.h"
#include "assay-store-coaching-private.h"
#include "assay-store-private.h"

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
  " UNION ALL SELECT 'dispute', d.id, d.reason, ag.name, ds.due_at FROM dispute d" \
  " JOIN dispute_step ds ON ds.dispute_id = d.id AND ds.position = d.current_step" \
  " LEFT JOIN agent ag ON ag.id = d.agent_id WHERE d.state = 'open' AND ds.due_at < ?1" \
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
  _assay_store_run_async (store, overdue_func, now_args (now), (GDestroyNotify) _assay_coaching_args_free,
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

  _assay_coaching_args_free (a);
  return list;
}
