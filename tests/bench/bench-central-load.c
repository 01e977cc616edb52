/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "central-test.h"

/*
 * The load generator of assay-central (`make bench`): N simulated inspectors on loopback, each
 * in turn pulling the evaluations feed from its cursor and pushing one evaluation operation,
 * for a bounded time per step, against
 *   1. one process on SQLite,
 *   2. one process on PostgreSQL,
 *   3. three processes on PostgreSQL behind haproxy (deploy/haproxy.cfg).
 * It prints requests per second, operations pushed per second, p50/p99 latency and errors for
 * 25, 50, 100 and 200 inspectors (ASSAY_BENCH_INSPECTORS, ASSAY_BENCH_SECONDS change them).
 * Run by run-with-pg.sh, which gives it a throwaway PostgreSQL cluster. Targets: 200 inspectors,
 * 0 errors, p99 < 1 s; three processes >= 1.5 x one (docs/operations.md explains the figures).
 */

#define MAX_INSPECTORS 200

typedef struct _Load Load;

typedef struct {
  Load     *load;
  guint     n;
  char     *cursor;
  gboolean  pushing;
  gint64    started;
} Inspector;

struct _Load {
  SoupSession *session;
  const char  *base;
  const char  *token;
  const char  *me;
  const char  *form;
  GPtrArray   *interactions;
  GArray      *latencies;   /* gint64 µs, every request */
  guint        requests, pushes, errors, in_flight;
  gboolean     stopping;
  char        *first_error;
};

static void inspector_step (Inspector *inspector);

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Inspector *inspector = data;
  Load *load = inspector->load;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  gint64 elapsed = g_get_monotonic_time () - inspector->started;
  guint status = msg != NULL ? soup_message_get_status (msg) : 0;

  load->in_flight--;
  g_array_append_val (load->latencies, elapsed);
  load->requests++;
  if (error != NULL || status != 200)
    {
      load->errors++;
      if (load->first_error == NULL)
        load->first_error = error != NULL ? g_strdup (error->message)
                                          : g_strdup_printf ("HTTP %u: %.*s", status,
                                                             (int) MIN (200, g_bytes_get_size (body)),
                                                             (const char *) g_bytes_get_data (body, NULL));
    }
  else if (inspector->pushing)
    load->pushes++;
  else
    {
      /* a feed page: keep its cursor */
      g_autoptr(JsonNode) page = json_from_string (g_bytes_get_data (body, NULL), NULL);

      if (page != NULL && JSON_NODE_HOLDS_OBJECT (page))
        {
          g_free (inspector->cursor);
          inspector->cursor = g_strdup (json_object_get_string_member (
            json_node_get_object (page), "cursor"));
        }
    }
  inspector->pushing = !inspector->pushing;
  if (!load->stopping)
    inspector_step (inspector);
}

static void
inspector_step (Inspector *inspector)
{
  Load *load = inspector->load;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *auth = g_strdup_printf ("Bearer %s", load->token);

  if (inspector->pushing)
    {
      g_autofree char *url = g_strconcat (load->base, "/api/v1/ops", NULL);
      g_autofree char *op = g_uuid_string_random ();
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *key = g_uuid_string_random ();
      g_autofree char *body =
        g_strdup_printf ("{\"ops\":[{\"opId\":\"%s\",\"collection\":\"evaluations\",\"id\":\"%s\","
                         "\"action\":\"create\",\"data\":{\"interactionId\":\"%s\","
                         "\"formVersionId\":\"%s\",\"inspectorId\":\"%s\",\"state\":\"draft\","
                         "\"answers\":{\"empathy\":{\"value\":%u}}}}]}", op, id,
                         (const char *) g_ptr_array_index (load->interactions,
                                                           g_random_int_range (0, load->interactions->len)),
                         load->form, load->me, 1 + inspector->n % 5);
      gsize len = strlen (body);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), len);

      msg = soup_message_new ("POST", url);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Idempotency-Key", key);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  else
    {
      g_autofree char *url = inspector->cursor != NULL
        ? g_strdup_printf ("%s/api/v1/changes/evaluations?limit=100&since=%s", load->base,
                           inspector->cursor)
        : g_strdup_printf ("%s/api/v1/changes/evaluations?limit=100", load->base);

      msg = soup_message_new ("GET", url);
    }
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  inspector->started = g_get_monotonic_time ();
  load->in_flight++;
  soup_session_send_and_read_async (load->session, msg, G_PRIORITY_DEFAULT, NULL, done_cb,
                                    inspector);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef struct {
  const char *name;
  const char *base;
  const char *token;
  const char *me;
  const char *form;
  GPtrArray  *interactions;
} Target;

/* one step: @n inspectors for @seconds; returns requests per second */
static double
run_step (const Target *target,
          guint         n,
          guint         seconds)
{
  Load load = { 0 };
  g_autofree Inspector *inspectors = g_new0 (Inspector, n);
  gboolean over = FALSE, drained = FALSE;
  gint64 start, elapsed;
  double rate;
  gint64 p50 = 0, p99 = 0;
  guint drain;

  load.session = soup_session_new_with_options ("timeout", 30, "max-conns", MAX_INSPECTORS + 16,
                                                "max-conns-per-host", MAX_INSPECTORS + 16, NULL);
  load.base = target->base;
  load.token = target->token;
  load.me = target->me;
  load.form = target->form;
  load.interactions = target->interactions;
  load.latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      inspectors[i].load = &load;
      inspectors[i].n = i;
      inspector_step (&inspectors[i]);
    }
  g_timeout_add_seconds (seconds, deadline_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
  load.stopping = TRUE;
  /* the requests in flight finish (bounded by the session's 30 s timeout) */
  drain = g_timeout_add_seconds (40, deadline_cb, &drained);
  while (load.in_flight > 0 && !drained)
    g_main_context_iteration (NULL, TRUE);
  if (!drained)
    g_source_remove (drain);
  elapsed = g_get_monotonic_time () - start;
  if (load.latencies->len > 0)
    {
      g_array_sort (load.latencies, compare_gint64);
      p50 = g_array_index (load.latencies, gint64, load.latencies->len / 2);
      p99 = g_array_index (load.latencies, gint64, MIN (load.latencies->len - 1,
                                                        load.latencies->len * 99 / 100));
    }
  rate = load.requests / (elapsed / 1e6);
  printf ("%-26s %4u inspectors: %7.1f requests/s %7.1f ops pushed/s  p50 %6.1f ms  "
          "p99 %7.1f ms  errors %u%s%s\n", target->name, n, rate, load.pushes / (elapsed / 1e6),
          p50 / 1e3, p99 / 1e3, load.errors, load.first_error != NULL ? "  first: " : "",
          load.first_error != NULL ? load.first_error : "");
  if (n == MAX_INSPECTORS)
    printf ("  target at %u inspectors: 0 errors (%s), p99 < 1000 ms (%s)\n", n,
            load.errors == 0 ? "met" : "MISSED", p99 < 1000000 ? "met" : "MISSED");
  for (guint i = 0; i < n; i++)
    g_free (inspectors[i].cursor);
  g_array_unref (load.latencies);
  g_free (load.first_error);
  g_object_unref (load.session);
  return rate;
}

/* a seeded centre in a data folder (SQLite, or its own PostgreSQL database); fills @target */
static void
prepare (const char *data,
         const char *recordings,
         Target     *target,
         char      **token)
{
  g_autofree char *forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo",
                                             "forms", NULL);
  g_autofree char *out = NULL;

  g_assert_cmpint (central_run (data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (data, NULL, NULL, NULL, "seed", "--interactions", "2000",
                                "--days", "14", "--recordings", recordings, "--forms", forms,
                                NULL), ==, 0);
  g_assert_cmpint (central_run (data, NULL, &out, NULL, "token", "create", "inspector", NULL),
                   ==, 0);
  *token = g_strdup (g_strstrip (out));
  target->token = *token;
}

static void
read_ids (Target *target)
{
  g_autoptr(JsonNode) session = central_get_json (target->base, "/api/v1/session",
                                                  target->token, 200);
  g_autoptr(JsonNode) forms = central_get_json (target->base, "/api/v1/changes/forms?limit=10",
                                                target->token, 200);
  g_autoptr(JsonNode) interactions = central_get_json (target->base,
                                                       "/api/v1/changes/interactions?limit=200",
                                                       target->token, 200);
  JsonArray *list;

  target->me = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (session), "user"), "id"));
  list = json_object_get_array_member (json_node_get_object (forms), "upserted");
  target->form = g_strdup (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                          "id"));
  list = json_object_get_array_member (json_node_get_object (interactions), "upserted");
  target->interactions = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_ptr_array_add (target->interactions, g_strdup (json_object_get_string_member (
      json_array_get_object_element (list, i), "id")));
  g_assert_cmpuint (target->interactions->len, >, 0);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* haproxy from deploy/haproxy.cfg in front of @servers; returns its base URL */
static GSubprocess *
start_haproxy (const char     *dir,
               CentralServer **servers,
               guint           n,
               char          **base)
{
  g_autofree char *template_path = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "deploy",
                                                     "haproxy.cfg", NULL);
  g_autofree char *template = NULL;
  g_autofree char *config_path = g_build_filename (dir, "haproxy.cfg", NULL);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", free_port ());
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GString) config = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  GSubprocess *haproxy;
  gboolean up = FALSE, timed_out = FALSE;
  guint timeout;

  g_assert_true (g_file_get_contents (template_path, &template, NULL, NULL));
  for (guint i = 0; i < n; i++)
    g_string_append_printf (lines, "    server central%u %s check\n", i + 1,
                            servers[i]->base + strlen ("http://"));
  config = g_string_new (template);
  g_string_replace (config, "@LISTEN@", listen, 0);
  g_string_replace (config, "@SERVERS@", lines->str, 0);
  /* the load generator opens up to 200 connections: let each process take them */
  g_string_replace (config, "maxconn 64", "maxconn 256", 0);
  g_assert_true (g_file_set_contents (config_path, config->str, -1, NULL));
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  haproxy = g_subprocess_launcher_spawn (launcher, &error, "/usr/sbin/haproxy", "-db", "-f",
                                         config_path, NULL);
  g_assert_no_error (error);
  *base = g_strdup_printf ("http://%s", listen);
  timeout = g_timeout_add_seconds (CENTRAL_WAIT_S, deadline_cb, &timed_out);
  while (!up && !timed_out)
    {
      g_autofree char *url = g_strconcat (*base, "/api/v1/health", NULL);
      g_autoptr(CentralReply) reply = central_request (NULL, "GET", url, NULL, NULL, NULL, 0);

      up = reply->error == NULL && reply->status == 200;
      if (!up)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_false (timed_out);
  g_source_remove (timeout);
  return haproxy;
}

static void
target_clear (Target *target)
{
  g_free ((char *) target->me);
  g_free ((char *) target->form);
  g_ptr_array_unref (target->interactions);
}

int
main (int   argc,
      char *argv[])
{
  const char *counts_text = g_getenv ("ASSAY_BENCH_INSPECTORS");
  const char *seconds_text = g_getenv ("ASSAY_BENCH_SECONDS");
  g_auto(GStrv) counts = g_strsplit (counts_text != NULL ? counts_text : "25,50,100,200", ",", -1);
  guint seconds = seconds_text != NULL ? (guint) g_ascii_strtoull (seconds_text, NULL, 10) : 6;
  g_autofree char *dir = NULL, *sqlite_data = NULL, *pg_data = NULL, *recordings = NULL;
  g_autofree char *sqlite_token = NULL, *pg_token = NULL, *proxy_base = NULL;
  CentralServer *sqlite_server, *pg_servers[3];
  GSubprocess *haproxy;
  Target targets[3] = { { "1 process, SQLite" }, { "1 process, PostgreSQL" },
                        { "3 processes, PG, haproxy" } };
  double rates[3][8] = { { 0 } };
  guint n_counts = MIN (g_strv_length (counts), 8);

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (central_pg_cluster () == NULL)
    {
      fprintf (stderr, "bench-central-load runs under tests/server/run-with-pg.sh (make bench)\n");
      return 1;
    }
  seconds = CLAMP (seconds, 1, 60);
  dir = central_new_dir ();
  recordings = g_build_filename (dir, "no-recordings", NULL);
  g_mkdir (recordings, 0700);
  sqlite_data = g_build_filename (dir, "sqlite", NULL);
  pg_data = g_build_filename (dir, "pg", NULL);

  /* SQLite: a folder outside the PostgreSQL mapping */
  {
    g_autofree char *sqlite_dir = g_dir_make_tmp ("assay-bench-sqlite-XXXXXX", NULL);

    g_free (sqlite_data);
    sqlite_data = g_build_filename (sqlite_dir, "data", NULL);
    g_assert_null (central_db_url (sqlite_data));
  }
  printf ("assay-central load: %s s per step, loopback, the load generator on the same 2 cores\n",
          seconds_text != NULL ? seconds_text : "6");
  prepare (sqlite_data, recordings, &targets[0], &sqlite_token);
  prepare (pg_data, recordings, &targets[1], &pg_token);
  targets[2].token = pg_token;

  sqlite_server = central_server_start (sqlite_data, NULL);
  targets[0].base = sqlite_server->base;
  read_ids (&targets[0]);
  for (guint i = 0; i < 3; i++)
    pg_servers[i] = central_server_start (pg_data, NULL);
  targets[1].base = pg_servers[0]->base;
  read_ids (&targets[1]);
  haproxy = start_haproxy (dir, pg_servers, 3, &proxy_base);
  targets[2].base = proxy_base;
  read_ids (&targets[2]);

  for (guint t = 0; t < 3; t++)
    for (guint c = 0; c < n_counts; c++)
      {
        guint n = (guint) g_ascii_strtoull (counts[c], NULL, 10);

        rates[t][c] = run_step (&targets[t], CLAMP (n, 1, MAX_INSPECTORS), seconds);
      }
  for (guint c = 0; c < n_counts; c++)
    printf ("3 PG processes / 1 at %s inspectors: %.2f x (target >= 1.5 x; "
            "docs/operations.md explains it on this machine)\n", counts[c],
            rates[1][c] > 0 ? rates[2][c] / rates[1][c] : 0);

  g_subprocess_send_signal (haproxy, SIGTERM);
  g_subprocess_wait (haproxy, NULL, NULL);
  g_object_unref (haproxy);
  central_server_stop (sqlite_server);
  for (guint i = 0; i < 3; i++)
    central_server_stop (pg_servers[i]);
  for (guint t = 0; t < 3; t++)
    target_clear (&targets[t]);
  {
    g_autofree char *sqlite_dir = g_path_get_dirname (sqlite_data);

    central_remove_dir (sqlite_dir);
  }
  central_remove_dir (dir);
  return 0;
}
