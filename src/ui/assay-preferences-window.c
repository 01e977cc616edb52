/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-preferences-window.h"
#include "assay-ui-util.h"
#include "widgets/assay-sync-prefs-group.h"

struct _AssayPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *chooser;

  AdwActionRow         *database_row;
  AdwActionRow         *language_row;
  AdwPreferencesPage   *general_page;
  GtkSwitch            *role_switches[5];
};

/* The roles offered before any sign-in, in the order of ROLES.md. */
static const struct {
  AssayRoles  role;
  const char *title;
  const char *subtitle;
} roles[] = {
  { ASSAY_ROLE_INSPECTOR, N_("Inspector"), N_("Reviews and scores contacts") },
  { ASSAY_ROLE_LEAD, N_("Team Lead"), N_("Follows and coaches their own teams") },
  { ASSAY_ROLE_MANAGER, N_("Manager"), N_("Sees the whole centre and edits scorecards") },
  { ASSAY_ROLE_AGENT, N_("Agent"), N_("Sees only their own results") },
  { ASSAY_ROLE_ADMIN, N_("Administrator"), N_("Manages users and settings") },
};

G_DEFINE_FINAL_TYPE (AssayPreferencesWindow, assay_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Each language by its own name, as language choosers show them. */
static const char *
language_name (const char *code)
{
  if (g_str_has_prefix (code, "zh_TW") || g_str_has_prefix (code, "zh_HK"))
    return "繁體中文";
  if (g_str_has_prefix (code, "zh"))
    return "简体中文";
  if (g_str_has_prefix (code, "en") || g_str_equal (code, "C") || g_str_has_prefix (code, "C."))
    return "English";
  /* a language Assay has no translation for: its interface is in English */
  return "English";
}

static void
chooser_response_cb (AssayPreferencesWindow *self,
                     int                     response,
                     GtkFileChooserNative   *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        {
          g_settings_set_string (self->settings, "database-path", path);
          adw_action_row_set_subtitle (self->database_row, path);
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                            assay_ui_toast_new (_("The new location is used from the next start")));
        }
    }
  g_clear_object (&self->chooser);
}

static void
choose_database_cb (AssayPreferencesWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  self->chooser = gtk_file_chooser_native_new (_("Database Location"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Use"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "assay.db");
  gtk_file_filter_set_name (filter, _("Assay databases"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_database_cb (AssayPreferencesWindow *self)
{
  g_autofree char *path = NULL;

  g_settings_reset (self->settings, "database-path");
  path = g_build_filename (g_get_user_data_dir (), "assay", "assay.db", NULL);
  adw_action_row_set_subtitle (self->database_row, path);
}

static void
roles_changed_cb (AssayPreferencesWindow *self)
{
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "roles");
  AssayRoles current = assay_roles_from_strv ((const char * const *) names);

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (gtk_switch_get_active (self->role_switches[i]) != ((current & roles[i].role) != 0))
      gtk_switch_set_active (self->role_switches[i], (current & roles[i].role) != 0);
}

static void
role_switched_cb (AssayPreferencesWindow *self)
{
  AssayRoles chosen = ASSAY_ROLE_NONE;
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (gtk_switch_get_active (self->role_switches[i]))
      chosen |= roles[i].role;
  names = assay_roles_to_strv (chosen);
  g_settings_set_strv (self->settings, "roles", (const char * const *) names);
}

static void
add_roles_group (AssayPreferencesWindow *self)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Roles"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Until this workstation signs in to your centre, these "
                                           "roles decide which places Assay shows."));
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(roles[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(roles[i].subtitle));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(roles[i].title), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      self->role_switches[i] = GTK_SWITCH (toggle);
    }
  adw_preferences_page_add (self->general_page, ADW_PREFERENCES_GROUP (group));

  roles_changed_cb (self);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    g_signal_connect_object (self->role_switches[i], "notify::active",
                             G_CALLBACK (role_switched_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::roles", G_CALLBACK (roles_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* A row with a spin button bound to the unsigned settings @key, whose range it takes. */
static GtkWidget *
spin_row (AssayPreferencesWindow *self,
          const char             *key,
          const char             *title,
          const char             *subtitle,
          double                  step)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) limits = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin;
  const char *kind;
  guint32 min = 0, max = G_MAXUINT32;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &kind, &limits);
  if (g_strcmp0 (kind, "range") == 0)
    g_variant_get (limits, "(uu)", &min, &max);
  spin = gtk_spin_button_new_with_range (min, max, step);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_settings_bind (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_name (spin, key);
  return row;
}

static void
add_cache_group (AssayPreferencesWindow *self)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Recordings Cache"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Recordings fetched from your centre are kept on this "
                                           "workstation within these limits."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, "recordings-cache-size-mb", _("Largest size (MB)"),
                                       _("The least recently played recordings are removed first"), 100));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, "recordings-cache-max-age-days", _("Keep for (days)"),
                                       _("Recordings not played for longer are removed"), 1));
  adw_preferences_page_add (self->general_page, ADW_PREFERENCES_GROUP (group));
}

static void
add_disputes_group (AssayPreferencesWindow *self)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Disputes"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, "dispute-window-days", _("Dispute window (days)"),
                                       _("How long after submission an evaluation may be disputed"), 1));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, "unacknowledged-days", _("Unacknowledged after (days)"),
                                       _("When an evaluation the agent has not signed off is listed"), 1));
  adw_preferences_page_add (self->general_page, ADW_PREFERENCES_GROUP (group));
}

/* A row with a switch bound to the boolean settings @key. */
static GtkWidget *
switch_row (AssayPreferencesWindow *self,
            const char             *key,
            const char             *title,
            const char             *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_settings_bind (self->settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_name (toggle, key);
  return row;
}

static void
add_review_group (AssayPreferencesWindow *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0.6, 60, 0.5);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Review"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self, "review-advance", _("Move on after answering"),
                                         _("Answering an item moves to the next unanswered one")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self, "review-open-next", _("Open the next due item after submitting"),
                                         _("Ctrl+Enter submits and opens the next item of your queue")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self, "review-skip-silence", _("Skip silences while reviewing"),
                                         _("Playback jumps over stretches where nobody speaks (S)")));

  /* the shortest silence skipped: seconds, in half-second steps */
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 1);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Shortest silence to skip (seconds)"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Shortest silence to skip (seconds)"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_settings_bind (self->settings, "review-skip-silence-min-s", spin, "value", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_name (spin, "review-skip-silence-min-s");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_page_add (self->general_page, ADW_PREFERENCES_GROUP (group));
}

/* A page of its own: signing in to the centre, and how often to sync. */
static void
add_sync_page (AssayPreferencesWindow *self,
               AssayContext           *context)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Central Service"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "network-server-symbolic");
  gtk_widget_set_name (page, "sync");
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (assay_sync_prefs_group_new (context)));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Background Sync"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, "sync-interval", _("Sync every (seconds)"),
                                       _("While signed in; Ctrl+R or F5 syncs at once"), 30));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

static void
assay_preferences_window_dispose (GObject *object)
{
  AssayPreferencesWindow *self = ASSAY_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (assay_preferences_window_parent_class)->dispose (object);
}

static void
assay_preferences_window_class_init (AssayPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, AssayPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, AssayPreferencesWindow, general_page);
  gtk_widget_class_bind_template_callback (widget_class, choose_database_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_database_cb);
}

static void
assay_preferences_window_init (AssayPreferencesWindow *self)
{
  const char * const *languages = g_get_language_names ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  /* the interface language follows the system; say which one is in use */
  adw_action_row_set_subtitle (self->language_row, language_name (languages[0]));
  add_roles_group (self);
  add_review_group (self);
  add_cache_group (self);
  add_disputes_group (self);
}

AssayPreferencesWindow *
assay_preferences_window_new (GtkWindow    *parent,
                              AssayContext *context)
{
  AssayPreferencesWindow *self = g_object_new (ASSAY_TYPE_PREFERENCES_WINDOW,
                                               "transient-for", parent,
                                               NULL);

  g_return_val_if_fail (ASSAY_IS_CONTEXT (context), self);
  adw_action_row_set_subtitle (self->database_row,
                               assay_store_get_path (assay_context_get_store (context)));
  add_sync_page (self, context);
  return self;
}
