/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"
#include "store/assay-store-kpi.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_TARGETS_DIALOG (assay_targets_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AssayTargetsDialog, assay_targets_dialog, ASSAY, TARGETS_DIALOG, AdwWindow)

/*
 * AssayTargetsDialog:
 * The target and warning value of every KPI for the centre or one team (docs/kpi.md "Targets,
 * warnings and status"), starting with the ones in force (@figures). Saved targets apply from
 * @from_day on; the warning must lie on the bad side of the target. Emits "saved" after
 * writing.
 */
AssayTargetsDialog *assay_targets_dialog_new (AssayContext         *context,
                                              const char           *team_id,
                                              const char           *scope_title,
                                              const AssayKpiFigure *figures,
                                              int                   from_day);
/* for tests: sets line @line's target and warning as if typed; returns the row's switch state */
void                _assay_targets_dialog_set (AssayTargetsDialog  *self,
                                               int                  line,
                                               double               target,
                                               double               warning);
void                _assay_targets_dialog_save (AssayTargetsDialog *self);

G_END_DECLS
