/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "assay-form-editor.h"
#include "assay-form-editor-private.h"
#include "core/assay-util.h"

/*
 * The editor is rebuilt from the form when its structure changes (a section or item added,
 * removed, moved, an item's kind); edits of a field change the form in place and leave the
 * widgets alone, so typing never loses the focus. Each field's widget is filed under its path
 * in the form ("sections[1].items[0].weight"), the same path assay_form_validate() names, so
 * the field at fault can be marked and shown.
 */

typedef enum {
  F_NAME,
  F_DESCRIPTION,
  F_MINIMUM,
  F_NA_REDISTRIBUTION,
  F_COMMENT_DEFAULT,
  F_BAND_NAME,
  F_BAND_MIN,
  F_SECTION_TITLE,
  F_SECTION_ID,
  F_SECTION_WEIGHT,
  F_SECTION_BONUS,
  F_SECTION_BASELINE,
  F_ITEM_TEXT,
  F_ITEM_HELP,
  F_ITEM_ID,
  F_ITEM_WEIGHT,
  F_ITEM_REQUIRED,
  F_ITEM_NA,
  F_ITEM_FATAL,
  F_ITEM_FAIL_SECTION,
  F_ITEM_CRITICAL,
  F_ITEM_COMMENT,
  F_ITEM_MIN,
  F_ITEM_MAX,
  F_ITEM_HAS_MIN,
  F_ITEM_HAS_MAX,
  F_OPTION_LABEL,
  F_OPTION_ID,
  F_OPTION_POINTS,
} Field;

struct _AssayFormEditor
{
  GtkWidget          parent_instance;

  AssayForm         *form;
  gboolean           read_only;
  gboolean           building;
  gboolean           has_preview;  /* the preview shows this form */
  char              *problem;
  GHashTable        *fields;       /* path → GtkWidget, borrowed */
  GHashTable        *item_rows;    /* AssayItem * → AdwExpanderRow, borrowed */
  GHashTable        *expanded;     /* item or section → TRUE, kept across rebuilds */
  GtkWidget         *marked;       /* the field of the problem, weak */
  GPtrArray         *graveyard;    /* widgets of the last rebuild, kept until idle */
  guint              bury_id;

  /* template */
  AdwFlap           *flap;
  GtkRevealer       *read_only_revealer;
  GtkLabel          *read_only_label;
  GtkRevealer       *problem_revealer;
  GtkLabel          *problem_label;
  GtkScrolledWindow *scroller;
  GtkBox            *content;
  AssayScoringPanel *preview;
};

enum {
  PROP_0,
  PROP_READ_ONLY,
  PROP_PROBLEM,
  PROP_REVEAL_PREVIEW,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayFormEditor, assay_form_editor, GTK_TYPE_WIDGET)

static void rebuild (AssayFormEditor *self);

/* ---- kinds ---- */

static const char *
kind_label (AssayItemKind kind)
{
  switch (kind)
    {
    case ASSAY_ITEM_YES_NO:
      return _("Yes or no");
    case ASSAY_ITEM_YES_NO_NA:
      return _("Yes, no or N/A");
    case ASSAY_ITEM_SCALE:
      return _("Scale");
    case ASSAY_ITEM_POINTS:
      return _("Points");
    case ASSAY_ITEM_SINGLE_CHOICE:
      return _("One choice");
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      return _("Several choices");
    case ASSAY_ITEM_NUMBER:
      return _("Number (not scored)");
    case ASSAY_ITEM_TEXT:
      return _("Text (not scored)");
    case ASSAY_ITEM_DATE:
    default:
      return _("Date (not scored)");
    }
}

static gboolean
kind_is_yes_no (AssayItemKind kind)
{
  return kind == ASSAY_ITEM_YES_NO || kind == ASSAY_ITEM_YES_NO_NA;
}

static gboolean
kind_is_choice (AssayItemKind kind)
{
  return kind == ASSAY_ITEM_SINGLE_CHOICE || kind == ASSAY_ITEM_MULTIPLE_CHOICE;
}

/* ---- model helpers ---- */

static gboolean
find_item (AssayForm *form,
           AssayItem *item,
           guint     *out_section,
           guint     *out_index)
{
  for (guint s = 0; s < form->sections->len; s++)
    {
      AssaySection *section = g_ptr_array_index (form->sections, s);
      guint i;

      if (g_ptr_array_find (section->items, item, &i))
        {
          *out_section = s;
          *out_index = i;
          return TRUE;
        }
    }
  return FALSE;
}

static AssayItem *
find_option_item (AssayForm   *form,
                  AssayOption *option,
                  guint       *out_index)
{
  for (guint s = 0; s < form->sections->len; s++)
    {
      AssaySection *section = g_ptr_array_index (form->sections, s);

      for (guint i = 0; i < section->items->len; i++)
        {
          AssayItem *item = g_ptr_array_index (section->items, i);

          if (g_ptr_array_find (item->options, option, out_index))
            return item;
        }
    }
  return NULL;
}

static gboolean
id_taken (AssayForm  *form,
          const char *prefix,
          const char *id)
{
  for (guint s = 0; s < form->sections->len; s++)
    {
      AssaySection *section = g_ptr_array_index (form->sections, s);

      if (g_str_equal (prefix, "section") && g_strcmp0 (section->id, id) == 0)
        return TRUE;
      for (guint i = 0; i < section->items->len; i++)
        {
          AssayItem *item = g_ptr_array_index (section->items, i);

          if (g_str_equal (prefix, "item") && g_strcmp0 (item->id, id) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* "item-4": the first free one */
static char *
free_id (AssayForm  *form,
         const char *prefix)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", prefix, n);

      if (!id_taken (form, prefix, id))
        return g_steal_pointer (&id);
    }
}

static char *
free_option_id (AssayItem *item)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *id = g_strdup_printf ("option-%u", n);
      gboolean taken = FALSE;

      for (guint k = 0; k < item->options->len && !taken; k++)
        taken = g_strcmp0 (((AssayOption *) g_ptr_array_index (item->options, k))->id, id) == 0;
      if (!taken)
        return g_steal_pointer (&id);
    }
}

/* ---- trial answers ---- */

static int
option_index (const AssayItem *item,
              const char      *id)
{
  for (guint k = 0; k < item->options->len; k++)
    if (g_strcmp0 (((AssayOption *) g_ptr_array_index (item->options, k))->id, id) == 0)
      return (int) k;
  return -1;
}

/* Keeps the trial answers of the items that are still there, where they still fit. */
static void
carry_answers (const AssayAnswers *from,
               AssayAnswers       *to)
{
  AssayForm *old_form = assay_answers_get_form (from);
  AssayForm *new_form = assay_answers_get_form (to);

  for (guint i = 0; i < assay_answers_get_n_items (from); i++)
    {
      const AssayItem *old_item = assay_form_get_item (old_form, i);
      const AssayAnswer *a = assay_answers_get (from, i);
      const AssayItem *item;
      int j = assay_form_lookup_item (new_form, old_item->id);

      if (j < 0)
        continue;
      item = assay_form_get_item (new_form, (guint) j);
      if (item->kind != old_item->kind)
        continue;
      assay_answers_set_comment (to, (guint) j, a->comment);
      if (a->state == ASSAY_ANSWER_NA)
        {
          assay_answers_set_na (to, (guint) j, NULL);
          continue;
        }
      if (a->state != ASSAY_ANSWER_VALUE)
        continue;
      switch (item->kind)
        {
        case ASSAY_ITEM_YES_NO:
        case ASSAY_ITEM_YES_NO_NA:
          assay_answers_set_choice (to, (guint) j, a->choice, NULL);
          break;
        case ASSAY_ITEM_SCALE:
        case ASSAY_ITEM_POINTS:
        case ASSAY_ITEM_NUMBER:
          assay_answers_set_value (to, (guint) j, a->value, NULL);
          break;
        case ASSAY_ITEM_SINGLE_CHOICE:
          {
            const AssayOption *o = g_ptr_array_index (old_item->options, a->choice);
            int k = option_index (item, o->id);

            if (k >= 0)
              assay_answers_set_choice (to, (guint) j, k, NULL);
          }
          break;
        case ASSAY_ITEM_MULTIPLE_CHOICE:
          {
            guint64 bits = 0;

            for (guint k = 0; k < old_item->options->len; k++)
              if (a->choices & (G_GUINT64_CONSTANT (1) << k))
                {
                  int n = option_index (item, ((AssayOption *) g_ptr_array_index (old_item->options, k))->id);

                  if (n >= 0)
                    bits |= G_GUINT64_CONSTANT (1) << n;
                }
            assay_answers_set_choices (to, (guint) j, bits, NULL);
          }
          break;
        case ASSAY_ITEM_TEXT:
        case ASSAY_ITEM_DATE:
        default:
          assay_answers_set_text (to, (guint) j, a->text, NULL);
          break;
        }
    }
}

static void
update_preview (AssayFormEditor *self)
{
  g_autoptr(AssayForm) copy = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  const AssayAnswers *old;

  if (self->form == NULL || !assay_form_is_valid (self->form))
    {
      /* the last good preview stays, greyed, until the draft follows the rules again */
      gtk_widget_set_sensitive (GTK_WIDGET (self->preview), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->preview), self->has_preview);
      return;
    }

  copy = assay_form_copy (self->form);
  answers = assay_answers_new (copy);
  old = assay_scoring_panel_get_answers (self->preview);
  if (old != NULL)
    carry_answers (old, answers);
  assay_scoring_panel_set_answers (self->preview, answers);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preview), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->preview), TRUE);
  self->has_preview = TRUE;
}

/* ---- validation ---- */

static void
clear_mark (AssayFormEditor *self)
{
  if (self->marked == NULL)
    return;
  gtk_widget_remove_css_class (self->marked, "error");
  g_object_remove_weak_pointer (G_OBJECT (self->marked), (gpointer *) &self->marked);
  self->marked = NULL;
}

/* The widget of @path, or of the nearest field that holds it. */
static GtkWidget *
field_for_path (AssayFormEditor *self,
                const char      *path)
{
  g_autofree char *p = g_strdup (path);

  while (*p != '\0')
    {
      GtkWidget *widget = g_hash_table_lookup (self->fields, p);
      char *cut;

      if (widget != NULL)
        return widget;
      cut = strrchr (p, '.');
      if (cut == NULL)
        cut = strrchr (p, '[');
      if (cut == NULL)
        break;
      *cut = '\0';
    }
  return NULL;
}

static GtkWidget *
problem_field (AssayFormEditor *self)
{
  g_autofree char *path = NULL;
  const char *colon;

  if (self->problem == NULL)
    return NULL;
  colon = strstr (self->problem, ": ");
  if (colon == NULL)
    return NULL;
  path = g_strndup (self->problem, colon - self->problem);
  return field_for_path (self, path);
}

static void
validate (AssayFormEditor *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *field;
  gboolean ok;

  clear_mark (self);
  ok = self->form == NULL || assay_form_validate (self->form, &error);
  if (assay_set_str (&self->problem, ok ? NULL : error->message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);

  gtk_label_set_text (self->problem_label, self->problem ? self->problem : "");
  gtk_revealer_set_reveal_child (self->problem_revealer, self->problem != NULL && !self->read_only);

  field = problem_field (self);
  if (field != NULL && !self->read_only)
    {
      self->marked = field;
      g_object_add_weak_pointer (G_OBJECT (field), (gpointer *) &self->marked);
      gtk_widget_add_css_class (field, "error");
    }
}

static void
form_changed (AssayFormEditor *self,
              gboolean         structure)
{
  if (self->building || self->read_only)
    return;
  if (structure)
    rebuild (self);
  else
    {
      validate (self);
      update_preview (self);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- summaries ---- */

static char *
item_summary (AssayForm *form,
              AssayItem *item)
{
  g_autoptr(GString) text = g_string_new (kind_label (item->kind));

  if (assay_item_kind_is_scored (item->kind))
    /* Translators: an item's weight in the summary under its question */
    g_string_append_printf (text, _(" · weight %g"), item->weight);
  if (item->fatal)
    g_string_append_printf (text, " · %s", _("fatal"));
  if (item->fail_section)
    g_string_append_printf (text, " · %s", _("fails its section"));
  if (item->critical)
    g_string_append_printf (text, " · %s", _("critical"));
  if (!item->required && assay_item_kind_is_scored (item->kind))
    g_string_append_printf (text, " · %s", _("optional"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
or_placeholder (const char *text,
                const char *placeholder)
{
  return text != NULL && *text != '\0' ? text : placeholder;
}

static void
update_item_row (AssayFormEditor *self,
                 AssayItem       *item)
{
  AdwExpanderRow *row = g_hash_table_lookup (self->item_rows, item);
  g_autofree char *summary = NULL;

  if (row == NULL)
    return;
  summary = item_summary (self->form, item);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), or_placeholder (item->text, _("(no question)")));
  adw_expander_row_set_subtitle (row, summary);
}

/* ---- field callbacks ---- */

static Field
field_of (gpointer widget)
{
  return (Field) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "field"));
}

static gpointer
target_of (gpointer widget)
{
  return g_object_get_data (G_OBJECT (widget), "target");
}

static void
set_text (char       **field,
          const char  *text,
          gboolean     null_if_empty)
{
  g_free (*field);
  *field = null_if_empty && (text == NULL || *text == '\0') ? NULL : g_strdup (text);
}

static void
text_changed_cb (GtkEditable     *editable,
                 AssayFormEditor *self)
{
  const char *text = gtk_editable_get_text (editable);
  gpointer target = target_of (editable);

  if (self->building || self->read_only)
    return;

  switch (field_of (editable))
    {
    case F_NAME:
      set_text (&self->form->name, text, FALSE);
      break;
    case F_DESCRIPTION:
      set_text (&self->form->description, text, TRUE);
      break;
    case F_BAND_NAME:
      set_text (&((AssayBand *) target)->name, text, FALSE);
      break;
    case F_SECTION_TITLE:
      {
        AssaySection *section = target;
        GtkWidget *group = g_object_get_data (G_OBJECT (editable), "group");
        g_autofree char *markup = g_markup_escape_text (or_placeholder (text, _("(no title)")), -1);

        set_text (&section->title, text, FALSE);
        if (group != NULL)
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), markup);
      }
      break;
    case F_SECTION_ID:
      set_text (&((AssaySection *) target)->id, text, FALSE);
      break;
    case F_ITEM_TEXT:
      set_text (&((AssayItem *) target)->text, text, FALSE);
      update_item_row (self, target);
      break;
    case F_ITEM_HELP:
      set_text (&((AssayItem *) target)->help, text, TRUE);
      break;
    case F_ITEM_ID:
      set_text (&((AssayItem *) target)->id, text, FALSE);
      break;
    case F_OPTION_LABEL:
      set_text (&((AssayOption *) target)->label, text, FALSE);
      break;
    case F_OPTION_ID:
      set_text (&((AssayOption *) target)->id, text, FALSE);
      break;
    default:
      g_return_if_reached ();
    }
  form_changed (self, FALSE);
}

static void
number_changed_cb (GtkSpinButton   *spin,
                   AssayFormEditor *self)
{
  double value = gtk_spin_button_get_value (spin);
  gpointer target = target_of (spin);

  if (self->building || self->read_only)
    return;

  switch (field_of (spin))
    {
    case F_MINIMUM:
      self->form->minimum = value;
      break;
    case F_BAND_MIN:
      ((AssayBand *) target)->min = value;
      break;
    case F_SECTION_WEIGHT:
      ((AssaySection *) target)->weight = value;
      break;
    case F_SECTION_BASELINE:
      ((AssaySection *) target)->baseline = value;
      break;
    case F_ITEM_WEIGHT:
      ((AssayItem *) target)->weight = value;
      update_item_row (self, target);
      break;
    case F_ITEM_MIN:
      ((AssayItem *) target)->min = value;
      break;
    case F_ITEM_MAX:
      ((AssayItem *) target)->max = value;
      break;
    case F_OPTION_POINTS:
      ((AssayOption *) target)->points = value;
      break;
    default:
      g_return_if_reached ();
    }
  form_changed (self, FALSE);
}

static void
switch_changed_cb (GtkSwitch       *sw,
                   GParamSpec      *pspec,
                   AssayFormEditor *self)
{
  gboolean active = gtk_switch_get_active (sw);
  gpointer target = target_of (sw);
  AssayItem *item = target;
  GtkWidget *spin = g_object_get_data (G_OBJECT (sw), "spin");

  if (self->building || self->read_only)
    return;

  switch (field_of (sw))
    {
    case F_NA_REDISTRIBUTION:
      self->form->na_redistribution = active;
      break;
    case F_COMMENT_DEFAULT:
      self->form->comment_on_deduction = active;
      break;
    case F_SECTION_BONUS:
      ((AssaySection *) target)->bonus = active;
      break;
    case F_ITEM_REQUIRED:
      item->required = active;
      break;
    case F_ITEM_NA:
      item->allow_na = active;
      break;
    case F_ITEM_FATAL:
      item->fatal = active;
      break;
    case F_ITEM_FAIL_SECTION:
      item->fail_section = active;
      break;
    case F_ITEM_CRITICAL:
      item->critical = active;
      break;
    case F_ITEM_COMMENT:
      item->comment_on_deduction = active;
      break;
    case F_ITEM_HAS_MIN:
      item->has_min = active;
      if (active && spin != NULL)
        item->min = gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin));
      break;
    case F_ITEM_HAS_MAX:
      item->has_max = active;
      if (active && spin != NULL)
        item->max = gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin));
      break;
    default:
      g_return_if_reached ();
    }
  if (spin != NULL)
    gtk_widget_set_sensitive (spin, active);
  update_item_row (self, item);
  form_changed (self, FALSE);
}

static void
mode_changed_cb (AdwComboRow     *row,
                 GParamSpec      *pspec,
                 AssayFormEditor *self)
{
  if (self->building || self->read_only)
    return;
  self->form->mode = adw_combo_row_get_selected (row) == 1 ? ASSAY_FORM_MODE_PERCENT
                                                           : ASSAY_FORM_MODE_POINTS;
  form_changed (self, TRUE);
}

static void
kind_changed_cb (AdwComboRow     *row,
                 GParamSpec      *pspec,
                 AssayFormEditor *self)
{
  AssayItem *item = target_of (row);
  AssayItemKind old, kind = (AssayItemKind) adw_combo_row_get_selected (row);
  guint s, i;
  gboolean bonus = FALSE;

  if (self->building || self->read_only || kind >= ASSAY_ITEM_N_KINDS || kind == item->kind)
    return;

  if (find_item (self->form, item, &s, &i))
    bonus = ((AssaySection *) g_ptr_array_index (self->form->sections, s))->bonus;
  old = item->kind;
  item->kind = kind;

  /* keep what still means something for the new kind, give the rest its defaults */
  if (!kind_is_yes_no (kind))
    item->fatal = item->fail_section = FALSE;
  if (!assay_item_kind_is_scored (kind))
    item->critical = item->comment_on_deduction = FALSE;
  if (assay_item_kind_is_scored (kind) != assay_item_kind_is_scored (old))
    {
      item->required = assay_item_kind_is_scored (kind) && !bonus;
      item->comment_on_deduction = assay_item_kind_is_scored (kind) && self->form->comment_on_deduction;
    }
  if (kind == ASSAY_ITEM_YES_NO_NA)
    item->allow_na = TRUE;
  else if (kind == ASSAY_ITEM_YES_NO || old == ASSAY_ITEM_YES_NO_NA)
    item->allow_na = FALSE;
  if (kind == ASSAY_ITEM_SCALE && old != ASSAY_ITEM_SCALE)
    {
      item->min = 1;
      item->max = 5;
      item->has_min = item->has_max = TRUE;
    }
  else if (kind == ASSAY_ITEM_POINTS && old != ASSAY_ITEM_POINTS)
    {
      item->min = 0;
      item->max = MAX (1, old == ASSAY_ITEM_SCALE ? item->max : 1);
      item->has_min = item->has_max = TRUE;
    }
  else if (kind == ASSAY_ITEM_NUMBER && old != ASSAY_ITEM_NUMBER)
    item->has_min = item->has_max = FALSE;
  if (kind_is_choice (kind) && item->options->len == 0)
    {
      AssayOption *option;

      option = g_new0 (AssayOption, 1);
      option->id = g_strdup ("option-1");
      option->label = g_strdup (_("Option 1"));
      option->points = 1;
      g_ptr_array_add (item->options, option);
      option = g_new0 (AssayOption, 1);
      option->id = g_strdup ("option-2");
      option->label = g_strdup (_("Option 2"));
      option->points = 0;
      g_ptr_array_add (item->options, option);
    }
  form_changed (self, TRUE);
}

static void
expanded_cb (AdwExpanderRow  *row,
             GParamSpec      *pspec,
             AssayFormEditor *self)
{
  gpointer target = target_of (row);

  if (self->building || target == NULL)
    return;
  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (self->expanded, target);
  else
    g_hash_table_remove (self->expanded, target);
}

/* ---- structure callbacks ---- */

static void
add_band_cb (GtkButton       *button,
             AssayFormEditor *self)
{
  GPtrArray *bands = self->form->bands;
  double min = bands->len > 0 ? ((AssayBand *) g_ptr_array_index (bands, bands->len - 1))->min + 10 : 0;
  AssayBand *band = g_new0 (AssayBand, 1);

  band->name = g_strdup (_("New band"));
  band->min = MIN (min, 100);
  g_ptr_array_add (bands, band);
  form_changed (self, TRUE);
}

static void
remove_band_cb (GtkButton       *button,
                AssayFormEditor *self)
{
  g_ptr_array_remove (self->form->bands, target_of (button));
  form_changed (self, TRUE);
}

static void
add_section_cb (GtkButton       *button,
                AssayFormEditor *self)
{
  g_autofree char *id = free_id (self->form, "section");
  g_autofree char *title = g_strdup_printf (_("Section %u"), self->form->sections->len + 1);
  g_autofree char *item_id = NULL;
  AssaySection *section;
  AssayItem *item;

  /* in percent mode a new section starts at 0 %: the sum stays as it was */
  section = assay_form_add_section (self->form, id, title,
                                    self->form->mode == ASSAY_FORM_MODE_PERCENT ? 0 : 1);
  item_id = free_id (self->form, "item");
  item = assay_form_add_item (self->form, section, item_id, ASSAY_ITEM_YES_NO, _("New question"));
  g_hash_table_add (self->expanded, item);
  form_changed (self, TRUE);
}

static void
move_section_cb (GtkButton       *button,
                 AssayFormEditor *self)
{
  GPtrArray *sections = self->form->sections;
  int delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "delta"));
  guint from;
  gpointer section;

  if (!g_ptr_array_find (sections, target_of (button), &from)
      || (int) from + delta < 0 || (int) from + delta >= (int) sections->len)
    return;
  section = g_ptr_array_steal_index (sections, from);
  g_ptr_array_insert (sections, (int) from + delta, section);
  form_changed (self, TRUE);
}

static void
remove_section_cb (GtkButton       *button,
                   AssayFormEditor *self)
{
  AssaySection *section = target_of (button);

  g_hash_table_remove (self->expanded, section);
  for (guint i = 0; i < section->items->len; i++)
    g_hash_table_remove (self->expanded, g_ptr_array_index (section->items, i));
  g_ptr_array_remove (self->form->sections, section);
  form_changed (self, TRUE);
}

static void
add_item_cb (GtkButton       *button,
             AssayFormEditor *self)
{
  AssaySection *section = target_of (button);
  g_autofree char *id = free_id (self->form, "item");
  AssayItem *item = assay_form_add_item (self->form, section, id, ASSAY_ITEM_YES_NO, _("New question"));

  g_hash_table_add (self->expanded, item);
  form_changed (self, TRUE);
}

static void
move_item_cb (GtkButton       *button,
              AssayFormEditor *self)
{
  int delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "delta"));
  AssayItem *item = target_of (button);
  AssaySection *section;
  guint s, i;

  if (!find_item (self->form, item, &s, &i))
    return;
  section = g_ptr_array_index (self->form->sections, s);
  if ((int) i + delta < 0 || (int) i + delta >= (int) section->items->len)
    return;
  g_ptr_array_steal_index (section->items, i);
  g_ptr_array_insert (section->items, (int) i + delta, item);
  form_changed (self, TRUE);
}

static void
remove_item_cb (GtkButton       *button,
                AssayFormEditor *self)
{
  AssayItem *item = target_of (button);
  guint s, i;

  if (!find_item (self->form, item, &s, &i))
    return;
  g_hash_table_remove (self->expanded, item);
  g_ptr_array_remove_index (((AssaySection *) g_ptr_array_index (self->form->sections, s))->items, i);
  form_changed (self, TRUE);
}

static void
add_option_cb (GtkButton       *button,
               AssayFormEditor *self)
{
  AssayItem *item = target_of (button);
  AssayOption *option = g_new0 (AssayOption, 1);

  option->id = free_option_id (item);
  option->label = g_strdup_printf (_("Option %u"), item->options->len + 1);
  g_ptr_array_add (item->options, option);
  form_changed (self, TRUE);
}

static void
remove_option_cb (GtkButton       *button,
                  AssayFormEditor *self)
{
  guint k;
  AssayItem *item = find_option_item (self->form, target_of (button), &k);

  if (item == NULL)
    return;
  g_ptr_array_remove_index (item->options, k);
  form_changed (self, TRUE);
}

static void
show_problem_cb (AssayFormEditor *self)
{
  GtkWidget *field = problem_field (self);
  GtkWidget *w = field;

  if (field == NULL)
    return;
  while ((w = gtk_widget_get_ancestor (w, ADW_TYPE_EXPANDER_ROW)) != NULL)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (w), TRUE);
      w = gtk_widget_get_parent (w);
      if (w == NULL)
        break;
    }
  gtk_widget_grab_focus (field);
}

static void
reveal_flap_cb (AssayFormEditor *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEAL_PREVIEW]);
}

/* ---- building ---- */

G_GNUC_PRINTF (3, 4) static void
file_field (AssayFormEditor *self,
            GtkWidget       *widget,
            const char      *format,
            ...)
{
  va_list args;
  char *path;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);
  g_hash_table_replace (self->fields, path, widget);
}

static void
tag (gpointer  widget,
     Field     field,
     gpointer  target)
{
  g_object_set_data (G_OBJECT (widget), "field", GINT_TO_POINTER (field));
  g_object_set_data (G_OBJECT (widget), "target", target);
}

static GtkWidget *
entry_row (AssayFormEditor *self,
           const char      *title,
           const char      *text,
           Field            field,
           gpointer         target)
{
  GtkWidget *row;

  /* a published version is read, not edited: its texts are plain rows */
  if (self->read_only)
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text && *text ? text : "—");
      gtk_widget_add_css_class (row, "property");
      return row;
    }

  row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  tag (row, field, target);
  g_signal_connect (row, "changed", G_CALLBACK (text_changed_cb), self);
  return row;
}

static void
row_add_suffix (GtkWidget *row,
                GtkWidget *widget)
{
  if (ADW_IS_ENTRY_ROW (row))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), widget);
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
}

static gboolean
spin_output_cb (GtkSpinButton *spin)
{
  g_autofree char *text = g_strdup_printf ("%g", gtk_spin_button_get_value (spin));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static GtkWidget *
spin (AssayFormEditor *self,
      double           value,
      double           lo,
      double           hi,
      double           step,
      Field            field,
      gpointer         target,
      const char      *accessible)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lo, hi, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  g_signal_connect (spin, "output", G_CALLBACK (spin_output_cb), NULL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 4);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (spin, !self->read_only);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  tag (spin, field, target);
  g_signal_connect (spin, "value-changed", G_CALLBACK (number_changed_cb), self);
  return spin;
}

static GtkWidget *
action_row (const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static GtkWidget *
spin_row (AssayFormEditor *self,
          const char      *title,
          const char      *subtitle,
          double           value,
          double           lo,
          double           hi,
          double           step,
          Field            field,
          gpointer         target,
          GtkWidget      **out_spin)
{
  GtkWidget *row = action_row (title, subtitle);
  GtkWidget *s = spin (self, value, lo, hi, step, field, target, title);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), s);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), s);
  if (out_spin != NULL)
    *out_spin = s;
  return row;
}

static GtkWidget *
switch_row (AssayFormEditor *self,
            const char      *title,
            const char      *subtitle,
            gboolean         active,
            Field            field,
            gpointer         target,
            GtkWidget      **out_switch)
{
  GtkWidget *row = action_row (title, subtitle);
  GtkWidget *sw = gtk_switch_new ();

  gtk_switch_set_active (GTK_SWITCH (sw), active);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (sw, !self->read_only);
  tag (sw, field, target);
  g_signal_connect (sw, "notify::active", G_CALLBACK (switch_changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  if (out_switch != NULL)
    *out_switch = sw;
  return row;
}

static GtkWidget *
icon_button (AssayFormEditor *self,
             const char      *icon,
             const char      *tooltip,
             GCallback        callback,
             gpointer         target,
             int              delta)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_visible (button, !self->read_only);
  g_object_set_data (G_OBJECT (button), "target", target);
  g_object_set_data (G_OBJECT (button), "delta", GINT_TO_POINTER (delta));
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static GtkWidget *
text_button (AssayFormEditor *self,
             const char      *label,
             GCallback        callback,
             gpointer         target)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_visible (button, !self->read_only);
  g_object_set_data (G_OBJECT (button), "target", target);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static void
build_form_group (AssayFormEditor *self)
{
  AssayForm *form = self->form;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row, *w;
  g_autoptr(GtkStringList) modes = NULL;
  g_autofree char *description = NULL;
  g_autofree char *escaped = g_markup_escape_text (form->id ? form->id : "", -1);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Scorecard"));
  /* Translators: the scorecard's id in its JSON files and its version number */
  description = g_strdup_printf (_("ID %s · version %u"), escaped, form->version);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);

  row = entry_row (self, _("Name"), form->name, F_NAME, form);
  file_field (self, row, "name");
  file_field (self, row, "id");
  file_field (self, row, "version");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = entry_row (self, _("Description"), form->description, F_DESCRIPTION, form);
  file_field (self, row, "description");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  modes = gtk_string_list_new (NULL);
  gtk_string_list_append (modes, _("Points"));
  gtk_string_list_append (modes, _("Percent of the scorecard"));
  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Section weights"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               form->mode == ASSAY_FORM_MODE_PERCENT
                                 ? _("Each section is worth a percent of the score; they add up to 100")
                                 : _("Each section's weight multiplies its points"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (modes));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), form->mode == ASSAY_FORM_MODE_PERCENT ? 1 : 0);
  gtk_widget_set_sensitive (row, !self->read_only);
  g_signal_connect (row, "notify::selected", G_CALLBACK (mode_changed_cb), self);
  file_field (self, row, "mode");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = spin_row (self, _("Minimum score"), _("The score never goes below this once anything is answered (%)"),
                  form->minimum, 0, 100, 1, F_MINIMUM, form, &w);
  file_field (self, w, "minimum");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = switch_row (self, _("N/A redistribution"),
                    _("An N/A item's points stay in its section, shared by the other items"),
                    form->na_redistribution, F_NA_REDISTRIBUTION, form, &w);
  file_field (self, w, "na_redistribution");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = switch_row (self, _("Comment on deductions"),
                    _("New items ask for a comment when an answer loses points"),
                    form->comment_on_deduction, F_COMMENT_DEFAULT, form, &w);
  file_field (self, w, "comment_on_deduction");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  gtk_box_append (self->content, group);
}

static void
build_bands_group (AssayFormEditor *self)
{
  AssayForm *form = self->form;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *add;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Bands"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Names for score ranges, lowest first; each starts at its percent"));
  add = icon_button (self, "list-add-symbolic", _("Add Band"), G_CALLBACK (add_band_cb), NULL, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);
  file_field (self, add, "bands");

  for (guint b = 0; b < form->bands->len; b++)
    {
      AssayBand *band = g_ptr_array_index (form->bands, b);
      g_autofree char *title = g_strdup_printf (_("Band %u"), b + 1);
      g_autofree char *from = g_strdup_printf (_("Band %u starts at (%%)"), b + 1);
      GtkWidget *row = entry_row (self, title, band->name, F_BAND_NAME, band);
      GtkWidget *min;

      row_add_suffix (row, icon_button (self, "user-trash-symbolic", _("Remove Band"),
                                        G_CALLBACK (remove_band_cb), band, 0));
      file_field (self, row, "bands[%u].name", b);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      row = spin_row (self, from, NULL, band->min, -1000, 1000, 1, F_BAND_MIN, band, &min);
      file_field (self, min, "bands[%u].min", b);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (self->content, group);
}

static void
build_options (AssayFormEditor *self,
               AdwExpanderRow  *expander,
               AssayItem       *item,
               const char      *ip)
{
  GtkWidget *row;

  for (guint k = 0; k < item->options->len; k++)
    {
      AssayOption *option = g_ptr_array_index (item->options, k);
      g_autofree char *title = g_strdup_printf (_("Option %u"), k + 1);
      g_autofree char *id_title = NULL;
      GtkWidget *points;
      GtkWidget *id_row;

      row = entry_row (self, title, option->label, F_OPTION_LABEL, option);
      points = spin (self, option->points, -1000, 1000, 1, F_OPTION_POINTS, option,
                     _("Points of the option"));
      gtk_widget_set_tooltip_text (points, _("Points of the option; negative points are a deduction"));
      row_add_suffix (row, points);
      row_add_suffix (row, icon_button (self, "user-trash-symbolic", _("Remove Option"),
                                        G_CALLBACK (remove_option_cb), option, 0));
      file_field (self, row, "%s.options[%u]", ip, k);
      file_field (self, row, "%s.options[%u].label", ip, k);
      file_field (self, points, "%s.options[%u].points", ip, k);
      adw_expander_row_add_row (expander, row);

      /* Translators: the id of an option, used in answers files */
      id_title = g_strdup_printf (_("Option %u ID"), k + 1);
      id_row = entry_row (self, id_title, option->id, F_OPTION_ID, option);
      file_field (self, id_row, "%s.options[%u].id", ip, k);
      adw_expander_row_add_row (expander, id_row);
    }

  row = action_row (NULL, NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             text_button (self, _("Add _Option"), G_CALLBACK (add_option_cb), item));
  gtk_widget_set_visible (row, !self->read_only);
  file_field (self, row, "%s.options", ip);
  adw_expander_row_add_row (expander, row);
}

static void
build_range (AssayFormEditor *self,
             AdwExpanderRow  *expander,
             AssayItem       *item,
             const char      *ip)
{
  gboolean number = item->kind == ASSAY_ITEM_NUMBER;
  gboolean scale = item->kind == ASSAY_ITEM_SCALE;
  double step = scale ? 1 : 0.5;
  GtkWidget *row, *lo, *hi, *sw;

  row = spin_row (self, _("Lowest answer"), scale ? _("A whole number") : NULL,
                  item->min, -1e6, 1e6, step, F_ITEM_MIN, item, &lo);
  if (number)
    {
      sw = gtk_switch_new ();
      gtk_switch_set_active (GTK_SWITCH (sw), item->has_min);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (sw, !self->read_only);
      gtk_widget_set_tooltip_text (sw, _("Limit the lowest answer"));
      tag (sw, F_ITEM_HAS_MIN, item);
      g_object_set_data (G_OBJECT (sw), "spin", lo);
      g_signal_connect (sw, "notify::active", G_CALLBACK (switch_changed_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), sw);
      gtk_widget_set_sensitive (lo, item->has_min && !self->read_only);
    }
  file_field (self, lo, "%s.min", ip);
  adw_expander_row_add_row (expander, row);

  row = spin_row (self, _("Highest answer"), scale ? _("A whole number, above the lowest") : NULL,
                  item->max, -1e6, 1e6, step, F_ITEM_MAX, item, &hi);
  if (number)
    {
      sw = gtk_switch_new ();
      gtk_switch_set_active (GTK_SWITCH (sw), item->has_max);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (sw, !self->read_only);
      gtk_widget_set_tooltip_text (sw, _("Limit the highest answer"));
      tag (sw, F_ITEM_HAS_MAX, item);
      g_object_set_data (G_OBJECT (sw), "spin", hi);
      g_signal_connect (sw, "notify::active", G_CALLBACK (switch_changed_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), sw);
      gtk_widget_set_sensitive (hi, item->has_max && !self->read_only);
    }
  file_field (self, hi, "%s.max", ip);
  adw_expander_row_add_row (expander, row);
}

static void
build_item (AssayFormEditor *self,
            GtkWidget       *group,
            AssaySection    *section,
            AssayItem       *item,
            guint            s,
            guint            i,
            guint            number)
{
  g_autofree char *ip = g_strdup_printf ("sections[%u].items[%u]", s, i);
  g_autofree char *num = g_strdup_printf ("%u", number);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
  gboolean scored = assay_item_kind_is_scored (item->kind);
  GtkWidget *row, *w, *label, *buttons, *kind_row, *box;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  label = gtk_label_new (num);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  adw_expander_row_add_prefix (expander, label);
  tag (expander, 0, item);
  g_hash_table_insert (self->item_rows, item, expander);
  update_item_row (self, item);
  adw_expander_row_set_expanded (expander, g_hash_table_contains (self->expanded, item));
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (expanded_cb), self);
  file_field (self, GTK_WIDGET (expander), "%s", ip);

  row = entry_row (self, _("Question"), item->text, F_ITEM_TEXT, item);
  file_field (self, row, "%s.text", ip);
  adw_expander_row_add_row (expander, row);

  row = entry_row (self, _("Guidance for the inspector"), item->help, F_ITEM_HELP, item);
  file_field (self, row, "%s.help", ip);
  adw_expander_row_add_row (expander, row);

  for (guint k = 0; k < ASSAY_ITEM_N_KINDS; k++)
    gtk_string_list_append (kinds, kind_label ((AssayItemKind) k));
  kind_row = row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Answer"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (kinds));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), item->kind);
  gtk_widget_set_sensitive (row, !self->read_only);
  tag (row, 0, item);
  g_signal_connect (row, "notify::selected", G_CALLBACK (kind_changed_cb), self);
  file_field (self, row, "%s.kind", ip);
  adw_expander_row_add_row (expander, row);

  if (scored)
    {
      row = spin_row (self, _("Weight"), _("Multiplies the item's points"), item->weight,
                      -1000, 1000, 1, F_ITEM_WEIGHT, item, &w);
      file_field (self, w, "%s.weight", ip);
      adw_expander_row_add_row (expander, row);
    }

  if (item->kind == ASSAY_ITEM_SCALE || item->kind == ASSAY_ITEM_POINTS
      || item->kind == ASSAY_ITEM_NUMBER)
    build_range (self, expander, item, ip);
  if (kind_is_choice (item->kind))
    build_options (self, expander, item, ip);

  row = switch_row (self, _("Required"), _("Submit needs an answer, or N/A where allowed"),
                    item->required, F_ITEM_REQUIRED, item, &w);
  file_field (self, w, "%s.required", ip);
  adw_expander_row_add_row (expander, row);

  if (!kind_is_yes_no (item->kind))
    {
      row = switch_row (self, _("Allows N/A"), NULL, item->allow_na, F_ITEM_NA, item, &w);
      file_field (self, w, "%s.na", ip);
      adw_expander_row_add_row (expander, row);
    }
  else
    /* yes_no_na always allows N/A and yes_no never does: the kind says it */
    file_field (self, kind_row, "%s.na", ip);

  if (kind_is_yes_no (item->kind))
    {
      row = switch_row (self, _("Fatal"), _("A No makes the whole evaluation 0 %"),
                        item->fatal, F_ITEM_FATAL, item, &w);
      file_field (self, w, "%s.fatal", ip);
      adw_expander_row_add_row (expander, row);

      row = switch_row (self, _("Fails its section"), _("A No makes the section 0 %"),
                        item->fail_section, F_ITEM_FAIL_SECTION, item, &w);
      file_field (self, w, "%s.fail_section", ip);
      adw_expander_row_add_row (expander, row);
    }
  if (scored)
    {
      row = switch_row (self, _("Critical"), _("Counted in the separate critical score"),
                        item->critical, F_ITEM_CRITICAL, item, &w);
      file_field (self, w, "%s.critical", ip);
      adw_expander_row_add_row (expander, row);

      row = switch_row (self, _("Comment on deduction"), _("An answer that loses points needs a comment"),
                        item->comment_on_deduction, F_ITEM_COMMENT, item, &w);
      file_field (self, w, "%s.comment_on_deduction", ip);
      adw_expander_row_add_row (expander, row);
    }

  row = entry_row (self, _("Item ID"), item->id, F_ITEM_ID, item);
  file_field (self, row, "%s.id", ip);
  adw_expander_row_add_row (expander, row);

  /* moving and removing, at the foot of the item */
  buttons = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (buttons), FALSE);
  gtk_widget_set_focusable (buttons, FALSE);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  w = text_button (self, _("Move _Up"), G_CALLBACK (move_item_cb), item);
  g_object_set_data (G_OBJECT (w), "delta", GINT_TO_POINTER (-1));
  gtk_widget_set_sensitive (w, i > 0);
  gtk_widget_add_css_class (w, "flat");
  gtk_box_append (GTK_BOX (box), w);
  w = text_button (self, _("Move _Down"), G_CALLBACK (move_item_cb), item);
  g_object_set_data (G_OBJECT (w), "delta", GINT_TO_POINTER (1));
  gtk_widget_set_sensitive (w, i + 1 < section->items->len);
  gtk_widget_add_css_class (w, "flat");
  gtk_box_append (GTK_BOX (box), w);
  w = text_button (self, _("_Remove Item"), G_CALLBACK (remove_item_cb), item);
  gtk_widget_set_hexpand (w, TRUE);
  gtk_widget_set_halign (w, GTK_ALIGN_END);
  gtk_widget_add_css_class (w, "destructive-action");
  gtk_box_append (GTK_BOX (box), w);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (buttons), box);
  gtk_widget_set_visible (buttons, !self->read_only);
  adw_expander_row_add_row (expander, buttons);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (expander));
}

static void
build_section (AssayFormEditor *self,
               AssaySection    *section,
               guint            s,
               guint           *number)
{
  AssayForm *form = self->form;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *markup = g_markup_escape_text (or_placeholder (section->title, _("(no title)")), -1);
  g_autofree char *sp = g_strdup_printf ("sections[%u]", s);
  AdwExpanderRow *more;
  GtkWidget *row, *w, *add;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), markup);
  w = icon_button (self, "go-up-symbolic", _("Move Section Up"), G_CALLBACK (move_section_cb),
                   section, -1);
  gtk_widget_set_sensitive (w, s > 0);
  gtk_box_append (GTK_BOX (suffix), w);
  w = icon_button (self, "go-down-symbolic", _("Move Section Down"), G_CALLBACK (move_section_cb),
                   section, 1);
  gtk_widget_set_sensitive (w, s + 1 < form->sections->len);
  gtk_box_append (GTK_BOX (suffix), w);
  gtk_box_append (GTK_BOX (suffix), icon_button (self, "user-trash-symbolic", _("Remove Section"),
                                                 G_CALLBACK (remove_section_cb), section, 0));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), suffix);
  file_field (self, group, "%s", sp);

  row = entry_row (self, _("Section title"), section->title, F_SECTION_TITLE, section);
  g_object_set_data (G_OBJECT (row), "group", group);
  file_field (self, row, "%s.title", sp);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = spin_row (self, form->mode == ASSAY_FORM_MODE_PERCENT ? _("Percent of the scorecard") : _("Weight"),
                  section->bonus ? _("A bonus section adds up to this on top of the score")
                  : form->mode == ASSAY_FORM_MODE_PERCENT ? _("The sections that are not bonus add up to 100")
                  : _("Multiplies the section's points"),
                  section->weight, -1000, 1000, 1, F_SECTION_WEIGHT, section, &w);
  file_field (self, w, "%s.weight", sp);
  if (s == 0)
    file_field (self, w, "sections");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  more = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), _("More section settings"));
  adw_expander_row_set_subtitle (more, _("Bonus, baseline, ID"));
  tag (more, 0, section);
  adw_expander_row_set_expanded (more, g_hash_table_contains (self->expanded, section));
  g_signal_connect (more, "notify::expanded", G_CALLBACK (expanded_cb), self);
  row = switch_row (self, _("Bonus"), _("Adds on top of the score, which may then pass 100 %"),
                    section->bonus, F_SECTION_BONUS, section, &w);
  file_field (self, w, "%s.bonus", sp);
  adw_expander_row_add_row (more, row);
  row = spin_row (self, _("Baseline"), _("Points granted once anything in the section is answered"),
                  section->baseline, -1000, 1000, 1, F_SECTION_BASELINE, section, &w);
  file_field (self, w, "%s.baseline", sp);
  adw_expander_row_add_row (more, row);
  row = entry_row (self, _("Section ID"), section->id, F_SECTION_ID, section);
  file_field (self, row, "%s.id", sp);
  adw_expander_row_add_row (more, row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (more));

  for (guint i = 0; i < section->items->len; i++)
    build_item (self, group, section, g_ptr_array_index (section->items, i), s, i, ++*number);

  add = text_button (self, _("Add _Item"), G_CALLBACK (add_item_cb), section);
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  gtk_widget_set_margin_top (add, 12);
  file_field (self, add, "%s.items", sp);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), add);

  gtk_box_append (self->content, group);
}

static gboolean
bury_cb (gpointer user_data)
{
  AssayFormEditor *self = user_data;

  self->bury_id = 0;
  g_ptr_array_set_size (self->graveyard, 0);
  return G_SOURCE_REMOVE;
}

static void
rebuild (AssayFormEditor *self)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scroller);
  double scroll = gtk_adjustment_get_value (vadj);
  GtkWidget *child;
  guint number = 0;

  self->building = TRUE;
  clear_mark (self);
  /* a rebuild may come from a signal of one of these widgets, still under way: they stay
   * alive until the main loop is idle again */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content))) != NULL)
    {
      g_ptr_array_add (self->graveyard, g_object_ref (child));
      gtk_box_remove (self->content, child);
    }
  if (self->bury_id == 0)
    self->bury_id = g_idle_add (bury_cb, self);
  g_hash_table_remove_all (self->fields);
  g_hash_table_remove_all (self->item_rows);

  if (self->form != NULL)
    {
      GtkWidget *add;

      build_form_group (self);
      build_bands_group (self);
      for (guint s = 0; s < self->form->sections->len; s++)
        build_section (self, g_ptr_array_index (self->form->sections, s), s, &number);

      add = text_button (self, _("Add _Section"), G_CALLBACK (add_section_cb), NULL);
      gtk_widget_set_halign (add, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (add, "pill");
      if (self->form->sections->len == 0)
        file_field (self, add, "sections");
      gtk_box_append (self->content, add);
    }
  self->building = FALSE;

  gtk_adjustment_set_value (vadj, scroll);
  validate (self);
  update_preview (self);
}

/* ---- GObject ---- */

static void
assay_form_editor_dispose (GObject *object)
{
  AssayFormEditor *self = ASSAY_FORM_EDITOR (object);
  GtkWidget *child;

  clear_mark (self);
  g_clear_handle_id (&self->bury_id, g_source_remove);
  if (self->graveyard != NULL)
    g_ptr_array_set_size (self->graveyard, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_FORM_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->form, assay_form_unref);

  G_OBJECT_CLASS (assay_form_editor_parent_class)->dispose (object);
}

static void
assay_form_editor_finalize (GObject *object)
{
  AssayFormEditor *self = ASSAY_FORM_EDITOR (object);

  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->item_rows, g_hash_table_unref);
  g_clear_pointer (&self->expanded, g_hash_table_unref);
  g_clear_pointer (&self->graveyard, g_ptr_array_unref);
  g_free (self->problem);

  G_OBJECT_CLASS (assay_form_editor_parent_class)->finalize (object);
}

static void
assay_form_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AssayFormEditor *self = ASSAY_FORM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_REVEAL_PREVIEW:
      g_value_set_boolean (value, assay_form_editor_get_reveal_preview (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_form_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AssayFormEditor *self = ASSAY_FORM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REVEAL_PREVIEW:
      assay_form_editor_set_reveal_preview (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_form_editor_class_init (AssayFormEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_form_editor_dispose;
  object_class->finalize = assay_form_editor_finalize;
  object_class->get_property = assay_form_editor_get_property;
  object_class->set_property = assay_form_editor_set_property;

  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEAL_PREVIEW] =
    g_param_spec_boolean ("reveal-preview", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* the draft changed: the owner saves it */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ASSAY_TYPE_SCORING_PANEL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-form-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayFormEditor, flap);
  gtk_widget_class_bind_template_child (widget_class, AssayFormEditor, read_only_revealer);
  gtk_widget_class_bind_template_child (widget_class, AssayFormEditor, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, AssayFormEditor, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, AssayFormEditor, problem_label);
  gtk_widget_class_bind_template_child (widget_class, AssayFormEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, AssayFormEditor, content);
  gtk_widget_class_bind_template_child (widget_class, AssayFormEditor, preview);
  gtk_widget_class_bind_template_callback (widget_class, show_problem_cb);
  gtk_widget_class_bind_template_callback (widget_class, reveal_flap_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
assay_form_editor_init (AssayFormEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->item_rows = g_hash_table_new (NULL, NULL);
  self->expanded = g_hash_table_new (NULL, NULL);
  self->graveyard = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- public API ---- */

GtkWidget *
assay_form_editor_new (void)
{
  return g_object_new (ASSAY_TYPE_FORM_EDITOR, NULL);
}

void
assay_form_editor_set_form (AssayFormEditor *self,
                            AssayForm       *form)
{
  gboolean read_only;

  g_return_if_fail (ASSAY_IS_FORM_EDITOR (self));

  if (form != NULL)
    assay_form_ref (form);
  g_clear_pointer (&self->form, assay_form_unref);
  self->form = form;
  g_hash_table_remove_all (self->expanded);

  read_only = form != NULL && assay_form_is_published (form);
  if (read_only != self->read_only)
    {
      self->read_only = read_only;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
    }
  if (read_only)
    {
      g_autofree char *text =
        g_strdup_printf (_("Version %u is published and never changes, so that every evaluation "
                           "keeps the version it was scored on. Choose Edit to make version %u."),
                         form->version, form->version + 1);
      gtk_label_set_text (self->read_only_label, text);
    }
  gtk_revealer_set_reveal_child (self->read_only_revealer, read_only);

  /* trial answers belong to the form shown before: start afresh */
  self->has_preview = FALSE;
  if (form != NULL && assay_form_validate (form, NULL))
    {
      g_autoptr(AssayForm) copy = assay_form_copy (form);
      g_autoptr(AssayAnswers) answers = assay_answers_new (copy);

      assay_scoring_panel_set_answers (self->preview, answers);
    }
  rebuild (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

AssayForm *
assay_form_editor_get_form (AssayFormEditor *self)
{
  g_return_val_if_fail (ASSAY_IS_FORM_EDITOR (self), NULL);
  return self->form;
}

gboolean
assay_form_editor_get_read_only (AssayFormEditor *self)
{
  g_return_val_if_fail (ASSAY_IS_FORM_EDITOR (self), FALSE);
  return self->read_only;
}

const char *
assay_form_editor_get_problem (AssayFormEditor *self)
{
  g_return_val_if_fail (ASSAY_IS_FORM_EDITOR (self), NULL);
  return self->problem;
}

AssayScoringPanel *
assay_form_editor_get_preview (AssayFormEditor *self)
{
  g_return_val_if_fail (ASSAY_IS_FORM_EDITOR (self), NULL);
  return self->preview;
}

gboolean
assay_form_editor_get_reveal_preview (AssayFormEditor *self)
{
  g_return_val_if_fail (ASSAY_IS_FORM_EDITOR (self), FALSE);
  return adw_flap_get_reveal_flap (self->flap);
}

void
assay_form_editor_set_reveal_preview (AssayFormEditor *self,
                                      gboolean         reveal)
{
  g_return_if_fail (ASSAY_IS_FORM_EDITOR (self));
  adw_flap_set_reveal_flap (self->flap, reveal);
}

GtkWidget *
_assay_form_editor_get_field (AssayFormEditor *self,
                              const char      *path)
{
  g_return_val_if_fail (ASSAY_IS_FORM_EDITOR (self), NULL);
  return g_hash_table_lookup (self->fields, path);
}
