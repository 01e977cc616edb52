/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/assay-interaction-model.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_INTERACTION_LIST (assay_interaction_list_get_type ())
G_DECLARE_FINAL_TYPE (AssayInteractionList, assay_interaction_list, ASSAY, INTERACTION_LIST, GtkWidget)

/**
 * AssayInteractionList:
 * A sortable column view over a lazy #AssayInteractionModel: start, customer, agent, team,
 * queue, channel, duration, recording, evaluated (latest score), CSAT, NPS, FCR and service
 * level met. Clicking a header sorts in SQL;
 * activating a row (Enter, double click) opens it for review with the "win.review" action.
 * Shows a status page when the query has no rows.
 */
AssayInteractionList *assay_interaction_list_new        (void);
void                  assay_interaction_list_set_store  (AssayInteractionList         *self,
                                                         AssayStore                   *store);
/* Runs the query with @filter (copied) and the current sort order. */
void                  assay_interaction_list_set_filter (AssayInteractionList         *self,
                                                         const AssayInteractionFilter *filter);
AssayInteractionModel *assay_interaction_list_get_model (AssayInteractionList         *self);
/* The selected row, or %NULL. */
AssayInteraction     *assay_interaction_list_get_selected (AssayInteractionList       *self);
GtkColumnView        *assay_interaction_list_get_column_view (AssayInteractionList    *self);
/* Sorts by @sort as a click on that column's header would. */
void                  assay_interaction_list_sort_by    (AssayInteractionList         *self,
                                                         AssayInteractionSort          sort,
                                                         gboolean                      descending);
/* Hides the agent and team columns (a list inside an agent's page). */
void                  assay_interaction_list_set_show_agent (AssayInteractionList     *self,
                                                             gboolean                  show);

/* Keeps only the key columns (start, customer, agent, channel, evaluated): beside a detail pane. */
void                  assay_interaction_list_set_compact (AssayInteractionList     *self,
                                                          gboolean                  compact);
/* Whether the column titled @title (untranslated) is shown (for tests). */
gboolean              assay_interaction_list_get_column_visible (AssayInteractionList *self,
                                                                 const char           *title);

G_END_DECLS
