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
