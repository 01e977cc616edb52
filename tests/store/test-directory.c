/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-directory.h"
#include "assay-store-private.h"

#include <glib/gstdio.h>

/* every fixture time is relative to T; the period under test is [T - 7 days, T) */
#define T        G_GINT64_CONSTANT (1794652920000)
#define HOUR_MS  G_GINT64_CONSTANT (3600000)
#define DAY_MS   (24 * HOUR_MS)

typedef struct {
  char       *dir;
  char       *path;
  AssayStore *store;
} Fixture;

static gpointer
exec_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return _assay_store_exec (db, data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
exec_sql (AssayStore *store,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (_assay_store_run_sync (store, exec_func, (gpointer) sql, &error));
  g_assert_no_error (error);
}

static void
insert_interaction (AssayStore *store,
                    const char *values)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, started_at, talk_s, hold_s,"
    " wrap_s, csat, nps, fcr, answered_in_sl, abandoned) VALUES (%s)", values);

  exec_sql (store, sql);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  fixture->dir = g_dir_make_tmp ("assay-directory-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = assay_store_new (fixture->path);
  g_assert_true (assay_store_open_sync (fixture->store, &error));
  g_assert_no_error (error);

  if (data != NULL)   /* the empty fixture */
    return;

  exec_sql (fixture->store,
    "INSERT INTO staff (id, name) VALUES ('s1', 'Li Na');"
    "INSERT INTO team (id, name, lead_id) VALUES ('t1', 'Billing', 's1'),"
    "  ('t2', 'Sales', 'a3'), ('t3', 'Empty team', NULL);"
    "INSERT INTO agent (id, team_id, name, employee_code, active) VALUES"
    "  ('a1', 't1', 'Zhang Wei', 'E001', 1), ('a2', 't1', '王芳', 'E002', 1),"
    "  ('a3', 't2', 'Chen Jie', 'E003', 0), ('a4', NULL, 'Nobody', 'E004', 1);");

#define AT(offset) (T + (offset))
  /* agent a1 in team t1, inside the period */
  sql = g_strdup_printf ("'i1', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT
                         ", 300, 20, 40, 5, 10, 1, 1, 0", AT (-1 * HOUR_MS));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  sql = g_strdup_printf ("'i2', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT
                         ", 200, 0, 40, 3, 6, 0, 0, 0", AT (-2 * DAY_MS));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  /* abandoned in the queue: offered, not handled */
  sql = g_strdup_printf ("'i3', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT
                         ", 0, 0, 0, NULL, NULL, NULL, NULL, 1", AT (-3 * DAY_MS));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  sql = g_strdup_printf ("'i4', 'chat', 'Web', 'a1', 't1', %" G_GINT64_FORMAT
                         ", 600, 0, 60, 4, 8, 1, NULL, 0", AT (-4 * DAY_MS));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  sql = g_strdup_printf ("'i5', 'email', 'Mail', 'a1', 't1', %" G_GINT64_FORMAT
                         ", 0, 0, 300, NULL, NULL, NULL, NULL, 0", AT (-5 * DAY_MS));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  /* a phone contact whose service-level outcome is unknown: handled, not in the SL base */
  sql = g_strdup_printf ("'i6', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT
                         ", 100, 0, 0, NULL, NULL, NULL, NULL, 0", AT (-7 * DAY_MS));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  /* at the end of the period (excluded) and before it */
  sql = g_strdup_printf ("'i7', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT
                         ", 100, 0, 0, 1, 0, 0, 0, 0", AT (0));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  sql = g_strdup_printf ("'i8', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT
                         ", 100, 0, 0, 1, 0, 0, 0, 0", AT (-8 * DAY_MS));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  /* a1 helping team t2: counts for a1 and for t2, not for t1 */
  sql = g_strdup_printf ("'i9', 'chat', 'Sales', 'a1', 't2', %" G_GINT64_FORMAT
                         ", 120, 0, 0, 5, NULL, NULL, NULL, 0", AT (-6 * DAY_MS));
  insert_interaction (fixture->store, sql);
  g_free (sql);
  /* a2 in team t1 */
  sql = g_strdup_printf ("'i10', 'phone', 'Billing', 'a2', 't1', %" G_GINT64_FORMAT
                         ", 100, 0, 0, 1, 0, NULL, 1, 0", AT (-1 * DAY_MS));
  insert_interaction (fixture->store, sql);
#undef AT
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  assay_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_remove (wal);
  g_remove (shm);
  g_remove (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_teams (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  AssayTeam *team;

  assay_store_list_teams_async (fixture->store, NULL, store_result_cb, &result);
  teams = assay_store_list_teams_finish (fixture->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, ==, 3);

  /* sorted by name */
  team = teams->pdata[0];
  g_assert_cmpstr (assay_team_get_id (team), ==, "t1");
  g_assert_cmpstr (assay_team_get_name (team), ==, "Billing");
  g_assert_cmpstr (assay_team_get_lead_name (team), ==, "Li Na");   /* a member of staff */
  g_assert_cmpuint (assay_team_get_agent_count (team), ==, 2);
  team = teams->pdata[1];
  g_assert_cmpstr (assay_team_get_name (team), ==, "Empty team");
  g_assert_null (assay_team_get_lead_name (team));
  g_assert_cmpuint (assay_team_get_agent_count (team), ==, 0);
  team = teams->pdata[2];
  g_assert_cmpstr (assay_team_get_name (team), ==, "Sales");
  g_assert_cmpstr (assay_team_get_lead_name (team), ==, "Chen Jie");  /* an agent */
  g_assert_cmpuint (assay_team_get_agent_count (team), ==, 1);
}

static AssayAgent *
find_agent (GPtrArray  *agents,
            const char *id)
{
  for (guint i = 0; i < agents->len; i++)
    if (g_strcmp0 (assay_agent_get_id (agents->pdata[i]), id) == 0)
      return agents->pdata[i];
  g_assert_not_reached ();
}

static void
test_agents (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  AssayAgent *agent;

  assay_store_list_agents_async (fixture->store, T - 30 * DAY_MS, NULL, store_result_cb, &result);
  agents = assay_store_list_agents_finish (fixture->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agents->len, ==, 4);

  /* sorted by name (code point order in the tests' C.UTF-8 locale) */
  g_assert_cmpstr (assay_agent_get_name (agents->pdata[0]), ==, "Chen Jie");
  g_assert_cmpstr (assay_agent_get_name (agents->pdata[1]), ==, "Nobody");
  g_assert_cmpstr (assay_agent_get_name (agents->pdata[2]), ==, "Zhang Wei");
  g_assert_cmpstr (assay_agent_get_name (agents->pdata[3]), ==, "王芳");

  agent = find_agent (agents, "a1");
  g_assert_cmpstr (assay_agent_get_employee_code (agent), ==, "E001");
  g_assert_cmpstr (assay_agent_get_team_id (agent), ==, "t1");
  g_assert_cmpstr (assay_agent_get_team_name (agent), ==, "Billing");
  g_assert_true (assay_agent_get_active (agent));
  /* every interaction since T - 30 days, i7 at T included */
  g_assert_cmpuint (assay_agent_get_recent_contacts (agent), ==, 9);

  agent = find_agent (agents, "a3");
  g_assert_false (assay_agent_get_active (agent));
  g_assert_cmpuint (assay_agent_get_recent_contacts (agent), ==, 0);

  agent = find_agent (agents, "a4");
  g_assert_null (assay_agent_get_team_id (agent));
  g_assert_null (assay_agent_get_team_name (agent));

  g_clear_object (&result);
  g_clear_pointer (&agents, g_ptr_array_unref);
  /* a window that starts after the last contact counts nothing */
  assay_store_list_agents_async (fixture->store, T + 1, NULL, store_result_cb, &result);
  agents = assay_store_list_agents_finish (fixture->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assay_agent_get_recent_contacts (find_agent (agents, "a1")), ==, 0);
}

static void
agent_counts (Fixture        *fixture,
              const char     *agent_id,
              gint64          from_ms,
              gint64          to_ms,
              AssayKpiCounts *counts)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  assay_store_agent_counts_async (fixture->store, agent_id, from_ms, to_ms, NULL,
                                  store_result_cb, &result);
  g_assert_true (assay_store_agent_counts_finish (fixture->store, wait_result (&result), counts,
                                                  &error));
  g_assert_no_error (error);
}

static void
team_counts (Fixture        *fixture,
             const char     *team_id,
             AssayKpiCounts *counts)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  assay_store_team_counts_async (fixture->store, team_id, T - 7 * DAY_MS, T, NULL,
                                 store_result_cb, &result);
  g_assert_true (assay_store_team_counts_finish (fixture->store, wait_result (&result), counts,
                                                 &error));
  g_assert_no_error (error);
}

static void
test_agent_figures (Fixture       *fixture,
                    gconstpointer  data)
{
  AssayKpiCounts c;
  AssayKpiFigures f;

  agent_counts (fixture, "a1", T - 7 * DAY_MS, T, &c);
  g_assert_cmpint (c.contacts, ==, 7);           /* i1–i6 and i9 */
  g_assert_cmpint (c.abandoned, ==, 1);          /* i3 */
  g_assert_cmpint (c.handled, ==, 6);
  g_assert_cmpint (c.handled_phone, ==, 3);      /* i1, i2, i6 */
  g_assert_cmpint (c.handle_s_phone, ==, 360 + 240 + 100);
  g_assert_cmpint (c.handled_written, ==, 3);    /* i4, i5, i9 */
  g_assert_cmpint (c.handle_s_written, ==, 660 + 300 + 120);
  g_assert_cmpint (c.csat_answers, ==, 4);       /* 5, 3, 4, 5 */
  g_assert_cmpint (c.csat_satisfied, ==, 3);
  g_assert_cmpint (c.nps_answers, ==, 3);        /* 10, 6, 8 */
  g_assert_cmpint (c.nps_promoters, ==, 1);
  g_assert_cmpint (c.nps_detractors, ==, 1);
  g_assert_cmpint (c.fcr_known, ==, 3);
  g_assert_cmpint (c.fcr_resolved, ==, 2);
  g_assert_cmpint (c.sl_offered, ==, 3);         /* i1, i2 and the abandoned i3 */
  g_assert_cmpint (c.sl_answered, ==, 1);

  assay_kpi_figures_compute (&c, &f);
  g_assert_cmpfloat_with_epsilon (f.csat.value, 75.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.nps.value, 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.fcr.value, 200.0 / 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.aht_phone.value, 700.0 / 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.aht_written.value, 360.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.service_level.value, 100.0 / 3.0, 1e-9);

  /* one day only: i1 */
  agent_counts (fixture, "a1", T - DAY_MS, T, &c);
  g_assert_cmpint (c.contacts, ==, 1);
  g_assert_cmpint (c.csat_satisfied, ==, 1);

  /* an agent with no contacts, and an unknown agent: zeros, so the figures say "no data" */
  agent_counts (fixture, "a3", T - 7 * DAY_MS, T, &c);
  g_assert_cmpint (c.contacts, ==, 0);
  assay_kpi_figures_compute (&c, &f);
  g_assert_false (f.csat.known);
  g_assert_false (f.aht.known);
  g_assert_false (f.service_level.known);
  agent_counts (fixture, "nobody", T - 7 * DAY_MS, T, &c);
  g_assert_cmpint (c.contacts, ==, 0);
}

static void
test_team_figures (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) all = NULL;
  AssayKpiCounts c, *found;
  AssayKpiFigures f;

  team_counts (fixture, "t1", &c);
  g_assert_cmpint (c.contacts, ==, 7);          /* a1's i1–i6 and a2's i10 */
  g_assert_cmpint (c.csat_answers, ==, 4);      /* 5, 3, 4, 1 */
  g_assert_cmpint (c.csat_satisfied, ==, 2);
  g_assert_cmpint (c.nps_answers, ==, 4);       /* 10, 6, 8, 0 */
  g_assert_cmpint (c.sl_offered, ==, 4);
  g_assert_cmpint (c.sl_answered, ==, 2);
  assay_kpi_figures_compute (&c, &f);
  g_assert_cmpfloat_with_epsilon (f.csat.value, 50.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.nps.value, -25.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.service_level.value, 50.0, 1e-9);

  team_counts (fixture, "t2", &c);
  g_assert_cmpint (c.contacts, ==, 1);          /* i9, made by a1 for t2 */

  assay_store_all_team_counts_async (fixture->store, T - 7 * DAY_MS, T, NULL, store_result_cb,
                                     &result);
  all = assay_store_all_team_counts_finish (fixture->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (all), ==, 3);
  found = g_hash_table_lookup (all, "t1");
  g_assert_cmpint (found->contacts, ==, 7);
  g_assert_cmpint (found->csat_satisfied, ==, 2);
  found = g_hash_table_lookup (all, "t2");
  g_assert_cmpint (found->contacts, ==, 1);
  found = g_hash_table_lookup (all, "t3");
  g_assert_cmpint (found->contacts, ==, 0);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AssayKpiCounts c;

  /* a period that ends before it starts */
  assay_store_agent_counts_async (fixture->store, "a1", T, T - DAY_MS, NULL, store_result_cb,
                                  &result);
  g_assert_false (assay_store_agent_counts_finish (fixture->store, wait_result (&result), &c,
                                                   &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  /* cancelled before the worker gets to it */
  g_cancellable_cancel (cancellable);
  assay_store_team_counts_async (fixture->store, "t1", T - DAY_MS, T, cancellable,
                                 store_result_cb, &result);
  g_assert_false (assay_store_team_counts_finish (fixture->store, wait_result (&result), &c,
                                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* a closed store */
  assay_store_close (fixture->store);
  assay_store_list_teams_async (fixture->store, NULL, store_result_cb, &result);
  g_assert_null (assay_store_list_teams_finish (fixture->store, wait_result (&result), &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CLOSED);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(GHashTable) all = NULL;

  assay_store_list_teams_async (fixture->store, NULL, store_result_cb, &result);
  teams = assay_store_list_teams_finish (fixture->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, ==, 0);
  g_clear_object (&result);

  assay_store_list_agents_async (fixture->store, 0, NULL, store_result_cb, &result);
  agents = assay_store_list_agents_finish (fixture->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agents->len, ==, 0);
  g_clear_object (&result);

  assay_store_all_team_counts_async (fixture->store, 0, T, NULL, store_result_cb, &result);
  all = assay_store_all_team_counts_finish (fixture->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (all), ==, 0);
}

typedef struct {
  const char *sql;
  char       *plan;
} Explain;

static gpointer
explain_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Explain *explain = data;
  g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", explain->sql, NULL);
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autoptr(GString) plan = g_string_new (NULL);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", _assay_store_column_text (stmt, 3));
  explain->plan = g_string_free (g_steal_pointer (&plan), FALSE);
  return GINT_TO_POINTER (TRUE);
}

/* The figures read a range of the (agent_id, started_at) / (team_id, started_at) index. */
static void
test_query_plan (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Explain agent = { _assay_store_directory_counts_sql (FALSE), NULL };
  Explain team = { _assay_store_directory_counts_sql (TRUE), NULL };

  exec_sql (fixture->store, "ANALYZE");
  g_assert_nonnull (_assay_store_run_sync (fixture->store, explain_func, &agent, &error));
  g_assert_nonnull (_assay_store_run_sync (fixture->store, explain_func, &team, &error));
  g_test_message ("agent: %s team: %s", agent.plan, team.plan);
  g_assert_nonnull (strstr (agent.plan, "USING INDEX interaction_agent (agent_id=? AND started_at>? AND started_at<?)"));
  g_assert_nonnull (strstr (team.plan, "USING INDEX interaction_team (team_id=? AND started_at>? AND started_at<?)"));
  g_free (agent.plan);
  g_free (team.plan);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func, data) \
  g_test_add ("/store/directory/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("teams", test_teams, NULL);
  ADD ("agents", test_agents, NULL);
  ADD ("agent-figures", test_agent_figures, NULL);
  ADD ("team-figures", test_team_figures, NULL);
  ADD ("bad-input", test_bad_input, NULL);
  ADD ("empty", test_empty, "empty");
  ADD ("query-plan", test_query_plan, NULL);
#undef ADD
  return g_test_run ();
}
