/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/assay-kpi.h"
#include "core/assay-period.h"

#define D(y, m, d) assay_kpi_day_from_ymd (y, m, d)

static void
test_containing (void)
{
  int from, to;

  /* 2026-11-18 is a Wednesday: its week runs Monday 16th to Sunday 22nd */
  assay_period_containing (ASSAY_PERIOD_WEEK, D (2026, 11, 18), &from, &to);
  g_assert_cmpint (from, ==, D (2026, 11, 16));
  g_assert_cmpint (to, ==, D (2026, 11, 22));
  assay_period_containing (ASSAY_PERIOD_WEEK, D (2026, 11, 22), &from, &to);   /* a Sunday */
  g_assert_cmpint (from, ==, D (2026, 11, 16));
  assay_period_containing (ASSAY_PERIOD_MONTH, D (2028, 2, 10), &from, &to);    /* leap year */
  g_assert_cmpint (from, ==, D (2028, 2, 1));
  g_assert_cmpint (to, ==, D (2028, 2, 29));
  assay_period_containing (ASSAY_PERIOD_QUARTER, D (2026, 12, 6), &from, &to);
  g_assert_cmpint (from, ==, D (2026, 10, 1));
  g_assert_cmpint (to, ==, D (2026, 12, 31));
  assay_period_containing (ASSAY_PERIOD_QUARTER, D (2026, 1, 1), &from, &to);
  g_assert_cmpint (from, ==, D (2026, 1, 1));
  g_assert_cmpint (to, ==, D (2026, 3, 31));
  assay_period_containing (ASSAY_PERIOD_CUSTOM, D (2026, 5, 5), &from, &to);
  g_assert_cmpint (from, ==, to);
}

static void
test_shift (void)
{
  int from = D (2026, 1, 31), to = D (2026, 1, 31);

  assay_period_shift (ASSAY_PERIOD_MONTH, &from, &to, 1);       /* from the 31st: February */
  g_assert_cmpint (from, ==, D (2026, 2, 1));
  g_assert_cmpint (to, ==, D (2026, 2, 28));
  assay_period_shift (ASSAY_PERIOD_MONTH, &from, &to, -3);      /* across the year */
  g_assert_cmpint (from, ==, D (2025, 11, 1));
  g_assert_cmpint (to, ==, D (2025, 11, 30));
  assay_period_shift (ASSAY_PERIOD_QUARTER, &from, &to, 1);
  g_assert_cmpint (from, ==, D (2026, 1, 1));
  g_assert_cmpint (to, ==, D (2026, 3, 31));
  from = D (2026, 12, 28);
  assay_period_shift (ASSAY_PERIOD_WEEK, &from, &to, 1);        /* into the next year */
  g_assert_cmpint (from, ==, D (2027, 1, 4));
  g_assert_cmpint (to, ==, D (2027, 1, 10));
  from = D (2026, 11, 1);
  to = D (2026, 11, 10);
  assay_period_shift (ASSAY_PERIOD_CUSTOM, &from, &to, -1);     /* ten days back */
  g_assert_cmpint (from, ==, D (2026, 10, 22));
  g_assert_cmpint (to, ==, D (2026, 10, 31));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/period/containing", test_containing);
  g_test_add_func ("/core/period/shift", test_shift);
  return g_test_run ();
}
