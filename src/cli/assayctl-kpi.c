/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "core/assay-kpi.h"
#include "store/assay-store.h"
#include "store/assay-store-kpi.h"

/*
 * assayctl kpi (--agent CODE | --team NAME | --centre) --from DATE --to DATE [--json]
 * assayctl kpi rebuild [--check]
 */

static void
print_number (GString *out,
              double   v)
{
  /* four decimals are more than any figure shows, and -0 prints as 0 */
  double r = round (v * 1e4) / 1e4;

  g_string_append_printf (out, "%.4f", r == 0.0 ? 0.0 : r);
}

static void
print_entry (GString              *out,
             const AssayKpiFigure *f)
{
  g_string_append (out, "{\"value\": ");
  if (f->estimate.known)
    print_number (out, f->estimate.value);
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ", \"n\": %" G_GINT64_FORMAT ", \"ci95\": ", f->estimate.n);
  if (f->estimate.known && f->estimate.has_ci)
    {
      g_string_append (out, "[");
      print_number (out, f->estimate.ci_lo);
      g_string_append (out, ", ");
      print_number (out, f->estimate.ci_hi);
      g_string_append (out, "]");
    }
  else
    g_string_append (out, "null");
  g_string_append (out, ", \"target\": ");
  if (f->has_target)
    print_number (out, f->target);
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ", \"status\": \"%s\"}", assay_kpi_status_key (f->status));
}

static char *
scorecard_json (const AssayKpiScorecard *card)
{
  GString *out = g_string_new ("{\n");

  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      if (line >= ASSAY_KPI_LINE_AHT_PHONE && line <= ASSAY_KPI_LINE_AHT_TICKET)
        {
          if (line == ASSAY_KPI_LINE_AHT_PHONE)
            g_string_append (out, "  \"aht_s\": {\n");
          g_string_append_printf (out, "    \"%s\": ",
                                  assay_kpi_channel_name (line - ASSAY_KPI_LINE_AHT_PHONE));
          print_entry (out, &card->figures[line]);
          g_string_append (out, line == ASSAY_KPI_LINE_AHT_TICKET ? "\n  },\n" : ",\n");
          continue;
        }
      g_string_append_printf (out, "  \"%s\": ", assay_kpi_line_key (line));
      print_entry (out, &card->figures[line]);
      g_string_append (out, line + 1 < ASSAY_KPI_N_LINES ? ",\n" : "\n");
    }
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}

static const char *
status_words (AssayKpiStatus status)
{
  switch (status)
    {
    case ASSAY_KPI_STATUS_NO_DATA: return "no data";
    case ASSAY_KPI_STATUS_TOO_FEW: return "too few to judge";
    case ASSAY_KPI_STATUS_NO_TARGET: return "no target";
    case ASSAY_KPI_STATUS_ON_TARGET: return "on target";
    case ASSAY_KPI_STATUS_WARNING: return "warning";
    case ASSAY_KPI_STATUS_BREACH: return "breach";
    default: return "";
    }
}

static void
print_table (const AssayKpiScorecard *card)
{
  g_autofree char *from = assay_kpi_day_format (card->from_day);
  g_autofree char *to = assay_kpi_day_format (card->to_day);

  printf ("%s %s, %s to %s (figures under n = %" G_GINT64_FORMAT " are too few to judge)\n",
          card->scope == ASSAY_KPI_SCOPE_AGENT ? "Agent" :
          card->scope == ASSAY_KPI_SCOPE_TEAM ? "Team" : "Centre",
          card->subject_name ? card->subject_name : "", from, to, card->min_n);
  printf ("%-22s %10s %8s %21s %10s %10s %10s  %s\n", "KPI", "value", "n", "95 % interval",
          "target", "team", "centre", "status");
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      const AssayKpiFigure *f = &card->figures[line];
      g_autofree char *value = f->estimate.known ? g_strdup_printf ("%.1f", f->estimate.value)
                                                 : g_strdup ("–");
      g_autofree char *ci = f->estimate.has_ci ? g_strdup_printf ("%.1f – %.1f", f->estimate.ci_lo,
                                                                  f->estimate.ci_hi)
                                               : g_strdup ("");
      g_autofree char *target = f->has_target ? g_strdup_printf ("%.1f", f->target) : g_strdup ("");
      g_autofree char *team = card->has_team && card->team[line].estimate.known
                              ? g_strdup_printf ("%.1f", card->team[line].estimate.value)
                              : g_strdup ("");
      g_autofree char *centre = card->centre[line].estimate.known
                                ? g_strdup_printf ("%.1f", card->centre[line].estimate.value)
                                : g_strdup ("");

      printf ("%-22s %10s %8" G_GINT64_FORMAT " %21s %10s %10s %10s  %s\n",
              assay_kpi_line_key (line), value, f->estimate.n, ci, target, team, centre,
              status_words (f->status));
    }
}

static int
kpi_rebuild (int          argc,
             char       **argv,
             const char  *database)
{
  gboolean check_only = FALSE;
  const GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_NONE, &check_only,
      "Only compare the summaries with a recomputation; change nothing", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- rebuild the KPI summary tables");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  AssayKpiCheck check = { 0 };
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Recomputes the KPI summaries (per agent, local day and channel) from the contacts and\n"
    "evaluations, compares them with the stored ones, replaces them and compares again.\n"
    "Exits 1 when the summaries differ from the recomputation after the rebuild (or, with\n"
    "--check, at all).\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl kpi rebuild --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("kpi rebuild takes options only, not '%s'", argv[1]);
      return 2;
    }
  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  ok = check_only ? assay_store_kpi_check_sync (store, &check, &error)
                  : assay_store_kpi_rebuild_sync (store, &check, &error);
  assay_store_close (store);
  if (!ok)
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  printf ("Recomputed %" G_GINT64_FORMAT " contact and %" G_GINT64_FORMAT
          " evaluation summary rows in %.2f s.\n", check.contact_rows, check.qa_rows,
          g_timer_elapsed (timer, NULL));
  if (check.time_zone_changed)
    printf ("The summaries were by the days of another time zone.\n");
  printf ("%s: %" G_GINT64_FORMAT " contact and %" G_GINT64_FORMAT " evaluation rows differed.\n",
          check_only ? "Check" : "Before the rebuild", check.contact_diff, check.qa_diff);
  if (check_only)
    return check.contact_diff == 0 && check.qa_diff == 0 ? 0 : 1;
  printf ("After the rebuild: %" G_GINT64_FORMAT " contact and %" G_GINT64_FORMAT
          " evaluation rows differ.\n", check.contact_diff_after, check.qa_diff_after);
  if (check.contact_diff_after != 0 || check.qa_diff_after != 0)
    {
      assayctl_error ("the rebuilt summaries do not match a recomputation");
      return 1;
    }
  return 0;
}

int
assayctl_kpi (int          argc,
              char       **argv,
              const char  *database)
{
  g_autofree char *agent = NULL;
  g_autofree char *team = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *min_n_text = NULL;
  gboolean centre = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "agent", 0, 0, G_OPTION_ARG_STRING, &agent, "The agent, by employee code (or id)", "CODE" },
    { "team", 0, 0, G_OPTION_ARG_STRING, &team, "The team, by name (or id)", "NAME" },
    { "centre", 0, 0, G_OPTION_ARG_NONE, &centre, "The whole centre", NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, "First day of the period (local time)",
      "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, "Last day of the period, included", "YYYY-MM-DD" },
    { "min-n", 0, 0, G_OPTION_ARG_STRING, &min_n_text,
      "Below this n a figure is \"too few to judge\" (default 5)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON (docs/kpi.md)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssayKpiScorecard) card = NULL;
  AssayKpiQuery query = { 0 };
  guint64 min_n = ASSAY_KPI_DEFAULT_MIN_N;

  if (argc > 1 && strcmp (argv[1], "rebuild") == 0)
    return kpi_rebuild (argc - 1, argv + 1, database);

  context = g_option_context_new ("- the scorecard KPIs of an agent, a team or the centre");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Prints every KPI of the scorecard over the period with n, its 95 % interval, target and\n"
    "status. Shares and scores are percentages, NPS runs from -100 to 100, times are seconds.\n"
    "Days are calendar days in the local time zone (TZ); a contact belongs to the day it\n"
    "started. Definitions: docs/kpi.md.\n\n"
    "  assayctl kpi rebuild [--check]   rebuild the KPI summaries and check them\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl kpi --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("kpi takes options only, not '%s' (see 'assayctl kpi --help')", argv[1]);
      return 2;
    }
  if ((agent != NULL) + (team != NULL) + (centre != FALSE) != 1)
    {
      assayctl_error ("give exactly one of --agent CODE, --team NAME or --centre");
      return 2;
    }
  if (from_text == NULL || to_text == NULL)
    {
      assayctl_error ("give the period with --from YYYY-MM-DD --to YYYY-MM-DD");
      return 2;
    }
  if (!assay_kpi_day_parse (from_text, &query.from_day))
    {
      assayctl_error ("--from wants a date as YYYY-MM-DD, not '%s'", from_text);
      return 2;
    }
  if (!assay_kpi_day_parse (to_text, &query.to_day))
    {
      assayctl_error ("--to wants a date as YYYY-MM-DD, not '%s'", to_text);
      return 2;
    }
  if (query.to_day < query.from_day)
    {
      assayctl_error ("the period ends (%s) before it starts (%s)", to_text, from_text);
      return 2;
    }
  if (min_n_text != NULL
      && !g_ascii_string_to_unsigned (min_n_text, 10, 1, 1000000, &min_n, NULL))
    {
      assayctl_error ("--min-n wants a whole number from 1 to 1000000, not '%s'", min_n_text);
      return 2;
    }
  query.scope = agent ? ASSAY_KPI_SCOPE_AGENT : team ? ASSAY_KPI_SCOPE_TEAM
                                                     : ASSAY_KPI_SCOPE_CENTRE;
  query.subject = agent ? agent : team;
  query.min_n = (gint64) min_n;

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  card = assay_store_kpi_scorecard_sync (store, &query, &error);
  assay_store_close (store);
  if (card == NULL)
    {
      assayctl_error ("%s", error->message);
      return g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND) ? 2 : 1;
    }
  if (json)
    {
      g_autofree char *text = scorecard_json (card);

      fputs (text, stdout);
    }
  else
    print_table (card);
  return 0;
}
