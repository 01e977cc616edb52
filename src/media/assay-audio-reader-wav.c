/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-audio-reader-private.h"
#include "assay-media-error.h"
#include "core/assay-wav.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

/*
 * Plain WAV (PCM, float, A-law, µ-law), read with read(2) and a lookup table: the floor is the
 * disk. The header is core's one WAV header reader (assay_wav_read_header); compressed WAV
 * (GSM 6.10, ADPCM, MP3 in WAV) is left to GStreamer.
 */

typedef enum {
  WAV_PCM_U8,
  WAV_PCM_S16,
  WAV_PCM_S24,
  WAV_PCM_S32,
  WAV_FLOAT32,
  WAV_FLOAT64,
  WAV_ALAW,
  WAV_MULAW,
} WavEncoding;

typedef struct {
  WavEncoding  encoding;
  guint        block_align;
  gint64       data_offset;
  gint64       data_size;
  gint64       data_left;
  guint8      *raw;          /* the block as read, when it needs converting */
} Wav;

static gint16 ulaw_table[256];
static gint16 alaw_table[256];

static void
g711_tables_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;

  for (int i = 0; i < 256; i++)
    {
      guint8 u = (guint8) ~i;
      int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
      guint8 a = (guint8) (i ^ 0x55);
      int seg = (a & 0x70) >> 4;
      int v = (a & 0x0F) << 4;

      ulaw_table[i] = (gint16) ((u & 0x80) ? (0x84 - t) : (t - 0x84));
      if (seg == 0)
        v += 8;
      else
        v = (v + 0x108) << (seg - 1);
      alaw_table[i] = (gint16) ((a & 0x80) ? v : -v);
    }

  g_once_init_leave (&done, 1);
}

/* reads the header for assay_wav_read_header() */
static gssize
wav_pread (gpointer   user_data,
           guint64    offset,
           guint8    *buffer,
           gsize      count,
           GError   **error)
{
  AssayAudioReader *self = user_data;
  gssize n;

  do
    n = pread (self->fd, buffer, count, (off_t) offset);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return -1;
    }
  return n;
}

static AssayAudioOpenResult
wav_open (AssayAudioReader  *self,
          GCancellable      *cancellable,
          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  Wav *wav = g_new0 (Wav, 1);
  AssayWavHeader header;
  guint16 tag, channels, block_align, bits;
  guint32 rate;
  gint64 offset, avail, data_size;

  self->decoder_data = wav;

  if (!assay_wav_read_header (wav_pread, self, (guint64) self->file_size, &header, &local_error))
    {
      const char *detail = local_error->message;

      if (g_error_matches (local_error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_NO_DATA))
        detail = _("the WAV file has no audio data (it may be cut off)");
      else if (g_error_matches (local_error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_INCOMPLETE)
               || g_error_matches (local_error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_NOT_WAV))
        detail = _("the WAV header is incomplete");
      else if (g_error_matches (local_error, ASSAY_WAV_ERROR, ASSAY_WAV_ERROR_BAD_FORMAT))
        detail = _("the WAV format header is damaged");
      else if (g_error_matches (local_error, ASSAY_WAV_ERROR,
                                ASSAY_WAV_ERROR_DATA_BEFORE_FORMAT))
        detail = _("the WAV file has audio data before its format header");
      _assay_audio_reader_set_corrupt (self, error, detail);
      return ASSAY_AUDIO_OPEN_ERROR;
    }

  tag = header.format;
  channels = header.channels;
  rate = header.rate;
  block_align = header.block_align;
  bits = header.bits;
  offset = (gint64) header.data_offset;
  avail = (gint64) header.data_available;
  data_size = (gint64) header.data_size;

  switch (tag)
    {
    case 1:
      wav->encoding = bits == 8 ? WAV_PCM_U8 : bits == 16 ? WAV_PCM_S16 :
                           bits == 24 ? WAV_PCM_S24 : WAV_PCM_S32;
      if (bits != 8 && bits != 16 && bits != 24 && bits != 32)
        return ASSAY_AUDIO_OPEN_PASS;
      break;
    case 3:
      if (bits != 32 && bits != 64)
        return ASSAY_AUDIO_OPEN_PASS;
      wav->encoding = bits == 32 ? WAV_FLOAT32 : WAV_FLOAT64;
      break;
    case 6:
      wav->encoding = WAV_ALAW;
      bits = 8;
      break;
    case 7:
      wav->encoding = WAV_MULAW;
      bits = 8;
      break;
    default:
      return ASSAY_AUDIO_OPEN_PASS;   /* GSM 6.10, ADPCM, MP3 in WAV, ...: GStreamer */
    }

  if (channels == 0 || rate == 0 || rate > 768000 || block_align != channels * (bits / 8))
    {
      _assay_audio_reader_set_corrupt (self, error, _("the WAV format header is damaged"));
      return ASSAY_AUDIO_OPEN_ERROR;
    }
  if (channels > ASSAY_AUDIO_MAX_CHANNELS)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_UNSUPPORTED,
                   _("The recording “%s” has %u channels; Assay analyses "
                     "recordings of up to %d channels."),
                   self->name, channels, ASSAY_AUDIO_MAX_CHANNELS);
      return ASSAY_AUDIO_OPEN_ERROR;
    }

  /* a size left unset by a streaming writer was taken from the file */
  if (data_size > avail)
    {
      _assay_audio_reader_set_truncated (self, error, (double) (data_size / block_align) / rate,
                                         (double) (MAX (avail, 0) / block_align) / rate);
      return ASSAY_AUDIO_OPEN_ERROR;
    }
  data_size -= data_size % block_align;

  if (lseek (self->fd, offset, SEEK_SET) < 0)
    {
      _assay_audio_reader_set_corrupt (self, error, g_strerror (errno));
      return ASSAY_AUDIO_OPEN_ERROR;
    }

  wav->block_align = block_align;
  wav->data_offset = offset;
  wav->data_size = data_size;
  wav->data_left = data_size;
  self->info.rate = self->info.source_rate = rate;
  self->info.channels = self->info.source_channels = channels;
  self->info.n_frames = data_size / block_align;
  self->info.decoder = "wav";
  if (wav->encoding == WAV_ALAW || wav->encoding == WAV_MULAW)
    g711_tables_init ();
  if (wav->encoding != WAV_PCM_S16 || G_BYTE_ORDER != G_LITTLE_ENDIAN)
    wav->raw = g_malloc ((gsize) ASSAY_AUDIO_BLOCK_FRAMES * block_align);
  _assay_audio_reader_alloc_out (self);
  return ASSAY_AUDIO_OPEN_OK;
}

static inline gint16
float_to_s16 (double v)
{
  v *= 32768.0;
  if (v >= 32767.0)
    return 32767;
  if (v <= -32768.0)
    return -32768;
  return (gint16) v;
}

static gboolean
wav_read (AssayAudioReader  *self,
          const gint16     **frames,
          gsize             *n_frames,
          GCancellable      *cancellable,
          GError           **error)
{
  Wav *wav = self->decoder_data;
  gsize want_frames =
    (gsize) MIN ((gint64) ASSAY_AUDIO_BLOCK_FRAMES, wav->data_left / wav->block_align);
  gsize want = want_frames * wav->block_align;
  gsize got = 0, n, samples;
  void *dest = wav->raw != NULL ? (void *) wav->raw : (void *) self->out;

  *frames = self->out;
  *n_frames = 0;
  if (want_frames == 0)
    return TRUE;

  if (!_assay_audio_read_full (self->fd, dest, want, &got))
    {
      _assay_audio_reader_set_read_error (self, error, errno);
      return FALSE;
    }
  if (got < want)
    {
      /* the file shrank under us */
      _assay_audio_reader_set_truncated (self, error,
                                         (double) self->info.n_frames / self->info.rate,
                                         (double) (self->frames_out
                                                   + (gint64) (got / wav->block_align))
                                           / self->info.rate);
      return FALSE;
    }
  wav->data_left -= (gint64) want;
  n = want_frames;
  samples = n * self->info.channels;

  switch (wav->encoding)
    {
    case WAV_PCM_S16:
      if (wav->raw != NULL)
        for (gsize i = 0; i < samples; i++)
          self->out[i] = (gint16) _assay_audio_le16 (wav->raw + 2 * i);
      break;
    case WAV_PCM_U8:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = (gint16) ((wav->raw[i] - 128) << 8);
      break;
    case WAV_PCM_S24:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = (gint16) (wav->raw[3 * i + 1] | (wav->raw[3 * i + 2] << 8));
      break;
    case WAV_PCM_S32:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = (gint16) _assay_audio_le16 (wav->raw + 4 * i + 2);
      break;
    case WAV_FLOAT32:
      for (gsize i = 0; i < samples; i++)
        {
          guint32 bits = _assay_audio_le32 (wav->raw + 4 * i);
          float f;

          memcpy (&f, &bits, sizeof f);
          self->out[i] = float_to_s16 (f);
        }
      break;
    case WAV_FLOAT64:
      for (gsize i = 0; i < samples; i++)
        {
          guint64 bits = _assay_audio_le32 (wav->raw + 8 * i)
                         | ((guint64) _assay_audio_le32 (wav->raw + 8 * i + 4) << 32);
          double d;

          memcpy (&d, &bits, sizeof d);
          self->out[i] = float_to_s16 (d);
        }
      break;
    case WAV_ALAW:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = alaw_table[wav->raw[i]];
      break;
    case WAV_MULAW:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = ulaw_table[wav->raw[i]];
      break;
    default:
      g_assert_not_reached ();
    }

  *n_frames = n;
  return TRUE;
}

static gboolean
wav_seek (AssayAudioReader  *self,
          gint64             frame,
          GError           **error)
{
  Wav *wav = self->decoder_data;
  gint64 offset = MIN (frame * wav->block_align, wav->data_size);

  if (lseek (self->fd, wav->data_offset + offset, SEEK_SET) < 0)
    {
      _assay_audio_reader_set_read_error (self, error, errno);
      return FALSE;
    }
  wav->data_left = wav->data_size - offset;
  return TRUE;
}

static gboolean
wav_probe (const guint8 *head,
           gsize         head_len)
{
  return head_len >= 12 && memcmp (head, "RIFF", 4) == 0 && memcmp (head + 8, "WAVE", 4) == 0;
}

static void
wav_clear (AssayAudioReader *self)
{
  Wav *wav = g_steal_pointer (&self->decoder_data);

  if (wav == NULL)
    return;
  g_free (wav->raw);
  g_free (wav);
}

const AssayAudioDecoder _assay_audio_decoder_wav = {
  .probe = wav_probe,
  .open = wav_open,
  .read = wav_read,
  .seek = wav_seek,
  .clear = wav_clear,
};
