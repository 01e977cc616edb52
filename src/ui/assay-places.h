/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "assay-context.h"

G_BEGIN_DECLS

/* The small headings of the sidebar, in their order (UI.md). */
typedef enum {
  ASSAY_HEADING_MINE,       /* an agent's own place: no heading */
  ASSAY_HEADING_REVIEW,
  ASSAY_HEADING_PEOPLE,
  ASSAY_HEADING_AUDITS,
  ASSAY_HEADING_INSIGHTS,
  ASSAY_HEADING_CENTRE,
} AssayHeading;

/* Counts what a place's badge shows (due reviews, drafts, ...); finish with
 * assay_place_count_finish(). */
typedef void (*AssayPlaceCountFunc) (AssayContext        *context,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);

/*
 * AssayPlace: one row of the sidebar and the page it shows. The window builds the page the
 * first time it is shown, with g_object_new (page_type (), "context", context, NULL), and binds
 * its "folded" property to the window's if it has one.
 */
typedef struct {
  const char          *name;          /* page name: stack child, last-page setting, tests */
  const char          *title;         /* N_(): translated where shown */
  const char          *icon_name;
  AssayRoles           roles;         /* shown to anyone holding one of these */
  AssayHeading         heading;
  GType              (*page_type) (void);
  /* an optional count badge, counted again when one of its collections changes */
  AssayPlaceCountFunc  count;
  const char          *badge_tooltip; /* N_() */
  const char * const  *badge_collections;
} AssayPlace;

/* Every place, in sidebar order (grouped by heading). */
const AssayPlace *assay_places_get          (guint               *n_places);
const AssayPlace *assay_places_lookup       (const char          *name);
/* The translated heading, %NULL for ASSAY_HEADING_MINE. */
const char       *assay_heading_get_title   (AssayHeading         heading);
gint64            assay_place_count_finish  (AssayContext        *context,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
