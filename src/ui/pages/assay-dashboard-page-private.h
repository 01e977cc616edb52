/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-dashboard-page.h"
#include "store/assay-store-kpi.h"
#include "widgets/assay-chart.h"
#include "widgets/assay-period-picker.h"

G_BEGIN_DECLS

/* for tests: "loading", "empty", "ready" or "error" */
const char        *_assay_dashboard_page_get_state  (AssayDashboardPage *self);
AssayPeriodPicker *_assay_dashboard_page_get_period (AssayDashboardPage *self);
/* selects the centre (0) or the @index-th team; returns its id (NULL: the centre) */
const char        *_assay_dashboard_page_select_team (AssayDashboardPage *self,
                                                      guint               index);
/* the charts shown: trend, agents, distribution, causes (NULL before "ready") */
AssayChart        *_assay_dashboard_page_get_chart  (AssayDashboardPage *self,
                                                     const char         *name);

/* opens the targets dialog as the button does; returns it */
GtkWidget         *_assay_dashboard_page_open_targets (AssayDashboardPage *self);
/* opens the root causes of @line when it is in breach or warning (NULL otherwise), as the
 * "Off target" row's button does; (transfer none) */
GtkWidget         *_assay_dashboard_page_tag_breach (AssayDashboardPage *self,
                                                     AssayKpiLine        line);

G_END_DECLS
