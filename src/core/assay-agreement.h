/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/assay-form.h"

G_BEGIN_DECLS

/*
 * Inter-rater agreement for calibration sessions: observed agreement, Fleiss' kappa and
 * Krippendorff's alpha over a reliability matrix (units × raters, missing ratings allowed), and
 * the per-inspector figures against a consensus. docs/calibration.md gives every formula.
 */

/**
 * AssayMetric:
 * The difference function of Krippendorff's alpha: nominal (equal or not), ordinal (ranks,
 * Krippendorff 2011) or interval (squared difference).
 */
typedef enum {
  ASSAY_METRIC_NOMINAL,
  ASSAY_METRIC_ORDINAL,
  ASSAY_METRIC_INTERVAL,
} AssayMetric;

/** assay_metric_to_string: "nominal", "ordinal" or "interval". */
const char *assay_metric_to_string (AssayMetric metric);

/** AssayRatings: a reliability matrix, units × raters, each a number or missing. */
typedef struct _AssayRatings AssayRatings;

/** assay_ratings_new: @n_units × @n_raters ratings, all missing. */
AssayRatings *assay_ratings_new          (guint               n_units,
                                          guint               n_raters);
void          assay_ratings_free         (AssayRatings       *ratings);
/** assay_ratings_set: the rating of @unit by @rater; NAN makes it missing. */
void          assay_ratings_set          (AssayRatings       *ratings,
                                          guint               unit,
                                          guint               rater,
                                          double              value);
/** assay_ratings_get: the rating of @unit by @rater, NAN when missing. */
double        assay_ratings_get          (const AssayRatings *ratings,
                                          guint               unit,
                                          guint               rater);
guint         assay_ratings_get_n_units  (const AssayRatings *ratings);
guint         assay_ratings_get_n_raters (const AssayRatings *ratings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayRatings, assay_ratings_free)

/**
 * AssayAgreementFigure:
 * A statistic with what it rests on. @value is NAN when the statistic is undefined (no unit
 * rated twice; for kappa and alpha also when every pairable rating is the same value).
 * @n_values counts the pairable ratings (those in units rated at least twice), @n_units those
 * units.
 */
typedef struct {
  double value;
  guint  n_values;
  guint  n_units;
} AssayAgreementFigure;

/** assay_agreement_observed: the share of agreeing pairs among all pairs of ratings of a unit. */
void assay_agreement_observed           (const AssayRatings   *ratings,
                                         AssayAgreementFigure *out);
/** assay_agreement_fleiss_kappa: Fleiss' kappa, with units weighted equally (missing allowed). */
void assay_agreement_fleiss_kappa       (const AssayRatings   *ratings,
                                         AssayAgreementFigure *out);
/** assay_agreement_krippendorff_alpha: Krippendorff's alpha with @metric. */
void assay_agreement_krippendorff_alpha (const AssayRatings   *ratings,
                                         AssayMetric           metric,
                                         AssayAgreementFigure *out);

/**
 * assay_agreement_trend:
 * The least-squares slope of @values over their positions 0, 1, … (NAN values left out): the
 * change per session. NAN with fewer than two values.
 */
double   assay_agreement_trend     (const double *values,
                                    guint         n);

/**
 * assay_agreement_stays_low:
 * Whether the last @k defined values of @alphas (oldest first, NAN = undefined, skipped) are
 * all below @threshold. %FALSE when fewer than @k values are defined.
 */
gboolean assay_agreement_stays_low (const double *alphas,
                                    guint         n,
                                    guint         k,
                                    double        threshold);

/* ---- a calibration session's statistics from the inspectors' answers ---- */

/**
 * assay_agreement_metric_for_item:
 * The metric that fits @item: yes/no, yes/no/N/A and choice items are nominal, scales ordinal,
 * points and numbers interval. Returns %FALSE for text and date items (not rated).
 */
gboolean assay_agreement_metric_for_item (const AssayItem   *item,
                                          AssayMetric       *out_metric);
/**
 * assay_agreement_code:
 * The rating an answer gives on @item: Yes 0 / No 1, the option index, the set of options as a
 * bit mask (exact up to 53 options; assay_calibration_stats_compute() numbers the sets instead),
 * the scale value, the number. N/A is a category of its own (-1) on nominal items and
 * missing on ordinal and interval ones. Returns %FALSE when the answer gives no rating.
 */
gboolean assay_agreement_code            (const AssayItem   *item,
                                          const AssayAnswer *answer,
                                          double            *out_code);

/**
 * AssayUnitSpread:
 * How one unit's ratings of an item spread, for a side-by-side view: how many there are, how
 * many distinct answers, the share of agreeing pairs (NAN with fewer than two ratings) and, on
 * ordinal and interval items, the lowest and highest value (NAN otherwise).
 */
typedef struct {
  guint  n_ratings;
  guint  n_distinct;
  double agreement;
  double min;
  double max;
} AssayUnitSpread;

typedef struct {
  const AssayItem      *item;
  AssayMetric           metric;
  AssayAgreementFigure  agreement;
  AssayAgreementFigure  kappa;        /* value NAN for ordinal and interval items */
  AssayAgreementFigure  alpha;
  guint                 n_consensus;  /* units with a consensus answer */
  GArray               *spread;       /* AssayUnitSpread per unit */
} AssayItemAgreement;

typedef struct {
  char   *inspector_id;
  double  agreement_with_consensus;   /* share of answers equal to the consensus, or NAN */
  guint   n_compared;                 /* answers compared with a consensus */
  double  mean_deviation;             /* mean (own points − consensus points), or NAN */
  guint   n_deviation;                /* answers with points on both sides */
  guint   n_ratings;                  /* ratings given */
} AssayInspectorAgreement;

typedef struct {
  GPtrArray *items;        /* AssayItemAgreement*, form order, rated items only */
  GPtrArray *inspectors;   /* AssayInspectorAgreement*, in the order given */
} AssayCalibrationStats;

/**
 * assay_calibration_stats_compute:
 * The statistics of one session on @form: @answers holds @n_units × @n_inspectors answers
 * (unit-major, %NULL where an inspector did not score the unit), @consensus one answers set per
 * unit holding the consensus items (%NULL for none), @inspector_ids the inspectors' ids.
 */
AssayCalibrationStats *assay_calibration_stats_compute (AssayForm           *form,
                                                        guint                n_units,
                                                        guint                n_inspectors,
                                                        AssayAnswers *const *answers,
                                                        AssayAnswers *const *consensus,
                                                        const char *const   *inspector_ids);
void                   assay_calibration_stats_free    (AssayCalibrationStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCalibrationStats, assay_calibration_stats_free)

G_END_DECLS
