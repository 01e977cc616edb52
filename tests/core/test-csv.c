/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "core/assay-csv.h"
#include "core/assay-interaction-csv.h"

/* Reads every record of @text into a list of "a|b|c@LINE" strings. */
static char *
read_all (const char *text,
          gssize      len)
{
  g_autoptr(AssayCsvReader) reader = assay_csv_reader_new_for_data (text, len);
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);

  while (assay_csv_reader_next (reader, &error))
    {
      const char *const *fields = assay_csv_reader_get_fields (reader);
      g_autofree char *joined = g_strjoinv ("|", (char **) fields);

      g_assert_cmpuint (g_strv_length ((char **) fields), ==,
                        assay_csv_reader_get_n_fields (reader));
      g_string_append_printf (out, "%s%s@%" G_GUINT64_FORMAT, out->len ? " " : "", joined,
                              assay_csv_reader_get_line (reader));
    }
  g_assert_no_error (error);
  return g_string_free (out, FALSE);
}

static void
test_reader_plain (void)
{
  g_autofree char *a = read_all ("a,b,c\n1,2,3\n", -1);
  g_autofree char *b = read_all ("a,b,c\r\n1,2,3", -1);
  g_autofree char *c = read_all ("a,,\n,,\n", -1);
  g_autofree char *d = read_all ("", -1);
  g_autofree char *e = read_all ("x\r\r\n\ny\n", -1);
  g_autofree char *f = read_all ("a\rb\r", -1);

  g_assert_cmpstr (a, ==, "a|b|c@1 1|2|3@2");
  g_assert_cmpstr (b, ==, "a|b|c@1 1|2|3@2");
  g_assert_cmpstr (c, ==, "a||@1 ||@2");
  g_assert_cmpstr (d, ==, "");
  /* empty lines are skipped but counted: CR, CR LF, LF are each one line end */
  g_assert_cmpstr (e, ==, "x@1 y@4");
  g_assert_cmpstr (f, ==, "a@1 b@2");
}

static void
test_reader_quotes (void)
{
  g_autofree char *a = read_all ("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", -1);
  g_autofree char *b = read_all ("x,\"line one\nline two\r\nline three\"\ny,z\n", -1);
  g_autofree char *c = read_all ("\"\"\"\",q\"uote\n", -1);
  g_autofree char *d = read_all ("\"end\"", -1);

  g_assert_cmpstr (a, ==, "a,b|say \"hi\"|@1");
  /* the record after a field holding two line breaks starts on line 4 */
  g_assert_cmpstr (b, ==, "x|line one\nline two\r\nline three@1 y|z@4");
  /* a bare quote inside an unquoted field is kept */
  g_assert_cmpstr (c, ==, "\"|q\"uote@1");
  g_assert_cmpstr (d, ==, "end@1");
}

static void
test_reader_field_lines (void)
{
  g_autoptr(AssayCsvReader) reader =
    assay_csv_reader_new_for_data ("h1,h2,h3\n\"multi\n\nline\",b,c\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_csv_reader_next (reader, &error));
  g_assert_true (assay_csv_reader_next (reader, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assay_csv_reader_get_line (reader), ==, 2);
  g_assert_cmpuint (assay_csv_reader_get_field_line (reader, 0), ==, 2);
  g_assert_cmpuint (assay_csv_reader_get_field_line (reader, 1), ==, 4);
  g_assert_cmpuint (assay_csv_reader_get_field_line (reader, 2), ==, 4);
  g_assert_false (assay_csv_reader_next (reader, &error));
  g_assert_no_error (error);
}

static void
test_reader_bom (void)
{
  g_autofree char *a = read_all ("\xEF\xBB\xBF" "id,x\n1,2\n", -1);
  /* only a leading BOM is special */
  g_autofree char *b = read_all ("a,\xEF\xBB\xBF" "b\n", -1);

  g_assert_cmpstr (a, ==, "id|x@1 1|2@2");
  g_assert_cmpstr (b, ==, "a|\xEF\xBB\xBF" "b@1");
}

static void
test_reader_errors (void)
{
  g_autoptr(AssayCsvReader) reader =
    assay_csv_reader_new_for_data ("a,b\n\"x\"y,2\nc,d\n1,\"open\n\nnever closed\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_csv_reader_next (reader, &error));
  /* text after a closing quote: an error on line 2, then reading goes on at line 3 */
  g_assert_false (assay_csv_reader_next (reader, &error));
  g_assert_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "'y'"));
  g_assert_cmpuint (assay_csv_reader_get_line (reader), ==, 2);
  g_clear_error (&error);
  g_assert_true (assay_csv_reader_next (reader, &error));
  g_assert_cmpstr (assay_csv_reader_get_fields (reader)[0], ==, "c");
  g_assert_cmpuint (assay_csv_reader_get_line (reader), ==, 3);
  /* a quote never closed: reported where it opened; the reader is then at its end */
  g_assert_false (assay_csv_reader_next (reader, &error));
  g_assert_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "closing quote"));
  g_assert_cmpuint (assay_csv_reader_get_line (reader), ==, 4);
  g_clear_error (&error);
  g_assert_false (assay_csv_reader_next (reader, &error));
  g_assert_no_error (error);
}

static void
test_reader_encoding (void)
{
  g_autoptr(AssayCsvReader) utf16 = assay_csv_reader_new_for_data ("\xFF\xFEi\0d\0\n\0", 8);
  g_autoptr(AssayCsvReader) nul = assay_csv_reader_new_for_data ("a,b\nc,d\0e\nf,g\n", 13);
  g_autoptr(GError) error = NULL;

  g_assert_false (assay_csv_reader_next (utf16, &error));
  g_assert_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "UTF-16"));
  g_clear_error (&error);
  g_assert_false (assay_csv_reader_next (utf16, &error));
  g_assert_no_error (error);

  /* a NUL byte would cut the field short without a word: it is an error of its line */
  g_assert_true (assay_csv_reader_next (nul, &error));
  g_assert_false (assay_csv_reader_next (nul, &error));
  g_assert_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_assert_cmpuint (assay_csv_reader_get_line (nul), ==, 2);
  g_clear_error (&error);
  g_assert_true (assay_csv_reader_next (nul, &error));
  g_assert_cmpstr (assay_csv_reader_get_fields (nul)[0], ==, "f");
  g_assert_cmpuint (assay_csv_reader_get_line (nul), ==, 3);
}

static void
test_reader_too_long (void)
{
  gsize len = ASSAY_CSV_MAX_RECORD + 100;
  g_autofree char *text = g_malloc (len + 1);
  g_autoptr(AssayCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  memset (text, 'x', len);
  text[0] = '"';
  text[len] = '\0';
  reader = assay_csv_reader_new_for_data (text, -1);
  g_assert_false (assay_csv_reader_next (reader, &error));
  g_assert_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_TOO_LONG);
}

/* A source that hands out one byte at a time, so every buffer boundary is crossed. */
typedef struct {
  const char *text;
  gsize       pos;
  gboolean    fail_at_end;
} Trickle;

static gssize
trickle_read (gpointer   user_data,
              char      *buffer,
              gsize      size,
              GError   **error)
{
  Trickle *t = user_data;

  if (t->text[t->pos] == '\0')
    {
      if (t->fail_at_end)
        {
          g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_IO, "disk on fire");
          return -1;
        }
      return 0;
    }
  buffer[0] = t->text[t->pos++];
  return 1;
}

static void
test_reader_stream (void)
{
  Trickle t = { "\xEF\xBB\xBF" "a,\"b\r\nc\"\r\nd,e\r\n", 0, FALSE };
  Trickle bad = { "a,b\n1,2", 0, TRUE };
  g_autoptr(AssayCsvReader) reader = assay_csv_reader_new (trickle_read, &t, NULL);
  g_autoptr(AssayCsvReader) failing = assay_csv_reader_new (trickle_read, &bad, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_csv_reader_next (reader, &error));
  g_assert_cmpstr (assay_csv_reader_get_fields (reader)[0], ==, "a");
  g_assert_cmpstr (assay_csv_reader_get_fields (reader)[1], ==, "b\r\nc");
  g_assert_true (assay_csv_reader_next (reader, &error));
  g_assert_cmpuint (assay_csv_reader_get_line (reader), ==, 3);
  g_assert_false (assay_csv_reader_next (reader, &error));
  g_assert_no_error (error);

  g_assert_true (assay_csv_reader_next (failing, &error));
  g_assert_false (assay_csv_reader_next (failing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_IO);
}

static void
test_writer (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *fields[] = { "plain", "a,b", "say \"hi\"", "two\nlines", " edge", "", NULL };
  g_autofree char *back = NULL;

  g_assert_false (assay_csv_field_needs_quotes ("plain text"));
  g_assert_false (assay_csv_field_needs_quotes (""));
  g_assert_false (assay_csv_field_needs_quotes (NULL));
  g_assert_true (assay_csv_field_needs_quotes ("trailing "));
  g_assert_true (assay_csv_field_needs_quotes ("cr\r"));

  for (int i = 0; fields[i] != NULL; i++)
    assay_csv_append_field (out, fields[i], i == 0);
  assay_csv_append_field (out, NULL, FALSE);
  assay_csv_end_record (out);
  g_assert_cmpstr (out->str, ==,
                   "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" edge\",,\r\n");

  /* and the reader gives back what the writer wrote */
  back = read_all (out->str, -1);
  g_assert_cmpstr (back, ==, "plain|a,b|say \"hi\"|two\nlines| edge||@1");
}

/* interaction rows */

static const char *const header_fields[] = {
  "id", "channel", "queue", "agent_code", "agent_name", "team", "customer_ref", "started_at",
  "wait_s", "talk_s", "hold_s", "wrap_s", "csat", "nps", "fcr", "answered_in_sl", "abandoned",
  "priority", "first_response_s", "first_response_target_s", "resolution_s",
  "resolution_target_s", "recording", "recording_agent_channel", NULL
};

static void
full_header (AssayInteractionCsvHeader *header)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_interaction_csv_header_parse (header, header_fields,
                                                     g_strv_length ((char **) header_fields),
                                                     &error));
  g_assert_no_error (error);
}

static void
test_header (void)
{
  AssayInteractionCsvHeader header;
  const char *reordered[] = { " Started_At ", "QUEUE", "agent_code", "channel", NULL };
  const char *unknown[] = { "channel", "queue", "agent_code", "started_at", "colour", "size",
                            "queue", NULL };
  const char *missing[] = { "channel", "agent_code", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_interaction_csv_header_parse (&header, reordered, 4, &error));
  g_assert_no_error (error);
  g_assert_cmpint (header.position[ASSAY_CSV_COLUMN_STARTED_AT], ==, 0);
  g_assert_cmpint (header.position[ASSAY_CSV_COLUMN_QUEUE], ==, 1);
  g_assert_cmpint (header.position[ASSAY_CSV_COLUMN_CHANNEL], ==, 3);
  g_assert_cmpint (header.position[ASSAY_CSV_COLUMN_CSAT], ==, -1);
  g_assert_cmpuint (header.n_fields, ==, 4);

  g_assert_false (assay_interaction_csv_header_parse (&header, unknown, 7, &error));
  g_assert_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_HEADER);
  g_assert_nonnull (strstr (error->message, "unknown columns 'colour', 'size'"));
  g_assert_nonnull (strstr (error->message, "column named twice: 'queue'"));
  g_clear_error (&error);

  {
    const char *trailing[] = { "channel", "queue", "agent_code", "started_at", "", NULL };

    g_assert_false (assay_interaction_csv_header_parse (&header, trailing, 5, &error));
    g_assert_nonnull (strstr (error->message,
                              "unknown column '' (an empty name: a comma too many?)"));
    g_clear_error (&error);
  }

  g_assert_false (assay_interaction_csv_header_parse (&header, missing, 2, &error));
  g_assert_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_HEADER);
  g_assert_nonnull (strstr (error->message, "missing required columns 'queue', 'started_at'"));
}

static void
test_row_good (void)
{
  AssayInteractionCsvHeader header;
  AssayInteractionCsvRow row;
  g_autoptr(GArray) problems = assay_csv_problems_new ();
  const char *fields[] = {
    "3F2B8C1E-6D0A-4B7E-9C55-2A1F0E9D4B21", "Phone", " Billing ", "E001", "Wang Fang", "North",
    "C-1", "2026-11-14T18:42:00.250+08:00", "12", "300", "", "40", "4", "9", "yes", "0", "",
    "HIGH", "", "", "", "", "call.wav", "1", NULL
  };

  full_header (&header);
  assay_interaction_csv_row_init (&row);
  g_assert_true (assay_interaction_csv_row_parse (&header, fields, 24, &row, problems));
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (row.facts.id, ==, "3f2b8c1e-6d0a-4b7e-9c55-2a1f0e9d4b21");
  g_assert_cmpstr (row.facts.channel, ==, "phone");
  g_assert_cmpstr (row.facts.queue, ==, "Billing");
  g_assert_cmpstr (row.agent_code, ==, "E001");
  g_assert_cmpstr (row.team_name, ==, "North");
  g_assert_cmpint (row.facts.started_at, ==, G_GINT64_CONSTANT (1794652920250));
  g_assert_cmpint (row.facts.wait_s, ==, 12);
  g_assert_cmpint (row.facts.hold_s, ==, 0);       /* empty duration: 0 */
  g_assert_cmpint (row.facts.csat, ==, 4);
  g_assert_cmpint (row.facts.nps, ==, 9);
  g_assert_cmpint (row.facts.fcr, ==, 1);
  g_assert_cmpint (row.facts.answered_in_sl, ==, 0);
  g_assert_cmpint (row.facts.abandoned, ==, 0);    /* empty: not abandoned */
  g_assert_cmpstr (row.facts.priority, ==, "high");
  g_assert_cmpint (row.facts.first_response_s, ==, ASSAY_NONE);
  g_assert_cmpstr (row.recording, ==, "call.wav");
  g_assert_cmpint (row.recording_agent_channel, ==, 1);
  assay_interaction_csv_row_clear (&row);
}

static void
test_row_bad (void)
{
  AssayInteractionCsvHeader header;
  AssayInteractionCsvRow row;
  g_autoptr(GArray) problems = assay_csv_problems_new ();
  const char *fields[] = {
    "not-a-uuid", "fax", "", "E001", "", "", "", "2026-11-14T10:42:00", "-5", "1.5", "x", "",
    "7", "11", "maybe", "2", "", "asap", "", "", "", "", "", "1", NULL
  };
  const char *expected[] = {
    "column 'id': must be a UUID",
    "column 'channel': must be phone, chat, email or ticket, got 'fax'",
    "column 'queue': a value is required",
    "column 'started_at': must be an ISO-8601 time with Z or an offset",
    "column 'wait_s': must be a whole number of seconds, 0 or more, got '-5'",
    "column 'talk_s': must be a whole number of seconds, 0 or more, got '1.5'",
    "column 'hold_s': must be a whole number of seconds, 0 or more, got 'x'",
    "column 'csat': must be 1–5 or empty, got '7'",
    "column 'nps': must be 0–10 or empty, got '11'",
    "column 'fcr': must be 1, 0, yes, no, true, false or empty, got 'maybe'",
    "column 'answered_in_sl': must be 1, 0, yes, no, true, false or empty, got '2'",
    "column 'priority': must be low, normal, high, urgent or empty, got 'asap'",
    "column 'recording_agent_channel': is set but the row has no recording",
  };

  full_header (&header);
  assay_interaction_csv_row_init (&row);
  g_assert_false (assay_interaction_csv_row_parse (&header, fields, 24, &row, problems));
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < problems->len; i++)
    {
      const AssayCsvProblem *problem = &g_array_index (problems, AssayCsvProblem, i);

      g_assert_true (g_str_has_prefix (problem->message, expected[i]));
    }
  /* each problem names the field it is in */
  g_assert_cmpuint (g_array_index (problems, AssayCsvProblem, 7).field, ==, 12);
  /* a failed row holds nothing */
  g_assert_null (row.facts.channel);
  g_assert_null (row.agent_code);

  /* the wrong number of fields is a problem of the whole row */
  g_array_set_size (problems, 0);
  g_assert_false (assay_interaction_csv_row_parse (&header, fields, 3, &row, problems));
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpuint (g_array_index (problems, AssayCsvProblem, 0).field, ==, G_MAXUINT);
  g_assert_nonnull (strstr (g_array_index (problems, AssayCsvProblem, 0).message,
                            "has 3 fields but the header has 24"));
}

static void
test_row_encoding (void)
{
  AssayInteractionCsvHeader header;
  AssayInteractionCsvRow row;
  g_autoptr(GArray) problems = assay_csv_problems_new ();
  const char *fields[] = { "chat", "Sales", "E\xff", "2026-11-14T10:42:00Z", NULL };
  const char *names[] = { "channel", "queue", "agent_code", "started_at", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_interaction_csv_header_parse (&header, names, 4, &error));
  assay_interaction_csv_row_init (&row);
  g_assert_false (assay_interaction_csv_row_parse (&header, fields, 4, &row, problems));
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_array_index (problems, AssayCsvProblem, 0).message, ==,
                   "column 'agent_code': not valid UTF-8; save the file as UTF-8");
}

static void
test_row_format (void)
{
  AssayInteractionCsvHeader header;
  AssayInteractionCsvRow row;
  AssayInteractionCsvRow again;
  g_autoptr(GArray) problems = assay_csv_problems_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(AssayCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char *fields[] = {
    "", "email", "Returns, EU", "E002", "Li \"Lee\" Na", "", "ref\nwith newline",
    "2026-01-02T03:04:05Z", "", "10", "0", "5", "", "0", "false", "true", "1", "urgent", "60",
    "120", "3600", "7200", "", "", NULL
  };

  full_header (&header);
  assay_interaction_csv_row_init (&row);
  assay_interaction_csv_row_init (&again);
  g_assert_true (assay_interaction_csv_row_parse (&header, fields, 24, &row, problems));
  assay_interaction_csv_format_header (out);
  assay_interaction_csv_format_row (out, &row);
  g_assert_true (g_str_has_prefix (out->str, "id,channel,queue,agent_code,"));
  g_assert_nonnull (strstr (out->str, "\r\n,email,\"Returns, EU\",E002,\"Li \"\"Lee\"\" Na\",,"
                                      "\"ref\nwith newline\",2026-01-02T03:04:05Z,,10,0,5,,0,0,1,1,"
                                      "urgent,60,120,3600,7200,,\r\n"));

  /* what is written reads back as the same row */
  reader = assay_csv_reader_new_for_data (out->str, (gssize) out->len);
  g_assert_true (assay_csv_reader_next (reader, &error));
  g_assert_true (assay_interaction_csv_header_parse (&header, assay_csv_reader_get_fields (reader),
                                                     assay_csv_reader_get_n_fields (reader),
                                                     &error));
  g_assert_true (assay_csv_reader_next (reader, &error));
  g_assert_true (assay_interaction_csv_row_parse (&header, assay_csv_reader_get_fields (reader),
                                                  assay_csv_reader_get_n_fields (reader), &again,
                                                  problems));
  g_assert_cmpstr (again.facts.queue, ==, row.facts.queue);
  g_assert_cmpstr (again.agent_name, ==, row.agent_name);
  g_assert_cmpstr (again.facts.customer_ref, ==, row.facts.customer_ref);
  g_assert_cmpint (again.facts.started_at, ==, row.facts.started_at);
  g_assert_cmpint (again.facts.nps, ==, 0);
  g_assert_cmpint (again.facts.fcr, ==, 0);
  g_assert_cmpint (again.facts.abandoned, ==, 1);
  g_assert_cmpint (again.facts.resolution_target_s, ==, 7200);
  assay_interaction_csv_row_clear (&row);
  assay_interaction_csv_row_clear (&again);
}

static void
test_time (void)
{
  gint64 ms = 0;
  g_autofree char *a = assay_interaction_csv_format_time (G_GINT64_CONSTANT (1794652920000));
  g_autofree char *b = assay_interaction_csv_format_time (G_GINT64_CONSTANT (1794652920250));
  g_autofree char *c = assay_interaction_csv_format_time (-1);

  g_assert_cmpstr (a, ==, "2026-11-14T10:42:00Z");
  g_assert_cmpstr (b, ==, "2026-11-14T10:42:00.250Z");
  g_assert_cmpstr (c, ==, "1969-12-31T23:59:59.999Z");

  g_assert_true (assay_interaction_csv_parse_time ("2026-11-14T10:42:00Z", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1794652920000));
  g_assert_true (assay_interaction_csv_parse_time ("2026-11-14T05:42:00-05:00", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1794652920000));
  g_assert_true (assay_interaction_csv_parse_time ("1969-12-31T23:59:59.999Z", &ms));
  g_assert_cmpint (ms, ==, -1);
  /* a time without an offset is ambiguous */
  g_assert_false (assay_interaction_csv_parse_time ("2026-11-14T10:42:00", &ms));
  g_assert_false (assay_interaction_csv_parse_time ("2026-11-14", &ms));
  g_assert_false (assay_interaction_csv_parse_time ("14/11/2026 10:42Z", &ms));
  g_assert_false (assay_interaction_csv_parse_time ("yesterday", &ms));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/reader/plain", test_reader_plain);
  g_test_add_func ("/csv/reader/quotes", test_reader_quotes);
  g_test_add_func ("/csv/reader/field-lines", test_reader_field_lines);
  g_test_add_func ("/csv/reader/bom", test_reader_bom);
  g_test_add_func ("/csv/reader/errors", test_reader_errors);
  g_test_add_func ("/csv/reader/encoding", test_reader_encoding);
  g_test_add_func ("/csv/reader/too-long", test_reader_too_long);
  g_test_add_func ("/csv/reader/stream", test_reader_stream);
  g_test_add_func ("/csv/writer", test_writer);
  g_test_add_func ("/csv/interaction/header", test_header);
  g_test_add_func ("/csv/interaction/row-good", test_row_good);
  g_test_add_func ("/csv/interaction/row-bad", test_row_bad);
  g_test_add_func ("/csv/interaction/row-encoding", test_row_encoding);
  g_test_add_func ("/csv/interaction/row-format", test_row_format);
  g_test_add_func ("/csv/interaction/time", test_time);
  return g_test_run ();
}
