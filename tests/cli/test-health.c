/* SPDX-License-Identifier: GPL-3.0-or-later */
/* assayctl check and assayctl salvage, run as a user would (the binary comes from $ASSAYCTL). */
#include <string.h>

#include <gio/gio.h>

#include "test-damage.h"
#include "test-assayctl.h"
#include "test-db.h"

#define N_ROWS 2000

typedef struct {
  char  *path;
  char  *damaged;
  guint  lost;
} Dbs;

static void
dbs_clear (Dbs *dbs)
{
  g_free (dbs->path);
  g_free (dbs->damaged);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Dbs, dbs_clear)

static void
make_dbs (Dbs *dbs)
{
  g_autoptr(AssayStore) store = test_db_new (N_ROWS);

  dbs->path = g_strdup (assay_store_get_path (store));
  assay_store_close (store);
  dbs->damaged = test_damage_copy (dbs->path);
  dbs->lost = test_damage_table (dbs->damaged, "interaction");
}

static void
test_check (void)
{
  g_auto(Dbs) dbs = { 0 };
  g_auto(TestRun) healthy = { 0 };
  g_auto(TestRun) quick = { 0 };
  g_auto(TestRun) full = { 0 };
  g_auto(TestRun) missing = { 0 };
  g_auto(TestRun) usage = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *nowhere = NULL;

  make_dbs (&dbs);
  before = test_damage_sha256 (dbs.damaged);

  test_run_assayctl (&healthy, "--database", dbs.path, "check", "--full", NULL);
  g_assert_cmpint (healthy.status, ==, 0);
  g_assert_nonnull (strstr (healthy.out, ": ok"));

  test_run_assayctl (&quick, "--database", dbs.damaged, "check", NULL);
  g_assert_cmpint (quick.status, ==, 1);
  g_assert_nonnull (strstr (quick.out, ": damaged"));
  g_assert_nonnull (strstr (quick.err, "assayctl --database"));
  g_assert_nonnull (strstr (quick.err, "salvage"));

  test_run_assayctl (&full, "--database", dbs.damaged, "check", "--full", NULL);
  g_assert_cmpint (full.status, ==, 1);
  g_assert_nonnull (strstr (full.out, ": damaged"));

  /* checking reads only */
  after = test_damage_sha256 (dbs.damaged);
  g_assert_cmpstr (before, ==, after);

  nowhere = g_strconcat (dbs.path, ".missing", NULL);
  test_run_assayctl (&missing, "--database", nowhere, "check", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no database"));
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));

  test_run_assayctl (&usage, "--database", dbs.path, "check", "extra", NULL);
  g_assert_cmpint (usage.status, ==, 2);
}

static void
test_salvage (void)
{
  g_auto(Dbs) dbs = { 0 };
  g_auto(TestRun) run = { 0 };
  g_auto(TestRun) again = { 0 };
  g_auto(TestRun) check = { 0 };
  g_auto(TestRun) usage = { 0 };
  g_autofree char *folder = NULL;
  g_autofree char *output = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *output_sha = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GError) error = NULL;

  make_dbs (&dbs);
  before = test_damage_sha256 (dbs.damaged);
  folder = g_path_get_dirname (dbs.path);
  output = g_build_filename (folder, "rescued.db", NULL);

  test_run_assayctl (&run, "--database", dbs.damaged, "salvage", "-o", output, NULL);
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("rows lost: %u\n", dbs.lost);
  g_assert_nonnull (strstr (run.out, expected));
  g_assert_nonnull (strstr (run.out, "damaged areas: 1\n"));

  after = test_damage_sha256 (dbs.damaged);
  g_assert_cmpstr (before, ==, after);

  test_run_assayctl (&check, "--database", output, "check", "--full", NULL);
  g_assert_cmpint (check.status, ==, 0);
  store = assay_store_new (output);
  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM interaction"), ==,
                   N_ROWS - dbs.lost);
  assay_store_close (store);

  /* an existing file is never overwritten */
  output_sha = test_damage_sha256 (output);
  test_run_assayctl (&again, "--database", dbs.damaged, "salvage", "-o", output, NULL);
  g_assert_cmpint (again.status, ==, 2);
  g_assert_nonnull (strstr (again.err, "already exists"));
  g_clear_pointer (&after, g_free);
  after = test_damage_sha256 (output);
  g_assert_cmpstr (output_sha, ==, after);

  test_run_assayctl (&usage, "--database", dbs.damaged, "salvage", "extra", NULL);
  g_assert_cmpint (usage.status, ==, 2);
}

static void
test_salvage_default_name (void)
{
  g_auto(Dbs) dbs = { 0 };
  g_auto(TestRun) run = { 0 };
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  const char *line;

  make_dbs (&dbs);
  test_run_assayctl (&run, "--database", dbs.damaged, "salvage", NULL);
  g_assert_cmpint (run.status, ==, 0);
  line = strstr (run.out, "salvaged: ");
  g_assert_nonnull (line);
  path = g_strndup (line + strlen ("salvaged: "), strcspn (line + strlen ("salvaged: "), "\n"));
  folder = g_path_get_dirname (dbs.damaged);
  g_assert_true (g_str_has_prefix (path, folder));
  g_assert_nonnull (strstr (path, "/assay-salvaged-"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/check", test_check);
  g_test_add_func ("/cli/salvage", test_salvage);
  g_test_add_func ("/cli/salvage/default-name", test_salvage_default_name);
  return g_test_run ();
}
