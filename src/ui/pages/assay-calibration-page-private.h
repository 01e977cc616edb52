/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-calibration-page.h"
#include "store/assay-store-calibration-view.h"
#include "widgets/assay-scoring-panel.h"

G_BEGIN_DECLS

/* an item is a candidate for rewording when its alpha stays below this in each of the last
 * ASSAY_CALIBRATION_REWORD_SESSIONS sessions where it is defined (docs/calibration.md) */
#define ASSAY_CALIBRATION_REWORD_ALPHA    0.667
#define ASSAY_CALIBRATION_REWORD_SESSIONS 3

/* assay-calibration-page-stats.c: the inspectors with their trend; an item's rewording flag
 * (NULL when its agreement is fine) */
GtkWidget            *_assay_calibration_inspectors_group_new (const AssayCalibrationView *view,
                                                               GHashTable                 *names);
char                 *_assay_calibration_item_flag        (const AssayCalibrationView *view,
                                                           const AssayItemAgreement   *a);

/* for the tests: "loading", "empty", "list", "session" or "error" */
const char           *_assay_calibration_page_get_state   (AssayCalibrationPage *self);
/* the sessions listed */
guint                 _assay_calibration_page_get_n_rows  (AssayCalibrationPage *self);
void                  _assay_calibration_page_show        (AssayCalibrationPage *self,
                                                           const char           *session_id);
/* the session shown, or NULL */
AssayCalibrationView *_assay_calibration_page_get_view    (AssayCalibrationPage *self);
/* "score" (the viewer scores blind), "hidden" (waiting for the others) or "results" */
const char           *_assay_calibration_page_get_mode    (AssayCalibrationPage *self);
AssayScoringPanel    *_assay_calibration_page_get_panel   (AssayCalibrationPage *self);
/* Save (or Submit) the scoring in the panel; "save" or "submit" */
void                  _assay_calibration_page_activate    (AssayCalibrationPage *self,
                                                           const char           *action);
/* the text of the results, every label in order, for the tests to look at */
char                 *_assay_calibration_page_dump        (AssayCalibrationPage *self);

G_END_DECLS
