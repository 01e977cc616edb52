/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>

#include <gio/gio.h>

#include "assayctl.h"
#include "store/assay-store-health.h"

/* assayctl check [--full]: 0 healthy, 1 damaged or unreadable, 2 bad usage. */
int
assayctl_check (int          argc,
                char       **argv,
                const char  *database)
{
  gboolean full = FALSE;
  const GOptionEntry entries[] = {
    { "full", 0, 0, G_OPTION_ARG_NONE, &full,
      "Run the full integrity_check (slower; also checks every index entry and constraint)",
      NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;

  g_option_context_set_summary (context,
                                "Checks the database for damage (SQLite's quick_check, or "
                                "integrity_check with --full), reading it only. Exits 1 when it "
                                "is damaged; 'assayctl salvage' then copies what can be read.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl check --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("unexpected argument '%s': assayctl check [--full]", argv[1]);
      return 2;
    }

  problems = assay_store_check_path (database, full, &error);
  if (problems == NULL)
    {
      assayctl_error ("%s", error->message);
      if (g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CORRUPT))
        fprintf (stderr, "Copy what can be read into a new database: assayctl --database %s salvage\n",
                 database);
      return 1;
    }
  if (problems[0] == NULL)
    {
      printf ("%s: ok\n", database);
      return 0;
    }
  printf ("%s: damaged\n", database);
  for (guint i = 0; problems[i] != NULL; i++)
    printf ("  %s\n", problems[i]);
  fprintf (stderr, "assayctl: the database is damaged. Copy what can be read into a new database: "
                   "assayctl --database %s salvage\n", database);
  return 1;
}

/* assayctl salvage [-o NEW.db]: 0 salvaged, 1 failed, 2 bad usage or NEW.db exists. */
int
assayctl_salvage (int          argc,
                  char       **argv,
                  const char  *database)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "The new database (default: assay-salvaged-YYYYMMDD-HHMMSS.db next to the database); "
      "never overwritten", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStoreSalvage) salvage = NULL;

  g_option_context_set_summary (context,
                                "Copies every row that can still be read from a damaged database "
                                "into a new database, skipping damaged pages. The database itself "
                                "is only read, never changed.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl salvage --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("unexpected argument '%s': assayctl salvage [-o NEW.db]", argv[1]);
      return 2;
    }
  if (output == NULL)
    output = assay_store_salvage_default_path (database);
  else if (g_file_test (output, G_FILE_TEST_EXISTS))
    {
      assayctl_error ("%s already exists: salvage never overwrites a file; choose a new name "
                      "with -o", output);
      return 2;
    }

  salvage = assay_store_salvage (database, output, NULL, &error);
  if (salvage == NULL)
    {
      assayctl_error ("%s", error->message);
      return g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID) ? 2 : 1;
    }
  printf ("salvaged: %s\n"
          "rows copied: %" G_GUINT64_FORMAT "\n"
          "rows lost: %" G_GUINT64_FORMAT "\n"
          "damaged areas: %u\n"
          "tables lost: %u\n",
          salvage->path, salvage->rows_copied, salvage->rows_lost, salvage->damaged_areas,
          salvage->tables_lost);
  return 0;
}
