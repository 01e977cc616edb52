/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "core/assay-file.h"
#include "report/assay-calendar.h"
#include "store/assay-store.h"
#include "store/assay-store-coaching.h"

/*
 * assayctl calendar [--team NAME] --from DATE --to DATE -o FILE.ics
 * The days are local calendar days: --to is inclusive.
 */

/* YYYY-MM-DD in the local zone: the start of that day (+ @days) in UTC ms; -1 if not a date */
static gint64
day_start (const char *text,
           int         days)
{
  int y, m, d;
  char tail;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) later = NULL;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return -1;
  day = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (day == NULL)
    return -1;
  later = g_date_time_add_days (day, days);
  return g_date_time_to_unix (later) * 1000;
}

int
assayctl_calendar (int          argc,
                   char       **argv,
                   const char  *database)
{
  g_autofree char *team = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "team", 0, 0, G_OPTION_ARG_STRING, &team, "Only this team's agents, by name (or id)",
      "NAME" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "The first day (local)", "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "The last day (local, included)", "YYYY-MM-DD" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the calendar to FILE",
      "FILE.ics" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the coaching calendar as iCalendar");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *ics = NULL;
  gint64 start, end;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Writes the coaching sessions, training due and assessments due of the days given as an\n"
    "iCalendar file (RFC 5545): one event per session with a stable UID, so importing it again\n"
    "after a change updates the events instead of duplicating them. Times are in UTC.\n"
    "Example:\n\n"
    "  assayctl calendar --team Billing --from 2026-12-01 --to 2026-12-31 -o coaching.ics\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl calendar --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("calendar takes options only, not '%s' (see 'assayctl calendar --help')",
                      argv[1]);
      return 2;
    }
  start = day_start (from, 0);
  end = day_start (to, 1);
  if (start < 0 || end < 0)
    {
      assayctl_error ("give the days as --from YYYY-MM-DD --to YYYY-MM-DD, e.g. "
                      "--from 2026-12-01 --to 2026-12-31");
      return 2;
    }
  if (end <= start)
    {
      assayctl_error ("--to is before --from");
      return 2;
    }
  if (output == NULL)
    {
      assayctl_error ("give the file to write with -o FILE.ics");
      return 2;
    }

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  events = assay_store_list_calendar_sync (store, team, start, end, &error);
  if (events == NULL)
    {
      assayctl_error ("%s", error->message);
      return g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID) ? 2 : 1;
    }
  ics = assay_calendar_to_ics (events);
  if (!assay_file_write_atomic (output, ics, strlen (ics), NULL, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  printf ("%u events written to %s\n", events->len, output);
  return 0;
}
