/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-form.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assay-phrase.h"

struct _AssayAnswers
{
  AssayForm   *form;
  guint        n_items;
  AssayAnswer *answers;
};

G_DEFINE_QUARK (assay-form-error-quark, assay_form_error)

G_DEFINE_BOXED_TYPE (AssayForm, assay_form, assay_form_ref, assay_form_unref)
G_DEFINE_BOXED_TYPE (AssayAnswers, assay_answers, assay_answers_copy, assay_answers_free)

static const char * const kind_names[ASSAY_ITEM_N_KINDS] = {
  [ASSAY_ITEM_YES_NO] = "yes_no",
  [ASSAY_ITEM_YES_NO_NA] = "yes_no_na",
  [ASSAY_ITEM_SCALE] = "scale",
  [ASSAY_ITEM_POINTS] = "points",
  [ASSAY_ITEM_SINGLE_CHOICE] = "single_choice",
  [ASSAY_ITEM_MULTIPLE_CHOICE] = "multiple_choice",
  [ASSAY_ITEM_NUMBER] = "number",
  [ASSAY_ITEM_TEXT] = "text",
  [ASSAY_ITEM_DATE] = "date",
};

/* Helpers -------------------------------------------------------------------------------------- */

static gboolean
is_yes_no (AssayItemKind kind)
{
  return kind == ASSAY_ITEM_YES_NO || kind == ASSAY_ITEM_YES_NO_NA;
}

static gboolean
id_is_valid (const char *id)
{
  gsize len = 0;

  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++, len++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return len <= 64;
}

static gboolean
str_is_empty (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static gboolean
date_is_valid (const char *text)
{
  guint y, m, d;
  char tail;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return y >= 1 && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static void
option_free (gpointer data)
{
  AssayOption *option = data;

  g_free (option->id);
  g_free (option->label);
  g_free (option);
}

static void
item_free (gpointer data)
{
  AssayItem *item = data;

  g_free (item->id);
  g_free (item->text);
  g_free (item->help);
  g_clear_pointer (&item->options, g_ptr_array_unref);
  g_clear_pointer (&item->script, assay_script_free);
  g_free (item);
}

static void
section_free (gpointer data)
{
  AssaySection *section = data;

  g_free (section->id);
  g_free (section->title);
  g_clear_pointer (&section->items, g_ptr_array_unref);
  g_free (section);
}

static void
band_free (gpointer data)
{
  AssayBand *band = data;

  g_free (band->name);
  g_free (band);
}

static AssayItem *
item_copy (const AssayItem *src)
{
  AssayItem *item = g_memdup2 (src, sizeof *src);

  item->id = g_strdup (src->id);
  item->text = g_strdup (src->text);
  item->help = g_strdup (src->help);
  item->script = src->script != NULL ? assay_script_copy (src->script) : NULL;
  item->options = g_ptr_array_new_with_free_func (option_free);
  for (guint i = 0; i < src->options->len; i++)
    {
      const AssayOption *o = g_ptr_array_index (src->options, i);
      AssayOption *copy = g_new0 (AssayOption, 1);

      copy->id = g_strdup (o->id);
      copy->label = g_strdup (o->label);
      copy->points = o->points;
      g_ptr_array_add (item->options, copy);
    }
  return item;
}

static void
form_changed (AssayForm *form)
{
  form->validated = FALSE;
}

G_GNUC_PRINTF (3, 4) static gboolean
fail (GError    **error,
      const char *path,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID, "%s: %s", path, msg);
  return FALSE;
}

/* Kinds and modes ------------------------------------------------------------------------------ */

const char *
assay_item_kind_to_string (AssayItemKind kind)
{
  g_return_val_if_fail ((guint) kind < ASSAY_ITEM_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
assay_item_kind_from_string (const char    *text,
                             AssayItemKind *out_kind)
{
  for (guint i = 0; i < ASSAY_ITEM_N_KINDS; i++)
    {
      if (g_strcmp0 (text, kind_names[i]) == 0)
        {
          *out_kind = (AssayItemKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
assay_item_kind_is_scored (AssayItemKind kind)
{
  return kind != ASSAY_ITEM_NUMBER && kind != ASSAY_ITEM_TEXT && kind != ASSAY_ITEM_DATE;
}

const char *
assay_form_mode_to_string (AssayFormMode mode)
{
  return mode == ASSAY_FORM_MODE_PERCENT ? "percent" : "points";
}

gboolean
assay_form_mode_from_string (const char    *text,
                             AssayFormMode *out_mode)
{
  if (g_strcmp0 (text, "points") == 0)
    *out_mode = ASSAY_FORM_MODE_POINTS;
  else if (g_strcmp0 (text, "percent") == 0)
    *out_mode = ASSAY_FORM_MODE_PERCENT;
  else
    return FALSE;
  return TRUE;
}

/* Form ----------------------------------------------------------------------------------------- */

AssayForm *
assay_form_new (const char    *id,
                const char    *name,
                guint          version,
                AssayFormMode  mode)
{
  AssayForm *form = g_new0 (AssayForm, 1);

  g_atomic_ref_count_init (&form->ref_count);
  form->id = g_strdup (id);
  form->name = g_strdup (name);
  form->version = version;
  form->mode = mode;
  form->bands = g_ptr_array_new_with_free_func (band_free);
  form->sections = g_ptr_array_new_with_free_func (section_free);
  form->items = g_ptr_array_new ();
  form->item_ids = g_hash_table_new (g_str_hash, g_str_equal);
  return form;
}

AssayForm *
assay_form_ref (AssayForm *form)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_atomic_ref_count_inc (&form->ref_count);
  return form;
}

void
assay_form_unref (AssayForm *form)
{
  g_return_if_fail (form != NULL);
  if (!g_atomic_ref_count_dec (&form->ref_count))
    return;
  g_free (form->id);
  g_free (form->name);
  g_free (form->description);
  g_ptr_array_unref (form->bands);
  g_ptr_array_unref (form->sections);
  g_ptr_array_unref (form->items);
  g_hash_table_unref (form->item_ids);
  g_free (form);
}

AssaySection *
assay_form_add_section (AssayForm  *form,
                        const char *id,
                        const char *title,
                        double      weight)
{
  AssaySection *section;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (!form->published, NULL);

  section = g_new0 (AssaySection, 1);
  section->id = g_strdup (id);
  section->title = g_strdup (title);
  section->weight = weight;
  section->items = g_ptr_array_new_with_free_func (item_free);
  section->index = form->sections->len;
  g_ptr_array_add (form->sections, section);
  form_changed (form);
  return section;
}

AssayItem *
assay_form_add_item (AssayForm     *form,
                     AssaySection  *section,
                     const char    *id,
                     AssayItemKind  kind,
                     const char    *text)
{
  AssayItem *item;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail ((guint) kind < ASSAY_ITEM_N_KINDS, NULL);
  g_return_val_if_fail (!form->published, NULL);

  item = g_new0 (AssayItem, 1);
  item->id = g_strdup (id);
  item->kind = kind;
  item->text = g_strdup (text);
  item->weight = 1;
  item->required = assay_item_kind_is_scored (kind) && !section->bonus;
  item->allow_na = kind == ASSAY_ITEM_YES_NO_NA;
  item->comment_on_deduction = form->comment_on_deduction && assay_item_kind_is_scored (kind);
  item->comment_on_fail = form->comment_on_fail && assay_item_kind_is_scored (kind);
  if (kind == ASSAY_ITEM_SCALE)
    {
      item->min = 1;
      item->max = 5;
      item->has_min = item->has_max = TRUE;
    }
  else if (kind == ASSAY_ITEM_POINTS)
    {
      item->min = 0;
      item->max = 1;
      item->has_min = item->has_max = TRUE;
    }
  item->options = g_ptr_array_new_with_free_func (option_free);
  item->section = section->index;
  g_ptr_array_add (section->items, item);
  form_changed (form);
  return item;
}

AssayOption *
assay_form_add_option (AssayForm  *form,
                       AssayItem  *item,
                       const char *id,
                       const char *label,
                       double      points)
{
  AssayOption *option;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (!form->published, NULL);

  option = g_new0 (AssayOption, 1);
  option->id = g_strdup (id);
  option->label = g_strdup (label);
  option->points = points;
  g_ptr_array_add (item->options, option);
  form_changed (form);
  return option;
}

AssayBand *
assay_form_add_band (AssayForm  *form,
                     const char *name,
                     double      min)
{
  AssayBand *band;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (!form->published, NULL);

  band = g_new0 (AssayBand, 1);
  band->name = g_strdup (name);
  band->min = min;
  g_ptr_array_add (form->bands, band);
  form_changed (form);
  return band;
}

static gboolean
check_number (double      value,
              gboolean    non_negative,
              const char *path,
              GError    **error)
{
  if (!isfinite (value))
    return fail (error, path, "must be a finite number");
  if (non_negative && value < 0)
    return fail (error, path, "must be >= 0");
  return TRUE;
}

static gboolean
validate_phrases (GPtrArray  *phrases,
                  const char *path,
                  GError    **error)
{
  for (guint i = 0; i < phrases->len; i++)
    {
      const char *const *forms = g_ptr_array_index (phrases, i);

      if (forms == NULL || forms[0] == NULL)
        return fail (error, path, "phrase %u has no text", i);
      for (guint f = 0; forms[f] != NULL; f++)
        {
          g_autofree char *norm = NULL;

          if (!g_utf8_validate (forms[f], -1, NULL))
            return fail (error, path, "phrase %u must be valid UTF-8", i);
          /* a phrase of punctuation alone would match every line */
          norm = assay_phrase_normalise (forms[f], NULL);
          if (*norm == '\0')
            return fail (error, path, "phrase \"%s\" has no letters or digits", forms[f]);
        }
    }
  return TRUE;
}

static gboolean
validate_script (const AssayItem *item,
                 const char      *path,
                 GError         **error)
{
  g_autofree char *p = g_strconcat (path, ".script", NULL);
  g_autofree char *q = NULL;
  const AssayScript *script = item->script;

  if (!is_yes_no (item->kind))
    return fail (error, p, "only yes_no and yes_no_na items can check a script, not a %s item",
                 assay_item_kind_to_string (item->kind));
  if (!isfinite (script->within_s) || script->within_s < 0)
    return fail (error, (q = g_strconcat (p, ".within_s", NULL)), "must be a number >= 0");
  if (script->must_say->len == 0 && script->must_not_say->len == 0)
    return fail (error, p, "names no phrase: give must_say or must_not_say");
  g_free (q);
  if (!validate_phrases (script->must_say, (q = g_strconcat (p, ".must_say", NULL)), error))
    return FALSE;
  g_free (q);
  return validate_phrases (script->must_not_say, (q = g_strconcat (p, ".must_not_say", NULL)),
                           error);
}

static gboolean
validate_item (AssayForm          *form,
               const AssaySection *section,
               AssayItem          *item,
               const char         *path,
               GError            **error)
{
  g_autofree char *p = NULL;
  const char *kind = assay_item_kind_to_string (item->kind);
  gboolean scored = assay_item_kind_is_scored (item->kind);

#define FIELD(name) (g_free (p), p = g_strconcat (path, "." name, NULL))

  if (item->id == NULL || *item->id == '\0')
    return fail (error, FIELD ("id"), "must not be empty");
  if (!id_is_valid (item->id))
    return fail (error, FIELD ("id"),
                 "\"%s\" may use only letters, digits, '_', '-' and '.' (at most 64)", item->id);
  if (str_is_empty (item->text))
    return fail (error, FIELD ("text"), "must not be empty");
  if (scored && !check_number (item->weight, TRUE, FIELD ("weight"), error))
    return FALSE;

  if ((item->fatal || item->fail_section) && !is_yes_no (item->kind))
    return fail (error, item->fatal ? FIELD ("fatal") : FIELD ("fail_section"),
                 "only yes_no and yes_no_na items can be %s, not a %s item",
                 item->fatal ? "fatal" : "fail_section", kind);
  if (item->critical && !scored)
    return fail (error, FIELD ("critical"), "a %s item is not scored and cannot be critical",
                 kind);
  if (item->kind == ASSAY_ITEM_YES_NO && item->allow_na)
    return fail (error, FIELD ("na"), "a yes_no item has no N/A; use kind yes_no_na");
  if (item->kind == ASSAY_ITEM_YES_NO_NA && !item->allow_na)
    return fail (error, FIELD ("na"), "a yes_no_na item always allows N/A; use kind yes_no");
  if (item->script != NULL && !validate_script (item, path, error))
    return FALSE;
  if (item->observation && !scored)
    return fail (error, FIELD ("observation"), "a %s item is its own text; no observation", kind);
  if (item->duration && item->kind != ASSAY_ITEM_NUMBER)
    return fail (error, FIELD ("unit"), "only number items are measured times, not a %s item",
                 kind);
  if (item->evidence_min > ASSAY_ITEM_MAX_EVIDENCE)
    return fail (error, FIELD ("evidence"), "must be between 0 and %d", ASSAY_ITEM_MAX_EVIDENCE);
  if (section->bonus)
    {
      if (item->kind == ASSAY_ITEM_YES_NO_NA)
        return fail (error, FIELD ("kind"), "N/A is disabled in a bonus section; use yes_no");
      if (item->allow_na)
        return fail (error, FIELD ("na"), "N/A is disabled in a bonus section");
      if (item->fatal)
        return fail (error, FIELD ("fatal"), "not allowed in a bonus section");
      if (item->fail_section)
        return fail (error, FIELD ("fail_section"), "not allowed in a bonus section");
      if (item->critical)
        return fail (error, FIELD ("critical"), "not allowed in a bonus section");
    }

  switch (item->kind)
    {
    case ASSAY_ITEM_SCALE:
      if (!check_number (item->min, FALSE, FIELD ("min"), error))
        return FALSE;
      if (item->min != floor (item->min))
        return fail (error, p, "must be a whole number");
      if (!check_number (item->max, FALSE, FIELD ("max"), error))
        return FALSE;
      if (item->max != floor (item->max))
        return fail (error, p, "must be a whole number");
      if (item->max <= item->min)
        return fail (error, p, "must be greater than min (%g)", item->min);
      if (item->max - item->min > ASSAY_SCALE_MAX_STEPS)
        return fail (error, p, "a scale has at most %d steps above min", ASSAY_SCALE_MAX_STEPS);
      break;

    case ASSAY_ITEM_POINTS:
      if (!check_number (item->min, FALSE, FIELD ("min"), error)
          || !check_number (item->max, FALSE, FIELD ("max"), error))
        return FALSE;
      if (item->max <= item->min)
        return fail (error, p, "must be greater than min (%g)", item->min);
      break;

    case ASSAY_ITEM_NUMBER:
      if (item->duration && item->has_min && item->min < 0)
        return fail (error, FIELD ("min"), "a duration is never negative");
      if (item->has_min && !check_number (item->min, FALSE, FIELD ("min"), error))
        return FALSE;
      if (item->has_max && !check_number (item->max, FALSE, FIELD ("max"), error))
        return FALSE;
      if (item->has_min && item->has_max && item->max < item->min)
        return fail (error, p, "must be >= min (%g)", item->min);
      break;

    case ASSAY_ITEM_SINGLE_CHOICE:
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      if (item->options->len == 0)
        return fail (error, FIELD ("options"), "must not be empty");
      if (item->options->len > ASSAY_FORM_MAX_OPTIONS)
        return fail (error, FIELD ("options"), "at most %d options", ASSAY_FORM_MAX_OPTIONS);
      for (guint k = 0; k < item->options->len; k++)
        {
          const AssayOption *o = g_ptr_array_index (item->options, k);
          g_autofree char *op = g_strdup_printf ("%s.options[%u]", path, k);
          g_autofree char *q = NULL;

          if (!id_is_valid (o->id))
            return fail (error, (q = g_strconcat (op, ".id", NULL)),
                         o->id == NULL || *o->id == '\0' ? "must not be empty"
                         : "may use only letters, digits, '_', '-' and '.' (at most 64)");
          for (guint l = 0; l < k; l++)
            {
              const AssayOption *other = g_ptr_array_index (item->options, l);

              if (g_strcmp0 (other->id, o->id) == 0)
                return fail (error, (q = g_strconcat (op, ".id", NULL)),
                             "duplicate option id \"%s\" (also at options[%u])", o->id, l);
            }
          if (str_is_empty (o->label))
            return fail (error, (q = g_strconcat (op, ".label", NULL)), "must not be empty");
          if (!check_number (o->points, FALSE, (q = g_strconcat (op, ".points", NULL)), error))
            return FALSE;
        }
      break;

    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      break;
    }

#undef FIELD
  return TRUE;
}

gboolean
assay_form_validate (AssayForm  *form,
                     GError    **error)
{
  double percent_sum = 0;

  g_return_val_if_fail (form != NULL, FALSE);

  if (form->published && form->validated)
    return TRUE;

  form->validated = FALSE;
  g_ptr_array_set_size (form->items, 0);
  g_hash_table_remove_all (form->item_ids);

  if (form->id == NULL || *form->id == '\0')
    return fail (error, "id", "must not be empty");
  if (!id_is_valid (form->id))
    return fail (error, "id", "\"%s\" may use only letters, digits, '_', '-' and '.' (at most 64)",
                 form->id);
  if (str_is_empty (form->name))
    return fail (error, "name", "must not be empty");
  if (form->version < 1)
    return fail (error, "version", "must be >= 1");
  if (!check_number (form->minimum, TRUE, "minimum", error))
    return FALSE;
  if (form->minimum > 100)
    return fail (error, "minimum", "must be <= 100");

  for (guint b = 0; b < form->bands->len; b++)
    {
      const AssayBand *band = g_ptr_array_index (form->bands, b);
      g_autofree char *p = NULL;

      if (str_is_empty (band->name))
        return fail (error, (p = g_strdup_printf ("bands[%u].name", b)), "must not be empty");
      p = g_strdup_printf ("bands[%u].min", b);
      if (!check_number (band->min, TRUE, p, error))
        return FALSE;
      if (b > 0 && band->min <= ((AssayBand *) g_ptr_array_index (form->bands, b - 1))->min)
        return fail (error, p, "must be greater than bands[%u].min", b - 1);
    }

  if (form->sections->len == 0)
    return fail (error, "sections", "must not be empty");

  for (guint s = 0; s < form->sections->len; s++)
    {
      AssaySection *section = g_ptr_array_index (form->sections, s);
      g_autofree char *sp = g_strdup_printf ("sections[%u]", s);
      g_autofree char *p = NULL;

      section->index = s;
      if (section->id == NULL || *section->id == '\0')
        return fail (error, (p = g_strconcat (sp, ".id", NULL)), "must not be empty");
      if (!id_is_valid (section->id))
        return fail (error, (p = g_strconcat (sp, ".id", NULL)),
                     "\"%s\" may use only letters, digits, '_', '-' and '.' (at most 64)",
                     section->id);
      for (guint t = 0; t < s; t++)
        {
          const AssaySection *other = g_ptr_array_index (form->sections, t);

          if (g_strcmp0 (other->id, section->id) == 0)
            return fail (error, (p = g_strconcat (sp, ".id", NULL)),
                         "duplicate section id \"%s\" (also at sections[%u])", section->id, t);
        }
      if (str_is_empty (section->title))
        return fail (error, (p = g_strconcat (sp, ".title", NULL)), "must not be empty");
      if (!check_number (section->weight, TRUE, (p = g_strconcat (sp, ".weight", NULL)), error))
        return FALSE;
      g_clear_pointer (&p, g_free);
      if (!check_number (section->baseline, TRUE, (p = g_strconcat (sp, ".baseline", NULL)),
                         error))
        return FALSE;
      g_clear_pointer (&p, g_free);
      if (section->items->len == 0)
        return fail (error, (p = g_strconcat (sp, ".items", NULL)), "must not be empty");
      if (!section->bonus)
        percent_sum += section->weight;

      for (guint i = 0; i < section->items->len; i++)
        {
          AssayItem *item = g_ptr_array_index (section->items, i);
          g_autofree char *ip = g_strdup_printf ("%s.items[%u]", sp, i);
          gpointer seen;

          if (!validate_item (form, section, item, ip, error))
            return FALSE;
          seen = g_hash_table_lookup (form->item_ids, item->id);
          if (seen != NULL)
            {
              const AssayItem *other = g_ptr_array_index (form->items,
                                                          GPOINTER_TO_UINT (seen) - 1);
              const AssaySection *os = g_ptr_array_index (form->sections, other->section);
              guint pos = 0;

              while (g_ptr_array_index (os->items, pos) != other)
                pos++;
              return fail (error, (p = g_strconcat (ip, ".id", NULL)),
                           "duplicate item id \"%s\" (also at sections[%u].items[%u])",
                           item->id, other->section, pos);
            }
          item->index = form->items->len;
          item->section = s;
          g_ptr_array_add (form->items, item);
          g_hash_table_insert (form->item_ids, item->id, GUINT_TO_POINTER (item->index + 1));
        }
    }

  if (form->mode == ASSAY_FORM_MODE_PERCENT && fabs (percent_sum - 100) > 1e-6)
    return fail (error, "sections",
                 "in percent mode the weights of the sections that are not bonus must add up "
                 "to 100, they add up to %g", percent_sum);

  form->validated = TRUE;
  return TRUE;
}

gboolean
assay_form_is_valid (const AssayForm *form)
{
  g_return_val_if_fail (form != NULL, FALSE);
  return form->validated;
}

gboolean
assay_form_publish (AssayForm  *form,
                    GError    **error)
{
  g_return_val_if_fail (form != NULL, FALSE);

  if (form->published)
    return TRUE;
  if (!assay_form_validate (form, error))
    return FALSE;
  form->published = TRUE;
  return TRUE;
}

gboolean
assay_form_is_published (const AssayForm *form)
{
  g_return_val_if_fail (form != NULL, FALSE);
  return form->published;
}

static AssayForm *
form_copy (const AssayForm *src,
           guint            version)
{
  AssayForm *form;

  form = assay_form_new (src->id, src->name, version, src->mode);
  form->description = g_strdup (src->description);
  form->na_redistribution = src->na_redistribution;
  form->minimum = src->minimum;
  form->comment_on_deduction = src->comment_on_deduction;
  form->comment_on_fail = src->comment_on_fail;
  for (guint b = 0; b < src->bands->len; b++)
    {
      const AssayBand *band = g_ptr_array_index (src->bands, b);

      assay_form_add_band (form, band->name, band->min);
    }
  for (guint s = 0; s < src->sections->len; s++)
    {
      const AssaySection *ss = g_ptr_array_index (src->sections, s);
      AssaySection *section = assay_form_add_section (form, ss->id, ss->title, ss->weight);

      section->bonus = ss->bonus;
      section->baseline = ss->baseline;
      for (guint i = 0; i < ss->items->len; i++)
        g_ptr_array_add (section->items, item_copy (g_ptr_array_index (ss->items, i)));
    }
  if (src->validated)
    assay_form_validate (form, NULL);
  return form;
}

AssayForm *
assay_form_new_version (const AssayForm *src)
{
  g_return_val_if_fail (src != NULL, NULL);
  return form_copy (src, src->version + 1);
}

AssayForm *
assay_form_copy (const AssayForm *src)
{
  g_return_val_if_fail (src != NULL, NULL);
  return form_copy (src, src->version);
}

guint
assay_form_get_n_items (const AssayForm *form)
{
  g_return_val_if_fail (form != NULL, 0);
  g_return_val_if_fail (form->validated, 0);
  return form->items->len;
}

const AssayItem *
assay_form_get_item (const AssayForm *form,
                     guint            index)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (form->validated, NULL);
  g_return_val_if_fail (index < form->items->len, NULL);
  return g_ptr_array_index (form->items, index);
}

int
assay_form_lookup_item (const AssayForm *form,
                        const char      *id)
{
  g_return_val_if_fail (form != NULL, -1);
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (form->item_ids, id)) - 1;
}

const char *
assay_form_band_for (const AssayForm *form,
                     double           percent)
{
  const char *name = NULL;

  g_return_val_if_fail (form != NULL, NULL);

  if (isnan (percent))
    return NULL;
  /* a tiny tolerance, so that 69.99999999 from floating-point sums still meets a cut-off of 70 */
  for (guint b = 0; b < form->bands->len; b++)
    {
      const AssayBand *band = g_ptr_array_index (form->bands, b);

      if (percent + 1e-9 >= band->min)
        name = band->name;
    }
  return name;
}

/* Items ---------------------------------------------------------------------------------------- */

static double
item_raw_max (const AssayItem *item)
{
  double max = 0;

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      return 1;
    case ASSAY_ITEM_SCALE:
      /* a scale is worth its weight whatever its range (docs/forms.md, SCORING.md); a draft's
       * scale without a range is worth nothing */
      return item->max > item->min ? 1 : 0;
    case ASSAY_ITEM_POINTS:
      return MAX (item->max, 0);
    case ASSAY_ITEM_SINGLE_CHOICE:
      for (guint k = 0; k < item->options->len; k++)
        max = MAX (max, ((AssayOption *) g_ptr_array_index (item->options, k))->points);
      return max;
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      for (guint k = 0; k < item->options->len; k++)
        max += MAX (0, ((AssayOption *) g_ptr_array_index (item->options, k))->points);
      return max;
    case ASSAY_ITEM_NUMBER:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return 0;
    }
}

double
assay_item_get_max_points (const AssayItem *item)
{
  g_return_val_if_fail (item != NULL, 0);
  return item_raw_max (item) * item->weight;
}

guint
assay_item_get_n_choices (const AssayItem *item)
{
  g_return_val_if_fail (item != NULL, 0);

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      return 2;
    case ASSAY_ITEM_SCALE:
      return (guint) (item->max - item->min) + 1;
    case ASSAY_ITEM_SINGLE_CHOICE:
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      return item->options->len;
    case ASSAY_ITEM_POINTS:
    case ASSAY_ITEM_NUMBER:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return 0;
    }
}

int
assay_item_choice_for_key (const AssayItem *item,
                           gunichar         key)
{
  g_return_val_if_fail (item != NULL, -1);

  if (key >= '1' && key <= '9')
    {
      guint n = key - '1';

      return n < assay_item_get_n_choices (item) ? (int) n : -1;
    }
  if ((key == 'n' || key == 'N') && item->allow_na)
    return ASSAY_CHOICE_NA;
  return -1;
}

gboolean
assay_answer_raw (const AssayItem   *item,
                  const AssayAnswer *answer,
                  double            *out_earned,
                  double            *out_max)
{
  double earned = 0;

  g_return_val_if_fail (item != NULL && answer != NULL, FALSE);

  if (answer->state != ASSAY_ANSWER_VALUE || !assay_item_kind_is_scored (item->kind))
    return FALSE;

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      earned = answer->choice == 0 ? 1 : 0;
      break;
    case ASSAY_ITEM_SCALE:
      /* (selected − min) / (max − min): 1–5 gives 0, 0.25, 0.5, 0.75, 1 */
      earned = item->max > item->min ? (answer->value - item->min) / (item->max - item->min) : 0;
      break;
    case ASSAY_ITEM_POINTS:
      earned = answer->value;
      break;
    case ASSAY_ITEM_SINGLE_CHOICE:
      earned = ((AssayOption *) g_ptr_array_index (item->options, answer->choice))->points;
      break;
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      for (guint k = 0; k < item->options->len; k++)
        if (answer->choices & (G_GUINT64_CONSTANT (1) << k))
          earned += ((AssayOption *) g_ptr_array_index (item->options, k))->points;
      break;
    case ASSAY_ITEM_NUMBER:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return FALSE;
    }

  if (out_earned != NULL)
    *out_earned = earned;
  if (out_max != NULL)
    *out_max = item_raw_max (item);
  return TRUE;
}

gboolean
assay_answer_is_deduction (const AssayItem   *item,
                           const AssayAnswer *answer)
{
  double earned, max;

  if (!assay_answer_raw (item, answer, &earned, &max))
    return FALSE;
  return earned < max;
}

/* Answers -------------------------------------------------------------------------------------- */

static void
answer_clear (AssayAnswer *answer)
{
  g_clear_pointer (&answer->text, g_free);
  g_clear_pointer (&answer->comment, g_free);
  g_clear_pointer (&answer->evidence, g_array_unref);
}

AssayAnswers *
assay_answers_new (AssayForm *form)
{
  AssayAnswers *self;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (form->validated, NULL);

  self = g_new0 (AssayAnswers, 1);
  self->form = assay_form_ref (form);
  self->n_items = form->items->len;
  self->answers = g_new0 (AssayAnswer, MAX (self->n_items, 1));
  for (guint i = 0; i < self->n_items; i++)
    self->answers[i].choice = -1;
  return self;
}

AssayAnswers *
assay_answers_copy (const AssayAnswers *src)
{
  AssayAnswers *self;

  g_return_val_if_fail (src != NULL, NULL);

  self = assay_answers_new (src->form);
  for (guint i = 0; i < src->n_items; i++)
    {
      const AssayAnswer *a = &src->answers[i];
      AssayAnswer *b = &self->answers[i];

      *b = *a;
      b->text = g_strdup (a->text);
      b->comment = g_strdup (a->comment);
      if (a->evidence != NULL)
        {
          b->evidence = g_array_sized_new (FALSE, FALSE, sizeof (AssayEvidence), a->evidence->len);
          g_array_append_vals (b->evidence, a->evidence->data, a->evidence->len);
        }
    }
  return self;
}

void
assay_answers_free (AssayAnswers *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_items; i++)
    answer_clear (&self->answers[i]);
  g_free (self->answers);
  assay_form_unref (self->form);
  g_free (self);
}

AssayForm *
assay_answers_get_form (const AssayAnswers *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->form;
}

guint
assay_answers_get_n_items (const AssayAnswers *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_items;
}

const AssayAnswer *
assay_answers_get (const AssayAnswers *self,
                   guint               item)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (item < self->n_items, NULL);
  return &self->answers[item];
}

static gboolean
wrong_kind (const AssayItem *item,
            const char      *what,
            GError         **error)
{
  g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
               "a %s item does not take %s", assay_item_kind_to_string (item->kind), what);
  return FALSE;
}

static void
set_value_state (AssayAnswer *answer)
{
  answer->suggested = FALSE;
  answer->state = ASSAY_ANSWER_VALUE;
  answer->choice = -1;
  answer->choices = 0;
  answer->value = 0;
  g_clear_pointer (&answer->text, g_free);
}

gboolean
assay_answers_set_choice (AssayAnswers  *self,
                          guint          index,
                          int            choice,
                          GError       **error)
{
  const AssayItem *item;
  AssayAnswer *answer;
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  item = g_ptr_array_index (self->form->items, index);
  answer = &self->answers[index];
  if (!is_yes_no (item->kind) && item->kind != ASSAY_ITEM_SCALE
      && item->kind != ASSAY_ITEM_SINGLE_CHOICE)
    return wrong_kind (item, "a single choice", error);

  n = assay_item_get_n_choices (item);
  if (choice < 0 || (guint) choice >= n)
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                   "choice %d is out of range, the item has %u choices", choice, n);
      return FALSE;
    }

  set_value_state (answer);
  answer->choice = choice;
  if (item->kind == ASSAY_ITEM_SCALE)
    answer->value = item->min + choice;
  return TRUE;
}

gboolean
assay_answers_set_choices (AssayAnswers  *self,
                           guint          index,
                           guint64        choices,
                           GError       **error)
{
  const AssayItem *item;
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  item = g_ptr_array_index (self->form->items, index);
  if (item->kind != ASSAY_ITEM_MULTIPLE_CHOICE)
    return wrong_kind (item, "several choices", error);
  n = item->options->len;
  if (n < 64 && (choices >> n) != 0)
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                   "a choice is out of range, the item has %u options", n);
      return FALSE;
    }
  set_value_state (&self->answers[index]);
  self->answers[index].choices = choices;
  return TRUE;
}

gboolean
assay_answers_set_value (AssayAnswers  *self,
                         guint          index,
                         double         value,
                         GError       **error)
{
  const AssayItem *item;
  AssayAnswer *answer;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  item = g_ptr_array_index (self->form->items, index);
  answer = &self->answers[index];

  if (!isfinite (value))
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                   "must be a finite number");
      return FALSE;
    }

  switch (item->kind)
    {
    case ASSAY_ITEM_SCALE:
      if (value != floor (value) || value < item->min || value > item->max)
        {
          g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                       "must be a whole number from %g to %g", item->min, item->max);
          return FALSE;
        }
      set_value_state (answer);
      answer->choice = (int) (value - item->min);
      break;

    case ASSAY_ITEM_POINTS:
    case ASSAY_ITEM_NUMBER:
      if ((item->has_min && value < item->min) || (item->has_max && value > item->max))
        {
          if (item->has_min && item->has_max)
            g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                         "must be from %g to %g", item->min, item->max);
          else if (item->has_min)
            g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                         "must be >= %g", item->min);
          else
            g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                         "must be <= %g", item->max);
          return FALSE;
        }
      set_value_state (answer);
      break;

    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
    case ASSAY_ITEM_SINGLE_CHOICE:
    case ASSAY_ITEM_MULTIPLE_CHOICE:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return wrong_kind (item, "a number", error);
    }

  answer->value = value;
  return TRUE;
}

gboolean
assay_answers_set_text (AssayAnswers  *self,
                        guint          index,
                        const char    *text,
                        GError       **error)
{
  const AssayItem *item;
  AssayAnswer *answer;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  item = g_ptr_array_index (self->form->items, index);
  answer = &self->answers[index];
  if (item->kind != ASSAY_ITEM_TEXT && item->kind != ASSAY_ITEM_DATE)
    return wrong_kind (item, "text", error);

  if (text == NULL || *text == '\0')
    {
      assay_answers_clear (self, index);
      return TRUE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                   "must be valid UTF-8");
      return FALSE;
    }
  if (item->kind == ASSAY_ITEM_DATE && !date_is_valid (text))
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                   "must be a date as YYYY-MM-DD");
      return FALSE;
    }
  set_value_state (answer);
  answer->text = g_strdup (text);
  return TRUE;
}

gboolean
assay_answers_set_na (AssayAnswers  *self,
                      guint          index,
                      GError       **error)
{
  const AssayItem *item;
  AssayAnswer *answer;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  item = g_ptr_array_index (self->form->items, index);
  answer = &self->answers[index];
  if (!item->allow_na)
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                   "item \"%s\" does not allow N/A", item->id);
      return FALSE;
    }
  set_value_state (answer);
  answer->state = ASSAY_ANSWER_NA;
  return TRUE;
}

void
assay_answers_clear (AssayAnswers *self,
                     guint         index)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->n_items);

  set_value_state (&self->answers[index]);
  self->answers[index].state = ASSAY_ANSWER_NONE;
}

void
assay_answers_set_comment (AssayAnswers *self,
                           guint         index,
                           const char   *comment)
{
  AssayAnswer *answer;

  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->n_items);

  answer = &self->answers[index];
  g_free (answer->comment);
  answer->comment = comment != NULL && *comment != '\0' ? g_strdup (comment) : NULL;
}

gboolean
assay_answers_add_evidence (AssayAnswers  *self,
                            guint          index,
                            gint64         start_ms,
                            gint64         end_ms,
                            GError       **error)
{
  AssayAnswer *answer;
  AssayEvidence span = { start_ms, end_ms };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  if (start_ms < 0 || end_ms < start_ms)
    {
      g_set_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER,
                   "an evidence span needs 0 <= start_ms <= end_ms");
      return FALSE;
    }
  answer = &self->answers[index];
  if (answer->evidence == NULL)
    answer->evidence = g_array_new (FALSE, FALSE, sizeof (AssayEvidence));
  g_array_append_val (answer->evidence, span);
  return TRUE;
}

void
assay_answers_clear_evidence (AssayAnswers *self,
                              guint         index)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->n_items);
  g_clear_pointer (&self->answers[index].evidence, g_array_unref);
}

gboolean
assay_answers_press_key (AssayAnswers *self,
                         guint         index,
                         gunichar      key)
{
  const AssayItem *item;
  AssayAnswer *answer;
  int choice;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  item = g_ptr_array_index (self->form->items, index);
  answer = &self->answers[index];
  choice = assay_item_choice_for_key (item, key);
  if (choice == ASSAY_CHOICE_NA)
    return assay_answers_set_na (self, index, NULL);
  if (choice < 0)
    return FALSE;
  if (item->kind == ASSAY_ITEM_MULTIPLE_CHOICE)
    {
      guint64 choices = answer->state == ASSAY_ANSWER_VALUE ? answer->choices : 0;

      return assay_answers_set_choices (self, index,
                                        choices ^ (G_GUINT64_CONSTANT (1) << choice), NULL);
    }
  return assay_answers_set_choice (self, index, choice, NULL);
}

GArray *
assay_answers_check_submit (const AssayAnswers *self)
{
  GArray *problems;

  g_return_val_if_fail (self != NULL, NULL);

  problems = g_array_new (FALSE, FALSE, sizeof (AssayProblem));
  for (guint i = 0; i < self->n_items; i++)
    {
      const AssayItem *item = g_ptr_array_index (self->form->items, i);
      const AssayAnswer *answer = &self->answers[i];

      if (answer->state == ASSAY_ANSWER_NONE && item->required)
        {
          AssayProblem problem = { ASSAY_PROBLEM_UNANSWERED, i };

          g_array_append_val (problems, problem);
        }
      else if (answer->suggested)
        {
          AssayProblem problem = { ASSAY_PROBLEM_UNCONFIRMED, i };

          g_array_append_val (problems, problem);
        }
      else if (str_is_empty (answer->comment) && assay_answer_needs_comment (item, answer))
        {
          AssayProblem problem = { ASSAY_PROBLEM_COMMENT_MISSING, i };

          g_array_append_val (problems, problem);
        }
    }
  return problems;
}

gboolean
assay_answers_set_suggestion (AssayAnswers  *self,
                              guint          index,
                              int            choice,
                              GArray        *evidence,
                              GError       **error)
{
  AssayAnswer *answer;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  if (!assay_answers_set_choice (self, index, choice, error))
    return FALSE;
  answer = &self->answers[index];
  answer->suggested = TRUE;
  if (evidence != NULL)
    {
      g_clear_pointer (&answer->evidence, g_array_unref);
      if (evidence->len > 0)
        {
          answer->evidence = g_array_sized_new (FALSE, FALSE, sizeof (AssayEvidence),
                                                evidence->len);
          g_array_append_vals (answer->evidence, evidence->data, evidence->len);
        }
    }
  return TRUE;
}

gboolean
assay_answers_confirm (AssayAnswers *self,
                       guint         index)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->n_items, FALSE);

  if (!self->answers[index].suggested)
    return FALSE;
  self->answers[index].suggested = FALSE;
  return TRUE;
}

/* Comment rules and scripts --------------------------------------------------------------------- */

static const char *const comment_rule_names[] = { "never", "on_fail", "below_full" };

const char *
assay_comment_rule_to_string (AssayCommentRule rule)
{
  g_return_val_if_fail ((guint) rule < G_N_ELEMENTS (comment_rule_names), NULL);
  return comment_rule_names[rule];
}

gboolean
assay_comment_rule_from_string (const char       *text,
                                AssayCommentRule *out_rule)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (comment_rule_names); i++)
    if (strcmp (text, comment_rule_names[i]) == 0)
      {
        *out_rule = (AssayCommentRule) i;
        return TRUE;
      }
  return FALSE;
}

AssayCommentRule
assay_item_get_comment_rule (const AssayItem *item)
{
  g_return_val_if_fail (item != NULL, ASSAY_COMMENT_NEVER);
  if (item->comment_on_deduction)
    return ASSAY_COMMENT_BELOW_FULL;
  return item->comment_on_fail ? ASSAY_COMMENT_ON_FAIL : ASSAY_COMMENT_NEVER;
}

AssayCommentRule
assay_form_get_comment_rule (const AssayForm *form)
{
  g_return_val_if_fail (form != NULL, ASSAY_COMMENT_NEVER);
  if (form->comment_on_deduction)
    return ASSAY_COMMENT_BELOW_FULL;
  return form->comment_on_fail ? ASSAY_COMMENT_ON_FAIL : ASSAY_COMMENT_NEVER;
}

void
assay_item_set_comment_rule (AssayItem        *item,
                             AssayCommentRule  rule)
{
  g_return_if_fail (item != NULL);
  item->comment_on_deduction = rule == ASSAY_COMMENT_BELOW_FULL;
  item->comment_on_fail = rule == ASSAY_COMMENT_ON_FAIL;
}

gboolean
assay_answer_is_failed (const AssayItem   *item,
                        const AssayAnswer *answer)
{
  double earned, max;

  if (!assay_answer_raw (item, answer, &earned, &max))
    return FALSE;
  return earned <= 0 && earned < max;
}

gboolean
assay_answer_needs_comment (const AssayItem   *item,
                            const AssayAnswer *answer)
{
  /* an audit's yes/no with observation text: whatever the answer, say what was seen */
  if (item->observation && answer->state == ASSAY_ANSWER_VALUE)
    return TRUE;
  switch (assay_item_get_comment_rule (item))
    {
    case ASSAY_COMMENT_BELOW_FULL:
      return assay_answer_is_deduction (item, answer);
    case ASSAY_COMMENT_ON_FAIL:
      return assay_answer_is_failed (item, answer);
    case ASSAY_COMMENT_NEVER:
    default:
      return FALSE;
    }
}

AssayScript *
assay_script_new (void)
{
  AssayScript *script = g_new0 (AssayScript, 1);

  script->must_say = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  script->must_not_say = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  script->speaker = ASSAY_SPEAKER_AGENT;
  return script;
}

AssayScript *
assay_script_copy (const AssayScript *src)
{
  AssayScript *script;

  g_return_val_if_fail (src != NULL, NULL);
  script = assay_script_new ();
  script->speaker = src->speaker;
  script->within_s = src->within_s;
  for (guint i = 0; i < src->must_say->len; i++)
    assay_script_add_phrase (script, TRUE, g_ptr_array_index (src->must_say, i));
  for (guint i = 0; i < src->must_not_say->len; i++)
    assay_script_add_phrase (script, FALSE, g_ptr_array_index (src->must_not_say, i));
  return script;
}

void
assay_script_free (AssayScript *script)
{
  if (script == NULL)
    return;
  g_ptr_array_unref (script->must_say);
  g_ptr_array_unref (script->must_not_say);
  g_free (script);
}

void
assay_script_add_phrase (AssayScript       *script,
                         gboolean           must_say,
                         const char *const *forms)
{
  g_return_if_fail (script != NULL);
  g_return_if_fail (forms != NULL);
  g_ptr_array_add (must_say ? script->must_say : script->must_not_say,
                   g_strdupv ((char **) forms));
}
