/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_AGENT_SCORECARD_PAGE (assay_agent_scorecard_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayAgentScorecardPage, assay_agent_scorecard_page, ASSAY,
                      AGENT_SCORECARD_PAGE, GtkWidget)

/*
 * AssayAgentScorecardPage:
 * The manager's page for one agent over a period (Insights): every KPI against its target,
 * beside the team's and the centre's, the weekly trend, SLA attainment by priority and
 * channel, and the agent's evaluations with their bands.
 */

/* shows the agent @agent_id (the page's own pick otherwise) */
void        assay_agent_scorecard_page_set_agent (AssayAgentScorecardPage *self,
                                                  const char              *agent_id);
const char *assay_agent_scorecard_page_get_agent (AssayAgentScorecardPage *self);

G_END_DECLS
