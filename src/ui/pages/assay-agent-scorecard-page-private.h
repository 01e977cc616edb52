/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-agent-scorecard-page.h"
#include "widgets/assay-chart.h"
#include "widgets/assay-period-picker.h"

G_BEGIN_DECLS

/* for tests: "loading", "no-agents", "empty", "ready" or "error" */
const char        *_assay_agent_scorecard_page_get_state       (AssayAgentScorecardPage *self);
AssayPeriodPicker *_assay_agent_scorecard_page_get_period      (AssayAgentScorecardPage *self);
AssayChart        *_assay_agent_scorecard_page_get_trend       (AssayAgentScorecardPage *self);
/* rows in the evaluations list */
guint              _assay_agent_scorecard_page_get_n_evaluations (AssayAgentScorecardPage *self);
/* opens the root causes of evaluation @i of the list, as its button does; (transfer none) */
GtkWidget         *_assay_agent_scorecard_page_tag_evaluation  (AssayAgentScorecardPage *self,
                                                               guint                    i);
/* the text shown for a KPI line's value */
char              *_assay_agent_scorecard_page_get_figure_text (AssayAgentScorecardPage *self,
                                                                int                      line);

G_END_DECLS
