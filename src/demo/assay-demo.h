/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/assay-form.h"
#include "core/assay-interaction.h"

G_BEGIN_DECLS

/*
 * The demo contact centre: three teams, 24 agents, a few QA staff, nine queues over phone, chat
 * and email, and interactions over a number of days ending now. Everything comes from one seed,
 * so the same options give the same centre, ids included.
 *
 * Handle time by channel (talk + hold + wrap, the handle_s column): email > phone > chat.
 * Email talk_s is the agent's working time on the thread (reading, writing, looking things up),
 * about 9–10 minutes a contact; phone about 6–7 minutes; chat talk_s is the agent time charged
 * to one chat (agents run two or three chats at once), about 4–5 minutes.
 */

#define ASSAY_DEMO_DEFAULT_SEED         20240611u
#define ASSAY_DEMO_DEFAULT_INTERACTIONS 20000
#define ASSAY_DEMO_DEFAULT_DAYS         90
#define ASSAY_DEMO_MAX_DAYS             3660

/**
 * AssayDemoOptions:
 * @n_interactions: how many interactions in all
 * @n_days: how many days, the last one being the day of @end_ms
 * @seed: the seed of everything random
 * @end_ms: the end of the demo (UTC unix ms): the last interaction starts before it; 0 is now
 * @time_zone: the centre's time zone (opening hours, days); %NULL is the local one
 */
typedef struct {
  guint      n_interactions;
  guint      n_days;
  guint32    seed;
  gint64     end_ms;
  GTimeZone *time_zone;
} AssayDemoOptions;

typedef struct {
  char *id;
  char *name;
  char *lead_id;        /* a staff id */
} AssayDemoTeam;

typedef struct {
  char     *id;
  char     *team_id;
  char     *name;
  char     *employee_code;
  gboolean  active;     /* FALSE: left the centre during the period */
} AssayDemoAgent;

typedef struct {
  char     *id;
  char     *name;
  char     *roles;      /* comma list: inspector, lead, manager, admin */
  gboolean  is_me;
} AssayDemoStaff;

typedef struct {
  char     *name;
  char     *channel;
  int       sl_threshold_s;  /* phone and chat: answer within; email: first response within */
  gboolean  chinese;         /* served in Chinese (and reviewed on the Chinese scorecard) */
} AssayDemoQueue;

/**
 * AssayDemoRecording:
 * A call recording to attach to a demo interaction.
 * @name: the file name without extension, e.g. "zh-billing-angry-hold"; when @queue is %NULL or
 *   not a demo phone queue, the queue is guessed from it ("zh-" means a Chinese queue; billing,
 *   sales or else technical support from its words)
 * @queue: the phone queue, or %NULL
 * @agent_name: the demo agent who took the call, or %NULL for any agent of the queue
 * @duration_s: length of the recording
 * @hold_s: seconds of it on hold
 */
typedef struct {
  const char *name;
  const char *queue;
  const char *agent_name;
  double      duration_s;
  int         hold_s;
} AssayDemoRecording;

typedef struct _AssayDemo AssayDemo;

/** assay_demo_options_init: the defaults (20,000 interactions, 90 days, default seed, now, local). */
void                  assay_demo_options_init      (AssayDemoOptions         *options);

/**
 * assay_demo_new:
 * Makes the centre's people and queues and plans its volume. Interactions come one at a time
 * from assay_demo_next(), so a million of them need no more memory than a day's worth.
 */
AssayDemo            *assay_demo_new               (const AssayDemoOptions   *options);
void                  assay_demo_free              (AssayDemo                *self);

const AssayDemoTeam  *assay_demo_get_teams         (AssayDemo                *self,
                                                    guint                    *n_teams);
const AssayDemoAgent *assay_demo_get_agents        (AssayDemo                *self,
                                                    guint                    *n_agents);
const AssayDemoStaff *assay_demo_get_staff         (AssayDemo                *self,
                                                    guint                    *n_staff);
const AssayDemoQueue *assay_demo_get_queues        (AssayDemo                *self,
                                                    guint                    *n_queues);

/** assay_demo_get_start_ms: the start of the first day (UTC unix ms). */
gint64                assay_demo_get_start_ms      (AssayDemo                *self);
/** assay_demo_get_end_ms: the end of the demo (UTC unix ms). */
gint64                assay_demo_get_end_ms        (AssayDemo                *self);

/**
 * assay_demo_add_recording:
 * Asks for a phone interaction that fits @recording (its queue, agent and length) in the last
 * week or so. Call it before the first assay_demo_next(). Returns: the recording's index.
 */
guint                 assay_demo_add_recording     (AssayDemo                *self,
                                                    const AssayDemoRecording *recording);

/**
 * assay_demo_next:
 * The next interaction, in order of start time. @facts is cleared and filled; the caller
 * clears it when done. @recording is set to the index of the recording linked to this
 * interaction, or -1. Returns: %FALSE when there are no more.
 */
gboolean              assay_demo_next              (AssayDemo                *self,
                                                    AssayInteractionFacts    *facts,
                                                    int                      *recording);

/** assay_demo_get_n_linked: how many added recordings have been linked so far. */
guint                 assay_demo_get_n_linked      (AssayDemo                *self);

/*
 * QA work. While the interactions stream out, the demo keeps aside (with a generator of its own,
 * so the interactions are the same with or without it) the contacts its QA staff review:
 *
 * - submitted evaluations: answered phone calls and some chats that started more than three
 *   days before the end, one or two per agent and week (weighted reservoirs per agent-week),
 *   by "me" and the two other inspectors, about 5 % amended later by the agent's team lead;
 * - the queue of "me": the calls linked to recordings, then recent calls of the last three days,
 *   assigned by the centre, due over the next days (the recorded ones first, some overdue);
 *   two of them and two other recent calls are drafts of "me".
 *
 * Contacts of a Chinese queue are reviewed on the Chinese scorecard, the others on the English
 * one (AssayDemoQueue.chinese). Every created_at and assigned_at is at least 30 minutes before
 * the end of the demo, so a sampling draw made after them sees them all.
 */

typedef enum {
  ASSAY_DEMO_REVIEW_OPEN,        /* assigned, not started */
  ASSAY_DEMO_REVIEW_DRAFT,       /* being scored: a draft */
  ASSAY_DEMO_REVIEW_SUBMITTED,   /* submitted (revision 1), perhaps amended (revision 2) */
} AssayDemoReviewState;

/**
 * AssayDemoReview:
 * QA work on one demo contact.
 * @agent, @queue, @inspector, @amended_by: indexes into the agents, queues and staff.
 * @recording: the index of the recording linked to the contact, or -1.
 * @created_at: when the evaluation was opened (not for %ASSAY_DEMO_REVIEW_OPEN).
 * @updated_at: when it was submitted, or the draft last saved.
 * @amended_by: the lead who amended the evaluation, or -1; @amended_at: when.
 * @assigned: an assignment from the centre for "me", made at @assigned_at, due at @due_at.
 */
typedef struct {
  char                 *interaction_id;
  char                 *channel;
  guint                 agent;
  guint                 queue;
  gboolean              chinese;
  gint64                started_at;
  int                   talk_s;
  int                   hold_s;
  gboolean              resolved;
  int                   recording;
  AssayDemoReviewState  state;
  guint                 inspector;
  gint64                created_at;
  gint64                updated_at;
  int                   amended_by;
  gint64                amended_at;
  gboolean              assigned;
  gint64                assigned_at;
  gint64                due_at;
} AssayDemoReview;

/**
 * assay_demo_get_reviews:
 * The QA work of the demo, once assay_demo_next() has returned %FALSE (before that: none).
 * Submitted evaluations come first, by start of their contact, then the queue of "me".
 */
const AssayDemoReview *assay_demo_get_reviews (AssayDemo             *self,
                                               guint                 *n_reviews);

/** assay_demo_get_me: the index of "me" among the staff. */
guint                 assay_demo_get_me       (AssayDemo             *self);

/**
 * assay_demo_answer:
 * The answers @review->inspector gave on @form (a valid form): complete (everything required
 * answered, a comment on every deduction that asks for one) for a submitted review, about half
 * the items for a draft. The agent's skill, the contact (hold, resolved, channel) and chance
 * decide them; a few fail a fatal item. Comments are in Chinese for a Chinese review. The same
 * demo and review give the same answers, in any order of calls.
 * Returns: (transfer full): the answers.
 */
AssayAnswers         *assay_demo_answer       (AssayDemo             *self,
                                               const AssayDemoReview *review,
                                               AssayForm             *form);

/**
 * assay_demo_amend:
 * The amendment of a submitted review by its lead: a copy of @answers with one answer changed
 * (a failed fatal item overturned on appeal, a deduction withdrawn, or a missed one added, with
 * its comment), still complete. @reason gets why, in the review's language.
 * Returns: (transfer full): the amended answers.
 */
AssayAnswers         *assay_demo_amend        (AssayDemo             *self,
                                               const AssayDemoReview *review,
                                               const AssayAnswers    *answers,
                                               char                 **reason);

/**
 * assay_demo_new_id:
 * A new id from the demo's own sequence, the same for the same seed: a time-ordered UUID
 * (version 7) stamped with the end of the demo. Interactions get ids stamped with their start.
 */
char                 *assay_demo_new_id            (AssayDemo                *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDemo, assay_demo_free)

G_END_DECLS
