/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "assay-agreement.h"

struct _AssayRatings {
  guint   n_units;
  guint   n_raters;
  double *values;     /* unit-major; NAN = missing */
};

/* The ratings as categories: the distinct pairable values in ascending order, and per unit
 * rated at least twice how many of its ratings fall in each (n_uc). */
typedef struct {
  guint   n_categories;
  double *categories;
  guint   n_units;     /* pairable units */
  guint  *counts;      /* n_units × n_categories */
  guint  *m;           /* ratings per pairable unit */
  guint   n_values;
} Tally;

static void
tally_clear (Tally *t)
{
  g_free (t->categories);
  g_free (t->counts);
  g_free (t->m);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static guint
category_of (const Tally *t,
             double       value)
{
  guint lo = 0, hi = t->n_categories;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (t->categories[mid] < value)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static guint
unit_count (const AssayRatings *r,
            guint               unit)
{
  guint m = 0;

  for (guint j = 0; j < r->n_raters; j++)
    if (!isnan (r->values[unit * r->n_raters + j]))
      m++;
  return m;
}

static void
tally_init (Tally              *t,
            const AssayRatings *r)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  guint u2 = 0;

  *t = (Tally) { 0 };
  for (guint u = 0; u < r->n_units; u++)
    if (unit_count (r, u) >= 2)
      {
        for (guint j = 0; j < r->n_raters; j++)
          {
            double v = r->values[u * r->n_raters + j];

            if (!isnan (v))
              g_array_append_val (all, v);
          }
        t->n_units++;
      }
  t->n_values = all->len;
  g_array_sort (all, compare_double);
  t->categories = g_new (double, MAX (all->len, 1));
  for (guint i = 0; i < all->len; i++)
    if (i == 0 || g_array_index (all, double, i) != g_array_index (all, double, i - 1))
      t->categories[t->n_categories++] = g_array_index (all, double, i);

  t->counts = g_new0 (guint, MAX (t->n_units * t->n_categories, 1));
  t->m = g_new0 (guint, MAX (t->n_units, 1));
  for (guint u = 0; u < r->n_units; u++)
    {
      if (unit_count (r, u) < 2)
        continue;
      for (guint j = 0; j < r->n_raters; j++)
        {
          double v = r->values[u * r->n_raters + j];

          if (isnan (v))
            continue;
          t->counts[u2 * t->n_categories + category_of (t, v)]++;
          t->m[u2]++;
        }
      u2++;
    }
}

/* ---- the matrix ---- */

const char *
assay_metric_to_string (AssayMetric metric)
{
  switch (metric)
    {
    case ASSAY_METRIC_NOMINAL:
      return "nominal";
    case ASSAY_METRIC_ORDINAL:
      return "ordinal";
    case ASSAY_METRIC_INTERVAL:
      return "interval";
    default:
      g_return_val_if_reached (NULL);
    }
}

AssayRatings *
assay_ratings_new (guint n_units,
                   guint n_raters)
{
  AssayRatings *r = g_new0 (AssayRatings, 1);

  r->n_units = n_units;
  r->n_raters = n_raters;
  r->values = g_new (double, MAX ((gsize) n_units * n_raters, 1));
  for (gsize i = 0; i < (gsize) n_units * n_raters; i++)
    r->values[i] = NAN;
  return r;
}

void
assay_ratings_free (AssayRatings *ratings)
{
  if (ratings == NULL)
    return;
  g_free (ratings->values);
  g_free (ratings);
}

void
assay_ratings_set (AssayRatings *ratings,
                   guint         unit,
                   guint         rater,
                   double        value)
{
  g_return_if_fail (ratings != NULL);
  g_return_if_fail (unit < ratings->n_units && rater < ratings->n_raters);
  ratings->values[unit * ratings->n_raters + rater] = isfinite (value) ? value : NAN;
}

double
assay_ratings_get (const AssayRatings *ratings,
                   guint               unit,
                   guint               rater)
{
  g_return_val_if_fail (ratings != NULL, NAN);
  g_return_val_if_fail (unit < ratings->n_units && rater < ratings->n_raters, NAN);
  return ratings->values[unit * ratings->n_raters + rater];
}

guint
assay_ratings_get_n_units (const AssayRatings *ratings)
{
  return ratings->n_units;
}

guint
assay_ratings_get_n_raters (const AssayRatings *ratings)
{
  return ratings->n_raters;
}

/* ---- statistics ---- */

void
assay_agreement_observed (const AssayRatings   *ratings,
                          AssayAgreementFigure *out)
{
  Tally t;
  double agreeing = 0, pairs = 0;

  g_return_if_fail (ratings != NULL && out != NULL);
  tally_init (&t, ratings);
  for (guint u = 0; u < t.n_units; u++)
    {
      for (guint c = 0; c < t.n_categories; c++)
        {
          double n = t.counts[u * t.n_categories + c];

          agreeing += n * (n - 1);
        }
      pairs += (double) t.m[u] * (t.m[u] - 1);
    }
  out->value = pairs > 0 ? agreeing / pairs : NAN;
  out->n_values = t.n_values;
  out->n_units = t.n_units;
  tally_clear (&t);
}

void
assay_agreement_fleiss_kappa (const AssayRatings   *ratings,
                              AssayAgreementFigure *out)
{
  Tally t;
  double p_bar = 0, p_e = 0;

  g_return_if_fail (ratings != NULL && out != NULL);
  tally_init (&t, ratings);
  out->value = NAN;
  out->n_values = t.n_values;
  out->n_units = t.n_units;
  if (t.n_units == 0)
    {
      tally_clear (&t);
      return;
    }

  for (guint u = 0; u < t.n_units; u++)
    {
      double agreeing = 0, m = t.m[u];

      for (guint c = 0; c < t.n_categories; c++)
        {
          double n = t.counts[u * t.n_categories + c];

          agreeing += n * (n - 1);
        }
      p_bar += agreeing / (m * (m - 1));
    }
  p_bar /= t.n_units;

  for (guint c = 0; c < t.n_categories; c++)
    {
      double n_c = 0;

      for (guint u = 0; u < t.n_units; u++)
        n_c += t.counts[u * t.n_categories + c];
      p_e += (n_c / t.n_values) * (n_c / t.n_values);
    }

  /* one category only: chance agreement is certain and kappa is 0/0 */
  if (t.n_categories > 1)
    out->value = (p_bar - p_e) / (1 - p_e);
  tally_clear (&t);
}

void
assay_agreement_krippendorff_alpha (const AssayRatings   *ratings,
                                    AssayMetric           metric,
                                    AssayAgreementFigure *out)
{
  Tally t;
  g_autofree double *o = NULL;
  g_autofree double *n_c = NULL;
  g_autofree double *delta2 = NULL;
  double observed = 0, expected = 0;
  guint k_n;

  g_return_if_fail (ratings != NULL && out != NULL);
  tally_init (&t, ratings);
  out->value = NAN;
  out->n_values = t.n_values;
  out->n_units = t.n_units;
  k_n = t.n_categories;
  if (k_n < 2)
    {
      tally_clear (&t);
      return;
    }

  /* the coincidence matrix: every ordered pair of ratings of a unit, weighted 1 / (m_u - 1) */
  o = g_new0 (double, k_n * k_n);
  for (guint u = 0; u < t.n_units; u++)
    {
      const guint *n_u = &t.counts[u * k_n];
      double w = 1.0 / (t.m[u] - 1);

      for (guint c = 0; c < k_n; c++)
        {
          if (n_u[c] == 0)
            continue;
          for (guint k = 0; k < k_n; k++)
            {
              double pairs = c == k ? (double) n_u[c] * (n_u[c] - 1) : (double) n_u[c] * n_u[k];

              o[c * k_n + k] += pairs * w;
            }
        }
    }
  n_c = g_new0 (double, k_n);
  for (guint c = 0; c < k_n; c++)
    for (guint k = 0; k < k_n; k++)
      n_c[c] += o[c * k_n + k];

  delta2 = g_new0 (double, k_n * k_n);
  for (guint c = 0; c < k_n; c++)
    for (guint k = 0; k < k_n; k++)
      {
        double d = 0;

        if (metric == ASSAY_METRIC_NOMINAL)
          d = c == k ? 0 : 1;
        else if (metric == ASSAY_METRIC_INTERVAL)
          d = (t.categories[c] - t.categories[k]) * (t.categories[c] - t.categories[k]);
        else
          {
            guint lo = MIN (c, k), hi = MAX (c, k);
            double sum = 0;

            for (guint g = lo; g <= hi; g++)
              sum += n_c[g];
            sum -= (n_c[lo] + n_c[hi]) / 2;
            d = sum * sum;
          }
        delta2[c * k_n + k] = d;
      }

  for (guint c = 0; c < k_n; c++)
    for (guint k = 0; k < k_n; k++)
      {
        observed += o[c * k_n + k] * delta2[c * k_n + k];
        expected += n_c[c] * n_c[k] * delta2[c * k_n + k];
      }

  if (expected > 0)
    out->value = 1 - (t.n_values - 1) * observed / expected;
  tally_clear (&t);
}

double
assay_agreement_trend (const double *values,
                       guint         n)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0, den;

  for (guint i = 0; i < n; i++)
    {
      if (isnan (values[i]))
        continue;
      sx += i;
      sy += values[i];
      sxx += (double) i * i;
      sxy += i * values[i];
      m++;
    }
  if (m < 2)
    return NAN;
  den = m * sxx - sx * sx;
  return den > 0 ? (m * sxy - sx * sy) / den : NAN;
}

gboolean
assay_agreement_stays_low (const double *alphas,
                           guint         n,
                           guint         k,
                           double        threshold)
{
  guint seen = 0;

  if (k == 0)
    return FALSE;
  for (guint i = n; i > 0 && seen < k; i--)
    {
      if (isnan (alphas[i - 1]))
        continue;
      if (alphas[i - 1] >= threshold)
        return FALSE;
      seen++;
    }
  return seen == k;
}

/* ---- sessions ---- */

gboolean
assay_agreement_metric_for_item (const AssayItem *item,
                                 AssayMetric     *out_metric)
{
  AssayMetric metric;

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
    case ASSAY_ITEM_SINGLE_CHOICE:
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      metric = ASSAY_METRIC_NOMINAL;
      break;
    case ASSAY_ITEM_SCALE:
      metric = ASSAY_METRIC_ORDINAL;
      break;
    case ASSAY_ITEM_POINTS:
    case ASSAY_ITEM_NUMBER:
      metric = ASSAY_METRIC_INTERVAL;
      break;
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return FALSE;
    }
  if (out_metric)
    *out_metric = metric;
  return TRUE;
}

gboolean
assay_agreement_code (const AssayItem   *item,
                      const AssayAnswer *answer,
                      double            *out_code)
{
  AssayMetric metric;
  double code;

  if (answer == NULL || !assay_agreement_metric_for_item (item, &metric))
    return FALSE;
  if (answer->state == ASSAY_ANSWER_NA)
    {
      if (metric != ASSAY_METRIC_NOMINAL)
        return FALSE;
      code = -1;
    }
  else if (answer->state != ASSAY_ANSWER_VALUE)
    return FALSE;
  else
    switch (item->kind)
      {
      case ASSAY_ITEM_YES_NO:
      case ASSAY_ITEM_YES_NO_NA:
      case ASSAY_ITEM_SINGLE_CHOICE:
        code = answer->choice;
        break;
      case ASSAY_ITEM_MULTIPLE_CHOICE:
        code = (double) answer->choices;
        break;
      default:
        code = answer->value;
        break;
      }
  *out_code = code;
  return TRUE;
}

static void
item_agreement_free (AssayItemAgreement *ia)
{
  g_array_unref (ia->spread);
  g_free (ia);
}

static void
unit_spread (const AssayRatings *ratings,
             guint               unit,
             AssayMetric         metric,
             AssayUnitSpread    *out)
{
  double agreeing = 0;

  *out = (AssayUnitSpread) { 0, 0, NAN, NAN, NAN };
  for (guint j = 0; j < ratings->n_raters; j++)
    {
      double v = assay_ratings_get (ratings, unit, j);
      gboolean seen = FALSE;

      if (isnan (v))
        continue;
      out->n_ratings++;
      for (guint k = 0; k < ratings->n_raters; k++)
        {
          double w = assay_ratings_get (ratings, unit, k);

          if (k != j && w == v)
            {
              agreeing++;
              seen = seen || k < j;
            }
        }
      out->n_distinct += !seen;
      if (metric != ASSAY_METRIC_NOMINAL)
        {
          out->min = isnan (out->min) ? v : MIN (out->min, v);
          out->max = isnan (out->max) ? v : MAX (out->max, v);
        }
    }
  if (out->n_ratings >= 2)
    out->agreement = agreeing / ((double) out->n_ratings * (out->n_ratings - 1));
}

static void
inspector_agreement_free (AssayInspectorAgreement *a)
{
  g_free (a->inspector_id);
  g_free (a);
}

void
assay_calibration_stats_free (AssayCalibrationStats *stats)
{
  if (stats == NULL)
    return;
  g_ptr_array_unref (stats->items);
  g_ptr_array_unref (stats->inspectors);
  g_free (stats);
}

static gboolean
same_answer (const AssayItem   *item,
             const AssayAnswer *a,
             const AssayAnswer *b)
{
  double ca, cb;

  if (a->state != b->state)
    return FALSE;
  if (a->state == ASSAY_ANSWER_NA)
    return TRUE;
  if (item->kind == ASSAY_ITEM_MULTIPLE_CHOICE)
    return a->choices == b->choices;
  return assay_agreement_code (item, a, &ca) && assay_agreement_code (item, b, &cb) && ca == cb;
}

AssayCalibrationStats *
assay_calibration_stats_compute (AssayForm           *form,
                                 guint                n_units,
                                 guint                n_inspectors,
                                 AssayAnswers *const *answers,
                                 AssayAnswers *const *consensus,
                                 const char *const   *inspector_ids)
{
  AssayCalibrationStats *stats = g_new0 (AssayCalibrationStats, 1);
  g_autofree double *agree = g_new0 (double, MAX (n_inspectors, 1));
  g_autofree double *deviation = g_new0 (double, MAX (n_inspectors, 1));

  stats->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_agreement_free);
  stats->inspectors = g_ptr_array_new_with_free_func ((GDestroyNotify) inspector_agreement_free);
  for (guint j = 0; j < n_inspectors; j++)
    {
      AssayInspectorAgreement *a = g_new0 (AssayInspectorAgreement, 1);

      a->inspector_id = g_strdup (inspector_ids[j]);
      g_ptr_array_add (stats->inspectors, a);
    }

  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      g_autoptr(AssayRatings) ratings = NULL;
      g_autoptr(GHashTable) sets = NULL;
      AssayItemAgreement *ia;
      AssayMetric metric;

      if (!assay_agreement_metric_for_item (item, &metric))
        continue;
      ratings = assay_ratings_new (n_units, n_inspectors);
      /* sets of options become categories numbered as they come: a bit mask of up to 64
       * options does not always fit a double exactly */
      sets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      ia = g_new0 (AssayItemAgreement, 1);
      ia->item = item;
      ia->metric = metric;

      for (guint u = 0; u < n_units; u++)
        {
          const AssayAnswer *c = consensus && consensus[u] ? assay_answers_get (consensus[u], i) : NULL;
          double c_earned = NAN, c_max;

          if (c != NULL && c->state == ASSAY_ANSWER_NONE)
            c = NULL;
          if (c != NULL)
            {
              ia->n_consensus++;
              if (!assay_answer_raw (item, c, &c_earned, &c_max))
                c_earned = NAN;
            }

          for (guint j = 0; j < n_inspectors; j++)
            {
              AssayAnswers *given = answers[u * n_inspectors + j];
              AssayInspectorAgreement *a = g_ptr_array_index (stats->inspectors, j);
              const AssayAnswer *answer;
              double code, earned, max;

              if (given == NULL)
                continue;
              answer = assay_answers_get (given, i);
              if (answer->state == ASSAY_ANSWER_NONE)
                continue;
              if (item->kind == ASSAY_ITEM_MULTIPLE_CHOICE && answer->state == ASSAY_ANSWER_VALUE)
                {
                  gint64 key = (gint64) answer->choices;
                  gpointer found = g_hash_table_lookup (sets, &key);

                  if (found == NULL)
                    {
                      found = GUINT_TO_POINTER (g_hash_table_size (sets) + 1);
                      g_hash_table_insert (sets, g_memdup2 (&key, sizeof key), found);
                    }
                  assay_ratings_set (ratings, u, j, GPOINTER_TO_UINT (found));
                }
              else if (assay_agreement_code (item, answer, &code))
                assay_ratings_set (ratings, u, j, code);
              a->n_ratings++;
              if (c == NULL)
                continue;
              a->n_compared++;
              if (same_answer (item, answer, c))
                agree[j]++;
              if (!isnan (c_earned) && assay_answer_raw (item, answer, &earned, &max))
                {
                  deviation[j] += (earned - c_earned) * item->weight;
                  a->n_deviation++;
                }
            }
        }

      ia->spread = g_array_sized_new (FALSE, TRUE, sizeof (AssayUnitSpread), n_units);
      g_array_set_size (ia->spread, n_units);
      for (guint u = 0; u < n_units; u++)
        unit_spread (ratings, u, metric, &g_array_index (ia->spread, AssayUnitSpread, u));
      assay_agreement_observed (ratings, &ia->agreement);
      assay_agreement_fleiss_kappa (ratings, &ia->kappa);
      if (metric != ASSAY_METRIC_NOMINAL)
        ia->kappa.value = NAN;
      assay_agreement_krippendorff_alpha (ratings, metric, &ia->alpha);
      g_ptr_array_add (stats->items, ia);
    }

  for (guint j = 0; j < n_inspectors; j++)
    {
      AssayInspectorAgreement *a = g_ptr_array_index (stats->inspectors, j);

      a->agreement_with_consensus = a->n_compared > 0 ? agree[j] / a->n_compared : NAN;
      a->mean_deviation = a->n_deviation > 0 ? deviation[j] / a->n_deviation : NAN;
    }
  return stats;
}
