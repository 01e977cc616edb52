/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-insights-common.h"
#include "assay-context.h"
#include "assay-ui-util.h"
#include "store/assay-store-insights.h"

const char *
assay_insights_line_title (AssayKpiLine line)
{
  switch (line)
    {
    case ASSAY_KPI_LINE_QA_SCORE: return _("QA score");
    case ASSAY_KPI_LINE_SCORE_WITHOUT_FATAL: return _("Score without fatal");
    case ASSAY_KPI_LINE_CRITICAL_SCORE: return _("Critical score");
    case ASSAY_KPI_LINE_CRITICAL_FAIL_RATE: return _("Critical-fail rate");
    case ASSAY_KPI_LINE_CSAT: return _("CSAT");
    case ASSAY_KPI_LINE_NPS: return _("NPS");
    case ASSAY_KPI_LINE_FCR: return _("FCR");
    case ASSAY_KPI_LINE_AHT_PHONE: return _("AHT, phone");
    case ASSAY_KPI_LINE_AHT_CHAT: return _("AHT, chat");
    case ASSAY_KPI_LINE_AHT_EMAIL: return _("AHT, email");
    case ASSAY_KPI_LINE_AHT_TICKET: return _("AHT, ticket");
    case ASSAY_KPI_LINE_SERVICE_LEVEL: return _("Service level");
    case ASSAY_KPI_LINE_FIRST_RESPONSE: return _("First response time");
    case ASSAY_KPI_LINE_SLA_ATTAINMENT: return _("SLA attainment");
    case ASSAY_KPI_N_LINES:
    default: return "";
    }
}

const char *
assay_insights_line_definition (AssayKpiLine line)
{
  switch (line)
    {
    case ASSAY_KPI_LINE_QA_SCORE:
      return _("Mean score of the submitted evaluations of contacts in the period");
    case ASSAY_KPI_LINE_SCORE_WITHOUT_FATAL:
      return _("The same mean as if no fatal item had failed");
    case ASSAY_KPI_LINE_CRITICAL_SCORE:
      return _("Mean share of critical items passed");
    case ASSAY_KPI_LINE_CRITICAL_FAIL_RATE:
      return _("Share of evaluations with a failed fatal item; lower is better");
    case ASSAY_KPI_LINE_CSAT:
      return _("Share of survey answers 4 or 5 on the 5-point scale");
    case ASSAY_KPI_LINE_NPS:
      return _("Promoters (9–10) minus detractors (0–6), in points from −100 to 100");
    case ASSAY_KPI_LINE_FCR:
      return _("Share of contacts resolved at first contact, of those whose outcome is known");
    case ASSAY_KPI_LINE_AHT_PHONE:
    case ASSAY_KPI_LINE_AHT_CHAT:
    case ASSAY_KPI_LINE_AHT_EMAIL:
    case ASSAY_KPI_LINE_AHT_TICKET:
      return _("Mean talk, hold and wrap time of handled contacts; lower is better");
    case ASSAY_KPI_LINE_SERVICE_LEVEL:
      return _("Share of offered contacts answered within the queue's threshold");
    case ASSAY_KPI_LINE_FIRST_RESPONSE:
      return _("Mean time to the first agent reply on chat, email and tickets; lower is better");
    case ASSAY_KPI_LINE_SLA_ATTAINMENT:
      return _("Share of contacts with a priority target that met every target");
    case ASSAY_KPI_N_LINES:
    default:
      return "";
    }
}

AssayChartUnit
assay_insights_line_unit (AssayKpiLine line)
{
  switch (line)
    {
    case ASSAY_KPI_LINE_NPS:
      return ASSAY_CHART_UNIT_NUMBER;
    case ASSAY_KPI_LINE_AHT_PHONE:
    case ASSAY_KPI_LINE_AHT_CHAT:
    case ASSAY_KPI_LINE_AHT_EMAIL:
    case ASSAY_KPI_LINE_AHT_TICKET:
    case ASSAY_KPI_LINE_FIRST_RESPONSE:
      return ASSAY_CHART_UNIT_SECONDS;
    default:
      return ASSAY_CHART_UNIT_PERCENT;
    }
}

char *
assay_insights_format (AssayKpiLine line,
                       double       value)
{
  if (!isfinite (value))
    return g_strdup ("—");
  switch (assay_insights_line_unit (line))
    {
    case ASSAY_CHART_UNIT_NUMBER:
      return g_strdup_printf ("%+.0f", value);
    case ASSAY_CHART_UNIT_SECONDS:
      {
        gint64 s = (gint64) llround (value);

        if (s >= 3600)
          return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60),
                                  (int) (s % 60));
        return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", s / 60, (int) (s % 60));
      }
    case ASSAY_CHART_UNIT_PERCENT:
    default:
      /* Translators: a KPI in percent; keep %.1f and the escaped %% */
      return g_strdup_printf (_("%.1f %%"), value);
    }
}

char *
assay_insights_figure_text (AssayKpiLine          line,
                            const AssayKpiFigure *figure)
{
  if (figure->status == ASSAY_KPI_STATUS_NO_DATA || !figure->estimate.known)
    return g_strdup (_("no data"));
  if (figure->status == ASSAY_KPI_STATUS_TOO_FEW)
    return g_strdup (_("too few to judge"));
  return assay_insights_format (line, figure->estimate.value);
}

const char *
assay_insights_status_text (AssayKpiStatus status)
{
  switch (status)
    {
    case ASSAY_KPI_STATUS_NO_DATA: return C_("KPI status", "No data");
    case ASSAY_KPI_STATUS_TOO_FEW: return C_("KPI status", "Too few to judge");
    case ASSAY_KPI_STATUS_NO_TARGET: return C_("KPI status", "No target");
    case ASSAY_KPI_STATUS_ON_TARGET: return C_("KPI status", "On target");
    case ASSAY_KPI_STATUS_WARNING: return C_("KPI status", "Warning");
    case ASSAY_KPI_STATUS_BREACH: return C_("KPI status", "Breach");
    default: return "";
    }
}

const char *
assay_insights_status_class (AssayKpiStatus status)
{
  switch (status)
    {
    case ASSAY_KPI_STATUS_ON_TARGET: return "kpi-on-target";
    case ASSAY_KPI_STATUS_WARNING: return "kpi-warning";
    case ASSAY_KPI_STATUS_BREACH: return "kpi-breach";
    default: return NULL;
    }
}

static GtkWidget *
cell (const char *text,
      gboolean    numeric,
      gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static GtkWidget *
header_cell (const char *text,
             gboolean    numeric)
{
  GtkWidget *label = cell (text, numeric, TRUE);

  gtk_widget_add_css_class (label, "caption-heading");
  return label;
}

static char *
interval_text (AssayKpiLine          line,
               const AssayKpiFigure *f)
{
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;

  if (!f->estimate.known || !f->estimate.has_ci || f->status == ASSAY_KPI_STATUS_TOO_FEW)
    return g_strdup ("");
  lo = assay_insights_format (line, f->estimate.ci_lo);
  hi = assay_insights_format (line, f->estimate.ci_hi);
  return g_strdup_printf ("%s – %s", lo, hi);
}

static void
line_clicked_cb (GtkButton *button,
                 GtkWidget *grid)
{
  AssayInsightsLineFunc func = g_object_get_data (G_OBJECT (grid), "line-func");

  if (func != NULL)
    func (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "line")),
          g_object_get_data (G_OBJECT (grid), "line-data"));
}

GtkWidget *
assay_insights_figure_grid (const AssayKpiFigure *figures,
                            const AssayKpiFigure *compare1,
                            const char           *compare1_title,
                            const AssayKpiFigure *compare2,
                            const char           *compare2_title)
{
  GtkWidget *grid = gtk_grid_new ();
  int col = 0;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_widget_add_css_class (grid, "figure-grid");
  gtk_grid_attach (GTK_GRID (grid), header_cell (_("Figure"), FALSE), col++, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), header_cell (_("Value"), TRUE), col++, 0, 1, 1);
  /* xgettext:no-c-format */
  gtk_grid_attach (GTK_GRID (grid), header_cell (_("95 % interval"), TRUE), col++, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), header_cell (C_("sample size", "n"), TRUE), col++, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), header_cell (_("Target (warning)"), TRUE), col++, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), header_cell (_("Status"), FALSE), col++, 0, 1, 1);
  if (compare1 != NULL)
    gtk_grid_attach (GTK_GRID (grid), header_cell (compare1_title, TRUE), col++, 0, 1, 1);
  if (compare2 != NULL)
    gtk_grid_attach (GTK_GRID (grid), header_cell (compare2_title, TRUE), col++, 0, 1, 1);

  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      const AssayKpiFigure *f = &figures[line];
      g_autofree char *value = assay_insights_figure_text (line, f);
      g_autofree char *interval = interval_text (line, f);
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, f->estimate.n);
      g_autofree char *target = NULL;
      GtkWidget *name = gtk_button_new_with_label (assay_insights_line_title (line));
      GtkWidget *status = cell (assay_insights_status_text (f->status), FALSE, FALSE);
      GtkWidget *value_label = cell (value, TRUE, f->status == ASSAY_KPI_STATUS_TOO_FEW
                                                  || f->status == ASSAY_KPI_STATUS_NO_DATA);
      const char *css = assay_insights_status_class (f->status);
      int row = line + 1;

      if (f->has_target)
        {
          g_autofree char *t = assay_insights_format (line, f->target);
          g_autofree char *w = assay_insights_format (line, f->warning);

          target = g_strdup_printf ("%s (%s)", t, w);
        }
      gtk_widget_add_css_class (name, "flat");
      gtk_widget_set_halign (name, GTK_ALIGN_START);
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (name))), 0);
      gtk_widget_set_tooltip_text (name, assay_insights_line_definition (line));
      g_object_set_data (G_OBJECT (name), "line", GINT_TO_POINTER (line));
      g_signal_connect (name, "clicked", G_CALLBACK (line_clicked_cb), grid);
      if (css != NULL)
        {
          gtk_widget_add_css_class (status, css);
          gtk_widget_add_css_class (value_label, css);
        }
      else
        gtk_widget_add_css_class (status, "dim-label");
      col = 0;
      gtk_grid_attach (GTK_GRID (grid), name, col++, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), value_label, col++, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), cell (interval, TRUE, TRUE), col++, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), cell (n, TRUE, TRUE), col++, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), cell (target ? target : "—", TRUE, TRUE), col++, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), status, col++, row, 1, 1);
      if (compare1 != NULL)
        {
          g_autofree char *c = assay_insights_figure_text (line, &compare1[line]);

          gtk_grid_attach (GTK_GRID (grid), cell (c, TRUE, TRUE), col++, row, 1, 1);
        }
      if (compare2 != NULL)
        {
          g_autofree char *c = assay_insights_figure_text (line, &compare2[line]);

          gtk_grid_attach (GTK_GRID (grid), cell (c, TRUE, TRUE), col++, row, 1, 1);
        }
    }
  return grid;
}

void
assay_insights_figure_grid_connect (GtkWidget             *grid,
                                    AssayInsightsLineFunc  func,
                                    gpointer               user_data)
{
  g_object_set_data (G_OBJECT (grid), "line-func", func);
  g_object_set_data (G_OBJECT (grid), "line-data", user_data);
}

GtkWidget *
assay_insights_section (const char *title,
                        GtkWidget  *child,
                        const char *note)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);
  if (child != NULL)
    gtk_box_append (GTK_BOX (box), child);
  if (note != NULL)
    {
      GtkWidget *label = gtk_label_new (note);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }
  return box;
}

const char *
assay_insights_category_title (const char *category)
{
  if (g_strcmp0 (category, "people") == 0)
    return C_("root cause", "People");
  if (g_strcmp0 (category, "process") == 0)
    return C_("root cause", "Process");
  if (g_strcmp0 (category, "technology") == 0)
    return C_("root cause", "Technology");
  if (g_strcmp0 (category, "resources") == 0)
    return C_("root cause", "Resources");
  if (g_strcmp0 (category, "environment") == 0)
    return C_("root cause", "Environment");
  return category ? category : "";
}

GtkWidget *
assay_insights_page_frame (GtkWidget        *page,
                           const char       *title,
                           GtkWidget        *start,
                           GtkWidget        *end,
                           GtkWidget       **stack,
                           GtkWidget       **content,
                           AdwToastOverlay **toasts)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  if (start != NULL)
    adw_header_bar_pack_start (ADW_HEADER_BAR (header), start);
  if (end != NULL)
    adw_header_bar_pack_end (ADW_HEADER_BAR (header), end);
  gtk_box_append (GTK_BOX (box), header);

  *stack = gtk_stack_new ();
  gtk_widget_set_vexpand (*stack, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_stack_add_named (GTK_STACK (*stack), spinner, "loading");

  *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_margin_top (*content, 18);
  gtk_widget_set_margin_bottom (*content, 24);
  gtk_widget_set_margin_start (*content, 12);
  gtk_widget_set_margin_end (*content, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1000);
  adw_clamp_set_child (ADW_CLAMP (clamp), *content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_stack_add_named (GTK_STACK (*stack), scrolled, "ready");

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), *stack);
  gtk_box_append (GTK_BOX (box), overlay);
  *toasts = ADW_TOAST_OVERLAY (overlay);
  gtk_widget_add_css_class (page, "insights-page");
  gtk_widget_set_parent (box, page);
  return box;
}

/* ---- the evaluations behind a figure ---- */

static void
evaluations_listed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GtkWidget) window = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = assay_store_kpi_evaluations_finish (ASSAY_STORE (source), result,
                                                                  &error);
  GtkStack *stack;
  GtkWidget *list;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  stack = g_object_get_data (G_OBJECT (window), "stack");
  list = g_object_get_data (G_OBJECT (window), "list");
  if (stack == NULL)
    return;
  if (rows == NULL)
    {
      GtkWidget *status = g_object_get_data (G_OBJECT (window), "empty");

      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("The Evaluations Could Not Be Read"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status), error->message);
      gtk_stack_set_visible_child_name (stack, "empty");
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      const AssayKpiEvaluationRow *r = g_ptr_array_index (rows, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *score;
      g_autofree char *when = assay_ui_format_time (r->started_at, "%x %H:%M");
      g_autofree char *score_text = assay_ui_format_percent (r->score);
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), r->agent_name ? r->agent_name : "");
      /* Translators: an evaluation in a list: contact time · channel · inspector */
      subtitle = g_strdup_printf (_("%s · %s · by %s"), when,
                                  assay_ui_channel_label (r->channel),
                                  r->inspector_name ? r->inspector_name : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (r->band != NULL && *r->band != '\0')
        {
          GtkWidget *band = gtk_label_new (r->band);

          gtk_widget_add_css_class (band, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), band);
        }
      if (r->fatal)
        {
          GtkWidget *fatal = gtk_label_new (_("fatal"));

          gtk_widget_add_css_class (fatal, "kpi-breach");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), fatal);
        }
      score = gtk_label_new (score_text);
      gtk_widget_add_css_class (score, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), score);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_stack_set_visible_child_name (stack, rows->len > 0 ? "list" : "empty");
}

static void
evaluations_window_destroy_cb (GtkWidget    *window,
                               GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
  g_object_set_data (G_OBJECT (window), "stack", NULL);
}

void
assay_insights_show_evaluations (GtkWidget           *parent,
                                 gpointer             context,
                                 const AssayKpiQuery *query,
                                 const char          *figure)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *empty = adw_status_page_new ();
  GCancellable *cancellable = g_cancellable_new ();
  g_autofree char *title = g_strdup_printf (_("Evaluations behind %s"), figure);
  GtkRoot *root = gtk_widget_get_root (parent);

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 560);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_box_append (GTK_BOX (box), header);

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_stack_add_named (GTK_STACK (stack), spinner, "loading");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_margin_bottom (list, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), list);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_stack_add_named (GTK_STACK (stack), scrolled, "list");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "document-edit-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Evaluations in This Period"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Draw a sample from the review queue to evaluate contacts "
                                     "of this period."));
  gtk_stack_add_named (GTK_STACK (stack), empty, "empty");
  gtk_widget_set_vexpand (stack, TRUE);
  gtk_box_append (GTK_BOX (box), stack);
  adw_window_set_content (ADW_WINDOW (window), box);

  g_object_set_data (G_OBJECT (window), "stack", stack);
  g_object_set_data (G_OBJECT (window), "list", list);
  g_object_set_data (G_OBJECT (window), "empty", empty);
  g_signal_connect_data (window, "destroy", G_CALLBACK (evaluations_window_destroy_cb),
                         cancellable, (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  assay_store_kpi_evaluations_async (assay_context_get_store (context), query, 200, cancellable,
                                     evaluations_listed_cb, g_object_ref (window));
  gtk_window_present (GTK_WINDOW (window));
}

void
assay_insights_trend_update (AssayChart              *chart,
                             const AssayKpiScorecard *card,
                             AssayKpiLine             line)
{
  guint n = card->weeks->len;
  g_autofree double *values = g_new (double, MAX (n, 1));
  g_autofree double *lo = g_new (double, MAX (n, 1));
  g_autofree double *hi = g_new (double, MAX (n, 1));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *title = NULL;

  for (guint w = 0; w < n; w++)
    {
      const AssayKpiWeek *week = &g_array_index (card->weeks, AssayKpiWeek, w);
      const AssayKpiFigure *f = &week->figures[line];
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (
        (gint64) (week->from_day) * 86400 + 43200);

      /* a week too thin to judge is left out of the line rather than drawn as firm */
      values[w] = f->estimate.known && f->status != ASSAY_KPI_STATUS_TOO_FEW ? f->estimate.value
                                                                            : NAN;
      lo[w] = f->estimate.has_ci ? f->estimate.ci_lo : NAN;
      hi[w] = f->estimate.has_ci ? f->estimate.ci_hi : NAN;
      /* Translators: the first day of a week in a trend chart, g_date_time_format() */
      g_ptr_array_add (labels, g_strstrip (g_date_time_format (dt, C_("week", "%e %b"))));
    }
  title = g_strdup_printf (_("%s by week"), assay_insights_line_title (line));
  assay_chart_set_title (chart, title);
  assay_chart_set_unit (chart, assay_insights_line_unit (line));
  assay_chart_set_data (chart, n, (const char * const *) labels->pdata, values, lo, hi);
  assay_chart_set_target (chart, card->figures[line].has_target ? card->figures[line].target
                                                                : NAN);
}
