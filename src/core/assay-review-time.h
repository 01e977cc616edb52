/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Active review time: how long an inspector actually worked on an evaluation, from opening it to
 * submitting it, leaving out pauses. The review workspace records a timestamp at each activity
 * (open, answer, comment, playback, scroll, submit); the time between two activities counts
 * when it is at most ASSAY_REVIEW_IDLE_MS, and not at all when longer (the inspector was away).
 */

/** ASSAY_REVIEW_IDLE_MS: a gap between two activities longer than this is a pause (2 minutes). */
#define ASSAY_REVIEW_IDLE_MS (2 * 60 * 1000)

/**
 * assay_review_active_ms:
 * @times_ms: activity times (unix ms), in any order; the first is taken as the opening and the
 *   last as the submission
 * @n_times: how many
 * @idle_ms: the longest gap that still counts (ASSAY_REVIEW_IDLE_MS), > 0
 * Returns: the active time in milliseconds: the sum of the gaps between consecutive activities
 *   that are at most @idle_ms; 0 for fewer than two activities.
 */
gint64 assay_review_active_ms (const gint64 *times_ms,
                               gsize         n_times,
                               gint64        idle_ms);

/**
 * AssayReviewClock:
 * The same accounting kept as activities happen, without keeping their times: the review
 * workspace touches it on each activity (in time order) and reads the total on submit.
 * A plain struct: `AssayReviewClock clock = ASSAY_REVIEW_CLOCK_INIT;`.
 */
typedef struct {
  gint64 last_ms;     /* the latest activity, or -1 before the first */
  gint64 active_ms;
  gint64 idle_ms;
} AssayReviewClock;

#define ASSAY_REVIEW_CLOCK_INIT { -1, 0, ASSAY_REVIEW_IDLE_MS }

/**
 * assay_review_clock_touch:
 * Records an activity at @now_ms: the time since the previous one counts when it is at most
 * the clock's idle limit. A time earlier than the previous activity counts nothing (a clock
 * set back does not take time away).
 */
void   assay_review_clock_touch  (AssayReviewClock *clock,
                                  gint64            now_ms);
/** assay_review_clock_get_active_ms: the active time so far. */
gint64 assay_review_clock_get_active_ms (const AssayReviewClock *clock);

G_END_DECLS
