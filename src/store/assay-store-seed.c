/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-seed.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "assay-store-private.h"
#include "demo/assay-demo.h"
#include "demo/assay-demo-conversations.h"
#include "assay-store-seed-audits.h"
#include "assay-store-seed-calibration.h"
#include "assay-store-seed-insights.h"
#include "assay-store-transcript-private.h"
#include "core/assay-sampling.h"
#include "core/assay-scoring.h"
#include "core/assay-wav.h"
#include "protocol/assay-form-json.h"
#include "protocol/assay-sampling-json.h"

/*
 * Seeding is one transaction on the worker. Foreign keys are switched off around it (they cannot
 * change inside a transaction) so the wipe needs no order and the bulk insert no lookups;
 * `PRAGMA foreign_key_check` must come back empty before the commit instead. The interaction
 * table's secondary indexes are dropped for the insert and built again after it, which is several
 * times faster for a million rows than keeping them up to date row by row.
 */

#define COPY_CHUNK   (256 * 1024)
#define HEADER_BYTES (64 * 1024)

/* the demo's own tables; what depends on them is found from the schema's foreign keys */
static const char *const demo_tables[] = {
  "team", "staff", "agent", "queue", "interaction", "recording", "analysis", "sampling_draw",
};

typedef struct {
  char   *name;             /* file name without .wav */
  char   *path;
  char   *queue;
  char   *agent;
  int     hold_s;
  double  duration_s;
  int     channels;
  char   *interaction_id;   /* once linked */
} Recording;

/* the demo scorecards: English for the English queues, Chinese for the Chinese ones */
enum {
  FORM_EN,
  FORM_ZH,
  N_FORMS
};

static const char *const form_files[N_FORMS] = { ASSAY_SEED_FORM_EN, ASSAY_SEED_FORM_ZH };

typedef struct {
  AssaySeedOptions  options;
  char             *recordings_dir;
  char             *forms_dir;
  char             *db_path;
  AssayForm        *forms[N_FORMS];         /* the versions answers are given on */
  char             *version_ids[N_FORMS];   /* their form_version rows */
} SeedJob;

static void
recording_free (gpointer data)
{
  Recording *rec = data;

  g_free (rec->name);
  g_free (rec->path);
  g_free (rec->queue);
  g_free (rec->agent);
  g_free (rec->interaction_id);
  g_free (rec);
}

static void
seed_job_free (gpointer data)
{
  SeedJob *job = data;

  g_free (job->recordings_dir);
  g_free (job->forms_dir);
  g_free (job->db_path);
  for (guint f = 0; f < N_FORMS; f++)
    {
      g_clear_pointer (&job->forms[f], assay_form_unref);
      g_clear_pointer (&job->version_ids[f], g_free);
    }
  g_free (job);
}

static void
summary_free (gpointer data)
{
  AssaySeedSummary *summary = data;

  assay_seed_summary_clear (summary);
  g_free (summary);
}

static void
warn (AssaySeedSummary *summary,
      const char       *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
warn (AssaySeedSummary *summary,
      const char       *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (summary->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* recordings */

/* Reads the RIFF header (core/assay-wav.h): channel count and duration of a PCM or float WAV. */
static gboolean
read_wav_info (const char  *path,
               int         *channels,
               double      *duration_s,
               GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *buf = NULL;
  AssayWavHeader header;
  gsize n = 0;
  guint64 size;

  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, error);
  if (info == NULL)
    return FALSE;
  size = (guint64) MAX (g_file_info_get_size (info), 0);
  buf = g_malloc (HEADER_BYTES);
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), buf, HEADER_BYTES, &n, NULL, error))
    return FALSE;

  if (!assay_wav_parse_header (buf, n, size, &header, &local_error))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           g_error_matches (local_error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_NOT_WAV)
                             ? "not a WAV file"
                             : "not a PCM WAV file this version can read");
      return FALSE;
    }
  if (header.channels < 1 || header.channels > 8 || header.rate == 0 || header.block_align == 0
      || (header.format != 1 && header.format != 3 && header.format != 0xfffe))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           "not a PCM WAV file this version can read");
      return FALSE;
    }

  *channels = (int) header.channels;
  /* a file cut short holds less than its header says */
  *duration_s = (double) (MIN (header.data_size, header.data_available) / header.block_align)
                / header.rate;
  return TRUE;
}

static void
read_meta (const char *wav_path,
           Recording  *rec)
{
  g_autofree char *base = g_strndup (wav_path, strlen (wav_path) - strlen (".wav"));
  g_autofree char *meta = g_strconcat (base, ".meta", NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  double hold;

  if (!g_key_file_load_from_file (key_file, meta, G_KEY_FILE_NONE, NULL))
    return;
  rec->queue = g_key_file_get_string (key_file, "Recording", "Queue", NULL);
  rec->agent = g_key_file_get_string (key_file, "Recording", "Agent", NULL);
  hold = g_key_file_get_double (key_file, "Recording", "HoldSeconds", &error);
  if (error == NULL && hold > 0 && hold < rec->duration_s)
    rec->hold_s = (int) (hold + 0.5);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The WAV files of @dir in name order; files that cannot be used become warnings. */
static GPtrArray *
load_recordings (const char        *dir,
                 AssaySeedSummary  *summary,
                 GError           **error)
{
  g_autoptr(GPtrArray) recordings = g_ptr_array_new_with_free_func (recording_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) gdir = NULL;
  const char *name;

  if (dir == NULL)
    return g_steal_pointer (&recordings);

  gdir = g_dir_open (dir, 0, error);
  if (gdir == NULL)
    {
      g_prefix_error (error, "Cannot read the recordings folder: ");
      return NULL;
    }
  while ((name = g_dir_read_name (gdir)) != NULL)
    if (g_str_has_suffix (name, ".wav") && strlen (name) > strlen (".wav"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file_name = g_ptr_array_index (names, i);
      g_autoptr(GError) local_error = NULL;
      Recording *rec = g_new0 (Recording, 1);

      rec->path = g_build_filename (dir, file_name, NULL);
      rec->name = g_strndup (file_name, strlen (file_name) - strlen (".wav"));
      if (!read_wav_info (rec->path, &rec->channels, &rec->duration_s, &local_error))
        {
          warn (summary, "%s: %s, skipped", file_name, local_error->message);
          recording_free (rec);
          continue;
        }
      if (rec->duration_s < 1.0)
        {
          warn (summary, "%s: shorter than a second, skipped", file_name);
          recording_free (rec);
          continue;
        }
      read_meta (rec->path, rec);
      g_ptr_array_add (recordings, rec);
    }

  return g_steal_pointer (&recordings);
}

/* Copies @src to @dest (unless they are the same file) and returns the SHA-256 of the bytes. */
static char *
copy_with_checksum (const char  *src,
                    const char  *dest,
                    GError     **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) src_file = g_file_new_for_path (src);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree guint8 *buf = NULL;
  gboolean same = g_file_equal (src_file, dest_file);

  in = g_file_read (src_file, NULL, error);
  if (in == NULL)
    return NULL;
  if (!same)
    {
      out = g_file_replace (dest_file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
      if (out == NULL)
        return NULL;
    }

  buf = g_malloc (COPY_CHUNK);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, COPY_CHUNK, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (sum, buf, n);
      if (out != NULL
          && !g_output_stream_write_all (G_OUTPUT_STREAM (out), buf, (gsize) n, NULL, NULL, error))
        return NULL;
    }
  if (out != NULL && !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
    return NULL;

  return g_strdup (g_checksum_get_string (sum));
}

/* schema helpers */

static GPtrArray *
query_strings (sqlite3     *db,
               const char  *sql,
               const char  *arg,
               int          n_columns,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (int c = 0; c < n_columns; c++)
      g_ptr_array_add (rows, g_strdup (_assay_store_column_text (stmt, c)
                                       ? _assay_store_column_text (stmt, c) : ""));
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
str_in (GPtrArray  *array,
        const char *s)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp (g_ptr_array_index (array, i), s) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
exec_printf (sqlite3     *db,
             GError     **error,
             const char  *format,
             ...)
{
  va_list args;
  char *sql;
  gboolean ok;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);
  ok = _assay_store_exec (db, sql, error);
  sqlite3_free (sql);
  return ok;
}

static gint64 query_int (sqlite3     *db,
                         const char  *sql,
                         GError     **error);

/* foreign keys of @table as triples: referenced table, column, "1" if the column is NOT NULL */
#define FK_SQL "SELECT f.\"table\", f.\"from\", coalesce (i.\"notnull\", 0) OR coalesce (i.pk, 0)" \
               " FROM pragma_foreign_key_list (?1) AS f" \
               " LEFT JOIN pragma_table_info (?1) AS i ON i.name = f.\"from\""

/*
 * Empties the demo's tables and every table whose rows cannot exist without theirs (a NOT NULL
 * reference, followed transitively); other references to them become NULL. Rows that a trigger
 * forbids deleting (append-only revisions) are never deleted: their presence fails the wipe.
 */
static gboolean
wipe (sqlite3   *db,
      gboolean   clear_outbox,
      GError   **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GPtrArray) set = g_ptr_array_new_with_free_func (g_free);
  gboolean changed = TRUE;

  tables = query_strings (db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                          NULL, 1, error);
  if (tables == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (demo_tables); i++)
    if (str_in (tables, demo_tables[i]))
      g_ptr_array_add (set, g_strdup (demo_tables[i]));

  while (changed)
    {
      changed = FALSE;
      for (guint t = 0; t < tables->len; t++)
        {
          const char *table = g_ptr_array_index (tables, t);
          g_autoptr(GPtrArray) fks = NULL;

          if (str_in (set, table))
            continue;
          fks = query_strings (db, FK_SQL, table, 3, error);
          if (fks == NULL)
            return FALSE;
          for (guint f = 0; f + 2 < fks->len; f += 3)
            if (str_in (set, g_ptr_array_index (fks, f))
                && strcmp (g_ptr_array_index (fks, f + 2), "1") == 0)
              {
                g_ptr_array_add (set, g_strdup (table));
                changed = TRUE;
                break;
              }
        }
    }

  for (guint t = 0; t < tables->len; t++)
    {
      const char *table = g_ptr_array_index (tables, t);
      g_autoptr(GPtrArray) fks = NULL;

      if (str_in (set, table))
        continue;
      fks = query_strings (db, FK_SQL, table, 3, error);
      if (fks == NULL)
        return FALSE;
      for (guint f = 0; f + 2 < fks->len; f += 3)
        if (str_in (set, g_ptr_array_index (fks, f))
            && !exec_printf (db, error, "UPDATE \"%w\" SET \"%w\" = NULL WHERE \"%w\" IS NOT NULL",
                             table, (const char *) g_ptr_array_index (fks, f + 1),
                             (const char *) g_ptr_array_index (fks, f + 1)))
          return FALSE;
    }

  /* rows that a trigger forbids deleting (append-only revisions) are never deleted: the rules
   * are not lifted for a wipe; a database holding them is seeded anew instead (assayctl seed
   * --force starts from an empty file) */
  for (guint t = 0; t < set->len; t++)
    {
      g_autoptr(GPtrArray) found = query_strings (db, "SELECT name FROM sqlite_schema"
                                                      " WHERE type = 'trigger' AND tbl_name = ?1"
                                                      " AND sql LIKE '%BEFORE DELETE%'",
                                                  g_ptr_array_index (set, t), 1, error);
      char *sql;
      gint64 n;

      if (found == NULL)
        return FALSE;
      if (found->len == 0)
        continue;
      sql = sqlite3_mprintf ("SELECT count(*) FROM \"%w\"", (const char *) g_ptr_array_index (set, t));
      n = query_int (db, sql, error);
      sqlite3_free (sql);
      if (n < 0)
        return FALSE;
      if (n > 0)
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                       "The database holds %" G_GINT64_FORMAT " rows of %s, which are never "
                       "deleted; seed a new database instead.", n,
                       (const char *) g_ptr_array_index (set, t));
          return FALSE;
        }
    }

  for (guint t = 0; t < set->len; t++)
    if (!exec_printf (db, error, "DELETE FROM \"%w\"", (const char *) g_ptr_array_index (set, t)))
      return FALSE;

  /* pending sync operations on what is gone; edits of forms stay */
  if (clear_outbox && str_in (tables, "outbox")
      && !_assay_store_exec (db, "DELETE FROM outbox WHERE collection NOT LIKE 'form%'", error))
    return FALSE;

  return TRUE;
}

/* writing */

static void
bind_fact (sqlite3_stmt *stmt,
           int           idx,
           int           value)
{
  if (value == ASSAY_NONE)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int (stmt, idx, value);
}

static gboolean
step_done (sqlite3      *db,
           sqlite3_stmt *stmt,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  return TRUE;
}

static gboolean
insert_people (sqlite3           *db,
               AssayDemo         *demo,
               AssaySeedSummary  *summary,
               GError           **error)
{
  g_autoptr(sqlite3_stmt) staff_stmt = NULL;
  g_autoptr(sqlite3_stmt) team_stmt = NULL;
  g_autoptr(sqlite3_stmt) agent_stmt = NULL;
  g_autoptr(sqlite3_stmt) queue_stmt = NULL;
  const AssayDemoStaff *staff = assay_demo_get_staff (demo, &summary->n_staff);
  const AssayDemoTeam *teams = assay_demo_get_teams (demo, &summary->n_teams);
  const AssayDemoAgent *agents = assay_demo_get_agents (demo, &summary->n_agents);
  const AssayDemoQueue *queues = assay_demo_get_queues (demo, &summary->n_queues);

  staff_stmt = _assay_store_prepare (db, "INSERT INTO staff (id, name, roles, is_me)"
                                         " VALUES (?1, ?2, ?3, ?4)", error);
  team_stmt = staff_stmt ? _assay_store_prepare (db, "INSERT INTO team (id, name, lead_id)"
                                                     " VALUES (?1, ?2, ?3)", error) : NULL;
  agent_stmt = team_stmt ? _assay_store_prepare (db, "INSERT INTO agent (id, team_id, name,"
                                                     " employee_code, active)"
                                                     " VALUES (?1, ?2, ?3, ?4, ?5)", error) : NULL;
  queue_stmt = agent_stmt ? _assay_store_prepare (db, "INSERT INTO queue (name, channel,"
                                                      " sl_threshold_s) VALUES (?1, ?2, ?3)",
                                                  error) : NULL;
  if (queue_stmt == NULL)
    return FALSE;

  for (guint i = 0; i < summary->n_staff; i++)
    {
      sqlite3_bind_text (staff_stmt, 1, staff[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (staff_stmt, 2, staff[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (staff_stmt, 3, staff[i].roles, -1, SQLITE_STATIC);
      sqlite3_bind_int (staff_stmt, 4, staff[i].is_me ? 1 : 0);
      if (!step_done (db, staff_stmt, error))
        return FALSE;
    }
  for (guint i = 0; i < summary->n_teams; i++)
    {
      sqlite3_bind_text (team_stmt, 1, teams[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (team_stmt, 2, teams[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (team_stmt, 3, teams[i].lead_id, -1, SQLITE_STATIC);
      if (!step_done (db, team_stmt, error))
        return FALSE;
    }
  for (guint i = 0; i < summary->n_agents; i++)
    {
      sqlite3_bind_text (agent_stmt, 1, agents[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (agent_stmt, 2, agents[i].team_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (agent_stmt, 3, agents[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (agent_stmt, 4, agents[i].employee_code, -1, SQLITE_STATIC);
      sqlite3_bind_int (agent_stmt, 5, agents[i].active ? 1 : 0);
      if (!step_done (db, agent_stmt, error))
        return FALSE;
    }
  for (guint i = 0; i < summary->n_queues; i++)
    {
      sqlite3_bind_text (queue_stmt, 1, queues[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (queue_stmt, 2, queues[i].channel, -1, SQLITE_STATIC);
      sqlite3_bind_int (queue_stmt, 3, queues[i].sl_threshold_s);
      if (!step_done (db, queue_stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Conversations of chats and emails (docs/transcripts.md) -------------------------------------- */

static gboolean
conversation_lookups (AssayDemo   *demo,
                      GHashTable **agent_names,
                      GHashTable **chinese_queues)
{
  const AssayDemoAgent *agents;
  const AssayDemoQueue *queues;
  guint n_agents, n_queues;

  agents = assay_demo_get_agents (demo, &n_agents);
  queues = assay_demo_get_queues (demo, &n_queues);
  *agent_names = g_hash_table_new (g_str_hash, g_str_equal);
  *chinese_queues = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_agents; i++)
    g_hash_table_insert (*agent_names, agents[i].id, agents[i].name);
  for (guint i = 0; i < n_queues; i++)
    if (queues[i].chinese)
      g_hash_table_add (*chinese_queues, queues[i].name);
  return TRUE;
}

static guint32
seed_of (AssayDemo *demo)
{
  /* the conversations' own stream: the demo's end and first day pin it to the options */
  return (guint32) (assay_demo_get_start_ms (demo) / 1000) ^ 0x5eed;
}

static gboolean
seed_conversation (sqlite3                     *db,
                   sqlite3_stmt               **stmt,
                   guint32                      seed,
                   const AssayInteractionFacts *f,
                   GHashTable                  *agent_names,
                   GHashTable                  *chinese_queues,
                   GError                     **error)
{
  g_autoptr(AssayUtterances) conversation = NULL;
  AssayDemoContact contact = { 0 };

  if (f->abandoned || (strcmp (f->channel, "chat") != 0 && strcmp (f->channel, "email") != 0))
    return TRUE;
  contact.id = f->id;
  contact.channel = f->channel;
  contact.chinese = g_hash_table_contains (chinese_queues, f->queue);
  contact.agent_name = g_hash_table_lookup (agent_names, f->agent_id);
  contact.started_at = f->started_at;
  contact.first_response_s = f->first_response_s == ASSAY_NONE ? -1 : f->first_response_s;
  contact.talk_s = f->talk_s;
  contact.resolution_s = f->resolution_s == ASSAY_NONE ? -1 : f->resolution_s;
  contact.resolved = f->fcr != 0;
  conversation = assay_demo_conversation (seed, &contact);
  if (conversation == NULL)
    return TRUE;
  return _assay_store_seed_transcript_locked (db, stmt, f->id, conversation,
                                              ASSAY_TRANSCRIPT_FORMAT_CONVERSATION, NULL,
                                              f->started_at, error);
}

static gboolean
insert_interactions (sqlite3           *db,
                     AssayDemo         *demo,
                     GPtrArray         *recordings,
                     gboolean           conversations,
                     AssaySeedSummary  *summary,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AssayInteractionFacts f;
  gboolean ok = TRUE;
  int rec;
  g_autoptr(sqlite3_stmt) conversation_stmt = NULL;
  g_autoptr(GHashTable) agent_names = NULL;
  g_autoptr(GHashTable) chinese_queues = NULL;

  if (!conversation_lookups (demo, &agent_names, &chinese_queues))
    return FALSE;

  stmt = _assay_store_prepare (db,
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, customer_ref, started_at,"
    " wait_s, talk_s, hold_s, wrap_s, csat, nps, fcr, answered_in_sl, abandoned, priority,"
    " first_response_s, first_response_target_s, resolution_s, resolution_target_s)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21)", error);
  if (stmt == NULL)
    return FALSE;

  assay_interaction_facts_init (&f);
  while (ok && assay_demo_next (demo, &f, &rec))
    {
      /* the strings of @f stay alive until the next assay_demo_next(), after the step */
      sqlite3_bind_text (stmt, 1, f.id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, f.channel, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, f.queue, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, f.agent_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, f.team_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, f.customer_ref, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, f.started_at);
      bind_fact (stmt, 8, f.wait_s);
      sqlite3_bind_int (stmt, 9, f.talk_s);
      sqlite3_bind_int (stmt, 10, f.hold_s);
      sqlite3_bind_int (stmt, 11, f.wrap_s);
      bind_fact (stmt, 12, f.csat);
      bind_fact (stmt, 13, f.nps);
      bind_fact (stmt, 14, f.fcr);
      bind_fact (stmt, 15, f.answered_in_sl);
      sqlite3_bind_int (stmt, 16, f.abandoned ? 1 : 0);
      if (f.priority != NULL)
        sqlite3_bind_text (stmt, 17, f.priority, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 17);
      bind_fact (stmt, 18, f.first_response_s);
      bind_fact (stmt, 19, f.first_response_target_s);
      bind_fact (stmt, 20, f.resolution_s);
      bind_fact (stmt, 21, f.resolution_target_s);
      ok = step_done (db, stmt, error)
           && (!conversations
               || seed_conversation (db, &conversation_stmt, seed_of (demo), &f, agent_names,
                                     chinese_queues, error));
      if (!ok)
        break;

      if (rec >= 0 && (guint) rec < recordings->len)
        {
          Recording *r = g_ptr_array_index (recordings, rec);

          g_free (r->interaction_id);
          r->interaction_id = g_strdup (f.id);
        }
      if (summary->n_interactions == 0)
        summary->first_ms = f.started_at;
      summary->last_ms = f.started_at;
      summary->n_interactions++;
      if (strcmp (f.channel, "phone") == 0)
        summary->n_phone++;
      else if (strcmp (f.channel, "chat") == 0)
        summary->n_chat++;
      else
        summary->n_email++;

      if ((summary->n_interactions & 0xfff) == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
    }
  sqlite3_clear_bindings (stmt);
  assay_interaction_facts_clear (&f);
  return ok;
}

/*
 * The transcript scripts/make-recordings.sh wrote beside the recording (NAME.vtt), with the
 * times at which each scripted line was laid on the recording. A recording without one (made by
 * an older script) simply has no transcript.
 */
static gboolean
seed_call_transcript (sqlite3           *db,
                      sqlite3_stmt     **stmt,
                      Recording         *r,
                      AssaySeedSummary  *summary,
                      GError           **error)
{
  g_autofree char *base = g_strndup (r->path, strlen (r->path) - strlen (".wav"));
  g_autofree char *path = g_strconcat (base, ".vtt", NULL);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(AssayUtterances) transcript = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return TRUE;
  transcript = assay_transcript_parse (data, length, name, NULL, &local);
  if (transcript == NULL)
    {
      warn (summary, "%s", local->message);
      return TRUE;
    }
  return _assay_store_seed_transcript_locked (db, stmt, r->interaction_id, transcript,
                                              ASSAY_TRANSCRIPT_FORMAT_VTT, name, 0, error);
}

static gboolean
insert_recordings (sqlite3           *db,
                   AssayDemo         *demo,
                   GPtrArray         *recordings,
                   const char        *target_dir,
                   AssaySeedSummary  *summary,
                   GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) transcript_stmt = NULL;

  if (recordings->len == 0)
    return TRUE;

  stmt = _assay_store_prepare (db, "INSERT INTO recording (id, interaction_id, location, format,"
                                   " channels, agent_channel, duration_s, sha256)"
                                   " VALUES (?1, ?2, ?3, 'wav', ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  if (g_mkdir_with_parents (target_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_OPEN,
                   "Cannot create the folder %s: %s", target_dir, g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < recordings->len; i++)
    {
      Recording *r = g_ptr_array_index (recordings, i);
      g_autofree char *file_name = g_strconcat (r->name, ".wav", NULL);
      g_autofree char *dest = g_build_filename (target_dir, file_name, NULL);
      g_autofree char *sha256 = NULL;
      g_autofree char *id = NULL;

      if (r->interaction_id == NULL)
        {
          warn (summary, "%s: no phone call of the demo fits it (is the demo too small?), skipped",
                file_name);
          continue;
        }
      sha256 = copy_with_checksum (r->path, dest, error);
      if (sha256 == NULL)
        {
          g_prefix_error (error, "Cannot copy %s to %s: ", r->path, target_dir);
          return FALSE;
        }

      id = assay_demo_new_id (demo);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, r->interaction_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, dest, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, r->channels);
      if (r->channels >= 2)
        sqlite3_bind_int (stmt, 5, 0);      /* the agent on the left */
      else
        sqlite3_bind_null (stmt, 5);
      sqlite3_bind_double (stmt, 6, r->duration_s);
      sqlite3_bind_text (stmt, 7, sha256, -1, SQLITE_STATIC);
      if (!step_done (db, stmt, error))
        return FALSE;
      sqlite3_clear_bindings (stmt);
      summary->n_recordings++;
      if (!seed_call_transcript (db, &transcript_stmt, r, summary, error))
        return FALSE;
    }
  return TRUE;
}

/* QA work: scorecards, evaluations, the queue of "me" and a sampling draw */

/* the demo's sampling draw is made this long before the end, after all other QA work */
#define DRAW_BEFORE_END_MS (20 * 60 * 1000)

static gboolean
load_forms (SeedJob  *job,
            GError  **error)
{
  if (job->forms_dir == NULL)
    return TRUE;

  for (guint f = 0; f < N_FORMS; f++)
    {
      g_autofree char *path = g_build_filename (job->forms_dir, form_files[f], NULL);
      g_autofree char *json = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!g_file_get_contents (path, &json, NULL, &local_error))
        {
          g_set_error (error, G_FILE_ERROR, local_error->code,
                       "Cannot read the demo scorecard %s (the scorecards are in data/demo/forms): "
                       "%s", path, local_error->message);
          return FALSE;
        }
      job->forms[f] = assay_form_from_json (json, -1, &local_error);
      if (job->forms[f] == NULL)
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                       "The demo scorecard %s is not valid: %s", path, local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* the form as the store keeps a published version: as assay_store_publish_form_sync() does */
static char *
published_definition (const AssayForm *form)
{
  g_autoptr(AssayForm) copy = assay_form_copy (form);

  assay_form_publish (copy, NULL);
  return assay_form_to_json (copy);
}

/*
 * Publishes the demo scorecard @f under its own "id" (form.code) and version, unless that
 * version is published already: then the stored definition is what the answers are given on.
 */
static gboolean
insert_form (sqlite3           *db,
             AssayDemo         *demo,
             SeedJob           *job,
             guint              f,
             const char        *author_id,
             GError           **error)
{
  AssayForm *form = job->forms[f];
  g_autofree char *definition = published_definition (form);
  g_autofree char *form_id = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 published_at = assay_demo_get_start_ms (demo) - 7 * (gint64) 24 * 3600 * 1000;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT id FROM form WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, form->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    form_id = g_strdup (_assay_store_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (form_id == NULL)
    {
      form_id = assay_demo_new_id (demo);
      stmt = _assay_store_prepare (db, "INSERT INTO form (id, name, description, created_at, code,"
                                       " dirty) VALUES (?1, ?2, ?3, ?4, ?5, 0)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, form_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, form->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, form->description ? form->description : "", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, published_at);
      sqlite3_bind_text (stmt, 5, form->id, -1, SQLITE_STATIC);
      if (!step_done (db, stmt, error))
        return FALSE;
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  stmt = _assay_store_prepare (db, "SELECT id, definition, published_at IS NOT NULL"
                                   " FROM form_version WHERE form_id = ?1 AND version = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, form_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, form->version);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      AssayForm *stored;

      if (!sqlite3_column_int (stmt, 2))
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                       "Version %u of scorecard “%s” is an unpublished draft here: publish or "
                       "discard it first, then seed again", form->version, form->id);
          return FALSE;
        }
      job->version_ids[f] = g_strdup (_assay_store_column_text (stmt, 0));
      if (g_strcmp0 (_assay_store_column_text (stmt, 1), definition) == 0)
        return TRUE;
      stored = assay_form_from_json (_assay_store_column_text (stmt, 1), -1, &local_error);
      if (stored == NULL)
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                       "The stored version %u of scorecard “%s” is not valid (%s); delete that "
                       "scorecard, then seed again", form->version, form->id, local_error->message);
          return FALSE;
        }
      assay_form_unref (job->forms[f]);
      job->forms[f] = stored;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  job->version_ids[f] = assay_demo_new_id (demo);
  stmt = _assay_store_prepare (db, "INSERT INTO form_version (id, form_id, version, definition,"
                                   " published_at, author_id, dirty)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->version_ids[f], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, form_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, form->version);
  sqlite3_bind_text (stmt, 4, definition, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, published_at);
  _assay_store_bind_text_or_null (stmt, 6, author_id);
  return step_done (db, stmt, error);
}

static void
bind_score (sqlite3_stmt *stmt,
            int           idx,
            double        score)
{
  if (isnan (score))
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_double (stmt, idx, score);
}

typedef struct {
  sqlite3_stmt *assignment;
  sqlite3_stmt *evaluation;
  sqlite3_stmt *revision;
  sqlite3_stmt *draft;
} ReviewStatements;

static void
review_statements_clear (ReviewStatements *s)
{
  g_clear_pointer (&s->assignment, sqlite3_finalize);
  g_clear_pointer (&s->evaluation, sqlite3_finalize);
  g_clear_pointer (&s->revision, sqlite3_finalize);
  g_clear_pointer (&s->draft, sqlite3_finalize);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReviewStatements, review_statements_clear)

static gboolean
insert_revision (sqlite3             *db,
                 sqlite3_stmt        *stmt,
                 const char          *id,
                 const char          *evaluation_id,
                 int                  number,
                 const AssayAnswers  *answers,
                 const char          *author_id,
                 gint64               created_at,
                 const char          *reason,
                 GError             **error)
{
  g_autoptr(AssayScore) score = assay_score_compute (answers);
  g_autofree char *answers_json = assay_answers_to_json (answers);
  g_autofree char *results_json = assay_score_to_json (score, FALSE);

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, evaluation_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, number);
  sqlite3_bind_text (stmt, 4, answers_json, -1, SQLITE_STATIC);
  bind_score (stmt, 5, score->overall);
  sqlite3_bind_text (stmt, 6, results_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, author_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, created_at);
  _assay_store_bind_text_or_null (stmt, 9, reason);
  return step_done (db, stmt, error);
}

static gboolean
insert_review (sqlite3                *db,
               AssayDemo              *demo,
               SeedJob                *job,
               ReviewStatements       *s,
               const AssayDemoReview  *r,
               AssaySeedSummary       *summary,
               GError                **error)
{
  const AssayDemoStaff *staff = assay_demo_get_staff (demo, NULL);
  guint f = r->chinese ? FORM_ZH : FORM_EN;
  const char *inspector_id = staff[r->inspector].id;
  g_autofree char *assignment_id = NULL;
  g_autofree char *evaluation_id = NULL;
  g_autofree char *revision_id = NULL;
  g_autofree char *amendment_id = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayAnswers) amended = NULL;
  gboolean draft = r->state == ASSAY_DEMO_REVIEW_DRAFT;

  if (r->assigned)
    {
      assignment_id = assay_demo_new_id (demo);
      sqlite3_bind_text (s->assignment, 1, assignment_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (s->assignment, 2, r->interaction_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (s->assignment, 3, inspector_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (s->assignment, 4, job->version_ids[f], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (s->assignment, 5, r->due_at);
      sqlite3_bind_int64 (s->assignment, 6, r->assigned_at);
      if (!step_done (db, s->assignment, error))
        return FALSE;
      summary->n_assignments++;
    }
  if (r->state == ASSAY_DEMO_REVIEW_OPEN)
    return TRUE;

  answers = assay_demo_answer (demo, r, job->forms[f]);
  evaluation_id = assay_demo_new_id (demo);
  if (!draft)
    {
      revision_id = assay_demo_new_id (demo);
      if (r->amended_by >= 0)
        {
          amended = assay_demo_amend (demo, r, answers, &reason);
          amendment_id = assay_demo_new_id (demo);
        }
    }

  sqlite3_bind_text (s->evaluation, 1, evaluation_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s->evaluation, 2, r->interaction_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s->evaluation, 3, job->version_ids[f], -1, SQLITE_STATIC);
  sqlite3_bind_text (s->evaluation, 4, inspector_id, -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (s->evaluation, 5, assignment_id);
  sqlite3_bind_text (s->evaluation, 6, draft ? "draft" : "submitted", -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (s->evaluation, 7, amendment_id ? amendment_id : revision_id);
  sqlite3_bind_int64 (s->evaluation, 8, r->created_at);
  sqlite3_bind_int64 (s->evaluation, 9, amended ? r->amended_at : r->updated_at);
  if (!step_done (db, s->evaluation, error))
    return FALSE;

  if (draft)
    {
      g_autoptr(AssayScore) score = assay_score_compute (answers);
      g_autofree char *answers_json = assay_answers_to_json (answers);
      g_autofree char *results_json = assay_score_to_json (score, FALSE);

      sqlite3_bind_text (s->draft, 1, evaluation_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (s->draft, 2, answers_json, -1, SQLITE_STATIC);
      bind_score (s->draft, 3, score->overall);
      sqlite3_bind_text (s->draft, 4, results_json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (s->draft, 5, r->updated_at);
      sqlite3_bind_int (s->draft, 6, (int) MAX (1u, score->answered + score->na));
      if (!step_done (db, s->draft, error))
        return FALSE;
      summary->n_drafts++;
      return TRUE;
    }

  if (!insert_revision (db, s->revision, revision_id, evaluation_id, 1, answers, inspector_id,
                        r->updated_at, NULL, error))
    return FALSE;
  if (amended != NULL)
    {
      if (!insert_revision (db, s->revision, amendment_id, evaluation_id, 2, amended,
                            staff[r->amended_by].id, r->amended_at, reason, error))
        return FALSE;
      summary->n_amended++;
    }
  summary->n_evaluations++;
  return TRUE;
}

static gboolean
insert_reviews (sqlite3           *db,
                AssayDemo         *demo,
                SeedJob           *job,
                AssaySeedSummary  *summary,
                GError           **error)
{
  g_auto(ReviewStatements) s = { NULL, NULL, NULL, NULL };
  const AssayDemoReview *reviews;
  guint n_reviews;

  s.assignment = _assay_store_prepare (db, "INSERT INTO assignment (id, interaction_id,"
                                           " inspector_id, form_version_id, due_at, source,"
                                           " created_at, dirty)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, 'centre', ?6, 0)", error);
  s.evaluation = s.assignment ? _assay_store_prepare (db,
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, assignment_id,"
    " state, current_revision_id, created_at, updated_at, dirty)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)", error) : NULL;
  s.revision = s.evaluation ? _assay_store_prepare (db,
    "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, score, results,"
    " author_id, created_at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error) : NULL;
  s.draft = s.revision ? _assay_store_prepare (db,
    "INSERT INTO evaluation_draft (evaluation_id, answers, score, results, amending, saved_at,"
    " changes) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)", error) : NULL;
  if (s.draft == NULL)
    return FALSE;

  reviews = assay_demo_get_reviews (demo, &n_reviews);
  for (guint i = 0; i < n_reviews; i++)
    if (!insert_review (db, demo, job, &s, &reviews[i], summary, error))
      return FALSE;
  return TRUE;
}

static gint64 query_int (sqlite3     *db,
                         const char  *sql,
                         GError     **error);

/*
 * More submitted evaluations than the demo's own, up to @options.n_evaluations (for benchmarks):
 * answered calls and chats not yet reviewed, taken at an even stride in order of start, each
 * answered by the demo's model and scored like the others.
 */
static gboolean
insert_extra_reviews (sqlite3           *db,
                      AssayDemo         *demo,
                      SeedJob           *job,
                      AssaySeedSummary  *summary,
                      GError           **error)
{
  g_auto(ReviewStatements) s = { NULL, NULL, NULL, NULL };
  g_autoptr(GHashTable) reviewed = NULL;
  g_autoptr(GHashTable) agents = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) queues = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) inspectors = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const AssayDemoAgent *agent_list = NULL;
  const AssayDemoQueue *queue_list = NULL;
  const AssayDemoStaff *staff = NULL;
  guint n_agents = 0, n_queues = 0, n_staff = 0, need, taken = 0;
  gint64 n_candidates, k = 0;
  gint64 end_ms = assay_demo_get_end_ms (demo);
  double next = 0.0, stride;
  int rc;

  if (job->forms_dir == NULL || job->options.n_evaluations <= summary->n_evaluations)
    return TRUE;
  need = job->options.n_evaluations - summary->n_evaluations;

  ids = query_strings (db, "SELECT interaction_id FROM evaluation", NULL, 1, error);
  if (ids == NULL)
    return FALSE;
  reviewed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (reviewed, g_ptr_array_index (ids, i));
  n_candidates = query_int (db, "SELECT count(*) FROM interaction WHERE abandoned = 0"
                                " AND channel IN ('phone', 'chat')", error);
  if (n_candidates < 0)
    return FALSE;
  n_candidates -= g_hash_table_size (reviewed);
  if (n_candidates < need)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "Only %" G_GINT64_FORMAT " more contacts can be reviewed, not %u: ask for "
                   "fewer evaluations or more interactions", MAX (n_candidates, 0), need);
      return FALSE;
    }
  stride = (double) n_candidates / (double) need;

  agent_list = assay_demo_get_agents (demo, &n_agents);
  for (guint i = 0; i < n_agents; i++)
    g_hash_table_insert (agents, agent_list[i].id, GUINT_TO_POINTER (i));
  queue_list = assay_demo_get_queues (demo, &n_queues);
  for (guint i = 0; i < n_queues; i++)
    g_hash_table_insert (queues, queue_list[i].name, GUINT_TO_POINTER (i));
  staff = assay_demo_get_staff (demo, &n_staff);
  for (guint i = 0; i < n_staff; i++)
    if (strstr (staff[i].roles, "inspector") != NULL)
      g_array_append_val (inspectors, i);

  s.evaluation = _assay_store_prepare (db,
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, assignment_id,"
    " state, current_revision_id, created_at, updated_at, dirty)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)", error);
  s.revision = s.evaluation ? _assay_store_prepare (db,
    "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, score, results,"
    " author_id, created_at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error) : NULL;
  stmt = s.revision ? _assay_store_prepare (db,
    "SELECT id, channel, agent_id, queue, started_at, talk_s, hold_s, coalesce (fcr, 0)"
    " FROM interaction WHERE abandoned = 0 AND channel IN ('phone', 'chat')"
    " ORDER BY started_at, id", error) : NULL;
  if (stmt == NULL || inspectors->len == 0)
    return stmt != NULL;

  while (taken < need && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayDemoReview r = { 0 };
      gpointer agent, queue;

      r.interaction_id = (char *) sqlite3_column_text (stmt, 0);
      if (g_hash_table_contains (reviewed, r.interaction_id))
        continue;
      if (k++ < (gint64) next)
        continue;
      next += stride;
      if (!g_hash_table_lookup_extended (agents, sqlite3_column_text (stmt, 2), NULL, &agent)
          || !g_hash_table_lookup_extended (queues, sqlite3_column_text (stmt, 3), NULL, &queue))
        continue;
      r.channel = (char *) sqlite3_column_text (stmt, 1);
      r.agent = GPOINTER_TO_UINT (agent);
      r.queue = GPOINTER_TO_UINT (queue);
      r.chinese = queue_list[r.queue].chinese;
      r.started_at = sqlite3_column_int64 (stmt, 4);
      r.talk_s = sqlite3_column_int (stmt, 5);
      r.hold_s = sqlite3_column_int (stmt, 6);
      r.resolved = sqlite3_column_int (stmt, 7) == 1;
      r.recording = -1;
      r.state = ASSAY_DEMO_REVIEW_SUBMITTED;
      r.inspector = g_array_index (inspectors, guint, taken % inspectors->len);
      r.created_at = MIN (r.started_at + (gint64) r.talk_s * 1000 + 2 * 3600 * 1000,
                          end_ms - 31 * 60 * 1000);
      r.updated_at = MIN (r.created_at + 12 * 60 * 1000, end_ms - 60 * 1000);
      r.amended_by = -1;
      if (!insert_review (db, demo, job, &s, &r, summary, error))
        return FALSE;
      taken++;
    }
  return TRUE;
}

/* the offset from UTC of the demo's time zone (the local one) at @ms, in minutes */
static int
local_offset_min (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);

  return dt != NULL ? (int) (g_date_time_get_utc_offset (dt) / G_TIME_SPAN_MINUTE) : 0;
}

/*
 * The demo's sampling draw: two of last week's English calls per agent, low CSAT weighing
 * three times as much, for "me" on the English scorecard. Its candidates are read as
 * assay_store_draw_sync() reads them (docs/sampling.md), so that a replay confirms it.
 */
static gboolean
insert_draw (sqlite3           *db,
             AssayDemo         *demo,
             SeedJob           *job,
             AssaySeedSummary  *summary,
             GError           **error)
{
  const AssayDemoStaff *staff = assay_demo_get_staff (demo, NULL);
  const AssayDemoQueue *queues;
  const char *me_id = staff[assay_demo_get_me (demo)].id;
  gint64 drawn_at = assay_demo_get_end_ms (demo) - DRAW_BEFORE_END_MS;
  g_autoptr(AssaySamplingRule) rule = assay_sampling_rule_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStringChunk) strings = g_string_chunk_new (64 * 1024);
  g_autoptr(GArray) candidates = g_array_new (FALSE, TRUE, sizeof (AssaySamplingCandidate));
  g_autoptr(GArray) picks = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *rule_json = NULL;
  g_autofree char *draw_id = NULL;
  guint64 seed = (guint64) job->options.seed % 999999999u + 1;
  guint n_queues;
  gint64 due_at;
  int rc;

  queues = assay_demo_get_queues (demo, &n_queues);
  for (guint q = 0; q < n_queues; q++)
    if (strcmp (queues[q].channel, "phone") == 0 && !queues[q].chinese)
      g_ptr_array_add (names, queues[q].name);
  g_ptr_array_add (names, NULL);

  rule->week_offset_min = local_offset_min (drawn_at);
  assay_sampling_rule_set_weeks (rule, drawn_at, 1);
  rule->per_agent_per_week = 2;
  rule->channels = g_strsplit ("phone", ",", -1);
  rule->queues = g_strdupv ((char **) names->pdata);
  rule->low_csat_weight = 3;
  rule->form_version_id = g_strdup (job->version_ids[FORM_EN]);
  rule->inspector_id = g_strdup (me_id);
  if (!assay_sampling_rule_validate (rule, &local_error))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "The demo's sampling rule is not valid: %s", local_error->message);
      return FALSE;
    }
  rule_json = assay_sampling_rule_to_json (rule, FALSE);
  draw_id = assay_demo_new_id (demo);

  /* as read_candidates() of assay-store-queue.c: taken = assigned or evaluated before the draw */
  stmt = _assay_store_prepare (db,
    "SELECT i.id, i.agent_id, i.channel, i.queue, i.started_at, i.handle_s, i.csat,"
    " EXISTS (SELECT 1 FROM assignment a WHERE a.interaction_id = i.id AND a.created_at < ?3"
    "   AND a.draw_id IS NOT ?4)"
    " OR EXISTS (SELECT 1 FROM evaluation e WHERE e.interaction_id = i.id AND e.created_at < ?3)"
    " FROM interaction i WHERE i.started_at >= ?1 AND i.started_at < ?2 AND i.abandoned = 0"
    " AND i.channel = ?5 ORDER BY i.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rule->from_ms);
  sqlite3_bind_int64 (stmt, 2, rule->to_ms);
  sqlite3_bind_int64 (stmt, 3, drawn_at);
  sqlite3_bind_text (stmt, 4, draw_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, rule->channels[0], -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssaySamplingCandidate c = { 0 };

      c.id = g_string_chunk_insert (strings, _assay_store_column_text (stmt, 0));
      c.agent_id = g_string_chunk_insert_const (strings, _assay_store_column_text (stmt, 1));
      c.channel = g_string_chunk_insert_const (strings, _assay_store_column_text (stmt, 2));
      c.queue = g_string_chunk_insert_const (strings, _assay_store_column_text (stmt, 3));
      c.started_at = sqlite3_column_int64 (stmt, 4);
      c.handle_s = _assay_store_column_int_or_none (stmt, 5);
      c.csat = _assay_store_column_int_or_none (stmt, 6);
      c.taken = sqlite3_column_int (stmt, 7);
      g_array_append_val (candidates, c);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);
  picks = assay_sampling_draw (rule, seed, (const AssaySamplingCandidate *) candidates->data,
                               candidates->len);

  stmt = _assay_store_prepare (db, "INSERT INTO sampling_draw (id, rule, seed, drawn_at, drawn_by)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, draw_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rule_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (gint64) seed);
  sqlite3_bind_int64 (stmt, 4, drawn_at);
  sqlite3_bind_text (stmt, 5, me_id, -1, SQLITE_STATIC);
  if (!step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  due_at = drawn_at + (gint64) rule->due_days * 24 * 3600 * 1000;
  stmt = _assay_store_prepare (db, "INSERT INTO assignment (id, interaction_id, inspector_id,"
                                   " form_version_id, due_at, source, draw_id, created_at, dirty)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, 'sampling', ?6, ?7, 0)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < picks->len; i++)
    {
      const AssaySamplingCandidate *pick =
        &g_array_index (candidates, AssaySamplingCandidate, g_array_index (picks, guint, i));
      g_autofree char *id = assay_demo_new_id (demo);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, pick->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, me_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, job->version_ids[FORM_EN], -1, SQLITE_STATIC);
      _assay_store_bind_int_or_null (stmt, 5, due_at, rule->due_days == 0);
      sqlite3_bind_text (stmt, 6, draw_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, drawn_at);
      if (!step_done (db, stmt, error))
        return FALSE;
      summary->n_sampled++;
    }
  return TRUE;
}

static gboolean
insert_qa_work (sqlite3           *db,
                AssayDemo         *demo,
                SeedJob           *job,
                AssaySeedSummary  *summary,
                GError           **error)
{
  const AssayDemoStaff *staff;
  const char *author_id = NULL;
  guint n_staff;

  if (job->forms_dir == NULL)
    return TRUE;

  /* the scorecards were published by the centre's manager */
  staff = assay_demo_get_staff (demo, &n_staff);
  for (guint i = 0; i < n_staff && author_id == NULL; i++)
    if (strstr (staff[i].roles, "manager") != NULL)
      author_id = staff[i].id;

  for (guint f = 0; f < N_FORMS; f++)
    {
      if (!insert_form (db, demo, job, f, author_id, error))
        return FALSE;
      summary->n_forms++;
    }
  return insert_reviews (db, demo, job, summary, error)
         && insert_draw (db, demo, job, summary, error)
         && insert_extra_reviews (db, demo, job, summary, error)
         && _assay_store_seed_calibration (db, job->forms[FORM_EN], job->version_ids[FORM_EN],
                                           job->options.seed, error)
         && _assay_store_seed_insights (db, job->options.seed, error)
         && _assay_store_seed_audits (db, job->forms[FORM_EN], job->version_ids[FORM_EN],
                                      job->forms[FORM_ZH], job->version_ids[FORM_ZH],
                                      job->options.seed, error);
}

static gboolean
check_foreign_keys (sqlite3  *db,
                    GError  **error)
{
  g_autoptr(GPtrArray) broken = query_strings (db, "SELECT \"table\", parent FROM"
                                                   " pragma_foreign_key_check LIMIT 1",
                                               NULL, 2, error);

  if (broken == NULL)
    return FALSE;
  if (broken->len > 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "The demo would leave rows of %s pointing to missing rows of %s; nothing "
                   "was written", (const char *) g_ptr_array_index (broken, 0),
                   (const char *) g_ptr_array_index (broken, 1));
      return FALSE;
    }
  return TRUE;
}

static gboolean
seed_transaction (sqlite3           *db,
                  SeedJob           *job,
                  AssayDemo         *demo,
                  GPtrArray         *recordings,
                  gboolean           clear_outbox,
                  AssaySeedSummary  *summary,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autoptr(GPtrArray) indexes = NULL;
  g_autofree char *db_dir = NULL;

  if (!wipe (db, clear_outbox, error))
    return FALSE;

  indexes = query_strings (db, "SELECT name, sql FROM sqlite_schema WHERE type = 'index'"
                               " AND tbl_name = 'interaction' AND sql IS NOT NULL",
                           NULL, 2, error);
  if (indexes == NULL)
    return FALSE;
  for (guint i = 0; i + 1 < indexes->len; i += 2)
    if (!exec_printf (db, error, "DROP INDEX \"%w\"", (const char *) g_ptr_array_index (indexes, i)))
      return FALSE;

  if (!insert_people (db, demo, summary, error)
      || !insert_interactions (db, demo, recordings, !job->options.no_conversations, summary,
                               cancellable, error))
    return FALSE;

  for (guint i = 0; i + 1 < indexes->len; i += 2)
    if (!_assay_store_exec (db, g_ptr_array_index (indexes, i + 1), error))
      return FALSE;

  db_dir = g_path_get_dirname (job->db_path);
  summary->recordings_dir = g_build_filename (db_dir, "recordings", NULL);
  if (!insert_recordings (db, demo, recordings, summary->recordings_dir, summary, error)
      || !insert_qa_work (db, demo, job, summary, error))
    return FALSE;

  return check_foreign_keys (db, error);
}

typedef struct
{
  SeedJob          *job;
  AssayDemo        *demo;
  GPtrArray        *recordings;
  gboolean          clear_outbox;
  AssaySeedSummary *summary;
  GCancellable     *cancellable;
} SeedCall;

static gboolean
seed_call (sqlite3  *db,
           gpointer  data,
           GError  **error)
{
  SeedCall *call = data;

  if (!seed_transaction (db, call->job, call->demo, call->recordings, call->clear_outbox,
                         call->summary, call->cancellable, error))
    return FALSE;
  /* a seed writes (or replaces) everything */
  for (const char * const *c = assay_store_get_collections (); *c != NULL; c++)
    _assay_store_note_change (db, *c, NULL);
  return TRUE;
}

static gint64
query_int (sqlite3     *db,
           const char  *sql,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gpointer
seed_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  SeedJob *job = data;
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(AssayDemo) demo = NULL;
  g_autofree char *restore = NULL;
  AssaySeedSummary *summary;
  AssayDemoOptions demo_options;
  gint64 existing, cache_size;
  gboolean ok;

  existing = query_int (db, "SELECT count(*) FROM interaction", error);
  if (existing < 0)
    return NULL;
  if (existing > 0 && !job->options.force)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "The database already holds %" G_GINT64_FORMAT " interactions. Seeding it "
                   "replaces them and all work done on them, so it has to be forced.", existing);
      return NULL;
    }
  cache_size = query_int (db, "PRAGMA cache_size", error);
  if (cache_size == -1 && error != NULL && *error != NULL)
    return NULL;

  summary = g_new0 (AssaySeedSummary, 1);
  summary->warnings = g_ptr_array_new_with_free_func (g_free);

  recordings = load_recordings (job->recordings_dir, summary, error);
  if (recordings == NULL || !load_forms (job, error))
    {
      summary_free (summary);
      return NULL;
    }

  assay_demo_options_init (&demo_options);
  demo_options.n_interactions = job->options.n_interactions;
  demo_options.n_days = job->options.n_days;
  demo_options.seed = job->options.seed;
  demo_options.end_ms = job->options.end_ms;
  demo = assay_demo_new (&demo_options);
  for (guint i = 0; i < recordings->len; i++)
    {
      Recording *r = g_ptr_array_index (recordings, i);
      AssayDemoRecording plan = { r->name, r->queue, r->agent, r->duration_s, r->hold_s };

      assay_demo_add_recording (demo, &plan);
    }

  /* a large page cache while the rows go in; foreign keys are checked once at the end */
  restore = g_strdup_printf ("PRAGMA foreign_keys = ON; PRAGMA cache_size = %" G_GINT64_FORMAT,
                             cache_size);
  ok = _assay_store_exec (db, "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -262144", error);
  if (ok)
    {
      SeedCall call = { job, demo, recordings, existing > 0, summary, cancellable };

      ok = _assay_store_in_transaction_ok (db, seed_call, &call, error);
    }
  sqlite3_exec (db, restore, NULL, NULL, NULL);

  if (!ok)
    {
      summary_free (summary);
      return NULL;
    }

  /* give the write-ahead log of a large seed back to the disk */
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  return summary;
}

static SeedJob *
seed_job_new (AssayStore             *self,
              const AssaySeedOptions *options)
{
  SeedJob *job = g_new0 (SeedJob, 1);

  job->options = *options;
  job->recordings_dir = g_strdup (options->recordings_dir);
  job->options.recordings_dir = NULL;
  job->forms_dir = g_strdup (options->forms_dir);
  job->options.forms_dir = NULL;
  job->db_path = g_canonicalize_filename (assay_store_get_path (self), NULL);
  return job;
}

void
assay_seed_options_init (AssaySeedOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_interactions = ASSAY_DEMO_DEFAULT_INTERACTIONS;
  options->n_days = ASSAY_DEMO_DEFAULT_DAYS;
  options->seed = ASSAY_DEMO_DEFAULT_SEED;
}

void
assay_seed_summary_clear (AssaySeedSummary *summary)
{
  g_return_if_fail (summary != NULL);

  g_clear_pointer (&summary->recordings_dir, g_free);
  g_clear_pointer (&summary->warnings, g_ptr_array_unref);
}

static gboolean
check_options (const AssaySeedOptions  *options,
               GError                 **error)
{
  if (options->n_days < 1 || options->n_days > ASSAY_DEMO_MAX_DAYS)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   "The demo needs between 1 and %d days, not %u", ASSAY_DEMO_MAX_DAYS,
                   options->n_days);
      return FALSE;
    }
  return TRUE;
}

gboolean
assay_store_seed_sync (AssayStore              *self,
                       const AssaySeedOptions  *options,
                       AssaySeedSummary        *summary,
                       GError                 **error)
{
  AssaySeedSummary *result;
  SeedJob *job;

  g_return_val_if_fail (ASSAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (!check_options (options, error))
    return FALSE;

  job = seed_job_new (self, options);
  result = _assay_store_run_sync (self, seed_func, job, error);
  seed_job_free (job);
  if (result == NULL)
    return FALSE;

  if (summary != NULL)
    *summary = *result;
  else
    assay_seed_summary_clear (result);
  g_free (result);
  return TRUE;
}

void
assay_store_seed_async (AssayStore             *self,
                        const AssaySeedOptions *options,
                        GCancellable           *cancellable,
                        GAsyncReadyCallback     callback,
                        gpointer                user_data)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ASSAY_IS_STORE (self));
  g_return_if_fail (options != NULL);

  if (!check_options (options, &error))
    {
      g_task_report_error (self, callback, user_data, assay_store_seed_async,
                           g_steal_pointer (&error));
      return;
    }
  _assay_store_run_async (self, seed_func, seed_job_new (self, options), seed_job_free,
                          summary_free, assay_store_seed_async, cancellable, callback, user_data);
}

gboolean
assay_store_seed_finish (AssayStore        *self,
                         GAsyncResult      *result,
                         AssaySeedSummary  *summary,
                         GError           **error)
{
  AssaySeedSummary *value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = _assay_store_run_finish (self, result, error);
  if (value == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = *value;
  else
    assay_seed_summary_clear (value);
  g_free (value);
  return TRUE;
}
