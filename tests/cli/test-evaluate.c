/* SPDX-License-Identifier: GPL-3.0-or-later */
/* assayctl evaluate and amend, run as a user would (the binary comes from $ASSAYCTL); what they
 * wrote is read back from the database. */
#include <string.h>

#include <gio/gio.h>

#include "test-db.h"

#define ME          "30000000-0000-4000-8000-000000000001"
#define ASSIGNMENT  "50000000-0000-4000-8000-000000000001"
#define CONTACT_0   "20000000-0000-4000-8000-000000000000"
#define CONTACT_1   "20000000-0000-4000-8000-000000000001"
#define CONTACT_2   "20000000-0000-4000-8000-000000000002"
#define UNKNOWN     "99999999-0000-4000-8000-000000000009"

#define COMPLETE \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  " \"greeting\": {\"value\": \"yes\"}, \"disclosure\": {\"value\": \"yes\"}, \"fix\": {\"value\": 5}}}"
#define AMENDED \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  " \"greeting\": {\"value\": \"no\", \"comment\": \"no greeting on the recording\"}," \
  " \"disclosure\": {\"value\": \"yes\"}, \"fix\": {\"value\": 5}}}"
#define PARTIAL \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  " \"greeting\": {\"value\": \"yes\"}}}"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

typedef struct {
  char *path;
  char *dir;
} Fixture;

/* Runs assayctl on the fixture's database with the NULL-terminated arguments. */
static void
run_assayctl (Run     *run,
              Fixture *fx,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("ASSAYCTL"));
  g_assert_nonnull (args->pdata[0]);
  g_ptr_array_add (args, (char *) "--database");
  g_ptr_array_add (args, fx->path);
  va_start (ap, fx);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  child = g_subprocess_newv ((const char *const *) args->pdata,
                             G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

/* the last line of @out */
static char *
last_line (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n = g_strv_length (lines);

  while (n > 0 && lines[n - 1][0] == '\0')
    n--;
  g_assert_cmpuint (n, >, 0);
  return g_strdup (lines[n - 1]);
}

static gint64
query_int (Fixture    *fx,
           const char *sql)
{
  g_autoptr(AssayStore) store = assay_store_new (fx->path);
  g_autoptr(GError) error = NULL;
  gint64 value;

  g_assert_true (assay_store_open_sync (store, &error));
  value = test_db_query_int (store, sql);
  assay_store_close (store);
  return value;
}

static char *
write_answers (Fixture    *fx,
               const char *name,
               const char *text)
{
  char *path = g_build_filename (fx->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* 3 contacts, the review form, "me" and one assignment for me of contact 1 */
static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(AssayStore) store = test_db_new (3);

  test_db_add_review_form (store);
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles, is_me) VALUES ('" ME "', 'Test Inspector', 'inspector', 1);"
    "INSERT INTO assignment (id, interaction_id, inspector_id, form_version_id, source, created_at)"
    "  VALUES ('" ASSIGNMENT "', '" CONTACT_1 "', '" ME "', '" TEST_FORM_VERSION_ID "', 'centre', 1);");
  fx->path = g_strdup (assay_store_get_path (store));
  fx->dir = g_path_get_dirname (fx->path);
  assay_store_close (store);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_free (fx->path);
  g_free (fx->dir);
}

static void
test_empty_draft (Fixture       *fx,
                  gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *again_id = NULL;
  g_autofree char *sql = NULL;

  run_assayctl (&run, fx, "evaluate", "--interaction", CONTACT_0, "--form-version", TEST_FORM_VERSION_ID, NULL);
  g_assert_cmpint (run.status, ==, 0);
  id = last_line (run.out);
  g_assert_true (g_uuid_string_is_valid (id));

  sql = g_strdup_printf ("SELECT count(*) FROM evaluation e JOIN evaluation_draft d ON d.evaluation_id = e.id"
                         " WHERE e.id = '%s' AND e.interaction_id = '" CONTACT_0 "'"
                         " AND e.inspector_id = '" ME "' AND e.form_version_id = '" TEST_FORM_VERSION_ID "'", id);
  g_assert_cmpint (query_int (fx, sql), ==, 1);
  g_free (sql);
  /* queued for sync as the app's draft is, and nothing submitted */
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE object_id = '%s' AND sent_at IS NULL", id);
  g_assert_cmpint (query_int (fx, sql), >=, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision WHERE evaluation_id = '%s'", id);
  g_assert_cmpint (query_int (fx, sql), ==, 0);

  /* opening it again finds the same evaluation, not a second one */
  run_assayctl (&again, fx, "evaluate", "--interaction", CONTACT_0, "--form-version", TEST_FORM_VERSION_ID, NULL);
  g_assert_cmpint (again.status, ==, 0);
  again_id = last_line (again.out);
  g_assert_cmpstr (again_id, ==, id);
  g_assert_cmpint (query_int (fx, "SELECT count(*) FROM evaluation"), ==, 1);
}

static void
test_assignment_answers_submit (Fixture       *fx,
                                gconstpointer  data)
{
  g_autofree char *partial = write_answers (fx, "partial.json", PARTIAL);
  g_autofree char *complete = write_answers (fx, "complete.json", COMPLETE);
  g_auto(Run) draft = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) submitted = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *sql = NULL;

  run_assayctl (&draft, fx, "evaluate", "--assignment", ASSIGNMENT, "--answers", partial, NULL);
  g_assert_cmpint (draft.status, ==, 0);
  id = last_line (draft.out);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation e JOIN evaluation_draft d ON d.evaluation_id = e.id"
                         " WHERE e.id = '%s' AND e.assignment_id = '" ASSIGNMENT "'"
                         " AND e.interaction_id = '" CONTACT_1 "'"
                         " AND json_extract (d.answers, '$.answers.greeting.value') = 'yes'"
                         " AND json_extract (d.answers, '$.answers.fix') IS NULL", id);
  g_assert_cmpint (query_int (fx, sql), ==, 1);
  g_free (sql);

  /* incomplete answers are not submitted, as in the app; the draft keeps them */
  run_assayctl (&refused, fx, "evaluate", "--assignment", ASSIGNMENT, "--submit", NULL);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "\"disclosure\""));
  g_assert_nonnull (strstr (refused.err, "needs an answer"));
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision WHERE evaluation_id = '%s'", id);
  g_assert_cmpint (query_int (fx, sql), ==, 0);
  g_free (sql);

  run_assayctl (&submitted, fx, "evaluate", "--assignment", ASSIGNMENT, "--answers", complete, "--submit", NULL);
  g_assert_cmpint (submitted.status, ==, 0);
  id2 = last_line (submitted.out);
  g_assert_cmpstr (id2, ==, id);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision r JOIN evaluation e ON e.id = r.evaluation_id"
                         " WHERE r.evaluation_id = '%s' AND r.number = 1 AND r.author_id = '" ME "'"
                         " AND r.score = 100 AND e.state = 'submitted'", id);
  g_assert_cmpint (query_int (fx, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_draft WHERE evaluation_id = '%s'", id);
  g_assert_cmpint (query_int (fx, sql), ==, 0);
}

static void
test_amend (Fixture       *fx,
            gconstpointer  data)
{
  g_autofree char *complete = write_answers (fx, "complete.json", COMPLETE);
  g_autofree char *amended = write_answers (fx, "amended.json", AMENDED);
  g_auto(Run) submitted = { 0 };
  g_auto(Run) no_reason = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) amend = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *amend_id = NULL;
  g_autofree char *sql = NULL;

  run_assayctl (&submitted, fx, "evaluate", "--interaction", CONTACT_2, "--form-version", TEST_FORM_VERSION_ID,
                "--answers", complete, "--submit", NULL);
  g_assert_cmpint (submitted.status, ==, 0);
  id = last_line (submitted.out);

  run_assayctl (&no_reason, fx, "amend", id, "--answers", amended, "--reason", "  ", NULL);
  g_assert_cmpint (no_reason.status, ==, 2);
  g_assert_nonnull (strstr (no_reason.err, "reason is empty"));

  /* a submitted evaluation is not changed by evaluate */
  run_assayctl (&again, fx, "evaluate", "--interaction", CONTACT_2, "--form-version", TEST_FORM_VERSION_ID,
                "--answers", amended, NULL);
  g_assert_cmpint (again.status, ==, 2);
  g_assert_nonnull (strstr (again.err, "assayctl amend"));

  run_assayctl (&amend, fx, "amend", id, "--answers", amended, "--reason", "Greeting missed on re-listen", NULL);
  g_assert_cmpint (amend.status, ==, 0);
  amend_id = last_line (amend.out);
  g_assert_cmpstr (amend_id, ==, id);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision WHERE evaluation_id = '%s' AND number = 2"
                         " AND reason = 'Greeting missed on re-listen' AND author_id = '" ME "'"
                         " AND score < 100"
                         " AND json_extract (answers, '$.answers.greeting.value') = 'no'", id);
  g_assert_cmpint (query_int (fx, sql), ==, 1);
  g_free (sql);
  /* revision 1 is kept as it was */
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision WHERE evaluation_id = '%s' AND number = 1"
                         " AND score = 100 AND reason IS NULL", id);
  g_assert_cmpint (query_int (fx, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE object_id = '%s' AND action = 'amend'"
                         " AND reason = 'Greeting missed on re-listen'", id);
  g_assert_cmpint (query_int (fx, sql), ==, 1);
}

static void
test_bad_files (Fixture       *fx,
                gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *text;          /* NULL: the file does not exist */
    const char *message;
  } cases[] = {
    { "missing.json", NULL, "cannot read the answers" },
    { "comma.json", "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {},}", "not valid JSON" },
    { "twice.json", "{\"format\": 1, \"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {}}", "not valid JSON" },
    { "other-form.json", "{\"format\": 1, \"form_id\": \"billing\", \"form_version\": 1, \"answers\": {}}", "other-form.json: " },
    { "bad-value.json", "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {\"fix\": {\"value\": 9}}}", "fix" },
    { "unknown-item.json", "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {\"nope\": {\"value\": 1}}}", "nope" },
  };
  g_autofree char *complete = write_answers (fx, "complete.json", COMPLETE);
  g_auto(Run) first = { 0 };
  g_auto(Run) submitted = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *submitted_id = NULL;

  run_assayctl (&first, fx, "evaluate", "--interaction", CONTACT_0, "--form-version", TEST_FORM_VERSION_ID,
                "--answers", complete, NULL);
  g_assert_cmpint (first.status, ==, 0);
  id = last_line (first.out);
  run_assayctl (&submitted, fx, "evaluate", "--interaction", CONTACT_2, "--form-version", TEST_FORM_VERSION_ID,
                "--answers", complete, "--submit", NULL);
  g_assert_cmpint (submitted.status, ==, 0);
  submitted_id = last_line (submitted.out);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = cases[i].text != NULL ? write_answers (fx, cases[i].name, cases[i].text)
                                                    : g_build_filename (fx->dir, cases[i].name, NULL);
      g_auto(Run) run = { 0 };
      g_auto(Run) amend = { 0 };

      run_assayctl (&run, fx, "evaluate", "--interaction", CONTACT_0, "--form-version", TEST_FORM_VERSION_ID,
                    "--answers", path, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].message));
      g_assert_nonnull (strstr (run.err, cases[i].name));
      run_assayctl (&amend, fx, "amend", submitted_id, "--answers", path, "--reason", "x", NULL);
      g_assert_cmpint (amend.status, ==, 2);
      g_assert_nonnull (strstr (amend.err, cases[i].message));
    }
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM evaluation_revision WHERE evaluation_id = '%s'",
                                            submitted_id);
    g_assert_cmpint (query_int (fx, sql), ==, 1);
  }
  /* the draft still holds the good answers */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM evaluation_draft WHERE evaluation_id = '%s'"
                                            " AND json_extract (answers, '$.answers.fix.value') = 5", id);
    g_assert_cmpint (query_int (fx, sql), ==, 1);
  }
}

static void
test_unknown_ids (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *complete = write_answers (fx, "complete.json", COMPLETE);
  g_auto(Run) interaction = { 0 };
  g_auto(Run) version = { 0 };
  g_auto(Run) assignment = { 0 };
  g_auto(Run) evaluation = { 0 };
  g_auto(Run) draft_amend = { 0 };
  g_auto(Run) draft = { 0 };
  g_auto(Run) neither = { 0 };
  g_auto(Run) no_version = { 0 };
  g_autofree char *id = NULL;

  run_assayctl (&interaction, fx, "evaluate", "--interaction", UNKNOWN, "--form-version", TEST_FORM_VERSION_ID, NULL);
  g_assert_cmpint (interaction.status, ==, 2);
  g_assert_nonnull (strstr (interaction.err, UNKNOWN));
  run_assayctl (&version, fx, "evaluate", "--interaction", CONTACT_0, "--form-version", UNKNOWN, NULL);
  g_assert_cmpint (version.status, ==, 2);
  g_assert_nonnull (strstr (version.err, UNKNOWN));
  run_assayctl (&assignment, fx, "evaluate", "--assignment", UNKNOWN, NULL);
  g_assert_cmpint (assignment.status, ==, 2);
  g_assert_nonnull (strstr (assignment.err, "no assignment"));
  run_assayctl (&evaluation, fx, "amend", UNKNOWN, "--answers", complete, "--reason", "why", NULL);
  g_assert_cmpint (evaluation.status, ==, 2);
  g_assert_nonnull (strstr (evaluation.err, "no evaluation"));
  run_assayctl (&neither, fx, "evaluate", "--answers", complete, NULL);
  g_assert_cmpint (neither.status, ==, 2);
  run_assayctl (&no_version, fx, "evaluate", "--interaction", CONTACT_0, NULL);
  g_assert_cmpint (no_version.status, ==, 2);
  g_assert_nonnull (strstr (no_version.err, "--form-version"));
  g_assert_cmpint (query_int (fx, "SELECT count(*) FROM evaluation"), ==, 0);

  /* a draft is not amended: it is still being written */
  run_assayctl (&draft, fx, "evaluate", "--interaction", CONTACT_0, "--form-version", TEST_FORM_VERSION_ID, NULL);
  g_assert_cmpint (draft.status, ==, 0);
  id = last_line (draft.out);
  run_assayctl (&draft_amend, fx, "amend", id, "--answers", complete, "--reason", "why", NULL);
  g_assert_cmpint (draft_amend.status, ==, 2);
  g_assert_nonnull (strstr (draft_amend.err, "is a draft"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/evaluate/empty-draft", Fixture, NULL, fixture_set_up, test_empty_draft, fixture_tear_down);
  g_test_add ("/cli/evaluate/assignment-answers-submit", Fixture, NULL, fixture_set_up,
              test_assignment_answers_submit, fixture_tear_down);
  g_test_add ("/cli/evaluate/amend", Fixture, NULL, fixture_set_up, test_amend, fixture_tear_down);
  g_test_add ("/cli/evaluate/bad-files", Fixture, NULL, fixture_set_up, test_bad_files, fixture_tear_down);
  g_test_add ("/cli/evaluate/unknown-ids", Fixture, NULL, fixture_set_up, test_unknown_ids, fixture_tear_down);
  return g_test_run ();
}
