/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "test-db.h"
#include "assay-store-private.h"

char *
test_db_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-test-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "assay.db", NULL);
}

static gpointer
exec_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return _assay_store_exec (db, data, error) ? GINT_TO_POINTER (1) : NULL;
}

void
test_db_exec (AssayStore *store,
              const char *sql)
{
  g_autoptr(GError) error = NULL;

  _assay_store_run_sync (store, exec_func, (gpointer) sql, &error);
  g_assert_no_error (error);
}

typedef struct {
  const char *sql;
  gint64      value;
} IntQuery;

static gpointer
int_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  IntQuery *q = data;
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, q->sql, error);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  q->value = sqlite3_column_int64 (stmt, 0);
  return GINT_TO_POINTER (1);
}

gint64
test_db_query_int (AssayStore *store,
                   const char *sql)
{
  g_autoptr(GError) error = NULL;
  IntQuery q = { sql, 0 };

  g_assert_nonnull (_assay_store_run_sync (store, int_func, &q, &error));
  g_assert_no_error (error);
  return q.value;
}

AssayStore *
test_db_new (guint n_interactions)
{
  g_autofree char *path = test_db_path ();
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);

  test_db_exec (store,
    "INSERT INTO team (id, name) VALUES"
    " ('00000000-0000-4000-8000-000000000001', 'Billing'),"
    " ('00000000-0000-4000-8000-000000000002', 'Technical Support'),"
    " ('00000000-0000-4000-8000-000000000003', 'Sales');"
    "INSERT INTO agent (id, team_id, name, employee_code) VALUES"
    " ('10000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'Wang Fang', 'E001'),"
    " ('10000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Li Wei', 'E002'),"
    " ('10000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'Emma Clarke', 'E003'),"
    " ('10000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000002', 'Zhang Min', 'E004'),"
    " ('10000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000003', 'Oliver Grant', 'E005'),"
    " ('10000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000003', 'Chen Jing', 'E006');"
    "INSERT INTO queue (name, channel, sl_threshold_s) VALUES"
    " ('Billing', 'phone', 20), ('Support', 'chat', 60), ('Sales', 'email', NULL);");

  /* n rows, one a minute back from 2026-11-20 12:00 UTC; every fact derived from the row number
   * so tests can compute expectations in SQL */
  sql = g_strdup_printf (
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %u)"
    " INSERT INTO interaction (id, channel, queue, agent_id, team_id, customer_ref, started_at,"
    "   wait_s, talk_s, hold_s, wrap_s, csat, nps, fcr, answered_in_sl)"
    " SELECT printf('20000000-0000-4000-8000-%%012d', i),"
    "   CASE i %% 3 WHEN 0 THEN 'phone' WHEN 1 THEN 'chat' ELSE 'email' END,"
    "   CASE i %% 3 WHEN 0 THEN 'Billing' WHEN 1 THEN 'Support' ELSE 'Sales' END,"
    "   printf('10000000-0000-4000-8000-%%012d', i %% 6 + 1),"
    "   printf('00000000-0000-4000-8000-%%012d', (i %% 6) / 2 + 1),"
    "   printf('C-%%06d', 100000 + i),"
    "   1795176000000 - i * 60000,"
    "   i %% 40, 60 + (i * 37) %% 600, (i * 7) %% 60, (i * 11) %% 90,"
    "   CASE WHEN i %% 4 = 0 THEN NULL ELSE 1 + (i * 13) %% 5 END,"
    "   CASE WHEN i %% 5 = 0 THEN NULL ELSE (i * 7) %% 11 END,"
    "   (i %% 4 != 0), (i %% 5 != 0)"
    " FROM n", n_interactions);
  if (n_interactions > 0)
    test_db_exec (store, sql);
  return g_steal_pointer (&store);
}

static const char *review_form_json =
  "{\"format\": 1, \"id\": \"ui-test\", \"name\": \"UI test form\", \"version\": 1,"
  " \"published\": true, \"mode\": \"points\", \"comment_on_deduction\": true,"
  " \"bands\": [{\"name\": \"Needs improvement\", \"min\": 0}, {\"name\": \"Meets\", \"min\": 70}],"
  " \"sections\": ["
  "  {\"id\": \"opening\", \"title\": \"Opening\", \"weight\": 1, \"items\": ["
  "    {\"id\": \"greeting\", \"kind\": \"yes_no\", \"text\": \"Greeting used\", \"weight\": 1},"
  "    {\"id\": \"disclosure\", \"kind\": \"yes_no\", \"text\": \"Read the disclosure\", \"weight\": 1,"
  "     \"fatal\": true}]},"
  "  {\"id\": \"resolution\", \"title\": \"Resolution\", \"weight\": 1, \"items\": ["
  "    {\"id\": \"fix\", \"kind\": \"scale\", \"text\": \"Correct fix\", \"weight\": 2, \"min\": 1, \"max\": 5}]}"
  " ]}";

typedef struct {
  const char *json;
} FormArgs;

static gpointer
add_form_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_assay_store_exec (db, "INSERT INTO form (id, name, created_at)"
                              " VALUES ('" TEST_FORM_ID "', 'UI test form', 0)", error))
    return NULL;
  stmt = _assay_store_prepare (db, "INSERT INTO form_version (id, form_id, version, definition, published_at)"
                                   " VALUES ('" TEST_FORM_VERSION_ID "', '" TEST_FORM_ID "', 1, ?, 1)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ((FormArgs *) data)->json, -1, SQLITE_STATIC);
  return _assay_store_step_done (db, stmt, error) ? GINT_TO_POINTER (1) : NULL;
}

void
test_db_add_review_form (AssayStore *store)
{
  g_autoptr(GError) error = NULL;
  FormArgs args = { review_form_json };

  _assay_store_run_sync (store, add_form_func, &args, &error);
  g_assert_no_error (error);
}

/*
 * Written byte by byte on purpose, though src has one WAV header reader (core/assay-wav.h): the
 * tests' files are the oracle the reader and the decoders are checked against, so they share
 * no code with them. (tests/media/test-audio-util.h writes the other formats the same way.)
 */
void
test_write_stereo_wav (const char *path,
                       guint       seconds)
{
  const guint rate = 8000;
  guint frames = rate * seconds;
  guint data_size = frames * 4;
  g_autofree guint8 *buf = g_malloc0 (44 + data_size);
  gint16 *samples = (gint16 *) (buf + 44);

  memcpy (buf, "RIFF", 4);
  *(guint32 *) (buf + 4) = GUINT32_TO_LE (36 + data_size);
  memcpy (buf + 8, "WAVEfmt ", 8);
  *(guint32 *) (buf + 16) = GUINT32_TO_LE (16);
  *(guint16 *) (buf + 20) = GUINT16_TO_LE (1);
  *(guint16 *) (buf + 22) = GUINT16_TO_LE (2);
  *(guint32 *) (buf + 24) = GUINT32_TO_LE (rate);
  *(guint32 *) (buf + 28) = GUINT32_TO_LE (rate * 4);
  *(guint16 *) (buf + 32) = GUINT16_TO_LE (4);
  *(guint16 *) (buf + 34) = GUINT16_TO_LE (16);
  memcpy (buf + 36, "data", 4);
  *(guint32 *) (buf + 40) = GUINT32_TO_LE (data_size);
  for (guint i = 0; i < frames; i++)
    {
      gint16 tone = (gint16) (8000 * sin (2 * G_PI * 440 * i / rate));
      samples[2 * i] = i < frames / 2 ? tone : 0;
      samples[2 * i + 1] = i >= frames / 2 ? tone : 0;
    }
  g_assert_true (g_file_set_contents (path, (char *) buf, 44 + data_size, NULL));
}

typedef struct {
  gboolean timed_out;
} Guard;

static gboolean
guard_cb (gpointer data)
{
  ((Guard *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
test_wait_until (gboolean (*cond) (gpointer),
                 gpointer   data,
                 guint      timeout_s)
{
  Guard guard = { FALSE };
  guint id = g_timeout_add_seconds (timeout_s, guard_cb, &guard);

  while (!cond (data) && !guard.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (guard.timed_out)
    g_error ("condition not reached within %u s", timeout_s);
  g_source_remove (id);
}
