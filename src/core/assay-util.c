/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-util.h"

#include <math.h>

gboolean
assay_set_str (char       **str_ptr,
               const char  *new_str)
{
  if (g_strcmp0 (*str_ptr, new_str) == 0)
    return FALSE;
  g_free (*str_ptr);
  *str_ptr = g_strdup (new_str);
  return TRUE;
}

char *
assay_uuid_new (void)
{
  return g_uuid_string_random ();
}

gint64
assay_now_ms (void)
{
  return g_get_real_time () / 1000;
}

char *
assay_format_duration (double seconds)
{
  gint64 total;

  if (!isfinite (seconds) || seconds < 0)
    seconds = 0;
  total = (gint64) floor (seconds + 0.5);
  if (total >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", total / 3600,
                            (int) (total / 60 % 60), (int) (total % 60));
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", total / 60, (int) (total % 60));
}

gboolean
assay_parse_iso8601_ms (const char *text,
                        gint64     *out_ms)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

char *
assay_format_iso8601_ms (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);

  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}
