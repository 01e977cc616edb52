/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ASSAY_TYPE_CHART (assay_chart_get_type ())
G_DECLARE_FINAL_TYPE (AssayChart, assay_chart, ASSAY, CHART, GtkWidget)

typedef enum {
  ASSAY_CHART_BAR,          /* one bar a category */
  ASSAY_CHART_LINE,         /* a line over the categories (a trend) */
  ASSAY_CHART_HISTOGRAM,    /* bars without gaps (a distribution) */
  ASSAY_CHART_PARETO,       /* bars, largest first, and the cumulative share as a line */
  ASSAY_CHART_INTERVALS,    /* one row a category: the value and its interval, side by side */
} AssayChartKind;

typedef enum {
  ASSAY_CHART_UNIT_NUMBER,
  ASSAY_CHART_UNIT_PERCENT,
  ASSAY_CHART_UNIT_SECONDS,
} AssayChartUnit;

/*
 * AssayChart:
 * A small, quiet chart (UI.md "Insights and charts"): the subject in the accent colour, a
 * comparison (team, centre) in grey, an optional target line. The data-to-pixel mapping is
 * core/assay-chart-math.c. It takes keyboard focus: Left/Right (Up/Down for intervals) move
 * the selected category, whose value the tooltip and the caption under the chart say, and
 * Enter activates it (drill-down). Its accessible description is a text summary of every value
 * (assay_chart_get_summary()).
 */
GtkWidget     *assay_chart_new            (AssayChartKind   kind);
AssayChartKind assay_chart_get_kind       (AssayChart      *self);
void           assay_chart_set_title      (AssayChart      *self,
                                           const char      *title);
void           assay_chart_set_unit       (AssayChart      *self,
                                           AssayChartUnit   unit);
/* @values NaN: no data; @lo/@hi (may be NULL) the interval of each value */
void           assay_chart_set_data       (AssayChart      *self,
                                           guint            n,
                                           const char * const *labels,
                                           const double    *values,
                                           const double    *lo,
                                           const double    *hi);
/* a grey comparison (e.g. the team's figure each week), @n as the data; NULL removes it */
void           assay_chart_set_comparison (AssayChart      *self,
                                           const double    *values,
                                           const char      *label);
/* a target line (NaN: none) */
void           assay_chart_set_target     (AssayChart      *self,
                                           double           target);
/* a fixed value range (NaN, NaN: from the data) */
void           assay_chart_set_range      (AssayChart      *self,
                                           double           min,
                                           double           max);
guint          assay_chart_get_n          (AssayChart      *self);
int            assay_chart_get_selected   (AssayChart      *self);
void           assay_chart_set_selected   (AssayChart      *self,
                                           int              selected);
/* the text alternative: title, then "label: value" for every category */
const char    *assay_chart_get_summary    (AssayChart      *self);
/* "label: value (interval)" of category @i, as the tooltip says it */
char          *assay_chart_describe       (AssayChart      *self,
                                           guint            i);

G_END_DECLS
