/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <sqlite3.h>

#include "central-test.h"
#include "assay-sync-engine.h"
#include "store/assay-store-acknowledgements.h"
#include "store/assay-store-calibration.h"
#include "store/assay-store-disputes.h"
#include "store/assay-store-evaluations.h"
#include "store/assay-store-sync.h"
#include "protocol/assay-collections.h"

/*
 * The later kinds of records through the real assay-central on 127.0.0.1 port 0, each client a
 * store of its own driven by its public API and the sync engine: calibration stays blind on the
 * server until the lead opens the session; a dispute and an acknowledgement travel from one
 * client through the server to another.
 */

static const char *const logins[] = { "inspector", "inspector2", "lead", "manager", "agent" };

static struct {
  char          *dir;
  char          *data;
  CentralServer *server;
  char          *tokens[G_N_ELEMENTS (logins)];
} centre;

/* every scored item of the demo scorecard answered so that a submit needs no comment */
#define FULL_ANSWERS(form_id, version, empathy) \
  "{\"format\":1,\"form_id\":\"" form_id "\",\"form_version\":" version ",\"answers\":{" \
  "\"greeting\":{\"value\":\"yes\"},\"verified_identity\":{\"value\":\"yes\"}," \
  "\"reason_confirmed\":{\"value\":\"yes\"},\"active_listening\":{\"value\":4}," \
  "\"empathy\":{\"value\":" empathy "},\"probing\":{\"value\":\"thorough\"}," \
  "\"outcome\":{\"value\":\"first_contact\"},\"accurate_information\":{\"value\":\"yes\"}," \
  "\"next_steps\":{\"value\":\"yes\"},\"recorded_line\":{\"value\":\"yes\"}," \
  "\"card_data\":{\"value\":\"yes\"},\"hold_permission\":{\"value\":\"yes\"}," \
  "\"hold_checkin\":{\"value\":\"yes\"},\"closing\":{\"value\":\"yes\"}," \
  "\"proactive\":{\"value\":\"yes\"},\"personal_touch\":{\"value\":\"yes\"}}}"

static const char *
token (const char *login)
{
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    if (strcmp (logins[i], login) == 0)
      return centre.tokens[i];
  g_assert_not_reached ();
}

typedef struct {
  char            *path;
  AssayStore      *store;
  AssaySyncEngine *engine;
  char            *me;      /* the account's staff id, after the first sync */
} Client;

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Wait;

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = assay_sync_engine_sync_finish (ASSAY_SYNC_ENGINE (source), result, &w->error);
  w->done = TRUE;
}

static void
client_sync (Client *c)
{
  Wait w = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  const AssaySyncReport *report;

  assay_sync_engine_sync_async (c->engine, NULL, sync_done, &w);
  while (!w.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  report = assay_sync_engine_get_report (c->engine);
  /* nothing the store queued was refused or left behind */
  if (report->rejected > 0)
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_open (c->path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT action || ' ' || coalesce (reason, '')"
                                               " FROM evaluation_conflict", -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_test_message ("rejected: %s", sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }
  g_assert_cmpuint (report->rejected, ==, 0);
  g_assert_cmpuint (report->conflicts, ==, 0);
  g_assert_cmpuint (report->pending, ==, 0);
}

static void
account_set (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = assay_store_sync_set_account_finish (ASSAY_STORE (source), result, &w->error);
  w->done = TRUE;
}

/* a new client of @login, synced once and signed in as the UI does it ("me" is the account) */
static Client *
client_new (const char *login)
{
  Client *c = g_new0 (Client, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("client-%s-%s.db", login, g_uuid_string_random ());
  const AssaySyncAccount *a;
  g_autofree char *roles = NULL;
  AssayStoreSyncAccount kept = { 0 };
  Wait w = { 0 };

  c->path = g_build_filename (centre.dir, name, NULL);
  c->store = assay_store_new (c->path);
  g_assert_true (assay_store_open_sync (c->store, &error));
  g_assert_no_error (error);
  c->engine = assay_sync_engine_new (c->store, centre.server->base, token (login));
  assay_sync_engine_set_time_scale (c->engine, 0.001);
  client_sync (c);

  a = assay_sync_engine_get_account (c->engine);
  g_assert_nonnull (a);
  c->me = g_strdup (a->user_id);
  roles = assay_roles_to_string (a->roles);
  kept.server_url = centre.server->base;
  kept.login = a->login;
  kept.user_id = a->user_id;
  kept.name = a->name;
  kept.roles = roles;
  assay_store_sync_set_account_async (c->store, &kept, NULL, account_set, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  return c;
}

static void
client_free (Client *c)
{
  g_clear_object (&c->engine);
  assay_store_close (c->store);
  g_clear_object (&c->store);
  g_free (c->path);
  g_free (c->me);
  g_free (c);
}

/* one value of @sql (printf-style) in @c's database, as text; NULL for none */
static char *
client_text (Client     *c,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static char *
client_text (Client     *c,
             const char *format,
             ...)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = NULL;
  char *v = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_cmpint (sqlite3_open (c->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

#define client_int(c, ...) ({ g_autofree char *_t = client_text (c, __VA_ARGS__); \
                              _t != NULL ? g_ascii_strtoll (_t, NULL, 10) : -1; })

static guint
server_count (const char *collection,
              const char *needle)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "dump", collection, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && (needle == NULL || strstr (lines[i], needle) != NULL))
      n++;
  return n;
}

/* ---- calibration: blind on the server ---- */

static void
test_calibration_blind (void)
{
  Client *lead = client_new ("lead");
  Client *a = client_new ("inspector");
  Client *b = client_new ("inspector2");
  g_autofree char *form = client_text (lead, "SELECT v.id FROM form_version v JOIN form f"
                                             " ON f.id = v.form_id WHERE f.code = 'service-quality-en'"
                                             " AND v.version = 2");
  g_autofree char *call_1 = client_text (lead, "SELECT id FROM interaction ORDER BY id LIMIT 1");
  g_autofree char *call_2 = client_text (lead, "SELECT id FROM interaction ORDER BY id LIMIT 1 OFFSET 1");
  const char *interactions[] = { call_1, call_2, NULL };
  const char *participants[] = { a->me, b->me, NULL };
  AssayCalibrationSpec spec = { "Week 49", form, lead->me, NULL, interactions, participants };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_nonnull (form);
  g_assert_nonnull (call_2);
  id = assay_store_create_calibration_session_sync (lead->store, &spec, &error);
  g_assert_no_error (error);
  client_sync (lead);
  g_assert_cmpuint (server_count ("calibration_sessions", id), ==, 1);

  /* both inspectors receive the session they are invited to */
  client_sync (a);
  client_sync (b);
  g_assert_cmpint (client_int (a, "SELECT count(*) FROM calibration_participant WHERE session_id = '%s'",
                               id), ==, 2);
  g_assert_cmpint (client_int (b, "SELECT count(*) FROM calibration_interaction WHERE session_id = '%s'",
                               id), ==, 2);

  /* A submits; B's feed does not hand it over while the session is being scored */
  g_assert_true (assay_store_save_calibration_scoring_sync (a->store, id, call_1, a->me,
                                                            FULL_ANSWERS ("service-quality-en", "2", "4"),
                                                            "calm call", TRUE, &error));
  g_assert_no_error (error);
  client_sync (a);
  g_assert_cmpuint (server_count ("calibration_scorings", a->me), ==, 1);
  g_assert_cmpuint (server_count ("calibration_scorings", "\"submittedAt\":null"), ==, 0);
  client_sync (b);
  g_assert_cmpint (client_int (b, "SELECT count(*) FROM calibration_scoring WHERE inspector_id = '%s'",
                               a->me), ==, 0);
  g_assert_cmpint (client_int (b, "SELECT count(*) FROM sync_object"
                                  " WHERE collection = 'calibration_scorings'"), ==, 0);

  /* B's draft reaches the server but nobody else: A stays blind too */
  g_assert_true (assay_store_save_calibration_scoring_sync (b->store, id, call_1, b->me,
                                                            FULL_ANSWERS ("service-quality-en", "2", "2"),
                                                            NULL, FALSE, &error));
  g_assert_no_error (error);
  client_sync (b);
  g_assert_cmpuint (server_count ("calibration_scorings", b->me), ==, 1);
  client_sync (a);
  g_assert_cmpint (client_int (a, "SELECT count(*) FROM calibration_scoring WHERE inspector_id = '%s'",
                               b->me), ==, 0);

  /* the lead who runs the session watches submissions come in, never drafts */
  client_sync (lead);
  g_assert_cmpint (client_int (lead, "SELECT count(*) FROM calibration_scoring WHERE session_id = '%s'",
                               id), ==, 1);

  /* B submits: still nothing for A before the session is opened; the lead now has both */
  g_assert_true (assay_store_save_calibration_scoring_sync (b->store, id, call_1, b->me,
                                                            FULL_ANSWERS ("service-quality-en", "2", "2"),
                                                            NULL, TRUE, &error));
  g_assert_no_error (error);
  client_sync (b);
  client_sync (a);
  g_assert_cmpint (client_int (a, "SELECT count(*) FROM calibration_scoring WHERE inspector_id = '%s'",
                               b->me), ==, 0);
  client_sync (lead);
  g_assert_cmpint (client_int (lead, "SELECT count(*) FROM calibration_scoring WHERE session_id = '%s'"
                                     " AND submitted_at IS NOT NULL", id), ==, 2);

  /* the lead opens it: the next pulls bring the others' submitted answers, as they were */
  g_assert_true (assay_store_set_calibration_state_sync (lead->store, id, ASSAY_CALIBRATION_OPENED,
                                                         lead->me, &error));
  g_assert_no_error (error);
  client_sync (lead);
  client_sync (b);
  g_assert_cmpint (client_int (b, "SELECT count(*) FROM calibration_scoring WHERE inspector_id = '%s'"
                                  " AND submitted_at IS NOT NULL"
                                  " AND json_extract (answers, '$.answers.empathy.value') = 4", a->me),
                   ==, 1);
  g_assert_cmpint (client_int (b, "SELECT count(*) FROM calibration_session WHERE id = '%s'"
                                  " AND state = 'opened'", id), ==, 1);
  client_sync (a);
  g_assert_cmpint (client_int (a, "SELECT count(*) FROM calibration_scoring WHERE inspector_id = '%s'"
                                  " AND submitted_at IS NOT NULL"
                                  " AND json_extract (answers, '$.answers.empathy.value') = 2", b->me),
                   ==, 1);

  /* the lead's consensus travels to the inspectors under one derived id */
  g_assert_true (assay_store_set_calibration_consensus_sync (lead->store, id, call_1, "empathy",
                                                             "{\"value\": 3}", lead->me, &error));
  g_assert_no_error (error);
  client_sync (lead);
  g_assert_cmpuint (server_count ("calibration_consensus", id), ==, 1);
  client_sync (a);
  g_assert_cmpint (client_int (a, "SELECT count(*) FROM calibration_consensus WHERE session_id = '%s'"
                                  " AND item_id = 'empathy' AND json_extract (answer, '$.value') = 3",
                               id), ==, 1);

  client_free (lead);
  client_free (a);
  client_free (b);
}

/* ---- disputes and acknowledgements: client → server → another client ---- */

static void
test_dispute_and_acknowledgement (void)
{
  Client *inspector = client_new ("inspector");
  Client *manager = client_new ("manager");
  Client *agent = client_new ("agent");
  const AssaySyncAccount *agent_account = assay_sync_engine_get_account (agent->engine);
  g_autofree char *agent_id = g_strdup (agent_account->agent_id);
  g_autofree char *form = client_text (inspector, "SELECT v.id FROM form_version v JOIN form f"
                                                  " ON f.id = v.form_id"
                                                  " WHERE f.code = 'service-quality-en' AND v.version = 2");
  g_autofree char *interaction = NULL;
  g_autofree char *evaluation = g_uuid_string_random ();
  g_autofree char *dispute = NULL;
  g_autofree char *ack = NULL;
  g_autoptr(GError) error = NULL;
  AssayEvaluationRecord rec = { 0 };
  const char *items[] = { "empathy", NULL };
  AssayDisputeRaise raise = { 0 };

  g_assert_nonnull (agent_id);
  interaction = client_text (inspector, "SELECT id FROM interaction WHERE agent_id = '%s'"
                                        " AND id NOT IN (SELECT interaction_id FROM evaluation)"
                                        " ORDER BY id LIMIT 1", agent_id);
  g_assert_nonnull (interaction);

  /* the inspector's submitted evaluation of the agent's call */
  rec.id = evaluation;
  rec.interaction_id = interaction;
  rec.form_version_id = form;
  rec.inspector_id = inspector->me;
  rec.answers = FULL_ANSWERS ("service-quality-en", "2", "2");
  rec.score = 90;
  g_assert_cmpint (assay_store_save_draft_sync (inspector->store, &rec, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_submit_evaluation_sync (inspector->store, evaluation, inspector->me,
                                                       NULL, &error), ==, 1);
  g_assert_no_error (error);
  client_sync (inspector);

  /* the manager raises a dispute on the agent's behalf */
  client_sync (manager);
  raise.evaluation_id = evaluation;
  raise.raised_by = manager->me;
  raise.on_behalf = TRUE;
  raise.items = items;
  raise.reason = "The customer thanked the agent for the apology";
  raise.window_days = 7;
  dispute = assay_store_raise_dispute_sync (manager->store, &raise, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dispute);
  client_sync (manager);
  g_assert_cmpuint (server_count ("disputes", dispute), ==, 1);
  g_assert_cmpuint (server_count ("disputes", "\"steps\":[{"), ==, 1);

  /* the evaluation's inspector and the agent receive it with its steps */
  client_sync (inspector);
  g_assert_cmpint (client_int (inspector, "SELECT count(*) FROM dispute WHERE id = '%s'"
                                          " AND state = 'open' AND evaluation_id = '%s'"
                                          " AND json_extract (items, '$[0]') = 'empathy'",
                               dispute, evaluation), ==, 1);
  g_assert_cmpint (client_int (inspector, "SELECT count(*) FROM dispute_step WHERE dispute_id = '%s'",
                               dispute), ==, 2);
  g_assert_cmpint (client_int (inspector, "SELECT count(*) FROM dispute_step WHERE dispute_id = '%s'"
                                          " AND position = 1 AND due_at > started_at", dispute), ==, 1);
  client_sync (agent);
  g_assert_cmpint (client_int (agent, "SELECT count(*) FROM dispute WHERE id = '%s'", dispute), ==, 1);

  /* the agent signs the evaluation off; the manager sees it */
  ack = assay_store_acknowledge_sync (agent->store, "evaluation", evaluation, agent->me,
                                      "Understood", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ack);
  client_sync (agent);
  g_assert_cmpuint (server_count ("acknowledgements", ack), ==, 1);
  client_sync (manager);
  g_assert_cmpint (client_int (manager, "SELECT count(*) FROM acknowledgement WHERE id = '%s'"
                                        " AND kind = 'evaluation' AND object_id = '%s'"
                                        " AND comment = 'Understood' AND agent_id = '%s'",
                               ack, evaluation, agent_id), ==, 1);
  /* the inspector may not read sign-offs (ROLES.md) */
  client_sync (inspector);
  g_assert_cmpint (client_int (inspector, "SELECT count(*) FROM acknowledgement"), ==, 0);

  client_free (inspector);
  client_free (manager);
  client_free (agent);
}

/* ---- each role refused what ROLES.md does not grant (HTTP, as the protocol says) ---- */

static JsonObject *
post_one (const char *login,
          const char *op)
{
  g_autofree char *url = g_strconcat (centre.server->base, "/api/v1/ops", NULL);
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"ops\":[%s]}", op);
  const char *headers[] = { "Idempotency-Key", key, NULL };
  g_autoptr(CentralReply) reply = central_request (NULL, "POST", url, token (login), headers,
                                                   body, -1);
  JsonObject *result;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  result = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (reply->json), "results"), 0);
  return json_object_ref (result);
}

static char *
session_op (const char *action,
            const char *id,
            gint64      base_rev,
            const char *lead,
            const char *state,
            const char *form,
            const char *interaction,
            const char *participant)
{
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *base = base_rev > 0 ? g_strdup_printf (",\"baseRev\":%" G_GINT64_FORMAT, base_rev)
                                       : g_strdup ("");

  return g_strdup_printf ("{\"opId\":\"%s\",\"collection\":\"calibration_sessions\",\"id\":\"%s\","
                          "\"action\":\"%s\"%s,\"data\":{\"name\":\"Roles\",\"formVersionId\":\"%s\","
                          "\"createdBy\":\"%s\",\"state\":\"%s\",\"interactionIds\":[\"%s\"],"
                          "\"participantIds\":[\"%s\"]}}", op_id, id, action, base, form, lead,
                          state, interaction, participant);
}

static const char *
user_id (const char *login)
{
  static GHashTable *ids;
  char *id;

  if (ids == NULL)
    ids = g_hash_table_new (g_str_hash, g_str_equal);
  id = g_hash_table_lookup (ids, login);
  if (id == NULL)
    {
      g_autoptr(JsonNode) session = central_get_json (centre.server->base, "/api/v1/session",
                                                      token (login), 200);

      id = g_strdup (json_object_get_string_member (
        json_object_get_object_member (json_node_get_object (session), "user"), "id"));
      g_hash_table_insert (ids, (gpointer) login, id);
    }
  return id;
}

static void
assert_status (JsonObject *result,
               const char *status,
               const char *problem)
{
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, status);
  if (problem != NULL)
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result, "problem"),
                                                    "type"), ==, problem);
}

static void
test_roles_denied (void)
{
  g_autoptr(JsonNode) forms = central_get_json (centre.server->base, "/api/v1/changes/forms",
                                                token ("lead"), 200);
  g_autoptr(JsonNode) calls = central_get_json (centre.server->base,
                                                "/api/v1/changes/interactions?limit=1",
                                                token ("lead"), 200);
  const char *form = json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (forms), "upserted"), 0), "id");
  const char *call = json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (calls), "upserted"), 0), "id");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *op = NULL;
  g_autoptr(JsonObject) r = NULL;
  g_autoptr(JsonNode) feed = NULL;
  g_autoptr(JsonNode) seen = NULL;
  g_autofree char *path = NULL;

  /* feeds a role may not read at all */
  g_autoptr(JsonNode) a1 = central_get_json (centre.server->base,
                                             "/api/v1/changes/calibration_sessions", token ("agent"), 403);
  g_autoptr(JsonNode) a2 = central_get_json (centre.server->base,
                                             "/api/v1/changes/acknowledgements", token ("inspector"), 403);
  g_autoptr(JsonNode) a3 = central_get_json (centre.server->base,
                                             "/api/v1/changes/coaching_sessions", token ("inspector"), 403);

  /* an inspector creates no session; the lead does, for themselves only */
  op = session_op ("create", id, 0, user_id ("inspector"), "scoring", form, call, user_id ("inspector"));
  r = post_one ("inspector", op);
  assert_status (r, "rejected", "missing-right");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "problem"),
                                                  "right"), ==, "calibration_sessions:create");
  g_clear_pointer (&r, json_object_unref);
  g_free (op);
  op = session_op ("create", id, 0, user_id ("manager"), "scoring", form, call, user_id ("inspector"));
  r = post_one ("lead", op);
  assert_status (r, "rejected", "missing-right");
  g_clear_pointer (&r, json_object_unref);
  g_free (op);
  op = session_op ("create", id, 0, user_id ("lead"), "opened", form, call, user_id ("inspector"));
  r = post_one ("lead", op);
  assert_status (r, "rejected", "invalid-data");      /* a new session is being scored */
  g_clear_pointer (&r, json_object_unref);
  g_free (op);
  op = session_op ("create", id, 0, user_id ("lead"), "scoring", form, call, user_id ("inspector"));
  r = post_one ("lead", op);
  assert_status (r, "applied", NULL);
  g_clear_pointer (&r, json_object_unref);

  /* the invited inspector sees it, the other one does not even by id */
  feed = central_get_json (centre.server->base, "/api/v1/changes/calibration_sessions",
                           token ("inspector2"), 200);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (feed), "upserted");

    for (guint i = 0; i < json_array_get_length (items); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "id"),
                       !=, id);
  }
  path = g_strdup_printf ("/api/v1/objects/calibration_sessions?ids=%s", id);
  seen = central_get_json (centre.server->base, path, token ("inspector2"), 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (seen),
                                                                         "missing")), ==, 1);
  g_clear_pointer (&seen, json_node_unref);
  seen = central_get_json (centre.server->base, path, token ("inspector"), 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (seen),
                                                                         "objects")), ==, 1);

  /* an uninvited inspector cannot score in it; an invited one cannot open it */
  {
    g_autofree char *sid = g_uuid_string_random ();
    g_autofree char *op_id = g_uuid_string_random ();
    g_autofree char *scoring = g_strdup_printf (
      "{\"opId\":\"%s\",\"collection\":\"calibration_scorings\",\"id\":\"%s\","
      "\"action\":\"create\",\"data\":{\"sessionId\":\"%s\",\"interactionId\":\"%s\","
      "\"inspectorId\":\"%s\",\"answers\":{}}}", op_id, sid, id, call, user_id ("inspector2"));

    r = post_one ("inspector2", scoring);
    assert_status (r, "rejected", "invalid-data");
    g_clear_pointer (&r, json_object_unref);
  }
  g_free (op);
  op = session_op ("update", id, 1, user_id ("lead"), "opened", form, call, user_id ("inspector"));
  r = post_one ("inspector", op);
  assert_status (r, "rejected", "missing-right");
  g_clear_pointer (&r, json_object_unref);

  /* the lead opens it, and cannot take it back */
  r = post_one ("lead", op);
  assert_status (r, "applied", NULL);
  g_clear_pointer (&r, json_object_unref);
  g_free (op);
  op = session_op ("update", id, 2, user_id ("lead"), "scoring", form, call, user_id ("inspector"));
  r = post_one ("lead", op);
  assert_status (r, "rejected", "invalid-data");
  g_clear_pointer (&r, json_object_unref);

  /* sign-off is the agent's alone */
  {
    g_autofree char *aid = g_uuid_string_random ();
    g_autofree char *op_id = g_uuid_string_random ();
    g_autofree char *ack = g_strdup_printf (
      "{\"opId\":\"%s\",\"collection\":\"acknowledgements\",\"id\":\"%s\","
      "\"action\":\"create\",\"data\":{\"kind\":\"evaluation\",\"objectId\":\"%s\","
      "\"agentId\":\"%s\",\"byId\":\"%s\"}}", op_id, aid, id, id, user_id ("manager"));

    r = post_one ("manager", ack);
    assert_status (r, "rejected", "missing-right");
    g_clear_pointer (&r, json_object_unref);
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *empty = NULL;
  g_autofree char *forms = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  centre.dir = central_new_dir ();
  centre.data = g_build_filename (centre.dir, "data", NULL);
  empty = g_build_filename (centre.dir, "no-recordings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms", NULL);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "seed", "--interactions", "300",
                                "--days", "14", "--recordings", empty, "--forms", forms,
                                NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "user", "add", "inspector2",
                                "--name", "Second Inspector", "--role", "inspector", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_autofree char *out = NULL;

      g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", logins[i],
                                    NULL), ==, 0);
      centre.tokens[i] = g_strdup (g_strstrip (out));
    }
  centre.server = central_server_start (centre.data, NULL);

  g_test_add_func ("/sync-records/calibration-blind", test_calibration_blind);
  g_test_add_func ("/sync-records/dispute-acknowledgement", test_dispute_and_acknowledgement);
  g_test_add_func ("/sync-records/roles-denied", test_roles_denied);
  rc = g_test_run ();

  central_server_stop (centre.server);
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    g_free (centre.tokens[i]);
  central_remove_dir (centre.dir);
  g_free (centre.dir);
  g_free (centre.data);
  return rc;
}
