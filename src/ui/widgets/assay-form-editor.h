/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/assay-form.h"
#include "widgets/assay-scoring-panel.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_FORM_EDITOR (assay_form_editor_get_type ())
G_DECLARE_FINAL_TYPE (AssayFormEditor, assay_form_editor, ASSAY, FORM_EDITOR, GtkWidget)

/*
 * AssayFormEditor:
 * Edits a scorecard draft: the form's name, mode, floor and bands, its sections and their
 * items (text, kind, weight, flags, ranges, options), with add, remove and move buttons. Every
 * change is checked at once with assay_form_validate(); the first broken rule is shown with its
 * field path ("problem") and the field is marked. Beside it, a preview: the scoring panel on a
 * copy of the draft with trial answers, rescored on every change ("what if").
 * A published form is shown read-only; the preview still takes trial answers.
 * Every change of the draft emits "changed": the owner saves it.
 */
GtkWidget         *assay_form_editor_new              (void);
/* Shows @form (or nothing); a draft is changed in place, so give the editor its own. */
void               assay_form_editor_set_form         (AssayFormEditor *self,
                                                       AssayForm       *form);
AssayForm         *assay_form_editor_get_form         (AssayFormEditor *self);
/* Whether the form is published, so it cannot change. */
gboolean           assay_form_editor_get_read_only    (AssayFormEditor *self);
/* The first rule the draft breaks, "path: message" as assay_form_validate() says, or %NULL. */
const char        *assay_form_editor_get_problem      (AssayFormEditor *self);
/* The preview: the scoring panel on the draft, with the trial answers. */
AssayScoringPanel *assay_form_editor_get_preview      (AssayFormEditor *self);
gboolean           assay_form_editor_get_reveal_preview (AssayFormEditor *self);
void               assay_form_editor_set_reveal_preview (AssayFormEditor *self,
                                                         gboolean         reveal);

G_END_DECLS
