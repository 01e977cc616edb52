/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The JSON formats of docs/forms.md: every error names the exact field, forms and answers
 * survive a round trip, the result has a stable shape, and the demo scorecards parse and score.
 */
#include <math.h>
#include <string.h>

#include "protocol/assay-form-json.h"

/* Uses every kind of item and most fields. */
static const char full_form[] =
  "{\n"
  "  \"format\": 1,\n"
  "  \"id\": \"full\",\n"
  "  \"name\": \"Everything\",\n"
  "  \"description\": \"One of each\",\n"
  "  \"version\": 3,\n"
  "  \"mode\": \"points\",\n"
  "  \"na_redistribution\": true,\n"
  "  \"minimum\": 5,\n"
  "  \"comment_on_deduction\": true,\n"
  "  \"bands\": [\n"
  "    { \"name\": \"Needs improvement\", \"min\": 0 },\n"
  "    { \"name\": \"Meets\", \"min\": 70 },\n"
  "    { \"name\": \"Exceeds\", \"min\": 90 }\n"
  "  ],\n"
  "  \"sections\": [\n"
  "    { \"id\": \"open\", \"title\": \"Opening\", \"weight\": 2, \"items\": [\n"
  "      { \"id\": \"greet\", \"kind\": \"yes_no\", \"text\": \"Greeting\", \"help\": \"Name and "
  "company\" },\n"
  "      { \"id\": \"verify\", \"kind\": \"yes_no_na\", \"text\": \"Verified ID\", "
  "\"fail_section\": true, \"critical\": true, \"weight\": 2 },\n"
  "      { \"id\": \"empathy\", \"kind\": \"scale\", \"text\": \"Empathy\", \"min\": 1, "
  "\"max\": 5, \"weight\": 1.5 },\n"
  "      { \"id\": \"fix\", \"kind\": \"single_choice\", \"text\": \"Resolution\", "
  "\"na\": true, \"options\": [\n"
  "        { \"id\": \"full\", \"label\": \"Fully\", \"points\": 2 },\n"
  "        { \"id\": \"part\", \"label\": \"Partly\", \"points\": 1 },\n"
  "        { \"id\": \"none\", \"label\": \"Not\" } ] },\n"
  "      { \"id\": \"steps\", \"kind\": \"multiple_choice\", \"text\": \"Steps\", "
  "\"comment_on_deduction\": false, \"options\": [\n"
  "        { \"id\": \"a\", \"label\": \"A\", \"points\": 1 },\n"
  "        { \"id\": \"b\", \"label\": \"B\", \"points\": 1 } ] },\n"
  "      { \"id\": \"rude\", \"kind\": \"points\", \"text\": \"Rude remark\", \"min\": -5, "
  "\"max\": 0 }\n"
  "    ] },\n"
  "    { \"id\": \"compliance\", \"title\": \"Compliance\", \"weight\": 1, \"items\": [\n"
  "      { \"id\": \"disclosure\", \"kind\": \"yes_no\", \"text\": \"Disclosure\", "
  "\"fatal\": true },\n"
  "      { \"id\": \"minutes\", \"kind\": \"number\", \"text\": \"Minutes on hold\", "
  "\"min\": 0 },\n"
  "      { \"id\": \"notes\", \"kind\": \"text\", \"text\": \"Notes\" },\n"
  "      { \"id\": \"followup\", \"kind\": \"date\", \"text\": \"Follow up on\", "
  "\"required\": true }\n"
  "    ] },\n"
  "    { \"id\": \"extra\", \"title\": \"Extra mile\", \"weight\": 1, \"bonus\": true, "
  "\"items\": [\n"
  "      { \"id\": \"delight\", \"kind\": \"yes_no\", \"text\": \"Delighted\" }\n"
  "    ] },\n"
  "    { \"id\": \"prof\", \"title\": \"Professionalism\", \"weight\": 1, \"baseline\": 4, "
  "\"items\": [\n"
  "      { \"id\": \"jargon\", \"kind\": \"points\", \"text\": \"Jargon\", \"min\": -2, "
  "\"max\": 0, \"comment_on_deduction\": false }\n"
  "    ] }\n"
  "  ]\n"
  "}\n";

static const char full_answers[] =
  "{ \"format\": 1, \"form_id\": \"full\", \"form_version\": 3, \"answers\": {\n"
  "  \"greet\": { \"value\": \"yes\", \"evidence\": [ { \"start_ms\": 0, \"end_ms\": 4200 } ] },\n"
  "  \"verify\": { \"na\": true },\n"
  "  \"empathy\": { \"value\": 4, \"comment\": \"warm, but \\\"hurried\\\"\\n\" },\n"
  "  \"fix\": { \"value\": \"part\", \"comment\": \"只解决了一半\" },\n"
  "  \"steps\": { \"value\": [ \"b\" ] },\n"
  "  \"rude\": { \"value\": 0 },\n"
  "  \"disclosure\": { \"value\": \"yes\" },\n"
  "  \"minutes\": { \"value\": 2.5 },\n"
  "  \"notes\": { \"value\": \"客户很满意\" },\n"
  "  \"followup\": { \"value\": \"2026-11-20\" },\n"
  "  \"delight\": { \"value\": \"yes\" },\n"
  "  \"jargon\": { \"value\": -1 }\n"
  "} }\n";

static AssayForm *
parse_form (const char *json)
{
  g_autoptr(GError) error = NULL;
  AssayForm *form = assay_form_from_json (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (form);
  return form;
}

static void
test_parse_full (void)
{
  g_autoptr(AssayForm) form = parse_form (full_form);
  const AssayItem *item;
  const AssaySection *prof;

  g_assert_cmpstr (form->id, ==, "full");
  g_assert_cmpuint (form->version, ==, 3);
  g_assert_cmpint (form->mode, ==, ASSAY_FORM_MODE_POINTS);
  g_assert_true (form->na_redistribution);
  g_assert_cmpfloat (form->minimum, ==, 5);
  g_assert_false (assay_form_is_published (form));
  g_assert_cmpuint (form->bands->len, ==, 3);
  g_assert_cmpuint (form->sections->len, ==, 4);
  g_assert_cmpuint (assay_form_get_n_items (form), ==, 12);

  item = assay_form_get_item (form, (guint) assay_form_lookup_item (form, "greet"));
  g_assert_cmpint (item->kind, ==, ASSAY_ITEM_YES_NO);
  g_assert_cmpstr (item->help, ==, "Name and company");
  g_assert_true (item->required);
  g_assert_true (item->comment_on_deduction);   /* the form's default */
  item = assay_form_get_item (form, (guint) assay_form_lookup_item (form, "verify"));
  g_assert_true (item->allow_na && item->fail_section && item->critical);
  g_assert_cmpfloat (item->weight, ==, 2);
  item = assay_form_get_item (form, (guint) assay_form_lookup_item (form, "empathy"));
  g_assert_cmpfloat (item->weight, ==, 1.5);
  g_assert_cmpfloat (item->min, ==, 1);
  g_assert_cmpfloat (item->max, ==, 5);
  item = assay_form_get_item (form, (guint) assay_form_lookup_item (form, "fix"));
  g_assert_cmpuint (item->options->len, ==, 3);
  g_assert_cmpfloat (((AssayOption *) g_ptr_array_index (item->options, 2))->points, ==, 0);
  g_assert_true (item->allow_na);
  item = assay_form_get_item (form, (guint) assay_form_lookup_item (form, "steps"));
  g_assert_false (item->comment_on_deduction);
  item = assay_form_get_item (form, (guint) assay_form_lookup_item (form, "rude"));
  g_assert_cmpfloat (item->min, ==, -5);
  g_assert_cmpfloat (assay_item_get_max_points (item), ==, 0);
  item = assay_form_get_item (form, (guint) assay_form_lookup_item (form, "minutes"));
  g_assert_true (item->has_min);
  g_assert_false (item->has_max);
  g_assert_false (item->required);
  item = assay_form_get_item (form, (guint) assay_form_lookup_item (form, "followup"));
  g_assert_true (item->required);
  prof = g_ptr_array_index (form->sections, 3);
  g_assert_cmpfloat (prof->baseline, ==, 4);
  g_assert_true (((AssaySection *) g_ptr_array_index (form->sections, 2))->bonus);
}

static void
test_round_trip (void)
{
  g_autoptr(AssayForm) form = parse_form (full_form);
  g_autofree char *text = assay_form_to_json (form);
  g_autoptr(AssayForm) again = parse_form (text);
  g_autofree char *text2 = assay_form_to_json (again);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnswers) answers = assay_answers_from_json (form, full_answers, -1, &error);
  g_autofree char *answers_text = NULL;
  g_autoptr(AssayAnswers) answers2 = NULL;
  g_autofree char *answers_text2 = NULL;
  g_autoptr(AssayAnswers) on_again = NULL;
  g_autoptr(AssayScore) s1 = NULL;
  g_autoptr(AssayScore) s2 = NULL;
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;

  g_assert_cmpstr (text, ==, text2);
  /* defaults stay out, numbers stay short */
  g_assert_nonnull (strstr (text, "\"weight\": 1.5"));
  g_assert_null (strstr (text, "\"required\": true,\n          \"na\""));
  g_assert_null (strstr (text, ".0,"));

  g_assert_no_error (error);
  g_assert_nonnull (answers);
  answers_text = assay_answers_to_json (answers);
  answers2 = assay_answers_from_json (form, answers_text, -1, &error);
  g_assert_no_error (error);
  answers_text2 = assay_answers_to_json (answers2);
  g_assert_cmpstr (answers_text, ==, answers_text2);
  g_assert_nonnull (strstr (answers_text, "\"comment\": \"warm, but \\\"hurried\\\"\\n\""));
  g_assert_nonnull (strstr (answers_text, "只解决了一半"));
  g_assert_nonnull (strstr (answers_text, "\"end_ms\": 4200"));
  g_assert_nonnull (strstr (answers_text, "\"minutes\": {\n      \"value\": 2.5"));
  g_assert_cmpstr (assay_answers_get (answers2, 1)->comment, ==, NULL);
  g_assert_cmpuint (assay_answers_get (answers2, 0)->evidence->len, ==, 1);

  on_again = assay_answers_from_json (again, answers_text, -1, &error);
  g_assert_no_error (error);
  s1 = assay_score_compute (answers);
  s2 = assay_score_compute (on_again);
  r1 = assay_score_to_json (s1, TRUE);
  r2 = assay_score_to_json (s2, TRUE);
  g_assert_cmpstr (r1, ==, r2);
}

static void
test_score_json (void)
{
  g_autoptr(AssayForm) form = parse_form (full_form);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAnswers) answers = assay_answers_from_json (form, full_answers, -1, &error);
  g_autoptr(AssayScore) score = NULL;
  g_autofree char *json = NULL;
  g_autofree char *compact = NULL;
  /*
   * open (w 2): greet 1/1, verify N/A (2 redistributed), empathy 4 of 1–5 is 3/4 of its
   *   weight 1.5 = 1.125/1.5, fix 1/2, steps 1/2, rude 0/0 → answered possible 6.5, earned
   *   4.125; with the N/A's 2 points shared: 4.125 × 8.5/6.5 = 5.3942 of 8.5
   * compliance: disclosure 1/1
   * extra (bonus): 1/1
   * prof: baseline 4, jargon −1 → 3/4
   * regular: (2 × 5.3942 + 1 + 3) / (2 × 8.5 + 1 + 4) = 14.7885 / 22 = 67.2203 %
   * bonus: 1/22 = 4.5455 %
   */
  const char *expected =
    "{\n"
    "  \"form_id\": \"full\",\n"
    "  \"form_version\": 3,\n"
    "  \"overall\": 71.7657,\n"
    "  \"without_fatal\": 71.7657,\n"
    "  \"critical\": null,\n"
    "  \"bonus\": 4.5455,\n"
    "  \"band\": \"Meets\",\n"
    "  \"fatal_failed\": [],\n"
    "  \"critical_failed\": [],\n"
    "  \"answered\": 8,\n"
    "  \"na\": 1,\n"
    "  \"complete\": true,\n"
    "  \"unanswered_required\": [],\n"
    "  \"missing_comments\": [],\n"
    "  \"sections\": [\n"
    "    {\n"
    "      \"id\": \"open\",\n"
    "      \"earned\": 5.3942,\n"
    "      \"possible\": 8.5,\n"
    "      \"percent\": 63.4615,\n"
    "      \"contribution\": 49.0385,\n"
    "      \"bonus\": false,\n"
    "      \"failed\": false,\n"
    "      \"answered\": 5,\n"
    "      \"na\": 1\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"compliance\",\n"
    "      \"earned\": 1,\n"
    "      \"possible\": 1,\n"
    "      \"percent\": 100,\n"
    "      \"contribution\": 4.5455,\n"
    "      \"bonus\": false,\n"
    "      \"failed\": false,\n"
    "      \"answered\": 1,\n"
    "      \"na\": 0\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"extra\",\n"
    "      \"earned\": 1,\n"
    "      \"possible\": 1,\n"
    "      \"percent\": 100,\n"
    "      \"contribution\": 4.5455,\n"
    "      \"bonus\": true,\n"
    "      \"failed\": false,\n"
    "      \"answered\": 1,\n"
    "      \"na\": 0\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"prof\",\n"
    "      \"earned\": 3,\n"
    "      \"possible\": 4,\n"
    "      \"percent\": 75,\n"
    "      \"contribution\": 13.6364,\n"
    "      \"bonus\": false,\n"
    "      \"failed\": false,\n"
    "      \"answered\": 1,\n"
    "      \"na\": 0\n"
    "    }\n"
    "  ]\n"
    "}\n";

  g_assert_no_error (error);
  score = assay_score_compute (answers);
  json = assay_score_to_json (score, TRUE);
  g_assert_cmpstr (json, ==, expected);

  /* the "fix" deduction loses its comment ("steps" and "jargon" need none); a fatal item fails */
  assay_answers_set_comment (answers, (guint) assay_form_lookup_item (form, "fix"), NULL);
  assay_answers_set_choice (answers, (guint) assay_form_lookup_item (form, "disclosure"), 1, NULL);
  assay_score_free (g_steal_pointer (&score));
  score = assay_score_compute (answers);
  compact = assay_score_to_json (score, FALSE);
  g_assert_true (g_str_has_prefix (compact, "{\"form_id\":\"full\",\"form_version\":3,"
                                            "\"overall\":0,\"without_fatal\":67.2203,"));
  g_assert_nonnull (strstr (compact, "\"band\":\"Needs improvement\",\"fatal_failed\":"
                                     "[\"disclosure\"]"));
  g_assert_nonnull (strstr (compact, "\"complete\":false,\"unanswered_required\":[],"
                                     "\"missing_comments\":[\"fix\",\"disclosure\"]"));
  g_assert_null (strchr (compact, '\n'));
}

typedef struct {
  const char *json;
  int         code;
  const char *message;   /* exact, or a prefix when it ends in '*' */
} ErrorCase;

#define FORM_HEAD "{\"format\":1,\"id\":\"f\",\"name\":\"F\",\"version\":1,"
#define S0(items) "{\"id\":\"s0\",\"title\":\"S0\",\"items\":[" items "]}"
#define YN(id) "{\"id\":\"" id "\",\"kind\":\"yes_no\",\"text\":\"" id "\"}"

static const ErrorCase form_errors[] = {
  { FORM_HEAD "\"sections\":[" S0 (YN ("a")) "," "{\"id\":\"s1\",\"title\":\"S1\",\"items\":["
    YN ("b") "]}," "{\"id\":\"s2\",\"title\":\"S2\",\"items\":[{\"id\":\"c\",\"kind\":\"yes_no\","
    "\"text\":\"c\",\"weight\":-1}]}]}",
    ASSAY_FORM_ERROR_INVALID, "sections[2].items[0].weight: must be >= 0" },
  { FORM_HEAD "\"sections\":[" S0 (YN ("a") "," YN ("b") "," YN ("c") ","
    "{\"id\":\"d\",\"kind\":\"single_choice\",\"text\":\"d\",\"options\":[]}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[3].options: must not be empty" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"yesno\",\"text\":\"a\"}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].kind: unknown kind \"yesno\" (use yes_no, "
    "yes_no_na, scale, points, single_choice, multiple_choice, number, text, date)" },
  { FORM_HEAD "\"sections\":[" S0 (YN ("a") "," YN ("a")) "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[1].id: duplicate item id \"a\" (also at "
    "sections[0].items[0])" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"yes_no\",\"text\":\"a\","
    "\"wieght\":2}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].wieght: unknown field (see docs/forms.md)" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"yes_no\",\"text\":\"a\","
    "\"weight\":\"2\"}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].weight: must be a number" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"yes_no\",\"text\":\"a\","
    "\"fatal\":1}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].fatal: must be true or false" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"scale\",\"text\":\"a\","
    "\"min\":1,\"fatal\":true}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].max: must be given" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"scale\",\"text\":\"a\","
    "\"min\":1,\"max\":5,\"fatal\":true}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].fatal: only yes_no and yes_no_na items can "
    "be fatal, not a scale item" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"yes_no\",\"text\":\"a\","
    "\"options\":[]}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].options: not used by a yes_no item" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"text\",\"text\":\"a\","
    "\"weight\":1}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].weight: not used by a text item" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"yes_no\"}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].text: must be given" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"multiple_choice\",\"text\":\"a\","
    "\"options\":[{\"id\":\"x\",\"label\":\"\"}]}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].options[0].label: must not be empty" },
  { FORM_HEAD "\"sections\":[" S0 ("{\"id\":\"a\",\"kind\":\"single_choice\",\"text\":\"a\","
    "\"options\":[{\"id\":\"x\",\"label\":\"X\",\"points\":\"many\"}]}") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].options[0].points: must be a number" },
  { FORM_HEAD "\"sections\":[" S0 ("7") "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0]: must be an object" },
  { FORM_HEAD "\"mode\":\"percent\",\"sections\":[" S0 (YN ("a")) "]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].weight: must be given in percent mode (the section's "
    "percent of the form)" },
  { FORM_HEAD "\"mode\":\"percent\",\"sections\":[{\"id\":\"s0\",\"title\":\"S0\",\"weight\":60,"
    "\"items\":[" YN ("a") "]},{\"id\":\"s1\",\"title\":\"S1\",\"weight\":30,\"items\":["
    YN ("b") "]}]}",
    ASSAY_FORM_ERROR_INVALID, "sections: in percent mode the weights of the sections that are "
    "not bonus must add up to 100, they add up to 90" },
  { FORM_HEAD "\"mode\":\"pct\",\"sections\":[" S0 (YN ("a")) "]}",
    ASSAY_FORM_ERROR_INVALID, "mode: must be \"points\" or \"percent\"" },
  { FORM_HEAD "\"sections\":[{\"id\":\"s0\",\"title\":\"S0\",\"bonus\":true,\"items\":["
    "{\"id\":\"a\",\"kind\":\"yes_no_na\",\"text\":\"a\"}]}]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items[0].kind: N/A is disabled in a bonus section; "
    "use yes_no" },
  { FORM_HEAD "\"bands\":[{\"name\":\"Low\",\"min\":0},\"Meets\"],\"sections\":["
    S0 (YN ("a")) "]}",
    ASSAY_FORM_ERROR_INVALID, "bands[1]: must be an object" },
  { FORM_HEAD "\"sections\":[]}",
    ASSAY_FORM_ERROR_INVALID, "sections: must not be empty" },
  { FORM_HEAD "\"sections\":[{\"id\":\"s0\",\"title\":\"S0\",\"items\":[]}]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].items: must not be empty" },
  { FORM_HEAD "\"sections\":[{\"id\":\"s0\",\"title\":\"S0\",\"baseline\":-1,\"items\":["
    YN ("a") "]}]}",
    ASSAY_FORM_ERROR_INVALID, "sections[0].baseline: must be >= 0" },
  { "{\"format\":1,\"id\":\"f\",\"name\":\"F\",\"sections\":[]}",
    ASSAY_FORM_ERROR_INVALID, "version: must be given" },
  { "{\"format\":1,\"id\":\"f\",\"name\":\"F\",\"version\":1.5,\"sections\":[]}",
    ASSAY_FORM_ERROR_INVALID, "version: must be a whole number" },
  { "{\"format\":1,\"id\":\"f\",\"name\":\"F\",\"version\":0,\"sections\":[]}",
    ASSAY_FORM_ERROR_INVALID, "version: must be from 1 to 2147483647" },
  { "{\"format\":1,\"id\":\"f g\",\"name\":\"F\",\"version\":1,\"sections\":[]}",
    ASSAY_FORM_ERROR_INVALID, "id: \"f g\" may use only letters, digits, '_', '-' and '.' "
    "(at most 64)" },
  { "{\"format\":1,\"id\":\"f\",\"name\":\"F\",\"version\":1}",
    ASSAY_FORM_ERROR_INVALID, "sections: must be given" },
  { "{\"format\":1,\"id\":\"f\",\"name\":\"F\",\"version\":1,\"sections\":[],\"colour\":1}",
    ASSAY_FORM_ERROR_INVALID, "colour: unknown field (see docs/forms.md)" },
  { "{\"format\":2,\"id\":\"f\",\"name\":\"F\",\"version\":1,\"sections\":[],\"new\":1}",
    ASSAY_FORM_ERROR_UNSUPPORTED, "format: this version of Assay reads format 1, the file has "
    "format 2" },
  { "{\"id\":\"f\"}", ASSAY_FORM_ERROR_INVALID, "format: must be given" },
  { "[1, 2]", ASSAY_FORM_ERROR_SYNTAX, "a form file must hold a JSON object" },
  { "{\"format\": 1,", ASSAY_FORM_ERROR_SYNTAX, "not valid JSON: *" },
  { "", ASSAY_FORM_ERROR_SYNTAX, "not valid JSON: *" },
};

static void
assert_message (const GError *error,
                int           code,
                const char   *message)
{
  gsize len = strlen (message);

  g_assert_nonnull (error);
  g_assert_true (error->domain == ASSAY_FORM_ERROR);
  if (error->code != code || (len > 0 && message[len - 1] == '*'
                              ? strncmp (error->message, message, len - 1) != 0
                              : strcmp (error->message, message) != 0))
    g_error ("expected code %d \"%s\", got code %d \"%s\"", code, message, error->code,
             error->message);
}

static void
test_form_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (form_errors); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayForm) form = assay_form_from_json (form_errors[i].json, -1, &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, form_errors[i].json);
      g_assert_null (form);
      assert_message (error, form_errors[i].code, form_errors[i].message);
    }
}

#define ANS_HEAD "{\"format\":1,\"form_id\":\"full\",\"form_version\":3,\"answers\":{"

static const ErrorCase answer_errors[] = {
  { ANS_HEAD "\"greet\":{\"value\":true}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.greet.value: must be \"yes\" or \"no\"" },
  { ANS_HEAD "\"greet\":{\"na\":true}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.greet.na: item \"greet\" does not allow N/A" },
  { ANS_HEAD "\"verify\":{\"na\":true,\"value\":\"yes\"}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.verify: give either a value or \"na\": true, not "
    "both" },
  { ANS_HEAD "\"nope\":{\"value\":\"yes\"}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.nope: no item with this id in form \"full\" "
    "version 3" },
  { ANS_HEAD "\"empathy\":{\"value\":7}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.empathy.value: must be a whole number from 1 to 5" },
  { ANS_HEAD "\"empathy\":{\"value\":\"4\"}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.empathy.value: must be a whole number from 1 to 5" },
  { ANS_HEAD "\"rude\":{\"value\":-6}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.rude.value: must be from -5 to 0" },
  { ANS_HEAD "\"fix\":{\"value\":\"most\"}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.fix.value: no option \"most\" (use full, part, "
    "none)" },
  { ANS_HEAD "\"steps\":{\"value\":[\"a\",\"x\"]}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.steps.value[1]: no option \"x\" (use a, b)" },
  { ANS_HEAD "\"steps\":{\"value\":[\"a\",\"a\"]}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.steps.value[1]: option \"a\" is listed twice" },
  { ANS_HEAD "\"followup\":{\"value\":\"20/11/2026\"}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.followup.value: must be a date as YYYY-MM-DD" },
  { ANS_HEAD "\"greet\":{\"value\":\"yes\",\"evidence\":[{\"start_ms\":500,\"end_ms\":100}]}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.greet.evidence[0].end_ms: must be >= start_ms" },
  { ANS_HEAD "\"greet\":{\"value\":\"yes\",\"comment\":5}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.greet.comment: must be a string" },
  { ANS_HEAD "\"greet\":{\"valeu\":\"yes\"}}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.greet.valeu: unknown field (see docs/forms.md)" },
  { ANS_HEAD "\"greet\":\"yes\"}}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers.greet: must be an object (with \"value\" or "
    "\"na\")" },
  { "{\"format\":1,\"form_id\":\"full\",\"form_version\":2,\"answers\":{}}",
    ASSAY_FORM_ERROR_WRONG_FORM, "form_version: the answers were given on version 2 of form "
    "\"full\"; score them on that version, not version 3" },
  { "{\"format\":1,\"form_id\":\"other\",\"form_version\":3,\"answers\":{}}",
    ASSAY_FORM_ERROR_WRONG_FORM, "form_id: the answers are for form \"other\", not \"full\"" },
  { "{\"format\":1,\"form_id\":\"full\",\"form_version\":3}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers: must be given" },
  { "{\"format\":1,\"form_id\":\"full\",\"form_version\":3,\"answers\":[]}",
    ASSAY_FORM_ERROR_INVALID_ANSWER, "answers: must be an object of answers by item id" },
  { "\"yes\"", ASSAY_FORM_ERROR_SYNTAX, "an answers file must hold a JSON object" },
};

static void
test_answer_errors (void)
{
  g_autoptr(AssayForm) form = parse_form (full_form);

  for (gsize i = 0; i < G_N_ELEMENTS (answer_errors); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayAnswers) answers = assay_answers_from_json (form, answer_errors[i].json, -1,
                                                                 &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, answer_errors[i].json);
      g_assert_null (answers);
      assert_message (error, answer_errors[i].code, answer_errors[i].message);
    }
}

static void
test_published (void)
{
  g_autoptr(GString) json = g_string_new (full_form);
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayForm) next = NULL;
  g_autofree char *text = NULL;
  g_autofree char *next_text = NULL;

  g_string_replace (json, "\"version\": 3,", "\"version\": 3, \"published\": true,", 1);
  form = parse_form (json->str);
  g_assert_true (assay_form_is_published (form));
  text = assay_form_to_json (form);
  g_assert_nonnull (strstr (text, "\"version\": 3,\n  \"published\": true,"));

  next = assay_form_new_version (form);
  next_text = assay_form_to_json (next);
  g_assert_nonnull (strstr (next_text, "\"version\": 4,\n  \"mode\""));
}

static void
test_writer (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "z");
  json_builder_add_double_value (builder, 33.3);
  json_builder_set_member_name (builder, "a");
  json_builder_add_double_value (builder, 0.1 + 0.2);
  json_builder_set_member_name (builder, "i");
  json_builder_add_int_value (builder, -42);
  json_builder_set_member_name (builder, "big");
  json_builder_add_double_value (builder, 1e21);
  json_builder_set_member_name (builder, "s");
  json_builder_add_string_value (builder, "质检 \"q\"\\\t\x01");
  json_builder_set_member_name (builder, "n");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "e");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = assay_json_write (root, FALSE);
  g_assert_cmpstr (text, ==, "{\"z\":33.3,\"a\":0.30000000000000004,\"i\":-42,\"big\":1e+21,"
                             "\"s\":\"质检 \\\"q\\\"\\\\\\t\\u0001\",\"n\":null,\"e\":[]}");
}

static char *
demo_path (const char *name)
{
  const char *root = g_getenv ("ASSAY_SOURCE_ROOT");

  return g_build_filename (root != NULL ? root : ".", "data", "demo", "forms", name, NULL);
}

/* Answers every item with its best choice (bonus included) and checks the form reaches 100 %. */
static void
check_demo_form (const char *name,
                 const char *expected_id)
{
  g_autofree char *path = demo_path (name);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) best = NULL;
  g_autoptr(AssayScore) score = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AssayForm) again = NULL;
  gboolean has_fatal = FALSE;

  g_file_get_contents (path, &data, NULL, &error);
  g_assert_no_error (error);
  form = assay_form_from_json (data, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (form->id, ==, expected_id);
  g_assert_true (assay_form_is_published (form));
  g_assert_cmpuint (form->bands->len, >=, 3);

  best = assay_answers_new (form);
  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      double best_points = -G_MAXDOUBLE;
      int best_choice = 0;

      has_fatal |= item->fatal;
      switch (item->kind)
        {
        case ASSAY_ITEM_YES_NO:
        case ASSAY_ITEM_YES_NO_NA:
          g_assert_true (assay_answers_set_choice (best, i, 0, NULL));
          break;
        case ASSAY_ITEM_SCALE:
        case ASSAY_ITEM_POINTS:
          g_assert_true (assay_answers_set_value (best, i, item->max, NULL));
          break;
        case ASSAY_ITEM_SINGLE_CHOICE:
          for (guint k = 0; k < item->options->len; k++)
            if (((AssayOption *) g_ptr_array_index (item->options, k))->points > best_points)
              {
                best_points = ((AssayOption *) g_ptr_array_index (item->options, k))->points;
                best_choice = (int) k;
              }
          g_assert_true (assay_answers_set_choice (best, i, best_choice, NULL));
          break;
        case ASSAY_ITEM_MULTIPLE_CHOICE:
          {
            guint64 all = 0;

            for (guint k = 0; k < item->options->len; k++)
              if (((AssayOption *) g_ptr_array_index (item->options, k))->points > 0)
                all |= G_GUINT64_CONSTANT (1) << k;
            g_assert_true (assay_answers_set_choices (best, i, all, NULL));
          }
          break;
        case ASSAY_ITEM_NUMBER:
          g_assert_true (assay_answers_set_value (best, i, item->has_min ? item->min : 0, NULL));
          break;
        case ASSAY_ITEM_TEXT:
          g_assert_true (assay_answers_set_text (best, i, "好", NULL));
          break;
        case ASSAY_ITEM_DATE:
          g_assert_true (assay_answers_set_text (best, i, "2026-11-14", NULL));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  score = assay_score_compute (best);
  g_assert_cmpfloat_with_epsilon (score->overall - score->bonus, 100, 1e-9);
  g_assert_true (assay_score_is_complete (score));
  g_assert_cmpstr (score->band, ==,
                   ((AssayBand *) g_ptr_array_index (form->bands, form->bands->len - 1))->name);
  g_assert_true (has_fatal);

  text = assay_form_to_json (form);
  again = parse_form (text);
  g_assert_cmpuint (assay_form_get_n_items (again), ==, assay_form_get_n_items (form));
}

static void
test_demo_forms (void)
{
  check_demo_form ("service-quality-zh.json", "service-quality-zh");
  check_demo_form ("service-quality-en.json", "service-quality-en");
}

/* The worked example of docs/forms.md ("A complete example", "The answers file", "The result")
 * gives the result the page shows. */
static char *
normalised (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  return assay_json_write (node, FALSE);
}

static void
test_docs_example (void)
{
  const char *root = g_getenv ("ASSAY_SOURCE_ROOT");
  g_autofree char *path = g_build_filename (root != NULL ? root : ".", "docs", "forms.md", NULL);
  g_autofree char *page = NULL;
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) score = NULL;
  g_autofree char *result = NULL;
  g_autofree char *got = NULL;
  g_autofree char *shown = NULL;
  const char *p;

  g_assert_true (g_file_get_contents (path, &page, NULL, &error));
  g_assert_no_error (error);
  for (p = page; (p = strstr (p, "```json\n")) != NULL;)
    {
      const char *end = strstr (p + 8, "```");

      g_assert_nonnull (end);
      g_ptr_array_add (blocks, g_strndup (p + 8, (gsize) (end - p - 8)));
      p = end + 3;
    }
  /* the example form first, the answers file and the result last (snippets in between) */
  g_assert_cmpuint (blocks->len, >=, 3);

  form = assay_form_from_json (g_ptr_array_index (blocks, 0), -1, &error);
  g_assert_no_error (error);
  answers = assay_answers_from_json (form, g_ptr_array_index (blocks, blocks->len - 2), -1, &error);
  g_assert_no_error (error);
  score = assay_score_compute (answers);
  g_assert_cmpfloat (score->overall, ==, 79);
  result = assay_score_to_json (score, FALSE);
  got = normalised (result);
  shown = normalised (g_ptr_array_index (blocks, blocks->len - 1));
  g_assert_cmpstr (got, ==, shown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/form-json/parse-full", test_parse_full);
  g_test_add_func ("/form-json/round-trip", test_round_trip);
  g_test_add_func ("/form-json/score-json", test_score_json);
  g_test_add_func ("/form-json/form-errors", test_form_errors);
  g_test_add_func ("/form-json/answer-errors", test_answer_errors);
  g_test_add_func ("/form-json/published", test_published);
  g_test_add_func ("/form-json/writer", test_writer);
  g_test_add_func ("/form-json/demo-forms", test_demo_forms);
  g_test_add_func ("/form-json/docs-example", test_docs_example);

  return g_test_run ();
}
