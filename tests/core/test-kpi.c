/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
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
test_normal_quantile (void)
{
  g_assert_cmpfloat_with_epsilon (assay_kpi_normal_quantile (0.975), 1.959963984540054, 1e-12);
  g_assert_cmpfloat_with_epsilon (assay_kpi_normal_quantile (0.5), 0.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (assay_kpi_normal_quantile (0.995), 2.5758293035489, 1e-11);
  g_assert_cmpfloat_with_epsilon (assay_kpi_normal_quantile (0.025), -1.959963984540054, 1e-12);
  g_assert_cmpfloat_with_epsilon (assay_kpi_normal_quantile (1e-6), -4.753424308822899, 1e-9);
  g_assert_true (isnan (assay_kpi_normal_quantile (0.0)));
  g_assert_true (isnan (assay_kpi_normal_quantile (1.0)));
}

static void
test_t_quantile (void)
{
  /* published values of t(0.975, df) and t(0.995, df) */
  static const struct { double p; gint64 df; double t; double eps; } known[] = {
    { 0.975, 1, 12.706204736174698, 1e-9 },
    { 0.975, 2, 4.302652729749464, 1e-12 },
    { 0.975, 3, 3.182446305283708, 1e-12 },
    { 0.975, 4, 2.776445105197793, 1e-12 },
    { 0.975, 5, 2.570581835636314, 1e-12 },
    { 0.975, 9, 2.262157162798205, 1e-12 },
    { 0.975, 10, 2.228138851986274, 1e-12 },
    { 0.975, 29, 2.045229642132703, 1e-12 },
    { 0.975, 30, 2.042272456301238, 1e-12 },
    { 0.975, 100, 1.983971518523552, 1e-12 },
    { 0.975, 1000, 1.962339080826408, 1e-12 },
    { 0.975, 100000, 1.959987707534609, 1e-10 },
    { 0.995, 5, 4.032142983555227, 1e-11 },
    { 0.995, 29, 2.756385903670605, 1e-11 },
    { 0.95, 7, 1.894578605090006, 1e-12 },
    { 0.9, 3, 1.637744353696210, 1e-12 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      double t = assay_kpi_t_quantile (known[i].p, known[i].df);

      g_test_message ("t(%g, %" G_GINT64_FORMAT ") = %.15f, want %.15f", known[i].p, known[i].df,
                      t, known[i].t);
      g_assert_cmpfloat_with_epsilon (t, known[i].t, known[i].eps);
      /* symmetric */
      g_assert_cmpfloat_with_epsilon (assay_kpi_t_quantile (1.0 - known[i].p, known[i].df),
                                      -known[i].t, known[i].eps);
    }
  /* the rounded values */
  g_assert_cmpfloat_with_epsilon (assay_kpi_t_quantile (0.975, 4), 2.776, 5e-4);
  g_assert_cmpfloat_with_epsilon (assay_kpi_t_quantile (0.975, 29), 2.045, 5e-4);
  g_assert_cmpfloat (assay_kpi_t_quantile (0.5, 12), ==, 0.0);
  /* decreasing in df towards the normal quantile, on both sides of the 2000 switch */
  for (gint64 df = 1; df < 3000; df += 37)
    g_assert_cmpfloat (assay_kpi_t_quantile (0.975, df), >, assay_kpi_t_quantile (0.975, df + 37));
  g_assert_cmpfloat (assay_kpi_t_quantile (0.975, 2000), >, assay_kpi_t_quantile (0.975, 2001));
  g_assert_true (isnan (assay_kpi_t_quantile (0.975, 0)));
  g_assert_true (isnan (assay_kpi_t_quantile (1.5, 3)));
}

static void
test_wilson (void)
{
  double lo = -1, hi = -1;
  AssayKpiEstimate e;

  /* 8 of 10: the textbook Wilson interval 0.4902 – 0.9433 */
  g_assert_true (assay_kpi_wilson (8, 10, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, 49.016, 0.001);
  g_assert_cmpfloat_with_epsilon (hi, 94.332, 0.001);
  /* 0 of 10 and 10 of 10 stay inside 0–100 and are not empty */
  g_assert_true (assay_kpi_wilson (0, 10, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (hi, 27.753, 0.001);
  g_assert_true (assay_kpi_wilson (10, 10, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, 72.247, 0.001);
  g_assert_cmpfloat_with_epsilon (hi, 100.0, 1e-9);
  /* 50 of 100: 40.383 – 59.617 */
  g_assert_true (assay_kpi_wilson (50, 100, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, 40.383, 0.001);
  g_assert_cmpfloat_with_epsilon (hi, 59.617, 0.001);
  lo = hi = 7;
  g_assert_false (assay_kpi_wilson (0, 0, &lo, &hi));
  g_assert_false (assay_kpi_wilson (11, 10, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 7);

  e = assay_kpi_estimate_share (8, 10);
  g_assert_true (e.known && e.has_ci);
  g_assert_cmpfloat (e.value, ==, 80.0);
  g_assert_cmpint (e.n, ==, 10);
  g_assert_cmpfloat (e.ci_lo, <, e.value);
  g_assert_cmpfloat (e.ci_hi, >, e.value);
  g_assert_false (assay_kpi_estimate_share (0, 0).known);
}

static void
test_mean_interval (void)
{
  /* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, s = 2.138, t(0.975, 7) = 2.364624 */
  static const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
  double sum = 0, sq = 0, half;
  AssayKpiEstimate e;

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    sum += x[i], sq += x[i] * x[i];
  e = assay_kpi_estimate_mean (sum, sq, 8);
  g_assert_true (e.known && e.has_ci);
  g_assert_cmpfloat (e.value, ==, 5.0);
  half = 2.364624251592785 * sqrt (32.0 / 7.0) / sqrt (8.0);
  g_assert_cmpfloat_with_epsilon (e.ci_lo, 5.0 - half, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.ci_hi, 5.0 + half, 1e-9);
  g_assert_cmpfloat_with_epsilon (e.ci_hi - e.ci_lo, 3.574, 0.001);

  /* one value: a figure, but no interval */
  e = assay_kpi_estimate_mean (70, 4900, 1);
  g_assert_true (e.known);
  g_assert_false (e.has_ci);
  g_assert_cmpfloat (e.ci_lo, ==, 70.0);
  /* equal values: a zero-width interval, never NaN from rounding */
  e = assay_kpi_estimate_mean (3 * 0.1, 3 * 0.01, 3);
  g_assert_true (e.has_ci);
  g_assert_false (isnan (e.ci_lo));
  g_assert_cmpfloat_with_epsilon (e.ci_hi - e.ci_lo, 0.0, 1e-6);
  g_assert_false (assay_kpi_estimate_mean (0, 0, 0).known);

  /* NPS: 5 promoters, 3 passives, 2 detractors as a mean of +100, 0, −100 */
  e = assay_kpi_estimate_nps (5, 2, 10);
  g_assert_cmpfloat_with_epsilon (e.value, 30.0, 1e-12);
  {
    double m = 30.0, s2 = (5 * 10000.0 + 2 * 10000.0 - 10 * m * m) / 9.0;
    double h = assay_kpi_t_quantile (0.975, 9) * sqrt (s2 / 10.0);

    g_assert_cmpfloat_with_epsilon (e.ci_lo, m - h, 1e-9);
    g_assert_cmpfloat_with_epsilon (e.ci_hi, MIN (100.0, m + h), 1e-9);
  }
  e = assay_kpi_estimate_nps (10, 0, 10);
  g_assert_cmpfloat (e.value, ==, 100.0);
  g_assert_cmpfloat (e.ci_hi, <=, 100.0);
  g_assert_false (assay_kpi_estimate_nps (3, 2, 4).known);
}

static void
test_status (void)
{
  AssayKpiEstimate e = { TRUE, 85.0, 20, TRUE, 80, 90 };

  /* higher is better: target 85, warning 75 */
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 85, 75, FALSE), ==, ASSAY_KPI_STATUS_ON_TARGET);
  e.value = 84.9;
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 85, 75, FALSE), ==, ASSAY_KPI_STATUS_WARNING);
  e.value = 75.0;
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 85, 75, FALSE), ==, ASSAY_KPI_STATUS_WARNING);
  e.value = 74.9;
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 85, 75, FALSE), ==, ASSAY_KPI_STATUS_BREACH);
  /* lower is better (AHT 300 s target, 360 s warning) */
  e.value = 300;
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 300, 360, TRUE), ==, ASSAY_KPI_STATUS_ON_TARGET);
  e.value = 330;
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 300, 360, TRUE), ==, ASSAY_KPI_STATUS_WARNING);
  e.value = 361;
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 300, 360, TRUE), ==, ASSAY_KPI_STATUS_BREACH);
  /* too few, no target, no data */
  e.n = 4;
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 300, 360, TRUE), ==, ASSAY_KPI_STATUS_TOO_FEW);
  e.n = 5;
  g_assert_cmpint (assay_kpi_status (&e, 5, FALSE, 0, 0, TRUE), ==, ASSAY_KPI_STATUS_NO_TARGET);
  e.known = FALSE;
  g_assert_cmpint (assay_kpi_status (&e, 5, TRUE, 300, 360, TRUE), ==, ASSAY_KPI_STATUS_NO_DATA);
  g_assert_cmpint (assay_kpi_status (NULL, 5, TRUE, 300, 360, TRUE), ==, ASSAY_KPI_STATUS_NO_DATA);
  g_assert_cmpstr (assay_kpi_status_key (ASSAY_KPI_STATUS_TOO_FEW), ==, "too_few");
  g_assert_cmpstr (assay_kpi_status_key (ASSAY_KPI_STATUS_ON_TARGET), ==, "on_target");
  g_assert_true (G_TYPE_IS_ENUM (ASSAY_TYPE_KPI_STATUS));
}

static void
test_lines (void)
{
  for (int i = 0; i < ASSAY_KPI_N_LINES; i++)
    g_assert_cmpint (assay_kpi_line_from_key (assay_kpi_line_key (i)), ==, i);
  g_assert_cmpint (assay_kpi_line_from_key ("aht_s.chat"), ==, ASSAY_KPI_LINE_AHT_CHAT);
  g_assert_cmpint (assay_kpi_line_from_key ("aht_s"), ==, -1);
  g_assert_cmpint (assay_kpi_line_from_key (NULL), ==, -1);
  g_assert_true (assay_kpi_line_lower_is_better (ASSAY_KPI_LINE_AHT_EMAIL));
  g_assert_true (assay_kpi_line_lower_is_better (ASSAY_KPI_LINE_FIRST_RESPONSE));
  g_assert_true (assay_kpi_line_lower_is_better (ASSAY_KPI_LINE_CRITICAL_FAIL_RATE));
  g_assert_false (assay_kpi_line_lower_is_better (ASSAY_KPI_LINE_CSAT));
  g_assert_false (assay_kpi_line_lower_is_better (ASSAY_KPI_LINE_QA_SCORE));
  g_assert_cmpint (assay_kpi_channel_from_name ("ticket"), ==, 3);
  g_assert_cmpint (assay_kpi_channel_from_name ("fax"), ==, -1);
  g_assert_cmpstr (assay_kpi_priority_name (3), ==, "urgent");
}

static void
test_sums (void)
{
  AssayKpiSums a = { 0 }, b = { 0 };
  AssayKpiEstimate e;

  a.qa_n = 2, a.qa_e4 = 1500000, a.qa_e4sq = 500000LL * 500000 + 1000000LL * 1000000;
  a.handled[1] = 2, a.handle_s[1] = 600, a.handle_s2[1] = 200 * 200 + 400 * 400;
  a.sla_n[2][2] = 4, a.sla_ok[2][2] = 3;
  b.qa_n = 1, b.qa_e4 = 600000, b.qa_e4sq = 600000LL * 600000;
  b.sla_n[0][3] = 1, b.sla_ok[0][3] = 1;
  b.evals = 4, b.fatal = 1;
  assay_kpi_sums_add (&a, &b);
  e = assay_kpi_sums_estimate (&a, ASSAY_KPI_LINE_QA_SCORE);
  g_assert_cmpint (e.n, ==, 3);
  g_assert_cmpfloat_with_epsilon (e.value, 70.0, 1e-9);   /* (50 + 100 + 60) / 3 */
  e = assay_kpi_sums_estimate (&a, ASSAY_KPI_LINE_AHT_CHAT);
  g_assert_cmpfloat (e.value, ==, 300.0);
  g_assert_false (assay_kpi_sums_estimate (&a, ASSAY_KPI_LINE_AHT_PHONE).known);
  e = assay_kpi_sums_estimate (&a, ASSAY_KPI_LINE_SLA_ATTAINMENT);
  g_assert_cmpint (e.n, ==, 5);
  g_assert_cmpfloat (e.value, ==, 80.0);
  e = assay_kpi_sums_sla (&a, 2, -1);
  g_assert_cmpfloat (e.value, ==, 75.0);
  e = assay_kpi_sums_sla (&a, -1, 3);
  g_assert_cmpfloat (e.value, ==, 100.0);
  g_assert_false (assay_kpi_sums_sla (&a, 1, -1).known);
  e = assay_kpi_sums_estimate (&a, ASSAY_KPI_LINE_CRITICAL_FAIL_RATE);
  g_assert_cmpfloat (e.value, ==, 25.0);
}

static void
test_days (void)
{
  int day = -1;
  g_autofree char *text = NULL;

  g_assert_cmpint (assay_kpi_day_from_ymd (1970, 1, 1), ==, 0);
  g_assert_cmpint (assay_kpi_day_from_ymd (2024, 3, 1), ==, 19783);
  g_assert_true (assay_kpi_day_parse ("2024-02-29", &day));
  g_assert_cmpint (day, ==, 19782);
  text = assay_kpi_day_format (day);
  g_assert_cmpstr (text, ==, "2024-02-29");
  g_assert_cmpint (assay_kpi_day_weekday (0), ==, 4);          /* a Thursday */
  g_assert_cmpint (assay_kpi_day_weekday (19782), ==, 4);      /* 2024-02-29, a Thursday */
  g_assert_cmpint (assay_kpi_day_weekday (19785), ==, 7);
  g_assert_false (assay_kpi_day_parse ("2023-02-29", &day));
  g_assert_false (assay_kpi_day_parse ("2024-2-29", &day));
  g_assert_false (assay_kpi_day_parse ("2024-02-29x", &day));
  g_assert_false (assay_kpi_day_parse ("yesterday", &day));
  g_assert_false (assay_kpi_day_parse (NULL, &day));
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
  g_test_add_func ("/core/kpi/normal-quantile", test_normal_quantile);
  g_test_add_func ("/core/kpi/t-quantile", test_t_quantile);
  g_test_add_func ("/core/kpi/wilson", test_wilson);
  g_test_add_func ("/core/kpi/mean-interval", test_mean_interval);
  g_test_add_func ("/core/kpi/status", test_status);
  g_test_add_func ("/core/kpi/lines", test_lines);
  g_test_add_func ("/core/kpi/sums", test_sums);
  g_test_add_func ("/core/kpi/days", test_days);
  g_test_add_func ("/core/directory/search", test_directory_search);
  return g_test_run ();
}
