/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The user's word for a channel ("phone" → "Phone", in their language). */
const char *assay_ui_channel_label (const char *channel);
/* A UTC time in unix ms as local time with a g_date_time_format() @format; "" if invalid. */
char       *assay_ui_format_time   (gint64      ms,
                                    const char *format);

G_END_DECLS
