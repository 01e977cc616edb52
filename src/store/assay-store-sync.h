/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * What the sync engine (src/sync) writes and reads, on the store's worker (docs/sync-protocol.md,
 * "The client"). The local copy of every object the account may read is kept as the server
 * sent it (`sync_object`, canonical JSON); each feed's cursor in `sync_state`, written in the
 * transaction that applies its page; conflicting copies and rejected drafts in
 * `evaluation_conflict`. Every write here announces its changes through AssayStore::changed.
 */

/** AssaySyncBatch: the operations of one POST /ops, and its Idempotency-Key. */
typedef struct {
  char      *key;
  JsonNode  *body;      /* {"ops":[...]}, exactly as sent the first time */
  guint      n_ops;
} AssaySyncBatch;

void assay_sync_batch_free (AssaySyncBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySyncBatch, assay_sync_batch_free)

/** AssaySyncCounts: what is waiting. */
typedef struct {
  guint pending;         /* operations of declared collections not yet applied */
  guint conflicts;       /* open conflicting copies and rejected drafts */
} AssaySyncCounts;

/** AssaySyncConflict: a conflicting copy (kind "conflict") or a rejected draft ("rejected"). */
typedef struct {
  char   *id;
  char   *evaluation_id;   /* the object's id (an evaluation, or another collection's object) */
  char   *kind;
  char   *action;
  char   *local_data;      /* JSON: the local copy as it was sent */
  gint64  server_rev;      /* 0 when unknown */
  char   *server_data;     /* JSON or %NULL */
  char   *reason;          /* the server's explanation, or %NULL */
  gint64  created_at;
} AssaySyncConflict;

void assay_sync_conflict_free (AssaySyncConflict *conflict);

/**
 * assay_store_sync_next_batch_async:
 * The next batch to push: a batch already sent whose answer never came (the same key and
 * body again), else up to @max_ops pending operations of @collections (%NULL-terminated wire
 * names) under a new key, stored with the key before this returns. Operations of other
 * collections stay in the outbox. Finishes with %NULL when nothing is left to send.
 */
void            assay_store_sync_next_batch_async   (AssayStore          *self,
                                                     const char * const  *collections,
                                                     guint                max_ops,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
AssaySyncBatch *assay_store_sync_next_batch_finish  (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/** AssaySyncPushResult: the counts of one batch's results. */
typedef struct {
  guint applied;       /* applied and duplicate */
  guint conflicts;
  guint rejected;
  guint blocked;
} AssaySyncPushResult;

/**
 * assay_store_sync_apply_results_async:
 * Applies a POST /ops answer (@results: the "results" array) to the batch @key in one
 * transaction: applied and duplicate leave the outbox and set the object's rev; a conflict
 * keeps the local copy as a conflicting copy and lets the server's copy become the object; a
 * rejection keeps the local copy as a rejected draft with the reason; blocked operations lose
 * their key and go in a later batch.
 */
void            assay_store_sync_apply_results_async (AssayStore          *self,
                                                      const char          *key,
                                                      JsonNode            *results,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        assay_store_sync_apply_results_finish (AssayStore         *self,
                                                       GAsyncResult       *result,
                                                       AssaySyncPushResult *out,
                                                       GError            **error);

/**
 * assay_store_sync_get_feed_async:
 * The stored cursor and state of @collection: finishes with a #JsonNode object
 * {"cursor": s|null, "state": s|null}.
 */
void            assay_store_sync_get_feed_async     (AssayStore          *self,
                                                     const char          *collection,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
JsonNode       *assay_store_sync_get_feed_finish    (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/**
 * assay_store_sync_apply_page_async:
 * Applies one feed page (the parsed answer of GET /changes) and stores its cursor and state,
 * in ONE transaction. An object with unsent local work is not overwritten (only the server's
 * copy is recorded). An echo of an operation still in the outbox (its answer was lost) is
 * left for the batch's replay, which the server answers "duplicate". When @page is the last page (hasMore false) of a resync, the
 * synced objects the resync did not see are removed.
 * Finishes with the number of objects upserted or deleted.
 */
void            assay_store_sync_apply_page_async   (AssayStore          *self,
                                                     const char          *collection,
                                                     JsonNode            *page,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        assay_store_sync_apply_page_finish  (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     guint               *n_applied,
                                                     GError             **error);

/**
 * assay_store_sync_begin_resync_async:
 * After a 410: forgets @collection's cursor and marks its objects unseen, in one transaction.
 * Local unsynced work is never touched.
 */
void            assay_store_sync_begin_resync_async (AssayStore          *self,
                                                     const char          *collection,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        assay_store_sync_begin_resync_finish (AssayStore         *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

/** assay_store_sync_counts_async: pending operations and open conflicts. */
void            assay_store_sync_counts_async       (AssayStore          *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        assay_store_sync_counts_finish      (AssayStore          *self,
                                                     GAsyncResult        *result,
                                                     AssaySyncCounts     *out,
                                                     GError             **error);

/** assay_store_sync_list_conflicts_async: open conflicting copies and rejected drafts, oldest first. */
void            assay_store_sync_list_conflicts_async  (AssayStore          *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
/* Returns: (element-type AssaySyncConflict) (transfer full) */
GPtrArray      *assay_store_sync_list_conflicts_finish (AssayStore          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/** assay_store_sync_resolve_conflict_sync: marks a conflicting copy or rejected draft resolved. */
gboolean        assay_store_sync_resolve_conflict_sync (AssayStore          *self,
                                                        const char          *conflict_id,
                                                        GError             **error);

/**
 * assay_store_sync_dump_sync:
 * The local copy of @collection as `dump` prints it (docs/sync-protocol.md, "Canonical JSON
 * and dump"): one line per object sorted by id, each ending in a newline. For assayctl.
 */
char           *assay_store_sync_dump_sync          (AssayStore          *self,
                                                     const char          *collection,
                                                     GError             **error);

G_END_DECLS
