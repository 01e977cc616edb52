/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "assay-kpi.h"

G_BEGIN_DECLS

/*
 * The directory of the people being evaluated: teams and their agents, as rows for list models.
 * Both are immutable once made, except a team's figures, which arrive later (notify::counts).
 */

#define ASSAY_TYPE_TEAM (assay_team_get_type ())
G_DECLARE_FINAL_TYPE (AssayTeam, assay_team, ASSAY, TEAM, GObject)

/**
 * assay_team_new:
 * A team row. @id is %NULL for the group of agents that belong to no team. @lead_name may be
 * %NULL when the team has no lead.
 */
AssayTeam            *assay_team_new             (const char           *id,
                                                  const char           *name,
                                                  const char           *lead_name,
                                                  guint                 agent_count);
const char           *assay_team_get_id          (AssayTeam            *self);
const char           *assay_team_get_name        (AssayTeam            *self);
const char           *assay_team_get_lead_name   (AssayTeam            *self);
guint                 assay_team_get_agent_count (AssayTeam            *self);
/** assay_team_get_counts: the team's counts over the period shown, or %NULL before they come. */
const AssayKpiCounts *assay_team_get_counts      (AssayTeam            *self);
/** assay_team_set_counts: sets (or with %NULL clears) the team's counts; notifies "counts". */
void                  assay_team_set_counts      (AssayTeam            *self,
                                                  const AssayKpiCounts *counts);

#define ASSAY_TYPE_AGENT (assay_agent_get_type ())
G_DECLARE_FINAL_TYPE (AssayAgent, assay_agent, ASSAY, AGENT, GObject)

/**
 * assay_agent_new:
 * An agent row. @team_id and @team_name are %NULL for an agent in no team; @recent_contacts
 * counts the agent's interactions of the last 30 days.
 */
AssayAgent *assay_agent_new                 (const char *id,
                                             const char *name,
                                             const char *employee_code,
                                             const char *team_id,
                                             const char *team_name,
                                             gboolean    active,
                                             guint       recent_contacts);
const char *assay_agent_get_id              (AssayAgent *self);
const char *assay_agent_get_name            (AssayAgent *self);
const char *assay_agent_get_employee_code   (AssayAgent *self);
const char *assay_agent_get_team_id         (AssayAgent *self);
const char *assay_agent_get_team_name       (AssayAgent *self);
gboolean    assay_agent_get_active          (AssayAgent *self);
guint       assay_agent_get_recent_contacts (AssayAgent *self);

/**
 * assay_agent_matches:
 * Whether @self matches the search @folded_needle (from assay_directory_fold_text()): the start
 * of a word of the name (any character of Chinese text), or any part of the employee code. An
 * empty needle matches everything.
 */
gboolean    assay_agent_matches             (AssayAgent *self,
                                             const char *folded_needle);

/**
 * assay_directory_fold_text:
 * Normalises and case-folds @text for searching, so "ZHANG", "zhang" and "Zhang" match and
 * Chinese text matches as it is.
 */
char       *assay_directory_fold_text       (const char *text);

/**
 * assay_directory_text_matches:
 * Whether @folded_needle (from assay_directory_fold_text()) starts a word of @text, as
 * assay_agent_matches() does for names.
 */
gboolean    assay_directory_text_matches    (const char *text,
                                             const char *folded_needle);

G_END_DECLS
