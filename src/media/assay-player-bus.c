/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-player-private.h"

#include <glib/gi18n-lib.h>

#include "assay-media-error.h"

/*
 * Loading a recording and listening to its pipeline: the bus watch, the end of preroll (what
 * was asked for while loading is carried out then), the duration, the end of the stream, and
 * GStreamer's errors turned into ones the user can act on (a missing plugin names its Debian
 * package; no audio device falls back to a sink that keeps time).
 */

static void
fail (AssayPlayer *self,
      GError      *error)
{
  g_autoptr(GError) owned = error;

  if (self->state == ASSAY_PLAYER_STATE_ERROR)
    return;

  g_debug ("Player error: %s", error->message);

  /* Stop the streaming threads but keep the pipeline (and its bus watch, which may be
   * dispatching this very message) until the next open or close. */
  g_clear_handle_id (&self->failure_id, g_source_remove);
  g_clear_handle_id (&self->restart_id, g_source_remove);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  self->prerolled = FALSE;
  self->want_playing = FALSE;

  g_clear_error (&self->error);
  self->error = g_steal_pointer (&owned);
  _assay_player_notify (self, PROP_ERROR);
  _assay_player_set_state (self, ASSAY_PLAYER_STATE_ERROR);
}

/* Turns a GStreamer error into one the user can act on. */
static GError *
translate_error (AssayPlayer  *self,
                 const GError *gst_error)
{
  g_autofree char *name = _assay_player_display_name (self);

  if (self->missing_detail != NULL
      || g_error_matches (gst_error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN)
      || g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    return _assay_player_missing_plugin_error (self->missing_detail, self->missing_description);

  if (gst_error->domain == GST_RESOURCE_ERROR)
    switch (gst_error->code)
      {
      case GST_RESOURCE_ERROR_NOT_FOUND:
      case GST_RESOURCE_ERROR_OPEN_READ:
      case GST_RESOURCE_ERROR_OPEN_READ_WRITE:
      case GST_RESOURCE_ERROR_READ:
      case GST_RESOURCE_ERROR_SEEK:
      case GST_RESOURCE_ERROR_NOT_AUTHORIZED:
        return g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                            _("The recording “%s” cannot be found or cannot be read. Check that "
                              "the file exists and that you may read it."),
                            name);
      default:
        break;
      }

  if (gst_error->domain == GST_STREAM_ERROR)
    switch (gst_error->code)
      {
      case GST_STREAM_ERROR_TYPE_NOT_FOUND:
      case GST_STREAM_ERROR_WRONG_TYPE:
      case GST_STREAM_ERROR_DECODE:
      case GST_STREAM_ERROR_DEMUX:
      case GST_STREAM_ERROR_FORMAT:
      case GST_STREAM_ERROR_FAILED:
        return g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
                            _("The recording “%s” is damaged, incomplete or not an audio file. "
                              "Fetch or export the recording again."),
                            name);
      case GST_STREAM_ERROR_NOT_IMPLEMENTED:
      case GST_STREAM_ERROR_DECRYPT:
      case GST_STREAM_ERROR_DECRYPT_NOKEY:
        return g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_UNSUPPORTED,
                            _("The recording “%s” uses an audio format Assay cannot play."),
                            name);
      default:
        break;
      }

  return g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
                      _("Assay cannot play the recording “%s”: %s"), name, gst_error->message);
}

static gboolean
update_duration (AssayPlayer *self)
{
  gint64 ns;

  if (self->pipeline == NULL
      || !gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &ns) || ns <= 0)
    return FALSE;

  self->duration_from_pipeline = TRUE;
  _assay_player_set_duration (self, (ns + GST_MSECOND / 2) / GST_MSECOND);
  return TRUE;
}

static void
discoverer_discovered_cb (GstDiscoverer     *discoverer,
                          GstDiscovererInfo *info,
                          GError            *error,
                          gpointer           user_data)
{
  AssayPlayer *self = user_data;
  GstClockTime ns = gst_discoverer_info_get_duration (info);

  if (self->duration_from_pipeline || !GST_CLOCK_TIME_IS_VALID (ns) || ns == 0)
    return;
  _assay_player_set_duration (self, (gint64) ((ns + GST_MSECOND / 2) / GST_MSECOND));
}

/* Some files (MP3 without a Xing header) only tell their length once playing, as the parser
 * has then read enough frames. GstDiscoverer reads ahead on its own threads to learn it now;
 * a DURATION_CHANGED from the playing pipeline still has the last word. */
static void
discover_duration (AssayPlayer *self)
{
  g_autoptr(GError) error = NULL;

  self->discoverer = gst_discoverer_new (10 * GST_SECOND, &error);
  if (self->discoverer == NULL)
    {
      g_debug ("No discoverer: %s", error->message);
      return;
    }
  g_signal_connect (self->discoverer, "discovered", G_CALLBACK (discoverer_discovered_cb), self);
  gst_discoverer_start (self->discoverer);
  if (!gst_discoverer_discover_uri_async (self->discoverer, self->uri))
    {
      gst_discoverer_stop (self->discoverer);
      g_clear_object (&self->discoverer);
    }
}

static void
update_channels (AssayPlayer *self)
{
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GstCaps) caps = NULL;
  int channels = 0;

  if (self->gain != NULL)
    pad = gst_element_get_static_pad (self->gain, "sink");
  if (pad != NULL)
    caps = gst_pad_get_current_caps (pad);
  if (caps != NULL && gst_caps_get_size (caps) > 0)
    gst_structure_get_int (gst_caps_get_structure (caps, 0), "channels", &channels);
  _assay_player_set_channels (self, channels);
}

static void
prerolled (AssayPlayer *self)
{
  gboolean fake;
  gint64 target;

  self->prerolled = TRUE;
  /* the discoverer would read a growing file on its own and stop at what has arrived */
  if (!update_duration (self) && self->growing == NULL)
    discover_duration (self);
  update_channels (self);
  _assay_player_update_gains (self);

  GST_OBJECT_LOCK (self->output);
  fake = _assay_player_element_is_fake_sink (self->output);
  GST_OBJECT_UNLOCK (self->output);
  _assay_player_set_no_audio_device (self, self->fallback_sink || fake);

  /* Carry out what was asked for while loading. */
  target = self->pending_seek;
  self->pending_seek = -1;
  if (_assay_player_loop_active (self) && self->duration > 0 && self->loop_end > self->duration)
    {
      if (self->duration <= self->loop_start)
        assay_player_clear_loop (self);
      else
        {
          self->loop_end = self->duration;
          _assay_player_notify (self, PROP_LOOP_END);
        }
    }
  if (target >= 0 || self->rate != 1.0 || _assay_player_loop_active (self))
    _assay_player_do_seek (self, target >= 0 ? target : 0, TRUE);
  else
    _assay_player_set_position (self, 0);

  if (self->want_playing)
    {
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
      _assay_player_set_state (self, ASSAY_PLAYER_STATE_PLAYING);
    }
  else
    _assay_player_set_state (self, ASSAY_PLAYER_STATE_PAUSED);
}

static gboolean
failure_cb (gpointer user_data)
{
  AssayPlayer *self = user_data;

  self->failure_id = 0;
  /* Normally an error message on the bus has already said what went wrong. */
  if (self->state == ASSAY_PLAYER_STATE_LOADING && self->restart_id == 0)
    {
      g_autofree char *name = _assay_player_display_name (self);

      fail (self, g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
                               _("Assay cannot start playing the recording “%s”."), name));
    }
  return G_SOURCE_REMOVE;
}

void
_assay_player_start_loading (AssayPlayer *self)
{
  g_autoptr(GError) error = NULL;

  _assay_player_set_state (self, ASSAY_PLAYER_STATE_LOADING);
  if (!_assay_player_build_pipeline (self, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    /* Low priority, so that the bus watch reports the error message first. */
    self->failure_id = g_idle_add_full (G_PRIORITY_LOW, failure_cb, self, NULL);
}

static gboolean
restart_cb (gpointer user_data)
{
  AssayPlayer *self = user_data;

  self->restart_id = 0;
  _assay_player_teardown_pipeline (self);
  _assay_player_start_loading (self);
  return G_SOURCE_REMOVE;
}

static gboolean
message_is_from_sink (AssayPlayer *self,
                      GstMessage  *message)
{
  GstObject *src = GST_MESSAGE_SRC (message);

  return self->output != NULL && src != NULL
         && (src == GST_OBJECT (self->output)
             || gst_object_has_as_ancestor (src, GST_OBJECT (self->output)));
}

static void
handle_error (AssayPlayer *self,
              GstMessage  *message)
{
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;

  if (self->state == ASSAY_PLAYER_STATE_ERROR || self->restart_id != 0)
    return;

  gst_message_parse_error (message, &gst_error, &debug);
  g_debug ("GStreamer error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (message),
           gst_error->message, debug != NULL ? debug : "");

  /* No usable audio device: play into a fake sink that keeps time, so the player works. */
  if (!self->prerolled && !self->fallback_sink && message_is_from_sink (self, message))
    {
      g_message ("The audio output failed (%s: %s); playing without sound",
                 GST_MESSAGE_SRC_NAME (message), gst_error->message);
      self->fallback_sink = TRUE;
      self->restart_id = g_idle_add (restart_cb, self);
      return;
    }

  fail (self, translate_error (self, gst_error));
}

static void
handle_eos (AssayPlayer *self)
{
  if (self->state != ASSAY_PLAYER_STATE_PLAYING)
    return;

  if (_assay_player_loop_active (self))
    {
      _assay_player_loop_back (self);
      return;
    }

  self->want_playing = FALSE;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  if (self->duration > 0)
    _assay_player_set_position (self, self->duration);
  else
    _assay_player_update_position (self);
  _assay_player_set_state (self, ASSAY_PLAYER_STATE_ENDED);
}

gboolean
_assay_player_bus_message_cb (GstBus     *bus,
                              GstMessage *message,
                              gpointer    user_data)
{
  AssayPlayer *self = user_data;

  if (self->state == ASSAY_PLAYER_STATE_ERROR)
    return G_SOURCE_CONTINUE;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      handle_error (self, message);
      break;

    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) warning = NULL;

        gst_message_parse_warning (message, &warning, NULL);
        g_debug ("GStreamer warning from %s: %s", GST_MESSAGE_SRC_NAME (message),
                 warning->message);
      }
      break;

    case GST_MESSAGE_ELEMENT:
      if (gst_is_missing_plugin_message (message) && self->missing_detail == NULL)
        {
          self->missing_detail = gst_missing_plugin_message_get_installer_detail (message);
          self->missing_description = gst_missing_plugin_message_get_description (message);
          g_debug ("Missing plugin: %s", self->missing_detail);
        }
      break;

    case GST_MESSAGE_ASYNC_DONE:
      if (self->restart_id != 0)
        break;
      self->seeking = FALSE;
      if (!self->prerolled)
        prerolled (self);
      else if (self->state != ASSAY_PLAYER_STATE_PLAYING)
        _assay_player_update_position (self);
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      if (self->prerolled)
        update_duration (self);
      break;

    case GST_MESSAGE_SEGMENT_DONE:
      /* The demuxer has sent the loop's last sample (it is not heard yet): queue the loop
       * again behind it, without a flush, so the audio does not gap. The position poll
       * reports the jump when it is heard. */
      if (self->segment_seek && _assay_player_loop_active (self))
        _assay_player_do_seek (self, self->loop_start, FALSE);
      break;

    case GST_MESSAGE_EOS:
      handle_eos (self);
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}
