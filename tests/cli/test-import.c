/* SPDX-License-Identifier: GPL-3.0-or-later */
/* assayctl import / export, run as a user would (the binary comes from $ASSAYCTL). */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

typedef struct {
  char *dir;
  char *database;
} Fixture;

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

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("assayctl-import-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->database = g_build_filename (f->dir, "assay.db", NULL);
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
  g_free (f->database);
  g_free (f->dir);
}

/* Runs assayctl with the NULL-terminated arguments; standard input is empty unless @input. */
static void
run_assayctl_input (Run        *run,
                    const char *input,
                    ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("ASSAYCTL"));
  g_assert_nonnull (args->pdata[0]);
  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  child = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, input, NULL, &run->out, &run->err,
                                                &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

#define run_assayctl(run, ...) run_assayctl_input (run, NULL, __VA_ARGS__)

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "csv", name, NULL);
}

static void
test_import_good (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *good = fixture_path ("good.csv");
  g_auto(Run) first = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) update = { 0 };

  run_assayctl (&first, "--database", f->database, "import", good, NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.out, ==,
                   "Imported 5 interactions, 0 recordings linked, 4 agents and 2 teams created\n");
  g_assert_cmpstr (first.err, ==, "");

  /* the row with an id is there already: refused, exit 2 */
  run_assayctl (&again, "import", good, "--database", f->database, NULL);
  g_assert_cmpint (again.status, ==, 2);
  g_assert_nonnull (strstr (again.err, "good.csv:2: column 'id': interaction "
                                       "'3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21' already exists"));
  g_assert_nonnull (strstr (again.err, "nothing was imported"));
  g_assert_cmpstr (again.out, ==, "");

  run_assayctl (&update, "--database", f->database, "import", "--update", good, NULL);
  g_assert_cmpint (update.status, ==, 0);
  g_assert_cmpstr (update.out, ==, "Imported 5 interactions (1 updated), 0 recordings linked, "
                                   "0 agents and 0 teams created\n");
}

static void
test_import_bad (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *bad = fixture_path ("bad.csv");
  g_autofree char *good = fixture_path ("good.csv");
  g_autofree char *missing = g_build_filename (f->dir, "nope.csv", NULL);
  g_auto(Run) rows = { 0 };
  g_auto(Run) no_file = { 0 };
  g_auto(Run) no_args = { 0 };
  g_auto(Run) bad_option = { 0 };
  g_auto(Run) no_folder = { 0 };
  g_auto(Run) count = { 0 };

  run_assayctl (&rows, "--database", f->database, "import", bad, NULL);
  g_assert_cmpint (rows.status, ==, 2);
  g_assert_cmpstr (rows.out, ==, "");
  g_assert_nonnull (strstr (rows.err, "bad.csv:3: column 'csat': must be 1–5 or empty, got '7'\n"));
  g_assert_nonnull (strstr (rows.err, "bad.csv:7: column 'started_at'"));
  g_assert_nonnull (strstr (rows.err, "bad.csv:11: 'x' after the closing quote"));
  g_assert_nonnull (strstr (rows.err, "bad.csv: 7 bad rows; nothing was imported."));

  run_assayctl (&no_file, "--database", f->database, "import", missing, NULL);
  g_assert_cmpint (no_file.status, ==, 2);
  g_assert_nonnull (strstr (no_file.err, "assayctl: cannot read"));
  g_assert_nonnull (strstr (no_file.err, "nope.csv"));

  run_assayctl (&no_args, "--database", f->database, "import", NULL);
  g_assert_cmpint (no_args.status, ==, 2);
  g_assert_nonnull (strstr (no_args.err, "import needs one CSV file"));

  run_assayctl (&bad_option, "--database", f->database, "import", "--frobnicate", good, NULL);
  g_assert_cmpint (bad_option.status, ==, 2);

  run_assayctl (&no_folder, "--database", f->database, "import", good, "--recordings",
                missing, NULL);
  g_assert_cmpint (no_folder.status, ==, 2);
  g_assert_nonnull (strstr (no_folder.err, "recordings folder"));

  /* nothing of the bad file went in: the good one still imports all its agents */
  run_assayctl (&count, "--database", f->database, "import", good, NULL);
  g_assert_cmpint (count.status, ==, 0);
  g_assert_nonnull (strstr (count.out, "Imported 5 interactions, 0 recordings linked, 4 agents"));
}

static void
write_wav (const char *path)
{
  /* 1 s of 8 kHz 16-bit stereo silence */
  guint8 header[44] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0\x40\x1f\0\0\0\x7d\0\0\x04\0\x10\0"
                      "data\0\x7d\0\0";
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree guint8 *silence = g_malloc0 (32000);

  g_byte_array_append (bytes, header, sizeof header);
  g_byte_array_append (bytes, silence, 32000);
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, NULL));
}

static void
test_recordings (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "calls.csv", NULL);
  g_autofree char *media = g_build_filename (f->dir, "media", NULL);
  g_autofree char *wav_beside = g_build_filename (f->dir, "a.wav", NULL);
  g_autofree char *wav_media = g_build_filename (media, "a.wav", NULL);
  g_auto(Run) beside = { 0 };
  g_auto(Run) other = { 0 };
  g_auto(Run) missing = { 0 };

  g_assert_true (g_file_set_contents (csv, "channel,queue,agent_code,started_at,recording\n"
                                           "phone,Billing,E001,2026-11-14T10:42:00Z,a.wav\n",
                                      -1, NULL));
  /* without --recordings the names are relative to the CSV file's folder */
  run_assayctl (&missing, "--database", f->database, "import", csv, NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "calls.csv:2: column 'recording': there is no file"));

  write_wav (wav_beside);
  run_assayctl (&beside, "--database", f->database, "import", csv, NULL);
  g_assert_cmpint (beside.status, ==, 0);
  g_assert_cmpstr (beside.out, ==, "Imported 1 interaction, 1 recording linked, 1 agent and "
                                   "0 teams created\n");

  g_assert_cmpint (g_mkdir (media, 0700), ==, 0);
  write_wav (wav_media);
  run_assayctl (&other, "--database", f->database, "import", csv, "--recordings", media, NULL);
  g_assert_cmpint (other.status, ==, 0);
  g_assert_nonnull (strstr (other.out, "1 recording linked"));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *good = fixture_path ("good.csv");
  g_autofree char *out_path = g_build_filename (f->dir, "out.csv", NULL);
  g_autofree char *second = g_build_filename (f->dir, "second.db", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "absent.db", NULL);
  g_autofree char *written = NULL;
  g_auto(Run) import = { 0 };
  g_auto(Run) to_stdout = { 0 };
  g_auto(Run) to_file = { 0 };
  g_auto(Run) day = { 0 };
  g_auto(Run) bad_date = { 0 };
  g_auto(Run) no_db = { 0 };
  g_auto(Run) reimport = { 0 };
  g_auto(Run) from_stdin = { 0 };
  g_auto(Run) re_export = { 0 };

  run_assayctl (&import, "--database", f->database, "import", good, NULL);
  g_assert_cmpint (import.status, ==, 0);

  run_assayctl (&to_stdout, "--database", f->database, "export", NULL);
  g_assert_cmpint (to_stdout.status, ==, 0);
  g_assert_true (g_str_has_prefix (to_stdout.out, "id,channel,queue,agent_code,"));
  g_assert_cmpstr (to_stdout.err, ==, "Exported 5 interactions\n");

  run_assayctl (&to_file, "--database", f->database, "export", "--output", out_path, NULL);
  g_assert_cmpint (to_file.status, ==, 0);
  g_assert_cmpstr (to_file.out, ==, "Exported 5 interactions\n");
  g_assert_true (g_file_get_contents (out_path, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, to_stdout.out);

  /* a day is a whole day, both ends included */
  run_assayctl (&day, "--database", f->database, "export", "--from", "2026-11-14", "--to",
                "2026-11-14", NULL);
  g_assert_cmpint (day.status, ==, 0);
  g_assert_cmpstr (day.err, ==, "Exported 2 interactions\n");
  g_assert_null (strstr (day.out, "2026-11-13"));

  run_assayctl (&bad_date, "--database", f->database, "export", "--from", "14/11/2026", NULL);
  g_assert_cmpint (bad_date.status, ==, 2);
  g_assert_nonnull (strstr (bad_date.err, "--from '14/11/2026' is not a date"));

  /* exporting from a database that does not exist does not create one */
  run_assayctl (&no_db, "--database", nowhere, "export", NULL);
  g_assert_cmpint (no_db.status, ==, 1);
  g_assert_nonnull (strstr (no_db.err, "there is no database"));
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));

  /* export, import into a fresh database, export again: the same bytes */
  run_assayctl (&reimport, "--database", second, "import", out_path, NULL);
  g_assert_cmpint (reimport.status, ==, 0);
  run_assayctl (&re_export, "--database", second, "export", NULL);
  g_assert_cmpstr (re_export.out, ==, to_stdout.out);

  /* "-" reads standard input */
  run_assayctl_input (&from_stdin, to_stdout.out, "--database", second, "import", "-",
                      "--update", NULL);
  g_assert_cmpint (from_stdin.status, ==, 0);
  g_assert_cmpstr (from_stdin.out, ==, "Imported 5 interactions (5 updated), 0 recordings linked, "
                                       "0 agents and 0 teams created\n");
}

/* Every file in @dir whose name starts with @prefix (temporary files left behind). */
static guint
count_prefixed (const char *dir,
                const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

/* In the child: no file may grow past 64 KiB (writing further fails with EFBIG, as on a full
 * disk, and root is not exempt); SIGXFSZ ignored so that the write fails instead of killing. */
static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { 64 * 1024, 64 * 1024 };

  setrlimit (RLIMIT_FSIZE, &limit);
  signal (SIGXFSZ, SIG_IGN);
}

static void
run_export_limited (Run        *run,
                    const char *database,
                    const char *output)
{
  const char *argv[] = { g_getenv ("ASSAYCTL"), "--database", database, "export", "--output",
                         output, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

/* A failed export leaves no file at the target, or the old one: never a partial one. */
static void
test_export_failure (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "many.csv", NULL);
  g_autofree char *out_dir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *target = g_build_filename (out_dir, "calls.csv", NULL);
  g_autofree char *folder = g_build_filename (out_dir, "a-folder", NULL);
  g_autofree char *fifo = g_build_filename (out_dir, "a-pipe", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "no-such-folder", "calls.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) rows = g_string_new ("channel,queue,agent_code,started_at\n");
  g_auto(Run) import = { 0 };
  g_auto(Run) cut = { 0 };
  g_auto(Run) cut_again = { 0 };
  g_auto(Run) good = { 0 };
  g_auto(Run) into_folder = { 0 };
  g_auto(Run) into_pipe = { 0 };
  g_auto(Run) into_nowhere = { 0 };
  GStatBuf st;

  /* 3000 contacts: about 400 KB of CSV, well past the 64 KiB limit */
  for (int i = 0; i < 3000; i++)
    g_string_append_printf (rows, "phone,Billing,E%03d,2026-11-%02dT%02d:%02d:00Z\n", i % 40,
                            1 + i % 28, i / 60 % 24, i % 60);
  g_assert_true (g_file_set_contents (csv, rows->str, -1, NULL));
  run_assayctl (&import, "--database", f->database, "import", csv, NULL);
  g_assert_cmpint (import.status, ==, 0);
  g_assert_cmpint (g_mkdir (out_dir, 0755), ==, 0);

  /* the write fails part-way: no file at the target, no temporary file left */
  run_export_limited (&cut, f->database, target);
  g_assert_cmpint (cut.status, ==, 1);
  g_assert_cmpstr (cut.out, ==, "");
  g_assert_true (g_str_has_prefix (cut.err, "assayctl: "));
  g_assert_nonnull (strstr (cut.err, "nothing was written to"));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_prefixed (out_dir, ""), ==, 0);

  /* over an earlier export: that one is left whole */
  g_assert_true (g_file_set_contents (target, "id,channel\nearlier,phone\n", -1, NULL));
  run_export_limited (&cut_again, f->database, target);
  g_assert_cmpint (cut_again.status, ==, 1);
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "id,channel\nearlier,phone\n");
  g_clear_pointer (&contents, g_free);
  g_assert_cmpuint (count_prefixed (out_dir, "."), ==, 0);

  /* without the limit it goes through, replacing the earlier file, nothing left beside it */
  run_assayctl (&good, "--database", f->database, "export", "--output", target, NULL);
  g_assert_cmpint (good.status, ==, 0);
  g_assert_cmpstr (good.out, ==, "Exported 3,000 interactions\n");
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "id,channel,queue,agent_code,"));
  g_assert_cmpuint (count_prefixed (out_dir, ""), ==, 1);
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  /* a folder, a pipe or a missing folder as the target: refused before anything is written */
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  run_assayctl (&into_folder, "--database", f->database, "export", "--output", folder, NULL);
  g_assert_cmpint (into_folder.status, ==, 2);
  g_assert_nonnull (strstr (into_folder.err, "a-folder is a folder: give a file name inside it"));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_prefixed (folder, ""), ==, 0);

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  run_assayctl (&into_pipe, "--database", f->database, "export", "--output", fifo, NULL);
  g_assert_cmpint (into_pipe.status, ==, 2);
  g_assert_nonnull (strstr (into_pipe.err, "a-pipe is not a regular file"));
  g_assert_cmpint (g_stat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));

  run_assayctl (&into_nowhere, "--database", f->database, "export", "--output", nowhere, NULL);
  g_assert_cmpint (into_nowhere.status, ==, 2);
  g_assert_nonnull (strstr (into_nowhere.err, "no-such-folder does not exist"));
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));

  /* only the export, the folder and the pipe are there */
  g_assert_cmpuint (count_prefixed (out_dir, ""), ==, 3);
}

/* Recording locations that try to leave the recordings folder: status 2, every row named,
 * nothing imported. */
static void
test_recordings_confined (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "calls.csv", NULL);
  g_autofree char *media = g_build_filename (f->dir, "media", NULL);
  g_autofree char *outside = g_build_filename (f->dir, "x.wav", NULL);
  g_autofree char *link = g_build_filename (media, "link.wav", NULL);
  g_autofree char *rows = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) export = { 0 };

  g_assert_cmpint (g_mkdir (media, 0700), ==, 0);
  write_wav (outside);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  rows = g_strdup_printf ("channel,queue,agent_code,started_at,recording\n"
                          "phone,Billing,E001,2026-11-14T10:40:00Z,../x.wav\n"
                          "phone,Billing,E001,2026-11-14T10:41:00Z,/etc/passwd\n"
                          "phone,Billing,E001,2026-11-14T10:42:00Z,link.wav\n"
                          "phone,Billing,E001,2026-11-14T10:43:00Z,file://%s\n"
                          "phone,Billing,E001,2026-11-14T10:44:00Z,http://example.com/x.wav\n"
                          "phone,Billing,E001,2026-11-14T10:45:00Z,%s\n", outside, outside);
  g_assert_true (g_file_set_contents (csv, rows, -1, NULL));

  run_assayctl (&run, "--database", f->database, "import", csv, "--recordings", media, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "calls.csv:2: column 'recording': '../x.wav' leads out of "
                                     "its folder with '..'"));
  g_assert_nonnull (strstr (run.err, "calls.csv:3: column 'recording': /etc/passwd is not in the "
                                     "recordings folder"));
  g_assert_nonnull (strstr (run.err, "calls.csv:4: column 'recording': link.wav is a link that "
                                     "leads out of the recordings folder"));
  g_assert_nonnull (strstr (run.err, "calls.csv:5: column 'recording': 'file://"));
  g_assert_nonnull (strstr (run.err, "calls.csv:6: column 'recording': 'http://example.com/x.wav' "
                                     "is a URL"));
  g_assert_nonnull (strstr (run.err, "calls.csv:7: column 'recording': "));
  g_assert_nonnull (strstr (run.err, "calls.csv: 6 bad rows; nothing was imported."));

  run_assayctl (&export, "--database", f->database, "export", NULL);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_cmpstr (export.err, ==, "Exported 0 interactions\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  umask (022);   /* the modes the tests expect for new files */
#define ADD(path, func) \
  g_test_add ("/assayctl/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("import/good", test_import_good);
  ADD ("import/bad", test_import_bad);
  ADD ("import/recordings", test_recordings);
  ADD ("import/recordings-confined", test_recordings_confined);
  ADD ("export", test_export);
  ADD ("export-failure", test_export_failure);
#undef ADD
  return g_test_run ();
}
