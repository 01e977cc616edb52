/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gst/audio/audio.h>
#include <gst/gst.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "assay-media-error.h"
#include "assay-player-private.h"
#include "media/assay-codec-hints.h"

/* Every fixture is this long: more than one 5 s skip. */
#define FIXTURE_MS 6000
/* Playback goes to a fake sink that keeps to the clock, so time passes as with a device. */
#define TEST_SINK "fakesink sync=true"
/* A wait that takes longer than this has failed. */
#define WAIT_LIMIT_S 15

static char *fixture_dir;

/* ---- fixtures ---------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *file;
  int         rate;
  int         channels;
  int         slack_ms;    /* how far the duration may be off */
  const char *encoder;     /* a gst-launch fragment, or NULL for the hand-written GSM WAV */
  const char *elements[3]; /* encoder elements that must exist, or the case is skipped */
} Format;

static const Format formats[] = {
  { "wav-pcm-mono", "pcm-mono.wav", 8000, 1, 50, "wavenc", { "wavenc" } },
  { "wav-pcm-stereo", "pcm-stereo.wav", 8000, 2, 50, "wavenc", { "wavenc" } },
  { "wav-mulaw", "mulaw.wav", 8000, 1, 50, "mulawenc ! wavenc", { "mulawenc", "wavenc" } },
  { "wav-alaw", "alaw.wav", 8000, 2, 50, "alawenc ! wavenc", { "alawenc", "wavenc" } },
  { "wav-gsm", "gsm.wav", 8000, 1, 50, NULL, { "gsmdec" } },
  /* Constant bit rate without a Xing header, as call recorders write it; MP3 adds the
   * encoder's delay and padding (a frame is 36 ms here) to the length. */
  { "mp3", "call.mp3", 16000, 1, 150, "lamemp3enc target=bitrate cbr=true bitrate=32",
    { "lamemp3enc" } },
  { "ogg-vorbis", "vorbis.ogg", 16000, 1, 50, "vorbisenc ! oggmux", { "vorbisenc", "oggmux" } },
  { "ogg-opus", "opus.ogg", 16000, 2, 50, "opusenc ! oggmux", { "opusenc", "oggmux" } },
  { "flac", "call.flac", 8000, 2, 50, "flacenc", { "flacenc" } },
};

static const Format *
find_format (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (formats[i].name, name))
      return &formats[i];
  g_assert_not_reached ();
}

static void
run_to_eos (const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_error ("Fixture pipeline failed: %s (%s)", gst_error->message, description);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
put_le16 (GByteArray *bytes,
          guint16     value)
{
  guint8 b[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (bytes, b, 2);
}

static void
put_le32 (GByteArray *bytes,
          guint32     value)
{
  guint8 b[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (bytes, b, 4);
}

/* GSM 6.10 in WAV (format 0x31): 65-byte blocks of 320 samples at 8 kHz. Any bits make valid
 * GSM frames, so the blocks are filled with seeded noise. */
static void
write_gsm_wav (const char *path,
               gint64      duration_ms)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  guint32 blocks = (guint32) (duration_ms * 8000 / 1000 / 320);
  guint32 data_size = blocks * 65;

  g_byte_array_append (bytes, (const guint8 *) "RIFF", 4);
  put_le32 (bytes, 4 + (8 + 20) + (8 + 4) + (8 + data_size));
  g_byte_array_append (bytes, (const guint8 *) "WAVEfmt ", 8);
  put_le32 (bytes, 20);
  put_le16 (bytes, 0x31);
  put_le16 (bytes, 1);
  put_le32 (bytes, 8000);
  put_le32 (bytes, 1625);
  put_le16 (bytes, 65);
  put_le16 (bytes, 0);
  put_le16 (bytes, 2);
  put_le16 (bytes, 320);
  g_byte_array_append (bytes, (const guint8 *) "fact", 4);
  put_le32 (bytes, 4);
  put_le32 (bytes, blocks * 320);
  g_byte_array_append (bytes, (const guint8 *) "data", 4);
  put_le32 (bytes, data_size);
  for (guint32 i = 0; i < data_size; i++)
    {
      guint8 b = (guint8) g_rand_int_range (rand, 0, 256);

      g_byte_array_append (bytes, &b, 1);
    }

  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);
}

static gboolean
elements_exist (const Format *format)
{
  for (gsize i = 0; i < G_N_ELEMENTS (format->elements) && format->elements[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (format->elements[i]);

      if (factory == NULL)
        {
          g_autofree char *message =
            g_strdup_printf ("GStreamer element %s is not installed", format->elements[i]);

          g_test_skip (message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Returns the fixture's path, writing it on first use; NULL (test skipped) without encoder. */
static char *
fixture (const Format *format)
{
  g_autofree char *path = g_build_filename (fixture_dir, format->file, NULL);

  if (!elements_exist (format))
    return NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (format->encoder == NULL)
        write_gsm_wav (path, FIXTURE_MS);
      else
        {
          int per_buffer = format->rate / 10;
          g_autofree char *description =
            g_strdup_printf ("audiotestsrc num-buffers=%d samplesperbuffer=%d wave=sine freq=440"
                             " ! audio/x-raw,format=S16LE,rate=%d,channels=%d"
                             " ! audioconvert ! %s ! filesink location=\"%s\"",
                             FIXTURE_MS / 100, per_buffer, format->rate, format->channels,
                             format->encoder, path);

          run_to_eos (description);
        }
    }
  return g_steal_pointer (&path);
}

static char *
write_bytes (const char *name,
             const void *data,
             gsize       size)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture_dir, name, NULL);

  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
  return path;
}

/* ---- waiting on the main loop ------------------------------------------------------------ */

typedef gboolean (*Condition) (AssayPlayer *player,
                               gpointer     data);

static gboolean
limit_reached_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (AssayPlayer *player,
          Condition    condition,
          gpointer     data,
          const char  *what)
{
  gboolean limit_reached = FALSE;
  guint id = g_timeout_add_seconds (WAIT_LIMIT_S, limit_reached_cb, &limit_reached);

  while (!condition (player, data) && !limit_reached)
    g_main_context_iteration (NULL, TRUE);

  if (limit_reached)
    {
      const GError *error = assay_player_get_error (player);

      g_error ("Waited in vain for %s: state %d, position %" G_GINT64_FORMAT " ms, error %s",
               what, assay_player_get_state (player), assay_player_get_position (player),
               error != NULL ? error->message : "none");
    }
  g_source_remove (id);
}

static gboolean
state_is (AssayPlayer *player,
          gpointer     data)
{
  return assay_player_get_state (player) == (AssayPlayerState) GPOINTER_TO_INT (data);
}

/* @data is a mask of (1 << state). */
static gboolean
state_in (AssayPlayer *player,
          gpointer     data)
{
  return (GPOINTER_TO_INT (data) & (1 << assay_player_get_state (player))) != 0;
}

static void
wait_state (AssayPlayer      *player,
            AssayPlayerState  state)
{
  g_autofree char *what = g_strdup_printf ("state %d", state);

  wait_for (player, state_is, GINT_TO_POINTER (state), what);
}

static gboolean
position_reaches (AssayPlayer *player,
                  gpointer     data)
{
  return assay_player_get_position (player) >= *(gint64 *) data;
}

static void
wait_position_reaches (AssayPlayer *player,
                       gint64       ms)
{
  wait_for (player, position_reaches, &ms, "the position to advance");
}

static gint64
pipeline_position (AssayPlayer *player)
{
  gint64 ns = -1;

  if (!gst_element_query_position (_assay_player_get_pipeline (player), GST_FORMAT_TIME, &ns))
    return -1;
  return ns / GST_MSECOND;
}

/* The pipeline itself (not only the property) is at @data ms, give or take 60 ms. */
static gboolean
pipeline_at (AssayPlayer *player,
             gpointer     data)
{
  gint64 target = *(gint64 *) data;
  gint64 position = pipeline_position (player);

  return position >= 0 && ABS (position - target) <= 60;
}

static void
wait_pipeline_at (AssayPlayer *player,
                  gint64       ms)
{
  g_autofree char *what = g_strdup_printf ("the pipeline to seek to %" G_GINT64_FORMAT " ms", ms);

  wait_for (player, pipeline_at, &ms, what);
}

static gboolean
duration_known (AssayPlayer *player,
                gpointer     data)
{
  return assay_player_get_duration (player) > 0;
}

static AssayPlayer *
open_player (const char *path)
{
  AssayPlayer *player = assay_player_new ();

  _assay_player_set_sink_description (player, TEST_SINK);
  assay_player_open (player, path);
  return player;
}

/* ---- what reaches the sink --------------------------------------------------------------- */

typedef struct {
  GMutex  lock;
  guint   buffers;
  double  rms[2];          /* of the last buffer */
  guint64 frames;          /* since the last reset */
  guint64 crossings;       /* zero crossings of channel 0 since the last reset */
  float   previous;
  double  segment_rate;
  double  segment_applied_rate;
} SinkStats;

static GstPadProbeReturn
sink_probe_cb (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  SinkStats *stats = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    {
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

      if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT)
        {
          const GstSegment *segment;

          gst_event_parse_segment (event, &segment);
          g_mutex_lock (&stats->lock);
          stats->segment_rate = segment->rate;
          stats->segment_applied_rate = segment->applied_rate;
          g_mutex_unlock (&stats->lock);
        }
    }
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    {
      g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
      GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
      GstAudioInfo audio;
      GstMapInfo map;

      if (caps == NULL || !gst_audio_info_from_caps (&audio, caps)
          || GST_AUDIO_INFO_FORMAT (&audio) != GST_AUDIO_FORMAT_F32
          || !gst_buffer_map (buffer, &map, GST_MAP_READ))
        return GST_PAD_PROBE_OK;

      {
        const float *samples = (const float *) map.data;
        int channels = GST_AUDIO_INFO_CHANNELS (&audio);
        gsize frames = map.size / (sizeof (float) * channels);
        double sum[2] = { 0, 0 };

        g_mutex_lock (&stats->lock);
        for (gsize i = 0; i < frames; i++)
          {
            float s = samples[i * channels];

            for (int c = 0; c < MIN (channels, 2); c++)
              sum[c] += (double) samples[i * channels + c] * samples[i * channels + c];
            if ((s >= 0) != (stats->previous >= 0))
              stats->crossings++;
            stats->previous = s;
          }
        for (int c = 0; c < 2; c++)
          stats->rms[c] = frames > 0 && c < channels ? sqrt (sum[c] / frames) : 0.0;
        stats->frames += frames;
        stats->buffers++;
        g_mutex_unlock (&stats->lock);
      }
      gst_buffer_unmap (buffer, &map);
    }
  return GST_PAD_PROBE_OK;
}

static void
watch_sink (AssayPlayer *player,
            SinkStats   *stats)
{
  g_autoptr(GstElement) output = NULL;
  g_autoptr(GstIterator) sinks = NULL;
  g_auto(GValue) item = G_VALUE_INIT;
  g_autoptr(GstPad) pad = NULL;

  /* The device sink at the end of the player's output bin: what would be heard. */
  g_object_get (_assay_player_get_pipeline (player), "audio-sink", &output, NULL);
  g_assert_true (GST_IS_BIN (output));
  sinks = gst_bin_iterate_sinks (GST_BIN (output));
  g_assert_cmpint (gst_iterator_next (sinks, &item), ==, GST_ITERATOR_OK);
  pad = gst_element_get_static_pad (g_value_get_object (&item), "sink");
  g_assert_nonnull (pad);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     sink_probe_cb, stats, NULL);
}

static void
reset_stats (SinkStats *stats)
{
  g_mutex_lock (&stats->lock);
  stats->frames = 0;
  stats->crossings = 0;
  stats->buffers = 0;
  g_mutex_unlock (&stats->lock);
}

typedef struct {
  SinkStats *stats;
  double     left_min, left_max;
  double     right_min, right_max;
} LevelCheck;

/* The last buffer, at least the second since the reset (the first may hold the ramp from the
 * old gains), has levels in the given ranges. */
static gboolean
levels_are (AssayPlayer *player,
            gpointer     data)
{
  LevelCheck *check = data;
  gboolean ok;

  g_mutex_lock (&check->stats->lock);
  ok = check->stats->buffers >= 2
       && check->stats->rms[0] >= check->left_min && check->stats->rms[0] <= check->left_max
       && check->stats->rms[1] >= check->right_min && check->stats->rms[1] <= check->right_max;
  g_mutex_unlock (&check->stats->lock);
  return ok;
}

static void
wait_levels (AssayPlayer *player,
             SinkStats   *stats,
             double       left_min,
             double       left_max,
             double       right_min,
             double       right_max)
{
  LevelCheck check = { stats, left_min, left_max, right_min, right_max };

  reset_stats (stats);
  wait_for (player, levels_are, &check, "the channel levels to change");
}

/* ---- tests ------------------------------------------------------------------------------- */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(int *) user_data)++;
}

static void
test_properties (void)
{
  g_autoptr(AssayPlayer) player = assay_player_new ();
  int rate_notifies = 0;

  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_EMPTY);
  g_assert_cmpfloat (assay_player_get_rate (player), ==, 1.0);
  g_assert_cmpfloat (assay_player_get_agent_volume (player), ==, 1.0);
  g_assert_cmpint (assay_player_get_solo (player), ==, ASSAY_PLAYER_SOLO_NONE);
  g_assert_cmpint (assay_player_get_loop_start (player), ==, -1);
  g_assert_null (assay_player_get_error (player));

  g_signal_connect (player, "notify::rate", G_CALLBACK (count_notify_cb), &rate_notifies);
  assay_player_set_rate (player, 1.5);
  assay_player_set_rate (player, 1.5);
  g_assert_cmpint (rate_notifies, ==, 1);
  assay_player_set_rate (player, 3.0);
  g_assert_cmpfloat (assay_player_get_rate (player), ==, ASSAY_PLAYER_MAX_RATE);
  assay_player_set_rate (player, 0.1);
  g_assert_cmpfloat (assay_player_get_rate (player), ==, ASSAY_PLAYER_MIN_RATE);
  g_assert_cmpint (rate_notifies, ==, 3);

  assay_player_set_customer_volume (player, 7);
  g_assert_cmpfloat (assay_player_get_customer_volume (player), ==, 1.0);
  g_object_set (player, "solo", ASSAY_PLAYER_SOLO_CUSTOMER, "agent-channel", 1, NULL);
  g_assert_cmpint (assay_player_get_solo (player), ==, ASSAY_PLAYER_SOLO_CUSTOMER);
  g_assert_cmpuint (assay_player_get_agent_channel (player), ==, 1);

  /* Commands without a recording do nothing. */
  assay_player_play (player);
  assay_player_seek (player, 1000);
  assay_player_skip (player, 5000);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_EMPTY);
  g_assert_cmpint (assay_player_get_position (player), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&player));
}

static void
test_codec_hints (void)
{
  AssayCodecHint hint;

  g_assert_true (assay_codec_hint_lookup ("gstreamer|1.0|assay|GSM audio decoder|"
                                          "decoder-audio/ms-gsm", &hint));
  g_assert_cmpstr (hint.name, ==, "GSM");
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-plugins-bad");
  g_assert_cmpint (hint.kind, ==, ASSAY_CODEC_HINT_DECODER);

  g_assert_true (assay_codec_hint_lookup ("decoder-audio/mpeg, mpegversion=(int)1, "
                                          "layer=(int)3", &hint));
  g_assert_cmpstr (hint.name, ==, "MP3");
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-plugins-good");

  g_assert_true (assay_codec_hint_lookup ("audio/mpeg, mpegversion=(int)4, stream-format=adts",
                                          &hint));
  g_assert_cmpstr (hint.name, ==, "AAC");
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-libav");

  g_assert_true (assay_codec_hint_lookup ("decoder-audio/x-vorbis", &hint));
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-plugins-base");
  g_assert_true (assay_codec_hint_lookup ("decoder-audio/x-opus", &hint));
  g_assert_cmpstr (hint.name, ==, "Opus");
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-plugins-base");
  g_assert_true (assay_codec_hint_lookup ("decoder-application/ogg", &hint));
  g_assert_cmpint (hint.kind, ==, ASSAY_CODEC_HINT_CONTAINER);
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-plugins-base");
  g_assert_true (assay_codec_hint_lookup ("decoder-audio/x-flac", &hint));
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-plugins-good");
  g_assert_true (assay_codec_hint_lookup ("decoder-audio/x-mulaw, rate=(int)8000", &hint));
  g_assert_cmpstr (hint.name, ==, "µ-law");

  g_assert_true (assay_codec_hint_lookup ("element-scaletempo", &hint));
  g_assert_cmpint (hint.kind, ==, ASSAY_CODEC_HINT_ELEMENT);
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-plugins-good");

  g_assert_true (assay_codec_hint_lookup ("decoder-audio/x-made-up", &hint));
  g_assert_null (hint.name);
  g_assert_cmpstr (hint.package, ==, "gstreamer1.0-libav");

  g_assert_false (assay_codec_hint_lookup ("", &hint));
  g_assert_false (assay_codec_hint_lookup (NULL, &hint));
  g_assert_false (assay_codec_hint_lookup ("gstreamer|1.0|assay|x|", &hint));
}

/* Open, duration, play, seek, skip both ways, end, and play again, for one format. */
static void
test_format (gconstpointer data)
{
  const Format *format = data;
  g_autofree char *path = fixture (format);
  g_autoptr(AssayPlayer) player = NULL;
  gint64 duration;

  if (path == NULL)
    return;

  player = open_player (path);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_LOADING);
  g_assert_cmpstr (assay_player_get_path (player), ==, path);
  wait_state (player, ASSAY_PLAYER_STATE_PAUSED);

  wait_for (player, duration_known, NULL, "the duration");
  duration = assay_player_get_duration (player);
  g_test_message ("%s: duration %" G_GINT64_FORMAT " ms", format->name, duration);
  g_assert_cmpint (ABS (duration - FIXTURE_MS), <=, format->slack_ms);
  g_assert_cmpint (assay_player_get_channels (player), ==, format->channels);
  g_assert_cmpint (assay_player_get_position (player), ==, 0);
  g_assert_true (assay_player_get_no_audio_device (player));

  assay_player_seek (player, 2000);
  g_assert_cmpint (assay_player_get_position (player), ==, 2000);
  wait_pipeline_at (player, 2000);

  assay_player_play (player);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);
  wait_position_reaches (player, 2200);
  assay_player_pause (player);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PAUSED);

  /* Back 5 s from about 2.2 s stops at the start; forward twice stops at the end. */
  assay_player_skip (player, -5000);
  g_assert_cmpint (assay_player_get_position (player), ==, 0);
  wait_pipeline_at (player, 0);
  assay_player_skip (player, 5000);
  g_assert_cmpint (assay_player_get_position (player), ==, 5000);
  wait_pipeline_at (player, 5000);
  assay_player_skip (player, 5000);
  g_assert_cmpint (assay_player_get_position (player), ==, duration);

  /* Play the last 200 ms to the end. */
  assay_player_seek (player, duration - 200);
  wait_pipeline_at (player, duration - 200);
  assay_player_play (player);
  wait_state (player, ASSAY_PLAYER_STATE_ENDED);
  g_assert_cmpint (assay_player_get_position (player), ==, duration);

  /* Play from the end starts over. */
  assay_player_toggle (player);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);
  g_assert_cmpint (assay_player_get_position (player), <, 100);
  wait_position_reaches (player, 100);
  g_assert_cmpint (assay_player_get_position (player), <, 2000);

  assay_player_close (player);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_EMPTY);
  g_assert_null (assay_player_get_path (player));
  g_assert_finalize_object (g_steal_pointer (&player));
}

/* Play and seek asked for while loading are carried out once ready. */
static void
test_commands_while_loading (void)
{
  g_autofree char *path = fixture (find_format ("wav-pcm-mono"));
  g_autoptr(AssayPlayer) player = open_player (path);

  assay_player_seek (player, 3000);
  assay_player_play (player);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_LOADING);
  wait_state (player, ASSAY_PLAYER_STATE_PLAYING);
  wait_position_reaches (player, 3100);
  g_assert_cmpint (assay_player_get_position (player), <, 4500);

  /* Toggle twice while loading a new file: it ends up paused at the start. */
  assay_player_open (player, path);
  assay_player_toggle (player);
  assay_player_toggle (player);
  wait_state (player, ASSAY_PLAYER_STATE_PAUSED);
  g_assert_cmpint (assay_player_get_position (player), ==, 0);

  assay_player_stop (player);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PAUSED);
}

static void
test_rate (void)
{
  g_autofree char *path = fixture (find_format ("wav-pcm-mono"));
  g_autoptr(AssayPlayer) player = open_player (path);
  SinkStats stats = { 0 };
  double frequency, applied_rate, segment_rate;
  gint64 position;

  g_mutex_init (&stats.lock);
  watch_sink (player, &stats);
  wait_state (player, ASSAY_PLAYER_STATE_PAUSED);
  assay_player_play (player);
  wait_position_reaches (player, 200);

  assay_player_set_rate (player, 2.0);
  g_assert_cmpfloat (assay_player_get_rate (player), ==, 2.0);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);
  position = assay_player_get_position (player);
  reset_stats (&stats);
  wait_position_reaches (player, position + 1000);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);

  g_mutex_lock (&stats.lock);
  segment_rate = stats.segment_rate;
  applied_rate = stats.segment_applied_rate;
  /* scaletempo keeps the 440 Hz tone at 440 Hz: that is the pitch kept. */
  frequency = stats.crossings / 2.0 / (stats.frames / 8000.0);
  g_mutex_unlock (&stats.lock);
  g_test_message ("at 2x: segment rate %g, applied rate %g, tone %.0f Hz", segment_rate,
                  applied_rate, frequency);
  g_assert_cmpfloat (segment_rate, ==, 1.0);
  g_assert_cmpfloat (applied_rate, ==, 2.0);
  g_assert_cmpfloat (frequency, >, 420);
  g_assert_cmpfloat (frequency, <, 460);

  /* Half speed: still playing, still advancing. */
  assay_player_set_rate (player, 0.5);
  position = assay_player_get_position (player);
  wait_position_reaches (player, position + 100);
  g_mutex_lock (&stats.lock);
  applied_rate = stats.segment_applied_rate;
  g_mutex_unlock (&stats.lock);
  g_assert_cmpfloat (applied_rate, ==, 0.5);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);

  /* A rate set while paused applies on play. */
  assay_player_pause (player);
  assay_player_set_rate (player, 1.0);
  assay_player_play (player);
  position = assay_player_get_position (player);
  wait_position_reaches (player, position + 100);

  assay_player_close (player);
  g_mutex_clear (&stats.lock);
}

typedef struct {
  int    loops;
  gint64 min_position;
  gint64 max_position;
} LoopWatch;

static void
looped_cb (AssayPlayer *player,
           gpointer     user_data)
{
  ((LoopWatch *) user_data)->loops++;
}

static void
loop_position_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  LoopWatch *watch = user_data;
  gint64 position = assay_player_get_position (ASSAY_PLAYER (object));

  watch->min_position = MIN (watch->min_position, position);
  watch->max_position = MAX (watch->max_position, position);
}

static gboolean
loops_reach (AssayPlayer *player,
             gpointer     data)
{
  LoopWatch *watch = data;

  return watch->loops >= 2;
}

static void
test_loop (void)
{
  g_autofree char *path = fixture (find_format ("wav-pcm-mono"));
  g_autoptr(AssayPlayer) player = open_player (path);
  LoopWatch watch = { 0, G_MAXINT64, 0 };
  gint64 duration;

  wait_state (player, ASSAY_PLAYER_STATE_PAUSED);
  duration = assay_player_get_duration (player);
  g_signal_connect (player, "looped", G_CALLBACK (looped_cb), &watch);

  /* A region that ends before it starts is no loop. */
  assay_player_set_loop (player, 3000, 3000);
  g_assert_cmpint (assay_player_get_loop_start (player), ==, -1);
  g_assert_cmpint (assay_player_get_loop_end (player), ==, -1);

  /* Outside the region, the position moves to its start. */
  assay_player_set_loop (player, 1000, 1400);
  g_assert_cmpint (assay_player_get_loop_start (player), ==, 1000);
  g_assert_cmpint (assay_player_get_loop_end (player), ==, 1400);
  g_assert_cmpint (assay_player_get_position (player), ==, 1000);
  wait_pipeline_at (player, 1000);

  g_signal_connect (player, "notify::position", G_CALLBACK (loop_position_cb), &watch);
  assay_player_play (player);
  wait_for (player, loops_reach, &watch, "two loops");
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);
  g_assert_cmpint (watch.min_position, >=, 1000);
  g_assert_cmpint (watch.max_position, <=, 1400 + 50);

  /* Without the loop, playback goes past the old end. */
  assay_player_clear_loop (player);
  g_assert_cmpint (assay_player_get_loop_start (player), ==, -1);
  wait_position_reaches (player, 1600);

  /* A loop up to the end of the recording goes round too, instead of ending. */
  watch.loops = 0;
  assay_player_set_loop (player, duration - 300, duration + 1000);
  g_assert_cmpint (assay_player_get_loop_end (player), ==, duration);
  wait_for (player, loops_reach, &watch, "two loops at the end");
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);

  assay_player_close (player);
}

static void
test_channels (void)
{
  g_autofree char *path = fixture (find_format ("wav-pcm-stereo"));
  g_autoptr(AssayPlayer) player = open_player (path);
  SinkStats stats = { 0 };
  GstElement *gain;
  double left, right;

  g_mutex_init (&stats.lock);
  watch_sink (player, &stats);
  wait_state (player, ASSAY_PLAYER_STATE_PAUSED);
  g_assert_cmpint (assay_player_get_channels (player), ==, 2);
  gain = _assay_player_get_channel_gain (player);
  g_assert_nonnull (gain);

  assay_player_play (player);
  /* The tone is at 0.8 of full scale: RMS 0.57 on both channels. */
  wait_levels (player, &stats, 0.5, 0.62, 0.5, 0.62);

  assay_player_set_solo (player, ASSAY_PLAYER_SOLO_AGENT);
  g_object_get (gain, "left-gain", &left, "right-gain", &right, NULL);
  g_assert_cmpfloat (left, ==, 1.0);
  g_assert_cmpfloat (right, ==, 0.0);
  wait_levels (player, &stats, 0.5, 0.62, 0.0, 1e-6);

  /* The agent on the right: the same solo now keeps the right channel. */
  assay_player_set_agent_channel (player, 1);
  g_object_get (gain, "left-gain", &left, "right-gain", &right, NULL);
  g_assert_cmpfloat (left, ==, 0.0);
  g_assert_cmpfloat (right, ==, 1.0);
  wait_levels (player, &stats, 0.0, 1e-6, 0.5, 0.62);

  assay_player_set_solo (player, ASSAY_PLAYER_SOLO_CUSTOMER);
  wait_levels (player, &stats, 0.5, 0.62, 0.0, 1e-6);

  /* Volumes without solo: agent (right) at half, customer (left) at full. */
  assay_player_set_solo (player, ASSAY_PLAYER_SOLO_NONE);
  assay_player_set_agent_volume (player, 0.5);
  g_object_get (gain, "left-gain", &left, "right-gain", &right, NULL);
  g_assert_cmpfloat (left, ==, 1.0);
  g_assert_cmpfloat (right, ==, 0.5);
  wait_levels (player, &stats, 0.5, 0.62, 0.25, 0.31);

  assay_player_set_customer_volume (player, 0.0);
  wait_levels (player, &stats, 0.0, 1e-6, 0.25, 0.31);

  /* The settings carry over to the next recording. */
  assay_player_open (player, path);
  gain = _assay_player_get_channel_gain (player);
  wait_state (player, ASSAY_PLAYER_STATE_PAUSED);
  g_object_get (gain, "left-gain", &left, "right-gain", &right, NULL);
  g_assert_cmpfloat (left, ==, 0.0);
  g_assert_cmpfloat (right, ==, 0.5);

  assay_player_close (player);
  g_mutex_clear (&stats.lock);
}

/* Mono has no parties to split: solo and volumes leave it alone. */
static void
test_channels_mono (void)
{
  g_autofree char *path = fixture (find_format ("wav-pcm-mono"));
  g_autoptr(AssayPlayer) player = open_player (path);
  SinkStats stats = { 0 };

  g_mutex_init (&stats.lock);
  watch_sink (player, &stats);
  wait_state (player, ASSAY_PLAYER_STATE_PAUSED);
  g_assert_cmpint (assay_player_get_channels (player), ==, 1);

  assay_player_set_solo (player, ASSAY_PLAYER_SOLO_CUSTOMER);
  assay_player_set_agent_volume (player, 0.0);
  assay_player_play (player);
  wait_levels (player, &stats, 0.5, 0.62, 0.0, 0.0);

  assay_player_close (player);
  g_mutex_clear (&stats.lock);
}

static void
expect_error (const char *path,
              int         code,
              const char *fragment)
{
  g_autoptr(AssayPlayer) player = open_player (path);
  const GError *error;

  wait_state (player, ASSAY_PLAYER_STATE_ERROR);
  error = assay_player_get_error (player);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", path, error->message);
  g_assert_error ((GError *) error, ASSAY_MEDIA_ERROR, code);
  if (fragment != NULL)
    g_assert_nonnull (strstr (error->message, fragment));

  /* Commands in the error state are ignored, and a good file opens again. */
  assay_player_play (player);
  assay_player_seek (player, 1000);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_ERROR);
  {
    g_autofree char *good = fixture (find_format ("wav-pcm-mono"));

    assay_player_open (player, good);
    g_assert_null (assay_player_get_error (player));
    wait_state (player, ASSAY_PLAYER_STATE_PAUSED);
  }
  g_assert_finalize_object (g_steal_pointer (&player));
}

static void
test_error_not_found (void)
{
  g_autofree char *path = g_build_filename (fixture_dir, "no-such-call.wav", NULL);

  expect_error (path, ASSAY_MEDIA_ERROR_NOT_FOUND, "no-such-call.wav");
}

static void
test_error_random_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint8 noise[20000];
  g_autofree char *path = NULL;

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_rand_int_range (rand, 0, 256);
  path = write_bytes ("noise.ogg", noise, sizeof noise);
  expect_error (path, ASSAY_MEDIA_ERROR_CORRUPT, "noise.ogg");
}

static void
test_error_empty (void)
{
  g_autofree char *path = write_bytes ("empty.wav", "", 0);

  expect_error (path, ASSAY_MEDIA_ERROR_CORRUPT, NULL);
}

/* Half a WAV whose format chunk is garbage. */
static void
test_error_broken_wav (void)
{
  g_autofree char *good = fixture (find_format ("wav-pcm-mono"));
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  memset (contents + 20, 0xff, 16);
  path = write_bytes ("broken.wav", contents, length / 2);
  expect_error (path, ASSAY_MEDIA_ERROR_CORRUPT, "broken.wav");
}

/* A file cut short plays what there is, or fails cleanly; it never crashes. */
static void
test_truncated (gconstpointer data)
{
  const Format *format = data;
  g_autofree char *good = fixture (format);
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AssayPlayer) player = NULL;
  gsize length;

  if (good == NULL)
    return;

  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  name = g_strconcat ("cut-", format->file, NULL);
  path = write_bytes (name, contents, length / 2 + 7);

  player = open_player (path);
  wait_for (player, state_in, GINT_TO_POINTER (1 << ASSAY_PLAYER_STATE_PAUSED
                                                | 1 << ASSAY_PLAYER_STATE_ERROR), "loading");
  if (assay_player_get_state (player) == ASSAY_PLAYER_STATE_PAUSED)
    {
      g_test_message ("%s cut in half plays, duration %" G_GINT64_FORMAT " ms", format->name,
                      assay_player_get_duration (player));
      /* Play from shortly before the middle: playback ends where the data does, whatever
       * the header promised, or fails cleanly. */
      assay_player_seek (player, MAX (FIXTURE_MS / 2 - 400, 0));
      assay_player_play (player);
      wait_for (player, state_in, GINT_TO_POINTER (1 << ASSAY_PLAYER_STATE_ENDED
                                                    | 1 << ASSAY_PLAYER_STATE_ERROR), "the end");
    }
  if (assay_player_get_state (player) == ASSAY_PLAYER_STATE_ERROR)
    {
      g_test_message ("%s cut in half: %s", format->name, assay_player_get_error (player)->message);
      g_assert_error ((GError *) assay_player_get_error (player), ASSAY_MEDIA_ERROR,
                      ASSAY_MEDIA_ERROR_CORRUPT);
    }
  g_assert_finalize_object (g_steal_pointer (&player));
}

static void
test_missing_decoder (void)
{
  g_autofree char *path = fixture (find_format ("wav-gsm"));
  g_autoptr(GstPluginFeature) feature = NULL;
  guint rank;

  if (path == NULL)
    return;

  /* Hide the GSM decoder, as on a machine without gstreamer1.0-plugins-bad. */
  feature = gst_registry_lookup_feature (gst_registry_get (), "gsmdec");
  g_assert_nonnull (feature);
  rank = gst_plugin_feature_get_rank (feature);
  gst_plugin_feature_set_rank (feature, GST_RANK_NONE);

  {
    g_autoptr(AssayPlayer) player = open_player (path);
    const GError *error;

    wait_state (player, ASSAY_PLAYER_STATE_ERROR);
    error = assay_player_get_error (player);
    g_test_message ("%s", error->message);
    g_assert_error ((GError *) error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER);
    g_assert_nonnull (strstr (error->message, "GSM"));
    g_assert_nonnull (strstr (error->message, "gstreamer1.0-plugins-bad"));
  }

  gst_plugin_feature_set_rank (feature, rank);
}

/* An audio output that cannot start: the player plays into a clocked fake sink instead. */
static void
test_no_audio_device (gconstpointer data)
{
  const char *description = data;
  g_autofree char *path = fixture (find_format ("wav-pcm-mono"));
  g_autofree char *factory_name = g_strndup (description, strcspn (description, " "));
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (factory_name);
  g_autoptr(AssayPlayer) player = NULL;

  if (factory == NULL)
    {
      g_test_skip ("This audio sink is not installed");
      return;
    }

  player = assay_player_new ();
  _assay_player_set_sink_description (player, description);
  assay_player_open (player, path);
  wait_state (player, ASSAY_PLAYER_STATE_PAUSED);
  g_assert_true (assay_player_get_no_audio_device (player));
  g_assert_null (assay_player_get_error (player));
  g_assert_cmpint (assay_player_get_duration (player), ==, FIXTURE_MS);
  assay_player_play (player);
  wait_position_reaches (player, 200);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);
}

static void
remove_fixtures (void)
{
  g_autoptr(GDir) dir = g_dir_open (fixture_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  fixture_dir = g_dir_make_tmp ("assay-player-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/player/properties", test_properties);
  g_test_add_func ("/player/codec-hints", test_codec_hints);
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("/player/format/%s", formats[i].name);

      g_test_add_data_func (name, &formats[i], test_format);
    }
  g_test_add_func ("/player/commands-while-loading", test_commands_while_loading);
  g_test_add_func ("/player/rate", test_rate);
  g_test_add_func ("/player/loop", test_loop);
  g_test_add_func ("/player/channels/stereo", test_channels);
  g_test_add_func ("/player/channels/mono", test_channels_mono);
  g_test_add_func ("/player/error/not-found", test_error_not_found);
  g_test_add_func ("/player/error/random-bytes", test_error_random_bytes);
  g_test_add_func ("/player/error/empty", test_error_empty);
  g_test_add_func ("/player/error/broken-wav", test_error_broken_wav);
  g_test_add_data_func ("/player/truncated/wav", find_format ("wav-pcm-mono"), test_truncated);
  g_test_add_data_func ("/player/truncated/ogg-vorbis", find_format ("ogg-vorbis"),
                        test_truncated);
  g_test_add_data_func ("/player/truncated/flac", find_format ("flac"), test_truncated);
  g_test_add_data_func ("/player/truncated/mp3", find_format ("mp3"), test_truncated);
  g_test_add_func ("/player/error/missing-decoder", test_missing_decoder);
  g_test_add_data_func ("/player/no-audio-device/failing-sink",
                        "fakesink state-error=ready-to-paused", test_no_audio_device);
  g_test_add_data_func ("/player/no-audio-device/no-sound-server",
                        "pulsesink server=unix:/nonexistent/assay-test", test_no_audio_device);

  status = g_test_run ();
  remove_fixtures ();
  g_free (fixture_dir);
  return status;
}
