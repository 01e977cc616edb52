/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing through a temporary file: a failure leaves no file, or the old one, never a partial one. */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "core/assay-file.h"

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
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

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
test_write (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "form.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (assay_file_write_atomic (path, "{\"a\": 1}\n", 9, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "{\"a\": 1}\n");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  /* a replaced file keeps its permissions */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_true (assay_file_write_atomic (path, "two", 3, NULL, &error));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "two");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (count_entries (dir), ==, 1);
  remove_tree (dir);
}

static void
test_abort (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "calls.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = assay_file_replace_begin (path, &error);

  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "id\n", 3, NULL, NULL, &error));
  /* while it is written the target does not exist yet; the temporary file is hidden beside it */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  assay_file_replace_abort (stream);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  remove_tree (dir);
}

/* no file may grow past 4 KiB in this process for a moment: a write fails with EFBIG part-way,
 * as on a full disk (root is not exempt) */
static void
test_fails_part_way (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-file-XXXXXX", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.csv", NULL);
  g_autofree char *old = g_build_filename (dir, "old.csv", NULL);
  g_autofree char *big = g_malloc (64 * 1024);
  g_autofree char *contents = NULL;
  struct rlimit saved, limit = { 4096, 0 };
  void (*handler) (int);
  gboolean ok_fresh, ok_old;
  g_autoptr(GError) fresh_error = NULL;
  g_autoptr(GError) old_error = NULL;

  memset (big, 'x', 64 * 1024);
  g_assert_true (g_file_set_contents (old, "earlier\n", -1, NULL));

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit.rlim_max = saved.rlim_max;
  handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  ok_fresh = assay_file_write_atomic (fresh, big, 64 * 1024, NULL, &fresh_error);
  ok_old = assay_file_write_atomic (old, big, 64 * 1024, NULL, &old_error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, handler);

  g_assert_false (ok_fresh);
  g_assert_error (fresh_error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  g_assert_false (ok_old);
  g_assert_nonnull (old_error);
  g_assert_true (g_file_get_contents (old, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "earlier\n");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  remove_tree (dir);
}

static void
test_refused_targets (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-file-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "gone", "x.csv", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (assay_file_write_atomic (folder, "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_true (g_str_has_suffix (error->message, "folder is a folder: give a file name inside it"));
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (folder), ==, 0);

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_false (assay_file_write_atomic (fifo, "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);
  g_assert_cmpint (g_stat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));

  g_assert_false (assay_file_write_atomic (nowhere, "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_suffix (error->message, "gone does not exist: create it or choose another"));
  g_clear_error (&error);

  g_assert_cmpuint (count_entries (dir), ==, 2);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  umask (022);   /* the modes the tests expect for new files */
  g_test_add_func ("/file/write", test_write);
  g_test_add_func ("/file/abort", test_abort);
  g_test_add_func ("/file/fails-part-way", test_fails_part_way);
  g_test_add_func ("/file/refused-targets", test_refused_targets);
  return g_test_run ();
}
