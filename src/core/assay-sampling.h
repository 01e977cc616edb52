/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/assay-interaction.h"

G_BEGIN_DECLS

/*
 * Sampling rules: which contacts an inspector reviews, drawn so that anyone can check the draw
 * was fair. A rule and a seed (both stored with the draw) and the set of candidates decide the
 * picks completely; docs/sampling.md describes the algorithm.
 */

#define ASSAY_SAMPLING_ERROR (assay_sampling_error_quark ())

typedef enum {
  ASSAY_SAMPLING_ERROR_INVALID,      /* a field breaks a rule; the message starts with its name */
  ASSAY_SAMPLING_ERROR_SYNTAX,       /* the rule's JSON is not JSON of the right shape */
  ASSAY_SAMPLING_ERROR_UNSUPPORTED,  /* a format or algorithm this build does not know */
} AssaySamplingError;

GQuark assay_sampling_error_quark (void);

/** ASSAY_SAMPLING_FORMAT: the "format" of the rule JSON this build reads and writes. */
#define ASSAY_SAMPLING_FORMAT 1
/**
 * ASSAY_SAMPLING_ALGORITHM: the draw algorithm of this build (1: Efraimidis–Spirakis keys from
 * splitmix64 of seed and id). A stored rule names its algorithm; a replay refuses another one.
 */
#define ASSAY_SAMPLING_ALGORITHM 1
/** ASSAY_SAMPLING_MAX_PER_AGENT: the largest number of contacts per agent and week. */
#define ASSAY_SAMPLING_MAX_PER_AGENT 1000
/** ASSAY_SAMPLING_MAX_SEED: seeds are stored in a signed 64-bit SQLite column. */
#define ASSAY_SAMPLING_MAX_SEED G_MAXINT64

/**
 * AssaySamplingRule:
 * @per_agent_per_week: N, the contacts to review per agent and week (1 to
 *   %ASSAY_SAMPLING_MAX_PER_AGENT). Contacts of the agent and week that already have an
 *   assignment or an evaluation count towards N: a draw tops each agent-week up to N.
 * @from_ms, @to_ms: the period [from, to) of the contacts' start times, UTC unix ms.
 * @week_offset_min: weeks are ISO weeks (Monday 00:00 to Monday 00:00) at this fixed offset from
 *   UTC, in minutes (480 for China). A fixed offset, stored with the rule, rather than the
 *   machine's time zone, so that a replay anywhere cuts the same weeks.
 * @channels, @queues: %NULL or empty for all, else the contact's channel / queue must be listed.
 * @min_handle_s, @max_handle_s: handle time (talk + hold + wrap) bounds in seconds, inclusive,
 *   %ASSAY_NONE for no bound.
 * @csat_max: only contacts with a CSAT at most this (1 to 5); contacts without a survey answer
 *   do not match. %ASSAY_NONE for no CSAT filter.
 * @low_csat_weight: the weight of a low-CSAT contact in the draw (1 = no oversampling, up to
 *   100); every other contact weighs 1.
 * @low_csat_at_most: what counts as low CSAT (default 2).
 * @form_version_id: the scorecard version the assignments pin, %NULL for the newest published.
 * @due_days: assignments are due this many days after the draw, 0 for no due date.
 * @inspector_id: who the assignments are for, %NULL for whoever draws.
 * @algorithm: %ASSAY_SAMPLING_ALGORITHM for a new rule.
 */
typedef struct {
  guint    per_agent_per_week;
  gint64   from_ms;
  gint64   to_ms;
  int      week_offset_min;
  char   **channels;
  char   **queues;
  int      min_handle_s;
  int      max_handle_s;
  int      csat_max;
  double   low_csat_weight;
  int      low_csat_at_most;
  char    *form_version_id;
  guint    due_days;
  char    *inspector_id;
  int      algorithm;
} AssaySamplingRule;

/**
 * AssaySamplingCandidate:
 * A contact that could be drawn, as the store reads it. @csat and @handle_s are %ASSAY_NONE
 * when unknown. @taken marks a contact already assigned or evaluated: it is never drawn but
 * counts towards its agent-week's N when it matches the rule. Strings are borrowed.
 */
typedef struct {
  const char *id;
  const char *agent_id;
  const char *channel;
  const char *queue;
  gint64      started_at;
  int         handle_s;
  int         csat;
  gboolean    taken;
} AssaySamplingCandidate;

/** assay_sampling_rule_new: a rule with the defaults (1 per agent and week, no filters, due in 7 days). */
AssaySamplingRule *assay_sampling_rule_new      (void);
AssaySamplingRule *assay_sampling_rule_copy     (const AssaySamplingRule *rule);
void               assay_sampling_rule_free     (AssaySamplingRule       *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySamplingRule, assay_sampling_rule_free)

/** assay_sampling_rule_validate: checks every field; the message names the field at fault. */
gboolean           assay_sampling_rule_validate (const AssaySamplingRule *rule,
                                                 GError                 **error);
/** assay_sampling_rule_equal: whether two rules draw the same (every field equal). */
gboolean           assay_sampling_rule_equal    (const AssaySamplingRule *a,
                                                 const AssaySamplingRule *b);

/**
 * assay_sampling_rule_set_weeks:
 * Sets the period to the @weeks complete weeks before the week holding @now_ms (at the rule's
 * week offset): on a Wednesday, 1 means last Monday-to-Monday.
 */
void               assay_sampling_rule_set_weeks (AssaySamplingRule      *rule,
                                                  gint64                  now_ms,
                                                  guint                   weeks);

/** assay_sampling_week_of: the week number of @ms (weeks since Monday 1969-12-29 at @offset_min). */
gint64             assay_sampling_week_of       (gint64                   ms,
                                                 int                      offset_min);
/** assay_sampling_week_start: when week @week begins, UTC unix ms. */
gint64             assay_sampling_week_start    (gint64                   week,
                                                 int                      offset_min);

/** assay_sampling_rule_matches: whether @candidate passes the rule's period and filters. */
gboolean           assay_sampling_rule_matches  (const AssaySamplingRule      *rule,
                                                 const AssaySamplingCandidate *candidate);
/** assay_sampling_weight: the candidate's weight in the draw (1, or the low-CSAT weight). */
double             assay_sampling_weight        (const AssaySamplingRule      *rule,
                                                 const AssaySamplingCandidate *candidate);

/**
 * assay_sampling_uniform:
 * The candidate's uniform variate in (0, 1): splitmix64 of @seed mixed with the FNV-1a hash of
 * @id, top 53 bits. Exposed so that the draw can be checked by hand.
 */
double             assay_sampling_uniform       (guint64                  seed,
                                                 const char              *id);

/**
 * assay_sampling_draw:
 * Draws from @candidates (any order; ids unique): within each agent and week, the matching
 * candidates that are not taken get the key -ln(u) / weight (u from assay_sampling_uniform()),
 * and the smallest keys win, as many as N minus the taken matching ones of that agent-week —
 * weighted sampling without replacement (Efraimidis & Spirakis, 2006). The same rule, seed and
 * candidate set always give the same picks, on any machine.
 * Returns: (transfer full): the indexes (guint) into @candidates of the picks, in id order.
 */
GArray            *assay_sampling_draw          (const AssaySamplingRule      *rule,
                                                 guint64                       seed,
                                                 const AssaySamplingCandidate *candidates,
                                                 gsize                         n_candidates);

/** assay_sampling_new_seed: a fresh random seed, 1 to 999,999,999 so that it is easy to read out. */
guint64            assay_sampling_new_seed      (void);

G_END_DECLS
