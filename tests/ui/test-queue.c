/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The review queue as an inspector uses it: empty at first, a seeded draw fills it, and the
 * whole flow — open the first assignment, score it with the keyboard, submit, amend with a
 * reason, see both revisions, and find it done back in the queue.
 */
#include <math.h>

#include "assay-window.h"
#include "pages/assay-draw-dialog.h"
#include "pages/assay-queue-page.h"
#include "pages/assay-review-page.h"
#include "test-db.h"

/* A window on @store with its own context, as the application makes them. */
static AssayWindow *
window_on (AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  return assay_window_new (NULL, context);
}

#define MONDAY_NOV_16 G_GINT64_CONSTANT (1794787200000)   /* 2026-11-16T00:00:00Z */
#define DAY_MS        G_GINT64_CONSTANT (86400000)
#define WEEK_MS       (7 * DAY_MS)

/* 10 contacts on Fri 2026-11-20 (6 agents), each with a recording, and a published form */
static AssayStore *
queue_db (void)
{
  AssayStore *store = test_db_new (10);
  g_autofree char *dir = g_dir_make_tmp ("assay-queue-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "call.wav", NULL);
  g_autofree char *sql = NULL;

  test_write_stereo_wav (wav, 4);
  test_db_add_review_form (store);
  sql = g_strdup_printf (
    "INSERT INTO recording (id, interaction_id, location, format, channels, agent_channel, duration_s)"
    "  SELECT '6' || substr(id, 2), id, '%s', 'wav', 2, 0, 4 FROM interaction;", wav);
  test_db_exec (store, sql);
  return store;
}

static AssayWindow *
open_window (AssayStore *store)
{
  AssayWindow *window = window_on (store);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  assay_window_show_page (window, "queue");
  return window;
}

static gboolean
queue_loaded (gpointer data)
{
  return g_strcmp0 (assay_queue_page_get_view (data), "loading") != 0;
}

static gboolean
draw_done (gpointer data)
{
  return !assay_queue_page_get_drawing (data) && assay_queue_page_get_n_rows (data) > 0;
}

static gboolean
page_ready (gpointer data)
{
  return g_strcmp0 (assay_review_page_get_status (data), "loading") != 0;
}

static gboolean
saves_done (gpointer data)
{
  return assay_review_page_get_pending_saves (data) == 0;
}

static gboolean
is_submitted (gpointer data)
{
  return g_strcmp0 (assay_review_page_get_state (data), "submitted") == 0
         && !assay_scoring_panel_get_editable (assay_review_page_get_panel (data));
}

static gboolean
one_revision (gpointer data)
{
  return assay_review_page_get_n_revisions (data) == 1;
}

static gboolean
two_revisions (gpointer data)
{
  return assay_review_page_get_n_revisions (data) == 2;
}

static AssaySamplingRule *
week_rule (guint n)
{
  AssaySamplingRule *rule = assay_sampling_rule_new ();

  rule->per_agent_per_week = n;
  rule->from_ms = MONDAY_NOV_16;
  rule->to_ms = MONDAY_NOV_16 + WEEK_MS;
  return rule;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (GTK_IS_LIST_BOX_ROW (widget) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* the badge of the sidebar's queue row, which must be the first row */
static GtkWidget *
sidebar_badge (AssayWindow *window)
{
  GtkWidget *row = find_named (GTK_WIDGET (window), "queue");
  GtkWidget *box;

  g_assert_nonnull (row);
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)), ==, 0);
  box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  return gtk_widget_get_last_child (box);
}

static void
test_empty (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  AssayWindow *window = open_window (store);
  AssayQueuePage *page = ASSAY_QUEUE_PAGE (assay_window_get_page_widget (window, "queue"));
  GtkWidget *badge = sidebar_badge (window);

  g_assert_cmpstr (assay_window_get_page (window), ==, "queue");
  test_wait_until (queue_loaded, page, 30);
  g_assert_cmpstr (assay_queue_page_get_view (page), ==, "empty");
  g_assert_cmpuint (assay_queue_page_get_n_rows (page), ==, 0);
  g_assert_cmpuint (assay_queue_page_get_n_due (page), ==, 0);
  g_assert_false (gtk_widget_get_visible (badge));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Alt+1 comes back to it from another page */
  assay_window_show_page (window, "interactions");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "queue"));
  g_assert_cmpstr (assay_window_get_page (window), ==, "queue");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
badge_shows_six (gpointer data)
{
  return g_strcmp0 (assay_window_get_badge (data, "queue"), "6") == 0;
}

static void
test_draw (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  AssayWindow *window = open_window (store);
  AssayQueuePage *page = ASSAY_QUEUE_PAGE (assay_window_get_page_widget (window, "queue"));
  g_autoptr(AssaySamplingRule) rule = week_rule (1);
  AssayDrawDialog *dialog;
  GtkWidget *badge = sidebar_badge (window);

  test_wait_until (queue_loaded, page, 30);

  /* the dialog describes the rule: two per agent, last week counted from Wed Nov 25 */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.draw", NULL));
  dialog = assay_queue_page_open_draw_dialog (page);
  g_assert_nonnull (dialog);
  assay_draw_dialog_set_per_agent (dialog, 1);
  assay_draw_dialog_set_seed (dialog, 12345);
  g_assert_true (assay_draw_dialog_get_valid (dialog));
  {
    g_autoptr(AssaySamplingRule) from_dialog = assay_draw_dialog_build_rule (dialog, MONDAY_NOV_16 + WEEK_MS + 2 * DAY_MS);

    g_assert_cmpuint (from_dialog->per_agent_per_week, ==, 1);
    g_assert_cmpint (from_dialog->from_ms, ==, MONDAY_NOV_16);   /* TZ=UTC in tests */
    g_assert_cmpint (from_dialog->to_ms, ==, MONDAY_NOV_16 + WEEK_MS);
    g_assert_null (from_dialog->channels);
    g_assert_cmpint (from_dialog->csat_max, ==, ASSAY_NONE);
    g_assert_cmpfloat (from_dialog->low_csat_weight, ==, 1.0);
    g_assert_cmpuint (assay_draw_dialog_get_seed (dialog), ==, 12345);
    g_assert_true (assay_sampling_rule_equal (from_dialog, rule));

    assay_queue_page_draw (page, from_dialog, assay_draw_dialog_get_seed (dialog));
  }
  gtk_window_destroy (GTK_WINDOW (dialog));

  test_wait_until (draw_done, page, 30);
  g_assert_cmpstr (assay_queue_page_get_message (page), ==, "Drew 6 contacts (seed 12345)");
  g_assert_cmpstr (assay_queue_page_get_view (page), ==, "list");
  g_assert_cmpuint (assay_queue_page_get_n_rows (page), ==, 6);
  g_assert_cmpuint (assay_queue_page_get_n_due (page), ==, 6);
  /* the sidebar counts again on the store's change */
  test_wait_until (badge_shows_six, window, 10);
  g_assert_true (gtk_widget_get_visible (badge));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "6");
  for (guint i = 0; i < 6; i++)
    {
      const AssayQueueItem *item = assay_queue_page_get_item (page, i);

      g_assert_cmpint (item->state, ==, ASSAY_QUEUE_STATE_DUE);
      g_assert_cmpstr (item->source, ==, "sampling");
      g_assert_nonnull (item->agent_name);
    }
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM sampling_draw WHERE seed = 12345"
                                             " AND rule LIKE '{\"format\":1,\"algorithm\":1,%'"), ==, 1);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* the same rule again: everyone has their contact already */
  assay_queue_page_draw (page, rule, 999);
  while (assay_queue_page_get_drawing (page))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (assay_queue_page_get_message (page), ==,
                   "Every agent already has enough contacts to review: nothing was drawn");
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM assignment"), ==, 6);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct {
  AssayQueuePage *page;
  guint           n_rows;
  const char     *view;
} RowsWait;

static gboolean
rows_shown (gpointer data)
{
  RowsWait *w = data;

  return assay_queue_page_get_n_rows (w->page) == w->n_rows
         && g_strcmp0 (assay_queue_page_get_view (w->page), w->view) == 0;
}

static void
wait_rows (AssayQueuePage *page,
           guint           n_rows,
           const char     *view)
{
  RowsWait w = { page, n_rows, view };

  test_wait_until (rows_shown, &w, 30);
}

/* search, filters and sorting from the header narrow the queue in the store's query */
static void
test_filters (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  AssayWindow *window;
  AssayQueuePage *page;
  g_autoptr(AssaySamplingRule) rule = week_rule (1);
  guint n_chat, n_recorded, n_wang;

  /* chats have no recording, and no contact has a transcript */
  test_db_exec (store, "DELETE FROM recording WHERE interaction_id IN"
                       " (SELECT id FROM interaction WHERE channel = 'chat')");
  window = open_window (store);
  page = ASSAY_QUEUE_PAGE (assay_window_get_page_widget (window, "queue"));
  test_wait_until (queue_loaded, page, 30);
  assay_queue_page_draw (page, rule, 2026);
  test_wait_until (draw_done, page, 30);
  wait_rows (page, 6, "list");
  g_assert_false (assay_queue_page_get_filtered (page));
  n_chat = test_db_query_int (store, "SELECT count(*) FROM assignment a JOIN interaction i"
                                     " ON i.id = a.interaction_id WHERE i.channel = 'chat'");
  n_recorded = test_db_query_int (store, "SELECT count(*) FROM assignment a JOIN recording r"
                                         " ON r.interaction_id = a.interaction_id");
  n_wang = test_db_query_int (store, "SELECT count(*) FROM assignment a JOIN interaction i"
                                     " ON i.id = a.interaction_id JOIN agent g ON g.id = i.agent_id"
                                     " WHERE g.name = 'Wang Fang'");
  g_assert_cmpuint (n_chat, >, 0);
  g_assert_cmpuint (n_recorded, <, 6);
  g_assert_cmpuint (n_wang, ==, 1);

  /* the search ignores case and finds agents, queues and customers */
  assay_queue_page_set_filter (page, "WANG", NULL, ASSAY_QUEUE_SHOW_ALL, FALSE, FALSE);
  wait_rows (page, n_wang, "list");
  g_assert_true (assay_queue_page_get_filtered (page));
  g_assert_cmpstr (assay_queue_page_get_item (page, 0)->agent_name, ==, "Wang Fang");
  g_assert_cmpuint (assay_queue_page_get_n_due (page), ==, 6);   /* the whole queue's count */
  assay_queue_page_set_filter (page, assay_queue_page_get_item (page, 0)->customer_ref, NULL,
                               ASSAY_QUEUE_SHOW_ALL, FALSE, FALSE);
  wait_rows (page, 1, "list");
  g_assert_cmpstr (assay_queue_page_get_item (page, 0)->agent_name, ==, "Wang Fang");

  /* a channel */
  assay_queue_page_set_filter (page, "", "chat", ASSAY_QUEUE_SHOW_ALL, FALSE, FALSE);
  wait_rows (page, n_chat, "list");
  for (guint i = 0; i < n_chat; i++)
    g_assert_cmpstr (assay_queue_page_get_item (page, i)->channel, ==, "chat");

  /* with a recording: no chat is left, and a chat with a recording filter finds nothing */
  assay_queue_page_set_filter (page, "", NULL, ASSAY_QUEUE_SHOW_ALL, TRUE, FALSE);
  wait_rows (page, n_recorded, "list");
  for (guint i = 0; i < n_recorded; i++)
    {
      g_assert_true (assay_queue_page_get_item (page, i)->has_recording);
      g_assert_cmpstr (assay_queue_page_get_item (page, i)->channel, !=, "chat");
    }
  assay_queue_page_set_filter (page, "", NULL, ASSAY_QUEUE_SHOW_ALL, FALSE, TRUE);
  wait_rows (page, 0, "no-match");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* overdue only: one assignment's due date has passed */
  test_db_exec (store, "UPDATE assignment SET due_at = 1000 WHERE id = (SELECT min(id) FROM assignment)");
  assay_queue_page_set_filter (page, "", NULL, ASSAY_QUEUE_SHOW_OVERDUE, FALSE, FALSE);
  wait_rows (page, 1, "list");
  g_assert_cmpint (assay_queue_page_get_item (page, 0)->state, ==, ASSAY_QUEUE_STATE_OVERDUE);
  assay_queue_page_set_filter (page, "", NULL, ASSAY_QUEUE_SHOW_OPEN, FALSE, FALSE);
  wait_rows (page, 6, "list");

  /* sorted by handling time inside each state: the overdue one first, then longest first */
  assay_queue_page_set_sort (page, ASSAY_QUEUE_SORT_LONGEST);
  wait_rows (page, 6, "list");
  {
    gboolean sorted;

    do
      {
        sorted = TRUE;
        for (guint i = 2; i < 6; i++)
          if (assay_queue_page_get_item (page, i - 1)->handle_s < assay_queue_page_get_item (page, i)->handle_s)
            sorted = FALSE;
        if (!sorted)
          g_main_context_iteration (NULL, TRUE);
      }
    while (!sorted);
  }
  g_assert_cmpint (assay_queue_page_get_item (page, 0)->state, ==, ASSAY_QUEUE_STATE_OVERDUE);

  /* nothing matches: the designed state, and Reset Filters brings the queue back */
  assay_queue_page_set_filter (page, "no such contact", NULL, ASSAY_QUEUE_SHOW_ALL, FALSE, FALSE);
  wait_rows (page, 0, "no-match");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.reset-filters", NULL));
  wait_rows (page, 6, "list");
  g_assert_false (assay_queue_page_get_filtered (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.search", NULL));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
press (AssayScoringPanel *panel,
       guint              keyval)
{
  g_assert_true (assay_scoring_panel_press_key (panel, keyval));
}

typedef struct {
  AssayQueuePage *page;
  const char     *interaction;
} DoneWait;

static gboolean
assignment_done (gpointer data)
{
  DoneWait *w = data;

  for (guint i = 0; i < assay_queue_page_get_n_rows (w->page); i++)
    {
      const AssayQueueItem *item = assay_queue_page_get_item (w->page, i);

      if (g_str_equal (item->interaction_id, w->interaction))
        return item->state == ASSAY_QUEUE_STATE_DONE;
    }
  return FALSE;
}

static void
test_flow (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  AssayWindow *window = open_window (store);
  AssayQueuePage *queue = ASSAY_QUEUE_PAGE (assay_window_get_page_widget (window, "queue"));
  AssayReviewPage *review = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (window, "review"));
  g_autoptr(AssaySamplingRule) rule = week_rule (1);
  g_autofree char *interaction = NULL;
  g_autofree char *sql = NULL;
  AssayScoringPanel *panel;
  DoneWait done;

  /* the queue, filled by a draw */
  test_wait_until (queue_loaded, queue, 30);
  assay_queue_page_draw (queue, rule, 2026);
  test_wait_until (draw_done, queue, 30);
  g_assert_cmpuint (assay_queue_page_get_n_due (queue), ==, 6);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* activating the first assignment opens it for review */
  interaction = g_strdup (assay_queue_page_get_item (queue, 0)->interaction_id);
  gtk_widget_activate (assay_queue_page_get_row (queue, 0));
  g_assert_cmpstr (assay_window_get_page (window), ==, "review");
  test_wait_until (page_ready, review, 30);
  g_assert_cmpstr (assay_review_page_get_status (review), ==, "ready");
  g_assert_null (assay_review_page_get_state (review));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* score every item with the keyboard: Yes, Yes, 5 */
  panel = assay_review_page_get_panel (review);
  g_assert_true (assay_scoring_panel_get_editable (panel));
  press (panel, GDK_KEY_1);
  press (panel, GDK_KEY_Down);
  press (panel, GDK_KEY_1);
  press (panel, GDK_KEY_Down);
  press (panel, GDK_KEY_5);
  g_assert_cmpfloat (assay_scoring_panel_get_score (panel)->overall, ==, 100.0);
  test_wait_until (saves_done, review, 30);
  g_assert_cmpstr (assay_review_page_get_state (review), ==, "draft");

  /* the evaluation belongs to the assignment */
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation e JOIN assignment a ON a.id = e.assignment_id"
                         " WHERE e.interaction_id = '%s' AND a.interaction_id = e.interaction_id"
                         " AND a.form_version_id = e.form_version_id", interaction);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 1);

  assay_review_page_submit (review, NULL);
  test_wait_until (is_submitted, review, 30);
  test_wait_until (one_revision, review, 30);

  /* amend: the fix was only partly right, which loses points and needs a comment */
  assay_review_page_amend (review);
  g_assert_true (assay_scoring_panel_get_editable (panel));
  press (panel, GDK_KEY_Down);
  press (panel, GDK_KEY_Down);
  press (panel, GDK_KEY_3);
  assay_scoring_panel_set_comment (panel, 2, "Sent the wrong form first");
  test_wait_until (saves_done, review, 30);
  g_assert_true (assay_scoring_panel_check_submit (panel));
  assay_review_page_submit (review, "Listened again: the fix was only partly right");
  test_wait_until (is_submitted, review, 30);
  test_wait_until (two_revisions, review, 30);
  g_assert_cmpuint (assay_review_page_get_n_revisions (review), ==, 2);

  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision r JOIN evaluation e ON e.id = r.evaluation_id"
                         " WHERE e.interaction_id = '%s'", interaction);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 2);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision r JOIN evaluation e ON e.id = r.evaluation_id"
                         " WHERE e.interaction_id = '%s' AND r.number = 2 AND r.score < 100"
                         " AND r.reason = 'Listened again: the fix was only partly right'", interaction);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 1);

  /* back in the queue, the assignment is done */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.close", NULL));
  g_assert_cmpstr (assay_window_get_page (window), ==, "queue");
  done.page = queue;
  done.interaction = interaction;
  test_wait_until (assignment_done, &done, 30);
  g_assert_cmpuint (assay_queue_page_get_n_due (queue), ==, 5);
  g_assert_cmpuint (assay_queue_page_get_n_rows (queue), ==, 6);
  g_assert_cmpint (assay_queue_page_get_item (queue, 5)->state, ==, ASSAY_QUEUE_STATE_DONE);
  g_assert_nonnull (assay_queue_page_get_progress (queue));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_page_alone (void)
{
  /* the widget contract: a page without a store shows its loading state, and finalizes */
  GtkWidget *window = gtk_window_new ();
  AssayQueuePage *page = g_object_new (ASSAY_TYPE_QUEUE_PAGE, NULL);

  g_object_ref_sink (page);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpstr (assay_queue_page_get_view (page), ==, "loading");
  g_object_set (page, "folded", TRUE, NULL);
  {
    gboolean folded = FALSE;
    guint n_due = 1;

    g_object_get (page, "folded", &folded, "n-due", &n_due, NULL);
    g_assert_true (folded);
    g_assert_cmpuint (n_due, ==, 0);
  }
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_draw_dialog (void)
{
  /* the dialog's contract: defaults, seed, queues, "valid", "draw", finalize */
  AssayDrawDialog *dialog = assay_draw_dialog_new ();
  const char *queues[] = { "Billing", "Support", NULL };
  g_autoptr(AssaySamplingRule) rule = NULL;
  guint notified = 0;
  guint drawn = 0;
  gboolean valid = FALSE;

  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  g_signal_connect (dialog, "notify::valid", G_CALLBACK (notify_count_cb), &notified);
  g_signal_connect_swapped (dialog, "draw", G_CALLBACK (notify_count_cb), &drawn);

  /* a fresh dialog comes with a random seed of its own */
  g_assert_cmpuint (assay_draw_dialog_get_seed (dialog), >=, 1);
  assay_draw_dialog_set_seed (dialog, 4242);
  g_assert_cmpuint (notified, >=, 1);
  g_object_get (dialog, "valid", &valid, NULL);
  g_assert_true (valid);
  g_assert_cmpuint (assay_draw_dialog_get_seed (dialog), ==, 4242);
  assay_draw_dialog_set_queues (dialog, queues);

  rule = assay_draw_dialog_build_rule (dialog, MONDAY_NOV_16 + 3 * DAY_MS);
  g_assert_true (assay_sampling_rule_validate (rule, NULL));
  g_assert_cmpuint (rule->per_agent_per_week, ==, 2);
  g_assert_cmpint (rule->to_ms, ==, MONDAY_NOV_16);
  g_assert_cmpint (rule->from_ms, ==, MONDAY_NOV_16 - WEEK_MS);
  g_assert_null (rule->queues);
  g_assert_cmpint (rule->min_handle_s, ==, ASSAY_NONE);
  g_assert_cmpint (rule->max_handle_s, ==, ASSAY_NONE);
  g_assert_cmpuint (rule->due_days, ==, 7);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (drawn, ==, 0);
  g_assert_finalize_object (dialog);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("ASSAY_AUDIO_SINK", "fakesink", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  {
    /* these tests walk the items themselves; test-review-keys.c covers moving on */
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_settings_set_boolean (settings, "review-advance", FALSE);
  }

  g_test_add_func ("/ui/queue/page-alone", test_page_alone);
  g_test_add_func ("/ui/queue/draw-dialog", test_draw_dialog);
  g_test_add_func ("/ui/queue/empty", test_empty);
  g_test_add_func ("/ui/queue/draw", test_draw);
  g_test_add_func ("/ui/queue/flow", test_flow);
  g_test_add_func ("/ui/queue/filters", test_filters);
  return g_test_run ();
}
