/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_DASHBOARD_PAGE (assay_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayDashboardPage, assay_dashboard_page, ASSAY, DASHBOARD_PAGE, GtkWidget)

/*
 * AssayDashboardPage:
 * The team and centre dashboard (Insights): every KPI against its target, the weekly trend,
 * the agents side by side with their intervals, the score distribution, the root causes that
 * lose the most points, the channels and the inspectors, for a chosen period.
 */

G_END_DECLS
