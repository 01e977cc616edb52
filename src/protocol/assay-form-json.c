/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-form-json.h"

#include <math.h>
#include <string.h>

#include "assay-protocol.h"

/*
 * Reading is strict: an unknown field, a field of the wrong type or a field that means nothing
 * for an item's kind is an error naming its path, so that a typo in a scorecard never silently
 * changes what a score means. The rules that do not depend on JSON (weights, kinds, percent
 * sums, ...) are checked once, by assay_form_validate() in core, which names the same paths.
 */

static const char * const form_members[] = {
  "format", "id", "name", "description", "version", "published", "mode", "na_redistribution",
  "minimum", "comment_on_deduction", "bands", "sections", "comment", NULL
};
static const char * const band_members[] = { "name", "min", NULL };
static const char * const section_members[] = {
  "id", "title", "weight", "bonus", "baseline", "items", NULL
};
static const char * const item_members[] = {
  "id", "kind", "text", "help", "weight", "required", "na", "fatal", "fail_section", "critical",
  "comment_on_deduction", "min", "max", "options", "comment", "script", "observation", "unit",
  "evidence", NULL
};
static const char * const script_members[] = {
  "must_say", "must_not_say", "speaker", "within_s", NULL
};
static const char * const option_members[] = { "id", "label", "points", NULL };
static const char * const answers_members[] = {
  "format", "form_id", "form_version", "answers", NULL
};
static const char * const answer_members[] = {
  "value", "na", "comment", "evidence", "suggested", NULL
};
static const char * const evidence_members[] = { "start_ms", "end_ms", NULL };

/* Writing -------------------------------------------------------------------------------------- */

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
write_double (GString *out,
              double   d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (d))
    {
      g_string_append (out, "null");
      return;
    }
  if (d == 0)
    {
      g_string_append_c (out, '0');
      return;
    }
  /* the shortest text that reads back as the same double */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }
  g_string_append (out, buf);
}

static void
newline (GString  *out,
         gboolean  pretty,
         int       depth)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
write_node (GString  *out,
            JsonNode *node,
            gboolean  pretty,
            int       depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *obj = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (obj);

        if (members == NULL)
          {
            g_string_append (out, "{}");
            break;
          }
        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            newline (out, pretty, depth + 1);
            write_string (out, l->data);
            g_string_append (out, pretty ? ": " : ":");
            write_node (out, json_object_get_member (obj, l->data), pretty, depth + 1);
            if (l->next != NULL)
              g_string_append_c (out, ',');
          }
        newline (out, pretty, depth);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            newline (out, pretty, depth + 1);
            write_node (out, json_array_get_element (array, i), pretty, depth + 1);
            if (i + 1 < n)
              g_string_append_c (out, ',');
          }
        newline (out, pretty, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          write_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
assay_json_write (JsonNode *node,
                  gboolean  pretty)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  write_node (out, node, pretty, 0);
  if (pretty)
    g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

static void
add_number (JsonBuilder *builder,
            double       value)
{
  if (isnan (value))
    json_builder_add_null_value (builder);
  else if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

static void
member_number (JsonBuilder *builder,
               const char  *name,
               double       value)
{
  json_builder_set_member_name (builder, name);
  add_number (builder, value);
}

static void
member_string (JsonBuilder *builder,
               const char  *name,
               const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
member_bool (JsonBuilder *builder,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

/* Reading helpers ----------------------------------------------------------------------------- */

static char *
join (const char *base,
      const char *name)
{
  return base == NULL || *base == '\0' ? g_strdup (name) : g_strconcat (base, ".", name, NULL);
}

G_GNUC_PRINTF (4, 5) static gboolean
bad (GError    **error,
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

G_GNUC_PRINTF (5, 6) static gboolean
bad_member (GError    **error,
            int         code,
            const char *base,
            const char *name,
            const char *format,
            ...)
{
  va_list args;
  g_autofree char *msg = NULL;
  g_autofree char *path = join (base, name);

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ASSAY_FORM_ERROR, code, "%s: %s", path, msg);
  return FALSE;
}

static gboolean
check_members (JsonObject         *obj,
               const char         *base,
               const char * const *allowed,
               int                 code,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return bad_member (error, code, base, l->data, "unknown field (see docs/forms.md)");
  return TRUE;
}

/* The member @name, or %NULL when it is absent or null. */
static JsonNode *
member (JsonObject *obj,
        const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? NULL : node;
}

static gboolean
holds_type (JsonNode *node,
            GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
holds_number (JsonNode *node)
{
  return holds_type (node, G_TYPE_INT64) || holds_type (node, G_TYPE_DOUBLE);
}

static gboolean
get_string (JsonObject  *obj,
            const char  *base,
            const char  *name,
            gboolean     required,
            const char **out,
            int          code,
            GError     **error)
{
  JsonNode *node = member (obj, name);

  *out = NULL;
  if (node == NULL)
    return required ? bad_member (error, code, base, name, "must be given") : TRUE;
  if (!holds_type (node, G_TYPE_STRING))
    return bad_member (error, code, base, name, "must be a string");
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_number (JsonObject  *obj,
            const char  *base,
            const char  *name,
            gboolean     required,
            double      *out,
            gboolean    *present,
            int          code,
            GError     **error)
{
  JsonNode *node = member (obj, name);

  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return required ? bad_member (error, code, base, name, "must be given") : TRUE;
  if (!holds_number (node))
    return bad_member (error, code, base, name, "must be a number");
  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
get_whole (JsonObject  *obj,
           const char  *base,
           const char  *name,
           gboolean     required,
           gint64      *out,
           gboolean    *present,
           int          code,
           GError     **error)
{
  JsonNode *node = member (obj, name);
  double d;

  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return required ? bad_member (error, code, base, name, "must be given") : TRUE;
  if (holds_type (node, G_TYPE_INT64))
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (!holds_type (node, G_TYPE_DOUBLE))
    return bad_member (error, code, base, name, "must be a whole number");
  d = json_node_get_double (node);
  if (d != floor (d) || fabs (d) > 9e15)
    return bad_member (error, code, base, name, "must be a whole number");
  *out = (gint64) d;
  return TRUE;
}

static gboolean
get_bool (JsonObject  *obj,
          const char  *base,
          const char  *name,
          gboolean    *out,
          gboolean    *present,
          int          code,
          GError     **error)
{
  JsonNode *node = member (obj, name);

  if (present != NULL)
    *present = node != NULL;
  if (node == NULL)
    return TRUE;
  if (!holds_type (node, G_TYPE_BOOLEAN))
    return bad_member (error, code, base, name, "must be true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *obj,
           const char  *base,
           const char  *name,
           gboolean     required,
           JsonArray  **out,
           int          code,
           GError     **error)
{
  JsonNode *node = member (obj, name);

  *out = NULL;
  if (node == NULL)
    return required ? bad_member (error, code, base, name, "must be given") : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return bad_member (error, code, base, name, "must be an array");
  *out = json_node_get_array (node);
  return TRUE;
}

static JsonObject *
element_object (JsonArray  *array,
                guint       index,
                const char *path,
                int         code,
                GError    **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad (error, code, path, "must be an object");
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonNode *
parse_data (const char  *data,
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

static gboolean
check_format (JsonObject *obj,
              int         code,
              GError    **error)
{
  gint64 format = 0;

  if (!get_whole (obj, NULL, "format", TRUE, &format, NULL, code, error))
    return FALSE;
  if (format != ASSAY_FORM_FORMAT)
    return bad (error, ASSAY_FORM_ERROR_UNSUPPORTED, "format",
                "this version of Assay reads format %d, the file has format %" G_GINT64_FORMAT,
                ASSAY_FORM_FORMAT, format);
  return TRUE;
}

/* Forms ---------------------------------------------------------------------------------------- */

static const char *
kind_list (void)
{
  return "yes_no, yes_no_na, scale, points, single_choice, multiple_choice, number, text, date";
}

/* A phrase is a string, or an array of its equal forms (Simplified and Traditional, say). */
static gboolean
parse_phrases (JsonArray  *array,
               const char *path,
               gboolean    must_say,
               AssayScript *script,
               int         code,
               GError    **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(GPtrArray) forms = g_ptr_array_new ();

      if (holds_type (node, G_TYPE_STRING))
        g_ptr_array_add (forms, (gpointer) json_node_get_string (node));
      else if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
        {
          JsonArray *alts = json_node_get_array (node);

          for (guint f = 0; f < json_array_get_length (alts); f++)
            {
              JsonNode *alt = json_array_get_element (alts, f);

              if (!holds_type (alt, G_TYPE_STRING))
                return bad (error, code, path, "phrase %u: each form must be a string", i);
              g_ptr_array_add (forms, (gpointer) json_node_get_string (alt));
            }
        }
      else
        return bad (error, code, path,
                    "phrase %u must be a string or an array of its equal forms", i);
      g_ptr_array_add (forms, NULL);
      assay_script_add_phrase (script, must_say, (const char *const *) forms->pdata);
    }
  return TRUE;
}

static gboolean
parse_script (AssayItem   *item,
              JsonObject  *obj,
              const char  *ip,
              int          code,
              GError     **error)
{
  JsonNode *node = member (obj, "script");
  g_autofree char *sp = join (ip, "script");
  g_autofree char *msp = NULL;
  g_autofree char *mnp = NULL;
  g_autoptr(AssayScript) script = NULL;
  JsonObject *so;
  JsonArray *must_say, *must_not_say;
  const char *speaker = NULL;
  gboolean present;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, code, sp, "must be an object");
  so = json_node_get_object (node);
  script = assay_script_new ();
  if (!check_members (so, sp, script_members, code, error)
      || !get_array (so, sp, "must_say", FALSE, &must_say, code, error)
      || !get_array (so, sp, "must_not_say", FALSE, &must_not_say, code, error)
      || !get_string (so, sp, "speaker", FALSE, &speaker, code, error)
      || !get_number (so, sp, "within_s", FALSE, &script->within_s, &present, code, error))
    return FALSE;
  if (speaker != NULL)
    {
      if (strcmp (speaker, "any") == 0)
        script->speaker = ASSAY_SPEAKER_UNKNOWN;
      else if (!assay_speaker_from_string (speaker, &script->speaker)
               || script->speaker == ASSAY_SPEAKER_UNKNOWN)
        return bad_member (error, code, sp, "speaker", "must be \"agent\", \"customer\" or \"any\"");
    }
  msp = join (sp, "must_say");
  mnp = join (sp, "must_not_say");
  if (!parse_phrases (must_say, msp, TRUE, script, code, error)
      || !parse_phrases (must_not_say, mnp, FALSE, script, code, error))
    return FALSE;
  item->script = g_steal_pointer (&script);
  return TRUE;
}

static void
write_phrases (JsonBuilder *builder,
               const char  *name,
               GPtrArray   *phrases)
{
  if (phrases->len == 0)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < phrases->len; i++)
    {
      const char *const *forms = g_ptr_array_index (phrases, i);

      if (forms[0] != NULL && forms[1] == NULL)
        json_builder_add_string_value (builder, forms[0]);
      else
        {
          json_builder_begin_array (builder);
          for (guint f = 0; forms[f] != NULL; f++)
            json_builder_add_string_value (builder, forms[f]);
          json_builder_end_array (builder);
        }
    }
  json_builder_end_array (builder);
}

static void
write_script (JsonBuilder       *builder,
              const AssayScript *script)
{
  json_builder_set_member_name (builder, "script");
  json_builder_begin_object (builder);
  write_phrases (builder, "must_say", script->must_say);
  write_phrases (builder, "must_not_say", script->must_not_say);
  if (script->speaker != ASSAY_SPEAKER_AGENT)
    member_string (builder, "speaker", script->speaker == ASSAY_SPEAKER_UNKNOWN
                                         ? "any" : assay_speaker_to_string (script->speaker));
  if (script->within_s > 0)
    member_number (builder, "within_s", script->within_s);
  json_builder_end_object (builder);
}

static gboolean
parse_item (AssayForm    *form,
            AssaySection *section,
            JsonObject   *obj,
            const char   *ip,
            GError      **error)
{
  const int code = ASSAY_FORM_ERROR_INVALID;
  const char *id, *kind_name, *text, *help;
  AssayItemKind kind;
  AssayItem *item;
  gboolean scored, present;
  const char *kind_s;
  JsonArray *options;
  double number;

  if (!check_members (obj, ip, item_members, code, error)
      || !get_string (obj, ip, "id", TRUE, &id, code, error)
      || !get_string (obj, ip, "kind", TRUE, &kind_name, code, error))
    return FALSE;
  if (!assay_item_kind_from_string (kind_name, &kind))
    return bad_member (error, code, ip, "kind", "unknown kind \"%s\" (use %s)", kind_name,
                       kind_list ());
  if (!get_string (obj, ip, "text", TRUE, &text, code, error)
      || !get_string (obj, ip, "help", FALSE, &help, code, error))
    return FALSE;

  item = assay_form_add_item (form, section, id, kind, text);
  item->help = g_strdup (help);
  scored = assay_item_kind_is_scored (kind);
  kind_s = assay_item_kind_to_string (kind);

#define NOT_FOR_KIND(name) \
  bad_member (error, code, ip, name, "not used by a %s item", kind_s)

  if (!get_number (obj, ip, "weight", FALSE, &number, &present, code, error))
    return FALSE;
  if (present && !scored)
    return NOT_FOR_KIND ("weight");
  if (present)
    item->weight = number;

  if (!get_bool (obj, ip, "required", &item->required, NULL, code, error)
      || !get_bool (obj, ip, "na", &item->allow_na, NULL, code, error)
      || !get_bool (obj, ip, "fatal", &item->fatal, NULL, code, error)
      || !get_bool (obj, ip, "fail_section", &item->fail_section, NULL, code, error)
      || !get_bool (obj, ip, "critical", &item->critical, NULL, code, error))
    return FALSE;
  {
    gboolean comment = FALSE;

    const char *rule_name = NULL;
    AssayCommentRule rule;

    if (!get_bool (obj, ip, "comment_on_deduction", &comment, &present, code, error)
        || !get_string (obj, ip, "comment", FALSE, &rule_name, code, error))
      return FALSE;
    if (present && !scored)
      return NOT_FOR_KIND ("comment_on_deduction");
    if (rule_name != NULL && !scored)
      return NOT_FOR_KIND ("comment");
    if (present && rule_name != NULL)
      return bad_member (error, code, ip, "comment",
                         "give either \"comment\" or the older \"comment_on_deduction\", not both");
    if (present)
      item->comment_on_deduction = comment;
    if (rule_name != NULL)
      {
        if (!assay_comment_rule_from_string (rule_name, &rule))
          return bad_member (error, code, ip, "comment",
                             "must be \"never\", \"on_fail\" or \"below_full\"");
        assay_item_set_comment_rule (item, rule);
      }
  }
  if (!parse_script (item, obj, ip, code, error))
    return FALSE;
  /* audits (docs/audits.md): an observation, a measured time, evidence files */
  {
    const char *unit = NULL;
    double evidence = 0;

    if (!get_bool (obj, ip, "observation", &item->observation, NULL, code, error)
        || !get_string (obj, ip, "unit", FALSE, &unit, code, error)
        || !get_number (obj, ip, "evidence", FALSE, &evidence, &present, code, error))
      return FALSE;
    if (unit != NULL && g_strcmp0 (unit, "seconds") != 0)
      return bad_member (error, code, ip, "unit", "must be \"seconds\"");
    item->duration = unit != NULL;
    if (present && (evidence < 0 || evidence > ASSAY_ITEM_MAX_EVIDENCE
                    || evidence != (double) (guint) evidence))
      return bad_member (error, code, ip, "evidence", "must be a whole number from 0 to %d",
                         ASSAY_ITEM_MAX_EVIDENCE);
    item->evidence_min = present ? (guint) evidence : 0;
  }

  if (kind == ASSAY_ITEM_SCALE || kind == ASSAY_ITEM_POINTS || kind == ASSAY_ITEM_NUMBER)
    {
      gboolean needed = kind == ASSAY_ITEM_SCALE;

      if (!get_number (obj, ip, "min", needed, &number, &present, code, error))
        return FALSE;
      item->has_min = present || kind != ASSAY_ITEM_NUMBER;
      if (present)
        item->min = number;
      else if (kind == ASSAY_ITEM_POINTS)
        item->min = 0;
      if (!get_number (obj, ip, "max", kind != ASSAY_ITEM_NUMBER, &number, &present, code, error))
        return FALSE;
      item->has_max = present;
      if (present)
        item->max = number;
    }
  else if (member (obj, "min") != NULL)
    return NOT_FOR_KIND ("min");
  else if (member (obj, "max") != NULL)
    return NOT_FOR_KIND ("max");

  if (!get_array (obj, ip, "options", FALSE, &options, code, error))
    return FALSE;
  if (kind == ASSAY_ITEM_SINGLE_CHOICE || kind == ASSAY_ITEM_MULTIPLE_CHOICE)
    {
      if (options == NULL)
        return bad_member (error, code, ip, "options", "must be given for a %s item", kind_s);
      for (guint k = 0; k < json_array_get_length (options); k++)
        {
          g_autofree char *op = g_strdup_printf ("%s.options[%u]", ip, k);
          JsonObject *o = element_object (options, k, op, code, error);
          const char *oid, *label;
          double points = 0;

          if (o == NULL
              || !check_members (o, op, option_members, code, error)
              || !get_string (o, op, "id", TRUE, &oid, code, error)
              || !get_string (o, op, "label", TRUE, &label, code, error)
              || !get_number (o, op, "points", FALSE, &points, NULL, code, error))
            return FALSE;
          assay_form_add_option (form, item, oid, label, points);
        }
    }
  else if (options != NULL)
    return NOT_FOR_KIND ("options");

#undef NOT_FOR_KIND
  return TRUE;
}

static AssayForm *
parse_form (JsonNode  *node,
            gboolean   check,
            GError   **error)
{
  const int code = ASSAY_FORM_ERROR_INVALID;
  g_autoptr(AssayForm) form = NULL;
  JsonObject *obj;
  const char *id, *name, *description, *mode_name;
  gint64 version = 0;
  AssayFormMode mode = ASSAY_FORM_MODE_POINTS;
  JsonArray *bands, *sections;
  gboolean published = FALSE;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_SYNTAX,
                   "a form file must hold a JSON object");
      return NULL;
    }
  obj = json_node_get_object (node);
  if (!check_format (obj, code, error)
      || !check_members (obj, NULL, form_members, code, error)
      || !get_string (obj, NULL, "id", TRUE, &id, code, error)
      || !get_string (obj, NULL, "name", TRUE, &name, code, error)
      || !get_string (obj, NULL, "description", FALSE, &description, code, error)
      || !get_whole (obj, NULL, "version", TRUE, &version, NULL, code, error)
      || !get_string (obj, NULL, "mode", FALSE, &mode_name, code, error))
    return NULL;
  if (version < 1 || version > G_MAXINT32)
    {
      bad (error, code, "version", "must be from 1 to %d", G_MAXINT32);
      return NULL;
    }
  if (mode_name != NULL && !assay_form_mode_from_string (mode_name, &mode))
    {
      bad (error, code, "mode", "must be \"points\" or \"percent\"");
      return NULL;
    }

  form = assay_form_new (id, name, (guint) version, mode);
  form->description = g_strdup (description);
  if (!get_bool (obj, NULL, "published", &published, NULL, code, error)
      || !get_bool (obj, NULL, "na_redistribution", &form->na_redistribution, NULL, code, error)
      || !get_number (obj, NULL, "minimum", FALSE, &form->minimum, NULL, code, error)
      || !get_bool (obj, NULL, "comment_on_deduction", &form->comment_on_deduction, NULL, code,
                    error)
      || !get_array (obj, NULL, "bands", FALSE, &bands, code, error)
      || !get_array (obj, NULL, "sections", TRUE, &sections, code, error))
    return NULL;
  {
    const char *rule_name = NULL;
    AssayCommentRule rule;

    if (!get_string (obj, NULL, "comment", FALSE, &rule_name, code, error))
      return NULL;
    if (rule_name != NULL && member (obj, "comment_on_deduction") != NULL)
      {
        bad (error, code, "comment",
             "give either \"comment\" or the older \"comment_on_deduction\", not both");
        return NULL;
      }
    if (rule_name != NULL && !assay_comment_rule_from_string (rule_name, &rule))
      {
        bad (error, code, "comment", "must be \"never\", \"on_fail\" or \"below_full\"");
        return NULL;
      }
    if (rule_name != NULL)
      {
        form->comment_on_deduction = rule == ASSAY_COMMENT_BELOW_FULL;
        form->comment_on_fail = rule == ASSAY_COMMENT_ON_FAIL;
      }
  }

  for (guint b = 0; bands != NULL && b < json_array_get_length (bands); b++)
    {
      g_autofree char *bp = g_strdup_printf ("bands[%u]", b);
      JsonObject *bo = element_object (bands, b, bp, code, error);
      const char *band_name;
      double min = 0;

      if (bo == NULL
          || !check_members (bo, bp, band_members, code, error)
          || !get_string (bo, bp, "name", TRUE, &band_name, code, error)
          || !get_number (bo, bp, "min", TRUE, &min, NULL, code, error))
        return NULL;
      assay_form_add_band (form, band_name, min);
    }

  for (guint s = 0; s < json_array_get_length (sections); s++)
    {
      g_autofree char *sp = g_strdup_printf ("sections[%u]", s);
      JsonObject *so = element_object (sections, s, sp, code, error);
      const char *sid, *title;
      double weight = 1;
      gboolean has_weight;
      JsonArray *items;
      AssaySection *section;

      if (so == NULL
          || !check_members (so, sp, section_members, code, error)
          || !get_string (so, sp, "id", TRUE, &sid, code, error)
          || !get_string (so, sp, "title", TRUE, &title, code, error)
          || !get_number (so, sp, "weight", FALSE, &weight, &has_weight, code, error))
        return NULL;
      if (!has_weight && mode == ASSAY_FORM_MODE_PERCENT)
        {
          bad_member (error, code, sp, "weight",
                      "must be given in percent mode (the section's percent of the form)");
          return NULL;
        }
      section = assay_form_add_section (form, sid, title, weight);
      if (!get_bool (so, sp, "bonus", &section->bonus, NULL, code, error)
          || !get_number (so, sp, "baseline", FALSE, &section->baseline, NULL, code, error)
          || !get_array (so, sp, "items", TRUE, &items, code, error))
        return NULL;

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          g_autofree char *ip = g_strdup_printf ("%s.items[%u]", sp, i);
          JsonObject *io = element_object (items, i, ip, code, error);

          if (io == NULL || !parse_item (form, section, io, ip, error))
            return NULL;
        }
    }

  /* a draft being edited may break a rule for a while; it is checked when it is published */
  if (!check)
    {
      assay_form_validate (form, NULL);
      return g_steal_pointer (&form);
    }
  if (!assay_form_validate (form, error))
    return NULL;
  if (published && !assay_form_publish (form, error))
    return NULL;
  return g_steal_pointer (&form);
}

AssayForm *
assay_form_from_json_node (JsonNode  *node,
                           GError   **error)
{
  return parse_form (node, TRUE, error);
}

AssayForm *
assay_form_from_json (const char  *data,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  root = parse_data (data, length, error);
  if (root == NULL)
    return NULL;
  return assay_form_from_json_node (root, error);
}

AssayForm *
assay_form_draft_from_json (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  root = parse_data (data, length, error);
  if (root == NULL)
    return NULL;
  return parse_form (root, FALSE, error);
}

JsonNode *
assay_form_to_json_node (const AssayForm *form)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (form != NULL, NULL);

  json_builder_begin_object (builder);
  member_number (builder, "format", ASSAY_FORM_FORMAT);
  member_string (builder, "id", form->id);
  member_string (builder, "name", form->name);
  if (form->description != NULL)
    member_string (builder, "description", form->description);
  member_number (builder, "version", form->version);
  if (form->published)
    member_bool (builder, "published", TRUE);
  member_string (builder, "mode", assay_form_mode_to_string (form->mode));
  member_bool (builder, "na_redistribution", form->na_redistribution);
  if (form->minimum != 0)
    member_number (builder, "minimum", form->minimum);
  if (form->comment_on_deduction)
    member_bool (builder, "comment_on_deduction", TRUE);
  else if (form->comment_on_fail)
    member_string (builder, "comment", "on_fail");

  if (form->bands->len > 0)
    {
      json_builder_set_member_name (builder, "bands");
      json_builder_begin_array (builder);
      for (guint b = 0; b < form->bands->len; b++)
        {
          const AssayBand *band = g_ptr_array_index (form->bands, b);

          json_builder_begin_object (builder);
          member_string (builder, "name", band->name);
          member_number (builder, "min", band->min);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint s = 0; s < form->sections->len; s++)
    {
      const AssaySection *section = g_ptr_array_index (form->sections, s);

      json_builder_begin_object (builder);
      member_string (builder, "id", section->id);
      member_string (builder, "title", section->title);
      member_number (builder, "weight", section->weight);
      if (section->bonus)
        member_bool (builder, "bonus", TRUE);
      if (section->baseline != 0)
        member_number (builder, "baseline", section->baseline);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      for (guint i = 0; i < section->items->len; i++)
        {
          const AssayItem *item = g_ptr_array_index (section->items, i);
          gboolean scored = assay_item_kind_is_scored (item->kind);

          json_builder_begin_object (builder);
          member_string (builder, "id", item->id);
          member_string (builder, "kind", assay_item_kind_to_string (item->kind));
          member_string (builder, "text", item->text);
          if (item->help != NULL)
            member_string (builder, "help", item->help);
          if (scored)
            member_number (builder, "weight", item->weight);
          if (item->required != (scored && !section->bonus))
            member_bool (builder, "required", item->required);
          if (item->allow_na != (item->kind == ASSAY_ITEM_YES_NO_NA))
            member_bool (builder, "na", item->allow_na);
          if (item->fatal)
            member_bool (builder, "fatal", TRUE);
          if (item->fail_section)
            member_bool (builder, "fail_section", TRUE);
          if (item->critical)
            member_bool (builder, "critical", TRUE);
          if (scored && assay_item_get_comment_rule (item) != assay_form_get_comment_rule (form))
            {
              /* the older boolean where it says it all, so older files stay byte for byte */
              if (!item->comment_on_fail && !form->comment_on_fail)
                member_bool (builder, "comment_on_deduction", item->comment_on_deduction);
              else
                member_string (builder, "comment",
                               assay_comment_rule_to_string (assay_item_get_comment_rule (item)));
            }
          if (item->script != NULL)
            write_script (builder, item->script);
          if (item->observation)
            member_bool (builder, "observation", TRUE);
          if (item->duration)
            member_string (builder, "unit", "seconds");
          if (item->evidence_min > 0)
            member_number (builder, "evidence", item->evidence_min);
          if (item->kind == ASSAY_ITEM_SCALE || item->kind == ASSAY_ITEM_POINTS
              || (item->kind == ASSAY_ITEM_NUMBER && item->has_min))
            member_number (builder, "min", item->min);
          if (item->kind == ASSAY_ITEM_SCALE || item->kind == ASSAY_ITEM_POINTS
              || (item->kind == ASSAY_ITEM_NUMBER && item->has_max))
            member_number (builder, "max", item->max);
          if (item->kind == ASSAY_ITEM_SINGLE_CHOICE || item->kind == ASSAY_ITEM_MULTIPLE_CHOICE)
            {
              json_builder_set_member_name (builder, "options");
              json_builder_begin_array (builder);
              for (guint k = 0; k < item->options->len; k++)
                {
                  const AssayOption *o = g_ptr_array_index (item->options, k);

                  json_builder_begin_object (builder);
                  member_string (builder, "id", o->id);
                  member_string (builder, "label", o->label);
                  member_number (builder, "points", o->points);
                  json_builder_end_object (builder);
                }
              json_builder_end_array (builder);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
assay_form_to_json (const AssayForm *form)
{
  g_autoptr(JsonNode) node = assay_form_to_json_node (form);

  return assay_json_write (node, TRUE);
}

/* Answers -------------------------------------------------------------------------------------- */

static char *
option_list (const AssayItem *item)
{
  GString *list = g_string_new (NULL);

  for (guint k = 0; k < item->options->len; k++)
    {
      if (k > 0)
        g_string_append (list, ", ");
      g_string_append (list, ((AssayOption *) g_ptr_array_index (item->options, k))->id);
    }
  return g_string_free (list, FALSE);
}

static int
option_index (const AssayItem *item,
              const char      *id)
{
  for (guint k = 0; k < item->options->len; k++)
    if (g_strcmp0 (((AssayOption *) g_ptr_array_index (item->options, k))->id, id) == 0)
      return (int) k;
  return -1;
}

/* Runs a setter's error through the path of the field it came from. */
static gboolean
with_path (gboolean     ok,
           GError     **local,
           const char  *path,
           GError     **error)
{
  if (ok)
    return TRUE;
  bad (error, ASSAY_FORM_ERROR_INVALID_ANSWER, path, "%s", (*local)->message);
  g_clear_error (local);
  return FALSE;
}

static gboolean
parse_value (AssayAnswers    *answers,
             const AssayItem *item,
             JsonNode        *node,
             const char      *vp,
             GError         **error)
{
  const int code = ASSAY_FORM_ERROR_INVALID_ANSWER;
  GError *local = NULL;

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      {
        const char *s = holds_type (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
        int choice = g_strcmp0 (s, "yes") == 0 ? 0 : g_strcmp0 (s, "no") == 0 ? 1 : -1;

        if (choice < 0)
          return bad (error, code, vp, "must be \"yes\" or \"no\"");
        return with_path (assay_answers_set_choice (answers, item->index, choice, &local),
                          &local, vp, error);
      }

    case ASSAY_ITEM_SCALE:
      if (!holds_number (node))
        return bad (error, code, vp, "must be a whole number from %g to %g", item->min, item->max);
      return with_path (assay_answers_set_value (answers, item->index,
                                                 json_node_get_double (node), &local),
                        &local, vp, error);

    case ASSAY_ITEM_POINTS:
    case ASSAY_ITEM_NUMBER:
      if (!holds_number (node))
        return bad (error, code, vp, "must be a number");
      return with_path (assay_answers_set_value (answers, item->index,
                                                 json_node_get_double (node), &local),
                        &local, vp, error);

    case ASSAY_ITEM_SINGLE_CHOICE:
      {
        const char *s = holds_type (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
        int k = option_index (item, s);

        if (k < 0)
          {
            g_autofree char *list = option_list (item);

            if (s == NULL)
              return bad (error, code, vp, "must be the id of an option (%s)", list);
            return bad (error, code, vp, "no option \"%s\" (use %s)", s, list);
          }
        return with_path (assay_answers_set_choice (answers, item->index, k, &local),
                          &local, vp, error);
      }

    case ASSAY_ITEM_MULTIPLE_CHOICE:
      {
        JsonArray *array;
        guint64 choices = 0;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          return bad (error, code, vp, "must be an array of option ids");
        array = json_node_get_array (node);
        for (guint e = 0; e < json_array_get_length (array); e++)
          {
            JsonNode *el = json_array_get_element (array, e);
            const char *s = holds_type (el, G_TYPE_STRING) ? json_node_get_string (el) : NULL;
            int k = option_index (item, s);
            g_autofree char *ep = g_strdup_printf ("%s[%u]", vp, e);

            if (k < 0)
              {
                g_autofree char *list = option_list (item);

                if (s == NULL)
                  return bad (error, code, ep, "must be the id of an option (%s)", list);
                return bad (error, code, ep, "no option \"%s\" (use %s)", s, list);
              }
            if (choices & (G_GUINT64_CONSTANT (1) << k))
              return bad (error, code, ep, "option \"%s\" is listed twice", s);
            choices |= G_GUINT64_CONSTANT (1) << k;
          }
        return with_path (assay_answers_set_choices (answers, item->index, choices, &local),
                          &local, vp, error);
      }

    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
      if (!holds_type (node, G_TYPE_STRING))
        return bad (error, code, vp, item->kind == ASSAY_ITEM_DATE
                                     ? "must be a date as \"YYYY-MM-DD\"" : "must be a string");
      return with_path (assay_answers_set_text (answers, item->index, json_node_get_string (node),
                                                &local),
                        &local, vp, error);

    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

static gboolean
parse_answer (AssayAnswers    *answers,
              const AssayItem *item,
              JsonObject      *obj,
              const char      *ap,
              GError         **error)
{
  const int code = ASSAY_FORM_ERROR_INVALID_ANSWER;
  gboolean is_na = FALSE;
  JsonNode *value;
  const char *comment;
  JsonArray *evidence;
  gboolean suggested = FALSE;

  if (!check_members (obj, ap, answer_members, code, error)
      || !get_bool (obj, ap, "suggested", &suggested, NULL, code, error)
      || !get_bool (obj, ap, "na", &is_na, NULL, code, error)
      || !get_string (obj, ap, "comment", FALSE, &comment, code, error)
      || !get_array (obj, ap, "evidence", FALSE, &evidence, code, error))
    return FALSE;

  value = member (obj, "value");
  if (is_na && value != NULL)
    return bad (error, code, ap, "give either a value or \"na\": true, not both");
  if (is_na)
    {
      g_autofree char *np = join (ap, "na");
      GError *local = NULL;

      if (!with_path (assay_answers_set_na (answers, item->index, &local), &local, np, error))
        return FALSE;
    }
  else if (value != NULL)
    {
      g_autofree char *vp = join (ap, "value");

      if (!parse_value (answers, item, value, vp, error))
        return FALSE;
    }

  assay_answers_set_comment (answers, item->index, comment);

  for (guint e = 0; evidence != NULL && e < json_array_get_length (evidence); e++)
    {
      g_autofree char *ep = g_strdup_printf ("%s.evidence[%u]", ap, e);
      JsonObject *eo = element_object (evidence, e, ep, code, error);
      gint64 start = 0, end = 0;

      if (eo == NULL
          || !check_members (eo, ep, evidence_members, code, error)
          || !get_whole (eo, ep, "start_ms", TRUE, &start, NULL, code, error)
          || !get_whole (eo, ep, "end_ms", TRUE, &end, NULL, code, error))
        return FALSE;
      if (start < 0)
        return bad_member (error, code, ep, "start_ms", "must be >= 0");
      if (end < start)
        return bad_member (error, code, ep, "end_ms", "must be >= start_ms");
      assay_answers_add_evidence (answers, item->index, start, end, NULL);
    }
  if (suggested)
    {
      const AssayAnswer *a = assay_answers_get (answers, item->index);
      g_autoptr(GArray) kept = NULL;

      if (a->state != ASSAY_ANSWER_VALUE || a->choice < 0)
        return bad_member (error, code, ap, "suggested",
                           "only a yes/no, scale or single choice value can be a suggestion");
      if (a->evidence != NULL)
        kept = g_array_ref (a->evidence);
      assay_answers_set_suggestion (answers, item->index, a->choice, kept, NULL);
    }
  return TRUE;
}

AssayAnswers *
assay_answers_from_json_node (AssayForm  *form,
                              JsonNode   *node,
                              GError    **error)
{
  const int code = ASSAY_FORM_ERROR_INVALID_ANSWER;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(GList) ids = NULL;
  JsonObject *obj, *map;
  JsonNode *map_node;
  const char *form_id;
  gint64 version = 0;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (assay_form_is_valid (form), NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_SYNTAX,
                   "an answers file must hold a JSON object");
      return NULL;
    }
  obj = json_node_get_object (node);
  if (!check_format (obj, code, error)
      || !check_members (obj, NULL, answers_members, code, error)
      || !get_string (obj, NULL, "form_id", TRUE, &form_id, code, error)
      || !get_whole (obj, NULL, "form_version", TRUE, &version, NULL, code, error))
    return NULL;
  if (g_strcmp0 (form_id, form->id) != 0)
    {
      bad (error, ASSAY_FORM_ERROR_WRONG_FORM, "form_id",
           "the answers are for form \"%s\", not \"%s\"", form_id, form->id);
      return NULL;
    }
  if (version != form->version)
    {
      bad (error, ASSAY_FORM_ERROR_WRONG_FORM, "form_version",
           "the answers were given on version %" G_GINT64_FORMAT " of form \"%s\"; score them "
           "on that version, not version %u", version, form->id, form->version);
      return NULL;
    }

  map_node = member (obj, "answers");
  if (map_node == NULL)
    {
      bad (error, code, "answers", "must be given");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (map_node))
    {
      bad (error, code, "answers", "must be an object of answers by item id");
      return NULL;
    }
  map = json_node_get_object (map_node);

  answers = assay_answers_new (form);
  ids = json_object_get_members (map);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      const char *id = l->data;
      g_autofree char *ap = g_strconcat ("answers.", id, NULL);
      JsonNode *an = json_object_get_member (map, id);
      int index = assay_form_lookup_item (form, id);

      if (index < 0)
        {
          bad (error, code, ap, "no item with this id in form \"%s\" version %u", form->id,
               form->version);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_OBJECT (an))
        {
          bad (error, code, ap, "must be an object (with \"value\" or \"na\")");
          return NULL;
        }
      if (!parse_answer (answers, assay_form_get_item (form, (guint) index),
                         json_node_get_object (an), ap, error))
        return NULL;
    }
  return g_steal_pointer (&answers);
}

AssayAnswers *
assay_answers_from_json (AssayForm   *form,
                         const char  *data,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  root = parse_data (data, length, error);
  if (root == NULL)
    return NULL;
  return assay_answers_from_json_node (form, root, error);
}

JsonNode *
assay_answers_to_json_node (const AssayAnswers *answers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  AssayForm *form;

  g_return_val_if_fail (answers != NULL, NULL);

  form = assay_answers_get_form (answers);
  json_builder_begin_object (builder);
  member_number (builder, "format", ASSAY_FORM_FORMAT);
  member_string (builder, "form_id", form->id);
  member_number (builder, "form_version", form->version);
  json_builder_set_member_name (builder, "answers");
  json_builder_begin_object (builder);
  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      const AssayAnswer *a = assay_answers_get (answers, i);

      if (a->state == ASSAY_ANSWER_NONE && a->comment == NULL && a->evidence == NULL)
        continue;
      json_builder_set_member_name (builder, item->id);
      json_builder_begin_object (builder);
      if (a->state == ASSAY_ANSWER_NA)
        member_bool (builder, "na", TRUE);
      else if (a->state == ASSAY_ANSWER_VALUE)
        {
          json_builder_set_member_name (builder, "value");
          switch (item->kind)
            {
            case ASSAY_ITEM_YES_NO:
            case ASSAY_ITEM_YES_NO_NA:
              json_builder_add_string_value (builder, a->choice == 0 ? "yes" : "no");
              break;
            case ASSAY_ITEM_SCALE:
            case ASSAY_ITEM_POINTS:
            case ASSAY_ITEM_NUMBER:
              add_number (builder, a->value);
              break;
            case ASSAY_ITEM_SINGLE_CHOICE:
              json_builder_add_string_value (
                builder, ((AssayOption *) g_ptr_array_index (item->options, a->choice))->id);
              break;
            case ASSAY_ITEM_MULTIPLE_CHOICE:
              json_builder_begin_array (builder);
              for (guint k = 0; k < item->options->len; k++)
                if (a->choices & (G_GUINT64_CONSTANT (1) << k))
                  json_builder_add_string_value (
                    builder, ((AssayOption *) g_ptr_array_index (item->options, k))->id);
              json_builder_end_array (builder);
              break;
            case ASSAY_ITEM_TEXT:
            case ASSAY_ITEM_DATE:
            default:
              json_builder_add_string_value (builder, a->text);
              break;
            }
        }
      if (a->comment != NULL)
        member_string (builder, "comment", a->comment);
      if (a->suggested)
        member_bool (builder, "suggested", TRUE);
      if (a->evidence != NULL && a->evidence->len > 0)
        {
          json_builder_set_member_name (builder, "evidence");
          json_builder_begin_array (builder);
          for (guint e = 0; e < a->evidence->len; e++)
            {
              const AssayEvidence *span = &g_array_index (a->evidence, AssayEvidence, e);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "start_ms");
              json_builder_add_int_value (builder, span->start_ms);
              json_builder_set_member_name (builder, "end_ms");
              json_builder_add_int_value (builder, span->end_ms);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
assay_answers_to_json (const AssayAnswers *answers)
{
  g_autoptr(JsonNode) node = assay_answers_to_json_node (answers);

  return assay_json_write (node, TRUE);
}

/* Results -------------------------------------------------------------------------------------- */

static double
round4 (double value)
{
  double r;

  if (isnan (value))
    return value;
  r = round (value * 10000) / 10000;
  return r == 0 ? 0 : r;   /* never "-0" */
}

static void
member_ids (JsonBuilder *builder,
            const char  *name,
            GPtrArray   *ids)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (ids, i));
  json_builder_end_array (builder);
}

JsonNode *
assay_score_to_json_node (const AssayScore *score)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (score != NULL, NULL);

  json_builder_begin_object (builder);
  member_string (builder, "form_id", score->form->id);
  member_number (builder, "form_version", score->form->version);
  member_number (builder, "overall", round4 (score->overall));
  member_number (builder, "without_fatal", round4 (score->without_fatal));
  member_number (builder, "critical", round4 (score->critical));
  member_number (builder, "bonus", round4 (score->bonus));
  member_string (builder, "band", score->band);
  member_ids (builder, "fatal_failed", score->fatal_failed);
  member_ids (builder, "critical_failed", score->critical_failed);
  member_number (builder, "answered", score->answered);
  member_number (builder, "na", score->na);
  member_bool (builder, "complete", assay_score_is_complete (score));
  member_ids (builder, "unanswered_required", score->unanswered_required);
  member_ids (builder, "missing_comments", score->missing_comments);
  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint s = 0; s < score->n_sections; s++)
    {
      const AssaySectionScore *ss = &score->sections[s];

      json_builder_begin_object (builder);
      member_string (builder, "id", ss->id);
      member_number (builder, "earned", round4 (ss->earned));
      member_number (builder, "possible", round4 (ss->possible));
      member_number (builder, "percent", round4 (ss->percent));
      member_number (builder, "contribution", round4 (ss->contribution));
      member_bool (builder, "bonus", ss->bonus);
      member_bool (builder, "failed", ss->failed);
      member_number (builder, "answered", ss->answered);
      member_number (builder, "na", ss->na);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
assay_score_to_json (const AssayScore *score,
                     gboolean          pretty)
{
  g_autoptr(JsonNode) node = assay_score_to_json_node (score);

  return assay_json_write (node, pretty);
}

guint
assay_answers_json_count_unconfirmed (const char *data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *answers;
  g_autoptr(GList) members = NULL;
  guint n = 0;

  if (data == NULL || (root = assay_protocol_parse_json (data, -1, NULL, NULL)) == NULL)
    return 0;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  answers = json_object_get_member (json_node_get_object (root), "answers");
  if (answers == NULL || !JSON_NODE_HOLDS_OBJECT (answers))
    return 0;
  members = json_object_get_values (json_node_get_object (answers));
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *flag;

      if (!JSON_NODE_HOLDS_OBJECT (l->data))
        continue;
      flag = json_object_get_member (json_node_get_object (l->data), "suggested");
      if (flag != NULL && holds_type (flag, G_TYPE_BOOLEAN) && json_node_get_boolean (flag))
        n++;
    }
  return n;
}
