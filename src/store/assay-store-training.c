/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "core/assay-util.h"
#include "assay-store-coaching-private.h"
#include "assay-store-private.h"
#include "assay-store-training.h"

#define DAY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))

void
assay_training_assignment_record_free (AssayTrainingAssignmentRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->plan_id);
  g_free (r->plan_title);
  g_free (r->agent_id);
  g_free (r->agent_name);
  g_free (r);
}

/* ---- rules ---- */

#define NEW_HIRE_SQL \
  "SELECT ag.id FROM agent ag WHERE ag.active = 1 AND (?3 IS NULL OR ag.team_id = ?3)" \
  " AND (SELECT min (i.started_at) FROM interaction i WHERE i.agent_id = ag.id) >= ?1" \
  " ORDER BY ag.id"

#define FAILED_ITEM_SQL \
  "SELECT ag.id FROM agent ag WHERE ag.active = 1 AND (?3 IS NULL OR ag.team_id = ?3)" \
  " AND (SELECT count(*) FROM interaction i JOIN evaluation e ON e.interaction_id = i.id" \
  "   JOIN evaluation_revision r ON r.id = e.current_revision_id" \
  "   WHERE i.agent_id = ag.id AND i.started_at >= ?1 AND i.started_at <= ?2" \
  "   AND e.state = 'submitted' AND json_extract (r.answers, ?4) = 'no') >= 2" \
  " ORDER BY ag.id"

static GPtrArray *
rule_agents (sqlite3     *db,
             const char  *rule,
             const char  *item_id,
             const char  *team_id,
             gint64       now,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  gboolean new_hire = g_strcmp0 (rule, "new_hire") == 0;
  int rc;

  if (!new_hire && g_strcmp0 (rule, "failed_item") != 0)
    return _assay_coaching_invalid (error, _("A plan's rule is new hires or a failed item")),
           NULL;
  if (!new_hire && (item_id == NULL || *item_id == '\0'))
    return _assay_coaching_invalid (error, _("Pick the form item that was failed")), NULL;
  stmt = _assay_store_prepare (db, new_hire ? NEW_HIRE_SQL : FAILED_ITEM_SQL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now - (new_hire ? ASSAY_TRAINING_NEW_HIRE_DAYS
                                                : ASSAY_TRAINING_FAILED_DAYS) * DAY_MS);
  sqlite3_bind_int64 (stmt, 2, now);
  _assay_store_bind_text_or_null (stmt, 3, team_id);
  if (!new_hire)
    {
      path = g_strdup_printf ("$.answers.\"%s\".value", item_id);
      sqlite3_bind_text (stmt, 4, path, -1, SQLITE_TRANSIENT);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, _assay_store_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&ids);
}

typedef struct {
  const AssayTrainingPlanSpec *spec;
  const char                  *plan_id;
  gint64                       now;
  char                        *id;
  gint                         added;
  gboolean                     flag;
} TrainingCall;

/* Assigns @plan_id to @agent_id due @due_at unless it has it; counts what it added. */
static gboolean
assign (sqlite3     *db,
        const char  *plan_id,
        const char  *agent_id,
        gint64       due_at,
        gint64       now,
        gint        *added,
        GError     **error)
{
  g_autofree char *id = assay_uuid_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "INSERT OR IGNORE INTO training_assignment (id, plan_id,"
                                   " agent_id, due_at, created_at) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, plan_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, agent_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, due_at);
  sqlite3_bind_int64 (stmt, 5, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return _assay_coaching_invalid (error, _("An agent of the plan is not in the directory"));
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  if (sqlite3_changes (db) == 0)
    return TRUE;
  (*added)++;
  return _assay_coaching_queue_row (db, "training_assignment", "training_assignments", id,
                                    "create", error);
}

static gboolean
apply_locked (sqlite3     *db,
              const char  *plan_id,
              gint64       now,
              gint        *added,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *team_id = NULL;
  gint64 due_days;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT rule, item_id, team_id, due_days FROM training_plan"
                                   " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, plan_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return _assay_coaching_invalid (error, _("The training plan no longer exists"));
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error);
  rule = _assay_store_column_dup (stmt, 0);
  item_id = _assay_store_column_dup (stmt, 1);
  team_id = _assay_store_column_dup (stmt, 2);
  due_days = sqlite3_column_int64 (stmt, 3);
  if (g_strcmp0 (rule, "manual") == 0)
    return TRUE;
  agents = rule_agents (db, rule, item_id, team_id, now, error);
  if (agents == NULL)
    return FALSE;
  for (guint i = 0; i < agents->len; i++)
    if (!assign (db, plan_id, g_ptr_array_index (agents, i), now + due_days * DAY_MS, now, added,
                 error))
      return FALSE;
  return TRUE;
}

static gboolean
create_plan_locked (sqlite3  *db,
                    gpointer  data,
                    GError  **error)
{
  TrainingCall *c = data;
  const AssayTrainingPlanSpec *s = c->spec;
  g_autofree char *id = assay_uuid_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *rule = s->rule != NULL ? s->rule : "manual";
  int rc;

  if (s->title == NULL || *s->title == '\0')
    return _assay_coaching_invalid (error, _("Give the training plan a title"));
  if (g_strcmp0 (rule, "manual") == 0 && (s->agent_ids == NULL || s->agent_ids[0] == NULL))
    return _assay_coaching_invalid (error, _("Pick the agents to train, or assign the plan by "
                                             "a rule"));
  if (g_strcmp0 (rule, "manual") != 0)
    {
      /* the rule must be one we know before anything is written */
      g_autoptr(GPtrArray) probe = rule_agents (db, rule, s->item_id, s->team_id, c->now, error);

      if (probe == NULL)
        return FALSE;
    }
  stmt = _assay_store_prepare (db, "INSERT INTO training_plan (id, title, course_id, team_id,"
                                   " rule, item_id, due_days, created_by, created_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, s->title, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 3, s->course_id);
  _assay_store_bind_text_or_null (stmt, 4, s->team_id);
  sqlite3_bind_text (stmt, 5, rule, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 6, s->item_id);
  sqlite3_bind_int64 (stmt, 7, s->due_days);
  _assay_store_bind_text_or_null (stmt, 8, s->created_by);
  sqlite3_bind_int64 (stmt, 9, c->now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return _assay_coaching_invalid (error, _("The plan's course, team or author is not known "
                                             "here; sync or pick another"));
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  if (!_assay_coaching_queue_row (db, "training_plan", "training_plans", id, "create", error))
    return FALSE;
  if (g_strcmp0 (rule, "manual") == 0)
    {
      for (guint i = 0; s->agent_ids[i] != NULL; i++)
        if (!assign (db, id, s->agent_ids[i], c->now + s->due_days * DAY_MS, c->now, &c->added,
                     error))
          return FALSE;
    }
  else if (!apply_locked (db, id, c->now, &c->added, error))
    return FALSE;
  c->id = g_steal_pointer (&id);
  return TRUE;
}

static gpointer
create_plan_func (sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return _assay_store_in_transaction_ok (db, create_plan_locked, data, error)
         ? GINT_TO_POINTER (1) : NULL;
}

char *
assay_store_create_training_plan_sync (AssayStore                  *store,
                                       const AssayTrainingPlanSpec *spec,
                                       gint64                       now_ms,
                                       GError                     **error)
{
  TrainingCall c = { .spec = spec, .now = now_ms };

  if (_assay_store_run_sync (store, create_plan_func, &c, error) == NULL)
    {
      g_free (c.id);
      return NULL;
    }
  return c.id;
}

static gboolean
apply_func_locked (sqlite3  *db,
                   gpointer  data,
                   GError  **error)
{
  TrainingCall *c = data;

  return apply_locked (db, c->plan_id, c->now, &c->added, error);
}

static gpointer
apply_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return _assay_store_in_transaction_ok (db, apply_func_locked, data, error)
         ? GINT_TO_POINTER (1) : NULL;
}

gint
assay_store_apply_training_rule_sync (AssayStore  *store,
                                      const char  *plan_id,
                                      gint64       now_ms,
                                      GError     **error)
{
  TrainingCall c = { .plan_id = plan_id, .now = now_ms };

  if (_assay_store_run_sync (store, apply_func, &c, error) == NULL)
    return -1;
  return c.added;
}

typedef struct {
  const char *rule;
  const char *item_id;
  const char *team_id;
  gint64      now;
} RuleRead;

static gpointer
rule_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  RuleRead *r = data;
  GPtrArray *ids = rule_agents (db, r->rule, r->item_id, r->team_id, r->now, error);

  if (ids == NULL)
    return NULL;
  g_ptr_array_add (ids, NULL);
  return g_ptr_array_free (ids, FALSE);
}

char **
assay_store_training_rule_agents_sync (AssayStore  *store,
                                       const char  *rule,
                                       const char  *item_id,
                                       const char  *team_id,
                                       gint64       now_ms,
                                       GError     **error)
{
  RuleRead r = { rule, item_id, team_id, now_ms };

  return _assay_store_run_sync (store, rule_func, &r, error);
}

/* ---- completion and lists ---- */

static gboolean
complete_locked (sqlite3  *db,
                 gpointer  data,
                 GError  **error)
{
  TrainingCall *c = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "UPDATE training_assignment SET completed_at = ?"
                                   " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _assay_store_bind_int_or_null (stmt, 1, assay_now_ms (), !c->flag);
  sqlite3_bind_text (stmt, 2, c->plan_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    return _assay_coaching_invalid (error, _("The training assignment no longer exists"));
  return _assay_coaching_queue_row (db, "training_assignment", "training_assignments",
                                    c->plan_id, "update", error);
}

static gpointer
complete_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  return _assay_store_in_transaction_ok (db, complete_locked, data, error)
         ? GINT_TO_POINTER (1) : NULL;
}

gboolean
assay_store_complete_training_sync (AssayStore  *store,
                                    const char  *assignment_id,
                                    gboolean     completed,
                                    GError     **error)
{
  TrainingCall c = { .plan_id = assignment_id, .flag = completed };

  return _assay_store_run_sync (store, complete_func, &c, error) != NULL;
}

static gpointer
list_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  const char *agent_id = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT t.id, t.plan_id, p.title, t.agent_id, ag.name,"
                                   " t.due_at, t.completed_at FROM training_assignment t"
                                   " JOIN training_plan p ON p.id = t.plan_id"
                                   " JOIN agent ag ON ag.id = t.agent_id"
                                   " WHERE ?1 IS NULL OR t.agent_id = ?1"
                                   " ORDER BY t.due_at, t.id", error);
  if (stmt == NULL)
    return NULL;
  _assay_store_bind_text_or_null (stmt, 1, agent_id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_training_assignment_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayTrainingAssignmentRecord *r = g_new0 (AssayTrainingAssignmentRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->plan_id = _assay_store_column_dup (stmt, 1);
      r->plan_title = _assay_store_column_dup (stmt, 2);
      r->agent_id = _assay_store_column_dup (stmt, 3);
      r->agent_name = _assay_store_column_dup (stmt, 4);
      r->due_at = sqlite3_column_int64 (stmt, 5);
      r->completed_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

GPtrArray *
assay_store_list_training_sync (AssayStore  *store,
                                const char  *agent_id,
                                GError     **error)
{
  return _assay_store_run_sync (store, list_func, (gpointer) agent_id, error);
}
