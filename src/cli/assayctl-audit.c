/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "core/assay-file.h"
#include "report/assay-audit-report.h"
#include "store/assay-store-audits.h"

/*
 * assayctl audit report AUDIT -o FILE.pdf [--lang zh_CN|zh_TW|en]: one mystery-shopper audit as
 * a PDF. assayctl audit results --from YYYY-MM-DD --to YYYY-MM-DD [-o FILE.csv]: per scenario,
 * the audits' mean beside the team's QA score for the same days, as CSV (docs/audits.md).
 */

static gboolean
parse_day (const char *text,
           gint64     *out)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) day = NULL;
  int y, m, d;

  if (text == NULL || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
    return FALSE;
  day = g_date_time_new (local, y, m, d, 0, 0, 0);
  if (day == NULL)
    return FALSE;
  *out = g_date_time_to_unix (day) * 1000;
  return TRUE;
}

static AssayStore *
open_store (const char *database)
{
  g_autoptr(AssayStore) store = assay_store_new (database);
  g_autoptr(GError) error = NULL;

  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s: %s", database, error->message);
      return NULL;
    }
  return g_steal_pointer (&store);
}

static int
audit_report (int          argc,
              char       **argv,
              const char  *database)
{
  g_autofree char *lang = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "The report's language: zh_CN, zh_TW or en "
      "(default: the locale's)", "LANG" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the PDF to FILE", "FILE.pdf" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("AUDIT - one audit as a PDF");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("audit report: %s", error->message);
      return 2;
    }
  if (argc != 2 || output == NULL)
    {
      assayctl_error ("audit report: needs the audit's id and -o FILE.pdf");
      return 2;
    }
  if (lang != NULL && !assayctl_set_language (lang))
    return 2;
  store = open_store (database);
  if (store == NULL)
    return 1;
  if (!assay_audit_report_write_pdf_sync (store, argv[1], output, NULL, &error))
    {
      assayctl_error ("audit report: %s", error->message);
      return error->domain == ASSAY_STORE_ERROR && error->code == ASSAY_STORE_ERROR_NOT_FOUND ? 2 : 1;
    }
  printf ("%s\n", output);
  return fflush (stdout) == 0 ? 0 : 1;
}

static int
audit_results (int          argc,
               char       **argv,
               const char  *database)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "The first day", "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "The last day", "YYYY-MM-DD" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the CSV to FILE (default: stdout)",
      "FILE.csv" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- audit results beside QA scores");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *csv = NULL;
  gint64 start, end;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("audit results: %s", error->message);
      return 2;
    }
  if (!parse_day (from, &start) || !parse_day (to, &end) || end < start)
    {
      assayctl_error ("audit results: needs --from and --to as YYYY-MM-DD, --to not before --from");
      return 2;
    }
  end += G_GINT64_CONSTANT (86400000);   /* the last day whole (a DST day is near enough) */
  store = open_store (database);
  if (store == NULL)
    return 1;
  results = assay_store_audits_results_sync (store, start, end, &error);
  if (results == NULL)
    {
      assayctl_error ("audit results: %s", error->message);
      return 1;
    }
  csv = assay_audit_results_to_csv (results);
  if (output == NULL)
    {
      fputs (csv, stdout);
      return fflush (stdout) == 0 ? 0 : 1;
    }
  if (!assay_file_write_atomic (output, csv, strlen (csv), NULL, &error))
    {
      assayctl_error ("audit results: %s", error->message);
      return 1;
    }
  printf ("%s\n", output);
  return 0;
}

int
assayctl_audit (int          argc,
                char       **argv,
                const char  *database)
{
  if (argc >= 2 && strcmp (argv[1], "report") == 0)
    return audit_report (argc - 1, argv + 1, database);
  if (argc >= 2 && strcmp (argv[1], "results") == 0)
    return audit_results (argc - 1, argv + 1, database);
  assayctl_error ("audit: say 'report AUDIT -o FILE.pdf' or 'results --from DAY --to DAY'");
  return 2;
}
