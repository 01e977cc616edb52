/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-sampling.h"

#include <math.h>
#include <string.h>

/*
 * Why not GRand: its algorithm (and the way it seeds) is GLib's to change, and a draw must
 * replay the same in ten years on another machine. Why a key per candidate rather than one PRNG
 * stream over the sorted candidates: a candidate's chance then depends only on the seed, its id
 * and its weight — not on how many candidates come before it — so the order the rows arrive in
 * does not matter, and a contact added to or removed from the pool changes no other contact's key.
 *
 * The uniform variate of a candidate:
 *   h = FNV-1a-64 (id bytes)
 *   x = splitmix64 (splitmix64 (seed) XOR h)
 *   u = ((x >> 11) + 0.5) / 2^53                      (in (0, 1), never 0 or 1)
 * Its key is -ln(u) / weight; in each agent-week the smallest keys win (Efraimidis & Spirakis,
 * "Weighted random sampling with a reservoir", 2006: the k largest u^(1/w) — the same order).
 * Equal keys (practically never) go to the smaller id.
 */

#define DAY_MS  (G_GINT64_CONSTANT (86400000))
#define WEEK_MS (7 * DAY_MS)

G_DEFINE_QUARK (assay-sampling-error-quark, assay_sampling_error)

static guint64
splitmix64 (guint64 x)
{
  guint64 z = x + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static guint64
fnv1a64 (const char *s)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

static gboolean
strv_is_empty (char **strv)
{
  return strv == NULL || strv[0] == NULL;
}

static gboolean
strv_equal (char **a,
            char **b)
{
  if (strv_is_empty (a) || strv_is_empty (b))
    return strv_is_empty (a) == strv_is_empty (b);
  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

AssaySamplingRule *
assay_sampling_rule_new (void)
{
  AssaySamplingRule *rule = g_new0 (AssaySamplingRule, 1);

  rule->per_agent_per_week = 1;
  rule->min_handle_s = ASSAY_NONE;
  rule->max_handle_s = ASSAY_NONE;
  rule->csat_max = ASSAY_NONE;
  rule->low_csat_weight = 1.0;
  rule->low_csat_at_most = 2;
  rule->due_days = 7;
  rule->algorithm = ASSAY_SAMPLING_ALGORITHM;
  return rule;
}

AssaySamplingRule *
assay_sampling_rule_copy (const AssaySamplingRule *rule)
{
  AssaySamplingRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);

  copy = g_new0 (AssaySamplingRule, 1);
  *copy = *rule;
  copy->channels = g_strdupv (rule->channels);
  copy->queues = g_strdupv (rule->queues);
  copy->form_version_id = g_strdup (rule->form_version_id);
  copy->inspector_id = g_strdup (rule->inspector_id);
  return copy;
}

void
assay_sampling_rule_free (AssaySamplingRule *rule)
{
  if (rule == NULL)
    return;
  g_strfreev (rule->channels);
  g_strfreev (rule->queues);
  g_free (rule->form_version_id);
  g_free (rule->inspector_id);
  g_free (rule);
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (ASSAY_SAMPLING_ERROR, ASSAY_SAMPLING_ERROR_INVALID,
                                                format, args));
  va_end (args);
  return FALSE;
}

gboolean
assay_sampling_rule_validate (const AssaySamplingRule  *rule,
                              GError                  **error)
{
  g_return_val_if_fail (rule != NULL, FALSE);

  if (rule->algorithm != ASSAY_SAMPLING_ALGORITHM)
    {
      g_set_error (error, ASSAY_SAMPLING_ERROR, ASSAY_SAMPLING_ERROR_UNSUPPORTED,
                   "algorithm: %d is not known to this version of Assay (it draws with %d); "
                   "check the draw with the version that made it",
                   rule->algorithm, ASSAY_SAMPLING_ALGORITHM);
      return FALSE;
    }
  if (rule->per_agent_per_week < 1 || rule->per_agent_per_week > ASSAY_SAMPLING_MAX_PER_AGENT)
    return invalid (error, "per_agent_per_week: must be from 1 to %d, not %u",
                    ASSAY_SAMPLING_MAX_PER_AGENT, rule->per_agent_per_week);
  if (rule->from_ms >= rule->to_ms)
    return invalid (error, "from: the period must begin before it ends");
  if (rule->week_offset_min < -14 * 60 || rule->week_offset_min > 14 * 60)
    return invalid (error, "week_offset_minutes: must be from -840 to 840, not %d",
                    rule->week_offset_min);
  for (guint i = 0; rule->channels != NULL && rule->channels[i] != NULL; i++)
    if (!assay_channel_is_valid (rule->channels[i]))
      return invalid (error, "channels[%u]: '%s' is not phone, chat, email or ticket",
                      i, rule->channels[i]);
  for (guint i = 0; rule->queues != NULL && rule->queues[i] != NULL; i++)
    if (*rule->queues[i] == '\0')
      return invalid (error, "queues[%u]: a queue needs a name", i);
  if (rule->min_handle_s != ASSAY_NONE && rule->min_handle_s < 0)
    return invalid (error, "min_handle_s: must be 0 or more");
  if (rule->max_handle_s != ASSAY_NONE && rule->max_handle_s < 0)
    return invalid (error, "max_handle_s: must be 0 or more");
  if (rule->min_handle_s != ASSAY_NONE && rule->max_handle_s != ASSAY_NONE
      && rule->min_handle_s > rule->max_handle_s)
    return invalid (error, "min_handle_s: the shortest handle time (%d s) is longer than the "
                    "longest (%d s)", rule->min_handle_s, rule->max_handle_s);
  if (rule->csat_max != ASSAY_NONE && (rule->csat_max < 1 || rule->csat_max > 5))
    return invalid (error, "csat_max: must be from 1 to 5, not %d", rule->csat_max);
  if (!isfinite (rule->low_csat_weight) || rule->low_csat_weight < 1.0
      || rule->low_csat_weight > 100.0)
    return invalid (error, "low_csat_weight: must be from 1 (no oversampling) to 100");
  if (rule->low_csat_at_most < 1 || rule->low_csat_at_most > 5)
    return invalid (error, "low_csat_at_most: must be from 1 to 5, not %d", rule->low_csat_at_most);
  if (rule->due_days > 365)
    return invalid (error, "due_days: must be from 0 (no due date) to 365, not %u", rule->due_days);
  return TRUE;
}

gboolean
assay_sampling_rule_equal (const AssaySamplingRule *a,
                           const AssaySamplingRule *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->per_agent_per_week == b->per_agent_per_week
         && a->from_ms == b->from_ms
         && a->to_ms == b->to_ms
         && a->week_offset_min == b->week_offset_min
         && strv_equal (a->channels, b->channels)
         && strv_equal (a->queues, b->queues)
         && a->min_handle_s == b->min_handle_s
         && a->max_handle_s == b->max_handle_s
         && a->csat_max == b->csat_max
         && a->low_csat_weight == b->low_csat_weight
         && a->low_csat_at_most == b->low_csat_at_most
         && g_strcmp0 (a->form_version_id, b->form_version_id) == 0
         && a->due_days == b->due_days
         && g_strcmp0 (a->inspector_id, b->inspector_id) == 0
         && a->algorithm == b->algorithm;
}

gint64
assay_sampling_week_of (gint64 ms,
                        int    offset_min)
{
  /* 1970-01-01 was a Thursday: Monday 1969-12-29 is three days earlier */
  return floor_div (ms + (gint64) offset_min * 60000 + 3 * DAY_MS, WEEK_MS);
}

gint64
assay_sampling_week_start (gint64 week,
                           int    offset_min)
{
  return week * WEEK_MS - 3 * DAY_MS - (gint64) offset_min * 60000;
}

void
assay_sampling_rule_set_weeks (AssaySamplingRule *rule,
                               gint64             now_ms,
                               guint              weeks)
{
  gint64 this_week;

  g_return_if_fail (rule != NULL);

  this_week = assay_sampling_week_of (now_ms, rule->week_offset_min);
  rule->from_ms = assay_sampling_week_start (this_week - (gint64) weeks, rule->week_offset_min);
  rule->to_ms = assay_sampling_week_start (this_week, rule->week_offset_min);
}

gboolean
assay_sampling_rule_matches (const AssaySamplingRule      *rule,
                             const AssaySamplingCandidate *c)
{
  g_return_val_if_fail (rule != NULL && c != NULL, FALSE);

  if (c->started_at < rule->from_ms || c->started_at >= rule->to_ms)
    return FALSE;
  if (!strv_is_empty (rule->channels)
      && (c->channel == NULL || !g_strv_contains ((const char * const *) rule->channels, c->channel)))
    return FALSE;
  if (!strv_is_empty (rule->queues)
      && (c->queue == NULL || !g_strv_contains ((const char * const *) rule->queues, c->queue)))
    return FALSE;
  if (rule->min_handle_s != ASSAY_NONE
      && (c->handle_s == ASSAY_NONE || c->handle_s < rule->min_handle_s))
    return FALSE;
  if (rule->max_handle_s != ASSAY_NONE
      && (c->handle_s == ASSAY_NONE || c->handle_s > rule->max_handle_s))
    return FALSE;
  if (rule->csat_max != ASSAY_NONE && (c->csat == ASSAY_NONE || c->csat > rule->csat_max))
    return FALSE;
  return TRUE;
}

double
assay_sampling_weight (const AssaySamplingRule      *rule,
                       const AssaySamplingCandidate *c)
{
  g_return_val_if_fail (rule != NULL && c != NULL, 1.0);

  if (c->csat != ASSAY_NONE && c->csat <= rule->low_csat_at_most)
    return rule->low_csat_weight;
  return 1.0;
}

double
assay_sampling_uniform (guint64     seed,
                        const char *id)
{
  guint64 x = splitmix64 (splitmix64 (seed) ^ fnv1a64 (id != NULL ? id : ""));

  return ((double) (x >> 11) + 0.5) / 9007199254740992.0;   /* 2^53 */
}

typedef struct {
  guint    index;
  gint64   week;
  double   key;
  gboolean taken;
} Entry;

typedef struct {
  const AssaySamplingCandidate *candidates;
} SortData;

static int
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const Entry *x = a;
  const Entry *y = b;
  const AssaySamplingCandidate *candidates = ((SortData *) user_data)->candidates;
  const AssaySamplingCandidate *cx = &candidates[x->index];
  const AssaySamplingCandidate *cy = &candidates[y->index];
  int c;

  c = g_strcmp0 (cx->agent_id, cy->agent_id);
  if (c != 0)
    return c;
  if (x->week != y->week)
    return x->week < y->week ? -1 : 1;
  /* the taken ones first, so a group's walk counts them before it picks */
  if (x->taken != y->taken)
    return x->taken ? -1 : 1;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return g_strcmp0 (cx->id, cy->id);
}

static int
compare_picks (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const AssaySamplingCandidate *candidates = ((SortData *) user_data)->candidates;

  return g_strcmp0 (candidates[*(const guint *) a].id, candidates[*(const guint *) b].id);
}

GArray *
assay_sampling_draw (const AssaySamplingRule      *rule,
                     guint64                       seed,
                     const AssaySamplingCandidate *candidates,
                     gsize                         n_candidates)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  GArray *picks = g_array_new (FALSE, FALSE, sizeof (guint));
  SortData data = { candidates };
  guint i = 0;

  g_return_val_if_fail (rule != NULL, picks);
  g_return_val_if_fail (candidates != NULL || n_candidates == 0, picks);
  g_return_val_if_fail (n_candidates <= G_MAXUINT, picks);

  for (gsize k = 0; k < n_candidates; k++)
    {
      const AssaySamplingCandidate *c = &candidates[k];
      Entry e;

      if (!assay_sampling_rule_matches (rule, c))
        continue;
      e.index = (guint) k;
      e.week = assay_sampling_week_of (c->started_at, rule->week_offset_min);
      e.taken = c->taken;
      e.key = c->taken ? 0.0 : -log (assay_sampling_uniform (seed, c->id)) / assay_sampling_weight (rule, c);
      g_array_append_val (entries, e);
    }
  g_array_sort_with_data (entries, compare_entries, &data);

  while (i < entries->len)
    {
      const Entry *first = &g_array_index (entries, Entry, i);
      const char *agent = candidates[first->index].agent_id;
      gint64 week = first->week;
      guint quota = rule->per_agent_per_week;

      for (; i < entries->len; i++)
        {
          const Entry *e = &g_array_index (entries, Entry, i);

          if (e->week != week || g_strcmp0 (candidates[e->index].agent_id, agent) != 0)
            break;
          if (quota == 0)
            continue;
          quota--;
          if (!e->taken)
            g_array_append_val (picks, e->index);
        }
    }

  g_array_sort_with_data (picks, compare_picks, &data);
  return picks;
}

guint64
assay_sampling_new_seed (void)
{
  return (guint64) g_random_int_range (1, 1000000000);
}
