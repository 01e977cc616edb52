/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-my-results-page.h"

struct _AssayMyResultsPage
{
  GtkWidget     parent_instance;

  AssayContext *context;
};

G_DEFINE_FINAL_TYPE (AssayMyResultsPage, assay_my_results_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
assay_my_results_page_dispose (GObject *object)
{
  AssayMyResultsPage *self = ASSAY_MY_RESULTS_PAGE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_my_results_page_parent_class)->dispose (object);
}

static void
assay_my_results_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AssayMyResultsPage *self = ASSAY_MY_RESULTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_my_results_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AssayMyResultsPage *self = ASSAY_MY_RESULTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_my_results_page_class_init (AssayMyResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_my_results_page_dispose;
  object_class->get_property = assay_my_results_page_get_property;
  object_class->set_property = assay_my_results_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_my_results_page_init (AssayMyResultsPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *status = adw_status_page_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("My Results"), NULL));
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "emblem-default-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Your Results Come from Your Centre"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("The evaluations of your contacts, your coaching and your "
                                     "training appear here once this workstation is signed in to "
                                     "your centre and has synchronised."));
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), status);
  gtk_widget_set_parent (box, GTK_WIDGET (self));
}
