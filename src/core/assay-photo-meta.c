/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-photo-meta.h"

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

gboolean
assay_photo_is_jpeg (const guint8 *data,
                     gsize         length)
{
  return length >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff;
}

gboolean
assay_photo_is_png (const guint8 *data,
                    gsize         length)
{
  return length >= 8 && memcmp (data, png_signature, 8) == 0;
}

static gboolean
malformed (GError     **error,
           const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "The photo is damaged (%s): take or export it again", what);
  return FALSE;
}

/* the segments that may say where and with what a photo was taken */
static gboolean
jpeg_marker_is_metadata (guint8 marker)
{
  if (marker == 0xfe)                            /* COM */
    return TRUE;
  if (marker < 0xe0 || marker > 0xef)
    return FALSE;
  /* APP0 JFIF, APP2 ICC profile and APP14 Adobe decide how the pixels look: keep them */
  return marker != 0xe0 && marker != 0xe2 && marker != 0xee;
}

static gboolean
strip_jpeg (const guint8  *d,
            gsize          n,
            GByteArray    *out,
            guint         *removed,
            GError       **error)
{
  gsize i = 2;

  g_byte_array_append (out, d, 2);               /* SOI */
  while (TRUE)
    {
      guint8 marker;
      gsize len;

      if (i >= n)
        return malformed (error, "it ends before its end marker");
      if (d[i] != 0xff)
        return malformed (error, "a segment does not start with a marker");
      while (i < n && d[i] == 0xff)              /* fill bytes */
        i++;
      if (i >= n)
        return malformed (error, "it ends inside a marker");
      marker = d[i++];
      if (marker == 0xd9)                        /* EOI */
        {
          static const guint8 eoi[2] = { 0xff, 0xd9 };

          g_byte_array_append (out, eoi, 2);
          return TRUE;
        }
      if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01)
        {
          guint8 standalone[2] = { 0xff, marker };

          g_byte_array_append (out, standalone, 2);
          continue;
        }
      if (marker == 0xd8 || marker == 0x00)
        return malformed (error, "a marker is out of place");
      if (i + 2 > n)
        return malformed (error, "a segment's length is cut off");
      len = ((gsize) d[i] << 8) | d[i + 1];
      if (len < 2 || i + len > n)
        return malformed (error, "a segment is longer than the file");
      if (marker == 0xda)
        {
          /* start of scan: the compressed image and whatever follows it are kept as they are */
          g_byte_array_append (out, d + i - 2, n - (i - 2));
          return TRUE;
        }
      if (jpeg_marker_is_metadata (marker))
        (*removed)++;
      else
        g_byte_array_append (out, d + i - 2, len + 2);
      i += len;
    }
}

static gboolean
png_chunk_is_metadata (const guint8 *type)
{
  static const char *const dropped[] = { "eXIf", "tEXt", "zTXt", "iTXt", "tIME" };

  for (guint k = 0; k < G_N_ELEMENTS (dropped); k++)
    if (memcmp (type, dropped[k], 4) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
strip_png (const guint8  *d,
           gsize          n,
           GByteArray    *out,
           guint         *removed,
           GError       **error)
{
  gsize i = 8;

  g_byte_array_append (out, d, 8);
  while (i < n)
    {
      guint32 len;
      gsize total;

      if (i + 12 > n)
        return malformed (error, "a chunk is cut off");
      len = ((guint32) d[i] << 24) | ((guint32) d[i + 1] << 16) | ((guint32) d[i + 2] << 8) | d[i + 3];
      total = (gsize) len + 12;
      if (len > 0x7fffffff || total > n - i)
        return malformed (error, "a chunk is longer than the file");
      if (png_chunk_is_metadata (d + i + 4))
        (*removed)++;
      else
        g_byte_array_append (out, d + i, total);
      if (memcmp (d + i + 4, "IEND", 4) == 0)
        return TRUE;
      i += total;
    }
  return malformed (error, "it ends before its end chunk");
}

GBytes *
assay_photo_strip_metadata (GBytes  *data,
                            guint   *out_removed,
                            GError **error)
{
  g_autoptr(GByteArray) out = NULL;
  const guint8 *d;
  gsize n;
  guint removed = 0;
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  d = g_bytes_get_data (data, &n);
  if (out_removed != NULL)
    *out_removed = 0;
  if (!assay_photo_is_jpeg (d, n) && !assay_photo_is_png (d, n))
    return g_bytes_ref (data);
  out = g_byte_array_sized_new (n);
  if (assay_photo_is_jpeg (d, n))
    ok = strip_jpeg (d, n, out, &removed, error);
  else
    ok = strip_png (d, n, out, &removed, error);
  if (!ok)
    return NULL;
  if (out_removed != NULL)
    *out_removed = removed;
  if (removed == 0)
    return g_bytes_ref (data);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
