/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opens a database as the user it runs as and reports what it could do (test-health.c runs it
 * as "nobody" when the tests run as root). */
#include <stdio.h>

#include "assay-store-health.h"
#include "assay-store-private.h"

static gpointer
count_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, "SELECT count(*) FROM interaction",
                                                       error);

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _assay_store_set_error (db, SQLITE_OK, error);
      return NULL;
    }
  *(gint64 *) data = sqlite3_column_int64 (stmt, 0);
  return GINT_TO_POINTER (TRUE);
}

static gpointer
write_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  if (!_assay_store_begin (db, error))
    return NULL;
  if (!_assay_store_exec (db, "INSERT INTO team (id, name) VALUES ('probe', 'Probe')", error))
    {
      _assay_store_rollback (db);
      return NULL;
    }
  return _assay_store_commit (db, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count = -1;

  if (argc != 2)
    return 2;
  store = assay_store_new (argv[1]);
  if (!assay_store_open_sync (store, &error))
    {
      printf ("open-error=%d\n", error->code);
      return 0;
    }
  printf ("read-only=%d\n", assay_store_get_read_only (store));
  if (_assay_store_run_sync (store, count_func, &count, &error) == NULL)
    printf ("read-error=%d\n", error->code);
  else
    printf ("interactions=%" G_GINT64_FORMAT "\n", count);
  g_clear_error (&error);
  if (_assay_store_run_sync (store, write_func, NULL, &error) == NULL)
    printf ("write-error=%d\n", error->code);
  else
    printf ("write=ok\n");
  assay_store_close (store);
  return 0;
}
