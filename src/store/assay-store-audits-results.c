/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include <glib/gi18n.h>

#include "assay-store-audits-private.h"
#include "assay-store-private.h"
#include "core/assay-csv.h"

/* Audit results beside the internal QA score of the same team and period (docs/audits.md). */

void
assay_audit_result_record_free (AssayAuditResultRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->scenario_id);
  g_free (r->scenario_name);
  g_free (r->channel);
  g_free (r->target);
  g_free (r->team_id);
  g_free (r);
}

static double
col_mean (sqlite3_stmt *stmt,
          int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

static gint
by_gap (gconstpointer a,
        gconstpointer b)
{
  const AssayAuditResultRecord *x = *(AssayAuditResultRecord *const *) a;
  const AssayAuditResultRecord *y = *(AssayAuditResultRecord *const *) b;
  double gx = isnan (x->gap) ? -1 : fabs (x->gap);
  double gy = isnan (y->gap) ? -1 : fabs (y->gap);

  if (gx != gy)
    return gx > gy ? -1 : 1;
  return g_strcmp0 (x->scenario_name, y->scenario_name);
}

static gpointer
results_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  gint64 *range = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_audit_result_record_free);
  int rc;

  /* a plain mean of the scores of current revisions, n beside it (SCORING.md "team QA score");
   * audit_time (visited_at) and interaction_team (team_id, started_at) back the two sides */
  stmt = _assay_store_prepare (db,
    "WITH a AS (SELECT au.scenario_id, count (r.score) AS n, avg (r.score) AS mean"
    "   FROM audit au JOIN audit_revision r ON r.id = au.current_revision_id"
    "   WHERE au.state = 'submitted' AND au.visited_at >= ?1 AND au.visited_at < ?2"
    "   GROUP BY au.scenario_id)"
    " SELECT sc.id, sc.name, sc.channel, coalesce (t.name, sc.site, sc.queue), sc.team_id,"
    "  a.n, a.mean,"
    "  (SELECT count (er.score) FROM interaction i JOIN evaluation e ON e.interaction_id = i.id"
    "   JOIN evaluation_revision er ON er.id = e.current_revision_id"
    "   WHERE i.team_id = sc.team_id AND i.started_at >= ?1 AND i.started_at < ?2"
    "   AND e.state = 'submitted'),"
    "  (SELECT avg (er.score) FROM interaction i JOIN evaluation e ON e.interaction_id = i.id"
    "   JOIN evaluation_revision er ON er.id = e.current_revision_id"
    "   WHERE i.team_id = sc.team_id AND i.started_at >= ?1 AND i.started_at < ?2"
    "   AND e.state = 'submitted')"
    " FROM a JOIN audit_scenario sc ON sc.id = a.scenario_id"
    " LEFT JOIN team t ON t.id = sc.team_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, range[0]);
  sqlite3_bind_int64 (stmt, 2, range[1]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAuditResultRecord *r = g_new0 (AssayAuditResultRecord, 1);

      r->scenario_id = _assay_store_column_dup (stmt, 0);
      r->scenario_name = _assay_store_column_dup (stmt, 1);
      r->channel = _assay_store_column_dup (stmt, 2);
      r->target = _assay_store_column_dup (stmt, 3);
      r->team_id = _assay_store_column_dup (stmt, 4);
      r->n_audits = sqlite3_column_int (stmt, 5);
      r->audit_mean = r->n_audits > 0 ? col_mean (stmt, 6) : NAN;
      r->n_evaluations = sqlite3_column_int (stmt, 7);
      r->qa_mean = r->n_evaluations > 0 ? col_mean (stmt, 8) : NAN;
      r->gap = isnan (r->audit_mean) || isnan (r->qa_mean) ? NAN : r->audit_mean - r->qa_mean;
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  g_ptr_array_sort (out, by_gap);
  return g_steal_pointer (&out);
}

void
assay_store_audits_results_async (AssayStore          *store,
                                  gint64               from_ms,
                                  gint64               to_ms,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  gint64 *range = g_new (gint64, 2);

  range[0] = from_ms;
  range[1] = to_ms;
  _assay_store_run_async (store, results_func, range, g_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_audits_results_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_audits_results_finish (AssayStore    *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_audits_results_sync (AssayStore  *store,
                                 gint64       from_ms,
                                 gint64       to_ms,
                                 GError     **error)
{
  gint64 range[2] = { from_ms, to_ms };

  return _assay_store_run_sync (store, results_func, range, error);
}

static void
append_figure (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  assay_csv_append_field (out, isnan (value) ? "" : g_ascii_formatd (buf, sizeof buf, "%.2f",
                                                                     value), FALSE);
}

static void
append_count (GString *out,
              guint    n)
{
  g_autofree char *text = g_strdup_printf ("%u", n);

  assay_csv_append_field (out, text, FALSE);
}

char *
assay_audit_results_to_csv (GPtrArray *results)
{
  static const char *const header[] = { "scenario", "channel", "target", "audits", "audit_score",
                                        "evaluations", "qa_score", "gap" };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    assay_csv_append_field (out, header[i], i == 0);
  assay_csv_end_record (out);
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      const AssayAuditResultRecord *r = results->pdata[i];

      assay_csv_append_field (out, r->scenario_name, TRUE);
      assay_csv_append_field (out, r->channel, FALSE);
      assay_csv_append_field (out, r->target, FALSE);
      append_count (out, r->n_audits);
      append_figure (out, r->audit_mean);
      append_count (out, r->n_evaluations);
      append_figure (out, r->qa_mean);
      append_figure (out, r->gap);
      assay_csv_end_record (out);
    }
  return g_string_free (out, FALSE);
}

static gpointer
definition_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT v.definition FROM audit a"
                                   " JOIN form_version v ON v.id = a.form_version_id WHERE a.id = ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _assay_store_column_dup (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                 _("The audit %s does not exist"), (const char *) data);
  else
    _assay_store_set_error (db, rc, error);
  return NULL;
}

char *
assay_store_audits_get_definition_sync (AssayStore  *store,
                                        const char  *audit_id,
                                        GError     **error)
{
  return _assay_store_run_sync (store, definition_func, (gpointer) audit_id, error);
}
