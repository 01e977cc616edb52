/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>

#include "assay-coaching-session-view.h"
#include "assay-ui-util.h"
#include "store/assay-store-coaching.h"

#define DAY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))

struct _AssayCoachingSessionView
{
  GtkWidget     parent_instance;

  AssayContext *context;
  GCancellable *cancellable;     /* the view's life */
  GCancellable *load_cancellable;   /* the read in flight */
  char         *session_id;
  char         *agent_id;        /* the agent's own view, or NULL */
  AssayCoachingSessionDetail *detail;
  const char   *state;
  GPtrArray    *goal_status;     /* the status word shown per goal */

  AdwToastOverlay *toasts;
  AdwStatusPage   *title;
  GtkLabel        *facts;
  GtkListBox      *focus_list;
  GtkListBox      *goal_list;
  GtkListBox      *action_list;
  GtkLabel        *ack_label;
  GtkWidget       *add_goal;
  GtkWidget       *add_action;
  GtkWidget       *ack_button;

  /* the open dialog's fields */
  GtkEntry     *text_entry;
  GtkDropDown  *choice_drop;
  GtkSpinButton *target_spin;
  GtkEntry     *date_entry;
};

G_DEFINE_FINAL_TYPE (AssayCoachingSessionView, assay_coaching_session_view, GTK_TYPE_WIDGET)

static void load (AssayCoachingSessionView *self);

static void
toast (AssayCoachingSessionView *self,
       const char               *text)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
plain_row (const char *title,
           const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_list_box_set_placeholder (list, label);
}

/* A share as "72 % (n = 18)", or "no data" */
static char *
format_share (double share,
              guint  n)
{
  g_autofree char *percent = NULL;

  if (n == 0 || share < 0)
    return g_strdup (_("no evaluations yet"));
  percent = assay_ui_format_percent (share * 100);
  /* Translators: a goal's figure and how many evaluations or contacts it counts */
  return g_strdup_printf (_("%s (n = %u)"), percent, n);
}

static const char *
kpi_label (const char *kpi)
{
  if (g_strcmp0 (kpi, "csat") == 0)
    return _("CSAT (answers 4 or 5)");
  if (g_strcmp0 (kpi, "fcr") == 0)
    return _("First-contact resolution");
  return kpi;
}

static GtkWidget *
goal_row (AssayCoachingSessionView *self,
          AssayCoachingGoalRecord  *g)
{
  g_autofree char *target = assay_ui_format_percent (g->target * 100);
  g_autofree char *deadline = assay_ui_format_time (g->deadline, "%x");
  g_autofree char *before = format_share (g->before, g->before_n);
  g_autofree char *after = format_share (g->after, g->after_n);
  g_autofree char *subtitle = NULL;
  g_autofree char *measure = NULL;
  const char *status;
  GtkWidget *row, *label;

  if (g->item_id != NULL)
    {
      const char *text = g->item_id;

      for (guint i = 0; self->detail->focus != NULL && i < self->detail->focus->len; i++)
        {
          AssayCoachingFocusItem *f = g_ptr_array_index (self->detail->focus, i);

          if (g_strcmp0 (f->id, g->item_id) == 0)
            text = f->text;
        }
      /* Translators: what a coaching goal measures: a scorecard item's pass rate */
      measure = g_strdup_printf (_("“%s” passed"), text);
    }
  else
    measure = g_strdup (kpi_label (g->kpi));
  /* Translators: a goal's measure, target, deadline, figure before and after the session */
  subtitle = g_strdup_printf (_("%s ≥ %s by %s · before %s · after %s"), measure, target,
                              deadline, before, after);
  if (g->met)
    status = _("Met");
  else if (g->deadline < g_get_real_time () / 1000)
    status = _("Not met");
  else
    status = _("In progress");
  g_ptr_array_add (self->goal_status, g_strdup (status));
  row = plain_row (g->description, subtitle);
  label = gtk_label_new (status);
  gtk_widget_add_css_class (label, g->met ? "success"
                                   : g->deadline < g_get_real_time () / 1000 ? "error"
                                                                              : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
action_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AssayCoachingSessionView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!assay_store_set_coaching_action_done_finish (ASSAY_STORE (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

static void
action_toggled_cb (GtkCheckButton           *check,
                   AssayCoachingSessionView *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "action-id");

  assay_store_set_coaching_action_done_async (assay_context_get_store (self->context), id,
                                              gtk_check_button_get_active (check),
                                              self->cancellable, action_done_cb,
                                              g_object_ref (self));
}

static GtkWidget *
action_row (AssayCoachingSessionView  *self,
            AssayCoachingActionRecord *a)
{
  g_autofree char *due = assay_ui_format_time (a->due_at, "%x");
  g_autofree char *subtitle = NULL;
  GtkWidget *row, *check;
  gboolean late = a->done_at == 0
                  && a->due_at + DAY_MS <= g_get_real_time () / 1000;

  /* Translators: an action item's owner and due date */
  subtitle = g_strdup_printf (_("%s · due %s%s"),
                              g_strcmp0 (a->owner, "coach") == 0 ? _("Coach") : _("Agent"), due,
                              late ? _(" · overdue") : "");
  row = plain_row (a->description, subtitle);
  check = gtk_check_button_new ();
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), a->done_at != 0);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (check, self->agent_id == NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Done"), -1);
  g_object_set_data_full (G_OBJECT (check), "action-id", g_strdup (a->id), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (action_toggled_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  return row;
}

static void
show_detail (AssayCoachingSessionView *self)
{
  AssayCoachingSessionRecord *s = self->detail->session;
  g_autofree char *when = assay_ui_format_time (s->scheduled_at, "%x %H:%M");
  g_autofree char *facts = NULL;
  g_autofree char *ack = NULL;

  /* Translators: a coaching session's time, coach and agenda */
  facts = g_strdup_printf (_("%s · coach %s%s%s"), when, s->coach_name ? s->coach_name : "—",
                           *s->agenda != '\0' ? " · " : "", s->agenda);
  adw_status_page_set_title (self->title, s->agent_name);
  gtk_label_set_text (self->facts, facts);

  clear_list (self->focus_list);
  for (guint i = 0; i < self->detail->focus->len; i++)
    {
      AssayCoachingFocusItem *f = g_ptr_array_index (self->detail->focus, i);

      gtk_list_box_append (self->focus_list, plain_row (f->text, NULL));
    }
  clear_list (self->goal_list);
  g_ptr_array_set_size (self->goal_status, 0);
  for (guint i = 0; i < self->detail->goals->len; i++)
    gtk_list_box_append (self->goal_list,
                         goal_row (self, g_ptr_array_index (self->detail->goals, i)));
  clear_list (self->action_list);
  for (guint i = 0; i < self->detail->actions->len; i++)
    gtk_list_box_append (self->action_list,
                         action_row (self, g_ptr_array_index (self->detail->actions, i)));

  if (s->acknowledged_at > 0)
    {
      g_autofree char *at = assay_ui_format_time (s->acknowledged_at, "%x %H:%M");

      /* Translators: when the agent acknowledged a session, and their comment */
      ack = g_strdup_printf (_("Acknowledged by the agent on %s%s%s"), at,
                             s->ack_comment != NULL ? ": " : "",
                             s->ack_comment != NULL ? s->ack_comment : "");
    }
  else
    ack = g_strdup (_("The agent has not acknowledged this session yet."));
  gtk_label_set_text (self->ack_label, ack);
  gtk_widget_set_visible (self->add_goal, self->agent_id == NULL);
  gtk_widget_set_visible (self->add_action, self->agent_id == NULL);
  gtk_widget_set_visible (self->ack_button, self->agent_id != NULL && s->acknowledged_at == 0);
}

static void
detail_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AssayCoachingSessionView *self = user_data;
  g_autoptr(GError) error = NULL;
  AssayCoachingSessionDetail *detail;

  detail = assay_store_get_coaching_session_finish (ASSAY_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (detail == NULL)
    {
      self->state = "error";
      toast (self, error->message);
      return;
    }
  g_clear_pointer (&self->detail, assay_coaching_session_detail_free);
  self->detail = detail;
  show_detail (self);
  self->state = "shown";
}

static void
load (AssayCoachingSessionView *self)
{
  if (self->session_id == NULL)
    return;
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->state = "loading";
  assay_store_get_coaching_session_async (assay_context_get_store (self->context),
                                          self->session_id, self->agent_id,
                                          self->load_cancellable, detail_cb, self);
}

static void
store_changed_cb (AssayStore               *store,
                  const char               *collection,
                  const char * const       *ids,
                  AssayCoachingSessionView *self)
{
  load (self);
}

/* ---- dialogs ---- */

/* "YYYY-MM-DD" in local time to the end of that day in UTC milliseconds; 0 if not a date */
static gint64
parse_day (const char *text)
{
  int y, m, d;
  g_autoptr(GDateTime) day = NULL;

  if (text == NULL || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
    return 0;
  day = g_date_time_new_local (y, m, d, 23, 59, 59);
  return day != NULL ? g_date_time_to_unix (day) * 1000 : 0;
}

static char *
day_in (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static GtkWidget *
dialog_new (AssayCoachingSessionView *self,
            const char               *heading,
            const char               *body,
            const char               *ok_label)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "ok", ok_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  return dialog;
}

static GtkEntry *
labelled_entry (GtkWidget  *box,
                const char *label,
                const char *placeholder,
                const char *text)
{
  GtkEntry *entry = GTK_ENTRY (gtk_entry_new ());

  gtk_entry_set_placeholder_text (entry, placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_entry_set_activates_default (entry, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (entry));
  return entry;
}

static void
goal_added_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AssayCoachingSessionView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assay_store_add_coaching_goal_finish (ASSAY_STORE (source), result,
                                                              &error);

  if (id == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

static void
goal_response_cb (AdwMessageDialog         *dialog,
                  const char               *response,
                  AssayCoachingSessionView *self)
{
  guint choice, n_focus;
  gint64 deadline;
  const char *item_id = NULL;
  const char *kpi = NULL;

  if (g_strcmp0 (response, "ok") != 0 || self->detail == NULL)
    return;
  n_focus = self->detail->focus->len;
  choice = gtk_drop_down_get_selected (self->choice_drop);
  deadline = parse_day (gtk_editable_get_text (GTK_EDITABLE (self->date_entry)));
  if (deadline == 0)
    {
      toast (self, _("The deadline is not a date; write it as 2026-12-31"));
      return;
    }
  if (choice < n_focus)
    item_id = ((AssayCoachingFocusItem *) g_ptr_array_index (self->detail->focus, choice))->id;
  else
    kpi = choice == n_focus ? "csat" : "fcr";
  assay_store_add_coaching_goal_async (assay_context_get_store (self->context),
                                       self->session_id,
                                       gtk_editable_get_text (GTK_EDITABLE (self->text_entry)),
                                       item_id, kpi,
                                       gtk_spin_button_get_value (self->target_spin) / 100,
                                       deadline, self->cancellable, goal_added_cb,
                                       g_object_ref (self));
}

void
assay_coaching_session_view_add_goal (AssayCoachingSessionView *self)
{
  g_autoptr(GtkStringList) measures = gtk_string_list_new (NULL);
  g_autofree char *deadline = day_in (28);
  GtkWidget *dialog, *box;
  GtkAdjustment *adjustment;

  g_return_if_fail (ASSAY_IS_COACHING_SESSION_VIEW (self));
  if (self->detail == NULL || self->agent_id != NULL)
    return;
  for (guint i = 0; i < self->detail->focus->len; i++)
    {
      AssayCoachingFocusItem *f = g_ptr_array_index (self->detail->focus, i);
      g_autofree char *text = g_strdup_printf (_("“%s” passed"), f->text);

      gtk_string_list_append (measures, text);
    }
  gtk_string_list_append (measures, kpi_label ("csat"));
  gtk_string_list_append (measures, kpi_label ("fcr"));

  dialog = dialog_new (self, _("New Goal"),
                       _("A measurable target and a deadline; the goal shows its figure before "
                         "the session and after it, and whether it was met."),
                       _("_Add Goal"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->text_entry = labelled_entry (box, _("Goal"),
                                     _("Goal, e.g. verify identity on every call"), NULL);
  self->choice_drop = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&measures)),
                                                        NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choice_drop),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Measured by"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->choice_drop));
  adjustment = gtk_adjustment_new (90, 0, 100, 1, 5, 0);
  self->target_spin = GTK_SPIN_BUTTON (gtk_spin_button_new (adjustment, 1, 0));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->target_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Target in percent"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->target_spin));
  self->date_entry = labelled_entry (box, _("Deadline"), _("Deadline, e.g. 2026-12-31"),
                                     deadline);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_signal_connect_object (dialog, "response", G_CALLBACK (goal_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_added_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AssayCoachingSessionView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assay_store_add_coaching_action_finish (ASSAY_STORE (source), result,
                                                                &error);

  if (id == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

static void
action_response_cb (AdwMessageDialog         *dialog,
                    const char               *response,
                    AssayCoachingSessionView *self)
{
  gint64 due;

  if (g_strcmp0 (response, "ok") != 0)
    return;
  due = parse_day (gtk_editable_get_text (GTK_EDITABLE (self->date_entry)));
  if (due == 0)
    {
      toast (self, _("The due date is not a date; write it as 2026-12-31"));
      return;
    }
  assay_store_add_coaching_action_async (assay_context_get_store (self->context),
                                         self->session_id,
                                         gtk_editable_get_text (GTK_EDITABLE (self->text_entry)),
                                         gtk_drop_down_get_selected (self->choice_drop) == 1
                                         ? "coach" : "agent",
                                         due, self->cancellable, action_added_cb,
                                         g_object_ref (self));
}

void
assay_coaching_session_view_add_action (AssayCoachingSessionView *self)
{
  const char *owners[] = { _("Agent"), _("Coach"), NULL };
  g_autofree char *due = day_in (7);
  GtkWidget *dialog, *box;

  g_return_if_fail (ASSAY_IS_COACHING_SESSION_VIEW (self));
  if (self->detail == NULL || self->agent_id != NULL)
    return;
  dialog = dialog_new (self, _("New Action"),
                       _("Something to do before the next session, with who does it and by "
                         "when."), _("_Add Action"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->text_entry = labelled_entry (box, _("Action"),
                                     _("Action, e.g. listen to two model calls"), NULL);
  self->choice_drop = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (owners));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choice_drop),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Owner"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->choice_drop));
  self->date_entry = labelled_entry (box, _("Due date"), _("Due date, e.g. 2026-12-31"), due);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_signal_connect_object (dialog, "response", G_CALLBACK (action_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
acknowledged_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AssayCoachingSessionView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (assay_store_acknowledge_coaching_finish (ASSAY_STORE (source), result, &error))
    toast (self, _("Session acknowledged"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

static void
ack_response_cb (AdwMessageDialog         *dialog,
                 const char               *response,
                 AssayCoachingSessionView *self)
{
  if (g_strcmp0 (response, "ok") != 0 || self->agent_id == NULL)
    return;
  assay_store_acknowledge_coaching_async (assay_context_get_store (self->context),
                                          self->session_id, self->agent_id,
                                          gtk_editable_get_text (GTK_EDITABLE (self->text_entry)),
                                          self->cancellable, acknowledged_cb,
                                          g_object_ref (self));
}

void
assay_coaching_session_view_acknowledge (AssayCoachingSessionView *self)
{
  GtkWidget *dialog, *box;

  g_return_if_fail (ASSAY_IS_COACHING_SESSION_VIEW (self));
  if (self->detail == NULL || self->agent_id == NULL)
    return;
  dialog = dialog_new (self, _("Acknowledge Session"),
                       _("Confirm that you took part in this session and know its goals and "
                         "actions. You can add a comment."), _("_Acknowledge"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->text_entry = labelled_entry (box, _("Comment"), _("Comment (optional)"), NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_signal_connect_object (dialog, "response", G_CALLBACK (ack_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static void
assay_coaching_session_view_dispose (GObject *object)
{
  AssayCoachingSessionView *self = ASSAY_COACHING_SESSION_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->detail, assay_coaching_session_detail_free);
  g_clear_pointer (&self->goal_status, g_ptr_array_unref);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->agent_id, g_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_coaching_session_view_parent_class)->dispose (object);
}

static void
action_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *param)
{
  AssayCoachingSessionView *self = ASSAY_COACHING_SESSION_VIEW (widget);

  if (g_str_equal (action, "session.add-goal"))
    assay_coaching_session_view_add_goal (self);
  else if (g_str_equal (action, "session.add-action"))
    assay_coaching_session_view_add_action (self);
  else
    assay_coaching_session_view_acknowledge (self);
}

static void
assay_coaching_session_view_class_init (AssayCoachingSessionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_coaching_session_view_dispose;
  gtk_widget_class_install_action (widget_class, "session.add-goal", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "session.add-action", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "session.acknowledge", NULL, action_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkListBox *
section (GtkWidget  *box,
         const char *heading,
         const char *empty,
         GtkWidget  *button)
{
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (heading);
  GtkListBox *list = GTK_LIST_BOX (gtk_list_box_new ());

  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (title_box), label);
  if (button != NULL)
    gtk_box_append (GTK_BOX (title_box), button);
  gtk_widget_set_margin_top (title_box, 18);
  gtk_box_append (GTK_BOX (box), title_box);
  gtk_list_box_set_selection_mode (list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                  -1);
  add_placeholder (list, empty);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (list));
  return list;
}

static GtkWidget *
small_button (const char *label,
              const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
assay_coaching_session_view_init (AssayCoachingSessionView *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->cancellable = g_cancellable_new ();
  self->goal_status = g_ptr_array_new_with_free_func (g_free);
  self->state = "loading";
  self->title = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->title, "system-users-symbolic");
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "compact");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title));
  self->facts = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->facts, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->facts), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->facts));

  self->focus_list = section (box, _("Focus"),
                              _("No focus items: the session was not made from an evaluation"),
                              NULL);
  self->add_goal = small_button (_("Add _Goal…"), "session.add-goal");
  self->goal_list = section (box, _("Goals"), _("No goals yet: add one with a target and a "
                                                "deadline"), self->add_goal);
  self->add_action = small_button (_("Add _Action…"), "session.add-action");
  self->action_list = section (box, _("Actions"), _("No actions yet"), self->add_action);

  self->ack_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->ack_label, TRUE);
  gtk_label_set_xalign (self->ack_label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->ack_label), 18);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->ack_label));
  self->ack_button = gtk_button_new_with_mnemonic (_("_Acknowledge…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->ack_button), "session.acknowledge");
  gtk_widget_add_css_class (self->ack_button, "suggested-action");
  gtk_widget_set_halign (self->ack_button, GTK_ALIGN_START);
  gtk_widget_set_visible (self->ack_button, FALSE);
  gtk_box_append (GTK_BOX (box), self->ack_button);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_bottom (box, 18);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, scrolled);
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
}

AssayCoachingSessionView *
assay_coaching_session_view_new (AssayContext *context)
{
  AssayCoachingSessionView *self = g_object_new (ASSAY_TYPE_COACHING_SESSION_VIEW, NULL);
  AssayStore *store = assay_context_get_store (context);

  self->context = g_object_ref (context);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_COACHING,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_EVALUATIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  return self;
}

void
assay_coaching_session_view_show (AssayCoachingSessionView *self,
                                  const char               *session_id,
                                  const char               *agent_id)
{
  g_return_if_fail (ASSAY_IS_COACHING_SESSION_VIEW (self));
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
  g_free (self->agent_id);
  self->agent_id = g_strdup (agent_id);
  g_clear_pointer (&self->detail, assay_coaching_session_detail_free);
  load (self);
}

const char *
assay_coaching_session_view_get_session_id (AssayCoachingSessionView *self)
{
  g_return_val_if_fail (ASSAY_IS_COACHING_SESSION_VIEW (self), NULL);
  return self->session_id;
}

const char *
_assay_coaching_session_view_get_state (AssayCoachingSessionView *self)
{
  return self->state;
}

const char *
_assay_coaching_session_view_get_goal_status (AssayCoachingSessionView *self,
                                              guint                     i)
{
  return i < self->goal_status->len ? g_ptr_array_index (self->goal_status, i) : NULL;
}

guint
_assay_coaching_session_view_get_n_focus (AssayCoachingSessionView *self)
{
  return self->detail != NULL ? self->detail->focus->len : 0;
}
