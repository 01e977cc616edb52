/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "core/assay-wav.h"

/* scripts/make-recordings.sh on a short dialogue: a stereo file, agent left, customer right */

static const char dialogue[] =
  "# a test call\n"
  "@title Test call\n"
  "@lang en\n"
  "@queue Billing\n"
  "@agent-name Emily Carter\n"
  "@agent en-us+f3 58 190\n"
  "@customer en-gb+m3 38 190\n"
  "\n"
  "A: Hello, thank you for calling, how can I help?\n"
  "PAUSE 3.0\n"
  "C: Hi. I would like to check my bill, please.\n"
  "OVERLAP 0.6\n"
  "A: Of course.\n"
  "HOLD 4\n"
  "A: Thank you for holding.\n";

static gboolean
have_tools (void)
{
  const char *tools[] = { "espeak-ng", "sox", "soxi" };

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_test_skip_printf ("%s is not installed", tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
script_path (void)
{
  const char *root = g_getenv ("ASSAY_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "scripts", "make-recordings.sh", NULL);
}

/* the exit status of @argv, or -1 if it did not exit */
static int
run (const char *const *argv,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, err, &status, &error));
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (status, &error))
    return 0;
  return error->domain == G_SPAWN_EXIT_ERROR ? error->code : -1;
}

static char *
soxi (const char *flag,
      const char *file)
{
  const char *argv[] = { "soxi", flag, file, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strstrip (out);
}

/* loudness of each 100 ms of each channel, in dBFS */
static void
window_levels (const char  *wav,
               double     **left,
               double     **right,
               guint       *n_windows)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  AssayWavHeader header;
  const gint16 *samples;
  gsize len, n_frames, per_window = 1600;   /* 16 kHz */

  g_assert_true (g_file_get_contents (wav, &data, &len, NULL));
  g_assert_cmpuint (len, >, 44);
  g_assert_true (assay_wav_parse_header ((const guint8 *) data, len, len, &header, &error));
  g_assert_no_error (error);
  samples = (const gint16 *) (data + header.data_offset);
  n_frames = (len - header.data_offset) / 4;
  *n_windows = (guint) (n_frames / per_window);
  *left = g_new0 (double, *n_windows);
  *right = g_new0 (double, *n_windows);
  for (guint w = 0; w < *n_windows; w++)
    {
      double sl = 0, sr = 0;

      for (gsize i = w * per_window; i < (w + 1) * per_window; i++)
        {
          double l = GINT16_FROM_LE (samples[2 * i]) / 32768.0;
          double r = GINT16_FROM_LE (samples[2 * i + 1]) / 32768.0;

          sl += l * l;
          sr += r * r;
        }
      (*left)[w] = 10 * log10 (sl / per_window + 1e-12);
      (*right)[w] = 10 * log10 (sr / per_window + 1e-12);
    }
}

static gint64
vtt_ms (const char *t)
{
  int h, m, sec, ms;

  g_assert_cmpint (sscanf (t, "%d:%d:%d.%d", &h, &m, &sec, &ms), ==, 4);
  return ((h * 60 + m) * 60 + sec) * 1000 + ms;
}

/*
 * NAME.vtt beside the recording: one cue per scripted line, with the voice of its speaker, at
 * the times the line was laid at. Checked against the audio itself: within a cue the speaker's
 * channel is loud most of the time; the pause and the hold lie between the cues.
 */
static void
check_transcript (const char   *out_dir,
                  const double *left,
                  const double *right,
                  guint         n_windows)
{
  static const char *const voices[] = { "Agent", "Customer", "Agent", "Agent" };
  static const char *const texts[] = {
    "Hello, thank you for calling, how can I help?", "Hi. I would like to check my bill, please.",
    "Of course.", "Thank you for holding.",
  };
  g_autofree char *path = g_build_filename (out_dir, "en-test-call.vtt", NULL);
  g_autofree char *vtt = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 start[4], end[4];
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &vtt, NULL, NULL));
  g_assert_true (g_str_has_prefix (vtt, "WEBVTT"));
  lines = g_strsplit (vtt, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *arrow = strstr (lines[i], " --> ");
      g_autofree char *expected = NULL;

      if (arrow == NULL)
        continue;
      g_assert_cmpuint (n, <, 4);
      start[n] = vtt_ms (lines[i]);
      end[n] = vtt_ms (arrow + 5);
      g_assert_cmpint (end[n], >, start[n]);
      expected = g_strdup_printf ("<v %s>%s", voices[n], texts[n]);
      g_assert_cmpstr (lines[i + 1], ==, expected);
      n++;
    }
  g_assert_cmpuint (n, ==, 4);
  /* PAUSE 3.0 before the customer; the over-talk: "Of course." starts before the customer ends;
   * HOLD 4 (and its half-second lead-in) before the last line */
  g_assert_cmpint (start[1] - end[0], >=, 3000);
  g_assert_cmpint (start[2], <, end[1]);
  g_assert_cmpint (start[3] - end[2], >=, 4500);
  for (guint c = 0; c < 4; c++)
    {
      const double *levels = c == 1 ? right : left;
      guint first = (guint) (start[c] / 100), last = (guint) (end[c] / 100), loud = 0;

      g_assert_cmpuint (last, <=, n_windows);
      for (guint w = first; w < last; w++)
        loud += levels[w] > -35;
      g_test_message ("cue %u: %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " ms, %u of %u windows "
                      "loud", c + 1, start[c], end[c], loud, last - first);
      g_assert_cmpuint (loud * 2, >, last - first);
    }
}

static void
test_render (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *src = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *script = NULL;
  g_autofree char *channels = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *err = NULL;
  g_autofree double *left = NULL;
  g_autofree double *right = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  GStatBuf before, after;
  guint n_windows, agent_only = 0, customer_only = 0, both = 0, quiet_run = 0, longest_quiet = 0;
  double seconds;

  if (!have_tools ())
    return;

  dir = g_dir_make_tmp ("assay-recordings-XXXXXX", NULL);
  src = g_build_filename (dir, "en-test-call.txt", NULL);
  out_dir = g_build_filename (dir, "out", NULL);
  wav = g_build_filename (out_dir, "en-test-call.wav", NULL);
  meta = g_build_filename (out_dir, "en-test-call.meta", NULL);
  script = script_path ();
  g_assert_true (g_file_set_contents (src, dialogue, -1, NULL));

  {
    const char *argv[] = { script, out_dir, src, NULL };

    g_assert_cmpint (run (argv, &err), ==, 0);
  }
  g_assert_true (g_file_test (wav, G_FILE_TEST_IS_REGULAR));

  channels = soxi ("-c", wav);
  rate = soxi ("-r", wav);
  duration = soxi ("-D", wav);
  g_assert_cmpstr (channels, ==, "2");
  g_assert_cmpstr (rate, ==, "16000");
  seconds = g_ascii_strtod (duration, NULL);
  g_test_message ("%.1f s", seconds);
  /* three seconds of dead air, four on hold, and four short lines */
  g_assert_cmpfloat (seconds, >, 3.0 + 4.0 + 4.0);
  g_assert_cmpfloat (seconds, <, 30.0);

  g_assert_true (g_key_file_load_from_file (key_file, meta, G_KEY_FILE_NONE, NULL));
  g_assert_cmpint (g_key_file_get_integer (key_file, "Recording", "HoldSeconds", NULL), ==, 4);
  {
    g_autofree char *queue = g_key_file_get_string (key_file, "Recording", "Queue", NULL);
    g_autofree char *agent = g_key_file_get_string (key_file, "Recording", "Agent", NULL);

    g_assert_cmpstr (queue, ==, "Billing");
    g_assert_cmpstr (agent, ==, "Emily Carter");
  }

  /* the agent speaks on the left only, the customer on the right only, once both at once
   * (the over-talk), and there is a stretch of dead air of about three seconds */
  window_levels (wav, &left, &right, &n_windows);
  for (guint w = 0; w < n_windows; w++)
    {
      gboolean l = left[w] > -35, r = right[w] > -35;

      agent_only += l && !r;
      customer_only += r && !l;
      both += l && r;
      quiet_run = (!l && !r) ? quiet_run + 1 : 0;
      longest_quiet = MAX (longest_quiet, quiet_run);
      /* nothing is silent digital zero: there is a noise floor */
      g_assert_cmpfloat (left[w], >, -90);
    }
  g_assert_cmpuint (agent_only, >, 10);
  g_assert_cmpuint (customer_only, >, 10);
  g_assert_cmpuint (both, >=, 1);
  g_assert_cmpuint (longest_quiet, >=, 27);

  check_transcript (out_dir, left, right, n_windows);

  /* up to date: not made again */
  g_assert_cmpint (g_stat (wav, &before), ==, 0);
  {
    const char *argv[] = { script, out_dir, src, NULL };
    g_autofree char *err2 = NULL;

    g_assert_cmpint (run (argv, &err2), ==, 0);
  }
  g_assert_cmpint (g_stat (wav, &after), ==, 0);
  g_assert_cmpint (before.st_mtime, ==, after.st_mtime);
  g_assert_cmpint (before.st_ino, ==, after.st_ino);
}

static void
test_bad_dialogue (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *src = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *script = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *err = NULL;

  if (!have_tools ())
    return;

  dir = g_dir_make_tmp ("assay-recordings-XXXXXX", NULL);
  src = g_build_filename (dir, "broken.txt", NULL);
  out_dir = g_build_filename (dir, "out", NULL);
  wav = g_build_filename (out_dir, "broken.wav", NULL);
  script = script_path ();
  g_assert_true (g_file_set_contents (src, "A: Hello.\nPAUSE soon\n", -1, NULL));
  {
    const char *argv[] = { script, out_dir, src, NULL };

    g_assert_cmpint (run (argv, &err), !=, 0);
  }
  /* says which line and what to write */
  g_assert_nonnull (strstr (err, "broken.txt:2"));
  g_assert_nonnull (strstr (err, "PAUSE"));
  g_assert_false (g_file_test (wav, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/recordings/render", test_render);
  g_test_add_func ("/data/recordings/bad-dialogue", test_bad_dialogue);
  return g_test_run ();
}
