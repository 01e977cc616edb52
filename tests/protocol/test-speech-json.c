/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A speech analysis as JSON: the exact text `assayctl analyze --json` prints, a round trip
 * through the figures and segments documents, and errors that name the key. */
#include <math.h>

#include "protocol/assay-speech-json.h"

static void
add_segment (GArray *segments,
             double  start,
             double  end)
{
  AssaySegment s = { start, end };

  g_array_append_val (segments, s);
}

/* the reference call of tests/media/test-audio-util.h, agent on the left */
static AssaySpeechSummary *
stereo_summary (void)
{
  AssaySpeechSummary *s = assay_speech_summary_new ();

  s->file = g_strdup ("/tmp/calls/call \"1\".wav");
  s->duration_s = 30;
  s->channels = 2;
  s->sample_rate = 8000;
  s->agent_channel = 0;
  s->has_talk_split = TRUE;
  s->agent_talk_s = 15.5;
  s->customer_talk_s = 8;
  s->talk_ratio = 15.5 / 23.5;
  s->silence_s = 4;
  add_segment (s->silence, 17, 21);
  s->overtalk_s = 2;
  add_segment (s->overtalk, 11, 12);
  add_segment (s->overtalk, 24, 25);
  s->longest_monologue_s = 11;
  s->longest_monologue = (AssaySegment) { 1, 12 };
  add_segment (s->voice[0], 1, 6);
  add_segment (s->voice[0], 7, 12);
  add_segment (s->voice[0], 15.5, 17);
  add_segment (s->voice[0], 24, 28);
  add_segment (s->voice[1], 11, 15);
  add_segment (s->voice[1], 21, 25);
  return s;
}

static AssaySpeechSummary *
mono_summary (void)
{
  AssaySpeechSummary *s = assay_speech_summary_new ();

  s->duration_s = 20.004;
  s->channels = 1;
  s->sample_rate = 16000;
  s->silence_s = 9;
  add_segment (s->silence, 0, 5);
  add_segment (s->silence, 12, 16);
  add_segment (s->voice[0], 5, 12);
  add_segment (s->voice[0], 16, 20);
  return s;
}

static void
assert_segments_equal (GArray *a,
                       GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_assert_cmpfloat_with_epsilon (g_array_index (a, AssaySegment, i).start,
                                      g_array_index (b, AssaySegment, i).start, 0.006);
      g_assert_cmpfloat_with_epsilon (g_array_index (a, AssaySegment, i).end,
                                      g_array_index (b, AssaySegment, i).end, 0.006);
    }
}

static void
assert_number_or_nan (double a,
                      double b)
{
  g_assert_cmpint (isnan (a), ==, isnan (b));
  if (!isnan (a))
    g_assert_cmpfloat_with_epsilon (a, b, 0.006);
}

static void
assert_summaries_equal (const AssaySpeechSummary *a,
                        const AssaySpeechSummary *b)
{
  g_assert_cmpfloat_with_epsilon (a->duration_s, b->duration_s, 0.006);
  g_assert_cmpuint (a->channels, ==, b->channels);
  g_assert_cmpuint (a->sample_rate, ==, b->sample_rate);
  g_assert_cmpuint (a->agent_channel, ==, b->agent_channel);
  g_assert_cmpint (a->has_talk_split, ==, b->has_talk_split);
  assert_number_or_nan (a->agent_talk_s, b->agent_talk_s);
  assert_number_or_nan (a->customer_talk_s, b->customer_talk_s);
  assert_number_or_nan (a->talk_ratio, b->talk_ratio);
  g_assert_cmpfloat_with_epsilon (a->silence_s, b->silence_s, 0.006);
  assert_segments_equal (a->silence, b->silence);
  assert_number_or_nan (a->overtalk_s, b->overtalk_s);
  assert_segments_equal (a->overtalk, b->overtalk);
  assert_number_or_nan (a->longest_monologue_s, b->longest_monologue_s);
  g_assert_cmpfloat_with_epsilon (a->longest_monologue.start, b->longest_monologue.start, 0.006);
  g_assert_cmpfloat_with_epsilon (a->longest_monologue.end, b->longest_monologue.end, 0.006);
  assert_segments_equal (a->voice[0], b->voice[0]);
  assert_segments_equal (a->voice[1], b->voice[1]);
  g_assert_cmpfloat_with_epsilon (a->silence_min_s, b->silence_min_s, 0.006);
  g_assert_cmpfloat_with_epsilon (a->overtalk_min_s, b->overtalk_min_s, 0.006);
}

static void
test_exact_text (void)
{
  g_autoptr(AssaySpeechSummary) stereo = stereo_summary ();
  g_autoptr(AssaySpeechSummary) mono = mono_summary ();
  g_autofree char *with_file = assay_speech_figures_to_json (stereo, TRUE);
  g_autofree char *without = assay_speech_figures_to_json (stereo, FALSE);
  g_autofree char *mono_json = assay_speech_figures_to_json (mono, FALSE);
  g_autofree char *lanes = assay_speech_segments_to_json (stereo);
  g_autofree char *mono_lanes = assay_speech_segments_to_json (mono);

  g_assert_cmpstr (with_file, ==,
                   "{\"file\":\"/tmp/calls/call \\\"1\\\".wav\",\"duration_s\":30.00,\"channels\":2,"
                   "\"sample_rate\":8000,\"talk_s\":{\"agent\":15.50,\"customer\":8.00},"
                   "\"talk_ratio\":0.66,\"silence_s\":4.00,\"silence_segments\":[[17.00,21.00]],"
                   "\"overtalk_s\":2.00,\"overtalk_segments\":[[11.00,12.00],[24.00,25.00]],"
                   "\"longest_monologue_s\":11.00}");
  g_assert_true (g_str_has_prefix (without, "{\"duration_s\":30.00,"));
  g_assert_true (g_str_has_suffix (with_file, without + 1));
  g_assert_cmpstr (mono_json, ==,
                   "{\"duration_s\":20.00,\"channels\":1,\"sample_rate\":16000,"
                   "\"talk_s\":{\"agent\":null,\"customer\":null},\"talk_ratio\":null,"
                   "\"silence_s\":9.00,\"silence_segments\":[[0.00,5.00],[12.00,16.00]],"
                   "\"overtalk_s\":null,\"overtalk_segments\":null,\"longest_monologue_s\":null}");
  g_assert_cmpstr (lanes, ==,
                   "{\"agent_channel\":0,\"silence_min_s\":3.00,\"overtalk_min_s\":0.50,"
                   "\"voice\":[[[1.00,6.00],[7.00,12.00],[15.50,17.00],[24.00,28.00]],"
                   "[[11.00,15.00],[21.00,25.00]]],\"longest_monologue\":[1.00,12.00]}");
  g_assert_cmpstr (mono_lanes, ==,
                   "{\"agent_channel\":0,\"silence_min_s\":3.00,\"overtalk_min_s\":0.50,"
                   "\"voice\":[[[5.00,12.00],[16.00,20.00]]],\"longest_monologue\":null}");
}

static void
test_round_trip (void)
{
  AssaySpeechSummary *(*make[]) (void) = { stereo_summary, mono_summary };

  for (guint i = 0; i < G_N_ELEMENTS (make); i++)
    {
      g_autoptr(AssaySpeechSummary) s = make[i] ();
      g_autoptr(AssaySpeechSummary) copy = assay_speech_summary_copy (s);
      g_autofree char *figures = assay_speech_figures_to_json (s, TRUE);
      g_autofree char *segments = assay_speech_segments_to_json (s);
      g_autoptr(AssaySpeechSummary) back = NULL;
      g_autoptr(AssaySpeechSummary) figures_only = NULL;
      g_autofree char *again = NULL;
      g_autoptr(GError) error = NULL;

      if (i == 0)
        s->agent_channel = 1;   /* must come back from the segments document */
      g_free (segments);
      segments = assay_speech_segments_to_json (s);

      back = assay_speech_summary_from_json (figures, segments, &error);
      g_assert_no_error (error);
      g_assert_nonnull (back);
      assert_summaries_equal (s, back);
      g_assert_cmpstr (back->file, ==, s->file);
      again = assay_speech_figures_to_json (back, TRUE);
      g_assert_cmpstr (again, ==, figures);

      /* a copy is deep and equal */
      copy->agent_channel = s->agent_channel;
      assert_summaries_equal (s, copy);
      g_assert_true (copy->silence != s->silence);

      /* without the lanes, the figures still come back */
      figures_only = assay_speech_summary_from_json (figures, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (figures_only->has_talk_split, ==, s->has_talk_split);
      g_assert_cmpuint (figures_only->voice[0]->len, ==, 0);
      assert_segments_equal (figures_only->silence, s->silence);
    }
}

static void
test_errors (void)
{
  static const struct {
    const char *figures;
    const char *segments;
    const char *message;
  } cases[] = {
    { "not json", NULL, "figures: (document)" },
    { "[1, 2]", NULL, "figures: (document): must be a JSON object" },
    { "{\"channels\":2}", NULL, "figures: duration_s: missing" },
    { "{\"duration_s\":\"30\"}", NULL, "figures: duration_s: must be a number" },
    { "{\"duration_s\":-1}", NULL, "figures: duration_s: must be 0 or more" },
    { "{\"duration_s\":1,\"channels\":1.5}", NULL, "figures: channels: must be a whole number" },
    { "{\"duration_s\":1,\"channels\":2,\"sample_rate\":8000,\"talk_s\":[]}", NULL,
      "figures: talk_s: must be an object" },
    { "{\"duration_s\":1,\"channels\":2,\"sample_rate\":8000,\"talk_s\":{\"agent\":1}}", NULL,
      "figures: talk_s: customer: missing" },
    { "{\"duration_s\":1,\"channels\":2,\"sample_rate\":8000,"
      "\"talk_s\":{\"agent\":1,\"customer\":null}}", NULL,
      "figures: talk_s: agent and customer must both be numbers or both null" },
    { "{\"duration_s\":1,\"channels\":1,\"sample_rate\":8000,"
      "\"talk_s\":{\"agent\":null,\"customer\":null},\"talk_ratio\":null,\"silence_s\":0,"
      "\"silence_segments\":[[2,1]]}", NULL,
      "figures: silence_segments[0]: must be [start, end]" },
    { "{\"duration_s\":1,\"channels\":2,\"sample_rate\":8000,"
      "\"talk_s\":{\"agent\":1,\"customer\":0},\"talk_ratio\":1,\"silence_s\":0,"
      "\"silence_segments\":[],\"overtalk_s\":null}", NULL,
      "figures: overtalk_s: must be a number" },
    { "{\"duration_s\":1,\"channels\":1,\"sample_rate\":8000,"
      "\"talk_s\":{\"agent\":null,\"customer\":null},\"talk_ratio\":null,\"silence_s\":0,"
      "\"silence_segments\":[],\"overtalk_s\":null,\"overtalk_segments\":null,"
      "\"longest_monologue_s\":null}",
      "{\"agent_channel\":0,\"silence_min_s\":3,\"overtalk_min_s\":0.5,\"voice\":[[],[]],"
      "\"longest_monologue\":null}",
      "segments: voice: must have one channel" },
    { "{\"duration_s\":1,\"channels\":1,\"sample_rate\":8000,"
      "\"talk_s\":{\"agent\":null,\"customer\":null},\"talk_ratio\":null,\"silence_s\":0,"
      "\"silence_segments\":[],\"overtalk_s\":null,\"overtalk_segments\":null,"
      "\"longest_monologue_s\":null}",
      "{\"agent_channel\":2,\"silence_min_s\":3,\"overtalk_min_s\":0.5,\"voice\":[[]],"
      "\"longest_monologue\":null}",
      "segments: agent_channel: out of range" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AssaySpeechSummary) s = NULL;

      s = assay_speech_summary_from_json (cases[i].figures, cases[i].segments, &error);
      g_assert_null (s);
      g_assert_error (error, ASSAY_SPEECH_ERROR, ASSAY_SPEECH_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %" G_GSIZE_FORMAT ": '%s' does not start with '%s'", i, error->message,
                 cases[i].message);
    }
}

static void
test_unknown_keys (void)
{
  g_autoptr(AssaySpeechSummary) mono = mono_summary ();
  g_autofree char *figures = assay_speech_figures_to_json (mono, FALSE);
  g_autofree char *extended = g_strconcat ("{\"words_per_minute\":140,", figures + 1, NULL);
  g_autoptr(AssaySpeechSummary) back = NULL;
  g_autoptr(GError) error = NULL;

  /* a newer writer may add figures; this reader keeps what it knows */
  back = assay_speech_summary_from_json (extended, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_null (back->file);
  g_assert_false (back->has_talk_split);
  g_assert_true (isnan (back->talk_ratio));
  g_assert_cmpfloat_with_epsilon (back->silence_s, 9, 0.001);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/speech-json/exact-text", test_exact_text);
  g_test_add_func ("/protocol/speech-json/round-trip", test_round_trip);
  g_test_add_func ("/protocol/speech-json/errors", test_errors);
  g_test_add_func ("/protocol/speech-json/unknown-keys", test_unknown_keys);
  return g_test_run ();
}
