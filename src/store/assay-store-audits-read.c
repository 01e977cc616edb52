/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include <glib/gi18n.h>

#include "assay-store-audits-private.h"
#include "assay-store-evaluations.h"
#include "assay-store-private.h"
#include "core/assay-util.h"

/* Reads of the audit programme: audits, revisions, programmes, scenarios, shoppers, the
 * schedule with its done/due/overdue figures per target and month (docs/audits.md). */

static double
col_score (sqlite3_stmt *stmt,
           int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

AssayAuditRecord *
_assay_audit_read (sqlite3_stmt *stmt)
{
  AssayAuditRecord *r = g_new0 (AssayAuditRecord, 1);
  int c = 0;

  r->id = _assay_store_column_dup (stmt, c++);
  r->visit_id = _assay_store_column_dup (stmt, c++);
  r->scenario_id = _assay_store_column_dup (stmt, c++);
  r->scenario_name = _assay_store_column_dup (stmt, c++);
  r->channel = _assay_store_column_dup (stmt, c++);
  r->target = _assay_store_column_dup (stmt, c++);
  r->form_version_id = _assay_store_column_dup (stmt, c++);
  r->shopper_id = _assay_store_column_dup (stmt, c++);
  r->shopper_name = _assay_store_column_dup (stmt, c++);
  r->author_id = _assay_store_column_dup (stmt, c++);
  r->agent_id = _assay_store_column_dup (stmt, c++);
  r->interaction_id = _assay_store_column_dup (stmt, c++);
  r->visited_at = sqlite3_column_int64 (stmt, c++);
  r->state = _assay_store_column_dup (stmt, c++);
  r->amending = sqlite3_column_int (stmt, c++);
  r->answers = _assay_store_column_dup (stmt, c++);
  r->score = col_score (stmt, c++);
  r->results = _assay_store_column_dup (stmt, c++);
  r->saved_at = sqlite3_column_int64 (stmt, c++);
  r->revision = sqlite3_column_int (stmt, c++);
  r->updated_at = sqlite3_column_int64 (stmt, c++);
  return r;
}

AssayAuditRecord *
_assay_audit_get_locked (sqlite3     *db,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, "SELECT " AUDIT_COLUMNS AUDIT_FROM
                                                           " WHERE a.id = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _assay_audit_read (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                 _("The audit %s does not exist"), id);
  else
    _assay_store_set_error (db, rc, error);
  return NULL;
}

typedef struct
{
  char      *s[3];
  gint64     n[3];
  GDateTime *when;
} Args;

static void
args_free (Args *a)
{
  for (guint i = 0; i < G_N_ELEMENTS (a->s); i++)
    g_free (a->s[i]);
  g_clear_pointer (&a->when, g_date_time_unref);
  g_free (a);
}

static Args *
args_new (const char *s0,
          const char *s1,
          const char *s2)
{
  Args *a = g_new0 (Args, 1);

  a->s[0] = g_strdup (s0);
  a->s[1] = g_strdup (s1);
  a->s[2] = g_strdup (s2);
  return a;
}

/* ---- one audit ---- */

static gpointer
get_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Args *a = data;

  return _assay_audit_get_locked (db, a->s[0], error);
}

AssayAuditRecord *
assay_store_audits_get_sync (AssayStore  *store,
                             const char  *audit_id,
                             GError     **error)
{
  Args *args = args_new (audit_id, NULL, NULL);
  AssayAuditRecord *r = _assay_store_run_sync (store, get_func, args, error);

  args_free (args);
  return r;
}

void
assay_store_audits_get_async (AssayStore          *store,
                              const char          *audit_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  _assay_store_run_async (store, get_func, args_new (audit_id, NULL, NULL),
                          (GDestroyNotify) args_free, (GDestroyNotify) assay_audit_record_free,
                          assay_store_audits_get_async, cancellable, callback, user_data);
}

AssayAuditRecord *
assay_store_audits_get_finish (AssayStore    *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

static gpointer
open_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AssayAuditRecord *r;
  int rc;

  if (a->s[0] != NULL)
    {
      stmt = _assay_store_prepare (db, "SELECT " AUDIT_COLUMNS AUDIT_FROM " WHERE a.visit_id = ?",
                                   error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, a->s[0], -1, SQLITE_TRANSIENT);
      if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        return _assay_audit_read (stmt);
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error), NULL;
      g_clear_pointer (&stmt, sqlite3_finalize);
      stmt = _assay_store_prepare (db, "SELECT sc.id, sc.name, sc.channel,"
                                       " coalesce (t.name, sc.site, sc.queue), sc.form_version_id,"
                                       " v.shopper_id, sh.name FROM audit_visit v"
                                       " JOIN audit_scenario sc ON sc.id = v.scenario_id"
                                       " LEFT JOIN team t ON t.id = sc.team_id"
                                       " LEFT JOIN audit_shopper sh ON sh.id = v.shopper_id"
                                       " WHERE v.id = ?", error);
    }
  else
    stmt = _assay_store_prepare (db, "SELECT sc.id, sc.name, sc.channel,"
                                     " coalesce (t.name, sc.site, sc.queue), sc.form_version_id,"
                                     " NULL, NULL FROM audit_scenario sc"
                                     " LEFT JOIN team t ON t.id = sc.team_id WHERE sc.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->s[0] != NULL ? a->s[0] : a->s[1], -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error), NULL;
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                           _("The visit or scenario to audit no longer exists"));
      return NULL;
    }
  r = g_new0 (AssayAuditRecord, 1);
  r->id = assay_uuid_new ();
  r->visit_id = g_strdup (a->s[0]);
  r->scenario_id = _assay_store_column_dup (stmt, 0);
  r->scenario_name = _assay_store_column_dup (stmt, 1);
  r->channel = _assay_store_column_dup (stmt, 2);
  r->target = _assay_store_column_dup (stmt, 3);
  r->form_version_id = _assay_store_column_dup (stmt, 4);
  r->shopper_id = _assay_store_column_dup (stmt, 5);
  r->shopper_name = _assay_store_column_dup (stmt, 6);
  r->author_id = g_strdup (a->s[2]);
  r->score = NAN;
  return r;
}

void
assay_store_audits_open_async (AssayStore          *store,
                               const char          *visit_id,
                               const char          *scenario_id,
                               const char          *author_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _assay_store_run_async (store, open_func, args_new (visit_id, scenario_id, author_id),
                          (GDestroyNotify) args_free, (GDestroyNotify) assay_audit_record_free,
                          assay_store_audits_open_async, cancellable, callback, user_data);
}

AssayAuditRecord *
assay_store_audits_open_finish (AssayStore    *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayAuditRecord *
assay_store_audits_open_sync (AssayStore  *store,
                              const char  *visit_id,
                              const char  *scenario_id,
                              const char  *author_id,
                              GError     **error)
{
  Args *a = args_new (visit_id, scenario_id, author_id);
  AssayAuditRecord *r = _assay_store_run_sync (store, open_func, a, error);

  args_free (a);
  return r;
}

static gpointer
revisions_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_revision_record_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT r.id, r.number, r.author_id, s.name, r.created_at, r.reason,"
                                   " r.score, r.answers, r.results FROM audit_revision r"
                                   " LEFT JOIN staff s ON s.id = r.author_id"
                                   " WHERE r.audit_id = ? ORDER BY r.number", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->s[0], -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayRevisionRecord *r = g_new0 (AssayRevisionRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->number = sqlite3_column_int (stmt, 1);
      r->author_id = _assay_store_column_dup (stmt, 2);
      r->author_name = _assay_store_column_dup (stmt, 3);
      r->created_at = sqlite3_column_int64 (stmt, 4);
      r->reason = _assay_store_column_dup (stmt, 5);
      r->score = col_score (stmt, 6);
      r->answers = _assay_store_column_dup (stmt, 7);
      r->results = _assay_store_column_dup (stmt, 8);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&out);
}

GPtrArray *
assay_store_audits_list_revisions_sync (AssayStore  *store,
                                        const char  *audit_id,
                                        GError     **error)
{
  Args *a = args_new (audit_id, NULL, NULL);
  GPtrArray *out = _assay_store_run_sync (store, revisions_func, a, error);

  args_free (a);
  return out;
}

/* ---- programme lists ---- */

static gpointer
programmes_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_audit_programme_record_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT p.id, p.name, p.description, p.starts_at, p.ends_at,"
                                   " (SELECT count(*) FROM audit_scenario WHERE programme_id = p.id)"
                                   " FROM audit_programme p ORDER BY p.starts_at DESC, p.name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAuditProgrammeRecord *r = g_new0 (AssayAuditProgrammeRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->name = _assay_store_column_dup (stmt, 1);
      r->description = _assay_store_column_dup (stmt, 2);
      r->starts_at = sqlite3_column_int64 (stmt, 3);
      r->ends_at = sqlite3_column_int64 (stmt, 4);
      r->n_scenarios = sqlite3_column_int (stmt, 5);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&out);
}

GPtrArray *
assay_store_audits_list_programmes_sync (AssayStore  *store,
                                         GError     **error)
{
  return _assay_store_run_sync (store, programmes_func, NULL, error);
}

static gpointer
scenarios_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_audit_scenario_record_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT sc.id, sc.programme_id, sc.name, sc.channel, sc.site,"
                                   " sc.queue, sc.team_id, coalesce (t.name, sc.site, sc.queue),"
                                   " sc.script, sc.observe, sc.form_version_id, sc.monthly_quota,"
                                   " sc.active FROM audit_scenario sc"
                                   " LEFT JOIN team t ON t.id = sc.team_id"
                                   " WHERE ?1 IS NULL OR sc.programme_id = ?1"
                                   " ORDER BY sc.name", error);
  if (stmt == NULL)
    return NULL;
  _assay_store_bind_text_or_null (stmt, 1, a->s[0]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAuditScenarioRecord *r = g_new0 (AssayAuditScenarioRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->programme_id = _assay_store_column_dup (stmt, 1);
      r->name = _assay_store_column_dup (stmt, 2);
      r->channel = _assay_store_column_dup (stmt, 3);
      r->site = _assay_store_column_dup (stmt, 4);
      r->queue = _assay_store_column_dup (stmt, 5);
      r->team_id = _assay_store_column_dup (stmt, 6);
      r->target = _assay_store_column_dup (stmt, 7);
      r->script = _assay_store_column_dup (stmt, 8);
      r->observe = _assay_store_column_dup (stmt, 9);
      r->form_version_id = _assay_store_column_dup (stmt, 10);
      r->monthly_quota = sqlite3_column_int (stmt, 11);
      r->active = sqlite3_column_int (stmt, 12);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&out);
}

GPtrArray *
assay_store_audits_list_scenarios_sync (AssayStore  *store,
                                        const char  *programme_id,
                                        GError     **error)
{
  Args *a = args_new (programme_id, NULL, NULL);
  GPtrArray *out = _assay_store_run_sync (store, scenarios_func, a, error);

  args_free (a);
  return out;
}

static gpointer
shoppers_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_audit_shopper_record_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT id, name, kind, agency, phone, staff_id, active"
                                   " FROM audit_shopper ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAuditShopperRecord *r = g_new0 (AssayAuditShopperRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->name = _assay_store_column_dup (stmt, 1);
      r->kind = _assay_store_column_dup (stmt, 2);
      r->agency = _assay_store_column_dup (stmt, 3);
      r->phone = _assay_store_column_dup (stmt, 4);
      r->staff_id = _assay_store_column_dup (stmt, 5);
      r->active = sqlite3_column_int (stmt, 6);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&out);
}

GPtrArray *
assay_store_audits_list_shoppers_sync (AssayStore  *store,
                                       GError     **error)
{
  return _assay_store_run_sync (store, shoppers_func, NULL, error);
}

/* ---- the schedule ---- */

static gpointer
visits_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_audit_visit_record_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT v.id, v.scenario_id, sc.name, sc.channel,"
                                   " coalesce (t.name, sc.site, sc.queue), v.shopper_id, sh.name,"
                                   " v.due_at, v.state, au.id, au.state = 'submitted'"
                                   " FROM audit_visit v JOIN audit_scenario sc ON sc.id = v.scenario_id"
                                   " LEFT JOIN team t ON t.id = sc.team_id"
                                   " LEFT JOIN audit_shopper sh ON sh.id = v.shopper_id"
                                   " LEFT JOIN audit au ON au.visit_id = v.id"
                                   " WHERE v.due_at > ? AND v.due_at <= ? ORDER BY v.due_at, sc.name",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, a->n[0]);
  sqlite3_bind_int64 (stmt, 2, a->n[1]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAuditVisitRecord *r = g_new0 (AssayAuditVisitRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->scenario_id = _assay_store_column_dup (stmt, 1);
      r->scenario_name = _assay_store_column_dup (stmt, 2);
      r->channel = _assay_store_column_dup (stmt, 3);
      r->target = _assay_store_column_dup (stmt, 4);
      r->shopper_id = _assay_store_column_dup (stmt, 5);
      r->shopper_name = _assay_store_column_dup (stmt, 6);
      r->due_at = sqlite3_column_int64 (stmt, 7);
      r->status = assay_audit_visit_status (sqlite3_column_int (stmt, 10),
                                            g_strcmp0 (_assay_store_column_text (stmt, 8),
                                                       "cancelled") == 0,
                                            r->due_at, a->n[2]);
      r->audit_id = _assay_store_column_dup (stmt, 9);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&out);
}

static Args *
visits_args (gint64 from_ms,
             gint64 to_ms,
             gint64 now_ms)
{
  Args *a = g_new0 (Args, 1);

  a->n[0] = from_ms;
  a->n[1] = to_ms;
  a->n[2] = now_ms;
  return a;
}

void
assay_store_audits_list_visits_async (AssayStore          *store,
                                      gint64               from_ms,
                                      gint64               to_ms,
                                      gint64               now_ms,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  _assay_store_run_async (store, visits_func, visits_args (from_ms, to_ms, now_ms),
                          (GDestroyNotify) args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_audits_list_visits_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_audits_list_visits_finish (AssayStore    *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_audits_list_visits_sync (AssayStore  *store,
                                     gint64       from_ms,
                                     gint64       to_ms,
                                     gint64       now_ms,
                                     GError     **error)
{
  Args *a = visits_args (from_ms, to_ms, now_ms);
  GPtrArray *out = _assay_store_run_sync (store, visits_func, a, error);

  args_free (a);
  return out;
}

static gpointer
quotas_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_audit_quota_record_free);
  gint64 start, end, now = g_date_time_to_unix (a->when) * 1000
                              + g_date_time_get_microsecond (a->when) / 1000;
  int rc;

  assay_audit_month_bounds (a->when, 0, &start, &end);
  /* targets of active scenarios; audits and visits of every scenario with that target */
  stmt = _assay_store_prepare (db,
    "WITH sc AS (SELECT s.id, s.team_id, s.monthly_quota, s.active,"
    "   coalesce (t.name, s.site, s.queue) AS target FROM audit_scenario s"
    "   LEFT JOIN team t ON t.id = s.team_id)"
    " SELECT sc.target, max (sc.team_id), sum (CASE WHEN sc.active THEN sc.monthly_quota ELSE 0 END),"
    "  (SELECT count(*) FROM audit a JOIN sc s2 ON s2.id = a.scenario_id"
    "   WHERE s2.target = sc.target AND a.state = 'submitted'"
    "   AND a.visited_at >= ?1 AND a.visited_at < ?2),"
    "  (SELECT count(*) FROM audit_visit v JOIN sc s2 ON s2.id = v.scenario_id"
    "   WHERE s2.target = sc.target AND v.state = 'planned' AND v.due_at > ?1 AND v.due_at <= ?2),"
    "  (SELECT count(*) FROM audit_visit v JOIN sc s2 ON s2.id = v.scenario_id"
    "   WHERE s2.target = sc.target AND v.state = 'planned' AND v.due_at > ?1 AND v.due_at <= ?2"
    "   AND v.due_at <= ?3 AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.visit_id = v.id"
    "   AND a.state = 'submitted'))"
    " FROM sc GROUP BY sc.target HAVING max (sc.active) = 1 ORDER BY sc.target", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  sqlite3_bind_int64 (stmt, 3, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAuditQuotaRecord *r = g_new0 (AssayAuditQuotaRecord, 1);

      r->target = _assay_store_column_dup (stmt, 0);
      r->team_id = _assay_store_column_dup (stmt, 1);
      r->quota = sqlite3_column_int (stmt, 2);
      r->done = sqlite3_column_int (stmt, 3);
      r->scheduled = sqlite3_column_int (stmt, 4);
      r->overdue = sqlite3_column_int (stmt, 5);
      r->due = assay_audit_quota_due (r->quota, r->done);
      r->behind = assay_audit_quota_behind (r->quota, r->done, start, end, now);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&out);
}

void
assay_store_audits_quotas_async (AssayStore          *store,
                                 GDateTime           *now,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Args *a = g_new0 (Args, 1);

  a->when = g_date_time_ref (now);
  _assay_store_run_async (store, quotas_func, a, (GDestroyNotify) args_free,
                          (GDestroyNotify) g_ptr_array_unref, assay_store_audits_quotas_async,
                          cancellable, callback, user_data);
}

GPtrArray *
assay_store_audits_quotas_finish (AssayStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_audits_quotas_sync (AssayStore  *store,
                                GDateTime   *now,
                                GError     **error)
{
  Args *a = g_new0 (Args, 1);
  GPtrArray *out;

  a->when = g_date_time_ref (now);
  out = _assay_store_run_sync (store, quotas_func, a, error);
  args_free (a);
  return out;
}
