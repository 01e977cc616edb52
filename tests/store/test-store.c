/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "assay-store-private.h"

static char *
temp_db (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-store-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "test.db", NULL);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* A few rows that exist from schema 1 on, so every later step must carry them. */
static void
insert_sample (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_assay_store_exec (db,
    "INSERT INTO team (id, name) VALUES ('t1', 'Billing');"
    "INSERT INTO agent (id, team_id, name, employee_code) VALUES ('a1', 't1', 'Wang Fang', 'E001');"
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, started_at, talk_s, hold_s, wrap_s, csat)"
    "  VALUES ('i1', 'phone', 'Billing', 'a1', 't1', 1794652920000, 300, 20, 40, 4);",
    &error));
  g_assert_no_error (error);
}

static void
check_sample (sqlite3 *db)
{
  g_autofree char *name = query_text (db, "SELECT name FROM agent WHERE id = 'a1'");

  g_assert_cmpstr (name, ==, "Wang Fang");
  g_assert_cmpint (query_int (db, "SELECT handle_s FROM interaction WHERE id = 'i1'"), ==, 360);
  g_assert_cmpint (query_int (db, "SELECT csat FROM interaction WHERE id = 'i1'"), ==, 4);
  /* step 6 summarises the contacts already there */
  g_assert_cmpint (query_int (db, "SELECT sum (contacts) FROM kpi_contact_day"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT handle_s FROM kpi_contact_day WHERE agent_id = 'a1'"
                                  " AND channel = 'phone' AND team_id = 't1'"), ==, 360);
  g_assert_cmpint (query_int (db, "SELECT csat_ok FROM kpi_contact_day"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM kpi_summary_state"
                                  " WHERE key = 'time_zone'"), ==, 1);
}

/* The calibration tables (step 7): they take rows that point to the migrated sample, and keep
 * their rules. */
static void
check_calibration (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_assay_store_exec (db,
    "INSERT INTO staff (id, name, roles) VALUES ('lead', 'Lena', 'lead'), ('cs1', 'Ann', 'inspector');"
    "INSERT INTO form (id, name, created_at) VALUES ('cf', 'Calibration', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('cv', 'cf', 1, '{}', 1);"
    "INSERT INTO calibration_session (id, name, form_version_id, created_by, created_at)"
    "  VALUES ('cs', 'Week 1', 'cv', 'lead', 1);"
    "INSERT INTO calibration_interaction (session_id, interaction_id, position) VALUES ('cs', 'i1', 0);"
    "INSERT INTO calibration_participant (session_id, staff_id) VALUES ('cs', 'cs1');"
    "INSERT INTO calibration_scoring (id, session_id, interaction_id, inspector_id, answers,"
    "  updated_at, submitted_at) VALUES ('sc', 'cs', 'i1', 'cs1', '{}', 1, 2);"
    "INSERT INTO calibration_consensus (session_id, interaction_id, item_id, answer, set_by, set_at)"
    "  VALUES ('cs', 'i1', 'greeting', '{\"value\":\"yes\"}', 'lead', 3);",
    &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM calibration_scoring s"
                                  " JOIN interaction i ON i.id = s.interaction_id"
                                  " WHERE i.agent_id = 'a1'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT state = 'scoring' FROM calibration_session"), ==, 1);

  /* states, unique scorings, references, submitted rows */
  g_assert_false (_assay_store_exec (db, "UPDATE calibration_session SET state = 'done'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE calibration_session SET name = ''", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO calibration_scoring (id, session_id, interaction_id, inspector_id, answers,"
    "  updated_at) VALUES ('sc2', 'cs', 'i1', 'cs1', '{}', 1)", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO calibration_participant (session_id, staff_id) VALUES ('cs', 'nobody')", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE calibration_scoring SET answers = '{\"x\":1}'",
                                     &error));
  g_assert_nonnull (strstr (error->message, "submitted"));
  g_clear_error (&error);
  /* deleting a session takes its parts with it */
  g_assert_true (_assay_store_exec (db, "DELETE FROM calibration_session", &error));
  g_assert_cmpint (query_int (db, "SELECT (SELECT count(*) FROM calibration_scoring)"
                                  " + (SELECT count(*) FROM calibration_consensus)"
                                  " + (SELECT count(*) FROM calibration_interaction)"
                                  " + (SELECT count(*) FROM calibration_participant)"), ==, 0);
}

/* The coaching tables (step 10): a session on the migrated sample's agent and evaluation, its
 * goal, action and the rest of the lead's workspace; their rules hold. */
static void
check_coaching (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_assay_store_exec (db,
    "INSERT INTO coaching_session (id, agent_id, coach_id, source, evaluation_id, scheduled_at,"
    "  created_at, updated_at) VALUES ('cs9', 'a1', 's1', 'evaluation', 'e1', 1, 1, 1);"
    "INSERT INTO coaching_goal (id, session_id, description, metric, item_id, target, deadline,"
    "  created_at) VALUES ('g9', 'cs9', 'Greeting', 'item_pass_rate', 'greeting', 0.9, 2, 1);"
    "INSERT INTO coaching_action (id, session_id, description, due_at, created_at)"
    "  VALUES ('ca9', 'cs9', 'Listen', 2, 1);"
    "INSERT INTO training_plan (id, title, rule, created_at) VALUES ('tp9', 'Onboarding', 'new_hire', 1);"
    "INSERT INTO training_assignment (id, plan_id, agent_id, due_at, created_at)"
    "  VALUES ('ta9', 'tp9', 'a1', 2, 1);"
    "INSERT INTO assessment (id, title, kind, quarter, pass_mark, due_at, created_at)"
    "  VALUES ('as9', 'Q4 written', 'written', '2026-Q4', 80, 2, 1);"
    "INSERT INTO assessment_result (id, assessment_id, agent_id, score, taken_at)"
    "  VALUES ('ar9', 'as9', 'a1', 72.5, 2);"
    "INSERT INTO improvement_action (id, problem, category, impact, effort, created_at, updated_at)"
    "  VALUES ('im9', 'ID checks skipped', 'process', 2, 1, 1, 1);", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT priority = 'P1' FROM improvement_action"), ==, 1);
  g_assert_false (_assay_store_exec (db, "UPDATE coaching_session SET state = 'done'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE coaching_goal SET item_id = NULL", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE improvement_action SET category = 'luck'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE assessment_result SET score = 101", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "INSERT INTO training_assignment (id, plan_id, agent_id,"
                                         " due_at, created_at) VALUES ('ta8', 'tp9', 'a1', 2, 1)",
                                     &error));   /* once per plan and agent */
  g_clear_error (&error);
  /* a session's goals and actions go with it */
  g_assert_true (_assay_store_exec (db, "DELETE FROM coaching_session", &error));
  g_assert_cmpint (query_int (db, "SELECT (SELECT count(*) FROM coaching_goal)"
                                  " + (SELECT count(*) FROM coaching_action)"), ==, 0);
}

/* An evaluation from schema 1 on: step 5 gives it a review time of 0. */
static void
insert_evaluation_sample (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_assay_store_exec (db,
    "INSERT INTO staff (id, name) VALUES ('s1', 'Liu Yang');"
    "INSERT INTO form (id, name, created_at) VALUES ('f9', 'Service', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('v9', 'f9', 1, '{}', 1);"
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
    "  created_at, updated_at) VALUES ('e1', 'i1', 'v9', 's1', 'draft', 1, 2);", &error));
  g_assert_no_error (error);
}

static void
check_evaluation_sample (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (query_int (db, "SELECT updated_at FROM evaluation WHERE id = 'e1'"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT review_s FROM evaluation WHERE id = 'e1'"), ==, 0);
  /* 5: review time is never negative; transcripts hold a JSON array, one per kind */
  g_assert_false (_assay_store_exec (db, "UPDATE evaluation SET review_s = -1", &error));
  g_clear_error (&error);
  g_assert_true (_assay_store_exec (db,
    "INSERT INTO transcript (id, interaction_id, kind, format, segments, n_segments, created_at)"
    "  VALUES ('t1', 'i1', 'call_transcript', 'vtt', '[{\"speaker\":\"A\"}]', 1, 0)", &error));
  g_assert_no_error (error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO transcript (id, interaction_id, kind, format, segments, n_segments, created_at)"
    "  VALUES ('t2', 'i1', 'call_transcript', 'srt', '[]', 1, 0)", &error));   /* one a kind */
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO transcript (id, interaction_id, kind, format, segments, n_segments, created_at)"
    "  VALUES ('t3', 'i1', 'conversation', 'conversation', '{}', 1, 0)", &error));   /* not an array */
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO transcript (id, interaction_id, kind, format, segments, n_segments, created_at)"
    "  VALUES ('t4', 'i1', 'chat', 'json', '[]', 1, 0)", &error));   /* kind */
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO transcript (id, interaction_id, kind, format, segments, n_segments, created_at)"
    "  VALUES ('t5', 'i1', 'conversation', 'docx', '[]', 1, 0)", &error));   /* format */
  g_clear_error (&error);
  g_assert_true (_assay_store_exec (db, "DELETE FROM transcript", &error));
  /* 8: an evaluation the migration finds starts as saved locally (it was never synced), and
   * only the five sync states are allowed; the server copy of an object has a rev >= 1 */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation WHERE id = 'e1'"
                                  " AND sync_state = 'local'"), ==, 1);
  g_assert_false (_assay_store_exec (db, "UPDATE evaluation SET sync_state = 'lost'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "INSERT INTO sync_object (collection, id, rev, data)"
                                         " VALUES ('teams', 't1', 0, '{}')", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "INSERT INTO evaluation_conflict (id, evaluation_id, kind,"
                                         " op_id, action, created_at)"
                                         " VALUES ('c1', 'e1', 'merged', 'o1', 'update', 0)", &error));
  g_clear_error (&error);
  /* 9: one signed-in account at most, with its server, login, staff id and roles */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sync_account"), ==, 0);
  g_assert_true (_assay_store_exec (db, "INSERT INTO sync_account (id, server_url, login, user_id,"
                                        " roles, signed_in_at) VALUES (1, 'https://qa.example.org',"
                                        " 'inspector', 's1', 'inspector', 5)", &error));
  g_assert_no_error (error);
  g_assert_false (_assay_store_exec (db, "INSERT INTO sync_account (id, server_url, login, user_id,"
                                         " roles, signed_in_at) VALUES (2, 'https://b.example.org',"
                                         " 'lead', 's2', 'lead', 5)", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE sync_account SET login = NULL", &error));
  g_clear_error (&error);
  g_assert_true (_assay_store_exec (db, "DELETE FROM sync_account", &error));
  /* the evaluation sample is still there and still the staff's */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation WHERE id = 'e1'"
                                  " AND inspector_id = 's1'"), ==, 1);
}

/* 11: disputes, their steps and acknowledgements, on the evaluation the older schema held */
static void
check_disputes (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM dispute_stage"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT role = 'manager' AND deadline_days = 5 FROM dispute_stage"
                                  " WHERE position = 2"), ==, 1);
  g_assert_true (_assay_store_exec (db,
    "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, author_id, created_at)"
    "  VALUES ('r9', 'e1', 1, '{}', 's1', 5);"
    "INSERT INTO dispute (id, evaluation_id, revision_id, raised_by, items, reason, current_step,"
    "  raised_at) VALUES ('d1', 'e1', 'r9', 's1', '[\"fix\"]', 'too harsh', 1, 6);"
    "INSERT INTO dispute_step (dispute_id, position, role, deadline_days, started_at, due_at)"
    "  VALUES ('d1', 1, 'lead', 3, 6, 7);", &error));
  g_assert_no_error (error);
  /* open means a current step; one open dispute an evaluation; the enumerations */
  g_assert_false (_assay_store_exec (db, "UPDATE dispute SET current_step = NULL", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE dispute SET state = 'lost', current_step = NULL",
                                     &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO dispute (id, evaluation_id, revision_id, raised_by, items, reason, current_step,"
    "  raised_at) VALUES ('d2', 'e1', 'r9', 's1', '[]', 'again', 1, 6)", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE dispute SET items = 'fix'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE dispute_step SET decision = 'upheld'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE dispute_step SET decision = 'maybe',"
                                         " reason = 'other', decided_at = 8", &error));
  g_clear_error (&error);
  g_assert_true (_assay_store_exec (db, "UPDATE dispute_step SET decision = 'rejected',"
                                        " reason = 'evaluation_correct', decided_at = 8;"
                                        "UPDATE dispute SET state = 'rejected', current_step = NULL",
                                    &error));
  g_assert_no_error (error);
  g_assert_true (_assay_store_exec (db,
    "INSERT INTO acknowledgement (id, kind, object_id, revision_id, by_id, created_at)"
    "  VALUES ('k1', 'evaluation', 'e1', 'r9', 's1', 9)", &error));
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO acknowledgement (id, kind, object_id, revision_id, by_id, created_at)"
    "  VALUES ('k2', 'evaluation', 'e1', 'r9', 's1', 9)", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO acknowledgement (id, kind, object_id, by_id, created_at)"
    "  VALUES ('k3', 'audit', 'e1', 's1', 9)", &error));
  g_clear_error (&error);
}

/* 12: the audit programme, on the staff, team and form the older schema held */
static void
check_audits (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_assay_store_exec (db,
    "INSERT INTO form (id, name, created_at) VALUES ('af', 'Audit', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('av', 'af', 1, '{}', 1);"
    "INSERT INTO audit_programme (id, name, starts_at, ends_at, created_by, created_at)"
    "  VALUES ('ap', 'Q1', 1, 2, 's1', 0);"
    "INSERT INTO audit_scenario (id, programme_id, name, channel, team_id, form_version_id,"
    "  monthly_quota, created_at) VALUES ('as', 'ap', 'Test call', 'phone', 't1', 'av', 3, 0);"
    "INSERT INTO audit_shopper (id, name, phone, created_at) VALUES ('sh', 'Sam', '+861', 0);"
    "INSERT INTO audit_visit (id, scenario_id, shopper_id, due_at, created_at)"
    "  VALUES ('vi', 'as', 'sh', 10, 0);"
    "INSERT INTO audit (id, visit_id, scenario_id, form_version_id, shopper_id, author_id,"
    "  visited_at, draft_answers, created_at, updated_at)"
    "  VALUES ('au', 'vi', 'as', 'av', 'sh', 's1', 5, '{}', 5, 5);"
    "INSERT INTO audit_revision (id, audit_id, number, answers, author_id, created_at)"
    "  VALUES ('ar', 'au', 1, '{}', 's1', 6);"
    "INSERT INTO blob (sha256, size, media_type, created_at)"
    "  VALUES ('" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" "', 3,"
    "  'image/jpeg', 0);"
    "INSERT INTO audit_evidence (audit_id, item_id, sha256, file_name, added_at)"
    "  VALUES ('au', 'greeting', '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',"
    "  'door.jpg', 7);", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit a JOIN audit_scenario s"
                                  " ON s.id = a.scenario_id JOIN team t ON t.id = s.team_id"
                                  " WHERE t.id = 't1' AND a.state = 'draft'"), ==, 1);
  /* a target is needed; channels, quotas, states are enumerated; one audit a visit */
  g_assert_false (_assay_store_exec (db, "INSERT INTO audit_scenario (id, programme_id, name, channel,"
                                         " form_version_id, created_at)"
                                         " VALUES ('s2', 'ap', 'x', 'phone', 'av', 0)", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE audit_scenario SET channel = 'fax'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE audit_scenario SET monthly_quota = -1", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE audit SET state = 'lost'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE audit_programme SET ends_at = 0", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db,
    "INSERT INTO audit (id, visit_id, scenario_id, form_version_id, author_id, visited_at,"
    "  created_at, updated_at) VALUES ('a2', 'vi', 'as', 'av', 's1', 5, 5, 5)", &error));
  g_clear_error (&error);
  /* a matched contact carries when it was confirmed; revisions are append-only and an
   * amendment has a reason */
  g_assert_false (_assay_store_exec (db, "UPDATE audit SET interaction_id = 'i1'", &error));
  g_clear_error (&error);
  g_assert_true (_assay_store_exec (db, "UPDATE audit SET interaction_id = 'i1', matched_at = 9",
                                    &error));
  g_assert_false (_assay_store_exec (db, "DELETE FROM audit_revision", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE audit_revision SET score = 100", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "INSERT INTO audit_revision (id, audit_id, number, answers,"
                                         " author_id, created_at) VALUES ('r2', 'au', 2, '{}', 's1', 7)",
                                     &error));
  g_clear_error (&error);
  /* a blob is named by its SHA-256 in lower-case hex */
  g_assert_false (_assay_store_exec (db, "INSERT INTO blob (sha256, size, media_type, created_at)"
                                         " VALUES ('XYZ', 1, 'image/png', 0)", &error));
  g_clear_error (&error);
}

static void
test_migrate_from_empty (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *journal = NULL;
  sqlite3 *db = _assay_store_connect (path, &error);

  g_assert_no_error (error);
  g_assert_true (_assay_store_migrate (db, _assay_store_schema_version (), &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, _assay_store_schema_version ());
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 2);   /* FULL */
  journal = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  integrity = query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  /* every table is STRICT */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                                  " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%STRICT'"), ==, 0);
  /* migrating again is a no-op */
  g_assert_true (_assay_store_migrate (db, _assay_store_schema_version (), &error));
  sqlite3_close_v2 (db);
}

static void
test_migrate_from_each_version (void)
{
  for (int from = 1; from < _assay_store_schema_version (); from++)
    {
      g_autofree char *path = temp_db ();
      g_autoptr(GError) error = NULL;
      sqlite3 *db = _assay_store_connect (path, &error);

      g_test_message ("migrating from schema %d", from);
      g_assert_true (_assay_store_migrate (db, from, &error));
      g_assert_no_error (error);
      g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, from);
      insert_sample (db);
      insert_evaluation_sample (db);
      sqlite3_close_v2 (db);

      db = _assay_store_connect (path, &error);
      g_assert_true (_assay_store_migrate (db, _assay_store_schema_version (), &error));
      g_assert_no_error (error);
      g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, _assay_store_schema_version ());
      check_sample (db);
      check_calibration (db);
      check_evaluation_sample (db);
      check_coaching (db);
      check_disputes (db);
      check_audits (db);
      sqlite3_close_v2 (db);
    }
}

static void
test_rules (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;
  sqlite3 *db = _assay_store_connect (path, &error);

  g_assert_true (_assay_store_migrate (db, _assay_store_schema_version (), &error));
  insert_sample (db);

  /* foreign keys */
  g_assert_false (_assay_store_exec (db, "INSERT INTO agent (id, team_id, name, employee_code)"
                                         " VALUES ('a2', 'nope', 'X', 'E002')", &error));
  g_clear_error (&error);
  /* CHECK-constrained enumerations and ranges */
  g_assert_false (_assay_store_exec (db, "UPDATE interaction SET channel = 'fax'", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE interaction SET csat = 6", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "UPDATE interaction SET nps = 11", &error));
  g_clear_error (&error);
  /* STRICT rejects text in an integer column */
  g_assert_false (_assay_store_exec (db, "UPDATE interaction SET talk_s = 'long'", &error));
  g_clear_error (&error);

  /* KPI tables (step 6): enumerations, and summaries kept by triggers */
  g_assert_false (_assay_store_exec (db, "INSERT INTO kpi_target (id, kpi, target, warning, from_at,"
                                         " created_at) VALUES ('k1', 'happiness', 1, 0, 0, 0)",
                                     &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "INSERT INTO root_cause (id, category, created_at)"
                                         " VALUES ('r1', 'weather', 0)", &error));
  g_clear_error (&error);
  g_assert_false (_assay_store_exec (db, "INSERT INTO callback (id, interaction_id, reason, state,"
                                         " created_at, updated_at)"
                                         " VALUES ('c1', 'i1', 'low_csat', 'maybe', 0, 0)", &error));
  g_clear_error (&error);
  g_assert_true (_assay_store_exec (db, "INSERT INTO root_cause (id, category, created_at)"
                                        " VALUES ('r1', 'people', 0)", &error));
  g_assert_false (_assay_store_exec (db, "INSERT INTO root_cause_tag (id, root_cause_id, kind,"
                                         " object_id, created_at)"
                                         " VALUES ('t1', 'r1', 'kpi_breach', 'centre', 0)", &error));
  g_clear_error (&error);
  g_assert_true (_assay_store_exec (db, "UPDATE interaction SET csat = 2, abandoned = 1", &error));
  g_assert_cmpint (query_int (db, "SELECT csat_ok + handled FROM kpi_contact_day"), ==, 0);

  /* a published form version is immutable */
  g_assert_true (_assay_store_exec (db,
    "INSERT INTO form (id, name, created_at) VALUES ('f1', 'Service', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('v1', 'f1', 1, '{}', 1);", &error));
  g_assert_false (_assay_store_exec (db, "UPDATE form_version SET definition = '{\"x\":1}'", &error));
  g_assert_nonnull (strstr (error->message, "published"));
  g_clear_error (&error);
  sqlite3_close_v2 (db);
}

static void
test_too_new (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  sqlite3 *db = _assay_store_connect (path, &error);

  g_assert_true (_assay_store_exec (db, "PRAGMA user_version = 999", &error));
  sqlite3_close_v2 (db);

  store = assay_store_new (path);
  g_assert_false (assay_store_open_sync (store, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_TOO_NEW);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "this is a text file, not SQLite, with enough bytes"
                                      " to have a header of its own .................", -1, NULL));
  store = assay_store_new (path);
  g_assert_false (assay_store_open_sync (store, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, path));
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  int *state = user_data;
  g_autoptr(GError) error = NULL;

  *state = assay_store_open_finish (ASSAY_STORE (source), result, &error) ? 1 : 2;
  g_assert_no_error (error);
}

static void
test_open_async_creates_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "deeper", "assay.db", NULL);
  g_autoptr(AssayStore) store = assay_store_new (path);
  int state = 0;

  assay_store_open_async (store, NULL, open_cb, &state);
  while (state == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (state, ==, 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  assay_store_close (store);
  /* closing twice is harmless */
  assay_store_close (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/migrate/from-empty", test_migrate_from_empty);
  g_test_add_func ("/store/migrate/from-each-version", test_migrate_from_each_version);
  g_test_add_func ("/store/schema/rules", test_rules);
  g_test_add_func ("/store/open/too-new", test_too_new);
  g_test_add_func ("/store/open/not-a-database", test_not_a_database);
  g_test_add_func ("/store/open/async-creates-folder", test_open_async_creates_folder);
  return g_test_run ();
}
