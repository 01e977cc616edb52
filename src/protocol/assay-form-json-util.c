/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-form-json.h"
#include "assay-form-json-private.h"

#include <math.h>
#include <string.h>

#include "assay-protocol.h"

/*
 * What every reader and writer of the scorecard and answers formats shares. Reading is strict:
 * an unknown field or a field of the wrong type is an error naming its path (base.name).
 */

void
_assay_form_json_add_number (JsonBuilder *builder,
                             double       value)
{
  if (isnan (value))
    json_builder_add_null_value (builder);
  else if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

void
_assay_form_json_member_number (JsonBuilder *builder,
                                const char  *name,
                                double       value)
{
  json_builder_set_member_name (builder, name);
  _assay_form_json_add_number (builder, value);
}

void
_assay_form_json_member_string (JsonBuilder *builder,
                                const char  *name,
                                const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
_assay_form_json_member_bool (JsonBuilder *builder,
                              const char  *name,
                              gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

char *
_assay_form_json_join (const char *base,
                       const char *name)
{
  return base == NULL || *base == '\0' ? g_strdup (name) : g_strconcat (base, ".", name, NULL);
}

gboolean
_assay_form_json_bad (GError    **error,
                      int         code,
                      const char *path,
                      const char *format,
                      ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ASSAY_FORM_ERROR, code, "%s: %s", path, msg);
  return FALSE;
}

gboolean
_assay_form_json_bad_member (GError    **error,
                             int         code,
                             const char *base,
                             const char *name,
                             const char *format,
                             ...)
{
  va_list args;
  g_autofree char *msg = NULL;
  g_autofree char *path = _assay_form_json_join (base, name);

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ASSAY_FORM_ERROR, code, "%s: %s", path, msg);
  return FALSE;
}

gboolean
_assay_form_json_check_members (JsonObject         *obj,
                                const char         *base,
                                const char * const *allowed,
                                int                 code,
                                GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return _assay_form_json_bad_member (error, code, base, l->data,
                                          "unknown field (see docs/forms.md)");
  return TRUE;
}

/* The member @name, or %NULL when it is absent or null. */
JsonNode *
_assay_form_json_member (JsonObject *obj,
                         const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? NULL : node;
}

gboolean
_assay_form_json_holds_type (JsonNode *node,
                             GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
_assay_form_json_holds_number (JsonNode *node)
{
  return _assay_form_json_holds_type (node, G_TYPE_INT64)
         || _assay_form_json_holds_type (node, G_TYPE_DOUBLE);
}

gboolean
_assay_form_json_get_string (JsonObject  *obj,
                             const char  *base,
                             const char  *name,
                             gboolean     required,
                             const char **out,
                             int          code,
                             GError     **error)
{
  JsonNode *node = _assay_form_json_member (obj, name);

  *out = NULL;
  if (node == NULL)
    return required ? _assay_form_json_bad_member (error, code, base, name, "must be given") : TRUE;
  if (!_assay_form_json_holds_type (node, G_TYPE_STRING))
    return _assay_form_json_bad_member (error, code, base, name, "must be a string");
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
_assay_form_json_get_number (JsonObject  *obj,
                             const char  *base,
                             const char  *name,
                             gboolean     required,
                             double      *out,
                             gboolean    *present,
                             int          code,
                             GError     **error)
{
  JsonNode *node = _assay_form_json_member (obj, name);

  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return required ? _assay_form_json_bad_member (error, code, base, name, "must be given") : TRUE;
  if (!_assay_form_json_holds_number (node))
    return _assay_form_json_bad_member (error, code, base, name, "must be a number");
  *out = json_node_get_double (node);
  return TRUE;
}

gboolean
_assay_form_json_get_whole (JsonObject  *obj,
                            const char  *base,
                            const char  *name,
                            gboolean     required,
                            gint64      *out,
                            gboolean    *present,
                            int          code,
                            GError     **error)
{
  JsonNode *node = _assay_form_json_member (obj, name);
  double d;

  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return required ? _assay_form_json_bad_member (error, code, base, name, "must be given") : TRUE;
  if (_assay_form_json_holds_type (node, G_TYPE_INT64))
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (!_assay_form_json_holds_type (node, G_TYPE_DOUBLE))
    return _assay_form_json_bad_member (error, code, base, name, "must be a whole number");
  d = json_node_get_double (node);
  if (d != floor (d) || fabs (d) > 9e15)
    return _assay_form_json_bad_member (error, code, base, name, "must be a whole number");
  *out = (gint64) d;
  return TRUE;
}

gboolean
_assay_form_json_get_bool (JsonObject  *obj,
                           const char  *base,
                           const char  *name,
                           gboolean    *out,
                           gboolean    *present,
                           int          code,
                           GError     **error)
{
  JsonNode *node = _assay_form_json_member (obj, name);

  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return TRUE;
  if (!_assay_form_json_holds_type (node, G_TYPE_BOOLEAN))
    return _assay_form_json_bad_member (error, code, base, name, "must be true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_assay_form_json_get_array (JsonObject  *obj,
                            const char  *base,
                            const char  *name,
                            gboolean     required,
                            JsonArray  **out,
                            int          code,
                            GError     **error)
{
  JsonNode *node = _assay_form_json_member (obj, name);

  *out = NULL;
  if (node == NULL)
    return required ? _assay_form_json_bad_member (error, code, base, name, "must be given") : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _assay_form_json_bad_member (error, code, base, name, "must be an array");
  *out = json_node_get_array (node);
  return TRUE;
}

JsonObject *
_assay_form_json_element_object (JsonArray  *array,
                                 guint       index,
                                 const char *path,
                                 int         code,
                                 GError    **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _assay_form_json_bad (error, code, path, "must be an object");
      return NULL;
    }
  return json_node_get_object (node);
}

JsonNode *
_assay_form_json_parse_data (const char  *data,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(GError) local = NULL;
  JsonNode *root = assay_protocol_parse_json (data, length, NULL, &local);

  if (root == NULL)
    {
      if (g_error_matches (local, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_EMPTY))
        g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_SYNTAX,
                     "not valid JSON: the file is empty");
      else
        g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_SYNTAX, "not valid JSON: %s",
                     local->message);
    }
  return root;
}

gboolean
_assay_form_json_check_format (JsonObject *obj,
                               int         code,
                               GError    **error)
{
  gint64 format = 0;

  if (!_assay_form_json_get_whole (obj, NULL, "format", TRUE, &format, NULL, code, error))
    return FALSE;
  if (format != ASSAY_FORM_FORMAT)
    return _assay_form_json_bad (error, ASSAY_FORM_ERROR_UNSUPPORTED, "format",
                                 "this version of Assay reads format %d, the file has format %"
                                 G_GINT64_FORMAT, ASSAY_FORM_FORMAT, format);
  return TRUE;
}
