/* SPDX-License-Identifier: GPL-3.0-or-later */
/* assayctl draw, run as a user would (the binary comes from $ASSAYCTL). */
#include <string.h>

#include <gio/gio.h>

#include "test-assayctl.h"
#include "test-db.h"

#define FORM_VERSION "41000000-0000-4000-8000-000000000001"

/* A database of 3000 made-up contacts (Nov 18 10:00 to Nov 20 12:00, 2026), closed again so
 * that assayctl has it to itself; with a published scorecard unless @bare. */
static char *
make_db (gboolean bare)
{
  g_autoptr(AssayStore) store = test_db_new (3000);
  char *path = g_strdup (assay_store_get_path (store));

  if (!bare)
    test_db_exec (store,
      "INSERT INTO form (id, name, created_at) VALUES ('40000000-0000-4000-8000-000000000001', 'Service', 0);"
      "INSERT INTO form_version (id, form_id, version, definition, published_at)"
      "  VALUES ('" FORM_VERSION "', '40000000-0000-4000-8000-000000000001', 1, '{}', 1);");
  assay_store_close (store);
  return path;
}

/* the value of "key: value" in assayctl's output */
static char *
value_of (const char *out,
          const char *key)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *prefix = g_strdup_printf ("%s: ", key);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  g_error ("no '%s' in the output:\n%s", key, out);
  return NULL;
}

/* the picked interactions' row numbers, in order */
static char *
picks_of (const char *database)
{
  g_autoptr(AssayStore) store = assay_store_new (database);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 n;

  g_assert_true (assay_store_open_sync (store, &error));
  n = test_db_query_int (store, "SELECT count(*) FROM assignment");
  for (gint64 i = 0; i < n; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT CAST(substr(interaction_id, 25) AS INTEGER)"
                                              " FROM assignment ORDER BY interaction_id"
                                              " LIMIT 1 OFFSET %" G_GINT64_FORMAT, i);
      g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? " " : "", test_db_query_int (store, sql));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_draw_and_verify (void)
{
  g_autofree char *db = make_db (FALSE);
  g_autofree char *twin = make_db (FALSE);
  g_autofree char *draw_id = NULL;
  g_autofree char *value = NULL;
  g_autofree char *picks = NULL;
  g_autofree char *twin_picks = NULL;
  g_auto(TestRun) first = { 0 };
  g_auto(TestRun) again = { 0 };
  g_auto(TestRun) other = { 0 };
  g_auto(TestRun) check = { 0 };
  g_auto(TestRun) tampered = { 0 };

  test_run_assayctl (&first, "--database", db, "draw", "--per-agent", "3", "--from", "2026-11-16",
                "--to", "2026-11-23", "--seed", "12345", "--oversample-low-csat", "3", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.err, ==, "");
  value = value_of (first.out, "drawn");
  g_assert_cmpstr (value, ==, "18");
  g_clear_pointer (&value, g_free);
  value = value_of (first.out, "seed");
  g_assert_cmpstr (value, ==, "12345");
  g_clear_pointer (&value, g_free);
  value = value_of (first.out, "form-version");
  g_assert_cmpstr (value, ==, FORM_VERSION);
  g_clear_pointer (&value, g_free);
  value = value_of (first.out, "matching");
  g_assert_cmpstr (value, ==, "3000 (0 already assigned or evaluated)");
  draw_id = value_of (first.out, "draw-id");
  g_assert_cmpuint (strlen (draw_id), ==, 36);

  /* the same rule and seed on the same contacts elsewhere: the same picks */
  test_run_assayctl (&other, "draw", "--per-agent", "3", "--from", "2026-11-16", "--to", "2026-11-23",
                "--seed", "12345", "--oversample-low-csat", "3", "--database", twin, NULL);
  g_assert_cmpint (other.status, ==, 0);
  picks = picks_of (db);
  twin_picks = picks_of (twin);
  g_assert_cmpstr (picks, ==, twin_picks);

  /* drawn already: a second draw by the rule adds nothing */
  test_run_assayctl (&again, "--database", db, "draw", "--per-agent", "3", "--from", "2026-11-16",
                "--to", "2026-11-23", NULL);
  g_assert_cmpint (again.status, ==, 0);
  value = value_of (again.out, "drawn");
  g_assert_cmpstr (value, ==, "0");
  g_clear_pointer (&value, g_free);

  test_run_assayctl (&check, "--database", db, "draw", "--verify", draw_id, NULL);
  g_assert_cmpint (check.status, ==, 0);
  g_assert_nonnull (strstr (check.out, "The draw matches"));
  value = value_of (check.out, "replayed");
  g_assert_cmpstr (value, ==, "18");
  g_clear_pointer (&value, g_free);

  /* someone moves an assignment to another contact: the replay says so */
  {
    g_autoptr(AssayStore) store = assay_store_new (db);
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = g_strdup_printf (
      "UPDATE assignment SET interaction_id = (SELECT id FROM interaction WHERE id NOT IN"
      "  (SELECT interaction_id FROM assignment) ORDER BY id LIMIT 1)"
      " WHERE id = (SELECT id FROM assignment WHERE draw_id = '%s' ORDER BY id LIMIT 1)", draw_id);

    g_assert_true (assay_store_open_sync (store, &error));
    test_db_exec (store, sql);
  }
  test_run_assayctl (&tampered, "--database", db, "draw", "--verify", draw_id, NULL);
  g_assert_cmpint (tampered.status, ==, 1);
  g_assert_nonnull (strstr (tampered.out, "does NOT match"));
}

static void
test_bad_input (void)
{
  g_autofree char *db = make_db (FALSE);
  g_autofree char *bare = make_db (TRUE);
  static const char *const bad[][7] = {
    { "--per-agent", "0", NULL },
    { "--per-agent", "many", NULL },
    { "--per-agent", "2", "--csat-max", "9", NULL },
    { "--per-agent", "2", "--channel", "fax", NULL },
    { "--per-agent", "2", "--oversample-low-csat", "0.5", NULL },
    { "--per-agent", "2", "--from", "2026-11-16", NULL },
    { "--per-agent", "2", "--from", "yesterday", "--to", "2026-11-23", NULL },
    { "--per-agent", "2", "--min-duration", "600", "--max-duration", "60", NULL },
    { "--per-agent", "2", "--seed", "-1", NULL },
    { "--frobnicate", NULL },
    { "extra", NULL },
    { NULL },
  };

  for (guint i = 0; bad[i][0] != NULL; i++)
    {
      g_auto(TestRun) run = { 0 };

      test_run_assayctl (&run, "--database", db, "draw", bad[i][0], bad[i][1], bad[i][2], bad[i][3],
                    bad[i][4], bad[i][5], bad[i][6], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (g_str_has_prefix (run.err, "assayctl: "));
      g_assert_cmpstr (run.out, ==, "");
    }

  {
    g_auto(TestRun) missing = { 0 };
    g_auto(TestRun) no_form = { 0 };
    g_auto(TestRun) no_draw = { 0 };

    test_run_assayctl (&missing, "--database", db, "draw", NULL);
    g_assert_cmpint (missing.status, ==, 2);
    g_assert_nonnull (strstr (missing.err, "--per-agent"));

    test_run_assayctl (&no_form, "--database", bare, "draw", "--per-agent", "2", NULL);
    g_assert_cmpint (no_form.status, ==, 1);
    g_assert_nonnull (strstr (no_form.err, "no published scorecard"));

    test_run_assayctl (&no_draw, "--database", db, "draw", "--verify", "no-such-draw", NULL);
    g_assert_cmpint (no_draw.status, ==, 1);
    g_assert_nonnull (strstr (no_draw.err, "no draw no-such-draw"));
  }
}

/* A rule stored with a draw that is hostile JSON (docs/json-limits.md): status 2, the problem
 * named, no replay. */
static void
test_hostile_rule (void)
{
  g_autoptr(AssayStore) small = test_db_new (10);
  g_autofree char *db = g_strdup (assay_store_get_path (small));
  static const char rule[] =
    "{\"format\":1,\"algorithm\":1,\"per_agent_per_week\":3,"
    "\"from\":\"2026-11-16T00:00:00Z\",\"to\":\"2026-11-23T00:00:00Z\",\"week_offset_minutes\":0,"
    "\"channels\":[],\"queues\":[],\"min_handle_s\":null,\"max_handle_s\":null,"
    "\"csat_max\":null,\"low_csat_weight\":1,\"low_csat_at_most\":2,"
    "\"form_version_id\":\"" FORM_VERSION "\",\"due_days\":7,\"inspector_id\":null}";
  static const struct { const char *from, *to, *fragment; } cases[] = {
    { "\"per_agent_per_week\":3", "\"per_agent_per_week\":3,\"per_agent_per_week\":300",
      "per_agent_per_week: the key \"per_agent_per_week\" appears twice" },
    { "\"due_days\":7", "\"due_days\":7e400", "due_days: the number 7e400 is too large" },
    { "\"channels\":[]", "\"channels\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
      "[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
      "nested deeper than 64 levels" },
    { "\"queues\":[]", "\"queues\":[\"\\ud800\"]", "lone surrogate" },
  };

  assay_store_close (small);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AssayStore) store = assay_store_new (db);
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) text = g_string_new (rule);
      g_autofree char *id = g_strdup_printf ("5%07u-0000-4000-8000-000000000001", i);
      g_autofree char *sql = NULL;
      g_auto(TestRun) run = { 0 };

      g_assert_cmpuint (g_string_replace (text, cases[i].from, cases[i].to, 1), ==, 1);
      g_string_replace (text, "'", "''", 0);
      sql = g_strdup_printf ("INSERT INTO sampling_draw (id, rule, seed, drawn_at)"
                             " VALUES ('%s', '%s', 1, 0)", id, text->str);
      g_assert_true (assay_store_open_sync (store, &error));
      test_db_exec (store, sql);
      assay_store_close (store);

      test_run_assayctl (&run, "--database", db, "draw", "--verify", id, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "assayctl: the rule stored with draw "));
      if (strstr (run.err, cases[i].fragment) == NULL)
        g_error ("\"%s\" does not say \"%s\"", run.err, cases[i].fragment);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/draw/draw-and-verify", test_draw_and_verify);
  g_test_add_func ("/cli/draw/bad-input", test_bad_input);
  g_test_add_func ("/cli/draw/hostile-rule", test_hostile_rule);
  return g_test_run ();
}
