/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "assay-store-private.h"
#include "assay-store-kpi-private.h"

/*
 * The migration ladder. Step N takes a database at user_version N-1 to N in one transaction.
 * Never edit a step that has shipped: add a new one at the end.
 *
 * Conventions: times are UTC unix milliseconds (INTEGER, columns named *_at); durations are
 * whole seconds (*_s); ids are UUID text; enumerations are CHECK-constrained text.
 * Rows that sync carry `rev` (server revision, NULL until synced) and `dirty`.
 */
static const char *const migrations[] = {
  /* 1: the foundation */
  "CREATE TABLE team ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  lead_id TEXT,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE TABLE staff ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  roles TEXT NOT NULL DEFAULT 'inspector',"   /* comma list of inspector, lead, manager, admin */
  "  is_me INTEGER NOT NULL DEFAULT 0 CHECK (is_me IN (0, 1)),"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE UNIQUE INDEX staff_me ON staff (is_me) WHERE is_me = 1;"
  "CREATE TABLE agent ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  team_id TEXT REFERENCES team (id),"
  "  name TEXT NOT NULL,"
  "  employee_code TEXT NOT NULL UNIQUE,"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX agent_team ON agent (team_id);"
  "CREATE TABLE interaction ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  channel TEXT NOT NULL CHECK (channel IN ('phone', 'chat', 'email', 'ticket')),"
  "  queue TEXT NOT NULL,"
  "  agent_id TEXT NOT NULL REFERENCES agent (id),"
  "  team_id TEXT REFERENCES team (id),"          /* the agent's team at the time of contact */
  "  customer_ref TEXT,"
  "  started_at INTEGER NOT NULL,"
  "  wait_s INTEGER CHECK (wait_s >= 0),"
  "  talk_s INTEGER NOT NULL DEFAULT 0 CHECK (talk_s >= 0),"
  "  hold_s INTEGER NOT NULL DEFAULT 0 CHECK (hold_s >= 0),"
  "  wrap_s INTEGER NOT NULL DEFAULT 0 CHECK (wrap_s >= 0),"
  "  handle_s INTEGER GENERATED ALWAYS AS (talk_s + hold_s + wrap_s) STORED,"
  "  csat INTEGER CHECK (csat BETWEEN 1 AND 5),"
  "  nps INTEGER CHECK (nps BETWEEN 0 AND 10),"
  "  fcr INTEGER CHECK (fcr IN (0, 1)),"
  "  answered_in_sl INTEGER CHECK (answered_in_sl IN (0, 1)),"
  "  abandoned INTEGER NOT NULL DEFAULT 0 CHECK (abandoned IN (0, 1)),"
  "  priority TEXT CHECK (priority IN ('low', 'normal', 'high', 'urgent')),"
  "  first_response_s INTEGER CHECK (first_response_s >= 0),"
  "  first_response_target_s INTEGER CHECK (first_response_target_s >= 0),"
  "  resolution_s INTEGER CHECK (resolution_s >= 0),"
  "  resolution_target_s INTEGER CHECK (resolution_target_s >= 0),"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX interaction_started ON interaction (started_at);"
  "CREATE INDEX interaction_agent ON interaction (agent_id, started_at);"
  "CREATE INDEX interaction_team ON interaction (team_id, started_at);"
  "CREATE INDEX interaction_channel ON interaction (channel, started_at);"
  "CREATE INDEX interaction_queue ON interaction (queue, started_at);"
  "CREATE INDEX interaction_handle ON interaction (handle_s);"
  "CREATE INDEX interaction_csat ON interaction (csat, started_at);"
  "CREATE TABLE recording ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  interaction_id TEXT NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,"
  "  location TEXT NOT NULL,"
  "  format TEXT,"
  "  channels INTEGER CHECK (channels BETWEEN 1 AND 8),"
  "  agent_channel INTEGER CHECK (agent_channel >= 0),"   /* NULL for mono */
  "  duration_s REAL CHECK (duration_s >= 0),"
  "  sha256 TEXT,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX recording_interaction ON recording (interaction_id);"
  "CREATE TABLE analysis ("
  "  recording_id TEXT PRIMARY KEY NOT NULL REFERENCES recording (id) ON DELETE CASCADE,"
  "  analyser_version INTEGER NOT NULL,"
  "  peaks BLOB,"
  "  segments TEXT,"          /* JSON: vad, silence, overtalk segments */
  "  figures TEXT,"           /* JSON: talk, silence, over-talk, monologue */
  "  computed_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE form ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE TABLE form_version ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  form_id TEXT NOT NULL REFERENCES form (id),"
  "  version INTEGER NOT NULL CHECK (version >= 1),"
  "  definition TEXT NOT NULL,"       /* JSON, docs/forms.md */
  "  published_at INTEGER,"           /* NULL while it is an unpublished draft */
  "  author_id TEXT REFERENCES staff (id),"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  UNIQUE (form_id, version)"
  ") STRICT;"
  "CREATE TRIGGER form_version_immutable BEFORE UPDATE OF definition, form_id, version"
  "  ON form_version WHEN OLD.published_at IS NOT NULL"
  "  BEGIN SELECT RAISE (ABORT, 'a published form version cannot change'); END;"
  "CREATE TABLE sampling_draw ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  rule TEXT NOT NULL,"       /* JSON */
  "  seed INTEGER NOT NULL,"
  "  drawn_at INTEGER NOT NULL,"
  "  drawn_by TEXT REFERENCES staff (id)"
  ") STRICT;"
  "CREATE TABLE assignment ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  interaction_id TEXT NOT NULL REFERENCES interaction (id),"
  "  inspector_id TEXT REFERENCES staff (id),"
  "  form_version_id TEXT NOT NULL REFERENCES form_version (id),"
  "  due_at INTEGER,"
  "  source TEXT NOT NULL CHECK (source IN ('centre', 'sampling')),"
  "  draw_id TEXT REFERENCES sampling_draw (id),"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX assignment_inspector ON assignment (inspector_id, due_at);"
  "CREATE INDEX assignment_interaction ON assignment (interaction_id);"
  "CREATE TABLE evaluation ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  interaction_id TEXT NOT NULL REFERENCES interaction (id),"
  "  form_version_id TEXT NOT NULL REFERENCES form_version (id),"
  "  inspector_id TEXT NOT NULL REFERENCES staff (id),"
  "  assignment_id TEXT REFERENCES assignment (id),"
  "  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),"
  "  current_revision_id TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX evaluation_interaction ON evaluation (interaction_id);"
  "CREATE INDEX evaluation_inspector ON evaluation (inspector_id, updated_at);"
  "CREATE TABLE evaluation_revision ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  evaluation_id TEXT NOT NULL REFERENCES evaluation (id),"
  "  number INTEGER NOT NULL CHECK (number >= 1),"
  "  answers TEXT NOT NULL,"        /* JSON: answers, comments, evidence spans */
  "  score REAL,"
  "  results TEXT,"                 /* JSON: overall, without fatal, critical, sections, band */
  "  author_id TEXT NOT NULL REFERENCES staff (id),"
  "  created_at INTEGER NOT NULL,"
  "  reason TEXT,"
  "  UNIQUE (evaluation_id, number)"
  ") STRICT;"
  "CREATE TRIGGER evaluation_revision_append_only BEFORE DELETE ON evaluation_revision"
  "  BEGIN SELECT RAISE (ABORT, 'evaluation revisions are append-only'); END;"
  "CREATE TABLE annotation ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  recording_id TEXT NOT NULL REFERENCES recording (id) ON DELETE CASCADE,"
  "  start_ms INTEGER NOT NULL CHECK (start_ms >= 0),"
  "  end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),"
  "  text TEXT NOT NULL DEFAULT '',"
  "  author_id TEXT REFERENCES staff (id),"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE INDEX annotation_recording ON annotation (recording_id, start_ms);"
  "CREATE TABLE outbox ("
  "  op_id TEXT PRIMARY KEY NOT NULL,"
  "  collection TEXT NOT NULL,"
  "  object_id TEXT NOT NULL,"
  "  action TEXT NOT NULL CHECK (action IN ('create', 'update', 'submit', 'amend', 'delete')),"
  "  base_rev INTEGER,"
  "  data TEXT,"
  "  reason TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  sent_at INTEGER"
  ") STRICT;",

  /* 2: lists by queue and text search over the customer reference */
  "CREATE TABLE queue ("
  "  name TEXT PRIMARY KEY NOT NULL,"
  "  channel TEXT NOT NULL CHECK (channel IN ('phone', 'chat', 'email', 'ticket')),"
  "  sl_threshold_s INTEGER CHECK (sl_threshold_s > 0)"
  ") STRICT;"
  "INSERT OR IGNORE INTO queue (name, channel) SELECT DISTINCT queue, channel FROM interaction;"
  "CREATE INDEX interaction_customer ON interaction (customer_ref);",

  /* 3: drafts are saved on every change; a revision is written only on submit or amend */
  "CREATE TABLE evaluation_draft ("
  "  evaluation_id TEXT PRIMARY KEY NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,"
  "  answers TEXT NOT NULL,"
  "  score REAL,"
  "  results TEXT,"
  "  amending INTEGER NOT NULL DEFAULT 0 CHECK (amending IN (0, 1)),"
  "  saved_at INTEGER NOT NULL,"
  "  changes INTEGER NOT NULL DEFAULT 0"    /* saves since the draft began */
  ") STRICT;"
  "CREATE INDEX evaluation_state ON evaluation (state, updated_at);"
  "CREATE INDEX evaluation_form_version ON evaluation (form_version_id);"
  "CREATE INDEX outbox_object ON outbox (object_id, sent_at);",

  /* 4: a form keeps the "id" of its JSON files (docs/forms.md) as its code; one draft at most */
  "ALTER TABLE form ADD COLUMN code TEXT;"
  "CREATE UNIQUE INDEX form_code ON form (code);"
  "CREATE UNIQUE INDEX form_version_draft ON form_version (form_id) WHERE published_at IS NULL;",

  /* 5: transcripts of calls and conversations of chats and emails (docs/transcripts.md); the
   * active review time of each evaluation, added up over its review sessions */
  "CREATE TABLE transcript ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  interaction_id TEXT NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('call_transcript', 'conversation')),"
  "  format TEXT NOT NULL CHECK (format IN ('vtt', 'srt', 'json', 'conversation')),"
  "  segments TEXT NOT NULL CHECK (json_valid (segments) AND json_type (segments) = 'array'),"
  "  n_segments INTEGER NOT NULL CHECK (n_segments >= 1),"
  "  source TEXT,"                  /* the file it was imported from, or NULL (demo, sync) */
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE UNIQUE INDEX transcript_interaction ON transcript (interaction_id, kind);"
  "ALTER TABLE evaluation ADD COLUMN review_s INTEGER NOT NULL DEFAULT 0 CHECK (review_s >= 0);",
  /* 6: KPI targets, root causes and their tags, low-score callbacks, and the per agent, day and
   * channel summaries that triggers keep with the facts (assay-store-kpi-private.h) */
  "CREATE TABLE kpi_target ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  scope TEXT NOT NULL DEFAULT 'centre',"      /* 'centre' or a team id */
  "  kpi TEXT NOT NULL CHECK (kpi IN ('qa_score', 'score_without_fatal', 'critical_score',"
  "    'critical_fail_rate', 'csat', 'nps', 'fcr', 'aht_s.phone', 'aht_s.chat', 'aht_s.email',"
  "    'aht_s.ticket', 'service_level', 'first_response_s', 'sla_attainment')),"
  "  target REAL NOT NULL,"
  "  warning REAL NOT NULL,"
  "  from_at INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX kpi_target_scope ON kpi_target (scope, kpi, from_at);"
  "CREATE TABLE root_cause ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  category TEXT NOT NULL CHECK (category IN ('people', 'process', 'technology', 'resources',"
  "    'environment')),"
  "  sub_cause TEXT NOT NULL DEFAULT '',"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  UNIQUE (category, sub_cause)"
  ") STRICT;"
  "CREATE TABLE root_cause_tag ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  root_cause_id TEXT NOT NULL REFERENCES root_cause (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('evaluation', 'callback', 'kpi_breach')),"
  "  object_id TEXT NOT NULL,"          /* evaluation or callback id; agent, team id or 'centre' */
  "  kpi TEXT,"                         /* kpi_breach: the KPI key and the period's days */
  "  from_day INTEGER,"
  "  to_day INTEGER,"
  "  contact_at INTEGER,"                 /* the tagged object's contact: its start and team, */
  "  contact_team_id TEXT,"               /* kept by a trigger, for periods and teams */
  "  author_id TEXT REFERENCES staff (id),"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  CHECK (kind <> 'kpi_breach' OR (kpi IS NOT NULL AND from_day IS NOT NULL"
  "    AND to_day >= from_day))"
  ") STRICT;"
  "CREATE INDEX root_cause_tag_object ON root_cause_tag (kind, object_id);"
  "CREATE INDEX root_cause_tag_cause ON root_cause_tag (root_cause_id);"
  "CREATE INDEX root_cause_tag_contact ON root_cause_tag (contact_at);"
  "CREATE TABLE callback ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  interaction_id TEXT NOT NULL UNIQUE REFERENCES interaction (id),"
  "  reason TEXT NOT NULL CHECK (reason IN ('low_csat', 'low_nps')),"
  "  owner_id TEXT REFERENCES staff (id),"
  "  state TEXT NOT NULL DEFAULT 'to_call' CHECK (state IN ('to_call', 'called', 'resolved',"
  "    'unreachable')),"
  "  note TEXT NOT NULL DEFAULT '',"
  "  due_at INTEGER,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX callback_state ON callback (state, due_at);"
  "CREATE INDEX interaction_nps ON interaction (nps, started_at);"
  /* a revision's score without reading past its answers (the Pareto of lost points) */
  "CREATE INDEX evaluation_revision_score ON evaluation_revision (id, score);"
  /* tags go with what they tag (evaluations and callbacks are only deleted by a re-seed) */
  "CREATE TRIGGER root_cause_tag_evaluation_gone AFTER DELETE ON evaluation BEGIN"
  "  DELETE FROM root_cause_tag WHERE kind = 'evaluation' AND object_id = OLD.id; END;"
  "CREATE TRIGGER root_cause_tag_callback_gone AFTER DELETE ON callback BEGIN"
  "  DELETE FROM root_cause_tag WHERE kind = 'callback' AND object_id = OLD.id; END;"
  "CREATE TRIGGER root_cause_tag_contact_moved AFTER UPDATE OF started_at, team_id ON interaction"
  "  WHEN OLD.started_at IS NOT NEW.started_at OR OLD.team_id IS NOT NEW.team_id BEGIN"
  "  UPDATE root_cause_tag SET contact_at = NEW.started_at, contact_team_id = NEW.team_id"
  "  WHERE (kind = 'evaluation' AND object_id IN"
  "    (SELECT id FROM evaluation WHERE interaction_id = NEW.id))"
  "  OR (kind = 'callback' AND object_id IN (SELECT id FROM callback WHERE interaction_id = NEW.id));"
  "  END;"
  KPI_MIGRATION_SQL,
  /* 7: calibration sessions: blind scorings by several inspectors, a consensus per item
   * (docs/calibration.md); statistics are computed, not stored */
  "CREATE TABLE calibration_session ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  form_version_id TEXT NOT NULL REFERENCES form_version (id),"
  "  created_by TEXT NOT NULL REFERENCES staff (id),"     /* the lead */
  "  expert_id TEXT REFERENCES staff (id),"
  "  state TEXT NOT NULL DEFAULT 'scoring' CHECK (state IN ('scoring', 'opened', 'closed')),"
  "  created_at INTEGER NOT NULL,"
  "  opened_at INTEGER,"            /* when the answers were shown to all: opened or closed */
  "  closed_at INTEGER,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX calibration_session_created ON calibration_session (created_at);"
  "CREATE INDEX calibration_session_form_version ON calibration_session (form_version_id, created_at);"
  "CREATE TABLE calibration_interaction ("
  "  session_id TEXT NOT NULL REFERENCES calibration_session (id) ON DELETE CASCADE,"
  "  interaction_id TEXT NOT NULL REFERENCES interaction (id),"
  "  position INTEGER NOT NULL CHECK (position >= 0),"
  "  PRIMARY KEY (session_id, interaction_id)"
  ") STRICT;"
  "CREATE INDEX calibration_interaction_interaction ON calibration_interaction (interaction_id);"
  "CREATE TABLE calibration_participant ("
  "  session_id TEXT NOT NULL REFERENCES calibration_session (id) ON DELETE CASCADE,"
  "  staff_id TEXT NOT NULL REFERENCES staff (id),"
  "  PRIMARY KEY (session_id, staff_id)"
  ") STRICT;"
  "CREATE INDEX calibration_participant_staff ON calibration_participant (staff_id);"
  "CREATE TABLE calibration_scoring ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  session_id TEXT NOT NULL REFERENCES calibration_session (id) ON DELETE CASCADE,"
  "  interaction_id TEXT NOT NULL REFERENCES interaction (id),"
  "  inspector_id TEXT NOT NULL REFERENCES staff (id),"
  "  answers TEXT NOT NULL,"        /* JSON answers file (docs/forms.md) on the session's form */
  "  comments TEXT,"
  "  updated_at INTEGER NOT NULL,"
  "  submitted_at INTEGER,"         /* NULL while a draft; a submitted scoring never changes */
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  UNIQUE (session_id, interaction_id, inspector_id)"
  ") STRICT;"
  "CREATE INDEX calibration_scoring_inspector ON calibration_scoring (inspector_id, session_id);"
  "CREATE TRIGGER calibration_scoring_submitted BEFORE UPDATE OF answers, comments, submitted_at"
  "  ON calibration_scoring WHEN OLD.submitted_at IS NOT NULL"
  "  BEGIN SELECT RAISE (ABORT, 'a submitted calibration scoring cannot change'); END;"
  "CREATE TABLE calibration_consensus ("
  "  session_id TEXT NOT NULL REFERENCES calibration_session (id) ON DELETE CASCADE,"
  "  interaction_id TEXT NOT NULL REFERENCES interaction (id),"
  "  item_id TEXT NOT NULL,"
  "  answer TEXT NOT NULL,"         /* JSON: one answer as in an answers file */
  "  set_by TEXT NOT NULL REFERENCES staff (id),"
  "  set_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  PRIMARY KEY (session_id, interaction_id, item_id)"
  ") STRICT;",

  /* 8: sync (src/sync, docs/sync-protocol.md "The client"): the server's copy of every object
   * the account may read, each feed's cursor, the sync state of each evaluation, conflicting
   * copies, and the batch key and result of each outbox operation */
  "CREATE TABLE sync_state ("
  "  collection TEXT PRIMARY KEY NOT NULL,"
  "  cursor TEXT,"                  /* NULL: pull from the beginning */
  "  state TEXT,"                   /* the feed's state when the last page was applied */
  "  synced_at INTEGER,"
  "  resync INTEGER NOT NULL DEFAULT 0 CHECK (resync IN (0, 1))"   /* a 410 resync under way */
  ") STRICT;"
  "CREATE TABLE sync_object ("
  "  collection TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  rev INTEGER NOT NULL CHECK (rev >= 1),"
  "  seq INTEGER,"
  "  last_op_id TEXT,"
  "  data TEXT NOT NULL,"           /* canonical JSON of the object's data */
  "  seen INTEGER NOT NULL DEFAULT 1 CHECK (seen IN (0, 1)),"   /* during a resync */
  "  PRIMARY KEY (collection, id)"
  ") STRICT;"
  "ALTER TABLE evaluation ADD COLUMN sync_state TEXT NOT NULL DEFAULT 'local'"
  "  CHECK (sync_state IN ('local', 'syncing', 'synced', 'conflict', 'rejected'));"
  "ALTER TABLE evaluation ADD COLUMN synced_at INTEGER;"
  "ALTER TABLE evaluation ADD COLUMN sync_reason TEXT;"
  "UPDATE evaluation SET sync_state = 'synced' WHERE rev IS NOT NULL AND dirty = 0;"
  "CREATE TABLE evaluation_conflict ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  evaluation_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('conflict', 'rejected')),"
  "  op_id TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  local_data TEXT,"              /* the local copy: the operation's data */
  "  server_rev INTEGER,"
  "  server_data TEXT,"             /* the server's copy when the answer carried it */
  "  reason TEXT,"                  /* the problem's detail */
  "  created_at INTEGER NOT NULL,"
  "  resolved_at INTEGER"
  ") STRICT;"
  "CREATE INDEX evaluation_conflict_open ON evaluation_conflict (evaluation_id) WHERE resolved_at IS NULL;"
  /* the rev each pushed operation produced, until the feed brings the object: the baseRev of
   * the next operation on it when the pull was cut short */
  "CREATE TABLE sync_pushed ("
  "  collection TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  rev INTEGER NOT NULL CHECK (rev >= 1),"
  "  PRIMARY KEY (collection, id)"
  ") STRICT;"
  "ALTER TABLE outbox ADD COLUMN batch_key TEXT;"   /* Idempotency-Key, stored before first send */
  "CREATE INDEX outbox_pending ON outbox (created_at);",

  /* 9: the account signed in to the central service (one row at most; the token is in the
   * keyring, never here): after sign-in "me" is the server's staff id. Agreed as step 11 of
   * this batch; it took the next free number when it landed first. */
  "CREATE TABLE sync_account ("
  "  id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"
  "  server_url TEXT NOT NULL,"
  "  login TEXT NOT NULL,"
  "  user_id TEXT NOT NULL,"        /* the server's staff id: inspectorId of own evaluations */
  "  name TEXT,"
  "  roles TEXT NOT NULL,"          /* comma list, as staff.roles */
  "  agent_id TEXT,"                /* an agent account's agent record */
  "  signed_in_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE INDEX outbox_collection_object ON outbox (collection, object_id);",

  /* 10: the team lead's workspace (docs/coaching.md): coaching sessions with goals and action
   * items, courses, training plans and their assignments, quarterly assessments and their
   * results, and the improvement actions found by root-cause analysis */
  "CREATE TABLE coaching_session ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  agent_id TEXT NOT NULL REFERENCES agent (id),"
  "  coach_id TEXT NOT NULL REFERENCES staff (id),"
  "  source TEXT NOT NULL DEFAULT 'scratch' CHECK (source IN ('evaluation', 'kpi', 'scratch')),"
  "  evaluation_id TEXT REFERENCES evaluation (id),"   /* the evaluation it was made from */
  "  kpi TEXT,"                                        /* or the KPI that missed its target */
  "  focus TEXT NOT NULL DEFAULT '[]' CHECK (json_type (focus) = 'array'),"   /* item ids */
  "  scheduled_at INTEGER NOT NULL,"
  "  agenda TEXT NOT NULL DEFAULT '',"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  state TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'held', 'cancelled')),"
  "  acknowledged_at INTEGER,"                         /* by the agent */
  "  ack_comment TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX coaching_session_agent ON coaching_session (agent_id, scheduled_at);"
  "CREATE INDEX coaching_session_coach ON coaching_session (coach_id, scheduled_at);"
  "CREATE INDEX coaching_session_time ON coaching_session (scheduled_at);"
  "CREATE INDEX coaching_session_evaluation ON coaching_session (evaluation_id);"
  "CREATE TABLE coaching_goal ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  session_id TEXT NOT NULL REFERENCES coaching_session (id) ON DELETE CASCADE,"
  "  description TEXT NOT NULL CHECK (description <> ''),"
  "  metric TEXT NOT NULL CHECK (metric IN ('item_pass_rate', 'kpi')),"
  "  item_id TEXT,"                                    /* item_pass_rate: the form item */
  "  kpi TEXT,"                                        /* kpi: its name, e.g. csat */
  "  target REAL NOT NULL CHECK (target >= 0),"        /* a share 0..1 or the KPI's unit */
  "  deadline INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  CHECK ((metric = 'item_pass_rate') = (item_id IS NOT NULL)),"
  "  CHECK ((metric = 'kpi') = (kpi IS NOT NULL))"
  ") STRICT;"
  "CREATE INDEX coaching_goal_session ON coaching_goal (session_id);"
  "CREATE INDEX coaching_goal_deadline ON coaching_goal (deadline);"
  "CREATE TABLE coaching_action ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  session_id TEXT NOT NULL REFERENCES coaching_session (id) ON DELETE CASCADE,"
  "  description TEXT NOT NULL CHECK (description <> ''),"
  "  owner TEXT NOT NULL DEFAULT 'agent' CHECK (owner IN ('agent', 'coach')),"
  "  due_at INTEGER NOT NULL,"
  "  done_at INTEGER,"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX coaching_action_session ON coaching_action (session_id);"
  "CREATE INDEX coaching_action_open ON coaching_action (due_at) WHERE done_at IS NULL;"
  "CREATE TABLE course ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL CHECK (title <> ''),"
  "  material TEXT,"                                   /* a link or a file */
  "  minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),"
  "  skill TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE TABLE training_plan ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL CHECK (title <> ''),"
  "  course_id TEXT REFERENCES course (id),"
  "  team_id TEXT REFERENCES team (id),"
  "  rule TEXT NOT NULL DEFAULT 'manual' CHECK (rule IN ('manual', 'new_hire', 'failed_item')),"
  "  item_id TEXT,"                                    /* failed_item: the item failed twice */
  "  due_days INTEGER NOT NULL DEFAULT 14 CHECK (due_days >= 0),"
  "  created_by TEXT REFERENCES staff (id),"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX training_plan_created ON training_plan (created_at);"
  "CREATE TABLE training_assignment ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  plan_id TEXT NOT NULL REFERENCES training_plan (id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agent (id),"
  "  due_at INTEGER NOT NULL,"
  "  completed_at INTEGER,"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  UNIQUE (plan_id, agent_id)"
  ") STRICT;"
  "CREATE INDEX training_assignment_agent ON training_assignment (agent_id, due_at);"
  "CREATE INDEX training_assignment_open ON training_assignment (due_at) WHERE completed_at IS NULL;"
  "CREATE TABLE assessment ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL CHECK (title <> ''),"
  "  kind TEXT NOT NULL CHECK (kind IN ('written', 'practical')),"
  "  quarter TEXT NOT NULL,"                           /* e.g. 2026-Q4 */
  "  pass_mark REAL NOT NULL CHECK (pass_mark BETWEEN 0 AND 100),"
  "  form_version_id TEXT REFERENCES form_version (id),"   /* practical: scored on a form */
  "  due_at INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  CHECK (kind = 'practical' OR form_version_id IS NULL)"
  ") STRICT;"
  "CREATE INDEX assessment_due ON assessment (due_at);"
  "CREATE TABLE assessment_result ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  assessment_id TEXT NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agent (id),"
  "  score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),"
  "  evaluation_id TEXT REFERENCES evaluation (id),"   /* practical: the role-play's scoring */
  "  taken_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX assessment_result_assessment ON assessment_result (assessment_id, agent_id);"
  "CREATE INDEX assessment_result_agent ON assessment_result (agent_id, taken_at);"
  "CREATE TABLE improvement_action ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  problem TEXT NOT NULL CHECK (problem <> ''),"
  "  category TEXT NOT NULL CHECK (category IN ('people', 'process', 'technology', 'resources',"
  "    'environment')),"
  "  whys TEXT NOT NULL DEFAULT '[]' CHECK (json_type (whys) = 'array'),"   /* the 5-Why chain */
  "  impact INTEGER NOT NULL CHECK (impact IN (1, 2)),"    /* 2 high, 1 low */
  "  effort INTEGER NOT NULL CHECK (effort IN (1, 2)),"    /* 2 high, 1 low */
  "  priority TEXT GENERATED ALWAYS AS ('P' || (CASE WHEN impact = 2 THEN 0 ELSE 2 END"
  "    + effort)) STORED,"                                 /* P1 high impact, low effort .. P4 */
  "  owner_id TEXT REFERENCES staff (id),"
  "  due_at INTEGER,"
  "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in_progress', 'done',"
  "    'cancelled')),"
  "  evidence TEXT NOT NULL DEFAULT '[]' CHECK (json_type (evidence) = 'array'),"
  "  kpi TEXT,"                                          /* the KPI it is meant to move */
  "  closed_at INTEGER,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX improvement_action_state ON improvement_action (state, due_at);"
  "CREATE INDEX improvement_action_owner ON improvement_action (owner_id, state);"
  /* the Overdue list's reviews: assignments past due without a submitted evaluation */
  "CREATE INDEX assignment_due ON assignment (due_at);"
  "CREATE INDEX evaluation_assignment ON evaluation (assignment_id);",

  /* 11: disputes of submitted evaluations, reviewed through configured steps, and agents'
   * acknowledgements (docs/disputes.md); an upheld item changes the score only through an
   * amendment revision whose reason is the dispute. Agreed as step 9 of this batch; it took
   * the next free number when it landed. */
  "CREATE TABLE dispute_stage ("        /* the configured steps, in order */
  "  position INTEGER PRIMARY KEY NOT NULL CHECK (position >= 1),"
  "  role TEXT NOT NULL CHECK (role IN ('lead', 'manager')),"
  "  deadline_days INTEGER NOT NULL CHECK (deadline_days BETWEEN 1 AND 365),"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "INSERT INTO dispute_stage (position, role, deadline_days) VALUES (1, 'lead', 3), (2, 'manager', 5);"
  "CREATE TABLE dispute ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  evaluation_id TEXT NOT NULL REFERENCES evaluation (id),"
  "  revision_id TEXT NOT NULL REFERENCES evaluation_revision (id),"   /* the revision disputed */
  "  agent_id TEXT REFERENCES agent (id),"
  "  raised_by TEXT NOT NULL REFERENCES staff (id),"
  "  on_behalf INTEGER NOT NULL DEFAULT 0 CHECK (on_behalf IN (0, 1)),"   /* a lead for the agent */
  "  items TEXT NOT NULL CHECK (json_valid (items) AND json_type (items) = 'array'),"  /* [] = all */
  "  reason TEXT NOT NULL CHECK (reason <> ''),"
  "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'partly_upheld',"
  "    'rejected', 'withdrawn')),"
  "  current_step INTEGER,"            /* the step under review while open, else NULL */
  "  outcome_revision_id TEXT REFERENCES evaluation_revision (id),"   /* the amendment it made */
  "  raised_at INTEGER NOT NULL,"
  "  closed_at INTEGER,"
  "  acknowledged_at INTEGER,"         /* when the agent acknowledged the outcome */
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  CHECK ((state = 'open') = (current_step IS NOT NULL))"
  ") STRICT;"
  "CREATE INDEX dispute_state ON dispute (state, raised_at);"
  "CREATE INDEX dispute_evaluation ON dispute (evaluation_id, raised_at);"
  "CREATE INDEX dispute_agent ON dispute (agent_id, raised_at);"
  "CREATE UNIQUE INDEX dispute_one_open ON dispute (evaluation_id) WHERE state = 'open';"
  "CREATE TABLE dispute_step ("
  "  dispute_id TEXT NOT NULL REFERENCES dispute (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 1),"
  "  role TEXT NOT NULL CHECK (role IN ('lead', 'manager')),"
  "  assignee_id TEXT REFERENCES staff (id),"
  "  deadline_days INTEGER NOT NULL CHECK (deadline_days BETWEEN 1 AND 365),"
  "  started_at INTEGER,"              /* NULL until the step before it is decided */
  "  due_at INTEGER,"
  "  decision TEXT CHECK (decision IN ('upheld', 'partly_upheld', 'rejected')),"
  "  reason TEXT CHECK (reason IN ('evidence_supports_agent', 'item_misapplied', 'missing_context',"
  "    'policy_unclear', 'evaluation_correct', 'other')),"
  "  comment TEXT NOT NULL DEFAULT '',"
  "  upheld_items TEXT CHECK (upheld_items IS NULL OR json_valid (upheld_items)),"
  "  decided_by TEXT REFERENCES staff (id),"
  "  decided_at INTEGER,"
  "  PRIMARY KEY (dispute_id, position),"
  "  CHECK ((started_at IS NULL) = (due_at IS NULL)),"
  "  CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (reason IS NULL)),"
  "  CHECK (decision IS NULL OR started_at IS NOT NULL)"
  ") STRICT;"
  "CREATE INDEX dispute_step_due ON dispute_step (due_at) WHERE decision IS NULL;"
  "CREATE INDEX dispute_step_assignee ON dispute_step (assignee_id, due_at);"
  "CREATE TABLE acknowledgement ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('evaluation', 'dispute', 'coaching_session')),"
  "  object_id TEXT NOT NULL,"
  "  revision_id TEXT,"                /* an evaluation's revision acknowledged */
  "  agent_id TEXT REFERENCES agent (id),"
  "  by_id TEXT NOT NULL REFERENCES staff (id),"
  "  comment TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE UNIQUE INDEX acknowledgement_object ON acknowledgement (kind, object_id, coalesce (revision_id, ''));"
  "CREATE INDEX acknowledgement_agent ON acknowledgement (agent_id, created_at);"
  "CREATE INDEX evaluation_revision_created ON evaluation_revision (created_at);",

  /* 12: mystery-shopper audits (docs/audits.md): programmes, their scenarios (channel, target,
   * what to observe, the form version), shoppers, scheduled visits and test calls with monthly
   * quotas, audits with a draft saved as typed and append-only revisions like evaluations, and
   * the evidence files they hold, content-addressed by SHA-256 in <db>.files */
  "CREATE TABLE audit_programme ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  description TEXT NOT NULL DEFAULT '',"
  "  starts_at INTEGER NOT NULL,"
  "  ends_at INTEGER NOT NULL,"
  "  created_by TEXT REFERENCES staff (id),"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  CHECK (ends_at > starts_at)"
  ") STRICT;"
  "CREATE INDEX audit_programme_time ON audit_programme (starts_at);"
  "CREATE TABLE audit_scenario ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  programme_id TEXT NOT NULL REFERENCES audit_programme (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  channel TEXT NOT NULL CHECK (channel IN ('phone', 'chat', 'email', 'visit')),"
  "  site TEXT,"                        /* a service point, for visits */
  "  queue TEXT,"                       /* the queue a test call or chat goes to */
  "  team_id TEXT REFERENCES team (id),"
  "  script TEXT NOT NULL DEFAULT '',"  /* what the shopper says or does */
  "  observe TEXT NOT NULL DEFAULT '',"  /* what they must observe */
  "  form_version_id TEXT NOT NULL REFERENCES form_version (id),"
  "  monthly_quota INTEGER NOT NULL DEFAULT 0 CHECK (monthly_quota BETWEEN 0 AND 1000),"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  CHECK (site IS NOT NULL OR queue IS NOT NULL OR team_id IS NOT NULL)"
  ") STRICT;"
  "CREATE INDEX audit_scenario_programme ON audit_scenario (programme_id);"
  "CREATE INDEX audit_scenario_team ON audit_scenario (team_id);"
  "CREATE TABLE audit_shopper ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  kind TEXT NOT NULL DEFAULT 'internal' CHECK (kind IN ('internal', 'agency')),"
  "  agency TEXT,"
  "  phone TEXT,"                       /* the number test calls come from */
  "  staff_id TEXT REFERENCES staff (id),"   /* the account filling their audits, if any */
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX audit_shopper_phone ON audit_shopper (phone);"
  "CREATE TABLE audit_visit ("          /* a scheduled visit or test call; done = a submitted audit */
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  scenario_id TEXT NOT NULL REFERENCES audit_scenario (id) ON DELETE CASCADE,"
  "  shopper_id TEXT REFERENCES audit_shopper (id),"
  "  due_at INTEGER NOT NULL,"          /* overdue from this instant (the end of its day) */
  "  state TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'cancelled')),"
  "  created_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX audit_visit_due ON audit_visit (due_at);"
  "CREATE INDEX audit_visit_scenario ON audit_visit (scenario_id, due_at);"
  "CREATE INDEX audit_visit_shopper ON audit_visit (shopper_id, due_at);"
  "CREATE TABLE audit ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  visit_id TEXT REFERENCES audit_visit (id),"
  "  scenario_id TEXT NOT NULL REFERENCES audit_scenario (id),"
  "  form_version_id TEXT NOT NULL REFERENCES form_version (id),"
  "  shopper_id TEXT REFERENCES audit_shopper (id),"
  "  author_id TEXT NOT NULL REFERENCES staff (id),"
  "  agent_id TEXT REFERENCES agent (id),"          /* the agent served, when known */
  "  visited_at INTEGER NOT NULL,"
  "  interaction_id TEXT REFERENCES interaction (id),"   /* a test call's recorded contact */
  "  matched_by TEXT REFERENCES staff (id),"
  "  matched_at INTEGER,"
  "  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),"
  "  current_revision_id TEXT,"
  "  draft_answers TEXT CHECK (draft_answers IS NULL OR json_valid (draft_answers)),"
  "  draft_score REAL,"
  "  draft_results TEXT,"
  "  draft_saved_at INTEGER,"
  "  amending INTEGER NOT NULL DEFAULT 0 CHECK (amending IN (0, 1)),"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  rev INTEGER, dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),"
  "  CHECK ((interaction_id IS NULL) = (matched_at IS NULL)),"
  "  CHECK (state = 'submitted' OR current_revision_id IS NULL)"
  ") STRICT;"
  "CREATE UNIQUE INDEX audit_visit_one ON audit (visit_id) WHERE visit_id IS NOT NULL;"
  "CREATE INDEX audit_scenario_time ON audit (scenario_id, visited_at);"
  "CREATE INDEX audit_time ON audit (visited_at);"
  "CREATE INDEX audit_state ON audit (state, updated_at);"
  "CREATE INDEX audit_author ON audit (author_id, updated_at);"
  "CREATE INDEX audit_interaction ON audit (interaction_id);"
  "CREATE TABLE audit_revision ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  audit_id TEXT NOT NULL REFERENCES audit (id),"
  "  number INTEGER NOT NULL CHECK (number >= 1),"
  "  answers TEXT NOT NULL CHECK (json_valid (answers)),"
  "  score REAL,"
  "  results TEXT,"
  "  author_id TEXT NOT NULL REFERENCES staff (id),"
  "  created_at INTEGER NOT NULL,"
  "  reason TEXT,"
  "  UNIQUE (audit_id, number),"
  "  CHECK (number = 1 OR coalesce (reason, '') <> '')"
  ") STRICT;"
  "CREATE TRIGGER audit_revision_append_only BEFORE DELETE ON audit_revision"
  "  BEGIN SELECT RAISE (ABORT, 'audit revisions are append-only'); END;"
  "CREATE TRIGGER audit_revision_immutable BEFORE UPDATE ON audit_revision"
  "  BEGIN SELECT RAISE (ABORT, 'audit revisions are append-only'); END;"
  "CREATE TABLE blob ("                 /* an evidence file: <db>.files/aa/bb/<sha256> */
  "  sha256 TEXT PRIMARY KEY NOT NULL CHECK (length (sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),"
  "  size INTEGER NOT NULL CHECK (size >= 0),"
  "  media_type TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  uploaded_at INTEGER"               /* when the central service had it */
  ") STRICT;"
  "CREATE TABLE audit_evidence ("
  "  audit_id TEXT NOT NULL REFERENCES audit (id) ON DELETE CASCADE,"
  "  item_id TEXT NOT NULL DEFAULT '',"  /* the form item it supports, '' for the whole audit */
  "  sha256 TEXT NOT NULL REFERENCES blob (sha256),"
  "  file_name TEXT NOT NULL,"
  "  added_at INTEGER NOT NULL,"
  "  PRIMARY KEY (audit_id, item_id, sha256)"
  ") STRICT;"
  "CREATE INDEX audit_evidence_blob ON audit_evidence (sha256);",
};

int
_assay_store_schema_version (void)
{
  return (int) G_N_ELEMENTS (migrations);
}

sqlite3 *
_assay_store_connect (const char  *path,
                      GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_OPEN,
                   _("Cannot open the database %s: %s"), path,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, 5000);
  sqlite3_extended_result_codes (db, 1);

  if (!_assay_store_exec (db,
                          "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = FULL;"
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA cache_size = -6000;",
                          error))
    {
      g_prefix_error (error, _("%s is not an Assay database: "), path);
      if (*error)
        (*error)->code = ASSAY_STORE_ERROR_OPEN;
      sqlite3_close_v2 (db);
      return NULL;
    }

  return db;
}

static int
user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

typedef struct
{
  const char *sql;
  const char *bump;
  gboolean    failed;  /* out: the step itself failed (not the transaction around it) */
} MigrationStep;

static gboolean
migration_step_locked (sqlite3  *db,
                       gpointer  data,
                       GError  **error)
{
  MigrationStep *step = data;

  step->failed = !_assay_store_exec (db, step->sql, error)
                 || !_assay_store_exec (db, step->bump, error);
  return !step->failed;
}

gboolean
_assay_store_migrate (sqlite3  *db,
                      int       target,
                      GError  **error)
{
  int version = user_version (db);

  g_return_val_if_fail (target <= _assay_store_schema_version (), FALSE);

  if (version < 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_OPEN,
                   _("The file is not an Assay database: %s"), sqlite3_errmsg (db));
      return FALSE;
    }
  if (version > _assay_store_schema_version ())
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_TOO_NEW,
                   _("The database was written by a newer Assay (schema %d, this one knows %d). "
                     "Update Assay or open another database."),
                   version, _assay_store_schema_version ());
      return FALSE;
    }

  while (version < target)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      MigrationStep step = { migrations[version], bump };
      GError *local_error = NULL;

      if (!_assay_store_in_transaction_ok (db, migration_step_locked, &step, &local_error))
        {
          /* a step that could not even start or commit says so as it is */
          if (step.failed)
            g_prefix_error (&local_error, _("Upgrading the database to schema %d failed: "),
                            version + 1);
          g_propagate_error (error, local_error);
          return FALSE;
        }
      version++;
    }

  return TRUE;
}
