/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The review flow a QA inspector goes through: open an interaction with its recording, score it
 * with the keyboard (every change saved as a draft), submit, amend with a reason, and see both
 * revisions in the history.
 */
#include <math.h>
#include <string.h>

#include "assay-window.h"
#include "pages/assay-evaluations-page.h"
#include "pages/assay-review-page.h"
#include "test-db.h"

/* A window on @store with its own context, as the application makes them. */
static AssayWindow *
window_on (AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  return assay_window_new (NULL, context);
}

#define INTERACTION "20000000-0000-4000-8000-000000000007"

static AssayStore *
review_db (void)
{
  AssayStore *store = test_db_new (10);
  g_autofree char *dir = g_dir_make_tmp ("assay-review-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "call.wav", NULL);
  g_autofree char *sql = NULL;

  test_write_stereo_wav (wav, 4);
  test_db_add_review_form (store);
  sql = g_strdup_printf (
    "INSERT INTO recording (id, interaction_id, location, format, channels, agent_channel, duration_s)"
    "  VALUES ('60000000-0000-4000-8000-000000000001', '" INTERACTION "', '%s', 'wav', 2, 0, 4);",
    wav);
  test_db_exec (store, sql);
  return store;
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
two_revisions (gpointer data)
{
  return assay_review_page_get_n_revisions (data) == 2;
}

static gboolean
one_revision (gpointer data)
{
  return assay_review_page_get_n_revisions (data) == 1;
}

static gboolean
player_ready (gpointer data)
{
  AssayPlayerState state = assay_player_get_state (data);
  return state == ASSAY_PLAYER_STATE_PAUSED || state == ASSAY_PLAYER_STATE_ERROR;
}

static gboolean
one_row (gpointer data)
{
  return assay_evaluations_page_get_n_rows (data) == 1;
}

static void
press (AssayScoringPanel *panel,
       guint              keyval)
{
  /* what the panel's key controller does with a key press */
  g_assert_true (assay_scoring_panel_press_key (panel, keyval));
}

/* A mapped label under @root whose text contains @text, or NULL. */
static GtkWidget *
find_shown_label (GtkWidget  *root,
                  const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child)
          && strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL)
        return child;
      if ((found = find_shown_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static AssayReviewPage *
open_review (AssayStore  *store,
             AssayWindow *window,
             const char  *interaction_id)
{
  AssayReviewPage *page;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  assay_window_review (window, interaction_id, NULL);
  page = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (window, "review"));
  test_wait_until (page_ready, page, 30);
  g_assert_cmpstr (assay_review_page_get_status (page), ==, "ready");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return page;
}

/* a call without a recording or transcript opens onto its facts, not an empty pane */
static void
test_no_recording_shows_facts (void)
{
  g_autoptr(AssayStore) store = review_db ();
  AssayWindow *window = window_on (store);
  AssayReviewPage *page;

  /* row 6: a phone call (i % 3 == 0) with no recording; talk 60 + 222, hold 42, wrap 66 */
  page = open_review (store, window, "20000000-0000-4000-8000-000000000006");
  g_assert_nonnull (find_shown_label (GTK_WIDGET (page), "No Recording"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (page), "Handle time"));
  g_assert_nonnull (find_shown_label (GTK_WIDGET (page), "Answered within service level"));
  {
    GtkWidget *talk = find_shown_label (GTK_WIDGET (page), "Talk");
    GtkWidget *value;

    g_assert_nonnull (talk);
    value = gtk_widget_get_next_sibling (talk);
    g_assert_true (GTK_IS_LABEL (value));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (value)), ==, "4:42");
  }
  /* the customer, in the facts (and the line under them) */
  g_assert_nonnull (find_shown_label (GTK_WIDGET (page), "C-100006"));
  /* nothing of the player is on screen */
  g_assert_null (find_shown_label (GTK_WIDGET (page), "0:00 /"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* a chat opens onto its conversation, in the player's place */
static void
test_chat_shows_conversation (void)
{
  g_autoptr(AssayStore) store = review_db ();
  AssayWindow *window = window_on (store);
  AssayReviewPage *page;
  GtkWidget *view;

  test_db_exec (store,
    "INSERT INTO transcript (id, interaction_id, kind, format, segments, n_segments, created_at)"
    " VALUES ('70000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004',"
    " 'conversation', 'conversation', json('["
    "{\"speaker\": \"Ana\", \"role\": \"customer\", \"start_ms\": 1795175760000,"
    " \"end_ms\": 1795175760000, \"text\": \"My router keeps dropping the line\"},"
    "{\"speaker\": \"Li Wei\", \"role\": \"agent\", \"start_ms\": 1795175790000,"
    " \"end_ms\": 1795175790000, \"text\": \"Sorry to hear that, let us restart it together\"}]'),"
    " 2, 1795175800000)");
  page = open_review (store, window, "20000000-0000-4000-8000-000000000004");
  view = assay_review_page_get_transcript_view (page);
  test_wait_until ((GSourceFunc) gtk_widget_get_mapped, view, 30);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_nonnull (find_shown_label (view, "router keeps dropping"));
  g_assert_nonnull (find_shown_label (view, "restart it together"));
  /* the conversation takes the player's place: no "No Recording" over it */
  g_assert_null (find_shown_label (GTK_WIDGET (page), "No Recording"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_duration (gpointer data)
{
  return assay_player_get_duration (data) > 0;
}

/* S turns silence skipping on and off (a setting); the player bar says how long the call takes
 * to hear at the chosen speed */
static void
test_skip_silences_key (void)
{
  g_autoptr(AssayStore) store = review_db ();
  g_autoptr(GSettings) settings = g_settings_new ("io.github.assayqa.Assay");
  AssayWindow *window = window_on (store);
  AssayReviewPage *page;
  AssayPlayer *player;
  GtkWidget *label;

  g_settings_set_boolean (settings, "review-skip-silence", FALSE);
  page = open_review (store, window, INTERACTION);
  player = assay_review_page_get_player (page);
  test_wait_until (player_ready, player, 30);
  test_wait_until (has_duration, player, 30);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.skip-silence", NULL));
  g_assert_true (g_settings_get_boolean (settings, "review-skip-silence"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.skip-silence", NULL));
  g_assert_false (g_settings_get_boolean (settings, "review-skip-silence"));

  /* the 4 s test call at 2x: 2 s to hear */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.speed", "d", 1.0));
  g_assert_cmpfloat (assay_player_get_rate (player), ==, 2.0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  label = find_shown_label (GTK_WIDGET (page), "≈");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "≈ 0:02");
  /* the speed stops at 2x */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.speed", "d", 0.25));
  g_assert_cmpfloat (assay_player_get_rate (player), ==, 2.0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_score_submit_amend (void)
{
  g_autoptr(AssayStore) store = review_db ();
  AssayWindow *window = window_on (store);
  AssayReviewPage *page;
  AssayScoringPanel *panel;
  const AssayScore *score;
  g_autofree char *count_sql = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);

  assay_window_review (window, INTERACTION, NULL);
  g_assert_cmpstr (assay_window_get_page (window), ==, "review");
  page = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (window, "review"));
  test_wait_until (page_ready, page, 30);
  g_assert_cmpstr (assay_review_page_get_status (page), ==, "ready");
  g_assert_null (assay_review_page_get_state (page));
  test_wait_until (player_ready, assay_review_page_get_player (page), 30);
  g_assert_cmpint (assay_player_get_state (assay_review_page_get_player (page)), ==, ASSAY_PLAYER_STATE_PAUSED);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  panel = assay_review_page_get_panel (page);
  g_assert_true (assay_scoring_panel_get_editable (panel));
  g_assert_cmpuint (assay_scoring_panel_get_focused_item (panel), ==, 0);

  /* 1 = Yes on the greeting, Down, 2 = No on the fatal disclosure */
  press (panel, GDK_KEY_1);
  press (panel, GDK_KEY_Down);
  press (panel, GDK_KEY_2);
  score = assay_scoring_panel_get_score (panel);
  g_assert_cmpfloat (score->overall, ==, 0.0);
  g_assert_cmpuint (score->fatal_failed->len, ==, 1);
  g_assert_cmpfloat (score->without_fatal, ==, 50.0);

  /* the disclosure was read after all; then 5 on the scale */
  press (panel, GDK_KEY_1);
  press (panel, GDK_KEY_Down);
  press (panel, GDK_KEY_5);
  score = assay_scoring_panel_get_score (panel);
  g_assert_cmpfloat (score->overall, ==, 100.0);
  g_assert_cmpstr (score->band, ==, "Meets");

  /* every change is in the database as a draft */
  test_wait_until (saves_done, page, 30);
  g_assert_cmpstr (assay_review_page_get_state (page), ==, "draft");
  g_assert_cmpint (test_db_query_int (store, "SELECT changes FROM evaluation_draft"), ==, 4);
  g_assert_cmpint (test_db_query_int (store, "SELECT CAST(score AS INTEGER) FROM evaluation_draft"), ==, 100);

  assay_review_page_submit (page, NULL);
  test_wait_until (is_submitted, page, 30);
  test_wait_until (one_revision, page, 30);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_revision"), ==, 1);

  /* a submitted evaluation takes no keys until it is amended */
  g_assert_false (assay_scoring_panel_press_key (panel, GDK_KEY_1));
  assay_review_page_amend (page);
  g_assert_true (assay_scoring_panel_get_editable (panel));
  press (panel, GDK_KEY_Down);
  press (panel, GDK_KEY_Down);
  press (panel, GDK_KEY_3);       /* 3 of 1..5 loses points: a comment is required */
  test_wait_until (saves_done, page, 30);
  g_assert_true (assay_review_page_get_amending (page));
  g_assert_false (assay_scoring_panel_check_submit (panel));
  assay_review_page_submit (page, "Replayed: the fix was only partly right");
  /* refused: the deduction has no comment yet */
  g_assert_true (assay_scoring_panel_get_editable (panel));

  assay_scoring_panel_set_comment (panel, 2, "Sent the wrong form first");
  test_wait_until (saves_done, page, 30);
  assay_review_page_submit (page, "Replayed: the fix was only partly right");
  test_wait_until (is_submitted, page, 30);
  test_wait_until (two_revisions, page, 30);

  count_sql = g_strdup ("SELECT count(*) FROM evaluation_revision WHERE number = 2"
                        " AND reason = 'Replayed: the fix was only partly right' AND score < 100");
  g_assert_cmpint (test_db_query_int (store, count_sql), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_draft"), ==, 0);

  /* back to where the review was opened from: the first page, the queue */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.close", NULL));
  g_assert_cmpstr (assay_window_get_page (window), ==, "queue");

  /* My evaluations lists it, as submitted, with its active review time */
  test_db_exec (store, "UPDATE evaluation SET review_s = 125");
  assay_window_show_page (window, "evaluations");
  {
    AssayEvaluationsPage *evaluations =
      ASSAY_EVALUATIONS_PAGE (assay_window_get_page_widget (window, "evaluations"));
    test_wait_until (one_row, evaluations, 30);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
    g_assert_nonnull (find_shown_label (GTK_WIDGET (evaluations), "2:05"));
    g_assert_cmpuint (assay_evaluations_page_get_n_drafts (evaluations), ==, 0);
    assay_evaluations_page_set_filter (evaluations, "draft");
    g_assert_cmpuint (assay_evaluations_page_get_n_rows (evaluations), ==, 0);
    assay_evaluations_page_set_filter (evaluations, "submitted");
    g_assert_cmpuint (assay_evaluations_page_get_n_rows (evaluations), ==, 1);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_reopen_keeps_draft (void)
{
  g_autoptr(AssayStore) store = review_db ();
  AssayWindow *window = window_on (store);
  AssayReviewPage *page;
  AssayScoringPanel *panel;

  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  page = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (window, "review"));

  assay_window_review (window, INTERACTION, NULL);
  test_wait_until (page_ready, page, 30);
  panel = assay_review_page_get_panel (page);
  press (panel, GDK_KEY_2);
  assay_scoring_panel_set_comment (panel, 0, "No greeting at all");
  test_wait_until (saves_done, page, 30);

  /* open it again: the draft comes back as it was */
  assay_window_review (window, INTERACTION, NULL);
  test_wait_until (page_ready, page, 30);
  panel = assay_review_page_get_panel (page);
  {
    const AssayAnswer *a = assay_answers_get (assay_scoring_panel_get_answers (panel), 0);
    g_assert_cmpint (a->state, ==, ASSAY_ANSWER_VALUE);
    g_assert_cmpint (a->choice, ==, 1);
    g_assert_cmpstr (a->comment, ==, "No greeting at all");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* a change typed just before moving on to another interaction is not lost */
static void
test_move_on_at_once (void)
{
  g_autoptr(AssayStore) store = review_db ();
  AssayWindow *window = window_on (store);
  AssayReviewPage *page;

  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  page = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (window, "review"));
  assay_window_review (window, INTERACTION, NULL);
  test_wait_until (page_ready, page, 30);
  press (assay_review_page_get_panel (page), GDK_KEY_2);
  /* no waiting for the save */
  assay_window_review (window, "20000000-0000-4000-8000-000000000003", NULL);
  test_wait_until (page_ready, page, 30);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_draft d"
                                             " JOIN evaluation e ON e.id = d.evaluation_id"
                                             " WHERE e.interaction_id = '" INTERACTION "'"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unknown_interaction (void)
{
  g_autoptr(AssayStore) store = review_db ();
  AssayWindow *window = window_on (store);
  AssayReviewPage *page;

  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  page = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (window, "review"));
  assay_window_review (window, "no-such-interaction", NULL);
  test_wait_until (page_ready, page, 30);
  g_assert_cmpstr (assay_review_page_get_status (page), ==, "error");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* I and O set the evidence span at the playhead, M attaches it to the focused item. */
static void
test_span_by_keyboard (void)
{
  g_autoptr(AssayStore) store = review_db ();
  AssayWindow *window = window_on (store);
  AssayReviewPage *page;
  AssayPlayer *player;
  AssayScoringPanel *panel;
  const AssayAnswer *answer;
  const AssayEvidence *e;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  assay_window_review (window, INTERACTION, NULL);
  page = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (window, "review"));
  test_wait_until (page_ready, page, 30);
  player = assay_review_page_get_player (page);
  test_wait_until (player_ready, player, 30);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PAUSED);
  panel = assay_review_page_get_panel (page);

  /* O before I says what to do and marks nothing */
  assay_player_seek (player, 3000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.span-end", NULL));
  assay_player_seek (player, 1000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.span-start", NULL));
  assay_player_seek (player, 2500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.span-end", NULL));
  assay_scoring_panel_focus_item (panel, 1);
  press (panel, GDK_KEY_m);

  answer = assay_answers_get (assay_scoring_panel_get_answers (panel), 1);
  g_assert_nonnull (answer->evidence);
  g_assert_cmpuint (answer->evidence->len, ==, 1);
  e = &g_array_index (answer->evidence, AssayEvidence, 0);
  g_assert_cmpint (e->start_ms, ==, 1000);
  g_assert_cmpint (e->end_ms, ==, 2500);
  test_wait_until (saves_done, page, 30);
  gtk_window_destroy (GTK_WINDOW (window));
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

  g_test_add_func ("/ui/review/score-submit-amend", test_score_submit_amend);
  g_test_add_func ("/ui/review/span-by-keyboard", test_span_by_keyboard);
  g_test_add_func ("/ui/review/reopen-keeps-draft", test_reopen_keeps_draft);
  g_test_add_func ("/ui/review/move-on-at-once", test_move_on_at_once);
  g_test_add_func ("/ui/review/unknown-interaction", test_unknown_interaction);
  g_test_add_func ("/ui/review/no-recording-shows-facts", test_no_recording_shows_facts);
  g_test_add_func ("/ui/review/chat-shows-conversation", test_chat_shows_conversation);
  g_test_add_func ("/ui/review/skip-silences-key", test_skip_silences_key);
  return g_test_run ();
}
