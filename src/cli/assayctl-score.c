/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "core/assay-scoring.h"
#include "protocol/assay-form-json.h"
#include "protocol/assay-protocol.h"

/*
 * assayctl score FORM.json ANSWERS.json: scores answers on their form exactly as the scoring
 * panel does and prints the result (docs/forms.md, "The result") as JSON. Needs no database.
 */

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: assayctl score [--compact] FORM.json ANSWERS.json\n"
           "\n"
           "Scores the answers on the form and prints the result as JSON: overall score,\n"
           "score without fatal, critical score, band, and each section's score.\n"
           "The file formats are described in docs/forms.md.\n"
           "\n"
           "Options:\n"
           "  --compact   print the JSON on one line\n"
           "  -h, --help  show this help\n"
           "\n"
           "Exit status: 0 scored, 2 bad usage or a malformed file (the message names the\n"
           "file and the field, e.g. 'sections[2].items[0].weight: must be >= 0').\n");
}

/* the document's size is checked before it is read (docs/json-limits.md) */
static char *
read_file (const char  *path,
           gsize       *length,
           GError     **error)
{
  return assay_protocol_load_file (path, NULL, length, error);
}

int
assayctl_score (int          argc,
                char       **argv,
                const char  *database)
{
  const char *files[2] = { NULL, NULL };
  int n_files = 0;
  gboolean compact = FALSE;
  g_autoptr(GError) error = NULL;
  g_autofree char *form_data = NULL;
  g_autofree char *answers_data = NULL;
  gsize form_length = 0, answers_length = 0;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) score = NULL;
  g_autofree char *json = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          usage (stdout);
          return 0;
        }
      else if (strcmp (argv[i], "--compact") == 0)
        compact = TRUE;
      else if (argv[i][0] == '-' && argv[i][1] != '\0')
        {
          assayctl_error ("score: unknown option %s", argv[i]);
          usage (stderr);
          return 2;
        }
      else if (n_files < 2)
        files[n_files++] = argv[i];
      else
        {
          assayctl_error ("score: too many arguments: %s", argv[i]);
          usage (stderr);
          return 2;
        }
    }
  if (n_files != 2)
    {
      assayctl_error ("score: needs a form file and an answers file");
      usage (stderr);
      return 2;
    }

  form_data = read_file (files[0], &form_length, &error);
  if (form_data == NULL)
    {
      assayctl_error ("%s: cannot read the form: %s", files[0], error->message);
      return 2;
    }
  form = assay_form_from_json (form_data, (gssize) form_length, &error);
  if (form == NULL)
    {
      assayctl_error ("%s: %s", files[0], error->message);
      return 2;
    }

  answers_data = read_file (files[1], &answers_length, &error);
  if (answers_data == NULL)
    {
      assayctl_error ("%s: cannot read the answers: %s", files[1], error->message);
      return 2;
    }
  answers = assay_answers_from_json (form, answers_data, (gssize) answers_length, &error);
  if (answers == NULL)
    {
      assayctl_error ("%s: %s", files[1], error->message);
      return 2;
    }

  score = assay_score_compute (answers);
  json = assay_score_to_json (score, !compact);
  fputs (json, stdout);
  if (compact)
    fputc ('\n', stdout);
  return fflush (stdout) == 0 ? 0 : 1;
}
