/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "store/assay-store-insights.h"
#include "core/assay-util.h"
#include "test-db.h"

/*
 * Billing (t1): Zhang Wei (a1) with two phone contacts and a chat, 王芳 (a2) with one phone
 * contact; Sales (t2): Oliver Grant (a3) with an email. All on 2026-11-10 and 11, UTC.
 */
static AssayStore *
fixture (void)
{
  g_autofree char *path = test_db_path ();
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_utc (2026, 11, 10, 9, 0, 0);
  gint64 t = g_date_time_to_unix (day) * 1000;
  g_autofree char *sql = NULL;

  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);
  test_db_exec (store,
    "INSERT INTO team (id, name) VALUES ('t1', 'Billing'), ('t2', 'Sales');"
    "INSERT INTO agent (id, team_id, name, employee_code, active) VALUES"
    "  ('a1', 't1', 'Zhang Wei', 'E001', 1), ('a2', 't1', '王芳', 'E002', 1),"
    "  ('a3', 't2', 'Oliver Grant', 'E003', 1);");
  sql = g_strdup_printf (
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, started_at, talk_s, hold_s,"
    "  wrap_s, csat, nps, fcr, answered_in_sl, abandoned) VALUES"
    " ('i1', 'phone', 'Q', 'a1', 't1', %1$" G_GINT64_FORMAT ", 300, 20, 40, 5, 10, 1, 1, 0),"
    " ('i2', 'phone', 'Q', 'a1', 't1', %1$" G_GINT64_FORMAT " + 86400000, 200, 0, 40, 3, 6, 0, 0, 0),"
    " ('i3', 'chat', 'Q', 'a1', 't1', %1$" G_GINT64_FORMAT ", 600, 0, 60, 4, 8, 1, NULL, 0),"
    " ('i4', 'phone', 'Q', 'a2', 't1', %1$" G_GINT64_FORMAT ", 100, 0, 0, 1, 0, NULL, 1, 0),"
    " ('i5', 'email', 'Q', 'a3', 't2', %1$" G_GINT64_FORMAT ", 0, 0, 300, 2, NULL, NULL, NULL, 0);",
    t);
  test_db_exec (store, sql);
  return g_steal_pointer (&store);
}

static void
test_team (void)
{
  g_autoptr(AssayStore) store = fixture ();
  g_autoptr(GError) error = NULL;
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_TEAM, "Billing", assay_kpi_day_from_ymd (2026, 11, 1),
                      assay_kpi_day_from_ymd (2026, 11, 30), 0 };
  g_autoptr(AssayKpiBreakdown) b = assay_store_kpi_breakdown_sync (store, &q, &error);
  AssayKpiAgentSums *a;

  g_assert_no_error (error);
  g_assert_nonnull (b);
  g_assert_cmpuint (b->agents->len, ==, 2);
  a = g_ptr_array_index (b->agents, 0);              /* by name: Zhang Wei, then 王芳 */
  g_assert_cmpstr (a->name, ==, "Zhang Wei");
  g_assert_cmpstr (a->code, ==, "E001");
  g_assert_cmpint (a->sums.contacts, ==, 3);
  g_assert_cmpint (a->sums.csat_n, ==, 3);
  g_assert_cmpint (a->sums.csat_ok, ==, 2);
  g_assert_cmpint (a->sums.handled[0], ==, 2);
  g_assert_cmpint (a->sums.handle_s[0], ==, 360 + 240);
  a = g_ptr_array_index (b->agents, 1);
  g_assert_cmpstr (a->name, ==, "王芳");
  g_assert_cmpint (a->sums.contacts, ==, 1);
  /* channels of the team: three phone contacts, one chat, no email (that is Sales) */
  g_assert_cmpint (b->channels[0].contacts, ==, 3);
  g_assert_cmpint (b->channels[1].contacts, ==, 1);
  g_assert_cmpint (b->channels[2].contacts, ==, 0);
  g_assert_cmpuint (b->inspectors->len, ==, 0);
  for (guint i = 0; i < ASSAY_KPI_SCORE_BINS; i++)
    g_assert_cmpint (b->score_bins[i], ==, 0);
}

static void
test_centre_and_period (void)
{
  g_autoptr(AssayStore) store = fixture ();
  g_autoptr(GError) error = NULL;
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_CENTRE, NULL, assay_kpi_day_from_ymd (2026, 11, 11),
                      assay_kpi_day_from_ymd (2026, 11, 11), 0 };
  g_autoptr(AssayKpiBreakdown) one_day = assay_store_kpi_breakdown_sync (store, &q, &error);
  g_autoptr(AssayKpiBreakdown) month = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (one_day->agents->len, ==, 1);      /* only i2 on the 11th */
  g_assert_cmpint (one_day->channels[0].contacts, ==, 1);
  q.from_day = assay_kpi_day_from_ymd (2026, 11, 1);
  q.to_day = assay_kpi_day_from_ymd (2026, 11, 30);
  month = assay_store_kpi_breakdown_sync (store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (month->agents->len, ==, 3);
  g_assert_cmpint (month->channels[2].contacts, ==, 1);
}

static void
test_errors (void)
{
  g_autoptr(AssayStore) store = fixture ();
  g_autoptr(GError) error = NULL;
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_TEAM, "Nobody", 100, 130, 0 };
  AssayKpiBreakdown *b = assay_store_kpi_breakdown_sync (store, &q, &error);

  g_assert_null (b);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  q.scope = ASSAY_KPI_SCOPE_AGENT;
  q.subject = "E001";
  q.from_day = 130;
  q.to_day = 100;
  b = assay_store_kpi_breakdown_sync (store, &q, &error);
  g_assert_null (b);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/insights/team", test_team);
  g_test_add_func ("/store/insights/centre-and-period", test_centre_and_period);
  g_test_add_func ("/store/insights/errors", test_errors);
  return g_test_run ();
}
