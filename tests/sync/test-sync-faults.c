/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "central-test.h"
#include "fault-proxy.h"
#include "assay-sync-engine.h"
#include "store/assay-store-sync.h"
#include "protocol/assay-collections.h"

/*
 * 200 randomised sync sessions through fault-proxy.c (cuts at a random byte, delays, resets,
 * 503, 429 with Retry-After) between the engine and the real assay-central. Two machines of
 * one inspector create, edit and submit their own drafts; a manager only reads. In each
 * session one, two or all three machines sync at the same time. Afterwards, with the faults
 * off, every machine syncs until it has nothing left, and then:
 * - the server holds exactly one effect per operation: each evaluation's rev is the number of
 *   operations made on it (a replay applied twice would raise it, a lost one lower it);
 * - nothing is pending, nothing in conflict or rejected;
 * - `assayctl dump` (here the same function) and `assay-central dump` agree for every
 *   collection the manager reads, and the two inspector machines hold the same copy, every
 *   line of which is the server's.
 * On PostgreSQL (test-sync-faults-pg: run-with-pg.sh sets ASSAY_TEST_PG) three assay-central
 * processes share the database, each behind its own fault proxy, and each machine syncs
 * through a different one; at the end a new manager machine makes its first sync through each
 * process in turn and every one of them holds exactly what `assay-central dump` prints: the
 * feeds every process serves are one gap-free order.
 * The seed is printed, and ASSAY_FAULT_SEED replays a run.
 */

#define N_SESSIONS 200
#define N_CLIENTS 3
#define MAX_PROCESSES 3

static struct {
  char          *dir;
  char          *data;
  CentralServer *servers[MAX_PROCESSES];
  guint          n_servers;
} centre;

typedef struct {
  char            *path;
  AssayStore      *store;
  AssaySyncEngine *engine;
  gboolean         writer;
  GPtrArray       *drafts;     /* ids of this machine's evaluations still in draft */
} Client;

/* every evaluation made in the run → number of operations on it */
static GHashTable *expected;

static Client *
client_new (const char *base,
            const char *tok,
            gboolean    writer)
{
  Client *c = g_new0 (Client, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s.db", g_uuid_string_random ());

  c->path = g_build_filename (centre.dir, name, NULL);
  c->store = assay_store_new (c->path);
  g_assert_true (assay_store_open_sync (c->store, &error));
  c->engine = assay_sync_engine_new (c->store, base, tok);
  assay_sync_engine_set_time_scale (c->engine, 0.001);
  c->writer = writer;
  c->drafts = g_ptr_array_new_with_free_func (g_free);
  return c;
}

static void
client_free (Client *c)
{
  g_clear_object (&c->engine);
  assay_store_close (c->store);
  g_object_unref (c->store);
  g_ptr_array_unref (c->drafts);
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

/* runs one sync of each of @n clients at the same time and waits (bounded) for all of them;
 * returns how many ended well */
static guint
run_cycles (Client **clients,
            guint    n)
{
  Wait w[N_CLIENTS] = { 0 };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  guint ok = 0;

  g_assert_cmpuint (n, <=, N_CLIENTS);
  for (guint i = 0; i < n; i++)
    assay_sync_engine_sync_async (clients[i]->engine, NULL, sync_done, &w[i]);
  for (guint i = 0; i < n; i++)
    while (!w[i].done)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  for (guint i = 0; i < n; i++)
    {
      ok += w[i].ok;
      if (w[i].error != NULL)
        g_test_message ("a sync ended short: %s", w[i].error->message);
      g_clear_error (&w[i].error);
    }
  return ok;
}

static gboolean
run_cycle (Client *c)
{
  return run_cycles (&c, 1) == 1;
}

static char *
client_text (Client     *c,
             const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;

  g_assert_cmpint (sqlite3_open (c->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static void
queue (Client     *c,
       const char *id,
       const char *action,
       const char *data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *op_id = g_uuid_string_random ();
  static gint64 order = 0;

  g_assert_cmpint (sqlite3_open (c->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO outbox (op_id, collection, object_id, action,"
                                           " data, created_at) VALUES (?, 'evaluations', ?, ?, ?, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, data, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, ++order);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_hash_table_insert (expected, g_strdup (id),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (expected, id)) + 1));
}

static char *inspector_id, *interaction_id, *form_id;

static char *
data_for (guint n)
{
  return g_strdup_printf ("{\"interactionId\":\"%s\",\"formVersionId\":\"%s\",\"inspectorId\":\"%s\","
                          "\"answers\":{\"note\":{\"value\":\"edit %u\"}}}",
                          interaction_id, form_id, inspector_id, n);
}

static void
random_work (Client *c,
             GRand  *rand)
{
  guint n = g_rand_int_range (rand, 0, 4);

  for (guint i = 0; i < n; i++)
    {
      guint what = g_rand_int_range (rand, 0, 3);
      g_autofree char *data = data_for (g_rand_int (rand));

      if (what == 0 || c->drafts->len == 0)
        {
          char *id = g_uuid_string_random ();
          queue (c, id, "create", data);
          g_ptr_array_add (c->drafts, id);
        }
      else
        {
          guint k = g_rand_int_range (rand, 0, c->drafts->len);
          const char *id = c->drafts->pdata[k];

          if (what == 1)
            queue (c, id, "update", data);
          else
            {
              queue (c, id, "submit", data);
              g_ptr_array_remove_index (c->drafts, k);
            }
        }
    }
}

static void
test_faults (void)
{
  g_autofree char *out = NULL;
  g_autofree char *insp_tok = NULL, *man_tok = NULL;
  const char *seed_env = g_getenv ("ASSAY_FAULT_SEED");
  guint32 seed = seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_random_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  FaultProxy *proxies[MAX_PROCESSES] = { NULL };
  Client *clients[N_CLIENTS];
  guint ok_cycles = 0, failed_cycles = 0, together = 0;
  guint counts[FAULT_429 + 1] = { 0 };
  GHashTableIter iter;
  gpointer k, v;
  g_autofree char *server_evals = NULL;

  g_test_message ("seed %u (ASSAY_FAULT_SEED=%u replays it); %u assay-central process%s", seed,
                  seed, centre.n_servers, centre.n_servers == 1 ? "" : "es");
  expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_assert_cmpint (central_run (centre.data, NULL, &insp_tok, NULL, "token", "create", "inspector", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, &man_tok, NULL, "token", "create", "manager", NULL), ==, 0);
  g_strstrip (insp_tok);
  g_strstrip (man_tok);

  /* each process behind its own proxy; machine i syncs through process i (modulo their number) */
  for (guint i = 0; i < centre.n_servers; i++)
    proxies[i] = fault_proxy_new ((guint16) atoi (strrchr (centre.servers[i]->base, ':') + 1),
                                  seed + i);
  clients[0] = client_new (fault_proxy_get_base (proxies[0 % centre.n_servers]), insp_tok, TRUE);
  clients[1] = client_new (fault_proxy_get_base (proxies[1 % centre.n_servers]), insp_tok, TRUE);
  clients[2] = client_new (fault_proxy_get_base (proxies[2 % centre.n_servers]), man_tok, FALSE);

  /* the first sync of one machine without faults, for the ids the drafts refer to */
  for (guint i = 0; i < centre.n_servers; i++)
    fault_proxy_set_faults (proxies[i], FALSE);
  g_assert_true (run_cycle (clients[0]));
  inspector_id = g_strdup (assay_sync_engine_get_account (clients[0]->engine)->user_id);
  interaction_id = client_text (clients[0], "SELECT id FROM sync_object WHERE collection = 'interactions'"
                                            " ORDER BY id LIMIT 1");
  form_id = client_text (clients[0], "SELECT id FROM sync_object WHERE collection = 'forms' ORDER BY id LIMIT 1");
  g_assert_nonnull (interaction_id);
  g_assert_nonnull (form_id);
  for (guint i = 0; i < centre.n_servers; i++)
    fault_proxy_set_faults (proxies[i], TRUE);

  for (guint s = 0; s < N_SESSIONS; s++)
    {
      /* a non-empty set of machines, syncing at once */
      guint mask = g_rand_int_range (rand, 1, 1 << N_CLIENTS);
      Client *chosen[N_CLIENTS];
      guint n = 0, ok;

      for (guint i = 0; i < N_CLIENTS; i++)
        if (mask & (1u << i))
          {
            if (clients[i]->writer)
              random_work (clients[i], rand);
            chosen[n++] = clients[i];
          }
      together += n > 1;
      ok = run_cycles (chosen, n);
      ok_cycles += ok;
      failed_cycles += n - ok;
    }
  for (guint i = 0; i < centre.n_servers; i++)
    for (guint f = 0; f <= FAULT_429; f++)
      counts[f] += fault_proxy_get_count (proxies[i], f);
  g_test_message ("%u syncs ended well, %u were cut short, %u sessions with machines syncing at "
                  "once; connections: %u clean, %u cut, %u delayed, %u reset, %u 503, %u 429",
                  ok_cycles, failed_cycles, together, counts[FAULT_NONE], counts[FAULT_CUT],
                  counts[FAULT_DELAY], counts[FAULT_RESET], counts[FAULT_5XX], counts[FAULT_429]);
  g_assert_cmpuint (failed_cycles, >, 0);      /* the faults did happen */
  g_assert_cmpuint (ok_cycles, >, 0);
  g_assert_cmpuint (together, >, 0);

  /* the network heals: every machine syncs until nothing is left (writers twice, so each
   * pulls the other's last changes) */
  for (guint i = 0; i < centre.n_servers; i++)
    fault_proxy_set_faults (proxies[i], FALSE);
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
      {
        const AssaySyncReport *r;

        g_assert_true (run_cycle (clients[i]));
        r = assay_sync_engine_get_report (clients[i]->engine);
        g_assert_cmpuint (r->pending, ==, 0);
        g_assert_cmpuint (r->open_conflicts, ==, 0);
      }

  /* exactly one effect per operation */
  g_assert_cmpint (central_run (centre.data, NULL, &server_evals, NULL, "dump", "evaluations", NULL), ==, 0);
  g_assert_cmpuint (g_hash_table_size (expected), >, 10);
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      g_autofree char *needle = g_strdup_printf ("\"id\":\"%s\",\"rev\":%u}", (char *) k, GPOINTER_TO_UINT (v));
      if (strstr (server_evals, needle) == NULL)
        g_error ("evaluation %s: the server's rev is not the %u operations made on it (seed %u)",
                 (char *) k, GPOINTER_TO_UINT (v), seed);
    }

  /* the copies agree */
  {
    guint n;
    const AssayCollection *all = assay_collections_get (&n);
    g_autofree char *a = assay_store_sync_dump_sync (clients[0]->store, "evaluations", NULL);
    g_autofree char *b = assay_store_sync_dump_sync (clients[1]->store, "evaluations", NULL);
    g_auto(GStrv) lines = g_strsplit (a, "\n", -1);
    Client *fresh[MAX_PROCESSES] = { NULL };

    /* every process serves the same objects: a first sync through each other one, without a
     * proxy, must hold what the database holds */
    for (guint p = 1; p < centre.n_servers; p++)
      {
        fresh[p] = client_new (centre.servers[p]->base, man_tok, FALSE);
        g_assert_true (run_cycle (fresh[p]));
      }

    g_assert_cmpstr (a, ==, b);
    for (guint i = 0; lines[i] && *lines[i]; i++)
      g_assert_nonnull (strstr (server_evals, lines[i]));
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *local = NULL;
        g_autofree char *remote = NULL;

        if (!assay_collection_can_read (&all[i], 1u << ASSAY_ROLE_MANAGER))
          continue;
        local = assay_store_sync_dump_sync (clients[2]->store, all[i].name, NULL);
        g_assert_cmpint (central_run (centre.data, NULL, &remote, NULL, "dump", all[i].name, NULL), ==, 0);
        g_assert_cmpstr (local, ==, remote);
        for (guint p = 1; p < centre.n_servers; p++)
          {
            g_autofree char *copy = assay_store_sync_dump_sync (fresh[p]->store, all[i].name, NULL);

            if (g_strcmp0 (copy, remote) != 0)
              g_error ("process %u serves another %s than the database holds (seed %u)", p,
                       all[i].name, seed);
          }
      }
    for (guint p = 1; p < centre.n_servers; p++)
      client_free (fresh[p]);
  }

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    client_free (clients[i]);
  for (guint i = 0; i < centre.n_servers; i++)
    fault_proxy_free (proxies[i]);
  g_hash_table_unref (expected);
  g_free (inspector_id);
  g_free (interaction_id);
  g_free (form_id);
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
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "seed", "--interactions", "120",
                                "--days", "7", "--recordings", empty, "--forms", forms, NULL), ==, 0);
  /* on PostgreSQL, several processes share the database */
  centre.n_servers = central_pg_cluster () != NULL ? MAX_PROCESSES : 1;
  for (guint i = 0; i < centre.n_servers; i++)
    centre.servers[i] = central_server_start (centre.data, NULL);

  g_test_add_func ("/sync/faults", test_faults);
  rc = g_test_run ();

  for (guint i = 0; i < centre.n_servers; i++)
    central_server_stop (centre.servers[i]);
  central_remove_dir (centre.dir);
  g_free (centre.dir);
  g_free (centre.data);
  return rc;
}
