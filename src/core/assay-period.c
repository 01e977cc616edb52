/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-period.h"

/* day 0 is 1970-01-01, Julian day 719163 in GLib's numbering */
#define JULIAN_EPOCH 719163

static void
to_date (int    day,
         GDate *date)
{
  g_date_clear (date, 1);
  g_date_set_julian (date, (guint32) (day + JULIAN_EPOCH));
}

static int
from_date (const GDate *date)
{
  return (int) g_date_get_julian (date) - JULIAN_EPOCH;
}

void
assay_period_containing (AssayPeriodKind  kind,
                         int              day,
                         int             *from_day,
                         int             *to_day)
{
  GDate date;
  int months;

  switch (kind)
    {
    case ASSAY_PERIOD_WEEK:
      to_date (day, &date);
      *from_day = day - ((int) g_date_get_weekday (&date) - 1);   /* GLib: Monday is 1 */
      *to_day = *from_day + 6;
      return;
    case ASSAY_PERIOD_MONTH:
    case ASSAY_PERIOD_QUARTER:
      months = kind == ASSAY_PERIOD_MONTH ? 1 : 3;
      to_date (day, &date);
      g_date_set_day (&date, 1);
      if (months == 3)
        g_date_set_month (&date, (GDateMonth) (((g_date_get_month (&date) - 1) / 3) * 3 + 1));
      *from_day = from_date (&date);
      g_date_add_months (&date, (guint) months);
      *to_day = from_date (&date) - 1;
      return;
    case ASSAY_PERIOD_CUSTOM:
    default:
      *from_day = *to_day = day;
      return;
    }
}

void
assay_period_shift (AssayPeriodKind  kind,
                    int             *from_day,
                    int             *to_day,
                    int              steps)
{
  GDate date;
  int length;

  switch (kind)
    {
    case ASSAY_PERIOD_WEEK:
      assay_period_containing (kind, *from_day + 7 * steps, from_day, to_day);
      return;
    case ASSAY_PERIOD_MONTH:
    case ASSAY_PERIOD_QUARTER:
      assay_period_containing (kind, *from_day, from_day, to_day);
      to_date (*from_day, &date);
      if (steps > 0)
        g_date_add_months (&date, (guint) (steps * (kind == ASSAY_PERIOD_MONTH ? 1 : 3)));
      else if (steps < 0)
        g_date_subtract_months (&date, (guint) (-steps * (kind == ASSAY_PERIOD_MONTH ? 1 : 3)));
      assay_period_containing (kind, from_date (&date), from_day, to_day);
      return;
    case ASSAY_PERIOD_CUSTOM:
    default:
      length = *to_day - *from_day + 1;
      *from_day += steps * length;
      *to_day += steps * length;
      return;
    }
}
