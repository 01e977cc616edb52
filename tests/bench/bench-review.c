/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gst/gst.h>

#include "core/assay-speech.h"
#include "core/assay-util.h"
#include "media/assay-analysis.h"
#include "media/assay-peaks.h"
#include "media/assay-player.h"

/*
 * Review faster than the call: the wall time to hear the demo's longest call at 1.5× with
 * silence skipping, against the call's length (target: less than the call lasts). The call is
 * played for real by AssayPlayer, through a sink that keeps to the clock (the machine's audio
 * device, or a fake sink headless), and skips as the review workspace does
 * (assay_speech_skip_gaps, assay_segments_skip_target; 1.5 s silences, 0.3 s kept at each end).
 * Also prints the planned listening time (assay_segments_listening_time) beside the measured
 * one. The recordings come from $ASSAY_DEMO_DIR/recordings (scripts/run-bench.sh sets it).
 * Figures only: a benchmark never fails on time.
 */

#define RATE    1.5
#define MIN_S   1.5
#define KEEP_S  0.3

typedef struct {
  AssayPlayer *player;
  GArray      *gaps;
  guint        n_skips;
  gboolean     started;
} Run;

static void
position_cb (Run *run)
{
  gint64 position = assay_player_get_position (run->player);
  double target;

  if (assay_player_get_state (run->player) != ASSAY_PLAYER_STATE_PLAYING)
    return;
  target = assay_segments_skip_target (run->gaps, position / 1000.0, KEEP_S);
  if (target >= 0)
    {
      run->n_skips++;
      assay_player_seek (run->player, (gint64) (target * 1000.0));
    }
}

static char *
longest_recording (const char *dir,
                   double     *out_duration)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *best = NULL;
  double best_s = 0;
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(AssayPeaks) peaks = NULL;

      if (!g_str_has_suffix (name, ".wav"))
        continue;
      path = g_build_filename (dir, name, NULL);
      peaks = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NONE, NULL, NULL);
      if (peaks != NULL && assay_peaks_get_duration (peaks) > best_s)
        {
          best_s = assay_peaks_get_duration (peaks);
          g_free (best);
          best = g_steal_pointer (&path);
        }
    }
  *out_duration = best_s;
  return g_steal_pointer (&best);
}

int
main (int    argc,
      char **argv)
{
  const char *demo = g_getenv ("ASSAY_DEMO_DIR");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AssayPeaks) peaks = NULL;
  g_autoptr(AssayAnalysis) analysis = NULL;
  g_autoptr(GArray) gaps = NULL;
  const AssaySegment *a, *b = NULL;
  guint n_a = 0, n_b = 0;
  double duration = 0, planned, start, wall;
  Run run = { 0 };

  gst_init (&argc, &argv);
  if (demo == NULL)
    {
      printf ("bench-review: skipped, ASSAY_DEMO_DIR is not set (make bench sets it)\n");
      return 0;
    }
  dir = g_build_filename (demo, "recordings", NULL);
  path = longest_recording (dir, &duration);
  if (path == NULL)
    {
      printf ("bench-review: skipped, no demo recording in %s\n", dir);
      return 0;
    }

  peaks = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NONE, NULL, NULL);
  analysis = assay_analysis_new_for_peaks (path, peaks, NULL);
  a = assay_analysis_get_voice_segments (analysis, 0, &n_a);
  if (assay_analysis_get_has_talk_split (analysis))
    b = assay_analysis_get_voice_segments (analysis, 1, &n_b);
  gaps = assay_speech_skip_gaps (a, n_a, b, n_b, duration, MIN_S);
  planned = assay_segments_listening_time (gaps, duration, KEEP_S, RATE);

  /* headless machines have no audio device: a fake sink that keeps to the clock */
  if (g_getenv ("ASSAY_AUDIO_SINK") == NULL)
    g_setenv ("ASSAY_AUDIO_SINK", "fakesink sync=true", TRUE);
  run.player = assay_player_new ();
  run.gaps = gaps;
  g_signal_connect_swapped (run.player, "notify::position", G_CALLBACK (position_cb), &run);
  assay_player_open (run.player, path);
  while (assay_player_get_state (run.player) == ASSAY_PLAYER_STATE_LOADING
         || assay_player_get_state (run.player) == ASSAY_PLAYER_STATE_EMPTY)
    g_main_context_iteration (NULL, TRUE);
  if (assay_player_get_state (run.player) == ASSAY_PLAYER_STATE_ERROR)
    {
      printf ("bench-review: the player failed: %s\n", assay_player_get_error (run.player)->message);
      return 1;
    }
  assay_player_set_rate (run.player, RATE);
  start = g_get_monotonic_time () / 1e6;
  assay_player_play (run.player);
  while (assay_player_get_state (run.player) != ASSAY_PLAYER_STATE_ENDED
         && assay_player_get_state (run.player) != ASSAY_PLAYER_STATE_ERROR
         && g_get_monotonic_time () / 1e6 - start < duration * 2)
    g_main_context_iteration (NULL, TRUE);
  wall = g_get_monotonic_time () / 1e6 - start;

  {
    g_autofree char *base = g_path_get_basename (path);

    printf ("review of the longest demo call (%s, %.1f s) at %.1fx, silences of %.1f s or more"
            " skipped:\n", base, duration, RATE, MIN_S);
    printf ("  wall time %.1f s = %.0f %% of the call (target < 100 %%), %u skips, ended: %s\n",
            wall, 100.0 * wall / duration, run.n_skips,
            assay_player_get_state (run.player) == ASSAY_PLAYER_STATE_ENDED ? "yes" : "no");
    printf ("  planned listening time %.1f s = %.0f %% of the call; at %.1fx without skipping"
            " %.1f s\n", planned, 100.0 * planned / duration, RATE, duration / RATE);
  }
  g_signal_handlers_disconnect_by_data (run.player, &run);
  assay_player_close (run.player);
  g_object_unref (run.player);
  return 0;
}
