/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <glib/gi18n.h>

#include "assay-disputes-page-private.h"
#include "assay-ui-util.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"
#include "report/assay-packet.h"

G_DEFINE_FINAL_TYPE (AssayDisputesPage, assay_disputes_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* the filter's positions and the store's names for them */
static const char *const filter_states[] = { NULL, "open", "overdue", "decided", "closed" };

static void load (AssayDisputesPage *self);
static void load_detail (AssayDisputesPage *self);

void
_assay_disputes_page_toast (AssayDisputesPage *self,
                            const char        *text)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  /* Translators: a date and time in a dispute, see g_date_time_format() */
  return local != NULL ? g_date_time_format (local, _("%x %H:%M")) : g_strdup ("");
}

static char *
format_score (double score)
{
  /* Translators: a score in percent */
  return isnan (score) ? g_strdup ("–") : g_strdup_printf (_("%.1f %%"), score);
}

/* "Step 1 of 2 · Team lead · due 12/09/26 10:00", with the overdue warning */
static char *
progress_text (const AssayDisputeRecord *r,
               gboolean                  overdue)
{
  g_autofree char *due = NULL;

  if (g_strcmp0 (r->state, "open") != 0)
    {
      g_autofree char *closed = format_time (r->closed_at);

      if (g_strcmp0 (r->state, "withdrawn") != 0 && r->acknowledged_at == 0)
        return g_strdup_printf (_("%s on %s · awaiting the agent's acknowledgement"),
                                assay_packet_state_label (r->state), closed);
      return g_strdup_printf (_("%s on %s"), assay_packet_state_label (r->state), closed);
    }
  due = format_time (r->due_at);
  if (overdue)
    return g_strdup_printf (_("Step %d of %d · %s · overdue since %s"), r->current_step,
                            r->n_steps, assay_packet_role_label (r->current_role), due);
  return g_strdup_printf (_("Step %d of %d · %s · due %s"), r->current_step, r->n_steps,
                          assay_packet_role_label (r->current_role), due);
}

static GtkWidget *
dispute_row (const AssayDisputeRecord *r,
             gint64                    now)
{
  GtkWidget *row = adw_action_row_new ();
  gboolean overdue = assay_dispute_record_is_overdue (r, now);
  g_autofree char *title = NULL;
  g_autofree char *progress = progress_text (r, overdue);
  g_autofree char *score = format_score (r->score);
  GtkWidget *label;

  title = g_strdup_printf (_("%s · %s, version %d"), r->agent_name ? r->agent_name : "–",
                           r->form_name, r->form_version);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), progress);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (overdue)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, _("This step is past its deadline"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_add_css_class (row, "warning");
    }
  label = gtk_label_new (score);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  label = gtk_label_new (assay_packet_state_label (r->state));
  gtk_widget_add_css_class (label, g_strcmp0 (r->state, "open") == 0 ? "accent" : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "dispute-id", g_strdup (r->id), g_free);
  return row;
}

/* an agent lists only their own disputes (ROLES.md) */
static const char *
agent_filter (AssayDisputesPage *self)
{
  AssayRoles roles = assay_context_get_roles (self->context);
  const AssayStaffRecord *me = assay_context_get_me (self->context);

  if (roles != ASSAY_ROLE_AGENT || me == NULL)
    return NULL;
  return me->id;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AssayDisputesPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) disputes = NULL;
  GtkWidget *child;
  gint64 now = assay_now_ms ();

  disputes = assay_store_list_disputes_finish (ASSAY_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->loading = FALSE;
  if (disputes == NULL)
    {
      _assay_disputes_page_toast (self, error->message);
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->loaded = TRUE;
  self->n_disputes = disputes->len;
  self->n_overdue = 0;
  for (guint i = 0; i < disputes->len; i++)
    {
      const AssayDisputeRecord *r = g_ptr_array_index (disputes, i);

      self->n_overdue += assay_dispute_record_is_overdue (r, now);
      gtk_list_box_append (self->list, dispute_row (r, now));
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "detail") != 0)
    gtk_stack_set_visible_child_name (self->stack, disputes->len > 0 ? "list" : "empty");
  if (self->reload)
    {
      self->reload = FALSE;
      load (self);
    }
}

static void
load (AssayDisputesPage *self)
{
  AssayDisputeFilter filter = { 0 };
  guint pos = gtk_drop_down_get_selected (self->filter);

  if (self->loading)
    {
      self->reload = TRUE;
      return;
    }
  self->loading = TRUE;
  filter.state = pos < G_N_ELEMENTS (filter_states) ? filter_states[pos] : NULL;
  filter.agent_id = agent_filter (self);
  filter.limit = 500;
  assay_store_list_disputes_async (assay_context_get_store (self->context), &filter,
                                   self->cancellable, listed_cb, self);
}

/* ---- reading an evaluation's packet data off the main thread ---- */

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  AssayDisputePacketData *data = assay_store_get_dispute_packet_data_sync (source, task_data,
                                                                           &error);

  if (data != NULL)
    g_task_return_pointer (task, data, (GDestroyNotify) assay_dispute_packet_data_free);
  else
    g_task_return_error (task, error);
}

void
_assay_disputes_page_read_async (AssayDisputesPage   *self,
                                 const char          *evaluation_id,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (assay_context_get_store (self->context), self->cancellable,
                                      callback, user_data);

  g_task_set_source_tag (task, _assay_disputes_page_read_async);
  g_task_set_task_data (task, g_strdup (evaluation_id), g_free);
  g_task_run_in_thread (task, read_thread);
}

AssayDisputePacketData *
_assay_disputes_page_read_finish (AssayDisputesPage  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the detail ---- */

static GtkWidget *
group_new (GtkBox     *box,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (box, group);
  return group;
}

static GtkWidget *
row_new (GtkWidget  *group,
         const char *title,
         const char *subtitle,
         const char *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (suffix != NULL)
    {
      GtkWidget *label = gtk_label_new (suffix);

      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static gboolean
item_disputed (const AssayDisputeRecord *r,
               const char               *item_id)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", item_id);

  return r->items == NULL || strstr (r->items, "\"") == NULL || strstr (r->items, quoted) != NULL;
}

static void
add_items (AssayDisputesPage *self,
           GtkBox            *box)
{
  const AssayRevisionRecord *current;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group;

  if (self->data->revisions->len == 0)
    return;
  current = g_ptr_array_index (self->data->revisions, self->data->revisions->len - 1);
  form = assay_form_from_json (self->data->form_definition, -1, &error);
  if (form != NULL)
    answers = assay_answers_from_json (form, current->answers, -1, &error);
  if (answers == NULL)
    {
      _assay_disputes_page_toast (self, error->message);
      return;
    }
  group = group_new (box, _("Items"), _("Disputed items are marked; points earned of possible"));
  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      const AssayAnswer *a = assay_answers_get (answers, i);
      g_autofree char *answer = assay_packet_answer_text (item, a);
      g_autofree char *points = NULL;
      g_autofree char *subtitle = NULL;
      double r, m;

      if (!assay_item_kind_is_scored (item->kind))
        continue;
      if (a->state == ASSAY_ANSWER_VALUE && assay_answer_raw (item, a, &r, &m))
        points = g_strdup_printf (_("%g of %g"), r * item->weight, m * item->weight);
      subtitle = item_disputed (self->dispute, item->id) && self->dispute->items != NULL
                 && strstr (self->dispute->items, "\"") != NULL
                 ? g_strdup_printf (_("%s · disputed"), answer) : g_strdup (answer);
      row_new (group, item->text, subtitle, points);
    }
}

static void
add_steps (AssayDisputesPage *self,
           GtkBox            *box)
{
  const AssayDisputeRecord *r = self->dispute;
  GtkWidget *group = group_new (box, _("Steps"), NULL);
  gint64 now = assay_now_ms ();

  for (guint i = 0; r->steps != NULL && i < r->steps->len; i++)
    {
      const AssayDisputeStep *s = g_ptr_array_index (r->steps, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      title = s->assignee_name != NULL
              ? g_strdup_printf (_("%d · %s (%s)"), s->position, assay_packet_role_label (s->role),
                                 s->assignee_name)
              : g_strdup_printf (_("%d · %s"), s->position, assay_packet_role_label (s->role));
      if (s->decision != NULL)
        {
          g_autofree char *when = format_time (s->decided_at);

          subtitle = g_strdup_printf (_("%s by %s on %s · %s%s%s"),
                                      assay_packet_decision_label (s->decision),
                                      s->decided_by_name ? s->decided_by_name : "–", when,
                                      assay_packet_reason_label (s->reason),
                                      s->comment && *s->comment ? " · " : "",
                                      s->comment ? s->comment : "");
        }
      else if (g_strcmp0 (r->state, "open") == 0 && s->position == r->current_step)
        {
          g_autofree char *due = format_time (s->due_at);

          subtitle = s->due_at > 0 && now > s->due_at
                     ? g_strdup_printf (_("Under review · overdue since %s"), due)
                     : g_strdup_printf (_("Under review · due %s"), due);
        }
      else
        subtitle = g_strdup (g_strcmp0 (r->state, "open") == 0 ? _("Waiting for the step before")
                                                              : _("Not reached"));
      row = row_new (group, title, subtitle, NULL);
      if (s->decision == NULL && s->due_at > 0 && now > s->due_at
          && g_strcmp0 (r->state, "open") == 0)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_widget_add_css_class (icon, "warning");
          gtk_widget_set_tooltip_text (icon, _("This step is past its deadline"));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        }
    }
}

static GtkWidget *
action_button (const char *mnemonic,
               const char *action,
               gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

void
_assay_disputes_page_show_detail (AssayDisputesPage *self)
{
  const AssayDisputeRecord *r = self->dispute;
  GtkBox *box = self->detail;
  GtkWidget *child, *label, *buttons, *group;
  g_autofree char *title = NULL;
  g_autofree char *about = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *score = NULL;
  gboolean open = g_strcmp0 (r->state, "open") == 0;
  gboolean agent = assay_context_has_role (self->context, ASSAY_ROLE_AGENT);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);

  title = g_strdup_printf (_("%s · %s, version %d"), r->agent_name ? r->agent_name : "–",
                           r->form_name, r->form_version);
  label = gtk_label_new (title);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "title-2");
  gtk_box_append (box, label);

  progress = progress_text (r, assay_dispute_record_is_overdue (r, assay_now_ms ()));
  label = gtk_label_new (progress);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, assay_dispute_record_is_overdue (r, assay_now_ms ())
                                   ? "warning" : "dim-label");
  gtk_box_append (box, label);

  about = g_strdup_printf (r->on_behalf ? _("Raised by %s on the agent's behalf: %s")
                                        : _("Raised by %s: %s"),
                           r->raised_by_name ? r->raised_by_name : "–", r->reason);
  label = gtk_label_new (about);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (box, label);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  if (open && _assay_disputes_page_may_decide (self))
    gtk_box_append (GTK_BOX (buttons), action_button (_("_Decide…"), "disputes.decide", TRUE));
  if (!open && g_strcmp0 (r->state, "withdrawn") != 0 && r->acknowledged_at == 0 && agent)
    gtk_box_append (GTK_BOX (buttons),
                    action_button (_("_Acknowledge…"), "disputes.acknowledge", TRUE));
  if (open && (agent || assay_context_has_role (self->context, ASSAY_ROLE_LEAD)))
    gtk_box_append (GTK_BOX (buttons), action_button (_("_Withdraw"), "disputes.withdraw", FALSE));
  gtk_box_append (GTK_BOX (buttons), action_button (_("_Export Packet…"), "disputes.export", FALSE));
  gtk_box_append (box, buttons);

  score = format_score (r->score);
  group = group_new (box, _("Evaluation"), NULL);
  {
    g_autofree char *rev = g_strdup_printf (_("Revision %u"), self->data->revisions->len);

    row_new (group, _("Current score"), rev, score);
  }
  for (guint i = 0; i < self->data->revisions->len; i++)
    {
      const AssayRevisionRecord *rv = g_ptr_array_index (self->data->revisions, i);
      g_autofree char *t = g_strdup_printf (_("Revision %d"), rv->number);
      g_autofree char *when = format_time (rv->created_at);
      g_autofree char *s = format_score (rv->score);
      g_autofree char *sub = g_strdup_printf ("%s · %s%s%s", when,
                                              rv->author_name ? rv->author_name : "–",
                                              rv->reason && *rv->reason ? " · " : "",
                                              rv->reason ? rv->reason : "");

      row_new (group, t, sub, s);
    }
  if (r->acknowledged_at > 0)
    {
      g_autofree char *when = format_time (r->acknowledged_at);

      row_new (group, _("Acknowledged by the agent"), when, NULL);
    }
  add_steps (self, box);
  add_items (self, box);
}

static void
detail_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AssayDisputesPage *self;
  g_autoptr(GError) error = NULL;
  AssayDisputePacketData *data;

  data = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  self->detail_loading = FALSE;
  if (data == NULL)
    {
      _assay_disputes_page_toast (self, error->message);
      return;
    }
  g_clear_pointer (&self->data, assay_dispute_packet_data_free);
  self->data = data;
  self->dispute = NULL;
  for (guint i = 0; i < data->disputes->len; i++)
    if (g_strcmp0 (((AssayDisputeRecord *) g_ptr_array_index (data->disputes, i))->id,
                   self->dispute_id) == 0)
      self->dispute = g_ptr_array_index (data->disputes, i);
  if (self->dispute == NULL)
    {
      _assay_disputes_page_toast (self, _("The dispute no longer exists"));
      return;
    }
  _assay_disputes_page_show_detail (self);
  gtk_stack_set_visible_child_name (self->stack, "detail");
  gtk_widget_set_visible (self->back, TRUE);
}

static void
dispute_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AssayDisputesPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayDisputeRecord) r = assay_store_get_dispute_finish (ASSAY_STORE (source), result,
                                                                    &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (r == NULL)
    {
      self->detail_loading = FALSE;
      _assay_disputes_page_toast (self, error->message);
      return;
    }
  _assay_disputes_page_read_async (self, r->evaluation_id, detail_read_cb, self);
}

static void
load_detail (AssayDisputesPage *self)
{
  if (self->dispute_id == NULL)
    return;
  self->detail_loading = TRUE;
  assay_store_get_dispute_async (assay_context_get_store (self->context), self->dispute_id,
                                 self->cancellable, dispute_found_cb, self);
}

void
assay_disputes_page_open_dispute (AssayDisputesPage *self,
                                  const char        *dispute_id)
{
  g_return_if_fail (ASSAY_IS_DISPUTES_PAGE (self));
  assay_set_str (&self->dispute_id, dispute_id);
  load_detail (self);
}

static void
row_activated_cb (GtkListBox        *list,
                  GtkListBoxRow     *row,
                  AssayDisputesPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "dispute-id");

  if (id != NULL)
    assay_disputes_page_open_dispute (self, id);
}

static void
store_changed_cb (AssayStore         *store,
                  const char         *collection,
                  const char * const *ids,
                  AssayDisputesPage  *self)
{
  load (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "detail") == 0)
    load_detail (self);
}

static void
filter_changed_cb (GObject           *drop,
                   GParamSpec        *pspec,
                   AssayDisputesPage *self)
{
  load (self);
}

/* ---- actions ---- */

static void
back_cb (GtkWidget  *widget,
         const char *action,
         GVariant   *param)
{
  AssayDisputesPage *self = ASSAY_DISPUTES_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "detail") != 0)
    return;
  g_clear_pointer (&self->dispute_id, g_free);
  gtk_widget_set_visible (self->back, FALSE);
  gtk_stack_set_visible_child_name (self->stack, self->n_disputes > 0 ? "list" : "empty");
}

static void
raise_cb (GtkWidget  *widget,
          const char *action,
          GVariant   *param)
{
  _assay_disputes_page_raise_dialog (ASSAY_DISPUTES_PAGE (widget));
}

static void
decide_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *param)
{
  _assay_disputes_page_decide_dialog (ASSAY_DISPUTES_PAGE (widget));
}

static void
acknowledge_cb (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  _assay_disputes_page_ack_dialog (ASSAY_DISPUTES_PAGE (widget));
}

static void
withdrawn_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!assay_store_withdraw_dispute_finish (ASSAY_STORE (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _assay_disputes_page_toast (user_data, error->message);
}

static void
withdraw_cb (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  AssayDisputesPage *self = ASSAY_DISPUTES_PAGE (widget);
  const AssayStaffRecord *me = assay_context_get_me (self->context);

  if (self->dispute == NULL || me == NULL)
    return;
  assay_store_withdraw_dispute_async (assay_context_get_store (self->context), self->dispute->id,
                                      me->id, self->cancellable, withdrawn_cb, self);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (assay_packet_write_pdf_finish (ASSAY_STORE (source), result, &error))
    _assay_disputes_page_toast (user_data, _("Dispute packet saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _assay_disputes_page_toast (user_data, error->message);
}

static void
export_response_cb (GtkNativeDialog   *chooser,
                    int                response,
                    AssayDisputesPage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->data != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        assay_packet_write_pdf_async (assay_context_get_store (self->context),
                                      self->data->evaluation_id, path, self->cancellable,
                                      exported_cb, self);
      else
        _assay_disputes_page_toast (self, _("Choose a file on this computer for the packet"));
    }
  g_object_unref (chooser);
}

static void
export_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *param)
{
  AssayDisputesPage *self = ASSAY_DISPUTES_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->data == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Dispute Packet"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* Translators: the packet's file name; keep .pdf */
  name = g_strdup_printf (_("dispute-packet-%s.pdf"), self->data->agent_name ? self->data->agent_name
                                                                             : "agent");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- for tests ---- */

const char *
_assay_disputes_page_get_state (AssayDisputesPage *self)
{
  if (self->loading || self->reload || !self->loaded || self->detail_loading)
    return "loading";
  return gtk_stack_get_visible_child_name (self->stack);
}

guint
_assay_disputes_page_get_n_disputes (AssayDisputesPage *self)
{
  return self->n_disputes;
}

guint
_assay_disputes_page_get_n_overdue (AssayDisputesPage *self)
{
  return self->n_overdue;
}

const char *
_assay_disputes_page_get_dispute_state (AssayDisputesPage *self)
{
  return self->dispute != NULL ? self->dispute->state : NULL;
}

int
_assay_disputes_page_get_current_step (AssayDisputesPage *self)
{
  return self->dispute != NULL ? self->dispute->current_step : -1;
}

guint
_assay_disputes_page_get_n_revisions (AssayDisputesPage *self)
{
  return self->data != NULL ? self->data->revisions->len : 0;
}

gboolean
_assay_disputes_page_get_acknowledged (AssayDisputesPage *self)
{
  return self->dispute != NULL && self->dispute->acknowledged_at > 0;
}

void
_assay_disputes_page_set_filter (AssayDisputesPage *self,
                                 guint              filter)
{
  gtk_drop_down_set_selected (self->filter, filter);
}

/* ---- the page ---- */

static void
assay_disputes_page_constructed (GObject *object)
{
  AssayDisputesPage *self = ASSAY_DISPUTES_PAGE (object);
  AssayStore *store = assay_context_get_store (self->context);

  G_OBJECT_CLASS (assay_disputes_page_parent_class)->constructed (object);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_DISPUTES, G_CALLBACK (store_changed_cb),
                           self, 0);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_ACKNOWLEDGEMENTS,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_EVALUATIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (self->filter, "notify::selected", G_CALLBACK (filter_changed_cb),
                           self, 0);
  gtk_widget_set_visible (self->raise_button,
                          assay_context_has_role (self->context, ASSAY_ROLE_AGENT)
                          || assay_context_has_role (self->context, ASSAY_ROLE_LEAD));
  load (self);
}

static void
assay_disputes_page_dispose (GObject *object)
{
  AssayDisputesPage *self = ASSAY_DISPUTES_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  _assay_disputes_page_set_item_box (self, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->dispute_id, g_free);
  g_clear_pointer (&self->data, assay_dispute_packet_data_free);
  g_clear_pointer (&self->dialog_data, assay_dispute_packet_data_free);
  g_clear_pointer (&self->evaluations, g_ptr_array_unref);
  self->dispute = NULL;
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_disputes_page_parent_class)->dispose (object);
}

static void
assay_disputes_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AssayDisputesPage *self = ASSAY_DISPUTES_PAGE (object);

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
assay_disputes_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AssayDisputesPage *self = ASSAY_DISPUTES_PAGE (object);

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
assay_disputes_page_class_init (AssayDisputesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_disputes_page_constructed;
  object_class->dispose = assay_disputes_page_dispose;
  object_class->get_property = assay_disputes_page_get_property;
  object_class->set_property = assay_disputes_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "disputes.raise", NULL, raise_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "disputes.raise",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "disputes.back", NULL, back_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "disputes.back",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "disputes.decide", NULL, decide_cb);
  gtk_widget_class_install_action (widget_class, "disputes.acknowledge", NULL, acknowledge_cb);
  gtk_widget_class_install_action (widget_class, "disputes.withdraw", NULL, withdraw_cb);
  gtk_widget_class_install_action (widget_class, "disputes.export", NULL, export_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_disputes_page_init (AssayDisputesPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *raise = gtk_button_new_with_mnemonic (_("_Raise a Dispute"));
  GtkWidget *scrolled;
  GtkWidget *detail_scrolled = gtk_scrolled_window_new ();
  GtkWidget *detail_clamp = adw_clamp_new ();
  const char *filters[] = { _("All"), _("Open"), _("Overdue"), _("Awaiting acknowledgement"),
                            _("Closed"), NULL };

  self->cancellable = g_cancellable_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Disputes"), NULL));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "disputes.raise");
  gtk_widget_set_tooltip_text (add, _("Raise Dispute (Ctrl+N)"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), add);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "disputes.back");
  gtk_widget_set_tooltip_text (back, _("Back to the Disputes (Alt+Left)"));
  gtk_widget_set_visible (back, FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  self->raise_button = add;
  self->back = back;
  self->filter = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (filters));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter), _("Which disputes to show"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show disputes"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->filter));

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-question-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Disputes Here"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("An agent who thinks a score is wrong can dispute the "
                                     "evaluation, or some of its items, within the dispute "
                                     "window. Each step decides; an upheld item changes the score "
                                     "through an amendment the history shows."));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (raise), "disputes.raise");
  gtk_widget_set_halign (raise, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (raise, "pill");
  gtk_widget_add_css_class (raise, "suggested-action");
  adw_status_page_set_child (ADW_STATUS_PAGE (status), raise);

  self->list = assay_ui_boxed_list_new (_("Disputes"), &scrolled);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);

  self->detail = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_set_margin_top (GTK_WIDGET (self->detail), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->detail), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self->detail), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->detail), 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (detail_clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (detail_clamp), GTK_WIDGET (self->detail));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (detail_scrolled), detail_clamp);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, status, "empty");
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_stack_add_named (self->stack, detail_scrolled, "detail");
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
}
