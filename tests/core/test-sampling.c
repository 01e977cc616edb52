/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sampling draw: reproducible, N per agent and week, filters, oversampling of low CSAT. */
#include <math.h>

#include "core/assay-sampling.h"

#define MONDAY_NOV_9  G_GINT64_CONSTANT (1794182400000)   /* 2026-11-09T00:00:00Z, a Monday */
#define MONDAY_NOV_16 G_GINT64_CONSTANT (1794787200000)
#define HOUR_MS       G_GINT64_CONSTANT (3600000)
#define DAY_MS        (24 * HOUR_MS)
#define WEEK_MS       (7 * DAY_MS)

/* computed independently of this code, with the algorithm of docs/sampling.md in Python */
#define GOLDEN_U_12345_ABC 0.5837296108899845
#define GOLDEN_PICKS_42    "000000000001 000000000005 000000000010 000000000013"

typedef struct {
  GPtrArray *strings;                 /* owns the ids */
  GArray    *candidates;              /* AssaySamplingCandidate */
} Pool;

static const char *const agents[] = { "agent-a", "agent-b", "agent-c", "agent-d" };
static const char *const channels[] = { "phone", "chat", "email" };
static const char *const queues[] = { "Billing", "Support", "Sales" };

static void
pool_free (Pool *pool)
{
  g_ptr_array_unref (pool->strings);
  g_array_unref (pool->candidates);
  g_free (pool);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pool, pool_free)

/* @per_group contacts for each of @n_agents agents in each of @n_weeks weeks from Nov 9;
 * the facts follow from the row number so that expectations can be computed */
static Pool *
pool_new (guint n_agents,
          guint n_weeks,
          guint per_group)
{
  Pool *pool = g_new0 (Pool, 1);
  guint n = 0;

  pool->strings = g_ptr_array_new_with_free_func (g_free);
  pool->candidates = g_array_new (FALSE, TRUE, sizeof (AssaySamplingCandidate));
  for (guint w = 0; w < n_weeks; w++)
    for (guint a = 0; a < n_agents; a++)
      for (guint i = 0; i < per_group; i++, n++)
        {
          AssaySamplingCandidate c = { 0 };
          char *id = g_strdup_printf ("20000000-0000-4000-8000-%012u", n);

          g_ptr_array_add (pool->strings, id);
          c.id = id;
          c.agent_id = agents[a % G_N_ELEMENTS (agents)];
          c.channel = channels[n % 3];
          c.queue = queues[(n / 3) % 3];
          /* spread over the week, never on its edge */
          c.started_at = MONDAY_NOV_9 + w * WEEK_MS + HOUR_MS + (gint64) (i % 150) * HOUR_MS;
          c.handle_s = 60 + (int) ((n * 37) % 900);
          c.csat = n % 7 == 0 ? ASSAY_NONE : 1 + (int) ((n * 13) % 5);
          g_array_append_val (pool->candidates, c);
        }
  return pool;
}

static AssaySamplingRule *
rule_for (guint n,
          guint weeks)
{
  AssaySamplingRule *rule = assay_sampling_rule_new ();

  rule->per_agent_per_week = n;
  rule->from_ms = MONDAY_NOV_9;
  rule->to_ms = MONDAY_NOV_9 + weeks * WEEK_MS;
  return rule;
}

static const AssaySamplingCandidate *
pick (const Pool *pool,
      GArray     *picks,
      guint       i)
{
  return &g_array_index (pool->candidates, AssaySamplingCandidate, g_array_index (picks, guint, i));
}

static GArray *
draw (const AssaySamplingRule *rule,
      guint64                  seed,
      const Pool              *pool)
{
  return assay_sampling_draw (rule, seed, (const AssaySamplingCandidate *) pool->candidates->data,
                              pool->candidates->len);
}

static gboolean
same_picks (const Pool *a,
            GArray     *pa,
            const Pool *b,
            GArray     *pb)
{
  if (pa->len != pb->len)
    return FALSE;
  for (guint i = 0; i < pa->len; i++)
    if (g_strcmp0 (pick (a, pa, i)->id, pick (b, pb, i)->id) != 0)
      return FALSE;
  return TRUE;
}

static void
test_reproducible (void)
{
  g_autoptr(Pool) pool = pool_new (4, 2, 40);
  g_autoptr(Pool) shuffled = pool_new (4, 2, 40);
  g_autoptr(AssaySamplingRule) rule = rule_for (5, 2);
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) again = NULL;
  g_autoptr(GArray) from_shuffled = NULL;
  g_autoptr(GArray) other_seed = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  rule->low_csat_weight = 3;
  first = draw (rule, 12345, pool);
  again = draw (rule, 12345, pool);
  g_assert_cmpuint (first->len, ==, 4 * 2 * 5);
  g_assert_true (same_picks (pool, first, pool, again));

  /* the order the rows come in does not matter */
  for (guint i = shuffled->candidates->len - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i + 1);
      AssaySamplingCandidate tmp = g_array_index (shuffled->candidates, AssaySamplingCandidate, i);

      g_array_index (shuffled->candidates, AssaySamplingCandidate, i) =
        g_array_index (shuffled->candidates, AssaySamplingCandidate, j);
      g_array_index (shuffled->candidates, AssaySamplingCandidate, j) = tmp;
    }
  from_shuffled = draw (rule, 12345, shuffled);
  g_assert_true (same_picks (pool, first, shuffled, from_shuffled));

  /* the picks come back in id order */
  for (guint i = 1; i < first->len; i++)
    g_assert_cmpstr (pick (pool, first, i - 1)->id, <, pick (pool, first, i)->id);

  /* another seed draws others */
  other_seed = draw (rule, 12346, pool);
  g_assert_cmpuint (other_seed->len, ==, first->len);
  g_assert_false (same_picks (pool, first, pool, other_seed));
}

static void
test_golden (void)
{
  /* pinned values: if these change, stored draws no longer replay — bump the algorithm instead */
  g_autoptr(Pool) pool = pool_new (2, 1, 10);
  g_autoptr(AssaySamplingRule) rule = rule_for (2, 1);
  g_autoptr(GArray) picks = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_cmpfloat_with_epsilon (assay_sampling_uniform (12345, "abc"), 0.0, 1.0);
  g_assert_cmpfloat (assay_sampling_uniform (12345, "abc"), ==, assay_sampling_uniform (12345, "abc"));
  g_assert_cmpfloat (assay_sampling_uniform (12345, "abc"), !=, assay_sampling_uniform (12346, "abc"));
  g_assert_cmpfloat (assay_sampling_uniform (12345, "abc"), ==, GOLDEN_U_12345_ABC);

  picks = draw (rule, 42, pool);
  for (guint i = 0; i < picks->len; i++)
    g_string_append_printf (ids, "%s%s", i ? " " : "", pick (pool, picks, i)->id + 24);
  g_assert_cmpstr (ids->str, ==, GOLDEN_PICKS_42);
}

static void
test_per_agent_per_week (void)
{
  g_autoptr(Pool) pool = pool_new (4, 3, 30);
  g_autoptr(AssaySamplingRule) rule = rule_for (5, 3);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) picks = NULL;
  GHashTableIter iter;
  gpointer value;

  picks = draw (rule, 99, pool);
  g_assert_cmpuint (picks->len, ==, 4 * 3 * 5);
  for (guint i = 0; i < picks->len; i++)
    {
      const AssaySamplingCandidate *c = pick (pool, picks, i);
      char *key = g_strdup_printf ("%s/%" G_GINT64_FORMAT, c->agent_id,
                                   assay_sampling_week_of (c->started_at, 0));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (groups, key));

      g_hash_table_insert (groups, key, GUINT_TO_POINTER (n + 1));
    }
  g_assert_cmpuint (g_hash_table_size (groups), ==, 4 * 3);
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 5);

  /* a period of one week draws only from it */
  rule->from_ms = MONDAY_NOV_16;
  rule->to_ms = MONDAY_NOV_16 + WEEK_MS;
  g_array_unref (g_steal_pointer (&picks));
  picks = draw (rule, 99, pool);
  g_assert_cmpuint (picks->len, ==, 4 * 5);
  for (guint i = 0; i < picks->len; i++)
    {
      g_assert_cmpint (pick (pool, picks, i)->started_at, >=, MONDAY_NOV_16);
      g_assert_cmpint (pick (pool, picks, i)->started_at, <, MONDAY_NOV_16 + WEEK_MS);
    }
}

static void
test_fewer_than_n (void)
{
  g_autoptr(Pool) pool = pool_new (3, 1, 4);
  g_autoptr(AssaySamplingRule) rule = rule_for (10, 1);
  g_autoptr(GArray) picks = draw (rule, 5, pool);
  g_autoptr(GArray) none = NULL;

  g_assert_cmpuint (picks->len, ==, 12);
  for (guint i = 0; i < picks->len; i++)
    g_assert_cmpuint (g_array_index (picks, guint, i), ==, i);

  none = assay_sampling_draw (rule, 5, NULL, 0);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_taken_count (void)
{
  g_autoptr(Pool) pool = pool_new (2, 1, 10);
  g_autoptr(AssaySamplingRule) rule = rule_for (5, 1);
  g_autoptr(GArray) picks = NULL;
  guint a = 0, b = 0;

  /* agent-a has 2 already reviewed, agent-b 7: a gets 3 more, b none */
  for (guint i = 0; i < 2; i++)
    g_array_index (pool->candidates, AssaySamplingCandidate, i).taken = TRUE;
  for (guint i = 10; i < 17; i++)
    g_array_index (pool->candidates, AssaySamplingCandidate, i).taken = TRUE;
  picks = draw (rule, 3, pool);
  for (guint i = 0; i < picks->len; i++)
    {
      const AssaySamplingCandidate *c = pick (pool, picks, i);

      g_assert_false (c->taken);
      if (g_str_equal (c->agent_id, "agent-a"))
        a++;
      else
        b++;
    }
  g_assert_cmpuint (a, ==, 3);
  g_assert_cmpuint (b, ==, 0);
}

static void
test_filters (void)
{
  g_autoptr(Pool) pool = pool_new (4, 2, 60);
  g_autoptr(AssaySamplingRule) rule = rule_for (1000, 2);
  g_autoptr(GArray) picks = NULL;
  char *phone_chat[] = { (char *) "phone", (char *) "chat", NULL };
  char *billing[] = { (char *) "Billing", NULL };
  guint expected = 0;

  rule->channels = g_strdupv (phone_chat);
  rule->queues = g_strdupv (billing);
  rule->min_handle_s = 120;
  rule->max_handle_s = 600;
  rule->csat_max = 3;
  for (guint i = 0; i < pool->candidates->len; i++)
    {
      const AssaySamplingCandidate *c = &g_array_index (pool->candidates, AssaySamplingCandidate, i);

      if ((g_str_equal (c->channel, "phone") || g_str_equal (c->channel, "chat"))
          && g_str_equal (c->queue, "Billing") && c->handle_s >= 120 && c->handle_s <= 600
          && c->csat != ASSAY_NONE && c->csat <= 3)
        expected++;
    }
  g_assert_cmpuint (expected, >, 10);

  /* N larger than any group: every matching contact, and only those */
  picks = draw (rule, 1, pool);
  g_assert_cmpuint (picks->len, ==, expected);
  for (guint i = 0; i < picks->len; i++)
    {
      const AssaySamplingCandidate *c = pick (pool, picks, i);

      g_assert_true (g_str_equal (c->channel, "phone") || g_str_equal (c->channel, "chat"));
      g_assert_cmpstr (c->queue, ==, "Billing");
      g_assert_cmpint (c->handle_s, >=, 120);
      g_assert_cmpint (c->handle_s, <=, 600);
      g_assert_cmpint (c->csat, !=, ASSAY_NONE);
      g_assert_cmpint (c->csat, <=, 3);
    }

  /* a contact without a survey answer never matches a CSAT filter */
  {
    AssaySamplingCandidate c = { "x", "agent-a", "phone", "Billing", MONDAY_NOV_9 + HOUR_MS, 300,
                                 ASSAY_NONE, FALSE };

    g_assert_false (assay_sampling_rule_matches (rule, &c));
    c.csat = 2;
    g_assert_true (assay_sampling_rule_matches (rule, &c));
    c.started_at = MONDAY_NOV_9 + 2 * WEEK_MS;   /* the end of the period is not in it */
    g_assert_false (assay_sampling_rule_matches (rule, &c));
    c.started_at = MONDAY_NOV_9;
    g_assert_true (assay_sampling_rule_matches (rule, &c));
    c.handle_s = 601;
    g_assert_false (assay_sampling_rule_matches (rule, &c));
  }
}

static double
low_share (guint64 seed,
           double  weight)
{
  g_autoptr(Pool) pool = pool_new (4, 50, 50);
  g_autoptr(AssaySamplingRule) rule = rule_for (5, 50);
  g_autoptr(GArray) picks = NULL;
  guint low = 0;

  rule->low_csat_weight = weight;
  picks = draw (rule, seed, pool);
  g_assert_cmpuint (picks->len, ==, 4 * 50 * 5);
  for (guint i = 0; i < picks->len; i++)
    if (pick (pool, picks, i)->csat != ASSAY_NONE && pick (pool, picks, i)->csat <= 2)
      low++;
  return (double) low / picks->len;
}

static void
test_oversampling (void)
{
  g_autoptr(Pool) pool = pool_new (4, 50, 50);
  guint low = 0;
  double base_rate, plain, weighted;

  for (guint i = 0; i < pool->candidates->len; i++)
    {
      int csat = g_array_index (pool->candidates, AssaySamplingCandidate, i).csat;
      if (csat != ASSAY_NONE && csat <= 2)
        low++;
    }
  base_rate = (double) low / pool->candidates->len;
  plain = low_share (2024, 1.0);
  weighted = low_share (2024, 3.0);
  g_test_message ("low CSAT: %.3f of the pool, %.3f drawn plainly, %.3f with weight 3",
                  base_rate, plain, weighted);

  /* 1000 picks: without oversampling the share stays near the pool's (about 34 %) */
  g_assert_cmpfloat (fabs (plain - base_rate), <, 0.06);
  /* weight 3 moves it well above (about 56 % expected for 5 of 50 with 17 low ones) */
  g_assert_cmpfloat (weighted, >, base_rate + 0.12);
  g_assert_cmpfloat (weighted, <, 0.8);
}

static void
test_weeks (void)
{
  g_autoptr(AssaySamplingRule) rule = assay_sampling_rule_new ();
  gint64 week = assay_sampling_week_of (MONDAY_NOV_16, 0);

  g_assert_cmpint (assay_sampling_week_start (week, 0), ==, MONDAY_NOV_16);
  g_assert_cmpint (assay_sampling_week_of (MONDAY_NOV_16 - 1, 0), ==, week - 1);
  g_assert_cmpint (assay_sampling_week_of (MONDAY_NOV_16 + WEEK_MS - 1, 0), ==, week);
  /* at UTC+8 the week begins on Sunday 16:00 UTC */
  g_assert_cmpint (assay_sampling_week_start (assay_sampling_week_of (MONDAY_NOV_16, 480), 480), ==,
                   MONDAY_NOV_16 - 8 * HOUR_MS);
  g_assert_cmpint (assay_sampling_week_of (MONDAY_NOV_16 - 8 * HOUR_MS - 1, 480), ==,
                   assay_sampling_week_of (MONDAY_NOV_16, 480) - 1);
  /* before 1970 too */
  g_assert_cmpint (assay_sampling_week_of (-1, 0), ==, 0);
  g_assert_cmpint (assay_sampling_week_of (-3 * DAY_MS - 1, 0), ==, -1);

  /* on Friday Nov 20, two weeks back is Nov 2 to Nov 16 */
  assay_sampling_rule_set_weeks (rule, MONDAY_NOV_16 + 4 * DAY_MS + 12 * HOUR_MS, 2);
  g_assert_cmpint (rule->from_ms, ==, MONDAY_NOV_9 - WEEK_MS);
  g_assert_cmpint (rule->to_ms, ==, MONDAY_NOV_16);
}

static void
test_validate (void)
{
  g_autoptr(AssaySamplingRule) rule = rule_for (5, 1);
  g_autoptr(AssaySamplingRule) copy = NULL;
  g_autoptr(GError) error = NULL;
  char *bad[] = { (char *) "fax", NULL };

  g_assert_true (assay_sampling_rule_validate (rule, &error));
  g_assert_no_error (error);

  copy = assay_sampling_rule_copy (rule);
  g_assert_true (assay_sampling_rule_equal (rule, copy));
  copy->per_agent_per_week = 0;
  g_assert_false (assay_sampling_rule_equal (rule, copy));
  g_assert_false (assay_sampling_rule_validate (copy, &error));
  g_assert_error (error, ASSAY_SAMPLING_ERROR, ASSAY_SAMPLING_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "per_agent_per_week:"));
  g_clear_error (&error);
  copy->per_agent_per_week = 5;

  copy->to_ms = copy->from_ms;
  g_assert_false (assay_sampling_rule_validate (copy, &error));
  g_assert_true (g_str_has_prefix (error->message, "from:"));
  g_clear_error (&error);
  copy->to_ms = rule->to_ms;

  copy->channels = g_strdupv (bad);
  g_assert_false (assay_sampling_rule_validate (copy, &error));
  g_assert_true (g_str_has_prefix (error->message, "channels[0]:"));
  g_clear_error (&error);
  g_clear_pointer (&copy->channels, g_strfreev);

  copy->min_handle_s = 600;
  copy->max_handle_s = 60;
  g_assert_false (assay_sampling_rule_validate (copy, &error));
  g_assert_true (g_str_has_prefix (error->message, "min_handle_s:"));
  g_clear_error (&error);
  copy->min_handle_s = copy->max_handle_s = ASSAY_NONE;

  copy->csat_max = 6;
  g_assert_false (assay_sampling_rule_validate (copy, &error));
  g_clear_error (&error);
  copy->csat_max = ASSAY_NONE;

  copy->low_csat_weight = 0.5;
  g_assert_false (assay_sampling_rule_validate (copy, &error));
  g_assert_true (g_str_has_prefix (error->message, "low_csat_weight:"));
  g_clear_error (&error);
  copy->low_csat_weight = 1;

  copy->algorithm = 2;
  g_assert_false (assay_sampling_rule_validate (copy, &error));
  g_assert_error (error, ASSAY_SAMPLING_ERROR, ASSAY_SAMPLING_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  copy->algorithm = ASSAY_SAMPLING_ALGORITHM;

  g_assert_true (assay_sampling_rule_equal (rule, copy));

  for (guint i = 0; i < 100; i++)
    {
      guint64 seed = assay_sampling_new_seed ();
      g_assert_cmpuint (seed, >=, 1);
      g_assert_cmpuint (seed, <=, 999999999);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/sampling/reproducible", test_reproducible);
  g_test_add_func ("/core/sampling/golden", test_golden);
  g_test_add_func ("/core/sampling/per-agent-per-week", test_per_agent_per_week);
  g_test_add_func ("/core/sampling/fewer-than-n", test_fewer_than_n);
  g_test_add_func ("/core/sampling/taken-count", test_taken_count);
  g_test_add_func ("/core/sampling/filters", test_filters);
  g_test_add_func ("/core/sampling/oversampling", test_oversampling);
  g_test_add_func ("/core/sampling/weeks", test_weeks);
  g_test_add_func ("/core/sampling/validate", test_validate);
  return g_test_run ();
}
