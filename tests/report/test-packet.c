/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>

#include "store/assay-store-acknowledgements.h"
#include "store/assay-store-disputes.h"
#include "store/assay-store-evaluations.h"
#include "store/assay-store-forms.h"
#include "test-assayctl.h"
#include "test-db.h"

/*
 * The dispute packet: `assayctl dispute packet` read back with pdftotext holds the figures that
 * `assayctl score` prints for the same form and answers (overall, without fatal, every
 * section's earned, possible, percent and contribution), in English and in Chinese, with the
 * answers, evidence, revision history, the dispute's steps and the acknowledgement.
 */

#define EVALUATION "50000000-0000-4000-8000-000000000001"
#define INSPECTOR  "30000000-0000-4000-8000-000000000003"

#define ANSWERS(fix) \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  " \"greeting\": {\"value\": \"yes\"}, \"disclosure\": {\"value\": \"yes\"}," \
  " \"fix\": {\"value\": " fix ", \"comment\": \"Offered the refund late\"," \
  "   \"evidence\": [{\"start_ms\": 72000, \"end_ms\": 80500}]}}}"

typedef struct {
  AssayStore *store;
  char       *dir;
  char       *form;      /* the form's definition, as a file */
  char       *answers;   /* the amended answers, as a file */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AssayEvaluationRecord) r = g_new0 (AssayEvaluationRecord, 1);
  g_autoptr(AssayFormVersionRecord) version = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dispute = NULL;
  g_autofree char *ack = NULL;
  const char *items[] = { "fix", NULL };
  AssayDisputeRaise raise = { EVALUATION, NULL, TRUE, items, "The refund was offered", 7, 0 };
  AssayDisputeDecision decision = { NULL, 1, NULL, "upheld", "missing_context",
                                    "The refund came within the call", NULL, 0 };

  f->store = test_db_new (3);
  f->dir = g_path_get_dirname (assay_store_get_path (f->store));
  test_db_add_review_form (f->store);
  test_db_exec (f->store, "INSERT INTO staff (id, name, roles) VALUES"
                          " ('" INSPECTOR "', 'Ma Rui', 'inspector')");
  r->id = g_strdup (EVALUATION);
  r->interaction_id = g_strdup ("20000000-0000-4000-8000-000000000000");
  r->form_version_id = g_strdup (TEST_FORM_VERSION_ID);
  r->inspector_id = g_strdup (INSPECTOR);
  r->answers = g_strdup (ANSWERS ("2"));
  r->score = 62.5;
  g_assert_cmpint (assay_store_save_draft_sync (f->store, r, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_submit_evaluation_sync (f->store, r->id, INSPECTOR, NULL, &error),
                   ==, 1);
  g_assert_no_error (error);

  /* raised on the agent's behalf; both steps uphold; the outcome amends the score */
  raise.raised_by = INSPECTOR;
  dispute = assay_store_raise_dispute_sync (f->store, &raise, &error);
  g_assert_no_error (error);
  decision.dispute_id = dispute;
  decision.decided_by = INSPECTOR;
  g_assert_cmpint (assay_store_decide_dispute_sync (f->store, &decision, &error), ==, 0);
  g_assert_no_error (error);
  decision.position = 2;
  decision.answers = ANSWERS ("4");
  g_assert_cmpint (assay_store_decide_dispute_sync (f->store, &decision, &error), ==, 2);
  g_assert_no_error (error);
  ack = assay_store_acknowledge_sync (f->store, "evaluation", EVALUATION, INSPECTOR,
                                      "Thank you for looking again", &error);
  g_assert_no_error (error);

  version = assay_store_get_form_version_sync (f->store, TEST_FORM_ID, 1, &error);
  g_assert_no_error (error);
  f->form = g_build_filename (f->dir, "form.json", NULL);
  f->answers = g_build_filename (f->dir, "answers.json", NULL);
  g_assert_true (g_file_set_contents (f->form, version->definition, -1, NULL));
  g_assert_true (g_file_set_contents (f->answers, ANSWERS ("4"), -1, NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->dir);
  g_free (f->form);
  g_free (f->answers);
}

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* pdftotext -layout keeps a table's row on a line, with spaces between the cells */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* the figure as the JSON of `assayctl score` has it (already rounded to 4 decimals) */
static char *
figure (JsonObject *object,
        const char *member)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g",
                                    json_object_get_double_member (object, member)));
}

/* every figure of `assayctl score` for the same form and answers is in the packet's text */
static void
check_scores (Fixture    *f,
              const char *text)
{
  g_auto(TestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *squeezed = squeeze (text);
  g_autofree char *overall = NULL;
  g_autofree char *overall_line = NULL;
  JsonObject *result;
  JsonArray *sections;

  test_run_assayctl (&run, "score", f->form, f->answers, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  result = json_node_get_object (json_parser_get_root (parser));
  overall = figure (result, "overall");
  /* the amendment made it 87.5; the packet shows the current revision */
  g_assert_cmpstr (overall, ==, "87.5");
  overall_line = g_strconcat ("=", overall, NULL);
  g_assert_nonnull (strstr (squeezed, overall_line));
  for (const char *const *m = (const char *const[]) { "overall", "without_fatal", NULL }; *m; m++)
    {
      g_autofree char *value = figure (result, *m);

      g_assert_nonnull (strstr (squeezed, value));
    }
  sections = json_object_get_array_member (result, "sections");
  g_assert_cmpuint (json_array_get_length (sections), ==, 2);
  for (guint i = 0; i < json_array_get_length (sections); i++)
    {
      JsonObject *s = json_array_get_object_element (sections, i);
      g_autofree char *earned = figure (s, "earned");
      g_autofree char *possible = figure (s, "possible");
      g_autofree char *percent = figure (s, "percent");
      g_autofree char *contribution = figure (s, "contribution");
      /* a row of the formula table: earned, possible, percent, contribution side by side */
      g_autofree char *row = g_strconcat (earned, possible, percent, contribution, NULL);

      g_test_message ("section %u: %s", i, row);
      g_assert_nonnull (strstr (squeezed, row));
    }
}

static void
make_packet (Fixture    *f,
             const char *lang,
             char      **out_text)
{
  g_autofree char *pdf = g_build_filename (f->dir, "packet.pdf", NULL);
  g_auto(TestRun) run = { 0 };

  g_remove (pdf);
  test_run_assayctl (&run, "--database", assay_store_get_path (f->store), "dispute", "packet",
                     EVALUATION, "--lang", lang, "-o", pdf, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  *out_text = pdf_text (pdf);
}

static void
test_english (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;

  make_packet (f, "en", &text);
  squeezed = squeeze (text);
  check_scores (f, text);
  g_assert_nonnull (strstr (text, "Dispute packet"));
  g_assert_nonnull (strstr (text, "UI test form, version 1"));
  /* every answer with its points: the scale item earned 1.5 of 2 and lost 0.5 */
  g_assert_nonnull (strstr (squeezed, "Correctfix41.520.5"));
  /* the evidence span and its comment */
  g_assert_nonnull (strstr (text, "1:12–1:20"));
  g_assert_nonnull (strstr (squeezed, "Offeredtherefundlate"));
  /* the history: the first submission and the amendment the dispute made */
  g_assert_nonnull (strstr (text, "First submission"));
  g_assert_nonnull (strstr (text, "Dispute upheld:"));
  g_assert_nonnull (strstr (squeezed, "MaRui62.5Firstsubmission"));
  /* the dispute, its two steps and their decisions, the outcome and the sign-off */
  g_assert_nonnull (strstr (squeezed, "RaisedbyMaRuionbehalfofWangFang"));
  g_assert_nonnull (strstr (text, "Team lead"));
  g_assert_nonnull (strstr (squeezed, "QAmanager"));
  g_assert_nonnull (strstr (text, "Context was missing"));
  g_assert_nonnull (strstr (text, "The refund came"));
  g_assert_nonnull (strstr (text, "revision 2"));
  g_assert_nonnull (strstr (squeezed, "Thankyouforlookingagain"));
}

static void
test_chinese (Fixture       *f,
              gconstpointer  data)
{
  const struct { const char *lang, *title, *history; } langs[] = {
    { "zh_CN", "争议材料包", "修订历史" },
    { "zh_TW", "爭議資料包", "修訂歷史" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree char *text = NULL;

      make_packet (f, langs[i].lang, &text);
      g_assert_nonnull (strstr (text, langs[i].title));
      g_assert_nonnull (strstr (text, langs[i].history));
      g_assert_null (strstr (text, "Revision history"));
      check_scores (f, text);
    }
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "refused.pdf", NULL);
  const char *db = assay_store_get_path (f->store);
  g_auto(TestRun) unknown = { 0 };
  g_auto(TestRun) draft = { 0 };
  g_auto(TestRun) no_output = { 0 };
  g_auto(TestRun) lang = { 0 };
  g_autoptr(AssayEvaluationRecord) r = g_new0 (AssayEvaluationRecord, 1);
  g_autoptr(GError) error = NULL;

  test_run_assayctl (&unknown, "--database", db, "dispute", "packet",
                     "50000000-0000-4000-8000-00000000000f", "-o", pdf, NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "does not exist"));

  r->id = g_strdup ("50000000-0000-4000-8000-000000000002");
  r->interaction_id = g_strdup ("20000000-0000-4000-8000-000000000001");
  r->form_version_id = g_strdup (TEST_FORM_VERSION_ID);
  r->inspector_id = g_strdup (INSPECTOR);
  r->answers = g_strdup (ANSWERS ("3"));
  g_assert_cmpint (assay_store_save_draft_sync (f->store, r, &error), >, 0);
  g_assert_no_error (error);
  test_run_assayctl (&draft, "--database", db, "dispute", "packet", r->id, "-o", pdf, NULL);
  g_assert_cmpint (draft.status, ==, 2);
  g_assert_nonnull (strstr (draft.err, "not been submitted"));

  test_run_assayctl (&no_output, "--database", db, "dispute", "packet", EVALUATION, NULL);
  g_assert_cmpint (no_output.status, ==, 2);
  test_run_assayctl (&lang, "--database", db, "dispute", "packet", EVALUATION, "--lang", "fr",
                     "-o", pdf, NULL);
  g_assert_cmpint (lang.status, ==, 2);
  /* nothing half-written is left behind */
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *localedir = g_build_filename (g_getenv ("ASSAY_BUILD_ROOT"), "po", NULL);
  g_autofree char *supp_dir = g_dir_make_tmp ("packet-XXXXXX", NULL);
  g_autofree char *supp = g_build_filename (supp_dir, "lsan.supp", NULL);
  g_autofree char *lsan = g_strconcat ("suppressions=", supp, NULL);

  /* fontconfig keeps its configuration for the life of assayctl (not a leak of ours) */
  g_assert_true (g_file_set_contents (supp, "leak:libfontconfig.so\n", -1, NULL));
  g_setenv ("LSAN_OPTIONS", lsan, TRUE);
  g_setenv ("ASSAY_LOCALEDIR", localedir, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/packet/english", Fixture, NULL, fixture_set_up, test_english, fixture_tear_down);
  g_test_add ("/packet/chinese", Fixture, NULL, fixture_set_up, test_chinese, fixture_tear_down);
  g_test_add ("/packet/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  return g_test_run ();
}
