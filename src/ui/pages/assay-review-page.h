/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "media/assay-player.h"
#include "store/assay-store.h"
#include "widgets/assay-scoring-panel.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_REVIEW_PAGE (assay_review_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayReviewPage, assay_review_page, ASSAY, REVIEW_PAGE, GtkWidget)

/**
 * AssayReviewPage:
 * The review workspace: the recording with its waveform, speech lanes and figures on the left,
 * the scorecard on the right. Every change is saved as a draft at once; Submit freezes it;
 * Amend (with a reason) makes a new revision. Emits "close" when the user goes back.
 */
/* Opens @interaction_id on @form_version_id (%NULL: the pinned or newest scorecard). */
void               assay_review_page_open        (AssayReviewPage *self,
                                                  const char      *interaction_id,
                                                  const char      *form_version_id);
/* "loading", "ready" or "error". */
const char        *assay_review_page_get_status  (AssayReviewPage *self);
AssayScoringPanel *assay_review_page_get_panel   (AssayReviewPage *self);
AssayPlayer       *assay_review_page_get_player  (AssayReviewPage *self);
/* The evaluation's state: NULL (nothing saved yet), "draft" or "submitted". */
const char        *assay_review_page_get_state   (AssayReviewPage *self);
gboolean           assay_review_page_get_amending (AssayReviewPage *self);
/* Saves still on their way to the database. */
guint              assay_review_page_get_pending_saves (AssayReviewPage *self);
/* The number of revisions shown in the history. */
guint              assay_review_page_get_n_revisions   (AssayReviewPage *self);
/* Submits, or with @reason submits an amendment (the dialog's job for a user). */
void               assay_review_page_submit      (AssayReviewPage *self,
                                                  const char      *reason);
/* Starts an amendment of a submitted evaluation. */
void               assay_review_page_amend       (AssayReviewPage *self);
const char        *assay_review_page_get_evaluation_id (AssayReviewPage *self);
/* What "now" is for the review time (unix ms); %NULL: the real clock. For tests. */
typedef gint64 (*AssayReviewNowFunc) (gpointer data);
void               assay_review_page_set_now_func (AssayReviewPage    *self,
                                                   AssayReviewNowFunc  func,
                                                   gpointer            data);
/* The transcript or conversation under the player (an AssayTranscriptView). */
GtkWidget         *assay_review_page_get_transcript_view (AssayReviewPage *self);
/* Whether the form is folded under the player (a narrow window). */
gboolean           assay_review_page_get_folded (AssayReviewPage *self);
/* How many blocking problems the Ctrl+Enter list shows now (0 when it is closed). */
guint              assay_review_page_get_n_problems_shown (AssayReviewPage *self);

G_END_DECLS
