/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-player-private.h"
#include "assay-growing-src.h"

#include <glib/gi18n-lib.h>
#include <gst/audio/audio.h>
#include <string.h>

#include "assay-channel-gain.h"
#include "assay-codec-hints.h"
#include "assay-media-error.h"

/*
 * The player's GStreamer side: a playbin with its audio filter (scaletempo) and its output
 * (the channel gain, then the device, or a fake sink that keeps time), fed by playbin's own
 * source or, for a recording still arriving, by an appsrc reading the growing file.
 */

/* playbin's GstPlayFlags (not in a public header). */
#define PLAY_FLAG_VIDEO       (1 << 0)
#define PLAY_FLAG_AUDIO       (1 << 1)
#define PLAY_FLAG_TEXT        (1 << 2)
#define PLAY_FLAG_VIS         (1 << 3)
#define PLAY_FLAG_SOFT_VOLUME (1 << 4)

/* Drops the GStreamer side; the recording's path and the user's settings stay. */
void
_assay_player_teardown_pipeline (AssayPlayer *self)
{
  g_clear_handle_id (&self->bus_watch_id, g_source_remove);
  g_clear_handle_id (&self->position_id, g_source_remove);
  g_clear_handle_id (&self->failure_id, g_source_remove);
  g_clear_handle_id (&self->restart_id, g_source_remove);

  if (self->discoverer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->discoverer, self);
      gst_discoverer_stop (self->discoverer);
      g_clear_object (&self->discoverer);
    }
  /* a source waiting for bytes of a growing file stops waiting, so NULL is reached at once */
  if (self->growing_cancellable != NULL)
    g_cancellable_cancel (self->growing_cancellable);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_object (&self->growing_cancellable);
  g_clear_object (&self->gain);
  g_clear_object (&self->output);
  g_clear_object (&self->pipeline);

  self->prerolled = FALSE;
  self->segment_seek = FALSE;
  self->seeking = FALSE;
  self->duration_from_pipeline = FALSE;
}

GError *
_assay_player_missing_plugin_error (const char *detail,
                                    const char *description)
{
  AssayCodecHint hint;

  if (!assay_codec_hint_lookup (detail, &hint))
    {
      hint.kind = ASSAY_CODEC_HINT_ELEMENT;
      hint.name = NULL;
      hint.package = "gstreamer1.0-libav";
    }

  if (hint.name != NULL && hint.kind == ASSAY_CODEC_HINT_DECODER)
    return g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                        /* Translators: the first %s is an audio format (GSM, MP3, ...), the
                         * second a Debian package name. */
                        _("Assay cannot play this recording: the %s audio decoder is missing. "
                          "Install the Debian package %s."),
                        hint.name, hint.package);
  if (hint.name != NULL && hint.kind == ASSAY_CODEC_HINT_CONTAINER)
    return g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                        /* Translators: the first %s is a file format (Ogg, WAV, ...), the
                         * second a Debian package name. */
                        _("Assay cannot play this recording: the reader for %s files is "
                          "missing. Install the Debian package %s."),
                        hint.name, hint.package);
  return g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                      /* Translators: the first %s names a GStreamer plugin as GStreamer
                       * describes it, the second is a Debian package name. */
                      _("Assay cannot play this recording: a GStreamer plugin (%s) is missing. "
                        "Install the Debian package %s."),
                      description != NULL ? description : (hint.name != NULL ? hint.name : "?"),
                      hint.package);
}

gboolean
_assay_player_element_is_fake_sink (GstElement *element)
{
  const char *type_name = G_OBJECT_TYPE_NAME (element);

  if (GST_IS_BIN (element))
    {
      gboolean fake = FALSE;

      for (GList *l = GST_BIN (element)->children; l != NULL && !fake; l = l->next)
        fake = _assay_player_element_is_fake_sink (l->data);
      return fake;
    }
  return g_str_equal (type_name, "GstFakeSink") || g_str_equal (type_name, "GstFakeAudioSink");
}

/* Makes the named elements, or says which plugin package is missing. */
static gboolean
make_elements (const char * const  *names,
               GstElement         **elements,
               guint                n_elements,
               GError             **error)
{
  for (guint i = 0; i < n_elements; i++)
    {
      elements[i] = gst_element_factory_make (names[i], NULL);
      if (elements[i] == NULL)
        {
          g_autofree char *detail = g_strconcat ("element-", names[i], NULL);

          for (guint j = 0; j < i; j++)
            gst_object_unref (gst_object_ref_sink (elements[j]));
          *error = _assay_player_missing_plugin_error (detail, names[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static void
add_ghost_pad (GstElement *bin,
               GstElement *element,
               const char *name)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (element, name);

  gst_element_add_pad (bin, gst_ghost_pad_new (name, pad));
}

/* playbin's audio filter: convert to float, then scaletempo, which keeps the pitch at any
 * rate. (Rate changes flush, so it does not matter that playsink queues after the filter.) */
static GstElement *
make_filter (GError **error)
{
  static const char * const names[] = { "audioconvert", "capsfilter", "scaletempo" };
  GstElement *elements[G_N_ELEMENTS (names)];
  g_autoptr(GstCaps) caps = NULL;
  GstElement *bin;

  if (!make_elements (names, elements, G_N_ELEMENTS (names), error))
    return NULL;

  bin = gst_bin_new ("assay-audio-filter");
  caps = gst_caps_from_string ("audio/x-raw, format=(string)" GST_AUDIO_NE (F32)
                               ", layout=(string)interleaved");
  g_object_set (elements[1], "caps", caps, NULL);
  gst_bin_add_many (GST_BIN (bin), elements[0], elements[1], elements[2], NULL);
  gst_element_link_many (elements[0], elements[1], elements[2], NULL);
  add_ghost_pad (bin, elements[0], "sink");
  add_ghost_pad (bin, elements[2], "src");
  return bin;
}

/* The device's sink as configured (see the class comment), or a fake one as a fallback. */
static GstElement *
make_device_sink (AssayPlayer  *self,
                  GError      **error)
{
  g_autoptr(GError) parse_error = NULL;
  const char *description = NULL;
  gboolean configured = FALSE;
  GstElement *sink;

  if (self->fallback_sink)
    description = "fakesink";
  else if (self->sink_description != NULL)
    {
      description = self->sink_description;
      configured = TRUE;
    }
  else if (g_getenv ("ASSAY_AUDIO_SINK") != NULL && *g_getenv ("ASSAY_AUDIO_SINK") != '\0')
    {
      description = g_getenv ("ASSAY_AUDIO_SINK");
      configured = TRUE;
    }
  else
    description = "autoaudiosink";

  if (strchr (description, '!') != NULL)
    sink = gst_parse_bin_from_description (description, TRUE, &parse_error);
  else
    sink = gst_parse_launch (description, &parse_error);

  if (sink == NULL || (parse_error != NULL && configured))
    {
      if (sink != NULL)
        gst_object_unref (gst_object_ref_sink (sink));
      if (parse_error == NULL
          || g_error_matches (parse_error, GST_PARSE_ERROR, GST_PARSE_ERROR_NO_SUCH_ELEMENT))
        {
          g_autofree char *detail = g_strconcat ("element-", description, NULL);

          *error = _assay_player_missing_plugin_error (detail, description);
        }
      else
        *error = g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
                              _("The audio output “%s” cannot be used: %s"), description,
                              parse_error->message);
      return NULL;
    }

  /* Fake sinks run as fast as they can unless told to keep to the clock. */
  if ((self->fallback_sink || strstr (description, "sync") == NULL)
      && g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "sync") != NULL)
    g_object_set (sink, "sync", TRUE, NULL);

  return sink;
}

/* playbin's audio sink: the channel gain, then the device. The gain sits here, after
 * playsink's queue, so that a volume or solo change is heard at once instead of a queue
 * (about a second) later. */
static GstElement *
make_output (AssayPlayer  *self,
             GError      **error)
{
  static const char * const names[] = { "audioconvert", "audioresample" };
  GstElement *elements[G_N_ELEMENTS (names)];
  GstElement *sink;
  GstElement *bin;

  if (!make_elements (names, elements, G_N_ELEMENTS (names), error))
    return NULL;
  sink = make_device_sink (self, error);
  if (sink == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        gst_object_unref (gst_object_ref_sink (elements[i]));
      return NULL;
    }

  bin = gst_bin_new ("assay-audio-output");
  self->gain = gst_object_ref (assay_channel_gain_new ("channel-gain"));
  self->output = gst_object_ref (bin);
  gst_bin_add_many (GST_BIN (bin), self->gain, elements[0], elements[1], sink, NULL);
  gst_element_link_many (self->gain, elements[0], elements[1], sink, NULL);
  add_ghost_pad (bin, self->gain, "sink");
  return bin;
}

/* playbin made the "appsrc://" source: feed it from the growing file */
static void
growing_source_setup_cb (GstElement  *playbin,
                         GstElement  *source,
                         AssayPlayer *self)
{
  if (self->growing != NULL && self->growing_cancellable != NULL)
    assay_growing_src_attach (source, self->growing, self->growing_cancellable);
}

gboolean
_assay_player_build_pipeline (AssayPlayer  *self,
                              GError      **error)
{
  g_autoptr(GError) uri_error = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *filter;
  GstElement *output;
  guint flags;

  /* GStreamer starts with the first recording opened, not with the window */
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  g_free (self->uri);
  if (self->growing != NULL)
    self->uri = g_strdup ("appsrc://");
  else
    self->uri = gst_filename_to_uri (self->path, &uri_error);
  if (self->uri == NULL)
    {
      g_autofree char *name = _assay_player_display_name (self);

      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be found or cannot be read. Check that the "
                     "file exists and that you may read it."),
                   name);
      return FALSE;
    }

  self->pipeline = gst_element_factory_make ("playbin", "assay-player");
  if (self->pipeline == NULL)
    {
      *error = _assay_player_missing_plugin_error ("element-playbin", "playbin");
      return FALSE;
    }
  gst_object_ref_sink (self->pipeline);

  filter = make_filter (error);
  if (filter == NULL)
    return FALSE;
  output = make_output (self, error);
  if (output == NULL)
    {
      gst_object_unref (gst_object_ref_sink (filter));
      return FALSE;
    }

  g_object_get (self->pipeline, "flags", &flags, NULL);
  flags &= ~(PLAY_FLAG_VIDEO | PLAY_FLAG_TEXT | PLAY_FLAG_VIS);
  flags |= PLAY_FLAG_AUDIO | PLAY_FLAG_SOFT_VOLUME;
  g_object_set (self->pipeline,
                "uri", self->uri,
                "flags", flags,
                "audio-filter", filter,
                "audio-sink", output,
                NULL);

  if (self->growing != NULL)
    {
      self->growing_cancellable = g_cancellable_new ();
      g_signal_connect (self->pipeline, "source-setup", G_CALLBACK (growing_source_setup_cb), self);
    }

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch_id = gst_bus_add_watch (bus, _assay_player_bus_message_cb, self);
  return TRUE;
}
