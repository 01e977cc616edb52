/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "core/assay-speech.h"

/* Synthetic energy tracks at 100 frames per second: a noise floor with some jitter and speech
 * bursts well above it. */

#define FPS 100

static double
db_to_ms (double db)
{
  return pow (10.0, db / 10.0);
}

static float *
track_new (gsize n,
           double noise_db,
           guint32 seed)
{
  float *e = g_new (float, n);
  GRand *rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < n; i++)
    e[i] = (float) db_to_ms (noise_db + g_rand_double_range (rand, -3, 3));
  g_rand_free (rand);
  return e;
}

static void
track_speak (float  *e,
             double  start,
             double  end,
             double  db)
{
  for (gsize i = (gsize) round (start * FPS); i < (gsize) round (end * FPS); i++)
    e[i] = (float) db_to_ms (db + (double) (i % 7) - 3);   /* a little syllable movement */
}

static void
assert_segments (GArray        *segments,
                 const double  *expected,
                 guint          n)
{
  g_assert_cmpuint (segments->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const AssaySegment *s = &g_array_index (segments, AssaySegment, i);

      g_assert_cmpfloat_with_epsilon (s->start, expected[2 * i], 0.02);
      g_assert_cmpfloat_with_epsilon (s->end, expected[2 * i + 1], 0.02);
    }
}

static GArray *
segments_from (const double *spans,
               guint         n)
{
  GArray *a = assay_segments_new ();

  for (guint i = 0; i < n; i++)
    {
      AssaySegment s = { spans[2 * i], spans[2 * i + 1] };

      g_array_append_val (a, s);
    }
  return a;
}

static void
test_energy_db (void)
{
  g_assert_cmpfloat_with_epsilon (assay_speech_energy_db (1.0), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (assay_speech_energy_db (0.01), -20.0, 1e-9);
  g_assert_cmpfloat (assay_speech_energy_db (0.0), ==, -120.0);
  g_assert_cmpfloat (assay_speech_energy_db (-1.0), ==, -120.0);
  g_assert_cmpfloat (assay_speech_energy_db (NAN), ==, -120.0);
  g_assert_cmpfloat (assay_speech_energy_db (4.0), ==, 0.0);
}

static void
test_detect_bursts (void)
{
  AssaySpeechParams p;
  gsize n = 30 * FPS;
  g_autofree float *e = track_new (n, -65, 1);
  g_autoptr(GArray) segs = NULL;
  const double expected[] = { 2.0, 5.0, 10.0, 10.5, 20.0, 26.0 };

  assay_speech_params_init (&p);
  track_speak (e, 2.0, 5.0, -20);
  track_speak (e, 10.0, 10.5, -25);
  track_speak (e, 20.0, 26.0, -15);
  segs = assay_speech_detect (e, n, &p);
  assert_segments (segs, expected, 3);
  g_assert_cmpfloat_with_epsilon (assay_segments_total (segs), 9.5, 0.05);
}

static void
test_detect_bridge_and_clicks (void)
{
  AssaySpeechParams p;
  gsize n = 20 * FPS;
  g_autofree float *e = track_new (n, -60, 2);
  g_autoptr(GArray) segs = NULL;
  const double expected[] = { 1.0, 4.0, 8.0, 9.0 };

  assay_speech_params_init (&p);
  /* a pause of 0.2 s between words is bridged, one of 1 s is not */
  track_speak (e, 1.0, 2.0, -20);
  track_speak (e, 2.2, 4.0, -20);
  /* a 30 ms click is not speech */
  track_speak (e, 6.0, 6.03, -10);
  track_speak (e, 8.0, 9.0, -20);
  segs = assay_speech_detect (e, n, &p);
  assert_segments (segs, expected, 2);
}

static void
test_noise_floor_adapts (void)
{
  AssaySpeechParams p;
  gsize n = 240 * FPS;
  g_autofree float *e = g_new (float, n);
  g_autofree float *floor_db = NULL;
  g_autoptr(GArray) segs = NULL;
  GRand *rand = g_rand_new_with_seed (3);
  const double expected[] = { 30.0, 33.0, 190.0, 193.0 };

  /* the background rises from -70 dB to -40 dB after two minutes (the customer walks into
   * the street); speech is 25 dB above it either way */
  for (gsize i = 0; i < n; i++)
    e[i] = (float) db_to_ms ((i < 120 * FPS ? -70 : -40) + g_rand_double_range (rand, -3, 3));
  g_rand_free (rand);
  track_speak (e, 30, 33, -45);
  track_speak (e, 190, 193, -15);

  assay_speech_params_init (&p);
  floor_db = assay_speech_noise_floor (e, n, &p);
  g_assert_cmpfloat (floor_db[60 * FPS], <, -66);
  g_assert_cmpfloat (floor_db[60 * FPS], >, -74);
  g_assert_cmpfloat (floor_db[200 * FPS], <, -36);
  g_assert_cmpfloat (floor_db[200 * FPS], >, -44);

  /* the louder background is not taken for speech, and quiet speech over the quiet
   * background is found */
  segs = assay_speech_detect (e, n, &p);
  assert_segments (segs, expected, 2);
}

static void
test_digital_silence (void)
{
  AssaySpeechParams p;
  gsize n = 10 * FPS;
  g_autofree float *e = g_new0 (float, n);
  g_autoptr(GArray) segs = NULL;
  const double expected[] = { 4.0, 6.0 };

  assay_speech_params_init (&p);
  segs = assay_speech_detect (e, n, &p);
  g_assert_cmpuint (segs->len, ==, 0);
  g_clear_pointer (&segs, g_array_unref);

  /* with zeros around it, speech is still bounded by the absolute floor */
  track_speak (e, 4.0, 6.0, -30);
  segs = assay_speech_detect (e, n, &p);
  assert_segments (segs, expected, 1);

  /* faint hiss over digital silence is not speech */
  track_speak (e, 7.0, 9.0, -70);
  g_clear_pointer (&segs, g_array_unref);
  segs = assay_speech_detect (e, n, &p);
  assert_segments (segs, expected, 1);
}

static void
test_segment_ops (void)
{
  const double a_spans[] = { 0, 2, 5, 8, 10, 12 };
  const double b_spans[] = { 1, 3, 7.8, 11 };
  g_autoptr(GArray) a = segments_from (a_spans, 3);
  g_autoptr(GArray) b = segments_from (b_spans, 2);
  g_autoptr(GArray) both = assay_segments_intersect (a, b, 0);
  g_autoptr(GArray) both_long = assay_segments_intersect (a, b, 0.5);
  g_autoptr(GArray) any = assay_segments_union (a, b);
  g_autoptr(GArray) gaps = assay_segments_gaps (any, 20, 3);
  g_autoptr(GArray) gaps_all = assay_segments_gaps (any, 20, 0);
  g_autoptr(GArray) empty = assay_segments_new ();
  g_autoptr(GArray) all_gap = assay_segments_gaps (empty, 5, 3);
  const double e_both[] = { 1, 2, 7.8, 8, 10, 11 };
  const double e_both_long[] = { 1, 2, 10, 11 };
  const double e_any[] = { 0, 3, 5, 12 };
  const double e_gaps[] = { 12, 20 };
  const double e_gaps_all[] = { 3, 5, 12, 20 };
  const double e_all_gap[] = { 0, 5 };

  assert_segments (both, e_both, 3);
  assert_segments (both_long, e_both_long, 2);
  assert_segments (any, e_any, 2);
  assert_segments (gaps, e_gaps, 1);
  assert_segments (gaps_all, e_gaps_all, 2);
  assert_segments (all_gap, e_all_gap, 1);
  g_assert_cmpfloat_with_epsilon (assay_segments_total (a), 7, 1e-9);
}

static void
test_gap_exactly_min (void)
{
  const double spans[] = { 0, 2, 5, 6 };
  g_autoptr(GArray) a = segments_from (spans, 2);
  g_autoptr(GArray) gaps = assay_segments_gaps (a, 6, 3.0);
  const double expected[] = { 2, 5 };

  assert_segments (gaps, expected, 1);
}

static void
test_monologue (void)
{
  /* agent: 0-9, 11-20 (pause of 2 s, customer quiet) = one monologue 0-20;
   * customer backchannel 15-15.5 over the agent does not end it;
   * customer answers in 21-25, agent 25-28 and 32-40: the 4 s pause ends the monologue */
  const double agent_spans[] = { 0, 9, 11, 20, 20.5, 21, 25, 28, 32, 40 };
  const double customer_spans[] = { 15, 15.5, 21, 25 };
  g_autoptr(GArray) agent = segments_from (agent_spans, 5);
  g_autoptr(GArray) customer = segments_from (customer_spans, 2);
  g_autoptr(GArray) none = assay_segments_new ();
  AssaySegment m;

  g_assert_true (assay_speech_longest_monologue (agent, customer, 3.0, &m));
  g_assert_cmpfloat_with_epsilon (m.start, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.end, 21, 1e-9);

  /* the customer speaking in the pause splits it */
  {
    const double c2[] = { 9.5, 10.5 };
    g_autoptr(GArray) customer2 = segments_from (c2, 1);

    g_assert_true (assay_speech_longest_monologue (agent, customer2, 3.0, &m));
    g_assert_cmpfloat_with_epsilon (m.start, 11, 1e-9);
    g_assert_cmpfloat_with_epsilon (m.end, 21, 1e-9);
  }

  g_assert_false (assay_speech_longest_monologue (none, customer, 3.0, &m));
  g_assert_cmpfloat (m.end - m.start, ==, 0);
}

static void
test_analyze_stereo (void)
{
  AssaySpeechParams p;
  gsize n = 30 * FPS;
  g_autofree float *left = track_new (n, -62, 4);
  g_autofree float *right = track_new (n, -58, 5);
  const float *tracks[2];
  g_autoptr(AssaySpeechStats) s = NULL;
  g_autoptr(AssaySpeechStats) swapped = NULL;

  /* agent (left): 1-6, 7-12, 15.5-17, 24-28; customer (right): 11-15, 21-25 */
  track_speak (left, 1, 6, -18);
  track_speak (left, 7, 12, -18);
  track_speak (left, 15.5, 17, -18);
  track_speak (left, 24, 28, -18);
  track_speak (right, 11, 15, -22);
  track_speak (right, 21, 25, -22);
  tracks[0] = left;
  tracks[1] = right;

  assay_speech_params_init (&p);
  s = assay_speech_analyze (tracks, 2, n, 30.0, &p);
  g_assert_true (s->has_talk_split);
  g_assert_cmpfloat_with_epsilon (s->agent_talk_s, 15.5, 0.05);
  g_assert_cmpfloat_with_epsilon (s->customer_talk_s, 8.0, 0.05);
  g_assert_cmpfloat_with_epsilon (s->talk_ratio, 15.5 / 23.5, 0.01);
  {
    const double e_silence[] = { 17, 21 };
    const double e_over[] = { 11, 12, 24, 25 };

    assert_segments (s->silence, e_silence, 1);
    assert_segments (s->overtalk, e_over, 2);
  }
  g_assert_cmpfloat_with_epsilon (s->silence_s, 4, 0.05);
  g_assert_cmpfloat_with_epsilon (s->overtalk_s, 2, 0.05);
  g_assert_cmpfloat_with_epsilon (s->longest_monologue_s, 11, 0.05);
  g_assert_cmpfloat_with_epsilon (s->longest_monologue.start, 1, 0.05);

  /* the agent on the right channel */
  p.agent_channel = 1;
  swapped = assay_speech_analyze (tracks, 2, n, 30.0, &p);
  g_assert_cmpfloat_with_epsilon (swapped->agent_talk_s, 8.0, 0.05);
  g_assert_cmpfloat_with_epsilon (swapped->customer_talk_s, 15.5, 0.05);
  g_assert_cmpfloat_with_epsilon (swapped->longest_monologue_s, 4, 0.05);

  /* a shorter dead-air threshold finds more */
  g_clear_pointer (&s, assay_speech_stats_free);
  p.agent_channel = 0;
  p.silence_min_s = 0.9;
  s = assay_speech_analyze (tracks, 2, n, 30.0, &p);
  {
    const double e_silence[] = { 0, 1, 6, 7, 17, 21, 28, 30 };

    assert_segments (s->silence, e_silence, 4);
  }
}

static void
test_analyze_mono (void)
{
  AssaySpeechParams p;
  gsize n = 16 * FPS;
  g_autofree float *e = track_new (n, -60, 6);
  const float *tracks[1] = { e };
  g_autoptr(AssaySpeechStats) s = NULL;
  const double e_silence[] = { 5, 10, 12, 16 };

  track_speak (e, 2, 5, -20);
  track_speak (e, 10, 12, -20);
  assay_speech_params_init (&p);
  s = assay_speech_analyze (tracks, 1, n, 16.0, &p);
  g_assert_false (s->has_talk_split);
  g_assert_true (isnan (s->talk_ratio));
  g_assert_cmpfloat (s->agent_talk_s, ==, 0);
  assert_segments (s->silence, e_silence, 2);
  g_assert_cmpfloat_with_epsilon (s->silence_s, 9, 0.05);
  g_assert_cmpuint (s->overtalk->len, ==, 0);
}

static void
test_analyze_nobody (void)
{
  AssaySpeechParams p;
  gsize n = 5 * FPS;
  g_autofree float *a = track_new (n, -60, 7);
  g_autofree float *b = track_new (n, -60, 8);
  const float *tracks[2] = { a, b };
  g_autoptr(AssaySpeechStats) s = NULL;
  g_autoptr(AssaySpeechStats) empty = NULL;

  assay_speech_params_init (&p);
  s = assay_speech_analyze (tracks, 2, n, 5.0, &p);
  g_assert_true (isnan (s->talk_ratio));
  g_assert_cmpfloat_with_epsilon (s->silence_s, 5, 1e-9);
  g_assert_cmpfloat (s->longest_monologue_s, ==, 0);

  /* no frames at all */
  empty = assay_speech_analyze (tracks, 2, 0, 0.0, &p);
  g_assert_cmpuint (empty->silence->len, ==, 0);
}

static GArray *
segments_of (const double *pairs,
             guint         n)
{
  GArray *out = assay_segments_new ();

  for (guint i = 0; i < n; i++)
    {
      AssaySegment seg = { pairs[2 * i], pairs[2 * i + 1] };

      g_array_append_val (out, seg);
    }
  return out;
}

static void
test_skip_target (void)
{
  /* speech 0-5, 9-12, 20-30 on a 30 s call: gaps 5-9 (4 s) and 12-20 (8 s) of at least 3 s */
  const double speech[] = { 0, 5, 9, 12, 20, 30 };
  g_autoptr(GArray) active = segments_of (speech, 3);
  g_autoptr(GArray) gaps = assay_segments_gaps (active, 30, 3);
  g_autoptr(GArray) none = assay_segments_new ();
  const double tiny[] = { 1, 1.5 };
  g_autoptr(GArray) short_gap = segments_of (tiny, 1);

  g_assert_cmpuint (gaps->len, ==, 2);
  /* in speech: play on */
  g_assert_cmpfloat (assay_segments_skip_target (gaps, 2.0, 0.3), <, 0);
  g_assert_cmpfloat (assay_segments_skip_target (gaps, 25.0, 0.3), <, 0);
  /* the first 0.3 s of a gap is heard */
  g_assert_cmpfloat (assay_segments_skip_target (gaps, 5.1, 0.3), <, 0);
  /* then it jumps to 0.3 s before the next speech */
  g_assert_cmpfloat_with_epsilon (assay_segments_skip_target (gaps, 5.3, 0.3), 8.7, 1e-9);
  g_assert_cmpfloat_with_epsilon (assay_segments_skip_target (gaps, 15.0, 0.3), 19.7, 1e-9);
  /* at or past the landing point: play on (no seek loop) */
  g_assert_cmpfloat (assay_segments_skip_target (gaps, 19.7, 0.3), <, 0);
  g_assert_cmpfloat (assay_segments_skip_target (gaps, 8.9, 0.3), <, 0);
  /* nothing to skip */
  g_assert_cmpfloat (assay_segments_skip_target (none, 7.0, 0.3), <, 0);
  /* a gap no longer than both kept ends is played whole */
  g_assert_cmpfloat (assay_segments_skip_target (short_gap, 1.25, 0.3), <, 0);
  /* keep 0: the whole gap goes */
  g_assert_cmpfloat_with_epsilon (assay_segments_skip_target (gaps, 12.0, 0), 20.0, 1e-9);
}

static void
test_skip_gaps (void)
{
  /* agent 0-5 and 20-30, customer 4-9 and 12-14: silent 9-12 (3 s) and 14-20 (6 s) */
  const AssaySegment agent[] = { { 0, 5 }, { 20, 30 } };
  const AssaySegment customer[] = { { 4, 9 }, { 12, 14 } };
  g_autoptr(GArray) gaps = assay_speech_skip_gaps (agent, 2, customer, 2, 32, 3);
  g_autoptr(GArray) longer = assay_speech_skip_gaps (agent, 2, customer, 2, 32, 4);
  g_autoptr(GArray) mono = assay_speech_skip_gaps (agent, 2, NULL, 0, 30, 3);

  g_assert_cmpuint (gaps->len, ==, 2);
  g_assert_cmpfloat (g_array_index (gaps, AssaySegment, 0).start, ==, 9);
  g_assert_cmpfloat (g_array_index (gaps, AssaySegment, 0).end, ==, 12);
  g_assert_cmpfloat (g_array_index (gaps, AssaySegment, 1).start, ==, 14);
  g_assert_cmpfloat (g_array_index (gaps, AssaySegment, 1).end, ==, 20);
  /* the 2 s tail 30-32 is too short; with 4 s only 14-20 is left */
  g_assert_cmpuint (longer->len, ==, 1);
  g_assert_cmpfloat (g_array_index (longer, AssaySegment, 0).start, ==, 14);
  /* mono: only the agent's channel, 5-20 silent */
  g_assert_cmpuint (mono->len, ==, 1);
  g_assert_cmpfloat (g_array_index (mono, AssaySegment, 0).start, ==, 5);
  g_assert_cmpfloat (g_array_index (mono, AssaySegment, 0).end, ==, 20);
}

static void
test_listening_time (void)
{
  const double speech[] = { 0, 5, 9, 12, 20, 30 };
  g_autoptr(GArray) active = segments_of (speech, 3);
  g_autoptr(GArray) gaps = assay_segments_gaps (active, 30, 3);
  g_autoptr(GArray) none = assay_segments_new ();

  /* 30 s less (4 - 0.6) and (8 - 0.6) = 19.2 s heard */
  g_assert_cmpfloat_with_epsilon (assay_segments_listening_time (gaps, 30, 0.3, 1.0), 19.2, 1e-9);
  /* at 1.5x: 12.8 s */
  g_assert_cmpfloat_with_epsilon (assay_segments_listening_time (gaps, 30, 0.3, 1.5), 12.8, 1e-9);
  /* nothing skipped: the call's length over the rate */
  g_assert_cmpfloat_with_epsilon (assay_segments_listening_time (none, 30, 0.3, 2.0), 15.0, 1e-9);
  /* a gap reaching past the end is cut at the end */
  {
    const double tail[] = { 25, 40 };
    g_autoptr(GArray) t = segments_of (tail, 1);

    g_assert_cmpfloat_with_epsilon (assay_segments_listening_time (t, 30, 0, 1.0), 25.0, 1e-9);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/speech/energy-db", test_energy_db);
  g_test_add_func ("/speech/skip/target", test_skip_target);
  g_test_add_func ("/speech/skip/listening-time", test_listening_time);
  g_test_add_func ("/speech/skip/gaps", test_skip_gaps);
  g_test_add_func ("/speech/detect/bursts", test_detect_bursts);
  g_test_add_func ("/speech/detect/bridge-and-clicks", test_detect_bridge_and_clicks);
  g_test_add_func ("/speech/detect/noise-floor-adapts", test_noise_floor_adapts);
  g_test_add_func ("/speech/detect/digital-silence", test_digital_silence);
  g_test_add_func ("/speech/segments/ops", test_segment_ops);
  g_test_add_func ("/speech/segments/gap-exactly-min", test_gap_exactly_min);
  g_test_add_func ("/speech/monologue", test_monologue);
  g_test_add_func ("/speech/analyze/stereo", test_analyze_stereo);
  g_test_add_func ("/speech/analyze/mono", test_analyze_mono);
  g_test_add_func ("/speech/analyze/nobody", test_analyze_nobody);

  return g_test_run ();
}
