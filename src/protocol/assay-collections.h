/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The sync collections, declared once for client and server (docs/sync-protocol.md, "Collections"
 * and "How to add a collection"). Each row names the collection on the wire, the client's local
 * table, who may read which objects, who may write them with which actions, and the conflict
 * rule. The server enforces exactly this table on every feed and every write; the client uses it
 * to hide what the signed-in roles cannot use (hiding is never the protection).
 */

typedef enum {
  ASSAY_ROLE_INSPECTOR,
  ASSAY_ROLE_LEAD,
  ASSAY_ROLE_MANAGER,
  ASSAY_ROLE_AGENT,
  ASSAY_ROLE_ADMIN,
  ASSAY_N_ROLES
} AssayRole;

/**
 * AssayScope:
 * Which objects of a collection a right covers. Rights of several roles add up.
 * @ASSAY_SCOPE_NONE: none
 * @ASSAY_SCOPE_ALL: every object (one centre per server in v1: "centre" and "all" agree)
 * @ASSAY_SCOPE_OWN: objects whose owner member is the caller's staff id
 * @ASSAY_SCOPE_TEAMS: objects whose team is one the caller leads
 * @ASSAY_SCOPE_AGENT: objects whose agent is the caller's agent record
 * @ASSAY_SCOPE_AGENT_SUBMITTED: as %ASSAY_SCOPE_AGENT, and submitted
 * @ASSAY_SCOPE_AGENT_FORMS: form versions used by a submitted evaluation of the caller's agent
 * @ASSAY_SCOPE_SESSION: calibration: the caller takes part in the session (its lead, its expert or
 *   an invited inspector); for a session's scorings and consensus, the session they belong to
 * @ASSAY_SCOPE_SESSION_OPENED: as %ASSAY_SCOPE_SESSION once the lead opened or closed the session,
 *   and always the caller's own objects (owner member): blind scoring on the server
 * @ASSAY_SCOPE_SESSION_LEAD: calibration: the caller is the session's lead or its expert
 */
typedef enum {
  ASSAY_SCOPE_NONE,
  ASSAY_SCOPE_ALL,
  ASSAY_SCOPE_OWN,
  ASSAY_SCOPE_TEAMS,
  ASSAY_SCOPE_AGENT,
  ASSAY_SCOPE_AGENT_SUBMITTED,
  ASSAY_SCOPE_AGENT_FORMS,
  ASSAY_SCOPE_SESSION,
  ASSAY_SCOPE_SESSION_OPENED,
  ASSAY_SCOPE_SESSION_LEAD,
} AssayScope;

/** AssayOpAction: the actions of an operation, as flags so a right can list several. */
typedef enum {
  ASSAY_OP_CREATE = 1 << 0,
  ASSAY_OP_UPDATE = 1 << 1,
  ASSAY_OP_SUBMIT = 1 << 2,
  ASSAY_OP_AMEND  = 1 << 3,
  ASSAY_OP_DELETE = 1 << 4,
} AssayOpAction;

/**
 * AssayConflictRule:
 * @ASSAY_CONFLICT_SERVER_WINS: the server writes; every client operation is rejected
 *   (seed, import and the server's own tools write these)
 * @ASSAY_CONFLICT_CAS: create once (a second create of the id is a conflict), update and delete
 *   compare-and-swap on baseRev (used for immutable form versions and assignments)
 * @ASSAY_CONFLICT_REVISIONS: as evaluations: a draft is compare-and-swapped on baseRev (conflict
 *   returns the current object); once submitted it changes only by amend with a reason, and a
 *   stale amend is rejected; every change of its answers is written to the audit log
 * @ASSAY_CONFLICT_AUTHOR: the author's rule (coaching, training, improvement actions): the
 *   author and those the table grants edit it; create once, update and delete compare-and-swap
 *   on baseRev, and a conflict returns the current object so the edit is kept aside, never lost
 * @ASSAY_CONFLICT_SEALED: as %ASSAY_CONFLICT_CAS until a submit operation seals the object
 *   (the server sets `submittedAt`); after that every change is rejected (calibration scorings)
 */
typedef enum {
  ASSAY_CONFLICT_SERVER_WINS,
  ASSAY_CONFLICT_CAS,
  ASSAY_CONFLICT_REVISIONS,
  ASSAY_CONFLICT_AUTHOR,
  ASSAY_CONFLICT_SEALED,
} AssayConflictRule;

typedef struct {
  AssayScope read;
  AssayScope write;     /* which objects the role may write ... */
  guint      actions;   /* ... with which AssayOpAction flags */
} AssayCollectionRight;

/**
 * AssayCollection:
 * @name: the collection on the wire ("evaluations")
 * @local_table: the client's table holding it
 * @conflict: the conflict rule
 * @rights: per #AssayRole
 * @owner_member: the data member naming the owning staff id ("inspectorId"), or %NULL
 * @team_member: the data member naming the team ("teamId"; "id" for the teams themselves), or %NULL
 * @agent_member: the data member naming the agent ("agentId"; "id" for agents), or %NULL
 * @parent: the collection this one's team and agent come from ("interactions"), or %NULL
 * @parent_member: the data member naming the parent object ("interactionId")
 * @required: data members every write must carry, %NULL-terminated
 * @audited: every write is a score change and goes to the audit log
 */
typedef struct {
  const char           *name;
  const char           *local_table;
  AssayConflictRule     conflict;
  AssayCollectionRight  rights[ASSAY_N_ROLES];
  const char           *owner_member;
  const char           *team_member;
  const char           *agent_member;
  const char           *parent;
  const char           *parent_member;
  const char *const    *required;
  gboolean              audited;
} AssayCollection;

/** assay_collections_get: the table, in feed order (parents before children). */
const AssayCollection *assay_collections_get        (guint           *n_collections);
/** assay_collection_lookup: the collection called @name, or %NULL. */
const AssayCollection *assay_collection_lookup      (const char      *name);

/** assay_role_name: "inspector", "lead", "manager", "agent", "admin". */
const char            *assay_role_name              (AssayRole        role);
/** assay_role_from_name: %FALSE for an unknown name. */
gboolean               assay_role_from_name         (const char      *name,
                                                     AssayRole       *out);
/**
 * assay_roles_parse:
 * A comma list of role names ("inspector,lead") as a bit set of 1 << #AssayRole.
 * Returns: %FALSE naming the first unknown role in @error (G_OPTION_ERROR_BAD_VALUE).
 */
gboolean               assay_roles_parse            (const char      *text,
                                                     guint           *out_roles,
                                                     GError         **error);
/** assay_roles_to_string: the bit set as a comma list in role order. */
char                  *assay_roles_to_string        (guint            roles);

/** assay_op_action_name / assay_op_action_from_name: "create", "update", ... */
const char            *assay_op_action_name         (AssayOpAction    action);
gboolean               assay_op_action_from_name    (const char      *name,
                                                     AssayOpAction   *out);

/** assay_collection_can_read: whether any of @roles may read some objects of @collection. */
gboolean               assay_collection_can_read    (const AssayCollection *collection,
                                                     guint                  roles);
/** assay_collection_write_actions: the actions any of @roles may take on some objects. */
guint                  assay_collection_write_actions (const AssayCollection *collection,
                                                       guint                  roles);

G_END_DECLS
