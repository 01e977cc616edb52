/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-interaction-csv.h"

#include <string.h>

#include "assay-csv.h"

static const char *const column_names[ASSAY_CSV_N_COLUMNS] = {
  [ASSAY_CSV_COLUMN_ID] = "id",
  [ASSAY_CSV_COLUMN_CHANNEL] = "channel",
  [ASSAY_CSV_COLUMN_QUEUE] = "queue",
  [ASSAY_CSV_COLUMN_AGENT_CODE] = "agent_code",
  [ASSAY_CSV_COLUMN_AGENT_NAME] = "agent_name",
  [ASSAY_CSV_COLUMN_TEAM] = "team",
  [ASSAY_CSV_COLUMN_CUSTOMER_REF] = "customer_ref",
  [ASSAY_CSV_COLUMN_STARTED_AT] = "started_at",
  [ASSAY_CSV_COLUMN_WAIT_S] = "wait_s",
  [ASSAY_CSV_COLUMN_TALK_S] = "talk_s",
  [ASSAY_CSV_COLUMN_HOLD_S] = "hold_s",
  [ASSAY_CSV_COLUMN_WRAP_S] = "wrap_s",
  [ASSAY_CSV_COLUMN_CSAT] = "csat",
  [ASSAY_CSV_COLUMN_NPS] = "nps",
  [ASSAY_CSV_COLUMN_FCR] = "fcr",
  [ASSAY_CSV_COLUMN_ANSWERED_IN_SL] = "answered_in_sl",
  [ASSAY_CSV_COLUMN_ABANDONED] = "abandoned",
  [ASSAY_CSV_COLUMN_PRIORITY] = "priority",
  [ASSAY_CSV_COLUMN_FIRST_RESPONSE_S] = "first_response_s",
  [ASSAY_CSV_COLUMN_FIRST_RESPONSE_TARGET_S] = "first_response_target_s",
  [ASSAY_CSV_COLUMN_RESOLUTION_S] = "resolution_s",
  [ASSAY_CSV_COLUMN_RESOLUTION_TARGET_S] = "resolution_target_s",
  [ASSAY_CSV_COLUMN_RECORDING] = "recording",
  [ASSAY_CSV_COLUMN_RECORDING_AGENT_CHANNEL] = "recording_agent_channel",
  [ASSAY_CSV_COLUMN_TRANSCRIPT] = "transcript",
};

/* A file must name these columns; every record must give them a value. */
static const AssayCsvColumn required_columns[] = {
  ASSAY_CSV_COLUMN_CHANNEL,
  ASSAY_CSV_COLUMN_QUEUE,
  ASSAY_CSV_COLUMN_AGENT_CODE,
  ASSAY_CSV_COLUMN_STARTED_AT,
};

const char *
assay_csv_column_name (AssayCsvColumn column)
{
  g_return_val_if_fail (column < ASSAY_CSV_N_COLUMNS, NULL);
  return column_names[column];
}

static int
column_from_name (const char *name)
{
  for (int i = 0; i < ASSAY_CSV_N_COLUMNS; i++)
    if (g_ascii_strcasecmp (name, column_names[i]) == 0)
      return i;
  return -1;
}

/* A value as an error message quotes it: control characters escaped, long ones shortened. */
static char *
quote_value (const char *value)
{
  GString *out = g_string_new ("'");
  guint n = 0;

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      guchar c = (guchar) *p;

      if (n++ == 40)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02X", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

gboolean
assay_interaction_csv_header_parse (AssayInteractionCsvHeader *header,
                                    const char *const         *fields,
                                    guint                      n_fields,
                                    GError                   **error)
{
  g_autoptr(GString) unknown = g_string_new (NULL);
  g_autoptr(GString) doubled = g_string_new (NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) message = g_string_new (NULL);
  guint n_unknown = 0;

  g_return_val_if_fail (header != NULL, FALSE);

  for (int i = 0; i < ASSAY_CSV_N_COLUMNS; i++)
    header->position[i] = -1;
  header->n_fields = n_fields;

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *name = NULL;
      int column;

      if (!g_utf8_validate (fields[i], -1, NULL))
        {
          g_set_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_HEADER,
                       "the header row is not valid UTF-8; save the file as UTF-8");
          return FALSE;
        }
      name = g_strstrip (g_strdup (fields[i]));
      column = column_from_name (name);
      if (column < 0)
        {
          g_autofree char *quoted = quote_value (name);

          g_string_append_printf (unknown, "%s%s%s", unknown->len ? ", " : "", quoted,
                                  *name == '\0' ? " (an empty name: a comma too many?)" : "");
          n_unknown++;
        }
      else if (header->position[column] >= 0)
        g_string_append_printf (doubled, "%s'%s'", doubled->len ? ", " : "", column_names[column]);
      else
        header->position[column] = (int) i;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (required_columns); i++)
    if (header->position[required_columns[i]] < 0)
      g_string_append_printf (missing, "%s'%s'", missing->len ? ", " : "",
                              column_names[required_columns[i]]);

  if (unknown->len > 0)
    g_string_append_printf (message, "unknown column%s %s", n_unknown > 1 ? "s" : "", unknown->str);
  if (doubled->len > 0)
    g_string_append_printf (message, "%scolumn named twice: %s", message->len ? "; " : "",
                            doubled->str);
  if (missing->len > 0)
    g_string_append_printf (message, "%smissing required column%s %s", message->len ? "; " : "",
                            strchr (missing->str, ',') ? "s" : "", missing->str);
  if (message->len > 0)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (int i = 0; i < ASSAY_CSV_N_COLUMNS; i++)
        g_string_append_printf (known, "%s%s", i ? ", " : "", column_names[i]);
      g_set_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_HEADER,
                   "%s (the columns are: %s; see docs/csv.md)", message->str, known->str);
      return FALSE;
    }
  return TRUE;
}

void
assay_interaction_csv_row_init (AssayInteractionCsvRow *row)
{
  memset (row, 0, sizeof *row);
  assay_interaction_facts_init (&row->facts);
  row->recording_agent_channel = ASSAY_NONE;
}

void
assay_interaction_csv_row_clear (AssayInteractionCsvRow *row)
{
  assay_interaction_facts_clear (&row->facts);
  g_clear_pointer (&row->agent_code, g_free);
  g_clear_pointer (&row->agent_name, g_free);
  g_clear_pointer (&row->team_name, g_free);
  g_clear_pointer (&row->recording, g_free);
  g_clear_pointer (&row->transcript, g_free);
  assay_interaction_csv_row_init (row);
}

static void
problem_clear (gpointer data)
{
  AssayCsvProblem *problem = data;

  g_clear_pointer (&problem->message, g_free);
}

GArray *
assay_csv_problems_new (void)
{
  GArray *problems = g_array_new (FALSE, FALSE, sizeof (AssayCsvProblem));

  g_array_set_clear_func (problems, problem_clear);
  return problems;
}

typedef struct {
  const AssayInteractionCsvHeader *header;
  const char *const               *fields;
  GArray                          *problems;
  gboolean                         ok;
} Parse;

static void
add_problem (Parse          *parse,
             AssayCsvColumn  column,
             const char     *value,
             const char     *rule)
{
  AssayCsvProblem problem;

  problem.field = (guint) parse->header->position[column];
  if (value != NULL)
    {
      g_autofree char *quoted = quote_value (value);

      problem.message = g_strdup_printf ("column '%s': %s, got %s", column_names[column], rule,
                                         quoted);
    }
  else
    problem.message = g_strdup_printf ("column '%s': %s", column_names[column], rule);
  g_array_append_val (parse->problems, problem);
  parse->ok = FALSE;
}

/* The trimmed value of @column, NULL when the column is absent or the value empty. */
static char *
get_value (Parse          *parse,
           AssayCsvColumn  column)
{
  int position = parse->header->position[column];
  const char *raw;

  if (position < 0)
    return NULL;
  raw = parse->fields[position];
  if (!g_utf8_validate (raw, -1, NULL))
    {
      add_problem (parse, column, NULL, "not valid UTF-8; save the file as UTF-8");
      return NULL;
    }
  while (g_ascii_isspace (*raw))
    raw++;
  if (*raw == '\0')
    return NULL;
  return g_strchomp (g_strdup (raw));
}

static char *
get_required (Parse          *parse,
              AssayCsvColumn  column)
{
  char *value = get_value (parse, column);

  if (value == NULL && parse->header->position[column] >= 0
      && g_utf8_validate (parse->fields[parse->header->position[column]], -1, NULL))
    add_problem (parse, column, NULL, "a value is required");
  return value;
}

/* Plain decimal digits, no sign, no fraction, at most G_MAXINT. */
static gboolean
parse_count (const char *text,
             int        *out)
{
  gint64 value = 0;

  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (*p - '0');
      if (value > G_MAXINT)
        return FALSE;
    }
  *out = (int) value;
  return TRUE;
}

static void
get_int (Parse          *parse,
         AssayCsvColumn  column,
         int             min,
         int             max,
         int             if_empty,
         const char     *rule,
         int            *out)
{
  g_autofree char *value = get_value (parse, column);
  int n;

  *out = if_empty;
  if (value == NULL)
    return;
  if (!parse_count (value, &n) || n < min || n > max)
    {
      add_problem (parse, column, value, rule);
      return;
    }
  *out = n;
}

static void
get_seconds (Parse          *parse,
             AssayCsvColumn  column,
             int             if_empty,
             int            *out)
{
  get_int (parse, column, 0, G_MAXINT, if_empty, "must be a whole number of seconds, 0 or more",
           out);
}

static void
get_bool (Parse          *parse,
          AssayCsvColumn  column,
          int             if_empty,
          int            *out)
{
  static const char *const yes[] = { "1", "yes", "true", "y" };
  static const char *const no[] = { "0", "no", "false", "n" };
  g_autofree char *value = get_value (parse, column);

  *out = if_empty;
  if (value == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (value, yes[i]) == 0)
        {
          *out = 1;
          return;
        }
      if (g_ascii_strcasecmp (value, no[i]) == 0)
        {
          *out = 0;
          return;
        }
    }
  add_problem (parse, column, value,
               if_empty == ASSAY_NONE ? "must be 1, 0, yes, no, true, false or empty"
                                      : "must be 1, 0, yes, no, true or false");
}

static char *
get_choice (Parse              *parse,
            AssayCsvColumn      column,
            gboolean            required,
            gboolean          (*is_valid) (const char *),
            const char         *rule)
{
  g_autofree char *value = required ? get_required (parse, column) : get_value (parse, column);
  g_autofree char *lower = NULL;

  if (value == NULL)
    return NULL;
  lower = g_ascii_strdown (value, -1);
  if (!is_valid (lower))
    {
      add_problem (parse, column, value, rule);
      return NULL;
    }
  return g_steal_pointer (&lower);
}

char *
assay_recording_name_problem (const char *value)
{
  g_auto(GStrv) parts = NULL;
  gsize scheme = 0;

  g_return_val_if_fail (value != NULL, NULL);

  /* "http:", "file:", "smb:" ...: RFC 3986 scheme letters before a colon (two at least, so that
   * nothing is taken for a drive letter) */
  if (g_ascii_isalpha (value[0]))
    {
      scheme = 1;
      while (g_ascii_isalnum (value[scheme]) || value[scheme] == '+' || value[scheme] == '-'
             || value[scheme] == '.')
        scheme++;
    }
  if (scheme >= 2 && value[scheme] == ':')
    return g_strdup_printf ("'%s' is a URL: a recording must be a file in the recordings "
                            "folder; download it there and give its file name", value);
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == '\\')
      return g_strdup_printf ("'%s' holds a control character or a backslash: give the file "
                              "name inside the recordings folder with '/' between folders",
                              value);
  parts = g_strsplit (value, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], ".."))
      return g_strdup_printf ("'%s' leads out of its folder with '..': give the file name "
                              "inside the recordings folder", value);
  return NULL;
}

gboolean
assay_interaction_csv_row_parse (const AssayInteractionCsvHeader *header,
                                 const char *const               *fields,
                                 guint                            n_fields,
                                 AssayInteractionCsvRow          *row,
                                 GArray                          *problems)
{
  Parse parse = { header, fields, problems, TRUE };
  AssayInteractionFacts *facts = &row->facts;
  g_autofree char *id = NULL;
  g_autofree char *started_at = NULL;

  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  assay_interaction_csv_row_clear (row);

  if (n_fields != header->n_fields)
    {
      AssayCsvProblem problem;

      problem.field = G_MAXUINT;
      problem.message = g_strdup_printf ("the row has %u field%s but the header has %u; "
                                         "a value with a comma must be in double quotes",
                                         n_fields, n_fields == 1 ? "" : "s", header->n_fields);
      g_array_append_val (problems, problem);
      return FALSE;
    }

  id = get_value (&parse, ASSAY_CSV_COLUMN_ID);
  if (id != NULL)
    {
      if (g_uuid_string_is_valid (id))
        facts->id = g_ascii_strdown (id, -1);
      else
        add_problem (&parse, ASSAY_CSV_COLUMN_ID, id,
                     "must be a UUID (like 3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21) or empty");
    }

  facts->channel = get_choice (&parse, ASSAY_CSV_COLUMN_CHANNEL, TRUE, assay_channel_is_valid,
                               "must be phone, chat, email or ticket");
  facts->queue = get_required (&parse, ASSAY_CSV_COLUMN_QUEUE);
  row->agent_code = get_required (&parse, ASSAY_CSV_COLUMN_AGENT_CODE);
  row->agent_name = get_value (&parse, ASSAY_CSV_COLUMN_AGENT_NAME);
  row->team_name = get_value (&parse, ASSAY_CSV_COLUMN_TEAM);
  facts->customer_ref = get_value (&parse, ASSAY_CSV_COLUMN_CUSTOMER_REF);

  started_at = get_required (&parse, ASSAY_CSV_COLUMN_STARTED_AT);
  if (started_at != NULL
      && !assay_interaction_csv_parse_time (started_at, &facts->started_at))
    add_problem (&parse, ASSAY_CSV_COLUMN_STARTED_AT, started_at,
                 "must be an ISO-8601 time with Z or an offset, like 2026-11-14T10:42:00Z "
                 "or 2026-11-14T18:42:00+08:00");

  get_seconds (&parse, ASSAY_CSV_COLUMN_WAIT_S, ASSAY_NONE, &facts->wait_s);
  get_seconds (&parse, ASSAY_CSV_COLUMN_TALK_S, 0, &facts->talk_s);
  get_seconds (&parse, ASSAY_CSV_COLUMN_HOLD_S, 0, &facts->hold_s);
  get_seconds (&parse, ASSAY_CSV_COLUMN_WRAP_S, 0, &facts->wrap_s);
  get_int (&parse, ASSAY_CSV_COLUMN_CSAT, 1, 5, ASSAY_NONE, "must be 1–5 or empty", &facts->csat);
  get_int (&parse, ASSAY_CSV_COLUMN_NPS, 0, 10, ASSAY_NONE, "must be 0–10 or empty", &facts->nps);
  get_bool (&parse, ASSAY_CSV_COLUMN_FCR, ASSAY_NONE, &facts->fcr);
  get_bool (&parse, ASSAY_CSV_COLUMN_ANSWERED_IN_SL, ASSAY_NONE, &facts->answered_in_sl);
  get_bool (&parse, ASSAY_CSV_COLUMN_ABANDONED, 0, &facts->abandoned);
  facts->priority = get_choice (&parse, ASSAY_CSV_COLUMN_PRIORITY, FALSE, assay_priority_is_valid,
                                "must be low, normal, high, urgent or empty");
  get_seconds (&parse, ASSAY_CSV_COLUMN_FIRST_RESPONSE_S, ASSAY_NONE, &facts->first_response_s);
  get_seconds (&parse, ASSAY_CSV_COLUMN_FIRST_RESPONSE_TARGET_S, ASSAY_NONE,
               &facts->first_response_target_s);
  get_seconds (&parse, ASSAY_CSV_COLUMN_RESOLUTION_S, ASSAY_NONE, &facts->resolution_s);
  get_seconds (&parse, ASSAY_CSV_COLUMN_RESOLUTION_TARGET_S, ASSAY_NONE,
               &facts->resolution_target_s);

  row->recording = get_value (&parse, ASSAY_CSV_COLUMN_RECORDING);
  if (row->recording != NULL)
    {
      g_autofree char *rule = assay_recording_name_problem (row->recording);

      if (rule != NULL)
        add_problem (&parse, ASSAY_CSV_COLUMN_RECORDING, NULL, rule);
    }
  get_int (&parse, ASSAY_CSV_COLUMN_RECORDING_AGENT_CHANNEL, 0, 1, ASSAY_NONE,
           "must be 0, 1 or empty", &row->recording_agent_channel);
  if (row->recording_agent_channel != ASSAY_NONE && row->recording == NULL)
    add_problem (&parse, ASSAY_CSV_COLUMN_RECORDING_AGENT_CHANNEL, NULL,
                 "is set but the row has no recording");

  row->transcript = get_value (&parse, ASSAY_CSV_COLUMN_TRANSCRIPT);

  if (!parse.ok)
    assay_interaction_csv_row_clear (row);
  return parse.ok;
}

void
assay_interaction_csv_format_header (GString *out)
{
  g_return_if_fail (out != NULL);

  /* the transcript is read on import and kept in the database, not written back as a file */
  for (int i = 0; i < ASSAY_CSV_N_COLUMNS; i++)
    if (i != ASSAY_CSV_COLUMN_TRANSCRIPT)
      assay_csv_append_field (out, column_names[i], i == 0);
  assay_csv_end_record (out);
}

static void
append_int (GString *out,
            int      value)
{
  char buf[16];

  if (value == ASSAY_NONE)
    {
      g_string_append_c (out, ',');
      return;
    }
  g_snprintf (buf, sizeof buf, ",%d", value);
  g_string_append (out, buf);
}

void
assay_interaction_csv_format_row (GString                      *out,
                                  const AssayInteractionCsvRow *row)
{
  const AssayInteractionFacts *facts;
  g_autofree char *started_at = NULL;

  g_return_if_fail (out != NULL);
  g_return_if_fail (row != NULL);

  facts = &row->facts;
  started_at = assay_interaction_csv_format_time (facts->started_at);

  /* in the order of column_names */
  assay_csv_append_field (out, facts->id, TRUE);
  assay_csv_append_field (out, facts->channel, FALSE);
  assay_csv_append_field (out, facts->queue, FALSE);
  assay_csv_append_field (out, row->agent_code, FALSE);
  assay_csv_append_field (out, row->agent_name, FALSE);
  assay_csv_append_field (out, row->team_name, FALSE);
  assay_csv_append_field (out, facts->customer_ref, FALSE);
  assay_csv_append_field (out, started_at, FALSE);
  append_int (out, facts->wait_s);
  append_int (out, facts->talk_s);
  append_int (out, facts->hold_s);
  append_int (out, facts->wrap_s);
  append_int (out, facts->csat);
  append_int (out, facts->nps);
  append_int (out, facts->fcr);
  append_int (out, facts->answered_in_sl);
  append_int (out, facts->abandoned);
  assay_csv_append_field (out, facts->priority, FALSE);
  append_int (out, facts->first_response_s);
  append_int (out, facts->first_response_target_s);
  append_int (out, facts->resolution_s);
  append_int (out, facts->resolution_target_s);
  assay_csv_append_field (out, row->recording, FALSE);
  append_int (out, row->recording_agent_channel);
  assay_csv_end_record (out);
}

char *
assay_interaction_csv_format_time (gint64 ms)
{
  gint64 seconds = ms / 1000;
  int millis = (int) (ms % 1000);
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *text = NULL;

  if (millis < 0)
    {
      millis += 1000;
      seconds--;
    }
  dt = g_date_time_new_from_unix_utc (seconds);
  if (dt == NULL)
    return g_strdup ("");
  if (millis == 0)
    return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
  text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", text, millis);
}

gboolean
assay_interaction_csv_parse_time (const char *text,
                                  gint64     *out_ms)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *time_part;

  g_return_val_if_fail (out_ms != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  /* the offset must be written: a bare local time means different instants in different places */
  time_part = strpbrk (text, "Tt ");
  if (time_part == NULL || strpbrk (time_part, "Zz+-") == NULL)
    return FALSE;
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}
