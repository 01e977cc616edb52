/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-draw-dialog.h"

/* the channel filter's rows, after "Any Channel" */
static const char *const channels[] = { "phone", "chat", "email", "ticket" };

struct _AssayDrawDialog
{
  AdwWindow       parent_instance;

  GPtrArray      *queues;       /* names, in the order of the queue row after "Any Queue" */

  GtkSpinButton  *per_agent;
  GtkSpinButton  *weeks;
  AdwComboRow    *channel_row;
  AdwComboRow    *queue_row;
  GtkStringList  *queue_model;
  GtkSpinButton  *min_minutes;
  GtkSpinButton  *max_minutes;
  AdwComboRow    *csat_row;
  GtkSpinButton  *weight;
  GtkEntry       *seed_entry;
  GtkButton      *draw_button;
};

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

enum {
  DRAW,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayDrawDialog, assay_draw_dialog, ADW_TYPE_WINDOW)

static gboolean
parse_seed (AssayDrawDialog *self,
            guint64         *out)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->seed_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  return g_ascii_string_to_unsigned (stripped, 10, 0, ASSAY_SAMPLING_MAX_SEED, out, NULL);
}

static void
seed_changed_cb (AssayDrawDialog *self)
{
  guint64 seed;
  gboolean valid = parse_seed (self, &seed);

  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->seed_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->seed_entry), "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->draw_button), valid);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
new_seed_cb (AssayDrawDialog *self)
{
  assay_draw_dialog_set_seed (self, assay_sampling_new_seed ());
}

static void
draw_clicked_cb (AssayDrawDialog *self)
{
  if (assay_draw_dialog_get_valid (self))
    g_signal_emit (self, signals[DRAW], 0);
}

static void
assay_draw_dialog_dispose (GObject *object)
{
  AssayDrawDialog *self = ASSAY_DRAW_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_DRAW_DIALOG);
  g_clear_pointer (&self->queues, g_ptr_array_unref);

  G_OBJECT_CLASS (assay_draw_dialog_parent_class)->dispose (object);
}

static void
assay_draw_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AssayDrawDialog *self = ASSAY_DRAW_DIALOG (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, assay_draw_dialog_get_valid (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_draw_dialog_class_init (AssayDrawDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_draw_dialog_dispose;
  object_class->get_property = assay_draw_dialog_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AssayDrawDialog::draw:
   * The user asked for the draw the form describes.
   */
  signals[DRAW] = g_signal_new ("draw", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-draw-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, per_agent);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, weeks);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, queue_row);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, queue_model);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, min_minutes);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, max_minutes);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, csat_row);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, weight);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, seed_entry);
  gtk_widget_class_bind_template_child (widget_class, AssayDrawDialog, draw_button);
  gtk_widget_class_bind_template_callback (widget_class, seed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_seed_cb);
  gtk_widget_class_bind_template_callback (widget_class, draw_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
assay_draw_dialog_init (AssayDrawDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->queues = g_ptr_array_new_with_free_func (g_free);
  assay_draw_dialog_set_seed (self, assay_sampling_new_seed ());
}

AssayDrawDialog *
assay_draw_dialog_new (void)
{
  return g_object_new (ASSAY_TYPE_DRAW_DIALOG, NULL);
}

void
assay_draw_dialog_set_queues (AssayDrawDialog    *self,
                              const char * const *queues)
{
  guint n;

  g_return_if_fail (ASSAY_IS_DRAW_DIALOG (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->queue_model));
  gtk_string_list_splice (self->queue_model, 1, n > 0 ? n - 1 : 0, queues);
  g_ptr_array_set_size (self->queues, 0);
  for (guint i = 0; queues != NULL && queues[i] != NULL; i++)
    g_ptr_array_add (self->queues, g_strdup (queues[i]));
  adw_combo_row_set_selected (self->queue_row, 0);
}

AssaySamplingRule *
assay_draw_dialog_build_rule (AssayDrawDialog *self,
                              gint64           now_ms)
{
  AssaySamplingRule *rule;
  g_autoptr(GDateTime) local = NULL;
  guint channel, queue, csat;
  int min_s, max_s;

  g_return_val_if_fail (ASSAY_IS_DRAW_DIALOG (self), NULL);

  rule = assay_sampling_rule_new ();
  local = g_date_time_new_now_local ();
  rule->week_offset_min = (int) (g_date_time_get_utc_offset (local) / G_TIME_SPAN_MINUTE);
  rule->per_agent_per_week = (guint) gtk_spin_button_get_value_as_int (self->per_agent);
  assay_sampling_rule_set_weeks (rule, now_ms, (guint) gtk_spin_button_get_value_as_int (self->weeks));

  channel = adw_combo_row_get_selected (self->channel_row);
  if (channel >= 1 && channel <= G_N_ELEMENTS (channels))
    {
      const char *chosen[] = { channels[channel - 1], NULL };
      rule->channels = g_strdupv ((char **) chosen);
    }
  queue = adw_combo_row_get_selected (self->queue_row);
  if (queue >= 1 && queue <= self->queues->len)
    {
      const char *chosen[] = { g_ptr_array_index (self->queues, queue - 1), NULL };
      rule->queues = g_strdupv ((char **) chosen);
    }
  min_s = gtk_spin_button_get_value_as_int (self->min_minutes) * 60;
  max_s = gtk_spin_button_get_value_as_int (self->max_minutes) * 60;
  rule->min_handle_s = min_s > 0 ? min_s : ASSAY_NONE;
  rule->max_handle_s = max_s > 0 ? max_s : ASSAY_NONE;
  if (rule->min_handle_s != ASSAY_NONE && rule->max_handle_s != ASSAY_NONE
      && rule->min_handle_s > rule->max_handle_s)
    {
      /* the user means the range between the two numbers */
      int tmp = rule->min_handle_s;
      rule->min_handle_s = rule->max_handle_s;
      rule->max_handle_s = tmp;
    }
  csat = adw_combo_row_get_selected (self->csat_row);
  rule->csat_max = csat >= 1 && csat <= 4 ? (int) csat : ASSAY_NONE;
  rule->low_csat_weight = gtk_spin_button_get_value (self->weight);
  return rule;
}

guint64
assay_draw_dialog_get_seed (AssayDrawDialog *self)
{
  guint64 seed = 0;

  g_return_val_if_fail (ASSAY_IS_DRAW_DIALOG (self), 0);
  parse_seed (self, &seed);
  return seed;
}

void
assay_draw_dialog_set_seed (AssayDrawDialog *self,
                            guint64          seed)
{
  g_autofree char *text = NULL;

  g_return_if_fail (ASSAY_IS_DRAW_DIALOG (self));

  text = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
  gtk_editable_set_text (GTK_EDITABLE (self->seed_entry), text);
}

void
assay_draw_dialog_set_per_agent (AssayDrawDialog *self,
                                 guint            n)
{
  g_return_if_fail (ASSAY_IS_DRAW_DIALOG (self));
  gtk_spin_button_set_value (self->per_agent, n);
}

gboolean
assay_draw_dialog_get_valid (AssayDrawDialog *self)
{
  guint64 seed;

  g_return_val_if_fail (ASSAY_IS_DRAW_DIALOG (self), FALSE);
  return parse_seed (self, &seed);
}
