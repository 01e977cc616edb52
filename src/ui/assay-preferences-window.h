/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_PREFERENCES_WINDOW (assay_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AssayPreferencesWindow, assay_preferences_window, ASSAY, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @database is the path of the database open now. */
AssayPreferencesWindow *assay_preferences_window_new (GtkWindow    *parent,
                                                      AssayContext *context);

G_END_DECLS
