/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A file that is still arriving (a recording fetched from the central service): readers on any
 * thread (GStreamer's streaming threads, the peaks worker) read at an offset and wait, bounded
 * and cancellable, for bytes not written yet. The writer announces what is on disk with
 * assay_growing_file_set_available() and ends with _complete() or _fail().
 *
 * The file is opened once at creation, so a rename of the finished file does not disturb
 * readers.
 */

#define ASSAY_TYPE_GROWING_FILE (assay_growing_file_get_type ())
G_DECLARE_FINAL_TYPE (AssayGrowingFile, assay_growing_file, ASSAY, GROWING_FILE, GObject)

/**
 * assay_growing_file_new:
 * @path: the partial file (it must exist)
 * @total: the size it will have, or -1 when unknown
 * Returns: (transfer full) (nullable): %NULL with @error when the file cannot be opened.
 */
AssayGrowingFile *assay_growing_file_new           (const char       *path,
                                                    goffset           total,
                                                    GError          **error);
/** assay_growing_file_set_available: bytes on disk now (never goes back); any thread. */
void              assay_growing_file_set_available (AssayGrowingFile *self,
                                                    goffset           available);
/** assay_growing_file_complete: everything is on disk; the size is what is available now. */
void              assay_growing_file_complete      (AssayGrowingFile *self);
/** assay_growing_file_fail: no more bytes will come; waiting readers get @error. */
void              assay_growing_file_fail          (AssayGrowingFile *self,
                                                    const GError     *error);
goffset           assay_growing_file_get_available (AssayGrowingFile *self);
/** assay_growing_file_get_total: the final size, or -1 while unknown. */
goffset           assay_growing_file_get_total     (AssayGrowingFile *self);
gboolean          assay_growing_file_is_complete   (AssayGrowingFile *self);

/**
 * assay_growing_file_read_at:
 * Reads up to @count bytes at @offset, waiting at most @timeout_ms for the first of them to
 * arrive. Returns what is there (possibly fewer than @count), 0 at the end of a complete file,
 * or -1 with G_IO_ERROR_TIMED_OUT, G_IO_ERROR_CANCELLED or the writer's error.
 */
gssize            assay_growing_file_read_at       (AssayGrowingFile *self,
                                                    void             *buffer,
                                                    gsize             count,
                                                    goffset           offset,
                                                    guint             timeout_ms,
                                                    GCancellable     *cancellable,
                                                    GError          **error);

G_END_DECLS
