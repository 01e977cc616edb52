/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "assay-interaction.h"

G_BEGIN_DECLS

/*
 * The interaction CSV format of `assayctl import` and `assayctl export`, documented in
 * docs/csv.md: a header row naming columns (any order), then one interaction per record.
 * This file turns records into facts and facts into records; it knows nothing of files or the
 * database.
 */

typedef enum {
  ASSAY_CSV_COLUMN_ID,
  ASSAY_CSV_COLUMN_CHANNEL,
  ASSAY_CSV_COLUMN_QUEUE,
  ASSAY_CSV_COLUMN_AGENT_CODE,
  ASSAY_CSV_COLUMN_AGENT_NAME,
  ASSAY_CSV_COLUMN_TEAM,
  ASSAY_CSV_COLUMN_CUSTOMER_REF,
  ASSAY_CSV_COLUMN_STARTED_AT,
  ASSAY_CSV_COLUMN_WAIT_S,
  ASSAY_CSV_COLUMN_TALK_S,
  ASSAY_CSV_COLUMN_HOLD_S,
  ASSAY_CSV_COLUMN_WRAP_S,
  ASSAY_CSV_COLUMN_CSAT,
  ASSAY_CSV_COLUMN_NPS,
  ASSAY_CSV_COLUMN_FCR,
  ASSAY_CSV_COLUMN_ANSWERED_IN_SL,
  ASSAY_CSV_COLUMN_ABANDONED,
  ASSAY_CSV_COLUMN_PRIORITY,
  ASSAY_CSV_COLUMN_FIRST_RESPONSE_S,
  ASSAY_CSV_COLUMN_FIRST_RESPONSE_TARGET_S,
  ASSAY_CSV_COLUMN_RESOLUTION_S,
  ASSAY_CSV_COLUMN_RESOLUTION_TARGET_S,
  ASSAY_CSV_COLUMN_RECORDING,
  ASSAY_CSV_COLUMN_RECORDING_AGENT_CHANNEL,
  ASSAY_CSV_COLUMN_TRANSCRIPT,
  ASSAY_CSV_N_COLUMNS
} AssayCsvColumn;

/** assay_csv_column_name: the header name of @column ("csat"). */
const char *assay_csv_column_name (AssayCsvColumn column);

/**
 * AssayInteractionCsvHeader:
 * Where each column sits in a record (-1 when the file lacks it).
 */
typedef struct {
  int   position[ASSAY_CSV_N_COLUMNS];
  guint n_fields;
} AssayInteractionCsvHeader;

/**
 * assay_interaction_csv_header_parse:
 * Reads the header row. Names are matched without regard to case or surrounding spaces.
 * Returns: %FALSE with %ASSAY_CSV_ERROR_HEADER naming every unknown or doubled column and
 * every required column that is missing.
 */
gboolean assay_interaction_csv_header_parse (AssayInteractionCsvHeader *header,
                                             const char *const         *fields,
                                             guint                      n_fields,
                                             GError                   **error);

/**
 * AssayInteractionCsvRow:
 * One record: the interaction's facts (agent_id and team_id unset: the importer resolves them
 * from the code and team name) plus what links it to agents, teams and a recording.
 */
typedef struct {
  AssayInteractionFacts facts;
  char *agent_code;
  char *agent_name;               /* NULL when empty */
  char *team_name;                /* NULL when empty */
  char *recording;                /* NULL when empty */
  int   recording_agent_channel;  /* 0/1 or %ASSAY_NONE */
  char *transcript;               /* a file in the recordings folder, NULL when empty */
} AssayInteractionCsvRow;

void assay_interaction_csv_row_init  (AssayInteractionCsvRow *row);
void assay_interaction_csv_row_clear (AssayInteractionCsvRow *row);

/**
 * AssayCsvProblem:
 * One thing wrong with a record: the field it is in (%G_MAXUINT for the whole record) and a
 * message such as "column 'csat': must be 1–5, got '7'".
 */
typedef struct {
  guint  field;
  char  *message;
} AssayCsvProblem;

/** assay_csv_problems_new: an array of #AssayCsvProblem that frees its messages. */
GArray *assay_csv_problems_new (void);

/**
 * assay_interaction_csv_row_parse:
 * Checks and converts one record. Every problem found is appended to @problems (all of them,
 * not just the first).
 * Returns: %TRUE if the record is good; @row is then filled in.
 */
gboolean assay_interaction_csv_row_parse (const AssayInteractionCsvHeader *header,
                                          const char *const               *fields,
                                          guint                            n_fields,
                                          AssayInteractionCsvRow          *row,
                                          GArray                          *problems);

/**
 * assay_recording_name_problem:
 * The rules of the 'recording' column that need no file system (docs/csv.md): a recording is a
 * file in the recordings folder, so a URL (any "scheme:"), a name with a ".." component, a
 * backslash or a control character is refused. Whether an absolute path lies inside the folder,
 * and where a symbolic link leads, is checked by the import against the folder itself.
 * Returns: (transfer full) (nullable): the rule broken ("is a URL: ..."), %NULL when none is.
 */
char *assay_recording_name_problem (const char *value);

/** assay_interaction_csv_format_header: appends the header row with every column, in order. */
void assay_interaction_csv_format_header (GString                      *out);
/** assay_interaction_csv_format_row: appends @row as a record matching that header. */
void assay_interaction_csv_format_row    (GString                      *out,
                                          const AssayInteractionCsvRow *row);

/**
 * assay_interaction_csv_format_time:
 * Unix milliseconds as ISO-8601 UTC, with milliseconds only when there are some
 * ("2026-11-14T10:42:00Z", "2026-11-14T10:42:00.250Z").
 */
char *assay_interaction_csv_format_time (gint64 ms);

/**
 * assay_interaction_csv_parse_time:
 * Parses an ISO-8601 date and time that names its offset ("Z" or "+08:00").
 * Returns: %FALSE for anything else, including a time without an offset.
 */
gboolean assay_interaction_csv_parse_time (const char *text,
                                           gint64     *out_ms);

G_END_DECLS
