/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "assayctl.h"
#include "core/assay-util.h"
#include "media/assay-analysis.h"

/*
 * assayctl analyze FILE... [--json]: speech analytics of recordings, one after the other. A file
 * that cannot be analysed gets a line on stderr and makes the exit status 1, and the others are
 * still analysed. Numbers are printed with two decimals (the analysis works in 10 ms frames),
 * which is why the JSON is written here rather than by JsonGenerator (it prints 17 digits).
 */

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

static void
append_string (GString    *out,
               const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *utf8 = g_filename_display_name (value);

  json_node_set_string (node, utf8);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_string_append (out, text);
}

static void
append_segments (GString            *out,
                 const AssaySegment *segments,
                 guint               n)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '[');
      append_number (out, segments[i].start);
      g_string_append_c (out, ',');
      append_number (out, segments[i].end);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

static char *
analysis_to_json (AssayAnalysis *a)
{
  GString *out = g_string_new ("{\"file\":");
  gboolean split = assay_analysis_get_has_talk_split (a);
  const AssaySegment *segs;
  guint n;

  append_string (out, assay_analysis_get_file (a));
  g_string_append (out, ",\"duration_s\":");
  append_number (out, assay_analysis_get_duration (a));
  g_string_append_printf (out, ",\"channels\":%u,\"sample_rate\":%u,\"talk_s\":{\"agent\":",
                          assay_analysis_get_channels (a), assay_analysis_get_sample_rate (a));
  append_number (out, split ? assay_analysis_get_agent_talk (a) : NAN);
  g_string_append (out, ",\"customer\":");
  append_number (out, split ? assay_analysis_get_customer_talk (a) : NAN);
  g_string_append (out, "},\"talk_ratio\":");
  append_number (out, split ? assay_analysis_get_talk_ratio (a) : NAN);
  g_string_append (out, ",\"silence_s\":");
  append_number (out, assay_analysis_get_silence (a));
  g_string_append (out, ",\"silence_segments\":");
  segs = assay_analysis_get_silence_segments (a, &n);
  append_segments (out, segs, n);
  g_string_append (out, ",\"overtalk_s\":");
  if (split)
    {
      append_number (out, assay_analysis_get_overtalk (a));
      g_string_append (out, ",\"overtalk_segments\":");
      segs = assay_analysis_get_overtalk_segments (a, &n);
      append_segments (out, segs, n);
      g_string_append (out, ",\"longest_monologue_s\":");
      append_number (out, assay_analysis_get_longest_monologue (a, NULL));
    }
  else
    g_string_append (out, "null,\"overtalk_segments\":null,\"longest_monologue_s\":null");
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

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

int
assayctl_analyze (int          argc,
                  char       **argv,
                  const char  *database)
{
  gboolean json = FALSE, no_cache = FALSE;
  double silence_min = NAN, overtalk_min = NAN;
  int agent_channel = 0;
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
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("FILE... - speech analytics of recordings");
  g_autoptr(GError) error = NULL;
  AssaySpeechParams params;
  int status = 0;

  g_option_context_set_summary (context,
    "Talk time of agent and customer, talk ratio, dead air, over-talk and the longest agent\n"
    "monologue, computed locally. Stereo recordings carry the agent on one channel and the\n"
    "customer on the other; for mono recordings only dead air is reported.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl analyze --help')", error->message);
      return 2;
    }
  if (files == NULL || files[0] == NULL)
    {
      assayctl_error ("no recording given: assayctl analyze FILE... [--json]");
      return 2;
    }
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
          g_autofree char *line = analysis_to_json (analysis);

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
