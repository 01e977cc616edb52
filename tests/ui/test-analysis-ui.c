/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Speech analytics stored per interaction and shown where the interaction is: opening a review
 * stores the analysis of its recording (with the recording's agent channel), and the
 * Interactions page's detail shows a "Speech" group for an interaction that has one.
 */
#include <math.h>

#include "assay-window.h"
#include "pages/assay-interactions-page.h"
#include "pages/assay-review-page.h"
#include "store/assay-store-analysis.h"
#include "test-db.h"

/* A window on @store with its own context, as the application makes them. */
static AssayWindow *
window_on (AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  return assay_window_new (NULL, context);
}

#define STEREO_INTERACTION "20000000-0000-4000-8000-000000000007"
#define MONO_INTERACTION   "20000000-0000-4000-8000-000000000008"

static const char *form_json =
  "{\"format\": 1, \"id\": \"ui-test\", \"name\": \"UI test form\", \"version\": 1,"
  " \"published\": true, \"mode\": \"points\","
  " \"sections\": ["
  "  {\"id\": \"opening\", \"title\": \"Opening\", \"weight\": 1, \"items\": ["
  "    {\"id\": \"greeting\", \"kind\": \"yes_no\", \"text\": \"Greeting used\", \"weight\": 1}]}"
  " ]}";

/* 4 s at 8 kHz: a tone on the left in the first half, on the right in the second */
static void
write_stereo_wav (const char *path)
{
  const guint rate = 8000, frames = rate * 4, data_size = frames * 4;
  g_autofree guint8 *buf = g_malloc0 (44 + data_size);
  gint16 *samples = (gint16 *) (buf + 44);

  memcpy (buf, "RIFF", 4);
  *(guint32 *) (buf + 4) = GUINT32_TO_LE (36 + data_size);
  memcpy (buf + 8, "WAVEfmt ", 8);
  *(guint32 *) (buf + 16) = GUINT32_TO_LE (16);
  *(guint16 *) (buf + 20) = GUINT16_TO_LE (1);
  *(guint16 *) (buf + 22) = GUINT16_TO_LE (2);
  *(guint32 *) (buf + 24) = GUINT32_TO_LE (rate);
  *(guint32 *) (buf + 28) = GUINT32_TO_LE (rate * 4);
  *(guint16 *) (buf + 32) = GUINT16_TO_LE (4);
  *(guint16 *) (buf + 34) = GUINT16_TO_LE (16);
  memcpy (buf + 36, "data", 4);
  *(guint32 *) (buf + 40) = GUINT32_TO_LE (data_size);
  for (guint i = 0; i < frames; i++)
    {
      gint16 tone = (gint16) (8000 * sin (2 * G_PI * 440 * i / rate));

      samples[2 * i] = i < frames / 2 ? tone : 0;
      samples[2 * i + 1] = i >= frames / 2 ? tone : 0;
    }
  g_assert_true (g_file_set_contents (path, (char *) buf, 44 + data_size, NULL));
}

static AssayStore *
analysis_db (void)
{
  AssayStore *store = test_db_new (10);
  g_autofree char *dir = g_dir_make_tmp ("assay-analysis-ui-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "call.wav", NULL);
  g_autofree char *sql = NULL;

  write_stereo_wav (wav);
  /* the form's JSON goes in as an SQL string literal; it has no single quotes */
  g_assert_null (strchr (form_json, '\''));
  sql = g_strdup_printf (
    "INSERT INTO form (id, name, created_at) VALUES ('40000000-0000-4000-8000-000000000001', 'UI test form', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('41000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', 1, '%s', 1);"
    "INSERT INTO recording (id, interaction_id, location, format, channels, agent_channel, duration_s)"
    "  VALUES ('60000000-0000-4000-8000-000000000001', '" STEREO_INTERACTION "', '%s', 'wav', 2, 1, 4),"
    "         ('60000000-0000-4000-8000-000000000002', '" MONO_INTERACTION "', '/calls/mono.wav', 'wav', 1, NULL, 20);",
    form_json, wav);
  test_db_exec (store, sql);
  return store;
}

static gboolean
view_is_pages (gpointer data)
{
  return g_strcmp0 (assay_window_get_view (data), "pages") == 0;
}

static gboolean
analysis_stored (gpointer data)
{
  return test_db_query_int (data, "SELECT count(*) FROM analysis") == 2;
}

static gboolean
one_row (gpointer data)
{
  AssayInteractionModel *model = assay_interaction_list_get_model (data);

  return model != NULL && !assay_interaction_model_get_loading (model)
         && g_list_model_get_n_items (G_LIST_MODEL (model)) == 1;
}

static AdwPreferencesGroup *
find_group (GtkWidget  *widget,
            const char *title)
{
  if (ADW_IS_PREFERENCES_GROUP (widget)
      && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), title) == 0)
    return ADW_PREFERENCES_GROUP (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwPreferencesGroup *found = find_group (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_rows (GtkWidget *widget,
              GString   *titles)
{
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_string_append_printf (titles, "%s;", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, titles);
}

static gboolean
speech_shown (gpointer data)
{
  AdwPreferencesGroup *group = find_group (data, "Speech");

  return group != NULL && gtk_widget_get_visible (GTK_WIDGET (group));
}

/* selects the one interaction of @customer and waits for its Speech group */
static AdwPreferencesGroup *
show_speech_of (AssayInteractionsPage *page,
                const char            *customer)
{
  AssayInteractionList *list = assay_interactions_page_get_list (page);

  assay_interactions_page_search (page, customer);
  test_wait_until (one_row, list, 30);
  gtk_selection_model_select_item (gtk_column_view_get_model (assay_interaction_list_get_column_view (list)),
                                   0, TRUE);
  g_assert_nonnull (assay_interaction_list_get_selected (list));
  test_wait_until (speech_shown, page, 30);
  return find_group (GTK_WIDGET (page), "Speech");
}

static void
test_store_and_show (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) mono = assay_speech_summary_new ();
  g_autoptr(GError) error = NULL;
  AssayWindow *window = window_on (store);
  AssayInteractionsPage *page;
  AdwPreferencesGroup *group;
  GString *titles;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  test_wait_until (view_is_pages, window, 30);
  page = ASSAY_INTERACTIONS_PAGE (assay_window_get_page_widget (window, "interactions"));

  /* a mono analysis stored by someone else (assayctl analyze --store) */
  mono->duration_s = 20;
  mono->channels = 1;
  mono->sample_rate = 8000;
  mono->silence_s = 5;
  g_assert_true (assay_store_save_analysis_sync (store, "60000000-0000-4000-8000-000000000002",
                                                 mono, &error));
  g_assert_no_error (error);

  /* opening the review stores the analysis of its recording, agent on the right as recorded */
  assay_window_review (window, STEREO_INTERACTION, NULL);
  test_wait_until (analysis_stored, store, 30);
  g_assert_cmpint (test_db_query_int (store, "SELECT json_extract (segments, '$.agent_channel')"
                                             " FROM analysis WHERE recording_id ="
                                             " '60000000-0000-4000-8000-000000000001'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT round (json_extract (figures, '$.duration_s'))"
                                             " FROM analysis WHERE recording_id ="
                                             " '60000000-0000-4000-8000-000000000001'"), ==, 4);

  assay_window_show_page (window, "interactions");
  group = show_speech_of (page, "C-100007");
  titles = g_string_new (NULL);
  collect_rows (GTK_WIDGET (group), titles);
  g_assert_cmpstr (titles->str, ==,
                   "Talk ratio;Agent talk;Customer talk;Silence;Over-talk;Longest monologue;");
  g_assert_cmpstr (adw_preferences_group_get_description (group), ==, "");
  g_string_free (titles, TRUE);

  group = show_speech_of (page, "C-100008");
  titles = g_string_new (NULL);
  collect_rows (GTK_WIDGET (group), titles);
  g_assert_cmpstr (titles->str, ==, "Silence;");
  g_assert_cmpstr (adw_preferences_group_get_description (group), ==,
                   "Talk split unavailable (mono recording)");
  g_string_free (titles, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("ASSAY_AUDIO_SINK", "fakesink", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/analysis/store-and-show", test_store_and_show);
  return g_test_run ();
}
