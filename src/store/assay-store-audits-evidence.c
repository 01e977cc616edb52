/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "assay-store-audits-private.h"
#include "assay-store-private.h"
#include "core/assay-photo-meta.h"
#include "core/assay-util.h"

/* Evidence files of audits (docs/audits.md): content-addressed by SHA-256 in `<db>.files`,
 * once per content, photos without location and camera metadata. */

void
assay_audit_evidence_record_free (AssayAuditEvidenceRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->audit_id);
  g_free (r->item_id);
  g_free (r->sha256);
  g_free (r->media_type);
  g_free (r->file_name);
  g_free (r->path);
  g_free (r);
}

static char *
files_dir_for (const char *db_path)
{
  return g_strconcat (db_path, ".files", NULL);
}

char *
assay_store_audits_files_dir (AssayStore *store)
{
  return files_dir_for (assay_store_get_path (store));
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

char *
assay_store_audits_blob_path (const char  *files_dir,
                              const char  *sha256,
                              GError     **error)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *dir_a = NULL;
  g_autofree char *dir_b = NULL;
  g_autofree char *path = NULL;

  if (!is_sha256 (sha256))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("“%s” names no evidence file: it must be a SHA-256 in hexadecimal"),
                   sha256 != NULL ? sha256 : "");
      return NULL;
    }
  a = g_strndup (sha256, 2);
  b = g_strndup (sha256 + 2, 2);
  dir_a = g_build_filename (files_dir, a, NULL);
  dir_b = g_build_filename (dir_a, b, NULL);
  path = g_build_filename (dir_b, sha256, NULL);
  /* a folder or file inside that is a link may point anywhere: never follow it */
  if (g_file_test (files_dir, G_FILE_TEST_IS_SYMLINK) || g_file_test (dir_a, G_FILE_TEST_IS_SYMLINK)
      || g_file_test (dir_b, G_FILE_TEST_IS_SYMLINK) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The evidence folder %s holds a link that leads outside it; remove the link "
                     "and attach the file again"), files_dir);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* ---- attach ---- */

typedef struct
{
  char *audit_id;
  char *item_id;
  char *source_path;
} AddCall;

static void
add_call_free (AddCall *call)
{
  g_free (call->audit_id);
  g_free (call->item_id);
  g_free (call->source_path);
  g_free (call);
}

typedef struct
{
  AddCall                  *call;
  AssayAuditEvidenceRecord *r;
} AddLocked;

static char *
evidence_json (sqlite3     *db,
               const char  *audit_id,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "SELECT json_object ('evidence', json_group_array (json_object ("
                                   " 'itemId', e.item_id, 'sha256', e.sha256, 'size', b.size,"
                                   " 'mediaType', b.media_type, 'fileName', e.file_name,"
                                   " 'addedAt', e.added_at)))"
                                   " FROM audit_evidence e JOIN blob b ON b.sha256 = e.sha256"
                                   " WHERE e.audit_id = ? ORDER BY e.added_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, audit_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _assay_store_set_error (db, sqlite3_errcode (db), error), NULL;
  return _assay_store_column_dup (stmt, 0);
}

static gboolean
add_locked (sqlite3  *db,
            gpointer  data,
            GError  **error)
{
  AddLocked *l = data;
  AssayAuditEvidenceRecord *r = l->r;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *op_data = NULL;
  AssayStoreOutboxOp op = { .collection = "audits", .action = "update", .base_rev_of = "audit" };
  int rc;

  stmt = _assay_store_prepare (db, "SELECT state = 'draft' OR draft_saved_at IS NOT NULL FROM audit"
                                   " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, r->audit_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _assay_audits_invalid (error, _("Save the audit as a draft before attaching files"));
  if (!sqlite3_column_int (stmt, 0))
    return _assay_audits_invalid (error, _("The audit is submitted: change an answer to start an "
                                           "amendment, then attach the file"));
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _assay_store_prepare (db, "INSERT INTO blob (sha256, size, media_type, created_at)"
                                   " VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, r->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, r->size);
  sqlite3_bind_text (stmt, 3, r->media_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, r->added_at);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _assay_store_prepare (db, "INSERT INTO audit_evidence (audit_id, item_id, sha256, file_name,"
                                   " added_at) VALUES (?, ?, ?, ?, ?)"
                                   " ON CONFLICT DO UPDATE SET file_name = excluded.file_name", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, r->audit_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, r->item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, r->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, r->file_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, r->added_at);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  _assay_store_note_change (db, ASSAY_STORE_AUDITS, r->audit_id);

  op_data = evidence_json (db, r->audit_id, error);
  if (op_data == NULL)
    return FALSE;
  op.object_id = r->audit_id;
  op.data = op_data;
  return _assay_store_enqueue (db, &op, error);
}

/* writes @bytes as the blob at @path, once: an existing file of the same size is the same */
static gboolean
write_blob (const char  *path,
            GBytes      *bytes,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;
  gsize n;
  const guint8 *d = g_bytes_get_data (bytes, &n);

  if (g_stat (path, &st) == 0 && (gsize) st.st_size == n)
    return TRUE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, ASSAY_STORE_ERROR,
                   saved == EACCES || saved == EROFS ? ASSAY_STORE_ERROR_READ_ONLY
                                                     : ASSAY_STORE_ERROR_OPEN,
                   _("Cannot make the evidence folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* g_file_set_contents() writes a temporary file beside it and renames it over: never half */
  if (!g_file_set_contents_full (path, (const char *) d, n, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 error))
    {
      g_prefix_error (error, _("Cannot keep the evidence file: "));
      return FALSE;
    }
  return TRUE;
}

static gpointer
add_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  AddCall *call = data;
  g_autoptr(AssayAuditEvidenceRecord) r = g_new0 (AssayAuditEvidenceRecord, 1);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autofree char *files_dir = files_dir_for (sqlite3_db_filename (db, "main"));
  g_autofree char *content_type = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  goffset size;
  const guint8 *d;
  gsize n;

  if (call->source_path == NULL || call->audit_id == NULL)
    return _assay_audits_invalid (error, _("Pick a file to attach")), NULL;
  file = g_file_new_for_path (call->source_path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return _assay_audits_invalid (error, _("Only a file can be attached, not a folder")), NULL;
  size = g_file_info_get_size (info);
  if (size > ASSAY_AUDIT_EVIDENCE_MAX_BYTES)
    {
      g_autofree char *have = g_format_size (size);
      g_autofree char *limit = g_format_size (ASSAY_AUDIT_EVIDENCE_MAX_BYTES);

      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The file is %s; evidence files may be at most %s. Attach a smaller file or "
                     "a compressed copy of the photo."), have, limit);
      return NULL;
    }
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;
  if (length > ASSAY_AUDIT_EVIDENCE_MAX_BYTES)
    return _assay_audits_invalid (error, _("The file grew past the size limit while it was read; "
                                           "attach it again")), NULL;
  raw = g_bytes_new_take (g_steal_pointer (&contents), length);
  kept = assay_photo_strip_metadata (raw, &r->stripped, error);
  if (kept == NULL)
    return NULL;
  d = g_bytes_get_data (kept, &n);

  r->audit_id = g_strdup (call->audit_id);
  r->item_id = g_strdup (call->item_id != NULL ? call->item_id : "");
  r->file_name = g_path_get_basename (call->source_path);
  r->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, kept);
  r->size = n;
  content_type = g_content_type_guess (r->file_name, d, MIN (n, 4096), NULL);
  r->media_type = g_content_type_get_mime_type (content_type);
  if (r->media_type == NULL)
    r->media_type = g_strdup ("application/octet-stream");
  r->added_at = assay_now_ms ();
  r->path = assay_store_audits_blob_path (files_dir, r->sha256, error);
  if (r->path == NULL || !write_blob (r->path, kept, error))
    return NULL;

  {
    AddLocked l = { call, r };

    if (!_assay_store_in_transaction_ok (db, add_locked, &l, error))
      return NULL;
  }
  return g_steal_pointer (&r);
}

static AddCall *
add_call_new (const char *audit_id,
              const char *item_id,
              const char *source_path)
{
  AddCall *call = g_new0 (AddCall, 1);

  call->audit_id = g_strdup (audit_id);
  call->item_id = g_strdup (item_id);
  call->source_path = g_strdup (source_path);
  return call;
}

void
assay_store_audits_add_evidence_async (AssayStore          *store,
                                       const char          *audit_id,
                                       const char          *item_id,
                                       const char          *source_path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  _assay_store_run_async (store, add_func, add_call_new (audit_id, item_id, source_path),
                          (GDestroyNotify) add_call_free,
                          (GDestroyNotify) assay_audit_evidence_record_free,
                          assay_store_audits_add_evidence_async, cancellable, callback, user_data);
}

AssayAuditEvidenceRecord *
assay_store_audits_add_evidence_finish (AssayStore    *store,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayAuditEvidenceRecord *
assay_store_audits_add_evidence_sync (AssayStore  *store,
                                      const char  *audit_id,
                                      const char  *item_id,
                                      const char  *source_path,
                                      GError     **error)
{
  AddCall *call = add_call_new (audit_id, item_id, source_path);
  AssayAuditEvidenceRecord *r = _assay_store_run_sync (store, add_func, call, error);

  add_call_free (call);
  return r;
}

/* ---- list ---- */

static gpointer
list_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_audit_evidence_record_free);
  g_autofree char *files_dir = files_dir_for (sqlite3_db_filename (db, "main"));
  int rc;

  stmt = _assay_store_prepare (db, "SELECT e.audit_id, e.item_id, e.sha256, b.size, b.media_type,"
                                   " e.file_name, e.added_at FROM audit_evidence e"
                                   " JOIN blob b ON b.sha256 = e.sha256 WHERE e.audit_id = ?"
                                   " ORDER BY e.added_at, e.file_name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAuditEvidenceRecord *r = g_new0 (AssayAuditEvidenceRecord, 1);

      r->audit_id = _assay_store_column_dup (stmt, 0);
      r->item_id = _assay_store_column_dup (stmt, 1);
      r->sha256 = _assay_store_column_dup (stmt, 2);
      r->size = sqlite3_column_int64 (stmt, 3);
      r->media_type = _assay_store_column_dup (stmt, 4);
      r->file_name = _assay_store_column_dup (stmt, 5);
      r->added_at = sqlite3_column_int64 (stmt, 6);
      /* a path that would leave the folder is left NULL: the file is shown as missing */
      r->path = assay_store_audits_blob_path (files_dir, r->sha256, NULL);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&out);
}

void
assay_store_audits_list_evidence_async (AssayStore          *store,
                                        const char          *audit_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  _assay_store_run_async (store, list_func, g_strdup (audit_id), g_free,
                          (GDestroyNotify) g_ptr_array_unref,
                          assay_store_audits_list_evidence_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_audits_list_evidence_finish (AssayStore    *store,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_audits_list_evidence_sync (AssayStore  *store,
                                       const char  *audit_id,
                                       GError     **error)
{
  return _assay_store_run_sync (store, list_func, (gpointer) audit_id, error);
}
