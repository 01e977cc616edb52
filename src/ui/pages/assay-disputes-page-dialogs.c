/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <glib/gi18n.h>

#include "assay-disputes-page-private.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"
#include "report/assay-packet.h"
#include "store/assay-store-acknowledgements.h"

/* The page's dialogs: Raise Dispute, Decide, Acknowledge, and what each does. */

static GtkWindow *
page_window (AssayDisputesPage *self)
{
  return GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
}

static AdwMessageDialog *
dialog_new (AssayDisputesPage *self,
            const char        *heading,
            const char        *body,
            const char        *response,
            const char        *label)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (page_window (self),
                                                                         heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

static GtkEntry *
entry_new (const char *placeholder,
           const char *label)
{
  GtkEntry *entry = GTK_ENTRY (gtk_entry_new ());

  gtk_entry_set_placeholder_text (entry, placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return entry;
}

/* the ids of the checked item boxes, NULL-terminated */
static GStrv
checked_items (GtkBox *box)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  for (GtkWidget *c = box != NULL ? gtk_widget_get_first_child (GTK_WIDGET (box)) : NULL; c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_CHECK_BUTTON (c) && gtk_check_button_get_active (GTK_CHECK_BUTTON (c)))
      g_strv_builder_add (ids, g_object_get_data (G_OBJECT (c), "item-id"));
  return g_strv_builder_end (ids);
}

static void
fill_items (GtkBox                   *box,
            AssayDisputePacketData   *data,
            const AssayDisputeRecord *dispute,
            gboolean                  lost_only,
            gboolean                  active)
{
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  const AssayRevisionRecord *current;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  if (data == NULL || data->revisions->len == 0)
    return;
  current = g_ptr_array_index (data->revisions, data->revisions->len - 1);
  form = assay_form_from_json (data->form_definition, -1, NULL);
  answers = form != NULL ? assay_answers_from_json (form, current->answers, -1, NULL) : NULL;
  if (answers == NULL)
    return;
  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      const AssayAnswer *a = assay_answers_get (answers, i);
      g_autofree char *answer = assay_packet_answer_text (item, a);
      g_autofree char *label = g_strdup_printf ("%s (%s)", item->text, answer);
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", item->id);
      GtkWidget *check;
      double r = 0, m = 0;

      if (!assay_item_kind_is_scored (item->kind))
        continue;
      if (lost_only && (a->state != ASSAY_ANSWER_VALUE || !assay_answer_raw (item, a, &r, &m)
                        || r >= m))
        continue;
      if (dispute != NULL && dispute->items != NULL && strstr (dispute->items, "\"") != NULL
          && strstr (dispute->items, quoted) == NULL)
        continue;
      check = gtk_check_button_new_with_label (label);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
      g_object_set_data_full (G_OBJECT (check), "item-id", g_strdup (item->id), g_free);
      gtk_box_append (box, check);
    }
}

/* the items arrive after the evaluation is read: the dialog may be gone by then, so the page
 * holds its item box weakly */
void
_assay_disputes_page_set_item_box (AssayDisputesPage *self,
                                   GtkWidget         *box)
{
  if (self->item_box != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->item_box), (gpointer *) &self->item_box);
  self->item_box = box != NULL ? GTK_BOX (box) : NULL;
  if (box != NULL)
    g_object_add_weak_pointer (G_OBJECT (box), (gpointer *) &self->item_box);
}

/* ---- raise ---- */

static void
raised_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AssayDisputesPage *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assay_store_raise_dispute_finish (ASSAY_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (id == NULL)
    {
      _assay_disputes_page_toast (self, error->message);
      return;
    }
  _assay_disputes_page_toast (self, _("Dispute raised"));
  assay_disputes_page_open_dispute (self, id);
}

void
_assay_disputes_page_raise (AssayDisputesPage  *self,
                            const char         *evaluation_id,
                            const char * const *items,
                            const char         *reason)
{
  const AssayStaffRecord *me = assay_context_get_me (self->context);
  g_autofree char *stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  AssayDisputeRaise raise = { 0 };

  if (me == NULL)
    {
      _assay_disputes_page_toast (self, _("The database is still opening; try again in a moment"));
      return;
    }
  if (*stripped == '\0')
    {
      _assay_disputes_page_toast (self, _("Say why the score is wrong: the reason is needed"));
      return;
    }
  raise.evaluation_id = evaluation_id;
  raise.raised_by = me->id;
  raise.on_behalf = !assay_context_has_role (self->context, ASSAY_ROLE_AGENT);
  raise.items = items;
  raise.reason = reason;
  raise.window_days = g_settings_get_uint (assay_context_get_settings (self->context),
                                           "dispute-window-days");
  assay_store_raise_dispute_async (assay_context_get_store (self->context), &raise,
                                   self->cancellable, raised_cb, self);
}

static void
raise_response_cb (AdwMessageDialog  *dialog,
                   const char        *response,
                   AssayDisputesPage *self)
{
  guint pos = gtk_drop_down_get_selected (self->eval_drop);
  g_auto(GStrv) items = NULL;

  if (g_strcmp0 (response, "raise") != 0)
    return;
  if (self->evaluations == NULL || pos >= self->evaluations->len)
    {
      _assay_disputes_page_toast (self, _("Pick the evaluation to dispute"));
      return;
    }
  items = checked_items (self->item_box);
  _assay_disputes_page_raise (self,
                              ((AssayEvaluationRecord *) g_ptr_array_index (self->evaluations, pos))->id,
                              (const char * const *) items,
                              gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)));
}

static void
raise_items_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  AssayDisputesPage *self;
  g_autoptr(GError) error = NULL;
  AssayDisputePacketData *data = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  g_clear_pointer (&self->dialog_data, assay_dispute_packet_data_free);
  self->dialog_data = data;
  if (data == NULL)
    {
      _assay_disputes_page_toast (self, error->message);
      return;
    }
  if (self->item_box != NULL)
    fill_items (self->item_box, data, NULL, FALSE, FALSE);
}

static void
eval_selected_cb (GtkDropDown       *drop,
                  GParamSpec        *pspec,
                  AssayDisputesPage *self)
{
  guint pos = gtk_drop_down_get_selected (drop);

  if (self->evaluations == NULL || pos >= self->evaluations->len)
    return;
  _assay_disputes_page_read_async (self,
                                   ((AssayEvaluationRecord *) g_ptr_array_index (self->evaluations, pos))->id,
                                   raise_items_read_cb, self);
}

static void
evaluations_listed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  AssayDisputesPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = assay_store_list_evaluations_finish (ASSAY_STORE (source), result,
                                                                  &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  AdwMessageDialog *dialog;
  GtkWidget *box, *scrolled;
  gint64 since;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (all == NULL)
    {
      _assay_disputes_page_toast (self, error->message);
      return;
    }
  since = assay_now_ms () - g_settings_get_uint (assay_context_get_settings (self->context),
                                                 "dispute-window-days") * ASSAY_DISPUTE_DAY_MS;
  g_clear_pointer (&self->evaluations, g_ptr_array_unref);
  self->evaluations = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_evaluation_record_free);
  for (guint i = 0; i < all->len; i++)
    {
      AssayEvaluationRecord *r = g_ptr_array_index (all, i);
      g_autofree char *name = NULL;

      if (r->updated_at < since)
        continue;
      name = g_strdup_printf (_("%s · %s · %.1f %%"), r->agent_name ? r->agent_name : "–",
                              r->form_name ? r->form_name : "", isnan (r->score) ? 0 : r->score);
      gtk_string_list_append (names, name);
      g_ptr_array_add (self->evaluations, g_steal_pointer (&all->pdata[i]));
    }
  if (self->evaluations->len == 0)
    {
      _assay_disputes_page_toast (self, _("No submitted evaluation is within the dispute window"));
      return;
    }

  dialog = dialog_new (self, _("Raise Dispute"),
                       _("Dispute an evaluation, or only some of its items, and say why. The "
                         "configured steps review it in turn."),
                       "raise", _("_Raise Dispute"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->eval_drop = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)),
                                                      NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->eval_drop), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Evaluation"), -1);
  g_signal_connect_object (self->eval_drop, "notify::selected", G_CALLBACK (eval_selected_cb),
                           self, 0);
  _assay_disputes_page_set_item_box (self, gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->item_box));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  self->reason_entry = entry_new (_("Why the score is wrong"), _("Reason"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->eval_drop));
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("Items (none checked: the whole evaluation)")));
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->reason_entry));
  adw_message_dialog_set_extra_child (dialog, box);
  g_signal_connect_object (dialog, "response", G_CALLBACK (raise_response_cb), self, 0);
  eval_selected_cb (self->eval_drop, NULL, self);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_assay_disputes_page_raise_dialog (AssayDisputesPage *self)
{
  assay_store_list_evaluations_async (assay_context_get_store (self->context), NULL, "submitted",
                                      500, self->cancellable, evaluations_listed_cb, self);
}

/* ---- decide ---- */

static const char *const decisions[] = { "upheld", "partly_upheld", "rejected" };

gboolean
_assay_disputes_page_may_decide (AssayDisputesPage *self)
{
  const AssayDisputeRecord *r = self->dispute;

  if (r == NULL || g_strcmp0 (r->state, "open") != 0)
    return FALSE;
  if (g_strcmp0 (r->current_role, "lead") == 0)
    return assay_context_has_role (self->context, ASSAY_ROLE_LEAD);
  return assay_context_has_role (self->context, ASSAY_ROLE_MANAGER);
}

/* the evaluation's answers with @items set to their best answer */
static char *
corrected_answers (AssayDisputesPage  *self,
                   const char * const *items,
                   GError            **error)
{
  const AssayRevisionRecord *current = g_ptr_array_index (self->data->revisions,
                                                          self->data->revisions->len - 1);
  g_autoptr(AssayForm) form = assay_form_from_json (self->data->form_definition, -1, error);
  g_autoptr(AssayAnswers) answers = NULL;

  if (form == NULL)
    return NULL;
  answers = assay_answers_from_json (form, current->answers, -1, error);
  if (answers == NULL)
    return NULL;
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      int index = assay_form_lookup_item (form, items[i]);
      const AssayItem *item = index >= 0 ? assay_form_get_item (form, index) : NULL;
      gboolean ok = TRUE;

      if (item == NULL)
        continue;
      switch (item->kind)
        {
        case ASSAY_ITEM_YES_NO:
        case ASSAY_ITEM_YES_NO_NA:
          ok = assay_answers_set_choice (answers, index, 0, error);
          break;
        case ASSAY_ITEM_SCALE:
        case ASSAY_ITEM_POINTS:
          ok = assay_answers_set_value (answers, index, item->max, error);
          break;
        case ASSAY_ITEM_SINGLE_CHOICE:
          {
            int best = 0;

            for (guint o = 1; o < item->options->len; o++)
              if (((AssayOption *) g_ptr_array_index (item->options, o))->points
                  > ((AssayOption *) g_ptr_array_index (item->options, best))->points)
                best = o;
            ok = assay_answers_set_choice (answers, index, best, error);
          }
          break;
        case ASSAY_ITEM_MULTIPLE_CHOICE:
          {
            guint64 bits = 0;

            for (guint o = 0; o < item->options->len; o++)
              if (((AssayOption *) g_ptr_array_index (item->options, o))->points > 0)
                bits |= G_GUINT64_CONSTANT (1) << o;
            ok = assay_answers_set_choices (answers, index, bits, error);
          }
          break;
        case ASSAY_ITEM_NUMBER:
        case ASSAY_ITEM_TEXT:
        case ASSAY_ITEM_DATE:
        default:
          break;
        }
      if (!ok)
        return NULL;
    }
  return assay_answers_to_json (answers);
}

static void
decided_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AssayDisputesPage *self;
  g_autoptr(GError) error = NULL;
  int number = assay_store_decide_dispute_finish (ASSAY_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (number < 0)
    _assay_disputes_page_toast (self, error->message);
  else if (number > 0)
    {
      g_autofree char *text = g_strdup_printf (_("Decided: the evaluation is amended as revision %d"),
                                               number);

      _assay_disputes_page_toast (self, text);
    }
  else
    _assay_disputes_page_toast (self, _("Decision recorded"));
}

void
_assay_disputes_page_decide (AssayDisputesPage  *self,
                             const char         *decision,
                             const char         *reason,
                             const char         *comment,
                             const char * const *upheld_items)
{
  const AssayStaffRecord *me = assay_context_get_me (self->context);
  const AssayDisputeRecord *r = self->dispute;
  AssayDisputeDecision d = { 0 };
  g_autofree char *answers = NULL;
  g_autoptr(GError) error = NULL;

  if (me == NULL || r == NULL || self->data == NULL)
    return;
  if (r->current_step == r->n_steps && g_strcmp0 (decision, "rejected") != 0)
    {
      if (upheld_items == NULL || upheld_items[0] == NULL)
        {
          _assay_disputes_page_toast (self, _("Check the items the decision corrects, or reject "
                                              "the dispute"));
          return;
        }
      answers = corrected_answers (self, upheld_items, &error);
      if (answers == NULL)
        {
          _assay_disputes_page_toast (self, error->message);
          return;
        }
    }
  d.dispute_id = r->id;
  d.position = r->current_step;
  d.decided_by = me->id;
  d.decision = decision;
  d.reason = reason;
  d.comment = comment;
  d.answers = answers;
  assay_store_decide_dispute_async (assay_context_get_store (self->context), &d, self->cancellable,
                                    decided_cb, self);
}

static void
decide_response_cb (AdwMessageDialog  *dialog,
                    const char        *response,
                    AssayDisputesPage *self)
{
  guint decision = gtk_drop_down_get_selected (self->decision_drop);
  guint reason = gtk_drop_down_get_selected (self->reason_drop);
  const char * const *codes = assay_dispute_reasons ();
  g_auto(GStrv) items = NULL;

  if (g_strcmp0 (response, "decide") != 0 || decision >= G_N_ELEMENTS (decisions)
      || reason >= g_strv_length ((char **) codes))
    return;
  items = checked_items (self->item_box);
  _assay_disputes_page_decide (self, decisions[decision], codes[reason],
                               gtk_editable_get_text (GTK_EDITABLE (self->comment_entry)),
                               (const char * const *) items);
}

void
_assay_disputes_page_decide_dialog (AssayDisputesPage *self)
{
  const AssayDisputeRecord *r = self->dispute;
  g_autoptr(GtkStringList) decision_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) reason_names = gtk_string_list_new (NULL);
  const char * const *codes = assay_dispute_reasons ();
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *box;
  gboolean last;

  if (!_assay_disputes_page_may_decide (self) || self->data == NULL)
    {
      _assay_disputes_page_toast (self, _("This step is not yours to decide"));
      return;
    }
  last = r->current_step == r->n_steps;
  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    gtk_string_list_append (decision_names, assay_packet_decision_label (decisions[i]));
  for (guint i = 0; codes[i] != NULL; i++)
    gtk_string_list_append (reason_names, assay_packet_reason_label (codes[i]));
  body = last ? g_strdup (_("This is the last step: its decision is the outcome. The checked items "
                            "get their best answer in an amendment; rejecting changes nothing."))
              : g_strdup_printf (_("Step %d of %d: the next step sees your decision as a "
                                   "recommendation."), r->current_step, r->n_steps);
  dialog = dialog_new (self, _("Decide the Dispute"), body, "decide", _("_Decide"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->decision_drop = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&decision_names)),
                                                          NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->decision_drop),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Decision"), -1);
  self->reason_drop = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&reason_names)),
                                                        NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reason_drop),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  self->comment_entry = entry_new (_("Comment for the agent and the next step"), _("Comment"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->decision_drop));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->reason_drop));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->comment_entry));
  _assay_disputes_page_set_item_box (self, gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  if (last)
    {
      fill_items (self->item_box, self->data, r, TRUE, TRUE);
      gtk_box_append (GTK_BOX (box), gtk_label_new (_("Items to correct")));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->item_box));
    }
  adw_message_dialog_set_extra_child (dialog, box);
  g_signal_connect_object (dialog, "response", G_CALLBACK (decide_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- acknowledge ---- */

static void
acknowledged_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assay_store_acknowledge_finish (ASSAY_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  _assay_disputes_page_toast (user_data, id != NULL ? _("Acknowledged") : error->message);
}

void
_assay_disputes_page_acknowledge (AssayDisputesPage *self,
                                  const char        *comment)
{
  const AssayStaffRecord *me = assay_context_get_me (self->context);

  if (me == NULL || self->dispute == NULL)
    return;
  assay_store_acknowledge_async (assay_context_get_store (self->context), "dispute",
                                 self->dispute->id, me->id, comment, self->cancellable,
                                 acknowledged_cb, self);
}

static void
ack_response_cb (AdwMessageDialog  *dialog,
                 const char        *response,
                 AssayDisputesPage *self)
{
  if (g_strcmp0 (response, "acknowledge") == 0)
    _assay_disputes_page_acknowledge (self,
                                      gtk_editable_get_text (GTK_EDITABLE (self->comment_entry)));
}

void
_assay_disputes_page_ack_dialog (AssayDisputesPage *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->dispute == NULL)
    return;
  body = g_strdup_printf (_("The dispute was decided: %s. Acknowledge that you have seen the "
                            "outcome; you may add a comment."),
                          assay_packet_state_label (self->dispute->state));
  dialog = dialog_new (self, _("Acknowledge the Outcome"), body, "acknowledge",
                       _("_Acknowledge"));
  self->comment_entry = entry_new (_("Comment (optional)"), _("Comment"));
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (self->comment_entry));
  g_signal_connect_object (dialog, "response", G_CALLBACK (ack_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
