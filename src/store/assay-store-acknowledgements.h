/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * Agents' sign-off (docs/disputes.md): an agent acknowledges an evaluation's current revision
 * (an amendment asks again) or a dispute's outcome, with an optional comment; managers list the
 * submitted evaluations nobody acknowledged within N days.
 */

/** AssayAcknowledgement: one sign-off. @kind is "evaluation" or "dispute". */
typedef struct {
  char   *id;
  char   *kind;
  char   *object_id;
  char   *revision_id;        /* the evaluation revision acknowledged, or %NULL */
  int     revision_number;
  char   *by_id;
  char   *by_name;
  char   *comment;
  gint64  created_at;
} AssayAcknowledgement;

void assay_acknowledgement_free (AssayAcknowledgement *ack);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAcknowledgement, assay_acknowledgement_free)

/**
 * assay_store_acknowledge_async:
 * @kind "evaluation" (its current revision; it must be submitted) or "dispute" (it must be
 * decided), @object_id its id, @by_id the staff id of who acknowledges, @comment optional.
 * Returns the acknowledgement's id; acknowledging the same thing twice is refused.
 */
void   assay_store_acknowledge_async  (AssayStore          *store,
                                       const char          *kind,
                                       const char          *object_id,
                                       const char          *by_id,
                                       const char          *comment,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char  *assay_store_acknowledge_finish (AssayStore          *store,
                                       GAsyncResult        *result,
                                       GError             **error);
char  *assay_store_acknowledge_sync   (AssayStore          *store,
                                       const char          *kind,
                                       const char          *object_id,
                                       const char          *by_id,
                                       const char          *comment,
                                       GError             **error);

/** assay_store_list_acknowledgements_sync: the sign-offs of one evaluation or dispute, oldest first. */
GPtrArray *assay_store_list_acknowledgements_sync (AssayStore  *store,
                                                   const char  *kind,
                                                   const char  *object_id,
                                                   GError     **error);

/** AssayUnacknowledged: a submitted evaluation whose current revision nobody acknowledged. */
typedef struct {
  char   *evaluation_id;
  char   *agent_id;
  char   *agent_name;
  char   *form_name;
  int     revision_number;
  gint64  submitted_at;        /* the current revision's time */
  double  score;
} AssayUnacknowledged;

void assay_unacknowledged_free (AssayUnacknowledged *u);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayUnacknowledged, assay_unacknowledged_free)

/**
 * assay_store_list_unacknowledged_async:
 * Submitted evaluations whose current revision was submitted more than @days days before @now
 * (0: the current time) and is not acknowledged, oldest first, at most @limit.
 */
void       assay_store_list_unacknowledged_async  (AssayStore          *store,
                                                   guint                days,
                                                   gint64               now,
                                                   guint                limit,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *assay_store_list_unacknowledged_finish (AssayStore          *store,
                                                   GAsyncResult        *result,
                                                   GError             **error);
GPtrArray *assay_store_list_unacknowledged_sync   (AssayStore          *store,
                                                   guint                days,
                                                   gint64               now,
                                                   guint                limit,
                                                   GError             **error);

G_END_DECLS
