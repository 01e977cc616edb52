/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Read-only and damaged databases (assay-store-health.c).
 *
 * How read-only is tested honestly although the tests run as root, whom the kernel lets write
 * any file whatever its mode: two ways, both real.
 *  - The store treats a file, -wal, -shm or folder without any write bit in its mode as
 *    read-only, also for root (someone made it read-only on purpose; Assay respects that and
 *    opens it with SQLITE_OPEN_READONLY). So chmod 0444 / 0555 exercises the read-only paths
 *    for every user; the tests then also prove that nothing was written (same SHA-256, no
 *    -wal / -shm appeared).
 *  - The kernel's own refusal: health-probe opens the database in a child that drops to the
 *    user "nobody" when the tests run as root (setuid in the child before exec), so access(2)
 *    and open(2) really fail. Run as an ordinary user, the child keeps that user, whom chmod
 *    already binds. `chattr +i` and read-only bind mounts were not used: they need
 *    capabilities that containers often lack.
 */
#include <grp.h>
#include <libintl.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "assay-store-forms.h"
#include "assay-store-health.h"
#include "assay-store-private.h"
#include "test-damage.h"
#include "test-db.h"

#define NOBODY 65534

static const char *form_json =
  "{\"format\": 1, \"id\": \"health\", \"name\": \"Health\", \"version\": 1,"
  " \"mode\": \"points\", \"sections\": [{\"id\": \"s\", \"title\": \"S\", \"weight\": 1,"
  " \"items\": [{\"id\": \"i\", \"kind\": \"yes_no\", \"text\": \"Asked\", \"weight\": 1}]}]}";

/* A closed database of @n interactions; returns its path. */
static char *
make_db (guint n)
{
  g_autoptr(AssayStore) store = test_db_new (n);
  char *path = g_strdup (assay_store_get_path (store));

  assay_store_close (store);
  return path;
}

static gpointer
exec_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return _assay_store_exec (db, data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
count_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, data, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return GINT_TO_POINTER ((int) sqlite3_column_int64 (stmt, 0) + 1);
}

/* The count of a one-value query, or -1 with @error. */
static gint64
try_count (AssayStore  *store,
           const char  *sql,
           GError     **error)
{
  gpointer result = _assay_store_run_sync (store, count_func, (gpointer) sql, error);

  return result == NULL ? -1 : GPOINTER_TO_INT (result) - 1;
}

static void
assert_writes_refused (AssayStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) form_error = NULL;
  g_autoptr(AssayFormVersionRecord) form = NULL;

  g_assert_null (_assay_store_run_sync (store, exec_func,
                                        "INSERT INTO team (id, name) VALUES ('t9', 'New')",
                                        &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, assay_store_get_path (store)));

  /* a repository's write, in its transaction */
  form = assay_store_create_form_sync (store, form_json, &form_error);
  g_assert_null (form);
  g_assert_error (form_error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY);
}

static void
test_writable (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);

  g_assert_false (assay_store_get_read_only (store));
  g_assert_false (assay_store_get_damaged (store));
  test_db_exec (store, "INSERT INTO team (id, name) VALUES ('t9', 'New')");
}

static void
test_read_only_file (void)
{
  g_autofree char *path = make_db (40);
  g_autofree char *before = test_damage_sha256 (path);
  g_autofree char *after = NULL;
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  gboolean read_only = FALSE;

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);
  g_assert_true (assay_store_get_read_only (store));
  g_object_get (store, "read-only", &read_only, NULL);
  g_assert_true (read_only);

  /* it reads */
  g_assert_cmpint (try_count (store, "SELECT count(*) FROM interaction", &error), ==, 40);
  g_assert_no_error (error);
  g_assert_cmpint (try_count (store, "SELECT count(*) FROM agent", &error), ==, 6);

  assert_writes_refused (store);
  assay_store_close (store);

  after = test_damage_sha256 (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
}

/* The message reaches a Chinese user in Chinese (the store uses the app's gettext domain). */
static void
test_read_only_translated (void)
{
  g_autofree char *path = make_db (5);
  g_autofree char *localedir = g_build_filename (g_getenv ("ASSAY_BUILD_ROOT"), "po", NULL);
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_nonnull (bindtextdomain (GETTEXT_PACKAGE, localedir));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* the locale comes with the project's dependencies (make deps) */
  g_assert_nonnull (setlocale (LC_ALL, "zh_CN.UTF-8"));

  g_assert_null (_assay_store_run_sync (store, exec_func,
                                        "INSERT INTO team (id, name) VALUES ('t9', 'New')",
                                        &error));
  setlocale (LC_ALL, "C.UTF-8");
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "只读"));
  g_assert_nonnull (strstr (error->message, path));
  assay_store_close (store);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
}

static void
test_read_only_folder (void)
{
  g_autofree char *path = make_db (25);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *before = test_damage_sha256 (path);
  g_autofree char *after = NULL;
  g_autofree char *elsewhere = g_build_filename (folder, "sub", "new.db", NULL);
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(AssayStore) fresh = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);

  /* the file is writable, its folder is not: SQLite could not make the -wal and -shm */
  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);
  g_assert_true (assay_store_get_read_only (store));
  g_assert_cmpint (try_count (store, "SELECT count(*) FROM interaction", &error), ==, 25);
  g_assert_no_error (error);
  assert_writes_refused (store);
  assay_store_close (store);

  /* nothing was made in the folder, nothing written */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  after = test_damage_sha256 (path);
  g_assert_cmpstr (before, ==, after);

  /* a new database cannot be made in a read-only folder: said as that */
  {
    g_autofree char *missing = g_build_filename (folder, "other.db", NULL);

    fresh = assay_store_new (missing);
    g_assert_false (assay_store_open_sync (fresh, &error));
    g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY);
    g_assert_nonnull (strstr (error->message, "read-only"));
    g_assert_nonnull (strstr (error->message, "Preferences"));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
}

/* A read-only folder whose -wal holds changes that cannot be read without making a -shm. */
static void
test_read_only_folder_wal (void)
{
  g_autoptr(AssayStore) writer = test_db_new (5);
  g_autofree char *folder = g_dir_make_tmp ("assay-health-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (folder, "assay.db", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *src_wal = g_strconcat (assay_store_get_path (writer), "-wal", NULL);
  g_autofree char *data = NULL;
  g_autofree char *wal_data = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0, wal_length = 0;

  /* the writer's changes sit in its -wal (no checkpoint yet): copy the file and the -wal */
  g_assert_true (g_file_get_contents (assay_store_get_path (writer), &data, &length, NULL));
  g_assert_true (g_file_get_contents (src_wal, &wal_data, &wal_length, NULL));
  g_assert_cmpuint (wal_length, >, 0);
  g_assert_true (g_file_set_contents (copy, data, (gssize) length, NULL));
  g_assert_true (g_file_set_contents (copy_wal, wal_data, (gssize) wal_length, NULL));
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);

  store = assay_store_new (copy);
  g_assert_false (assay_store_open_sync (store, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, folder));
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
}

static void
drop_to_nobody (gpointer data)
{
  if (geteuid () == 0)
    {
      if (setgroups (0, NULL) != 0 || setgid (NOBODY) != 0 || setuid (NOBODY) != 0)
        _exit (99);
    }
}

/* health-probe's report on @path, run as "nobody" (see the top of this file). */
static char *
probe_as_nobody (const char *path)
{
  g_autofree char *probe = g_test_build_filename (G_TEST_BUILT, "store", "health-probe", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_subprocess_launcher_set_child_setup (launcher, drop_to_nobody, NULL, NULL);
  child = g_subprocess_launcher_spawn (launcher, &error, probe, path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  g_test_message ("probe %s:\n%s", path, out);
  return out;
}

static void
test_read_only_for_the_kernel (void)
{
  g_autofree char *path = make_db (30);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *before = test_damage_sha256 (path);
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = g_strdup_printf ("read-only=1\ninteractions=30\nwrite-error=%d\n",
                                               ASSAY_STORE_ERROR_READ_ONLY);

  /* the folder and file belong to this user and only they may write them (0755, 0644) */
  g_assert_cmpint (g_chmod (folder, 0755), ==, 0);
  g_assert_cmpint (g_chmod (path, geteuid () == 0 ? 0644 : 0444), ==, 0);
  if (geteuid () != 0)
    g_assert_cmpint (g_chmod (folder, 0555), ==, 0);

  /* neither the file nor the folder: the immutable way */
  out = probe_as_nobody (path);
  g_assert_cmpstr (out, ==, expected);

  /* the folder open to all, the file not: SQLite makes its -shm, the file stays as it was */
  g_assert_cmpint (g_chmod (folder, 01777), ==, 0);
  g_clear_pointer (&out, g_free);
  out = probe_as_nobody (path);
  g_assert_cmpstr (out, ==, expected);

  after = test_damage_sha256 (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
}

/* ---- damage ---- */

typedef struct {
  char  *path;      /* the healthy original */
  char  *damaged;   /* its copy, damaged */
  guint  lost;      /* rows of interaction on the damaged page */
} Damaged;

static void
damaged_clear (Damaged *d)
{
  g_free (d->path);
  g_free (d->damaged);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Damaged, damaged_clear)

#define N_ROWS 3000

static void
make_damaged (Damaged *d)
{
  d->path = make_db (N_ROWS);
  d->damaged = test_damage_copy (d->path);
  d->lost = test_damage_table (d->damaged, "interaction");
  g_test_message ("%u rows on the damaged page", d->lost);
  g_assert_cmpuint (d->lost, >, 0);
  g_assert_cmpuint (d->lost, <, N_ROWS / 4);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static gboolean
is_damaged (gpointer data)
{
  return assay_store_get_damaged (data);
}

static gboolean
is_opened (gpointer data)
{
  return *(int *) data != 0;
}

static gboolean
is_notified (gpointer data)
{
  return *(guint *) data != 0;
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(int *) user_data = assay_store_open_finish (ASSAY_STORE (source), result, &error) ? 1 : -1;
  g_assert_no_error (error);
}

static void
test_background_check (void)
{
  g_auto(Damaged) d = { 0 };
  g_autoptr(AssayStore) healthy = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autofree char *damage = NULL;
  guint notified = 0;
  int opened = 0;

  make_damaged (&d);

  /* the healthy original: the check runs and finds nothing */
  healthy = assay_store_new (d.path);
  assay_store_open_async (healthy, NULL, opened_cb, &opened);
  test_wait_until (is_opened, &opened, 30);
  /* the worker takes jobs in order: once this query answers, the check has run */
  g_assert_cmpint (test_db_query_int (healthy, "SELECT count(*) FROM team"), ==, 3);
  g_assert_false (assay_store_get_damaged (healthy));

  /* the damaged copy opens (the damage is deep inside a table), then the check finds it */
  opened = 0;
  store = assay_store_new (d.damaged);
  g_signal_connect (store, "notify::damaged", G_CALLBACK (count_notify_cb), &notified);
  assay_store_open_async (store, NULL, opened_cb, &opened);
  test_wait_until (is_opened, &opened, 30);
  test_wait_until (is_damaged, store, 30);
  damage = assay_store_dup_damage (store);
  g_assert_nonnull (damage);
  g_test_message ("damage: %s", damage);
  /* notified once, on this thread's main context */
  test_wait_until (is_notified, &notified, 30);
  g_assert_cmpuint (notified, ==, 1);
}

static void
test_malformed_error (void)
{
  g_auto(Damaged) d = { 0 };
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssayStoreSalvage) salvage = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *dest = NULL;
  guint notified = 0;

  make_damaged (&d);
  before = test_damage_sha256 (d.damaged);
  wal = g_strconcat (d.damaged, "-wal", NULL);
  store = assay_store_new (d.damaged);
  g_signal_connect (store, "notify::damaged", G_CALLBACK (count_notify_cb), &notified);
  /* opened without the background check */
  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);
  g_assert_false (assay_store_get_damaged (store));
  /* a write before anyone knows: it goes to the -wal */
  test_db_exec (store, "INSERT INTO team (id, name) VALUES ('t9', 'Written before')");

  /* a page that reads the whole table runs into the damaged page */
  g_assert_cmpint (try_count (store, "SELECT sum(talk_s) FROM interaction NOT INDEXED", &error),
                   ==, -1);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_true (assay_store_get_damaged (store));
  test_wait_until (is_notified, &notified, 30);
  g_assert_cmpuint (notified, ==, 1);

  /* another one does not notify again */
  g_clear_error (&error);
  try_count (store, "SELECT sum(wait_s) FROM interaction NOT INDEXED", &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CORRUPT);

  /* from now on the store writes nothing more, and says why */
  g_clear_error (&error);
  g_assert_null (_assay_store_run_sync (store, exec_func,
                                        "INSERT INTO team (id, name) VALUES ('t10', 'After')",
                                        &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "no longer writes"));
  g_clear_error (&error);
  assay_store_close (store);
  g_assert_cmpuint (notified, ==, 1);

  /* nothing went into the damaged file: the earlier write waits in the -wal */
  after = test_damage_sha256 (d.damaged);
  g_assert_cmpstr (before, ==, after);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* and the salvage has it */
  dest = assay_store_salvage_default_path (d.damaged);
  salvage = assay_store_salvage (d.damaged, dest, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = test_damage_sha256 (d.damaged);
  g_assert_cmpstr (before, ==, after);
  g_clear_object (&store);
  store = assay_store_new (dest);
  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM team WHERE id = 't9'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM team WHERE id = 't10'"), ==, 0);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM interaction"), ==,
                   N_ROWS - d.lost);
}

static void
test_check_path (void)
{
  g_auto(Damaged) d = { 0 };
  g_auto(GStrv) healthy = NULL;
  g_auto(GStrv) damaged = NULL;
  g_auto(GStrv) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_damaged (&d);
  before = test_damage_sha256 (d.damaged);

  healthy = assay_store_check_path (d.path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (healthy);
  g_assert_cmpuint (g_strv_length (healthy), ==, 0);

  damaged = assay_store_check_path (d.damaged, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (damaged), >, 0);
  full = assay_store_check_path (d.damaged, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (full), >, 0);

  after = test_damage_sha256 (d.damaged);
  g_assert_cmpstr (before, ==, after);

  missing = g_strconcat (d.path, ".missing", NULL);
  g_assert_null (assay_store_check_path (missing, FALSE, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_OPEN);
}

static void
test_salvage (void)
{
  g_auto(Damaged) d = { 0 };
  g_autoptr(AssayStoreSalvage) salvage = NULL;
  g_autoptr(AssayStoreSalvage) again = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *dest_sha = NULL;
  g_autofree char *base = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0;

  make_damaged (&d);
  before = test_damage_sha256 (d.damaged);
  {
    g_autofree char *wal = g_strconcat (d.damaged, "-wal", NULL);
    g_autofree char *shm = g_strconcat (d.damaged, "-shm", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  }
  dest = assay_store_salvage_default_path (d.damaged);
  base = g_path_get_basename (dest);
  g_assert_true (g_str_has_prefix (base, "assay-salvaged-"));
  g_assert_true (g_str_has_suffix (base, ".db"));
  folder = g_path_get_dirname (dest);
  {
    g_autofree char *damaged_folder = g_path_get_dirname (d.damaged);
    g_assert_cmpstr (folder, ==, damaged_folder);
  }

  salvage = assay_store_salvage (d.damaged, dest, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (salvage);
  g_assert_cmpstr (salvage->path, ==, dest);
  g_test_message ("copied %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT ", %u areas",
                  salvage->rows_copied, salvage->rows_lost, salvage->damaged_areas);
  g_assert_cmpuint (salvage->damaged_areas, >=, 1);
  g_assert_cmpuint (salvage->rows_lost, ==, d.lost);
  g_assert_cmpuint (salvage->tables_lost, ==, 0);

  /* the original is untouched, byte for byte */
  after = test_damage_sha256 (d.damaged);
  g_assert_cmpstr (before, ==, after);

  /* the new database is healthy, at this schema, with every row that could be read */
  problems = assay_store_check_path (dest, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  store = assay_store_new (dest);
  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);
  g_assert_false (assay_store_get_read_only (store));
  g_assert_cmpint (test_db_query_int (store, "PRAGMA user_version"), ==,
                   assay_store_schema_version ());
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM interaction"), ==,
                   N_ROWS - d.lost);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM agent"), ==, 6);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM team"), ==, 3);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM queue"), ==, 3);
  /* the rows keep their values, and generated columns are computed again */
  g_assert_cmpint (test_db_query_int (store,
                     "SELECT count(*) FROM interaction WHERE handle_s = talk_s + hold_s + wrap_s"),
                   ==, N_ROWS - d.lost);
  g_assert_cmpint (test_db_query_int (store,
                     "SELECT talk_s FROM interaction WHERE id = '20000000-0000-4000-8000-000000000000'"),
                   ==, 60);
  /* and it takes writes */
  test_db_exec (store, "INSERT INTO team (id, name) VALUES ('t9', 'New')");
  assay_store_close (store);

  /* nothing is overwritten: the same target again is refused and left as it is */
  dest_sha = test_damage_sha256 (dest);
  again = assay_store_salvage (d.damaged, dest, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already exists"));
  g_clear_pointer (&after, g_free);
  after = test_damage_sha256 (dest);
  g_assert_cmpstr (dest_sha, ==, after);

  /* and no temporary files are left: the original, its copy, the salvaged one */
  dir = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_test_message ("left: %s", name);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 3);
}

/* A damaged database in a folder Assay may not write: the salvage goes to Assay's own folder. */
static void
test_salvage_from_read_only_folder (void)
{
  g_auto(Damaged) d = { 0 };
  g_autoptr(AssayStoreSalvage) salvage = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *own = g_build_filename (g_get_user_data_dir (), "assay", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_damaged (&d);
  before = test_damage_sha256 (d.damaged);
  folder = g_path_get_dirname (d.damaged);
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);

  dest = assay_store_salvage_default_path (d.damaged);
  g_assert_true (g_str_has_prefix (dest, own));
  salvage = assay_store_salvage (d.damaged, dest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (salvage->rows_lost, ==, d.lost);
  g_assert_true (g_file_test (dest, G_FILE_TEST_IS_REGULAR));
  after = test_damage_sha256 (d.damaged);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
  g_assert_cmpint (g_unlink (dest), ==, 0);
}

static void
salvaged_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AssayStoreSalvage **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = assay_store_salvage_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* Salvage while the damaged database is open in a store, off the main thread. */
static void
test_salvage_async_while_open (void)
{
  g_auto(Damaged) d = { 0 };
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssayStoreSalvage) salvage = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_damaged (&d);
  before = test_damage_sha256 (d.damaged);
  store = assay_store_new (d.damaged);
  g_assert_true (assay_store_open_sync (store, &error));

  dest = assay_store_salvage_default_path (d.damaged);
  assay_store_salvage_async (d.damaged, dest, NULL, salvaged_cb, &salvage);
  test_wait_until (is_set, &salvage, 60);
  g_assert_cmpuint (salvage->rows_copied, >, N_ROWS - d.lost);
  g_assert_true (g_file_test (dest, G_FILE_TEST_IS_REGULAR));
  assay_store_close (store);

  after = test_damage_sha256 (d.damaged);
  g_assert_cmpstr (before, ==, after);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/health/writable", test_writable);
  g_test_add_func ("/store/health/read-only/file", test_read_only_file);
  g_test_add_func ("/store/health/read-only/translated", test_read_only_translated);
  g_test_add_func ("/store/health/read-only/folder", test_read_only_folder);
  g_test_add_func ("/store/health/read-only/folder-with-wal", test_read_only_folder_wal);
  g_test_add_func ("/store/health/read-only/kernel", test_read_only_for_the_kernel);
  g_test_add_func ("/store/health/damaged/background-check", test_background_check);
  g_test_add_func ("/store/health/damaged/malformed-error", test_malformed_error);
  g_test_add_func ("/store/health/damaged/check-path", test_check_path);
  g_test_add_func ("/store/health/damaged/salvage", test_salvage);
  g_test_add_func ("/store/health/damaged/salvage-async-while-open", test_salvage_async_while_open);
  g_test_add_func ("/store/health/damaged/salvage-from-read-only-folder",
                   test_salvage_from_read_only_folder);
  return g_test_run ();
}
