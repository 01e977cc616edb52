/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-central-sync.h"
#include "assay-central-auth.h"
#include "assay-central-records.h"
#include "protocol/assay-protocol.h"

#define MAX_JSON_DEPTH 64

/* storage shorthands */
#define S(storage, fn, ...) ((storage)->vtable->fn ((storage), __VA_ARGS__))

/* objects */

void
assay_central_object_clear (AssayCentralObject *object)
{
  g_clear_pointer (&object->collection, g_free);
  g_clear_pointer (&object->id, g_free);
  g_clear_pointer (&object->last_op_id, g_free);
  g_clear_pointer (&object->owner_id, g_free);
  g_clear_pointer (&object->team_id, g_free);
  g_clear_pointer (&object->agent_id, g_free);
  g_clear_pointer (&object->state, g_free);
  g_clear_pointer (&object->data, g_free);
}

void
assay_central_object_free (AssayCentralObject *object)
{
  if (object == NULL)
    return;
  assay_central_object_clear (object);
  g_free (object);
}

void
assay_central_user_free (AssayCentralUser *user)
{
  if (user == NULL)
    return;
  g_free (user->id);
  g_free (user->login);
  g_free (user->name);
  g_free (user->agent_id);
  g_free (user->password);
  g_free (user);
}

AssayCentralStorage *
assay_central_storage_open (const char  *dir,
                            gboolean     create,
                            GError     **error)
{
  const char *url = assay_central_storage_pg_url ();

  if (url != NULL)
    return assay_central_pg_open (dir, url, create, error);
  return assay_central_sqlite_open (dir, create, error);
}

const char *
assay_central_storage_pg_url (void)
{
  const char *url = g_getenv ("ASSAY_CENTRAL_DB");

  if (url != NULL && (g_str_has_prefix (url, "postgresql://")
                      || g_str_has_prefix (url, "postgres://")))
    return url;
  return NULL;
}

void
assay_central_storage_close (AssayCentralStorage *self)
{
  if (self != NULL)
    self->vtable->close (self);
}

char *
assay_central_blob_path (AssayCentralStorage *self,
                         const char          *sha256)
{
  return g_build_filename (self->dir, "blobs", sha256, NULL);
}

/* JSON */

/*
 * Every JSON the server reads goes through the protocol's checked loader (size, depth,
 * duplicate keys, UTF-8: docs/json-limits.md), with the request size limit of the protocol.
 */
JsonNode *
assay_central_parse_json (const char  *data,
                          gssize       length,
                          GError     **error)
{
  const AssayJsonLimits limits = { ASSAY_SYNC_MAX_REQUEST_BYTES, MAX_JSON_DEPTH };
  g_autoptr(GError) local_error = NULL;
  JsonNode *root = assay_protocol_parse_json (data, length, &limits, &local_error);

  if (root == NULL)
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                   "not valid JSON: %s", local_error->message);
      return NULL;
    }
  return root;
}

static const char *
data_string (JsonObject *data,
             const char *member)
{
  JsonNode *node;

  if (data == NULL || member == NULL)
    return NULL;
  node = json_object_get_member (data, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
canonical_object (JsonObject *data)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, data);
  return assay_sync_canonical_json (node);
}

/* callers */

void
assay_central_caller_free (AssayCentralCaller *caller)
{
  if (caller == NULL)
    return;
  assay_central_user_free (caller->user);
  g_clear_pointer (&caller->team_ids, g_ptr_array_unref);
  g_free (caller->scope_hash);
  g_free (caller);
}

AssayCentralCaller *
assay_central_caller_new (AssayCentralStorage  *storage,
                          AssayCentralUser     *user,
                          GError              **error)
{
  g_autoptr(AssayCentralCaller) caller = g_new0 (AssayCentralCaller, 1);
  g_autoptr(GPtrArray) teams = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_central_object_free);
  g_autoptr(GString) scope = g_string_new (NULL);

  caller->user = user;
  caller->team_ids = g_ptr_array_new_with_free_func (g_free);
  if (user->roles & (1u << ASSAY_ROLE_LEAD))
    {
      if (!S (storage, list_objects, "teams", teams, error))
        return NULL;
      for (guint i = 0; i < teams->len; i++)
        {
          AssayCentralObject *team = g_ptr_array_index (teams, i);
          g_autoptr(JsonNode) node = assay_central_parse_json (team->data, -1, NULL);

          if (node != NULL && JSON_NODE_HOLDS_OBJECT (node)
              && g_strcmp0 (data_string (json_node_get_object (node), "leadId"), user->id) == 0)
            g_ptr_array_add (caller->team_ids, g_strdup (team->id));
        }
    }
  g_string_append_printf (scope, "%s|%u|%s", user->id, user->roles,
                          user->agent_id != NULL ? user->agent_id : "");
  for (guint i = 0; i < caller->team_ids->len; i++)
    g_string_append_printf (scope, "|%s", (const char *) g_ptr_array_index (caller->team_ids, i));
  caller->scope_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, scope->str, -1);
  caller->scope_hash[16] = '\0';
  return g_steal_pointer (&caller);
}

/* rights */

static gboolean
leads_team (const AssayCentralCaller *caller,
            const char               *team_id)
{
  if (team_id == NULL)
    return FALSE;
  for (guint i = 0; i < caller->team_ids->len; i++)
    if (strcmp (g_ptr_array_index (caller->team_ids, i), team_id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
in_scope (AssayCentralStorage      *storage,
          const AssayCentralCaller *caller,
          const AssayCollection    *collection,
          AssayScope                scope,
          const AssayCentralObject *object)
{
  const AssayCentralUser *user = caller->user;
  gboolean found = FALSE;

  switch (scope)
    {
    case ASSAY_SCOPE_NONE:
      return FALSE;
    case ASSAY_SCOPE_ALL:
      return TRUE;
    case ASSAY_SCOPE_OWN:
      return object->owner_id != NULL && g_strcmp0 (object->owner_id, user->id) == 0;
    case ASSAY_SCOPE_TEAMS:
      return leads_team (caller, object->team_id);
    case ASSAY_SCOPE_AGENT:
      return user->agent_id != NULL && g_strcmp0 (object->agent_id, user->agent_id) == 0;
    case ASSAY_SCOPE_AGENT_SUBMITTED:
      return user->agent_id != NULL && g_strcmp0 (object->agent_id, user->agent_id) == 0
             && g_strcmp0 (object->state, "submitted") == 0;
    case ASSAY_SCOPE_AGENT_FORMS:
      if (user->agent_id == NULL
          || !S (storage, agent_has_form, user->agent_id, object->id, &found, NULL))
        return FALSE;
      return found;
    case ASSAY_SCOPE_SESSION:
    case ASSAY_SCOPE_SESSION_OPENED:
    case ASSAY_SCOPE_SESSION_LEAD:
      return assay_central_records_in_scope (storage, caller, collection, scope, object);
    }
  return FALSE;
}

gboolean
assay_central_can_read (AssayCentralStorage      *storage,
                        const AssayCentralCaller *caller,
                        const AssayCollection    *collection,
                        const AssayCentralObject *object)
{
  for (guint r = 0; r < ASSAY_N_ROLES; r++)
    if ((caller->user->roles & (1u << r))
        && in_scope (storage, caller, collection, collection->rights[r].read, object))
      return TRUE;
  return FALSE;
}

static gboolean
can_write (AssayCentralStorage      *storage,
           const AssayCentralCaller *caller,
           const AssayCollection    *collection,
           AssayOpAction             action,
           const AssayCentralObject *object)
{
  for (guint r = 0; r < ASSAY_N_ROLES; r++)
    if ((caller->user->roles & (1u << r)) && (collection->rights[r].actions & action)
        && in_scope (storage, caller, collection, collection->rights[r].write, object))
      return TRUE;
  return FALSE;
}

/* scope columns */

static gboolean
derive_scope (AssayCentralStorage    *storage,
              const AssayCollection  *collection,
              const char             *id,
              JsonObject             *data,
              AssayCentralObject     *object,
              GError                **error)
{
  const char *text;

  g_clear_pointer (&object->owner_id, g_free);
  g_clear_pointer (&object->team_id, g_free);
  g_clear_pointer (&object->agent_id, g_free);
  g_clear_pointer (&object->state, g_free);

  object->owner_id = g_strdup (data_string (data, collection->owner_member));
  object->state = g_strdup (data_string (data, "state"));
  if (g_strcmp0 (collection->team_member, "id") == 0)
    object->team_id = g_strdup (id);
  else if ((text = data_string (data, collection->team_member)) != NULL)
    object->team_id = g_strdup (text);
  if (g_strcmp0 (collection->agent_member, "id") == 0)
    object->agent_id = g_strdup (id);
  else if ((text = data_string (data, collection->agent_member)) != NULL)
    object->agent_id = g_strdup (text);

  if (collection->parent != NULL)
    {
      AssayCentralObject parent;
      const char *parent_id = data_string (data, collection->parent_member);
      int found;

      found = parent_id != NULL ? S (storage, get_object, collection->parent, parent_id, &parent,
                                     error) : 0;
      if (found < 0)
        return FALSE;
      if (found == 0 || parent.deleted)
        {
          if (found > 0)
            assay_central_object_clear (&parent);
          g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                       "%s: no such object in %s", collection->parent_member, collection->parent);
          return FALSE;
        }
      g_free (object->team_id);
      g_free (object->agent_id);
      /* without an owner of its own, an object belongs to its parent's (a dispute: the
       * inspector of the disputed evaluation) */
      if (collection->owner_member == NULL)
        object->owner_id = g_steal_pointer (&parent.owner_id);
      object->team_id = g_steal_pointer (&parent.team_id);
      object->agent_id = g_steal_pointer (&parent.agent_id);
      assay_central_object_clear (&parent);
    }
  else if (object->team_id == NULL && object->agent_id != NULL && collection->team_member != NULL)
    {
      /* an interaction without its team: the agent's */
      AssayCentralObject agent;
      int found = S (storage, get_object, "agents", object->agent_id, &agent, error);

      if (found < 0)
        return FALSE;
      if (found > 0)
        {
          object->team_id = g_steal_pointer (&agent.team_id);
          assay_central_object_clear (&agent);
        }
    }
  return TRUE;
}

static gboolean
check_required (const AssayCollection  *collection,
                JsonObject             *data,
                GError                **error)
{
  for (guint i = 0; collection->required[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (data, collection->required[i]);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                       "%s: required in %s", collection->required[i], collection->name);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
assay_central_put (AssayCentralStorage  *storage,
                   const char           *collection_name,
                   const char           *id,
                   JsonObject           *data,
                   GError              **error)
{
  const AssayCollection *collection = assay_collection_lookup (collection_name);
  AssayCentralObject before = { 0 };
  g_auto(AssayCentralObject) object = { 0 };
  int found;
  gboolean ok;

  g_return_val_if_fail (collection != NULL, FALSE);
  if (!check_required (collection, data, error))
    return FALSE;
  found = S (storage, get_object, collection_name, id, &before, error);
  if (found < 0)
    return FALSE;
  object.collection = g_strdup (collection_name);
  object.id = g_strdup (id);
  object.rev = found > 0 ? before.rev + 1 : 1;
  object.updated_at = g_get_real_time () / 1000;
  object.data = canonical_object (data);
  ok = derive_scope (storage, collection, id, data, &object, error)
       && S (storage, next_seq, &object.seq, error)
       && S (storage, put_object, &object, found > 0 ? &before : NULL, error);
  assay_central_object_clear (&before);
  return ok;
}

/* feeds */

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, text);
  json = assay_sync_canonical_json (node);
  g_string_append (out, json);
}

static void
append_object (GString                  *out,
               const AssayCentralObject *object)
{
  g_string_append (out, "{\"id\":");
  append_json_string (out, object->id);
  g_string_append_printf (out, ",\"rev\":%" G_GINT64_FORMAT ",\"seq\":%" G_GINT64_FORMAT
                          ",\"lastOpId\":", object->rev, object->seq);
  append_json_string (out, object->last_op_id);
  g_string_append (out, ",\"data\":");
  g_string_append (out, object->data);
  g_string_append_c (out, '}');
}

static char *
cursor_key (AssayCentralStorage  *storage,
            GError              **error)
{
  char *key = NULL;

  if (!S (storage, get_meta, "cursor_key", &key, error))
    return NULL;
  if (key == NULL)
    g_set_error_literal (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_STORAGE,
                         "The central database has no cursor key: it was not made by 'init'");
  return key;
}

static char *
cursor_encode (const char               *key,
               const AssayCollection    *collection,
               const AssayCentralCaller *caller,
               gint64                    seq)
{
  g_autofree char *text = g_strdup_printf ("1.%s.%" G_GINT64_FORMAT ".%s", collection->name, seq,
                                           caller->scope_hash);
  g_autofree char *mac = assay_central_hmac (key, text);
  g_autofree char *signed_text = g_strdup_printf ("%s.%.32s", text, mac);

  return assay_central_base64url ((const guint8 *) signed_text, strlen (signed_text));
}

/* the seq a cursor stands for, or -1 when it cannot be continued (the reason in @why) */
static gint64
cursor_decode (const char                *key,
               const AssayCollection     *collection,
               const AssayCentralCaller  *caller,
               const char                *cursor,
               const char               **why)
{
  g_autoptr(GString) b64 = g_string_new (cursor);
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *mac = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len = 0;
  guint64 seq;
  char *dot;

  *why = "the cursor is damaged";
  if (b64->len == 0 || b64->len > 512)
    return -1;
  for (gsize i = 0; i < b64->len; i++)
    {
      char c = b64->str[i];

      if (c == '-')
        b64->str[i] = '+';
      else if (c == '_')
        b64->str[i] = '/';
      else if (!g_ascii_isalnum (c))
        return -1;
    }
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  raw = g_base64_decode (b64->str, &len);
  if (raw == NULL || len == 0)
    return -1;
  text = g_strndup ((const char *) raw, len);
  dot = strrchr (text, '.');
  if (dot == NULL)
    return -1;
  *dot = '\0';
  mac = assay_central_hmac (key, text);
  if (strlen (dot + 1) != 32 || strncmp (mac, dot + 1, 32) != 0)
    {
      *why = "the cursor was not made by this server's database";
      return -1;
    }
  parts = g_strsplit (text, ".", -1);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], "1") != 0
      || !g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXINT64, &seq, NULL))
    return -1;
  if (strcmp (parts[1], collection->name) != 0)
    {
      *why = "the cursor belongs to another collection";
      return -1;
    }
  if (strcmp (parts[3], caller->scope_hash) != 0)
    {
      *why = "the cursor was made for another user or before your roles or teams changed";
      return -1;
    }
  return (gint64) seq;
}

char *
assay_central_feed (AssayCentralStorage       *storage,
                    const AssayCentralCaller  *caller,
                    const AssayCollection     *collection,
                    const char                *cursor,
                    guint                      limit,
                    GError                   **error)
{
  g_autofree char *key = NULL;
  g_autofree char *horizon_text = NULL;
  g_autoptr(GString) upserted = g_string_new (NULL);
  g_autoptr(GString) deleted = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *next = NULL;
  gint64 since = 0, pos, max_seq = 0, state = 0, horizon = 0;
  guint n_items = 0, scanned = 0, n_upserted = 0, n_deleted = 0;
  guint scan_budget = MAX (limit * 8, 4000);
  gboolean has_more = FALSE, initial = cursor == NULL;

  if (!assay_collection_can_read (collection, caller->user->roles))
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_FORBIDDEN,
                   "Your roles may not read %s", collection->name);
      return NULL;
    }
  key = cursor_key (storage, error);
  if (key == NULL)
    return NULL;
  if (!S (storage, max_seq, NULL, &max_seq, error)
      || !S (storage, max_seq, collection->name, &state, error)
      || !S (storage, get_meta, "horizon", &horizon_text, error))
    return NULL;
  if (horizon_text != NULL)
    horizon = g_ascii_strtoll (horizon_text, NULL, 10);

  if (cursor != NULL)
    {
      const char *why = NULL;

      since = cursor_decode (key, collection, caller, cursor, &why);
      if (since >= 0 && since > max_seq)
        {
          since = -1;
          why = "the cursor is ahead of this server's database (was it restored from a backup?)";
        }
      if (since >= 0 && since < horizon)
        {
          since = -1;
          why = "the cursor has expired: deletions it has not seen were forgotten";
        }
      if (since < 0)
        {
          g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_GONE,
                       "%s; sync %s again from the beginning (local work is kept)", why,
                       collection->name);
          return NULL;
        }
    }

  limit = CLAMP (limit, 1, ASSAY_SYNC_MAX_PAGE);
  pos = since;
  while (n_items < limit && !has_more)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_central_object_free);
      guint batch = MIN (limit * 2, 2000);
      guint i;

      if (!S (storage, feed_scan, collection->name, pos, batch, rows, error))
        return NULL;
      for (i = 0; i < rows->len && n_items < limit; i++)
        {
          AssayCentralObject *row = g_ptr_array_index (rows, i);

          pos = row->seq;
          scanned++;
          if (g_hash_table_contains (seen, row->id))
            continue;
          if (row->exit)
            {
              AssayCentralObject current;
              gboolean visible_now = FALSE;
              int found;

              if (initial || !assay_central_can_read (storage, caller, collection, row))
                continue;
              found = S (storage, get_object, collection->name, row->id, &current, error);
              if (found < 0)
                return NULL;
              if (found > 0)
                {
                  visible_now = !current.deleted
                                && assay_central_can_read (storage, caller, collection, &current);
                  if (!visible_now)
                    {
                      g_string_append_printf (deleted, "%s{\"id\":", n_deleted++ ? "," : "");
                      append_json_string (deleted, row->id);
                      g_string_append_printf (deleted, ",\"rev\":%" G_GINT64_FORMAT ",\"seq\":%"
                                              G_GINT64_FORMAT ",\"reason\":\"out-of-scope\"}",
                                              current.rev, row->seq);
                      g_hash_table_add (seen, g_strdup (row->id));
                      n_items++;
                    }
                  assay_central_object_clear (&current);
                }
              continue;
            }
          if (!assay_central_can_read (storage, caller, collection, row))
            continue;
          if (row->deleted)
            {
              if (initial)
                continue;
              g_string_append_printf (deleted, "%s{\"id\":", n_deleted++ ? "," : "");
              append_json_string (deleted, row->id);
              g_string_append_printf (deleted, ",\"rev\":%" G_GINT64_FORMAT ",\"seq\":%"
                                      G_GINT64_FORMAT ",\"reason\":\"deleted\"}", row->rev,
                                      row->seq);
            }
          else
            {
              if (n_upserted++ > 0)
                g_string_append_c (upserted, ',');
              append_object (upserted, row);
            }
          g_hash_table_add (seen, g_strdup (row->id));
          n_items++;
        }
      if (i < rows->len)
        has_more = TRUE;            /* the page filled up before the rows ran out */
      else if (rows->len < batch)
        break;                      /* the end of the feed */
      else if (scanned >= scan_budget)
        has_more = TRUE;            /* enough work for one request: continue from pos */
    }
  if (!has_more && n_items >= limit)
    {
      /* the page filled exactly at the end of a batch: is there anything after it? */
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_central_object_free);

      if (!S (storage, feed_scan, collection->name, pos, 1, rows, error))
        return NULL;
      has_more = rows->len > 0;
    }

  next = cursor_encode (key, collection, caller, pos);
  g_string_append (out, "{\"collection\":");
  append_json_string (out, collection->name);
  g_string_append (out, ",\"cursor\":");
  append_json_string (out, next);
  g_string_append_printf (out, ",\"hasMore\":%s,\"state\":\"%" G_GINT64_FORMAT "\",\"upserted\":[",
                          has_more ? "true" : "false", state);
  g_string_append_len (out, upserted->str, upserted->len);
  g_string_append (out, "],\"deleted\":[");
  g_string_append_len (out, deleted->str, deleted->len);
  g_string_append (out, "]}");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
assay_central_objects (AssayCentralStorage       *storage,
                       const AssayCentralCaller  *caller,
                       const AssayCollection     *collection,
                       const char *const         *ids,
                       GError                   **error)
{
  g_autoptr(GString) out = g_string_new ("{\"collection\":");
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n_found = 0, n_missing = 0;

  if (!assay_collection_can_read (collection, caller->user->roles))
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_FORBIDDEN,
                   "Your roles may not read %s", collection->name);
      return NULL;
    }
  append_json_string (out, collection->name);
  g_string_append (out, ",\"objects\":[");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      AssayCentralObject object;
      int found = S (storage, get_object, collection->name, ids[i], &object, error);

      if (found < 0)
        return NULL;
      if (found > 0 && !object.deleted
          && assay_central_can_read (storage, caller, collection, &object))
        {
          if (n_found++ > 0)
            g_string_append_c (out, ',');
          append_object (out, &object);
        }
      else
        {
          if (n_missing++ > 0)
            g_string_append_c (missing, ',');
          append_json_string (missing, ids[i]);
        }
      if (found > 0)
        assay_central_object_clear (&object);
    }
  g_string_append (out, "],\"missing\":[");
  g_string_append_len (out, missing->str, missing->len);
  g_string_append (out, "]}");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* operations */

typedef struct {
  AssayOpStatus  status;
  const char    *problem;       /* the problem's name, or NULL */
  char          *detail;
  char          *right;         /* "evaluations:amend" */
  gboolean       with_current;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->detail, g_free);
  g_clear_pointer (&outcome->right, g_free);
}

static JsonNode *
object_node (const AssayCentralObject *object)
{
  g_autoptr(GString) text = g_string_new (NULL);

  append_object (text, object);
  return assay_central_parse_json (text->str, (gssize) text->len, NULL);
}

static JsonNode *
result_node (const AssaySyncOp        *op,
             const Outcome            *outcome,
             const AssayCentralObject *object)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "opId");
  json_builder_add_string_value (b, op->op_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, assay_op_status_name (outcome->status));
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, op->id);
  if (object != NULL && (outcome->status == ASSAY_OP_STATUS_APPLIED))
    {
      json_builder_set_member_name (b, "rev");
      json_builder_add_int_value (b, object->rev);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, object->seq);
    }
  if (object != NULL && outcome->with_current)
    {
      json_builder_set_member_name (b, "current");
      json_builder_add_value (b, object_node (object));
    }
  if (outcome->problem != NULL)
    {
      json_builder_set_member_name (b, "problem");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, outcome->problem);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, outcome->problem);
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, outcome->detail != NULL ? outcome->detail : "");
      if (outcome->right != NULL)
        {
          json_builder_set_member_name (b, "right");
          json_builder_add_string_value (b, outcome->right);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
fail (Outcome       *outcome,
      AssayOpStatus  status,
      const char    *problem,
      const char    *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
fail (Outcome       *outcome,
      AssayOpStatus  status,
      const char    *problem,
      const char    *format,
      ...)
{
  va_list args;

  outcome->status = status;
  outcome->problem = problem;
  va_start (args, format);
  g_free (outcome->detail);
  outcome->detail = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
missing_right (Outcome                  *outcome,
               const AssayCentralCaller *caller,
               const AssaySyncOp        *op)
{
  g_autofree char *roles = assay_roles_to_string (caller->user->roles);

  fail (outcome, ASSAY_OP_STATUS_REJECTED, "missing-right",
        "Your roles (%s) do not give the right to %s this object of %s; the local copy is kept",
        roles, assay_op_action_name (op->action), op->collection->name);
  outcome->right = g_strdup_printf ("%s:%s", op->collection->name,
                                    assay_op_action_name (op->action));
}

static gint64
member_int (JsonObject *data,
            const char *member)
{
  JsonNode *node = json_object_get_member (data, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static char *
answers_text (JsonObject *data)
{
  JsonNode *answers = data != NULL ? json_object_get_member (data, "answers") : NULL;

  return answers != NULL ? assay_sync_canonical_json (answers) : NULL;
}

/* the evaluation rules of docs/sync-protocol.md; %FALSE when @outcome says it failed */
static gboolean
apply_revisions (AssayCentralStorage      *storage,
                 const AssaySyncOp        *op,
                 const AssayCentralObject *before,
                 JsonObject               *before_data,
                 JsonObject               *data,
                 Outcome                  *outcome)
{
  static const char *const fixed[] = { "inspectorId", "interactionId", "formVersionId" };
  gint64 revision = before_data != NULL ? member_int (before_data, "revision") : 0;
  gint64 now = g_get_real_time () / 1000;
  JsonNode *answers;

  if (op->action == ASSAY_OP_DELETE)
    {
      if (g_strcmp0 (before->state, "submitted") == 0)
        {
          fail (outcome, ASSAY_OP_STATUS_REJECTED, "submitted-immutable",
                "A submitted evaluation cannot be deleted");
          return FALSE;
        }
      return TRUE;
    }

  answers = json_object_get_member (data, "answers");
  if (answers == NULL || !JSON_NODE_HOLDS_OBJECT (answers))
    {
      fail (outcome, ASSAY_OP_STATUS_REJECTED, "invalid-data", "answers: must be an object");
      return FALSE;
    }
  if (before_data != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
      if (g_strcmp0 (data_string (data, fixed[i]), data_string (before_data, fixed[i])) != 0)
        {
          fail (outcome, ASSAY_OP_STATUS_REJECTED, "immutable-member",
                "%s: an evaluation keeps the value it was created with", fixed[i]);
          return FALSE;
        }

  switch (op->action)
    {
    case ASSAY_OP_CREATE:
      if (g_strcmp0 (data_string (data, "state"), "draft") != 0)
        {
          fail (outcome, ASSAY_OP_STATUS_REJECTED, "invalid-data",
                "state: a new evaluation is a draft; submit it with a submit operation");
          return FALSE;
        }
      revision = 0;
      if (!json_object_has_member (data, "createdAt"))
        json_object_set_int_member (data, "createdAt", now);
      break;
    case ASSAY_OP_UPDATE:
      if (g_strcmp0 (data_string (data, "state"), "draft") != 0)
        {
          fail (outcome, ASSAY_OP_STATUS_REJECTED, "invalid-data",
                "state: an update keeps a draft a draft; use a submit operation to submit");
          return FALSE;
        }
      G_GNUC_FALLTHROUGH;
    case ASSAY_OP_SUBMIT:
      if (g_strcmp0 (before->state, "submitted") == 0)
        {
          fail (outcome, ASSAY_OP_STATUS_REJECTED, "submitted-immutable",
                "This evaluation was submitted: it changes only by an amendment with a reason");
          outcome->with_current = TRUE;
          return FALSE;
        }
      if (op->action == ASSAY_OP_SUBMIT)
        {
          json_object_set_string_member (data, "state", "submitted");
          json_object_set_int_member (data, "submittedAt", now);
          revision++;
        }
      break;
    case ASSAY_OP_AMEND:
      if (g_strcmp0 (before->state, "submitted") != 0)
        {
          fail (outcome, ASSAY_OP_STATUS_REJECTED, "not-submitted",
                "Only a submitted evaluation is amended; a draft is updated");
          return FALSE;
        }
      json_object_set_string_member (data, "state", "submitted");
      json_object_set_string_member (data, "amendReason", op->reason);
      if (before_data != NULL && json_object_has_member (before_data, "submittedAt"))
        json_object_set_member (data, "submittedAt",
                                json_node_copy (json_object_get_member (before_data,
                                                                        "submittedAt")));
      revision++;
      break;
    default:
      break;
    }
  json_object_set_int_member (data, "revision", revision);
  json_object_set_int_member (data, "updatedAt", now);

  /* the scorecard version must exist */
  {
    AssayCentralObject form;
    int found = S (storage, get_object, "forms", data_string (data, "formVersionId"), &form,
                   NULL);

    if (found > 0)
      assay_central_object_clear (&form);
    if (found <= 0 || form.deleted)
      {
        fail (outcome, ASSAY_OP_STATUS_REJECTED, "invalid-data",
              "formVersionId: no such scorecard version on the server");
        return FALSE;
      }
  }
  return TRUE;
}

JsonNode *
assay_central_apply_op (AssayCentralStorage       *storage,
                        const AssayCentralCaller  *caller,
                        const AssaySyncOp         *op,
                        GHashTable                *failed,
                        GError                   **error)
{
  const AssayCollection *collection = op->collection;
  g_autofree char *key = g_strdup_printf ("%s/%s", collection->name, op->id);
  g_autofree char *stored_user = NULL;
  g_autofree char *stored = NULL;
  g_auto(AssayCentralObject) before = { 0 };
  g_auto(AssayCentralObject) after = { 0 };
  g_autoptr(JsonNode) before_node = NULL;
  g_autoptr(JsonNode) data_node = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *before_data = NULL;
  JsonObject *data = NULL;
  Outcome outcome = { ASSAY_OP_STATUS_APPLIED, NULL, NULL, NULL, FALSE };
  const AssayCentralObject *shown = NULL;
  JsonNode *result = NULL;
  gboolean is_revisions = collection->conflict == ASSAY_CONFLICT_REVISIONS;
  int found;

  if (g_hash_table_contains (failed, key))
    {
      fail (&outcome, ASSAY_OP_STATUS_BLOCKED, "blocked",
            "An earlier operation of this batch on the same object was not applied");
      result = result_node (op, &outcome, NULL);
      outcome_clear (&outcome);
      return result;
    }

  if (!S (storage, savepoint, error))
    return NULL;
  found = S (storage, get_op_result, op->op_id, &stored_user, &stored, error);
  if (found < 0)
    goto storage_failed;
  if (found > 0)
    {
      storage->vtable->rollback_to (storage);
      if (g_strcmp0 (stored_user, caller->user->id) != 0)
        {
          fail (&outcome, ASSAY_OP_STATUS_REJECTED, "op-id-reused",
                "This opId was used by another user; every operation needs a new UUID");
          goto done;
        }
      result = assay_central_parse_json (stored, -1, error);
      if (result == NULL)
        return NULL;
      json_object_set_string_member (json_node_get_object (result), "status",
                                     assay_op_status_name (ASSAY_OP_STATUS_DUPLICATE));
      return result;
    }

  if (collection->conflict == ASSAY_CONFLICT_SERVER_WINS
      || !(assay_collection_write_actions (collection, caller->user->roles) & op->action))
    {
      missing_right (&outcome, caller, op);
      goto done_rollback;
    }

  found = S (storage, get_object, collection->name, op->id, &before, error);
  if (found < 0)
    goto storage_failed;
  if (found > 0)
    {
      before_node = assay_central_parse_json (before.data, -1, error);
      if (before_node == NULL)
        goto storage_failed;
      before_data = json_node_get_object (before_node);
    }

  /* existence and rights on the object as stored */
  if (op->action == ASSAY_OP_CREATE)
    {
      if (found > 0)
        {
          if (assay_central_can_read (storage, caller, collection, &before))
            {
              fail (&outcome, ASSAY_OP_STATUS_CONFLICT, "exists",
                    "An object with this id exists already");
              outcome.with_current = !before.deleted;
              shown = outcome.with_current ? &before : NULL;
            }
          else
            fail (&outcome, ASSAY_OP_STATUS_REJECTED, "exists",
                  "An object with this id exists already");
          goto done_rollback;
        }
    }
  else
    {
      if (found == 0 || (before.deleted && op->action != ASSAY_OP_DELETE)
          || !assay_central_can_read (storage, caller, collection, &before))
        {
          fail (&outcome, ASSAY_OP_STATUS_REJECTED, "not-found",
                "There is no such object on the server (or you may not see it)");
          goto done_rollback;
        }
      if (!can_write (storage, caller, collection, op->action, &before))
        {
          missing_right (&outcome, caller, op);
          goto done_rollback;
        }
      if (op->base_rev == 0)
        {
          fail (&outcome, ASSAY_OP_STATUS_REJECTED, "invalid-data",
                "baseRev: required for %s", assay_op_action_name (op->action));
          goto done_rollback;
        }
      if (before.deleted)
        {
          /* deleting what is deleted already: applied, nothing changes */
          after.rev = before.rev;
          after.seq = before.seq;
          shown = &after;
          goto done_commit_result;
        }
      if (op->base_rev != before.rev)
        {
          if (op->action == ASSAY_OP_AMEND)
            fail (&outcome, ASSAY_OP_STATUS_REJECTED, "stale-revision",
                  "The evaluation changed (revision %" G_GINT64_FORMAT ") since your amendment "
                  "started from revision %" G_GINT64_FORMAT "; amend the current answers",
                  before.rev, op->base_rev);
          else
            fail (&outcome, ASSAY_OP_STATUS_CONFLICT, "stale-revision",
                  "The object changed on the server (revision %" G_GINT64_FORMAT ") since your "
                  "edit started from revision %" G_GINT64_FORMAT, before.rev, op->base_rev);
          outcome.with_current = TRUE;
          shown = &before;
          goto done_rollback;
        }
    }

  /* the new state */
  data_node = op->action == ASSAY_OP_DELETE ? json_node_copy (before_node)
                                            : json_node_copy (op->data);
  data = json_node_get_object (data_node);
  if (is_revisions && !apply_revisions (storage, op, &before, before_data, data, &outcome))
    {
      shown = outcome.with_current ? &before : NULL;
      goto done_rollback;
    }
  {
    const char *problem = NULL;
    g_autofree char *detail = NULL;

    if (!assay_central_records_check (storage, collection, op->action, before_data, data,
                                      &problem, &detail, &local_error))
      {
        if (local_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            goto storage_failed;
          }
        fail (&outcome, ASSAY_OP_STATUS_REJECTED, problem, "%s", detail);
        outcome.with_current = found > 0 && !before.deleted;
        shown = outcome.with_current ? &before : NULL;
        goto done_rollback;
      }
  }
  if (!check_required (collection, data, &local_error)
      || !derive_scope (storage, collection, op->id, data, &after, &local_error))
    {
      if (local_error->code == ASSAY_CENTRAL_ERROR_STORAGE)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto storage_failed;
        }
      fail (&outcome, ASSAY_OP_STATUS_REJECTED, "invalid-data", "%s", local_error->message);
      goto done_rollback;
    }
  after.data = canonical_object (data);   /* the calibration scopes read it */
  if (op->action != ASSAY_OP_DELETE && !can_write (storage, caller, collection, op->action, &after))
    {
      missing_right (&outcome, caller, op);
      goto done_rollback;
    }

  after.collection = g_strdup (collection->name);
  after.id = g_strdup (op->id);
  after.rev = found > 0 ? before.rev + 1 : 1;
  after.last_op_id = g_strdup (op->op_id);
  after.deleted = op->action == ASSAY_OP_DELETE;
  after.updated_at = g_get_real_time () / 1000;
  if (!S (storage, next_seq, &after.seq, error)
      || !S (storage, put_object, &after, found > 0 ? &before : NULL, error)
      || !assay_central_records_after (storage, collection, before_data,
                                       after.deleted ? NULL : data, op->id, error))
    goto storage_failed;
  if (collection->audited)
    {
      g_autofree char *answers_before = answers_text (before_data);
      g_autofree char *answers_after = op->action != ASSAY_OP_DELETE ? answers_text (data) : NULL;
      AssayCentralAudit entry = {
        collection->name, op->id, caller->user->id, after.updated_at,
        assay_op_action_name (op->action), op->reason, member_int (data, "revision"),
        answers_before, answers_after,
      };

      if (!S (storage, audit_append, &entry, error))
        goto storage_failed;
    }
  shown = &after;

done_commit_result:
  result = result_node (op, &outcome, shown);
  {
    g_autofree char *text = assay_sync_canonical_json (result);

    if (!S (storage, put_op_result, op->op_id, caller->user->id, text, error)
        || !S (storage, release, error))
      {
        g_clear_pointer (&result, json_node_unref);
        goto storage_failed;
      }
  }
  outcome_clear (&outcome);
  return result;

done_rollback:
  storage->vtable->rollback_to (storage);
done:
  g_hash_table_add (failed, g_steal_pointer (&key));
  result = result_node (op, &outcome, shown);
  outcome_clear (&outcome);
  return result;

storage_failed:
  storage->vtable->rollback_to (storage);
  outcome_clear (&outcome);
  return NULL;
}

/* accounts, dump, compaction */

JsonNode *
assay_central_user_node (const AssayCentralCaller *caller)
{
  const AssayCentralUser *user = caller->user;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, user->id);
  json_builder_set_member_name (b, "login");
  json_builder_add_string_value (b, user->login);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, user->name);
  json_builder_set_member_name (b, "roles");
  json_builder_begin_array (b);
  for (guint r = 0; r < ASSAY_N_ROLES; r++)
    if (user->roles & (1u << r))
      json_builder_add_string_value (b, assay_role_name (r));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "agentId");
  if (user->agent_id != NULL)
    json_builder_add_string_value (b, user->agent_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "teamIds");
  json_builder_begin_array (b);
  for (guint i = 0; i < caller->team_ids->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (caller->team_ids, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonArray *
roles_array (guint roles)
{
  JsonArray *array = json_array_new ();

  for (guint r = 0; r < ASSAY_N_ROLES; r++)
    if (roles & (1u << r))
      json_array_add_string_element (array, assay_role_name (r));
  return array;
}

/* the agent whose employeeCode is @code */
static char *
find_agent (AssayCentralStorage  *storage,
            const char           *code,
            GError              **error)
{
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_central_object_free);

  if (!S (storage, list_objects, "agents", agents, error))
    return NULL;
  for (guint i = 0; i < agents->len; i++)
    {
      AssayCentralObject *agent = g_ptr_array_index (agents, i);
      g_autoptr(JsonNode) node = assay_central_parse_json (agent->data, -1, NULL);

      if (node != NULL && g_strcmp0 (data_string (json_node_get_object (node), "employeeCode"),
                                     code) == 0)
        return g_strdup (agent->id);
    }
  g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_NOT_FOUND,
               "No agent has the employee code '%s' (import or seed the agents first)", code);
  return NULL;
}

gboolean
assay_central_add_user (AssayCentralStorage  *storage,
                        const char           *login,
                        const char           *name,
                        guint                 roles,
                        const char           *agent_code,
                        const char           *id,
                        GError              **error)
{
  g_autoptr(AssayCentralUser) existing = NULL;
  g_autoptr(JsonObject) user_data = json_object_new ();
  AssayCentralUser user = { 0 };
  g_autofree char *agent_id = NULL;
  g_autofree char *new_id = NULL;
  const guint staff_roles = (1u << ASSAY_ROLE_INSPECTOR) | (1u << ASSAY_ROLE_LEAD)
                            | (1u << ASSAY_ROLE_MANAGER) | (1u << ASSAY_ROLE_ADMIN);
  int found;

  if (login == NULL || *login == '\0' || strpbrk (login, " \t\n/:") != NULL)
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                   "A login is one word without spaces, '/' or ':', not '%s'",
                   login != NULL ? login : "");
      return FALSE;
    }
  if ((roles & (1u << ASSAY_ROLE_AGENT)) && agent_code == NULL)
    {
      g_set_error_literal (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                           "An agent account is tied to an agent record: add --agent CODE");
      return FALSE;
    }
  if (agent_code != NULL && !(roles & (1u << ASSAY_ROLE_AGENT)))
    {
      g_set_error_literal (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                           "--agent is for accounts with the agent role");
      return FALSE;
    }

  if (!S (storage, begin, error))
    return FALSE;
  found = S (storage, get_user, login, NULL, &existing, error);
  if (found < 0)
    goto failed;
  if (agent_code != NULL && (agent_id = find_agent (storage, agent_code, error)) == NULL)
    goto failed;
  if (found > 0)
    user = *existing;
  else
    {
      g_autoptr(AssayCentralUser) same_id = NULL;

      /* one person may hold two demo accounts (manager and admin): the second gets its own id */
      if (id != NULL && S (storage, get_user, NULL, id, &same_id, error) != 0)
        {
          if (error != NULL && *error != NULL)
            goto failed;
          id = NULL;
        }
      user.id = id != NULL ? (char *) id : (new_id = assay_central_new_uuid ());
    }
  user.login = (char *) login;
  user.name = (char *) name;
  user.roles = roles;
  user.agent_id = agent_id;
  user.created_at = found > 0 ? existing->created_at : g_get_real_time () / 1000;
  if (!S (storage, put_user, &user, error))
    goto failed;

  json_object_set_string_member (user_data, "login", login);
  json_object_set_string_member (user_data, "name", name);
  json_object_set_array_member (user_data, "roles", roles_array (roles));
  if (agent_id != NULL)
    json_object_set_string_member (user_data, "agentId", agent_id);
  else
    json_object_set_null_member (user_data, "agentId");
  if (!assay_central_put (storage, "users", user.id, user_data, error))
    goto failed;
  if (roles & staff_roles)
    {
      g_autoptr(JsonObject) staff = json_object_new ();

      json_object_set_string_member (staff, "name", name);
      json_object_set_array_member (staff, "roles", roles_array (roles & staff_roles));
      if (!assay_central_put (storage, "staff", user.id, staff, error))
        goto failed;
    }
  return S (storage, commit, error);

failed:
  storage->vtable->rollback (storage);
  return FALSE;
}

gboolean
assay_central_dump (AssayCentralStorage  *storage,
                    const char           *collection,
                    GString              *out,
                    GError              **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_central_object_free);

  if (assay_collection_lookup (collection) == NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      const AssayCollection *all;
      guint n;

      all = assay_collections_get (&n);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", all[i].name);
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                   "'%s' is not a collection; the collections are %s", collection, names->str);
      return FALSE;
    }
  if (!S (storage, list_objects, collection, objects, error))
    return FALSE;
  for (guint i = 0; i < objects->len; i++)
    {
      AssayCentralObject *object = g_ptr_array_index (objects, i);
      g_autoptr(JsonNode) data = assay_central_parse_json (object->data, -1, error);
      g_autofree char *line = NULL;

      if (data == NULL)
        return FALSE;
      line = assay_sync_dump_line (object->id, object->rev, data);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return TRUE;
}

gboolean
assay_central_compact (AssayCentralStorage  *storage,
                       gint64               *n_purged,
                       GError              **error)
{
  g_autofree char *horizon = NULL;
  gint64 seq = 0;

  if (!S (storage, begin, error))
    return FALSE;
  if (!S (storage, max_seq, NULL, &seq, error))
    goto failed;
  *n_purged = storage->vtable->purge_tombstones (storage, seq, error);
  if (*n_purged < 0)
    goto failed;
  horizon = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  if (!S (storage, set_meta, "horizon", horizon, error))
    goto failed;
  return S (storage, commit, error);

failed:
  storage->vtable->rollback (storage);
  return FALSE;
}
