/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>
#include <utime.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "assay-recording-cache.h"
#include "assay-sync-engine.h"
#include "assay-sync-error.h"

#define FETCH_TIMEOUT_S 30
#define CHUNK_SIZE (64 * 1024)
#define DEFAULT_MAX_BYTES (G_GUINT64_CONSTANT (2048) * 1024 * 1024)
#define DEFAULT_MAX_AGE_S (G_GINT64_CONSTANT (30) * 24 * 3600)
#define PART_SUFFIX ".part"

struct _AssayRecordingCache
{
  GObject      parent_instance;

  char        *dir;
  guint64      max_bytes;
  gint64       max_age_s;
  SoupSession *session;
  GTlsDatabase *tls_database;   /* NULL: the system's trust */
  GMutex       lock;          /* guards active (eviction runs in a worker) */
  GHashTable  *active;        /* basename of a partial file being written → NULL */
  goffset      last_resumed_from;
  goffset      last_received;
};

G_DEFINE_FINAL_TYPE (AssayRecordingCache, assay_recording_cache, G_TYPE_OBJECT)

static void
assay_recording_cache_finalize (GObject *object)
{
  AssayRecordingCache *self = ASSAY_RECORDING_CACHE (object);

  g_free (self->dir);
  g_clear_object (&self->session);
  g_clear_object (&self->tls_database);
  g_hash_table_unref (self->active);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (assay_recording_cache_parent_class)->finalize (object);
}

static void
assay_recording_cache_class_init (AssayRecordingCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_recording_cache_finalize;
}

static void
assay_recording_cache_init (AssayRecordingCache *self)
{
  self->max_bytes = DEFAULT_MAX_BYTES;
  self->max_age_s = DEFAULT_MAX_AGE_S;
  g_mutex_init (&self->lock);
  self->active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

AssayRecordingCache *
assay_recording_cache_new (const char *dir)
{
  AssayRecordingCache *self = g_object_new (ASSAY_TYPE_RECORDING_CACHE, NULL);

  if (dir != NULL)
    self->dir = g_strdup (dir);
  else
    self->dir = g_build_filename (g_get_user_cache_dir (), "assay", "recordings", NULL);
  return self;
}

const char *
assay_recording_cache_get_dir (AssayRecordingCache *self)
{
  g_return_val_if_fail (ASSAY_IS_RECORDING_CACHE (self), NULL);
  return self->dir;
}

void
assay_recording_cache_set_limits (AssayRecordingCache *self,
                                  guint64              max_bytes,
                                  gint64               max_age_s)
{
  g_return_if_fail (ASSAY_IS_RECORDING_CACHE (self));
  g_return_if_fail (max_bytes > 0 && max_age_s > 0);
  self->max_bytes = max_bytes;
  self->max_age_s = max_age_s;
}

goffset
assay_recording_cache_get_last_resumed_from (AssayRecordingCache *self)
{
  g_return_val_if_fail (ASSAY_IS_RECORDING_CACHE (self), 0);
  return self->last_resumed_from;
}

goffset
assay_recording_cache_get_last_received (AssayRecordingCache *self)
{
  g_return_val_if_fail (ASSAY_IS_RECORDING_CACHE (self), 0);
  return self->last_received;
}

/* ---- names ---- */

/* ids go into file names: only what a UUID or a slug holds */
static gboolean
id_is_safe (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 128)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
sha_is_valid (const char *sha)
{
  if (sha == NULL || strlen (sha) != 64)
    return FALSE;
  for (const char *p = sha; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* the hex of a strong ETag "sha256:<hex>", or %NULL */
static char *
etag_sha (const char *etag)
{
  gsize len;

  if (etag == NULL || g_str_has_prefix (etag, "W/"))
    return NULL;
  len = strlen (etag);
  if (len != 2 + 7 + 64 || etag[0] != '"' || etag[len - 1] != '"'
      || strncmp (etag + 1, "sha256:", 7) != 0)
    return NULL;
  {
    g_autofree char *hex = g_strndup (etag + 8, 64);

    return sha_is_valid (hex) ? g_steal_pointer (&hex) : NULL;
  }
}

static void
touch (const char *path)
{
  /* "used" is the modification time: atime is unreliable (relatime, noatime) */
  if (utime (path, NULL) != 0)
    g_debug ("Cannot mark %s used: %s", path, g_strerror (errno));
}

/* the basename of a file of @id in the folder (complete when @partial is FALSE), or %NULL */
static char *
find_file (const char *dir,
           const char *id,
           const char *sha256,
           gboolean    partial)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strconcat (id, "-", NULL);
  const char *name;

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      gsize len = strlen (name);
      gboolean is_part = g_str_has_suffix (name, PART_SUFFIX);

      if (!g_str_has_prefix (name, prefix) || is_part != partial)
        continue;
      if (len != strlen (prefix) + 64 + (partial ? strlen (PART_SUFFIX) : 0))
        continue;
      if (sha256 != NULL && strncmp (name + strlen (prefix), sha256, 64) != 0)
        continue;
      return g_strdup (name);
    }
  return NULL;
}

void
assay_recording_cache_set_tls_database (AssayRecordingCache *self,
                                        GTlsDatabase        *database)
{
  g_return_if_fail (ASSAY_IS_RECORDING_CACHE (self));
  if (!g_set_object (&self->tls_database, database))
    return;
  /* new connections use it; a fetch under way keeps the one it has */
  if (self->session != NULL)
    soup_session_set_tls_database (self->session, database);
}

char *
assay_recording_cache_lookup (AssayRecordingCache *self,
                              const char          *recording_id,
                              const char          *sha256)
{
  g_autofree char *name = NULL;
  char *path;

  g_return_val_if_fail (ASSAY_IS_RECORDING_CACHE (self), NULL);
  if (!id_is_safe (recording_id) || (sha256 != NULL && !sha_is_valid (sha256)))
    return NULL;
  name = find_file (self->dir, recording_id, sha256, FALSE);
  if (name == NULL)
    return NULL;
  path = g_build_filename (self->dir, name, NULL);
  touch (path);
  return path;
}

/* ---- eviction ---- */

typedef struct {
  char   *path;
  gint64  used;
  guint64 size;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->path);
  g_free (e);
}

static int
entry_compare (gconstpointer a,
               gconstpointer b)
{
  const Entry *x = *(Entry *const *) a, *y = *(Entry *const *) b;

  return x->used < y->used ? -1 : x->used > y->used ? 1 : 0;
}

guint
assay_recording_cache_evict (AssayRecordingCache *self)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 total = 0;
  guint removed = 0;
  const char *name;

  g_return_val_if_fail (ASSAY_IS_RECORDING_CACHE (self), 0);
  d = g_dir_open (self->dir, 0, NULL);
  if (d == NULL)
    return 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      GStatBuf st;
      Entry *e;
      gboolean active;

      g_mutex_lock (&self->lock);
      active = g_hash_table_contains (self->active, name);
      g_mutex_unlock (&self->lock);
      if (active)
        continue;
      e = g_new0 (Entry, 1);
      e->path = g_build_filename (self->dir, name, NULL);
      if (g_stat (e->path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          entry_free (e);
          continue;
        }
      e->used = st.st_mtime;
      e->size = (guint64) st.st_size;
      if (now - e->used > self->max_age_s)
        {
          if (g_unlink (e->path) == 0)
            removed++;
          entry_free (e);
          continue;
        }
      total += e->size;
      g_ptr_array_add (entries, e);
    }
  g_ptr_array_sort (entries, entry_compare);
  for (guint i = 0; i < entries->len && total > self->max_bytes; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);

      if (g_unlink (e->path) == 0)
        {
          removed++;
          total -= e->size;
        }
    }
  return removed;
}

/* ---- fetch ---- */

typedef struct {
  char                  *url;
  char                  *token;
  char                  *id;
  char                  *want_sha;     /* expected, or NULL */
  char                  *sha;          /* of the bytes being written (from the ETag) */
  char                  *part_name;
  char                  *part_path;
  AssayRecordingProgress progress;
  gpointer               progress_data;
  SoupMessage           *msg;
  GInputStream          *body;
  GOutputStream         *out;
  goffset                offset;       /* bytes on disk before this request */
  goffset                received;     /* bytes of this response written */
  goffset                total;        /* the whole size, -1 unknown */
  gboolean               restarted;    /* a 416 made us start over once */
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *f = data;

  g_free (f->url);
  g_free (f->token);
  g_free (f->id);
  g_free (f->want_sha);
  g_free (f->sha);
  g_free (f->part_name);
  g_free (f->part_path);
  g_clear_object (&f->msg);
  g_clear_object (&f->body);
  g_clear_object (&f->out);
  g_free (f);
}

static void send_request (GTask *task);

static void
set_active (AssayRecordingCache *self,
            const char          *name,
            gboolean             active)
{
  if (name == NULL)
    return;
  g_mutex_lock (&self->lock);
  if (active)
    g_hash_table_add (self->active, g_strdup (name));
  else
    g_hash_table_remove (self->active, name);
  g_mutex_unlock (&self->lock);
}

static void
fetch_fail (GTask  *task,
            GError *error)
{
  AssayRecordingCache *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);

  if (f->out != NULL)
    g_output_stream_close (f->out, NULL, NULL);
  set_active (self, f->part_name, FALSE);
  self->last_resumed_from = f->offset;
  self->last_received = f->received;
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
fetch_fail_protocol (GTask      *task,
                     gboolean    drop_partial,
                     const char *message)
{
  Fetch *f = g_task_get_task_data (task);

  if (drop_partial && f->part_path != NULL)
    g_unlink (f->part_path);
  fetch_fail (task, g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                                 _("The central service sent recording %s in a way this "
                                   "application cannot trust (%s). Try again later, or ask "
                                   "the service's administrator."), f->id, message));
}

static void
hash_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AssayRecordingCache *self = source;
  Fetch *f = task_data;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) error = NULL;
  g_autofree char *final = NULL;
  g_autofree guint8 *buf = g_malloc (CHUNK_SIZE);
  FILE *in = g_fopen (f->part_path, "rb");
  size_t n;

  if (in == NULL)
    {
      int e = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (e),
                               _("Cannot read the downloaded recording %s: %s"),
                               f->part_path, g_strerror (e));
      return;
    }
  while ((n = fread (buf, 1, CHUNK_SIZE, in)) > 0)
    g_checksum_update (sum, buf, n);
  fclose (in);
  if (strcmp (g_checksum_get_string (sum), f->sha) != 0)
    {
      g_unlink (f->part_path);
      g_task_return_new_error (task, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                               _("The central service sent recording %s in a way this "
                                 "application cannot trust (%s). Try again later, or ask "
                                 "the service's administrator."), f->id,
                               _("its bytes are not the ones its ETag names"));
      return;
    }
  final = g_strndup (f->part_path, strlen (f->part_path) - strlen (PART_SUFFIX));
  if (g_rename (f->part_path, final) != 0)
    {
      int e = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (e),
                               _("Cannot keep the downloaded recording %s: %s"),
                               final, g_strerror (e));
      return;
    }
  touch (final);
  set_active (self, f->part_name, FALSE);
  /* the new file is the most recently used: it goes last, unless it alone is over the limit */
  assay_recording_cache_evict (self);
  if (!g_file_test (final, G_FILE_TEST_EXISTS))
    {
      g_task_return_new_error (task, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                               _("Recording %s is larger than the whole recordings cache. "
                                 "Raise the cache size in Preferences."), f->id);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&final), g_free);
}

static void
hash_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *path = g_task_propagate_pointer (G_TASK (result), &error);
  Fetch *f = g_task_get_task_data (task);

  set_active (ASSAY_RECORDING_CACHE (g_task_get_source_object (task)), f->part_name, FALSE);
  if (path == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, path, g_free);
}

static void
finish_download (GTask *task)
{
  AssayRecordingCache *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GTask) hash = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close (f->out, NULL, &error))
    {
      fetch_fail (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&f->out);
  self->last_resumed_from = f->offset;
  self->last_received = f->received;
  if (f->total >= 0 && f->offset + f->received != f->total)
    {
      g_autofree char *got = g_strdup_printf ("%" G_GOFFSET_FORMAT, f->offset + f->received);
      g_autofree char *want = g_strdup_printf ("%" G_GOFFSET_FORMAT, f->total);

      /* kept: the next fetch resumes it */
      fetch_fail (task, g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK,
                                     _("The connection to the central service ended after %s "
                                       "of %s bytes of the recording. It resumes where it "
                                       "stopped when you try again."), got, want));
      return;
    }
  hash = g_task_new (self, g_task_get_cancellable (task), hash_done, task);
  g_task_set_task_data (hash, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (hash, hash_thread);
  g_steal_pointer (&task);
}

static void read_next (GTask *task);

static void
wrote_chunk (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    {
      fetch_fail (task, g_steal_pointer (&error));
      return;
    }
  f->received += written;
  if (!g_output_stream_flush (f->out, NULL, &error))
    {
      fetch_fail (task, g_steal_pointer (&error));
      return;
    }
  if (f->progress != NULL)
    f->progress (f->part_path, f->offset + f->received, f->total, f->progress_data);
  read_next (task);
}

static void
read_chunk (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  AssayRecordingCache *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);
  gsize n;

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) e = g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK,
                                             _("The connection to the central service was lost "
                                               "while fetching the recording (%s). It resumes "
                                               "where it stopped when you try again."),
                                             error->message);

          fetch_fail (task, g_steal_pointer (&e));
        }
      else
        fetch_fail (task, g_steal_pointer (&error));
      return;
    }
  n = g_bytes_get_size (bytes);
  if (n == 0)
    {
      finish_download (task);
      return;
    }
  if ((f->total >= 0 && f->offset + f->received + (goffset) n > f->total)
      || (guint64) (f->offset + f->received) + n > self->max_bytes)
    {
      fetch_fail_protocol (task, TRUE, _("more bytes than it announced"));
      return;
    }
  /* write_all holds no reference to the data: the task keeps the chunk until the next one */
  g_object_set_data_full (G_OBJECT (task), "chunk", g_bytes_ref (bytes),
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (f->out, g_bytes_get_data (bytes, NULL), n,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   wrote_chunk, task);
}

static void
read_next (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (f->body, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_chunk, task);
}

/* opens the partial file of @sha for writing at @offset (0: truncated) */
static gboolean
open_part (GTask   *task,
           goffset  offset,
           GError **error)
{
  AssayRecordingCache *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autofree char *name = g_strconcat (f->id, "-", f->sha, PART_SUFFIX, NULL);
  g_autoptr(GFile) file = NULL;
  GFileOutputStream *out;

  if (g_strcmp0 (name, f->part_name) != 0)
    {
      set_active (self, f->part_name, FALSE);
      g_free (f->part_name);
      g_free (f->part_path);
      f->part_name = g_steal_pointer (&name);
      f->part_path = g_build_filename (self->dir, f->part_name, NULL);
      set_active (self, f->part_name, TRUE);
    }
  file = g_file_new_for_path (f->part_path);
  if (offset > 0)
    out = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, error);
  else
    out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (out == NULL)
    return FALSE;
  f->out = G_OUTPUT_STREAM (out);
  f->offset = offset;
  f->received = 0;
  return TRUE;
}

static void
sent (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  GTask *task = user_data;
  AssayRecordingCache *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;
  g_autofree char *sha = NULL;
  goffset length;

  f->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (f->body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fetch_fail (task, g_steal_pointer (&error));
      else
        fetch_fail (task, g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK,
                                       _("Cannot reach the central service to fetch the "
                                         "recording (%s). Check the network and try again."),
                                       error->message));
      return;
    }
  status = soup_message_get_status (f->msg);
  headers = soup_message_get_response_headers (f->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      fetch_fail (task, g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH,
                                     _("The central service no longer accepts this sign-in. "
                                       "Sign in again in Preferences.")));
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      fetch_fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                     _("The central service has no recording %s that you may "
                                       "hear."), f->id));
      return;
    }
  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && f->offset > 0 && !f->restarted)
    {
      /* the partial file is not a prefix of the server's: start over once */
      g_unlink (f->part_path);
      f->restarted = TRUE;
      f->offset = 0;
      g_clear_object (&f->body);
      send_request (task);
      return;
    }
  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      fetch_fail (task, g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK,
                                     _("The central service could not send the recording "
                                       "(HTTP %u). Try again later."), status));
      return;
    }

  sha = etag_sha (soup_message_headers_get_one (headers, "ETag"));
  if (sha == NULL)
    {
      fetch_fail_protocol (task, FALSE, _("no strong SHA-256 ETag"));
      return;
    }
  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      goffset start = 0, end = 0, total = -1;

      if (f->offset == 0 || g_strcmp0 (sha, f->sha) != 0
          || !soup_message_headers_get_content_range (headers, &start, &end, &total)
          || start != f->offset || total < 0 || end != total - 1)
        {
          fetch_fail_protocol (task, FALSE, _("a range that is not the one asked for"));
          return;
        }
      f->total = total;
      if (!open_part (task, f->offset, &error))
        {
          fetch_fail (task, g_steal_pointer (&error));
          return;
        }
    }
  else
    {
      /* 200: the whole file, possibly a new version (If-Range did not match) */
      if (f->sha != NULL && strcmp (f->sha, sha) != 0 && f->part_path != NULL)
        g_unlink (f->part_path);
      g_free (f->sha);
      f->sha = g_steal_pointer (&sha);
      length = soup_message_headers_get_content_length (headers);
      f->total = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                 ? length : -1;
      if (!open_part (task, 0, &error))
        {
          fetch_fail (task, g_steal_pointer (&error));
          return;
        }
    }
  if (f->total >= 0 && (guint64) f->total > self->max_bytes)
    {
      /* before failing: fetch_fail() drops the task and its data with it */
      g_unlink (f->part_path);
      fetch_fail (task, g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                                     _("Recording %s is larger than the whole recordings cache. "
                                       "Raise the cache size in Preferences."), f->id));
      return;
    }
  if (f->progress != NULL)
    f->progress (f->part_path, f->offset, f->total, f->progress_data);
  read_next (task);
}

static void
send_request (GTask *task)
{
  AssayRecordingCache *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autofree char *auth = g_strconcat ("Bearer ", f->token, NULL);
  SoupMessageHeaders *headers;

  g_clear_object (&f->msg);
  f->msg = soup_message_new ("GET", f->url);
  if (f->msg == NULL)
    {
      fetch_fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                     _("“%s” is not a server address."), f->url));
      return;
    }
  headers = soup_message_get_request_headers (f->msg);
  soup_message_headers_replace (headers, "Authorization", auth);
  if (f->offset > 0 && f->sha != NULL)
    {
      g_autofree char *etag = g_strdup_printf ("\"sha256:%s\"", f->sha);

      soup_message_headers_set_range (headers, f->offset, -1);
      soup_message_headers_replace (headers, "If-Range", etag);
    }
  soup_session_send_async (self->session, f->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), sent, task);
}

void
assay_recording_cache_fetch_async (AssayRecordingCache   *self,
                                   const char            *server_url,
                                   const char            *token,
                                   const char            *recording_id,
                                   const char            *sha256,
                                   AssayRecordingProgress progress,
                                   gpointer               progress_data,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  GTask *task;
  Fetch *f;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  g_autofree char *part = NULL;
  g_autofree char *base = NULL;

  g_return_if_fail (ASSAY_IS_RECORDING_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_recording_cache_fetch_async);
  f = g_new0 (Fetch, 1);
  f->total = -1;
  f->progress = progress;
  f->progress_data = progress_data;
  f->id = g_strdup (recording_id);
  g_task_set_task_data (task, f, fetch_free);

  if (!id_is_safe (recording_id) || (sha256 != NULL && !sha_is_valid (sha256)))
    {
      fetch_fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                     _("“%s” is not a recording of the central service."),
                                     recording_id ? recording_id : ""));
      return;
    }
  if (!assay_sync_engine_check_url (server_url, &error))
    {
      fetch_fail (task, g_steal_pointer (&error));
      return;
    }
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int e = errno;

      fetch_fail (task, g_error_new (G_IO_ERROR, g_io_error_from_errno (e),
                                     _("Cannot create the recordings cache folder %s: %s"),
                                     self->dir, g_strerror (e)));
      return;
    }

  done = assay_recording_cache_lookup (self, recording_id, sha256);
  if (done != NULL)
    {
      self->last_resumed_from = 0;
      self->last_received = 0;
      g_task_return_pointer (task, g_steal_pointer (&done), g_free);
      g_object_unref (task);
      return;
    }

  /* a partial file of the version wanted (or of any, when none is named) is resumed */
  part = find_file (self->dir, recording_id, sha256, TRUE);
  if (part == NULL && sha256 != NULL)
    {
      g_autofree char *other = find_file (self->dir, recording_id, NULL, TRUE);

      if (other != NULL)
        {
          g_autofree char *path = g_build_filename (self->dir, other, NULL);

          g_unlink (path);
        }
    }
  if (part != NULL)
    {
      g_autofree char *path = g_build_filename (self->dir, part, NULL);
      GStatBuf st;

      f->sha = g_strndup (part + strlen (recording_id) + 1, 64);
      f->part_name = g_strdup (part);
      f->part_path = g_steal_pointer (&path);
      set_active (self, f->part_name, TRUE);
      if (g_stat (f->part_path, &st) == 0)
        f->offset = st.st_size;
    }
  else if (sha256 != NULL)
    f->sha = g_strdup (sha256);

  if (self->session == NULL)
    {
      self->session = soup_session_new_with_options ("timeout", FETCH_TIMEOUT_S,
                                                     "idle-timeout", FETCH_TIMEOUT_S,
                                                     "user-agent", "Assay/" ASSAY_VERSION " ",
                                                     NULL);
      /* the bytes as stored: a Range counts bytes of the file, not of a compressed body */
      soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
      if (self->tls_database != NULL)
        soup_session_set_tls_database (self->session, self->tls_database);
    }
  base = g_strdup (server_url);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  f->url = g_strdup_printf ("%s/api/v1/recordings/%s/media", base, recording_id);
  f->token = g_strdup (token ? token : "");
  send_request (task);
}

char *
assay_recording_cache_fetch_finish (AssayRecordingCache  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
