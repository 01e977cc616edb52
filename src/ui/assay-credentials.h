/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The bearer token of the central service, per server address and login. It is kept in the
 * desktop's keyring (the Secret Service, through libsecret, schema
 * "io.github.assayqa.Assay.Token" with the attributes "server" and "login") and nowhere else:
 * not in the database, the settings or a log. Where no keyring runs, storing fails with
 * %ASSAY_CREDENTIALS_ERROR_NO_KEYRING; the user is told, and may keep the token in this
 * process's memory for the session only (assay_credentials_keep_for_session()).
 */

#define ASSAY_CREDENTIALS_ERROR (assay_credentials_error_quark ())
GQuark assay_credentials_error_quark (void);

typedef enum {
  ASSAY_CREDENTIALS_ERROR_NO_KEYRING,   /* no Secret Service on the session bus */
} AssayCredentialsError;

/* The schema's name, for the tests and the documentation. */
#define ASSAY_CREDENTIALS_SCHEMA "io.github.assayqa.Assay.Token"

void     assay_credentials_store_async   (const char          *server_url,
                                          const char          *login,
                                          const char          *token,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean assay_credentials_store_finish  (GAsyncResult        *result,
                                          GError             **error);

/* The token of @server_url and @login: the session's if one is kept, else the keyring's;
 * %NULL without error when there is none (also when no keyring runs). */
void     assay_credentials_lookup_async  (const char          *server_url,
                                          const char          *login,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char    *assay_credentials_lookup_finish (GAsyncResult        *result,
                                          GError             **error);

/* Forgets the token of @server_url and @login in the session and the keyring (signing out). */
void     assay_credentials_clear_async   (const char          *server_url,
                                          const char          *login,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean assay_credentials_clear_finish  (GAsyncResult        *result,
                                          GError             **error);

/* Keeps @token in memory until the process ends (no keyring: the user chose so). */
void     assay_credentials_keep_for_session (const char *server_url,
                                             const char *login,
                                             const char *token);

G_END_DECLS
