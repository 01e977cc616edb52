/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-agents-page.h"

struct _AssayAgentsPage
{
  GtkWidget     parent_instance;

  AssayStore   *store;
  GCancellable *cancellable;
  gboolean      folded;
};

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayAgentsPage, assay_agents_page, GTK_TYPE_WIDGET)

static void
assay_agents_page_dispose (GObject *object)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_AGENTS_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (assay_agents_page_parent_class)->dispose (object);
}

static void
assay_agents_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_agents_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_agents_page_class_init (AssayAgentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_agents_page_dispose;
  object_class->get_property = assay_agents_page_get_property;
  object_class->set_property = assay_agents_page_set_property;

  /* whether the window shows the page alone (narrow): the page then offers a back button */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-agents-page.ui");
}

static void
assay_agents_page_init (AssayAgentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

void
assay_agents_page_set_store (AssayAgentsPage *self,
                               AssayStore       *store)
{
  g_return_if_fail (ASSAY_IS_AGENTS_PAGE (self));

  g_set_object (&self->store, store);
}
