/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "core/assay-directory.h"
#include "core/assay-kpi.h"

static void
test_share (void)
{
  AssayKpiValue v;

  v = assay_kpi_share (3, 4);
  g_assert_true (v.known);
  g_assert_cmpfloat_with_epsilon (v.value, 75.0, 1e-9);
  g_assert_cmpint (v.n, ==, 4);

  v = assay_kpi_share (0, 7);
  g_assert_true (v.known);            /* zero of something is a real 0 % */
  g_assert_cmpfloat (v.value, ==, 0.0);

  v = assay_kpi_share (2, 3);
  g_assert_cmpfloat_with_epsilon (v.value, 200.0 / 3.0, 1e-9);

  /* no answers: no data, not 0 */
  v = assay_kpi_share (0, 0);
  g_assert_false (v.known);
  g_assert_cmpint (v.n, ==, 0);
  /* inconsistent counts are not figures either */
  g_assert_false (assay_kpi_share (5, 4).known);
  g_assert_false (assay_kpi_share (-1, 4).known);
  g_assert_false (assay_kpi_share (1, -4).known);
}

static void
test_nps (void)
{
  AssayKpiValue v;

  /* 50 promoters, 30 passives, 20 detractors */
  v = assay_kpi_nps (50, 20, 100);
  g_assert_true (v.known);
  g_assert_cmpfloat_with_epsilon (v.value, 30.0, 1e-9);
  g_assert_cmpint (v.n, ==, 100);

  g_assert_cmpfloat (assay_kpi_nps (0, 9, 9).value, ==, -100.0);
  g_assert_cmpfloat (assay_kpi_nps (1, 0, 1).value, ==, 100.0);
  g_assert_cmpfloat (assay_kpi_nps (0, 0, 4).value, ==, 0.0);       /* only passives */
  g_assert_cmpfloat (assay_kpi_nps (1, 1, 3).value, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (assay_kpi_nps (2, 1, 3).value, 100.0 / 3.0, 1e-9);

  g_assert_false (assay_kpi_nps (0, 0, 0).known);
  g_assert_false (assay_kpi_nps (3, 2, 4).known);     /* more than the answers */
  g_assert_false (assay_kpi_nps (5, 0, 4).known);
  g_assert_false (assay_kpi_nps (-1, 0, 4).known);
}

static void
test_mean (void)
{
  AssayKpiValue v = assay_kpi_mean (900, 3);

  g_assert_true (v.known);
  g_assert_cmpfloat (v.value, ==, 300.0);
  g_assert_cmpint (v.n, ==, 3);
  g_assert_false (assay_kpi_mean (0, 0).known);
  g_assert_false (assay_kpi_mean (10, -1).known);
}

static void
test_figures (void)
{
  AssayKpiCounts counts = {
    .contacts = 10, .abandoned = 2, .handled = 8,
    .handled_phone = 5, .handle_s_phone = 1500,
    .handled_written = 3, .handle_s_written = 1800,
    .csat_answers = 4, .csat_satisfied = 3,
    .nps_answers = 5, .nps_promoters = 2, .nps_detractors = 1,
    .fcr_known = 0, .fcr_resolved = 0,
    .sl_offered = 7, .sl_answered = 4,
  };
  AssayKpiFigures f;

  assay_kpi_figures_compute (&counts, &f);
  g_assert_cmpint (f.contacts, ==, 10);
  g_assert_cmpint (f.handled, ==, 8);
  g_assert_cmpint (f.abandoned, ==, 2);
  g_assert_cmpfloat_with_epsilon (f.csat.value, 75.0, 1e-9);
  g_assert_cmpint (f.csat.n, ==, 4);
  g_assert_cmpfloat_with_epsilon (f.nps.value, 20.0, 1e-9);
  g_assert_false (f.fcr.known);
  g_assert_cmpfloat (f.aht_phone.value, ==, 300.0);
  g_assert_cmpfloat (f.aht_written.value, ==, 600.0);
  g_assert_cmpfloat_with_epsilon (f.aht.value, 3300.0 / 8.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (f.service_level.value, 400.0 / 7.0, 1e-9);
  g_assert_cmpint (f.service_level.n, ==, 7);
  g_assert_cmpfloat_with_epsilon (f.abandon_rate.value, 20.0, 1e-9);

  /* nothing at all: every figure says "no data" */
  memset (&counts, 0, sizeof counts);
  assay_kpi_figures_compute (&counts, &f);
  g_assert_false (f.csat.known);
  g_assert_false (f.nps.known);
  g_assert_false (f.fcr.known);
  g_assert_false (f.aht.known);
  g_assert_false (f.aht_phone.known);
  g_assert_false (f.aht_written.known);
  g_assert_false (f.service_level.known);
  g_assert_false (f.abandon_rate.known);
  g_assert_cmpint (f.contacts, ==, 0);
}

static void
test_counts_add (void)
{
  AssayKpiCounts a = { .contacts = 2, .csat_answers = 1, .csat_satisfied = 1, .sl_offered = 2 };
  AssayKpiCounts b = { .contacts = 3, .csat_answers = 2, .csat_satisfied = 0, .sl_answered = 1 };
  AssayKpiFigures f;

  assay_kpi_counts_add (&a, &b);
  g_assert_cmpint (a.contacts, ==, 5);
  g_assert_cmpint (a.csat_answers, ==, 3);
  g_assert_cmpint (a.sl_offered, ==, 2);
  g_assert_cmpint (a.sl_answered, ==, 1);
  assay_kpi_figures_compute (&a, &f);
  g_assert_cmpfloat_with_epsilon (f.csat.value, 100.0 / 3.0, 1e-9);
}

static void
test_level (void)
{
  AssayKpiValue v = { TRUE, 90.0, 20 };

  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_CSAT, &v), ==, ASSAY_KPI_LEVEL_HIGH);
  v.value = 85.0;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_CSAT, &v), ==, ASSAY_KPI_LEVEL_HIGH);
  v.value = 75.0;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_CSAT, &v), ==, ASSAY_KPI_LEVEL_MID);
  v.value = 69.9;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_CSAT, &v), ==, ASSAY_KPI_LEVEL_LOW);

  v.value = -5.0;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_NPS, &v), ==, ASSAY_KPI_LEVEL_LOW);
  v.value = 0.0;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_NPS, &v), ==, ASSAY_KPI_LEVEL_MID);

  /* abandon rate: lower is better */
  v.value = 12.0;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_ABANDON_RATE, &v), ==, ASSAY_KPI_LEVEL_LOW);
  v.value = 3.0;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_ABANDON_RATE, &v), ==, ASSAY_KPI_LEVEL_HIGH);

  /* AHT has no good or bad; unknown and thin figures get no cue */
  v.value = 300.0;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_AHT, &v), ==, ASSAY_KPI_LEVEL_NONE);
  v.value = 10.0;
  v.n = ASSAY_KPI_MIN_N_FOR_LEVEL - 1;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_CSAT, &v), ==, ASSAY_KPI_LEVEL_NONE);
  v.n = 20;
  v.known = FALSE;
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_CSAT, &v), ==, ASSAY_KPI_LEVEL_NONE);
  g_assert_cmpint (assay_kpi_level (ASSAY_KPI_CSAT, NULL), ==, ASSAY_KPI_LEVEL_NONE);

  g_assert_true (G_TYPE_IS_ENUM (ASSAY_TYPE_KPI_LEVEL));
}

static void
count_notify_cb (guint *count)
{
  (*count)++;
}

static void
test_directory_search (void)
{
  g_autoptr(AssayAgent) agent = assay_agent_new ("a1", "Zhang Wei", "E-042", "t1", "Billing",
                                                 TRUE, 12);
  g_autoptr(AssayAgent) zh = assay_agent_new ("a2", "王芳", "E-043", NULL, NULL, FALSE, 0);
  g_autoptr(AssayTeam) team = assay_team_new ("t1", "Billing", NULL, 3);
  g_autofree char *upper = assay_directory_fold_text ("ZHANG");
  g_autofree char *code = assay_directory_fold_text ("e-042");
  g_autofree char *fang = assay_directory_fold_text ("芳");
  g_autofree char *none = assay_directory_fold_text ("nobody");
  AssayKpiCounts counts = { .contacts = 4 };
  guint notified = 0;

  g_assert_true (assay_agent_matches (agent, upper));
  g_assert_true (assay_agent_matches (agent, code));
  g_assert_true (assay_agent_matches (agent, ""));
  g_assert_true (assay_agent_matches (agent, NULL));
  g_assert_false (assay_agent_matches (agent, none));
  g_assert_true (assay_agent_matches (zh, fang));
  g_assert_false (assay_agent_matches (agent, fang));
  g_assert_true (assay_directory_text_matches ("Billing", "bill"));
  g_assert_false (assay_directory_text_matches ("Billing", "sales"));
  /* names and teams match at the start of a word, codes anywhere */
  {
    g_autofree char *wei = assay_directory_fold_text ("Wei");
    g_autofree char *ang = assay_directory_fold_text ("ang");
    g_autofree char *digits = assay_directory_fold_text ("042");
    g_autofree char *li = assay_directory_fold_text ("li");

    g_assert_true (assay_agent_matches (agent, wei));
    g_assert_false (assay_agent_matches (agent, ang));
    g_assert_true (assay_agent_matches (agent, digits));
    g_assert_false (assay_directory_text_matches ("Billing", li));
    g_assert_true (assay_directory_text_matches ("Billing & Accounts", "acc"));
    g_assert_true (assay_directory_text_matches ("Tech-Support", "support"));
    g_assert_true (assay_directory_text_matches ("技术支持", "支持"));
  }

  g_assert_cmpstr (assay_agent_get_team_name (agent), ==, "Billing");
  g_assert_null (assay_agent_get_team_id (zh));
  g_assert_false (assay_agent_get_active (zh));
  g_assert_cmpuint (assay_agent_get_recent_contacts (agent), ==, 12);

  /* a team's figures arrive later, with a notification, once per change */
  g_signal_connect_swapped (team, "notify::counts", G_CALLBACK (count_notify_cb), &notified);
  g_assert_null (assay_team_get_counts (team));
  assay_team_set_counts (team, &counts);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (assay_team_get_counts (team)->contacts, ==, 4);
  assay_team_set_counts (team, &counts);
  g_assert_cmpuint (notified, ==, 1);
  assay_team_set_counts (team, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (assay_team_get_counts (team));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/kpi/share", test_share);
  g_test_add_func ("/core/kpi/nps", test_nps);
  g_test_add_func ("/core/kpi/mean", test_mean);
  g_test_add_func ("/core/kpi/figures", test_figures);
  g_test_add_func ("/core/kpi/counts-add", test_counts_add);
  g_test_add_func ("/core/kpi/level", test_level);
  g_test_add_func ("/core/directory/search", test_directory_search);
  return g_test_run ();
}
