/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * AssayKpiCounts:
 * What the store adds up over a set of contacts (an agent's or a team's, over a period). Every
 * KPI of SCORING.md is computed from these counts by assay_kpi_figures_compute(), so a KPI
 * means the same on every page.
 */
typedef struct {
  gint64 contacts;          /* every contact in the set, abandoned ones included */
  gint64 abandoned;
  gint64 handled;           /* contacts not abandoned */
  gint64 handled_phone;
  gint64 handle_s_phone;    /* Σ talk + hold + wrap over handled phone contacts */
  gint64 handled_written;   /* chat, email, ticket */
  gint64 handle_s_written;
  gint64 csat_answers;      /* survey answers on the 1–5 scale */
  gint64 csat_satisfied;    /* answers 4 or 5 */
  gint64 nps_answers;       /* answers on the 0–10 scale */
  gint64 nps_promoters;     /* 9 or 10 */
  gint64 nps_detractors;    /* 0 to 6 */
  gint64 fcr_known;         /* contacts whose first-contact resolution is known */
  gint64 fcr_resolved;
  gint64 sl_offered;        /* phone contacts offered with a known service-level outcome */
  gint64 sl_answered;       /* of those, answered within the queue's threshold */
} AssayKpiCounts;

/**
 * AssayKpiValue:
 * One figure. @known is %FALSE when there is nothing to compute it from ("no data", which is
 * not 0); @n is how many answers or contacts the figure rests on.
 */
typedef struct {
  gboolean known;
  double   value;
  gint64   n;
} AssayKpiValue;

/**
 * AssayKpiFigures:
 * The headline figures of an agent or a team. Shares are percentages (0–100), NPS runs from
 * −100 to 100, handle times are seconds.
 */
typedef struct {
  gint64        contacts;
  gint64        handled;
  gint64        abandoned;
  AssayKpiValue csat;
  AssayKpiValue nps;
  AssayKpiValue fcr;
  AssayKpiValue aht;          /* all handled contacts */
  AssayKpiValue aht_phone;
  AssayKpiValue aht_written;  /* chat, email, ticket */
  AssayKpiValue service_level;
  AssayKpiValue abandon_rate; /* abandoned ÷ contacts */
} AssayKpiFigures;

typedef enum {
  ASSAY_KPI_CSAT,
  ASSAY_KPI_NPS,
  ASSAY_KPI_FCR,
  ASSAY_KPI_SERVICE_LEVEL,
  ASSAY_KPI_ABANDON_RATE,
  ASSAY_KPI_AHT,
} AssayKpi;

/* How a figure compares with common targets; a secondary cue only (never the sole signal). */
typedef enum {
  ASSAY_KPI_LEVEL_NONE,   /* no data, too few answers, or no target for this KPI */
  ASSAY_KPI_LEVEL_LOW,
  ASSAY_KPI_LEVEL_MID,
  ASSAY_KPI_LEVEL_HIGH,
} AssayKpiLevel;

#define ASSAY_TYPE_KPI_LEVEL (assay_kpi_level_get_type ())
GType assay_kpi_level_get_type (void);

/* Below this many answers a figure gets no colour cue: it says too little yet. */
#define ASSAY_KPI_MIN_N_FOR_LEVEL 5

/**
 * assay_kpi_share:
 * @part as a percentage of @whole. Unknown when @whole is 0 or the counts are inconsistent
 * (negative, or @part greater than @whole).
 */
AssayKpiValue assay_kpi_share           (gint64                part,
                                         gint64                whole);

/**
 * assay_kpi_nps:
 * Net promoter score: % promoters − % detractors of @answers, from −100 to 100. Unknown when
 * there are no answers or the counts are inconsistent.
 */
AssayKpiValue assay_kpi_nps             (gint64                promoters,
                                         gint64                detractors,
                                         gint64                answers);

/**
 * assay_kpi_mean:
 * @sum ÷ @n; unknown when @n is 0 or negative.
 */
AssayKpiValue assay_kpi_mean            (gint64                sum,
                                         gint64                n);

/** assay_kpi_counts_add: adds @src to @dest, count by count (a team from its agents). */
void          assay_kpi_counts_add      (AssayKpiCounts       *dest,
                                         const AssayKpiCounts *src);

/** assay_kpi_figures_compute: the headline figures from @counts. */
void          assay_kpi_figures_compute (const AssayKpiCounts *counts,
                                         AssayKpiFigures      *figures);

/**
 * assay_kpi_level:
 * Where @value of @kpi stands against common targets (CSAT 70/85 %, NPS 0/30, FCR 60/80 %,
 * service level 70/80 %, abandon rate 10/5 %). %ASSAY_KPI_LEVEL_NONE when unknown, when it
 * rests on fewer than %ASSAY_KPI_MIN_N_FOR_LEVEL answers, or for AHT (no good or bad per se).
 */
AssayKpiLevel assay_kpi_level           (AssayKpi              kpi,
                                         const AssayKpiValue  *value);

G_END_DECLS

G_BEGIN_DECLS

/*
 * Scorecard KPIs (docs/kpi.md): intervals, targets and status. Shares and scores are
 * percentages (0–100), NPS runs from −100 to 100, times are seconds.
 */

/**
 * AssayKpiLine:
 * One line of a scorecard. AHT has a line per channel; every line has its own target.
 */
typedef enum {
  ASSAY_KPI_LINE_QA_SCORE,
  ASSAY_KPI_LINE_SCORE_WITHOUT_FATAL,
  ASSAY_KPI_LINE_CRITICAL_SCORE,
  ASSAY_KPI_LINE_CRITICAL_FAIL_RATE,
  ASSAY_KPI_LINE_CSAT,
  ASSAY_KPI_LINE_NPS,
  ASSAY_KPI_LINE_FCR,
  ASSAY_KPI_LINE_AHT_PHONE,
  ASSAY_KPI_LINE_AHT_CHAT,
  ASSAY_KPI_LINE_AHT_EMAIL,
  ASSAY_KPI_LINE_AHT_TICKET,
  ASSAY_KPI_LINE_SERVICE_LEVEL,
  ASSAY_KPI_LINE_FIRST_RESPONSE,
  ASSAY_KPI_LINE_SLA_ATTAINMENT,
  ASSAY_KPI_N_LINES
} AssayKpiLine;

/* the channels of AHT and SLA breakdowns, in this order: phone, chat, email, ticket */
#define ASSAY_KPI_N_CHANNELS 4
/* the priorities of SLA attainment, in this order: low, normal, high, urgent */
#define ASSAY_KPI_N_PRIORITIES 4

/** assay_kpi_channel_name: "phone", "chat", "email" or "ticket" for 0–3, else %NULL. */
const char   *assay_kpi_channel_name     (guint                  channel);
/** assay_kpi_channel_from_name: the index of @name, or -1. */
int           assay_kpi_channel_from_name (const char           *name);
/** assay_kpi_priority_name: "low", "normal", "high" or "urgent" for 0–3, else %NULL. */
const char   *assay_kpi_priority_name    (guint                  priority);

/**
 * assay_kpi_line_key:
 * The key of @line in targets and JSON: "qa_score", "score_without_fatal", "critical_score",
 * "critical_fail_rate", "csat", "nps", "fcr", "aht_s.phone" (".chat", ".email", ".ticket"),
 * "service_level", "first_response_s", "sla_attainment".
 */
const char   *assay_kpi_line_key         (AssayKpiLine           line);
/** assay_kpi_line_from_key: the line of @key, or -1 when it is not a KPI key. */
int           assay_kpi_line_from_key    (const char            *key);
/** assay_kpi_line_lower_is_better: %TRUE for AHT, first response time and critical-fail rate. */
gboolean      assay_kpi_line_lower_is_better (AssayKpiLine       line);

/**
 * AssayKpiStatus:
 * A figure against its target: %ASSAY_KPI_STATUS_NO_DATA (nothing to compute it from),
 * %ASSAY_KPI_STATUS_TOO_FEW (fewer than the minimum n: "too few to judge"),
 * %ASSAY_KPI_STATUS_NO_TARGET, %ASSAY_KPI_STATUS_ON_TARGET, %ASSAY_KPI_STATUS_WARNING (missed
 * the target, not past the warning value) and %ASSAY_KPI_STATUS_BREACH (past the warning value).
 */
typedef enum {
  ASSAY_KPI_STATUS_NO_DATA,
  ASSAY_KPI_STATUS_TOO_FEW,
  ASSAY_KPI_STATUS_NO_TARGET,
  ASSAY_KPI_STATUS_ON_TARGET,
  ASSAY_KPI_STATUS_WARNING,
  ASSAY_KPI_STATUS_BREACH,
} AssayKpiStatus;

#define ASSAY_TYPE_KPI_STATUS (assay_kpi_status_get_type ())
GType         assay_kpi_status_get_type  (void);

/** assay_kpi_status_key: "no_data", "too_few", "no_target", "on_target", "warning", "breach". */
const char   *assay_kpi_status_key       (AssayKpiStatus         status);

/* The default minimum n below which a figure is "too few to judge". */
#define ASSAY_KPI_DEFAULT_MIN_N 5

/**
 * AssayKpiEstimate:
 * A figure with its 95 % interval. @has_ci is %FALSE when no interval can be given (a mean of
 * one value); @ci_lo and @ci_hi are then equal to @value.
 */
typedef struct {
  gboolean known;
  double   value;
  gint64   n;
  gboolean has_ci;
  double   ci_lo;
  double   ci_hi;
} AssayKpiEstimate;

/**
 * assay_kpi_normal_quantile:
 * The @p quantile of the standard normal distribution (0 < @p < 1), to full double precision.
 */
double        assay_kpi_normal_quantile  (double                 p);

/**
 * assay_kpi_t_quantile:
 * The @p quantile of Student's t distribution with @df degrees of freedom (0 < @p < 1,
 * @df ≥ 1): exact (to about 1e-12) from the closed-form distribution function for @df up to
 * 2000, a Cornish-Fisher expansion above. NaN for bad arguments.
 */
double        assay_kpi_t_quantile       (double                 p,
                                          gint64                 df);

/**
 * assay_kpi_wilson:
 * The Wilson score interval of @part successes in @n trials at 95 %, as percentages.
 * Returns: %FALSE (and leaves the bounds alone) when @n ≤ 0 or the counts are inconsistent.
 */
gboolean      assay_kpi_wilson           (gint64                 part,
                                          gint64                 n,
                                          double                *lo,
                                          double                *hi);

/**
 * assay_kpi_estimate_share:
 * @part of @n as a percentage with its Wilson interval.
 */
AssayKpiEstimate assay_kpi_estimate_share (gint64               part,
                                           gint64               n);

/**
 * assay_kpi_estimate_mean:
 * The mean of @n values from their @sum and @sum_sq (Σx²), with the Student-t 95 % interval
 * mean ± t(0.975, n−1)·s/√n (none for n = 1).
 */
AssayKpiEstimate assay_kpi_estimate_mean  (double               sum,
                                           double               sum_sq,
                                           gint64               n);

/**
 * assay_kpi_estimate_nps:
 * NPS as the mean of +100 (promoter), 0 (passive) and −100 (detractor) over @n answers, with
 * the Student-t interval of that mean.
 */
AssayKpiEstimate assay_kpi_estimate_nps   (gint64               promoters,
                                           gint64               detractors,
                                           gint64               n);

/**
 * assay_kpi_status:
 * Where @estimate stands: no data, too few (n < @min_n), no target (@has_target %FALSE), else
 * against @target and @warning, higher being better unless @lower_is_better. Higher is better:
 * on target when value ≥ target, warning when value ≥ warning, else breach; lower is better:
 * on target when value ≤ target, warning when value ≤ warning, else breach.
 */
AssayKpiStatus assay_kpi_status           (const AssayKpiEstimate *estimate,
                                           gint64                min_n,
                                           gboolean              has_target,
                                           double                target,
                                           double                warning,
                                           gboolean              lower_is_better);

/**
 * AssayKpiSums:
 * The additive sums every scorecard figure is computed from (one row of the KPI summary
 * tables, or many added up). Times are whole seconds; QA scores are kept in 1/10,000 points
 * (`*_e4`), so sums are exact integers.
 */
typedef struct {
  gint64 contacts;
  gint64 handled[ASSAY_KPI_N_CHANNELS];     /* not abandoned */
  gint64 handle_s[ASSAY_KPI_N_CHANNELS];    /* Σ talk + hold + wrap of handled contacts */
  gint64 handle_s2[ASSAY_KPI_N_CHANNELS];   /* Σ of its squares */
  gint64 csat_n, csat_ok;
  gint64 nps_n, nps_pro, nps_det;
  gint64 fcr_n, fcr_ok;
  gint64 sl_n, sl_ok;
  gint64 fr_n, fr_s, fr_s2;
  gint64 sla_n[ASSAY_KPI_N_PRIORITIES][ASSAY_KPI_N_CHANNELS];
  gint64 sla_ok[ASSAY_KPI_N_PRIORITIES][ASSAY_KPI_N_CHANNELS];
  gint64 evals;                             /* submitted evaluations */
  gint64 fatal;                             /* of them, with a failed fatal item */
  gint64 qa_n, qa_e4, qa_e4sq;              /* with a score */
  gint64 nf_n, nf_e4, nf_e4sq;              /* with a score without fatal */
  gint64 crit_n, crit_e4, crit_e4sq;        /* with a critical score */
} AssayKpiSums;

/** assay_kpi_sums_add: adds @src to @dest. */
void          assay_kpi_sums_add         (AssayKpiSums          *dest,
                                          const AssayKpiSums    *src);

/** assay_kpi_sums_estimate: the figure of @line from @sums. */
AssayKpiEstimate assay_kpi_sums_estimate (const AssayKpiSums    *sums,
                                          AssayKpiLine           line);

/** assay_kpi_sums_sla: SLA attainment of one priority and channel (-1: all of them). */
AssayKpiEstimate assay_kpi_sums_sla      (const AssayKpiSums    *sums,
                                          int                    priority,
                                          int                    channel);

/**
 * assay_kpi_day_from_ymd:
 * The number of a calendar day, counted from 1970-01-01 (day 0), as the KPI summaries count
 * local days. -1 (G_MININT) for an invalid date.
 */
int           assay_kpi_day_from_ymd     (int                    year,
                                          int                    month,
                                          int                    day);
/** assay_kpi_day_parse: a day from "YYYY-MM-DD"; %FALSE when @text is not a valid date. */
gboolean      assay_kpi_day_parse        (const char            *text,
                                          int                   *day);
/** assay_kpi_day_format: "YYYY-MM-DD" of @day. */
char         *assay_kpi_day_format       (int                    day);
/** assay_kpi_day_weekday: 1 Monday … 7 Sunday. */
int           assay_kpi_day_weekday      (int                    day);

G_END_DECLS
