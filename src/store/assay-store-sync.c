/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "assay-store-sync.h"
#include "assay-store-private.h"
#include "assay-store-sync-private.h"
#include "core/assay-util.h"
#include "protocol/assay-collections.h"
#include "protocol/assay-sync-json.h"

/* The store collection (AssayStore::changed) a wire collection's objects belong to. */
static const char *
store_collection (const char *wire)
{
  if (g_str_equal (wire, "interactions") || g_str_equal (wire, "recordings"))
    return ASSAY_STORE_INTERACTIONS;
  if (g_str_equal (wire, "evaluations"))
    return ASSAY_STORE_EVALUATIONS;
  if (g_str_equal (wire, "assignments"))
    return ASSAY_STORE_ASSIGNMENTS;
  if (g_str_equal (wire, "forms"))
    return ASSAY_STORE_FORMS;
  if (g_str_has_prefix (wire, "calibration_"))
    return ASSAY_STORE_CALIBRATION;
  if (g_str_equal (wire, "disputes"))
    return ASSAY_STORE_DISPUTES;
  if (g_str_equal (wire, "acknowledgements"))
    return ASSAY_STORE_ACKNOWLEDGEMENTS;
  if (g_str_has_prefix (wire, "coaching_") || g_str_has_prefix (wire, "training_")
      || g_str_has_prefix (wire, "assessment") || g_str_equal (wire, "courses")
      || g_str_equal (wire, "improvement_actions"))
    return ASSAY_STORE_COACHING;
  return ASSAY_STORE_DIRECTORY;
}

void
assay_sync_batch_free (AssaySyncBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->key);
  g_clear_pointer (&batch->body, json_node_unref);
  g_free (batch);
}

void
assay_sync_conflict_free (AssaySyncConflict *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->evaluation_id);
  g_free (c->kind);
  g_free (c->action);
  g_free (c->local_data);
  g_free (c->server_data);
  g_free (c->reason);
  g_free (c);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static char *
node_to_canonical (JsonNode *node)
{
  return node ? assay_sync_canonical_json (node) : NULL;
}

/* ---- push ---- */

typedef struct {
  GStrv collections;
  guint max_ops;
} BatchInput;

static void
batch_input_free (gpointer p)
{
  BatchInput *in = p;
  g_strfreev (in->collections);
  g_free (in);
}

static gboolean
has_op_clause (GString *sql, char **collections)
{
  g_string_append (sql, " collection IN (");
  for (guint i = 0; collections && collections[i]; i++)
    {
      char *q = sqlite3_mprintf ("%s%Q", i ? "," : "", collections[i]);
      g_string_append (sql, q);
      sqlite3_free (q);
    }
  g_string_append (sql, collections && collections[0] ? ")" : "NULL)");
  return TRUE;
}

/* The rev the server holds for an object, as far as this copy knows: 0 for none. */
static gint64
known_rev (sqlite3    *db,
           const char *collection,
           const char *id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 rev = 0;

  stmt = _assay_store_prepare (db, "SELECT max (coalesce ((SELECT rev FROM sync_object"
                                   " WHERE collection = ?1 AND id = ?2), 0),"
                                   " coalesce ((SELECT rev FROM sync_pushed"
                                   " WHERE collection = ?1 AND id = ?2), 0),"
                                   " coalesce ((SELECT rev FROM evaluation WHERE ?1 = 'evaluations'"
                                   " AND id = ?2), 0))", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rev = sqlite3_column_int64 (stmt, 0);
  return rev;
}

/* The data member of an operation as the wire wants it: evaluations carry their state. */
static JsonNode *
wire_data (const char *collection,
           const char *action,
           const char *text)
{
  JsonNode *node = parse_json (text);
  JsonObject *o;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&node, json_node_unref);
      if (g_str_equal (action, "delete"))
        return NULL;
      node = json_node_init_object (json_node_alloc (), json_object_new ());
    }
  o = json_node_get_object (node);
  if (g_str_equal (collection, "evaluations"))
    {
      if (!json_object_has_member (o, "state"))
        json_object_set_string_member (o, "state", "draft");
      if (!json_object_has_member (o, "answers")
          || JSON_NODE_HOLDS_NULL (json_object_get_member (o, "answers")))
        json_object_set_object_member (o, "answers", json_object_new ());
    }
  return node;
}

static gpointer
next_batch_locked (sqlite3  *db,
                   gpointer  data,
                   GError  **error)
{
  BatchInput *in = data;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GHashTable) predicted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *key = NULL;
  AssaySyncBatch *batch;
  guint n = 0;

  /* a batch sent before whose answer never came goes again, as it was */
  g_string_append (sql, "SELECT batch_key FROM outbox WHERE batch_key IS NOT NULL AND");
  has_op_clause (sql, in->collections);
  g_string_append (sql, " ORDER BY created_at, op_id LIMIT 1");
  stmt = _assay_store_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (key == NULL)
    {
      g_autoptr(sqlite3_stmt) pick = NULL;
      g_autoptr(sqlite3_stmt) set = NULL;

      key = assay_uuid_new ();
      g_string_assign (sql, "SELECT op_id, collection, object_id, action, base_rev, data FROM outbox WHERE");
      has_op_clause (sql, in->collections);
      g_string_append_printf (sql, " ORDER BY created_at, op_id LIMIT %u", in->max_ops);
      pick = _assay_store_prepare (db, sql->str, error);
      /* the data is frozen with the key too: the batch is resent byte for byte */
      set = _assay_store_prepare (db, "UPDATE outbox SET batch_key = ?1, base_rev = ?2,"
                                      " sent_at = coalesce (sent_at, ?3), data = coalesce (?5, data)"
                                      " WHERE op_id = ?4", error);
      if (pick == NULL || set == NULL)
        return NULL;
      while (sqlite3_step (pick) == SQLITE_ROW)
        {
          const char *collection = (const char *) sqlite3_column_text (pick, 1);
          const char *id = (const char *) sqlite3_column_text (pick, 2);
          const char *action = (const char *) sqlite3_column_text (pick, 3);
          g_autofree char *obj = g_strdup_printf ("%s/%s", collection, id);
          gint64 base;

          /* baseRev is frozen when the operation is first put in a batch: the rev it will
           * find if the operations before it in the batch apply */
          if (sqlite3_column_type (pick, 4) != SQLITE_NULL && sqlite3_column_int64 (pick, 4) > 0
              && !g_hash_table_contains (predicted, obj))
            base = sqlite3_column_int64 (pick, 4);
          else if (g_hash_table_contains (predicted, obj))
            base = GPOINTER_TO_SIZE (g_hash_table_lookup (predicted, obj));
          else
            base = known_rev (db, collection, id);
          if (g_str_equal (action, "create"))
            base = 0;
          g_hash_table_insert (predicted, g_steal_pointer (&obj), GSIZE_TO_POINTER ((gsize) base + 1));

          sqlite3_reset (set);
          sqlite3_bind_text (set, 1, key, -1, SQLITE_TRANSIENT);
          _assay_store_bind_int_or_null (set, 2, base, base <= 0);
          sqlite3_bind_int64 (set, 3, assay_now_ms ());
          sqlite3_bind_text (set, 4, (const char *) sqlite3_column_text (pick, 0), -1, SQLITE_TRANSIENT);
          /* an evaluation goes whole: fixed members, answers, score, results, revision */
          if (g_str_equal (collection, "evaluations") && !g_str_equal (action, "delete"))
            {
              g_autofree char *full = _assay_sync_evaluation_wire_data (db, id, action,
                                                                        (const char *) sqlite3_column_text (pick, 5));
              _assay_store_bind_text_or_null (set, 5, full);
            }
          if (!_assay_store_step_done (db, set, error))
            return NULL;
          /* its state is "syncing" now: the pages that show it read it again */
          if (g_str_equal (collection, "evaluations"))
            _assay_store_note_change (db, ASSAY_STORE_EVALUATIONS, id);
          n++;
        }
      if (n == 0)
        return GINT_TO_POINTER (1);   /* nothing to send */
    }

  stmt = _assay_store_prepare (db, "SELECT op_id, collection, object_id, action, base_rev, data, reason"
                                   " FROM outbox WHERE batch_key = ?1 ORDER BY created_at, op_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  n = 0;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *collection = (const char *) sqlite3_column_text (stmt, 1);
      const char *action = (const char *) sqlite3_column_text (stmt, 3);
      JsonNode *d;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "opId");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (b, "collection");
      json_builder_add_string_value (b, collection);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, action);
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        {
          json_builder_set_member_name (b, "baseRev");
          json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 4));
        }
      d = wire_data (collection, action, (const char *) sqlite3_column_text (stmt, 5));
      if (d != NULL)
        {
          json_builder_set_member_name (b, "data");
          json_builder_add_value (b, d);
        }
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        {
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 6));
        }
      json_builder_end_object (b);
      n++;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  batch = g_new0 (AssaySyncBatch, 1);
  batch->key = g_steal_pointer (&key);
  batch->body = json_builder_get_root (b);
  batch->n_ops = n;
  return batch;
}

static gpointer
next_batch_job (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return _assay_store_in_transaction (db, next_batch_locked, data, NULL, error);
}

static void
batch_result_free (gpointer p)
{
  if (p != GINT_TO_POINTER (1))
    assay_sync_batch_free (p);
}

void
assay_store_sync_next_batch_async (AssayStore          *self,
                                   const char * const  *collections,
                                   guint                max_ops,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  BatchInput *in = g_new0 (BatchInput, 1);

  in->collections = g_strdupv ((char **) collections);
  in->max_ops = MAX (max_ops, 1);
  _assay_store_run_async (self, next_batch_job, in, batch_input_free, batch_result_free,
                          assay_store_sync_next_batch_async, cancellable, callback, user_data);
}

AssaySyncBatch *
assay_store_sync_next_batch_finish (AssayStore    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  gpointer r = _assay_store_run_finish (self, result, error);

  return r == GINT_TO_POINTER (1) ? NULL : r;
}

typedef struct {
  char     *key;
  JsonNode *results;
} ResultsInput;

static void
results_input_free (gpointer p)
{
  ResultsInput *in = p;
  g_free (in->key);
  json_node_unref (in->results);
  g_free (in);
}

/* Upserts the server's copy of an object when it is newer than the one kept. */
/* A statement for a page's many objects: the applier's cached one, or a new one in @owned. */
static sqlite3_stmt *
page_stmt (sqlite3           *db,
           AssaySyncApplier  *applier,
           const char        *sql,
           sqlite3_stmt     **owned,
           GError           **error)
{
  if (applier != NULL)
    return _assay_sync_applier_stmt (applier, sql, error);
  return *owned = _assay_store_prepare (db, sql, error);
}

static gboolean
put_server_copy (sqlite3           *db,
                 AssaySyncApplier  *applier,
                 const char        *collection,
                 const char        *id,
                 gint64             rev,
                 gint64             seq,
                 const char        *last_op_id,
                 JsonNode          *data,
                 GError           **error)
{
  g_autoptr(sqlite3_stmt) owned = NULL;
  sqlite3_stmt *stmt;
  g_autofree char *text = node_to_canonical (data);

  if (text == NULL)
    text = g_strdup ("{}");
  stmt = page_stmt (db, applier, "INSERT INTO sync_object (collection, id, rev, seq, last_op_id, data, seen)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) ON CONFLICT (collection, id) DO UPDATE"
                                   " SET rev = ?3, seq = ?4, last_op_id = ?5, data = ?6, seen = 1"
                                   " WHERE excluded.rev > sync_object.rev OR"
                                   " (excluded.rev = sync_object.rev AND (sync_object.seen = 0))", &owned, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, rev);
  _assay_store_bind_int_or_null (stmt, 4, seq, seq <= 0);
  _assay_store_bind_text_or_null (stmt, 5, last_op_id);
  sqlite3_bind_text (stmt, 6, text, -1, SQLITE_TRANSIENT);
  return _assay_store_step_done (db, stmt, error);
}

static gboolean
exec_bound (sqlite3     *db,
            const char  *sql,
            GError     **error,
            const char  *a,
            const char  *b,
            const char  *c)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  _assay_store_bind_text_or_null (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    _assay_store_bind_text_or_null (stmt, 2, b);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    _assay_store_bind_text_or_null (stmt, 3, c);
  return _assay_store_step_done (db, stmt, error);
}

/* An evaluation's one truthful state after its outbox changed. */
static gboolean
settle_evaluation (sqlite3     *db,
                   const char  *id,
                   gint64       rev,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "UPDATE evaluation SET rev = max (coalesce (rev, 0), ?2),"
                                   " sync_state = CASE"
                                   "  WHEN EXISTS (SELECT 1 FROM evaluation_conflict WHERE evaluation_id = ?1"
                                   "   AND resolved_at IS NULL AND kind = 'conflict') THEN 'conflict'"
                                   "  WHEN EXISTS (SELECT 1 FROM evaluation_conflict WHERE evaluation_id = ?1"
                                   "   AND resolved_at IS NULL AND kind = 'rejected') THEN 'rejected'"
                                   "  WHEN EXISTS (SELECT 1 FROM outbox WHERE object_id = ?1"
                                   "   AND collection = 'evaluations' AND sent_at IS NOT NULL) THEN 'syncing'"
                                   "  WHEN EXISTS (SELECT 1 FROM outbox WHERE object_id = ?1"
                                   "   AND collection = 'evaluations') THEN 'local'"
                                   "  ELSE 'synced' END,"
                                   " synced_at = CASE WHEN ?2 > 0 THEN ?3 ELSE synced_at END,"
                                   " sync_reason = (SELECT reason FROM evaluation_conflict WHERE evaluation_id = ?1"
                                   "   AND resolved_at IS NULL ORDER BY created_at DESC LIMIT 1),"
                                   " dirty = EXISTS (SELECT 1 FROM outbox WHERE object_id = ?1"
                                   "   AND collection = 'evaluations')"
                                   " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, rev);
  sqlite3_bind_int64 (stmt, 3, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) > 0)
    _assay_store_note_change (db, ASSAY_STORE_EVALUATIONS, id);
  return TRUE;
}

static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

static gint64
member_int (JsonObject *o,
            const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_int (n) : 0;
}

static gboolean
keep_aside (sqlite3     *db,
            const char  *kind,
            const char  *op_id,
            JsonObject  *result,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonObject *current = NULL, *problem = NULL;
  g_autofree char *server_data = NULL;
  g_autofree char *conflict_id = assay_uuid_new ();
  const char *reason = NULL;
  gint64 server_rev = 0;

  if (json_object_has_member (result, "current")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (result, "current")))
    current = json_object_get_object_member (result, "current");
  if (json_object_has_member (result, "problem")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (result, "problem")))
    problem = json_object_get_object_member (result, "problem");
  if (current != NULL && json_object_has_member (current, "data"))
    server_data = node_to_canonical (json_object_get_member (current, "data"));
  server_rev = member_int (current, "rev");
  reason = member_string (problem, "detail");
  if (reason == NULL)
    reason = member_string (problem, "title");

  stmt = _assay_store_prepare (db, "INSERT INTO evaluation_conflict (id, evaluation_id, kind, op_id,"
                                   " action, local_data, server_rev, server_data, reason, created_at)"
                                   " SELECT ?1, object_id, ?2, op_id, action, data, ?3, ?4, ?5, ?6"
                                   " FROM outbox WHERE op_id = ?7", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conflict_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  _assay_store_bind_int_or_null (stmt, 3, server_rev, server_rev <= 0);
  _assay_store_bind_text_or_null (stmt, 4, server_data);
  _assay_store_bind_text_or_null (stmt, 5, reason);
  sqlite3_bind_int64 (stmt, 6, assay_now_ms ());
  sqlite3_bind_text (stmt, 7, op_id, -1, SQLITE_TRANSIENT);
  return _assay_store_step_done (db, stmt, error);
}

static gpointer
apply_results_locked (sqlite3  *db,
                      gpointer  data,
                      GError  **error)
{
  ResultsInput *in = data;
  AssaySyncPushResult *out = g_new0 (AssaySyncPushResult, 1);
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *results;
  GHashTableIter iter;
  gpointer k, v;

  if (!JSON_NODE_HOLDS_ARRAY (in->results))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The server's answer has no list of results."));
      g_free (out);
      return NULL;
    }
  results = json_node_get_array (in->results);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      const char *op_id = member_string (r, "opId");
      const char *status = member_string (r, "status");
      g_autoptr(sqlite3_stmt) find = NULL;
      g_autofree char *collection = NULL;
      g_autofree char *object_id = NULL;
      gint64 rev = member_int (r, "rev");

      if (op_id == NULL || status == NULL)
        continue;
      find = _assay_store_prepare (db, "SELECT collection, object_id FROM outbox WHERE op_id = ?1"
                                       " AND batch_key = ?2", error);
      if (find == NULL)
        goto fail;
      sqlite3_bind_text (find, 1, op_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (find, 2, in->key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (find) != SQLITE_ROW)
        continue;
      collection = _assay_store_column_dup (find, 0);
      object_id = _assay_store_column_dup (find, 1);

      if (g_str_equal (status, "applied") || g_str_equal (status, "duplicate"))
        {
          g_autofree char *rev_text = g_strdup_printf ("%" G_GINT64_FORMAT, rev);

          out->applied++;
          if (!exec_bound (db, "DELETE FROM outbox WHERE op_id = ?1", error, op_id, NULL, NULL))
            goto fail;
          if (rev > 0
              && !exec_bound (db, "INSERT INTO sync_pushed (collection, id, rev)"
                                  " VALUES (?2, ?3, CAST (?1 AS INTEGER)) ON CONFLICT (collection, id)"
                                  " DO UPDATE SET rev = max (rev, excluded.rev)",
                              error, rev_text, collection, object_id))
            goto fail;
          /* later operations on the object were made on top of this one: their baseRev is
           * the rev it produced (the feed may bring the object only after they are sent) */
          if (rev > 0
              && !exec_bound (db, "UPDATE outbox SET base_rev = CAST (?1 AS INTEGER)"
                                  " WHERE collection = ?2 AND object_id = ?3 AND batch_key IS NULL"
                                  " AND action <> 'create'", error, rev_text, collection, object_id))
            goto fail;
        }
      else if (g_str_equal (status, "conflict") || g_str_equal (status, "rejected"))
        {
          gboolean conflict = g_str_equal (status, "conflict");
          JsonObject *current = NULL;

          if (conflict)
            out->conflicts++;
          else
            out->rejected++;
          if (!keep_aside (db, conflict ? "conflict" : "rejected", op_id, r, error)
              || !exec_bound (db, "DELETE FROM outbox WHERE op_id = ?1", error, op_id, NULL, NULL))
            goto fail;
          /* the server's copy becomes the object; the local one is the conflicting copy */
          if (json_object_has_member (r, "current")
              && JSON_NODE_HOLDS_OBJECT (json_object_get_member (r, "current")))
            current = json_object_get_object_member (r, "current");
          if (current != NULL && member_int (current, "rev") > 0
              && !put_server_copy (db, NULL, collection, object_id, member_int (current, "rev"),
                                   member_int (current, "seq"), member_string (current, "lastOpId"),
                                   json_object_get_member (current, "data"), error))
            goto fail;
          rev = member_int (current, "rev");
        }
      else
        {
          /* blocked: tried again in a later batch, under a new key */
          out->blocked++;
          if (!exec_bound (db, "UPDATE outbox SET batch_key = NULL, base_rev = NULL WHERE op_id = ?1",
                           error, op_id, NULL, NULL))
            goto fail;
        }
      if (g_str_equal (collection, "evaluations"))
        {
          gint64 old = GPOINTER_TO_SIZE (g_hash_table_lookup (touched, object_id));
          g_hash_table_insert (touched, g_strdup (object_id), GSIZE_TO_POINTER ((gsize) MAX (old, rev)));
        }
      _assay_store_note_change (db, store_collection (collection), object_id);
    }

  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (!settle_evaluation (db, k, (gint64) GPOINTER_TO_SIZE (v), error))
      goto fail;
  return out;

fail:
  g_free (out);
  return NULL;
}

static gpointer
apply_results_job (sqlite3       *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return _assay_store_in_transaction (db, apply_results_locked, data, g_free, error);
}

void
assay_store_sync_apply_results_async (AssayStore          *self,
                                      const char          *key,
                                      JsonNode            *results,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ResultsInput *in = g_new0 (ResultsInput, 1);

  in->key = g_strdup (key);
  in->results = json_node_ref (results);
  _assay_store_run_async (self, apply_results_job, in, results_input_free, g_free,
                          assay_store_sync_apply_results_async, cancellable, callback, user_data);
}

gboolean
assay_store_sync_apply_results_finish (AssayStore          *self,
                                       GAsyncResult        *result,
                                       AssaySyncPushResult *out,
                                       GError             **error)
{
  g_autofree AssaySyncPushResult *r = _assay_store_run_finish (self, result, error);

  if (r == NULL)
    return FALSE;
  if (out)
    *out = *r;
  return TRUE;
}

/* ---- pull ---- */

static gpointer
get_feed_job (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  stmt = _assay_store_prepare (db, "SELECT cursor, state FROM sync_state WHERE collection = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  json_builder_begin_object (b);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_builder_set_member_name (b, "cursor");
      if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
        json_builder_add_null_value (b);
      else
        json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (b, "state");
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        json_builder_add_null_value (b);
      else
        json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 1));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
assay_store_sync_get_feed_async (AssayStore          *self,
                                 const char          *collection,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  _assay_store_run_async (self, get_feed_job, g_strdup (collection), g_free,
                          (GDestroyNotify) json_node_unref, assay_store_sync_get_feed_async,
                          cancellable, callback, user_data);
}

JsonNode *
assay_store_sync_get_feed_finish (AssayStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _assay_store_run_finish (self, result, error);
}

typedef struct {
  char     *collection;
  JsonNode *page;
} PageInput;

static void
page_input_free (gpointer p)
{
  PageInput *in = p;
  g_free (in->collection);
  json_node_unref (in->page);
  g_free (in);
}

/* Whether the object has local work the server has not applied: an operation in the outbox. */
static gboolean
has_local_work (sqlite3          *db,
                AssaySyncApplier *applier,
                const char       *collection,
                const char       *id)
{
  g_autoptr(sqlite3_stmt) owned = NULL;
  sqlite3_stmt *stmt;

  stmt = page_stmt (db, applier, "SELECT 1 FROM outbox WHERE collection = ?1 AND object_id = ?2",
                    &owned, NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gpointer
apply_page_locked (sqlite3  *db,
                   gpointer  data,
                   GError  **error)
{
  PageInput *in = data;
  JsonObject *page = json_node_get_object (in->page);
  JsonArray *upserted = NULL, *deleted = NULL;
  g_autoptr(sqlite3_stmt) state = NULL;
  g_autoptr(AssaySyncApplier) applier = _assay_sync_applier_new (db);
  guint *n = g_new0 (guint, 1);
  gboolean has_more;

  if (json_object_has_member (page, "upserted"))
    upserted = json_object_get_array_member (page, "upserted");
  if (json_object_has_member (page, "deleted"))
    deleted = json_object_get_array_member (page, "deleted");
  has_more = json_object_get_boolean_member_with_default (page, "hasMore", FALSE);

  for (guint i = 0; upserted && i < json_array_get_length (upserted); i++)
    {
      JsonObject *item = json_array_get_object_element (upserted, i);
      const char *id = member_string (item, "id");
      const char *last_op = member_string (item, "lastOpId");
      gint64 rev = member_int (item, "rev");
      JsonNode *item_data = json_object_get_member (item, "data");
      gboolean local_work;

      if (id == NULL || rev <= 0)
        continue;
      /* An echo of an operation whose answer was lost (lastOpId still in the outbox) is left
       * to the batch's replay under the same key, which the server answers "duplicate": the
       * body of a sent batch never changes (422 otherwise). */
      if (!put_server_copy (db, applier, in->collection, id, rev, member_int (item, "seq"), last_op,
                            item_data, error))
        goto fail;
      /* the domain tables take the server's copy, unless local work is waiting on the row */
      local_work = has_local_work (db, applier, in->collection, id);
      if (!local_work && item_data != NULL && JSON_NODE_HOLDS_OBJECT (item_data)
          && !_assay_sync_applier_upsert (applier, in->collection, id, rev,
                                          json_node_get_object (item_data), error))
        goto fail;
      if (g_str_equal (in->collection, "evaluations")
          && !settle_evaluation (db, id, local_work ? 0 : rev, error))
        goto fail;
      _assay_store_note_change (db, store_collection (in->collection), id);
      (*n)++;
    }
  for (guint i = 0; deleted && i < json_array_get_length (deleted); i++)
    {
      JsonObject *item = json_array_get_object_element (deleted, i);
      const char *id = member_string (item, "id");

      if (id == NULL || has_local_work (db, applier, in->collection, id))
        continue;
      if (!exec_bound (db, "DELETE FROM sync_object WHERE collection = ?1 AND id = ?2", error,
                       in->collection, id, NULL)
          || !_assay_sync_applier_remove (applier, in->collection, id, error))
        goto fail;
      _assay_store_note_change (db, store_collection (in->collection), id);
      (*n)++;
    }

  /* the end of a resync: what it did not see is gone, except objects with local work */
  if (!has_more)
    {
      g_autoptr(sqlite3_stmt) gone = NULL;
      g_autoptr(GPtrArray) gone_ids = g_ptr_array_new_with_free_func (g_free);
      int rc;

      gone = _assay_store_prepare (db, "DELETE FROM sync_object WHERE collection = ?1 AND seen = 0"
                                       " AND (SELECT resync FROM sync_state WHERE collection = ?1) = 1"
                                       " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.collection = ?1"
                                       "  AND o.object_id = sync_object.id)"
                                       " AND NOT EXISTS (SELECT 1 FROM evaluation_conflict c"
                                       "  WHERE c.evaluation_id = sync_object.id AND c.resolved_at IS NULL)"
                                       " RETURNING id",
                                   error);

      if (gone == NULL)
        goto fail;
      sqlite3_bind_text (gone, 1, in->collection, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (gone)) == SQLITE_ROW)
        g_ptr_array_add (gone_ids, _assay_store_column_dup (gone, 0));
      if (rc != SQLITE_DONE)
        {
          _assay_store_set_error (db, rc, error);
          goto fail;
        }
      for (guint i = 0; i < gone_ids->len; i++)
        if (!_assay_sync_applier_remove (applier, in->collection, gone_ids->pdata[i], error))
          goto fail;
      if (gone_ids->len > 0)
        _assay_store_note_change (db, store_collection (in->collection), NULL);
    }

  state = _assay_store_prepare (db, "INSERT INTO sync_state (collection, cursor, state, synced_at, resync)"
                                    " VALUES (?1, ?2, ?3, ?4, 0) ON CONFLICT (collection) DO UPDATE"
                                    " SET cursor = ?2, state = ?3, synced_at = ?4,"
                                    " resync = CASE WHEN ?5 THEN resync ELSE 0 END", error);
  if (state == NULL)
    goto fail;
  sqlite3_bind_text (state, 1, in->collection, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (state, 2, member_string (page, "cursor"));
  /* the state is what lets a later cycle skip the feed: kept only once the last page is in,
   * so a pull cut between pages goes on from its cursor instead of looking complete */
  _assay_store_bind_text_or_null (state, 3, has_more ? NULL : member_string (page, "state"));
  sqlite3_bind_int64 (state, 4, assay_now_ms ());
  sqlite3_bind_int (state, 5, has_more);
  if (!_assay_store_step_done (db, state, error))
    goto fail;
  return n;

fail:
  g_free (n);
  return NULL;
}

static gpointer
apply_page_job (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return _assay_store_in_transaction (db, apply_page_locked, data, g_free, error);
}

void
assay_store_sync_apply_page_async (AssayStore          *self,
                                   const char          *collection,
                                   JsonNode            *page,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  PageInput *in = g_new0 (PageInput, 1);

  in->collection = g_strdup (collection);
  in->page = json_node_ref (page);
  _assay_store_run_async (self, apply_page_job, in, page_input_free, g_free,
                          assay_store_sync_apply_page_async, cancellable, callback, user_data);
}

gboolean
assay_store_sync_apply_page_finish (AssayStore    *self,
                                    GAsyncResult  *result,
                                    guint         *n_applied,
                                    GError       **error)
{
  g_autofree guint *n = _assay_store_run_finish (self, result, error);

  if (n == NULL)
    return FALSE;
  if (n_applied)
    *n_applied = *n;
  return TRUE;
}

static gpointer
begin_resync_locked (sqlite3  *db,
                     gpointer  data,
                     GError  **error)
{
  if (!exec_bound (db, "INSERT INTO sync_state (collection, cursor, resync) VALUES (?1, NULL, 1)"
                       " ON CONFLICT (collection) DO UPDATE SET cursor = NULL, state = NULL, resync = 1",
                   error, data, NULL, NULL)
      || !exec_bound (db, "UPDATE sync_object SET seen = 0 WHERE collection = ?1", error, data, NULL, NULL))
    return NULL;
  return GINT_TO_POINTER (1);
}

static gpointer
begin_resync_job (sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return _assay_store_in_transaction (db, begin_resync_locked, data, NULL, error);
}

void
assay_store_sync_begin_resync_async (AssayStore          *self,
                                     const char          *collection,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  _assay_store_run_async (self, begin_resync_job, g_strdup (collection), g_free, NULL,
                          assay_store_sync_begin_resync_async, cancellable, callback, user_data);
}

gboolean
assay_store_sync_begin_resync_finish (AssayStore    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _assay_store_run_finish (self, result, error) != NULL;
}

/* ---- what is waiting ---- */

static gpointer
counts_job (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT (SELECT count(*) FROM outbox WHERE");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  AssaySyncCounts *c;
  guint n;
  const AssayCollection *all = assay_collections_get (&n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, (gpointer) all[i].name);
  g_ptr_array_add (names, NULL);
  has_op_clause (sql, (char **) names->pdata);
  g_string_append (sql, "), (SELECT count(*) FROM evaluation_conflict WHERE resolved_at IS NULL)");
  stmt = _assay_store_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _assay_store_set_error (db, SQLITE_ERROR, error);
      return NULL;
    }
  c = g_new0 (AssaySyncCounts, 1);
  c->pending = sqlite3_column_int (stmt, 0);
  c->conflicts = sqlite3_column_int (stmt, 1);
  return c;
}

void
assay_store_sync_counts_async (AssayStore          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _assay_store_run_async (self, counts_job, NULL, NULL, g_free, assay_store_sync_counts_async,
                          cancellable, callback, user_data);
}

gboolean
assay_store_sync_counts_finish (AssayStore       *self,
                                GAsyncResult     *result,
                                AssaySyncCounts  *out,
                                GError          **error)
{
  g_autofree AssaySyncCounts *c = _assay_store_run_finish (self, result, error);

  if (c == NULL)
    return FALSE;
  if (out)
    *out = *c;
  return TRUE;
}

static gpointer
list_conflicts_job (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list;

  stmt = _assay_store_prepare (db, "SELECT id, evaluation_id, kind, action, local_data, server_rev,"
                                   " server_data, reason, created_at FROM evaluation_conflict"
                                   " WHERE resolved_at IS NULL ORDER BY created_at, id", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_sync_conflict_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      AssaySyncConflict *c = g_new0 (AssaySyncConflict, 1);

      c->id = _assay_store_column_dup (stmt, 0);
      c->evaluation_id = _assay_store_column_dup (stmt, 1);
      c->kind = _assay_store_column_dup (stmt, 2);
      c->action = _assay_store_column_dup (stmt, 3);
      c->local_data = _assay_store_column_dup (stmt, 4);
      c->server_rev = sqlite3_column_int64 (stmt, 5);
      c->server_data = _assay_store_column_dup (stmt, 6);
      c->reason = _assay_store_column_dup (stmt, 7);
      c->created_at = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (list, c);
    }
  return list;
}

void
assay_store_sync_list_conflicts_async (AssayStore          *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  _assay_store_run_async (self, list_conflicts_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_sync_list_conflicts_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_sync_list_conflicts_finish (AssayStore    *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _assay_store_run_finish (self, result, error);
}

static gpointer
resolve_locked (sqlite3  *db,
                gpointer  data,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *eval = NULL;

  stmt = _assay_store_prepare (db, "UPDATE evaluation_conflict SET resolved_at = ?2"
                                   " WHERE id = ?1 AND resolved_at IS NULL RETURNING evaluation_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, assay_now_ms ());
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("There is no open conflict %s."), (const char *) data);
      return NULL;
    }
  eval = _assay_store_column_dup (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!settle_evaluation (db, eval, 0, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static gpointer
resolve_job (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _assay_store_in_transaction (db, resolve_locked, data, NULL, error);
}

gboolean
assay_store_sync_resolve_conflict_sync (AssayStore  *self,
                                        const char  *conflict_id,
                                        GError     **error)
{
  return _assay_store_run_sync (self, resolve_job, (gpointer) conflict_id, error) != NULL;
}

/* ---- dump ---- */

static gpointer
dump_job (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out;

  stmt = _assay_store_prepare (db, "SELECT id, rev, data FROM sync_object WHERE collection = ?1"
                                   " ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  out = g_string_new (NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) d = parse_json ((const char *) sqlite3_column_text (stmt, 2));
      g_autofree char *line = assay_sync_dump_line ((const char *) sqlite3_column_text (stmt, 0),
                                                    sqlite3_column_int64 (stmt, 1), d);

      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

char *
assay_store_sync_dump_sync (AssayStore  *self,
                            const char  *collection,
                            GError     **error)
{
  return _assay_store_run_sync (self, dump_job, (gpointer) collection, error);
}
