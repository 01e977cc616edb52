/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-ui-util.h"

const char *
assay_ui_channel_label (const char *channel)
{
  if (g_strcmp0 (channel, "phone") == 0)
    return C_("channel", "Phone");
  if (g_strcmp0 (channel, "chat") == 0)
    return C_("channel", "Chat");
  if (g_strcmp0 (channel, "email") == 0)
    return C_("channel", "Email");
  if (g_strcmp0 (channel, "ticket") == 0)
    return C_("channel", "Ticket");
  return channel ? channel : "";
}

char *
assay_ui_format_percent (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  /* Translators: a score in percent */
  return g_strdup_printf (_("%.0f %%"), value);
}

const char *
assay_ui_priority_label (const char *priority)
{
  if (g_strcmp0 (priority, "low") == 0)
    return C_("priority", "Low");
  if (g_strcmp0 (priority, "normal") == 0)
    return C_("priority", "Normal");
  if (g_strcmp0 (priority, "high") == 0)
    return C_("priority", "High");
  if (g_strcmp0 (priority, "urgent") == 0)
    return C_("priority", "Urgent");
  return priority;
}

char *
assay_ui_format_time (gint64      ms,
                      const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, format) : g_strdup ("");
}

AdwToast *
assay_ui_toast_new (const char *text)
{
  g_autofree char *markup = g_markup_escape_text (text ? text : "", -1);

  return adw_toast_new (markup);
}

/* ---- accessible names ---- */

static gboolean
icon_only (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_label (GTK_BUTTON (widget)) == NULL
           && (gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL
               || GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))));
  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL
           && gtk_menu_button_get_child (GTK_MENU_BUTTON (widget)) == NULL;
  return FALSE;
}

static gboolean
name_icon_button_hook (GSignalInvocationHint *hint,
                       guint                  n_values,
                       const GValue          *values,
                       gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);
  GtkWidget *widget;
  const char *tooltip;

  if (!GTK_IS_WIDGET (object))
    return TRUE;
  widget = GTK_WIDGET (object);
  if (!icon_only (widget))
    return TRUE;
  tooltip = gtk_widget_get_tooltip_text (widget);
  if (tooltip != NULL && *tooltip != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    tooltip, -1);
  return TRUE;
}

void
assay_ui_name_icon_buttons (void)
{
  static gsize installed = 0;

  /* one hook for every button there will be, dynamic rows included, rather than a label
   * repeated beside every tooltip in the .ui files; a button never realized (in a closed
   * flap) gets its label in the .ui */
  if (g_once_init_enter (&installed))
    {
      g_type_class_unref (g_type_class_ref (GTK_TYPE_WIDGET));  /* its signals exist now */
      /* when it is realized: its tooltip and icon are set by then */
      g_signal_add_emission_hook (g_signal_lookup ("realize", GTK_TYPE_WIDGET), 0,
                                  name_icon_button_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

GtkListBox *
assay_ui_boxed_list_new (const char  *label,
                         GtkWidget  **scrolled)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *clamp = adw_clamp_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  gtk_widget_set_margin_top (list, 18);
  gtk_widget_set_margin_bottom (list, 18);
  gtk_widget_set_margin_start (list, 12);
  gtk_widget_set_margin_end (list, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), list);
  *scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (*scrolled), clamp);
  return GTK_LIST_BOX (list);
}
