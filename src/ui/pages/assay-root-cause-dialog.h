/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"
#include "store/assay-store-kpi.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_ROOT_CAUSE_DIALOG (assay_root_cause_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AssayRootCauseDialog, assay_root_cause_dialog, ASSAY, ROOT_CAUSE_DIALOG,
                      AdwWindow)

/*
 * AssayRootCauseDialog:
 * Puts root-cause tags (docs/kpi.md "Root causes and callbacks") on one thing: the five
 * categories (people, process, technology, resources, environment) with the centre's
 * sub-causes as check rows, and a row per category to add a sub-cause of the centre's own.
 * Nothing is written before Save; then the new tags are made and the unchecked ones removed,
 * off the main thread, and "saved" is emitted. @subject says what is tagged (the title's
 * subtitle).
 *
 * assay_root_cause_dialog_new() tags an evaluation or a breached KPI (@object_id, and for a
 * breach @line and the period, as assay_store_kpi_tag_sync()).
 * assay_root_cause_dialog_new_for_callback() is the follow-up of a low-score contact: its
 * state, owner and note above the root causes; Save records the callback first (making it
 * the first time), then its tags.
 */
AssayRootCauseDialog *assay_root_cause_dialog_new              (AssayContext           *context,
                                                                AssayKpiTagKind         kind,
                                                                const char             *object_id,
                                                                AssayKpiLine            line,
                                                                int                     from_day,
                                                                int                     to_day,
                                                                const char             *subject);
AssayRootCauseDialog *assay_root_cause_dialog_new_for_callback (AssayContext           *context,
                                                                const AssayKpiCallback *callback,
                                                                const char             *subject);

/* for tests */
/* "loading", "ready", "saving" or "error" */
const char *_assay_root_cause_dialog_get_state  (AssayRootCauseDialog *self);
/* checks or unchecks the row of @category / @sub_cause ("" for the category itself);
 * FALSE when there is no such row */
gboolean    _assay_root_cause_dialog_set_checked (AssayRootCauseDialog *self,
                                                  const char           *category,
                                                  const char           *sub_cause,
                                                  gboolean              checked);
/* types a new sub-cause under @category and adds it, checked */
void        _assay_root_cause_dialog_add_sub_cause (AssayRootCauseDialog *self,
                                                    const char           *category,
                                                    const char           *sub_cause);
/* the follow-up fields of a callback dialog: a state key, a note */
void        _assay_root_cause_dialog_set_follow_up (AssayRootCauseDialog *self,
                                                    const char           *state,
                                                    const char           *note);
void        _assay_root_cause_dialog_save        (AssayRootCauseDialog *self);

G_END_DECLS
