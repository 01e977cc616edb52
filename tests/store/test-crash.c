/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Durability: a child (crash-writer) commits one interaction per transaction and reports each
 * commit on stdout; it is killed with SIGKILL at random moments, over and over, on the same
 * database. Afterwards the database must pass integrity_check and hold every reported id.
 */
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "assay-store-private.h"

#define MIN_RUNS 200

typedef struct {
  GInputStream *pipe;
  GString      *pending;   /* bytes after the last newline */
  GPtrArray    *lines;     /* complete lines not yet taken */
  gboolean      eof;
} LineReader;

static void
line_reader_init (LineReader   *r,
                  GInputStream *pipe)
{
  r->pipe = pipe;
  r->pending = g_string_new (NULL);
  r->lines = g_ptr_array_new_with_free_func (g_free);
  r->eof = FALSE;
}

static void
line_reader_clear (LineReader *r)
{
  g_string_free (r->pending, TRUE);
  g_ptr_array_unref (r->lines);
}

/* Reads more from the pipe. Only whole lines count: a killed child may stop mid-line. */
static void
line_reader_fill (LineReader *r)
{
  char buffer[4096];
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read (r->pipe, buffer, sizeof buffer, NULL, &error);
  char *newline;

  g_assert_no_error (error);
  if (n == 0)
    {
      r->eof = TRUE;
      return;
    }
  g_string_append_len (r->pending, buffer, n);
  while ((newline = memchr (r->pending->str, '\n', r->pending->len)) != NULL)
    {
      gsize len = (gsize) (newline - r->pending->str);

      g_ptr_array_add (r->lines, g_strndup (r->pending->str, len));
      g_string_erase (r->pending, 0, (gssize) len + 1);
    }
}

/* Blocks until a whole line is there; NULL at the end of the output. */
static char *
line_reader_next (LineReader *r)
{
  while (r->lines->len == 0 && !r->eof)
    line_reader_fill (r);
  if (r->lines->len == 0)
    return NULL;
  return g_ptr_array_steal_index (r->lines, 0);
}

static void
take_committed (GHashTable *committed,
                char       *id)
{
  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_false (g_hash_table_contains (committed, id));
  g_hash_table_add (committed, id);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_kill_loop (void)
{
  g_autofree char *writer = g_test_build_filename (G_TEST_BUILT, "store", "crash-writer", NULL);
  g_autofree char *dir = g_dir_make_tmp ("assay-crash-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "crash.db", NULL);
  g_autoptr(GHashTable) committed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *integrity = NULL;
  g_autoptr(sqlite3_stmt) find = NULL;
  GHashTableIter iter;
  gpointer key;
  sqlite3 *db;
  guint runs = MIN_RUNS;
  guint n_early = 0;
  guint n_after_commits = 0;
  gint64 n_rows;

  if (g_getenv ("ASSAY_CRASH_RUNS") != NULL)
    runs = MAX (runs, (guint) g_ascii_strtoull (g_getenv ("ASSAY_CRASH_RUNS"), NULL, 10));
  g_assert_true (g_file_test (writer, G_FILE_TEST_IS_EXECUTABLE));

  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(GSubprocess) child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                       writer, path, NULL);
      LineReader reader;
      char *line;

      g_assert_no_error (error);
      line_reader_init (&reader, g_subprocess_get_stdout_pipe (child));

      if (run % 4 == 3)
        {
          /* anywhere in start-up, opening, recovery of the last crash or the first commits */
          g_usleep (g_test_rand_int_range (0, 40000));
          n_early++;
        }
      else
        {
          /* just after the k-th reported commit, likely inside the next transaction */
          int k = g_test_rand_int_range (0, 31);

          for (int i = 0; i < k; i++)
            {
              line = line_reader_next (&reader);
              if (line == NULL)
                {
                  g_subprocess_wait (child, NULL, NULL);
                  g_error ("run %u: the writer stopped by itself after %d commits (status %d)",
                           run, i, g_subprocess_get_status (child));
                }
              take_committed (committed, line);
            }
          /* and sometimes a moment later, to land anywhere in the next transaction */
          if (run % 2 == 1)
            g_usleep (g_test_rand_int_range (0, 3000));
          n_after_commits++;
        }

      g_subprocess_send_signal (child, SIGKILL);
      /* whatever it reported before dying was committed too */
      while ((line = line_reader_next (&reader)) != NULL)
        take_committed (committed, line);
      g_assert_true (g_subprocess_wait (child, NULL, &error));
      g_assert_no_error (error);
      if (!g_subprocess_get_if_signaled (child))
        g_error ("run %u: the writer exited with status %d instead of being killed", run,
                 g_subprocess_get_exit_status (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
      line_reader_clear (&reader);
    }

  g_test_message ("%u runs (%u killed early, %u after k commits), %u commits reported", runs,
                  n_early, n_after_commits, g_hash_table_size (committed));
  g_assert_cmpuint (g_hash_table_size (committed), >, runs);

  db = _assay_store_connect (path, &error);
  g_assert_no_error (error);
  integrity = query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM interaction WHERE id = ?1", -1,
                                       &find, NULL), ==, SQLITE_OK);
  g_hash_table_iter_init (&iter, committed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      sqlite3_bind_text (find, 1, key, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (find), ==, SQLITE_ROW);
      if (sqlite3_column_int (find, 0) != 1)
        g_error ("interaction %s was reported committed but is not in the database",
                 (const char *) key);
      sqlite3_reset (find);
    }
  /* at most one commit per run can have happened without being reported */
  n_rows = query_int (db, "SELECT count(*) FROM interaction");
  g_assert_cmpint (n_rows, >=, g_hash_table_size (committed));
  g_assert_cmpint (n_rows, <=, g_hash_table_size (committed) + runs);
  g_clear_pointer (&find, sqlite3_finalize);
  sqlite3_close_v2 (db);

  {
    /* and the application opens it as usual */
    g_autoptr(AssayStore) store = assay_store_new (path);

    g_assert_true (assay_store_open_sync (store, &error));
    g_assert_no_error (error);
    assay_store_close (store);
  }

  {
    const char *const suffixes[] = { "", "-wal", "-shm" };

    for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_unlink (file);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/crash/kill-loop", test_kill_loop);
  return g_test_run ();
}
