/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/assay-sampling.h"
#include "pages/assay-draw-dialog.h"
#include "store/assay-store.h"
#include "store/assay-store-queue.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_QUEUE_PAGE (assay_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayQueuePage, assay_queue_page, ASSAY, QUEUE_PAGE, GtkWidget)

/**
 * AssayQueuePage:
 * "Review Queue": the inspector's assignments, overdue first, then those to do by due date,
 * then the ones done recently. Activating one opens it in the review workspace
 * (`win.review`). "Draw a Sample…" draws more by a seeded sampling rule; the Progress tab shows
 * done and assigned per inspector and per agent. #AssayQueuePage:n-due counts what is not
 * done yet, for the sidebar badge.
 */
/* Reads the queue and the progress again (the page does it on the store's changes). */
void                  assay_queue_page_reload      (AssayQueuePage           *self);
/* Assignments not done yet. */
guint                 assay_queue_page_get_n_due   (AssayQueuePage           *self);
/* The rows shown, and the assignment of each (for tests). */
guint                 assay_queue_page_get_n_rows  (AssayQueuePage           *self);
const AssayQueueItem *assay_queue_page_get_item    (AssayQueuePage           *self,
                                                    guint                     index);
GtkWidget            *assay_queue_page_get_row     (AssayQueuePage           *self,
                                                    guint                     index);
/* "loading", "empty" or "list". */
const char           *assay_queue_page_get_view    (AssayQueuePage           *self);
/* Whether a draw is running. */
gboolean              assay_queue_page_get_drawing (AssayQueuePage           *self);
/* Draws by @rule (its inspector %NULL: me) and @seed, then reads the queue again and tells
 * the result in a toast. */
void                  assay_queue_page_draw        (AssayQueuePage           *self,
                                                    const AssaySamplingRule  *rule,
                                                    guint64                   seed);
/* The text of the last toast (for tests). */
const char           *assay_queue_page_get_message (AssayQueuePage           *self);
/* Opens "Draw a Sample…" and returns it (owned by GTK while open). */
AssayDrawDialog      *assay_queue_page_open_draw_dialog (AssayQueuePage      *self);
/* The progress shown, NULL before it is read. */
/* The header's search and filters (as a user would set them; the queue is read again).
 * @search %NULL leaves the search as it is. */
void                  assay_queue_page_set_filter  (AssayQueuePage           *self,
                                                    const char               *search,
                                                    const char               *channel,
                                                    AssayQueueShow            show,
                                                    gboolean                  with_recording,
                                                    gboolean                  with_transcript);
void                  assay_queue_page_set_sort    (AssayQueuePage           *self,
                                                    AssayQueueSort            sort);
/* Whether the rows shown are narrowed by the search or a filter. */
gboolean              assay_queue_page_get_filtered (AssayQueuePage          *self);
const AssayQueueProgress *assay_queue_page_get_progress (AssayQueuePage      *self);

G_END_DECLS
