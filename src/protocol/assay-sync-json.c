/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "assay-sync-json.h"

const char *
assay_op_status_name (AssayOpStatus status)
{
  static const char *const names[] = { "applied", "duplicate", "conflict", "rejected", "blocked" };

  g_return_val_if_fail (status <= ASSAY_OP_STATUS_BLOCKED, NULL);
  return names[status];
}

static void
append_string (GString    *out,
               const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static gboolean
append_double (GString *out,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    return FALSE;
  if (v == floor (v) && fabs (v) <= 9007199254740992.0)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) v);
      return TRUE;
    }
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", v));
  return TRUE;
}

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
append_node (GString  *out,
             JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return TRUE;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          return TRUE;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          return TRUE;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          return TRUE;
        default:
          return append_double (out, json_node_get_double (node));
        }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (!append_node (out, json_array_get_element (array, i)))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          g_ptr_array_add (names, l->data);
        g_ptr_array_sort (names, compare_members);
        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            append_string (out, name);
            g_string_append_c (out, ':');
            if (!append_node (out, json_object_get_member (object, name)))
              return FALSE;
          }
        g_string_append_c (out, '}');
        return TRUE;
      }
    }
  return FALSE;
}

char *
assay_sync_canonical_json (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (node == NULL || !append_node (out, node))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
assay_sync_dump_line (const char *id,
                      gint64      rev,
                      JsonNode   *data)
{
  g_autoptr(JsonObject) line = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_member (line, "data", data != NULL ? json_node_copy (data)
                                                     : json_node_new (JSON_NODE_NULL));
  json_object_set_string_member (line, "id", id);
  json_object_set_int_member (line, "rev", rev);
  json_node_set_object (node, line);
  return assay_sync_canonical_json (node);
}

gboolean
assay_sync_is_uuid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
assay_sync_op_parse (JsonNode     *node,
                     AssaySyncOp  *op,
                     GError      **error)
{
  JsonObject *object;
  JsonNode *member;
  const char *text;

  memset (op, 0, sizeof *op);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "an operation must be a JSON object");
      return FALSE;
    }
  object = json_node_get_object (node);

  op->op_id = string_member (object, "opId");
  if (!assay_sync_is_uuid (op->op_id))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "opId: must be a UUID (8-4-4-4-12 hex digits)");
      return FALSE;
    }
  text = string_member (object, "collection");
  op->collection = assay_collection_lookup (text);
  if (op->collection == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "collection: '%s' is not a sync collection", text != NULL ? text : "");
      return FALSE;
    }
  op->id = string_member (object, "id");
  if (!assay_sync_is_uuid (op->id))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "id: must be a UUID (8-4-4-4-12 hex digits)");
      return FALSE;
    }
  text = string_member (object, "action");
  if (!assay_op_action_from_name (text, &op->action))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "action: '%s' is not one of create, update, submit, amend, delete",
                   text != NULL ? text : "");
      return FALSE;
    }
  member = json_object_get_member (object, "baseRev");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64
          || json_node_get_int (member) < 1)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "baseRev: must be a whole number from 1");
          return FALSE;
        }
      op->base_rev = json_node_get_int (member);
    }
  member = json_object_get_member (object, "data");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "data: must be a JSON object");
          return FALSE;
        }
      op->data = member;
    }
  if (op->data == NULL && op->action != ASSAY_OP_DELETE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "data: a %s operation must carry the object's data",
                   assay_op_action_name (op->action));
      return FALSE;
    }
  member = json_object_get_member (object, "reason");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      op->reason = string_member (object, "reason");
      if (op->reason == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "reason: must be a string");
          return FALSE;
        }
    }
  if (op->action == ASSAY_OP_AMEND && is_blank (op->reason))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "reason: an amend must say why (a non-empty reason)");
      return FALSE;
    }
  return TRUE;
}
