/* SPDX-License-Identifier: GPL-3.0-or-later */
/* assayctl score, run as a user would (the binary comes from $ASSAYCTL). */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct {
  char *dir;
} Fixture;

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

/* SCORING.md example 1: G1 weight 40 with Yes, No; G2 weight 20 with Yes → 60 % */
static const char form_json[] =
  "{\n"
  "  \"format\": 1, \"id\": \"groups\", \"name\": \"Two groups\", \"version\": 2,\n"
  "  \"mode\": \"points\",\n"
  "  \"bands\": [ { \"name\": \"Needs improvement\", \"min\": 0 },\n"
  "             { \"name\": \"Meets\", \"min\": 55 } ],\n"
  "  \"sections\": [\n"
  "    { \"id\": \"g1\", \"title\": \"G1\", \"weight\": 40, \"items\": [\n"
  "      { \"id\": \"a\", \"kind\": \"yes_no\", \"text\": \"A\" },\n"
  "      { \"id\": \"b\", \"kind\": \"yes_no\", \"text\": \"B\", \"critical\": true } ] },\n"
  "    { \"id\": \"g2\", \"title\": \"G2\", \"weight\": 20, \"items\": [\n"
  "      { \"id\": \"c\", \"kind\": \"yes_no_na\", \"text\": \"C\" } ] },\n"
  "    { \"id\": \"g3\", \"title\": \"G3\", \"weight\": 20, \"items\": [\n"
  "      { \"id\": \"d\", \"kind\": \"yes_no\", \"text\": \"D\", \"weight\": 1 } ] }\n"
  "  ]\n"
  "}\n";

static const char answers_json[] =
  "{ \"format\": 1, \"form_id\": \"groups\", \"form_version\": 2, \"answers\": {\n"
  "  \"a\": { \"value\": \"yes\" },\n"
  "  \"b\": { \"value\": \"no\", \"comment\": \"没有核实身份\" },\n"
  "  \"c\": { \"value\": \"yes\" },\n"
  "  \"d\": { \"na\": false }\n"
  "} }\n";

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("assayctl-score-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Runs assayctl with the NULL-terminated arguments. */
static void
run_assayctl (Run *run,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("ASSAYCTL"));
  g_assert_nonnull (args->pdata[0]);
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  child = g_subprocess_newv ((const char * const *) args->pdata,
                             G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE
                             | G_SUBPROCESS_FLAGS_STDIN_INHERIT,
                             &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
}

static void
test_good (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *form = write_file (f, "form.json", form_json);
  g_autofree char *answers = write_file (f, "answers.json", answers_json);
  g_auto(Run) run = { 0 };
  g_auto(Run) compact = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *result;
  JsonArray *sections;

  run_assayctl (&run, "score", form, answers, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  /* keys come in a fixed order */
  g_assert_true (g_str_has_prefix (run.out, "{\n  \"form_id\": \"groups\",\n"
                                            "  \"form_version\": 2,\n"
                                            "  \"overall\": 60,\n"
                                            "  \"without_fatal\": 60,\n"
                                            "  \"critical\": 0,\n"));

  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  result = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (result, "overall"), ==, 60);
  g_assert_cmpstr (json_object_get_string_member (result, "band"), ==, "Meets");
  g_assert_cmpint (json_object_get_int_member (result, "answered"), ==, 3);
  g_assert_false (json_object_get_boolean_member (result, "complete"));
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (result, "critical_failed"), 0), ==, "b");
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (result, "unanswered_required"), 0), ==, "d");
  sections = json_object_get_array_member (result, "sections");
  g_assert_cmpuint (json_array_get_length (sections), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (sections, 0),
                                                    "percent"), ==, 50);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (sections, 2),
                                              "percent"));

  run_assayctl (&compact, "score", "--compact", form, answers, NULL);
  g_assert_cmpint (compact.status, ==, 0);
  g_assert_true (g_str_has_prefix (compact.out, "{\"form_id\":\"groups\",\"form_version\":2,"
                                                "\"overall\":60,"));
  g_assert_true (g_str_has_suffix (compact.out, "}\n"));
  g_assert_true (strchr (compact.out, '\n') == compact.out + strlen (compact.out) - 1);
}

static void
test_bad_weight (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GString) bad = g_string_new (form_json);
  g_autofree char *form = NULL;
  g_autofree char *answers = write_file (f, "answers.json", answers_json);
  g_autofree char *expected = NULL;
  g_auto(Run) run = { 0 };

  g_string_replace (bad, "\"weight\": 1 }", "\"weight\": -1 }", 1);
  form = write_file (f, "bad-form.json", bad->str);
  run_assayctl (&run, "score", form, answers, NULL);

  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf ("assayctl: %s: sections[2].items[0].weight: must be >= 0\n", form);
  g_assert_cmpstr (run.err, ==, expected);
}

static void
test_bad_answers (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *form = write_file (f, "form.json", form_json);
  g_autoptr(GString) bad = g_string_new (answers_json);
  g_autofree char *answers = NULL;
  g_autofree char *old = NULL;
  g_autofree char *not_json = write_file (f, "broken.json", "{ \"format\": 1, ");
  g_autofree char *expected = NULL;
  g_autofree char *expected_old = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) run_old = { 0 };
  g_auto(Run) run_broken = { 0 };

  g_string_replace (bad, "\"value\": \"no\"", "\"value\": \"maybe\"", 1);
  answers = write_file (f, "bad-answers.json", bad->str);
  run_assayctl (&run, "score", form, answers, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf ("assayctl: %s: answers.b.value: must be \"yes\" or \"no\"\n",
                              answers);
  g_assert_cmpstr (run.err, ==, expected);

  /* answers keep the version they were given on */
  g_string_assign (bad, answers_json);
  g_string_replace (bad, "\"form_version\": 2", "\"form_version\": 1", 1);
  old = write_file (f, "old-answers.json", bad->str);
  run_assayctl (&run_old, "score", form, old, NULL);
  g_assert_cmpint (run_old.status, ==, 2);
  expected_old = g_strdup_printf ("assayctl: %s: form_version: the answers were given on "
                                  "version 1 of form \"groups\"; score them on that version, "
                                  "not version 2\n", old);
  g_assert_cmpstr (run_old.err, ==, expected_old);

  run_assayctl (&run_broken, "score", not_json, old, NULL);
  g_assert_cmpint (run_broken.status, ==, 2);
  g_assert_true (g_str_has_prefix (run_broken.err, "assayctl: "));
  g_assert_nonnull (strstr (run_broken.err, "broken.json: not valid JSON: "));
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *form = write_file (f, "form.json", form_json);
  g_autofree char *missing = g_build_filename (f->dir, "missing.json", NULL);
  g_auto(Run) help = { 0 };
  g_auto(Run) one = { 0 };
  g_auto(Run) option = { 0 };
  g_auto(Run) absent = { 0 };

  run_assayctl (&help, "score", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_true (g_str_has_prefix (help.out, "Usage: assayctl score"));
  g_assert_nonnull (strstr (help.out, "docs/forms.md"));

  run_assayctl (&one, "score", form, NULL);
  g_assert_cmpint (one.status, ==, 2);
  g_assert_true (g_str_has_prefix (one.err, "assayctl: score: needs a form file and an "
                                            "answers file\n"));

  run_assayctl (&option, "score", "--fast", form, form, NULL);
  g_assert_cmpint (option.status, ==, 2);
  g_assert_true (g_str_has_prefix (option.err, "assayctl: score: unknown option --fast\n"));

  run_assayctl (&absent, "score", missing, form, NULL);
  g_assert_cmpint (absent.status, ==, 2);
  g_assert_nonnull (strstr (absent.err, "missing.json: cannot read the form: "));
}

/* The demo scorecards score from the command line: a failed compliance disclosure is fatal. */
static void
test_demo_form (Fixture       *f,
                gconstpointer  data)
{
  const char *root = g_getenv ("ASSAY_SOURCE_ROOT");
  g_autofree char *form = NULL;
  g_autofree char *answers = NULL;
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *result;

  if (root == NULL)
    {
      g_test_skip ("ASSAY_SOURCE_ROOT is not set");
      return;
    }
  form = g_build_filename (root, "data", "demo", "forms", "service-quality-zh.json", NULL);
  answers = write_file (f, "zh-answers.json",
                        "{ \"format\": 1, \"form_id\": \"service-quality-zh\", "
                        "\"form_version\": 1, \"answers\": {"
                        " \"disclosure_recording\": { \"value\": \"no\","
                        " \"comment\": \"未告知录音\","
                        " \"evidence\": [ { \"start_ms\": 3000, \"end_ms\": 9000 } ] } } }");
  run_assayctl (&run, "score", form, answers, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  result = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (result, "overall"), ==, 0);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (result, "fatal_failed"), 0), ==,
                   "disclosure_recording");
}

/* one line naming the file and the problem, status 2, nothing on standard output */
static void
expect_hostile (const char *form,
                const char *answers,
                const char *named,
                const char *fragment)
{
  g_auto(Run) run = { 0 };
  g_autofree char *prefix = g_strdup_printf ("assayctl: %s: ", named);

  run_assayctl (&run, "score", form, answers, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  if (!g_str_has_prefix (run.err, prefix) || strstr (run.err, fragment) == NULL)
    g_error ("expected \"%s...%s\", got \"%s\"", prefix, fragment, run.err);
  g_assert_true (g_str_has_suffix (run.err, "\n"));
  g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
}

static char *
write_bytes (Fixture    *f,
             const char *name,
             const char *contents,
             gsize       length)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, (gssize) length, &error);
  g_assert_no_error (error);
  return path;
}

/* Hostile documents (docs/json-limits.md) as the form and as the answers. */
static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *form = write_file (f, "form.json", form_json);
  g_autofree char *answers = write_file (f, "answers.json", answers_json);
  const gsize deep = 100000;
  g_autofree char *nest = g_malloc (2 * deep);
  const gsize huge = 100 * 1024 * 1024;
  g_autofree char *big = NULL;
  static const struct { const char *from, *to, *fragment; } form_cases[] = {
    { "\"format\": 1,", "\"format\": 1, \"format\": 1,", "the key \"format\" appears twice" },
    { "\"title\": \"G2\",", "\"title\": \"G2\", \"title\": \"G2\",",
      "sections[1].title: the key \"title\" appears twice" },
    { "\"weight\": 40", "\"weight\": 1e400", "sections[0].weight: the number 1e400 is too large" },
    { "\"version\": 2", "\"version\": 99999999999999999999", "version: the whole number" },
    { "Two groups", "Two \xff\xfe groups", "not valid UTF-8" },
    { "\"text\": \"A\"", "\"text\": \"A\\u0000\"", "NUL character" },
  };
  static const struct { const char *from, *to, *fragment; } answers_cases[] = {
    /* json-glib alone keeps the last "a": a No would be scored where the file also says Yes */
    { "\"a\": { \"value\": \"yes\" },", "\"a\": { \"value\": \"yes\" }, \"a\": { \"value\": \"no\" },",
      "answers.a: the key \"a\" appears twice" },
    { "\"format\": 1,", "\"format\": 1, \"format\": 1,", "the key \"format\" appears twice" },
    { "\"form_version\": 2", "\"form_version\": 2e400", "form_version: the number 2e400 is too large" },
    { "没有核实身份", "\xe6\xb2\xa1\xe6", "not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (form_cases); i++)
    {
      g_autoptr(GString) text = g_string_new (form_json);
      g_autofree char *path = NULL;

      g_assert_cmpuint (g_string_replace (text, form_cases[i].from, form_cases[i].to, 1), ==, 1);
      path = write_file (f, "hostile-form.json", text->str);
      expect_hostile (path, answers, path, form_cases[i].fragment);
    }
  for (guint i = 0; i < G_N_ELEMENTS (answers_cases); i++)
    {
      g_autoptr(GString) text = g_string_new (answers_json);
      g_autofree char *path = NULL;

      g_assert_cmpuint (g_string_replace (text, answers_cases[i].from, answers_cases[i].to, 1), ==,
                        1);
      path = write_file (f, "hostile-answers.json", text->str);
      expect_hostile (form, path, path, answers_cases[i].fragment);
    }

  /* nested 100 000 deep, and the same cut short */
  memset (nest, '[', deep);
  memset (nest + deep, ']', deep);
  {
    g_autofree char *closed = write_bytes (f, "deep.json", nest, 2 * deep);
    g_autofree char *open = write_bytes (f, "open.json", nest, deep);

    expect_hostile (closed, answers, closed, "nested deeper than 64 levels");
    expect_hostile (form, closed, closed, "nested deeper than 64 levels");
    expect_hostile (open, answers, open, "nested deeper than 64 levels");
  }

  /* truncations of the form and of the answers (tests/protocol tries every one in-process) */
  for (gsize n = 0; n < strlen (form_json) - 1; n += 61)
    {
      g_autofree char *path = write_bytes (f, "cut-form.json", form_json, n);

      expect_hostile (path, answers, path, "not valid JSON: ");
    }
  for (gsize n = 0; n < strlen (answers_json) - 1; n += 23)
    {
      g_autofree char *path = write_bytes (f, "cut-answers.json", answers_json, n);

      expect_hostile (form, path, path, "not valid JSON: ");
    }

  /* 100 MB: refused by its size before it is read */
  big = g_malloc (huge);
  memset (big, ' ', huge);
  memcpy (big + huge - strlen (form_json), form_json, strlen (form_json));
  {
    g_autofree char *path = write_bytes (f, "huge.json", big, huge);

    expect_hostile (path, answers, path, "the file is 104857600 bytes, more than the 16777216 "
                    "bytes Assay reads");
    expect_hostile (form, path, path, "the file is 104857600 bytes");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/score/good", Fixture, NULL, fixture_set_up, test_good, fixture_tear_down);
  g_test_add ("/cli/score/bad-weight", Fixture, NULL, fixture_set_up, test_bad_weight,
              fixture_tear_down);
  g_test_add ("/cli/score/bad-answers", Fixture, NULL, fixture_set_up, test_bad_answers,
              fixture_tear_down);
  g_test_add ("/cli/score/hostile", Fixture, NULL, fixture_set_up, test_hostile,
              fixture_tear_down);
  g_test_add ("/cli/score/usage", Fixture, NULL, fixture_set_up, test_usage, fixture_tear_down);
  g_test_add ("/cli/score/demo-form", Fixture, NULL, fixture_set_up, test_demo_form,
              fixture_tear_down);

  return g_test_run ();
}
