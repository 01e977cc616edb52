/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"
#include "core/assay-directory.h"
#include "core/assay-kpi.h"

G_BEGIN_DECLS

/*
 * The directory of agents and teams, and their headline figures over a period. Every query runs
 * on the store's worker; periods are half-open, [from_ms, to_ms), in UTC unix milliseconds.
 */

/**
 * assay_store_list_teams_async:
 * Lists the teams (id, name, lead name, number of agents), sorted by name for the user's locale.
 * Finish with assay_store_list_teams_finish().
 */
void        assay_store_list_teams_async       (AssayStore           *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/** assay_store_list_teams_finish: Returns: (transfer full): a #GPtrArray of #AssayTeam. */
GPtrArray  *assay_store_list_teams_finish      (AssayStore           *self,
                                                GAsyncResult         *result,
                                                GError              **error);
/** assay_store_list_teams_sync: as the async call, waiting (not on the GUI's main thread). */
GPtrArray  *assay_store_list_teams_sync        (AssayStore           *self,
                                                GError              **error);

/**
 * assay_store_list_agents_async:
 * Lists every agent (id, name, employee code, team, active) with the number of their
 * interactions since @since_ms, sorted by name for the user's locale.
 */
void        assay_store_list_agents_async      (AssayStore           *self,
                                                gint64                since_ms,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/** assay_store_list_agents_finish: Returns: (transfer full): a #GPtrArray of #AssayAgent. */
GPtrArray  *assay_store_list_agents_finish     (AssayStore           *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/**
 * assay_store_agent_counts_async:
 * Adds up the KPI counts of the interactions of agent @agent_id started in [@from_ms, @to_ms).
 * An agent with no interactions gets all-zero counts (figures then say "no data").
 */
void        assay_store_agent_counts_async     (AssayStore           *self,
                                                const char           *agent_id,
                                                gint64                from_ms,
                                                gint64                to_ms,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/** assay_store_agent_counts_finish: fills @counts. Returns: %FALSE with @error set on failure. */
gboolean    assay_store_agent_counts_finish    (AssayStore           *self,
                                                GAsyncResult         *result,
                                                AssayKpiCounts       *counts,
                                                GError              **error);

/**
 * assay_store_team_counts_async:
 * As assay_store_agent_counts_async() for the interactions handled within team @team_id (the
 * agent's team at the time of the contact).
 */
void        assay_store_team_counts_async      (AssayStore           *self,
                                                const char           *team_id,
                                                gint64                from_ms,
                                                gint64                to_ms,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean    assay_store_team_counts_finish     (AssayStore           *self,
                                                GAsyncResult         *result,
                                                AssayKpiCounts       *counts,
                                                GError              **error);

/**
 * assay_store_all_team_counts_async:
 * The counts of every team over [@from_ms, @to_ms), one indexed range query per team.
 */
void        assay_store_all_team_counts_async  (AssayStore           *self,
                                                gint64                from_ms,
                                                gint64                to_ms,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/**
 * assay_store_all_team_counts_finish:
 * Returns: (transfer full): a #GHashTable from team id to #AssayKpiCounts; teams with no
 * interactions in the period map to all-zero counts.
 */
GHashTable *assay_store_all_team_counts_finish (AssayStore           *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* For tests: the SQL that adds up the counts of an agent (or with @team, of a team). */
const char *_assay_store_directory_counts_sql  (gboolean              team);

G_END_DECLS
