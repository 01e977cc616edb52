/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"
#include "core/assay-interaction.h"

G_BEGIN_DECLS

/**
 * AssayReviewContext:
 * What the review workspace needs to open an interaction: its facts, its recording (if any)
 * and the form version to score it on (the one pinned by its assignment or evaluation, else the
 * newest published version of the newest form in use).
 */
typedef struct {
  AssayInteractionFacts facts;
  char   *agent_name;
  char   *team_name;
  /* recording: NULL location when the interaction has none */
  char   *recording_id;
  char   *recording_location;
  char   *recording_format;
  int     recording_channels;
  int     recording_agent_channel;   /* ASSAY_NONE for mono */
  double  recording_duration_s;
  /* form */
  char   *form_version_id;
  char   *form_name;
  int     form_version;
  char   *form_definition;             /* JSON, docs/forms.md */
  char   *assignment_id;
} AssayReviewContext;

void assay_review_context_free (AssayReviewContext *context);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayReviewContext, assay_review_context_free)

/**
 * assay_store_get_review_context_async:
 * Reads the context for reviewing @interaction_id. @form_version_id may be %NULL (see
 * #AssayReviewContext); @inspector_id picks the assignment and earlier evaluation.
 * Fails with %ASSAY_STORE_ERROR_NOT_FOUND when the interaction does not exist, and when no
 * published form exists at all.
 */
void                assay_store_get_review_context_async  (AssayStore          *store,
                                                           const char          *interaction_id,
                                                           const char          *form_version_id,
                                                           const char          *inspector_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
AssayReviewContext *assay_store_get_review_context_finish (AssayStore          *store,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
