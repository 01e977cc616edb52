/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/**
 * AssaySeedOptions:
 * @n_interactions: how many interactions (default 20,000)
 * @n_days: over how many days, the last one today (default 90)
 * @seed: the demo's seed; the same seed gives the same centre
 * @end_ms: the end of the demo in UTC unix ms; 0 is now
 * @recordings_dir: a folder of demo recordings (NAME.wav with an optional NAME.meta written by
 *   scripts/make-recordings.sh), or %NULL for none
 * @forms_dir: a folder holding the demo scorecards service-quality-en.json and
 *   service-quality-zh.json (data/demo/forms), or %NULL for no scorecards and no QA work
 * @force: replace the interactions the database already holds, and all work done on them
 * @n_evaluations: at least this many submitted evaluations (0: the demo's own, a few hundred);
 *   the ones beyond the demo's review answered calls and chats at an even stride
 * @no_conversations: leave the chats and emails without their conversations (large benchmark
 *   centres: the conversations more than double the time and size of a seed)
 */
typedef struct {
  guint        n_interactions;
  guint        n_days;
  guint32      seed;
  gint64       end_ms;
  const char  *recordings_dir;
  const char  *forms_dir;
  gboolean     force;
  guint        n_evaluations;
  gboolean     no_conversations;
} AssaySeedOptions;

/** ASSAY_SEED_FORM_EN, ASSAY_SEED_FORM_ZH: the demo scorecards' files in @forms_dir. */
#define ASSAY_SEED_FORM_EN "service-quality-en.json"
#define ASSAY_SEED_FORM_ZH "service-quality-zh.json"

/**
 * AssaySeedSummary:
 * What assay_store_seed_sync() wrote. @warnings lists recordings that were skipped and why.
 */
typedef struct {
  guint      n_teams;
  guint      n_agents;
  guint      n_staff;
  guint      n_queues;
  guint64    n_interactions;
  guint64    n_phone;
  guint64    n_chat;
  guint64    n_email;
  guint      n_recordings;      /* linked to an interaction */
  guint      n_forms;           /* scorecards published (or found published already) */
  guint      n_evaluations;     /* submitted */
  guint      n_amended;         /* of them, with a second revision */
  guint      n_drafts;          /* drafts of "me" */
  guint      n_assignments;     /* from the centre, for "me" */
  guint      n_sampled;         /* assignments made by the demo's sampling draw */
  gint64     first_ms;          /* the earliest and latest started_at, 0 if none */
  gint64     last_ms;
  char      *recordings_dir;    /* where the recordings were copied, next to the database */
  GPtrArray *warnings;          /* of char * */
} AssaySeedSummary;

/** assay_seed_options_init: the defaults of `assayctl seed`. */
void     assay_seed_options_init  (AssaySeedOptions        *options);
/** assay_seed_summary_clear: frees what @summary holds. */
void     assay_seed_summary_clear (AssaySeedSummary        *summary);

/**
 * assay_store_seed_sync:
 * Writes the demo contact centre (demo/assay-demo.h) into the open store in one transaction:
 * staff, teams, agents, queues, interactions, and the recordings of @options->recordings_dir,
 * copied into a `recordings` folder next to the database and each linked to a phone interaction
 * that fits it.
 *
 * With @options->forms_dir, also the QA work of the centre: the two scorecards, published
 * (found by their "id" as assay_store_publish_form_sync() would; a version already published
 * is used as it is stored); a few hundred submitted evaluations, scored by the form engine,
 * some amended (revision 2 with a reason); drafts and a queue of centre assignments for "me",
 * the recording-linked calls among them; and one sampling draw of last week's English calls
 * with its assignments, which assay_store_verify_draw_sync() confirms. Contacts of Chinese
 * queues are scored on the Chinese scorecard, the others on the English one. The seeded rows
 * are not local work: nothing of them goes to the outbox, and they are not marked dirty.
 *
 * A database that holds interactions is refused with %ASSAY_STORE_ERROR_INVALID unless
 * @options->force is set; then the demo's tables (team, staff, agent, queue, interaction,
 * recording, analysis, sampling_draw), every table that cannot exist without their rows
 * (assignments, evaluations and their revisions, annotations, ...) and the pending sync
 * operations on them are emptied first. Forms are kept (their author becomes unknown).
 * Runs on the store's worker and waits: not for the GUI's main thread.
 */
gboolean assay_store_seed_sync    (AssayStore              *self,
                                   const AssaySeedOptions  *options,
                                   AssaySeedSummary        *summary,
                                   GError                 **error);

/** assay_store_seed_async: assay_store_seed_sync() without waiting. */
void     assay_store_seed_async   (AssayStore              *self,
                                   const AssaySeedOptions  *options,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data);
/** assay_store_seed_finish: fills @summary (may be %NULL) with what was written. */
gboolean assay_store_seed_finish  (AssayStore              *self,
                                   GAsyncResult            *result,
                                   AssaySeedSummary        *summary,
                                   GError                 **error);

G_END_DECLS
