/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "assay-central-storage.h"

/*
 * The SQLite storage: one connection, WAL, synchronous=FULL. The server runs on one main loop,
 * so the connection is used from one thread. Objects of every collection live in one table
 * (the collections table in protocol says what they mean); the feed reads it by (collection, seq).
 */

typedef struct {
  AssayCentralStorage parent;
  sqlite3            *db;
} Sqlite;

#define SCHEMA_VERSION 1

static const char schema[] =
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ") STRICT;"
  "CREATE TABLE object ("
  "  collection TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  rev INTEGER NOT NULL CHECK (rev >= 1),"
  "  seq INTEGER NOT NULL UNIQUE,"
  "  last_op_id TEXT,"
  "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  owner_id TEXT, team_id TEXT, agent_id TEXT, state TEXT,"
  "  data TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (collection, id)"
  ") STRICT;"
  "CREATE INDEX object_feed ON object (collection, seq);"
  "CREATE INDEX object_agent ON object (agent_id, collection) WHERE agent_id IS NOT NULL;"
  /* the scope an object had before a write moved it out, so feeds can say it left */
  "CREATE TABLE scope_exit ("
  "  seq INTEGER NOT NULL,"
  "  collection TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  owner_id TEXT, team_id TEXT, agent_id TEXT, state TEXT"
  ") STRICT;"
  "CREATE INDEX scope_exit_feed ON scope_exit (collection, seq);"
  "CREATE TABLE op_result ("
  "  op_id TEXT PRIMARY KEY NOT NULL,"
  "  user_id TEXT NOT NULL,"
  "  result TEXT NOT NULL,"
  "  at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE batch ("
  "  user_id TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  body_sha256 TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, key)"
  ") STRICT;"
  "CREATE TABLE account ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  login TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  roles INTEGER NOT NULL CHECK (roles > 0),"
  "  agent_id TEXT,"
  "  password TEXT,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE token ("
  "  hash TEXT PRIMARY KEY NOT NULL,"
  "  account_id TEXT NOT NULL REFERENCES account (id),"
  "  label TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ") STRICT;"
  "CREATE INDEX token_account ON token (account_id);"
  "CREATE TABLE blob ("
  "  sha256 TEXT PRIMARY KEY NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE audit_log ("
  "  n INTEGER PRIMARY KEY,"
  "  collection TEXT NOT NULL,"
  "  object_id TEXT NOT NULL,"
  "  user_id TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  action TEXT NOT NULL,"
  "  reason TEXT,"
  "  revision INTEGER,"
  "  before TEXT,"
  "  after TEXT"
  ") STRICT;"
  "CREATE INDEX audit_log_object ON audit_log (object_id);"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "INSERT INTO meta (key, value) VALUES ('seq', '0');";

G_DEFINE_QUARK (assay-central-error-quark, assay_central_error)

static gboolean
set_error (Sqlite  *self,
           int      rc,
           GError **error)
{
  g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_STORAGE,
               "The central database failed: %s (%s)", sqlite3_errmsg (self->db),
               sqlite3_errstr (rc));
  return FALSE;
}

static sqlite3_stmt *
prepare (Sqlite      *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_error (self, rc, error);
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           i)
{
  const unsigned char *text = sqlite3_column_text (stmt, i);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
exec (Sqlite      *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : set_error (self, rc, error);
}

/* runs a statement that returns no row */
static gboolean
step_done (Sqlite        *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  return rc == SQLITE_DONE ? TRUE : set_error (self, rc, error);
}

static void
sqlite_close (AssayCentralStorage *storage)
{
  Sqlite *self = (Sqlite *) storage;

  sqlite3_close_v2 (self->db);
  g_free (self->parent.dir);
  g_free (self);
}

static gboolean
sqlite_begin (AssayCentralStorage  *storage,
              GError              **error)
{
  return exec ((Sqlite *) storage, "BEGIN IMMEDIATE", error);
}

static gboolean
sqlite_commit (AssayCentralStorage  *storage,
               GError              **error)
{
  return exec ((Sqlite *) storage, "COMMIT", error);
}

static void
sqlite_rollback (AssayCentralStorage *storage)
{
  Sqlite *self = (Sqlite *) storage;

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
sqlite_savepoint (AssayCentralStorage  *storage,
                  GError              **error)
{
  return exec ((Sqlite *) storage, "SAVEPOINT op", error);
}

static gboolean
sqlite_release (AssayCentralStorage  *storage,
                GError              **error)
{
  return exec ((Sqlite *) storage, "RELEASE op", error);
}

static void
sqlite_rollback_to (AssayCentralStorage *storage)
{
  sqlite3_exec (((Sqlite *) storage)->db, "ROLLBACK TO op; RELEASE op", NULL, NULL, NULL);
}

static gboolean
sqlite_next_seq (AssayCentralStorage  *storage,
                 gint64               *seq,
                 GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "UPDATE meta SET value = CAST (value AS INTEGER) + 1 WHERE key = 'seq' "
                   "RETURNING CAST (value AS INTEGER)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_error (self, rc, error);
  *seq = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
sqlite_max_seq (AssayCentralStorage  *storage,
                const char           *collection,
                gint64               *seq,
                GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (collection != NULL)
    {
      stmt = prepare (self, "SELECT max(seq) FROM (SELECT max(seq) AS seq FROM object "
                            "WHERE collection = ?1 UNION ALL SELECT max(seq) FROM scope_exit "
                            "WHERE collection = ?1)", error);
      if (stmt != NULL)
        bind_text (stmt, 1, collection);
    }
  else
    stmt = prepare (self, "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'seq'", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_error (self, rc, error);
  *seq = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
sqlite_get_meta (AssayCentralStorage  *storage,
                 const char           *key,
                 char                **value,
                 GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT value FROM meta WHERE key = ?1", error);
  int rc;

  *value = NULL;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = column_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    return set_error (self, rc, error);
  return TRUE;
}

static gboolean
sqlite_set_meta (AssayCentralStorage  *storage,
                 const char           *key,
                 const char           *value,
                 GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  return step_done (self, stmt, error);
}

#define OBJECT_COLUMNS "collection, id, rev, seq, last_op_id, deleted, owner_id, team_id, " \
                       "agent_id, state, data, updated_at"

static void
read_object (sqlite3_stmt       *stmt,
             AssayCentralObject *out)
{
  out->collection = column_text (stmt, 0);
  out->id = column_text (stmt, 1);
  out->rev = sqlite3_column_int64 (stmt, 2);
  out->seq = sqlite3_column_int64 (stmt, 3);
  out->last_op_id = column_text (stmt, 4);
  out->deleted = sqlite3_column_int (stmt, 5) != 0;
  out->owner_id = column_text (stmt, 6);
  out->team_id = column_text (stmt, 7);
  out->agent_id = column_text (stmt, 8);
  out->state = column_text (stmt, 9);
  out->data = column_text (stmt, 10);
  out->updated_at = sqlite3_column_int64 (stmt, 11);
}

static int
sqlite_get_object (AssayCentralStorage  *storage,
                   const char           *collection,
                   const char           *id,
                   AssayCentralObject   *out,
                   GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT " OBJECT_COLUMNS " FROM object WHERE collection = ?1 AND id = ?2",
             error);
  int rc;

  memset (out, 0, sizeof *out);
  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, collection);
  bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      read_object (stmt, out);
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  set_error (self, rc, error);
  return -1;
}

static gboolean
scope_changed (const AssayCentralObject *a,
               const AssayCentralObject *b)
{
  return g_strcmp0 (a->owner_id, b->owner_id) != 0 || g_strcmp0 (a->team_id, b->team_id) != 0
         || g_strcmp0 (a->agent_id, b->agent_id) != 0 || g_strcmp0 (a->state, b->state) != 0;
}

static gboolean
sqlite_put_object (AssayCentralStorage       *storage,
                   const AssayCentralObject  *object,
                   const AssayCentralObject  *before,
                   GError                   **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT OR REPLACE INTO object (" OBJECT_COLUMNS ") "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, object->collection);
  bind_text (stmt, 2, object->id);
  sqlite3_bind_int64 (stmt, 3, object->rev);
  sqlite3_bind_int64 (stmt, 4, object->seq);
  bind_text (stmt, 5, object->last_op_id);
  sqlite3_bind_int (stmt, 6, object->deleted ? 1 : 0);
  bind_text (stmt, 7, object->owner_id);
  bind_text (stmt, 8, object->team_id);
  bind_text (stmt, 9, object->agent_id);
  bind_text (stmt, 10, object->state);
  bind_text (stmt, 11, object->data);
  sqlite3_bind_int64 (stmt, 12, object->updated_at);
  if (!step_done (self, stmt, error))
    return FALSE;

  if (before != NULL && !before->deleted && scope_changed (object, before))
    {
      g_autoptr(sqlite3_stmt) exit_stmt =
        prepare (self, "INSERT INTO scope_exit (seq, collection, id, owner_id, team_id, "
                       "agent_id, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);

      if (exit_stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (exit_stmt, 1, object->seq);
      bind_text (exit_stmt, 2, before->collection);
      bind_text (exit_stmt, 3, before->id);
      bind_text (exit_stmt, 4, before->owner_id);
      bind_text (exit_stmt, 5, before->team_id);
      bind_text (exit_stmt, 6, before->agent_id);
      bind_text (exit_stmt, 7, before->state);
      if (!step_done (self, exit_stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_feed_scan (AssayCentralStorage  *storage,
                  const char           *collection,
                  gint64                since,
                  guint                 limit,
                  GPtrArray            *out,
                  GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT * FROM ("
                   " SELECT * FROM (SELECT " OBJECT_COLUMNS ", 0 AS exit FROM object"
                   "  WHERE collection = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3)"
                   " UNION ALL"
                   " SELECT * FROM (SELECT collection, id, 0, seq, NULL, 0, owner_id, team_id,"
                   "  agent_id, state, '{}', 0, 1 FROM scope_exit"
                   "  WHERE collection = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3)"
                   ") ORDER BY seq, exit LIMIT ?3", error);
  /* each side reads at most @limit rows in index order: a page costs its size, not the feed's */
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, collection);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCentralObject *object = g_new0 (AssayCentralObject, 1);

      read_object (stmt, object);
      object->exit = sqlite3_column_int (stmt, 12) != 0;
      g_ptr_array_add (out, object);
    }
  return rc == SQLITE_DONE ? TRUE : set_error (self, rc, error);
}

static gboolean
sqlite_list_objects (AssayCentralStorage  *storage,
                     const char           *collection,
                     GPtrArray            *out,
                     GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT " OBJECT_COLUMNS " FROM object WHERE collection = ?1 AND NOT deleted "
                   "ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, collection);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCentralObject *object = g_new0 (AssayCentralObject, 1);

      read_object (stmt, object);
      g_ptr_array_add (out, object);
    }
  return rc == SQLITE_DONE ? TRUE : set_error (self, rc, error);
}

static gboolean
sqlite_agent_has_form (AssayCentralStorage  *storage,
                       const char           *agent_id,
                       const char           *form_id,
                       gboolean             *out,
                       GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT 1 FROM object WHERE agent_id = ?1 AND collection = 'evaluations' "
                   "AND state = 'submitted' AND NOT deleted "
                   "AND json_extract (data, '$.formVersionId') = ?2 LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, agent_id);
  bind_text (stmt, 2, form_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, rc, error);
  *out = rc == SQLITE_ROW;
  return TRUE;
}

static int
sqlite_get_op_result (AssayCentralStorage  *storage,
                      const char           *op_id,
                      char                **user_id,
                      char                **result,
                      GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT user_id, result FROM op_result WHERE op_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, op_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *user_id = column_text (stmt, 0);
      *result = column_text (stmt, 1);
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  set_error (self, rc, error);
  return -1;
}

static gboolean
sqlite_put_op_result (AssayCentralStorage  *storage,
                      const char           *op_id,
                      const char           *user_id,
                      const char           *result,
                      GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO op_result (op_id, user_id, result, at) VALUES (?1, ?2, ?3, ?4)",
             error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, op_id);
  bind_text (stmt, 2, user_id);
  bind_text (stmt, 3, result);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / 1000);
  return step_done (self, stmt, error);
}

static int
sqlite_check_batch (AssayCentralStorage  *storage,
                    const char           *user_id,
                    const char           *key,
                    const char           *body_sha256,
                    GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT body_sha256 FROM batch WHERE user_id = ?1 AND key = ?2", error);
  g_autoptr(sqlite3_stmt) insert = NULL;
  int rc;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, user_id);
  bind_text (stmt, 2, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), body_sha256) == 0 ? 1 : 2;
  if (rc != SQLITE_DONE)
    {
      set_error (self, rc, error);
      return -1;
    }
  insert = prepare (self, "INSERT INTO batch (user_id, key, body_sha256, at) "
                          "VALUES (?1, ?2, ?3, ?4)", error);
  if (insert == NULL)
    return -1;
  bind_text (insert, 1, user_id);
  bind_text (insert, 2, key);
  bind_text (insert, 3, body_sha256);
  sqlite3_bind_int64 (insert, 4, g_get_real_time () / 1000);
  return step_done (self, insert, error) ? 0 : -1;
}

static gboolean
sqlite_audit_append (AssayCentralStorage      *storage,
                     const AssayCentralAudit  *entry,
                     GError                  **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO audit_log (collection, object_id, user_id, at, action, reason, "
                   "revision, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry->collection);
  bind_text (stmt, 2, entry->object_id);
  bind_text (stmt, 3, entry->user_id);
  sqlite3_bind_int64 (stmt, 4, entry->at);
  bind_text (stmt, 5, entry->action);
  bind_text (stmt, 6, entry->reason);
  sqlite3_bind_int64 (stmt, 7, entry->revision);
  bind_text (stmt, 8, entry->before);
  bind_text (stmt, 9, entry->after);
  return step_done (self, stmt, error);
}

static AssayCentralUser *
read_user (sqlite3_stmt *stmt)
{
  AssayCentralUser *user = g_new0 (AssayCentralUser, 1);

  user->id = column_text (stmt, 0);
  user->login = column_text (stmt, 1);
  user->name = column_text (stmt, 2);
  user->roles = (guint) sqlite3_column_int (stmt, 3);
  user->agent_id = column_text (stmt, 4);
  user->password = column_text (stmt, 5);
  user->created_at = sqlite3_column_int64 (stmt, 6);
  return user;
}

#define USER_COLUMNS "a.id, a.login, a.name, a.roles, a.agent_id, a.password, a.created_at"

static int
sqlite_get_user (AssayCentralStorage  *storage,
                 const char           *login,
                 const char           *id,
                 AssayCentralUser    **out,
                 GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, login != NULL ? "SELECT " USER_COLUMNS " FROM account a WHERE login = ?1"
                                 : "SELECT " USER_COLUMNS " FROM account a WHERE id = ?1", error);
  int rc;

  *out = NULL;
  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, login != NULL ? login : id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = read_user (stmt);
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  set_error (self, rc, error);
  return -1;
}

static gboolean
sqlite_put_user (AssayCentralStorage     *storage,
                 const AssayCentralUser  *user,
                 GError                 **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO account (id, login, name, roles, agent_id, password, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET "
                   "login = excluded.login, name = excluded.name, roles = excluded.roles, "
                   "agent_id = excluded.agent_id, password = excluded.password", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user->id);
  bind_text (stmt, 2, user->login);
  bind_text (stmt, 3, user->name);
  sqlite3_bind_int (stmt, 4, (int) user->roles);
  bind_text (stmt, 5, user->agent_id);
  bind_text (stmt, 6, user->password);
  sqlite3_bind_int64 (stmt, 7, user->created_at);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_put_token (AssayCentralStorage  *storage,
                  const char           *hash,
                  const char           *user_id,
                  const char           *label,
                  GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO token (hash, account_id, label, created_at) "
                   "VALUES (?1, ?2, ?3, ?4)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, hash);
  bind_text (stmt, 2, user_id);
  bind_text (stmt, 3, label);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / 1000);
  return step_done (self, stmt, error);
}

static int
sqlite_token_user (AssayCentralStorage  *storage,
                   const char           *hash,
                   AssayCentralUser    **out,
                   GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT " USER_COLUMNS " FROM token t JOIN account a ON a.id = t.account_id "
                   "WHERE t.hash = ?1 AND t.revoked_at IS NULL", error);
  int rc;

  *out = NULL;
  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = read_user (stmt);
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  set_error (self, rc, error);
  return -1;
}

static int
sqlite_revoke_tokens (AssayCentralStorage  *storage,
                      const char           *hash,
                      const char           *user_id,
                      GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, hash != NULL
                   ? "UPDATE token SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL"
                   : "UPDATE token SET revoked_at = ?2 WHERE account_id = ?1 "
                     "AND revoked_at IS NULL", error);

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, hash != NULL ? hash : user_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  if (!step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (self->db);
}

static gboolean
sqlite_put_blob (AssayCentralStorage  *storage,
                 const char           *sha256,
                 gint64                size,
                 GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT OR IGNORE INTO blob (sha256, size, created_at) VALUES (?1, ?2, ?3)",
             error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, sha256);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / 1000);
  return step_done (self, stmt, error);
}

static int
sqlite_get_blob (AssayCentralStorage  *storage,
                 const char           *sha256,
                 gint64               *size,
                 GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT size FROM blob WHERE sha256 = ?1", error);
  int rc;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *size = sqlite3_column_int64 (stmt, 0);
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  set_error (self, rc, error);
  return -1;
}

static gint64
sqlite_purge_tombstones (AssayCentralStorage  *storage,
                         gint64                horizon,
                         GError              **error)
{
  Sqlite *self = (Sqlite *) storage;
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "DELETE FROM object WHERE deleted AND seq <= ?1", error);
  g_autoptr(sqlite3_stmt) exits = NULL;
  gint64 n;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, horizon);
  if (!step_done (self, stmt, error))
    return -1;
  n = sqlite3_changes (self->db);
  exits = prepare (self, "DELETE FROM scope_exit WHERE seq <= ?1", error);
  if (exits == NULL)
    return -1;
  sqlite3_bind_int64 (exits, 1, horizon);
  if (!step_done (self, exits, error))
    return -1;
  return n + sqlite3_changes (self->db);
}

static const AssayCentralStorageVTable sqlite_vtable = {
  .close = sqlite_close,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .savepoint = sqlite_savepoint,
  .release = sqlite_release,
  .rollback_to = sqlite_rollback_to,
  .next_seq = sqlite_next_seq,
  .max_seq = sqlite_max_seq,
  .get_meta = sqlite_get_meta,
  .set_meta = sqlite_set_meta,
  .get_object = sqlite_get_object,
  .put_object = sqlite_put_object,
  .feed_scan = sqlite_feed_scan,
  .list_objects = sqlite_list_objects,
  .agent_has_form = sqlite_agent_has_form,
  .get_op_result = sqlite_get_op_result,
  .put_op_result = sqlite_put_op_result,
  .check_batch = sqlite_check_batch,
  .audit_append = sqlite_audit_append,
  .get_user = sqlite_get_user,
  .put_user = sqlite_put_user,
  .put_token = sqlite_put_token,
  .token_user = sqlite_token_user,
  .revoke_tokens = sqlite_revoke_tokens,
  .put_blob = sqlite_put_blob,
  .get_blob = sqlite_get_blob,
  .purge_tombstones = sqlite_purge_tombstones,
};

AssayCentralStorage *
assay_central_sqlite_open (const char  *dir,
                           gboolean     create,
                           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autofree char *blobs = g_build_filename (dir, "blobs", NULL);
  Sqlite *self;
  int rc, version = -1;
  sqlite3_stmt *stmt;

  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_NOT_FOUND,
                   "No central database in %s: run 'assay-central --data %s init' first",
                   dir, dir);
      return NULL;
    }
  if (create && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_EXISTS,
                   "%s already holds a central database; use another folder or keep this one",
                   dir);
      return NULL;
    }
  if (g_mkdir_with_parents (blobs, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot create the data folder %s: %s", blobs, g_strerror (saved));
      return NULL;
    }

  self = g_new0 (Sqlite, 1);
  self->parent.vtable = &sqlite_vtable;
  self->parent.dir = g_strdup (dir);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                         | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  sqlite3_busy_timeout (self->db, 10000);
  sqlite3_extended_result_codes (self->db, 1);
  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                   "PRAGMA foreign_keys = ON;", error))
    goto fail_error;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version == 0)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
                                              schema, SCHEMA_VERSION);

      if (!exec (self, sql, error))
        {
          sqlite_rollback (&self->parent);
          goto fail_error;
        }
    }
  else if (version != SCHEMA_VERSION)
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_STORAGE,
                   "%s has central database version %d; this assay-central reads version %d",
                   path, version, SCHEMA_VERSION);
      goto fail_error;
    }
  return &self->parent;

fail:
  set_error (self, rc, error);
fail_error:
  sqlite_close (&self->parent);
  return NULL;
}
