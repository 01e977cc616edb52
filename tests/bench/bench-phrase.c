/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Script compliance over a long call: normalising a generated 60-minute transcript and looking
 * for a scorecard's phrases in it, as the review workspace does when it opens a call (target:
 * at most 20 ms). Prints figures; never passes or fails on time.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/assay-phrase.h"

#define CALL_MS (60 * 60 * 1000)

static const char *const lines_zh[] = {
  "您好，星河通信客服中心，工号一零零三，本次通话将被录音，请问有什么可以帮您？",
  "我家的宽带从昨天晚上开始就一直断断续续的，打游戏老是掉线。",
  "非常抱歉给您带来困扰，为了核实身份，请提供机主姓名和身份证后四位。",
  "好的，我帮您查一下线路状态，请您稍等，不要挂机。",
  "ＯＫ，光猫的灯现在是绿色的，ＬＯＳ灯没有亮。",
};
static const char *const lines_en[] = {
  "Thank you for calling Northwind Telecom, this is Emily on a recorded line. How can I help?",
  "I've been charged twice for my November bill and I'd like one of them refunded, please.",
  "I'm sorry about that. Before I look at the account, can I have your full name and date of birth?",
  "Let me put you on a short hold while I check the payments, is that all right?",
  "Thanks for holding. I can see both payments of forty-two pounds ninety-nine.",
};

static AssayUtterances *
make_call (void)
{
  AssayUtterances *u = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (60);
  gint64 t = 800;
  guint i = 0;

  while (t < CALL_MS)
    {
      gboolean agent = i % 2 == 0;
      gboolean zh = g_rand_boolean (rand);
      const char *text = zh ? lines_zh[g_rand_int_range (rand, 0, G_N_ELEMENTS (lines_zh))]
                            : lines_en[g_rand_int_range (rand, 0, G_N_ELEMENTS (lines_en))];
      gint64 len = g_rand_int_range (rand, 1500, 6000);

      assay_utterances_add (u, t, t + len, agent ? "Agent" : "Customer",
                            agent ? ASSAY_SPEAKER_AGENT : ASSAY_SPEAKER_CUSTOMER, text);
      t += len + g_rand_int_range (rand, 300, 900);
      i++;
    }
  return u;
}

/* A form of 20 script items: greetings in a window, identity checks, closings, forbidden words;
 * half of them not in the transcript at all (the slow case: every line is searched). */
static AssayForm *
make_form (void)
{
  static const char *const phrases[][3] = {
    { "您好", NULL }, { "本次通话将被录音", "本次通話將被錄音", NULL },
    { "核实身份", "核實身份", NULL }, { "身份证后四位", "身份證後四位", NULL },
    { "recorded line", "call is recorded", NULL }, { "full name", NULL },
    { "date of birth", NULL }, { "short hold", NULL }, { "thanks for holding", NULL },
    { "los灯没有亮", NULL },
    { "感谢您的来电", "感謝您的來電", NULL }, { "祝您生活愉快", NULL },
    { "anything else I can help", NULL }, { "have a great day", NULL },
    { "不知道", NULL }, { "shut up", NULL }, { "not my problem", NULL },
    { "你自己看着办", "你自己看著辦", NULL }, { "stupid", NULL }, { "投诉也没用", NULL },
  };
  AssayForm *form = assay_form_new ("bench-script", "Script", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *section = assay_form_add_section (form, "s", "Script", 1);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    {
      g_autofree char *id = g_strdup_printf ("item%u", i);
      AssayItem *item = assay_form_add_item (form, section, id, ASSAY_ITEM_YES_NO, id);

      item->script = assay_script_new ();
      assay_script_add_phrase (item->script, i < 14, phrases[i]);
      if (i < 4)
        item->script->within_s = 30;
      if (i >= 14)
        item->script->speaker = ASSAY_SPEAKER_UNKNOWN;
    }
  if (!assay_form_publish (form, &error))
    g_error ("bench form: %s", error->message);
  return form;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AssayUtterances) call = make_call ();
  g_autoptr(AssayForm) form = make_form ();
  const int runs = 30;
  double times[30], index_times[30];
  guint suggested = 0;
  gsize chars = 0;

  for (guint i = 0; i < assay_utterances_get_n (call); i++)
    chars += g_utf8_strlen (assay_utterances_get (call, i)->text, -1);

  for (int r = 0; r < runs; r++)
    {
      g_autoptr(AssayAnswers) answers = assay_answers_new (form);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(AssayPhraseIndex) index = assay_phrase_index_new (call);
      gint64 indexed = g_get_monotonic_time ();

      suggested = assay_phrase_suggest (answers, index);
      times[r] = (g_get_monotonic_time () - start) / 1000.0;
      index_times[r] = (indexed - start) / 1000.0;
    }
  qsort (times, runs, sizeof (double), compare_double);
  qsort (index_times, runs, sizeof (double), compare_double);
  printf ("phrase matching, 60-minute transcript (%u lines, %zu characters), %u script items: "
          "%.2f ms median, %.2f ms worst (target <= 20 ms); normalising alone %.2f ms\n",
          assay_utterances_get_n (call), chars, assay_form_get_n_items (form), times[runs / 2],
          times[runs - 1], index_times[runs / 2]);
  if (suggested != assay_form_get_n_items (form))
    g_error ("expected a suggestion on every item, got %u", suggested);
  return 0;
}
