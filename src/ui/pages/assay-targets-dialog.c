/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-targets-dialog.h"
#include "assay-insights-common.h"
#include "assay-ui-util.h"

struct _AssayTargetsDialog
{
  AdwWindow        parent_instance;

  AssayContext    *context;
  char            *team_id;
  gint64           from_at;
  GCancellable    *cancellable;
  AdwToastOverlay *toasts;
  GtkWidget       *save_button;
  GtkWidget       *rows[ASSAY_KPI_N_LINES];
  GtkSpinButton   *target[ASSAY_KPI_N_LINES];
  GtkSpinButton   *warning[ASSAY_KPI_N_LINES];
  gboolean         had[ASSAY_KPI_N_LINES];
  double           was_target[ASSAY_KPI_N_LINES];
  double           was_warning[ASSAY_KPI_N_LINES];
  int              next;               /* the line being saved */
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayTargetsDialog, assay_targets_dialog, ADW_TYPE_WINDOW)

static void save_next (AssayTargetsDialog *self);

static gboolean
line_changed (AssayTargetsDialog *self,
              int                 line)
{
  if (!adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self->rows[line])))
    return FALSE;
  return !self->had[line]
         || gtk_spin_button_get_value (self->target[line]) != self->was_target[line]
         || gtk_spin_button_get_value (self->warning[line]) != self->was_warning[line];
}

static void
target_set_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assay_store_kpi_set_target_finish (ASSAY_STORE (source), result, &error);
  AssayTargetsDialog *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (id == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The target of %s could not be saved: %s"),
                                               assay_insights_line_title (self->next),
                                               error->message);

      adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
      gtk_widget_set_sensitive (self->save_button, TRUE);
      return;
    }
  self->next++;
  save_next (self);
}

static void
save_next (AssayTargetsDialog *self)
{
  while (self->next < ASSAY_KPI_N_LINES && !line_changed (self, self->next))
    self->next++;
  if (self->next >= ASSAY_KPI_N_LINES)
    {
      g_signal_emit (self, signals[SAVED], 0);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  assay_store_kpi_set_target_async (assay_context_get_store (self->context), self->team_id,
                                    self->next, gtk_spin_button_get_value (self->target[self->next]),
                                    gtk_spin_button_get_value (self->warning[self->next]),
                                    self->from_at, self->cancellable, target_set_cb, self);
}

void
_assay_targets_dialog_save (AssayTargetsDialog *self)
{
  /* the warning lies on the bad side of the target: checked here, in the user's words */
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      double t, w;

      if (!line_changed (self, line))
        continue;
      t = gtk_spin_button_get_value (self->target[line]);
      w = gtk_spin_button_get_value (self->warning[line]);
      if (assay_kpi_line_lower_is_better (line) ? w < t : w > t)
        {
          g_autofree char *text = g_strdup_printf (
            assay_kpi_line_lower_is_better (line)
            ? _("The warning value of %s must be at or above its target: lower is better")
            : _("The warning value of %s must be at or below its target"),
            assay_insights_line_title (line));

          adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
          return;
        }
    }
  gtk_widget_set_sensitive (self->save_button, FALSE);
  self->next = 0;
  save_next (self);
}

static void
spin_row (AdwExpanderRow *expander,
          const char     *title,
          GtkSpinButton **spin,
          double          max,
          double          min,
          double          value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_spin_button_new_with_range (min, max, 0.5);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (button), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (button), value);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  adw_expander_row_add_row (expander, row);
  *spin = GTK_SPIN_BUTTON (button);
}

static void
assay_targets_dialog_dispose (GObject *object)
{
  AssayTargetsDialog *self = ASSAY_TARGETS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->team_id, g_free);
  G_OBJECT_CLASS (assay_targets_dialog_parent_class)->dispose (object);
}

static void
assay_targets_dialog_class_init (AssayTargetsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = assay_targets_dialog_dispose;
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 0);
}

static void
assay_targets_dialog_init (AssayTargetsDialog *self)
{
  self->cancellable = g_cancellable_new ();
}

AssayTargetsDialog *
assay_targets_dialog_new (AssayContext         *context,
                          const char           *team_id,
                          const char           *scope_title,
                          const AssayKpiFigure *figures,
                          int                   from_day)
{
  AssayTargetsDialog *self = g_object_new (ASSAY_TYPE_TARGETS_DIALOG, "modal", TRUE,
                                           "default-width", 560, "default-height", 640, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  g_autofree char *title = g_strdup_printf (_("Targets for %s"), scope_title);
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local ((gint64) from_day * 86400 + 43200);
  g_autofree char *start_text = g_date_time_format (start, "%x");
  g_autofree char *description = NULL;

  self->context = g_object_ref (context);
  self->team_id = g_strdup (team_id);
  self->from_at = g_date_time_to_unix (start) * 1000 - 12 * 3600 * 1000;
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (_assay_targets_dialog_save),
                            self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);

  description = g_strdup_printf (_("Switch a figure on to give it a target and a warning value; "
                                   "they apply from %s on. A figure at or better than its target "
                                   "is on target, up to its warning value a warning, beyond it a "
                                   "breach."), start_text);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      GtkWidget *row = adw_expander_row_new ();
      gboolean seconds = assay_insights_line_unit (line) == ASSAY_CHART_UNIT_SECONDS;
      double max = seconds ? 86400 : 100;
      double min = line == ASSAY_KPI_LINE_NPS ? -100 : 0;

      self->had[line] = figures != NULL && figures[line].has_target;
      self->was_target[line] = self->had[line] ? figures[line].target : 0;
      self->was_warning[line] = self->had[line] ? figures[line].warning : 0;
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), assay_insights_line_title (line));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row),
                                     seconds ? _("In seconds; lower is better")
                                     : assay_kpi_line_lower_is_better (line)
                                     ? _("In percent; lower is better") : NULL);
      adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (row), TRUE);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), self->had[line]);
      spin_row (ADW_EXPANDER_ROW (row), _("Target"), &self->target[line], max, min,
                self->was_target[line]);
      spin_row (ADW_EXPANDER_ROW (row), _("Warning value"), &self->warning[line], max, min,
                self->was_warning[line]);
      self->rows[line] = row;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_box_append (GTK_BOX (box), overlay);
  self->toasts = ADW_TOAST_OVERLAY (overlay);
  adw_window_set_content (ADW_WINDOW (self), box);
  return self;
}

void
_assay_targets_dialog_set (AssayTargetsDialog *self,
                           int                 line,
                           double              target,
                           double              warning)
{
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self->rows[line]), TRUE);
  gtk_spin_button_set_value (self->target[line], target);
  gtk_spin_button_set_value (self->warning[line], warning);
}
