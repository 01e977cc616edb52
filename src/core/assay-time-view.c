/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "assay-time-view.h"

void
assay_time_view_reset (AssayTimeView *view,
                       double         duration_s)
{
  view->start_s = 0;
  view->span_s = duration_s > 0 ? duration_s : 1;
}

double
assay_time_view_x_for_time (const AssayTimeView *view,
                            double               t_s,
                            double               width)
{
  if (view->span_s <= 0)
    return 0;
  return (t_s - view->start_s) / view->span_s * width;
}

double
assay_time_view_time_for_x (const AssayTimeView *view,
                            double               x,
                            double               width)
{
  if (width <= 0)
    return view->start_s;
  x = CLAMP (x, 0, width);
  return view->start_s + x / width * view->span_s;
}

double
assay_time_view_get_zoom (const AssayTimeView *view,
                          double               duration_s)
{
  if (view->span_s <= 0 || duration_s <= 0)
    return 1;
  return duration_s / view->span_s;
}

void
assay_time_view_clamp (AssayTimeView *view,
                       double         duration_s)
{
  if (duration_s <= 0)
    {
      assay_time_view_reset (view, duration_s);
      return;
    }
  view->span_s = CLAMP (view->span_s, MIN (ASSAY_TIME_VIEW_MIN_SPAN_S, duration_s), duration_s);
  view->start_s = CLAMP (view->start_s, 0, duration_s - view->span_s);
}

void
assay_time_view_set_zoom (AssayTimeView *view,
                          double         duration_s,
                          double         zoom,
                          double         anchor_s)
{
  double fraction;

  if (duration_s <= 0 || !isfinite (zoom))
    return;
  zoom = MAX (zoom, 1);
  fraction = view->span_s > 0 ? (anchor_s - view->start_s) / view->span_s : 0.5;
  fraction = CLAMP (fraction, 0, 1);
  view->span_s = duration_s / zoom;
  view->span_s = MAX (view->span_s, MIN (ASSAY_TIME_VIEW_MIN_SPAN_S, duration_s));
  view->start_s = anchor_s - fraction * view->span_s;
  assay_time_view_clamp (view, duration_s);
}

gboolean
assay_time_view_follow (AssayTimeView *view,
                        double         duration_s,
                        double         t_s)
{
  double old = view->start_s;

  if (t_s >= view->start_s && t_s <= view->start_s + view->span_s)
    return FALSE;
  /* turn the page: the playhead starts a little in from the left */
  view->start_s = t_s - view->span_s * 0.05;
  assay_time_view_clamp (view, duration_s);
  return view->start_s != old;
}

double
assay_time_view_tick_step (const AssayTimeView *view,
                           double               width,
                           double               min_px)
{
  static const double steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600 };
  double step = 3600;

  g_return_val_if_fail (view != NULL, 1);

  if (width <= 0 || view->span_s <= 0)
    return steps[G_N_ELEMENTS (steps) - 1];
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * width / view->span_s >= min_px)
      return steps[i];
  /* longer than any step fits: whole hours */
  while (step * width / view->span_s < min_px)
    step += 3600;
  return step;
}
