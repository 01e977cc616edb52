/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "core/assay-chart-math.h"

static void
test_scale (void)
{
  /* a vertical axis: 0 % at the bottom (y 200), 100 % at the top (y 20) */
  AssayChartScale s = { 0, 100, 200, 20 };
  AssayChartScale flat = { 5, 5, 0, 10 };

  g_assert_cmpfloat (assay_chart_scale_map (&s, 0), ==, 200);
  g_assert_cmpfloat (assay_chart_scale_map (&s, 100), ==, 20);
  g_assert_cmpfloat (assay_chart_scale_map (&s, 50), ==, 110);
  g_assert_cmpfloat_with_epsilon (assay_chart_scale_map (&s, 110), 2, 1e-12);  /* extrapolated */
  g_assert_cmpfloat_with_epsilon (assay_chart_scale_invert (&s, 110), 50, 1e-12);
  g_assert_cmpfloat_with_epsilon (assay_chart_scale_invert (&s, assay_chart_scale_map (&s, 37.5)),
                                  37.5, 1e-12);
  g_assert_cmpfloat (assay_chart_scale_map (&flat, 5), ==, 5);
}

static void
test_ticks (void)
{
  AssayChartTicks t;

  assay_chart_nice_ticks (0, 100, 6, &t);
  g_assert_cmpfloat (t.lo, ==, 0);
  g_assert_cmpfloat (t.hi, ==, 100);
  g_assert_cmpfloat (t.step, ==, 20);
  g_assert_cmpuint (t.n, ==, 6);
  g_assert_cmpuint (t.decimals, ==, 0);

  assay_chart_nice_ticks (63.2, 91.7, 5, &t);
  g_assert_cmpfloat (t.step, ==, 10);
  g_assert_cmpfloat (t.lo, ==, 60);
  g_assert_cmpfloat (t.hi, ==, 100);
  g_assert_cmpuint (t.n, ==, 5);

  assay_chart_nice_ticks (0.1, 0.3, 5, &t);
  g_assert_cmpfloat_with_epsilon (t.step, 0.05, 1e-12);
  g_assert_cmpuint (t.decimals, ==, 2);
  g_assert_cmpfloat (assay_chart_tick_value (&t, 0), ==, 0.1);
  g_assert_cmpfloat (assay_chart_tick_value (&t, 2), ==, 0.2);
  g_assert_cmpfloat (assay_chart_tick_value (&t, 4), ==, 0.3);

  /* NPS across zero */
  assay_chart_nice_ticks (-37, 12, 7, &t);
  g_assert_cmpfloat (t.step, ==, 10);
  g_assert_cmpfloat (t.lo, ==, -40);
  g_assert_cmpfloat (t.hi, ==, 20);
  g_assert_cmpfloat (assay_chart_tick_value (&t, 4), ==, 0);

  /* every range gets ticks that cover it, within the limit */
  for (double lo = -1000; lo < 1000; lo += 97.3)
    for (double span = 0.01; span < 5000; span *= 3.7)
      for (guint max = 3; max <= 11; max += 4)
        {
          assay_chart_nice_ticks (lo, lo + span, max, &t);
          g_assert_cmpfloat (t.lo, <=, lo + 1e-9 * fabs (lo));
          g_assert_cmpfloat (t.hi, >=, lo + span - 1e-9 * fabs (lo + span));
          g_assert_cmpuint (t.n, <=, max);
          g_assert_cmpuint (t.n, >=, 2);
        }

  /* an empty range and nonsense are widened, not divided by zero */
  assay_chart_nice_ticks (50, 50, 5, &t);
  g_assert_cmpfloat (t.lo, <, 50);
  g_assert_cmpfloat (t.hi, >, 50);
  assay_chart_nice_ticks (0, 0, 5, &t);
  g_assert_cmpfloat (t.lo, <=, -1);
  g_assert_cmpfloat (t.hi, >=, 1);
  assay_chart_nice_ticks (NAN, 3, 5, &t);
  g_assert_cmpfloat (t.lo, ==, 0);
  g_assert_cmpfloat (t.hi, ==, 1);
  assay_chart_nice_ticks (10, 0, 6, &t);   /* reversed */
  g_assert_cmpfloat (t.lo, ==, 0);
  g_assert_cmpfloat (t.hi, ==, 10);
}

static void
test_bands (void)
{
  AssayChartBand b[4];

  g_assert_true (assay_chart_band_layout (4, 10, 400, 0.2, b));
  /* bands of 100 px: bar 80 px, 10 px margin on either side */
  g_assert_cmpfloat_with_epsilon (b[0].x, 20, 1e-12);
  g_assert_cmpfloat_with_epsilon (b[0].width, 80, 1e-12);
  g_assert_cmpfloat_with_epsilon (b[3].x, 320, 1e-12);
  g_assert_cmpfloat_with_epsilon (b[3].x + b[3].width + 10, 410, 1e-12);
  g_assert_true (assay_chart_band_layout (1, 0, 50, 0, b));
  g_assert_cmpfloat (b[0].width, ==, 50);
  g_assert_false (assay_chart_band_layout (0, 0, 50, 0, b));
  g_assert_false (assay_chart_band_layout (2, 0, 0, 0, b));
}

static void
test_stack (void)
{
  /* two bars of three series: phone, chat, email */
  const double v[] = { 3, 1, 2,
                       0, NAN, -4 };
  AssayChartSegment seg[6];

  g_assert_cmpfloat (assay_chart_stack (v, 2, 3, seg), ==, 6);
  g_assert_cmpfloat (seg[0].lo, ==, 0);
  g_assert_cmpfloat (seg[0].hi, ==, 3);
  g_assert_cmpfloat (seg[1].lo, ==, 3);
  g_assert_cmpfloat (seg[1].hi, ==, 4);
  g_assert_cmpfloat (seg[2].lo, ==, 4);
  g_assert_cmpfloat (seg[2].hi, ==, 6);
  for (guint i = 3; i < 6; i++)
    {
      g_assert_cmpfloat (seg[i].lo, ==, 0);
      g_assert_cmpfloat (seg[i].hi, ==, 0);
    }
}

static void
test_bins (void)
{
  const double scores[] = { 0, 9.99, 10, 55, 99.9, 100, -1, 100.5, NAN };
  guint counts[10];

  g_assert_cmpuint (assay_chart_bins (scores, G_N_ELEMENTS (scores), 0, 100, 10, counts), ==, 3);
  g_assert_cmpuint (counts[0], ==, 2);     /* 0 and 9.99 */
  g_assert_cmpuint (counts[1], ==, 1);     /* 10 starts the second bin */
  g_assert_cmpuint (counts[5], ==, 1);
  g_assert_cmpuint (counts[9], ==, 2);     /* 99.9 and 100, the top edge included */
  g_assert_cmpuint (counts[2] + counts[3] + counts[4] + counts[6] + counts[7] + counts[8], ==, 0);
  g_assert_cmpuint (assay_chart_bins (scores, 3, 5, 5, 10, counts), ==, 3);
  g_assert_cmpuint (counts[0], ==, 0);
}

static void
test_pareto (void)
{
  /* people, process, technology, resources, environment: lost points */
  const double lost[] = { 30, 50, 10, 10, 0 };
  AssayChartParetoItem items[5];
  const double none[] = { 0, 0 };

  assay_chart_pareto (lost, 5, items);
  g_assert_cmpuint (items[0].index, ==, 1);
  g_assert_cmpfloat (items[0].cumulative, ==, 50);
  g_assert_cmpuint (items[1].index, ==, 0);
  g_assert_cmpfloat (items[1].cumulative, ==, 80);
  g_assert_cmpuint (items[2].index, ==, 2);    /* a tie keeps the input order */
  g_assert_cmpuint (items[3].index, ==, 3);
  g_assert_cmpfloat (items[3].cumulative, ==, 100);
  g_assert_cmpuint (items[4].index, ==, 4);
  g_assert_cmpfloat (items[4].cumulative, ==, 100);
  for (guint i = 1; i < 5; i++)
    g_assert_cmpfloat (items[i].value, <=, items[i - 1].value);

  assay_chart_pareto (none, 2, items);
  g_assert_cmpfloat (items[0].cumulative, ==, 0);
  g_assert_cmpfloat (items[1].cumulative, ==, 0);
}

static void
test_band_at (void)
{
  AssayChartBand bands[4];

  /* four bars over 0–400 with a quarter gap: bands 12.5–87.5, 112.5–187.5, ... */
  g_assert_true (assay_chart_band_layout (4, 0, 400, 0.25, bands));
  g_assert_cmpint (assay_chart_band_at (bands, 4, 50), ==, 0);
  g_assert_cmpint (assay_chart_band_at (bands, 4, 0), ==, 0);        /* the half gap before it */
  g_assert_cmpint (assay_chart_band_at (bands, 4, 99.9), ==, 0);
  g_assert_cmpint (assay_chart_band_at (bands, 4, 100), ==, 1);      /* the gap splits evenly */
  g_assert_cmpint (assay_chart_band_at (bands, 4, 399), ==, 3);
  g_assert_cmpint (assay_chart_band_at (bands, 4, 400), ==, 3);
  g_assert_cmpint (assay_chart_band_at (bands, 4, 400.5), ==, -1);
  g_assert_cmpint (assay_chart_band_at (bands, 4, -1), ==, -1);
  g_assert_cmpint (assay_chart_band_at (bands, 0, 10), ==, -1);
  /* one bar: its band only */
  g_assert_true (assay_chart_band_layout (1, 10, 100, 0.5, bands));
  g_assert_cmpint (assay_chart_band_at (bands, 1, 60), ==, 0);
  g_assert_cmpint (assay_chart_band_at (bands, 1, 20), ==, -1);
}

static void
test_range_and_line (void)
{
  const double v[] = { 82.5, NAN, 61, INFINITY, 95 };
  const double target[] = { 85 };
  double min = INFINITY, max = -INFINITY;
  AssayChartBand bands[5];
  AssayChartScale scale = { 0, 100, 200, 0 };
  double xs[5], ys[5];

  assay_chart_data_range (NULL, 3, &min, &max);
  g_assert_cmpfloat (min, >, max);                     /* still empty */
  assay_chart_data_range (v, 5, &min, &max);
  g_assert_cmpfloat (min, ==, 61);
  g_assert_cmpfloat (max, ==, 95);
  assay_chart_data_range (target, 1, &min, &max);
  g_assert_cmpfloat (max, ==, 95);

  g_assert_true (assay_chart_band_layout (5, 0, 500, 0, bands));
  assay_chart_line_points (bands, v, 5, &scale, xs, ys);
  g_assert_cmpfloat (xs[0], ==, 50);
  g_assert_cmpfloat (xs[4], ==, 450);
  g_assert_cmpfloat (ys[0], ==, 35);                   /* 82.5 % of 200 px up from 200 */
  g_assert_true (isnan (ys[1]));                       /* no data: the line breaks */
  g_assert_cmpfloat (ys[2], ==, 78);
  g_assert_true (isnan (ys[3]));
  g_assert_cmpfloat (ys[4], ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/chart-math/scale", test_scale);
  g_test_add_func ("/core/chart-math/ticks", test_ticks);
  g_test_add_func ("/core/chart-math/bands", test_bands);
  g_test_add_func ("/core/chart-math/stack", test_stack);
  g_test_add_func ("/core/chart-math/bins", test_bins);
  g_test_add_func ("/core/chart-math/pareto", test_pareto);
  g_test_add_func ("/core/chart-math/band-at", test_band_at);
  g_test_add_func ("/core/chart-math/range-and-line", test_range_and_line);
  return g_test_run ();
}
