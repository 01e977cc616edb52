/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-wav.h"

#include <string.h>

G_DEFINE_QUARK (assay-wav-error-quark, assay_wav_error)

/* more chunks than any real recording has before its data: a file of empty chunks ends here */
#define MAX_CHUNKS 4096

static guint32
wav_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static guint16
wav_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

/* reads exactly @count bytes or says why not: -1 error, 0 short */
static int
read_exact (AssayWavReadFunc   read_func,
            gpointer           user_data,
            guint64            offset,
            guint8            *buffer,
            gsize              count,
            GError           **error)
{
  gssize n = read_func (user_data, offset, buffer, count, error);

  if (n < 0)
    return -1;
  return (gsize) n == count ? 1 : 0;
}

gboolean
assay_wav_read_header (AssayWavReadFunc   read_func,
                       gpointer           user_data,
                       guint64            file_size,
                       AssayWavHeader    *header,
                       GError           **error)
{
  guint8 head[12];
  guint8 fmt[40];
  gboolean have_fmt = FALSE;
  guint64 pos = 12;
  int r;

  g_return_val_if_fail (read_func != NULL, FALSE);
  g_return_val_if_fail (header != NULL, FALSE);

  memset (header, 0, sizeof *header);
  r = read_exact (read_func, user_data, 0, head, sizeof head, error);
  if (r < 0)
    return FALSE;
  if (r == 0 || memcmp (head, "RIFF", 4) != 0 || memcmp (head + 8, "WAVE", 4) != 0)
    {
      g_set_error_literal (error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_NOT_WAV,
                           "The file is not a WAV file (no RIFF/WAVE signature)");
      return FALSE;
    }

  for (guint i = 0; i < MAX_CHUNKS && pos + 8 <= file_size; i++)
    {
      guint8 hdr[8];
      guint32 size;

      r = read_exact (read_func, user_data, pos, hdr, sizeof hdr, error);
      if (r < 0)
        return FALSE;
      if (r == 0)
        break;
      size = wav_le32 (hdr + 4);

      if (memcmp (hdr, "fmt ", 4) == 0)
        {
          gsize want = MIN (size, sizeof fmt);

          if (size < 16)
            r = 0;
          else
            r = read_exact (read_func, user_data, pos + 8, fmt, want, error);
          if (r < 0)
            return FALSE;
          if (r == 0)
            {
              g_set_error_literal (error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_BAD_FORMAT,
                                   "The WAV format chunk is damaged");
              return FALSE;
            }
          header->format = wav_le16 (fmt);
          header->channels = wav_le16 (fmt + 2);
          header->rate = wav_le32 (fmt + 4);
          header->byte_rate = wav_le32 (fmt + 8);
          header->block_align = wav_le16 (fmt + 12);
          header->bits = wav_le16 (fmt + 14);
          /* WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the tag */
          if (header->format == 0xFFFE && size >= 40)
            header->format = wav_le16 (fmt + 24);
          have_fmt = TRUE;
        }
      else if (memcmp (hdr, "data", 4) == 0)
        {
          if (!have_fmt)
            {
              g_set_error_literal (error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_DATA_BEFORE_FORMAT,
                                   "The WAV file has audio data before its format chunk");
              return FALSE;
            }
          header->data_offset = pos + 8;
          header->data_available = file_size - header->data_offset;
          /* streaming writers leave the size at 0 or 0xFFFFFFFF until they finish */
          header->data_size = (size == 0 || size == G_MAXUINT32) ? header->data_available : size;
          return TRUE;
        }

      pos += 8 + (guint64) size + (size & 1);
    }

  if (have_fmt)
    g_set_error_literal (error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_NO_DATA,
                         "The WAV file has no audio data (it may be cut off)");
  else
    g_set_error_literal (error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_INCOMPLETE,
                         "The WAV header is incomplete");
  return FALSE;
}

typedef struct {
  const guint8 *data;
  gsize         length;
} Memory;

static gssize
memory_read (gpointer   user_data,
             guint64    offset,
             guint8    *buffer,
             gsize      count,
             GError   **error)
{
  Memory *mem = user_data;
  gsize n;

  if (offset >= mem->length)
    return 0;
  n = MIN (count, mem->length - offset);
  memcpy (buffer, mem->data + offset, n);
  return (gssize) n;
}

gboolean
assay_wav_parse_header (const guint8     *data,
                        gsize             length,
                        guint64           file_size,
                        AssayWavHeader   *header,
                        GError          **error)
{
  Memory mem = { data, length };

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  return assay_wav_read_header (memory_read, &mem, MAX (file_size, length), header, error);
}
