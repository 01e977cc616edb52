/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <unistd.h>

#include <gst/gst.h>

#include "media/assay-analysis.h"
#include "media/assay-audio-reader.h"
#include "media/assay-media-error.h"
#include "test-audio-util.h"

/* Every figure must be right within 0.1 s (the bar). */
#define TOL 0.1

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
assert_segment (const AssaySegment *s,
                double              start,
                double              end)
{
  g_assert_cmpfloat_with_epsilon (s->start, start, TOL);
  g_assert_cmpfloat_with_epsilon (s->end, end, TOL);
}

/* The figures of the reference call (tests/media/test-audio-util.h) with the agent on @agent. */
static void
assert_reference_call (AssayAnalysis *a,
                       guint          agent)
{
  const AssaySegment *segs;
  AssaySegment mono;
  guint n;
  double agent_talk = agent == 0 ? 15.5 : 8.0;
  double customer_talk = agent == 0 ? 8.0 : 15.5;

  g_assert_cmpfloat_with_epsilon (assay_analysis_get_duration (a), TEST_CALL_DURATION, TOL);
  g_assert_cmpuint (assay_analysis_get_channels (a), ==, 2);
  g_assert_true (assay_analysis_get_has_talk_split (a));
  g_assert_cmpuint (assay_analysis_get_agent_channel (a), ==, agent);
  g_assert_cmpfloat_with_epsilon (assay_analysis_get_agent_talk (a), agent_talk, TOL);
  g_assert_cmpfloat_with_epsilon (assay_analysis_get_customer_talk (a), customer_talk, TOL);
  g_assert_cmpfloat_with_epsilon (assay_analysis_get_talk_ratio (a),
                                  agent_talk / (agent_talk + customer_talk), 0.01);

  segs = assay_analysis_get_silence_segments (a, &n);
  g_assert_cmpuint (n, ==, 1);
  assert_segment (&segs[0], 17, 21);
  g_assert_cmpfloat_with_epsilon (assay_analysis_get_silence (a), 4, TOL);

  segs = assay_analysis_get_overtalk_segments (a, &n);
  g_assert_cmpuint (n, ==, 2);
  assert_segment (&segs[0], 11, 12);
  assert_segment (&segs[1], 24, 25);
  g_assert_cmpfloat_with_epsilon (assay_analysis_get_overtalk (a), 2, TOL);

  if (agent == 0)
    {
      g_assert_cmpfloat_with_epsilon (assay_analysis_get_longest_monologue (a, &mono), 11, TOL);
      assert_segment (&mono, 1, 12);
    }
  else
    {
      g_assert_cmpfloat_with_epsilon (assay_analysis_get_longest_monologue (a, &mono), 4, TOL);
      assert_segment (&mono, 11, 15);
    }

  /* the speech lanes */
  segs = assay_analysis_get_voice_segments (a, 0, &n);
  g_assert_cmpuint (n, ==, 4);
  assert_segment (&segs[0], 1, 6);
  assert_segment (&segs[3], 24, 28);
  segs = assay_analysis_get_voice_segments (a, 1, &n);
  g_assert_cmpuint (n, ==, 2);
  assert_segment (&segs[1], 21, 25);
}

static AssayAnalysis *
analyze (const char *path,
         guint       agent,
         GError    **error)
{
  AssaySpeechParams params;

  assay_speech_params_init (&params);
  params.agent_channel = agent;
  return assay_analysis_run_sync (path, &params, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, error);
}

static const char *
decoder_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAudioReader) reader = assay_audio_reader_open (path, NULL, &error);

  g_assert_no_error (error);
  return assay_audio_reader_get_info (reader)->decoder;
}

static void
test_wav (gconstpointer data)
{
  guint16 format = GPOINTER_TO_UINT (data);
  g_autofree char *path = tmp_path ("call.wav");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = NULL;
  g_autoptr(AssayAnalysis) swapped = NULL;

  test_write_call (path, format, 8000);
  g_assert_cmpstr (decoder_of (path), ==, "wav");

  a = analyze (path, 0, &error);
  g_assert_no_error (error);
  assert_reference_call (a, 0);
  g_assert_cmpuint (assay_analysis_get_sample_rate (a), ==, 8000);
  g_assert_cmpstr (assay_analysis_get_file (a), ==, path);

  swapped = analyze (path, 1, &error);
  g_assert_no_error (error);
  assert_reference_call (swapped, 1);
}

static void
test_mono (void)
{
  g_autofree char *path = tmp_path ("mono.wav");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = NULL;
  const AssaySegment *segs;
  guint n;

  test_write_mono (path, 16000);
  a = analyze (path, 0, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (assay_analysis_get_channels (a), ==, 1);
  g_assert_cmpuint (assay_analysis_get_sample_rate (a), ==, 16000);
  g_assert_cmpfloat_with_epsilon (assay_analysis_get_duration (a), 16, TOL);
  g_assert_false (assay_analysis_get_has_talk_split (a));
  g_assert_true (isnan (assay_analysis_get_talk_ratio (a)));
  segs = assay_analysis_get_silence_segments (a, &n);
  g_assert_cmpuint (n, ==, 2);
  assert_segment (&segs[0], 5, 10);
  assert_segment (&segs[1], 12, 16);
  g_assert_cmpfloat_with_epsilon (assay_analysis_get_silence (a), 9, TOL);
  segs = assay_analysis_get_voice_segments (a, 0, &n);
  g_assert_cmpuint (n, ==, 2);
  assert_segment (&segs[0], 2, 5);
  g_assert_null (assay_analysis_get_voice_segments (a, 1, &n));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_silence_min (void)
{
  g_autofree char *path = tmp_path ("call-silence.wav");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = NULL;
  AssaySpeechParams params;
  const AssaySegment *segs;
  guint n;

  test_write_call (path, TEST_WAV_PCM, 8000);
  assay_speech_params_init (&params);
  params.silence_min_s = 0.9;
  a = assay_analysis_run_sync (path, &params, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, &error);
  g_assert_no_error (error);
  segs = assay_analysis_get_silence_segments (a, &n);
  g_assert_cmpuint (n, ==, 4);
  assert_segment (&segs[0], 0, 1);
  assert_segment (&segs[1], 6, 7);
  assert_segment (&segs[2], 17, 21);
  assert_segment (&segs[3], 28, 30);
  g_assert_cmpfloat_with_epsilon (assay_analysis_get_silence (a), 8, TOL);
}

/* ---------- compressed formats, encoded by GStreamer ---------- */

/* Encodes the reference call (16 kHz) with @encoder ("lamemp3enc", "vorbisenc ! oggmux", ...). */
static char *
encode_call (const char *name,
             const char *encoder)
{
  g_autofree char *wav = tmp_path ("source-16k.wav");
  char *out = tmp_path (name);

  test_write_call (wav, TEST_WAV_PCM, 16000);
  g_assert_true (test_encode (wav, encoder, out));
  return out;
}

typedef struct {
  const char *file;
  const char *encoder;
  const char *elements[4];
  const char *decoder;
  const char *fallback_decoder;   /* when built without libmpg123 / libopus */
  guint       rate;               /* of the encoded file */
} Codec;

/* MP3 at 44.1 kHz (128 kbit/s, or LAME resamples): LAME's encoder delay (about 1,100 samples,
 * which lamemp3enc does not record for gapless decoding) is then 25 ms rather than 70 ms at
 * 16 kHz; and it takes libmpg123's quarter-rate path */
static const Codec codecs[] = {
  { "call.mp3",
    "audio/x-raw,rate=44100 ! lamemp3enc target=bitrate bitrate=128 cbr=true",
    { "lamemp3enc", "mpg123audiodec", NULL },
    "mpg123",
    "gstreamer",
    44100 },
  { "call.ogg",
    "vorbisenc ! oggmux",
    { "vorbisenc", "oggmux", "vorbisdec", NULL },
    "gstreamer",
    NULL,
    16000 },
  { "call.opus",
    "opusenc ! oggmux",
    { "opusenc", "oggmux", "opusdec", NULL },
    "opus",
    "gstreamer",
    16000 },
  { "call.flac", "flacenc", { "flacenc", "flacdec", NULL }, "gstreamer", NULL, 16000 },
};

static void
test_codec (gconstpointer data)
{
  const Codec *codec = data;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = NULL;
  const char *decoder;

  if (!test_have_elements (codec->elements))
    return;
  path = encode_call (codec->file, codec->encoder);

  decoder = decoder_of (path);
  if (codec->fallback_decoder != NULL && g_strcmp0 (decoder, codec->decoder) != 0)
    g_assert_cmpstr (decoder, ==, codec->fallback_decoder);
  else
    g_assert_cmpstr (decoder, ==, codec->decoder);

  a = analyze (path, 0, &error);
  g_assert_no_error (error);
  assert_reference_call (a, 0);
  /* the recording's own rate, not the rate it was decoded at */
  g_assert_cmpuint (assay_analysis_get_sample_rate (a), ==, codec->rate);
}

static char *
find_sox (void)
{
  char *sox = g_find_program_in_path ("sox");

  if (sox == NULL)
    g_test_skip ("sox is not installed (apt install sox): it makes the GSM 6.10 fixture");
  return sox;
}

static char *
make_gsm (void)
{
  g_autofree char *sox = find_sox ();
  g_autofree char *mono = NULL;
  g_autofree char *out = NULL;
  char *path;
  int status = 0;
  g_autoptr(GError) error = NULL;

  if (sox == NULL)
    return NULL;
  mono = tmp_path ("mono-8k.wav");
  path = tmp_path ("mono-gsm.wav");
  test_write_mono (mono, 8000);
  {
    const char *argv[] = { sox, "-q", mono, "-e", "gsm-full-rate", path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                  &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("sox cannot write GSM 6.10 WAV here");
      g_free (path);
      return NULL;
    }
  return path;
}

static void
test_gsm (void)
{
  g_autofree char *path = make_gsm ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = NULL;
  const AssaySegment *segs;
  guint n;
  const char *elements[] = { "gsmdec", NULL };

  if (path == NULL || !test_have_elements (elements))
    return;
  g_assert_cmpstr (decoder_of (path), ==, "gstreamer");
  a = analyze (path, 0, &error);
  g_assert_no_error (error);
  g_assert_false (assay_analysis_get_has_talk_split (a));
  g_assert_cmpuint (assay_analysis_get_sample_rate (a), ==, 8000);
  segs = assay_analysis_get_silence_segments (a, &n);
  g_assert_cmpuint (n, ==, 2);
  assert_segment (&segs[0], 5, 10);
  assert_segment (&segs[1], 12, 16);
}

static void
test_missing_decoder (void)
{
  g_autofree char *path = make_gsm ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = NULL;
  g_autoptr(GstPluginFeature) gsmdec = NULL;
  guint rank;

  if (path == NULL)
    return;
  gsmdec = gst_registry_lookup_feature (gst_registry_get (), "gsmdec");
  if (gsmdec == NULL)
    {
      g_test_skip ("gsmdec is not installed");
      return;
    }

  /* as if gstreamer1.0-plugins-bad were not installed: decodebin no longer picks gsmdec */
  rank = gst_plugin_feature_get_rank (gsmdec);
  gst_plugin_feature_set_rank (gsmdec, GST_RANK_NONE);
  a = analyze (path, 0, &error);
  gst_plugin_feature_set_rank (gsmdec, rank);

  g_assert_null (a);
  g_assert_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER);
  g_assert_nonnull (strstr (error->message, "gstreamer1.0-plugins-bad"));
  g_assert_nonnull (strstr (error->message, "GSM"));
}

/* ---------- reading from the middle ---------- */

static void
test_seek (gconstpointer data)
{
  const Codec *codec = data;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAudioReader) all = NULL;
  g_autoptr(AssayAudioReader) middle = NULL;
  g_autofree gint16 *seq = NULL;
  const gint16 *frames;
  gsize n, channels;
  gint64 pos = 0, compared = 0, target, second;

  if (codec == NULL)
    {
      path = tmp_path ("seek.wav");
      test_write_call (path, TEST_WAV_MULAW, 8000);
    }
  else
    {
      g_autofree char *wav = tmp_path ("seek-8k.wav");

      if (!test_have_elements (codec->elements))
        return;
      path = tmp_path (codec->file);
      test_write_call (wav, TEST_WAV_PCM, 8000);
      g_assert_true (test_encode (wav, codec->encoder, path));
    }

  all = assay_audio_reader_open (path, NULL, &error);
  g_assert_no_error (error);
  if (!assay_audio_reader_can_seek (all))
    {
      g_test_skip ("built without the direct decoder for this format");
      return;
    }
  channels = assay_audio_reader_get_info (all)->channels;
  second = assay_audio_reader_get_info (all)->rate;
  target = 13 * second + 37;

  /* one second from the target on, read straight through and read after a seek */
  seq = g_new (gint16, (target + second) * channels);
  while (pos < target + second)
    {
      g_assert_true (assay_audio_reader_read (all, &frames, &n, NULL, &error));
      g_assert_cmpuint (n, >, 0);
      n = MIN (n, (gsize) (target + second - pos));
      memcpy (seq + pos * channels, frames, n * channels * sizeof (gint16));
      pos += (gint64) n;
    }

  middle = assay_audio_reader_open (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (assay_audio_reader_seek (middle, target, &error));
  g_assert_no_error (error);
  assay_audio_reader_set_end (middle, target + second);
  while (assay_audio_reader_read (middle, &frames, &n, NULL, &error) && n > 0)
    {
      for (gsize i = 0; i < n * channels; i++)
        g_assert_cmpint (ABS (frames[i] - seq[(target + compared) * channels + i]), <=, 64);
      compared += (gint64) n;
    }
  g_assert_no_error (error);
  g_assert_cmpint (compared, ==, second);
}

/* ---------- bad input ---------- */

static void
assert_fails (const char *path,
              int         code,
              const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = analyze (path, 0, &error);

  g_assert_null (a);
  g_assert_error (error, ASSAY_MEDIA_ERROR, code);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("'%s' not in the message: %s", words, error->message);
}

static void
truncate_file (const char *path,
               double      keep)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, (gssize) (len * keep), &error);
  g_assert_no_error (error);
}

static void
test_errors (void)
{
  g_autofree char *missing = tmp_path ("no-such-call.wav");
  g_autofree char *empty = tmp_path ("empty.wav");
  g_autofree char *text = tmp_path ("notes.wav");
  g_autofree char *text_mp3 = tmp_path ("notes.mp3");
  g_autofree char *truncated = tmp_path ("truncated.wav");
  g_autofree char *bad_fmt = tmp_path ("bad-format.wav");
  g_autofree char *no_data = tmp_path ("no-data.wav");

  assert_fails (missing, ASSAY_MEDIA_ERROR_NOT_FOUND, "no-such-call.wav");
  assert_fails (tmpdir, ASSAY_MEDIA_ERROR_NOT_FOUND, NULL);

  g_file_set_contents (empty, "", 0, NULL);
  assert_fails (empty, ASSAY_MEDIA_ERROR_CORRUPT, "empty");

  g_file_set_contents (text, "This is not a recording, just some notes about a call.\n", -1, NULL);
  assert_fails (text, ASSAY_MEDIA_ERROR_CORRUPT, "notes.wav");
  g_file_set_contents (text_mp3, "ID3 but then nothing that decodes, nothing at all\n", -1, NULL);
  assert_fails (text_mp3, ASSAY_MEDIA_ERROR_CORRUPT, NULL);

  test_write_call (truncated, TEST_WAV_PCM, 8000);
  truncate_file (truncated, 0.5);
  assert_fails (truncated, ASSAY_MEDIA_ERROR_CORRUPT, "incomplete");

  /* a header that says 0 channels */
  test_write_call (bad_fmt, TEST_WAV_MULAW, 8000);
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_file_get_contents (bad_fmt, &contents, &len, NULL);
    contents[22] = 0;
    contents[23] = 0;
    g_file_set_contents (bad_fmt, contents, (gssize) len, NULL);
  }
  assert_fails (bad_fmt, ASSAY_MEDIA_ERROR_CORRUPT, NULL);

  /* cut off inside the header */
  test_write_call (no_data, TEST_WAV_PCM, 8000);
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_file_get_contents (no_data, &contents, &len, NULL);
    g_file_set_contents (no_data, contents, 30, NULL);
  }
  assert_fails (no_data, ASSAY_MEDIA_ERROR_CORRUPT, NULL);
}

static void
test_truncated_codec (gconstpointer data)
{
  const Codec *codec = data;
  g_autofree char *path = NULL;

  if (!test_have_elements (codec->elements))
    return;
  path = encode_call (codec->file, codec->encoder);
  truncate_file (path, 0.6);
  assert_fails (path, ASSAY_MEDIA_ERROR_CORRUPT, NULL);
}

static void
test_garbage_codec (gconstpointer data)
{
  const Codec *codec = data;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = NULL;

  if (!test_have_elements (codec->elements))
    return;
  path = encode_call (codec->file, codec->encoder);

  /* overwrite the middle with noise: decoders may conceal it or fail, but never crash */
  g_file_get_contents (path, &contents, &len, NULL);
  for (gsize i = len / 3; i < len / 2; i++)
    contents[i] = (char) (i * 7919 >> 3);
  g_file_set_contents (path, contents, (gssize) len, NULL);

  a = analyze (path, 0, &error);
  if (a == NULL)
    g_assert_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT);
  else
    g_assert_cmpfloat (assay_analysis_get_duration (a), >, 0);
}

/* ---------- async, cancelling ---------- */

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autofree char *path = tmp_path ("call-async.wav");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnalysis) a = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  test_write_call (path, TEST_WAV_MULAW, 8000);
  assay_analysis_run_async (path, NULL, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, run_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  a = assay_analysis_run_finish (result, &error);
  g_assert_no_error (error);
  assert_reference_call (a, 0);
  g_clear_object (&result);

  g_cancellable_cancel (cancellable);
  assay_analysis_run_async (path, NULL, ASSAY_PEAKS_FLAGS_NO_CACHE, cancellable, run_done_cb,
                            &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (assay_analysis_run_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmpdir = g_dir_make_tmp ("assay-analysis-XXXXXX", NULL);

  g_test_add_data_func ("/analysis/wav/pcm16", GUINT_TO_POINTER (TEST_WAV_PCM), test_wav);
  g_test_add_data_func ("/analysis/wav/mulaw", GUINT_TO_POINTER (TEST_WAV_MULAW), test_wav);
  g_test_add_data_func ("/analysis/wav/alaw", GUINT_TO_POINTER (TEST_WAV_ALAW), test_wav);
  g_test_add_func ("/analysis/wav/mono", test_mono);
  g_test_add_func ("/analysis/silence-min", test_silence_min);
  g_test_add_data_func ("/analysis/codec/mp3", &codecs[0], test_codec);
  g_test_add_data_func ("/analysis/codec/vorbis", &codecs[1], test_codec);
  g_test_add_data_func ("/analysis/codec/opus", &codecs[2], test_codec);
  g_test_add_data_func ("/analysis/codec/flac", &codecs[3], test_codec);
  g_test_add_func ("/analysis/codec/gsm", test_gsm);
  g_test_add_data_func ("/analysis/seek/wav", NULL, test_seek);
  g_test_add_data_func ("/analysis/seek/mp3", &codecs[0], test_seek);
  g_test_add_data_func ("/analysis/seek/opus", &codecs[2], test_seek);
  g_test_add_func ("/analysis/missing-decoder", test_missing_decoder);
  g_test_add_func ("/analysis/errors", test_errors);
  g_test_add_data_func ("/analysis/truncated/opus", &codecs[2], test_truncated_codec);
  g_test_add_data_func ("/analysis/truncated/flac", &codecs[3], test_truncated_codec);
  g_test_add_data_func ("/analysis/truncated/vorbis", &codecs[1], test_truncated_codec);
  g_test_add_data_func ("/analysis/garbage/mp3", &codecs[0], test_garbage_codec);
  g_test_add_data_func ("/analysis/garbage/opus", &codecs[2], test_garbage_codec);
  g_test_add_data_func ("/analysis/garbage/vorbis", &codecs[1], test_garbage_codec);
  g_test_add_data_func ("/analysis/garbage/flac", &codecs[3], test_garbage_codec);
  g_test_add_func ("/analysis/async", test_async);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);

        g_unlink (p);
      }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return ret;
}
