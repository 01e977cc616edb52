/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "assay-store-records-sync.h"
#include "assay-store-sync-private.h"
#include "assay-store.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"
#include "protocol/assay-sync-json.h"

/*
 * Pulled objects reach the domain tables here: one function per collection, looked up in
 * appliers[] by wire name. They run inside the transaction that applies the page and stores its
 * cursor (assay-store-sync.c), which announces each id through AssayStore::changed. A
 * collection without a row here is kept in sync_object only (users, recordings: the media
 * cache fetches recordings on demand).
 */

struct _AssaySyncApplier {
  sqlite3    *db;
  GHashTable *stmts;      /* SQL text (static) → sqlite3_stmt, for the page */
  GHashTable *forms;      /* form version id → AssayForm, or a NULL value when it does not parse */
};

static void
finalize_stmt (gpointer s)
{
  sqlite3_finalize (s);
}

/* a form that does not parse (or is not here yet) is remembered as NULL */
static void
form_unref_or_null (gpointer form)
{
  if (form != NULL)
    assay_form_unref (form);
}

AssaySyncApplier *
_assay_sync_applier_new (sqlite3 *db)
{
  AssaySyncApplier *a = g_new0 (AssaySyncApplier, 1);

  a->db = db;
  a->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                    finalize_stmt);
  a->forms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    form_unref_or_null);
  return a;
}

void
_assay_sync_applier_free (AssaySyncApplier *a)
{
  if (a == NULL)
    return;
  g_hash_table_unref (a->stmts);
  g_hash_table_unref (a->forms);
  g_free (a);
}

/* A prepared statement for @sql (a string literal), reset and unbound, kept for the page. */
static sqlite3_stmt *
stmt (AssaySyncApplier  *a,
      const char        *sql,
      GError           **error)
{
  sqlite3_stmt *s = g_hash_table_lookup (a->stmts, sql);

  if (s != NULL)
    {
      sqlite3_reset (s);
      sqlite3_clear_bindings (s);
      return s;
    }
  s = _assay_store_prepare (a->db, sql, error);
  if (s != NULL)
    g_hash_table_insert (a->stmts, (gpointer) sql, s);
  return s;
}

gboolean
_assay_sync_run_row (sqlite3       *db,
                     sqlite3_stmt  *s,
                     GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    ;
  sqlite3_reset (s);
  if (rc == SQLITE_DONE)
    return TRUE;
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_debug ("sync: a pulled row was left out of its table: %s", sqlite3_errmsg (db));
      return TRUE;
    }
  return _assay_store_set_error (db, rc, error);
}

static gboolean
run (AssaySyncApplier  *a,
     sqlite3_stmt      *s,
     GError           **error)
{
  return _assay_sync_run_row (a->db, s, error);
}

sqlite3_stmt *
_assay_sync_applier_stmt (AssaySyncApplier  *a,
                          const char        *sql,
                          GError           **error)
{
  return stmt (a, sql, error);
}

sqlite3 *
_assay_sync_applier_db (AssaySyncApplier *a)
{
  return a->db;
}

/* ---- members ---- */

static const char *
str (JsonObject *o,
     const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

/* A whole number, true/false as 1/0; %FALSE when absent or null. */
static gboolean
num (JsonObject *o,
     const char *name,
     gint64     *out)
{
  JsonNode *n = json_object_get_member (o, name);
  GType t;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_BOOLEAN)
    *out = json_node_get_boolean (n) ? 1 : 0;
  else if (t == G_TYPE_INT64)
    *out = json_node_get_int (n);
  else if (t == G_TYPE_DOUBLE)
    *out = (gint64) llround (json_node_get_double (n));
  else
    return FALSE;
  return TRUE;
}

static void
bind_num (sqlite3_stmt *s,
          int           i,
          JsonObject   *o,
          const char   *name)
{
  gint64 v;

  if (num (o, name, &v))
    sqlite3_bind_int64 (s, i, v);
  else
    sqlite3_bind_null (s, i);
}

static void
bind_str (sqlite3_stmt *s,
          int           i,
          const char   *v)
{
  _assay_store_bind_text_or_null (s, i, v);
}

static char *
member_json (JsonObject *o,
             const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && !JSON_NODE_HOLDS_NULL (n) ? assay_sync_canonical_json (n) : NULL;
}

/* ---- the appliers ---- */

typedef gboolean (*ApplyFunc) (AssaySyncApplier  *a,
                               const char        *id,
                               gint64             rev,
                               JsonObject        *data,
                               GError           **error);

static gboolean
apply_team (AssaySyncApplier  *a,
            const char        *id,
            gint64             rev,
            JsonObject        *d,
            GError           **error)
{
  sqlite3_stmt *s = stmt (a, "INSERT INTO team (id, name, lead_id, rev, dirty) VALUES (?1, ?2, ?3, ?4, 0)"
                             " ON CONFLICT (id) DO UPDATE SET name = ?2, lead_id = ?3, rev = ?4, dirty = 0"
                             " WHERE coalesce (team.rev, 0) <= ?4", error);

  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  bind_str (s, 2, str (d, "name") ? str (d, "name") : "");
  bind_str (s, 3, str (d, "leadId"));
  sqlite3_bind_int64 (s, 4, rev);
  return run (a, s, error);
}

static gboolean
apply_staff (AssaySyncApplier  *a,
             const char        *id,
             gint64             rev,
             JsonObject        *d,
             GError           **error)
{
  sqlite3_stmt *s = stmt (a, "INSERT INTO staff (id, name, roles, rev, dirty) VALUES (?1, ?2, ?3, ?4, 0)"
                             " ON CONFLICT (id) DO UPDATE SET name = ?2, roles = ?3, rev = ?4, dirty = 0"
                             " WHERE coalesce (staff.rev, 0) <= ?4", error);
  g_autoptr(GString) roles = g_string_new (NULL);
  JsonNode *n = json_object_get_member (d, "roles");

  if (s == NULL)
    return FALSE;
  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *arr = json_node_get_array (n);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          const char *r = json_array_get_string_element (arr, i);

          if (r == NULL)
            continue;
          if (roles->len > 0)
            g_string_append_c (roles, ',');
          g_string_append (roles, r);
        }
    }
  bind_str (s, 1, id);
  bind_str (s, 2, str (d, "name") ? str (d, "name") : "");
  bind_str (s, 3, roles->len > 0 ? roles->str : "inspector");
  sqlite3_bind_int64 (s, 4, rev);
  return run (a, s, error);
}

static gboolean
apply_agent (AssaySyncApplier  *a,
             const char        *id,
             gint64             rev,
             JsonObject        *d,
             GError           **error)
{
  sqlite3_stmt *s = stmt (a, "INSERT INTO agent (id, team_id, name, employee_code, active, rev, dirty)"
                             " VALUES (?1, (SELECT id FROM team WHERE id = ?2), ?3, ?4, coalesce (?5, 1), ?6, 0)"
                             " ON CONFLICT (id) DO UPDATE SET team_id = excluded.team_id, name = ?3,"
                             " employee_code = ?4, active = excluded.active, rev = ?6, dirty = 0"
                             " WHERE coalesce (agent.rev, 0) <= ?6", error);

  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  bind_str (s, 2, str (d, "teamId"));
  bind_str (s, 3, str (d, "name") ? str (d, "name") : "");
  bind_str (s, 4, str (d, "employeeCode") ? str (d, "employeeCode") : id);
  bind_num (s, 5, d, "active");
  sqlite3_bind_int64 (s, 6, rev);
  return run (a, s, error);
}

static gboolean
apply_interaction (AssaySyncApplier  *a,
                   const char        *id,
                   gint64             rev,
                   JsonObject        *d,
                   GError           **error)
{
  static const char *const facts[] = {
    "waitS", "talkS", "holdS", "wrapS", "csat", "nps", "fcr", "answeredInSl", "abandoned",
    "firstResponseS", "firstResponseTargetS", "resolutionS", "resolutionTargetS",
  };
  sqlite3_stmt *s = stmt (a,
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, customer_ref, started_at,"
    " wait_s, talk_s, hold_s, wrap_s, csat, nps, fcr, answered_in_sl, abandoned,"
    " first_response_s, first_response_target_s, resolution_s, resolution_target_s, priority, rev, dirty)"
    " VALUES (?1, ?2, ?3, ?4, (SELECT id FROM team WHERE id = ?5), ?6, ?7,"
    " ?8, coalesce (?9, 0), coalesce (?10, 0), coalesce (?11, 0), ?12, ?13, ?14, ?15, coalesce (?16, 0),"
    " ?17, ?18, ?19, ?20, ?21, ?22, 0)"
    " ON CONFLICT (id) DO UPDATE SET channel = ?2, queue = ?3, agent_id = ?4, team_id = excluded.team_id,"
    " customer_ref = ?6, started_at = ?7, wait_s = ?8, talk_s = excluded.talk_s, hold_s = excluded.hold_s,"
    " wrap_s = excluded.wrap_s, csat = ?12, nps = ?13, fcr = ?14, answered_in_sl = ?15,"
    " abandoned = excluded.abandoned, first_response_s = ?17, first_response_target_s = ?18,"
    " resolution_s = ?19, resolution_target_s = ?20, priority = ?21, rev = ?22, dirty = 0"
    " WHERE coalesce (interaction.rev, 0) <= ?22", error);
  sqlite3_stmt *q;
  const char *queue = str (d, "queue") ? str (d, "queue") : "";
  gint64 started = 0;

  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  bind_str (s, 2, str (d, "channel"));
  bind_str (s, 3, queue);
  bind_str (s, 4, str (d, "agentId"));
  bind_str (s, 5, str (d, "teamId"));
  bind_str (s, 6, str (d, "customerRef"));
  if (num (d, "startedAt", &started))
    sqlite3_bind_int64 (s, 7, started);
  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    bind_num (s, 8 + (int) i, d, facts[i]);
  bind_str (s, 21, str (d, "priority"));
  sqlite3_bind_int64 (s, 22, rev);
  if (!run (a, s, error))
    return FALSE;

  /* the lists filter by queue: every queue a contact names is known */
  q = stmt (a, "INSERT OR IGNORE INTO queue (name, channel) VALUES (?1, ?2)", error);
  if (q == NULL)
    return FALSE;
  bind_str (q, 1, queue);
  bind_str (q, 2, str (d, "channel"));
  return str (d, "channel") == NULL || run (a, q, error);
}

static gboolean
apply_form (AssaySyncApplier  *a,
            const char        *id,
            gint64             rev,
            JsonObject        *d,
            GError           **error)
{
  JsonNode *def = json_object_get_member (d, "definition");
  JsonObject *def_o = def && JSON_NODE_HOLDS_OBJECT (def) ? json_node_get_object (def) : NULL;
  const char *code = str (d, "formId");
  g_autofree char *form_id = NULL;
  g_autofree char *definition = NULL;
  sqlite3_stmt *s;
  gint64 version = 0, published = 0;

  if (code == NULL || def_o == NULL || !num (d, "version", &version))
    return TRUE;
  num (d, "publishedAt", &published);

  /* the form is found by its code (the "id" of its JSON files), made on first sight */
  s = stmt (a, "SELECT id FROM form WHERE code = ?1", error);
  if (s == NULL)
    return FALSE;
  bind_str (s, 1, code);
  if (sqlite3_step (s) == SQLITE_ROW)
    form_id = _assay_store_column_dup (s, 0);
  sqlite3_reset (s);
  if (form_id == NULL)
    {
      form_id = assay_uuid_new ();
      s = stmt (a, "INSERT INTO form (id, code, name, description, created_at, rev, dirty)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, 1, 0)", error);
      if (s == NULL)
        return FALSE;
      bind_str (s, 1, form_id);
      bind_str (s, 2, code);
      bind_str (s, 3, str (def_o, "name") ? str (def_o, "name") : code);
      bind_str (s, 4, str (def_o, "description") ? str (def_o, "description") : "");
      sqlite3_bind_int64 (s, 5, published > 0 ? published : assay_now_ms ());
      if (!run (a, s, error))
        return FALSE;
    }

  /* form versions are immutable: a known one only takes the server's rev */
  definition = assay_sync_canonical_json (def);
  s = stmt (a, "INSERT INTO form_version (id, form_id, version, definition, published_at, author_id,"
               " rev, dirty) VALUES (?1, ?2, ?3, ?4, ?5, (SELECT id FROM staff WHERE id = ?6), ?7, 0)"
               " ON CONFLICT (id) DO UPDATE SET rev = ?7, dirty = 0", error);
  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  bind_str (s, 2, form_id);
  sqlite3_bind_int64 (s, 3, version);
  bind_str (s, 4, definition);
  sqlite3_bind_int64 (s, 5, published > 0 ? published : assay_now_ms ());
  bind_str (s, 6, str (d, "authorId"));
  sqlite3_bind_int64 (s, 7, rev);
  return run (a, s, error);
}

static gboolean
apply_assignment (AssaySyncApplier  *a,
                  const char        *id,
                  gint64             rev,
                  JsonObject        *d,
                  GError           **error)
{
  sqlite3_stmt *s = stmt (a,
    "INSERT INTO assignment (id, interaction_id, inspector_id, form_version_id, due_at, source,"
    " created_at, rev, dirty) VALUES (?1, ?2, (SELECT id FROM staff WHERE id = ?3), ?4, ?5, ?6, ?7, ?8, 0)"
    " ON CONFLICT (id) DO UPDATE SET interaction_id = ?2, inspector_id = excluded.inspector_id,"
    " form_version_id = ?4, due_at = ?5, source = ?6, rev = ?8, dirty = 0"
    " WHERE coalesce (assignment.rev, 0) <= ?8", error);
  const char *source = str (d, "source");
  gint64 created = 0;

  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  bind_str (s, 2, str (d, "interactionId"));
  bind_str (s, 3, str (d, "inspectorId"));
  bind_str (s, 4, str (d, "formVersionId"));
  bind_num (s, 5, d, "dueAt");
  bind_str (s, 6, g_strcmp0 (source, "sampling") == 0 ? "sampling" : "centre");
  sqlite3_bind_int64 (s, 7, num (d, "createdAt", &created) ? created : assay_now_ms ());
  sqlite3_bind_int64 (s, 8, rev);
  return run (a, s, error);
}

/* The scorecard version @id, parsed once a page (NULL when it is not here or does not parse). */
static AssayForm *
form_version (AssaySyncApplier *a,
              const char       *id)
{
  gpointer found;
  sqlite3_stmt *s;
  AssayForm *form = NULL;

  if (g_hash_table_lookup_extended (a->forms, id, NULL, &found))
    return found;
  s = stmt (a, "SELECT definition FROM form_version WHERE id = ?1", NULL);
  if (s != NULL)
    {
      bind_str (s, 1, id);
      if (sqlite3_step (s) == SQLITE_ROW)
        form = assay_form_from_json ((const char *) sqlite3_column_text (s, 0), -1, NULL);
      sqlite3_reset (s);
    }
  g_hash_table_insert (a->forms, g_strdup (id), form);
  return form;
}

/* Score and results of @answers (JSON) on @form_version_id, as a local save computes them. */
static void
score_answers (AssaySyncApplier  *a,
               const char        *form_version_id,
               JsonNode          *answers,
               double            *score,
               char             **results)
{
  AssayForm *form = form_version_id ? form_version (a, form_version_id) : NULL;
  g_autoptr(AssayAnswers) parsed = NULL;
  g_autoptr(AssayScore) s = NULL;

  *score = NAN;
  *results = NULL;
  if (form == NULL || answers == NULL
      || (parsed = assay_answers_from_json_node (form, answers, NULL)) == NULL)
    return;
  s = assay_score_compute (parsed);
  *score = s->overall;
  *results = assay_score_to_json (s, FALSE);
}

static void
bind_score (sqlite3_stmt *s,
            int           i,
            double        score)
{
  if (isnan (score))
    sqlite3_bind_null (s, i);
  else
    sqlite3_bind_double (s, i, score);
}

static gboolean
apply_evaluation (AssaySyncApplier  *a,
                  const char        *id,
                  gint64             rev,
                  JsonObject        *d,
                  GError           **error)
{
  const char *state = g_strcmp0 (str (d, "state"), "submitted") == 0 ? "submitted" : "draft";
  const char *form_version_id = str (d, "formVersionId");
  JsonNode *answers_node = json_object_get_member (d, "answers");
  g_autofree char *answers = member_json (d, "answers");
  g_autofree char *results = NULL;
  gint64 created = 0, updated = 0, revision = 0, now = assay_now_ms ();
  double score;
  sqlite3_stmt *s;

  num (d, "createdAt", &created);
  if (!num (d, "updatedAt", &updated))
    updated = created > 0 ? created : now;
  num (d, "revision", &revision);
  score_answers (a, form_version_id, answers_node, &score, &results);
  /* an agent reads its evaluations but not the staff: the inspector gets a stub row */
  if (!_assay_sync_staff_stub (a, str (d, "inspectorId"), error))
    return FALSE;

  s = stmt (a,
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, assignment_id, state,"
    " created_at, updated_at, rev, dirty, sync_state, synced_at, sync_reason)"
    " VALUES (?1, ?2, ?3, ?4, (SELECT id FROM assignment WHERE id = ?5), ?6, ?7, ?8, ?9, 0, 'synced', ?10, NULL)"
    " ON CONFLICT (id) DO UPDATE SET assignment_id = coalesce (excluded.assignment_id, assignment_id),"
    " state = ?6, updated_at = ?8, rev = ?9, dirty = 0, sync_state = 'synced', synced_at = ?10,"
    " sync_reason = NULL WHERE coalesce (evaluation.rev, 0) <= ?9", error);
  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  bind_str (s, 2, str (d, "interactionId"));
  bind_str (s, 3, form_version_id);
  bind_str (s, 4, str (d, "inspectorId"));
  bind_str (s, 5, str (d, "assignmentId"));
  bind_str (s, 6, state);
  sqlite3_bind_int64 (s, 7, created > 0 ? created : updated);
  sqlite3_bind_int64 (s, 8, updated);
  sqlite3_bind_int64 (s, 9, rev);
  sqlite3_bind_int64 (s, 10, now);
  if (!run (a, s, error))
    return FALSE;

  if (g_str_equal (state, "draft"))
    {
      s = stmt (a, "INSERT INTO evaluation_draft (evaluation_id, answers, score, results, amending,"
                   " saved_at, changes) SELECT ?1, ?2, ?3, ?4, 0, ?5, 0"
                   " WHERE EXISTS (SELECT 1 FROM evaluation WHERE id = ?1 AND rev = ?6)"
                   " ON CONFLICT (evaluation_id) DO UPDATE SET answers = ?2, score = ?3, results = ?4,"
                   " saved_at = ?5", error);
      if (s == NULL)
        return FALSE;
      bind_str (s, 1, id);
      bind_str (s, 2, answers ? answers : "{}");
      bind_score (s, 3, score);
      bind_str (s, 4, results);
      sqlite3_bind_int64 (s, 5, updated);
      sqlite3_bind_int64 (s, 6, rev);
      return run (a, s, error);
    }

  /* submitted: the server's revision is a revision here too (append-only: added once) */
  {
    g_autofree char *revision_id = assay_uuid_new ();
    gint64 number = MAX (revision, 1);

    s = stmt (a, "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, score, results,"
                 " author_id, created_at, reason)"
                 " SELECT ?1, ?2, ?3, ?4, ?5, ?6, inspector_id, ?7, ?8 FROM evaluation WHERE id = ?2"
                 " AND rev = ?9 AND NOT EXISTS (SELECT 1 FROM evaluation_revision"
                 "  WHERE evaluation_id = ?2 AND number = ?3)", error);
    if (s == NULL)
      return FALSE;
    bind_str (s, 1, revision_id);
    bind_str (s, 2, id);
    sqlite3_bind_int64 (s, 3, number);
    bind_str (s, 4, answers ? answers : "{}");
    bind_score (s, 5, score);
    bind_str (s, 6, results);
    sqlite3_bind_int64 (s, 7, updated);
    bind_str (s, 8, number > 1 ? str (d, "amendReason") : NULL);
    sqlite3_bind_int64 (s, 9, rev);
    if (!run (a, s, error))
      return FALSE;
    s = stmt (a, "UPDATE evaluation SET current_revision_id = (SELECT id FROM evaluation_revision"
                 "  WHERE evaluation_id = ?1 ORDER BY number DESC LIMIT 1) WHERE id = ?1 AND rev = ?2", error);
    if (s == NULL)
      return FALSE;
    bind_str (s, 1, id);
    sqlite3_bind_int64 (s, 2, rev);
    if (!run (a, s, error))
      return FALSE;
    /* a plain draft is over once submitted; an amendment being written here stays */
    s = stmt (a, "DELETE FROM evaluation_draft WHERE evaluation_id = ?1 AND amending = 0", error);
    if (s == NULL)
      return FALSE;
    bind_str (s, 1, id);
    return run (a, s, error);
  }
}

/* coaching and training: rows whose columns are their members (assay-store-records-sync.c) */
#define ROW_APPLIER(fn, table) \
  static gboolean fn (AssaySyncApplier *a, const char *id, gint64 rev, JsonObject *d, \
                      GError **error) { return _assay_sync_apply_row (a, table, id, rev, d, error); }
ROW_APPLIER (apply_coaching_session, "coaching_session")
ROW_APPLIER (apply_coaching_goal, "coaching_goal")
ROW_APPLIER (apply_coaching_action, "coaching_action")
ROW_APPLIER (apply_course, "course")
ROW_APPLIER (apply_training_plan, "training_plan")
ROW_APPLIER (apply_training_assignment, "training_assignment")
ROW_APPLIER (apply_assessment, "assessment")
ROW_APPLIER (apply_assessment_result, "assessment_result")
ROW_APPLIER (apply_improvement_action, "improvement_action")

static const struct {
  const char *collection;
  const char *table;         /* the rows remove() deletes */
  ApplyFunc   apply;
} appliers[] = {
  { "teams",        "team",         apply_team },
  { "agents",       "agent",        apply_agent },
  { "staff",        "staff",        apply_staff },
  { "interactions", "interaction",  apply_interaction },
  { "forms",        "form_version", apply_form },
  { "assignments",  "assignment",   apply_assignment },
  { "evaluations",  "evaluation",   apply_evaluation },
  { "calibration_sessions", "calibration_session", _assay_sync_apply_calibration_session },
  { "calibration_scorings", "calibration_scoring", _assay_sync_apply_calibration_scoring },
  { "calibration_consensus", NULL, _assay_sync_apply_calibration_consensus },
  { "disputes", "dispute", _assay_sync_apply_dispute },
  { "acknowledgements", "acknowledgement", _assay_sync_apply_acknowledgement },
  { "coaching_sessions", "coaching_session", apply_coaching_session },
  { "coaching_goals", "coaching_goal", apply_coaching_goal },
  { "coaching_actions", "coaching_action", apply_coaching_action },
  { "courses", "course", apply_course },
  { "training_plans", "training_plan", apply_training_plan },
  { "training_assignments", "training_assignment", apply_training_assignment },
  { "assessments", "assessment", apply_assessment },
  { "assessment_results", "assessment_result", apply_assessment_result },
  { "improvement_actions", "improvement_action", apply_improvement_action },
};

gboolean
_assay_sync_applier_upsert (AssaySyncApplier  *a,
                            const char        *collection,
                            const char        *id,
                            gint64             rev,
                            JsonObject        *data,
                            GError           **error)
{
  if (data == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (appliers); i++)
    if (g_str_equal (appliers[i].collection, collection))
      return appliers[i].apply (a, id, rev, data, error);
  return TRUE;
}

gboolean
_assay_sync_applier_remove (AssaySyncApplier  *a,
                            const char        *collection,
                            const char        *id,
                            GError           **error)
{
  g_autoptr(sqlite3_stmt) s = NULL;
  g_autofree char *sql = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (appliers); i++)
    if (g_str_equal (appliers[i].collection, collection))
      {
        /* only rows that came from the server (a rev); a submitted evaluation keeps its
         * revisions (append-only) and a row with children stays: both are refused, and kept */
        /* a consensus answer's key is composite: its wire id is derived from it */
        if (appliers[i].table == NULL)
          return _assay_sync_remove_calibration_consensus (a->db, id, error);
        if (g_str_equal (appliers[i].table, "evaluation"))
          sql = g_strdup ("DELETE FROM evaluation WHERE id = ?1 AND rev IS NOT NULL AND state = 'draft'");
        else
          sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1 AND rev IS NOT NULL", appliers[i].table);
        s = _assay_store_prepare (a->db, sql, error);
        if (s == NULL)
          return FALSE;
        bind_str (s, 1, id);
        return run (a, s, error);
      }
  return TRUE;
}

/* ---- push: what an evaluation operation carries ---- */

char *
_assay_sync_evaluation_wire_data (sqlite3     *db,
                                  const char  *id,
                                  const char  *action,
                                  const char  *op_data)
{
  g_autoptr(sqlite3_stmt) e = NULL;
  g_autoptr(sqlite3_stmt) r = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) answers = NULL;
  JsonObject *o;
  const char *revision_id = NULL;
  gboolean sealed = g_str_equal (action, "submit") || g_str_equal (action, "amend");

  if (op_data != NULL && json_parser_load_from_data (parser, op_data, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_copy (json_parser_get_root (parser));
  else
    root = json_node_init_object (json_node_alloc (), json_object_new ());
  o = json_node_get_object (root);

  e = _assay_store_prepare (db, "SELECT e.interaction_id, e.form_version_id, e.inspector_id,"
                                " e.assignment_id, e.created_at, d.answers, d.score, d.results"
                                " FROM evaluation e LEFT JOIN evaluation_draft d ON d.evaluation_id = e.id"
                                " WHERE e.id = ?1", NULL);
  if (e == NULL)
    return NULL;
  sqlite3_bind_text (e, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (e) != SQLITE_ROW)
    return NULL;

  json_object_set_string_member (o, "interactionId", (const char *) sqlite3_column_text (e, 0));
  json_object_set_string_member (o, "formVersionId", (const char *) sqlite3_column_text (e, 1));
  json_object_set_string_member (o, "inspectorId", (const char *) sqlite3_column_text (e, 2));
  if (sqlite3_column_type (e, 3) != SQLITE_NULL)
    json_object_set_string_member (o, "assignmentId", (const char *) sqlite3_column_text (e, 3));
  json_object_set_int_member (o, "createdAt", sqlite3_column_int64 (e, 4));
  json_object_set_string_member (o, "state", g_str_equal (action, "amend") ? "submitted" : "draft");

  /* a submit or amend carries the revision it sealed: its answers, score and results */
  if (json_object_has_member (o, "revisionId"))
    revision_id = json_object_get_string_member_with_default (o, "revisionId", NULL);
  if (sealed && revision_id != NULL)
    {
      r = _assay_store_prepare (db, "SELECT answers, score, results, number FROM evaluation_revision"
                                    " WHERE id = ?1", NULL);
      if (r != NULL)
        {
          sqlite3_bind_text (r, 1, revision_id, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (r) == SQLITE_ROW)
            {
              answers = json_from_string ((const char *) sqlite3_column_text (r, 0), NULL);
              if (sqlite3_column_type (r, 1) != SQLITE_NULL)
                json_object_set_double_member (o, "score", sqlite3_column_double (r, 1));
              if (sqlite3_column_type (r, 2) != SQLITE_NULL)
                json_object_set_member (o, "results",
                                        json_from_string ((const char *) sqlite3_column_text (r, 2), NULL)
                                        ?: json_node_new (JSON_NODE_NULL));
              json_object_set_int_member (o, "revision", sqlite3_column_int64 (r, 3));
            }
        }
    }
  else if (!sealed && sqlite3_column_type (e, 5) != SQLITE_NULL
           && !json_object_has_member (o, "answers"))
    answers = json_from_string ((const char *) sqlite3_column_text (e, 5), NULL);
  if (!sealed && sqlite3_column_type (e, 6) != SQLITE_NULL)
    json_object_set_double_member (o, "score", sqlite3_column_double (e, 6));

  if (answers != NULL && JSON_NODE_HOLDS_OBJECT (answers))
    json_object_set_member (o, "answers", g_steal_pointer (&answers));
  if (!json_object_has_member (o, "answers")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "answers")))
    json_object_set_object_member (o, "answers", json_object_new ());
  if (json_object_has_member (o, "revisionId"))
    json_object_remove_member (o, "revisionId");
  if (json_object_has_member (o, "number"))
    json_object_remove_member (o, "number");
  return assay_sync_canonical_json (root);
}
