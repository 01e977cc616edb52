/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-agent-scorecard-page-private.h"
#include "assay-insights-common.h"
#include "assay-root-cause-dialog.h"
#include "assay-ui-util.h"
#include "core/assay-directory.h"
#include "store/assay-store-directory.h"
#include "store/assay-store-insights.h"

struct _AssayAgentScorecardPage
{
  GtkWidget           parent_instance;

  AssayContext       *context;
  GCancellable       *cancellable;
  GCancellable       *agents_cancellable;

  GtkWidget          *frame;
  GtkWidget          *agent_dropdown;
  GtkStringList      *agent_names;
  GPtrArray          *agent_ids;
  char               *agent_id;
  AssayPeriodPicker  *period;
  GtkWidget          *stack;
  GtkWidget          *content;
  GtkWidget          *empty_status;
  GtkWidget          *error_status;
  AdwToastOverlay    *toasts;
  GtkWidget          *trend;
  GtkWidget          *trend_dropdown;
  guint               trend_pick;
  GtkWidget          *figure_grid;
  guint               n_evaluations;

  const char         *state;
  gboolean            loaded_once;
  gboolean            dirty;
  guint               pending;
  GError             *error;
  AssayKpiScorecard  *card;
  GPtrArray          *evaluations;
};

G_DEFINE_FINAL_TYPE (AssayAgentScorecardPage, assay_agent_scorecard_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const AssayKpiLine trend_lines[] = {
  ASSAY_KPI_LINE_QA_SCORE, ASSAY_KPI_LINE_CSAT, ASSAY_KPI_LINE_NPS, ASSAY_KPI_LINE_FCR,
  ASSAY_KPI_LINE_AHT_PHONE, ASSAY_KPI_LINE_CRITICAL_FAIL_RATE,
};

static void load (AssayAgentScorecardPage *self);

static void
set_state (AssayAgentScorecardPage *self,
           const char              *state)
{
  self->state = state;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), state);
}

/* ---- building ---- */

static void
trend_selected_cb (AssayAgentScorecardPage *self)
{
  self->trend_pick = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->trend_dropdown));
  if (self->card != NULL && self->trend != NULL)
    assay_insights_trend_update (ASSAY_CHART (self->trend), self->card,
                                 trend_lines[MIN (self->trend_pick,
                                                  G_N_ELEMENTS (trend_lines) - 1)]);
}

static GtkWidget *
trend_section (AssayAgentScorecardPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  for (guint i = 0; i < G_N_ELEMENTS (trend_lines); i++)
    gtk_string_list_append (names, assay_insights_line_title (trend_lines[i]));
  self->trend_dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->trend_dropdown),
                              MIN (self->trend_pick, G_N_ELEMENTS (trend_lines) - 1));
  gtk_widget_set_halign (self->trend_dropdown, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->trend_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Figure of the trend"), -1);
  self->trend = assay_chart_new (ASSAY_CHART_LINE);
  g_signal_connect_swapped (self->trend_dropdown, "notify::selected",
                            G_CALLBACK (trend_selected_cb), self);
  gtk_box_append (GTK_BOX (box), self->trend_dropdown);
  gtk_box_append (GTK_BOX (box), self->trend);
  trend_selected_cb (self);
  return assay_insights_section (_("Trend"), box,
                                 _("Weeks run Monday to Sunday; a week with too few values to "
                                   "judge is left out of the line. The dashed line is the "
                                   "target."));
}

static GtkWidget *
sla_section (AssayAgentScorecardPage *self)
{
  GtkWidget *grid = gtk_grid_new ();
  gboolean any = FALSE;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  for (guint c = 0; c < ASSAY_KPI_N_CHANNELS; c++)
    {
      GtkWidget *label = gtk_label_new (assay_ui_channel_label (assay_kpi_channel_name (c)));

      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), label, 1 + (int) c, 0, 1, 1);
    }
  for (guint p = 0; p < ASSAY_KPI_N_PRIORITIES; p++)
    {
      GtkWidget *label = gtk_label_new (assay_ui_priority_label (assay_kpi_priority_name (p)));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_grid_attach (GTK_GRID (grid), label, 0, 1 + (int) p, 1, 1);
      for (guint c = 0; c < ASSAY_KPI_N_CHANNELS; c++)
        {
          const AssayKpiFigure *f = &self->card->sla[p][c];
          g_autofree char *text = f->estimate.n == 0 ? g_strdup ("—")
                                  : assay_insights_figure_text (ASSAY_KPI_LINE_SLA_ATTAINMENT, f);
          GtkWidget *cell = gtk_label_new (text);
          const char *css = assay_insights_status_class (f->status);

          any |= f->estimate.n > 0;
          gtk_label_set_xalign (GTK_LABEL (cell), 1);
          gtk_widget_add_css_class (cell, "numeric");
          if (css != NULL)
            gtk_widget_add_css_class (cell, css);
          gtk_grid_attach (GTK_GRID (grid), cell, 1 + (int) c, 1 + (int) p, 1, 1);
        }
    }
  if (!any)
    return assay_insights_section (_("SLA attainment by priority and channel"), NULL,
                                   _("None of this agent's contacts in the period had a "
                                     "priority target."));
  return assay_insights_section (_("SLA attainment by priority and channel"), grid, NULL);
}

static void
causes_saved_cb (AssayAgentScorecardPage *self)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (_("Root causes saved")));
}

GtkWidget *
_assay_agent_scorecard_page_tag_evaluation (AssayAgentScorecardPage *self,
                                            guint                    i)
{
  const AssayKpiEvaluationRow *r;
  AssayRootCauseDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *when = NULL;
  g_autofree char *subject = NULL;

  if (self->evaluations == NULL || i >= self->evaluations->len)
    return NULL;
  r = g_ptr_array_index (self->evaluations, i);
  when = assay_ui_format_time (r->started_at, "%x %H:%M");
  /* Translators: what the root causes are for: the agent · the contact's time */
  subject = g_strdup_printf (_("%s · %s"), r->agent_name ? r->agent_name : "", when);
  dialog = assay_root_cause_dialog_new (self->context, ASSAY_KPI_TAG_EVALUATION, r->id, 0, 0, 0,
                                        subject);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (causes_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

static void
tag_clicked_cb (GtkWidget               *button,
                AssayAgentScorecardPage *self)
{
  _assay_agent_scorecard_page_tag_evaluation (
    self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "row")));
}

static GtkWidget *
evaluations_section (AssayAgentScorecardPage *self)
{
  GtkWidget *list;

  self->n_evaluations = self->evaluations ? self->evaluations->len : 0;
  if (self->n_evaluations == 0)
    return assay_insights_section (_("Evaluations"), NULL,
                                   _("None of this agent's contacts in the period has a submitted "
                                     "evaluation. Draw a sample from the review queue to "
                                     "evaluate them."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < self->evaluations->len; i++)
    {
      const AssayKpiEvaluationRow *r = g_ptr_array_index (self->evaluations, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = assay_ui_format_time (r->started_at, "%x %H:%M");
      g_autofree char *score = assay_ui_format_percent (r->score);
      g_autofree char *subtitle = NULL;
      GtkWidget *label, *tag;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when);
      /* Translators: under an evaluation in a list: channel · inspector */
      subtitle = g_strdup_printf (_("%s · by %s"), assay_ui_channel_label (r->channel),
                                  r->inspector_name ? r->inspector_name : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (r->band != NULL && *r->band != '\0')
        {
          label = gtk_label_new (r->band);
          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      if (r->fatal)
        {
          label = gtk_label_new (_("fatal"));
          gtk_widget_add_css_class (label, "kpi-breach");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      label = gtk_label_new (score);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      tag = gtk_button_new_from_icon_name ("mail-attachment-symbolic");
      gtk_widget_add_css_class (tag, "flat");
      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (tag, _("Root Causes: why points were lost"));
      g_object_set_data (G_OBJECT (tag), "row", GUINT_TO_POINTER (i));
      g_signal_connect (tag, "clicked", G_CALLBACK (tag_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  return assay_insights_section (_("Evaluations"), list,
                                 _("The newest contacts first, each with its band; fatal marks "
                                   "a failed fatal item."));
}

static void
line_activated (AssayKpiLine line,
                gpointer     user_data)
{
  AssayAgentScorecardPage *self = user_data;
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_AGENT, self->agent_id, self->card->from_day,
                      self->card->to_day, self->card->min_n };

  assay_insights_show_evaluations (GTK_WIDGET (self), self->context, &q,
                                   assay_insights_line_title (line));
}

static void
build (AssayAgentScorecardPage *self)
{
  GtkWidget *child;
  g_autofree char *heading = NULL;

  while ((child = gtk_widget_get_first_child (self->content)) != NULL)
    gtk_box_remove (GTK_BOX (self->content), child);
  self->trend = NULL;

  heading = self->card->team_name != NULL
            /* Translators: an agent's scorecard heading: agent name — team name */
            ? g_strdup_printf (_("%s — %s"), self->card->subject_name, self->card->team_name)
            : g_strdup (self->card->subject_name);
  self->figure_grid = assay_insights_figure_grid (self->card->figures,
                                                  self->card->has_team ? self->card->team : NULL,
                                                  _("Team"), self->card->centre, _("Centre"));
  assay_insights_figure_grid_connect (self->figure_grid, line_activated, self);
  gtk_box_append (GTK_BOX (self->content),
                  assay_insights_section (heading, self->figure_grid,
                                          _("Each figure beside its target and warning value, "
                                            "and the team's and the centre's. Open a figure to "
                                            "see the evaluations behind it.")));
  gtk_box_append (GTK_BOX (self->content), trend_section (self));
  gtk_box_append (GTK_BOX (self->content), sla_section (self));
  gtk_box_append (GTK_BOX (self->content), evaluations_section (self));
}

static void
finish_load (AssayAgentScorecardPage *self)
{
  if (--self->pending > 0)
    return;
  if (self->error != NULL)
    {
      adw_status_page_set_description (ADW_STATUS_PAGE (self->error_status), self->error->message);
      g_clear_error (&self->error);
      set_state (self, "error");
      return;
    }
  if (self->card->sums.contacts == 0 && self->card->sums.evals == 0)
    {
      g_autofree char *text = g_strdup_printf (_("%s handled no contacts in this period. Look "
                                                 "at an earlier period or another agent."),
                                               self->card->subject_name);

      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_status), text);
      set_state (self, "empty");
      return;
    }
  build (self);
  set_state (self, "ready");
}

static void
scorecard_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayKpiScorecard *card = assay_store_kpi_scorecard_finish (ASSAY_STORE (source), result, &error);
  AssayAgentScorecardPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  g_clear_pointer (&self->card, assay_kpi_scorecard_free);
  self->card = card;
  if (card == NULL && self->error == NULL)
    self->error = g_steal_pointer (&error);
  finish_load (self);
}

static void
evaluations_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = assay_store_kpi_evaluations_finish (ASSAY_STORE (source), result, &error);
  AssayAgentScorecardPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  g_clear_pointer (&self->evaluations, g_ptr_array_unref);
  self->evaluations = rows;
  if (rows == NULL && self->error == NULL)
    self->error = g_steal_pointer (&error);
  finish_load (self);
}

static void
load (AssayAgentScorecardPage *self)
{
  AssayStore *store = assay_context_get_store (self->context);
  AssayKpiQuery q = {
    ASSAY_KPI_SCOPE_AGENT, self->agent_id,
    assay_period_picker_get_from_day (self->period), assay_period_picker_get_to_day (self->period),
    g_settings_get_uint (assay_context_get_settings (self->context), "kpi-min-n"),
  };

  if (self->agent_id == NULL)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) && self->loaded_once)
    {
      self->dirty = TRUE;
      return;
    }
  self->loaded_once = TRUE;
  self->dirty = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_error (&self->error);
  self->pending = 2;
  self->state = "loading";
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "ready") != 0)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  assay_store_kpi_scorecard_async (store, &q, self->cancellable, scorecard_cb, self);
  assay_store_kpi_evaluations_async (store, &q, 200, self->cancellable, evaluations_cb, self);
}

/* ---- agents ---- */

static void
select_agent_row (AssayAgentScorecardPage *self)
{
  for (guint i = 0; i < self->agent_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->agent_ids, i), self->agent_id) == 0)
      {
        g_signal_handlers_block_matched (self->agent_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                         NULL, self);
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->agent_dropdown), i);
        g_signal_handlers_unblock_matched (self->agent_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                           NULL, self);
        return;
      }
}

static void
agents_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = assay_store_list_agents_finish (ASSAY_STORE (source), result,
                                                                &error);
  AssayAgentScorecardPage *self;
  guint n_old;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (agents == NULL)
    {
      adw_status_page_set_description (ADW_STATUS_PAGE (self->error_status), error->message);
      set_state (self, "error");
      return;
    }
  g_ptr_array_set_size (self->agent_ids, 0);
  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->agent_names));
  g_signal_handlers_block_matched (self->agent_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   self);
  gtk_string_list_splice (self->agent_names, 0, n_old, NULL);
  for (guint i = 0; i < agents->len; i++)
    {
      AssayAgent *a = g_ptr_array_index (agents, i);

      g_ptr_array_add (self->agent_ids, g_strdup (assay_agent_get_id (a)));
      gtk_string_list_append (self->agent_names, assay_agent_get_name (a));
    }
  g_signal_handlers_unblock_matched (self->agent_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
  gtk_widget_set_sensitive (self->agent_dropdown, agents->len > 0);
  if (agents->len == 0)
    {
      g_clear_pointer (&self->agent_id, g_free);
      set_state (self, "no-agents");
      return;
    }
  if (self->agent_id == NULL)
    self->agent_id = g_strdup (g_ptr_array_index (self->agent_ids, 0));
  select_agent_row (self);
  load (self);
}

static void
load_agents (AssayAgentScorecardPage *self)
{
  g_cancellable_cancel (self->agents_cancellable);
  g_clear_object (&self->agents_cancellable);
  self->agents_cancellable = g_cancellable_new ();
  assay_store_list_agents_async (assay_context_get_store (self->context), 0,
                                 self->agents_cancellable, agents_cb, self);
}

/* ---- callbacks ---- */

static void
agent_selected_cb (AssayAgentScorecardPage *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->agent_dropdown));

  if (i >= self->agent_ids->len)
    return;
  assay_agent_scorecard_page_set_agent (self, g_ptr_array_index (self->agent_ids, i));
}

static void
reload_cb (AssayAgentScorecardPage *self)
{
  load (self);
}

static void
store_changed_cb (AssayStore              *store,
                  const char              *collection,
                  GStrv                    ids,
                  AssayAgentScorecardPage *self)
{
  if (g_str_equal (collection, ASSAY_STORE_DIRECTORY))
    load_agents (self);
  else
    load (self);
}

static void
previous_clicked_cb (AssayAgentScorecardPage *self)
{
  assay_period_picker_shift (self->period, -1);
}

static void
import_clicked_cb (AssayAgentScorecardPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "interactions");
}

static void
assay_agent_scorecard_page_map (GtkWidget *widget)
{
  AssayAgentScorecardPage *self = ASSAY_AGENT_SCORECARD_PAGE (widget);

  GTK_WIDGET_CLASS (assay_agent_scorecard_page_parent_class)->map (widget);
  if (self->dirty)
    load (self);
}

/* ---- GObject ---- */

static void
assay_agent_scorecard_page_constructed (GObject *object)
{
  AssayAgentScorecardPage *self = ASSAY_AGENT_SCORECARD_PAGE (object);
  AssayStore *store = assay_context_get_store (self->context);

  G_OBJECT_CLASS (assay_agent_scorecard_page_parent_class)->constructed (object);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_INTERACTIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_EVALUATIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_DIRECTORY,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (assay_context_get_settings (self->context), "changed::kpi-min-n",
                           G_CALLBACK (reload_cb), self, G_CONNECT_SWAPPED);
  load_agents (self);
}

static void
assay_agent_scorecard_page_dispose (GObject *object)
{
  AssayAgentScorecardPage *self = ASSAY_AGENT_SCORECARD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->agents_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->agents_cancellable);
  g_clear_pointer (&self->frame, gtk_widget_unparent);
  g_clear_pointer (&self->agent_ids, g_ptr_array_unref);
  g_clear_object (&self->agent_names);
  g_clear_pointer (&self->agent_id, g_free);
  g_clear_pointer (&self->card, assay_kpi_scorecard_free);
  g_clear_pointer (&self->evaluations, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_agent_scorecard_page_parent_class)->dispose (object);
}

static void
assay_agent_scorecard_page_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  AssayAgentScorecardPage *self = ASSAY_AGENT_SCORECARD_PAGE (object);

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
assay_agent_scorecard_page_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  AssayAgentScorecardPage *self = ASSAY_AGENT_SCORECARD_PAGE (object);

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
assay_agent_scorecard_page_class_init (AssayAgentScorecardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_agent_scorecard_page_constructed;
  object_class->dispose = assay_agent_scorecard_page_dispose;
  object_class->get_property = assay_agent_scorecard_page_get_property;
  object_class->set_property = assay_agent_scorecard_page_set_property;
  widget_class->map = assay_agent_scorecard_page_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkWidget *
status_page (const char *icon,
             const char *title,
             const char *description,
             const char *button_label,
             GCallback   clicked,
             gpointer    data)
{
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (status), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (status), description);
  if (button_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "suggested-action");
      g_signal_connect_swapped (button, "clicked", clicked, data);
      adw_status_page_set_child (ADW_STATUS_PAGE (status), button);
    }
  return status;
}

static void
assay_agent_scorecard_page_init (AssayAgentScorecardPage *self)
{
  g_autoptr(GtkExpression) expression = NULL;

  self->agent_ids = g_ptr_array_new_with_free_func (g_free);
  self->agent_names = gtk_string_list_new (NULL);
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  self->agent_dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->agent_names)),
                                            g_steal_pointer (&expression));
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (self->agent_dropdown), TRUE);
  gtk_widget_set_tooltip_text (self->agent_dropdown, _("Agent"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->agent_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Agent"), -1);
  g_signal_connect_swapped (self->agent_dropdown, "notify::selected",
                            G_CALLBACK (agent_selected_cb), self);
  self->period = ASSAY_PERIOD_PICKER (assay_period_picker_new ());
  g_signal_connect_swapped (self->period, "changed", G_CALLBACK (reload_cb), self);

  self->frame = assay_insights_page_frame (GTK_WIDGET (self), _("Agent Scorecard"),
                                           self->agent_dropdown, GTK_WIDGET (self->period),
                                           &self->stack, &self->content, &self->toasts);
  self->empty_status = status_page ("x-office-presentation-symbolic",
                                    _("No Contacts in This Period"), NULL, _("_Previous Period"),
                                    G_CALLBACK (previous_clicked_cb), self);
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty_status, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack),
                       status_page ("system-users-symbolic", _("No Agents Yet"),
                                    _("Agents appear once interactions are imported or the "
                                      "centre has synchronised."),
                                    _("_Go to Interactions"), G_CALLBACK (import_clicked_cb),
                                    self),
                       "no-agents");
  self->error_status = status_page ("dialog-warning-symbolic",
                                    _("The Figures Could Not Be Read"), NULL, _("_Try Again"),
                                    G_CALLBACK (reload_cb), self);
  gtk_stack_add_named (GTK_STACK (self->stack), self->error_status, "error");
  self->state = "loading";
}

/* ---- public ---- */

void
assay_agent_scorecard_page_set_agent (AssayAgentScorecardPage *self,
                                      const char              *agent_id)
{
  g_return_if_fail (ASSAY_IS_AGENT_SCORECARD_PAGE (self));

  if (agent_id == NULL || g_strcmp0 (self->agent_id, agent_id) == 0)
    return;
  g_free (self->agent_id);
  self->agent_id = g_strdup (agent_id);
  select_agent_row (self);
  load (self);
}

const char *
assay_agent_scorecard_page_get_agent (AssayAgentScorecardPage *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENT_SCORECARD_PAGE (self), NULL);
  return self->agent_id;
}

/* ---- private ---- */

const char *
_assay_agent_scorecard_page_get_state (AssayAgentScorecardPage *self)
{
  return self->state;
}

AssayPeriodPicker *
_assay_agent_scorecard_page_get_period (AssayAgentScorecardPage *self)
{
  return self->period;
}

AssayChart *
_assay_agent_scorecard_page_get_trend (AssayAgentScorecardPage *self)
{
  return self->trend ? ASSAY_CHART (self->trend) : NULL;
}

guint
_assay_agent_scorecard_page_get_n_evaluations (AssayAgentScorecardPage *self)
{
  return self->n_evaluations;
}

char *
_assay_agent_scorecard_page_get_figure_text (AssayAgentScorecardPage *self,
                                             int                      line)
{
  if (self->card == NULL || line < 0 || line >= ASSAY_KPI_N_LINES)
    return NULL;
  return assay_insights_figure_text (line, &self->card->figures[line]);
}
