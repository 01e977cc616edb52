/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "assay-interaction.h"

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
  char *name;
  char *channel;
  int   sl_threshold_s;  /* phone and chat: answer within; email: first response within */
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

/**
 * assay_demo_new_id:
 * A new id from the demo's own sequence, the same for the same seed: a time-ordered UUID
 * (version 7) stamped with the end of the demo. Interactions get ids stamped with their start.
 */
char                 *assay_demo_new_id            (AssayDemo                *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDemo, assay_demo_free)

G_END_DECLS
