/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-scorecards-page.h"
#include "store/assay-store-forms.h"
#include "widgets/assay-form-editor.h"

G_BEGIN_DECLS

/* For tests: what the page shows, and the steps a file chooser would start. */
const char            *_assay_scorecards_page_get_state      (AssayScorecardsPage *self);
guint                  _assay_scorecards_page_get_n_forms    (AssayScorecardsPage *self);
const AssayFormRecord *_assay_scorecards_page_get_form       (AssayScorecardsPage *self,
                                                              guint                index);
void                   _assay_scorecards_page_select         (AssayScorecardsPage *self,
                                                              guint                index);
/* The version the editor shows: its number, 0 for none; @published_at 0 for a draft. */
int                    _assay_scorecards_page_get_version    (AssayScorecardsPage *self,
                                                              gint64              *published_at);
AssayFormEditor       *_assay_scorecards_page_get_editor     (AssayScorecardsPage *self);
void                   _assay_scorecards_page_import_file    (AssayScorecardsPage *self,
                                                              GFile               *file);
void                   _assay_scorecards_page_export_file    (AssayScorecardsPage *self,
                                                              GFile               *file);
/* The message of the last error shown, in a dialog or a toast, or %NULL. */
const char            *_assay_scorecards_page_get_last_error (AssayScorecardsPage *self);
/* The dialog on screen, if any. */
GtkWindow             *_assay_scorecards_page_get_dialog     (AssayScorecardsPage *self);

G_END_DECLS
