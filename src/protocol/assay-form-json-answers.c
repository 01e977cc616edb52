/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-form-json.h"
#include "assay-form-json-private.h"

#include <math.h>
#include <string.h>

#include "assay-protocol.h"

/*
 * Answers (what an inspector gave for each item of one form version) and scores, read as
 * strictly as scorecards: every answer is checked against its item's kind and range, and an
 * error names the path of the field.
 */

static const char * const answers_members[] = {
  "format", "form_id", "form_version", "answers", NULL
};
static const char * const answer_members[] = {
  "value", "na", "comment", "evidence", "suggested", NULL
};
static const char * const evidence_members[] = { "start_ms", "end_ms", NULL };

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
  _assay_form_json_bad (error, ASSAY_FORM_ERROR_INVALID_ANSWER, path, "%s", (*local)->message);
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
        const char *s = _assay_form_json_holds_type (node, G_TYPE_STRING)
                        ? json_node_get_string (node) : NULL;
        int choice = g_strcmp0 (s, "yes") == 0 ? 0 : g_strcmp0 (s, "no") == 0 ? 1 : -1;

        if (choice < 0)
          return _assay_form_json_bad (error, code, vp, "must be \"yes\" or \"no\"");
        return with_path (assay_answers_set_choice (answers, item->index, choice, &local),
                          &local, vp, error);
      }

    case ASSAY_ITEM_SCALE:
      if (!_assay_form_json_holds_number (node))
        return _assay_form_json_bad (error, code, vp, "must be a whole number from %g to %g",
                                     item->min, item->max);
      return with_path (assay_answers_set_value (answers, item->index,
                                                 json_node_get_double (node), &local),
                        &local, vp, error);

    case ASSAY_ITEM_POINTS:
    case ASSAY_ITEM_NUMBER:
      if (!_assay_form_json_holds_number (node))
        return _assay_form_json_bad (error, code, vp, "must be a number");
      return with_path (assay_answers_set_value (answers, item->index,
                                                 json_node_get_double (node), &local),
                        &local, vp, error);

    case ASSAY_ITEM_SINGLE_CHOICE:
      {
        const char *s = _assay_form_json_holds_type (node, G_TYPE_STRING)
                        ? json_node_get_string (node) : NULL;
        int k = option_index (item, s);

        if (k < 0)
          {
            g_autofree char *list = option_list (item);

            if (s == NULL)
              return _assay_form_json_bad (error, code, vp, "must be the id of an option (%s)",
                                           list);
            return _assay_form_json_bad (error, code, vp, "no option \"%s\" (use %s)", s, list);
          }
        return with_path (assay_answers_set_choice (answers, item->index, k, &local),
                          &local, vp, error);
      }

    case ASSAY_ITEM_MULTIPLE_CHOICE:
      {
        JsonArray *array;
        guint64 choices = 0;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          return _assay_form_json_bad (error, code, vp, "must be an array of option ids");
        array = json_node_get_array (node);
        for (guint e = 0; e < json_array_get_length (array); e++)
          {
            JsonNode *el = json_array_get_element (array, e);
            const char *s = _assay_form_json_holds_type (el, G_TYPE_STRING)
                            ? json_node_get_string (el) : NULL;
            int k = option_index (item, s);
            g_autofree char *ep = g_strdup_printf ("%s[%u]", vp, e);

            if (k < 0)
              {
                g_autofree char *list = option_list (item);

                if (s == NULL)
                  return _assay_form_json_bad (error, code, ep, "must be the id of an option (%s)",
                                               list);
                return _assay_form_json_bad (error, code, ep, "no option \"%s\" (use %s)", s, list);
              }
            if (choices & (G_GUINT64_CONSTANT (1) << k))
              return _assay_form_json_bad (error, code, ep, "option \"%s\" is listed twice", s);
            choices |= G_GUINT64_CONSTANT (1) << k;
          }
        return with_path (assay_answers_set_choices (answers, item->index, choices, &local),
                          &local, vp, error);
      }

    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
      if (!_assay_form_json_holds_type (node, G_TYPE_STRING))
        return _assay_form_json_bad (error, code, vp,
                                     item->kind == ASSAY_ITEM_DATE
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

  if (!_assay_form_json_check_members (obj, ap, answer_members, code, error)
      || !_assay_form_json_get_bool (obj, ap, "suggested", &suggested, NULL, code, error)
      || !_assay_form_json_get_bool (obj, ap, "na", &is_na, NULL, code, error)
      || !_assay_form_json_get_string (obj, ap, "comment", FALSE, &comment, code, error)
      || !_assay_form_json_get_array (obj, ap, "evidence", FALSE, &evidence, code, error))
    return FALSE;

  value = _assay_form_json_member (obj, "value");
  if (is_na && value != NULL)
    return _assay_form_json_bad (error, code, ap, "give either a value or \"na\": true, not both");
  if (is_na)
    {
      g_autofree char *np = _assay_form_json_join (ap, "na");
      GError *local = NULL;

      if (!with_path (assay_answers_set_na (answers, item->index, &local), &local, np, error))
        return FALSE;
    }
  else if (value != NULL)
    {
      g_autofree char *vp = _assay_form_json_join (ap, "value");

      if (!parse_value (answers, item, value, vp, error))
        return FALSE;
    }

  assay_answers_set_comment (answers, item->index, comment);

  for (guint e = 0; evidence != NULL && e < json_array_get_length (evidence); e++)
    {
      g_autofree char *ep = g_strdup_printf ("%s.evidence[%u]", ap, e);
      JsonObject *eo = _assay_form_json_element_object (evidence, e, ep, code, error);
      gint64 start = 0, end = 0;

      if (eo == NULL
          || !_assay_form_json_check_members (eo, ep, evidence_members, code, error)
          || !_assay_form_json_get_whole (eo, ep, "start_ms", TRUE, &start, NULL, code, error)
          || !_assay_form_json_get_whole (eo, ep, "end_ms", TRUE, &end, NULL, code, error))
        return FALSE;
      if (start < 0)
        return _assay_form_json_bad_member (error, code, ep, "start_ms", "must be >= 0");
      if (end < start)
        return _assay_form_json_bad_member (error, code, ep, "end_ms", "must be >= start_ms");
      assay_answers_add_evidence (answers, item->index, start, end, NULL);
    }
  if (suggested)
    {
      const AssayAnswer *a = assay_answers_get (answers, item->index);
      g_autoptr(GArray) kept = NULL;

      if (a->state != ASSAY_ANSWER_VALUE || a->choice < 0)
        return _assay_form_json_bad_member (error, code, ap, "suggested",
                                            "only a yes/no, scale or single choice value can be "
                                            "a suggestion");
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
  if (!_assay_form_json_check_format (obj, code, error)
      || !_assay_form_json_check_members (obj, NULL, answers_members, code, error)
      || !_assay_form_json_get_string (obj, NULL, "form_id", TRUE, &form_id, code, error)
      || !_assay_form_json_get_whole (obj, NULL, "form_version", TRUE, &version, NULL, code, error))
    return NULL;
  if (g_strcmp0 (form_id, form->id) != 0)
    {
      _assay_form_json_bad (error, ASSAY_FORM_ERROR_WRONG_FORM, "form_id",
                            "the answers are for form \"%s\", not \"%s\"", form_id, form->id);
      return NULL;
    }
  if (version != form->version)
    {
      _assay_form_json_bad (error, ASSAY_FORM_ERROR_WRONG_FORM, "form_version",
                            "the answers were given on version %" G_GINT64_FORMAT
                            " of form \"%s\"; score them on that version, not version %u",
                            version, form->id, form->version);
      return NULL;
    }

  map_node = _assay_form_json_member (obj, "answers");
  if (map_node == NULL)
    {
      _assay_form_json_bad (error, code, "answers", "must be given");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (map_node))
    {
      _assay_form_json_bad (error, code, "answers", "must be an object of answers by item id");
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
          _assay_form_json_bad (error, code, ap, "no item with this id in form \"%s\" version %u",
                                form->id,
                                form->version);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_OBJECT (an))
        {
          _assay_form_json_bad (error, code, ap, "must be an object (with \"value\" or \"na\")");
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

  root = _assay_form_json_parse_data (data, length, error);
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
  _assay_form_json_member_number (builder, "format", ASSAY_FORM_FORMAT);
  _assay_form_json_member_string (builder, "form_id", form->id);
  _assay_form_json_member_number (builder, "form_version", form->version);
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
        _assay_form_json_member_bool (builder, "na", TRUE);
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
              _assay_form_json_add_number (builder, a->value);
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
        _assay_form_json_member_string (builder, "comment", a->comment);
      if (a->suggested)
        _assay_form_json_member_bool (builder, "suggested", TRUE);
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
  _assay_form_json_member_string (builder, "form_id", score->form->id);
  _assay_form_json_member_number (builder, "form_version", score->form->version);
  _assay_form_json_member_number (builder, "overall", round4 (score->overall));
  _assay_form_json_member_number (builder, "without_fatal", round4 (score->without_fatal));
  _assay_form_json_member_number (builder, "critical", round4 (score->critical));
  _assay_form_json_member_number (builder, "bonus", round4 (score->bonus));
  _assay_form_json_member_string (builder, "band", score->band);
  member_ids (builder, "fatal_failed", score->fatal_failed);
  member_ids (builder, "critical_failed", score->critical_failed);
  _assay_form_json_member_number (builder, "answered", score->answered);
  _assay_form_json_member_number (builder, "na", score->na);
  _assay_form_json_member_bool (builder, "complete", assay_score_is_complete (score));
  member_ids (builder, "unanswered_required", score->unanswered_required);
  member_ids (builder, "missing_comments", score->missing_comments);
  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint s = 0; s < score->n_sections; s++)
    {
      const AssaySectionScore *ss = &score->sections[s];

      json_builder_begin_object (builder);
      _assay_form_json_member_string (builder, "id", ss->id);
      _assay_form_json_member_number (builder, "earned", round4 (ss->earned));
      _assay_form_json_member_number (builder, "possible", round4 (ss->possible));
      _assay_form_json_member_number (builder, "percent", round4 (ss->percent));
      _assay_form_json_member_number (builder, "contribution", round4 (ss->contribution));
      _assay_form_json_member_bool (builder, "bonus", ss->bonus);
      _assay_form_json_member_bool (builder, "failed", ss->failed);
      _assay_form_json_member_number (builder, "answered", ss->answered);
      _assay_form_json_member_number (builder, "na", ss->na);
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
      if (flag != NULL && _assay_form_json_holds_type (flag, G_TYPE_BOOLEAN)
          && json_node_get_boolean (flag))
        n++;
    }
  return n;
}
