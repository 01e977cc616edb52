/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The scoring panel's insides, shared by assay-scoring-panel.c (building and syncing the form)
 * and assay-scoring-panel-keys.c (the keyboard, moving on, the submission check). */

#include "assay-scoring-panel.h"

G_BEGIN_DECLS

typedef struct {
  guint      index;
  GtkWidget *row;            /* focusable box: the item */
  GtkWidget *choices_box;
  GPtrArray *choice_buttons; /* toggle or check buttons, in choice order */
  GtkWidget *na_button;
  GtkWidget *spin;
  GtkWidget *entry;          /* text and date items */
  GtkWidget *comment;
  GtkWidget *evidence_box;
  GtkWidget *problem_label;
} ItemRow;

struct _AssayScoringPanel
{
  GtkWidget     parent_instance;

  AssayAnswers *answers;
  AssayScore   *score;
  gboolean      editable;
  guint         focused;
  gboolean      syncing;
  gboolean      advance;         /* answering moves to the next unanswered item */
  guint         choice_cursor;   /* a multiple-choice item: the option Space toggles */
  GArray       *rows;            /* ItemRow */
  GPtrArray    *section_labels;  /* GtkLabel per section: its percent */

  /* template */
  GtkLabel     *score_label;
  GtkLabel     *band_label;
  GtkLabel     *detail_label;
  GtkRevealer  *fatal_revealer;
  GtkLabel     *fatal_label;
  GtkBox       *sections_box;
  GtkStack     *stack;
};


const AssayItem *scoring_panel_item_at          (AssayScoringPanel *self,
                                                 guint              index);
void             scoring_panel_set_focused      (AssayScoringPanel *self,
                                                 guint              index,
                                                 gboolean           grab);
void             scoring_panel_answers_changed  (AssayScoringPanel *self,
                                                 guint              index);
void             scoring_panel_request_mark     (AssayScoringPanel *self);
/* assay-scoring-panel-keys.c */
void             scoring_panel_init_keys        (AssayScoringPanel *self);
void             scoring_panel_connect_row      (AssayScoringPanel *self,
                                                 ItemRow           *row);
/* shows (or, @show FALSE, hides) the choice cursor of the focused item */
void             scoring_panel_show_cursor      (AssayScoringPanel *self,
                                                 gboolean           show);

G_END_DECLS
