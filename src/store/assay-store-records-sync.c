/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-store-records-sync.h"
#include "assay-store.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

/* ---- what the operations carry ---- */

char *
_assay_store_wire_member (const char *column)
{
  GString *s = g_string_new (NULL);
  gboolean upper = FALSE;

  for (const char *p = column; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          upper = TRUE;
          continue;
        }
      g_string_append_c (s, upper ? g_ascii_toupper (*p) : *p);
      upper = FALSE;
    }
  return g_string_free (s, FALSE);
}

gboolean
_assay_store_wire_json_column (const char *column)
{
  return g_strcmp0 (column, "focus") == 0 || g_strcmp0 (column, "whys") == 0
         || g_strcmp0 (column, "evidence") == 0;
}

char *
_assay_store_dispute_wire_data (sqlite3     *db,
                                const char  *dispute_id,
                                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _assay_store_prepare (db,
    "SELECT json_object ('evaluationId', evaluation_id, 'revisionId', revision_id,"
    " 'agentId', agent_id, 'raisedBy', raised_by, 'onBehalf', json (CASE WHEN on_behalf"
    " THEN 'true' ELSE 'false' END), 'items', json (items), 'reason', reason, 'state', state,"
    " 'currentStep', current_step, 'outcomeRevisionId', outcome_revision_id,"
    " 'raisedAt', raised_at, 'closedAt', closed_at, 'acknowledgedAt', acknowledged_at,"
    " 'steps', (SELECT json_group_array (json_object ('position', position, 'role', role,"
    "   'assigneeId', assignee_id, 'deadlineDays', deadline_days, 'startedAt', started_at,"
    "   'dueAt', due_at, 'decision', decision, 'reason', s.reason, 'comment', comment,"
    "   'upheldItems', json (upheld_items), 'decidedBy', decided_by, 'decidedAt', decided_at))"
    "   FROM (SELECT * FROM dispute_step WHERE dispute_id = d.id ORDER BY position) s))"
    " FROM dispute d WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, dispute_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                     "The dispute %s does not exist", dispute_id);
      else
        _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return _assay_store_column_dup (stmt, 0);
}

char *
_assay_store_consensus_wire_id (const char *session_id,
                                const char *interaction_id,
                                const char *item_id)
{
  g_autofree char *key = g_strdup_printf ("assay/calibration_consensus/%s/%s/%s", session_id,
                                          interaction_id, item_id);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);

  /* a name-based UUID (version 5 layout, RFC 9562) */
  return g_strdup_printf ("%.8s-%.4s-5%.3s-%c%.3s-%.12s", hex, hex + 8, hex + 13,
                          "89ab"[g_ascii_xdigit_value (hex[16]) & 3], hex + 17, hex + 20);
}

/* ---- appliers ---- */

static const char *
str (JsonObject *o,
     const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

static void
bind_str (sqlite3_stmt *s,
          int           i,
          const char   *v)
{
  _assay_store_bind_text_or_null (s, i, v);
}

static void
bind_num (sqlite3_stmt *s,
          int           i,
          JsonObject   *o,
          const char   *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    sqlite3_bind_null (s, i);
  else if (json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    sqlite3_bind_int (s, i, json_node_get_boolean (n));
  else
    sqlite3_bind_int64 (s, i, json_node_get_int (n));
}

static char *
member_json_text (JsonObject *o,
             const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  return assay_json_write (n, FALSE);
}

gboolean
_assay_sync_staff_stub (AssaySyncApplier  *a,
                        const char        *id,
                        GError           **error)
{
  sqlite3_stmt *s;

  if (id == NULL)
    return TRUE;
  /* no rev: the staff feed's copy replaces it whenever this account may read it */
  s = _assay_sync_applier_stmt (a, "INSERT INTO staff (id, name) VALUES (?1, '')"
                                   " ON CONFLICT (id) DO NOTHING", error);
  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  return _assay_sync_run_row (_assay_sync_applier_db (a), s, error);
}

/*
 * A row whose columns are its members (camelCase), as coaching and training write their
 * operations: every column of @table but rev and dirty is taken from @d.
 */
gboolean
_assay_sync_apply_row (AssaySyncApplier  *a,
                       const char        *table,
                       const char        *id,
                       gint64             rev,
                       JsonObject        *d,
                       GError           **error)
{
  sqlite3 *db = _assay_sync_applier_db (a);
  g_autoptr(sqlite3_stmt) cols = NULL;
  g_autoptr(sqlite3_stmt) s = NULL;
  g_autoptr(GString) names = g_string_new ("id");
  g_autoptr(GString) values = g_string_new ("?1");
  g_autoptr(GString) sets = g_string_new (NULL);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *sql;
  int rc;

  cols = _assay_store_prepare (db, "SELECT name FROM pragma_table_info (?1)"
                                   " WHERE name NOT IN ('id', 'rev', 'dirty')", error);
  if (cols == NULL)
    return FALSE;
  sqlite3_bind_text (cols, 1, table, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (cols)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (cols, 0);
      g_autofree char *member = _assay_store_wire_member (name);
      char *part;

      part = sqlite3_mprintf (", \"%w\"", name);
      g_string_append (names, part);
      sqlite3_free (part);
      part = sqlite3_mprintf (", json_extract (?2, '$.%q')", member);
      g_string_append (values, part);
      sqlite3_free (part);
      part = sqlite3_mprintf ("\"%w\" = excluded.\"%w\", ", name, name);
      g_string_append (sets, part);
      sqlite3_free (part);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);

  sql = sqlite3_mprintf ("INSERT INTO \"%w\" (%s, rev, dirty) SELECT %s, ?3, 0 WHERE 1"
                         " ON CONFLICT (id) DO UPDATE SET %s rev = excluded.rev, dirty = 0"
                         " WHERE coalesce (\"%w\".rev, 0) <= excluded.rev",
                         table, names->str, values->str, sets->str, table);
  s = _assay_store_prepare (db, sql, error);
  sqlite3_free (sql);
  if (s == NULL)
    return FALSE;
  json_node_set_object (node, d);
  json = assay_json_write (node, FALSE);
  sqlite3_bind_text (s, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 2, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (s, 3, rev);
  return _assay_sync_run_row (db, s, error);
}

gboolean
_assay_sync_apply_dispute (AssaySyncApplier  *a,
                           const char        *id,
                           gint64             rev,
                           JsonObject        *d,
                           GError           **error)
{
  sqlite3 *db = _assay_sync_applier_db (a);
  g_autofree char *items = member_json_text (d, "items");
  sqlite3_stmt *s;
  JsonNode *steps = json_object_get_member (d, "steps");

  /* a revision made on another machine may carry another id here: the evaluation's current */
  if (!_assay_sync_staff_stub (a, str (d, "raisedBy"), error))
    return FALSE;
  s = _assay_sync_applier_stmt (a,
    "INSERT INTO dispute (id, evaluation_id, revision_id, agent_id, raised_by, on_behalf, items,"
    " reason, state, current_step, outcome_revision_id, raised_at, closed_at, acknowledged_at,"
    " rev, dirty) VALUES (?1, ?2, coalesce ((SELECT id FROM evaluation_revision WHERE id = ?3),"
    " (SELECT current_revision_id FROM evaluation WHERE id = ?2)), (SELECT id FROM agent WHERE id = ?4),"
    " ?5, coalesce (?6, 0), coalesce (?7, '[]'), ?8, ?9, ?10,"
    " (SELECT id FROM evaluation_revision WHERE id = ?11), ?12, ?13, ?14, ?15, 0)"
    " ON CONFLICT (id) DO UPDATE SET state = excluded.state, current_step = excluded.current_step,"
    " outcome_revision_id = excluded.outcome_revision_id, closed_at = excluded.closed_at,"
    " acknowledged_at = coalesce (excluded.acknowledged_at, dispute.acknowledged_at),"
    " rev = excluded.rev, dirty = 0 WHERE coalesce (dispute.rev, 0) <= excluded.rev", error);
  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  bind_str (s, 2, str (d, "evaluationId"));
  bind_str (s, 3, str (d, "revisionId"));
  bind_str (s, 4, str (d, "agentId"));
  bind_str (s, 5, str (d, "raisedBy"));
  bind_num (s, 6, d, "onBehalf");
  bind_str (s, 7, items);
  bind_str (s, 8, str (d, "reason"));
  bind_str (s, 9, str (d, "state"));
  bind_num (s, 10, d, "currentStep");
  bind_str (s, 11, str (d, "outcomeRevisionId"));
  bind_num (s, 12, d, "raisedAt");
  bind_num (s, 13, d, "closedAt");
  bind_num (s, 14, d, "acknowledgedAt");
  sqlite3_bind_int64 (s, 15, rev);
  if (!_assay_sync_run_row (db, s, error))
    return FALSE;

  if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
    return TRUE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (steps)); i++)
    {
      JsonNode *n = json_array_get_element (json_node_get_array (steps), i);
      JsonObject *step;
      g_autofree char *upheld = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      step = json_node_get_object (n);
      upheld = member_json_text (step, "upheldItems");
      s = _assay_sync_applier_stmt (a,
        "INSERT INTO dispute_step (dispute_id, position, role, assignee_id, deadline_days,"
        " started_at, due_at, decision, reason, comment, upheld_items, decided_by, decided_at)"
        " SELECT ?1, ?2, ?3, (SELECT id FROM staff WHERE id = ?4), ?5, ?6, ?7, ?8, ?9,"
        " coalesce (?10, ''), ?11, (SELECT id FROM staff WHERE id = ?12), ?13"
        " WHERE EXISTS (SELECT 1 FROM dispute WHERE id = ?1 AND dirty = 0)"
        " ON CONFLICT (dispute_id, position) DO UPDATE SET assignee_id = excluded.assignee_id,"
        " started_at = excluded.started_at, due_at = excluded.due_at,"
        " decision = excluded.decision, reason = excluded.reason, comment = excluded.comment,"
        " upheld_items = excluded.upheld_items, decided_by = excluded.decided_by,"
        " decided_at = excluded.decided_at", error);
      if (s == NULL)
        return FALSE;
      bind_str (s, 1, id);
      bind_num (s, 2, step, "position");
      bind_str (s, 3, str (step, "role"));
      bind_str (s, 4, str (step, "assigneeId"));
      bind_num (s, 5, step, "deadlineDays");
      bind_num (s, 6, step, "startedAt");
      bind_num (s, 7, step, "dueAt");
      bind_str (s, 8, str (step, "decision"));
      bind_str (s, 9, str (step, "reason"));
      bind_str (s, 10, str (step, "comment"));
      bind_str (s, 11, upheld);
      bind_str (s, 12, str (step, "decidedBy"));
      bind_num (s, 13, step, "decidedAt");
      if (!_assay_sync_run_row (db, s, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_assay_sync_apply_acknowledgement (AssaySyncApplier  *a,
                                   const char        *id,
                                   gint64             rev,
                                   JsonObject        *d,
                                   GError           **error)
{
  sqlite3 *db = _assay_sync_applier_db (a);
  sqlite3_stmt *s;

  if (!_assay_sync_staff_stub (a, str (d, "byId"), error))
    return FALSE;
  s = _assay_sync_applier_stmt (a,
    "INSERT INTO acknowledgement (id, kind, object_id, revision_id, agent_id, by_id, comment,"
    " created_at, rev, dirty) VALUES (?1, ?2, ?3, (SELECT id FROM evaluation_revision WHERE id = ?4),"
    " (SELECT id FROM agent WHERE id = ?5), ?6, coalesce (?7, ''), coalesce (?8, 0), ?9, 0)"
    " ON CONFLICT (id) DO UPDATE SET comment = excluded.comment, rev = excluded.rev, dirty = 0"
    " WHERE coalesce (acknowledgement.rev, 0) <= excluded.rev", error);
  if (s == NULL)
    return FALSE;
  bind_str (s, 1, id);
  bind_str (s, 2, str (d, "kind"));
  bind_str (s, 3, str (d, "objectId"));
  bind_str (s, 4, str (d, "revisionId"));
  bind_str (s, 5, str (d, "agentId"));
  bind_str (s, 6, str (d, "byId"));
  bind_str (s, 7, str (d, "comment"));
  bind_num (s, 8, d, "createdAt");
  sqlite3_bind_int64 (s, 9, rev);
  if (!_assay_sync_run_row (db, s, error))
    return FALSE;
  /* the agent's sign-off of a dispute's outcome shows on the dispute too */
  if (g_strcmp0 (str (d, "kind"), "dispute") != 0)
    return TRUE;
  s = _assay_sync_applier_stmt (a, "UPDATE dispute SET acknowledged_at = coalesce (acknowledged_at, ?2)"
                                   " WHERE id = ?1", error);
  if (s == NULL)
    return FALSE;
  bind_str (s, 1, str (d, "objectId"));
  bind_num (s, 2, d, "createdAt");
  return _assay_sync_run_row (db, s, error);
}
