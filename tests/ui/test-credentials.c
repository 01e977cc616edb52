/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The token in the keyring: a private session bus (GTestDBus, no service can be activated on
 * it) first without any Secret Service (the "no keyring" path), then with a real
 * gnome-keyring-daemon started on it with a fresh, unlocked login keyring in a temporary home.
 */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "test-db.h"
#include "ui/assay-credentials.h"

#define SERVER_A "https://qa.example.org"
#define SERVER_B "http://127.0.0.1:8443"

typedef struct {
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static gboolean
store_token (const char  *server,
             const char  *login,
             const char  *token,
             GError     **error)
{
  Wait wait = { NULL };
  gboolean ok;

  assay_credentials_store_async (server, login, token, NULL, wait_cb, &wait);
  test_wait_until (wait_done, &wait, 30);
  ok = assay_credentials_store_finish (wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

static char *
lookup_token (const char *server,
              const char *login)
{
  Wait wait = { NULL };
  g_autoptr(GError) error = NULL;
  char *token;

  assay_credentials_lookup_async (server, login, NULL, wait_cb, &wait);
  test_wait_until (wait_done, &wait, 30);
  token = assay_credentials_lookup_finish (wait.result, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return token;
}

static void
clear_token (const char *server,
             const char *login)
{
  Wait wait = { NULL };
  g_autoptr(GError) error = NULL;

  assay_credentials_clear_async (server, login, NULL, wait_cb, &wait);
  test_wait_until (wait_done, &wait, 30);
  g_assert_true (assay_credentials_clear_finish (wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

/* runs first: nothing owns org.freedesktop.secrets on the bus yet */
static void
test_no_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *cleared = NULL;

  g_assert_false (store_token (SERVER_A, "inspector", "tok-session", &error));
  g_assert_error (error, ASSAY_CREDENTIALS_ERROR, ASSAY_CREDENTIALS_ERROR_NO_KEYRING);
  g_assert_nonnull (strstr (error->message, "session"));
  none = lookup_token (SERVER_A, "inspector");
  g_assert_null (none);

  /* the user chose to keep it for this session */
  assay_credentials_keep_for_session (SERVER_A, "inspector", "tok-session");
  kept = lookup_token (SERVER_A, "inspector");
  g_assert_cmpstr (kept, ==, "tok-session");
  clear_token (SERVER_A, "inspector");
  cleared = lookup_token (SERVER_A, "inspector");
  g_assert_null (cleared);
}

static gboolean
name_owned (gpointer data)
{
  return *(gboolean *) data;
}

static void
appeared_cb (GDBusConnection *connection,
             const char      *name,
             const char      *owner,
             gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;
  GFile *child;

  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    remove_tree (child);
  g_file_delete (file, NULL, NULL);
}

static void
test_keyring (void)
{
  g_autofree char *home = g_dir_make_tmp ("assay-keyring-XXXXXX", NULL);
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  g_autofree char *runtime = g_build_filename (home, "run", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;
  guint watch;
  g_autofree char *a = NULL, *b = NULL, *other = NULL, *replaced = NULL, *gone = NULL, *still = NULL;

  g_assert_nonnull (home);
  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                        "--components=secrets", "--unlock", NULL);
  g_assert_no_error (error);
  /* --unlock reads the login keyring's password from standard input and makes that keyring */
  g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe (daemon), "test-password", 13,
                                            NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (daemon), NULL, &error));
  g_assert_no_error (error);

  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, "org.freedesktop.secrets", G_BUS_NAME_WATCHER_FLAGS_NONE,
                            appeared_cb, NULL, &owned, NULL);
  test_wait_until (name_owned, &owned, 30);
  g_bus_unwatch_name (watch);

  g_assert_true (store_token (SERVER_A, "inspector", "tok-a", &error));
  g_assert_no_error (error);
  g_assert_true (store_token (SERVER_B, "inspector", "tok-b", &error));
  g_assert_no_error (error);
  a = lookup_token (SERVER_A, "inspector");
  b = lookup_token (SERVER_B, "inspector");
  other = lookup_token (SERVER_A, "lead");
  g_assert_cmpstr (a, ==, "tok-a");
  g_assert_cmpstr (b, ==, "tok-b");
  g_assert_null (other);

  /* signing in again replaces the token */
  g_assert_true (store_token (SERVER_A, "inspector", "tok-a2", &error));
  replaced = lookup_token (SERVER_A, "inspector");
  g_assert_cmpstr (replaced, ==, "tok-a2");

  /* signing out forgets one server's token only */
  clear_token (SERVER_A, "inspector");
  gone = lookup_token (SERVER_A, "inspector");
  still = lookup_token (SERVER_B, "inspector");
  g_assert_null (gone);
  g_assert_cmpstr (still, ==, "tok-b");

  g_subprocess_send_signal (daemon, SIGTERM);
  g_assert_true (g_subprocess_wait (daemon, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GFile) dir = g_file_new_for_path (home);

    remove_tree (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  int status;

  g_test_init (&argc, &argv, NULL);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  /* in this order: the keyring daemon starts in the second */
  g_test_add_func ("/credentials/no-keyring", test_no_keyring);
  g_test_add_func ("/credentials/keyring", test_keyring);
  status = g_test_run ();
  /* libsecret keeps its service proxy, and so the session bus connection, to the end of the
   * process: stop the bus without waiting for the connection to go (as g_test_dbus_down would) */
  secret_service_disconnect ();
  g_test_dbus_stop (bus);
  /* not unreffed for the same reason: its finalizer would wait for the connection too */
  return status;
}
