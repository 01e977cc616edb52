/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/assay-audit.h"
#include "assay-store.h"

G_BEGIN_DECLS

/*
 * Mystery-shopper audits (docs/audits.md). A programme holds scenarios (what the shopper says
 * or does, the channel, the site, queue or team it targets, what to observe, the form version
 * to score with, a monthly quota); shoppers are staff or an agency's people; visits and test
 * calls are scheduled with a due day. An audit is filled like an evaluation: a draft saved as
 * typed, submitted, amended with a reason, every submission an append-only revision. The store
 * scores every draft itself through the form engine (core/assay-scoring.h) on the audit's form
 * version, so a score is never taken from the caller. Every write queues its sync operation
 * (collections audit_programmes, audit_scenarios, audit_shoppers, audit_visits, audits) in the
 * same transaction and announces ASSAY_STORE_AUDITS.
 */

typedef struct {
  char   *id;
  char   *name;
  char   *description;
  gint64  starts_at;
  gint64  ends_at;
  guint   n_scenarios;
} AssayAuditProgrammeRecord;

void assay_audit_programme_record_free (AssayAuditProgrammeRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditProgrammeRecord, assay_audit_programme_record_free)

typedef struct {
  char     *id;
  char     *programme_id;
  char     *name;
  char     *channel;          /* "phone", "chat", "email" or "visit" */
  char     *site;             /* or NULL */
  char     *queue;            /* or NULL */
  char     *team_id;          /* or NULL */
  char     *target;           /* what the schedule groups by: the team's name, else site, else queue */
  char     *script;
  char     *observe;
  char     *form_version_id;
  guint     monthly_quota;
  gboolean  active;
} AssayAuditScenarioRecord;

void assay_audit_scenario_record_free (AssayAuditScenarioRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditScenarioRecord, assay_audit_scenario_record_free)

typedef struct {
  char     *id;
  char     *name;
  char     *kind;             /* "internal" or "agency" */
  char     *agency;           /* or NULL */
  char     *phone;            /* the number test calls come from, or NULL */
  char     *staff_id;         /* or NULL */
  gboolean  active;
} AssayAuditShopperRecord;

void assay_audit_shopper_record_free (AssayAuditShopperRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditShopperRecord, assay_audit_shopper_record_free)

typedef struct {
  char             *id;
  char             *scenario_id;
  char             *scenario_name;
  char             *channel;
  char             *target;
  char             *shopper_id;      /* or NULL */
  char             *shopper_name;    /* or NULL */
  gint64            due_at;          /* overdue from this instant */
  AssayAuditStatus  status;
  char             *audit_id;        /* the audit filled for it, or NULL */
} AssayAuditVisitRecord;

void assay_audit_visit_record_free (AssayAuditVisitRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditVisitRecord, assay_audit_visit_record_free)

/**
 * AssayAuditRecord:
 * An audit as the form view and the lists need it. @answers and @results are the JSON of
 * docs/forms.md: those of the open draft if there is one, else those of the current revision.
 * @score is NAN when nothing scorable was answered.
 */
typedef struct {
  char     *id;
  char     *visit_id;         /* or NULL */
  char     *scenario_id;
  char     *scenario_name;
  char     *channel;
  char     *target;
  char     *form_version_id;
  char     *shopper_id;       /* or NULL */
  char     *shopper_name;     /* or NULL */
  char     *author_id;
  char     *agent_id;         /* or NULL */
  char     *interaction_id;   /* a test call's confirmed contact, or NULL */
  gint64    visited_at;
  char     *state;            /* "draft" or "submitted"; NULL before the first save */
  gboolean  amending;
  char     *answers;
  double    score;
  char     *results;
  gint64    saved_at;         /* the draft's last save, 0 without a draft */
  int       revision;         /* the current revision's number, 0 before the first submit */
  gint64    updated_at;
} AssayAuditRecord;

void              assay_audit_record_free (AssayAuditRecord       *record);
AssayAuditRecord *assay_audit_record_copy (const AssayAuditRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditRecord, assay_audit_record_free)

/** AssayAuditQuotaRecord: one target's month: quota, audits done, still due, visits overdue. */
typedef struct {
  char     *target;
  char     *team_id;          /* or NULL */
  guint     quota;
  guint     done;             /* submitted audits visited in the month */
  guint     due;              /* quota less done, never below 0 */
  guint     scheduled;        /* visits planned in the month, not cancelled */
  guint     overdue;          /* of those, past their day without a submitted audit */
  gboolean  behind;           /* done fewer than the elapsed share of the month calls for */
} AssayAuditQuotaRecord;

void assay_audit_quota_record_free (AssayAuditQuotaRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditQuotaRecord, assay_audit_quota_record_free)

/* ---- programme: writes (each returns the new id) ---- */

/** assay_store_audits_create_programme_sync: a programme running [@starts_at, @ends_at). */
char *assay_store_audits_create_programme_sync (AssayStore  *store,
                                                const char  *name,
                                                const char  *description,
                                                gint64       starts_at,
                                                gint64       ends_at,
                                                const char  *created_by,
                                                GError     **error);

/**
 * assay_store_audits_create_scenario_sync:
 * A scenario of @programme_id on @channel targeting a @site, @queue or @team_id (one at least),
 * scored with the published @form_version_id, @monthly_quota audits a month.
 */
char *assay_store_audits_create_scenario_sync  (AssayStore  *store,
                                                const char  *programme_id,
                                                const char  *name,
                                                const char  *channel,
                                                const char  *site,
                                                const char  *queue,
                                                const char  *team_id,
                                                const char  *script,
                                                const char  *observe,
                                                const char  *form_version_id,
                                                guint        monthly_quota,
                                                GError     **error);

/** assay_store_audits_create_shopper_sync: a shopper, "internal" or "agency". */
char *assay_store_audits_create_shopper_sync   (AssayStore  *store,
                                                const char  *name,
                                                const char  *kind,
                                                const char  *agency,
                                                const char  *phone,
                                                const char  *staff_id,
                                                GError     **error);

/** assay_store_audits_schedule_visit_sync: a visit of @scenario_id due by the end of @due_at. */
char *assay_store_audits_schedule_visit_sync   (AssayStore  *store,
                                                const char  *scenario_id,
                                                const char  *shopper_id,
                                                gint64       due_at,
                                                GError     **error);

/** assay_store_audits_schedule_visit_async: as the _sync call, for the UI. */
void  assay_store_audits_schedule_visit_async  (AssayStore          *store,
                                                const char          *scenario_id,
                                                const char          *shopper_id,
                                                gint64               due_at,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char *assay_store_audits_schedule_visit_finish (AssayStore    *store,
                                                GAsyncResult  *result,
                                                GError       **error);

/* ---- audits ---- */

/**
 * assay_store_audits_open_async:
 * The audit of @visit_id, or — when there is none yet — a new record (state %NULL, a fresh id,
 * the scenario's form version) that the first draft save creates. Without a visit, a new
 * audit of @scenario_id.
 */
void              assay_store_audits_open_async    (AssayStore          *store,
                                                    const char          *visit_id,
                                                    const char          *scenario_id,
                                                    const char          *author_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
AssayAuditRecord *assay_store_audits_open_finish   (AssayStore          *store,
                                                    GAsyncResult        *result,
                                                    GError             **error);
AssayAuditRecord *assay_store_audits_open_sync     (AssayStore          *store,
                                                    const char          *visit_id,
                                                    const char          *scenario_id,
                                                    const char          *author_id,
                                                    GError             **error);
/** assay_store_audits_get_sync: the audit @audit_id. */
AssayAuditRecord *assay_store_audits_get_sync      (AssayStore          *store,
                                                    const char          *audit_id,
                                                    GError             **error);
void              assay_store_audits_get_async     (AssayStore          *store,
                                                    const char          *audit_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
AssayAuditRecord *assay_store_audits_get_finish    (AssayStore          *store,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/**
 * assay_store_audits_save_draft_async:
 * Saves @record's answers (its id, visit or scenario, form version, author, visited_at,
 * answers) as the draft in one transaction: the audit is created on the first save, a submitted
 * one gets an amendment draft. The answers are parsed and scored on the audit's form version
 * (answers that do not fit it are refused). Returns the audit as saved, with its score.
 */
void              assay_store_audits_save_draft_async  (AssayStore             *store,
                                                        const AssayAuditRecord *record,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
AssayAuditRecord *assay_store_audits_save_draft_finish (AssayStore             *store,
                                                        GAsyncResult           *result,
                                                        GError                **error);
AssayAuditRecord *assay_store_audits_save_draft_sync   (AssayStore             *store,
                                                        const AssayAuditRecord *record,
                                                        GError                **error);

/**
 * assay_store_audits_submit_async:
 * Turns the draft into the next revision, by @author_id. The first is the submission; later
 * ones are amendments and need a @reason. Refused while required items are unanswered or a
 * comment is missing. Returns the revision number (0 on error).
 */
void assay_store_audits_submit_async  (AssayStore          *store,
                                       const char          *audit_id,
                                       const char          *author_id,
                                       const char          *reason,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
int  assay_store_audits_submit_finish (AssayStore          *store,
                                       GAsyncResult        *result,
                                       GError             **error);
int  assay_store_audits_submit_sync   (AssayStore          *store,
                                       const char          *audit_id,
                                       const char          *author_id,
                                       const char          *reason,
                                       GError             **error);

/**
 * assay_store_audits_list_revisions_sync:
 * The revisions of @audit_id, oldest first (AssayRevisionRecord of assay-store-evaluations.h).
 */
GPtrArray *assay_store_audits_list_revisions_sync (AssayStore  *store,
                                                   const char  *audit_id,
                                                   GError     **error);

/* ---- reads for the schedule ---- */

/** assay_store_audits_list_programmes_sync: every programme, newest first. */
GPtrArray *assay_store_audits_list_programmes_sync (AssayStore  *store,
                                                    GError     **error);
/** assay_store_audits_list_scenarios_sync: the scenarios of @programme_id (%NULL: all). */
GPtrArray *assay_store_audits_list_scenarios_sync  (AssayStore  *store,
                                                    const char  *programme_id,
                                                    GError     **error);
/** assay_store_audits_list_shoppers_sync: every shopper, by name. */
GPtrArray *assay_store_audits_list_shoppers_sync   (AssayStore  *store,
                                                    GError     **error);

/**
 * assay_store_audits_list_visits_async:
 * The visits whose day falls in [@from_ms, @to_ms) (their due_at, the end of their day, in
 * (@from_ms, @to_ms]), by due time, with their status at @now_ms.
 */
void       assay_store_audits_list_visits_async   (AssayStore          *store,
                                                   gint64               from_ms,
                                                   gint64               to_ms,
                                                   gint64               now_ms,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *assay_store_audits_list_visits_finish  (AssayStore          *store,
                                                   GAsyncResult        *result,
                                                   GError             **error);
GPtrArray *assay_store_audits_list_visits_sync    (AssayStore          *store,
                                                   gint64               from_ms,
                                                   gint64               to_ms,
                                                   gint64               now_ms,
                                                   GError             **error);

/**
 * assay_store_audits_quotas_async:
 * Per target (team, site or queue) of the active scenarios: the month holding @now (in its
 * time zone), its quota, audits done, still due, visits scheduled and overdue.
 */
void       assay_store_audits_quotas_async   (AssayStore          *store,
                                              GDateTime           *now,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray *assay_store_audits_quotas_finish  (AssayStore          *store,
                                              GAsyncResult        *result,
                                              GError             **error);
GPtrArray *assay_store_audits_quotas_sync    (AssayStore          *store,
                                              GDateTime           *now,
                                              GError             **error);

/* ---- evidence files ---- */

/** ASSAY_AUDIT_EVIDENCE_MAX_BYTES: the largest evidence file kept (25 MiB). */
#define ASSAY_AUDIT_EVIDENCE_MAX_BYTES (25 * 1024 * 1024)

/**
 * AssayAuditEvidenceRecord:
 * A file attached to an audit, or to one of its items. The file is kept once per content at
 * @path, `<db>.files/aa/bb/<sha256>`.
 */
typedef struct {
  char   *audit_id;
  char   *item_id;             /* "" for the whole audit */
  char   *sha256;
  gint64  size;
  char   *media_type;
  char   *file_name;           /* the name it was attached under */
  gint64  added_at;
  char   *path;
  guint   stripped;            /* on attaching: metadata segments left out of a photo */
} AssayAuditEvidenceRecord;

void assay_audit_evidence_record_free (AssayAuditEvidenceRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditEvidenceRecord, assay_audit_evidence_record_free)

/** assay_store_audits_files_dir: the evidence folder of @store's database, `<db>.files`. */
char *assay_store_audits_files_dir (AssayStore  *store);

/**
 * assay_store_audits_blob_path:
 * Where the file with @sha256 lives under @files_dir. Refused (%ASSAY_STORE_ERROR_INVALID) when
 * @sha256 is no SHA-256 in lower-case hex or the path would leave @files_dir (a folder in it
 * that is a link elsewhere).
 */
char *assay_store_audits_blob_path (const char  *files_dir,
                                    const char  *sha256,
                                    GError     **error);

/**
 * assay_store_audits_add_evidence_async:
 * Attaches the file at @source_path to the draft (or amendment draft) of @audit_id, for
 * @item_id (%NULL or "" for the whole audit): refused above %ASSAY_AUDIT_EVIDENCE_MAX_BYTES;
 * location and camera metadata are stripped from a photo (core/assay-photo-meta.h) before its
 * SHA-256 is taken, and the file is written once per content. The blob, the evidence row and
 * the audit's sync operation are one transaction.
 */
void                      assay_store_audits_add_evidence_async  (AssayStore          *store,
                                                                  const char          *audit_id,
                                                                  const char          *item_id,
                                                                  const char          *source_path,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
AssayAuditEvidenceRecord *assay_store_audits_add_evidence_finish (AssayStore          *store,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
AssayAuditEvidenceRecord *assay_store_audits_add_evidence_sync   (AssayStore          *store,
                                                                  const char          *audit_id,
                                                                  const char          *item_id,
                                                                  const char          *source_path,
                                                                  GError             **error);

/** assay_store_audits_list_evidence_async: the evidence of @audit_id, in the order added. */
void       assay_store_audits_list_evidence_async  (AssayStore          *store,
                                                    const char          *audit_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray *assay_store_audits_list_evidence_finish (AssayStore          *store,
                                                    GAsyncResult        *result,
                                                    GError             **error);
GPtrArray *assay_store_audits_list_evidence_sync   (AssayStore          *store,
                                                    const char          *audit_id,
                                                    GError             **error);

/* ---- test calls meet the centre's records ---- */

/** AssayAuditMatchRecord: a recorded contact that may be an audit's test call. */
typedef struct {
  char     *interaction_id;
  char     *queue;
  char     *channel;
  char     *customer_ref;
  char     *agent_id;
  char     *agent_name;
  gint64    started_at;
  gint64    offset_ms;        /* started_at − the audit's visited_at */
  gboolean  confirmed;        /* the one already linked to the audit */
} AssayAuditMatchRecord;

void assay_audit_match_record_free (AssayAuditMatchRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditMatchRecord, assay_audit_match_record_free)

/**
 * assay_store_audits_match_test_call_async:
 * The contacts that may be @audit_id's test call: on the scenario's channel and queue (when it
 * names one), started within @window_ms of the audit's visit, from the shopper's number (the
 * contact's customer reference, compared digit by digit; a number of 7 digits or more may lack
 * the country code). Closest in time first. Nothing is linked until
 * assay_store_audits_confirm_test_call_async().
 */
void       assay_store_audits_match_test_call_async  (AssayStore          *store,
                                                      const char          *audit_id,
                                                      gint64               window_ms,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray *assay_store_audits_match_test_call_finish (AssayStore          *store,
                                                      GAsyncResult        *result,
                                                      GError             **error);
GPtrArray *assay_store_audits_match_test_call_sync   (AssayStore          *store,
                                                      const char          *audit_id,
                                                      gint64               window_ms,
                                                      GError             **error);

/**
 * assay_store_audits_confirm_test_call_async:
 * @user_id confirms that @interaction_id (%NULL: none) is @audit_id's test call: the audit
 * links it (its recording, KPI facts and evaluations show beside the audit) and queues its sync
 * operation.
 */
void     assay_store_audits_confirm_test_call_async  (AssayStore          *store,
                                                      const char          *audit_id,
                                                      const char          *interaction_id,
                                                      const char          *user_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean assay_store_audits_confirm_test_call_finish (AssayStore          *store,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean assay_store_audits_confirm_test_call_sync   (AssayStore          *store,
                                                      const char          *audit_id,
                                                      const char          *interaction_id,
                                                      const char          *user_id,
                                                      GError             **error);

/* ---- results ---- */

/**
 * AssayAuditResultRecord:
 * One scenario's submitted audits in a period beside the internal QA score of the same team
 * (evaluations of its contacts in the period, current revisions), both plain means with n.
 * @gap is audit − QA in points, NAN when either is missing.
 */
typedef struct {
  char   *scenario_id;
  char   *scenario_name;
  char   *channel;
  char   *target;
  char   *team_id;          /* or NULL: no QA score to compare with */
  guint   n_audits;
  double  audit_mean;       /* NAN without audits */
  guint   n_evaluations;
  double  qa_mean;          /* NAN without evaluations or team */
  double  gap;
} AssayAuditResultRecord;

void assay_audit_result_record_free (AssayAuditResultRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAuditResultRecord, assay_audit_result_record_free)

/**
 * assay_store_audits_results_async:
 * Per scenario with audits visited in [@from_ms, @to_ms): the audit mean and the team's QA mean
 * for the same period, the largest disagreement (|gap|) first.
 */
void       assay_store_audits_results_async  (AssayStore          *store,
                                              gint64               from_ms,
                                              gint64               to_ms,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray *assay_store_audits_results_finish (AssayStore          *store,
                                              GAsyncResult        *result,
                                              GError             **error);
GPtrArray *assay_store_audits_results_sync   (AssayStore          *store,
                                              gint64               from_ms,
                                              gint64               to_ms,
                                              GError             **error);

/**
 * assay_audit_results_to_csv:
 * The results as CSV (docs/audits.md): a header, then one record a scenario, figures with a
 * dot and two decimals, empty where absent.
 */
char      *assay_audit_results_to_csv        (GPtrArray           *results);

/** assay_store_audits_get_definition_sync: the form definition (JSON) @audit_id is scored on. */
char      *assay_store_audits_get_definition_sync (AssayStore  *store,
                                                   const char  *audit_id,
                                                   GError     **error);

G_END_DECLS
