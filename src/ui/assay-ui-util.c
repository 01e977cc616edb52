/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-ui-util.h"

const char *
assay_ui_channel_label (const char *channel)
{
  if (g_strcmp0 (channel, "phone") == 0)
    return C_("channel", "Phone");
  if (g_strcmp0 (channel, "chat") == 0)
    return C_("channel", "Chat");
  if (g_strcmp0 (channel, "email") == 0)
    return C_("channel", "Email");
  if (g_strcmp0 (channel, "ticket") == 0)
    return C_("channel", "Ticket");
  return channel ? channel : "";
}

char *
assay_ui_format_percent (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  /* Translators: a score in percent */
  return g_strdup_printf (_("%.0f %%"), value);
}

const char *
assay_ui_priority_label (const char *priority)
{
  if (g_strcmp0 (priority, "low") == 0)
    return C_("priority", "Low");
  if (g_strcmp0 (priority, "normal") == 0)
    return C_("priority", "Normal");
  if (g_strcmp0 (priority, "high") == 0)
    return C_("priority", "High");
  if (g_strcmp0 (priority, "urgent") == 0)
    return C_("priority", "Urgent");
  return priority;
}

char *
assay_ui_format_time (gint64      ms,
                      const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, format) : g_strdup ("");
}

AdwToast *
assay_ui_toast_new (const char *text)
{
  g_autofree char *markup = g_markup_escape_text (text ? text : "", -1);

  return adw_toast_new (markup);
}
