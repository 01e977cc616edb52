/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The review queue: draws in one transaction, replays, centre assignments, states, progress. */
#include <string.h>

#include "store/assay-store-queue.h"
#include "test-db.h"

#define MONDAY_NOV_16 G_GINT64_CONSTANT (1794787200000)   /* 2026-11-16T00:00:00Z */
#define DAY_MS        G_GINT64_CONSTANT (86400000)
#define WEEK_MS       (7 * DAY_MS)
#define FORM_VERSION  "41000000-0000-4000-8000-000000000001"
#define OTHER         "30000000-0000-4000-8000-000000000002"
#define RULE_JSON     "{\"test\":true}"

static void
add_form (AssayStore *store)
{
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES ('" OTHER "', 'Priya Nair', 'inspector');"
    "INSERT INTO form (id, name, created_at) VALUES ('40000000-0000-4000-8000-000000000001', 'Service', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('" FORM_VERSION "', '40000000-0000-4000-8000-000000000001', 1, '{}', 1);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('41000000-0000-4000-8000-000000000002', '40000000-0000-4000-8000-000000000001', 2, '{}', NULL);");
}

/* 3000 contacts, one a minute back from Fri 2026-11-20 12:00: Nov 18 10:00 to Nov 20 12:00 */
static AssayStore *
queue_db (void)
{
  AssayStore *store = test_db_new (3000);

  add_form (store);
  return store;
}

static AssaySamplingRule *
week_rule (guint n)
{
  AssaySamplingRule *rule = assay_sampling_rule_new ();

  rule->per_agent_per_week = n;
  rule->from_ms = MONDAY_NOV_16;
  rule->to_ms = MONDAY_NOV_16 + WEEK_MS;
  return rule;
}

static AssayDrawResult *
draw (AssayStore              *store,
      const AssaySamplingRule *rule,
      guint64                  seed)
{
  g_autoptr(GError) error = NULL;
  AssayDrawResult *r = assay_store_draw_sync (store, rule, RULE_JSON, seed, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static char *
picks_of (AssayStore *store,
          const char *draw_id)
{
  /* the picked interactions as one comparable text: their row numbers, in order */
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM assignment WHERE draw_id = '%s'",
                                                draw_id);
  gint64 n = test_db_query_int (store, count_sql);

  for (gint64 i = 0; i < n; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT CAST(substr(interaction_id, 25) AS INTEGER)"
                                              " FROM assignment WHERE draw_id = '%s'"
                                              " ORDER BY interaction_id LIMIT 1 OFFSET %" G_GINT64_FORMAT,
                                              draw_id, i);
      g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? " " : "", test_db_query_int (store, sql));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_draw (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  g_autoptr(AssaySamplingRule) rule = week_rule (3);
  g_autoptr(AssayDrawResult) r = NULL;
  g_autofree char *sql = NULL;

  r = draw (store, rule, 12345);
  g_assert_cmpuint (r->n_drawn, ==, 6 * 3);
  g_assert_cmpuint (r->n_matching, ==, 3000);
  g_assert_cmpuint (r->n_taken, ==, 0);
  g_assert_cmpstr (r->form_version_id, ==, FORM_VERSION);   /* the newest published one */
  g_assert_cmpstr (r->inspector_id, ==, r->drawn_by);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM staff WHERE is_me = 1"), ==, 1);

  /* the draw row with its rule and seed, and one assignment per pick */
  sql = g_strdup_printf ("SELECT count(*) FROM sampling_draw WHERE id = '%s' AND rule = '" RULE_JSON "'"
                         " AND seed = 12345 AND drawn_at = %" G_GINT64_FORMAT " AND drawn_by = '%s'",
                         r->draw_id, r->drawn_at, r->drawn_by);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM assignment WHERE draw_id = '%s' AND source = 'sampling'"
                         " AND inspector_id = '%s' AND form_version_id = '" FORM_VERSION "'"
                         " AND due_at = %" G_GINT64_FORMAT, r->draw_id, r->inspector_id,
                         r->drawn_at + 7 * DAY_MS);
  g_assert_cmpint (test_db_query_int (store, sql), ==, 18);
  /* 3 per agent */
  g_assert_cmpint (test_db_query_int (store,
                     "SELECT count(*) FROM (SELECT i.agent_id FROM assignment a"
                     " JOIN interaction i ON i.id = a.interaction_id GROUP BY i.agent_id HAVING count(*) = 3)"),
                   ==, 6);
  /* the centre hears of it */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox WHERE collection = 'sampling_draws'"
                                             " AND action = 'create' AND data LIKE '%\"seed\":12345%'"), ==, 1);

  /* drawing again by the same rule tops up: nothing is missing, so nothing is drawn */
  {
    g_autoptr(AssayDrawResult) again = draw (store, rule, 777);
    g_autoptr(AssayDrawResult) more = NULL;

    g_assert_cmpuint (again->n_drawn, ==, 0);
    g_assert_cmpuint (again->n_taken, ==, 18);
    rule->per_agent_per_week = 5;
    more = draw (store, rule, 777);
    g_assert_cmpuint (more->n_drawn, ==, 6 * 2);
    g_assert_cmpint (test_db_query_int (store, "SELECT count(DISTINCT interaction_id) FROM assignment"), ==, 30);
  }
}

static void
test_reproducible (void)
{
  g_autoptr(AssayStore) a = queue_db ();
  g_autoptr(AssayStore) b = queue_db ();
  g_autoptr(AssaySamplingRule) rule = week_rule (4);
  g_autoptr(AssayDrawResult) ra = NULL;
  g_autoptr(AssayDrawResult) rb = NULL;
  g_autoptr(AssayDrawResult) rc = NULL;
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;
  g_autofree char *pc = NULL;

  rule->low_csat_weight = 3;
  ra = draw (a, rule, 4242);
  rb = draw (b, rule, 4242);
  g_assert_cmpstr (ra->draw_id, !=, rb->draw_id);
  pa = picks_of (a, ra->draw_id);
  pb = picks_of (b, rb->draw_id);
  g_assert_cmpstr (pa, ==, pb);
  g_assert_cmpint (test_db_query_int (a, "SELECT count(*) FROM assignment"), ==, 24);

  /* another seed, other picks */
  test_db_exec (b, "DELETE FROM assignment; DELETE FROM outbox; DELETE FROM sampling_draw;");
  rc = draw (b, rule, 4243);
  pc = picks_of (b, rc->draw_id);
  g_assert_cmpstr (pa, !=, pc);
}

static void
test_verify (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  g_autoptr(AssaySamplingRule) rule = week_rule (3);
  g_autoptr(AssaySamplingRule) other = week_rule (3);
  g_autoptr(AssayDrawResult) first = NULL;
  g_autoptr(AssayDrawResult) second = NULL;
  g_autoptr(AssayDrawCheck) check = NULL;
  g_autoptr(AssayDrawRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  first = draw (store, rule, 99);
  check = assay_store_verify_draw_sync (store, first->draw_id, rule, &error);
  g_assert_no_error (error);
  g_assert_true (check->matches);
  g_assert_cmpuint (check->n_stored, ==, 18);
  g_assert_cmpuint (check->n_replayed, ==, 18);
  g_clear_pointer (&check, g_free);

  record = assay_store_get_draw_sync (store, first->draw_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->rule_json, ==, RULE_JSON);
  g_assert_cmpuint (record->seed, ==, 99);
  g_assert_cmpuint (record->n_assignments, ==, 18);

  /* later work does not change what the draw saw: an evaluation, a centre assignment and
   * another draw, all made after it */
  sql = g_strdup_printf (
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state, created_at, updated_at)"
    " SELECT '50000000-0000-4000-8000-000000000001', i.id, '" FORM_VERSION "', '" OTHER "', 'draft',"
    "  %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " FROM interaction i"
    " WHERE i.id NOT IN (SELECT interaction_id FROM assignment) ORDER BY i.id LIMIT 1;",
    first->drawn_at + 1, first->drawn_at + 1);
  test_db_exec (store, sql);
  g_clear_pointer (&sql, g_free);
  {
    g_autofree char *id = assay_store_add_assignment_sync (store, "20000000-0000-4000-8000-000000000100",
                                                           OTHER, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_nonnull (id);
  }
  other->per_agent_per_week = 6;
  other->low_csat_weight = 5;
  second = draw (store, other, 100);
  g_assert_cmpuint (second->n_drawn, >, 0);
  check = assay_store_verify_draw_sync (store, first->draw_id, rule, &error);
  g_assert_no_error (error);
  g_assert_true (check->matches);
  g_clear_pointer (&check, g_free);
  check = assay_store_verify_draw_sync (store, second->draw_id, other, &error);
  g_assert_no_error (error);
  g_assert_true (check->matches);
  g_clear_pointer (&check, g_free);

  /* a replay with another rule, or tampered picks, do not match */
  check = assay_store_verify_draw_sync (store, first->draw_id, other, &error);
  g_assert_no_error (error);
  g_assert_false (check->matches);
  g_clear_pointer (&check, g_free);

  sql = g_strdup_printf ("UPDATE assignment SET interaction_id = '20000000-0000-4000-8000-000000002999'"
                         " WHERE id = (SELECT id FROM assignment WHERE draw_id = '%s' ORDER BY id LIMIT 1)",
                         first->draw_id);
  test_db_exec (store, sql);
  check = assay_store_verify_draw_sync (store, first->draw_id, rule, &error);
  g_assert_no_error (error);
  g_assert_false (check->matches);
  g_assert_cmpuint (check->n_missing, ==, 1);
  g_assert_cmpuint (check->n_extra, ==, 1);
  g_clear_pointer (&check, g_free);

  check = assay_store_verify_draw_sync (store, "no-such-draw", rule, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_assert_null (check);
}

static void
test_exclusions (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  g_autoptr(AssaySamplingRule) rule = week_rule (3);
  g_autoptr(AssayDrawResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *centre = NULL;

  /* row 0 is agent 1's and has a centre assignment; row 1 is agent 2's and was evaluated */
  centre = assay_store_add_assignment_sync (store, "20000000-0000-4000-8000-000000000000", OTHER,
                                            FORM_VERSION, MONDAY_NOV_16 + WEEK_MS, &error);
  g_assert_no_error (error);
  test_db_exec (store,
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state, created_at, updated_at)"
    " VALUES ('50000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001',"
    "  '" FORM_VERSION "', '" OTHER "', 'submitted', 1, 1);");

  r = draw (store, rule, 5);
  g_assert_cmpuint (r->n_taken, ==, 2);
  g_assert_cmpuint (r->n_drawn, ==, 6 * 3 - 2);
  g_assert_cmpint (test_db_query_int (store,
                     "SELECT count(*) FROM assignment WHERE source = 'sampling' AND interaction_id IN"
                     " ('20000000-0000-4000-8000-000000000000', '20000000-0000-4000-8000-000000000001')"),
                   ==, 0);
  g_assert_cmpint (test_db_query_int (store,
                     "SELECT count(*) FROM assignment a JOIN interaction i ON i.id = a.interaction_id"
                     " WHERE a.source = 'sampling' AND i.agent_id = '10000000-0000-4000-8000-000000000001'"),
                   ==, 2);

  /* abandoned contacts are never drawn: agent 6 abandoned everything but one */
  {
    g_autoptr(AssayDrawResult) more = NULL;

    test_db_exec (store, "UPDATE interaction SET abandoned = 1 WHERE agent_id = '10000000-0000-4000-8000-000000000006'"
                         " AND id NOT IN (SELECT interaction_id FROM assignment)"
                         " AND id != (SELECT min(id) FROM interaction"
                         "  WHERE agent_id = '10000000-0000-4000-8000-000000000006'"
                         "  AND id NOT IN (SELECT interaction_id FROM assignment))");
    rule->per_agent_per_week = 5;
    more = draw (store, rule, 6);
    g_assert_cmpuint (more->n_drawn, ==, 5 * 2 + 1);
    g_assert_cmpint (test_db_query_int (store,
                       "SELECT count(*) FROM assignment a JOIN interaction i ON i.id = a.interaction_id"
                       " WHERE i.abandoned = 1"), ==, 0);
  }
}

static void
test_filters (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  g_autoptr(AssaySamplingRule) rule = week_rule (1000);
  g_autoptr(AssayDrawResult) r = NULL;
  char *phone[] = { (char *) "phone", NULL };
  gint64 expected;

  rule->channels = g_strdupv (phone);
  rule->min_handle_s = 200;
  rule->max_handle_s = 500;
  rule->csat_max = 2;
  rule->due_days = 0;
  expected = test_db_query_int (store, "SELECT count(*) FROM interaction WHERE channel = 'phone'"
                                       " AND handle_s BETWEEN 200 AND 500 AND csat <= 2");
  g_assert_cmpint (expected, >, 5);
  r = draw (store, rule, 1);
  g_assert_cmpint (r->n_drawn, ==, expected);
  g_assert_cmpint (test_db_query_int (store,
                     "SELECT count(*) FROM assignment a JOIN interaction i ON i.id = a.interaction_id"
                     " WHERE i.channel = 'phone' AND i.handle_s BETWEEN 200 AND 500 AND i.csat <= 2"
                     " AND a.due_at IS NULL"), ==, expected);

  /* two queues: the list is filtered in core */
  {
    g_autoptr(AssaySamplingRule) two = week_rule (1000);
    g_autoptr(AssayDrawResult) r2 = NULL;
    char *queues[] = { (char *) "Support", (char *) "Sales", NULL };

    two->queues = g_strdupv (queues);
    two->csat_max = 1;
    r2 = draw (store, two, 1);
    g_assert_cmpint (r2->n_drawn, ==, test_db_query_int (store,
                       "SELECT count(*) FROM interaction WHERE queue IN ('Support', 'Sales') AND csat = 1"));
    g_assert_cmpint (test_db_query_int (store,
                       "SELECT count(*) FROM assignment a JOIN interaction i ON i.id = a.interaction_id"
                       " WHERE a.due_at IS NOT NULL AND i.queue = 'Billing'"), ==, 0);
  }
}

static void
test_errors (void)
{
  g_autoptr(AssayStore) bare = test_db_new (10);
  g_autoptr(AssayStore) store = queue_db ();
  g_autoptr(AssaySamplingRule) rule = week_rule (3);
  g_autoptr(AssayDrawResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  /* no scorecard: nothing to pin the assignments to, and nothing written */
  r = assay_store_draw_sync (bare, rule, RULE_JSON, 1, NULL, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, "publish one") != NULL);
  g_assert_null (r);
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (bare, "SELECT count(*) FROM sampling_draw"), ==, 0);

  rule->form_version_id = g_strdup ("41000000-0000-4000-8000-000000000002");   /* unpublished */
  r = assay_store_draw_sync (store, rule, RULE_JSON, 1, NULL, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_free (rule->form_version_id);
  rule->form_version_id = g_strdup ("nope");
  r = assay_store_draw_sync (store, rule, RULE_JSON, 1, NULL, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&rule->form_version_id, g_free);

  rule->per_agent_per_week = 0;
  r = assay_store_draw_sync (store, rule, RULE_JSON, 1, NULL, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_true (strstr (error->message, "per_agent_per_week") != NULL);
  g_clear_error (&error);
  rule->per_agent_per_week = 3;

  rule->inspector_id = g_strdup ("nobody");
  r = assay_store_draw_sync (store, rule, RULE_JSON, 1, NULL, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM sampling_draw"), ==, 0);

  id = assay_store_add_assignment_sync (store, "no-such-interaction", NULL, NULL, 0, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_assert_null (id);
}

static const AssayQueueItem *
item_for (GPtrArray  *items,
          const char *interaction_id)
{
  for (guint i = 0; i < items->len; i++)
    {
      const AssayQueueItem *item = g_ptr_array_index (items, i);
      if (g_str_equal (item->interaction_id, interaction_id))
        return item;
    }
  return NULL;
}

#define I(n) "20000000-0000-4000-8000-00000000000" #n

static void
test_list_and_progress (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(AssayQueueProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 now = MONDAY_NOV_16 + 6 * DAY_MS;
  const char *interactions[] = { I(1), I(2), I(3), I(4), I(5) };
  const gint64 dues[] = { now + DAY_MS, now - DAY_MS, now + 2 * DAY_MS, now + 3 * DAY_MS, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (interactions); i++)
    {
      g_autofree char *id = assay_store_add_assignment_sync (store, interactions[i], OTHER, NULL,
                                                             dues[i], &error);
      g_assert_no_error (error);
    }
  /* 3 has a draft, 4 was submitted (by someone else: still done), 5 has no due date */
  test_db_exec (store,
    "INSERT INTO staff (id, name) VALUES ('30000000-0000-4000-8000-000000000009', 'Tom Becker');"
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state, created_at, updated_at)"
    " VALUES ('50000000-0000-4000-8000-000000000003', '" I(3) "', '" FORM_VERSION "', '" OTHER "', 'draft', 1, 1),"
    "  ('50000000-0000-4000-8000-000000000004', '" I(4) "', '" FORM_VERSION "',"
    "   '30000000-0000-4000-8000-000000000009', 'submitted', 1, 1794900000000);");

  items = assay_store_list_queue_sync (store, OTHER, now, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5);
  /* overdue first, then by due date (none last), done at the end */
  g_assert_cmpstr (((AssayQueueItem *) items->pdata[0])->interaction_id, ==, I(2));
  g_assert_cmpstr (((AssayQueueItem *) items->pdata[1])->interaction_id, ==, I(1));
  g_assert_cmpstr (((AssayQueueItem *) items->pdata[2])->interaction_id, ==, I(3));
  g_assert_cmpstr (((AssayQueueItem *) items->pdata[3])->interaction_id, ==, I(5));
  g_assert_cmpstr (((AssayQueueItem *) items->pdata[4])->interaction_id, ==, I(4));
  g_assert_cmpint (item_for (items, I(2))->state, ==, ASSAY_QUEUE_STATE_OVERDUE);
  g_assert_cmpint (item_for (items, I(1))->state, ==, ASSAY_QUEUE_STATE_DUE);
  g_assert_cmpint (item_for (items, I(3))->state, ==, ASSAY_QUEUE_STATE_IN_PROGRESS);
  g_assert_true (item_for (items, I(3))->has_draft);
  g_assert_cmpint (item_for (items, I(4))->state, ==, ASSAY_QUEUE_STATE_DONE);
  g_assert_cmpint (item_for (items, I(4))->done_at, ==, 1794900000000);
  g_assert_cmpint (item_for (items, I(5))->due_at, ==, 0);
  g_assert_cmpstr (assay_queue_state_to_string (item_for (items, I(3))->state), ==, "in-progress");
  {
    const AssayQueueItem *one = item_for (items, I(1));

    g_assert_cmpstr (one->agent_name, ==, "Li Wei");
    g_assert_cmpstr (one->channel, ==, "chat");
    g_assert_cmpstr (one->queue, ==, "Support");
    g_assert_cmpstr (one->source, ==, "centre");
    g_assert_cmpstr (one->form_version_id, ==, FORM_VERSION);
    g_assert_cmpint (one->started_at, ==, G_GINT64_CONSTANT (1795176000000) - 60000);
    g_assert_cmpint (one->handle_s, ==, 97 + 7 + 11);
    g_assert_cmpint (one->csat, ==, 1 + 13 % 5);
    g_assert_false (one->has_recording);
    g_assert_false (one->has_transcript);
  }
  g_clear_pointer (&items, g_ptr_array_unref);

  /* what there is to review: a recording of 2, a conversation of 1 */
  test_db_exec (store,
    "INSERT INTO recording (id, interaction_id, location, format, channels, agent_channel, duration_s)"
    " VALUES ('60000000-0000-4000-8000-000000000002', '" I(2) "', '/nowhere/2.wav', 'wav', 2, 0, 60);"
    "INSERT INTO transcript (id, interaction_id, kind, format, segments, n_segments, created_at)"
    " VALUES ('70000000-0000-4000-8000-000000000001', '" I(1) "', 'conversation', 'conversation',"
    " json('[{\"speaker\": \"Ana\", \"role\": \"customer\", \"start_ms\": 0, \"end_ms\": 0,"
    " \"text\": \"Hello\"}]'), 1, 1)");
  items = assay_store_list_queue_sync (store, OTHER, now, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (item_for (items, I(2))->has_recording);
  g_assert_false (item_for (items, I(2))->has_transcript);
  g_assert_false (item_for (items, I(1))->has_recording);
  g_assert_true (item_for (items, I(1))->has_transcript);
  g_assert_false (item_for (items, I(3))->has_recording || item_for (items, I(3))->has_transcript);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* done ones only since a time; nothing for someone else; a limit */
  items = assay_store_list_queue_sync (store, OTHER, now, 1794900000001, 0, &error);
  g_assert_cmpuint (items->len, ==, 4);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = assay_store_list_queue_sync (store, "30000000-0000-4000-8000-000000000009", now, 0, 0, &error);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = assay_store_list_queue_sync (store, OTHER, now, 0, 2, &error);
  g_assert_cmpuint (items->len, ==, 2);

  progress = assay_store_queue_progress_sync (store, MONDAY_NOV_16, MONDAY_NOV_16 + WEEK_MS, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress->inspectors->len, ==, 1);
  {
    AssayProgressRow *row = g_ptr_array_index (progress->inspectors, 0);

    g_assert_cmpstr (row->name, ==, "Priya Nair");
    g_assert_cmpuint (row->n_assigned, ==, 5);
    g_assert_cmpuint (row->n_done, ==, 1);
    g_assert_cmpuint (row->n_overdue, ==, 1);
  }
  /* rows 1..5 are agents 2..6, by name */
  g_assert_cmpuint (progress->agents->len, ==, 5);
  g_assert_cmpstr (((AssayProgressRow *) progress->agents->pdata[0])->name, ==, "Chen Jing");
  for (guint i = 0; i < progress->agents->len; i++)
    {
      AssayProgressRow *row = g_ptr_array_index (progress->agents, i);

      g_assert_cmpuint (row->n_assigned, ==, 1);
      g_assert_cmpuint (row->n_done, ==, g_strcmp0 (row->name, "Oliver Grant") == 0 ? 1 : 0);
    }
  g_clear_pointer (&progress, assay_queue_progress_free);

  /* another period holds none of them */
  progress = assay_store_queue_progress_sync (store, MONDAY_NOV_16 - WEEK_MS, MONDAY_NOV_16, now, &error);
  g_assert_cmpuint (progress->agents->len, ==, 0);
  g_assert_cmpuint (progress->inspectors->len, ==, 0);
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static void
test_async (void)
{
  g_autoptr(AssayStore) store = queue_db ();
  g_autoptr(AssaySamplingRule) rule = week_rule (2);
  g_autoptr(AssayDrawResult) r = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { NULL };

  assay_store_draw_async (store, rule, RULE_JSON, 8, NULL, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  r = assay_store_draw_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->n_drawn, ==, 12);
  g_clear_object (&w.result);

  assay_store_list_queue_async (store, r->inspector_id, r->drawn_at, 0, 0, NULL, done_cb, &w);
  test_wait_until (has_result, &w, 30);
  items = assay_store_list_queue_finish (store, w.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 12);
  for (guint i = 0; i < items->len; i++)
    {
      AssayQueueItem *item = g_ptr_array_index (items, i);

      g_assert_cmpint (item->state, ==, ASSAY_QUEUE_STATE_DUE);
      g_assert_cmpstr (item->source, ==, "sampling");
      g_assert_cmpstr (item->draw_id, ==, r->draw_id);
      if (i > 0)
        g_assert_cmpint (((AssayQueueItem *) items->pdata[i - 1])->started_at, <=, item->started_at);
    }
  g_clear_object (&w.result);

  /* a cancelled draw writes nothing */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(AssayDrawResult) none = NULL;

    g_cancellable_cancel (cancellable);
    assay_store_draw_async (store, rule, RULE_JSON, 9, NULL, cancellable, done_cb, &w);
    test_wait_until (has_result, &w, 30);
    none = assay_store_draw_finish (store, w.result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (none);
    g_clear_object (&w.result);
    g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM sampling_draw"), ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/queue/draw", test_draw);
  g_test_add_func ("/store/queue/reproducible", test_reproducible);
  g_test_add_func ("/store/queue/verify", test_verify);
  g_test_add_func ("/store/queue/exclusions", test_exclusions);
  g_test_add_func ("/store/queue/filters", test_filters);
  g_test_add_func ("/store/queue/errors", test_errors);
  g_test_add_func ("/store/queue/list-and-progress", test_list_and_progress);
  g_test_add_func ("/store/queue/async", test_async);
  return g_test_run ();
}
