/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Draft autosave survives a kill: a child saves a draft on every "change" as the scoring panel
 * does and reports each save once the store says it is done; it is killed with SIGKILL after a
 * random number of reported saves. The database must then hold a draft at least as new as the
 * last one reported, and pass integrity_check.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "test-db.h"

#define RUNS 40
#define EVALUATION "50000000-0000-4000-8000-000000000001"

static gint64
last_reported (GDataInputStream *out,
               guint             wanted)
{
  gint64 last = 0;

  for (guint n = 0; n < wanted; n++)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
      guint seq;

      if (line == NULL)
        break;
      if (sscanf (line, "saved %u", &seq) == 1)
        last = seq;
    }
  return last;
}

static void
test_draft_kill (void)
{
  g_autoptr(AssayStore) store = test_db_new (5);
  g_autofree char *path = g_strdup (assay_store_get_path (store));
  g_autofree char *writer = g_test_build_filename (G_TEST_BUILT, "store", "draft-writer", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  gint64 previous = 0;

  test_db_exec (store,
    "INSERT INTO staff (id, name, is_me) VALUES ('30000000-0000-4000-8000-000000000001', 'Me', 1);"
    "INSERT INTO form (id, name, created_at) VALUES ('40000000-0000-4000-8000-000000000001', 'F', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('41000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', 1, '{}', 1);");
  assay_store_close (store);

  for (int run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(AssayStore) check = NULL;
      g_autofree char *sql = NULL;
      guint wanted = g_rand_int_range (rand, 1, 60);
      gint64 reported;
      gint64 stored;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, writer, path, EVALUATION,
                                "20000000-0000-4000-8000-000000000001",
                                "41000000-0000-4000-8000-000000000001",
                                "30000000-0000-4000-8000-000000000001", NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      reported = last_reported (out, wanted);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      /* it really died by the signal (WIFSIGNALED, WTERMSIG), not by exiting on its own */
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
      g_assert_cmpint (reported, >, 0);

      check = assay_store_new (path);
      g_assert_true (assay_store_open_sync (check, &error));
      g_assert_no_error (error);
      g_assert_cmpint (test_db_query_int (check, "SELECT count(*) FROM pragma_integrity_check"
                                                 " WHERE integrity_check != 'ok'"), ==, 0);
      /* every save reported done is in the database: the draft is at least that new */
      stored = test_db_query_int (check, "SELECT json_extract (answers, '$.seq') FROM evaluation_draft"
                                         " WHERE evaluation_id = '" EVALUATION "'");
      g_assert_cmpint (stored, >=, reported);
      g_assert_cmpint (test_db_query_int (check, "SELECT count(*) FROM evaluation"), ==, 1);
      /* a run starts over at 1: the stored draft is this run's or the same as the last */
      sql = g_strdup_printf ("SELECT %" G_GINT64_FORMAT " <= changes FROM evaluation_draft", previous);
      g_assert_cmpint (test_db_query_int (check, sql), ==, 1);
      previous = test_db_query_int (check, "SELECT changes FROM evaluation_draft");
      assay_store_close (check);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/draft-kill", test_draft_kill);
  return g_test_run ();
}
