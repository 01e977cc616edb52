/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "store/assay-store-evaluations.h"
#include "store/assay-store-sync.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_EVALUATION_ITEM (assay_evaluation_item_get_type ())
G_DECLARE_FINAL_TYPE (AssayEvaluationItem, assay_evaluation_item, ASSAY, EVALUATION_ITEM, GObject)

/**
 * AssayEvaluationItem:
 * One row of My evaluations: a stored evaluation (kept by a reference to the array it came
 * in), its band and bonus read from its results, and its sync state once known
 * (#AssayEvaluationItem:sync, notified when it arrives or changes).
 */
AssayEvaluationItem         *assay_evaluation_item_new        (GPtrArray           *records,
                                                               guint                index);
const AssayEvaluationRecord *assay_evaluation_item_get_record (AssayEvaluationItem *self);
/* The band the score falls in, or %NULL. */
const char                  *assay_evaluation_item_get_band   (AssayEvaluationItem *self);
/* The percentage points bonus sections added (0 when none). */
double                       assay_evaluation_item_get_bonus  (AssayEvaluationItem *self);
gboolean                     assay_evaluation_item_get_draft  (AssayEvaluationItem *self);
/* The sync state, or %NULL before it has been read. */
const AssayEvaluationSync   *assay_evaluation_item_get_sync   (AssayEvaluationItem *self);
/* Takes @sync (may be %NULL: not known); notifies "sync". */
void                         assay_evaluation_item_set_sync   (AssayEvaluationItem *self,
                                                               AssayEvaluationSync *sync);
/* Whether @needle (folded to lower case) is in the agent, queue, scorecard, band or state. */
gboolean                     assay_evaluation_item_matches    (AssayEvaluationItem *self,
                                                               const char          *needle);

G_END_DECLS
