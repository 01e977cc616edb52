/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sampling rule as JSON: stable text, exact round trip, strict reading. */
#include "protocol/assay-sampling-json.h"

#define MONDAY_NOV_9  G_GINT64_CONSTANT (1794182400000)   /* 2026-11-09T00:00:00Z */
#define MONDAY_NOV_16 G_GINT64_CONSTANT (1794787200000)

static AssaySamplingRule *
full_rule (void)
{
  AssaySamplingRule *rule = assay_sampling_rule_new ();
  char *chans[] = { (char *) "phone", (char *) "chat", NULL };
  char *queues[] = { (char *) "Billing", (char *) "账单", NULL };

  rule->per_agent_per_week = 4;
  rule->from_ms = MONDAY_NOV_9;
  rule->to_ms = MONDAY_NOV_16;
  rule->week_offset_min = 480;
  rule->channels = g_strdupv (chans);
  rule->queues = g_strdupv (queues);
  rule->min_handle_s = 60;
  rule->max_handle_s = 900;
  rule->csat_max = 4;
  rule->low_csat_weight = 3;
  rule->low_csat_at_most = 2;
  rule->form_version_id = g_strdup ("41000000-0000-4000-8000-000000000001");
  rule->due_days = 5;
  rule->inspector_id = g_strdup ("30000000-0000-4000-8000-000000000001");
  return rule;
}

static void
test_stable_text (void)
{
  g_autoptr(AssaySamplingRule) rule = full_rule ();
  g_autoptr(AssaySamplingRule) plain = assay_sampling_rule_new ();
  g_autofree char *json = assay_sampling_rule_to_json (rule, FALSE);
  g_autofree char *plain_json = NULL;

  g_assert_cmpstr (json, ==,
    "{\"format\":1,\"algorithm\":1,\"per_agent_per_week\":4,"
    "\"from\":\"2026-11-09T00:00:00Z\",\"to\":\"2026-11-16T00:00:00Z\",\"week_offset_minutes\":480,"
    "\"channels\":[\"phone\",\"chat\"],\"queues\":[\"Billing\",\"账单\"],"
    "\"min_handle_s\":60,\"max_handle_s\":900,\"csat_max\":4,\"low_csat_weight\":3,"
    "\"low_csat_at_most\":2,\"form_version_id\":\"41000000-0000-4000-8000-000000000001\","
    "\"due_days\":5,\"inspector_id\":\"30000000-0000-4000-8000-000000000001\"}");

  plain->from_ms = MONDAY_NOV_9 + 1500;
  plain->to_ms = MONDAY_NOV_16;
  plain_json = assay_sampling_rule_to_json (plain, FALSE);
  g_assert_cmpstr (plain_json, ==,
    "{\"format\":1,\"algorithm\":1,\"per_agent_per_week\":1,"
    "\"from\":\"2026-11-09T00:00:01.500Z\",\"to\":\"2026-11-16T00:00:00Z\",\"week_offset_minutes\":0,"
    "\"channels\":[],\"queues\":[],\"min_handle_s\":null,\"max_handle_s\":null,\"csat_max\":null,"
    "\"low_csat_weight\":1,\"low_csat_at_most\":2,\"form_version_id\":null,\"due_days\":7,"
    "\"inspector_id\":null}");
}

static void
test_round_trip (void)
{
  g_autoptr(AssaySamplingRule) rule = full_rule ();
  g_autoptr(AssaySamplingRule) plain = assay_sampling_rule_new ();
  g_autoptr(GError) error = NULL;

  rule->low_csat_weight = 2.5;
  plain->from_ms = MONDAY_NOV_9 + 1500;
  plain->to_ms = MONDAY_NOV_16;

  for (guint i = 0; i < 2; i++)
    {
      AssaySamplingRule *r = i == 0 ? rule : plain;
      g_autofree char *json = assay_sampling_rule_to_json (r, i == 0);
      g_autoptr(AssaySamplingRule) back = assay_sampling_rule_from_json (json, -1, &error);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (back);
      g_assert_true (assay_sampling_rule_equal (r, back));
      again = assay_sampling_rule_to_json (back, i == 0);
      g_assert_cmpstr (again, ==, json);
    }
}

static void
expect_error (const char *json,
              int         code,
              const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySamplingRule) rule = assay_sampling_rule_from_json (json, -1, &error);

  g_assert_null (rule);
  g_assert_error (error, ASSAY_SAMPLING_ERROR, code);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("'%s' does not start with '%s'", error->message, prefix);
}

#define HEAD "{\"format\":1,\"algorithm\":1,\"per_agent_per_week\":3,"
#define PERIOD "\"from\":\"2026-11-09T00:00:00Z\",\"to\":\"2026-11-16T00:00:00Z\","
#define TAIL "\"week_offset_minutes\":0,\"due_days\":7}"

static void
test_strict (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySamplingRule) minimal = NULL;

  /* optional keys may be left out */
  minimal = assay_sampling_rule_from_json (HEAD PERIOD TAIL, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (minimal->per_agent_per_week, ==, 3);
  g_assert_cmpint (minimal->csat_max, ==, ASSAY_NONE);
  g_assert_null (minimal->channels);

  expect_error ("not json", ASSAY_SAMPLING_ERROR_SYNTAX, "the sampling rule is not valid JSON");
  expect_error ("[1]", ASSAY_SAMPLING_ERROR_SYNTAX, "a sampling rule must be a JSON object");
  expect_error (HEAD PERIOD "\"csat_mx\":3," TAIL, ASSAY_SAMPLING_ERROR_INVALID, "csat_mx:");
  expect_error (HEAD PERIOD "\"csat_max\":\"3\"," TAIL, ASSAY_SAMPLING_ERROR_INVALID, "csat_max:");
  expect_error (HEAD PERIOD "\"csat_max\":9," TAIL, ASSAY_SAMPLING_ERROR_INVALID, "csat_max:");
  expect_error (HEAD PERIOD "\"channels\":[\"fax\"]," TAIL, ASSAY_SAMPLING_ERROR_INVALID, "channels[0]:");
  expect_error (HEAD PERIOD "\"queues\":[3]," TAIL, ASSAY_SAMPLING_ERROR_INVALID, "queues[0]:");
  expect_error (HEAD "\"from\":\"last week\",\"to\":\"2026-11-16T00:00:00Z\"," TAIL,
                ASSAY_SAMPLING_ERROR_INVALID, "from:");
  expect_error (HEAD "\"from\":\"2026-11-16T00:00:00Z\",\"to\":\"2026-11-09T00:00:00Z\"," TAIL,
                ASSAY_SAMPLING_ERROR_INVALID, "from:");
  expect_error (HEAD PERIOD "\"low_csat_weight\":0.5," TAIL, ASSAY_SAMPLING_ERROR_INVALID,
                "low_csat_weight:");
  expect_error ("{\"format\":2,\"algorithm\":1}", ASSAY_SAMPLING_ERROR_UNSUPPORTED, "format:");
  expect_error ("{\"format\":1,\"algorithm\":7}", ASSAY_SAMPLING_ERROR_UNSUPPORTED, "algorithm:");
  expect_error ("{\"format\":1,\"algorithm\":1,\"per_agent_per_week\":0}", ASSAY_SAMPLING_ERROR_INVALID,
                "per_agent_per_week:");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/sampling/stable-text", test_stable_text);
  g_test_add_func ("/protocol/sampling/round-trip", test_round_trip);
  g_test_add_func ("/protocol/sampling/strict", test_strict);
  return g_test_run ();
}
