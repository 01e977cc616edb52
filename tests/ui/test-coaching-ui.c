/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-context.h"
#include "core/assay-util.h"
#include "pages/assay-coaching-page.h"
#include "store/assay-store-coaching.h"
#include "store/assay-store-evaluations.h"
#include "test-db.h"

#define AGENT_1 "10000000-0000-4000-8000-000000000001"

typedef struct {
  AssayStore        *store;
  AssayContext      *context;
  GtkWindow         *window;
  AssayCoachingPage *page;
} Ui;

static gboolean
context_ready (gpointer data)
{
  return assay_context_get_ready (data);
}

static void
ui_open (Ui      *ui,
         guint    n_interactions)
{
  ui->store = test_db_new (n_interactions);
  ui->context = assay_context_new (ui->store, NULL);
  assay_context_load_async (ui->context, NULL, NULL, NULL);
  test_wait_until (context_ready, ui->context, 10);
  ui->window = GTK_WINDOW (gtk_window_new ());
  ui->page = g_object_new (ASSAY_TYPE_COACHING_PAGE, "context", ui->context, NULL);
  gtk_window_set_child (ui->window, GTK_WIDGET (ui->page));
  gtk_window_present (ui->window);
}

static void
ui_close (Ui *ui)
{
  gtk_window_destroy (ui->window);
  g_clear_object (&ui->context);
  g_clear_object (&ui->store);
}

typedef struct {
  AssayCoachingPage *page;
  const char        *state;
  guint              n;
} Want;

static gboolean
page_shows (gpointer data)
{
  Want *w = data;

  return g_strcmp0 (_assay_coaching_page_get_state (w->page), w->state) == 0
         && _assay_coaching_page_get_n_sessions (w->page) == w->n;
}

static void
wait_for (AssayCoachingPage *page,
          const char        *state,
          guint              n)
{
  Want w = { page, state, n };

  test_wait_until (page_shows, &w, 10);
}

/* No session: the designed empty state, offering to plan one. */
static void
test_empty (void)
{
  Ui ui = { 0 };

  ui_open (&ui, 0);
  wait_for (ui.page, "empty", 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "coaching.new", NULL));
  ui_close (&ui);
}

/* Sessions written by anyone reach the list through the store's change notification. */
static void
test_list_follows_store (void)
{
  Ui ui = { 0 };
  g_autoptr(GError) error = NULL;
  AssayCoachingSessionSpec spec = { AGENT_1, NULL, NULL, NULL, assay_now_ms (), "ID checks" };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  ui_open (&ui, 12);
  wait_for (ui.page, "empty", 0);
  spec.coach_id = assay_context_get_me (ui.context)->id;
  a = assay_store_create_coaching_session_sync (ui.store, &spec, &error);
  g_assert_no_error (error);
  wait_for (ui.page, "list", 1);
  b = assay_store_create_coaching_session_sync (ui.store, &spec, &error);
  g_assert_true (assay_store_acknowledge_coaching_sync (ui.store, a, AGENT_1, "ok", &error));
  wait_for (ui.page, "list", 2);
  ui_close (&ui);
}

static GtkWidget *
find_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (tops, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

/* The dialog plans a session with the first agent at the time given; a bad time is refused
 * with a toast and nothing is written. */
static void
test_create_dialog (void)
{
  Ui ui = { 0 };
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *when;
  GtkWidget *agenda;

  ui_open (&ui, 12);
  wait_for (ui.page, "empty", 0);

  assay_coaching_page_new_session (ui.page);
  test_wait_until (dialog_shown, NULL, 10);
  dialog = find_dialog ();
  box = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  when = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));
  agenda = gtk_widget_get_next_sibling (when);
  gtk_editable_set_text (GTK_EDITABLE (when), "next tuesday");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "create");
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT count(*) FROM coaching_session"), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));

  assay_coaching_page_new_session (ui.page);
  test_wait_until (dialog_shown, NULL, 10);
  dialog = find_dialog ();
  box = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  when = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));
  agenda = gtk_widget_get_next_sibling (when);
  gtk_editable_set_text (GTK_EDITABLE (when), "2026-12-08 10:30");
  gtk_editable_set_text (GTK_EDITABLE (agenda), "Verified identity");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "create");
  wait_for (ui.page, "list", 1);
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT count(*) FROM coaching_session"
                                                " WHERE agenda = 'Verified identity'"), ==, 1);
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT count(*) FROM outbox"
                                                " WHERE collection = 'coaching_sessions'"), ==, 1);
  ui_close (&ui);
}

#define INSPECTOR "30000000-0000-4000-8000-000000000001"
#define ANSWERS(greeting) \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  " \"greeting\": {\"value\": \"" greeting "\"}, \"disclosure\": {\"value\": \"yes\"}," \
  " \"fix\": {\"value\": 4}}}"

/* Submits an evaluation of @interaction_id through the store (so the change is announced). */
static void
submit (AssayStore *store,
        const char *evaluation_id,
        const char *interaction_id,
        const char *answers)
{
  g_autoptr(AssayEvaluationRecord) r = g_new0 (AssayEvaluationRecord, 1);
  g_autoptr(GError) error = NULL;

  r->id = g_strdup (evaluation_id);
  r->interaction_id = g_strdup (interaction_id);
  r->form_version_id = g_strdup (TEST_FORM_VERSION_ID);
  r->inspector_id = g_strdup (INSPECTOR);
  r->answers = g_strdup (answers);
  r->score = 80;
  r->results = g_strdup ("{}");
  g_assert_cmpint (assay_store_save_draft_sync (store, r, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, INSPECTOR, NULL, &error), ==,
                   1);
  g_assert_no_error (error);
}

typedef struct {
  AssayCoachingPage        *page;
  AssayCoachingSessionView *view;
  guint                     n_focus;
  const char               *goal_status;
} Shown;

static gboolean
session_shown (gpointer data)
{
  Shown *w = data;

  return g_strcmp0 (_assay_coaching_page_get_state (w->page), "session") == 0
         && g_strcmp0 (_assay_coaching_session_view_get_state (w->view), "shown") == 0
         && _assay_coaching_session_view_get_n_focus (w->view) == w->n_focus
         && g_strcmp0 (_assay_coaching_session_view_get_goal_status (w->view, 0),
                       w->goal_status) == 0;
}

static void
respond (const char *response)
{
  GtkWidget *dialog;

  test_wait_until (dialog_shown, NULL, 10);
  dialog = find_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The whole cycle: an evaluation that lost the greeting → "Coach…" plans a session whose focus
 * is the greeting → a goal on it (90 % by a deadline) and an action → a follow-up evaluation
 * that passes the greeting → the goal shows its figures and is met, as a recomputation says. */
static void
test_evaluation_to_goal_met (void)
{
  Ui ui = { 0 };
  Shown w = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayCoachingSessionDetail) detail = NULL;
  AssayCoachingGoalRecord *goal;
  GtkWidget *dialog, *box, *child;
  const char *session_id;
  g_autofree char *follow_up = NULL;
  gint64 at;

  ui_open (&ui, 12);
  test_db_add_review_form (ui.store);
  test_db_exec (ui.store, "INSERT INTO staff (id, name, roles) VALUES ('" INSPECTOR "', 'Ann',"
                          " 'inspector')");
  /* interaction 0 is agent 1's; the evaluation lost the greeting */
  submit (ui.store, "50000000-0000-4000-8000-000000000000", "20000000-0000-4000-8000-000000000000",
          ANSWERS ("no"));
  wait_for (ui.page, "empty", 0);

  assay_coaching_page_coach_evaluation (ui.page, "50000000-0000-4000-8000-000000000000");
  test_wait_until (dialog_shown, NULL, 10);
  dialog = find_dialog ();
  box = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_first_child (box)), "2026-11-21 10:00");
  respond ("create");
  w.page = ui.page;
  w.view = _assay_coaching_page_get_session_view (ui.page);
  w.n_focus = 1;
  test_wait_until (session_shown, &w, 10);
  session_id = assay_coaching_session_view_get_session_id (w.view);
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT count(*) FROM coaching_session WHERE"
                                                " source = 'evaluation' AND focus = '[\"greeting\"]'"
                                                " AND agent_id = '" AGENT_1 "'"), ==, 1);

  /* a goal on the focus item: 90 % by a deadline far ahead */
  assay_coaching_session_view_add_goal (w.view);
  test_wait_until (dialog_shown, NULL, 10);
  dialog = find_dialog ();
  box = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  child = gtk_widget_get_first_child (box);
  gtk_editable_set_text (GTK_EDITABLE (child), "Greet every caller");
  child = gtk_widget_get_next_sibling (child);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (child)), ==, 0);   /* greeting */
  child = gtk_widget_get_next_sibling (child);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child)), ==, 90);
  child = gtk_widget_get_next_sibling (child);
  gtk_editable_set_text (GTK_EDITABLE (child), "2099-12-31");
  respond ("ok");
  w.goal_status = "In progress";
  test_wait_until (session_shown, &w, 10);

  /* an action for the agent */
  assay_coaching_session_view_add_action (w.view);
  test_wait_until (dialog_shown, NULL, 10);
  dialog = find_dialog ();
  box = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_first_child (box)), "Listen to two calls");
  respond ("ok");

  /* the follow-up: a contact after the session, the greeting passed */
  at = test_db_query_int (ui.store, "SELECT scheduled_at FROM coaching_session") + 3600000;
  follow_up = g_strdup_printf ("INSERT INTO interaction (id, channel, queue, agent_id, team_id,"
                               " customer_ref, started_at) VALUES ('20000000-0000-4000-8000-"
                               "000000000100', 'phone', 'Billing', '" AGENT_1 "',"
                               " '00000000-0000-4000-8000-000000000001', 'C-1', %" G_GINT64_FORMAT
                               ")", at);
  test_db_exec (ui.store, follow_up);
  submit (ui.store, "50000000-0000-4000-8000-000000000100", "20000000-0000-4000-8000-000000000100",
          ANSWERS ("yes"));
  w.goal_status = "Met";
  test_wait_until (session_shown, &w, 10);

  /* what it shows is what a recomputation says: before 0 of 1, after 1 of 1 */
  detail = assay_store_get_coaching_session_sync (ui.store, session_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->goals->len, ==, 1);
  goal = g_ptr_array_index (detail->goals, 0);
  g_assert_cmpuint (goal->before_n, ==, test_db_query_int (ui.store,
    "SELECT count(*) FROM evaluation e JOIN interaction i ON i.id = e.interaction_id"
    " WHERE i.agent_id = '" AGENT_1 "' AND e.state = 'submitted'"
    " AND i.started_at < (SELECT scheduled_at FROM coaching_session)"));
  g_assert_cmpuint (goal->before_n, ==, 1);
  g_assert_cmpfloat (goal->before, ==, 0);
  g_assert_cmpuint (goal->after_n, ==, 1);
  g_assert_cmpfloat (goal->after, ==, 1);
  g_assert_true (goal->met);
  g_assert_cmpuint (detail->actions->len, ==, 1);
  g_assert_cmpstr (((AssayCoachingActionRecord *) g_ptr_array_index (detail->actions, 0))->owner,
                   ==, "agent");
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT count(*) FROM outbox WHERE collection"
                                                " IN ('coaching_goals', 'coaching_actions')"), ==, 2);

  /* back to the list: the session is there with its goal */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "coaching.back", NULL));
  wait_for (ui.page, "list", 1);
  ui_close (&ui);
}

typedef struct {
  AssayCoachingSessionView *view;
  const char               *state;
} ViewState;

static gboolean
view_in_state (gpointer data)
{
  ViewState *v = data;

  return g_strcmp0 (_assay_coaching_session_view_get_state (v->view), v->state) == 0;
}

static gboolean
acknowledged (gpointer data)
{
  return test_db_query_int (data, "SELECT count(*) FROM coaching_session"
                                  " WHERE ack_comment = 'Thanks'") == 1;
}

/* The agent's own view: another agent's session is refused; the agent acknowledges their own
 * with a comment. */
static void
test_agent_acknowledges (void)
{
  Ui ui = { 0 };
  g_autoptr(GError) error = NULL;
  AssayCoachingSessionSpec spec = { AGENT_1, NULL, NULL, NULL, assay_now_ms (), "ID checks" };
  g_autofree char *id = NULL;
  ViewState v = { 0 };
  GtkWidget *dialog, *box;

  ui_open (&ui, 12);
  spec.coach_id = assay_context_get_me (ui.context)->id;
  id = assay_store_create_coaching_session_sync (ui.store, &spec, &error);
  g_assert_no_error (error);
  v.view = _assay_coaching_page_get_session_view (ui.page);

  assay_coaching_session_view_show (v.view, id, "10000000-0000-4000-8000-000000000002");
  v.state = "error";
  test_wait_until (view_in_state, &v, 10);

  assay_coaching_session_view_show (v.view, id, AGENT_1);
  v.state = "shown";
  test_wait_until (view_in_state, &v, 10);
  assay_coaching_session_view_acknowledge (v.view);
  test_wait_until (dialog_shown, NULL, 10);
  dialog = find_dialog ();
  box = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_first_child (box)), "Thanks");
  respond ("ok");
  test_wait_until (acknowledged, ui.store, 10);
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT count(*) FROM outbox WHERE collection ="
                                                " 'coaching_sessions' AND action = 'update'"), ==, 1);
  ui_close (&ui);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/coaching-ui/empty", test_empty);
  g_test_add_func ("/coaching-ui/list-follows-store", test_list_follows_store);
  g_test_add_func ("/coaching-ui/create-dialog", test_create_dialog);
  g_test_add_func ("/coaching-ui/evaluation-to-goal-met", test_evaluation_to_goal_met);
  g_test_add_func ("/coaching-ui/agent-acknowledges", test_agent_acknowledges);
  return g_test_run ();
}
