/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-period-picker.h"
#include "core/assay-kpi.h"

#define JULIAN_EPOCH 719163

struct _AssayPeriodPicker
{
  GtkWidget        parent_instance;

  AssayPeriodKind  kind;
  int              from_day;
  int              to_day;

  GtkWidget       *box;
  GtkWidget       *menu_button;
  GtkWidget       *kind_buttons[4];
  GtkWidget       *custom_box;
  GtkCalendar     *from_calendar;
  GtkCalendar     *to_calendar;
  gboolean         updating;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayPeriodPicker, assay_period_picker, GTK_TYPE_WIDGET)

static GDateTime *
day_to_datetime (int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) (day + JULIAN_EPOCH));
  return g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                g_date_get_day (&date), 12, 0, 0);
}

static int
datetime_to_day (GDateTime *dt)
{
  return assay_kpi_day_from_ymd (g_date_time_get_year (dt), g_date_time_get_month (dt),
                                 g_date_time_get_day_of_month (dt));
}

char *
assay_period_picker_format (AssayPeriodKind kind,
                            int             from_day,
                            int             to_day)
{
  g_autoptr(GDateTime) from = day_to_datetime (from_day);
  g_autoptr(GDateTime) to = day_to_datetime (to_day);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  switch (kind)
    {
    case ASSAY_PERIOD_MONTH:
      /* Translators: a month as a period, strftime-like for g_date_time_format() */
      return g_date_time_format (from, C_("period", "%B %Y"));
    case ASSAY_PERIOD_QUARTER:
      /* Translators: a calendar quarter, "Q4 2026" */
      return g_strdup_printf (C_("period", "Q%d %d"), (g_date_time_get_month (from) - 1) / 3 + 1,
                              g_date_time_get_year (from));
    case ASSAY_PERIOD_WEEK:
    case ASSAY_PERIOD_CUSTOM:
    default:
      /* Translators: the first and the last day of a period, g_date_time_format() */
      a = g_date_time_format (from, C_("period", "%e %b %Y"));
      b = g_date_time_format (to, C_("period", "%e %b %Y"));
      return from_day == to_day ? g_strstrip (g_steal_pointer (&a))
                                : g_strdup_printf ("%s – %s", g_strstrip (a), g_strstrip (b));
    }
}

static void
update_label (AssayPeriodPicker *self)
{
  g_autofree char *label = assay_period_picker_format (self->kind, self->from_day, self->to_day);
  g_autoptr(GDateTime) from = day_to_datetime (self->from_day);
  g_autoptr(GDateTime) to = day_to_datetime (self->to_day);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->menu_button), label);
  /* GTK 4.8 names only the menu button's inner toggle: the button itself says the period */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  self->updating = TRUE;
  for (int k = 0; k < 4; k++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->kind_buttons[k]), k == (int) self->kind);
  gtk_widget_set_visible (self->custom_box, self->kind == ASSAY_PERIOD_CUSTOM);
  gtk_calendar_select_day (self->from_calendar, from);
  gtk_calendar_select_day (self->to_calendar, to);
  self->updating = FALSE;
}

void
assay_period_picker_set_period (AssayPeriodPicker *self,
                                AssayPeriodKind    kind,
                                int                from_day,
                                int                to_day)
{
  g_return_if_fail (ASSAY_IS_PERIOD_PICKER (self));

  if (kind != ASSAY_PERIOD_CUSTOM)
    assay_period_containing (kind, from_day, &from_day, &to_day);
  else if (to_day < from_day)
    {
      int t = from_day;

      from_day = to_day;
      to_day = t;
    }
  if (kind == self->kind && from_day == self->from_day && to_day == self->to_day)
    return;
  self->kind = kind;
  self->from_day = from_day;
  self->to_day = to_day;
  update_label (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
assay_period_picker_shift (AssayPeriodPicker *self,
                           int                steps)
{
  int from = self->from_day, to = self->to_day;

  assay_period_shift (self->kind, &from, &to, steps);
  assay_period_picker_set_period (self, self->kind, from, to);
}

static void
back_clicked_cb (AssayPeriodPicker *self)
{
  assay_period_picker_shift (self, -1);
}

static void
forward_clicked_cb (AssayPeriodPicker *self)
{
  assay_period_picker_shift (self, 1);
}

static void
kind_toggled_cb (GtkCheckButton    *button,
                 AssayPeriodPicker *self)
{
  int kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "kind"));

  if (self->updating || !gtk_check_button_get_active (button))
    return;
  if (kind == ASSAY_PERIOD_CUSTOM)
    {
      /* keep the days shown; the calendars change them */
      self->kind = ASSAY_PERIOD_CUSTOM;
      update_label (self);
      return;
    }
  assay_period_picker_set_period (self, kind, self->from_day, self->to_day);
}

static void
apply_clicked_cb (AssayPeriodPicker *self)
{
  g_autoptr(GDateTime) from = gtk_calendar_get_date (self->from_calendar);
  g_autoptr(GDateTime) to = gtk_calendar_get_date (self->to_calendar);

  assay_period_picker_set_period (self, ASSAY_PERIOD_CUSTOM, datetime_to_day (from),
                                  datetime_to_day (to));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->menu_button));
}

static void
assay_period_picker_dispose (GObject *object)
{
  AssayPeriodPicker *self = ASSAY_PERIOD_PICKER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (assay_period_picker_parent_class)->dispose (object);
}

static void
assay_period_picker_class_init (AssayPeriodPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_period_picker_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_period_picker_init (AssayPeriodPicker *self)
{
  const char *kinds[] = {
    N_("Week"), N_("Month"), N_("Quarter"), N_("Custom Period"),
  };
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *forward = gtk_button_new_from_icon_name ("go-next-symbolic");
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *menu = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *from_label, *to_label, *apply;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->box, "linked");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_widget_set_tooltip_text (back, _("Previous period"));
  gtk_widget_set_tooltip_text (forward, _("Next period"));
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (back_clicked_cb), self);
  g_signal_connect_swapped (forward, "clicked", G_CALLBACK (forward_clicked_cb), self);
  self->menu_button = gtk_menu_button_new ();
  gtk_widget_set_tooltip_text (self->menu_button, _("Choose the period"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->menu_button), popover);
  gtk_box_append (GTK_BOX (self->box), back);
  gtk_box_append (GTK_BOX (self->box), self->menu_button);
  gtk_box_append (GTK_BOX (self->box), forward);

  gtk_widget_set_margin_start (menu, 6);
  gtk_widget_set_margin_end (menu, 6);
  gtk_widget_set_margin_top (menu, 6);
  gtk_widget_set_margin_bottom (menu, 6);
  for (int k = 0; k < 4; k++)
    {
      self->kind_buttons[k] = gtk_check_button_new_with_label (_(kinds[k]));
      if (k > 0)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (self->kind_buttons[k]),
                                    GTK_CHECK_BUTTON (self->kind_buttons[0]));
      g_object_set_data (G_OBJECT (self->kind_buttons[k]), "kind", GINT_TO_POINTER (k));
      g_signal_connect (self->kind_buttons[k], "toggled", G_CALLBACK (kind_toggled_cb), self);
      gtk_box_append (GTK_BOX (menu), self->kind_buttons[k]);
    }
  self->custom_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  from_label = gtk_label_new (_("From"));
  to_label = gtk_label_new (_("To"));
  gtk_label_set_xalign (GTK_LABEL (from_label), 0);
  gtk_label_set_xalign (GTK_LABEL (to_label), 0);
  self->from_calendar = GTK_CALENDAR (gtk_calendar_new ());
  self->to_calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->from_calendar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("First day"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->to_calendar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Last day"), -1);
  apply = gtk_button_new_with_mnemonic (_("_Show Period"));
  gtk_widget_add_css_class (apply, "suggested-action");
  g_signal_connect_swapped (apply, "clicked", G_CALLBACK (apply_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->custom_box), from_label);
  gtk_box_append (GTK_BOX (self->custom_box), GTK_WIDGET (self->from_calendar));
  gtk_box_append (GTK_BOX (self->custom_box), to_label);
  gtk_box_append (GTK_BOX (self->custom_box), GTK_WIDGET (self->to_calendar));
  gtk_box_append (GTK_BOX (self->custom_box), apply);
  gtk_box_append (GTK_BOX (menu), self->custom_box);
  gtk_popover_set_child (GTK_POPOVER (popover), menu);

  self->kind = ASSAY_PERIOD_MONTH;
  assay_period_containing (self->kind, datetime_to_day (now), &self->from_day, &self->to_day);
  update_label (self);
}

GtkWidget *
assay_period_picker_new (void)
{
  return g_object_new (ASSAY_TYPE_PERIOD_PICKER, NULL);
}

AssayPeriodKind
assay_period_picker_get_kind (AssayPeriodPicker *self)
{
  g_return_val_if_fail (ASSAY_IS_PERIOD_PICKER (self), ASSAY_PERIOD_MONTH);
  return self->kind;
}

int
assay_period_picker_get_from_day (AssayPeriodPicker *self)
{
  g_return_val_if_fail (ASSAY_IS_PERIOD_PICKER (self), 0);
  return self->from_day;
}

int
assay_period_picker_get_to_day (AssayPeriodPicker *self)
{
  g_return_val_if_fail (ASSAY_IS_PERIOD_PICKER (self), 0);
  return self->to_day;
}
