/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Transcript and conversation files; the comment and script fields of the form format. */
#include <string.h>

#include "core/assay-phrase.h"
#include "protocol/assay-form-json.h"
#include "protocol/assay-transcript.h"

static AssayUtterances *
parse_fixture (const char            *file,
               AssayTranscriptFormat *format)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "transcripts",
                                                 file, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  AssayUtterances *segments;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  segments = assay_transcript_parse (data, length, file, format, &error);
  g_assert_no_error (error);
  g_assert_nonnull (segments);
  return segments;
}

static void
assert_segment (const AssayUtterances *segments,
                guint                i,
                gint64               start_ms,
                gint64               end_ms,
                const char          *speaker,
                AssaySpeaker            role,
                const char          *text)
{
  const AssayUtterance *s = assay_utterances_get (segments, i);

  g_assert_cmpint (s->start_ms, ==, start_ms);
  g_assert_cmpint (s->end_ms, ==, end_ms);
  g_assert_cmpstr (s->speaker, ==, speaker);
  g_assert_cmpint (s->role, ==, role);
  g_assert_cmpstr (s->text, ==, text);
}

static void
test_vtt (void)
{
  AssayTranscriptFormat format;
  g_autoptr(AssayUtterances) s = parse_fixture ("call.vtt", &format);

  g_assert_cmpint (format, ==, ASSAY_TRANSCRIPT_FORMAT_VTT);
  g_assert_cmpint (s->kind, ==, ASSAY_TRANSCRIPT_CALL);
  g_assert_cmpuint (assay_utterances_get_n (s), ==, 5);
  assert_segment (s, 0, 800, 4200, "Agent", ASSAY_SPEAKER_AGENT,
                  "Thank you for calling Northwind, this is Emily.");
  assert_segment (s, 1, 4900, 7000, "Customer", ASSAY_SPEAKER_CUSTOMER,
                  "Hi Emily & team, my bill is wrong.");
  /* two voices in one cue: two lines with the cue's times; tags dropped */
  assert_segment (s, 2, 62000, 65500, "Agent", ASSAY_SPEAKER_AGENT, "Let me check that.");
  assert_segment (s, 3, 62000, 65500, "Customer", ASSAY_SPEAKER_CUSTOMER, "Thanks.");
  /* no voice tag: the previous speaker goes on; an hour-long timestamp */
  assert_segment (s, 4, 3600000, 3601000, "Customer", ASSAY_SPEAKER_CUSTOMER, "and one more thing");
}

static void
test_srt (void)
{
  AssayTranscriptFormat format;
  g_autoptr(AssayUtterances) s = parse_fixture ("call.srt", &format);

  g_assert_cmpint (format, ==, ASSAY_TRANSCRIPT_FORMAT_SRT);
  g_assert_cmpuint (assay_utterances_get_n (s), ==, 3);
  assert_segment (s, 0, 800, 4200, "坐席", ASSAY_SPEAKER_AGENT,
                  "您好，欢迎致电华信电信， 请问有什么可以帮您？");
  assert_segment (s, 1, 4900, 7000, "客户", ASSAY_SPEAKER_CUSTOMER, "我家的宽带断了。");
  /* "10:30" is a time, not a speaker: the customer goes on */
  assert_segment (s, 2, 7500, 9000, "客户", ASSAY_SPEAKER_CUSTOMER, "从昨天晚上10:30开始。");
}

static void
test_json_call (void)
{
  AssayTranscriptFormat format;
  g_autoptr(AssayUtterances) s = parse_fixture ("call.json", &format);

  g_assert_cmpint (format, ==, ASSAY_TRANSCRIPT_FORMAT_JSON);
  g_assert_cmpuint (assay_utterances_get_n (s), ==, 2);
  assert_segment (s, 0, 800, 4200, "Emily", ASSAY_SPEAKER_AGENT, "Thank you for calling Northwind.");
  assert_segment (s, 1, 4900, 7000, "Customer", ASSAY_SPEAKER_CUSTOMER, "Hi, my bill is wrong.");
}

static void
test_conversations (void)
{
  AssayTranscriptFormat format;
  g_autoptr(AssayUtterances) chat = parse_fixture ("chat.json", &format);
  g_autoptr(AssayUtterances) email = NULL;
  gint64 t = G_GINT64_CONSTANT (1794652920000);   /* 2026-11-14T10:42:00Z */

  g_assert_cmpint (format, ==, ASSAY_TRANSCRIPT_FORMAT_CONVERSATION);
  g_assert_cmpint (chat->kind, ==, ASSAY_TRANSCRIPT_CONVERSATION);
  g_assert_cmpuint (assay_utterances_get_n (chat), ==, 3);
  /* sorted by time; offsets become UTC; a message's end is its start */
  assert_segment (chat, 0, t, t, "客户", ASSAY_SPEAKER_CUSTOMER, "你好，在吗？");
  assert_segment (chat, 1, t + 5000, t + 5000, "Wang Fang", ASSAY_SPEAKER_AGENT,
                  "您好，我是客服王芳，请问有什么可以帮您？");
  assert_segment (chat, 2, t + 70000, t + 70000, "客户", ASSAY_SPEAKER_CUSTOMER, "我的订单还没到。");

  email = parse_fixture ("email.json", NULL);
  g_assert_cmpuint (assay_utterances_get_n (email), ==, 2);
  g_assert_cmpstr (assay_utterances_get (email, 1)->subject, ==, "Re: Refund for order 1182");
  g_assert_cmpint (assay_utterances_get (email, 1)->role, ==, ASSAY_SPEAKER_AGENT);
  g_assert_nonnull (strstr (assay_utterances_get (email, 0)->text, "\n\nI returned"));
}

static void
test_round_trip (void)
{
  g_autoptr(AssayUtterances) s = parse_fixture ("email.json", NULL);
  g_autofree char *json = assay_utterances_to_json (s);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayUtterances) back = assay_utterances_from_json (ASSAY_TRANSCRIPT_CONVERSATION, json,
                                                            &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  again = assay_utterances_to_json (back);
  g_assert_cmpstr (json, ==, again);
  g_assert_cmpstr (assay_utterances_get (back, 0)->subject, ==, "Refund for order 1182");
  g_assert_null (assay_utterances_from_json (ASSAY_TRANSCRIPT_CALL, "{}", &error));
  g_assert_nonnull (error);
}

typedef struct {
  const char *name;
  const char *data;
  const char *message;
} Bad;

static void
test_malformed (void)
{
  const Bad bad[] = {
    { "a.vtt", "WEBVTX\n\n00:00:01.000 --> 00:00:02.000\n<v A>x\n",
      "a.vtt:1: not a WebVTT file: the first line must be WEBVTT" },
    { "b.vtt", "WEBVTT\n\n1\n00:00:05.000 --> 00:00:04.000\n<v Agent>Hello\n",
      "b.vtt:4: cue end before start (00:00:05.000 --> 00:00:04.000)" },
    { "c.vtt", "WEBVTT\n\n00:00:01.000 -> 00:00:02.000\n<v Agent>Hello\n",
      "c.vtt:3: expected ' --> ' between the start and end times, as in 00:00:01.000 --> "
      "00:00:04.000: '00:00:01.000 -> 00:00:02.000'" },
    { "d.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n",
      "d.vtt:3: the cue names no speaker: begin its text with a voice tag like <v Agent> "
      "(WebVTT) or a name like 'Agent:' (SRT)" },
    { "e.vtt", "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v Agent>Hi\r\n\r\n"
      "00:00:03.000 --> 00:00:61.000\r\n<v Agent>Hi\r\n",
      "e.vtt:6: the cue end is not a time like 00:00:01.000 --> 00:00:04.000: "
      "'00:00:03.000 --> 00:00:61.000'" },
    { "f.vtt", "WEBVTT\n\nintro\n\n", "f.vtt:3: expected a cue timing line like "
      "00:00:01.000 --> 00:00:04.000 after 'intro'" },
    { "g.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n", "g.vtt:3: the cue has no text" },
    { "h.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Agent>Hi \xff\n",
      "h.vtt:4: the text is not valid UTF-8; save the file as UTF-8" },
    { "i.vtt", "WEBVTT\n", "i.vtt: the file has no cues" },
    { "j.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Agent Hi\n",
      "j.vtt:3: a tag is not closed with '>': '<v Agent Hi'" },
    { "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nAgent: hi\n\nx2\n00:00:03,000 --> 00:00:04,000\n",
      "a.srt:5: expected the cue number, got 'x2'" },
    { "b.srt", "1\n00:00:09,000 --> 00:00:02,000\nAgent: hi\n",
      "b.srt:2: cue end before start (00:00:09.000 --> 00:00:02.000)" },
    { "c.srt", "1\n00:00:01.000 --> 00:00:02,000\nAgent: hi\n",
      "c.srt:2: the cue start is not a time like 00:00:01,000 --> 00:00:04,000: "
      "'00:00:01.000 --> 00:00:02,000'" },
    { "d.srt", "1\n\n", "d.srt:1: cue 1 has no timing line like 00:00:01,000 --> 00:00:04,000" },
    { "e.srt", "1\n00:00:01,000 --> 00:00:02,000\n\n", "e.srt:2: cue 1 has no text" },
    { "a.json", "{\n  \"format\": 1,\n  \"kind\": \"call_transcript\",\n  \"segments\": [\n"
      "    { \"speaker\": \"A\", \"start\": 1, \"end\": 2, \"text\": \"hi\" },\n"
      "    { \"speaker\": \"A\", \"start\": 5, \"end\": 4, \"text\": \"hi\" }\n  ]\n}\n",
      "a.json:6: segments[1]: segment end before start (4.000 s < 5.000 s)" },
    { "b.json", "{\n \"format\": 1,\n \"kind\": \"call_transcript\",\n \"segments\": [\n"
      "  { \"speaker\": \"\", \"start\": 1, \"end\": 2, \"text\": \"hi\" }\n ]\n}",
      "b.json:5: segments[0].speaker: must be a name, not empty" },
    { "c.json", "{ \"format\": 1, \"kind\": \"call_transcript\",\n \"segments\": [ oops ] }",
      NULL },
    { "d.json", "{ \"format\": 1, \"kind\": \"transcript\", \"segments\": [] }",
      "d.json:1: \"kind\" must be \"call_transcript\" or \"conversation\"" },
    { "e.json", "{ \"format\": 1, \"kind\": \"conversation\", \"messages\": [\n"
      "{ \"time\": \"2026-11-14T10:42:00\", \"sender\": \"A\", \"text\": \"hi\" } ] }",
      "e.json:2: messages[0].time: must be an ISO-8601 time with Z or an offset, like "
      "2026-11-14T10:42:00Z" },
    { "f.json", "{ \"format\": 1, \"kind\": \"conversation\", \"messages\": [\n"
      "{ \"time\": \"2026-11-14T10:42:00Z\", \"sender\": \"A\", \"text\": \"hi\", \"to\": 1 } ] }",
      "f.json:2: messages[0].to: unknown field (see docs/transcripts.md)" },
    { "g.json", "{ \"format\": 1, \"kind\": \"conversation\", \"messages\": [\n"
      "{ \"time\": \"2026-11-14T10:42:00Z\", \"sender\": \"A\", \"role\": \"boss\", \"text\": \"hi\" } ] }",
      "g.json:2: messages[0].role: must be \"agent\", \"customer\" or \"unknown\"" },
    { "h.json", "{ \"format\": 1, \"kind\": \"conversation\", \"messages\": [] }",
      "h.json: the file has no messages" },
    { "notes.txt", "Agent: hello", "notes.txt: not a transcript file Assay reads: name it .vtt "
      "(WebVTT), .srt or .json (see docs/transcripts.md)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayUtterances) s = assay_transcript_parse (bad[i].data, strlen (bad[i].data),
                                                           bad[i].name, NULL, &error);

      g_test_message ("%s", bad[i].name);
      g_assert_null (s);
      g_assert_nonnull (error);
      if (bad[i].message != NULL)
        g_assert_cmpstr (error->message, ==, bad[i].message);
      else    /* json-glib's own wording: check the line is there */
        g_assert_true (g_str_has_prefix (error->message, "c.json:2: not valid JSON: "));
    }
}

static void
test_unsupported_format (void)
{
  const char *data = "{ \"format\": 2, \"kind\": \"conversation\", \"messages\": [] }";
  g_autoptr(GError) error = NULL;

  g_assert_null (assay_transcript_parse (data, strlen (data), "x.json", NULL, &error));
  g_assert_error (error, ASSAY_TRANSCRIPT_ERROR, ASSAY_TRANSCRIPT_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* asked for a call transcript, given a conversation */
  data = "{ \"format\": 1, \"kind\": \"conversation\", \"messages\": [] }";
  g_assert_null (assay_transcript_parse_as (data, strlen (data), "x.json",
                                            ASSAY_TRANSCRIPT_FORMAT_JSON, &error));
  g_assert_cmpstr (error->message, ==, "x.json:1: this is a conversation, not a call transcript");
}

/* The form format: comment rules and scripts ------------------------------------------------- */

static const char *script_form =
  "{ \"format\": 1, \"id\": \"s\", \"name\": \"S\", \"version\": 1, \"comment\": \"on_fail\",\n"
  "  \"sections\": [ { \"id\": \"a\", \"title\": \"A\", \"items\": [\n"
  "    { \"id\": \"greet\", \"kind\": \"yes_no\", \"text\": \"Greeting\",\n"
  "      \"script\": { \"must_say\": [ \"您好\", [\"请问有什么可以帮您\", \"請問有什麼可以幫您\"] ],\n"
  "                   \"within_s\": 30 } },\n"
  "    { \"id\": \"polite\", \"kind\": \"yes_no_na\", \"text\": \"Polite\", \"comment\": \"never\",\n"
  "      \"script\": { \"must_not_say\": [ \"不知道\" ], \"speaker\": \"any\" } },\n"
  "    { \"id\": \"tone\", \"kind\": \"scale\", \"text\": \"Tone\", \"min\": 1, \"max\": 5,\n"
  "      \"comment\": \"below_full\" }\n"
  "  ] } ] }";

static void
test_form_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayForm) form = assay_form_from_json (script_form, -1, &error);
  g_autoptr(AssayForm) back = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  const AssayItem *greet, *polite, *tone;

  g_assert_no_error (error);
  greet = assay_form_get_item (form, 0);
  polite = assay_form_get_item (form, 1);
  tone = assay_form_get_item (form, 2);
  g_assert_cmpint (assay_form_get_comment_rule (form), ==, ASSAY_COMMENT_ON_FAIL);
  g_assert_cmpint (assay_item_get_comment_rule (greet), ==, ASSAY_COMMENT_ON_FAIL);
  g_assert_cmpint (assay_item_get_comment_rule (polite), ==, ASSAY_COMMENT_NEVER);
  g_assert_cmpint (assay_item_get_comment_rule (tone), ==, ASSAY_COMMENT_BELOW_FULL);
  g_assert_nonnull (greet->script);
  g_assert_cmpuint (greet->script->must_say->len, ==, 2);
  g_assert_cmpstr (((char **) g_ptr_array_index (greet->script->must_say, 1))[1], ==,
                   "請問有什麼可以幫您");
  g_assert_cmpfloat (greet->script->within_s, ==, 30);
  g_assert_cmpint (greet->script->speaker, ==, ASSAY_SPEAKER_AGENT);
  g_assert_cmpint (polite->script->speaker, ==, ASSAY_SPEAKER_UNKNOWN);
  g_assert_null (tone->script);

  /* written and read back the same */
  json = assay_form_to_json (form);
  back = assay_form_from_json (json, -1, &error);
  g_assert_no_error (error);
  again = assay_form_to_json (back);
  g_assert_cmpstr (json, ==, again);
  g_assert_nonnull (strstr (json, "\"comment\": \"on_fail\""));
  g_assert_nonnull (strstr (json, "\"speaker\": \"any\""));
}

static void
test_form_field_errors (void)
{
  const struct { const char *item; const char *message; } bad[] = {
    { "\"comment\": \"sometimes\"",
      "sections[0].items[0].comment: must be \"never\", \"on_fail\" or \"below_full\"" },
    { "\"comment\": \"never\", \"comment_on_deduction\": true",
      "sections[0].items[0].comment: give either \"comment\" or the older "
      "\"comment_on_deduction\", not both" },
    { "\"script\": { \"must_say\": [ 5 ] }",
      "sections[0].items[0].script.must_say: phrase 0 must be a string or an array of its "
      "equal forms" },
    { "\"script\": { \"must_say\": [ \"hi\" ], \"speaker\": \"boss\" }",
      "sections[0].items[0].script.speaker: must be \"agent\", \"customer\" or \"any\"" },
    { "\"script\": { \"must_say\": [ \"hi\" ], \"within\": 3 }",
      "sections[0].items[0].script.within: unknown field (see docs/forms.md)" },
    { "\"script\": { }",
      "sections[0].items[0].script: names no phrase: give must_say or must_not_say" },
    { "\"script\": { \"must_say\": [ \"hi\" ], \"within_s\": -1 }",
      "sections[0].items[0].script.within_s: must be a number >= 0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{ \"format\": 1, \"id\": \"x\", \"name\": \"X\", \"version\": 1, \"sections\": [\n"
        " { \"id\": \"a\", \"title\": \"A\", \"items\": [\n"
        "  { \"id\": \"i\", \"kind\": \"yes_no\", \"text\": \"I\", %s } ] } ] }", bad[i].item);
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayForm) form = assay_form_from_json (json, -1, &error);

      g_assert_null (form);
      g_assert_cmpstr (error->message, ==, bad[i].message);
    }
}

static void
test_answers_suggested (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayForm) form = assay_form_from_json (script_form, -1, &error);
  g_autoptr(AssayAnswers) answers = assay_answers_new (form);
  g_autoptr(AssayAnswers) back = NULL;
  g_autoptr(GArray) evidence = g_array_new (FALSE, FALSE, sizeof (AssayEvidence));
  AssayEvidence span = { 800, 4200 };
  g_autofree char *json = NULL;
  const char *bad = "{ \"format\": 1, \"form_id\": \"s\", \"form_version\": 1, \"answers\": {"
                    " \"tone\": { \"value\": 3, \"suggested\": true } } }";

  g_array_append_val (evidence, span);
  g_assert_true (assay_answers_set_suggestion (answers, 0, 0, evidence, NULL));
  json = assay_answers_to_json (answers);
  g_assert_nonnull (strstr (json, "\"suggested\": true"));
  back = assay_answers_from_json (form, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (assay_answers_get (back, 0)->suggested);
  g_assert_cmpuint (assay_answers_get (back, 0)->evidence->len, ==, 1);
  g_assert_cmpint (g_array_index (assay_answers_get (back, 0)->evidence, AssayEvidence, 0).end_ms,
                   ==, 4200);
  g_clear_pointer (&back, assay_answers_free);

  /* confirmed: the flag is not written */
  assay_answers_confirm (answers, 0);
  g_clear_pointer (&json, g_free);
  json = assay_answers_to_json (answers);
  g_assert_null (strstr (json, "suggested"));

  /* the store's check on raw draft text */
  g_assert_cmpuint (assay_answers_json_count_unconfirmed (json), ==, 0);
  g_assert_cmpuint (assay_answers_json_count_unconfirmed (
                      "{\"answers\": {\"a\": {\"value\": \"yes\", \"suggested\": true},"
                      " \"b\": {\"suggested\": false}}}"), ==, 1);

  /* a scale can be suggested; a text-like value cannot: here "tone" is a scale, so it works */
  back = assay_answers_from_json (form, bad, -1, &error);
  g_assert_no_error (error);
  g_assert_true (assay_answers_get (back, 2)->suggested);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/transcript/vtt", test_vtt);
  g_test_add_func ("/transcript/srt", test_srt);
  g_test_add_func ("/transcript/json-call", test_json_call);
  g_test_add_func ("/transcript/conversations", test_conversations);
  g_test_add_func ("/transcript/round-trip", test_round_trip);
  g_test_add_func ("/transcript/malformed", test_malformed);
  g_test_add_func ("/transcript/unsupported", test_unsupported_format);
  g_test_add_func ("/form-json/comment-and-script", test_form_fields);
  g_test_add_func ("/form-json/comment-and-script-errors", test_form_field_errors);
  g_test_add_func ("/form-json/answers-suggested", test_answers_suggested);
  return g_test_run ();
}
