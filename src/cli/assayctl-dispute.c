/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "protocol/assay-protocol.h"
#include "store/assay-store-acknowledgements.h"
#include "store/assay-store-disputes.h"
#include "store/assay-store-evaluations.h"

/*
 * assayctl dispute: disputes for scripts (docs/disputes.md): list, raise, decide, acknowledge,
 * unacknowledged. Raised, decided and acknowledged as "me" of the database, through the same
 * store calls as the app.
 */

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: assayctl dispute list [--state open|overdue|decided|closed]\n"
           "       assayctl dispute raise EVALUATION --reason TEXT [--item ID]... [--on-behalf]\n"
           "                              [--window-days N]\n"
           "       assayctl dispute decide DISPUTE --step N --decision upheld|partly_upheld|rejected\n"
           "                               --reason CODE [--comment TEXT] [--answers FILE.json]\n"
           "       assayctl dispute acknowledge evaluation|dispute ID [--comment TEXT]\n"
           "       assayctl dispute unacknowledged [--days N]\n"
           "       assayctl dispute packet EVALUATION -o FILE.pdf [--lang zh_CN|zh_TW|en]\n"
           "\n"
           "list prints one dispute a line: id, state, current step/steps, due (overdue marked),\n"
           "evaluation, agent. raise prints the new dispute's id; decide prints 'revision N' when\n"
           "the outcome amended the evaluation, else 'decided'. Reason codes: evidence_supports_agent,\n"
           "item_misapplied, missing_context, policy_unclear, evaluation_correct, other.\n"
           "Exit status: 0 done, 1 the database failed, 2 bad usage or refused.\n");
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static AssayStaffRecord *
get_me (AssayStore  *store,
        GError     **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  assay_store_get_me_async (store, NULL, wait_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = wait.result;
  return assay_store_get_me_finish (store, result, error);
}

static int
refused (const char   *what,
         const GError *error)
{
  assayctl_error ("dispute %s: %s", what, error->message);
  return error->domain == ASSAY_STORE_ERROR && (error->code == ASSAY_STORE_ERROR_INVALID
                                                || error->code == ASSAY_STORE_ERROR_NOT_FOUND)
         ? 2 : 1;
}

static gboolean
parse_uint (const char *text,
            guint      *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, 3650, &value, NULL))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

int
assayctl_dispute (int          argc,
                  char       **argv,
                  const char  *database)
{
  const char *command = argc > 1 ? argv[1] : NULL;
  const char *target = NULL, *kind = NULL, *state = NULL, *reason = NULL, *comment = NULL;
  const char *decision = NULL, *answers_path = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssayStaffRecord) me = NULL;
  gboolean on_behalf = FALSE;
  guint window_days = 7, days = 7, step = 0;

  if (command == NULL || strcmp (command, "--help") == 0 || strcmp (command, "-h") == 0)
    {
      usage (command ? stdout : stderr);
      return command ? 0 : 2;
    }
  if (strcmp (command, "packet") == 0)
    return assayctl_dispute_packet (argc - 1, argv + 1, database);
  for (int i = 2; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;

      if (strcmp (arg, "--on-behalf") == 0)
        {
          on_behalf = TRUE;
          continue;
        }
      if (arg[0] != '-')
        {
          if (strcmp (command, "acknowledge") == 0 && kind == NULL)
            kind = arg;
          else if (target == NULL)
            target = arg;
          else
            {
              assayctl_error ("dispute: too many arguments: %s", arg);
              return 2;
            }
          continue;
        }
      if (value == NULL)
        {
          assayctl_error ("dispute: %s needs a value", arg);
          return 2;
        }
      i++;
      if (strcmp (arg, "--state") == 0)
        state = value;
      else if (strcmp (arg, "--reason") == 0)
        reason = value;
      else if (strcmp (arg, "--comment") == 0)
        comment = value;
      else if (strcmp (arg, "--decision") == 0)
        decision = value;
      else if (strcmp (arg, "--answers") == 0)
        answers_path = value;
      else if (strcmp (arg, "--item") == 0)
        g_ptr_array_add (items, (gpointer) value);
      else if ((strcmp (arg, "--window-days") == 0 && parse_uint (value, &window_days))
               || (strcmp (arg, "--days") == 0 && parse_uint (value, &days))
               || (strcmp (arg, "--step") == 0 && parse_uint (value, &step)))
        ;
      else
        {
          assayctl_error ("dispute: unknown option or bad value: %s %s", arg, value);
          usage (stderr);
          return 2;
        }
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

  if (strcmp (command, "list") == 0)
    {
      AssayDisputeFilter filter = { state, NULL, NULL, 0, 0 };
      g_autoptr(GPtrArray) list = assay_store_list_disputes_sync (store, &filter, &error);
      gint64 now = g_get_real_time () / 1000;

      if (list == NULL)
        return refused ("list", error);
      for (guint i = 0; i < list->len; i++)
        {
          const AssayDisputeRecord *r = g_ptr_array_index (list, i);
          g_autoptr(GDateTime) due = r->due_at > 0 ? g_date_time_new_from_unix_utc (r->due_at / 1000)
                                                   : NULL;
          g_autofree char *due_text = due ? g_date_time_format_iso8601 (due) : g_strdup ("-");

          printf ("%s\t%s\t%d/%d\t%s%s\t%s\t%s\n", r->id, r->state, r->current_step, r->n_steps,
                  due_text, assay_dispute_record_is_overdue (r, now) ? " overdue" : "",
                  r->evaluation_id, r->agent_name ? r->agent_name : "-");
        }
    }
  else if (strcmp (command, "raise") == 0)
    {
      g_autofree char *id = NULL;
      AssayDisputeRaise raise = { target, me->id, on_behalf, NULL, reason, window_days, 0 };

      if (target == NULL || reason == NULL)
        {
          assayctl_error ("dispute raise: needs the evaluation's id and --reason TEXT");
          return 2;
        }
      g_ptr_array_add (items, NULL);
      raise.items = (const char * const *) items->pdata;
      id = assay_store_raise_dispute_sync (store, &raise, &error);
      if (id == NULL)
        return refused ("raise", error);
      printf ("%s\n", id);
    }
  else if (strcmp (command, "decide") == 0)
    {
      g_autofree char *answers = NULL;
      AssayDisputeDecision d = { target, (int) step, me->id, decision, reason, comment, NULL, 0 };
      int number;

      if (target == NULL || step == 0 || decision == NULL || reason == NULL)
        {
          assayctl_error ("dispute decide: needs the dispute's id, --step N, --decision and --reason");
          return 2;
        }
      if (answers_path != NULL)
        {
          answers = assay_protocol_load_file (answers_path, NULL, NULL, &error);
          if (answers == NULL)
            {
              assayctl_error ("%s: cannot read the answers: %s", answers_path, error->message);
              return 2;
            }
          d.answers = answers;
        }
      number = assay_store_decide_dispute_sync (store, &d, &error);
      if (number < 0)
        return refused ("decide", error);
      if (number > 0)
        printf ("revision %d\n", number);
      else
        printf ("decided\n");
    }
  else if (strcmp (command, "acknowledge") == 0)
    {
      g_autofree char *id = NULL;

      if (kind == NULL || target == NULL)
        {
          assayctl_error ("dispute acknowledge: needs evaluation or dispute, and its id");
          return 2;
        }
      id = assay_store_acknowledge_sync (store, kind, target, me->id, comment, &error);
      if (id == NULL)
        return refused ("acknowledge", error);
      printf ("%s\n", id);
    }
  else if (strcmp (command, "unacknowledged") == 0)
    {
      g_autoptr(GPtrArray) list = assay_store_list_unacknowledged_sync (store, days, 0, 0, &error);

      if (list == NULL)
        return refused ("unacknowledged", error);
      for (guint i = 0; i < list->len; i++)
        {
          const AssayUnacknowledged *u = g_ptr_array_index (list, i);

          printf ("%s\t%d\t%s\t%s\t%.2f\n", u->evaluation_id, u->revision_number,
                  u->agent_name ? u->agent_name : "-", u->form_name, isnan (u->score) ? 0 : u->score);
        }
    }
  else
    {
      assayctl_error ("dispute: unknown command %s", command);
      usage (stderr);
      return 2;
    }
  return fflush (stdout) == 0 ? 0 : 1;
}
