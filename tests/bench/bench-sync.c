/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "central-test.h"
#include "assay-sync-engine.h"
#include "store/assay-store-sync.h"

/*
 * The sync engine against a local assay-central (the real one, 127.0.0.1 port 0):
 * - initial sync of a centre of 100,000 interactions and 5,000 assignments (the demo's, and the
 *   rest created through POST /ops by the manager before it): target ≤ 20 s;
 * - a sync with nothing new: target ≤ 1 request per collection, < 10 KB in all;
 * - pushing 1,000 evaluations (and pulling their echoes): target ≤ 5 s.
 * Figures are printed beside their targets; a benchmark never fails on time.
 * ASSAY_BENCH_SYNC_INTERACTIONS overrides the size (for a quick look).
 */

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

static double
timed_sync (AssaySyncEngine *engine)
{
  Wait w = { 0 };
  gint64 start = g_get_monotonic_time ();

  assay_sync_engine_sync_async (engine, NULL, sync_done, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  if (!w.ok)
    g_error ("sync failed: %s", w.error->message);
  return (g_get_monotonic_time () - start) / 1e6;
}

static gint64
count (const char *path,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  sqlite3_open (path, &db);
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

#define N_ASSIGNMENTS 5000

/* the ids of @sql (one column) in the server's database */
static GPtrArray *
server_ids (const char *data,
            const char *sql)
{
  g_autofree char *path = g_build_filename (data, "central.db", NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  sqlite3_open (path, &db);
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ids;
}

/* Brings the centre to N_ASSIGNMENTS assignments, as a manager would: creates through POST /ops,
 * 200 to a batch, spread over the centre's inspectors and its contacts. */
static guint
seed_assignments (CentralServer *server,
                  const char    *data,
                  const char    *token)
{
  g_autoptr(GPtrArray) have = server_ids (data, "SELECT id FROM object WHERE collection = 'assignments' AND deleted = 0");
  g_autoptr(GPtrArray) inspectors = server_ids (data, "SELECT id FROM object WHERE collection = 'staff'"
                                                      " AND EXISTS (SELECT 1 FROM json_each (data, '$.roles')"
                                                      " WHERE value = 'inspector') ORDER BY id");
  g_autoptr(GPtrArray) forms = server_ids (data, "SELECT id FROM object WHERE collection = 'forms' ORDER BY id LIMIT 1");
  g_autoptr(GPtrArray) contacts = server_ids (data, "SELECT id FROM object WHERE collection = 'interactions'"
                                                    " ORDER BY id DESC LIMIT 5000");
  g_autofree char *url = g_strconcat (server->base, "/api/v1/ops", NULL);
  guint want = have->len < N_ASSIGNMENTS ? N_ASSIGNMENTS - have->len : 0;
  guint made = 0;
  gint64 now = g_get_real_time () / 1000;

  g_assert_cmpuint (inspectors->len, >, 0);
  g_assert_cmpuint (forms->len, ==, 1);
  g_assert_cmpuint (contacts->len, >, 0);
  while (made < want)
    {
      g_autoptr(GString) body = g_string_new ("{\"ops\":[");
      g_autofree char *key = g_uuid_string_random ();
      const char *headers[] = { "Idempotency-Key", key, NULL };
      g_autoptr(CentralReply) reply = NULL;
      guint n = MIN (200, want - made);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *op = g_uuid_string_random ();
          g_autofree char *id = g_uuid_string_random ();
          guint k = made + i;

          g_string_append_printf (body, "%s{\"opId\":\"%s\",\"collection\":\"assignments\",\"id\":\"%s\","
                                  "\"action\":\"create\",\"data\":{\"interactionId\":\"%s\","
                                  "\"inspectorId\":\"%s\",\"formVersionId\":\"%s\",\"dueAt\":%" G_GINT64_FORMAT ","
                                  "\"source\":\"centre\",\"createdAt\":%" G_GINT64_FORMAT "}}",
                                  i > 0 ? "," : "", op, id,
                                  (const char *) g_ptr_array_index (contacts, k % contacts->len),
                                  (const char *) g_ptr_array_index (inspectors, k % inspectors->len),
                                  (const char *) g_ptr_array_index (forms, 0), now + 7 * 86400000, now);
        }
      g_string_append (body, "]}");
      reply = central_request (NULL, "POST", url, token, headers, body->str, (gssize) body->len);
      g_assert_no_error (reply->error);
      if (reply->status != 200)
        g_error ("POST /ops answered %u", reply->status);
      made += n;
    }
  return have->len + made;
}

int
main (int argc, char **argv)
{
  const char *size_env = g_getenv ("ASSAY_BENCH_SYNC_INTERACTIONS");
  g_autofree char *size = g_strdup (size_env ? size_env : "100000");
  g_autofree char *dir = central_new_dir ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *empty = g_build_filename (dir, "no-recordings", NULL);
  g_autofree char *forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms", NULL);
  g_autofree char *man_tok = NULL, *insp_tok = NULL;
  g_autofree char *man_db = g_build_filename (dir, "manager.db", NULL);
  g_autofree char *insp_db = g_build_filename (dir, "inspector.db", NULL);
  g_autoptr(AssayStore) man_store = assay_store_new (man_db);
  g_autoptr(AssayStore) insp_store = assay_store_new (insp_db);
  g_autoptr(AssaySyncEngine) man = NULL;
  g_autoptr(AssaySyncEngine) insp = NULL;
  g_autofree char *interaction = NULL, *form = NULL;
  const AssaySyncReport *r;
  CentralServer *server;
  double t;
  guint n_collections;

  g_mkdir (empty, 0700);
  g_assert_cmpint (central_run (data, NULL, NULL, NULL, "init", NULL), ==, 0);
  {
    /* seeding 100,000 contacts takes longer than central_run's 30 s bound for a command */
    const char *seed_argv[] = { g_getenv ("ASSAY_CENTRAL"), "--data", data, "seed", "--interactions",
                                size, "--days", "60", "--recordings", empty, "--forms", forms, NULL };
    int status = 0;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) seed_argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                 NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_cmpint (central_run (data, NULL, &man_tok, NULL, "token", "create", "manager", NULL), ==, 0);
  g_assert_cmpint (central_run (data, NULL, &insp_tok, NULL, "token", "create", "inspector", NULL), ==, 0);
  g_strstrip (man_tok);
  g_strstrip (insp_tok);
  server = central_server_start (data, NULL);
  g_assert_true (assay_store_open_sync (man_store, NULL));
  g_assert_true (assay_store_open_sync (insp_store, NULL));

  printf ("the centre: %s interactions, %u assignments\n", size, seed_assignments (server, data, man_tok));

  /* 1: initial sync, pages of the largest size the session allows */
  man = assay_sync_engine_new (man_store, server->base, man_tok);
  g_object_set (man, "page-size", 1000, NULL);
  t = timed_sync (man);
  r = assay_sync_engine_get_report (man);
  printf ("initial sync of %" G_GINT64_FORMAT " interactions and %" G_GINT64_FORMAT " assignments "
          "(%u objects, %u requests, %.1f MB): %.2f s (target ≤ 20 s for 100,000 and 5,000)\n",
          count (man_db, "SELECT count(*) FROM sync_object WHERE collection = 'interactions'"),
          count (man_db, "SELECT count(*) FROM sync_object WHERE collection = 'assignments'"),
          r->pulled, r->requests, r->bytes_received / 1e6, t);

  /* 2: nothing new */
  t = timed_sync (man);
  r = assay_sync_engine_get_report (man);
  n_collections = count (man_db, "SELECT count(*) FROM sync_state");
  printf ("sync with nothing new: %u requests for %u collections, %.1f KB (target ≤ 1 request per "
          "collection, < 10 KB); %.0f ms\n", r->requests, n_collections, r->bytes_received / 1024.0, t * 1000);

  /* 3: push 1,000 evaluations (the inspector's machine, after its own first sync) */
  insp = assay_sync_engine_new (insp_store, server->base, insp_tok);
  g_object_set (insp, "page-size", 1000, NULL);
  timed_sync (insp);
  {
    sqlite3 *db = NULL;
    const AssaySyncAccount *a = assay_sync_engine_get_account (insp);
    g_autofree char *sql = NULL;

    sqlite3_open (insp_db, &db);
    sqlite3_busy_timeout (db, 10000);
    sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
    sql = g_strdup_printf ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
                           " INSERT INTO outbox (op_id, collection, object_id, action, data, created_at)"
                           " SELECT lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' ||"
                           "  substr (hex (randomblob (2)), 2) || '-a' || substr (hex (randomblob (2)), 2) || '-' ||"
                           "  hex (randomblob (6))),"
                           " 'evaluations',"
                           " lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' ||"
                           "  substr (hex (randomblob (2)), 2) || '-a' || substr (hex (randomblob (2)), 2) || '-' ||"
                           "  hex (randomblob (6))),"
                           " 'create',"
                           " json_object ('interactionId', (SELECT id FROM sync_object WHERE collection = 'interactions'"
                           "   ORDER BY id LIMIT 1),"
                           "  'formVersionId', (SELECT id FROM sync_object WHERE collection = 'forms' ORDER BY id LIMIT 1),"
                           "  'inspectorId', '%s', 'answers', json_object ()), i FROM n", a->user_id);
    if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
      g_error ("queueing the evaluations: %s", sqlite3_errmsg (db));
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close (db);
  }
  t = timed_sync (insp);
  r = assay_sync_engine_get_report (insp);
  printf ("push of 1,000 evaluations (%u applied, %u rejected, %u pending after; %u requests, echoes "
          "pulled back): %.2f s (target ≤ 5 s)\n", r->pushed, r->rejected, r->pending, r->requests, t);

  g_clear_object (&man);
  g_clear_object (&insp);
  assay_store_close (man_store);
  assay_store_close (insp_store);
  central_server_stop (server);
  central_remove_dir (dir);
  return 0;
}
