/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"
#include "core/assay-interaction.h"
#include "core/assay-speech.h"

G_BEGIN_DECLS

/*
 * Speech analyses, one per recording (table `analysis`): the figures and the lanes as the JSON
 * of protocol/assay-speech-json.h, with the analyser version that computed them. An analysis of
 * another version is as good as none: it is computed again and replaced.
 */

/**
 * AssayPendingRecording:
 * A recording with no analysis of the current version.
 */
typedef struct {
  char *recording_id;
  char *interaction_id;
  char *location;          /* a path, or an http(s) address for remote recordings */
  int   channels;          /* ASSAY_NONE when unknown */
  int   agent_channel;     /* ASSAY_NONE for mono or unknown */
} AssayPendingRecording;

void assay_pending_recording_free (AssayPendingRecording *recording);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayPendingRecording, assay_pending_recording_free)

/**
 * assay_store_save_analysis_async:
 * Stores @summary as the analysis of @recording_id, computed now by %ASSAY_ANALYSER_VERSION,
 * replacing any earlier one. Fails with %ASSAY_STORE_ERROR_NOT_FOUND when the recording does
 * not exist. @summary is written out before this returns; the caller keeps it.
 */
void                assay_store_save_analysis_async   (AssayStore                *store,
                                                       const char                *recording_id,
                                                       const AssaySpeechSummary  *summary,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
gboolean            assay_store_save_analysis_finish  (AssayStore                *store,
                                                       GAsyncResult              *result,
                                                       GError                   **error);
/** assay_store_save_analysis_sync: as assay_store_save_analysis_async(), waiting. */
gboolean            assay_store_save_analysis_sync    (AssayStore                *store,
                                                       const char                *recording_id,
                                                       const AssaySpeechSummary  *summary,
                                                       GError                   **error);

/**
 * assay_store_load_analysis_async:
 * The stored analysis of @interaction_id's first recording (the one the review page plays).
 * The finish function returns %NULL without an error when there is none of the current
 * analyser version (no recording, never analysed, analysed by another version, or unreadable).
 */
void                assay_store_load_analysis_async   (AssayStore                *store,
                                                       const char                *interaction_id,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
/** Returns: (transfer full) (nullable): the summary, its "file" the recording's location. */
AssaySpeechSummary *assay_store_load_analysis_finish  (AssayStore                *store,
                                                       GAsyncResult              *result,
                                                       GError                   **error);
/** assay_store_load_analysis_sync: as assay_store_load_analysis_async(), waiting. */
AssaySpeechSummary *assay_store_load_analysis_sync    (AssayStore                *store,
                                                       const char                *interaction_id,
                                                       GError                   **error);

/**
 * assay_store_list_pending_analyses_sync:
 * Every recording without an analysis of the current version, in the order they were added.
 * Returns: (transfer full) (element-type AssayPendingRecording): the list (maybe empty), or
 * %NULL with @error set.
 */
GPtrArray          *assay_store_list_pending_analyses_sync (AssayStore  *store,
                                                            GError     **error);

G_END_DECLS
