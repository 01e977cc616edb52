/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/assay-store.h"
#include "store/assay-store-evaluations.h"

G_BEGIN_DECLS

/**
 * AssayRoles:
 * The roles of a person (ROLES.md); a person may hold several, and their rights add up.
 */
typedef enum {
  ASSAY_ROLE_NONE      = 0,
  ASSAY_ROLE_INSPECTOR = 1 << 0,
  ASSAY_ROLE_LEAD      = 1 << 1,
  ASSAY_ROLE_MANAGER   = 1 << 2,
  ASSAY_ROLE_AGENT     = 1 << 3,
  ASSAY_ROLE_ADMIN     = 1 << 4,
} AssayRoles;

#define ASSAY_TYPE_ROLES (assay_roles_get_type ())
GType assay_roles_get_type (void);

/* "inspector,lead" <-> flags; names as in the "roles" settings key. Unknown names are ignored. */
AssayRoles  assay_roles_from_strv (const char * const *names);
char      **assay_roles_to_strv   (AssayRoles          roles);

#define ASSAY_TYPE_CONTEXT (assay_context_get_type ())
G_DECLARE_FINAL_TYPE (AssayContext, assay_context, ASSAY, CONTEXT, GObject)

/*
 * AssayContext: what every window, page and dialog shares — the store, the settings, the
 * signed-in person ("me") and their roles, and (later) the sync engine and the player. Nothing
 * else asks the store for "me": the context loads it once, when the database has opened.
 */
AssayContext           *assay_context_new         (AssayStore          *store,
                                                   GSettings           *settings);
AssayStore             *assay_context_get_store    (AssayContext        *self);
GSettings              *assay_context_get_settings (AssayContext        *self);

/* Opens the database and loads "me", once; later calls finish at once with the same answer. */
void                    assay_context_load_async   (AssayContext        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean                assay_context_load_finish  (AssayContext        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* TRUE once the database is open and "me" is known (#AssayContext:ready). */
gboolean                assay_context_get_ready    (AssayContext        *self);
/* The signed-in person, %NULL until ready. */
const AssayStaffRecord *assay_context_get_me       (AssayContext        *self);

/* The roles of "me": before any sign-in, those of the "roles" settings key (Preferences). */
AssayRoles              assay_context_get_roles    (AssayContext        *self);
gboolean                assay_context_has_role     (AssayContext        *self,
                                                    AssayRoles          any_of);

/* Room for the sync engine and the player; %NULL until a later issue provides them. */
GObject                *assay_context_get_sync     (AssayContext        *self);
void                    assay_context_set_sync     (AssayContext        *self,
                                                    GObject             *sync);
GObject                *assay_context_get_player   (AssayContext        *self);
void                    assay_context_set_player   (AssayContext        *self,
                                                    GObject             *player);

/* Finishes the store's queued work and closes it; from the main thread, at shutdown. */
void                    assay_context_close        (AssayContext        *self);

G_END_DECLS
