/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "assay-window.h"
#include "pages/assay-interactions-page.h"
#include "test-db.h"

/* A window on @store with its own context, as the application makes them. */
static AssayWindow *
window_on (AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  return assay_window_new (NULL, context);
}

static gboolean
view_is (gpointer data)
{
  const char **args = data;

  return g_strcmp0 (assay_window_get_view (ASSAY_WINDOW ((gpointer) args[0])), args[1]) == 0;
}

static void
wait_for_view (AssayWindow *window,
               const char  *view)
{
  const char *args[] = { (const char *) window, view };

  test_wait_until (view_is, args, 30);
}

static gboolean
model_ready (gpointer data)
{
  AssayInteractionModel *model = assay_interaction_list_get_model (data);

  return model != NULL && !assay_interaction_model_get_loading (model);
}

static guint
n_rows (AssayInteractionList *list)
{
  return g_list_model_get_n_items (G_LIST_MODEL (assay_interaction_list_get_model (list)));
}

static AssayWindow *
open_window (AssayStore *store)
{
  AssayWindow *window = window_on (store);

  gtk_window_present (GTK_WINDOW (window));
  wait_for_view (window, "pages");
  return window;
}

static void
test_pages_and_settings (void)
{
  g_autoptr(AssayStore) store = test_db_new (300);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AssayWindow *window;
  AssayInteractionList *list;

  g_settings_set_string (settings, "last-page", "agents");
  window = open_window (store);
  /* the last page shown comes back */
  g_assert_cmpstr (assay_window_get_page (window), ==, "agents");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "interactions"));
  g_assert_cmpstr (assay_window_get_page (window), ==, "interactions");
  {
    g_autofree char *saved = g_settings_get_string (settings, "last-page");
    g_assert_cmpstr (saved, ==, "interactions");
  }
  /* an unknown page changes nothing */
  assay_window_show_page (window, "no-such-page");
  g_assert_cmpstr (assay_window_get_page (window), ==, "interactions");

  list = assay_interactions_page_get_list (
    ASSAY_INTERACTIONS_PAGE (assay_window_get_page_widget (window, "interactions")));
  test_wait_until (model_ready, list, 30);
  g_assert_cmpuint (n_rows (list), ==, 300);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* the window size is kept on close */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  {
    int w = 0, h = 0;
    g_settings_get (settings, "window-size", "(ii)", &w, &h);
    g_assert_cmpint (w, ==, 1000);
    g_assert_cmpint (h, ==, 700);
  }
}

static gboolean
count_is (gpointer data)
{
  gpointer *args = data;

  return model_ready (args[0]) && n_rows (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static void
test_search_sort_detail (void)
{
  g_autoptr(AssayStore) store = test_db_new (600);
  AssayWindow *window = open_window (store);
  AssayInteractionsPage *page =
    ASSAY_INTERACTIONS_PAGE (assay_window_get_page_widget (window, "interactions"));
  AssayInteractionList *list = assay_interactions_page_get_list (page);
  gpointer args[2];
  AssayInteraction *item;

  assay_window_show_page (window, "interactions");
  test_wait_until (model_ready, list, 30);
  g_assert_cmpuint (n_rows (list), ==, 600);

  /* typing in the search entry filters the list: agent "Li Wei" has every 6th row */
  assay_interactions_page_search (page, "Li Wei");

  args[0] = list;
  args[1] = GUINT_TO_POINTER (100);
  test_wait_until (count_is, args, 30);

  /* sorting by a header: shortest handle time first */
  assay_interaction_list_sort_by (list, ASSAY_INTERACTION_SORT_HANDLE, FALSE);
  test_wait_until (count_is, args, 30);
  item = g_list_model_get_item (G_LIST_MODEL (assay_interaction_list_get_model (list)), 0);
  {
    g_autoptr(AssayInteraction) first = item;
    g_autoptr(AssayInteraction) second =
      g_list_model_get_item (G_LIST_MODEL (assay_interaction_list_get_model (list)), 1);
    g_assert_true (assay_interaction_get_loaded (first));
    g_assert_cmpint (assay_interaction_get_handle_s (first), <=, assay_interaction_get_handle_s (second));
  }

  /* selecting a row shows its detail */
  gtk_selection_model_select_item (gtk_column_view_get_model (assay_interaction_list_get_column_view (list)),
                                   0, TRUE);
  g_assert_nonnull (assay_interaction_list_get_selected (list));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_empty_database (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  AssayWindow *window = open_window (store);
  AssayInteractionList *list = assay_interactions_page_get_list (
    ASSAY_INTERACTIONS_PAGE (assay_window_get_page_widget (window, "interactions")));
  GtkWidget *stack;

  test_wait_until (model_ready, list, 30);
  g_assert_cmpuint (n_rows (list), ==, 0);
  stack = gtk_widget_get_first_child (GTK_WIDGET (list));
  g_assert_true (GTK_IS_STACK (stack));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unopenable_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-ui-XXXXXX", NULL);
  /* a folder where the database file should be */
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autoptr(AssayStore) store = NULL;
  AssayWindow *window;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  store = assay_store_new (path);
  window = window_on (store);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_view (window, "error");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/window/pages-and-settings", test_pages_and_settings);
  g_test_add_func ("/ui/window/search-sort-detail", test_search_sort_detail);
  g_test_add_func ("/ui/window/empty-database", test_empty_database);
  g_test_add_func ("/ui/window/unopenable-database", test_unopenable_database);
  return g_test_run ();
}
