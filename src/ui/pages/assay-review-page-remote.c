/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The review workspace's recording when this workstation has no file of it: fetched from the
 * central service into the recording cache (assay-remote-recording.c), played from its first
 * bytes. Playing or seeking past what arrived waits for it (the growing file's readers wait);
 * the line over the waveform says how far it is. The waveform is drawn once the whole file
 * is there and checked.
 */
#include <glib/gi18n.h>

#include "assay-review-page-private.h"
#include "assay-remote-recording.h"
#include "assay-ui-util.h"
#include "core/assay-util.h"

static void
set_remote_text (AssayReviewPage *self,
                 const char      *text)
{
  if (self->remote_label == NULL)
    return;
  gtk_label_set_text (self->remote_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->remote_label), text != NULL);
}

static void
remote_received_cb (AssayReviewPage *self)
{
  goffset received = assay_remote_recording_get_received (self->remote);
  goffset total = assay_remote_recording_get_total (self->remote);
  g_autofree char *text = NULL;

  if (assay_remote_recording_is_complete (self->remote))
    return;
  if (total > 0)
    /* Translators: %d is how much of the recording arrived, in percent */
    text = g_strdup_printf (_("Fetching the recording from the central service: %d %% arrived. "
                              "Playing past that point waits for it."),
                            (int) (100.0 * (double) received / (double) total));
  else
    text = g_strdup (_("Fetching the recording from the central service. "
                       "Playing past what arrived waits for it."));
  set_remote_text (self, text);
}

static void
remote_opened_cb (AssayReviewPage  *self,
                  AssayGrowingFile *file,
                  const char       *path)
{
  int channel = assay_remote_recording_get_agent_channel (self->remote);

  if (channel >= 0)
    self->context->recording_agent_channel = channel;
  if (file == NULL)
    {
      /* the cache had the whole recording */
      assay_set_str (&self->context->recording_location, path);
      set_remote_text (self, NULL);
    }
  review_page_play_media (self, file, path);
}

static void
remote_finished_cb (AssayReviewPage *self,
                    const char      *path)
{
  gboolean was_growing = g_strcmp0 (self->context->recording_location, path) != 0;

  set_remote_text (self, NULL);
  if (!was_growing)
    return;
  assay_set_str (&self->context->recording_location, path);
  review_page_load_peaks (self);
}

static void
remote_failed_cb (AssayReviewPage *self,
                  const GError    *error)
{
  set_remote_text (self, NULL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) && self->context->recording_location == NULL
      && assay_player_get_state (self->player) == ASSAY_PLAYER_STATE_EMPTY)
    {
      /* nothing to play here or there: the contact's facts, as for a contact without one */
      review_page_show_facts (self);
      return;
    }
  if (assay_player_get_state (self->player) == ASSAY_PLAYER_STATE_EMPTY)
    {
      adw_status_page_set_description (self->player_error_page, error->message);
      gtk_stack_set_visible_child_name (self->player_stack, "error");
      return;
    }
  /* a part plays already: say why the rest will not come */
  review_page_toast (self, error->message);
}

static void
clear_remote (AssayReviewPage *self)
{
  if (self->remote != NULL)
    g_signal_handlers_disconnect_by_data (self->remote, self);
  g_clear_object (&self->remote);
}

gboolean
review_page_remote_open (AssayReviewPage *self)
{
  clear_remote (self);
  if (self->app_context == NULL || !assay_remote_recording_can_fetch (self->app_context))
    return FALSE;

  if (self->remote_label == NULL)
    {
      GtkWidget *waveform = GTK_WIDGET (self->waveform);

      self->remote_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_set_name (GTK_WIDGET (self->remote_label), "recording-download");
      gtk_label_set_xalign (self->remote_label, 0);
      gtk_label_set_wrap (self->remote_label, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->remote_label), "dim-label");
      gtk_widget_insert_before (GTK_WIDGET (self->remote_label), gtk_widget_get_parent (waveform),
                                waveform);
    }
  set_remote_text (self, _("Fetching the recording from the central service…"));
  gtk_widget_set_vexpand (GTK_WIDGET (self->player_stack), FALSE);
  gtk_stack_set_visible_child_name (self->player_stack, "player");

  self->remote = assay_remote_recording_new (self->app_context, self->interaction_id);
  g_signal_connect_swapped (self->remote, "opened", G_CALLBACK (remote_opened_cb), self);
  g_signal_connect_swapped (self->remote, "finished", G_CALLBACK (remote_finished_cb), self);
  g_signal_connect_swapped (self->remote, "failed", G_CALLBACK (remote_failed_cb), self);
  g_signal_connect_swapped (self->remote, "notify::received", G_CALLBACK (remote_received_cb), self);
  assay_remote_recording_start (self->remote, self->cancellable);
  return TRUE;
}

void
review_page_remote_dispose (AssayReviewPage *self)
{
  clear_remote (self);
  /* a template child's child: it goes with the template */
  self->remote_label = NULL;
}
