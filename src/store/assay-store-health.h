/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * The health of a database: whether Assay may write it, whether it is damaged, and the way out
 * of a damaged one (a salvaged copy next to it). Nothing here ever writes the database it
 * examines.
 *
 * Read-only: a database is opened read-only when the file, its -wal or -shm, or its folder is
 * not writable. "Writable" means both that the process may write it (access(2)) and that its
 * mode has a write bit: a file someone made 0444 is treated as read-only even for root, who
 * could write it anyway. A read-only store reads as usual and refuses every write with
 * %ASSAY_STORE_ERROR_READ_ONLY.
 *
 * Damaged: assay_store_open_async() queues a `PRAGMA quick_check` on the store's worker once the
 * database is open (after the first queries of the caller's open callback), and every job that
 * fails with SQLITE_CORRUPT ("malformed") marks the store damaged too; #AssayStore:damaged
 * turns %TRUE on the main context of the thread that made the store.
 */

/** assay_store_get_read_only: whether the open database refuses writes. */
gboolean    assay_store_get_read_only (AssayStore   *self);
/** assay_store_get_damaged: whether a check or a statement found the database damaged. */
gboolean    assay_store_get_damaged   (AssayStore   *self);
/** assay_store_dup_damage: the first problem found, for the curious; %NULL while undamaged. */
char       *assay_store_dup_damage    (AssayStore   *self);

/**
 * assay_store_check_path:
 * Opens @path read-only and runs `PRAGMA quick_check` (or `integrity_check` with @full).
 * Returns the problems found, an empty array for a healthy database; %NULL with @error when
 * the file cannot be read as a database at all (%ASSAY_STORE_ERROR_CORRUPT for a damaged one).
 */
GStrv       assay_store_check_path    (const char   *path,
                                       gboolean      full,
                                       GError      **error);

typedef struct {
  char    *path;            /* the new database */
  guint64  rows_copied;
  guint64  rows_lost;       /* rows that could not be read (by their row ids) or stored */
  guint    damaged_areas;   /* stretches of a table skipped because they could not be read */
  guint    tables_lost;     /* tables of which nothing could be read */
} AssayStoreSalvage;

void        assay_store_salvage_free  (AssayStoreSalvage *salvage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayStoreSalvage, assay_store_salvage_free)

/**
 * assay_store_salvage_default_path:
 * A new file next to @path, `assay-salvaged-YYYYMMDD-HHMMSS.db` (local time), with `-2`, `-3`...
 * when that name is taken; in `$XDG_DATA_HOME/assay` when Assay may not write @path's folder.
 */
char       *assay_store_salvage_default_path (const char *path);

/**
 * assay_store_salvage:
 * Copies what can be read of the database at @path into a new database at @dest: a fresh
 * schema from the migration ladder, filled table by table and row by row, skipping rows and
 * pages that cannot be read. @path is opened read-only and never changed; @dest must not exist
 * (nothing is overwritten) and appears only when the copy is complete. Blocks: run it off the
 * main thread (assay_store_salvage_async()).
 */
AssayStoreSalvage *assay_store_salvage (const char    *path,
                                        const char    *dest,
                                        GCancellable  *cancellable,
                                        GError       **error);
void        assay_store_salvage_async  (const char          *path,
                                        const char          *dest,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
AssayStoreSalvage *assay_store_salvage_finish (GAsyncResult  *result,
                                               GError       **error);

G_END_DECLS
