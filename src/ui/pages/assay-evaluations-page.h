/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/assay-store.h"
#include "assay-evaluation-item.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_EVALUATIONS_PAGE (assay_evaluations_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayEvaluationsPage, assay_evaluations_page, ASSAY, EVALUATIONS_PAGE, GtkWidget)

/**
 * AssayEvaluationsPage:
 * "My evaluations": the inspector's drafts and submitted evaluations, newest change first, in
 * a sortable, searchable column view (agent, queue, scorecard, contact, score, band, state,
 * review time, change, sync state from assay_store_sync_evaluation_states_async()).
 * Activating one opens it in the review workspace to continue or amend it.
 */
/* Reads the list again (the page does it on the store's changes). */
void  assay_evaluations_page_reload    (AssayEvaluationsPage *self);
/* The rows shown (for tests). */
guint assay_evaluations_page_get_n_rows (AssayEvaluationsPage *self);
/* Shows "draft", "submitted" or NULL (all). */
void  assay_evaluations_page_set_filter (AssayEvaluationsPage *self,
                                         const char           *state);
/* The row at @position as shown (sorted, filtered), or %NULL; (transfer full). */
AssayEvaluationItem *assay_evaluations_page_get_item (AssayEvaluationsPage *self,
                                                      guint                 position);
/* The text (and tooltip) of the cell of @column (its untranslated title) at @position. */
char *assay_evaluations_page_get_cell  (AssayEvaluationsPage *self,
                                        guint                 position,
                                        const char           *column,
                                        char                **tooltip);
/* The search as typed in the header. */
void  assay_evaluations_page_search    (AssayEvaluationsPage *self,
                                        const char           *text);
/* Sorts as a click on the header of @column (its untranslated title) would. */
void  assay_evaluations_page_sort_by   (AssayEvaluationsPage *self,
                                        const char           *column,
                                        gboolean              descending);
/* The number of drafts, for the sidebar badge. */
guint assay_evaluations_page_get_n_drafts (AssayEvaluationsPage *self);

G_END_DECLS
