/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "test-db.h"
#include "store/assay-store-calibration.h"

#define LEAD   "30000000-0000-4000-8000-00000000000a"
#define EXPERT "30000000-0000-4000-8000-00000000000e"
#define INSP_A "30000000-0000-4000-8000-000000000001"
#define INSP_B "30000000-0000-4000-8000-000000000002"
#define INSP_C "30000000-0000-4000-8000-000000000003"
#define CALL_1 "20000000-0000-4000-8000-000000000001"
#define CALL_2 "20000000-0000-4000-8000-000000000002"
#define CALL_9 "20000000-0000-4000-8000-000000000009"

#define ANSWERS(greeting, fix) \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  "\"greeting\": {\"value\": \"" greeting "\", \"comment\": \"noted\"}," \
  " \"disclosure\": {\"value\": \"yes\"}, \"fix\": {\"value\": " fix ", \"comment\": \"so so\"}}}"

static AssayStore *
calibration_db (void)
{
  AssayStore *store = test_db_new (12);

  test_db_add_review_form (store);
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES"
    " ('" LEAD "', 'Lena Lead', 'lead'), ('" EXPERT "', 'Eve Expert', 'inspector'),"
    " ('" INSP_A "', 'Ann', 'inspector'), ('" INSP_B "', 'Bob', 'inspector'),"
    " ('" INSP_C "', 'Cai', 'inspector');");
  return store;
}

static char *
create_session (AssayStore *store)
{
  const char *const calls[] = { CALL_1, CALL_2, NULL };
  const char *const inspectors[] = { INSP_A, INSP_B, INSP_C, NULL };
  AssayCalibrationSpec spec = { "Week 48, billing", TEST_FORM_VERSION_ID, LEAD, EXPERT, calls,
                                inspectors };
  g_autoptr(GError) error = NULL;
  char *id = assay_store_create_calibration_session_sync (store, &spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static guint
count_by (GPtrArray  *scorings,
          const char *inspector_id)
{
  guint n = 0;

  for (guint i = 0; i < scorings->len; i++)
    {
      AssayCalibrationScoringRecord *r = g_ptr_array_index (scorings, i);

      n += strcmp (r->inspector_id, inspector_id) == 0;
    }
  return n;
}

static void
save (AssayStore *store,
      const char *session,
      const char *call,
      const char *inspector,
      const char *answers,
      gboolean    submit)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_save_calibration_scoring_sync (store, session, call, inspector,
                                                            answers, NULL, submit, &error));
  g_assert_no_error (error);
}

static void
test_create (void)
{
  g_autoptr(AssayStore) store = calibration_db ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(AssayCalibrationSessionRecord) session = NULL;
  const char *const calls[] = { CALL_1, CALL_2, NULL };
  const char *const one[] = { INSP_A, NULL };
  const char *const with_lead[] = { INSP_A, LEAD, NULL };
  const char *const two[] = { INSP_A, INSP_B, NULL };
  const char *const missing[] = { CALL_1, "20000000-0000-4000-8000-999999999999", NULL };
  const char *const twice[] = { CALL_1, CALL_1, NULL };
  AssayCalibrationSpec spec = { "  ", TEST_FORM_VERSION_ID, LEAD, NULL, calls, two };

  g_assert_null (assay_store_create_calibration_session_sync (store, &spec, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no name"));
  g_clear_error (&error);

  spec.name = "Week 48";
  spec.participant_ids = one;
  g_assert_null (assay_store_create_calibration_session_sync (store, &spec, &error));
  g_assert_nonnull (strstr (error->message, "at least two inspectors"));
  g_clear_error (&error);

  spec.participant_ids = with_lead;
  g_assert_null (assay_store_create_calibration_session_sync (store, &spec, &error));
  g_assert_nonnull (strstr (error->message, "cannot also score"));
  g_clear_error (&error);

  spec.participant_ids = two;
  spec.interaction_ids = missing;
  g_assert_null (assay_store_create_calibration_session_sync (store, &spec, &error));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);

  spec.interaction_ids = twice;
  g_assert_null (assay_store_create_calibration_session_sync (store, &spec, &error));
  g_assert_nonnull (strstr (error->message, "picked twice"));
  g_clear_error (&error);

  /* a draft scorecard cannot be calibrated on */
  test_db_exec (store, "INSERT INTO form_version (id, form_id, version, definition)"
                       " VALUES ('draft-v2', '" TEST_FORM_ID "', 2, '{}')");
  spec.interaction_ids = calls;
  spec.form_version_id = "draft-v2";
  g_assert_null (assay_store_create_calibration_session_sync (store, &spec, &error));
  g_assert_nonnull (strstr (error->message, "publish it"));
  g_clear_error (&error);

  /* nothing of the refused attempts was written, not even half */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM calibration_session"), ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM calibration_interaction"), ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"), ==, 0);

  id = create_session (store);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'calibration_sessions'"
                                             " AND action = 'create'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT dirty FROM calibration_session"), ==, 1);

  list = assay_store_list_calibration_sessions_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  session = assay_store_get_calibration_session_sync (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->name, ==, "Week 48, billing");
  g_assert_cmpstr (session->state, ==, ASSAY_CALIBRATION_SCORING);
  g_assert_cmpstr (session->form_name, ==, "UI test form");
  g_assert_cmpstr (session->expert_id, ==, EXPERT);
  g_assert_cmpuint (session->n_interactions, ==, 2);
  g_assert_cmpuint (session->n_participants, ==, 3);
  g_assert_cmpstr (session->interaction_ids[0], ==, CALL_1);
  g_assert_cmpstr (session->interaction_ids[1], ==, CALL_2);
  g_assert_cmpuint (g_strv_length (session->participant_ids), ==, 3);

  g_assert_null (assay_store_get_calibration_session_sync (store, "nope", &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
}

static void
test_blind (void)
{
  g_autoptr(AssayStore) store = calibration_db ();
  g_autofree char *id = create_session (store);
  g_autoptr(GError) error = NULL;
  GPtrArray *seen;

  save (store, id, CALL_1, INSP_A, ANSWERS ("yes", "4"), TRUE);
  save (store, id, CALL_2, INSP_A, ANSWERS ("no", "3"), FALSE);     /* a draft */
  save (store, id, CALL_1, INSP_B, ANSWERS ("no", "2"), TRUE);
  save (store, id, CALL_2, INSP_B, ANSWERS ("yes", "5"), TRUE);     /* B is done */

  /* A has not submitted everything: only A's own rows, the draft included */
  seen = assay_store_list_calibration_scorings_sync (store, id, INSP_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpuint (count_by (seen, INSP_A), ==, 2);
  g_ptr_array_unref (seen);

  /* C scored nothing: sees nothing */
  seen = assay_store_list_calibration_scorings_sync (store, id, INSP_C, &error);
  g_assert_cmpuint (seen->len, ==, 0);
  g_ptr_array_unref (seen);

  /* B submitted every interaction: B's own and A's submitted one, never A's draft */
  seen = assay_store_list_calibration_scorings_sync (store, id, INSP_B, &error);
  g_assert_cmpuint (count_by (seen, INSP_B), ==, 2);
  g_assert_cmpuint (count_by (seen, INSP_A), ==, 1);
  g_assert_cmpstr (((AssayCalibrationScoringRecord *) g_ptr_array_index (seen, 0))->interaction_id,
                   ==, CALL_1);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpint (((AssayCalibrationScoringRecord *) g_ptr_array_index (seen, i))->submitted_at,
                     >, 0);
  g_ptr_array_unref (seen);

  /* the lead running the session (not scoring in it) sees the submitted ones */
  seen = assay_store_list_calibration_scorings_sync (store, id, LEAD, &error);
  g_assert_cmpuint (seen->len, ==, 3);
  g_ptr_array_unref (seen);

  /* statistics see everything */
  seen = assay_store_list_calibration_scorings_sync (store, id, NULL, &error);
  g_assert_cmpuint (seen->len, ==, 4);
  g_ptr_array_unref (seen);

  /* only the lead opens the session */
  g_assert_false (assay_store_set_calibration_state_sync (store, id, ASSAY_CALIBRATION_OPENED,
                                                          INSP_B, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (assay_store_set_calibration_state_sync (store, id, ASSAY_CALIBRATION_OPENED,
                                                         LEAD, &error));
  g_assert_no_error (error);

  /* opened: A and C see every submitted scoring; A's draft stays A's */
  seen = assay_store_list_calibration_scorings_sync (store, id, INSP_A, &error);
  g_assert_cmpuint (count_by (seen, INSP_B), ==, 2);
  g_assert_cmpuint (count_by (seen, INSP_A), ==, 2);
  g_ptr_array_unref (seen);
  seen = assay_store_list_calibration_scorings_sync (store, id, INSP_C, &error);
  g_assert_cmpuint (seen->len, ==, 3);
  g_assert_cmpuint (count_by (seen, INSP_A), ==, 1);
  g_ptr_array_unref (seen);

  /* scoring has ended */
  g_assert_false (assay_store_save_calibration_scoring_sync (store, id, CALL_2, INSP_C,
                                                             ANSWERS ("yes", "5"), NULL, TRUE,
                                                             &error));
  g_assert_nonnull (strstr (error->message, "ended"));
}

static void
test_scoring_rules (void)
{
  g_autoptr(AssayStore) store = calibration_db ();
  g_autofree char *id = create_session (store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mine = NULL;

  /* the form engine reads the answers: errors name the field */
  g_assert_false (assay_store_save_calibration_scoring_sync (store, id, CALL_1, INSP_A,
    "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1,"
    " \"answers\": {\"greeting\": {\"value\": \"maybe\"}}}", NULL, FALSE, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "answers.greeting.value"));
  g_clear_error (&error);
  g_assert_false (assay_store_save_calibration_scoring_sync (store, id, CALL_1, INSP_A, "not json",
                                                             NULL, FALSE, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* submit needs every required item */
  g_assert_false (assay_store_save_calibration_scoring_sync (store, id, CALL_1, INSP_A,
    "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1,"
    " \"answers\": {\"greeting\": {\"value\": \"yes\"}}}", NULL, TRUE, &error));
  g_assert_nonnull (strstr (error->message, "\"disclosure\" has no answer"));
  g_clear_error (&error);

  /* outsiders and foreign interactions are refused */
  g_assert_false (assay_store_save_calibration_scoring_sync (store, id, CALL_1, EXPERT,
                                                             ANSWERS ("yes", "4"), NULL, FALSE,
                                                             &error));
  g_assert_nonnull (strstr (error->message, "not invited"));
  g_clear_error (&error);
  g_assert_false (assay_store_save_calibration_scoring_sync (store, id, CALL_9, INSP_A,
                                                             ANSWERS ("yes", "4"), NULL, FALSE,
                                                             &error));
  g_assert_nonnull (strstr (error->message, "not part of this session"));
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM calibration_scoring"), ==, 0);

  /* drafts saved again coalesce into one unsent operation; submit queues its own */
  save (store, id, CALL_1, INSP_A, ANSWERS ("yes", "3"), FALSE);
  save (store, id, CALL_1, INSP_A, ANSWERS ("yes", "4"), FALSE);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'calibration_scorings'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'calibration_scorings'"
                                             " AND data LIKE '%\"fix\":{\"value\":4%'"), ==, 1);
  g_assert_true (assay_store_save_calibration_scoring_sync (store, id, CALL_1, INSP_A,
                                                            ANSWERS ("yes", "4"), "clear call",
                                                            TRUE, &error));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'calibration_scorings'"
                                             " AND action = 'submit'"
                                             " AND json_extract (data, '$.submittedAt') > 0"
                                             " AND json_extract (data, '$.comments') = 'clear call'"),
                   ==, 1);
  /* the first operation creates the scoring on the server; every one carries it whole */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'calibration_scorings'"
                                             " AND action = 'create'"
                                             " AND json_extract (data, '$.inspectorId') = '" INSP_A "'"
                                             " AND json_extract (data, '$.sessionId') IS NOT NULL"),
                   ==, 1);

  /* a submitted scoring never changes, neither through the API nor in SQL */
  g_assert_false (assay_store_save_calibration_scoring_sync (store, id, CALL_1, INSP_A,
                                                             ANSWERS ("no", "1"), NULL, FALSE,
                                                             &error));
  g_assert_nonnull (strstr (error->message, "submitted already"));
  g_clear_error (&error);

  mine = assay_store_list_calibration_scorings_sync (store, id, INSP_A, &error);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpstr (((AssayCalibrationScoringRecord *) g_ptr_array_index (mine, 0))->comments, ==,
                   "clear call");
  /* kept as the form engine writes answers */
  g_assert_nonnull (strstr (((AssayCalibrationScoringRecord *) g_ptr_array_index (mine, 0))->answers,
                            "\"form_id\": \"ui-test\""));
}

static void
test_consensus_and_states (void)
{
  g_autoptr(AssayStore) store = calibration_db ();
  g_autofree char *id = create_session (store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) consensus = NULL;
  AssayCalibrationConsensusRecord *c;

  /* the lead or the expert, nobody else */
  g_assert_false (assay_store_set_calibration_consensus_sync (store, id, CALL_1, "greeting",
                                                              "{\"value\": \"yes\"}", INSP_A,
                                                              &error));
  g_assert_nonnull (strstr (error->message, "lead or its expert"));
  g_clear_error (&error);
  /* checked by the form engine */
  g_assert_false (assay_store_set_calibration_consensus_sync (store, id, CALL_1, "fix",
                                                              "{\"value\": 9}", EXPERT, &error));
  g_assert_nonnull (strstr (error->message, "answers.fix.value"));
  g_clear_error (&error);
  g_assert_false (assay_store_set_calibration_consensus_sync (store, id, CALL_1, "nope",
                                                              "{\"value\": 1}", EXPERT, &error));
  g_assert_nonnull (strstr (error->message, "no item"));
  g_clear_error (&error);

  g_assert_true (assay_store_set_calibration_consensus_sync (store, id, CALL_1, "fix",
                                                             "{\"value\": 3}", EXPERT, &error));
  g_assert_true (assay_store_set_calibration_consensus_sync (store, id, CALL_1, "fix",
                                                             "{ \"value\" : 4 }", LEAD, &error));
  g_assert_true (assay_store_set_calibration_consensus_sync (store, id, CALL_2, "greeting",
                                                             "{\"value\": \"no\"}", LEAD, &error));
  g_assert_true (assay_store_set_calibration_consensus_sync (store, id, CALL_2, "greeting", NULL,
                                                             LEAD, &error));
  g_assert_no_error (error);
  consensus = assay_store_list_calibration_consensus_sync (store, id, &error);
  g_assert_cmpuint (consensus->len, ==, 1);
  c = g_ptr_array_index (consensus, 0);
  g_assert_cmpstr (c->item_id, ==, "fix");
  g_assert_cmpstr (c->answer, ==, "{\"value\":4}");
  g_assert_cmpstr (c->set_by, ==, LEAD);
  /* nothing was sent yet: the two answers for "fix" are one create carrying the last one, and
   * the greeting set and cleared again leaves nothing to send; the object id on the wire is a
   * UUID derived from the answer's key, the same on every machine */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'calibration_consensus'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'calibration_consensus'"
                                             " AND action = 'create' AND length (object_id) = 36"
                                             " AND json_extract (data, '$.answer.value') = 4"
                                             " AND json_extract (data, '$.setBy') = '" LEAD "'"),
                   ==, 1);

  /* closed is final */
  g_assert_false (assay_store_set_calibration_state_sync (store, id, "scoring", LEAD, &error));
  g_clear_error (&error);
  g_assert_true (assay_store_set_calibration_state_sync (store, id, ASSAY_CALIBRATION_CLOSED, LEAD,
                                                         &error));
  g_assert_cmpint (test_db_query_int (store, "SELECT opened_at IS NOT NULL AND closed_at IS NOT NULL"
                                             " FROM calibration_session"), ==, 1);
  g_assert_false (assay_store_set_calibration_state_sync (store, id, ASSAY_CALIBRATION_OPENED, LEAD,
                                                          &error));
  g_assert_nonnull (strstr (error->message, "closed already"));
  g_clear_error (&error);
  g_assert_false (assay_store_set_calibration_consensus_sync (store, id, CALL_1, "fix",
                                                              "{\"value\": 2}", LEAD, &error));
  g_assert_nonnull (strstr (error->message, "closed"));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'calibration_sessions'"
                                             " AND action = 'update'"), ==, 1);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = assay_store_list_calibration_sessions_finish (ASSAY_STORE (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_async (void)
{
  g_autoptr(AssayStore) store = calibration_db ();
  g_autofree char *id = create_session (store);
  g_autoptr(GPtrArray) list = NULL;
  AssayCalibrationSessionRecord *r;

  save (store, id, CALL_1, INSP_A, ANSWERS ("yes", "4"), TRUE);
  assay_store_list_calibration_sessions_async (store, NULL, listed_cb, &list);
  test_wait_until (is_set, &list, 10);
  g_assert_cmpuint (list->len, ==, 1);
  r = g_ptr_array_index (list, 0);
  g_assert_cmpstr (r->id, ==, id);
  g_assert_cmpuint (r->n_scorings, ==, 1);
  g_assert_cmpuint (r->n_submitted, ==, 1);
  g_assert_null (r->interaction_ids);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calibration/store/create", test_create);
  g_test_add_func ("/calibration/store/blind", test_blind);
  g_test_add_func ("/calibration/store/scoring-rules", test_scoring_rules);
  g_test_add_func ("/calibration/store/consensus-and-states", test_consensus_and_states);
  g_test_add_func ("/calibration/store/async", test_async);
  return g_test_run ();
}
