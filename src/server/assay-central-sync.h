/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "assay-central-storage.h"
#include "protocol/assay-collections.h"
#include "protocol/assay-sync-json.h"

G_BEGIN_DECLS

/*
 * What the central service does with collections, independent of HTTP: who may read and write
 * which object (the collections table applied to a caller), feed pages and their cursors, and
 * applying operations under the conflict rules of docs/sync-protocol.md. Everything goes
 * through AssayCentralStorage.
 */

typedef struct {
  AssayCentralUser *user;
  GPtrArray        *team_ids;     /* the teams the caller leads */
  char             *scope_hash;   /* user, roles, teams, agent: a cursor is valid for one scope */
} AssayCentralCaller;

/** assay_central_caller_new: the caller @user (taken) with their teams. */
AssayCentralCaller *assay_central_caller_new  (AssayCentralStorage       *storage,
                                               AssayCentralUser          *user,
                                               GError                   **error);
void                assay_central_caller_free (AssayCentralCaller        *caller);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCentralCaller, assay_central_caller_free)

/** assay_central_parse_json: the one place request bodies and stored JSON are parsed. */
JsonNode *assay_central_parse_json  (const char                *data,
                                     gssize                     length,
                                     GError                   **error);

/** assay_central_can_read: whether @caller may read @object of @collection. */
gboolean  assay_central_can_read    (AssayCentralStorage       *storage,
                                     const AssayCentralCaller  *caller,
                                     const AssayCollection     *collection,
                                     const AssayCentralObject  *object);

/**
 * assay_central_put:
 * Writes @data (an object) as @id of @collection from the server itself (seed, import, accounts):
 * the next seq, rev + 1, scope columns derived. Call inside begin()/commit().
 */
gboolean  assay_central_put         (AssayCentralStorage       *storage,
                                     const char                *collection,
                                     const char                *id,
                                     JsonObject                *data,
                                     GError                   **error);

/**
 * assay_central_feed:
 * A feed page of @collection after @cursor (%NULL: from the start) as JSON text.
 * Errors: %ASSAY_CENTRAL_ERROR_FORBIDDEN, %ASSAY_CENTRAL_ERROR_GONE (410), STORAGE.
 */
char     *assay_central_feed        (AssayCentralStorage       *storage,
                                     const AssayCentralCaller  *caller,
                                     const AssayCollection     *collection,
                                     const char                *cursor,
                                     guint                      limit,
                                     GError                   **error);

/** assay_central_objects: the answer of GET /objects as JSON text. */
char     *assay_central_objects     (AssayCentralStorage       *storage,
                                     const AssayCentralCaller  *caller,
                                     const AssayCollection     *collection,
                                     const char *const         *ids,
                                     GError                   **error);

/**
 * assay_central_apply_op:
 * Applies @op for @caller in its own savepoint of the batch's transaction (begin() before the
 * first operation, commit() after the last) and returns its result object. @failed holds
 * "collection/id" of earlier operations of the batch that were not applied (for "blocked");
 * this one is added when it fails. %NULL only when the storage failed.
 */
JsonNode *assay_central_apply_op    (AssayCentralStorage       *storage,
                                     const AssayCentralCaller  *caller,
                                     const AssaySyncOp         *op,
                                     GHashTable                *failed,
                                     GError                   **error);

/** assay_central_user_node: the "user" member of the session for @caller. */
JsonNode *assay_central_user_node   (const AssayCentralCaller  *caller);

/**
 * assay_central_add_user:
 * Creates (or, with the same login, changes) the account @login, and its `users` object (and
 * `staff` object for staff roles). @agent_code ties an agent account to the agent with that
 * employee code. @id: the staff id to use, or %NULL for a new one.
 */
gboolean  assay_central_add_user    (AssayCentralStorage       *storage,
                                     const char                *login,
                                     const char                *name,
                                     guint                      roles,
                                     const char                *agent_code,
                                     const char                *id,
                                     GError                   **error);

/** assay_central_dump: every live object of @collection as `dump` lines (with newlines). */
gboolean  assay_central_dump        (AssayCentralStorage       *storage,
                                     const char                *collection,
                                     GString                   *out,
                                     GError                   **error);

/** assay_central_compact: forgets deletions committed before now; later cursors get 410. */
gboolean  assay_central_compact     (AssayCentralStorage       *storage,
                                     gint64                    *n_purged,
                                     GError                   **error);

G_END_DECLS
