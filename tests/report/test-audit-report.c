/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "test-assayctl.h"
#include "test-db.h"
#include "report/assay-audit-report.h"
#include "store/assay-store-audits.h"

/*
 * The audit report and results: `assayctl audit report` read back with pdftotext holds the
 * scenario, the answers with their observation, the score and the revision with its reason;
 * `assayctl audit results` puts the audits' mean beside the team's QA mean, checked against a
 * recomputation in SQL.
 */

#define SHOP    "30000000-0000-4000-8000-000000000005"
#define BILLING "00000000-0000-4000-8000-000000000001"
#define T0      G_GINT64_CONSTANT (1795176000000)   /* 2026-11-20 12:00 UTC */

typedef struct {
  AssayStore *store;
  char       *audit;
  char       *dir;
} Fixture;

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *programme = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *png = NULL;
  g_autoptr(AssayAuditRecord) r = NULL;
  g_autoptr(AssayAuditRecord) saved = NULL;
  g_autoptr(AssayAuditEvidenceRecord) ev = NULL;
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures", "audits",
                                                    "sign-4x4.png", NULL);
  char *data = NULL;
  gsize n;

  f->store = test_db_new (12);
  test_db_add_review_form (f->store);
  /* QA of the Billing team in November: interactions 0 and 1 (team 1), 80 and 60 */
  test_db_exec (f->store,
    "INSERT INTO staff (id, name) VALUES ('" SHOP "', 'Sam Shopper');"
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
    "  current_revision_id, created_at, updated_at) VALUES"
    " ('e0', '20000000-0000-4000-8000-000000000000', '" TEST_FORM_VERSION_ID "', '" SHOP "',"
    "  'submitted', 'r0', 1, 1),"
    " ('e1', '20000000-0000-4000-8000-000000000001', '" TEST_FORM_VERSION_ID "', '" SHOP "',"
    "  'submitted', 'r1', 1, 1);"
    "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, score, author_id,"
    "  created_at) VALUES ('r0', 'e0', 1, '{}', 80, '" SHOP "', 1),"
    " ('r1', 'e1', 1, '{}', 60, '" SHOP "', 1);");
  programme = assay_store_audits_create_programme_sync (f->store, "Q4", "", 1, 2, SHOP, &error);
  scenario = assay_store_audits_create_scenario_sync (f->store, programme, "Billing test call",
                                                      "phone", NULL, "Billing", BILLING, "", "",
                                                      TEST_FORM_VERSION_ID, 2, &error);
  g_assert_no_error (error);
  r = assay_store_audits_open_sync (f->store, NULL, scenario, SHOP, &error);
  r->visited_at = T0;
  r->answers = g_strdup ("{\"format\":1,\"form_id\":\"ui-test\",\"form_version\":1,\"answers\":{"
                         "\"greeting\":{\"value\":\"yes\",\"comment\":\"Warm greeting by name\"},"
                         "\"disclosure\":{\"value\":\"yes\"},"
                         "\"fix\":{\"value\":4,\"comment\":\"Refund explained late\"}}}");
  saved = assay_store_audits_save_draft_sync (f->store, r, &error);
  g_assert_no_error (error);
  f->audit = g_strdup (saved->id);
  f->dir = g_dir_make_tmp ("assay-audit-report-XXXXXX", &error);
  png = g_build_filename (f->dir, "queue-sign.png", NULL);
  g_file_get_contents (fixture, &data, &n, &error);
  g_assert_no_error (error);
  g_file_set_contents (png, data, n, &error);
  g_free (data);
  ev = assay_store_audits_add_evidence_sync (f->store, f->audit, "greeting", png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_audits_submit_sync (f->store, f->audit, SHOP, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f)
{
  assay_store_close (f->store);
  g_clear_object (&f->store);
  g_free (f->audit);
  g_free (f->dir);
}

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_report_pdf (void)
{
  Fixture f = { 0 };
  g_auto(TestRun) run = { 0 };
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *missing = NULL;

  fixture_set_up (&f);
  pdf = g_build_filename (f.dir, "audit.pdf", NULL);
  test_run_assayctl (&run, "--database", assay_store_get_path (f.store), "audit", "report",
                     f.audit, "-o", pdf, "--lang", "en", NULL);
  g_assert_cmpint (run.status, ==, 0);
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "Mystery-shopper audit"));
  g_assert_nonnull (strstr (text, "Billing test call"));
  g_assert_nonnull (strstr (text, "Phone test call"));
  g_assert_nonnull (strstr (text, "Sam Shopper"));
  g_assert_nonnull (strstr (text, "87.5 %"));
  g_assert_nonnull (strstr (text, "Correct fix — 4"));
  g_assert_nonnull (strstr (text, "Observation: Refund explained late"));
  g_assert_nonnull (strstr (text, "Evidence: queue-sign.png"));
  g_assert_nonnull (strstr (text, "Revision 1"));
  g_assert_nonnull (strstr (text, "image/png"));
  test_run_clear (&run);

  /* in Chinese */
  test_run_assayctl (&run, "--database", assay_store_get_path (f.store), "audit", "report",
                     f.audit, "-o", pdf, "--lang", "zh_CN", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_free (text);
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "神秘顾客暗访"));
  g_assert_nonnull (strstr (text, "Billing test call"));
  test_run_clear (&run);

  /* an unknown audit is bad input */
  missing = g_build_filename (f.dir, "missing.pdf", NULL);
  test_run_assayctl (&run, "--database", assay_store_get_path (f.store), "audit", "report",
                     "no-such-audit", "-o", missing, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  fixture_tear_down (&f);
}

static void
test_results_beside_qa (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_auto(TestRun) run = { 0 };
  g_autofree char *csv = NULL;
  AssayAuditResultRecord *r;
  double qa;

  fixture_set_up (&f);
  results = assay_store_audits_results_sync (f.store, T0 - 86400000, T0 + 86400000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  r = results->pdata[0];
  g_assert_cmpstr (r->target, ==, "Billing");
  g_assert_cmpuint (r->n_audits, ==, 1);
  g_assert_cmpfloat_with_epsilon (r->audit_mean, 87.5, 1e-9);
  /* recomputed: the plain mean of the Billing team's current revisions in the period */
  qa = test_db_query_int (f.store, "SELECT round (avg (er.score) * 1000) FROM evaluation e"
                                   " JOIN evaluation_revision er ON er.id = e.current_revision_id"
                                   " JOIN interaction i ON i.id = e.interaction_id"
                                   " WHERE i.team_id = '" BILLING "' AND e.state = 'submitted'")
       / 1000.0;
  g_assert_cmpuint (r->n_evaluations, ==, 2);
  g_assert_cmpfloat_with_epsilon (r->qa_mean, qa, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->qa_mean, 70, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->gap, 17.5, 1e-9);
  /* another period: no audits, no row */
  g_clear_pointer (&results, g_ptr_array_unref);
  results = assay_store_audits_results_sync (f.store, T0 + 86400000, T0 + 2 * 86400000, &error);
  g_assert_cmpuint (results->len, ==, 0);

  test_run_assayctl (&run, "--database", assay_store_get_path (f.store), "audit", "results",
                     "--from", "2026-11-01", "--to", "2026-11-30", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "scenario,channel,target,audits,audit_score,"
                                            "evaluations,qa_score,gap\r\n"));
  g_assert_nonnull (strstr (run.out, "Billing test call,phone,Billing,1,87.50,2,70.00,17.50\r\n"));
  test_run_clear (&run);
  test_run_assayctl (&run, "--database", assay_store_get_path (f.store), "audit", "results",
                     "--from", "2026-11-30", "--to", "2026-11-01", NULL);
  g_assert_cmpint (run.status, ==, 2);
  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = g_build_filename (g_getenv ("ASSAY_BUILD_ROOT"), "po", NULL);

  g_setenv ("ASSAY_LOCALEDIR", localedir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audits/report/pdf", test_report_pdf);
  g_test_add_func ("/audits/report/results-beside-qa", test_results_beside_qa);
  return g_test_run ();
}
