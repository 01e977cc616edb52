/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * AssayTimeView:
 * The stretch of a recording a timeline widget shows: from @start_s, @span_s seconds wide.
 * The pure data-to-pixel mapping of the waveform, kept here so it is unit tested.
 */
typedef struct {
  double start_s;
  double span_s;
} AssayTimeView;

/* The smallest span a view shows, however far it zooms in. */
#define ASSAY_TIME_VIEW_MIN_SPAN_S 2.0

/** assay_time_view_reset: shows the whole of @duration_s. */
void   assay_time_view_reset      (AssayTimeView       *view,
                                   double               duration_s);
/** assay_time_view_x_for_time: the x (0..@width) of time @t_s. */
double assay_time_view_x_for_time (const AssayTimeView *view,
                                   double               t_s,
                                   double               width);
/** assay_time_view_time_for_x: the time at @x, clamped to the view. */
double assay_time_view_time_for_x (const AssayTimeView *view,
                                   double               x,
                                   double               width);
/** assay_time_view_get_zoom: @duration_s / span (1 shows everything). */
double assay_time_view_get_zoom   (const AssayTimeView *view,
                                   double               duration_s);
/**
 * assay_time_view_set_zoom:
 * Zooms to @zoom (≥ 1) keeping @anchor_s at the same place on screen, then keeps the view
 * inside the recording.
 */
void   assay_time_view_set_zoom   (AssayTimeView       *view,
                                   double               duration_s,
                                   double               zoom,
                                   double               anchor_s);
/** assay_time_view_clamp: keeps the view inside [0, @duration_s]. */
void   assay_time_view_clamp      (AssayTimeView       *view,
                                   double               duration_s);
/**
 * assay_time_view_follow:
 * Pages the view so @t_s is visible (a playhead that leaves the view turns the page).
 * Returns: %TRUE if the view moved.
 */
gboolean assay_time_view_follow   (AssayTimeView       *view,
                                   double               duration_s,
                                   double               t_s);

/**
 * assay_time_view_tick_step:
 * The time axis: the step in seconds between labelled ticks (1, 2, 5, 10, 15, 30 s, 1, 2, 5,
 * 10, 15, 30 min, 1 h...) that puts them at least @min_px apart on a @width wide view.
 */
double assay_time_view_tick_step  (const AssayTimeView *view,
                                   double               width,
                                   double               min_px);

G_END_DECLS
