/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-player-private.h"
#include "assay-growing-src.h"

#include <glib/gi18n-lib.h>
#include <gst/pbutils/pbutils.h>
#include <math.h>
#include <string.h>

#include "assay-channel-gain.h"
#include "assay-media-error.h"
#include "assay-codec-hints.h"
#include "core/assay-util.h"

/* The position follows playback at about 30 Hz. */
#define POSITION_INTERVAL_MS 33
/* How far past the loop end the position may get before the player loops by itself, in
 * case a demuxer ignored the segment's stop. */
#define LOOP_SLACK_MS 250

/* playbin's GstPlayFlags (not in a public header). */
#define PLAY_FLAG_VIDEO       (1 << 0)
#define PLAY_FLAG_AUDIO       (1 << 1)
#define PLAY_FLAG_TEXT        (1 << 2)
#define PLAY_FLAG_VIS         (1 << 3)
#define PLAY_FLAG_SOFT_VOLUME (1 << 4)

struct _AssayPlayer
{
  GObject           parent_instance;

  GstElement       *pipeline;
  GstElement       *output;          /* the audio sink bin, which ends in the device sink */
  GstElement       *gain;
  GstDiscoverer    *discoverer;
  guint             bus_watch_id;
  guint             position_id;
  guint             failure_id;
  guint             restart_id;

  char             *path;
  char             *uri;
  AssayGrowingFile *growing;         /* a recording still arriving, or NULL */
  GCancellable     *growing_cancellable;
  char             *sink_description;
  AssayPlayerState  state;
  gint64            duration;
  gint64            position;
  int               channels;
  GError           *error;
  gboolean          no_audio_device;
  gboolean          fallback_sink;

  double            rate;
  double            agent_volume;
  double            customer_volume;
  AssayPlayerSolo   solo;
  guint             agent_channel;
  gint64            loop_start;
  gint64            loop_end;

  gboolean          prerolled;
  gboolean          want_playing;
  gint64            pending_seek;
  gboolean          segment_seek;
  gboolean          seeking;
  guint             seek_ticks;
  gboolean          duration_from_pipeline;

  char             *missing_detail;
  char             *missing_description;
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_STATE,
  PROP_DURATION,
  PROP_POSITION,
  PROP_CHANNELS,
  PROP_ERROR,
  PROP_NO_AUDIO_DEVICE,
  PROP_RATE,
  PROP_AGENT_VOLUME,
  PROP_CUSTOMER_VOLUME,
  PROP_SOLO,
  PROP_AGENT_CHANNEL,
  PROP_LOOP_START,
  PROP_LOOP_END,
  N_PROPS
};

enum {
  LOOPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (AssayPlayerState, assay_player_state,
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_EMPTY, "empty"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_PLAYING, "playing"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_ENDED, "ended"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_ERROR, "error"))

G_DEFINE_ENUM_TYPE (AssayPlayerSolo, assay_player_solo,
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_SOLO_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_SOLO_AGENT, "agent"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_SOLO_CUSTOMER, "customer"))

G_DEFINE_FINAL_TYPE (AssayPlayer, assay_player, G_TYPE_OBJECT)

static gboolean position_tick_cb (gpointer user_data);
static gboolean bus_message_cb (GstBus     *bus,
                                GstMessage *message,
                                gpointer    user_data);

static gboolean
loop_active (AssayPlayer *self)
{
  return self->loop_start >= 0 && self->loop_end > self->loop_start;
}

static gint64
clamp_to_duration (AssayPlayer *self,
                   gint64       ms)
{
  if (ms < 0)
    ms = 0;
  if (self->duration > 0 && ms > self->duration)
    ms = self->duration;
  return ms;
}

static void
set_position (AssayPlayer *self,
              gint64       position)
{
  position = clamp_to_duration (self, position);
  if (self->position == position)
    return;
  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
set_duration (AssayPlayer *self,
              gint64       duration)
{
  if (self->duration == duration)
    return;
  self->duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

static void
set_channels (AssayPlayer *self,
              int          channels)
{
  if (self->channels == channels)
    return;
  self->channels = channels;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNELS]);
}

static void
set_no_audio_device (AssayPlayer *self,
                     gboolean     no_audio_device)
{
  if (self->no_audio_device == no_audio_device)
    return;
  self->no_audio_device = no_audio_device;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_AUDIO_DEVICE]);
}

static void
set_state (AssayPlayer      *self,
           AssayPlayerState  state)
{
  if (self->state == state)
    return;
  self->state = state;

  /* The position only moves by itself while playing: poll it then, and only then. */
  if (state == ASSAY_PLAYER_STATE_PLAYING && self->position_id == 0)
    self->position_id = g_timeout_add (POSITION_INTERVAL_MS, position_tick_cb, self);
  else if (state != ASSAY_PLAYER_STATE_PLAYING)
    g_clear_handle_id (&self->position_id, g_source_remove);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
clear_missing_plugin (AssayPlayer *self)
{
  g_clear_pointer (&self->missing_detail, g_free);
  g_clear_pointer (&self->missing_description, g_free);
}

/* Drops the GStreamer side; the recording's path and the user's settings stay. */
static void
teardown_pipeline (AssayPlayer *self)
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  set_state (self, ASSAY_PLAYER_STATE_ERROR);
}

static char *
display_name (AssayPlayer *self)
{
  return self->path != NULL ? g_filename_display_basename (self->path) : g_strdup ("");
}

static GError *
missing_plugin_error (const char *detail,
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

/* Turns a GStreamer error into one the user can act on. */
static GError *
translate_error (AssayPlayer  *self,
                 const GError *gst_error)
{
  g_autofree char *name = display_name (self);

  if (self->missing_detail != NULL
      || g_error_matches (gst_error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN)
      || g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    return missing_plugin_error (self->missing_detail, self->missing_description);

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

static void
update_gains (AssayPlayer *self)
{
  double agent, customer;

  if (self->gain == NULL)
    return;

  agent = self->solo == ASSAY_PLAYER_SOLO_CUSTOMER ? 0.0 : self->agent_volume;
  customer = self->solo == ASSAY_PLAYER_SOLO_AGENT ? 0.0 : self->customer_volume;
  if (self->agent_channel == 0)
    assay_channel_gain_set_gains (ASSAY_CHANNEL_GAIN (self->gain), agent, customer);
  else
    assay_channel_gain_set_gains (ASSAY_CHANNEL_GAIN (self->gain), customer, agent);
}

static gboolean
query_position (AssayPlayer *self,
                gint64      *out_ms)
{
  gint64 ns;

  if (self->pipeline == NULL || !self->prerolled
      || !gst_element_query_position (self->pipeline, GST_FORMAT_TIME, &ns) || ns < 0)
    return FALSE;
  *out_ms = clamp_to_duration (self, ns / GST_MSECOND);
  return TRUE;
}

static void
update_position (AssayPlayer *self)
{
  gint64 ms;

  if (query_position (self, &ms))
    set_position (self, ms);
}

static gboolean
update_duration (AssayPlayer *self)
{
  gint64 ns;

  if (self->pipeline == NULL
      || !gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &ns) || ns <= 0)
    return FALSE;

  self->duration_from_pipeline = TRUE;
  set_duration (self, (ns + GST_MSECOND / 2) / GST_MSECOND);
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
  set_duration (self, (gint64) ((ns + GST_MSECOND / 2) / GST_MSECOND));
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

/* The one place seeks are made: every seek carries the rate and, inside a loop, the loop's
 * end as the segment's stop, so a rate change or a seek never loses either. */
static void
do_seek (AssayPlayer *self,
         gint64       target,
         gboolean     flush)
{
  GstSeekFlags flags = GST_SEEK_FLAG_ACCURATE;
  gint64 stop = -1;

  if (self->pipeline == NULL)
    return;

  target = clamp_to_duration (self, target);
  if (!self->prerolled)
    {
      self->pending_seek = target;
      set_position (self, target);
      return;
    }

  if (flush)
    flags |= GST_SEEK_FLAG_FLUSH;
  self->segment_seek = loop_active (self) && target < self->loop_end;
  if (self->segment_seek)
    {
      flags |= GST_SEEK_FLAG_SEGMENT;
      stop = self->loop_end * GST_MSECOND;
    }

  /* A stop of -1 set explicitly: GST_SEEK_TYPE_NONE would keep an old loop end. */
  if (!gst_element_seek (self->pipeline, self->rate, GST_FORMAT_TIME, flags,
                         GST_SEEK_TYPE_SET, target * GST_MSECOND, GST_SEEK_TYPE_SET, stop))
    {
      g_debug ("Seek to %" G_GINT64_FORMAT " ms was refused", target);
      return;
    }

  /* A flushing seek moves what is heard now; the position follows at once, and the position
   * poll waits for the seek to finish (ASYNC_DONE) instead of reading stale positions. A
   * non-flushing seek only queues the next stretch of audio behind what is playing. */
  if (flush)
    {
      self->seeking = TRUE;
      self->seek_ticks = 0;
      set_position (self, target);
    }
}

/* Jumps back to the loop's start now (at the end of the stream, or when a demuxer overran
 * the loop's end). */
static void
loop_back (AssayPlayer *self)
{
  do_seek (self, self->loop_start, TRUE);
  g_signal_emit (self, signals[LOOPED], 0);
}

static gboolean
element_is_fake_sink (GstElement *element)
{
  const char *type_name = G_OBJECT_TYPE_NAME (element);

  if (GST_IS_BIN (element))
    {
      gboolean fake = FALSE;

      for (GList *l = GST_BIN (element)->children; l != NULL && !fake; l = l->next)
        fake = element_is_fake_sink (l->data);
      return fake;
    }
  return g_str_equal (type_name, "GstFakeSink") || g_str_equal (type_name, "GstFakeAudioSink");
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
  set_channels (self, channels);
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
  update_gains (self);

  GST_OBJECT_LOCK (self->output);
  fake = element_is_fake_sink (self->output);
  GST_OBJECT_UNLOCK (self->output);
  set_no_audio_device (self, self->fallback_sink || fake);

  /* Carry out what was asked for while loading. */
  target = self->pending_seek;
  self->pending_seek = -1;
  if (loop_active (self) && self->duration > 0 && self->loop_end > self->duration)
    {
      if (self->duration <= self->loop_start)
        assay_player_clear_loop (self);
      else
        {
          self->loop_end = self->duration;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP_END]);
        }
    }
  if (target >= 0 || self->rate != 1.0 || loop_active (self))
    do_seek (self, target >= 0 ? target : 0, TRUE);
  else
    set_position (self, 0);

  if (self->want_playing)
    {
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
      set_state (self, ASSAY_PLAYER_STATE_PLAYING);
    }
  else
    set_state (self, ASSAY_PLAYER_STATE_PAUSED);
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
          *error = missing_plugin_error (detail, names[i]);
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

          *error = missing_plugin_error (detail, description);
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

static gboolean
build_pipeline (AssayPlayer  *self,
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
      g_autofree char *name = display_name (self);

      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be found or cannot be read. Check that the "
                     "file exists and that you may read it."),
                   name);
      return FALSE;
    }

  self->pipeline = gst_element_factory_make ("playbin", "assay-player");
  if (self->pipeline == NULL)
    {
      *error = missing_plugin_error ("element-playbin", "playbin");
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
  self->bus_watch_id = gst_bus_add_watch (bus, bus_message_cb, self);
  return TRUE;
}

static gboolean
failure_cb (gpointer user_data)
{
  AssayPlayer *self = user_data;

  self->failure_id = 0;
  /* Normally an error message on the bus has already said what went wrong. */
  if (self->state == ASSAY_PLAYER_STATE_LOADING && self->restart_id == 0)
    {
      g_autofree char *name = display_name (self);

      fail (self, g_error_new (ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
                               _("Assay cannot start playing the recording “%s”."), name));
    }
  return G_SOURCE_REMOVE;
}

static void
start_loading (AssayPlayer *self)
{
  g_autoptr(GError) error = NULL;

  set_state (self, ASSAY_PLAYER_STATE_LOADING);
  if (!build_pipeline (self, &error))
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
  teardown_pipeline (self);
  start_loading (self);
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

  if (loop_active (self))
    {
      loop_back (self);
      return;
    }

  self->want_playing = FALSE;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  if (self->duration > 0)
    set_position (self, self->duration);
  else
    update_position (self);
  set_state (self, ASSAY_PLAYER_STATE_ENDED);
}

static gboolean
bus_message_cb (GstBus     *bus,
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
        update_position (self);
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      if (self->prerolled)
        update_duration (self);
      break;

    case GST_MESSAGE_SEGMENT_DONE:
      /* The demuxer has sent the loop's last sample (it is not heard yet): queue the loop
       * again behind it, without a flush, so the audio does not gap. The position poll
       * reports the jump when it is heard. */
      if (self->segment_seek && loop_active (self))
        do_seek (self, self->loop_start, FALSE);
      break;

    case GST_MESSAGE_EOS:
      handle_eos (self);
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
position_tick_cb (gpointer user_data)
{
  AssayPlayer *self = user_data;
  gboolean wrapped = FALSE;
  gint64 ms;

  if (!query_position (self, &ms))
    return G_SOURCE_CONTINUE;

  /* Until a flushing seek completes (ASYNC_DONE) the pipeline may still report the old
   * position; after half a second without it, trust the pipeline again. */
  if (self->seeking && ++self->seek_ticks < 500 / POSITION_INTERVAL_MS)
    return G_SOURCE_CONTINUE;
  self->seeking = FALSE;

  if (self->segment_seek && loop_active (self))
    {
      if (ms > self->loop_end + LOOP_SLACK_MS)
        {
          loop_back (self);
          return G_SOURCE_CONTINUE;
        }
      /* Going backwards by itself inside the loop: the queued loop is being heard. */
      wrapped = ms < self->position && ms >= self->loop_start && self->position >= self->loop_start;
    }

  set_position (self, ms);
  if (wrapped)
    g_signal_emit (self, signals[LOOPED], 0);

  return G_SOURCE_CONTINUE;
}

static void
assay_player_dispose (GObject *object)
{
  AssayPlayer *self = ASSAY_PLAYER (object);

  teardown_pipeline (self);
  g_clear_object (&self->growing);

  G_OBJECT_CLASS (assay_player_parent_class)->dispose (object);
}

static void
assay_player_finalize (GObject *object)
{
  AssayPlayer *self = ASSAY_PLAYER (object);

  g_free (self->path);
  g_free (self->uri);
  g_free (self->sink_description);
  g_clear_error (&self->error);
  clear_missing_plugin (self);

  G_OBJECT_CLASS (assay_player_parent_class)->finalize (object);
}

static void
assay_player_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AssayPlayer *self = ASSAY_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_CHANNELS:
      g_value_set_int (value, self->channels);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_NO_AUDIO_DEVICE:
      g_value_set_boolean (value, self->no_audio_device);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_AGENT_VOLUME:
      g_value_set_double (value, self->agent_volume);
      break;
    case PROP_CUSTOMER_VOLUME:
      g_value_set_double (value, self->customer_volume);
      break;
    case PROP_SOLO:
      g_value_set_enum (value, self->solo);
      break;
    case PROP_AGENT_CHANNEL:
      g_value_set_uint (value, self->agent_channel);
      break;
    case PROP_LOOP_START:
      g_value_set_int64 (value, self->loop_start);
      break;
    case PROP_LOOP_END:
      g_value_set_int64 (value, self->loop_end);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_player_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AssayPlayer *self = ASSAY_PLAYER (object);

  switch (prop_id)
    {
    case PROP_RATE:
      assay_player_set_rate (self, g_value_get_double (value));
      break;
    case PROP_AGENT_VOLUME:
      assay_player_set_agent_volume (self, g_value_get_double (value));
      break;
    case PROP_CUSTOMER_VOLUME:
      assay_player_set_customer_volume (self, g_value_get_double (value));
      break;
    case PROP_SOLO:
      assay_player_set_solo (self, g_value_get_enum (value));
      break;
    case PROP_AGENT_CHANNEL:
      assay_player_set_agent_channel (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_player_class_init (AssayPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = assay_player_dispose;
  object_class->finalize = assay_player_finalize;
  object_class->get_property = assay_player_get_property;
  object_class->set_property = assay_player_set_property;

  /** AssayPlayer:path: the file of the open recording, or %NULL. */
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, ro);
  /** AssayPlayer:state: see #AssayPlayerState. */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ASSAY_TYPE_PLAYER_STATE, ASSAY_PLAYER_STATE_EMPTY,
                       ro);
  /** AssayPlayer:duration: the recording's length in milliseconds, 0 while unknown. */
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /** AssayPlayer:position: the playback position in milliseconds. */
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /** AssayPlayer:channels: 1 for mono, 2 for stereo, 0 while unknown. */
  properties[PROP_CHANNELS] = g_param_spec_int ("channels", NULL, NULL, 0, G_MAXINT, 0, ro);
  /** AssayPlayer:error: why the recording cannot be played (%ASSAY_MEDIA_ERROR), or %NULL. */
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  /** AssayPlayer:no-audio-device: playback goes nowhere audible (no sound device). */
  properties[PROP_NO_AUDIO_DEVICE] =
    g_param_spec_boolean ("no-audio-device", NULL, NULL, FALSE, ro);
  /** AssayPlayer:rate: playback speed, 0.5 to 2.0; the pitch stays the same. */
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, ASSAY_PLAYER_MIN_RATE, ASSAY_PLAYER_MAX_RATE, 1.0,
                         rw);
  /** AssayPlayer:agent-volume: the agent channel's volume, 0 to 1 (stereo only). */
  properties[PROP_AGENT_VOLUME] =
    g_param_spec_double ("agent-volume", NULL, NULL, 0.0, 1.0, 1.0, rw);
  /** AssayPlayer:customer-volume: the customer channel's volume, 0 to 1 (stereo only). */
  properties[PROP_CUSTOMER_VOLUME] =
    g_param_spec_double ("customer-volume", NULL, NULL, 0.0, 1.0, 1.0, rw);
  /** AssayPlayer:solo: which party alone to hear (stereo only). */
  properties[PROP_SOLO] =
    g_param_spec_enum ("solo", NULL, NULL, ASSAY_TYPE_PLAYER_SOLO, ASSAY_PLAYER_SOLO_NONE, rw);
  /** AssayPlayer:agent-channel: which stereo channel (0 left, 1 right) holds the agent. */
  properties[PROP_AGENT_CHANNEL] =
    g_param_spec_uint ("agent-channel", NULL, NULL, 0, 1, 0, rw);
  /** AssayPlayer:loop-start: start of the looped region in milliseconds, -1 without a loop. */
  properties[PROP_LOOP_START] =
    g_param_spec_int64 ("loop-start", NULL, NULL, -1, G_MAXINT64, -1, ro);
  /** AssayPlayer:loop-end: end of the looped region in milliseconds, -1 without a loop. */
  properties[PROP_LOOP_END] =
    g_param_spec_int64 ("loop-end", NULL, NULL, -1, G_MAXINT64, -1, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AssayPlayer::looped:
   * Playback reached the end of the looped region and went back to its start.
   */
  signals[LOOPED] = g_signal_new ("looped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
assay_player_init (AssayPlayer *self)
{
  self->state = ASSAY_PLAYER_STATE_EMPTY;
  self->rate = 1.0;
  self->agent_volume = 1.0;
  self->customer_volume = 1.0;
  self->solo = ASSAY_PLAYER_SOLO_NONE;
  self->agent_channel = 0;
  self->loop_start = -1;
  self->loop_end = -1;
  self->pending_seek = -1;
}

/**
 * assay_player_new:
 * Returns: (transfer full): a player with nothing open. Initialises GStreamer if needed.
 */
AssayPlayer *
assay_player_new (void)
{
  return g_object_new (ASSAY_TYPE_PLAYER, NULL);
}

/**
 * assay_player_open:
 * @path: the recording's file
 *
 * Starts loading @path, replacing what was open. The player goes to LOADING and then to
 * PAUSED (with #AssayPlayer:duration set) or to ERROR. The rate, volumes and solo are kept;
 * the loop is cleared.
 */
static void open_path (AssayPlayer *self,
                       const char  *path);

void
assay_player_open (AssayPlayer *self,
                   const char  *path)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  g_return_if_fail (path != NULL);

  teardown_pipeline (self);
  g_clear_object (&self->growing);
  open_path (self, path);
}

void
assay_player_open_growing (AssayPlayer      *self,
                           AssayGrowingFile *file,
                           const char       *path)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  g_return_if_fail (ASSAY_IS_GROWING_FILE (file));
  g_return_if_fail (path != NULL);

  teardown_pipeline (self);
  g_set_object (&self->growing, file);
  open_path (self, path);
}

static void
open_path (AssayPlayer *self,
           const char  *path)
{
  g_object_freeze_notify (G_OBJECT (self));

  teardown_pipeline (self);
  clear_missing_plugin (self);
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (assay_set_str (&self->path, path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);

  self->want_playing = FALSE;
  self->pending_seek = -1;
  self->fallback_sink = FALSE;
  assay_player_clear_loop (self);
  set_duration (self, 0);
  set_position (self, 0);
  set_channels (self, 0);
  set_no_audio_device (self, FALSE);

  start_loading (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * assay_player_close:
 * Closes the recording and releases the audio device; the player goes back to EMPTY.
 */
void
assay_player_close (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  g_object_freeze_notify (G_OBJECT (self));
  teardown_pipeline (self);
  g_clear_object (&self->growing);
  clear_missing_plugin (self);
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (assay_set_str (&self->path, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  self->want_playing = FALSE;
  self->pending_seek = -1;
  self->fallback_sink = FALSE;
  assay_player_clear_loop (self);
  set_duration (self, 0);
  set_position (self, 0);
  set_channels (self, 0);
  set_no_audio_device (self, FALSE);
  set_state (self, ASSAY_PLAYER_STATE_EMPTY);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * assay_player_play:
 * Plays from the position; from ENDED, plays again from the start (or the loop's start).
 * While LOADING, playback starts as soon as the recording is ready.
 */
void
assay_player_play (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  switch (self->state)
    {
    case ASSAY_PLAYER_STATE_LOADING:
      self->want_playing = TRUE;
      break;

    case ASSAY_PLAYER_STATE_ENDED:
      do_seek (self, loop_active (self) ? self->loop_start : 0, TRUE);
      G_GNUC_FALLTHROUGH;
    case ASSAY_PLAYER_STATE_PAUSED:
      self->want_playing = TRUE;
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
      set_state (self, ASSAY_PLAYER_STATE_PLAYING);
      break;

    case ASSAY_PLAYER_STATE_EMPTY:
    case ASSAY_PLAYER_STATE_PLAYING:
    case ASSAY_PLAYER_STATE_ERROR:
    default:
      break;
    }
}

/**
 * assay_player_pause:
 * Pauses playback (or, while LOADING, cancels a pending play).
 */
void
assay_player_pause (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  self->want_playing = FALSE;
  if (self->state != ASSAY_PLAYER_STATE_PLAYING)
    return;

  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  update_position (self);
  set_state (self, ASSAY_PLAYER_STATE_PAUSED);
}

/**
 * assay_player_toggle:
 * Pauses when playing (or about to play), plays otherwise.
 */
void
assay_player_toggle (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (self->state == ASSAY_PLAYER_STATE_PLAYING
      || (self->state == ASSAY_PLAYER_STATE_LOADING && self->want_playing))
    assay_player_pause (self);
  else
    assay_player_play (self);
}

/**
 * assay_player_stop:
 * Pauses and goes back to the start of the recording.
 */
void
assay_player_stop (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  assay_player_pause (self);
  assay_player_seek (self, 0);
}

/**
 * assay_player_seek:
 * @position_ms: where to go, clamped to the recording
 *
 * Moves the playback position. From ENDED the player becomes PAUSED at @position_ms.
 * A loop applies again whenever the new position is before its end.
 */
void
assay_player_seek (AssayPlayer *self,
                   gint64       position_ms)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (self->pipeline == NULL || self->state == ASSAY_PLAYER_STATE_EMPTY
      || self->state == ASSAY_PLAYER_STATE_ERROR)
    return;

  if (self->state == ASSAY_PLAYER_STATE_ENDED)
    set_state (self, ASSAY_PLAYER_STATE_PAUSED);
  do_seek (self, position_ms, TRUE);
}

/**
 * assay_player_skip:
 * @delta_ms: how far to move, negative to go back (±5000 for the usual buttons)
 *
 * Seeks relative to the position, clamped to the start and the end of the recording.
 */
void
assay_player_skip (AssayPlayer *self,
                   gint64       delta_ms)
{
  gint64 position;

  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (!query_position (self, &position))
    position = self->position;
  assay_player_seek (self, clamp_to_duration (self, position + delta_ms));
}

/**
 * assay_player_set_loop:
 * @start_ms: the region's start
 * @end_ms: the region's end; a region with @end_ms <= @start_ms turns the loop off
 *
 * Loops playback over a region: when playback reaches @end_ms it goes on from @start_ms,
 * seamlessly. When the position is outside the region it moves to @start_ms. A seek past
 * the region's end plays on to the end of the recording.
 */
void
assay_player_set_loop (AssayPlayer *self,
                       gint64       start_ms,
                       gint64       end_ms)
{
  gint64 position;

  g_return_if_fail (ASSAY_IS_PLAYER (self));

  start_ms = clamp_to_duration (self, start_ms);
  end_ms = clamp_to_duration (self, end_ms);
  if (end_ms <= start_ms)
    {
      assay_player_clear_loop (self);
      return;
    }
  if (self->loop_start == start_ms && self->loop_end == end_ms)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->loop_start != start_ms)
    {
      self->loop_start = start_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP_START]);
    }
  if (self->loop_end != end_ms)
    {
      self->loop_end = end_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP_END]);
    }

  if (self->state == ASSAY_PLAYER_STATE_PAUSED || self->state == ASSAY_PLAYER_STATE_PLAYING)
    {
      if (!query_position (self, &position))
        position = self->position;
      if (position < start_ms || position >= end_ms)
        position = start_ms;
      do_seek (self, position, TRUE);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * assay_player_clear_loop:
 * Turns the loop off; playback goes on from where it is.
 */
void
assay_player_clear_loop (AssayPlayer *self)
{
  gint64 position;

  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (self->loop_start == -1 && self->loop_end == -1)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->loop_start = -1;
  self->loop_end = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP_START]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP_END]);

  /* The current segment still stops at the old loop end: replace it. */
  if (self->segment_seek
      && (self->state == ASSAY_PLAYER_STATE_PAUSED || self->state == ASSAY_PLAYER_STATE_PLAYING))
    {
      if (!query_position (self, &position))
        position = self->position;
      do_seek (self, position, TRUE);
    }
  self->segment_seek = FALSE;
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
assay_player_get_path (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), NULL);
  return self->path;
}

AssayPlayerState
assay_player_get_state (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), ASSAY_PLAYER_STATE_EMPTY);
  return self->state;
}

gint64
assay_player_get_duration (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 0);
  return self->duration;
}

gint64
assay_player_get_position (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 0);
  return self->position;
}

int
assay_player_get_channels (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 0);
  return self->channels;
}

/**
 * assay_player_get_error:
 * Returns: (nullable) (transfer none): why the recording cannot be played, in the
 *   %ASSAY_MEDIA_ERROR domain, or %NULL.
 */
const GError *
assay_player_get_error (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), NULL);
  return self->error;
}

gboolean
assay_player_get_no_audio_device (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), FALSE);
  return self->no_audio_device;
}

gint64
assay_player_get_loop_start (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), -1);
  return self->loop_start;
}

gint64
assay_player_get_loop_end (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), -1);
  return self->loop_end;
}

double
assay_player_get_rate (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 1.0);
  return self->rate;
}

/**
 * assay_player_set_rate:
 * @rate: the speed, clamped to 0.5–2.0
 *
 * Changes the playback speed, keeping the pitch. Playback goes on from the same position.
 */
void
assay_player_set_rate (AssayPlayer *self,
                       double       rate)
{
  gint64 position;

  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (isnan (rate))
    return;
  rate = CLAMP (rate, ASSAY_PLAYER_MIN_RATE, ASSAY_PLAYER_MAX_RATE);
  if (self->rate == rate)
    return;
  self->rate = rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);

  /* A rate is a property of the segment: seek to where we are with the new rate. From ENDED
   * the next play seeks anyway, and while loading the first seek carries it. */
  if (self->prerolled
      && (self->state == ASSAY_PLAYER_STATE_PAUSED || self->state == ASSAY_PLAYER_STATE_PLAYING))
    {
      if (!query_position (self, &position))
        position = self->position;
      do_seek (self, position, TRUE);
    }
}

double
assay_player_get_agent_volume (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 1.0);
  return self->agent_volume;
}

/**
 * assay_player_set_agent_volume:
 * @volume: 0 (silent) to 1 (as recorded)
 *
 * Sets the volume of the agent's channel of a stereo recording, at once.
 */
void
assay_player_set_agent_volume (AssayPlayer *self,
                               double       volume)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (isnan (volume))
    return;
  volume = CLAMP (volume, 0.0, 1.0);
  if (self->agent_volume == volume)
    return;
  self->agent_volume = volume;
  update_gains (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_VOLUME]);
}

double
assay_player_get_customer_volume (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 1.0);
  return self->customer_volume;
}

/**
 * assay_player_set_customer_volume:
 * @volume: 0 (silent) to 1 (as recorded)
 *
 * Sets the volume of the customer's channel of a stereo recording, at once.
 */
void
assay_player_set_customer_volume (AssayPlayer *self,
                                  double       volume)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (isnan (volume))
    return;
  volume = CLAMP (volume, 0.0, 1.0);
  if (self->customer_volume == volume)
    return;
  self->customer_volume = volume;
  update_gains (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_VOLUME]);
}

AssayPlayerSolo
assay_player_get_solo (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), ASSAY_PLAYER_SOLO_NONE);
  return self->solo;
}

/**
 * assay_player_set_solo:
 * Hears one party of a stereo recording alone, or both again. Mono recordings ignore it.
 */
void
assay_player_set_solo (AssayPlayer     *self,
                       AssayPlayerSolo  solo)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  g_return_if_fail (solo <= ASSAY_PLAYER_SOLO_CUSTOMER);

  if (self->solo == solo)
    return;
  self->solo = solo;
  update_gains (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOLO]);
}

guint
assay_player_get_agent_channel (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 0);
  return self->agent_channel;
}

/**
 * assay_player_set_agent_channel:
 * @channel: 0 if the agent is on the left channel, 1 if on the right
 */
void
assay_player_set_agent_channel (AssayPlayer *self,
                                guint        channel)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  g_return_if_fail (channel <= 1);

  if (self->agent_channel == channel)
    return;
  self->agent_channel = channel;
  update_gains (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_CHANNEL]);
}

void
_assay_player_set_sink_description (AssayPlayer *self,
                                    const char  *description)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  assay_set_str (&self->sink_description, description);
}

GstElement *
_assay_player_get_pipeline (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), NULL);
  return self->pipeline;
}

GstElement *
_assay_player_get_channel_gain (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), NULL);
  return self->gain;
}
