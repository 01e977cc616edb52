/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How long a sampling draw takes (read the candidates, draw, write the assignments, in one
 * transaction) and how long its replay takes, on 20,000 and on 1,000,000 contacts. Prints
 * figures; asserts nothing about time.
 */
#include "store/assay-store-queue.h"
#include "test-db.h"

#define LAST_START G_GINT64_CONSTANT (1795176000000)   /* test_db_new(): the newest contact */
#define WEEK_MS    G_GINT64_CONSTANT (604800000)

static void
bench (guint n_interactions,
       guint weeks)
{
  g_autoptr(AssayStore) store = test_db_new (n_interactions);
  g_autoptr(AssaySamplingRule) rule = assay_sampling_rule_new ();
  g_autoptr(AssayDrawResult) result = NULL;
  g_autoptr(AssayDrawCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  double draw_s, verify_s;

  test_db_exec (store,
    "INSERT INTO form (id, name, created_at) VALUES ('40000000-0000-4000-8000-000000000001', 'Bench', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('41000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', 1, '{}', 1);");
  rule->per_agent_per_week = 5;
  rule->low_csat_weight = 3;
  rule->to_ms = LAST_START + 1;
  rule->from_ms = rule->to_ms - (gint64) weeks * WEEK_MS;

  g_timer_start (timer);
  result = assay_store_draw_sync (store, rule, "{\"bench\":true}", 12345, NULL, &error);
  draw_s = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);

  g_timer_start (timer);
  check = assay_store_verify_draw_sync (store, result->draw_id, rule, &error);
  verify_s = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  g_assert_true (check->matches);

  g_print ("draw %7u contacts, %3u week(s): %6u in the period, %4u drawn, draw %7.1f ms,"
           " replay %7.1f ms\n", n_interactions, weeks, result->n_matching, result->n_drawn,
           draw_s * 1000, verify_s * 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  bench (20000, 1);
  bench (20000, 4);
  bench (1000000, 1);
  bench (1000000, 13);
  return 0;
}
