/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "assay-store-insights.h"
#include "assay-store-private.h"
#include "assay-store-kpi-private.h"

typedef struct {
  AssayKpiQuery query;
  char         *subject;
  guint         limit;
} BreakdownData;

static void
breakdown_data_free (gpointer data)
{
  BreakdownData *b = data;

  g_free (b->subject);
  g_free (b);
}

static BreakdownData *
breakdown_data_new (const AssayKpiQuery *query,
                    guint                limit)
{
  BreakdownData *b = g_new0 (BreakdownData, 1);

  b->query = *query;
  b->subject = g_strdup (query->subject);
  b->query.subject = b->subject;
  b->limit = limit;
  return b;
}

static void
agent_sums_free (gpointer data)
{
  AssayKpiAgentSums *a = data;

  g_free (a->id);
  g_free (a->name);
  g_free (a->code);
  g_free (a);
}

static void
inspector_free (gpointer data)
{
  AssayKpiInspectorFigures *f = data;

  g_free (f->id);
  g_free (f->name);
  g_free (f);
}

void
assay_kpi_breakdown_free (AssayKpiBreakdown *breakdown)
{
  if (breakdown == NULL)
    return;
  g_clear_pointer (&breakdown->agents, g_ptr_array_unref);
  g_clear_pointer (&breakdown->inspectors, g_ptr_array_unref);
  g_free (breakdown);
}

void
assay_kpi_evaluation_row_free (AssayKpiEvaluationRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->interaction_id);
  g_free (row->channel);
  g_free (row->agent_name);
  g_free (row->inspector_name);
  g_free (row->band);
  g_free (row);
}

/* the id of the agent or team @subject names (id, employee code or team name), NULL for the
 * centre */
static gboolean
resolve (sqlite3        *db,
         AssayKpiScope   scope,
         const char     *subject,
         char          **id,
         GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *id = NULL;
  if (scope == ASSAY_KPI_SCOPE_CENTRE)
    return TRUE;
  if (subject == NULL || *subject == '\0')
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   scope == ASSAY_KPI_SCOPE_AGENT ? "No agent given: choose one"
                                                  : "No team given: choose one");
      return FALSE;
    }
  stmt = _assay_store_prepare (db, scope == ASSAY_KPI_SCOPE_AGENT
                               ? "SELECT id FROM agent WHERE id = ?1 OR employee_code = ?1"
                                 " ORDER BY id = ?1 DESC LIMIT 1"
                               : "SELECT id FROM team WHERE id = ?1 OR name = ?1"
                                 " ORDER BY id = ?1 DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   scope == ASSAY_KPI_SCOPE_AGENT ? "No agent has the id or employee code '%s'"
                                                  : "No team has the id or name '%s'", subject);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error);
  *id = _assay_store_column_dup (stmt, 0);
  return TRUE;
}

static gboolean
check_period (int      from_day,
              int      to_day,
              GError **error)
{
  if (to_day < from_day)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "The period ends before it starts: choose an end on or after its start");
      return FALSE;
    }
  return TRUE;
}

#define AGENT_SUMS(TABLE, COLUMNS, WHERE) \
  "SELECT agent_id, channel" COLUMNS (KPI_X_SUMCOL, "") " FROM " TABLE \
  " WHERE " WHERE " AND day BETWEEN ?2 AND ?3 GROUP BY 1, 2"

static const char *const contact_sql[] = {
  [ASSAY_KPI_SCOPE_AGENT] = AGENT_SUMS ("kpi_contact_day", KPI_CONTACT_COLUMNS, "agent_id = ?1"),
  [ASSAY_KPI_SCOPE_TEAM] = AGENT_SUMS ("kpi_contact_day", KPI_CONTACT_COLUMNS, "team_id = ?1"),
  [ASSAY_KPI_SCOPE_CENTRE] = AGENT_SUMS ("kpi_contact_day", KPI_CONTACT_COLUMNS, "?1 IS NULL"),
};
static const char *const qa_sql[] = {
  [ASSAY_KPI_SCOPE_AGENT] = AGENT_SUMS ("kpi_qa_day", KPI_QA_COLUMNS, "agent_id = ?1"),
  [ASSAY_KPI_SCOPE_TEAM] = AGENT_SUMS ("kpi_qa_day", KPI_QA_COLUMNS, "team_id = ?1"),
  [ASSAY_KPI_SCOPE_CENTRE] = AGENT_SUMS ("kpi_qa_day", KPI_QA_COLUMNS, "?1 IS NULL"),
};

#define EVALUATIONS_FROM \
  " FROM interaction i JOIN evaluation e ON e.interaction_id = i.id" \
  " JOIN evaluation_revision r ON r.id = e.current_revision_id AND r.evaluation_id = e.id"
#define EVALUATIONS_WHERE(WHERE) \
  " WHERE e.state = 'submitted' AND " WHERE " AND i.started_at >= ?2 AND i.started_at < ?3"
#define EVALUATIONS_OF(WHERE) EVALUATIONS_FROM EVALUATIONS_WHERE (WHERE)

static const char *const scores_sql[] = {
  [ASSAY_KPI_SCOPE_AGENT] = "SELECT e.inspector_id, r.score, e.review_s"
                            EVALUATIONS_OF ("i.agent_id = ?1"),
  [ASSAY_KPI_SCOPE_TEAM] = "SELECT e.inspector_id, r.score, e.review_s"
                           EVALUATIONS_OF ("i.team_id = ?1"),
  [ASSAY_KPI_SCOPE_CENTRE] = "SELECT e.inspector_id, r.score, e.review_s"
                             EVALUATIONS_OF ("?1 IS NULL"),
};

static int
compare_agents (gconstpointer a,
                gconstpointer b)
{
  const AssayKpiAgentSums *x = *(AssayKpiAgentSums * const *) a;
  const AssayKpiAgentSums *y = *(AssayKpiAgentSums * const *) b;

  return g_utf8_collate (x->name ? x->name : "", y->name ? y->name : "");
}

static int
compare_inspectors (gconstpointer a,
                    gconstpointer b)
{
  const AssayKpiInspectorFigures *x = *(AssayKpiInspectorFigures * const *) a;
  const AssayKpiInspectorFigures *y = *(AssayKpiInspectorFigures * const *) b;

  return g_utf8_collate (x->name ? x->name : "", y->name ? y->name : "");
}

static gboolean
read_agents (sqlite3           *db,
             AssayKpiScope      scope,
             const char        *id,
             AssayKpiBreakdown *out,
             GError           **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(sqlite3_stmt) names = NULL;

  for (int table = 0; table < 2; table++)
    {
      g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, table == 0 ? contact_sql[scope]
                                                                          : qa_sql[scope], error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      _assay_store_bind_text_or_null (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, out->from_day);
      sqlite3_bind_int (stmt, 3, out->to_day);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *agent_id = _assay_store_column_text (stmt, 0);
          int channel = assay_kpi_channel_from_name (_assay_store_column_text (stmt, 1));
          AssayKpiAgentSums *agent = g_hash_table_lookup (by_id, agent_id);

          if (agent == NULL)
            {
              agent = g_new0 (AssayKpiAgentSums, 1);
              agent->id = g_strdup (agent_id);
              g_ptr_array_add (out->agents, agent);
              g_hash_table_insert (by_id, agent->id, agent);
            }
          if (table == 0)
            {
              _assay_store_kpi_add_contact_row (stmt, 2, channel, &agent->sums);
              if (channel >= 0)
                _assay_store_kpi_add_contact_row (stmt, 2, channel, &out->channels[channel]);
            }
          else
            {
              _assay_store_kpi_add_qa_row (stmt, 2, &agent->sums);
              if (channel >= 0)
                _assay_store_kpi_add_qa_row (stmt, 2, &out->channels[channel]);
            }
        }
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
    }

  names = _assay_store_prepare (db, "SELECT name, employee_code FROM agent WHERE id = ?", error);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < out->agents->len; i++)
    {
      AssayKpiAgentSums *agent = g_ptr_array_index (out->agents, i);

      sqlite3_reset (names);
      sqlite3_bind_text (names, 1, agent->id, -1, SQLITE_STATIC);
      if (sqlite3_step (names) == SQLITE_ROW)
        {
          agent->name = _assay_store_column_dup (names, 0);
          agent->code = _assay_store_column_dup (names, 1);
        }
      else
        agent->name = g_strdup (agent->id);
    }
  g_ptr_array_sort (out->agents, compare_agents);
  return TRUE;
}

static gboolean
read_scores (sqlite3           *db,
             AssayKpiScope      scope,
             const char        *id,
             AssayKpiBreakdown *out,
             GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, scores_sql[scope], error);
  g_autoptr(sqlite3_stmt) names = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _assay_store_bind_text_or_null (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, _assay_store_kpi_day_start_ms (out->from_day));
  sqlite3_bind_int64 (stmt, 3, _assay_store_kpi_day_start_ms (out->to_day + 1));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *inspector_id = _assay_store_column_text (stmt, 0);
      AssayKpiInspectorFigures *f = g_hash_table_lookup (by_id, inspector_id);

      if (f == NULL)
        {
          f = g_new0 (AssayKpiInspectorFigures, 1);
          f->id = g_strdup (inspector_id);
          g_ptr_array_add (out->inspectors, f);
          g_hash_table_insert (by_id, f->id, f);
        }
      f->evaluations++;
      f->review_s += sqlite3_column_int64 (stmt, 2);
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        {
          double score = sqlite3_column_double (stmt, 1);
          int bin = score >= 100.0 ? (score > 100.0 ? 10 : 9) : (int) floor (score / 10.0);

          f->scored++;
          f->score_sum += score;
          f->score_sum_sq += score * score;
          out->score_bins[CLAMP (bin, 0, ASSAY_KPI_SCORE_BINS - 1)]++;
        }
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);

  names = _assay_store_prepare (db, "SELECT name FROM staff WHERE id = ?", error);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < out->inspectors->len; i++)
    {
      AssayKpiInspectorFigures *f = g_ptr_array_index (out->inspectors, i);

      sqlite3_reset (names);
      sqlite3_bind_text (names, 1, f->id, -1, SQLITE_STATIC);
      f->name = sqlite3_step (names) == SQLITE_ROW ? _assay_store_column_dup (names, 0)
                                                   : g_strdup (f->id);
    }
  g_ptr_array_sort (out->inspectors, compare_inspectors);
  return TRUE;
}

static gpointer
breakdown_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  BreakdownData *b = data;
  g_autoptr(AssayKpiBreakdown) out = g_new0 (AssayKpiBreakdown, 1);
  g_autofree char *id = NULL;

  out->scope = b->query.scope;
  out->from_day = b->query.from_day;
  out->to_day = b->query.to_day;
  out->agents = g_ptr_array_new_with_free_func (agent_sums_free);
  out->inspectors = g_ptr_array_new_with_free_func (inspector_free);
  if (!check_period (out->from_day, out->to_day, error)
      || !_assay_store_kpi_ensure_time_zone (db, error)
      || !resolve (db, out->scope, b->query.subject, &id, error)
      || !read_agents (db, out->scope, id, out, error)
      || !read_scores (db, out->scope, id, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

void
assay_store_kpi_breakdown_async (AssayStore          *self,
                                 const AssayKpiQuery *query,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  _assay_store_run_async (self, breakdown_func, breakdown_data_new (query, 0), breakdown_data_free,
                          (GDestroyNotify) assay_kpi_breakdown_free,
                          assay_store_kpi_breakdown_async, cancellable, callback, user_data);
}

AssayKpiBreakdown *
assay_store_kpi_breakdown_finish (AssayStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_kpi_breakdown_async), NULL);
  return _assay_store_run_finish (self, result, error);
}

AssayKpiBreakdown *
assay_store_kpi_breakdown_sync (AssayStore           *self,
                                const AssayKpiQuery  *query,
                                GError              **error)
{
  BreakdownData *b = breakdown_data_new (query, 0);
  AssayKpiBreakdown *out = _assay_store_run_sync (self, breakdown_func, b, error);

  breakdown_data_free (b);
  return out;
}

/* ---- the evaluations behind a figure ---- */

#define ROWS_SQL(WHERE) \
  "SELECT e.id, i.id, i.started_at, i.channel, a.name, s.name, r.score," \
  " CASE WHEN json_valid (r.results) THEN json_extract (r.results, '$.band') END," \
  " CASE WHEN json_valid (r.results) THEN json_array_length (r.results, '$.fatal_failed') END" \
  EVALUATIONS_FROM " LEFT JOIN agent a ON a.id = i.agent_id" \
  " LEFT JOIN staff s ON s.id = e.inspector_id" EVALUATIONS_WHERE (WHERE) \
  " ORDER BY i.started_at DESC LIMIT ?4"

static const char *const rows_sql[] = {
  [ASSAY_KPI_SCOPE_AGENT] = ROWS_SQL ("i.agent_id = ?1"),
  [ASSAY_KPI_SCOPE_TEAM] = ROWS_SQL ("i.team_id = ?1"),
  [ASSAY_KPI_SCOPE_CENTRE] = ROWS_SQL ("?1 IS NULL"),
};

static gpointer
evaluations_func (sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  BreakdownData *b = data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = NULL;
  int rc;

  if (!check_period (b->query.from_day, b->query.to_day, error)
      || !resolve (db, b->query.scope, b->query.subject, &id, error))
    return NULL;
  stmt = _assay_store_prepare (db, rows_sql[b->query.scope], error);
  if (stmt == NULL)
    return NULL;
  _assay_store_bind_text_or_null (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, _assay_store_kpi_day_start_ms (b->query.from_day));
  sqlite3_bind_int64 (stmt, 3, _assay_store_kpi_day_start_ms (b->query.to_day + 1));
  sqlite3_bind_int64 (stmt, 4, b->limit > 0 ? b->limit : 500);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_kpi_evaluation_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayKpiEvaluationRow *row = g_new0 (AssayKpiEvaluationRow, 1);

      row->id = _assay_store_column_dup (stmt, 0);
      row->interaction_id = _assay_store_column_dup (stmt, 1);
      row->started_at = sqlite3_column_int64 (stmt, 2);
      row->channel = _assay_store_column_dup (stmt, 3);
      row->agent_name = _assay_store_column_dup (stmt, 4);
      row->inspector_name = _assay_store_column_dup (stmt, 5);
      row->score = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? NAN
                   : sqlite3_column_double (stmt, 6);
      row->band = _assay_store_column_dup (stmt, 7);
      row->fatal = sqlite3_column_int (stmt, 8) > 0;
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

void
assay_store_kpi_evaluations_async (AssayStore          *self,
                                   const AssayKpiQuery *query,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  _assay_store_run_async (self, evaluations_func, breakdown_data_new (query, limit),
                          breakdown_data_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_kpi_evaluations_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_kpi_evaluations_finish (AssayStore    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_kpi_evaluations_async),
                        NULL);
  return _assay_store_run_finish (self, result, error);
}
