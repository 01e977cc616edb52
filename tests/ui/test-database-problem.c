/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The read-only bar and the damaged-database dialogs, in a real window (assay-database-problem.c). */
#include <string.h>

#include <glib/gstdio.h>

#include "assay-context.h"
#include "assay-database-problem.h"
#include "assay-ui-util.h"
#include "assay-window.h"
#include "test-damage.h"
#include "test-db.h"

static gboolean
view_is_pages (gpointer data)
{
  return g_strcmp0 (assay_window_get_view (data), "pages") == 0;
}

static gboolean
banner_shown (gpointer data)
{
  GtkRevealer *banner = assay_database_problem_get_banner (data);

  /* revealed, and the slide is over */
  return banner != NULL && gtk_revealer_get_reveal_child (banner)
         && gtk_revealer_get_child_revealed (banner);
}

static gboolean
dialog_is (gpointer data)
{
  gpointer *args = data;
  AdwMessageDialog *dialog = assay_database_problem_get_dialog (args[0]);

  return dialog != NULL && g_strcmp0 (adw_message_dialog_get_heading (dialog), args[1]) == 0;
}

static void
wait_for_dialog (GtkWindow  *window,
                 const char *heading)
{
  gpointer args[] = { window, (gpointer) heading };

  test_wait_until (dialog_is, args, 60);
}

static char *
closed_db (guint n)
{
  g_autoptr(AssayStore) store = test_db_new (n);
  char *path = g_strdup (assay_store_get_path (store));

  assay_store_close (store);
  return path;
}

/* a window on @store through its own context, as the application makes one */
static AssayWindow *
window_new (AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  return assay_window_new (NULL, context);
}

static void
test_writable_no_bar (void)
{
  g_autoptr(AssayStore) store = test_db_new (20);
  AssayWindow *window = window_new (store);
  GtkRevealer *banner;

  gtk_window_present (GTK_WINDOW (window));
  test_wait_until (view_is_pages, window, 30);
  /* the check has run once this answers (the worker takes jobs in order) */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM team"), ==, 3);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  banner = assay_database_problem_get_banner (GTK_WINDOW (window));
  g_assert_nonnull (banner);
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  g_assert_null (assay_database_problem_get_dialog (GTK_WINDOW (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* chmod 0444: the store treats a file without write bits as read-only even for root
 * (tests/store/test-health.c explains why that is honest). */
static void
test_read_only_bar (void)
{
  g_autofree char *path = closed_db (20);
  g_autoptr(AssayStore) store = NULL;
  AssayWindow *window;
  GtkWidget *bar;
  GtkWidget *label;

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  store = assay_store_new (path);
  window = window_new (store);
  gtk_window_present (GTK_WINDOW (window));
  test_wait_until (view_is_pages, window, 30);
  test_wait_until (banner_shown, window, 30);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* the bar says what happened and what to do, naming the file */
  bar = gtk_revealer_get_child (assay_database_problem_get_banner (GTK_WINDOW (window)));
  label = gtk_widget_get_next_sibling (gtk_widget_get_first_child (bar));
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "read-only"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), path));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "Preferences"));
  g_assert_true (gtk_widget_get_mapped (label));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
}

static void
test_damaged_dialog_and_salvage (void)
{
  g_autofree char *path = closed_db (1500);
  g_autofree char *damaged = test_damage_copy (path);
  guint lost = test_damage_table (damaged, "interaction");
  g_autofree char *before = test_damage_sha256 (damaged);
  g_autofree char *after = NULL;
  g_autofree char *folder = g_path_get_dirname (damaged);
  g_autofree char *configured = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(AssayStore) store = assay_store_new (damaged);
  g_autoptr(AssayStore) salvaged = NULL;
  g_autoptr(GError) error = NULL;
  AssayWindow *window;
  AdwMessageDialog *dialog;

  window = window_new (store);
  gtk_window_present (GTK_WINDOW (window));

  /* the background check finds the damage: the user is told in plain words */
  wait_for_dialog (GTK_WINDOW (window), "The Database Is Damaged");
  dialog = assay_database_problem_get_dialog (GTK_WINDOW (window));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), damaged));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "left exactly as it is"));
  g_assert_true (adw_message_dialog_has_response (dialog, "salvage"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));

  /* salvage: a new database next to it, then the offer to use it */
  adw_message_dialog_response (dialog, "salvage");
  wait_for_dialog (GTK_WINDOW (window), "Salvage Complete");
  dialog = assay_database_problem_get_dialog (GTK_WINDOW (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), folder));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "assay-salvaged-"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));

  g_settings_set_string (settings, "database-path", "");
  adw_message_dialog_response (dialog, "use");
  configured = g_settings_get_string (settings, "database-path");
  g_assert_true (g_str_has_prefix (configured, folder));
  g_assert_nonnull (strstr (configured, "/assay-salvaged-"));

  /* the salvaged database holds what could be read; the damaged file is untouched */
  salvaged = assay_store_new (configured);
  g_assert_true (assay_store_open_sync (salvaged, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (salvaged, "SELECT count(*) FROM interaction"), ==,
                   1500 - lost);
  assay_store_close (salvaged);
  gtk_window_destroy (GTK_WINDOW (window));
  assay_store_close (store);
  after = test_damage_sha256 (damaged);
  g_assert_cmpstr (before, ==, after);
  g_settings_reset (settings, "database-path");
}

static gboolean
view_is_error (gpointer data)
{
  return g_strcmp0 (assay_window_get_view (data), "error") == 0;
}

/* Whether a label under @widget shows text containing @needle (as the user reads it). */
static gboolean
shows_text (GtkWidget  *widget,
            const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, needle))
      return TRUE;
  return FALSE;
}

/* A folder Assay cannot write, with markup characters in its name: the error page says so. */
static void
test_read_only_folder_error_page (void)
{
  g_autofree char *top = g_dir_make_tmp ("assay-ui-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (top, "R&D <team>", NULL);
  g_autofree char *path = g_build_filename (folder, "assay.db", NULL);
  g_autoptr(AssayStore) store = NULL;
  AssayWindow *window;

  g_assert_cmpint (g_mkdir (folder, 0555), ==, 0);
  store = assay_store_new (path);
  window = window_new (store);
  gtk_window_present (GTK_WINDOW (window));
  test_wait_until (view_is_error, window, 30);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (shows_text (GTK_WIDGET (window), "R&D <team>"));
  g_assert_true (shows_text (GTK_WIDGET (window), "read-only"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
}

static void
test_toast_escapes (void)
{
  g_autoptr(AdwToast) toast = g_object_ref_sink (assay_ui_toast_new ("Not saved: <Tom> & \"Jerry\""));

  /* toasts read Pango markup: the text must come through as written, not as markup */
  g_assert_cmpstr (adw_toast_get_title (toast), ==,
                   "Not saved: &lt;Tom&gt; &amp; &quot;Jerry&quot;");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/database-problem/writable", test_writable_no_bar);
  g_test_add_func ("/ui/database-problem/read-only-bar", test_read_only_bar);
  g_test_add_func ("/ui/database-problem/damaged", test_damaged_dialog_and_salvage);
  g_test_add_func ("/ui/database-problem/read-only-folder", test_read_only_folder_error_page);
  g_test_add_func ("/ui/database-problem/toast-escapes", test_toast_escapes);
  return g_test_run ();
}
