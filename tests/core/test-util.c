/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/assay-interaction.h"
#include "core/assay-util.h"

static void
test_duration (void)
{
  g_autofree char *a = assay_format_duration (0);
  g_autofree char *b = assay_format_duration (372);
  g_autofree char *c = assay_format_duration (3725);
  g_autofree char *d = assay_format_duration (-3);

  g_assert_cmpstr (a, ==, "0:00");
  g_assert_cmpstr (b, ==, "6:12");
  g_assert_cmpstr (c, ==, "1:02:05");
  g_assert_cmpstr (d, ==, "0:00");
}

static void
test_iso8601 (void)
{
  gint64 ms = 0;
  g_autofree char *back = NULL;

  g_assert_true (assay_parse_iso8601_ms ("2026-11-14T10:42:00Z", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1794652920000));
  back = assay_format_iso8601_ms (ms);
  g_assert_cmpstr (back, ==, "2026-11-14T10:42:00Z");
  g_assert_true (assay_parse_iso8601_ms ("2026-11-14T18:42:00+08:00", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1794652920000));
  g_assert_false (assay_parse_iso8601_ms ("14/11/2026", &ms));
  g_assert_false (assay_parse_iso8601_ms ("", &ms));
}

static void
test_uuid (void)
{
  g_autofree char *a = assay_uuid_new ();
  g_autofree char *b = assay_uuid_new ();

  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_cmpstr (a, !=, b);
}

static void
test_set_str (void)
{
  g_autofree char *s = NULL;

  g_assert_true (assay_set_str (&s, "a"));
  g_assert_false (assay_set_str (&s, "a"));
  g_assert_true (assay_set_str (&s, NULL));
  g_assert_null (s);
}

static void
count_cb (int *counter)
{
  (*counter)++;
}

static void
test_interaction_load (void)
{
  g_autoptr(AssayInteraction) row = assay_interaction_new ();
  AssayInteractionFacts facts;
  int notified = 0;

  g_assert_false (assay_interaction_get_loaded (row));
  assay_interaction_facts_init (&facts);
  facts.id = g_strdup ("x");
  facts.talk_s = 100;
  facts.hold_s = 20;
  facts.wrap_s = 30;
  g_signal_connect_swapped (row, "notify::loaded", G_CALLBACK (count_cb), &notified);
  assay_interaction_load (row, &facts, "Wang Fang", "Billing");
  g_assert_true (assay_interaction_get_loaded (row));
  g_assert_cmpint (notified, ==, 1);
  g_assert_null (facts.id);
  g_assert_cmpstr (assay_interaction_get_facts (row)->id, ==, "x");
  g_assert_cmpint (assay_interaction_get_handle_s (row), ==, 150);
  g_assert_cmpstr (assay_interaction_get_agent_name (row), ==, "Wang Fang");
  g_assert_true (assay_channel_is_valid ("chat"));
  g_assert_false (assay_channel_is_valid ("fax"));
  g_assert_true (assay_priority_is_valid ("urgent"));
  g_assert_false (assay_priority_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/util/duration", test_duration);
  g_test_add_func ("/core/util/iso8601", test_iso8601);
  g_test_add_func ("/core/util/uuid", test_uuid);
  g_test_add_func ("/core/util/set-str", test_set_str);
  g_test_add_func ("/core/interaction/load", test_interaction_load);
  return g_test_run ();
}
