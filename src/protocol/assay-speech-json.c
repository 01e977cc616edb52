/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-speech-json.h"

#include <math.h>

#include "assay-protocol.h"

/*
 * Written by hand rather than with JsonGenerator: the analysis works in 10 ms frames, so two
 * decimals say everything, and JsonGenerator prints seventeen digits.
 */

/* Writing -------------------------------------------------------------------------------------- */

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

static void
append_file_name (GString    *out,
                  const char *file)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *utf8 = NULL;

  if (file == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  utf8 = g_filename_display_name (file);
  json_node_set_string (node, utf8);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_string_append (out, text);
}

static void
append_segment (GString            *out,
                const AssaySegment *segment)
{
  g_string_append_c (out, '[');
  append_number (out, segment->start);
  g_string_append_c (out, ',');
  append_number (out, segment->end);
  g_string_append_c (out, ']');
}

static void
append_segments (GString *out,
                 GArray  *segments)
{
  g_string_append_c (out, '[');
  for (guint i = 0; segments != NULL && i < segments->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_segment (out, &g_array_index (segments, AssaySegment, i));
    }
  g_string_append_c (out, ']');
}

char *
assay_speech_figures_to_json (const AssaySpeechSummary *s,
                              gboolean                  with_file)
{
  GString *out;
  gboolean split;

  g_return_val_if_fail (s != NULL, NULL);

  split = s->has_talk_split;
  out = g_string_new ("{");
  if (with_file)
    {
      g_string_append (out, "\"file\":");
      append_file_name (out, s->file);
      g_string_append_c (out, ',');
    }
  g_string_append (out, "\"duration_s\":");
  append_number (out, s->duration_s);
  g_string_append_printf (out, ",\"channels\":%u,\"sample_rate\":%u,\"talk_s\":{\"agent\":",
                          s->channels, s->sample_rate);
  append_number (out, split ? s->agent_talk_s : NAN);
  g_string_append (out, ",\"customer\":");
  append_number (out, split ? s->customer_talk_s : NAN);
  g_string_append (out, "},\"talk_ratio\":");
  append_number (out, split ? s->talk_ratio : NAN);
  g_string_append (out, ",\"silence_s\":");
  append_number (out, s->silence_s);
  g_string_append (out, ",\"silence_segments\":");
  append_segments (out, s->silence);
  g_string_append (out, ",\"overtalk_s\":");
  if (split)
    {
      append_number (out, s->overtalk_s);
      g_string_append (out, ",\"overtalk_segments\":");
      append_segments (out, s->overtalk);
      g_string_append (out, ",\"longest_monologue_s\":");
      append_number (out, s->longest_monologue_s);
    }
  else
    g_string_append (out, "null,\"overtalk_segments\":null,\"longest_monologue_s\":null");
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

char *
assay_speech_segments_to_json (const AssaySpeechSummary *s)
{
  GString *out;
  guint n_lanes;

  g_return_val_if_fail (s != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "{\"agent_channel\":%u,\"silence_min_s\":", s->agent_channel);
  append_number (out, s->silence_min_s);
  g_string_append (out, ",\"overtalk_min_s\":");
  append_number (out, s->overtalk_min_s);
  g_string_append (out, ",\"voice\":[");
  n_lanes = s->has_talk_split ? 2 : 1;
  for (guint c = 0; c < n_lanes; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      append_segments (out, s->voice[c]);
    }
  g_string_append (out, "],\"longest_monologue\":");
  if (s->has_talk_split && isfinite (s->longest_monologue_s))
    append_segment (out, &s->longest_monologue);
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* Reading -------------------------------------------------------------------------------------- */

static gboolean
invalid (GError    **error,
         const char *doc,
         const char *key,
         const char *what)
{
  g_set_error (error, ASSAY_SPEECH_ERROR, ASSAY_SPEECH_ERROR_INVALID, "%s: %s: %s", doc, key, what);
  return FALSE;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* a finite number >= 0, or NAN for null when @nullable */
static gboolean
read_seconds (JsonObject  *o,
              const char  *doc,
              const char  *key,
              gboolean     nullable,
              double      *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);
  double value;

  if (node == NULL)
    return invalid (error, doc, key, "missing");
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }
  if (!node_is_number (node))
    return invalid (error, doc, key, nullable ? "must be a number or null" : "must be a number");
  value = json_node_get_double (node);
  if (!isfinite (value) || value < 0)
    return invalid (error, doc, key, "must be 0 or more");
  *out = value;
  return TRUE;
}

static gboolean
read_count (JsonObject  *o,
            const char  *doc,
            const char  *key,
            guint        max,
            guint       *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, key);
  gint64 value;

  if (node == NULL)
    return invalid (error, doc, key, "missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, doc, key, "must be a whole number");
  value = json_node_get_int (node);
  if (value < 0 || (guint64) value > max)
    return invalid (error, doc, key, "out of range");
  *out = (guint) value;
  return TRUE;
}

static gboolean
read_segment (JsonNode     *node,
              AssaySegment *out)
{
  JsonArray *pair;
  JsonNode *start, *end;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  pair = json_node_get_array (node);
  if (json_array_get_length (pair) != 2)
    return FALSE;
  start = json_array_get_element (pair, 0);
  end = json_array_get_element (pair, 1);
  if (!node_is_number (start) || !node_is_number (end))
    return FALSE;
  out->start = json_node_get_double (start);
  out->end = json_node_get_double (end);
  return isfinite (out->start) && isfinite (out->end) && out->start >= 0 && out->end >= out->start;
}

/* a list of [start, end] pairs into @out; null is an empty list when @nullable */
static gboolean
read_segments (JsonNode    *node,
               const char  *doc,
               const char  *key,
               gboolean     nullable,
               GArray      *out,
               GError     **error)
{
  JsonArray *array;

  g_array_set_size (out, 0);
  if (node == NULL)
    return invalid (error, doc, key, "missing");
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, doc, key, "must be a list of [start, end] pairs");
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      AssaySegment segment;

      if (!read_segment (json_array_get_element (array, i), &segment))
        {
          g_autofree char *where = g_strdup_printf ("%s[%u]", key, i);

          return invalid (error, doc, where, "must be [start, end] with 0 <= start <= end");
        }
      g_array_append_val (out, segment);
    }
  return TRUE;
}

static JsonObject *
parse_object (const char  *text,
              const char  *doc,
              GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = assay_protocol_parse_json (text, -1, NULL, &parse_error);
  if (root == NULL)
    {
      invalid (error, doc, "(document)", parse_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, doc, "(document)", "must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static gboolean
read_figures (JsonObject          *o,
              AssaySpeechSummary  *s,
              GError             **error)
{
  const char *doc = "figures";
  JsonNode *node;
  JsonObject *talk;

  node = json_object_get_member (o, "file");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    s->file = g_strdup (json_node_get_string (node));

  if (!read_seconds (o, doc, "duration_s", FALSE, &s->duration_s, error)
      || !read_count (o, doc, "channels", 64, &s->channels, error)
      || !read_count (o, doc, "sample_rate", 10000000, &s->sample_rate, error))
    return FALSE;

  node = json_object_get_member (o, "talk_s");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, doc, "talk_s", "must be an object {\"agent\", \"customer\"}");
  talk = json_node_get_object (node);
  if (!read_seconds (talk, "figures: talk_s", "agent", TRUE, &s->agent_talk_s, error)
      || !read_seconds (talk, "figures: talk_s", "customer", TRUE, &s->customer_talk_s, error))
    return FALSE;
  s->has_talk_split = isfinite (s->agent_talk_s);
  if (s->has_talk_split != isfinite (s->customer_talk_s))
    return invalid (error, doc, "talk_s", "agent and customer must both be numbers or both null");

  if (!read_seconds (o, doc, "talk_ratio", TRUE, &s->talk_ratio, error)
      || !read_seconds (o, doc, "silence_s", FALSE, &s->silence_s, error)
      || !read_segments (json_object_get_member (o, "silence_segments"), doc, "silence_segments",
                         FALSE, s->silence, error)
      || !read_seconds (o, doc, "overtalk_s", !s->has_talk_split, &s->overtalk_s, error)
      || !read_segments (json_object_get_member (o, "overtalk_segments"), doc,
                         "overtalk_segments", !s->has_talk_split, s->overtalk, error)
      || !read_seconds (o, doc, "longest_monologue_s", !s->has_talk_split,
                        &s->longest_monologue_s, error))
    return FALSE;
  if (s->talk_ratio > 1)
    return invalid (error, doc, "talk_ratio", "must be between 0 and 1");
  if (!s->has_talk_split)
    {
      s->talk_ratio = NAN;
      s->overtalk_s = NAN;
      s->longest_monologue_s = NAN;
      g_array_set_size (s->overtalk, 0);
    }
  return TRUE;
}

static gboolean
read_lanes (JsonObject          *o,
            AssaySpeechSummary  *s,
            GError             **error)
{
  const char *doc = "segments";
  JsonNode *node;
  JsonArray *voice;
  guint n_lanes;

  if (!read_count (o, doc, "agent_channel", 1, &s->agent_channel, error)
      || !read_seconds (o, doc, "silence_min_s", FALSE, &s->silence_min_s, error)
      || !read_seconds (o, doc, "overtalk_min_s", FALSE, &s->overtalk_min_s, error))
    return FALSE;

  node = json_object_get_member (o, "voice");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, doc, "voice", "must be a list with one list of segments per channel");
  voice = json_node_get_array (node);
  n_lanes = json_array_get_length (voice);
  if (n_lanes != (s->has_talk_split ? 2u : 1u))
    return invalid (error, doc, "voice",
                    s->has_talk_split ? "must have two channels (the figures have a talk split)"
                                      : "must have one channel (the figures have no talk split)");
  for (guint c = 0; c < n_lanes; c++)
    {
      g_autofree char *key = g_strdup_printf ("voice[%u]", c);

      if (!read_segments (json_array_get_element (voice, c), doc, key, FALSE, s->voice[c], error))
        return FALSE;
    }

  node = json_object_get_member (o, "longest_monologue");
  if (node == NULL)
    return invalid (error, doc, "longest_monologue", "missing");
  if (JSON_NODE_HOLDS_NULL (node))
    s->longest_monologue = (AssaySegment) { 0, 0 };
  else if (!read_segment (node, &s->longest_monologue))
    return invalid (error, doc, "longest_monologue", "must be [start, end] or null");
  return TRUE;
}

AssaySpeechSummary *
assay_speech_summary_from_json (const char  *figures,
                                const char  *segments,
                                GError     **error)
{
  g_autoptr(AssaySpeechSummary) summary = NULL;
  g_autoptr(JsonObject) figures_object = NULL;
  g_autoptr(JsonObject) segments_object = NULL;

  g_return_val_if_fail (figures != NULL, NULL);

  figures_object = parse_object (figures, "figures", error);
  if (figures_object == NULL)
    return NULL;
  summary = assay_speech_summary_new ();
  if (!read_figures (figures_object, summary, error))
    return NULL;

  if (segments != NULL)
    {
      segments_object = parse_object (segments, "segments", error);
      if (segments_object == NULL || !read_lanes (segments_object, summary, error))
        return NULL;
    }
  return g_steal_pointer (&summary);
}
