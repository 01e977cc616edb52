/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-central-records.h"

/* storage shorthands */
#define S(storage, fn, ...) ((storage)->vtable->fn ((storage), __VA_ARGS__))

#define SESSIONS "calibration_sessions"

static const char *
member_string (JsonObject *o,
               const char *member)
{
  JsonNode *node = o != NULL && member != NULL ? json_object_get_member (o, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_set (JsonObject *o,
            const char *member)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, member) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

static gboolean
array_has (JsonObject *o,
           const char *member,
           const char *value)
{
  JsonNode *node = json_object_get_member (o, member);
  JsonArray *array;

  if (value == NULL || node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
          && strcmp (json_node_get_string (element), value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* the stored data of a live object, or NULL (none, deleted, unreadable) */
static JsonNode *
stored_data (AssayCentralStorage *storage,
             const char          *collection,
             const char          *id,
             char               **agent_id,
             GError             **error)
{
  AssayCentralObject object;
  JsonNode *node = NULL;
  int found;

  if (id == NULL)
    return NULL;
  found = S (storage, get_object, collection, id, &object, error);
  if (found <= 0)
    return NULL;
  if (!object.deleted)
    node = assay_central_parse_json (object.data, -1, NULL);
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    g_clear_pointer (&node, json_node_unref);
  if (agent_id != NULL && node != NULL)
    *agent_id = g_strdup (object.agent_id);
  assay_central_object_clear (&object);
  return node;
}

/* the session @data belongs to: @data itself for a session, else its parent */
static JsonNode *
session_of (AssayCentralStorage   *storage,
            const AssayCollection *collection,
            JsonObject            *data)
{
  if (collection->parent == NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, data);
      return g_steal_pointer (&node);
    }
  return stored_data (storage, collection->parent,
                      member_string (data, collection->parent_member), NULL, NULL);
}

static gboolean
is_open_state (const char *state)
{
  return g_strcmp0 (state, "opened") == 0 || g_strcmp0 (state, "closed") == 0;
}

gboolean
assay_central_records_in_scope (AssayCentralStorage       *storage,
                                const AssayCentralCaller  *caller,
                                const AssayCollection     *collection,
                                AssayScope                 scope,
                                const AssayCentralObject  *object)
{
  const char *me = caller->user->id;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) session_node = NULL;
  JsonObject *session;
  gboolean lead, takes_part;

  if (scope == ASSAY_SCOPE_SESSION_OPENED && object->owner_id != NULL
      && g_strcmp0 (object->owner_id, me) == 0)
    return TRUE;
  if (object->data == NULL)
    return FALSE;
  node = assay_central_parse_json (object->data, -1, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  session_node = session_of (storage, collection, json_node_get_object (node));
  if (session_node == NULL)
    return FALSE;
  session = json_node_get_object (session_node);
  lead = g_strcmp0 (member_string (session, "createdBy"), me) == 0
         || g_strcmp0 (member_string (session, "expertId"), me) == 0;
  takes_part = lead || array_has (session, "participantIds", me);
  switch (scope)
    {
    case ASSAY_SCOPE_SESSION_LEAD:
      return lead;
    case ASSAY_SCOPE_SESSION:
      return takes_part;
    case ASSAY_SCOPE_SESSION_OPENED:
      /* blind: nobody is handed another's draft, nor another's submitted scoring before the
       * session is opened; the lead who runs it (and scores in none) watches submissions come */
      if (collection->conflict == ASSAY_CONFLICT_SEALED
          && !member_set (json_node_get_object (node), "submittedAt"))
        return FALSE;
      if (g_strcmp0 (member_string (session, "createdBy"), me) == 0)
        return TRUE;
      return takes_part && is_open_state (member_string (session, "state"));
    default:
      return FALSE;
    }
}

static gboolean
reject (const char **problem,
        char       **detail,
        const char  *name,
        const char  *text)
{
  *problem = name;
  *detail = g_strdup (text);
  return FALSE;
}

static int
state_rank (const char *state)
{
  if (g_strcmp0 (state, "scoring") == 0)
    return 0;
  if (g_strcmp0 (state, "opened") == 0)
    return 1;
  if (g_strcmp0 (state, "closed") == 0)
    return 2;
  return -1;
}

static gboolean
check_calibration_child (AssayCentralStorage    *storage,
                         const AssayCollection  *collection,
                         JsonObject             *before_data,
                         JsonObject             *data,
                         const char            **problem,
                         char                  **detail)
{
  static const char *const fixed[] = { "sessionId", "interactionId", "inspectorId", "itemId" };
  gboolean scoring = strcmp (collection->name, "calibration_scorings") == 0;
  g_autoptr(JsonNode) session_node = NULL;
  JsonObject *session;

  if (before_data != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
      if (g_strcmp0 (member_string (data, fixed[i]), member_string (before_data, fixed[i])) != 0)
        {
          *problem = "immutable-member";
          *detail = g_strdup_printf ("%s: keeps the value it was created with", fixed[i]);
          return FALSE;
        }
  session_node = session_of (storage, collection, data);
  if (session_node == NULL)
    return reject (problem, detail, "invalid-data", "sessionId: no such calibration session");
  session = json_node_get_object (session_node);
  if (g_strcmp0 (member_string (session, "state"), "closed") == 0)
    return reject (problem, detail, "session-closed",
                   "The calibration session is closed: its scorings and consensus no longer "
                   "change");
  if (!array_has (session, "interactionIds", member_string (data, "interactionId")))
    return reject (problem, detail, "invalid-data",
                   "interactionId: not one of the session's interactions");
  if (scoring && !array_has (session, "participantIds", member_string (data, "inspectorId"))
      && g_strcmp0 (member_string (session, "expertId"), member_string (data, "inspectorId")) != 0)
    return reject (problem, detail, "invalid-data",
                   "inspectorId: not invited to score in this session");
  return TRUE;
}

/* an acknowledgement names the agent of what it acknowledges, and nobody else */
static gboolean
check_acknowledgement (AssayCentralStorage  *storage,
                       JsonObject           *data,
                       const char          **problem,
                       char                **detail,
                       GError              **error)
{
  static const struct { const char *kind, *collection; } kinds[] = {
    { "evaluation", "evaluations" },
    { "dispute", "disputes" },
    { "coaching_session", "coaching_sessions" },
  };
  const char *kind = member_string (data, "kind");
  g_autofree char *agent_id = NULL;
  g_autoptr(JsonNode) target = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i].kind) == 0)
      {
        target = stored_data (storage, kinds[i].collection, member_string (data, "objectId"),
                              &agent_id, error);
        if (error != NULL && *error != NULL)
          return FALSE;
        if (target == NULL)
          return reject (problem, detail, "invalid-data",
                         "objectId: no such object on the server (sync it first)");
        if (g_strcmp0 (agent_id, member_string (data, "agentId")) != 0)
          return reject (problem, detail, "invalid-data",
                         "agentId: not the agent of the acknowledged object");
        return TRUE;
      }
  return reject (problem, detail, "invalid-data",
                 "kind: one of evaluation, dispute, coaching_session");
}

gboolean
assay_central_records_check (AssayCentralStorage    *storage,
                             const AssayCollection  *collection,
                             AssayOpAction           action,
                             JsonObject             *before_data,
                             JsonObject             *data,
                             const char            **problem,
                             char                  **detail,
                             GError                **error)
{
  if (collection->conflict == ASSAY_CONFLICT_SEALED)
    {
      if (member_set (before_data, "submittedAt"))
        return reject (problem, detail, "submitted-immutable",
                       "This was submitted: it never changes");
      if (action == ASSAY_OP_SUBMIT)
        json_object_set_int_member (data, "submittedAt", g_get_real_time () / 1000);
      else if (action != ASSAY_OP_DELETE)
        json_object_set_null_member (data, "submittedAt");
    }
  if (action == ASSAY_OP_DELETE)
    return TRUE;

  if (strcmp (collection->name, SESSIONS) == 0)
    {
      int rank = state_rank (member_string (data, "state"));

      if (rank < 0)
        return reject (problem, detail, "invalid-data", "state: scoring, opened or closed");
      if (before_data != NULL
          && g_strcmp0 (member_string (data, "createdBy"),
                        member_string (before_data, "createdBy")) != 0)
        return reject (problem, detail, "immutable-member",
                       "createdBy: a session keeps the lead who created it");
      if (before_data != NULL && rank < state_rank (member_string (before_data, "state")))
        return reject (problem, detail, "invalid-data",
                       "state: a session is opened and closed, never taken back");
      if (before_data == NULL && rank != 0)
        return reject (problem, detail, "invalid-data", "state: a new session is scoring");
    }
  else if (collection->parent != NULL && strcmp (collection->parent, SESSIONS) == 0)
    return check_calibration_child (storage, collection, before_data, data, problem, detail);
  else if (strcmp (collection->name, "acknowledgements") == 0)
    return check_acknowledgement (storage, data, problem, detail, error);
  return TRUE;
}

static gboolean
reannounce (AssayCentralStorage  *storage,
            const char           *collection,
            const char           *session_id,
            GError              **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_central_object_free);

  /* v1 keeps no index by session on the server: a session's children are found by a scan */
  if (!S (storage, list_objects, collection, objects, error))
    return FALSE;
  for (guint i = 0; i < objects->len; i++)
    {
      AssayCentralObject *object = g_ptr_array_index (objects, i);
      g_autoptr(JsonNode) node = assay_central_parse_json (object->data, -1, NULL);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)
          || g_strcmp0 (member_string (json_node_get_object (node), "sessionId"), session_id) != 0)
        continue;
      /* the same revision at a new place in the feed: whoever has it keeps it (rev not newer) */
      if (!S (storage, next_seq, &object->seq, error)
          || !S (storage, put_object, object, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
assay_central_records_after (AssayCentralStorage    *storage,
                             const AssayCollection  *collection,
                             JsonObject             *before_data,
                             JsonObject             *data,
                             const char             *id,
                             GError                **error)
{
  if (strcmp (collection->name, SESSIONS) != 0 || data == NULL)
    return TRUE;
  if (is_open_state (member_string (before_data, "state"))
      || !is_open_state (member_string (data, "state")))
    return TRUE;
  return reannounce (storage, "calibration_scorings", id, error)
         && reannounce (storage, "calibration_consensus", id, error);
}
