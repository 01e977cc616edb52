/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "assay-store-sync-private.h"

G_BEGIN_DECLS

/*
 * Sync of the later kinds of records (docs/sync-protocol.md, "Collections"): what their outbox
 * operations carry, and the appliers that write pulled objects of calibration, disputes,
 * acknowledgements, coaching and training into the domain tables. The appliers are listed in
 * appliers[] of assay-store-sync-apply.c and run inside the page's transaction.
 */

/* A column's member name on the wire: "agent_id" → "agentId". */
char     *_assay_store_wire_member        (const char  *column);
/* Whether a column holds JSON text that the wire carries as JSON (focus, whys, evidence). */
gboolean  _assay_store_wire_json_column   (const char  *column);

/* A dispute as the wire carries it: the whole row with its steps. %NULL on error. */
char     *_assay_store_dispute_wire_data  (sqlite3     *db,
                                           const char  *dispute_id,
                                           GError     **error);

/* The object id of a consensus answer on the wire: a UUID derived from its composite key, the
 * same on every machine, so two people setting one item's consensus meet on one object. */
char     *_assay_store_consensus_wire_id  (const char  *session_id,
                                           const char  *interaction_id,
                                           const char  *item_id);

/*
 * A staff row for @id when this account cannot read the staff (an agent): the person who
 * scored, raised or signed something the account may read. Its name is empty until the staff
 * feed brings it.
 */
gboolean _assay_sync_staff_stub           (AssaySyncApplier *a, const char *id, GError **error);

/* appliers: (applier, id, rev, data, error) as ApplyFunc in assay-store-sync-apply.c */
gboolean _assay_sync_apply_row            (AssaySyncApplier *a, const char *table,
                                           const char *id, gint64 rev, JsonObject *d,
                                           GError **error);
gboolean _assay_sync_apply_dispute        (AssaySyncApplier *a, const char *id, gint64 rev,
                                           JsonObject *d, GError **error);
gboolean _assay_sync_apply_acknowledgement (AssaySyncApplier *a, const char *id, gint64 rev,
                                            JsonObject *d, GError **error);
gboolean _assay_sync_apply_calibration_session (AssaySyncApplier *a, const char *id, gint64 rev,
                                                JsonObject *d, GError **error);
gboolean _assay_sync_apply_calibration_scoring (AssaySyncApplier *a, const char *id, gint64 rev,
                                                JsonObject *d, GError **error);
gboolean _assay_sync_apply_calibration_consensus (AssaySyncApplier *a, const char *id,
                                                  gint64 rev, JsonObject *d, GError **error);
/* removes the consensus row whose wire id is @id */
gboolean _assay_sync_remove_calibration_consensus (sqlite3 *db, const char *id, GError **error);

G_END_DECLS
