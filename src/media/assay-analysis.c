/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-analysis.h"

#include <math.h>

struct _AssayAnalysis
{
  GObject            parent_instance;

  char              *file;
  guint              channels;
  guint              sample_rate;
  AssaySpeechParams  params;
  AssaySpeechStats  *stats;
};

G_DEFINE_FINAL_TYPE (AssayAnalysis, assay_analysis, G_TYPE_OBJECT)

static void
assay_analysis_finalize (GObject *object)
{
  AssayAnalysis *self = ASSAY_ANALYSIS (object);

  g_clear_pointer (&self->stats, assay_speech_stats_free);
  g_clear_pointer (&self->file, g_free);

  G_OBJECT_CLASS (assay_analysis_parent_class)->finalize (object);
}

static void
assay_analysis_class_init (AssayAnalysisClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_analysis_finalize;
}

static void
assay_analysis_init (AssayAnalysis *self)
{
  assay_speech_params_init (&self->params);
}

AssayAnalysis *
assay_analysis_new_for_peaks (const char              *path,
                              AssayPeaks              *peaks,
                              const AssaySpeechParams *params)
{
  AssayAnalysis *self;
  guint n_channels;
  gsize n;
  float *energies[2] = { NULL, NULL };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (ASSAY_IS_PEAKS (peaks), NULL);

  self = g_object_new (ASSAY_TYPE_ANALYSIS, NULL);
  self->file = g_strdup (path);
  if (params != NULL)
    self->params = *params;
  /* energies come in buckets of 1/100 s, whatever the caller thought */
  self->params.frame_s = 1.0 / ASSAY_PEAKS_BUCKETS_PER_SECOND;

  self->channels = assay_peaks_get_source_channels (peaks);
  self->sample_rate = assay_peaks_get_sample_rate (peaks);
  n_channels = MIN (assay_peaks_get_n_channels (peaks), 2);
  n = assay_peaks_get_n_buckets (peaks);
  for (guint c = 0; c < n_channels; c++)
    energies[c] = assay_peaks_copy_energies (peaks, c);

  self->stats = assay_speech_analyze ((const float * const *) energies, n_channels, n,
                                      assay_peaks_get_duration (peaks), &self->params);
  for (guint c = 0; c < n_channels; c++)
    g_free (energies[c]);
  return self;
}

AssayAnalysis *
assay_analysis_run_sync (const char              *path,
                         const AssaySpeechParams *params,
                         AssayPeaksFlags          flags,
                         GCancellable            *cancellable,
                         GError                 **error)
{
  g_autoptr(AssayPeaks) peaks = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  peaks = assay_peaks_load_sync (path, flags, cancellable, error);
  if (peaks == NULL)
    return NULL;
  return assay_analysis_new_for_peaks (path, peaks, params);
}

typedef struct {
  char              *path;
  AssaySpeechParams  params;
  gboolean           has_params;
  AssayPeaksFlags    flags;
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  AssayAnalysis *analysis;

  analysis = assay_analysis_run_sync (data->path, data->has_params ? &data->params : NULL,
                                      data->flags, cancellable, &error);
  if (analysis == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, analysis, g_object_unref);
}

void
assay_analysis_run_async (const char              *path,
                          const AssaySpeechParams *params,
                          AssayPeaksFlags          flags,
                          GCancellable            *cancellable,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (path != NULL);

  data = g_new0 (RunData, 1);
  data->path = g_strdup (path);
  data->flags = flags;
  if (params != NULL)
    {
      data->params = *params;
      data->has_params = TRUE;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_analysis_run_async);
  g_task_set_name (task, "[assay] analysis");
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

AssayAnalysis *
assay_analysis_run_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == assay_analysis_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
assay_analysis_get_file (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), NULL);
  return self->file;
}

double
assay_analysis_get_duration (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  return self->stats->duration_s;
}

guint
assay_analysis_get_channels (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  return self->channels;
}

guint
assay_analysis_get_sample_rate (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  return self->sample_rate;
}

guint
assay_analysis_get_agent_channel (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  return self->params.agent_channel;
}

gboolean
assay_analysis_get_has_talk_split (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), FALSE);
  return self->stats->has_talk_split;
}

double
assay_analysis_get_agent_talk (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  return self->stats->agent_talk_s;
}

double
assay_analysis_get_customer_talk (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  return self->stats->customer_talk_s;
}

double
assay_analysis_get_talk_ratio (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), NAN);
  return self->stats->talk_ratio;
}

double
assay_analysis_get_silence (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  return self->stats->silence_s;
}

static const AssaySegment *
segments_of (GArray *segments,
             guint  *n_segments)
{
  if (n_segments != NULL)
    *n_segments = segments != NULL ? segments->len : 0;
  return segments != NULL && segments->len > 0 ? (const AssaySegment *) segments->data : NULL;
}

const AssaySegment *
assay_analysis_get_silence_segments (AssayAnalysis *self,
                                     guint         *n_segments)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), NULL);
  return segments_of (self->stats->silence, n_segments);
}

double
assay_analysis_get_overtalk (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  return self->stats->overtalk_s;
}

const AssaySegment *
assay_analysis_get_overtalk_segments (AssayAnalysis *self,
                                      guint         *n_segments)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), NULL);
  return segments_of (self->stats->overtalk, n_segments);
}

double
assay_analysis_get_longest_monologue (AssayAnalysis *self,
                                      AssaySegment  *segment)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), 0);
  if (segment != NULL)
    *segment = self->stats->longest_monologue;
  return self->stats->longest_monologue_s;
}

const AssaySegment *
assay_analysis_get_voice_segments (AssayAnalysis *self,
                                   guint          channel,
                                   guint         *n_segments)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), NULL);
  if (channel >= G_N_ELEMENTS (self->stats->voice))
    return segments_of (NULL, n_segments);
  return segments_of (self->stats->voice[channel], n_segments);
}

const AssaySpeechParams *
assay_analysis_get_params (AssayAnalysis *self)
{
  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), NULL);
  return &self->params;
}

static void
segments_set (GArray *dest,
              GArray *src)
{
  g_array_set_size (dest, 0);
  if (src != NULL && src->len > 0)
    g_array_append_vals (dest, src->data, src->len);
}

AssaySpeechSummary *
assay_analysis_to_summary (AssayAnalysis *self)
{
  AssaySpeechSummary *summary;
  AssaySpeechStats *stats;

  g_return_val_if_fail (ASSAY_IS_ANALYSIS (self), NULL);

  stats = self->stats;
  summary = assay_speech_summary_new ();
  summary->file = g_strdup (self->file);
  summary->duration_s = stats->duration_s;
  summary->channels = self->channels;
  summary->sample_rate = self->sample_rate;
  summary->agent_channel = self->params.agent_channel == 1 ? 1 : 0;  /* as the analysis took it */
  summary->has_talk_split = stats->has_talk_split;
  summary->silence_s = stats->silence_s;
  segments_set (summary->silence, stats->silence);
  for (guint c = 0; c < G_N_ELEMENTS (summary->voice); c++)
    segments_set (summary->voice[c], stats->voice[c]);
  summary->silence_min_s = self->params.silence_min_s;
  summary->overtalk_min_s = self->params.overtalk_min_s;
  if (stats->has_talk_split)
    {
      summary->agent_talk_s = stats->agent_talk_s;
      summary->customer_talk_s = stats->customer_talk_s;
      summary->talk_ratio = stats->talk_ratio;
      summary->overtalk_s = stats->overtalk_s;
      segments_set (summary->overtalk, stats->overtalk);
      summary->longest_monologue_s = stats->longest_monologue_s;
      summary->longest_monologue = stats->longest_monologue;
    }
  return summary;
}
