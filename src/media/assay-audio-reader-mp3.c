/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-audio-reader-private.h"
#include "assay-media-error.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <mpg123.h>

/*
 * MP3 through libmpg123 (built only when Assay has it). GStreamer's MP3 decoder hands out one
 * frame (576 samples at 8 kHz) per buffer at tens of microseconds each; libmpg123 decodes
 * straight to a block, with its cheap 1:2 / 1:4 output rates for 44.1 and 48 kHz files.
 */

typedef struct {
  mpg123_handle *mh;
  /* libmpg123 reads one frame (a hundred bytes) at a time: it reads through this buffer */
  guint8        *io_buf;
  gsize          io_pos;
  gsize          io_len;
  gint64         io_start;      /* file offset of io_buf[0] */
} Mp3;

static void
mp3_setup_formats (mpg123_handle *mh)
{
  const long *rates;
  size_t n_rates;

  mpg123_format_none (mh);
  mpg123_rates (&rates, &n_rates);
  for (size_t i = 0; i < n_rates; i++)
    mpg123_format (mh, rates[i], MPG123_MONO | MPG123_STEREO, MPG123_ENC_SIGNED_16);
}

#define IO_BUF_SIZE (64 * 1024)

static ssize_t
mp3_io_read (void   *handle,
             void   *buf,
             size_t  len)
{
  AssayAudioReader *self = handle;
  Mp3 *mp3 = self->decoder_data;
  gsize done = 0;

  while (done < len)
    {
      gsize avail = mp3->io_len - mp3->io_pos;

      if (avail == 0)
        {
          gsize got = 0;

          mp3->io_start += (gint64) mp3->io_len;
          mp3->io_pos = mp3->io_len = 0;
          if (!_assay_audio_read_full (self->fd, mp3->io_buf, IO_BUF_SIZE, &got))
            return done > 0 ? (ssize_t) done : -1;
          if (got == 0)
            break;
          mp3->io_len = got;
          continue;
        }
      avail = MIN (avail, len - done);
      memcpy ((guint8 *) buf + done, mp3->io_buf + mp3->io_pos, avail);
      mp3->io_pos += avail;
      done += avail;
    }
  return (ssize_t) done;
}

static off_t
mp3_io_lseek (void  *handle,
              off_t  offset,
              int    whence)
{
  AssayAudioReader *self = handle;
  Mp3 *mp3 = self->decoder_data;
  gint64 target;

  if (whence == SEEK_SET)
    target = offset;
  else if (whence == SEEK_CUR)
    target = mp3->io_start + (gint64) mp3->io_pos + offset;
  else if (whence == SEEK_END)
    target = self->file_size + offset;
  else
    return -1;
  if (target < 0)
    return -1;

  if (target >= mp3->io_start && target <= mp3->io_start + (gint64) mp3->io_len)
    {
      mp3->io_pos = (gsize) (target - mp3->io_start);
      return (off_t) target;
    }
  if (lseek (self->fd, target, SEEK_SET) < 0)
    return -1;
  mp3->io_start = target;
  mp3->io_pos = mp3->io_len = 0;
  return (off_t) target;
}

static int
mp3_io_open (AssayAudioReader *self)
{
  Mp3 *mp3 = self->decoder_data;

  mp3->io_start = 0;
  mp3->io_pos = mp3->io_len = 0;
  if (lseek (self->fd, 0, SEEK_SET) < 0)
    return MPG123_ERR;
  return mpg123_open_handle (mp3->mh, self);
}

static AssayAudioOpenResult
mp3_open (AssayAudioReader  *self,
          GCancellable      *cancellable,
          GError           **error)
{
  static gsize init = 0;
  Mp3 *mp3 = g_new0 (Mp3, 1);
  long rate = 0;
  int channels = 0, encoding = 0, err = MPG123_OK, down = 0;
  off_t length;

  if (g_once_init_enter (&init))
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      mpg123_init ();
      G_GNUC_END_IGNORE_DEPRECATIONS
      g_once_init_leave (&init, 1);
    }

  self->decoder_data = mp3;

  mp3->mh = mpg123_new (NULL, &err);
  if (mp3->mh == NULL)
    return ASSAY_AUDIO_OPEN_PASS;
  mpg123_param (mp3->mh, MPG123_ADD_FLAGS, MPG123_QUIET, 0);
  mp3_setup_formats (mp3->mh);
  mp3->io_buf = g_malloc (IO_BUF_SIZE);
  mpg123_replace_reader_handle (mp3->mh, mp3_io_read, mp3_io_lseek, NULL);

  if (mp3_io_open (self) != MPG123_OK ||
      mpg123_getformat (mp3->mh, &rate, &channels, &encoding) != MPG123_OK ||
      rate <= 0 || channels < 1 || channels > 2)
    goto pass;

  self->info.source_rate = (guint) rate;
  self->info.source_channels = (guint) channels;

  /* 44.1 / 48 kHz decode at a quarter rate, 16-24 kHz at half: the synthesis gets cheaper */
  while (down < 2 && (rate >> (down + 1)) >= ASSAY_AUDIO_LOW_RATE)
    down++;
  if (down > 0)
    {
      mpg123_close (mp3->mh);
      mpg123_param (mp3->mh, MPG123_DOWN_SAMPLE, down, 0);
      if (mp3_io_open (self) != MPG123_OK ||
          mpg123_getformat (mp3->mh, &rate, &channels, &encoding) != MPG123_OK)
        goto pass;
    }
  /* no format changes from here on */
  mpg123_format_none (mp3->mh);
  mpg123_format (mp3->mh, rate, channels, MPG123_ENC_SIGNED_16);

  length = mpg123_length (mp3->mh);
  self->info.rate = (guint) rate;
  self->info.channels = (guint) channels;
  self->info.n_frames = length > 0 ? (gint64) length : -1;
  self->info.decoder = "mpg123";
  _assay_audio_reader_alloc_out (self);
  return ASSAY_AUDIO_OPEN_OK;

pass:
  g_clear_pointer (&mp3->mh, mpg123_delete);
  g_clear_pointer (&mp3->io_buf, g_free);
  lseek (self->fd, 0, SEEK_SET);
  return ASSAY_AUDIO_OPEN_PASS;
}

static gboolean
mp3_read (AssayAudioReader  *self,
          const gint16     **frames,
          gsize             *n_frames,
          GCancellable      *cancellable,
          GError           **error)
{
  Mp3 *mp3 = self->decoder_data;
  gsize frame_bytes = 2 * self->info.channels;

  *frames = self->out;
  *n_frames = 0;

  for (;;)
    {
      size_t done = 0;
      int r = mpg123_read (mp3->mh, (unsigned char *) self->out,
                           (size_t) ASSAY_AUDIO_BLOCK_FRAMES * frame_bytes, &done);

      if (done > 0)
        {
          *n_frames = done / frame_bytes;
          return TRUE;
        }
      if (r == MPG123_DONE)
        {
          if (self->frames_out == 0)
            {
              _assay_audio_reader_set_corrupt (self, error, _("no MPEG audio frames were found"));
              return FALSE;
            }
          return TRUE;
        }
      if (r == MPG123_NEW_FORMAT)
        {
          long rate;
          int channels, encoding;

          mpg123_getformat (mp3->mh, &rate, &channels, &encoding);
          if ((guint) channels != self->info.channels || (guint) rate != self->info.rate)
            {
              _assay_audio_reader_set_corrupt (self, error,
                                               _("the MP3 stream changes its format midway"));
              return FALSE;
            }
          continue;
        }
      if (r != MPG123_OK)
        {
          _assay_audio_reader_set_corrupt (self, error, mpg123_strerror (mp3->mh));
          return FALSE;
        }
    }
}

static gboolean
mp3_seek (AssayAudioReader  *self,
          gint64             frame,
          GError           **error)
{
  Mp3 *mp3 = self->decoder_data;
  /* sample-exact: libmpg123 decodes the frames before the target for the bit reservoir */
  off_t got = mpg123_seek (mp3->mh, (off_t) frame, SEEK_SET);

  if (got < 0)
    {
      _assay_audio_reader_set_corrupt (self, error, mpg123_strerror (mp3->mh));
      return FALSE;
    }
  if ((gint64) got != frame)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_UNSUPPORTED,
                   _("The recording “%s” cannot be read from %.2f s exactly."), self->name,
                   (double) frame / self->info.rate);
      return FALSE;
    }
  return TRUE;
}

static gboolean
mp3_probe (const guint8 *head,
           gsize         head_len)
{
  return head_len >= 4 &&
         (memcmp (head, "ID3", 3) == 0 ||
          /* MPEG audio frame sync with layer bits set (00 would be AAC's ADTS) */
          (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0));
}

static void
mp3_clear (AssayAudioReader *self)
{
  Mp3 *mp3 = g_steal_pointer (&self->decoder_data);

  if (mp3 == NULL)
    return;
  if (mp3->mh != NULL)
    {
      mpg123_close (mp3->mh);
      mpg123_delete (mp3->mh);
    }
  g_free (mp3->io_buf);
  g_free (mp3);
}

const AssayAudioDecoder _assay_audio_decoder_mp3 = {
  .probe = mp3_probe,
  .open = mp3_open,
  .read = mp3_read,
  .seek = mp3_seek,
  .clear = mp3_clear,
};
