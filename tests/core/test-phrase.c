/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Phrase matching, script suggestions, comment rules and active review time. */
#include <string.h>

#include "core/assay-form.h"
#include "core/assay-phrase.h"
#include "core/assay-review-time.h"
#include "core/assay-scoring.h"

static AssayUtterances *
call_zh (void)
{
  AssayUtterances *s = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);

  assay_utterances_add (s, 800, 5200, "坐席", ASSAY_SPEAKER_AGENT,
                      "您好，欢迎致电华信电信，工号１０２３为您服务。请问有什么可以帮您？");
  assay_utterances_add (s, 5900, 9100, "客户", ASSAY_SPEAKER_CUSTOMER, "你好，我家的宽带断了！");
  assay_utterances_add (s, 9600, 14000, "坐席", ASSAY_SPEAKER_AGENT,
                      "為了核實身份，請提供您的身份證後四位。");
  assay_utterances_add (s, 62000, 66000, "坐席", ASSAY_SPEAKER_AGENT,
                      "感谢您的来电，祝您生活愉快，再见！");
  return s;
}

static AssayUtterances *
call_en (void)
{
  AssayUtterances *s = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);

  assay_utterances_add (s, 800, 6100, "Agent", ASSAY_SPEAKER_AGENT,
                      "Northwind Telecom technical support, you're speaking with Liam. "
                      "This call is recorded for quality and training.");
  assay_utterances_add (s, 6500, 9000, "Customer", ASSAY_SPEAKER_CUSTOMER,
                      "Hi Liam. I'm locked out — shut up, computer!");
  assay_utterances_add (s, 40000, 45000, "Agent", ASSAY_SPEAKER_AGENT,
                      "Could you give me your FULL NAME and date-of-birth?");
  assay_utterances_add (s, 90000, 93000, "Agent", ASSAY_SPEAKER_AGENT,
                      "Thank you for calling, Maria. Have a great day!");
  return s;
}

static void
test_normalise (void)
{
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree char *a = assay_phrase_normalise ("Thank  you, for CALLING!", NULL);
  g_autofree char *b = assay_phrase_normalise ("ＴＨＡＮＫ　ｙｏｕ１２３！", NULL);
  g_autofree char *c = assay_phrase_normalise ("您好，请问有什么可以帮您？", NULL);
  g_autofree char *d = assay_phrase_normalise ("「再見」…", offsets);
  g_autofree char *e = assay_phrase_normalise ("!!! ... ？", NULL);

  g_assert_cmpstr (a, ==, "thankyouforcalling");
  g_assert_cmpstr (b, ==, "thankyou123");
  g_assert_cmpstr (c, ==, "您好请问有什么可以帮您");
  g_assert_cmpstr (d, ==, "再見");
  g_assert_cmpstr (e, ==, "");
  /* each kept character points back at its bytes: 「 is 3 bytes, so 再 starts at byte 3 */
  g_assert_cmpuint (offsets->len, ==, 3);
  g_assert_cmpuint (g_array_index (offsets, guint32, 0), ==, 3);
  g_assert_cmpuint (g_array_index (offsets, guint32, 1), ==, 6);
  g_assert_cmpuint (g_array_index (offsets, guint32, 2), ==, strlen ("「再見」…"));
}

typedef struct {
  const char *forms[3];
  AssaySpeaker   role;
  gint64      within_ms;
  int         segment;       /* expected, or -1: not found */
  const char *span;          /* the matched text as it is in the transcript */
} Vector;

static void
check_vectors (AssayUtterances *segments,
               const Vector  *vectors,
               guint          n)
{
  g_autoptr(AssayPhraseIndex) index = assay_phrase_index_new (segments);

  for (guint i = 0; i < n; i++)
    {
      const Vector *v = &vectors[i];
      AssayPhraseMatch match = { 0 };
      gboolean found = assay_phrase_index_find (index, v->forms, v->role, v->within_ms, &match);

      g_test_message ("vector %u: %s", i, v->forms[0]);
      g_assert_cmpint (found, ==, v->segment >= 0);
      if (found)
        {
          const AssayUtterance *seg = assay_utterances_get (segments, match.segment);
          g_autofree char *span = g_strndup (seg->text + match.start, match.end - match.start);

          g_assert_cmpint (match.segment, ==, v->segment);
          g_assert_cmpstr (span, ==, v->span);
          g_assert_cmpint (match.start_ms, ==, seg->start_ms);
          g_assert_cmpint (match.end_ms, ==, seg->end_ms);
        }
    }
}

static void
test_vectors_chinese (void)
{
  g_autoptr(AssayUtterances) segments = call_zh ();
  const Vector vectors[] = {
    /* punctuation and spacing in the phrase differ from the transcript */
    { { "您好 欢迎致电华信电信", NULL }, ASSAY_SPEAKER_AGENT, 0, 0, "您好，欢迎致电华信电信" },
    /* full-width digits in the transcript, half-width in the phrase */
    { { "工号1023", NULL }, ASSAY_SPEAKER_AGENT, 0, 0, "工号１０２３" },
    /* the form gives Simplified and Traditional: the Traditional line matches */
    { { "为了核实身份", "為了核實身份", NULL }, ASSAY_SPEAKER_AGENT, 30000, 2, "為了核實身份" },
    /* only the Simplified form given: a Traditional line does not match (no conversion) */
    { { "为了核实身份", NULL }, ASSAY_SPEAKER_AGENT, 0, -1, NULL },
    /* Traditional phrase, Simplified transcript */
    { { "感謝您的來電", "感谢您的来电", NULL }, ASSAY_SPEAKER_AGENT, 0, 3, "感谢您的来电" },
    /* a time window: the closing comes after 30 s */
    { { "感谢您的来电", NULL }, ASSAY_SPEAKER_AGENT, 30000, -1, NULL },
    /* per speaker: the customer's words do not count for the agent */
    { { "宽带断了", NULL }, ASSAY_SPEAKER_AGENT, 0, -1, NULL },
    { { "宽带断了", NULL }, ASSAY_SPEAKER_CUSTOMER, 0, 1, "宽带断了" },
    { { "宽带断了", NULL }, ASSAY_SPEAKER_UNKNOWN, 0, 1, "宽带断了" },
    /* full-width punctuation in the phrase is ignored */
    { { "请问有什么可以帮您？", NULL }, ASSAY_SPEAKER_AGENT, 0, 0, "请问有什么可以帮您" },
  };

  check_vectors (segments, vectors, G_N_ELEMENTS (vectors));
}

static void
test_vectors_english (void)
{
  g_autoptr(AssayUtterances) segments = call_en ();
  const Vector vectors[] = {
    { { "this call is RECORDED", NULL }, ASSAY_SPEAKER_AGENT, 30000, 0, "This call is recorded" },
    { { "full name", NULL }, ASSAY_SPEAKER_AGENT, 0, 2, "FULL NAME" },
    { { "date of birth", NULL }, ASSAY_SPEAKER_AGENT, 0, 2, "date-of-birth" },
    { { "date of birth", NULL }, ASSAY_SPEAKER_AGENT, 30000, -1, NULL },
    { { "Thank you for calling", NULL }, ASSAY_SPEAKER_AGENT, 0, 3, "Thank you for calling" },
    { { "ｔｈａｎｋ ｙｏｕ", NULL }, ASSAY_SPEAKER_AGENT, 0, 3, "Thank you" },
    { { "shut up", NULL }, ASSAY_SPEAKER_AGENT, 0, -1, NULL },
    { { "shut up", NULL }, ASSAY_SPEAKER_CUSTOMER, 0, 1, "shut up" },
    { { "goodbye", NULL }, ASSAY_SPEAKER_UNKNOWN, 0, -1, NULL },
  };

  check_vectors (segments, vectors, G_N_ELEMENTS (vectors));
}

static void
test_conversation_window (void)
{
  g_autoptr(AssayUtterances) chat = assay_utterances_new (ASSAY_TRANSCRIPT_CONVERSATION);
  g_autoptr(AssayPhraseIndex) index = NULL;
  const char *hello[] = { "hello", NULL };
  const char *bye[] = { "bye", NULL };
  AssayPhraseMatch match;
  gint64 t0 = G_GINT64_CONSTANT (1700000000000);

  assay_utterances_add (chat, t0, t0, "Customer", ASSAY_SPEAKER_CUSTOMER, "hi");
  assay_utterances_add (chat, t0 + 20000, t0 + 20000, "Sam", ASSAY_SPEAKER_AGENT, "Hello there!");
  assay_utterances_add (chat, t0 + 600000, t0 + 600000, "Sam", ASSAY_SPEAKER_AGENT, "Bye now");
  index = assay_phrase_index_new (chat);
  /* a conversation's window counts from its first message, and evidence too */
  g_assert_true (assay_phrase_index_find (index, hello, ASSAY_SPEAKER_AGENT, 30000, &match));
  g_assert_cmpint (match.start_ms, ==, 20000);
  g_assert_cmpint (match.end_ms, ==, 20000);
  g_assert_false (assay_phrase_index_find (index, bye, ASSAY_SPEAKER_AGENT, 30000, NULL));
  g_assert_true (assay_phrase_index_find (index, bye, ASSAY_SPEAKER_AGENT, 0, &match));
  g_assert_cmpint (match.start_ms, ==, 600000);
}

static AssayForm *
script_form (void)
{
  AssayForm *form = assay_form_new ("script", "Script", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *section = assay_form_add_section (form, "s", "Script", 1);
  AssayItem *greeting = assay_form_add_item (form, section, "greeting", ASSAY_ITEM_YES_NO,
                                             "Standard greeting");
  AssayItem *closing = assay_form_add_item (form, section, "closing", ASSAY_ITEM_YES_NO,
                                            "Standard closing");
  AssayItem *rude = assay_form_add_item (form, section, "rude", ASSAY_ITEM_YES_NO_NA,
                                         "No forbidden words");
  AssayItem *tone = assay_form_add_item (form, section, "tone", ASSAY_ITEM_SCALE, "Tone");
  const char *g[] = { "您好", NULL };
  const char *id[] = { "工号", NULL };
  const char *c[] = { "感谢您的来电", "感謝您的來電", NULL };
  const char *r[] = { "不知道", NULL };
  g_autoptr(GError) error = NULL;

  greeting->script = assay_script_new ();
  greeting->script->within_s = 30;
  assay_script_add_phrase (greeting->script, TRUE, g);
  assay_script_add_phrase (greeting->script, TRUE, id);
  closing->script = assay_script_new ();
  assay_script_add_phrase (closing->script, TRUE, c);
  closing->script->within_s = 30;         /* the closing is late: No */
  rude->script = assay_script_new ();
  assay_script_add_phrase (rude->script, FALSE, r);
  (void) tone;
  g_assert_true (assay_form_publish (form, &error));
  g_assert_no_error (error);
  return form;
}

static void
test_suggest_confirm (void)
{
  g_autoptr(AssayForm) form = script_form ();
  g_autoptr(AssayAnswers) answers = assay_answers_new (form);
  g_autoptr(AssayUtterances) segments = call_zh ();
  g_autoptr(AssayPhraseIndex) index = assay_phrase_index_new (segments);
  g_autoptr(GArray) problems = NULL;
  const AssayAnswer *a;

  g_assert_cmpuint (assay_phrase_suggest (answers, index), ==, 3);
  a = assay_answers_get (answers, 0);
  g_assert_true (a->suggested);
  g_assert_cmpint (a->choice, ==, 0);                   /* Yes */
  g_assert_nonnull (a->evidence);
  g_assert_cmpuint (a->evidence->len, ==, 1);   /* both phrases in one line: one span, once */
  g_assert_cmpint (g_array_index (a->evidence, AssayEvidence, 0).start_ms, ==, 800);
  g_assert_cmpint (g_array_index (a->evidence, AssayEvidence, 0).end_ms, ==, 5200);
  a = assay_answers_get (answers, 1);
  g_assert_true (a->suggested);
  g_assert_cmpint (a->choice, ==, 1);                   /* No: not within 30 s */
  g_assert_null (a->evidence);
  a = assay_answers_get (answers, 2);
  g_assert_cmpint (a->choice, ==, 0);                   /* nothing forbidden said */

  /* unconfirmed suggestions block Submit, each named */
  assay_answers_set_choice (answers, 3, 4, NULL);
  problems = assay_answers_check_submit (answers);
  g_assert_cmpuint (problems->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (g_array_index (problems, AssayProblem, i).kind, ==, ASSAY_PROBLEM_UNCONFIRMED);
      g_assert_cmpuint (g_array_index (problems, AssayProblem, i).item, ==, i);
    }
  g_clear_pointer (&problems, g_array_unref);

  /* the score says Submit may not go ahead yet */
  {
    g_autoptr(AssayScore) score = assay_score_compute (answers);

    g_assert_cmpuint (score->n_unconfirmed, ==, 3);
    g_assert_false (assay_score_is_complete (score));
  }

  /* a second run leaves answered items alone */
  g_assert_cmpuint (assay_phrase_suggest (answers, index), ==, 0);

  /* confirm one, answer another otherwise, confirm the third */
  g_assert_true (assay_answers_confirm (answers, 0));
  g_assert_false (assay_answers_confirm (answers, 0));
  g_assert_true (assay_answers_set_choice (answers, 1, 0, NULL));
  g_assert_false (assay_answers_get (answers, 1)->suggested);
  problems = assay_answers_check_submit (answers);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 0).item, ==, 2);
  g_clear_pointer (&problems, g_array_unref);
  g_assert_true (assay_answers_confirm (answers, 2));
  problems = assay_answers_check_submit (answers);
  g_assert_cmpuint (problems->len, ==, 0);
  {
    g_autoptr(AssayScore) score = assay_score_compute (answers);

    g_assert_true (assay_score_is_complete (score));
  }
  /* the evidence of the confirmed suggestion stays */
  g_assert_cmpuint (assay_answers_get (answers, 0)->evidence->len, ==, 1);
}

static void
test_suggest_forbidden (void)
{
  g_autoptr(AssayForm) form = script_form ();
  g_autoptr(AssayAnswers) answers = assay_answers_new (form);
  g_autoptr(AssayUtterances) segments = call_zh ();
  g_autoptr(AssayPhraseIndex) index = NULL;
  g_autoptr(AssayAnswers) copy = NULL;
  const AssayAnswer *a;

  assay_utterances_add (segments, 70000, 72000, "坐席", ASSAY_SPEAKER_AGENT, "这个我不知道。");
  index = assay_phrase_index_new (segments);
  assay_phrase_suggest (answers, index);
  a = assay_answers_get (answers, 2);
  g_assert_cmpint (a->choice, ==, 1);
  g_assert_cmpuint (a->evidence->len, ==, 1);
  g_assert_cmpint (g_array_index (a->evidence, AssayEvidence, 0).start_ms, ==, 70000);
  /* copies keep the flag */
  copy = assay_answers_copy (answers);
  g_assert_true (assay_answers_get (copy, 2)->suggested);
}

static void
test_script_rules (void)
{
  AssayForm *form = assay_form_new ("bad", "Bad", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *section = assay_form_add_section (form, "s", "S", 1);
  AssayItem *item = assay_form_add_item (form, section, "tone", ASSAY_ITEM_SCALE, "Tone");
  const char *punct[] = { "！！", NULL };
  const char *ok[] = { "hello", NULL };
  g_autoptr(GError) error = NULL;

  item->script = assay_script_new ();
  assay_script_add_phrase (item->script, TRUE, ok);
  g_assert_false (assay_form_validate (form, &error));
  g_assert_cmpstr (error->message, ==, "sections[0].items[0].script: only yes_no and yes_no_na "
                   "items can check a script, not a scale item");
  g_clear_error (&error);
  item->kind = ASSAY_ITEM_YES_NO;
  item->has_min = item->has_max = FALSE;
  assay_script_add_phrase (item->script, FALSE, punct);
  g_assert_false (assay_form_validate (form, &error));
  g_assert_true (g_str_has_prefix (error->message,
                                   "sections[0].items[0].script.must_not_say: phrase \"！！\""));
  assay_form_unref (form);
}

/* Comment rules --------------------------------------------------------------------------- */

static void
test_comment_rules (void)
{
  AssayForm *form = assay_form_new ("c", "Comments", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *section = assay_form_add_section (form, "s", "S", 1);
  AssayItem *never = assay_form_add_item (form, section, "never", ASSAY_ITEM_SCALE, "Never");
  AssayItem *fail = assay_form_add_item (form, section, "fail", ASSAY_ITEM_SCALE, "On fail");
  AssayItem *full = assay_form_add_item (form, section, "full", ASSAY_ITEM_SCALE, "Below full");
  AssayItem *fatal = assay_form_add_item (form, section, "fatal", ASSAY_ITEM_YES_NO, "Fatal");
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(GArray) problems = NULL;
  g_autoptr(AssayScore) score = NULL;

  assay_item_set_comment_rule (never, ASSAY_COMMENT_NEVER);
  assay_item_set_comment_rule (fail, ASSAY_COMMENT_ON_FAIL);
  assay_item_set_comment_rule (full, ASSAY_COMMENT_BELOW_FULL);
  fatal->fatal = TRUE;
  assay_item_set_comment_rule (fatal, ASSAY_COMMENT_ON_FAIL);
  g_assert_cmpint (assay_item_get_comment_rule (fail), ==, ASSAY_COMMENT_ON_FAIL);
  g_assert_cmpint (assay_item_get_comment_rule (full), ==, ASSAY_COMMENT_BELOW_FULL);
  g_assert_true (assay_form_publish (form, NULL));
  answers = assay_answers_new (form);

  /* a 4 of 5 on each: only below_full asks for a comment */
  for (guint i = 0; i < 3; i++)
    assay_answers_set_value (answers, i, 4, NULL);
  assay_answers_set_choice (answers, 3, 0, NULL);
  problems = assay_answers_check_submit (answers);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpint (g_array_index (problems, AssayProblem, 0).kind, ==,
                   ASSAY_PROBLEM_COMMENT_MISSING);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 0).item, ==, 2);
  g_clear_pointer (&problems, g_array_unref);

  /* the lowest step fails: on_fail asks too; a failed fatal item asks */
  for (guint i = 0; i < 3; i++)
    assay_answers_set_value (answers, i, 1, NULL);
  assay_answers_set_choice (answers, 3, 1, NULL);
  problems = assay_answers_check_submit (answers);
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 0).item, ==, 1);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 1).item, ==, 2);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 2).item, ==, 3);
  score = assay_score_compute (answers);
  g_assert_cmpuint (score->missing_comments->len, ==, 3);
  g_clear_pointer (&problems, g_array_unref);

  /* a blank comment is no comment; a real one clears it */
  assay_answers_set_comment (answers, 3, "   ");
  assay_answers_set_comment (answers, 1, "rude to the customer");
  assay_answers_set_comment (answers, 2, "see 1:20");
  problems = assay_answers_check_submit (answers);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 0).item, ==, 3);
  assay_form_unref (form);
}

/* Review time ----------------------------------------------------------------------------- */

static void
test_review_time (void)
{
  const gint64 m = 60 * 1000;
  /* open at 0, work to 5 min, away 10 min, back to work for 3 min, submit */
  const gint64 day[] = { 0, 30000, 90000, 3 * m, 5 * m, 15 * m, 16 * m, 17 * m, 18 * m };
  /* the same, out of order */
  const gint64 shuffled[] = { 16 * m, 0, 18 * m, 90000, 5 * m, 15 * m, 30000, 17 * m, 3 * m };
  /* a gap of exactly 2 minutes counts; 2 min + 1 ms does not */
  const gint64 edge[] = { 0, 2 * m, 4 * m + 1 };
  const gint64 one[] = { 42 };

  g_assert_cmpint (assay_review_active_ms (day, G_N_ELEMENTS (day), ASSAY_REVIEW_IDLE_MS), ==,
                   5 * m + 3 * m);
  g_assert_cmpint (assay_review_active_ms (shuffled, G_N_ELEMENTS (shuffled),
                                           ASSAY_REVIEW_IDLE_MS), ==, 8 * m);
  g_assert_cmpint (assay_review_active_ms (edge, G_N_ELEMENTS (edge), ASSAY_REVIEW_IDLE_MS), ==,
                   2 * m);
  g_assert_cmpint (assay_review_active_ms (one, 1, ASSAY_REVIEW_IDLE_MS), ==, 0);
  g_assert_cmpint (assay_review_active_ms (NULL, 0, ASSAY_REVIEW_IDLE_MS), ==, 0);
  /* duplicates add nothing */
  {
    const gint64 dup[] = { 1000, 1000, 1000, 61000 };

    g_assert_cmpint (assay_review_active_ms (dup, 4, ASSAY_REVIEW_IDLE_MS), ==, 60000);
  }
}

/* the running clock agrees with the pure function on activities in time order */
static void
test_review_clock (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);

  for (guint run = 0; run < 50; run++)
    {
      AssayReviewClock clock = ASSAY_REVIEW_CLOCK_INIT;
      gint64 times[200];
      gint64 t = 1794652920000;
      guint n = g_rand_int_range (rand, 0, 200);

      for (guint i = 0; i < n; i++)
        {
          /* mostly quick steps, sometimes a coffee break */
          t += g_rand_int_range (rand, 0, 8) == 0 ? g_rand_int_range (rand, 60000, 900000)
                                                  : g_rand_int_range (rand, 0, 30000);
          times[i] = t;
          assay_review_clock_touch (&clock, t);
        }
      g_assert_cmpint (assay_review_clock_get_active_ms (&clock), ==,
                       assay_review_active_ms (times, n, ASSAY_REVIEW_IDLE_MS));
    }
  {
    AssayReviewClock clock = ASSAY_REVIEW_CLOCK_INIT;

    assay_review_clock_touch (&clock, 10000);
    assay_review_clock_touch (&clock, 5000);     /* the clock went back: nothing counted */
    assay_review_clock_touch (&clock, 20000);
    g_assert_cmpint (assay_review_clock_get_active_ms (&clock), ==, 10000);
  }
}

static void
test_segments_find_at (void)
{
  g_autoptr(AssayUtterances) s = call_en ();

  g_assert_cmpint (assay_utterances_find_at (s, 0), ==, -1);
  g_assert_cmpint (assay_utterances_find_at (s, 800), ==, 0);
  g_assert_cmpint (assay_utterances_find_at (s, 6499), ==, 0);
  g_assert_cmpint (assay_utterances_find_at (s, 6500), ==, 1);
  g_assert_cmpint (assay_utterances_find_at (s, 1000000), ==, 3);
  g_assert_cmpint (assay_role_guess ("Agent Liam"), ==, ASSAY_SPEAKER_AGENT);
  g_assert_cmpint (assay_role_guess ("客户"), ==, ASSAY_SPEAKER_CUSTOMER);
  g_assert_cmpint (assay_role_guess ("CALLER"), ==, ASSAY_SPEAKER_CUSTOMER);
  g_assert_cmpint (assay_role_guess ("Maria"), ==, ASSAY_SPEAKER_UNKNOWN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phrase/normalise", test_normalise);
  g_test_add_func ("/phrase/vectors-chinese", test_vectors_chinese);
  g_test_add_func ("/phrase/vectors-english", test_vectors_english);
  g_test_add_func ("/phrase/conversation-window", test_conversation_window);
  g_test_add_func ("/phrase/suggest-confirm", test_suggest_confirm);
  g_test_add_func ("/phrase/suggest-forbidden", test_suggest_forbidden);
  g_test_add_func ("/phrase/script-rules", test_script_rules);
  g_test_add_func ("/form/comment-rules", test_comment_rules);
  g_test_add_func ("/review-time/active", test_review_time);
  g_test_add_func ("/review-time/clock", test_review_clock);
  g_test_add_func ("/segments/find-at", test_segments_find_at);
  return g_test_run ();
}
