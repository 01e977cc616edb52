/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-sampling-json.h"

#include <math.h>

#include "assay-protocol.h"
#include "core/assay-util.h"

/*
 * Reading is strict, as for forms: a rule is evidence that a draw was fair, so a typo must not
 * quietly turn into "no filter".
 */

static const char * const rule_members[] = {
  "format", "algorithm", "per_agent_per_week", "from", "to", "week_offset_minutes", "channels",
  "queues", "min_handle_s", "max_handle_s", "csat_max", "low_csat_weight", "low_csat_at_most",
  "form_version_id", "due_days", "inspector_id", NULL
};

/* Writing -------------------------------------------------------------------------------------- */

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       ms)
{
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, name);
  if (ms % 1000 == 0)
    text = assay_format_iso8601_ms (ms);
  else
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000 - (ms % 1000 < 0));
      g_autofree char *seconds = dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S") : NULL;

      if (seconds != NULL)
        text = g_strdup_printf ("%s.%03dZ", seconds, (int) (((ms % 1000) + 1000) % 1000));
    }
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_int_or_null (JsonBuilder *builder,
                 const char  *name,
                 int          value)
{
  json_builder_set_member_name (builder, name);
  if (value == ASSAY_NONE)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
add_strv (JsonBuilder *builder,
          const char  *name,
          char       **strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

JsonNode *
assay_sampling_rule_to_json_node (const AssaySamplingRule *rule)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (rule != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, ASSAY_SAMPLING_FORMAT);
  json_builder_set_member_name (builder, "algorithm");
  json_builder_add_int_value (builder, rule->algorithm);
  json_builder_set_member_name (builder, "per_agent_per_week");
  json_builder_add_int_value (builder, rule->per_agent_per_week);
  add_time (builder, "from", rule->from_ms);
  add_time (builder, "to", rule->to_ms);
  json_builder_set_member_name (builder, "week_offset_minutes");
  json_builder_add_int_value (builder, rule->week_offset_min);
  add_strv (builder, "channels", rule->channels);
  add_strv (builder, "queues", rule->queues);
  add_int_or_null (builder, "min_handle_s", rule->min_handle_s);
  add_int_or_null (builder, "max_handle_s", rule->max_handle_s);
  add_int_or_null (builder, "csat_max", rule->csat_max);
  json_builder_set_member_name (builder, "low_csat_weight");
  /* a whole weight is written as an integer so that the text stays the same everywhere */
  if (rule->low_csat_weight == floor (rule->low_csat_weight) && fabs (rule->low_csat_weight) < 1e15)
    json_builder_add_int_value (builder, (gint64) rule->low_csat_weight);
  else
    json_builder_add_double_value (builder, rule->low_csat_weight);
  json_builder_set_member_name (builder, "low_csat_at_most");
  json_builder_add_int_value (builder, rule->low_csat_at_most);
  add_string_or_null (builder, "form_version_id", rule->form_version_id);
  json_builder_set_member_name (builder, "due_days");
  json_builder_add_int_value (builder, rule->due_days);
  add_string_or_null (builder, "inspector_id", rule->inspector_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
assay_sampling_rule_to_json (const AssaySamplingRule *rule,
                             gboolean                 pretty)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (rule != NULL, NULL);

  node = assay_sampling_rule_to_json_node (rule);
  return assay_protocol_to_string (node, pretty);
}

/* Reading -------------------------------------------------------------------------------------- */

static gboolean
fail (GError     **error,
      int          code,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (ASSAY_SAMPLING_ERROR, code, format, args));
  va_end (args);
  return FALSE;
}

static gboolean
is_null (JsonObject *obj,
         const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* an integer member in [min, max]; %ASSAY_NONE when null and @nullable */
static gboolean
read_int (JsonObject  *obj,
          const char  *name,
          gboolean     nullable,
          gint64       min,
          gint64       max,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        return fail (error, ASSAY_SAMPLING_ERROR_INVALID, "%s: is missing", name);
      *out = ASSAY_NONE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, ASSAY_SAMPLING_ERROR_INVALID, "%s: must be a whole number%s", name,
                 nullable ? " or null" : "");
  value = json_node_get_int (node);
  if (value < min || value > max)
    return fail (error, ASSAY_SAMPLING_ERROR_INVALID,
                 "%s: must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT,
                 name, min, max, value);
  *out = value;
  return TRUE;
}

static gboolean
read_string (JsonObject  *obj,
             const char  *name,
             gboolean     nullable,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        return fail (error, ASSAY_SAMPLING_ERROR_INVALID, "%s: is missing", name);
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, ASSAY_SAMPLING_ERROR_INVALID, "%s: must be a string%s", name,
                 nullable ? " or null" : "");
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_time (JsonObject  *obj,
           const char  *name,
           gint64      *out,
           GError     **error)
{
  g_autofree char *text = NULL;

  if (!read_string (obj, name, FALSE, &text, error))
    return FALSE;
  if (!assay_parse_iso8601_ms (text, out))
    return fail (error, ASSAY_SAMPLING_ERROR_INVALID,
                 "%s: '%s' is not an ISO-8601 time such as 2026-11-09T00:00:00Z", name, text);
  return TRUE;
}

static gboolean
read_strv (JsonObject   *obj,
           const char   *name,
           char       ***out,
           GError      **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, ASSAY_SAMPLING_ERROR_INVALID, "%s: must be a list of strings", name);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return fail (error, ASSAY_SAMPLING_ERROR_INVALID, "%s[%u]: must be a string", name, i);
      g_ptr_array_add (strings, g_strdup (json_node_get_string (element)));
    }
  if (strings->len == 0)
    {
      *out = NULL;
      return TRUE;
    }
  g_ptr_array_add (strings, NULL);
  *out = (char **) g_ptr_array_steal (strings, NULL);
  return TRUE;
}

AssaySamplingRule *
assay_sampling_rule_from_json_node (JsonNode  *node,
                                    GError   **error)
{
  g_autoptr(AssaySamplingRule) rule = assay_sampling_rule_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *obj;
  JsonNode *weight;
  gint64 value;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, ASSAY_SAMPLING_ERROR_SYNTAX, "a sampling rule must be a JSON object");
      return NULL;
    }
  obj = json_node_get_object (node);
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (rule_members, l->data))
      {
        fail (error, ASSAY_SAMPLING_ERROR_INVALID, "%s: is not a field of a sampling rule",
              (const char *) l->data);
        return NULL;
      }

  if (!read_int (obj, "format", FALSE, G_MININT64, G_MAXINT64, &value, error))
    return NULL;
  if (value != ASSAY_SAMPLING_FORMAT)
    {
      fail (error, ASSAY_SAMPLING_ERROR_UNSUPPORTED,
            "format: %" G_GINT64_FORMAT " is not known to this version of Assay (it reads %d)",
            value, ASSAY_SAMPLING_FORMAT);
      return NULL;
    }
  if (!read_int (obj, "algorithm", FALSE, G_MININT, G_MAXINT, &value, error))
    return NULL;
  rule->algorithm = (int) value;
  if (rule->algorithm != ASSAY_SAMPLING_ALGORITHM)
    {
      fail (error, ASSAY_SAMPLING_ERROR_UNSUPPORTED,
            "algorithm: %d is not known to this version of Assay (it draws with %d)",
            rule->algorithm, ASSAY_SAMPLING_ALGORITHM);
      return NULL;
    }
  if (!read_int (obj, "per_agent_per_week", FALSE, 1, ASSAY_SAMPLING_MAX_PER_AGENT, &value, error))
    return NULL;
  rule->per_agent_per_week = (guint) value;
  if (!read_time (obj, "from", &rule->from_ms, error)
      || !read_time (obj, "to", &rule->to_ms, error))
    return NULL;
  if (!read_int (obj, "week_offset_minutes", FALSE, -14 * 60, 14 * 60, &value, error))
    return NULL;
  rule->week_offset_min = (int) value;
  if (!read_strv (obj, "channels", &rule->channels, error)
      || !read_strv (obj, "queues", &rule->queues, error))
    return NULL;
  if (!read_int (obj, "min_handle_s", TRUE, 0, G_MAXINT, &value, error))
    return NULL;
  rule->min_handle_s = (int) value;
  if (!read_int (obj, "max_handle_s", TRUE, 0, G_MAXINT, &value, error))
    return NULL;
  rule->max_handle_s = (int) value;
  if (!read_int (obj, "csat_max", TRUE, 1, 5, &value, error))
    return NULL;
  rule->csat_max = (int) value;

  weight = json_object_get_member (obj, "low_csat_weight");
  if (weight != NULL && !JSON_NODE_HOLDS_NULL (weight))
    {
      GType type = JSON_NODE_HOLDS_VALUE (weight) ? json_node_get_value_type (weight) : G_TYPE_INVALID;

      if (type == G_TYPE_INT64)
        rule->low_csat_weight = (double) json_node_get_int (weight);
      else if (type == G_TYPE_DOUBLE)
        rule->low_csat_weight = json_node_get_double (weight);
      else
        {
          fail (error, ASSAY_SAMPLING_ERROR_INVALID, "low_csat_weight: must be a number");
          return NULL;
        }
    }
  if (!is_null (obj, "low_csat_at_most"))
    {
      if (!read_int (obj, "low_csat_at_most", FALSE, 1, 5, &value, error))
        return NULL;
      rule->low_csat_at_most = (int) value;
    }
  if (!read_string (obj, "form_version_id", TRUE, &rule->form_version_id, error))
    return NULL;
  if (!read_int (obj, "due_days", FALSE, 0, 365, &value, error))
    return NULL;
  rule->due_days = (guint) value;
  if (!read_string (obj, "inspector_id", TRUE, &rule->inspector_id, error))
    return NULL;

  if (!assay_sampling_rule_validate (rule, error))
    return NULL;
  return g_steal_pointer (&rule);
}

AssaySamplingRule *
assay_sampling_rule_from_json (const char  *data,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  root = assay_protocol_parse_json (data, length, NULL, &local_error);
  if (root == NULL)
    {
      if (g_error_matches (local_error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_EMPTY))
        fail (error, ASSAY_SAMPLING_ERROR_SYNTAX, "the sampling rule is empty");
      else
        fail (error, ASSAY_SAMPLING_ERROR_SYNTAX, "the sampling rule is not valid JSON: %s",
              local_error->message);
      return NULL;
    }
  return assay_sampling_rule_from_json_node (root, error);
}
