/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/assay-store.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_AGENTS_PAGE (assay_agents_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayAgentsPage, assay_agents_page, ASSAY, AGENTS_PAGE, GtkWidget)

void assay_agents_page_set_store (AssayAgentsPage *self,
                                   AssayStore       *store);

G_END_DECLS
