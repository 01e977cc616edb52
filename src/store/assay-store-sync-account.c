/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "assay-store-sync.h"
#include "assay-store-private.h"
#include "core/assay-util.h"

/*
 * The account signed in to the central service, and the one truthful sync state of each
 * evaluation (docs/sync-protocol.md, "The client"). The token is never stored here.
 */

void
assay_store_sync_account_free (AssayStoreSyncAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->server_url);
  g_free (account->login);
  g_free (account->user_id);
  g_free (account->name);
  g_free (account->roles);
  g_free (account->agent_id);
  g_free (account);
}

AssayStoreSyncAccount *
assay_store_sync_account_copy (const AssayStoreSyncAccount *account)
{
  AssayStoreSyncAccount *copy;

  if (account == NULL)
    return NULL;
  copy = g_new0 (AssayStoreSyncAccount, 1);
  copy->server_url = g_strdup (account->server_url);
  copy->login = g_strdup (account->login);
  copy->user_id = g_strdup (account->user_id);
  copy->name = g_strdup (account->name);
  copy->roles = g_strdup (account->roles);
  copy->agent_id = g_strdup (account->agent_id);
  copy->signed_in_at = account->signed_in_at;
  return copy;
}

/* ---- set ---- */

static gboolean
step_bound (sqlite3     *db,
            const char  *sql,
            const char  *a,
            const char  *b,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  _assay_store_bind_text_or_null (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    _assay_store_bind_text_or_null (stmt, 2, b);
  return _assay_store_step_done (db, stmt, error);
}

static gboolean
sign_out_locked (sqlite3  *db,
                 GError  **error)
{
  if (!_assay_store_exec (db, "DELETE FROM sync_account", error))
    return FALSE;
  _assay_store_note_change (db, ASSAY_STORE_DIRECTORY, NULL);
  return TRUE;
}

static gpointer
set_account_locked (sqlite3  *db,
                    gpointer  data,
                    GError  **error)
{
  const AssayStoreSyncAccount *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *previous = NULL;
  const char *name;

  if (a == NULL)
    return sign_out_locked (db, error) ? GINT_TO_POINTER (1) : NULL;

  stmt = _assay_store_prepare (db, "SELECT id FROM staff WHERE is_me = 1", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    previous = _assay_store_column_dup (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _assay_store_prepare (db, "INSERT INTO sync_account (id, server_url, login, user_id, name,"
                                   " roles, agent_id, signed_in_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                   " ON CONFLICT (id) DO UPDATE SET server_url = ?1, login = ?2,"
                                   " user_id = ?3, name = ?4, roles = ?5, agent_id = ?6, signed_in_at = ?7",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->server_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->user_id, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 4, a->name);
  sqlite3_bind_text (stmt, 5, a->roles, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 6, a->agent_id);
  sqlite3_bind_int64 (stmt, 7, a->signed_in_at > 0 ? a->signed_in_at : assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* the server's account becomes "me": its staff row (the directory's, or made now) */
  name = a->name != NULL && *a->name != '\0' ? a->name : a->login;
  if (!step_bound (db, "UPDATE staff SET is_me = 0 WHERE is_me = 1 AND id <> ?1", a->user_id, NULL, error))
    return NULL;
  stmt = _assay_store_prepare (db, "INSERT INTO staff (id, name, roles, is_me) VALUES (?1, ?2, ?3, 1)"
                                   " ON CONFLICT (id) DO UPDATE SET name = ?2, roles = ?3, is_me = 1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->roles, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  _assay_store_note_change (db, ASSAY_STORE_DIRECTORY, a->user_id);
  if (previous != NULL)
    _assay_store_note_change (db, ASSAY_STORE_DIRECTORY, previous);

  /* work the previous "me" did here before signing in, never synced, is the account's: a push
   * under another inspectorId would be refused. Work that reached a server stays whose it is. */
  if (previous != NULL && g_strcmp0 (previous, a->user_id) != 0)
    {
      g_autoptr(sqlite3_stmt) move = NULL;

      move = _assay_store_prepare (db, "UPDATE evaluation SET inspector_id = ?2"
                                       " WHERE inspector_id = ?1 AND rev IS NULL"
                                       " AND NOT EXISTS (SELECT 1 FROM sync_object o"
                                       "  WHERE o.collection = 'evaluations' AND o.id = evaluation.id)"
                                       " RETURNING id", error);
      if (move == NULL)
        return NULL;
      sqlite3_bind_text (move, 1, previous, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (move, 2, a->user_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (move) == SQLITE_ROW)
        _assay_store_note_change (db, ASSAY_STORE_EVALUATIONS,
                                  (const char *) sqlite3_column_text (move, 0));
      if (!_assay_store_step_done (db, move, error))
        return NULL;
    }
  return GINT_TO_POINTER (1);
}

static gpointer
set_account_job (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const AssayStoreSyncAccount *a = data;

  if (a != NULL && (a->server_url == NULL || a->login == NULL || a->user_id == NULL
                    || a->roles == NULL))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("The account is incomplete: sign in again."));
      return NULL;
    }
  return _assay_store_in_transaction (db, set_account_locked, data, NULL, error);
}

void
assay_store_sync_set_account_async (AssayStore                  *self,
                                    const AssayStoreSyncAccount *account,
                                    GCancellable                *cancellable,
                                    GAsyncReadyCallback          callback,
                                    gpointer                     user_data)
{
  _assay_store_run_async (self, set_account_job, assay_store_sync_account_copy (account),
                          (GDestroyNotify) assay_store_sync_account_free, NULL,
                          assay_store_sync_set_account_async, cancellable, callback, user_data);
}

gboolean
assay_store_sync_set_account_finish (AssayStore    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _assay_store_run_finish (self, result, error) != NULL;
}

/* ---- get ---- */

typedef struct {
  AssayStoreSyncAccount *account;
  gboolean               done;
} AccountRead;

static gpointer
get_account_job (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AccountRead *read = g_new0 (AccountRead, 1);

  stmt = _assay_store_prepare (db, "SELECT server_url, login, user_id, name, roles, agent_id,"
                                   " signed_in_at FROM sync_account WHERE id = 1", error);
  if (stmt == NULL)
    {
      g_free (read);
      return NULL;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      AssayStoreSyncAccount *a = g_new0 (AssayStoreSyncAccount, 1);

      a->server_url = _assay_store_column_dup (stmt, 0);
      a->login = _assay_store_column_dup (stmt, 1);
      a->user_id = _assay_store_column_dup (stmt, 2);
      a->name = _assay_store_column_dup (stmt, 3);
      a->roles = _assay_store_column_dup (stmt, 4);
      a->agent_id = _assay_store_column_dup (stmt, 5);
      a->signed_in_at = sqlite3_column_int64 (stmt, 6);
      read->account = a;
    }
  read->done = TRUE;
  return read;
}

static void
account_read_free (gpointer p)
{
  AccountRead *read = p;

  assay_store_sync_account_free (read->account);
  g_free (read);
}

void
assay_store_sync_get_account_async (AssayStore          *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  _assay_store_run_async (self, get_account_job, NULL, NULL, account_read_free,
                          assay_store_sync_get_account_async, cancellable, callback, user_data);
}

AssayStoreSyncAccount *
assay_store_sync_get_account_finish (AssayStore    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  AccountRead *read = _assay_store_run_finish (self, result, error);
  AssayStoreSyncAccount *a;

  if (read == NULL)
    return NULL;
  a = g_steal_pointer (&read->account);
  account_read_free (read);
  return a;
}

AssayStoreSyncAccount *
assay_store_sync_get_account_sync (AssayStore  *self,
                                   GError     **error)
{
  AccountRead *read = _assay_store_run_sync (self, get_account_job, NULL, error);
  AssayStoreSyncAccount *a;

  if (read == NULL)
    return NULL;
  a = g_steal_pointer (&read->account);
  account_read_free (read);
  return a;
}

/* ---- evaluation sync states ---- */

static const char *const state_names[] = { "local", "syncing", "synced", "conflict", "rejected" };

const char *
assay_evaluation_sync_state_to_string (AssayEvaluationSyncState state)
{
  g_return_val_if_fail (state <= ASSAY_EVALUATION_SYNC_REJECTED, NULL);
  return state_names[state];
}

void
assay_evaluation_sync_free (AssayEvaluationSync *sync)
{
  if (sync == NULL)
    return;
  g_free (sync->id);
  g_free (sync->reason);
  g_free (sync->conflict_id);
  g_free (sync);
}

/*
 * One query per evaluation, every index-backed: evaluation (primary key), evaluation_conflict
 * (evaluation_conflict_open), outbox (outbox_collection_object), sync_object (primary key).
 * The states are computed, never stored, so no write anywhere can leave one stale.
 */
static const char state_sql[] =
  "SELECT e.id,"
  " (SELECT c.kind FROM evaluation_conflict c WHERE c.evaluation_id = e.id AND c.resolved_at IS NULL"
  "   ORDER BY c.kind = 'conflict' DESC, c.created_at DESC LIMIT 1),"
  " (SELECT c.id FROM evaluation_conflict c WHERE c.evaluation_id = e.id AND c.resolved_at IS NULL"
  "   ORDER BY c.kind = 'conflict' DESC, c.created_at DESC LIMIT 1),"
  " (SELECT c.reason FROM evaluation_conflict c WHERE c.evaluation_id = e.id AND c.resolved_at IS NULL"
  "   ORDER BY c.kind = 'conflict' DESC, c.created_at DESC LIMIT 1),"
  " (SELECT count(*) FROM outbox o WHERE o.collection = 'evaluations' AND o.object_id = e.id"
  "   AND o.batch_key IS NOT NULL),"
  " (SELECT count(*) FROM outbox o WHERE o.collection = 'evaluations' AND o.object_id = e.id),"
  " EXISTS (SELECT 1 FROM evaluation_draft d WHERE d.evaluation_id = e.id AND d.amending = 1),"
  " max (coalesce (e.rev, 0), coalesce ((SELECT s.rev FROM sync_object s"
  "   WHERE s.collection = 'evaluations' AND s.id = e.id), 0)),"
  " e.synced_at"
  " FROM evaluation e WHERE e.id = ?1";

static AssayEvaluationSync *
read_state (sqlite3_stmt *stmt)
{
  AssayEvaluationSync *s = g_new0 (AssayEvaluationSync, 1);
  const char *kind = (const char *) sqlite3_column_text (stmt, 1);

  s->id = _assay_store_column_dup (stmt, 0);
  s->server_rev = sqlite3_column_int64 (stmt, 7);
  if (g_strcmp0 (kind, "conflict") == 0 || g_strcmp0 (kind, "rejected") == 0)
    {
      s->state = g_str_equal (kind, "conflict") ? ASSAY_EVALUATION_SYNC_CONFLICT
                                                 : ASSAY_EVALUATION_SYNC_REJECTED;
      s->conflict_id = _assay_store_column_dup (stmt, 2);
      s->reason = _assay_store_column_dup (stmt, 3);
    }
  else if (sqlite3_column_int (stmt, 4) > 0)
    s->state = ASSAY_EVALUATION_SYNC_SYNCING;
  else if (sqlite3_column_int (stmt, 5) > 0 || sqlite3_column_int (stmt, 6) || s->server_rev == 0)
    s->state = ASSAY_EVALUATION_SYNC_LOCAL;
  else
    s->state = ASSAY_EVALUATION_SYNC_SYNCED;
  if (s->server_rev > 0)
    s->synced_at = sqlite3_column_int64 (stmt, 8);
  return s;
}

typedef struct {
  GStrv       ids;
  GHashTable *states;
} StatesRead;

static gboolean
states_read_locked (sqlite3  *db,
                    gpointer  data,
                    GError  **error)
{
  StatesRead *read = data;
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, state_sql, error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; read->ids != NULL && read->ids[i] != NULL; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, read->ids[i], -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          AssayEvaluationSync *s = read_state (stmt);
          g_hash_table_replace (read->states, s->id, s);
        }
      else if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
    }
  return TRUE;
}

static gpointer
states_job (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  StatesRead read = { data, NULL };

  read.states = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) assay_evaluation_sync_free);
  if (!_assay_store_in_read_transaction (db, states_read_locked, &read, error))
    {
      g_hash_table_unref (read.states);
      return NULL;
    }
  return read.states;
}

void
assay_store_sync_evaluation_states_async (AssayStore          *self,
                                          const char * const  *ids,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  _assay_store_run_async (self, states_job, g_strdupv ((char **) ids), (GDestroyNotify) g_strfreev,
                          (GDestroyNotify) g_hash_table_unref,
                          assay_store_sync_evaluation_states_async, cancellable, callback, user_data);
}

GHashTable *
assay_store_sync_evaluation_states_finish (AssayStore    *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _assay_store_run_finish (self, result, error);
}

AssayEvaluationSync *
assay_store_sync_evaluation_state_sync (AssayStore  *self,
                                        const char  *id,
                                        GError     **error)
{
  const char *ids[] = { id, NULL };
  g_autoptr(GHashTable) states = _assay_store_run_sync (self, states_job, (gpointer) ids, error);
  AssayEvaluationSync *s = NULL;

  if (states != NULL && g_hash_table_steal_extended (states, id, NULL, (gpointer *) &s))
    return s;
  return NULL;
}
