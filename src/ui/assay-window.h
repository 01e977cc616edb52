/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-application.h"
#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_WINDOW (assay_window_get_type ())
G_DECLARE_FINAL_TYPE (AssayWindow, assay_window, ASSAY, WINDOW, AdwApplicationWindow)

AssayWindow  *assay_window_new          (AssayApplication *app,
                                         AssayContext     *context);
AssayContext *assay_window_get_context  (AssayWindow      *self);
AssayStore   *assay_window_get_store    (AssayWindow      *self);
/* Shows the page named @name ("interactions", "agents", ...; see assay-places.c), building it
 * the first time. A place the signed-in person's roles do not include is not shown. */
void          assay_window_show_page    (AssayWindow      *self,
                                         const char       *name);
const char   *assay_window_get_page     (AssayWindow      *self);
/* "loading" while the database opens, then "pages", or "error". */
const char   *assay_window_get_view     (AssayWindow      *self);
/* The page named @name, built now if it was not yet (it is not shown). */
GtkWidget    *assay_window_get_page_widget (AssayWindow   *self,
                                         const char       *name);
/* The page named @name if it has been built, else %NULL (for tests). */
GtkWidget    *assay_window_peek_page_widget (AssayWindow  *self,
                                         const char       *name);
/* The names of the places in the sidebar, in order (for tests); free with g_strfreev(). */
char        **assay_window_list_places  (AssayWindow      *self);
/* The text of a place's count badge, %NULL while it is hidden (for tests). */
const char   *assay_window_get_badge    (AssayWindow      *self,
                                         const char       *name);
/* Opens the review workspace on @interaction_id; its back button returns to the page shown now. */
void          assay_window_review       (AssayWindow      *self,
                                         const char       *interaction_id,
                                         const char       *form_version_id);
/* Shows @message as a toast. */
void          assay_window_toast        (AssayWindow      *self,
                                         const char       *message);

G_END_DECLS
