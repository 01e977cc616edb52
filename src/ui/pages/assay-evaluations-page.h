/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/assay-store.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_EVALUATIONS_PAGE (assay_evaluations_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayEvaluationsPage, assay_evaluations_page, ASSAY, EVALUATIONS_PAGE, GtkWidget)

/**
 * AssayEvaluationsPage:
 * "My evaluations": the inspector's drafts and submitted evaluations, newest change first.
 * Activating one opens it in the review workspace to continue or amend it.
 */
/* Reads the list again (the page does it on the store's changes). */
void  assay_evaluations_page_reload    (AssayEvaluationsPage *self);
/* The rows shown (for tests). */
guint assay_evaluations_page_get_n_rows (AssayEvaluationsPage *self);
/* Shows "draft", "submitted" or NULL (all). */
void  assay_evaluations_page_set_filter (AssayEvaluationsPage *self,
                                         const char           *state);
/* The number of drafts, for the sidebar badge. */
guint assay_evaluations_page_get_n_drafts (AssayEvaluationsPage *self);

G_END_DECLS
