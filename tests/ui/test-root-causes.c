/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Root-cause tags from the pages (issue 11, item 4): the follow-up of a low-score callback
 * (state, owner, note, causes), an evaluation's and a breached KPI's causes, and the Pareto
 * that counts them. */
#include "assay-context.h"
#include "core/assay-kpi.h"
#include "pages/assay-agent-scorecard-page-private.h"
#include "pages/assay-callbacks-page.h"
#include "pages/assay-dashboard-page-private.h"
#include "pages/assay-root-cause-dialog.h"
#include "store/assay-store-seed.h"
#include "assay-store-private.h"
#include "test-db.h"

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
  options.n_interactions = 1500;
  options.n_days = 60;
  options.end_ms = END_MS;
  options.forms_dir = forms;
  options.n_evaluations = 200;
  options.no_conversations = TRUE;
  g_assert_true (assay_store_seed_sync (store, &options, &summary, &error));
  g_assert_no_error (error);
  assay_seed_summary_clear (&summary);
  return g_steal_pointer (&store);
}

typedef struct {
  const char *sql;
  char       *text;
  double      value;
} Query;

static gpointer
query_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Query *q = data;
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, q->sql, error);

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      q->text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      q->value = sqlite3_column_double (stmt, 0);
    }
  return GINT_TO_POINTER (1);
}

/* the first value of @sql as text (NULL without a row) */
static char *
query_text (const char *sql)
{
  g_autoptr(GError) error = NULL;
  Query q = { sql, NULL, 0 };

  g_assert_nonnull (_assay_store_run_sync (demo_store, query_func, &q, &error));
  g_assert_no_error (error);
  return q.text;
}

static double
query_double (const char *sql)
{
  g_autoptr(GError) error = NULL;
  Query q = { sql, NULL, 0 };

  g_assert_nonnull (_assay_store_run_sync (demo_store, query_func, &q, &error));
  g_assert_no_error (error);
  g_free (q.text);
  return q.value;
}

static gboolean
callbacks_settled (gpointer data)
{
  return g_strcmp0 (_assay_callbacks_page_get_state (data), "loading") != 0;
}

static gboolean
dialog_settled (gpointer data)
{
  const char *state = _assay_root_cause_dialog_get_state (data);

  return g_strcmp0 (state, "loading") != 0 && g_strcmp0 (state, "saving") != 0;
}

static GPtrArray *
tags_of (AssayKpiTagKind  kind,
         const char      *object_id,
         AssayKpiLine     line,
         int              from_day,
         int              to_day)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *tags = assay_store_kpi_list_tags_sync (demo_store, kind, object_id, line, from_day,
                                                    to_day, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tags);
  return tags;
}

static gboolean
has_tag (GPtrArray  *tags,
         const char *category,
         const char *sub_cause)
{
  for (guint i = 0; i < tags->len; i++)
    {
      const AssayKpiTag *t = g_ptr_array_index (tags, i);

      if (g_strcmp0 (t->category, category) == 0 && g_strcmp0 (t->sub_cause, sub_cause) == 0)
        return TRUE;
    }
  return FALSE;
}

/* the newest low-score contact of November nobody has worked yet */
static char *
unworked_contact (void)
{
  AssayKpiCallbackQuery q;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  assay_kpi_callback_query_init (&q, nov_from, nov_to);
  rows = assay_store_kpi_callbacks_sync (demo_store, &q, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      const AssayKpiCallback *c = g_ptr_array_index (rows, i);

      if (c->id == NULL)
        return g_strdup (c->interaction_id);
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_callback_follow_up (void)
{
  g_autoptr(AssayContext) context = assay_context_new (demo_store, NULL);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  AssayCallbacksPage *page = g_object_new (ASSAY_TYPE_CALLBACKS_PAGE, "context", context, NULL);
  g_autoptr(AssayRootCauseDialog) dialog = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *interaction = NULL;
  g_autofree char *callback_id = NULL;
  g_autofree char *sql = NULL;
  gint64 outbox_before;

  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  _assay_callbacks_page_set_period (page, nov_from, nov_to);
  test_wait_until (callbacks_settled, page, 20);
  g_assert_cmpstr (_assay_callbacks_page_get_state (page), ==, "ready");
  g_assert_cmpuint (_assay_callbacks_page_get_n_rows (page), >, 0);
  /* a row past the end opens nothing */
  g_assert_null (_assay_callbacks_page_follow_up (page, 100000));

  /* the first row (newest) is not worked yet: the dialog makes the callback on Save */
  interaction = unworked_contact ();
  dialog = g_object_ref (ASSAY_ROOT_CAUSE_DIALOG (_assay_callbacks_page_follow_up (page, 0)));
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_cmpstr (_assay_root_cause_dialog_get_state (dialog), ==, "ready");
  /* the five categories are there to check, the centre's list or not */
  g_assert_true (_assay_root_cause_dialog_set_checked (dialog, "people", "", TRUE));
  g_assert_false (_assay_root_cause_dialog_set_checked (dialog, "people", "No such cause", TRUE));
  _assay_root_cause_dialog_add_sub_cause (dialog, "process", "Refund policy unclear");
  _assay_root_cause_dialog_set_follow_up (dialog, "called", "Left a message, calls back Monday");
  outbox_before = test_db_query_int (demo_store, "SELECT count (*) FROM outbox");
  _assay_root_cause_dialog_save (dialog);
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_cmpstr (_assay_root_cause_dialog_get_state (dialog), ==, "saved");
  g_clear_object (&dialog);

  sql = g_strdup_printf ("SELECT id FROM callback WHERE interaction_id = '%s'"
                         " AND state = 'called' AND note = 'Left a message, calls back Monday'",
                         interaction);
  callback_id = query_text (sql);
  g_assert_nonnull (callback_id);
  tags = tags_of (ASSAY_KPI_TAG_CALLBACK, callback_id, 0, 0, 0);
  g_assert_cmpuint (tags->len, ==, 2);
  g_assert_true (has_tag (tags, "people", ""));
  g_assert_true (has_tag (tags, "process", "Refund policy unclear"));
  /* the callback, two root causes and two tags, each queued for the centre */
  g_assert_cmpint (test_db_query_int (demo_store, "SELECT count (*) FROM outbox"), ==,
                   outbox_before + 5);
  g_assert_cmpint (test_db_query_int (demo_store, "SELECT count (*) FROM root_cause WHERE"
                                                  " sub_cause = 'Refund policy unclear'"
                                                  " AND category = 'process'"), ==, 1);

  /* the page lists it again; reopened, the tags are checked: uncheck one, it goes */
  test_wait_until (callbacks_settled, page, 20);
  dialog = g_object_ref (ASSAY_ROOT_CAUSE_DIALOG (_assay_callbacks_page_follow_up (page, 0)));
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_true (_assay_root_cause_dialog_set_checked (dialog, "people", "", FALSE));
  _assay_root_cause_dialog_save (dialog);
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_cmpstr (_assay_root_cause_dialog_get_state (dialog), ==, "saved");
  g_clear_object (&dialog);
  g_clear_pointer (&tags, g_ptr_array_unref);
  tags = tags_of (ASSAY_KPI_TAG_CALLBACK, callback_id, 0, 0, 0);
  g_assert_cmpuint (tags->len, ==, 1);
  g_assert_true (has_tag (tags, "process", "Refund policy unclear"));
  g_assert_cmpint (test_db_query_int (demo_store, "SELECT count (*) FROM callback"
                                                  " WHERE state = 'called'"), >=, 1);
  gtk_window_destroy (window);
}

static void
test_evaluation_and_breach (void)
{
  g_autoptr(AssayContext) context = assay_context_new (demo_store, NULL);
  g_autoptr(AssayRootCauseDialog) dialog = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GPtrArray) pareto = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *evaluation = query_text (
    "SELECT e.id FROM evaluation e JOIN evaluation_revision r ON r.id = e.current_revision_id"
    " JOIN interaction i ON i.id = e.interaction_id WHERE e.state = 'submitted'"
    " AND r.score < 80 AND i.started_at >= 1793491200000 ORDER BY r.score, e.id LIMIT 1");
  g_autofree char *team = query_text ("SELECT id FROM team ORDER BY name LIMIT 1");
  double lost = 0;
  gboolean found = FALSE;

  g_autoptr(GPtrArray) seeded = NULL;

  g_assert_nonnull (evaluation);
  /* the demo tags its low scores (under 80) with the centre's causes */
  seeded = tags_of (ASSAY_KPI_TAG_EVALUATION, evaluation, 0, 0, 0);
  g_assert_cmpuint (seeded->len, ==, 1);
  g_assert_cmpint (test_db_query_int (demo_store, "SELECT count (*) FROM root_cause"), >=, 10);
  /* an evaluation: a technology sub-cause of the centre's own */
  dialog = g_object_ref_sink (assay_root_cause_dialog_new (context, ASSAY_KPI_TAG_EVALUATION,
                                                           evaluation, 0, 0, 0, "test"));
  test_wait_until (dialog_settled, dialog, 20);
  _assay_root_cause_dialog_add_sub_cause (dialog, "technology", "CRM slow");
  _assay_root_cause_dialog_add_sub_cause (dialog, "technology", "  ");   /* nothing typed */
  _assay_root_cause_dialog_save (dialog);
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_cmpstr (_assay_root_cause_dialog_get_state (dialog), ==, "saved");
  g_clear_object (&dialog);
  tags = tags_of (ASSAY_KPI_TAG_EVALUATION, evaluation, 0, 0, 0);
  g_assert_cmpuint (tags->len, ==, 2);
  g_assert_true (has_tag (tags, "technology", "CRM slow"));
  g_assert_true (has_tag (tags, ((AssayKpiTag *) g_ptr_array_index (seeded, 0))->category,
                          ((AssayKpiTag *) g_ptr_array_index (seeded, 0))->sub_cause));

  /* the Pareto of November counts the evaluation's lost points under it */
  pareto = assay_store_kpi_root_cause_pareto_sync (demo_store, nov_from, nov_to, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < pareto->len; i++)
    {
      const AssayKpiRootCause *c = g_ptr_array_index (pareto, i);

      if (g_strcmp0 (c->sub_cause, "CRM slow") == 0)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT 100 - r.score FROM evaluation e"
                                                  " JOIN evaluation_revision r"
                                                  " ON r.id = e.current_revision_id"
                                                  " WHERE e.id = '%s'", evaluation);

          found = TRUE;
          lost = query_double (sql);
          g_assert_cmpint (c->n_tags, >=, 1);
          g_assert_cmpfloat_with_epsilon (c->lost_points, lost, 1e-6);
        }
    }
  g_assert_true (found);
  g_clear_pointer (&tags, g_ptr_array_unref);

  /* a breached KPI of a team for November: the tag is for exactly that KPI and period */
  dialog = g_object_ref_sink (assay_root_cause_dialog_new (context, ASSAY_KPI_TAG_KPI_BREACH,
                                                           team, ASSAY_KPI_LINE_CSAT, nov_from,
                                                           nov_to, "test"));
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_true (_assay_root_cause_dialog_set_checked (dialog, "resources", "", TRUE));
  g_assert_true (_assay_root_cause_dialog_set_checked (dialog, "technology", "CRM slow", TRUE));
  _assay_root_cause_dialog_save (dialog);
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_cmpstr (_assay_root_cause_dialog_get_state (dialog), ==, "saved");
  g_clear_object (&dialog);
  tags = tags_of (ASSAY_KPI_TAG_KPI_BREACH, team, ASSAY_KPI_LINE_CSAT, nov_from, nov_to);
  g_assert_cmpuint (tags->len, ==, 2);
  g_clear_pointer (&tags, g_ptr_array_unref);
  tags = tags_of (ASSAY_KPI_TAG_KPI_BREACH, team, ASSAY_KPI_LINE_NPS, nov_from, nov_to);
  g_assert_cmpuint (tags->len, ==, 0);
  g_clear_pointer (&tags, g_ptr_array_unref);
  tags = tags_of (ASSAY_KPI_TAG_KPI_BREACH, team, ASSAY_KPI_LINE_CSAT, nov_from, nov_to - 1);
  g_assert_cmpuint (tags->len, ==, 0);
}

static gboolean
scorecard_settled (gpointer data)
{
  return g_strcmp0 (_assay_agent_scorecard_page_get_state (data), "loading") != 0;
}

/* the agent scorecard's evaluations each open their root causes */
static void
test_scorecard_evaluation (void)
{
  g_autoptr(AssayContext) context = assay_context_new (demo_store, NULL);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  AssayAgentScorecardPage *page = g_object_new (ASSAY_TYPE_AGENT_SCORECARD_PAGE, "context",
                                                context, NULL);
  g_autoptr(AssayRootCauseDialog) dialog = NULL;
  gint64 before = test_db_query_int (demo_store, "SELECT count (*) FROM root_cause_tag");

  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  test_wait_until (scorecard_settled, page, 20);
  assay_period_picker_set_period (_assay_agent_scorecard_page_get_period (page),
                                  ASSAY_PERIOD_MONTH, nov_from, nov_to);
  test_wait_until (scorecard_settled, page, 20);
  g_assert_cmpstr (_assay_agent_scorecard_page_get_state (page), ==, "ready");
  g_assert_cmpuint (_assay_agent_scorecard_page_get_n_evaluations (page), >, 0);
  g_assert_null (_assay_agent_scorecard_page_tag_evaluation (page, 100000));
  dialog = g_object_ref (ASSAY_ROOT_CAUSE_DIALOG (
    _assay_agent_scorecard_page_tag_evaluation (page, 0)));
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_true (_assay_root_cause_dialog_set_checked (dialog, "environment", "", TRUE));
  _assay_root_cause_dialog_save (dialog);
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_cmpstr (_assay_root_cause_dialog_get_state (dialog), ==, "saved");
  g_assert_cmpint (test_db_query_int (demo_store, "SELECT count (*) FROM root_cause_tag"), ==,
                   before + 1);
  gtk_window_destroy (window);
}

static gboolean
dashboard_settled (gpointer data)
{
  return g_strcmp0 (_assay_dashboard_page_get_state (data), "loading") != 0;
}

/* the dashboard's figures in breach or warning each open their root causes (the demo's
 * centre targets put some off target) */
static void
test_dashboard_breach (void)
{
  g_autoptr(AssayContext) context = assay_context_new (demo_store, NULL);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  AssayDashboardPage *page = g_object_new (ASSAY_TYPE_DASHBOARD_PAGE, "context", context, NULL);
  g_autoptr(AssayRootCauseDialog) dialog = NULL;
  g_autoptr(AssayKpiScorecard) card = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GError) error = NULL;
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_CENTRE, NULL, nov_from, nov_to, 5 };
  int off = -1, on = -1;

  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_set_default_size (window, 1000, 800);
  gtk_window_present (window);
  test_wait_until (dashboard_settled, page, 20);
  assay_period_picker_set_period (_assay_dashboard_page_get_period (page), ASSAY_PERIOD_MONTH,
                                  nov_from, nov_to);
  test_wait_until (dashboard_settled, page, 20);
  g_assert_cmpstr (_assay_dashboard_page_get_state (page), ==, "ready");
  card = assay_store_kpi_scorecard_sync (demo_store, &q, &error);
  g_assert_no_error (error);
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      AssayKpiStatus st = card->figures[line].status;

      if (off < 0 && (st == ASSAY_KPI_STATUS_BREACH || st == ASSAY_KPI_STATUS_WARNING))
        off = line;
      if (on < 0 && st != ASSAY_KPI_STATUS_BREACH && st != ASSAY_KPI_STATUS_WARNING)
        on = line;
    }
  g_assert_cmpint (off, >=, 0);
  g_assert_cmpint (on, >=, 0);
  g_assert_null (_assay_dashboard_page_tag_breach (page, on));
  dialog = g_object_ref (ASSAY_ROOT_CAUSE_DIALOG (_assay_dashboard_page_tag_breach (page, off)));
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_true (_assay_root_cause_dialog_set_checked (dialog, "resources", "", TRUE));
  _assay_root_cause_dialog_save (dialog);
  test_wait_until (dialog_settled, dialog, 20);
  g_assert_cmpstr (_assay_root_cause_dialog_get_state (dialog), ==, "saved");
  tags = tags_of (ASSAY_KPI_TAG_KPI_BREACH, "centre", off, nov_from, nov_to);
  g_assert_cmpuint (tags->len, ==, 1);
  g_assert_true (has_tag (tags, "resources", ""));
  test_wait_until (dashboard_settled, page, 20);
  gtk_window_destroy (window);
}

static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tags = NULL;

  /* a breach needs a period that ends on or after it starts */
  tags = assay_store_kpi_list_tags_sync (demo_store, ASSAY_KPI_TAG_KPI_BREACH, "centre",
                                         ASSAY_KPI_LINE_CSAT, nov_to, nov_from, &error);
  g_assert_null (tags);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  tags = assay_store_kpi_list_tags_sync (demo_store, ASSAY_KPI_TAG_EVALUATION, NULL, 0, 0, 0,
                                         &error);
  g_assert_null (tags);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* nothing tagged: an empty list, not an error */
  tags = assay_store_kpi_list_tags_sync (demo_store, ASSAY_KPI_TAG_EVALUATION, "no-such-id", 0,
                                         0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tags->len, ==, 0);
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
  g_test_add_func ("/ui/root-causes/callback-follow-up", test_callback_follow_up);
  g_test_add_func ("/ui/root-causes/evaluation-and-breach", test_evaluation_and_breach);
  g_test_add_func ("/ui/root-causes/scorecard-evaluation", test_scorecard_evaluation);
  g_test_add_func ("/ui/root-causes/dashboard-breach", test_dashboard_breach);
  g_test_add_func ("/ui/root-causes/bad-input", test_bad_input);
  rc = g_test_run ();
  assay_store_close (demo_store);
  g_object_unref (demo_store);
  return rc;
}
