/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/assay-store.h"

G_BEGIN_DECLS

/*
 * What the user sees of a database Assay cannot write or found damaged.
 *
 * assay_database_problem_watch: from now on, while @store is read-only a bar at the top of
 * @overlay's content says so and what to do; when @store is found damaged (by its background
 * check, by any "malformed" error, or on opening), a dialog on @window says so in plain words
 * and offers to salvage what can be read into a new database next to it, then to use that one.
 * The damaged file is never changed.
 */
void        assay_database_problem_watch      (GtkWindow       *window,
                                               AdwToastOverlay *overlay,
                                               AssayStore      *store);

/* For tests: the bar's revealer, and the dialog on screen (or %NULL). */
GtkRevealer *assay_database_problem_get_banner (GtkWindow      *window);
AdwMessageDialog *assay_database_problem_get_dialog (GtkWindow *window);

G_END_DECLS
