/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stored transcripts, review time, and suggestions that never reach a submitted revision. */
#include <string.h>

#include "core/assay-phrase.h"
#include "protocol/assay-form-json.h"
#include "store/assay-store-evaluations.h"
#include "store/assay-store-seed.h"
#include "store/assay-store-transcript.h"
#include "test-db.h"

#define INTERACTION "20000000-0000-4000-8000-000000000007"
#define OTHER       "20000000-0000-4000-8000-000000000003"
#define FORM_VERSION "41000000-0000-4000-8000-000000000001"

static const char *form_json =
  "{ \"format\": 1, \"id\": \"script\", \"name\": \"Script\", \"version\": 1, \"published\": true,"
  "  \"sections\": [ { \"id\": \"a\", \"title\": \"A\", \"items\": ["
  "    { \"id\": \"greeting\", \"kind\": \"yes_no\", \"text\": \"Greeting\","
  "      \"script\": { \"must_say\": [ [\"您好\", \"您好\"], \"工号\" ], \"within_s\": 30 } },"
  "    { \"id\": \"closing\", \"kind\": \"yes_no\", \"text\": \"Closing\","
  "      \"script\": { \"must_say\": [ [\"感谢您的来电\", \"感謝您的來電\"] ] } }"
  "  ] } ] }";

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static AssayUtterances *
call (void)
{
  AssayUtterances *u = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);

  assay_utterances_add (u, 800, 5200, "坐席", ASSAY_SPEAKER_AGENT, "您好，工号１０２３为您服务。");
  assay_utterances_add (u, 5900, 9100, "客户", ASSAY_SPEAKER_CUSTOMER, "我家的宽带断了。");
  assay_utterances_add (u, 60000, 63000, "坐席", ASSAY_SPEAKER_AGENT, "感謝您的來電，再見。");
  return u;
}

static void
add_form (AssayStore *store)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO form (id, name, created_at) VALUES ('40000000-0000-4000-8000-000000000001', 'Script', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('%s', '40000000-0000-4000-8000-000000000001', 1, '%s', 1);",
    FORM_VERSION, form_json);

  test_db_exec (store, sql);
}

static void
test_put_get (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(AssayUtterances) u = call ();
  g_autoptr(AssayUtterances) chat = assay_utterances_new (ASSAY_TRANSCRIPT_CONVERSATION);
  g_autoptr(AssayStoredTranscript) t = NULL;
  g_autoptr(AssayStoredTranscript) none = NULL;
  g_autoptr(AssayUtterances) empty = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);
  g_autoptr(GError) error = NULL;

  /* none yet: NULL without an error */
  none = assay_store_get_transcript_sync (store, INTERACTION, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (assay_store_put_transcript_sync (store, INTERACTION, u,
                                                  ASSAY_TRANSCRIPT_FORMAT_SRT, "c7.srt", &error));
  g_assert_no_error (error);
  t = assay_store_get_transcript_sync (store, INTERACTION, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t);
  g_assert_cmpint (t->format, ==, ASSAY_TRANSCRIPT_FORMAT_SRT);
  g_assert_cmpstr (t->source, ==, "c7.srt");
  g_assert_cmpuint (assay_utterances_get_n (t->utterances), ==, 3);
  g_assert_cmpstr (assay_utterances_get (t->utterances, 2)->text, ==, "感謝您的來電，再見。");
  g_assert_cmpint (assay_utterances_get (t->utterances, 1)->role, ==, ASSAY_SPEAKER_CUSTOMER);
  g_assert_cmpint (assay_utterances_get (t->utterances, 2)->end_ms, ==, 63000);
  g_clear_pointer (&t, assay_stored_transcript_free);

  /* the same kind again replaces it; a conversation is kept beside a call's transcript, and
   * the call's transcript is what a reader gets first */
  assay_utterances_add (chat, 1794652920000, 1794652920000, "Wang Fang", ASSAY_SPEAKER_AGENT, "hi");
  g_assert_true (assay_store_put_transcript_sync (store, INTERACTION, u,
                                                  ASSAY_TRANSCRIPT_FORMAT_VTT, NULL, &error));
  g_assert_true (assay_store_put_transcript_sync (store, INTERACTION, chat,
                                                  ASSAY_TRANSCRIPT_FORMAT_CONVERSATION, NULL,
                                                  &error));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM transcript"), ==, 2);
  t = assay_store_get_transcript_sync (store, INTERACTION, &error);
  g_assert_cmpint (t->format, ==, ASSAY_TRANSCRIPT_FORMAT_VTT);
  g_assert_null (t->source);
  g_clear_pointer (&t, assay_stored_transcript_free);

  g_assert_true (assay_store_put_transcript_sync (store, OTHER, chat,
                                                  ASSAY_TRANSCRIPT_FORMAT_CONVERSATION, "x.json",
                                                  &error));
  t = assay_store_get_transcript_sync (store, OTHER, &error);
  g_assert_cmpint (t->utterances->kind, ==, ASSAY_TRANSCRIPT_CONVERSATION);
  g_assert_cmpint (assay_utterances_get (t->utterances, 0)->start_ms, ==, 1794652920000);

  /* bad input */
  g_assert_false (assay_store_put_transcript_sync (store, "nope", u, ASSAY_TRANSCRIPT_FORMAT_VTT,
                                                   NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (assay_store_put_transcript_sync (store, INTERACTION, empty,
                                                   ASSAY_TRANSCRIPT_FORMAT_VTT, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* the table itself refuses what the API would never write */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM transcript"), ==, 3);
}

static void
test_get_async (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(AssayUtterances) u = call ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AssayStoredTranscript) t = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_put_transcript_sync (store, INTERACTION, u,
                                                  ASSAY_TRANSCRIPT_FORMAT_JSON, NULL, &error));
  assay_store_get_transcript_async (store, INTERACTION, NULL, result_cb, &result);
  test_wait_until (result_ready, &result, 30);
  t = assay_store_get_transcript_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assay_utterances_get_n (t->utterances), ==, 3);
}

static AssayEvaluationRecord *
draft_with (AssayStore   *store,
            const char   *me_id,
            AssayAnswers *answers)
{
  AssayEvaluationRecord *r = g_new0 (AssayEvaluationRecord, 1);
  g_autoptr(GError) error = NULL;

  r->id = g_strdup ("50000000-0000-4000-8000-000000000001");
  r->interaction_id = g_strdup (INTERACTION);
  r->form_version_id = g_strdup (FORM_VERSION);
  r->inspector_id = g_strdup (me_id);
  r->answers = assay_answers_to_json (answers);
  r->score = 100;
  g_assert_cmpint (assay_store_save_draft_sync (store, r, &error), >, 0);
  g_assert_no_error (error);
  return r;
}

static void
test_suggestion_never_submitted (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayForm) form = assay_form_from_json (form_json, -1, &error);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayUtterances) u = call ();
  g_autoptr(AssayPhraseIndex) index = NULL;
  g_autoptr(AssayStoredTranscript) stored = NULL;
  g_autoptr(AssayEvaluationRecord) r = NULL;
  g_autofree char *me_id = NULL;
  g_autofree char *submitted = NULL;

  g_assert_no_error (error);
  add_form (store);
  test_db_exec (store, "INSERT INTO staff (id, name, is_me) VALUES "
                       "('30000000-0000-4000-8000-0000000000aa', 'Me', 1)");
  me_id = g_strdup ("30000000-0000-4000-8000-0000000000aa");
  g_assert_true (assay_store_put_transcript_sync (store, INTERACTION, u,
                                                  ASSAY_TRANSCRIPT_FORMAT_SRT, NULL, &error));

  /* the engine pre-answers from the stored transcript */
  stored = assay_store_get_transcript_sync (store, INTERACTION, &error);
  index = assay_phrase_index_new (stored->utterances);
  answers = assay_answers_new (form);
  g_assert_cmpuint (assay_phrase_suggest (answers, index), ==, 2);
  g_assert_true (assay_answers_get (answers, 0)->suggested);

  /* the draft keeps the suggestions; submitting it is refused and writes no revision */
  r = draft_with (store, me_id, answers);
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, me_id, NULL, &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2 suggested answer(s) are not confirmed"));
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_revision"), ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation"
                                             " WHERE state = 'draft'"), ==, 1);

  /* one confirmed, one still a suggestion: still refused */
  assay_answers_confirm (answers, 0);
  g_clear_pointer (&r, assay_evaluation_record_free);
  r = draft_with (store, me_id, answers);
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, me_id, NULL, &error), ==, 0);
  g_assert_nonnull (strstr (error->message, "1 suggested answer(s)"));
  g_clear_error (&error);

  /* answered otherwise: submitted, and the revision holds no suggestion */
  assay_answers_set_choice (answers, 1, 1, NULL);
  g_clear_pointer (&r, assay_evaluation_record_free);
  r = draft_with (store, me_id, answers);
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, me_id, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_revision"
                                             " WHERE answers LIKE '%suggested%'"), ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_revision"
                                             " WHERE answers LIKE '%evidence%'"), ==, 1);
}

static void
test_review_time (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayEvaluationRecord) r = NULL;
  g_autoptr(AssayForm) form = assay_form_from_json (form_json, -1, &error);
  g_autoptr(AssayAnswers) answers = assay_answers_new (form);
  g_autoptr(GAsyncResult) result = NULL;

  add_form (store);
  test_db_exec (store, "INSERT INTO staff (id, name) VALUES "
                       "('30000000-0000-4000-8000-0000000000aa', 'Me')");
  r = draft_with (store, "30000000-0000-4000-8000-0000000000aa", answers);
  g_assert_cmpint (assay_store_get_review_time_sync (store, r->id, &error), ==, 0);

  /* two sessions: 4 min 10.4 s and 55.6 s, rounded to the second each */
  g_assert_true (assay_store_add_review_time_sync (store, r->id, 250400, &error));
  assay_store_add_review_time_async (store, r->id, 55600, NULL, result_cb, &result);
  test_wait_until (result_ready, &result, 30);
  g_assert_true (assay_store_add_review_time_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_get_review_time_sync (store, r->id, &error), ==, 250 + 56);

  g_assert_false (assay_store_add_review_time_sync (store, r->id, -1, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (assay_store_add_review_time_sync (store, "nope", 1000, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (assay_store_get_review_time_sync (store, "nope", &error), ==, -1);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
}

static void
test_seeded (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-seed-transcripts-XXXXXX", NULL);
  g_autofree char *rec_dir = g_build_filename (dir, "source", NULL);
  g_autofree char *wav = g_build_filename (rec_dir, "en-billing-test.wav", NULL);
  g_autofree char *vtt = g_build_filename (rec_dir, "en-billing-test.vtt", NULL);
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  AssaySeedOptions options;
  AssaySeedSummary summary = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (rec_dir, 0700), ==, 0);
  test_write_stereo_wav (wav, 60);
  g_assert_true (g_file_set_contents (vtt, "WEBVTT - test\n\n1\n00:00:01.376 --> 00:00:09.478\n"
                                           "<v Agent>Thank you for calling Northwind Telecom.\n\n"
                                           "2\n00:00:09.939 --> 00:00:17.814\n"
                                           "<v Customer>Hi, my bill is wrong.\n", -1, NULL));
  g_assert_true (assay_store_open_sync (store, &error));
  assay_seed_options_init (&options);
  options.n_interactions = 1500;
  options.end_ms = G_GINT64_CONSTANT (1794652920000);
  options.recordings_dir = rec_dir;
  g_assert_true (assay_store_seed_sync (store, &options, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_recordings, ==, 1);
  assay_seed_summary_clear (&summary);

  /* every chat and email answered has its conversation; no call without a recording has one */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM transcript"
                                             " WHERE kind = 'conversation'"), >, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM interaction i"
                                             " WHERE i.channel IN ('chat', 'email')"
                                             " AND i.abandoned = 0 AND NOT EXISTS (SELECT 1 FROM"
                                             " transcript t WHERE t.interaction_id = i.id)"), ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM transcript t JOIN interaction i"
                                             " ON i.id = t.interaction_id WHERE i.channel = 'phone'"),
                   ==, 1);
  /* the recorded call got the transcript beside its recording, times exact */
  {
    gint64 n = test_db_query_int (store, "SELECT count(*) FROM transcript t JOIN recording r"
                                         " ON r.interaction_id = t.interaction_id"
                                         " WHERE t.source = 'en-billing-test.vtt'"
                                         " AND t.n_segments = 2"
                                         " AND json_extract (t.segments, '$[0].start_ms') = 1376"
                                         " AND json_extract (t.segments, '$[1].end_ms') = 17814"
                                         " AND json_extract (t.segments, '$[1].role') = 'customer'");

    g_assert_cmpint (n, ==, 1);
  }
  /* ids are made from the interaction: seeding again gives the same */
  {
    gint64 before = test_db_query_int (store, "SELECT sum(unicode (substr (id, 1, 1))"
                                              " + unicode (substr (id, 36, 1))) FROM transcript");
    options.force = TRUE;
    g_assert_true (assay_store_seed_sync (store, &options, &summary, &error));
    assay_seed_summary_clear (&summary);
    g_assert_cmpint (test_db_query_int (store, "SELECT sum(unicode (substr (id, 1, 1))"
                                               " + unicode (substr (id, 36, 1))) FROM transcript"),
                     ==, before);
  }
  /* a large benchmark centre may leave them out */
  options.no_conversations = TRUE;
  g_assert_true (assay_store_seed_sync (store, &options, &summary, &error));
  assay_seed_summary_clear (&summary);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM transcript"
                                             " WHERE kind = 'conversation'"), ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM transcript"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/transcript/put-get", test_put_get);
  g_test_add_func ("/store/transcript/get-async", test_get_async);
  g_test_add_func ("/store/transcript/suggestion-never-submitted", test_suggestion_never_submitted);
  g_test_add_func ("/store/review-time", test_review_time);
  g_test_add_func ("/store/transcript/seeded", test_seeded);
  return g_test_run ();
}
