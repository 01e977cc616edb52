/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "central-test.h"
#include "assay-sync-engine.h"
#include "assay-sync-error.h"

/*
 * The engine over HTTPS: a server certificate signed by a test CA is accepted when the engine
 * is given that CA file (and refused without it); a self-signed certificate is refused even
 * with the CA file. Certificates are made here with openssl, as tests/server does.
 */

static char *dir;

static char *
path (const char *name)
{
  return g_build_filename (dir, name, NULL);
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
run_sync (AssaySyncEngine *engine,
          GError         **error)
{
  Wait w = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  assay_sync_engine_sync_async (engine, NULL, sync_done, &w);
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
test_tls (void)
{
  g_autofree char *data = path ("data");
  g_autofree char *ca = path ("ca.pem");
  g_autofree char *cert = path ("server.pem");
  g_autofree char *key = path ("server.key");
  g_autofree char *self_cert = path ("self.pem");
  g_autofree char *self_key = path ("self.key");
  g_autofree char *db = path ("client.db");
  g_autofree char *tok = NULL;
  g_autoptr(AssayStore) store = assay_store_new (db);
  g_autoptr(GError) error = NULL;
  CentralServer *server;

  central_make_certificates (dir);
  g_assert_cmpint (central_run (data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (data, NULL, NULL, NULL, "user", "add", "lin", "--name", "Lin Wei",
                                "--role", "inspector", NULL), ==, 0);
  g_assert_cmpint (central_run (data, NULL, &tok, NULL, "token", "create", "lin", NULL), ==, 0);
  g_strstrip (tok);
  g_assert_true (assay_store_open_sync (store, &error));

  server = central_server_start (data, "--tls-cert", cert, "--tls-key", key, NULL);
  g_assert_true (g_str_has_prefix (server->base, "https://127.0.0.1:"));
  {
    g_autoptr(AssaySyncEngine) trusting = assay_sync_engine_new (store, server->base, tok);
    g_autoptr(AssaySyncEngine) plain = assay_sync_engine_new (store, server->base, tok);

    /* the administrator's CA file makes the certificate trusted */
    g_assert_true (assay_sync_engine_set_ca_file (trusting, ca, &error));
    g_assert_no_error (error);
    g_assert_true (run_sync (trusting, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (assay_sync_engine_get_account (trusting)->login, ==, "lin");

    /* without it, the system does not trust the test CA: refused, and not retried */
    g_assert_false (run_sync (plain, &error));
    g_assert_error (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_TLS);
    g_clear_error (&error);
    g_assert_cmpint (assay_sync_engine_get_state (plain), ==, ASSAY_SYNC_STATE_FAILED);
  }
  central_server_stop (server);

  server = central_server_start (data, "--tls-cert", self_cert, "--tls-key", self_key, NULL);
  {
    g_autoptr(AssaySyncEngine) trusting = assay_sync_engine_new (store, server->base, tok);

    g_assert_true (assay_sync_engine_set_ca_file (trusting, ca, &error));
    g_assert_false (run_sync (trusting, &error));
    g_assert_error (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_TLS);
    g_clear_error (&error);
  }
  central_server_stop (server);

  /* a CA file that cannot be read is said at once */
  {
    g_autoptr(AssaySyncEngine) e = assay_sync_engine_new (store, "https://127.0.0.1:1", tok);
    g_autofree char *missing = path ("missing.pem");

    g_assert_false (assay_sync_engine_set_ca_file (e, missing, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "missing.pem"));
    g_clear_error (&error);
  }
  assay_store_close (store);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = central_new_dir ();
  g_test_add_func ("/sync/tls", test_tls);
  rc = g_test_run ();
  central_remove_dir (dir);
  g_free (dir);
  return rc;
}
