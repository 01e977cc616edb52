/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The review workspace through a day: Ctrl+Enter submits, or lists what still blocks the
 * submission and walks through it; after a submission the next due item of the queue opens
 * (the "review-open-next" setting); the active review time of each evaluation is counted
 * (assay-review-time.h) and stored on submit; script items are pre-answered from the
 * transcript as suggestions the inspector confirms.
 */
#include <glib/gi18n.h>

#include "assay-review-page-private.h"
#include "assay-coaching-page.h"
#include "assay-window.h"
#include "core/assay-phrase.h"
#include "store/assay-store-queue.h"
#include "store/assay-store-transcript.h"

static gint64
now_ms (AssayReviewPage *self)
{
  if (self->now_func != NULL)
    return self->now_func (self->now_data);
  return g_get_real_time () / 1000;
}

void
review_page_touch (AssayReviewPage *self)
{
  if (self->record == NULL || !assay_scoring_panel_get_editable (self->panel))
    return;
  assay_review_clock_touch (&self->clock, now_ms (self));
}

/* ---- script suggestions ---- */

static void
transcript_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStoredTranscript) transcript = assay_store_get_transcript_finish (ASSAY_STORE (source), result, &error);
  g_autoptr(AssayPhraseIndex) index = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  AssayReviewPage *self;
  guint focused;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_REVIEW_PAGE (user_data);
  if (transcript == NULL || self->record == NULL)
    return;

  /* the transcript or conversation under the player; without a recording, in its place */
  assay_transcript_view_set_utterances (ASSAY_TRANSCRIPT_VIEW (self->transcript_view), transcript->utterances);
  gtk_widget_set_visible (self->transcript_view, TRUE);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->player_stack), "none") == 0)
    gtk_widget_set_visible (GTK_WIDGET (self->player_stack), FALSE);

  if (!assay_scoring_panel_get_editable (self->panel))
    return;
  index = assay_phrase_index_new (transcript->utterances);
  answers = assay_answers_copy (assay_scoring_panel_get_answers (self->panel));
  if (assay_phrase_suggest (answers, index) == 0)
    return;
  focused = assay_scoring_panel_get_focused_item (self->panel);
  assay_scoring_panel_set_answers (self->panel, answers);
  assay_scoring_panel_focus_item (self->panel, focused);
  /* the suggestions are part of the draft, flagged as such; Submit refuses them unconfirmed */
  g_signal_emit_by_name (self->panel, "changed");
}

static void
transcript_seek_cb (AssayReviewPage *self,
                    gint64           ms)
{
  assay_player_seek (self->player, ms);
  review_page_touch (self);
}

/* text selected in the transcript: evidence for the focused item */
static void
transcript_mark_cb (AssayReviewPage *self,
                    gint64           start_ms,
                    gint64           end_ms,
                    const char      *text)
{
  if (!assay_scoring_panel_get_editable (self->panel))
    return;
  assay_scoring_panel_add_evidence (self->panel, assay_scoring_panel_get_focused_item (self->panel),
                                    start_ms, end_ms);
  review_page_touch (self);
}

static void
position_cb (AssayReviewPage *self)
{
  assay_transcript_view_set_position (ASSAY_TRANSCRIPT_VIEW (self->transcript_view),
                                      assay_player_get_position (self->player));
}

void
review_page_opened (AssayReviewPage *self)
{
  self->clock = (AssayReviewClock) ASSAY_REVIEW_CLOCK_INIT;
  self->span_in_ms = self->span_out_ms = -1;
  review_page_touch (self);
  assay_transcript_view_set_utterances (ASSAY_TRANSCRIPT_VIEW (self->transcript_view), NULL);
  gtk_widget_set_visible (self->transcript_view, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->player_stack), TRUE);
  if (self->record != NULL)
    assay_store_get_transcript_async (self->store, self->interaction_id, self->cancellable,
                                      transcript_cb, self);
}

/* ---- after a submission ---- */

static void
review_time_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!assay_store_add_review_time_finish (ASSAY_STORE (source), result, &error))
    g_warning ("The review time was not stored: %s", error->message);
}

static void
queue_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = assay_store_list_queue_finish (ASSAY_STORE (source), result, &error);
  AssayReviewPage *self;

  if (items == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_REVIEW_PAGE (user_data);
  if (items == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("The queue could not be read: %s"), error->message);
      review_page_toast (self, msg);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      AssayQueueItem *item = g_ptr_array_index (items, i);

      if (item->state != ASSAY_QUEUE_STATE_DONE && g_strcmp0 (item->interaction_id, self->interaction_id) != 0)
        {
          assay_review_page_open (self, item->interaction_id, item->form_version_id);
          return;
        }
    }
  review_page_toast (self, _("Submitted. Nothing else is due in your queue."));
}

void
review_page_submitted (AssayReviewPage *self)
{
  gint64 active;

  assay_review_clock_touch (&self->clock, now_ms (self));
  active = assay_review_clock_get_active_ms (&self->clock);
  self->clock = (AssayReviewClock) ASSAY_REVIEW_CLOCK_INIT;
  assay_store_add_review_time_async (self->store, self->record->id, active, NULL, review_time_cb, NULL);

  if (self->open_next && self->me != NULL)
    {
      self->open_next = FALSE;
      assay_store_list_queue_async (self->store, self->me->id, g_get_real_time () / 1000, 0, 0,
                                    self->cancellable, queue_cb, self);
    }
}

/* ---- Ctrl+Enter ---- */

static void
problem_activated_cb (GtkListBox      *list,
                      GtkListBoxRow   *row,
                      AssayReviewPage *self)
{
  guint item = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "item"));

  gtk_popover_popdown (self->problems_popover);
  assay_scoring_panel_focus_item (self->panel, item);
}

static void
show_problems (AssayReviewPage *self)
{
  g_autoptr(GArray) items = NULL;
  g_autoptr(GPtrArray) texts = assay_scoring_panel_list_problems (self->panel, &items);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  for (guint i = 0; i < texts->len; i++)
    {
      GtkWidget *label = gtk_label_new (g_ptr_array_index (texts, i));
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 4);
      gtk_widget_set_margin_bottom (label, 4);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data (G_OBJECT (row), "item", GUINT_TO_POINTER (g_array_index (items, guint, i)));
      gtk_list_box_append (self->problems_list, row);
    }
  gtk_popover_popup (self->problems_popover);
  /* the focus stays on the form, on the next blocking item (check_submit moved it there) */
}

void
review_page_submit_or_list (AssayReviewPage *self)
{
  if (self->record == NULL || !assay_scoring_panel_get_editable (self->panel))
    return;
  if (g_strcmp0 (self->record->state, "submitted") == 0)
    {
      /* an amendment needs its reason: the button's dialog asks for it */
      gtk_widget_activate (GTK_WIDGET (self->submit_button));
      return;
    }
  if (!assay_scoring_panel_check_submit (self->panel))
    {
      show_problems (self);
      return;
    }
  gtk_popover_popdown (self->problems_popover);
  self->open_next = g_settings_get_boolean (self->settings, "review-open-next");
  assay_review_page_submit (self, NULL);
}

guint
assay_review_page_get_n_problems_shown (AssayReviewPage *self)
{
  guint n = 0;

  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), 0);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->problems_popover)))
    return 0;
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list)); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

gboolean
assay_review_page_get_folded (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), FALSE);
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (self->workspace)) == GTK_ORIENTATION_VERTICAL;
}

GtkWidget *
assay_review_page_get_transcript_view (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), NULL);
  return self->transcript_view;
}

void
assay_review_page_set_now_func (AssayReviewPage    *self,
                                AssayReviewNowFunc  func,
                                gpointer            data)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));
  self->now_func = func;
  self->now_data = data;
}

/* ---- I and O: the evidence span at the playhead ---- */

static void
apply_span (AssayReviewPage *self)
{
  if (self->span_in_ms >= 0 && self->span_out_ms > self->span_in_ms)
    assay_waveform_set_selection (self->waveform, self->span_in_ms, self->span_out_ms);
}

static void
span_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);
  gint64 position = assay_player_get_position (self->player);

  if (position < 0)
    return;
  if (g_str_equal (action_name, "review.span-start"))
    {
      self->span_in_ms = position;
      if (self->span_out_ms <= position)
        self->span_out_ms = -1;
    }
  else
    {
      if (self->span_in_ms < 0 || position <= self->span_in_ms)
        {
          review_page_toast (self, _("Press I at the start of the span first, then O at its end"));
          return;
        }
      self->span_out_ms = position;
    }
  apply_span (self);
  review_page_touch (self);
}

/* "Coach…": the Coaching page plans a session from this evaluation, whose lost items become
 * its focus. */
static void
coach_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *page;

  if (self->record == NULL || !ASSAY_IS_WINDOW (root))
    return;
  page = assay_window_get_page_widget (ASSAY_WINDOW (root), "coaching");
  if (!ASSAY_IS_COACHING_PAGE (page))
    return;
  assay_window_show_page (ASSAY_WINDOW (root), "coaching");
  assay_coaching_page_coach_evaluation (ASSAY_COACHING_PAGE (page), self->record->id);
}

void
review_page_flow_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "review.coach", NULL, coach_action);
  gtk_widget_class_install_action (widget_class, "review.span-start", NULL, span_action);
  gtk_widget_class_install_action (widget_class, "review.span-end", NULL, span_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, 0, "review.span-start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, 0, "review.span-end", NULL);
}

static void
advance_changed_cb (AssayReviewPage *self)
{
  assay_scoring_panel_set_advance (self->panel, g_settings_get_boolean (self->settings, "review-advance"));
}

void
review_page_flow_init (AssayReviewPage *self)
{
  GtkWidget *scrolled;

  self->clock = (AssayReviewClock) ASSAY_REVIEW_CLOCK_INIT;
  self->span_in_ms = self->span_out_ms = -1;
  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::review-advance", G_CALLBACK (advance_changed_cb),
                           self, G_CONNECT_SWAPPED);
  advance_changed_cb (self);

  /* narrow windows: the player's rows of controls scroll sideways rather than widen the page,
   * and the draft state shortens with an ellipsis */
  {
    GtkWidget *rows = gtk_widget_get_parent (GTK_WIDGET (self->waveform));
    GtkWidget *row = gtk_widget_get_first_child (rows);

    while (row != NULL && row != GTK_WIDGET (self->waveform))
      {
        GtkWidget *next = gtk_widget_get_next_sibling (row);
        GtkWidget *scroller = gtk_scrolled_window_new ();

        g_object_ref (row);
        gtk_box_remove (GTK_BOX (rows), row);
        gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
        gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
        gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
        gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), row);
        g_object_unref (row);
        gtk_box_insert_child_after (GTK_BOX (rows), scroller, gtk_widget_get_prev_sibling (next));
        row = next;
      }
  }
  gtk_label_set_ellipsize (self->saved_label, PANGO_ELLIPSIZE_END);

  self->transcript_view = assay_transcript_view_new ();
  gtk_widget_set_vexpand (self->transcript_view, TRUE);
  gtk_widget_set_visible (self->transcript_view, FALSE);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->facts_label))),
                              self->transcript_view, GTK_WIDGET (self->facts_label));
  g_signal_connect_object (self->transcript_view, "seek", G_CALLBACK (transcript_seek_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->transcript_view, "mark-evidence", G_CALLBACK (transcript_mark_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "notify::position", G_CALLBACK (position_cb), self, G_CONNECT_SWAPPED);

  self->problems_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->problems_list, GTK_SELECTION_NONE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->problems_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("What still blocks Submit"), -1);
  g_signal_connect (self->problems_list, "row-activated", G_CALLBACK (problem_activated_cb), self);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->problems_list));
  self->problems_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->problems_popover, FALSE);
  gtk_popover_set_child (self->problems_popover, scrolled);
  gtk_widget_set_parent (GTK_WIDGET (self->problems_popover), GTK_WIDGET (self->submit_button));
}

void
review_page_flow_dispose (AssayReviewPage *self)
{
  if (self->problems_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->problems_popover));
  self->problems_popover = NULL;
  g_clear_object (&self->settings);
}
