/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-database-problem.h"
#include "assay-ui-util.h"
#include "store/assay-store-health.h"

/*
 * The read-only bar and the damaged-database dialogs of a window. The state lives on the window
 * (object data), so the window needs one call, assay_database_problem_watch().
 */

#define STATE_KEY "assay-database-problem"

typedef struct {
  GtkWindow       *window;    /* owns this state */
  AdwToastOverlay *overlay;
  GtkRevealer     *banner;
  GtkLabel        *banner_label;
  AdwMessageDialog *dialog;   /* weak */
  GCancellable    *cancellable;
  char            *path;      /* the store's database */
  char            *salvaged;  /* the new database, once made */
  gboolean         damage_told;
} State;

static void
state_free (State *state)
{
  g_cancellable_cancel (state->cancellable);
  g_clear_object (&state->cancellable);
  if (state->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (state->dialog), (gpointer *) &state->dialog);
  g_free (state->path);
  g_free (state->salvaged);
  g_free (state);
}

static State *
get_state (GtkWindow *window)
{
  return g_object_get_data (G_OBJECT (window), STATE_KEY);
}

static void
toast (State      *state,
       const char *text)
{
  adw_toast_overlay_add_toast (state->overlay, assay_ui_toast_new (text));
}

/* The one dialog of this kind on screen: a new one replaces it. */
static void
show_dialog (State            *state,
             AdwMessageDialog *dialog)
{
  if (state->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (state->dialog), (gpointer *) &state->dialog);
      gtk_window_destroy (GTK_WINDOW (state->dialog));
    }
  state->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &state->dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- read-only ---- */

static void
update_banner (State      *state,
               AssayStore *store)
{
  gboolean read_only = assay_store_get_read_only (store);

  if (read_only)
    {
      g_autofree char *text =
        /* Translators: %s is the path of the database file */
        g_strdup_printf (_("This database is read-only: you can look, but not change anything. "
                           "To make changes, ask whoever manages %s for write access, or choose "
                           "another location in Preferences."),
                         state->path);

      gtk_label_set_text (state->banner_label, text);
    }
  gtk_revealer_set_reveal_child (state->banner, read_only);
}

static void
store_read_only_cb (AssayStore *store,
                    GParamSpec *pspec,
                    GtkWindow  *window)
{
  State *state = get_state (window);

  if (state != NULL)
    update_banner (state, store);
}

/* A bar above the overlay's content: the template keeps its shape, the bar slides in on top. */
static void
add_banner (State *state)
{
  g_autoptr(GtkWidget) content = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("changes-prevent-symbolic");
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Preferences"));

  gtk_widget_add_css_class (bar, "toolbar");
  gtk_widget_add_css_class (bar, "database-banner");
  gtk_widget_set_margin_start (icon, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Read-only"), -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.preferences");
  gtk_box_append (GTK_BOX (bar), icon);
  gtk_box_append (GTK_BOX (bar), label);
  gtk_box_append (GTK_BOX (bar), button);

  state->banner = GTK_REVEALER (gtk_revealer_new ());
  state->banner_label = GTK_LABEL (label);
  gtk_revealer_set_child (state->banner, bar);

  content = adw_toast_overlay_get_child (state->overlay);
  if (content != NULL)
    {
      g_object_ref (content);
      adw_toast_overlay_set_child (state->overlay, NULL);
      gtk_widget_set_vexpand (content, TRUE);
    }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (state->banner));
  if (content != NULL)
    gtk_box_append (GTK_BOX (box), content);
  adw_toast_overlay_set_child (state->overlay, box);
}

/* ---- damaged ---- */

static void
salvage_done_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          GtkWindow        *window)
{
  State *state = get_state (window);
  g_autoptr(GSettings) settings = NULL;

  if (state == NULL || state->salvaged == NULL || !g_str_equal (response, "use"))
    return;
  settings = g_settings_new (APP_ID);
  g_settings_set_string (settings, "database-path", state->salvaged);
  toast (state, _("Assay opens the salvaged database from the next start"));
}

static void
salvaged_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkWindow) window = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStoreSalvage) salvage = assay_store_salvage_finish (result, &error);
  State *state = get_state (window);
  g_autofree char *copied = NULL;
  g_autofree char *lost = NULL;
  AdwMessageDialog *dialog;

  if (state == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (salvage == NULL)
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Nothing Was Salvaged"),
                                                           error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      show_dialog (state, dialog);
      return;
    }

  g_free (state->salvaged);
  state->salvaged = g_strdup (salvage->path);
  copied = g_strdup_printf ("%'" G_GUINT64_FORMAT, salvage->rows_copied);
  lost = g_strdup_printf ("%'" G_GUINT64_FORMAT, salvage->rows_lost);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Salvage Complete"), NULL));
  adw_message_dialog_format_body (dialog,
                                  /* Translators: the counts of records copied and not readable,
                                   * then the path of the new database */
                                  _("Records copied: %s. Records that could not be read: %s.\n\n"
                                    "The new database is %s. Use it from now on? The damaged one "
                                    "stays where it is."),
                                  copied, lost, salvage->path);
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep the Damaged One"),
                                    "use", _("_Use the New Database"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "use", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "use");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (salvage_done_response_cb), window, 0);
  show_dialog (state, dialog);
}

static void
damaged_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     GtkWindow        *window)
{
  State *state = get_state (window);
  g_autofree char *dest = NULL;

  if (state == NULL || !g_str_equal (response, "salvage"))
    return;
  dest = assay_store_salvage_default_path (state->path);
  toast (state, _("Copying what can be read…"));
  assay_store_salvage_async (state->path, dest, state->cancellable, salvaged_cb,
                             g_object_ref (window));
}

static void
tell_damaged (State *state)
{
  AdwMessageDialog *dialog;

  if (state->damage_told)
    return;
  state->damage_told = TRUE;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (state->window,
                                                       _("The Database Is Damaged"), NULL));
  adw_message_dialog_format_body (dialog,
                                  /* Translators: %s is the path of the database file */
                                  _("Part of the database %s cannot be read. This happens when a "
                                    "disk fails, or when the computer stops while the file is "
                                    "being written.\n\nAssay can copy everything that can still "
                                    "be read into a new database next to it. The damaged file is "
                                    "left exactly as it is."),
                                  state->path);
  adw_message_dialog_add_responses (dialog,
                                    "later", _("_Not Now"),
                                    "salvage", _("_Salvage"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "salvage", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "salvage");
  adw_message_dialog_set_close_response (dialog, "later");
  g_signal_connect_object (dialog, "response", G_CALLBACK (damaged_response_cb),
                           state->window, 0);
  show_dialog (state, dialog);
}

static void
store_damaged_cb (AssayStore *store,
                  GParamSpec *pspec,
                  GtkWindow  *window)
{
  State *state = get_state (window);

  if (state != NULL && assay_store_get_damaged (store))
    tell_damaged (state);
}

/* ---- public ---- */

void
assay_database_problem_watch (GtkWindow       *window,
                              AdwToastOverlay *overlay,
                              AssayStore      *store)
{
  State *state;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ASSAY_IS_STORE (store));
  g_return_if_fail (get_state (window) == NULL);

  state = g_new0 (State, 1);
  state->window = window;
  state->overlay = overlay;
  state->cancellable = g_cancellable_new ();
  state->path = g_strdup (assay_store_get_path (store));
  g_object_set_data_full (G_OBJECT (window), STATE_KEY, state, (GDestroyNotify) state_free);

  add_banner (state);
  g_signal_connect_object (store, "notify::read-only", G_CALLBACK (store_read_only_cb), window, 0);
  g_signal_connect_object (store, "notify::damaged", G_CALLBACK (store_damaged_cb), window, 0);
  update_banner (state, store);
  if (assay_store_get_damaged (store))
    tell_damaged (state);
}

GtkRevealer *
assay_database_problem_get_banner (GtkWindow *window)
{
  State *state = get_state (window);

  return state ? state->banner : NULL;
}

AdwMessageDialog *
assay_database_problem_get_dialog (GtkWindow *window)
{
  State *state = get_state (window);

  return state ? state->dialog : NULL;
}
