/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/assay-speech.h"
#include "assay-peaks.h"

G_BEGIN_DECLS

/*
 * Speech analytics of one recording, computed locally: voice activity per channel, agent and
 * customer talk time and ratio, dead air, over-talk and the longest agent monologue. Stereo
 * recordings carry the agent on one channel (left by default) and the customer on the other;
 * for mono recordings only silence is known and the talk split is unavailable.
 *
 * The figures come from the same decoding pass (and the same cache) as the waveform peaks.
 */

#define ASSAY_TYPE_ANALYSIS (assay_analysis_get_type ())
G_DECLARE_FINAL_TYPE (AssayAnalysis, assay_analysis, ASSAY, ANALYSIS, GObject)

/**
 * assay_analysis_new_for_peaks:
 * Computes the analytics from @peaks (complete) of the recording @path, with @params
 * (%NULL for the defaults). Cheap: a few milliseconds for an hour.
 */
AssayAnalysis *assay_analysis_new_for_peaks (const char              *path,
                                             AssayPeaks              *peaks,
                                             const AssaySpeechParams *params);

/**
 * assay_analysis_run_sync:
 * Decodes @path (or reads its peaks cache, unless @flags say not to) and computes the
 * analytics. Blocks: for workers, assayctl and tests.
 * Returns: (transfer full) (nullable): the analysis, or %NULL with @error set
 * (%ASSAY_MEDIA_ERROR, %G_IO_ERROR_CANCELLED).
 */
AssayAnalysis *assay_analysis_run_sync      (const char              *path,
                                             const AssaySpeechParams *params,
                                             AssayPeaksFlags          flags,
                                             GCancellable            *cancellable,
                                             GError                 **error);

/** assay_analysis_run_async: as assay_analysis_run_sync() on a worker thread. */
void           assay_analysis_run_async     (const char              *path,
                                             const AssaySpeechParams *params,
                                             AssayPeaksFlags          flags,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);

/** assay_analysis_run_finish: Returns: (transfer full) (nullable): the analysis. */
AssayAnalysis *assay_analysis_run_finish    (GAsyncResult            *result,
                                             GError                 **error);

/** assay_analysis_get_file: the path analysed. */
const char    *assay_analysis_get_file            (AssayAnalysis *self);
/** assay_analysis_get_duration: length of the recording in seconds. */
double         assay_analysis_get_duration        (AssayAnalysis *self);
/** assay_analysis_get_channels: the recording's channel count. */
guint          assay_analysis_get_channels        (AssayAnalysis *self);
/** assay_analysis_get_sample_rate: the recording's sample rate in Hz. */
guint          assay_analysis_get_sample_rate     (AssayAnalysis *self);
/** assay_analysis_get_agent_channel: the channel taken as the agent (stereo only). */
guint          assay_analysis_get_agent_channel   (AssayAnalysis *self);

/**
 * assay_analysis_get_has_talk_split:
 * %FALSE for mono recordings: then agent/customer talk, talk ratio, over-talk and monologue
 * are unavailable (shown as such, and null in JSON).
 */
gboolean       assay_analysis_get_has_talk_split  (AssayAnalysis *self);

/** assay_analysis_get_agent_talk: seconds the agent speaks (0 without a talk split). */
double         assay_analysis_get_agent_talk      (AssayAnalysis *self);
/** assay_analysis_get_customer_talk: seconds the customer speaks (0 without a talk split). */
double         assay_analysis_get_customer_talk   (AssayAnalysis *self);

/**
 * assay_analysis_get_talk_ratio:
 * The agent's share of all talk, agent / (agent + customer), 0..1; NAN without a talk split
 * or when nobody speaks.
 */
double         assay_analysis_get_talk_ratio      (AssayAnalysis *self);

/** assay_analysis_get_silence: seconds of dead air (stretches of at least silence_min_s). */
double         assay_analysis_get_silence         (AssayAnalysis *self);
/** assay_analysis_get_silence_segments: (transfer none): the dead-air stretches. */
const AssaySegment *assay_analysis_get_silence_segments  (AssayAnalysis *self,
                                                          guint         *n_segments);

/** assay_analysis_get_overtalk: seconds both parties speak at once. */
double         assay_analysis_get_overtalk        (AssayAnalysis *self);
/** assay_analysis_get_overtalk_segments: (transfer none): where both speak at once. */
const AssaySegment *assay_analysis_get_overtalk_segments (AssayAnalysis *self,
                                                          guint         *n_segments);

/** assay_analysis_get_longest_monologue: seconds of the agent's longest monologue. */
double         assay_analysis_get_longest_monologue (AssayAnalysis *self,
                                                     AssaySegment  *segment);

/**
 * assay_analysis_get_voice_segments:
 * (transfer none): where @channel (0 or 1) has voice, for the speech lanes; %NULL with
 * *@n_segments = 0 for a channel the recording does not have.
 */
const AssaySegment *assay_analysis_get_voice_segments    (AssayAnalysis *self,
                                                          guint          channel,
                                                          guint         *n_segments);

/** assay_analysis_get_params: the parameters the analysis ran with. */
const AssaySpeechParams *assay_analysis_get_params (AssayAnalysis *self);

/**
 * assay_analysis_to_summary:
 * The figures and lanes as plain data (see #AssaySpeechSummary), for JSON and the store.
 * Returns: (transfer full): free with assay_speech_summary_free().
 */
AssaySpeechSummary      *assay_analysis_to_summary (AssayAnalysis *self);

G_END_DECLS
