/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The user's word for a channel ("phone" → "Phone", in their language). */
const char *assay_ui_channel_label (const char *channel);
/* A score in percent as the user's language writes it ("62 %", "62%"); "—" for NAN. */
char       *assay_ui_format_percent (double     value);
/* The user's word for a ticket priority ("low" → "Low"). */
const char *assay_ui_priority_label (const char *priority);
/* A UTC time in unix ms as local time with a g_date_time_format() @format; "" if invalid. */
char       *assay_ui_format_time   (gint64      ms,
                                    const char *format);

/* A toast showing @text as it is: toasts read Pango markup, so every toast with text that is not
 * a fixed string (a name, a path, an error message) goes through here. */
AdwToast   *assay_ui_toast_new     (const char *text);

/* Gives every icon-only button its tooltip as accessible name, when it is realized (GTK 4.8
 * names a button from its label only, so a screen reader would say just "button"). Called once
 * by the application; see "Accessibility" in HACKING.md. */
void        assay_ui_name_icon_buttons (void);

/* The list of a page's records: a boxed GtkListBox named @label for screen readers, without
 * selection, clamped to 900 px in a scrolled window, which is returned in @scrolled. */
GtkListBox *assay_ui_boxed_list_new (const char  *label,
                                     GtkWidget  **scrolled);

G_END_DECLS
