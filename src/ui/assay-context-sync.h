/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-context.h"

G_BEGIN_DECLS

/* sync/assay-sync-engine.h declares it; not included here, so that main.c (which may not
 * include sync) can include this header through the ui room */
typedef struct _AssaySyncEngine AssaySyncEngine;

/*
 * The context's sync engine (its "sync" slot): signing in to the central service, the token in
 * the keyring (assay-credentials.c), background sync every "sync-interval" seconds and on
 * demand. The server address and the login are kept in the settings ("sync-server",
 * "sync-login"); the token only in the keyring, or in memory when the user chose "keep for
 * this session only". Once the engine has read the session, "me" is the server's account and
 * the roles are the server's (notify::roles).
 */

/* The engine, or %NULL when not signed in. */
AssaySyncEngine *assay_context_get_sync_engine   (AssayContext        *self);

/**
 * assay_context_sign_in_async:
 * Signs in to @server_url with @login and @password, or with an existing @token (then @login
 * and @password are %NULL: the server says whose token it is). Reads the session, keeps the
 * token in the keyring and installs the engine, which syncs at once and then on its timer.
 * Errors: ASSAY_SYNC_ERROR_* (AUTH, SLOW_DOWN with @retry_after_s, INSECURE, TLS, NETWORK),
 * or ASSAY_CREDENTIALS_ERROR_NO_KEYRING: nothing is installed yet, and
 * assay_context_keep_sign_in_for_session() finishes the sign-in when the user agrees.
 */
void             assay_context_sign_in_async     (AssayContext        *self,
                                                  const char          *server_url,
                                                  const char          *login,
                                                  const char          *password,
                                                  const char          *token,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         assay_context_sign_in_finish    (AssayContext        *self,
                                                  GAsyncResult        *result,
                                                  guint               *retry_after_s,
                                                  GError             **error);
/* After ASSAY_CREDENTIALS_ERROR_NO_KEYRING: keeps the token in memory and installs the engine.
 * Returns %FALSE when there is no such sign-in waiting. */
gboolean         assay_context_keep_sign_in_for_session (AssayContext *self);
/* Drops a sign-in waiting after ASSAY_CREDENTIALS_ERROR_NO_KEYRING. */
void             assay_context_forget_pending_sign_in   (AssayContext *self);

/* Stops syncing, forgets the token (keyring and session) and the engine; local work stays. */
void             assay_context_sign_out          (AssayContext        *self);

/* One sync cycle now (nothing when not signed in); the engine's properties tell how it went. */
void             assay_context_sync_now          (AssayContext        *self);

G_END_DECLS
