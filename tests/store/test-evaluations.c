/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "store/assay-store-evaluations.h"
#include "test-db.h"

#define INTERACTION "20000000-0000-4000-8000-000000000007"

static void
add_form (AssayStore *store)
{
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES ('30000000-0000-4000-8000-000000000001', 'Liu Yang', 'lead');"
    "INSERT INTO form (id, name, created_at) VALUES ('40000000-0000-4000-8000-000000000001', 'Service', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('41000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', 1, '{}', 1);");
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

static AssayStaffRecord *
me_of (AssayStore *store)
{
  Wait w = { NULL };
  g_autoptr(GError) error = NULL;
  AssayStaffRecord *me;

  assay_store_get_me_async (store, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  me = assay_store_get_me_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_object_unref (w.result);
  return me;
}

static AssayEvaluationRecord *
open_eval (AssayStore *store,
           const char *inspector)
{
  Wait w = { NULL };
  g_autoptr(GError) error = NULL;
  AssayEvaluationRecord *r;

  assay_store_open_evaluation_async (store, INTERACTION, "41000000-0000-4000-8000-000000000001",
                                     inspector, NULL, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  r = assay_store_open_evaluation_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_object_unref (w.result);
  return r;
}

static GPtrArray *
revisions_of (AssayStore *store,
              const char *evaluation_id)
{
  Wait w = { NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *out;

  assay_store_list_revisions_async (store, evaluation_id, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  out = assay_store_list_revisions_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_object_unref (w.result);
  return out;
}

static void
test_me (void)
{
  g_autoptr(AssayStore) store = test_db_new (1);
  g_autoptr(AssayStaffRecord) first = me_of (store);
  g_autoptr(AssayStaffRecord) again = me_of (store);

  g_assert_true (g_uuid_string_is_valid (first->id));
  g_assert_cmpstr (first->id, ==, again->id);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM staff WHERE is_me = 1"), ==, 1);
}

static void
test_draft_submit_amend (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(AssayStaffRecord) me = NULL;
  g_autoptr(AssayEvaluationRecord) r = NULL;
  g_autoptr(AssayEvaluationRecord) reopened = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  AssayRevisionRecord *rev;
  int number;

  add_form (store);
  me = me_of (store);

  /* nothing yet: a fresh record, not in the database */
  r = open_eval (store, me->id);
  g_assert_null (r->state);
  g_assert_true (isnan (r->score));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation"), ==, 0);

  /* each change is a draft save; the first creates the evaluation and one sync operation */
  for (int i = 1; i <= 5; i++)
    {
      g_free (r->answers);
      r->answers = g_strdup_printf ("{\"answers\":{\"greeting\":{\"option\":%d}}}", i % 2);
      r->score = 10.0 * i;
      g_assert_cmpint (assay_store_save_draft_sync (store, r, &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation WHERE state = 'draft'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT changes FROM evaluation_draft"), ==, 5);
  /* unsent operations are coalesced into one */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"), ==, 1);

  reopened = open_eval (store, me->id);
  g_assert_cmpstr (reopened->id, ==, r->id);
  g_assert_cmpstr (reopened->state, ==, "draft");
  g_assert_cmpfloat (reopened->score, ==, 50.0);
  g_assert_cmpstr (reopened->answers, ==, r->answers);
  g_assert_cmpint (reopened->revision, ==, 0);
  g_assert_cmpstr (reopened->agent_name, ==, "Li Wei");
  g_assert_cmpstr (reopened->form_name, ==, "Service");

  number = assay_store_submit_evaluation_sync (store, r->id, me->id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (number, ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation_draft"), ==, 0);

  /* submitting again without a change is refused */
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, me->id, "again", &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* an amendment: a draft, then a submit that needs a reason */
  g_free (r->answers);
  r->answers = g_strdup ("{\"answers\":{\"greeting\":{\"option\":0}}}");
  r->score = 80.0;
  assay_store_save_draft_sync (store, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT amending FROM evaluation_draft"), ==, 1);
  {
    g_autoptr(AssayEvaluationRecord) amending = open_eval (store, me->id);
    g_assert_true (amending->amending);
    g_assert_cmpfloat (amending->score, ==, 80.0);
    g_assert_cmpint (amending->revision, ==, 1);
  }
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, me->id, "   ", &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  number = assay_store_submit_evaluation_sync (store, r->id, me->id, "Greeting was heard on replay", &error);
  g_assert_no_error (error);
  g_assert_cmpint (number, ==, 2);

  revisions = revisions_of (store, r->id);
  g_assert_cmpuint (revisions->len, ==, 2);
  rev = g_ptr_array_index (revisions, 0);
  g_assert_cmpint (rev->number, ==, 1);
  g_assert_cmpfloat (rev->score, ==, 50.0);
  g_assert_null (rev->reason);
  g_assert_cmpstr (rev->author_name, ==, me->name);
  rev = g_ptr_array_index (revisions, 1);
  g_assert_cmpint (rev->number, ==, 2);
  g_assert_cmpfloat (rev->score, ==, 80.0);
  g_assert_cmpstr (rev->reason, ==, "Greeting was heard on replay");

  /* the outbox has create, submit and amend, in order */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"), ==, 3);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE action = 'amend'"
                                             " AND reason = 'Greeting was heard on replay'"), ==, 1);

  /* revisions are append-only */
  {
    g_autoptr(AssayEvaluationRecord) current = open_eval (store, me->id);
    g_assert_cmpint (current->revision, ==, 2);
    g_assert_cmpstr (current->state, ==, "submitted");
    g_assert_false (current->amending);
  }
}

static void
test_invalid_draft (void)
{
  g_autoptr(AssayStore) store = test_db_new (1);
  g_autoptr(GError) error = NULL;
  AssayEvaluationRecord r = { 0 };

  r.id = (char *) "50000000-0000-4000-8000-000000000001";
  r.score = NAN;
  g_assert_cmpint (assay_store_save_draft_sync (store, &r, &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* an interaction that does not exist breaks a foreign key: nothing is written */
  r.interaction_id = (char *) "nope";
  r.form_version_id = (char *) "nope";
  r.inspector_id = (char *) "nope";
  g_assert_cmpint (assay_store_save_draft_sync (store, &r, &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_SQL);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation"), ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/evaluations/me", test_me);
  g_test_add_func ("/store/evaluations/draft-submit-amend", test_draft_submit_amend);
  g_test_add_func ("/store/evaluations/invalid-draft", test_invalid_draft);
  return g_test_run ();
}
