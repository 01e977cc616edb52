/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-form-json.h"
#include "assay-form-json-private.h"

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

      if (_assay_form_json_holds_type (node, G_TYPE_STRING))
        g_ptr_array_add (forms, (gpointer) json_node_get_string (node));
      else if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
        {
          JsonArray *alts = json_node_get_array (node);

          for (guint f = 0; f < json_array_get_length (alts); f++)
            {
              JsonNode *alt = json_array_get_element (alts, f);

              if (!_assay_form_json_holds_type (alt, G_TYPE_STRING))
                return _assay_form_json_bad (error, code, path,
                                             "phrase %u: each form must be a string", i);
              g_ptr_array_add (forms, (gpointer) json_node_get_string (alt));
            }
        }
      else
        return _assay_form_json_bad (error, code, path,
                                     "phrase %u must be a string or an array of its equal forms",
                                     i);
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
  JsonNode *node = _assay_form_json_member (obj, "script");
  g_autofree char *sp = _assay_form_json_join (ip, "script");
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
    return _assay_form_json_bad (error, code, sp, "must be an object");
  so = json_node_get_object (node);
  script = assay_script_new ();
  if (!_assay_form_json_check_members (so, sp, script_members, code, error)
      || !_assay_form_json_get_array (so, sp, "must_say", FALSE, &must_say, code, error)
      || !_assay_form_json_get_array (so, sp, "must_not_say", FALSE, &must_not_say, code, error)
      || !_assay_form_json_get_string (so, sp, "speaker", FALSE, &speaker, code, error)
      || !_assay_form_json_get_number (so, sp, "within_s", FALSE, &script->within_s, &present, code,
                                       error))
    return FALSE;
  if (speaker != NULL)
    {
      if (strcmp (speaker, "any") == 0)
        script->speaker = ASSAY_SPEAKER_UNKNOWN;
      else if (!assay_speaker_from_string (speaker, &script->speaker)
               || script->speaker == ASSAY_SPEAKER_UNKNOWN)
        return _assay_form_json_bad_member (error, code, sp, "speaker",
                                            "must be \"agent\", \"customer\" or \"any\"");
    }
  msp = _assay_form_json_join (sp, "must_say");
  mnp = _assay_form_json_join (sp, "must_not_say");
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
    _assay_form_json_member_string (builder, "speaker",
                                    script->speaker == ASSAY_SPEAKER_UNKNOWN
                                    ? "any" : assay_speaker_to_string (script->speaker));
  if (script->within_s > 0)
    _assay_form_json_member_number (builder, "within_s", script->within_s);
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

  if (!_assay_form_json_check_members (obj, ip, item_members, code, error)
      || !_assay_form_json_get_string (obj, ip, "id", TRUE, &id, code, error)
      || !_assay_form_json_get_string (obj, ip, "kind", TRUE, &kind_name, code, error))
    return FALSE;
  if (!assay_item_kind_from_string (kind_name, &kind))
    return _assay_form_json_bad_member (error, code, ip, "kind", "unknown kind \"%s\" (use %s)",
                                        kind_name, kind_list ());
  if (!_assay_form_json_get_string (obj, ip, "text", TRUE, &text, code, error)
      || !_assay_form_json_get_string (obj, ip, "help", FALSE, &help, code, error))
    return FALSE;

  item = assay_form_add_item (form, section, id, kind, text);
  item->help = g_strdup (help);
  scored = assay_item_kind_is_scored (kind);
  kind_s = assay_item_kind_to_string (kind);

#define NOT_FOR_KIND(name) \
  _assay_form_json_bad_member (error, code, ip, name, "not used by a %s item", kind_s)

  if (!_assay_form_json_get_number (obj, ip, "weight", FALSE, &number, &present, code, error))
    return FALSE;
  if (present && !scored)
    return NOT_FOR_KIND ("weight");
  if (present)
    item->weight = number;

  if (!_assay_form_json_get_bool (obj, ip, "required", &item->required, NULL, code, error)
      || !_assay_form_json_get_bool (obj, ip, "na", &item->allow_na, NULL, code, error)
      || !_assay_form_json_get_bool (obj, ip, "fatal", &item->fatal, NULL, code, error)
      || !_assay_form_json_get_bool (obj, ip, "fail_section", &item->fail_section, NULL, code,
                                     error)
      || !_assay_form_json_get_bool (obj, ip, "critical", &item->critical, NULL, code, error))
    return FALSE;
  {
    gboolean comment = FALSE;

    const char *rule_name = NULL;
    AssayCommentRule rule;

    if (!_assay_form_json_get_bool (obj, ip, "comment_on_deduction", &comment, &present, code,
                                    error)
        || !_assay_form_json_get_string (obj, ip, "comment", FALSE, &rule_name, code, error))
      return FALSE;
    if (present && !scored)
      return NOT_FOR_KIND ("comment_on_deduction");
    if (rule_name != NULL && !scored)
      return NOT_FOR_KIND ("comment");
    if (present && rule_name != NULL)
      return _assay_form_json_bad_member (error, code, ip, "comment",
                                          "give either \"comment\" or the older "
                                          "\"comment_on_deduction\", not both");
    if (present)
      item->comment_on_deduction = comment;
    if (rule_name != NULL)
      {
        if (!assay_comment_rule_from_string (rule_name, &rule))
          return _assay_form_json_bad_member (error, code, ip, "comment",
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

    if (!_assay_form_json_get_bool (obj, ip, "observation", &item->observation, NULL, code, error)
        || !_assay_form_json_get_string (obj, ip, "unit", FALSE, &unit, code, error)
        || !_assay_form_json_get_number (obj, ip, "evidence", FALSE, &evidence, &present, code,
                                         error))
      return FALSE;
    if (unit != NULL && g_strcmp0 (unit, "seconds") != 0)
      return _assay_form_json_bad_member (error, code, ip, "unit", "must be \"seconds\"");
    item->duration = unit != NULL;
    if (present && (evidence < 0 || evidence > ASSAY_ITEM_MAX_EVIDENCE
                    || evidence != (double) (guint) evidence))
      return _assay_form_json_bad_member (error, code, ip, "evidence",
                                          "must be a whole number from 0 to %d",
                                          ASSAY_ITEM_MAX_EVIDENCE);
    item->evidence_min = present ? (guint) evidence : 0;
  }

  if (kind == ASSAY_ITEM_SCALE || kind == ASSAY_ITEM_POINTS || kind == ASSAY_ITEM_NUMBER)
    {
      gboolean needed = kind == ASSAY_ITEM_SCALE;

      if (!_assay_form_json_get_number (obj, ip, "min", needed, &number, &present, code, error))
        return FALSE;
      item->has_min = present || kind != ASSAY_ITEM_NUMBER;
      if (present)
        item->min = number;
      else if (kind == ASSAY_ITEM_POINTS)
        item->min = 0;
      if (!_assay_form_json_get_number (obj, ip, "max", kind != ASSAY_ITEM_NUMBER, &number,
                                        &present, code, error))
        return FALSE;
      item->has_max = present;
      if (present)
        item->max = number;
    }
  else if (_assay_form_json_member (obj, "min") != NULL)
    return NOT_FOR_KIND ("min");
  else if (_assay_form_json_member (obj, "max") != NULL)
    return NOT_FOR_KIND ("max");

  if (!_assay_form_json_get_array (obj, ip, "options", FALSE, &options, code, error))
    return FALSE;
  if (kind == ASSAY_ITEM_SINGLE_CHOICE || kind == ASSAY_ITEM_MULTIPLE_CHOICE)
    {
      if (options == NULL)
        return _assay_form_json_bad_member (error, code, ip, "options",
                                            "must be given for a %s item", kind_s);
      for (guint k = 0; k < json_array_get_length (options); k++)
        {
          g_autofree char *op = g_strdup_printf ("%s.options[%u]", ip, k);
          JsonObject *o = _assay_form_json_element_object (options, k, op, code, error);
          const char *oid, *label;
          double points = 0;

          if (o == NULL
              || !_assay_form_json_check_members (o, op, option_members, code, error)
              || !_assay_form_json_get_string (o, op, "id", TRUE, &oid, code, error)
              || !_assay_form_json_get_string (o, op, "label", TRUE, &label, code, error)
              || !_assay_form_json_get_number (o, op, "points", FALSE, &points, NULL, code, error))
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
  if (!_assay_form_json_check_format (obj, code, error)
      || !_assay_form_json_check_members (obj, NULL, form_members, code, error)
      || !_assay_form_json_get_string (obj, NULL, "id", TRUE, &id, code, error)
      || !_assay_form_json_get_string (obj, NULL, "name", TRUE, &name, code, error)
      || !_assay_form_json_get_string (obj, NULL, "description", FALSE, &description, code, error)
      || !_assay_form_json_get_whole (obj, NULL, "version", TRUE, &version, NULL, code, error)
      || !_assay_form_json_get_string (obj, NULL, "mode", FALSE, &mode_name, code, error))
    return NULL;
  if (version < 1 || version > G_MAXINT32)
    {
      _assay_form_json_bad (error, code, "version", "must be from 1 to %d", G_MAXINT32);
      return NULL;
    }
  if (mode_name != NULL && !assay_form_mode_from_string (mode_name, &mode))
    {
      _assay_form_json_bad (error, code, "mode", "must be \"points\" or \"percent\"");
      return NULL;
    }

  form = assay_form_new (id, name, (guint) version, mode);
  form->description = g_strdup (description);
  if (!_assay_form_json_get_bool (obj, NULL, "published", &published, NULL, code, error)
      || !_assay_form_json_get_bool (obj, NULL, "na_redistribution", &form->na_redistribution, NULL,
                                     code, error)
      || !_assay_form_json_get_number (obj, NULL, "minimum", FALSE, &form->minimum, NULL, code,
                                       error)
      || !_assay_form_json_get_bool (obj, NULL, "comment_on_deduction", &form->comment_on_deduction,
                                     NULL, code,
                                     error)
      || !_assay_form_json_get_array (obj, NULL, "bands", FALSE, &bands, code, error)
      || !_assay_form_json_get_array (obj, NULL, "sections", TRUE, &sections, code, error))
    return NULL;
  {
    const char *rule_name = NULL;
    AssayCommentRule rule;

    if (!_assay_form_json_get_string (obj, NULL, "comment", FALSE, &rule_name, code, error))
      return NULL;
    if (rule_name != NULL && _assay_form_json_member (obj, "comment_on_deduction") != NULL)
      {
        _assay_form_json_bad (error, code, "comment",
                              "give either \"comment\" or the older "
                              "\"comment_on_deduction\", not both");
        return NULL;
      }
    if (rule_name != NULL && !assay_comment_rule_from_string (rule_name, &rule))
      {
        _assay_form_json_bad (error, code, "comment",
                              "must be \"never\", \"on_fail\" or \"below_full\"");
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
      JsonObject *bo = _assay_form_json_element_object (bands, b, bp, code, error);
      const char *band_name;
      double min = 0;

      if (bo == NULL
          || !_assay_form_json_check_members (bo, bp, band_members, code, error)
          || !_assay_form_json_get_string (bo, bp, "name", TRUE, &band_name, code, error)
          || !_assay_form_json_get_number (bo, bp, "min", TRUE, &min, NULL, code, error))
        return NULL;
      assay_form_add_band (form, band_name, min);
    }

  for (guint s = 0; s < json_array_get_length (sections); s++)
    {
      g_autofree char *sp = g_strdup_printf ("sections[%u]", s);
      JsonObject *so = _assay_form_json_element_object (sections, s, sp, code, error);
      const char *sid, *title;
      double weight = 1;
      gboolean has_weight;
      JsonArray *items;
      AssaySection *section;

      if (so == NULL
          || !_assay_form_json_check_members (so, sp, section_members, code, error)
          || !_assay_form_json_get_string (so, sp, "id", TRUE, &sid, code, error)
          || !_assay_form_json_get_string (so, sp, "title", TRUE, &title, code, error)
          || !_assay_form_json_get_number (so, sp, "weight", FALSE, &weight, &has_weight, code,
                                           error))
        return NULL;
      if (!has_weight && mode == ASSAY_FORM_MODE_PERCENT)
        {
          _assay_form_json_bad_member (error, code, sp, "weight",
                                       "must be given in percent mode (the section's percent "
                                       "of the form)");
          return NULL;
        }
      section = assay_form_add_section (form, sid, title, weight);
      if (!_assay_form_json_get_bool (so, sp, "bonus", &section->bonus, NULL, code, error)
          || !_assay_form_json_get_number (so, sp, "baseline", FALSE, &section->baseline, NULL,
                                           code, error)
          || !_assay_form_json_get_array (so, sp, "items", TRUE, &items, code, error))
        return NULL;

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          g_autofree char *ip = g_strdup_printf ("%s.items[%u]", sp, i);
          JsonObject *io = _assay_form_json_element_object (items, i, ip, code, error);

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

  root = _assay_form_json_parse_data (data, length, error);
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

  root = _assay_form_json_parse_data (data, length, error);
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
  _assay_form_json_member_number (builder, "format", ASSAY_FORM_FORMAT);
  _assay_form_json_member_string (builder, "id", form->id);
  _assay_form_json_member_string (builder, "name", form->name);
  if (form->description != NULL)
    _assay_form_json_member_string (builder, "description", form->description);
  _assay_form_json_member_number (builder, "version", form->version);
  if (form->published)
    _assay_form_json_member_bool (builder, "published", TRUE);
  _assay_form_json_member_string (builder, "mode", assay_form_mode_to_string (form->mode));
  _assay_form_json_member_bool (builder, "na_redistribution", form->na_redistribution);
  if (form->minimum != 0)
    _assay_form_json_member_number (builder, "minimum", form->minimum);
  if (form->comment_on_deduction)
    _assay_form_json_member_bool (builder, "comment_on_deduction", TRUE);
  else if (form->comment_on_fail)
    _assay_form_json_member_string (builder, "comment", "on_fail");

  if (form->bands->len > 0)
    {
      json_builder_set_member_name (builder, "bands");
      json_builder_begin_array (builder);
      for (guint b = 0; b < form->bands->len; b++)
        {
          const AssayBand *band = g_ptr_array_index (form->bands, b);

          json_builder_begin_object (builder);
          _assay_form_json_member_string (builder, "name", band->name);
          _assay_form_json_member_number (builder, "min", band->min);
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
      _assay_form_json_member_string (builder, "id", section->id);
      _assay_form_json_member_string (builder, "title", section->title);
      _assay_form_json_member_number (builder, "weight", section->weight);
      if (section->bonus)
        _assay_form_json_member_bool (builder, "bonus", TRUE);
      if (section->baseline != 0)
        _assay_form_json_member_number (builder, "baseline", section->baseline);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      for (guint i = 0; i < section->items->len; i++)
        {
          const AssayItem *item = g_ptr_array_index (section->items, i);
          gboolean scored = assay_item_kind_is_scored (item->kind);

          json_builder_begin_object (builder);
          _assay_form_json_member_string (builder, "id", item->id);
          _assay_form_json_member_string (builder, "kind", assay_item_kind_to_string (item->kind));
          _assay_form_json_member_string (builder, "text", item->text);
          if (item->help != NULL)
            _assay_form_json_member_string (builder, "help", item->help);
          if (scored)
            _assay_form_json_member_number (builder, "weight", item->weight);
          if (item->required != (scored && !section->bonus))
            _assay_form_json_member_bool (builder, "required", item->required);
          if (item->allow_na != (item->kind == ASSAY_ITEM_YES_NO_NA))
            _assay_form_json_member_bool (builder, "na", item->allow_na);
          if (item->fatal)
            _assay_form_json_member_bool (builder, "fatal", TRUE);
          if (item->fail_section)
            _assay_form_json_member_bool (builder, "fail_section", TRUE);
          if (item->critical)
            _assay_form_json_member_bool (builder, "critical", TRUE);
          if (scored && assay_item_get_comment_rule (item) != assay_form_get_comment_rule (form))
            {
              /* the older boolean where it says it all, so older files stay byte for byte */
              if (!item->comment_on_fail && !form->comment_on_fail)
                _assay_form_json_member_bool (builder, "comment_on_deduction",
                                              item->comment_on_deduction);
              else
                {
                  AssayCommentRule rule = assay_item_get_comment_rule (item);

                  _assay_form_json_member_string (builder, "comment",
                                                  assay_comment_rule_to_string (rule));
                }
            }
          if (item->script != NULL)
            write_script (builder, item->script);
          if (item->observation)
            _assay_form_json_member_bool (builder, "observation", TRUE);
          if (item->duration)
            _assay_form_json_member_string (builder, "unit", "seconds");
          if (item->evidence_min > 0)
            _assay_form_json_member_number (builder, "evidence", item->evidence_min);
          if (item->kind == ASSAY_ITEM_SCALE || item->kind == ASSAY_ITEM_POINTS
              || (item->kind == ASSAY_ITEM_NUMBER && item->has_min))
            _assay_form_json_member_number (builder, "min", item->min);
          if (item->kind == ASSAY_ITEM_SCALE || item->kind == ASSAY_ITEM_POINTS
              || (item->kind == ASSAY_ITEM_NUMBER && item->has_max))
            _assay_form_json_member_number (builder, "max", item->max);
          if (item->kind == ASSAY_ITEM_SINGLE_CHOICE || item->kind == ASSAY_ITEM_MULTIPLE_CHOICE)
            {
              json_builder_set_member_name (builder, "options");
              json_builder_begin_array (builder);
              for (guint k = 0; k < item->options->len; k++)
                {
                  const AssayOption *o = g_ptr_array_index (item->options, k);

                  json_builder_begin_object (builder);
                  _assay_form_json_member_string (builder, "id", o->id);
                  _assay_form_json_member_string (builder, "label", o->label);
                  _assay_form_json_member_number (builder, "points", o->points);
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

/* Results -------------------------------------------------------------------------------------- */
