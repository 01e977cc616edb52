/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-form-editor.h"

G_BEGIN_DECLS

/* For tests: the widget of the field at @path ("sections[0].items[1].weight"), as the
 * validation messages name it; %NULL if the editor shows no such field. */
GtkWidget *_assay_form_editor_get_field (AssayFormEditor *self,
                                         const char      *path);

G_END_DECLS
