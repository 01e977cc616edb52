/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"
#include "assay-store-evaluations.h"

G_BEGIN_DECLS

/*
 * Calibration sessions (docs/calibration.md): a lead picks interactions, a published form
 * version, the inspectors and optionally an expert; each inspector scores every interaction
 * blind; the lead opens the answers to all (or closes the session); the lead or the expert sets
 * a consensus answer per item. Every write queues its sync operation in the same transaction.
 */

/** ASSAY_CALIBRATION_SCORING, _OPENED, _CLOSED: the states of a session. */
#define ASSAY_CALIBRATION_SCORING "scoring"
#define ASSAY_CALIBRATION_OPENED  "opened"
#define ASSAY_CALIBRATION_CLOSED  "closed"

/**
 * AssayCalibrationSessionRecord:
 * A session with its counts. @interaction_ids (in the lead's order) and @participant_ids are
 * filled by assay_store_get_calibration_session_*() only; lists leave them %NULL.
 */
typedef struct {
  char   *id;
  char   *name;
  char   *form_version_id;
  char   *form_id;
  char   *form_name;
  int     form_version;
  char   *created_by;
  char   *created_by_name;
  char   *expert_id;           /* or NULL */
  char   *state;               /* ASSAY_CALIBRATION_SCORING, _OPENED or _CLOSED */
  gint64  created_at;
  gint64  opened_at;           /* 0 until the answers were shown to all */
  gint64  closed_at;           /* 0 until closed */
  guint   n_interactions;
  guint   n_participants;
  guint   n_scorings;          /* saved, drafts included */
  guint   n_submitted;
  GStrv   interaction_ids;
  GStrv   participant_ids;
} AssayCalibrationSessionRecord;

void assay_calibration_session_record_free (AssayCalibrationSessionRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCalibrationSessionRecord, assay_calibration_session_record_free)

/** AssayCalibrationScoringRecord: one inspector's answers on one interaction of a session. */
typedef struct {
  char   *id;
  char   *session_id;
  char   *interaction_id;
  char   *inspector_id;
  char   *answers;             /* JSON answers file on the session's form version */
  char   *comments;            /* or NULL */
  gint64  updated_at;
  gint64  submitted_at;        /* 0 while a draft */
} AssayCalibrationScoringRecord;

void assay_calibration_scoring_record_free (AssayCalibrationScoringRecord *record);
AssayCalibrationScoringRecord *
assay_calibration_scoring_record_copy (const AssayCalibrationScoringRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCalibrationScoringRecord, assay_calibration_scoring_record_free)

/** AssayCalibrationConsensusRecord: the consensus answer to one item on one interaction. */
typedef struct {
  char   *interaction_id;
  char   *item_id;
  char   *answer;              /* JSON: one answer, e.g. {"value": "yes"} or {"na": true} */
  char   *set_by;
  gint64  set_at;
} AssayCalibrationConsensusRecord;

void assay_calibration_consensus_record_free (AssayCalibrationConsensusRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCalibrationConsensusRecord, assay_calibration_consensus_record_free)

/**
 * AssayCalibrationSpec:
 * A new session: a name, a published form version, the lead creating it, an optional expert,
 * the interactions (at least one) and the inspectors (at least two, the lead not among them).
 */
typedef struct {
  const char        *name;
  const char        *form_version_id;
  const char        *created_by;
  const char        *expert_id;
  const char *const *interaction_ids;
  const char *const *participant_ids;
} AssayCalibrationSpec;

/** assay_store_create_calibration_session_async: creates a session open for scoring; its id. */
void   assay_store_create_calibration_session_async  (AssayStore                 *store,
                                                      const AssayCalibrationSpec *spec,
                                                      GCancellable               *cancellable,
                                                      GAsyncReadyCallback         callback,
                                                      gpointer                    user_data);
char  *assay_store_create_calibration_session_finish (AssayStore                 *store,
                                                      GAsyncResult               *result,
                                                      GError                    **error);
char  *assay_store_create_calibration_session_sync   (AssayStore                 *store,
                                                      const AssayCalibrationSpec *spec,
                                                      GError                    **error);

/** assay_store_list_calibration_sessions_async: every session, newest first. */
void       assay_store_list_calibration_sessions_async  (AssayStore          *store,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray *assay_store_list_calibration_sessions_finish (AssayStore          *store,
                                                         GAsyncResult        *result,
                                                         GError             **error);
GPtrArray *assay_store_list_calibration_sessions_sync   (AssayStore          *store,
                                                         GError             **error);

/** assay_store_get_calibration_session_async: one session with its interactions and inspectors. */
void
assay_store_get_calibration_session_async  (AssayStore          *store,
                                            const char          *session_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
AssayCalibrationSessionRecord *
assay_store_get_calibration_session_finish (AssayStore          *store,
                                            GAsyncResult        *result,
                                            GError             **error);
AssayCalibrationSessionRecord *
assay_store_get_calibration_session_sync   (AssayStore          *store,
                                            const char          *session_id,
                                            GError             **error);

/**
 * assay_store_set_calibration_state_async:
 * The session's lead (@by_id) opens the answers to all (ASSAY_CALIBRATION_OPENED) or closes
 * the session (ASSAY_CALIBRATION_CLOSED). A closed session stays closed.
 */
void     assay_store_set_calibration_state_async  (AssayStore          *store,
                                                   const char          *session_id,
                                                   const char          *state,
                                                   const char          *by_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean assay_store_set_calibration_state_finish (AssayStore          *store,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean assay_store_set_calibration_state_sync   (AssayStore          *store,
                                                   const char          *session_id,
                                                   const char          *state,
                                                   const char          *by_id,
                                                   GError             **error);

/**
 * assay_store_save_calibration_scoring_async:
 * Saves @inspector_id's answers on @interaction_id (a JSON answers file, read by the form engine
 * on the session's form version and kept as it writes them) and an overall @comments; with
 * @submit, also submits them (every required item answered, comments where a deduction asks
 * for one), after which they never change. Only while the session is open for scoring.
 */
void     assay_store_save_calibration_scoring_async  (AssayStore          *store,
                                                      const char          *session_id,
                                                      const char          *interaction_id,
                                                      const char          *inspector_id,
                                                      const char          *answers,
                                                      const char          *comments,
                                                      gboolean             submit,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean assay_store_save_calibration_scoring_finish (AssayStore          *store,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean assay_store_save_calibration_scoring_sync   (AssayStore          *store,
                                                      const char          *session_id,
                                                      const char          *interaction_id,
                                                      const char          *inspector_id,
                                                      const char          *answers,
                                                      const char          *comments,
                                                      gboolean             submit,
                                                      GError             **error);

/**
 * assay_store_list_calibration_scorings_async:
 * The scorings of a session that @viewer_id may see, by interaction and inspector. Blind
 * scoring: a viewer sees their own scorings, and others' submitted ones only once the viewer
 * has submitted a scoring for every interaction of the session or the session is opened or
 * closed; a lead who created the session and does not score in it sees the submitted ones.
 * Others' drafts are never shown. @viewer_id %NULL (statistics, assayctl) sees everything.
 */
void       assay_store_list_calibration_scorings_async  (AssayStore          *store,
                                                         const char          *session_id,
                                                         const char          *viewer_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray *assay_store_list_calibration_scorings_finish (AssayStore          *store,
                                                         GAsyncResult        *result,
                                                         GError             **error);
GPtrArray *assay_store_list_calibration_scorings_sync   (AssayStore          *store,
                                                         const char          *session_id,
                                                         const char          *viewer_id,
                                                         GError             **error);

/**
 * assay_store_set_calibration_consensus_async:
 * The lead or the expert (@set_by) sets the consensus answer to @item_id on @interaction_id
 * (@answer: one answer as in an answers file, checked by the form engine), or clears it
 * (@answer %NULL). Not once the session is closed.
 */
void     assay_store_set_calibration_consensus_async  (AssayStore          *store,
                                                       const char          *session_id,
                                                       const char          *interaction_id,
                                                       const char          *item_id,
                                                       const char          *answer,
                                                       const char          *set_by,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean assay_store_set_calibration_consensus_finish (AssayStore          *store,
                                                       GAsyncResult        *result,
                                                       GError             **error);
gboolean assay_store_set_calibration_consensus_sync   (AssayStore          *store,
                                                       const char          *session_id,
                                                       const char          *interaction_id,
                                                       const char          *item_id,
                                                       const char          *answer,
                                                       const char          *set_by,
                                                       GError             **error);

/** assay_store_list_calibration_consensus_async: a session's consensus answers. */
void       assay_store_list_calibration_consensus_async  (AssayStore          *store,
                                                          const char          *session_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GPtrArray *assay_store_list_calibration_consensus_finish (AssayStore          *store,
                                                          GAsyncResult        *result,
                                                          GError             **error);
GPtrArray *assay_store_list_calibration_consensus_sync   (AssayStore          *store,
                                                          const char          *session_id,
                                                          GError             **error);

/** assay_store_list_calibration_staff_async: every person (AssayStaffRecord*), by name. */
void       assay_store_list_calibration_staff_async  (AssayStore          *store,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray *assay_store_list_calibration_staff_finish (AssayStore          *store,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
