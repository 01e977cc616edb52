/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"
#include "core/assay-utterances.h"
#include "protocol/assay-transcript.h"

G_BEGIN_DECLS

/*
 * Transcripts of calls and conversations of chats and emails (table `transcript`, one of each
 * kind per interaction, segments kept normalised as assay_utterances_to_json() writes them), and
 * the active review time of evaluations (`evaluation.review_s`).
 */

/**
 * AssayStoredTranscript:
 * A transcript as the store keeps it.
 * @utterances: the lines or messages, in time order
 * @format: the format it was read from
 * @source: the file it was imported from, or %NULL
 */
typedef struct {
  char                  *id;
  char                  *interaction_id;
  AssayUtterances       *utterances;
  AssayTranscriptFormat  format;
  char                  *source;
  gint64                 created_at;
} AssayStoredTranscript;

void assay_stored_transcript_free (AssayStoredTranscript *transcript);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayStoredTranscript, assay_stored_transcript_free)

/**
 * assay_store_put_transcript_sync:
 * Stores @utterances as the transcript (a call) or the conversation (chat, email) of
 * @interaction_id, replacing the one of the same kind it had. Not on the GUI's main thread.
 * Fails with %ASSAY_STORE_ERROR_NOT_FOUND when the interaction does not exist, and
 * %ASSAY_STORE_ERROR_INVALID when @utterances is empty.
 */
gboolean               assay_store_put_transcript_sync  (AssayStore             *store,
                                                         const char             *interaction_id,
                                                         const AssayUtterances  *utterances,
                                                         AssayTranscriptFormat   format,
                                                         const char             *source,
                                                         GError                **error);

/**
 * assay_store_get_transcript_async:
 * Reads the transcript or conversation of @interaction_id (a call's transcript when it has
 * both). The result is %NULL, without an error, when it has none.
 */
void                   assay_store_get_transcript_async  (AssayStore          *store,
                                                          const char          *interaction_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
AssayStoredTranscript *assay_store_get_transcript_finish (AssayStore          *store,
                                                          GAsyncResult        *result,
                                                          GError             **error);
/** assay_store_get_transcript_sync: the same, waiting. Not on the GUI's main thread. */
AssayStoredTranscript *assay_store_get_transcript_sync   (AssayStore          *store,
                                                          const char          *interaction_id,
                                                          GError             **error);

/**
 * assay_store_add_review_time_async:
 * Adds @active_ms (one review session's active time, assay_review_active_ms()) to the
 * evaluation's review time, rounded to the second. The review workspace calls it when the
 * inspector submits or leaves the evaluation. Fails with %ASSAY_STORE_ERROR_NOT_FOUND for an
 * unknown evaluation and %ASSAY_STORE_ERROR_INVALID for a negative time.
 */
void                   assay_store_add_review_time_async  (AssayStore          *store,
                                                           const char          *evaluation_id,
                                                           gint64               active_ms,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean               assay_store_add_review_time_finish (AssayStore          *store,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/** assay_store_add_review_time_sync: the same, waiting. Not on the GUI's main thread. */
gboolean               assay_store_add_review_time_sync   (AssayStore          *store,
                                                           const char          *evaluation_id,
                                                           gint64               active_ms,
                                                           GError             **error);
/**
 * assay_store_get_review_time_sync:
 * The evaluation's active review time in seconds, or -1 with @error set.
 */
gint64                 assay_store_get_review_time_sync   (AssayStore          *store,
                                                           const char          *evaluation_id,
                                                           GError             **error);

G_END_DECLS
