/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <json-glib/json-glib.h>

#include "server/assay-central.h"

typedef struct {
  GBytes *body;
  GError *error;
} Reply;

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
}

static void
test_health (void)
{
  g_autoptr(AssayCentral) central = assay_central_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *uri = NULL;
  Reply reply = { 0 };
  JsonObject *obj;
  guint port;

  port = assay_central_listen_local (central, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (port, >, 0);

  uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/health", port);
  session = soup_session_new ();
  msg = soup_message_new ("GET", uri);
  /* the server runs on this thread's context: use the async API and iterate until it answers */
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, read_cb, &reply);
  while (reply.body == NULL && reply.error == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (reply.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply.body, NULL),
                                             (gssize) g_bytes_get_size (reply.body), &error));
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (obj, "protocol"), ==, 1);
  g_bytes_unref (reply.body);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/health", test_health);
  return g_test_run ();
}
