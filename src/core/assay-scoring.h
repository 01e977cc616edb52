/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/assay-form.h"

G_BEGIN_DECLS

/*
 * Scoring a set of answers on its form version. The rules are in docs/forms.md and follow
 * shared/design/SCORING.md. A figure that does not exist (nothing scored yet, no critical item
 * answered, a section with nothing answered) is NAN: test with isnan().
 */

/**
 * AssaySectionScore:
 * @earned, @possible: the section's points after baseline, N/A redistribution and a failed
 * fail-section item (unweighted; 0 of 0 when nothing in it is answered).
 * @percent: earned / possible as 0..100, NAN when nothing in the section was answered or it has
 * no possible points.
 * @contribution: the percentage points the section adds to the overall score (before the
 * fatal rule, the floor and the 0..100 bound).
 */
typedef struct {
  const char *id;            /* borrowed from the form */
  double      earned;
  double      possible;
  double      percent;
  double      contribution;
  gboolean    bonus;
  gboolean    failed;        /* a fail-section item was answered No */
  guint       answered;      /* scored items answered, N/A not counted */
  guint       na;            /* scored items marked N/A */
} AssaySectionScore;

/**
 * AssayScore:
 * @overall: the score in percent: 0 when a fatal item failed, may pass 100 with bonus
 * sections, NAN when nothing scored is answered.
 * @without_fatal: the same score as if no fatal rule applied.
 * @critical: the share of answered critical items that passed, in percent, or NAN.
 * @bonus: the percentage points added by bonus sections (included in @overall).
 * @band: the band of @overall, or %NULL.
 * @fatal_failed, @critical_failed, @missing_comments, @unanswered_required: item ids (const
 * char *, borrowed from the form) in form order.
 */
typedef struct {
  AssayForm         *form;
  double             overall;
  double             without_fatal;
  double             critical;
  double             bonus;
  const char        *band;
  GPtrArray         *fatal_failed;
  GPtrArray         *critical_failed;
  GPtrArray         *missing_comments;
  GPtrArray         *unanswered_required;
  guint              answered;
  guint              na;
  guint              n_sections;
  AssaySectionScore *sections;
  guint              n_unconfirmed;     /* answers still suggestions, not confirmed */
} AssayScore;

#define ASSAY_TYPE_SCORE (assay_score_get_type ())
GType assay_score_get_type (void) G_GNUC_CONST;

/**
 * assay_score_compute:
 * Scores @answers on the form version they belong to. Cheap enough to run on each keystroke.
 * The form must not have been changed since the answers were made (a published form never is).
 * Returns: (transfer full): the result.
 */
AssayScore *assay_score_compute (const AssayAnswers *answers);
/** assay_score_copy: a copy of @score (it shares the form and its ids). */
AssayScore *assay_score_copy    (const AssayScore   *score);
/** assay_score_free: frees @score. */
void        assay_score_free    (AssayScore         *score);

/** assay_score_is_complete: whether nothing stops a Submit (no unanswered item, no comment). */
gboolean    assay_score_is_complete (const AssayScore *score);

/**
 * assay_score_mean:
 * The team QA score: the plain mean of evaluation scores, skipping NAN ones; @out_n gets how
 * many were counted, to show beside it. Returns: the mean, or NAN when none counted.
 */
double      assay_score_mean    (const double       *scores,
                                 gsize               n_scores,
                                 guint              *out_n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayScore, assay_score_free)

G_END_DECLS
