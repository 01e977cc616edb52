/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "report/assay-report.h"
#include "store/assay-store.h"

/*
 * assayctl report --month YYYY-MM [--team NAME] [--lang zh_CN|zh_TW|en] [--min-n N]
 *                 (-o FILE.pdf | --csv DIR)
 */

/* the report's language: LC_MESSAGES and LANGUAGE, before any text is translated (also the
 * dispute packet's) */
gboolean
assayctl_set_language (const char *lang)
{
  g_autofree char *locale = NULL;

  if (strcmp (lang, "en") == 0)
    {
      g_setenv ("LANGUAGE", "en", TRUE);
      return setlocale (LC_MESSAGES, "C.UTF-8") != NULL || setlocale (LC_MESSAGES, "C") != NULL;
    }
  if (strcmp (lang, "zh_CN") != 0 && strcmp (lang, "zh_TW") != 0)
    {
      assayctl_error ("--lang takes zh_CN, zh_TW or en, not '%s'", lang);
      return FALSE;
    }
  locale = g_strconcat (lang, ".UTF-8", NULL);
  if (setlocale (LC_MESSAGES, locale) == NULL)
    {
      assayctl_error ("the locale %s is not installed here; run 'make deps' (or add it with "
                      "dpkg-reconfigure locales)", locale);
      return FALSE;
    }
  g_setenv ("LANGUAGE", lang, TRUE);
  return TRUE;
}

int
assayctl_report (int          argc,
                 char       **argv,
                 const char  *database)
{
  g_autofree char *month = NULL;
  g_autofree char *team = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *output = NULL;
  g_autofree char *csv = NULL;
  int min_n = 0;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, "The month (local calendar days)", "YYYY-MM" },
    { "team", 0, 0, G_OPTION_ARG_STRING, &team, "Only this team, by name (or id)", "NAME" },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "The report's language: zh_CN, zh_TW or en "
      "(default: the locale's)", "LANG" },
    { "min-n", 0, 0, G_OPTION_ARG_INT, &min_n,
      "Below this n a figure is \"too few to judge\" (default 5)", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the PDF report to FILE", "FILE.pdf" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write the report's tables as CSV into DIR", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the monthly QC report");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  AssayReportOptions options = { 0 };
  int year = 0, mon = 0;
  char tail = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Draws the month's QC report as a PDF (cover, headline KPIs against targets, weekly trend,\n"
    "a page per team, improvement points, low-score callbacks) and/or writes its tables as CSV\n"
    "(kpis, weeks, teams, root-causes, callbacks). The figures are those of 'assayctl kpi' for\n"
    "the same days. Example:\n\n"
    "  assayctl report --month 2026-11 --lang zh_CN -o report.pdf\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl report --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("report takes options only, not '%s' (see 'assayctl report --help')",
                      argv[1]);
      return 2;
    }
  if (month == NULL || sscanf (month, "%4d-%2d%c", &year, &mon, &tail) != 2 || mon < 1 || mon > 12
      || year < 1970)
    {
      assayctl_error ("give the month as --month YYYY-MM, e.g. --month 2026-11");
      return 2;
    }
  if (output == NULL && csv == NULL)
    {
      assayctl_error ("give -o FILE.pdf, --csv DIR or both");
      return 2;
    }
  if (min_n < 0)
    {
      assayctl_error ("--min-n takes a whole number of 1 or more");
      return 2;
    }
  if (lang != NULL && !assayctl_set_language (lang))
    return 2;

  options.year = year;
  options.month = mon;
  options.team = team;
  options.min_n = min_n;

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  if (output != NULL
      && !assay_report_write_pdf_sync (store, &options, output, NULL, NULL, NULL, &error))
    {
      assay_store_close (store);
      assayctl_error ("%s", error->message);
      return g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND) ? 2 : 1;
    }
  if (output != NULL)
    printf ("Wrote the report of %04d-%02d to %s in %.2f s.\n", year, mon, output,
            g_timer_elapsed (timer, NULL));
  g_timer_start (timer);
  if (csv != NULL
      && !assay_report_write_csv_sync (store, &options, csv, NULL, &error))
    {
      assay_store_close (store);
      assayctl_error ("%s", error->message);
      return g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND) ? 2 : 1;
    }
  if (csv != NULL)
    printf ("Wrote the tables of %04d-%02d as CSV into %s in %.2f s.\n", year, mon, csv,
            g_timer_elapsed (timer, NULL));
  assay_store_close (store);
  return 0;
}
