/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/assay-store.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_SCORECARDS_PAGE (assay_scorecards_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayScorecardsPage, assay_scorecards_page, ASSAY, SCORECARDS_PAGE, GtkWidget)

/*
 * AssayScorecardsPage:
 * The scorecards (form templates): their list with version, publication date and number of
 * evaluations, beside the editor of the selected one with its live preview. A published version
 * is shown read-only; Edit starts the next version as a draft, saved as the user types, and
 * Publish makes it that version. Scorecards are imported from and exported to JSON files
 * (docs/forms.md). Narrow windows show the list or the editor, with a back button.
 */
/* Reloads the list (after a sync or an import elsewhere). */
void     assay_scorecards_page_reload    (AssayScorecardsPage *self);
/* Whether the page waits on the store or has a draft still to save. */
gboolean assay_scorecards_page_get_busy  (AssayScorecardsPage *self);

G_END_DECLS
