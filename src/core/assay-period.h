/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The periods the Insights pages offer (docs/kpi.md): a Monday-to-Sunday week, a calendar
 * month or quarter, or any run of days. Days are numbered as assay_kpi_day_from_ymd() numbers
 * them (days since 1970-01-01, local calendar).
 */
typedef enum {
  ASSAY_PERIOD_WEEK,
  ASSAY_PERIOD_MONTH,
  ASSAY_PERIOD_QUARTER,
  ASSAY_PERIOD_CUSTOM,
} AssayPeriodKind;

/**
 * assay_period_containing:
 * The week, month or quarter that holds @day, in @from_day and @to_day (inclusive). A custom
 * period is the day itself.
 */
void     assay_period_containing (AssayPeriodKind  kind,
                                  int              day,
                                  int             *from_day,
                                  int             *to_day);

/**
 * assay_period_shift:
 * Moves [@from_day, @to_day] by @steps periods of @kind (negative: back). A custom period moves
 * by its own length. The result of a week, month or quarter is a whole one.
 */
void     assay_period_shift      (AssayPeriodKind  kind,
                                  int             *from_day,
                                  int             *to_day,
                                  int              steps);

G_END_DECLS
