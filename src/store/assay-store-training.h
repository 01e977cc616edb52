/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * Training plans (docs/coaching.md): a plan assigns a course to agents by hand or by rule, each
 * assignment with a due date (the plan's due days from when it was made) and its completion.
 * Rules: "new_hire", agents in their first two weeks (counted from their first contact, since
 * the directory keeps no hire date); "failed_item", agents whose submitted evaluations answered
 * the plan's item "no" at least twice in the last 30 days. Every write queues its sync operation
 * (collections training_plans, training_assignments) and announces ASSAY_STORE_COACHING.
 */

#define ASSAY_TRAINING_NEW_HIRE_DAYS 14
#define ASSAY_TRAINING_FAILED_DAYS   30

/** AssayTrainingPlanSpec: a new plan. */
typedef struct {
  const char         *title;
  const char         *course_id;   /* or NULL */
  const char         *team_id;     /* rules: only this team's agents; or NULL */
  const char         *rule;        /* "manual", "new_hire" or "failed_item" */
  const char         *item_id;     /* failed_item: the form item */
  guint               due_days;
  const char         *created_by;  /* a staff id, or NULL */
  const char * const *agent_ids;   /* manual: the agents, NULL-terminated */
} AssayTrainingPlanSpec;

/** AssayTrainingAssignmentRecord: one agent's assignment of a plan. */
typedef struct {
  char   *id;
  char   *plan_id;
  char   *plan_title;
  char   *agent_id;
  char   *agent_name;
  gint64  due_at;
  gint64  completed_at;        /* 0 while open */
} AssayTrainingAssignmentRecord;

void assay_training_assignment_record_free (AssayTrainingAssignmentRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayTrainingAssignmentRecord,
                               assay_training_assignment_record_free)

/* The agents a rule picks at @now_ms, sorted by id (a NULL-terminated array). */
char  **assay_store_training_rule_agents_sync (AssayStore  *store,
                                               const char  *rule,
                                               const char  *item_id,
                                               const char  *team_id,
                                               gint64       now_ms,
                                               GError     **error);

/* Makes a plan and assigns it (by hand, or to whom its rule picks at @now_ms); returns its id. */
char   *assay_store_create_training_plan_sync (AssayStore                  *store,
                                               const AssayTrainingPlanSpec *spec,
                                               gint64                       now_ms,
                                               GError                     **error);

/* Assigns a rule's plan to whom it picks now and did not have it yet; returns how many. */
gint    assay_store_apply_training_rule_sync  (AssayStore  *store,
                                               const char  *plan_id,
                                               gint64       now_ms,
                                               GError     **error);

/* Marks an assignment completed (or open again). */
gboolean assay_store_complete_training_sync   (AssayStore  *store,
                                               const char  *assignment_id,
                                               gboolean     completed,
                                               GError     **error);

/* Assignments, by due date: all, or one agent's (@agent_id, the agent's own view). */
GPtrArray *assay_store_list_training_sync     (AssayStore  *store,
                                               const char  *agent_id,
                                               GError     **error);

G_END_DECLS
