/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-callbacks-page.h"
#include "assay-insights-common.h"
#include "assay-root-cause-dialog.h"
#include "assay-ui-util.h"
#include "core/assay-util.h"
#include "widgets/assay-period-picker.h"

static const char *const states[] = { "to_call", "called", "resolved", "unreachable", NULL };

struct _AssayCallbacksPage
{
  GtkWidget          parent_instance;

  AssayContext      *context;
  GCancellable      *cancellable;
  GtkWidget         *frame;
  AssayPeriodPicker *period;
  GtkWidget         *stack;
  GtkWidget         *content;
  AdwToastOverlay   *toasts;
  GPtrArray         *rows;         /* AssayKpiCallback, as listed */
  GPtrArray         *dropdowns;
  const char        *state;
  gboolean           filling;
};

G_DEFINE_FINAL_TYPE (AssayCallbacksPage, assay_callbacks_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load (AssayCallbacksPage *self);

static const char *
state_title (const char *state)
{
  if (g_strcmp0 (state, "called") == 0)
    return C_("callback", "Called");
  if (g_strcmp0 (state, "resolved") == 0)
    return C_("callback", "Resolved");
  if (g_strcmp0 (state, "unreachable") == 0)
    return C_("callback", "Not reachable");
  return C_("callback", "To call");
}

/* ---- saving a state ---- */

typedef struct {
  AssayStore *store;
  char       *interaction_id;
  char       *owner_id;
  char       *state;
  char       *note;
  gint64      due_at;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_object_unref (job->store);
  g_free (job->interaction_id);
  g_free (job->owner_id);
  g_free (job->state);
  g_free (job->note);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  SaveJob *job = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assay_store_kpi_save_callback_sync (job->store, job->interaction_id,
                                                            job->owner_id, job->state, job->note,
                                                            job->due_at, &error);

  if (id != NULL)
    g_task_return_pointer (task, g_steal_pointer (&id), g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_task_propagate_pointer (G_TASK (result), &error);
  AssayCallbacksPage *self = ASSAY_CALLBACKS_PAGE (source);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    return;
  if (id == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The callback could not be saved: %s"),
                                               error->message);

      adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
    }
  load (self);
}

void
_assay_callbacks_page_set_row_state (AssayCallbacksPage *self,
                                     guint               i,
                                     const char         *state)
{
  const AssayKpiCallback *c;
  const AssayStaffRecord *me = assay_context_get_me (self->context);
  SaveJob *job;
  g_autoptr(GTask) task = NULL;

  if (self->rows == NULL || i >= self->rows->len)
    return;
  c = g_ptr_array_index (self->rows, i);
  job = g_new0 (SaveJob, 1);
  job->store = g_object_ref (assay_context_get_store (self->context));
  job->interaction_id = g_strdup (c->interaction_id);
  job->owner_id = g_strdup (c->owner_id != NULL ? c->owner_id : me ? me->id : NULL);
  job->state = g_strdup (state);
  job->note = g_strdup (c->note ? c->note : "");
  job->due_at = c->id != NULL ? c->due_at : 0;
  self->state = "loading";
  task = g_task_new (self, self->cancellable, saved_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

static void
state_selected_cb (GtkDropDown        *dropdown,
                   GParamSpec         *pspec,
                   AssayCallbacksPage *self)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "row"));
  guint s = gtk_drop_down_get_selected (dropdown);

  if (self->filling || s >= G_N_ELEMENTS (states) - 1)
    return;
  _assay_callbacks_page_set_row_state (self, i, states[s]);
}

/* ---- the follow-up: owner, note, root causes ---- */

static void
follow_up_saved_cb (AssayCallbacksPage *self)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (_("Follow-up saved")));
  load (self);
}

GtkWidget *
_assay_callbacks_page_follow_up (AssayCallbacksPage *self,
                                 guint               i)
{
  const AssayKpiCallback *c;
  AssayRootCauseDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *when = NULL;
  g_autofree char *subject = NULL;

  if (self->rows == NULL || i >= self->rows->len)
    return NULL;
  c = g_ptr_array_index (self->rows, i);
  when = assay_ui_format_time (c->started_at, "%x %H:%M");
  /* Translators: a low-score contact: agent · channel · when */
  subject = g_strdup_printf (_("%s · %s · %s"), c->agent_name ? c->agent_name : "",
                             assay_ui_channel_label (c->channel), when);
  dialog = assay_root_cause_dialog_new_for_callback (self->context, c, subject);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (follow_up_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

static void
follow_up_clicked_cb (GtkWidget          *button,
                      AssayCallbacksPage *self)
{
  _assay_callbacks_page_follow_up (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button),
                                                                              "row")));
}

/* ---- listing ---- */

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = assay_store_kpi_callbacks_finish (ASSAY_STORE (source), result,
                                                                &error);
  AssayCallbacksPage *self;
  GtkWidget *child, *list;
  guint overdue = 0;
  g_autofree char *note = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  while ((child = gtk_widget_get_first_child (self->content)) != NULL)
    gtk_box_remove (GTK_BOX (self->content), child);
  g_ptr_array_set_size (self->dropdowns, 0);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  if (rows == NULL)
    {
      adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (error->message));
      self->state = "error";
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  self->rows = g_ptr_array_ref (rows);
  if (rows->len == 0)
    {
      self->state = "empty";
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  self->filling = TRUE;
  for (guint i = 0; i < rows->len; i++)
    {
      const AssayKpiCallback *c = g_ptr_array_index (rows, i);
      GtkWidget *row = adw_action_row_new ();
      GtkStringList *names = gtk_string_list_new (NULL);
      GtkWidget *dropdown, *follow;
      g_autofree char *when = assay_ui_format_time (c->started_at, "%x %H:%M");
      g_autofree char *due = assay_ui_format_time (c->due_at, "%x %H:%M");
      g_autofree char *title = NULL;
      g_autoptr(GString) subtitle = g_string_new (NULL);

      /* Translators: a low-score contact: agent · channel · when */
      title = g_strdup_printf (_("%s · %s · %s"), c->agent_name ? c->agent_name : "",
                               assay_ui_channel_label (c->channel), when);
      if (c->csat >= 0)
        g_string_append_printf (subtitle, _("CSAT %d"), c->csat);
      if (c->nps >= 0)
        g_string_append_printf (subtitle, subtitle->len ? _(" · NPS %d") : _("NPS %d"), c->nps);
      g_string_append_printf (subtitle, c->overdue ? _(" · overdue since %s") : _(" · due %s"),
                              due);
      if (c->owner_name != NULL)
        g_string_append_printf (subtitle, _(" · owner %s"), c->owner_name);
      if (c->note != NULL && *c->note != '\0')
        g_string_append_printf (subtitle, " · %s", c->note);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      if (c->overdue)
        {
          GtkWidget *mark = gtk_label_new (_("Overdue"));

          gtk_widget_add_css_class (mark, "kpi-breach");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), mark);
          overdue++;
        }
      for (guint s = 0; states[s] != NULL; s++)
        gtk_string_list_append (names, state_title (states[s]));
      dropdown = gtk_drop_down_new (G_LIST_MODEL (names), NULL);
      gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Follow-up state"), -1);
      for (guint s = 0; states[s] != NULL; s++)
        if (g_strcmp0 (states[s], c->state ? c->state : "to_call") == 0)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), s);
      g_object_set_data (G_OBJECT (dropdown), "row", GUINT_TO_POINTER (i));
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (state_selected_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
      g_ptr_array_add (self->dropdowns, dropdown);
      follow = gtk_button_new_from_icon_name ("document-edit-symbolic");
      gtk_widget_add_css_class (follow, "flat");
      gtk_widget_set_valign (follow, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (follow, _("Follow Up: owner, note and root causes"));
      g_object_set_data (G_OBJECT (follow), "row", GUINT_TO_POINTER (i));
      g_signal_connect (follow, "clicked", G_CALLBACK (follow_up_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), follow);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), follow);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  self->filling = FALSE;
  note = g_strdup_printf (ngettext ("%u contact with a low score, %u overdue.",
                                    "%u contacts with a low score, %u overdue.", rows->len),
                          rows->len, overdue);
  gtk_box_append (GTK_BOX (self->content),
                  assay_insights_section (_("Low-score callbacks"), list, note));
  self->state = "ready";
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "ready");
}

static void
load (AssayCallbacksPage *self)
{
  GSettings *settings = assay_context_get_settings (self->context);
  AssayKpiCallbackQuery q;

  assay_kpi_callback_query_init (&q, assay_period_picker_get_from_day (self->period),
                                 assay_period_picker_get_to_day (self->period));
  q.csat_max = g_settings_get_uint (settings, "callback-csat-max");
  q.nps_max = g_settings_get_uint (settings, "callback-nps-max");
  q.due_hours = g_settings_get_uint (settings, "callback-due-hours");
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->state = "loading";
  assay_store_kpi_callbacks_async (assay_context_get_store (self->context), &q,
                                   self->cancellable, listed_cb, self);
}

static void
reload_cb (AssayCallbacksPage *self)
{
  load (self);
}

static void
previous_clicked_cb (AssayCallbacksPage *self)
{
  assay_period_picker_shift (self->period, -1);
}

/* ---- GObject ---- */

static void
assay_callbacks_page_constructed (GObject *object)
{
  AssayCallbacksPage *self = ASSAY_CALLBACKS_PAGE (object);
  GSettings *settings = assay_context_get_settings (self->context);

  G_OBJECT_CLASS (assay_callbacks_page_parent_class)->constructed (object);
  g_signal_connect_object (assay_context_get_store (self->context),
                           "changed::" ASSAY_STORE_INTERACTIONS, G_CALLBACK (reload_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::callback-csat-max", G_CALLBACK (reload_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::callback-nps-max", G_CALLBACK (reload_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::callback-due-hours", G_CALLBACK (reload_cb), self,
                           G_CONNECT_SWAPPED);
  load (self);
}

static void
assay_callbacks_page_dispose (GObject *object)
{
  AssayCallbacksPage *self = ASSAY_CALLBACKS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->frame, gtk_widget_unparent);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->dropdowns, g_ptr_array_unref);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_callbacks_page_parent_class)->dispose (object);
}

static void
assay_callbacks_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AssayCallbacksPage *self = ASSAY_CALLBACKS_PAGE (object);

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
assay_callbacks_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AssayCallbacksPage *self = ASSAY_CALLBACKS_PAGE (object);

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
assay_callbacks_page_class_init (AssayCallbacksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_callbacks_page_constructed;
  object_class->dispose = assay_callbacks_page_dispose;
  object_class->get_property = assay_callbacks_page_get_property;
  object_class->set_property = assay_callbacks_page_set_property;
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_callbacks_page_init (AssayCallbacksPage *self)
{
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Previous Period"));

  self->dropdowns = g_ptr_array_new ();
  self->period = ASSAY_PERIOD_PICKER (assay_period_picker_new ());
  g_signal_connect_swapped (self->period, "changed", G_CALLBACK (reload_cb), self);
  self->frame = assay_insights_page_frame (GTK_WIDGET (self), _("Callbacks"), NULL,
                                           GTK_WIDGET (self->period), &self->stack,
                                           &self->content, &self->toasts);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "call-start-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Low Scores in This Period"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("No customer answered with a low CSAT or NPS in this "
                                     "period. The limits are in Preferences."));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (previous_clicked_cb), self);
  adw_status_page_set_child (ADW_STATUS_PAGE (status), button);
  gtk_stack_add_named (GTK_STACK (self->stack), status, "empty");
  self->state = "loading";
}

const char *
_assay_callbacks_page_get_state (AssayCallbacksPage *self)
{
  return self->state;
}

guint
_assay_callbacks_page_get_n_rows (AssayCallbacksPage *self)
{
  return self->rows ? self->rows->len : 0;
}

void
_assay_callbacks_page_set_period (AssayCallbacksPage *self,
                                  int                 from_day,
                                  int                 to_day)
{
  assay_period_picker_set_period (self->period, ASSAY_PERIOD_MONTH, from_day, to_day);
}
