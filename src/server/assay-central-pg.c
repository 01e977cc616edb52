/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "assay-central-storage.h"

/*
 * The PostgreSQL storage (libpq), for several assay-central processes on one database.
 *
 * Writers: begin() opens a READ COMMITTED transaction and first takes the transaction-level
 * advisory lock ASSAY_PG_WRITE_LOCK. Every write transaction of every process holds it from
 * its first statement to COMMIT, so
 * - writes (to one object or to any) are serialised in the database, and every statement after
 *   the lock sees everything committed before it (no lost updates, no serialisation failures);
 * - seq values come from the SEQUENCE feed_seq inside that lock, so they are handed out and
 *   committed in the same order: a reader never sees seq N+1 before seq N is committed (a
 *   rolled-back transaction leaves a hole in the numbers, never a hole a cursor passes over);
 * - a second result for an op_id still fails on the unique key, as a last guard.
 * Readers take no lock. docs/operations.md says what this costs and why it is the choice.
 */

#define ASSAY_PG_WRITE_LOCK "4242001"

typedef struct {
  AssayCentralStorage parent;
  PGconn             *conn;
  gboolean            in_transaction;
} Pg;

/* the ladder: step N brings the schema from version N-1 to N; append, never edit */
static const char *const migrations[] = {
  /* 1: the first schema, the same tables as the SQLite one */
  "CREATE SEQUENCE feed_seq AS bigint START 1;"
  "CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);"
  "CREATE TABLE object ("
  "  collection text NOT NULL,"
  "  id text NOT NULL,"
  "  rev bigint NOT NULL CHECK (rev >= 1),"
  "  seq bigint NOT NULL UNIQUE,"
  "  last_op_id text,"
  "  deleted boolean NOT NULL DEFAULT false,"
  "  owner_id text, team_id text, agent_id text, state text,"
  "  data text NOT NULL,"
  "  updated_at bigint NOT NULL,"
  "  PRIMARY KEY (collection, id));"
  "CREATE INDEX object_feed ON object (collection, seq);"
  "CREATE INDEX object_agent ON object (agent_id, collection) WHERE agent_id IS NOT NULL;"
  "CREATE TABLE scope_exit ("
  "  seq bigint NOT NULL, collection text NOT NULL, id text NOT NULL,"
  "  owner_id text, team_id text, agent_id text, state text);"
  "CREATE INDEX scope_exit_feed ON scope_exit (collection, seq);"
  "CREATE TABLE op_result ("
  "  op_id text PRIMARY KEY, user_id text NOT NULL, result text NOT NULL, at bigint NOT NULL);"
  "CREATE TABLE batch ("
  "  user_id text NOT NULL, key text NOT NULL, body_sha256 text NOT NULL, at bigint NOT NULL,"
  "  PRIMARY KEY (user_id, key));"
  "CREATE TABLE account ("
  "  id text PRIMARY KEY, login text NOT NULL UNIQUE, name text NOT NULL,"
  "  roles integer NOT NULL CHECK (roles > 0), agent_id text, password text,"
  "  created_at bigint NOT NULL);"
  "CREATE TABLE token ("
  "  hash text PRIMARY KEY, account_id text NOT NULL REFERENCES account (id), label text,"
  "  created_at bigint NOT NULL, revoked_at bigint);"
  "CREATE INDEX token_account ON token (account_id);"
  "CREATE TABLE blob (sha256 text PRIMARY KEY, size bigint NOT NULL, created_at bigint NOT NULL);"
  "CREATE TABLE audit_log ("
  "  n bigserial PRIMARY KEY, collection text NOT NULL, object_id text NOT NULL,"
  "  user_id text NOT NULL, at bigint NOT NULL, action text NOT NULL, reason text,"
  "  revision bigint, before text, after text);"
  "CREATE INDEX audit_log_object ON audit_log (object_id);"
  "CREATE FUNCTION audit_log_append_only () RETURNS trigger LANGUAGE plpgsql AS $$"
  "  BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;"
  "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log"
  "  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only ();",
  /* 2: a feed read of the evaluations of one form version (agent_has_form) stays an index scan */
  "CREATE INDEX object_form ON object ((data::jsonb ->> 'formVersionId'))"
  "  WHERE collection = 'evaluations';",
};

#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* runs @sql with text parameters; returns the result when it has the status wanted */
static PGresult *
query (Pg          *self,
       const char  *sql,
       int          n,
       const char *const *params,
       GError     **error)
{
  /* without parameters, PQexec: a migration step is several statements */
  PGresult *res = n == 0 ? PQexec (self->conn, sql)
                         : PQexecParams (self->conn, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (res);

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return res;
  {
    /* g_set_error copies the message before the result goes */
    const char *message = PQresultErrorMessage (res);
    g_autofree char *copy = g_strchomp (g_strdup (message != NULL && *message != '\0'
                                                    ? message : PQerrorMessage (self->conn)));

    g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_STORAGE,
                 "The central database (PostgreSQL) failed: %s", copy);
  }
  PQclear (res);
  return NULL;
}

static gboolean
exec (Pg          *self,
      const char  *sql,
      GError     **error)
{
  g_autoptr(PGresult) res = query (self, sql, 0, NULL, error);

  return res != NULL;
}

static char *
value (PGresult *res,
       int       row,
       int       column)
{
  return PQgetisnull (res, row, column) ? NULL : g_strdup (PQgetvalue (res, row, column));
}

static gint64
value_int (PGresult *res,
           int       row,
           int       column)
{
  return PQgetisnull (res, row, column) ? 0 : g_ascii_strtoll (PQgetvalue (res, row, column),
                                                               NULL, 10);
}

#define INT_PARAM(name, v) char name[24]; g_snprintf (name, sizeof name, "%" G_GINT64_FORMAT, \
                                                      (gint64) (v))

static void
pg_close (AssayCentralStorage *storage)
{
  Pg *self = (Pg *) storage;

  if (self->conn != NULL)
    PQfinish (self->conn);
  g_free (self->parent.dir);
  g_free (self);
}

static gboolean
pg_begin (AssayCentralStorage  *storage,
          GError              **error)
{
  Pg *self = (Pg *) storage;

  if (!exec (self, "BEGIN ISOLATION LEVEL READ COMMITTED", error))
    return FALSE;
  self->in_transaction = TRUE;
  if (!exec (self, "SELECT pg_advisory_xact_lock (" ASSAY_PG_WRITE_LOCK ")", error))
    {
      exec (self, "ROLLBACK", NULL);
      self->in_transaction = FALSE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_commit (AssayCentralStorage  *storage,
           GError              **error)
{
  Pg *self = (Pg *) storage;
  gboolean ok = exec (self, "COMMIT", error);

  self->in_transaction = FALSE;
  return ok;
}

static void
pg_rollback (AssayCentralStorage *storage)
{
  Pg *self = (Pg *) storage;

  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    exec (self, "ROLLBACK", NULL);
  self->in_transaction = FALSE;
}

static gboolean
pg_savepoint (AssayCentralStorage  *storage,
              GError              **error)
{
  return exec ((Pg *) storage, "SAVEPOINT op", error);
}

static gboolean
pg_release (AssayCentralStorage  *storage,
            GError              **error)
{
  return exec ((Pg *) storage, "RELEASE SAVEPOINT op", error);
}

static void
pg_rollback_to (AssayCentralStorage *storage)
{
  exec ((Pg *) storage, "ROLLBACK TO SAVEPOINT op; RELEASE SAVEPOINT op", NULL);
}

static gboolean
pg_next_seq (AssayCentralStorage  *storage,
             gint64               *seq,
             GError              **error)
{
  Pg *self = (Pg *) storage;
  g_autoptr(PGresult) res = NULL;

  if (!self->in_transaction)
    {
      g_set_error_literal (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_STORAGE,
                           "next_seq outside a transaction (a bug in assay-central)");
      return FALSE;
    }
  res = query (self, "SELECT nextval ('feed_seq')", 0, NULL, error);
  if (res == NULL)
    return FALSE;
  *seq = value_int (res, 0, 0);
  return TRUE;
}

static gboolean
pg_max_seq (AssayCentralStorage  *storage,
            const char           *collection,
            gint64               *seq,
            GError              **error)
{
  Pg *self = (Pg *) storage;
  g_autoptr(PGresult) res = NULL;

  if (collection != NULL)
    {
      const char *params[] = { collection };

      res = query (self, "SELECT greatest ((SELECT max (seq) FROM object WHERE collection = $1),"
                         " (SELECT max (seq) FROM scope_exit WHERE collection = $1))",
                   1, params, error);
    }
  else
    /* the last number handed out: never below a committed seq (a cursor check) */
    res = query (self, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM feed_seq",
                 0, NULL, error);
  if (res == NULL)
    return FALSE;
  *seq = value_int (res, 0, 0);
  return TRUE;
}

static gboolean
pg_get_meta (AssayCentralStorage  *storage,
             const char           *key,
             char                **out,
             GError              **error)
{
  const char *params[] = { key };
  g_autoptr(PGresult) res = query ((Pg *) storage, "SELECT value FROM meta WHERE key = $1", 1,
                                   params, error);

  *out = NULL;
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    *out = value (res, 0, 0);
  return TRUE;
}

static gboolean
pg_set_meta (AssayCentralStorage  *storage,
             const char           *key,
             const char           *text,
             GError              **error)
{
  const char *params[] = { key, text };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "INSERT INTO meta (key, value) VALUES ($1, $2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
           2, params, error);

  return res != NULL;
}

#define OBJECT_COLUMNS "collection, id, rev, seq, last_op_id, deleted, owner_id, team_id, " \
                       "agent_id, state, data, updated_at"

static void
read_object (PGresult           *res,
             int                 row,
             AssayCentralObject *out)
{
  out->collection = value (res, row, 0);
  out->id = value (res, row, 1);
  out->rev = value_int (res, row, 2);
  out->seq = value_int (res, row, 3);
  out->last_op_id = value (res, row, 4);
  out->deleted = strcmp (PQgetvalue (res, row, 5), "t") == 0;
  out->owner_id = value (res, row, 6);
  out->team_id = value (res, row, 7);
  out->agent_id = value (res, row, 8);
  out->state = value (res, row, 9);
  out->data = value (res, row, 10);
  out->updated_at = value_int (res, row, 11);
}

static int
pg_get_object (AssayCentralStorage  *storage,
               const char           *collection,
               const char           *id,
               AssayCentralObject   *out,
               GError              **error)
{
  Pg *self = (Pg *) storage;
  const char *params[] = { collection, id };
  g_autoptr(PGresult) res = NULL;

  memset (out, 0, sizeof *out);
  /* inside a write transaction the row is locked too (the advisory lock already serialises
   * writers; FOR UPDATE keeps that true for any tool writing beside assay-central) */
  res = query (self, self->in_transaction
                     ? "SELECT " OBJECT_COLUMNS " FROM object WHERE collection = $1 AND id = $2 "
                       "FOR UPDATE"
                     : "SELECT " OBJECT_COLUMNS " FROM object WHERE collection = $1 AND id = $2",
               2, params, error);
  if (res == NULL)
    return -1;
  if (PQntuples (res) == 0)
    return 0;
  read_object (res, 0, out);
  return 1;
}

static gboolean
scope_changed (const AssayCentralObject *a,
               const AssayCentralObject *b)
{
  return g_strcmp0 (a->owner_id, b->owner_id) != 0 || g_strcmp0 (a->team_id, b->team_id) != 0
         || g_strcmp0 (a->agent_id, b->agent_id) != 0 || g_strcmp0 (a->state, b->state) != 0;
}

static gboolean
pg_put_object (AssayCentralStorage       *storage,
               const AssayCentralObject  *object,
               const AssayCentralObject  *before,
               GError                   **error)
{
  Pg *self = (Pg *) storage;
  INT_PARAM (rev, object->rev);
  INT_PARAM (seq, object->seq);
  INT_PARAM (updated_at, object->updated_at);
  const char *params[] = { object->collection, object->id, rev, seq, object->last_op_id,
                           object->deleted ? "t" : "f", object->owner_id, object->team_id,
                           object->agent_id, object->state, object->data, updated_at };
  g_autoptr(PGresult) res =
    query (self, "INSERT INTO object (" OBJECT_COLUMNS ") "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                 "ON CONFLICT (collection, id) DO UPDATE SET rev = excluded.rev, "
                 "seq = excluded.seq, last_op_id = excluded.last_op_id, "
                 "deleted = excluded.deleted, owner_id = excluded.owner_id, "
                 "team_id = excluded.team_id, agent_id = excluded.agent_id, "
                 "state = excluded.state, data = excluded.data, "
                 "updated_at = excluded.updated_at", 12, params, error);

  if (res == NULL)
    return FALSE;
  if (before != NULL && !before->deleted && scope_changed (object, before))
    {
      const char *exit_params[] = { seq, before->collection, before->id, before->owner_id,
                                    before->team_id, before->agent_id, before->state };
      g_autoptr(PGresult) exit_res =
        query (self, "INSERT INTO scope_exit (seq, collection, id, owner_id, team_id, agent_id, "
                     "state) VALUES ($1, $2, $3, $4, $5, $6, $7)", 7, exit_params, error);

      if (exit_res == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
pg_feed_scan (AssayCentralStorage  *storage,
              const char           *collection,
              gint64                since,
              guint                 limit,
              GPtrArray            *out,
              GError              **error)
{
  INT_PARAM (since_text, since);
  INT_PARAM (limit_text, limit);
  const char *params[] = { collection, since_text, limit_text };
  g_autoptr(PGresult) res =
    query ((Pg *) storage,
           "SELECT * FROM ("
           " (SELECT " OBJECT_COLUMNS ", false AS exit FROM object"
           "  WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3)"
           " UNION ALL"
           " (SELECT collection, id, 0, seq, NULL, false, owner_id, team_id, agent_id, state,"
           "  '{}', 0, true FROM scope_exit"
           "  WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3)"
           ") AS page ORDER BY seq, exit LIMIT $3", 3, params, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      AssayCentralObject *object = g_new0 (AssayCentralObject, 1);

      read_object (res, row, object);
      object->exit = strcmp (PQgetvalue (res, row, 12), "t") == 0;
      g_ptr_array_add (out, object);
    }
  return TRUE;
}

static gboolean
pg_list_objects (AssayCentralStorage  *storage,
                 const char           *collection,
                 GPtrArray            *out,
                 GError              **error)
{
  const char *params[] = { collection };
  /* "C" collation: the same byte order as SQLite's, so dumps of both backends compare */
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "SELECT " OBJECT_COLUMNS " FROM object WHERE collection = $1 "
                           "AND NOT deleted ORDER BY id COLLATE \"C\"", 1, params, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      AssayCentralObject *object = g_new0 (AssayCentralObject, 1);

      read_object (res, row, object);
      g_ptr_array_add (out, object);
    }
  return TRUE;
}

static gboolean
pg_agent_has_form (AssayCentralStorage  *storage,
                   const char           *agent_id,
                   const char           *form_id,
                   gboolean             *out,
                   GError              **error)
{
  const char *params[] = { agent_id, form_id };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "SELECT 1 FROM object WHERE agent_id = $1 "
                           "AND collection = 'evaluations' AND state = 'submitted' "
                           "AND NOT deleted AND data::jsonb ->> 'formVersionId' = $2 LIMIT 1",
           2, params, error);

  if (res == NULL)
    return FALSE;
  *out = PQntuples (res) > 0;
  return TRUE;
}

static int
pg_get_op_result (AssayCentralStorage  *storage,
                  const char           *op_id,
                  char                **user_id,
                  char                **result,
                  GError              **error)
{
  const char *params[] = { op_id };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "SELECT user_id, result FROM op_result WHERE op_id = $1", 1, params,
           error);

  if (res == NULL)
    return -1;
  if (PQntuples (res) == 0)
    return 0;
  *user_id = value (res, 0, 0);
  *result = value (res, 0, 1);
  return 1;
}

static gboolean
pg_put_op_result (AssayCentralStorage  *storage,
                  const char           *op_id,
                  const char           *user_id,
                  const char           *result,
                  GError              **error)
{
  INT_PARAM (at, g_get_real_time () / 1000);
  const char *params[] = { op_id, user_id, result, at };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "INSERT INTO op_result (op_id, user_id, result, at) "
                           "VALUES ($1, $2, $3, $4)", 4, params, error);

  return res != NULL;
}

static int
pg_check_batch (AssayCentralStorage  *storage,
                const char           *user_id,
                const char           *key,
                const char           *body_sha256,
                GError              **error)
{
  Pg *self = (Pg *) storage;
  INT_PARAM (at, g_get_real_time () / 1000);
  const char *params[] = { user_id, key, body_sha256, at };
  g_autoptr(PGresult) insert = NULL;
  g_autoptr(PGresult) res = NULL;

  insert = query (self, "INSERT INTO batch (user_id, key, body_sha256, at) "
                        "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", 4, params, error);
  if (insert == NULL)
    return -1;
  if (g_ascii_strtoll (PQcmdTuples (insert), NULL, 10) == 1)
    return 0;
  res = query (self, "SELECT body_sha256 FROM batch WHERE user_id = $1 AND key = $2", 2, params,
               error);
  if (res == NULL)
    return -1;
  return PQntuples (res) > 0 && g_strcmp0 (PQgetvalue (res, 0, 0), body_sha256) == 0 ? 1 : 2;
}

static gboolean
pg_audit_append (AssayCentralStorage      *storage,
                 const AssayCentralAudit  *entry,
                 GError                  **error)
{
  INT_PARAM (at, entry->at);
  INT_PARAM (revision, entry->revision);
  const char *params[] = { entry->collection, entry->object_id, entry->user_id, at,
                           entry->action, entry->reason, revision, entry->before, entry->after };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "INSERT INTO audit_log (collection, object_id, user_id, at, action, "
                           "reason, revision, before, after) "
                           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", 9, params, error);

  return res != NULL;
}

#define USER_COLUMNS "a.id, a.login, a.name, a.roles, a.agent_id, a.password, a.created_at"

static AssayCentralUser *
read_user (PGresult *res)
{
  AssayCentralUser *user = g_new0 (AssayCentralUser, 1);

  user->id = value (res, 0, 0);
  user->login = value (res, 0, 1);
  user->name = value (res, 0, 2);
  user->roles = (guint) value_int (res, 0, 3);
  user->agent_id = value (res, 0, 4);
  user->password = value (res, 0, 5);
  user->created_at = value_int (res, 0, 6);
  return user;
}

static int
pg_get_user (AssayCentralStorage  *storage,
             const char           *login,
             const char           *id,
             AssayCentralUser    **out,
             GError              **error)
{
  const char *params[] = { login != NULL ? login : id };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, login != NULL
                           ? "SELECT " USER_COLUMNS " FROM account a WHERE login = $1"
                           : "SELECT " USER_COLUMNS " FROM account a WHERE id = $1",
           1, params, error);

  *out = NULL;
  if (res == NULL)
    return -1;
  if (PQntuples (res) == 0)
    return 0;
  *out = read_user (res);
  return 1;
}

static gboolean
pg_put_user (AssayCentralStorage     *storage,
             const AssayCentralUser  *user,
             GError                 **error)
{
  INT_PARAM (roles, user->roles);
  INT_PARAM (created_at, user->created_at);
  const char *params[] = { user->id, user->login, user->name, roles, user->agent_id,
                           user->password, created_at };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "INSERT INTO account (id, login, name, roles, agent_id, password, "
                           "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                           "ON CONFLICT (id) DO UPDATE SET login = excluded.login, "
                           "name = excluded.name, roles = excluded.roles, "
                           "agent_id = excluded.agent_id, password = excluded.password",
           7, params, error);

  return res != NULL;
}

static gboolean
pg_put_token (AssayCentralStorage  *storage,
              const char           *hash,
              const char           *user_id,
              const char           *label,
              GError              **error)
{
  INT_PARAM (at, g_get_real_time () / 1000);
  const char *params[] = { hash, user_id, label, at };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "INSERT INTO token (hash, account_id, label, created_at) "
                           "VALUES ($1, $2, $3, $4)", 4, params, error);

  return res != NULL;
}

static int
pg_token_user (AssayCentralStorage  *storage,
               const char           *hash,
               AssayCentralUser    **out,
               GError              **error)
{
  const char *params[] = { hash };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "SELECT " USER_COLUMNS " FROM token t JOIN account a "
                           "ON a.id = t.account_id WHERE t.hash = $1 AND t.revoked_at IS NULL",
           1, params, error);

  *out = NULL;
  if (res == NULL)
    return -1;
  if (PQntuples (res) == 0)
    return 0;
  *out = read_user (res);
  return 1;
}

static int
pg_revoke_tokens (AssayCentralStorage  *storage,
                  const char           *hash,
                  const char           *user_id,
                  GError              **error)
{
  INT_PARAM (at, g_get_real_time () / 1000);
  const char *params[] = { hash != NULL ? hash : user_id, at };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, hash != NULL
                           ? "UPDATE token SET revoked_at = $2 WHERE hash = $1 "
                             "AND revoked_at IS NULL"
                           : "UPDATE token SET revoked_at = $2 WHERE account_id = $1 "
                             "AND revoked_at IS NULL", 2, params, error);

  if (res == NULL)
    return -1;
  return (int) g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
}

static gboolean
pg_put_blob (AssayCentralStorage  *storage,
             const char           *sha256,
             gint64                size,
             GError              **error)
{
  INT_PARAM (size_text, size);
  INT_PARAM (at, g_get_real_time () / 1000);
  const char *params[] = { sha256, size_text, at };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "INSERT INTO blob (sha256, size, created_at) VALUES ($1, $2, $3) "
                           "ON CONFLICT DO NOTHING", 3, params, error);

  return res != NULL;
}

static int
pg_get_blob (AssayCentralStorage  *storage,
             const char           *sha256,
             gint64               *size,
             GError              **error)
{
  const char *params[] = { sha256 };
  g_autoptr(PGresult) res =
    query ((Pg *) storage, "SELECT size FROM blob WHERE sha256 = $1", 1, params, error);

  if (res == NULL)
    return -1;
  if (PQntuples (res) == 0)
    return 0;
  *size = value_int (res, 0, 0);
  return 1;
}

static gint64
pg_purge_tombstones (AssayCentralStorage  *storage,
                     gint64                horizon,
                     GError              **error)
{
  INT_PARAM (horizon_text, horizon);
  const char *params[] = { horizon_text };
  g_autoptr(PGresult) objects =
    query ((Pg *) storage, "DELETE FROM object WHERE deleted AND seq <= $1", 1, params, error);
  g_autoptr(PGresult) exits = NULL;

  if (objects == NULL)
    return -1;
  exits = query ((Pg *) storage, "DELETE FROM scope_exit WHERE seq <= $1", 1, params, error);
  if (exits == NULL)
    return -1;
  return g_ascii_strtoll (PQcmdTuples (objects), NULL, 10)
         + g_ascii_strtoll (PQcmdTuples (exits), NULL, 10);
}

static const AssayCentralStorageVTable pg_vtable = {
  .close = pg_close,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .savepoint = pg_savepoint,
  .release = pg_release,
  .rollback_to = pg_rollback_to,
  .next_seq = pg_next_seq,
  .max_seq = pg_max_seq,
  .get_meta = pg_get_meta,
  .set_meta = pg_set_meta,
  .get_object = pg_get_object,
  .put_object = pg_put_object,
  .feed_scan = pg_feed_scan,
  .list_objects = pg_list_objects,
  .agent_has_form = pg_agent_has_form,
  .get_op_result = pg_get_op_result,
  .put_op_result = pg_put_op_result,
  .check_batch = pg_check_batch,
  .audit_append = pg_audit_append,
  .get_user = pg_get_user,
  .put_user = pg_put_user,
  .put_token = pg_put_token,
  .token_user = pg_token_user,
  .revoke_tokens = pg_revoke_tokens,
  .put_blob = pg_put_blob,
  .get_blob = pg_get_blob,
  .purge_tombstones = pg_purge_tombstones,
};

/* the schema version, 0 when the database has none yet; -1 on error */
static int
schema_version (Pg      *self,
                GError **error)
{
  g_autoptr(PGresult) exists =
    query (self, "SELECT to_regclass ('schema_version') IS NOT NULL", 0, NULL, error);
  g_autoptr(PGresult) res = NULL;

  if (exists == NULL)
    return -1;
  if (strcmp (PQgetvalue (exists, 0, 0), "t") != 0)
    return 0;
  res = query (self, "SELECT version FROM schema_version", 0, NULL, error);
  if (res == NULL)
    return -1;
  return PQntuples (res) > 0 ? (int) value_int (res, 0, 0) : 0;
}

static Pg *
connect_pg (const char  *dir,
            const char  *url,
            GError     **error)
{
  g_autofree char *blobs = g_build_filename (dir, "blobs", NULL);
  Pg *self;

  if (g_mkdir_with_parents (blobs, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot create the data folder %s: %s", blobs, g_strerror (saved));
      return NULL;
    }
  self = g_new0 (Pg, 1);
  self->parent.vtable = &pg_vtable;
  self->parent.dir = g_strdup (dir);
  self->conn = PQconnectdb (url);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strchomp (g_strdup (PQerrorMessage (self->conn)));

      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_STORAGE,
                   "Cannot connect to the central database: %s (check --db or "
                   "ASSAY_CENTRAL_DB)", message);
      pg_close (&self->parent);
      return NULL;
    }
  if (!exec (self, "SET client_min_messages = warning", error))
    {
      pg_close (&self->parent);
      return NULL;
    }
  return self;
}

int
assay_central_pg_migrate (const char  *dir,
                          const char  *url,
                          int         *from,
                          GError     **error)
{
  Pg *self = connect_pg (dir, url, error);
  int version;

  if (self == NULL)
    return -1;
  /* one migrator at a time, however many processes start at once */
  if (!exec (self, "BEGIN", error)
      || !exec (self, "SELECT pg_advisory_xact_lock (" ASSAY_PG_WRITE_LOCK ")", error))
    goto fail;
  version = schema_version (self, error);
  if (version < 0)
    goto fail;
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_STORAGE,
                   "The central database has schema version %d; this assay-central knows "
                   "versions up to %d: upgrade assay-central", version, SCHEMA_VERSION);
      goto fail;
    }
  if (from != NULL)
    *from = version;
  if (version == 0
      && !exec (self, "CREATE TABLE schema_version (version integer NOT NULL);"
                      "INSERT INTO schema_version VALUES (0)", error))
    goto fail;
  for (int step = version; step < SCHEMA_VERSION; step++)
    {
      INT_PARAM (next, step + 1);
      const char *params[] = { next };
      g_autoptr(PGresult) res = NULL;

      if (!exec (self, migrations[step], error))
        goto fail;
      res = query (self, "UPDATE schema_version SET version = $1", 1, params, error);
      if (res == NULL)
        goto fail;
    }
  if (!exec (self, "COMMIT", error))
    goto fail;
  pg_close (&self->parent);
  return SCHEMA_VERSION;

fail:
  exec (self, "ROLLBACK", NULL);
  pg_close (&self->parent);
  return -1;
}

AssayCentralStorage *
assay_central_pg_open (const char  *dir,
                       const char  *url,
                       gboolean     create,
                       GError     **error)
{
  Pg *self;
  int version;

  if (create)
    {
      g_autoptr(AssayCentralStorage) probe = NULL;
      int from = 0;

      if (assay_central_pg_migrate (dir, url, &from, error) < 0)
        return NULL;
      if (from != 0)
        {
          /* an existing database: init must not take over someone's data */
          Pg *check = connect_pg (dir, url, error);
          g_autoptr(PGresult) res = NULL;
          gboolean has_key;

          if (check == NULL)
            return NULL;
          res = query (check, "SELECT 1 FROM meta WHERE key = 'cursor_key'", 0, NULL, error);
          has_key = res != NULL && PQntuples (res) > 0;
          pg_close (&check->parent);
          if (res == NULL)
            return NULL;
          if (has_key)
            {
              g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_EXISTS,
                           "That PostgreSQL database already holds a central database; use "
                           "another database or keep this one");
              return NULL;
            }
        }
    }
  self = connect_pg (dir, url, error);
  if (self == NULL)
    return NULL;
  version = schema_version (self, error);
  if (version < 0)
    goto fail;
  if (version == 0)
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_NOT_FOUND,
                   "That PostgreSQL database holds no central database: run "
                   "'assay-central --data %s --db URL init' first", dir);
      goto fail;
    }
  if (version != SCHEMA_VERSION)
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_STORAGE,
                   "The central database has schema version %d; this assay-central uses %d: "
                   "%s", version, SCHEMA_VERSION,
                   version < SCHEMA_VERSION ? "run 'assay-central migrate' first"
                                            : "upgrade assay-central");
      goto fail;
    }
  return &self->parent;

fail:
  pg_close (&self->parent);
  return NULL;
}
