/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <gst/app/gstappsrc.h>

#include "assay-growing-src.h"

/*
 * playbin reads a growing file through an appsrc ("appsrc://") in random-access mode: the
 * parser (wavparse, …) pulls bytes at offsets, and need-data waits in the growing file for
 * those not arrived yet (near the edge of what has arrived; far past it the read is the end,
 * so typefind's look at the end does not wait for the whole file). The wait is bounded (a stall becomes an element error the player
 * shows) and cancelled when the player closes, so a state change to NULL never hangs.
 */

#define CHUNK_SIZE (32 * 1024)
#define STALL_MS 30000
#define FAR_READ (64 * 1024)

typedef struct {
  AssayGrowingFile *file;
  GCancellable     *cancellable;
  guint64           offset;
} Feed;

static void
feed_free (gpointer data)
{
  Feed *feed = data;

  g_clear_object (&feed->file);
  g_clear_object (&feed->cancellable);
  g_free (feed);
}

static void
need_data (GstAppSrc *src,
           guint      length,
           gpointer   user_data)
{
  Feed *feed = user_data;
  g_autoptr(GError) error = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  gssize n;

  if (length == 0 || length > CHUNK_SIZE)
    length = CHUNK_SIZE;
  /* a read far past what has arrived (typefind looks for tags at the end of the file) gets
   * the end at once rather than waiting for the whole download; reads at the edge, where
   * playback is, wait for the bytes */
  if (!assay_growing_file_is_complete (feed->file)
      && (goffset) feed->offset > assay_growing_file_get_available (feed->file) + FAR_READ)
    {
      gst_app_src_end_of_stream (src);
      return;
    }
  buffer = gst_buffer_new_allocate (NULL, length, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  n = assay_growing_file_read_at (feed->file, map.data, length, (goffset) feed->offset,
                                  STALL_MS, feed->cancellable, &error);
  gst_buffer_unmap (buffer, &map);
  if (n <= 0)
    {
      gst_buffer_unref (buffer);
      if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        GST_ELEMENT_ERROR (src, RESOURCE, READ, ("%s", error->message), (NULL));
      gst_app_src_end_of_stream (src);
      return;
    }
  gst_buffer_set_size (buffer, (gsize) n);
  GST_BUFFER_OFFSET (buffer) = feed->offset;
  feed->offset += (guint64) n;
  gst_app_src_push_buffer (src, buffer);
}

static gboolean
seek_data (GstAppSrc *src,
           guint64    offset,
           gpointer   user_data)
{
  Feed *feed = user_data;

  feed->offset = offset;
  return TRUE;
}

void
assay_growing_src_attach (GstElement       *appsrc,
                          AssayGrowingFile *file,
                          GCancellable     *cancellable)
{
  GstAppSrcCallbacks callbacks = { need_data, NULL, seek_data, { NULL } };
  Feed *feed;
  goffset total;

  g_return_if_fail (GST_IS_APP_SRC (appsrc));
  g_return_if_fail (ASSAY_IS_GROWING_FILE (file));

  feed = g_new0 (Feed, 1);
  feed->file = g_object_ref (file);
  feed->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  total = assay_growing_file_get_total (file);
  g_object_set (appsrc,
                "stream-type", GST_APP_STREAM_TYPE_RANDOM_ACCESS,
                "format", GST_FORMAT_BYTES,
                "size", (gint64) total,
                NULL);
  gst_app_src_set_callbacks (GST_APP_SRC (appsrc), &callbacks, feed, feed_free);
}
