/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-audio-reader.h"
#include "assay-audio-reader-private.h"
#include "assay-media-error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/*
 * Why four decoders: analysis has to be faster than `ffmpeg -f null` on a one-hour call. Plain
 * WAV is read with read(2) and a lookup table (the floor is the disk). GStreamer costs tens of
 * microseconds per buffer, and its MP3 decoder hands out one frame (576 samples at 8 kHz) per
 * buffer, so MP3 goes to libmpg123 directly, with its cheap 1:2 / 1:4 output rates for 44.1 and
 * 48 kHz files. GStreamer's opusdec always decodes at 48 kHz and is five times slower than
 * libopus decoding straight to 8 kHz, which is plenty for peaks and voice activity. The rest is
 * rare in contact centres and goes through a GStreamer appsink at 8–16 kHz.
 *
 * This file is the front: it opens the file, asks each direct decoder in turn whether the first
 * bytes are its own, and falls back to GStreamer when none is or the one that is declines.
 */

/* the direct decoders, by the first bytes of the file; GStreamer takes the rest */
static const AssayAudioDecoder *const direct_decoders[] = {
  &_assay_audio_decoder_wav,
#ifdef ASSAY_HAVE_OPUS
  &_assay_audio_decoder_opus,
#endif
#ifdef ASSAY_HAVE_MPG123
  &_assay_audio_decoder_mp3,
#endif
};

/* ---------- shared by the decoders ---------- */

void
_assay_audio_reader_set_corrupt (AssayAudioReader  *self,
                                 GError           **error,
                                 const char        *detail)
{
  g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
               _("The recording “%s” is damaged or is not a recording: %s."),
               self->name, detail);
}

void
_assay_audio_reader_set_truncated (AssayAudioReader  *self,
                                   GError           **error,
                                   double             expected_s,
                                   double             found_s)
{
  g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
               _("The recording “%s” is incomplete: its header announces %.1f s of audio "
                 "but the file holds %.1f s. It was probably cut off while recording or "
                 "copying; fetch it again."),
               self->name, expected_s, found_s);
}

void
_assay_audio_reader_set_read_error (AssayAudioReader  *self,
                                    GError           **error,
                                    int                saved_errno)
{
  g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
               _("The recording “%s” cannot be read: %s."), self->name, g_strerror (saved_errno));
}

void
_assay_audio_reader_set_ogg_cut (AssayAudioReader  *self,
                                 GError           **error)
{
  g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
               _("The recording “%s” is incomplete: it ends in the middle of an Ogg page. "
                 "It was probably cut off while recording or copying; fetch it again."),
               self->name);
}

gboolean
_assay_audio_read_full (int     fd,
                        void   *buf,
                        gsize   len,
                        gsize  *got)
{
  gsize done = 0;

  while (done < len)
    {
      gssize r = read (fd, (guint8 *) buf + done, len - done);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return FALSE;
      if (r == 0)
        break;
      done += (gsize) r;
    }
  *got = done;
  return TRUE;
}

void
_assay_audio_reader_alloc_out (AssayAudioReader *self)
{
  g_free (self->out);
  self->out = g_new (gint16, (gsize) ASSAY_AUDIO_BLOCK_FRAMES * MAX (self->info.channels, 1));
}

/* ---------- Ogg, whatever the codec ---------- */

/*
 * Whether the file ends exactly where its last Ogg page ends. Demuxers quietly stop at a partial
 * page, and the duration they report comes from the last complete one, so a recording cut off
 * while copying would otherwise look whole. The longest page is 65,307 bytes.
 */
static gboolean
ends_with_whole_ogg_page (AssayAudioReader *self)
{
  gsize tail = (gsize) MIN (self->file_size, 65307 + 27);
  g_autofree guint8 *buf = g_malloc (tail);
  gint64 base = self->file_size - (gint64) tail;

  if (pread (self->fd, buf, tail, base) != (gssize) tail)
    return FALSE;

  for (gssize i = (gssize) tail - 27; i >= 0; i--)
    {
      gsize n_segments, len;

      if (memcmp (buf + i, "OggS", 4) != 0 || buf[i + 4] != 0)
        continue;
      n_segments = buf[i + 26];
      if ((gsize) i + 27 + n_segments > tail)
        continue;
      len = 27 + n_segments;
      for (gsize k = 0; k < n_segments; k++)
        len += buf[i + 27 + k];
      if ((gsize) i + len == tail)
        return TRUE;
    }
  return FALSE;
}

/* ---------- public ---------- */

/* opens @decoder on the reader; on a decline its state is gone and the reader is as before */
static AssayAudioOpenResult
open_with (AssayAudioReader         *self,
           const AssayAudioDecoder  *decoder,
           GCancellable             *cancellable,
           GError                  **error)
{
  AssayAudioOpenResult r;

  self->decoder = decoder;
  r = decoder->open (self, cancellable, error);
  if (r == ASSAY_AUDIO_OPEN_PASS)
    {
      decoder->clear (self);
      self->decoder = NULL;
    }
  return r;
}

AssayAudioReader *
assay_audio_reader_open (const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(AssayAudioReader) self = NULL;
  guint8 head[64] = { 0 };
  gssize head_len;
  struct stat st;
  AssayAudioOpenResult r = ASSAY_AUDIO_OPEN_PASS;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (AssayAudioReader, 1);
  self->fd = -1;
  self->path = g_strdup (path);
  self->name = g_filename_display_basename (path);
  self->info.n_frames = -1;
  self->end_frame = -1;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (self->fd < 0)
    {
      int saved = errno;

      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be opened: %s."), path, g_strerror (saved));
      return NULL;
    }
  if (fstat (self->fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("“%s” is not a recording file."), path);
      return NULL;
    }
  self->file_size = st.st_size;
  if (self->file_size == 0)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
                   _("The recording “%s” is empty: it was not written or not copied "
                     "completely."),
                   self->name);
      return NULL;
    }
  head_len = pread (self->fd, head, sizeof head, 0);
  if (head_len < 0)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be read: %s."), path, g_strerror (errno));
      return NULL;
    }

  if (head_len >= 4 && memcmp (head, "OggS", 4) == 0 && !ends_with_whole_ogg_page (self))
    {
      _assay_audio_reader_set_ogg_cut (self, error);
      return NULL;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (direct_decoders); i++)
    if (direct_decoders[i]->probe (head, (gsize) head_len))
      {
        r = open_with (self, direct_decoders[i], cancellable, error);
        break;
      }

  if (r == ASSAY_AUDIO_OPEN_PASS)
    {
      self->info = (AssayAudioInfo) { .n_frames = -1 };
      r = open_with (self, &_assay_audio_decoder_gst, cancellable, error);
    }
  if (r != ASSAY_AUDIO_OPEN_OK)
    return NULL;

  return g_steal_pointer (&self);
}

const AssayAudioInfo *
assay_audio_reader_get_info (AssayAudioReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->info;
}

gboolean
assay_audio_reader_read (AssayAudioReader  *self,
                         const gint16     **frames,
                         gsize             *n_frames,
                         GCancellable      *cancellable,
                         GError           **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL && frames != NULL && n_frames != NULL, FALSE);

  *frames = self->out;
  *n_frames = 0;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (self->end_frame >= 0 && self->frames_out >= self->end_frame)
    return TRUE;

  ok = self->decoder->read (self, frames, n_frames, cancellable, error);

  if (ok && self->end_frame >= 0 && self->frames_out + (gint64) *n_frames > self->end_frame)
    *n_frames = (gsize) (self->end_frame - self->frames_out);
  if (ok)
    self->frames_out += (gint64) *n_frames;
  return ok;
}

gboolean
assay_audio_reader_can_seek (AssayAudioReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->decoder->seek != NULL;
}

gboolean
assay_audio_reader_seek (AssayAudioReader  *self,
                         gint64             frame,
                         GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->frames_out == 0, FALSE);
  g_return_val_if_fail (frame >= 0, FALSE);

  if (self->decoder->seek == NULL)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_UNSUPPORTED,
                   _("The recording “%s” cannot be read from the middle."), self->name);
      return FALSE;
    }
  if (!self->decoder->seek (self, frame, error))
    return FALSE;
  self->frames_out = frame;
  return TRUE;
}

void
assay_audio_reader_set_end (AssayAudioReader *self,
                            gint64            end_frame)
{
  g_return_if_fail (self != NULL);
  self->end_frame = end_frame;
}

void
assay_audio_reader_free (AssayAudioReader *self)
{
  if (self == NULL)
    return;
  if (self->decoder != NULL)
    self->decoder->clear (self);
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->out);
  g_free (self->path);
  g_free (self->name);
  g_free (self);
}
