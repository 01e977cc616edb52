/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <libical/ical.h>

#include "assay-calendar.h"
#include "store/assay-store-coaching.h"

char *
assay_calendar_uid (const char *kind,
                    const char *id)
{
  return g_strdup_printf ("%s-%s@assay.assayqa.github.io", kind, id);
}

static struct icaltimetype
utc_time (gint64 ms)
{
  return icaltime_from_timet_with_zone ((time_t) (ms / 1000), 0, icaltimezone_get_utc_timezone ());
}

static char *
summary (const AssayCalendarEvent *e)
{
  const char *title = e->title != NULL && *e->title != '\0' ? e->title : NULL;

  if (g_strcmp0 (e->kind, "coaching") == 0)
    return title != NULL
           /* Translators: a calendar event: coaching an agent, and the session's agenda */
           ? g_strdup_printf (C_("calendar", "Coaching %s: %s"), e->who, title)
           : g_strdup_printf (C_("calendar", "Coaching %s"), e->who);
  if (g_strcmp0 (e->kind, "training") == 0)
    /* Translators: a calendar event: an agent's training plan is due */
    return g_strdup_printf (C_("calendar", "Training due: %s (%s)"), title ? title : "", e->who);
  /* Translators: a calendar event: an assessment is due */
  return g_strdup_printf (C_("calendar", "Assessment due: %s"), title ? title : "");
}

char *
assay_calendar_to_ics (GPtrArray *events)
{
  icalcomponent *cal;
  char *text;
  char *copy;

  g_return_val_if_fail (events != NULL, NULL);
  cal = icalcomponent_vanew (ICAL_VCALENDAR_COMPONENT,
                             icalproperty_new_version ("2.0"),
                             icalproperty_new_prodid ("-//Assay//Coaching calendar//EN"),
                             icalproperty_new_calscale ("GREGORIAN"),
                             (void *) 0);
  for (guint i = 0; i < events->len; i++)
    {
      const AssayCalendarEvent *e = g_ptr_array_index (events, i);
      g_autofree char *uid = assay_calendar_uid (e->kind, e->id);
      g_autofree char *text_summary = summary (e);
      icalcomponent *ev = icalcomponent_new (ICAL_VEVENT_COMPONENT);
      gint64 changed = MAX (e->updated_at, e->created_at);

      icalcomponent_add_property (ev, icalproperty_new_uid (uid));
      /* the row's change time, not the export's: an unchanged event exports the same */
      icalcomponent_add_property (ev, icalproperty_new_dtstamp (utc_time (changed)));
      icalcomponent_add_property (ev, icalproperty_new_lastmodified (utc_time (changed)));
      icalcomponent_add_property (ev, icalproperty_new_sequence (
        (int) CLAMP ((changed - e->created_at) / 1000, 0, G_MAXINT)));
      icalcomponent_add_property (ev, icalproperty_new_dtstart (utc_time (e->start_at)));
      icalcomponent_add_property (ev, icalproperty_new_dtend (utc_time (e->end_at)));
      icalcomponent_add_property (ev, icalproperty_new_summary (text_summary));
      icalcomponent_add_property (ev, icalproperty_new_categories (e->kind));
      if (g_strcmp0 (e->state, "cancelled") == 0)
        icalcomponent_add_property (ev, icalproperty_new_status (ICAL_STATUS_CANCELLED));
      else
        icalcomponent_add_property (ev, icalproperty_new_status (ICAL_STATUS_CONFIRMED));
      icalcomponent_add_component (cal, ev);
    }
  text = icalcomponent_as_ical_string_r (cal);
  icalcomponent_free (cal);
  copy = g_strdup (text);
  free (text);
  return copy;
}
