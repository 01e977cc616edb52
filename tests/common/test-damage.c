/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sqlite3.h>
#include <string.h>

#include <gio/gio.h>

#include "test-damage.h"

char *
test_damage_copy (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  char *copy = g_build_filename (dir, "damaged.db", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (path);
  g_autoptr(GFile) to = g_file_new_for_path (copy);
  g_autoptr(GError) error = NULL;

  /* the store folded its -wal into the file when it closed */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return copy;
}

static guint
be16 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

guint
test_damage_table (const char *path,
                   const char *table)
{
  g_autofree char *uri = g_strconcat ("file:", path, "?immutable=1", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree guint8 *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  guint32 page;
  gsize page_size;
  guint n_cells;

  /* immutable: not even a -shm appears next to the file */
  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_schema WHERE name = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = (guint32) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (path, (char **) &data, &length, &error));
  g_assert_no_error (error);
  page_size = be16 (data + 16) == 1 ? 65536 : be16 (data + 16);
  g_assert_cmpuint (page, >, 1);

  /* down the interior pages (type 5) by their middle child to a leaf (type 13) */
  for (;;)
    {
      const guint8 *p = data + (page - 1) * page_size;

      g_assert_cmpuint ((page - 1) * page_size + page_size, <=, length);
      n_cells = be16 (p + 3);
      if (p[0] == 13)
        break;
      g_assert_cmpuint (p[0], ==, 5);
      g_assert_cmpuint (n_cells, >, 1);
      page = be32 (p + be16 (p + 12 + 2 * (n_cells / 2)));
    }
  g_assert_cmpuint (n_cells, >, 0);

  for (gsize i = 0; i < page_size; i++)
    data[(page - 1) * page_size + i] = (guint8) (0xA5 ^ (i * 31));
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) length, &error));
  g_assert_no_error (error);
  return n_cells;
}

char *
test_damage_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
}
