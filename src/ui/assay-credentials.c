/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "assay-credentials.h"

G_DEFINE_QUARK (assay-credentials-error-quark, assay_credentials_error)

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    ASSAY_CREDENTIALS_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

/* tokens kept for this session only: "server\nlogin" -> token */
static GHashTable *
session_tokens (void)
{
  static GHashTable *tokens;

  if (tokens == NULL)
    tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return tokens;
}

static char *
session_key (const char *server_url,
             const char *login)
{
  return g_strconcat (server_url, "\n", login, NULL);
}

void
assay_credentials_keep_for_session (const char *server_url,
                                    const char *login,
                                    const char *token)
{
  g_return_if_fail (server_url != NULL && login != NULL && token != NULL);
  g_hash_table_replace (session_tokens (), session_key (server_url, login), g_strdup (token));
}

/* Whether @error says there is no Secret Service to talk to (none on the bus, or no bus). */
static gboolean
is_no_keyring (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    return TRUE;
  return error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (is_no_keyring (error))
    g_task_return_new_error (task, ASSAY_CREDENTIALS_ERROR, ASSAY_CREDENTIALS_ERROR_NO_KEYRING,
                             _("This desktop has no keyring to keep the sign-in safely (%s). "
                               "You can keep it for this session only and sign in again next time."),
                             error->message);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
assay_credentials_store_async (const char          *server_url,
                               const char          *login,
                               const char          *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;
  g_autofree char *key = session_key (server_url, login);

  g_task_set_source_tag (task, assay_credentials_store_async);
  /* a token kept for the session gives way to the keyring's */
  g_hash_table_remove (session_tokens (), key);
  /* TRANSLATORS: the keyring's label of the stored token: login and server address */
  label = g_strdup_printf (_("Assay sign-in %s at %s"), login, server_url);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         store_cb, task, "server", server_url, "login", login, NULL);
}

gboolean
assay_credentials_store_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (secret != NULL)
    {
      char *token = g_strdup (secret);

      secret_password_free (secret);
      g_task_return_pointer (task, token, g_free);
    }
  else if (error == NULL || is_no_keyring (error))
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
assay_credentials_lookup_async (const char          *server_url,
                                const char          *login,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *key = session_key (server_url, login);
  const char *kept = g_hash_table_lookup (session_tokens (), key);

  g_task_set_source_tag (task, assay_credentials_lookup_async);
  if (kept != NULL)
    {
      g_task_return_pointer (task, g_strdup (kept), g_free);
      g_object_unref (task);
      return;
    }
  secret_password_lookup (token_schema (), cancellable, lookup_cb, task,
                          "server", server_url, "login", login, NULL);
}

char *
assay_credentials_lookup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without error: there was nothing to clear */
  if (secret_password_clear_finish (result, &error) || error == NULL || is_no_keyring (error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
assay_credentials_clear_async (const char          *server_url,
                               const char          *login,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *key = session_key (server_url, login);

  g_task_set_source_tag (task, assay_credentials_clear_async);
  g_hash_table_remove (session_tokens (), key);
  secret_password_clear (token_schema (), cancellable, clear_cb, task,
                         "server", server_url, "login", login, NULL);
}

gboolean
assay_credentials_clear_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
