/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-application.h"
#include "assay-ui-util.h"
#include "assay-context.h"
#include "assay-context-sync.h"
#include "assay-preferences-window.h"
#include "assay-window.h"

/*
 * Nothing lost on quit: while the store has work that has not returned (a draft typed just
 * before the window closed), the application holds itself, so it runs until the work is done;
 * "quit" closes the windows and lets that happen rather than leaving the main loop at once.
 * At shutdown the store is closed from the main thread, which drains anything still queued.
 */

struct _AssayApplication
{
  AdwApplication  parent_instance;
  char           *database;
  char           *review;      /* --review: an interaction to open for scoring */
  AssayContext   *context;
  gboolean        held;        /* for the store's pending work */
};

G_DEFINE_FINAL_TYPE (AssayApplication, assay_application, ADW_TYPE_APPLICATION)

static void
store_busy_cb (AssayApplication *self)
{
  gboolean busy = assay_store_get_busy (assay_context_get_store (self->context));

  if (busy == self->held)
    return;
  self->held = busy;
  if (busy)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

/* The one context of the application, made on first use. */
static AssayContext *
ensure_context (AssayApplication *self)
{
  g_autoptr(AssayStore) store = NULL;

  if (self->context != NULL)
    return self->context;

  if (self->database == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_autofree char *configured = g_settings_get_string (settings, "database-path");

      self->database = *configured ? g_steal_pointer (&configured) : assay_store_default_path ();
    }
  store = assay_store_new (self->database);
  self->context = assay_context_new (store, NULL);
  g_signal_connect_object (store, "notify::busy", G_CALLBACK (store_busy_cb), self,
                           G_CONNECT_SWAPPED);
  return self->context;
}

static void
assay_application_activate (GApplication *app)
{
  AssayApplication *self = ASSAY_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      /* the window starts opening the database on the worker while it builds */
      window = GTK_WINDOW (assay_window_new (self, ensure_context (self)));
      if (self->review != NULL)
        assay_window_review (ASSAY_WINDOW (window), self->review, NULL);
    }

  gtk_window_present (window);
}

static int
assay_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  AssayApplication *self = ASSAY_APPLICATION (app);
  const char *database = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("assay %s\n", ASSAY_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "review", "s", &self->review);
  if (g_variant_dict_lookup (options, "database", "^&ay", &database))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (database);

      g_free (self->database);
      self->database = g_file_get_path (file);
    }
  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { "The Assay developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Assay"),
                        "application-icon", APP_ID,
                        "version", ASSAY_VERSION,
                        "developer-name", _("The Assay developers"),
                        "developers", developers,
                        "comments", _("Quality assurance for contact centres: review and score "
                                      "calls, coach agents, follow the figures."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  AssayApplication *self = ASSAY_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AssayPreferencesWindow *prefs = assay_preferences_window_new (parent, ensure_context (self));

  gtk_window_present (GTK_WINDOW (prefs));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* closing the windows saves their state and hands on what they were writing; the
   * application then ends when the last window is gone and the store has nothing pending
   * (g_application_quit() would leave at once, dropping a save still on its way) */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
}

/* Syncs at once; not signed in, it shows the Sync page, which says how to sign in. */
static void
sync_now_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  AssayApplication *self = ASSAY_APPLICATION (user_data);
  AssayContext *context = ensure_context (self);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (assay_context_get_sync_engine (context) != NULL)
    assay_context_sync_now (context);
  else if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "sync");
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
  { "sync-now", sync_now_action },
};

static void
assay_application_startup (GApplication *app)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };
  const char *sync_accels[] = { "<Control>r", "F5", NULL };

  G_APPLICATION_CLASS (assay_application_parent_class)->startup (app);

  assay_ui_name_icon_buttons ();
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.sync-now", sync_accels);
}

static void
assay_application_shutdown (GApplication *app)
{
  AssayApplication *self = ASSAY_APPLICATION (app);

  G_APPLICATION_CLASS (assay_application_parent_class)->shutdown (app);

  /* on the main thread: whatever is still queued is written before the connection closes */
  if (self->context != NULL)
    assay_context_close (self->context);
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (app);
    }
}

static void
assay_application_finalize (GObject *object)
{
  AssayApplication *self = ASSAY_APPLICATION (object);

  g_clear_object (&self->context);
  g_free (self->database);
  g_free (self->review);
  G_OBJECT_CLASS (assay_application_parent_class)->finalize (object);
}

static void
assay_application_class_init (AssayApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = assay_application_finalize;
  app_class->activate = assay_application_activate;
  app_class->startup = assay_application_startup;
  app_class->shutdown = assay_application_shutdown;
  app_class->handle_local_options = assay_application_handle_local_options;
}

static void
assay_application_init (AssayApplication *self)
{
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the database at PATH instead of the usual one"), N_("PATH") },
    { "review", 'r', 0, G_OPTION_ARG_STRING, NULL,
      N_("Open the interaction with this id for review"), N_("ID") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

AssayApplication *
assay_application_new (void)
{
  return g_object_new (ASSAY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/assayqa/Assay",
                       NULL);
}

const char *
assay_application_get_database (AssayApplication *self)
{
  g_return_val_if_fail (ASSAY_IS_APPLICATION (self), NULL);
  return self->database;
}

AssayContext *
assay_application_get_context (AssayApplication *self)
{
  g_return_val_if_fail (ASSAY_IS_APPLICATION (self), NULL);
  return ensure_context (self);
}
