/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>

#include "assay-growing-file.h"

/*
 * A file still arriving: readers on other threads wait (bounded, cancellable) for bytes the
 * writer has not announced yet. Every wait here is on a thread join or a condition, with a
 * deadline; nothing sleeps.
 */

#define WAIT_MS 10000

typedef struct {
  AssayGrowingFile *file;
  GCancellable     *cancellable;
  goffset           offset;
  guint             timeout_ms;
  char              buf[256];
  gssize            n;
  GError           *error;
} Reader;

static gpointer
reader_thread (gpointer data)
{
  Reader *r = data;

  r->n = assay_growing_file_read_at (r->file, r->buf, sizeof r->buf, r->offset, r->timeout_ms,
                                     r->cancellable, &r->error);
  return NULL;
}

static char *
new_file (const char *contents,
          gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("growing-XXXXXX", &path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, &error));
  g_assert_no_error (error);
  return path;
}

static void
append (const char *path,
        const char *bytes)
{
  FILE *f = g_fopen (path, "ab");

  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (bytes, 1, strlen (bytes), f), ==, strlen (bytes));
  fclose (f);
}

static void
test_waits_for_bytes (void)
{
  g_autofree char *path = new_file ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayGrowingFile) file = assay_growing_file_new (path, 10, &error);
  Reader r = { 0 };
  GThread *thread;

  g_assert_no_error (error);
  r.file = file;
  r.timeout_ms = WAIT_MS;
  thread = g_thread_new ("reader", reader_thread, &r);
  /* the reader is (or soon will be) waiting: nothing is there */
  g_assert_cmpint (assay_growing_file_get_available (file), ==, 0);
  append (path, "RIFF");
  assay_growing_file_set_available (file, 4);
  g_thread_join (thread);
  g_assert_no_error (r.error);
  g_assert_cmpint (r.n, ==, 4);
  g_assert_cmpmem (r.buf, 4, "RIFF", 4);

  /* a read past what is there returns only what is there */
  append (path, "WAVEfmt");
  assay_growing_file_set_available (file, 10);
  r.n = assay_growing_file_read_at (file, r.buf, sizeof r.buf, 2, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r.n, ==, 8);
  g_assert_cmpmem (r.buf, 8, "FFWAVEfm", 8);

  /* at the announced total the read is the end, without waiting */
  r.n = assay_growing_file_read_at (file, r.buf, sizeof r.buf, 10, WAIT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r.n, ==, 0);
  g_unlink (path);
}

static void
test_complete_and_rename (void)
{
  g_autofree char *path = new_file ("abc", 3);
  g_autofree char *renamed = g_strconcat (path, "-done", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayGrowingFile) file = assay_growing_file_new (path, -1, &error);
  Reader r = { 0 };
  GThread *thread;
  char buf[8];

  g_assert_no_error (error);
  assay_growing_file_set_available (file, 3);
  g_assert_cmpint (assay_growing_file_get_total (file), ==, -1);
  /* a reader at the end of an unknown total waits until the writer says it is complete */
  r.file = file;
  r.offset = 3;
  r.timeout_ms = WAIT_MS;
  thread = g_thread_new ("reader", reader_thread, &r);
  g_assert_cmpint (g_rename (path, renamed), ==, 0);
  assay_growing_file_complete (file);
  g_thread_join (thread);
  g_assert_no_error (r.error);
  g_assert_cmpint (r.n, ==, 0);
  g_assert_true (assay_growing_file_is_complete (file));
  g_assert_cmpint (assay_growing_file_get_total (file), ==, 3);
  /* the file was renamed under the reader: it still reads */
  g_assert_cmpint (assay_growing_file_read_at (file, buf, sizeof buf, 0, 0, NULL, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, 3, "abc", 3);
  g_unlink (renamed);

  /* a file that does not exist is an error, not a crash */
  g_assert_null (assay_growing_file_new (path, -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_timeout_cancel_fail (void)
{
  g_autofree char *path = new_file ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayGrowingFile) file = assay_growing_file_new (path, 100, &error);
  g_autoptr(GError) lost = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                "The connection was lost");
  Reader r = { 0 };
  GThread *thread;
  char buf[8];
  gint64 start;

  g_assert_no_error (error);

  /* bounded: nothing comes, the read gives up with a sentence */
  start = g_get_monotonic_time ();
  g_assert_cmpint (assay_growing_file_read_at (file, buf, sizeof buf, 0, 20, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, WAIT_MS * 1000);
  g_clear_error (&error);

  /* cancelled while waiting */
  r.file = file;
  r.timeout_ms = WAIT_MS * 10;
  r.cancellable = g_cancellable_new ();
  thread = g_thread_new ("reader", reader_thread, &r);
  g_cancellable_cancel (r.cancellable);
  g_thread_join (thread);
  g_assert_cmpint (r.n, ==, -1);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_clear_object (&r.cancellable);

  /* the download fails while a reader waits: it gets the download's error */
  thread = g_thread_new ("reader", reader_thread, &r);
  assay_growing_file_fail (file, lost);
  g_thread_join (thread);
  g_assert_cmpint (r.n, ==, -1);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&r.error);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/growing-file/waits-for-bytes", test_waits_for_bytes);
  g_test_add_func ("/growing-file/complete-and-rename", test_complete_and_rename);
  g_test_add_func ("/growing-file/timeout-cancel-fail", test_timeout_cancel_fail);
  return g_test_run ();
}
