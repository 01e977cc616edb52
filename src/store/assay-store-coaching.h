/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * Coaching (docs/coaching.md): a team lead coaches an agent in a session made from an evaluation
 * (the items it lost become the focus), a KPI that missed its target, or from scratch; the
 * session holds goals with a measurable target and a deadline, and action items with an owner
 * and a due date; the agent acknowledges it with an optional comment. Every write queues its
 * sync operation (collections coaching_sessions, coaching_goals, coaching_actions) in the same
 * transaction and announces ASSAY_STORE_COACHING.
 */

/** AssayCoachingSessionRecord: a session with its agent's and coach's names and counts. */
typedef struct {
  char   *id;
  char   *agent_id;
  char   *agent_name;
  char   *team_id;             /* the agent's team, or NULL */
  char   *coach_id;
  char   *coach_name;
  char   *source;              /* "evaluation", "kpi" or "scratch" */
  char   *evaluation_id;       /* or NULL */
  char   *kpi;                 /* or NULL */
  char   *focus;               /* JSON array of form item ids */
  gint64  scheduled_at;
  char   *agenda;
  char   *notes;
  char   *state;               /* "planned", "held" or "cancelled" */
  gint64  acknowledged_at;     /* 0 until the agent acknowledged */
  char   *ack_comment;         /* or NULL */
  guint   n_goals;
  guint   n_actions;
  guint   n_actions_open;
} AssayCoachingSessionRecord;

void assay_coaching_session_record_free (AssayCoachingSessionRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCoachingSessionRecord, assay_coaching_session_record_free)

/**
 * AssayCoachingSessionSpec:
 * A new session. With @evaluation_id, the source is "evaluation", the agent is the evaluated
 * one (@agent_id may be %NULL) and the focus is the items the evaluation lost; with @kpi, the
 * source is "kpi".
 */
typedef struct {
  const char *agent_id;
  const char *coach_id;
  const char *evaluation_id;
  const char *kpi;
  gint64      scheduled_at;
  const char *agenda;
} AssayCoachingSessionSpec;

/** AssayCoachingGoalRecord: a goal and its figure before the session and up to its deadline. */
typedef struct {
  char   *id;
  char   *session_id;
  char   *description;
  char   *metric;              /* "item_pass_rate" or "kpi" */
  char   *item_id;             /* or NULL */
  char   *kpi;                 /* or NULL */
  double  target;              /* item_pass_rate: a share 0..1 */
  gint64  deadline;
  double  before;              /* the share in the 30 days before the session; < 0 without data */
  guint   before_n;
  double  after;               /* the share from the session to the deadline; < 0 without data */
  guint   after_n;
  gboolean met;                /* after >= target */
} AssayCoachingGoalRecord;

void assay_coaching_goal_record_free (AssayCoachingGoalRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCoachingGoalRecord, assay_coaching_goal_record_free)

/** AssayCoachingActionRecord: an action item. */
typedef struct {
  char   *id;
  char   *session_id;
  char   *description;
  char   *owner;               /* "agent" or "coach" */
  gint64  due_at;
  gint64  done_at;             /* 0 while open */
} AssayCoachingActionRecord;

void assay_coaching_action_record_free (AssayCoachingActionRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCoachingActionRecord, assay_coaching_action_record_free)

/** AssayOverdueRecord: one thing past its due date. */
typedef struct {
  char   *kind;                /* "coaching_action", "training", "improvement", "review",
                                * "callback", "dispute" (its current step) */
  char   *id;
  char   *title;
  char   *who;                 /* the agent or owner's name, or NULL */
  gint64  due_at;
} AssayOverdueRecord;

void assay_overdue_record_free (AssayOverdueRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayOverdueRecord, assay_overdue_record_free)

/* Creates a session; returns its id. */
void   assay_store_create_coaching_session_async  (AssayStore                     *store,
                                                   const AssayCoachingSessionSpec *spec,
                                                   GCancellable                   *cancellable,
                                                   GAsyncReadyCallback             callback,
                                                   gpointer                        user_data);
char  *assay_store_create_coaching_session_finish (AssayStore    *store,
                                                   GAsyncResult  *result,
                                                   GError       **error);
char  *assay_store_create_coaching_session_sync   (AssayStore                     *store,
                                                   const AssayCoachingSessionSpec *spec,
                                                   GError                        **error);

/* Sessions, newest first: all (@agent_id %NULL) or one agent's (the agent's own view). */
void       assay_store_list_coaching_sessions_async  (AssayStore          *store,
                                                      const char          *agent_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray *assay_store_list_coaching_sessions_finish (AssayStore    *store,
                                                      GAsyncResult  *result,
                                                      GError       **error);
GPtrArray *assay_store_list_coaching_sessions_sync   (AssayStore  *store,
                                                      const char  *agent_id,
                                                      GError     **error);

/* Adds a goal: @item_id (a share 0..1 of evaluations passing it) or @kpi ("csat": the share
 * of answers 4 or 5; "fcr": the share resolved at first contact); returns its id. */
char  *assay_store_add_coaching_goal_sync (AssayStore  *store,
                                           const char  *session_id,
                                           const char  *description,
                                           const char  *item_id,
                                           const char  *kpi,
                                           double       target,
                                           gint64       deadline,
                                           GError     **error);
void   assay_store_add_coaching_goal_async  (AssayStore          *store,
                                             const char          *session_id,
                                             const char          *description,
                                             const char          *item_id,
                                             const char          *kpi,
                                             double               target,
                                             gint64               deadline,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char  *assay_store_add_coaching_goal_finish (AssayStore    *store,
                                             GAsyncResult  *result,
                                             GError       **error);

/* Adds an action item (@owner "agent" or "coach"); returns its id. */
char  *assay_store_add_coaching_action_sync (AssayStore  *store,
                                             const char  *session_id,
                                             const char  *description,
                                             const char  *owner,
                                             gint64       due_at,
                                             GError     **error);
void   assay_store_add_coaching_action_async  (AssayStore          *store,
                                               const char          *session_id,
                                               const char          *description,
                                               const char          *owner,
                                               gint64               due_at,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char  *assay_store_add_coaching_action_finish (AssayStore    *store,
                                               GAsyncResult  *result,
                                               GError       **error);

/* Marks an action done (or open again with @done %FALSE). */
gboolean assay_store_set_coaching_action_done_sync (AssayStore  *store,
                                                    const char  *action_id,
                                                    gboolean     done,
                                                    GError     **error);

/* The agent acknowledges a session, with an optional comment; once only. */
gboolean assay_store_acknowledge_coaching_sync (AssayStore  *store,
                                                const char  *session_id,
                                                const char  *agent_id,
                                                const char  *comment,
                                                GError     **error);
void     assay_store_acknowledge_coaching_async  (AssayStore          *store,
                                                  const char          *session_id,
                                                  const char          *agent_id,
                                                  const char          *comment,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean assay_store_acknowledge_coaching_finish (AssayStore    *store,
                                                  GAsyncResult  *result,
                                                  GError       **error);

/* A session's goals (with their figures) and actions. */
GPtrArray *assay_store_list_coaching_goals_sync   (AssayStore  *store,
                                                   const char  *session_id,
                                                   GError     **error);
GPtrArray *assay_store_list_coaching_actions_sync (AssayStore  *store,
                                                   const char  *session_id,
                                                   GError     **error);

/*
 * Everything past its due date at @now: something due on a day is overdue from the start of the
 * next day in @now's time zone. Open coaching actions, training not completed, improvement
 * actions not closed, reviews (assignments) without a submitted evaluation and callbacks still
 * to call; oldest first.
 */
void       assay_store_list_overdue_async  (AssayStore          *store,
                                            GDateTime           *now,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *assay_store_list_overdue_finish (AssayStore    *store,
                                            GAsyncResult  *result,
                                            GError       **error);
GPtrArray *assay_store_list_overdue_sync   (AssayStore  *store,
                                            GDateTime   *now,
                                            GError     **error);

/** AssayCoachingFocusItem: an item the evaluation lost, with its text in the scorecard. */
typedef struct {
  char *id;
  char *text;                  /* the item's id when the scorecard does not know it */
} AssayCoachingFocusItem;

void assay_coaching_focus_item_free (AssayCoachingFocusItem *item);

/** AssayCoachingSessionDetail: one session, its focus items, goals (with figures) and actions. */
typedef struct {
  AssayCoachingSessionRecord *session;
  GPtrArray                  *focus;     /* AssayCoachingFocusItem */
  GPtrArray                  *goals;     /* AssayCoachingGoalRecord */
  GPtrArray                  *actions;   /* AssayCoachingActionRecord */
} AssayCoachingSessionDetail;

void assay_coaching_session_detail_free (AssayCoachingSessionDetail *detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCoachingSessionDetail, assay_coaching_session_detail_free)

/*
 * One session with everything shown about it. With @agent_id (the agent's own view), another
 * agent's session is refused with ASSAY_STORE_ERROR_INVALID.
 */
void                        assay_store_get_coaching_session_async  (AssayStore          *store,
                                                                     const char          *session_id,
                                                                     const char          *agent_id,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
AssayCoachingSessionDetail *assay_store_get_coaching_session_finish (AssayStore    *store,
                                                                     GAsyncResult  *result,
                                                                     GError       **error);
AssayCoachingSessionDetail *assay_store_get_coaching_session_sync   (AssayStore  *store,
                                                                     const char  *session_id,
                                                                     const char  *agent_id,
                                                                     GError     **error);

void     assay_store_set_coaching_action_done_async  (AssayStore          *store,
                                                      const char          *action_id,
                                                      gboolean             done,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean assay_store_set_coaching_action_done_finish (AssayStore    *store,
                                                      GAsyncResult  *result,
                                                      GError       **error);

/** AssayCalendarEvent: a coaching session, a training due or an assessment, for the calendar. */
typedef struct {
  char   *kind;                /* "coaching", "training" or "assessment" */
  char   *id;                  /* the row's id: with @kind, the event's stable identity */
  char   *title;               /* the agenda, plan or assessment title (may be "") */
  char   *who;                 /* the agent, or NULL */
  char   *state;               /* coaching: "planned", "held", "cancelled"; else "open"/"done" */
  gint64  start_at;
  gint64  end_at;
  gint64  created_at;
  gint64  updated_at;
} AssayCalendarEvent;

void assay_calendar_event_free (AssayCalendarEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCalendarEvent, assay_calendar_event_free)

/*
 * The team lead's calendar in [@from, @to) (UTC ms): coaching sessions (an hour long),
 * training due and assessments due; of one team's agents with @team (a name or an id; an
 * unknown team is ASSAY_STORE_ERROR_INVALID), ordered by start.
 */
void       assay_store_list_calendar_async  (AssayStore          *store,
                                             const char          *team,
                                             gint64               from,
                                             gint64               to,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray *assay_store_list_calendar_finish (AssayStore    *store,
                                             GAsyncResult  *result,
                                             GError       **error);
GPtrArray *assay_store_list_calendar_sync   (AssayStore  *store,
                                             const char  *team,
                                             gint64       from,
                                             gint64       to,
                                             GError     **error);

/* The start of @now's day in its own time zone, in UTC milliseconds. */
gint64 assay_coaching_day_start_ms (GDateTime *now);

G_END_DECLS
