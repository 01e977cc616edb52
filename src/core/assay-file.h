/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Writing a file so that a failure never leaves a partial one: the data goes to a temporary
 * file in the target's folder (".NAME.XXXXXX"), which is flushed to disk and renamed over the
 * target only when everything was written. Until then the target is as it was (absent, or its
 * old contents); after a failure the temporary file is removed. A target that is a folder or
 * not a regular file (a fifo, a device) is refused before anything is written.
 *
 * g_file_replace() is not enough: when the target does not exist yet it writes the target
 * itself, so a failed export leaves a partial file behind.
 */

/**
 * assay_file_replace_begin:
 * Opens a temporary file beside @path. Returns: (transfer full): the stream to write, to be
 * ended with assay_file_replace_commit() or assay_file_replace_abort(); %NULL with @error set
 * when the folder does not exist or cannot be written, or @path is a folder or not a regular
 * file.
 */
GOutputStream *assay_file_replace_begin  (const char     *path,
                                          GError        **error);
/**
 * assay_file_replace_commit:
 * Closes @stream, flushes it to disk and renames it over the target. On failure the temporary
 * file is removed and the target left as it was. Consumes nothing: unref @stream afterwards.
 */
gboolean       assay_file_replace_commit (GOutputStream  *stream,
                                          GCancellable   *cancellable,
                                          GError        **error);
/** assay_file_replace_abort: closes @stream and removes the temporary file; the target is untouched. */
void           assay_file_replace_abort  (GOutputStream  *stream);

/**
 * assay_file_write_atomic:
 * Writes @length bytes of @data to @path through assay_file_replace_begin() and _commit().
 */
gboolean       assay_file_write_atomic   (const char     *path,
                                          const void     *data,
                                          gsize           length,
                                          GCancellable   *cancellable,
                                          GError        **error);
/** assay_file_write_atomic_async: assay_file_write_atomic() on a worker thread. */
void           assay_file_write_atomic_async  (GFile               *file,
                                               GBytes              *bytes,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       assay_file_write_atomic_finish (GFile               *file,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
