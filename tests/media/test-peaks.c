/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include <gst/gst.h>

#include "media/assay-media-error.h"
#include "media/assay-peaks.h"
#include "test-audio-util.h"

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* 8 kHz stereo, 80 frames per bucket: in bucket b the left channel swings between -100 b and
 * +100 b, the right holds 1000 (and -1000 in odd buckets' first frame). @extra frames of 0
 * follow the whole buckets. */
static void
write_known (const char *path,
             guint       n_buckets,
             guint       extra)
{
  gsize n = (gsize) n_buckets * 80 + extra;
  g_autofree gint16 *pcm = g_new0 (gint16, n * 2);

  for (gsize i = 0; i < (gsize) n_buckets * 80; i++)
    {
      gsize b = i / 80;

      pcm[2 * i] = (gint16) ((i % 2 ? -100 : 100) * (gint) b);
      pcm[2 * i + 1] = (gint16) (b % 2 && i % 80 == 0 ? -1000 : 1000);
    }
  test_write_wav (path, TEST_WAV_PCM, 8000, 2, pcm, n);
}

static void
assert_known (AssayPeaks *peaks,
              guint       n_buckets)
{
  for (guint b = 0; b < n_buckets; b++)
    {
      float mn, mx;
      double e0 = pow (100.0 * b / 32768.0, 2);
      double e1 = pow (1000.0 / 32768.0, 2);

      assay_peaks_get_bucket (peaks, 0, b, &mn, &mx);
      g_assert_cmpfloat (mn, ==, -100.0f * b / 32768.0f);
      g_assert_cmpfloat (mx, ==, 100.0f * b / 32768.0f);
      assay_peaks_get_bucket (peaks, 1, b, &mn, &mx);
      g_assert_cmpfloat (mn, ==, (b % 2 ? -1000.0f : 1000.0f) / 32768.0f);
      g_assert_cmpfloat (mx, ==, 1000.0f / 32768.0f);
      g_assert_cmpfloat_with_epsilon (assay_peaks_get_energy (peaks, 0, b), e0, e0 * 1e-5 + 1e-12);
      g_assert_cmpfloat_with_epsilon (assay_peaks_get_energy (peaks, 1, b), e1, e1 * 1e-5);
    }
}

static void
test_known_signal (void)
{
  g_autofree char *path = tmp_path ("known.wav");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayPeaks) peaks = NULL;
  float mn, mx;

  /* 2 s and 40 frames: the last, partial bucket counts too */
  write_known (path, 200, 40);
  peaks = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (assay_peaks_get_complete (peaks));
  g_assert_false (assay_peaks_get_from_cache (peaks));
  g_assert_cmpuint (assay_peaks_get_n_channels (peaks), ==, 2);
  g_assert_cmpuint (assay_peaks_get_sample_rate (peaks), ==, 8000);
  g_assert_cmpuint (assay_peaks_get_n_buckets (peaks), ==, 201);
  g_assert_cmpfloat_with_epsilon (assay_peaks_get_duration (peaks), 2.005, 1e-9);
  g_assert_cmpstr (assay_peaks_get_decoder (peaks), ==, "wav");
  assert_known (peaks, 200);
  assay_peaks_get_bucket (peaks, 0, 200, &mn, &mx);
  g_assert_cmpfloat (mn, ==, 0);
  g_assert_cmpfloat (mx, ==, 0);
}

static void
test_fractional_buckets (void)
{
  g_autofree char *path = tmp_path ("spike.wav");
  g_autofree gint16 *pcm = g_new0 (gint16, 11025);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayPeaks) peaks = NULL;
  float mn, mx;

  /* at 11025 Hz a bucket is 110.25 frames: bucket 45 is frames 4962..5071 */
  pcm[4961] = -5000;
  pcm[4962] = 20000;
  pcm[5071] = -20000;
  pcm[5072] = 7000;
  test_write_wav (path, TEST_WAV_PCM, 11025, 1, pcm, 11025);
  peaks = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assay_peaks_get_n_buckets (peaks), ==, 100);
  g_assert_cmpfloat_with_epsilon (assay_peaks_get_duration (peaks), 1.0, 1e-9);

  assay_peaks_get_bucket (peaks, 0, 44, &mn, &mx);
  g_assert_cmpfloat (mn, ==, -5000 / 32768.0f);
  g_assert_cmpfloat (mx, ==, 0);
  assay_peaks_get_bucket (peaks, 0, 45, &mn, &mx);
  g_assert_cmpfloat (mn, ==, -20000 / 32768.0f);
  g_assert_cmpfloat (mx, ==, 20000 / 32768.0f);
  assay_peaks_get_bucket (peaks, 0, 46, &mn, &mx);
  g_assert_cmpfloat (mn, ==, 0);
  g_assert_cmpfloat (mx, ==, 7000 / 32768.0f);
}

static void
test_resample (void)
{
  g_autofree char *path = tmp_path ("known-resample.wav");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayPeaks) peaks = NULL;
  float mins[8], maxs[8];

  write_known (path, 200, 0);
  peaks = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, &error);
  g_assert_no_error (error);

  /* 4 columns over 2 s: column c covers buckets 50c..50c+49, so its peak is bucket 50c+49 */
  g_assert_cmpuint (assay_peaks_resample (peaks, 0, 0, 2, 4, mins, maxs), ==, 4);
  for (guint c = 0; c < 4; c++)
    {
      g_assert_cmpfloat (maxs[c], ==, 100.0f * (50 * c + 49) / 32768.0f);
      g_assert_cmpfloat (mins[c], ==, -100.0f * (50 * c + 49) / 32768.0f);
    }

  /* zoomed past the end: columns beyond the data are empty */
  g_assert_cmpuint (assay_peaks_resample (peaks, 0, 1.5, 2.5, 4, mins, maxs), ==, 2);
  g_assert_cmpfloat (maxs[0], ==, 100.0f * 174 / 32768.0f);
  g_assert_cmpfloat (maxs[2], ==, 0);
  g_assert_cmpfloat (mins[3], ==, 0);

  /* zoomed in beyond one bucket per column: each column shows its bucket */
  g_assert_cmpuint (assay_peaks_resample (peaks, 0, 0.5, 0.52, 8, mins, maxs), ==, 8);
  g_assert_cmpfloat (maxs[0], ==, 100.0f * 50 / 32768.0f);
  g_assert_cmpfloat (maxs[7], ==, 100.0f * 51 / 32768.0f);

  /* a channel the file does not have */
  g_assert_cmpuint (assay_peaks_resample (peaks, 5, 0, 2, 4, mins, maxs), ==, 0);
}

/* ---------- the async job ---------- */

typedef struct {
  GPtrArray    *calls;        /* gsize pairs: first, n */
  AssayPeaks   *seen;
  gboolean      done;
  gboolean      progress_after_done;
  AssayPeaks   *result;
  GError       *error;
  GCancellable *cancel_on_progress;
  double        first_duration;
} Run;

static void
progress_cb (AssayPeaks *peaks,
             gsize       first,
             gsize       n_new,
             gpointer    user_data)
{
  Run *run = user_data;

  if (run->done)
    run->progress_after_done = TRUE;
  if (run->seen == NULL)
    {
      run->seen = peaks;
      run->first_duration = assay_peaks_get_duration (peaks);
    }
  g_assert_true (run->seen == peaks);
  g_assert_cmpuint (first + n_new, <=, assay_peaks_get_n_buckets (peaks));
  g_ptr_array_add (run->calls, GSIZE_TO_POINTER (first));
  g_ptr_array_add (run->calls, GSIZE_TO_POINTER (n_new));
  if (run->cancel_on_progress != NULL)
    g_cancellable_cancel (run->cancel_on_progress);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  run->result = assay_peaks_load_finish (result, &run->error);
  run->done = TRUE;
}

static void
run_load (Run             *run,
          const char      *path,
          AssayPeaksFlags  flags,
          GCancellable    *cancellable)
{
  memset (run, 0, sizeof *run);
  run->calls = g_ptr_array_new ();
  assay_peaks_load_async (path, flags, cancellable, progress_cb, run, NULL, load_done_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  /* anything still queued would show up now */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
run_clear (Run *run)
{
  g_ptr_array_unref (run->calls);
  g_clear_object (&run->result);
  g_clear_error (&run->error);
}

static char *
write_long_call (const char *name,
                 double      minutes)
{
  char *path = tmp_path (name);
  TestSpan spans[64];
  guint n_spans = 0;
  gsize n;
  g_autofree gint16 *pcm = NULL;

  for (double t = 2; t + 6 < minutes * 60 && n_spans < G_N_ELEMENTS (spans); t += 10)
    spans[n_spans++] = (TestSpan) { t, t + 4, n_spans % 2 };
  pcm = test_synth_call (8000, 2, minutes * 60, spans, n_spans, 3, &n);
  test_write_wav (path, TEST_WAV_PCM, 8000, 2, pcm, n);
  return path;
}

static void
test_progressive (void)
{
  g_autofree char *path = write_long_call ("long.wav", 5);
  g_autoptr(AssayPeaks) reference = NULL;
  g_autoptr(GError) error = NULL;
  Run run;
  gsize expect_first = 0, total;

  reference = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, &error);
  g_assert_no_error (error);
  total = assay_peaks_get_n_buckets (reference);
  g_assert_cmpuint (total, ==, 5 * 60 * 100);

  run_load (&run, path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);
  g_assert_true (run.result == run.seen);
  g_assert_false (run.progress_after_done);
  g_assert_true (assay_peaks_get_complete (run.result));

  /* several calls, in order, without gaps, the first well before the end, and the length
   * known from the first one on */
  g_assert_cmpuint (run.calls->len / 2, >=, 2);
  g_assert_cmpuint (GPOINTER_TO_SIZE (run.calls->pdata[1]), <, total);
  g_assert_cmpfloat_with_epsilon (run.first_duration, 300, 0.01);
  for (guint i = 0; i < run.calls->len; i += 2)
    {
      g_assert_cmpuint (GPOINTER_TO_SIZE (run.calls->pdata[i]), ==, expect_first);
      g_assert_cmpuint (GPOINTER_TO_SIZE (run.calls->pdata[i + 1]), >, 0);
      expect_first += GPOINTER_TO_SIZE (run.calls->pdata[i + 1]);
    }
  g_assert_cmpuint (expect_first, ==, total);
  g_assert_cmpuint (assay_peaks_get_n_buckets (run.result), ==, total);

  /* the same figures as the blocking call */
  for (gsize b = 0; b < total; b += 997)
    for (guint c = 0; c < 2; c++)
      {
        float a0, a1, b0, b1;

        assay_peaks_get_bucket (reference, c, b, &a0, &a1);
        assay_peaks_get_bucket (run.result, c, b, &b0, &b1);
        g_assert_cmpfloat (a0, ==, b0);
        g_assert_cmpfloat (a1, ==, b1);
        g_assert_cmpfloat (assay_peaks_get_energy (reference, c, b), ==,
                           assay_peaks_get_energy (run.result, c, b));
      }
  run_clear (&run);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_cache (void)
{
  g_autofree char *path = write_long_call ("cached.wav", 1);
  g_autofree char *cache = assay_peaks_get_cache_path (path);
  g_autofree char *cache_after = NULL;
  Run first, second, third;

  g_assert_nonnull (cache);
  g_assert_true (g_str_has_prefix (cache, g_get_user_cache_dir ()));
  g_assert_nonnull (strstr (cache, "assay/peaks/"));
  g_unlink (cache);

  run_load (&first, path, ASSAY_PEAKS_FLAGS_NONE, NULL);
  g_assert_no_error (first.error);
  g_assert_false (assay_peaks_get_from_cache (first.result));
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));

  run_load (&second, path, ASSAY_PEAKS_FLAGS_NONE, NULL);
  g_assert_no_error (second.error);
  g_assert_true (assay_peaks_get_from_cache (second.result));
  g_assert_cmpuint (second.calls->len, ==, 2);   /* all of it at once */
  g_assert_cmpuint (assay_peaks_get_n_buckets (second.result), ==,
                    assay_peaks_get_n_buckets (first.result));
  g_assert_cmpfloat (assay_peaks_get_duration (second.result), ==,
                     assay_peaks_get_duration (first.result));
  g_assert_cmpuint (assay_peaks_get_sample_rate (second.result), ==, 8000);
  g_assert_cmpstr (assay_peaks_get_decoder (second.result), ==, "wav");
  for (gsize b = 0; b < assay_peaks_get_n_buckets (first.result); b++)
    for (guint c = 0; c < 2; c++)
      {
        float a0, a1, b0, b1;

        assay_peaks_get_bucket (first.result, c, b, &a0, &a1);
        assay_peaks_get_bucket (second.result, c, b, &b0, &b1);
        g_assert_cmpfloat (a0, ==, b0);
        g_assert_cmpfloat (a1, ==, b1);
        g_assert_cmpfloat (assay_peaks_get_energy (first.result, c, b), ==,
                           assay_peaks_get_energy (second.result, c, b));
      }

  /* NO_CACHE skips it */
  run_clear (&second);
  run_load (&second, path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL);
  g_assert_false (assay_peaks_get_from_cache (second.result));
  run_clear (&second);

  /* a damaged cache file is ignored and replaced */
  g_file_set_contents (cache, "ASYPEAKS but not much else", -1, NULL);
  run_load (&second, path, ASSAY_PEAKS_FLAGS_NONE, NULL);
  g_assert_no_error (second.error);
  g_assert_false (assay_peaks_get_from_cache (second.result));
  run_clear (&second);
  {
    g_autoptr(AssayPeaks) again = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NONE, NULL, NULL);

    g_assert_true (assay_peaks_get_from_cache (again));
  }

  /* a changed recording is decoded again, under another key */
  g_free (write_long_call ("cached.wav", 59.9 / 60));
  cache_after = assay_peaks_get_cache_path (path);
  g_assert_cmpstr (cache_after, !=, cache);
  run_load (&third, path, ASSAY_PEAKS_FLAGS_NONE, NULL);
  g_assert_no_error (third.error);
  g_assert_false (assay_peaks_get_from_cache (third.result));
  g_assert_cmpuint (assay_peaks_get_n_buckets (third.result), ==,
                    assay_peaks_get_n_buckets (first.result) - 10);

  run_clear (&first);
  run_clear (&third);
}

typedef struct {
  guint calls;
  guint n_buckets_notifies;
  guint complete_notifies;
} NotifyCount;

static void
notify_progress_cb (AssayPeaks *peaks,
                    gsize       first,
                    gsize       n_new,
                    gpointer    user_data)
{
  NotifyCount *count = user_data;

  if (count->calls++ == 0)
    {
      g_signal_connect (peaks, "notify::n-buckets", G_CALLBACK (count_notify_cb),
                        &count->n_buckets_notifies);
      g_signal_connect (peaks, "notify::complete", G_CALLBACK (count_notify_cb),
                        &count->complete_notifies);
    }
}

static void
test_notify (void)
{
  g_autofree char *path = write_long_call ("notify.wav", 3);
  NotifyCount count = { 0 };
  Run run;
  gboolean complete = FALSE;
  guint64 n_buckets = 0;

  /* properties change on the main context as the buckets arrive: each progress call after the
   * first (when the handlers are connected) comes with a notify::n-buckets */
  memset (&run, 0, sizeof run);
  assay_peaks_load_async (path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, notify_progress_cb, &count, NULL,
                          load_done_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_object_get (run.result, "complete", &complete, "n-buckets", &n_buckets, NULL);
  g_assert_true (complete);
  g_assert_cmpuint (n_buckets, ==, 3 * 60 * 100);
  g_assert_cmpuint (count.calls, >=, 2);
  g_assert_cmpuint (count.n_buckets_notifies, ==, count.calls - 1);
  g_assert_cmpuint (count.complete_notifies, ==, 1);
  g_clear_object (&run.result);
}

static void
test_cancel (void)
{
  g_autofree char *path = write_long_call ("cancel.wav", 5);
  g_autofree char *cache = assay_peaks_get_cache_path (path);
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  Run run;

  g_cancellable_cancel (before);
  run_load (&run, path, ASSAY_PEAKS_FLAGS_NONE, before);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);
  g_assert_cmpuint (run.calls->len, ==, 0);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  run_clear (&run);

  /* cancelled at the first progress call: no more calls, and the job fails */
  memset (&run, 0, sizeof run);
  run.calls = g_ptr_array_new ();
  run.cancel_on_progress = during;
  assay_peaks_load_async (path, ASSAY_PEAKS_FLAGS_NO_CACHE, during, progress_cb, &run, NULL,
                          load_done_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);
  g_assert_cmpuint (run.calls->len, ==, 2);
  run_clear (&run);
}

/* Long MP3 and Opus files are decoded in two halves on two threads: the buckets must be the
 * ones a single pass makes. */
static void
test_halves (gconstpointer data)
{
  const char *encoder = data;
  const char *elements[] = { g_str_has_prefix (encoder, "lame") ? "lamemp3enc" : "opusenc", NULL };
  g_autofree char *wav = write_long_call ("halves.wav", 2.5);
  g_autofree char *path =
    tmp_path (g_str_has_prefix (encoder, "lame") ? "halves.mp3" : "halves.opus");
  g_autoptr(AssayPeaks) one = NULL;
  g_autoptr(AssayPeaks) two = NULL;
  g_autoptr(GError) error = NULL;
  gsize n, differ = 0;

  if (!test_have_elements (elements))
    return;
  g_assert_true (test_encode (wav, encoder, path));

  one = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NO_CACHE | ASSAY_PEAKS_FLAGS_ONE_THREAD,
                               NULL, &error);
  g_assert_no_error (error);
  two = assay_peaks_load_sync (path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, &error);
  g_assert_no_error (error);

  n = assay_peaks_get_n_buckets (one);
  g_assert_cmpuint (n, >=, 150 * 100);
  g_assert_cmpuint (assay_peaks_get_n_buckets (two), ==, n);
  g_assert_cmpfloat (assay_peaks_get_duration (two), ==, assay_peaks_get_duration (one));
  for (gsize b = 0; b < n; b++)
    for (guint c = 0; c < 2; c++)
      {
        float a0, a1, b0, b1;

        assay_peaks_get_bucket (one, c, b, &a0, &a1);
        assay_peaks_get_bucket (two, c, b, &b0, &b1);
        if (a0 != b0 || a1 != b1)
          {
            /* a decoder that restarts may differ by rounding for a moment, never more */
            g_assert_cmpfloat (fabs (a0 - b0) + fabs (a1 - b1), <, 0.01);
            differ++;
          }
      }
  g_assert_cmpuint (differ, <, 20);
}

static void
free_counter (gpointer data)
{
  (*(int *) data)++;
}

static void
test_errors (void)
{
  g_autofree char *missing = tmp_path ("missing.wav");
  g_autofree char *junk = tmp_path ("junk.wav");
  Run run;

  run_load (&run, missing, ASSAY_PEAKS_FLAGS_NONE, NULL);
  g_assert_error (run.error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND);
  g_assert_cmpuint (run.calls->len, ==, 0);
  run_clear (&run);

  g_file_set_contents (junk, "RIFF\x10\0\0\0WAVEjunkjunkjunk", 24, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AssayPeaks) peaks =
      assay_peaks_load_sync (junk, ASSAY_PEAKS_FLAGS_NONE, NULL, &error);

    g_assert_null (peaks);
    g_assert_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT);
  }
}

static void
ignore_result_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AssayPeaks) peaks = assay_peaks_load_finish (result, NULL);

  g_assert_nonnull (peaks);
}

static void
test_progress_data_freed (void)
{
  g_autofree char *path = write_long_call ("freed.wav", 0.5);
  int counter = 0;

  /* the progress data is released with the job, once */
  assay_peaks_load_async (path, ASSAY_PEAKS_FLAGS_NO_CACHE, NULL, NULL, &counter, free_counter,
                          ignore_result_cb, NULL);
  while (counter == 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (counter, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmpdir = g_dir_make_tmp ("assay-peaks-XXXXXX", NULL);

  g_test_add_func ("/peaks/known-signal", test_known_signal);
  g_test_add_func ("/peaks/fractional-buckets", test_fractional_buckets);
  g_test_add_func ("/peaks/resample", test_resample);
  g_test_add_func ("/peaks/progressive", test_progressive);
  g_test_add_func ("/peaks/notify", test_notify);
  g_test_add_func ("/peaks/cache", test_cache);
  g_test_add_func ("/peaks/cancel", test_cancel);
  g_test_add_func ("/peaks/errors", test_errors);
  g_test_add_data_func ("/peaks/halves/mp3", "lamemp3enc target=bitrate bitrate=32 cbr=true",
                        test_halves);
  g_test_add_data_func ("/peaks/halves/opus", "opusenc ! oggmux", test_halves);
  g_test_add_func ("/peaks/progress-data-freed", test_progress_data_freed);

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
