/* SPDX-License-Identifier: GPL-3.0-or-later */
/* assayctl kpi and kpi rebuild, run as a user would (the binary comes from $ASSAYCTL). */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "store/assay-store-kpi.h"
#include "test-assayctl.h"
#include "test-db.h"

static char *db_path;
static char *from;
static char *to;

static void
make_centre (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-cli-kpi-XXXXXX", NULL);
  g_autofree char *forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo",
                                             "forms", NULL);
  g_autofree char *empty = g_build_filename (dir, "no-recordings", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (now, -30);
  g_auto(TestRun) run = { 0 };

  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  db_path = g_build_filename (dir, "assay.db", NULL);
  test_run_assayctl (&run, "--database", db_path, "seed", "--interactions", "6000", "--days", "45",
                "--evaluations", "900", "--forms", forms, "--recordings", empty, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "900 evaluations"));
  from = g_date_time_format (month_ago, "%Y-%m-%d");
  to = g_date_time_format (now, "%Y-%m-%d");
}

static const char *const scalar_keys[] = {
  "qa_score", "score_without_fatal", "critical_score", "critical_fail_rate", "csat", "nps", "fcr",
  "service_level", "first_response_s", "sla_attainment",
};
static const char *const channels[] = { "phone", "chat", "email", "ticket" };
static const char *const statuses[] = {
  "no_data", "too_few", "no_target", "on_target", "warning", "breach",
};

static void
check_entry (const char *key,
             JsonNode   *node,
             double      lo,
             double      hi)
{
  JsonObject *o;
  g_autoptr(GList) members = NULL;
  JsonNode *value, *ci, *target;
  const char *status;
  gboolean known_status = FALSE;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  o = json_node_get_object (node);
  members = json_object_get_members (o);
  g_assert_cmpuint (g_list_length (members), ==, 5);
  g_assert_true (json_object_has_member (o, "value"));
  g_assert_true (json_object_has_member (o, "n"));
  g_assert_true (json_object_has_member (o, "ci95"));
  g_assert_true (json_object_has_member (o, "target"));
  g_assert_true (json_object_has_member (o, "status"));
  g_assert_cmpint (json_object_get_int_member (o, "n"), >=, 0);
  status = json_object_get_string_member (o, "status");
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    known_status = known_status || g_strcmp0 (status, statuses[i]) == 0;
  if (!known_status)
    g_error ("%s: unknown status %s", key, status);
  value = json_object_get_member (o, "value");
  ci = json_object_get_member (o, "ci95");
  target = json_object_get_member (o, "target");
  g_assert_true (JSON_NODE_HOLDS_NULL (target) || JSON_NODE_HOLDS_VALUE (target));
  if (JSON_NODE_HOLDS_NULL (value))
    {
      g_assert_cmpstr (status, ==, "no_data");
      g_assert_true (JSON_NODE_HOLDS_NULL (ci));
      g_assert_cmpint (json_object_get_int_member (o, "n"), ==, 0);
      return;
    }
  g_assert_cmpfloat (json_node_get_double (value), >=, lo);
  g_assert_cmpfloat (json_node_get_double (value), <=, hi);
  if (!JSON_NODE_HOLDS_NULL (ci))
    {
      JsonArray *a = json_node_get_array (ci);

      g_assert_cmpuint (json_array_get_length (a), ==, 2);
      g_assert_cmpfloat (json_array_get_double_element (a, 0), <=, json_node_get_double (value));
      g_assert_cmpfloat (json_array_get_double_element (a, 1), >=, json_node_get_double (value));
    }
}

static JsonObject *
parse (JsonParser *parser,
       const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_json_keys (void)
{
  g_auto(TestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *o, *aht;

  test_run_assayctl (&run, "--database", db_path, "kpi", "--centre", "--from", from, "--to", to,
                "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = parse (parser, run.out);
  members = json_object_get_members (o);
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (scalar_keys) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (scalar_keys); i++)
    {
      gboolean nps = strcmp (scalar_keys[i], "nps") == 0;
      gboolean seconds = strcmp (scalar_keys[i], "first_response_s") == 0;

      g_assert_true (json_object_has_member (o, scalar_keys[i]));
      check_entry (scalar_keys[i], json_object_get_member (o, scalar_keys[i]),
                   nps ? -100 : 0, seconds ? 1e7 : 100);
    }
  aht = json_object_get_object_member (o, "aht_s");
  g_assert_nonnull (aht);
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (aht);
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (channels));
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    check_entry (channels[i], json_object_get_member (aht, channels[i]), 0, 1e6);
  /* the demo has no tickets; the others have figures the centre can judge */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (aht, "ticket"),
                                                  "status"), ==, "no_data");
  /* the demo sets a centre target for the QA score (85, warning 80), none for the critical
   * score */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "qa_score"),
                                                  "status"), !=, "no_target");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o, "qa_score"),
                                                    "target"), ==, 85);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o,
                                                    "critical_score"), "status"), ==,
                   "no_target");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "qa_score"), "n"),
                   >, 100);
}

/* what assayctl prints is what the store computes, for an agent, a team and the centre */
static void
test_same_as_store (void)
{
  g_autoptr(AssayStore) store = assay_store_new (db_path);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *code = NULL, *team = NULL;
  AssayKpiQuery q = { 0 };

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT a.employee_code, t.name FROM agent a JOIN team t"
                                           " ON t.id = a.team_id ORDER BY a.employee_code LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  team = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);

  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_true (assay_kpi_day_parse (from, &q.from_day));
  g_assert_true (assay_kpi_day_parse (to, &q.to_day));
  for (int scope = 0; scope < 3; scope++)
    {
      g_auto(TestRun) run = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(AssayKpiScorecard) card = NULL;
      JsonObject *o;

      q.scope = scope;
      q.subject = scope == ASSAY_KPI_SCOPE_AGENT ? code : team;
      card = assay_store_kpi_scorecard_sync (store, &q, &error);
      g_assert_no_error (error);
      if (scope == ASSAY_KPI_SCOPE_AGENT)
        test_run_assayctl (&run, "--database", db_path, "kpi", "--agent", code, "--from", from, "--to",
                      to, "--json", NULL);
      else if (scope == ASSAY_KPI_SCOPE_TEAM)
        test_run_assayctl (&run, "kpi", "--team", team, "--from", from, "--to", to, "--json",
                      "--database", db_path, NULL);
      else
        test_run_assayctl (&run, "--database", db_path, "kpi", "--centre", "--from", from, "--to", to,
                      "--json", NULL);
      g_assert_cmpint (run.status, ==, 0);
      o = parse (parser, run.out);
      for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
        {
          const AssayKpiFigure *f = &card->figures[line];
          const char *key = assay_kpi_line_key (line);
          JsonObject *entry;

          if (g_str_has_prefix (key, "aht_s."))
            entry = json_object_get_object_member (json_object_get_object_member (o, "aht_s"),
                                                   key + strlen ("aht_s."));
          else
            entry = json_object_get_object_member (o, key);
          g_assert_cmpint (json_object_get_int_member (entry, "n"), ==, f->estimate.n);
          g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==,
                           assay_kpi_status_key (f->status));
          if (f->estimate.known)
            g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entry, "value"),
                                            f->estimate.value, 0.00006);
          if (f->estimate.has_ci)
            {
              JsonArray *ci = json_object_get_array_member (entry, "ci95");

              g_assert_cmpfloat_with_epsilon (json_array_get_double_element (ci, 0),
                                              f->estimate.ci_lo, 0.00006);
              g_assert_cmpfloat_with_epsilon (json_array_get_double_element (ci, 1),
                                              f->estimate.ci_hi, 0.00006);
            }
        }
    }
  assay_store_close (store);
  g_free (code);
  g_free (team);
}

static void
test_table_and_min_n (void)
{
  g_auto(TestRun) run = { 0 };
  g_auto(TestRun) strict = { 0 };

  test_run_assayctl (&run, "--database", db_path, "kpi", "--centre", "--from", to, "--to", to, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "qa_score"));
  g_assert_nonnull (strstr (run.out, "aht_s.phone"));
  /* with a minimum n nobody reaches, every figure is too few to judge (or has no data) */
  test_run_assayctl (&strict, "--database", db_path, "kpi", "--centre", "--from", from, "--to", to,
                "--min-n", "1000000", "--json", NULL);
  g_assert_cmpint (strict.status, ==, 0);
  g_assert_null (strstr (strict.out, "no_target"));
  g_assert_nonnull (strstr (strict.out, "\"too_few\""));
}

static void
test_bad_input (void)
{
  static const char *const cases[][8] = {
    { "kpi", "--agent", "NOBODY", "--from", "2026-01-01", "--to", "2026-01-31", "No agent" },
    { "kpi", "--team", "Nowhere", "--from", "2026-01-01", "--to", "2026-01-31", "No team" },
    { "kpi", "--centre", "--from", "2026-02-30", "--to", "2026-03-31", "", "YYYY-MM-DD" },
    { "kpi", "--centre", "--from", "2026-03-01", "--to", "2026-02-01", "", "before it starts" },
    { "kpi", "--centre", "--agent", "E1", "--from", "2026-03-01", "", "exactly one" },
    { "kpi", "--centre", "--from", "2026-03-01", "", "", "", "--to" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TestRun) run = { 0 };
      const char *a[7];

      for (guint k = 0; k < 7; k++)
        a[k] = cases[i][k][0] != '\0' ? cases[i][k] : NULL;
      /* the NULLs end the argument list where a case is shorter */
      test_run_assayctl (&run, "--database", db_path, a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i][7]));
      g_assert_cmpstr (run.out, ==, "");
    }
}

static void
test_rebuild (void)
{
  g_auto(TestRun) ok = { 0 };
  g_auto(TestRun) broken = { 0 };
  g_auto(TestRun) mended = { 0 };
  g_auto(TestRun) again = { 0 };
  sqlite3 *db = NULL;

  test_run_assayctl (&ok, "--database", db_path, "kpi", "rebuild", "--check", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "0 contact and 0 evaluation rows differed"));

  /* damage the summaries behind the store's back */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE kpi_qa_day SET qa_n = qa_n + 1"
                                     " WHERE day = (SELECT max(day) FROM kpi_qa_day)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close_v2 (db);

  test_run_assayctl (&broken, "--database", db_path, "kpi", "rebuild", "--check", NULL);
  g_assert_cmpint (broken.status, ==, 1);
  g_assert_null (strstr (broken.out, " 0 evaluation rows differed"));
  test_run_assayctl (&mended, "--database", db_path, "kpi", "rebuild", NULL);
  g_assert_cmpint (mended.status, ==, 0);
  g_assert_nonnull (strstr (mended.out, "After the rebuild: 0 contact and 0 evaluation rows differ"));
  test_run_assayctl (&again, "--database", db_path, "kpi", "rebuild", "--check", NULL);
  g_assert_cmpint (again.status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  make_centre ();
  g_test_add_func ("/cli/kpi/json-keys", test_json_keys);
  g_test_add_func ("/cli/kpi/same-as-store", test_same_as_store);
  g_test_add_func ("/cli/kpi/table-and-min-n", test_table_and_min_n);
  g_test_add_func ("/cli/kpi/bad-input", test_bad_input);
  g_test_add_func ("/cli/kpi/rebuild", test_rebuild);
  status = g_test_run ();
  g_free (db_path);
  g_free (from);
  g_free (to);
  return status;
}
