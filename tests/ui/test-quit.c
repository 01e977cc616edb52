/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Nothing lost on quit: the real application opens an interaction for review, an answer is
 * typed in the scoring panel and, in the same main-loop turn, the application quits (Ctrl+Q's
 * app.quit) or its window is closed. When the application has returned, the answer is in the
 * database.
 */
#include "assay-application.h"
#include "assay-window.h"
#include "pages/assay-review-page.h"
#include "store/assay-store-import.h"
#include "test-db.h"

#define INTERACTION "20000000-0000-4000-8000-000000000007"

typedef struct {
  AssayApplication *app;
  gboolean          close_window;   /* else app.quit */
  gboolean          typed;
  gboolean          timed_out;
} Run;

static char *
review_db (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autofree char *dir = g_dir_make_tmp ("assay-quit-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "call.wav", NULL);
  g_autofree char *sql = NULL;

  test_write_stereo_wav (wav, 4);
  test_db_add_review_form (store);
  sql = g_strdup_printf (
    "INSERT INTO recording (id, interaction_id, location, format, channels, agent_channel, duration_s)"
    "  VALUES ('60000000-0000-4000-8000-000000000001', '" INTERACTION "', '%s', 'wav', 2, 0, 4);",
    wav);
  test_db_exec (store, sql);
  assay_store_close (store);
  return g_strdup (assay_store_get_path (store));
}

/* Contacts enough to keep the store's worker busy for a while (an import is one transaction). */
static GInputStream *
busy_csv (void)
{
  GString *csv = g_string_new ("id,channel,queue,agent_code,agent_name,team,customer_ref,"
                               "started_at,wait_s,talk_s,hold_s,wrap_s,csat,nps,fcr,"
                               "answered_in_sl,abandoned,priority,first_response_s,"
                               "first_response_target_s,resolution_s,resolution_target_s,"
                               "recording,recording_agent_channel\n");

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (csv, "80000000-0000-4000-8000-%012u,phone,Billing,E001,Wang Fang,"
                            "Billing,C-%u,2026-10-01T10:00:00Z,1,60,0,0,4,9,,,0,,,,,,,\n", i, i);
  return g_memory_input_stream_new_from_data (g_string_free (csv, FALSE), -1, g_free);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_import_csv_finish (ASSAY_STORE (source), result, NULL, &error));
  g_assert_no_error (error);
}

/* Polled on the application's main loop: once the review is ready, type and quit at once. */
static gboolean
step_cb (gpointer data)
{
  Run *run = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  GtkWidget *page;
  AssayScoringPanel *panel;

  if (window == NULL || g_strcmp0 (assay_window_get_view (ASSAY_WINDOW (window)), "pages") != 0)
    return G_SOURCE_CONTINUE;
  page = assay_window_peek_page_widget (ASSAY_WINDOW (window), "review");
  if (page == NULL || g_strcmp0 (assay_review_page_get_status (ASSAY_REVIEW_PAGE (page)), "ready") != 0)
    return G_SOURCE_CONTINUE;
  panel = assay_review_page_get_panel (ASSAY_REVIEW_PAGE (page));
  if (!assay_scoring_panel_get_editable (panel))
    return G_SOURCE_CONTINUE;

  /* the save will wait behind other work on the worker, as it may for a user */
  {
    g_autoptr(GInputStream) input = busy_csv ();

    assay_store_import_csv_async (assay_context_get_store (assay_application_get_context (run->app)),
                                  input, "busy.csv", NULL, ASSAY_IMPORT_NONE, NULL, imported_cb,
                                  NULL);
  }
  /* 1 = Yes on the greeting: a draft save is handed to the store now... */
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_1));
  run->typed = TRUE;
  /* ...and the application is told to go in the same instant */
  if (run->close_window)
    gtk_window_close (window);
  else
    g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
guard_cb (gpointer data)
{
  Run *run = data;

  /* a hang fails the test instead of blocking it forever */
  run->timed_out = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static void
run_and_quit (gboolean close_window)
{
  g_autofree char *path = review_db ();
  g_autoptr(AssayStore) check = NULL;
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) "assay", (char *) "--database", path, (char *) "--review",
                   (char *) INTERACTION, NULL };
  Run run = { NULL, close_window };
  guint step_id, guard_id;
  int status;

  run.app = assay_application_new ();
  step_id = g_timeout_add (20, step_cb, &run);
  guard_id = g_timeout_add_seconds (60, guard_cb, &run);
  status = g_application_run (G_APPLICATION (run.app), G_N_ELEMENTS (argv) - 1, argv);
  g_assert_false (run.timed_out);
  g_source_remove (guard_id);
  if (!run.typed)
    g_source_remove (step_id);
  g_assert_true (run.typed);
  g_assert_cmpint (status, ==, 0);

  /* read with another connection as soon as the application has returned, while the
   * application object still exists: nothing may depend on finalizing it */
  check = assay_store_new (path);
  g_assert_true (assay_store_open_sync (check, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (check, "SELECT count(*) FROM evaluation_draft"
                                             " WHERE answers LIKE '%greeting%'"), ==, 1);
  g_assert_cmpint (test_db_query_int (check, "SELECT count(*) FROM evaluation WHERE interaction_id = '"
                                             INTERACTION "' AND state = 'draft'"), ==, 1);
  g_assert_cmpint (test_db_query_int (check, "SELECT count(*) FROM interaction"), ==, 10 + 20000);
  g_assert_finalize_object (run.app);
}

static void
test_quit_action (void)
{
  run_and_quit (FALSE);
}

static void
test_close_window (void)
{
  run_and_quit (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/quit/app-quit-right-after-typing", test_quit_action);
  g_test_add_func ("/ui/quit/close-right-after-typing", test_close_window);
  return g_test_run ();
}
