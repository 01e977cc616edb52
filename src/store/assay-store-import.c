/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "assay-store-private.h"
#include "assay-store-transcript-private.h"
#include "core/assay-csv.h"
#include "core/assay-interaction-csv.h"
#include "core/assay-util.h"
#include "core/assay-wav.h"

/*
 * CSV import and export (docs/csv.md).
 *
 * An import is one transaction on the worker: every record is checked, good ones are written
 * as they come (so ids repeated within the file and rows clashing with the database are found
 * too), and at the end the transaction commits only if no record was bad. The file is read as
 * a stream; memory grows with the number of agents, teams and queues (and of replaced ids with
 * --update), not with the number of rows.
 */

#define FLUSH_SIZE (64 * 1024)

static const char *const audio_formats[] = {
  "wav", "mp3", "ogg", "oga", "opus", "flac", "m4a", "aac", "webm", "wma",
};

typedef struct {
  GInputStream     *input;
  char             *name;
  char             *recordings_dir;
  AssayImportFlags  flags;
  GCancellable     *cancellable;
} ImportJob;

typedef struct {
  char *id;
  char *team_id;
} AgentInfo;

typedef struct {
  sqlite3            *db;
  ImportJob          *job;
  AssayCsvReader     *reader;
  AssayImportSummary  summary;
  GString            *report;
  guint64             n_problems;
  guint64             n_bad_rows;
  GHashTable         *agents;    /* employee code -> AgentInfo */
  GHashTable         *teams;     /* name -> id */
  GHashTable         *queues;    /* names known to exist */
  GHashTable         *updated;   /* ids replaced by this import (--update) */
  gint64              max_rowid; /* interactions above it were written by this import */
  char               *recordings_canonical; /* the recordings folder, as given, made absolute */
  char               *recordings_real;      /* and with its links resolved (NULL: unreadable) */

  sqlite3_stmt       *find_agent;
  sqlite3_stmt       *insert_agent;
  sqlite3_stmt       *find_team;
  sqlite3_stmt       *insert_team;
  sqlite3_stmt       *find_interaction;
  sqlite3_stmt       *insert_interaction;
  sqlite3_stmt       *update_interaction;
  sqlite3_stmt       *insert_queue;
  sqlite3_stmt       *find_recording;
  sqlite3_stmt       *insert_recording;
  sqlite3_stmt       *update_recording;
  int                 transcript_field;  /* its position in the header, or -1 */
} Import;

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_clear_object (&job->input);
  g_free (job->name);
  g_free (job->recordings_dir);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
agent_info_free (gpointer data)
{
  AgentInfo *info = data;

  g_free (info->id);
  g_free (info->team_id);
  g_free (info);
}

static void
import_clear (Import *imp)
{
  g_clear_pointer (&imp->reader, assay_csv_reader_free);
  if (imp->report != NULL)
    g_string_free (g_steal_pointer (&imp->report), TRUE);
  g_clear_pointer (&imp->agents, g_hash_table_unref);
  g_clear_pointer (&imp->teams, g_hash_table_unref);
  g_clear_pointer (&imp->queues, g_hash_table_unref);
  g_clear_pointer (&imp->updated, g_hash_table_unref);
  g_clear_pointer (&imp->recordings_canonical, g_free);
  g_clear_pointer (&imp->recordings_real, free);
  g_clear_pointer (&imp->find_agent, sqlite3_finalize);
  g_clear_pointer (&imp->insert_agent, sqlite3_finalize);
  g_clear_pointer (&imp->find_team, sqlite3_finalize);
  g_clear_pointer (&imp->insert_team, sqlite3_finalize);
  g_clear_pointer (&imp->find_interaction, sqlite3_finalize);
  g_clear_pointer (&imp->insert_interaction, sqlite3_finalize);
  g_clear_pointer (&imp->update_interaction, sqlite3_finalize);
  g_clear_pointer (&imp->insert_queue, sqlite3_finalize);
  g_clear_pointer (&imp->find_recording, sqlite3_finalize);
  g_clear_pointer (&imp->insert_recording, sqlite3_finalize);
  g_clear_pointer (&imp->update_recording, sqlite3_finalize);
}

static gssize
input_read (gpointer   user_data,
            char      *buffer,
            gsize      size,
            GError   **error)
{
  ImportJob *job = user_data;

  return g_input_stream_read (job->input, buffer, size, job->cancellable, error);
}

static void
report (Import     *imp,
        guint64     line,
        const char *message)
{
  imp->n_problems++;
  if (imp->n_problems > ASSAY_IMPORT_MAX_REPORTED)
    return;
  g_string_append_printf (imp->report, "%s:%" G_GUINT64_FORMAT ": %s\n", imp->job->name, line,
                          message);
}

static gboolean
prepare_all (Import  *imp,
             GError **error)
{
  static const char insert_sql[] =
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, customer_ref, started_at,"
    " wait_s, talk_s, hold_s, wrap_s, csat, nps, fcr, answered_in_sl, abandoned, priority,"
    " first_response_s, first_response_target_s, resolution_s, resolution_target_s)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21)";
  static const char update_sql[] =
    "UPDATE interaction SET channel = ?2, queue = ?3, agent_id = ?4, team_id = ?5,"
    " customer_ref = ?6, started_at = ?7, wait_s = ?8, talk_s = ?9, hold_s = ?10, wrap_s = ?11,"
    " csat = ?12, nps = ?13, fcr = ?14, answered_in_sl = ?15, abandoned = ?16, priority = ?17,"
    " first_response_s = ?18, first_response_target_s = ?19, resolution_s = ?20,"
    " resolution_target_s = ?21 WHERE id = ?1";
  sqlite3 *db = imp->db;

  return (imp->find_agent = _assay_store_prepare (db,
            "SELECT id, team_id FROM agent WHERE employee_code = ?1", error))
         && (imp->insert_agent = _assay_store_prepare (db,
            "INSERT INTO agent (id, team_id, name, employee_code) VALUES (?1, ?2, ?3, ?4)", error))
         && (imp->find_team = _assay_store_prepare (db,
            "SELECT id FROM team WHERE name = ?1 ORDER BY rowid LIMIT 1", error))
         && (imp->insert_team = _assay_store_prepare (db,
            "INSERT INTO team (id, name) VALUES (?1, ?2)", error))
         && (imp->find_interaction = _assay_store_prepare (db,
            "SELECT rowid FROM interaction WHERE id = ?1", error))
         && (imp->insert_interaction = _assay_store_prepare (db, insert_sql, error))
         && (imp->update_interaction = _assay_store_prepare (db, update_sql, error))
         && (imp->insert_queue = _assay_store_prepare (db,
            "INSERT OR IGNORE INTO queue (name, channel) VALUES (?1, ?2)", error))
         && (imp->find_recording = _assay_store_prepare (db,
            "SELECT id FROM recording WHERE interaction_id = ?1 AND location = ?2", error))
         && (imp->insert_recording = _assay_store_prepare (db,
            "INSERT INTO recording (id, interaction_id, location, format, channels,"
            " agent_channel, duration_s) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error))
         && (imp->update_recording = _assay_store_prepare (db,
            "UPDATE recording SET format = ?2, channels = ?3, agent_channel = ?4,"
            " duration_s = ?5 WHERE id = ?1", error));
}

/* Runs a statement that returns no row, then resets it. */
static gboolean
step_done (Import        *imp,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (imp->db, rc, error);
  return TRUE;
}

static const char *
get_team (Import      *imp,
          const char  *name,
          GError     **error)
{
  const char *id = g_hash_table_lookup (imp->teams, name);
  g_autofree char *new_id = NULL;
  int rc;

  if (id != NULL)
    return id;

  sqlite3_bind_text (imp->find_team, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (imp->find_team);
  if (rc == SQLITE_ROW)
    new_id = g_strdup (_assay_store_column_text (imp->find_team, 0));
  sqlite3_reset (imp->find_team);
  sqlite3_clear_bindings (imp->find_team);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _assay_store_set_error (imp->db, rc, error);
      return NULL;
    }

  if (new_id == NULL)
    {
      new_id = assay_uuid_new ();
      sqlite3_bind_text (imp->insert_team, 1, new_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (imp->insert_team, 2, name, -1, SQLITE_STATIC);
      if (!step_done (imp, imp->insert_team, error))
        return NULL;
      imp->summary.n_teams_created++;
    }

  id = new_id;
  g_hash_table_insert (imp->teams, g_strdup (name), g_steal_pointer (&new_id));
  return id;
}

static const AgentInfo *
get_agent (Import                       *imp,
           const AssayInteractionCsvRow *row,
           GError                      **error)
{
  AgentInfo *info = g_hash_table_lookup (imp->agents, row->agent_code);
  int rc;

  if (info != NULL)
    return info;

  info = g_new0 (AgentInfo, 1);
  sqlite3_bind_text (imp->find_agent, 1, row->agent_code, -1, SQLITE_STATIC);
  rc = sqlite3_step (imp->find_agent);
  if (rc == SQLITE_ROW)
    {
      info->id = g_strdup (_assay_store_column_text (imp->find_agent, 0));
      info->team_id = g_strdup (_assay_store_column_text (imp->find_agent, 1));
    }
  sqlite3_reset (imp->find_agent);
  sqlite3_clear_bindings (imp->find_agent);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      agent_info_free (info);
      _assay_store_set_error (imp->db, rc, error);
      return NULL;
    }

  if (info->id == NULL)
    {
      /* a new agent joins the team of the first row that names them */
      if (row->team_name != NULL)
        {
          const char *team_id = get_team (imp, row->team_name, error);

          if (team_id == NULL)
            {
              agent_info_free (info);
              return NULL;
            }
          info->team_id = g_strdup (team_id);
        }
      info->id = assay_uuid_new ();
      sqlite3_bind_text (imp->insert_agent, 1, info->id, -1, SQLITE_STATIC);
      _assay_store_bind_text_or_null (imp->insert_agent, 2, info->team_id);
      sqlite3_bind_text (imp->insert_agent, 3,
                         row->agent_name ? row->agent_name : row->agent_code, -1, SQLITE_STATIC);
      sqlite3_bind_text (imp->insert_agent, 4, row->agent_code, -1, SQLITE_STATIC);
      if (!step_done (imp, imp->insert_agent, error))
        {
          agent_info_free (info);
          return NULL;
        }
      imp->summary.n_agents_created++;
    }

  g_hash_table_insert (imp->agents, g_strdup (row->agent_code), info);
  return info;
}

static void
bind_int (sqlite3_stmt *stmt,
          int           idx,
          int           value)
{
  _assay_store_bind_int_or_null (stmt, idx, value, value == ASSAY_NONE);
}

static void
bind_facts (sqlite3_stmt                *stmt,
            const AssayInteractionFacts *facts)
{
  sqlite3_bind_text (stmt, 1, facts->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, facts->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, facts->queue, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, facts->agent_id, -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (stmt, 5, facts->team_id);
  _assay_store_bind_text_or_null (stmt, 6, facts->customer_ref);
  sqlite3_bind_int64 (stmt, 7, facts->started_at);
  bind_int (stmt, 8, facts->wait_s);
  bind_int (stmt, 9, facts->talk_s);
  bind_int (stmt, 10, facts->hold_s);
  bind_int (stmt, 11, facts->wrap_s);
  bind_int (stmt, 12, facts->csat);
  bind_int (stmt, 13, facts->nps);
  bind_int (stmt, 14, facts->fcr);
  bind_int (stmt, 15, facts->answered_in_sl);
  bind_int (stmt, 16, facts->abandoned);
  _assay_store_bind_text_or_null (stmt, 17, facts->priority);
  bind_int (stmt, 18, facts->first_response_s);
  bind_int (stmt, 19, facts->first_response_target_s);
  bind_int (stmt, 20, facts->resolution_s);
  bind_int (stmt, 21, facts->resolution_target_s);
}

static gssize
probe_wav_read (gpointer   user_data,
                guint64    offset,
                guint8    *buffer,
                gsize      count,
                GError   **error)
{
  FILE *f = user_data;

  if (offset > G_MAXLONG || fseek (f, (long) offset, SEEK_SET) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot seek in the file");
      return -1;
    }
  return (gssize) fread (buffer, 1, count, f);
}

/*
 * Channels and duration from a RIFF/WAVE header (core/assay-wav.h). Anything unexpected leaves
 * them unknown (0 and -1): the file is still linked.
 */
static void
probe_wav (const char *path,
           int        *out_channels,
           double     *out_duration)
{
  AssayWavHeader header;
  GStatBuf sb;
  FILE *f;

  *out_channels = 0;
  *out_duration = -1;

  if (g_stat (path, &sb) != 0)
    return;
  f = g_fopen (path, "rb");
  if (f == NULL)
    return;
  if (assay_wav_read_header (probe_wav_read, f, (guint64) sb.st_size, &header, NULL))
    {
      if (header.channels >= 1 && header.channels <= 8)
        *out_channels = (int) header.channels;
      if (header.byte_rate > 0)
        *out_duration = (double) header.data_size / header.byte_rate;
    }
  fclose (f);
}

typedef struct {
  char   *location;
  char   *format;
  int     channels;   /* 0: unknown */
  double  duration;   /* < 0: unknown */
} RecordingInfo;

static void
recording_info_clear (RecordingInfo *info)
{
  g_clear_pointer (&info->location, g_free);
  g_clear_pointer (&info->format, g_free);
}

static char *
format_from_name (const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  const char *dot;

  /* a URL's query does not belong to the file name */
  base[strcspn (base, "?#")] = '\0';
  dot = strrchr (base, '.');
  if (dot == NULL || dot[1] == '\0')
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (audio_formats); i++)
    if (g_ascii_strcasecmp (dot + 1, audio_formats[i]) == 0)
      return g_strdup (audio_formats[i]);
  return NULL;
}

/* Whether @path is @folder or lies under it (both canonical, without a trailing '/'). */
static gboolean
inside (const char *path,
        const char *folder)
{
  gsize n = strlen (folder);

  if (n == 1 && folder[0] == G_DIR_SEPARATOR)
    return TRUE;
  return strncmp (path, folder, n) == 0 && path[n] == G_DIR_SEPARATOR;
}

/* Finds the recording of @row; a problem is a message for the 'recording' column. */
static char *
resolve_recording (Import                       *imp,
                   const AssayInteractionCsvRow *row,
                   RecordingInfo                *info)
{
  const char *value = row->recording;
  g_autofree char *path = NULL;
  g_autofree char *real = NULL;

  memset (info, 0, sizeof *info);
  info->duration = -1;

  /* URLs, '..' and backslashes were refused with the row (assay_recording_name_problem());
   * what is left must be a file inside the recordings folder, also once links are followed:
   * the file's real path must lie in the folder's real path */
  path = g_canonicalize_filename (value, imp->recordings_canonical);
  real = realpath (path, NULL);
  if (real != NULL ? imp->recordings_real == NULL || !inside (real, imp->recordings_real)
                   : !inside (path, imp->recordings_canonical))
    {
      if (g_path_is_absolute (value))
        return g_strdup_printf ("column 'recording': %s is not in the recordings folder %s; "
                                "copy it there or give its folder with --recordings", value,
                                imp->recordings_canonical);
      return g_strdup_printf ("column 'recording': %s is a link that leads out of the "
                              "recordings folder (to %s); copy the file into the folder", value,
                              real);
    }

  info->format = format_from_name (value);
  if (info->format == NULL)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (gsize i = 0; i < G_N_ELEMENTS (audio_formats); i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "", audio_formats[i]);
      return g_strdup_printf ("column 'recording': '%s' is not an audio file name (one of %s)",
                              value, list->str);
    }

  if (real == NULL)
    return g_strdup_printf ("column 'recording': there is no file %s; give the folder of the "
                            "recordings with --recordings", path);
  if (!g_file_test (real, G_FILE_TEST_IS_REGULAR))
    return g_strdup_printf ("column 'recording': %s is not a file", path);

  info->location = g_canonicalize_filename (path, NULL);
  if (g_str_equal (info->format, "wav"))
    probe_wav (info->location, &info->channels, &info->duration);

  if (row->recording_agent_channel != ASSAY_NONE && info->channels > 0
      && row->recording_agent_channel >= info->channels)
    return g_strdup_printf ("column 'recording_agent_channel': %s has %d channel%s, so the "
                            "agent cannot be on channel %d", value, info->channels,
                            info->channels == 1 ? "" : "s", row->recording_agent_channel);
  return NULL;
}

static gboolean
link_recording (Import                       *imp,
                const AssayInteractionCsvRow *row,
                const RecordingInfo          *info,
                GError                      **error)
{
  g_autofree char *existing = NULL;
  sqlite3_stmt *stmt;
  int rc;

  sqlite3_bind_text (imp->find_recording, 1, row->facts.id, -1, SQLITE_STATIC);
  sqlite3_bind_text (imp->find_recording, 2, info->location, -1, SQLITE_STATIC);
  rc = sqlite3_step (imp->find_recording);
  if (rc == SQLITE_ROW)
    existing = g_strdup (_assay_store_column_text (imp->find_recording, 0));
  sqlite3_reset (imp->find_recording);
  sqlite3_clear_bindings (imp->find_recording);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _assay_store_set_error (imp->db, rc, error);

  if (existing != NULL)
    {
      stmt = imp->update_recording;
      sqlite3_bind_text (stmt, 1, existing, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, info->format, -1, SQLITE_STATIC);
      _assay_store_bind_int_or_null (stmt, 3, info->channels, info->channels <= 0);
      bind_int (stmt, 4, row->recording_agent_channel);
      if (info->duration >= 0)
        sqlite3_bind_double (stmt, 5, info->duration);
      else
        sqlite3_bind_null (stmt, 5);
      return step_done (imp, stmt, error);
    }

  {
    g_autofree char *id = assay_uuid_new ();

    stmt = imp->insert_recording;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, row->facts.id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, info->location, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, info->format, -1, SQLITE_STATIC);
    _assay_store_bind_int_or_null (stmt, 5, info->channels, info->channels <= 0);
    bind_int (stmt, 6, row->recording_agent_channel);
    if (info->duration >= 0)
      sqlite3_bind_double (stmt, 7, info->duration);
    else
      sqlite3_bind_null (stmt, 7);
    if (!step_done (imp, stmt, error))
      return FALSE;
    imp->summary.n_recordings++;
    return TRUE;
  }
}

/* Transcripts -------------------------------------------------------------------------------- */

#define MAX_TRANSCRIPT_BYTES (16 * 1024 * 1024)

/*
 * @value as a file inside @folder, or %NULL with @problem set: no URL, no absolute path, no
 * "..", and no symbolic link that leads out of the folder. What the CSV names is read from the
 * folder the user gave and nowhere else.
 */
static char *
confined_path (const char  *folder,
               const char  *value,
               char       **problem)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *path = NULL;
  g_autofree char *real_folder = NULL;
  g_autofree char *real_path = NULL;
  g_autofree char *prefix = NULL;

  if (strstr (value, "://") != NULL || g_str_has_prefix (value, "file:"))
    {
      *problem = g_strdup_printf ("'%s' is a URL; name a file in the folder given with "
                                  "--recordings", value);
      return NULL;
    }
  if (g_path_is_absolute (value) || value[0] == '~' || strchr (value, '\\') != NULL)
    {
      *problem = g_strdup_printf ("'%s' is not a name relative to the folder given with "
                                  "--recordings; name the file from that folder", value);
      return NULL;
    }
  parts = g_strsplit (value, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], "..") == 0)
      {
        *problem = g_strdup_printf ("'%s' leads out of the folder given with --recordings "
                                    "(\"..\"); name a file inside it", value);
        return NULL;
      }
  path = g_build_filename (folder, value, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      *problem = g_strdup_printf ("there is no file %s; give the folder of the files with "
                                  "--recordings", path);
      return NULL;
    }
  real_folder = realpath (folder, NULL);
  real_path = realpath (path, NULL);
  if (real_folder == NULL || real_path == NULL)
    {
      *problem = g_strdup_printf ("%s cannot be read: %s", path, g_strerror (errno));
      return NULL;
    }
  prefix = g_str_has_suffix (real_folder, "/") ? g_strdup (real_folder)
                                               : g_strconcat (real_folder, "/", NULL);
  if (!g_str_has_prefix (real_path, prefix))
    {
      *problem = g_strdup_printf ("%s is a link to %s, outside the folder given with "
                                  "--recordings; copy the file into the folder", path, real_path);
      return NULL;
    }
  if (!g_file_test (real_path, G_FILE_TEST_IS_REGULAR))
    {
      *problem = g_strdup_printf ("%s is not a file", path);
      return NULL;
    }
  return g_steal_pointer (&real_path);
}

/* Reads the transcript (a call) or conversation (a chat or email) that @row names. */
static AssayUtterances *
read_transcript (Import                       *imp,
                 const AssayInteractionCsvRow *row,
                 AssayTranscriptFormat        *format,
                 char                        **problem)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autofree char *why = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(AssayUtterances) utterances = NULL;
  gboolean is_call = g_strcmp0 (row->facts.channel, "phone") == 0;
  GStatBuf st;
  gsize length;

  path = confined_path (imp->job->recordings_dir, row->transcript, &why);
  if (path == NULL)
    {
      *problem = g_strdup_printf ("column 'transcript': %s", why);
      return NULL;
    }
  if (g_stat (path, &st) == 0 && st.st_size > MAX_TRANSCRIPT_BYTES)
    {
      *problem = g_strdup_printf ("column 'transcript': %s is larger than %d MB; a transcript is "
                                  "text: check the file", row->transcript,
                                  MAX_TRANSCRIPT_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &length, &local))
    {
      *problem = g_strdup_printf ("column 'transcript': %s", local->message);
      return NULL;
    }
  utterances = assay_transcript_parse (data, length, row->transcript, format, &local);
  if (utterances == NULL)
    {
      *problem = g_strdup_printf ("column 'transcript': %s", local->message);
      return NULL;
    }
  if (is_call != (utterances->kind == ASSAY_TRANSCRIPT_CALL))
    {
      *problem = g_strdup_printf ("column 'transcript': %s is a %s, but the contact is %s %s: "
                                  "a call takes a transcript, a chat or email its conversation "
                                  "(docs/transcripts.md)", row->transcript,
                                  is_call ? "conversation" : "call transcript",
                                  g_strcmp0 (row->facts.channel, "email") == 0 ? "an" : "a",
                                  row->facts.channel);
      return NULL;
    }
  return g_steal_pointer (&utterances);
}

/*
 * Writes one good record. A clash with the database is reported as a problem of the row
 * (returns TRUE); only a database failure returns FALSE.
 */
static gboolean
write_row (Import                 *imp,
           AssayInteractionCsvRow *row,
           guint64                 line,
           guint64                 id_line,
           guint64                 recording_line,
           GError                **error)
{
  AssayInteractionFacts *facts = &row->facts;
  const AgentInfo *agent;
  RecordingInfo recording = { 0 };
  g_autoptr(AssayUtterances) transcript = NULL;
  AssayTranscriptFormat transcript_format = ASSAY_TRANSCRIPT_FORMAT_JSON;
  gboolean update = FALSE;
  gint64 rowid = 0;
  int rc;

  if (row->recording != NULL)
    {
      g_autofree char *problem = resolve_recording (imp, row, &recording);

      if (problem != NULL)
        {
          report (imp, recording_line, problem);
          recording_info_clear (&recording);
          return TRUE;
        }
    }
  if (row->transcript != NULL)
    {
      g_autofree char *problem = NULL;

      transcript = read_transcript (imp, row, &transcript_format, &problem);
      if (transcript == NULL)
        {
          report (imp, imp->transcript_field >= 0
                         ? assay_csv_reader_get_field_line (imp->reader,
                                                            (guint) imp->transcript_field)
                         : line, problem);
          recording_info_clear (&recording);
          return TRUE;
        }
    }

  if (facts->id == NULL)
    facts->id = assay_uuid_new ();
  else
    {
      sqlite3_bind_text (imp->find_interaction, 1, facts->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (imp->find_interaction);
      if (rc == SQLITE_ROW)
        rowid = sqlite3_column_int64 (imp->find_interaction, 0);
      sqlite3_reset (imp->find_interaction);
      sqlite3_clear_bindings (imp->find_interaction);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          recording_info_clear (&recording);
          return _assay_store_set_error (imp->db, rc, error);
        }

      if (rc == SQLITE_ROW)
        {
          g_autofree char *problem = NULL;

          if (rowid > imp->max_rowid || g_hash_table_contains (imp->updated, facts->id))
            problem = g_strdup_printf ("column 'id': '%s' appears more than once in this file",
                                       facts->id);
          else if (!(imp->job->flags & ASSAY_IMPORT_UPDATE))
            problem = g_strdup_printf ("column 'id': interaction '%s' already exists; import "
                                       "with --update to replace it", facts->id);
          if (problem != NULL)
            {
              report (imp, id_line, problem);
              recording_info_clear (&recording);
              return TRUE;
            }
          update = TRUE;
        }
    }

  agent = get_agent (imp, row, error);
  if (agent == NULL)
    {
      recording_info_clear (&recording);
      return FALSE;
    }
  facts->agent_id = g_strdup (agent->id);
  if (row->team_name != NULL)
    {
      const char *team_id = get_team (imp, row->team_name, error);

      if (team_id == NULL)
        {
          recording_info_clear (&recording);
          return FALSE;
        }
      facts->team_id = g_strdup (team_id);
    }
  else
    facts->team_id = g_strdup (agent->team_id);

  if (!g_hash_table_contains (imp->queues, facts->queue))
    {
      sqlite3_bind_text (imp->insert_queue, 1, facts->queue, -1, SQLITE_STATIC);
      sqlite3_bind_text (imp->insert_queue, 2, facts->channel, -1, SQLITE_STATIC);
      if (!step_done (imp, imp->insert_queue, error))
        {
          recording_info_clear (&recording);
          return FALSE;
        }
      g_hash_table_add (imp->queues, g_strdup (facts->queue));
    }

  {
    sqlite3_stmt *stmt = update ? imp->update_interaction : imp->insert_interaction;

    bind_facts (stmt, facts);
    if (!step_done (imp, stmt, error))
      {
        g_prefix_error (error, "%s:%" G_GUINT64_FORMAT ": ", imp->job->name, line);
        recording_info_clear (&recording);
        return FALSE;
      }
    _assay_store_note_change (imp->db, ASSAY_STORE_INTERACTIONS, facts->id);
  }
  if (update)
    {
      g_hash_table_add (imp->updated, g_strdup (facts->id));
      imp->summary.n_updated++;
    }
  imp->summary.n_interactions++;

  if (recording.location != NULL && !link_recording (imp, row, &recording, error))
    {
      recording_info_clear (&recording);
      return FALSE;
    }
  recording_info_clear (&recording);
  if (transcript != NULL)
    {
      if (!_assay_store_put_transcript_locked (imp->db, facts->id, transcript, transcript_format,
                                               row->transcript, error))
        return FALSE;
      imp->summary.n_transcripts++;
    }
  return TRUE;
}

static gboolean
record_is_blank (const char *const *fields,
                 guint              n_fields)
{
  if (n_fields != 1)
    return FALSE;
  for (const char *p = fields[0]; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Reads every record; FALSE only for failures that are not the file's fault. */
static gboolean
import_records (Import  *imp,
                GError **error)
{
  AssayInteractionCsvHeader header;
  g_autoptr(GArray) problems = assay_csv_problems_new ();
  AssayInteractionCsvRow row;
  gboolean have_header = FALSE;
  guint64 n_records = 0;

  assay_interaction_csv_row_init (&row);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      const char *const *fields;
      guint n_fields;
      guint64 line;

      if (!assay_csv_reader_next (imp->reader, &local_error))
        {
          if (local_error == NULL)
            break;
          if (local_error->domain != ASSAY_CSV_ERROR)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                          imp->job->name);
              assay_interaction_csv_row_clear (&row);
              return FALSE;
            }
          report (imp, assay_csv_reader_get_line (imp->reader), local_error->message);
          if (!have_header)
            break;
          imp->n_bad_rows++;
          continue;
        }

      fields = assay_csv_reader_get_fields (imp->reader);
      n_fields = assay_csv_reader_get_n_fields (imp->reader);
      line = assay_csv_reader_get_line (imp->reader);

      if (!have_header)
        {
          if (!assay_interaction_csv_header_parse (&header, fields, n_fields, &local_error))
            {
              report (imp, line, local_error->message);
              break;
            }
          have_header = TRUE;
          imp->transcript_field = header.position[ASSAY_CSV_COLUMN_TRANSCRIPT];
          continue;
        }

      if (record_is_blank (fields, n_fields) && header.n_fields > 1)
        continue;

      if ((++n_records & 255) == 0
          && g_cancellable_set_error_if_cancelled (imp->job->cancellable, error))
        {
          assay_interaction_csv_row_clear (&row);
          return FALSE;
        }

      g_array_set_size (problems, 0);
      if (!assay_interaction_csv_row_parse (&header, fields, n_fields, &row, problems))
        {
          for (guint i = 0; i < problems->len; i++)
            {
              const AssayCsvProblem *problem = &g_array_index (problems, AssayCsvProblem, i);

              report (imp, problem->field == G_MAXUINT
                             ? line : assay_csv_reader_get_field_line (imp->reader, problem->field),
                      problem->message);
            }
          imp->n_bad_rows++;
          continue;
        }

      {
        guint64 before = imp->n_problems;
        int id_field = header.position[ASSAY_CSV_COLUMN_ID];
        int recording_field = header.position[ASSAY_CSV_COLUMN_RECORDING];

        if (!write_row (imp, &row, line,
                        id_field >= 0
                          ? assay_csv_reader_get_field_line (imp->reader, (guint) id_field) : line,
                        recording_field >= 0
                          ? assay_csv_reader_get_field_line (imp->reader, (guint) recording_field)
                          : line,
                        error))
          {
            assay_interaction_csv_row_clear (&row);
            return FALSE;
          }
        if (imp->n_problems > before)
          imp->n_bad_rows++;
      }
    }

  assay_interaction_csv_row_clear (&row);

  if (!have_header && imp->n_problems == 0)
    {
      g_autofree char *message = g_strdup_printf ("%s: the file is empty; it needs a header row "
                                                  "naming the columns (see docs/csv.md)",
                                                  imp->job->name);
      g_string_append_printf (imp->report, "%s\n", message);
      imp->n_problems++;
    }
  return TRUE;
}

/* the whole import in the transaction around it; the summary, or %NULL with nothing written */
static gpointer
import_locked (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  Import *imp = data;
  g_autoptr(sqlite3_stmt) max_stmt = NULL;

  max_stmt = _assay_store_prepare (db, "SELECT coalesce(max(rowid), 0) FROM interaction", error);
  if (max_stmt == NULL || !prepare_all (imp, error))
    goto fail;
  if (sqlite3_step (max_stmt) != SQLITE_ROW)
    {
      _assay_store_set_error (db, sqlite3_errcode (db), error);
      goto fail;
    }
  imp->max_rowid = sqlite3_column_int64 (max_stmt, 0);

  if (!import_records (imp, error))
    goto fail;

  if (imp->n_problems > 0)
    {
      if (imp->n_problems > ASSAY_IMPORT_MAX_REPORTED)
        g_string_append_printf (imp->report, "… and %" G_GUINT64_FORMAT " more problems\n",
                                imp->n_problems - ASSAY_IMPORT_MAX_REPORTED);
      if (imp->n_bad_rows > 0)
        g_string_append_printf (imp->report, "%s: %" G_GUINT64_FORMAT " bad row%s; nothing was "
                                "imported. Correct the file and import it again.",
                                imp->job->name, imp->n_bad_rows, imp->n_bad_rows == 1 ? "" : "s");
      else
        g_string_append_printf (imp->report, "%s: nothing was imported. Correct the file and "
                                "import it again.", imp->job->name);
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID, imp->report->str);
      goto fail;
    }

  /* the directory's counts (and perhaps its agents and teams) follow the contacts */
  if (imp->summary.n_interactions > 0)
    _assay_store_note_change (db, ASSAY_STORE_DIRECTORY, NULL);

  /* statements must be finished before COMMIT so the read ones do not hold the snapshot */
  g_clear_pointer (&max_stmt, sqlite3_finalize);
  {
    AssayImportSummary summary = imp->summary;

    import_clear (imp);
    return g_memdup2 (&summary, sizeof summary);
  }

fail:
  g_clear_pointer (&max_stmt, sqlite3_finalize);
  import_clear (imp);
  return NULL;
}

static gpointer
import_transaction (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  ImportJob *job = data;
  Import imp = { 0 };
  gpointer summary;

  if (cancellable != NULL && job->cancellable == NULL)
    job->cancellable = g_object_ref (cancellable);

  imp.db = db;
  imp.job = job;
  imp.recordings_canonical = g_canonicalize_filename (job->recordings_dir, NULL);
  imp.recordings_real = realpath (job->recordings_dir, NULL);
  imp.report = g_string_new (NULL);
  imp.agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, agent_info_free);
  imp.teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  imp.queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  imp.updated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  imp.reader = assay_csv_reader_new (input_read, job, NULL);

  summary = _assay_store_in_transaction (db, import_locked, &imp, g_free, error);
  import_clear (&imp);
  return summary;
}

/*
 * Every row touches about ten indexes (id, started_at, agent, team, ...) at scattered places;
 * with the usual 16 MB page cache a large import spends most of its time spilling and rereading
 * pages. A bigger cache for the length of the import roughly halves its time.
 */
#define IMPORT_CACHE_KIB 65536

static gpointer
import_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, "PRAGMA cache_size", error);
  g_autofree char *set = NULL;
  g_autofree char *restore = NULL;
  gpointer result;

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (stmt != NULL)
        _assay_store_set_error (db, sqlite3_errcode (db), error);
      return NULL;
    }
  restore = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT,
                             (gint64) sqlite3_column_int64 (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);
  set = g_strdup_printf ("PRAGMA cache_size = -%d", IMPORT_CACHE_KIB);

  if (!_assay_store_exec (db, set, error))
    return NULL;
  result = import_transaction (db, data, cancellable, error);
  _assay_store_exec (db, restore, NULL);
  return result;
}

static ImportJob *
import_job_new (GInputStream     *input,
                const char       *name,
                const char       *recordings_dir,
                AssayImportFlags  flags,
                GCancellable     *cancellable)
{
  ImportJob *job = g_new0 (ImportJob, 1);

  job->input = g_object_ref (input);
  job->name = g_strdup (name ? name : "input");
  job->recordings_dir = recordings_dir ? g_strdup (recordings_dir) : g_get_current_dir ();
  job->flags = flags;
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  return job;
}

gboolean
assay_store_import_csv_sync (AssayStore          *self,
                             GInputStream        *input,
                             const char          *name,
                             const char          *recordings_dir,
                             AssayImportFlags     flags,
                             AssayImportSummary  *out_summary,
                             GCancellable        *cancellable,
                             GError             **error)
{
  ImportJob *job;
  AssayImportSummary *summary;

  g_return_val_if_fail (ASSAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (input), FALSE);

  job = import_job_new (input, name, recordings_dir, flags, cancellable);
  summary = _assay_store_run_sync (self, import_func, job, error);
  import_job_free (job);
  if (summary == NULL)
    return FALSE;
  if (out_summary != NULL)
    *out_summary = *summary;
  g_free (summary);
  return TRUE;
}

void
assay_store_import_csv_async (AssayStore          *self,
                              GInputStream        *input,
                              const char          *name,
                              const char          *recordings_dir,
                              AssayImportFlags     flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (ASSAY_IS_STORE (self));
  g_return_if_fail (G_IS_INPUT_STREAM (input));

  _assay_store_run_async (self, import_func,
                          import_job_new (input, name, recordings_dir, flags, cancellable),
                          import_job_free, g_free, assay_store_import_csv_async, cancellable,
                          callback, user_data);
}

gboolean
assay_store_import_csv_finish (AssayStore          *self,
                               GAsyncResult        *result,
                               AssayImportSummary  *out_summary,
                               GError             **error)
{
  g_autofree AssayImportSummary *summary = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == assay_store_import_csv_async,
                        FALSE);

  summary = _assay_store_run_finish (self, result, error);
  if (summary == NULL)
    return FALSE;
  if (out_summary != NULL)
    *out_summary = *summary;
  return TRUE;
}

/* export */

typedef struct {
  GOutputStream *output;
  gint64         from_ms;
  gint64         to_ms;
  GCancellable  *cancellable;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_clear_object (&job->output);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static int
column_int (sqlite3_stmt *stmt,
            int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return ASSAY_NONE;
  return sqlite3_column_int (stmt, col);
}

static gboolean
flush_out (ExportJob     *job,
           GString       *buffer,
           GError       **error)
{
  if (buffer->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (job->output, buffer->str, buffer->len, NULL, job->cancellable,
                                  error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

static gpointer
export_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ExportJob *job = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) buffer = g_string_sized_new (FLUSH_SIZE + 4096);
  guint64 n_rows = 0;
  int rc;

  if (cancellable != NULL && job->cancellable == NULL)
    job->cancellable = g_object_ref (cancellable);

  stmt = _assay_store_prepare (db,
    "SELECT i.id, i.channel, i.queue, a.employee_code, a.name, t.name, i.customer_ref,"
    " i.started_at, i.wait_s, i.talk_s, i.hold_s, i.wrap_s, i.csat, i.nps, i.fcr,"
    " i.answered_in_sl, i.abandoned, i.priority, i.first_response_s, i.first_response_target_s,"
    " i.resolution_s, i.resolution_target_s, r.location, r.agent_channel"
    " FROM interaction i"
    " JOIN agent a ON a.id = i.agent_id"
    " LEFT JOIN team t ON t.id = i.team_id"
    " LEFT JOIN recording r ON r.rowid = (SELECT min (rowid) FROM recording"
    "                                      WHERE interaction_id = i.id)"
    " WHERE i.started_at >= ?1 AND i.started_at < ?2"
    " ORDER BY i.started_at, i.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->from_ms);
  sqlite3_bind_int64 (stmt, 2, job->to_ms);

  assay_interaction_csv_format_header (buffer);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayInteractionCsvRow row;
      AssayInteractionFacts *facts = &row.facts;

      /* the strings are borrowed from the statement: the row is never cleared */
      assay_interaction_csv_row_init (&row);
      facts->id = (char *) _assay_store_column_text (stmt, 0);
      facts->channel = (char *) _assay_store_column_text (stmt, 1);
      facts->queue = (char *) _assay_store_column_text (stmt, 2);
      row.agent_code = (char *) _assay_store_column_text (stmt, 3);
      row.agent_name = (char *) _assay_store_column_text (stmt, 4);
      row.team_name = (char *) _assay_store_column_text (stmt, 5);
      facts->customer_ref = (char *) _assay_store_column_text (stmt, 6);
      facts->started_at = sqlite3_column_int64 (stmt, 7);
      facts->wait_s = column_int (stmt, 8);
      facts->talk_s = column_int (stmt, 9);
      facts->hold_s = column_int (stmt, 10);
      facts->wrap_s = column_int (stmt, 11);
      facts->csat = column_int (stmt, 12);
      facts->nps = column_int (stmt, 13);
      facts->fcr = column_int (stmt, 14);
      facts->answered_in_sl = column_int (stmt, 15);
      facts->abandoned = column_int (stmt, 16);
      facts->priority = (char *) _assay_store_column_text (stmt, 17);
      facts->first_response_s = column_int (stmt, 18);
      facts->first_response_target_s = column_int (stmt, 19);
      facts->resolution_s = column_int (stmt, 20);
      facts->resolution_target_s = column_int (stmt, 21);
      row.recording = (char *) _assay_store_column_text (stmt, 22);
      row.recording_agent_channel = column_int (stmt, 23);

      assay_interaction_csv_format_row (buffer, &row);
      n_rows++;

      if (buffer->len >= FLUSH_SIZE && !flush_out (job, buffer, error))
        return NULL;
      if ((n_rows & 1023) == 0 && g_cancellable_set_error_if_cancelled (job->cancellable, error))
        return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  if (!flush_out (job, buffer, error)
      || !g_output_stream_flush (job->output, job->cancellable, error))
    return NULL;

  return g_memdup2 (&n_rows, sizeof n_rows);
}

static ExportJob *
export_job_new (GOutputStream *output,
                gint64         from_ms,
                gint64         to_ms,
                GCancellable  *cancellable)
{
  ExportJob *job = g_new0 (ExportJob, 1);

  job->output = g_object_ref (output);
  job->from_ms = from_ms;
  job->to_ms = to_ms;
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  return job;
}

gboolean
assay_store_export_csv_sync (AssayStore     *self,
                             GOutputStream  *output,
                             gint64          from_ms,
                             gint64          to_ms,
                             guint64        *out_n_rows,
                             GCancellable   *cancellable,
                             GError        **error)
{
  ExportJob *job;
  guint64 *n_rows;

  g_return_val_if_fail (ASSAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);

  job = export_job_new (output, from_ms, to_ms, cancellable);
  n_rows = _assay_store_run_sync (self, export_func, job, error);
  export_job_free (job);
  if (n_rows == NULL)
    return FALSE;
  if (out_n_rows != NULL)
    *out_n_rows = *n_rows;
  g_free (n_rows);
  return TRUE;
}

void
assay_store_export_csv_async (AssayStore          *self,
                              GOutputStream       *output,
                              gint64               from_ms,
                              gint64               to_ms,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (ASSAY_IS_STORE (self));
  g_return_if_fail (G_IS_OUTPUT_STREAM (output));

  _assay_store_run_async (self, export_func, export_job_new (output, from_ms, to_ms, cancellable),
                          export_job_free, g_free, assay_store_export_csv_async, cancellable,
                          callback, user_data);
}

gboolean
assay_store_export_csv_finish (AssayStore    *self,
                               GAsyncResult  *result,
                               guint64       *out_n_rows,
                               GError       **error)
{
  g_autofree guint64 *n_rows = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == assay_store_export_csv_async,
                        FALSE);

  n_rows = _assay_store_run_finish (self, result, error);
  if (n_rows == NULL)
    return FALSE;
  if (out_n_rows != NULL)
    *out_n_rows = *n_rows;
  return TRUE;
}
