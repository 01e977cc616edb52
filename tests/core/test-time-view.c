/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/assay-time-view.h"

static void
test_mapping (void)
{
  AssayTimeView v;

  assay_time_view_reset (&v, 120);
  g_assert_cmpfloat (assay_time_view_x_for_time (&v, 0, 600), ==, 0);
  g_assert_cmpfloat (assay_time_view_x_for_time (&v, 60, 600), ==, 300);
  g_assert_cmpfloat (assay_time_view_x_for_time (&v, 120, 600), ==, 600);
  g_assert_cmpfloat (assay_time_view_time_for_x (&v, 150, 600), ==, 30);
  /* x outside the widget clamps to the view */
  g_assert_cmpfloat (assay_time_view_time_for_x (&v, -10, 600), ==, 0);
  g_assert_cmpfloat (assay_time_view_time_for_x (&v, 9999, 600), ==, 120);
  /* a zero-width widget does not divide by zero */
  g_assert_cmpfloat (assay_time_view_time_for_x (&v, 10, 0), ==, 0);
}

static void
test_zoom_keeps_anchor (void)
{
  AssayTimeView v;
  double before, after;

  assay_time_view_reset (&v, 600);
  before = assay_time_view_x_for_time (&v, 200, 1000);
  assay_time_view_set_zoom (&v, 600, 4, 200);
  after = assay_time_view_x_for_time (&v, 200, 1000);
  g_assert_cmpfloat_with_epsilon (v.span_s, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (before, after, 1e-9);
  g_assert_cmpfloat_with_epsilon (assay_time_view_get_zoom (&v, 600), 4, 1e-9);

  /* zooming out past everything shows everything */
  assay_time_view_set_zoom (&v, 600, 0.1, 300);
  g_assert_cmpfloat (v.start_s, ==, 0);
  g_assert_cmpfloat (v.span_s, ==, 600);

  /* zooming in stops at the smallest span */
  assay_time_view_set_zoom (&v, 600, 1e6, 599);
  g_assert_cmpfloat (v.span_s, ==, ASSAY_TIME_VIEW_MIN_SPAN_S);
  g_assert_cmpfloat (v.start_s + v.span_s, <=, 600);
}

static void
test_clamp_and_follow (void)
{
  AssayTimeView v = { 590, 20 };

  assay_time_view_clamp (&v, 600);
  g_assert_cmpfloat (v.start_s, ==, 580);
  v.start_s = -5;
  assay_time_view_clamp (&v, 600);
  g_assert_cmpfloat (v.start_s, ==, 0);

  /* a playhead inside the view leaves it alone; outside turns the page */
  g_assert_false (assay_time_view_follow (&v, 600, 10));
  g_assert_true (assay_time_view_follow (&v, 600, 100));
  g_assert_cmpfloat (v.start_s, <=, 100);
  g_assert_cmpfloat (v.start_s + v.span_s, >=, 100);
  /* near the end the page stops at the end */
  g_assert_true (assay_time_view_follow (&v, 600, 599));
  g_assert_cmpfloat (v.start_s + v.span_s, ==, 600);

  /* an empty recording */
  assay_time_view_reset (&v, 0);
  g_assert_cmpfloat (v.span_s, >, 0);
}

static void
test_tick_step (void)
{
  AssayTimeView view;

  /* a 2-minute call on 600 px, ticks at least 60 px apart: 12 s would do, so 15 s */
  assay_time_view_reset (&view, 120);
  g_assert_cmpfloat (assay_time_view_tick_step (&view, 600, 60), ==, 15);
  /* zoomed to 10 s: 1 s is 60 px */
  view.span_s = 10;
  g_assert_cmpfloat (assay_time_view_tick_step (&view, 600, 60), ==, 1);
  /* a 60-minute call: 6 min would do, so 10 min */
  assay_time_view_reset (&view, 3600);
  g_assert_cmpfloat (assay_time_view_tick_step (&view, 600, 60), ==, 600);
  /* ten hours on 100 px: whole hours beyond the table */
  assay_time_view_reset (&view, 36000);
  g_assert_cmpfloat (assay_time_view_tick_step (&view, 100, 60), ==, 6 * 3600);
  /* no width: the largest step, never a division by zero */
  g_assert_cmpfloat (assay_time_view_tick_step (&view, 0, 60), ==, 3600);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/time-view/mapping", test_mapping);
  g_test_add_func ("/core/time-view/zoom-keeps-anchor", test_zoom_keeps_anchor);
  g_test_add_func ("/core/time-view/clamp-and-follow", test_clamp_and_follow);
  g_test_add_func ("/core/time-view/tick-step", test_tick_step);
  return g_test_run ();
}
