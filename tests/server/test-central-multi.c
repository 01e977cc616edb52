/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "central-test.h"

/*
 * Several assay-central processes on one PostgreSQL database (server-pg suite only: it needs
 * ASSAY_TEST_PG from run-with-pg.sh). Clients push and pull through different processes at the
 * same time, with raw HTTP:
 * - the same operation sent to two processes at once applies once: one `applied`, one
 *   `duplicate` with the same rev and seq;
 * - concurrent edits of one draft from the same revision through three processes: one applies,
 *   the others are conflicts (the writes serialise in the database);
 * - a reader that follows the evaluations feed, page after page, through alternating processes
 *   while the writes go on, ends with exactly the objects in the database: no seq was skipped;
 * - a full pull through each process gives the same objects;
 * - haproxy, started from deploy/haproxy.cfg, spreads requests over the processes and syncs.
 */

#define N_PROCESSES 3
#define N_OPS 40

static struct {
  char          *dir;
  char          *data;
  CentralServer *servers[N_PROCESSES];
  char          *token;
  char          *me;
  char          *form;
  GPtrArray     *interactions;
  SoupSession   *session;
} centre;

/* an HTTP request in flight */
typedef struct {
  guint     status;
  JsonNode *json;
  gboolean  done;
} Pending;

static void
pending_free (Pending *p)
{
  g_clear_pointer (&p->json, json_node_unref);
  g_free (p);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Pending *p = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  p->status = soup_message_get_status (msg);
  p->json = json_from_string (g_bytes_get_data (body, NULL), NULL);
  p->done = TRUE;
}

static Pending *
send_async (const char *method,
            const char *url,
            const char *body)
{
  Pending *p = g_new0 (Pending, 1);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", centre.token);

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autofree char *key = g_uuid_string_random ();
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_headers_append (soup_message_get_request_headers (msg), "Idempotency-Key",
                                   key);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (centre.session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, p);
  return p;
}

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
all_done (GPtrArray *pending)
{
  for (guint i = 0; i < pending->len; i++)
    if (!((Pending *) g_ptr_array_index (pending, i))->done)
      return FALSE;
  return TRUE;
}

static JsonObject *
result_of (Pending *p)
{
  g_assert_cmpuint (p->status, ==, 200);
  return json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (p->json), "results"), 0);
}

static char *
eval_op (const char *op_id,
         const char *id,
         const char *action,
         gint64      base_rev,
         const char *interaction,
         int         empathy)
{
  g_autofree char *base = base_rev > 0 ? g_strdup_printf (",\"baseRev\":%" G_GINT64_FORMAT,
                                                          base_rev) : g_strdup ("");

  return g_strdup_printf ("{\"ops\":[{\"opId\":\"%s\",\"collection\":\"evaluations\",\"id\":\"%s\","
                          "\"action\":\"%s\"%s,\"data\":{\"interactionId\":\"%s\","
                          "\"formVersionId\":\"%s\",\"inspectorId\":\"%s\",\"state\":\"draft\","
                          "\"answers\":{\"empathy\":{\"value\":%d}}}}]}",
                          op_id, id, action, base, interaction, centre.form, centre.me, empathy);
}

static char *
ops_url (const char *base)
{
  return g_strconcat (base, "/api/v1/ops", NULL);
}

/* one batch POSTed and waited for */
static CentralReply *
post_now (const char *base,
          const char *body)
{
  g_autofree char *url = ops_url (base);
  g_autofree char *key = g_uuid_string_random ();
  const char *headers[] = { "Idempotency-Key", key, NULL };

  return central_request (NULL, "POST", url, centre.token, headers, body, -1);
}

/* a reader following the feed through the processes in turn, while writes go on */
typedef struct {
  char       *cursor;
  guint       turn;
  Pending    *page;
  GHashTable *ids;
  gint64      last_seq;
  guint       pages;
} Reader;

static void
reader_next (Reader *reader)
{
  const char *base = centre.servers[reader->turn++ % N_PROCESSES]->base;
  g_autofree char *url = reader->cursor != NULL
    ? g_strdup_printf ("%s/api/v1/changes/evaluations?limit=7&since=%s", base, reader->cursor)
    : g_strdup_printf ("%s/api/v1/changes/evaluations?limit=7", base);

  reader->page = send_async ("GET", url, NULL);
}

/* takes a finished page; returns whether it said hasMore */
static gboolean
reader_take (Reader *reader)
{
  JsonObject *page;
  JsonArray *upserted;

  g_assert_cmpuint (reader->page->status, ==, 200);
  page = json_node_get_object (reader->page->json);
  upserted = json_object_get_array_member (page, "upserted");
  for (guint i = 0; i < json_array_get_length (upserted); i++)
    {
      JsonObject *item = json_array_get_object_element (upserted, i);
      gint64 seq = json_object_get_int_member (item, "seq");

      /* one order: every page continues after the last seq seen, never before it */
      g_assert_cmpint (seq, >, reader->last_seq);
      reader->last_seq = seq;
      g_hash_table_add (reader->ids, g_strdup (json_object_get_string_member (item, "id")));
    }
  g_free (reader->cursor);
  reader->cursor = g_strdup (json_object_get_string_member (page, "cursor"));
  reader->pages++;
  {
    gboolean more = json_object_get_boolean_member (page, "hasMore");

    pending_free (reader->page);
    reader->page = NULL;
    return more;
  }
}

/* every evaluation id in the database, from `assay-central dump` */
static GHashTable *
dump_ids (char **text)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (central_run (centre.data, NULL, text, NULL, "dump", "evaluations", NULL), ==,
                   0);
  lines = g_strsplit (*text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      {
        g_autoptr(JsonNode) node = json_from_string (lines[i], NULL);

        g_assert_nonnull (node);
        g_hash_table_add (ids, g_strdup (json_object_get_string_member (
          json_node_get_object (node), "id")));
      }
  return ids;
}

/* a whole pull of evaluations through one base URL, as text of id:rev:seq lines */
static char *
full_pull (const char *base)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *cursor = NULL;
  gboolean more = TRUE;

  for (guint pages = 0; more; pages++)
    {
      g_autofree char *path = cursor != NULL
        ? g_strdup_printf ("/api/v1/changes/evaluations?limit=50&since=%s", cursor)
        : g_strdup ("/api/v1/changes/evaluations?limit=50");
      g_autoptr(JsonNode) page = central_get_json (base, path, centre.token, 200);
      JsonObject *object = json_node_get_object (page);
      JsonArray *upserted = json_object_get_array_member (object, "upserted");

      g_assert_cmpuint (pages, <, 1000);
      for (guint i = 0; i < json_array_get_length (upserted); i++)
        {
          JsonObject *item = json_array_get_object_element (upserted, i);
          g_autofree char *data = json_to_string (json_object_get_member (item, "data"), FALSE);

          g_string_append_printf (out, "%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s\n",
                                  json_object_get_string_member (item, "id"),
                                  json_object_get_int_member (item, "rev"),
                                  json_object_get_int_member (item, "seq"), data);
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      more = json_object_get_boolean_member (object, "hasMore");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_concurrent (void)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr(GHashTable) in_db = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *draft = g_uuid_string_random ();
  g_autoptr(GHashTable) created = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) before = NULL;
  g_autofree char *dump_before = NULL;
  Reader reader = { 0 };
  gboolean writes_done = FALSE, timed_out = FALSE, reader_more = TRUE;
  guint timeout, applied = 0, duplicates = 0, conflicts = 0;

  before = dump_ids (&dump_before);
  g_hash_table_add (created, g_strdup (draft));
  /* a draft the three processes will fight over */
  {
    g_autofree char *op = g_uuid_string_random ();
    g_autofree char *body = eval_op (op, draft, "create", 0,
                                     g_ptr_array_index (centre.interactions, 0), 1);
    g_autoptr(CentralReply) reply = post_now (centre.servers[0]->base, body);
    JsonObject *r;

    g_assert_cmpuint (reply->status, ==, 200);
    r = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (reply->json), "results"), 0);
    g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "applied");
  }

  reader.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  reader_next (&reader);

  /* each create goes to two processes at once; three edits of the draft from rev 1 */
  for (guint i = 0; i < N_OPS; i++)
    {
      g_autofree char *op = g_uuid_string_random ();
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *body = eval_op (op, id, "create", 0,
                                       g_ptr_array_index (centre.interactions,
                                                          (i + 1) % centre.interactions->len),
                                       1 + i % 5);
      g_autofree char *a = ops_url (centre.servers[i % N_PROCESSES]->base);
      g_autofree char *b = ops_url (centre.servers[(i + 1) % N_PROCESSES]->base);

      g_hash_table_add (created, g_strdup (id));
      g_ptr_array_add (pending, send_async ("POST", a, body));
      g_ptr_array_add (pending, send_async ("POST", b, body));
    }
  for (guint i = 0; i < N_PROCESSES; i++)
    {
      g_autofree char *op = g_uuid_string_random ();
      g_autofree char *body = eval_op (op, draft, "update", 1,
                                       g_ptr_array_index (centre.interactions, 0), 2 + i);
      g_autofree char *url = ops_url (centre.servers[i]->base);

      g_ptr_array_add (pending, send_async ("POST", url, body));
    }

  /* the reader keeps following the feed while the writes land, and once more after them */
  timeout = g_timeout_add_seconds (CENTRAL_WAIT_S * 4, deadline_cb, &timed_out);
  while (!timed_out && (!writes_done || reader_more || reader.page != NULL))
    {
      g_main_context_iteration (NULL, TRUE);
      if (!writes_done && all_done (pending))
        writes_done = TRUE;
      if (reader.page != NULL && reader.page->done)
        {
          gboolean more = reader_take (&reader);

          /* the last read starts after every write has answered */
          reader_more = more || !writes_done;
          if (reader_more || !writes_done)
            reader_next (&reader);
        }
      else if (reader.page == NULL && (reader_more || !writes_done))
        reader_next (&reader);
    }
  g_assert_false (timed_out);
  g_source_remove (timeout);

  /* exactly one effect per operation */
  for (guint i = 0; i < N_OPS; i++)
    {
      JsonObject *a = result_of (g_ptr_array_index (pending, 2 * i));
      JsonObject *b = result_of (g_ptr_array_index (pending, 2 * i + 1));
      const char *sa = json_object_get_string_member (a, "status");
      const char *sb = json_object_get_string_member (b, "status");

      g_assert_true ((strcmp (sa, "applied") == 0 && strcmp (sb, "duplicate") == 0)
                     || (strcmp (sa, "duplicate") == 0 && strcmp (sb, "applied") == 0));
      g_assert_cmpint (json_object_get_int_member (a, "seq"), ==,
                       json_object_get_int_member (b, "seq"));
      g_assert_cmpint (json_object_get_int_member (a, "rev"), ==, 1);
      g_assert_cmpint (json_object_get_int_member (b, "rev"), ==, 1);
    }
  /* the edits of one draft serialised: one applied, the others saw rev 2 */
  for (guint i = 2 * N_OPS; i < pending->len; i++)
    {
      const char *status = json_object_get_string_member (result_of (g_ptr_array_index (pending, i)),
                                                          "status");

      if (strcmp (status, "applied") == 0)
        applied++;
      else if (strcmp (status, "conflict") == 0)
        conflicts++;
      else
        duplicates++;
    }
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpuint (conflicts, ==, N_PROCESSES - 1);
  g_assert_cmpuint (duplicates, ==, 0);

  /* the reader, hopping between processes during the writes, saw exactly what is stored */
  in_db = dump_ids (&dump);
  g_assert_cmpuint (g_hash_table_size (in_db), ==, g_hash_table_size (before) + N_OPS + 1);
  {
    GHashTableIter iter;
    gpointer id;

    /* every new object reached the reader; the reader saw nothing that is not stored */
    g_hash_table_iter_init (&iter, created);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      {
        g_assert_true (g_hash_table_contains (in_db, id));
        g_assert_true (g_hash_table_contains (reader.ids, id));
      }
    g_hash_table_iter_init (&iter, reader.ids);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      g_assert_true (g_hash_table_contains (in_db, id));
  }
  g_test_message ("the reader took %u pages", reader.pages);

  /* every process answers the same */
  {
    g_autofree char *first = full_pull (centre.servers[0]->base);

    g_assert_cmpuint (strlen (first), >, 0);
    for (guint i = 1; i < N_PROCESSES; i++)
      {
        g_autofree char *other = full_pull (centre.servers[i]->base);

        g_assert_cmpstr (other, ==, first);
      }
  }
  g_hash_table_unref (reader.ids);
  g_free (reader.cursor);
}

/* haproxy from deploy/haproxy.cfg in front of the three processes */
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

static void
test_haproxy (void)
{
  g_autofree char *template_path = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "deploy",
                                                     "haproxy.cfg", NULL);
  g_autofree char *template = NULL;
  g_autofree char *config_path = g_build_filename (centre.dir, "haproxy.cfg", NULL);
  g_autoptr(GString) servers = g_string_new (NULL);
  g_autoptr(GString) config = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) haproxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *through = NULL;
  g_autofree char *direct = NULL;
  gboolean up = FALSE, timed_out = FALSE;
  guint timeout;
  guint16 port = free_port ();

  g_assert_true (g_file_get_contents (template_path, &template, NULL, NULL));
  for (guint i = 0; i < N_PROCESSES; i++)
    g_string_append_printf (servers, "    server central%u %s check\n", i + 1,
                            centre.servers[i]->base + strlen ("http://"));
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  config = g_string_new (template);
  g_assert_cmpint (g_string_replace (config, "@LISTEN@", listen, 0), ==, 1);
  g_assert_cmpint (g_string_replace (config, "@SERVERS@", servers->str, 0), ==, 1);
  g_assert_true (g_file_set_contents (config_path, config->str, -1, NULL));

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  haproxy = g_subprocess_launcher_spawn (launcher, &error, "/usr/sbin/haproxy", "-db", "-f",
                                         config_path, NULL);
  g_assert_no_error (error);
  base = g_strdup_printf ("http://%s", listen);

  /* up when its health answers through it (bounded; haproxy takes a moment to bind) */
  timeout = g_timeout_add_seconds (CENTRAL_WAIT_S, deadline_cb, &timed_out);
  while (!up && !timed_out)
    {
      g_autofree char *url = g_strconcat (base, "/api/v1/health", NULL);
      g_autoptr(CentralReply) reply = central_request (NULL, "GET", url, NULL, NULL, NULL, 0);

      up = reply->error == NULL && reply->status == 200;
      if (!up)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_false (timed_out);
  g_source_remove (timeout);

  /* a push through the proxy, then the feed through it equals the feed from a process */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *op = g_uuid_string_random ();
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *body = eval_op (op, id, "create", 0,
                                       g_ptr_array_index (centre.interactions, i), 4);
      g_autoptr(CentralReply) reply = post_now (base, body);

      g_assert_cmpuint (reply->status, ==, 200);
    }
  through = full_pull (base);
  direct = full_pull (centre.servers[2]->base);
  g_assert_cmpstr (through, ==, direct);

  /* one process goes away: the proxy's health check takes it out and syncs go on */
  central_server_stop (centre.servers[1]);
  centre.servers[1] = NULL;
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *again = full_pull (base);

      g_assert_cmpstr (again, ==, direct);
    }

  g_subprocess_send_signal (haproxy, SIGTERM);
  g_assert_true (g_subprocess_wait (haproxy, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *empty = NULL;
  g_autofree char *forms = NULL;
  g_autofree char *out = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (central_pg_cluster ());  /* run by run-with-pg.sh */

  centre.dir = central_new_dir ();
  centre.data = g_build_filename (centre.dir, "data", NULL);
  empty = g_build_filename (centre.dir, "no-recordings", NULL);
  g_mkdir (empty, 0700);
  forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms", NULL);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "seed", "--interactions", "120",
                                "--days", "7", "--recordings", empty, "--forms", forms,
                                NULL), ==, 0);
  /* the seed's own evaluations are not the inspector's new work: start from none */
  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", "inspector",
                                NULL), ==, 0);
  centre.token = g_strdup (g_strstrip (out));
  for (guint i = 0; i < N_PROCESSES; i++)
    centre.servers[i] = central_server_start (centre.data, NULL);
  centre.session = soup_session_new_with_options ("timeout", 60, "max-conns", 200,
                                                  "max-conns-per-host", 100, NULL);
  {
    g_autoptr(JsonNode) session = central_get_json (centre.servers[0]->base, "/api/v1/session",
                                                    centre.token, 200);
    g_autoptr(JsonNode) forms_page = central_get_json (centre.servers[1]->base,
                                                       "/api/v1/changes/forms?limit=10",
                                                       centre.token, 200);
    g_autoptr(JsonNode) interactions = central_get_json (centre.servers[2]->base,
                                                         "/api/v1/changes/interactions?limit=50",
                                                         centre.token, 200);
    JsonArray *list;

    centre.me = g_strdup (json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (session), "user"), "id"));
    list = json_object_get_array_member (json_node_get_object (forms_page), "upserted");
    centre.form = g_strdup (json_object_get_string_member (
      json_array_get_object_element (list, 0), "id"));
    list = json_object_get_array_member (json_node_get_object (interactions), "upserted");
    centre.interactions = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < json_array_get_length (list); i++)
      g_ptr_array_add (centre.interactions, g_strdup (json_object_get_string_member (
        json_array_get_object_element (list, i), "id")));
    g_assert_cmpuint (centre.interactions->len, >=, 10);
  }

  g_test_add_func ("/server-pg/three-processes", test_concurrent);
  g_test_add_func ("/server-pg/haproxy", test_haproxy);
  rc = g_test_run ();

  for (guint i = 0; i < N_PROCESSES; i++)
    central_server_stop (centre.servers[i]);
  g_object_unref (centre.session);
  g_ptr_array_unref (centre.interactions);
  central_remove_dir (centre.dir);
  g_free (centre.dir);
  g_free (centre.data);
  g_free (centre.token);
  g_free (centre.me);
  g_free (centre.form);
  return rc;
}
