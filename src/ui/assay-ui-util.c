/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

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
assay_ui_format_time (gint64      ms,
                      const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, format) : g_strdup ("");
}
