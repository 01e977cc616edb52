/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-context.h"
#include "core/assay-util.h"
#include "pages/assay-disputes-page-private.h"
#include "store/assay-store-disputes.h"
#include "store/assay-store-evaluations.h"
#include "test-db.h"

/* The Disputes page: the empty state, raise → decide at both steps → the evaluation shows the
 * amendment → the agent acknowledges; the filters and an overdue step. */

#define EVALUATION "50000000-0000-4000-8000-000000000001"
#define INSPECTOR  "30000000-0000-4000-8000-000000000003"
#define ANSWERS(fix) \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  " \"greeting\": {\"value\": \"yes\"}, \"disclosure\": {\"value\": \"yes\"}," \
  " \"fix\": {\"value\": " fix ", \"comment\": \"late\"}}}"

typedef struct {
  AssayStore        *store;
  AssayContext      *context;
  GtkWindow         *window;
  AssayDisputesPage *page;
} Ui;

static gboolean
context_ready (gpointer data)
{
  return assay_context_get_ready (data);
}

static void
submit_evaluation (AssayStore *store)
{
  g_autoptr(AssayEvaluationRecord) r = g_new0 (AssayEvaluationRecord, 1);
  g_autoptr(GError) error = NULL;

  test_db_add_review_form (store);
  test_db_exec (store, "INSERT INTO staff (id, name, roles) VALUES"
                       " ('" INSPECTOR "', 'Ma Rui', 'inspector')");
  r->id = g_strdup (EVALUATION);
  r->interaction_id = g_strdup ("20000000-0000-4000-8000-000000000000");
  r->form_version_id = g_strdup (TEST_FORM_VERSION_ID);
  r->inspector_id = g_strdup (INSPECTOR);
  r->answers = g_strdup (ANSWERS ("2"));
  r->score = 62.5;
  g_assert_cmpint (assay_store_save_draft_sync (store, r, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, INSPECTOR, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

static void
ui_open (Ui       *ui,
         gboolean  with_evaluation)
{
  ui->store = test_db_new (3);
  if (with_evaluation)
    submit_evaluation (ui->store);
  ui->context = assay_context_new (ui->store, NULL);
  assay_context_load_async (ui->context, NULL, NULL, NULL);
  test_wait_until (context_ready, ui->context, 10);
  ui->window = GTK_WINDOW (gtk_window_new ());
  ui->page = g_object_new (ASSAY_TYPE_DISPUTES_PAGE, "context", ui->context, NULL);
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
  AssayDisputesPage *page;
  const char        *state;
  guint              n;
} Want;

static gboolean
page_lists (gpointer data)
{
  Want *w = data;

  return g_strcmp0 (_assay_disputes_page_get_state (w->page), w->state) == 0
         && _assay_disputes_page_get_n_disputes (w->page) == w->n;
}

static void
wait_for (AssayDisputesPage *page,
          const char        *state,
          guint              n)
{
  Want w = { page, state, n };

  test_wait_until (page_lists, &w, 10);
}

typedef struct {
  AssayDisputesPage *page;
  const char        *dispute_state;
  int                step;
  guint              revisions;
  gboolean           acknowledged;
} Detail;

static gboolean
detail_shows (gpointer data)
{
  Detail *d = data;

  return g_strcmp0 (_assay_disputes_page_get_state (d->page), "detail") == 0
         && g_strcmp0 (_assay_disputes_page_get_dispute_state (d->page), d->dispute_state) == 0
         && _assay_disputes_page_get_current_step (d->page) == d->step
         && _assay_disputes_page_get_n_revisions (d->page) == d->revisions
         && _assay_disputes_page_get_acknowledged (d->page) == d->acknowledged;
}

static void
wait_detail (AssayDisputesPage *page,
             const char        *state,
             int                step,
             guint              revisions,
             gboolean           acknowledged)
{
  Detail d = { page, state, step, revisions, acknowledged };

  test_wait_until (detail_shows, &d, 10);
}

static GtkWidget *
find_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();

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

static void
close_dialog (void)
{
  GtkWidget *dialog;

  test_wait_until (dialog_shown, NULL, 10);
  dialog = find_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* No dispute: the designed empty state, and Raise says what is missing rather than failing. */
static void
test_empty (void)
{
  Ui ui = { 0 };

  ui_open (&ui, FALSE);
  wait_for (ui.page, "empty", 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "disputes.raise", NULL));
  wait_for (ui.page, "empty", 0);
  g_assert_null (find_dialog ());
  ui_close (&ui);
}

/* Raise on one item → the lead's step → the manager upholds → the evaluation's revision 2 is
 * the amendment with the item corrected → the agent acknowledges. */
static void
test_through_steps (void)
{
  Ui ui = { 0 };
  const char *items[] = { "fix", NULL };

  ui_open (&ui, TRUE);
  wait_for (ui.page, "empty", 0);
  /* the dialog opens on the evaluations within the window */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "disputes.raise", NULL));
  close_dialog ();

  _assay_disputes_page_raise (ui.page, EVALUATION, items, "The refund was offered");
  wait_detail (ui.page, "open", 1, 1, FALSE);
  g_assert_true (_assay_disputes_page_may_decide (ui.page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "disputes.decide", NULL));
  close_dialog ();

  /* an upheld recommendation moves it to the manager's step, and changes no score */
  _assay_disputes_page_decide (ui.page, "upheld", "missing_context", "It was offered", NULL);
  wait_detail (ui.page, "open", 2, 1, FALSE);
  /* the last step needs the items it corrects */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "disputes.decide", NULL));
  close_dialog ();
  _assay_disputes_page_decide (ui.page, "upheld", "evidence_supports_agent", "Agreed", items);
  wait_detail (ui.page, "upheld", 0, 2, FALSE);
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT score FROM evaluation_revision"
                                                " WHERE number = 2"), ==, 100);
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT count(*) FROM evaluation_revision"
                                                " WHERE number = 2 AND reason LIKE 'Dispute upheld: %'"),
                   ==, 1);

  _assay_disputes_page_acknowledge (ui.page, "Thanks");
  wait_detail (ui.page, "upheld", 0, 2, TRUE);
  g_assert_cmpint (test_db_query_int (ui.store, "SELECT count(*) FROM acknowledgement"
                                                " WHERE kind = 'dispute' AND comment = 'Thanks'"),
                   ==, 1);

  /* back to the list: closed 1, open 0 */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "disputes.back", NULL));
  _assay_disputes_page_set_filter (ui.page, 4);
  wait_for (ui.page, "list", 1);
  _assay_disputes_page_set_filter (ui.page, 1);
  wait_for (ui.page, "empty", 0);
  ui_close (&ui);
}

/* A dispute raised ten days ago is past its first step's deadline: listed as overdue. */
static void
test_overdue (void)
{
  Ui ui = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  AssayDisputeRaise raise = { EVALUATION, INSPECTOR, TRUE, NULL, "Too harsh", 30, 0 };

  ui_open (&ui, TRUE);
  wait_for (ui.page, "empty", 0);
  raise.now = assay_now_ms () - 10 * ASSAY_DISPUTE_DAY_MS;
  /* submitted "after" the raise, so inside the window by the store's arithmetic */
  id = assay_store_raise_dispute_sync (ui.store, &raise, &error);
  g_assert_no_error (error);
  wait_for (ui.page, "list", 1);
  g_assert_cmpuint (_assay_disputes_page_get_n_overdue (ui.page), ==, 1);
  _assay_disputes_page_set_filter (ui.page, 2);
  wait_for (ui.page, "list", 1);
  _assay_disputes_page_set_filter (ui.page, 4);
  wait_for (ui.page, "empty", 0);
  ui_close (&ui);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/disputes-page/empty", test_empty);
  g_test_add_func ("/disputes-page/through-steps", test_through_steps);
  g_test_add_func ("/disputes-page/overdue", test_overdue);
  return g_test_run ();
}
