/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>
#include <glib.h>

G_BEGIN_DECLS

/*
 * The demo's targets and root causes (docs/kpi.md), for the seed's transaction: the centre's
 * target and warning value of nine KPIs (QA score 85/80, CSAT 80/75, …), so figures show on
 * target, warning or breach; the centre's root-cause list (two or three sub-causes in each of
 * the five categories, in English and Chinese); and a tag on each submitted evaluation scoring
 * under 80, so the dashboard's Pareto and the report's improvement points have something to
 * show. The same @seed gives the same rows. Like the rest of the demo, nothing goes to the
 * outbox.
 */
gboolean _assay_store_seed_insights (sqlite3  *db,
                                     guint32   seed,
                                     GError  **error);

G_END_DECLS
