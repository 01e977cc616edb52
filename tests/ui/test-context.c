/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The house the pages live in: one context handed to the window, the places of the roles in
 * the sidebar (and live when the roles change), pages built only when shown, and pages that
 * follow the store's changes, from this process and from another one.
 */
#include "assay-places.h"
#include "assay-window.h"
#include "pages/assay-evaluations-page.h"
#include "pages/assay-interactions-page.h"
#include "store/assay-store-evaluations.h"
#include "test-db.h"

#include <glib/gstdio.h>

#define CSV_HEADER "id,channel,queue,agent_code,agent_name,team,customer_ref,started_at,wait_s," \
  "talk_s,hold_s,wrap_s,csat,nps,fcr,answered_in_sl,abandoned,priority,first_response_s," \
  "first_response_target_s,resolution_s,resolution_target_s,recording,recording_agent_channel\n"

typedef struct {
  AssayContext *context;
  AssayWindow  *window;
} Ui;

static gboolean
window_ready (gpointer data)
{
  return g_strcmp0 (assay_window_get_view (data), "pages") == 0;
}

static void
ui_open (Ui         *ui,
         AssayStore *store)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* each test starts as a first run (the memory backend lives as long as the process) */
  g_settings_reset (settings, "roles");
  g_settings_reset (settings, "last-page");
  ui->context = assay_context_new (store, NULL);
  ui->window = assay_window_new (NULL, ui->context);
  gtk_window_set_default_size (GTK_WINDOW (ui->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (ui->window));
  test_wait_until (window_ready, ui->window, 30);
}

static void
ui_close (Ui *ui)
{
  gtk_window_destroy (GTK_WINDOW (ui->window));
  g_clear_object (&ui->context);
}

static void
set_roles (Ui                 *ui,
           const char * const *roles)
{
  g_settings_set_strv (assay_context_get_settings (ui->context), "roles", roles);
}

static void
assert_places (Ui                 *ui,
               const char * const *expected)
{
  g_auto(GStrv) places = assay_window_list_places (ui->window);

  g_assert_cmpstrv (places, expected);
}

/* The sidebar shows the places of the roles, grouped under their headings, and follows a
 * change of the roles at once; Alt+N goes to the Nth place shown. */
static void
test_places_by_role (void)
{
  g_autoptr(AssayStore) store = test_db_new (5);
  Ui ui = { NULL };

  ui_open (&ui, store);
  /* the demo's default: inspector, lead and manager see everything there is so far */
  g_assert_true (assay_context_has_role (ui.context, ASSAY_ROLE_INSPECTOR));
  g_assert_false (assay_context_has_role (ui.context, ASSAY_ROLE_AGENT));
  assert_places (&ui, ((const char *[]) { "queue", "evaluations", "calibration", "agents",
                                          "coaching", "overdue",
                                          "dashboard", "agent-scorecard", "callbacks", "reports",
                                          "interactions", "scorecards", "disputes", "sync", NULL }));
  g_assert_cmpstr (assay_window_get_page (ui.window), ==, "queue");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.show-place", "i", 4));
  g_assert_cmpstr (assay_window_get_page (ui.window), ==, "agents");

  /* an agent sees only their own results, their disputes and Sync, and the page shown follows */
  set_roles (&ui, (const char *[]) { "agent", NULL });
  g_assert_cmpint (assay_context_get_roles (ui.context), ==, ASSAY_ROLE_AGENT);
  assert_places (&ui, ((const char *[]) { "my-results", "disputes", "sync", NULL }));
  g_assert_cmpstr (assay_window_get_page (ui.window), ==, "my-results");
  /* a place the roles do not show cannot be reached by name or number either */
  assay_window_show_page (ui.window, "interactions");
  g_assert_cmpstr (assay_window_get_page (ui.window), ==, "my-results");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.show-place", "i", 4));
  g_assert_cmpstr (assay_window_get_page (ui.window), ==, "my-results");
  g_assert_null (assay_window_peek_page_widget (ui.window, "interactions"));

  /* a team lead: of Review only Calibration (leads create sessions), People, Insights, Centre */
  set_roles (&ui, (const char *[]) { "lead", NULL });
  assert_places (&ui, ((const char *[]) { "calibration", "agents", "coaching", "overdue",
                                          "dashboard",
                                          "agent-scorecard", "callbacks", "reports",
                                          "interactions", "scorecards", "disputes", "sync", NULL }));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.show-place", "i", 2));
  g_assert_cmpstr (assay_window_get_page (ui.window), ==, "agents");

  ui_close (&ui);
}

/* Every place has its page type and a heading; the headings are translated text. */
static void
test_place_table (void)
{
  guint n;
  const AssayPlace *places = assay_places_get (&n);

  g_assert_cmpuint (n, >=, 6);
  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (places[i].page_type);
      g_assert_true (g_type_is_a (places[i].page_type (), GTK_TYPE_WIDGET));
      g_assert_true (assay_places_lookup (places[i].name) == &places[i]);
      g_assert_true (places[i].roles != ASSAY_ROLE_NONE);
      /* grouped: a heading never comes back after another one */
      if (i > 0)
        g_assert_cmpint (places[i].heading, >=, places[i - 1].heading);
      g_assert_true (places[i].count == NULL || places[i].badge_collections != NULL);
    }
  g_assert_cmpstr (assay_heading_get_title (ASSAY_HEADING_CENTRE), ==, "Centre");
  g_assert_null (assay_heading_get_title (ASSAY_HEADING_MINE));
}

/* A page is built the first time it is shown: the interactions page does not count its rows
 * while another page is on screen. */
static void
test_lazy_pages (void)
{
  g_autoptr(AssayStore) store = test_db_new (300);
  Ui ui = { NULL };
  GtkWidget *page;
  AssayInteractionModel *model;

  ui_open (&ui, store);
  g_assert_cmpstr (assay_window_get_page (ui.window), ==, "queue");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui.window));
  g_assert_nonnull (assay_window_peek_page_widget (ui.window, "queue"));
  g_assert_null (assay_window_peek_page_widget (ui.window, "interactions"));
  g_assert_null (assay_window_peek_page_widget (ui.window, "agents"));
  g_assert_null (assay_window_peek_page_widget (ui.window, "scorecards"));
  g_assert_null (assay_window_peek_page_widget (ui.window, "review"));

  assay_window_show_page (ui.window, "interactions");
  page = assay_window_peek_page_widget (ui.window, "interactions");
  g_assert_nonnull (page);
  model = assay_interaction_list_get_model (assay_interactions_page_get_list (ASSAY_INTERACTIONS_PAGE (page)));
  g_assert_nonnull (model);
  /* built once: showing it again keeps the same page */
  assay_window_show_page (ui.window, "queue");
  assay_window_show_page (ui.window, "interactions");
  g_assert_true (assay_window_peek_page_widget (ui.window, "interactions") == page);

  ui_close (&ui);
}

typedef struct {
  Ui         *ui;
  const char *badge;
} Badge;

static gboolean
badge_is (gpointer data)
{
  Badge *b = data;

  return g_strcmp0 (assay_window_get_badge (b->ui->window, "evaluations"), b->badge) == 0;
}

static gboolean
one_row (gpointer data)
{
  return assay_evaluations_page_get_n_rows (data) == 1;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (assay_store_save_draft_finish (ASSAY_STORE (source), result, &error), >, 0);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* A draft written through the store (here by the test, as a review elsewhere in the app would)
 * reaches the open evaluations page and the sidebar's badge; nobody reloads them. */
static void
test_page_follows_store (void)
{
  g_autoptr(AssayStore) store = test_db_new (5);
  Ui ui = { NULL };
  AssayEvaluationsPage *page;
  AssayEvaluationRecord r = { 0 };
  Badge no_badge = { &ui, NULL };
  Badge one_draft = { &ui, "1" };
  gboolean saved = FALSE;

  test_db_add_review_form (store);
  ui_open (&ui, store);
  assay_window_show_page (ui.window, "evaluations");
  page = ASSAY_EVALUATIONS_PAGE (assay_window_peek_page_widget (ui.window, "evaluations"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui.window));
  test_wait_until (badge_is, &no_badge, 10);
  g_assert_cmpuint (assay_evaluations_page_get_n_rows (page), ==, 0);

  r.id = (char *) "50000000-0000-4000-8000-000000000001";
  r.interaction_id = (char *) "20000000-0000-4000-8000-000000000002";
  r.form_version_id = (char *) TEST_FORM_VERSION_ID;
  r.inspector_id = assay_context_get_me (ui.context)->id;
  r.answers = (char *) "{}";
  r.score = 50;
  assay_store_save_draft_async (store, &r, NULL, saved_cb, &saved);
  test_wait_until (is_true, &saved, 10);

  test_wait_until (one_row, page, 10);
  test_wait_until (badge_is, &one_draft, 10);

  ui_close (&ui);
}

typedef struct {
  gboolean  done;
  GError   *error;
} Child;

static void
child_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Child *child = user_data;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &child->error);
  child->done = TRUE;
}

static gboolean
child_done (gpointer data)
{
  return ((Child *) data)->done;
}

static gboolean
model_has (gpointer data)
{
  GListModel *model = data;

  return g_list_model_get_n_items (model) == GPOINTER_TO_UINT (g_object_get_data (data, "want"));
}

/* `assayctl import` in another process while the window is open: the interactions page shows
 * the new contact without a restart (the store polls PRAGMA data_version). */
static void
test_other_process (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *dir = g_dir_make_tmp ("assay-context-XXXXXX", &error);
  g_autofree char *csv = g_build_filename (dir, "more.csv", NULL);
  Ui ui = { NULL };
  GtkWidget *page;
  AssayInteractionModel *model;
  Child child = { FALSE };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv, CSV_HEADER "70000000-0000-4000-8000-000000000001,phone,"
                                      "Billing,E001,Wang Fang,Billing,C-77,2026-11-20T12:30:00Z,"
                                      "1,60,0,0,4,9,,,0,,,,,,,\n", -1, NULL));
  ui_open (&ui, store);
  assay_window_show_page (ui.window, "interactions");
  page = assay_window_peek_page_widget (ui.window, "interactions");
  model = assay_interaction_list_get_model (assay_interactions_page_get_list (ASSAY_INTERACTIONS_PAGE (page)));
  g_object_set_data (G_OBJECT (model), "want", GUINT_TO_POINTER (10));
  test_wait_until (model_has, model, 30);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("ASSAYCTL"),
                              "--database", assay_store_get_path (store), "import", csv, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, child_done_cb, &child);
  test_wait_until (child_done, &child, 60);
  g_assert_no_error (child.error);

  /* polled every 500 ms; the bound only guards against a hang */
  g_object_set_data (G_OBJECT (model), "want", GUINT_TO_POINTER (11));
  test_wait_until (model_has, model, 10);

  ui_close (&ui);
  g_unlink (csv);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/context/place-table", test_place_table);
  g_test_add_func ("/ui/context/places-by-role", test_places_by_role);
  g_test_add_func ("/ui/context/lazy-pages", test_lazy_pages);
  g_test_add_func ("/ui/context/page-follows-store", test_page_follows_store);
  g_test_add_func ("/ui/context/other-process", test_other_process);
  return g_test_run ();
}
