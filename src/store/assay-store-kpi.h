/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"
#include "core/assay-kpi.h"

G_BEGIN_DECLS

/*
 * Scorecards, targets, root causes and callbacks (docs/kpi.md). Every figure is read from the
 * KPI summary tables (per agent, local day and channel), which triggers keep in the same
 * transaction as the contacts and evaluations they summarise, so a scorecard over any period
 * reads at most days × agents × channels rows.
 *
 * Periods are whole local calendar days, @from_day to @to_day inclusive, numbered as
 * assay_kpi_day_from_ymd() numbers them; a contact belongs to the day it started, an evaluation
 * to the day of its contact. The summaries are by the days of the time zone they were built in;
 * a read in another time zone rebuilds them first (once).
 */

typedef enum {
  ASSAY_KPI_SCOPE_AGENT,
  ASSAY_KPI_SCOPE_TEAM,
  ASSAY_KPI_SCOPE_CENTRE,
} AssayKpiScope;

/**
 * AssayKpiQuery:
 * @scope: an agent, a team or the whole centre
 * @subject: the agent's id or employee code, or the team's id or name; ignored for the centre
 * @from_day, @to_day: the period, inclusive
 * @min_n: below this n a figure is "too few to judge"; 0 means %ASSAY_KPI_DEFAULT_MIN_N
 */
typedef struct {
  AssayKpiScope  scope;
  const char    *subject;
  int            from_day;
  int            to_day;
  gint64         min_n;
} AssayKpiQuery;

/**
 * AssayKpiFigure:
 * A figure beside its target: @has_target is %FALSE when none is set for the scope; the
 * target is the one in force at the end of the period (a team's own, else the centre's).
 */
typedef struct {
  AssayKpiEstimate estimate;
  gboolean         has_target;
  double           target;
  double           warning;
  AssayKpiStatus   status;
} AssayKpiFigure;

/** AssayKpiWeek: the figures of one Monday-to-Sunday week, cut to the period. */
typedef struct {
  int            from_day;
  int            to_day;
  AssayKpiFigure figures[ASSAY_KPI_N_LINES];
} AssayKpiWeek;

/**
 * AssayKpiScorecard:
 * Everything a scorecard page shows, for one subject and period.
 * @subject_id, @subject_name: the agent or team (NULL for the centre)
 * @team_id, @team_name: the agent's team now, or the team itself (NULL when none)
 * @sums: the subject's sums, for drill-down counts
 * @figures: every line of the subject, with status against the subject's targets
 * @team: the same lines for the team (@has_team), against the team's targets
 * @centre: the same lines for the centre, against the centre's targets
 * @sla: the subject's SLA attainment by priority and channel (status against the SLA target)
 * @weeks: (element-type AssayKpiWeek): the subject's weekly trend, oldest first
 */
typedef struct {
  AssayKpiScope   scope;
  char           *subject_id;
  char           *subject_name;
  char           *team_id;
  char           *team_name;
  int             from_day;
  int             to_day;
  gint64          min_n;
  AssayKpiSums    sums;
  AssayKpiFigure  figures[ASSAY_KPI_N_LINES];
  gboolean        has_team;
  AssayKpiFigure  team[ASSAY_KPI_N_LINES];
  AssayKpiFigure  centre[ASSAY_KPI_N_LINES];
  AssayKpiFigure  sla[ASSAY_KPI_N_PRIORITIES][ASSAY_KPI_N_CHANNELS];
  GArray         *weeks;
} AssayKpiScorecard;

void assay_kpi_scorecard_free (AssayKpiScorecard *scorecard);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayKpiScorecard, assay_kpi_scorecard_free)

/**
 * assay_store_kpi_scorecard_async:
 * Computes the scorecard of @query (copied). An unknown agent or team is
 * %ASSAY_STORE_ERROR_NOT_FOUND, a period that ends before it starts %ASSAY_STORE_ERROR_INVALID.
 */
void               assay_store_kpi_scorecard_async  (AssayStore           *self,
                                                     const AssayKpiQuery  *query,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
/** assay_store_kpi_scorecard_finish: Returns: (transfer full): the scorecard, or %NULL. */
AssayKpiScorecard *assay_store_kpi_scorecard_finish (AssayStore           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/** assay_store_kpi_scorecard_sync: as the async call, waiting (not on the GUI's main thread). */
AssayKpiScorecard *assay_store_kpi_scorecard_sync   (AssayStore           *self,
                                                     const AssayKpiQuery  *query,
                                                     GError              **error);

/**
 * assay_store_kpi_sums_sync:
 * Only the sums of @query's subject over its period (the primitive of every figure).
 */
gboolean           assay_store_kpi_sums_sync        (AssayStore           *self,
                                                     const AssayKpiQuery  *query,
                                                     AssayKpiSums         *sums,
                                                     GError              **error);

/* ---- targets ---- */

/**
 * assay_store_kpi_set_target_sync:
 * Sets the target and warning value of @line for @team_id (%NULL: the centre) from @from_at
 * (UTC ms) on, and queues it for the centre (collection "kpi_targets"). The warning value must
 * lie on the bad side of the target (below it, or above it when lower is better), else
 * %ASSAY_STORE_ERROR_INVALID. Returns: (transfer full): the target's id, or %NULL.
 */
char              *assay_store_kpi_set_target_sync  (AssayStore           *self,
                                                     const char           *team_id,
                                                     AssayKpiLine          line,
                                                     double                target,
                                                     double                warning,
                                                     gint64                from_at,
                                                     GError              **error);
void               assay_store_kpi_set_target_async (AssayStore           *self,
                                                     const char           *team_id,
                                                     AssayKpiLine          line,
                                                     double                target,
                                                     double                warning,
                                                     gint64                from_at,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char              *assay_store_kpi_set_target_finish (AssayStore          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* ---- root causes ---- */

/** AssayKpiRootCause: a root cause of the centre's list, and (in a Pareto) what it accounts for. */
typedef struct {
  char   *id;
  char   *category;        /* people, process, technology, resources, environment */
  char   *sub_cause;       /* the centre's own sub-cause; "" for the category itself */
  gint64  n_tags;          /* Pareto: tags on evaluations, callbacks and breaches in the period */
  gint64  n_complaints;    /* Pareto: of them, on callbacks */
  double  lost_points;     /* Pareto: Σ (100 − score) of the tagged evaluations */
} AssayKpiRootCause;

void assay_kpi_root_cause_free (AssayKpiRootCause *cause);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayKpiRootCause, assay_kpi_root_cause_free)

/**
 * assay_store_kpi_add_root_cause_sync:
 * Adds @sub_cause (may be "" or %NULL) under @category to the centre's list (collection
 * "root_causes"); an existing one is returned as it is. Returns: (transfer full): its id.
 */
char      *assay_store_kpi_add_root_cause_sync    (AssayStore           *self,
                                                   const char           *category,
                                                   const char           *sub_cause,
                                                   GError              **error);
/** assay_store_kpi_list_root_causes_sync: Returns: (transfer full): #AssayKpiRootCause, sorted. */
GPtrArray *assay_store_kpi_list_root_causes_sync  (AssayStore           *self,
                                                   GError              **error);

typedef enum {
  ASSAY_KPI_TAG_EVALUATION,
  ASSAY_KPI_TAG_CALLBACK,
  ASSAY_KPI_TAG_KPI_BREACH,
} AssayKpiTagKind;

/**
 * assay_store_kpi_tag_sync:
 * Tags an evaluation or a callback (@object_id its id), or a breached KPI (@object_id the
 * agent's or team's id or "centre", @line and the period @from_day–@to_day) with
 * @root_cause_id (collection "root_cause_tags"). Returns: (transfer full): the tag's id.
 */
char      *assay_store_kpi_tag_sync               (AssayStore           *self,
                                                   const char           *root_cause_id,
                                                   AssayKpiTagKind       kind,
                                                   const char           *object_id,
                                                   AssayKpiLine          line,
                                                   int                   from_day,
                                                   int                   to_day,
                                                   GError              **error);
/** assay_store_kpi_untag_sync: removes a tag (a "delete" operation goes to the centre). */
gboolean   assay_store_kpi_untag_sync             (AssayStore           *self,
                                                   const char           *tag_id,
                                                   GError              **error);

/** AssayKpiTag: a root-cause tag and the cause it names. */
typedef struct {
  char *id;
  char *root_cause_id;
  char *category;
  char *sub_cause;
} AssayKpiTag;

void assay_kpi_tag_free (AssayKpiTag *tag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayKpiTag, assay_kpi_tag_free)

/**
 * assay_store_kpi_list_tags_sync:
 * The tags on an evaluation or a callback (@object_id its id; @line and the days are ignored),
 * or on a breached KPI (@object_id the agent's or team's id or "centre", @line and exactly the
 * period @from_day–@to_day), in the order of assay_store_kpi_list_root_causes_sync().
 * Returns: (transfer full): #AssayKpiTag.
 */
GPtrArray *assay_store_kpi_list_tags_sync         (AssayStore           *self,
                                                   AssayKpiTagKind       kind,
                                                   const char           *object_id,
                                                   AssayKpiLine          line,
                                                   int                   from_day,
                                                   int                   to_day,
                                                   GError              **error);

/**
 * assay_store_kpi_root_cause_pareto_async:
 * What each root cause accounts for among the evaluations and callbacks of contacts in the
 * period (of @team_id's contacts, or all for %NULL), and the breaches tagged for periods that
 * overlap it; largest lost points first, then most tags.
 */
void       assay_store_kpi_root_cause_pareto_async  (AssayStore          *self,
                                                     int                  from_day,
                                                     int                  to_day,
                                                     const char          *team_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/** Returns: (transfer full): #AssayKpiRootCause with the Pareto fields set. */
GPtrArray *assay_store_kpi_root_cause_pareto_finish (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
GPtrArray *assay_store_kpi_root_cause_pareto_sync   (AssayStore          *self,
                                                     int                  from_day,
                                                     int                  to_day,
                                                     const char          *team_id,
                                                     GError             **error);

/* ---- low-score callbacks ---- */

/**
 * AssayKpiCallback:
 * A contact with a low score and its follow-up. @id is %NULL until someone works it (then
 * @state is "to_call"); @csat and @nps are -1 when not answered; @due_at is the callback's own
 * due time, else the contact's start plus the query's @due_hours; @overdue when still to call
 * past it.
 */
typedef struct {
  char     *id;
  char     *interaction_id;
  char     *agent_id;
  char     *agent_name;
  char     *team_id;
  char     *channel;
  gint64    started_at;
  int       csat;
  int       nps;
  char     *reason;          /* low_csat, low_nps */
  char     *owner_id;
  char     *owner_name;
  char     *state;           /* to_call, called, resolved, unreachable */
  char     *note;
  gint64    due_at;
  gboolean  overdue;
} AssayKpiCallback;

void assay_kpi_callback_free (AssayKpiCallback *callback);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayKpiCallback, assay_kpi_callback_free)

/**
 * AssayKpiCallbackQuery:
 * @from_day, @to_day: contacts started in the period
 * @team_id: only this team's contacts (%NULL: all)
 * @csat_max: a CSAT answer at or below it is low (default 2)
 * @nps_max: an NPS answer at or below it is low (default 6)
 * @due_hours: a callback is due this long after the contact (default 48)
 * @now_ms: what "overdue" is measured against (0: now)
 * @max_rows: at most this many, the newest (default 500; 0: all)
 */
typedef struct {
  int         from_day;
  int         to_day;
  const char *team_id;
  int         csat_max;
  int         nps_max;
  int         due_hours;
  gint64      now_ms;
  guint       max_rows;
} AssayKpiCallbackQuery;

/** assay_kpi_callback_query_init: the defaults above, for the period. */
void       assay_kpi_callback_query_init       (AssayKpiCallbackQuery       *query,
                                                int                          from_day,
                                                int                          to_day);
/** assay_store_kpi_callbacks_async: the low-score contacts of @query, newest first. */
void       assay_store_kpi_callbacks_async     (AssayStore                  *self,
                                                const AssayKpiCallbackQuery *query,
                                                GCancellable                *cancellable,
                                                GAsyncReadyCallback          callback,
                                                gpointer                     user_data);
/** Returns: (transfer full): #AssayKpiCallback. */
GPtrArray *assay_store_kpi_callbacks_finish    (AssayStore                  *self,
                                                GAsyncResult                *result,
                                                GError                     **error);
GPtrArray *assay_store_kpi_callbacks_sync      (AssayStore                  *self,
                                                const AssayKpiCallbackQuery *query,
                                                GError                     **error);

/**
 * assay_store_kpi_save_callback_sync:
 * Records the follow-up of the low-score contact @interaction_id: @owner_id (a staff id or
 * %NULL), @state (to_call, called, resolved, unreachable), @note, @due_at (0: none). The first
 * save creates the callback ("create" in collection "callbacks"), later ones "update" it.
 * A contact without a low score is %ASSAY_STORE_ERROR_INVALID. Returns: (transfer full): the
 * callback's id.
 */
char      *assay_store_kpi_save_callback_sync  (AssayStore                  *self,
                                                const char                  *interaction_id,
                                                const char                  *owner_id,
                                                const char                  *state,
                                                const char                  *note,
                                                gint64                       due_at,
                                                GError                     **error);

/* ---- summaries ---- */

/**
 * AssayKpiCheck:
 * Rows of the summary tables that differ from a recomputation from the facts (missing, extra
 * or with other sums), before and after a rebuild.
 */
typedef struct {
  gint64 contact_rows;      /* rows of the recomputation */
  gint64 qa_rows;
  gint64 contact_diff;      /* before the rebuild (or for a check) */
  gint64 qa_diff;
  gint64 contact_diff_after;
  gint64 qa_diff_after;
  gboolean time_zone_changed;
} AssayKpiCheck;

/** assay_store_kpi_check_sync: compares the summaries with a recomputation; writes nothing. */
gboolean   assay_store_kpi_check_sync          (AssayStore                  *self,
                                                AssayKpiCheck               *check,
                                                GError                     **error);
/**
 * assay_store_kpi_rebuild_sync:
 * Compares, rebuilds the summaries from the facts in the local time zone and compares again,
 * in one transaction.
 */
gboolean   assay_store_kpi_rebuild_sync        (AssayStore                  *self,
                                                AssayKpiCheck               *check,
                                                GError                     **error);

G_END_DECLS
