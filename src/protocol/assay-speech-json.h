/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "core/assay-speech.h"

G_BEGIN_DECLS

/*
 * A recording's speech analysis as JSON, in two documents:
 *
 * - the figures, exactly what `assayctl analyze --json` prints for a file (docs in its --help):
 *   `{"file", "duration_s", "channels", "sample_rate", "talk_s": {"agent", "customer"},
 *   "talk_ratio", "silence_s", "silence_segments", "overtalk_s", "overtalk_segments",
 *   "longest_monologue_s"}` on one line, keys in this order, seconds with two decimals, segments
 *   as `[start, end]` pairs, null for what a mono recording lacks; the store keeps it without
 *   "file";
 * - the lanes the waveform draws: `{"agent_channel", "silence_min_s", "overtalk_min_s",
 *   "voice": [[[start, end], ...] per channel], "longest_monologue": [start, end] or null}`.
 *
 * One writer for both, so the command line and the database never disagree. Reading errors are
 * %ASSAY_SPEECH_ERROR_INVALID with a message that starts with the key at fault.
 */

/**
 * assay_speech_figures_to_json:
 * The figures of @summary as one line of JSON, with the "file" key first when @with_file.
 * Returns: (transfer full): the text.
 */
char               *assay_speech_figures_to_json   (const AssaySpeechSummary *summary,
                                                    gboolean                  with_file);

/**
 * assay_speech_segments_to_json:
 * The lanes of @summary (voice per channel, agent channel, longest monologue) as one line.
 * Returns: (transfer full): the text.
 */
char               *assay_speech_segments_to_json  (const AssaySpeechSummary *summary);

/**
 * assay_speech_summary_from_json:
 * Reads the @figures document and, when not %NULL, the @segments document back into a summary.
 * Unknown keys are ignored (newer writers may add some); missing ones or ones of the wrong type
 * are errors. Returns: (transfer full) (nullable): the summary, or %NULL with @error set.
 */
AssaySpeechSummary *assay_speech_summary_from_json (const char               *figures,
                                                    const char               *segments,
                                                    GError                  **error);

G_END_DECLS
