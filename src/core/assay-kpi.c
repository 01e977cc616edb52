/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assay-kpi.h"

G_DEFINE_ENUM_TYPE (AssayKpiLevel, assay_kpi_level,
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_LEVEL_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_LEVEL_LOW, "low"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_LEVEL_MID, "mid"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_LEVEL_HIGH, "high"))

static const AssayKpiValue no_data = { FALSE, 0.0, 0 };

AssayKpiValue
assay_kpi_share (gint64 part,
                 gint64 whole)
{
  AssayKpiValue v = no_data;

  if (whole <= 0 || part < 0 || part > whole)
    return v;
  v.known = TRUE;
  v.value = 100.0 * (double) part / (double) whole;
  v.n = whole;
  return v;
}

AssayKpiValue
assay_kpi_nps (gint64 promoters,
               gint64 detractors,
               gint64 answers)
{
  AssayKpiValue v = no_data;

  if (answers <= 0 || promoters < 0 || detractors < 0 || promoters > answers
      || detractors > answers - promoters)
    return v;
  v.known = TRUE;
  /* one division, so 1 promoter and 1 detractor of 3 gives exactly 0 */
  v.value = 100.0 * (double) (promoters - detractors) / (double) answers;
  v.n = answers;
  return v;
}

AssayKpiValue
assay_kpi_mean (gint64 sum,
                gint64 n)
{
  AssayKpiValue v = no_data;

  if (n <= 0)
    return v;
  v.known = TRUE;
  v.value = (double) sum / (double) n;
  v.n = n;
  return v;
}

void
assay_kpi_counts_add (AssayKpiCounts       *dest,
                      const AssayKpiCounts *src)
{
  dest->contacts += src->contacts;
  dest->abandoned += src->abandoned;
  dest->handled += src->handled;
  dest->handled_phone += src->handled_phone;
  dest->handle_s_phone += src->handle_s_phone;
  dest->handled_written += src->handled_written;
  dest->handle_s_written += src->handle_s_written;
  dest->csat_answers += src->csat_answers;
  dest->csat_satisfied += src->csat_satisfied;
  dest->nps_answers += src->nps_answers;
  dest->nps_promoters += src->nps_promoters;
  dest->nps_detractors += src->nps_detractors;
  dest->fcr_known += src->fcr_known;
  dest->fcr_resolved += src->fcr_resolved;
  dest->sl_offered += src->sl_offered;
  dest->sl_answered += src->sl_answered;
}

void
assay_kpi_figures_compute (const AssayKpiCounts *counts,
                           AssayKpiFigures      *figures)
{
  figures->contacts = counts->contacts;
  figures->handled = counts->handled;
  figures->abandoned = counts->abandoned;
  figures->csat = assay_kpi_share (counts->csat_satisfied, counts->csat_answers);
  figures->nps = assay_kpi_nps (counts->nps_promoters, counts->nps_detractors,
                                counts->nps_answers);
  figures->fcr = assay_kpi_share (counts->fcr_resolved, counts->fcr_known);
  figures->aht_phone = assay_kpi_mean (counts->handle_s_phone, counts->handled_phone);
  figures->aht_written = assay_kpi_mean (counts->handle_s_written, counts->handled_written);
  figures->aht = assay_kpi_mean (counts->handle_s_phone + counts->handle_s_written,
                                 counts->handled_phone + counts->handled_written);
  figures->service_level = assay_kpi_share (counts->sl_answered, counts->sl_offered);
  figures->abandon_rate = assay_kpi_share (counts->abandoned, counts->contacts);
}

AssayKpiLevel
assay_kpi_level (AssayKpi             kpi,
                 const AssayKpiValue *value)
{
  double low, high;
  gboolean lower_is_better = FALSE;

  if (value == NULL || !value->known || value->n < ASSAY_KPI_MIN_N_FOR_LEVEL)
    return ASSAY_KPI_LEVEL_NONE;

  switch (kpi)
    {
    case ASSAY_KPI_CSAT:
      low = 70, high = 85;
      break;
    case ASSAY_KPI_NPS:
      low = 0, high = 30;
      break;
    case ASSAY_KPI_FCR:
      low = 60, high = 80;
      break;
    case ASSAY_KPI_SERVICE_LEVEL:
      low = 70, high = 80;
      break;
    case ASSAY_KPI_ABANDON_RATE:
      low = 10, high = 5;
      lower_is_better = TRUE;
      break;
    case ASSAY_KPI_AHT:
    default:
      return ASSAY_KPI_LEVEL_NONE;
    }

  if (lower_is_better)
    {
      if (value->value > low)
        return ASSAY_KPI_LEVEL_LOW;
      if (value->value <= high)
        return ASSAY_KPI_LEVEL_HIGH;
      return ASSAY_KPI_LEVEL_MID;
    }
  if (value->value < low)
    return ASSAY_KPI_LEVEL_LOW;
  if (value->value >= high)
    return ASSAY_KPI_LEVEL_HIGH;
  return ASSAY_KPI_LEVEL_MID;
}

/* ---- scorecard KPIs ---- */

G_DEFINE_ENUM_TYPE (AssayKpiStatus, assay_kpi_status,
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_STATUS_NO_DATA, "no-data"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_STATUS_TOO_FEW, "too-few"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_STATUS_NO_TARGET, "no-target"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_STATUS_ON_TARGET, "on-target"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_STATUS_WARNING, "warning"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_STATUS_BREACH, "breach"))

static const char *const channel_names[ASSAY_KPI_N_CHANNELS] = { "phone", "chat", "email", "ticket" };
static const char *const priority_names[ASSAY_KPI_N_PRIORITIES] = { "low", "normal", "high", "urgent" };

static const char *const line_keys[ASSAY_KPI_N_LINES] = {
  [ASSAY_KPI_LINE_QA_SCORE] = "qa_score",
  [ASSAY_KPI_LINE_SCORE_WITHOUT_FATAL] = "score_without_fatal",
  [ASSAY_KPI_LINE_CRITICAL_SCORE] = "critical_score",
  [ASSAY_KPI_LINE_CRITICAL_FAIL_RATE] = "critical_fail_rate",
  [ASSAY_KPI_LINE_CSAT] = "csat",
  [ASSAY_KPI_LINE_NPS] = "nps",
  [ASSAY_KPI_LINE_FCR] = "fcr",
  [ASSAY_KPI_LINE_AHT_PHONE] = "aht_s.phone",
  [ASSAY_KPI_LINE_AHT_CHAT] = "aht_s.chat",
  [ASSAY_KPI_LINE_AHT_EMAIL] = "aht_s.email",
  [ASSAY_KPI_LINE_AHT_TICKET] = "aht_s.ticket",
  [ASSAY_KPI_LINE_SERVICE_LEVEL] = "service_level",
  [ASSAY_KPI_LINE_FIRST_RESPONSE] = "first_response_s",
  [ASSAY_KPI_LINE_SLA_ATTAINMENT] = "sla_attainment",
};

const char *
assay_kpi_channel_name (guint channel)
{
  return channel < ASSAY_KPI_N_CHANNELS ? channel_names[channel] : NULL;
}

int
assay_kpi_channel_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < ASSAY_KPI_N_CHANNELS; i++)
    if (strcmp (name, channel_names[i]) == 0)
      return (int) i;
  return -1;
}

const char *
assay_kpi_priority_name (guint priority)
{
  return priority < ASSAY_KPI_N_PRIORITIES ? priority_names[priority] : NULL;
}

const char *
assay_kpi_line_key (AssayKpiLine line)
{
  return (guint) line < ASSAY_KPI_N_LINES ? line_keys[line] : NULL;
}

int
assay_kpi_line_from_key (const char *key)
{
  for (guint i = 0; key != NULL && i < ASSAY_KPI_N_LINES; i++)
    if (strcmp (key, line_keys[i]) == 0)
      return (int) i;
  return -1;
}

gboolean
assay_kpi_line_lower_is_better (AssayKpiLine line)
{
  switch (line)
    {
    case ASSAY_KPI_LINE_CRITICAL_FAIL_RATE:
    case ASSAY_KPI_LINE_AHT_PHONE:
    case ASSAY_KPI_LINE_AHT_CHAT:
    case ASSAY_KPI_LINE_AHT_EMAIL:
    case ASSAY_KPI_LINE_AHT_TICKET:
    case ASSAY_KPI_LINE_FIRST_RESPONSE:
      return TRUE;
    default:
      return FALSE;
    }
}

const char *
assay_kpi_status_key (AssayKpiStatus status)
{
  switch (status)
    {
    case ASSAY_KPI_STATUS_NO_DATA: return "no_data";
    case ASSAY_KPI_STATUS_TOO_FEW: return "too_few";
    case ASSAY_KPI_STATUS_NO_TARGET: return "no_target";
    case ASSAY_KPI_STATUS_ON_TARGET: return "on_target";
    case ASSAY_KPI_STATUS_WARNING: return "warning";
    case ASSAY_KPI_STATUS_BREACH: return "breach";
    default: return NULL;
    }
}

static double
normal_cdf (double x)
{
  return 0.5 * erfc (-x / G_SQRT2);
}

double
assay_kpi_normal_quantile (double p)
{
  double q, t, x;

  if (!(p > 0.0 && p < 1.0))
    return NAN;
  if (p == 0.5)
    return 0.0;

  /* a rough start (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4), then Newton steps on the
   * exact distribution function (erfc of the C library) */
  q = p < 0.5 ? p : 1.0 - p;
  t = sqrt (-2.0 * log (q));
  x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
          / (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  if (p < 0.5)
    x = -x;
  for (int i = 0; i < 6; i++)
    {
      double density = exp (-0.5 * x * x) / sqrt (2.0 * G_PI);
      double step = (normal_cdf (x) - p) / density;

      x -= step;
      if (fabs (step) < 1e-15 * MAX (1.0, fabs (x)))
        break;
    }
  return x;
}

/*
 * P(|T| < t) for integer @df ≥ 1, exactly, by the finite series of Abramowitz & Stegun 26.7.3
 * (odd df) and 26.7.4 (even df) in θ = atan(t/√df).
 */
static double
t_central (double t,
           gint64 df)
{
  double theta = atan (t / sqrt ((double) df));
  double c = cos (theta), s = sin (theta), c2 = c * c;
  double term = 1.0, sum = 1.0;

  if (df % 2 == 1)
    {
      if (df == 1)
        return 2.0 * theta / G_PI;
      for (gint64 k = 2; k <= df - 3; k += 2)
        {
          term *= c2 * (double) k / (double) (k + 1);
          sum += term;
        }
      return 2.0 / G_PI * (theta + s * c * sum);
    }
  for (gint64 k = 1; k <= df - 3; k += 2)
    {
      term *= c2 * (double) k / (double) (k + 1);
      sum += term;
    }
  return s * sum;
}

static double
t_density (double t,
           gint64 df)
{
  double v = (double) df;

  return exp (lgamma ((v + 1.0) / 2.0) - lgamma (v / 2.0) - 0.5 * log (v * G_PI)
              - (v + 1.0) / 2.0 * log1p (t * t / v));
}

/* the Cornish-Fisher expansion of the t quantile around the normal one (A&S 26.7.5) */
static double
t_cornish_fisher (double z,
                  double v)
{
  double z2 = z * z;
  double g1 = (z2 + 1.0) * z / 4.0;
  double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
  double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
  double g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;

  return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
}

double
assay_kpi_t_quantile (double p,
                      gint64 df)
{
  double q, t;

  if (!(p > 0.0 && p < 1.0) || df < 1)
    return NAN;
  if (p < 0.5)
    return -assay_kpi_t_quantile (1.0 - p, df);
  if (p == 0.5)
    return 0.0;
  if (df == 1)
    return tan (G_PI * (p - 0.5));
  if (df == 2)
    return (2.0 * p - 1.0) / sqrt (2.0 * p * (1.0 - p));
  t = t_cornish_fisher (assay_kpi_normal_quantile (p), (double) df);
  if (df > 2000)
    return t;

  /* Newton on the exact distribution function; it is concave for t > 0, so after the first
   * step the iterates climb to the root from below */
  q = 2.0 * p - 1.0;
  for (int i = 0; i < 200; i++)
    {
      double step = (t_central (t, df) - q) / (2.0 * t_density (t, df));
      double next = t - step;

      if (next <= 0.0)
        next = t / 2.0;
      if (fabs (next - t) < 1e-14 * next)
        return next;
      t = next;
    }
  return t;
}

gboolean
assay_kpi_wilson (gint64  part,
                  gint64  n,
                  double *lo,
                  double *hi)
{
  double z, z2, p, denom, centre, half;

  if (n <= 0 || part < 0 || part > n)
    return FALSE;
  z = assay_kpi_normal_quantile (0.975);
  z2 = z * z;
  p = (double) part / (double) n;
  denom = 1.0 + z2 / (double) n;
  centre = (p + z2 / (2.0 * (double) n)) / denom;
  half = z / denom * sqrt (p * (1.0 - p) / (double) n + z2 / (4.0 * (double) n * (double) n));
  *lo = 100.0 * MAX (0.0, centre - half);
  *hi = 100.0 * MIN (1.0, centre + half);
  return TRUE;
}

static const AssayKpiEstimate no_estimate = { FALSE, 0.0, 0, FALSE, 0.0, 0.0 };

AssayKpiEstimate
assay_kpi_estimate_share (gint64 part,
                          gint64 n)
{
  AssayKpiEstimate e = no_estimate;

  if (!assay_kpi_wilson (part, n, &e.ci_lo, &e.ci_hi))
    return e;
  e.known = TRUE;
  e.has_ci = TRUE;
  e.value = 100.0 * (double) part / (double) n;
  e.n = n;
  return e;
}

AssayKpiEstimate
assay_kpi_estimate_mean (double sum,
                         double sum_sq,
                         gint64 n)
{
  AssayKpiEstimate e = no_estimate;
  double var, half;

  if (n <= 0)
    return e;
  e.known = TRUE;
  e.n = n;
  e.value = sum / (double) n;
  e.ci_lo = e.ci_hi = e.value;
  if (n < 2)
    return e;
  var = (sum_sq - sum * sum / (double) n) / (double) (n - 1);
  if (var < 0.0)
    var = 0.0;  /* rounding, when every value is the same */
  half = assay_kpi_t_quantile (0.975, n - 1) * sqrt (var / (double) n);
  e.has_ci = TRUE;
  e.ci_lo = e.value - half;
  e.ci_hi = e.value + half;
  return e;
}

AssayKpiEstimate
assay_kpi_estimate_nps (gint64 promoters,
                        gint64 detractors,
                        gint64 n)
{
  AssayKpiEstimate e;

  if (n <= 0 || promoters < 0 || detractors < 0 || promoters > n || detractors > n - promoters)
    return no_estimate;
  e = assay_kpi_estimate_mean (100.0 * (double) (promoters - detractors),
                               10000.0 * (double) (promoters + detractors), n);
  /* one division, so 1 promoter and 1 detractor of 3 is exactly 0 */
  e.value = 100.0 * (double) (promoters - detractors) / (double) n;
  if (e.has_ci)
    {
      e.ci_lo = MAX (-100.0, e.ci_lo);
      e.ci_hi = MIN (100.0, e.ci_hi);
    }
  return e;
}

AssayKpiStatus
assay_kpi_status (const AssayKpiEstimate *estimate,
                  gint64                  min_n,
                  gboolean                has_target,
                  double                  target,
                  double                  warning,
                  gboolean                lower_is_better)
{
  double v;

  if (estimate == NULL || !estimate->known)
    return ASSAY_KPI_STATUS_NO_DATA;
  if (estimate->n < min_n)
    return ASSAY_KPI_STATUS_TOO_FEW;
  if (!has_target)
    return ASSAY_KPI_STATUS_NO_TARGET;
  v = estimate->value;
  if (lower_is_better)
    {
      if (v <= target)
        return ASSAY_KPI_STATUS_ON_TARGET;
      return v <= warning ? ASSAY_KPI_STATUS_WARNING : ASSAY_KPI_STATUS_BREACH;
    }
  if (v >= target)
    return ASSAY_KPI_STATUS_ON_TARGET;
  return v >= warning ? ASSAY_KPI_STATUS_WARNING : ASSAY_KPI_STATUS_BREACH;
}

void
assay_kpi_sums_add (AssayKpiSums       *dest,
                    const AssayKpiSums *src)
{
  /* the struct is nothing but gint64 counters */
  gint64 *d = (gint64 *) dest;
  const gint64 *s = (const gint64 *) src;

  G_STATIC_ASSERT (sizeof (AssayKpiSums) % sizeof (gint64) == 0);
  for (gsize i = 0; i < sizeof (AssayKpiSums) / sizeof (gint64); i++)
    d[i] += s[i];
}

AssayKpiEstimate
assay_kpi_sums_sla (const AssayKpiSums *sums,
                    int                 priority,
                    int                 channel)
{
  gint64 n = 0, ok = 0;

  for (int p = 0; p < ASSAY_KPI_N_PRIORITIES; p++)
    for (int c = 0; c < ASSAY_KPI_N_CHANNELS; c++)
      if ((priority < 0 || priority == p) && (channel < 0 || channel == c))
        {
          n += sums->sla_n[p][c];
          ok += sums->sla_ok[p][c];
        }
  return assay_kpi_estimate_share (ok, n);
}

AssayKpiEstimate
assay_kpi_sums_estimate (const AssayKpiSums *sums,
                         AssayKpiLine        line)
{
  guint c;

  switch (line)
    {
    case ASSAY_KPI_LINE_QA_SCORE:
      return assay_kpi_estimate_mean ((double) sums->qa_e4 / 1e4, (double) sums->qa_e4sq / 1e8,
                                      sums->qa_n);
    case ASSAY_KPI_LINE_SCORE_WITHOUT_FATAL:
      return assay_kpi_estimate_mean ((double) sums->nf_e4 / 1e4, (double) sums->nf_e4sq / 1e8,
                                      sums->nf_n);
    case ASSAY_KPI_LINE_CRITICAL_SCORE:
      return assay_kpi_estimate_mean ((double) sums->crit_e4 / 1e4,
                                      (double) sums->crit_e4sq / 1e8, sums->crit_n);
    case ASSAY_KPI_LINE_CRITICAL_FAIL_RATE:
      return assay_kpi_estimate_share (sums->fatal, sums->evals);
    case ASSAY_KPI_LINE_CSAT:
      return assay_kpi_estimate_share (sums->csat_ok, sums->csat_n);
    case ASSAY_KPI_LINE_NPS:
      return assay_kpi_estimate_nps (sums->nps_pro, sums->nps_det, sums->nps_n);
    case ASSAY_KPI_LINE_FCR:
      return assay_kpi_estimate_share (sums->fcr_ok, sums->fcr_n);
    case ASSAY_KPI_LINE_AHT_PHONE:
    case ASSAY_KPI_LINE_AHT_CHAT:
    case ASSAY_KPI_LINE_AHT_EMAIL:
    case ASSAY_KPI_LINE_AHT_TICKET:
      c = line - ASSAY_KPI_LINE_AHT_PHONE;
      return assay_kpi_estimate_mean ((double) sums->handle_s[c], (double) sums->handle_s2[c],
                                      sums->handled[c]);
    case ASSAY_KPI_LINE_SERVICE_LEVEL:
      return assay_kpi_estimate_share (sums->sl_ok, sums->sl_n);
    case ASSAY_KPI_LINE_FIRST_RESPONSE:
      return assay_kpi_estimate_mean ((double) sums->fr_s, (double) sums->fr_s2, sums->fr_n);
    case ASSAY_KPI_LINE_SLA_ATTAINMENT:
      return assay_kpi_sums_sla (sums, -1, -1);
    case ASSAY_KPI_N_LINES:
    default:
      return no_estimate;
    }
}

/* GLib's Julian day of 1970-01-01 (day 1 is 0001-01-01) */
#define JULIAN_EPOCH 719163

int
assay_kpi_day_from_ymd (int year,
                        int month,
                        int day)
{
  GDate date;

  if (year < 1 || year > 9999 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month,
                                                   (GDateYear) year))
    return G_MININT;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return (int) g_date_get_julian (&date) - JULIAN_EPOCH;
}

gboolean
assay_kpi_day_parse (const char *text,
                     int        *day)
{
  int y, m, d, n = 0;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10
      || text[n] != '\0' || text[4] != '-' || text[7] != '-')
    return FALSE;
  *day = assay_kpi_day_from_ymd (y, m, d);
  return *day != G_MININT;
}

char *
assay_kpi_day_format (int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) (day + JULIAN_EPOCH));
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

int
assay_kpi_day_weekday (int day)
{
  /* 1970-01-01 was a Thursday */
  return ((day + 3) % 7 + 7) % 7 + 1;
}
