/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The SQL of the KPI summary tables (docs/kpi.md), shared by their migration step, the triggers
 * that keep them in the same transaction as the facts, and `assayctl kpi rebuild`. The
 * per-contact and per-evaluation expressions are written once here, as X-macros, so the
 * triggers and the rebuild cannot disagree.
 *
 * Once a migration step using these has shipped, changing an expression needs a new step that
 * drops and recreates the triggers and rebuilds the summaries.
 */

/* the tables the KPI triggers and migration keep: derived from the facts, never work of their
 * own (seed --force) and never copied by a salvage (the triggers fill them again) */
#define KPI_SUMMARY_TABLES "kpi_contact_day", "kpi_qa_day", "kpi_summary_state"

/* the local calendar day (days since 1970-01-01) of a started_at in UTC ms, in the time zone of
 * the process (SQLite's 'localtime') */
#define KPI_DAY(I) \
  "(CAST (strftime ('%s', " I "started_at / 1000, 'unixepoch', 'localtime') AS INTEGER) / 86400)"

/* what identifies the local time zone for the summaries: its offsets at ten instants */
#define KPI_TZ_FINGERPRINT \
  "(SELECT group_concat (CAST (strftime ('%s', t, 'unixepoch', 'localtime') AS INTEGER) - t, ',')" \
  " FROM (SELECT column1 AS t FROM (VALUES (946684800), (962409600), (1262304000), (1277942400)," \
  " (1577836800), (1593561600), (1735689600), (1751328000), (1893456000), (1909094400))))"

#define KPI_SLA_MET(I) \
  "coalesce ((" I "first_response_target_s IS NULL" \
  " OR " I "first_response_s <= " I "first_response_target_s)" \
  " AND (" I "resolution_target_s IS NULL OR " I "resolution_s <= " I "resolution_target_s), 0)"
#define KPI_SLA_DUE(I, P) \
  "coalesce (" I "priority = '" P "' AND (" I "first_response_target_s IS NOT NULL" \
  " OR " I "resolution_target_s IS NOT NULL), 0)"
#define KPI_HANDLE(I) \
  "(CASE WHEN " I "abandoned = 0 THEN " I "talk_s + " I "hold_s + " I "wrap_s ELSE 0 END)"
#define KPI_FR(I) \
  "(CASE WHEN " I "channel <> 'phone' THEN coalesce (" I "first_response_s, 0) ELSE 0 END)"

/* X (column, per-contact value) for every counter of kpi_contact_day; I is the row's prefix */
#define KPI_CONTACT_COLUMNS(X, I) \
  X ("contacts", "1") \
  X ("handled", "(" I "abandoned = 0)") \
  X ("handle_s", KPI_HANDLE (I)) \
  X ("handle_s2", KPI_HANDLE (I) " * " KPI_HANDLE (I)) \
  X ("csat_n", "(" I "csat IS NOT NULL)") \
  X ("csat_ok", "coalesce (" I "csat >= 4, 0)") \
  X ("nps_n", "(" I "nps IS NOT NULL)") \
  X ("nps_pro", "coalesce (" I "nps >= 9, 0)") \
  X ("nps_det", "coalesce (" I "nps <= 6, 0)") \
  X ("fcr_n", "(" I "fcr IS NOT NULL)") \
  X ("fcr_ok", "coalesce (" I "fcr = 1, 0)") \
  X ("sl_n", "(" I "answered_in_sl IS NOT NULL)") \
  X ("sl_ok", "coalesce (" I "answered_in_sl = 1, 0)") \
  X ("fr_n", "(" I "channel <> 'phone' AND " I "first_response_s IS NOT NULL)") \
  X ("fr_s", KPI_FR (I)) \
  X ("fr_s2", KPI_FR (I) " * " KPI_FR (I)) \
  X ("sla_n_low", KPI_SLA_DUE (I, "low")) \
  X ("sla_ok_low", "(" KPI_SLA_DUE (I, "low") " AND " KPI_SLA_MET (I) ")") \
  X ("sla_n_normal", KPI_SLA_DUE (I, "normal")) \
  X ("sla_ok_normal", "(" KPI_SLA_DUE (I, "normal") " AND " KPI_SLA_MET (I) ")") \
  X ("sla_n_high", KPI_SLA_DUE (I, "high")) \
  X ("sla_ok_high", "(" KPI_SLA_DUE (I, "high") " AND " KPI_SLA_MET (I) ")") \
  X ("sla_n_urgent", KPI_SLA_DUE (I, "urgent")) \
  X ("sla_ok_urgent", "(" KPI_SLA_DUE (I, "urgent") " AND " KPI_SLA_MET (I) ")")

/* a result figure of a revision, in 1/10,000 points; NULL when the revision has none */
#define KPI_RESULT_E4(R, PATH) \
  "CAST (round (CASE WHEN json_valid (" R "results) THEN json_extract (" R "results, '" PATH "')" \
  " END * 10000) AS INTEGER)"
#define KPI_SCORE_E4(R) "CAST (round (" R "score * 10000) AS INTEGER)"

/* X (column, per-evaluation value) for every counter of kpi_qa_day; R is the current revision */
#define KPI_QA_COLUMNS(X, R) \
  X ("evals", "1") \
  X ("fatal", "coalesce (CASE WHEN json_valid (" R "results) THEN" \
              " json_array_length (" R "results, '$.fatal_failed') > 0 END, 0)") \
  X ("qa_n", "(" R "score IS NOT NULL)") \
  X ("qa_e4", "coalesce (" KPI_SCORE_E4 (R) ", 0)") \
  X ("qa_e4sq", "coalesce (" KPI_SCORE_E4 (R) " * " KPI_SCORE_E4 (R) ", 0)") \
  X ("nf_n", "(" KPI_RESULT_E4 (R, "$.without_fatal") " IS NOT NULL)") \
  X ("nf_e4", "coalesce (" KPI_RESULT_E4 (R, "$.without_fatal") ", 0)") \
  X ("nf_e4sq", "coalesce (" KPI_RESULT_E4 (R, "$.without_fatal") " * " \
                KPI_RESULT_E4 (R, "$.without_fatal") ", 0)") \
  X ("crit_n", "(" KPI_RESULT_E4 (R, "$.critical") " IS NOT NULL)") \
  X ("crit_e4", "coalesce (" KPI_RESULT_E4 (R, "$.critical") ", 0)") \
  X ("crit_e4sq", "coalesce (" KPI_RESULT_E4 (R, "$.critical") " * " \
                  KPI_RESULT_E4 (R, "$.critical") ", 0)")

#define KPI_X_DECL(name, expr)    ", " name " INTEGER NOT NULL DEFAULT 0"
#define KPI_X_NAME(name, expr)    ", " name
#define KPI_X_PLUS(name, expr)    ", +(" expr ")"
#define KPI_X_MINUS(name, expr)   ", -(" expr ")"
#define KPI_X_SUM(name, expr)     ", sum (" expr ")"
#define KPI_X_UPDATE(name, expr)  ", " name " = " name " + excluded." name
#define KPI_X_NONZERO(name, expr) " OR " name " <> 0"
#define KPI_X_SUMCOL(name, expr)  ", sum (" name ")"

#define KPI_KEY_DECL \
  "agent_id TEXT NOT NULL, day INTEGER NOT NULL, channel TEXT NOT NULL, team_id TEXT NOT NULL"
#define KPI_KEY_VALUES(I) \
  I "agent_id, " KPI_DAY (I) ", " I "channel, coalesce (" I "team_id, '')"

/* adds (X = KPI_X_PLUS) or takes away (KPI_X_MINUS) the contact row I */
#define KPI_CONTACT_UPSERT(I, X) \
  "INSERT INTO kpi_contact_day (agent_id, day, channel, team_id" \
  KPI_CONTACT_COLUMNS (KPI_X_NAME, I) ") VALUES (" KPI_KEY_VALUES (I) \
  KPI_CONTACT_COLUMNS (X, I) ") ON CONFLICT DO UPDATE SET agent_id = excluded.agent_id" \
  KPI_CONTACT_COLUMNS (KPI_X_UPDATE, I) ";"

/* adds or takes away the current revision R on the contact I, of the rows FROM_WHERE selects */
#define KPI_QA_UPSERT(I, R, X, FROM_WHERE) \
  "INSERT INTO kpi_qa_day (agent_id, day, channel, team_id" \
  KPI_QA_COLUMNS (KPI_X_NAME, R) ") SELECT " KPI_KEY_VALUES (I) \
  KPI_QA_COLUMNS (X, R) " " FROM_WHERE " ON CONFLICT DO UPDATE SET agent_id = excluded.agent_id" \
  KPI_QA_COLUMNS (KPI_X_UPDATE, R) ";"

/* the contents of the summaries recomputed from the facts, as SELECTs */
#define KPI_CONTACT_RECOMPUTE \
  "SELECT " KPI_KEY_VALUES ("i.") KPI_CONTACT_COLUMNS (KPI_X_SUM, "i.") \
  " FROM interaction i GROUP BY 1, 2, 3, 4"
#define KPI_QA_RECOMPUTE \
  "SELECT " KPI_KEY_VALUES ("i.") KPI_QA_COLUMNS (KPI_X_SUM, "r.") \
  " FROM evaluation e JOIN evaluation_revision r ON r.id = e.current_revision_id" \
  " AND r.evaluation_id = e.id JOIN interaction i ON i.id = e.interaction_id" \
  " WHERE e.state = 'submitted' GROUP BY 1, 2, 3, 4"
#define KPI_CONTACT_NAMES "agent_id, day, channel, team_id" KPI_CONTACT_COLUMNS (KPI_X_NAME, "")
#define KPI_QA_NAMES "agent_id, day, channel, team_id" KPI_QA_COLUMNS (KPI_X_NAME, "")
/* rows of the summaries that hold something (all-zero rows are left by subtractions) */
#define KPI_CONTACT_NONZERO "(0" KPI_CONTACT_COLUMNS (KPI_X_NONZERO, "") ")"
#define KPI_QA_NONZERO "(0" KPI_QA_COLUMNS (KPI_X_NONZERO, "") ")"

#define KPI_QA_OF_EVALUATION(E) \
  "FROM evaluation_revision r, interaction i WHERE " E "state = 'submitted'" \
  " AND r.id = " E "current_revision_id AND r.evaluation_id = " E "id AND i.id = " E "interaction_id"
#define KPI_QA_OF_REVISION(R) \
  "FROM evaluation e, interaction i WHERE e.id = " R "evaluation_id" \
  " AND e.current_revision_id = " R "id AND e.state = 'submitted' AND i.id = e.interaction_id"
#define KPI_QA_OF_INTERACTION(I) \
  "FROM evaluation e, evaluation_revision r WHERE e.interaction_id = " I "id" \
  " AND e.state = 'submitted' AND r.id = e.current_revision_id AND r.evaluation_id = e.id"

#define KPI_CONTACT_KEY_CHANGED \
  "OLD.agent_id IS NOT NEW.agent_id OR OLD.team_id IS NOT NEW.team_id" \
  " OR OLD.started_at IS NOT NEW.started_at OR OLD.channel IS NOT NEW.channel"

/* the migration step: tables, triggers, and the summaries of what the database holds */
#define KPI_MIGRATION_SQL \
  "CREATE TABLE kpi_contact_day (" KPI_KEY_DECL KPI_CONTACT_COLUMNS (KPI_X_DECL, "") "," \
  "  PRIMARY KEY (agent_id, day, channel, team_id)) WITHOUT ROWID, STRICT;" \
  "CREATE INDEX kpi_contact_day_team ON kpi_contact_day (team_id, day);" \
  "CREATE INDEX kpi_contact_day_day ON kpi_contact_day (day);" \
  "CREATE TABLE kpi_qa_day (" KPI_KEY_DECL KPI_QA_COLUMNS (KPI_X_DECL, "") "," \
  "  PRIMARY KEY (agent_id, day, channel, team_id)) WITHOUT ROWID, STRICT;" \
  "CREATE INDEX kpi_qa_day_team ON kpi_qa_day (team_id, day);" \
  "CREATE INDEX kpi_qa_day_day ON kpi_qa_day (day);" \
  "CREATE TABLE kpi_summary_state (" \
  "  key TEXT PRIMARY KEY NOT NULL," \
  "  value TEXT NOT NULL" \
  ") STRICT;" \
  "CREATE TRIGGER kpi_interaction_insert AFTER INSERT ON interaction BEGIN " \
  KPI_CONTACT_UPSERT ("NEW.", KPI_X_PLUS) " END;" \
  "CREATE TRIGGER kpi_interaction_delete AFTER DELETE ON interaction BEGIN " \
  KPI_CONTACT_UPSERT ("OLD.", KPI_X_MINUS) \
  KPI_QA_UPSERT ("OLD.", "r.", KPI_X_MINUS, KPI_QA_OF_INTERACTION ("OLD.")) " END;" \
  "CREATE TRIGGER kpi_interaction_update AFTER UPDATE OF agent_id, team_id, started_at, channel," \
  " talk_s, hold_s, wrap_s, csat, nps, fcr, answered_in_sl, abandoned, priority, first_response_s," \
  " first_response_target_s, resolution_s, resolution_target_s ON interaction BEGIN " \
  KPI_CONTACT_UPSERT ("OLD.", KPI_X_MINUS) KPI_CONTACT_UPSERT ("NEW.", KPI_X_PLUS) " END;" \
  "CREATE TRIGGER kpi_interaction_move AFTER UPDATE OF agent_id, team_id, started_at, channel" \
  " ON interaction WHEN " KPI_CONTACT_KEY_CHANGED " BEGIN " \
  KPI_QA_UPSERT ("OLD.", "r.", KPI_X_MINUS, KPI_QA_OF_INTERACTION ("OLD.")) \
  KPI_QA_UPSERT ("NEW.", "r.", KPI_X_PLUS, KPI_QA_OF_INTERACTION ("NEW.")) " END;" \
  "CREATE TRIGGER kpi_evaluation_insert AFTER INSERT ON evaluation BEGIN " \
  KPI_QA_UPSERT ("i.", "r.", KPI_X_PLUS, KPI_QA_OF_EVALUATION ("NEW.")) " END;" \
  "CREATE TRIGGER kpi_evaluation_update AFTER UPDATE OF state, current_revision_id, interaction_id" \
  " ON evaluation WHEN OLD.state IS NOT NEW.state" \
  " OR OLD.current_revision_id IS NOT NEW.current_revision_id" \
  " OR OLD.interaction_id IS NOT NEW.interaction_id BEGIN " \
  KPI_QA_UPSERT ("i.", "r.", KPI_X_MINUS, KPI_QA_OF_EVALUATION ("OLD.")) \
  KPI_QA_UPSERT ("i.", "r.", KPI_X_PLUS, KPI_QA_OF_EVALUATION ("NEW.")) " END;" \
  "CREATE TRIGGER kpi_evaluation_delete AFTER DELETE ON evaluation BEGIN " \
  KPI_QA_UPSERT ("i.", "r.", KPI_X_MINUS, KPI_QA_OF_EVALUATION ("OLD.")) " END;" \
  "CREATE TRIGGER kpi_revision_insert AFTER INSERT ON evaluation_revision BEGIN " \
  KPI_QA_UPSERT ("i.", "NEW.", KPI_X_PLUS, KPI_QA_OF_REVISION ("NEW.")) " END;" \
  "CREATE TRIGGER kpi_revision_update AFTER UPDATE OF id, evaluation_id, score, results" \
  " ON evaluation_revision BEGIN " \
  KPI_QA_UPSERT ("i.", "OLD.", KPI_X_MINUS, KPI_QA_OF_REVISION ("OLD.")) \
  KPI_QA_UPSERT ("i.", "NEW.", KPI_X_PLUS, KPI_QA_OF_REVISION ("NEW.")) " END;" \
  "CREATE TRIGGER kpi_revision_delete AFTER DELETE ON evaluation_revision BEGIN " \
  KPI_QA_UPSERT ("i.", "OLD.", KPI_X_MINUS, KPI_QA_OF_REVISION ("OLD.")) " END;" \
  "INSERT INTO kpi_contact_day (" KPI_CONTACT_NAMES ") " KPI_CONTACT_RECOMPUTE ";" \
  "INSERT INTO kpi_qa_day (" KPI_QA_NAMES ") " KPI_QA_RECOMPUTE ";" \
  "INSERT INTO kpi_summary_state (key, value) VALUES ('time_zone', " KPI_TZ_FINGERPRINT ");"

/* the reads of the summaries that other store files share (assay-store-kpi.c) */
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "core/assay-kpi.h"

/* the first UTC ms of local day @day */
gint64   _assay_store_kpi_day_start_ms       (int            day);
/* rebuilds the summaries first when the local time zone is not the one they were built in */
gboolean _assay_store_kpi_ensure_time_zone   (sqlite3       *db,
                                              GError       **error);
/* adds the KPI_CONTACT_COLUMNS sums from column @col on of @stmt (@channel -1: none known) */
void     _assay_store_kpi_add_contact_row    (sqlite3_stmt  *stmt,
                                              int            col,
                                              int            channel,
                                              AssayKpiSums  *sums);
/* adds the KPI_QA_COLUMNS sums from column @col on of @stmt */
void     _assay_store_kpi_add_qa_row         (sqlite3_stmt  *stmt,
                                              int            col,
                                              AssayKpiSums  *sums);

/* shared by assay-store-kpi.c and assay-store-kpi-followup.c */
/* refuses a period that ends before it starts or spans more than twenty years */
gboolean _assay_store_kpi_check_period       (int            from_day,
                                              int            to_day,
                                              GError       **error);
/* queues the outbox operation of a write, in the caller's transaction */
gboolean _assay_store_kpi_queue_operation    (sqlite3       *db,
                                              const char    *collection,
                                              const char    *object_id,
                                              const char    *action,
                                              JsonBuilder   *data,
                                              GError       **error);
/* whether @sql (one ? for @id) finds a row */
gboolean _assay_store_kpi_row_exists         (sqlite3       *db,
                                              const char    *sql,
                                              const char    *id,
                                              gboolean      *exists,
                                              GError       **error);
