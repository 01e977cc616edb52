/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "core/assay-sampling.h"
#include "core/assay-util.h"
#include "protocol/assay-sampling-json.h"
#include "store/assay-store.h"
#include "store/assay-store-queue.h"

/*
 * assayctl draw: draws a review sample into the database for this workstation's inspector by a
 * seeded sampling rule, or replays a stored draw to check it (docs/sampling.md).
 */

static gboolean
parse_int (const char *option,
           const char *text,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, max, out, NULL))
    {
      assayctl_error ("%s wants a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                      ", not '%s'", option, min, max, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_weight (const char *text,
              double     *out)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return TRUE;
  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || !(value >= 1.0 && value <= 100.0))
    {
      assayctl_error ("--oversample-low-csat wants a weight from 1 (no oversampling) to 100, "
                      "such as 3, not '%s'", text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* "2026-11-16" (midnight at the week offset) or a full ISO-8601 time */
static gboolean
parse_when (const char *option,
            const char *text,
            int         offset_min,
            gint64     *out)
{
  g_autofree char *full = NULL;

  if (text == NULL)
    return TRUE;
  if (strlen (text) == 10 && text[4] == '-' && text[7] == '-')
    full = g_strdup_printf ("%sT00:00:00%c%02d:%02d", text, offset_min < 0 ? '-' : '+',
                            ABS (offset_min) / 60, ABS (offset_min) % 60);
  if (!assay_parse_iso8601_ms (full ? full : text, out))
    {
      assayctl_error ("%s wants a date such as 2026-11-16 or a time such as "
                      "2026-11-16T08:00:00Z, not '%s'", option, text);
      return FALSE;
    }
  return TRUE;
}

/* the values of a repeatable option, each possibly a comma list */
static char **
split_list (char **values)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (values[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          char *part = g_strstrip (g_strdup (parts[j]));

          if (*part == '\0')
            g_free (part);
          else
            g_ptr_array_add (out, part);
        }
    }
  if (out->len == 0)
    return NULL;
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_steal (out, NULL);
}

/* @ms at the rule's week offset, e.g. "2026-11-09T00:00:00+08:00" */
static char *
format_at_offset (gint64 ms,
                  int    offset_min)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (offset_min * 60);
  g_autoptr(GDateTime) local = utc && zone ? g_date_time_to_timezone (utc, zone) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z") : g_strdup ("?");
}

static int
local_offset_min (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return (int) (g_date_time_get_utc_offset (now) / G_TIME_SPAN_MINUTE);
}

static int
verify (const char *database,
        const char *draw_id)
{
  g_autoptr(AssayStore) store = assay_store_new (database);
  g_autoptr(AssayDrawRecord) record = NULL;
  g_autoptr(AssaySamplingRule) rule = NULL;
  g_autoptr(AssayDrawCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  record = assay_store_get_draw_sync (store, draw_id, &error);
  if (record == NULL)
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  rule = assay_sampling_rule_from_json (record->rule_json, -1, &error);
  if (rule == NULL)
    {
      /* a hostile or damaged document is bad input, like a bad file (docs/json-limits.md) */
      assayctl_error ("the rule stored with draw %s cannot be read: %s", draw_id, error->message);
      return 2;
    }
  check = assay_store_verify_draw_sync (store, draw_id, rule, &error);
  if (check == NULL)
    {
      assayctl_error ("%s", error->message);
      return 1;
    }

  printf ("draw-id: %s\n", record->id);
  printf ("seed: %" G_GUINT64_FORMAT "\n", record->seed);
  printf ("stored: %u\n", check->n_stored);
  printf ("replayed: %u\n", check->n_replayed);
  if (check->matches)
    {
      printf ("The draw matches: the rule and seed pick the same %u contacts again.\n",
              check->n_replayed);
      return 0;
    }
  printf ("The draw does NOT match: %u of its assignments would not be drawn again, and the replay "
          "picks %u contacts it does not hold.\n"
          "Its assignments were changed, or contacts of its period were imported or removed "
          "since it was drawn.\n", check->n_missing, check->n_extra);
  return 1;
}

int
assayctl_draw (int          argc,
               char       **argv,
               const char  *database)
{
  g_autofree char *per_agent_text = NULL;
  g_autofree char *weeks_text = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *min_text = NULL;
  g_autofree char *max_text = NULL;
  g_autofree char *csat_text = NULL;
  g_autofree char *weight_text = NULL;
  g_autofree char *low_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *form_version = NULL;
  g_autofree char *verify_id = NULL;
  g_auto(GStrv) channel_values = NULL;
  g_auto(GStrv) queue_values = NULL;
  const GOptionEntry entries[] = {
    { "per-agent", 0, 0, G_OPTION_ARG_STRING, &per_agent_text,
      "Contacts to review per agent and week (required for a draw)", "N" },
    { "weeks", 0, 0, G_OPTION_ARG_STRING, &weeks_text,
      "The W complete weeks before this one (default 1: last week)", "W" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      "Start of the period instead of --weeks, a date or an ISO-8601 time", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, "End of the period (not included)", "DATE" },
    { "channel", 0, 0, G_OPTION_ARG_STRING_ARRAY, &channel_values,
      "Only this channel: phone, chat, email or ticket (repeat or separate with commas)", "C" },
    { "queue", 0, 0, G_OPTION_ARG_STRING_ARRAY, &queue_values,
      "Only this queue (repeat or separate with commas)", "Q" },
    { "min-duration", 0, 0, G_OPTION_ARG_STRING, &min_text,
      "Only contacts handled in at least S seconds (talk + hold + wrap)", "S" },
    { "max-duration", 0, 0, G_OPTION_ARG_STRING, &max_text,
      "Only contacts handled in at most S seconds", "S" },
    { "csat-max", 0, 0, G_OPTION_ARG_STRING, &csat_text,
      "Only contacts with a CSAT of at most X (1 to 5)", "X" },
    { "oversample-low-csat", 0, 0, G_OPTION_ARG_STRING, &weight_text,
      "Weight of low-CSAT contacts in the draw, e.g. 3 (default 1: no oversampling)", "F" },
    { "low-csat", 0, 0, G_OPTION_ARG_STRING, &low_text,
      "What counts as low CSAT for oversampling: at most X (default 2)", "X" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      "Seed of the draw (default: a new random one); the same seed draws the same", "N" },
    { "form-version", 0, 0, G_OPTION_ARG_STRING, &form_version,
      "Scorecard version to review with (default: the newest published)", "ID" },
    { "due-days", 0, 0, G_OPTION_ARG_STRING, &due_text,
      "Assignments are due this many days after the draw (default 7, 0 for none)", "D" },
    { "verify", 0, 0, G_OPTION_ARG_STRING, &verify_id,
      "Replay the stored draw DRAW_ID and say whether it matches (exit 0) or not (exit 1)",
      "DRAW_ID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- draw contacts to review");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySamplingRule) rule = assay_sampling_rule_new ();
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssayDrawResult) result = NULL;
  g_autofree char *rule_json = NULL;
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;
  g_autoptr(GTimer) timer = NULL;
  gint64 per_agent = 0, weeks = 1, min_s = ASSAY_NONE, max_s = ASSAY_NONE, csat = ASSAY_NONE;
  gint64 low = 2, due = 7, seed = 0;

  if (g_get_prgname () == NULL)
    g_set_prgname ("assayctl draw");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Draws up to N contacts per agent and week of the period for you to review, at random with\n"
    "the seed, by the filters. Contacts already assigned or evaluated are not drawn again and\n"
    "count towards N, so drawing twice by the same rule adds nothing. The rule and the seed are\n"
    "stored with the draw: 'assayctl draw --verify DRAW_ID' replays it to show it was fair.\n"
    "Weeks run Monday to Monday in this computer's time zone offset, stored with the rule.\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl draw --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("draw takes options only, not '%s' (see 'assayctl draw --help')", argv[1]);
      return 2;
    }

  if (verify_id != NULL)
    return verify (database, verify_id);

  if (per_agent_text == NULL)
    {
      assayctl_error ("say how many contacts per agent and week to draw with --per-agent N, "
                      "or check a draw with --verify DRAW_ID (see 'assayctl draw --help')");
      return 2;
    }
  rule->week_offset_min = local_offset_min ();
  if (!parse_int ("--per-agent", per_agent_text, 1, ASSAY_SAMPLING_MAX_PER_AGENT, &per_agent)
      || !parse_int ("--weeks", weeks_text, 1, 520, &weeks)
      || !parse_int ("--min-duration", min_text, 0, G_MAXINT, &min_s)
      || !parse_int ("--max-duration", max_text, 0, G_MAXINT, &max_s)
      || !parse_int ("--csat-max", csat_text, 1, 5, &csat)
      || !parse_int ("--low-csat", low_text, 1, 5, &low)
      || !parse_int ("--due-days", due_text, 0, 365, &due)
      || !parse_int ("--seed", seed_text, 0, ASSAY_SAMPLING_MAX_SEED, &seed)
      || !parse_weight (weight_text, &rule->low_csat_weight))
    return 2;
  if ((from_text != NULL) != (to_text != NULL))
    {
      assayctl_error ("give both --from and --to, or neither (then --weeks chooses the period)");
      return 2;
    }
  if (from_text != NULL && weeks_text != NULL)
    {
      assayctl_error ("give either --weeks or --from and --to, not both");
      return 2;
    }

  rule->per_agent_per_week = (guint) per_agent;
  if (from_text != NULL)
    {
      if (!parse_when ("--from", from_text, rule->week_offset_min, &rule->from_ms)
          || !parse_when ("--to", to_text, rule->week_offset_min, &rule->to_ms))
        return 2;
    }
  else
    assay_sampling_rule_set_weeks (rule, assay_now_ms (), (guint) weeks);
  rule->channels = split_list (channel_values);
  rule->queues = split_list (queue_values);
  rule->min_handle_s = (int) min_s;
  rule->max_handle_s = (int) max_s;
  rule->csat_max = (int) csat;
  rule->low_csat_at_most = (int) low;
  rule->due_days = (guint) due;
  rule->form_version_id = g_strdup (form_version);
  if (seed_text == NULL)
    seed = (gint64) assay_sampling_new_seed ();
  for (guint i = 0; rule->channels != NULL && rule->channels[i] != NULL; i++)
    if (!assay_channel_is_valid (rule->channels[i]))
      {
        assayctl_error ("--channel wants phone, chat, email or ticket, not '%s'", rule->channels[i]);
        return 2;
      }
  if (min_s != ASSAY_NONE && max_s != ASSAY_NONE && min_s > max_s)
    {
      assayctl_error ("--min-duration (%" G_GINT64_FORMAT " s) is longer than --max-duration "
                      "(%" G_GINT64_FORMAT " s)", min_s, max_s);
      return 2;
    }
  if (rule->from_ms >= rule->to_ms)
    {
      assayctl_error ("--from must come before --to");
      return 2;
    }

  if (!assay_sampling_rule_validate (rule, &error))
    {
      assayctl_error ("%s", error->message);
      return 2;
    }
  rule_json = assay_sampling_rule_to_json (rule, FALSE);

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  timer = g_timer_new ();
  result = assay_store_draw_sync (store, rule, rule_json, (guint64) seed, NULL, &error);
  if (result == NULL)
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  g_timer_stop (timer);

  from_iso = format_at_offset (rule->from_ms, rule->week_offset_min);
  to_iso = format_at_offset (rule->to_ms, rule->week_offset_min);
  printf ("draw-id: %s\n", result->draw_id);
  printf ("drawn: %u\n", result->n_drawn);
  printf ("seed: %" G_GUINT64_FORMAT "\n", result->seed);
  printf ("period: %s to %s\n", from_iso, to_iso);
  printf ("matching: %u (%u already assigned or evaluated)\n", result->n_matching, result->n_taken);
  printf ("inspector: %s\n", result->inspector_id);
  printf ("form-version: %s\n", result->form_version_id);
  printf ("time: %.1f ms\n", g_timer_elapsed (timer, NULL) * 1000);
  if (result->n_matching == 0)
    fprintf (stderr, "assayctl: no contact of the period passes the filters; "
                     "try other filters or another period\n");
  return fflush (stdout) == 0 ? 0 : 1;
}
