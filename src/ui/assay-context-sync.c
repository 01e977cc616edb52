/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gi18n.h>

#include "assay-context-sync.h"
#include "sync/assay-sync-engine.h"
#include "assay-context-private.h"
#include "assay-credentials.h"
#include "sync/assay-sync-error.h"

/*
 * Signing in: a token (from the password, or pasted), then GET /session with it (which also
 * proves a pasted token), then the keyring, then the engine goes into the context's "sync"
 * slot and starts its timer. Nothing is installed before the token is kept somewhere.
 */

typedef struct {
  char            *server_url;
  char            *login;
  char            *token;
  AssaySyncEngine *engine;
  guint            retry_after_s;
} SignIn;

static void
sign_in_free (SignIn *s)
{
  g_free (s->server_url);
  g_free (s->login);
  g_free (s->token);
  g_clear_object (&s->engine);
  g_free (s);
}

static void
engine_account_cb (AssayContext *self)
{
  _assay_context_update_identity (self);
}

static guint
sync_interval (AssayContext *self)
{
  return MAX (g_settings_get_uint (self->settings, "sync-interval"), 30);
}

static void
interval_changed_cb (AssayContext *self)
{
  AssaySyncEngine *engine = assay_context_get_sync_engine (self);

  if (engine == NULL)
    return;
  assay_sync_engine_stop (engine);
  assay_sync_engine_start (engine, sync_interval (self));
}

static AssaySyncEngine *
engine_new (AssayContext *self,
            const char   *server_url,
            const char   *token)
{
  AssaySyncEngine *engine = assay_sync_engine_new (self->store, server_url, token);
  g_autofree char *ca_file = g_settings_get_string (self->settings, "sync-ca-file");

  if (*ca_file != '\0' && !assay_sync_engine_set_ca_file (engine, ca_file, NULL))
    g_warning ("The CA file %s of the settings key sync-ca-file cannot be read", ca_file);
  return engine;
}

/* Puts @engine in the "sync" slot, remembers where and who, and starts syncing. */
static void
install (AssayContext    *self,
         AssaySyncEngine *engine,
         const char      *login)
{
  AssaySyncEngine *old = assay_context_get_sync_engine (self);

  if (old != NULL)
    {
      assay_sync_engine_stop (old);
      g_signal_handlers_disconnect_by_data (old, self);
    }
  g_settings_set_string (self->settings, "sync-server", assay_sync_engine_get_server_url (engine));
  g_settings_set_string (self->settings, "sync-login", login);
  g_signal_connect_object (engine, "notify::account", G_CALLBACK (engine_account_cb), self,
                           G_CONNECT_SWAPPED);
  assay_context_set_sync (self, G_OBJECT (engine));
  assay_sync_engine_start (engine, sync_interval (self));
}

static void
credentials_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AssayContext *self = g_task_get_source_object (task);
  SignIn *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!assay_credentials_store_finish (result, &error))
    {
      if (g_error_matches (error, ASSAY_CREDENTIALS_ERROR, ASSAY_CREDENTIALS_ERROR_NO_KEYRING))
        {
          /* the user decides: keep it for this session, or not at all */
          assay_context_forget_pending_sign_in (self);
          self->pending_engine = g_steal_pointer (&s->engine);
          self->pending_login = g_strdup (s->login);
          self->pending_token = g_strdup (s->token);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  install (self, s->engine, s->login);
  g_task_return_boolean (task, TRUE);
}

static void
account_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const AssaySyncAccount *account;
  GCancellable *cancellable;

  account = assay_sync_engine_refresh_account_finish (ASSAY_SYNC_ENGINE (source), result, &error);
  if (account == NULL)
    {
      if (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH))
        g_task_return_new_error (task, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH,
                                 _("The server does not accept this token: it may be mistyped "
                                   "or revoked. Ask your administrator for a new one."));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (s->login);
  s->login = g_strdup (account->login);
  cancellable = g_task_get_cancellable (task);
  assay_credentials_store_async (s->server_url, s->login, s->token, cancellable,
                                 credentials_stored_cb, g_steal_pointer (&task));
}

static void
read_account (GTask *task)
{
  AssayContext *self = g_task_get_source_object (task);
  SignIn *s = g_task_get_task_data (task);

  s->engine = engine_new (self, s->server_url, s->token);
  assay_sync_engine_refresh_account_async (s->engine, g_task_get_cancellable (task),
                                           account_read_cb, task);
}

static void
token_issued_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  SignIn *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  s->token = assay_sync_sign_in_finish (result, &s->retry_after_s, &error);
  if (s->token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  read_account (task);
}

AssaySyncEngine *
assay_context_get_sync_engine (AssayContext *self)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), NULL);
  return ASSAY_IS_SYNC_ENGINE (self->sync) ? ASSAY_SYNC_ENGINE (self->sync) : NULL;
}

void
assay_context_sign_in_async (AssayContext        *self,
                             const char          *server_url,
                             const char          *login,
                             const char          *password,
                             const char          *token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  SignIn *s;
  GError *error = NULL;
  g_autofree char *ca_file = NULL;

  g_return_if_fail (ASSAY_IS_CONTEXT (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (token != NULL || (login != NULL && password != NULL));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_context_sign_in_async);
  s = g_new0 (SignIn, 1);
  s->server_url = g_strstrip (g_strdup (server_url));
  /* "https://qa.example.org/" and "https://qa.example.org" are one server */
  while (g_str_has_suffix (s->server_url, "/"))
    s->server_url[strlen (s->server_url) - 1] = '\0';
  s->login = g_strdup (login);
  s->token = token != NULL ? g_strstrip (g_strdup (token)) : NULL;
  g_task_set_task_data (task, s, (GDestroyNotify) sign_in_free);

  if (!assay_sync_engine_check_url (s->server_url, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (s->token != NULL)
    {
      if (*s->token == '\0')
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   _("The token is empty: paste the token your administrator gave you."));
          g_object_unref (task);
          return;
        }
      read_account (task);
      return;
    }
  ca_file = g_settings_get_string (self->settings, "sync-ca-file");
  assay_sync_sign_in_async (s->server_url, *ca_file ? ca_file : NULL, login, password,
                            g_get_host_name (), cancellable, token_issued_cb, task);
}

gboolean
assay_context_sign_in_finish (AssayContext  *self,
                              GAsyncResult  *result,
                              guint         *retry_after_s,
                              GError       **error)
{
  SignIn *s;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  s = g_task_get_task_data (G_TASK (result));
  if (retry_after_s != NULL)
    *retry_after_s = s != NULL ? s->retry_after_s : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
assay_context_keep_sign_in_for_session (AssayContext *self)
{
  g_autoptr(AssaySyncEngine) engine = NULL;
  g_autofree char *login = NULL;
  g_autofree char *token = NULL;

  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), FALSE);
  if (self->pending_engine == NULL)
    return FALSE;
  engine = g_steal_pointer (&self->pending_engine);
  login = g_steal_pointer (&self->pending_login);
  token = g_steal_pointer (&self->pending_token);
  assay_credentials_keep_for_session (assay_sync_engine_get_server_url (engine), login, token);
  install (self, engine, login);
  return TRUE;
}

void
assay_context_forget_pending_sign_in (AssayContext *self)
{
  g_return_if_fail (ASSAY_IS_CONTEXT (self));
  g_clear_object (&self->pending_engine);
  g_clear_pointer (&self->pending_login, g_free);
  g_clear_pointer (&self->pending_token, g_free);
}

static void
credentials_cleared_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!assay_credentials_clear_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The token could not be removed from the keyring: %s", error->message);
}

void
assay_context_sign_out (AssayContext *self)
{
  AssaySyncEngine *engine;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;

  g_return_if_fail (ASSAY_IS_CONTEXT (self));
  engine = assay_context_get_sync_engine (self);
  server = g_settings_get_string (self->settings, "sync-server");
  login = g_settings_get_string (self->settings, "sync-login");
  if (engine != NULL)
    {
      assay_sync_engine_stop (engine);
      g_signal_handlers_disconnect_by_data (engine, self);
    }
  if (*server != '\0' && *login != '\0')
    assay_credentials_clear_async (server, login, NULL, credentials_cleared_cb, NULL);
  g_settings_reset (self->settings, "sync-login");
  assay_context_set_sync (self, NULL);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* the engine's state and last-error say how it went; the Sync page shows them */
  if (!assay_sync_engine_sync_finish (ASSAY_SYNC_ENGINE (source), result, &error))
    g_debug ("sync: %s", error->message);
}

void
assay_context_sync_now (AssayContext *self)
{
  AssaySyncEngine *engine;

  g_return_if_fail (ASSAY_IS_CONTEXT (self));
  engine = assay_context_get_sync_engine (self);
  if (engine != NULL)
    assay_sync_engine_sync_async (engine, self->sync_cancellable, synced_cb, NULL);
}

static void
token_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AssayContext) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = assay_credentials_lookup_finish (result, &error);
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autoptr(AssaySyncEngine) engine = NULL;

  if (token == NULL || g_cancellable_is_cancelled (self->sync_cancellable)
      || assay_context_get_sync_engine (self) != NULL)
    return;
  server = g_settings_get_string (self->settings, "sync-server");
  login = g_settings_get_string (self->settings, "sync-login");
  engine = engine_new (self, server, token);
  install (self, engine, login);
}

void
_assay_context_sync_restore (AssayContext *self)
{
  g_autofree char *server = g_settings_get_string (self->settings, "sync-server");
  g_autofree char *login = g_settings_get_string (self->settings, "sync-login");
  if (*server == '\0' || *login == '\0' || assay_context_get_sync_engine (self) != NULL)
    return;
  assay_credentials_lookup_async (server, login, self->sync_cancellable, token_found_cb,
                                  g_object_ref (self));
}

void
_assay_context_sync_init (AssayContext *self)
{
  g_signal_connect_object (self->settings, "changed::sync-interval",
                           G_CALLBACK (interval_changed_cb), self, G_CONNECT_SWAPPED);
}

void
_assay_context_sync_dispose (AssayContext *self)
{
  AssaySyncEngine *engine = assay_context_get_sync_engine (self);

  /* the cancellable itself stays until finalize: a lookup still under way checks it */
  g_cancellable_cancel (self->sync_cancellable);
  if (engine != NULL)
    {
      assay_sync_engine_stop (engine);
      g_signal_handlers_disconnect_by_data (engine, self);
    }
  assay_context_forget_pending_sign_in (self);
}
