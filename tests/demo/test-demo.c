/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "demo/assay-demo.h"
#include "core/assay-scoring.h"

/* 2025-11-14 15:30 UTC, a Friday afternoon */
#define END_MS G_GINT64_CONSTANT (1763134200000)

typedef struct {
  guint  n;
  guint  by_channel[3];          /* phone, chat, email */
  double handle_sum[3];          /* handled (not abandoned) contacts */
  guint  handled[3];
  guint  abandoned;
  guint  fcr_known, fcr_yes;
  guint  sl_known, sl_yes;
  guint  csat[6];
  guint  nps[11];
  guint  email_fr_known, email_fr_in_target;
  guint  email_resolution_before_first;
  guint  chat_without_first_response;
  guint  by_weekday[8];
  guint  by_hour_phone[24];
  guint  n_days_low_sl;
  guint  n_days_with_phone;
  gboolean sorted;
  gboolean in_period;
  gboolean refs_ok;
  gboolean fields_ok;
  gint64 last_started;
  GHashTable *ids;
  GHashTable *agents_seen;
} Stats;

static int
channel_index (const char *channel)
{
  if (g_strcmp0 (channel, "phone") == 0)
    return 0;
  if (g_strcmp0 (channel, "chat") == 0)
    return 1;
  g_assert_cmpstr (channel, ==, "email");
  return 2;
}

static AssayDemo *
make_demo (guint  n,
           guint  days,
           guint32 seed)
{
  AssayDemoOptions options;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  assay_demo_options_init (&options);
  options.n_interactions = n;
  options.n_days = days;
  options.seed = seed;
  options.end_ms = END_MS;
  options.time_zone = utc;
  return assay_demo_new (&options);
}

static void
collect (AssayDemo *demo,
         Stats     *st)
{
  AssayInteractionFacts facts;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GRegex) ref_re = g_regex_new ("^C-[0-9]{6,7}$", 0, 0, NULL);
  gint64 start = assay_demo_get_start_ms (demo);
  guint day_known[ASSAY_DEMO_MAX_DAYS] = { 0 };
  guint day_yes[ASSAY_DEMO_MAX_DAYS] = { 0 };
  int rec;

  memset (st, 0, sizeof *st);
  st->sorted = st->in_period = st->refs_ok = st->fields_ok = TRUE;
  st->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  st->agents_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  assay_interaction_facts_init (&facts);
  while (assay_demo_next (demo, &facts, &rec))
    {
      int c = channel_index (facts.channel);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (facts.started_at / 1000);
      guint day = (guint) ((facts.started_at - start) / (24 * 3600 * 1000));

      st->n++;
      st->by_channel[c]++;
      if (facts.started_at < st->last_started)
        st->sorted = FALSE;
      st->last_started = facts.started_at;
      if (facts.started_at < start || facts.started_at >= END_MS)
        st->in_period = FALSE;
      if (!g_regex_match (ref_re, facts.customer_ref, 0, NULL))
        st->refs_ok = FALSE;
      if (!g_uuid_string_is_valid (facts.id) || facts.agent_id == NULL || facts.team_id == NULL
          || facts.queue == NULL)
        st->fields_ok = FALSE;
      g_hash_table_add (st->ids, g_strdup (facts.id));
      g_hash_table_add (st->agents_seen, g_strdup (facts.agent_id));
      st->by_weekday[g_date_time_get_day_of_week (dt)]++;

      if (facts.abandoned)
        {
          st->abandoned++;
          if (facts.csat != ASSAY_NONE || facts.fcr != ASSAY_NONE || facts.talk_s != 0)
            st->fields_ok = FALSE;
        }
      else
        {
          st->handled[c]++;
          st->handle_sum[c] += facts.talk_s + facts.hold_s + facts.wrap_s;
        }
      if (c == 0)
        {
          st->by_hour_phone[g_date_time_get_hour (dt)]++;
          if (facts.priority != NULL || facts.first_response_s != ASSAY_NONE)
            st->fields_ok = FALSE;
        }
      if (c == 0 && facts.answered_in_sl != ASSAY_NONE)
        {
          st->sl_known++;
          st->sl_yes += facts.answered_in_sl;
          if (day < ASSAY_DEMO_MAX_DAYS)
            {
              day_known[day]++;
              day_yes[day] += facts.answered_in_sl;
            }
        }
      if (c == 1 && (facts.first_response_s == ASSAY_NONE
                     || facts.first_response_target_s == ASSAY_NONE))
        st->chat_without_first_response++;
      if (c == 2)
        {
          if (facts.priority == NULL || facts.resolution_target_s == ASSAY_NONE)
            st->fields_ok = FALSE;
          st->email_fr_known++;
          if (facts.first_response_s <= facts.first_response_target_s)
            st->email_fr_in_target++;
          if (facts.resolution_s < facts.first_response_s)
            st->email_resolution_before_first++;
        }
      if (facts.fcr != ASSAY_NONE)
        {
          st->fcr_known++;
          st->fcr_yes += facts.fcr;
        }
      if (facts.csat != ASSAY_NONE)
        {
          g_assert_cmpint (facts.csat, >=, 1);
          g_assert_cmpint (facts.csat, <=, 5);
          st->csat[facts.csat]++;
        }
      if (facts.nps != ASSAY_NONE)
        {
          g_assert_cmpint (facts.nps, >=, 0);
          g_assert_cmpint (facts.nps, <=, 10);
          g_assert_cmpint (facts.csat, !=, ASSAY_NONE);
          st->nps[facts.nps]++;
        }
    }
  assay_interaction_facts_clear (&facts);

  for (guint d = 0; d < ASSAY_DEMO_MAX_DAYS; d++)
    {
      if (day_known[d] < 40)
        continue;
      st->n_days_with_phone++;
      if (day_yes[d] < 0.60 * day_known[d])
        st->n_days_low_sl++;
    }
}

static void
stats_clear (Stats *st)
{
  g_clear_pointer (&st->ids, g_hash_table_unref);
  g_clear_pointer (&st->agents_seen, g_hash_table_unref);
}

static void
test_people (void)
{
  g_autoptr(AssayDemo) demo = make_demo (100, 90, ASSAY_DEMO_DEFAULT_SEED);
  const AssayDemoTeam *teams;
  const AssayDemoAgent *agents;
  const AssayDemoStaff *staff;
  const AssayDemoQueue *queues;
  guint n_teams, n_agents, n_staff, n_queues, n_me = 0, n_inactive = 0, n_hanzi = 0;
  gboolean channels[3] = { FALSE, FALSE, FALSE };

  teams = assay_demo_get_teams (demo, &n_teams);
  agents = assay_demo_get_agents (demo, &n_agents);
  staff = assay_demo_get_staff (demo, &n_staff);
  queues = assay_demo_get_queues (demo, &n_queues);

  g_assert_cmpuint (n_teams, ==, 3);
  g_assert_cmpuint (n_agents, ==, 24);
  g_assert_cmpuint (n_staff, >=, 4);
  g_assert_cmpuint (n_queues, >=, 6);

  for (guint t = 0; t < n_teams; t++)
    {
      guint members = 0;
      gboolean lead_found = FALSE;

      g_assert_true (g_uuid_string_is_valid (teams[t].id));
      for (guint s = 0; s < n_staff; s++)
        if (g_strcmp0 (staff[s].id, teams[t].lead_id) == 0)
          {
            lead_found = TRUE;
            g_assert_nonnull (strstr (staff[s].roles, "lead"));
          }
      g_assert_true (lead_found);
      for (guint a = 0; a < n_agents; a++)
        members += g_strcmp0 (agents[a].team_id, teams[t].id) == 0;
      g_assert_cmpuint (members, ==, 8);
    }
  for (guint a = 0; a < n_agents; a++)
    {
      g_assert_true (g_uuid_string_is_valid (agents[a].id));
      g_assert_true (g_utf8_validate (agents[a].name, -1, NULL));
      n_inactive += !agents[a].active;
      /* names in Chinese characters as well as in Latin letters */
      n_hanzi += g_unichar_get_script (g_utf8_get_char (agents[a].name)) == G_UNICODE_SCRIPT_HAN;
      for (guint b = 0; b < a; b++)
        g_assert_cmpstr (agents[a].employee_code, !=, agents[b].employee_code);
    }
  g_assert_cmpuint (n_inactive, ==, 1);
  g_assert_cmpuint (n_hanzi, >=, 3);
  g_assert_cmpuint (n_hanzi, <=, 21);
  for (guint s = 0; s < n_staff; s++)
    if (staff[s].is_me)
      {
        n_me++;
        g_assert_nonnull (strstr (staff[s].roles, "inspector"));
      }
  g_assert_cmpuint (n_me, ==, 1);
  for (guint q = 0; q < n_queues; q++)
    {
      channels[channel_index (queues[q].channel)] = TRUE;
      g_assert_cmpint (queues[q].sl_threshold_s, >, 0);
      if (g_strcmp0 (queues[q].channel, "phone") == 0)
        g_assert_cmpint (queues[q].sl_threshold_s, <=, 30);
    }
  g_assert_true (channels[0] && channels[1] && channels[2]);
}

static void
test_distributions (void)
{
  g_autoptr(AssayDemo) demo = make_demo (20000, 90, ASSAY_DEMO_DEFAULT_SEED);
  Stats st;
  double fcr, sl, csat_mean = 0, aht[3];
  guint csat_n = 0, nps_n = 0, promoters, detractors;
  guint weekday_avg, weekend_avg;

  collect (demo, &st);

  g_assert_cmpuint (st.n, ==, 20000);
  g_assert_cmpuint (g_hash_table_size (st.ids), ==, 20000);
  g_assert_true (st.sorted);
  g_assert_true (st.in_period);
  g_assert_true (st.refs_ok);
  g_assert_true (st.fields_ok);
  /* the leaver's last month and the new hire's first two months are empty, but everyone works */
  g_assert_cmpuint (g_hash_table_size (st.agents_seen), ==, 24);

  /* channel mix: about 55 % phone, 25 % chat, 20 % email */
  g_test_message ("phone %u chat %u email %u", st.by_channel[0], st.by_channel[1], st.by_channel[2]);
  g_assert_cmpuint (st.by_channel[0], >, st.by_channel[1]);
  g_assert_cmpuint (st.by_channel[1], >, st.by_channel[2] * 9 / 10);
  g_assert_cmpuint (st.by_channel[2], >, 2000);

  fcr = (double) st.fcr_yes / st.fcr_known;
  g_test_message ("FCR %.3f", fcr);
  g_assert_cmpfloat (fcr, >=, 0.70);
  g_assert_cmpfloat (fcr, <=, 0.80);

  sl = (double) st.sl_yes / st.sl_known;
  g_test_message ("phone service level %.3f, %u of %u days under 60 %%, %u abandoned",
                  sl, st.n_days_low_sl, st.n_days_with_phone, st.abandoned);
  g_assert_cmpfloat (sl, >=, 0.75);
  g_assert_cmpfloat (sl, <=, 0.85);
  g_assert_cmpuint (st.n_days_low_sl, >=, 1);
  g_assert_cmpuint (st.n_days_low_sl, <=, st.n_days_with_phone / 10);
  g_assert_cmpuint (st.abandoned, >, st.by_channel[0] / 50);
  g_assert_cmpuint (st.abandoned, <, st.by_channel[0] / 8);

  /* CSAT is skewed as real surveys are: 5 most common, more 1s than 2s, mean about 4 */
  for (int v = 1; v <= 5; v++)
    {
      csat_n += st.csat[v];
      csat_mean += v * (double) st.csat[v];
    }
  csat_mean /= csat_n;
  g_test_message ("CSAT 1..5: %u %u %u %u %u, mean %.2f of %u", st.csat[1], st.csat[2],
                  st.csat[3], st.csat[4], st.csat[5], csat_mean, csat_n);
  g_assert_cmpuint (csat_n, >, 20000 / 10);
  g_assert_cmpuint (csat_n, <, 20000 / 2);
  g_assert_cmpuint (st.csat[5], >, st.csat[4]);
  g_assert_cmpuint (st.csat[4], >, st.csat[3]);
  g_assert_cmpuint (st.csat[5], >, 3 * st.csat[1]);
  g_assert_cmpuint (st.csat[1], >, st.csat[2]);
  g_assert_cmpfloat (csat_mean, >=, 3.8);
  g_assert_cmpfloat (csat_mean, <=, 4.4);

  /* NPS: every answer occurs, 9 and 10 lead, promoters outnumber detractors */
  for (int v = 0; v <= 10; v++)
    {
      nps_n += st.nps[v];
      g_assert_cmpuint (st.nps[v], >, 0);
    }
  promoters = st.nps[9] + st.nps[10];
  detractors = 0;
  for (int v = 0; v <= 6; v++)
    detractors += st.nps[v];
  g_test_message ("NPS %+.0f of %u answers", 100.0 * ((double) promoters - detractors) / nps_n, nps_n);
  g_assert_cmpuint (nps_n, <, csat_n);
  g_assert_cmpuint (st.nps[10], >, st.nps[5]);
  g_assert_cmpuint (promoters, >, detractors);
  g_assert_cmpuint (promoters, <, nps_n * 8 / 10);

  /* handle time: email > phone > chat (see assay-demo.h) */
  for (int c = 0; c < 3; c++)
    aht[c] = st.handle_sum[c] / st.handled[c];
  g_test_message ("AHT phone %.0f s, chat %.0f s, email %.0f s", aht[0], aht[1], aht[2]);
  g_assert_cmpfloat (aht[2], >, aht[0]);
  g_assert_cmpfloat (aht[0], >, aht[1]);
  g_assert_cmpfloat (aht[0], >, 240);
  g_assert_cmpfloat (aht[0], <, 600);

  /* tickets-like email: most first responses within target, never resolved before answered */
  g_assert_cmpuint (st.email_resolution_before_first, ==, 0);
  g_assert_cmpuint (st.email_fr_in_target, >, st.email_fr_known * 7 / 10);
  g_assert_cmpuint (st.email_fr_in_target, <, st.email_fr_known * 98 / 100);
  g_assert_cmpuint (st.chat_without_first_response, ==, 0);

  /* weekly and daily shape: weekdays busier than weekends, no phone calls at night,
   * mid-morning busier than opening time */
  weekday_avg = (st.by_weekday[1] + st.by_weekday[2] + st.by_weekday[3]) / 3;
  weekend_avg = (st.by_weekday[6] + st.by_weekday[7]) / 2;
  g_assert_cmpuint (st.by_weekday[1], >, st.by_weekday[7]);
  g_assert_cmpuint (weekday_avg, >, weekend_avg * 3 / 2);
  for (int h = 0; h < 8; h++)
    g_assert_cmpuint (st.by_hour_phone[h], ==, 0);
  g_assert_cmpuint (st.by_hour_phone[22], ==, 0);
  g_assert_cmpuint (st.by_hour_phone[10], >, st.by_hour_phone[8]);
  g_assert_cmpuint (st.by_hour_phone[14], >, st.by_hour_phone[12]);

  stats_clear (&st);
}

static void
test_ends_now (void)
{
  g_autoptr(AssayDemo) demo = make_demo (5000, 30, 7);
  AssayInteractionFacts facts;
  gint64 last = 0;
  int rec;

  g_assert_cmpint (assay_demo_get_end_ms (demo), ==, END_MS);
  /* 30 days: the first one starts at midnight 29 days before the last */
  g_assert_cmpint (assay_demo_get_start_ms (demo), ==,
                   END_MS - (END_MS % (24 * 3600 * 1000)) - G_GINT64_CONSTANT (29) * 24 * 3600 * 1000);
  assay_interaction_facts_init (&facts);
  while (assay_demo_next (demo, &facts, &rec))
    last = facts.started_at;
  assay_interaction_facts_clear (&facts);
  /* the latest interaction is from this afternoon */
  g_assert_cmpint (last, <, END_MS);
  g_assert_cmpint (last, >, END_MS - 2 * 3600 * 1000);
}

static void
test_deterministic (void)
{
  g_autoptr(AssayDemo) a = make_demo (3000, 90, 42);
  g_autoptr(AssayDemo) b = make_demo (3000, 90, 42);
  g_autoptr(AssayDemo) c = make_demo (3000, 90, 43);
  AssayInteractionFacts fa, fb, fc;
  guint differ = 0;
  int ra, rb, rc;

  g_assert_cmpstr (assay_demo_get_agents (a, NULL)[0].id, ==, assay_demo_get_agents (b, NULL)[0].id);
  g_assert_cmpstr (assay_demo_get_agents (a, NULL)[0].id, !=, assay_demo_get_agents (c, NULL)[0].id);

  assay_interaction_facts_init (&fa);
  assay_interaction_facts_init (&fb);
  assay_interaction_facts_init (&fc);
  for (guint i = 0; i < 3000; i++)
    {
      g_assert_true (assay_demo_next (a, &fa, &ra));
      g_assert_true (assay_demo_next (b, &fb, &rb));
      g_assert_true (assay_demo_next (c, &fc, &rc));
      g_assert_cmpstr (fa.id, ==, fb.id);
      g_assert_cmpstr (fa.agent_id, ==, fb.agent_id);
      g_assert_cmpstr (fa.queue, ==, fb.queue);
      g_assert_cmpstr (fa.customer_ref, ==, fb.customer_ref);
      g_assert_cmpint (fa.started_at, ==, fb.started_at);
      g_assert_cmpint (fa.talk_s, ==, fb.talk_s);
      g_assert_cmpint (fa.csat, ==, fb.csat);
      g_assert_cmpint (fa.answered_in_sl, ==, fb.answered_in_sl);
      differ += fa.started_at != fc.started_at || fa.talk_s != fc.talk_s;
    }
  g_assert_false (assay_demo_next (a, &fa, &ra));
  g_assert_false (assay_demo_next (b, &fb, &rb));
  g_assert_false (assay_demo_next (c, &fc, &rc));
  g_assert_cmpuint (differ, >, 2900);
  assay_interaction_facts_clear (&fa);
  assay_interaction_facts_clear (&fb);
  assay_interaction_facts_clear (&fc);
}

static void
test_recordings (void)
{
  g_autoptr(AssayDemo) demo = make_demo (20000, 90, ASSAY_DEMO_DEFAULT_SEED);
  const AssayDemoRecording recordings[] = {
    { "en-billing-dispute", "Billing", "Emily Carter", 142.6, 0 },
    { "zh-billing-angry-hold", "账单查询", "Wang Fang", 173.7, 25 },
    { "zh-broadband-outage", NULL, NULL, 95.2, 0 },        /* guessed: 技术支持 */
    { "en-sales-upgrade", "No Such Queue", "Nobody", 61.0, 0 },  /* guessed: Sales */
  };
  const char *expected_queue[] = { "Billing", "账单查询", "技术支持", "Sales" };
  const AssayDemoAgent *agents = assay_demo_get_agents (demo, NULL);
  gboolean seen[G_N_ELEMENTS (recordings)] = { FALSE };
  AssayInteractionFacts facts;
  gint64 week_ago = END_MS - G_GINT64_CONSTANT (9) * 24 * 3600 * 1000;
  int rec;

  for (guint i = 0; i < G_N_ELEMENTS (recordings); i++)
    g_assert_cmpuint (assay_demo_add_recording (demo, &recordings[i]), ==, i);

  assay_interaction_facts_init (&facts);
  while (assay_demo_next (demo, &facts, &rec))
    {
      if (rec < 0)
        continue;
      g_assert_cmpint (rec, <, (int) G_N_ELEMENTS (recordings));
      g_assert_false (seen[rec]);
      seen[rec] = TRUE;
      g_assert_cmpstr (facts.channel, ==, "phone");
      g_assert_cmpint (facts.abandoned, ==, 0);
      g_assert_cmpstr (facts.queue, ==, expected_queue[rec]);
      g_assert_cmpint (facts.talk_s + facts.hold_s, ==, (int) (recordings[rec].duration_s + 0.5));
      g_assert_cmpint (facts.hold_s, ==, recordings[rec].hold_s);
      g_assert_cmpint (facts.started_at, >, week_ago);
      if (rec == 0)
        g_assert_cmpstr (facts.agent_id, ==, agents[2].id);      /* Emily Carter */
      if (rec == 1)
        g_assert_cmpstr (facts.agent_id, ==, agents[0].id);      /* Wang Fang */
    }
  assay_interaction_facts_clear (&facts);
  for (guint i = 0; i < G_N_ELEMENTS (recordings); i++)
    g_assert_true (seen[i]);
  g_assert_cmpuint (assay_demo_get_n_linked (demo), ==, G_N_ELEMENTS (recordings));
}

static void
test_small (void)
{
  for (guint days = 1; days <= 3; days++)
    {
      g_autoptr(AssayDemo) demo = make_demo (10, days, 1);
      AssayInteractionFacts facts;
      guint n = 0;
      int rec;

      assay_interaction_facts_init (&facts);
      while (assay_demo_next (demo, &facts, &rec))
        n++;
      assay_interaction_facts_clear (&facts);
      g_assert_cmpuint (n, ==, 10);
    }

  {
    g_autoptr(AssayDemo) demo = make_demo (0, 90, 1);
    AssayInteractionFacts facts;
    int rec;

    assay_interaction_facts_init (&facts);
    g_assert_false (assay_demo_next (demo, &facts, &rec));
    assay_interaction_facts_clear (&facts);
  }
}

/* QA work */

#define DAY_MS_TEST   (G_GINT64_CONSTANT (24) * 3600 * 1000)
#define MIN_MS_TEST   (G_GINT64_CONSTANT (60) * 1000)

/* A small scorecard with the kinds the demo's answers have to handle. */
static AssayForm *
make_qa_form (void)
{
  AssayForm *form = assay_form_new ("qa-test", "QA test", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *opening, *resolution, *bonus, *notes;
  AssayItem *item;
  g_autoptr(GError) error = NULL;

  form->comment_on_deduction = TRUE;
  opening = assay_form_add_section (form, "opening", "Opening", 1);
  assay_form_add_item (form, opening, "greeting", ASSAY_ITEM_YES_NO, "Greeting");
  item = assay_form_add_item (form, opening, "disclosure", ASSAY_ITEM_YES_NO, "Disclosure");
  item->fatal = TRUE;
  item = assay_form_add_item (form, opening, "verified", ASSAY_ITEM_YES_NO_NA, "Verified");
  item->critical = TRUE;
  assay_form_add_item (form, opening, "hold_asked", ASSAY_ITEM_YES_NO_NA, "Asked before hold");
  resolution = assay_form_add_section (form, "resolution", "Resolution", 2);
  item = assay_form_add_item (form, resolution, "listening", ASSAY_ITEM_SCALE, "Listening");
  item->min = 1;
  item->max = 5;
  item->weight = 4;   /* a scale is worth its weight: 4 points, as much as the best outcome */
  item = assay_form_add_item (form, resolution, "outcome", ASSAY_ITEM_SINGLE_CHOICE, "Outcome");
  assay_form_add_option (form, item, "resolved", "Resolved", 4);
  assay_form_add_option (form, item, "follow_up", "Follow-up", 3);
  assay_form_add_option (form, item, "partial", "Partial", 1);
  assay_form_add_option (form, item, "unresolved", "Not resolved", 0);
  item = assay_form_add_item (form, resolution, "rude", ASSAY_ITEM_SINGLE_CHOICE, "Rude remark");
  assay_form_add_option (form, item, "none", "None", 0);
  assay_form_add_option (form, item, "once", "Once", -5);
  bonus = assay_form_add_section (form, "bonus", "Bonus", 1);
  bonus->bonus = TRUE;
  assay_form_add_item (form, bonus, "proactive", ASSAY_ITEM_YES_NO, "Proactive");
  notes = assay_form_add_section (form, "notes", "Notes", 0);
  assay_form_add_item (form, notes, "summary", ASSAY_ITEM_TEXT, "Summary");
  assay_form_add_item (form, notes, "hold_seconds", ASSAY_ITEM_NUMBER, "Hold (s)");
  g_assert_true (assay_form_publish (form, &error));
  g_assert_no_error (error);
  return form;
}

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) >= 0x2e80)
      return TRUE;
  return FALSE;
}

static gboolean
answers_equal (const AssayAnswers *a,
               const AssayAnswers *b)
{
  for (guint i = 0; i < assay_answers_get_n_items (a); i++)
    {
      const AssayAnswer *x = assay_answers_get (a, i);
      const AssayAnswer *y = assay_answers_get (b, i);

      if (x->state != y->state || x->choice != y->choice || x->choices != y->choices
          || x->value != y->value || g_strcmp0 (x->text, y->text) != 0
          || g_strcmp0 (x->comment, y->comment) != 0)
        return FALSE;
    }
  return TRUE;
}

static const AssayDemoReview *
stream_reviews (AssayDemo *demo,
                guint     *n_reviews)
{
  AssayInteractionFacts facts;
  guint n = 0;
  int rec;

  assay_interaction_facts_init (&facts);
  while (assay_demo_next (demo, &facts, &rec))
    {
      /* nothing is planned while the interactions stream out */
      if (n++ == 100)
        {
          guint early = 1;

          assay_demo_get_reviews (demo, &early);
          g_assert_cmpuint (early, ==, 0);
        }
    }
  assay_interaction_facts_clear (&facts);
  return assay_demo_get_reviews (demo, n_reviews);
}

static void
test_reviews (void)
{
  g_autoptr(AssayDemo) demo = make_demo (6000, 90, ASSAY_DEMO_DEFAULT_SEED);
  const AssayDemoRecording recordings[] = {
    { "en-billing-dispute", "Billing", "Emily Carter", 142.6, 0 },
    { "zh-billing-angry-hold", "账单查询", "Wang Fang", 173.7, 25 },
    { "zh-broadband-outage", NULL, NULL, 95.2, 0 },
  };
  const AssayDemoStaff *staff;
  const AssayDemoQueue *queues;
  const AssayDemoReview *reviews;
  g_autoptr(GHashTable) contacts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) agent_weeks = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) weeks = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) agents = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint by_inspector[16] = { 0 };
  guint n_reviews, n_submitted = 0, n_amended = 0, n_drafts = 0, n_assigned = 0;
  guint n_overdue = 0, n_recorded = 0, n_chat = 0, me;

  for (guint i = 0; i < G_N_ELEMENTS (recordings); i++)
    assay_demo_add_recording (demo, &recordings[i]);
  reviews = stream_reviews (demo, &n_reviews);
  staff = assay_demo_get_staff (demo, NULL);
  queues = assay_demo_get_queues (demo, NULL);
  me = assay_demo_get_me (demo);
  g_assert_true (staff[me].is_me);

  for (guint i = 0; i < n_reviews; i++)
    {
      const AssayDemoReview *r = &reviews[i];

      /* one piece of work per contact */
      g_assert_false (g_hash_table_contains (contacts, r->interaction_id));
      g_hash_table_add (contacts, r->interaction_id);
      g_assert_cmpint (r->chinese, ==, queues[r->queue].chinese);
      g_assert_cmpstr (r->channel, ==, queues[r->queue].channel);
      g_assert_cmpstr (r->channel, !=, "email");
      g_assert_cmpuint (r->inspector, <, 16);

      if (r->state != ASSAY_DEMO_REVIEW_OPEN)
        {
          g_assert_cmpint (r->created_at, >, r->started_at);
          g_assert_cmpint (r->updated_at, >, r->created_at);
          g_assert_cmpint (r->updated_at, <, END_MS);
          /* a sampling draw made 20 minutes before the end sees all of it */
          g_assert_cmpint (r->created_at, <=, END_MS - 30 * MIN_MS_TEST);
        }
      if (r->state == ASSAY_DEMO_REVIEW_SUBMITTED)
        {
          guint week = (guint) ((r->started_at / DAY_MS_TEST + 3) / 7);   /* Monday weeks */
          gpointer key = GUINT_TO_POINTER (week * 32 + r->agent);

          n_submitted++;
          by_inspector[r->inspector]++;
          g_assert_false (r->assigned);
          g_assert_cmpint (r->started_at, <, END_MS - 3 * DAY_MS_TEST);
          g_assert_cmpint (r->recording, ==, -1);
          g_hash_table_insert (agent_weeks, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (
                               g_hash_table_lookup (agent_weeks, key)) + 1));
          g_hash_table_add (weeks, GUINT_TO_POINTER (week));
          g_hash_table_add (agents, GUINT_TO_POINTER (r->agent));
          if (strcmp (r->channel, "chat") == 0)
            n_chat++;
          if (r->amended_by >= 0)
            {
              n_amended++;
              g_assert_cmpstr (staff[r->amended_by].roles, ==, "lead");
              g_assert_cmpint (r->amended_at, >, r->updated_at);
              g_assert_cmpint (r->amended_at, <, END_MS);
            }
        }
      else
        g_assert_cmpint (r->amended_by, ==, -1);
      if (r->state == ASSAY_DEMO_REVIEW_DRAFT)
        {
          n_drafts++;
          g_assert_cmpuint (r->inspector, ==, me);
        }
      if (r->assigned)
        {
          n_assigned++;
          g_assert_cmpuint (r->inspector, ==, me);
          g_assert_cmpstr (r->channel, ==, "phone");
          g_assert_cmpint (r->assigned_at, >, r->started_at);
          g_assert_cmpint (r->assigned_at, <=, END_MS - 30 * MIN_MS_TEST);
          g_assert_cmpint (r->due_at, >, r->assigned_at);
          if (r->due_at < END_MS)
            n_overdue++;
          if (r->recording >= 0)
            n_recorded++;
        }
      else
        g_assert_cmpint (r->recording, ==, -1);
    }

  /* a few hundred evaluations over every agent and week, one or two per agent-week */
  g_assert_cmpuint (n_submitted, >=, 250);
  g_assert_cmpuint (n_submitted, <=, 500);
  g_assert_cmpuint (g_hash_table_size (agents), >=, 23);
  g_assert_cmpuint (g_hash_table_size (weeks), >=, 12);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, agent_weeks);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_assert_cmpuint (GPOINTER_TO_UINT (value), <=, 2);
  }
  g_assert_cmpuint (n_chat, >, 0);
  g_assert_cmpuint (n_chat, <, n_submitted / 3);
  /* mostly "me", then the two other inspectors */
  for (guint s = 0; s < 16; s++)
    if (s != me)
      g_assert_cmpuint (by_inspector[s], <, by_inspector[me]);
  {
    guint n_inspectors = 0;

    for (guint s = 0; s < 16; s++)
      if (by_inspector[s] > 0)
        {
          n_inspectors++;
          g_assert_cmpstr (staff[s].roles, ==, "inspector");
        }
    g_assert_cmpuint (n_inspectors, ==, 3);
  }
  g_assert_cmpuint (n_amended, >, 0);
  g_assert_cmpuint (n_amended, <, n_submitted / 8);
  /* the queue of "me": the recorded calls first, some overdue; drafts */
  g_assert_cmpuint (n_recorded, ==, G_N_ELEMENTS (recordings));
  g_assert_cmpuint (n_assigned, >=, 12);
  g_assert_cmpuint (n_assigned, <=, 25);
  g_assert_cmpuint (n_overdue, >=, 1);
  g_assert_cmpuint (n_overdue, <, n_assigned / 2);
  g_assert_cmpuint (n_drafts, >=, 3);
  g_assert_cmpuint (n_drafts, <=, 5);
}

static void
test_review_answers (void)
{
  g_autoptr(AssayDemo) demo = make_demo (6000, 90, ASSAY_DEMO_DEFAULT_SEED);
  g_autoptr(AssayForm) form = make_qa_form ();
  const AssayDemoReview *reviews;
  double agent_sum[32] = { 0 };
  guint agent_n[32] = { 0 };
  double best = -1, worst = 101;
  guint n_reviews, n_submitted = 0, n_fatal = 0, n_na = 0, n_hold_na = 0, n_amended = 0;
  int hold = assay_form_lookup_item (form, "hold_asked");
  int hold_seconds = assay_form_lookup_item (form, "hold_seconds");

  reviews = stream_reviews (demo, &n_reviews);
  for (guint i = 0; i < n_reviews; i++)
    {
      const AssayDemoReview *r = &reviews[i];
      g_autoptr(AssayAnswers) answers = NULL;
      g_autoptr(AssayAnswers) again = NULL;
      g_autoptr(AssayScore) score = NULL;

      if (r->state == ASSAY_DEMO_REVIEW_OPEN)
        continue;
      answers = assay_demo_answer (demo, r, form);
      score = assay_score_compute (answers);
      /* the same review gives the same answers */
      again = assay_demo_answer (demo, r, form);
      g_assert_true (answers_equal (answers, again));

      for (guint k = 0; k < assay_answers_get_n_items (answers); k++)
        {
          const AssayAnswer *a = assay_answers_get (answers, k);

          if (a->comment != NULL)
            g_assert_cmpint (has_cjk (a->comment), ==, r->chinese);
          if (a->text != NULL && assay_form_get_item (form, k)->kind == ASSAY_ITEM_TEXT)
            g_assert_cmpint (has_cjk (a->text), ==, r->chinese);
        }

      if (r->state == ASSAY_DEMO_REVIEW_DRAFT)
        {
          /* about half done */
          g_assert_false (assay_score_is_complete (score));
          g_assert_cmpuint (score->answered + score->na, >, 0);
          continue;
        }

      n_submitted++;
      g_assert_true (assay_score_is_complete (score));
      g_assert_false (isnan (score->overall));
      if (score->fatal_failed->len > 0)
        {
          n_fatal++;
          g_assert_cmpfloat (score->overall, ==, 0);
        }
      n_na += score->na;
      /* the hold items follow the contact */
      if (r->hold_s == 0)
        {
          g_assert_cmpint (assay_answers_get (answers, (guint) hold)->state, ==,
                           ASSAY_ANSWER_NA);
          g_assert_cmpint (assay_answers_get (answers, (guint) hold_seconds)->state, ==,
                           ASSAY_ANSWER_NONE);
          n_hold_na++;
        }
      else
        {
          g_assert_cmpint (assay_answers_get (answers, (guint) hold)->state, ==,
                           ASSAY_ANSWER_VALUE);
          g_assert_cmpfloat (assay_answers_get (answers, (guint) hold_seconds)->value, ==,
                             r->hold_s);
        }
      if (score->fatal_failed->len == 0 && r->agent < 32)
        {
          agent_sum[r->agent] += score->overall;
          agent_n[r->agent]++;
        }

      if (r->amended_by >= 0)
        {
          g_autofree char *reason = NULL;
          g_autoptr(AssayAnswers) amended = assay_demo_amend (demo, r, answers, &reason);
          g_autoptr(AssayScore) amended_score = assay_score_compute (amended);
          guint changed = 0;

          n_amended++;
          g_assert_nonnull (reason);
          g_assert_cmpint (has_cjk (reason), ==, r->chinese);
          g_assert_true (assay_score_is_complete (amended_score));
          for (guint k = 0; k < assay_answers_get_n_items (answers); k++)
            {
              const AssayAnswer *x = assay_answers_get (answers, k);
              const AssayAnswer *y = assay_answers_get (amended, k);

              if (x->state != y->state || x->choice != y->choice || x->value != y->value)
                changed++;
            }
          g_assert_cmpuint (changed, ==, 1);
          g_assert_cmpfloat (amended_score->overall, !=, score->overall);
        }
    }

  g_assert_cmpuint (n_submitted, >=, 250);
  /* a few fatal fails, some N/A */
  g_assert_cmpuint (n_fatal, >=, n_submitted / 100);
  g_assert_cmpuint (n_fatal, <=, n_submitted / 10);
  g_assert_cmpuint (n_na, >, n_submitted / 2);
  g_assert_cmpuint (n_hold_na, >, 0);
  g_assert_cmpuint (n_hold_na, <, n_submitted);
  g_assert_cmpuint (n_amended, >, 0);
  /* agents' skills show in their averages */
  for (guint a = 0; a < 32; a++)
    if (agent_n[a] >= 8)
      {
        double mean = agent_sum[a] / agent_n[a];

        best = MAX (best, mean);
        worst = MIN (worst, mean);
      }
  g_test_message ("agent averages from %.1f to %.1f", worst, best);
  g_assert_cmpfloat (best - worst, >, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demo/people", test_people);
  g_test_add_func ("/demo/distributions", test_distributions);
  g_test_add_func ("/demo/ends-now", test_ends_now);
  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/recordings", test_recordings);
  g_test_add_func ("/demo/small", test_small);
  g_test_add_func ("/demo/reviews", test_reviews);
  g_test_add_func ("/demo/review-answers", test_review_answers);
  return g_test_run ();
}
