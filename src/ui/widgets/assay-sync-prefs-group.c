/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-sync-prefs-group.h"
#include "assay-context-sync.h"
#include "sync/assay-sync-engine.h"
#include "assay-credentials.h"
#include "sync/assay-sync-error.h"

struct _AssaySyncPrefsGroup
{
  AdwPreferencesGroup  parent_instance;

  AssayContext        *context;
  GCancellable        *cancellable;
  guint                wait_id;       /* the server's slow-down: Sign In waits until then */
  guint                wait_left_s;

  GtkWidget           *server_row;
  GtkWidget           *login_row;
  GtkWidget           *password_row;
  GtkWidget           *sign_in_button;
  GtkWidget           *token_row;
  GtkWidget           *token_button;
  GtkWidget           *message;
  GtkWidget           *account_row;
  GtkWidget           *sign_out_button;
  GtkWidget           *spinner;
};

G_DEFINE_FINAL_TYPE (AssaySyncPrefsGroup, assay_sync_prefs_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_message (AssaySyncPrefsGroup *self,
             const char          *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
  gtk_widget_set_visible (self->message, text != NULL && *text != '\0');
}

static void
set_busy (AssaySyncPrefsGroup *self,
          gboolean             busy)
{
  gboolean waiting = self->wait_id != 0;

  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->sign_in_button, !busy && !waiting);
  gtk_widget_set_sensitive (self->token_button, !busy);
}

/* Shows the rows of the state: signed out (the sign-in rows) or signed in (the account). */
static void
update (AssaySyncPrefsGroup *self)
{
  AssaySyncEngine *engine = assay_context_get_sync_engine (self->context);
  gboolean signed_in = engine != NULL;

  gtk_widget_set_visible (self->login_row, !signed_in);
  gtk_widget_set_visible (self->password_row, !signed_in);
  gtk_widget_set_visible (gtk_widget_get_parent (self->sign_in_button), !signed_in);
  gtk_widget_set_visible (self->token_row, !signed_in);
  gtk_widget_set_visible (gtk_widget_get_parent (self->token_button), !signed_in);
  gtk_widget_set_visible (self->account_row, signed_in);
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !signed_in);
  if (signed_in)
    {
      const AssaySyncAccount *account = assay_sync_engine_get_account (engine);
      g_autofree char *login = g_settings_get_string (assay_context_get_settings (self->context),
                                                      "sync-login");
      g_autofree char *title = NULL;

      if (account != NULL && account->name != NULL && *account->name != '\0')
        /* TRANSLATORS: the signed-in account: its name, then its login */
        title = g_strdup_printf (_("Signed in as %s (%s)"), account->name, account->login);
      else
        title = g_strdup_printf (_("Signed in as %s"), login);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row),
                                   assay_sync_engine_get_server_url (engine));
      gtk_editable_set_text (GTK_EDITABLE (self->server_row),
                             assay_sync_engine_get_server_url (engine));
    }
}

static gboolean
wait_tick_cb (gpointer user_data)
{
  AssaySyncPrefsGroup *self = user_data;
  g_autofree char *text = NULL;

  if (self->wait_left_s > 0)
    self->wait_left_s--;
  if (self->wait_left_s == 0)
    {
      self->wait_id = 0;
      set_message (self, _("You can try to sign in again."));
      set_busy (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  text = g_strdup_printf (ngettext ("Too many failed sign-ins: the server asks to wait. Try again "
                                    "in %u second.",
                                    "Too many failed sign-ins: the server asks to wait. Try again "
                                    "in %u seconds.", self->wait_left_s), self->wait_left_s);
  set_message (self, text);
  return G_SOURCE_CONTINUE;
}

/* The server's Retry-After: Sign In stays off, counting down, until the wait is over. */
static void
start_wait (AssaySyncPrefsGroup *self,
            guint                seconds)
{
  g_clear_handle_id (&self->wait_id, g_source_remove);
  self->wait_left_s = seconds + 1;
  self->wait_id = g_timeout_add_seconds (1, wait_tick_cb, self);
  wait_tick_cb (self);
}

static void
keep_response_cb (AssaySyncPrefsGroup *self,
                  const char          *response)
{
  if (g_strcmp0 (response, "session") == 0 && assay_context_keep_sign_in_for_session (self->context))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
      set_message (self, _("Signed in for this session only: you will sign in again next time."));
      update (self);
    }
  else
    {
      assay_context_forget_pending_sign_in (self->context);
      set_message (self, _("Not signed in: the sign-in was not kept."));
    }
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AssaySyncPrefsGroup *self = user_data;
  g_autoptr(GError) error = NULL;
  guint retry_after_s = 0;
  gboolean ok = assay_context_sign_in_finish (ASSAY_CONTEXT (source), result, &retry_after_s, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (ok)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
      set_message (self, NULL);
      update (self);
      return;
    }
  if (g_error_matches (error, ASSAY_CREDENTIALS_ERROR, ASSAY_CREDENTIALS_ERROR_NO_KEYRING))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      AdwMessageDialog *dialog;

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                           _("No Keyring"), NULL));
      adw_message_dialog_set_body (dialog, error->message);
      adw_message_dialog_add_responses (dialog, "cancel", _("_Don't Sign In"),
                                        "session", _("_Keep for This Session"), NULL);
      adw_message_dialog_set_default_response (dialog, "session");
      adw_message_dialog_set_close_response (dialog, "cancel");
      adw_message_dialog_set_response_appearance (dialog, "session", ADW_RESPONSE_SUGGESTED);
      g_signal_connect_object (dialog, "response", G_CALLBACK (keep_response_cb), self,
                               G_CONNECT_SWAPPED);
      set_message (self, error->message);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_SLOW_DOWN)
      || (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH) && retry_after_s > 0))
    {
      start_wait (self, MAX (retry_after_s, 1));
      if (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH))
        {
          g_autofree char *text = g_strdup_printf ("%s %s", error->message,
                                                   gtk_label_get_text (GTK_LABEL (self->message)));
          set_message (self, text);
        }
      set_busy (self, FALSE);
      return;
    }
  set_message (self, error->message);
}

static void
sign_in (AssaySyncPrefsGroup *self,
         gboolean             with_token)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  g_autofree char *trimmed = g_strstrip (g_strdup (server));

  if (*trimmed == '\0')
    {
      set_message (self, _("Enter the address of your centre's server, such as https://qa.example.org."));
      gtk_widget_grab_focus (self->server_row);
      return;
    }
  if (!with_token && (*login == '\0' || *password == '\0'))
    {
      set_message (self, _("Enter your login and password, or paste a token below."));
      gtk_widget_grab_focus (*login == '\0' ? self->login_row : self->password_row);
      return;
    }
  set_message (self, NULL);
  set_busy (self, TRUE);
  assay_context_sign_in_async (self->context, trimmed,
                               with_token ? NULL : login, with_token ? NULL : password,
                               with_token ? token : NULL,
                               self->cancellable, signed_in_cb, self);
}

static void
sign_in_clicked_cb (AssaySyncPrefsGroup *self)
{
  sign_in (self, FALSE);
}

static void
token_clicked_cb (AssaySyncPrefsGroup *self)
{
  sign_in (self, TRUE);
}

static void
sign_out_clicked_cb (AssaySyncPrefsGroup *self)
{
  assay_context_sign_out (self->context);
  set_message (self, _("Signed out. Your local work stays on this computer."));
  update (self);
}

static GtkWidget *
button_row (AssaySyncPrefsGroup *self,
            const char          *label,
            const char          *name,
            GCallback            callback,
            GtkWidget          **button_out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_object (button, "clicked", callback, self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), button);
  *button_out = button;
  return box;
}

static GtkWidget *
entry_row (const char *title,
           const char *name,
           gboolean    password)
{
  GtkWidget *row = password ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, name);
  return row;
}

static void
assay_sync_prefs_group_constructed (GObject *object)
{
  AssaySyncPrefsGroup *self = ASSAY_SYNC_PREFS_GROUP (object);
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self);
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  GtkWidget *box;

  G_OBJECT_CLASS (assay_sync_prefs_group_parent_class)->constructed (object);

  adw_preferences_group_set_title (group, _("Central Service"));
  adw_preferences_group_set_description (group,
                                         _("Sign in to your centre's server to send your "
                                           "evaluations and receive contacts, assignments and "
                                           "scorecards. Your work is saved on this computer "
                                           "first, so nothing waits for the network."));
  self->server_row = entry_row (_("Server Address"), "server", FALSE);
  self->login_row = entry_row (_("Login"), "login", FALSE);
  self->password_row = entry_row (_("Password"), "password", TRUE);
  self->token_row = entry_row (_("Or a Token From Your Administrator"), "token", TRUE);
  adw_preferences_group_add (group, self->server_row);
  adw_preferences_group_add (group, self->login_row);
  adw_preferences_group_add (group, self->password_row);
  adw_preferences_group_add (group, button_row (self, _("_Sign In"), "sign-in",
                                                G_CALLBACK (sign_in_clicked_cb),
                                                &self->sign_in_button));
  adw_preferences_group_add (group, self->token_row);
  adw_preferences_group_add (group, button_row (self, _("Sign In With _Token"), "sign-in-token",
                                                G_CALLBACK (token_clicked_cb),
                                                &self->token_button));
  gtk_widget_remove_css_class (self->token_button, "suggested-action");
  g_signal_connect_object (self->password_row, "entry-activated",
                           G_CALLBACK (sign_in_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->token_row, "entry-activated",
                           G_CALLBACK (token_clicked_cb), self, G_CONNECT_SWAPPED);

  self->account_row = adw_action_row_new ();
  gtk_widget_set_name (self->account_row, "account");
  g_object_set (self->account_row, "use-markup", FALSE, NULL);
  self->sign_out_button = gtk_button_new_with_mnemonic (_("Sign _Out"));
  gtk_widget_set_name (self->sign_out_button, "sign-out");
  gtk_widget_set_valign (self->sign_out_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->sign_out_button, "destructive-action");
  g_signal_connect_object (self->sign_out_button, "clicked", G_CALLBACK (sign_out_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->account_row), self->sign_out_button);
  adw_preferences_group_add (group, self->account_row);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (box, 6);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  self->message = gtk_label_new (NULL);
  gtk_widget_set_name (self->message, "message");
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  gtk_widget_set_hexpand (self->message, TRUE);
  gtk_widget_set_visible (self->message, FALSE);
  gtk_box_append (GTK_BOX (box), self->spinner);
  gtk_box_append (GTK_BOX (box), self->message);
  adw_preferences_group_add (group, box);

  server = g_settings_get_string (assay_context_get_settings (self->context), "sync-server");
  login = g_settings_get_string (assay_context_get_settings (self->context), "sync-login");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
  g_signal_connect_object (self->context, "notify::sync", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::roles", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
}

static void
assay_sync_prefs_group_dispose (GObject *object)
{
  AssaySyncPrefsGroup *self = ASSAY_SYNC_PREFS_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->wait_id, g_source_remove);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_sync_prefs_group_parent_class)->dispose (object);
}

static void
assay_sync_prefs_group_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AssaySyncPrefsGroup *self = ASSAY_SYNC_PREFS_GROUP (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_sync_prefs_group_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AssaySyncPrefsGroup *self = ASSAY_SYNC_PREFS_GROUP (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_sync_prefs_group_class_init (AssaySyncPrefsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = assay_sync_prefs_group_constructed;
  object_class->dispose = assay_sync_prefs_group_dispose;
  object_class->set_property = assay_sync_prefs_group_set_property;
  object_class->get_property = assay_sync_prefs_group_get_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
assay_sync_prefs_group_init (AssaySyncPrefsGroup *self)
{
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
assay_sync_prefs_group_new (AssayContext *context)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (context), NULL);
  return g_object_new (ASSAY_TYPE_SYNC_PREFS_GROUP, "context", context, NULL);
}

const char *
assay_sync_prefs_group_get_message (AssaySyncPrefsGroup *self)
{
  g_return_val_if_fail (ASSAY_IS_SYNC_PREFS_GROUP (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}
