/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-audit.h"

const char *
assay_audit_status_to_string (AssayAuditStatus status)
{
  switch (status)
    {
    case ASSAY_AUDIT_DUE:
      return "due";
    case ASSAY_AUDIT_OVERDUE:
      return "overdue";
    case ASSAY_AUDIT_DONE:
      return "done";
    case ASSAY_AUDIT_CANCELLED:
      return "cancelled";
    default:
      g_return_val_if_reached (NULL);
    }
}

AssayAuditStatus
assay_audit_visit_status (gboolean done,
                          gboolean cancelled,
                          gint64   due_at,
                          gint64   now_ms)
{
  /* a visit done late is still done: the audit counts, lateness is the schedule's business */
  if (done)
    return ASSAY_AUDIT_DONE;
  if (cancelled)
    return ASSAY_AUDIT_CANCELLED;
  return now_ms >= due_at ? ASSAY_AUDIT_OVERDUE : ASSAY_AUDIT_DUE;
}

gint64
assay_audit_due_at_for_day (GDateTime *day)
{
  g_autoptr(GDateTime) next = NULL;
  int y, m, d;

  g_return_val_if_fail (day != NULL, 0);
  g_date_time_get_ymd (day, &y, &m, &d);
  /* built from the calendar, not by adding 24 h: a day with a DST change is 23 or 25 h long */
  {
    g_autoptr(GDateTime) start = g_date_time_new (g_date_time_get_timezone (day), y, m, d, 0, 0, 0);

    next = g_date_time_add_days (start, 1);
  }
  return g_date_time_to_unix (next) * 1000;
}

void
assay_audit_month_bounds (GDateTime *when,
                          int        months,
                          gint64    *start_ms,
                          gint64    *end_ms)
{
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  int y, m;

  g_return_if_fail (when != NULL);
  g_date_time_get_ymd (when, &y, &m, NULL);
  first = g_date_time_new (g_date_time_get_timezone (when), y, m, 1, 0, 0, 0);
  start = g_date_time_add_months (first, months);
  end = g_date_time_add_months (start, 1);
  if (start_ms != NULL)
    *start_ms = g_date_time_to_unix (start) * 1000;
  if (end_ms != NULL)
    *end_ms = g_date_time_to_unix (end) * 1000;
}

guint
assay_audit_quota_due (guint quota,
                       guint done)
{
  return done >= quota ? 0 : quota - done;
}

gboolean
assay_audit_quota_behind (guint  quota,
                          guint  done,
                          gint64 start_ms,
                          gint64 end_ms,
                          gint64 now_ms)
{
  double elapsed;

  if (done >= quota || now_ms < start_ms || end_ms <= start_ms)
    return FALSE;
  if (now_ms >= end_ms)
    return TRUE;
  elapsed = (double) (now_ms - start_ms) / (double) (end_ms - start_ms);
  return done < (guint) (quota * elapsed);
}
