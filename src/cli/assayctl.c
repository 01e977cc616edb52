/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "assayctl.h"
#include "store/assay-store.h"

static const struct {
  const char      *name;
  AssayctlCommand  run;
  const char      *summary;
} commands[] = {
  { "seed",    assayctl_seed,    "build the demo contact centre (or a large one for benchmarks)" },
  { "import",  assayctl_import,  "load interactions from CSV and link recording files" },
  { "export",  assayctl_export,  "write interactions as CSV" },
  { "score",   assayctl_score,   "score answers on a form: assayctl score FORM.json ANSWERS.json" },
  { "analyze", assayctl_analyze, "speech analytics of recordings: assayctl analyze FILE... --json" },
  { "draw",    assayctl_draw,    "draw contacts to review by a seeded sampling rule, or --verify a draw" },
  { "check",   assayctl_check,   "check the database for damage (exit status 1 when damaged)" },
  { "salvage", assayctl_salvage, "copy what can be read of a damaged database into a new one: -o NEW.db" },
  { "calibration", assayctl_calibration, "calibration sessions and their agreement statistics: list, stats SESSION" },
  { "kpi",     assayctl_kpi,     "scorecard KPIs of an agent, team or the centre; kpi rebuild" },
  { "evaluate", assayctl_evaluate, "start, fill or submit an evaluation as the app does; prints its id" },
  { "amend",   assayctl_amend,   "amend a submitted evaluation: amend ID --answers FILE --reason TEXT" },
  { "dispute", assayctl_dispute, "disputes: list, raise, decide, acknowledge, unacknowledged" },
  { "audit",   assayctl_audit,   "mystery-shopper audits: report AUDIT -o FILE.pdf, results --from --to" },
  { "report",  assayctl_report,  "the monthly QC report as PDF or CSV" },
  { "calendar", assayctl_calendar, "coaching, training and assessments as iCalendar: --from --to -o FILE.ics" },
  { "sync",    assayctl_sync,    "sync with the central service: --server URL --token-file FILE [--json]" },
  { "dump",    assayctl_dump,    "print the local copy of a synced collection as canonical JSON" },
};

void
assayctl_error (const char *format,
                ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "assayctl: %s\n", msg);
}

static void
usage (FILE *out)
{
  fprintf (out, "Usage: assayctl [--database PATH] COMMAND [ARGS...]\n\nCommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-11s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nThe database defaults to $XDG_DATA_HOME/assay/assay.db.\n"
                "Run 'assayctl COMMAND --help' for a command's options.\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *database = NULL;
  int i = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ASSAY_LOCALEDIR") ? g_getenv ("ASSAY_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* global options come before the command; --database is also accepted after it */
  for (; i < argc && argv[i][0] == '-'; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          usage (stdout);
          return 0;
        }
      else if (strcmp (argv[i], "--version") == 0)
        {
          printf ("assayctl %s\n", ASSAY_VERSION);
          return 0;
        }
      else if (strcmp (argv[i], "--database") == 0 && i + 1 < argc)
        database = g_strdup (argv[++i]);
      else if (g_str_has_prefix (argv[i], "--database="))
        database = g_strdup (argv[i] + strlen ("--database="));
      else
        {
          assayctl_error ("unknown option %s", argv[i]);
          usage (stderr);
          return 2;
        }
    }

  if (i >= argc)
    {
      usage (stderr);
      return 2;
    }

  for (gsize c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      if (strcmp (argv[i], commands[c].name) == 0)
        {
          g_autoptr(GPtrArray) rest = g_ptr_array_new ();

          for (int j = i; j < argc; j++)
            {
              if (j > i && strcmp (argv[j], "--database") == 0 && j + 1 < argc)
                {
                  g_free (database);
                  database = g_strdup (argv[++j]);
                  continue;
                }
              if (j > i && g_str_has_prefix (argv[j], "--database="))
                {
                  g_free (database);
                  database = g_strdup (argv[j] + strlen ("--database="));
                  continue;
                }
              g_ptr_array_add (rest, argv[j]);
            }
          g_ptr_array_add (rest, NULL);

          if (database == NULL)
            database = assay_store_default_path ();
          return commands[c].run ((int) rest->len - 1, (char **) rest->pdata, database);
        }
    }

  assayctl_error ("unknown command '%s'", argv[i]);
  usage (stderr);
  return 2;
}
