/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-transcript.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "assay-protocol.h"
#include "core/assay-util.h"

G_DEFINE_QUARK (assay-transcript-error-quark, assay_transcript_error)

#define MAX_SPEAKER_CHARS 64

static const char *const format_names[] = { "vtt", "srt", "json", "conversation" };

const char *
assay_transcript_format_to_string (AssayTranscriptFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

G_GNUC_PRINTF (4, 5) static gboolean
bad_line (GError    **error,
          const char *name,
          guint       line,
          const char *format,
          ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_set_error (error, ASSAY_TRANSCRIPT_ERROR, ASSAY_TRANSCRIPT_ERROR_SYNTAX, "%s:%u: %s", name,
                 line, msg);
  else
    g_set_error (error, ASSAY_TRANSCRIPT_ERROR, ASSAY_TRANSCRIPT_ERROR_SYNTAX, "%s: %s", name, msg);
  return FALSE;
}

static int
compare_segments (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const AssayUtterance *x = a, *y = b;

  return (x->start_ms > y->start_ms) - (x->start_ms < y->start_ms);
}

static void
sort_segments (AssayUtterances *segments)
{
  GArray *array = segments->segments;

  /* GLib's qsort is a merge sort: lines that start together keep their file order */
  g_qsort_with_data (array->data, (gint) array->len, sizeof (AssayUtterance), compare_segments,
                     NULL);
}

/* Lines -------------------------------------------------------------------------------------- */

typedef struct {
  char **lines;
  guint  n;
  guint  i;        /* next line, 0-based; line numbers are i + 1 */
} Lines;

static gboolean
split_lines (const char  *data,
             gsize        length,
             const char  *name,
             Lines       *out,
             GError     **error)
{
  g_autofree char *text = NULL;
  const char *end;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (memchr (data, '\0', length) != NULL)
    return bad_line (error, name, 0, "the file holds a NUL byte: it is not a text file");
  if (!g_utf8_validate (data, (gssize) length, &end))
    {
      guint line = 1;

      for (const char *p = data; p < end; p++)
        line += *p == '\n';
      return bad_line (error, name, line, "the text is not valid UTF-8; save the file as UTF-8");
    }
  text = g_strndup (data, length);
  /* CR LF and CR alone end lines too */
  {
    GString *s = g_string_sized_new (length);

    for (const char *p = text; *p != '\0'; p++)
      {
        if (*p == '\r')
          {
            g_string_append_c (s, '\n');
            if (p[1] == '\n')
              p++;
          }
        else
          g_string_append_c (s, *p);
      }
    out->lines = g_strsplit (s->str, "\n", -1);
    g_string_free (s, TRUE);
  }
  out->n = g_strv_length (out->lines);
  out->i = 0;
  return TRUE;
}

static gboolean
is_blank (const char *line)
{
  for (; *line != '\0'; line++)
    if (!g_ascii_isspace (*line))
      return FALSE;
  return TRUE;
}

/* hh:mm:ss.ttt or mm:ss.ttt (WebVTT, separator '.') or hh:mm:ss,ttt (SRT, separator ',') */
static gboolean
parse_timestamp (const char **p,
                 char         separator,
                 gboolean     hours_optional,
                 gint64      *out_ms)
{
  gint64 parts[3] = { 0 };
  int n = 0;
  const char *s = *p;

  for (;;)
    {
      int digits = 0;
      gint64 v = 0;

      while (g_ascii_isdigit (*s) && digits < 10)
        {
          v = v * 10 + (*s - '0');
          s++;
          digits++;
        }
      if (digits < 2 || (n > 0 && digits != 2))
        return FALSE;
      parts[n++] = v;
      if (*s == ':' && n < 3)
        {
          s++;
          continue;
        }
      break;
    }
  if (n == 2 && !hours_optional)
    return FALSE;
  if (n < 2 || *s != separator)
    return FALSE;
  s++;
  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]) || !g_ascii_isdigit (s[2]))
    return FALSE;
  {
    gint64 h = n == 3 ? parts[0] : 0, m = parts[n - 2], sec = parts[n - 1];
    gint64 frac = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');

    if (m > 59 || sec > 59)
      return FALSE;
    *out_ms = ((h * 60 + m) * 60 + sec) * 1000 + frac;
  }
  *p = s + 3;
  return TRUE;
}

static gboolean
starts_with_time (const char *line)
{
  gint64 ignored;

  while (*line == ' ' || *line == '\t')
    line++;
  return parse_timestamp (&line, '.', TRUE, &ignored);
}

static char *
format_ms (gint64 ms)
{
  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02d:%02d.%03d", ms / 3600000,
                          (int) (ms / 60000 % 60), (int) (ms / 1000 % 60), (int) (ms % 1000));
}

/* "00:00:01.000 --> 00:00:04.000 [settings]" */
static gboolean
parse_timing (const char  *line,
              char         separator,
              const char  *name,
              guint        lineno,
              gint64      *start,
              gint64      *end,
              GError     **error)
{
  const char *p = line;
  const char *example = separator == '.' ? "00:00:01.000 --> 00:00:04.000"
                                         : "00:00:01,000 --> 00:00:04,000";

  while (*p == ' ' || *p == '\t')
    p++;
  if (!parse_timestamp (&p, separator, separator == '.', start))
    return bad_line (error, name, lineno, "the cue start is not a time like %s: '%s'", example,
                     line);
  while (*p == ' ' || *p == '\t')
    p++;
  if (strncmp (p, "-->", 3) != 0)
    return bad_line (error, name, lineno, "expected ' --> ' between the start and end times, "
                     "as in %s: '%s'", example, line);
  p += 3;
  while (*p == ' ' || *p == '\t')
    p++;
  if (!parse_timestamp (&p, separator, separator == '.', end))
    return bad_line (error, name, lineno, "the cue end is not a time like %s: '%s'", example,
                     line);
  if (*p != '\0' && *p != ' ' && *p != '\t')
    return bad_line (error, name, lineno, "unexpected text after the end time: '%s'", line);
  if (*end < *start)
    {
      g_autofree char *a = format_ms (*start);
      g_autofree char *b = format_ms (*end);

      return bad_line (error, name, lineno, "cue end before start (%s --> %s)", a, b);
    }
  return TRUE;
}

static gboolean
add_segment (AssayUtterances *segments,
             const char    *name,
             guint          lineno,
             gint64         start,
             gint64         end,
             const char    *speaker,
             const char    *text,
             GError       **error)
{
  g_autofree char *who = g_strstrip (g_strdup (speaker != NULL ? speaker : ""));
  g_autofree char *what = g_strstrip (g_strdup (text));

  if (*what == '\0')
    return TRUE;     /* a voice span with nothing said in it */
  if (*who == '\0')
    return bad_line (error, name, lineno, "the cue names no speaker: begin its text with a voice "
                     "tag like <v Agent> (WebVTT) or a name like 'Agent:' (SRT)");
  if (g_utf8_strlen (who, -1) > MAX_SPEAKER_CHARS)
    return bad_line (error, name, lineno, "the speaker's name is longer than %d characters",
                     MAX_SPEAKER_CHARS);
  assay_utterances_add (segments, start, end, who, assay_role_guess (who), what);
  return TRUE;
}

/* WebVTT ------------------------------------------------------------------------------------- */

static void
append_entity_decoded (GString    *out,
                       const char *text,
                       gsize       len)
{
  static const struct { const char *name; const char *value; } entities[] = {
    { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&nbsp;", " " },
    { "&lrm;", "" }, { "&rlm;", "" }, { "&quot;", "\"" }, { "&apos;", "'" },
  };

  for (gsize i = 0; i < len; i++)
    {
      gboolean done = FALSE;

      if (text[i] == '&')
        for (guint e = 0; e < G_N_ELEMENTS (entities); e++)
          {
            gsize n = strlen (entities[e].name);

            if (i + n <= len && strncmp (text + i, entities[e].name, n) == 0)
              {
                g_string_append (out, entities[e].value);
                i += n - 1;
                done = TRUE;
                break;
              }
          }
      if (!done)
        g_string_append_c (out, text[i]);
    }
}

/*
 * Splits a cue's text into voice spans: "<v Agent>Hello</v> <v Customer>Hi" gives two. Other
 * tags (<b>, <i>, <c.x>, <00:00:01.000>) are dropped. Text before any voice tag belongs to
 * @current (the previous cue's speaker).
 */
static gboolean
parse_vtt_payload (AssayUtterances *segments,
                   const char    *name,
                   guint          lineno,
                   gint64         start,
                   gint64         end,
                   const char    *payload,
                   char         **current,
                   GError       **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *p = payload;

  while (*p != '\0')
    {
      const char *lt = strchr (p, '<');
      const char *gt;

      if (lt == NULL)
        {
          append_entity_decoded (text, p, strlen (p));
          break;
        }
      append_entity_decoded (text, p, (gsize) (lt - p));
      gt = strchr (lt, '>');
      if (gt == NULL)
        return bad_line (error, name, lineno, "a tag is not closed with '>': '%s'", lt);
      if (lt[1] == 'v' && (lt[2] == ' ' || lt[2] == '.' || lt[2] == '\t'))
        {
          const char *who = lt + 2;

          /* <v.loud Agent>: classes come before the name */
          if (*who == '.')
            while (who < gt && *who != ' ' && *who != '\t')
              who++;
          if (!add_segment (segments, name, lineno, start, end, *current, text->str, error))
            return FALSE;
          g_string_truncate (text, 0);
          g_free (*current);
          *current = g_strstrip (g_strndup (who, (gsize) (gt - who)));
          if (**current == '\0')
            return bad_line (error, name, lineno, "the voice tag names no one: write <v Name>");
        }
      p = gt + 1;
    }
  return add_segment (segments, name, lineno, start, end, *current, text->str, error);
}

static AssayUtterances *
parse_vtt (const char  *data,
           gsize        length,
           const char  *name,
           GError     **error)
{
  g_autoptr(AssayUtterances) segments = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);
  g_autofree char *speaker = NULL;
  Lines lines = { 0 };
  g_auto(GStrv) owned = NULL;
  const char *first;

  if (!split_lines (data, length, name, &lines, error))
    return NULL;
  owned = lines.lines;
  first = lines.n > 0 ? lines.lines[0] : "";
  if (strncmp (first, "WEBVTT", 6) != 0 || (first[6] != '\0' && first[6] != ' '
                                             && first[6] != '\t'))
    {
      bad_line (error, name, 1, "not a WebVTT file: the first line must be WEBVTT");
      return NULL;
    }
  /* the header runs to the first blank line */
  for (lines.i = 1; lines.i < lines.n && !is_blank (lines.lines[lines.i]); lines.i++)
    ;
  while (lines.i < lines.n)
    {
      guint block = lines.i;
      const char *line;
      gint64 start, end;
      guint timing_line;
      g_autoptr(GString) payload = NULL;

      if (is_blank (lines.lines[lines.i]))
        {
          lines.i++;
          continue;
        }
      line = lines.lines[block];
      if (g_str_has_prefix (line, "NOTE") || g_str_has_prefix (line, "STYLE")
          || g_str_has_prefix (line, "REGION"))
        {
          while (lines.i < lines.n && !is_blank (lines.lines[lines.i]))
            lines.i++;
          continue;
        }
      /* an optional cue identifier, then the timing line; a line that starts with a time is
       * a (broken) timing line, not an identifier */
      if (strstr (line, "-->") == NULL && !starts_with_time (line))
        {
          lines.i++;
          if (lines.i >= lines.n || is_blank (lines.lines[lines.i]))
            {
              bad_line (error, name, block + 1, "expected a cue timing line like "
                        "00:00:01.000 --> 00:00:04.000 after '%s'", line);
              return NULL;
            }
        }
      timing_line = lines.i + 1;
      if (!parse_timing (lines.lines[lines.i], '.', name, timing_line, &start, &end, error))
        return NULL;
      lines.i++;
      payload = g_string_new (NULL);
      while (lines.i < lines.n && !is_blank (lines.lines[lines.i]))
        {
          if (strstr (lines.lines[lines.i], "-->") != NULL)
            {
              bad_line (error, name, lines.i + 1, "a timing line inside a cue: "
                        "put a blank line between cues");
              return NULL;
            }
          if (payload->len > 0)
            g_string_append_c (payload, ' ');
          g_string_append (payload, lines.lines[lines.i]);
          lines.i++;
        }
      if (is_blank (payload->str))
        {
          bad_line (error, name, timing_line, "the cue has no text");
          return NULL;
        }
      if (!parse_vtt_payload (segments, name, timing_line, start, end, payload->str, &speaker,
                              error))
        return NULL;
    }
  if (segments->segments->len == 0)
    {
      bad_line (error, name, 0, "the file has no cues");
      return NULL;
    }
  sort_segments (segments);
  return g_steal_pointer (&segments);
}

/* SRT ---------------------------------------------------------------------------------------- */

/* "Agent: text" or "坐席：text": a name of at most MAX_SPEAKER_CHARS before the first colon */
static gboolean
split_speaker (const char  *text,
               char       **out_speaker,
               const char **out_rest)
{
  const char *colon = strstr (text, ":");
  const char *wide = strstr (text, "：");
  const char *at;
  gsize skip;

  if (wide != NULL && (colon == NULL || wide < colon))
    {
      at = wide;
      skip = strlen ("：");
    }
  else
    {
      at = colon;
      skip = 1;
    }
  if (at == NULL || at == text || g_utf8_strlen (text, (gssize) (at - text)) > MAX_SPEAKER_CHARS)
    return FALSE;
  /* a time in the text ("at 10:30") is not a speaker */
  if (g_ascii_isdigit (at[-1]))
    return FALSE;
  *out_speaker = g_strndup (text, (gsize) (at - text));
  *out_rest = at + skip;
  return TRUE;
}

static AssayUtterances *
parse_srt (const char  *data,
           gsize        length,
           const char  *name,
           GError     **error)
{
  g_autoptr(AssayUtterances) segments = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);
  g_autofree char *speaker = NULL;
  Lines lines = { 0 };
  g_auto(GStrv) owned = NULL;

  if (!split_lines (data, length, name, &lines, error))
    return NULL;
  owned = lines.lines;
  while (lines.i < lines.n)
    {
      const char *line = lines.lines[lines.i];
      g_autofree char *number = NULL;
      g_autoptr(GString) payload = NULL;
      gint64 start, end;
      guint timing_line;
      const char *rest;
      char *named = NULL;

      if (is_blank (line))
        {
          lines.i++;
          continue;
        }
      number = g_strstrip (g_strdup (line));
      for (const char *d = number; *d != '\0'; d++)
        if (!g_ascii_isdigit (*d))
          {
            bad_line (error, name, lines.i + 1, "expected the cue number, got '%s'", line);
            return NULL;
          }
      lines.i++;
      if (lines.i >= lines.n || is_blank (lines.lines[lines.i]))
        {
          bad_line (error, name, lines.i, "cue %s has no timing line like "
                    "00:00:01,000 --> 00:00:04,000", number);
          return NULL;
        }
      timing_line = lines.i + 1;
      if (!parse_timing (lines.lines[lines.i], ',', name, timing_line, &start, &end, error))
        return NULL;
      lines.i++;
      payload = g_string_new (NULL);
      while (lines.i < lines.n && !is_blank (lines.lines[lines.i]))
        {
          if (payload->len > 0)
            g_string_append_c (payload, ' ');
          g_string_append (payload, lines.lines[lines.i]);
          lines.i++;
        }
      if (is_blank (payload->str))
        {
          bad_line (error, name, timing_line, "cue %s has no text", number);
          return NULL;
        }
      rest = payload->str;
      if (split_speaker (payload->str, &named, &rest))
        {
          g_free (speaker);
          speaker = named;
        }
      {
        g_autoptr(GString) plain = g_string_new (NULL);

        append_entity_decoded (plain, rest, strlen (rest));
        if (!add_segment (segments, name, timing_line, start, end, speaker, plain->str, error))
          return NULL;
      }
    }
  if (segments->segments->len == 0)
    {
      bad_line (error, name, 0, "the file has no cues");
      return NULL;
    }
  sort_segments (segments);
  return g_steal_pointer (&segments);
}

/* JSON --------------------------------------------------------------------------------------- */

typedef struct {
  GHashTable *lines;   /* JsonArray* → GArray of guint (line after each element) */
} LineMap;

static void
array_element_cb (JsonParser *parser,
                  JsonArray  *array,
                  int         index,
                  gpointer    user_data)
{
  LineMap *map = user_data;
  GArray *lines = g_hash_table_lookup (map->lines, array);
  guint line = json_parser_get_current_line (parser);

  if (lines == NULL)
    {
      lines = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (map->lines, array, lines);
    }
  if ((guint) index >= lines->len)
    g_array_set_size (lines, (guint) index + 1);
  g_array_index (lines, guint, index) = line;
}

static guint
element_line (LineMap   *map,
              JsonArray *array,
              guint      index)
{
  GArray *lines = g_hash_table_lookup (map->lines, array);

  return lines != NULL && index < lines->len ? g_array_index (lines, guint, index) : 0;
}

static gboolean
check_members (JsonObject         *obj,
               const char * const *allowed,
               const char         *name,
               guint               line,
               const char         *path,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return bad_line (error, name, line, "%s.%s: unknown field (see docs/transcripts.md)", path,
                       (const char *) l->data);
  return TRUE;
}

static const char *
get_text (JsonObject *obj,
          const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_seconds (JsonObject *obj,
             const char *member,
             gint64     *out_ms)
{
  JsonNode *node = json_object_get_member (obj, member);
  double s;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_INT64
          && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return FALSE;
  s = json_node_get_double (node);
  if (!(s >= 0 && s < 1e9))
    return FALSE;
  *out_ms = (gint64) (s * 1000.0 + 0.5);
  return TRUE;
}

static gboolean
read_role (JsonObject  *obj,
           const char  *speaker,
           AssaySpeaker   *out,
           const char  *name,
           guint        line,
           const char  *path,
           GError     **error)
{
  JsonNode *node = json_object_get_member (obj, "role");
  const char *text = get_text (obj, "role");

  if (node == NULL)
    {
      *out = assay_role_guess (speaker);
      return TRUE;
    }
  if (text == NULL || !assay_speaker_from_string (text, out))
    return bad_line (error, name, line, "%s.role: must be \"agent\", \"customer\" or \"unknown\"",
                     path);
  return TRUE;
}

/* a time without Z or an offset would mean different moments in different places */
static gboolean
has_offset (const char *time)
{
  const char *t = strchr (time, 'T');

  if (t == NULL)
    return FALSE;
  return strchr (t, 'Z') != NULL || strchr (t, 'z') != NULL || strchr (t, '+') != NULL
         || strchr (t, '-') != NULL;
}

static const char *const call_members[] = { "format", "kind", "language", "segments", NULL };
static const char *const segment_members[] = { "speaker", "role", "start", "end", "text", NULL };
static const char *const conversation_members[] = {
  "format", "kind", "channel", "language", "subject", "messages", NULL
};
static const char *const message_members[] = {
  "time", "sender", "role", "text", "subject", NULL
};

static AssayUtterances *
parse_json_document (const char             *data,
                     gsize                   length,
                     const char             *name,
                     gboolean                any_kind,
                     AssayTranscriptFormat   wanted,
                     AssayTranscriptFormat  *out_format,
                     GError                **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) line_table = g_hash_table_new_full (NULL, NULL, NULL,
                                                            (GDestroyNotify) g_array_unref);
  g_autoptr(GError) local = NULL;
  g_autoptr(AssayUtterances) segments = NULL;
  LineMap map = { line_table };
  JsonNode *root;
  JsonObject *obj;
  JsonNode *format_node;
  const char *kind;
  JsonArray *items;
  gboolean conversation;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  /* the one door first (size, depth, duplicate keys, UTF-8: docs/json-limits.md); json-glib's
   * own parse below then maps each element to its line */
  {
    g_autoptr(JsonNode) checked = assay_protocol_parse_json (data, (gssize) length, NULL, &local);

    if (checked == NULL)
      {
        /* its message ends "(line N, column M)": the line goes in front, as for other errors */
        const char *at = strstr (local->message, "(line ");
        guint line = at != NULL ? (guint) g_ascii_strtoull (at + 6, NULL, 10) : 0;

        bad_line (error, name, line, "not valid JSON: %s", local->message);
        return NULL;
      }
  }
  g_signal_connect (parser, "array-element", G_CALLBACK (array_element_cb), &map);
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      /* json-glib puts "<data>:LINE:COL: " in front of its message */
      const char *msg = local->message;
      const char *colon = g_str_has_prefix (msg, "<data>:") ? strchr (msg + 7, ':') : NULL;
      guint line = colon != NULL ? (guint) g_ascii_strtoull (msg + 7, NULL, 10) : 0;

      if (colon != NULL)
        {
          const char *rest = strstr (colon + 1, ": ");

          msg = rest != NULL ? rest + 2 : colon + 1;
        }
      bad_line (error, name, line, "not valid JSON: %s", msg);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      bad_line (error, name, 1, "must be a JSON object with \"format\" and \"kind\"");
      return NULL;
    }
  obj = json_node_get_object (root);
  format_node = json_object_get_member (obj, "format");
  if (format_node == NULL || !JSON_NODE_HOLDS_VALUE (format_node)
      || json_node_get_value_type (format_node) != G_TYPE_INT64)
    {
      bad_line (error, name, 1, "\"format\" must be given as a number: this version reads 1");
      return NULL;
    }
  if (json_node_get_int (format_node) != 1)
    {
      g_set_error (error, ASSAY_TRANSCRIPT_ERROR, ASSAY_TRANSCRIPT_ERROR_UNSUPPORTED,
                   "%s: format %" G_GINT64_FORMAT " is not known: this version of Assay reads "
                   "format 1", name, json_node_get_int (format_node));
      return NULL;
    }
  kind = get_text (obj, "kind");
  if (g_strcmp0 (kind, "call_transcript") == 0)
    conversation = FALSE;
  else if (g_strcmp0 (kind, "conversation") == 0)
    conversation = TRUE;
  else
    {
      bad_line (error, name, 1, "\"kind\" must be \"call_transcript\" or \"conversation\"");
      return NULL;
    }
  if (!any_kind && conversation != (wanted == ASSAY_TRANSCRIPT_FORMAT_CONVERSATION))
    {
      bad_line (error, name, 1, "this is a %s, not a %s", kind,
                conversation ? "call transcript" : "conversation");
      return NULL;
    }
  if (!check_members (obj, conversation ? conversation_members : call_members, name, 1, "",
                      error))
    return NULL;
  {
    JsonNode *node = json_object_get_member (obj, conversation ? "messages" : "segments");

    if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
      {
        bad_line (error, name, 1, "\"%s\" must be given as an array",
                  conversation ? "messages" : "segments");
        return NULL;
      }
    items = json_node_get_array (node);
  }
  if (json_array_get_length (items) == 0)
    {
      bad_line (error, name, 0, "the file has no %s", conversation ? "messages" : "segments");
      return NULL;
    }

  segments = assay_utterances_new (conversation ? ASSAY_TRANSCRIPT_CONVERSATION
                                              : ASSAY_TRANSCRIPT_CALL);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      guint line = element_line (&map, items, i);
      g_autofree char *path = g_strdup_printf ("%s[%u]", conversation ? "messages" : "segments",
                                               i);
      g_autofree char *who = NULL;
      g_autofree char *what = NULL;
      JsonObject *el;
      AssaySpeaker role;
      gint64 start = 0, end = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          bad_line (error, name, line, "%s: must be an object", path);
          return NULL;
        }
      el = json_node_get_object (node);
      if (!check_members (el, conversation ? message_members : segment_members, name, line, path,
                          error))
        return NULL;
      who = g_strstrip (g_strdup (get_text (el, conversation ? "sender" : "speaker")
                                  ? get_text (el, conversation ? "sender" : "speaker") : ""));
      what = g_strstrip (g_strdup (get_text (el, "text") ? get_text (el, "text") : ""));
      if (*who == '\0')
        {
          bad_line (error, name, line, "%s.%s: must be a name, not empty", path,
                    conversation ? "sender" : "speaker");
          return NULL;
        }
      if (g_utf8_strlen (who, -1) > MAX_SPEAKER_CHARS)
        {
          bad_line (error, name, line, "%s: the name is longer than %d characters", path,
                    MAX_SPEAKER_CHARS);
          return NULL;
        }
      if (*what == '\0')
        {
          bad_line (error, name, line, "%s.text: must be text, not empty", path);
          return NULL;
        }
      if (!read_role (el, who, &role, name, line, path, error))
        return NULL;
      if (conversation)
        {
          const char *time = get_text (el, "time");
          JsonNode *subject = json_object_get_member (el, "subject");

          if (time == NULL || !has_offset (time) || !assay_parse_iso8601_ms (time, &start))
            {
              bad_line (error, name, line, "%s.time: must be an ISO-8601 time with Z or an offset, "
                        "like 2026-11-14T10:42:00Z", path);
              return NULL;
            }
          if (subject != NULL && get_text (el, "subject") == NULL)
            {
              bad_line (error, name, line, "%s.subject: must be a string", path);
              return NULL;
            }
          end = start;
          assay_utterances_add (segments, start, end, who, role, what)->subject
            = g_strdup (get_text (el, "subject"));
        }
      else
        {
          if (!get_seconds (el, "start", &start))
            {
              bad_line (error, name, line, "%s.start: must be seconds from the start of the "
                        "recording, a number >= 0", path);
              return NULL;
            }
          if (!get_seconds (el, "end", &end))
            {
              bad_line (error, name, line, "%s.end: must be seconds from the start of the "
                        "recording, a number >= 0", path);
              return NULL;
            }
          if (end < start)
            {
              bad_line (error, name, line, "%s: segment end before start (%.3f s < %.3f s)", path,
                        end / 1000.0, start / 1000.0);
              return NULL;
            }
          assay_utterances_add (segments, start, end, who, role, what);
        }
    }
  if (out_format != NULL)
    *out_format = conversation ? ASSAY_TRANSCRIPT_FORMAT_CONVERSATION
                               : ASSAY_TRANSCRIPT_FORMAT_JSON;
  sort_segments (segments);
  return g_steal_pointer (&segments);
}

/* Public ------------------------------------------------------------------------------------- */

AssayUtterances *
assay_transcript_parse_as (const char             *data,
                           gsize                   length,
                           const char             *name,
                           AssayTranscriptFormat   format,
                           GError                **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  data = data != NULL ? data : "";
  switch (format)
    {
    case ASSAY_TRANSCRIPT_FORMAT_VTT:
      return parse_vtt (data, length, name, error);
    case ASSAY_TRANSCRIPT_FORMAT_SRT:
      return parse_srt (data, length, name, error);
    case ASSAY_TRANSCRIPT_FORMAT_JSON:
    case ASSAY_TRANSCRIPT_FORMAT_CONVERSATION:
    default:
      return parse_json_document (data, length, name, FALSE, format, NULL, error);
    }
}

AssayUtterances *
assay_transcript_parse (const char             *data,
                        gsize                   length,
                        const char             *name,
                        AssayTranscriptFormat  *out_format,
                        GError                **error)
{
  g_autofree char *lower = NULL;
  AssayTranscriptFormat format;
  AssayUtterances *segments;

  g_return_val_if_fail (name != NULL, NULL);

  lower = g_ascii_strdown (name, -1);
  if (g_str_has_suffix (lower, ".vtt"))
    format = ASSAY_TRANSCRIPT_FORMAT_VTT;
  else if (g_str_has_suffix (lower, ".srt"))
    format = ASSAY_TRANSCRIPT_FORMAT_SRT;
  else if (g_str_has_suffix (lower, ".json"))
    return parse_json_document (data != NULL ? data : "", length, name, TRUE,
                                ASSAY_TRANSCRIPT_FORMAT_JSON, out_format, error);
  else
    {
      g_set_error (error, ASSAY_TRANSCRIPT_ERROR, ASSAY_TRANSCRIPT_ERROR_UNSUPPORTED,
                   "%s: not a transcript file Assay reads: name it .vtt (WebVTT), .srt or .json "
                   "(see docs/transcripts.md)", name);
      return NULL;
    }
  segments = assay_transcript_parse_as (data, length, name, format, error);
  if (segments != NULL && out_format != NULL)
    *out_format = format;
  return segments;
}

char *
assay_utterances_to_json (const AssayUtterances *segments)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (segments != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < assay_utterances_get_n (segments); i++)
    {
      const AssayUtterance *s = assay_utterances_get (segments, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "speaker");
      json_builder_add_string_value (builder, s->speaker);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, assay_speaker_to_string (s->role));
      json_builder_set_member_name (builder, "start_ms");
      json_builder_add_int_value (builder, s->start_ms);
      json_builder_set_member_name (builder, "end_ms");
      json_builder_add_int_value (builder, s->end_ms);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, s->text);
      if (s->subject != NULL)
        {
          json_builder_set_member_name (builder, "subject");
          json_builder_add_string_value (builder, s->subject);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

AssayUtterances *
assay_utterances_from_json (AssayTranscriptKind   kind,
                          const char           *json,
                          GError              **error)
{
  g_autoptr(AssayUtterances) segments = assay_utterances_new (kind);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);

  root = assay_protocol_parse_json (json, -1, NULL, error);
  if (root == NULL)
    return NULL;
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, ASSAY_TRANSCRIPT_ERROR, ASSAY_TRANSCRIPT_ERROR_SYNTAX,
                           "stored segments: not an array");
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *o;
      AssaySpeaker role = ASSAY_SPEAKER_UNKNOWN;
      const char *speaker, *text;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto bad;
      o = json_node_get_object (node);
      speaker = get_text (o, "speaker");
      text = get_text (o, "text");
      if (speaker == NULL || text == NULL || !json_object_has_member (o, "start_ms")
          || !json_object_has_member (o, "end_ms"))
        goto bad;
      assay_speaker_from_string (get_text (o, "role"), &role);
      assay_utterances_add (segments, json_object_get_int_member (o, "start_ms"),
                          json_object_get_int_member (o, "end_ms"), speaker, role, text)->subject
        = g_strdup (get_text (o, "subject"));
    }
  return g_steal_pointer (&segments);

bad:
  g_set_error_literal (error, ASSAY_TRANSCRIPT_ERROR, ASSAY_TRANSCRIPT_ERROR_SYNTAX,
                       "stored segments: an element lacks speaker, text, start_ms or end_ms");
  return NULL;
}
