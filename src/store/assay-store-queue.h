/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"
#include "core/assay-sampling.h"

G_BEGIN_DECLS

/*
 * The review queue: assignments (from the centre, or drawn here by a sampling rule), their
 * state, and progress. docs/sampling.md describes the draw and how to check one.
 */

/**
 * AssayQueueState:
 * Where an assignment stands. Done: a submitted evaluation of its interaction on its form
 * version exists (by anyone). In progress: a draft exists. Overdue: neither, and past due.
 */
typedef enum {
  ASSAY_QUEUE_STATE_OVERDUE,
  ASSAY_QUEUE_STATE_IN_PROGRESS,
  ASSAY_QUEUE_STATE_DUE,
  ASSAY_QUEUE_STATE_DONE,
} AssayQueueState;

/** assay_queue_state_to_string: "overdue", "in-progress", "due" or "done". */
const char *assay_queue_state_to_string (AssayQueueState state);

/**
 * AssayQueueItem:
 * One assignment with what the queue shows of its interaction. @csat and @handle_s are
 * %ASSAY_NONE when unknown; @due_at and @done_at are 0 when there is none.
 */
typedef struct {
  char            *id;
  char            *interaction_id;
  char            *inspector_id;
  char            *form_version_id;
  char            *agent_id;
  char            *agent_name;
  char            *queue;
  char            *channel;
  gint64           started_at;
  int              handle_s;
  int              csat;
  gint64           due_at;
  char            *source;          /* "centre" or "sampling" */
  char            *draw_id;
  gint64           created_at;
  AssayQueueState  state;
  gboolean         has_draft;       /* a draft exists (also when overdue) */
  gint64           done_at;
  gboolean         has_recording;   /* the contact has a recording */
  gboolean         has_transcript;  /* a transcript (calls) or conversation (chats, emails) */
  char            *form_id;         /* the scorecard of @form_version_id */
  char            *form_name;
  char            *customer_ref;
} AssayQueueItem;

void assay_queue_item_free (AssayQueueItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayQueueItem, assay_queue_item_free)

/**
 * assay_store_list_queue_async:
 * The assignments of @inspector_id: overdue first, then the open ones by due date, then the
 * done ones (only those done since @done_since_ms, newest first); at most @limit (0: all).
 * States are judged at @now_ms. Items are #AssayQueueItem.
 */
void       assay_store_list_queue_async  (AssayStore          *store,
                                          const char          *inspector_id,
                                          gint64               now_ms,
                                          gint64               done_since_ms,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray *assay_store_list_queue_finish (AssayStore          *store,
                                          GAsyncResult        *result,
                                          GError             **error);
GPtrArray *assay_store_list_queue_sync   (AssayStore          *store,
                                          const char          *inspector_id,
                                          gint64               now_ms,
                                          gint64               done_since_ms,
                                          guint                limit,
                                          GError             **error);

/**
 * AssayQueueShow:
 * Which assignments a filtered queue keeps: all of them, the open ones (not done, due or
 * not), or only the overdue ones.
 */
typedef enum {
  ASSAY_QUEUE_SHOW_ALL,
  ASSAY_QUEUE_SHOW_OPEN,
  ASSAY_QUEUE_SHOW_OVERDUE,
} AssayQueueShow;

/**
 * AssayQueueSort:
 * The order inside each state (overdue, open, done keep their order): by due date (the
 * default; done ones newest first), by when the contact started (newest or oldest first), by
 * handling time (longest first), or by agent name.
 */
typedef enum {
  ASSAY_QUEUE_SORT_DUE,
  ASSAY_QUEUE_SORT_NEWEST,
  ASSAY_QUEUE_SORT_OLDEST,
  ASSAY_QUEUE_SORT_LONGEST,
  ASSAY_QUEUE_SORT_AGENT,
} AssayQueueSort;

/**
 * AssayQueueFilter:
 * What the queue's header asks for. @search (%NULL or empty: anything) matches, ignoring
 * case, the agent's name, the queue, the customer reference or the contact's id; @channel and
 * @form_id (%NULL: any) keep one channel or scorecard; @with_recording and @with_transcript
 * keep contacts that have one. Every filter narrows the assignments of one inspector, which
 * the query finds by the index `assignment_inspector`.
 */
typedef struct {
  const char     *search;
  const char     *channel;
  const char     *form_id;
  gboolean        with_recording;
  gboolean        with_transcript;
  AssayQueueShow  show;
  AssayQueueSort  sort;
} AssayQueueFilter;

/**
 * assay_store_list_queue_filtered_async:
 * Like assay_store_list_queue_async(), narrowed and ordered by @filter (%NULL: everything, by
 * due date). The filter is copied.
 */
void       assay_store_list_queue_filtered_async  (AssayStore              *store,
                                                   const char              *inspector_id,
                                                   gint64                   now_ms,
                                                   gint64                   done_since_ms,
                                                   guint                    limit,
                                                   const AssayQueueFilter  *filter,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
GPtrArray *assay_store_list_queue_filtered_sync   (AssayStore              *store,
                                                   const char              *inspector_id,
                                                   gint64                   now_ms,
                                                   gint64                   done_since_ms,
                                                   guint                    limit,
                                                   const AssayQueueFilter  *filter,
                                                   GError                 **error);

/**
 * assay_store_add_assignment_async:
 * Adds an assignment from the centre: @interaction_id for @inspector_id (%NULL: anyone) on
 * @form_version_id (%NULL: the newest published version), due at @due_at (0: no due date).
 * Returns the new assignment's id through the finish function.
 */
void   assay_store_add_assignment_async  (AssayStore          *store,
                                          const char          *interaction_id,
                                          const char          *inspector_id,
                                          const char          *form_version_id,
                                          gint64               due_at,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char  *assay_store_add_assignment_finish (AssayStore          *store,
                                          GAsyncResult        *result,
                                          GError             **error);
char  *assay_store_add_assignment_sync   (AssayStore          *store,
                                          const char          *interaction_id,
                                          const char          *inspector_id,
                                          const char          *form_version_id,
                                          gint64               due_at,
                                          GError             **error);

/**
 * AssayDrawResult:
 * What a draw did. @n_matching counts the contacts of the period that pass the filters
 * (@n_taken of them already assigned or evaluated); @n_drawn the assignments made.
 */
typedef struct {
  char    *draw_id;
  guint64  seed;
  gint64   drawn_at;
  char    *drawn_by;
  char    *inspector_id;
  char    *form_version_id;
  guint    n_matching;
  guint    n_taken;
  guint    n_drawn;
} AssayDrawResult;

void assay_draw_result_free (AssayDrawResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDrawResult, assay_draw_result_free)

/**
 * assay_store_draw_async:
 * Draws a sample by @rule and @seed in one transaction: reads the candidates of the period
 * (contacts with an assignment or an evaluation are not drawn again but count towards their
 * agent-week's N), runs assay_sampling_draw(), and writes the sampling_draw row (@rule_json,
 * the rule as assay_sampling_rule_to_json() writes it, with the seed, time and @drawn_by) and
 * one assignment per pick, plus one outbox operation. @drawn_by %NULL is "me"; the rule's
 * inspector %NULL is @drawn_by; its form version %NULL the newest published one.
 */
void             assay_store_draw_async  (AssayStore               *store,
                                          const AssaySamplingRule  *rule,
                                          const char               *rule_json,
                                          guint64                   seed,
                                          const char               *drawn_by,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data);
AssayDrawResult *assay_store_draw_finish (AssayStore               *store,
                                          GAsyncResult             *result,
                                          GError                  **error);
AssayDrawResult *assay_store_draw_sync   (AssayStore               *store,
                                          const AssaySamplingRule  *rule,
                                          const char               *rule_json,
                                          guint64                   seed,
                                          const char               *drawn_by,
                                          GError                  **error);

/**
 * AssayDrawRecord:
 * A stored draw: its rule as JSON, seed, when and by whom, and how many assignments it made.
 */
typedef struct {
  char    *id;
  char    *rule_json;
  guint64  seed;
  gint64   drawn_at;
  char    *drawn_by;
  char    *drawn_by_name;
  guint    n_assignments;
} AssayDrawRecord;

void assay_draw_record_free (AssayDrawRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDrawRecord, assay_draw_record_free)

/** assay_store_get_draw_sync: the draw @draw_id, or %ASSAY_STORE_ERROR_NOT_FOUND. */
AssayDrawRecord *assay_store_get_draw_sync (AssayStore  *store,
                                            const char  *draw_id,
                                            GError     **error);

/**
 * AssayDrawCheck:
 * A replay of a stored draw: @n_missing picks of the draw the replay did not make again,
 * @n_extra picks of the replay the draw did not make. @matches when both are 0.
 */
typedef struct {
  gboolean matches;
  guint    n_stored;
  guint    n_replayed;
  guint    n_missing;
  guint    n_extra;
  guint    n_matching;
} AssayDrawCheck;

/* an #AssayDrawCheck is freed with g_free() */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDrawCheck, g_free)

/**
 * assay_store_verify_draw_async:
 * Replays draw @draw_id with @rule (parsed from the draw's stored rule JSON by the caller) and
 * its stored seed over the candidates as they were when it was drawn (assignments and
 * evaluations made before it count as taken), and compares the picks with its assignments.
 */
void            assay_store_verify_draw_async  (AssayStore               *store,
                                                const char               *draw_id,
                                                const AssaySamplingRule  *rule,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
AssayDrawCheck *assay_store_verify_draw_finish (AssayStore               *store,
                                                GAsyncResult             *result,
                                                GError                  **error);
AssayDrawCheck *assay_store_verify_draw_sync   (AssayStore               *store,
                                                const char               *draw_id,
                                                const AssaySamplingRule  *rule,
                                                GError                  **error);

/**
 * AssayProgressRow:
 * Progress of one agent or inspector: assignments, how many are done, how many overdue.
 * @id is %NULL for the assignments nobody has been given (inspectors only).
 */
typedef struct {
  char  *id;
  char  *name;
  guint  n_assigned;
  guint  n_done;
  guint  n_overdue;
} AssayProgressRow;

/**
 * AssayQueueProgress:
 * Progress over the assignments of the contacts that started in a period, per agent and per
 * inspector (#AssayProgressRow, by name).
 */
typedef struct {
  GPtrArray *agents;
  GPtrArray *inspectors;
} AssayQueueProgress;

void assay_queue_progress_free (AssayQueueProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayQueueProgress, assay_queue_progress_free)

/** assay_store_queue_progress_async: progress for contacts started in [@from_ms, @to_ms). */
void                assay_store_queue_progress_async  (AssayStore          *store,
                                                       gint64               from_ms,
                                                       gint64               to_ms,
                                                       gint64               now_ms,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
AssayQueueProgress *assay_store_queue_progress_finish (AssayStore          *store,
                                                       GAsyncResult        *result,
                                                       GError             **error);
AssayQueueProgress *assay_store_queue_progress_sync   (AssayStore          *store,
                                                       gint64               from_ms,
                                                       gint64               to_ms,
                                                       gint64               now_ms,
                                                       GError             **error);

G_END_DECLS
