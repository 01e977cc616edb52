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

/** assay_calibration_view_index_of: the position of @id in @ids, or -1. */
int assay_calibration_view_index_of (GStrv       ids,
                                     const char *id);

G_END_DECLS
