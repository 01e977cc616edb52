/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-store-calibration-private.h"
#include "assay-store-records-sync.h"
#include "core/assay-util.h"

/*
 * Calibration on the wire (docs/sync-protocol.md, "Collections"): what the outbox operations of
 * sessions, scorings and consensus carry, and the appliers that write pulled ones back.
 */

static gboolean
has_operation (sqlite3     *db,
               const char  *collection,
               const char  *object_id,
               gboolean     sent_only,
               gboolean    *out,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  /* known to the server, or on its way: an operation, a pushed result or a pulled copy */
  stmt = _assay_store_prepare (db, sent_only
                                   ? "SELECT 1 FROM outbox WHERE collection = ?1 AND object_id = ?2"
                                     " AND sent_at IS NOT NULL"
                                   : "SELECT 1 FROM outbox WHERE collection = ?1 AND object_id = ?2"
                                     " UNION ALL SELECT 1 FROM sync_pushed WHERE collection = ?1"
                                     " AND id = ?2 UNION ALL SELECT 1 FROM sync_object"
                                     " WHERE collection = ?1 AND id = ?2",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, object_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  *out = rc == SQLITE_ROW;
  return TRUE;
}

/* one row as JSON by @sql (one parameter), or NULL with @error */
static char *
row_json (sqlite3     *db,
          const char  *sql,
          const char  *id,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                     "The calibration record %s does not exist", id);
      else
        _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return _assay_store_column_dup (stmt, 0);
}

static gboolean
enqueue_at (sqlite3     *db,
            const char  *collection,
            const char  *object_id,
            const char  *action,
            gint64       base_rev,
            const char  *data,
            gboolean     coalesce,
            gint64       created_at,
            GError     **error)
{
  AssayStoreOutboxOp op = { .collection = collection, .object_id = object_id, .action = action,
                            .data = data, .base_rev = base_rev, .coalesce = coalesce,
                            .created_at = created_at };

  return _assay_store_enqueue (db, &op, error);
}

#define enqueue(db, collection, id, action, base_rev, data, coalesce, error) \
  enqueue_at (db, collection, id, action, base_rev, data, coalesce, 0, error)

/* A scoring goes whole; its first operation creates it on the server. */
static gboolean
queue_scoring (sqlite3     *db,
               gint64       base_rev,
               const char  *id,
               const char  *action,
               gboolean     coalesce,
               GError     **error)
{
  g_autofree char *data = row_json (db,
    "SELECT json_object ('sessionId', session_id, 'interactionId', interaction_id,"
    " 'inspectorId', inspector_id, 'answers', json (answers), 'comments', comments,"
    " 'updatedAt', updated_at, 'submittedAt', submitted_at)"
    " FROM calibration_scoring WHERE id = ?", id, error);
  gboolean known;

  if (data == NULL || !has_operation (db, "calibration_scorings", id, FALSE, &known, error))
    return FALSE;
  known = known || base_rev > 0;
  if (!known)
    {
      /* a submit of a scoring the server never saw: create it, then submit (a millisecond
       * later: the outbox is sent in created_at order) */
      gint64 now = assay_now_ms ();

      if (g_strcmp0 (action, "submit") != 0)
        return enqueue (db, "calibration_scorings", id, "create", -1, data, coalesce, error);
      return enqueue_at (db, "calibration_scorings", id, "create", -1, data, FALSE, now, error)
             && enqueue_at (db, "calibration_scorings", id, "submit", -1, data, FALSE, now + 1,
                            error);
    }
  return enqueue (db, "calibration_scorings", id, action, base_rev, data, coalesce, error);
}

/* A consensus answer: its id on the wire is derived from its key "session/interaction/item". */
static gboolean
queue_consensus (sqlite3     *db,
                 gint64       base_rev,
                 const char  *key,
                 const char  *action,
                 const char  *data,
                 GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (key, "/", 3);
  g_autofree char *id = NULL;
  g_autofree char *whole = NULL;
  gboolean known, sent;

  if (g_strv_length (parts) != 3)
    return _assay_calibration_invalid (error, "A consensus key has three parts, not '%s'", key);
  id = _assay_store_consensus_wire_id (parts[0], parts[1], parts[2]);
  if (!has_operation (db, "calibration_consensus", id, FALSE, &known, error)
      || !has_operation (db, "calibration_consensus", id, TRUE, &sent, error))
    return FALSE;

  if (g_strcmp0 (action, "delete") == 0)
    {
      if (base_rev > 0 || sent)
        return enqueue (db, "calibration_consensus", id, "delete", base_rev, data, FALSE, error);
      /* never reached the server: forgetting the unsent operations is the whole delete */
      if (known)
        {
          g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db,
            "DELETE FROM outbox WHERE collection = 'calibration_consensus' AND object_id = ?",
            error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
          return _assay_store_step_done (db, stmt, error);
        }
      return TRUE;
    }

  {
    g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db,
      "SELECT json_object ('sessionId', session_id, 'interactionId', interaction_id,"
      " 'itemId', item_id, 'answer', json (answer), 'setBy', set_by, 'setAt', set_at)"
      " FROM calibration_consensus WHERE session_id = ?1 AND interaction_id = ?2 AND item_id = ?3",
      error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    for (guint i = 0; i < 3; i++)
      sqlite3_bind_text (stmt, (int) i + 1, parts[i], -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      return _assay_store_set_error (db, rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc, error);
    whole = _assay_store_column_dup (stmt, 0);
  }
  return enqueue (db, "calibration_consensus", id,
                  base_rev > 0 || known ? "update" : "create", base_rev, whole,
                  !(base_rev > 0 || known) || !sent, error);
}

gboolean
_assay_calibration_queue_operation (sqlite3     *db,
                                    const char  *collection,
                                    gint64       base_rev,
                                    const char  *object_id,
                                    const char  *action,
                                    const char  *data,
                                    gboolean     coalesce,
                                    GError     **error)
{
  if (g_strcmp0 (collection, "calibration_scorings") == 0)
    return queue_scoring (db, base_rev, object_id, action, coalesce, error);
  if (g_strcmp0 (collection, "calibration_consensus") == 0)
    return queue_consensus (db, base_rev, object_id, action, data, error);
  return enqueue (db, collection, object_id, action, base_rev, data, coalesce, error);
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
bind_num (sqlite3_stmt *s,
          int           i,
          JsonObject   *o,
          const char   *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    sqlite3_bind_null (s, i);
  else
    sqlite3_bind_int64 (s, i, json_node_get_int (n));
}

static char *
member_json_text (JsonObject *o,
             const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && !JSON_NODE_HOLDS_NULL (n) ? assay_json_write (n, FALSE) : NULL;
}

gboolean
_assay_sync_apply_calibration_session (AssaySyncApplier  *a,
                                       const char        *id,
                                       gint64             rev,
                                       JsonObject        *d,
                                       GError           **error)
{
  sqlite3 *db = _assay_sync_applier_db (a);
  static const struct { const char *member, *sql; } lists[] = {
    { "interactionIds", "INSERT OR IGNORE INTO calibration_interaction (session_id, interaction_id,"
                        " position) SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM interaction WHERE id = ?2)" },
    { "participantIds", "INSERT OR IGNORE INTO calibration_participant (session_id, staff_id)"
                        " SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM staff WHERE id = ?2) AND ?3 >= 0" },
  };
  sqlite3_stmt *s;

  s = _assay_sync_applier_stmt (a,
    "INSERT INTO calibration_session (id, name, form_version_id, created_by, expert_id, state,"
    " created_at, opened_at, closed_at, rev, dirty) VALUES (?1, ?2, ?3, ?4,"
    " (SELECT id FROM staff WHERE id = ?5), ?6, coalesce (?7, 0), ?8, ?9, ?10, 0)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, expert_id = excluded.expert_id,"
    " state = excluded.state, opened_at = excluded.opened_at, closed_at = excluded.closed_at,"
    " rev = excluded.rev, dirty = 0 WHERE coalesce (calibration_session.rev, 0) <= excluded.rev",
    error);
  if (s == NULL)
    return FALSE;
  _assay_store_bind_text_or_null (s, 1, id);
  _assay_store_bind_text_or_null (s, 2, str (d, "name"));
  _assay_store_bind_text_or_null (s, 3, str (d, "formVersionId"));
  _assay_store_bind_text_or_null (s, 4, str (d, "createdBy"));
  _assay_store_bind_text_or_null (s, 5, str (d, "expertId"));
  _assay_store_bind_text_or_null (s, 6, str (d, "state"));
  bind_num (s, 7, d, "createdAt");
  bind_num (s, 8, d, "openedAt");
  bind_num (s, 9, d, "closedAt");
  sqlite3_bind_int64 (s, 10, rev);
  if (!_assay_sync_run_row (db, s, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    return TRUE;   /* not newer, or left out */

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonNode *n = json_object_get_member (d, lists[l].member);
      JsonArray *ids;

      if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
        continue;
      ids = json_node_get_array (n);
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          s = _assay_sync_applier_stmt (a, lists[l].sql, error);
          if (s == NULL)
            return FALSE;
          _assay_store_bind_text_or_null (s, 1, id);
          _assay_store_bind_text_or_null (s, 2, json_array_get_string_element (ids, i));
          sqlite3_bind_int (s, 3, (int) i);
          if (!_assay_sync_run_row (db, s, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
_assay_sync_apply_calibration_scoring (AssaySyncApplier  *a,
                                       const char        *id,
                                       gint64             rev,
                                       JsonObject        *d,
                                       GError           **error)
{
  sqlite3 *db = _assay_sync_applier_db (a);
  g_autofree char *answers = member_json_text (d, "answers");
  sqlite3_stmt *s;

  /* a submitted scoring never changes: only the revision the server gave it is recorded */
  s = _assay_sync_applier_stmt (a, "UPDATE calibration_scoring SET rev = ?2, dirty = 0 WHERE id = ?1"
                                   " AND submitted_at IS NOT NULL AND coalesce (rev, 0) <= ?2", error);
  if (s == NULL)
    return FALSE;
  _assay_store_bind_text_or_null (s, 1, id);
  sqlite3_bind_int64 (s, 2, rev);
  if (!_assay_sync_run_row (db, s, error))
    return FALSE;

  s = _assay_sync_applier_stmt (a,
    "INSERT INTO calibration_scoring (id, session_id, interaction_id, inspector_id, answers,"
    " comments, updated_at, submitted_at, rev, dirty)"
    " VALUES (?1, ?2, ?3, ?4, coalesce (?5, '{}'), ?6, coalesce (?7, 0), ?8, ?9, 0)"
    " ON CONFLICT (id) DO UPDATE SET answers = excluded.answers, comments = excluded.comments,"
    " updated_at = excluded.updated_at, submitted_at = excluded.submitted_at,"
    " rev = excluded.rev, dirty = 0 WHERE calibration_scoring.submitted_at IS NULL"
    " AND coalesce (calibration_scoring.rev, 0) <= excluded.rev", error);
  if (s == NULL)
    return FALSE;
  _assay_store_bind_text_or_null (s, 1, id);
  _assay_store_bind_text_or_null (s, 2, str (d, "sessionId"));
  _assay_store_bind_text_or_null (s, 3, str (d, "interactionId"));
  _assay_store_bind_text_or_null (s, 4, str (d, "inspectorId"));
  _assay_store_bind_text_or_null (s, 5, answers);
  _assay_store_bind_text_or_null (s, 6, str (d, "comments"));
  bind_num (s, 7, d, "updatedAt");
  bind_num (s, 8, d, "submittedAt");
  sqlite3_bind_int64 (s, 9, rev);
  return _assay_sync_run_row (db, s, error);
}

gboolean
_assay_sync_apply_calibration_consensus (AssaySyncApplier  *a,
                                         const char        *id,
                                         gint64             rev,
                                         JsonObject        *d,
                                         GError           **error)
{
  sqlite3 *db = _assay_sync_applier_db (a);
  g_autofree char *answer = member_json_text (d, "answer");
  sqlite3_stmt *s;

  s = _assay_sync_applier_stmt (a,
    "INSERT INTO calibration_consensus (session_id, interaction_id, item_id, answer, set_by,"
    " set_at, rev, dirty) VALUES (?1, ?2, ?3, ?4, ?5, coalesce (?6, 0), ?7, 0)"
    " ON CONFLICT (session_id, interaction_id, item_id) DO UPDATE SET answer = excluded.answer,"
    " set_by = excluded.set_by, set_at = excluded.set_at, rev = excluded.rev, dirty = 0"
    " WHERE coalesce (calibration_consensus.rev, 0) <= excluded.rev", error);
  if (s == NULL)
    return FALSE;
  _assay_store_bind_text_or_null (s, 1, str (d, "sessionId"));
  _assay_store_bind_text_or_null (s, 2, str (d, "interactionId"));
  _assay_store_bind_text_or_null (s, 3, str (d, "itemId"));
  _assay_store_bind_text_or_null (s, 4, answer);
  _assay_store_bind_text_or_null (s, 5, str (d, "setBy"));
  bind_num (s, 6, d, "setAt");
  sqlite3_bind_int64 (s, 7, rev);
  return _assay_sync_run_row (db, s, error);
}

gboolean
_assay_sync_remove_calibration_consensus (sqlite3     *db,
                                          const char  *id,
                                          GError     **error)
{
  g_autoptr(sqlite3_stmt) rows = NULL;
  int rc;

  /* the wire id is a hash of the key: find the row it names among the synced ones */
  rows = _assay_store_prepare (db, "SELECT session_id, interaction_id, item_id"
                                   " FROM calibration_consensus WHERE rev IS NOT NULL", error);
  if (rows == NULL)
    return FALSE;
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      g_autofree char *wire = _assay_store_consensus_wire_id (_assay_store_column_text (rows, 0),
                                                              _assay_store_column_text (rows, 1),
                                                              _assay_store_column_text (rows, 2));
      g_autoptr(sqlite3_stmt) del = NULL;

      if (strcmp (wire, id) != 0)
        continue;
      del = _assay_store_prepare (db, "DELETE FROM calibration_consensus WHERE session_id = ?1"
                                      " AND interaction_id = ?2 AND item_id = ?3", error);
      if (del == NULL)
        return FALSE;
      for (int i = 0; i < 3; i++)
        sqlite3_bind_text (del, i + 1, _assay_store_column_text (rows, i), -1, SQLITE_TRANSIENT);
      return _assay_store_step_done (db, del, error);
    }
  return rc == SQLITE_DONE ? TRUE : _assay_store_set_error (db, rc, error);
}
