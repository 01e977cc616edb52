/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "assayctl.h"
#include "store/assay-store.h"
#include "store/assay-store-import.h"

/* 1234567 -> "1,234,567": plain English, like every assayctl message */
static char *
format_count (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
format_summary (const AssayImportSummary *summary)
{
  g_autofree char *interactions = format_count (summary->n_interactions);
  g_autofree char *updated = format_count (summary->n_updated);
  g_autofree char *recordings = format_count (summary->n_recordings);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "Imported %s interaction%s", interactions,
                          summary->n_interactions == 1 ? "" : "s");
  if (summary->n_updated > 0)
    g_string_append_printf (out, " (%s updated)", updated);
  g_string_append_printf (out, ", %s recording%s linked, %u agent%s and %u team%s created",
                          recordings, summary->n_recordings == 1 ? "" : "s",
                          summary->n_agents_created, summary->n_agents_created == 1 ? "" : "s",
                          summary->n_teams_created, summary->n_teams_created == 1 ? "" : "s");
  /* only when the file had transcripts, so the line stays as it was for files without */
  if (summary->n_transcripts > 0)
    {
      g_autofree char *transcripts = format_count (summary->n_transcripts);

      g_string_append_printf (out, "; %s transcript%s stored", transcripts,
                              summary->n_transcripts == 1 ? "" : "s");
    }
  return g_string_free (out, FALSE);
}

int
assayctl_import (int argc, char **argv, const char *database)
{
  g_autofree char *recordings = NULL;
  gboolean update = FALSE;
  const GOptionEntry entries[] = {
    { "recordings", 0, 0, G_OPTION_ARG_FILENAME, &recordings,
      "Folder that the 'recording' file names are relative to (default: the CSV file's folder)",
      "DIR" },
    { "update", 0, 0, G_OPTION_ARG_NONE, &update,
      "Replace interactions whose id already exists instead of refusing the file", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autofree char *name = NULL;
  g_autofree char *summary_text = NULL;
  AssayImportSummary summary = { 0 };

  g_option_context_set_summary (context,
                                "Loads interactions from a CSV file in one go: if any row is bad, "
                                "nothing is imported\nand every bad row is listed with its line "
                                "number. The format is described in docs/csv.md;\n"
                                "'assayctl export' writes it. Use - to read standard input.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl import --help')", error->message);
      return 2;
    }
  if (argc != 2)
    {
      assayctl_error ("import needs one CSV file: "
                      "assayctl import FILE.csv [--recordings DIR] [--update]");
      return 2;
    }

  if (strcmp (argv[1], "-") == 0)
    {
      file = g_file_new_for_path ("/dev/stdin");
      name = g_strdup ("stdin");
    }
  else
    {
      file = g_file_new_for_commandline_arg (argv[1]);
      name = g_strdup (argv[1]);
      if (recordings == NULL)
        recordings = g_path_get_dirname (argv[1]);
    }

  if (recordings != NULL && !g_file_test (recordings, G_FILE_TEST_IS_DIR))
    {
      assayctl_error ("the recordings folder %s does not exist", recordings);
      return 2;
    }

  input = g_file_read (file, NULL, &error);
  if (input == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        assayctl_error ("cannot read %s: there is no such file", name);
      else
        assayctl_error ("cannot read %s: %s", name, error->message);
      return 2;
    }

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }

  if (!assay_store_import_csv_sync (store, G_INPUT_STREAM (input), name, recordings,
                                    update ? ASSAY_IMPORT_UPDATE : ASSAY_IMPORT_NONE,
                                    &summary, NULL, &error))
    {
      if (g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID))
        {
          fprintf (stderr, "%s\n", error->message);
          return 2;
        }
      if (error->domain == G_IO_ERROR)
        {
          assayctl_error ("%s", error->message);
          return 2;
        }
      assayctl_error ("the import failed, nothing was imported: %s", error->message);
      return 1;
    }

  assay_store_close (store);
  summary_text = format_summary (&summary);
  printf ("%s\n", summary_text);
  return 0;
}
