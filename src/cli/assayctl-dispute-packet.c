/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "report/assay-packet.h"
#include "store/assay-store.h"

/*
 * assayctl dispute packet EVALUATION -o FILE.pdf [--lang zh_CN|zh_TW|en]: the dispute packet
 * of an evaluation (docs/disputes.md, "The packet"), the same PDF as the app's Export Packet.
 */

int
assayctl_dispute_packet (int          argc,
                         char       **argv,
                         const char  *database)
{
  g_autofree char *lang = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "The packet's language: zh_CN, zh_TW or en "
      "(default: the locale's)", "LANG" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the PDF to FILE", "FILE.pdf" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("EVALUATION - the dispute packet");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Draws the evaluation's dispute packet as a PDF: the form and version, every answer with\n"
    "the points it earned and lost, the formula that makes the score (the figures of\n"
    "'assayctl score' for the same answers), evidence and comments, the revision history and\n"
    "every dispute with its steps and decisions. Example:\n\n"
    "  assayctl dispute packet 5f0c… --lang zh_CN -o packet.pdf\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("dispute packet: %s", error->message);
      return 2;
    }
  if (argc != 2 || output == NULL)
    {
      assayctl_error ("dispute packet: needs the evaluation's id and -o FILE.pdf");
      return 2;
    }
  if (lang != NULL && !assayctl_set_language (lang))
    return 2;

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s: %s", database, error->message);
      return 1;
    }
  if (!assay_packet_write_pdf_sync (store, argv[1], output, NULL, &error))
    {
      assayctl_error ("dispute packet: %s", error->message);
      return error->domain == ASSAY_STORE_ERROR && (error->code == ASSAY_STORE_ERROR_INVALID
                                                    || error->code == ASSAY_STORE_ERROR_NOT_FOUND)
             ? 2 : 1;
    }
  printf ("%s\n", output);
  return fflush (stdout) == 0 ? 0 : 1;
}
