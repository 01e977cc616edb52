/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-directory.h"
#include "assay-store-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/*
 * The figures are added up in SQL over the (agent_id, started_at) and (team_id, started_at)
 * indexes; assay_kpi_figures_compute() turns the counts into percentages, so the arithmetic
 * lives in one tested place.
 */

#define COUNTS_COLUMNS \
  "SELECT count(*)," \
  "  coalesce(sum(abandoned), 0)," \
  "  coalesce(sum(abandoned = 0), 0)," \
  "  coalesce(sum(abandoned = 0 AND channel = 'phone'), 0)," \
  "  coalesce(sum(CASE WHEN abandoned = 0 AND channel = 'phone' THEN handle_s END), 0)," \
  "  coalesce(sum(abandoned = 0 AND channel <> 'phone'), 0)," \
  "  coalesce(sum(CASE WHEN abandoned = 0 AND channel <> 'phone' THEN handle_s END), 0)," \
  "  count(csat), coalesce(sum(csat >= 4), 0)," \
  "  count(nps), coalesce(sum(nps >= 9), 0), coalesce(sum(nps <= 6), 0)," \
  "  count(fcr), coalesce(sum(fcr = 1), 0)," \
  /* offered: answered with a known outcome, or abandoned in the queue */ \
  "  coalesce(sum(channel = 'phone' AND (answered_in_sl IS NOT NULL OR abandoned = 1)), 0)," \
  "  coalesce(sum(channel = 'phone' AND answered_in_sl = 1 AND abandoned = 0), 0)" \
  " FROM interaction"

static const char agent_counts_sql[] =
  COUNTS_COLUMNS " WHERE agent_id = ?1 AND started_at >= ?2 AND started_at < ?3";
static const char team_counts_sql[] =
  COUNTS_COLUMNS " WHERE team_id = ?1 AND started_at >= ?2 AND started_at < ?3";

const char *
_assay_store_directory_counts_sql (gboolean team)
{
  return team ? team_counts_sql : agent_counts_sql;
}

typedef struct {
  char   *id;
  gint64  from_ms;
  gint64  to_ms;
} PeriodQuery;

static void
period_query_free (gpointer data)
{
  PeriodQuery *query = data;

  g_free (query->id);
  g_free (query);
}

static PeriodQuery *
period_query_new (const char *id,
                  gint64      from_ms,
                  gint64      to_ms)
{
  PeriodQuery *query = g_new0 (PeriodQuery, 1);

  query->id = g_strdup (id);
  query->from_ms = from_ms;
  query->to_ms = to_ms;
  return query;
}

/* Steps @stmt (bound) once and reads the counts row. */
static gboolean
read_counts (sqlite3         *db,
             sqlite3_stmt    *stmt,
             AssayKpiCounts  *counts,
             GError         **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error);

  counts->contacts = sqlite3_column_int64 (stmt, 0);
  counts->abandoned = sqlite3_column_int64 (stmt, 1);
  counts->handled = sqlite3_column_int64 (stmt, 2);
  counts->handled_phone = sqlite3_column_int64 (stmt, 3);
  counts->handle_s_phone = sqlite3_column_int64 (stmt, 4);
  counts->handled_written = sqlite3_column_int64 (stmt, 5);
  counts->handle_s_written = sqlite3_column_int64 (stmt, 6);
  counts->csat_answers = sqlite3_column_int64 (stmt, 7);
  counts->csat_satisfied = sqlite3_column_int64 (stmt, 8);
  counts->nps_answers = sqlite3_column_int64 (stmt, 9);
  counts->nps_promoters = sqlite3_column_int64 (stmt, 10);
  counts->nps_detractors = sqlite3_column_int64 (stmt, 11);
  counts->fcr_known = sqlite3_column_int64 (stmt, 12);
  counts->fcr_resolved = sqlite3_column_int64 (stmt, 13);
  counts->sl_offered = sqlite3_column_int64 (stmt, 14);
  counts->sl_answered = sqlite3_column_int64 (stmt, 15);
  return TRUE;
}

static gboolean
check_period (const PeriodQuery  *query,
              GError            **error)
{
  if (query->id == NULL || query->from_ms > query->to_ms)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A period needs an id and must not end before it starts"));
      return FALSE;
    }
  return TRUE;
}

static gpointer
counts_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error,
             gboolean       team)
{
  PeriodQuery *query = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree AssayKpiCounts *counts = NULL;

  if (!check_period (query, error))
    return NULL;
  stmt = _assay_store_prepare (db, team ? team_counts_sql : agent_counts_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, query->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, query->from_ms);
  sqlite3_bind_int64 (stmt, 3, query->to_ms);

  counts = g_new0 (AssayKpiCounts, 1);
  if (!read_counts (db, stmt, counts, error))
    return NULL;
  return g_steal_pointer (&counts);
}

static gpointer
agent_counts_func (sqlite3       *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return counts_func (db, data, cancellable, error, FALSE);
}

static gpointer
team_counts_func (sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return counts_func (db, data, cancellable, error, TRUE);
}

/* sorting for the user's locale, done on the worker */

typedef struct {
  char    *key;
  gpointer item;
} Keyed;

static int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  const Keyed *ka = a, *kb = b;

  return strcmp (ka->key, kb->key);
}

/* Sorts @items (GObjects named by @name_of) in place by locale collation of their names. */
static void
sort_by_name (GPtrArray    *items,
              const char *(*name_of) (gpointer))
{
  g_autoptr(GArray) keyed = g_array_sized_new (FALSE, FALSE, sizeof (Keyed), items->len);

  for (guint i = 0; i < items->len; i++)
    {
      Keyed k = { g_utf8_collate_key (name_of (items->pdata[i]), -1), items->pdata[i] };
      g_array_append_val (keyed, k);
    }
  g_array_sort (keyed, compare_keyed);
  for (guint i = 0; i < keyed->len; i++)
    {
      Keyed *k = &g_array_index (keyed, Keyed, i);
      items->pdata[i] = k->item;
      g_free (k->key);
    }
}

static const char *
team_name_of (gpointer item)
{
  return assay_team_get_name (item);
}

static const char *
agent_name_of (gpointer item)
{
  return assay_agent_get_name (item);
}

static gpointer
list_teams_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) teams = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  /* a lead is one of the staff, or an agent who leads their team */
  stmt = _assay_store_prepare (db,
    "SELECT t.id, t.name,"
    "  coalesce ((SELECT s.name FROM staff s WHERE s.id = t.lead_id),"
    "            (SELECT a.name FROM agent a WHERE a.id = t.lead_id)),"
    "  (SELECT count(*) FROM agent a WHERE a.team_id = t.id)"
    " FROM team t", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (teams, assay_team_new (_assay_store_column_text (stmt, 0),
                                            _assay_store_column_text (stmt, 1),
                                            _assay_store_column_text (stmt, 2),
                                            (guint) sqlite3_column_int64 (stmt, 3)));
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }

  sort_by_name (teams, team_name_of);
  return g_steal_pointer (&teams);
}

static gpointer
list_agents_func (sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gint64 since_ms = *(gint64 *) data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  /* the count reads only the (agent_id, started_at) index */
  stmt = _assay_store_prepare (db,
    "SELECT a.id, a.name, a.employee_code, t.id, t.name, a.active,"
    "  (SELECT count(*) FROM interaction i WHERE i.agent_id = a.id AND i.started_at >= ?1)"
    " FROM agent a LEFT JOIN team t ON t.id = a.team_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_ms);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_ptr_array_add (agents, assay_agent_new (_assay_store_column_text (stmt, 0),
                                                _assay_store_column_text (stmt, 1),
                                                _assay_store_column_text (stmt, 2),
                                                _assay_store_column_text (stmt, 3),
                                                _assay_store_column_text (stmt, 4),
                                                sqlite3_column_int (stmt, 5) != 0,
                                                (guint) sqlite3_column_int64 (stmt, 6)));
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }

  sort_by_name (agents, agent_name_of);
  return g_steal_pointer (&agents);
}

typedef struct
{
  sqlite3_stmt *ids;
  sqlite3_stmt *stmt;
  PeriodQuery  *query;
  GHashTable   *result;  /* out: team id → AssayKpiCounts */
  GCancellable *cancellable;
} TeamCountsRead;

static gboolean
team_counts_read_locked (sqlite3  *db,
                         gpointer  data,
                         GError  **error)
{
  TeamCountsRead *read = data;
  GError *local_error = NULL;
  int rc;

  while ((rc = sqlite3_step (read->ids)) == SQLITE_ROW)
    {
      g_autofree AssayKpiCounts *counts = g_new0 (AssayKpiCounts, 1);
      const char *id = _assay_store_column_text (read->ids, 0);

      if (g_cancellable_set_error_if_cancelled (read->cancellable, &local_error))
        break;
      sqlite3_reset (read->stmt);
      sqlite3_bind_text (read->stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (read->stmt, 2, read->query->from_ms);
      sqlite3_bind_int64 (read->stmt, 3, read->query->to_ms);
      if (!read_counts (db, read->stmt, counts, &local_error))
        break;
      g_hash_table_insert (read->result, g_strdup (id), g_steal_pointer (&counts));
    }
  if (local_error == NULL && rc != SQLITE_ROW && rc != SQLITE_DONE)
    _assay_store_set_error (db, rc, &local_error);
  sqlite3_reset (read->ids);
  sqlite3_reset (read->stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static gpointer
all_team_counts_func (sqlite3       *db,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  PeriodQuery *query = data;
  g_autoptr(sqlite3_stmt) ids = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (query->from_ms > query->to_ms)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A period must not end before it starts"));
      return NULL;
    }

  ids = _assay_store_prepare (db, "SELECT id FROM team", error);
  if (ids == NULL)
    return NULL;
  stmt = _assay_store_prepare (db, team_counts_sql, error);
  if (stmt == NULL)
    return NULL;

  /* the read transaction makes the teams' figures one consistent snapshot */
  {
    TeamCountsRead read = { ids, stmt, query, result, cancellable };

    if (!_assay_store_in_read_transaction (db, team_counts_read_locked, &read, error))
      return NULL;
  }
  return g_steal_pointer (&result);
}

/* public API */

void
assay_store_list_teams_async (AssayStore          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  _assay_store_run_async (self, list_teams_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_teams_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_teams_finish (AssayStore    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_list_teams_async), NULL);
  return _assay_store_run_finish (self, result, error);
}

GPtrArray *
assay_store_list_teams_sync (AssayStore  *self,
                             GError     **error)
{
  return _assay_store_run_sync (self, list_teams_func, NULL, error);
}

void
assay_store_list_agents_async (AssayStore          *self,
                               gint64               since_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _assay_store_run_async (self, list_agents_func, g_memdup2 (&since_ms, sizeof since_ms), g_free,
                          (GDestroyNotify) g_ptr_array_unref, assay_store_list_agents_async,
                          cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_agents_finish (AssayStore    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_list_agents_async), NULL);
  return _assay_store_run_finish (self, result, error);
}

void
assay_store_agent_counts_async (AssayStore          *self,
                                const char          *agent_id,
                                gint64               from_ms,
                                gint64               to_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  _assay_store_run_async (self, agent_counts_func, period_query_new (agent_id, from_ms, to_ms),
                          period_query_free, g_free, assay_store_agent_counts_async,
                          cancellable, callback, user_data);
}

static gboolean
counts_finish (AssayStore      *self,
               GAsyncResult    *result,
               AssayKpiCounts  *counts,
               GError         **error)
{
  g_autofree AssayKpiCounts *found = _assay_store_run_finish (self, result, error);

  if (found == NULL)
    return FALSE;
  if (counts != NULL)
    *counts = *found;
  return TRUE;
}

gboolean
assay_store_agent_counts_finish (AssayStore      *self,
                                 GAsyncResult    *result,
                                 AssayKpiCounts  *counts,
                                 GError         **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_agent_counts_async), FALSE);
  return counts_finish (self, result, counts, error);
}

void
assay_store_team_counts_async (AssayStore          *self,
                               const char          *team_id,
                               gint64               from_ms,
                               gint64               to_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _assay_store_run_async (self, team_counts_func, period_query_new (team_id, from_ms, to_ms),
                          period_query_free, g_free, assay_store_team_counts_async,
                          cancellable, callback, user_data);
}

gboolean
assay_store_team_counts_finish (AssayStore      *self,
                                GAsyncResult    *result,
                                AssayKpiCounts  *counts,
                                GError         **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_team_counts_async), FALSE);
  return counts_finish (self, result, counts, error);
}

void
assay_store_all_team_counts_async (AssayStore          *self,
                                   gint64               from_ms,
                                   gint64               to_ms,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  _assay_store_run_async (self, all_team_counts_func, period_query_new (NULL, from_ms, to_ms),
                          period_query_free, (GDestroyNotify) g_hash_table_unref,
                          assay_store_all_team_counts_async, cancellable, callback, user_data);
}

GHashTable *
assay_store_all_team_counts_finish (AssayStore    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_all_team_counts_async),
                        NULL);
  return _assay_store_run_finish (self, result, error);
}
