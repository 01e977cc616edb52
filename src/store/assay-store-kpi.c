/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "assay-store-kpi.h"
#include "assay-store-evaluations.h"
#include "assay-store-private.h"
#include "assay-store-kpi-private.h"
#include "core/assay-interaction.h"
#include "core/assay-util.h"

/* ---- days and time zone ---- */

/* the first UTC ms of local day @day */
gint64
_assay_store_kpi_day_start_ms (int day)
{
  GDate date;
  g_autoptr(GDateTime) dt = NULL;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) (day + 719163));
  dt = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                              g_date_get_day (&date), 0, 0, 0);
  return g_date_time_to_unix (dt) * 1000;
}

static char *
query_text (sqlite3     *db,
            const char  *sql,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup (_assay_store_column_text (stmt, 0) ? _assay_store_column_text (stmt, 0) : "");
  if (rc == SQLITE_DONE)
    return g_strdup ("");
  _assay_store_set_error (db, rc, error);
  return NULL;
}

static gint64
query_count (sqlite3     *db,
             const char  *sql,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* the summaries recomputed from the facts, into temporary tables of the same shape */
#define RECOMPUTE_SQL \
  "DROP TABLE IF EXISTS temp.kpi_contact_fresh;" \
  "DROP TABLE IF EXISTS temp.kpi_qa_fresh;" \
  "CREATE TEMP TABLE kpi_contact_fresh AS SELECT * FROM main.kpi_contact_day WHERE 0;" \
  "CREATE TEMP TABLE kpi_qa_fresh AS SELECT * FROM main.kpi_qa_day WHERE 0;" \
  "INSERT INTO kpi_contact_fresh (" KPI_CONTACT_NAMES ") " KPI_CONTACT_RECOMPUTE ";" \
  "INSERT INTO kpi_qa_fresh (" KPI_QA_NAMES ") " KPI_QA_RECOMPUTE ";"
#define DROP_FRESH_SQL \
  "DROP TABLE IF EXISTS temp.kpi_contact_fresh; DROP TABLE IF EXISTS temp.kpi_qa_fresh;"
/* rows missing from, extra in, or different in the summaries; all-zero rows (left by
 * subtractions) count as absent */
#define CONTACT_DIFF_SQL \
  "SELECT (SELECT count(*) FROM (SELECT * FROM kpi_contact_fresh EXCEPT SELECT * FROM" \
  " main.kpi_contact_day WHERE " KPI_CONTACT_NONZERO "))" \
  " + (SELECT count(*) FROM (SELECT * FROM main.kpi_contact_day WHERE " KPI_CONTACT_NONZERO \
  " EXCEPT SELECT * FROM kpi_contact_fresh))"
#define QA_DIFF_SQL \
  "SELECT (SELECT count(*) FROM (SELECT * FROM kpi_qa_fresh EXCEPT SELECT * FROM" \
  " main.kpi_qa_day WHERE " KPI_QA_NONZERO "))" \
  " + (SELECT count(*) FROM (SELECT * FROM main.kpi_qa_day WHERE " KPI_QA_NONZERO \
  " EXCEPT SELECT * FROM kpi_qa_fresh))"

/* compares the summaries with the recomputation in the temporary tables */
static gboolean
diff_locked (sqlite3  *db,
             gint64   *contact_diff,
             gint64   *qa_diff,
             GError  **error)
{
  *contact_diff = query_count (db, CONTACT_DIFF_SQL, error);
  if (*contact_diff < 0)
    return FALSE;
  *qa_diff = query_count (db, QA_DIFF_SQL, error);
  return *qa_diff >= 0;
}

static gboolean
recompute_locked (sqlite3        *db,
                  AssayKpiCheck  *check,
                  GError        **error)
{
  if (!_assay_store_exec (db, RECOMPUTE_SQL, error))
    return FALSE;
  check->contact_rows = query_count (db, "SELECT count(*) FROM kpi_contact_fresh", error);
  if (check->contact_rows < 0)
    return FALSE;
  check->qa_rows = query_count (db, "SELECT count(*) FROM kpi_qa_fresh", error);
  return check->qa_rows >= 0;
}

/* refills the summaries from the facts; inside a transaction */
static gboolean
rebuild_locked (sqlite3  *db,
                GError  **error)
{
  return _assay_store_exec (db,
                            "DELETE FROM kpi_contact_day;"
                            "INSERT INTO kpi_contact_day (" KPI_CONTACT_NAMES ") "
                            KPI_CONTACT_RECOMPUTE ";"
                            "DELETE FROM kpi_qa_day;"
                            "INSERT INTO kpi_qa_day (" KPI_QA_NAMES ") " KPI_QA_RECOMPUTE ";"
                            "INSERT OR REPLACE INTO kpi_summary_state (key, value)"
                            " VALUES ('time_zone', " KPI_TZ_FINGERPRINT ");",
                            error);
}

static gboolean
time_zone_changed (sqlite3   *db,
                   gboolean  *changed,
                   GError   **error)
{
  g_autofree char *now = query_text (db, "SELECT " KPI_TZ_FINGERPRINT, error);
  g_autofree char *then = NULL;

  if (now == NULL)
    return FALSE;
  then = query_text (db, "SELECT value FROM kpi_summary_state WHERE key = 'time_zone'", error);
  if (then == NULL)
    return FALSE;
  *changed = strcmp (now, then) != 0;
  return TRUE;
}

/* the summaries count local days: read in another time zone, they are rebuilt first */
static gboolean
rebuild_check (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  return rebuild_locked (db, error);
}

gboolean
_assay_store_kpi_ensure_time_zone (sqlite3  *db,
                  GError  **error)
{
  gboolean changed = FALSE;

  if (!time_zone_changed (db, &changed, error))
    return FALSE;
  if (!changed)
    return TRUE;
  return _assay_store_in_transaction_ok (db, rebuild_check, NULL, error);
}

/* ---- sums ---- */

void
_assay_store_kpi_add_contact_row (sqlite3_stmt *stmt,
                 int           col,
                 int           channel,
                 AssayKpiSums *s)
{
#define COL(i) sqlite3_column_int64 (stmt, col + (i))
  s->contacts += COL (0);
  if (channel >= 0)
    {
      s->handled[channel] += COL (1);
      s->handle_s[channel] += COL (2);
      s->handle_s2[channel] += COL (3);
    }
  s->csat_n += COL (4);
  s->csat_ok += COL (5);
  s->nps_n += COL (6);
  s->nps_pro += COL (7);
  s->nps_det += COL (8);
  s->fcr_n += COL (9);
  s->fcr_ok += COL (10);
  s->sl_n += COL (11);
  s->sl_ok += COL (12);
  s->fr_n += COL (13);
  s->fr_s += COL (14);
  s->fr_s2 += COL (15);
  if (channel >= 0)
    for (int p = 0; p < ASSAY_KPI_N_PRIORITIES; p++)
      {
        s->sla_n[p][channel] += COL (16 + 2 * p);
        s->sla_ok[p][channel] += COL (17 + 2 * p);
      }
#undef COL
}

void
_assay_store_kpi_add_qa_row (sqlite3_stmt *stmt,
            int           col,
            AssayKpiSums *s)
{
#define COL(i) sqlite3_column_int64 (stmt, col + (i))
  s->evals += COL (0);
  s->fatal += COL (1);
  s->qa_n += COL (2);
  s->qa_e4 += COL (3);
  s->qa_e4sq += COL (4);
  s->nf_n += COL (5);
  s->nf_e4 += COL (6);
  s->nf_e4sq += COL (7);
  s->crit_n += COL (8);
  s->crit_e4 += COL (9);
  s->crit_e4sq += COL (10);
#undef COL
}

#define CONTACT_SUMS(WHERE) \
  "SELECT (day + 3) / 7, channel" KPI_CONTACT_COLUMNS (KPI_X_SUMCOL, "") \
  " FROM kpi_contact_day WHERE " WHERE " AND day BETWEEN ?2 AND ?3 GROUP BY 1, 2"
#define QA_SUMS(WHERE) \
  "SELECT (day + 3) / 7, channel" KPI_QA_COLUMNS (KPI_X_SUMCOL, "") \
  " FROM kpi_qa_day WHERE " WHERE " AND day BETWEEN ?2 AND ?3 GROUP BY 1, 2"

static const char *const contact_sums_sql[] = {
  [ASSAY_KPI_SCOPE_AGENT] = CONTACT_SUMS ("agent_id = ?1"),
  [ASSAY_KPI_SCOPE_TEAM] = CONTACT_SUMS ("team_id = ?1"),
  [ASSAY_KPI_SCOPE_CENTRE] = CONTACT_SUMS ("?1 IS NULL"),
};
static const char *const qa_sums_sql[] = {
  [ASSAY_KPI_SCOPE_AGENT] = QA_SUMS ("agent_id = ?1"),
  [ASSAY_KPI_SCOPE_TEAM] = QA_SUMS ("team_id = ?1"),
  [ASSAY_KPI_SCOPE_CENTRE] = QA_SUMS ("?1 IS NULL"),
};

static int
week_of (int day)
{
  return (day + 3) / 7;   /* Monday-based weeks; day 0 (1970-01-01) is a Thursday of week 0 */
}

/*
 * Adds up the summaries of @scope/@id over [@from_day, @to_day] into @total and, when @weeks is
 * not NULL, into one AssayKpiSums a week (weeks[0] being the week of @from_day).
 */
static gboolean
read_sums (sqlite3        *db,
           AssayKpiScope   scope,
           const char     *id,
           int             from_day,
           int             to_day,
           AssayKpiSums   *total,
           AssayKpiSums   *weeks,
           GError        **error)
{
  for (int table = 0; table < 2; table++)
    {
      g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, table == 0 ? contact_sums_sql[scope]
                                                                          : qa_sums_sql[scope],
                                                           error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      _assay_store_bind_text_or_null (stmt, 1, scope == ASSAY_KPI_SCOPE_CENTRE ? NULL : id);
      sqlite3_bind_int (stmt, 2, from_day);
      sqlite3_bind_int (stmt, 3, to_day);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          int week = sqlite3_column_int (stmt, 0) - week_of (from_day);
          int channel = assay_kpi_channel_from_name (_assay_store_column_text (stmt, 1));

          if (table == 0)
            {
              _assay_store_kpi_add_contact_row (stmt, 2, channel, total);
              if (weeks != NULL)
                _assay_store_kpi_add_contact_row (stmt, 2, channel, &weeks[week]);
            }
          else
            {
              _assay_store_kpi_add_qa_row (stmt, 2, total);
              if (weeks != NULL)
                _assay_store_kpi_add_qa_row (stmt, 2, &weeks[week]);
            }
        }
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
    }
  return TRUE;
}

/* ---- targets ---- */

typedef struct {
  gboolean has;
  double   target;
  double   warning;
} Target;

static gboolean
read_targets (sqlite3     *db,
              const char  *scope,
              gint64       before_ms,
              Target      *targets,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db,
    "SELECT kpi, target, warning FROM kpi_target WHERE scope = ?1 AND from_at < ?2"
    " ORDER BY from_at, created_at", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, before_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int line = assay_kpi_line_from_key (_assay_store_column_text (stmt, 0));

      if (line < 0)
        continue;
      targets[line].has = TRUE;
      targets[line].target = sqlite3_column_double (stmt, 1);
      targets[line].warning = sqlite3_column_double (stmt, 2);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  return TRUE;
}

/* the targets of a team (its own over the centre's), or of the centre for @team_id NULL */
static gboolean
targets_for (sqlite3     *db,
             const char  *team_id,
             gint64       before_ms,
             Target      *targets,
             GError     **error)
{
  memset (targets, 0, sizeof (Target) * ASSAY_KPI_N_LINES);
  if (!read_targets (db, "centre", before_ms, targets, error))
    return FALSE;
  return team_id == NULL || read_targets (db, team_id, before_ms, targets, error);
}

static void
figure_set (AssayKpiFigure         *figure,
            const AssayKpiEstimate *estimate,
            const Target           *target,
            AssayKpiLine            line,
            gint64                  min_n)
{
  figure->estimate = *estimate;
  figure->has_target = target->has;
  figure->target = target->target;
  figure->warning = target->warning;
  figure->status = assay_kpi_status (estimate, min_n, target->has, target->target,
                                     target->warning, assay_kpi_line_lower_is_better (line));
}

static void
figures_compute (const AssayKpiSums *sums,
                 const Target       *targets,
                 gint64              min_n,
                 AssayKpiFigure     *figures)
{
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      AssayKpiEstimate e = assay_kpi_sums_estimate (sums, line);

      figure_set (&figures[line], &e, &targets[line], line, min_n);
    }
}

/* ---- scorecard ---- */

void
assay_kpi_scorecard_free (AssayKpiScorecard *scorecard)
{
  if (scorecard == NULL)
    return;
  g_free (scorecard->subject_id);
  g_free (scorecard->subject_name);
  g_free (scorecard->team_id);
  g_free (scorecard->team_name);
  g_clear_pointer (&scorecard->weeks, g_array_unref);
  g_free (scorecard);
}

typedef struct {
  AssayKpiQuery query;
  char         *subject;
} QueryData;

static void
query_data_free (gpointer data)
{
  QueryData *q = data;

  g_free (q->subject);
  g_free (q);
}

static QueryData *
query_data_new (const AssayKpiQuery *query)
{
  QueryData *q = g_new0 (QueryData, 1);

  q->query = *query;
  q->subject = g_strdup (query->subject);
  q->query.subject = q->subject;
  return q;
}

static gboolean
resolve_subject (sqlite3            *db,
                 AssayKpiScorecard  *card,
                 const char         *subject,
                 GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (card->scope == ASSAY_KPI_SCOPE_CENTRE)
    return TRUE;
  if (subject == NULL || *subject == '\0')
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   card->scope == ASSAY_KPI_SCOPE_AGENT
                   ? "No agent given: name one by employee code"
                   : "No team given: name one by its name");
      return FALSE;
    }
  if (card->scope == ASSAY_KPI_SCOPE_AGENT)
    stmt = _assay_store_prepare (db, "SELECT a.id, a.name, a.team_id, t.name FROM agent a"
                                     " LEFT JOIN team t ON t.id = a.team_id"
                                     " WHERE a.id = ?1 OR a.employee_code = ?1"
                                     " ORDER BY a.id = ?1 DESC LIMIT 1", error);
  else
    stmt = _assay_store_prepare (db, "SELECT id, name, id, name FROM team"
                                     " WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   card->scope == ASSAY_KPI_SCOPE_AGENT
                   ? "No agent has the id or employee code '%s'"
                   : "No team has the id or name '%s'", subject);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error);
  card->subject_id = _assay_store_column_dup (stmt, 0);
  card->subject_name = _assay_store_column_dup (stmt, 1);
  card->team_id = _assay_store_column_dup (stmt, 2);
  card->team_name = _assay_store_column_dup (stmt, 3);
  return TRUE;
}

gboolean
_assay_store_kpi_check_period (int      from_day,
              int      to_day,
              GError **error)
{
  if (from_day == G_MININT || to_day == G_MININT || to_day < from_day
      || to_day - from_day > 366 * 20)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "The period must end on or after the day it starts, and span at most "
                   "twenty years");
      return FALSE;
    }
  return TRUE;
}

static gpointer
scorecard_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  QueryData *q = data;
  g_autoptr(AssayKpiScorecard) card = g_new0 (AssayKpiScorecard, 1);
  g_autofree AssayKpiSums *weeks = NULL;
  AssayKpiSums sums = { 0 };
  Target targets[ASSAY_KPI_N_LINES];
  gint64 end_ms;
  int n_weeks;

  if (!_assay_store_kpi_check_period (q->query.from_day, q->query.to_day, error)
      || !_assay_store_kpi_ensure_time_zone (db, error))
    return NULL;
  card->scope = q->query.scope;
  card->from_day = q->query.from_day;
  card->to_day = q->query.to_day;
  card->min_n = q->query.min_n > 0 ? q->query.min_n : ASSAY_KPI_DEFAULT_MIN_N;
  if (!resolve_subject (db, card, q->query.subject, error))
    return NULL;
  end_ms = _assay_store_kpi_day_start_ms (card->to_day + 1);

  /* the subject, week by week */
  n_weeks = week_of (card->to_day) - week_of (card->from_day) + 1;
  weeks = g_new0 (AssayKpiSums, n_weeks);
  if (!read_sums (db, card->scope, card->subject_id, card->from_day, card->to_day, &card->sums,
                  weeks, error)
      || !targets_for (db, card->scope == ASSAY_KPI_SCOPE_CENTRE ? NULL : card->team_id, end_ms,
                       targets, error))
    return NULL;
  figures_compute (&card->sums, targets, card->min_n, card->figures);
  for (int p = 0; p < ASSAY_KPI_N_PRIORITIES; p++)
    for (int c = 0; c < ASSAY_KPI_N_CHANNELS; c++)
      {
        AssayKpiEstimate e = assay_kpi_sums_sla (&card->sums, p, c);

        figure_set (&card->sla[p][c], &e, &targets[ASSAY_KPI_LINE_SLA_ATTAINMENT],
                    ASSAY_KPI_LINE_SLA_ATTAINMENT, card->min_n);
      }
  card->weeks = g_array_sized_new (FALSE, TRUE, sizeof (AssayKpiWeek), n_weeks);
  for (int w = 0; w < n_weeks; w++)
    {
      AssayKpiWeek week = { 0 };
      int monday = (week_of (card->from_day) + w) * 7 - 3;

      week.from_day = MAX (monday, card->from_day);
      week.to_day = MIN (monday + 6, card->to_day);
      figures_compute (&weeks[w], targets, card->min_n, week.figures);
      g_array_append_val (card->weeks, week);
    }

  /* the team beside it */
  if (card->team_id != NULL && card->scope != ASSAY_KPI_SCOPE_CENTRE)
    {
      AssayKpiSums team = { 0 };

      if (card->scope == ASSAY_KPI_SCOPE_TEAM)
        team = card->sums;
      else if (!read_sums (db, ASSAY_KPI_SCOPE_TEAM, card->team_id, card->from_day, card->to_day,
                           &team, NULL, error))
        return NULL;
      card->has_team = TRUE;
      figures_compute (&team, targets, card->min_n, card->team);
    }

  /* and the centre */
  if (card->scope == ASSAY_KPI_SCOPE_CENTRE)
    sums = card->sums;
  else if (!read_sums (db, ASSAY_KPI_SCOPE_CENTRE, NULL, card->from_day, card->to_day, &sums, NULL,
                       error))
    return NULL;
  if (!targets_for (db, NULL, end_ms, targets, error))
    return NULL;
  figures_compute (&sums, targets, card->min_n, card->centre);

  return g_steal_pointer (&card);
}

void
assay_store_kpi_scorecard_async (AssayStore          *self,
                                 const AssayKpiQuery *query,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  _assay_store_run_async (self, scorecard_func, query_data_new (query), query_data_free,
                          (GDestroyNotify) assay_kpi_scorecard_free,
                          assay_store_kpi_scorecard_async, cancellable, callback, user_data);
}

AssayKpiScorecard *
assay_store_kpi_scorecard_finish (AssayStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_kpi_scorecard_async), NULL);
  return _assay_store_run_finish (self, result, error);
}

AssayKpiScorecard *
assay_store_kpi_scorecard_sync (AssayStore           *self,
                                const AssayKpiQuery  *query,
                                GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  QueryData *q = query_data_new (query);
  AssayKpiScorecard *card = _assay_store_run_sync (self, scorecard_func, q, &local_error);

  query_data_free (q);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return card;
}

static gpointer
sums_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  QueryData *q = data;
  g_autoptr(AssayKpiScorecard) card = g_new0 (AssayKpiScorecard, 1);
  g_autofree AssayKpiSums *sums = g_new0 (AssayKpiSums, 1);

  card->scope = q->query.scope;
  if (!_assay_store_kpi_check_period (q->query.from_day, q->query.to_day, error)
      || !_assay_store_kpi_ensure_time_zone (db, error)
      || !resolve_subject (db, card, q->query.subject, error)
      || !read_sums (db, card->scope, card->subject_id, q->query.from_day, q->query.to_day, sums,
                     NULL, error))
    return NULL;
  return g_steal_pointer (&sums);
}

gboolean
assay_store_kpi_sums_sync (AssayStore           *self,
                           const AssayKpiQuery  *query,
                           AssayKpiSums         *sums,
                           GError              **error)
{
  QueryData *q = query_data_new (query);
  g_autofree AssayKpiSums *found = _assay_store_run_sync (self, sums_func, q, error);

  query_data_free (q);
  if (found == NULL)
    return FALSE;
  *sums = *found;
  return TRUE;
}

/* ---- writes: each with its outbox operation, in one transaction ---- */

gboolean
_assay_store_kpi_queue_operation (sqlite3     *db,
                 const char  *collection,
                 const char  *object_id,
                 const char  *action,
                 JsonBuilder *data,
                 GError     **error)
{
  g_autofree char *json = NULL;
  AssayStoreOutboxOp op = { .collection = collection, .object_id = object_id, .action = action,
                            .base_rev = -1 };

  if (data != NULL)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (data);

      json = json_to_string (root, FALSE);
    }
  op.data = json;
  return _assay_store_enqueue (db, &op, error);
}

gboolean
_assay_store_kpi_row_exists (sqlite3     *db,
            const char  *sql,
            const char  *id,
            gboolean    *exists,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

typedef struct {
  char         *team_id;
  AssayKpiLine  line;
  double        target;
  double        warning;
  gint64        from_at;
} TargetData;

static void
target_data_free (gpointer data)
{
  TargetData *t = data;

  g_free (t->team_id);
  g_free (t);
}

static gpointer
set_target_locked (sqlite3  *db,
                   gpointer  data,
                   GError  **error)
{
  TargetData *t = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *id = assay_uuid_new ();
  const char *scope = t->team_id ? t->team_id : "centre";
  gint64 now = assay_now_ms ();

  if (t->team_id != NULL)
    {
      gboolean exists = FALSE;

      if (!_assay_store_kpi_row_exists (db, "SELECT 1 FROM team WHERE id = ?1", t->team_id, &exists, error))
        return NULL;
      if (!exists)
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                       "There is no team with the id %s", t->team_id);
          return NULL;
        }
    }
  stmt = _assay_store_prepare (db, "INSERT INTO kpi_target (id, scope, kpi, target, warning,"
                                   " from_at, created_at, dirty) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                                   " ?7, 1)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, assay_kpi_line_key (t->line), -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 4, t->target);
  sqlite3_bind_double (stmt, 5, t->warning);
  sqlite3_bind_int64 (stmt, 6, t->from_at);
  sqlite3_bind_int64 (stmt, 7, now);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, scope);
  json_builder_set_member_name (b, "kpi");
  json_builder_add_string_value (b, assay_kpi_line_key (t->line));
  json_builder_set_member_name (b, "target");
  json_builder_add_double_value (b, t->target);
  json_builder_set_member_name (b, "warning");
  json_builder_add_double_value (b, t->warning);
  json_builder_set_member_name (b, "fromAt");
  json_builder_add_int_value (b, t->from_at);
  json_builder_end_object (b);
  if (!_assay_store_kpi_queue_operation (db, "kpi_targets", id, "create", b, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
set_target_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  TargetData *t = data;

  if ((guint) t->line >= ASSAY_KPI_N_LINES)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID, "Not a KPI");
      return NULL;
    }
  if (!isfinite (t->target) || !isfinite (t->warning)
      || (assay_kpi_line_lower_is_better (t->line) ? t->warning < t->target
                                                   : t->warning > t->target))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   assay_kpi_line_lower_is_better (t->line)
                   ? "For %s lower is better: the warning value must be at or above the target"
                   : "For %s higher is better: the warning value must be at or below the target",
                   assay_kpi_line_key (t->line));
      return NULL;
    }
  return _assay_store_in_transaction (db, set_target_locked, data, g_free, error);
}

static TargetData *
target_data_new (const char   *team_id,
                 AssayKpiLine  line,
                 double        target,
                 double        warning,
                 gint64        from_at)
{
  TargetData *t = g_new0 (TargetData, 1);

  t->team_id = g_strdup (team_id);
  t->line = line;
  t->target = target;
  t->warning = warning;
  t->from_at = from_at;
  return t;
}

char *
assay_store_kpi_set_target_sync (AssayStore    *self,
                                 const char    *team_id,
                                 AssayKpiLine   line,
                                 double         target,
                                 double         warning,
                                 gint64         from_at,
                                 GError       **error)
{
  TargetData *t = target_data_new (team_id, line, target, warning, from_at);
  char *id = _assay_store_run_sync (self, set_target_func, t, error);

  target_data_free (t);
  return id;
}

void
assay_store_kpi_set_target_async (AssayStore          *self,
                                  const char          *team_id,
                                  AssayKpiLine         line,
                                  double               target,
                                  double               warning,
                                  gint64               from_at,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  _assay_store_run_async (self, set_target_func,
                          target_data_new (team_id, line, target, warning, from_at),
                          target_data_free, g_free, assay_store_kpi_set_target_async,
                          cancellable, callback, user_data);
}

char *
assay_store_kpi_set_target_finish (AssayStore    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_kpi_set_target_async), NULL);
  return _assay_store_run_finish (self, result, error);
}

/* ---- check and rebuild ---- */

static gpointer
check_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree AssayKpiCheck *check = g_new0 (AssayKpiCheck, 1);
  gboolean ok;

  ok = time_zone_changed (db, &check->time_zone_changed, error)
       && recompute_locked (db, check, error)
       && diff_locked (db, &check->contact_diff, &check->qa_diff, error);
  _assay_store_exec (db, DROP_FRESH_SQL, NULL);
  if (!ok)
    return NULL;
  check->contact_diff_after = check->contact_diff;
  check->qa_diff_after = check->qa_diff;
  return g_steal_pointer (&check);
}

static gpointer
rebuild_locked_func (sqlite3  *db,
                     gpointer  data,
                     GError  **error)
{
  g_autofree AssayKpiCheck *check = g_new0 (AssayKpiCheck, 1);
  gboolean ok;

  /* the rebuild refills the tables with its own recomputation, then is compared with the
   * first one */
  ok = time_zone_changed (db, &check->time_zone_changed, error)
       && recompute_locked (db, check, error)
       && diff_locked (db, &check->contact_diff, &check->qa_diff, error)
       && rebuild_locked (db, error)
       && diff_locked (db, &check->contact_diff_after, &check->qa_diff_after, error);
  _assay_store_exec (db, DROP_FRESH_SQL, NULL);
  return ok ? g_steal_pointer (&check) : NULL;
}

static gpointer
rebuild_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return _assay_store_in_transaction (db, rebuild_locked_func, NULL, g_free, error);
}

static gboolean
run_check (AssayStore     *self,
           AssayStoreFunc  func,
           AssayKpiCheck  *check,
           GError        **error)
{
  g_autofree AssayKpiCheck *found = _assay_store_run_sync (self, func, NULL, error);

  if (found == NULL)
    return FALSE;
  if (check != NULL)
    *check = *found;
  return TRUE;
}

gboolean
assay_store_kpi_check_sync (AssayStore     *self,
                            AssayKpiCheck  *check,
                            GError        **error)
{
  return run_check (self, check_func, check, error);
}

gboolean
assay_store_kpi_rebuild_sync (AssayStore     *self,
                              AssayKpiCheck  *check,
                              GError        **error)
{
  return run_check (self, rebuild_func, check, error);
}
