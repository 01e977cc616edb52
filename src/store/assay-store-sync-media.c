/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-sync.h"
#include "assay-store-private.h"

/*
 * Recordings on demand: the `recordings` objects the feed brought stay in `sync_object` (there
 * is no local file to point a `recording` row at until the cache fetched one). The review page
 * asks here for the one of an interaction when the interaction has no local file.
 *
 * The lookup reads the collection's rows in key order (the primary key's prefix) and compares
 * the JSON member; a centre's recordings are read once per opened contact, not per row shown.
 */

void
assay_sync_recording_free (AssaySyncRecording *recording)
{
  if (recording == NULL)
    return;
  g_free (recording->id);
  g_free (recording->sha256);
  g_free (recording->format);
  g_free (recording->name);
  g_free (recording);
}

static gpointer
find_recording_job (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  const char *interaction_id = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AssaySyncRecording *r;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT id, json_extract (data, '$.sha256'),"
                                   " json_extract (data, '$.size'), json_extract (data, '$.format'),"
                                   " json_extract (data, '$.agentChannel'), json_extract (data, '$.name')"
                                   " FROM sync_object WHERE collection = 'recordings'"
                                   " AND json_extract (data, '$.interactionId') = ?1"
                                   " ORDER BY id LIMIT 1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, interaction_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        _assay_store_set_error (db, rc, error);
      return NULL;
    }
  r = g_new0 (AssaySyncRecording, 1);
  r->id = _assay_store_column_dup (stmt, 0);
  r->sha256 = _assay_store_column_dup (stmt, 1);
  r->size = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 2);
  r->format = _assay_store_column_dup (stmt, 3);
  r->agent_channel = sqlite3_column_type (stmt, 4) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 4);
  r->name = _assay_store_column_dup (stmt, 5);
  return r;
}

void
assay_store_sync_find_recording_async (AssayStore          *self,
                                       const char          *interaction_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (interaction_id != NULL);
  _assay_store_run_async (self, find_recording_job, g_strdup (interaction_id), g_free,
                          (GDestroyNotify) assay_sync_recording_free,
                          assay_store_sync_find_recording_async, cancellable, callback, user_data);
}

AssaySyncRecording *
assay_store_sync_find_recording_finish (AssayStore    *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _assay_store_run_finish (self, result, error);
}

AssaySyncRecording *
assay_store_sync_find_recording_sync (AssayStore  *self,
                                      const char  *interaction_id,
                                      GError     **error)
{
  return _assay_store_run_sync (self, find_recording_job, (gpointer) interaction_id, error);
}
