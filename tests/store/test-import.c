/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "assay-store-private.h"
#include "assay-store-import.h"

typedef struct {
  char       *dir;
  char       *path;
  AssayStore *store;
  sqlite3    *db;     /* a second connection, for checking */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("assay-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = assay_store_new (f->path);
  g_assert_true (assay_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  f->db = _assay_store_connect (f->path, &error);
  g_assert_no_error (error);
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
  sqlite3_close_v2 (f->db);
  assay_store_close (f->store);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
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

/* Every row of @sql as text, NULL shown as "∅", one line per row. */
static char *
query_dump (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i ? "|" : "", text ? text : "∅");
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autofree char *dump = query_dump (db, sql);

  return g_strndup (dump, strcspn (dump, "\n"));
}

static gboolean
import_file (AssayStore          *store,
             const char          *path,
             const char          *recordings_dir,
             AssayImportFlags     flags,
             AssayImportSummary  *summary,
             GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = g_file_read (file, NULL, error);
  g_autofree char *name = g_path_get_basename (path);

  if (input == NULL)
    return FALSE;
  return assay_store_import_csv_sync (store, G_INPUT_STREAM (input), name, recordings_dir, flags,
                                      summary, NULL, error);
}

static gboolean
import_text (AssayStore          *store,
             const char          *text,
             const char          *recordings_dir,
             AssayImportFlags     flags,
             AssayImportSummary  *summary,
             GError             **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (g_strdup (text), -1,
                                                                         g_free);

  return assay_store_import_csv_sync (store, input, "calls.csv", recordings_dir, flags, summary,
                                      NULL, error);
}

static char *
export_text (AssayStore *store,
             gint64      from_ms,
             gint64      to_ms,
             guint64    *n_rows)
{
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_export_csv_sync (store, output, from_ms, to_ms, n_rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (output, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (output, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (output));
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "csv", name, NULL);
}

/* Writes a silent 16-bit PCM WAV; a LIST chunk before "data" makes the reader walk chunks. */
static void
write_wav (const char *path,
           guint       channels,
           guint       rate,
           guint       seconds,
           gboolean    with_list)
{
  guint32 data_size = channels * rate * 2 * seconds;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree guint8 *silence = g_malloc0 (data_size);
  g_autoptr(GError) error = NULL;
  guint32 riff_size = 4 + 8 + 16 + 8 + data_size + (with_list ? 8 + 10 : 0);
  guint32 u32;
  guint16 u16;

#define PUT32(v) (u32 = GUINT32_TO_LE (v), g_byte_array_append (bytes, (guint8 *) &u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), g_byte_array_append (bytes, (guint8 *) &u16, 2))
#define PUTS(s)  g_byte_array_append (bytes, (const guint8 *) s, 4)
  PUTS ("RIFF"); PUT32 (riff_size); PUTS ("WAVE");
  PUTS ("fmt "); PUT32 (16); PUT16 (1); PUT16 (channels); PUT32 (rate);
  PUT32 (rate * channels * 2); PUT16 (channels * 2); PUT16 (16);
  if (with_list)
    {
      PUTS ("LIST"); PUT32 (10);
      g_byte_array_append (bytes, (const guint8 *) "INFOabcdef", 10);
    }
  PUTS ("data"); PUT32 (data_size);
  g_byte_array_append (bytes, silence, data_size);
#undef PUT32
#undef PUT16
#undef PUTS
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error));
  g_assert_no_error (error);
}

static gpointer
cache_size_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return GINT_TO_POINTER ((int) query_int (db, "PRAGMA cache_size"));
}

static void
test_good (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = fixture_path ("good.csv");
  g_autoptr(GError) error = NULL;
  AssayImportSummary summary = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *sales = NULL;
  g_autofree char *e001 = NULL;
  g_autofree char *ticket = NULL;

  int cache_size = GPOINTER_TO_INT (_assay_store_run_sync (f->store, cache_size_func, NULL, NULL));

  g_assert_true (import_file (f->store, path, NULL, ASSAY_IMPORT_NONE, &summary, &error));
  g_assert_no_error (error);
  /* the import's bigger page cache is given back */
  g_assert_cmpint (GPOINTER_TO_INT (_assay_store_run_sync (f->store, cache_size_func, NULL, NULL)),
                   ==, cache_size);
  g_assert_cmpuint (summary.n_interactions, ==, 5);
  g_assert_cmpuint (summary.n_updated, ==, 0);
  g_assert_cmpuint (summary.n_recordings, ==, 0);
  g_assert_cmpuint (summary.n_agents_created, ==, 4);
  g_assert_cmpuint (summary.n_teams_created, ==, 2);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction"), ==, 5);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM agent"), ==, 4);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM team"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM queue"), ==, 3);

  first = query_text (f->db,
    "SELECT i.channel, i.queue, a.employee_code, a.name, t.name, i.customer_ref, i.started_at,"
    " i.wait_s, i.talk_s, i.hold_s, i.wrap_s, i.handle_s, i.csat, i.nps, i.fcr,"
    " i.answered_in_sl, i.abandoned, i.priority"
    " FROM interaction i JOIN agent a ON a.id = i.agent_id LEFT JOIN team t ON t.id = i.team_id"
    " WHERE i.id = '3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21'");
  g_assert_cmpstr (first, ==, "phone|Billing|E001|Wang Fang|North|C-1001|1794652920000|12|300|20|"
                              "40|360|4|9|1|1|0|∅");
  /* quoted comma and doubled quotes; +01:00 is stored as UTC */
  sales = query_text (f->db, "SELECT a.name, i.started_at, i.fcr, i.abandoned, i.priority,"
                             " i.first_response_s FROM interaction i JOIN agent a"
                             " ON a.id = i.agent_id WHERE i.queue = 'Sales, EU'");
  g_assert_cmpstr (sales, ==, "Li \"Lee\" Na|1794650400000|1|0|normal|15");
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction"
                                     " WHERE customer_ref = 'multi-line\nreference'"), ==, 1);
  /* the agent keeps the team of the first row naming them; a row without a team gets it too */
  e001 = query_text (f->db, "SELECT t.name FROM agent a JOIN team t ON t.id = a.team_id"
                            " WHERE a.employee_code = 'E001'");
  g_assert_cmpstr (e001, ==, "North");
  ticket = query_text (f->db, "SELECT t.name, i.started_at, i.talk_s, i.csat, i.fcr, i.wait_s"
                              " FROM interaction i JOIN team t ON t.id = i.team_id"
                              " WHERE i.channel = 'ticket'");
  g_assert_cmpstr (ticket, ==, "North|1794731400500|0|2|0|∅");
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction i JOIN agent a"
                                     " ON a.id = i.agent_id WHERE a.employee_code = 'E004'"
                                     " AND i.team_id IS NULL AND a.team_id IS NULL"), ==, 1);
  /* imported rows are local: not marked for sync */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction WHERE dirty = 1"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM outbox"), ==, 0);
}

static void
test_bom_crlf_any_order (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = fixture_path ("excel.csv");
  g_autoptr(GError) error = NULL;
  AssayImportSummary summary = { 0 };
  g_autofree char *rows = NULL;

  g_assert_true (import_file (f->store, path, NULL, ASSAY_IMPORT_NONE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_interactions, ==, 2);
  g_assert_cmpuint (summary.n_teams_created, ==, 0);
  rows = query_dump (f->db, "SELECT i.channel, i.queue, a.name, i.csat, i.talk_s FROM interaction i"
                            " JOIN agent a ON a.id = i.agent_id ORDER BY started_at");
  g_assert_cmpstr (rows, ==, "phone|Billing|E001|5|0\nchat|Sales|E002|∅|0\n");
}

static void
assert_nothing_imported (Fixture *f)
{
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM agent"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM team"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM queue"), ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM recording"), ==, 0);
}

static void
assert_lines (const char        *message,
              const char *const *expected)
{
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);

  g_test_message ("%s", message);
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_assert_nonnull (lines[i]);
      if (!g_str_has_prefix (lines[i], expected[i]))
        g_error ("line %u of the report is\n  %s\nexpected it to start with\n  %s", i,
                 lines[i], expected[i]);
    }
  g_assert_cmpuint (g_strv_length (lines), ==, g_strv_length ((char **) expected));
}

static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = fixture_path ("bad.csv");
  g_autoptr(GError) error = NULL;
  const char *expected[] = {
    "bad.csv:3: column 'csat': must be 1–5 or empty, got '7'",
    "bad.csv:4: column 'channel': must be phone, chat, email or ticket, got 'fax'",
    /* the record starts on line 5 but its time is on line 7, after two quoted line breaks */
    "bad.csv:7: column 'started_at': must be an ISO-8601 time with Z or an offset",
    "bad.csv:8: column 'nps': must be 0–10 or empty, got '11'",
    "bad.csv:8: column 'fcr': must be 1, 0, yes, no, true, false or empty, got 'maybe'",
    "bad.csv:8: column 'priority': must be low, normal, high, urgent or empty, got 'asap'",
    "bad.csv:9: column 'agent_code': a value is required",
    "bad.csv:10: the row has 9 fields but the header has 10",
    "bad.csv:11: 'x' after the closing quote of field 2",
    "bad.csv: 7 bad rows; nothing was imported. Correct the file and import it again.",
    NULL
  };

  g_assert_false (import_file (f->store, path, NULL, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  assert_lines (error->message, expected);
  assert_nothing_imported (f);
}

static void
test_bad_header (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = fixture_path ("unknown-columns.csv");
  g_autoptr(GError) error = NULL;
  AssayImportSummary summary = { 0 };

  g_assert_false (import_file (f->store, path, NULL, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message,
                                   "unknown-columns.csv:1: unknown columns 'colour', 'mood'"));
  g_assert_nonnull (strstr (error->message, "nothing was imported"));
  assert_nothing_imported (f);
  g_clear_error (&error);

  g_assert_false (import_text (f->store, "", NULL, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "calls.csv: the file is empty"));
  g_clear_error (&error);

  {
    g_autoptr(GInputStream) utf16 = g_memory_input_stream_new_from_data ("\xFF\xFEi\0d\0", 6, NULL);

    g_assert_false (assay_store_import_csv_sync (f->store, utf16, "unicode.txt", NULL,
                                                 ASSAY_IMPORT_NONE, NULL, NULL, &error));
    g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "unicode.txt:1: the file is UTF-16 (\"Unicode text\"); "
                                         "save it as CSV in UTF-8\n"
                                         "unicode.txt: nothing was imported. Correct the file and "
                                         "import it again.");
    g_clear_error (&error);
  }

  /* a header and nothing else is a good, empty import */
  g_assert_true (import_text (f->store, "channel,queue,agent_code,started_at\r\n", NULL,
                              ASSAY_IMPORT_NONE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_interactions, ==, 0);
}

static void
test_bad_encoding (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *expected[] = {
    "calls.csv:3: column 'agent_name': not valid UTF-8; save the file as UTF-8",
    "calls.csv: 1 bad row; nothing was imported.",
    NULL
  };

  g_assert_false (import_text (f->store,
                               "channel,queue,agent_code,agent_name,started_at\n"
                               "phone,Billing,E001,Wang,2026-11-14T10:42:00Z\n"
                               "phone,Billing,E002,M\xfcller,2026-11-14T10:43:00Z\n",
                               NULL, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  assert_lines (error->message, expected);
  assert_nothing_imported (f);
}

static void
test_many_bad_rows (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("channel,queue,agent_code,started_at,csat\n");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  for (int i = 0; i < 120; i++)
    g_string_append_printf (csv, "phone,Billing,E001,2026-11-14T10:42:00Z,%d\n", i % 2 ? 9 : 3);
  g_assert_false (import_text (f->store, csv->str, NULL, ASSAY_IMPORT_NONE, NULL, &error));
  lines = g_strsplit (error->message, "\n", -1);
  /* 50 reported, then a count of the rest and the verdict */
  g_assert_cmpuint (g_strv_length (lines), ==, ASSAY_IMPORT_MAX_REPORTED + 2);
  g_assert_true (g_str_has_prefix (lines[0], "calls.csv:3: column 'csat'"));
  g_assert_true (g_str_has_prefix (lines[49], "calls.csv:101: column 'csat'"));
  g_assert_cmpstr (lines[50], ==, "… and 10 more problems");
  g_assert_true (g_str_has_prefix (lines[51], "calls.csv: 60 bad rows; nothing was imported"));
  assert_nothing_imported (f);
}

static void
test_ids (Fixture       *f,
          gconstpointer  data)
{
  const char *header = "id,channel,queue,agent_code,started_at,csat\n";
  const char *id = "3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21";
  g_autofree char *first = g_strdup_printf ("%s%s,phone,Billing,E001,2026-11-14T10:42:00Z,3\n",
                                            header, id);
  g_autofree char *again = g_strdup_printf ("%s,chat,Sales,E002,2026-11-14T10:50:00Z,\n"
                                            "%s,phone,Billing,E001,2026-11-14T10:42:00Z,5\n",
                                            header, id);
  g_autofree char *twice_new = g_strdup_printf ("%s"
                                                "aaaaaaaa-6d0a-4b7e-9c55-2a1f0e9d4b21,phone,B,E1,"
                                                "2026-11-14T10:42:00Z,\n"
                                                "AAAAAAAA-6d0a-4b7e-9c55-2a1f0e9d4b21,phone,B,E1,"
                                                "2026-11-14T10:43:00Z,\n", header);
  g_autofree char *twice_update = g_strdup_printf ("%s%s,phone,Billing,E001,"
                                                   "2026-11-14T10:42:00Z,1\n"
                                                   "%s,phone,Billing,E001,"
                                                   "2026-11-14T10:42:00Z,2\n", header, id, id);
  g_autoptr(GError) error = NULL;
  AssayImportSummary summary = { 0 };
  const char *expected_exists[] = {
    "calls.csv:3: column 'id': interaction '3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21' already "
    "exists; import with --update to replace it",
    "calls.csv: 1 bad row; nothing was imported.",
    NULL
  };
  const char *expected_twice[] = {
    "calls.csv:3: column 'id': 'aaaaaaaa-6d0a-4b7e-9c55-2a1f0e9d4b21' appears more than once",
    "calls.csv: 1 bad row",
    NULL
  };
  const char *expected_twice_update[] = {
    "calls.csv:3: column 'id': '3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21' appears more than once",
    "calls.csv: 1 bad row",
    NULL
  };

  g_assert_true (import_text (f->store, first, NULL, ASSAY_IMPORT_NONE, &summary, &error));
  g_assert_no_error (error);

  /* the same id again: refused, and the other (good) row is not imported either */
  g_assert_false (import_text (f->store, again, NULL, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  assert_lines (error->message, expected_exists);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM agent"), ==, 1);

  /* with --update it replaces the facts */
  g_assert_true (import_text (f->store, again, NULL, ASSAY_IMPORT_UPDATE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_interactions, ==, 2);
  g_assert_cmpuint (summary.n_updated, ==, 1);
  g_assert_cmpuint (summary.n_agents_created, ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT csat FROM interaction WHERE id = "
                                     "'3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21'"), ==, 5);

  /* ids repeated within one file (case does not matter) */
  g_assert_false (import_text (f->store, twice_new, NULL, ASSAY_IMPORT_UPDATE, NULL, &error));
  assert_lines (error->message, expected_twice);
  g_clear_error (&error);
  g_assert_false (import_text (f->store, twice_update, NULL, ASSAY_IMPORT_UPDATE, NULL, &error));
  assert_lines (error->message, expected_twice_update);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT csat FROM interaction WHERE id = "
                                     "'3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21'"), ==, 5);
}

static void
test_recordings (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *recordings = g_build_filename (f->dir, "recordings", NULL);
  g_autofree char *stereo = g_build_filename (recordings, "stereo.wav", NULL);
  g_autofree char *sub = g_build_filename (recordings, "sub", NULL);
  g_autofree char *mono = g_build_filename (sub, "mono.WAV", NULL);
  g_autofree char *mp3 = g_build_filename (recordings, "call.mp3", NULL);
  g_autofree char *rows = NULL;
  g_autofree char *expected_rows = NULL;
  g_autoptr(GError) error = NULL;
  AssayImportSummary summary = { 0 };
  const char *header = "channel,queue,agent_code,started_at,recording,recording_agent_channel\n";
  g_autofree char *good = g_strdup_printf (
    "%s"
    "phone,Billing,E001,2026-11-14T10:42:00Z,stereo.wav,1\n"
    "phone,Billing,E001,2026-11-14T10:43:00Z,sub/mono.WAV,\n"
    "phone,Billing,E001,2026-11-14T10:44:00Z,%s,0\n"
    "phone,Billing,E001,2026-11-14T10:45:00Z,./stereo.wav,\n"
    "phone,Billing,E001,2026-11-14T10:46:00Z,,\n", header, mp3);
  g_autofree char *bad = g_strdup_printf (
    "%s"
    "phone,Billing,E001,2026-11-14T10:42:00Z,stereo.wav,1\n"
    "phone,Billing,E001,2026-11-14T10:43:00Z,missing.wav,\n"
    "phone,Billing,E001,2026-11-14T10:44:00Z,sub/mono.WAV,1\n"
    "phone,Billing,E001,2026-11-14T10:45:00Z,notes.txt,\n"
    "phone,Billing,E001,2026-11-14T10:46:00Z,sub,\n", header);
  const char *expected_bad[] = {
    "calls.csv:3: column 'recording': there is no file ",
    "calls.csv:4: column 'recording_agent_channel': sub/mono.WAV has 1 channel, so the agent "
    "cannot be on channel 1",
    "calls.csv:5: column 'recording': 'notes.txt' is not an audio file name",
    "calls.csv:6: column 'recording': 'sub' is not an audio file name",
    "calls.csv: 4 bad rows; nothing was imported.",
    NULL
  };

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  write_wav (stereo, 2, 8000, 3, TRUE);
  write_wav (mono, 1, 16000, 2, FALSE);
  g_assert_true (g_file_set_contents (mp3, "ID3 not really", -1, NULL));

  /* a missing file, a channel the file does not have, not audio: all refused, nothing linked */
  g_assert_false (import_text (f->store, bad, recordings, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  assert_lines (error->message, expected_bad);
  g_assert_nonnull (strstr (error->message, "missing.wav; give the folder of the recordings"));
  g_clear_error (&error);
  assert_nothing_imported (f);

  g_assert_true (import_text (f->store, good, recordings, ASSAY_IMPORT_NONE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_interactions, ==, 5);
  g_assert_cmpuint (summary.n_recordings, ==, 4);

  rows = query_dump (f->db, "SELECT r.location, r.format, r.channels, r.agent_channel,"
                            " r.duration_s, r.sha256 FROM recording r JOIN interaction i"
                            " ON i.id = r.interaction_id ORDER BY i.started_at");
  expected_rows = g_strdup_printf ("%s|wav|2|1|3.0|∅\n"
                                   "%s|wav|1|∅|2.0|∅\n"
                                   "%s|mp3|∅|0|∅|∅\n"
                                   "%s|wav|2|∅|3.0|∅\n",
                                   stereo, mono, mp3, stereo);
  g_assert_cmpstr (rows, ==, expected_rows);

  /* updating with the same recording does not link it twice */
  {
    g_autofree char *id = query_text (f->db, "SELECT interaction_id FROM recording"
                                             " WHERE format = 'wav' AND channels = 2");
    g_autofree char *update = g_strdup_printf ("id,%s%s,phone,Billing,E001,"
                                               "2026-11-14T10:42:00Z,stereo.wav,0\n",
                                               header, id);

    g_assert_true (import_text (f->store, update, recordings, ASSAY_IMPORT_UPDATE, &summary,
                                &error));
    g_assert_no_error (error);
    g_assert_cmpuint (summary.n_recordings, ==, 0);
    g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM recording"), ==, 4);
    g_assert_cmpint (query_int (f->db, "SELECT agent_channel FROM recording"
                                       " WHERE channels = 2"), ==, 0);
  }
}

/* The rows as the database holds them, without the ids each database makes up for itself. */
static char *
dump_rows (sqlite3 *db)
{
  return query_dump (db,
    "SELECT i.id, i.channel, i.queue, a.employee_code, a.name, t.name, i.customer_ref,"
    " i.started_at, i.wait_s, i.talk_s, i.hold_s, i.wrap_s, i.handle_s, i.csat, i.nps, i.fcr,"
    " i.answered_in_sl, i.abandoned, i.priority, i.first_response_s, i.first_response_target_s,"
    " i.resolution_s, i.resolution_target_s, r.location, r.format, r.channels, r.agent_channel,"
    " r.duration_s"
    " FROM interaction i JOIN agent a ON a.id = i.agent_id LEFT JOIN team t ON t.id = i.team_id"
    " LEFT JOIN recording r ON r.interaction_id = i.id ORDER BY i.id");
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = fixture_path ("good.csv");
  g_autofree char *wav = g_build_filename (f->dir, "leg.wav", NULL);
  g_autofree char *with_recording = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *exported_again = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *rows_again = NULL;
  g_autofree char *path2 = g_build_filename (f->dir, "second.db", NULL);
  g_autoptr(AssayStore) store2 = assay_store_new (path2);
  g_autoptr(GError) error = NULL;
  AssayImportSummary summary = { 0 };
  guint64 n_rows = 0;
  sqlite3 *db2;

  write_wav (wav, 2, 8000, 1, FALSE);
  with_recording = g_strdup_printf ("channel,queue,agent_code,customer_ref,started_at,recording,"
                                    "recording_agent_channel\n"
                                    "phone,Billing,E009, padded ,2026-11-16T10:00:00Z,leg.wav,1\n");
  g_assert_true (import_file (f->store, path, NULL, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_true (import_text (f->store, with_recording, f->dir, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_no_error (error);

  exported = export_text (f->store, G_MININT64, G_MAXINT64, &n_rows);
  g_assert_cmpuint (n_rows, ==, 6);
  g_test_message ("%s", exported);
  g_assert_true (g_str_has_prefix (exported, "id,channel,queue,agent_code,agent_name,team,"
                                             "customer_ref,started_at,wait_s,talk_s,hold_s,wrap_s,"
                                             "csat,nps,fcr,answered_in_sl,abandoned,priority,"
                                             "first_response_s,first_response_target_s,"
                                             "resolution_s,resolution_target_s,recording,"
                                             "recording_agent_channel\r\n"));

  g_assert_true (assay_store_open_sync (store2, &error));
  /* the export names recordings by absolute path: accepted inside the recordings folder given */
  g_assert_true (import_text (store2, exported, f->dir, ASSAY_IMPORT_NONE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_interactions, ==, 6);
  g_assert_cmpuint (summary.n_recordings, ==, 1);
  g_assert_cmpuint (summary.n_agents_created, ==, 5);
  g_assert_cmpuint (summary.n_teams_created, ==, 2);

  exported_again = export_text (store2, G_MININT64, G_MAXINT64, NULL);
  g_assert_cmpstr (exported, ==, exported_again);

  db2 = _assay_store_connect (path2, &error);
  g_assert_no_error (error);
  rows = dump_rows (f->db);
  rows_again = dump_rows (db2);
  g_assert_cmpstr (rows, ==, rows_again);
  g_assert_nonnull (strstr (rows, "|padded|"));
  g_assert_cmpint (query_int (db2, "SELECT count(*) FROM interaction"), ==, 6);
  sqlite3_close_v2 (db2);
  assay_store_close (store2);
  g_unlink (path2);
}

static void
test_export_order_and_range (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = fixture_path ("good.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *all = NULL;
  g_autofree char *day = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 n_rows = 0;
  gint64 from = G_GINT64_CONSTANT (1794614400000);   /* 2026-11-14T00:00:00Z */
  gint64 to = from + 24 * 3600 * 1000;

  g_assert_true (import_file (f->store, path, NULL, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_no_error (error);

  all = export_text (f->store, G_MININT64, G_MAXINT64, &n_rows);
  lines = g_strsplit (all, "\r\n", -1);
  g_assert_cmpuint (n_rows, ==, 5);
  /* oldest first: the email (13th), the 14th's chat (10:00Z) and phone (10:42Z), the 15th's */
  g_assert_nonnull (strstr (lines[1], ",email,Support,E003,Chen Jie,North,\"multi-line\n"
                                      "reference\",2026-11-13T09:00:00Z,"));
  g_assert_cmpstr (lines[3], ==, "3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21,phone,"
                                 "Billing,E001,Wang Fang,North,C-1001,"
                                 "2026-11-14T10:42:00Z,12,300,20,40,4,9,1,1,0,,,,,,,");
  g_assert_nonnull (strstr (lines[2], ",chat,\"Sales, EU\",E002,\"Li \"\"Lee\"\" Na\",South,"
                                      "C-1002,2026-11-14T10:00:00Z,,420,0,30,5,10,1,,0,normal,"
                                      "15,30,,,,"));
  g_assert_nonnull (strstr (lines[4], ",ticket,Support,E001,Wang Fang,North,,"
                                      "2026-11-15T08:30:00.500Z,,0,0,0,2,3,0,,0,urgent,600,900,"
                                      ",,,"));
  g_assert_cmpstr (lines[6], ==, "");

  day = export_text (f->store, from, to, &n_rows);
  g_assert_cmpuint (n_rows, ==, 2);
  g_assert_null (strstr (day, "2026-11-13"));
  g_assert_null (strstr (day, "2026-11-15"));
}

/* An output stream that only counts, to see that export hands over its rows in pieces. */
#define TEST_TYPE_COUNTING_STREAM (test_counting_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingStream, test_counting_stream, TEST, COUNTING_STREAM,
                      GOutputStream)

struct _TestCountingStream
{
  GOutputStream parent_instance;
  guint         n_writes;
  gsize         max_write;
  gsize         total;
  guint         n_lines;
};

G_DEFINE_FINAL_TYPE (TestCountingStream, test_counting_stream, G_TYPE_OUTPUT_STREAM)

static gssize
test_counting_stream_write (GOutputStream  *stream,
                            const void     *buffer,
                            gsize           count,
                            GCancellable   *cancellable,
                            GError        **error)
{
  TestCountingStream *self = TEST_COUNTING_STREAM (stream);

  self->n_writes++;
  self->max_write = MAX (self->max_write, count);
  self->total += count;
  for (gsize i = 0; i < count; i++)
    if (((const char *) buffer)[i] == '\n')
      self->n_lines++;
  return (gssize) count;
}

static void
test_counting_stream_class_init (TestCountingStreamClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = test_counting_stream_write;
}

static void
test_counting_stream_init (TestCountingStream *self)
{
}

static void
test_export_streams (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("channel,queue,agent_code,agent_name,customer_ref,"
                                         "started_at,talk_s,csat\n");
  g_autoptr(TestCountingStream) out = g_object_new (TEST_TYPE_COUNTING_STREAM, NULL);
  g_autoptr(GError) error = NULL;
  AssayImportSummary summary = { 0 };
  guint64 n_rows = 0;
  const guint n = 20000;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *time = g_strdup_printf ("2026-11-%02uT%02u:%02u:%02uZ", 1 + i / 3600 % 28,
                                               i / 60 % 24, i % 60, i % 37);

      g_string_append_printf (csv, "%s,Queue %u,E%03u,Agent %u,CUST-%06u,%s,%u,%u\n",
                              i % 3 ? "phone" : "chat", i % 7, i % 50, i % 50, i, time,
                              i % 900, 1 + i % 5);
    }
  g_assert_true (import_text (f->store, csv->str, NULL, ASSAY_IMPORT_NONE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_interactions, ==, n);
  g_assert_cmpuint (summary.n_agents_created, ==, 50);

  g_assert_true (assay_store_export_csv_sync (f->store, G_OUTPUT_STREAM (out), G_MININT64,
                                              G_MAXINT64, &n_rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, n);
  g_assert_cmpuint (out->n_lines, ==, n + 1);
  /* more than a megabyte, handed over in pieces of about 64 KiB: nothing is held whole */
  g_assert_cmpuint (out->total, >, 1024 * 1024);
  g_assert_cmpuint (out->n_writes, >, 10);
  g_assert_cmpuint (out->max_write, <, 80 * 1024);
}

static void
import_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  AssayImportSummary summary = { 0 };

  if (assay_store_import_csv_finish (ASSAY_STORE (source), result, &summary, error))
    g_assert_cmpuint (summary.n_interactions, ==, 5);
  else
    g_assert_nonnull (*error);
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  guint64 *n_rows = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_export_csv_finish (ASSAY_STORE (source), result, n_rows, &error));
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = fixture_path ("good.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = g_file_read (file, NULL, NULL);
  g_autoptr(GFileInputStream) input2 = g_file_read (file, NULL, NULL);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;
  guint64 n_rows = G_MAXUINT64;

  assay_store_import_csv_async (f->store, G_INPUT_STREAM (input), "good.csv", NULL,
                                ASSAY_IMPORT_NONE, NULL, import_cb, &error);
  assay_store_export_csv_async (f->store, output, G_MININT64, G_MAXINT64, NULL, export_cb,
                                &n_rows);
  while (n_rows == G_MAXUINT64)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 5);

  /* a cancelled import changes nothing */
  g_cancellable_cancel (cancellable);
  assay_store_import_csv_async (f->store, G_INPUT_STREAM (input2), "good.csv", NULL,
                                ASSAY_IMPORT_UPDATE, cancellable, import_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM interaction"), ==, 5);
}

/* Recording locations are confined to the recordings folder: no '..', no other absolute path, no
 * link that leads out of it, no URL (issue 6). Each is a row error; nothing is imported. */
static void
test_recordings_confined (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *recordings = g_build_filename (f->dir, "recordings", NULL);
  g_autofree char *outside_dir = g_build_filename (f->dir, "elsewhere", NULL);
  g_autofree char *inside_wav = g_build_filename (recordings, "in.wav", NULL);
  g_autofree char *outside_wav = g_build_filename (outside_dir, "out.wav", NULL);
  g_autofree char *link_out = g_build_filename (recordings, "link-out.wav", NULL);
  g_autofree char *link_dir = g_build_filename (recordings, "linked", NULL);
  g_autofree char *link_in = g_build_filename (recordings, "link-in.wav", NULL);
  g_autofree char *alias = g_build_filename (f->dir, "alias", NULL);
  const char *header = "channel,queue,agent_code,started_at,recording\n";
  g_autofree char *bad = g_strdup_printf (
    "%s"
    "phone,Billing,E001,2026-11-14T10:40:00Z,in.wav\n"
    "phone,Billing,E001,2026-11-14T10:41:00Z,../elsewhere/out.wav\n"
    "phone,Billing,E001,2026-11-14T10:42:00Z,/etc/passwd\n"
    "phone,Billing,E001,2026-11-14T10:43:00Z,%s\n"
    "phone,Billing,E001,2026-11-14T10:44:00Z,link-out.wav\n"
    "phone,Billing,E001,2026-11-14T10:45:00Z,linked/out.wav\n"
    "phone,Billing,E001,2026-11-14T10:46:00Z,file:///etc/out.wav\n"
    "phone,Billing,E001,2026-11-14T10:47:00Z,http://media.example.com/c/42.wav\n"
    "phone,Billing,E001,2026-11-14T10:48:00Z,sub/../in.wav\n"
    "phone,Billing,E001,2026-11-14T10:49:00Z,..\\out.wav\n",
    header, outside_wav);
  g_autofree char *good = g_strdup_printf (
    "%s"
    "phone,Billing,E001,2026-11-14T10:40:00Z,in.wav\n"
    "phone,Billing,E001,2026-11-14T10:41:00Z,link-in.wav\n"
    "phone,Billing,E001,2026-11-14T10:42:00Z,%s\n", header, inside_wav);
  g_autofree char *links_line = NULL;
  g_autoptr(GError) error = NULL;
  AssayImportSummary summary = { 0 };
  const char *expected[] = {
    "calls.csv:3: column 'recording': '../elsewhere/out.wav' leads out of its folder with '..'",
    "calls.csv:4: column 'recording': /etc/passwd is not in the recordings folder ",
    "calls.csv:5: column 'recording': ",
    "calls.csv:6: column 'recording': link-out.wav is a link that leads out of the recordings "
    "folder (to ",
    "calls.csv:7: column 'recording': linked/out.wav is a link that leads out of the recordings "
    "folder (to ",
    "calls.csv:8: column 'recording': 'file:///etc/out.wav' is a URL: a recording must be a file "
    "in the recordings folder; download it there and give its file name",
    "calls.csv:9: column 'recording': 'http://media.example.com/c/42.wav' is a URL",
    "calls.csv:10: column 'recording': 'sub/../in.wav' leads out of its folder with '..'",
    "calls.csv:11: column 'recording': '..\\out.wav' holds a control character or a backslash",
    "calls.csv: 9 bad rows; nothing was imported.",
    NULL
  };

  g_assert_cmpint (g_mkdir_with_parents (recordings, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (outside_dir, 0700), ==, 0);
  write_wav (inside_wav, 1, 8000, 1, FALSE);
  write_wav (outside_wav, 1, 8000, 1, FALSE);
  g_assert_cmpint (symlink (outside_wav, link_out), ==, 0);
  g_assert_cmpint (symlink (outside_dir, link_dir), ==, 0);
  g_assert_cmpint (symlink ("in.wav", link_in), ==, 0);

  g_assert_false (import_text (f->store, bad, recordings, ASSAY_IMPORT_NONE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  assert_lines (error->message, expected);
  /* the '..' row is refused by its name, whatever it points at */
  g_assert_nonnull (strstr (error->message, "'../elsewhere/out.wav' leads out of its folder"));
  links_line = g_strdup_printf ("calls.csv:5: column 'recording': %s is not in the recordings "
                                "folder %s; copy it there or give its folder with --recordings",
                                outside_wav, recordings);
  g_assert_nonnull (strstr (error->message, links_line));
  g_clear_error (&error);
  assert_nothing_imported (f);

  /* a link that stays inside, and an absolute path inside, are fine; so is a recordings folder
   * reached through a link */
  g_assert_cmpint (symlink (recordings, alias), ==, 0);
  g_assert_true (import_text (f->store, good, alias, ASSAY_IMPORT_NONE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_recordings, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("good", test_good);
  ADD ("bom-crlf-any-order", test_bom_crlf_any_order);
  ADD ("bad-rows", test_bad_rows);
  ADD ("bad-header", test_bad_header);
  ADD ("bad-encoding", test_bad_encoding);
  ADD ("many-bad-rows", test_many_bad_rows);
  ADD ("ids", test_ids);
  ADD ("recordings", test_recordings);
  ADD ("recordings-confined", test_recordings_confined);
  ADD ("round-trip", test_round_trip);
  ADD ("export-order-and-range", test_export_order_and_range);
  ADD ("export-streams", test_export_streams);
  ADD ("async", test_async);
#undef ADD
  return g_test_run ();
}
