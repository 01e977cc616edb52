/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>

#include "assay-chart-math.h"

double
assay_chart_scale_map (const AssayChartScale *scale,
                       double                 v)
{
  if (scale->d1 == scale->d0)
    return (scale->p0 + scale->p1) / 2.0;
  return scale->p0 + (v - scale->d0) / (scale->d1 - scale->d0) * (scale->p1 - scale->p0);
}

double
assay_chart_scale_invert (const AssayChartScale *scale,
                          double                 p)
{
  if (scale->p1 == scale->p0)
    return scale->d0;
  return scale->d0 + (p - scale->p0) / (scale->p1 - scale->p0) * (scale->d1 - scale->d0);
}

/* the nice number (1, 2, 5 × 10ⁿ) nearest above @x */
static double
nice_step (double x,
           int   *exponent)
{
  int e = (int) floor (log10 (x));
  double f = x / pow (10.0, e);
  double nf;

  if (f <= 1.0 + 1e-9)
    nf = 1.0;
  else if (f <= 2.0 + 1e-9)
    nf = 2.0;
  else if (f <= 5.0 + 1e-9)
    nf = 5.0;
  else
    {
      nf = 1.0;
      e++;
    }
  *exponent = e;
  return nf * pow (10.0, e);
}

void
assay_chart_nice_ticks (double           min,
                        double           max,
                        guint            max_ticks,
                        AssayChartTicks *ticks)
{
  double step = 0, lo, hi;
  int e = 0;

  if (!isfinite (min) || !isfinite (max))
    min = 0.0, max = 1.0;
  if (min > max)
    {
      double t = min;

      min = max;
      max = t;
    }
  if (min == max)
    {
      double pad = min == 0.0 ? 1.0 : fabs (min) * 0.1;

      min -= pad;
      max += pad;
    }
  /* ticks are multiples of the step, so a range across 0 needs three */
  max_ticks = MAX (max_ticks, 3);

  /* the smallest nice step whose ticks fit in max_ticks */
  step = nice_step ((max - min) / (double) (max_ticks - 1), &e);
  for (;;)
    {
      lo = floor (min / step + 1e-9) * step;
      hi = ceil (max / step - 1e-9) * step;
      if ((guint) llround ((hi - lo) / step) + 1 <= max_ticks)
        break;
      step = nice_step (step * 1.01, &e);
    }

  ticks->lo = lo;
  ticks->hi = hi;
  ticks->step = step;
  ticks->n = (guint) llround ((hi - lo) / step) + 1;
  ticks->decimals = e < 0 ? (guint) -e : 0;
}

double
assay_chart_tick_value (const AssayChartTicks *ticks,
                        guint                  i)
{
  /* from the tick's index, not by adding steps, so 0.1 + 0.2 never shows as 0.30000000000000004 */
  double units = round (ticks->lo / ticks->step) + (double) i;
  double scale = pow (10.0, ticks->decimals);

  return round (units * ticks->step * scale) / scale;
}

gboolean
assay_chart_band_layout (guint           n,
                         double          p0,
                         double          length,
                         double          gap_ratio,
                         AssayChartBand *bands)
{
  double band;

  if (n == 0 || !(length > 0.0))
    return FALSE;
  gap_ratio = CLAMP (gap_ratio, 0.0, 0.9);
  band = length / (double) n;
  for (guint i = 0; i < n; i++)
    {
      bands[i].x = p0 + band * (double) i + band * gap_ratio / 2.0;
      bands[i].width = band * (1.0 - gap_ratio);
    }
  return TRUE;
}

double
assay_chart_stack (const double      *values,
                   guint              n_bars,
                   guint              n_series,
                   AssayChartSegment *segments)
{
  double tallest = 0.0;

  for (guint b = 0; b < n_bars; b++)
    {
      double top = 0.0;

      for (guint s = 0; s < n_series; s++)
        {
          double v = values[b * n_series + s];

          if (!(v > 0.0))
            v = 0.0;
          segments[b * n_series + s].lo = top;
          top += v;
          segments[b * n_series + s].hi = top;
        }
      tallest = MAX (tallest, top);
    }
  return tallest;
}

guint
assay_chart_bins (const double *values,
                  guint         n_values,
                  double        lo,
                  double        hi,
                  guint         n_bins,
                  guint        *counts)
{
  guint outside = 0;
  double width;

  for (guint i = 0; i < n_bins; i++)
    counts[i] = 0;
  if (n_bins == 0 || !(hi > lo))
    return n_values;
  width = (hi - lo) / (double) n_bins;
  for (guint i = 0; i < n_values; i++)
    {
      double v = values[i];
      guint bin;

      if (isnan (v) || v < lo || v > hi)
        {
          outside++;
          continue;
        }
      bin = v == hi ? n_bins - 1 : (guint) floor ((v - lo) / width);
      counts[MIN (bin, n_bins - 1)]++;
    }
  return outside;
}

static int
compare_pareto (const void *a,
                const void *b)
{
  const AssayChartParetoItem *ia = a;
  const AssayChartParetoItem *ib = b;

  if (ia->value != ib->value)
    return ia->value > ib->value ? -1 : 1;
  return ia->index < ib->index ? -1 : ia->index > ib->index;
}

void
assay_chart_pareto (const double         *values,
                    guint                 n,
                    AssayChartParetoItem *items)
{
  double total = 0.0, running = 0.0;

  for (guint i = 0; i < n; i++)
    {
      items[i].index = i;
      items[i].value = values[i] > 0.0 ? values[i] : 0.0;
      total += items[i].value;
    }
  qsort (items, n, sizeof items[0], compare_pareto);
  for (guint i = 0; i < n; i++)
    {
      running += items[i].value;
      items[i].cumulative = total > 0.0 ? 100.0 * running / total : 0.0;
    }
  if (n > 0 && total > 0.0)
    items[n - 1].cumulative = 100.0;
}

int
assay_chart_band_at (const AssayChartBand *bands,
                     guint                 n,
                     double                p)
{
  for (guint i = 0; i < n; i++)
    {
      /* the slot around the band: half the gap on either side (the gaps are equal) */
      double gap = i + 1 < n ? bands[i + 1].x - (bands[i].x + bands[i].width)
                   : i > 0 ? bands[i].x - (bands[i - 1].x + bands[i - 1].width) : 0.0;
      double lo = bands[i].x - gap / 2.0;
      double hi = bands[i].x + bands[i].width + gap / 2.0;

      if (p >= lo && (p < hi || (i + 1 == n && p <= hi)))
        return (int) i;
    }
  return -1;
}

void
assay_chart_data_range (const double *values,
                        guint         n,
                        double       *min,
                        double       *max)
{
  for (guint i = 0; values != NULL && i < n; i++)
    if (isfinite (values[i]))
      {
        *min = MIN (*min, values[i]);
        *max = MAX (*max, values[i]);
      }
}

void
assay_chart_line_points (const AssayChartBand  *bands,
                         const double          *values,
                         guint                  n,
                         const AssayChartScale *scale,
                         double                *xs,
                         double                *ys)
{
  for (guint i = 0; i < n; i++)
    {
      xs[i] = bands[i].x + bands[i].width / 2.0;
      ys[i] = isfinite (values[i]) ? assay_chart_scale_map (scale, values[i]) : NAN;
    }
}
