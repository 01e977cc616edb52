/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "assay-central-seed.h"
#include "assay-central-auth.h"
#include "assay-central-sync.h"
#include "core/assay-csv.h"
#include "demo/assay-demo.h"
#include "core/assay-interaction-csv.h"
#include "core/assay-wav.h"
#include "protocol/assay-form-json.h"

#define S(storage, fn, ...) ((storage)->vtable->fn ((storage), __VA_ARGS__))

/* the interaction's facts as the `interactions` data of docs/sync-protocol.md */
static JsonObject *
facts_to_data (const AssayInteractionFacts *f)
{
  JsonObject *data = json_object_new ();
  const struct { const char *name; int value; } ints[] = {
    { "waitS", f->wait_s }, { "talkS", f->talk_s }, { "holdS", f->hold_s },
    { "wrapS", f->wrap_s }, { "csat", f->csat }, { "nps", f->nps }, { "fcr", f->fcr },
    { "answeredInSl", f->answered_in_sl }, { "abandoned", f->abandoned },
    { "firstResponseS", f->first_response_s },
    { "firstResponseTargetS", f->first_response_target_s },
    { "resolutionS", f->resolution_s }, { "resolutionTargetS", f->resolution_target_s },
  };

  json_object_set_string_member (data, "channel", f->channel);
  json_object_set_int_member (data, "startedAt", f->started_at);
  json_object_set_string_member (data, "agentId", f->agent_id);
  if (f->team_id != NULL)
    json_object_set_string_member (data, "teamId", f->team_id);
  if (f->queue != NULL)
    json_object_set_string_member (data, "queue", f->queue);
  if (f->customer_ref != NULL)
    json_object_set_string_member (data, "customerRef", f->customer_ref);
  if (f->priority != NULL)
    json_object_set_string_member (data, "priority", f->priority);
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    if (ints[i].value != ASSAY_NONE)
      json_object_set_int_member (data, ints[i].name, ints[i].value);
  return data;
}

static gboolean
put (AssayCentralStorage  *storage,
     const char           *collection,
     const char           *id,
     JsonObject           *data,
     GError              **error)
{
  gboolean ok = assay_central_put (storage, collection, id, data, error);

  json_object_unref (data);
  return ok;
}

char *
assay_central_store_blob (AssayCentralStorage  *storage,
                          const char           *path,
                          gint64               *size,
                          GError              **error)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, error);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *dest = NULL;

  if (file == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  dest = assay_central_blob_path (storage, sha256);
  if (!g_file_test (dest, G_FILE_TEST_EXISTS)
      && !g_file_set_contents (dest, g_bytes_get_data (bytes, NULL),
                               (gssize) g_bytes_get_size (bytes), error))
    return NULL;
  *size = (gint64) g_bytes_get_size (bytes);
  if (!S (storage, put_blob, sha256, *size, error))
    return NULL;
  return g_steal_pointer (&sha256);
}

/* demo recordings */

typedef struct {
  char   *path;
  char   *name;
  char   *queue;
  char   *agent;
  double  duration_s;
  int     hold_s;
} Recording;

static void
recording_free (gpointer data)
{
  Recording *r = data;

  g_free (r->path);
  g_free (r->name);
  g_free (r->queue);
  g_free (r->agent);
  g_free (r);
}

/* the length of a WAV file from its header (core's one WAV header reader), or 0 */
static double
wav_duration (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  AssayWavHeader header;
  gsize len;

  if (file == NULL)
    return 0;
  len = g_mapped_file_get_length (file);
  if (!assay_wav_parse_header ((const guint8 *) g_mapped_file_get_contents (file), len, len,
                               &header, NULL)
      || header.byte_rate == 0)
    return 0;
  return (double) MIN (header.data_size, header.data_available) / header.byte_rate;
}

static GPtrArray *
load_recordings (const char *dir)
{
  GPtrArray *recordings = g_ptr_array_new_with_free_func (recording_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) gdir = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  const char *name;

  if (gdir == NULL)
    return recordings;
  while ((name = g_dir_read_name (gdir)) != NULL)
    if (g_str_has_suffix (name, ".wav"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file_name = g_ptr_array_index (names, i);
      g_autoptr(GKeyFile) meta = g_key_file_new ();
      g_autofree char *meta_path = NULL;
      Recording *r = g_new0 (Recording, 1);

      r->path = g_build_filename (dir, file_name, NULL);
      r->name = g_strndup (file_name, strlen (file_name) - 4);
      r->duration_s = wav_duration (r->path);
      meta_path = g_strconcat (dir, G_DIR_SEPARATOR_S, r->name, ".meta", NULL);
      if (g_key_file_load_from_file (meta, meta_path, G_KEY_FILE_NONE, NULL))
        {
          r->queue = g_key_file_get_string (meta, "Recording", "Queue", NULL);
          r->agent = g_key_file_get_string (meta, "Recording", "Agent", NULL);
          r->hold_s = (int) g_key_file_get_double (meta, "Recording", "HoldSeconds", NULL);
        }
      if (r->duration_s < 1.0)
        {
          recording_free (r);
          continue;
        }
      g_ptr_array_add (recordings, r);
    }
  return recordings;
}

static gboolean
put_recording (AssayCentralStorage  *storage,
               AssayDemo            *demo,
               const char           *interaction_id,
               const char           *path,
               const char           *name,
               int                   agent_channel,
               GError              **error)
{
  g_autofree char *id = assay_demo_new_id (demo);
  g_autofree char *sha256 = NULL;
  JsonObject *data;
  gint64 size = 0;

  sha256 = assay_central_store_blob (storage, path, &size, error);
  if (sha256 == NULL)
    return FALSE;
  data = json_object_new ();
  json_object_set_string_member (data, "interactionId", interaction_id);
  json_object_set_string_member (data, "sha256", sha256);
  json_object_set_int_member (data, "size", size);
  json_object_set_string_member (data, "format", "wav");
  json_object_set_string_member (data, "name", name);
  if (agent_channel >= 0)
    json_object_set_int_member (data, "agentChannel", agent_channel);
  return put (storage, "recordings", id, data, error);
}

/* the demo scorecards, published: their version ids and forms */
static const char *const form_files[] = { "service-quality-en.json", "service-quality-zh.json" };

static gboolean
seed_forms (AssayCentralStorage  *storage,
            AssayDemo            *demo,
            const char           *dir,
            AssayForm           **forms,
            char                **form_ids,
            const char           *author_id,
            GError              **error)
{
  for (guint f = 0; f < G_N_ELEMENTS (form_files); f++)
    {
      g_autofree char *path = g_build_filename (dir, form_files[f], NULL);
      g_autofree char *json = NULL;
      g_autofree char *published = NULL;
      g_autoptr(JsonNode) definition = NULL;
      JsonObject *data;

      if (!g_file_get_contents (path, &json, NULL, error))
        {
          g_prefix_error (error, "Cannot read the demo scorecard: ");
          return FALSE;
        }
      forms[f] = assay_form_from_json (json, -1, error);
      if (forms[f] == NULL)
        {
          g_prefix_error (error, "The demo scorecard %s is not valid: ", path);
          return FALSE;
        }
      assay_form_publish (forms[f], NULL);
      published = assay_form_to_json (forms[f]);
      definition = assay_central_parse_json (published, -1, error);
      if (definition == NULL)
        return FALSE;
      form_ids[f] = assay_demo_new_id (demo);
      data = json_object_new ();
      json_object_set_string_member (data, "formId", forms[f]->id);
      json_object_set_int_member (data, "version", forms[f]->version);
      json_object_set_member (data, "definition", g_steal_pointer (&definition));
      json_object_set_int_member (data, "publishedAt", assay_demo_get_start_ms (demo));
      json_object_set_string_member (data, "authorId", author_id);
      if (!put (storage, "forms", form_ids[f], data, error))
        return FALSE;
    }
  return TRUE;
}

static JsonNode *
answers_node (const AssayAnswers *answers)
{
  return assay_answers_to_json_node (answers);
}

static gboolean
seed_reviews (AssayCentralStorage      *storage,
              AssayDemo                *demo,
              AssayForm               **forms,
              char                    **form_ids,
              AssayCentralSeedSummary  *summary,
              GError                  **error)
{
  const AssayDemoStaff *staff;
  const AssayDemoReview *reviews;
  guint n_staff, n_reviews;

  staff = assay_demo_get_staff (demo, &n_staff);
  reviews = assay_demo_get_reviews (demo, &n_reviews);
  for (guint i = 0; i < n_reviews; i++)
    {
      const AssayDemoReview *r = &reviews[i];
      guint f = r->chinese ? 1 : 0;
      const char *inspector_id = staff[r->inspector].id;

      if (r->assigned)
        {
          g_autofree char *id = assay_demo_new_id (demo);
          JsonObject *data = json_object_new ();

          json_object_set_string_member (data, "interactionId", r->interaction_id);
          json_object_set_string_member (data, "inspectorId", inspector_id);
          json_object_set_string_member (data, "formVersionId", form_ids[f]);
          json_object_set_int_member (data, "dueAt", r->due_at);
          json_object_set_string_member (data, "source", "centre");
          json_object_set_int_member (data, "createdAt", r->assigned_at);
          if (!put (storage, "assignments", id, data, error))
            return FALSE;
          summary->n_assignments++;
        }
      if (r->state != ASSAY_DEMO_REVIEW_OPEN)
        {
          g_autofree char *id = assay_demo_new_id (demo);
          g_autoptr(AssayAnswers) answers = assay_demo_answer (demo, r, forms[f]);
          JsonObject *data = json_object_new ();
          gboolean submitted = r->state == ASSAY_DEMO_REVIEW_SUBMITTED;
          gint64 revision = submitted ? 1 : 0;

          json_object_set_string_member (data, "interactionId", r->interaction_id);
          json_object_set_string_member (data, "inspectorId", inspector_id);
          json_object_set_string_member (data, "formVersionId", form_ids[f]);
          json_object_set_string_member (data, "state", submitted ? "submitted" : "draft");
          json_object_set_int_member (data, "createdAt", r->created_at);
          json_object_set_int_member (data, "updatedAt", r->updated_at);
          if (submitted)
            json_object_set_int_member (data, "submittedAt", r->updated_at);
          if (submitted && r->amended_by >= 0)
            {
              g_autofree char *reason = NULL;
              g_autoptr(AssayAnswers) amended = assay_demo_amend (demo, r, answers, &reason);

              json_object_set_member (data, "answers", answers_node (amended));
              json_object_set_string_member (data, "amendReason", reason);
              json_object_set_int_member (data, "updatedAt", r->amended_at);
              revision = 2;
            }
          else
            json_object_set_member (data, "answers", answers_node (answers));
          json_object_set_int_member (data, "revision", revision);
          if (!put (storage, "evaluations", id, data, error))
            return FALSE;
          summary->n_evaluations++;
        }
    }
  return TRUE;
}

static const AssayDemoStaff *
staff_with_role (const AssayDemoStaff *staff,
                 guint                 n_staff,
                 const char           *role)
{
  for (guint i = 0; i < n_staff; i++)
    {
      g_auto(GStrv) roles = g_strsplit (staff[i].roles, ",", -1);

      for (guint j = 0; roles[j] != NULL; j++)
        if (strcmp (g_strstrip (roles[j]), role) == 0)
          return &staff[i];
    }
  return NULL;
}

/* one account per role, login = role name */
static gboolean
seed_accounts (AssayCentralStorage  *storage,
               AssayDemo            *demo,
               GError              **error)
{
  const AssayDemoStaff *staff, *me, *lead = NULL, *manager, *admin;
  const AssayDemoTeam *teams;
  const AssayDemoAgent *agents;
  const AssayDemoReview *reviews;
  guint n_staff, n_teams, n_agents, n_reviews;
  const AssayDemoAgent *agent = NULL;

  staff = assay_demo_get_staff (demo, &n_staff);
  teams = assay_demo_get_teams (demo, &n_teams);
  agents = assay_demo_get_agents (demo, &n_agents);
  reviews = assay_demo_get_reviews (demo, &n_reviews);
  me = &staff[assay_demo_get_me (demo)];
  for (guint i = 0; i < n_staff && n_teams > 0; i++)
    if (g_strcmp0 (staff[i].id, teams[0].lead_id) == 0)
      lead = &staff[i];
  manager = staff_with_role (staff, n_staff, "manager");
  admin = staff_with_role (staff, n_staff, "admin");
  /* the agent account: an agent with submitted evaluations, so its feed shows something */
  for (guint i = 0; i < n_reviews && agent == NULL; i++)
    if (reviews[i].state == ASSAY_DEMO_REVIEW_SUBMITTED)
      agent = &agents[reviews[i].agent];
  if (agent == NULL && n_agents > 0)
    agent = &agents[0];

  return assay_central_add_user (storage, "inspector", me->name, 1u << ASSAY_ROLE_INSPECTOR,
                                 NULL, me->id, error)
         && (lead == NULL
             || assay_central_add_user (storage, "lead", lead->name, 1u << ASSAY_ROLE_LEAD, NULL,
                                        lead->id, error))
         && assay_central_add_user (storage, "manager", manager != NULL ? manager->name
                                                                         : "Centre Manager",
                                    1u << ASSAY_ROLE_MANAGER, NULL,
                                    manager != NULL ? manager->id : NULL, error)
         && (agent == NULL
             || assay_central_add_user (storage, "agent", agent->name, 1u << ASSAY_ROLE_AGENT,
                                        agent->employee_code, NULL, error))
         && assay_central_add_user (storage, "admin", admin != NULL ? admin->name
                                                                     : "System Administrator",
                                    1u << ASSAY_ROLE_ADMIN, NULL,
                                    admin != NULL ? admin->id : NULL, error);
}

gboolean
assay_central_seed (AssayCentralStorage            *storage,
                    const AssayCentralSeedOptions  *options,
                    AssayCentralSeedSummary        *summary,
                    GError                        **error)
{
  AssayDemoOptions demo_options;
  g_autoptr(AssayDemo) demo = NULL;
  g_autoptr(GPtrArray) recordings = load_recordings (options->recordings_dir);
  AssayForm *forms[G_N_ELEMENTS (form_files)] = { NULL };
  char *form_ids[G_N_ELEMENTS (form_files)] = { NULL };
  const AssayDemoTeam *teams;
  const AssayDemoAgent *agents;
  const AssayDemoStaff *staff;
  AssayInteractionFacts facts;
  guint n_teams, n_agents, n_staff;
  gint64 existing = 0;
  int rec;
  gboolean ok = FALSE;

  memset (summary, 0, sizeof *summary);
  if (!S (storage, max_seq, "interactions", &existing, error))
    return FALSE;
  if (existing > 0)
    {
      g_set_error_literal (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_EXISTS,
                           "This central database holds interactions already; seed a new one "
                           "(init another --data folder)");
      return FALSE;
    }

  assay_demo_options_init (&demo_options);
  demo_options.n_interactions = options->n_interactions;
  demo_options.n_days = options->n_days;
  demo_options.seed = options->seed;
  demo_options.time_zone = g_time_zone_new_utc ();
  demo = assay_demo_new (&demo_options);
  g_time_zone_unref (demo_options.time_zone);
  for (guint i = 0; i < recordings->len; i++)
    {
      Recording *r = g_ptr_array_index (recordings, i);
      AssayDemoRecording plan = { r->name, r->queue, r->agent, r->duration_s, r->hold_s };

      assay_demo_add_recording (demo, &plan);
    }

  if (!S (storage, begin, error))
    return FALSE;

  teams = assay_demo_get_teams (demo, &n_teams);
  for (guint i = 0; i < n_teams; i++)
    {
      JsonObject *data = json_object_new ();

      json_object_set_string_member (data, "name", teams[i].name);
      json_object_set_string_member (data, "leadId", teams[i].lead_id);
      if (!put (storage, "teams", teams[i].id, data, error))
        goto out;
    }
  summary->n_teams = n_teams;
  staff = assay_demo_get_staff (demo, &n_staff);
  for (guint i = 0; i < n_staff; i++)
    {
      JsonObject *data = json_object_new ();
      g_auto(GStrv) roles = g_strsplit (staff[i].roles, ",", -1);
      JsonArray *array = json_array_new ();

      for (guint j = 0; roles[j] != NULL; j++)
        json_array_add_string_element (array, g_strstrip (roles[j]));
      json_object_set_string_member (data, "name", staff[i].name);
      json_object_set_array_member (data, "roles", array);
      if (!put (storage, "staff", staff[i].id, data, error))
        goto out;
    }
  summary->n_staff = n_staff;
  agents = assay_demo_get_agents (demo, &n_agents);
  for (guint i = 0; i < n_agents; i++)
    {
      JsonObject *data = json_object_new ();

      json_object_set_string_member (data, "name", agents[i].name);
      json_object_set_string_member (data, "teamId", agents[i].team_id);
      json_object_set_string_member (data, "employeeCode", agents[i].employee_code);
      json_object_set_boolean_member (data, "active", agents[i].active);
      if (!put (storage, "agents", agents[i].id, data, error))
        goto out;
    }
  summary->n_agents = n_agents;

  assay_interaction_facts_init (&facts);
  while (assay_demo_next (demo, &facts, &rec))
    {
      g_autofree char *id = g_strdup (facts.id);

      if (!put (storage, "interactions", id, facts_to_data (&facts), error))
        {
          assay_interaction_facts_clear (&facts);
          goto out;
        }
      summary->n_interactions++;
      if (rec >= 0 && (guint) rec < recordings->len)
        {
          Recording *r = g_ptr_array_index (recordings, rec);

          if (!put_recording (storage, demo, id, r->path, r->name, 0, error))
            {
              assay_interaction_facts_clear (&facts);
              goto out;
            }
          summary->n_recordings++;
        }
      assay_interaction_facts_clear (&facts);
    }

  if (options->forms_dir != NULL)
    {
      const AssayDemoStaff *manager = staff_with_role (staff, n_staff, "manager");

      if (!seed_forms (storage, demo, options->forms_dir, forms, form_ids,
                       manager != NULL ? manager->id : staff[0].id, error)
          || !seed_reviews (storage, demo, forms, form_ids, summary, error))
        goto out;
      summary->n_forms = G_N_ELEMENTS (form_files);
    }
  if (!S (storage, commit, error))
    goto out;
  ok = seed_accounts (storage, demo, error);

out:
  if (!ok)
    storage->vtable->rollback (storage);
  for (guint f = 0; f < G_N_ELEMENTS (form_files); f++)
    {
      g_clear_pointer (&forms[f], assay_form_unref);
      g_free (form_ids[f]);
    }
  return ok;
}

/* import */

static char *
uuid_for (const char *text)
{
  g_autofree char *hash = NULL;

  if (assay_sync_is_uuid (text))
    return g_ascii_strdown (text, -1);
  /* a stable id for a non-UUID id, so that importing the file again updates the same contacts */
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  return g_strdup_printf ("%.8s-%.4s-8%.3s-a%.3s-%.12s", hash, hash + 8, hash + 12, hash + 15,
                          hash + 18);
}

gboolean
assay_central_import (AssayCentralStorage        *storage,
                      const char                 *csv_path,
                      const char                 *recordings_dir,
                      AssayCentralImportSummary  *summary,
                      GError                    **error)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (csv_path, FALSE, error);
  g_autoptr(AssayCsvReader) reader = NULL;
  g_autoptr(GHashTable) teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *base_dir = recordings_dir != NULL ? g_strdup (recordings_dir)
                                                     : g_path_get_dirname (csv_path);
  AssayInteractionCsvHeader header;
  GError *local_error = NULL;

  if (file == NULL)
    return FALSE;
  summary->problems = g_ptr_array_new_with_free_func (g_free);
  reader = assay_csv_reader_new_for_data (g_mapped_file_get_contents (file),
                                          (gssize) g_mapped_file_get_length (file));
  if (!assay_csv_reader_next (reader, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                     "%s is empty: it needs a header row (see docs/csv.md)", csv_path);
      return FALSE;
    }
  if (!assay_interaction_csv_header_parse (&header, assay_csv_reader_get_fields (reader),
                                           assay_csv_reader_get_n_fields (reader), error))
    {
      g_prefix_error (error, "%s: ", csv_path);
      return FALSE;
    }
  if (!S (storage, begin, error))
    return FALSE;

  for (;;)
    {
      AssayInteractionCsvRow row;
      g_autoptr(GArray) problems = assay_csv_problems_new ();
      g_autofree char *id = NULL;
      const char *agent_id, *team_id = NULL;
      guint64 line;

      if (!assay_csv_reader_next (reader, &local_error))
        {
          if (local_error == NULL)
            break;
          g_ptr_array_add (summary->problems,
                           g_strdup_printf ("line %" G_GUINT64_FORMAT ": %s",
                                            assay_csv_reader_get_line (reader),
                                            local_error->message));
          if (local_error->code != ASSAY_CSV_ERROR_SYNTAX)
            {
              g_clear_error (&local_error);
              break;
            }
          g_clear_error (&local_error);
          continue;
        }
      line = assay_csv_reader_get_line (reader);
      assay_interaction_csv_row_init (&row);
      if (!assay_interaction_csv_row_parse (&header, assay_csv_reader_get_fields (reader),
                                            assay_csv_reader_get_n_fields (reader), &row,
                                            problems))
        {
          for (guint i = 0; i < problems->len; i++)
            g_ptr_array_add (summary->problems,
                             g_strdup_printf ("line %" G_GUINT64_FORMAT ": %s", line,
                                              g_array_index (problems, AssayCsvProblem, i).message));
          assay_interaction_csv_row_clear (&row);
          continue;
        }

      if (row.team_name != NULL && (team_id = g_hash_table_lookup (teams, row.team_name)) == NULL)
        {
          g_autofree char *key = g_strconcat ("team:", row.team_name, NULL);
          char *new_id = uuid_for (key);
          JsonObject *data = json_object_new ();

          json_object_set_string_member (data, "name", row.team_name);
          if (!put (storage, "teams", new_id, data, error))
            {
              g_free (new_id);
              assay_interaction_csv_row_clear (&row);
              goto failed;
            }
          g_hash_table_insert (teams, g_strdup (row.team_name), new_id);
          team_id = new_id;
          summary->n_teams++;
        }
      agent_id = g_hash_table_lookup (agents, row.agent_code);
      if (agent_id == NULL)
        {
          g_autofree char *key = g_strconcat ("agent:", row.agent_code, NULL);
          char *new_id = uuid_for (key);
          JsonObject *data = json_object_new ();

          json_object_set_string_member (data, "name", row.agent_name != NULL ? row.agent_name
                                                                              : row.agent_code);
          json_object_set_string_member (data, "employeeCode", row.agent_code);
          if (team_id != NULL)
            json_object_set_string_member (data, "teamId", team_id);
          json_object_set_boolean_member (data, "active", TRUE);
          if (!put (storage, "agents", new_id, data, error))
            {
              g_free (new_id);
              assay_interaction_csv_row_clear (&row);
              goto failed;
            }
          g_hash_table_insert (agents, g_strdup (row.agent_code), new_id);
          agent_id = new_id;
          summary->n_agents++;
        }

      if (row.facts.id != NULL)
        id = uuid_for (row.facts.id);
      else
        {
          g_autofree char *key = g_strdup_printf ("%s#%" G_GUINT64_FORMAT, csv_path, line);

          id = uuid_for (key);
        }
      g_free (row.facts.agent_id);
      row.facts.agent_id = g_strdup (agent_id);
      g_free (row.facts.team_id);
      row.facts.team_id = g_strdup (team_id);
      if (!put (storage, "interactions", id, facts_to_data (&row.facts), error))
        {
          assay_interaction_csv_row_clear (&row);
          goto failed;
        }
      summary->n_interactions++;
      if (row.recording != NULL)
        {
          g_autofree char *path = g_path_is_absolute (row.recording)
                                  ? g_strdup (row.recording)
                                  : g_build_filename (base_dir, row.recording, NULL);
          g_autofree char *rec_id = NULL;
          g_autofree char *sha256 = NULL;
          g_autofree char *rec_key = g_strconcat ("recording:", id, NULL);
          g_autoptr(GError) rec_error = NULL;
          g_autofree char *name = g_path_get_basename (row.recording);
          gint64 size = 0;

          sha256 = assay_central_store_blob (storage, path, &size, &rec_error);
          if (sha256 == NULL)
            g_ptr_array_add (summary->problems,
                             g_strdup_printf ("line %" G_GUINT64_FORMAT ": recording %s: %s, "
                                              "imported without it", line, path,
                                              rec_error->message));
          else
            {
              JsonObject *data = json_object_new ();
              const char *dot = strrchr (name, '.');

              rec_id = uuid_for (rec_key);
              json_object_set_string_member (data, "interactionId", id);
              json_object_set_string_member (data, "sha256", sha256);
              json_object_set_int_member (data, "size", size);
              json_object_set_string_member (data, "format", dot != NULL ? dot + 1 : "wav");
              json_object_set_string_member (data, "name", name);
              if (row.recording_agent_channel != ASSAY_NONE)
                json_object_set_int_member (data, "agentChannel", row.recording_agent_channel);
              if (!put (storage, "recordings", rec_id, data, error))
                {
                  assay_interaction_csv_row_clear (&row);
                  goto failed;
                }
              summary->n_recordings++;
            }
        }
      assay_interaction_csv_row_clear (&row);
    }
  return S (storage, commit, error);

failed:
  storage->vtable->rollback (storage);
  return FALSE;
}
