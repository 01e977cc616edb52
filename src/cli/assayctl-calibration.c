/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "assayctl.h"
#include "core/assay-agreement.h"
#include "protocol/assay-form-json.h"
#include "store/assay-store.h"
#include "store/assay-store-calibration-view.h"
#include "store/assay-store-forms.h"

/*
 * assayctl calibration: the calibration sessions and their agreement statistics
 * (docs/calibration.md), as text or JSON that can be checked independently.
 */

#define DEFAULT_THRESHOLD 0.667
#define DEFAULT_SESSIONS  3

/* One session's answers, read back through the form engine, and its statistics. */
typedef AssayCalibrationView Session;

static Session *
load_session (AssayStore  *store,
              const char  *session_id,
              GError     **error)
{
  return assay_store_load_calibration_view_sync (store, session_id, NULL, error);
}

/* ---- output helpers ---- */

static void
add_figure (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, round (value * 10000) / 10000);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static char *
format_figure (double value)
{
  return isnan (value) ? g_strdup ("–") : g_strdup_printf ("%.3f", value);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = assay_json_write (root, TRUE);

  printf ("%s\n", text);
}

/* The answer as the ratings show it: the answers file's value, "n/a" for N/A. */
static JsonNode *
answer_value (const AssayAnswers *answers,
              guint               item)
{
  g_autoptr(JsonNode) doc = assay_answers_to_json_node (answers);
  const AssayItem *it = assay_form_get_item (assay_answers_get_form (answers), item);
  JsonObject *all = json_object_get_object_member (json_node_get_object (doc), "answers");
  JsonObject *one = json_object_get_object_member (all, it->id);

  if (assay_answers_get (answers, item)->state == ASSAY_ANSWER_NA)
    {
      JsonNode *na = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (na, "n/a");
      return na;
    }
  return json_node_copy (json_object_get_member (one, "value"));
}

/* ---- list ---- */

static int
run_list (AssayStore *store,
          gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = assay_store_list_calibration_sessions_sync (store, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (sessions == NULL)
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  if (!json)
    {
      if (sessions->len == 0)
        printf ("No calibration sessions yet.\n");
      for (guint i = 0; i < sessions->len; i++)
        {
          AssayCalibrationSessionRecord *r = g_ptr_array_index (sessions, i);

          printf ("%s  %-7s  %s  (%s v%d; %u interactions, %u inspectors, %u of %u scorings "
                  "submitted)\n",
                  r->id, r->state, r->name, r->form_name, r->form_version, r->n_interactions,
                  r->n_participants, r->n_submitted, r->n_interactions * r->n_participants);
        }
      return 0;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < sessions->len; i++)
    {
      AssayCalibrationSessionRecord *r = g_ptr_array_index (sessions, i);

      json_builder_begin_object (b);
      add_string (b, "id", r->id);
      add_string (b, "name", r->name);
      add_string (b, "state", r->state);
      add_string (b, "form_version_id", r->form_version_id);
      add_string (b, "form", r->form_name);
      add_int (b, "form_version", r->form_version);
      add_string (b, "created_by", r->created_by);
      add_string (b, "expert_id", r->expert_id);
      add_int (b, "created_at", r->created_at);
      add_int (b, "interactions", r->n_interactions);
      add_int (b, "inspectors", r->n_participants);
      add_int (b, "scorings", r->n_scorings);
      add_int (b, "submitted", r->n_submitted);
      add_int (b, "expected", (gint64) r->n_interactions * r->n_participants);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* ---- stats ---- */

static gboolean
parse_threshold (const char *text,
                 double     *out)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return TRUE;
  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || !(value > -1.0 && value <= 1.0))
    {
      assayctl_error ("--threshold wants an alpha from -1 to 1, such as 0.667, not '%s'", text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static int
run_stats (AssayStore *store,
           const char *session_id,
           gboolean    json,
           double      threshold,
           guint       k)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayCalibrationView) s = load_session (store, session_id, &error);
  g_autoptr(GPtrArray) past = NULL;
  g_autoptr(GPtrArray) flagged = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n_units, n_inspectors;

  if (s == NULL || !assay_store_load_calibration_history_sync (store, s, &error))
    {
      assayctl_error ("%s", error->message);
      return g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND) ? 2 : 1;
    }
  /* the earlier open sessions on the same scorecard, oldest first; the series end with this
   * session (NULL) */
  past = g_ptr_array_new ();
  for (guint p = 0; p < s->history->len; p++)
    g_ptr_array_add (past, g_ptr_array_index (s->history, p));
  g_ptr_array_add (past, NULL);
  n_units = g_strv_length (s->record->interaction_ids);
  n_inspectors = g_strv_length (s->record->participant_ids);

  for (guint i = 0; i < s->stats->items->len; i++)
    {
      const AssayItemAgreement *ia = g_ptr_array_index (s->stats->items, i);
      if (assay_calibration_view_stays_low (s, ia->item, k, threshold))
        g_ptr_array_add (flagged, (gpointer) ia);
    }

  if (!json)
    {
      printf ("%s: %s (%s v%d), %u interactions, %u inspectors, %u scorings submitted\n\n",
              s->record->name, s->record->state, s->record->form_name, s->record->form_version,
              n_units, n_inspectors, s->submitted->len);
      printf ("%-24s %-9s %9s %9s %9s %5s\n", "item", "metric", "agreement", "kappa", "alpha", "n");
      for (guint i = 0; i < s->stats->items->len; i++)
        {
          const AssayItemAgreement *ia = g_ptr_array_index (s->stats->items, i);
          g_autofree char *ag = format_figure (ia->agreement.value);
          g_autofree char *ka = format_figure (ia->kappa.value);
          g_autofree char *al = format_figure (ia->alpha.value);

          printf ("%-24s %-9s %9s %9s %9s %5u\n", ia->item->id, assay_metric_to_string (ia->metric),
                  ag, ka, al, ia->alpha.n_values);
        }
      printf ("\n%-38s %10s %10s %5s\n", "inspector", "consensus", "deviation", "n");
      for (guint j = 0; j < s->stats->inspectors->len; j++)
        {
          const AssayInspectorAgreement *a = g_ptr_array_index (s->stats->inspectors, j);
          g_autofree char *ag = format_figure (a->agreement_with_consensus);
          g_autofree char *dev = format_figure (a->mean_deviation);

          printf ("%-38s %10s %10s %5u\n", a->inspector_id, ag, dev, a->n_compared);
        }
      printf ("\nItems to reword (alpha below %.3f in the last %u sessions):", threshold, k);
      for (guint i = 0; i < flagged->len; i++)
        printf (" %s", ((const AssayItemAgreement *) g_ptr_array_index (flagged, i))->item->id);
      printf ("%s\n", flagged->len == 0 ? " none" : "");
      return 0;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);
  add_string (b, "id", s->record->id);
  add_string (b, "name", s->record->name);
  add_string (b, "state", s->record->state);
  add_string (b, "form_version_id", s->record->form_version_id);
  add_string (b, "form_id", s->form->id);
  add_int (b, "form_version", s->record->form_version);
  add_string (b, "expert_id", s->record->expert_id);
  add_int (b, "submitted", s->submitted->len);
  json_builder_end_object (b);

  /* ratings: item → interaction → inspector → answer, submitted scorings only */
  json_builder_set_member_name (b, "ratings");
  json_builder_begin_object (b);
  for (guint i = 0; i < s->stats->items->len; i++)
    {
      const AssayItemAgreement *ia = g_ptr_array_index (s->stats->items, i);

      json_builder_set_member_name (b, ia->item->id);
      json_builder_begin_object (b);
      for (guint u = 0; u < n_units; u++)
        {
          json_builder_set_member_name (b, s->record->interaction_ids[u]);
          json_builder_begin_object (b);
          for (guint j = 0; j < n_inspectors; j++)
            {
              AssayAnswers *given = g_ptr_array_index (s->answers, u * n_inspectors + j);

              if (given == NULL
                  || assay_answers_get (given, ia->item->index)->state == ASSAY_ANSWER_NONE)
                continue;
              json_builder_set_member_name (b, s->record->participant_ids[j]);
              json_builder_add_value (b, answer_value (given, ia->item->index));
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "consensus");
  json_builder_begin_object (b);
  for (guint i = 0; i < s->stats->items->len; i++)
    {
      const AssayItemAgreement *ia = g_ptr_array_index (s->stats->items, i);

      if (ia->n_consensus == 0)
        continue;
      json_builder_set_member_name (b, ia->item->id);
      json_builder_begin_object (b);
      for (guint u = 0; u < n_units; u++)
        {
          AssayAnswers *c = g_ptr_array_index (s->consensus, u);

          if (c == NULL || assay_answers_get (c, ia->item->index)->state == ASSAY_ANSWER_NONE)
            continue;
          json_builder_set_member_name (b, s->record->interaction_ids[u]);
          json_builder_add_value (b, answer_value (c, ia->item->index));
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  /* the side-by-side view's spread: per item and interaction */
  json_builder_set_member_name (b, "spread");
  json_builder_begin_object (b);
  for (guint i = 0; i < s->stats->items->len; i++)
    {
      const AssayItemAgreement *ia = g_ptr_array_index (s->stats->items, i);

      json_builder_set_member_name (b, ia->item->id);
      json_builder_begin_object (b);
      for (guint u = 0; u < n_units; u++)
        {
          const AssayUnitSpread *spread = &g_array_index (ia->spread, AssayUnitSpread, u);

          json_builder_set_member_name (b, s->record->interaction_ids[u]);
          json_builder_begin_object (b);
          add_int (b, "ratings", spread->n_ratings);
          add_int (b, "distinct", spread->n_distinct);
          add_figure (b, "agreement", spread->agreement);
          if (ia->metric != ASSAY_METRIC_NOMINAL)
            {
              add_figure (b, "min", spread->min);
              add_figure (b, "max", spread->max);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "items");
  json_builder_begin_object (b);
  for (guint i = 0; i < s->stats->items->len; i++)
    {
      const AssayItemAgreement *ia = g_ptr_array_index (s->stats->items, i);

      json_builder_set_member_name (b, ia->item->id);
      json_builder_begin_object (b);
      add_string (b, "kind", assay_item_kind_to_string (ia->item->kind));
      add_string (b, "metric", assay_metric_to_string (ia->metric));
      add_figure (b, "agreement", ia->agreement.value);
      add_figure (b, "fleiss_kappa", ia->kappa.value);
      add_figure (b, "krippendorff_alpha", ia->alpha.value);
      add_int (b, "n", ia->alpha.n_values);
      add_int (b, "n_units", ia->alpha.n_units);
      add_int (b, "n_consensus", ia->n_consensus);
      json_builder_set_member_name (b, "alpha_history");
      json_builder_begin_array (b);
      for (guint p = 0; p < past->len; p++)
        {
          Session *ps = g_ptr_array_index (past, p);
          const AssayItemAgreement *pa = ps ? assay_calibration_view_item_in (ps, ia->item) : ia;

          if (pa == NULL || isnan (pa->alpha.value))
            json_builder_add_null_value (b);
          else
            json_builder_add_double_value (b, round (pa->alpha.value * 10000) / 10000);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "inspectors");
  json_builder_begin_object (b);
  for (guint j = 0; j < s->stats->inspectors->len; j++)
    {
      const AssayInspectorAgreement *a = g_ptr_array_index (s->stats->inspectors, j);
      g_autofree double *series = g_new (double, past->len);

      json_builder_set_member_name (b, a->inspector_id);
      json_builder_begin_object (b);
      add_figure (b, "agreement_with_consensus", a->agreement_with_consensus);
      add_figure (b, "mean_deviation", a->mean_deviation);
      add_int (b, "n", a->n_compared);
      add_int (b, "n_deviation", a->n_deviation);
      add_int (b, "ratings", a->n_ratings);
      json_builder_set_member_name (b, "trend");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "sessions");
      json_builder_begin_array (b);
      for (guint p = 0; p < past->len; p++)
        {
          Session *ps = g_ptr_array_index (past, p);
          const AssayInspectorAgreement *pa = ps ? assay_calibration_view_inspector_in (ps, a->inspector_id) : a;

          series[p] = pa ? pa->agreement_with_consensus : NAN;
          if (pa == NULL)
            continue;
          json_builder_begin_object (b);
          add_string (b, "session", ps ? ps->record->id : s->record->id);
          add_figure (b, "agreement_with_consensus", pa->agreement_with_consensus);
          add_figure (b, "mean_deviation", pa->mean_deviation);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      add_figure (b, "agreement_change_per_session", assay_agreement_trend (series, past->len));
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "flagged");
  json_builder_begin_array (b);
  for (guint i = 0; i < flagged->len; i++)
    {
      const AssayItemAgreement *ia = g_ptr_array_index (flagged, i);

      json_builder_add_string_value (b, ia->item->id);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "flag_rule");
  json_builder_begin_object (b);
  add_figure (b, "alpha_below", threshold);
  add_int (b, "sessions", k);
  json_builder_end_object (b);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: assayctl calibration list [--json]\n"
           "       assayctl calibration stats SESSION [--json] [--threshold A] [--sessions K]\n\n"
           "list    the calibration sessions, newest first, with their ids and counts\n"
           "stats   the ratings of a session's submitted scorings and their agreement: per item\n"
           "        observed agreement, Fleiss' kappa (nominal items) and Krippendorff's alpha\n"
           "        with n; per inspector agreement with the consensus and mean deviation in\n"
           "        points (below 0 harsh, above 0 lenient), with the trend over sessions\n\n"
           "  --json          print JSON (docs/calibration.md)\n"
           "  --threshold A   flag items whose alpha stays below A (default %.3f)\n"
           "  --sessions K    ... in each of the last K sessions on the form (default %d)\n",
           DEFAULT_THRESHOLD, DEFAULT_SESSIONS);
}

int
assayctl_calibration (int          argc,
                      char       **argv,
                      const char  *database)
{
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *command = NULL, *session = NULL, *threshold_text = NULL, *sessions_text = NULL;
  double threshold = DEFAULT_THRESHOLD;
  guint64 k = DEFAULT_SESSIONS;
  gboolean json = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          usage (stdout);
          return 0;
        }
      else if (strcmp (argv[i], "--json") == 0)
        json = TRUE;
      else if (strcmp (argv[i], "--threshold") == 0 && i + 1 < argc)
        threshold_text = argv[++i];
      else if (strcmp (argv[i], "--sessions") == 0 && i + 1 < argc)
        sessions_text = argv[++i];
      else if (argv[i][0] == '-')
        {
          assayctl_error ("calibration: unknown option %s (see 'assayctl calibration --help')",
                          argv[i]);
          return 2;
        }
      else if (command == NULL)
        command = argv[i];
      else if (session == NULL)
        session = argv[i];
      else
        {
          assayctl_error ("calibration: one session at a time, not also '%s'", argv[i]);
          return 2;
        }
    }

  if (command == NULL || (strcmp (command, "list") != 0 && strcmp (command, "stats") != 0))
    {
      if (command != NULL)
        assayctl_error ("calibration: no subcommand '%s'; use list or stats", command);
      usage (stderr);
      return 2;
    }
  if (strcmp (command, "list") == 0 && session != NULL)
    {
      assayctl_error ("calibration list takes no session; use 'calibration stats %s'", session);
      return 2;
    }
  if (strcmp (command, "stats") == 0 && session == NULL)
    {
      assayctl_error ("calibration stats needs a session id; 'assayctl calibration list' shows "
                      "them");
      return 2;
    }
  if (!parse_threshold (threshold_text, &threshold))
    return 2;
  if (sessions_text != NULL && !g_ascii_string_to_unsigned (sessions_text, 10, 1, 100, &k, NULL))
    {
      assayctl_error ("--sessions wants a whole number from 1 to 100, not '%s'", sessions_text);
      return 2;
    }

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  if (strcmp (command, "list") == 0)
    return run_list (store, json);
  return run_stats (store, session, json, threshold, (guint) k);
}
