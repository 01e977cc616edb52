/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "core/assay-scoring.h"
#include "protocol/assay-form-json.h"
#include "protocol/assay-protocol.h"
#include "store/assay-store-evaluations.h"
#include "store/assay-store-queue.h"
#include "store/assay-store-review.h"

/*
 * assayctl evaluate and assayctl amend: evaluations made and changed through the same store
 * calls as the review page (open, draft save, submit, amend with a reason), so that what a
 * script writes is queued for sync exactly as what an inspector writes. Each prints the
 * evaluation's id as its last line.
 */

static void
evaluate_usage (FILE *out)
{
  fprintf (out,
           "Usage: assayctl evaluate (--assignment ID | --interaction ID --form-version ID)\n"
           "                         [--answers FILE.json] [--submit]\n"
           "\n"
           "Opens the evaluation of a contact by this workstation's user, as opening the contact\n"
           "in the app does: an empty draft is saved unless one exists already. With --answers\n"
           "the draft's answers become those of the file (docs/forms.md, \"The answers file\");\n"
           "with --submit the draft is submitted as revision 1 (every required item answered and\n"
           "every deduction commented, as in the app).\n"
           "\n"
           "Options:\n"
           "  --assignment ID     an assignment of yours (its contact and scorecard version)\n"
           "  --interaction ID    a contact, with --form-version: the scorecard version's id\n"
           "  --answers FILE      the answers as JSON\n"
           "  --submit            submit the draft\n"
           "  -h, --help          show this help\n"
           "\n"
           "Prints the evaluation's id as the last line. Exit status: 0 done, 1 the database\n"
           "failed, 2 bad usage, an unknown id or a bad answers file.\n");
}

static void
amend_usage (FILE *out)
{
  fprintf (out,
           "Usage: assayctl amend EVALUATION --answers FILE.json --reason TEXT\n"
           "\n"
           "Amends a submitted evaluation: the answers of the file become its next revision,\n"
           "recorded with the reason and you as the author, as amending in the app does.\n"
           "\n"
           "Prints the evaluation's id as the last line. Exit status: 0 done, 1 the database\n"
           "failed, 2 bad usage, an unknown evaluation or a bad answers file.\n");
}

/* ---- waiting for the store's asynchronous calls ---- */

typedef struct {
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_result (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static AssayStaffRecord *
get_me (AssayStore  *store,
        GError     **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  assay_store_get_me_async (store, NULL, wait_cb, &wait);
  result = wait_result (&wait);
  return assay_store_get_me_finish (store, result, error);
}

static AssayReviewContext *
get_review_context (AssayStore  *store,
                    const char  *interaction_id,
                    const char  *form_version_id,
                    const char  *inspector_id,
                    GError     **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  assay_store_get_review_context_async (store, interaction_id, form_version_id, inspector_id,
                                        NULL, wait_cb, &wait);
  result = wait_result (&wait);
  return assay_store_get_review_context_finish (store, result, error);
}

static AssayEvaluationRecord *
open_evaluation (AssayStore  *store,
                 const char  *interaction_id,
                 const char  *form_version_id,
                 const char  *inspector_id,
                 const char  *assignment_id,
                 GError     **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  assay_store_open_evaluation_async (store, interaction_id, form_version_id, inspector_id,
                                     assignment_id, NULL, wait_cb, &wait);
  result = wait_result (&wait);
  return assay_store_open_evaluation_finish (store, result, error);
}

static AssayEvaluationRecord *
get_evaluation (AssayStore  *store,
                const char  *evaluation_id,
                GError     **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  assay_store_get_evaluation_async (store, evaluation_id, NULL, wait_cb, &wait);
  result = wait_result (&wait);
  return assay_store_get_evaluation_finish (store, result, error);
}

/* ---- answers ---- */

/* The answers of @path on @form through the checked JSON door; NULL with the message printed. */
static AssayAnswers *
load_answers (AssayForm  *form,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr(JsonNode) node = NULL;
  AssayAnswers *answers;
  gsize length = 0;

  data = assay_protocol_load_file (path, NULL, &length, &error);
  if (data == NULL)
    {
      assayctl_error ("%s: cannot read the answers: %s", path, error->message);
      return NULL;
    }
  node = assay_protocol_parse_json (data, (gssize) length, NULL, &error);
  if (node == NULL)
    {
      assayctl_error ("%s: not valid JSON: %s", path, error->message);
      return NULL;
    }
  answers = assay_answers_from_json_node (form, node, &error);
  if (answers == NULL)
    assayctl_error ("%s: %s", path, error->message);
  return answers;
}

/* Sets @record's answers, results and score from @answers, as the review page does. */
static void
record_set_answers (AssayEvaluationRecord *record,
                    const AssayAnswers    *answers)
{
  g_autoptr(AssayScore) score = assay_score_compute (answers);

  g_free (record->answers);
  record->answers = assay_answers_to_json (answers);
  g_free (record->results);
  record->results = assay_score_to_json (score, FALSE);
  record->score = score->overall;
}

/* Whether @answers may be submitted; else prints what stops them, item by item. */
static gboolean
check_submit (const AssayAnswers *answers,
              const char         *what)
{
  g_autoptr(GArray) problems = assay_answers_check_submit (answers);
  AssayForm *form = assay_answers_get_form ((AssayAnswers *) answers);

  for (guint i = 0; i < problems->len; i++)
    {
      const AssayProblem *p = &g_array_index (problems, AssayProblem, i);
      const AssayItem *item = assay_form_get_item (form, p->item);

      assayctl_error ("%s: item \"%s\" (%s): %s", what, item->id, item->text,
                      p->kind == ASSAY_PROBLEM_UNANSWERED ? "needs an answer (or N/A where allowed)"
                      : p->kind == ASSAY_PROBLEM_COMMENT_MISSING ? "loses points: say why in a comment"
                      : "is a suggestion nobody confirmed");
    }
  if (problems->len > 0)
    assayctl_error ("%s: not submitted; the draft keeps the answers. Complete them and run again.", what);
  return problems->len == 0;
}

static gboolean
is_not_found (const GError *error)
{
  return g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
}

/* ---- evaluate ---- */

int
assayctl_evaluate (int          argc,
                   char       **argv,
                   const char  *database)
{
  const char *assignment_id = NULL, *interaction_id = NULL, *form_version_id = NULL;
  const char *answers_path = NULL;
  gboolean submit = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssayStaffRecord) me = NULL;
  g_autoptr(AssayReviewContext) context = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayEvaluationRecord) record = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autofree char *pinned_version = NULL;

  for (int i = 1; i < argc; i++)
    {
      const char **target = NULL;

      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          evaluate_usage (stdout);
          return 0;
        }
      else if (strcmp (argv[i], "--submit") == 0)
        {
          submit = TRUE;
          continue;
        }
      else if (strcmp (argv[i], "--assignment") == 0)
        target = &assignment_id;
      else if (strcmp (argv[i], "--interaction") == 0)
        target = &interaction_id;
      else if (strcmp (argv[i], "--form-version") == 0)
        target = &form_version_id;
      else if (strcmp (argv[i], "--answers") == 0)
        target = &answers_path;
      else
        {
          assayctl_error ("evaluate: unknown argument %s", argv[i]);
          evaluate_usage (stderr);
          return 2;
        }
      if (i + 1 >= argc || argv[i + 1][0] == '\0')
        {
          assayctl_error ("evaluate: %s needs a value", argv[i]);
          return 2;
        }
      *target = argv[++i];
    }
  if ((assignment_id == NULL) == (interaction_id == NULL))
    {
      assayctl_error ("evaluate: give either --assignment ID or --interaction ID --form-version ID");
      evaluate_usage (stderr);
      return 2;
    }
  if (interaction_id != NULL && form_version_id == NULL)
    {
      assayctl_error ("evaluate: --interaction needs --form-version ID (the scorecard version to score on)");
      return 2;
    }
  if (assignment_id != NULL && form_version_id != NULL)
    {
      assayctl_error ("evaluate: --form-version goes with --interaction; an assignment names its own");
      return 2;
    }

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s: %s", database, error->message);
      return 1;
    }
  me = get_me (store, &error);
  if (me == NULL)
    {
      assayctl_error ("cannot read who you are: %s", error->message);
      return 1;
    }

  if (assignment_id != NULL)
    {
      g_autoptr(GPtrArray) queue = assay_store_list_queue_sync (store, me->id, g_get_real_time () / 1000,
                                                                0, 0, &error);

      if (queue == NULL)
        {
          assayctl_error ("cannot read your assignments: %s", error->message);
          return 1;
        }
      for (guint i = 0; i < queue->len; i++)
        {
          AssayQueueItem *item = queue->pdata[i];

          if (strcmp (item->id, assignment_id) == 0)
            {
              interaction_id = g_intern_string (item->interaction_id);
              pinned_version = g_strdup (item->form_version_id);
              break;
            }
        }
      if (interaction_id == NULL)
        {
          assayctl_error ("evaluate: there is no assignment %s for you (%s); "
                          "'assayctl sync' brings the centre's assignments", assignment_id, me->name);
          return 2;
        }
    }
  else
    pinned_version = g_strdup (form_version_id);

  context = get_review_context (store, interaction_id, pinned_version, me->id, &error);
  if (context == NULL)
    {
      if (is_not_found (error))
        {
          assayctl_error ("evaluate: contact %s: %s", interaction_id, error->message);
          return 2;
        }
      assayctl_error ("evaluate: %s", error->message);
      return 1;
    }
  form = assay_form_from_json (context->form_definition, -1, &error);
  if (form == NULL)
    {
      assayctl_error ("evaluate: the scorecard \"%s\" is damaged: %s", context->form_name, error->message);
      return 1;
    }
  record = open_evaluation (store, context->facts.id, context->form_version_id, me->id,
                            assignment_id != NULL ? assignment_id : context->assignment_id, &error);
  if (record == NULL)
    {
      assayctl_error ("evaluate: %s", error->message);
      return 1;
    }
  if (g_strcmp0 (record->state, "submitted") == 0)
    {
      /* the page shows it read-only; changing it is an amendment with a reason */
      if (answers_path != NULL || submit)
        {
          assayctl_error ("evaluate: evaluation %s of this contact is submitted already; "
                          "change it with 'assayctl amend %s --answers FILE --reason TEXT'",
                          record->id, record->id);
          return 2;
        }
      printf ("%s\n", record->id);
      return fflush (stdout) == 0 ? 0 : 1;
    }
  if (g_strcmp0 (record->form_version_id, context->form_version_id) != 0 && form_version_id != NULL)
    {
      assayctl_error ("evaluate: your draft of this contact is on another scorecard version (%s)",
                      record->form_version_id);
      return 2;
    }

  if (answers_path != NULL)
    {
      answers = load_answers (form, answers_path);
      if (answers == NULL)
        return 2;
    }
  else if (record->answers != NULL)
    {
      answers = assay_answers_from_json (form, record->answers, -1, &error);
      if (answers == NULL)
        {
          assayctl_error ("evaluate: the saved draft cannot be read: %s", error->message);
          return 1;
        }
    }
  else
    answers = assay_answers_new (form);

  /* an existing draft is left as it is unless new answers came */
  if (record->state == NULL || answers_path != NULL)
    {
      record_set_answers (record, answers);
      if (assay_store_save_draft_sync (store, record, &error) == 0)
        {
          assayctl_error ("evaluate: the draft was not saved: %s", error->message);
          return 1;
        }
    }

  if (submit)
    {
      if (!check_submit (answers, record->id))
        {
          printf ("%s\n", record->id);
          fflush (stdout);
          return 2;
        }
      if (assay_store_submit_evaluation_sync (store, record->id, me->id, NULL, &error) == 0)
        {
          assayctl_error ("evaluate: not submitted: %s", error->message);
          return 1;
        }
    }
  printf ("%s\n", record->id);
  return fflush (stdout) == 0 ? 0 : 1;
}

/* ---- amend ---- */

int
assayctl_amend (int          argc,
                char       **argv,
                const char  *database)
{
  const char *evaluation_id = NULL, *answers_path = NULL, *reason = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssayStaffRecord) me = NULL;
  g_autoptr(AssayEvaluationRecord) record = NULL;
  g_autoptr(AssayReviewContext) context = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autofree char *stripped = NULL;
  int number;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          amend_usage (stdout);
          return 0;
        }
      else if (strcmp (argv[i], "--answers") == 0 || strcmp (argv[i], "--reason") == 0)
        {
          if (i + 1 >= argc)
            {
              assayctl_error ("amend: %s needs a value", argv[i]);
              return 2;
            }
          if (argv[i][2] == 'a')
            answers_path = argv[++i];
          else
            reason = argv[++i];
        }
      else if (argv[i][0] == '-' && argv[i][1] != '\0')
        {
          assayctl_error ("amend: unknown option %s", argv[i]);
          amend_usage (stderr);
          return 2;
        }
      else if (evaluation_id == NULL)
        evaluation_id = argv[i];
      else
        {
          assayctl_error ("amend: too many arguments: %s", argv[i]);
          return 2;
        }
    }
  if (evaluation_id == NULL || answers_path == NULL || reason == NULL)
    {
      assayctl_error ("amend: needs the evaluation's id, --answers FILE and --reason TEXT");
      amend_usage (stderr);
      return 2;
    }
  stripped = g_strstrip (g_strdup (reason));
  if (stripped[0] == '\0')
    {
      assayctl_error ("amend: the reason is empty; say why the scores change (it is kept in the history)");
      return 2;
    }

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s: %s", database, error->message);
      return 1;
    }
  me = get_me (store, &error);
  if (me == NULL)
    {
      assayctl_error ("cannot read who you are: %s", error->message);
      return 1;
    }
  record = get_evaluation (store, evaluation_id, &error);
  if (record == NULL)
    {
      if (is_not_found (error))
        {
          assayctl_error ("amend: there is no evaluation %s", evaluation_id);
          return 2;
        }
      assayctl_error ("amend: %s", error->message);
      return 1;
    }
  if (g_strcmp0 (record->state, "submitted") != 0)
    {
      assayctl_error ("amend: evaluation %s is a draft, not submitted yet; "
                      "change it with 'assayctl evaluate --interaction %s --form-version %s --answers FILE'",
                      evaluation_id, record->interaction_id, record->form_version_id);
      return 2;
    }
  context = get_review_context (store, record->interaction_id, record->form_version_id,
                                record->inspector_id, &error);
  if (context == NULL)
    {
      assayctl_error ("amend: the evaluation's scorecard version cannot be read: %s", error->message);
      return 1;
    }
  form = assay_form_from_json (context->form_definition, -1, &error);
  if (form == NULL)
    {
      assayctl_error ("amend: the scorecard is damaged: %s", error->message);
      return 1;
    }
  answers = load_answers (form, answers_path);
  if (answers == NULL)
    return 2;
  if (!check_submit (answers, evaluation_id))
    return 2;

  record_set_answers (record, answers);
  if (assay_store_save_draft_sync (store, record, &error) == 0)
    {
      assayctl_error ("amend: the amendment was not saved: %s", error->message);
      return 1;
    }
  number = assay_store_submit_evaluation_sync (store, record->id, me->id, stripped, &error);
  if (number == 0)
    {
      assayctl_error ("amend: not submitted: %s", error->message);
      return 1;
    }
  printf ("revision %d\n%s\n", number, record->id);
  return fflush (stdout) == 0 ? 0 : 1;
}
