/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_CALIBRATION_PAGE (assay_calibration_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayCalibrationPage, assay_calibration_page, ASSAY, CALIBRATION_PAGE, GtkWidget)

/*
 * AssayCalibrationPage:
 * Calibration sessions (Review; docs/calibration.md): the sessions a person leads or scores in;
 * an invited inspector scores each interaction blind with the scoring panel; once they have
 * submitted everything, or the lead opens the session, the answers side by side per item with
 * the consensus, the spread, observed agreement, Fleiss' kappa and Krippendorff's alpha with n,
 * and each inspector against the consensus.
 */

G_END_DECLS
