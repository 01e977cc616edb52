/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/assay-store.h"
#include "widgets/assay-interaction-list.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_INTERACTIONS_PAGE (assay_interactions_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayInteractionsPage, assay_interactions_page, ASSAY, INTERACTIONS_PAGE, GtkWidget)
/* Made with its "context" (an AssayContext, construct-only); its query starts then. */

/* Shows the interactions matching @text, as typing it in the search entry would. */
void assay_interactions_page_search (AssayInteractionsPage *self,
                                    const char            *text);
/* The Recording and Evaluated filters as the popover sets them: 0 any, 1 with, 2 without. */
void assay_interactions_page_set_review_filter (AssayInteractionsPage *self,
                                                guint                  recording,
                                                guint                  evaluated);
/* The list (for tests). */
AssayInteractionList *assay_interactions_page_get_list (AssayInteractionsPage *self);

G_END_DECLS
