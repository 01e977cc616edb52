/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <signal.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include <libpq-fe.h>
#include <unistd.h>

#include "central-test.h"

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* iterates the default main context until *@done or the deadline; asserts on the deadline */
static void
wait_for (gboolean   *done,
          const char *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (CENTRAL_WAIT_S, deadline_cb, &expired);

  while (!*done && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  if (!*done)
    g_error ("gave up waiting %d s for %s", CENTRAL_WAIT_S, what);
}

/* the data folders of this test and their PostgreSQL databases (server-pg suite) */
static GHashTable *dir_roots;
static GHashTable *dir_urls;

const char *
central_pg_cluster (void)
{
  const char *url = g_getenv ("ASSAY_TEST_PG");

  return url != NULL && *url != '\0' ? url : NULL;
}

char *
central_pg_new_database (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("t%d_%u", (int) getpid (), ++n);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  PGconn *conn = PQconnectdb (central_pg_cluster ());
  PGresult *res;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot reach the test's PostgreSQL cluster %s: %s", central_pg_cluster (),
             PQerrorMessage (conn));
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    g_error ("cannot create a database: %s", PQresultErrorMessage (res));
  PQclear (res);
  PQfinish (conn);
  /* the cluster's address is postgresql://USER@HOST:PORT/DB: swap the database */
  return g_strdup_printf ("%.*s/%s", (int) (strrchr (central_pg_cluster (), '/')
                                            - central_pg_cluster ()),
                          central_pg_cluster (), name);
}

const char *
central_db_url (const char *data_dir)
{
  GHashTableIter iter;
  gpointer root;
  const char *url;

  if (dir_roots == NULL || data_dir == NULL)
    return NULL;
  url = g_hash_table_lookup (dir_urls, data_dir);
  if (url != NULL)
    return url;
  /* a data folder inside one made by central_new_dir: a database of its own */
  g_hash_table_iter_init (&iter, dir_roots);
  while (g_hash_table_iter_next (&iter, &root, NULL))
    if (strcmp (data_dir, root) == 0
        || (g_str_has_prefix (data_dir, root) && data_dir[strlen (root)] == '/'))
      {
        char *new_url = central_pg_new_database ();

        g_hash_table_insert (dir_urls, g_strdup (data_dir), new_url);
        return new_url;
      }
  return NULL;
}

static const char *
central_program (void)
{
  const char *program = g_getenv ("ASSAY_CENTRAL");

  g_assert_nonnull (program);
  return program;
}

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Communicate;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

int
central_run (const char  *data_dir,
             const char  *stdin_text,
             char       **out,
             char       **err,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Communicate c = { 0 };
  gboolean exited = FALSE;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) central_program ());
  if (data_dir != NULL)
    {
      g_ptr_array_add (argv, (char *) "--data");
      g_ptr_array_add (argv, (char *) data_dir);
      if (central_db_url (data_dir) != NULL)
        {
          g_ptr_array_add (argv, (char *) "--db");
          g_ptr_array_add (argv, (char *) central_db_url (data_dir));
        }
    }
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, stdin_text != NULL ? stdin_text : "", NULL,
                                       communicate_cb, &c);
  wait_for (&c.done, "an assay-central command");
  g_assert_no_error (c.error);
  g_subprocess_wait_async (process, NULL, wait_cb, &exited);
  wait_for (&exited, "an assay-central command to exit");
  if (out != NULL)
    *out = c.out;
  else
    g_free (c.out);
  if (err != NULL)
    *err = c.err;
  else
    {
      if (c.err != NULL && *c.err != '\0')
        g_test_message ("assay-central: %s", c.err);
      g_free (c.err);
    }
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

typedef struct {
  gboolean  done;
  char     *line;
  GError   *error;
} ReadLine;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadLine *r = user_data;

  r->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                       NULL, &r->error);
  r->done = TRUE;
}

static void
die_with_parent (gpointer data)
{
  /* a test that aborts must not leave its server running */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

char *central_server_read_line (CentralServer *server);

static CentralServer *
start_argv (GPtrArray *argv)
{
  g_autoptr(GError) error = NULL;
  CentralServer *server = g_new0 (CentralServer, 1);

  g_ptr_array_add (argv, NULL);
  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    server->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                    &error);
  }
  g_assert_no_error (error);
  server->stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->base = central_server_read_line (server);
  g_assert_nonnull (server->base);
  g_assert_true (g_str_has_prefix (server->base, "listening on http"));
  memmove (server->base, server->base + strlen ("listening on "),
           strlen (server->base) - strlen ("listening on ") + 1);
  return server;
}

char *
central_server_read_line (CentralServer *server)
{
  ReadLine r = { 0 };

  g_data_input_stream_read_line_async (server->stdout_lines, G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, &r);
  wait_for (&r.done, "a line from assay-central");
  g_assert_no_error (r.error);
  return r.line;
}

CentralServer *
central_server_start (const char *data_dir,
                      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) central_program ());
  g_ptr_array_add (argv, (char *) "--data");
  g_ptr_array_add (argv, (char *) data_dir);
  if (central_db_url (data_dir) != NULL)
    {
      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, (char *) central_db_url (data_dir));
    }
  g_ptr_array_add (argv, (char *) "serve");
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  va_start (args, data_dir);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  return start_argv (argv);
}

CentralServer *
central_demo_start (void)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) central_program ());
  if (central_pg_cluster () != NULL)
    {
      static char *demo_url;  /* one demo database per test run */

      if (demo_url == NULL)
        demo_url = central_pg_new_database ();
      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, demo_url);
    }
  g_ptr_array_add (argv, (char *) "demo");
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  return start_argv (argv);
}

void
central_server_stop (CentralServer *server)
{
  gboolean exited = FALSE;

  if (server == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait_async (server->process, NULL, wait_cb, &exited);
  wait_for (&exited, "assay-central to stop");
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_object_unref (server->process);
  g_clear_object (&server->stdout_lines);
  g_free (server->base);
  g_free (server);
}

void
central_reply_free (CentralReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

typedef struct {
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Send;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *s = user_data;

  s->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &s->error);
  s->done = TRUE;
}

CentralReply *
central_request (SoupSession       *session,
                 const char        *method,
                 const char        *url,
                 const char        *token,
                 const char *const *headers,
                 const char        *body,
                 gssize             body_len)
{
  g_autoptr(SoupSession) own = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  CentralReply *reply = g_new0 (CentralReply, 1);
  SoupMessageHeaders *request;
  const char *content_type;
  Send s = { 0 };

  g_assert_nonnull (msg);
  if (session == NULL)
    session = own = soup_session_new_with_options ("timeout", 30, "idle-timeout", 30, NULL);
  request = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (request, "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (request, headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body)
                                                                 : (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &s);
  wait_for (&s.done, url);
  reply->error = s.error;
  reply->body = s.body;
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  content_type = soup_message_headers_get_content_type (reply->headers, NULL);
  if (reply->body != NULL && content_type != NULL && g_str_has_suffix (content_type, "json"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                                 (gssize) g_bytes_get_size (reply->body),
                                                 &error));
      g_assert_no_error (error);
      reply->json = json_node_ref (json_parser_get_root (parser));
    }
  return reply;
}

JsonNode *
central_get_json (const char *base,
                  const char *path,
                  const char *token,
                  guint       status)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(CentralReply) reply = central_request (NULL, "GET", url, token, NULL, NULL, 0);

  g_assert_no_error (reply->error);
  if (reply->status != status)
    g_test_message ("%s: %u %.*s", path, reply->status,
                    (int) MIN (400, g_bytes_get_size (reply->body)),
                    (const char *) g_bytes_get_data (reply->body, NULL));
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_nonnull (reply->json);
  return json_node_ref (reply->json);
}

const char *
central_member_string (JsonNode   *node,
                       const char *member)
{
  JsonObject *object;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_true (json_object_has_member (object, member));
  return json_object_get_string_member (object, member);
}

char *
central_new_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("assay-central-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (central_pg_cluster () != NULL)
    {
      if (dir_urls == NULL)
        {
          dir_urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          dir_roots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        }
      g_hash_table_add (dir_roots, g_strdup (dir));
    }
  return dir;
}

void
central_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        central_remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* TLS test certificates */

static void
openssl (const char *dir,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;
  int status = 0;

  g_ptr_array_add (argv, (char *) "openssl");
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH
                               | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl failed: %s", err);
}

void
central_make_certificates (const char *dir)
{
  g_autofree char *ext = g_build_filename (dir, "server.ext", NULL);

  g_assert_true (g_file_set_contents (ext, "subjectAltName=IP:127.0.0.1\n"
                                           "basicConstraints=CA:FALSE\n"
                                           "extendedKeyUsage=serverAuth\n", -1, NULL));
  openssl (dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Assay Test CA",
           "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
  openssl (dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1", NULL);
  openssl (dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
           "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext", NULL);
  openssl (dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", "self.key", "-out", "self.pem", "-days", "2", "-subj", "/CN=127.0.0.1",
           "-addext", "subjectAltName=IP:127.0.0.1", NULL);
}
