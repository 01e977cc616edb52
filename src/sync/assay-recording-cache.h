/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Recordings on demand (issue 9, item 4): the bytes of a recording fetched from the central
 * service (GET /api/v1/recordings/{id}/media, docs/sync-protocol.md) into a bounded cache on
 * this workstation.
 *
 * Files in the cache folder are named by the recording id and the SHA-256 of its bytes (the
 * server's strong ETag is "sha256:<hex>"): "<id>-<sha256>" when complete and checked,
 * "<id>-<sha256>.part" while arriving. A partial file is resumed with Range + If-Range, so bytes
 * of another version are never spliced on: when the server's file changed it answers 200 and
 * the download starts again under the new ETag. A complete file is kept only when its SHA-256
 * is the ETag's.
 *
 * Eviction: files not used for the age limit go first, then the least recently used until the
 * folder is under the size limit (Preferences: recordings-cache-size-mb,
 * recordings-cache-max-age-days). "Used" is the file's modification time, set again on every
 * lookup and fetch (atime is unreliable under relatime/noatime mounts).
 *
 * Everything runs on the main context the fetch was started on; hashing and eviction run in a
 * worker thread.
 */

#define ASSAY_TYPE_RECORDING_CACHE (assay_recording_cache_get_type ())
G_DECLARE_FINAL_TYPE (AssayRecordingCache, assay_recording_cache, ASSAY, RECORDING_CACHE, GObject)

/**
 * AssayRecordingProgress:
 * @partial_path: the file the bytes are written to (readable while it grows; it is renamed
 *   once complete, which an open reader does not notice)
 * @received: bytes on disk so far (resumed bytes included)
 * @total: the whole size, or -1 when the server did not say
 *
 * Called on the fetch's main context after each chunk is written.
 */
typedef void (*AssayRecordingProgress) (const char *partial_path,
                                        goffset     received,
                                        goffset     total,
                                        gpointer    user_data);

/**
 * assay_recording_cache_new:
 * @dir: the cache folder, or %NULL for $XDG_CACHE_HOME/assay/recordings
 * Limits default to the schema's defaults (2048 MB, 30 days).
 */
AssayRecordingCache *assay_recording_cache_new        (const char          *dir);
const char          *assay_recording_cache_get_dir    (AssayRecordingCache *self);
/** assay_recording_cache_set_limits: @max_bytes > 0; @max_age_s > 0 (seconds). */
void                 assay_recording_cache_set_limits (AssayRecordingCache *self,
                                                       guint64              max_bytes,
                                                       gint64               max_age_s);

/**
 * assay_recording_cache_set_tls_database:
 * @database: (nullable): the administrator's CA certificates (as #AssaySyncEngine's "ca-file"),
 *   or %NULL for the system's trust. Never a handler that accepts a certificate.
 */
void                 assay_recording_cache_set_tls_database (AssayRecordingCache *self,
                                                             GTlsDatabase        *database);

/**
 * assay_recording_cache_lookup:
 * @sha256: the recording's SHA-256 (hex), or %NULL for any complete version
 * Returns: (transfer full) (nullable): the path of a complete file (marked used), or %NULL.
 */
char                *assay_recording_cache_lookup     (AssayRecordingCache *self,
                                                       const char          *recording_id,
                                                       const char          *sha256);

/**
 * assay_recording_cache_evict:
 * Removes files past the age limit, then the least recently used until the folder is under
 * the size limit; files being fetched are kept. Blocking (call it from a worker).
 * Returns: how many files were removed.
 */
guint                assay_recording_cache_evict      (AssayRecordingCache *self);

/**
 * assay_recording_cache_fetch_async:
 * @server_url: as #AssaySyncEngine's (HTTPS unless loopback)
 * @token: the bearer token
 * @sha256: (nullable): the SHA-256 the recordings object names; a cached complete file with it
 *   is returned without any request
 * @progress: (nullable): see #AssayRecordingProgress
 *
 * Fetches the recording into the cache, resuming a partial file left by an earlier fetch.
 * Errors: ASSAY_SYNC_ERROR_NETWORK (connection lost: the partial file is kept for a resume),
 * ASSAY_SYNC_ERROR_AUTH (401), ASSAY_SYNC_ERROR_PROTOCOL (an answer that breaks the protocol:
 * a weak or missing ETag, a length that does not add up, bytes whose SHA-256 is not the ETag's,
 * a size larger than the whole cache), G_IO_ERROR_NOT_FOUND (404), G_IO_ERROR_CANCELLED.
 */
void                 assay_recording_cache_fetch_async  (AssayRecordingCache   *self,
                                                         const char            *server_url,
                                                         const char            *token,
                                                         const char            *recording_id,
                                                         const char            *sha256,
                                                         AssayRecordingProgress progress,
                                                         gpointer               progress_data,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
/** Returns: (transfer full): the path of the complete, checked file. */
char                *assay_recording_cache_fetch_finish (AssayRecordingCache   *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

/** The last finished fetch: where it resumed from (0: from the start) and the bytes it received. */
goffset              assay_recording_cache_get_last_resumed_from (AssayRecordingCache *self);
goffset              assay_recording_cache_get_last_received     (AssayRecordingCache *self);

G_END_DECLS
