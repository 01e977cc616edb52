/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-facts.h"
#include "assay-ui-util.h"
#include "core/assay-util.h"

void
assay_facts_add_row (GtkWidget  *group,
                     const char *title,
                     const char *value)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *label = gtk_label_new (value && *value ? value : "—");

  /* name on the left, value on the right taking the room it needs and wrapping past it, so a
   * long value neither widens the pane nor breaks a character at a time */
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_widget_set_valign (name, GTK_ALIGN_START);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), label);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
add_duration_row (GtkWidget  *group,
                  const char *title,
                  int         seconds)
{
  g_autofree char *text = seconds == ASSAY_NONE ? NULL : assay_format_duration (seconds);

  assay_facts_add_row (group, title, text);
}

static void
add_target_row (GtkWidget  *group,
                const char *title,
                int         seconds,
                int         target)
{
  g_autofree char *value = NULL;
  g_autofree char *goal = NULL;
  g_autofree char *text = NULL;

  if (seconds == ASSAY_NONE)
    {
      assay_facts_add_row (group, title, NULL);
      return;
    }
  value = assay_format_duration (seconds);
  if (target == ASSAY_NONE)
    {
      assay_facts_add_row (group, title, value);
      return;
    }
  goal = assay_format_duration (target);
  /* Translators: a time against its target, e.g. "1:12:00 of 4:00:00 target, met" */
  text = g_strdup_printf (seconds <= target ? _("%s (target %s, met)") : _("%s (target %s, missed)"),
                          value, goal);
  assay_facts_add_row (group, title, text);
}

static const char *
yes_no (int value)
{
  if (value == ASSAY_NONE)
    return NULL;
  return value ? _("Yes") : _("No");
}

static int
handle_s (const AssayInteractionFacts *f)
{
  int total = 0;

  if (f->talk_s == ASSAY_NONE && f->hold_s == ASSAY_NONE && f->wrap_s == ASSAY_NONE)
    return ASSAY_NONE;
  total += f->talk_s == ASSAY_NONE ? 0 : f->talk_s;
  total += f->hold_s == ASSAY_NONE ? 0 : f->hold_s;
  total += f->wrap_s == ASSAY_NONE ? 0 : f->wrap_s;
  return total;
}

GtkWidget *
assay_facts_fill (GtkBox                      *box,
                  const AssayInteractionFacts *f,
                  const char                  *agent_name,
                  const char                  *team_name)
{
  GtkWidget *child;
  GtkWidget *group;
  GtkWidget *speech;
  g_autofree char *started = NULL;
  g_autofree char *csat = NULL;
  g_autofree char *nps = NULL;

  g_return_val_if_fail (GTK_IS_BOX (box), NULL);
  g_return_val_if_fail (f != NULL, NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);

  started = assay_ui_format_time (f->started_at, "%x %H:%M");

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Contact"));
  assay_facts_add_row (group, _("Started"), started);
  assay_facts_add_row (group, _("Channel"), assay_ui_channel_label (f->channel));
  assay_facts_add_row (group, _("Queue"), f->queue);
  assay_facts_add_row (group, _("Customer"), f->customer_ref);
  assay_facts_add_row (group, _("Agent"), agent_name);
  assay_facts_add_row (group, _("Team"), team_name);
  gtk_box_append (box, group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Times"));
  add_duration_row (group, _("Waiting"), f->wait_s);
  add_duration_row (group, _("Talk"), f->talk_s);
  add_duration_row (group, _("Hold"), f->hold_s);
  add_duration_row (group, _("After-contact work"), f->wrap_s);
  add_duration_row (group, _("Handle time"), handle_s (f));
  gtk_box_append (box, group);

  /* filled by the caller when a stored speech analysis of the recording turns up */
  speech = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (speech), _("Speech"));
  gtk_widget_set_visible (speech, FALSE);
  gtk_box_append (box, speech);

  csat = f->csat == ASSAY_NONE ? NULL : g_strdup_printf ("%d / 5", f->csat);
  nps = f->nps == ASSAY_NONE ? NULL : g_strdup_printf ("%d / 10", f->nps);
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Outcome"));
  assay_facts_add_row (group, _("CSAT"), csat);
  assay_facts_add_row (group, _("NPS"), nps);
  assay_facts_add_row (group, _("Resolved on first contact"), yes_no (f->fcr));
  assay_facts_add_row (group, _("Answered within service level"), yes_no (f->answered_in_sl));
  assay_facts_add_row (group, _("Abandoned"), yes_no (f->abandoned));
  gtk_box_append (box, group);

  if (f->priority != NULL || f->first_response_s != ASSAY_NONE || f->resolution_s != ASSAY_NONE)
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Service level agreement"));
      assay_facts_add_row (group, _("Priority"), assay_ui_priority_label (f->priority));
      add_target_row (group, _("First response"), f->first_response_s, f->first_response_target_s);
      add_target_row (group, _("Resolution"), f->resolution_s, f->resolution_target_s);
      gtk_box_append (box, group);
    }

  group = adw_preferences_group_new ();
  assay_facts_add_row (group, _("Identifier"), f->id);
  gtk_box_append (box, group);

  return speech;
}
