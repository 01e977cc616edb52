/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The data-to-pixel mapping of the insight charts (line, bar, stacked bar, distribution,
 * Pareto), as pure functions: the widgets only draw what these compute.
 */

/**
 * AssayChartScale:
 * A linear map of the data range [@d0, @d1] onto the pixel range [@p0, @p1]. A vertical axis
 * usually has @p0 at the bottom (the larger pixel y) and @p1 at the top.
 */
typedef struct {
  double d0, d1;
  double p0, p1;
} AssayChartScale;

/** assay_chart_scale_map: the pixel of data value @v (the middle of the range when d0 = d1). */
double   assay_chart_scale_map      (const AssayChartScale *scale,
                                     double                 v);
/** assay_chart_scale_invert: the data value at pixel @p (for tooltips). */
double   assay_chart_scale_invert   (const AssayChartScale *scale,
                                     double                 p);

/**
 * AssayChartTicks:
 * "Nice" axis ticks: @lo to @hi by @step (1, 2 or 5 × 10ⁿ), @n of them, @decimals the digits a
 * label needs after the point.
 */
typedef struct {
  double lo, hi, step;
  guint  n;
  guint  decimals;
} AssayChartTicks;

/**
 * assay_chart_nice_ticks:
 * Ticks covering [@min, @max] with at most @max_ticks (taken as 3 when less) of them, the first at or below
 * @min and the last at or above @max. An empty range (@min = @max) is widened around its value;
 * NaN or infinite bounds give the ticks of [0, 1].
 */
void     assay_chart_nice_ticks     (double                 min,
                                     double                 max,
                                     guint                  max_ticks,
                                     AssayChartTicks       *ticks);
/** assay_chart_tick_value: the @i-th tick (exact multiples of the step, no drift). */
double   assay_chart_tick_value     (const AssayChartTicks *ticks,
                                     guint                  i);

/** AssayChartBand: one bar's (or one group's) place along the category axis, in pixels. */
typedef struct {
  double x;
  double width;
} AssayChartBand;

/**
 * assay_chart_band_layout:
 * Places @n bars across [@p0, @p0 + @length] with a gap of @gap_ratio (0 – 0.9) of a band
 * between bars and half a gap at either end; fills @bands (@n of them).
 * Returns: %FALSE when @n is 0 or @length is not positive.
 */
gboolean assay_chart_band_layout    (guint                  n,
                                     double                 p0,
                                     double                 length,
                                     double                 gap_ratio,
                                     AssayChartBand        *bands);

/** AssayChartSegment: a stacked bar's segment, from data value @lo to @hi. */
typedef struct {
  double lo;
  double hi;
} AssayChartSegment;

/**
 * assay_chart_stack:
 * Stacks @n_series values of each of @n_bars bars (@values is row-major: bar × series) from 0
 * upwards; negative or NaN values count as 0. Fills @segments (same shape) and returns the
 * tallest total (for the axis).
 */
double   assay_chart_stack          (const double          *values,
                                     guint                  n_bars,
                                     guint                  n_series,
                                     AssayChartSegment     *segments);

/**
 * assay_chart_bins:
 * Counts @values into @n_bins equal bins over [@lo, @hi]: bin i holds lo + i·w ≤ v <
 * lo + (i+1)·w, the last bin also holds @hi. Values outside the range or NaN are left out and
 * counted in the return value. @counts must have @n_bins entries.
 */
guint    assay_chart_bins           (const double          *values,
                                     guint                  n_values,
                                     double                 lo,
                                     double                 hi,
                                     guint                  n_bins,
                                     guint                 *counts);

/**
 * AssayChartParetoItem:
 * A Pareto bar: @index of the category in the input, its @value, and the cumulative share of
 * the total up to and including it (@cumulative, 0–100).
 */
typedef struct {
  guint  index;
  double value;
  double cumulative;
} AssayChartParetoItem;

/**
 * assay_chart_pareto:
 * Orders @n categories by @values, largest first (ties keep input order; negative and NaN
 * values count as 0), with the cumulative percentage of the total. A zero total gives
 * cumulative 0 everywhere. Fills @items (@n of them).
 */
void     assay_chart_pareto         (const double          *values,
                                     guint                  n,
                                     AssayChartParetoItem  *items);

/**
 * assay_chart_band_at:
 * The bar under pixel @p along the category axis (for tooltips and pointer selection): the
 * band whose slot, gap halves included, holds @p. Returns: its index, or -1 outside every band.
 */
int      assay_chart_band_at        (const AssayChartBand  *bands,
                                     guint                  n,
                                     double                 p);

/**
 * assay_chart_data_range:
 * Widens [*@min, *@max] to hold every finite value of @values (@n of them; NULL is nothing).
 * Start from *@min = +∞ and *@max = −∞; a range that stays empty has *@min > *@max.
 */
void     assay_chart_data_range     (const double          *values,
                                     guint                  n,
                                     double                *min,
                                     double                *max);

/**
 * assay_chart_line_points:
 * The pixel points of a line over @n categories placed by @bands (the middle of each band)
 * on the value scale @scale. A NaN value (no data) gives a NaN y: the line breaks there.
 * Fills @xs and @ys (@n of each).
 */
void     assay_chart_line_points    (const AssayChartBand  *bands,
                                     const double          *values,
                                     guint                  n,
                                     const AssayChartScale *scale,
                                     double                *xs,
                                     double                *ys);

G_END_DECLS
