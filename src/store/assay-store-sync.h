/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * What the sync engine (src/sync) writes and reads, on the store's worker (docs/sync-protocol.md,
 * "The client"). The local copy of every object the account may read is kept as the server
 * sent it (`sync_object`, canonical JSON); each feed's cursor in `sync_state`, written in the
 * transaction that applies its page; conflicting copies and rejected drafts in
 * `evaluation_conflict`. Every write here announces its changes through AssayStore::changed.
 */

/** AssaySyncBatch: the operations of one POST /ops, and its Idempotency-Key. */
typedef struct {
  char      *key;
  JsonNode  *body;      /* {"ops":[...]}, exactly as sent the first time */
  guint      n_ops;
} AssaySyncBatch;

void assay_sync_batch_free (AssaySyncBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySyncBatch, assay_sync_batch_free)

/** AssaySyncCounts: what is waiting. */
typedef struct {
  guint pending;         /* operations of declared collections not yet applied */
  guint conflicts;       /* open conflicting copies and rejected drafts */
} AssaySyncCounts;

/** AssaySyncConflict: a conflicting copy (kind "conflict") or a rejected draft ("rejected"). */
typedef struct {
  char   *id;
  char   *evaluation_id;   /* the object's id (an evaluation, or another collection's object) */
  char   *kind;
  char   *action;
  char   *local_data;      /* JSON: the local copy as it was sent */
  gint64  server_rev;      /* 0 when unknown */
  char   *server_data;     /* JSON or %NULL */
  char   *reason;          /* the server's explanation, or %NULL */
  gint64  created_at;
} AssaySyncConflict;

void assay_sync_conflict_free (AssaySyncConflict *conflict);

/**
 * assay_store_sync_next_batch_async:
 * The next batch to push: a batch already sent whose answer never came (the same key and
 * body again), else up to @max_ops pending operations of @collections (%NULL-terminated wire
 * names) under a new key, stored with the key before this returns. Operations of other
 * collections stay in the outbox. Finishes with %NULL when nothing is left to send.
 */
void            assay_store_sync_next_batch_async   (AssayStore          *self,
                                                     const char * const  *collections,
                                                     guint                max_ops,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
AssaySyncBatch *assay_store_sync_next_batch_finish  (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/** AssaySyncPushResult: the counts of one batch's results. */
typedef struct {
  guint applied;       /* applied and duplicate */
  guint conflicts;
  guint rejected;
  guint blocked;
} AssaySyncPushResult;

/**
 * assay_store_sync_apply_results_async:
 * Applies a POST /ops answer (@results: the "results" array) to the batch @key in one
 * transaction: applied and duplicate leave the outbox and set the object's rev; a conflict
 * keeps the local copy as a conflicting copy and lets the server's copy become the object; a
 * rejection keeps the local copy as a rejected draft with the reason; blocked operations lose
 * their key and go in a later batch.
 */
void            assay_store_sync_apply_results_async (AssayStore          *self,
                                                      const char          *key,
                                                      JsonNode            *results,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        assay_store_sync_apply_results_finish (AssayStore         *self,
                                                       GAsyncResult       *result,
                                                       AssaySyncPushResult *out,
                                                       GError            **error);

/**
 * assay_store_sync_get_feed_async:
 * The stored cursor and state of @collection: finishes with a #JsonNode object
 * {"cursor": s|null, "state": s|null}.
 */
void            assay_store_sync_get_feed_async     (AssayStore          *self,
                                                     const char          *collection,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
JsonNode       *assay_store_sync_get_feed_finish    (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/**
 * assay_store_sync_apply_page_async:
 * Applies one feed page (the parsed answer of GET /changes) and stores its cursor and state,
 * in ONE transaction. An object with unsent local work is not overwritten (only the server's
 * copy is recorded). An echo of an operation still in the outbox (its answer was lost) is
 * left for the batch's replay, which the server answers "duplicate". When @page is the last page (hasMore false) of a resync, the
 * synced objects the resync did not see are removed.
 * Finishes with the number of objects upserted or deleted.
 */
void            assay_store_sync_apply_page_async   (AssayStore          *self,
                                                     const char          *collection,
                                                     JsonNode            *page,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        assay_store_sync_apply_page_finish  (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     guint               *n_applied,
                                                     GError             **error);

/**
 * assay_store_sync_begin_resync_async:
 * After a 410: forgets @collection's cursor and marks its objects unseen, in one transaction.
 * Local unsynced work is never touched.
 */
void            assay_store_sync_begin_resync_async (AssayStore          *self,
                                                     const char          *collection,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        assay_store_sync_begin_resync_finish (AssayStore         *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

/** assay_store_sync_counts_async: pending operations and open conflicts. */
void            assay_store_sync_counts_async       (AssayStore          *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        assay_store_sync_counts_finish      (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     AssaySyncCounts     *out,
                                                     GError             **error);

/** assay_store_sync_list_conflicts_async: open conflicting copies and rejected drafts, oldest first. */
void            assay_store_sync_list_conflicts_async  (AssayStore          *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
/* Returns: (element-type AssaySyncConflict) (transfer full) */
GPtrArray      *assay_store_sync_list_conflicts_finish (AssayStore          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/** assay_store_sync_resolve_conflict_sync: marks a conflicting copy or rejected draft resolved. */
gboolean        assay_store_sync_resolve_conflict_sync (AssayStore          *self,
                                                        const char          *conflict_id,
                                                        GError             **error);

/**
 * assay_store_sync_dump_sync:
 * The local copy of @collection as `dump` prints it (docs/sync-protocol.md, "Canonical JSON
 * and dump"): one line per object sorted by id, each ending in a newline. For assayctl.
 */
char           *assay_store_sync_dump_sync          (AssayStore          *self,
                                                     const char          *collection,
                                                     GError             **error);

/* ---- the signed-in account (assay-store-sync-account.c) ---- */

/**
 * AssayStoreSyncAccount:
 * The account signed in to the central service, as the store keeps it (table `sync_account`,
 * one row at most). The bearer token is never here: it lives in the keyring.
 * @server_url: the server's address ("https://host[:port]")
 * @login: the login
 * @user_id: the server's staff id; once set it is "me" (assay_store_get_me_async())
 * @name: the display name, or %NULL
 * @roles: the roles as a comma list in role order ("inspector,lead"), as `staff.roles`
 * @agent_id: the agent record of an agent account, or %NULL
 * @signed_in_at: UTC unix ms of the sign-in
 */
typedef struct {
  char   *server_url;
  char   *login;
  char   *user_id;
  char   *name;
  char   *roles;
  char   *agent_id;
  gint64  signed_in_at;
} AssayStoreSyncAccount;

void                   assay_store_sync_account_free (AssayStoreSyncAccount       *account);
AssayStoreSyncAccount *assay_store_sync_account_copy (const AssayStoreSyncAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayStoreSyncAccount, assay_store_sync_account_free)

/**
 * assay_store_sync_set_account_async:
 * Keeps @account (after sign-in, or when GET /session says the roles changed) in one
 * transaction: the `sync_account` row, and the staff row of @account->user_id (made if the
 * directory has not synced yet; name and roles as the server says) becomes "me" in place of the
 * previous one. Evaluations the previous "me" made on this workstation and never synced
 * (no server rev) are handed to the account, so their push carries the account's inspectorId.
 * @account %NULL signs out: the row is removed and "me" stays the last account (its work
 * stays; nothing is deleted).
 * Announces %ASSAY_STORE_DIRECTORY (and %ASSAY_STORE_EVALUATIONS when drafts changed hands);
 * a context listening there reloads "me" and its roles.
 */
void                   assay_store_sync_set_account_async  (AssayStore                  *self,
                                                            const AssayStoreSyncAccount *account,
                                                            GCancellable                *cancellable,
                                                            GAsyncReadyCallback          callback,
                                                            gpointer                     user_data);
gboolean               assay_store_sync_set_account_finish (AssayStore                  *self,
                                                            GAsyncResult                *result,
                                                            GError                     **error);

/**
 * assay_store_sync_get_account_async:
 * The signed-in account. assay_store_sync_get_account_finish() returns %NULL without an error
 * when nobody is signed in.
 */
void                   assay_store_sync_get_account_async  (AssayStore                  *self,
                                                            GCancellable                *cancellable,
                                                            GAsyncReadyCallback          callback,
                                                            gpointer                     user_data);
AssayStoreSyncAccount *assay_store_sync_get_account_finish (AssayStore                  *self,
                                                            GAsyncResult                *result,
                                                            GError                     **error);
AssayStoreSyncAccount *assay_store_sync_get_account_sync   (AssayStore                  *self,
                                                            GError                     **error);

/* ---- one truthful sync state per evaluation (assay-store-sync-account.c) ---- */

/**
 * AssayEvaluationSyncState:
 * @ASSAY_EVALUATION_SYNC_LOCAL: saved locally: a change not yet sent (an outbox operation no
 *   batch holds yet, an amendment draft open, or never synced)
 * @ASSAY_EVALUATION_SYNC_SYNCING: sent, the server's answer not yet applied (a batch holds an
 *   operation of it; it goes again as it was until answered)
 * @ASSAY_EVALUATION_SYNC_SYNCED: the server holds exactly this copy (see @synced_at)
 * @ASSAY_EVALUATION_SYNC_CONFLICT: a conflicting copy waits for the user (side by side)
 * @ASSAY_EVALUATION_SYNC_REJECTED: the server refused a change; @reason says why
 *
 * Computed on every read from the outbox, `evaluation_conflict` and the server's copy
 * (`sync_object`), never stored, so it cannot go stale. Precedence: conflict, rejected,
 * syncing, local, synced.
 */
typedef enum {
  ASSAY_EVALUATION_SYNC_LOCAL,
  ASSAY_EVALUATION_SYNC_SYNCING,
  ASSAY_EVALUATION_SYNC_SYNCED,
  ASSAY_EVALUATION_SYNC_CONFLICT,
  ASSAY_EVALUATION_SYNC_REJECTED,
} AssayEvaluationSyncState;

/** assay_evaluation_sync_state_to_string: "local", "syncing", "synced", "conflict", "rejected". */
const char *assay_evaluation_sync_state_to_string (AssayEvaluationSyncState state);

/**
 * AssayEvaluationSync:
 * @id: the evaluation
 * @state: see #AssayEvaluationSyncState
 * @synced_at: UTC unix ms when the server last confirmed this evaluation (its push was
 *   applied or its copy arrived in a feed), 0 for never
 * @server_rev: the server's rev of it, 0 for none
 * @reason: for REJECTED (and CONFLICT) the server's explanation, else %NULL
 * @conflict_id: the open conflicting copy or rejected draft (for
 *   assay_store_sync_resolve_conflict_sync()), else %NULL
 */
typedef struct {
  char                     *id;
  AssayEvaluationSyncState  state;
  gint64                    synced_at;
  gint64                    server_rev;
  char                     *reason;
  char                     *conflict_id;
} AssayEvaluationSync;

void assay_evaluation_sync_free (AssayEvaluationSync *sync);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayEvaluationSync, assay_evaluation_sync_free)

/**
 * assay_store_sync_evaluation_states_async:
 * The sync state of each evaluation of @ids (%NULL-terminated; at most a list's page, e.g.
 * the rows shown). Finishes with a #GHashTable from id (char *) to #AssayEvaluationSync;
 * an id that is no evaluation is absent. Listen to `changed::evaluations` to read it again.
 */
void        assay_store_sync_evaluation_states_async  (AssayStore          *self,
                                                       const char * const  *ids,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* Returns: (transfer full) (element-type utf8 AssayEvaluationSync) */
GHashTable *assay_store_sync_evaluation_states_finish (AssayStore          *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/** assay_store_sync_evaluation_state_sync: one evaluation's state (assayctl, tests); %NULL when it does not exist. */
AssayEvaluationSync *assay_store_sync_evaluation_state_sync (AssayStore  *self,
                                                             const char  *id,
                                                             GError     **error);

/* ---- recordings on demand (assay-store-sync-media.c) ---- */

/**
 * AssaySyncRecording:
 * A recording the central service holds for an interaction (a `recordings` object the feed
 * brought, kept in `sync_object` only): what the recording cache needs to fetch it.
 * @id: the recordings object's id (GET /api/v1/recordings/{id}/media)
 * @sha256: its SHA-256 (hex), or %NULL
 * @size: its size in bytes, or -1
 * @format: its format ("wav", "mp3", ...), or %NULL
 * @agent_channel: the agent's channel, or -1 (mono, or not said)
 * @name: the file name it had, or %NULL
 */
typedef struct {
  char   *id;
  char   *sha256;
  gint64  size;
  char   *format;
  int     agent_channel;
  char   *name;
} AssaySyncRecording;

void assay_sync_recording_free (AssaySyncRecording *recording);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySyncRecording, assay_sync_recording_free)

/**
 * assay_store_sync_find_recording_async:
 * The server's recording of @interaction_id. assay_store_sync_find_recording_finish() returns
 * %NULL without an error when the server named none (or nothing was synced).
 */
void                assay_store_sync_find_recording_async  (AssayStore          *self,
                                                            const char          *interaction_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
AssaySyncRecording *assay_store_sync_find_recording_finish (AssayStore          *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
AssaySyncRecording *assay_store_sync_find_recording_sync   (AssayStore          *self,
                                                            const char          *interaction_id,
                                                            GError             **error);

G_END_DECLS
