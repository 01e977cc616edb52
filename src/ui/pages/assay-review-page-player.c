/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The review workspace's player: the recording (opened in one place, review_page_open_media),
 * its waveform, lanes and figures, playback keys (Space, J, L, [ and ]) and spans played or
 * marked as evidence.
 */
#include <glib/gi18n.h>

#include "assay-review-page-private.h"
#include "assay-ui-util.h"
#include "core/assay-util.h"
#include "store/assay-store-analysis.h"
#include "widgets/assay-facts.h"

/* ---- player ---- */

/* each skipped silence keeps this much at both ends: speech is not clipped, a pause still heard */
#define SKIP_KEEP_S 0.3

/* "≈ 1:12": how long the rest of the review takes to hear, at this speed, skipping if asked */
static void
update_listen_time (AssayReviewPage *self)
{
  g_autoptr(GArray) none = assay_segments_new ();
  gboolean skip = gtk_toggle_button_get_active (self->skip_button) && self->skip_gaps != NULL;
  double duration = assay_player_get_duration (self->player) / 1000.0;
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;

  if (duration <= 0)
    {
      gtk_label_set_text (self->listen_label, "");
      return;
    }
  time = assay_format_duration (assay_segments_listening_time (skip ? self->skip_gaps : none, duration,
                                                               SKIP_KEEP_S,
                                                               assay_player_get_rate (self->player)));
  /* Translators: the time it takes to hear the call at the chosen speed, e.g. "≈ 1:12" */
  text = g_strdup_printf (_("≈ %s"), time);
  gtk_label_set_text (self->listen_label, text);
}

/* The silences to skip: where nobody speaks for the chosen length or more. */
static void
update_skip_gaps (AssayReviewPage *self)
{
  double min_s = g_settings_get_double (self->settings, "review-skip-silence-min-s");

  g_clear_pointer (&self->skip_gaps, g_array_unref);
  if (self->analysis != NULL)
    {
      const AssaySegment *a, *b = NULL;
      guint n_a = 0, n_b = 0;

      a = assay_analysis_get_voice_segments (self->analysis, 0, &n_a);
      if (assay_analysis_get_has_talk_split (self->analysis))
        b = assay_analysis_get_voice_segments (self->analysis, 1, &n_b);
      self->skip_gaps = assay_speech_skip_gaps (a, n_a, b, n_b,
                                                assay_analysis_get_duration (self->analysis),
                                                MAX (min_s, 2 * SKIP_KEEP_S));
    }
  update_listen_time (self);
}

static void
skip_toggled_cb (AssayReviewPage *self)
{
  update_listen_time (self);
}

static void
update_time (AssayReviewPage *self)
{
  g_autofree char *pos = assay_format_duration (assay_player_get_position (self->player) / 1000.0);
  g_autofree char *dur = assay_format_duration (assay_player_get_duration (self->player) / 1000.0);
  g_autofree char *text = g_strdup_printf ("%s / %s", pos, dur);

  gtk_label_set_text (self->time_label, text);
}

static void
player_position_cb (AssayReviewPage *self)
{
  gint64 position = assay_player_get_position (self->player);

  update_time (self);
  assay_waveform_set_position (self->waveform, position);
  /* skipping silences: not while a chosen span plays */
  if (self->skip_gaps != NULL && self->play_until_ms < 0
      && gtk_toggle_button_get_active (self->skip_button)
      && assay_player_get_state (self->player) == ASSAY_PLAYER_STATE_PLAYING)
    {
      double target = assay_segments_skip_target (self->skip_gaps, position / 1000.0, SKIP_KEEP_S);

      if (target >= 0)
        assay_player_seek (self->player, (gint64) (target * 1000.0));
    }
  if (self->play_until_ms >= 0 && position >= self->play_until_ms)
    {
      self->play_until_ms = -1;
      assay_player_pause (self->player);
    }
}

static void
player_state_cb (AssayReviewPage *self)
{
  AssayPlayerState state = assay_player_get_state (self->player);

  review_page_touch (self);

  gtk_button_set_icon_name (self->play_button, state == ASSAY_PLAYER_STATE_PLAYING
                                                 ? "media-playback-pause-symbolic"
                                                 : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               state == ASSAY_PLAYER_STATE_PLAYING ? _("Pause (Space)") : _("Play (Space)"));
  if (state == ASSAY_PLAYER_STATE_ERROR)
    {
      const GError *error = assay_player_get_error (self->player);

      adw_status_page_set_description (self->player_error_page, error ? error->message : NULL);
      gtk_stack_set_visible_child_name (self->player_stack, "error");
    }
  else if (state != ASSAY_PLAYER_STATE_EMPTY && self->context && self->context->recording_location)
    gtk_stack_set_visible_child_name (self->player_stack, "player");
}

static void
player_duration_cb (AssayReviewPage *self)
{
  assay_waveform_set_duration (self->waveform, assay_player_get_duration (self->player));
  update_time (self);
  update_listen_time (self);
}

static void
player_rate_cb (AssayReviewPage *self)
{
  g_autofree char *text = g_strdup_printf ("%.2g×", assay_player_get_rate (self->player));

  gtk_label_set_text (self->rate_label, text);
  update_listen_time (self);
}

static void
update_solo (AssayReviewPage *self)
{
  AssayPlayerSolo solo = assay_player_get_solo (self->player);

  gtk_toggle_button_set_active (self->agent_solo, solo == ASSAY_PLAYER_SOLO_AGENT);
  gtk_toggle_button_set_active (self->customer_solo, solo == ASSAY_PLAYER_SOLO_CUSTOMER);
}

static void
agent_solo_toggled_cb (AssayReviewPage *self)
{
  if (gtk_toggle_button_get_active (self->agent_solo))
    assay_player_set_solo (self->player, ASSAY_PLAYER_SOLO_AGENT);
  else if (assay_player_get_solo (self->player) == ASSAY_PLAYER_SOLO_AGENT)
    assay_player_set_solo (self->player, ASSAY_PLAYER_SOLO_NONE);
}

static void
customer_solo_toggled_cb (AssayReviewPage *self)
{
  if (gtk_toggle_button_get_active (self->customer_solo))
    assay_player_set_solo (self->player, ASSAY_PLAYER_SOLO_CUSTOMER);
  else if (assay_player_get_solo (self->player) == ASSAY_PLAYER_SOLO_CUSTOMER)
    assay_player_set_solo (self->player, ASSAY_PLAYER_SOLO_NONE);
}

static void
loop_toggled_cb (AssayReviewPage *self)
{
  gint64 start, end;

  if (gtk_toggle_button_get_active (self->loop_button))
    {
      if (assay_waveform_get_selection (self->waveform, &start, &end))
        assay_player_set_loop (self->player, start, end);
      else
        {
          review_page_toast (self, _("Select a span on the waveform to loop it"));
          gtk_toggle_button_set_active (self->loop_button, FALSE);
        }
    }
  else
    assay_player_clear_loop (self->player);
}

static void
waveform_seek_cb (AssayReviewPage *self,
                  gint64           position)
{
  self->play_until_ms = -1;
  assay_player_seek (self->player, position);
}

void
review_page_play_span (AssayReviewPage *self,
                       gint64           start,
                       gint64           end)
{
  if (self->context == NULL || self->context->recording_location == NULL)
    return;
  assay_waveform_set_selection (self->waveform, start, end);
  assay_player_seek (self->player, start);
  self->play_until_ms = end;
  assay_player_play (self->player);
}

static void
mark_requested_cb (AssayReviewPage *self,
                   guint            item)
{
  gint64 start, end;

  if (!assay_waveform_get_selection (self->waveform, &start, &end))
    {
      /* no selection: the last five seconds heard */
      end = assay_player_get_position (self->player);
      start = MAX (0, end - 5000);
      if (end <= start)
        {
          review_page_toast (self, _("Select a span on the waveform, then press M"));
          return;
        }
    }
  assay_scoring_panel_add_evidence (self->panel, item, start, end);
}

static void
update_figures (AssayReviewPage *self)
{
  AssayAnalysis *a = self->analysis;
  g_autofree char *silence = NULL;
  g_autofree char *overtalk = NULL;
  g_autofree char *monologue = NULL;
  g_autofree char *text = NULL;
  guint n_silence = 0, n_overtalk = 0;

  if (a == NULL)
    return;
  assay_analysis_get_silence_segments (a, &n_silence);
  assay_analysis_get_overtalk_segments (a, &n_overtalk);
  silence = assay_format_duration (assay_analysis_get_silence (a));
  overtalk = assay_format_duration (assay_analysis_get_overtalk (a));
  monologue = assay_format_duration (assay_analysis_get_longest_monologue (a, NULL));
  if (assay_analysis_get_has_talk_split (a))
    /* Translators: speech figures of a stereo call */
    text = g_strdup_printf (_("Agent talks %.0f %% · silence %s (%u) · over-talk %s (%u) · longest monologue %s"),
                            assay_analysis_get_talk_ratio (a) * 100.0, silence, n_silence, overtalk,
                            n_overtalk, monologue);
  else
    /* Translators: speech figures of a mono recording */
    text = g_strdup_printf (_("Mono recording: talk split unavailable · silence %s (%u)"), silence, n_silence);
  gtk_label_set_text (self->figures_label, text);

  {
    const AssaySegment *segs;
    guint n = 0;

    segs = assay_analysis_get_silence_segments (a, &n);
    assay_waveform_set_lane (self->waveform, ASSAY_WAVEFORM_LANE_SILENCE, segs, n);
    segs = assay_analysis_get_overtalk_segments (a, &n);
    assay_waveform_set_lane (self->waveform, ASSAY_WAVEFORM_LANE_OVERTALK, segs, n);
    if (assay_analysis_get_has_talk_split (a))
      {
        guint agent = assay_analysis_get_agent_channel (a);

        segs = assay_analysis_get_voice_segments (a, agent, &n);
        assay_waveform_set_lane (self->waveform, ASSAY_WAVEFORM_LANE_AGENT, segs, n);
        segs = assay_analysis_get_voice_segments (a, 1 - agent, &n);
        assay_waveform_set_lane (self->waveform, ASSAY_WAVEFORM_LANE_CUSTOMER, segs, n);
      }
  }
}

static void
peaks_progress_cb (AssayPeaks *peaks,
                   gsize       first,
                   gsize       n_new,
                   gpointer    user_data)
{
  AssayReviewPage *self = user_data;

  if (self->peaks != peaks)
    {
      g_set_object (&self->peaks, peaks);
      assay_waveform_set_peaks (self->waveform, peaks);
    }
  else
    assay_waveform_peaks_updated (self->waveform);
}

static void
analysis_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* the figures are on screen already; storing them is for the lists, so a failure only warns */
  if (!assay_store_save_analysis_finish (ASSAY_STORE (source), result, &error))
    g_warning ("Storing the speech analysis failed: %s", error->message);
}

static void
peaks_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayPeaks) peaks = assay_peaks_load_finish (result, &error);
  g_autoptr(AssaySpeechSummary) summary = NULL;
  AssaySpeechParams params;
  AssayReviewPage *self;

  if (peaks == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self = ASSAY_REVIEW_PAGE (user_data);
      gtk_label_set_text (self->figures_label, error->message);
      return;
    }
  self = ASSAY_REVIEW_PAGE (user_data);
  g_set_object (&self->peaks, peaks);
  assay_waveform_set_peaks (self->waveform, peaks);
  g_clear_object (&self->analysis);
  assay_speech_params_init (&params);
  if (self->context->recording_agent_channel >= 0)
    params.agent_channel = (guint) self->context->recording_agent_channel;
  self->analysis = assay_analysis_new_for_peaks (self->context->recording_location, peaks, &params);
  update_figures (self);
  update_skip_gaps (self);

  /* not cancelled with the page: the figures are worth keeping even if the user moves on */
  if (self->store != NULL && self->context->recording_id != NULL)
    {
      summary = assay_analysis_to_summary (self->analysis);
      assay_store_save_analysis_async (self->store, self->context->recording_id, summary, NULL,
                                       analysis_saved_cb, NULL);
    }
}

void
review_page_show_facts (AssayReviewPage *self)
{
  assay_player_close (self->player);
  assay_facts_fill (self->facts_box, &self->context->facts, self->context->agent_name,
                    self->context->team_name);
  /* the facts fill the room the player would have had */
  gtk_widget_set_vexpand (GTK_WIDGET (self->player_stack), TRUE);
  gtk_stack_set_visible_child_name (self->player_stack, "none");
}

void
review_page_load_peaks (AssayReviewPage *self)
{
  assay_peaks_load_async (self->context->recording_location, ASSAY_PEAKS_FLAGS_NONE, self->cancellable,
                          peaks_progress_cb, self, NULL, peaks_loaded_cb, self);
}

void
review_page_play_media (AssayReviewPage  *self,
                        AssayGrowingFile *file,
                        const char       *path)
{
  if (self->context->recording_agent_channel >= 0)
    {
      assay_player_set_agent_channel (self->player, (guint) self->context->recording_agent_channel);
      assay_waveform_set_agent_channel (self->waveform, (guint) self->context->recording_agent_channel);
    }
  gtk_widget_set_vexpand (GTK_WIDGET (self->player_stack), FALSE);
  gtk_stack_set_visible_child_name (self->player_stack, "player");
  if (file != NULL)
    {
      assay_player_open_growing (self->player, file, path);
      return;
    }
  assay_player_open (self->player, path);
  review_page_load_peaks (self);
}

void
review_page_open_media (AssayReviewPage *self)
{
  const char *path = self->context->recording_location;

  g_clear_object (&self->peaks);
  g_clear_object (&self->analysis);
  update_skip_gaps (self);
  gtk_label_set_text (self->figures_label, "");
  assay_waveform_set_peaks (self->waveform, NULL);
  assay_waveform_clear_selection (self->waveform);
  for (int lane = 0; lane < ASSAY_WAVEFORM_N_LANES; lane++)
    assay_waveform_set_lane (self->waveform, lane, NULL, 0);

  /* no file here: the central service may have it (recordings on demand) */
  if ((path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS)) && review_page_remote_open (self))
    return;
  if (path == NULL)
    {
      review_page_show_facts (self);
      return;
    }
  review_page_play_media (self, NULL, path);
}

/* ---- actions ---- */

static void
toggle_play_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);

  self->play_until_ms = -1;
  assay_player_toggle (self->player);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);

  assay_player_skip (self->player, g_variant_get_int32 (parameter));
}

static void
skip_silence_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);

  gtk_toggle_button_set_active (self->skip_button, !gtk_toggle_button_get_active (self->skip_button));
}

static void
speed_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);
  double rate = assay_player_get_rate (self->player) + g_variant_get_double (parameter);

  assay_player_set_rate (self->player, CLAMP (rate, ASSAY_PLAYER_MIN_RATE, ASSAY_PLAYER_MAX_RATE));
}

void
review_page_player_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback_full (widget_class, "play_span_cb",
                                                G_CALLBACK (review_page_play_span));
  gtk_widget_class_bind_template_callback (widget_class, mark_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, agent_solo_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, customer_solo_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, loop_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, waveform_seek_cb);
  gtk_widget_class_bind_template_callback (widget_class, skip_toggled_cb);

  gtk_widget_class_install_action (widget_class, "review.toggle-play", NULL, toggle_play_action);
  gtk_widget_class_install_action (widget_class, "review.skip", "i", skip_action);
  gtk_widget_class_install_action (widget_class, "review.speed", "d", speed_action);
  gtk_widget_class_install_action (widget_class, "review.skip-silence", NULL, skip_silence_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "review.toggle-play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "review.skip", "i", -5000);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, 0, "review.skip", "i", 5000);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft, 0, "review.speed", "d", -0.25);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright, 0, "review.speed", "d", 0.25);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "review.skip-silence", NULL);
}

void
review_page_player_init (AssayReviewPage *self)
{
  self->play_until_ms = -1;
  self->player = assay_player_new ();
  g_signal_connect_swapped (self->player, "notify::position", G_CALLBACK (player_position_cb), self);
  g_signal_connect_swapped (self->player, "notify::state", G_CALLBACK (player_state_cb), self);
  g_signal_connect_swapped (self->player, "notify::duration", G_CALLBACK (player_duration_cb), self);
  g_signal_connect_swapped (self->player, "notify::rate", G_CALLBACK (player_rate_cb), self);
  g_signal_connect_swapped (self->player, "notify::solo", G_CALLBACK (update_solo), self);
  g_object_bind_property (gtk_range_get_adjustment (GTK_RANGE (self->agent_volume)), "value",
                          self->player, "agent-volume", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (gtk_range_get_adjustment (GTK_RANGE (self->customer_volume)), "value",
                          self->player, "customer-volume", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "review-skip-silence", self->skip_button, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::review-skip-silence-min-s",
                           G_CALLBACK (update_skip_gaps), self, G_CONNECT_SWAPPED);
  player_rate_cb (self);
  update_time (self);
}
