/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "core/assay-util.h"
#include "media/assay-analysis.h"
#include "protocol/assay-speech-json.h"
#include "store/assay-store-analysis.h"

/*
 * assayctl analyze FILE... [--json]: speech analytics of recordings, one after the other. A file
 * that cannot be analysed gets a line on stderr and makes the exit status 1, and the others are
 * still analysed. The JSON is protocol/assay-speech-json.h's, the same the database keeps.
 *
 * assayctl analyze --store: the same for every recording in the database that has no analysis
 * of this version yet, storing the figures where the application shows them.
 */

static void
print_summary (AssayAnalysis *a)
{
  g_autofree char *name = g_filename_display_name (assay_analysis_get_file (a));
  g_autofree char *duration = assay_format_duration (assay_analysis_get_duration (a));
  g_autofree char *silence = assay_format_duration (assay_analysis_get_silence (a));
  guint channels = assay_analysis_get_channels (a);
  const AssaySpeechParams *params = assay_analysis_get_params (a);
  guint n_silence = 0, n_overtalk = 0;

  assay_analysis_get_silence_segments (a, &n_silence);
  assay_analysis_get_overtalk_segments (a, &n_overtalk);

  printf ("%s\n", name);
  printf ("  length          %s (%.2f s), %s, %u Hz\n", duration, assay_analysis_get_duration (a),
          channels == 1 ? "mono" : channels == 2 ? "stereo" : "multichannel",
          assay_analysis_get_sample_rate (a));
  if (assay_analysis_get_has_talk_split (a))
    {
      g_autofree char *agent = assay_format_duration (assay_analysis_get_agent_talk (a));
      g_autofree char *customer = assay_format_duration (assay_analysis_get_customer_talk (a));
      g_autofree char *overtalk = assay_format_duration (assay_analysis_get_overtalk (a));
      g_autofree char *mono =
        assay_format_duration (assay_analysis_get_longest_monologue (a, NULL));
      double ratio = assay_analysis_get_talk_ratio (a);

      printf ("  agent talk      %s (channel %u)\n", agent, params->agent_channel);
      printf ("  customer talk   %s\n", customer);
      if (isfinite (ratio))
        printf ("  talk ratio      %.0f%% agent / %.0f%% customer\n", ratio * 100,
                (1 - ratio) * 100);
      else
        printf ("  talk ratio      nobody speaks\n");
      printf ("  dead air        %s in %u stretch%s of %.0f s or more\n", silence, n_silence,
              n_silence == 1 ? "" : "es", params->silence_min_s);
      printf ("  over-talk       %s in %u stretch%s\n", overtalk, n_overtalk,
              n_overtalk == 1 ? "" : "es");
      printf ("  longest agent monologue  %s\n", mono);
    }
  else
    {
      printf (
        "  talk split      unavailable (mono recording: agent and customer share one channel)\n");
      printf ("  dead air        %s in %u stretch%s of %.0f s or more\n", silence, n_silence,
              n_silence == 1 ? "" : "es", params->silence_min_s);
    }
}

static gboolean
is_remote (const char *location)
{
  return g_str_has_prefix (location, "http://") || g_str_has_prefix (location, "https://");
}

static void
print_stored (const AssayPendingRecording *r,
              const AssaySpeechSummary    *s)
{
  g_autofree char *name = g_filename_display_basename (r->location);
  g_autofree char *silence = assay_format_duration (s->silence_s);

  if (s->has_talk_split)
    {
      g_autofree char *overtalk = assay_format_duration (s->overtalk_s);
      g_autofree char *mono = assay_format_duration (s->longest_monologue_s);
      g_autofree char *ratio = isfinite (s->talk_ratio)
                               ? g_strdup_printf ("%.0f%%", s->talk_ratio * 100)
                               : g_strdup ("nobody speaks");

      printf ("%s (interaction %s): agent talks %s, dead air %s, over-talk %s, "
              "longest agent monologue %s\n", name, r->interaction_id, ratio, silence, overtalk,
              mono);
    }
  else
    printf ("%s (interaction %s): mono, no talk split; dead air %s\n", name, r->interaction_id,
            silence);
}

int
assayctl_analyze_pending (const char *database,
                          gboolean    json,
                          gboolean    no_cache)
{
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  guint n_stored = 0, n_failed = 0, n_skipped = 0;

  g_return_val_if_fail (database != NULL, 2);

  /* analysing must not leave an empty database behind a mistyped path */
  if (!g_file_test (database, G_FILE_TEST_IS_REGULAR))
    {
      assayctl_error ("there is no database at %s; give one with --database, or make one with "
                      "'assayctl seed' or 'assayctl import'", database);
      return 1;
    }
  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  pending = assay_store_list_pending_analyses_sync (store, &error);
  if (pending == NULL)
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  if (pending->len == 0 && !json)
    printf ("Every recording in %s is analysed already.\n", database);

  for (guint i = 0; i < pending->len; i++)
    {
      AssayPendingRecording *r = g_ptr_array_index (pending, i);
      g_autoptr(GError) file_error = NULL;
      g_autoptr(AssayAnalysis) analysis = NULL;
      g_autoptr(AssaySpeechSummary) summary = NULL;
      AssaySpeechParams params;

      if (is_remote (r->location))
        {
          if (!json)
            printf ("%s (interaction %s): skipped, the recording is on a server; open it in Assay "
                    "to analyse it\n", r->location, r->interaction_id);
          n_skipped++;
          continue;
        }

      assay_speech_params_init (&params);
      params.agent_channel = r->agent_channel == 1 ? 1 : 0;
      analysis = assay_analysis_run_sync (r->location, &params,
                                          no_cache ? ASSAY_PEAKS_FLAGS_NO_CACHE
                                                   : ASSAY_PEAKS_FLAGS_NONE,
                                          NULL, &file_error);
      if (analysis != NULL)
        {
          summary = assay_analysis_to_summary (analysis);
          assay_store_save_analysis_sync (store, r->recording_id, summary, &file_error);
        }
      if (file_error != NULL)
        {
          g_autofree char *name = g_filename_display_basename (r->location);

          fflush (stdout);
          if (strstr (file_error->message, name) != NULL)
            assayctl_error ("interaction %s: %s", r->interaction_id, file_error->message);
          else
            assayctl_error ("interaction %s: %s: %s", r->interaction_id, r->location,
                            file_error->message);
          n_failed++;
          continue;
        }

      if (json)
        {
          g_autofree char *line = assay_speech_figures_to_json (summary, TRUE);

          printf ("%s\n", line);
        }
      else
        print_stored (r, summary);
      fflush (stdout);
      n_stored++;
    }

  if (!json && pending->len > 0)
    {
      printf ("Stored %u analys%s in %s", n_stored, n_stored == 1 ? "is" : "es", database);
      if (n_failed > 0 || n_skipped > 0)
        printf (" (%u failed, %u skipped)", n_failed, n_skipped);
      printf (".\n");
    }
  assay_store_close (store);
  return n_failed > 0 ? 1 : 0;
}

int
assayctl_analyze (int          argc,
                  char       **argv,
                  const char  *database)
{
  gboolean json = FALSE, no_cache = FALSE, store = FALSE;
  double silence_min = NAN, overtalk_min = NAN;
  int agent_channel = G_MININT;   /* not given */
  g_auto(GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object per file, one per line",
      NULL },
    { "agent-channel", 0, 0, G_OPTION_ARG_INT, &agent_channel,
      "Channel of the agent in stereo recordings: 0 (left, default) or 1", "N" },
    { "silence-min", 0, 0, G_OPTION_ARG_DOUBLE, &silence_min,
      "Shortest dead air counted, in seconds (default 3)", "S" },
    { "overtalk-min", 0, 0, G_OPTION_ARG_DOUBLE, &overtalk_min,
      "Shortest over-talk counted, in seconds (default 0.5)", "S" },
    { "no-cache", 0, 0, G_OPTION_ARG_NONE, &no_cache,
      "Decode again even if the waveform cache has the file", NULL },
    { "store", 0, 0, G_OPTION_ARG_NONE, &store,
      "Analyse the recordings in the database (--database) that have no analysis yet, and store "
      "the figures there", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("- speech analytics of recordings");
  g_autoptr(GError) error = NULL;
  AssaySpeechParams params;
  int status = 0;

  g_option_context_set_summary (context,
    "Talk time of agent and customer, talk ratio, dead air, over-talk and the longest agent\n"
    "monologue, computed locally. Stereo recordings carry the agent on one channel and the\n"
    "customer on the other; for mono recordings only dead air is reported.\n"
    "\n"
    "With --store, the recordings of the database's interactions that have no analysis of this\n"
    "version are analysed, each with its agent channel, and the figures stored for the\n"
    "application to show.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl analyze --help')", error->message);
      return 2;
    }
  if (store)
    {
      if (files != NULL && files[0] != NULL)
        {
          assayctl_error ("give either recordings or --store, not both (--store analyses the "
                          "database's recordings)");
          return 2;
        }
      /* stored figures are those of the standard parameters, as the application computes them */
      if (agent_channel != G_MININT || !isnan (silence_min) || !isnan (overtalk_min))
        {
          assayctl_error ("--agent-channel, --silence-min and --overtalk-min cannot be used with "
                          "--store: the database keeps figures of the standard settings, with "
                          "each recording's own agent channel");
          return 2;
        }
      return assayctl_analyze_pending (database, json, no_cache);
    }
  if (files == NULL || files[0] == NULL)
    {
      assayctl_error ("no recording given: assayctl analyze FILE... [--json], or "
                      "assayctl analyze --store");
      return 2;
    }
  if (agent_channel == G_MININT)
    agent_channel = 0;
  if (agent_channel != 0 && agent_channel != 1)
    {
      assayctl_error ("--agent-channel must be 0 (left) or 1 (right), not %d", agent_channel);
      return 2;
    }

  assay_speech_params_init (&params);
  params.agent_channel = (guint) agent_channel;
  if (!isnan (silence_min))
    {
      if (!(silence_min > 0 && silence_min < 86400))
        {
          assayctl_error ("--silence-min must be a number of seconds above 0, not %g", silence_min);
          return 2;
        }
      params.silence_min_s = silence_min;
    }
  if (!isnan (overtalk_min))
    {
      if (!(overtalk_min >= 0 && overtalk_min < 86400))
        {
          assayctl_error ("--overtalk-min must be a number of seconds (0 or more), not %g",
                          overtalk_min);
          return 2;
        }
      params.overtalk_min_s = overtalk_min;
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) file_error = NULL;
      g_autoptr(AssayAnalysis) analysis = NULL;

      analysis = assay_analysis_run_sync (
        files[i], &params, no_cache ? ASSAY_PEAKS_FLAGS_NO_CACHE : ASSAY_PEAKS_FLAGS_NONE, NULL,
        &file_error);
      if (analysis == NULL)
        {
          g_autofree char *name = g_filename_display_basename (files[i]);

          fflush (stdout);
          /* the media messages name the file already */
          if (strstr (file_error->message, name) != NULL)
            assayctl_error ("%s", file_error->message);
          else
            assayctl_error ("%s: %s", files[i], file_error->message);
          status = 1;
          continue;
        }

      if (json)
        {
          g_autoptr(AssaySpeechSummary) summary = assay_analysis_to_summary (analysis);
          g_autofree char *line = assay_speech_figures_to_json (summary, TRUE);

          printf ("%s\n", line);
        }
      else
        {
          if (i > 0)
            printf ("\n");
          print_summary (analysis);
        }
      fflush (stdout);
    }

  return status;
}
