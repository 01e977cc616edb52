/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hostile JSON through every parser Assay has (docs/json-limits.md): deep nesting, duplicate
 * keys at the top and nested, numbers too large to hold, invalid UTF-8, a 100 MB document and
 * every truncation of a valid one. Each is refused with the parser's own error and a message
 * naming the problem; none reaches json-glib's recursion or its "last key wins".
 */
#include <string.h>

#include <glib/gstdio.h>

#include "protocol/assay-form-json.h"
#include "protocol/assay-protocol.h"
#include "protocol/assay-sampling-json.h"
#include "protocol/assay-speech-json.h"

static const char form_text[] =
  "{\"format\": 1, \"id\": \"calls\", \"name\": \"Calls\", \"version\": 2, \"sections\": [\n"
  "  {\"id\": \"open\", \"title\": \"Opening\", \"weight\": 40, \"items\": [\n"
  "    {\"id\": \"greet\", \"kind\": \"yes_no\", \"text\": \"Greeting\"},\n"
  "    {\"id\": \"tone\", \"kind\": \"scale\", \"text\": \"Tone\", \"min\": 1, \"max\": 5}]},\n"
  "  {\"id\": \"close\", \"title\": \"Closing\", \"weight\": 20, \"items\": [\n"
  "    {\"id\": \"recap\", \"kind\": \"yes_no\", \"text\": \"Recap\"}]}]}";

static const char answers_text[] =
  "{\"format\": 1, \"form_id\": \"calls\", \"form_version\": 2, \"answers\": {\n"
  "  \"greet\": {\"value\": \"yes\", \"comment\": \"fine\"},\n"
  "  \"tone\": {\"value\": 4, \"evidence\": [{\"start_ms\": 0, \"end_ms\": 1200}]},\n"
  "  \"recap\": {\"value\": \"no\"}}}";

static const char rule_text[] =
  "{\"format\":1,\"algorithm\":1,\"per_agent_per_week\":3,"
  "\"from\":\"2026-11-09T00:00:00Z\",\"to\":\"2026-11-16T00:00:00Z\",\"week_offset_minutes\":0,"
  "\"channels\":[\"phone\"],\"queues\":[],\"min_handle_s\":null,\"max_handle_s\":null,"
  "\"csat_max\":null,\"low_csat_weight\":1,\"low_csat_at_most\":2,\"form_version_id\":null,"
  "\"due_days\":7,\"inspector_id\":null}";

typedef gboolean (*ParseFunc) (const char  *data,
                               gsize        length,
                               GError     **error);

typedef struct
{
  const char *name;
  ParseFunc   parse;
  char       *valid;
  GQuark      domain;
  int         code;     /* -1: the protocol error's own code */
} Parser;

static AssayForm *the_form;
static char *figures_text;
static char *segments_text;

static gboolean
parse_protocol (const char *data, gsize length, GError **error)
{
  g_autoptr(JsonNode) node = assay_protocol_parse_json (data, (gssize) length, NULL, error);

  return node != NULL;
}

static gboolean
parse_form (const char *data, gsize length, GError **error)
{
  g_autoptr(AssayForm) form = assay_form_from_json (data, (gssize) length, error);

  return form != NULL;
}

static gboolean
parse_draft (const char *data, gsize length, GError **error)
{
  g_autoptr(AssayForm) form = assay_form_draft_from_json (data, (gssize) length, error);

  return form != NULL;
}

static gboolean
parse_answers (const char *data, gsize length, GError **error)
{
  g_autoptr(AssayAnswers) answers = assay_answers_from_json (the_form, data, (gssize) length,
                                                             error);

  return answers != NULL;
}

static gboolean
parse_rule (const char *data, gsize length, GError **error)
{
  g_autoptr(AssaySamplingRule) rule = assay_sampling_rule_from_json (data, (gssize) length,
                                                                     error);

  return rule != NULL;
}

/* the speech documents are NUL-terminated text, as the store keeps them */
static gboolean
parse_figures (const char *data, gsize length, GError **error)
{
  g_autoptr(AssaySpeechSummary) s = assay_speech_summary_from_json (data, NULL, error);

  (void) length;
  return s != NULL;
}

static gboolean
parse_segments (const char *data, gsize length, GError **error)
{
  g_autoptr(AssaySpeechSummary) s = assay_speech_summary_from_json (figures_text, data, error);

  (void) length;
  return s != NULL;
}

static Parser parsers[7];

static void
setup_parsers (void)
{
  g_autoptr(AssaySpeechSummary) s = assay_speech_summary_new ();
  AssaySegment seg = { 1, 6 };
  g_autoptr(GError) error = NULL;

  s->file = g_strdup ("call.wav");
  s->duration_s = 30;
  s->channels = 2;
  s->sample_rate = 8000;
  s->agent_channel = 0;
  s->has_talk_split = TRUE;
  s->agent_talk_s = 5;
  s->customer_talk_s = 4;
  s->talk_ratio = 5.0 / 9.0;
  s->silence_s = 0;
  s->overtalk_s = 0;
  s->longest_monologue_s = 5;
  s->longest_monologue = seg;
  g_array_append_val (s->voice[0], seg);
  seg = (AssaySegment) { 10, 14 };
  g_array_append_val (s->voice[1], seg);
  figures_text = assay_speech_figures_to_json (s, FALSE);
  segments_text = assay_speech_segments_to_json (s);

  the_form = assay_form_from_json (form_text, -1, &error);
  g_assert_no_error (error);

  parsers[0] = (Parser) { "protocol", parse_protocol, g_strdup (form_text), ASSAY_PROTOCOL_ERROR, -1 };
  parsers[1] = (Parser) { "form", parse_form, g_strdup (form_text), ASSAY_FORM_ERROR,
                          ASSAY_FORM_ERROR_SYNTAX };
  parsers[2] = (Parser) { "draft", parse_draft, g_strdup (form_text), ASSAY_FORM_ERROR,
                          ASSAY_FORM_ERROR_SYNTAX };
  parsers[3] = (Parser) { "answers", parse_answers, g_strdup (answers_text), ASSAY_FORM_ERROR,
                          ASSAY_FORM_ERROR_SYNTAX };
  parsers[4] = (Parser) { "sampling rule", parse_rule, g_strdup (rule_text),
                          ASSAY_SAMPLING_ERROR, ASSAY_SAMPLING_ERROR_SYNTAX };
  parsers[5] = (Parser) { "speech figures", parse_figures, g_strdup (figures_text),
                          ASSAY_SPEECH_ERROR, ASSAY_SPEECH_ERROR_INVALID };
  parsers[6] = (Parser) { "speech segments", parse_segments, g_strdup (segments_text),
                          ASSAY_SPEECH_ERROR, ASSAY_SPEECH_ERROR_INVALID };
}

/* Rewriting a valid document ------------------------------------------------------------------ */

typedef enum
{
  MUTATE_DUP_TOP,       /* the root's first member twice */
  MUTATE_DUP_NESTED,    /* the first nested object's first member twice */
  MUTATE_DUP_ESCAPED,   /* as MUTATE_DUP_NESTED, the copy's key spelt with \u escapes */
  MUTATE_LAST_NUMBER,   /* the last number becomes @text */
  MUTATE_LAST_STRING,   /* the last string's content becomes @text (raw) */
} Mutation;

typedef struct
{
  Mutation    how;
  const char *text;
  JsonNode   *last_number;
  JsonNode   *last_string;
  JsonObject *nested;
  gboolean    done;
} Rewrite;

static void
find_last (JsonNode *node,
           Rewrite  *rw,
           int       depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (obj);

      if (depth > 0 && rw->nested == NULL && members != NULL)
        rw->nested = obj;
      for (GList *l = members; l != NULL; l = l->next)
        find_last (json_object_get_member (obj, l->data), rw, depth + 1);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        find_last (json_array_get_element (array, i), rw, depth + 1);
    }
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        rw->last_number = node;
      else if (type == G_TYPE_STRING)
        rw->last_string = node;
    }
}

static void write_node (GString *out, JsonNode *node, Rewrite *rw);

static void
write_member (GString    *out,
              const char *name,
              JsonNode   *value,
              Rewrite    *rw,
              gboolean    escaped)
{
  g_autoptr(JsonNode) key = json_node_new (JSON_NODE_VALUE);

  if (escaped)
    {
      g_string_append_c (out, '"');
      for (const char *p = name; *p != '\0'; p++)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      g_string_append_c (out, '"');
    }
  else
    {
      g_autofree char *text = NULL;

      json_node_set_string (key, name);
      text = json_to_string (key, FALSE);
      g_string_append (out, text);
    }
  g_string_append_c (out, ':');
  write_node (out, value, rw);
}

static void
write_node (GString  *out,
            JsonNode *node,
            Rewrite  *rw)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (obj);
      gboolean dup = (rw->how == MUTATE_DUP_TOP && !rw->done)
                     || ((rw->how == MUTATE_DUP_NESTED || rw->how == MUTATE_DUP_ESCAPED)
                         && obj == rw->nested);

      g_string_append_c (out, '{');
      if (dup)
        {
          rw->done = TRUE;
          write_member (out, members->data, json_object_get_member (obj, members->data), rw,
                        rw->how == MUTATE_DUP_ESCAPED);
          g_string_append_c (out, ',');
        }
      rw->done = TRUE;
      for (GList *l = members; l != NULL; l = l->next)
        {
          if (l != members)
            g_string_append_c (out, ',');
          write_member (out, l->data, json_object_get_member (obj, l->data), rw, FALSE);
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      rw->done = TRUE;
      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          write_node (out, json_array_get_element (array, i), rw);
        }
      g_string_append_c (out, ']');
    }
  else if (rw->how == MUTATE_LAST_NUMBER && node == rw->last_number)
    g_string_append (out, rw->text);
  else if (rw->how == MUTATE_LAST_STRING && node == rw->last_string)
    g_string_append_printf (out, "\"%s\"", rw->text);
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

static char *
mutate (const char *valid,
        Mutation    how,
        const char *text)
{
  g_autoptr(JsonNode) root = json_from_string (valid, NULL);
  Rewrite rw = { how, text, NULL, NULL, NULL, FALSE };
  GString *out = g_string_new (NULL);

  g_assert_nonnull (root);
  find_last (root, &rw, 0);
  /* a document without a string (speech segments) gets one in place of its last number */
  if (rw.last_string == NULL)
    rw.last_string = rw.last_number;
  /* a document without a nested object (speech segments) gets its root's member twice */
  if (rw.nested == NULL)
    rw.nested = json_node_get_object (root);
  g_assert_nonnull (rw.last_string);
  if (how == MUTATE_LAST_NUMBER)
    g_assert_nonnull (rw.last_number);
  write_node (out, root, &rw);
  return g_string_free (out, FALSE);
}

/* Checks ---------------------------------------------------------------------------------------- */

static void
expect_refused (const Parser *p,
                const char   *data,
                gsize         length,
                int           protocol_code,
                const char   *fragment)
{
  g_autoptr(GError) error = NULL;

  if (p->parse (data, length, &error))
    g_error ("%s: accepted a hostile document (%s)", p->name, fragment);
  g_assert_nonnull (error);
  g_assert_cmpuint (error->domain, ==, p->domain);
  g_assert_cmpint (error->code, ==, p->code >= 0 ? p->code : protocol_code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("%s: \"%s\" does not say \"%s\"", p->name, error->message, fragment);
}

static void
test_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!parsers[i].parse (parsers[i].valid, strlen (parsers[i].valid), &error))
        g_error ("%s: %s", parsers[i].name, error->message);
    }
}

static void
test_deep_nesting (void)
{
  const gsize n = 100000;
  g_autofree char *open = g_malloc (2 * n + 1);
  g_autofree char *objects = NULL;
  GString *objs = g_string_new (NULL);

  memset (open, '[', n);
  memset (open + n, ']', n);
  open[2 * n] = '\0';
  for (gsize i = 0; i < n; i++)
    g_string_append (objs, "{\"a\":");
  g_string_append (objs, "1");
  for (gsize i = 0; i < n; i++)
    g_string_append_c (objs, '}');
  objects = g_string_free (objs, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autofree char *inside = NULL;
      g_autofree char *deep_value = g_strdup_printf ("%.*s1%.*s", (int) n, open, (int) n,
                                                     open + n);

      expect_refused (&parsers[i], open, 2 * n, ASSAY_PROTOCOL_ERROR_TOO_DEEP,
                      "nested deeper than 64 levels");
      expect_refused (&parsers[i], open, n, ASSAY_PROTOCOL_ERROR_TOO_DEEP,
                      "nested deeper than 64 levels");
      expect_refused (&parsers[i], objects, strlen (objects), ASSAY_PROTOCOL_ERROR_TOO_DEEP,
                      "nested deeper than 64 levels");
      /* deep inside an otherwise valid document */
      inside = mutate (parsers[i].valid, MUTATE_LAST_NUMBER, deep_value);
      expect_refused (&parsers[i], inside, strlen (inside), ASSAY_PROTOCOL_ERROR_TOO_DEEP,
                      "nested deeper than 64 levels");
    }
}

static void
test_depth_limit (void)
{
  GString *ok = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  AssayJsonLimits tight = { 0, 3 };

  for (int i = 0; i < ASSAY_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (int i = 0; i < ASSAY_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  text = g_string_free (ok, FALSE);
  node = assay_protocol_parse_json (text, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  node = assay_protocol_parse_json ("{\"a\": [{\"b\": [1]}]}", -1, &tight, &error);
  g_assert_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==,
                   "a[0].b: arrays and objects are nested deeper than 3 levels (line 1, column 14)");
  g_assert_null (node);
  g_clear_error (&error);

  /* a path as deep as the limit is shortened to its two ends */
  node = assay_protocol_parse_json ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                                    -1, NULL, &error);
  g_assert_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "[0][0][0][0][0][0][0][0]…[0][0][0][0][0][0][0][0][0][0][0][0]"
                   "[0]: arrays and objects are nested deeper than 64 levels "
                   "(line 1, column 65)");
  g_assert_null (node);
}

static void
test_duplicate_keys (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autofree char *top = mutate (parsers[i].valid, MUTATE_DUP_TOP, NULL);
      g_autofree char *nested = mutate (parsers[i].valid, MUTATE_DUP_NESTED, NULL);
      g_autofree char *escaped = mutate (parsers[i].valid, MUTATE_DUP_ESCAPED, NULL);

      expect_refused (&parsers[i], top, strlen (top), ASSAY_PROTOCOL_ERROR_DUPLICATE_KEY,
                      "appears twice in one object");
      expect_refused (&parsers[i], nested, strlen (nested), ASSAY_PROTOCOL_ERROR_DUPLICATE_KEY,
                      "appears twice in one object");
      expect_refused (&parsers[i], escaped, strlen (escaped), ASSAY_PROTOCOL_ERROR_DUPLICATE_KEY,
                      "appears twice in one object");
    }
}

static void
test_duplicate_key_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  /* json-glib alone would keep the second answer and score a Yes as a No */
  const char *twice = "{\"format\": 1, \"form_id\": \"calls\", \"form_version\": 2, \"answers\": {\n"
                      "  \"greet\": {\"value\": \"yes\"},\n"
                      "  \"greet\": {\"value\": \"no\"}}}";

  answers = assay_answers_from_json (the_form, twice, -1, &error);
  g_assert_null (answers);
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "not valid JSON: answers.greet: the key \"greet\" appears "
                   "twice in one object (line 3, column 3)");
  g_clear_error (&error);

  node = assay_protocol_parse_json ("[{\"a\": 1, \"b\": {\"x\": 1, \"y\": 2}, \"\\u0062\": 3}]",
                                    -1, NULL, &error);
  g_assert_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_DUPLICATE_KEY);
  g_assert_cmpstr (error->message, ==,
                   "[0].b: the key \"b\" appears twice in one object (line 1, column 34)");
  g_clear_error (&error);

  /* the same key in different objects, and keys that only look alike, are fine */
  node = assay_protocol_parse_json ("{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}], "
                                    "\"A\": 1, \"a \": 2, \"\\u00e9\": 3, \"e\\u0301\": 4}",
                                    -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

static void
test_huge_numbers (void)
{
  static const char * const numbers[] = {
    "1e400", "-1e400", "1E+309", "99999999999999999999999", "-9223372036854775809",
    "123456789012345678901234567890123456789012345678901234567890",
  };

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    for (guint n = 0; n < G_N_ELEMENTS (numbers); n++)
      {
        g_autofree char *text = mutate (parsers[i].valid, MUTATE_LAST_NUMBER, numbers[n]);

        expect_refused (&parsers[i], text, strlen (text), ASSAY_PROTOCOL_ERROR_NUMBER,
                        "is too large");
      }
}

static void
test_number_edges (void)
{
  static const char * const fine[] = {
    "9223372036854775807", "-9223372036854775808", "1e308", "1e-400", "-0", "0.5e-3",
  };

  for (guint n = 0; n < G_N_ELEMENTS (fine); n++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("[%s]", fine[n]);
      g_autoptr(JsonNode) node = assay_protocol_parse_json (text, -1, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

static void
test_invalid_utf8 (void)
{
  static const struct { const char *text; int code; const char *fragment; } bad[] = {
    { "ab\xff\xfe" "cd", ASSAY_PROTOCOL_ERROR_ENCODING, "not valid UTF-8" },
    { "\xe4\xb8", ASSAY_PROTOCOL_ERROR_ENCODING, "not valid UTF-8" },         /* cut short */
    { "\xc0\xaf", ASSAY_PROTOCOL_ERROR_ENCODING, "not valid UTF-8" },         /* overlong */
    { "\xed\xa0\x80", ASSAY_PROTOCOL_ERROR_ENCODING, "not valid UTF-8" },     /* surrogate */
    { "a\\u0000b", ASSAY_PROTOCOL_ERROR_ENCODING, "NUL character" },
    { "a\\ud800b", ASSAY_PROTOCOL_ERROR_ENCODING, "lone surrogate" },
    { "a\\udc00", ASSAY_PROTOCOL_ERROR_ENCODING, "lone surrogate" },
    { "a\\ud800\\u0041", ASSAY_PROTOCOL_ERROR_ENCODING, "lone surrogate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
        {
          g_autofree char *text = mutate (parsers[i].valid, MUTATE_LAST_STRING, bad[b].text);

          expect_refused (&parsers[i], text, strlen (text), bad[b].code, bad[b].fragment);
        }
      /* a NUL byte in the text (the speech documents stop at it, so they see a truncation) */
      if (parsers[i].parse != parse_figures && parsers[i].parse != parse_segments)
        {
          gsize len = strlen (parsers[i].valid);
          g_autofree char *text = g_memdup2 (parsers[i].valid, len + 1);

          text[len / 2] = '\0';
          expect_refused (&parsers[i], text, len, ASSAY_PROTOCOL_ERROR_ENCODING, "NUL byte");
        }
    }
}

static void
test_huge_document (void)
{
  const gsize size = 100 * 1024 * 1024;
  char *text = g_malloc (size + 1);
  g_autofree char *dir = g_dir_make_tmp ("assay-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr(GError) error = NULL;
  gsize valid_len = strlen (parsers[1].valid);
  char *contents;

  /* 100 MB of spaces before a valid form: only the size is wrong */
  memset (text, ' ', size);
  memcpy (text + size - valid_len, parsers[1].valid, valid_len);
  text[size] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    expect_refused (&parsers[i], text, size, ASSAY_PROTOCOL_ERROR_TOO_LARGE,
                    "bytes Assay reads");

  /* a file that size is refused without being read */
  g_assert_true (g_file_set_contents (path, text, (gssize) size, &error));
  g_assert_no_error (error);
  g_free (text);
  contents = assay_protocol_load_file (path, NULL, NULL, &error);
  g_assert_null (contents);
  g_assert_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==,
                   "the file is 104857600 bytes, more than the 16777216 bytes Assay reads");
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_truncated (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      const char *valid = parsers[i].valid;
      gsize len = strlen (valid);

      /* every strict prefix of a valid object is refused, the empty one as empty */
      for (gsize n = 0; n < len; n++)
        {
          g_autofree char *prefix = g_strndup (valid, n);
          g_autoptr(GError) error = NULL;

          if (parsers[i].parse (prefix, n, &error))
            g_error ("%s: accepted the first %" G_GSIZE_FORMAT " bytes", parsers[i].name, n);
          g_assert_cmpuint (error->domain, ==, parsers[i].domain);
          if (parsers[i].code >= 0)
            g_assert_cmpint (error->code, ==, parsers[i].code);
        }
    }
}

static void
test_syntax_messages (void)
{
  static const struct { const char *text; int code; const char *message; } cases[] = {
    { "{\"a\": [1, 2", ASSAY_PROTOCOL_ERROR_SYNTAX,
      "a[1]: the document ends too early: it is truncated (line 1, column 12)" },
    { "{\"a\": 1,}", ASSAY_PROTOCOL_ERROR_SYNTAX,
      "expected a key in quotes, found '}' (line 1, column 9)" },
    { "[1, 2,]", ASSAY_PROTOCOL_ERROR_SYNTAX, "[2]: expected a value, found ']' (line 1, column 7)" },
    { "{\"a\": 1} x", ASSAY_PROTOCOL_ERROR_SYNTAX,
      "there is more text after the end of the document (line 1, column 10)" },
    { "// note\n{}", ASSAY_PROTOCOL_ERROR_SYNTAX, "expected a value, found '/' (line 1, column 1)" },
    { "{\"a\": 01}", ASSAY_PROTOCOL_ERROR_SYNTAX,
      "a: expected ',' or '}', found '1' (line 1, column 8)" },
    { "{\"a\":\n  \"x\ny\"}", ASSAY_PROTOCOL_ERROR_SYNTAX,
      "a: a control character inside a string must be escaped (line 2, column 5)" },
    { "{\"a\": tru}", ASSAY_PROTOCOL_ERROR_SYNTAX, "a: expected a value, found 't' (line 1, column 7)" },
    { " \n\t ", ASSAY_PROTOCOL_ERROR_EMPTY, "the document is empty" },
    { "{\"名前\": 1e999}", ASSAY_PROTOCOL_ERROR_NUMBER,
      "名前: the number 1e999 is too large (line 1, column 8)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = assay_protocol_parse_json (cases[i].text, -1, NULL, &error);

      g_assert_null (node);
      g_assert_error (error, ASSAY_PROTOCOL_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_byte_order_mark (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat ("\xef\xbb\xbf", form_text, NULL);
  g_autoptr(AssayForm) form = assay_form_from_json (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (form);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  setup_parsers ();

  g_test_add_func ("/json-limits/valid", test_valid);
  g_test_add_func ("/json-limits/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json-limits/depth-limit", test_depth_limit);
  g_test_add_func ("/json-limits/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/json-limits/duplicate-key-messages", test_duplicate_key_messages);
  g_test_add_func ("/json-limits/huge-numbers", test_huge_numbers);
  g_test_add_func ("/json-limits/number-edges", test_number_edges);
  g_test_add_func ("/json-limits/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/json-limits/huge-document", test_huge_document);
  g_test_add_func ("/json-limits/truncated", test_truncated);
  g_test_add_func ("/json-limits/syntax-messages", test_syntax_messages);
  g_test_add_func ("/json-limits/byte-order-mark", test_byte_order_mark);
  status = g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    g_free (parsers[i].valid);
  g_clear_pointer (&the_form, assay_form_unref);
  g_free (figures_text);
  g_free (segments_text);
  return status;
}
