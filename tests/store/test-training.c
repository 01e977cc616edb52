/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "test-db.h"
#include "store/assay-store-coaching.h"
#include "store/assay-store-training.h"

#define INSP    "30000000-0000-4000-8000-000000000001"
#define LEAD    "30000000-0000-4000-8000-00000000000a"
#define AGENT(n) "10000000-0000-4000-8000-00000000000" #n
#define T0      G_GINT64_CONSTANT (1795176000000)   /* 2026-11-20 12:00 UTC, interaction 0 */
#define DAY     (24 * 3600 * G_GINT64_CONSTANT (1000))
#define NOW     (T0 + DAY)

/* An evaluation of interaction @i answering @item "no" (every other item "yes"). */
#define EVAL(i, item, state) \
  "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state," \
  " current_revision_id, created_at, updated_at) VALUES ('e-" #i "'," \
  " printf('20000000-0000-4000-8000-%012d', " #i "), '" TEST_FORM_VERSION_ID "', '" INSP "'," \
  " '" state "', 'r-" #i "', 1, 1);" \
  "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, author_id, created_at)" \
  " VALUES ('r-" #i "', 'e-" #i "', 1, json_object ('answers', json_object (" \
  " 'greeting', json_object ('value', CASE '" item "' WHEN 'greeting' THEN 'no' ELSE 'yes' END)," \
  " 'disclosure', json_object ('value', CASE '" item "' WHEN 'disclosure' THEN 'no'" \
  " ELSE 'yes' END))), '" INSP "', 1);"

/*
 * 120 contacts a minute apart before T0, agent i % 6 + 1. Agents 2–6 also had a contact 60 days
 * before, so only agent 1 is in their first two weeks. Evaluations (answers "no"):
 * agent 2 greeting twice (i 1, 7) → picked; agent 3 greeting once (i 2) → not;
 * agent 4 greeting at i 3 and 40 days ago → not; agent 5 greeting twice, one a draft (i 4, 10)
 * → not; agent 6 disclosure twice (i 5, 11) → picked for disclosure only.
 */
static AssayStore *
training_db (void)
{
  AssayStore *store = test_db_new (120);

  test_db_add_review_form (store);
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES ('" INSP "', 'Ann', 'inspector'),"
    " ('" LEAD "', 'Lena', 'lead');"
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, customer_ref, started_at)"
    " SELECT printf('20000000-0000-4000-8000-%012d', 1000 + a), 'phone', 'Billing',"
    "   printf('10000000-0000-4000-8000-%012d', a), ag.team_id, 'C-old', 1795176000000 - 60 * 86400000"
    " FROM (SELECT 2 AS a UNION SELECT 3 UNION SELECT 5 UNION SELECT 6) JOIN agent ag"
    "   ON ag.id = printf('10000000-0000-4000-8000-%012d', a);"
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, customer_ref, started_at)"
    " VALUES (printf('20000000-0000-4000-8000-%012d', 1004), 'phone', 'Billing', '" AGENT (4) "',"
    "   (SELECT team_id FROM agent WHERE id = '" AGENT (4) "'), 'C-old',"
    "   1795176000000 - 40 * 86400000);"
    EVAL (1, "greeting", "submitted") EVAL (7, "greeting", "submitted")
    EVAL (2, "greeting", "submitted") EVAL (8, "none", "submitted")
    EVAL (3, "greeting", "submitted") EVAL (1004, "greeting", "submitted")
    EVAL (4, "greeting", "submitted") EVAL (10, "greeting", "draft")
    EVAL (5, "disclosure", "submitted") EVAL (11, "disclosure", "submitted"));
  return store;
}

static void
assert_agents (char       **got,
               const char  *want)
{
  g_autofree char *joined = g_strjoinv (",", got);

  g_assert_cmpstr (joined, ==, want);
}

/* Who each rule picks, on seeded data with known answers. */
static void
test_rules (void)
{
  g_autoptr(AssayStore) store = training_db ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) hires = NULL, later = NULL, team2 = NULL, greeting = NULL, disclosure = NULL;
  g_auto(GStrv) greeting_billing = NULL;

  hires = assay_store_training_rule_agents_sync (store, "new_hire", NULL, NULL, NOW, &error);
  g_assert_no_error (error);
  assert_agents (hires, AGENT (1));
  /* 15 days on, agent 1 is past their first two weeks */
  later = assay_store_training_rule_agents_sync (store, "new_hire", NULL, NULL, NOW + 14 * DAY,
                                                 &error);
  assert_agents (later, "");
  team2 = assay_store_training_rule_agents_sync (store, "new_hire", NULL,
                                                 "00000000-0000-4000-8000-000000000002", NOW,
                                                 &error);
  assert_agents (team2, "");

  greeting = assay_store_training_rule_agents_sync (store, "failed_item", "greeting", NULL, NOW,
                                                    &error);
  g_assert_no_error (error);
  assert_agents (greeting, AGENT (2));
  disclosure = assay_store_training_rule_agents_sync (store, "failed_item", "disclosure", NULL,
                                                      NOW, &error);
  assert_agents (disclosure, AGENT (6));
  /* agent 2 is in Billing (team 1), agent 6 is not */
  greeting_billing = assay_store_training_rule_agents_sync (store, "failed_item", "greeting",
                                                            "00000000-0000-4000-8000-000000000001",
                                                            NOW, &error);
  assert_agents (greeting_billing, AGENT (2));

  g_assert_null (assay_store_training_rule_agents_sync (store, "failed_item", NULL, NULL, NOW,
                                                        &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (assay_store_training_rule_agents_sync (store, "lucky", NULL, NULL, NOW, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
}

/* A plan by rule assigns whom the rule picks, due after its days; applying it again adds only
 * agents the rule picks since; every write queues its operation. */
static void
test_plan_by_rule (void)
{
  g_autoptr(AssayStore) store = training_db ();
  g_autoptr(GError) error = NULL;
  AssayTrainingPlanSpec spec = { "Greeting refresher", NULL, NULL, "failed_item", "greeting", 14,
                                 LEAD, NULL };
  g_autofree char *plan = assay_store_create_training_plan_sync (store, &spec, NOW, &error);

  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM training_assignment"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM training_assignment"
                                             " WHERE agent_id = '" AGENT (2) "'"
                                             " AND due_at = 1795176000000 + 15 * 86400000"), ==, 1);
  g_assert_cmpint (assay_store_apply_training_rule_sync (store, plan, NOW, &error), ==, 0);
  /* agent 3 fails the greeting again (interaction 14) */
  test_db_exec (store, EVAL (14, "greeting", "submitted"));
  g_assert_cmpint (assay_store_apply_training_rule_sync (store, plan, NOW, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE collection ="
                                             " 'training_plans'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE collection ="
                                             " 'training_assignments'"), ==, 2);

  /* a plan with a rule it cannot apply writes nothing */
  spec.item_id = NULL;
  g_assert_null (assay_store_create_training_plan_sync (store, &spec, NOW, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM training_plan"), ==, 1);
}

/* By hand: the agents named; completion; an agent lists only their own; the Overdue list
 * shows what is not completed after its day. */
static void
test_manual_and_overdue (void)
{
  g_autoptr(AssayStore) store = training_db ();
  g_autoptr(GError) error = NULL;
  const char *agents[] = { AGENT (1), AGENT (5), NULL };
  AssayTrainingPlanSpec spec = { "Onboarding", NULL, NULL, "manual", NULL, 7, LEAD, agents };
  g_autofree char *plan = assay_store_create_training_plan_sync (store, &spec, NOW, &error);
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GDateTime) later = g_date_time_new_from_unix_utc ((NOW + 9 * DAY) / 1000);
  AssayTrainingAssignmentRecord *r;

  g_assert_no_error (error);
  mine = assay_store_list_training_sync (store, AGENT (5), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 1);
  r = g_ptr_array_index (mine, 0);
  g_assert_cmpstr (r->agent_id, ==, AGENT (5));
  g_assert_cmpstr (r->plan_title, ==, "Onboarding");
  g_assert_true (assay_store_complete_training_sync (store, r->id, TRUE, &error));
  g_assert_no_error (error);

  overdue = assay_store_list_overdue_sync (store, later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, 1);   /* agent 1's; agent 5 completed */
  g_assert_cmpstr (((AssayOverdueRecord *) g_ptr_array_index (overdue, 0))->kind, ==, "training");
  g_assert_cmpstr (((AssayOverdueRecord *) g_ptr_array_index (overdue, 0))->who, ==, "Wang Fang");

  spec.agent_ids = NULL;
  g_assert_null (assay_store_create_training_plan_sync (store, &spec, NOW, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/training/rules", test_rules);
  g_test_add_func ("/training/plan-by-rule", test_plan_by_rule);
  g_test_add_func ("/training/manual-and-overdue", test_manual_and_overdue);
  return g_test_run ();
}
