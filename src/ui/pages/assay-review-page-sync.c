/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The review workspace's one truthful sync state of the open evaluation, in the header beside
 * "Saved": saved locally, syncing, synced at T, conflict, rejected with the reason. Read from
 * the store (assay_store_sync_evaluation_states_async, computed from the outbox, the open
 * conflicts and the server's copy) again whenever the store announces a change of the
 * evaluation, and when the context signs in or out. A conflict or a rejection opens the
 * side-by-side resolution; the other states open the Sync page.
 */
#include <glib/gi18n.h>

#include "assay-review-page-private.h"
#include "assay-context-sync.h"
#include "assay-ui-util.h"
#include "store/assay-store-sync.h"

struct _ReviewPageSync
{
  GtkWidget           *button;
  GtkImage            *icon;
  GtkLabel            *label;
  AssayEvaluationSync *state;
  guint                idle_id;
  GCancellable        *cancellable;
};

static void
clear_state (AssayReviewPage *self)
{
  ReviewPageSync *s = self->sync_ui;

  g_clear_pointer (&s->state, assay_evaluation_sync_free);
  gtk_widget_set_visible (s->button, FALSE);
  gtk_label_set_text (s->label, "");
}

/* "10:42" today, else the date and time in the user's locale */
static char *
format_when (gint64 ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (ms / 1000);

  if (then != NULL && g_date_time_get_year (then) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (then) == g_date_time_get_day_of_year (now))
    return assay_ui_format_time (ms, "%H:%M");
  return assay_ui_format_time (ms, "%x %H:%M");
}

static void
show_state (AssayReviewPage *self)
{
  ReviewPageSync *s = self->sync_ui;
  AssayEvaluationSync *st = s->state;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon = NULL;
  gboolean signed_in = self->app_context != NULL
                       && assay_context_get_sync_engine (self->app_context) != NULL;

  gtk_widget_remove_css_class (s->button, "warning");
  gtk_widget_remove_css_class (s->button, "error");
  /* without a central service, and never synced, "saved locally" would only be noise */
  if (st == NULL || (!signed_in && st->server_rev == 0 && st->state == ASSAY_EVALUATION_SYNC_LOCAL))
    {
      gtk_widget_set_visible (s->button, FALSE);
      gtk_label_set_text (s->label, "");
      return;
    }
  switch (st->state)
    {
    case ASSAY_EVALUATION_SYNC_LOCAL:
      icon = "computer-symbolic";
      text = g_strdup (_("Saved locally"));
      tooltip = g_strdup (signed_in ? _("Saved on this computer; the next sync sends it to the central service.")
                                    : _("Saved on this computer; sign in to the central service in Preferences to send it."));
      break;
    case ASSAY_EVALUATION_SYNC_SYNCING:
      icon = "emblem-synchronizing-symbolic";
      text = g_strdup (_("Syncing…"));
      tooltip = g_strdup (_("Sent to the central service; waiting for its answer."));
      break;
    case ASSAY_EVALUATION_SYNC_SYNCED:
      {
        g_autofree char *when = format_when (st->synced_at);

        icon = "emblem-ok-symbolic";
        /* Translators: %s is when the central service last confirmed the evaluation */
        text = g_strdup_printf (_("Synced at %s"), when);
        tooltip = g_strdup (_("The central service holds exactly this copy."));
      }
      break;
    case ASSAY_EVALUATION_SYNC_CONFLICT:
      icon = "dialog-warning-symbolic";
      text = g_strdup (_("Conflict"));
      tooltip = g_strdup (_("This draft was also changed on another computer. Both copies are kept: "
                            "compare them side by side and choose what to keep."));
      gtk_widget_add_css_class (s->button, "warning");
      break;
    case ASSAY_EVALUATION_SYNC_REJECTED:
      icon = "dialog-error-symbolic";
      text = g_strdup (_("Rejected"));
      /* Translators: %s is the central service's reason */
      tooltip = g_strdup_printf (_("The central service refused this change: %s. Your copy is kept; "
                                   "open it to redo the change on the current evaluation."),
                                 st->reason != NULL ? st->reason : _("no reason given"));
      gtk_widget_add_css_class (s->button, "error");
      break;
    }
  gtk_image_set_from_icon_name (s->icon, icon);
  gtk_label_set_text (s->label, text);
  gtk_widget_set_tooltip_text (s->button, tooltip);
  gtk_widget_set_visible (s->button, TRUE);
}

static void
states_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) states = assay_store_sync_evaluation_states_finish (ASSAY_STORE (source), result, &error);
  AssayReviewPage *self;
  AssayEvaluationSync *st = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_REVIEW_PAGE (user_data);
  if (states == NULL)
    {
      g_warning ("The sync state of the evaluation could not be read: %s", error->message);
      return;
    }
  if (self->record != NULL && self->record->id != NULL)
    g_hash_table_steal_extended (states, self->record->id, NULL, (gpointer *) &st);
  g_clear_pointer (&self->sync_ui->state, assay_evaluation_sync_free);
  self->sync_ui->state = st;
  show_state (self);
}

static gboolean
refresh_idle (gpointer data)
{
  AssayReviewPage *self = data;
  ReviewPageSync *s = self->sync_ui;
  const char *ids[2] = { NULL, NULL };

  s->idle_id = 0;
  if (self->record == NULL || self->record->id == NULL || self->store == NULL)
    {
      clear_state (self);
      return G_SOURCE_REMOVE;
    }
  ids[0] = self->record->id;
  g_cancellable_cancel (s->cancellable);
  g_clear_object (&s->cancellable);
  s->cancellable = g_cancellable_new ();
  assay_store_sync_evaluation_states_async (self->store, ids, s->cancellable, states_read_cb, self);
  return G_SOURCE_REMOVE;
}

/* after the job that changed it returned, so that a first save's record has its id */
void
review_page_sync_refresh (AssayReviewPage *self)
{
  if (self->sync_ui != NULL && self->sync_ui->idle_id == 0)
    self->sync_ui->idle_id = g_idle_add (refresh_idle, self);
}

static void
evaluations_changed_cb (AssayStore         *store,
                        const char         *collection,
                        const char * const *ids,
                        AssayReviewPage    *self)
{
  if (self->record == NULL || self->record->id == NULL || ids == NULL
      || g_strv_contains (ids, self->record->id))
    review_page_sync_refresh (self);
}

static void
clicked_cb (AssayReviewPage *self)
{
  AssayEvaluationSync *st = self->sync_ui->state;

  if (st != NULL && st->conflict_id != NULL
      && (st->state == ASSAY_EVALUATION_SYNC_CONFLICT || st->state == ASSAY_EVALUATION_SYNC_REJECTED)
      && gtk_widget_activate_action (GTK_WIDGET (self), "win.resolve-conflict", "s", st->conflict_id))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "sync");
}

void
review_page_sync_init (AssayReviewPage *self)
{
  ReviewPageSync *s = g_new0 (ReviewPageSync, 1);
  GtkWidget *header = gtk_widget_get_ancestor (GTK_WIDGET (self->saved_label), ADW_TYPE_HEADER_BAR);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->sync_ui = s;
  s->button = gtk_button_new ();
  gtk_widget_set_name (s->button, "sync-state");
  gtk_widget_add_css_class (s->button, "flat");
  s->icon = GTK_IMAGE (gtk_image_new ());
  s->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (s->label), "caption");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (s->icon));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (s->label));
  gtk_button_set_child (GTK_BUTTON (s->button), box);
  gtk_widget_set_visible (s->button, FALSE);
  g_signal_connect_swapped (s->button, "clicked", G_CALLBACK (clicked_cb), self);
  if (header != NULL)
    adw_header_bar_pack_end (ADW_HEADER_BAR (header), s->button);
  else
    gtk_widget_insert_after (s->button, gtk_widget_get_parent (GTK_WIDGET (self->saved_label)),
                             GTK_WIDGET (self->saved_label));
  /* the content shows "ready" when an evaluation was read (or another one opened) */
  g_signal_connect_swapped (self->content_stack, "notify::visible-child-name",
                            G_CALLBACK (review_page_sync_refresh), self);
}

/* the page got its context and store (they are construct-time: connect once) */
void
review_page_sync_connect (AssayReviewPage *self)
{
  if (self->store != NULL)
    g_signal_connect_object (self->store, "changed::" ASSAY_STORE_EVALUATIONS,
                             G_CALLBACK (evaluations_changed_cb), self, 0);
  if (self->app_context != NULL)
    g_signal_connect_object (self->app_context, "notify::sync",
                             G_CALLBACK (review_page_sync_refresh), self, G_CONNECT_SWAPPED);
}

const char *
review_page_sync_get_text (AssayReviewPage *self)
{
  if (self->sync_ui == NULL || !gtk_widget_get_visible (self->sync_ui->button))
    return NULL;
  return gtk_label_get_text (self->sync_ui->label);
}

void
review_page_sync_dispose (AssayReviewPage *self)
{
  ReviewPageSync *s = self->sync_ui;

  if (s == NULL)
    return;
  g_clear_handle_id (&s->idle_id, g_source_remove);
  g_cancellable_cancel (s->cancellable);
  g_clear_object (&s->cancellable);
  g_clear_pointer (&s->state, assay_evaluation_sync_free);
  g_clear_pointer (&self->sync_ui, g_free);
}
