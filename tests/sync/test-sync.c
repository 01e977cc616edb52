/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "central-test.h"
#include "test-assayctl.h"
#include "assay-sync-engine.h"
#include "assay-sync-error.h"
#include "store/assay-store-sync.h"
#include "store/assay-store-evaluations.h"
#include "protocol/assay-collections.h"

/*
 * The sync engine against the real assay-central on 127.0.0.1 port 0 (nothing mocked). Each
 * client is a fresh SQLite database of its own. Local work is queued as the store's saves
 * queue it: a row in the outbox (op_id, collection, object_id, action, base_rev, data, reason).
 */

static const char *const logins[] = { "inspector", "lead", "manager", "agent", "admin" };

static struct {
  char          *dir;
  char          *data;
  CentralServer *server;
  char          *tokens[G_N_ELEMENTS (logins)];
} centre;

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
} Client;

static Client *
client_new_for (const char *login,
                const char *base)
{
  Client *c = g_new0 (Client, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("client-%s-%s.db", login, g_uuid_string_random ());

  c->path = g_build_filename (centre.dir, name, NULL);
  c->store = assay_store_new (c->path);
  g_assert_true (assay_store_open_sync (c->store, &error));
  g_assert_no_error (error);
  c->engine = assay_sync_engine_new (c->store, base, token (login));
  /* waits are scaled down so that a test never sleeps for real seconds */
  assay_sync_engine_set_time_scale (c->engine, 0.001);
  return c;
}

static Client *
client_new (const char *login)
{
  return client_new_for (login, centre.server->base);
}

static void
client_free (Client *c)
{
  g_clear_object (&c->engine);
  assay_store_close (c->store);
  g_clear_object (&c->store);
  g_free (c->path);
  g_free (c);
}

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

static gboolean
client_sync (Client  *c,
             GError **error)
{
  Wait w = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  assay_sync_engine_sync_async (c->engine, NULL, sync_done, &w);
  while (!w.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!w.ok)
    g_propagate_error (error, w.error);
  return w.ok;
}

static void
client_sync_ok (Client *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (client_sync (c, &error));
  g_assert_no_error (error);
}

static char *
client_dump (Client     *c,
             const char *collection)
{
  g_autoptr(GError) error = NULL;
  char *out = assay_store_sync_dump_sync (c->store, collection, &error);

  g_assert_no_error (error);
  return out;
}

static char *
server_dump (const char *collection)
{
  char *out = NULL;

  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "dump", collection, NULL), ==, 0);
  return out;
}

static sqlite3 *
client_db (Client *c)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (c->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static gint64
client_int (Client     *c,
            const char *sql)
{
  sqlite3 *db = client_db (c);
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static char *
client_text (Client     *c,
             const char *sql)
{
  sqlite3 *db = client_db (c);
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* What a local save writes: one outbox operation. Returns its op_id. */
static char *
client_queue (Client     *c,
              const char *collection,
              const char *id,
              const char *action,
              gint64      base_rev,
              const char *data,
              const char *reason)
{
  sqlite3 *db = client_db (c);
  sqlite3_stmt *stmt = NULL;
  char *op_id = g_uuid_string_random ();
  static gint64 order = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO outbox (op_id, collection, object_id, action,"
                                           " base_rev, data, reason, created_at)"
                                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
  if (base_rev > 0)
    sqlite3_bind_int64 (stmt, 5, base_rev);
  sqlite3_bind_text (stmt, 6, data, -1, SQLITE_STATIC);
  if (reason)
    sqlite3_bind_text (stmt, 7, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time () / 1000 * 1000 + (order++ % 1000));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return op_id;
}

/* An evaluation's data for @c's account on one of the interactions it has pulled. */
static char *
evaluation_data (Client     *c,
                 const char *answers)
{
  g_autofree char *interaction = client_text (c, "SELECT id FROM sync_object WHERE collection = 'interactions'"
                                                 " ORDER BY id LIMIT 1 OFFSET 7");
  g_autofree char *form = client_text (c, "SELECT id FROM sync_object WHERE collection = 'forms'"
                                          " ORDER BY id LIMIT 1");
  const AssaySyncAccount *account = assay_sync_engine_get_account (c->engine);

  g_assert_nonnull (interaction);
  g_assert_nonnull (form);
  g_assert_nonnull (account);
  return g_strdup_printf ("{\"interactionId\":\"%s\",\"formVersionId\":\"%s\",\"inspectorId\":\"%s\","
                          "\"answers\":%s}", interaction, form, account->user_id, answers);
}

static void
assert_dumps_agree (Client *c)
{
  guint n;
  const AssayCollection *all = assay_collections_get (&n);
  const AssaySyncAccount *account = assay_sync_engine_get_account (c->engine);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *local = NULL;
      g_autofree char *remote = NULL;

      /* a role that reads all of a collection sees exactly the server's dump */
      if (!assay_collection_can_read (&all[i], account->roles))
        continue;
      local = client_dump (c, all[i].name);
      if (all[i].rights[ASSAY_ROLE_MANAGER].read != ASSAY_SCOPE_ALL
          || !(account->roles & (1u << ASSAY_ROLE_MANAGER)))
        continue;
      remote = server_dump (all[i].name);
      g_assert_cmpstr (local, ==, remote);
    }
}

static guint
server_count (const char *collection)
{
  g_autofree char *dump = server_dump (collection);
  guint n = 0;

  for (const char *p = dump; *p; p++)
    n += *p == '\n';
  return n;
}

typedef struct {
  guint interactions, assignments, forms, evaluations, directory;
} Changes;

static void
store_changed_cb (AssayStore  *store,
                  const char  *collection,
                  GStrv        ids,
                  Changes     *c)
{
  if (g_str_equal (collection, ASSAY_STORE_INTERACTIONS))
    c->interactions++;
  else if (g_str_equal (collection, ASSAY_STORE_ASSIGNMENTS))
    c->assignments++;
  else if (g_str_equal (collection, ASSAY_STORE_FORMS))
    c->forms++;
  else if (g_str_equal (collection, ASSAY_STORE_EVALUATIONS))
    c->evaluations++;
  else if (g_str_equal (collection, ASSAY_STORE_DIRECTORY))
    c->directory++;
}

/* ---- tests ---- */

static void
test_first_sync (void)
{
  Client *c = client_new ("manager");
  const AssaySyncReport *r;
  const AssaySyncAccount *a;
  g_autofree char *teams = NULL;

  client_sync_ok (c);
  r = assay_sync_engine_get_report (c->engine);
  g_assert_cmpuint (r->pulled, >, 100);
  g_assert_cmpuint (r->pending, ==, 0);
  g_assert_cmpint (assay_sync_engine_get_state (c->engine), ==, ASSAY_SYNC_STATE_IDLE);
  g_assert_cmpint (assay_sync_engine_get_last_sync (c->engine), >, 0);
  a = assay_sync_engine_get_account (c->engine);
  g_assert_cmpstr (a->login, ==, "manager");
  g_assert_true (a->roles & (1u << ASSAY_ROLE_MANAGER));
  assert_dumps_agree (c);
  teams = client_dump (c, "teams");
  g_assert_cmpuint (strlen (teams), >, 0);
  /* every feed's cursor was stored with its page */
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM sync_state WHERE cursor IS NOT NULL"), >=, 6);
  client_free (c);
}

/* The pulled objects reach the domain tables the pages read, and the store says so. */
static void
test_first_sync_domain (void)
{
  Client *c = client_new ("manager");
  Changes changes = { 0 };
  gulong handler = g_signal_connect (c->store, "changed", G_CALLBACK (store_changed_cb), &changes);
  g_autofree char *submitted_sql = NULL;

  client_sync_ok (c);
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM interaction"), ==, server_count ("interactions"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM assignment"), ==, server_count ("assignments"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM form_version"), ==, server_count ("forms"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM team"), ==, server_count ("teams"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM agent"), ==, server_count ("agents"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM evaluation"), ==, server_count ("evaluations"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM interaction WHERE rev IS NULL"), ==, 0);
  /* a form version's form is found by its code, and holds the scorecard it names */
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM form_version v JOIN form f ON f.id = v.form_id"
                                  " WHERE f.code IS NOT NULL AND json_extract (v.definition, '$.id') = f.code"),
                   ==, server_count ("forms"));
  /* submitted evaluations come with their revision, answers and score; drafts with a draft */
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM evaluation e JOIN evaluation_revision r"
                                  " ON r.id = e.current_revision_id WHERE e.state = 'submitted'"
                                  " AND r.score IS NOT NULL AND json_valid (r.answers)"),
                   ==, client_int (c, "SELECT count(*) FROM evaluation WHERE state = 'submitted'"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM evaluation WHERE state = 'submitted'"), >, 0);
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM evaluation e WHERE state = 'draft'"
                                  " AND NOT EXISTS (SELECT 1 FROM evaluation_draft d WHERE d.evaluation_id = e.id)"),
                   ==, 0);
  submitted_sql = g_strdup ("SELECT count(*) FROM evaluation WHERE sync_state = 'synced' AND synced_at > 0");
  g_assert_cmpint (client_int (c, submitted_sql), ==, server_count ("evaluations"));
  /* open pages heard of it */
  g_assert_cmpuint (changes.interactions, >, 0);
  g_assert_cmpuint (changes.assignments, >, 0);
  g_assert_cmpuint (changes.forms, >, 0);
  g_assert_cmpuint (changes.evaluations, >, 0);
  g_assert_cmpuint (changes.directory, >, 0);

  /* a second sync changes nothing and announces nothing */
  memset (&changes, 0, sizeof changes);
  client_sync_ok (c);
  g_assert_cmpuint (changes.interactions + changes.assignments + changes.forms + changes.evaluations, ==, 0);
  g_signal_handler_disconnect (c->store, handler);
  client_free (c);
}

/* A first sync over many small pages goes to the end of every feed. */
static void
test_first_sync_pages (void)
{
  Client *c = client_new ("manager");
  Client *d = client_new ("manager");
  const AssaySyncReport *r;

  g_object_set (c->engine, "page-size", 37, NULL);
  client_sync_ok (c);
  r = assay_sync_engine_get_report (c->engine);
  g_assert_cmpuint (r->requests, >, server_count ("interactions") / 37);
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM sync_object WHERE collection = 'interactions'"),
                   ==, server_count ("interactions"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM interaction"), ==, server_count ("interactions"));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM sync_state WHERE state IS NULL"), ==, 0);
  assert_dumps_agree (c);

  /* the same as one client pulling in big pages */
  client_sync_ok (d);
  {
    g_autofree char *a = client_dump (c, "evaluations");
    g_autofree char *b = client_dump (d, "evaluations");
    g_assert_cmpstr (a, ==, b);
  }
  /* and nothing more to pull */
  client_sync_ok (c);
  g_assert_cmpuint (assay_sync_engine_get_report (c->engine)->pulled, ==, 0);
  client_free (c);
  client_free (d);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} StoreWait;

static void
account_set (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  StoreWait *w = user_data;

  w->ok = assay_store_sync_set_account_finish (ASSAY_STORE (source), result, &w->error);
  w->done = TRUE;
}

/* Sign-in as the UI does it: the session's account is kept and becomes "me". */
static void
client_keep_account (Client *c)
{
  const AssaySyncAccount *a = assay_sync_engine_get_account (c->engine);
  g_autofree char *roles = NULL;
  AssayStoreSyncAccount kept = { 0 };
  StoreWait w = { 0 };

  g_assert_nonnull (a);
  roles = assay_roles_to_string (a->roles);
  kept.server_url = (char *) centre.server->base;
  kept.login = a->login;
  kept.user_id = a->user_id;
  kept.name = a->name;
  kept.roles = roles;
  assay_store_sync_set_account_async (c->store, &kept, NULL, account_set, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
}

/* An evaluation made and submitted through the store reaches the server whole. */
static void
test_submitted_payload (void)
{
  Client *c = client_new ("inspector");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *interaction = NULL, *form = NULL, *code = NULL, *answers = NULL, *dump = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayEvaluationSync) state = NULL;
  AssayEvaluationRecord rec = { 0 };
  g_autoptr(AssaySyncAccount) account = NULL;
  const char *line;

  client_sync_ok (c);
  client_keep_account (c);
  /* a copy: the engine replaces its account at each session */
  account = assay_sync_account_copy (assay_sync_engine_get_account (c->engine));
  g_assert_cmpint (client_int (c, "SELECT count(*) FROM staff WHERE is_me = 1"), ==, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM staff WHERE is_me = 1 AND id = '%s'", account->user_id);
  g_assert_cmpint (client_int (c, sql), ==, 1);

  /* from the local tables the pull filled */
  interaction = client_text (c, "SELECT id FROM interaction WHERE id NOT IN (SELECT interaction_id FROM evaluation)"
                                " ORDER BY id LIMIT 1 OFFSET 3");
  form = client_text (c, "SELECT v.id FROM form_version v ORDER BY v.id LIMIT 1");
  code = client_text (c, "SELECT f.code || ':' || v.version FROM form_version v JOIN form f ON f.id = v.form_id"
                         " ORDER BY v.id LIMIT 1");
  g_assert_nonnull (interaction);
  g_assert_nonnull (form);
  {
    g_auto(GStrv) parts = g_strsplit (code, ":", 2);
    answers = g_strdup_printf ("{\"answers\":{\"greeting\":{\"value\":\"yes\"}},\"form_id\":\"%s\","
                               "\"form_version\":%s,\"format\":1}", parts[0], parts[1]);
  }
  rec.id = id;
  rec.interaction_id = interaction;
  rec.form_version_id = form;
  rec.inspector_id = account->user_id;
  rec.answers = answers;
  rec.score = 87.5;
  g_assert_cmpint (assay_store_save_draft_sync (c->store, &rec, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_submit_evaluation_sync (c->store, id, account->user_id, NULL, &error), ==, 1);
  g_assert_no_error (error);
  state = assay_store_sync_evaluation_state_sync (c->store, id, &error);
  g_assert_cmpint (state->state, ==, ASSAY_EVALUATION_SYNC_LOCAL);
  g_clear_pointer (&state, assay_evaluation_sync_free);

  client_sync_ok (c);
  g_assert_cmpuint (assay_sync_engine_get_report (c->engine)->rejected, ==, 0);
  g_assert_cmpuint (assay_sync_engine_get_report (c->engine)->pending, ==, 0);
  g_assert_cmpuint (assay_sync_engine_get_report (c->engine)->open_conflicts, ==, 0);

  /* the server holds it submitted, revision 1, with the answers and the score */
  dump = server_dump ("evaluations");
  line = strstr (dump, id);
  g_assert_nonnull (line);
  line = g_strrstr_len (dump, line - dump, "\n") ? g_strrstr_len (dump, line - dump, "\n") + 1 : dump;
  {
    g_autofree char *one = g_strndup (line, strchr (line, '\n') - line);
    g_autoptr(JsonNode) node = json_from_string (one, NULL);
    JsonObject *data = json_object_get_object_member (json_node_get_object (node), "data");

    g_assert_cmpstr (json_object_get_string_member (data, "state"), ==, "submitted");
    g_assert_cmpint (json_object_get_int_member (data, "revision"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (data, "inspectorId"), ==, account->user_id);
    g_assert_cmpstr (json_object_get_string_member (data, "interactionId"), ==, interaction);
    g_assert_nonnull (strstr (one, "\"greeting\":{\"value\":\"yes\"}"));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (data, "score"), 87.5, 0.001);
  }
  /* and the evaluation is synced here */
  state = assay_store_sync_evaluation_state_sync (c->store, id, &error);
  g_assert_cmpint (state->state, ==, ASSAY_EVALUATION_SYNC_SYNCED);
  g_assert_cmpint (state->synced_at, >, 0);
  g_assert_cmpint (state->server_rev, ==, 2);
  client_free (c);
}

static void
test_incremental (void)
{
  Client *a = client_new ("inspector");
  Client *b = client_new ("inspector");
  Client *m = client_new ("manager");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *data = NULL;
  g_autofree char *op = NULL;
  g_autofree char *sql = NULL;
  const AssaySyncReport *r;

  client_sync_ok (a);
  client_sync_ok (b);
  client_sync_ok (m);
  data = evaluation_data (a, "{}");
  op = client_queue (a, "evaluations", id, "create", 0, data, NULL);
  client_sync_ok (a);
  r = assay_sync_engine_get_report (a->engine);
  g_assert_cmpuint (r->pushed, ==, 1);
  g_assert_cmpuint (r->pending, ==, 0);
  /* the echo came back with the operation that made it */
  sql = g_strdup_printf ("SELECT count(*) FROM sync_object WHERE id = '%s' AND last_op_id = '%s'", id, op);
  g_assert_cmpint (client_int (a, sql), ==, 1);

  /* b pulls only what is new: one evaluation */
  client_sync_ok (b);
  r = assay_sync_engine_get_report (b->engine);
  g_assert_cmpuint (r->pulled, ==, 1);
  g_assert_cmpint (client_int (b, sql), ==, 1);

  /* nothing new: the session request only */
  client_sync_ok (b);
  r = assay_sync_engine_get_report (b->engine);
  g_assert_cmpuint (r->pulled, ==, 0);
  g_assert_cmpuint (r->requests, ==, 1);
  g_assert_cmpuint (r->bytes_received, <, 10 * 1024);

  client_sync_ok (m);
  assert_dumps_agree (m);
  client_free (a);
  client_free (b);
  client_free (m);
}

static void
test_conflicting_copy (void)
{
  Client *a = client_new ("inspector");
  Client *b = client_new ("inspector");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *data = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *server_copy = NULL;
  g_autofree char *op1 = NULL, *op2 = NULL, *op3 = NULL;
  const AssaySyncReport *r;
  guint conflicts = 0;

  client_sync_ok (a);
  data = evaluation_data (a, "{}");
  op1 = client_queue (a, "evaluations", id, "create", 0, data, NULL);
  client_sync_ok (a);
  client_sync_ok (b);

  /* both machines edit the same draft from rev 1 */
  mine = evaluation_data (a, "{\"greeting\":{\"value\":\"yes\"}}");
  theirs = evaluation_data (b, "{\"greeting\":{\"value\":\"no\"}}");
  op2 = client_queue (a, "evaluations", id, "update", 1, mine, NULL);
  op3 = client_queue (b, "evaluations", id, "update", 1, theirs, NULL);
  client_sync_ok (a);
  client_sync_ok (b);
  r = assay_sync_engine_get_report (b->engine);
  g_assert_cmpuint (r->conflicts, ==, 1);
  g_assert_cmpuint (r->open_conflicts, ==, 1);
  g_object_get (b->engine, "conflicts", &conflicts, NULL);
  g_assert_cmpuint (conflicts, ==, 1);

  /* nothing lost: the server's copy is the draft, b's edit a linked conflicting copy */
  sql = g_strdup_printf ("SELECT local_data FROM evaluation_conflict WHERE evaluation_id = '%s'"
                         " AND kind = 'conflict' AND resolved_at IS NULL", id);
  kept = client_text (b, sql);
  g_assert_nonnull (kept);
  g_assert_nonnull (strstr (kept, "\"no\""));
  g_free (sql);
  sql = g_strdup_printf ("SELECT data FROM sync_object WHERE collection = 'evaluations' AND id = '%s'", id);
  server_copy = client_text (b, sql);
  g_assert_nonnull (strstr (server_copy, "\"yes\""));
  g_free (sql);
  sql = g_strdup_printf ("SELECT server_data FROM evaluation_conflict WHERE evaluation_id = '%s'", id);
  g_free (server_copy);
  server_copy = client_text (b, sql);
  g_assert_nonnull (server_copy);
  g_assert_nonnull (strstr (server_copy, "\"yes\""));
  /* the list a side-by-side view reads */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *cid = NULL;
    g_free (sql);
    sql = g_strdup_printf ("SELECT id FROM evaluation_conflict WHERE evaluation_id = '%s'", id);
    cid = client_text (b, sql);
    g_assert_true (assay_store_sync_resolve_conflict_sync (b->store, cid, &error));
    g_assert_no_error (error);
    g_assert_false (assay_store_sync_resolve_conflict_sync (b->store, cid, &error));
    g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  }
  client_free (a);
  client_free (b);
}

static void
test_amend (void)
{
  Client *a = client_new ("inspector");
  Client *lead = client_new ("manager");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *data = NULL, *amended = NULL, *stale = NULL;
  g_autofree char *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL;
  g_autofree char *sql = NULL, *dump = NULL, *reason = NULL;
  const AssaySyncReport *r;

  client_sync_ok (a);
  data = evaluation_data (a, "{}");
  o1 = client_queue (a, "evaluations", id, "create", 0, data, NULL);
  o2 = client_queue (a, "evaluations", id, "submit", 0, data, NULL);
  client_sync_ok (a);
  r = assay_sync_engine_get_report (a->engine);
  g_assert_cmpuint (r->pushed, ==, 2);   /* the submit's baseRev follows the create's */
  sql = g_strdup_printf ("SELECT rev FROM sync_object WHERE id = '%s'", id);
  g_assert_cmpint (client_int (a, sql), ==, 2);

  /* a manager amends with a reason, on the current rev */
  client_sync_ok (lead);
  amended = evaluation_data (a, "{\"greeting\":{\"value\":\"no\"}}");
  o3 = client_queue (lead, "evaluations", id, "amend", 2, amended, "calibration outcome");
  client_sync_ok (lead);
  r = assay_sync_engine_get_report (lead->engine);
  g_assert_cmpuint (r->pushed, ==, 1);
  dump = server_dump ("evaluations");
  g_assert_nonnull (strstr (dump, "calibration outcome"));

  /* the inspector's stale amend is rejected and kept locally with the reason */
  stale = evaluation_data (a, "{\"greeting\":{\"value\":\"yes\"}}");
  o4 = client_queue (a, "evaluations", id, "amend", 2, stale, "my own second look");
  client_sync_ok (a);
  r = assay_sync_engine_get_report (a->engine);
  g_assert_cmpuint (r->rejected, ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT reason FROM evaluation_conflict WHERE evaluation_id = '%s' AND kind = 'rejected'", id);
  reason = client_text (a, sql);
  g_assert_nonnull (reason);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM evaluation_conflict WHERE evaluation_id = '%s'"
                         " AND local_data LIKE '%%\"yes\"%%'", id);
  g_assert_cmpint (client_int (a, sql), ==, 1);
  client_free (a);
  client_free (lead);
}

static void
test_roles_denied (void)
{
  Client *agent = client_new ("agent");
  Client *admin = client_new ("admin");
  Client *insp = client_new ("inspector");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *tid = g_uuid_string_random ();
  g_autofree char *op = NULL, *op2 = NULL, *data = NULL;
  g_autofree char *reason = NULL;
  const AssaySyncReport *r;

  client_sync_ok (insp);
  client_sync_ok (agent);
  client_sync_ok (admin);
  /* an agent sees no team, an admin no interaction */
  g_assert_cmpint (client_int (agent, "SELECT count(*) FROM sync_object WHERE collection = 'teams'"), ==, 0);
  g_assert_cmpint (client_int (admin, "SELECT count(*) FROM sync_object WHERE collection = 'interactions'"), ==, 0);
  g_assert_cmpint (client_int (insp, "SELECT count(*) FROM sync_object WHERE collection = 'interactions'"), >, 0);

  /* an agent may not create an evaluation; an inspector may not create a team */
  data = evaluation_data (insp, "{}");
  op = client_queue (agent, "evaluations", id, "create", 0, data, NULL);
  op2 = client_queue (insp, "teams", tid, "create", 0, "{\"name\":\"Mine\"}", NULL);
  g_assert_false (client_sync (agent, NULL) && assay_sync_engine_get_report (agent->engine)->rejected == 0);
  r = assay_sync_engine_get_report (agent->engine);
  g_assert_cmpuint (r->rejected, ==, 1);
  g_assert_cmpuint (r->pending, ==, 0);
  g_assert_cmpuint (r->open_conflicts, ==, 1);
  reason = client_text (agent, "SELECT reason FROM evaluation_conflict WHERE kind = 'rejected'");
  g_assert_nonnull (reason);
  client_sync_ok (insp);
  g_assert_cmpuint (assay_sync_engine_get_report (insp->engine)->rejected, ==, 1);
  g_assert_cmpint (client_int (insp, "SELECT count(*) FROM evaluation_conflict WHERE local_data LIKE '%Mine%'"), ==, 1);
  client_free (agent);
  client_free (admin);
  client_free (insp);
}

static void
test_expired_cursor (void)
{
  Client *m = client_new ("manager");
  Client *i = client_new ("inspector");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *other = g_uuid_string_random ();
  g_autofree char *data = NULL, *op = NULL, *op2 = NULL, *sql = NULL;
  const AssaySyncReport *r;

  client_sync_ok (m);
  client_sync_ok (i);
  data = evaluation_data (i, "{}");
  op = client_queue (i, "evaluations", id, "create", 0, data, NULL);
  client_sync_ok (i);
  /* a draft deleted on the server side; then the server forgets its deletions */
  op2 = client_queue (i, "evaluations", id, "delete", 1, NULL, NULL);
  client_sync_ok (i);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "compact", NULL), ==, 0);

  /* the manager's cursor is now too old: 410, resync, and the deleted draft is gone too
   * (the manager still had it) while pending work is kept */
  sql = g_strdup_printf ("SELECT count(*) FROM sync_object WHERE id = '%s'", id);
  g_assert_cmpint (client_int (m, sql), ==, 0);
  {
    g_autofree char *pend = client_queue (m, "evaluations", other, "update", 1,
                                          "{\"answers\":{}}", NULL);
    /* pretend the manager's copy had the object at rev 1 with unsent work (it is kept) */
    g_autofree char *ins = g_strdup_printf ("INSERT INTO sync_object (collection, id, rev, data)"
                                            " VALUES ('evaluations', '%s', 1, '{}')", other);
    sqlite3 *db = client_db (m);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE outbox SET batch_key = NULL, collection = 'evaluations'", NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, ins, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    g_autofree char *idx = g_uuid_string_random ();
    g_autofree char *d2 = evaluation_data (i, "{}");
    g_autofree char *o3 = client_queue (i, "evaluations", idx, "create", 0, d2, NULL);
    client_sync_ok (i);   /* something new after the compaction */
  }
  client_sync (m, NULL);
  r = assay_sync_engine_get_report (m->engine);
  g_assert_cmpuint (r->pulled, >, 100);   /* pulled again from the beginning */
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM sync_object WHERE id = '%s'", other);
  /* the object with local work survived the resync (its push was refused: it does not exist) */
  g_assert_cmpint (client_int (m, sql), ==, 1);
  client_free (m);
  client_free (i);
}

static void
test_revoked_token (void)
{
  g_autofree char *out = NULL;
  g_autofree char *tok = NULL;
  Client *c = client_new ("inspector");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", "inspector", NULL), ==, 0);
  tok = g_strdup (g_strstrip (out));
  assay_sync_engine_set_token (c->engine, tok);
  client_sync_ok (c);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "token", "revoke", tok, NULL), ==, 0);
  g_assert_false (client_sync (c, &error));
  g_assert_error (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH);
  g_assert_cmpint (assay_sync_engine_get_state (c->engine), ==, ASSAY_SYNC_STATE_SIGNED_OUT);
  g_assert_nonnull (assay_sync_engine_get_last_error (c->engine));
  client_free (c);
}

static JsonObject *
report_of (TestRun *run)
{
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) lines = g_strsplit (g_strstrip (run->out), "\n", -1);

  /* the JSON report is the last line */
  node = json_from_string (lines[g_strv_length (lines) - 1], NULL);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* assayctl sync --json for scripts: exit 0 only when nothing waits, the counts true. */
static void
test_assayctl_sync (void)
{
  g_autofree char *db = g_build_filename (centre.dir, "assayctl-sync.db", NULL);
  g_autofree char *token_file = g_build_filename (centre.dir, "inspector.token", NULL);
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *tid = g_uuid_string_random ();
  g_autofree char *sql = NULL;
  g_autofree char *local = NULL;
  g_auto(TestRun) first = { 0 };
  g_auto(TestRun) again = { 0 };
  g_auto(TestRun) refused = { 0 };
  g_auto(TestRun) dump = { 0 };
  sqlite3 *sdb = NULL;

  g_assert_true (g_file_set_contents (token_file, token ("inspector"), -1, NULL));

  /* a first sync: everything pulled, nothing left */
  test_run_assayctl (&first, "--database", db, "sync", "--server", centre.server->base,
                     "--token-file", token_file, "--json", NULL);
  g_assert_cmpint (first.status, ==, 0);
  report = report_of (&first);
  g_assert_true (json_object_get_boolean_member (report, "ok"));
  g_assert_cmpint (json_object_get_int_member (report, "pulled"), >, 100);
  g_assert_cmpint (json_object_get_int_member (report, "pending"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "rejected"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "openConflicts"), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (report, "error")));
  g_clear_pointer (&report, json_object_unref);

  /* the local copy prints as the server's dump */
  test_run_assayctl (&dump, "--database", db, "dump", "forms", NULL);
  g_assert_cmpint (dump.status, ==, 0);
  local = server_dump ("forms");
  g_assert_cmpstr (dump.out, ==, local);

  /* nothing new: one request, exit 0 */
  test_run_assayctl (&again, "--database", db, "sync", "--server", centre.server->base,
                     "--token-file", token_file, "--json", NULL);
  g_assert_cmpint (again.status, ==, 0);
  report = report_of (&again);
  g_assert_cmpint (json_object_get_int_member (report, "requests"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "pulled"), ==, 0);
  g_clear_pointer (&report, json_object_unref);

  /* an inspector may not create a team: rejected, kept, and the exit status says work waits */
  g_assert_cmpint (sqlite3_open (db, &sdb), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO outbox (op_id, collection, object_id, action, data, created_at)"
                         " VALUES ('%s', 'teams', '%s', 'create', '{\"name\":\"Mine\"}', 1)", tid, tid);
  g_assert_cmpint (sqlite3_exec (sdb, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (sdb);
  test_run_assayctl (&refused, "--database", db, "sync", "--server", centre.server->base,
                     "--token-file", token_file, "--json", NULL);
  g_assert_cmpint (refused.status, ==, 1);
  report = report_of (&refused);
  g_assert_true (json_object_get_boolean_member (report, "ok"));
  g_assert_cmpint (json_object_get_int_member (report, "rejected"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "pending"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "openConflicts"), ==, 1);
}

static void
test_urls_and_backoff (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_sync_engine_check_url ("https://qa.example.org", NULL));
  g_assert_true (assay_sync_engine_check_url ("http://127.0.0.1:8080", NULL));
  g_assert_true (assay_sync_engine_check_url ("http://[::1]:8080", NULL));
  g_assert_false (assay_sync_engine_check_url ("http://qa.example.org", &error));
  g_assert_error (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_INSECURE);
  g_clear_error (&error);
  g_assert_false (assay_sync_engine_check_url ("qa.example.org", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  /* full jitter: uniform under min (cap, 2 s * 2^(n-1)), at least Retry-After */
  g_assert_cmpint (assay_sync_backoff_delay_ms (1, 0.999, 0), <, 2000);
  g_assert_cmpint (assay_sync_backoff_delay_ms (1, 0.0, 0), ==, 0);
  g_assert_cmpint (assay_sync_backoff_delay_ms (3, 0.5, 0), ==, 4000);
  g_assert_cmpint (assay_sync_backoff_delay_ms (30, 0.999, 0), <=, 600000);
  g_assert_cmpint (assay_sync_backoff_delay_ms (30, 0.999, 0), >, 590000);
  g_assert_cmpint (assay_sync_backoff_delay_ms (2, 0.0, 7000), ==, 7000);
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
  g_mkdir (empty, 0700);
  forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms", NULL);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "seed", "--interactions", "300",
                                "--days", "14", "--recordings", empty, "--forms", forms,
                                NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_autofree char *out = NULL;

      g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", logins[i],
                                    NULL), ==, 0);
      centre.tokens[i] = g_strdup (g_strstrip (out));
    }
  centre.server = central_server_start (centre.data, NULL);

  g_test_add_func ("/sync/urls-and-backoff", test_urls_and_backoff);
  g_test_add_func ("/sync/first", test_first_sync);
  g_test_add_func ("/sync/first-domain", test_first_sync_domain);
  g_test_add_func ("/sync/first-pages", test_first_sync_pages);
  g_test_add_func ("/sync/submitted-payload", test_submitted_payload);
  g_test_add_func ("/sync/assayctl", test_assayctl_sync);
  g_test_add_func ("/sync/incremental", test_incremental);
  g_test_add_func ("/sync/conflicting-copy", test_conflicting_copy);
  g_test_add_func ("/sync/amend", test_amend);
  g_test_add_func ("/sync/roles-denied", test_roles_denied);
  g_test_add_func ("/sync/expired-cursor", test_expired_cursor);
  g_test_add_func ("/sync/revoked-token", test_revoked_token);
  rc = g_test_run ();

  central_server_stop (centre.server);
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    g_free (centre.tokens[i]);
  central_remove_dir (centre.dir);
  g_free (centre.dir);
  g_free (centre.data);
  return rc;
}
