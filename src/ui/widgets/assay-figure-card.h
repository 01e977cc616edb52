/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/assay-kpi.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_FIGURE_CARD (assay_figure_card_get_type ())
G_DECLARE_FINAL_TYPE (AssayFigureCard, assay_figure_card, ASSAY, FIGURE_CARD, GtkWidget)

/*
 * AssayFigureCard:
 * One headline figure: a title ("CSAT"), the value ("84 %"), a caption under it (the n it rests
 * on, "of 212 answers") and the KPI's definition as the tooltip. The level colours the value as
 * a secondary cue only.
 */
GtkWidget     *assay_figure_card_new            (void);
const char    *assay_figure_card_get_title      (AssayFigureCard *self);
void           assay_figure_card_set_title      (AssayFigureCard *self,
                                                 const char      *title);
const char    *assay_figure_card_get_value      (AssayFigureCard *self);
void           assay_figure_card_set_value      (AssayFigureCard *self,
                                                 const char      *value);
const char    *assay_figure_card_get_caption    (AssayFigureCard *self);
void           assay_figure_card_set_caption    (AssayFigureCard *self,
                                                 const char      *caption);
const char    *assay_figure_card_get_definition (AssayFigureCard *self);
void           assay_figure_card_set_definition (AssayFigureCard *self,
                                                 const char      *definition);
AssayKpiLevel  assay_figure_card_get_level      (AssayFigureCard *self);
void           assay_figure_card_set_level      (AssayFigureCard *self,
                                                 AssayKpiLevel    level);

G_END_DECLS
