/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-sync-page.h"
#include "assay-context-sync.h"
#include "sync/assay-sync-engine.h"
#include "assay-ui-util.h"
#include "store/assay-store-sync.h"

struct _AssaySyncPage
{
  GtkWidget        parent_instance;

  AssayContext    *context;
  AssaySyncEngine *engine;        /* the one whose signals are connected */
  GCancellable    *cancellable;
  gboolean         folded;
  guint            n_conflicts;

  GtkWidget       *toolbar;
  GtkWidget       *stack;
  GtkWidget       *sync_button;
  GtkWidget       *account_row;
  GtkWidget       *roles_row;
  GtkWidget       *server_row;
  GtkWidget       *state_row;
  GtkWidget       *spinner;
  GtkWidget       *last_sync_row;
  GtkWidget       *pending_row;
  GtkWidget       *error_row;
  GtkWidget       *retry_button;
  GtkWidget       *conflicts_group;
  GtkWidget       *conflicts_list;
  GtkWidget       *no_conflicts_row;
};

G_DEFINE_FINAL_TYPE (AssaySyncPage, assay_sync_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
role_title (const char *name)
{
  if (g_str_equal (name, "inspector"))
    return _("Inspector");
  if (g_str_equal (name, "lead"))
    return _("Team Lead");
  if (g_str_equal (name, "manager"))
    return _("Manager");
  if (g_str_equal (name, "agent"))
    return _("Agent");
  if (g_str_equal (name, "admin"))
    return _("Administrator");
  return name;
}

static const char *
state_text (AssaySyncState state)
{
  switch (state)
    {
    case ASSAY_SYNC_STATE_SYNCING:
      return _("Syncing…");
    case ASSAY_SYNC_STATE_WAITING:
      return _("Waiting to try again");
    case ASSAY_SYNC_STATE_SIGNED_OUT:
      return _("The server no longer accepts this sign-in: sign in again in Preferences");
    case ASSAY_SYNC_STATE_FAILED:
      return _("Stopped: see the error below");
    case ASSAY_SYNC_STATE_IDLE:
    default:
      return _("Up to date");
    }
}

static void
conflicts_listed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  AssaySyncPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = assay_store_sync_list_conflicts_finish (ASSAY_STORE (source),
                                                                           result, &error);
  GtkWidget *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  while ((child = gtk_widget_get_first_child (self->conflicts_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->conflicts_list), child);
  self->n_conflicts = conflicts != NULL ? conflicts->len : 0;
  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      AssaySyncConflict *c = g_ptr_array_index (conflicts, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = assay_ui_format_time (c->created_at, "%x %X");
      g_autofree char *subtitle = NULL;
      gboolean rejected = g_strcmp0 (c->kind, "rejected") == 0;

      g_object_set (row, "use-markup", FALSE, NULL);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     rejected ? _("Rejected by the server")
                                              : _("Draft edited on two computers"));
      if (rejected && c->reason != NULL)
        /* TRANSLATORS: the server's reason for a rejection, then when it happened */
        subtitle = g_strdup_printf (_("%s · %s"), c->reason, when);
      else
        /* TRANSLATORS: an evaluation's id, then when the conflict arose */
        subtitle = g_strdup_printf (_("Evaluation %.8s · %s"), c->evaluation_id, when);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (rejected ? "dialog-error-symbolic"
                                                                        : "dialog-warning-symbolic"));
      gtk_list_box_append (GTK_LIST_BOX (self->conflicts_list), row);
    }
  if (self->n_conflicts == 0)
    gtk_list_box_append (GTK_LIST_BOX (self->conflicts_list), self->no_conflicts_row);
}

static void
refresh_conflicts (AssaySyncPage *self)
{
  if (assay_context_get_sync_engine (self->context) == NULL)
    return;
  assay_store_sync_list_conflicts_async (assay_context_get_store (self->context), self->cancellable,
                                         conflicts_listed_cb, self);
}

static void
update (AssaySyncPage *self)
{
  AssaySyncEngine *engine = assay_context_get_sync_engine (self->context);
  const AssaySyncAccount *account;
  const char *error;
  gint64 last;
  AssaySyncState state;
  g_autofree char *pending = NULL;
  g_autofree char *last_text = NULL;

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), engine ? "signed-in" : "signed-out");
  gtk_widget_set_visible (self->sync_button, engine != NULL);
  if (engine == NULL)
    return;

  account = assay_sync_engine_get_account (engine);
  if (account != NULL)
    {
      /* the account's bits are 1 << AssayRole, in the order of AssayRoles */
      g_auto(GStrv) list = assay_roles_to_strv (account->roles);
      g_autoptr(GString) roles = g_string_new (NULL);

      for (guint i = 0; list[i] != NULL; i++)
        {
          if (*list[i] == '\0')
            continue;
          if (roles->len > 0)
            /* TRANSLATORS: between two role names */
            g_string_append (roles, _(", "));
          g_string_append (roles, role_title (list[i]));
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), account->name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), account->login);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->roles_row), roles->str);
    }
  else
    {
      g_autofree char *login = g_settings_get_string (assay_context_get_settings (self->context),
                                                      "sync-login");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), login);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row),
                                   _("Not confirmed by the server yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->roles_row), "—");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->server_row),
                               assay_sync_engine_get_server_url (engine));

  state = assay_sync_engine_get_state (engine);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->state_row), state_text (state));
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), state == ASSAY_SYNC_STATE_SYNCING);
  gtk_widget_set_visible (self->spinner, state == ASSAY_SYNC_STATE_SYNCING);
  gtk_widget_set_sensitive (self->sync_button, state != ASSAY_SYNC_STATE_SYNCING);

  last = assay_sync_engine_get_last_sync (engine);
  last_text = last > 0 ? assay_ui_format_time (last, "%x %X") : g_strdup (_("Never"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->last_sync_row), last_text);
  pending = g_strdup_printf (ngettext ("%u operation waiting to be sent",
                                       "%u operations waiting to be sent",
                                       assay_sync_engine_get_pending (engine)),
                             assay_sync_engine_get_pending (engine));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->pending_row), pending);

  error = assay_sync_engine_get_last_error (engine);
  gtk_widget_set_visible (self->error_row, error != NULL);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->error_row), error != NULL ? error : "");
}

static void
engine_changed_cb (AssaySyncPage *self)
{
  update (self);
}

static void
conflicts_changed_cb (AssaySyncPage *self)
{
  refresh_conflicts (self);
}

static void
context_sync_cb (AssaySyncPage *self)
{
  AssaySyncEngine *engine = assay_context_get_sync_engine (self->context);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      const char *props[] = { "state", "last-sync", "pending", "last-error", "account" };

      for (guint i = 0; i < G_N_ELEMENTS (props); i++)
        {
          g_autofree char *signal = g_strconcat ("notify::", props[i], NULL);

          g_signal_connect_object (engine, signal, G_CALLBACK (engine_changed_cb), self,
                                   G_CONNECT_SWAPPED);
        }
      g_signal_connect_object (engine, "notify::conflicts", G_CALLBACK (conflicts_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  update (self);
  refresh_conflicts (self);
}

static void
sync_now_cb (AssaySyncPage *self)
{
  assay_context_sync_now (self->context);
}

static GtkWidget *
info_row (const char *title,
          const char *name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_object_set (row, "use-markup", FALSE, NULL);
  gtk_widget_add_css_class (row, "property");
  gtk_widget_set_name (row, name);
  return row;
}

static GtkWidget *
build_signed_out (void)
{
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Open _Preferences"));

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "network-server-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Not Signed In"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Your work is saved on this computer. Sign in to your "
                                     "centre's server in Preferences to send your evaluations "
                                     "and receive contacts, assignments and scorecards."));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.preferences");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  adw_status_page_set_child (ADW_STATUS_PAGE (status), button);
  return status;
}

static GtkWidget *
build_signed_in (AssaySyncPage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *account = adw_preferences_group_new ();
  GtkWidget *status = adw_preferences_group_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (account), _("Account"));
  self->account_row = info_row (_("Account"), "account");
  self->roles_row = info_row (_("Roles"), "roles");
  self->server_row = info_row (_("Server"), "server");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->roles_row), _("Roles"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (account), self->account_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (account), self->roles_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (account), self->server_row);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (status), _("Status"));
  self->state_row = info_row (_("State"), "sync-state");
  self->spinner = gtk_spinner_new ();
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->state_row), self->spinner);
  self->last_sync_row = info_row (_("Last Sync"), "last-sync");
  self->pending_row = info_row (_("Waiting to Be Sent"), "pending");
  self->error_row = info_row (_("Last Error"), "error");
  gtk_widget_remove_css_class (self->error_row, "property");
  gtk_widget_add_css_class (self->error_row, "error");
  self->retry_button = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_name (self->retry_button, "retry");
  gtk_widget_set_valign (self->retry_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->retry_button, "clicked", G_CALLBACK (sync_now_cb), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->error_row), self->retry_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (status), self->state_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (status), self->last_sync_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (status), self->pending_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (status), self->error_row);

  self->conflicts_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->conflicts_group), _("Conflicts"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->conflicts_group),
                                         _("Drafts edited on two computers and changes the "
                                           "server refused. Both copies are kept until you "
                                           "choose."));
  self->conflicts_list = gtk_list_box_new ();
  gtk_widget_set_name (self->conflicts_list, "conflicts");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->conflicts_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->conflicts_list, "boxed-list");
  self->no_conflicts_row = g_object_ref_sink (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_conflicts_row), _("No conflicts"));
  gtk_list_box_append (GTK_LIST_BOX (self->conflicts_list), self->no_conflicts_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->conflicts_group), self->conflicts_list);

  gtk_box_append (GTK_BOX (box), account);
  gtk_box_append (GTK_BOX (box), status);
  gtk_box_append (GTK_BOX (box), self->conflicts_group);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  return scrolled;
}

static void
assay_sync_page_constructed (GObject *object)
{
  AssaySyncPage *self = ASSAY_SYNC_PAGE (object);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *title = adw_window_title_new (_("Sync"), NULL);

  G_OBJECT_CLASS (assay_sync_page_parent_class)->constructed (object);

  self->toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->toolbar, GTK_WIDGET (self));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "win.back");
  gtk_widget_set_tooltip_text (back, _("Back"));
  g_object_bind_property (self, "folded", back, "visible", G_BINDING_SYNC_CREATE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  self->sync_button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_widget_set_tooltip_text (self->sync_button, _("Sync Now (Ctrl+R)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "app.sync-now");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->sync_button);
  gtk_box_append (GTK_BOX (self->toolbar), header);

  self->stack = gtk_stack_new ();
  gtk_widget_set_name (self->stack, "state");
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), build_signed_out (), "signed-out");
  gtk_stack_add_named (GTK_STACK (self->stack), build_signed_in (self), "signed-in");
  gtk_box_append (GTK_BOX (self->toolbar), self->stack);

  g_signal_connect_object (self->context, "notify::sync", G_CALLBACK (context_sync_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (assay_context_get_store (self->context), "changed::" ASSAY_STORE_EVALUATIONS,
                           G_CALLBACK (conflicts_changed_cb), self, G_CONNECT_SWAPPED);
  context_sync_cb (self);
}

static void
assay_sync_page_dispose (GObject *object)
{
  AssaySyncPage *self = ASSAY_SYNC_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->toolbar, gtk_widget_unparent);
  g_clear_object (&self->no_conflicts_row);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_sync_page_parent_class)->dispose (object);
}

static void
assay_sync_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AssaySyncPage *self = ASSAY_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_sync_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AssaySyncPage *self = ASSAY_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_sync_page_class_init (AssaySyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_sync_page_constructed;
  object_class->dispose = assay_sync_page_dispose;
  object_class->get_property = assay_sync_page_get_property;
  object_class->set_property = assay_sync_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_sync_page_init (AssaySyncPage *self)
{
  self->cancellable = g_cancellable_new ();
}

const char *
assay_sync_page_get_view (AssaySyncPage *self)
{
  g_return_val_if_fail (ASSAY_IS_SYNC_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

guint
assay_sync_page_get_n_conflicts (AssaySyncPage *self)
{
  g_return_val_if_fail (ASSAY_IS_SYNC_PAGE (self), 0);
  return self->n_conflicts;
}
