/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/assay-kpi.h"
#include "store/assay-store-kpi.h"
#include "widgets/assay-chart.h"

G_BEGIN_DECLS

/* Helpers the Insights pages share: the words for KPIs and statuses, figures as the user's
 * language writes them, and the table of figures against targets. */

const char     *assay_insights_line_title     (AssayKpiLine          line);
const char     *assay_insights_line_definition (AssayKpiLine         line);
AssayChartUnit  assay_insights_line_unit      (AssayKpiLine          line);
/* "82.4 %", "+12", "4:05"; "—" without data */
char           *assay_insights_format         (AssayKpiLine          line,
                                               double                value);
/* the figure as a page says it: the value, or "too few to judge" / "no data" */
char           *assay_insights_figure_text    (AssayKpiLine          line,
                                               const AssayKpiFigure *figure);
const char     *assay_insights_status_text    (AssayKpiStatus        status);
/* a style class for the status: kpi-on-target, kpi-warning, kpi-breach, or NULL */
const char     *assay_insights_status_class   (AssayKpiStatus        status);

/*
 * The table of every KPI line: value, 95 % interval, n, target (warning), status in words and
 * colour, and up to two comparison columns (team, centre). A line's name is a button that
 * emits "activated" on the returned grid's "line-activated" handler: connect with
 * assay_insights_figure_grid_connect().
 */
GtkWidget      *assay_insights_figure_grid    (const AssayKpiFigure *figures,
                                               const AssayKpiFigure *compare1,
                                               const char           *compare1_title,
                                               const AssayKpiFigure *compare2,
                                               const char           *compare2_title);
typedef void  (*AssayInsightsLineFunc)        (AssayKpiLine          line,
                                               gpointer              user_data);
void            assay_insights_figure_grid_connect (GtkWidget            *grid,
                                                    AssayInsightsLineFunc func,
                                                    gpointer              user_data);

/* a titled block of a page: a heading, the child, and a dim note under it (may be NULL) */
GtkWidget      *assay_insights_section        (const char           *title,
                                               GtkWidget            *child,
                                               const char           *note);

/* shows @card's weekly trend of @line in @chart (a week too thin to judge is left out) */
void            assay_insights_trend_update   (AssayChart              *chart,
                                               const AssayKpiScorecard *card,
                                               AssayKpiLine             line);

/* "People", "Process", ... for a root-cause category key */
const char     *assay_insights_category_title (const char           *category);

/*
 * The frame of an Insights page, parented to @page: a header bar titled @title with @start
 * and @end in it, a toast overlay, and a stack with "loading" (a spinner) and "ready" (a
 * scrolled, clamped column, *@content) for the page to add its other states to.
 * Returns: the frame (unparent it in dispose).
 */
GtkWidget      *assay_insights_page_frame     (GtkWidget            *page,
                                               const char           *title,
                                               GtkWidget            *start,
                                               GtkWidget            *end,
                                               GtkWidget           **stack,
                                               GtkWidget           **content,
                                               AdwToastOverlay     **toasts);

/* A window listing the submitted evaluations behind a figure of @query (drill-down). */
void            assay_insights_show_evaluations (GtkWidget           *parent,
                                                 gpointer             context,
                                                 const AssayKpiQuery *query,
                                                 const char          *figure);

G_END_DECLS
