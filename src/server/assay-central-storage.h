/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The central service's storage, behind one small interface so that the HTTP layer
 * (assay-central.c), the commands (main.c) and the seed never see SQL. The SQLite
 * implementation is assay-central-sqlite.c; a PostgreSQL one (libpq) implements the same
 * vtable and is picked by assay_central_storage_open() from the address.
 *
 * Rules every implementation keeps:
 * - begin() starts one write transaction; everything up to commit() is atomic and serialised
 *   against every other writer (SQLite: BEGIN IMMEDIATE; PostgreSQL: row locks or serialisable
 *   with retries). Reads outside begin()/commit() see committed data.
 * - next_seq() is only called inside a transaction and comes from the database, so the feed
 *   order is gap-free per commit order across processes.
 * - put_op_result() rejects a second result for an op_id (unique key), so an operation applies
 *   exactly once even when two processes race.
 * - the audit log accepts appends only.
 */

#define ASSAY_CENTRAL_ERROR (assay_central_error_quark ())
GQuark assay_central_error_quark (void);

typedef enum {
  ASSAY_CENTRAL_ERROR_STORAGE,    /* the database failed */
  ASSAY_CENTRAL_ERROR_INVALID,    /* bad input from the command line or a request */
  ASSAY_CENTRAL_ERROR_NOT_FOUND,
  ASSAY_CENTRAL_ERROR_EXISTS,
  ASSAY_CENTRAL_ERROR_FORBIDDEN,  /* the caller may not read this */
  ASSAY_CENTRAL_ERROR_GONE,       /* a cursor that cannot be continued */
} AssayCentralError;

/* one object of a collection, as stored; strings owned */
typedef struct {
  char     *collection;
  char     *id;
  gint64    rev;
  gint64    seq;
  char     *last_op_id;
  gboolean  deleted;
  char     *owner_id;     /* scope columns, derived from data on write */
  char     *team_id;
  char     *agent_id;
  char     *state;
  char     *data;         /* JSON object text */
  gint64    updated_at;
  gboolean  exit;         /* feed_scan only: a scope exit (the columns are the old ones) */
} AssayCentralObject;

void assay_central_object_clear (AssayCentralObject *object);
void assay_central_object_free  (AssayCentralObject *object);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCentralObject, assay_central_object_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AssayCentralObject, assay_central_object_clear)

typedef struct {
  char  *id;              /* the staff id (or a new id for an agent account) */
  char  *login;
  char  *name;
  guint  roles;           /* 1 << AssayRole */
  char  *agent_id;
  char  *password;        /* the stored hash, or NULL */
  gint64 created_at;
} AssayCentralUser;

void assay_central_user_free (AssayCentralUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCentralUser, assay_central_user_free)

typedef struct {
  const char *collection;
  const char *object_id;
  const char *user_id;
  gint64      at;
  const char *action;
  const char *reason;
  gint64      revision;
  const char *before;     /* answers JSON before, or NULL */
  const char *after;      /* answers JSON after, or NULL (delete) */
} AssayCentralAudit;

typedef struct _AssayCentralStorage AssayCentralStorage;

typedef struct {
  void     (*close)          (AssayCentralStorage *self);
  gboolean (*begin)          (AssayCentralStorage *self, GError **error);
  gboolean (*commit)         (AssayCentralStorage *self, GError **error);
  void     (*rollback)       (AssayCentralStorage *self);
  /* inside a transaction: one operation's changes, kept (release) or undone (rollback_to) */
  gboolean (*savepoint)      (AssayCentralStorage *self, GError **error);
  gboolean (*release)        (AssayCentralStorage *self, GError **error);
  void     (*rollback_to)    (AssayCentralStorage *self);
  gboolean (*next_seq)       (AssayCentralStorage *self, gint64 *seq, GError **error);
  /* the last seq committed in @collection (NULL: any), 0 when none */
  gboolean (*max_seq)        (AssayCentralStorage *self, const char *collection, gint64 *seq,
                              GError **error);
  /* meta values: the cursor key, the tombstone horizon */
  gboolean (*get_meta)       (AssayCentralStorage *self, const char *key, char **value,
                              GError **error);
  gboolean (*set_meta)       (AssayCentralStorage *self, const char *key, const char *value,
                              GError **error);
  /* returns 1 found, 0 not found (deleted objects are found, with deleted set), -1 error */
  int      (*get_object)     (AssayCentralStorage *self, const char *collection, const char *id,
                              AssayCentralObject *out, GError **error);
  /* inserts or replaces; @before (may be NULL) is the previous state, for scope exits */
  gboolean (*put_object)     (AssayCentralStorage *self, const AssayCentralObject *object,
                              const AssayCentralObject *before, GError **error);
  /* changes (and scope exits) with seq > @since in seq order, at most @limit (AssayCentralObject*) */
  gboolean (*feed_scan)      (AssayCentralStorage *self, const char *collection, gint64 since,
                              guint limit, GPtrArray *out, GError **error);
  /* every live object of @collection sorted by id (dump) */
  gboolean (*list_objects)   (AssayCentralStorage *self, const char *collection, GPtrArray *out,
                              GError **error);
  /* whether a submitted evaluation of @agent_id uses form version @form_id */
  gboolean (*agent_has_form) (AssayCentralStorage *self, const char *agent_id,
                              const char *form_id, gboolean *out, GError **error);
  /* returns 1 with the stored result, 0 none, -1 error */
  int      (*get_op_result)  (AssayCentralStorage *self, const char *op_id, char **user_id,
                              char **result, GError **error);
  gboolean (*put_op_result)  (AssayCentralStorage *self, const char *op_id, const char *user_id,
                              const char *result, GError **error);
  /* batches by Idempotency-Key: returns 1 seen with the same body, 2 with another, 0 new */
  int      (*check_batch)    (AssayCentralStorage *self, const char *user_id, const char *key,
                              const char *body_sha256, GError **error);
  gboolean (*audit_append)   (AssayCentralStorage *self, const AssayCentralAudit *entry,
                              GError **error);
  /* users and tokens; get_user by login or (when @login is NULL) by @id; 1/0/-1 */
  int      (*get_user)       (AssayCentralStorage *self, const char *login, const char *id,
                              AssayCentralUser **out, GError **error);
  gboolean (*put_user)       (AssayCentralStorage *self, const AssayCentralUser *user,
                              GError **error);
  gboolean (*put_token)      (AssayCentralStorage *self, const char *hash, const char *user_id,
                              const char *label, GError **error);
  /* the user of a live token; 1/0/-1 */
  int      (*token_user)     (AssayCentralStorage *self, const char *hash,
                              AssayCentralUser **out, GError **error);
  /* revokes the token with @hash, or every token of @user_id; returns how many, -1 on error */
  int      (*revoke_tokens)  (AssayCentralStorage *self, const char *hash, const char *user_id,
                              GError **error);
  gboolean (*put_blob)       (AssayCentralStorage *self, const char *sha256, gint64 size,
                              GError **error);
  /* 1 known (with its size), 0 not, -1 error */
  int      (*get_blob)       (AssayCentralStorage *self, const char *sha256, gint64 *size,
                              GError **error);
  /* forgets deletions with seq <= @horizon; returns how many, -1 on error */
  gint64   (*purge_tombstones) (AssayCentralStorage *self, gint64 horizon, GError **error);
} AssayCentralStorageVTable;

struct _AssayCentralStorage {
  const AssayCentralStorageVTable *vtable;
  char                            *dir;       /* the data folder: blobs live in dir/blobs */
};

/**
 * assay_central_storage_open:
 * Opens the storage of the data folder @dir (creating its database when @create): PostgreSQL
 * when ASSAY_CENTRAL_DB (set by --db) is a postgresql:// or postgres:// address, else SQLite in
 * @dir/central.db. Blobs live in @dir/blobs with either backend.
 */
AssayCentralStorage *assay_central_storage_open  (const char           *dir,
                                                  gboolean              create,
                                                  GError              **error);
void                 assay_central_storage_close (AssayCentralStorage  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCentralStorage, assay_central_storage_close)

/* the SQLite implementation */
AssayCentralStorage *assay_central_sqlite_open   (const char           *dir,
                                                  gboolean              create,
                                                  GError              **error);

/* the PostgreSQL implementation (assay-central-pg.c); migrate returns the version reached
 * (and the one found in @from), -1 on error */
AssayCentralStorage *assay_central_pg_open       (const char           *dir,
                                                  const char           *url,
                                                  gboolean              create,
                                                  GError              **error);
int                  assay_central_pg_migrate    (const char           *dir,
                                                  const char           *url,
                                                  int                  *from,
                                                  GError              **error);
/* the PostgreSQL address in ASSAY_CENTRAL_DB, or NULL for SQLite */
const char          *assay_central_storage_pg_url (void);

/** assay_central_blob_path: where the bytes of blob @sha256 (hex) live. */
char                *assay_central_blob_path     (AssayCentralStorage  *self,
                                                  const char           *sha256);

G_END_DECLS
