/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gio/gio.h>

#include "assay-collections.h"

#define R(scope) { ASSAY_SCOPE_##scope, ASSAY_SCOPE_NONE, 0 }
#define RW(read, write, actions) { ASSAY_SCOPE_##read, ASSAY_SCOPE_##write, (actions) }
#define NO { ASSAY_SCOPE_NONE, ASSAY_SCOPE_NONE, 0 }


static const char *const required_named[] = { "name", NULL };
static const char *const required_user[] = { "login", "name", "roles", NULL };
static const char *const required_interaction[] = { "channel", "startedAt", "agentId", NULL };
static const char *const required_recording[] = { "interactionId", "sha256", "size", NULL };
static const char *const required_form[] = { "formId", "version", "definition", NULL };
static const char *const required_assignment[] = { "interactionId", "inspectorId",
                                                   "formVersionId", NULL };
static const char *const required_evaluation[] = { "interactionId", "formVersionId",
                                                   "inspectorId", "state", "answers", NULL };

static const char *const required_calibration_session[] = { "name", "formVersionId", "createdBy",
                                                           "state", "interactionIds",
                                                           "participantIds", NULL };
static const char *const required_calibration_scoring[] = { "sessionId", "interactionId",
                                                           "inspectorId", "answers", NULL };
static const char *const required_calibration_consensus[] = { "sessionId", "interactionId",
                                                             "itemId", "answer", "setBy", NULL };
static const char *const required_dispute[] = { "evaluationId", "revisionId", "raisedBy", "items",
                                               "reason", "state", NULL };
static const char *const required_acknowledgement[] = { "kind", "objectId", "byId", "agentId",
                                                       NULL };
static const char *const required_coaching_session[] = { "agentId", "coachId", "scheduledAt",
                                                        NULL };
static const char *const required_coaching_goal[] = { "sessionId", "description", "metric",
                                                     "target", "deadline", NULL };
static const char *const required_coaching_action[] = { "sessionId", "description", "dueAt",
                                                       NULL };
static const char *const required_titled[] = { "title", NULL };
static const char *const required_training_assignment[] = { "planId", "agentId", "dueAt", NULL };
static const char *const required_assessment[] = { "title", "kind", "quarter", "passMark",
                                                  "dueAt", NULL };
static const char *const required_assessment_result[] = { "assessmentId", "agentId", "score",
                                                         NULL };
static const char *const required_improvement_action[] = { "problem", "category", "impact",
                                                          "effort", NULL };

#define EVAL_OWN (ASSAY_OP_CREATE | ASSAY_OP_UPDATE | ASSAY_OP_SUBMIT | ASSAY_OP_AMEND \
                  | ASSAY_OP_DELETE)
#define SCORING_OWN (ASSAY_OP_CREATE | ASSAY_OP_UPDATE | ASSAY_OP_SUBMIT)
#define CONSENSUS (ASSAY_OP_CREATE | ASSAY_OP_UPDATE | ASSAY_OP_DELETE)
#define AUTHOR_EDIT (ASSAY_OP_CREATE | ASSAY_OP_UPDATE | ASSAY_OP_DELETE)

/*
 * Rights per role, in AssayRole order: inspector, lead, manager, agent, admin.
 * Keep this table and ROLES.md in agreement; docs/sync-protocol.md prints it.
 */
static const AssayCollection collections[] = {
  { "teams", "team", ASSAY_CONFLICT_SERVER_WINS,
    { R (ALL), R (TEAMS), R (ALL), NO, NO },
    NULL, "id", NULL, NULL, NULL, required_named, FALSE },
  { "agents", "agent", ASSAY_CONFLICT_SERVER_WINS,
    { R (ALL), R (TEAMS), R (ALL), R (AGENT), NO },
    NULL, "teamId", "id", NULL, NULL, required_named, FALSE },
  { "staff", "staff", ASSAY_CONFLICT_SERVER_WINS,
    { R (ALL), R (ALL), R (ALL), NO, R (ALL) },
    NULL, NULL, NULL, NULL, NULL, required_named, FALSE },
  { "users", NULL, ASSAY_CONFLICT_SERVER_WINS,
    { NO, NO, R (ALL), NO, R (ALL) },
    NULL, NULL, NULL, NULL, NULL, required_user, FALSE },
  { "interactions", "interaction", ASSAY_CONFLICT_SERVER_WINS,
    { R (ALL), R (TEAMS), R (ALL), R (AGENT), NO },
    NULL, "teamId", "agentId", NULL, NULL, required_interaction, FALSE },
  { "recordings", "recording", ASSAY_CONFLICT_SERVER_WINS,
    { R (ALL), R (TEAMS), R (ALL), R (AGENT), NO },
    NULL, NULL, NULL, "interactions", "interactionId", required_recording, FALSE },
  { "forms", "form_version", ASSAY_CONFLICT_CAS,
    { R (ALL), R (ALL), RW (ALL, ALL, ASSAY_OP_CREATE), R (AGENT_FORMS), NO },
    NULL, NULL, NULL, NULL, NULL, required_form, FALSE },
  { "assignments", "assignment", ASSAY_CONFLICT_CAS,
    { RW (OWN, OWN, ASSAY_OP_CREATE),
      RW (TEAMS, TEAMS, ASSAY_OP_CREATE | ASSAY_OP_UPDATE | ASSAY_OP_DELETE),
      RW (ALL, ALL, ASSAY_OP_CREATE | ASSAY_OP_UPDATE | ASSAY_OP_DELETE), NO, NO },
    "inspectorId", NULL, NULL, "interactions", "interactionId", required_assignment, FALSE },
  { "evaluations", "evaluation", ASSAY_CONFLICT_REVISIONS,
    { RW (OWN, OWN, EVAL_OWN), RW (TEAMS, TEAMS, ASSAY_OP_AMEND),
      RW (ALL, ALL, ASSAY_OP_AMEND), R (AGENT_SUBMITTED), NO },
    "inspectorId", NULL, NULL, "interactions", "interactionId", required_evaluation, TRUE },

  /* calibration (docs/calibration.md): blind until the lead opens the session */
  { "calibration_sessions", "calibration_session", ASSAY_CONFLICT_CAS,
    { R (SESSION), RW (SESSION, OWN, ASSAY_OP_CREATE | ASSAY_OP_UPDATE),
      RW (ALL, ALL, ASSAY_OP_CREATE | ASSAY_OP_UPDATE), NO, NO },
    "createdBy", NULL, NULL, NULL, NULL, required_calibration_session, FALSE },
  { "calibration_scorings", "calibration_scoring", ASSAY_CONFLICT_SEALED,
    { RW (SESSION_OPENED, OWN, SCORING_OWN), RW (SESSION_OPENED, OWN, SCORING_OWN),
      RW (ALL, OWN, SCORING_OWN), NO, NO },
    "inspectorId", NULL, NULL, "calibration_sessions", "sessionId", required_calibration_scoring,
    FALSE },
  { "calibration_consensus", "calibration_consensus", ASSAY_CONFLICT_CAS,
    { RW (SESSION_OPENED, SESSION_LEAD, CONSENSUS), RW (SESSION_OPENED, SESSION_LEAD, CONSENSUS),
      RW (ALL, ALL, CONSENSUS), NO, NO },
    "setBy", NULL, NULL, "calibration_sessions", "sessionId", required_calibration_consensus,
    FALSE },

  /* disputes and sign-off (docs/disputes.md): scope from the disputed evaluation */
  { "disputes", "dispute", ASSAY_CONFLICT_CAS,
    { R (OWN), RW (TEAMS, TEAMS, ASSAY_OP_CREATE | ASSAY_OP_UPDATE),
      RW (ALL, ALL, ASSAY_OP_CREATE | ASSAY_OP_UPDATE),
      RW (AGENT, AGENT, ASSAY_OP_CREATE | ASSAY_OP_UPDATE), NO },
    NULL, NULL, NULL, "evaluations", "evaluationId", required_dispute, FALSE },
  { "acknowledgements", "acknowledgement", ASSAY_CONFLICT_CAS,
    { NO, R (TEAMS), R (ALL), RW (AGENT, AGENT, ASSAY_OP_CREATE), NO },
    "byId", "teamId", "agentId", NULL, NULL, required_acknowledgement, FALSE },

  /* coaching, training, improvement actions (docs/coaching.md): the author's rule */
  { "coaching_sessions", "coaching_session", ASSAY_CONFLICT_AUTHOR,
    { NO, RW (TEAMS, TEAMS, AUTHOR_EDIT), R (ALL), RW (AGENT, AGENT, ASSAY_OP_UPDATE), NO },
    "coachId", "teamId", "agentId", NULL, NULL, required_coaching_session, FALSE },
  { "coaching_goals", "coaching_goal", ASSAY_CONFLICT_AUTHOR,
    { NO, RW (TEAMS, TEAMS, AUTHOR_EDIT), R (ALL), R (AGENT), NO },
    NULL, NULL, NULL, "coaching_sessions", "sessionId", required_coaching_goal, FALSE },
  { "coaching_actions", "coaching_action", ASSAY_CONFLICT_AUTHOR,
    { NO, RW (TEAMS, TEAMS, AUTHOR_EDIT), R (ALL), R (AGENT), NO },
    NULL, NULL, NULL, "coaching_sessions", "sessionId", required_coaching_action, FALSE },
  { "courses", "course", ASSAY_CONFLICT_AUTHOR,
    { NO, RW (ALL, ALL, ASSAY_OP_CREATE | ASSAY_OP_UPDATE), RW (ALL, ALL, AUTHOR_EDIT), R (ALL),
      NO },
    NULL, NULL, NULL, NULL, NULL, required_titled, FALSE },
  { "training_plans", "training_plan", ASSAY_CONFLICT_AUTHOR,
    { NO, RW (ALL, OWN, AUTHOR_EDIT), RW (ALL, ALL, AUTHOR_EDIT), R (ALL), NO },
    "createdBy", "teamId", NULL, NULL, NULL, required_titled, FALSE },
  { "training_assignments", "training_assignment", ASSAY_CONFLICT_AUTHOR,
    { NO, RW (TEAMS, TEAMS, AUTHOR_EDIT), RW (ALL, ALL, AUTHOR_EDIT), R (AGENT), NO },
    NULL, "teamId", "agentId", NULL, NULL, required_training_assignment, FALSE },
  { "assessments", "assessment", ASSAY_CONFLICT_AUTHOR,
    { NO, RW (ALL, ALL, ASSAY_OP_CREATE | ASSAY_OP_UPDATE), RW (ALL, ALL, AUTHOR_EDIT), R (ALL),
      NO },
    NULL, NULL, NULL, NULL, NULL, required_assessment, FALSE },
  { "assessment_results", "assessment_result", ASSAY_CONFLICT_AUTHOR,
    { NO, RW (TEAMS, TEAMS, AUTHOR_EDIT), RW (ALL, ALL, AUTHOR_EDIT), R (AGENT), NO },
    NULL, "teamId", "agentId", NULL, NULL, required_assessment_result, FALSE },
  { "improvement_actions", "improvement_action", ASSAY_CONFLICT_AUTHOR,
    { R (ALL), RW (ALL, OWN, ASSAY_OP_CREATE | ASSAY_OP_UPDATE), RW (ALL, ALL, AUTHOR_EDIT), NO,
      NO },
    "ownerId", NULL, NULL, NULL, NULL, required_improvement_action, FALSE },
};

static const char *const role_names[ASSAY_N_ROLES] = {
  "inspector", "lead", "manager", "agent", "admin",
};

static const char *const action_names[] = {
  "create", "update", "submit", "amend", "delete",
};

const AssayCollection *
assay_collections_get (guint *n_collections)
{
  *n_collections = G_N_ELEMENTS (collections);
  return collections;
}

const AssayCollection *
assay_collection_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    if (strcmp (collections[i].name, name) == 0)
      return &collections[i];
  return NULL;
}

const char *
assay_role_name (AssayRole role)
{
  g_return_val_if_fail (role < ASSAY_N_ROLES, NULL);
  return role_names[role];
}

gboolean
assay_role_from_name (const char *name,
                      AssayRole  *out)
{
  for (guint i = 0; i < ASSAY_N_ROLES; i++)
    if (g_strcmp0 (role_names[i], name) == 0)
      {
        *out = (AssayRole) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
assay_roles_parse (const char  *text,
                   guint       *out_roles,
                   GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);
  guint roles = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      AssayRole role;

      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (!assay_role_from_name (parts[i], &role))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "unknown role '%s' (roles are inspector, lead, manager, agent, admin)",
                       parts[i]);
          return FALSE;
        }
      roles |= 1u << role;
    }
  if (roles == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "no role given (roles are inspector, lead, manager, agent, admin)");
      return FALSE;
    }
  *out_roles = roles;
  return TRUE;
}

char *
assay_roles_to_string (guint roles)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < ASSAY_N_ROLES; i++)
    if (roles & (1u << i))
      {
        if (s->len > 0)
          g_string_append_c (s, ',');
        g_string_append (s, role_names[i]);
      }
  return g_string_free (s, FALSE);
}

const char *
assay_op_action_name (AssayOpAction action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (action == (AssayOpAction) (1u << i))
      return action_names[i];
  return NULL;
}

gboolean
assay_op_action_from_name (const char    *name,
                           AssayOpAction *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (g_strcmp0 (action_names[i], name) == 0)
      {
        *out = (AssayOpAction) (1u << i);
        return TRUE;
      }
  return FALSE;
}

gboolean
assay_collection_can_read (const AssayCollection *collection,
                           guint                  roles)
{
  for (guint i = 0; i < ASSAY_N_ROLES; i++)
    if ((roles & (1u << i)) && collection->rights[i].read != ASSAY_SCOPE_NONE)
      return TRUE;
  return FALSE;
}

guint
assay_collection_write_actions (const AssayCollection *collection,
                                guint                  roles)
{
  guint actions = 0;

  for (guint i = 0; i < ASSAY_N_ROLES; i++)
    if ((roles & (1u << i)) && collection->rights[i].write != ASSAY_SCOPE_NONE)
      actions |= collection->rights[i].actions;
  return actions;
}
