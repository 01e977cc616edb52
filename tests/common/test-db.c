/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-db.h"
#include "assay-store-private.h"

char *
test_db_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-test-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "assay.db", NULL);
}

static gpointer
exec_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return _assay_store_exec (db, data, error) ? GINT_TO_POINTER (1) : NULL;
}

void
test_db_exec (AssayStore *store,
              const char *sql)
{
  g_autoptr(GError) error = NULL;

  _assay_store_run_sync (store, exec_func, (gpointer) sql, &error);
  g_assert_no_error (error);
}

typedef struct {
  const char *sql;
  gint64      value;
} IntQuery;

static gpointer
int_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  IntQuery *q = data;
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, q->sql, error);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  q->value = sqlite3_column_int64 (stmt, 0);
  return GINT_TO_POINTER (1);
}

gint64
test_db_query_int (AssayStore *store,
                   const char *sql)
{
  g_autoptr(GError) error = NULL;
  IntQuery q = { sql, 0 };

  g_assert_nonnull (_assay_store_run_sync (store, int_func, &q, &error));
  g_assert_no_error (error);
  return q.value;
}

AssayStore *
test_db_new (guint n_interactions)
{
  g_autofree char *path = test_db_path ();
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);

  test_db_exec (store,
    "INSERT INTO team (id, name) VALUES"
    " ('00000000-0000-4000-8000-000000000001', 'Billing'),"
    " ('00000000-0000-4000-8000-000000000002', 'Technical Support'),"
    " ('00000000-0000-4000-8000-000000000003', 'Sales');"
    "INSERT INTO agent (id, team_id, name, employee_code) VALUES"
    " ('10000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'Wang Fang', 'E001'),"
    " ('10000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Li Wei', 'E002'),"
    " ('10000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'Emma Clarke', 'E003'),"
    " ('10000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000002', 'Zhang Min', 'E004'),"
    " ('10000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000003', 'Oliver Grant', 'E005'),"
    " ('10000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000003', 'Chen Jing', 'E006');"
    "INSERT INTO queue (name, channel, sl_threshold_s) VALUES"
    " ('Billing', 'phone', 20), ('Support', 'chat', 60), ('Sales', 'email', NULL);");

  /* n rows, one a minute back from 2026-11-20 12:00 UTC; every fact derived from the row number
   * so tests can compute expectations in SQL */
  sql = g_strdup_printf (
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %u)"
    " INSERT INTO interaction (id, channel, queue, agent_id, team_id, customer_ref, started_at,"
    "   wait_s, talk_s, hold_s, wrap_s, csat, nps, fcr, answered_in_sl)"
    " SELECT printf('20000000-0000-4000-8000-%%012d', i),"
    "   CASE i %% 3 WHEN 0 THEN 'phone' WHEN 1 THEN 'chat' ELSE 'email' END,"
    "   CASE i %% 3 WHEN 0 THEN 'Billing' WHEN 1 THEN 'Support' ELSE 'Sales' END,"
    "   printf('10000000-0000-4000-8000-%%012d', i %% 6 + 1),"
    "   printf('00000000-0000-4000-8000-%%012d', (i %% 6) / 2 + 1),"
    "   printf('C-%%06d', 100000 + i),"
    "   1795176000000 - i * 60000,"
    "   i %% 40, 60 + (i * 37) %% 600, (i * 7) %% 60, (i * 11) %% 90,"
    "   CASE WHEN i %% 4 = 0 THEN NULL ELSE 1 + (i * 13) %% 5 END,"
    "   CASE WHEN i %% 5 = 0 THEN NULL ELSE (i * 7) %% 11 END,"
    "   (i %% 4 != 0), (i %% 5 != 0)"
    " FROM n", n_interactions);
  if (n_interactions > 0)
    test_db_exec (store, sql);
  return g_steal_pointer (&store);
}

typedef struct {
  gboolean timed_out;
} Guard;

static gboolean
guard_cb (gpointer data)
{
  ((Guard *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
test_wait_until (gboolean (*cond) (gpointer),
                 gpointer   data,
                 guint      timeout_s)
{
  Guard guard = { FALSE };
  guint id = g_timeout_add_seconds (timeout_s, guard_cb, &guard);

  while (!cond (data) && !guard.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (guard.timed_out)
    g_error ("condition not reached within %u s", timeout_s);
  g_source_remove (id);
}
