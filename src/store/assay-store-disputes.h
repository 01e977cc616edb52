/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"
#include "assay-store-evaluations.h"

G_BEGIN_DECLS

/*
 * Disputes (docs/disputes.md): an agent, or a lead on their behalf, questions a submitted
 * evaluation or some of its items within the dispute window. Review runs through the configured
 * steps (dispute_stage: e.g. team lead, then QA manager), each with a deadline; every step
 * decides upheld, partly upheld or rejected with a reason from a list and a comment. The last
 * step's decision is the outcome: an upheld item changes the score only through an amendment
 * revision, written in the same transaction, whose reason is the dispute. The agent then
 * acknowledges the outcome.
 */

#define ASSAY_DISPUTE_DAY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))

/** AssayDisputeStage: one configured step: who decides it and in how many days. */
typedef struct {
  int   position;
  char *role;             /* "lead" or "manager" */
  int   deadline_days;
} AssayDisputeStage;

void assay_dispute_stage_free (AssayDisputeStage *stage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDisputeStage, assay_dispute_stage_free)

/** AssayDisputeStep: one step of one dispute; @decision is %NULL until it is decided. */
typedef struct {
  int     position;
  char   *role;
  char   *assignee_id;      /* the team's lead for a lead step, or %NULL */
  char   *assignee_name;
  gint64  started_at;
  gint64  due_at;
  char   *decision;         /* "upheld", "partly_upheld", "rejected" or %NULL */
  char   *reason;           /* a code of assay_dispute_reasons(), or %NULL */
  char   *comment;
  char   *upheld_items;     /* JSON array of the item ids the outcome changed, or %NULL */
  char   *decided_by;
  char   *decided_by_name;
  gint64  decided_at;
} AssayDisputeStep;

void assay_dispute_step_free (AssayDisputeStep *step);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDisputeStep, assay_dispute_step_free)

/**
 * AssayDisputeRecord:
 * A dispute as the lists and the packet need it. @state is "open", "upheld", "partly_upheld",
 * "rejected" or "withdrawn"; while open, @current_step is the step under review and @due_at its
 * deadline (0 otherwise). @steps (of #AssayDisputeStep) is filled by assay_store_get_dispute
 * only, %NULL in lists.
 */
typedef struct {
  char      *id;
  char      *evaluation_id;
  char      *revision_id;
  int        revision_number;
  char      *agent_id;
  char      *agent_name;
  char      *raised_by;
  char      *raised_by_name;
  gboolean   on_behalf;
  char      *items;                /* JSON array of item ids; [] is the whole evaluation */
  char      *reason;
  char      *state;
  int        current_step;         /* 0 once closed */
  int        n_steps;              /* the steps it runs through */
  char      *current_role;         /* the current step's role, or %NULL */
  gint64     due_at;
  char      *outcome_revision_id;
  int        outcome_revision_number;
  gint64     raised_at;
  gint64     closed_at;
  gint64     acknowledged_at;
  char      *inspector_id;
  char      *inspector_name;
  char      *form_name;
  int        form_version;
  char      *channel;
  gint64     interaction_started_at;
  double     score;                /* the evaluation's current score, NAN if none */
  GPtrArray *steps;
} AssayDisputeRecord;

void assay_dispute_record_free (AssayDisputeRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDisputeRecord, assay_dispute_record_free)

/** assay_dispute_record_is_overdue: whether the step under review is past its deadline at @now. */
gboolean assay_dispute_record_is_overdue (const AssayDisputeRecord *record,
                                          gint64                    now);

/** assay_dispute_reasons: the decision reason codes, %NULL-terminated, in the order to offer. */
const char * const *assay_dispute_reasons (void);
/** assay_dispute_reason_is_valid: whether @code is one of assay_dispute_reasons(). */
gboolean            assay_dispute_reason_is_valid (const char *code);
/** assay_dispute_decision_is_valid: "upheld", "partly_upheld" or "rejected". */
gboolean            assay_dispute_decision_is_valid (const char *decision);

/**
 * AssayDisputeRaise:
 * What raising a dispute needs. @items are item ids of the evaluation's form (%NULL or empty:
 * the whole evaluation). The dispute must come within @window_days of the current revision's
 * submission, measured at @now (0: the current time).
 */
typedef struct {
  const char         *evaluation_id;
  const char         *raised_by;     /* staff id */
  gboolean            on_behalf;     /* a lead raising it for the agent */
  const char * const *items;
  const char         *reason;
  guint               window_days;
  gint64              now;
} AssayDisputeRaise;

/** assay_store_raise_dispute_async: opens a dispute at its first step; returns its id. */
void      assay_store_raise_dispute_async   (AssayStore              *store,
                                             const AssayDisputeRaise *raise,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
char     *assay_store_raise_dispute_finish  (AssayStore              *store,
                                             GAsyncResult            *result,
                                             GError                 **error);
char     *assay_store_raise_dispute_sync    (AssayStore              *store,
                                             const AssayDisputeRaise *raise,
                                             GError                 **error);

/**
 * AssayDisputeDecision:
 * A step's decision. @position is the step the decider saw (a decision for a step that is no
 * longer current is refused, so two people cannot decide one step). At the last step an upheld
 * or partly upheld decision needs @answers: the evaluation's answers file (docs/forms.md) with
 * the disputed items changed; only disputed items may change, and at least one must.
 */
typedef struct {
  const char *dispute_id;
  int         position;
  const char *decided_by;
  const char *decision;
  const char *reason;
  const char *comment;
  const char *answers;
  gint64      now;
} AssayDisputeDecision;

/**
 * assay_store_decide_dispute_async:
 * Records a step's decision: before the last step the next step starts (its deadline counted
 * from now); the last step closes the dispute and, when it upholds, writes the amendment in the
 * same transaction. Returns the amendment's revision number, or 0 when no revision was written.
 */
void      assay_store_decide_dispute_async  (AssayStore                 *store,
                                             const AssayDisputeDecision *decision,
                                             GCancellable               *cancellable,
                                             GAsyncReadyCallback         callback,
                                             gpointer                    user_data);
int       assay_store_decide_dispute_finish (AssayStore                 *store,
                                             GAsyncResult               *result,
                                             GError                    **error);
int       assay_store_decide_dispute_sync   (AssayStore                 *store,
                                             const AssayDisputeDecision *decision,
                                             GError                    **error);

/** assay_store_withdraw_dispute_async: closes an open dispute as withdrawn by @by. */
void      assay_store_withdraw_dispute_async  (AssayStore          *store,
                                               const char          *dispute_id,
                                               const char          *by,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean  assay_store_withdraw_dispute_finish (AssayStore          *store,
                                               GAsyncResult        *result,
                                               GError             **error);

/**
 * AssayDisputeFilter:
 * Which disputes a list shows: @state "open", "overdue" (open and past the step's deadline at
 * @now), "decided" (closed, not acknowledged), "closed" or %NULL for all; and, when set, only
 * those of @evaluation_id or @agent_id.
 */
typedef struct {
  const char *state;
  const char *evaluation_id;
  const char *agent_id;
  gint64      now;
  guint       limit;
} AssayDisputeFilter;

/** assay_store_list_disputes_async: disputes, newest first; items are #AssayDisputeRecord. */
void       assay_store_list_disputes_async  (AssayStore               *store,
                                             const AssayDisputeFilter *filter,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
GPtrArray *assay_store_list_disputes_finish (AssayStore               *store,
                                             GAsyncResult             *result,
                                             GError                  **error);
GPtrArray *assay_store_list_disputes_sync   (AssayStore               *store,
                                             const AssayDisputeFilter *filter,
                                             GError                  **error);

/** assay_store_get_dispute_async: one dispute with its steps. */
void                assay_store_get_dispute_async  (AssayStore          *store,
                                                    const char          *dispute_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
AssayDisputeRecord *assay_store_get_dispute_finish (AssayStore          *store,
                                                    GAsyncResult        *result,
                                                    GError             **error);
AssayDisputeRecord *assay_store_get_dispute_sync   (AssayStore          *store,
                                                    const char          *dispute_id,
                                                    GError             **error);

/** assay_store_list_dispute_stages_async: the configured steps, in order (#AssayDisputeStage). */
void       assay_store_list_dispute_stages_async  (AssayStore          *store,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *assay_store_list_dispute_stages_finish (AssayStore          *store,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/**
 * assay_store_set_dispute_stages_sync:
 * Replaces the configured steps with @stages (#AssayDisputeStage, positions taken from the
 * order); open disputes keep the steps they started with. For assayctl and tests.
 */
gboolean   assay_store_set_dispute_stages_sync    (AssayStore          *store,
                                                   GPtrArray           *stages,
                                                   GError             **error);

/**
 * AssayDisputePacketData:
 * What the dispute packet (src/report/assay-packet.c) shows of one evaluation, read in one
 * snapshot: who and what it is about, the form version's definition (JSON, docs/forms.md),
 * every revision oldest first (#AssayRevisionRecord, with its answers) and every dispute of
 * the evaluation oldest first, each with its steps (#AssayDisputeRecord).
 */
typedef struct {
  char      *evaluation_id;
  char      *state;                 /* "draft" or "submitted" */
  char      *interaction_id;
  char      *agent_name;
  char      *team_name;
  char      *inspector_name;
  char      *form_name;
  int        form_version;
  char      *form_definition;
  char      *channel;
  char      *queue;
  gint64     interaction_started_at;
  GPtrArray *revisions;
  GPtrArray *disputes;
} AssayDisputePacketData;

void assay_dispute_packet_data_free (AssayDisputePacketData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayDisputePacketData, assay_dispute_packet_data_free)

/**
 * assay_store_get_dispute_packet_data_sync:
 * Reads what the packet of @evaluation_id shows; an unknown evaluation is
 * %ASSAY_STORE_ERROR_NOT_FOUND. Not on the GUI's main thread.
 */
AssayDisputePacketData *assay_store_get_dispute_packet_data_sync (AssayStore  *store,
                                                                  const char  *evaluation_id,
                                                                  GError     **error);

G_END_DECLS
