/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-audio-reader-private.h"
#include "assay-codec-hints.h"
#include "assay-media-error.h"

#include <glib/gi18n-lib.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/pbutils/pbutils.h>

/*
 * Everything the direct decoders do not take (GSM 6.10, ADPCM, Vorbis, FLAC, AAC, MP3 or Opus
 * when Assay was built without libmpg123 or libopus, ...): a GStreamer appsink pipeline at
 * 8–16 kHz. It costs tens of microseconds per buffer, which these rare formats can afford. A
 * missing decoder is named with the Debian package that has it (assay-codec-hints.c).
 */

#define APPSINK_POLL_MS    100
#define APPSINK_OPEN_LIMIT (60 * G_USEC_PER_SEC)

typedef struct {
  GstElement *pipeline;
  GstElement *sink;
  GstBus     *bus;
  GstSample  *sample;
  GstMapInfo  map;
  gboolean    mapped;
  GPtrArray  *missing;       /* caps strings of missing decoders */
} GstreamerDecoder;

static void
gstreamer_note_missing (AssayAudioReader *self,
                        GstMessage       *msg)
{
  GstreamerDecoder *gs = self->decoder_data;
  char *detail = gst_missing_plugin_message_get_installer_detail (msg);

  if (detail == NULL)
    detail = gst_missing_plugin_message_get_description (msg);
  if (detail != NULL)
    g_ptr_array_add (gs->missing, detail);
}

static void
gstreamer_set_error_from_message (AssayAudioReader  *self,
                                  GstMessage        *msg,
                                  GError           **error)
{
  GstreamerDecoder *gs = self->decoder_data;
  g_autoptr(GError) gerr = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (msg, &gerr, &debug);

  if (gs->missing->len > 0 ||
      g_error_matches (gerr, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN) ||
      g_error_matches (gerr, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    {
      AssayCodecHint hint = { ASSAY_CODEC_HINT_DECODER, NULL, "gstreamer1.0-libav" };
      const char *detail = gs->missing->len > 0 ? g_ptr_array_index (gs->missing, 0) : NULL;

      if (detail == NULL || !assay_codec_hint_lookup (detail, &hint))
        hint.package = "gstreamer1.0-libav";
      if (hint.kind == ASSAY_CODEC_HINT_CONTAINER)
        g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                     _("Assay cannot read “%s”: the reader for %s files is not installed. "
                       "Install the Debian package %s (sudo apt install %s) and try again."),
                     self->name, hint.name ? hint.name : _("these"), hint.package, hint.package);
      else
        g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                     _("Assay cannot read “%s”: the %s audio decoder is not installed. "
                       "Install the Debian package %s (sudo apt install %s) and try again."),
                     self->name, hint.name ? hint.name : _("needed"), hint.package, hint.package);
      return;
    }

  if (gerr->domain == GST_RESOURCE_ERROR &&
      (gerr->code == GST_RESOURCE_ERROR_NOT_FOUND || gerr->code == GST_RESOURCE_ERROR_OPEN_READ ||
       gerr->code == GST_RESOURCE_ERROR_READ))
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be read: %s."), self->name, gerr->message);
      return;
    }

  if (gerr->domain == GST_STREAM_ERROR)
    {
      if (gerr->code == GST_STREAM_ERROR_TYPE_NOT_FOUND)
        _assay_audio_reader_set_corrupt (self, error,
                                         _("it is not in an audio format Assay knows"));
      else
        _assay_audio_reader_set_corrupt (self, error, gerr->message);
      return;
    }

  g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
               _("The recording “%s” cannot be decoded: %s"), self->name, gerr->message);
}

static AssayAudioOpenResult
gstreamer_open (AssayAudioReader  *self,
                GCancellable      *cancellable,
                GError           **error)
{
  GstreamerDecoder *gs = g_new0 (GstreamerDecoder, 1);
  g_autoptr(GError) gerr = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) conv = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  g_autoptr(GstPad) conv_pad = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstAudioInfo ainfo;
  gint64 deadline = g_get_monotonic_time () + APPSINK_OPEN_LIMIT;
  gint64 duration = -1;
  gboolean prerolled = FALSE;

  gs->missing = g_ptr_array_new_with_free_func (g_free);
  self->decoder_data = gs;

  if (!gst_init_check (NULL, NULL, &gerr))
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
                   _("GStreamer cannot start: %s"), gerr->message);
      return ASSAY_AUDIO_OPEN_ERROR;
    }

  gs->pipeline = gst_parse_launch (
      "filesrc name=src ! decodebin ! audioconvert name=conv ! audioresample quality=2 ! "
      "audio/x-raw,format=S16LE,layout=interleaved,rate=[8000,16000],channels=[1,8] ! "
      "appsink name=sink sync=false max-buffers=64", &gerr);
  if (gs->pipeline == NULL)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                   _("GStreamer's basic elements are missing (%s). Install the Debian packages "
                     "gstreamer1.0-plugins-base and gstreamer1.0-plugins-good."), gerr->message);
      return ASSAY_AUDIO_OPEN_ERROR;
    }
  gst_object_ref_sink (gs->pipeline);
  src = gst_bin_get_by_name (GST_BIN (gs->pipeline), "src");
  conv = gst_bin_get_by_name (GST_BIN (gs->pipeline), "conv");
  gs->sink = gst_bin_get_by_name (GST_BIN (gs->pipeline), "sink");
  g_object_set (src, "location", self->path, NULL);
  gs->bus = gst_element_get_bus (gs->pipeline);

  gst_element_set_state (gs->pipeline, GST_STATE_PAUSED);
  while (!prerolled)
    {
      g_autoptr(GstMessage) msg = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return ASSAY_AUDIO_OPEN_ERROR;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
                       _("GStreamer took too long to open the recording “%s”."), self->name);
          return ASSAY_AUDIO_OPEN_ERROR;
        }
      msg = gst_bus_timed_pop_filtered (gs->bus, APPSINK_POLL_MS * GST_MSECOND,
                                        GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE |
                                        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS);
      if (msg == NULL)
        continue;
      switch (GST_MESSAGE_TYPE (msg))
        {
        case GST_MESSAGE_ELEMENT:
          if (gst_is_missing_plugin_message (msg))
            gstreamer_note_missing (self, msg);
          break;
        case GST_MESSAGE_ERROR:
          gstreamer_set_error_from_message (self, msg, error);
          return ASSAY_AUDIO_OPEN_ERROR;
        case GST_MESSAGE_EOS:
          _assay_audio_reader_set_corrupt (self, error, _("it contains no audio"));
          return ASSAY_AUDIO_OPEN_ERROR;
        case GST_MESSAGE_ASYNC_DONE:
          prerolled = TRUE;
          break;
        default:
          break;
        }
    }

  sink_pad = gst_element_get_static_pad (gs->sink, "sink");
  caps = gst_pad_get_current_caps (sink_pad);
  if (caps == NULL || !gst_audio_info_from_caps (&ainfo, caps))
    {
      _assay_audio_reader_set_corrupt (self, error, _("it has no audio stream"));
      return ASSAY_AUDIO_OPEN_ERROR;
    }
  self->info.rate = (guint) GST_AUDIO_INFO_RATE (&ainfo);
  self->info.channels = (guint) GST_AUDIO_INFO_CHANNELS (&ainfo);
  self->info.source_rate = self->info.rate;
  self->info.source_channels = self->info.channels;
  g_clear_pointer (&caps, gst_caps_unref);

  conv_pad = gst_element_get_static_pad (conv, "sink");
  caps = gst_pad_get_current_caps (conv_pad);
  if (caps != NULL && gst_audio_info_from_caps (&ainfo, caps))
    {
      self->info.source_rate = (guint) GST_AUDIO_INFO_RATE (&ainfo);
      self->info.source_channels = (guint) GST_AUDIO_INFO_CHANNELS (&ainfo);
    }

  if (gst_element_query_duration (gs->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
    self->info.n_frames =
      (gint64) gst_util_uint64_scale ((guint64) duration, self->info.rate, GST_SECOND);
  self->info.decoder = "gstreamer";

  gst_element_set_state (gs->pipeline, GST_STATE_PLAYING);
  return ASSAY_AUDIO_OPEN_OK;
}

static void
gstreamer_release_sample (AssayAudioReader *self)
{
  GstreamerDecoder *gs = self->decoder_data;

  if (gs->mapped)
    gst_buffer_unmap (gst_sample_get_buffer (gs->sample), &gs->map);
  gs->mapped = FALSE;
  g_clear_pointer (&gs->sample, gst_sample_unref);
}

static gboolean
gstreamer_check_bus (AssayAudioReader  *self,
                     GError           **error)
{
  GstreamerDecoder *gs = self->decoder_data;

  for (;;)
    {
      g_autoptr(GstMessage) msg =
        gst_bus_pop_filtered (gs->bus, GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);

      if (msg == NULL)
        return TRUE;
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT)
        {
          if (gst_is_missing_plugin_message (msg))
            gstreamer_note_missing (self, msg);
          continue;
        }
      gstreamer_set_error_from_message (self, msg, error);
      return FALSE;
    }
}

static gboolean
gstreamer_read (AssayAudioReader  *self,
                const gint16     **frames,
                gsize             *n_frames,
                GCancellable      *cancellable,
                GError           **error)
{
  GstreamerDecoder *gs = self->decoder_data;
  gsize frame_bytes = 2 * self->info.channels;

  gstreamer_release_sample (self);
  *frames = self->out;
  *n_frames = 0;

  for (;;)
    {
      GstBuffer *buffer;

      gs->sample =
        gst_app_sink_try_pull_sample (GST_APP_SINK (gs->sink), APPSINK_POLL_MS * GST_MSECOND);
      if (gs->sample == NULL)
        {
          if (!gstreamer_check_bus (self, error))
            return FALSE;
          if (gst_app_sink_is_eos (GST_APP_SINK (gs->sink)))
            {
              gint64 expected = self->info.n_frames;

              /* a container that knew its length but ends well before it was cut off */
              if (expected > 0 && self->frames_out < expected * 9 / 10 - (gint64) self->info.rate)
                {
                  _assay_audio_reader_set_truncated (self, error,
                                                     (double) expected / self->info.rate,
                                                     (double) self->frames_out / self->info.rate);
                  return FALSE;
                }
              return TRUE;
            }
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          continue;
        }

      buffer = gst_sample_get_buffer (gs->sample);
      if (buffer == NULL || !gst_buffer_map (buffer, &gs->map, GST_MAP_READ))
        {
          g_clear_pointer (&gs->sample, gst_sample_unref);
          continue;
        }
      gs->mapped = TRUE;
      if (gs->map.size < frame_bytes)
        {
          gstreamer_release_sample (self);
          continue;
        }
      *frames = (const gint16 *) gs->map.data;
      *n_frames = gs->map.size / frame_bytes;
      return TRUE;
    }
}

static void
gstreamer_clear (AssayAudioReader *self)
{
  GstreamerDecoder *gs = self->decoder_data;

  if (gs == NULL)
    return;
  gstreamer_release_sample (self);
  if (gs->pipeline != NULL)
    gst_element_set_state (gs->pipeline, GST_STATE_NULL);
  g_clear_object (&gs->sink);
  g_clear_object (&gs->bus);
  g_clear_object (&gs->pipeline);
  g_clear_pointer (&gs->missing, g_ptr_array_unref);
  g_clear_pointer (&self->decoder_data, g_free);
}

const AssayAudioDecoder _assay_audio_decoder_gst = {
  .probe = NULL,
  .open = gstreamer_open,
  .read = gstreamer_read,
  .seek = NULL,
  .clear = gstreamer_clear,
};
