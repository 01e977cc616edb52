/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/assay-store.h"

G_BEGIN_DECLS

/*
 * The sync client (docs/sync-protocol.md, "Client rules" and "The client"). One engine per
 * signed-in server. Everything runs on the main context it was created on; the network is
 * libsoup's async API and the database the store's worker. A cycle pushes the outbox, then pulls
 * every collection the account may read; each page and its cursor commit in one store
 * transaction, and the store announces the changes through AssayStore::changed as any other
 * write does.
 *
 * The token is given by the caller (the UI keeps it in the keyring; `assayctl sync` reads it
 * from a file). The engine never writes it anywhere.
 */

/**
 * AssaySyncState:
 * @ASSAY_SYNC_STATE_IDLE: nothing running; the last cycle (if any) ended well
 * @ASSAY_SYNC_STATE_SYNCING: a cycle is running
 * @ASSAY_SYNC_STATE_WAITING: the last cycle hit a network error, a timeout, 429 or 5xx; the
 *   timer (when started) retries after the backoff (see #AssaySyncEngine:retry-at)
 * @ASSAY_SYNC_STATE_SIGNED_OUT: the server answered 401: the token is missing, unknown or
 *   revoked; sync stops until a new token is set
 * @ASSAY_SYNC_STATE_FAILED: an error retrying will not fix (TLS refused, a protocol error,
 *   plain HTTP to a host other than loopback); see #AssaySyncEngine:last-error
 */
typedef enum {
  ASSAY_SYNC_STATE_IDLE,
  ASSAY_SYNC_STATE_SYNCING,
  ASSAY_SYNC_STATE_WAITING,
  ASSAY_SYNC_STATE_SIGNED_OUT,
  ASSAY_SYNC_STATE_FAILED,
} AssaySyncState;

GType assay_sync_state_get_type (void) G_GNUC_CONST;
#define ASSAY_TYPE_SYNC_STATE (assay_sync_state_get_type ())

/**
 * AssaySyncAccount:
 * The signed-in account, as GET /api/v1/session answered it.
 * @user_id: the staff id (the inspectorId of the account's evaluations)
 * @login: the login
 * @name: the display name
 * @roles: a bit set of 1 << #AssayRole (assay_roles_to_string() names them)
 * @agent_id: the agent record of an agent account, or %NULL
 * @team_ids: the teams the account leads, %NULL-terminated (never %NULL)
 */
typedef struct {
  char   *user_id;
  char   *login;
  char   *name;
  guint   roles;
  char   *agent_id;
  char  **team_ids;
} AssaySyncAccount;

GType             assay_sync_account_get_type (void) G_GNUC_CONST;
#define ASSAY_TYPE_SYNC_ACCOUNT (assay_sync_account_get_type ())
AssaySyncAccount *assay_sync_account_copy     (const AssaySyncAccount *account);
void              assay_sync_account_free     (AssaySyncAccount       *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySyncAccount, assay_sync_account_free)

/**
 * AssaySyncReport:
 * What one cycle did.
 * @pushed: operations the server applied (or had applied: duplicate)
 * @pulled: objects upserted or deleted locally from the feeds (own echoes included)
 * @conflicts: evaluation drafts that now have a conflicting copy (this cycle)
 * @rejected: operations the server rejected (this cycle); kept as rejected drafts
 * @pending: operations still in the outbox after the cycle (blocked, or not sent)
 * @open_conflicts: conflicting copies and rejected drafts waiting for the user, in all
 * @requests: HTTP requests sent
 * @bytes_received: response bytes received (after decompression)
 */
typedef struct {
  guint   pushed;
  guint   pulled;
  guint   conflicts;
  guint   rejected;
  guint   pending;
  guint   open_conflicts;
  guint   requests;
  guint64 bytes_received;
} AssaySyncReport;

#define ASSAY_TYPE_SYNC_ENGINE (assay_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (AssaySyncEngine, assay_sync_engine, ASSAY, SYNC_ENGINE, GObject)

/**
 * assay_sync_engine_new:
 * @store: an open store
 * @server_url: "https://host[:port]" (or "http://127.0.0.1:port" / "http://[::1]:port" /
 *   "http://localhost:port": plain HTTP is accepted for loopback only)
 * @token: the bearer token, or %NULL (then the engine is signed out until one is set)
 *
 * Properties (all readable, notify on change):
 * - "state" (#AssaySyncState)
 * - "last-sync" (gint64, unix ms of the end of the last successful cycle, 0 for never)
 * - "pending" (guint, operations in the outbox not yet applied)
 * - "conflicts" (guint, conflicting copies and rejected drafts waiting for the user)
 * - "last-error" (string, a sentence for the user, %NULL when the last cycle went well)
 * - "retry-at" (gint64, monotonic µs of the next automatic try, 0 when none)
 * - "account" (#AssaySyncAccount, boxed, %NULL until a session was read)
 * Writable:
 * - "token" (string, write-only; setting it leaves SIGNED_OUT)
 * - "ca-file" (string: a PEM file of CA certificates the administrator trusts in addition to
 *   the system's; %NULL for the system's only)
 * - "time-scale" (double, default 1.0: every wait of the engine, backoff and Retry-After, is
 *   multiplied by it; tests set it small so that waits are bounded and short)
 * - "page-size" (guint, feed page limit, default 500, clamped to the session's maxPageSize)
 */
AssaySyncEngine *assay_sync_engine_new          (AssayStore           *store,
                                                 const char           *server_url,
                                                 const char           *token);

/**
 * assay_sync_engine_check_url:
 * Whether @server_url is one the engine accepts (http(s), a host, HTTPS unless loopback).
 * Returns: %FALSE with a sentence saying what to change (ASSAY_SYNC_ERROR_INSECURE or
 * G_IO_ERROR_INVALID_ARGUMENT).
 */
gboolean         assay_sync_engine_check_url    (const char           *server_url,
                                                 GError              **error);

const char      *assay_sync_engine_get_server_url (AssaySyncEngine    *self);
void             assay_sync_engine_set_token    (AssaySyncEngine      *self,
                                                 const char           *token);
/** assay_sync_engine_set_ca_file: see the "ca-file" property; %FALSE when the file cannot be read. */
gboolean         assay_sync_engine_set_ca_file  (AssaySyncEngine      *self,
                                                 const char           *ca_file,
                                                 GError              **error);
void             assay_sync_engine_set_time_scale (AssaySyncEngine    *self,
                                                   double              scale);

AssaySyncState   assay_sync_engine_get_state    (AssaySyncEngine      *self);
gint64           assay_sync_engine_get_last_sync (AssaySyncEngine     *self);
guint            assay_sync_engine_get_pending  (AssaySyncEngine      *self);
guint            assay_sync_engine_get_conflicts (AssaySyncEngine     *self);
const char      *assay_sync_engine_get_last_error (AssaySyncEngine    *self);
/** assay_sync_engine_get_account: the account of the last session read, or %NULL. */
const AssaySyncAccount *assay_sync_engine_get_account (AssaySyncEngine *self);
/** assay_sync_engine_get_report: what the last finished cycle did (zeros before any). */
const AssaySyncReport  *assay_sync_engine_get_report  (AssaySyncEngine *self);

/**
 * assay_sync_engine_sync_async:
 * One cycle: read the session, push the outbox, pull every readable collection. When a cycle
 * is already running, this one finishes with it. Transport errors, timeouts, 429 and 5xx end
 * the cycle with an error and state WAITING (the timer retries after the backoff); the work
 * done before the error is kept (each batch result and each page is committed as it arrives).
 */
void             assay_sync_engine_sync_async   (AssaySyncEngine      *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean         assay_sync_engine_sync_finish  (AssaySyncEngine      *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/**
 * assay_sync_engine_start:
 * Syncs now and then every @interval_s seconds; after a failed cycle, after the backoff
 * (full jitter, 2 s base, 10 min cap, at least Retry-After). Stops in SIGNED_OUT and FAILED.
 */
void             assay_sync_engine_start        (AssaySyncEngine      *self,
                                                 guint                 interval_s);
void             assay_sync_engine_stop         (AssaySyncEngine      *self);

/**
 * assay_sync_engine_refresh_account_async:
 * GET /api/v1/session only: sets "account" (the UI calls it right after sign-in).
 */
void             assay_sync_engine_refresh_account_async  (AssaySyncEngine     *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
const AssaySyncAccount *assay_sync_engine_refresh_account_finish (AssaySyncEngine *self,
                                                                  GAsyncResult    *result,
                                                                  GError         **error);

/**
 * assay_sync_sign_in_async:
 * POST /api/v1/auth/token with @login and @password (and @label naming the device, or %NULL).
 * @ca_file: as the engine's "ca-file", or %NULL.
 */
void             assay_sync_sign_in_async       (const char           *server_url,
                                                 const char           *ca_file,
                                                 const char           *login,
                                                 const char           *password,
                                                 const char           *label,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/**
 * assay_sync_sign_in_finish:
 * Returns: (transfer full): the token, or %NULL: ASSAY_SYNC_ERROR_AUTH for a wrong login or
 * password, ASSAY_SYNC_ERROR_SLOW_DOWN when the server asks to wait (@retry_after_s, when not
 * %NULL, gets the seconds; 0 otherwise), or a network / TLS error. Never retried on its own.
 */
char            *assay_sync_sign_in_finish      (GAsyncResult         *result,
                                                 guint                *retry_after_s,
                                                 GError              **error);

/**
 * assay_sync_backoff_delay_ms:
 * The wait before attempt @attempt (1 = the first retry): full jitter, uniform in
 * [0, min (cap, base · 2^(attempt-1))], then at least @retry_after_ms. With base 2 s, cap
 * 10 min. @random is in [0, 1). Exposed for tests.
 */
gint64           assay_sync_backoff_delay_ms    (guint                 attempt,
                                                 double                random,
                                                 gint64                retry_after_ms);

G_END_DECLS
