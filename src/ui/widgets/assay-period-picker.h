/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/assay-period.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_PERIOD_PICKER (assay_period_picker_get_type ())
G_DECLARE_FINAL_TYPE (AssayPeriodPicker, assay_period_picker, ASSAY, PERIOD_PICKER, GtkWidget)

/*
 * AssayPeriodPicker:
 * ‹ November 2026 › — the period of an Insights page: back and forward by a period, and a menu
 * of week, month, quarter or a custom run of days (two calendars). Emits "changed" once per
 * change, with the new days in from-day and to-day.
 */
GtkWidget      *assay_period_picker_new          (void);
AssayPeriodKind assay_period_picker_get_kind     (AssayPeriodPicker *self);
int             assay_period_picker_get_from_day (AssayPeriodPicker *self);
int             assay_period_picker_get_to_day   (AssayPeriodPicker *self);
/* sets the period (a week, month or quarter is widened to the whole one holding @from_day) */
void            assay_period_picker_set_period   (AssayPeriodPicker *self,
                                                  AssayPeriodKind    kind,
                                                  int                from_day,
                                                  int                to_day);
void            assay_period_picker_shift        (AssayPeriodPicker *self,
                                                  int                steps);
/* "November 2026", "16 – 22 Nov 2026", "Q4 2026", in the user's language */
char           *assay_period_picker_format       (AssayPeriodKind    kind,
                                                  int                from_day,
                                                  int                to_day);

G_END_DECLS
