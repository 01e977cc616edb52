/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/assay-form.h"
#include "core/assay-scoring.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_SCORING_PANEL (assay_scoring_panel_get_type ())
G_DECLARE_FINAL_TYPE (AssayScoringPanel, assay_scoring_panel, ASSAY, SCORING_PANEL, GtkWidget)

/**
 * AssayScoringPanel:
 * The scorecard beside the player: the form's sections and items with their answers, the
 * live score, band, critical score and a banner for a failed fatal item. Keyboard first:
 * number keys answer the focused item, N marks it N/A, Up/Down (and Tab) move, C edits its
 * comment, M asks for the selected span as evidence ("mark-requested").
 * Every change emits "changed"; the owner saves the draft.
 */
AssayScoringPanel *assay_scoring_panel_new              (void);
/* Shows @answers (the panel keeps its own copy) on their form. */
void               assay_scoring_panel_set_answers      (AssayScoringPanel  *self,
                                                         const AssayAnswers *answers);
const AssayAnswers *assay_scoring_panel_get_answers     (AssayScoringPanel  *self);
const AssayScore  *assay_scoring_panel_get_score        (AssayScoringPanel  *self);
void               assay_scoring_panel_set_editable     (AssayScoringPanel  *self,
                                                         gboolean            editable);
gboolean           assay_scoring_panel_get_editable     (AssayScoringPanel  *self);
guint              assay_scoring_panel_get_focused_item (AssayScoringPanel  *self);
void               assay_scoring_panel_focus_item       (AssayScoringPanel  *self,
                                                         guint               item);
/* Handles a key as the panel's keyboard would; returns %TRUE if it did something. */
gboolean           assay_scoring_panel_press_key        (AssayScoringPanel  *self,
                                                         guint               keyval);
/* Adds an evidence span (ms) to @item, as M does once the owner knows the span. */
void               assay_scoring_panel_add_evidence     (AssayScoringPanel  *self,
                                                         guint               item,
                                                         gint64              start_ms,
                                                         gint64              end_ms);
void               assay_scoring_panel_set_comment      (AssayScoringPanel  *self,
                                                         guint               item,
                                                         const char         *comment);
/* Highlights the problems that stop a Submit and focuses the first; %TRUE if there are none. */
gboolean           assay_scoring_panel_check_submit     (AssayScoringPanel  *self);
/* What blocks Submit, one sentence per problem in form order; @out_items gets their items. */
GPtrArray         *assay_scoring_panel_list_problems    (AssayScoringPanel  *self,
                                                         GArray            **out_items);
/* Whether answering an item moves the focus to the next unanswered one (on by default). */
void               assay_scoring_panel_set_advance      (AssayScoringPanel  *self,
                                                         gboolean            advance);
gboolean           assay_scoring_panel_get_advance      (AssayScoringPanel  *self);

G_END_DECLS
