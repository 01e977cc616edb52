/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "store/assay-store-evaluations.h"
#include "test-assayctl.h"
#include "test-db.h"

/* assayctl dispute: raise, list, decide through both steps to an amendment, acknowledge. */

#define ANSWERS(fix) \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  " \"greeting\": {\"value\": \"yes\"}, \"disclosure\": {\"value\": \"yes\"}," \
  " \"fix\": {\"value\": " fix ", \"comment\": \"checked\"}}}"

static AssayStore *
store_with_evaluation (void)
{
  AssayStore *store = test_db_new (3);
  g_autoptr(AssayEvaluationRecord) r = g_new0 (AssayEvaluationRecord, 1);
  g_autoptr(GError) error = NULL;

  test_db_add_review_form (store);
  test_db_exec (store, "INSERT INTO staff (id, name, roles) VALUES"
                       " ('30000000-0000-4000-8000-000000000003', 'Ma Rui', 'inspector')");
  r->id = g_strdup ("50000000-0000-4000-8000-000000000001");
  r->interaction_id = g_strdup ("20000000-0000-4000-8000-000000000000");
  r->form_version_id = g_strdup (TEST_FORM_VERSION_ID);
  r->inspector_id = g_strdup ("30000000-0000-4000-8000-000000000003");
  r->answers = g_strdup (ANSWERS ("2"));
  r->score = 62.5;
  g_assert_cmpint (assay_store_save_draft_sync (store, r, &error), >, 0);
  g_assert_cmpint (assay_store_submit_evaluation_sync (store, r->id, r->inspector_id, NULL, &error),
                   ==, 1);
  g_assert_no_error (error);
  return store;
}

static void
test_through_steps (void)
{
  g_autoptr(AssayStore) store = store_with_evaluation ();
  const char *db = assay_store_get_path (store);
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *answers = g_build_filename (dir, "answers.json", NULL);
  g_autofree char *id = NULL;
  g_auto(TestRun) raise = { 0 };
  g_auto(TestRun) list = { 0 };
  g_auto(TestRun) step1 = { 0 };
  g_auto(TestRun) step2 = { 0 };
  g_auto(TestRun) again = { 0 };
  g_auto(TestRun) ack = { 0 };

  g_assert_true (g_file_set_contents (answers, ANSWERS ("5"), -1, NULL));
  test_run_assayctl (&raise, "--database", db, "dispute", "raise",
                     "50000000-0000-4000-8000-000000000001", "--reason", "Too harsh",
                     "--item", "fix", NULL);
  g_assert_cmpint (raise.status, ==, 0);
  id = g_strstrip (g_strdup (raise.out));
  g_assert_cmpuint (strlen (id), ==, 36);

  test_run_assayctl (&list, "--database", db, "dispute", "list", "--state", "open", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, id));
  g_assert_nonnull (strstr (list.out, "\topen\t1/2\t"));

  test_run_assayctl (&step1, "--database", db, "dispute", "decide", id, "--step", "1",
                     "--decision", "upheld", "--reason", "missing_context", NULL);
  g_assert_cmpint (step1.status, ==, 0);
  g_assert_cmpstr (step1.out, ==, "decided\n");
  test_run_assayctl (&step2, "--database", db, "dispute", "decide", id, "--step", "2",
                     "--decision", "upheld", "--reason", "missing_context", "--answers", answers,
                     NULL);
  g_assert_cmpint (step2.status, ==, 0);
  g_assert_cmpstr (step2.out, ==, "revision 2\n");
  g_assert_cmpint (test_db_query_int (store, "SELECT score FROM evaluation_revision WHERE number = 2"),
                   ==, 100);

  test_run_assayctl (&again, "--database", db, "dispute", "decide", id, "--step", "2",
                     "--decision", "rejected", "--reason", "other", NULL);
  g_assert_cmpint (again.status, ==, 2);
  g_assert_nonnull (strstr (again.err, "closed"));

  test_run_assayctl (&ack, "--database", db, "dispute", "acknowledge", "dispute", id,
                     "--comment", "Thanks", NULL);
  g_assert_cmpint (ack.status, ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT acknowledged_at IS NOT NULL FROM dispute"), ==, 1);
}

static void
test_usage (void)
{
  g_autoptr(AssayStore) store = store_with_evaluation ();
  const char *db = assay_store_get_path (store);
  g_auto(TestRun) help = { 0 };
  g_auto(TestRun) bad = { 0 };
  g_auto(TestRun) late = { 0 };

  test_run_assayctl (&help, "dispute", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "dispute raise"));
  test_run_assayctl (&bad, "--database", db, "dispute", "raise",
                     "50000000-0000-4000-8000-000000000001", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  /* a window of 0 days has closed for anything submitted before now */
  test_run_assayctl (&late, "--database", db, "dispute", "raise",
                     "50000000-0000-4000-8000-000000000001", "--reason", "x",
                     "--window-days", "0", NULL);
  g_assert_cmpint (late.status, ==, 2);
  g_assert_nonnull (strstr (late.err, "window"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/dispute/through-steps", test_through_steps);
  g_test_add_func ("/cli/dispute/usage", test_usage);
  return g_test_run ();
}
