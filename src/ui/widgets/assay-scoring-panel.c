/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-scoring-panel-private.h"
#include "assay-ui-util.h"
#include "core/assay-util.h"

enum {
  PROP_0,
  PROP_EDITABLE,
  N_PROPS
};

enum {
  CHANGED,
  PLAY_SPAN,
  MARK_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayScoringPanel, assay_scoring_panel, GTK_TYPE_WIDGET)

static void
item_row_clear (ItemRow *row)
{
  g_clear_pointer (&row->choice_buttons, g_ptr_array_unref);
}


static char *
format_span (const AssayEvidence *e)
{
  g_autofree char *a = assay_format_duration (e->start_ms / 1000.0);
  g_autofree char *b = assay_format_duration (e->end_ms / 1000.0);

  return g_strdup_printf ("%s–%s", a, b);
}

const AssayItem *
scoring_panel_item_at (AssayScoringPanel *self,
         guint              index)
{
  return assay_form_get_item (assay_answers_get_form (self->answers), index);
}

/* ---- score ---- */

static const char *
item_text (AssayScoringPanel *self,
           const char        *id)
{
  AssayForm *form = assay_answers_get_form (self->answers);
  int index = assay_form_lookup_item (form, id);

  return index >= 0 ? assay_form_get_item (form, index)->text : id;
}

static void
update_score (AssayScoringPanel *self)
{
  g_autofree char *overall = NULL;
  g_autofree char *without = NULL;
  g_autofree char *critical = NULL;
  g_autofree char *detail = NULL;
  AssayScore *score;

  g_clear_pointer (&self->score, assay_score_free);
  self->score = assay_score_compute (self->answers);
  score = self->score;

  overall = assay_ui_format_percent (score->overall);
  gtk_label_set_text (self->score_label, overall);
  gtk_label_set_text (self->band_label, score->band ? score->band : "");

  without = assay_ui_format_percent (score->without_fatal);
  critical = assay_ui_format_percent (score->critical);
  /* Translators: the figures under the score: score without the fatal rule, critical score, answers */
  detail = g_strdup_printf (_("Without fatal %s · Critical %s · %u answered, %u N/A"),
                            without, critical, score->answered, score->na);
  gtk_label_set_text (self->detail_label, detail);

  if (score->fatal_failed->len > 0)
    {
      g_autofree char *text =
        g_strdup_printf (_("Fatal item failed: %s. The evaluation scores 0 %%."),
                         item_text (self, g_ptr_array_index (score->fatal_failed, 0)));
      gtk_label_set_text (self->fatal_label, text);
      gtk_revealer_set_reveal_child (self->fatal_revealer, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "error");
    }
  else
    {
      gtk_revealer_set_reveal_child (self->fatal_revealer, FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->score_label), "error");
    }

  for (guint s = 0; s < score->n_sections && s < self->section_labels->len; s++)
    {
      g_autofree char *pct = assay_ui_format_percent (score->sections[s].percent);
      GtkLabel *label = g_ptr_array_index (self->section_labels, s);

      gtk_label_set_text (label, pct);
      if (score->sections[s].failed)
        gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
    }
}

/* ---- rows ---- */

static void play_span_clicked_cb (GtkButton *button, AssayScoringPanel *self);
static void remove_evidence_clicked_cb (GtkButton *button, AssayScoringPanel *self);

static void
sync_evidence (AssayScoringPanel *self,
               ItemRow           *row,
               const AssayAnswer *answer)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (row->evidence_box)) != NULL)
    gtk_box_remove (GTK_BOX (row->evidence_box), child);

  for (guint i = 0; answer->evidence != NULL && i < answer->evidence->len; i++)
    {
      const AssayEvidence *e = &g_array_index (answer->evidence, AssayEvidence, i);
      g_autofree char *span = format_span (e);
      g_autofree char *label = g_strdup_printf ("◆ %s", span);
      g_autofree char *tip = g_strdup_printf (_("Play %s"), span);
      GtkWidget *button = gtk_button_new_with_label (label);
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
      GtkWidget *pair = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_widget_set_tooltip_text (button, tip);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "evidence");
      gtk_widget_set_focusable (button, FALSE);
      g_object_set_data (G_OBJECT (button), "start", GINT_TO_POINTER ((int) e->start_ms));
      g_object_set_data (G_OBJECT (button), "end", GINT_TO_POINTER ((int) e->end_ms));
      g_signal_connect (button, "clicked", G_CALLBACK (play_span_clicked_cb), self);

      gtk_widget_set_tooltip_text (remove, _("Remove this evidence"));
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_widget_set_focusable (remove, FALSE);
      gtk_widget_set_sensitive (remove, self->editable);
      g_object_set_data (G_OBJECT (remove), "item", GUINT_TO_POINTER (row->index));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_evidence_clicked_cb), self);

      gtk_box_append (GTK_BOX (pair), button);
      gtk_box_append (GTK_BOX (pair), remove);
      gtk_box_append (GTK_BOX (row->evidence_box), pair);
    }
  gtk_widget_set_visible (row->evidence_box, answer->evidence != NULL && answer->evidence->len > 0);
}

static void
sync_row (AssayScoringPanel *self,
          ItemRow           *row)
{
  const AssayItem *item = scoring_panel_item_at (self, row->index);
  const AssayAnswer *answer = assay_answers_get (self->answers, row->index);
  gboolean deduction = answer->state == ASSAY_ANSWER_VALUE && assay_answer_is_deduction (item, answer);

  self->syncing = TRUE;

  for (guint c = 0; row->choice_buttons != NULL && c < row->choice_buttons->len; c++)
    {
      GtkWidget *button = g_ptr_array_index (row->choice_buttons, c);
      gboolean active;

      if (item->kind == ASSAY_ITEM_MULTIPLE_CHOICE)
        active = answer->state == ASSAY_ANSWER_VALUE && (answer->choices & (G_GUINT64_CONSTANT (1) << c));
      else
        active = answer->state == ASSAY_ANSWER_VALUE && answer->choice == (int) c;

      if (GTK_IS_CHECK_BUTTON (button))
        gtk_check_button_set_active (GTK_CHECK_BUTTON (button), active);
      else
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), active);
    }
  if (row->na_button != NULL)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (row->na_button), answer->state == ASSAY_ANSWER_NA);
  if (row->spin != NULL && answer->state == ASSAY_ANSWER_VALUE
      && gtk_spin_button_get_value (GTK_SPIN_BUTTON (row->spin)) != answer->value)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->spin), answer->value);
  if (row->entry != NULL && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row->entry)),
                                       answer->text ? answer->text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row->entry), answer->text ? answer->text : "");
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row->comment)),
                 answer->comment ? answer->comment : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row->comment), answer->comment ? answer->comment : "");

  if (answer->state == ASSAY_ANSWER_VALUE && assay_answer_needs_comment (item, answer))
    gtk_entry_set_placeholder_text (GTK_ENTRY (row->comment), _("Comment (required: say why)"));
  else
    gtk_entry_set_placeholder_text (GTK_ENTRY (row->comment), _("Comment"));
  if (deduction)
    gtk_widget_add_css_class (row->row, "deduction");
  else
    gtk_widget_remove_css_class (row->row, "deduction");
  /* a suggestion from the transcript looks unlike an answer until it is confirmed */
  if (answer->suggested)
    {
      gtk_widget_add_css_class (row->row, "suggestion");
      gtk_label_set_text (GTK_LABEL (row->problem_label),
                          _("Suggested from the transcript: press Enter to confirm it, or answer otherwise."));
      gtk_widget_remove_css_class (row->problem_label, "error");
      gtk_widget_add_css_class (row->problem_label, "accent");
      gtk_widget_set_visible (row->problem_label, TRUE);
    }
  else if (gtk_widget_has_css_class (row->row, "suggestion"))
    {
      gtk_widget_remove_css_class (row->row, "suggestion");
      gtk_widget_remove_css_class (row->problem_label, "accent");
      gtk_widget_add_css_class (row->problem_label, "error");
      gtk_widget_set_visible (row->problem_label, FALSE);
    }

  sync_evidence (self, row, answer);
  self->syncing = FALSE;
}

void
scoring_panel_answers_changed (AssayScoringPanel *self,
                 guint              index)
{
  ItemRow *row = &g_array_index (self->rows, ItemRow, index);

  gtk_widget_set_visible (row->problem_label, FALSE);
  sync_row (self, row);
  update_score (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
scoring_panel_set_focused (AssayScoringPanel *self,
             guint              index,
             gboolean           grab)
{
  ItemRow *row;

  if (self->rows->len == 0)
    return;
  index = MIN (index, self->rows->len - 1);
  row = &g_array_index (self->rows, ItemRow, self->focused);
  gtk_widget_remove_css_class (row->row, "focused-item");
  if (index != self->focused)
    {
      scoring_panel_show_cursor (self, FALSE);
      self->choice_cursor = 0;
    }
  self->focused = index;
  row = &g_array_index (self->rows, ItemRow, index);
  gtk_widget_add_css_class (row->row, "focused-item");
  if (grab)
    gtk_widget_grab_focus (row->row);
}

static guint
row_index_of (GtkWidget *widget)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "item"));
}

static void
choice_toggled_cb (GtkWidget         *button,
                   AssayScoringPanel *self)
{
  guint index = row_index_of (button);
  int choice = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "choice"));
  const AssayItem *item;
  const AssayAnswer *answer;
  gboolean active;

  if (self->syncing)
    return;
  item = scoring_panel_item_at (self, index);
  answer = assay_answers_get (self->answers, index);
  active = GTK_IS_CHECK_BUTTON (button) ? gtk_check_button_get_active (GTK_CHECK_BUTTON (button))
                                        : gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button));
  scoring_panel_set_focused (self, index, FALSE);

  if (choice == ASSAY_CHOICE_NA)
    {
      if (active)
        assay_answers_set_na (self->answers, index, NULL);
      else if (answer->state == ASSAY_ANSWER_NA)
        assay_answers_clear (self->answers, index);
    }
  else if (item->kind == ASSAY_ITEM_MULTIPLE_CHOICE)
    {
      guint64 bits = answer->state == ASSAY_ANSWER_VALUE ? answer->choices : 0;

      if (active)
        bits |= G_GUINT64_CONSTANT (1) << choice;
      else
        bits &= ~(G_GUINT64_CONSTANT (1) << choice);
      assay_answers_set_choices (self->answers, index, bits, NULL);
    }
  else if (active)
    assay_answers_set_choice (self->answers, index, choice, NULL);
  else if (answer->state == ASSAY_ANSWER_VALUE && answer->choice == choice)
    assay_answers_clear (self->answers, index);
  else
    return;

  scoring_panel_answers_changed (self, index);
}

/* A whole number shows as one ("45", not "45.00"); a fraction keeps two decimals. */
static gboolean
spin_output_cb (GtkSpinButton *spin,
                gpointer       user_data)
{
  double value = gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  guint digits = gtk_spin_button_get_digits (spin);
  g_autofree char *text = NULL;

  if (fabs (value - round (value)) < 1e-9)
    digits = 0;
  text = g_strdup_printf ("%.*f", (int) digits, value);
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static void
spin_changed_cb (GtkSpinButton     *spin,
                 AssayScoringPanel *self)
{
  guint index = row_index_of (GTK_WIDGET (spin));

  if (self->syncing)
    return;
  if (assay_answers_set_value (self->answers, index, gtk_spin_button_get_value (spin), NULL))
    scoring_panel_answers_changed (self, index);
}

static void
entry_changed_cb (GtkEditable       *entry,
                  AssayScoringPanel *self)
{
  guint index = row_index_of (GTK_WIDGET (entry));
  const char *text = gtk_editable_get_text (entry);

  if (self->syncing)
    return;
  if (*text == '\0')
    assay_answers_clear (self->answers, index);
  else if (!assay_answers_set_text (self->answers, index, text, NULL))
    {
      /* a date that is not complete yet: wait for more typing */
      gtk_widget_add_css_class (GTK_WIDGET (entry), "warning");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "warning");
  scoring_panel_answers_changed (self, index);
}

static void
comment_changed_cb (GtkEditable       *entry,
                    AssayScoringPanel *self)
{
  guint index = row_index_of (GTK_WIDGET (entry));
  const char *text = gtk_editable_get_text (entry);

  if (self->syncing)
    return;
  assay_answers_set_comment (self->answers, index, *text ? text : NULL);
  scoring_panel_answers_changed (self, index);
}

static void
play_span_clicked_cb (GtkButton         *button,
                      AssayScoringPanel *self)
{
  gint64 start = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "start"));
  gint64 end = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "end"));

  g_signal_emit (self, signals[PLAY_SPAN], 0, start, end);
}

static void
remove_evidence_clicked_cb (GtkButton         *button,
                            AssayScoringPanel *self)
{
  guint index = row_index_of (GTK_WIDGET (button));

  if (!self->editable)
    return;
  /* one remove button per span would need the span's position; evidence is few per item, so
   * clearing and re-adding the others keeps the answer model simple */
  {
    const AssayAnswer *answer = assay_answers_get (self->answers, index);
    GtkWidget *pair = gtk_widget_get_parent (GTK_WIDGET (button));
    GtkWidget *play = gtk_widget_get_first_child (pair);
    gint64 start = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (play), "start"));
    gint64 end = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (play), "end"));
    g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (AssayEvidence));
    gboolean removed = FALSE;

    for (guint i = 0; answer->evidence != NULL && i < answer->evidence->len; i++)
      {
        AssayEvidence e = g_array_index (answer->evidence, AssayEvidence, i);
        if (!removed && e.start_ms == start && e.end_ms == end)
          removed = TRUE;
        else
          g_array_append_val (keep, e);
      }
    assay_answers_clear_evidence (self->answers, index);
    for (guint i = 0; i < keep->len; i++)
      assay_answers_add_evidence (self->answers, index, g_array_index (keep, AssayEvidence, i).start_ms,
                                  g_array_index (keep, AssayEvidence, i).end_ms, NULL);
  }
  scoring_panel_answers_changed (self, index);
}

static void
row_pressed_cb (GtkGestureClick   *gesture,
                int                n_press,
                double             x,
                double             y,
                AssayScoringPanel *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  scoring_panel_set_focused (self, row_index_of (row), TRUE);
}

static GtkWidget *
choice_button (const char *key,
               const char *label,
               gboolean    check)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *key_label = gtk_label_new (key);
  GtkWidget *text = gtk_label_new (label);
  GtkWidget *button = check ? gtk_check_button_new () : gtk_toggle_button_new ();

  /* a scale's label is its number: the key hint would only repeat it */
  gtk_widget_set_visible (key_label, g_strcmp0 (key, label) != 0);
  gtk_widget_add_css_class (key_label, "dim-label");
  gtk_widget_add_css_class (key_label, "caption");
  gtk_widget_add_css_class (key_label, "numeric");
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_box_append (GTK_BOX (box), key_label);
  gtk_box_append (GTK_BOX (box), text);
  if (check)
    gtk_check_button_set_child (GTK_CHECK_BUTTON (button), box);
  else
    gtk_button_set_child (GTK_BUTTON (button), box);
  /* keys answer the focused item; buttons never take focus, so Space stays play/pause */
  gtk_widget_set_focusable (button, FALSE);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static const char *
choice_label (const AssayItem *item,
              guint            c,
              char            *buf,
              gsize            size)
{
  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      return c == 0 ? _("Yes") : _("No");
    case ASSAY_ITEM_SCALE:
      g_snprintf (buf, size, "%d", (int) item->min + (int) c);
      return buf;
    case ASSAY_ITEM_SINGLE_CHOICE:
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      return ((AssayOption *) g_ptr_array_index (item->options, c))->label;
    case ASSAY_ITEM_POINTS:
    case ASSAY_ITEM_NUMBER:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return "";
    }
}

static void
build_controls (AssayScoringPanel *self,
                ItemRow           *row,
                const AssayItem   *item)
{
  guint n = assay_item_get_n_choices (item);
  GtkWidget *group = NULL;

  row->choices_box = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (row->choices_box), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (row->choices_box), 12);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (row->choices_box), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (row->choices_box), 4);
  gtk_widget_set_focusable (row->choices_box, FALSE);

  if (n > 0)
    {
      row->choice_buttons = g_ptr_array_new ();
      for (guint c = 0; c < n; c++)
        {
          char key[8] = "";
          char buf[32];
          gboolean check = item->kind == ASSAY_ITEM_MULTIPLE_CHOICE;
          GtkWidget *button;

          if (c < 9)
            g_snprintf (key, sizeof key, "%u", c + 1);
          button = choice_button (key, choice_label (item, c, buf, sizeof buf), check);
          if (!check)
            {
              if (group == NULL)
                group = button;
              else
                gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), GTK_TOGGLE_BUTTON (group));
              g_signal_connect (button, "toggled", G_CALLBACK (choice_toggled_cb), self);
            }
          else
            g_signal_connect (button, "toggled", G_CALLBACK (choice_toggled_cb), self);
          g_object_set_data (G_OBJECT (button), "item", GUINT_TO_POINTER (row->index));
          g_object_set_data (G_OBJECT (button), "choice", GINT_TO_POINTER (c));
          g_ptr_array_add (row->choice_buttons, button);
          gtk_flow_box_append (GTK_FLOW_BOX (row->choices_box), button);
        }
    }
  else if (item->kind == ASSAY_ITEM_POINTS || item->kind == ASSAY_ITEM_NUMBER)
    {
      double lo = item->has_min || item->kind == ASSAY_ITEM_POINTS ? item->min : -1e9;
      double hi = item->has_max || item->kind == ASSAY_ITEM_POINTS ? item->max : 1e9;

      row->spin = gtk_spin_button_new_with_range (lo, hi, 1);
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (row->spin), item->kind == ASSAY_ITEM_NUMBER ? 2 : 0);
      g_object_set_data (G_OBJECT (row->spin), "item", GUINT_TO_POINTER (row->index));
      g_signal_connect (row->spin, "value-changed", G_CALLBACK (spin_changed_cb), self);
      g_signal_connect (row->spin, "output", G_CALLBACK (spin_output_cb), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      item->text, -1);
      gtk_flow_box_append (GTK_FLOW_BOX (row->choices_box), row->spin);
    }
  else
    {
      row->entry = gtk_entry_new ();
      gtk_widget_set_hexpand (row->entry, TRUE);
      if (item->kind == ASSAY_ITEM_DATE)
        gtk_entry_set_placeholder_text (GTK_ENTRY (row->entry), _("YYYY-MM-DD"));
      g_object_set_data (G_OBJECT (row->entry), "item", GUINT_TO_POINTER (row->index));
      g_signal_connect (row->entry, "changed", G_CALLBACK (entry_changed_cb), self);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      item->text, -1);
      gtk_flow_box_append (GTK_FLOW_BOX (row->choices_box), row->entry);
    }

  if (item->allow_na)
    {
      row->na_button = choice_button ("N", _("N/A"), FALSE);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (row->na_button), GTK_TOGGLE_BUTTON (group));
      g_object_set_data (G_OBJECT (row->na_button), "item", GUINT_TO_POINTER (row->index));
      g_object_set_data (G_OBJECT (row->na_button), "choice", GINT_TO_POINTER (ASSAY_CHOICE_NA));
      g_signal_connect (row->na_button, "toggled", G_CALLBACK (choice_toggled_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (row->choices_box), row->na_button);
    }
}

static GtkWidget *
flag_label (const char *text,
            const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, css);
  return label;
}

static void
build_item (AssayScoringPanel *self,
            GtkWidget         *parent,
            const AssayItem   *item)
{
  ItemRow row = { 0 };
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *number;
  GtkWidget *text;
  GtkGesture *click;
  g_autofree char *num = g_strdup_printf ("%u", item->index + 1);

  row.index = item->index;
  row.row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_focusable (row.row, TRUE);
  gtk_widget_add_css_class (row.row, "score-item");
  g_object_set_data (G_OBJECT (row.row), "item", GUINT_TO_POINTER (item->index));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row.row), GTK_ACCESSIBLE_PROPERTY_LABEL, item->text, -1);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (row_pressed_cb), self);
  gtk_widget_add_controller (row.row, GTK_EVENT_CONTROLLER (click));

  number = gtk_label_new (num);
  gtk_widget_add_css_class (number, "dim-label");
  gtk_widget_add_css_class (number, "numeric");
  gtk_widget_set_valign (number, GTK_ALIGN_START);
  text = gtk_label_new (item->text);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_widget_set_hexpand (text, TRUE);
  if (item->help != NULL)
    gtk_widget_set_tooltip_text (text, item->help);
  gtk_box_append (GTK_BOX (header), number);
  gtk_box_append (GTK_BOX (header), text);
  if (item->fatal)
    gtk_box_append (GTK_BOX (header), flag_label (_("FATAL"), "error"));
  if (item->fail_section)
    gtk_box_append (GTK_BOX (header), flag_label (_("Fails section"), "warning"));
  if (item->critical)
    gtk_box_append (GTK_BOX (header), flag_label (_("Critical"), "warning"));
  gtk_box_append (GTK_BOX (row.row), header);

  build_controls (self, &row, item);
  gtk_box_append (GTK_BOX (row.row), row.choices_box);

  row.comment = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (row.comment), _("Comment"));
  g_object_set_data (G_OBJECT (row.comment), "item", GUINT_TO_POINTER (item->index));
  g_signal_connect (row.comment, "changed", G_CALLBACK (comment_changed_cb), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row.comment), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Comment"), -1);
  gtk_box_append (GTK_BOX (row.row), row.comment);

  row.evidence_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_visible (row.evidence_box, FALSE);
  gtk_box_append (GTK_BOX (row.row), row.evidence_box);

  row.problem_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row.problem_label), 0);
  gtk_label_set_wrap (GTK_LABEL (row.problem_label), TRUE);
  gtk_widget_add_css_class (row.problem_label, "error");
  gtk_widget_set_visible (row.problem_label, FALSE);
  gtk_box_append (GTK_BOX (row.row), row.problem_label);

  gtk_box_append (GTK_BOX (parent), row.row);
  scoring_panel_connect_row (self, &row);
  g_array_append_val (self->rows, row);
}

static void
rebuild (AssayScoringPanel *self)
{
  AssayForm *form = assay_answers_get_form (self->answers);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))) != NULL)
    gtk_box_remove (self->sections_box, child);
  g_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->section_labels, 0);

  for (guint s = 0; s < form->sections->len; s++)
    {
      AssaySection *section = g_ptr_array_index (form->sections, s);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *title = gtk_label_new (section->title);
      GtkWidget *weight;
      GtkWidget *percent = gtk_label_new ("—");
      g_autofree char *weight_text = NULL;

      gtk_widget_add_css_class (header, "score-section");
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_widget_add_css_class (title, "heading");
      if (section->bonus)
        weight_text = g_strdup (_("bonus"));
      else if (form->mode == ASSAY_FORM_MODE_PERCENT)
        /* Translators: a section's share of the form */
        weight_text = g_strdup_printf (_("%g %%"), section->weight);
      else
        /* Translators: a section's weight in a points form */
        weight_text = g_strdup_printf (_("× %g"), section->weight);
      weight = gtk_label_new (weight_text);
      gtk_widget_add_css_class (weight, "dim-label");
      gtk_widget_add_css_class (percent, "numeric");
      gtk_widget_add_css_class (percent, "heading");
      gtk_box_append (GTK_BOX (header), title);
      gtk_box_append (GTK_BOX (header), weight);
      gtk_box_append (GTK_BOX (header), percent);
      gtk_box_append (GTK_BOX (box), header);
      g_ptr_array_add (self->section_labels, percent);

      for (guint i = 0; i < section->items->len; i++)
        build_item (self, box, g_ptr_array_index (section->items, i));
      gtk_box_append (self->sections_box, box);
    }

  for (guint i = 0; i < self->rows->len; i++)
    sync_row (self, &g_array_index (self->rows, ItemRow, i));
  self->focused = 0;
  scoring_panel_set_focused (self, 0, FALSE);
  update_score (self);
  gtk_stack_set_visible_child_name (self->stack, self->rows->len > 0 ? "form" : "empty");
}

static void
apply_editable (AssayScoringPanel *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ItemRow *row = &g_array_index (self->rows, ItemRow, i);

      gtk_widget_set_sensitive (row->choices_box, self->editable);
      gtk_editable_set_editable (GTK_EDITABLE (row->comment), self->editable);
      gtk_widget_set_visible (row->comment, self->editable || gtk_entry_get_text_length (GTK_ENTRY (row->comment)) > 0);
    }
}

void
scoring_panel_request_mark (AssayScoringPanel *self)
{
  g_signal_emit (self, signals[MARK_REQUESTED], 0, self->focused);
}

/* ---- GObject ---- */

static void
assay_scoring_panel_dispose (GObject *object)
{
  AssayScoringPanel *self = ASSAY_SCORING_PANEL (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_SCORING_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (assay_scoring_panel_parent_class)->dispose (object);
}

static void
assay_scoring_panel_finalize (GObject *object)
{
  AssayScoringPanel *self = ASSAY_SCORING_PANEL (object);

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->section_labels, g_ptr_array_unref);
  g_clear_pointer (&self->score, assay_score_free);
  g_clear_pointer (&self->answers, assay_answers_free);

  G_OBJECT_CLASS (assay_scoring_panel_parent_class)->finalize (object);
}

static void
assay_scoring_panel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AssayScoringPanel *self = ASSAY_SCORING_PANEL (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_scoring_panel_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AssayScoringPanel *self = ASSAY_SCORING_PANEL (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      assay_scoring_panel_set_editable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_scoring_panel_class_init (AssayScoringPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_scoring_panel_dispose;
  object_class->finalize = assay_scoring_panel_finalize;
  object_class->get_property = assay_scoring_panel_get_property;
  object_class->set_property = assay_scoring_panel_set_property;

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* an answer, comment or evidence changed: the owner saves the draft */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* an evidence mark was clicked: play from start to end (ms) */
  signals[PLAY_SPAN] = g_signal_new ("play-span", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  /* M was pressed on an item: the owner adds the selected span with add_evidence() */
  signals[MARK_REQUESTED] = g_signal_new ("mark-requested", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-scoring-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayScoringPanel, score_label);
  gtk_widget_class_bind_template_child (widget_class, AssayScoringPanel, band_label);
  gtk_widget_class_bind_template_child (widget_class, AssayScoringPanel, detail_label);
  gtk_widget_class_bind_template_child (widget_class, AssayScoringPanel, fatal_revealer);
  gtk_widget_class_bind_template_child (widget_class, AssayScoringPanel, fatal_label);
  gtk_widget_class_bind_template_child (widget_class, AssayScoringPanel, sections_box);
  gtk_widget_class_bind_template_child (widget_class, AssayScoringPanel, stack);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
assay_scoring_panel_init (AssayScoringPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->editable = TRUE;
  self->advance = TRUE;
  self->rows = g_array_new (FALSE, TRUE, sizeof (ItemRow));
  g_array_set_clear_func (self->rows, (GDestroyNotify) item_row_clear);
  self->section_labels = g_ptr_array_new ();

  scoring_panel_init_keys (self);
}

AssayScoringPanel *
assay_scoring_panel_new (void)
{
  return g_object_new (ASSAY_TYPE_SCORING_PANEL, NULL);
}

void
assay_scoring_panel_set_answers (AssayScoringPanel  *self,
                                 const AssayAnswers *answers)
{
  g_return_if_fail (ASSAY_IS_SCORING_PANEL (self));
  g_return_if_fail (answers != NULL);

  g_clear_pointer (&self->answers, assay_answers_free);
  self->answers = assay_answers_copy (answers);
  rebuild (self);
  apply_editable (self);
}

const AssayAnswers *
assay_scoring_panel_get_answers (AssayScoringPanel *self)
{
  g_return_val_if_fail (ASSAY_IS_SCORING_PANEL (self), NULL);
  return self->answers;
}

const AssayScore *
assay_scoring_panel_get_score (AssayScoringPanel *self)
{
  g_return_val_if_fail (ASSAY_IS_SCORING_PANEL (self), NULL);
  return self->score;
}

void
assay_scoring_panel_set_editable (AssayScoringPanel *self,
                                  gboolean           editable)
{
  g_return_if_fail (ASSAY_IS_SCORING_PANEL (self));

  editable = !!editable;
  if (self->editable == editable)
    return;
  self->editable = editable;
  apply_editable (self);
  for (guint i = 0; i < self->rows->len; i++)
    sync_row (self, &g_array_index (self->rows, ItemRow, i));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

gboolean
assay_scoring_panel_get_editable (AssayScoringPanel *self)
{
  g_return_val_if_fail (ASSAY_IS_SCORING_PANEL (self), FALSE);
  return self->editable;
}

guint
assay_scoring_panel_get_focused_item (AssayScoringPanel *self)
{
  g_return_val_if_fail (ASSAY_IS_SCORING_PANEL (self), 0);
  return self->focused;
}

void
assay_scoring_panel_focus_item (AssayScoringPanel *self,
                                guint              item)
{
  g_return_if_fail (ASSAY_IS_SCORING_PANEL (self));
  scoring_panel_set_focused (self, item, TRUE);
}

void
assay_scoring_panel_add_evidence (AssayScoringPanel *self,
                                  guint              item,
                                  gint64             start_ms,
                                  gint64             end_ms)
{
  g_return_if_fail (ASSAY_IS_SCORING_PANEL (self));

  if (self->answers == NULL || item >= self->rows->len || !self->editable)
    return;
  if (assay_answers_add_evidence (self->answers, item, start_ms, end_ms, NULL))
    scoring_panel_answers_changed (self, item);
}

void
assay_scoring_panel_set_comment (AssayScoringPanel *self,
                                 guint              item,
                                 const char        *comment)
{
  g_return_if_fail (ASSAY_IS_SCORING_PANEL (self));

  if (self->answers == NULL || item >= self->rows->len)
    return;
  gtk_editable_set_text (GTK_EDITABLE (g_array_index (self->rows, ItemRow, item).comment),
                         comment ? comment : "");
}

