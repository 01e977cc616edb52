/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "assay-store-forms.h"
#include "assay-store-private.h"
#include "assay-store-queue.h"
#include "assay-store-seed.h"
#include "core/assay-scoring.h"
#include "protocol/assay-form-json.h"
#include "protocol/assay-sampling-json.h"

/* 2025-11-14 15:30 UTC */
#define END_MS G_GINT64_CONSTANT (1763134200000)

static char *
temp_dir (void)
{
  char *dir = g_dir_make_tmp ("assay-seed-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return dir;
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

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gint64
foreign_key_problems (sqlite3 *db)
{
  return query_int (db, "SELECT count(*) FROM pragma_foreign_key_check");
}

static sqlite3 *
connect (const char *path)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = _assay_store_connect (path, &error);

  g_assert_no_error (error);
  return db;
}

static gboolean
seed (const char        *path,
      guint              n,
      const char        *recordings,
      const char        *forms,
      gboolean           force,
      AssaySeedSummary  *summary,
      GError           **error)
{
  g_autoptr(AssayStore) store = assay_store_new (path);
  AssaySeedOptions options;
  gboolean ok;

  g_assert_true (assay_store_open_sync (store, NULL));
  assay_seed_options_init (&options);
  options.n_interactions = n;
  options.end_ms = END_MS;
  options.recordings_dir = recordings;
  options.forms_dir = forms;
  options.force = force;
  ok = assay_store_seed_sync (store, &options, summary, error);
  assay_store_close (store);
  return ok;
}

static void
test_counts (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autofree char *fresh_path = g_build_filename (dir, "fresh.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *lead = NULL;
  AssaySeedSummary summary = { 0 };
  sqlite3 *db;
  gint64 fresh_indexes;

  g_assert_true (seed (path, 2000, NULL, NULL, FALSE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_interactions, ==, 2000);
  g_assert_cmpuint (summary.n_phone + summary.n_chat + summary.n_email, ==, 2000);
  g_assert_cmpuint (summary.n_teams, ==, 3);
  g_assert_cmpuint (summary.n_agents, ==, 24);
  g_assert_cmpuint (summary.n_recordings, ==, 0);
  g_assert_cmpint (summary.first_ms, <, summary.last_ms);
  g_assert_cmpint (summary.last_ms, <, END_MS);
  g_assert_cmpuint (summary.warnings->len, ==, 0);
  assay_seed_summary_clear (&summary);

  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction"), ==, 2000);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM team"), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM agent"), ==, 24);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM agent WHERE active = 0"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM staff WHERE is_me = 1"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM staff WHERE roles LIKE '%inspector%'"),
                   >=, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM queue WHERE sl_threshold_s > 0"), ==,
                   query_int (db, "SELECT count(*) FROM queue"));
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT channel) FROM queue"), ==, 3);
  /* every interaction's queue is in the queue table, on the same channel */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction i LEFT JOIN queue q"
                                  " ON q.name = i.queue AND q.channel = i.channel"
                                  " WHERE q.name IS NULL"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction"
                                  " WHERE customer_ref NOT GLOB 'C-[0-9][0-9][0-9][0-9][0-9][0-9]'"),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction WHERE length(id) != 36"), ==, 0);
  /* leads are staff */
  lead = query_text (db, "SELECT s.roles FROM team t JOIN staff s ON s.id = t.lead_id LIMIT 1");
  g_assert_cmpstr (lead, ==, "lead");
  g_assert_cmpint (foreign_key_problems (db), ==, 0);
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  /* the indexes dropped for the bulk insert are back */
  {
    sqlite3 *fresh = connect (fresh_path);

    g_assert_true (_assay_store_migrate (fresh, _assay_store_schema_version (), &error));
    fresh_indexes = query_int (fresh, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                                      " AND tbl_name = 'interaction'");
    sqlite3_close_v2 (fresh);
  }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                                  " AND tbl_name = 'interaction'"), ==, fresh_indexes);
  sqlite3_close_v2 (db);
}

static void
test_refuses_without_force (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *again_id = NULL;
  AssaySeedSummary summary = { 0 };
  sqlite3 *db;

  g_assert_true (seed (path, 800, NULL, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  db = connect (path);
  first_id = query_text (db, "SELECT id FROM interaction ORDER BY started_at LIMIT 1");
  sqlite3_close_v2 (db);

  g_assert_false (seed (path, 300, NULL, NULL, FALSE, &summary, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "800"));
  g_clear_error (&error);
  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction"), ==, 800);
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  sqlite3_close_v2 (db);

  /* forced: replaced; the same seed gives the same centre */
  g_assert_true (seed (path, 800, NULL, NULL, TRUE, &summary, &error));
  g_assert_no_error (error);
  assay_seed_summary_clear (&summary);
  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction"), ==, 800);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM agent"), ==, 24);
  again_id = query_text (db, "SELECT id FROM interaction ORDER BY started_at LIMIT 1");
  g_assert_cmpstr (again_id, ==, first_id);
  sqlite3_close_v2 (db);
}

static void
test_force_wipes_work (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autofree char *kept = g_build_filename (dir, "kept.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *author = NULL;
  sqlite3 *db;

  /* a submitted revision is never deleted: the forced seed is refused, nothing is lifted */
  g_assert_true (seed (kept, 500, NULL, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  db = connect (kept);
  g_assert_true (_assay_store_exec (db,
    "INSERT INTO form (id, name, created_at) VALUES ('f1', 'Service', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('v1', 'f1', 1, '{}', 1);"
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
    "  created_at, updated_at)"
    "  SELECT 'e1', i.id, 'v1', s.id, 'submitted', 0, 0 FROM interaction i, staff s"
    "  WHERE s.is_me = 1 LIMIT 1;"
    "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, author_id, created_at)"
    "  SELECT 'r1', 'e1', 1, '{}', inspector_id, 0 FROM evaluation;", &error));
  g_assert_no_error (error);
  sqlite3_close_v2 (db);
  g_assert_false (seed (kept, 600, NULL, NULL, TRUE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "rows of evaluation_revision, which are never deleted"));
  g_clear_error (&error);
  db = connect (kept);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction"), ==, 500);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation_revision WHERE id = 'r1'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                                  " AND name = 'evaluation_revision_append_only'"), ==, 1);
  sqlite3_close_v2 (db);

  g_assert_true (seed (path, 500, NULL, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);

  /* work done on a demo without revisions: a form by "me", an assignment, a draft evaluation */
  db = connect (path);
  g_assert_true (_assay_store_exec (db,
    "DELETE FROM evaluation_draft; DELETE FROM outbox;"
    "INSERT INTO form (id, name, created_at) VALUES ('f1', 'Service', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at, author_id)"
    "  SELECT 'v1', 'f1', 1, '{}', 1, id FROM staff WHERE is_me = 1;"
    "INSERT INTO assignment (id, interaction_id, inspector_id, form_version_id, source, created_at)"
    "  SELECT 'as1', i.id, s.id, 'v1', 'centre', 0 FROM interaction i, staff s"
    "  WHERE s.is_me = 1 LIMIT 1;"
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, assignment_id,"
    "  state, created_at, updated_at)"
    "  SELECT 'e1', interaction_id, 'v1', inspector_id, 'as1', 'draft', 0, 0 FROM assignment;"
    "INSERT INTO outbox (op_id, collection, object_id, action, created_at)"
    "  VALUES ('op1', 'evaluations', 'e1', 'submit', 0), ('op2', 'forms', 'f1', 'create', 0);",
    &error));
  g_assert_no_error (error);
  g_assert_cmpint (foreign_key_problems (db), ==, 0);
  sqlite3_close_v2 (db);
  /* the demo's own submitted evaluations have revisions too: without them the wipe may go on */
  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation_revision"), ==, 0);
  sqlite3_close_v2 (db);

  g_assert_true (seed (path, 600, NULL, NULL, TRUE, NULL, &error));
  g_assert_no_error (error);

  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction"), ==, 600);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM assignment"), ==, 0);
  /* forms stay, their author is unknown now; their pending operation stays too */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM form_version"), ==, 1);
  author = query_text (db, "SELECT author_id FROM form_version");
  g_assert_null (author);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_cmpint (foreign_key_problems (db), ==, 0);
  /* the append-only rule was never lifted */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                                  " AND name = 'evaluation_revision_append_only'"), ==, 1);
  sqlite3_close_v2 (db);
}

/* A WAV file of @seconds of a quiet tone, 8 kHz 16-bit. */
static GBytes *
make_wav (int    channels,
          double seconds)
{
  guint32 frames = (guint32) (8000 * seconds);
  guint32 data_len = frames * channels * 2;
  GByteArray *wav = g_byte_array_new ();
  guint8 header[44];
  guint32 v32;
  guint16 v16;

  memcpy (header, "RIFF", 4);
  v32 = GUINT32_TO_LE (36 + data_len);
  memcpy (header + 4, &v32, 4);
  memcpy (header + 8, "WAVEfmt ", 8);
  v32 = GUINT32_TO_LE (16);
  memcpy (header + 16, &v32, 4);
  v16 = GUINT16_TO_LE (1);
  memcpy (header + 20, &v16, 2);
  v16 = GUINT16_TO_LE (channels);
  memcpy (header + 22, &v16, 2);
  v32 = GUINT32_TO_LE (8000);
  memcpy (header + 24, &v32, 4);
  v32 = GUINT32_TO_LE (8000 * channels * 2);
  memcpy (header + 28, &v32, 4);
  v16 = GUINT16_TO_LE (channels * 2);
  memcpy (header + 32, &v16, 2);
  v16 = GUINT16_TO_LE (16);
  memcpy (header + 34, &v16, 2);
  memcpy (header + 36, "data", 4);
  v32 = GUINT32_TO_LE (data_len);
  memcpy (header + 40, &v32, 4);
  g_byte_array_append (wav, header, sizeof header);
  for (guint32 i = 0; i < frames * channels; i++)
    {
      gint16 s = (gint16) GINT16_TO_LE ((i / channels) % 20 < 10 ? 800 : -800);

      g_byte_array_append (wav, (const guint8 *) &s, 2);
    }
  return g_byte_array_free_to_bytes (wav);
}

static void
write_wav (const char *dir,
           const char *name,
           int         channels,
           double      seconds)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GBytes) bytes = make_wav (channels, seconds);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
}

static void
test_recordings (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *rec_dir = g_build_filename (dir, "source", NULL);
  g_autofree char *db_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *path = g_build_filename (db_dir, "assay.db", NULL);
  g_autofree char *meta = g_build_filename (rec_dir, "en-billing-test.meta", NULL);
  g_autofree char *wav_path = g_build_filename (rec_dir, "en-billing-test.wav", NULL);
  g_autofree char *copy = g_build_filename (db_dir, "recordings", "en-billing-test.wav", NULL);
  g_autofree char *broken = g_build_filename (rec_dir, "broken.wav", NULL);
  g_autofree char *notes = g_build_filename (rec_dir, "notes.txt", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected_sha = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *location = NULL;
  g_autofree char *agent = NULL;
  g_autofree char *queue = NULL;
  g_autoptr(GError) error = NULL;
  AssaySeedSummary summary = { 0 };
  gsize len;
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (rec_dir, 0700), ==, 0);
  write_wav (rec_dir, "en-billing-test.wav", 2, 95.0);
  write_wav (rec_dir, "zh-broadband-test.wav", 1, 61.5);
  write_wav (rec_dir, "short.wav", 2, 0.2);
  g_assert_true (g_file_set_contents (meta, "[Recording]\nQueue=Billing\nAgent=Emily Carter\n"
                                            "HoldSeconds=20\n", -1, NULL));
  g_assert_true (g_file_set_contents (broken, "this is not a WAV file", -1, NULL));
  g_assert_true (g_file_set_contents (notes, "x", -1, NULL));

  g_assert_true (seed (path, 3000, rec_dir, NULL, FALSE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_recordings, ==, 2);
  g_assert_cmpuint (summary.warnings->len, ==, 2);   /* broken.wav, short.wav */
  g_assert_nonnull (strstr (g_ptr_array_index (summary.warnings, 0), "broken.wav"));
  g_assert_nonnull (strstr (g_ptr_array_index (summary.warnings, 1), "short.wav"));
  assay_seed_summary_clear (&summary);

  g_assert_true (g_file_get_contents (wav_path, &contents, &len, NULL));
  expected_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, len);
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));

  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM recording"), ==, 2);
  g_assert_cmpint (foreign_key_problems (db), ==, 0);
  location = query_text (db, "SELECT location FROM recording WHERE location LIKE '%en-billing%'");
  g_assert_cmpstr (location, ==, copy);
  sha = query_text (db, "SELECT sha256 FROM recording WHERE location LIKE '%en-billing%'");
  g_assert_cmpstr (sha, ==, expected_sha);
  g_assert_cmpint (query_int (db, "SELECT channels FROM recording WHERE location LIKE '%en-billing%'"),
                   ==, 2);
  g_assert_cmpint (query_int (db, "SELECT agent_channel FROM recording"
                                  " WHERE location LIKE '%en-billing%'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT agent_channel IS NULL AND channels = 1 FROM recording"
                                  " WHERE location LIKE '%zh-broadband%'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT round(duration_s * 10) FROM recording"
                                  " WHERE location LIKE '%zh-broadband%'"), ==, 615);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM recording WHERE format = 'wav'"), ==, 2);

  /* linked to a phone call that fits: queue, agent, length */
  queue = query_text (db, "SELECT i.queue FROM recording r JOIN interaction i"
                          " ON i.id = r.interaction_id WHERE r.location LIKE '%en-billing%'");
  g_assert_cmpstr (queue, ==, "Billing");
  agent = query_text (db, "SELECT a.name FROM recording r JOIN interaction i"
                          " ON i.id = r.interaction_id JOIN agent a ON a.id = i.agent_id"
                          " WHERE r.location LIKE '%en-billing%'");
  g_assert_cmpstr (agent, ==, "Emily Carter");
  g_assert_cmpint (query_int (db, "SELECT i.talk_s * 1000 + i.hold_s FROM recording r"
                                  " JOIN interaction i ON i.id = r.interaction_id"
                                  " WHERE r.location LIKE '%en-billing%'"), ==, 75 * 1000 + 20);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM recording r JOIN interaction i"
                                  " ON i.id = r.interaction_id WHERE i.channel = 'phone'"
                                  " AND i.abandoned = 0"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM recording r JOIN interaction i"
                                  " ON i.id = r.interaction_id AND i.queue = '技术支持'"), ==, 1);
  sqlite3_close_v2 (db);
}

static void
test_missing_recordings_dir (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_false (seed (path, 100, missing, NULL, FALSE, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "recordings"));
  g_clear_error (&error);

  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM agent"), ==, 0);
  sqlite3_close_v2 (db);

  /* without a folder it works, with no recordings */
  g_assert_true (seed (path, 100, NULL, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
}

/* QA work */

static char *
demo_forms_dir (void)
{
  const char *root = g_getenv ("ASSAY_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "data", "demo", "forms", NULL);
}

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) >= 0x2e80)
      return TRUE;
  return FALSE;
}

/* Scores every stored revision and draft again and compares with what was stored. */
static guint
check_scores (sqlite3 *db)
{
  g_autoptr(GHashTable) forms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) assay_form_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT e.form_version_id, v.definition, f.code, i.queue, x.answers, x.score, x.results,"
    " x.submitted FROM evaluation e"
    " JOIN form_version v ON v.id = e.form_version_id JOIN form f ON f.id = v.form_id"
    " JOIN interaction i ON i.id = e.interaction_id"
    " JOIN (SELECT evaluation_id, answers, score, results, 1 AS submitted FROM evaluation_revision"
    "       UNION ALL SELECT evaluation_id, answers, score, results, 0 FROM evaluation_draft) x"
    " ON x.evaluation_id = e.id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *version_id = (const char *) sqlite3_column_text (stmt, 0);
      const char *code = (const char *) sqlite3_column_text (stmt, 2);
      const char *queue = (const char *) sqlite3_column_text (stmt, 3);
      gboolean submitted = sqlite3_column_int (stmt, 7);
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayAnswers) answers = NULL;
      g_autoptr(AssayScore) score = NULL;
      g_autofree char *results = NULL;
      AssayForm *form = g_hash_table_lookup (forms, version_id);

      if (form == NULL)
        {
          form = assay_form_from_json ((const char *) sqlite3_column_text (stmt, 1), -1, &error);
          g_assert_no_error (error);
          g_assert_true (assay_form_is_published (form));
          g_hash_table_insert (forms, g_strdup (version_id), form);
        }
      /* Chinese queues are scored on the Chinese scorecard, the others on the English one */
      g_assert_cmpstr (code, ==, g_str_is_ascii (queue) ? "service-quality-en"
                                                        : "service-quality-zh");

      answers = assay_answers_from_json (form, (const char *) sqlite3_column_text (stmt, 4), -1,
                                         &error);
      g_assert_no_error (error);
      score = assay_score_compute (answers);
      results = assay_score_to_json (score, FALSE);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, results);
      if (isnan (score->overall))
        g_assert_cmpint (sqlite3_column_type (stmt, 5), ==, SQLITE_NULL);
      else
        g_assert_cmpfloat (sqlite3_column_double (stmt, 5), ==, score->overall);
      g_assert_cmpint (assay_score_is_complete (score), ==, submitted);

      /* comments in the scorecard's language */
      for (guint i = 0; i < assay_answers_get_n_items (answers); i++)
        {
          const AssayAnswer *a = assay_answers_get (answers, i);

          if (a->comment != NULL)
            g_assert_cmpint (has_cjk (a->comment), ==, !g_str_is_ascii (queue));
        }
      n++;
    }
  return n;
}

static void
test_qa_work (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *rec_dir = g_build_filename (dir, "source", NULL);
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autofree char *forms_dir = demo_forms_dir ();
  g_autofree char *en_path = g_build_filename (forms_dir, "service-quality-en.json", NULL);
  g_autofree char *en_json = NULL;
  g_autofree char *en_version = NULL;
  g_autofree char *draw_id = NULL;
  g_autofree char *rule_json = NULL;
  g_autofree char *published = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssaySamplingRule) rule = NULL;
  g_autoptr(AssayDrawCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  AssaySeedSummary summary = { 0 };
  AssaySeedOptions options;
  gint64 n_evaluations;
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (rec_dir, 0700), ==, 0);
  write_wav (rec_dir, "en-billing-test.wav", 2, 95.0);
  write_wav (rec_dir, "zh-billing-test.wav", 1, 61.5);
  write_wav (rec_dir, "en-sales-test.wav", 2, 70.0);

  store = assay_store_new (path);
  g_assert_true (assay_store_open_sync (store, NULL));
  assay_seed_options_init (&options);
  options.n_interactions = 5000;
  options.end_ms = END_MS;
  options.recordings_dir = rec_dir;
  options.forms_dir = forms_dir;
  g_assert_true (assay_store_seed_sync (store, &options, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_recordings, ==, 3);
  g_assert_cmpuint (summary.n_forms, ==, 2);
  g_assert_cmpuint (summary.n_evaluations, >=, 250);
  g_assert_cmpuint (summary.n_evaluations, <=, 500);
  g_assert_cmpuint (summary.n_amended, >, 0);
  g_assert_cmpuint (summary.n_drafts, >=, 3);
  g_assert_cmpuint (summary.n_drafts, <=, 5);
  g_assert_cmpuint (summary.n_assignments, >=, 15);
  g_assert_cmpuint (summary.n_assignments, <=, 25);
  g_assert_cmpuint (summary.n_sampled, >, 0);

  /* the draw replays to the same picks */
  db = connect (path);
  draw_id = query_text (db, "SELECT id FROM sampling_draw");
  rule_json = query_text (db, "SELECT rule FROM sampling_draw");
  en_version = query_text (db, "SELECT v.id FROM form_version v JOIN form f ON f.id = v.form_id"
                               " WHERE f.code = 'service-quality-en'");
  sqlite3_close_v2 (db);
  rule = assay_sampling_rule_from_json (rule_json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rule->form_version_id, ==, en_version);
  check = assay_store_verify_draw_sync (store, draw_id, rule, &error);
  g_assert_no_error (error);
  g_assert_true (check->matches);
  g_assert_cmpuint (check->n_stored, ==, summary.n_sampled);

  /* the review queue of "me" opens with the overdue calls, two of them being scored */
  {
    g_autoptr(GPtrArray) queue = NULL;
    g_autofree char *me = NULL;
    guint n_overdue = 0, n_in_progress = 0;

    db = connect (path);
    me = query_text (db, "SELECT id FROM staff WHERE is_me = 1");
    sqlite3_close_v2 (db);
    queue = assay_store_list_queue_sync (store, me, END_MS, 0, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (queue->len, ==, summary.n_assignments + summary.n_sampled);
    for (guint i = 0; i < queue->len; i++)
      {
        const AssayQueueItem *item = g_ptr_array_index (queue, i);

        n_overdue += item->state == ASSAY_QUEUE_STATE_OVERDUE;
        n_in_progress += item->state == ASSAY_QUEUE_STATE_IN_PROGRESS;
        g_assert_cmpint (item->state, !=, ASSAY_QUEUE_STATE_DONE);
      }
    g_assert_cmpint (((const AssayQueueItem *) g_ptr_array_index (queue, 0))->state, ==,
                     ASSAY_QUEUE_STATE_OVERDUE);
    g_assert_cmpuint (n_overdue, >=, 1);
    g_assert_cmpuint (n_in_progress, ==, 2);
  }

  /* publishing the demo file again finds the seeded version: the same form */
  g_assert_true (g_file_get_contents (en_path, &en_json, NULL, NULL));
  published = assay_store_publish_form_sync (store, en_json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (published, ==, en_version);
  assay_store_close (store);

  db = connect (path);
  /* two published scorecards, known by the "id" of their files */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM form"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM form_version"
                                  " WHERE published_at IS NOT NULL"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM form WHERE code IN"
                                  " ('service-quality-en', 'service-quality-zh')"), ==, 2);

  /* evaluations: what the engine says, every one of them */
  n_evaluations = query_int (db, "SELECT count(*) FROM evaluation WHERE state = 'submitted'");
  g_assert_cmpint (n_evaluations, ==, summary.n_evaluations);
  g_assert_cmpint (check_scores (db), ==, n_evaluations + summary.n_amended + summary.n_drafts);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT i.agent_id) FROM evaluation e"
                                  " JOIN interaction i ON i.id = e.interaction_id"
                                  " WHERE e.state = 'submitted'"), >=, 23);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT i.started_at / 604800000)"
                                  " FROM evaluation e JOIN interaction i ON i.id = e.interaction_id"
                                  " WHERE e.state = 'submitted'"), >=, 12);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT inspector_id) FROM evaluation"), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation e JOIN staff s"
                                  " ON s.id = e.inspector_id WHERE s.is_me = 1"), >,
                   n_evaluations / 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation e"
                                  " JOIN interaction i ON i.id = e.interaction_id"
                                  " WHERE i.channel = 'chat'"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation_revision WHERE number = 1"
                                  " AND json_array_length (results, '$.fatal_failed') > 0"
                                  " AND score = 0"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation_revision WHERE number = 1"
                                  " AND json_array_length (results, '$.fatal_failed') > 0"),
                   <, n_evaluations / 10);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation_revision"
                                  " WHERE json_extract (results, '$.na') > 0"), >, 0);
  /* revision 1 by the inspector for all; amendments by a lead, with a reason */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation e JOIN evaluation_revision r"
                                  " ON r.evaluation_id = e.id AND r.number = 1"
                                  " AND r.author_id = e.inspector_id"), ==, n_evaluations);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation_revision r JOIN staff s"
                                  " ON s.id = r.author_id WHERE r.number = 2 AND s.roles = 'lead'"
                                  " AND length (trim (r.reason)) > 0"), ==, summary.n_amended);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation_revision WHERE number > 2"
                                  " OR (number = 1 AND reason IS NOT NULL)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation e WHERE e.current_revision_id"
                                  " IS NOT (SELECT id FROM evaluation_revision r"
                                  " WHERE r.evaluation_id = e.id ORDER BY number DESC LIMIT 1)"),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation e JOIN evaluation_revision r"
                                  " ON r.id = e.current_revision_id"
                                  " WHERE e.updated_at != r.created_at"
                                  " OR r.created_at <= e.created_at"), ==, 0);
  /* drafts of "me", without revisions */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation e JOIN staff s"
                                  " ON s.id = e.inspector_id JOIN evaluation_draft d"
                                  " ON d.evaluation_id = e.id WHERE e.state = 'draft'"
                                  " AND s.is_me = 1 AND d.amending = 0"
                                  " AND e.current_revision_id IS NULL"), ==, summary.n_drafts);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation_revision r JOIN evaluation e"
                                  " ON e.id = r.evaluation_id WHERE e.state = 'draft'"), ==, 0);
  /* the queue of "me": centre assignments, the recorded calls among them, some overdue */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM assignment a JOIN staff s"
                                  " ON s.id = a.inspector_id WHERE s.is_me = 1"
                                  " AND a.source = 'centre'"), ==, summary.n_assignments);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM recording r WHERE NOT EXISTS"
                                  " (SELECT 1 FROM assignment a JOIN staff s"
                                  "  ON s.id = a.inspector_id AND s.is_me = 1"
                                  "  WHERE a.interaction_id = r.interaction_id"
                                  "  AND a.source = 'centre')"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM assignment WHERE due_at < 1763134200000"),
                   >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM assignment WHERE due_at > 1763134200000"),
                   >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM assignment a JOIN evaluation e"
                                  " ON e.assignment_id = a.id AND e.state = 'draft'"), >, 0);
  /* pinned to the scorecard of the call's language */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM assignment a"
                                  " JOIN interaction i ON i.id = a.interaction_id"
                                  " JOIN form_version v ON v.id = a.form_version_id"
                                  " JOIN form f ON f.id = v.form_id"
                                  " WHERE (f.code = 'service-quality-zh')"
                                  "   != (i.queue IN ('账单查询', '技术支持', '在线客服', '邮件支持'))"),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM assignment WHERE source = 'sampling'"),
                   ==, summary.n_sampled);
  /* nothing of it is local work to sync; everything refers to what exists */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation WHERE dirty = 1"), ==, 0);
  g_assert_cmpint (foreign_key_problems (db), ==, 0);
  /* revisions stay append-only */
  g_assert_false (_assay_store_exec (db, "DELETE FROM evaluation_revision", &error));
  g_clear_error (&error);
  sqlite3_close_v2 (db);
  assay_seed_summary_clear (&summary);

  /* a forced seed on top is refused: the demo's revisions are never deleted (assayctl seed
   * --force starts from an empty file instead); a fresh database gets the same work */
  g_assert_false (seed (path, 5000, rec_dir, forms_dir, TRUE, &summary, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assay_seed_summary_clear (&summary);
  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evaluation WHERE state = 'submitted'"), ==,
                   n_evaluations);
  sqlite3_close_v2 (db);
  {
    g_autofree char *again = g_build_filename (dir, "again.db", NULL);

    g_assert_true (seed (again, 5000, rec_dir, forms_dir, FALSE, &summary, &error));
    g_assert_no_error (error);
    g_assert_cmpint (summary.n_evaluations, ==, n_evaluations);
    assay_seed_summary_clear (&summary);
    db = connect (again);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM form"), ==, 2);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM form_version"), ==, 2);
    g_assert_cmpint (foreign_key_problems (db), ==, 0);
    sqlite3_close_v2 (db);
  }
}

static void
test_missing_forms (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autofree char *forms = g_build_filename (dir, "forms", NULL);
  g_autofree char *zh = g_build_filename (forms, "service-quality-zh.json", NULL);
  g_autofree char *en = g_build_filename (forms, "service-quality-en.json", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (forms, 0700), ==, 0);
  g_assert_true (g_file_set_contents (zh, "{ \"format\": 1 }", -1, NULL));

  g_assert_false (seed (path, 200, NULL, forms, FALSE, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "service-quality-en.json"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (en, "{ \"format\": 1 }", -1, NULL));
  g_assert_false (seed (path, 200, NULL, forms, FALSE, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "service-quality-en.json"));
  g_clear_error (&error);

  /* nothing was written */
  db = connect (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM interaction"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM form"), ==, 0);
  sqlite3_close_v2 (db);
}

static void
seed_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AssaySeedSummary *summary = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_seed_finish (ASSAY_STORE (source), result, summary, &error));
  g_assert_no_error (error);
}

static void
bad_seed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (assay_store_seed_finish (ASSAY_STORE (source), result, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  *done = TRUE;
}

static void
test_async (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autoptr(AssayStore) store = assay_store_new (path);
  AssaySeedSummary summary = { 0 };
  AssaySeedOptions options;
  gboolean done = FALSE;

  g_assert_true (assay_store_open_sync (store, NULL));
  assay_seed_options_init (&options);
  options.n_interactions = 1000;
  options.n_days = 30;
  options.end_ms = END_MS;
  assay_store_seed_async (store, &options, NULL, seed_cb, &summary);
  while (summary.n_interactions == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (summary.n_interactions, ==, 1000);
  g_assert_cmpint (summary.first_ms, >=, END_MS - G_GINT64_CONSTANT (31) * 24 * 3600 * 1000);
  assay_seed_summary_clear (&summary);

  options.n_days = 0;
  assay_store_seed_async (store, &options, NULL, bad_seed_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  assay_store_close (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/seed/counts", test_counts);
  g_test_add_func ("/store/seed/refuses-without-force", test_refuses_without_force);
  g_test_add_func ("/store/seed/force-wipes-work", test_force_wipes_work);
  g_test_add_func ("/store/seed/recordings", test_recordings);
  g_test_add_func ("/store/seed/missing-recordings-dir", test_missing_recordings_dir);
  g_test_add_func ("/store/seed/async", test_async);
  g_test_add_func ("/store/seed/qa-work", test_qa_work);
  g_test_add_func ("/store/seed/missing-forms", test_missing_forms);
  return g_test_run ();
}
