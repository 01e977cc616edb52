/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "assay-remote-recording.h"
#include "assay-context-sync.h"
#include "assay-credentials.h"
#include "store/assay-store-sync.h"
#include "sync/assay-recording-cache.h"
#include "sync/assay-sync-engine.h"
#include "sync/assay-sync-error.h"

/*
 * One fetch: the server's recordings object (store) → the token (keyring) → the cache's fetch,
 * whose first progress opens the partial file as an AssayGrowingFile. Every step checks the
 * cancellable before it goes on, and nothing is emitted once it is cancelled.
 */

struct _AssayRemoteRecording
{
  GObject             parent_instance;

  AssayContext       *context;
  char               *interaction_id;
  char               *server_url;
  GCancellable       *cancellable;
  AssaySyncRecording *recording;
  AssayGrowingFile   *file;
  goffset             received;
  goffset             total;
  gboolean            complete;
};

G_DEFINE_FINAL_TYPE (AssayRemoteRecording, assay_remote_recording, G_TYPE_OBJECT)

enum { PROP_0, PROP_RECEIVED, PROP_TOTAL, N_PROPS };
enum { OPENED, FINISHED, FAILED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- the cache: one for the process, its limits the settings' ---- */

static void
apply_limits (GSettings           *settings,
              const char          *key,
              AssayRecordingCache *cache)
{
  guint64 mb = g_settings_get_uint (settings, "recordings-cache-size-mb");
  gint64 days = g_settings_get_uint (settings, "recordings-cache-max-age-days");

  assay_recording_cache_set_limits (cache, mb * 1024 * 1024, days * 24 * 3600);
}

static AssayRecordingCache *
get_cache (GSettings *settings)
{
  static AssayRecordingCache *cache;

  if (cache == NULL)
    {
      cache = assay_recording_cache_new (NULL);
      apply_limits (settings, NULL, cache);
      /* the settings object lives as long as the cache: the process */
      g_signal_connect_object (g_object_ref (settings), "changed::recordings-cache-size-mb",
                               G_CALLBACK (apply_limits), cache, 0);
      g_signal_connect_object (settings, "changed::recordings-cache-max-age-days",
                               G_CALLBACK (apply_limits), cache, 0);
    }
  return cache;
}

/* ---- the fetch ---- */

static void
fail (AssayRemoteRecording *self,
      const GError         *error)
{
  if (self->file != NULL && !assay_growing_file_is_complete (self->file))
    assay_growing_file_fail (self->file, error);
  if (!g_cancellable_is_cancelled (self->cancellable))
    g_signal_emit (self, signals[FAILED], 0, error);
}

static void
fail_with (AssayRemoteRecording *self,
           GQuark                domain,
           int                   code,
           const char           *message)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, message);

  fail (self, error);
}

static void
progress_cb (const char *partial_path,
             goffset     received,
             goffset     total,
             gpointer    user_data)
{
  AssayRemoteRecording *self = user_data;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->received = received;
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  if (self->file == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->file = assay_growing_file_new (partial_path, total, &error);
      if (self->file == NULL)
        {
          g_warning ("The recording arriving in %s cannot be read: %s", partial_path, error->message);
          return;
        }
      assay_growing_file_set_available (self->file, received);
      g_signal_emit (self, signals[OPENED], 0, self->file, partial_path);
    }
  else
    assay_growing_file_set_available (self->file, received);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED]);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AssayRemoteRecording) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;

  path = assay_recording_cache_fetch_finish (ASSAY_RECORDING_CACHE (source), result, &error);
  if (path == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        fail_with (self, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The central service no longer has this recording."));
      else if (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH))
        fail_with (self, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH,
                   _("The central service did not accept the sign-in. Sign in again in Preferences to play this recording."));
      else if (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK))
        {
          g_autofree char *text = g_strdup_printf (_("The recording could not be fetched from the central service: %s. "
                                                     "What arrived is kept; opening the contact again resumes it."),
                                                   error->message);
          fail_with (self, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK, text);
        }
      else
        fail (self, error);
      return;
    }
  self->complete = TRUE;
  if (g_stat (path, &st) == 0)
    self->received = self->total = st.st_size;
  if (self->file != NULL)
    {
      assay_growing_file_set_available (self->file, self->received);
      assay_growing_file_complete (self->file);
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED]);
  if (self->file == NULL)
    /* the cache had it: no request was made */
    g_signal_emit (self, signals[OPENED], 0, NULL, path);
  g_signal_emit (self, signals[FINISHED], 0, path);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AssayRemoteRecording) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = assay_credentials_lookup_finish (result, &error);
  g_autofree char *ca_file = NULL;
  AssayRecordingCache *cache;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (token == NULL)
    {
      fail_with (self, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH,
                 _("The sign-in to the central service is not on this computer any more. "
                   "Sign in again in Preferences to play this recording."));
      return;
    }
  cache = get_cache (assay_context_get_settings (self->context));
  ca_file = g_settings_get_string (assay_context_get_settings (self->context), "sync-ca-file");
  if (*ca_file != '\0')
    {
      /* the administrator's CA, as the engine trusts it */
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, &error);

      if (database == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The CA file %s set for the central service cannot be read: %s"),
                                                   ca_file, error->message);
          fail_with (self, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_TLS, text);
          return;
        }
      assay_recording_cache_set_tls_database (cache, database);
    }
  else
    assay_recording_cache_set_tls_database (cache, NULL);
  assay_recording_cache_fetch_async (cache, self->server_url, token, self->recording->id,
                                     self->recording->sha256, progress_cb, self, self->cancellable,
                                     fetched_cb, g_object_ref (self));
}

static void
recording_found_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AssayRemoteRecording) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;

  self->recording = assay_store_sync_find_recording_finish (ASSAY_STORE (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (self->recording == NULL)
    {
      if (error != NULL)
        fail (self, error);
      else
        fail_with (self, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The central service has no recording of this contact."));
      return;
    }
  login = g_settings_get_string (assay_context_get_settings (self->context), "sync-login");
  assay_credentials_lookup_async (self->server_url, login, self->cancellable, token_cb,
                                  g_object_ref (self));
}

gboolean
assay_remote_recording_can_fetch (AssayContext *context)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (context), FALSE);
  return assay_context_get_sync_engine (context) != NULL;
}

AssayRemoteRecording *
assay_remote_recording_new (AssayContext *context,
                            const char   *interaction_id)
{
  AssayRemoteRecording *self;

  g_return_val_if_fail (ASSAY_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (interaction_id != NULL, NULL);
  self = g_object_new (ASSAY_TYPE_REMOTE_RECORDING, NULL);
  self->context = g_object_ref (context);
  self->interaction_id = g_strdup (interaction_id);
  return self;
}

void
assay_remote_recording_start (AssayRemoteRecording *self,
                              GCancellable         *cancellable)
{
  AssaySyncEngine *engine;

  g_return_if_fail (ASSAY_IS_REMOTE_RECORDING (self));
  g_return_if_fail (self->cancellable == NULL);

  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  engine = assay_context_get_sync_engine (self->context);
  if (engine == NULL)
    {
      fail_with (self, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH,
                 _("This recording is on the central service. Sign in in Preferences to play it."));
      return;
    }
  self->server_url = g_strdup (assay_sync_engine_get_server_url (engine));
  assay_store_sync_find_recording_async (assay_context_get_store (self->context), self->interaction_id,
                                         self->cancellable, recording_found_cb, g_object_ref (self));
}

goffset
assay_remote_recording_get_received (AssayRemoteRecording *self)
{
  g_return_val_if_fail (ASSAY_IS_REMOTE_RECORDING (self), 0);
  return self->received;
}

goffset
assay_remote_recording_get_total (AssayRemoteRecording *self)
{
  g_return_val_if_fail (ASSAY_IS_REMOTE_RECORDING (self), -1);
  return self->total;
}

gboolean
assay_remote_recording_is_complete (AssayRemoteRecording *self)
{
  g_return_val_if_fail (ASSAY_IS_REMOTE_RECORDING (self), FALSE);
  return self->complete;
}

int
assay_remote_recording_get_agent_channel (AssayRemoteRecording *self)
{
  g_return_val_if_fail (ASSAY_IS_REMOTE_RECORDING (self), -1);
  return self->recording != NULL ? self->recording->agent_channel : -1;
}

static void
assay_remote_recording_dispose (GObject *object)
{
  AssayRemoteRecording *self = ASSAY_REMOTE_RECORDING (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_remote_recording_parent_class)->dispose (object);
}

static void
assay_remote_recording_finalize (GObject *object)
{
  AssayRemoteRecording *self = ASSAY_REMOTE_RECORDING (object);

  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->recording, assay_sync_recording_free);
  g_free (self->interaction_id);
  g_free (self->server_url);
  G_OBJECT_CLASS (assay_remote_recording_parent_class)->finalize (object);
}

static void
assay_remote_recording_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AssayRemoteRecording *self = ASSAY_REMOTE_RECORDING (object);

  switch (prop_id)
    {
    case PROP_RECEIVED:
      g_value_set_int64 (value, self->received);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_remote_recording_class_init (AssayRemoteRecordingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = assay_remote_recording_dispose;
  object_class->finalize = assay_remote_recording_finalize;
  object_class->get_property = assay_remote_recording_get_property;

  properties[PROP_RECEIVED] = g_param_spec_int64 ("received", NULL, NULL, 0, G_MAXINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                  | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, -1, G_MAXINT64, -1,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                               | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                                  ASSAY_TYPE_GROWING_FILE, G_TYPE_STRING);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
assay_remote_recording_init (AssayRemoteRecording *self)
{
  self->total = -1;
}
