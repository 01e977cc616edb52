/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-agents-page.h"
#include "widgets/assay-figure-card.h"
#include "widgets/assay-interaction-list.h"

G_BEGIN_DECLS

/* For tests: the page's parts, so they can check what a user would see. */
GListModel           *_assay_agents_page_get_rows            (AssayAgentsPage *self);
const char           *_assay_agents_page_get_directory_state (AssayAgentsPage *self);
const char           *_assay_agents_page_get_detail_state    (AssayAgentsPage *self);
GtkEditable          *_assay_agents_page_get_search_entry    (AssayAgentsPage *self);
void                  _assay_agents_page_select_row          (AssayAgentsPage *self,
                                                              guint            position);
/* @kpi: contacts, csat, nps, fcr, aht-phone, aht-written, service-level */
AssayFigureCard      *_assay_agents_page_get_card            (AssayAgentsPage *self,
                                                              const char      *kpi);
const char           *_assay_agents_page_get_title           (AssayAgentsPage *self);
AssayInteractionList *_assay_agents_page_get_interactions    (AssayAgentsPage *self);

G_END_DECLS
