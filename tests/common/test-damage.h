/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Copies the closed database @path (no -wal) to a new file next to it and returns its path. */
char  *test_damage_copy       (const char *path);
/*
 * Damages the database file @path as a failing disk would: finds a leaf page of @table's
 * b-tree in the middle of the table and overwrites the whole page with garbage. Returns how many
 * rows that page held (they are lost; the other pages stay readable).
 */
guint  test_damage_table      (const char *path,
                               const char *table);
/* The SHA-256 of the file @path, in hex. */
char  *test_damage_sha256     (const char *path);

G_END_DECLS
