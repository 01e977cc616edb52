/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-context.h"
#include "sync/assay-sync-engine.h"

G_BEGIN_DECLS

/* Shared by assay-context.c and assay-context-sync.c (the sign-in and the sync engine). */
struct _AssayContext
{
  GObject           parent_instance;

  AssayStore       *store;
  GSettings        *settings;
  AssayStaffRecord *me;
  GPtrArray        *retired;        /* strings "me" held before a sign-in: pages may point at them */
  char             *local_me_id;    /* "me" of this workstation, before any sign-in */
  char             *local_me_name;
  AssayRoles        roles;
  gboolean          ready;
  GObject          *sync;
  GObject          *player;

  /* assay-context-sync.c */
  GCancellable     *sync_cancellable;
  AssaySyncEngine  *pending_engine; /* signed in, waiting for "keep for this session only" */
  char             *pending_login;
  char             *pending_token;
};

/* Recomputes the roles (and "me") from the sync engine's account, or the settings. */
void _assay_context_update_identity (AssayContext *self);
/* Restores the sign-in kept in the settings and the keyring, once "me" is loaded. */
void _assay_context_sync_restore    (AssayContext *self);
void _assay_context_sync_init     (AssayContext *self);
void _assay_context_sync_dispose    (AssayContext *self);

G_END_DECLS
