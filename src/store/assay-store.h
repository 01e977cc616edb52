/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ASSAY_STORE_ERROR (assay_store_error_quark ())

typedef enum {
  ASSAY_STORE_ERROR_OPEN,       /* the file cannot be opened or is not an Assay database */
  ASSAY_STORE_ERROR_TOO_NEW,    /* written by a newer Assay */
  ASSAY_STORE_ERROR_SQL,        /* SQLite reported an error */
  ASSAY_STORE_ERROR_NOT_FOUND,
  ASSAY_STORE_ERROR_INVALID,    /* the input breaks a rule of the data model */
  ASSAY_STORE_ERROR_CLOSED,
  ASSAY_STORE_ERROR_READ_ONLY,  /* Assay cannot write the database, its files or its folder */
  ASSAY_STORE_ERROR_CORRUPT,    /* the database is damaged ("malformed") */
} AssayStoreError;

GQuark assay_store_error_quark (void);

/*
 * Collections, as AssayStore::changed names them (and as its detail). Ids are those of the
 * collection's rows, except where noted.
 */
#define ASSAY_STORE_INTERACTIONS "interactions" /* contacts and their facts */
#define ASSAY_STORE_EVALUATIONS  "evaluations"  /* drafts, submissions, revisions */
#define ASSAY_STORE_ASSIGNMENTS  "assignments"  /* the review queue and sampling draws */
#define ASSAY_STORE_FORMS        "forms"        /* scorecards: form ids */
#define ASSAY_STORE_DIRECTORY    "directory"    /* teams, agents, staff, queues */
#define ASSAY_STORE_ANALYSES     "analyses"     /* speech analyses: recording ids */
#define ASSAY_STORE_DISPUTES     "disputes"     /* disputes, their steps, the configured steps */
#define ASSAY_STORE_ACKNOWLEDGEMENTS "acknowledgements" /* agents' sign-off: acknowledgement ids */
#define ASSAY_STORE_CALIBRATION  "calibration"  /* calibration sessions: session ids (NULL: new) */
#define ASSAY_STORE_COACHING     "coaching"     /* coaching, training, improvement actions */
#define ASSAY_STORE_AUDITS       "audits"       /* mystery-shopper programmes, visits, audits */

#define ASSAY_TYPE_STORE (assay_store_get_type ())
G_DECLARE_FINAL_TYPE (AssayStore, assay_store, ASSAY, STORE, GObject)

/** assay_store_default_path: `$XDG_DATA_HOME/assay/assay.db`. */
char       *assay_store_default_path   (void);

/** assay_store_schema_version: the schema version this build migrates to. */
int         assay_store_schema_version (void);

/**
 * assay_store_new:
 * Creates a store for the database at @path and starts its worker thread. Nothing is opened
 * until assay_store_open_async() or assay_store_open_sync().
 */
AssayStore *assay_store_new            (const char           *path);
const char *assay_store_get_path       (AssayStore           *self);

/** assay_store_open_async: opens (creating if needed) and migrates the database on the worker. */
void        assay_store_open_async     (AssayStore           *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    assay_store_open_finish    (AssayStore           *self,
                                        GAsyncResult         *result,
                                        GError              **error);
/** assay_store_open_sync: as assay_store_open_async(), waiting; for assayctl and tests. */
gboolean    assay_store_open_sync      (AssayStore           *self,
                                        GError              **error);

/** assay_store_get_collections: the names of every collection, %NULL-terminated. */
const char * const *assay_store_get_collections (void);

/** assay_store_get_busy: whether async work handed to the store has not returned yet. */
gboolean    assay_store_get_busy       (AssayStore           *self);

/**
 * assay_store_close:
 * Finishes queued work, closes the connection and stops the worker. Call it from the thread
 * that made the store (never from a job on the worker).
 */
void        assay_store_close          (AssayStore           *self);

G_END_DECLS
