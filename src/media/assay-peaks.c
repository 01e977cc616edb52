/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-peaks.h"
#include "assay-audio-reader.h"
#include "assay-media-error.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/*
 * One worker decodes; the main context only ever sees copies. While decoding, the worker
 * posts chunks (copies of the buckets added since the last post) to a queue and schedules one
 * idle on the caller's context that drains it, so the waveform grows while it is computed and
 * nothing is shared between threads but the queue. When decoding ends, the completion on the
 * main context first drains the queue, then adopts the worker's full arrays, so every progress
 * call comes before the job's callback.
 */

#define CHUNK_INTERVAL_US  (40 * 1000)
#define CACHE_VERSION      1
/* an hour of stereo is 5.8 MB of peaks: room for a few hundred calls, least recently opened
 * go first */
#define CACHE_MAX_BYTES    (256 * 1024 * 1024)

typedef struct {
  char    magic[8];
  guint32 version;
  guint32 n_channels;
  guint32 buckets_per_second;
  guint32 source_rate;
  guint32 source_channels;
  guint32 rate;
  guint64 n_buckets;
  double  duration;
  char    decoder[16];
} CacheHeader;

G_STATIC_ASSERT (sizeof (CacheHeader) == 64);

typedef struct {
  guint       n_channels;
  guint       source_rate;
  guint       source_channels;
  guint       rate;               /* of the decoded frames */
  const char *decoder;            /* static string */
  gint64      expected_buckets;   /* -1 if unknown */
  double      duration;           /* exact, once complete */
  gsize       n;
  gsize       cap;
  gint16     *minmax;             /* [bucket][channel][min, max] */
  float      *energy;             /* [bucket][channel] mean square, full scale 1 */
} PeaksData;

static const char cache_magic[8] = { 'A', 'S', 'Y', 'P', 'E', 'A', 'K', 'S' };

struct _AssayPeaks
{
  GObject    parent_instance;

  PeaksData *data;
  gboolean   complete;
  gboolean   from_cache;
};

enum {
  PROP_0,
  PROP_N_CHANNELS,
  PROP_N_BUCKETS,
  PROP_DURATION,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayPeaks, assay_peaks, G_TYPE_OBJECT)

typedef void (*ChunkFunc) (PeaksData *data,
                           gsize      from,
                           gpointer   user_data);

/* ---------- data ---------- */

static PeaksData *
peaks_data_new (void)
{
  PeaksData *data = g_new0 (PeaksData, 1);

  data->expected_buckets = -1;
  data->decoder = "";
  return data;
}

static void
peaks_data_free (PeaksData *data)
{
  if (data == NULL)
    return;
  g_free (data->minmax);
  g_free (data->energy);
  g_free (data);
}

static void
data_reserve (PeaksData *data,
              gsize      want)
{
  gsize cap;

  if (want <= data->cap)
    return;
  cap = MAX (MAX (data->cap * 2, want), 1024);
  data->minmax = g_renew (gint16, data->minmax, cap * data->n_channels * 2);
  data->energy = g_renew (float, data->energy, cap * data->n_channels);
  data->cap = cap;
}

static void
data_append (PeaksData     *data,
             const gint16  *minmax,
             const float   *energy,
             gsize          n)
{
  guint ch = data->n_channels;

  data_reserve (data, data->n + n);
  memcpy (data->minmax + data->n * ch * 2, minmax, n * ch * 2 * sizeof (gint16));
  memcpy (data->energy + data->n * ch, energy, n * ch * sizeof (float));
  data->n += n;
}

/* ---------- accumulating buckets ---------- */

typedef struct {
  PeaksData *data;
  guint      rate;
  guint      ch;
  gint64     frame;        /* frames consumed */
  gint64     bucket;       /* index of the bucket being filled */
  gint64     bucket_end;   /* first frame of the next bucket */
  guint      count;
  gint16     min[ASSAY_AUDIO_MAX_CHANNELS];
  gint16     max[ASSAY_AUDIO_MAX_CHANNELS];
  gint64     ss[ASSAY_AUDIO_MAX_CHANNELS];
} Accum;

static gint64
bucket_start (gint64 bucket,
              guint  rate)
{
  return (bucket * rate + ASSAY_PEAKS_BUCKETS_PER_SECOND - 1) / ASSAY_PEAKS_BUCKETS_PER_SECOND;
}

static void
accum_reset (Accum *acc)
{
  for (guint c = 0; c < acc->ch; c++)
    {
      acc->min[c] = G_MAXINT16;
      acc->max[c] = G_MININT16;
      acc->ss[c] = 0;
    }
  acc->count = 0;
}

/* buckets from @first_bucket on; the frames fed must start at its first frame */
static void
accum_init (Accum     *acc,
            PeaksData *data,
            guint      rate,
            guint      ch,
            gint64     first_bucket)
{
  memset (acc, 0, sizeof *acc);
  acc->data = data;
  acc->rate = rate;
  acc->ch = ch;
  acc->bucket = first_bucket;
  acc->frame = bucket_start (first_bucket, rate);
  acc->bucket_end = bucket_start (first_bucket + 1, rate);
  accum_reset (acc);
}

static void
accum_emit (Accum *acc)
{
  PeaksData *data = acc->data;
  guint ch = acc->ch;
  double scale = 1.0 / ((double) acc->count * 32768.0 * 32768.0);
  gint16 *mm;
  float *en;

  data_reserve (data, data->n + 1);
  mm = data->minmax + data->n * ch * 2;
  en = data->energy + data->n * ch;
  for (guint c = 0; c < ch; c++)
    {
      mm[2 * c] = acc->min[c];
      mm[2 * c + 1] = acc->max[c];
      en[c] = (float) ((double) acc->ss[c] * scale);
    }
  data->n++;
  acc->bucket++;
  acc->bucket_end = bucket_start (acc->bucket + 1, acc->rate);
  accum_reset (acc);
}

static void
accum_frames (Accum        *acc,
              const gint16 *frames,
              gsize         n)
{
  guint ch = acc->ch;

  while (n > 0)
    {
      gsize take = (gsize) MIN ((gint64) n, acc->bucket_end - acc->frame);

      if (ch == 2)
        {
          /* the common case (agent | customer) in one pass over interleaved frames */
          gint16 min0 = acc->min[0], max0 = acc->max[0], min1 = acc->min[1], max1 = acc->max[1];
          gint64 ss0 = 0, ss1 = 0;

          for (gsize i = 0; i < take; i++)
            {
              gint32 a = frames[2 * i], b = frames[2 * i + 1];

              min0 = MIN (min0, a);
              max0 = MAX (max0, a);
              min1 = MIN (min1, b);
              max1 = MAX (max1, b);
              ss0 += a * a;
              ss1 += b * b;
            }
          acc->min[0] = min0;
          acc->max[0] = max0;
          acc->min[1] = min1;
          acc->max[1] = max1;
          acc->ss[0] += ss0;
          acc->ss[1] += ss1;
        }
      else
        {
          for (guint c = 0; c < ch; c++)
            {
              gint16 mn = acc->min[c], mx = acc->max[c];
              gint64 ss = 0;

              for (gsize i = 0; i < take; i++)
                {
                  gint32 a = frames[i * ch + c];

                  mn = MIN (mn, a);
                  mx = MAX (mx, a);
                  ss += a * a;
                }
              acc->min[c] = mn;
              acc->max[c] = mx;
              acc->ss[c] += ss;
            }
        }

      frames += take * ch;
      n -= take;
      acc->frame += (gint64) take;
      acc->count += (guint) take;
      if (acc->frame == acc->bucket_end)
        accum_emit (acc);
    }
}

static void
accum_finish (Accum *acc)
{
  if (acc->count > 0)
    accum_emit (acc);
  acc->data->duration = acc->rate > 0 ? (double) acc->frame / acc->rate : 0;
}

/* ---------- cache ---------- */

static char *
cache_key (const char  *path,
           struct stat *st_out)
{
  g_autofree char *abs = g_canonicalize_filename (path, NULL);
  g_autofree char *key = NULL;
  struct stat st;

  if (g_stat (abs, (GStatBuf *) &st) != 0)
    return NULL;
  if (st_out != NULL)
    *st_out = st;
  key =
    g_strdup_printf ("%d\n%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT ".%09ld\n%" G_GUINT64_FORMAT,
                     CACHE_VERSION, abs, (gint64) st.st_size, (gint64) st.st_mtim.tv_sec,
                     (long) st.st_mtim.tv_nsec, (guint64) st.st_ino);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

char *
assay_peaks_get_cache_path (const char *path)
{
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  key = cache_key (path, NULL);
  if (key == NULL)
    return NULL;
  name = g_strconcat (key, ".peaks", NULL);
  return g_build_filename (g_get_user_cache_dir (), "assay", "peaks", name, NULL);
}

static const char *
intern_decoder (const char *name)
{
  static const char *known[] = { "wav", "mpg123", "opus", "gstreamer" };

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (name, known[i]) == 0)
      return known[i];
  return "";
}

static PeaksData *
cache_read (const char *cache_path)
{
  FILE *f = fopen (cache_path, "rbe");
  PeaksData *data = NULL;
  CacheHeader h;
  struct stat st;
  gsize cells;

  if (f == NULL)
    return NULL;

  if (fstat (fileno (f), &st) != 0 || fread (&h, sizeof h, 1, f) != 1
      || memcmp (h.magic, cache_magic, sizeof cache_magic) != 0 || h.version != CACHE_VERSION
      || h.n_channels < 1 || h.n_channels > ASSAY_AUDIO_MAX_CHANNELS
      || h.buckets_per_second != ASSAY_PEAKS_BUCKETS_PER_SECOND || h.n_buckets > G_MAXSIZE / 64
      || (guint64) st.st_size
           != sizeof h + h.n_buckets * h.n_channels * (2 * sizeof (gint16) + sizeof (float)))
    goto out;

  data = peaks_data_new ();
  data->n_channels = h.n_channels;
  data->source_rate = h.source_rate;
  data->source_channels = h.source_channels;
  data->rate = h.rate;
  data->duration = h.duration;
  h.decoder[sizeof h.decoder - 1] = '\0';
  data->decoder = intern_decoder (h.decoder);
  data->expected_buckets = (gint64) h.n_buckets;
  data_reserve (data, MAX (h.n_buckets, 1));
  cells = (gsize) h.n_buckets * h.n_channels;
  if (fread (data->minmax, sizeof (gint16) * 2, cells, f) != cells ||
      fread (data->energy, sizeof (float), cells, f) != cells)
    g_clear_pointer (&data, peaks_data_free);
  else
    data->n = (gsize) h.n_buckets;

out:
  fclose (f);
  return data;
}

typedef struct {
  char   *path;
  gint64  mtime;
  gint64  size;
} CacheEntry;

static int
cache_entry_cmp (gconstpointer a,
                 gconstpointer b)
{
  const CacheEntry *x = a, *y = b;

  return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/* removes the least recently used files until the folder holds at most CACHE_MAX_BYTES */
static void
cache_trim (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (CacheEntry));
  gint64 total = 0;
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      CacheEntry e;
      struct stat st;

      if (!g_str_has_suffix (name, ".peaks"))
        continue;
      e.path = g_build_filename (dir, name, NULL);
      if (g_stat (e.path, (GStatBuf *) &st) != 0)
        {
          g_free (e.path);
          continue;
        }
      e.mtime = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
      e.size = st.st_size;
      total += e.size;
      g_array_append_val (entries, e);
    }

  g_array_sort (entries, cache_entry_cmp);
  for (guint i = 0; i < entries->len; i++)
    {
      CacheEntry *e = &g_array_index (entries, CacheEntry, i);

      if (total > CACHE_MAX_BYTES && g_unlink (e->path) == 0)
        total -= e->size;
      g_free (e->path);
    }
}

static void
cache_write (const char *cache_path,
             PeaksData  *data)
{
  g_autofree char *dir = g_path_get_dirname (cache_path);
  g_autofree char *tmp = g_strconcat (cache_path, ".XXXXXX", NULL);
  CacheHeader h = { 0 };
  gsize cells = data->n * data->n_channels;
  gboolean ok;
  FILE *f;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return;
  fd = g_mkstemp (tmp);
  if (fd < 0)
    return;
  f = fdopen (fd, "wb");
  if (f == NULL)
    {
      close (fd);
      g_unlink (tmp);
      return;
    }

  memcpy (h.magic, cache_magic, sizeof cache_magic);
  h.version = CACHE_VERSION;
  h.n_channels = data->n_channels;
  h.buckets_per_second = ASSAY_PEAKS_BUCKETS_PER_SECOND;
  h.source_rate = data->source_rate;
  h.source_channels = data->source_channels;
  h.rate = data->rate;
  h.n_buckets = data->n;
  h.duration = data->duration;
  g_strlcpy (h.decoder, data->decoder, sizeof h.decoder);

  ok = fwrite (&h, sizeof h, 1, f) == 1 &&
       fwrite (data->minmax, sizeof (gint16) * 2, cells, f) == cells &&
       fwrite (data->energy, sizeof (float), cells, f) == cells;
  ok = fclose (f) == 0 && ok;
  if (!ok || g_rename (tmp, cache_path) != 0)
    {
      g_debug ("Cannot write the peaks cache %s: %s", cache_path, g_strerror (errno));
      g_unlink (tmp);
      return;
    }
  cache_trim (dir);
}

/* ---------- computing ---------- */

/*
 * Long MP3 and Opus recordings are decoded in two halves on two threads (the decoders, not the
 * disk, are what takes time there). The second half starts on a bucket boundary, so its buckets
 * are the ones one pass would have made; its decoder starts a little earlier to settle.
 */
#define SPLIT_MIN_FRAMES_S 120

enum {
  HALF_PENDING,
  HALF_READY,     /* seeked: the first half may stop at the split */
  HALF_FAILED,    /* cannot seek: the first half goes on to the end */
};

typedef struct {
  char             *path;
  guint             channels;
  AssayAudioReader *reader;
  PeaksData        *data;
  gint64            first_bucket;
  gint64            first_frame;
  GCancellable     *cancellable;
  GCancellable     *outer;       /* the caller's, cancelling ours */
  gulong            outer_id;
  int               state;       /* atomic */
  GError           *error;
  gint64            end_frame;   /* where it stopped */
  GThread          *thread;
} Half;

static gpointer
half_thread (gpointer user_data)
{
  Half *half = user_data;
  const AssayAudioInfo *info;
  Accum acc;

  /* opening and seeking happen here: finding the middle of an MP3 reads half of it */
  half->reader = assay_audio_reader_open (half->path, half->cancellable, NULL);
  if (half->reader == NULL || !assay_audio_reader_can_seek (half->reader) ||
      assay_audio_reader_get_info (half->reader)->channels != half->channels ||
      !assay_audio_reader_seek (half->reader, half->first_frame, NULL))
    {
      g_atomic_int_set (&half->state, HALF_FAILED);
      return NULL;
    }
  g_atomic_int_set (&half->state, HALF_READY);

  info = assay_audio_reader_get_info (half->reader);
  accum_init (&acc, half->data, info->rate, info->channels, half->first_bucket);
  for (;;)
    {
      const gint16 *frames;
      gsize n;

      if (!assay_audio_reader_read (half->reader, &frames, &n, half->cancellable, &half->error))
        return NULL;
      if (n == 0)
        break;
      accum_frames (&acc, frames, n);
    }
  accum_finish (&acc);
  half->end_frame = acc.frame;
  return NULL;
}

static void
cancel_cb (GCancellable *cancellable,
           GCancellable *other)
{
  g_cancellable_cancel (other);
}

/* starts decoding the second half of @info's recording, or returns NULL to do it in one go */
static Half *
half_start (const char           *path,
            const AssayAudioInfo *info,
            AssayPeaksFlags       flags,
            GCancellable         *cancellable)
{
  Half *half;

  if ((flags & ASSAY_PEAKS_FLAGS_ONE_THREAD) || g_get_num_processors () < 2
      || info->n_frames < (gint64) info->rate * SPLIT_MIN_FRAMES_S
      || (g_strcmp0 (info->decoder, "opus") != 0 && g_strcmp0 (info->decoder, "mpg123") != 0))
    return NULL;

  half = g_new0 (Half, 1);
  half->path = g_strdup (path);
  half->channels = info->channels;
  half->first_bucket = info->n_frames * ASSAY_PEAKS_BUCKETS_PER_SECOND / info->rate / 2;
  half->first_frame = bucket_start (half->first_bucket, info->rate);
  half->data = peaks_data_new ();
  half->data->n_channels = info->channels;
  half->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      half->outer = g_object_ref (cancellable);
      half->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb),
                                              g_object_ref (half->cancellable), g_object_unref);
    }
  half->thread = g_thread_new ("assay-peaks-half", half_thread, half);
  return half;
}

/* stops (if @cancel) and joins the thread, and frees it all */
static void
half_finish (Half     *half,
             gboolean  cancel)
{
  if (cancel)
    g_cancellable_cancel (half->cancellable);
  if (half->thread != NULL)
    g_thread_join (half->thread);
  if (half->outer != NULL)
    g_cancellable_disconnect (half->outer, half->outer_id);
  g_clear_object (&half->outer);
  g_clear_pointer (&half->reader, assay_audio_reader_free);
  peaks_data_free (half->data);
  g_clear_object (&half->cancellable);
  g_clear_error (&half->error);
  g_free (half->path);
  g_free (half);
}

static PeaksData *
peaks_compute (const char       *path,
                      AssayPeaksFlags   flags,
                      GCancellable     *cancellable,
                      ChunkFunc         chunk_func,
                      gpointer          chunk_data,
                      gboolean         *from_cache,
                      GError          **error)
{
  g_autoptr(AssayAudioReader) reader = NULL;
  g_autofree char *cache_path = NULL;
  PeaksData *data;
  const AssayAudioInfo *info;
  struct stat st_before = { 0 }, st_after = { 0 };
  Half *half = NULL;
  gboolean half_decided = FALSE;
  gint64 last_post = 0;
  gsize posted = 0;
  Accum acc;

  *from_cache = FALSE;

  if (!(flags & ASSAY_PEAKS_FLAGS_NO_CACHE))
    {
      g_autofree char *key = cache_key (path, &st_before);

      if (key != NULL)
        {
          g_autofree char *name = g_strconcat (key, ".peaks", NULL);

          cache_path = g_build_filename (g_get_user_cache_dir (), "assay", "peaks", name, NULL);
          data = cache_read (cache_path);
          if (data != NULL)
            {
              /* used now: the last to be trimmed */
              g_utime (cache_path, NULL);
              *from_cache = TRUE;
              return data;
            }
        }
    }

  reader = assay_audio_reader_open (path, cancellable, error);
  if (reader == NULL)
    return NULL;
  info = assay_audio_reader_get_info (reader);

  data = peaks_data_new ();
  data->n_channels = info->channels;
  data->source_rate = info->source_rate;
  data->source_channels = info->source_channels;
  data->rate = info->rate;
  data->decoder = intern_decoder (info->decoder);
  if (info->n_frames >= 0)
    {
      data->expected_buckets =
        (info->n_frames * ASSAY_PEAKS_BUCKETS_PER_SECOND + info->rate - 1) / info->rate;
      data_reserve (data, (gsize) data->expected_buckets + 1);
    }
  accum_init (&acc, data, info->rate, info->channels, 0);

  half = half_start (path, info, flags, cancellable);

  for (;;)
    {
      const gint16 *frames;
      gsize n;

      if (half != NULL && !half_decided)
        {
          int state = g_atomic_int_get (&half->state);

          if (state == HALF_READY && acc.frame <= half->first_frame)
            {
              assay_audio_reader_set_end (reader, half->first_frame);
              half_decided = TRUE;
              g_debug ("Peaks of %s: the second half from %.1f s on another thread", path,
                       (double) half->first_frame / info->rate);
            }
          else if (state != HALF_PENDING)
            {
              /* it failed, or came too late: this thread reads on to the end */
              half_finish (g_steal_pointer (&half), TRUE);
            }
        }

      if (!assay_audio_reader_read (reader, &frames, &n, cancellable, error))
        {
          if (half != NULL)
            half_finish (g_steal_pointer (&half), TRUE);
          peaks_data_free (data);
          return NULL;
        }
      if (n == 0)
        break;
      accum_frames (&acc, frames, n);

      if (chunk_func != NULL && data->n > posted)
        {
          gint64 now = g_get_monotonic_time ();

          if (posted == 0 || now - last_post >= CHUNK_INTERVAL_US)
            {
              chunk_func (data, posted, chunk_data);
              posted = data->n;
              last_post = now;
            }
        }
    }
  accum_finish (&acc);

  if (half != NULL && !half_decided)
    {
      /* the end came before the second half was ready (a recording shorter than announced) */
      half_finish (g_steal_pointer (&half), TRUE);
    }
  else if (half != NULL)
    {
      g_thread_join (g_steal_pointer (&half->thread));
      if (half->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&half->error));
          half_finish (g_steal_pointer (&half), FALSE);
          peaks_data_free (data);
          return NULL;
        }
      /* the first half ends where the second starts, unless the recording is shorter than
       * announced: then the second half has nothing */
      if (acc.frame == half->first_frame && half->data->n > 0)
        {
          data_append (data, half->data->minmax, half->data->energy, half->data->n);
          data->duration = (double) half->end_frame / acc.rate;
        }
      half_finish (g_steal_pointer (&half), FALSE);
    }

  if (data->n == 0)
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
                   _("The recording “%s” contains no audio."), name);
      peaks_data_free (data);
      return NULL;
    }

  /* cache only what belongs to the file as it still is */
  if (cache_path != NULL && !g_cancellable_is_cancelled (cancellable) &&
      g_stat (path, (GStatBuf *) &st_after) == 0 &&
      st_after.st_size == st_before.st_size &&
      st_after.st_mtim.tv_sec == st_before.st_mtim.tv_sec &&
      st_after.st_mtim.tv_nsec == st_before.st_mtim.tv_nsec)
    cache_write (cache_path, data);

  return data;
}

/* ---------- the object ---------- */

static void
assay_peaks_finalize (GObject *object)
{
  AssayPeaks *self = ASSAY_PEAKS (object);

  g_clear_pointer (&self->data, peaks_data_free);

  G_OBJECT_CLASS (assay_peaks_parent_class)->finalize (object);
}

static void
assay_peaks_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AssayPeaks *self = ASSAY_PEAKS (object);

  switch (prop_id)
    {
    case PROP_N_CHANNELS:
      g_value_set_uint (value, assay_peaks_get_n_channels (self));
      break;
    case PROP_N_BUCKETS:
      g_value_set_uint64 (value, assay_peaks_get_n_buckets (self));
      break;
    case PROP_DURATION:
      g_value_set_double (value, assay_peaks_get_duration (self));
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_peaks_class_init (AssayPeaksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_peaks_finalize;
  object_class->get_property = assay_peaks_get_property;

  properties[PROP_N_CHANNELS] =
    g_param_spec_uint ("n-channels", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_BUCKETS] =
    g_param_spec_uint64 ("n-buckets", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
assay_peaks_init (AssayPeaks *self)
{
  self->data = peaks_data_new ();
}

static AssayPeaks *
peaks_new_for_data (PeaksData *data,
                           gboolean   from_cache)
{
  AssayPeaks *self = g_object_new (ASSAY_TYPE_PEAKS, NULL);

  peaks_data_free (self->data);
  self->data = data;
  self->complete = TRUE;
  self->from_cache = from_cache;
  return self;
}

/* ---------- the async job ---------- */

typedef struct {
  guint        n_channels;
  guint        source_rate;
  guint        source_channels;
  guint        rate;
  gint64       expected_buckets;
  const char  *decoder;
  gsize        first;
  gsize        n;
  gint16      *minmax;
  float       *energy;
} Chunk;

typedef struct {
  char                   *path;
  AssayPeaksFlags         flags;
  AssayPeaks             *peaks;       /* main context only */
  GMainContext           *context;
  AssayPeaksProgressFunc  progress;
  gpointer                progress_data;
  GDestroyNotify          progress_data_free;
  GMutex                  lock;
  GQueue                  chunks;      /* under lock */
  gboolean                drain_queued;
  GTask                  *outer;       /* not owned: the outer task owns the job */
} Job;

static void
chunk_free (Chunk *chunk)
{
  g_free (chunk->minmax);
  g_free (chunk->energy);
  g_free (chunk);
}

static void
job_free (Job *job)
{
  g_queue_clear_full (&job->chunks, (GDestroyNotify) chunk_free);
  g_mutex_clear (&job->lock);
  if (job->progress_data_free != NULL)
    job->progress_data_free (job->progress_data);
  g_clear_object (&job->peaks);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->path);
  g_free (job);
}

static void
peaks_set_info (AssayPeaks *self,
                guint       n_channels,
                guint       source_rate,
                guint       source_channels,
                guint       rate,
                gint64      expected_buckets,
                const char *decoder)
{
  PeaksData *data = self->data;

  if (data->n_channels != 0)
    return;
  data->n_channels = n_channels;
  data->source_rate = source_rate;
  data->source_channels = source_channels;
  data->rate = rate;
  data->expected_buckets = expected_buckets;
  data->decoder = decoder;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHANNELS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

static void
job_drain (Job *job)
{
  GQueue chunks = G_QUEUE_INIT;
  GCancellable *cancellable = g_task_get_cancellable (job->outer);
  Chunk *chunk;

  g_mutex_lock (&job->lock);
  chunks = job->chunks;
  g_queue_init (&job->chunks);
  job->drain_queued = FALSE;
  g_mutex_unlock (&job->lock);

  while ((chunk = g_queue_pop_head (&chunks)) != NULL)
    {
      if (!g_cancellable_is_cancelled (cancellable) && chunk->first == job->peaks->data->n)
        {
          peaks_set_info (job->peaks, chunk->n_channels, chunk->source_rate,
                          chunk->source_channels, chunk->rate, chunk->expected_buckets,
                          chunk->decoder);
          data_append (job->peaks->data, chunk->minmax, chunk->energy, chunk->n);
          g_object_notify_by_pspec (G_OBJECT (job->peaks), properties[PROP_N_BUCKETS]);
          if (job->progress != NULL)
            job->progress (job->peaks, chunk->first, chunk->n, job->progress_data);
        }
      chunk_free (chunk);
    }
}

static gboolean
job_drain_idle_cb (gpointer user_data)
{
  GTask *outer = user_data;

  job_drain (g_task_get_task_data (outer));
  return G_SOURCE_REMOVE;
}

/* on the worker */
static void
job_post_chunk (PeaksData *data,
                gsize      from,
                gpointer   user_data)
{
  Job *job = user_data;
  Chunk *chunk = g_new0 (Chunk, 1);
  guint ch = data->n_channels;

  chunk->n_channels = ch;
  chunk->source_rate = data->source_rate;
  chunk->source_channels = data->source_channels;
  chunk->rate = data->rate;
  chunk->expected_buckets = data->expected_buckets;
  chunk->decoder = data->decoder;
  chunk->first = from;
  chunk->n = data->n - from;
  chunk->minmax = g_memdup2 (data->minmax + from * ch * 2, chunk->n * ch * 2 * sizeof (gint16));
  chunk->energy = g_memdup2 (data->energy + from * ch, chunk->n * ch * sizeof (float));

  g_mutex_lock (&job->lock);
  g_queue_push_tail (&job->chunks, chunk);
  if (!job->drain_queued)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      job->drain_queued = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, job_drain_idle_cb, g_object_ref (job->outer), g_object_unref);
      g_source_set_static_name (source, "[assay] peaks progress");
      g_source_attach (source, job->context);
    }
  g_mutex_unlock (&job->lock);
}

typedef struct {
  PeaksData *data;
  gboolean   from_cache;
} WorkerResult;

static void
worker_result_free (WorkerResult *res)
{
  peaks_data_free (res->data);
  g_free (res);
}

static void
job_thread (GTask        *inner,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  WorkerResult *res = g_new0 (WorkerResult, 1);
  GError *error = NULL;

  res->data = peaks_compute (job->path, job->flags, cancellable, job_post_chunk, job,
                                    &res->from_cache, &error);
  if (res->data == NULL)
    {
      g_free (res);
      g_task_return_error (inner, error);
      return;
    }
  g_task_return_pointer (inner, res, (GDestroyNotify) worker_result_free);
}

static void
job_inner_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  Job *job = g_task_get_task_data (outer);
  AssayPeaks *peaks = job->peaks;
  WorkerResult *res;
  GError *error = NULL;
  gsize had;

  job_drain (job);

  res = g_task_propagate_pointer (G_TASK (result), &error);
  if (res == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  if (g_task_return_error_if_cancelled (outer))
    {
      worker_result_free (res);
      return;
    }

  had = peaks->data->n;
  peaks_data_free (peaks->data);
  peaks->data = g_steal_pointer (&res->data);
  peaks->complete = TRUE;
  peaks->from_cache = res->from_cache;
  worker_result_free (res);

  g_object_freeze_notify (G_OBJECT (peaks));
  if (had == 0)
    g_object_notify_by_pspec (G_OBJECT (peaks), properties[PROP_N_CHANNELS]);
  g_object_notify_by_pspec (G_OBJECT (peaks), properties[PROP_N_BUCKETS]);
  g_object_notify_by_pspec (G_OBJECT (peaks), properties[PROP_DURATION]);
  g_object_notify_by_pspec (G_OBJECT (peaks), properties[PROP_COMPLETE]);
  g_object_thaw_notify (G_OBJECT (peaks));

  if (job->progress != NULL && peaks->data->n > had)
    job->progress (peaks, had, peaks->data->n - had, job->progress_data);

  g_task_return_pointer (outer, g_object_ref (peaks), g_object_unref);
}

void
assay_peaks_load_async (const char              *path,
                        AssayPeaksFlags          flags,
                        GCancellable            *cancellable,
                        AssayPeaksProgressFunc   progress,
                        gpointer                 progress_data,
                        GDestroyNotify           progress_data_free,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  Job *job;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (outer, assay_peaks_load_async);
  g_task_set_name (outer, "[assay] peaks");

  job = g_new0 (Job, 1);
  job->path = g_strdup (path);
  job->flags = flags;
  job->peaks = g_object_new (ASSAY_TYPE_PEAKS, NULL);
  job->context = g_main_context_ref_thread_default ();
  job->progress = progress;
  job->progress_data = progress_data;
  job->progress_data_free = progress_data_free;
  job->outer = outer;
  g_mutex_init (&job->lock);
  g_queue_init (&job->chunks);
  g_task_set_task_data (outer, job, (GDestroyNotify) job_free);

  inner = g_task_new (NULL, cancellable, job_inner_done_cb, g_object_ref (outer));
  g_task_set_source_tag (inner, job_thread);
  g_task_set_name (inner, "[assay] peaks worker");
  g_task_set_task_data (inner, job, NULL);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_run_in_thread (inner, job_thread);
}

AssayPeaks *
assay_peaks_load_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == assay_peaks_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

AssayPeaks *
assay_peaks_load_sync (const char       *path,
                       AssayPeaksFlags   flags,
                       GCancellable     *cancellable,
                       GError          **error)
{
  PeaksData *data;
  gboolean from_cache = FALSE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = peaks_compute (path, flags, cancellable, NULL, NULL, &from_cache, error);
  if (data == NULL)
    return NULL;
  return peaks_new_for_data (data, from_cache);
}

/* ---------- accessors ---------- */

guint
assay_peaks_get_n_channels (AssayPeaks *self)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), 0);
  return self->data->n_channels;
}

gsize
assay_peaks_get_n_buckets (AssayPeaks *self)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), 0);
  return self->data->n;
}

gboolean
assay_peaks_get_complete (AssayPeaks *self)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), FALSE);
  return self->complete;
}

gboolean
assay_peaks_get_from_cache (AssayPeaks *self)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), FALSE);
  return self->from_cache;
}

double
assay_peaks_get_duration (AssayPeaks *self)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), 0);

  if (self->complete)
    return self->data->duration;
  if (self->data->expected_buckets > 0)
    return (double) self->data->expected_buckets / ASSAY_PEAKS_BUCKETS_PER_SECOND;
  return (double) self->data->n / ASSAY_PEAKS_BUCKETS_PER_SECOND;
}

guint
assay_peaks_get_sample_rate (AssayPeaks *self)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), 0);
  return self->data->source_rate;
}

guint
assay_peaks_get_source_channels (AssayPeaks *self)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), 0);
  return self->data->source_channels;
}

const char *
assay_peaks_get_decoder (AssayPeaks *self)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), NULL);
  return self->data->decoder;
}

void
assay_peaks_get_bucket (AssayPeaks *self,
                        guint       channel,
                        gsize       index,
                        float      *min,
                        float      *max)
{
  const gint16 *mm;

  g_return_if_fail (ASSAY_IS_PEAKS (self));
  g_return_if_fail (channel < self->data->n_channels && index < self->data->n);

  mm = self->data->minmax + (index * self->data->n_channels + channel) * 2;
  if (min != NULL)
    *min = mm[0] / 32768.0f;
  if (max != NULL)
    *max = mm[1] / 32768.0f;
}

float
assay_peaks_get_energy (AssayPeaks *self,
                        guint       channel,
                        gsize       index)
{
  g_return_val_if_fail (ASSAY_IS_PEAKS (self), 0);
  g_return_val_if_fail (channel < self->data->n_channels && index < self->data->n, 0);

  return self->data->energy[index * self->data->n_channels + channel];
}

float *
assay_peaks_copy_energies (AssayPeaks *self,
                           guint       channel)
{
  const PeaksData *data;
  float *out;

  g_return_val_if_fail (ASSAY_IS_PEAKS (self), NULL);
  g_return_val_if_fail (channel < MAX (self->data->n_channels, 1), NULL);

  data = self->data;
  out = g_new (float, MAX (data->n, 1));
  for (gsize i = 0; i < data->n; i++)
    out[i] = data->energy[i * data->n_channels + channel];
  return out;
}

guint
assay_peaks_resample (AssayPeaks *self,
                      guint       channel,
                      double      start_s,
                      double      end_s,
                      guint       n_columns,
                      float      *mins,
                      float      *maxs)
{
  const PeaksData *data;
  double width;
  guint filled = 0;

  g_return_val_if_fail (ASSAY_IS_PEAKS (self), 0);
  g_return_val_if_fail (n_columns == 0 || (mins != NULL && maxs != NULL), 0);

  data = self->data;
  width = (end_s - start_s) / MAX (n_columns, 1);

  for (guint col = 0; col < n_columns; col++)
    {
      double t0 = (start_s + col * width) * ASSAY_PEAKS_BUCKETS_PER_SECOND;
      double t1 = (start_s + (col + 1) * width) * ASSAY_PEAKS_BUCKETS_PER_SECOND;
      gint64 b0 = (gint64) floor (t0), b1 = (gint64) floor (t1);
      gint16 mn = G_MAXINT16, mx = G_MININT16;

      mins[col] = maxs[col] = 0;
      if (channel >= data->n_channels || b0 < 0 || (gsize) b0 >= data->n || !(width > 0))
        continue;
      b1 = MIN (MAX (b1, b0 + 1), (gint64) data->n);
      for (gint64 b = b0; b < b1; b++)
        {
          const gint16 *mm = data->minmax + ((gsize) b * data->n_channels + channel) * 2;

          mn = MIN (mn, mm[0]);
          mx = MAX (mx, mm[1]);
        }
      mins[col] = mn / 32768.0f;
      maxs[col] = mx / 32768.0f;
      filled++;
    }
  return filled;
}
