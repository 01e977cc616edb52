/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-context.h"
#include "core/assay-util.h"
#include "pages/assay-coaching-page.h"
#include "store/assay-store-coaching.h"
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/coaching-ui/empty", test_empty);
  g_test_add_func ("/coaching-ui/list-follows-store", test_list_follows_store);
  g_test_add_func ("/coaching-ui/create-dialog", test_create_dialog);
  return g_test_run ();
}
