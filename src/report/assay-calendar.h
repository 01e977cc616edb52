/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The team lead's calendar as iCalendar (RFC 5545), written with libical: one VEVENT per
 * AssayCalendarEvent (store/assay-store-coaching.h) with a stable UID (its kind and row id), so
 * a re-exported change updates the event in the user's calendar instead of duplicating it;
 * DTSTART/DTEND in UTC; SEQUENCE and LAST-MODIFIED from the row's change time; a cancelled
 * session is STATUS:CANCELLED. @events holds AssayCalendarEvent; returns the text.
 */
char *assay_calendar_to_ics (GPtrArray *events);

/* The UID of an event of @kind for row @id. */
char *assay_calendar_uid    (const char *kind,
                             const char *id);

G_END_DECLS
