/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "assay-store-private.h"

G_BEGIN_DECLS

/*
 * The appliers (assay-store-sync-apply.c): what a pulled object means for the domain tables.
 * One applier lives for one feed page, inside the page's transaction, and keeps its prepared
 * statements for the page's objects.
 */
typedef struct _AssaySyncApplier AssaySyncApplier;

AssaySyncApplier *_assay_sync_applier_new    (sqlite3           *db);
void              _assay_sync_applier_free   (AssaySyncApplier  *applier);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySyncApplier, _assay_sync_applier_free)

/* The page's prepared statement for @sql (a string literal: its address is the key), reset
 * and unbound; owned by the applier. */
sqlite3_stmt     *_assay_sync_applier_stmt   (AssaySyncApplier  *applier,
                                              const char        *sql,
                                              GError           **error);

/* The database the applier writes, for appliers that build their SQL (assay-store-records-sync.c). */
sqlite3          *_assay_sync_applier_db     (AssaySyncApplier  *applier);
/* Runs a pulled row's statement @s to its end. A row the table's constraints refuse is skipped
 * (SQLite undoes that statement only); any other failure is an error. Every applier's one way
 * to write a row. */
gboolean          _assay_sync_run_row        (sqlite3           *db,
                                              sqlite3_stmt      *s,
                                              GError           **error);

/* Upserts @data (the object's "data" member) into the domain table of @collection. A row that
 * the table's rules refuse (a missing parent, a duplicate code) is left out, not an error: the
 * server's copy is kept in sync_object all the same. Other SQLite errors fail. */
gboolean _assay_sync_applier_upsert (AssaySyncApplier  *applier,
                                     const char        *collection,
                                     const char        *id,
                                     gint64             rev,
                                     JsonObject        *data,
                                     GError           **error);
/* Removes the synced row of a deleted or out-of-scope object (one with a server rev; a row
 * still referred to by local work stays). */
gboolean _assay_sync_applier_remove (AssaySyncApplier  *applier,
                                     const char        *collection,
                                     const char        *id,
                                     GError           **error);

/* The full data of an evaluation operation as the server must receive it, from the
 * evaluation's rows: the fixed members, the answers of the draft (create, update) or of the
 * revision the operation names (submit, amend), its score and results. %NULL when the
 * evaluation is gone (the operation's own data is sent then). */
char    *_assay_sync_evaluation_wire_data (sqlite3     *db,
                                           const char  *id,
                                           const char  *action,
                                           const char  *op_data);

G_END_DECLS
