/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "assayctl.h"
#include "core/assay-file.h"
#include "core/assay-interaction-csv.h"
#include "store/assay-store.h"
#include "store/assay-store-import.h"

/*
 * Standard output as a GOutputStream: the export streams into it from the store's worker.
 * (GUnixOutputStream would need gio-unix-2.0 for this one use.)
 */
#define ASSAYCTL_TYPE_STDOUT_STREAM (assayctl_stdout_stream_get_type ())
G_DECLARE_FINAL_TYPE (AssayctlStdoutStream, assayctl_stdout_stream, ASSAYCTL, STDOUT_STREAM,
                      GOutputStream)

struct _AssayctlStdoutStream
{
  GOutputStream parent_instance;
};

G_DEFINE_FINAL_TYPE (AssayctlStdoutStream, assayctl_stdout_stream, G_TYPE_OUTPUT_STREAM)

static gssize
assayctl_stdout_stream_write (GOutputStream  *stream,
                              const void     *buffer,
                              gsize           count,
                              GCancellable   *cancellable,
                              GError        **error)
{
  for (;;)
    {
      gssize n = write (STDOUT_FILENO, buffer, count);

      if (n >= 0)
        return n;
      if (errno != EINTR)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Writing to standard output failed: %s", g_strerror (saved));
          return -1;
        }
    }
}

static void
assayctl_stdout_stream_class_init (AssayctlStdoutStreamClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = assayctl_stdout_stream_write;
}

static void
assayctl_stdout_stream_init (AssayctlStdoutStream *self)
{
}

/* 1234567 -> "1,234,567", as the import's summary writes it */
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

/*
 * A day (YYYY-MM-DD, in the local time zone) or a time with an offset. For --to a day means
 * up to the end of that day.
 */
static gboolean
parse_bound (const char *text,
             gboolean    is_end,
             gint64     *out_ms)
{
  int y, m, d;
  char extra;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 && strlen (text) == 10)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      g_autoptr(GDateTime) day = g_date_time_new (local, y, m, d, 0, 0, 0);
      g_autoptr(GDateTime) next = NULL;

      if (day == NULL)
        return FALSE;
      if (is_end)
        {
          next = g_date_time_add_days (day, 1);
          *out_ms = g_date_time_to_unix (next) * 1000;
        }
      else
        *out_ms = g_date_time_to_unix (day) * 1000;
      return TRUE;
    }
  return assay_interaction_csv_parse_time (text, out_ms);
}

int
assayctl_export (int argc, char **argv, const char *database)
{
  g_autofree char *output_path = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      "Write to FILE instead of standard output", "FILE" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      "Only interactions that started on or after DATE (YYYY-MM-DD or an ISO-8601 time)",
      "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      "Only interactions that started before the end of DATE (or before an ISO-8601 time)",
      "DATE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GOutputStream) output = NULL;
  gint64 from_ms = G_MININT64;
  gint64 to_ms = G_MAXINT64;
  guint64 n_rows = 0;
  g_autofree char *count = NULL;

  g_option_context_set_summary (context,
                                "Writes interactions as CSV (docs/csv.md), oldest first, in the "
                                "format 'assayctl import' reads.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl export --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("unexpected argument '%s': "
                      "assayctl export [--output FILE] [--from DATE] [--to DATE]", argv[1]);
      return 2;
    }
  if (from != NULL && !parse_bound (from, FALSE, &from_ms))
    {
      assayctl_error ("--from '%s' is not a date: use YYYY-MM-DD or a time like "
                      "2026-11-14T10:42:00Z", from);
      return 2;
    }
  if (to != NULL && !parse_bound (to, TRUE, &to_ms))
    {
      assayctl_error ("--to '%s' is not a date: use YYYY-MM-DD or a time like "
                      "2026-11-14T10:42:00Z", to);
      return 2;
    }

  /* exporting must not leave an empty database behind a mistyped path */
  if (!g_file_test (database, G_FILE_TEST_IS_REGULAR))
    {
      assayctl_error ("there is no database at %s; give one with --database", database);
      return 1;
    }
  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }

  if (output_path != NULL)
    {
      /* written beside the target and renamed over it once complete, so a failure leaves no
       * file, or the old one, at the target: never a partial one */
      output = assay_file_replace_begin (output_path, &error);
      if (output == NULL)
        {
          assayctl_error ("%s", error->message);   /* names the file or folder */
          return 2;
        }
    }
  else
    output = g_object_new (ASSAYCTL_TYPE_STDOUT_STREAM, NULL);

  if (!assay_store_export_csv_sync (store, output, from_ms, to_ms, &n_rows, NULL, &error))
    {
      if (output_path != NULL)
        {
          assay_file_replace_abort (output);
          assayctl_error ("the export failed, nothing was written to %s: %s", output_path,
                          error->message);
        }
      else
        assayctl_error ("the export failed: %s", error->message);
      return 1;
    }
  if (output_path != NULL ? !assay_file_replace_commit (output, NULL, &error)
                          : !g_output_stream_close (output, NULL, &error))
    {
      assayctl_error ("cannot write %s: %s", output_path ? output_path : "standard output",
                      error->message);
      return 1;
    }
  assay_store_close (store);

  count = format_count (n_rows);
  fprintf (output_path ? stdout : stderr, "Exported %s interaction%s\n", count,
           n_rows == 1 ? "" : "s");
  return 0;
}
