/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A submitted revision keeps the results it was scored with. The scoring engine changed (a
 * scale is now worth its weight, issue 6): a revision stored by the earlier engine must come
 * back from every store read with its stored score and results, never rescored.
 */
#include <math.h>

#include "core/assay-scoring.h"
#include "protocol/assay-form-json.h"
#include "store/assay-store-evaluations.h"
#include "test-db.h"

#define STAFF      "30000000-0000-4000-8000-000000000001"
#define EVALUATION "50000000-0000-4000-8000-000000000001"
#define REVISION   "51000000-0000-4000-8000-000000000001"
#define ANSWERS    "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
                   "\"greeting\": {\"value\": \"yes\"}, \"disclosure\": {\"value\": \"yes\"}," \
                   " \"fix\": {\"value\": 4}}}"
/* test_db_add_review_form()'s scorecard, to score the answers with today's engine */
#define REVIEW_FORM \
  "{\"format\": 1, \"id\": \"ui-test\", \"name\": \"UI test form\", \"version\": 1," \
  " \"published\": true, \"mode\": \"points\", \"comment_on_deduction\": true," \
  " \"sections\": [" \
  "  {\"id\": \"opening\", \"title\": \"Opening\", \"weight\": 1, \"items\": [" \
  "    {\"id\": \"greeting\", \"kind\": \"yes_no\", \"text\": \"Greeting used\"}," \
  "    {\"id\": \"disclosure\", \"kind\": \"yes_no\", \"text\": \"Disclosure\", \"fatal\": true}]}," \
  "  {\"id\": \"resolution\", \"title\": \"Resolution\", \"weight\": 1, \"items\": [" \
  "    {\"id\": \"fix\", \"kind\": \"scale\", \"text\": \"Correct fix\", \"weight\": 2," \
  "     \"min\": 1, \"max\": 5}]}]}"
/* what the earlier engine wrote: the scale's raw step 3 × weight 2 = 6 of 8, (2 + 6) / 10 */
#define OLD_RESULTS "{\"form_id\":\"ui-test\",\"form_version\":1,\"overall\":80}"

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
test_revision_keeps_its_score (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayEvaluationRecord) record = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) today = NULL;
  AssayRevisionRecord *rev;
  AssayEvaluationRecord *listed;
  Wait w = { NULL };

  test_db_add_review_form (store);
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES ('" STAFF "', 'Liu Yang', 'inspector');"
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
    "  current_revision_id, created_at, updated_at)"
    "  VALUES ('" EVALUATION "', (SELECT id FROM interaction ORDER BY id LIMIT 1),"
    "  '" TEST_FORM_VERSION_ID "', '" STAFF "', 'submitted', '" REVISION "', 1000, 1000);"
    "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, score, results,"
    "  author_id, created_at)"
    "  VALUES ('" REVISION "', '" EVALUATION "', 1, '" ANSWERS "', 80, '" OLD_RESULTS "',"
    "  '" STAFF "', 1000);");

  /* the engine today scores the same answers differently: (2 + 0.75 × 2) / (2 + 2) */
  assay_store_get_evaluation_async (store, EVALUATION, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  record = assay_store_get_evaluation_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  g_assert_nonnull (record);
  form = assay_form_from_json (REVIEW_FORM, -1, &error);
  g_assert_no_error (error);
  answers = assay_answers_from_json (form, ANSWERS, -1, &error);
  g_assert_no_error (error);
  today = assay_score_compute (answers);
  g_assert_cmpfloat_with_epsilon (today->overall, 87.5, 1e-9);

  /* the evaluation as the scoring panel opens it */
  g_assert_cmpstr (record->state, ==, "submitted");
  g_assert_cmpint (record->revision, ==, 1);
  g_assert_cmpfloat (record->score, ==, 80);
  g_assert_cmpstr (record->results, ==, OLD_RESULTS);
  g_assert_cmpstr (record->answers, ==, ANSWERS);

  /* its history */
  assay_store_list_revisions_async (store, EVALUATION, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  revisions = assay_store_list_revisions_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  g_assert_cmpuint (revisions->len, ==, 1);
  rev = g_ptr_array_index (revisions, 0);
  g_assert_cmpfloat (rev->score, ==, 80);
  g_assert_cmpstr (rev->results, ==, OLD_RESULTS);

  /* the evaluations list */
  assay_store_list_evaluations_async (store, NULL, "submitted", 10, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  list = assay_store_list_evaluations_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  g_assert_cmpuint (list->len, ==, 1);
  listed = g_ptr_array_index (list, 0);
  g_assert_cmpfloat (listed->score, ==, 80);
  g_assert_cmpstr (listed->results, ==, OLD_RESULTS);

  /* and the database row is untouched */
  g_assert_cmpint (test_db_query_int (store, "SELECT score FROM evaluation_revision"), ==, 80);
  g_assert_cmpint (test_db_query_int (store, "SELECT results = '" OLD_RESULTS "'"
                                             " FROM evaluation_revision"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/stored-scores/revision-keeps-its-score", test_revision_keeps_its_score);
  return g_test_run ();
}
