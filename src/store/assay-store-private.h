/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * Work for the store's worker thread. It runs with the one connection and returns a result
 * (owned by the caller, freed with the job's result_free if nobody takes it) or sets @error.
 */
typedef gpointer (*AssayStoreFunc) (sqlite3       *db,
                                    gpointer       data,
                                    GCancellable  *cancellable,
                                    GError       **error);

void     _assay_store_run_async  (AssayStore          *self,
                                  AssayStoreFunc       func,
                                  gpointer             data,
                                  GDestroyNotify       data_free,
                                  GDestroyNotify       result_free,
                                  gpointer             source_tag,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gpointer _assay_store_run_finish (AssayStore          *self,
                                  GAsyncResult        *result,
                                  GError             **error);
/* Runs @func on the worker and waits for it. Never call it from the main thread of the GUI. */
gpointer _assay_store_run_sync   (AssayStore          *self,
                                  AssayStoreFunc       func,
                                  gpointer             data,
                                  GError             **error);

/* Helpers for repositories, all on the worker thread. */
gboolean _assay_store_set_error  (sqlite3             *db,
                                  int                  rc,
                                  GError             **error);
gboolean _assay_store_exec       (sqlite3             *db,
                                  const char          *sql,
                                  GError             **error);
sqlite3_stmt *_assay_store_prepare (sqlite3           *db,
                                    const char        *sql,
                                    GError           **error);
gboolean _assay_store_begin      (sqlite3             *db,
                                  GError             **error);
/* Runs @func in one write transaction: rolled back when it returns %NULL, and its result freed
 * with @result_free when the commit fails. */
gpointer _assay_store_in_transaction (sqlite3        *db,
                                      gpointer      (*func) (sqlite3  *db,
                                                             gpointer  data,
                                                             GError  **error),
                                      gpointer        data,
                                      GDestroyNotify  result_free,
                                      GError        **error);
/* The same for work that only says whether it succeeded: it hands any results back through
 * @data (a struct of its arguments and results). Rolled back when @func returns %FALSE. */
gboolean _assay_store_in_transaction_ok (sqlite3     *db,
                                         gboolean   (*func) (sqlite3  *db,
                                                             gpointer  data,
                                                             GError  **error),
                                         gpointer     data,
                                         GError     **error);
/* Runs @func in one read transaction (a plain BEGIN), so that all it reads is one consistent
 * snapshot; the transaction always ends without writing anything. Returns what @func returns. */
gboolean _assay_store_in_read_transaction (sqlite3   *db,
                                           gboolean (*func) (sqlite3  *db,
                                                             gpointer  data,
                                                             GError  **error),
                                           gpointer   data,
                                           GError   **error);
/* One operation for the central service, put in the outbox inside the caller's transaction. */
typedef struct
{
  const char *collection;
  const char *object_id;
  const char *action;        /* "create", "update", "submit", ... */
  const char *data;          /* its JSON, or %NULL */
  const char *reason;        /* or %NULL */
  gint64      base_rev;      /* the server revision it changes; < 0 for none */
  const char *base_rev_of;   /* or a table whose row @object_id gives base_rev (its rev column) */
  gint64      created_at;    /* 0 for now */
  gboolean    coalesce;      /* a create or update of the object not yet sent is rewritten in
                              * place instead (drafts saved on every change send their last state) */
} AssayStoreOutboxOp;
/* The one writer of outbox rows: every store file enqueues through it. */
gboolean _assay_store_enqueue    (sqlite3                  *db,
                                  const AssayStoreOutboxOp *op,
                                  GError                  **error);
gboolean _assay_store_commit     (sqlite3             *db,
                                  GError             **error);
void     _assay_store_rollback   (sqlite3             *db);
void     _assay_store_bind_text_or_null (sqlite3_stmt *stmt,
                                         int           idx,
                                         const char   *text);
void     _assay_store_bind_int_or_null  (sqlite3_stmt *stmt,
                                         int           idx,
                                         gint64        value,
                                         gboolean      is_null);
const char *_assay_store_column_text (sqlite3_stmt *stmt,
                                      int           col);
/* A copy of a text column, %NULL for NULL. */
char       *_assay_store_column_dup  (sqlite3_stmt *stmt,
                                      int           col);
/* An integer column, %ASSAY_NONE for NULL. */
int         _assay_store_column_int_or_none (sqlite3_stmt *stmt,
                                             int           col);
/* Steps a statement that returns no rows (or ignores them); sets @error on failure. */
gboolean    _assay_store_step_done   (sqlite3      *db,
                                      sqlite3_stmt *stmt,
                                      GError      **error);

/*
 * Records that @id of @collection (one of the ASSAY_STORE_* names; @id %NULL: anything in it)
 * changes. Call it inside the write's transaction; the change is announced (AssayStore::changed)
 * only once the transaction commits, and never if it rolls back. Outside a transaction, call
 * it after the statement succeeded. Only on the store's worker; elsewhere it does nothing.
 */
void     _assay_store_note_change (sqlite3            *db,
                                   const char         *collection,
                                   const char         *id);

struct _AssayStaffRecord;
/* "Me", the staff row of this workstation's user, made on first use (assay-store-evaluations.c). */
struct _AssayStaffRecord *_assay_store_get_me_locked (sqlite3  *db,
                                                      GError  **error);

/* Schema (assay-store-schema.c). */
int      _assay_store_schema_version (void);
/* Migrates @db up to @target (at most the schema version), one transaction per step. */
gboolean _assay_store_migrate    (sqlite3             *db,
                                  int                  target,
                                  GError             **error);
/* Opens @path with the pragmas Assay relies on. */
sqlite3 *_assay_store_connect    (const char          *path,
                                  GError             **error);

/* Health (assay-store-health.c): read-only detection, damage, the error codes of SQLite errors. */
typedef struct _AssayStoreHealth AssayStoreHealth;
AssayStoreHealth *_assay_store_health_new   (AssayStore       *store);
void     _assay_store_health_unref        (AssayStoreHealth *health);
/* Installs #AssayStore:read-only and #AssayStore:damaged (from assay_store_class_init). */
void     _assay_store_health_class_init   (GObjectClass     *klass);
/* Opens and migrates @path read-write, or read-only when Assay cannot write it. */
sqlite3 *_assay_store_health_connect      (AssayStoreHealth *health,
                                           const char       *path,
                                           GError          **error);
/* After every job on the worker: a "malformed" error marks the store damaged. */
void     _assay_store_health_after_job    (AssayStoreHealth *health,
                                           sqlite3          *db,
                                           const GError     *error);
/* Queues the background quick_check (main thread, after the store opened). */
void     _assay_store_health_start_check  (AssayStore       *store);
/* Sets @error for SQLite's @rc (or the connection's last error) and @message (may be NULL):
 * %ASSAY_STORE_ERROR_READ_ONLY, %ASSAY_STORE_ERROR_CORRUPT or %ASSAY_STORE_ERROR_SQL. */
gboolean _assay_store_health_set_error    (sqlite3          *db,
                                           int               rc,
                                           const char       *message,
                                           GError          **error);
AssayStoreHealth *_assay_store_get_health (AssayStore       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
