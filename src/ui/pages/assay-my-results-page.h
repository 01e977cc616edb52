/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_MY_RESULTS_PAGE (assay_my_results_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayMyResultsPage, assay_my_results_page, ASSAY, MY_RESULTS_PAGE, GtkWidget)

/*
 * An agent's own place: their evaluations, coaching, training and disputes. They reach the
 * workstation through sync with the centre; until then the page says so.
 */

G_END_DECLS
