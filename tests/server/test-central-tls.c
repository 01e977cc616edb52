/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "central-test.h"

/*
 * assay-central over HTTPS with certificates made here by openssl: one signed by a test CA
 * (accepted by a client that trusts that CA, refused by a default client), and a self-signed one
 * (refused by a default client and by one trusting the test CA).
 */

static char *dir;

static char *
path (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static SoupSession *
session_trusting (const char *ca_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, &error);

  g_assert_no_error (error);
  return soup_session_new_with_options ("tls-database", database, "timeout", 30, NULL);
}

static CentralServer *
start (const char *data,
       const char *cert,
       const char *key)
{
  g_autofree char *cert_path = path (cert);
  g_autofree char *key_path = path (key);
  CentralServer *server = central_server_start (data, "--tls-cert", cert_path, "--tls-key",
                                                key_path, NULL);

  g_assert_true (g_str_has_prefix (server->base, "https://127.0.0.1:"));
  return server;
}

static void
test_tls (void)
{
  g_autofree char *data = path ("data");
  g_autofree char *ca = path ("ca.pem");
  g_autoptr(SoupSession) trusting = NULL;
  g_autoptr(SoupSession) plain = soup_session_new_with_options ("timeout", 30, NULL);
  CentralServer *server;

  central_make_certificates (dir);
  g_assert_cmpint (central_run (data, NULL, NULL, NULL, "init", NULL), ==, 0);
  trusting = session_trusting (ca);

  /* signed by the test CA: accepted by a client that trusts it, refused by a default one */
  server = start (data, "server.pem", "server.key");
  {
    g_autofree char *url = g_strconcat (server->base, "/api/v1/health", NULL);
    g_autoptr(CentralReply) ok = central_request (trusting, "GET", url, NULL, NULL, NULL, 0);
    g_autoptr(CentralReply) refused = central_request (plain, "GET", url, NULL, NULL, NULL, 0);

    g_assert_no_error (ok->error);
    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpstr (central_member_string (ok->json, "status"), ==, "ok");
    g_assert_error (refused->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  }
  central_server_stop (server);

  /* self-signed: refused by a default client, and by one trusting only the test CA */
  server = start (data, "self.pem", "self.key");
  {
    g_autofree char *url = g_strconcat (server->base, "/api/v1/health", NULL);
    g_autoptr(CentralReply) refused = central_request (plain, "GET", url, NULL, NULL, NULL, 0);
    g_autoptr(CentralReply) refused_too = central_request (trusting, "GET", url, NULL, NULL, NULL,
                                                           0);

    g_assert_error (refused->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
    g_assert_error (refused_too->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  }
  central_server_stop (server);
}

static void
test_tls_bad_files (void)
{
  g_autofree char *data = path ("data-bad");
  g_autofree char *missing = path ("missing.pem");
  g_autofree char *err = NULL;

  g_assert_cmpint (central_run (data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (data, NULL, NULL, &err, "serve", "--listen", "127.0.0.1:0",
                                "--tls-cert", missing, "--tls-key", missing, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Cannot use the TLS certificate"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (central_run (data, NULL, NULL, &err, "serve", "--listen", "127.0.0.1:0",
                                "--tls-cert", missing, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "both"));
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = central_new_dir ();
  g_test_add_func ("/server/tls", test_tls);
  g_test_add_func ("/server/tls-bad-files", test_tls_bad_files);
  rc = g_test_run ();
  central_remove_dir (dir);
  g_free (dir);
  return rc;
}
