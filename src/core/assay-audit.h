/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Mystery-shopper audits (docs/audits.md): what the schedule shows. A scheduled visit or test
 * call is due until the end of the day it is planned for, in the time zone of the one looking,
 * and overdue from the first instant of the next day unless a submitted audit covers it. Quotas
 * are per calendar month of that time zone.
 */

typedef enum {
  ASSAY_AUDIT_DUE,        /* planned, its day has not ended */
  ASSAY_AUDIT_OVERDUE,    /* planned, its day has ended, no submitted audit */
  ASSAY_AUDIT_DONE,       /* a submitted audit covers it */
  ASSAY_AUDIT_CANCELLED,
} AssayAuditStatus;

/** assay_audit_status_to_string: "due", "overdue", "done" or "cancelled". */
const char      *assay_audit_status_to_string (AssayAuditStatus status);

/**
 * assay_audit_visit_status:
 * The status of a visit due at @due_at (unix ms, the end of its day: see
 * assay_audit_due_at_for_day()) at @now_ms.
 */
AssayAuditStatus assay_audit_visit_status     (gboolean  done,
                                               gboolean  cancelled,
                                               gint64    due_at,
                                               gint64    now_ms);

/**
 * assay_audit_due_at_for_day:
 * The instant a visit planned for @day (any time of it, in its own time zone) becomes overdue:
 * the first instant of the next day, unix ms.
 */
gint64           assay_audit_due_at_for_day   (GDateTime *day);

/**
 * assay_audit_month_bounds:
 * The calendar month holding @when, in @when's time zone, as unix ms [@start_ms, @end_ms).
 * @months shifts it (−1: the month before).
 */
void             assay_audit_month_bounds     (GDateTime *when,
                                               int        months,
                                               gint64    *start_ms,
                                               gint64    *end_ms);

/**
 * assay_audit_quota_due:
 * How many audits a target still needs this month: the quota less those done, never below 0.
 */
guint            assay_audit_quota_due        (guint      quota,
                                               guint      done);

/**
 * assay_audit_quota_behind:
 * Whether a target is behind its quota at @now_ms in the month [@start_ms, @end_ms): done fewer
 * than the share of the quota the elapsed days call for (rounded down), or the month ended short.
 */
gboolean         assay_audit_quota_behind     (guint      quota,
                                               guint      done,
                                               gint64     start_ms,
                                               gint64     end_ms,
                                               gint64     now_ms);

G_END_DECLS
