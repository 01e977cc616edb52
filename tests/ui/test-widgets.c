/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each widget class on its own: instantiate, present, draw, its contract, finalize. */
#include <math.h>

#include "protocol/assay-form-json.h"
#include "assay-preferences-window.h"
#include "widgets/assay-scoring-panel.h"
#include "widgets/assay-waveform.h"

static const char *form_json =
  "{\"format\": 1, \"id\": \"w\", \"name\": \"Widget form\", \"version\": 1, \"mode\": \"points\","
  " \"comment_on_deduction\": true,"
  " \"bands\": [{\"name\": \"Low\", \"min\": 0}, {\"name\": \"High\", \"min\": 80}],"
  " \"sections\": [{\"id\": \"s\", \"title\": \"Section\", \"weight\": 1, \"items\": ["
  "  {\"id\": \"a\", \"kind\": \"yes_no_na\", \"text\": \"First\", \"weight\": 1},"
  "  {\"id\": \"b\", \"kind\": \"single_choice\", \"text\": \"Second\", \"options\": ["
  "    {\"id\": \"x\", \"label\": \"Good\", \"points\": 2}, {\"id\": \"y\", \"label\": \"Poor\", \"points\": 0}]},"
  "  {\"id\": \"c\", \"kind\": \"text\", \"text\": \"Notes\", \"required\": false}]}]}";

static GtkWidget *
in_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (child);
  return window;
}

static void
count_cb (gpointer  instance,
          guint    *counter)
{
  (*counter)++;
}

static void
notify_cb (gpointer    instance,
           GParamSpec *pspec,
           guint      *counter)
{
  (*counter)++;
}

static void
seek_cb (gpointer  instance,
         gint64    position,
         guint    *counter)
{
  (*counter)++;
}

static void
test_scoring_panel (void)
{
  g_autoptr(GError) error = NULL;
  AssayForm *form = assay_form_from_json (form_json, -1, &error);
  AssayAnswers *answers;
  AssayScoringPanel *panel = assay_scoring_panel_new ();
  GtkWidget *window;
  guint changed = 0;
  guint notified = 0;

  g_assert_no_error (error);
  answers = assay_answers_new (form);
  g_object_ref_sink (panel);
  window = in_window (GTK_WIDGET (panel));
  /* this test moves between the items itself (test-review-keys.c covers moving on) */
  assay_scoring_panel_set_advance (panel, FALSE);
  assay_scoring_panel_set_answers (panel, answers);
  assay_answers_free (answers);
  g_signal_connect (panel, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (panel, "notify::editable", G_CALLBACK (notify_cb), &notified);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (panel));

  /* nothing answered: no score */
  g_assert_true (isnan (assay_scoring_panel_get_score (panel)->overall));
  /* N on the first item, then 1 = Good on the second */
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_n));
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_Down));
  g_assert_cmpuint (assay_scoring_panel_get_focused_item (panel), ==, 1);
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_1));
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpfloat (assay_scoring_panel_get_score (panel)->overall, ==, 100);
  g_assert_cmpstr (assay_scoring_panel_get_score (panel)->band, ==, "High");
  /* 2 = Poor: a deduction that needs a comment before Submit */
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_2));
  g_assert_cmpfloat (assay_scoring_panel_get_score (panel)->overall, ==, 0);
  g_assert_false (assay_scoring_panel_check_submit (panel));
  assay_scoring_panel_set_comment (panel, 1, "Did not listen");
  g_assert_true (assay_scoring_panel_check_submit (panel));
  /* a key that means nothing for the item does nothing */
  g_assert_false (assay_scoring_panel_press_key (panel, GDK_KEY_9));
  /* moving past the last item stays on it */
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_Down));
  g_assert_false (assay_scoring_panel_press_key (panel, GDK_KEY_Down));
  g_assert_cmpuint (assay_scoring_panel_get_focused_item (panel), ==, 2);

  /* evidence */
  assay_scoring_panel_add_evidence (panel, 1, 1000, 4000);
  g_assert_cmpuint (assay_answers_get (assay_scoring_panel_get_answers (panel), 1)->evidence->len, ==, 1);

  /* read-only: keys do nothing, the property notifies once */
  assay_scoring_panel_set_editable (panel, FALSE);
  assay_scoring_panel_set_editable (panel, FALSE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_false (assay_scoring_panel_press_key (panel, GDK_KEY_1));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (panel));

  gtk_window_destroy (GTK_WINDOW (window));
  assay_form_unref (form);
  g_assert_finalize_object (panel);
}

static void
test_waveform (void)
{
  AssayWaveform *wave = assay_waveform_new ();
  GtkWidget *window;
  AssaySegment silence[] = { { 10, 14 }, { 30, 35 } };
  gint64 start = 0, end = 0;
  guint seeks = 0, selections = 0;

  g_object_ref_sink (wave);
  window = in_window (GTK_WIDGET (wave));
  g_signal_connect (wave, "seek", G_CALLBACK (seek_cb), &seeks);
  g_signal_connect (wave, "selection-changed", G_CALLBACK (count_cb), &selections);

  assay_waveform_set_duration (wave, 60000);
  g_assert_cmpint (assay_waveform_get_duration (wave), ==, 60000);
  assay_waveform_set_position (wave, 12000);
  g_assert_cmpint (assay_waveform_get_position (wave), ==, 12000);
  assay_waveform_set_lane (wave, ASSAY_WAVEFORM_LANE_SILENCE, silence, G_N_ELEMENTS (silence));
  assay_waveform_add_mark (wave, 20000, 25000, "3");
  g_assert_false (assay_waveform_get_selection (wave, &start, &end));
  assay_waveform_set_selection (wave, 8000, 5000);
  g_assert_true (assay_waveform_get_selection (wave, &start, &end));
  g_assert_cmpint (start, ==, 5000);
  g_assert_cmpint (end, ==, 8000);
  assay_waveform_clear_selection (wave);
  g_assert_cmpuint (selections, ==, 2);

  /* zoom in and back */
  g_assert_cmpfloat (assay_waveform_get_zoom (wave), ==, 1);
  assay_waveform_set_zoom (wave, 4);
  g_assert_cmpfloat_with_epsilon (assay_waveform_get_zoom (wave), 4, 1e-9);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (wave));
  assay_waveform_set_zoom (wave, 1);
  g_assert_cmpfloat (assay_waveform_get_zoom (wave), ==, 1);

  /* setting the position from the player does not count as the user seeking */
  g_assert_cmpuint (seeks, ==, 0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (wave));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (wave);
}

static void
test_preferences (void)
{
  g_autoptr(AssayStore) store = assay_store_new ("/tmp/somewhere/assay.db");   /* never opened */
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);
  AssayPreferencesWindow *prefs = assay_preferences_window_new (NULL, context);

  g_object_ref (prefs);
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);
}

static void
test_shortcuts_window (void)
{
  /* every accelerator in the shortcuts window parses (a bad one is a critical) */
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/assayqa/Assay/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (overlay));
  gtk_test_widget_wait_for_draw (overlay);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

/* a multiple-choice item: Space toggles the option under the cursor, Left and Right move it;
 * on other items Space stays the player's (the panel leaves it alone) */
static void
test_multiple_choice_keys (void)
{
  static const char *json =
    "{\"format\": 1, \"id\": \"mc\", \"name\": \"MC\", \"version\": 1, \"mode\": \"points\","
    " \"sections\": [{\"id\": \"s\", \"title\": \"S\", \"items\": ["
    "  {\"id\": \"greet\", \"kind\": \"yes_no\", \"text\": \"Greeted\"},"
    "  {\"id\": \"topics\", \"kind\": \"multiple_choice\", \"text\": \"Topics covered\","
    "   \"options\": [{\"id\": \"a\", \"label\": \"Billing\", \"points\": 1},"
    "                {\"id\": \"b\", \"label\": \"Upgrade\", \"points\": 1},"
    "                {\"id\": \"c\", \"label\": \"Outage\", \"points\": 1}]}]}]}";
  g_autoptr(GError) error = NULL;
  AssayForm *form = assay_form_from_json (json, -1, &error);
  AssayAnswers *answers;
  AssayScoringPanel *panel = assay_scoring_panel_new ();
  GtkWidget *window;
  const AssayAnswer *answer;

  g_assert_no_error (error);
  answers = assay_answers_new (form);
  g_object_ref_sink (panel);
  window = in_window (GTK_WIDGET (panel));
  assay_scoring_panel_set_advance (panel, FALSE);
  assay_scoring_panel_set_answers (panel, answers);
  assay_answers_free (answers);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (panel));

  /* a yes/no item: Space is not the panel's */
  g_assert_false (assay_scoring_panel_press_key (panel, GDK_KEY_space));
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_Down));
  g_assert_cmpuint (assay_scoring_panel_get_focused_item (panel), ==, 1);

  /* Space toggles the first option, Right then Space the second, Space again clears it */
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_space));
  answer = assay_answers_get (assay_scoring_panel_get_answers (panel), 1);
  g_assert_cmpint (answer->state, ==, ASSAY_ANSWER_VALUE);
  g_assert_cmpuint (answer->choices, ==, 0x1);
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_Right));
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_space));
  answer = assay_answers_get (assay_scoring_panel_get_answers (panel), 1);
  g_assert_cmpuint (answer->choices, ==, 0x3);
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_space));
  answer = assay_answers_get (assay_scoring_panel_get_answers (panel), 1);
  g_assert_cmpuint (answer->choices, ==, 0x1);
  /* Left from the first wraps to the last option */
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_Left));
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_Left));
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_space));
  answer = assay_answers_get (assay_scoring_panel_get_answers (panel), 1);
  g_assert_cmpuint (answer->choices, ==, 0x5);
  /* the digits still toggle too */
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_2));
  answer = assay_answers_get (assay_scoring_panel_get_answers (panel), 1);
  g_assert_cmpuint (answer->choices, ==, 0x7);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (panel);
  assay_form_unref (form);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/widgets/scoring-panel", test_scoring_panel);
  g_test_add_func ("/ui/widgets/multiple-choice-keys", test_multiple_choice_keys);
  g_test_add_func ("/ui/widgets/waveform", test_waveform);
  g_test_add_func ("/ui/widgets/preferences", test_preferences);
  g_test_add_func ("/ui/widgets/shortcuts-window", test_shortcuts_window);
  return g_test_run ();
}
