/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-figure-card.h"
#include "core/assay-util.h"

struct _AssayFigureCard
{
  GtkWidget      parent_instance;

  char          *title;
  char          *value;
  char          *caption;
  char          *definition;
  AssayKpiLevel  level;

  /* template */
  GtkWidget     *box;
  GtkLabel      *title_label;
  GtkLabel      *value_label;
  GtkLabel      *caption_label;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_VALUE,
  PROP_CAPTION,
  PROP_DEFINITION,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayFigureCard, assay_figure_card, GTK_TYPE_WIDGET)

/* Screen readers get the card as one group: "CSAT, 84 %, of 212 answers" and the definition. */
static void
update_accessible (AssayFigureCard *self)
{
  g_autoptr(GString) label = g_string_new (self->title);

  if (self->value != NULL)
    g_string_append_printf (label, label->len ? ", %s" : "%s", self->value);
  if (self->caption != NULL && *self->caption != '\0')
    g_string_append_printf (label, ", %s", self->caption);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->definition ? self->definition : "",
                                  -1);
}

static void
assay_figure_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ASSAY_TYPE_FIGURE_CARD);

  G_OBJECT_CLASS (assay_figure_card_parent_class)->dispose (object);
}

static void
assay_figure_card_finalize (GObject *object)
{
  AssayFigureCard *self = ASSAY_FIGURE_CARD (object);

  g_free (self->title);
  g_free (self->value);
  g_free (self->caption);
  g_free (self->definition);

  G_OBJECT_CLASS (assay_figure_card_parent_class)->finalize (object);
}

static void
assay_figure_card_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AssayFigureCard *self = ASSAY_FIGURE_CARD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_CAPTION:
      g_value_set_string (value, self->caption);
      break;
    case PROP_DEFINITION:
      g_value_set_string (value, self->definition);
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_figure_card_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AssayFigureCard *self = ASSAY_FIGURE_CARD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      assay_figure_card_set_title (self, g_value_get_string (value));
      break;
    case PROP_VALUE:
      assay_figure_card_set_value (self, g_value_get_string (value));
      break;
    case PROP_CAPTION:
      assay_figure_card_set_caption (self, g_value_get_string (value));
      break;
    case PROP_DEFINITION:
      assay_figure_card_set_definition (self, g_value_get_string (value));
      break;
    case PROP_LEVEL:
      assay_figure_card_set_level (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_figure_card_class_init (AssayFigureCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_figure_card_dispose;
  object_class->finalize = assay_figure_card_finalize;
  object_class->get_property = assay_figure_card_get_property;
  object_class->set_property = assay_figure_card_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPTION] =
    g_param_spec_string ("caption", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFINITION] =
    g_param_spec_string ("definition", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL] =
    g_param_spec_enum ("level", NULL, NULL, ASSAY_TYPE_KPI_LEVEL, ASSAY_KPI_LEVEL_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "figurecard");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-figure-card.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayFigureCard, box);
  gtk_widget_class_bind_template_child (widget_class, AssayFigureCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, AssayFigureCard, value_label);
  gtk_widget_class_bind_template_child (widget_class, AssayFigureCard, caption_label);
}

static void
assay_figure_card_init (AssayFigureCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
assay_figure_card_new (void)
{
  return g_object_new (ASSAY_TYPE_FIGURE_CARD, NULL);
}

const char *
assay_figure_card_get_title (AssayFigureCard *self)
{
  g_return_val_if_fail (ASSAY_IS_FIGURE_CARD (self), NULL);
  return self->title;
}

void
assay_figure_card_set_title (AssayFigureCard *self,
                             const char      *title)
{
  g_return_if_fail (ASSAY_IS_FIGURE_CARD (self));

  if (!assay_set_str (&self->title, title))
    return;
  gtk_label_set_label (self->title_label, title);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
assay_figure_card_get_value (AssayFigureCard *self)
{
  g_return_val_if_fail (ASSAY_IS_FIGURE_CARD (self), NULL);
  return self->value;
}

/* A %NULL value shows a dash: "no data", which is not 0. */
void
assay_figure_card_set_value (AssayFigureCard *self,
                             const char      *value)
{
  g_return_if_fail (ASSAY_IS_FIGURE_CARD (self));

  if (!assay_set_str (&self->value, value))
    return;
  gtk_label_set_label (self->value_label, value != NULL ? value : "—");
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

const char *
assay_figure_card_get_caption (AssayFigureCard *self)
{
  g_return_val_if_fail (ASSAY_IS_FIGURE_CARD (self), NULL);
  return self->caption;
}

void
assay_figure_card_set_caption (AssayFigureCard *self,
                               const char      *caption)
{
  g_return_if_fail (ASSAY_IS_FIGURE_CARD (self));

  if (!assay_set_str (&self->caption, caption))
    return;
  gtk_label_set_label (self->caption_label, caption);
  gtk_widget_set_visible (GTK_WIDGET (self->caption_label), caption != NULL && *caption != '\0');
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTION]);
}

const char *
assay_figure_card_get_definition (AssayFigureCard *self)
{
  g_return_val_if_fail (ASSAY_IS_FIGURE_CARD (self), NULL);
  return self->definition;
}

void
assay_figure_card_set_definition (AssayFigureCard *self,
                                  const char      *definition)
{
  g_return_if_fail (ASSAY_IS_FIGURE_CARD (self));

  if (!assay_set_str (&self->definition, definition))
    return;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), definition);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFINITION]);
}

AssayKpiLevel
assay_figure_card_get_level (AssayFigureCard *self)
{
  g_return_val_if_fail (ASSAY_IS_FIGURE_CARD (self), ASSAY_KPI_LEVEL_NONE);
  return self->level;
}

void
assay_figure_card_set_level (AssayFigureCard *self,
                             AssayKpiLevel    level)
{
  GtkWidget *value = NULL;

  g_return_if_fail (ASSAY_IS_FIGURE_CARD (self));

  if (self->level == level)
    return;
  self->level = level;

  value = GTK_WIDGET (self->value_label);
  gtk_widget_remove_css_class (value, "kpi-low");
  gtk_widget_remove_css_class (value, "kpi-high");
  if (level == ASSAY_KPI_LEVEL_LOW)
    gtk_widget_add_css_class (value, "kpi-low");
  else if (level == ASSAY_KPI_LEVEL_HIGH)
    gtk_widget_add_css_class (value, "kpi-high");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}
