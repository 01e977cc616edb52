/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_CALLBACKS_PAGE (assay_callbacks_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayCallbacksPage, assay_callbacks_page, ASSAY, CALLBACKS_PAGE, GtkWidget)

/*
 * AssayCallbacksPage:
 * The low-score callbacks (回访, docs/kpi.md): the period's contacts whose CSAT or NPS is at or
 * below the settings' limits, newest first, each with its follow-up state, owner and due
 * time; overdue ones stand out. Choosing a state records the follow-up with "me" as owner;
 * Follow Up… (or activating the row) opens the owner, the note and the root causes
 * (AssayRootCauseDialog).
 */

/* for tests: "loading", "empty", "ready" or "error"; the rows listed; sets row @i's state */
const char *_assay_callbacks_page_get_state  (AssayCallbacksPage *self);
guint       _assay_callbacks_page_get_n_rows (AssayCallbacksPage *self);
void        _assay_callbacks_page_set_row_state (AssayCallbacksPage *self,
                                                 guint               i,
                                                 const char         *state);
/* opens the follow-up of row @i, as its button does; Returns: (transfer none): the dialog */
GtkWidget  *_assay_callbacks_page_follow_up  (AssayCallbacksPage *self,
                                              guint               i);
void        _assay_callbacks_page_set_period (AssayCallbacksPage *self,
                                              int                 from_day,
                                              int                 to_day);

G_END_DECLS
