/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The scoring panel from the keyboard: every item kind is answered without the mouse, answering
 * moves on to the next unanswered item (when "advance" is on), C opens the item's comment and
 * Enter or Escape closes it, Enter confirms a suggestion, and the submission check walks
 * through what still blocks Submit.
 */
#include <glib/gi18n.h>

#include "assay-scoring-panel-private.h"

static ItemRow *
row_at (AssayScoringPanel *self,
        guint              index)
{
  return &g_array_index (self->rows, ItemRow, index);
}

static gboolean
move_focus (AssayScoringPanel *self,
            int                delta)
{
  int next = (int) self->focused + delta;

  if (self->rows->len == 0 || next < 0 || next >= (int) self->rows->len)
    return FALSE;
  scoring_panel_set_focused (self, (guint) next, TRUE);
  return TRUE;
}

static gboolean
is_open (const AssayAnswer *answer)
{
  return answer->state == ASSAY_ANSWER_NONE || answer->suggested;
}

static void
open_comment (AssayScoringPanel *self,
              guint              index)
{
  ItemRow *row = row_at (self, index);

  gtk_widget_set_visible (row->comment, TRUE);
  gtk_widget_grab_focus (row->comment);
}

/*
 * After @index was answered: an answer that needs a comment opens the comment; otherwise, when
 * advancing is on, the next unanswered item (after @index, then from the top) gets the focus.
 */
static void
answered (AssayScoringPanel *self,
          guint              index)
{
  const AssayItem *item = scoring_panel_item_at (self, index);
  const AssayAnswer *answer = assay_answers_get (self->answers, index);
  guint n = self->rows->len;

  if (answer->state == ASSAY_ANSWER_VALUE && assay_answer_needs_comment (item, answer)
      && (answer->comment == NULL || *answer->comment == '\0'))
    {
      open_comment (self, index);
      return;
    }
  if (!self->advance)
    {
      gtk_widget_grab_focus (row_at (self, index)->row);
      return;
    }
  for (guint k = 1; k < n; k++)
    {
      guint next = (index + k) % n;

      if (is_open (assay_answers_get (self->answers, next)))
        {
          scoring_panel_set_focused (self, next, TRUE);
          return;
        }
    }
  /* everything is answered: stay on the last item */
  gtk_widget_grab_focus (row_at (self, index)->row);
}

/* Starts typing into the item's own field (text, date, number) with @ch, if any. */
static void
start_typing (AssayScoringPanel *self,
              GtkWidget         *field,
              gunichar           ch)
{
  gtk_widget_grab_focus (field);
  if (ch != 0)
    {
      char buf[8] = "";

      buf[g_unichar_to_utf8 (ch, buf)] = '\0';
      gtk_editable_set_text (GTK_EDITABLE (field), buf);
      gtk_editable_set_position (GTK_EDITABLE (field), -1);
    }
}

/* Enter in a text, date or number field: the answer stands, move on. */
static void
field_activate_cb (GtkWidget         *field,
                   AssayScoringPanel *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (field), "item"));

  if (g_object_get_data (G_OBJECT (field), "spin") != NULL)
    field = g_object_get_data (G_OBJECT (field), "spin");
  if (GTK_IS_SPIN_BUTTON (field))
    {
      gtk_spin_button_update (GTK_SPIN_BUTTON (field));
      if (assay_answers_set_value (self->answers, index,
                                   gtk_spin_button_get_value (GTK_SPIN_BUTTON (field)), NULL))
        scoring_panel_answers_changed (self, index);
    }
  if (assay_answers_get (self->answers, index)->state == ASSAY_ANSWER_NONE)
    return; /* an incomplete date stays in its field, marked */
  answered (self, index);
}

/* Enter in a comment closes it, as Escape does; a comment that was needed moves on. */
static void
comment_activate_cb (GtkWidget         *entry,
                     AssayScoringPanel *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (entry), "item"));
  const AssayAnswer *answer = assay_answers_get (self->answers, index);

  if (answer->state != ASSAY_ANSWER_NONE && answer->comment != NULL && *answer->comment != '\0')
    answered (self, index);
  else
    gtk_widget_grab_focus (row_at (self, index)->row);
}

void
scoring_panel_connect_row (AssayScoringPanel *self,
                           ItemRow           *row)
{
  g_object_set_data (G_OBJECT (row->comment), "item", GUINT_TO_POINTER (row->index));
  g_signal_connect (row->comment, "activate", G_CALLBACK (comment_activate_cb), self);
  if (row->entry != NULL)
    g_signal_connect (row->entry, "activate", G_CALLBACK (field_activate_cb), self);
  if (row->spin != NULL)
    {
      /* GTK 4.8's spin button has no "activate" of its own: its text has */
      GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row->spin));

      g_object_set_data (G_OBJECT (text), "item", GUINT_TO_POINTER (row->index));
      g_object_set_data (G_OBJECT (text), "spin", row->spin);
      g_signal_connect (text, "activate", G_CALLBACK (field_activate_cb), self);
    }
}

void
scoring_panel_show_cursor (AssayScoringPanel *self,
                           gboolean           show)
{
  ItemRow *row;

  if (self->rows == NULL || self->focused >= self->rows->len)
    return;
  row = row_at (self, self->focused);
  for (guint c = 0; row->choice_buttons != NULL && c < row->choice_buttons->len; c++)
    {
      GtkWidget *button = g_ptr_array_index (row->choice_buttons, c);

      if (show && c == self->choice_cursor)
        gtk_widget_add_css_class (button, "choice-cursor");
      else
        gtk_widget_remove_css_class (button, "choice-cursor");
    }
}

/* A multiple-choice item: Left and Right move the cursor over its options, Space toggles one. */
static gboolean
press_on_choices (AssayScoringPanel *self,
                  const AssayItem   *item,
                  ItemRow           *row,
                  guint              keyval)
{
  guint n = row->choice_buttons != NULL ? row->choice_buttons->len : 0;
  const AssayAnswer *answer;
  guint64 choices;

  if (item->kind != ASSAY_ITEM_MULTIPLE_CHOICE || n == 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      self->choice_cursor = self->choice_cursor == 0 ? n - 1 : self->choice_cursor - 1;
      scoring_panel_show_cursor (self, TRUE);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      self->choice_cursor = (self->choice_cursor + 1) % n;
      scoring_panel_show_cursor (self, TRUE);
      return TRUE;
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      if (!self->editable)
        return FALSE;
      answer = assay_answers_get (self->answers, self->focused);
      choices = answer->state == ASSAY_ANSWER_VALUE ? answer->choices : 0;
      choices ^= G_GUINT64_CONSTANT (1) << MIN (self->choice_cursor, n - 1);
      if (assay_answers_set_choices (self->answers, self->focused, choices, NULL))
        scoring_panel_answers_changed (self, self->focused);
      scoring_panel_show_cursor (self, TRUE);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_number_char (gunichar ch)
{
  return g_unichar_isdigit (ch) || ch == '-' || ch == '.' || ch == ',';
}

static gboolean
press_on_field (AssayScoringPanel *self,
                const AssayItem   *item,
                ItemRow           *row,
                guint              keyval,
                gunichar           ch)
{
  gboolean enter = keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter;

  switch (item->kind)
    {
    case ASSAY_ITEM_NUMBER:
    case ASSAY_ITEM_POINTS:
      if (enter || is_number_char (ch))
        {
          start_typing (self, row->spin, enter ? 0 : ch);
          return TRUE;
        }
      return FALSE;
    case ASSAY_ITEM_DATE:
      if (ch == 't' || ch == 'T')
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

          gtk_editable_set_text (GTK_EDITABLE (row->entry), today);
          if (assay_answers_get (self->answers, row->index)->state == ASSAY_ANSWER_VALUE)
            answered (self, row->index);
          return TRUE;
        }
      if (enter || g_unichar_isdigit (ch))
        {
          start_typing (self, row->entry, enter ? 0 : ch);
          return TRUE;
        }
      return FALSE;
    case ASSAY_ITEM_TEXT:
      /* Enter opens the text: letters stay shortcuts (Space, J, L, I, O, M, C) */
      if (enter)
        {
          start_typing (self, row->entry, 0);
          return TRUE;
        }
      return FALSE;
    default:
      return FALSE;
    }
}

gboolean
assay_scoring_panel_press_key (AssayScoringPanel *self,
                               guint              keyval)
{
  const AssayItem *item;
  const AssayAnswer *answer;
  ItemRow *row;
  gunichar ch;

  g_return_val_if_fail (ASSAY_IS_SCORING_PANEL (self), FALSE);

  if (self->answers == NULL || self->rows->len == 0)
    return FALSE;
  row = row_at (self, self->focused);
  item = scoring_panel_item_at (self, self->focused);
  answer = assay_answers_get (self->answers, self->focused);

  if (press_on_choices (self, item, row, keyval))
    return TRUE;

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      return move_focus (self, -1);
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      return move_focus (self, 1);
    case GDK_KEY_c:
    case GDK_KEY_C:
      if (!self->editable)
        return FALSE;
      open_comment (self, self->focused);
      return TRUE;
    case GDK_KEY_m:
    case GDK_KEY_M:
      if (!self->editable)
        return FALSE;
      scoring_panel_request_mark (self);
      return TRUE;
    case GDK_KEY_Delete:
    case GDK_KEY_BackSpace:
      if (!self->editable)
        return FALSE;
      assay_answers_clear (self->answers, self->focused);
      scoring_panel_answers_changed (self, self->focused);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (!self->editable)
        return FALSE;
      if (answer->suggested)
        {
          assay_answers_confirm (self->answers, self->focused);
          scoring_panel_answers_changed (self, self->focused);
          answered (self, self->focused);
          return TRUE;
        }
      if (press_on_field (self, item, row, keyval, 0))
        return TRUE;
      if (answer->state != ASSAY_ANSWER_NONE)
        {
          answered (self, self->focused);
          return TRUE;
        }
      return FALSE;
    default:
      break;
    }

  if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    keyval = GDK_KEY_0 + (keyval - GDK_KEY_KP_0);
  ch = gdk_keyval_to_unicode (keyval);
  if (ch == 0 || !self->editable)
    return FALSE;
  if (press_on_field (self, item, row, keyval, ch))
    return TRUE;
  if (assay_answers_press_key (self->answers, self->focused, ch))
    {
      guint index = self->focused;

      scoring_panel_answers_changed (self, index);
      /* a multiple choice takes several keys: Enter moves on */
      if (item->kind != ASSAY_ITEM_MULTIPLE_CHOICE
          || assay_answers_get (self->answers, index)->state == ASSAY_ANSWER_NA)
        answered (self, index);
      return TRUE;
    }
  return FALSE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AssayScoringPanel     *self)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  return assay_scoring_panel_press_key (self, keyval);
}

/* Tab moves between items, also out of a comment; Escape leaves a comment for its item. */
static gboolean
capture_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        AssayScoringPanel     *self)
{
  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    return move_focus (self, 1) || TRUE;
  if (keyval == GDK_KEY_ISO_Left_Tab)
    return move_focus (self, -1) || TRUE;
  if (keyval == GDK_KEY_Escape && self->rows->len > 0)
    {
      ItemRow *row = row_at (self, self->focused);
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

      if (focus != NULL && (gtk_widget_is_ancestor (focus, row->comment)
                            || (row->entry != NULL && gtk_widget_is_ancestor (focus, row->entry))
                            || (row->spin != NULL && gtk_widget_is_ancestor (focus, row->spin))))
        {
          gtk_widget_grab_focus (row->row);
          return TRUE;
        }
    }
  return FALSE;
}

void
scoring_panel_init_keys (AssayScoringPanel *self)
{
  GtkEventController *keys;

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (capture_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* ---- what blocks Submit ---- */

static char *
describe (AssayScoringPanel  *self,
          const AssayProblem *p)
{
  const AssayItem *item = scoring_panel_item_at (self, p->item);

  switch (p->kind)
    {
    case ASSAY_PROBLEM_UNANSWERED:
      /* Translators: %u is the item's number, %s its text */
      return g_strdup_printf (_("%u. %s: needs an answer"), p->item + 1, item->text);
    case ASSAY_PROBLEM_COMMENT_MISSING:
      return g_strdup_printf (_("%u. %s: needs a comment saying why"), p->item + 1, item->text);
    case ASSAY_PROBLEM_UNCONFIRMED:
    default:
      return g_strdup_printf (_("%u. %s: a suggestion to confirm (Enter) or change"), p->item + 1, item->text);
    }
}

static const char *
problem_hint (AssayProblemKind kind)
{
  switch (kind)
    {
    case ASSAY_PROBLEM_UNANSWERED:
      return _("This item needs an answer (or N/A where allowed).");
    case ASSAY_PROBLEM_COMMENT_MISSING:
      return _("This answer loses points: say why in a comment.");
    case ASSAY_PROBLEM_UNCONFIRMED:
    default:
      return _("This answer is a suggestion: press Enter to confirm it, or answer otherwise.");
    }
}

GPtrArray *
assay_scoring_panel_list_problems (AssayScoringPanel *self,
                                   GArray           **out_items)
{
  g_autoptr(GArray) problems = NULL;
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (ASSAY_IS_SCORING_PANEL (self), texts);

  if (out_items != NULL)
    *out_items = g_array_new (FALSE, FALSE, sizeof (guint));
  if (self->answers == NULL)
    return texts;
  problems = assay_answers_check_submit (self->answers);
  for (guint i = 0; i < problems->len; i++)
    {
      const AssayProblem *p = &g_array_index (problems, AssayProblem, i);

      g_ptr_array_add (texts, describe (self, p));
      if (out_items != NULL)
        g_array_append_val (*out_items, p->item);
    }
  return texts;
}

gboolean
assay_scoring_panel_check_submit (AssayScoringPanel *self)
{
  g_autoptr(GArray) problems = NULL;

  g_return_val_if_fail (ASSAY_IS_SCORING_PANEL (self), FALSE);

  if (self->answers == NULL)
    return FALSE;
  problems = assay_answers_check_submit (self->answers);
  for (guint i = 0; i < problems->len; i++)
    {
      const AssayProblem *p = &g_array_index (problems, AssayProblem, i);
      ItemRow *row = row_at (self, p->item);

      gtk_label_set_text (GTK_LABEL (row->problem_label), problem_hint (p->kind));
      gtk_widget_set_visible (row->problem_label, TRUE);
      if (p->kind == ASSAY_PROBLEM_COMMENT_MISSING)
        gtk_widget_set_visible (row->comment, TRUE);
    }
  if (problems->len > 0)
    {
      /* the first problem after the focused item, so that repeating walks through them all */
      guint target = g_array_index (problems, AssayProblem, 0).item;

      for (guint i = 0; i < problems->len; i++)
        if (g_array_index (problems, AssayProblem, i).item > self->focused)
          {
            target = g_array_index (problems, AssayProblem, i).item;
            break;
          }
      scoring_panel_set_focused (self, target, TRUE);
    }
  return problems->len == 0;
}

void
assay_scoring_panel_set_advance (AssayScoringPanel *self,
                                 gboolean           advance)
{
  g_return_if_fail (ASSAY_IS_SCORING_PANEL (self));
  self->advance = !!advance;
}

gboolean
assay_scoring_panel_get_advance (AssayScoringPanel *self)
{
  g_return_val_if_fail (ASSAY_IS_SCORING_PANEL (self), FALSE);
  return self->advance;
}
