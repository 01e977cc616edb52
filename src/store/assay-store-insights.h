/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store-kpi.h"

G_BEGIN_DECLS

/*
 * What the Insights pages show beside a scorecard (docs/kpi.md): the agents of a team or the
 * centre side by side, the channels, the distribution of evaluation scores, the inspectors'
 * figures and the evaluations behind a figure. Agent and channel sums come from the KPI summary
 * tables; the distribution, the inspectors and the evaluations read the evaluations of the
 * period's contacts (interaction_started / interaction_team / interaction_agent).
 */

/** AssayKpiAgentSums: one agent's sums over the period (within the team when one is asked). */
typedef struct {
  char         *id;
  char         *name;
  char         *code;
  AssayKpiSums  sums;
} AssayKpiAgentSums;

/**
 * AssayKpiInspectorFigures:
 * An inspector's evaluations of the period's contacts: how many, their scores' sum and sum of
 * squares (for the mean and its interval), and the active review time they took.
 */
typedef struct {
  char   *id;
  char   *name;
  gint64  evaluations;
  gint64  scored;
  double  score_sum;
  double  score_sum_sq;
  gint64  review_s;
} AssayKpiInspectorFigures;

/* the distribution's bins: 0–10, 10–20, … 90–100 and one above 100 (bonus) */
#define ASSAY_KPI_SCORE_BINS 11

/**
 * AssayKpiBreakdown:
 * @agents: (element-type AssayKpiAgentSums): every agent with contacts or evaluations in the
 *   period (of the team, or all for the centre; the agent alone for an agent), by name
 * @channels: the subject's sums per channel (phone, chat, email, ticket)
 * @score_bins: submitted evaluations by score, ASSAY_KPI_SCORE_BINS bins
 * @inspectors: (element-type AssayKpiInspectorFigures): by name
 */
typedef struct {
  AssayKpiScope  scope;
  int            from_day;
  int            to_day;
  GPtrArray     *agents;
  AssayKpiSums   channels[ASSAY_KPI_N_CHANNELS];
  gint64         score_bins[ASSAY_KPI_SCORE_BINS];
  GPtrArray     *inspectors;
} AssayKpiBreakdown;

void assay_kpi_breakdown_free (AssayKpiBreakdown *breakdown);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayKpiBreakdown, assay_kpi_breakdown_free)

/**
 * assay_store_kpi_breakdown_async:
 * The breakdown of @query's subject over its period. Errors as for
 * assay_store_kpi_scorecard_async().
 */
void               assay_store_kpi_breakdown_async  (AssayStore          *self,
                                                     const AssayKpiQuery *query,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/** Returns: (transfer full): the breakdown, or %NULL. */
AssayKpiBreakdown *assay_store_kpi_breakdown_finish (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
AssayKpiBreakdown *assay_store_kpi_breakdown_sync   (AssayStore          *self,
                                                     const AssayKpiQuery *query,
                                                     GError             **error);

/**
 * AssayKpiEvaluationRow:
 * A submitted evaluation behind a figure: its contact, the current revision's score, band and
 * whether a fatal item failed.
 */
typedef struct {
  char     *id;
  char     *interaction_id;
  gint64    started_at;
  char     *channel;
  char     *agent_name;
  char     *inspector_name;
  double    score;           /* NaN without one */
  char     *band;
  gboolean  fatal;
} AssayKpiEvaluationRow;

void assay_kpi_evaluation_row_free (AssayKpiEvaluationRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayKpiEvaluationRow, assay_kpi_evaluation_row_free)

/**
 * assay_store_kpi_evaluations_async:
 * The submitted evaluations of @query's subject's contacts in the period, newest contact first,
 * at most @limit (0: 500).
 */
void       assay_store_kpi_evaluations_async  (AssayStore          *self,
                                               const AssayKpiQuery *query,
                                               guint                limit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/** Returns: (transfer full): #AssayKpiEvaluationRow. */
GPtrArray *assay_store_kpi_evaluations_finish (AssayStore          *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
