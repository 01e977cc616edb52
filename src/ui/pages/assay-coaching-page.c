/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>

#include "assay-coaching-page.h"
#include "assay-coaching-session-view.h"
#include "assay-ui-util.h"
#include "core/assay-directory.h"
#include "core/assay-util.h"
#include "store/assay-store-coaching.h"
#include "store/assay-store-directory.h"
#include "store/assay-store-evaluations.h"

struct _AssayCoachingPage
{
  GtkWidget     parent_instance;

  AssayContext *context;
  GCancellable *cancellable;
  AdwToastOverlay *toasts;
  GtkStack     *stack;
  GtkListBox   *list;
  gboolean      loading;
  gboolean      loaded;
  guint         n_sessions;
  gboolean      reload;
  AssayCoachingSessionView *view;
  GtkWidget    *back;
  GtkWidget    *add;
  char         *evaluation_id;   /* the evaluation the open dialog coaches from */

  /* the new-session dialog */
  GtkDropDown  *agent_drop;
  GtkEntry     *when_entry;
  GtkEntry     *agenda_entry;
  GPtrArray    *agents;
};

G_DEFINE_FINAL_TYPE (AssayCoachingPage, assay_coaching_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load (AssayCoachingPage *self);

static void
toast (AssayCoachingPage *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  /* Translators: a coaching session's date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%x %H:%M"));
}

static const char *
source_label (const char *source)
{
  if (g_strcmp0 (source, "evaluation") == 0)
    return _("From an evaluation");
  if (g_strcmp0 (source, "kpi") == 0)
    return _("From a KPI");
  return _("From scratch");
}

static GtkWidget *
session_row (AssayCoachingSessionRecord *r)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = format_time (r->scheduled_at);
  g_autofree char *subtitle = NULL;
  g_autofree char *counts = NULL;
  GtkWidget *state;

  /* Translators: goals and open actions of a coaching session */
  counts = g_strdup_printf (_("%u goals · %u of %u actions open"), r->n_goals, r->n_actions_open,
                            r->n_actions);
  subtitle = g_strdup_printf ("%s · %s · %s%s%s", when, source_label (r->source), counts,
                              r->agenda != NULL && *r->agenda != '\0' ? " · " : "",
                              r->agenda != NULL ? r->agenda : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), r->agent_name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  state = gtk_label_new (r->acknowledged_at > 0 ? _("Acknowledged") : _("Not acknowledged"));
  gtk_widget_add_css_class (state, r->acknowledged_at > 0 ? "success" : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "session-id", g_strdup (r->id), g_free);
  return row;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AssayCoachingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  GtkWidget *child;

  sessions = assay_store_list_coaching_sessions_finish (ASSAY_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (sessions == NULL)
    {
      toast (self, error->message);
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->loaded = TRUE;
  self->n_sessions = sessions->len;
  for (guint i = 0; i < sessions->len; i++)
    gtk_list_box_append (self->list, session_row (g_ptr_array_index (sessions, i)));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "session") != 0)
    gtk_stack_set_visible_child_name (self->stack, sessions->len > 0 ? "list" : "empty");
  if (self->reload)
    {
      self->reload = FALSE;
      load (self);
    }
}

static void
load (AssayCoachingPage *self)
{
  if (self->loading)
    {
      self->reload = TRUE;
      return;
    }
  self->loading = TRUE;
  assay_store_list_coaching_sessions_async (assay_context_get_store (self->context), NULL,
                                            self->cancellable, listed_cb, self);
}

void
assay_coaching_page_open_session (AssayCoachingPage *self,
                                  const char        *session_id)
{
  g_return_if_fail (ASSAY_IS_COACHING_PAGE (self));
  assay_coaching_session_view_show (self->view, session_id, NULL);
  gtk_stack_set_visible_child_name (self->stack, "session");
  gtk_widget_set_visible (self->back, TRUE);
  gtk_widget_set_visible (self->add, FALSE);
}

static void
back_cb (GtkWidget  *widget,
         const char *action,
         GVariant   *param)
{
  AssayCoachingPage *self = ASSAY_COACHING_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "session") != 0)
    return;
  gtk_widget_set_visible (self->back, FALSE);
  gtk_widget_set_visible (self->add, TRUE);
  gtk_stack_set_visible_child_name (self->stack, self->n_sessions > 0 ? "list" : "empty");
}

static void
row_activated_cb (GtkListBox        *list,
                  GtkListBoxRow     *row,
                  AssayCoachingPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "session-id");

  if (id != NULL)
    assay_coaching_page_open_session (self, id);
}

static void
store_changed_cb (AssayStore         *store,
                  const char         *collection,
                  const char * const *ids,
                  AssayCoachingPage  *self)
{
  load (self);
}

/* ---- the new-session dialog ---- */

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AssayCoachingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assay_store_create_coaching_session_finish (ASSAY_STORE (source), result,
                                                                    &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (id == NULL)
    toast (self, error->message);
  else
    toast (self, _("Coaching session planned"));
}

static void
coached_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AssayCoachingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assay_store_create_coaching_session_finish (ASSAY_STORE (source), result,
                                                                    &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (id == NULL)
    {
      toast (self, error->message);
      return;
    }
  assay_coaching_page_open_session (self, id);
}

/* "YYYY-MM-DD HH:MM" in local time to UTC milliseconds; 0 when it is not a time */
static gint64
parse_when (const char *text)
{
  int y, mo, d, h = 0, mi = 0;
  g_autoptr(GDateTime) when = NULL;

  if (text == NULL || sscanf (text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) < 3)
    return 0;
  when = g_date_time_new_local (y, mo, d, h, mi, 0);
  return when != NULL ? g_date_time_to_unix (when) * 1000 : 0;
}

static void
dialog_response_cb (AdwMessageDialog  *dialog,
                    const char        *response,
                    AssayCoachingPage *self)
{
  const AssayStaffRecord *me = assay_context_get_me (self->context);
  AssayCoachingSessionSpec spec = { 0 };
  guint pos = G_MAXUINT;
  gint64 when;

  if (g_strcmp0 (response, "create") != 0)
    return;
  if (self->evaluation_id == NULL)
    pos = gtk_drop_down_get_selected (self->agent_drop);
  when = parse_when (gtk_editable_get_text (GTK_EDITABLE (self->when_entry)));
  if (self->evaluation_id == NULL && (self->agents == NULL || pos >= self->agents->len))
    {
      toast (self, _("Pick the agent to coach"));
      return;
    }
  if (when == 0)
    {
      toast (self, _("The time is not a date; write it as 2026-12-08 10:00"));
      return;
    }
  if (me == NULL)
    {
      toast (self, _("The database is still opening; try again in a moment"));
      return;
    }
  spec.coach_id = me->id;
  spec.scheduled_at = when;
  spec.agenda = gtk_editable_get_text (GTK_EDITABLE (self->agenda_entry));
  if (self->evaluation_id != NULL)
    {
      /* the store takes the agent and the focus from the evaluation */
      spec.evaluation_id = self->evaluation_id;
      assay_store_create_coaching_session_async (assay_context_get_store (self->context), &spec,
                                                 self->cancellable, coached_cb, self);
      return;
    }
  spec.agent_id = assay_agent_get_id (g_ptr_array_index (self->agents, pos));
  assay_store_create_coaching_session_async (assay_context_get_store (self->context), &spec,
                                             self->cancellable, created_cb, self);
}

static void
agents_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AssayCoachingPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = assay_store_list_agents_finish (ASSAY_STORE (source), result,
                                                                &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *when = NULL;
  GtkWidget *dialog, *box;
  GListModel *model;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (agents == NULL)
    {
      toast (self, error->message);
      return;
    }
  if (agents->len == 0)
    {
      toast (self, _("There are no agents to coach yet; import interactions or sync first"));
      return;
    }
  g_clear_pointer (&self->agents, g_ptr_array_unref);
  self->agents = g_ptr_array_ref (agents);
  for (guint i = 0; i < agents->len; i++)
    gtk_string_list_append (names, assay_agent_get_name (g_ptr_array_index (agents, i)));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("New Coaching Session"),
                                   _("Plan a session with an agent; add goals and actions to it "
                                     "as you coach."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  model = G_LIST_MODEL (names);
  names = NULL;   /* the drop-down takes it */
  self->agent_drop = GTK_DROP_DOWN (gtk_drop_down_new (model, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->agent_drop),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Agent"), -1);
  self->when_entry = GTK_ENTRY (gtk_entry_new ());
  when = g_strdup_printf ("%04d-%02d-%02d 10:00", g_date_time_get_year (tomorrow),
                          g_date_time_get_month (tomorrow),
                          g_date_time_get_day_of_month (tomorrow));
  gtk_editable_set_text (GTK_EDITABLE (self->when_entry), when);
  gtk_entry_set_placeholder_text (self->when_entry, _("Date and time, e.g. 2026-12-08 10:00"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->when_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Date and time"), -1);
  self->agenda_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->agenda_entry, _("Agenda, e.g. identity checks"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->agenda_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Agenda"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->agent_drop));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->when_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->agenda_entry));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "create", _("_Plan Session"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
assay_coaching_page_coach_evaluation (AssayCoachingPage *self,
                                      const char        *evaluation_id)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *when = NULL;
  GtkWidget *dialog, *box;

  g_return_if_fail (ASSAY_IS_COACHING_PAGE (self));
  g_return_if_fail (evaluation_id != NULL);
  assay_set_str (&self->evaluation_id, evaluation_id);
  self->agent_drop = NULL;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Coach from This Evaluation"),
                                   _("Plan a session with the evaluated agent; the items the "
                                     "evaluation lost become its focus."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->when_entry = GTK_ENTRY (gtk_entry_new ());
  when = g_strdup_printf ("%04d-%02d-%02d 10:00", g_date_time_get_year (tomorrow),
                          g_date_time_get_month (tomorrow),
                          g_date_time_get_day_of_month (tomorrow));
  gtk_editable_set_text (GTK_EDITABLE (self->when_entry), when);
  gtk_entry_set_placeholder_text (self->when_entry, _("Date and time, e.g. 2026-12-08 10:00"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->when_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Date and time"), -1);
  self->agenda_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->agenda_entry, _("Agenda, e.g. identity checks"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->agenda_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Agenda"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->when_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->agenda_entry));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "create", _("_Plan Session"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
assay_coaching_page_new_session (AssayCoachingPage *self)
{
  g_return_if_fail (ASSAY_IS_COACHING_PAGE (self));
  g_clear_pointer (&self->evaluation_id, g_free);
  assay_store_list_agents_async (assay_context_get_store (self->context), 0, self->cancellable,
                                 agents_listed_cb, self);
}

static void
new_session_cb (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  assay_coaching_page_new_session (ASSAY_COACHING_PAGE (widget));
}

const char *
_assay_coaching_page_get_state (AssayCoachingPage *self)
{
  if (self->loading || self->reload || !self->loaded)
    return "loading";
  return gtk_stack_get_visible_child_name (self->stack);
}

AssayCoachingSessionView *
_assay_coaching_page_get_session_view (AssayCoachingPage *self)
{
  return self->view;
}

guint
_assay_coaching_page_get_n_sessions (AssayCoachingPage *self)
{
  return self->n_sessions;
}

/* ---- the page ---- */

static void
assay_coaching_page_constructed (GObject *object)
{
  AssayCoachingPage *self = ASSAY_COACHING_PAGE (object);

  G_OBJECT_CLASS (assay_coaching_page_parent_class)->constructed (object);
  self->view = assay_coaching_session_view_new (self->context);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->view), "session");
  g_signal_connect_object (assay_context_get_store (self->context),
                           "changed::" ASSAY_STORE_COACHING, G_CALLBACK (store_changed_cb), self,
                           0);
  g_signal_connect_object (assay_context_get_store (self->context),
                           "changed::" ASSAY_STORE_DIRECTORY, G_CALLBACK (store_changed_cb), self,
                           0);
  load (self);
}

static void
assay_coaching_page_dispose (GObject *object)
{
  AssayCoachingPage *self = ASSAY_COACHING_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->agents, g_ptr_array_unref);
  g_clear_pointer (&self->evaluation_id, g_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_coaching_page_parent_class)->dispose (object);
}

static void
assay_coaching_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AssayCoachingPage *self = ASSAY_COACHING_PAGE (object);

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
assay_coaching_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AssayCoachingPage *self = ASSAY_COACHING_PAGE (object);

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
assay_coaching_page_class_init (AssayCoachingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_coaching_page_constructed;
  object_class->dispose = assay_coaching_page_dispose;
  object_class->get_property = assay_coaching_page_get_property;
  object_class->set_property = assay_coaching_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "coaching.new", NULL, new_session_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "coaching.new",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "coaching.back", NULL, back_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "coaching.back",
                                       NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_coaching_page_init (AssayCoachingPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *plan = gtk_button_new_with_mnemonic (_("_Plan a Session"));
  GtkWidget *scrolled;

  self->cancellable = g_cancellable_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Coaching"), NULL));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "coaching.new");
  gtk_widget_set_tooltip_text (add, _("New Coaching Session (Ctrl+N)"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), add);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "coaching.back");
  gtk_widget_set_tooltip_text (back, _("Back to the Sessions (Alt+Left)"));
  gtk_widget_set_visible (back, FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  self->add = add;
  self->back = back;

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "system-users-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Coaching Sessions Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Coach an agent on what their evaluations show: plan a "
                                     "session, set goals with a target and a deadline, and agree "
                                     "on actions."));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (plan), "coaching.new");
  gtk_widget_set_halign (plan, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (plan, "pill");
  gtk_widget_add_css_class (plan, "suggested-action");
  adw_status_page_set_child (ADW_STATUS_PAGE (status), plan);

  self->list = assay_ui_boxed_list_new (_("Coaching sessions"), &scrolled);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, status, "empty");
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
}
