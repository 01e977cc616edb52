/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "protocol/assay-collections.h"
#include "protocol/assay-sync-json.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static void
test_canonical (void)
{
  g_autoptr(JsonNode) a = parse ("{ \"b\": [1, 2.5, true, null], \"a\": \"x\\u0001\\\"é\","
                                 "  \"Z\": {\"y\": 1e3, \"x\": -0.1} }");
  g_autoptr(JsonNode) b = parse ("{\"Z\":{\"x\":-0.1,\"y\":1000},\"a\":\"x\\u0001\\\"é\","
                                 "\"b\":[1,2.5,true,null]}");
  g_autofree char *ca = assay_sync_canonical_json (a);
  g_autofree char *cb = assay_sync_canonical_json (b);
  g_autofree char *line = NULL;

  g_assert_cmpstr (ca, ==, "{\"Z\":{\"x\":-0.10000000000000001,\"y\":1000},"
                           "\"a\":\"x\\u0001\\\"é\",\"b\":[1,2.5,true,null]}");
  g_assert_cmpstr (ca, ==, cb);
  line = assay_sync_dump_line ("id-1", 3, a);
  g_assert_true (g_str_has_prefix (line, "{\"data\":{\"Z\":"));
  g_assert_true (g_str_has_suffix (line, ",\"id\":\"id-1\",\"rev\":3}"));
}

/* The later records (docs/sync-protocol.md, "Collections"): declared as ROLES.md says. */
static void
test_collections_records (void)
{
  static const char *const records[] = {
    "calibration_sessions", "calibration_scorings", "calibration_consensus", "disputes",
    "acknowledgements", "coaching_sessions", "coaching_goals", "coaching_actions", "courses",
    "training_plans", "training_assignments", "assessments", "assessment_results",
    "improvement_actions",
  };
  const AssayCollection *scorings = assay_collection_lookup ("calibration_scorings");
  const AssayCollection *consensus = assay_collection_lookup ("calibration_consensus");
  const AssayCollection *disputes = assay_collection_lookup ("disputes");
  const AssayCollection *acks = assay_collection_lookup ("acknowledgements");
  const AssayCollection *coaching = assay_collection_lookup ("coaching_sessions");

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      const AssayCollection *c = assay_collection_lookup (records[i]);

      g_assert_nonnull (c);
      g_assert_nonnull (c->local_table);
      g_assert_nonnull (c->required);
      /* nobody but the roles ROLES.md names: admins never, everyone writes something */
      g_assert_cmpint (c->rights[ASSAY_ROLE_ADMIN].read, ==, ASSAY_SCOPE_NONE);
      g_assert_cmpuint (c->rights[ASSAY_ROLE_ADMIN].actions, ==, 0);
      g_assert_cmpint (c->conflict, !=, ASSAY_CONFLICT_SERVER_WINS);
      g_assert_false (c->audited);
    }

  /* blind: inspectors read scorings of opened sessions (and their own), write only their own */
  g_assert_cmpint (scorings->conflict, ==, ASSAY_CONFLICT_SEALED);
  g_assert_cmpint (scorings->rights[ASSAY_ROLE_INSPECTOR].read, ==, ASSAY_SCOPE_SESSION_OPENED);
  g_assert_cmpint (scorings->rights[ASSAY_ROLE_INSPECTOR].write, ==, ASSAY_SCOPE_OWN);
  g_assert_cmpuint (scorings->rights[ASSAY_ROLE_INSPECTOR].actions & ASSAY_OP_DELETE, ==, 0);
  g_assert_cmpstr (scorings->parent, ==, "calibration_sessions");
  g_assert_cmpstr (scorings->owner_member, ==, "inspectorId");
  g_assert_false (assay_collection_can_read (scorings, 1u << ASSAY_ROLE_AGENT));
  /* the consensus is set by the session's lead or expert */
  g_assert_cmpint (consensus->rights[ASSAY_ROLE_INSPECTOR].write, ==, ASSAY_SCOPE_SESSION_LEAD);
  g_assert_cmpint (consensus->rights[ASSAY_ROLE_LEAD].write, ==, ASSAY_SCOPE_SESSION_LEAD);
  /* disputes: scope from the disputed evaluation; agents raise on their own */
  g_assert_cmpstr (disputes->parent, ==, "evaluations");
  g_assert_null (disputes->owner_member);
  g_assert_cmpint (disputes->rights[ASSAY_ROLE_INSPECTOR].read, ==, ASSAY_SCOPE_OWN);
  g_assert_cmpuint (disputes->rights[ASSAY_ROLE_INSPECTOR].actions, ==, 0);
  g_assert_cmpint (disputes->rights[ASSAY_ROLE_AGENT].write, ==, ASSAY_SCOPE_AGENT);
  /* sign-off: only agents give it, inspectors do not read it */
  g_assert_cmpuint (assay_collection_write_actions (acks, 1u << ASSAY_ROLE_AGENT), ==,
                    ASSAY_OP_CREATE);
  g_assert_cmpuint (assay_collection_write_actions (acks, (1u << ASSAY_ROLE_LEAD)
                                                          | (1u << ASSAY_ROLE_MANAGER)), ==, 0);
  g_assert_false (assay_collection_can_read (acks, 1u << ASSAY_ROLE_INSPECTOR));
  /* coaching: the author's rule; leads edit their teams', agents acknowledge (update) */
  g_assert_cmpint (coaching->conflict, ==, ASSAY_CONFLICT_AUTHOR);
  g_assert_cmpint (coaching->rights[ASSAY_ROLE_LEAD].write, ==, ASSAY_SCOPE_TEAMS);
  g_assert_cmpuint (coaching->rights[ASSAY_ROLE_AGENT].actions, ==, ASSAY_OP_UPDATE);
  g_assert_cmpuint (coaching->rights[ASSAY_ROLE_MANAGER].actions, ==, 0);
  g_assert_false (assay_collection_can_read (coaching, 1u << ASSAY_ROLE_INSPECTOR));
}

static void
test_collections (void)
{
  const AssayCollection *all;
  guint n, roles = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const AssayCollection *evaluations = assay_collection_lookup ("evaluations");

  all = assay_collections_get (&n);
  g_assert_cmpuint (n, >=, 9);
  for (guint i = 0; i < n; i++)
    {
      /* a parent comes before its children in feed order */
      if (all[i].parent != NULL)
        {
          gboolean before = FALSE;

          for (guint j = 0; j < i; j++)
            before |= strcmp (all[j].name, all[i].parent) == 0;
          g_assert_true (before);
          g_assert_nonnull (all[i].parent_member);
        }
      /* nobody writes what the server owns */
      if (all[i].conflict == ASSAY_CONFLICT_SERVER_WINS)
        for (guint r = 0; r < ASSAY_N_ROLES; r++)
          g_assert_cmpuint (all[i].rights[r].actions, ==, 0);
      g_assert_true (assay_collection_lookup (all[i].name) == &all[i]);
    }
  g_assert_null (assay_collection_lookup ("nonsense"));

  /* ROLES.md for evaluations */
  g_assert_nonnull (evaluations);
  g_assert_true (evaluations->audited);
  g_assert_cmpint (evaluations->rights[ASSAY_ROLE_INSPECTOR].read, ==, ASSAY_SCOPE_OWN);
  g_assert_cmpuint (assay_collection_write_actions (evaluations, 1u << ASSAY_ROLE_LEAD), ==,
                    ASSAY_OP_AMEND);
  g_assert_cmpint (evaluations->rights[ASSAY_ROLE_AGENT].read, ==, ASSAY_SCOPE_AGENT_SUBMITTED);
  g_assert_false (assay_collection_can_read (evaluations, 1u << ASSAY_ROLE_ADMIN));

  g_assert_true (assay_roles_parse ("lead, inspector", &roles, &error));
  text = assay_roles_to_string (roles);
  g_assert_cmpstr (text, ==, "inspector,lead");
  g_assert_false (assay_roles_parse ("inspector,boss", &roles, &error));
  g_assert_nonnull (strstr (error->message, "boss"));
}

static void
test_op_parse (void)
{
  g_autoptr(JsonNode) good = parse ("{\"opId\":\"0b2c5a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\","
                                    "\"collection\":\"evaluations\","
                                    "\"id\":\"1b2c5a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\","
                                    "\"action\":\"amend\",\"baseRev\":2,\"data\":{},"
                                    "\"reason\":\"appeal\"}");
  g_autoptr(JsonNode) no_reason = parse ("{\"opId\":\"0b2c5a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\","
                                         "\"collection\":\"evaluations\","
                                         "\"id\":\"1b2c5a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\","
                                         "\"action\":\"amend\",\"baseRev\":2,\"data\":{},"
                                         "\"reason\":\"  \"}");
  g_autoptr(JsonNode) bad_rev = parse ("{\"opId\":\"0b2c5a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\","
                                       "\"collection\":\"evaluations\","
                                       "\"id\":\"1b2c5a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\","
                                       "\"action\":\"update\",\"baseRev\":0,\"data\":{}}");
  g_autoptr(JsonNode) bad_collection = parse ("{\"opId\":\"0b2c5a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b\","
                                              "\"collection\":\"memos\",\"id\":\"x\"}");
  g_autoptr(GError) error = NULL;
  AssaySyncOp op;

  g_assert_true (assay_sync_op_parse (good, &op, &error));
  g_assert_no_error (error);
  g_assert_cmpint (op.action, ==, ASSAY_OP_AMEND);
  g_assert_cmpint (op.base_rev, ==, 2);
  g_assert_cmpstr (op.reason, ==, "appeal");
  g_assert_false (assay_sync_op_parse (no_reason, &op, &error));
  g_assert_nonnull (strstr (error->message, "reason"));
  g_clear_error (&error);
  g_assert_false (assay_sync_op_parse (bad_rev, &op, &error));
  g_assert_nonnull (strstr (error->message, "baseRev"));
  g_clear_error (&error);
  g_assert_false (assay_sync_op_parse (bad_collection, &op, &error));
  g_assert_nonnull (strstr (error->message, "memos"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/sync/canonical", test_canonical);
  g_test_add_func ("/protocol/sync/collections", test_collections);
  g_test_add_func ("/protocol/sync/collections-records", test_collections_records);
  g_test_add_func ("/protocol/sync/op-parse", test_op_parse);
  return g_test_run ();
}
