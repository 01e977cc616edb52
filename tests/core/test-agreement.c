/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "core/assay-agreement.h"

/* ---- published examples ---- */

/* Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories; the table
 * gives how many raters put each subject in each category. P̄ = 0.378, P_e = 0.213, κ = 0.210. */
static const guint fleiss_table[10][5] = {
  { 0, 0, 0, 0, 14 },
  { 0, 2, 6, 4, 2 },
  { 0, 0, 3, 5, 6 },
  { 0, 3, 9, 2, 0 },
  { 2, 2, 8, 1, 1 },
  { 7, 7, 0, 0, 0 },
  { 3, 2, 6, 3, 0 },
  { 2, 5, 3, 2, 2 },
  { 6, 5, 2, 1, 0 },
  { 0, 2, 2, 3, 7 },
};

static AssayRatings *
fleiss_ratings (void)
{
  AssayRatings *r = assay_ratings_new (10, 14);

  for (guint u = 0; u < 10; u++)
    {
      guint rater = 0;

      for (guint c = 0; c < 5; c++)
        for (guint k = 0; k < fleiss_table[u][c]; k++)
          assay_ratings_set (r, u, rater++, c + 1);
      g_assert_cmpuint (rater, ==, 14);
    }
  return r;
}

static void
test_fleiss_wikipedia (void)
{
  g_autoptr(AssayRatings) r = fleiss_ratings ();
  AssayAgreementFigure kappa, observed;

  assay_agreement_fleiss_kappa (r, &kappa);
  g_test_message ("kappa %.6f", kappa.value);
  g_assert_cmpfloat_with_epsilon (kappa.value, 0.210, 0.0005);
  g_assert_cmpuint (kappa.n_units, ==, 10);
  g_assert_cmpuint (kappa.n_values, ==, 140);
  /* with the same number of raters per subject, observed agreement is Fleiss' P̄ */
  assay_agreement_observed (r, &observed);
  g_assert_cmpfloat_with_epsilon (observed.value, 0.378, 0.0005);
}

/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with missing
 * values: four observers, twelve units, values 1–5 (0 = missing here). Unit 12 has one value
 * only and is not pairable; 40 pairable values remain. */
static const int kripp_data[4][12] = {
  { 1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0 },
  { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3 },
  { 0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0 },
  { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0 },
};

static AssayRatings *
kripp_ratings (void)
{
  AssayRatings *r = assay_ratings_new (12, 4);

  for (guint coder = 0; coder < 4; coder++)
    for (guint u = 0; u < 12; u++)
      if (kripp_data[coder][u] != 0)
        assay_ratings_set (r, u, coder, kripp_data[coder][u]);
  return r;
}

static void
test_krippendorff_2011 (void)
{
  g_autoptr(AssayRatings) r = kripp_ratings ();
  AssayAgreementFigure alpha;

  assay_agreement_krippendorff_alpha (r, ASSAY_METRIC_NOMINAL, &alpha);
  g_test_message ("alpha nominal %.6f", alpha.value);
  g_assert_cmpfloat_with_epsilon (alpha.value, 0.743, 0.0005);
  g_assert_cmpuint (alpha.n_values, ==, 40);
  g_assert_cmpuint (alpha.n_units, ==, 11);
  assay_agreement_krippendorff_alpha (r, ASSAY_METRIC_ORDINAL, &alpha);
  g_test_message ("alpha ordinal %.6f", alpha.value);
  g_assert_cmpfloat_with_epsilon (alpha.value, 0.815, 0.0005);
  assay_agreement_krippendorff_alpha (r, ASSAY_METRIC_INTERVAL, &alpha);
  g_test_message ("alpha interval %.6f", alpha.value);
  g_assert_cmpfloat_with_epsilon (alpha.value, 0.849, 0.0005);
}

static void
test_undefined (void)
{
  g_autoptr(AssayRatings) same = assay_ratings_new (3, 3);
  g_autoptr(AssayRatings) lonely = assay_ratings_new (3, 3);
  AssayAgreementFigure f;

  for (guint u = 0; u < 3; u++)
    for (guint j = 0; j < 3; j++)
      assay_ratings_set (same, u, j, 2);
  /* every rating the same: agreement is perfect, kappa and alpha are 0/0 */
  assay_agreement_observed (same, &f);
  g_assert_cmpfloat (f.value, ==, 1.0);
  assay_agreement_fleiss_kappa (same, &f);
  g_assert_true (isnan (f.value));
  g_assert_cmpuint (f.n_values, ==, 9);
  assay_agreement_krippendorff_alpha (same, ASSAY_METRIC_INTERVAL, &f);
  g_assert_true (isnan (f.value));

  /* no unit rated twice: nothing is pairable */
  for (guint u = 0; u < 3; u++)
    assay_ratings_set (lonely, u, u, u);
  assay_agreement_observed (lonely, &f);
  g_assert_true (isnan (f.value));
  g_assert_cmpuint (f.n_values, ==, 0);
  assay_agreement_krippendorff_alpha (lonely, ASSAY_METRIC_NOMINAL, &f);
  g_assert_true (isnan (f.value));
  g_assert_cmpuint (f.n_units, ==, 0);

  /* perfect agreement over several values */
  for (guint u = 0; u < 3; u++)
    for (guint j = 0; j < 3; j++)
      assay_ratings_set (same, u, j, u);
  assay_agreement_krippendorff_alpha (same, ASSAY_METRIC_ORDINAL, &f);
  g_assert_cmpfloat_with_epsilon (f.value, 1.0, 1e-12);
  assay_agreement_fleiss_kappa (same, &f);
  g_assert_cmpfloat_with_epsilon (f.value, 1.0, 1e-12);
}

/* ---- an independent computation on random ratings ---- */

typedef struct {
  guint   unit;
  double  value;
} Rating;

/* the pairable ratings as a flat list */
static GArray *
pairable (const AssayRatings *r)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (Rating));

  for (guint u = 0; u < assay_ratings_get_n_units (r); u++)
    {
      guint m = 0;

      for (guint j = 0; j < assay_ratings_get_n_raters (r); j++)
        m += !isnan (assay_ratings_get (r, u, j));
      if (m < 2)
        continue;
      for (guint j = 0; j < assay_ratings_get_n_raters (r); j++)
        if (!isnan (assay_ratings_get (r, u, j)))
          {
            Rating x = { u, assay_ratings_get (r, u, j) };

            g_array_append_val (list, x);
          }
    }
  return list;
}

/* the squared difference of two values, straight from its definition; for ordinal values,
 * counting the pairable values that lie between them */
static double
naive_delta2 (GArray      *list,
              AssayMetric  metric,
              double       a,
              double       b)
{
  double lo = MIN (a, b), hi = MAX (a, b), between = 0, at_lo = 0, at_hi = 0;

  if (metric == ASSAY_METRIC_NOMINAL)
    return a == b ? 0 : 1;
  if (metric == ASSAY_METRIC_INTERVAL)
    return (a - b) * (a - b);
  for (guint i = 0; i < list->len; i++)
    {
      double v = g_array_index (list, Rating, i).value;

      if (v >= lo && v <= hi)
        between++;
      at_lo += v == lo;
      at_hi += v == hi;
    }
  return (between - (at_lo + at_hi) / 2) * (between - (at_lo + at_hi) / 2);
}

/* α = 1 − D_o / D_e with D_o the mean difference within units (each pair weighted
 * 1 / (m_u − 1)) and D_e the mean difference over all pairs of pairable values */
static double
naive_alpha (const AssayRatings *r,
             AssayMetric         metric)
{
  g_autoptr(GArray) list = pairable (r);
  double n = list->len, d_o = 0, d_e = 0;

  for (guint i = 0; i < list->len; i++)
    for (guint j = 0; j < list->len; j++)
      {
        Rating *x = &g_array_index (list, Rating, i), *y = &g_array_index (list, Rating, j);
        double d;

        if (i == j)
          continue;
        d = naive_delta2 (list, metric, x->value, y->value);
        d_e += d;
        if (x->unit == y->unit)
          {
            guint m = 0;

            for (guint k = 0; k < list->len; k++)
              m += g_array_index (list, Rating, k).unit == x->unit;
            d_o += d / (m - 1);
          }
      }
  d_o /= n;
  d_e /= n * (n - 1);
  return d_e > 0 ? 1 - d_o / d_e : NAN;
}

/* Fleiss' κ from rater pairs: P_u is the share of ordered pairs of a unit's raters that agree,
 * P_e the chance that two ratings drawn from all of them agree */
static void
naive_kappa (const AssayRatings *r,
             double             *out_kappa,
             double             *out_observed)
{
  guint n_units = assay_ratings_get_n_units (r), n_raters = assay_ratings_get_n_raters (r);
  double p_bar = 0, units = 0, agree = 0, pairs = 0, p_e = 0, total = 0;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  for (guint u = 0; u < n_units; u++)
    {
      double unit_agree = 0, unit_pairs = 0;

      for (guint a = 0; a < n_raters; a++)
        for (guint b = 0; b < n_raters; b++)
          {
            double x = assay_ratings_get (r, u, a), y = assay_ratings_get (r, u, b);

            if (a == b || isnan (x) || isnan (y))
              continue;
            unit_pairs++;
            unit_agree += x == y;
          }
      if (unit_pairs == 0)
        continue;
      p_bar += unit_agree / unit_pairs;
      units++;
      agree += unit_agree;
      pairs += unit_pairs;
      for (guint a = 0; a < n_raters; a++)
        {
          double x = assay_ratings_get (r, u, a);
          gint64 k = (gint64) llround (x * 2);   /* the values are multiples of 0.5 */
          double *c;

          if (isnan (x))
            continue;
          c = g_hash_table_lookup (counts, &k);
          if (c == NULL)
            {
              c = g_new0 (double, 1);
              g_hash_table_insert (counts, g_memdup2 (&k, sizeof k), c);
            }
          (*c)++;
          total++;
        }
    }
  p_bar /= units;
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    p_e += (*(double *) value / total) * (*(double *) value / total);
  *out_kappa = p_e < 1 ? (p_bar - p_e) / (1 - p_e) : NAN;
  *out_observed = agree / pairs;
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);

  for (guint round = 0; round < 60; round++)
    {
      guint n_units = g_rand_int_range (rand, 2, 40), n_raters = g_rand_int_range (rand, 2, 7);
      guint n_values = g_rand_int_range (rand, 2, 8);
      double missing = g_rand_double_range (rand, 0, 0.5);
      gboolean fractional = round % 3 == 2;
      g_autoptr(AssayRatings) r = assay_ratings_new (n_units, n_raters);
      AssayAgreementFigure f;
      double kappa, observed;

      for (guint u = 0; u < n_units; u++)
        for (guint j = 0; j < n_raters; j++)
          if (g_rand_double (rand) >= missing)
            {
              double v = g_rand_int_range (rand, 0, n_values);

              /* interval data need not be whole: some rounds use halves and negatives */
              assay_ratings_set (r, u, j, fractional ? v / 2 - 1 : v + 1);
            }

      for (AssayMetric metric = ASSAY_METRIC_NOMINAL; metric <= ASSAY_METRIC_INTERVAL; metric++)
        {
          double expected = naive_alpha (r, metric);

          assay_agreement_krippendorff_alpha (r, metric, &f);
          g_test_message ("round %u %s: alpha %g, reference %g", round,
                          assay_metric_to_string (metric), f.value, expected);
          if (isnan (expected))
            g_assert_true (isnan (f.value));
          else
            g_assert_cmpfloat_with_epsilon (f.value, expected, 1e-9);
        }

      naive_kappa (r, &kappa, &observed);
      assay_agreement_fleiss_kappa (r, &f);
      if (isnan (kappa))
        g_assert_true (isnan (f.value));
      else
        g_assert_cmpfloat_with_epsilon (f.value, kappa, 1e-9);
      assay_agreement_observed (r, &f);
      if (isnan (observed))
        g_assert_true (isnan (f.value));
      else
        g_assert_cmpfloat_with_epsilon (f.value, observed, 1e-9);
    }
}

/* ---- trend and flags ---- */

static void
test_trend_and_flags (void)
{
  const double rising[] = { 0.5, NAN, 0.7, 0.8 };
  const double low[] = { 0.9, 0.4, NAN, 0.5, 0.6 };
  const double one[] = { 0.3 };

  /* positions 0, 2, 3: slope of the least-squares line */
  g_assert_cmpfloat_with_epsilon (assay_agreement_trend (rising, 4), 0.1, 1e-12);
  g_assert_true (isnan (assay_agreement_trend (one, 1)));

  g_assert_true (assay_agreement_stays_low (low, 5, 3, 0.667));
  g_assert_false (assay_agreement_stays_low (low, 5, 4, 0.667));   /* 0.9 is among the last 4 */
  g_assert_false (assay_agreement_stays_low (low, 5, 3, 0.55));
  g_assert_false (assay_agreement_stays_low (one, 1, 2, 0.667));  /* too few sessions */
  g_assert_true (assay_agreement_stays_low (one, 1, 1, 0.667));
}

/* ---- a session ---- */

static AssayForm *
session_form (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("cal", "Calibration", 1, ASSAY_FORM_MODE_POINTS);
  g_autoptr(GError) error = NULL;
  AssaySection *s = assay_form_add_section (form, "main", "Main", 1);
  AssayItem *item;

  assay_form_add_item (form, s, "greeting", ASSAY_ITEM_YES_NO, "Greeting");
  assay_form_add_item (form, s, "verified", ASSAY_ITEM_YES_NO_NA, "Verified");
  item = assay_form_add_item (form, s, "fix", ASSAY_ITEM_SCALE, "Fix");
  item->min = 1;
  item->max = 5;
  item->weight = 4;
  assay_form_add_item (form, s, "note", ASSAY_ITEM_TEXT, "Note");
  g_assert_true (assay_form_validate (form, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&form);
}

static void
test_session (void)
{
  g_autoptr(AssayForm) form = session_form ();
  const char *const ids[] = { "harsh", "lenient", "absent" };
  AssayAnswers *answers[2 * 3] = { NULL };
  AssayAnswers *consensus[2] = { NULL };
  g_autoptr(AssayCalibrationStats) stats = NULL;
  const AssayItemAgreement *greeting, *verified, *fix;
  const AssayInspectorAgreement *harsh, *lenient, *absent;

  for (guint u = 0; u < 2; u++)
    {
      consensus[u] = assay_answers_new (form);
      g_assert_true (assay_answers_set_choice (consensus[u], 0, 0, NULL));   /* Yes */
      g_assert_true (assay_answers_set_value (consensus[u], 2, 3, NULL));    /* fix 3 */
      for (guint j = 0; j < 2; j++)
        {
          AssayAnswers *a = answers[u * 3 + j] = assay_answers_new (form);

          g_assert_true (assay_answers_set_choice (a, 0, 0, NULL));
          g_assert_true (assay_answers_set_na (a, 1, NULL));
          /* harsh gives 2 (one step below the consensus 3 on a 1–5 scale: a quarter of the weight 4,
           * −1 point), lenient 4 or 5 */
          g_assert_true (assay_answers_set_value (a, 2, j == 0 ? 2 : 4 + u, NULL));
          assay_answers_set_text (a, 3, "free text is not rated", NULL);
        }
    }
  stats = assay_calibration_stats_compute (form, 2, 3, answers, consensus, ids);

  g_assert_cmpuint (stats->items->len, ==, 3);   /* the text item is not rated */
  greeting = g_ptr_array_index (stats->items, 0);
  verified = g_ptr_array_index (stats->items, 1);
  fix = g_ptr_array_index (stats->items, 2);
  g_assert_cmpstr (greeting->item->id, ==, "greeting");
  g_assert_cmpint (greeting->metric, ==, ASSAY_METRIC_NOMINAL);
  g_assert_cmpfloat (greeting->agreement.value, ==, 1.0);
  g_assert_true (isnan (greeting->kappa.value));   /* all Yes: undefined */
  g_assert_cmpuint (greeting->agreement.n_values, ==, 4);
  g_assert_cmpuint (greeting->n_consensus, ==, 2);
  /* N/A is a category of its own on nominal items */
  g_assert_cmpfloat (verified->agreement.value, ==, 1.0);
  g_assert_cmpuint (verified->agreement.n_values, ==, 4);
  g_assert_cmpuint (verified->n_consensus, ==, 0);
  g_assert_cmpint (fix->metric, ==, ASSAY_METRIC_ORDINAL);
  g_assert_cmpfloat (fix->agreement.value, ==, 0.0);
  g_assert_true (isnan (fix->kappa.value));        /* kappa only for nominal items */
  g_assert_false (isnan (fix->alpha.value));
  g_assert_cmpfloat (fix->alpha.value, <, 0.0);
  /* the spread per unit: fix 2 and 4 on the first call, 2 and 5 on the second */
  g_assert_cmpuint (fix->spread->len, ==, 2);
  g_assert_cmpuint (g_array_index (fix->spread, AssayUnitSpread, 0).n_ratings, ==, 2);
  g_assert_cmpuint (g_array_index (fix->spread, AssayUnitSpread, 0).n_distinct, ==, 2);
  g_assert_cmpfloat (g_array_index (fix->spread, AssayUnitSpread, 0).agreement, ==, 0.0);
  g_assert_cmpfloat (g_array_index (fix->spread, AssayUnitSpread, 1).min, ==, 2.0);
  g_assert_cmpfloat (g_array_index (fix->spread, AssayUnitSpread, 1).max, ==, 5.0);
  g_assert_cmpuint (g_array_index (greeting->spread, AssayUnitSpread, 1).n_distinct, ==, 1);
  g_assert_cmpfloat (g_array_index (greeting->spread, AssayUnitSpread, 1).agreement, ==, 1.0);
  g_assert_true (isnan (g_array_index (greeting->spread, AssayUnitSpread, 1).min));

  harsh = g_ptr_array_index (stats->inspectors, 0);
  lenient = g_ptr_array_index (stats->inspectors, 1);
  absent = g_ptr_array_index (stats->inspectors, 2);
  /* compared on greeting (agrees) and fix (does not), twice */
  g_assert_cmpuint (harsh->n_compared, ==, 4);
  g_assert_cmpfloat (harsh->agreement_with_consensus, ==, 0.5);
  /* points as the form engine counts them ((step − min) / (max − min) of the weight):
   * greeting 0, fix (2 − 3) / (5 − 1) × 4 = −1 */
  g_assert_cmpuint (harsh->n_deviation, ==, 4);
  g_assert_cmpfloat_with_epsilon (harsh->mean_deviation, (0 + 0 - 1 - 1) / 4.0, 1e-12);
  /* lenient: fix +1 and +2 points */
  g_assert_cmpfloat_with_epsilon (lenient->mean_deviation, (0 + 0 + 1 + 2) / 4.0, 1e-12);
  g_assert_cmpuint (lenient->n_ratings, ==, 6);
  g_assert_cmpuint (absent->n_ratings, ==, 0);
  g_assert_true (isnan (absent->agreement_with_consensus));
  g_assert_true (isnan (absent->mean_deviation));

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    g_clear_pointer (&answers[i], assay_answers_free);
  for (guint u = 0; u < 2; u++)
    assay_answers_free (consensus[u]);
}

/* Sets of options that differ only in low bits of a 64-option item are different answers,
 * though their bit masks round to the same double. */
static void
test_multiple_choice (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("mc", "Options", 1, ASSAY_FORM_MODE_POINTS);
  g_autoptr(GError) error = NULL;
  AssaySection *s = assay_form_add_section (form, "main", "Main", 1);
  AssayItem *item = assay_form_add_item (form, s, "topics", ASSAY_ITEM_MULTIPLE_CHOICE, "Topics");
  const char *const ids[] = { "a", "b" };
  AssayAnswers *answers[2];
  g_autoptr(AssayCalibrationStats) stats = NULL;
  const AssayItemAgreement *topics;
  guint64 high = G_GUINT64_CONSTANT (1) << 63;

  for (guint k = 0; k < 64; k++)
    {
      g_autofree char *id = g_strdup_printf ("o%u", k);

      assay_form_add_option (form, item, id, id, 1);
    }
  g_assert_true (assay_form_validate (form, &error));
  g_assert_no_error (error);
  g_assert_true ((double) (high | 1) == (double) (high | 2));
  for (guint j = 0; j < 2; j++)
    {
      answers[j] = assay_answers_new (form);
      g_assert_true (assay_answers_set_choices (answers[j], 0, high | (j + 1), &error));
    }
  stats = assay_calibration_stats_compute (form, 1, 2, answers, NULL, ids);
  topics = g_ptr_array_index (stats->items, 0);
  g_assert_cmpfloat (topics->agreement.value, ==, 0.0);
  g_assert_cmpuint (g_array_index (topics->spread, AssayUnitSpread, 0).n_distinct, ==, 2);
  for (guint j = 0; j < 2; j++)
    assay_answers_free (answers[j]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/agreement/fleiss/wikipedia", test_fleiss_wikipedia);
  g_test_add_func ("/agreement/krippendorff/2011", test_krippendorff_2011);
  g_test_add_func ("/agreement/undefined", test_undefined);
  g_test_add_func ("/agreement/random-vs-naive", test_random);
  g_test_add_func ("/agreement/trend-and-flags", test_trend_and_flags);
  g_test_add_func ("/agreement/session", test_session);
  g_test_add_func ("/agreement/multiple-choice", test_multiple_choice);
  return g_test_run ();
}
