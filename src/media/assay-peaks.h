/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Waveform peaks of a recording: for every channel and every bucket of 1/100 s the smallest and
 * largest sample (full scale = ±1) and the mean-square energy, which is also what voice
 * activity works on. Computed on a worker in one decoding pass, handed to the caller's main
 * context piece by piece while it is computed, and cached under
 * $XDG_CACHE_HOME/assay/peaks/ so that opening the same file again is instant.
 *
 * An AssayPeaks is only ever changed on the main context of the job that fills it.
 */

#define ASSAY_PEAKS_BUCKETS_PER_SECOND 100

#define ASSAY_TYPE_PEAKS (assay_peaks_get_type ())
G_DECLARE_FINAL_TYPE (AssayPeaks, assay_peaks, ASSAY, PEAKS, GObject)

/**
 * AssayPeaksFlags:
 * @ASSAY_PEAKS_FLAGS_NONE: read the cache when it is fresh, write it after decoding
 * @ASSAY_PEAKS_FLAGS_NO_CACHE: neither read nor write the cache (benchmarks, tests)
 * @ASSAY_PEAKS_FLAGS_ONE_THREAD: decode on one thread even where two would be faster
 *   (long MP3 and Opus recordings are otherwise decoded in two halves at once)
 */
typedef enum {
  ASSAY_PEAKS_FLAGS_NONE       = 0,
  ASSAY_PEAKS_FLAGS_NO_CACHE   = 1 << 0,
  ASSAY_PEAKS_FLAGS_ONE_THREAD = 1 << 1,
} AssayPeaksFlags;

/**
 * AssayPeaksProgressFunc:
 * Called on the caller's main context each time buckets [@first, @first + @n_new) have arrived,
 * in order, the last time before the job's callback. @peaks already holds them.
 */
typedef void (*AssayPeaksProgressFunc) (AssayPeaks *peaks,
                                        gsize       first,
                                        gsize       n_new,
                                        gpointer    user_data);

/**
 * assay_peaks_load_async:
 * Computes (or reads from the cache) the peaks of @path on a worker. @progress, if set, is
 * called on the thread-default main context of the caller as buckets arrive: the first within
 * a few tens of milliseconds. Cancel @cancellable to stop decoding; the job then fails with
 * %G_IO_ERROR_CANCELLED and nothing is cached.
 */
void        assay_peaks_load_async    (const char              *path,
                                       AssayPeaksFlags          flags,
                                       GCancellable            *cancellable,
                                       AssayPeaksProgressFunc   progress,
                                       gpointer                 progress_data,
                                       GDestroyNotify           progress_data_free,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data);

/**
 * assay_peaks_load_finish:
 * Returns: (transfer full) (nullable): the complete peaks, the same object the progress
 * callback saw, or %NULL with @error set (%ASSAY_MEDIA_ERROR or %G_IO_ERROR_CANCELLED).
 */
AssayPeaks *assay_peaks_load_finish   (GAsyncResult            *result,
                                       GError                 **error);

/**
 * assay_peaks_load_sync:
 * As assay_peaks_load_async(), blocking the calling thread (workers, assayctl, tests).
 */
AssayPeaks *assay_peaks_load_sync     (const char              *path,
                                       AssayPeaksFlags          flags,
                                       GCancellable            *cancellable,
                                       GError                 **error);

/** assay_peaks_get_cache_path: where the cache of @path would be; %NULL if @path cannot be stat'ed.
 */
char       *assay_peaks_get_cache_path (const char             *path);

/** assay_peaks_get_n_channels: the channel count (0 until the first buckets arrived). */
guint       assay_peaks_get_n_channels        (AssayPeaks *self);

/** assay_peaks_get_n_buckets: how many buckets have arrived; grows while the job runs. */
gsize       assay_peaks_get_n_buckets         (AssayPeaks *self);

/** assay_peaks_get_complete: whether all buckets are there. */
gboolean    assay_peaks_get_complete          (AssayPeaks *self);

/** assay_peaks_get_from_cache: whether the buckets came from the cache rather than decoding. */
gboolean    assay_peaks_get_from_cache        (AssayPeaks *self);

/**
 * assay_peaks_get_duration:
 * The recording's length in seconds once complete; before that, the length announced by the
 * file (so a waveform can be laid out at once) or, if it announced none, what has arrived.
 */
double      assay_peaks_get_duration          (AssayPeaks *self);

/** assay_peaks_get_sample_rate: the recording's own sample rate. */
guint       assay_peaks_get_sample_rate       (AssayPeaks *self);

/** assay_peaks_get_source_channels: the recording's own channel count. */
guint       assay_peaks_get_source_channels   (AssayPeaks *self);

/** assay_peaks_get_decoder: which decoder path produced them ("wav", "mpg123", "opus",
 * "gstreamer"). */
const char *assay_peaks_get_decoder           (AssayPeaks *self);

/**
 * assay_peaks_get_bucket:
 * The smallest and largest sample (−1..1) of @channel in bucket @index (< n_buckets).
 */
void        assay_peaks_get_bucket            (AssayPeaks *self,
                                               guint       channel,
                                               gsize       index,
                                               float      *min,
                                               float      *max);

/** assay_peaks_get_energy: the mean square (0..1) of @channel in bucket @index. */
float       assay_peaks_get_energy            (AssayPeaks *self,
                                               guint       channel,
                                               gsize       index);

/**
 * assay_peaks_copy_energies:
 * The mean-square energies of @channel, one per bucket, as a new array of n_buckets floats.
 */
float      *assay_peaks_copy_energies         (AssayPeaks *self,
                                               guint       channel);

/**
 * assay_peaks_resample:
 * Folds the buckets of @channel between @start_s and @end_s into @n_columns columns (one per
 * pixel of a waveform), writing each column's min and max to @mins and @maxs. Columns past the
 * buckets that have arrived get min = max = 0.
 * Returns: how many columns hold data.
 */
guint       assay_peaks_resample              (AssayPeaks *self,
                                               guint       channel,
                                               double      start_s,
                                               double      end_s,
                                               guint       n_columns,
                                               float      *mins,
                                               float      *maxs);

G_END_DECLS
