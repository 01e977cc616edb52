/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Speech analyses in the store: saved per recording, replaced on save, found by interaction
 * through its first recording, ignored when of another analyser version. */
#include <math.h>

#include "store/assay-store-analysis.h"
#include "test-db.h"

#define INTERACTION_0 "20000000-0000-4000-8000-000000000000"
#define INTERACTION_1 "20000000-0000-4000-8000-000000000001"
#define INTERACTION_2 "20000000-0000-4000-8000-000000000002"
#define RECORDING_A   "60000000-0000-4000-8000-00000000000a"
#define RECORDING_B   "60000000-0000-4000-8000-00000000000b"
#define RECORDING_C   "60000000-0000-4000-8000-00000000000c"

/* interaction 0: a stereo call with the agent on the right (A); interaction 1: a mono
 * recording (B) and a second one (C); interaction 2: none */
static AssayStore *
analysis_db (void)
{
  AssayStore *store = test_db_new (3);

  test_db_exec (store,
    "INSERT INTO recording (id, interaction_id, location, format, channels, agent_channel, duration_s)"
    " VALUES ('" RECORDING_A "', '" INTERACTION_0 "', '/calls/a.wav', 'wav', 2, 1, 30),"
    "        ('" RECORDING_B "', '" INTERACTION_1 "', '/calls/b.wav', 'wav', 1, NULL, 20),"
    "        ('" RECORDING_C "', '" INTERACTION_1 "', 'https://example.com/c.mp3', 'mp3', NULL, NULL, NULL);");
  return store;
}

static void
add_segment (GArray *segments,
             double  start,
             double  end)
{
  AssaySegment s = { start, end };

  g_array_append_val (segments, s);
}

static AssaySpeechSummary *
stereo_summary (double agent_talk)
{
  AssaySpeechSummary *s = assay_speech_summary_new ();

  s->file = g_strdup ("/somewhere/else/a.wav");
  s->duration_s = 30;
  s->channels = 2;
  s->sample_rate = 8000;
  s->agent_channel = 1;
  s->has_talk_split = TRUE;
  s->agent_talk_s = agent_talk;
  s->customer_talk_s = 8;
  s->talk_ratio = agent_talk / (agent_talk + 8);
  s->silence_s = 4;
  add_segment (s->silence, 17, 21);
  s->overtalk_s = 2;
  add_segment (s->overtalk, 11, 12);
  add_segment (s->overtalk, 24, 25);
  s->longest_monologue_s = 11;
  s->longest_monologue = (AssaySegment) { 1, 12 };
  add_segment (s->voice[0], 11, 15);
  add_segment (s->voice[0], 21, 25);
  add_segment (s->voice[1], 1, 6);
  add_segment (s->voice[1], 7, 12);
  return s;
}

static AssaySpeechSummary *
mono_summary (void)
{
  AssaySpeechSummary *s = assay_speech_summary_new ();

  s->duration_s = 20;
  s->channels = 1;
  s->sample_rate = 16000;
  s->silence_s = 9;
  add_segment (s->silence, 0, 5);
  add_segment (s->silence, 12, 16);
  add_segment (s->voice[0], 5, 12);
  return s;
}

static void
test_round_trip (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) saved = stereo_summary (15.5);
  g_autoptr(AssaySpeechSummary) loaded = NULL;
  g_autoptr(GError) error = NULL;

  loaded = assay_store_load_analysis_sync (store, INTERACTION_0, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  g_assert_true (assay_store_save_analysis_sync (store, RECORDING_A, saved, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT analyser_version FROM analysis"), ==,
                   ASSAY_ANALYSER_VERSION);
  g_assert_cmpint (test_db_query_int (store, "SELECT computed_at > 1700000000000 FROM analysis"),
                   ==, 1);
  /* the figures are the command line's JSON without the file, whose path the recording has */
  g_assert_cmpint (test_db_query_int (store, "SELECT instr (figures, '\"file\"') FROM analysis"),
                   ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT json_extract (figures, '$.talk_s.agent')"
                                             " = 15.5 FROM analysis"), ==, 1);

  loaded = assay_store_load_analysis_sync (store, INTERACTION_0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->file, ==, "/calls/a.wav");
  g_assert_true (loaded->has_talk_split);
  g_assert_cmpuint (loaded->channels, ==, 2);
  g_assert_cmpuint (loaded->sample_rate, ==, 8000);
  g_assert_cmpuint (loaded->agent_channel, ==, 1);
  g_assert_cmpfloat_with_epsilon (loaded->duration_s, 30, 0.001);
  g_assert_cmpfloat_with_epsilon (loaded->agent_talk_s, 15.5, 0.001);
  g_assert_cmpfloat_with_epsilon (loaded->customer_talk_s, 8, 0.001);
  g_assert_cmpfloat_with_epsilon (loaded->talk_ratio, 15.5 / 23.5, 0.006);
  g_assert_cmpfloat_with_epsilon (loaded->silence_s, 4, 0.001);
  g_assert_cmpuint (loaded->silence->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (loaded->silence, AssaySegment, 0).start, 17, 0.001);
  g_assert_cmpuint (loaded->overtalk->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (g_array_index (loaded->overtalk, AssaySegment, 1).end, 25, 0.001);
  g_assert_cmpfloat_with_epsilon (loaded->longest_monologue_s, 11, 0.001);
  g_assert_cmpfloat_with_epsilon (loaded->longest_monologue.end, 12, 0.001);
  g_assert_cmpuint (loaded->voice[0]->len, ==, 2);
  g_assert_cmpuint (loaded->voice[1]->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (g_array_index (loaded->voice[1], AssaySegment, 1).start, 7, 0.001);
}

static void
test_replace (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) first = stereo_summary (15.5);
  g_autoptr(AssaySpeechSummary) second = stereo_summary (4);
  g_autoptr(AssaySpeechSummary) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_save_analysis_sync (store, RECORDING_A, first, &error));
  test_db_exec (store, "UPDATE analysis SET peaks = x'0102', computed_at = 1");
  g_assert_true (assay_store_save_analysis_sync (store, RECORDING_A, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM analysis"), ==, 1);
  /* replaced, stamped anew, the peaks left as they were */
  g_assert_cmpint (test_db_query_int (store, "SELECT computed_at > 1 FROM analysis"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT length (peaks) FROM analysis"), ==, 2);
  loaded = assay_store_load_analysis_sync (store, INTERACTION_0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (loaded->agent_talk_s, 4, 0.001);
}

static void
test_mono (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) saved = mono_summary ();
  g_autoptr(AssaySpeechSummary) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_save_analysis_sync (store, RECORDING_B, saved, &error));
  loaded = assay_store_load_analysis_sync (store, INTERACTION_1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_false (loaded->has_talk_split);
  g_assert_true (isnan (loaded->agent_talk_s));
  g_assert_true (isnan (loaded->talk_ratio));
  g_assert_true (isnan (loaded->overtalk_s));
  g_assert_true (isnan (loaded->longest_monologue_s));
  g_assert_cmpuint (loaded->overtalk->len, ==, 0);
  g_assert_cmpuint (loaded->silence->len, ==, 2);
  g_assert_cmpuint (loaded->voice[0]->len, ==, 1);
  g_assert_cmpuint (loaded->voice[1]->len, ==, 0);
}

static void
test_first_recording_only (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) saved = stereo_summary (15.5);
  g_autoptr(AssaySpeechSummary) loaded = NULL;
  g_autoptr(GError) error = NULL;

  /* the second recording of interaction 1 is analysed, its first is not */
  g_assert_true (assay_store_save_analysis_sync (store, RECORDING_C, saved, &error));
  loaded = assay_store_load_analysis_sync (store, INTERACTION_1, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  /* no recording at all, or no such interaction */
  loaded = assay_store_load_analysis_sync (store, INTERACTION_2, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
  loaded = assay_store_load_analysis_sync (store, "no-such-interaction", &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
}

static void
test_other_version (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) saved = stereo_summary (15.5);
  g_autoptr(AssaySpeechSummary) loaded = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  g_assert_true (assay_store_save_analysis_sync (store, RECORDING_A, saved, &error));
  sql = g_strdup_printf ("UPDATE analysis SET analyser_version = %d", ASSAY_ANALYSER_VERSION - 1);
  test_db_exec (store, sql);
  loaded = assay_store_load_analysis_sync (store, INTERACTION_0, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
  pending = assay_store_list_pending_analyses_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 3);

  /* a newer Assay's analysis is not read either */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE analysis SET analyser_version = %d", ASSAY_ANALYSER_VERSION + 1);
  test_db_exec (store, sql);
  loaded = assay_store_load_analysis_sync (store, INTERACTION_0, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  /* nor an unreadable one, which the next analysis replaces */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE analysis SET analyser_version = %d, figures = '{\"duration_s\":'",
                         ASSAY_ANALYSER_VERSION);
  test_db_exec (store, sql);
  loaded = assay_store_load_analysis_sync (store, INTERACTION_0, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
}

static void
test_pending (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) saved = stereo_summary (15.5);
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  AssayPendingRecording *r;

  pending = assay_store_list_pending_analyses_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 3);
  r = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (r->recording_id, ==, RECORDING_A);
  g_assert_cmpstr (r->interaction_id, ==, INTERACTION_0);
  g_assert_cmpstr (r->location, ==, "/calls/a.wav");
  g_assert_cmpint (r->channels, ==, 2);
  g_assert_cmpint (r->agent_channel, ==, 1);
  r = g_ptr_array_index (pending, 1);
  g_assert_cmpstr (r->recording_id, ==, RECORDING_B);
  g_assert_cmpint (r->agent_channel, ==, ASSAY_NONE);
  r = g_ptr_array_index (pending, 2);
  g_assert_cmpint (r->channels, ==, ASSAY_NONE);
  g_clear_pointer (&pending, g_ptr_array_unref);

  g_assert_true (assay_store_save_analysis_sync (store, RECORDING_A, saved, &error));
  pending = assay_store_list_pending_analyses_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 2);
  g_assert_cmpstr (((AssayPendingRecording *) g_ptr_array_index (pending, 0))->recording_id, ==,
                   RECORDING_B);
}

static void
test_unknown_recording (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) saved = mono_summary ();
  g_autoptr(GError) error = NULL;

  g_assert_false (assay_store_save_analysis_sync (store, "60000000-0000-4000-8000-00000000ffff",
                                                  saved, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM analysis"), ==, 0);
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static void
test_async (void)
{
  g_autoptr(AssayStore) store = analysis_db ();
  g_autoptr(AssaySpeechSummary) saved = stereo_summary (15.5);
  g_autoptr(AssaySpeechSummary) loaded = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait w = { NULL };

  assay_store_save_analysis_async (store, RECORDING_A, saved, NULL, done_cb, &w);
  /* the summary was written out already: the caller may change or free it */
  saved->agent_talk_s = 1;
  test_wait_until (has_result, &w, 30);
  g_assert_true (assay_store_save_analysis_finish (store, w.result, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);

  assay_store_load_analysis_async (store, INTERACTION_0, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  loaded = assay_store_load_analysis_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpfloat_with_epsilon (loaded->agent_talk_s, 15.5, 0.001);
  g_clear_object (&w.result);
  g_clear_pointer (&loaded, assay_speech_summary_free);

  /* none stored: NULL without an error */
  assay_store_load_analysis_async (store, INTERACTION_2, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  loaded = assay_store_load_analysis_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
  g_clear_object (&w.result);

  /* cancelled */
  g_cancellable_cancel (cancellable);
  assay_store_load_analysis_async (store, INTERACTION_0, cancellable, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  loaded = assay_store_load_analysis_finish (store, w.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (loaded);
  g_clear_object (&w.result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/analysis/round-trip", test_round_trip);
  g_test_add_func ("/store/analysis/replace", test_replace);
  g_test_add_func ("/store/analysis/mono", test_mono);
  g_test_add_func ("/store/analysis/first-recording-only", test_first_recording_only);
  g_test_add_func ("/store/analysis/other-version", test_other_version);
  g_test_add_func ("/store/analysis/pending", test_pending);
  g_test_add_func ("/store/analysis/unknown-recording", test_unknown_recording);
  g_test_add_func ("/store/analysis/async", test_async);
  return g_test_run ();
}
