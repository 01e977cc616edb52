/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A day in the review workspace by keyboard: the demo's English scorecard scored from the queue
 * to "submitted" and on to the next due item, counting the keys; script suggestions that never
 * reach a submitted revision unconfirmed; the active review time of an evaluation.
 *
 * GTK 4.8 offers no public way to synthesise key events, so each key goes where the window
 * would route it: Ctrl+Enter to the page's binding ("review.submit"), Enter on a focused queue
 * row activates it, a key on a focused text field is typed into it (Enter activates it), and
 * any other key goes to the scoring panel's key handler, as its key controller does.
 */
#include "assay-window.h"
#include "pages/assay-queue-page.h"
#include "pages/assay-review-page.h"
#include "store/assay-store-queue.h"
#include "store/assay-store-forms.h"
#include "store/assay-store-transcript.h"
#include "test-db.h"
#include "widgets/assay-transcript-view.h"

#define MONDAY_NOV_16 G_GINT64_CONSTANT (1794787200000)   /* 2026-11-16T00:00:00Z */
#define WEEK_MS       G_GINT64_CONSTANT (604800000)

typedef struct {
  AssayWindow     *window;
  AssayQueuePage  *queue;
  AssayReviewPage *review;
  guint            keys;       /* keys sent, text aside */
  guint            text_chars; /* characters typed as a text answer */
} Day;

static AssayStore *
english_db (void)
{
  AssayStore *store = test_db_new (10);
  g_autofree char *dir = g_dir_make_tmp ("assay-keys-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "call.wav", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms",
                                            "service-quality-en.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  version = assay_store_publish_form_sync (store, json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (version);
  test_write_stereo_wav (wav, 4);
  sql = g_strdup_printf (
    "INSERT INTO recording (id, interaction_id, location, format, channels, agent_channel, duration_s)"
    "  SELECT '6' || substr(id, 2), id, '%s', 'wav', 2, 0, 4 FROM interaction;", wav);
  test_db_exec (store, sql);
  return store;
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
  return g_strcmp0 (assay_review_page_get_status (data), "ready") == 0;
}

static gboolean
saves_done (gpointer data)
{
  return assay_review_page_get_pending_saves (data) == 0;
}

static void
day_open (Day        *day,
          AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);
  AssaySamplingRule *rule = assay_sampling_rule_new ();

  memset (day, 0, sizeof *day);
  day->window = assay_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (day->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (day->window));
  while (g_strcmp0 (assay_window_get_view (day->window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  assay_window_show_page (day->window, "queue");
  day->queue = ASSAY_QUEUE_PAGE (assay_window_get_page_widget (day->window, "queue"));
  day->review = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (day->window, "review"));
  test_wait_until (queue_loaded, day->queue, 30);
  rule->per_agent_per_week = 1;
  rule->from_ms = MONDAY_NOV_16;
  rule->to_ms = MONDAY_NOV_16 + WEEK_MS;
  assay_queue_page_draw (day->queue, rule, 2026);
  assay_sampling_rule_free (rule);
  test_wait_until (draw_done, day->queue, 30);
  g_assert_cmpuint (assay_queue_page_get_n_due (day->queue), >=, 2);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (day->window));
}

static void
day_close (Day *day)
{
  gtk_window_destroy (GTK_WINDOW (day->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWidget *
focus_of (Day *day)
{
  return gtk_root_get_focus (GTK_ROOT (day->window));
}

/* The first spin button under @root (the number item's). */
static GtkWidget *
find_spin (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_SPIN_BUTTON (child))
        return child;
      if ((found = find_spin (child)) != NULL)
        return found;
    }
  return NULL;
}

/* One key press, routed as the window routes it (see the top of the file). */
static void
key (Day   *day,
     guint  keyval)
{
  GtkWidget *focus = focus_of (day);
  AssayScoringPanel *panel = assay_review_page_get_panel (day->review);

  day->keys++;
  if (focus != NULL && GTK_IS_TEXT (focus))
    {
      if (keyval == GDK_KEY_Return)
        g_signal_emit_by_name (focus, "activate");
      else
        {
          char buf[8] = "";
          int pos = -1;

          buf[g_unichar_to_utf8 (gdk_keyval_to_unicode (keyval), buf)] = '\0';
          pos = gtk_editable_get_position (GTK_EDITABLE (focus));
          gtk_editable_insert_text (GTK_EDITABLE (focus), buf, -1, &pos);
          gtk_editable_set_position (GTK_EDITABLE (focus), pos);
        }
      return;
    }
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (panel)));
  g_assert_true (assay_scoring_panel_press_key (panel, keyval));
}

/* Text typed as an answer: not counted as keys (like comment text), Enter is. */
static void
type_text (Day        *day,
           const char *text)
{
  GtkWidget *focus = focus_of (day);
  int pos;

  g_assert_true (GTK_IS_TEXT (focus));
  pos = gtk_editable_get_position (GTK_EDITABLE (focus));
  gtk_editable_insert_text (GTK_EDITABLE (focus), text, -1, &pos);
  day->text_chars += g_utf8_strlen (text, -1);
}

static void
ctrl_enter (Day *day)
{
  day->keys++;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (day->review), "review.submit", NULL));
}

/* The key that gives @item its best answer. */
static guint
best_key (const AssayItem *item)
{
  switch (item->kind)
    {
    case ASSAY_ITEM_SCALE:
      g_assert_cmpfloat (item->max, <=, 9);
      return GDK_KEY_0 + (guint) item->max;
    default:
      return GDK_KEY_1;   /* Yes; the first option, which the demo lists best first */
    }
}

typedef struct {
  AssayReviewPage *page;
  char            *first;
} NextWait;

static gboolean
next_opened (gpointer data)
{
  NextWait *w = data;

  return page_ready (w->page) && assay_review_page_get_state (w->page) == NULL
         && g_strcmp0 (assay_review_page_get_evaluation_id (w->page), w->first) != 0;
}

static void
test_keyboard_day (void)
{
  g_autoptr(AssayStore) store = english_db ();
  AssayScoringPanel *panel;
  const AssayAnswers *answers;
  AssayForm *form;
  g_autofree char *first_interaction = NULL;
  g_autofree char *evaluation = NULL;
  g_autofree char *sql = NULL;
  NextWait wait;
  guint n;
  Day day;

  day_open (&day, store);
  first_interaction = g_strdup (assay_queue_page_get_item (day.queue, 0)->interaction_id);

  /* Enter on the first row of the queue */
  gtk_widget_grab_focus (assay_queue_page_get_row (day.queue, 0));
  day.keys++;
  gtk_widget_activate (focus_of (&day));
  g_assert_cmpstr (assay_window_get_page (day.window), ==, "review");
  test_wait_until (page_ready, day.review, 30);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (day.window));

  panel = assay_review_page_get_panel (day.review);
  form = assay_answers_get_form (assay_scoring_panel_get_answers (panel));
  n = assay_form_get_n_items (form);
  g_assert_cmpuint (n, ==, 19);
  g_assert_cmpuint (assay_scoring_panel_get_focused_item (panel), ==, 0);
  gtk_widget_grab_focus (GTK_WIDGET (panel));
  assay_scoring_panel_focus_item (panel, 0);

  /* each item in turn: answering moves on by itself */
  for (guint i = 0; i < n; i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);

      g_assert_cmpuint (assay_scoring_panel_get_focused_item (panel), ==, i);
      switch (item->kind)
        {
        case ASSAY_ITEM_NUMBER:
          key (&day, GDK_KEY_4);       /* starts typing into the number */
          key (&day, GDK_KEY_5);
          key (&day, GDK_KEY_Return);
          break;
        case ASSAY_ITEM_DATE:
          key (&day, GDK_KEY_t);       /* today */
          break;
        case ASSAY_ITEM_TEXT:
          key (&day, GDK_KEY_Return);  /* into the text */
          type_text (&day, "Good call, keep the summary at the end.");
          key (&day, GDK_KEY_Return);
          break;
        default:
          key (&day, best_key (item));
          break;
        }
    }

  answers = assay_scoring_panel_get_answers (panel);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (assay_answers_get (answers, i)->state, ==, ASSAY_ANSWER_VALUE);
  g_assert_cmpfloat (assay_answers_get (answers, 16)->value, ==, 45);
  /* a whole number reads as one, not "45.00" */
  {
    GtkWidget *spin = find_spin (GTK_WIDGET (panel));

    g_assert_nonnull (spin);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "45");
  }
  g_assert_cmpuint (strlen (assay_answers_get (answers, 17)->text), ==, 10);
  /* every item at its best, the bonus items included: over 100 % */
  g_assert_cmpfloat (assay_scoring_panel_get_score (panel)->overall, >, 100);

  /* Ctrl+Enter submits and opens the next due item */
  evaluation = g_strdup (assay_review_page_get_evaluation_id (day.review));
  test_wait_until (saves_done, day.review, 30);
  ctrl_enter (&day);
  wait.page = day.review;
  wait.first = evaluation;
  test_wait_until (next_opened, &wait, 30);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation e JOIN evaluation_revision r ON r.evaluation_id = e.id"
                         " WHERE e.interaction_id = '%s'", first_interaction);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 1);

  g_test_message ("keys for the 19-item English scorecard, queue to the next item: %u (text typed: %u characters)",
                  day.keys, day.text_chars);
  g_assert_cmpuint (day.keys, <=, 25);
  day_close (&day);
}

/* ---- suggestions ---- */

static gboolean
has_suggestion (gpointer data)
{
  AssayScoringPanel *panel = assay_review_page_get_panel (data);
  const AssayAnswers *answers = assay_scoring_panel_get_answers (panel);

  return answers != NULL && assay_answers_get (answers, 0)->suggested;
}

static gboolean
is_submitted (gpointer data)
{
  return g_strcmp0 (assay_review_page_get_state (data), "submitted") == 0;
}

static void
test_suggestion_needs_confirmation (void)
{
  g_autoptr(AssayStore) store = english_db ();
  g_autoptr(GError) error = NULL;
  AssayUtterances *lines;
  AssayScoringPanel *panel;
  const char *interaction;
  g_autofree char *sql = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  guint n;
  Day day;

  day_open (&day, store);
  interaction = assay_queue_page_get_item (day.queue, 0)->interaction_id;
  lines = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);
  assay_utterances_add (lines, 1000, 4000, "Agent", ASSAY_SPEAKER_AGENT,
                        "Good morning, Northwind Telecom, this is Ana.");
  assay_utterances_add (lines, 4500, 6000, "Customer", ASSAY_SPEAKER_CUSTOMER, "Hi, my bill is wrong.");
  g_assert_true (assay_store_put_transcript_sync (store, interaction, lines, ASSAY_TRANSCRIPT_FORMAT_JSON,
                                                  NULL, &error));
  g_assert_no_error (error);
  assay_utterances_free (lines);

  assay_window_review (day.window, interaction, NULL);
  test_wait_until (page_ready, day.review, 30);
  test_wait_until (has_suggestion, day.review, 30);
  panel = assay_review_page_get_panel (day.review);
  /* Yes, from "Northwind Telecom" within the first 30 s, with its span as evidence */
  g_assert_cmpint (assay_answers_get (assay_scoring_panel_get_answers (panel), 0)->choice, ==, 0);
  g_assert_nonnull (assay_answers_get (assay_scoring_panel_get_answers (panel), 0)->evidence);
  /* the transcript sits under the player */
  g_assert_true (gtk_widget_get_visible (assay_review_page_get_transcript_view (day.review)));
  g_assert_cmpuint (assay_transcript_view_get_n_lines (
                      ASSAY_TRANSCRIPT_VIEW (assay_review_page_get_transcript_view (day.review))), ==, 2);

  /* answer everything else, leaving the suggestion alone */
  gtk_widget_grab_focus (GTK_WIDGET (panel));
  n = assay_form_get_n_items (assay_answers_get_form (assay_scoring_panel_get_answers (panel)));
  for (guint i = 1; i < n; i++)
    {
      const AssayItem *item = assay_form_get_item (assay_answers_get_form (assay_scoring_panel_get_answers (panel)), i);

      assay_scoring_panel_focus_item (panel, i);
      if (item->kind == ASSAY_ITEM_NUMBER)
        {
          key (&day, GDK_KEY_0);
          key (&day, GDK_KEY_Return);
        }
      else if (item->kind == ASSAY_ITEM_DATE)
        key (&day, GDK_KEY_t);
      else if (item->kind != ASSAY_ITEM_TEXT)
        key (&day, best_key (item));
    }
  test_wait_until (saves_done, day.review, 30);

  /* Ctrl+Enter refuses: the list names the unconfirmed suggestion, the focus goes to it */
  ctrl_enter (&day);
  g_assert_cmpuint (assay_review_page_get_n_problems_shown (day.review), ==, 1);
  g_assert_cmpuint (assay_scoring_panel_get_focused_item (panel), ==, 0);
  {
    g_autoptr(GArray) items = NULL;
    g_autoptr(GPtrArray) texts = assay_scoring_panel_list_problems (panel, &items);

    g_assert_cmpuint (texts->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (texts, 0), "suggestion to confirm"));
  }
  /* the store refuses it too, whatever the page does */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (is_submitted (day.review));
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision r JOIN evaluation e ON e.id = r.evaluation_id"
                         " WHERE e.interaction_id = '%s'", interaction);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 0);

  /* Enter confirms it; then Ctrl+Enter submits, and the revision holds no suggestion */
  g_settings_set_boolean (settings, "review-open-next", FALSE);
  key (&day, GDK_KEY_Return);
  g_assert_false (assay_answers_get (assay_scoring_panel_get_answers (panel), 0)->suggested);
  test_wait_until (saves_done, day.review, 30);
  ctrl_enter (&day);
  test_wait_until (is_submitted, day.review, 30);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision r JOIN evaluation e ON e.id = r.evaluation_id"
                         " WHERE e.interaction_id = '%s' AND r.answers LIKE '%%suggested%%'", interaction);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 0);
  g_settings_reset (settings, "review-open-next");
  day_close (&day);
}

/* ---- review time ---- */

static gint64 fake_now_ms;

static gint64
fake_now (gpointer data)
{
  return fake_now_ms;
}

typedef struct {
  AssayStore *store;
  const char *evaluation;
} TimeWait;

static gboolean
time_stored (gpointer data)
{
  TimeWait *w = data;

  return assay_store_get_review_time_sync (w->store, w->evaluation, NULL) != 0;
}

static void
test_review_time (void)
{
  TimeWait time_wait;
  g_autoptr(AssayStore) store = english_db ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *evaluation = NULL;
  AssayScoringPanel *panel;
  AssayForm *form;
  guint n;
  Day day;

  g_settings_set_boolean (settings, "review-open-next", FALSE);
  day_open (&day, store);
  fake_now_ms = G_GINT64_CONSTANT (1795000000000);
  assay_review_page_set_now_func (day.review, fake_now, NULL);
  assay_window_review (day.window, assay_queue_page_get_item (day.queue, 0)->interaction_id, NULL);
  test_wait_until (page_ready, day.review, 30);
  panel = assay_review_page_get_panel (day.review);
  form = assay_answers_get_form (assay_scoring_panel_get_answers (panel));
  n = assay_form_get_n_items (form);
  gtk_widget_grab_focus (GTK_WIDGET (panel));

  /* 40 s of work, a 5-minute pause (not counted), 20 s more, then submit 10 s later */
  for (guint i = 0; i < n; i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);

      if (i == 1)
        fake_now_ms += 40000;
      else if (i == 2)
        fake_now_ms += 5 * 60000;
      else if (i == 3)
        fake_now_ms += 20000;
      assay_scoring_panel_focus_item (panel, i);
      if (item->kind == ASSAY_ITEM_NUMBER)
        {
          key (&day, GDK_KEY_0);
          key (&day, GDK_KEY_Return);
        }
      else if (item->kind == ASSAY_ITEM_DATE)
        key (&day, GDK_KEY_t);
      else if (item->kind != ASSAY_ITEM_TEXT)
        key (&day, best_key (item));
    }
  fake_now_ms += 10000;
  evaluation = g_strdup (assay_review_page_get_evaluation_id (day.review));
  test_wait_until (saves_done, day.review, 30);
  ctrl_enter (&day);
  test_wait_until (is_submitted, day.review, 30);
  /* the time is stored after the submission, by the same ordered worker */
  test_wait_until (saves_done, day.review, 30);
  time_wait.store = store;
  time_wait.evaluation = evaluation;
  test_wait_until (time_stored, &time_wait, 30);
  g_assert_cmpint (assay_store_get_review_time_sync (store, evaluation, NULL), ==, 70);
  g_settings_reset (settings, "review-open-next");
  day_close (&day);
}

/* ---- narrow windows ---- */

static gboolean
is_folded (gpointer data)
{
  return assay_review_page_get_folded (data);
}

static void
test_folded_at_360 (void)
{
  g_autoptr(AssayStore) store = english_db ();
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);
  AssayWindow *window = assay_window_new (NULL, context);
  AssayReviewPage *review;
  int min = 0;

  /* GNOME's title bar buttons (only Close), not GTK's fallback of three */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  assay_window_review (window, "20000000-0000-4000-8000-000000000007", NULL);
  review = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (window, "review"));
  test_wait_until (page_ready, review, 30);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  test_wait_until (is_folded, review, 30);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* the form sits under the player, and nothing needs more than 360 px */
  gtk_widget_measure (GTK_WIDGET (review), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("review page minimum width when folded: %d px", min);
  g_assert_cmpint (min, <=, 360);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("window minimum width: %d px", min);
  g_assert_cmpint (min, <=, 360);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("ASSAY_AUDIO_SINK", "fakesink", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/review-keys/keyboard-day", test_keyboard_day);
  g_test_add_func ("/ui/review-keys/suggestion-needs-confirmation", test_suggestion_needs_confirmation);
  g_test_add_func ("/ui/review-keys/review-time", test_review_time);
  g_test_add_func ("/ui/review-keys/folded-at-360", test_folded_at_360);
  return g_test_run ();
}
