/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-review-time.h"

#include <stdlib.h>
#include <string.h>

static int
compare_ms (const void *a,
            const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

gint64
assay_review_active_ms (const gint64 *times_ms,
                        gsize         n_times,
                        gint64        idle_ms)
{
  g_autofree gint64 *sorted = NULL;
  gint64 total = 0;

  g_return_val_if_fail (n_times == 0 || times_ms != NULL, 0);
  g_return_val_if_fail (idle_ms > 0, 0);

  if (n_times < 2)
    return 0;
  /* activities may be logged out of order (two widgets, one clock): sort a copy */
  sorted = g_memdup2 (times_ms, n_times * sizeof (gint64));
  qsort (sorted, n_times, sizeof (gint64), compare_ms);
  for (gsize i = 1; i < n_times; i++)
    {
      gint64 gap = sorted[i] - sorted[i - 1];

      if (gap <= idle_ms)
        total += gap;
    }
  return total;
}

void
assay_review_clock_touch (AssayReviewClock *clock,
                          gint64            now_ms)
{
  g_return_if_fail (clock != NULL);

  if (clock->last_ms >= 0 && now_ms >= clock->last_ms
      && now_ms - clock->last_ms <= clock->idle_ms)
    clock->active_ms += now_ms - clock->last_ms;
  if (now_ms > clock->last_ms)
    clock->last_ms = now_ms;
}

gint64
assay_review_clock_get_active_ms (const AssayReviewClock *clock)
{
  g_return_val_if_fail (clock != NULL, 0);
  return clock->active_ms;
}
