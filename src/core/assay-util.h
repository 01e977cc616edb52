/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * assay_set_str:
 * Replaces the string at @str_ptr with a copy of @new_str (g_set_str is GLib 2.76).
 * Returns: %TRUE if the value changed.
 */
gboolean assay_set_str (char       **str_ptr,
                        const char  *new_str);

/** assay_uuid_new: a new random (version 4) UUID as text. */
char *assay_uuid_new (void);

/** assay_now_ms: the current UTC time in unix milliseconds, the store's time unit. */
gint64 assay_now_ms (void);

/**
 * assay_format_duration:
 * Formats @seconds as m:ss, or h:mm:ss from an hour on.
 */
char *assay_format_duration (double seconds);

/**
 * assay_parse_iso8601_ms:
 * Parses an ISO-8601 time ("2026-11-14T10:42:00Z" or with an offset) into unix milliseconds.
 * Returns: %FALSE if @text is not such a time.
 */
gboolean assay_parse_iso8601_ms (const char *text,
                                 gint64     *out_ms);

/** assay_format_iso8601_ms: unix milliseconds as ISO-8601 UTC ("2026-11-14T10:42:00Z"). */
char *assay_format_iso8601_ms (gint64 ms);

G_END_DECLS
