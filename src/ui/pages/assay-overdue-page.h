/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_OVERDUE_PAGE (assay_overdue_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayOverduePage, assay_overdue_page, ASSAY, OVERDUE_PAGE, GtkWidget)

/*
 * Everything past its due date in one list (docs/coaching.md): open coaching actions, training
 * not completed, improvement actions not closed, reviews without a submitted evaluation and
 * callbacks still to call; something due on a day is overdue from the next local midnight.
 * Live through the store's changes.
 */

/*
 * The sidebar badge's count (an AssayPlaceCountFunc): how many things are overdue now. Once a
 * day (the "overdue-notified-day" setting) it also sends one desktop notification summarising
 * what became overdue at the last midnight, when the application is registered.
 */
void assay_overdue_count (AssayContext        *context,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data);

/* How many of @overdue (AssayOverdueRecord) became overdue at the start of @now's day. */
guint assay_overdue_count_new_today (GPtrArray *overdue,
                                     GDateTime *now);

/* For tests: "loading", "empty" or "list", and the number of rows. */
const char *_assay_overdue_page_get_state (AssayOverduePage *self);
guint       _assay_overdue_page_get_n_rows (AssayOverduePage *self);

G_END_DECLS
