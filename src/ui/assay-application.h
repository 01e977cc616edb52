/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"
#include "store/assay-store.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_APPLICATION (assay_application_get_type ())
G_DECLARE_FINAL_TYPE (AssayApplication, assay_application, ASSAY, APPLICATION, AdwApplication)

AssayApplication *assay_application_new           (void);
/* The database path in use: --database, or the one in the settings, or the default. */
const char       *assay_application_get_database  (AssayApplication *self);
/* The context every window, page and dialog of the application shares. */
AssayContext     *assay_application_get_context   (AssayApplication *self);

G_END_DECLS
