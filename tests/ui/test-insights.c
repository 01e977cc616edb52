/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "assay-context.h"
#include "core/assay-kpi.h"
#include "pages/assay-agent-scorecard-page-private.h"
#include "pages/assay-dashboard-page-private.h"
#include "pages/assay-targets-dialog.h"
#include "pages/assay-reports-page.h"
#include "pages/assay-callbacks-page.h"
#include "store/assay-store-insights.h"
#include "store/assay-store-seed.h"
#include "test-db.h"

/* a demo centre of 3000 contacts over the 60 days up to 30 November 2026, 400 evaluated */
#define END_MS G_GINT64_CONSTANT (1796000400000)   /* 2026-11-30 01:00 UTC */

static AssayStore *demo_store;
static int nov_from, nov_to;

static AssayStore *
seed_demo (void)
{
  g_autofree char *path = test_db_path ();
  g_autofree char *forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo",
                                             "forms", NULL);
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  AssaySeedOptions options;
  AssaySeedSummary summary = { 0 };

  g_assert_true (assay_store_open_sync (store, &error));
  assay_seed_options_init (&options);
  options.n_interactions = 3000;
  options.n_days = 60;
  options.end_ms = END_MS;
  options.forms_dir = forms;
  options.n_evaluations = 400;
  options.no_conversations = TRUE;
  g_assert_true (assay_store_seed_sync (store, &options, &summary, &error));
  g_assert_no_error (error);
  assay_seed_summary_clear (&summary);
  return g_steal_pointer (&store);
}

typedef struct {
  GtkWindow          *window;
  AssayDashboardPage *page;
} Ui;

static gboolean
settled (gpointer data)
{
  return g_strcmp0 (_assay_dashboard_page_get_state (data), "loading") != 0;
}

static void
ui_open (Ui         *ui,
         AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  ui->window = GTK_WINDOW (gtk_window_new ());
  ui->page = g_object_new (ASSAY_TYPE_DASHBOARD_PAGE, "context", context, NULL);
  gtk_window_set_default_size (ui->window, 1000, 800);
  gtk_window_set_child (ui->window, GTK_WIDGET (ui->page));
  gtk_window_present (ui->window);
  test_wait_until (settled, ui->page, 20);
}

static void
ui_show_month (Ui  *ui,
               int  from,
               int  to)
{
  assay_period_picker_set_period (_assay_dashboard_page_get_period (ui->page), ASSAY_PERIOD_MONTH,
                                  from, to);
  test_wait_until (settled, ui->page, 20);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui->window));
}

static void
ui_close (Ui *ui)
{
  gtk_window_destroy (ui->window);
}

static gint64
count_agents (AssayStore *store,
              int         from,
              int         to,
              const char *team)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count (DISTINCT agent_id) FROM interaction WHERE started_at >= %" G_GINT64_FORMAT
    " AND started_at < %" G_GINT64_FORMAT "%s%s%s",
    (gint64) from * 86400000, (gint64) (to + 1) * 86400000,
    team ? " AND team_id = '" : "", team ? team : "", team ? "'" : "");

  return test_db_query_int (store, sql);
}

static void
test_dashboard_demo (void)
{
  Ui ui;
  AssayChart *trend, *agents, *distribution;
  g_autofree char *sql = NULL;
  gint64 scored;
  double sum = 0;

  ui_open (&ui, demo_store);
  ui_show_month (&ui, nov_from, nov_to);
  g_assert_cmpstr (_assay_dashboard_page_get_state (ui.page), ==, "ready");

  /* November 2026: Sunday the 1st to Monday the 30th touches six Monday-to-Sunday weeks */
  trend = _assay_dashboard_page_get_chart (ui.page, "trend");
  g_assert_nonnull (trend);
  g_assert_cmpuint (assay_chart_get_n (trend), ==, 6);
  g_assert_nonnull (strstr (assay_chart_get_summary (trend), "QA score"));

  /* every agent with a contact in the month, side by side */
  agents = _assay_dashboard_page_get_chart (ui.page, "agents");
  g_assert_cmpuint (assay_chart_get_n (agents), ==, count_agents (demo_store, nov_from, nov_to,
                                                                  NULL));
  g_assert_cmpuint (assay_chart_get_n (agents), >, 1);

  /* the distribution counts every scored evaluation of the month's contacts once */
  distribution = _assay_dashboard_page_get_chart (ui.page, "distribution");
  g_assert_cmpuint (assay_chart_get_n (distribution), ==, 11);
  sql = g_strdup_printf (
    "SELECT count (*) FROM evaluation e JOIN evaluation_revision r ON r.id = e.current_revision_id"
    " JOIN interaction i ON i.id = e.interaction_id WHERE e.state = 'submitted'"
    " AND r.score IS NOT NULL AND i.started_at >= %" G_GINT64_FORMAT
    " AND i.started_at < %" G_GINT64_FORMAT, (gint64) nov_from * 86400000,
    (gint64) (nov_to + 1) * 86400000);
  scored = test_db_query_int (demo_store, sql);
  g_assert_cmpint (scored, >, 0);
  for (guint i = 0; i < 11; i++)
    {
      g_autofree char *text = assay_chart_describe (distribution, i);
      double v = 0;

      g_assert_nonnull (strrchr (text, ':'));
      v = g_ascii_strtod (strrchr (text, ':') + 1, NULL);
      sum += v;
    }
  g_assert_cmpfloat (sum, ==, (double) scored);
  ui_close (&ui);
}

static void
test_dashboard_empty (void)
{
  g_autofree char *path = test_db_path ();
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  Ui ui;

  g_assert_true (assay_store_open_sync (store, &error));
  ui_open (&ui, store);
  g_assert_cmpstr (_assay_dashboard_page_get_state (ui.page), ==, "empty");
  g_assert_null (_assay_dashboard_page_get_chart (ui.page, "trend"));
  ui_close (&ui);
  assay_store_close (store);
}

static void
test_dashboard_period_change (void)
{
  Ui ui;
  AssayPeriodPicker *period;

  ui_open (&ui, demo_store);
  ui_show_month (&ui, nov_from, nov_to);
  period = _assay_dashboard_page_get_period (ui.page);

  /* back a month: October 2026, Thursday 1st to Saturday 31st, five weeks */
  assay_period_picker_shift (period, -1);
  test_wait_until (settled, ui.page, 20);
  g_assert_cmpint (assay_period_picker_get_from_day (period), ==,
                   assay_kpi_day_from_ymd (2026, 10, 1));
  g_assert_cmpint (assay_period_picker_get_to_day (period), ==,
                   assay_kpi_day_from_ymd (2026, 10, 31));
  g_assert_cmpstr (_assay_dashboard_page_get_state (ui.page), ==, "ready");
  g_assert_cmpuint (assay_chart_get_n (_assay_dashboard_page_get_chart (ui.page, "trend")), ==, 5);

  /* a custom week */
  assay_period_picker_set_period (period, ASSAY_PERIOD_CUSTOM, assay_kpi_day_from_ymd (2026, 11, 9),
                                  assay_kpi_day_from_ymd (2026, 11, 15));
  test_wait_until (settled, ui.page, 20);
  g_assert_cmpuint (assay_chart_get_n (_assay_dashboard_page_get_chart (ui.page, "trend")), ==, 1);
  g_assert_cmpuint (assay_chart_get_n (_assay_dashboard_page_get_chart (ui.page, "agents")), ==,
                    count_agents (demo_store, assay_kpi_day_from_ymd (2026, 11, 9),
                                  assay_kpi_day_from_ymd (2026, 11, 15), NULL));

  /* a quarter with no contacts at all: the empty state */
  assay_period_picker_set_period (period, ASSAY_PERIOD_QUARTER, assay_kpi_day_from_ymd (2027, 5, 1),
                                  0);
  test_wait_until (settled, ui.page, 20);
  g_assert_cmpstr (_assay_dashboard_page_get_state (ui.page), ==, "empty");
  ui_close (&ui);
}

static void
test_dashboard_team (void)
{
  Ui ui;
  const char *team;
  AssayChart *agents;

  ui_open (&ui, demo_store);
  ui_show_month (&ui, nov_from, nov_to);
  g_assert_cmpint (test_db_query_int (demo_store, "SELECT count (*) FROM team"), >, 1);
  team = _assay_dashboard_page_select_team (ui.page, 1);
  g_assert_nonnull (team);
  test_wait_until (settled, ui.page, 20);
  g_assert_cmpstr (_assay_dashboard_page_get_state (ui.page), ==, "ready");
  agents = _assay_dashboard_page_get_chart (ui.page, "agents");
  g_assert_cmpuint (assay_chart_get_n (agents), ==, count_agents (demo_store, nov_from, nov_to,
                                                                  team));
  g_assert_cmpuint (assay_chart_get_n (agents), <, count_agents (demo_store, nov_from, nov_to,
                                                                 NULL));
  /* back to the whole centre */
  g_assert_null (_assay_dashboard_page_select_team (ui.page, 0));
  test_wait_until (settled, ui.page, 20);
  g_assert_cmpuint (assay_chart_get_n (_assay_dashboard_page_get_chart (ui.page, "agents")), ==,
                    count_agents (demo_store, nov_from, nov_to, NULL));
  ui_close (&ui);
}

static void
test_chart (void)
{
  const char *labels[] = { "Mon", "Tue", "Wed" };
  const double values[] = { 80, NAN, 92.5 };
  const double lo[] = { 70, NAN, 90 };
  const double hi[] = { 90, NAN, 95 };
  GtkWidget *window = gtk_window_new ();
  AssayChart *chart = ASSAY_CHART (assay_chart_new (ASSAY_CHART_LINE));
  g_autofree char *first = NULL;

  g_object_ref_sink (chart);
  assay_chart_set_title (chart, "QA score by day");
  assay_chart_set_unit (chart, ASSAY_CHART_UNIT_PERCENT);
  assay_chart_set_data (chart, 3, labels, values, lo, hi);
  assay_chart_set_target (chart, 85);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  g_assert_cmpuint (assay_chart_get_n (chart), ==, 3);
  g_assert_cmpint (assay_chart_get_selected (chart), ==, -1);
  first = assay_chart_describe (chart, 0);
  g_assert_nonnull (strstr (first, "Mon: 80.0"));
  g_assert_nonnull (strstr (first, "70.0"));
  g_assert_nonnull (strstr (assay_chart_get_summary (chart), "Tue: no data"));
  g_assert_true (g_str_has_prefix (assay_chart_get_summary (chart), "QA score by day"));
  assay_chart_set_selected (chart, 7);               /* clamped to the last */
  g_assert_cmpint (assay_chart_get_selected (chart), ==, 2);
  assay_chart_set_data (chart, 1, labels, values, NULL, NULL);
  g_assert_cmpint (assay_chart_get_selected (chart), ==, 0);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (chart)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (chart);
}

static gboolean
weak_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_targets (void)
{
  g_autoptr(AssayStore) store = seed_demo ();
  g_autoptr(GError) error = NULL;
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_CENTRE, NULL, nov_from, nov_to, 0 };
  g_autoptr(AssayKpiScorecard) card = NULL;
  gpointer dialog;
  Ui ui;

  gint64 seeded;

  ui_open (&ui, store);
  ui_show_month (&ui, nov_from, nov_to);
  /* the demo's own centre targets */
  seeded = test_db_query_int (store, "SELECT count (*) FROM kpi_target");

  /* a warning on the good side of the target is refused, nothing is written */
  dialog = _assay_dashboard_page_open_targets (ui.page);
  g_assert_true (ASSAY_IS_TARGETS_DIALOG (dialog));
  _assay_targets_dialog_set (dialog, ASSAY_KPI_LINE_QA_SCORE, 80, 90);
  _assay_targets_dialog_save (dialog);
  g_assert_cmpint (test_db_query_int (store, "SELECT count (*) FROM kpi_target"), ==, seeded);

  /* a good one is saved, queued for the centre, and the figures are judged by it */
  _assay_targets_dialog_set (dialog, ASSAY_KPI_LINE_QA_SCORE, 99.5, 99);
  _assay_targets_dialog_set (dialog, ASSAY_KPI_LINE_AHT_PHONE, 60, 90);
  g_object_add_weak_pointer (dialog, &dialog);
  _assay_targets_dialog_save (dialog);
  test_wait_until (weak_gone, &dialog, 20);
  test_wait_until (settled, ui.page, 20);
  g_assert_cmpint (test_db_query_int (store, "SELECT count (*) FROM kpi_target"), ==, seeded + 2);
  g_assert_cmpint (test_db_query_int (store, "SELECT count (*) FROM outbox"
                                             " WHERE collection = 'kpi_targets'"), ==, 2);
  card = assay_store_kpi_scorecard_sync (store, &q, &error);
  g_assert_no_error (error);
  g_assert_true (card->figures[ASSAY_KPI_LINE_QA_SCORE].has_target);
  g_assert_cmpfloat (card->figures[ASSAY_KPI_LINE_QA_SCORE].target, ==, 99.5);
  g_assert_cmpint (card->figures[ASSAY_KPI_LINE_QA_SCORE].status, ==, ASSAY_KPI_STATUS_BREACH);
  g_assert_cmpint (card->figures[ASSAY_KPI_LINE_AHT_PHONE].status, ==, ASSAY_KPI_STATUS_BREACH);
  /* the others keep the demo's targets (CSAT 80, warning 75), or none */
  g_assert_true (card->figures[ASSAY_KPI_LINE_CSAT].has_target);
  g_assert_cmpfloat (card->figures[ASSAY_KPI_LINE_CSAT].target, ==, 80);
  g_assert_false (card->figures[ASSAY_KPI_LINE_CRITICAL_SCORE].has_target);
  ui_close (&ui);
  assay_store_close (store);
}

/* ---- the agent scorecard ---- */

static gboolean
scorecard_settled (gpointer data)
{
  return g_strcmp0 (_assay_agent_scorecard_page_get_state (data), "loading") != 0;
}

static AssayAgentScorecardPage *
scorecard_open (GtkWindow  **window,
                AssayStore  *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);
  AssayAgentScorecardPage *page;

  *window = GTK_WINDOW (gtk_window_new ());
  page = g_object_new (ASSAY_TYPE_AGENT_SCORECARD_PAGE, "context", context, NULL);
  gtk_window_set_default_size (*window, 1000, 800);
  gtk_window_set_child (*window, GTK_WIDGET (page));
  gtk_window_present (*window);
  test_wait_until (scorecard_settled, page, 20);
  return page;
}

/* the busiest agent of November, by submitted evaluations */
static char *
busiest_agent (void)
{
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_CENTRE, NULL, nov_from, nov_to, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayKpiBreakdown) b = assay_store_kpi_breakdown_sync (demo_store, &q, &error);
  const AssayKpiAgentSums *best = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < b->agents->len; i++)
    {
      const AssayKpiAgentSums *a = g_ptr_array_index (b->agents, i);

      if (best == NULL || a->sums.evals > best->sums.evals)
        best = a;
    }
  g_assert_nonnull (best);
  return g_strdup (best->id);
}

static void
test_scorecard_demo (void)
{
  GtkWindow *window;
  AssayAgentScorecardPage *page = scorecard_open (&window, demo_store);
  g_autofree char *agent = busiest_agent ();
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_AGENT, agent, nov_from, nov_to, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayKpiScorecard) card = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *sql = NULL;

  /* the first agent is shown at once */
  g_assert_nonnull (assay_agent_scorecard_page_get_agent (page));
  assay_period_picker_set_period (_assay_agent_scorecard_page_get_period (page),
                                  ASSAY_PERIOD_MONTH, nov_from, nov_to);
  assay_agent_scorecard_page_set_agent (page, agent);
  test_wait_until (scorecard_settled, page, 20);
  g_assert_cmpstr (_assay_agent_scorecard_page_get_state (page), ==, "ready");
  g_assert_cmpstr (assay_agent_scorecard_page_get_agent (page), ==, agent);

  /* the QA score shown is the store's figure for the same agent and month */
  card = assay_store_kpi_scorecard_sync (demo_store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (card->figures[ASSAY_KPI_LINE_QA_SCORE].estimate.n, >, 0);
  shown = _assay_agent_scorecard_page_get_figure_text (page, ASSAY_KPI_LINE_QA_SCORE);
  expected = card->figures[ASSAY_KPI_LINE_QA_SCORE].status == ASSAY_KPI_STATUS_TOO_FEW
             ? g_strdup ("too few to judge")
             : g_strdup_printf ("%.1f %%", card->figures[ASSAY_KPI_LINE_QA_SCORE].estimate.value);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_cmpuint (assay_chart_get_n (_assay_agent_scorecard_page_get_trend (page)), ==, 6);

  /* every submitted evaluation of the agent's November contacts is listed */
  sql = g_strdup_printf ("SELECT count (*) FROM evaluation e JOIN interaction i"
                         " ON i.id = e.interaction_id WHERE e.state = 'submitted'"
                         " AND i.agent_id = '%s' AND i.started_at >= %" G_GINT64_FORMAT
                         " AND i.started_at < %" G_GINT64_FORMAT, agent,
                         (gint64) nov_from * 86400000, (gint64) (nov_to + 1) * 86400000);
  g_assert_cmpuint (_assay_agent_scorecard_page_get_n_evaluations (page), ==,
                    test_db_query_int (demo_store, sql));
  g_assert_cmpuint (_assay_agent_scorecard_page_get_n_evaluations (page), >, 0);

  /* a month without contacts: the empty state, and back */
  assay_period_picker_shift (_assay_agent_scorecard_page_get_period (page), 3);
  test_wait_until (scorecard_settled, page, 20);
  g_assert_cmpstr (_assay_agent_scorecard_page_get_state (page), ==, "empty");
  assay_period_picker_shift (_assay_agent_scorecard_page_get_period (page), -3);
  test_wait_until (scorecard_settled, page, 20);
  g_assert_cmpstr (_assay_agent_scorecard_page_get_state (page), ==, "ready");
  gtk_window_destroy (window);
}

static gboolean
scorecard_not_loading (gpointer data)
{
  const char *state = _assay_agent_scorecard_page_get_state (data);

  return g_strcmp0 (state, "no-agents") == 0;
}

static void
test_scorecard_no_agents (void)
{
  g_autofree char *path = test_db_path ();
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  AssayAgentScorecardPage *page;

  g_assert_true (assay_store_open_sync (store, &error));
  page = scorecard_open (&window, store);
  test_wait_until (scorecard_not_loading, page, 20);
  g_assert_null (assay_agent_scorecard_page_get_agent (page));
  gtk_window_destroy (window);
  assay_store_close (store);
}

/* ---- reports ---- */

static gboolean
export_settled (gpointer data)
{
  return g_strcmp0 (_assay_reports_page_get_export_state (data), "exporting") != 0;
}

static void
test_reports_export (void)
{
  g_autoptr(AssayContext) context = assay_context_new (demo_store, NULL);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  AssayReportsPage *page = g_object_new (ASSAY_TYPE_REPORTS_PAGE, "context", context, NULL);
  g_autofree char *dir = g_dir_make_tmp ("assay-report-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "november.pdf", NULL);
  g_autofree char *csv_dir = g_build_filename (dir, "tables", NULL);
  g_autofree char *kpis = g_build_filename (csv_dir, "kpis.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = NULL;
  int status = 0;

  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  _assay_reports_page_set_month (page, 2026, 11);
  g_assert_cmpstr (_assay_reports_page_get_export_state (page), ==, "idle");

  _assay_reports_page_export_pdf (page, pdf);
  g_assert_cmpstr (_assay_reports_page_get_export_state (page), ==, "exporting");
  test_wait_until (export_settled, page, 60);
  g_assert_cmpstr (_assay_reports_page_get_export_state (page), ==, "done");
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  /* read back: the month's report, with the centre's QA score of the month in it */
  cmd = g_strdup_printf ("pdftotext -layout '%s' -", pdf);
  g_assert_true (g_spawn_command_line_sync (cmd, &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (text, "2026"));
  {
    AssayKpiQuery q = { ASSAY_KPI_SCOPE_CENTRE, NULL, nov_from, nov_to, 0 };
    g_autoptr(AssayKpiScorecard) card = assay_store_kpi_scorecard_sync (demo_store, &q, &error);
    g_autofree char *qa = NULL;

    g_assert_no_error (error);
    qa = g_strdup_printf ("%.1f", card->figures[ASSAY_KPI_LINE_QA_SCORE].estimate.value);
    g_assert_nonnull (strstr (text, qa));
  }

  /* the tables as CSV into a new folder */
  _assay_reports_page_export_csv (page, csv_dir);
  test_wait_until (export_settled, page, 60);
  g_assert_cmpstr (_assay_reports_page_get_export_state (page), ==, "done");
  g_assert_true (g_file_test (kpis, G_FILE_TEST_IS_REGULAR));

  /* a place that cannot be written: failed, said, nothing left behind */
  _assay_reports_page_export_pdf (page, "/proc/no-such-dir/report.pdf");
  test_wait_until (export_settled, page, 60);
  g_assert_cmpstr (_assay_reports_page_get_export_state (page), ==, "failed");
  gtk_window_destroy (window);
}

/* ---- callbacks ---- */

static gboolean
callbacks_settled (gpointer data)
{
  return g_strcmp0 (_assay_callbacks_page_get_state (data), "loading") != 0;
}

static void
test_callbacks (void)
{
  g_autoptr(AssayContext) context = assay_context_new (demo_store, NULL);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  AssayCallbacksPage *page = g_object_new (ASSAY_TYPE_CALLBACKS_PAGE, "context", context, NULL);
  AssayKpiCallbackQuery q;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;

  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  _assay_callbacks_page_set_period (page, nov_from, nov_to);
  test_wait_until (callbacks_settled, page, 20);
  g_assert_cmpstr (_assay_callbacks_page_get_state (page), ==, "ready");

  /* the same list as the store's, with the default limits */
  assay_kpi_callback_query_init (&q, nov_from, nov_to);
  expected = assay_store_kpi_callbacks_sync (demo_store, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, >, 0);
  g_assert_cmpuint (_assay_callbacks_page_get_n_rows (page), ==, expected->len);
  g_assert_cmpint (test_db_query_int (demo_store, "SELECT count (*) FROM callback"), ==, 0);

  /* called: recorded, queued for the centre, and listed as such */
  _assay_callbacks_page_set_row_state (page, 0, "called");
  test_wait_until (callbacks_settled, page, 20);
  g_assert_cmpint (test_db_query_int (demo_store,
                                      "SELECT count (*) FROM callback WHERE state = 'called'"),
                   ==, 1);
  g_assert_cmpint (test_db_query_int (demo_store, "SELECT count (*) FROM outbox"
                                                  " WHERE collection = 'callbacks'"), ==, 1);
  g_assert_cmpuint (_assay_callbacks_page_get_n_rows (page), ==, expected->len);

  /* a month with no contacts: the empty state */
  _assay_callbacks_page_set_period (page, assay_kpi_day_from_ymd (2027, 6, 1),
                                    assay_kpi_day_from_ymd (2027, 6, 30));
  test_wait_until (callbacks_settled, page, 20);
  g_assert_cmpstr (_assay_callbacks_page_get_state (page), ==, "empty");
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  demo_store = seed_demo ();
  nov_from = assay_kpi_day_from_ymd (2026, 11, 1);
  nov_to = assay_kpi_day_from_ymd (2026, 11, 30);
  g_test_add_func ("/ui/insights/chart", test_chart);
  g_test_add_func ("/ui/insights/dashboard/demo", test_dashboard_demo);
  g_test_add_func ("/ui/insights/dashboard/empty", test_dashboard_empty);
  g_test_add_func ("/ui/insights/dashboard/period-change", test_dashboard_period_change);
  g_test_add_func ("/ui/insights/dashboard/team", test_dashboard_team);
  g_test_add_func ("/ui/insights/dashboard/targets", test_targets);
  g_test_add_func ("/ui/insights/scorecard/demo", test_scorecard_demo);
  g_test_add_func ("/ui/insights/scorecard/no-agents", test_scorecard_no_agents);
  g_test_add_func ("/ui/insights/reports/export", test_reports_export);
  g_test_add_func ("/ui/insights/callbacks", test_callbacks);
  rc = g_test_run ();
  assay_store_close (demo_store);
  g_object_unref (demo_store);
  return rc;
}
