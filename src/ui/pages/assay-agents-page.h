/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/assay-store.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_AGENTS_PAGE (assay_agents_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayAgentsPage, assay_agents_page, ASSAY, AGENTS_PAGE, GtkWidget)

/*
 * AssayAgentsPage:
 * The directory of teams and agents (searchable by name, employee code or team) beside the
 * page of the selected agent or team: headline figures over the last 7, 30 or 90 days and
 * their interactions. Narrow windows show one or the other with a back button.
 */
/* Reloads the directory (after a sync or an import). */
void      assay_agents_page_reload          (AssayAgentsPage *self);
/* Opens the page of agent @agent_id, once the directory has it. */
void      assay_agents_page_show_agent      (AssayAgentsPage *self,
                                             const char      *agent_id);
/* The period of the figures in days: 7, 30 or 90. */
int       assay_agents_page_get_period_days (AssayAgentsPage *self);
void      assay_agents_page_set_period_days (AssayAgentsPage *self,
                                             int              days);
/* Whether the page waits on the store. */
gboolean  assay_agents_page_get_busy        (AssayAgentsPage *self);

G_END_DECLS
