/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-demo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/assay-scoring.h"
#include "core/assay-util.h"

/*
 * How the centre is made, so its figures look like a real one's:
 *
 * Volume. Every day gets a weight (weekday pattern, a slow upward trend, day-to-day noise,
 * incident days with a surge on billing or technical queues, bills going out on the 1st–3rd), each
 * queue a share of it, and the requested number of interactions is spread over (day, queue) and
 * then over the day's 15-minute slots by rounding the running total, so the counts add up exactly.
 * Phone and chat are open 08–20 on weekdays, 09–17 on Saturday and 10–16 on Sunday, busiest
 * mid-morning and mid-afternoon; email arrives around the clock.
 *
 * Service level. Each day has a base chance of answering within the queue's threshold: ~88 % on
 * ordinary days, 66–74 % on short-staffed days (~10 % of weekdays) and 42–56 % on incident days
 * (~4.5 %), a little lower at the peaks. Phone calls abandon more when the queue is slow; an
 * abandon within the threshold is a "short abandon" with no service-level outcome (NULL).
 *
 * Quality. Each agent has a speed (handle-time factor) and a quality; a new hire in the last
 * 25 days is slow and weaker, and one agent left 30 days before the end. FCR depends on the queue,
 * the agent and the day; CSAT (answered by 14–35 % of customers, by channel) is skewed to 5 with
 * a tail of 1s from unresolved contacts; NPS follows the CSAT answer.
 */

#define SLOT_MS  (15 * 60 * 1000)
#define N_SLOTS  96
#define DAY_MS   (24 * 60 * 60 * 1000)
#define HOUR_MS  (60 * 60 * 1000)
#define MIN_MS   (60 * 1000)

/* QA work: how many recent calls go to the queue of "me", and how many more become drafts */
#define N_RECENT_ASSIGNED 12
#define N_RECENT_DRAFTS   2
#define N_RECENT          (N_RECENT_ASSIGNED + N_RECENT_DRAFTS)

typedef enum {
  KIND_BILLING,
  KIND_TECH,
  KIND_SALES,
} QueueKind;

typedef enum {
  CURVE_PHONE,
  CURVE_CHAT,
  CURVE_EMAIL,
} Curve;

enum {
  TEAM_BILLING,
  TEAM_TECH,
  TEAM_SALES,
  N_TEAMS
};

typedef struct {
  const char *name;
  const char *channel;
  Curve       curve;
  int         sl_threshold_s;
  double      share;          /* of all contacts */
  QueueKind   kind;
  gboolean    chinese;        /* served by agents who speak Chinese */
  double      talk_median_s;
  double      fcr_base;
  double      team_weight[N_TEAMS];
} QueueModel;

static const QueueModel queue_models[] = {
  { "Billing",           "phone", CURVE_PHONE, 20,    0.16, KIND_BILLING, FALSE, 270, 0.78, { 1, 0, 0 } },
  { "Technical Support", "phone", CURVE_PHONE, 20,    0.17, KIND_TECH,    FALSE, 340, 0.70, { 0, 1, 0 } },
  { "Sales",             "phone", CURVE_PHONE, 15,    0.08, KIND_SALES,   FALSE, 360, 0.82, { 0, 0, 1 } },
  { "账单查询",           "phone", CURVE_PHONE, 20,    0.07, KIND_BILLING, TRUE,  270, 0.77, { 1, 0, 0 } },
  { "技术支持",           "phone", CURVE_PHONE, 20,    0.07, KIND_TECH,    TRUE,  340, 0.69, { 0, 1, 0 } },
  { "Web Chat",          "chat",  CURVE_CHAT,  60,    0.17, KIND_TECH,    FALSE, 210, 0.74, { 0.2, 0.5, 0.3 } },
  { "在线客服",           "chat",  CURVE_CHAT,  60,    0.08, KIND_TECH,    TRUE,  210, 0.73, { 0.4, 0.6, 0 } },
  { "Email Support",     "email", CURVE_EMAIL, 28800, 0.14, KIND_BILLING, FALSE, 480, 0.72, { 0.6, 0.4, 0 } },
  { "邮件支持",           "email", CURVE_EMAIL, 28800, 0.06, KIND_BILLING, TRUE,  480, 0.71, { 0.5, 0.5, 0 } },
};
#define N_QUEUES G_N_ELEMENTS (queue_models)

/* arrivals by hour of a weekday, relative */
static const double curves[3][24] = {
  /* phone: peaks mid-morning and mid-afternoon */
  { 0, 0, 0, 0, 0, 0, 0, 0, 0.60, 1.00, 1.25, 1.20, 0.85, 0.95, 1.15, 1.10, 0.95, 0.75, 0.50,
    0.35, 0, 0, 0, 0 },
  /* chat: flatter, holds up into the evening */
  { 0, 0, 0, 0, 0, 0, 0, 0, 0.40, 0.80, 1.00, 1.00, 1.05, 1.05, 1.05, 1.00, 0.95, 0.90, 0.85,
    0.70, 0, 0, 0, 0 },
  /* email: around the clock */
  { 0.15, 0.10, 0.08, 0.08, 0.10, 0.15, 0.30, 0.55, 0.85, 1.00, 1.05, 1.00, 0.90, 0.95, 1.00,
    0.95, 0.90, 0.80, 0.65, 0.55, 0.50, 0.45, 0.35, 0.25 },
};

/* Monday .. Sunday */
static const double weekday_volume[7] = { 1.22, 1.10, 1.05, 1.00, 0.95, 0.52, 0.38 };

static const char *const team_names[N_TEAMS] = {
  "Billing & Accounts", "Technical Support", "Sales & Retention",
};

typedef enum {
  ROLE_REGULAR,
  ROLE_NEW_HIRE,
  ROLE_LEAVER,
} AgentRole;

static const struct {
  const char *name;
  int         team;
  gboolean    chinese;
  double      capacity;     /* 0.6: part time */
  AgentRole   role;
} agent_seeds[] = {
  { "Wang Fang",      TEAM_BILLING, TRUE,  1.0, ROLE_REGULAR },
  { "李娜",           TEAM_BILLING, TRUE,  1.0, ROLE_REGULAR },
  { "Emily Carter",   TEAM_BILLING, FALSE, 1.0, ROLE_REGULAR },
  { "Chen Jie",       TEAM_BILLING, TRUE,  1.0, ROLE_REGULAR },
  { "Oliver Bennett", TEAM_BILLING, FALSE, 0.6, ROLE_REGULAR },
  { "赵敏",           TEAM_BILLING, TRUE,  1.0, ROLE_REGULAR },
  { "Grace Liu",      TEAM_BILLING, TRUE,  1.0, ROLE_REGULAR },
  { "Daniel Okafor",  TEAM_BILLING, FALSE, 1.0, ROLE_LEAVER },
  { "张伟",           TEAM_TECH,    TRUE,  1.0, ROLE_REGULAR },
  { "Liam O'Connor",  TEAM_TECH,    FALSE, 1.0, ROLE_REGULAR },
  { "Zhang Hao",      TEAM_TECH,    TRUE,  1.0, ROLE_REGULAR },
  { "Priya Sharma",   TEAM_TECH,    FALSE, 1.0, ROLE_REGULAR },
  { "刘洋",           TEAM_TECH,    TRUE,  1.0, ROLE_REGULAR },
  { "Marcus Webb",    TEAM_TECH,    FALSE, 0.6, ROLE_REGULAR },
  { "Sun Yue",        TEAM_TECH,    TRUE,  1.0, ROLE_REGULAR },
  { "Hannah Kim",     TEAM_TECH,    FALSE, 1.0, ROLE_NEW_HIRE },
  { "Jessica Tan",    TEAM_SALES,   TRUE,  1.0, ROLE_REGULAR },
  { "陈晨",           TEAM_SALES,   TRUE,  1.0, ROLE_REGULAR },
  { "Ryan Mitchell",  TEAM_SALES,   FALSE, 1.0, ROLE_REGULAR },
  { "Sophie Turner",  TEAM_SALES,   FALSE, 1.0, ROLE_REGULAR },
  { "Xu Lei",         TEAM_SALES,   TRUE,  1.0, ROLE_REGULAR },
  { "Aisha Rahman",   TEAM_SALES,   FALSE, 1.0, ROLE_REGULAR },
  { "杨帆",           TEAM_SALES,   TRUE,  0.6, ROLE_REGULAR },
  { "Kevin Brooks",   TEAM_SALES,   FALSE, 1.0, ROLE_REGULAR },
};
#define N_AGENTS G_N_ELEMENTS (agent_seeds)

/* the first N_TEAMS are the teams' leads, in team order */
static const struct {
  const char *name;
  const char *roles;
  gboolean    is_me;
} staff_seeds[] = {
  { "Zhou Min",      "lead",          FALSE },
  { "Michael Grant", "lead",          FALSE },
  { "黄丽",          "lead",          FALSE },
  { "Lin Yue",       "inspector",     TRUE },
  { "Priya Nair",    "inspector",     FALSE },
  { "Tom Becker",    "inspector",     FALSE },
  { "Helen Zhao",    "manager,admin", FALSE },
};

/* NPS answer (0..10) weights for each CSAT answer (1..5) */
static const double nps_given_csat[5][11] = {
  { 0.45, 0.20, 0.15, 0.10, 0.05, 0.05, 0, 0, 0, 0, 0 },
  { 0, 0.10, 0.20, 0.30, 0.20, 0.15, 0.05, 0, 0, 0, 0 },
  { 0, 0, 0, 0.05, 0.10, 0.30, 0.30, 0.20, 0.05, 0, 0 },
  { 0, 0, 0, 0, 0, 0, 0.08, 0.30, 0.40, 0.15, 0.07 },
  { 0, 0, 0, 0, 0, 0, 0, 0.04, 0.12, 0.32, 0.52 },
};

typedef enum {
  DAY_ORDINARY,
  DAY_SHORT_STAFFED,
  DAY_INCIDENT,
} DayKind;

typedef struct {
  gint64  start_ms;
  int     weekday;      /* 1 Monday .. 7 Sunday */
  int     mday;
  DayKind kind;
  double  volume;
  double  sl_base;
  double  backlog;      /* slows email first responses */
  int     boost_kind;   /* a QueueKind with a surge, or -1 */
} DayModel;

typedef struct {
  double aht;           /* handle-time factor */
  double quality;       /* -1 .. 1 */
  int    first_day;
  int    last_day;
} AgentModel;

typedef struct {
  gint64  t;
  guint16 queue;
  guint16 slot;
} Pending;

/* a contact kept aside for QA work, with its reservoir key */
typedef struct {
  double          key;
  AssayDemoReview review;
} QaCandidate;

/* the two best-keyed contacts of one agent-week */
typedef struct {
  QaCandidate c[2];
  guint       n;
} QaBucket;

typedef struct {
  int      queue;
  int      agent;       /* -1: any */
  int      target_day;
  int      min_slot;      /* on the target day, not before this time */
  int      talk_s;
  int      hold_s;
  gboolean linked;
} RecordingPlan;

struct _AssayDemo
{
  AssayDemoOptions  options;
  GRand            *rand;
  GRand            *id_rand;
  gint64            start_ms;
  gint64            end_ms;
  guint             customer_pool;

  AssayDemoTeam     teams[N_TEAMS];
  AssayDemoAgent    agents[N_AGENTS];
  AssayDemoStaff    staff[G_N_ELEMENTS (staff_seeds)];
  AssayDemoQueue    queues[N_QUEUES];
  AgentModel        models[N_AGENTS];

  DayModel         *days;
  guint            *counts;       /* n_days × N_QUEUES */

  /* streaming */
  gboolean          started;
  guint             next_day;
  guint             current_day;
  GArray           *pending;      /* Pending, the current day's arrivals in time order */
  guint             pending_pos;
  double            pick[N_QUEUES][N_AGENTS];   /* the current day's routing weights */
  double            pick_total[N_QUEUES];

  GArray           *recordings;   /* RecordingPlan */
  guint             n_linked;

  /* QA work, from a generator of its own so that the interactions do not depend on it */
  GRand            *qa_rand;
  int               week0;        /* weekday of the first day, 0 Monday */
  GHashTable       *buckets;      /* week × 32 + agent → QaBucket */
  GArray           *recent;       /* QaCandidate, calls of the last days, at most N_RECENT */
  GArray           *linked;       /* QaCandidate, the recording-linked calls */
  GArray           *reviews;      /* AssayDemoReview, once the stream has ended */
  gboolean          finished;
};

/* random draws */

static double
draw_normal (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand);   /* (0, 1] */
  double u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static double
draw_lognormal (GRand  *rand,
                double  median,
                double  sigma)
{
  return median * exp (sigma * draw_normal (rand));
}

static double
draw_exponential (GRand  *rand,
                  double  mean)
{
  return -mean * log (1.0 - g_rand_double (rand));
}

static gboolean
draw_chance (GRand  *rand,
             double  p)
{
  return g_rand_double (rand) < p;
}

static int
clamp_round (double v,
             int    lo,
             int    hi)
{
  if (!(v >= lo))      /* also NaN */
    return lo;
  if (v >= hi)
    return hi;
  return (int) floor (v + 0.5);
}

/*
 * Ids are time-ordered UUIDs (RFC 9562 version 7: 48 bits of unix milliseconds, then random
 * bits from the demo's own generator), so they are the same for the same seed, and a million
 * interactions go into the primary-key index in nearly ascending order instead of at random.
 */
static char *
make_id (AssayDemo *self,
         gint64     ms)
{
  guint64 t = (guint64) MAX (ms, 0) & G_GUINT64_CONSTANT (0xffffffffffff);
  guint32 a = g_rand_int (self->id_rand);
  guint32 b = g_rand_int (self->id_rand);
  guint32 c = g_rand_int (self->id_rand);

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x", (guint32) (t >> 16),
                          (guint32) (t & 0xffff), 0x7000u | (a & 0x0fffu),
                          0x8000u | (b & 0x3fffu), (b >> 16) & 0xffffu, c);
}

/* the plan */

static double
hour_weight (Curve curve,
             int   weekday,
             int   hour)
{
  if (curve != CURVE_EMAIL)
    {
      int open = weekday <= 5 ? 8 : weekday == 6 ? 9 : 10;
      int close = weekday <= 5 ? 20 : weekday == 6 ? 17 : 16;

      if (hour < open || hour >= close)
        return 0;
    }
  return curves[curve][hour];
}

/* Weight of @slot of day @d for @curve, cut short at the end of the demo. */
static double
slot_weight (AssayDemo *self,
             guint      d,
             Curve      curve,
             int        slot,
             gint64    *len_ms)
{
  const DayModel *day = &self->days[d];
  gint64 slot_start = day->start_ms + (gint64) slot * SLOT_MS;
  gint64 len = MIN ((gint64) SLOT_MS, self->end_ms - slot_start);
  double w;

  if (len_ms != NULL)
    *len_ms = len;
  if (len <= 0)
    return 0;
  w = hour_weight (curve, day->weekday, slot / 4);
  return w * (double) len / SLOT_MS;
}

static double
day_queue_weight (AssayDemo *self,
                  guint      d,
                  guint      q)
{
  const DayModel *day = &self->days[d];
  const QueueModel *qm = &queue_models[q];
  double w = qm->share * day->volume;
  double open = 0, full = 0;

  if (day->boost_kind == (int) qm->kind)
    w *= 1.8;
  if (qm->kind == KIND_BILLING && day->mday <= 3)
    w *= 1.25;
  for (int s = 0; s < N_SLOTS; s++)
    {
      open += slot_weight (self, d, qm->curve, s, NULL);
      full += hour_weight (qm->curve, day->weekday, s / 4);
    }
  return full > 0 ? w * open / full : 0;
}

static void
plan_days (AssayDemo *self)
{
  guint n_days = self->options.n_days;
  g_autoptr(GDateTime) end_utc = g_date_time_new_from_unix_utc (self->end_ms / 1000);
  g_autoptr(GDateTime) end_local = g_date_time_to_timezone (end_utc, self->options.time_zone);
  g_autoptr(GDateTime) midnight = g_date_time_new (self->options.time_zone,
                                                   g_date_time_get_year (end_local),
                                                   g_date_time_get_month (end_local),
                                                   g_date_time_get_day_of_month (end_local),
                                                   0, 0, 0);
  gint64 midnight_ms = g_date_time_to_unix (midnight) * 1000;
  guint n_incidents, n_short, placed, attempts;
  double total = 0, acc = 0;
  guint prev = 0;

  self->days = g_new0 (DayModel, n_days);
  for (guint d = 0; d < n_days; d++)
    {
      DayModel *day = &self->days[d];
      int back = (int) (n_days - 1 - d);
      g_autoptr(GDateTime) dt = g_date_time_add_days (midnight, -back);

      if (dt != NULL)
        {
          day->start_ms = g_date_time_to_unix (dt) * 1000;
          day->weekday = g_date_time_get_day_of_week (dt);
          day->mday = g_date_time_get_day_of_month (dt);
        }
      else
        {
          day->start_ms = midnight_ms - (gint64) back * DAY_MS;
          day->weekday = 1;
          day->mday = 15;
        }
      day->kind = DAY_ORDINARY;
      day->boost_kind = -1;
    }
  self->start_ms = self->days[0].start_ms;

  /* bad days: weekdays before today, at least one incident in a period of two weeks or more */
  n_incidents = (guint) floor (n_days * 0.045 + 0.5);
  if (n_incidents == 0 && n_days >= 14)
    n_incidents = 1;
  n_short = (guint) floor (n_days * 0.10 + 0.5);
  placed = 0;
  attempts = 0;
  while (n_days > 1 && placed < n_incidents + n_short && attempts++ < n_days * 20)
    {
      DayModel *day = &self->days[g_rand_int_range (self->rand, 0, (gint32) n_days - 1)];

      if (day->weekday > 5 || day->kind != DAY_ORDINARY)
        continue;
      day->kind = placed < n_incidents ? DAY_INCIDENT : DAY_SHORT_STAFFED;
      placed++;
    }

  for (guint d = 0; d < n_days; d++)
    {
      DayModel *day = &self->days[d];
      double trend = 0.95 + 0.10 * d / MAX (1.0, n_days - 1.0);

      day->volume = weekday_volume[day->weekday - 1] * trend * exp (0.07 * draw_normal (self->rand));
      switch (day->kind)
        {
        case DAY_INCIDENT:
          day->volume *= 1.35;
          day->sl_base = 0.42 + 0.14 * g_rand_double (self->rand);
          day->backlog = 2.0;
          day->boost_kind = draw_chance (self->rand, 0.5) ? KIND_TECH : KIND_BILLING;
          break;
        case DAY_SHORT_STAFFED:
          day->sl_base = 0.66 + 0.08 * g_rand_double (self->rand);
          day->backlog = 1.6;
          break;
        case DAY_ORDINARY:
        default:
          /* CLAMP evaluates its argument more than once: draw first */
          day->sl_base = 0.885 + 0.03 * draw_normal (self->rand);
          day->sl_base = CLAMP (day->sl_base, 0.80, 0.95);
          day->backlog = 1.0 + 0.1 * g_rand_double (self->rand);
          break;
        }
      if (day->weekday > 5)
        day->sl_base = MIN (day->sl_base + 0.03, 0.95);
    }

  /* spread the interactions over (day, queue) by rounding the running total */
  self->counts = g_new0 (guint, (gsize) n_days * N_QUEUES);
  for (guint d = 0; d < n_days; d++)
    for (guint q = 0; q < N_QUEUES; q++)
      total += day_queue_weight (self, d, q);
  if (total <= 0)
    return;
  for (guint d = 0; d < n_days; d++)
    for (guint q = 0; q < N_QUEUES; q++)
      {
        guint cur;

        acc += day_queue_weight (self, d, q);
        cur = (guint) floor ((double) self->options.n_interactions * acc / total + 0.5);
        cur = MIN (cur, self->options.n_interactions);
        self->counts[d * N_QUEUES + q] = cur > prev ? cur - prev : 0;
        prev = MAX (prev, cur);
      }
}

static gboolean
agent_works (AssayDemo *self,
             guint      a,
             guint      d)
{
  const AgentModel *m = &self->models[a];
  int weekday = self->days[d].weekday;

  if ((int) d < m->first_day || (int) d > m->last_day)
    return FALSE;
  /* two days off a week, staggered across the team */
  return weekday != (int) (a % 7) + 1 && weekday != (int) ((a + 3) % 7) + 1;
}

static void
plan_routing (AssayDemo *self,
              guint      d)
{
  for (guint q = 0; q < N_QUEUES; q++)
    {
      const QueueModel *qm = &queue_models[q];

      self->pick_total[q] = 0;
      for (guint a = 0; a < N_AGENTS; a++)
        {
          double w = qm->team_weight[agent_seeds[a].team] * agent_seeds[a].capacity;

          if (!agent_works (self, a, d) || (qm->chinese && !agent_seeds[a].chinese))
            w = 0;
          self->pick[q][a] = w;
          self->pick_total[q] += w;
        }
    }
}

static guint
pick_agent (AssayDemo *self,
            guint      q)
{
  double x;

  if (self->pick_total[q] <= 0)
    {
      /* nobody of the queue's teams works today: any agent who does */
      for (guint a = 0; a < N_AGENTS; a++)
        if (agent_works (self, a, self->current_day))
          return a;
      return 0;
    }

  x = g_rand_double (self->rand) * self->pick_total[q];
  for (guint a = 0; a < N_AGENTS; a++)
    {
      if (self->pick[q][a] <= 0)
        continue;
      if (x < self->pick[q][a])
        return a;
      x -= self->pick[q][a];
    }
  for (guint a = N_AGENTS; a-- > 0;)
    if (self->pick[q][a] > 0)
      return a;
  return 0;
}

static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *pa = a;
  const Pending *pb = b;

  if (pa->t != pb->t)
    return pa->t < pb->t ? -1 : 1;
  return (int) pa->queue - (int) pb->queue;
}

static void
plan_day (AssayDemo *self,
          guint      d)
{
  const DayModel *day = &self->days[d];

  g_array_set_size (self->pending, 0);
  self->pending_pos = 0;
  self->current_day = d;
  plan_routing (self, d);

  for (guint q = 0; q < N_QUEUES; q++)
    {
      guint n = self->counts[d * N_QUEUES + q];
      double weights[N_SLOTS];
      gint64 lens[N_SLOTS];
      double total = 0, acc = 0;
      guint prev = 0;

      if (n == 0)
        continue;
      for (int s = 0; s < N_SLOTS; s++)
        {
          weights[s] = slot_weight (self, d, queue_models[q].curve, s, &lens[s]);
          total += weights[s];
        }
      if (total <= 0)
        continue;
      for (int s = 0; s < N_SLOTS; s++)
        {
          guint cur, k;

          if (weights[s] <= 0)
            continue;
          acc += weights[s];
          cur = MIN ((guint) floor ((double) n * acc / total + 0.5), n);
          k = cur > prev ? cur - prev : 0;
          prev = MAX (prev, cur);
          for (guint i = 0; i < k; i++)
            {
              Pending p;
              gint32 len = (gint32) MAX (lens[s], 1);

              p.t = day->start_ms + (gint64) s * SLOT_MS + g_rand_int_range (self->rand, 0, len);
              p.queue = (guint16) q;
              p.slot = (guint16) s;
              g_array_append_val (self->pending, p);
            }
        }
    }

  g_array_sort (self->pending, compare_pending);
}

/* one interaction */

static void
fill_waiting (AssayDemo             *self,
              const QueueModel      *qm,
              double                 p_sl,
              AssayInteractionFacts *facts)
{
  const DayModel *day = &self->days[self->current_day];
  int thr = qm->sl_threshold_s;
  gboolean in_sl = draw_chance (self->rand, p_sl);

  if (in_sl)
    facts->wait_s = clamp_round (thr * pow (g_rand_double (self->rand), 1.5), 0, thr);
  else
    facts->wait_s = clamp_round (thr + 1 + draw_exponential (self->rand,
                                                             thr * (day->sl_base < 0.65 ? 4.0 : 1.5)),
                                 thr + 1, 3600);
  facts->answered_in_sl = in_sl ? 1 : 0;
}

static int
draw_csat (AssayDemo        *self,
           const AgentModel *am,
           gboolean          resolved,
           gboolean          waited_long)
{
  double s;

  /* the unresolved who answer a survey to say so: the tail of 1s real surveys have */
  if (!resolved && draw_chance (self->rand, 0.22))
    return 1;
  s = 4.45 + 0.35 * am->quality + (resolved ? 0.3 : -0.5) - (waited_long ? 0.4 : 0)
      + 0.75 * draw_normal (self->rand);
  if (s >= 4.5)
    return 5;
  if (s >= 3.75)
    return 4;
  if (s >= 2.9)
    return 3;
  if (s >= 1.9)
    return 2;
  return 1;
}

static int
draw_nps (AssayDemo *self,
          int        csat)
{
  double x = g_rand_double (self->rand);

  for (int v = 0; v <= 10; v++)
    {
      x -= nps_given_csat[csat - 1][v];
      if (x < 0)
        return v;
    }
  return 10;
}

static const char *
draw_priority (AssayDemo *self,
               int       *first_target_s,
               int       *resolution_target_s)
{
  double x = g_rand_double (self->rand);

  if (x < 0.05)
    {
      *first_target_s = 3600;
      *resolution_target_s = 8 * 3600;
      return "urgent";
    }
  if (x < 0.20)
    {
      *first_target_s = 4 * 3600;
      *resolution_target_s = 24 * 3600;
      return "high";
    }
  if (x < 0.80)
    {
      *first_target_s = 8 * 3600;
      *resolution_target_s = 48 * 3600;
      return "normal";
    }
  *first_target_s = 24 * 3600;
  *resolution_target_s = 72 * 3600;
  return "low";
}

static int
link_recording (AssayDemo *self,
                guint      q,
                guint      slot,
                guint     *agent)
{
  for (guint i = 0; i < self->recordings->len; i++)
    {
      RecordingPlan *r = &g_array_index (self->recordings, RecordingPlan, i);

      if (r->linked || r->queue != (int) q || (int) self->current_day < r->target_day
          || ((int) self->current_day == r->target_day && (int) slot < r->min_slot))
        continue;
      if (r->agent >= 0 && !agent_works (self, (guint) r->agent, self->current_day))
        continue;
      if (r->agent >= 0)
        *agent = (guint) r->agent;
      r->linked = TRUE;
      self->n_linked++;
      return (int) i;
    }
  return -1;
}

static void
fill (AssayDemo             *self,
      const Pending         *p,
      AssayInteractionFacts *facts,
      int                   *recording,
      guint                 *out_agent)
{
  const DayModel *day = &self->days[self->current_day];
  const QueueModel *qm = &queue_models[p->queue];
  guint agent = pick_agent (self, p->queue);
  const AgentModel *am = &self->models[agent];
  double hw = hour_weight (qm->curve, day->weekday, p->slot / 4);
  double p_sl = CLAMP (day->sl_base - 0.10 * (hw - 1.0), 0.05, 0.98);
  gboolean resolved = FALSE;
  gboolean waited_long = FALSE;
  gboolean surveyed;
  double survey_rate;
  guint pool_index;
  int rec = -1;

  *out_agent = agent;
  facts->id = make_id (self, p->t);
  facts->channel = g_strdup (qm->channel);
  facts->queue = g_strdup (qm->name);
  facts->started_at = p->t;
  pool_index = (guint) (self->customer_pool * pow (g_rand_double (self->rand), 1.6));
  facts->customer_ref = g_strdup_printf ("C-%06u", 100000 + MIN (pool_index, self->customer_pool - 1));

  if (qm->curve == CURVE_PHONE)
    {
      survey_rate = 0.22;
      if (draw_chance (self->rand, 0.02 + 0.2 * (1.0 - p_sl)))
        {
          /* abandoned while queued or ringing; a short abandon has no SL outcome */
          facts->abandoned = 1;
          facts->wait_s = clamp_round (3 + draw_exponential (self->rand, 45), 3, 1800);
          facts->answered_in_sl = facts->wait_s <= qm->sl_threshold_s ? ASSAY_NONE : 0;
          facts->agent_id = g_strdup (self->agents[agent].id);
          facts->team_id = g_strdup (self->agents[agent].team_id);
          return;
        }
      fill_waiting (self, qm, p_sl, facts);
      facts->talk_s = clamp_round (draw_lognormal (self->rand, qm->talk_median_s * am->aht, 0.55),
                                   20, 3600);
      if (draw_chance (self->rand, 0.28))
        facts->hold_s = clamp_round (draw_lognormal (self->rand, 50, 0.75), 5, 900);
      facts->wrap_s = clamp_round (draw_lognormal (self->rand, 35 * am->aht, 0.5), 5, 600);
      waited_long = facts->wait_s > 3 * qm->sl_threshold_s;
    }
  else if (qm->curve == CURVE_CHAT)
    {
      survey_rate = 0.35;
      fill_waiting (self, qm, MIN (p_sl + 0.03, 0.98), facts);
      facts->first_response_s = facts->wait_s
                                + clamp_round (draw_lognormal (self->rand, 8, 0.5), 2, 120);
      facts->first_response_target_s = qm->sl_threshold_s;
      facts->talk_s = clamp_round (draw_lognormal (self->rand, qm->talk_median_s * am->aht, 0.5),
                                   30, 3600);
      facts->wrap_s = clamp_round (draw_lognormal (self->rand, 18, 0.5), 3, 300);
      waited_long = facts->wait_s > 3 * qm->sl_threshold_s;
    }
  else
    {
      int first_target, resolution_target;
      double weekend = day->weekday > 5 ? 1.5 : 1.0;

      survey_rate = 0.14;
      facts->priority = g_strdup (draw_priority (self, &first_target, &resolution_target));
      facts->first_response_target_s = first_target;
      facts->resolution_target_s = resolution_target;
      facts->first_response_s = clamp_round (draw_lognormal (self->rand,
                                                             first_target * 0.35 * day->backlog * weekend,
                                                             0.8),
                                             60, 14 * 24 * 3600);
      facts->talk_s = clamp_round (draw_lognormal (self->rand, qm->talk_median_s * am->aht, 0.6),
                                   60, 5400);
      facts->wrap_s = clamp_round (draw_lognormal (self->rand, 60, 0.5), 10, 900);
      waited_long = facts->first_response_s > first_target;
    }

  resolved = draw_chance (self->rand, qm->fcr_base + 0.07 * am->quality
                                      - (day->sl_base < 0.65 ? 0.04 : 0));
  facts->fcr = resolved ? 1 : 0;
  if (qm->curve == CURVE_EMAIL)
    {
      /* solved by the first answer, or some back and forth later */
      facts->resolution_s = facts->first_response_s;
      if (!resolved)
        facts->resolution_s += clamp_round (draw_lognormal (self->rand,
                                                            facts->resolution_target_s * 0.5, 0.7),
                                            600, 30 * 24 * 3600);
    }

  surveyed = draw_chance (self->rand, survey_rate);
  if (surveyed)
    {
      facts->csat = draw_csat (self, am, resolved, waited_long);
      if (draw_chance (self->rand, 0.75))
        facts->nps = draw_nps (self, facts->csat);
    }

  if (qm->curve == CURVE_PHONE && self->recordings->len > 0)
    {
      rec = link_recording (self, p->queue, p->slot, &agent);
      if (rec >= 0)
        {
          const RecordingPlan *r = &g_array_index (self->recordings, RecordingPlan, rec);

          facts->talk_s = r->talk_s;
          facts->hold_s = r->hold_s;
        }
    }
  *recording = rec;
  *out_agent = agent;

  facts->agent_id = g_strdup (self->agents[agent].id);
  facts->team_id = g_strdup (self->agents[agent].team_id);
}

/* QA work: picking the contacts */

static void
review_clear (gpointer data)
{
  AssayDemoReview *r = data;

  g_clear_pointer (&r->interaction_id, g_free);
  g_clear_pointer (&r->channel, g_free);
}

static void
qa_candidate_clear (gpointer data)
{
  QaCandidate *c = data;

  review_clear (&c->review);
}

static void
qa_bucket_free (gpointer data)
{
  QaBucket *b = data;

  for (guint i = 0; i < b->n; i++)
    qa_candidate_clear (&b->c[i]);
  g_free (b);
}

static void
qa_candidate_set (QaCandidate                 *c,
                  double                       key,
                  guint                        queue,
                  guint                        agent,
                  const AssayInteractionFacts *facts,
                  int                          recording)
{
  AssayDemoReview *r = &c->review;

  memset (c, 0, sizeof *c);
  c->key = key;
  r->interaction_id = g_strdup (facts->id);
  r->channel = g_strdup (facts->channel);
  r->agent = agent;
  r->queue = queue;
  r->chinese = queue_models[queue].chinese;
  r->started_at = facts->started_at;
  r->talk_s = facts->talk_s;
  r->hold_s = facts->hold_s;
  r->resolved = facts->fcr == 1;
  r->recording = recording;
  r->amended_by = -1;
}

/*
 * Every answered call and chat passes here. Those linked to a recording are kept for the queue
 * of "me"; calls of the last three days go through a reservoir for the queue and the drafts;
 * older calls and chats go through a weighted reservoir of two per agent and week (A-Res keys
 * u^(1/w), chats weigh less), from which the evaluations are made.
 */
static void
consider_for_qa (AssayDemo                   *self,
                 guint                        queue,
                 guint                        agent,
                 const AssayInteractionFacts *facts,
                 int                          recording)
{
  const QueueModel *qm = &queue_models[queue];
  gboolean phone = qm->curve == CURVE_PHONE;
  double u, key;

  if (facts->abandoned || qm->curve == CURVE_EMAIL)
    return;

  if (recording >= 0)
    {
      QaCandidate c;

      qa_candidate_set (&c, recording, queue, agent, facts, recording);
      g_array_append_val (self->linked, c);
      return;
    }

  u = 1.0 - g_rand_double (self->qa_rand);     /* (0, 1] */
  if (facts->started_at < self->end_ms - 3 * (gint64) DAY_MS)
    {
      guint week = (self->current_day + (guint) self->week0) / 7;
      gpointer bucket_key = GUINT_TO_POINTER (week * 32 + agent);
      QaBucket *b = g_hash_table_lookup (self->buckets, bucket_key);
      guint slot;

      key = pow (u, phone ? 1.0 : 1.0 / 0.3);
      if (b == NULL)
        {
          b = g_new0 (QaBucket, 1);
          g_hash_table_insert (self->buckets, bucket_key, b);
        }
      if (b->n < G_N_ELEMENTS (b->c))
        slot = b->n++;
      else
        {
          slot = b->c[0].key < b->c[1].key ? 0 : 1;
          if (key <= b->c[slot].key)
            return;
          qa_candidate_clear (&b->c[slot]);
        }
      qa_candidate_set (&b->c[slot], key, queue, agent, facts, -1);
    }
  else if (phone && facts->started_at < self->end_ms - 2 * (gint64) HOUR_MS)
    {
      QaCandidate c;
      guint slot = 0;

      key = u;
      if (self->recent->len >= N_RECENT)
        {
          for (guint i = 1; i < self->recent->len; i++)
            if (g_array_index (self->recent, QaCandidate, i).key
                < g_array_index (self->recent, QaCandidate, slot).key)
              slot = i;
          if (key <= g_array_index (self->recent, QaCandidate, slot).key)
            return;
          g_array_remove_index_fast (self->recent, slot);
        }
      qa_candidate_set (&c, key, queue, agent, facts, -1);
      g_array_append_val (self->recent, c);
    }
}

/* QA work: who did it, and when */

static guint
staff_index_of_me (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (staff_seeds); i++)
    if (staff_seeds[i].is_me)
      return i;
  return 0;
}

/* "me" and the other inspectors; Chinese contacts mostly go to "me" */
static guint
pick_inspector (AssayDemo *self,
                gboolean   chinese)
{
  guint me = staff_index_of_me ();
  guint others[G_N_ELEMENTS (staff_seeds)];
  guint n_others = 0;

  for (guint i = 0; i < G_N_ELEMENTS (staff_seeds); i++)
    if (i != me && strcmp (staff_seeds[i].roles, "inspector") == 0)
      others[n_others++] = i;
  if (n_others == 0 || draw_chance (self->qa_rand, chinese ? 0.7 : 0.4))
    return me;
  return others[g_rand_int_range (self->qa_rand, 0, (gint32) n_others)];
}

static gint64
draw_span (AssayDemo *self,
           double     median_ms,
           double     sigma,
           gint64     lo,
           gint64     hi)
{
  double v = draw_lognormal (self->qa_rand, median_ms, sigma);

  return (gint64) CLAMP (v, (double) lo, (double) hi);
}

static gint64
draw_between (AssayDemo *self,
              gint64     lo,
              gint64     hi)
{
  if (hi <= lo)
    return lo;
  return lo + (gint64) (g_rand_double (self->qa_rand) * (double) (hi - lo));
}

static void
plan_submitted (AssayDemo       *self,
                AssayDemoReview *r)
{
  gint64 latest = self->end_ms - 2 * (gint64) HOUR_MS;
  gint64 call_end = r->started_at + (gint64) r->talk_s * 1000;

  r->state = ASSAY_DEMO_REVIEW_SUBMITTED;
  r->inspector = pick_inspector (self, r->chinese);
  /* QA lags the calls by a day or two */
  r->created_at = call_end + draw_span (self, 1.3 * DAY_MS, 0.8, 20 * (gint64) MIN_MS,
                                        6 * (gint64) DAY_MS);
  if (r->created_at > latest)
    {
      gint64 back = draw_between (self, 0, 8 * (gint64) HOUR_MS);

      r->created_at = MAX (call_end + 20 * (gint64) MIN_MS, latest - back);
    }
  r->updated_at = r->created_at + draw_span (self, 9.0 * MIN_MS, 0.45, 3 * (gint64) MIN_MS,
                                             40 * (gint64) MIN_MS);

  /* about one in twenty is amended later by the agent's team lead */
  r->amended_by = -1;
  if (draw_chance (self->qa_rand, 0.06))
    {
      gint64 at = r->updated_at + draw_span (self, 2.0 * DAY_MS, 0.6, 2 * (gint64) HOUR_MS,
                                             10 * (gint64) DAY_MS);
      gint64 back = draw_between (self, 0, (gint64) HOUR_MS);

      at = MIN (at, self->end_ms - 40 * (gint64) MIN_MS - back);
      if (at > r->updated_at + 10 * (gint64) MIN_MS)
        {
          r->amended_by = agent_seeds[r->agent].team;   /* leads are the first staff */
          r->amended_at = at;
        }
    }
}

static void
plan_draft (AssayDemo       *self,
            AssayDemoReview *r)
{
  gint64 earliest = MAX (r->started_at + (gint64) r->talk_s * 1000 + 5 * (gint64) MIN_MS,
                         r->assigned ? r->assigned_at + (gint64) MIN_MS : 0);

  r->state = ASSAY_DEMO_REVIEW_DRAFT;
  r->inspector = staff_index_of_me ();
  r->created_at = self->end_ms - draw_between (self, 50 * (gint64) MIN_MS, 5 * (gint64) HOUR_MS);
  r->created_at = MIN (MAX (r->created_at, earliest), self->end_ms - 31 * (gint64) MIN_MS);
  r->updated_at = r->created_at + draw_between (self, 2 * (gint64) MIN_MS, 25 * (gint64) MIN_MS);
  r->updated_at = MIN (r->updated_at, self->end_ms - (gint64) MIN_MS);
}

/*
 * The centre assigns the recorded calls first (the earliest due, two of them overdue), then the
 * recent ones, due over the next week, one of them overdue.
 */
static void
plan_assigned (AssayDemo       *self,
               AssayDemoReview *r,
               guint            n_before,
               gboolean         recorded)
{
  gint64 call_end = r->started_at + (gint64) r->talk_s * 1000;
  gint64 hours;

  r->assigned = TRUE;
  r->state = ASSAY_DEMO_REVIEW_OPEN;
  r->inspector = staff_index_of_me ();
  r->assigned_at = call_end + draw_span (self, 1.5 * HOUR_MS, 0.6, 5 * (gint64) MIN_MS,
                                         DAY_MS);
  r->assigned_at = MAX (MIN (r->assigned_at, self->end_ms - 40 * (gint64) MIN_MS),
                        r->started_at + (gint64) MIN_MS);
  if (recorded)
    hours = (gint64) n_before * 8 - 10;
  else if (n_before == 3)
    hours = -26;
  else
    hours = 30 + (gint64) n_before * 10;
  r->due_at = self->end_ms + hours * HOUR_MS + draw_between (self, 0, 50 * (gint64) MIN_MS);
  r->due_at = MAX (r->due_at, r->assigned_at + (gint64) HOUR_MS);
}

static int
compare_candidate_key (gconstpointer a,
                       gconstpointer b)
{
  const QaCandidate *ca = a;
  const QaCandidate *cb = b;

  if (ca->key != cb->key)
    return ca->key > cb->key ? -1 : 1;
  return strcmp (ca->review.interaction_id, cb->review.interaction_id);
}

static int
compare_review_start (gconstpointer a,
                      gconstpointer b)
{
  const AssayDemoReview *ra = a;
  const AssayDemoReview *rb = b;

  if (ra->started_at != rb->started_at)
    return ra->started_at < rb->started_at ? -1 : 1;
  return strcmp (ra->interaction_id, rb->interaction_id);
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint ua = *(const guint *) a;
  guint ub = *(const guint *) b;

  return ua < ub ? -1 : ua > ub;
}

/* moves the review out of @c, which is left empty */
static AssayDemoReview
take_review (QaCandidate *c)
{
  AssayDemoReview r = c->review;

  memset (&c->review, 0, sizeof c->review);
  return r;
}

static void
finish_reviews (AssayDemo *self)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) submitted = g_array_new (FALSE, TRUE, sizeof (AssayDemoReview));
  GHashTableIter iter;
  gpointer key;
  guint n_assigned = 0;

  self->finished = TRUE;

  /* one evaluation per agent-week, a second one now and then, in a fixed order */
  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint k = GPOINTER_TO_UINT (key);

      g_array_append_val (keys, k);
    }
  g_array_sort (keys, compare_guint);
  for (guint k = 0; k < keys->len; k++)
    {
      QaBucket *b = g_hash_table_lookup (self->buckets,
                                         GUINT_TO_POINTER (g_array_index (keys, guint, k)));

      qsort (b->c, b->n, sizeof b->c[0], compare_candidate_key);
      for (guint i = 0; i < b->n; i++)
        {
          AssayDemoReview r;

          if (i > 0 && !draw_chance (self->qa_rand, 0.25))
            break;
          r = take_review (&b->c[i]);
          g_array_append_val (submitted, r);
        }
    }
  g_array_sort (submitted, compare_review_start);
  for (guint i = 0; i < submitted->len; i++)
    {
      AssayDemoReview r = g_array_index (submitted, AssayDemoReview, i);

      plan_submitted (self, &r);
      g_array_append_val (self->reviews, r);
    }
  g_hash_table_remove_all (self->buckets);

  /* the queue of "me": the recorded calls, then the recent ones */
  g_array_sort (self->linked, compare_candidate_key);
  for (guint i = self->linked->len; i-- > 0;)
    {
      AssayDemoReview r = take_review (&g_array_index (self->linked, QaCandidate, i));

      plan_assigned (self, &r, n_assigned++, TRUE);
      g_array_append_val (self->reviews, r);
    }
  g_array_sort (self->recent, compare_candidate_key);
  for (guint i = 0; i < self->recent->len; i++)
    {
      AssayDemoReview r = take_review (&g_array_index (self->recent, QaCandidate, i));

      if (i < N_RECENT_ASSIGNED)
        plan_assigned (self, &r, i, FALSE);
      /* two of the assigned calls and two others are being scored */
      if (i < N_RECENT_DRAFTS || i >= N_RECENT_ASSIGNED)
        plan_draft (self, &r);
      g_array_append_val (self->reviews, r);
    }
  g_array_set_size (self->linked, 0);
  g_array_set_size (self->recent, 0);
}

/* QA work: the answers */

typedef struct {
  const char *id;
  const char *en;
  const char *zh;
} ItemComment;

/* comments on deductions, for the items of the demo scorecards */
static const ItemComment item_comments[] = {
  { "greeting",             "Skipped the company name in the greeting.", NULL },
  { "greeting_standard",    NULL, "开场白未报工号。" },
  { "greeting_timely",      NULL, "接通后约 6 秒才开口问候。" },
  { "closing_standard",     NULL, "未确认客户是否还有其他问题。" },
  { "closing_hangup",       NULL, "客户未挂机坐席即先挂断。" },
  { "identity_verified",    NULL, "未核实身份即办理账户业务。" },
  { "identity_privacy",     NULL, "核实前向来电人透露了套餐信息。" },
  { "listening",            NULL, "多次打断客户陈述，未复述确认需求。" },
  { "empathy_expression",   NULL, "客户情绪激动时未做安抚，语气机械。" },
  { "tone",                 NULL, "语气平淡，语速偏快，略显不耐烦。" },
  { "resolution_result",    NULL, "未能一次解决，后续处理时限未向客户讲清。" },
  { "info_accurate",        NULL, "对退订规则的解释不准确。" },
  { "ticket_followup",      NULL, "需后续跟进但未登记工单。" },
  { "hold_permission",      "Put the customer on hold without asking first.",
                            "保持前未征得客户同意。" },
  { "hold_thanks",          NULL, "恢复通话时未致谢。" },
  { "hold_duration",        NULL, "保持超过 60 秒未回线致歉。" },
  { "disclosure_recording", NULL, "未告知客户通话录音（红线项）。" },
  { "disclosure_fees",      NULL, "推荐套餐时未披露违约金及退订方式（红线项）。" },
  { "service_taboo",        NULL, "出现“这个不归我们管”等推诿用语。" },
  { "verified_identity",    "Discussed the account before verifying the caller.", NULL },
  { "reason_confirmed",     "Did not restate the reason for the call.", NULL },
  { "active_listening",     "Talked over the customer twice; no summary before solving.", NULL },
  { "empathy",              "No acknowledgement when the customer was frustrated.", NULL },
  { "probing",              "Jumped to a fix without asking what had changed.", NULL },
  { "outcome",              "Not fully resolved; the follow-up was left vague.", NULL },
  { "accurate_information", "Quoted the wrong refund timeline.", NULL },
  { "next_steps",           "Did not say when the customer would hear back.", NULL },
  { "recorded_line",        "No recorded-line disclosure (auto-fail).", NULL },
  { "card_data",            "Read back the full card number.", NULL },
  { "hold_checkin",         "Long hold with no check-in.", NULL },
  { "closing",              "No offer of further help at the end.", NULL },
};

static const char *const generic_comments_en[] = {
  "Missed on this call; went over it with the agent.",
  "Below the standard here, see the coaching note.",
  "Partly done; needs to be consistent on every call.",
};

static const char *const generic_comments_zh[] = {
  "本项未达标，已与坐席沟通。",
  "执行不到位，需加强培训。",
  "部分完成，需保持规范。",
};

static const char *const bonus_comment_en = "No extra mile on this call.";
static const char *const bonus_comment_zh = "本通无额外加分表现。";

static const char *const notes_low_en[] = {
  "Coaching session booked: verification and hold etiquette.",
  "Went through the recording with the agent; they agreed with the misses.",
};

static const char *const notes_low_zh[] = {
  "已安排一对一辅导，重点：身份核实与保持礼仪。",
  "已与坐席复盘本通录音，坐席认可扣分项。",
};

static const char *const notes_high_en[] = {
  "Strong call, shared with the team as an example.",
  "Clear and friendly throughout.",
};

static const char *const notes_high_zh[] = {
  "整体表现优秀，可作为团队案例分享。",
  "服务热情，解答清晰。",
};

static const char *
pick_string (GRand             *rand,
             const char *const *list,
             guint              n)
{
  return list[g_rand_int_range (rand, 0, (gint32) n)];
}

static const char *
deduction_comment (const AssayItem *item,
                   gboolean         chinese,
                   GRand           *rand)
{
  for (guint i = 0; i < G_N_ELEMENTS (item_comments); i++)
    if (strcmp (item_comments[i].id, item->id) == 0)
      {
        const char *text = chinese ? item_comments[i].zh : item_comments[i].en;

        if (text != NULL)
          return text;
      }
  if (chinese)
    return pick_string (rand, generic_comments_zh, G_N_ELEMENTS (generic_comments_zh));
  return pick_string (rand, generic_comments_en, G_N_ELEMENTS (generic_comments_en));
}

/* each review has its own generator, so answers do not depend on the order they are asked in */
static GRand *
review_rand (AssayDemo             *self,
             const AssayDemoReview *review,
             guint32                purpose)
{
  guint32 h = g_str_hash (review->interaction_id != NULL ? review->interaction_id : "");

  return g_rand_new_with_seed (self->options.seed ^ (h * 2654435761u) ^ (purpose * 0x85ebca6bu));
}

static double
logistic (double x)
{
  return 1.0 / (1.0 + exp (-x));
}

static gboolean
id_has (const AssayItem *item,
        const char      *word)
{
  return strstr (item->id, word) != NULL;
}

/* whether an item that allows N/A does not apply to this contact */
static gboolean
draw_na (const AssayItem       *item,
         const AssayDemoReview *review,
         GRand                 *rand)
{
  gboolean chat = g_strcmp0 (review->channel, "chat") == 0;

  if (id_has (item, "hold"))
    return review->hold_s == 0;
  if (id_has (item, "fee"))
    return draw_chance (rand, 0.75);
  if (id_has (item, "follow") || id_has (item, "next_step"))
    return draw_chance (rand, review->resolved ? 0.6 : 0.05);
  if (id_has (item, "identity") || id_has (item, "verif"))
    return draw_chance (rand, 0.15);
  if (id_has (item, "hangup"))
    return chat || draw_chance (rand, 0.05);
  if (id_has (item, "card"))
    return draw_chance (rand, 0.3);
  return draw_chance (rand, 0.08);
}

/* option indexes of a choice item, best first */
static void
options_by_points (const AssayItem *item,
                   guint           *order,
                   guint            n)
{
  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0; j--)
      {
        const AssayOption *a = g_ptr_array_index (item->options, order[j - 1]);
        const AssayOption *b = g_ptr_array_index (item->options, order[j]);
        guint t;

        if (a->points >= b->points)
          break;
        t = order[j - 1];
        order[j - 1] = order[j];
        order[j] = t;
      }
}

static void
answer_choice (AssayAnswers          *answers,
               const AssayItem       *item,
               const AssayDemoReview *review,
               double                 perf,
               GRand                 *rand)
{
  guint n = item->options->len;
  guint order[ASSAY_FORM_MAX_OPTIONS];
  const AssayOption *best;
  guint rank;

  options_by_points (item, order, n);
  best = g_ptr_array_index (item->options, order[0]);
  if (best->points <= 0)
    {
      /* a pure deduction ("rude remark"): mostly nothing to deduct */
      if (draw_chance (rand, CLAMP (0.93 + 0.04 * perf, 0.8, 0.99)))
        rank = 0;
      else
        rank = draw_chance (rand, 0.8) ? 1 : 2;
    }
  else if (id_has (item, "resolution") || id_has (item, "outcome"))
    {
      if (review->resolved)
        rank = draw_chance (rand, CLAMP (0.88 + 0.05 * perf, 0.7, 0.98)) ? 0 : 1;
      else
        rank = draw_chance (rand, 0.55) ? 1 : draw_chance (rand, 0.5) ? 2 : 3;
    }
  else
    {
      double s = 0.78 + 0.2 * perf + 0.25 * draw_normal (rand);

      s = CLAMP (s, 0.0, 0.999);

      rank = (guint) floor ((1.0 - s) * n);
    }
  rank = MIN (rank, n - 1);
  assay_answers_set_choice (answers, item->index, (int) order[rank], NULL);
}

static void
answer_item (AssayAnswers          *answers,
             const AssayForm       *form,
             const AssayItem       *item,
             const AssayDemoReview *review,
             double                 perf,
             int                    fatal_fail,
             GRand                 *rand)
{
  const AssaySection *section = g_ptr_array_index (form->sections, item->section);
  double s, p;

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      if (item->fatal && (int) item->index == fatal_fail)
        {
          assay_answers_set_choice (answers, item->index, 1, NULL);
          return;
        }
      if (item->allow_na && draw_na (item, review, rand))
        {
          assay_answers_set_na (answers, item->index, NULL);
          return;
        }
      if (item->fatal)
        p = 1.0;
      else if (section->bonus)
        p = CLAMP (0.12 + 0.12 * perf, 0.02, 0.4);
      else
        p = logistic (2.4 + 1.6 * perf + (item->fail_section ? 0.6 : 0));
      assay_answers_set_choice (answers, item->index, draw_chance (rand, p) ? 0 : 1, NULL);
      break;

    case ASSAY_ITEM_SCALE:
    case ASSAY_ITEM_POINTS:
      if (item->allow_na && draw_chance (rand, 0.05))
        {
          assay_answers_set_na (answers, item->index, NULL);
          return;
        }
      s = 0.74 + 0.2 * perf + 0.22 * draw_normal (rand);
      s = CLAMP (s, 0.0, 1.0);
      if (item->kind == ASSAY_ITEM_SCALE)
        assay_answers_set_value (answers, item->index,
                                 item->min + floor (s * (item->max - item->min) + 0.5), NULL);
      else
        assay_answers_set_value (answers, item->index,
                                 item->min + floor (s * (item->max - item->min) * 2 + 0.5) / 2,
                                 NULL);
      break;

    case ASSAY_ITEM_SINGLE_CHOICE:
      if (item->allow_na && draw_chance (rand, 0.05))
        assay_answers_set_na (answers, item->index, NULL);
      else
        answer_choice (answers, item, review, perf, rand);
      break;

    case ASSAY_ITEM_MULTIPLE_CHOICE:
      {
        guint64 bits = 0;

        for (guint o = 0; o < item->options->len; o++)
          {
            const AssayOption *option = g_ptr_array_index (item->options, o);

            if (draw_chance (rand, option->points > 0 ? CLAMP (0.7 + 0.2 * perf, 0.2, 0.95)
                                                      : 0.05))
              bits |= G_GUINT64_CONSTANT (1) << o;
          }
        assay_answers_set_choices (answers, item->index, bits, NULL);
      }
      break;

    case ASSAY_ITEM_NUMBER:
      if (id_has (item, "hold") && review->hold_s > 0
          && (!item->has_min || review->hold_s >= item->min)
          && (!item->has_max || review->hold_s <= item->max))
        assay_answers_set_value (answers, item->index, review->hold_s, NULL);
      break;

    case ASSAY_ITEM_DATE:
      if (!review->resolved && draw_chance (rand, 0.5))
        {
          g_autoptr(GDateTime) call = g_date_time_new_from_unix_utc (review->started_at / 1000);
          g_autoptr(GDateTime) back = call ? g_date_time_add_days (call, 2) : NULL;
          g_autofree char *date = back ? g_date_time_format (back, "%Y-%m-%d") : NULL;

          if (date != NULL)
            assay_answers_set_text (answers, item->index, date, NULL);
        }
      break;

    case ASSAY_ITEM_TEXT:   /* written last, once the score is known */
    default:
      break;
    }
}

/* how well the agent did on this contact: their skill, the contact's outcome and chance */
static double
draw_performance (AssayDemo             *self,
                  const AssayDemoReview *review,
                  GRand                 *rand)
{
  double quality = review->agent < N_AGENTS ? self->models[review->agent].quality : 0;

  return 0.8 * quality + 0.35 * draw_normal (rand) + (review->resolved ? 0.1 : -0.25);
}

/* a fatal item to fail on this contact, or -1: about 3–5 % of contacts, more for weaker agents */
static int
draw_fatal_fail (const AssayForm *form,
                 double           perf,
                 GRand           *rand)
{
  guint n = assay_form_get_n_items (form);
  int yes_no = -1, yes_no_na = -1;

  if (!draw_chance (rand, CLAMP (0.038 - 0.03 * perf, 0.01, 0.09)))
    return -1;
  for (guint i = 0; i < n; i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);

      if (!item->fatal)
        continue;
      if (item->kind == ASSAY_ITEM_YES_NO && yes_no < 0)
        yes_no = (int) i;
      else if (item->kind == ASSAY_ITEM_YES_NO_NA && yes_no_na < 0)
        yes_no_na = (int) i;
    }
  if (yes_no >= 0 && yes_no_na >= 0)
    return draw_chance (rand, 0.3) ? yes_no_na : yes_no;
  return yes_no >= 0 ? yes_no : yes_no_na;
}

static void
comment_deductions (AssayAnswers          *answers,
                    const AssayDemoReview *review,
                    GRand                 *rand)
{
  AssayForm *form = assay_answers_get_form (answers);
  guint n = assay_form_get_n_items (form);

  for (guint i = 0; i < n; i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      const AssaySection *section = g_ptr_array_index (form->sections, item->section);
      const AssayAnswer *answer = assay_answers_get (answers, i);
      gboolean fatal_no = item->fatal && answer->state == ASSAY_ANSWER_VALUE && answer->choice == 1;

      if (answer->state != ASSAY_ANSWER_VALUE || !assay_item_kind_is_scored (item->kind))
        continue;
      if (!fatal_no && !assay_answer_needs_comment (item, answer))
        continue;
      if (section->bonus)
        assay_answers_set_comment (answers, i, review->chinese ? bonus_comment_zh
                                                               : bonus_comment_en);
      else
        assay_answers_set_comment (answers, i, deduction_comment (item, review->chinese, rand));
    }
}

static void
write_notes (AssayAnswers          *answers,
             const AssayDemoReview *review,
             GRand                 *rand)
{
  AssayForm *form = assay_answers_get_form (answers);
  g_autoptr(AssayScore) score = assay_score_compute (answers);
  gboolean low = score->fatal_failed->len > 0 || !(score->overall >= 85);
  guint n = assay_form_get_n_items (form);

  for (guint i = 0; i < n; i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      const char *text;

      if (item->kind != ASSAY_ITEM_TEXT || !draw_chance (rand, low ? 0.8 : 0.3))
        continue;
      if (review->chinese)
        text = low ? pick_string (rand, notes_low_zh, G_N_ELEMENTS (notes_low_zh))
                   : pick_string (rand, notes_high_zh, G_N_ELEMENTS (notes_high_zh));
      else
        text = low ? pick_string (rand, notes_low_en, G_N_ELEMENTS (notes_low_en))
                   : pick_string (rand, notes_high_en, G_N_ELEMENTS (notes_high_en));
      assay_answers_set_text (answers, i, text, NULL);
    }
}

/* the best answer an item can get; %FALSE when it has none (not scored) */
static gboolean
answer_best (AssayAnswers    *answers,
             const AssayItem *item)
{
  guint order[ASSAY_FORM_MAX_OPTIONS];
  guint64 bits = 0;

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      return assay_answers_set_choice (answers, item->index, 0, NULL);
    case ASSAY_ITEM_SCALE:
    case ASSAY_ITEM_POINTS:
      return assay_answers_set_value (answers, item->index, item->max, NULL);
    case ASSAY_ITEM_SINGLE_CHOICE:
      options_by_points (item, order, item->options->len);
      return assay_answers_set_choice (answers, item->index, (int) order[0], NULL);
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      for (guint o = 0; o < item->options->len; o++)
        if (((const AssayOption *) g_ptr_array_index (item->options, o))->points > 0)
          bits |= G_GUINT64_CONSTANT (1) << o;
      return assay_answers_set_choices (answers, item->index, bits, NULL);
    case ASSAY_ITEM_NUMBER:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return FALSE;
    }
}

/* setup */

static void
make_people (AssayDemo *self)
{
  guint n_days = self->options.n_days;

  for (guint i = 0; i < G_N_ELEMENTS (staff_seeds); i++)
    {
      self->staff[i].id = make_id (self, self->start_ms);
      self->staff[i].name = g_strdup (staff_seeds[i].name);
      self->staff[i].roles = g_strdup (staff_seeds[i].roles);
      self->staff[i].is_me = staff_seeds[i].is_me;
    }
  for (guint t = 0; t < N_TEAMS; t++)
    {
      self->teams[t].id = make_id (self, self->start_ms);
      self->teams[t].name = g_strdup (team_names[t]);
      self->teams[t].lead_id = g_strdup (self->staff[t].id);
    }
  for (guint a = 0; a < N_AGENTS; a++)
    {
      AgentModel *m = &self->models[a];

      self->agents[a].id = make_id (self, self->start_ms);
      self->agents[a].team_id = g_strdup (self->teams[agent_seeds[a].team].id);
      self->agents[a].name = g_strdup (agent_seeds[a].name);
      self->agents[a].employee_code = g_strdup_printf ("E%04u", 1001 + a);
      self->agents[a].active = agent_seeds[a].role != ROLE_LEAVER;

      /* CLAMP evaluates its argument more than once: draw first */
      m->aht = exp (0.15 * draw_normal (self->rand));
      m->aht = CLAMP (m->aht, 0.75, 1.35);
      m->quality = 0.5 * draw_normal (self->rand);
      m->quality = CLAMP (m->quality, -1.0, 1.0);
      m->first_day = 0;
      m->last_day = (int) n_days - 1;
      if (agent_seeds[a].role == ROLE_NEW_HIRE)
        {
          m->aht = 1.35;
          m->quality = -0.7;
          m->first_day = MAX (0, (int) n_days - 25);
        }
      else if (agent_seeds[a].role == ROLE_LEAVER)
        m->last_day = (int) n_days - 31;   /* -1 or less: not in this period at all */
    }
  for (guint q = 0; q < N_QUEUES; q++)
    {
      self->queues[q].name = g_strdup (queue_models[q].name);
      self->queues[q].channel = g_strdup (queue_models[q].channel);
      self->queues[q].sl_threshold_s = queue_models[q].sl_threshold_s;
      self->queues[q].chinese = queue_models[q].chinese;
    }
}

void
assay_demo_options_init (AssayDemoOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_interactions = ASSAY_DEMO_DEFAULT_INTERACTIONS;
  options->n_days = ASSAY_DEMO_DEFAULT_DAYS;
  options->seed = ASSAY_DEMO_DEFAULT_SEED;
}

AssayDemo *
assay_demo_new (const AssayDemoOptions *options)
{
  AssayDemo *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->n_days >= 1 && options->n_days <= ASSAY_DEMO_MAX_DAYS, NULL);

  self = g_new0 (AssayDemo, 1);
  self->options = *options;
  self->options.time_zone = options->time_zone != NULL ? g_time_zone_ref (options->time_zone)
                                                       : g_time_zone_new_local ();
  self->end_ms = options->end_ms > 0 ? options->end_ms : assay_now_ms ();
  self->rand = g_rand_new_with_seed (options->seed);
  self->id_rand = g_rand_new_with_seed (options->seed ^ 0x9e3779b9u);
  self->customer_pool = MAX (500u, (guint) (options->n_interactions * 0.55));
  self->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  self->recordings = g_array_new (FALSE, TRUE, sizeof (RecordingPlan));
  self->qa_rand = g_rand_new_with_seed (options->seed ^ 0x51a7e5u);
  self->buckets = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, qa_bucket_free);
  self->recent = g_array_new (FALSE, TRUE, sizeof (QaCandidate));
  self->linked = g_array_new (FALSE, TRUE, sizeof (QaCandidate));
  self->reviews = g_array_new (FALSE, TRUE, sizeof (AssayDemoReview));
  g_array_set_clear_func (self->recent, qa_candidate_clear);
  g_array_set_clear_func (self->linked, qa_candidate_clear);
  g_array_set_clear_func (self->reviews, review_clear);

  plan_days (self);
  self->week0 = self->days[0].weekday - 1;
  make_people (self);
  return self;
}

void
assay_demo_free (AssayDemo *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->staff); i++)
    {
      g_free (self->staff[i].id);
      g_free (self->staff[i].name);
      g_free (self->staff[i].roles);
    }
  for (guint i = 0; i < N_TEAMS; i++)
    {
      g_free (self->teams[i].id);
      g_free (self->teams[i].name);
      g_free (self->teams[i].lead_id);
    }
  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_free (self->agents[i].id);
      g_free (self->agents[i].team_id);
      g_free (self->agents[i].name);
      g_free (self->agents[i].employee_code);
    }
  for (guint i = 0; i < N_QUEUES; i++)
    {
      g_free (self->queues[i].name);
      g_free (self->queues[i].channel);
    }
  g_free (self->days);
  g_free (self->counts);
  g_array_unref (self->pending);
  g_array_unref (self->recordings);
  g_hash_table_unref (self->buckets);
  g_array_unref (self->recent);
  g_array_unref (self->linked);
  g_array_unref (self->reviews);
  g_rand_free (self->qa_rand);
  g_rand_free (self->rand);
  g_rand_free (self->id_rand);
  g_time_zone_unref (self->options.time_zone);
  g_free (self);
}

const AssayDemoTeam *
assay_demo_get_teams (AssayDemo *self,
                      guint     *n_teams)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_teams != NULL)
    *n_teams = N_TEAMS;
  return self->teams;
}

const AssayDemoAgent *
assay_demo_get_agents (AssayDemo *self,
                       guint     *n_agents)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_agents != NULL)
    *n_agents = N_AGENTS;
  return self->agents;
}

const AssayDemoStaff *
assay_demo_get_staff (AssayDemo *self,
                      guint     *n_staff)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_staff != NULL)
    *n_staff = G_N_ELEMENTS (self->staff);
  return self->staff;
}

const AssayDemoQueue *
assay_demo_get_queues (AssayDemo *self,
                       guint     *n_queues)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_queues != NULL)
    *n_queues = N_QUEUES;
  return self->queues;
}

gint64
assay_demo_get_start_ms (AssayDemo *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->start_ms;
}

gint64
assay_demo_get_end_ms (AssayDemo *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->end_ms;
}

static int
guess_queue (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name != NULL ? name : "", -1);
  gboolean chinese = g_str_has_prefix (lower, "zh");
  QueueKind kind = KIND_TECH;

  if (strstr (lower, "bill") || strstr (lower, "refund") || strstr (lower, "charge")
      || strstr (lower, "payment") || strstr (lower, "invoice"))
    kind = KIND_BILLING;
  else if (strstr (lower, "sale") || strstr (lower, "upgrade") || strstr (lower, "offer")
           || strstr (lower, "renew"))
    kind = KIND_SALES;
  /* there is no Chinese sales line: those calls go to 账单查询 */
  if (chinese && kind == KIND_SALES)
    kind = KIND_BILLING;

  for (guint q = 0; q < N_QUEUES; q++)
    if (queue_models[q].curve == CURVE_PHONE && queue_models[q].kind == kind
        && queue_models[q].chinese == chinese)
      return (int) q;
  return 0;
}

guint
assay_demo_add_recording (AssayDemo                *self,
                          const AssayDemoRecording *recording)
{
  RecordingPlan plan = { 0 };
  guint n_days;
  int duration;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (recording != NULL, 0);
  g_return_val_if_fail (!self->started, 0);

  n_days = self->options.n_days;
  plan.queue = -1;
  for (guint q = 0; recording->queue != NULL && q < N_QUEUES; q++)
    if (queue_models[q].curve == CURVE_PHONE && strcmp (queue_models[q].name, recording->queue) == 0)
      plan.queue = (int) q;
  if (plan.queue < 0)
    plan.queue = guess_queue (recording->name);

  plan.agent = -1;
  for (guint a = 0; recording->agent_name != NULL && a < N_AGENTS; a++)
    {
      const QueueModel *qm = &queue_models[plan.queue];

      if (strcmp (agent_seeds[a].name, recording->agent_name) == 0 && self->agents[a].active
          && qm->team_weight[agent_seeds[a].team] > 0 && (!qm->chinese || agent_seeds[a].chinese))
        plan.agent = (int) a;
    }

  /* the last week or so before today, one a day going back */
  plan.target_day = MAX (0, (int) n_days - 2 - (int) (self->recordings->len % 7));
  plan.min_slot = 40 + (int) (self->recordings->len * 9 % 24);    /* 10:00 to 15:45 */

  duration = clamp_round (recording->duration_s, 1, 24 * 3600);
  plan.hold_s = CLAMP (recording->hold_s, 0, duration - 1);
  plan.talk_s = duration - plan.hold_s;

  g_array_append_val (self->recordings, plan);
  return self->recordings->len - 1;
}

gboolean
assay_demo_next (AssayDemo             *self,
                 AssayInteractionFacts *facts,
                 int                   *recording)
{
  const Pending *p;
  guint agent = 0;
  int rec = -1;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (facts != NULL, FALSE);

  self->started = TRUE;
  if (recording != NULL)
    *recording = -1;

  while (self->pending_pos >= self->pending->len)
    {
      if (self->next_day >= self->options.n_days)
        {
          if (!self->finished)
            finish_reviews (self);
          return FALSE;
        }
      plan_day (self, self->next_day++);
    }

  assay_interaction_facts_clear (facts);
  assay_interaction_facts_init (facts);
  p = &g_array_index (self->pending, Pending, self->pending_pos++);
  fill (self, p, facts, &rec, &agent);
  consider_for_qa (self, p->queue, agent, facts, rec);
  if (recording != NULL)
    *recording = rec;
  return TRUE;
}

guint
assay_demo_get_n_linked (AssayDemo *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_linked;
}

char *
assay_demo_new_id (AssayDemo *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return make_id (self, self->end_ms);
}

const AssayDemoReview *
assay_demo_get_reviews (AssayDemo *self,
                        guint     *n_reviews)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_reviews != NULL)
    *n_reviews = self->reviews->len;
  return (const AssayDemoReview *) (gpointer) self->reviews->data;
}

guint
assay_demo_get_me (AssayDemo *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return staff_index_of_me ();
}

AssayAnswers *
assay_demo_answer (AssayDemo             *self,
                   const AssayDemoReview *review,
                   AssayForm             *form)
{
  g_autoptr(GRand) rand = NULL;
  AssayAnswers *answers;
  double perf;
  int fatal_fail;
  guint n, limit;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (review != NULL, NULL);
  g_return_val_if_fail (form != NULL && assay_form_is_valid (form), NULL);

  rand = review_rand (self, review, 1);
  answers = assay_answers_new (form);
  n = assay_form_get_n_items (form);
  perf = draw_performance (self, review, rand);
  fatal_fail = draw_fatal_fail (form, perf, rand);

  /* a draft is about half done, in form order */
  limit = n;
  if (review->state != ASSAY_DEMO_REVIEW_SUBMITTED)
    limit = MAX (1u, (guint) floor (n * (0.35 + 0.35 * g_rand_double (rand))));

  for (guint i = 0; i < limit; i++)
    answer_item (answers, form, assay_form_get_item (form, i), review, perf, fatal_fail, rand);
  comment_deductions (answers, review, rand);
  if (review->state == ASSAY_DEMO_REVIEW_SUBMITTED)
    write_notes (answers, review, rand);
  return answers;
}

AssayAnswers *
assay_demo_amend (AssayDemo             *self,
                  const AssayDemoReview *review,
                  const AssayAnswers    *answers,
                  char                 **reason)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(AssayScore) score = NULL;
  g_autoptr(GArray) deductions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) passes = g_array_new (FALSE, FALSE, sizeof (guint));
  AssayAnswers *amended;
  AssayForm *form;
  const char *why;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (review != NULL, NULL);
  g_return_val_if_fail (answers != NULL, NULL);

  rand = review_rand (self, review, 2);
  amended = assay_answers_copy (answers);
  form = assay_answers_get_form (amended);
  n = assay_form_get_n_items (form);
  score = assay_score_compute (amended);

  for (guint i = 0; i < n; i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      const AssaySection *section = g_ptr_array_index (form->sections, item->section);
      const AssayAnswer *answer = assay_answers_get (amended, i);

      if (answer->state != ASSAY_ANSWER_VALUE || section->bonus
          || !assay_item_kind_is_scored (item->kind))
        continue;
      if (assay_answer_is_deduction (item, answer))
        g_array_append_val (deductions, i);
      else if ((item->kind == ASSAY_ITEM_YES_NO || item->kind == ASSAY_ITEM_YES_NO_NA)
               && !item->fatal && item->weight > 0)
        g_array_append_val (passes, i);
    }

  if (score->fatal_failed->len > 0)
    {
      /* the agent appealed the auto-fail, and a second listen upheld it */
      int item = assay_form_lookup_item (form, g_ptr_array_index (score->fatal_failed, 0));

      assay_answers_set_choice (amended, (guint) item, 0, NULL);
      assay_answers_set_comment (amended, (guint) item, NULL);
      why = review->chinese ? "坐席申诉成立：复听录音确认已完成告知，撤销红线判定。"
                            : "Appeal upheld: on a second listen the disclosure was given, "
                              "just before the transfer.";
    }
  else if (deductions->len > 0 && (passes->len == 0 || draw_chance (rand, 0.6)))
    {
      guint i = g_array_index (deductions, guint,
                               g_rand_int_range (rand, 0, (gint32) deductions->len));

      answer_best (amended, assay_form_get_item (form, i));
      assay_answers_set_comment (amended, i, NULL);
      why = review->chinese ? "组长校准：该项符合标准，撤销扣分。"
                            : "Calibration with the team lead: this answer met the standard, "
                              "deduction withdrawn.";
    }
  else if (passes->len > 0)
    {
      guint i = g_array_index (passes, guint, g_rand_int_range (rand, 0, (gint32) passes->len));
      const AssayItem *item = assay_form_get_item (form, i);

      assay_answers_set_choice (amended, i, 1, NULL);
      assay_answers_set_comment (amended, i, deduction_comment (item, review->chinese, rand));
      why = review->chinese ? "组长校准复听：补充漏扣项。"
                            : "Calibration with the team lead: a missed deduction added after a "
                              "second listen.";
    }
  else
    why = review->chinese ? "组长复核：维持原评分。" : "Reviewed by the team lead: score confirmed.";

  if (reason != NULL)
    *reason = g_strdup (why);
  return amended;
}
