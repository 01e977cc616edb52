/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "central-test.h"

/* `assay-central demo`: one command, a served demo centre, a working token per role */
static void
test_demo (void)
{
  static const char *const logins[] = { "inspector", "lead", "manager", "agent", "admin" };
  CentralServer *server = central_demo_start ();
  g_autofree char *data_line = NULL;
  g_autofree char *data_dir = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_autofree char *line = central_server_read_line (server);
      g_auto(GStrv) parts = NULL;
      g_autoptr(JsonNode) session = NULL;
      JsonObject *user;

      g_assert_nonnull (line);
      parts = g_strsplit (line, " ", 3);
      g_assert_cmpuint (g_strv_length (parts), ==, 3);
      g_assert_cmpstr (parts[0], ==, "token");
      g_assert_cmpstr (parts[1], ==, logins[i]);
      session = central_get_json (server->base, "/api/v1/session", parts[2], 200);
      user = json_object_get_object_member (json_node_get_object (session), "user");
      g_assert_cmpstr (json_object_get_string_member (user, "login"), ==, logins[i]);
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (user, "roles"),
                                                      0), ==, logins[i]);
    }
  data_line = central_server_read_line (server);
  g_assert_true (g_str_has_prefix (data_line, "data in "));
  data_dir = g_strndup (data_line + strlen ("data in "),
                        strcspn (data_line + strlen ("data in "), " "));
  g_assert_true (g_file_test (data_dir, G_FILE_TEST_IS_DIR));
  central_server_stop (server);
  /* the temporary folder goes with it */
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/demo", test_demo);
  return g_test_run ();
}
