/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-dashboard-page-private.h"
#include "assay-insights-common.h"
#include "assay-root-cause-dialog.h"
#include "assay-agent-scorecard-page.h"
#include "assay-targets-dialog.h"
#include "assay-ui-util.h"
#include "assay-window.h"
#include "core/assay-directory.h"
#include "store/assay-store-directory.h"
#include "store/assay-store-insights.h"

struct _AssayDashboardPage
{
  GtkWidget           parent_instance;

  AssayContext       *context;
  GCancellable       *cancellable;
  GCancellable       *teams_cancellable;

  GtkWidget          *toolbar;
  GtkWidget          *team_dropdown;
  GtkStringList      *team_names;
  GPtrArray          *team_ids;          /* index 0: NULL, the centre */
  AssayPeriodPicker  *period;
  GtkWidget          *stack;
  GtkWidget          *empty_status;
  GtkWidget          *error_status;
  GtkWidget          *content;
  AdwToastOverlay    *toasts;
  GHashTable         *charts;            /* name → AssayChart, the ones shown */
  GtkWidget          *targets_button;
  GtkWidget          *trend_dropdown;    /* in the content, rebuilt with it */
  guint               trend_pick;

  const char         *state;
  gboolean            loaded_once;
  gboolean            dirty;
  guint               pending;
  GError             *error;
  AssayKpiScorecard  *card;
  AssayKpiBreakdown  *breakdown;
  GPtrArray          *causes;
};

G_DEFINE_FINAL_TYPE (AssayDashboardPage, assay_dashboard_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* the lines the trend offers, in this order */
static const AssayKpiLine trend_lines[] = {
  ASSAY_KPI_LINE_QA_SCORE, ASSAY_KPI_LINE_CSAT, ASSAY_KPI_LINE_NPS, ASSAY_KPI_LINE_FCR,
  ASSAY_KPI_LINE_SERVICE_LEVEL, ASSAY_KPI_LINE_AHT_PHONE, ASSAY_KPI_LINE_CRITICAL_FAIL_RATE,
};

static void load (AssayDashboardPage *self);

static gint64
min_n (AssayDashboardPage *self)
{
  return g_settings_get_uint (assay_context_get_settings (self->context), "kpi-min-n");
}

static const char *
team_id (AssayDashboardPage *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->team_dropdown));

  return self->team_ids != NULL && i < self->team_ids->len ? g_ptr_array_index (self->team_ids, i)
                                                           : NULL;
}

static void
set_state (AssayDashboardPage *self,
           const char         *state)
{
  self->state = state;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), state);
}

static void
remember_chart (AssayDashboardPage *self,
                const char         *name,
                GtkWidget          *chart)
{
  g_hash_table_replace (self->charts, (gpointer) name, chart);
}

/* ---- the trend ---- */

static void
update_trend (AssayDashboardPage *self)
{
  AssayChart *chart = g_hash_table_lookup (self->charts, "trend");
  AssayKpiLine line = trend_lines[MIN (self->trend_pick, G_N_ELEMENTS (trend_lines) - 1)];

  if (chart == NULL)
    return;
  assay_insights_trend_update (chart, self->card, line);
}

static void
trend_selected_cb (AssayDashboardPage *self)
{
  self->trend_pick = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->trend_dropdown));
  if (self->card != NULL)
    update_trend (self);
}

/* ---- building the page ---- */

static GtkWidget *
trend_section (AssayDashboardPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *chart = assay_chart_new (ASSAY_CHART_LINE);

  for (guint i = 0; i < G_N_ELEMENTS (trend_lines); i++)
    gtk_string_list_append (names, assay_insights_line_title (trend_lines[i]));
  self->trend_dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->trend_dropdown),
                              MIN (self->trend_pick, G_N_ELEMENTS (trend_lines) - 1));
  gtk_widget_set_halign (self->trend_dropdown, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->trend_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Figure of the trend"), -1);
  g_signal_connect_swapped (self->trend_dropdown, "notify::selected",
                            G_CALLBACK (trend_selected_cb), self);
  gtk_box_append (GTK_BOX (box), self->trend_dropdown);
  gtk_box_append (GTK_BOX (box), chart);
  remember_chart (self, "trend", chart);
  update_trend (self);
  return assay_insights_section (_("Trend"), box,
                                 _("Weeks run Monday to Sunday; a week with too few values to "
                                   "judge is left out of the line. The dashed line is the "
                                   "target."));
}

/* an agent of the chart opened: their scorecard, for the same period */
static void
agent_activated_cb (AssayChart         *chart,
                    guint               index,
                    AssayDashboardPage *self)
{
  const AssayKpiAgentSums *a;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *page;

  if (self->breakdown == NULL || index >= self->breakdown->agents->len || !ASSAY_IS_WINDOW (root))
    return;
  a = g_ptr_array_index (self->breakdown->agents, index);
  assay_window_show_page (ASSAY_WINDOW (root), "agent-scorecard");
  page = assay_window_peek_page_widget (ASSAY_WINDOW (root), "agent-scorecard");
  if (ASSAY_IS_AGENT_SCORECARD_PAGE (page))
    assay_agent_scorecard_page_set_agent (ASSAY_AGENT_SCORECARD_PAGE (page), a->id);
}

static GtkWidget *
agents_section (AssayDashboardPage *self)
{
  GPtrArray *agents = self->breakdown->agents;
  GtkWidget *chart = assay_chart_new (ASSAY_CHART_INTERVALS);
  g_autofree double *values = g_new (double, MAX (agents->len, 1));
  g_autofree double *lo = g_new (double, MAX (agents->len, 1));
  g_autofree double *hi = g_new (double, MAX (agents->len, 1));
  g_autofree double *mean = g_new (double, MAX (agents->len, 1));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  const AssayKpiFigure *subject = &self->card->figures[ASSAY_KPI_LINE_QA_SCORE];
  gint64 need = self->card->min_n;

  for (guint i = 0; i < agents->len; i++)
    {
      const AssayKpiAgentSums *a = g_ptr_array_index (agents, i);
      AssayKpiEstimate e = assay_kpi_sums_estimate (&a->sums, ASSAY_KPI_LINE_QA_SCORE);
      gboolean enough = e.known && e.n >= need;

      values[i] = enough ? e.value : NAN;
      lo[i] = enough && e.has_ci ? e.ci_lo : NAN;
      hi[i] = enough && e.has_ci ? e.ci_hi : NAN;
      mean[i] = subject->estimate.known ? subject->estimate.value : NAN;
      g_ptr_array_add (labels, enough ? g_strdup (a->name)
                                      /* Translators: an agent in a chart with too few
                                       * evaluations; %s is the name */
                                      : g_strdup_printf (_("%s (too few)"), a->name));
    }
  assay_chart_set_title (ASSAY_CHART (chart), _("QA score by agent"));
  assay_chart_set_unit (ASSAY_CHART (chart), ASSAY_CHART_UNIT_PERCENT);
  assay_chart_set_data (ASSAY_CHART (chart), agents->len, (const char * const *) labels->pdata,
                        values, lo, hi);
  assay_chart_set_comparison (ASSAY_CHART (chart), mean,
                              self->card->scope == ASSAY_KPI_SCOPE_TEAM ? _("team") : _("centre"));
  assay_chart_set_target (ASSAY_CHART (chart), subject->has_target ? subject->target : NAN);
  g_signal_connect (chart, "activated", G_CALLBACK (agent_activated_cb), self);
  remember_chart (self, "agents", chart);
  return assay_insights_section (_("Agents side by side"), chart,
                                 /* xgettext:no-c-format */
                                 _("Each dot is an agent's mean QA score, the band its 95 % "
                                   "interval, the grey line the mean of all. Agents are listed "
                                   "by name, not ranked: where bands overlap, the data cannot "
                                   "tell them apart. Double-click an agent, or press Enter, for "
                                   "their scorecard."));
}

static GtkWidget *
distribution_section (AssayDashboardPage *self)
{
  GtkWidget *chart = assay_chart_new (ASSAY_CHART_HISTOGRAM);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  double values[ASSAY_KPI_SCORE_BINS];

  for (guint i = 0; i < ASSAY_KPI_SCORE_BINS; i++)
    {
      values[i] = (double) self->breakdown->score_bins[i];
      g_ptr_array_add (labels, i + 1 < ASSAY_KPI_SCORE_BINS
                               ? g_strdup_printf ("%u–%u", i * 10, i * 10 + 10)
                               : g_strdup ("> 100"));
    }
  assay_chart_set_title (ASSAY_CHART (chart), _("Evaluations by score"));
  assay_chart_set_data (ASSAY_CHART (chart), ASSAY_KPI_SCORE_BINS,
                        (const char * const *) labels->pdata, values, NULL, NULL);
  remember_chart (self, "distribution", chart);
  return assay_insights_section (_("Score distribution"), chart,
                                 _("Submitted evaluations of the period's contacts by score, "
                                   "in steps of 10 points; a bonus can take a score over 100."));
}

static GtkWidget *
causes_section (AssayDashboardPage *self)
{
  GtkWidget *chart;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *values = NULL;
  guint n = 0;

  if (self->causes != NULL)
    for (guint i = 0; i < self->causes->len; i++)
      if (((AssayKpiRootCause *) g_ptr_array_index (self->causes, i))->n_tags > 0)
        n++;
  if (n == 0)
    return assay_insights_section (_("Where points are lost"), NULL,
                                   _("No root causes are tagged for this period yet. Tag the "
                                     "evaluations with low scores (people, process, technology, "
                                     "resources, environment) to see which causes lose the "
                                     "most points."));
  chart = assay_chart_new (ASSAY_CHART_PARETO);
  values = g_new (double, n);
  n = 0;
  for (guint i = 0; i < self->causes->len; i++)
    {
      const AssayKpiRootCause *c = g_ptr_array_index (self->causes, i);

      if (c->n_tags == 0)
        continue;
      values[n++] = c->lost_points > 0 ? c->lost_points : (double) c->n_tags;
      g_ptr_array_add (labels, c->sub_cause && *c->sub_cause
                               ? g_strdup_printf ("%s: %s",
                                                  assay_insights_category_title (c->category),
                                                  c->sub_cause)
                               : g_strdup (assay_insights_category_title (c->category)));
    }
  assay_chart_set_title (ASSAY_CHART (chart), _("Lost points by root cause"));
  assay_chart_set_data (ASSAY_CHART (chart), n, (const char * const *) labels->pdata, values,
                        NULL, NULL);
  remember_chart (self, "causes", chart);
  return assay_insights_section (_("Where points are lost"), chart,
                                 _("Points lost (100 − score) on the tagged evaluations, largest "
                                   "first; the line is the cumulative share."));
}

static GtkWidget *
grid_cell (GtkWidget  *grid,
           int         col,
           int         row,
           const char *text,
           gboolean    numeric,
           gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (heading)
    {
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
    }
  gtk_grid_attach (GTK_GRID (grid), label, col, row, 1, 1);
  return label;
}

static GtkWidget *
new_table (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  return grid;
}

static GtkWidget *
channels_section (AssayDashboardPage *self)
{
  GtkWidget *grid = new_table ();
  gint64 need = self->card->min_n;
  int row = 1;

  grid_cell (grid, 0, 0, _("Channel"), FALSE, TRUE);
  grid_cell (grid, 1, 0, _("Contacts"), TRUE, TRUE);
  grid_cell (grid, 2, 0, _("AHT"), TRUE, TRUE);
  grid_cell (grid, 3, 0, _("CSAT"), TRUE, TRUE);
  grid_cell (grid, 4, 0, _("FCR"), TRUE, TRUE);
  grid_cell (grid, 5, 0, _("QA score"), TRUE, TRUE);
  for (guint c = 0; c < ASSAY_KPI_N_CHANNELS; c++)
    {
      const AssayKpiSums *s = &self->breakdown->channels[c];
      AssayKpiLine lines[] = { ASSAY_KPI_LINE_AHT_PHONE + c, ASSAY_KPI_LINE_CSAT,
                               ASSAY_KPI_LINE_FCR, ASSAY_KPI_LINE_QA_SCORE };
      g_autofree char *contacts = g_strdup_printf ("%" G_GINT64_FORMAT, s->contacts);

      if (s->contacts == 0 && s->evals == 0)
        continue;
      grid_cell (grid, 0, row, assay_ui_channel_label (assay_kpi_channel_name (c)), FALSE, FALSE);
      grid_cell (grid, 1, row, contacts, TRUE, FALSE);
      for (guint k = 0; k < G_N_ELEMENTS (lines); k++)
        {
          AssayKpiEstimate e = assay_kpi_sums_estimate (s, lines[k]);
          g_autofree char *text = !e.known ? g_strdup ("—")
                                  : e.n < need ? g_strdup (_("too few"))
                                  : assay_insights_format (lines[k], e.value);

          grid_cell (grid, 2 + (int) k, row, text, TRUE, FALSE);
        }
      row++;
    }
  return assay_insights_section (_("Channels"), grid, NULL);
}

static GtkWidget *
inspectors_section (AssayDashboardPage *self)
{
  GtkWidget *grid = new_table ();
  const AssayKpiFigure *all = &self->card->figures[ASSAY_KPI_LINE_QA_SCORE];
  gint64 need = self->card->min_n;
  int row = 1;

  if (self->breakdown->inspectors->len == 0)
    return assay_insights_section (_("Inspectors"), NULL,
                                   _("No evaluations of this period's contacts yet."));
  grid_cell (grid, 0, 0, _("Inspector"), FALSE, TRUE);
  grid_cell (grid, 1, 0, _("Evaluations"), TRUE, TRUE);
  grid_cell (grid, 2, 0, _("Mean score"), TRUE, TRUE);
  grid_cell (grid, 3, 0, _("Against the mean"), TRUE, TRUE);
  grid_cell (grid, 4, 0, _("Review time"), TRUE, TRUE);
  for (guint i = 0; i < self->breakdown->inspectors->len; i++)
    {
      const AssayKpiInspectorFigures *f = g_ptr_array_index (self->breakdown->inspectors, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, f->evaluations);
      g_autofree char *mean_text = NULL;
      g_autofree char *diff_text = NULL;
      g_autofree char *review = NULL;
      double mean = f->scored > 0 ? f->score_sum / f->scored : NAN;
      gint64 per = f->evaluations > 0 ? f->review_s / f->evaluations : 0;

      mean_text = f->scored < need ? g_strdup (_("too few"))
                                   : assay_insights_format (ASSAY_KPI_LINE_QA_SCORE, mean);
      if (f->scored >= need && all->estimate.known)
        {
          double d = mean - all->estimate.value;

          /* Translators: an inspector's mean against everyone's, in points; %+.1f is signed */
          diff_text = g_strdup_printf (fabs (d) < 5 ? _("%+.1f, in line")
                                       : d < 0 ? _("%+.1f, harsher") : _("%+.1f, more lenient"),
                                       d);
        }
      review = g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", per / 60, (int) (per % 60));
      grid_cell (grid, 0, row, f->name, FALSE, FALSE);
      grid_cell (grid, 1, row, count, TRUE, FALSE);
      grid_cell (grid, 2, row, mean_text, TRUE, FALSE);
      grid_cell (grid, 3, row, diff_text ? diff_text : "—", TRUE, FALSE);
      grid_cell (grid, 4, row, review, TRUE, FALSE);
      row++;
    }
  return assay_insights_section (_("Inspectors"), grid,
                                 _("Evaluations of the period's contacts by inspector; the mean "
                                   "score against the mean of all shows who scores harder or "
                                   "softer (more than 5 points apart). Review time is the mean "
                                   "active time per evaluation."));
}

static void
line_activated (AssayKpiLine line,
                gpointer     user_data)
{
  AssayDashboardPage *self = user_data;
  AssayKpiQuery q = { self->card->scope, team_id (self), self->card->from_day,
                      self->card->to_day, self->card->min_n };

  assay_insights_show_evaluations (GTK_WIDGET (self), self->context, &q,
                                   assay_insights_line_title (line));
}

/* ---- figures off target: their root causes ---- */

static void
breach_saved_cb (AssayDashboardPage *self)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (_("Root causes saved")));
  load (self);
}

GtkWidget *
_assay_dashboard_page_tag_breach (AssayDashboardPage *self,
                                  AssayKpiLine        line)
{
  const AssayKpiFigure *f;
  AssayRootCauseDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *team = NULL;
  g_autofree char *subject = NULL;

  if (self->card == NULL || (guint) line >= ASSAY_KPI_N_LINES)
    return NULL;
  f = &self->card->figures[line];
  if (f->status != ASSAY_KPI_STATUS_BREACH && f->status != ASSAY_KPI_STATUS_WARNING)
    return NULL;
  if (self->card->scope == ASSAY_KPI_SCOPE_TEAM)
    team = team_id (self);
  /* Translators: what the root causes are for: a KPI · its status */
  subject = g_strdup_printf (_("%s · %s"), assay_insights_line_title (line),
                             assay_insights_status_text (f->status));
  dialog = assay_root_cause_dialog_new (self->context, ASSAY_KPI_TAG_KPI_BREACH,
                                        team != NULL ? team : "centre", line,
                                        self->card->from_day, self->card->to_day, subject);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (breach_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

static void
breach_clicked_cb (GtkWidget          *button,
                   AssayDashboardPage *self)
{
  _assay_dashboard_page_tag_breach (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button),
                                                                             "line")));
}

static GtkWidget *
off_target_section (AssayDashboardPage *self)
{
  GtkWidget *list = gtk_list_box_new ();
  guint n = 0;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      const AssayKpiFigure *f = &self->card->figures[line];
      GtkWidget *row, *button, *label;
      g_autofree char *value = NULL;
      g_autofree char *target = NULL;
      g_autofree char *subtitle = NULL;

      if (f->status != ASSAY_KPI_STATUS_BREACH && f->status != ASSAY_KPI_STATUS_WARNING)
        continue;
      value = assay_insights_format (line, f->estimate.value);
      target = assay_insights_format (line, f->target);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), assay_insights_line_title (line));
      /* Translators: a figure off target: its value against the target */
      subtitle = g_strdup_printf (_("%s against a target of %s"), value, target);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      label = gtk_label_new (assay_insights_status_text (f->status));
      gtk_widget_add_css_class (label, assay_insights_status_class (f->status));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      button = gtk_button_new_with_label (_("Root Causes…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "line", GINT_TO_POINTER (line));
      g_signal_connect (button, "clicked", G_CALLBACK (breach_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      n++;
    }
  if (n == 0)
    {
      g_object_ref_sink (list);
      g_object_unref (list);
      return assay_insights_section (_("Off target"), NULL,
                                     _("Every figure with a target is on target, or has too few "
                                       "values to judge."));
    }
  return assay_insights_section (_("Off target"), list,
                                 _("Figures in breach or warning. Tag why with root causes; "
                                   "they count in the Pareto below."));
}

static void
build (AssayDashboardPage *self)
{
  GtkWidget *child;
  GtkWidget *grid;
  gboolean team = self->card->scope == ASSAY_KPI_SCOPE_TEAM;

  g_hash_table_remove_all (self->charts);
  while ((child = gtk_widget_get_first_child (self->content)) != NULL)
    gtk_box_remove (GTK_BOX (self->content), child);

  grid = assay_insights_figure_grid (self->card->figures,
                                     team ? self->card->centre : NULL, _("Centre"), NULL, NULL);
  assay_insights_figure_grid_connect (grid, line_activated, self);
  gtk_box_append (GTK_BOX (self->content),
                  assay_insights_section (_("Against target"), grid,
                                          _("Open a figure to see the evaluations behind it. "
                                            "Below the minimum number of values (Preferences) "
                                            "a figure says “too few to judge”.")));
  gtk_box_append (GTK_BOX (self->content), off_target_section (self));
  gtk_box_append (GTK_BOX (self->content), trend_section (self));
  gtk_box_append (GTK_BOX (self->content), agents_section (self));
  gtk_box_append (GTK_BOX (self->content), distribution_section (self));
  gtk_box_append (GTK_BOX (self->content), causes_section (self));
  gtk_box_append (GTK_BOX (self->content), channels_section (self));
  gtk_box_append (GTK_BOX (self->content), inspectors_section (self));
}

static void
finish_load (AssayDashboardPage *self)
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
      set_state (self, "empty");
      return;
    }
  build (self);
  set_state (self, "ready");
}

static void
keep_error (AssayDashboardPage *self,
            GError            **error)
{
  if (self->error == NULL)
    self->error = g_steal_pointer (error);
}

static void
scorecard_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayKpiScorecard *card = assay_store_kpi_scorecard_finish (ASSAY_STORE (source), result, &error);
  AssayDashboardPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  g_clear_pointer (&self->card, assay_kpi_scorecard_free);
  self->card = card;
  if (card == NULL)
    keep_error (self, &error);
  finish_load (self);
}

static void
breakdown_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayKpiBreakdown *b = assay_store_kpi_breakdown_finish (ASSAY_STORE (source), result, &error);
  AssayDashboardPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  g_clear_pointer (&self->breakdown, assay_kpi_breakdown_free);
  self->breakdown = b;
  if (b == NULL)
    keep_error (self, &error);
  finish_load (self);
}

static void
pareto_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *causes = assay_store_kpi_root_cause_pareto_finish (ASSAY_STORE (source), result,
                                                                &error);
  AssayDashboardPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  g_clear_pointer (&self->causes, g_ptr_array_unref);
  self->causes = causes;
  if (causes == NULL)
    keep_error (self, &error);
  finish_load (self);
}

static void
load (AssayDashboardPage *self)
{
  AssayStore *store = assay_context_get_store (self->context);
  const char *team = team_id (self);
  AssayKpiQuery q = {
    team != NULL ? ASSAY_KPI_SCOPE_TEAM : ASSAY_KPI_SCOPE_CENTRE, team,
    assay_period_picker_get_from_day (self->period), assay_period_picker_get_to_day (self->period),
    min_n (self),
  };

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
  self->pending = 3;
  self->state = "loading";
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "ready") != 0)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  assay_store_kpi_scorecard_async (store, &q, self->cancellable, scorecard_cb, self);
  assay_store_kpi_breakdown_async (store, &q, self->cancellable, breakdown_cb, self);
  assay_store_kpi_root_cause_pareto_async (store, q.from_day, q.to_day, team, self->cancellable,
                                           pareto_cb, self);
}

/* ---- teams ---- */

static void
teams_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) teams = assay_store_list_teams_finish (ASSAY_STORE (source), result, &error);
  AssayDashboardPage *self;
  g_autofree char *keep = NULL;
  guint select = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  keep = g_strdup (team_id (self));
  g_ptr_array_set_size (self->team_ids, 1);
  gtk_string_list_splice (self->team_names, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->team_names)) - 1, NULL);
  for (guint i = 0; teams != NULL && i < teams->len; i++)
    {
      AssayTeam *t = g_ptr_array_index (teams, i);

      if (assay_team_get_id (t) == NULL)
        continue;
      g_ptr_array_add (self->team_ids, g_strdup (assay_team_get_id (t)));
      gtk_string_list_append (self->team_names, assay_team_get_name (t));
      if (g_strcmp0 (keep, assay_team_get_id (t)) == 0)
        select = self->team_ids->len - 1;
    }
  g_signal_handlers_block_matched (self->team_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   self);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->team_dropdown), select);
  g_signal_handlers_unblock_matched (self->team_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
  load (self);
}

static void
load_teams (AssayDashboardPage *self)
{
  g_cancellable_cancel (self->teams_cancellable);
  g_clear_object (&self->teams_cancellable);
  self->teams_cancellable = g_cancellable_new ();
  assay_store_list_teams_async (assay_context_get_store (self->context), self->teams_cancellable,
                                teams_cb, self);
}

/* ---- callbacks ---- */

static void
period_changed_cb (AssayDashboardPage *self)
{
  load (self);
}

static void
team_selected_cb (AssayDashboardPage *self)
{
  load (self);
}

static void
store_changed_cb (AssayStore         *store,
                  const char         *collection,
                  GStrv               ids,
                  AssayDashboardPage *self)
{
  if (g_str_equal (collection, ASSAY_STORE_DIRECTORY))
    load_teams (self);
  else
    load (self);
}

static void
targets_saved_cb (AssayDashboardPage *self)
{
  load (self);
}

static void
targets_clicked_cb (AssayDashboardPage *self)
{
  AssayTargetsDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->team_dropdown));
  const char *scope = gtk_string_list_get_string (self->team_names, i);

  dialog = assay_targets_dialog_new (self->context, team_id (self), scope,
                                     self->card != NULL ? self->card->figures : NULL,
                                     assay_period_picker_get_from_day (self->period));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (targets_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* targets are the manager's to set (ROLES.md) */
static void
roles_changed_cb (AssayDashboardPage *self)
{
  gtk_widget_set_visible (self->targets_button,
                          assay_context_has_role (self->context, ASSAY_ROLE_MANAGER));
}

static void
previous_clicked_cb (AssayDashboardPage *self)
{
  assay_period_picker_shift (self->period, -1);
}

static void
retry_clicked_cb (AssayDashboardPage *self)
{
  load (self);
}

static void
assay_dashboard_page_map (GtkWidget *widget)
{
  AssayDashboardPage *self = ASSAY_DASHBOARD_PAGE (widget);

  GTK_WIDGET_CLASS (assay_dashboard_page_parent_class)->map (widget);
  if (self->dirty)
    load (self);
}

/* ---- GObject ---- */

static void
assay_dashboard_page_constructed (GObject *object)
{
  AssayDashboardPage *self = ASSAY_DASHBOARD_PAGE (object);
  AssayStore *store = assay_context_get_store (self->context);

  G_OBJECT_CLASS (assay_dashboard_page_parent_class)->constructed (object);

  g_signal_connect_object (store, "changed::" ASSAY_STORE_INTERACTIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_EVALUATIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_DIRECTORY,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (assay_context_get_settings (self->context), "changed::kpi-min-n",
                           G_CALLBACK (period_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::roles", G_CALLBACK (roles_changed_cb), self,
                           G_CONNECT_SWAPPED);
  roles_changed_cb (self);
  load_teams (self);
}

static void
assay_dashboard_page_dispose (GObject *object)
{
  AssayDashboardPage *self = ASSAY_DASHBOARD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->teams_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->teams_cancellable);
  g_clear_pointer (&self->toolbar, gtk_widget_unparent);
  g_clear_pointer (&self->charts, g_hash_table_unref);
  g_clear_pointer (&self->team_ids, g_ptr_array_unref);
  g_clear_object (&self->team_names);
  g_clear_pointer (&self->card, assay_kpi_scorecard_free);
  g_clear_pointer (&self->breakdown, assay_kpi_breakdown_free);
  g_clear_pointer (&self->causes, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_dashboard_page_parent_class)->dispose (object);
}

static void
assay_dashboard_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AssayDashboardPage *self = ASSAY_DASHBOARD_PAGE (object);

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
assay_dashboard_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AssayDashboardPage *self = ASSAY_DASHBOARD_PAGE (object);

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
assay_dashboard_page_class_init (AssayDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_dashboard_page_constructed;
  object_class->dispose = assay_dashboard_page_dispose;
  object_class->get_property = assay_dashboard_page_get_property;
  object_class->set_property = assay_dashboard_page_set_property;
  widget_class->map = assay_dashboard_page_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_dashboard_page_init (AssayDashboardPage *self)
{
  GtkWidget *button;
  GtkWidget *end;

  self->charts = g_hash_table_new (g_str_hash, g_str_equal);
  self->team_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->team_ids, NULL);
  self->team_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->team_names, _("Whole centre"));
  self->team_dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->team_names)), NULL);
  gtk_widget_set_tooltip_text (self->team_dropdown, _("Team or whole centre"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->team_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Team or whole centre"), -1);
  g_signal_connect_swapped (self->team_dropdown, "notify::selected",
                            G_CALLBACK (team_selected_cb), self);
  self->period = ASSAY_PERIOD_PICKER (assay_period_picker_new ());
  g_signal_connect_swapped (self->period, "changed", G_CALLBACK (period_changed_cb), self);

  end = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->targets_button = gtk_button_new_with_mnemonic (_("_Targets…"));
  gtk_widget_set_tooltip_text (self->targets_button,
                               _("Set the target and warning value of each figure"));
  g_signal_connect_swapped (self->targets_button, "clicked", G_CALLBACK (targets_clicked_cb),
                            self);
  gtk_box_append (GTK_BOX (end), self->targets_button);
  gtk_box_append (GTK_BOX (end), GTK_WIDGET (self->period));
  self->toolbar = assay_insights_page_frame (GTK_WIDGET (self), _("Dashboard"),
                                             self->team_dropdown, end,
                                             &self->stack, &self->content, &self->toasts);

  self->empty_status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty_status), "x-office-presentation-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_status), _("No Contacts in This Period"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_status),
                                   _("Nothing was handled or evaluated in this period. Look at "
                                     "an earlier period, or import interactions."));
  button = gtk_button_new_with_mnemonic (_("_Previous Period"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (previous_clicked_cb), self);
  adw_status_page_set_child (ADW_STATUS_PAGE (self->empty_status), button);
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty_status, "empty");

  self->error_status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->error_status), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->error_status), _("The Figures Could Not Be Read"));
  button = gtk_button_new_with_mnemonic (_("_Try Again"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (retry_clicked_cb), self);
  adw_status_page_set_child (ADW_STATUS_PAGE (self->error_status), button);
  gtk_stack_add_named (GTK_STACK (self->stack), self->error_status, "error");
  self->state = "loading";
}

/* ---- private ---- */

const char *
_assay_dashboard_page_get_state (AssayDashboardPage *self)
{
  return self->state;
}

AssayPeriodPicker *
_assay_dashboard_page_get_period (AssayDashboardPage *self)
{
  return self->period;
}

const char *
_assay_dashboard_page_select_team (AssayDashboardPage *self,
                                   guint               index)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->team_dropdown), index);
  return team_id (self);
}

GtkWidget *
_assay_dashboard_page_open_targets (AssayDashboardPage *self)
{
  GList *before = gtk_window_list_toplevels ();
  GList *after;
  GtkWidget *found = NULL;

  targets_clicked_cb (self);
  after = gtk_window_list_toplevels ();
  for (GList *l = after; l != NULL; l = l->next)
    if (ASSAY_IS_TARGETS_DIALOG (l->data) && g_list_find (before, l->data) == NULL)
      found = l->data;
  g_list_free (before);
  g_list_free (after);
  return found;
}

AssayChart *
_assay_dashboard_page_get_chart (AssayDashboardPage *self,
                                 const char         *name)
{
  return g_hash_table_lookup (self->charts, name);
}
