/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * assayctl seed --force replaces the demo and nothing else (docs/demo-seed.md): a database with
 * work that the seed did not make — a revision, an edited draft, staff, an import — is refused
 * with status 2 and left as it was; a pure demo is replaced by a fresh file, and the triggers
 * that keep revisions append-only are never lifted.
 */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "test-db.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

typedef struct {
  char *dir;
  char *database;
  char *forms;
  char *recordings;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *root = g_getenv ("ASSAY_SOURCE_ROOT");

  f->dir = g_dir_make_tmp ("assayctl-seed-XXXXXX", NULL);
  f->database = g_build_filename (f->dir, "assay.db", NULL);
  f->forms = g_build_filename (root != NULL ? root : ".", "data", "demo", "forms", NULL);
  /* no recordings: the test is about the database */
  f->recordings = g_build_filename (f->dir, "no-recordings", NULL);
  g_assert_cmpint (g_mkdir (f->recordings, 0755), ==, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->database);
  g_free (f->forms);
  g_free (f->recordings);
}

static void
run_seed (Run        *run,
          Fixture    *f,
          const char *interactions,
          gboolean    force)
{
  const char *argv[] = { g_getenv ("ASSAYCTL"), "--database", f->database, "seed",
                         "--interactions", interactions, "--forms", f->forms, "--recordings",
                         f->recordings, force ? "--force" : NULL, NULL };
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (argv[0]);
  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

static gint64
query (Fixture    *f,
       const char *sql)
{
  g_autoptr(AssayStore) store = assay_store_new (f->database);
  g_autoptr(GError) error = NULL;
  gint64 n;

  g_assert_true (assay_store_open_sync (store, &error));
  n = test_db_query_int (store, sql);
  assay_store_close (store);
  return n;
}

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr(AssayStore) store = assay_store_new (f->database);
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_open_sync (store, &error));
  test_db_exec (store, sql);
  assay_store_close (store);
}

static void
seed_demo (Fixture *f)
{
  g_auto(Run) run = { 0 };

  run_seed (&run, f, "300", FALSE);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (query (f, "SELECT count(*) FROM interaction"), ==, 300);
  g_assert_cmpint (query (f, "SELECT count(*) FROM evaluation_revision"), >, 0);
  g_assert_cmpint (query (f, "PRAGMA application_id"), !=, 0);
}

/* Refused with status 2: the message says what would be lost and what to do; nothing changes. */
static void
expect_refused (Fixture    *f,
                const char *what)
{
  g_auto(Run) run = { 0 };
  gint64 revisions = query (f, "SELECT count(*) FROM evaluation_revision");
  gint64 interactions = query (f, "SELECT count(*) FROM interaction");

  run_seed (&run, f, "400", TRUE);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "assayctl: "));
  g_assert_nonnull (strstr (run.err, "holds work that is not the demo: "));
  g_assert_nonnull (strstr (run.err, "evaluation revisions"));
  g_assert_nonnull (strstr (run.err, what));
  g_assert_nonnull (strstr (run.err, "Seed a new database instead: assayctl --database OTHER.db "
                                     "seed"));
  g_assert_cmpint (query (f, "SELECT count(*) FROM evaluation_revision"), ==, revisions);
  g_assert_cmpint (query (f, "SELECT count(*) FROM interaction"), ==, interactions);
}

static void
test_replaces_pure_demo (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };

  seed_demo (f);
  /* without --force: refused, and told that --force may replace it */
  run_seed (&again, f, "400", FALSE);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "It holds the demo and nothing else"));

  run_seed (&run, f, "400", TRUE);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (query (f, "SELECT count(*) FROM interaction"), ==, 400);
  /* a new demo, marked again, its revisions still append-only */
  g_assert_cmpint (query (f, "PRAGMA application_id"), !=, 0);
  g_assert_cmpint (query (f, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                             " AND name = 'evaluation_revision_append_only'"), ==, 1);
}

static void
test_refuses_new_revision (Fixture       *f,
                           gconstpointer  data)
{
  seed_demo (f);
  /* an amendment: one more revision of a demo evaluation */
  exec (f, "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, author_id,"
           "  created_at)"
           " SELECT 'amended-1', evaluation_id, max (number) + 1, answers, author_id, 1"
           " FROM evaluation_revision GROUP BY evaluation_id LIMIT 1");
  expect_refused (f, "it changed after 'assayctl seed' made it");
}

static void
test_refuses_edited_draft (Fixture       *f,
                           gconstpointer  data)
{
  seed_demo (f);
  /* no row added: a demo draft answered further is work too */
  g_assert_cmpint (query (f, "SELECT count(*) FROM evaluation_draft"), >, 0);
  exec (f, "UPDATE evaluation_draft SET changes = changes + 1"
           " WHERE rowid = (SELECT min (rowid) FROM evaluation_draft)");
  expect_refused (f, "it changed after 'assayctl seed' made it");
}

static void
test_refuses_staff_and_forms (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *staff = NULL;

  seed_demo (f);
  exec (f, "INSERT INTO staff (id, name, roles) VALUES ('new-lead', 'Zhao Lei', 'lead');"
           "INSERT INTO form (id, name, created_at) VALUES ('my-form', 'Mine', 5);");
  staff = g_strdup_printf ("%" G_GINT64_FORMAT " staff", query (f, "SELECT count(*) FROM staff"));
  expect_refused (f, staff);
}

static void
test_refuses_unmarked (Fixture       *f,
                       gconstpointer  data)
{
  seed_demo (f);
  /* a database that the seed did not mark (made before the mark existed, or elsewhere) */
  exec (f, "PRAGMA application_id = 0");
  expect_refused (f, "it was not made by 'assayctl seed'");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/assayctl/seed/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("replaces-pure-demo", test_replaces_pure_demo);
  ADD ("refuses-new-revision", test_refuses_new_revision);
  ADD ("refuses-edited-draft", test_refuses_edited_draft);
  ADD ("refuses-staff-and-forms", test_refuses_staff_and_forms);
  ADD ("refuses-unmarked", test_refuses_unmarked);
  return g_test_run ();
}
