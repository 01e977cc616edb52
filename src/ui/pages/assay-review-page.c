/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-ui-util.h"
#include "assay-review-page-private.h"
#include "assay-context.h"
#include "core/assay-util.h"
#include "media/assay-analysis.h"
#include "media/assay-peaks.h"
#include "protocol/assay-form-json.h"
#include "store/assay-store-analysis.h"
#include "store/assay-store-evaluations.h"
#include "store/assay-store-review.h"
#include "widgets/assay-facts.h"
#include "widgets/assay-waveform.h"

#define NARROW_WIDTH 900

enum {
  CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayReviewPage, assay_review_page, GTK_TYPE_WIDGET)

static void set_context (AssayReviewPage *self,
                         AssayContext    *context);

static void toast (AssayReviewPage *self, const char *message);

void
review_page_toast (AssayReviewPage *self,
                   const char      *text)
{
  toast (self, text);
}

static void
toast (AssayReviewPage *self,
       const char      *message)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (message));
}

static void
show_error (AssayReviewPage *self,
            const char      *title,
            const char      *message)
{
  self->status = "error";
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->amend_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->coach_button), FALSE);
  gtk_label_set_text (self->saved_label, "");
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
}

/* ---- header and buttons ---- */

static void
update_buttons (AssayReviewPage *self)
{
  gboolean submitted = self->record && g_strcmp0 (self->record->state, "submitted") == 0;
  gboolean editing = assay_scoring_panel_get_editable (self->panel);

  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), !submitted || editing);
  gtk_button_set_label (self->submit_button, submitted ? _("Submit Amendment") : _("Submit"));
  gtk_widget_set_visible (GTK_WIDGET (self->amend_button), submitted && !editing);
  gtk_widget_set_visible (GTK_WIDGET (self->coach_button), submitted && !editing
                          && self->app_context != NULL
                          && assay_context_has_role (self->app_context,
                                                     ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER));
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button),
                            self->revisions != NULL && self->revisions->len > 0);
}

static void
update_title (AssayReviewPage *self)
{
  const AssayInteractionFacts *f = &self->context->facts;
  g_autofree char *title = NULL;
  g_autofree char *when = assay_ui_format_time (f->started_at, "%x %H:%M");
  g_autofree char *duration = assay_format_duration (f->talk_s + f->hold_s + f->wrap_s);
  g_autofree char *csat = f->csat == ASSAY_NONE ? g_strdup ("—") : g_strdup_printf ("%d", f->csat);
  g_autofree char *nps = f->nps == ASSAY_NONE ? g_strdup ("—") : g_strdup_printf ("%d", f->nps);
  g_autofree char *subtitle = NULL;
  g_autofree char *facts = NULL;

  title = g_strdup_printf ("%s · %s", self->context->agent_name ? self->context->agent_name : "",
                           f->queue ? f->queue : "");
  /* Translators: under the review title: time · duration · CSAT n · NPS n */
  subtitle = g_strdup_printf (_("%s · %s · CSAT %s · NPS %s"), when, duration, csat, nps);
  adw_window_title_set_title (self->title, title);
  adw_window_title_set_subtitle (self->title, subtitle);

  /* Translators: the facts under the player: team, customer, channel, scorecard and version */
  facts = g_strdup_printf (_("Team %s · Customer %s · %s · Scorecard %s v%d"),
                           self->context->team_name ? self->context->team_name : "—",
                           f->customer_ref ? f->customer_ref : "—", assay_ui_channel_label (f->channel),
                           self->context->form_name, self->context->form_version);
  gtk_label_set_text (self->facts_label, facts);
}

/* whether every answer is an unconfirmed suggestion (and there is at least one) */
static gboolean
only_suggestions (const AssayAnswers *answers)
{
  guint n_suggested = 0;

  for (guint i = 0; answers != NULL && i < assay_answers_get_n_items (answers); i++)
    {
      const AssayAnswer *a = assay_answers_get (answers, i);

      if (a->suggested)
        n_suggested++;
      else if (a->state != ASSAY_ANSWER_NONE || a->comment != NULL
               || (a->evidence != NULL && a->evidence->len > 0))
        return FALSE;
    }
  return n_suggested > 0;
}

static void
set_saved_text (AssayReviewPage *self)
{
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->saved_label), "error");
  if (self->record == NULL || self->record->state == NULL)
    text = g_strdup (_("Not started"));
  else if (g_strcmp0 (self->record->state, "submitted") == 0 && !assay_scoring_panel_get_editable (self->panel))
    /* Translators: %d is the revision number */
    text = g_strdup_printf (_("Submitted · revision %d"), self->record->revision);
  else if (self->record->saved_at > 0 && only_suggestions (assay_scoring_panel_get_answers (self->panel)))
    /* saved, but nothing of the inspector's yet: the transcript's suggestions wait for them */
    text = g_strdup (_("Not started · suggestions to confirm"));
  else if (self->record->saved_at > 0)
    {
      g_autofree char *clock = assay_ui_format_time (self->record->saved_at, "%H:%M:%S");

      text = g_strdup_printf (self->record->amending ? _("Amendment saved as draft %s")
                                                     : _("Saved as draft %s"), clock);
    }
  else
    text = g_strdup (_("Draft"));
  gtk_label_set_text (self->saved_label, text);
}

/* ---- history ---- */

static void
fill_history (AssayReviewPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  for (guint i = 0; self->revisions != NULL && i < self->revisions->len; i++)
    {
      AssayRevisionRecord *r = g_ptr_array_index (self->revisions, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *when = assay_ui_format_time (r->created_at, "%x %H:%M");
      g_autofree char *score = NULL;

      score = assay_ui_format_percent (r->score);
      /* Translators: revision number, score */
      title = g_strdup_printf (_("Revision %d · %s"), r->number, score);
      if (r->reason != NULL)
        /* Translators: who, when, and the reason of an amendment */
        subtitle = g_strdup_printf (_("%s, %s: “%s”"), r->author_name ? r->author_name : "?", when, r->reason);
      else
        subtitle = g_strdup_printf (_("Submitted by %s, %s"), r->author_name ? r->author_name : "?", when);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->history_list, row);
    }
  update_buttons (self);
}

static void
revisions_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *revisions = assay_store_list_revisions_finish (ASSAY_STORE (source), result, &error);
  AssayReviewPage *self;

  if (revisions == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Reading the history failed: %s", error->message);
      return;
    }
  self = ASSAY_REVIEW_PAGE (user_data);
  g_clear_pointer (&self->revisions, g_ptr_array_unref);
  self->revisions = revisions;
  fill_history (self);
}

static void
load_history (AssayReviewPage *self)
{
  if (self->record == NULL || self->record->state == NULL)
    return;
  assay_store_list_revisions_async (self->store, self->record->id, self->cancellable, revisions_cb, self);
}

/* ---- drafts ---- */

/* A draft save on its way. It is never cancelled: what was typed reaches the database even when
 * the user opens another interaction or closes the window at once (the store finishes queued
 * work before it closes). */
typedef struct {
  AssayReviewPage *page;
  char            *evaluation_id;
} SavePending;

static void
save_pending_free (SavePending *pending)
{
  g_object_unref (pending->page);
  g_free (pending->evaluation_id);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SavePending, save_pending_free)

static void
draft_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SavePending) pending = user_data;
  g_autoptr(GError) error = NULL;
  gint64 saved = assay_store_save_draft_finish (ASSAY_STORE (source), result, &error);
  AssayReviewPage *self = pending->page;

  /* the page has moved on to another evaluation, or is gone: the save itself is done */
  if (self->record == NULL || g_strcmp0 (self->record->id, pending->evaluation_id) != 0
      || self->store == NULL)
    return;
  self->pending_saves--;
  if (saved == 0)
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);
      gtk_label_set_text (self->saved_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->saved_label), "error");
      return;
    }
  if (self->record->state == NULL)
    self->record->state = g_strdup ("draft");
  else if (g_strcmp0 (self->record->state, "submitted") == 0)
    self->record->amending = TRUE;
  self->record->saved_at = saved;
  set_saved_text (self);
}

static void
evidence_clicked_cb (GtkButton       *button,
                     AssayReviewPage *self)
{
  gint64 *span = g_object_get_data (G_OBJECT (button), "span");

  review_page_play_span (self, span[0], span[1]);
}

/* "Comments at time": every evidence span of the form, in time order, under the player */
static void
update_evidence_list (AssayReviewPage    *self,
                      const AssayAnswers *answers)
{
  AssayForm *form = assay_answers_get_form (answers);
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (gint64) * 3);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->evidence_box))) != NULL)
    gtk_flow_box_remove (self->evidence_box, child);

  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayAnswer *answer = assay_answers_get (answers, i);

      for (guint e = 0; answer->evidence != NULL && e < answer->evidence->len; e++)
        {
          const AssayEvidence *ev = &g_array_index (answer->evidence, AssayEvidence, e);
          gint64 entry[3] = { ev->start_ms, ev->end_ms, i };
          guint at = 0;

          while (at < spans->len && ((gint64 *) spans->data)[at * 3] <= ev->start_ms)
            at++;
          g_array_insert_vals (spans, at, entry, 1);
        }
    }

  for (guint k = 0; k < spans->len; k++)
    {
      gint64 *entry = &((gint64 *) spans->data)[k * 3];
      const AssayItem *item = assay_form_get_item (form, (guint) entry[2]);
      const AssayAnswer *answer = assay_answers_get (answers, (guint) entry[2]);
      g_autofree char *from = assay_format_duration (entry[0] / 1000.0);
      g_autofree char *to = assay_format_duration (entry[1] / 1000.0);
      g_autofree char *label = g_strdup_printf ("◆ %s–%s · %u %s", from, to, (guint) entry[2] + 1, item->text);
      GtkWidget *button = gtk_button_new_with_label (label);
      gint64 *span = g_new (gint64, 2);

      span[0] = entry[0];
      span[1] = entry[1];
      g_object_set_data_full (G_OBJECT (button), "span", span, g_free);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
      gtk_widget_set_tooltip_text (button, answer->comment ? answer->comment : item->text);
      g_signal_connect (button, "clicked", G_CALLBACK (evidence_clicked_cb), self);
      gtk_flow_box_append (self->evidence_box, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->evidence_heading), spans->len > 0);
}

static void
update_marks (AssayReviewPage *self)
{
  const AssayAnswers *answers = assay_scoring_panel_get_answers (self->panel);
  AssayForm *form;

  if (answers == NULL || self->waveform == NULL)
    return;
  update_evidence_list (self, answers);
  form = assay_answers_get_form (answers);
  assay_waveform_clear_marks (self->waveform);
  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayAnswer *answer = assay_answers_get (answers, i);
      g_autofree char *label = g_strdup_printf ("%u", i + 1);

      for (guint e = 0; answer->evidence != NULL && e < answer->evidence->len; e++)
        {
          const AssayEvidence *ev = &g_array_index (answer->evidence, AssayEvidence, e);
          assay_waveform_add_mark (self->waveform, ev->start_ms, ev->end_ms, label);
        }
    }
}

static void
panel_changed_cb (AssayReviewPage *self)
{
  const AssayAnswers *answers = assay_scoring_panel_get_answers (self->panel);
  const AssayScore *score = assay_scoring_panel_get_score (self->panel);

  if (self->record == NULL || !assay_scoring_panel_get_editable (self->panel))
    return;

  /* every change goes to the database at once; the worker writes them in order */
  g_free (self->record->answers);
  self->record->answers = assay_answers_to_json (answers);
  g_free (self->record->results);
  self->record->results = assay_score_to_json (score, FALSE);
  self->record->score = score->overall;
  self->pending_saves++;
  {
    SavePending *pending = g_new0 (SavePending, 1);

    pending->page = g_object_ref (self);
    pending->evaluation_id = g_strdup (self->record->id);
    assay_store_save_draft_async (self->store, self->record, NULL, draft_saved_cb, pending);
  }
  update_marks (self);
  review_page_touch (self);
}

/* ---- submit / amend ---- */

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  int number = assay_store_submit_evaluation_finish (ASSAY_STORE (source), result, &error);
  AssayReviewPage *self;
  g_autofree char *text = NULL;

  if (number == 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_REVIEW_PAGE (user_data);
  if (number == 0)
    {
      g_autofree char *msg = g_strdup_printf (_("Not submitted: %s"), error->message);
      toast (self, msg);
      return;
    }
  g_free (self->record->state);
  self->record->state = g_strdup ("submitted");
  self->record->amending = FALSE;
  self->record->revision = number;
  assay_scoring_panel_set_editable (self->panel, FALSE);
  set_saved_text (self);
  update_buttons (self);
  load_history (self);
  text = number == 1 ? g_strdup (_("Submitted")) : g_strdup_printf (_("Amendment submitted as revision %d"), number);
  toast (self, text);
  review_page_submitted (self);
}

void
assay_review_page_submit (AssayReviewPage *self,
                          const char      *reason)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));

  if (self->record == NULL || !assay_scoring_panel_get_editable (self->panel))
    return;
  if (!assay_scoring_panel_check_submit (self->panel))
    {
      toast (self, _("Answer the marked items first"));
      return;
    }
  assay_store_submit_evaluation_async (self->store, self->record->id, self->me->id, reason,
                                       self->cancellable, submitted_cb, self);
}

static void
reason_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    AssayReviewPage  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  if (g_strcmp0 (response, "submit") == 0)
    assay_review_page_submit (self, gtk_editable_get_text (entry));
}

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  adw_message_dialog_set_response_enabled (dialog, "submit", *trimmed != '\0');
}

static void
submit_clicked_cb (AssayReviewPage *self)
{
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->record == NULL)
    return;
  if (g_strcmp0 (self->record->state, "submitted") != 0)
    {
      assay_review_page_submit (self, NULL);
      return;
    }
  if (!self->record->amending)
    {
      toast (self, _("Nothing has changed yet"));
      return;
    }
  if (!assay_scoring_panel_check_submit (self->panel))
    {
      toast (self, _("Answer the marked items first"));
      return;
    }

  /* an amendment needs a reason, kept in the history */
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Why Does the Score Change?"),
                                   _("The reason is kept with the new revision in the evaluation's history."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason for the amendment"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "submit", _("_Submit Amendment"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "submit",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "submit");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "submit", FALSE);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reason_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
assay_review_page_amend (AssayReviewPage *self)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));

  if (self->record == NULL || g_strcmp0 (self->record->state, "submitted") != 0)
    return;
  assay_scoring_panel_set_editable (self->panel, TRUE);
  assay_scoring_panel_focus_item (self->panel, 0);
  set_saved_text (self);
  update_buttons (self);
}

/* ---- opening ---- */

static void
evaluation_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayEvaluationRecord *record = assay_store_open_evaluation_finish (ASSAY_STORE (source), result, &error);
  g_autoptr(AssayAnswers) answers = NULL;
  AssayReviewPage *self;
  gboolean editable;

  if (record == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_REVIEW_PAGE (user_data);
  if (record == NULL)
    {
      show_error (self, _("The Evaluation Could Not Be Opened"), error->message);
      return;
    }
  g_clear_pointer (&self->record, assay_evaluation_record_free);
  self->record = record;

  if (record->answers != NULL)
    {
      answers = assay_answers_from_json (self->form, record->answers, -1, &error);
      if (answers == NULL)
        {
          show_error (self, _("The Saved Answers Could Not Be Read"), error->message);
          return;
        }
    }
  else
    answers = assay_answers_new (self->form);

  editable = g_strcmp0 (record->state, "submitted") != 0 || record->amending;
  assay_scoring_panel_set_editable (self->panel, editable);
  assay_scoring_panel_set_answers (self->panel, answers);
  update_marks (self);
  set_saved_text (self);
  update_buttons (self);
  load_history (self);

  self->status = "ready";
  gtk_stack_set_visible_child_name (self->content_stack, "ready");
  assay_scoring_panel_focus_item (self->panel, 0);
  review_page_opened (self);
  review_page_open_media (self);
}

static void
context_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayReviewContext *context = assay_store_get_review_context_finish (ASSAY_STORE (source), result, &error);
  AssayReviewPage *self;

  if (context == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_REVIEW_PAGE (user_data);
  if (context == NULL)
    {
      show_error (self, _("This Interaction Cannot Be Reviewed"), error->message);
      return;
    }
  g_clear_pointer (&self->context, assay_review_context_free);
  self->context = context;

  g_clear_pointer (&self->form, assay_form_unref);
  self->form = assay_form_from_json (context->form_definition, -1, &error);
  if (self->form == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("The scorecard “%s” is damaged: %s"), context->form_name,
                                              error->message);
      show_error (self, _("The Scorecard Could Not Be Read"), msg);
      return;
    }
  update_title (self);
  assay_store_open_evaluation_async (self->store, context->facts.id, context->form_version_id,
                                     self->me->id, context->assignment_id, self->cancellable,
                                     evaluation_cb, self);
}

static void
load_context (AssayReviewPage *self)
{
  assay_store_get_review_context_async (self->store, self->interaction_id, self->form_version_id,
                                        self->me->id, self->cancellable, context_cb, self);
}

static void
context_ready_cb (AssayReviewPage *self)
{
  self->me = assay_context_get_me (self->app_context);
  /* opened while the database was still opening */
  if (self->interaction_id != NULL && g_strcmp0 (self->status, "loading") == 0 && self->context == NULL)
    load_context (self);
}

static void
set_context (AssayReviewPage *self,
             AssayContext    *context)
{
  if (context == NULL)
    return;
  g_assert (self->app_context == NULL);
  self->app_context = g_object_ref (context);
  self->store = g_object_ref (assay_context_get_store (context));
  self->me = assay_context_get_me (context);
  g_signal_connect_object (context, "notify::ready", G_CALLBACK (context_ready_cb), self,
                           G_CONNECT_SWAPPED);
  review_page_sync_connect (self);
}

/* ---- actions ---- */

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  review_page_submit_or_list (ASSAY_REVIEW_PAGE (widget));
}

static void
amend_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  assay_review_page_amend (ASSAY_REVIEW_PAGE (widget));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);

  assay_player_pause (self->player);
  g_signal_emit (self, signals[CLOSE], 0);
}

/* ---- layout: side by side, or the form under the player when narrow ---- */

static gboolean
relayout_cb (gpointer data)
{
  AssayReviewPage *self = data;

  self->relayout_id = 0;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->workspace),
                                  self->narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  return G_SOURCE_REMOVE;
}

static void
assay_review_page_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);
  gboolean narrow = width < NARROW_WIDTH;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->relayout_id == 0)
        self->relayout_id = g_idle_add (relayout_cb, self);
    }
}

/*
 * Side by side, the workspace would demand the player's and the form's widths together and the
 * window could never get narrow enough to fold: it asks only for what the folded layout needs.
 */
static void
assay_review_page_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, for_size, &min, &nat, NULL, NULL);
      *minimum = MAX (*minimum, min);
      *natural = MAX (*natural, nat);
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL && !self->narrow)
    {
      int folded = 0;

      for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->workspace)); c; c = gtk_widget_get_next_sibling (c))
        {
          int min = 0;

          if (!gtk_widget_should_layout (c))
            continue;
          gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
          folded = MAX (folded, min);
        }
      *minimum = MIN (*minimum, MAX (folded, 1));
    }
}

/* ---- GObject ---- */

static void
assay_review_page_dispose (GObject *object)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->relayout_id, g_source_remove);
  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->player, self);
      assay_player_close (self->player);
    }
  review_page_flow_dispose (self);
  review_page_remote_dispose (self);
  review_page_sync_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_REVIEW_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->player);
  g_clear_object (&self->peaks);
  g_clear_object (&self->analysis);
  g_clear_object (&self->cancellable);
  /* the store and the context outlive the page: nothing of theirs reaches it once disposed */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->app_context != NULL)
    g_signal_handlers_disconnect_by_data (self->app_context, self);
  g_clear_object (&self->store);
  g_clear_object (&self->app_context);

  G_OBJECT_CLASS (assay_review_page_parent_class)->dispose (object);
}

static void
assay_review_page_finalize (GObject *object)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (object);

  self->me = NULL;
  g_clear_pointer (&self->context, assay_review_context_free);
  g_clear_pointer (&self->record, assay_evaluation_record_free);
  g_clear_pointer (&self->form, assay_form_unref);
  g_clear_pointer (&self->revisions, g_ptr_array_unref);
  g_clear_pointer (&self->skip_gaps, g_array_unref);
  g_free (self->interaction_id);
  g_free (self->form_version_id);

  G_OBJECT_CLASS (assay_review_page_parent_class)->finalize (object);
}

static void
assay_review_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->app_context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_review_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_review_page_class_init (AssayReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_review_page_dispose;
  object_class->finalize = assay_review_page_finalize;
  object_class->get_property = assay_review_page_get_property;
  object_class->set_property = assay_review_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->size_allocate = assay_review_page_size_allocate;
  widget_class->measure = assay_review_page_measure;

  /* the user goes back to where the review was opened from */
  signals[CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ASSAY_TYPE_SCORING_PANEL);
  g_type_ensure (ASSAY_TYPE_WAVEFORM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, title);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, amend_button);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, coach_button);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, history_button);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, saved_label);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, workspace);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, player_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, player_error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, time_label);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, rate_label);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, agent_solo);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, customer_solo);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, loop_button);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, skip_button);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, listen_label);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, agent_volume);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, customer_volume);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, waveform);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, figures_label);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, facts_label);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, facts_box);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, evidence_box);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, evidence_heading);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, panel);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, toasts);
  gtk_widget_class_bind_template_callback (widget_class, panel_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, submit_clicked_cb);

  gtk_widget_class_install_action (widget_class, "review.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "review.amend", NULL, amend_action);
  gtk_widget_class_install_action (widget_class, "review.close", NULL, close_action);

  review_page_player_class_init (widget_class);
  review_page_flow_class_init (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "review.submit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "review.close", NULL);
}

static void
assay_review_page_init (AssayReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->status = "loading";
  self->play_until_ms = -1;
  review_page_player_init (self);
  review_page_flow_init (self);
  review_page_sync_init (self);
}

void
assay_review_page_open (AssayReviewPage *self,
                        const char      *interaction_id,
                        const char      *form_version_id)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));
  g_return_if_fail (interaction_id != NULL);
  g_return_if_fail (self->store != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pending_saves = 0;
  assay_player_close (self->player);

  assay_set_str (&self->interaction_id, interaction_id);
  assay_set_str (&self->form_version_id, form_version_id);
  g_clear_pointer (&self->record, assay_evaluation_record_free);
  g_clear_pointer (&self->revisions, g_ptr_array_unref);
  fill_history (self);
  self->status = "loading";
  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  adw_window_title_set_title (self->title, _("Review"));
  adw_window_title_set_subtitle (self->title, NULL);

  /* before the database has opened, the context's "ready" opens it */
  if (self->me != NULL)
    load_context (self);
}

const char *
assay_review_page_get_status (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), NULL);
  return self->status;
}

AssayScoringPanel *
assay_review_page_get_panel (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), NULL);
  return self->panel;
}

AssayPlayer *
assay_review_page_get_player (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), NULL);
  return self->player;
}

const char *
assay_review_page_get_state (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), NULL);
  return self->record ? self->record->state : NULL;
}

gboolean
assay_review_page_get_amending (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), FALSE);
  return self->record ? self->record->amending : FALSE;
}

guint
assay_review_page_get_pending_saves (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), 0);
  return self->pending_saves;
}

guint
assay_review_page_get_n_revisions (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), 0);
  return self->revisions ? self->revisions->len : 0;
}

const char *
assay_review_page_get_evaluation_id (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), NULL);
  return self->record ? self->record->id : NULL;
}
