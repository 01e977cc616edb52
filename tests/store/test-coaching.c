/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "test-db.h"
#include "store/assay-store-coaching.h"

#define LEAD    "30000000-0000-4000-8000-00000000000a"
#define INSP    "30000000-0000-4000-8000-000000000001"
#define AGENT_1 "10000000-0000-4000-8000-000000000001"
#define AGENT_2 "10000000-0000-4000-8000-000000000002"
#define T0      G_GINT64_CONSTANT (1795176000000)   /* 2026-11-20 12:00 UTC, interaction 0 */
#define MINUTE  G_GINT64_CONSTANT (60000)
#define DAY     (24 * 60 * MINUTE)

/* greeting passed in interaction i unless i / 6 is a multiple of 3 or i is 66 */
static gboolean
greeting_passed (int i)
{
  return (i / 6) % 3 != 0 && i != 66;
}

/* 120 interactions; agent 1 has every sixth (i = 0, 6, ..., 114), each evaluated and submitted,
 * plus one draft (i = 6) that must not count */
static AssayStore *
coaching_db (void)
{
  AssayStore *store = test_db_new (120);

  test_db_add_review_form (store);
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES ('" LEAD "', 'Lena Lead', 'lead'),"
    " ('" INSP "', 'Ann', 'inspector');"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 6 FROM n WHERE i + 6 < 120)"
    " INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
    "   current_revision_id, created_at, updated_at)"
    " SELECT printf('50000000-0000-4000-8000-%012d', i), printf('20000000-0000-4000-8000-%012d', i),"
    "   '" TEST_FORM_VERSION_ID "', '" INSP "', 'submitted', printf('r-%d', i), 1, 1 FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 6 FROM n WHERE i + 6 < 120)"
    " INSERT INTO evaluation_revision (id, evaluation_id, number, answers, author_id, created_at)"
    " SELECT printf('r-%d', i), printf('50000000-0000-4000-8000-%012d', i), 1,"
    "   json_object ('answers', json_object ('greeting', json_object ('value',"
    "     CASE WHEN (i / 6) % 3 != 0 AND i != 66 THEN 'yes' ELSE 'no' END),"
    "     'disclosure', json_object ('value', 'yes'))), '" INSP "', 1 FROM n;"
    "UPDATE evaluation SET state = 'draft' WHERE id = '50000000-0000-4000-8000-000000000006';");
  return store;
}

static char *
new_session (AssayStore *store,
             const char *evaluation_id,
             gint64      at)
{
  AssayCoachingSessionSpec spec = { AGENT_1, LEAD, evaluation_id, NULL, at, "Identity checks" };
  g_autoptr(GError) error = NULL;
  char *id = assay_store_create_coaching_session_sync (store, &spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

/* A session made from an evaluation coaches its agent on the items it lost; it queues its
 * create operation and is listed for the lead and for that agent only. */
static void
test_create_from_evaluation (void)
{
  g_autoptr(AssayStore) store = coaching_db ();
  g_autoptr(GError) error = NULL;
  AssayCoachingSessionSpec spec = { NULL, LEAD, "50000000-0000-4000-8000-000000000000", NULL,
                                    T0, NULL };
  g_autofree char *id = assay_store_create_coaching_session_sync (store, &spec, &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) other = NULL;
  AssayCoachingSessionRecord *r;

  g_assert_no_error (error);
  all = assay_store_list_coaching_sessions_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  r = g_ptr_array_index (all, 0);
  g_assert_cmpstr (r->id, ==, id);
  g_assert_cmpstr (r->agent_id, ==, AGENT_1);   /* from the evaluation */
  g_assert_cmpstr (r->agent_name, ==, "Wang Fang");
  g_assert_cmpstr (r->source, ==, "evaluation");
  g_assert_cmpstr (r->focus, ==, "[\"greeting\"]");   /* interaction 0 lost the greeting */
  g_assert_cmpstr (r->state, ==, "planned");
  g_assert_cmpint (r->acknowledged_at, ==, 0);

  mine = assay_store_list_coaching_sessions_sync (store, AGENT_1, &error);
  g_assert_cmpuint (mine->len, ==, 1);
  other = assay_store_list_coaching_sessions_sync (store, AGENT_2, &error);
  g_assert_cmpuint (other->len, ==, 0);   /* an agent sees nothing of another's coaching */

  /* the session synced: a create of it in the outbox (members in camelCase), the row dirty */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE collection ="
                                             " 'coaching_sessions' AND action = 'create'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE json_extract (data, '$.agentId') = '" AGENT_1 "'"
                                             " AND json_extract (data, '$.source') = 'evaluation'"),
                   ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT dirty FROM coaching_session"), ==, 1);

  /* no agent, an unknown evaluation: refused with a message, nothing written */
  spec.evaluation_id = "nope";
  g_assert_null (assay_store_create_coaching_session_sync (store, &spec, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  spec.evaluation_id = NULL;
  g_assert_null (assay_store_create_coaching_session_sync (store, &spec, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM coaching_session"), ==, 1);
}

/* A goal's figure before the session and up to its deadline, against a recomputation. */
static void
test_goal_before_after (void)
{
  g_autoptr(AssayStore) store = coaching_db ();
  g_autoptr(GError) error = NULL;
  gint64 at = T0 - 60 * MINUTE;   /* interaction 60 */
  g_autofree char *session = new_session (store, NULL, at);
  g_autofree char *goal = NULL;
  g_autofree char *kpi_goal = NULL;
  g_autoptr(GPtrArray) goals = NULL;
  AssayCoachingGoalRecord *g;
  guint before_n = 0, before_yes = 0, after_n = 0, after_yes = 0;

  goal = assay_store_add_coaching_goal_sync (store, session, "Greeting in 60 % of calls",
                                             "greeting", NULL, 0.6, T0, &error);
  g_assert_no_error (error);
  kpi_goal = assay_store_add_coaching_goal_sync (store, session, "CSAT 85 %", NULL, "csat", 0.85,
                                                 T0 + 30 * DAY, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 120; i += 6)
    {
      gint64 started = T0 - i * MINUTE;

      if (i == 6)
        continue;   /* a draft */
      if (started < at && started >= at - 30 * DAY)
        before_n++, before_yes += greeting_passed (i);
      else if (started >= at && started <= T0)
        after_n++, after_yes += greeting_passed (i);
    }
  goals = assay_store_list_coaching_goals_sync (store, session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (goals->len, ==, 2);
  g = g_ptr_array_index (goals, 0);
  g_assert_cmpstr (g->id, ==, goal);
  g_assert_cmpuint (g->before_n, ==, before_n);
  g_assert_cmpuint (g->after_n, ==, after_n);
  g_assert_cmpfloat_with_epsilon (g->before, (double) before_yes / before_n, 1e-9);
  g_assert_cmpfloat_with_epsilon (g->after, (double) after_yes / after_n, 1e-9);
  g_assert_cmpint (g->met, ==, (double) after_yes / after_n >= 0.6);
  g_assert_true (g->before < g->after);   /* 9 before with 2 passed, 10 after with 6 */
  g = g_ptr_array_index (goals, 1);
  g_assert_cmpstr (g->kpi, ==, "csat");
  /* the share of answers 4 or 5 among agent 1's rated contacts, recomputed */
  {
    g_autofree char *n_before = g_strdup_printf (
      "SELECT count(csat) FROM interaction WHERE agent_id = '" AGENT_1 "'"
      " AND started_at >= %" G_GINT64_FORMAT " AND started_at < %" G_GINT64_FORMAT,
      at - 30 * DAY, at);
    g_autofree char *ok_before = g_strdup_printf (
      "SELECT count(*) FROM interaction WHERE agent_id = '" AGENT_1 "' AND csat >= 4"
      " AND started_at >= %" G_GINT64_FORMAT " AND started_at < %" G_GINT64_FORMAT,
      at - 30 * DAY, at);
    g_autofree char *n_after = g_strdup_printf (
      "SELECT count(csat) FROM interaction WHERE agent_id = '" AGENT_1 "'"
      " AND started_at >= %" G_GINT64_FORMAT " AND started_at <= %" G_GINT64_FORMAT,
      at, T0 + 30 * DAY);
    g_autofree char *ok_after = g_strdup_printf (
      "SELECT count(*) FROM interaction WHERE agent_id = '" AGENT_1 "' AND csat >= 4"
      " AND started_at >= %" G_GINT64_FORMAT " AND started_at <= %" G_GINT64_FORMAT,
      at, T0 + 30 * DAY);
    gint64 nb = test_db_query_int (store, n_before);
    gint64 na = test_db_query_int (store, n_after);

    g_assert_cmpint (nb, >, 0);
    g_assert_cmpint (na, >, 0);
    g_assert_cmpuint (g->before_n, ==, nb);
    g_assert_cmpuint (g->after_n, ==, na);
    g_assert_cmpfloat_with_epsilon (g->before, (double) test_db_query_int (store, ok_before) / nb,
                                    1e-9);
    g_assert_cmpfloat_with_epsilon (g->after, (double) test_db_query_int (store, ok_after) / na,
                                    1e-9);
    g_assert_cmpint (g->met, ==, g->after >= 0.85);
  }
  /* a KPI the goals do not measure, or a share above 100 %, is refused */
  g_assert_null (assay_store_add_coaching_goal_sync (store, session, "x", NULL, "aht", 0.5, T0,
                                                     &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (assay_store_add_coaching_goal_sync (store, session, "x", NULL, "csat", 85, T0,
                                                     &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* a goal measured by nothing, or a share above 100 %, is refused */
  g_assert_null (assay_store_add_coaching_goal_sync (store, session, "x", NULL, NULL, 1, T0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (assay_store_add_coaching_goal_sync (store, session, "x", "greeting", NULL, 1.5,
                                                     T0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'coaching_goals'"), ==, 2);
}

/* Overdue counts whole local days: due on a day, overdue from the next day's midnight in the
 * user's zone (Asia/Shanghai here, UTC+8), not UTC's. */
static void
test_overdue_day_boundary (void)
{
  g_autoptr(AssayStore) store = coaching_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) due = g_date_time_new (shanghai, 2026, 12, 1, 23, 30, 0);
  g_autoptr(GDateTime) same_day = g_date_time_new (shanghai, 2026, 12, 1, 23, 59, 59);
  g_autoptr(GDateTime) next_day = g_date_time_new (shanghai, 2026, 12, 2, 0, 0, 0);
  g_autoptr(GDateTime) utc_next = NULL;
  g_autofree char *session = new_session (store, NULL, T0);
  g_autofree char *action = NULL;
  g_autofree char *done = NULL;
  g_autoptr(GPtrArray) list = NULL;
  AssayOverdueRecord *r;

  g_assert_nonnull (shanghai);
  action = assay_store_add_coaching_action_sync (store, session, "Listen to two model calls",
                                                 "agent", g_date_time_to_unix (due) * 1000,
                                                 &error);
  g_assert_no_error (error);
  done = assay_store_add_coaching_action_sync (store, session, "Book the follow-up", "coach",
                                               g_date_time_to_unix (due) * 1000, &error);
  g_assert_true (assay_store_set_coaching_action_done_sync (store, done, TRUE, &error));
  g_assert_no_error (error);

  list = assay_store_list_overdue_sync (store, same_day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* 2 Dec 00:00 in Shanghai is 1 Dec 16:00 UTC: overdue there */
  list = assay_store_list_overdue_sync (store, next_day, &error);
  g_assert_cmpuint (list->len, ==, 1);
  r = g_ptr_array_index (list, 0);
  g_assert_cmpstr (r->kind, ==, "coaching_action");
  g_assert_cmpstr (r->id, ==, action);
  g_assert_cmpstr (r->who, ==, "Wang Fang");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* the same instant seen in UTC is still 1 Dec: not overdue yet */
  utc_next = g_date_time_to_utc (next_day);
  list = assay_store_list_overdue_sync (store, utc_next, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* done, it leaves the list; open again, it is back */
  g_assert_true (assay_store_set_coaching_action_done_sync (store, action, TRUE, &error));
  list = assay_store_list_overdue_sync (store, next_day, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (assay_store_set_coaching_action_done_sync (store, action, FALSE, &error));
  list = assay_store_list_overdue_sync (store, next_day, &error);
  g_assert_cmpuint (list->len, ==, 1);

  /* each change queued: 2 creates and 3 updates carrying the done time */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'coaching_actions'"), ==, 5);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE collection ="
                                             " 'coaching_actions' AND action = 'update'"
                                             " AND json_extract (data, '$.doneAt') > 0"), ==, 2);
}

/* Only the coached agent acknowledges, once, with an optional comment. */
static void
test_acknowledge (void)
{
  g_autoptr(AssayStore) store = coaching_db ();
  g_autoptr(GError) error = NULL;
  g_autofree char *session = new_session (store, NULL, T0);
  g_autoptr(GPtrArray) list = NULL;
  AssayCoachingSessionRecord *r;

  g_assert_false (assay_store_acknowledge_coaching_sync (store, session, AGENT_2, "not mine",
                                                         &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (assay_store_acknowledge_coaching_sync (store, session, AGENT_1,
                                                        "  I will check the ID first  ", &error));
  g_assert_no_error (error);
  g_assert_false (assay_store_acknowledge_coaching_sync (store, session, AGENT_1, NULL, &error));
  g_clear_error (&error);
  list = assay_store_list_coaching_sessions_sync (store, AGENT_1, &error);
  r = g_ptr_array_index (list, 0);
  g_assert_cmpint (r->acknowledged_at, >, 0);
  g_assert_cmpstr (r->ack_comment, ==, "I will check the ID first");
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE action = 'update'"
                                             " AND json_extract (data, '$.ackComment') ="
                                             " 'I will check the ID first'"), ==, 1);
}

/* The tables keep their rules: priorities follow impact and effort, states are checked. */
static void
test_schema_rules (void)
{
  g_autoptr(AssayStore) store = coaching_db ();

  test_db_exec (store,
    "INSERT INTO improvement_action (id, problem, category, impact, effort, created_at, updated_at)"
    " VALUES ('m1', 'ID not verified', 'process', 2, 1, 0, 0),"
    " ('m2', 'Slow CRM', 'technology', 2, 2, 0, 0), ('m3', 'Noise', 'environment', 1, 1, 0, 0),"
    " ('m4', 'Rota', 'resources', 1, 2, 0, 0);");
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM improvement_action WHERE"
                                             " (id, priority) IN (VALUES ('m1', 'P1'), ('m2', 'P2'),"
                                             " ('m3', 'P3'), ('m4', 'P4'))"), ==, 4);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM pragma_index_list"
                                             " ('coaching_action')"), >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/coaching/create-from-evaluation", test_create_from_evaluation);
  g_test_add_func ("/coaching/goal-before-after", test_goal_before_after);
  g_test_add_func ("/coaching/overdue-day-boundary", test_overdue_day_boundary);
  g_test_add_func ("/coaching/acknowledge", test_acknowledge);
  g_test_add_func ("/coaching/schema-rules", test_schema_rules);
  return g_test_run ();
}
