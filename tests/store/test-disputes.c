/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "store/assay-store-acknowledgements.h"
#include "store/assay-store-coaching.h"
#include "store/assay-store-disputes.h"
#include "store/assay-store-evaluations.h"
#include "test-db.h"

#define INTERACTION "20000000-0000-4000-8000-000000000000"
#define LEAD        "30000000-0000-4000-8000-000000000001"
#define MANAGER     "30000000-0000-4000-8000-000000000002"
#define INSPECTOR   "30000000-0000-4000-8000-000000000003"
#define DAY         ASSAY_DISPUTE_DAY_MS

#define ANSWERS(fix, comment) \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  " \"greeting\": {\"value\": \"yes\"}, \"disclosure\": {\"value\": \"yes\"}," \
  " \"fix\": {\"value\": " fix ", \"comment\": \"" comment "\"}}}"

/* A store with the review form, three staff and one submitted evaluation (fix 2 of 5: 62.5 %);
 * returns the evaluation's id and its submission time. */
static AssayStore *
store_with_evaluation (char   **evaluation_id,
                       gint64  *submitted_at)
{
  AssayStore *store = test_db_new (3);
  g_autoptr(AssayEvaluationRecord) r = g_new0 (AssayEvaluationRecord, 1);
  g_autoptr(GError) error = NULL;

  test_db_add_review_form (store);
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES ('" LEAD "', 'Liu Yang', 'lead'),"
    " ('" MANAGER "', 'Sun Li', 'manager'), ('" INSPECTOR "', 'Ma Rui', 'inspector');"
    "UPDATE team SET lead_id = '" LEAD "' WHERE id = '00000000-0000-4000-8000-000000000001';");
  r->id = g_strdup ("50000000-0000-4000-8000-000000000001");
  r->interaction_id = g_strdup (INTERACTION);
  r->form_version_id = g_strdup (TEST_FORM_VERSION_ID);
  r->inspector_id = g_strdup (INSPECTOR);
  r->answers = g_strdup (ANSWERS ("2", "missed the refund"));
  r->score = 62.5;
  r->results = g_strdup ("{}");
  g_assert_cmpint (assay_store_save_draft_sync (store, r, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, INSPECTOR, NULL, &error), ==, 1);
  g_assert_no_error (error);
  *submitted_at = test_db_query_int (store, "SELECT created_at FROM evaluation_revision");
  *evaluation_id = g_strdup (r->id);
  return store;
}

static char *
raise_dispute (AssayStore  *store,
               const char  *evaluation_id,
               const char  *item,
               guint        window_days,
               gint64       now,
               GError     **error)
{
  const char *items[] = { item, NULL };
  AssayDisputeRaise raise = { evaluation_id, LEAD, TRUE, item ? items : NULL,
                              "The customer asked for no refund", window_days, now };

  return assay_store_raise_dispute_sync (store, &raise, error);
}

static int
decide (AssayStore  *store,
        const char  *dispute_id,
        int          position,
        const char  *by,
        const char  *decision,
        const char  *answers,
        gint64       now,
        GError     **error)
{
  AssayDisputeDecision d = { dispute_id, position, by, decision, "missing_context",
                             "Listened again", answers, now };

  return assay_store_decide_dispute_sync (store, &d, error);
}

static void
test_every_step (void)
{
  g_autofree char *evaluation_id = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayDisputeRecord) record = NULL;
  g_autoptr(AssayDisputeRecord) closed = NULL;
  gint64 submitted_at;
  g_autoptr(AssayStore) store = store_with_evaluation (&evaluation_id, &submitted_at);
  AssayDisputeStep *step;

  id = raise_dispute (store, evaluation_id, "fix", 7, submitted_at + DAY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE collection = 'disputes'"
                                             " AND action = 'create'"), ==, 1);

  record = assay_store_get_dispute_sync (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->state, ==, "open");
  g_assert_cmpint (record->current_step, ==, 1);
  g_assert_cmpint (record->n_steps, ==, 2);
  g_assert_cmpstr (record->current_role, ==, "lead");
  g_assert_cmpint (record->due_at, ==, submitted_at + DAY + 3 * DAY);
  g_assert_cmpstr (record->agent_name, ==, "Wang Fang");
  step = g_ptr_array_index (record->steps, 0);
  g_assert_cmpstr (step->assignee_id, ==, LEAD);
  step = g_ptr_array_index (record->steps, 1);
  g_assert_cmpint (step->started_at, ==, 0);

  /* the lead's step: answers only at the last step */
  g_assert_cmpint (decide (store, id, 1, LEAD, "upheld", ANSWERS ("5", "ok"), 0, &error), ==, -1);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (decide (store, id, 1, LEAD, "upheld", NULL, submitted_at + 2 * DAY, &error), ==, 0);
  g_assert_no_error (error);
  /* a second decision of the same step is refused */
  g_assert_cmpint (decide (store, id, 1, LEAD, "rejected", NULL, 0, &error), ==, -1);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* the manager's step: upheld needs answers, changing only the disputed item */
  g_assert_cmpint (decide (store, id, 2, MANAGER, "upheld", NULL, 0, &error), ==, -1);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (decide (store, id, 2, MANAGER, "upheld",
                           "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1,"
                           " \"answers\": {\"greeting\": {\"value\": \"no\", \"comment\": \"x\"},"
                           " \"disclosure\": {\"value\": \"yes\"}, \"fix\": {\"value\": 5}}}",
                           0, &error), ==, -1);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_revision"), ==, 1);
  g_assert_cmpint (decide (store, id, 2, MANAGER, "upheld", ANSWERS ("5", "listened again"),
                           submitted_at + 3 * DAY, &error), ==, 2);
  g_assert_no_error (error);

  /* the history: revision 2 by the manager, reason the dispute, the new score */
  {
    g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_revision"), ==, 2);
    g_assert_cmpint (test_db_query_int (store, "SELECT score FROM evaluation_revision WHERE number = 2"),
                     ==, 100);
    g_assert_cmpint (test_db_query_int (store, "SELECT author_id = '" MANAGER "' AND reason ="
                                               " 'Dispute upheld: The customer asked for no refund'"
                                               " FROM evaluation_revision WHERE number = 2"), ==, 1);
    g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE action = 'amend'"),
                     ==, 1);
  }
  closed = assay_store_get_dispute_sync (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (closed->state, ==, "upheld");
  g_assert_cmpint (closed->current_step, ==, 0);
  g_assert_cmpint (closed->outcome_revision_number, ==, 2);
  g_assert_cmpint (closed->closed_at, ==, submitted_at + 3 * DAY);
  g_assert_cmpfloat (closed->score, ==, 100);
  step = g_ptr_array_index (closed->steps, 0);
  g_assert_cmpstr (step->decision, ==, "upheld");
  g_assert_cmpstr (step->decided_by_name, ==, "Liu Yang");
  step = g_ptr_array_index (closed->steps, 1);
  g_assert_cmpint (step->started_at, ==, submitted_at + 2 * DAY);
  g_assert_cmpint (step->due_at, ==, submitted_at + 7 * DAY);
  g_assert_cmpstr (step->upheld_items, ==, "[\"fix\"]");
  g_assert_cmpstr (step->reason, ==, "missing_context");
  g_assert_cmpint (decide (store, id, 2, MANAGER, "rejected", NULL, 0, &error), ==, -1);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
}

static void
test_window (void)
{
  g_autofree char *evaluation_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *late = NULL;
  g_autoptr(GError) error = NULL;
  gint64 submitted_at;
  g_autoptr(AssayStore) store = store_with_evaluation (&evaluation_id, &submitted_at);

  late = raise_dispute (store, evaluation_id, NULL, 7, submitted_at + 7 * DAY + 1, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_null (late);
  g_clear_error (&error);
  g_assert_null (raise_dispute (store, evaluation_id, "nope", 7, submitted_at, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (raise_dispute (store, "50000000-0000-4000-8000-00000000dead", NULL, 7, 0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  id = raise_dispute (store, evaluation_id, NULL, 7, submitted_at + 7 * DAY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  /* one open dispute per evaluation */
  g_assert_null (raise_dispute (store, evaluation_id, NULL, 7, submitted_at + DAY, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM dispute"), ==, 1);
}

static void
test_deadlines (void)
{
  g_autofree char *evaluation_id = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GPtrArray) on_time = NULL;
  g_autoptr(GPtrArray) stages = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_dispute_stage_free);
  AssayDisputeStage *stage = g_new0 (AssayDisputeStage, 1);
  gint64 submitted_at, t0;
  g_autoptr(AssayStore) store = store_with_evaluation (&evaluation_id, &submitted_at);
  AssayDisputeFilter filter = { "overdue", NULL, NULL, 0, 0 };
  const AssayDisputeRecord *r;

  /* one step only: the QA manager, within 2 days */
  stage->role = g_strdup ("manager");
  stage->deadline_days = 2;
  g_ptr_array_add (stages, stage);
  g_assert_true (assay_store_set_dispute_stages_sync (store, stages, &error));
  g_assert_no_error (error);

  t0 = submitted_at + DAY;
  id = raise_dispute (store, evaluation_id, "fix", 7, t0, &error);
  g_assert_no_error (error);

  filter.now = t0 + 2 * DAY - 1;
  on_time = assay_store_list_disputes_sync (store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (on_time->len, ==, 0);
  filter.now = t0 + 2 * DAY + 1;
  overdue = assay_store_list_disputes_sync (store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, 1);
  r = g_ptr_array_index (overdue, 0);
  g_assert_cmpint (r->n_steps, ==, 1);
  g_assert_cmpstr (r->current_role, ==, "manager");
  g_assert_true (assay_dispute_record_is_overdue (r, t0 + 2 * DAY + 1));
  g_assert_false (assay_dispute_record_is_overdue (r, t0 + DAY));

  /* a rejected dispute leaves the score and writes no revision */
  g_assert_cmpint (decide (store, id, 1, MANAGER, "rejected", NULL, 0, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_revision"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT state = 'rejected' FROM dispute"), ==, 1);
  g_clear_pointer (&overdue, g_ptr_array_unref);
  overdue = assay_store_list_disputes_sync (store, &filter, &error);
  g_assert_cmpuint (overdue->len, ==, 0);
}

/* An open dispute whose step is past its deadline is in the shared Overdue list (the coaching
 * store's), and leaves it once decided. */
static void
test_overdue_list (void)
{
  g_autofree char *evaluation_id = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) later = NULL;
  gint64 submitted_at;
  g_autoptr(AssayStore) store = store_with_evaluation (&evaluation_id, &submitted_at);
  const AssayOverdueRecord *r = NULL;

  id = raise_dispute (store, evaluation_id, "fix", 7, submitted_at + 1, &error);
  g_assert_no_error (error);
  /* the lead's step is due in 3 days: two days after it is due, it is overdue */
  later = g_date_time_new_from_unix_utc ((submitted_at + 5 * DAY) / 1000);
  list = assay_store_list_overdue_sync (store, later, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (((AssayOverdueRecord *) g_ptr_array_index (list, i))->kind, "dispute") == 0)
      r = g_ptr_array_index (list, i);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->id, ==, id);
  g_assert_cmpstr (r->title, ==, "The customer asked for no refund");
  g_assert_cmpint (r->due_at, ==, submitted_at + 1 + 3 * DAY);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* before the deadline it is not there */
  g_clear_pointer (&later, g_date_time_unref);
  later = g_date_time_new_from_unix_utc ((submitted_at + DAY) / 1000);
  list = assay_store_list_overdue_sync (store, later, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* withdrawn, it leaves the list */
  g_clear_pointer (&later, g_date_time_unref);
  later = g_date_time_new_from_unix_utc ((submitted_at + 5 * DAY) / 1000);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM dispute WHERE state = 'open'"),
                   ==, 1);
  test_db_exec (store, "UPDATE dispute SET state = 'withdrawn', current_step = NULL");
  list = assay_store_list_overdue_sync (store, later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_acknowledgement (void)
{
  g_autofree char *evaluation_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *ack = NULL;
  g_autofree char *again = NULL;
  g_autofree char *early = NULL;
  g_autofree char *outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) young = NULL;
  g_autoptr(GPtrArray) acks = NULL;
  gint64 submitted_at;
  g_autoptr(AssayStore) store = store_with_evaluation (&evaluation_id, &submitted_at);
  AssayDisputeFilter decided = { "decided", NULL, NULL, 0, 0 };
  g_autoptr(GPtrArray) waiting = NULL;

  /* managers see it unacknowledged after 3 days, not before */
  young = assay_store_list_unacknowledged_sync (store, 3, submitted_at + 2 * DAY, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (young->len, ==, 0);
  before = assay_store_list_unacknowledged_sync (store, 3, submitted_at + 4 * DAY, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 1);
  g_assert_cmpstr (((AssayUnacknowledged *) g_ptr_array_index (before, 0))->agent_name, ==,
                   "Wang Fang");

  ack = assay_store_acknowledge_sync (store, "evaluation", evaluation_id, INSPECTOR,
                                      "  Understood, thanks  ", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ack);
  again = assay_store_acknowledge_sync (store, "evaluation", evaluation_id, INSPECTOR, NULL, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_null (again);
  g_clear_error (&error);
  after = assay_store_list_unacknowledged_sync (store, 3, submitted_at + 4 * DAY, 0, &error);
  g_assert_cmpuint (after->len, ==, 0);
  acks = assay_store_list_acknowledgements_sync (store, "evaluation", evaluation_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acks->len, ==, 1);
  g_assert_cmpstr (((AssayAcknowledgement *) g_ptr_array_index (acks, 0))->comment, ==,
                   "Understood, thanks");
  g_assert_cmpint (((AssayAcknowledgement *) g_ptr_array_index (acks, 0))->revision_number, ==, 1);

  /* a dispute's outcome is acknowledged once decided */
  id = raise_dispute (store, evaluation_id, NULL, 7, 0, &error);
  g_assert_no_error (error);
  early = assay_store_acknowledge_sync (store, "dispute", id, INSPECTOR, NULL, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (decide (store, id, 1, LEAD, "rejected", NULL, 0, &error), ==, 0);
  g_assert_cmpint (decide (store, id, 2, MANAGER, "partly_upheld", ANSWERS ("4", "better"), 0,
                           &error), ==, 2);
  g_assert_no_error (error);
  waiting = assay_store_list_disputes_sync (store, &decided, &error);
  g_assert_cmpuint (waiting->len, ==, 1);
  outcome = assay_store_acknowledge_sync (store, "dispute", id, INSPECTOR, "OK", &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT acknowledged_at IS NOT NULL FROM dispute"), ==, 1);
  g_clear_pointer (&waiting, g_ptr_array_unref);
  waiting = assay_store_list_disputes_sync (store, &decided, &error);
  g_assert_cmpuint (waiting->len, ==, 0);
  /* the amendment asks for a new acknowledgement of the evaluation */
  g_clear_pointer (&after, g_ptr_array_unref);
  after = assay_store_list_unacknowledged_sync (store, 0, 0, 0, &error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE collection ="
                                             " 'acknowledgements'"), ==, 2);
}

typedef struct {
  GAsyncResult *result;
  guint         changes;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static void
changed_cb (AssayStore  *store,
            const char  *collection,
            GStrv        ids,
            Wait        *w)
{
  w->changes++;
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static void
test_async (void)
{
  g_autofree char *evaluation_id = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayDisputeRecord) record = NULL;
  g_autoptr(GPtrArray) withdrawn = NULL;
  gint64 submitted_at;
  g_autoptr(AssayStore) store = store_with_evaluation (&evaluation_id, &submitted_at);
  const char *items[] = { "fix", "greeting", "fix", NULL };
  AssayDisputeRaise raise = { evaluation_id, LEAD, FALSE, items, "Too harsh", 7, 0 };
  AssayDisputeFilter closed = { "closed", evaluation_id, NULL, 0, 0 };
  Wait w = { NULL, 0 };

  g_signal_connect (store, "changed::" ASSAY_STORE_DISPUTES, G_CALLBACK (changed_cb), &w);
  assay_store_raise_dispute_async (store, &raise, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  id = assay_store_raise_dispute_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  g_assert_cmpuint (w.changes, ==, 1);

  assay_store_get_dispute_async (store, id, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  record = assay_store_get_dispute_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  g_assert_cmpstr (record->items, ==, "[\"fix\",\"greeting\"]");
  g_assert_false (record->on_behalf);

  assay_store_withdraw_dispute_async (store, id, LEAD, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  g_assert_true (assay_store_withdraw_dispute_finish (store, w.result, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);
  withdrawn = assay_store_list_disputes_sync (store, &closed, &error);
  g_assert_cmpuint (withdrawn->len, ==, 1);
  g_assert_cmpstr (((AssayDisputeRecord *) g_ptr_array_index (withdrawn, 0))->state, ==, "withdrawn");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/disputes/every-step-to-amendment", test_every_step);
  g_test_add_func ("/disputes/window", test_window);
  g_test_add_func ("/disputes/deadlines", test_deadlines);
  g_test_add_func ("/disputes/acknowledgement", test_acknowledgement);
  g_test_add_func ("/disputes/overdue-list", test_overdue_list);
  g_test_add_func ("/disputes/async", test_async);
  return g_test_run ();
}
