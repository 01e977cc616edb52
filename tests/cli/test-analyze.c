/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "../media/test-audio-util.h"
#include "store/assay-store-analysis.h"
#include "test-db.h"

/* `assayctl analyze`, run as a user would (the binary comes from $ASSAYCTL). */

static char *tmpdir;
static char *stereo;
static char *mono;

typedef struct {
  char *out;
  char *err;
  int   status;     /* exit status */
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

static Result
run (const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Result r = { NULL, NULL, -1 };
  int wait_status = 0;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("ASSAYCTL"));
  g_ptr_array_add (argv, (gpointer) "analyze");
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r.out, &r.err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static JsonObject *
parse_line (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
assert_keys (JsonObject *o)
{
  static const char *expected[] = {
    "file", "duration_s", "channels", "sample_rate", "talk_s", "talk_ratio", "silence_s",
    "silence_segments", "overtalk_s", "overtalk_segments", "longest_monologue_s",
  };
  g_autoptr(GList) members = json_object_get_members (o);
  JsonObject *talk;
  g_autoptr(GList) talk_members = NULL;

  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (json_object_has_member (o, expected[i]));

  talk = json_object_get_object_member (o, "talk_s");
  g_assert_nonnull (talk);
  talk_members = json_object_get_members (talk);
  g_assert_cmpuint (g_list_length (talk_members), ==, 2);
  g_assert_true (json_object_has_member (talk, "agent"));
  g_assert_true (json_object_has_member (talk, "customer"));
}

static void
assert_segment (JsonArray *segments,
                guint      index,
                double     start,
                double     end)
{
  JsonArray *s = json_array_get_array_element (segments, index);

  g_assert_cmpuint (json_array_get_length (s), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (s, 0), start, 0.1);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (s, 1), end, 0.1);
}

static void
assert_stereo (JsonObject *o,
               guint       agent)
{
  JsonObject *talk = json_object_get_object_member (o, "talk_s");
  JsonArray *silence = json_object_get_array_member (o, "silence_segments");
  JsonArray *over = json_object_get_array_member (o, "overtalk_segments");
  double a = agent == 0 ? 15.5 : 8, c = agent == 0 ? 8 : 15.5;

  g_assert_cmpstr (json_object_get_string_member (o, "file"), ==, stereo);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "duration_s"), 30, 0.1);
  g_assert_cmpint (json_object_get_int_member (o, "channels"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "sample_rate"), ==, 8000);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (talk, "agent"), a, 0.1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (talk, "customer"), c, 0.1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "talk_ratio"), a / (a + c),
                                  0.01);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "silence_s"), 4, 0.1);
  g_assert_cmpuint (json_array_get_length (silence), ==, 1);
  assert_segment (silence, 0, 17, 21);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "overtalk_s"), 2, 0.1);
  g_assert_cmpuint (json_array_get_length (over), ==, 2);
  assert_segment (over, 0, 11, 12);
  assert_segment (over, 1, 24, 25);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "longest_monologue_s"),
                                  agent == 0 ? 11 : 4, 0.1);
}

static void
test_json (void)
{
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-call.wav", NULL);
  Result r = run ("--json", stereo, missing, mono, NULL);
  g_auto(GStrv) lines = g_strsplit (r.out, "\n", -1);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  JsonObject *talk;

  /* two objects, one per line, an error line for the missing file, and a failure status */
  g_assert_cmpint (r.status, !=, 0);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");
  g_assert_nonnull (strstr (r.err, "no-such-call.wav"));
  g_assert_cmpuint (count_lines (r.err), ==, 1);

  first = parse_line (lines[0]);
  second = parse_line (lines[1]);
  assert_keys (first);
  assert_keys (second);
  assert_stereo (first, 0);

  /* mono: silence only, the talk split is null */
  g_assert_cmpstr (json_object_get_string_member (second, "file"), ==, mono);
  g_assert_cmpint (json_object_get_int_member (second, "channels"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (second, "sample_rate"), ==, 16000);
  talk = json_object_get_object_member (second, "talk_s");
  g_assert_true (json_object_get_null_member (talk, "agent"));
  g_assert_true (json_object_get_null_member (talk, "customer"));
  g_assert_true (json_object_get_null_member (second, "talk_ratio"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (second, "silence_s"), 9, 0.1);
  assert_segment (json_object_get_array_member (second, "silence_segments"), 1, 12, 16);

  result_clear (&r);
}

static void
test_all_good (void)
{
  Result r = run (stereo, "--json", NULL);
  g_autoptr(JsonObject) o = NULL;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (g_str_has_suffix (r.out, "}\n"));
  g_assert_cmpuint (count_lines (r.out), ==, 1);
  o = parse_line (r.out);
  assert_stereo (o, 0);
  result_clear (&r);
}

static void
test_options (void)
{
  Result r = run ("--json", "--agent-channel", "1", stereo, NULL);
  g_autoptr(JsonObject) o = NULL;
  JsonArray *silence;

  g_assert_cmpint (r.status, ==, 0);
  o = parse_line (r.out);
  assert_stereo (o, 1);
  result_clear (&r);
  g_clear_pointer (&o, json_object_unref);

  r = run ("--json", "--silence-min", "0.9", stereo, NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = parse_line (r.out);
  silence = json_object_get_array_member (o, "silence_segments");
  g_assert_cmpuint (json_array_get_length (silence), ==, 4);
  assert_segment (silence, 0, 0, 1);
  assert_segment (silence, 3, 28, 30);
  result_clear (&r);
}

static void
test_summary (void)
{
  Result r = run (stereo, mono, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "agent talk"));
  g_assert_nonnull (strstr (r.out, "66% agent"));
  g_assert_nonnull (strstr (r.out, "unavailable"));     /* mono */
  g_assert_null (strstr (r.out, "{"));
  result_clear (&r);
}

static void
test_usage (void)
{
  Result r = run ("--agent-channel", "2", stereo, NULL);

  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--agent-channel"));
  result_clear (&r);

  r = run ("--json", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "FILE"));
  result_clear (&r);

  r = run ("--silence-min", "-1", stereo, NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);

  r = run ("--bogus", stereo, NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);

  r = run ("--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--agent-channel"));
  result_clear (&r);
}

#define STORE_INTERACTION(i) "20000000-0000-4000-8000-00000000000" #i

static void
test_store (void)
{
  g_autoptr(AssayStore) store = test_db_new (4);
  const char *db = assay_store_get_path (store);
  g_autofree char *missing = g_build_filename (tmpdir, "gone.wav", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(AssaySpeechSummary) call = NULL;
  g_autoptr(AssaySpeechSummary) mono_call = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = NULL;
  Result r;

  /* the stereo call with the agent on the right this time, a mono one, a file that is gone and
   * a recording on a server */
  sql = g_strdup_printf (
    "INSERT INTO recording (id, interaction_id, location, format, channels, agent_channel)"
    " VALUES ('r0', '" STORE_INTERACTION (0) "', '%s', 'wav', 2, 1),"
    "        ('r1', '" STORE_INTERACTION (1) "', '%s', 'wav', 1, NULL),"
    "        ('r2', '" STORE_INTERACTION (2) "', '%s', 'wav', 2, 0),"
    "        ('r3', '" STORE_INTERACTION (3) "', 'https://example.com/r3.mp3', 'mp3', 2, 0)",
    stereo, mono, missing);
  test_db_exec (store, sql);

  r = run ("--store", "--database", db, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "call.wav (interaction " STORE_INTERACTION (0) "): agent talks 34%"));
  g_assert_nonnull (strstr (r.out, "mono.wav (interaction " STORE_INTERACTION (1) "): mono"));
  g_assert_nonnull (strstr (r.out, "r3.mp3 (interaction " STORE_INTERACTION (3) "): skipped"));
  g_assert_nonnull (strstr (r.out, "Stored 2 analyses in"));
  g_assert_nonnull (strstr (r.out, "(1 failed, 1 skipped)"));
  g_assert_nonnull (strstr (r.err, "gone.wav"));
  g_assert_nonnull (strstr (r.err, STORE_INTERACTION (2)));
  g_assert_cmpuint (count_lines (r.err), ==, 1);
  result_clear (&r);

  /* stored with each recording's own agent channel */
  call = assay_store_load_analysis_sync (store, STORE_INTERACTION (0), &error);
  g_assert_no_error (error);
  g_assert_nonnull (call);
  g_assert_cmpstr (call->file, ==, stereo);
  g_assert_cmpuint (call->agent_channel, ==, 1);
  g_assert_cmpfloat_with_epsilon (call->agent_talk_s, 8, 0.1);
  g_assert_cmpfloat_with_epsilon (call->customer_talk_s, 15.5, 0.1);
  g_assert_cmpfloat_with_epsilon (call->silence_s, 4, 0.1);
  g_assert_cmpuint (call->overtalk->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (call->longest_monologue_s, 4, 0.1);
  g_assert_cmpuint (call->voice[0]->len, ==, 4);   /* left: the customer here */
  g_assert_cmpuint (call->voice[1]->len, ==, 2);
  mono_call = assay_store_load_analysis_sync (store, STORE_INTERACTION (1), &error);
  g_assert_no_error (error);
  g_assert_nonnull (mono_call);
  g_assert_false (mono_call->has_talk_split);
  g_assert_cmpfloat_with_epsilon (mono_call->silence_s, 9, 0.1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM analysis"), ==, 2);

  /* again: only what is still missing is tried; JSON lines for what is stored */
  r = run ("--store", "--json", "--database", db, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpuint (count_lines (r.err), ==, 1);
  result_clear (&r);

  test_db_exec (store, "UPDATE recording SET location = (SELECT location FROM recording"
                       " WHERE id = 'r0') WHERE id = 'r2'; DELETE FROM recording WHERE id = 'r3'");
  r = run ("--database", db, "--json", "--store", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpuint (count_lines (r.out), ==, 1);
  o = parse_line (r.out);
  assert_keys (o);
  assert_stereo (o, 0);
  result_clear (&r);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM analysis"), ==, 3);

  r = run ("--store", "--database", db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "analysed already"));
  result_clear (&r);
}

static void
test_store_usage (void)
{
  g_autofree char *nowhere = g_build_filename (tmpdir, "none", "assay.db", NULL);
  Result r = run ("--store", stereo, NULL);

  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "not both"));
  result_clear (&r);

  r = run ("--store", "--agent-channel", "1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--store"));
  result_clear (&r);

  r = run ("--store", "--silence-min", "1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);

  /* no database is made behind a mistyped path */
  r = run ("--store", "--database", nowhere, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no database"));
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("ASSAYCTL") == NULL)
    {
      g_test_skip ("ASSAYCTL is not set");
      return g_test_run ();
    }

  tmpdir = g_dir_make_tmp ("assay-cli-analyze-XXXXXX", NULL);
  stereo = g_build_filename (tmpdir, "call.wav", NULL);
  mono = g_build_filename (tmpdir, "mono.wav", NULL);
  test_write_call (stereo, TEST_WAV_MULAW, 8000);
  test_write_mono (mono, 16000);

  g_test_add_func ("/cli/analyze/json", test_json);
  g_test_add_func ("/cli/analyze/all-good", test_all_good);
  g_test_add_func ("/cli/analyze/options", test_options);
  g_test_add_func ("/cli/analyze/summary", test_summary);
  g_test_add_func ("/cli/analyze/usage", test_usage);
  g_test_add_func ("/cli/analyze/store", test_store);
  g_test_add_func ("/cli/analyze/store-usage", test_store_usage);
  ret = g_test_run ();

  g_unlink (stereo);
  g_unlink (mono);
  g_rmdir (tmpdir);
  g_free (stereo);
  g_free (mono);
  g_free (tmpdir);
  return ret;
}
