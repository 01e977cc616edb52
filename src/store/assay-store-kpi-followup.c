/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * assay-store-kpi-followup.c: what follows a figure up — the centre's root causes, their tags
 * on evaluations, callbacks and breached KPIs, the Pareto of a period, and the low-score
 * callbacks (docs/kpi.md, "Root causes and callbacks"). The figures themselves and the summary
 * tables are assay-store-kpi.c.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "assay-store-kpi.h"
#include "assay-store-evaluations.h"
#include "assay-store-private.h"
#include "assay-store-kpi-private.h"
#include "core/assay-interaction.h"
#include "core/assay-util.h"

static const char *const categories[] = {
  "people", "process", "technology", "resources", "environment",
};

static const char *const callback_states[] = { "to_call", "called", "resolved", "unreachable" };

/* ---- root causes ---- */

void
assay_kpi_root_cause_free (AssayKpiRootCause *cause)
{
  if (cause == NULL)
    return;
  g_free (cause->id);
  g_free (cause->category);
  g_free (cause->sub_cause);
  g_free (cause);
}

static gboolean
is_category (const char *category)
{
  for (guint i = 0; category != NULL && i < G_N_ELEMENTS (categories); i++)
    if (strcmp (category, categories[i]) == 0)
      return TRUE;
  return FALSE;
}

typedef struct {
  char           *a;        /* category / root cause id / interaction id */
  char           *b;        /* sub-cause / object id / owner id */
  char           *c;        /* state */
  char           *d;        /* note */
  AssayKpiTagKind kind;
  AssayKpiLine    line;
  int             from_day;
  int             to_day;
  gint64          time;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *w = data;

  g_free (w->a);
  g_free (w->b);
  g_free (w->c);
  g_free (w->d);
  g_free (w);
}

static gpointer
add_root_cause_locked (sqlite3  *db,
                       gpointer  data,
                       GError  **error)
{
  WriteData *w = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *id = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT id FROM root_cause WHERE category = ?1"
                                   " AND sub_cause = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, w->a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, w->b, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _assay_store_column_dup (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  id = assay_uuid_new ();
  stmt = _assay_store_prepare (db, "INSERT INTO root_cause (id, category, sub_cause, created_at,"
                                   " dirty) VALUES (?1, ?2, ?3, ?4, 1)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, w->a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, w->b, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, w->a);
  json_builder_set_member_name (b, "subCause");
  json_builder_add_string_value (b, w->b);
  json_builder_end_object (b);
  if (!_assay_store_kpi_queue_operation (db, "root_causes", id, "create", b, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
add_root_cause_func (sqlite3       *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  WriteData *w = data;

  if (!is_category (w->a))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "'%s' is not a root-cause category: use people, process, technology, "
                   "resources or environment", w->a ? w->a : "");
      return NULL;
    }
  return _assay_store_in_transaction (db, add_root_cause_locked, data, g_free, error);
}

char *
assay_store_kpi_add_root_cause_sync (AssayStore  *self,
                                     const char  *category,
                                     const char  *sub_cause,
                                     GError     **error)
{
  WriteData *w = g_new0 (WriteData, 1);
  char *id;

  w->a = g_strdup (category);
  w->b = g_strstrip (g_strdup (sub_cause ? sub_cause : ""));
  id = _assay_store_run_sync (self, add_root_cause_func, w, error);
  write_data_free (w);
  return id;
}

static gpointer
list_root_causes_func (sqlite3       *db,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_kpi_root_cause_free);
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db,
    "SELECT id, category, sub_cause FROM root_cause WHERE active = 1"
    " ORDER BY CASE category WHEN 'people' THEN 0 WHEN 'process' THEN 1 WHEN 'technology' THEN 2"
    " WHEN 'resources' THEN 3 ELSE 4 END, sub_cause", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayKpiRootCause *c = g_new0 (AssayKpiRootCause, 1);

      c->id = _assay_store_column_dup (stmt, 0);
      c->category = _assay_store_column_dup (stmt, 1);
      c->sub_cause = _assay_store_column_dup (stmt, 2);
      g_ptr_array_add (causes, c);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&causes);
}

GPtrArray *
assay_store_kpi_list_root_causes_sync (AssayStore  *self,
                                       GError     **error)
{
  return _assay_store_run_sync (self, list_root_causes_func, NULL, error);
}

static const char *const tag_kinds[] = { "evaluation", "callback", "kpi_breach" };

static gpointer
tag_locked (sqlite3  *db,
            gpointer  data,
            GError  **error)
{
  WriteData *w = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(AssayStaffRecord) me = NULL;
  g_autofree char *id = assay_uuid_new ();
  gboolean exists = FALSE;
  gboolean breach = w->kind == ASSAY_KPI_TAG_KPI_BREACH;

  if (!_assay_store_kpi_row_exists (db, "SELECT 1 FROM root_cause WHERE id = ?1", w->a, &exists, error))
    return NULL;
  if (!exists)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "There is no root cause with the id %s", w->a);
      return NULL;
    }
  if (w->kind == ASSAY_KPI_TAG_EVALUATION
      && !_assay_store_kpi_row_exists (db, "SELECT 1 FROM evaluation WHERE id = ?1", w->b, &exists, error))
    return NULL;
  if (w->kind == ASSAY_KPI_TAG_CALLBACK
      && !_assay_store_kpi_row_exists (db, "SELECT 1 FROM callback WHERE id = ?1", w->b, &exists, error))
    return NULL;
  if (breach && strcmp (w->b, "centre") != 0
      && !_assay_store_kpi_row_exists (db, "SELECT 1 FROM agent WHERE id = ?1 UNION ALL"
                          " SELECT 1 FROM team WHERE id = ?1", w->b, &exists, error))
    return NULL;
  if (!exists)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "There is no %s with the id %s to tag",
                   breach ? "agent or team" : tag_kinds[w->kind], w->b);
      return NULL;
    }
  me = _assay_store_get_me_locked (db, error);
  if (me == NULL)
    return NULL;

  stmt = _assay_store_prepare (db, "INSERT INTO root_cause_tag (id, root_cause_id, kind, object_id,"
                                   " kpi, from_day, to_day, author_id, created_at, dirty,"
                                   " contact_at, contact_team_id)"
                                   " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1,"
                                   "  i.started_at, i.team_id FROM (SELECT 1)"
                                   " LEFT JOIN evaluation e ON ?3 = 'evaluation' AND e.id = ?4"
                                   " LEFT JOIN callback c ON ?3 = 'callback' AND c.id = ?4"
                                   " LEFT JOIN interaction i"
                                   "  ON i.id = coalesce (e.interaction_id, c.interaction_id)",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, w->a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tag_kinds[w->kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, w->b, -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (stmt, 5, breach ? assay_kpi_line_key (w->line) : NULL);
  _assay_store_bind_int_or_null (stmt, 6, w->from_day, !breach);
  _assay_store_bind_int_or_null (stmt, 7, w->to_day, !breach);
  sqlite3_bind_text (stmt, 8, me->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rootCauseId");
  json_builder_add_string_value (b, w->a);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, tag_kinds[w->kind]);
  json_builder_set_member_name (b, "objectId");
  json_builder_add_string_value (b, w->b);
  if (breach)
    {
      g_autofree char *from = assay_kpi_day_format (w->from_day);
      g_autofree char *to = assay_kpi_day_format (w->to_day);

      json_builder_set_member_name (b, "kpi");
      json_builder_add_string_value (b, assay_kpi_line_key (w->line));
      json_builder_set_member_name (b, "from");
      json_builder_add_string_value (b, from);
      json_builder_set_member_name (b, "to");
      json_builder_add_string_value (b, to);
    }
  json_builder_end_object (b);
  if (!_assay_store_kpi_queue_operation (db, "root_cause_tags", id, "create", b, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
tag_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  WriteData *w = data;

  if ((guint) w->kind > ASSAY_KPI_TAG_KPI_BREACH || w->a == NULL || w->b == NULL
      || (w->kind == ASSAY_KPI_TAG_KPI_BREACH
          && ((guint) w->line >= ASSAY_KPI_N_LINES || w->to_day < w->from_day)))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "A root-cause tag needs a root cause and what it tags; a breach also its "
                   "KPI and a period that ends on or after it starts");
      return NULL;
    }
  return _assay_store_in_transaction (db, tag_locked, data, g_free, error);
}

char *
assay_store_kpi_tag_sync (AssayStore       *self,
                          const char       *root_cause_id,
                          AssayKpiTagKind   kind,
                          const char       *object_id,
                          AssayKpiLine      line,
                          int               from_day,
                          int               to_day,
                          GError          **error)
{
  WriteData *w = g_new0 (WriteData, 1);
  char *id;

  w->a = g_strdup (root_cause_id);
  w->b = g_strdup (object_id);
  w->kind = kind;
  w->line = line;
  w->from_day = from_day;
  w->to_day = to_day;
  id = _assay_store_run_sync (self, tag_func, w, error);
  write_data_free (w);
  return id;
}

static gpointer
untag_locked (sqlite3  *db,
              gpointer  data,
              GError  **error)
{
  WriteData *w = data;
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, "DELETE FROM root_cause_tag"
                                                           " WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, w->a, -1, SQLITE_STATIC);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "There is no root-cause tag with the id %s", w->a);
      return NULL;
    }
  if (!_assay_store_kpi_queue_operation (db, "root_cause_tags", w->a, "delete", NULL, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
untag_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return _assay_store_in_transaction (db, untag_locked, data, NULL, error);
}

gboolean
assay_store_kpi_untag_sync (AssayStore  *self,
                            const char  *tag_id,
                            GError     **error)
{
  WriteData *w = g_new0 (WriteData, 1);
  gboolean ok;

  w->a = g_strdup (tag_id);
  ok = _assay_store_run_sync (self, untag_func, w, error) != NULL;
  write_data_free (w);
  return ok;
}

void
assay_kpi_tag_free (AssayKpiTag *tag)
{
  if (tag == NULL)
    return;
  g_free (tag->id);
  g_free (tag->root_cause_id);
  g_free (tag->category);
  g_free (tag->sub_cause);
  g_free (tag);
}

static gpointer
list_tags_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  WriteData *w = data;
  gboolean breach = w->kind == ASSAY_KPI_TAG_KPI_BREACH;
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_kpi_tag_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if ((guint) w->kind > ASSAY_KPI_TAG_KPI_BREACH || w->b == NULL
      || (breach && ((guint) w->line >= ASSAY_KPI_N_LINES || w->to_day < w->from_day)))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "Listing tags needs what they tag; a breach also its KPI and a period that "
                   "ends on or after it starts");
      return NULL;
    }
  stmt = _assay_store_prepare (db,
    "SELECT t.id, c.id, c.category, c.sub_cause FROM root_cause_tag t"
    " JOIN root_cause c ON c.id = t.root_cause_id"
    " WHERE t.kind = ?1 AND t.object_id = ?2"
    "  AND (?1 <> 'kpi_breach' OR (t.kpi = ?3 AND t.from_day = ?4 AND t.to_day = ?5))"
    " ORDER BY CASE c.category WHEN 'people' THEN 0 WHEN 'process' THEN 1"
    "  WHEN 'technology' THEN 2 WHEN 'resources' THEN 3 ELSE 4 END, c.sub_cause, t.created_at",
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, tag_kinds[w->kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, w->b, -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (stmt, 3, breach ? assay_kpi_line_key (w->line) : NULL);
  _assay_store_bind_int_or_null (stmt, 4, w->from_day, !breach);
  _assay_store_bind_int_or_null (stmt, 5, w->to_day, !breach);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayKpiTag *t = g_new0 (AssayKpiTag, 1);

      t->id = _assay_store_column_dup (stmt, 0);
      t->root_cause_id = _assay_store_column_dup (stmt, 1);
      t->category = _assay_store_column_dup (stmt, 2);
      t->sub_cause = _assay_store_column_dup (stmt, 3);
      g_ptr_array_add (tags, t);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&tags);
}

GPtrArray *
assay_store_kpi_list_tags_sync (AssayStore       *self,
                                AssayKpiTagKind   kind,
                                const char       *object_id,
                                AssayKpiLine      line,
                                int               from_day,
                                int               to_day,
                                GError          **error)
{
  WriteData *w = g_new0 (WriteData, 1);
  GPtrArray *tags;

  w->b = g_strdup (object_id);
  w->kind = kind;
  w->line = line;
  w->from_day = from_day;
  w->to_day = to_day;
  tags = _assay_store_run_sync (self, list_tags_func, w, error);
  write_data_free (w);
  return tags;
}

static gpointer
pareto_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  WriteData *w = data;
  g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_kpi_root_cause_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_assay_store_kpi_check_period (w->from_day, w->to_day, error))
    return NULL;
  /* tags on evaluations and callbacks carry their contact's start and team, so only the tags
   * of the period are read */
  stmt = _assay_store_prepare (db,
    "SELECT rc.id, rc.category, rc.sub_cause, count(*), sum (x.kind = 'callback'), total (x.lost)"
    " FROM (SELECT t.root_cause_id AS cause, t.kind AS kind,"
    "         CASE WHEN t.kind = 'evaluation' THEN max (0, 100 - coalesce ((SELECT r.score"
    "           FROM evaluation_revision r INDEXED BY evaluation_revision_score"
    "           WHERE r.id = e.current_revision_id), 100)) END AS lost"
    "       FROM root_cause_tag t"
    "       LEFT JOIN evaluation e ON t.kind = 'evaluation' AND e.id = t.object_id"
    "       WHERE t.contact_at >= ?3 AND t.contact_at < ?4"
    "         AND (?5 IS NULL OR t.contact_team_id = ?5)"
    "         AND (t.kind = 'callback' OR e.state = 'submitted')"
    "       UNION ALL"
    "       SELECT t.root_cause_id, t.kind, NULL FROM root_cause_tag t"
    "       WHERE t.kind = 'kpi_breach' AND t.from_day <= ?2 AND t.to_day >= ?1"
    "         AND (?5 IS NULL OR t.object_id = ?5)) AS x"
    " JOIN root_cause rc ON rc.id = x.cause"
    " GROUP BY rc.id ORDER BY 6 DESC, 4 DESC, rc.category, rc.sub_cause", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, w->from_day);
  sqlite3_bind_int (stmt, 2, w->to_day);
  sqlite3_bind_int64 (stmt, 3, _assay_store_kpi_day_start_ms (w->from_day));
  sqlite3_bind_int64 (stmt, 4, _assay_store_kpi_day_start_ms (w->to_day + 1));
  _assay_store_bind_text_or_null (stmt, 5, w->a);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayKpiRootCause *c = g_new0 (AssayKpiRootCause, 1);

      c->id = _assay_store_column_dup (stmt, 0);
      c->category = _assay_store_column_dup (stmt, 1);
      c->sub_cause = _assay_store_column_dup (stmt, 2);
      c->n_tags = sqlite3_column_int64 (stmt, 3);
      c->n_complaints = sqlite3_column_int64 (stmt, 4);
      c->lost_points = sqlite3_column_double (stmt, 5);
      g_ptr_array_add (causes, c);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&causes);
}

static WriteData *
pareto_data_new (int         from_day,
                 int         to_day,
                 const char *team_id)
{
  WriteData *w = g_new0 (WriteData, 1);

  w->a = g_strdup (team_id);
  w->from_day = from_day;
  w->to_day = to_day;
  return w;
}

void
assay_store_kpi_root_cause_pareto_async (AssayStore          *self,
                                         int                  from_day,
                                         int                  to_day,
                                         const char          *team_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  _assay_store_run_async (self, pareto_func, pareto_data_new (from_day, to_day, team_id),
                          write_data_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_kpi_root_cause_pareto_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_kpi_root_cause_pareto_finish (AssayStore    *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_kpi_root_cause_pareto_async),
                        NULL);
  return _assay_store_run_finish (self, result, error);
}

GPtrArray *
assay_store_kpi_root_cause_pareto_sync (AssayStore  *self,
                                        int          from_day,
                                        int          to_day,
                                        const char  *team_id,
                                        GError     **error)
{
  WriteData *w = pareto_data_new (from_day, to_day, team_id);
  GPtrArray *causes = _assay_store_run_sync (self, pareto_func, w, error);

  write_data_free (w);
  return causes;
}

/* ---- callbacks ---- */

void
assay_kpi_callback_free (AssayKpiCallback *callback)
{
  if (callback == NULL)
    return;
  g_free (callback->id);
  g_free (callback->interaction_id);
  g_free (callback->agent_id);
  g_free (callback->agent_name);
  g_free (callback->team_id);
  g_free (callback->channel);
  g_free (callback->reason);
  g_free (callback->owner_id);
  g_free (callback->owner_name);
  g_free (callback->state);
  g_free (callback->note);
  g_free (callback);
}

void
assay_kpi_callback_query_init (AssayKpiCallbackQuery *query,
                               int                    from_day,
                               int                    to_day)
{
  memset (query, 0, sizeof *query);
  query->from_day = from_day;
  query->to_day = to_day;
  query->csat_max = 2;
  query->nps_max = 6;
  query->due_hours = 48;
  query->max_rows = 500;
}

typedef struct {
  AssayKpiCallbackQuery query;
  char                 *team_id;
} CallbackQueryData;

static void
callback_query_data_free (gpointer data)
{
  CallbackQueryData *q = data;

  g_free (q->team_id);
  g_free (q);
}

static CallbackQueryData *
callback_query_data_new (const AssayKpiCallbackQuery *query)
{
  CallbackQueryData *q = g_new0 (CallbackQueryData, 1);

  q->query = *query;
  q->team_id = g_strdup (query->team_id);
  q->query.team_id = q->team_id;
  return q;
}

/* the lists of low answers are bound one value a slot (unused slots NULL), so SQLite can walk
 * the (csat, started_at) and (nps, started_at) indexes a value at a time */
#define CSAT_SLOTS 5
#define NPS_SLOTS 11

#define CALLBACKS_SQL(TEAM) \
  "SELECT i.id, i.agent_id, a.name, i.team_id, i.channel, i.started_at, i.csat, i.nps," \
  "  c.id, c.owner_id, s.name, c.state, c.note, c.due_at" \
  " FROM (SELECT rowid AS low, started_at AS at FROM interaction" \
  "       WHERE csat IN (?4, ?5, ?6, ?7, ?8) AND started_at >= ?1 AND started_at < ?2" TEAM \
  "       UNION SELECT rowid, started_at FROM interaction" \
  "       WHERE nps IN (?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)" \
  "         AND started_at >= ?1 AND started_at < ?2" TEAM \
  "       ORDER BY at DESC, low LIMIT ?20) AS pick" \
  " JOIN interaction i ON i.rowid = pick.low JOIN agent a ON a.id = i.agent_id" \
  " LEFT JOIN callback c ON c.interaction_id = i.id LEFT JOIN staff s ON s.id = c.owner_id" \
  " ORDER BY i.started_at DESC, i.rowid"

static gpointer
callbacks_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  CallbackQueryData *q = data;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_kpi_callback_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = q->query.now_ms > 0 ? q->query.now_ms : assay_now_ms ();
  gint64 due_ms = (gint64) MAX (q->query.due_hours, 0) * 3600 * 1000;
  int rc;

  if (!_assay_store_kpi_check_period (q->query.from_day, q->query.to_day, error))
    return NULL;
  /* the newest low-score contacts first, from the (csat, started_at) and (nps, started_at)
   * indexes alone; only those kept are read from the table */
  stmt = _assay_store_prepare (db, q->query.team_id == NULL ? CALLBACKS_SQL ("") :
                               CALLBACKS_SQL (" AND team_id = ?3"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, _assay_store_kpi_day_start_ms (q->query.from_day));
  sqlite3_bind_int64 (stmt, 2, _assay_store_kpi_day_start_ms (q->query.to_day + 1));
  if (q->query.team_id != NULL)
    sqlite3_bind_text (stmt, 3, q->query.team_id, -1, SQLITE_STATIC);
  for (int v = 0; v < CSAT_SLOTS; v++)
    _assay_store_bind_int_or_null (stmt, 4 + v, v + 1, v + 1 > q->query.csat_max);
  for (int v = 0; v < NPS_SLOTS; v++)
    _assay_store_bind_int_or_null (stmt, 4 + CSAT_SLOTS + v, v, v > q->query.nps_max);
  sqlite3_bind_int64 (stmt, 20, q->query.max_rows > 0 ? (gint64) q->query.max_rows : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayKpiCallback *c = g_new0 (AssayKpiCallback, 1);

      c->interaction_id = _assay_store_column_dup (stmt, 0);
      c->agent_id = _assay_store_column_dup (stmt, 1);
      c->agent_name = _assay_store_column_dup (stmt, 2);
      c->team_id = _assay_store_column_dup (stmt, 3);
      c->channel = _assay_store_column_dup (stmt, 4);
      c->started_at = sqlite3_column_int64 (stmt, 5);
      c->csat = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 6);
      c->nps = sqlite3_column_type (stmt, 7) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 7);
      c->reason = g_strdup (c->csat >= 1 && c->csat <= q->query.csat_max ? "low_csat" : "low_nps");
      c->id = _assay_store_column_dup (stmt, 8);
      c->owner_id = _assay_store_column_dup (stmt, 9);
      c->owner_name = _assay_store_column_dup (stmt, 10);
      c->state = c->id ? _assay_store_column_dup (stmt, 11) : g_strdup ("to_call");
      c->note = c->id ? _assay_store_column_dup (stmt, 12) : g_strdup ("");
      c->due_at = sqlite3_column_type (stmt, 13) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 13)
                                                                : c->started_at + due_ms;
      c->overdue = strcmp (c->state, "to_call") == 0 && c->due_at < now;
      g_ptr_array_add (list, c);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

void
assay_store_kpi_callbacks_async (AssayStore                  *self,
                                 const AssayKpiCallbackQuery *query,
                                 GCancellable                *cancellable,
                                 GAsyncReadyCallback          callback,
                                 gpointer                     user_data)
{
  _assay_store_run_async (self, callbacks_func, callback_query_data_new (query),
                          callback_query_data_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_kpi_callbacks_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_kpi_callbacks_finish (AssayStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, assay_store_kpi_callbacks_async), NULL);
  return _assay_store_run_finish (self, result, error);
}

GPtrArray *
assay_store_kpi_callbacks_sync (AssayStore                   *self,
                                const AssayKpiCallbackQuery  *query,
                                GError                      **error)
{
  CallbackQueryData *q = callback_query_data_new (query);
  GPtrArray *list = _assay_store_run_sync (self, callbacks_func, q, error);

  callback_query_data_free (q);
  return list;
}

static gpointer
save_callback_locked (sqlite3  *db,
                      gpointer  data,
                      GError  **error)
{
  WriteData *w = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *id = NULL;
  const char *reason;
  int csat, nps, rc;
  gint64 now = assay_now_ms ();
  gboolean is_new;

  stmt = _assay_store_prepare (db, "SELECT i.csat, i.nps, c.id FROM interaction i"
                                   " LEFT JOIN callback c ON c.interaction_id = i.id"
                                   " WHERE i.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, w->a, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   "There is no contact with the id %s", w->a);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  csat = _assay_store_column_int_or_none (stmt, 0);
  nps = _assay_store_column_int_or_none (stmt, 1);
  id = _assay_store_column_dup (stmt, 2);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (csat == ASSAY_NONE && nps == ASSAY_NONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "The contact %s has no survey answer, so it cannot be called back about one",
                   w->a);
      return NULL;
    }
  /* the reason is the worse of the two answers, CSAT first */
  reason = csat != ASSAY_NONE && (csat <= 2 || nps == ASSAY_NONE || nps > 6) ? "low_csat" : "low_nps";

  if (w->b != NULL)
    {
      gboolean exists = FALSE;

      if (!_assay_store_kpi_row_exists (db, "SELECT 1 FROM staff WHERE id = ?1", w->b, &exists, error))
        return NULL;
      if (!exists)
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                       "There is no staff member with the id %s to own the callback", w->b);
          return NULL;
        }
    }

  is_new = id == NULL;
  if (is_new)
    {
      id = assay_uuid_new ();
      stmt = _assay_store_prepare (db, "INSERT INTO callback (id, interaction_id, reason, owner_id,"
                                       " state, note, due_at, created_at, updated_at, dirty)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, 1)", error);
    }
  else
    stmt = _assay_store_prepare (db, "UPDATE callback SET interaction_id = ?2, reason = ?3,"
                                     " owner_id = ?4, state = ?5, note = ?6, due_at = ?7,"
                                     " updated_at = ?8, dirty = 1 WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, w->a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (stmt, 4, w->b);
  sqlite3_bind_text (stmt, 5, w->c, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, w->d ? w->d : "", -1, SQLITE_STATIC);
  _assay_store_bind_int_or_null (stmt, 7, w->time, w->time == 0);
  sqlite3_bind_int64 (stmt, 8, now);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "interactionId");
  json_builder_add_string_value (b, w->a);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "ownerId");
  if (w->b)
    json_builder_add_string_value (b, w->b);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, w->c);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, w->d ? w->d : "");
  json_builder_set_member_name (b, "dueAt");
  if (w->time != 0)
    json_builder_add_int_value (b, w->time);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  if (!_assay_store_kpi_queue_operation (db, "callbacks", id, is_new ? "create" : "update", b, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
save_callback_func (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  WriteData *w = data;
  gboolean known = FALSE;

  for (guint i = 0; w->c != NULL && i < G_N_ELEMENTS (callback_states); i++)
    known = known || strcmp (w->c, callback_states[i]) == 0;
  if (!known || w->a == NULL)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "'%s' is not a callback state: use to_call, called, resolved or unreachable",
                   w->c ? w->c : "");
      return NULL;
    }
  return _assay_store_in_transaction (db, save_callback_locked, data, g_free, error);
}

char *
assay_store_kpi_save_callback_sync (AssayStore  *self,
                                    const char  *interaction_id,
                                    const char  *owner_id,
                                    const char  *state,
                                    const char  *note,
                                    gint64       due_at,
                                    GError     **error)
{
  WriteData *w = g_new0 (WriteData, 1);
  char *id;

  w->a = g_strdup (interaction_id);
  w->b = g_strdup (owner_id);
  w->c = g_strdup (state);
  w->d = g_strdup (note);
  w->time = due_at;
  id = _assay_store_run_sync (self, save_callback_func, w, error);
  write_data_free (w);
  return id;
}

