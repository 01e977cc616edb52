/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/assay-agreement.h"
#include "assay-store-calibration.h"

G_BEGIN_DECLS

/**
 * AssayCalibrationView:
 * One session as a viewer may see it, read back through the form engine, with its
 * statistics: @answers holds units × inspectors submitted answers (%NULL gaps), @consensus one
 * answers set per unit (%NULL for none), @submitted the submitted scorings counted in, @own the
 * viewer's own scorings (drafts included).
 */
typedef struct {
  AssayCalibrationSessionRecord *record;
  AssayForm                     *form;
  GPtrArray                     *answers;
  GPtrArray                     *consensus;
  GPtrArray                     *submitted;
  GPtrArray                     *own;
  AssayCalibrationStats         *stats;
  GPtrArray                     *history;   /* see assay_store_load_calibration_history_sync() */
} AssayCalibrationView;

void assay_calibration_view_free (AssayCalibrationView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCalibrationView, assay_calibration_view_free)

/**
 * assay_calibration_view_new:
 * Builds the view from what the store returned: the session @record (taken), the form
 * version's @definition, the @scorings visible to @viewer_id (taken; %NULL viewer: all) and
 * the consensus @rows. Fails when a scoring or the consensus cannot be read.
 */
AssayCalibrationView *assay_calibration_view_new (AssayCalibrationSessionRecord *record,
                                                  const char                    *definition,
                                                  GPtrArray                     *scorings,
                                                  GPtrArray                     *rows,
                                                  const char                    *viewer_id,
                                                  GError                       **error);

/** assay_store_load_calibration_view_sync: the session as @viewer_id (%NULL: all) sees it. */
AssayCalibrationView *assay_store_load_calibration_view_sync (AssayStore  *store,
                                                              const char  *session_id,
                                                              const char  *viewer_id,
                                                              GError     **error);

/** assay_store_load_calibration_view_async: likewise, without blocking. */
void                  assay_store_load_calibration_view_async  (AssayStore          *store,
                                                                const char          *session_id,
                                                                const char          *viewer_id,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
AssayCalibrationView *assay_store_load_calibration_view_finish (AssayStore          *store,
                                                                GAsyncResult        *result,
                                                                GError             **error);

/**
 * assay_store_load_calibration_history_sync:
 * Fills @view->history with the earlier sessions on the same scorecard (any version) whose
 * answers are open (opened or closed), oldest first, each as a view without a history of its
 * own: what "grade the grader" and the rewording flags look back on (docs/calibration.md).
 * The async loader fills it too.
 */
gboolean assay_store_load_calibration_history_sync (AssayStore            *store,
                                                    AssayCalibrationView  *view,
                                                    GError               **error);

/** assay_calibration_view_item_in: the same question (id, kind and wording) in @other, or %NULL. */
const AssayItemAgreement      *assay_calibration_view_item_in      (const AssayCalibrationView *other,
                                                                    const AssayItem            *item);
/** assay_calibration_view_inspector_in: an inspector's figures in @other, or %NULL. */
const AssayInspectorAgreement *assay_calibration_view_inspector_in (const AssayCalibrationView *other,
                                                                    const char                 *inspector_id);
/**
 * assay_calibration_view_item_alphas:
 * The α of @item in each session of the history and then @view (NAN where undefined or not
 * asked); its length in @n (history + 1).
 */
double *assay_calibration_view_item_alphas      (const AssayCalibrationView *view,
                                                 const AssayItem            *item,
                                                 guint                      *n);
/** assay_calibration_view_inspector_series: likewise, an inspector's agreement with the consensus. */
double *assay_calibration_view_inspector_series (const AssayCalibrationView *view,
                                                 const char                 *inspector_id,
                                                 guint                      *n);
/**
 * assay_calibration_view_stays_low:
 * Whether @item's α stayed below @threshold in each of the last @k sessions where it is
 * defined, this one included: a candidate for rewording.
 */
gboolean assay_calibration_view_stays_low       (const AssayCalibrationView *view,
                                                 const AssayItem            *item,
                                                 guint                       k,
                                                 double                      threshold);

/** assay_calibration_view_index_of: the position of @id in @ids, or -1. */
int assay_calibration_view_index_of (GStrv       ids,
                                     const char *id);

G_END_DECLS
