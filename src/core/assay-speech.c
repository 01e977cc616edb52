/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-speech.h"

#include <math.h>

/*
 * The noise floor is a low percentile of the frame energies, taken over the window before a
 * frame and over the window after it; the floor is the higher of the two. A percentile rather
 * than a running minimum follows a background that gets louder during the call; taking the
 * higher side means that when the background jumps (a customer walks into the street) the floor
 * jumps with it instead of lagging for half a window, and the cost is only that speech in the
 * seconds right after the background drops again may be missed. Windows of tens of seconds are
 * long enough that someone talking without a pause does not become the "noise" (natural speech
 * pauses far more than a tenth of the time). Each window is a histogram in half-decibel bins
 * updated frame by frame and read every quarter second: a 60-minute call (360,000 frames) takes
 * a few milliseconds.
 */

#define DB_MIN        (-120.0)
#define DB_MAX        (0.0)
#define BINS_PER_DB   2
#define N_BINS        241   /* (DB_MAX - DB_MIN) * BINS_PER_DB + 1 */

void
assay_speech_params_init (AssaySpeechParams *params)
{
  g_return_if_fail (params != NULL);

  params->frame_s = 0.01;
  params->threshold_db = 10.0;
  params->abs_floor_db = -55.0;
  params->floor_window_s = 30.0;
  params->floor_percentile = 0.1;
  params->bridge_gap_s = 0.3;
  params->min_speech_s = 0.1;
  params->silence_min_s = 3.0;
  params->overtalk_min_s = 0.5;
  params->agent_channel = 0;
}

double
assay_speech_energy_db (double mean_square)
{
  double db;

  if (!(mean_square > 0))
    return DB_MIN;
  db = 10.0 * log10 (mean_square);
  return CLAMP (db, DB_MIN, DB_MAX);
}

static inline int
db_bin (double db)
{
  int b = (int) ((db - DB_MIN) * BINS_PER_DB);

  return CLAMP (b, 0, N_BINS - 1);
}

static double
histogram_percentile (const guint *hist,
                      gsize        count,
                      double       percentile)
{
  gsize target = (gsize) ceil (percentile * (double) count);
  gsize seen = 0;

  if (target < 1)
    target = 1;
  for (int b = 0; b < N_BINS; b++)
    {
      seen += hist[b];
      if (seen >= target)
        return DB_MIN + (b + 0.5) / BINS_PER_DB;
    }
  return DB_MAX;
}

typedef struct {
  guint hist[N_BINS];
  gsize lo;      /* [lo, hi) is counted */
  gsize hi;
  gsize count;
} Window;

static void
window_move (Window       *w,
             const guint8 *bins,
             gsize         lo,
             gsize         hi)
{
  while (w->hi < hi)
    {
      w->hist[bins[w->hi++]]++;
      w->count++;
    }
  while (w->lo < lo)
    {
      w->hist[bins[w->lo++]]--;
      w->count--;
    }
}

float *
assay_speech_noise_floor (const float             *energy,
                          gsize                    n,
                          const AssaySpeechParams *params)
{
  g_autofree guint8 *bins = NULL;
  g_autofree Window *past = NULL;
  g_autofree Window *future = NULL;
  float *floor_db;
  gsize span, least, step;
  double current = DB_MIN;

  g_return_val_if_fail (params != NULL && params->frame_s > 0, NULL);

  floor_db = g_new (float, MAX (n, 1));
  if (n == 0)
    return floor_db;

  bins = g_new (guint8, n);
  for (gsize i = 0; i < n; i++)
    bins[i] = (guint8) db_bin (assay_speech_energy_db (energy[i]));

  span = (gsize) MAX (1.0, round (params->floor_window_s / params->frame_s));
  least = MAX (span / 3, 1);
  step = (gsize) MAX (1.0, round (0.25 / params->frame_s));
  past = g_new0 (Window, 1);
  future = g_new0 (Window, 1);

  for (gsize i = 0; i < n; i++)
    {
      window_move (past, bins, i > span ? i - span : 0, i + 1);
      window_move (future, bins, i, MIN (n, i + span + 1));

      if (i % step == 0)
        {
          gboolean use_past = past->count >= least;
          gboolean use_future = future->count >= least;

          if (use_past && use_future)
            {
              double p = params->floor_percentile;
              double before = histogram_percentile (past->hist, past->count, p);
              double after = histogram_percentile (future->hist, future->count, p);

              current = MAX (before, after);
            }
          else if (use_past)
            current = histogram_percentile (past->hist, past->count, params->floor_percentile);
          else if (use_future)
            current = histogram_percentile (future->hist, future->count, params->floor_percentile);
          else
            {
              /* a recording shorter than a third of the window: one floor for all of it */
              Window whole = { { 0 } };

              window_move (&whole, bins, 0, n);
              current = histogram_percentile (whole.hist, whole.count, params->floor_percentile);
            }
        }
      floor_db[i] = (float) current;
    }

  return floor_db;
}

GArray *
assay_segments_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (AssaySegment));
}

static void
segments_append (GArray *segments,
                 double  start,
                 double  end)
{
  AssaySegment s = { start, end };

  g_array_append_val (segments, s);
}

GArray *
assay_speech_detect (const float             *energy,
                     gsize                    n,
                     const AssaySpeechParams *params)
{
  g_autofree float *floor_db = NULL;
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (gsize) * 2);
  GArray *segments = assay_segments_new ();
  gsize bridge, min_len, run_start = 0;
  gboolean in_run = FALSE;

  g_return_val_if_fail (params != NULL && params->frame_s > 0, segments);

  if (n == 0)
    return segments;

  floor_db = assay_speech_noise_floor (energy, n, params);
  bridge = (gsize) round (params->bridge_gap_s / params->frame_s);
  min_len = (gsize) round (params->min_speech_s / params->frame_s);

  /* runs of voiced frames, pauses shorter than the bridge closed on the way */
  for (gsize i = 0; i <= n; i++)
    {
      gboolean voiced = FALSE;

      if (i < n)
        {
          double db = assay_speech_energy_db (energy[i]);

          voiced = db > floor_db[i] + params->threshold_db && db > params->abs_floor_db;
        }

      if (voiced && !in_run)
        {
          run_start = i;
          in_run = TRUE;
        }
      else if (!voiced && in_run)
        {
          gsize run[2] = { run_start, i };

          in_run = FALSE;
          if (runs->len > 0)
            {
              gsize *last = &g_array_index (runs, gsize, (runs->len - 1) * 2);

              if (run_start - last[1] < bridge)
                {
                  last[1] = i;
                  continue;
                }
            }
          g_array_append_vals (runs, run, 1);
        }
    }

  for (guint r = 0; r < runs->len; r++)
    {
      const gsize *run = &g_array_index (runs, gsize, r * 2);

      if (run[1] - run[0] >= MAX (min_len, 1))
        segments_append (segments, run[0] * params->frame_s, run[1] * params->frame_s);
    }

  return segments;
}

double
assay_segments_total (GArray *segments)
{
  double total = 0;

  g_return_val_if_fail (segments != NULL, 0);

  for (guint i = 0; i < segments->len; i++)
    {
      const AssaySegment *s = &g_array_index (segments, AssaySegment, i);

      total += s->end - s->start;
    }
  return total;
}

GArray *
assay_segments_intersect (GArray *a,
                          GArray *b,
                          double  min_len)
{
  GArray *out = assay_segments_new ();
  guint i = 0, j = 0;

  g_return_val_if_fail (a != NULL && b != NULL, out);

  while (i < a->len && j < b->len)
    {
      const AssaySegment *x = &g_array_index (a, AssaySegment, i);
      const AssaySegment *y = &g_array_index (b, AssaySegment, j);
      double start = MAX (x->start, y->start);
      double end = MIN (x->end, y->end);

      if (end > start && end - start >= min_len)
        segments_append (out, start, end);
      if (x->end < y->end)
        i++;
      else
        j++;
    }
  return out;
}

GArray *
assay_segments_union (GArray *a,
                      GArray *b)
{
  GArray *out = assay_segments_new ();
  guint i = 0, j = 0;

  g_return_val_if_fail (a != NULL && b != NULL, out);

  while (i < a->len || j < b->len)
    {
      const AssaySegment *next;

      if (j >= b->len
          || (i < a->len
              && g_array_index (a, AssaySegment, i).start
                   <= g_array_index (b, AssaySegment, j).start))
        next = &g_array_index (a, AssaySegment, i++);
      else
        next = &g_array_index (b, AssaySegment, j++);

      if (out->len > 0)
        {
          AssaySegment *last = &g_array_index (out, AssaySegment, out->len - 1);

          if (next->start <= last->end)
            {
              last->end = MAX (last->end, next->end);
              continue;
            }
        }
      g_array_append_vals (out, next, 1);
    }
  return out;
}

GArray *
assay_segments_gaps (GArray *active,
                     double  duration,
                     double  min_len)
{
  GArray *out = assay_segments_new ();
  double cursor = 0;

  g_return_val_if_fail (active != NULL, out);

  /* a small epsilon so that a gap of exactly min_len made of whole frames counts */
  for (guint i = 0; i <= active->len; i++)
    {
      double start = i < active->len ? g_array_index (active, AssaySegment, i).start : duration;
      double end = i < active->len ? g_array_index (active, AssaySegment, i).end : duration;

      start = MIN (start, duration);
      if (start - cursor >= min_len - 1e-9 && start > cursor)
        segments_append (out, cursor, start);
      cursor = MAX (cursor, end);
      if (cursor >= duration)
        break;
    }
  return out;
}

GArray *
assay_speech_skip_gaps (const AssaySegment *a,
                        guint               n_a,
                        const AssaySegment *b,
                        guint               n_b,
                        double              duration,
                        double              min_len)
{
  g_autoptr(GArray) va = assay_segments_new ();
  g_autoptr(GArray) vb = assay_segments_new ();
  g_autoptr(GArray) speech = NULL;

  if (a != NULL && n_a > 0)
    g_array_append_vals (va, a, n_a);
  if (b != NULL && n_b > 0)
    g_array_append_vals (vb, b, n_b);
  speech = assay_segments_union (va, vb);
  return assay_segments_gaps (speech, duration, min_len);
}

double
assay_segments_skip_target (GArray *gaps,
                            double  position,
                            double  keep)
{
  g_return_val_if_fail (gaps != NULL, -1);

  keep = MAX (keep, 0);
  for (guint i = 0; i < gaps->len; i++)
    {
      const AssaySegment *gap = &g_array_index (gaps, AssaySegment, i);

      if (gap->start > position)
        break;
      /* too short to skip anything once both ends are kept */
      if (gap->end - gap->start <= 2 * keep)
        continue;
      if (position >= gap->start + keep && position < gap->end - keep)
        return gap->end - keep;
    }
  return -1;
}

double
assay_segments_listening_time (GArray *gaps,
                               double  duration,
                               double  keep,
                               double  rate)
{
  double heard = duration;

  g_return_val_if_fail (gaps != NULL, duration);
  g_return_val_if_fail (rate > 0, duration);

  keep = MAX (keep, 0);
  for (guint i = 0; i < gaps->len; i++)
    {
      const AssaySegment *gap = &g_array_index (gaps, AssaySegment, i);
      double start = MIN (gap->start, duration);
      double end = MIN (gap->end, duration);

      if (end - start > 2 * keep)
        heard -= end - start - 2 * keep;
    }
  return MAX (heard, 0) / rate;
}

gboolean
assay_speech_longest_monologue (GArray       *agent,
                                GArray       *customer,
                                double        max_pause,
                                AssaySegment *out)
{
  AssaySegment best = { 0, 0 }, cur;
  guint k = 0;

  g_return_val_if_fail (agent != NULL && customer != NULL && out != NULL, FALSE);

  out->start = out->end = 0;
  if (agent->len == 0)
    return FALSE;

  cur = g_array_index (agent, AssaySegment, 0);
  for (guint i = 1; i <= agent->len; i++)
    {
      gboolean extend = FALSE;

      if (i < agent->len)
        {
          const AssaySegment *next = &g_array_index (agent, AssaySegment, i);

          if (next->start - cur.end < max_pause)
            {
              /* does the customer speak in the pause (cur.end, next->start)? */
              while (k < customer->len && g_array_index (customer, AssaySegment, k).end <= cur.end)
                k++;
              extend = !(k < customer->len &&
                         g_array_index (customer, AssaySegment, k).start < next->start);
            }
          if (extend)
            {
              cur.end = next->end;
              continue;
            }
        }

      if (cur.end - cur.start > best.end - best.start)
        best = cur;
      if (i < agent->len)
        cur = g_array_index (agent, AssaySegment, i);
    }

  *out = best;
  return TRUE;
}

static void
segments_clip (GArray *segments,
               double  duration)
{
  for (guint i = 0; i < segments->len; i++)
    {
      AssaySegment *s = &g_array_index (segments, AssaySegment, i);

      s->end = MIN (s->end, duration);
      if (s->end <= s->start)
        {
          g_array_set_size (segments, i);
          break;
        }
    }
}

AssaySpeechStats *
assay_speech_analyze (const float * const     *energies,
                      guint                    n_channels,
                      gsize                    n,
                      double                   duration_s,
                      const AssaySpeechParams *params)
{
  AssaySpeechStats *stats;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (n_channels == 0 || energies != NULL, NULL);

  stats = g_new0 (AssaySpeechStats, 1);
  stats->duration_s = MAX (duration_s, 0);
  stats->n_channels = n_channels;
  stats->talk_ratio = NAN;

  for (guint c = 0; c < MIN (n_channels, 2); c++)
    {
      stats->voice[c] = assay_speech_detect (energies[c], n, params);
      segments_clip (stats->voice[c], stats->duration_s);
    }

  if (n_channels < 2)
    {
      g_autoptr(GArray) none = assay_segments_new ();

      stats->silence = assay_segments_gaps (stats->voice[0] ? stats->voice[0] : none,
                                            stats->duration_s, params->silence_min_s);
      stats->silence_s = assay_segments_total (stats->silence);
      stats->overtalk = assay_segments_new ();
      return stats;
    }

  {
    guint agent = params->agent_channel == 1 ? 1 : 0;
    GArray *a = stats->voice[agent];
    GArray *c = stats->voice[1 - agent];
    g_autoptr(GArray) anyone = assay_segments_union (a, c);

    stats->has_talk_split = TRUE;
    stats->agent_talk_s = assay_segments_total (a);
    stats->customer_talk_s = assay_segments_total (c);
    if (stats->agent_talk_s + stats->customer_talk_s > 0)
      stats->talk_ratio = stats->agent_talk_s / (stats->agent_talk_s + stats->customer_talk_s);

    stats->silence = assay_segments_gaps (anyone, stats->duration_s, params->silence_min_s);
    stats->silence_s = assay_segments_total (stats->silence);
    stats->overtalk = assay_segments_intersect (a, c, params->overtalk_min_s);
    stats->overtalk_s = assay_segments_total (stats->overtalk);
    if (assay_speech_longest_monologue (a, c, params->silence_min_s, &stats->longest_monologue))
      stats->longest_monologue_s = stats->longest_monologue.end - stats->longest_monologue.start;
  }

  return stats;
}

void
assay_speech_stats_free (AssaySpeechStats *stats)
{
  if (stats == NULL)
    return;
  for (guint c = 0; c < G_N_ELEMENTS (stats->voice); c++)
    g_clear_pointer (&stats->voice[c], g_array_unref);
  g_clear_pointer (&stats->silence, g_array_unref);
  g_clear_pointer (&stats->overtalk, g_array_unref);
  g_free (stats);
}

G_DEFINE_QUARK (assay-speech-error-quark, assay_speech_error)

AssaySpeechSummary *
assay_speech_summary_new (void)
{
  AssaySpeechSummary *summary = g_new0 (AssaySpeechSummary, 1);
  AssaySpeechParams params;

  assay_speech_params_init (&params);
  summary->agent_talk_s = NAN;
  summary->customer_talk_s = NAN;
  summary->talk_ratio = NAN;
  summary->overtalk_s = NAN;
  summary->longest_monologue_s = NAN;
  summary->silence = assay_segments_new ();
  summary->overtalk = assay_segments_new ();
  for (guint c = 0; c < G_N_ELEMENTS (summary->voice); c++)
    summary->voice[c] = assay_segments_new ();
  summary->silence_min_s = params.silence_min_s;
  summary->overtalk_min_s = params.overtalk_min_s;
  return summary;
}

static GArray *
segments_copy (GArray *segments)
{
  GArray *copy = assay_segments_new ();

  if (segments != NULL && segments->len > 0)
    g_array_append_vals (copy, segments->data, segments->len);
  return copy;
}

AssaySpeechSummary *
assay_speech_summary_copy (const AssaySpeechSummary *summary)
{
  AssaySpeechSummary *copy;

  g_return_val_if_fail (summary != NULL, NULL);

  copy = g_new0 (AssaySpeechSummary, 1);
  *copy = *summary;
  copy->file = g_strdup (summary->file);
  copy->silence = segments_copy (summary->silence);
  copy->overtalk = segments_copy (summary->overtalk);
  for (guint c = 0; c < G_N_ELEMENTS (copy->voice); c++)
    copy->voice[c] = segments_copy (summary->voice[c]);
  return copy;
}

void
assay_speech_summary_free (AssaySpeechSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->file);
  g_clear_pointer (&summary->silence, g_array_unref);
  g_clear_pointer (&summary->overtalk, g_array_unref);
  for (guint c = 0; c < G_N_ELEMENTS (summary->voice); c++)
    g_clear_pointer (&summary->voice[c], g_array_unref);
  g_free (summary);
}
