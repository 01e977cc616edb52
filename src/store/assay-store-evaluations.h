/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/**
 * AssayEvaluationRecord:
 * An evaluation as the scoring panel and the lists need it. @answers and @results are the
 * JSON documents of docs/forms.md: those of the open draft if there is one, else those of the
 * current revision. @score is NAN when nothing scorable was answered.
 */
typedef struct {
  char     *id;
  char     *interaction_id;
  char     *form_version_id;
  char     *inspector_id;
  char     *assignment_id;
  char     *state;              /* "draft" or "submitted"; NULL while not yet saved */
  gboolean  amending;           /* submitted, with an amendment draft open */
  char     *answers;
  double    score;
  char     *results;
  gint64    created_at;
  gint64    updated_at;
  gint64    saved_at;           /* when the draft was last saved, 0 if there is no draft */
  int       revision;           /* the current revision's number, 0 before the first submit */
  /* for lists */
  char     *inspector_name;
  char     *agent_name;
  char     *form_name;
  int       form_version;
  char     *channel;
  char     *queue;
  gint64    interaction_started_at;
  gint64    review_s;           /* active review time so far (docs/forms.md), seconds */
} AssayEvaluationRecord;

void assay_evaluation_record_free (AssayEvaluationRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayEvaluationRecord, assay_evaluation_record_free)

/**
 * AssayRevisionRecord:
 * One submitted state of an evaluation: number 1 is the submission, later ones amendments
 * with their reason.
 */
typedef struct {
  char   *id;
  int     number;
  char   *author_id;
  char   *author_name;
  gint64  created_at;
  char   *reason;
  double  score;
  char   *answers;
  char   *results;
} AssayRevisionRecord;

void assay_revision_record_free (AssayRevisionRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayRevisionRecord, assay_revision_record_free)

/**
 * AssayStaffRecord:
 * A person using Assay. "Me" is the one this workstation's user is.
 */
typedef struct _AssayStaffRecord {
  char *id;
  char *name;
  char *roles;
} AssayStaffRecord;

void assay_staff_record_free (AssayStaffRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayStaffRecord, assay_staff_record_free)

/** assay_store_get_me_async: the staff row of this workstation's user, made on first use. */
void              assay_store_get_me_async         (AssayStore           *store,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
AssayStaffRecord *assay_store_get_me_finish        (AssayStore           *store,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/**
 * assay_store_open_evaluation_async:
 * The evaluation of @interaction_id by @inspector_id, or — when there is none yet — a new
 * record (state %NULL, a fresh id, pinned to @form_version_id) that the first draft save creates.
 */
void                   assay_store_open_evaluation_async  (AssayStore          *store,
                                                           const char          *interaction_id,
                                                           const char          *form_version_id,
                                                           const char          *inspector_id,
                                                           const char          *assignment_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
AssayEvaluationRecord *assay_store_open_evaluation_finish (AssayStore          *store,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/** assay_store_get_evaluation_async: the evaluation with @evaluation_id. */
void                   assay_store_get_evaluation_async   (AssayStore          *store,
                                                           const char          *evaluation_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
AssayEvaluationRecord *assay_store_get_evaluation_finish  (AssayStore          *store,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/**
 * assay_store_save_draft_async:
 * Writes the answers of @record (its id, interaction, form version, inspector, assignment,
 * answers, score, results) as its draft in one transaction: the evaluation row is created on the
 * first save; a submitted evaluation gets an amendment draft. A draft of a not yet submitted
 * evaluation also queues (or updates the unsent) sync operation in the same transaction.
 * Returns the time saved (unix ms) through the finish function.
 */
void     assay_store_save_draft_async          (AssayStore                  *store,
                                                const AssayEvaluationRecord *record,
                                                GCancellable                *cancellable,
                                                GAsyncReadyCallback          callback,
                                                gpointer                     user_data);
gint64   assay_store_save_draft_finish         (AssayStore                  *store,
                                                GAsyncResult                *result,
                                                GError                     **error);
/* As assay_store_save_draft_async(), waiting (assayctl, tests). */
gint64   assay_store_save_draft_sync           (AssayStore                  *store,
                                                const AssayEvaluationRecord *record,
                                                GError                     **error);

/**
 * assay_store_submit_evaluation_async:
 * Freezes the draft as a new revision by @author_id: the first submit makes revision 1; an
 * amendment needs a non-empty @reason and makes the next revision. Returns the revision number.
 */
void     assay_store_submit_evaluation_async   (AssayStore          *store,
                                                const char          *evaluation_id,
                                                const char          *author_id,
                                                const char          *reason,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
int      assay_store_submit_evaluation_finish  (AssayStore          *store,
                                                GAsyncResult        *result,
                                                GError             **error);
int      assay_store_submit_evaluation_sync    (AssayStore          *store,
                                                const char          *evaluation_id,
                                                const char          *author_id,
                                                const char          *reason,
                                                GError             **error);

/** assay_store_discard_amendment_async: drops an open amendment draft. */
void     assay_store_discard_amendment_async   (AssayStore          *store,
                                                const char          *evaluation_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean assay_store_discard_amendment_finish  (AssayStore          *store,
                                                GAsyncResult        *result,
                                                GError             **error);

/** assay_store_list_revisions_async: every revision of an evaluation, oldest first. */
void       assay_store_list_revisions_async    (AssayStore          *store,
                                                const char          *evaluation_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray *assay_store_list_revisions_finish   (AssayStore          *store,
                                                GAsyncResult        *result,
                                                GError             **error);

/**
 * assay_store_list_evaluations_async:
 * Evaluations by @inspector_id (%NULL: everyone's), newest change first, at most @limit.
 * @state is "draft", "submitted" or %NULL for both. Items are #AssayEvaluationRecord.
 */
void       assay_store_list_evaluations_async  (AssayStore          *store,
                                                const char          *inspector_id,
                                                const char          *state,
                                                guint                limit,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray *assay_store_list_evaluations_finish (AssayStore          *store,
                                                GAsyncResult        *result,
                                                GError             **error);

/**
 * assay_store_list_interaction_evaluations_async:
 * Every evaluation of the contact @interaction_id (anyone's, drafts too), newest change first.
 * Items are #AssayEvaluationRecord.
 */
void       assay_store_list_interaction_evaluations_async  (AssayStore          *store,
                                                            const char          *interaction_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GPtrArray *assay_store_list_interaction_evaluations_finish (AssayStore          *store,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
