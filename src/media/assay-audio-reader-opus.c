/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-audio-reader-private.h"
#include "assay-media-error.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <ogg/ogg.h>
#include <opus.h>

/*
 * Ogg Opus through libogg and libopus (built only when Assay has them). GStreamer's opusdec
 * always decodes at 48 kHz and is five times slower than libopus decoding straight to 8 kHz,
 * which is plenty for peaks and voice activity. Multichannel mappings go to GStreamer.
 */

typedef struct {
  ogg_sync_state    oy;
  ogg_stream_state  os;
  gboolean          os_ready;
  gboolean          eos_page;
  gboolean          file_eof;
  gboolean          done;
  gint64            data_start;   /* first byte after the header pages */
  guint             pre_skip;     /* in 48 kHz samples */
  OpusDecoder      *dec;
  gint64            skip;         /* frames still to drop (pre-skip) */
  gint64            end_frames;   /* from the last granule position, -1 if unknown */
} OggOpus;

#define OPUS_RATE        ASSAY_AUDIO_LOW_RATE
#define OPUS_MAX_FRAMES  (OPUS_RATE * 120 / 1000)   /* the longest Opus packet, 120 ms */

typedef enum {
  PACKET_OK,
  PACKET_END,
  PACKET_ERROR,
} PacketResult;

/* the granule position of the last page of stream @serial, or -1 */
static gint64
last_ogg_granule (AssayAudioReader *self,
                  int               serial)
{
  gsize tail = (gsize) MIN (self->file_size, 128 * 1024);
  g_autofree guint8 *buf = g_malloc (tail);
  gint64 granule = -1;
  gssize got = pread (self->fd, buf, tail, self->file_size - (gint64) tail);

  for (gssize i = 0; got >= 27 && i + 27 <= got; i++)
    {
      if (memcmp (buf + i, "OggS", 4) == 0 && (int) _assay_audio_le32 (buf + i + 14) == serial)
        {
          gint64 g =
            (gint64) ((guint64) _assay_audio_le32 (buf + i + 6)
                      | ((guint64) _assay_audio_le32 (buf + i + 10) << 32));

          if (g >= 0)
            granule = g;
        }
    }
  return granule;
}

static PacketResult
next_ogg_packet (AssayAudioReader  *self,
                 ogg_packet        *op,
                 GError           **error)
{
  OggOpus *st = self->decoder_data;
  for (;;)
    {
      ogg_page og;
      int r;
      char *buffer;
      gsize got = 0;

      if (st->os_ready)
        {
          r = ogg_stream_packetout (&st->os, op);
          if (r == 1)
            return PACKET_OK;
          if (r < 0)
            {
              _assay_audio_reader_set_corrupt (self, error,
                                               _("a part of the Ogg stream is missing"));
              return PACKET_ERROR;
            }
          if (st->eos_page)
            return PACKET_END;
        }

      r = ogg_sync_pageout (&st->oy, &og);
      if (r == 1)
        {
          if (!st->os_ready)
            {
              if (!ogg_page_bos (&og))
                continue;
              ogg_stream_init (&st->os, ogg_page_serialno (&og));
              st->os_ready = TRUE;
            }
          if (ogg_page_serialno (&og) != st->os.serialno)
            continue;   /* another logical stream: not ours */
          if (ogg_stream_pagein (&st->os, &og) != 0)
            {
              _assay_audio_reader_set_corrupt (self, error, _("an Ogg page is damaged"));
              return PACKET_ERROR;
            }
          if (ogg_page_eos (&og))
            st->eos_page = TRUE;
          continue;
        }
      if (r < 0)
        {
          _assay_audio_reader_set_corrupt (self, error,
                                           _("the Ogg stream is damaged (a page failed its "
                                             "checksum)"));
          return PACKET_ERROR;
        }

      if (st->file_eof)
        {
          if (st->oy.fill > st->oy.returned)
            {
              _assay_audio_reader_set_ogg_cut (self, error);
              return PACKET_ERROR;
            }
          return PACKET_END;
        }

      buffer = ogg_sync_buffer (&st->oy, 65536);
      if (!_assay_audio_read_full (self->fd, buffer, 65536, &got))
        {
          _assay_audio_reader_set_read_error (self, error, errno);
          return PACKET_ERROR;
        }
      ogg_sync_wrote (&st->oy, (long) got);
      if (got < 65536)
        st->file_eof = TRUE;
    }
}

static void
oggopus_reset (AssayAudioReader *self)
{
  OggOpus *st = self->decoder_data;

  if (st->os_ready)
    ogg_stream_clear (&st->os);
  st->os_ready = FALSE;
  ogg_sync_clear (&st->oy);
  g_clear_pointer (&st->dec, opus_decoder_destroy);
}

static AssayAudioOpenResult
oggopus_open (AssayAudioReader  *self,
              GCancellable      *cancellable,
              GError           **error)
{
  OggOpus *st = g_new0 (OggOpus, 1);
  ogg_packet op;
  int channels, family, err = 0;
  gint16 gain;
  guint pre_skip;
  gint64 granule;

  self->decoder_data = st;
  st->end_frames = -1;
  ogg_sync_init (&st->oy);

  if (next_ogg_packet (self, &op, error) != PACKET_OK)
    {
      oggopus_reset (self);
      g_clear_error (error);
      lseek (self->fd, 0, SEEK_SET);
      return ASSAY_AUDIO_OPEN_PASS;   /* let GStreamer say what is wrong with it */
    }
  if (op.bytes < 19 || memcmp (op.packet, "OpusHead", 8) != 0 || (op.packet[8] & 0xF0) != 0)
    goto pass;
  channels = op.packet[9];
  pre_skip = _assay_audio_le16 (op.packet + 10);
  gain = (gint16) _assay_audio_le16 (op.packet + 16);
  family = op.packet[18];
  if (family != 0 || channels < 1 || channels > 2)
    goto pass;   /* multichannel mappings: GStreamer */

  self->info.source_rate = _assay_audio_le32 (op.packet + 12);
  if (self->info.source_rate == 0)
    self->info.source_rate = 48000;
  self->info.source_channels = (guint) channels;
  self->info.rate = OPUS_RATE;
  self->info.channels = (guint) channels;
  self->info.decoder = "opus";

  st->dec = opus_decoder_create (OPUS_RATE, channels, &err);
  if (st->dec == NULL)
    goto pass;
  if (gain != 0)
    opus_decoder_ctl (st->dec, OPUS_SET_GAIN (gain));

  /* OpusTags */
  if (next_ogg_packet (self, &op, error) != PACKET_OK)
    {
      oggopus_reset (self);
      return ASSAY_AUDIO_OPEN_ERROR;
    }

  /* granule positions count 48 kHz samples whatever the decoding rate */
  st->pre_skip = pre_skip;
  st->data_start = lseek (self->fd, 0, SEEK_CUR) - (st->oy.fill - st->oy.returned);
  st->skip = (gint64) pre_skip * OPUS_RATE / 48000;
  granule = last_ogg_granule (self, st->os.serialno);
  st->end_frames = granule > (gint64) pre_skip ? (granule - pre_skip) * OPUS_RATE / 48000 : -1;
  self->info.n_frames = st->end_frames;
  _assay_audio_reader_alloc_out (self);
  return ASSAY_AUDIO_OPEN_OK;

pass:
  oggopus_reset (self);
  lseek (self->fd, 0, SEEK_SET);
  return ASSAY_AUDIO_OPEN_PASS;
}

static gboolean
oggopus_read (AssayAudioReader  *self,
              const gint16     **frames,
              gsize             *n_frames,
              GCancellable      *cancellable,
              GError           **error)
{
  OggOpus *st = self->decoder_data;
  gsize fill = 0;
  guint ch = self->info.channels;

  *frames = self->out;
  *n_frames = 0;

  while (!st->done && fill + OPUS_MAX_FRAMES <= ASSAY_AUDIO_BLOCK_FRAMES)
    {
      ogg_packet op;
      int n;
      PacketResult r = next_ogg_packet (self, &op, error);

      if (r == PACKET_ERROR)
        return FALSE;
      if (r == PACKET_END)
        {
          st->done = TRUE;
          break;
        }

      n = opus_decode (st->dec, op.packet, (opus_int32) op.bytes, self->out + fill * ch,
                       OPUS_MAX_FRAMES, 0);
      if (n < 0)
        {
          _assay_audio_reader_set_corrupt (self, error, opus_strerror (n));
          return FALSE;
        }
      if (st->skip > 0)
        {
          gint64 drop = MIN (st->skip, (gint64) n);

          memmove (self->out + fill * ch, self->out + (fill + (gsize) drop) * ch,
                   (gsize) (n - drop) * ch * sizeof (gint16));
          n -= (int) drop;
          st->skip -= drop;
        }
      fill += (gsize) n;
    }

  /* the last page's granule position trims the padding of the last packet */
  if (st->end_frames >= 0 && self->frames_out + (gint64) fill > st->end_frames)
    {
      fill = (gsize) MAX (st->end_frames - self->frames_out, 0);
      st->done = TRUE;
    }

  *n_frames = fill;
  return TRUE;
}

/*
 * Positions the stream so that the next frame read is @frame: decoding starts at the last page
 * that begins on a packet boundary at least 80 ms (Opus's convergence time) before @frame, with
 * a fresh decoder, and what comes before @frame is dropped like the pre-skip.
 */
static gboolean
oggopus_seek (AssayAudioReader  *self,
              gint64             frame,
              GError           **error)
{
  OggOpus *st = self->decoder_data;
  const gint64 preroll = OPUS_RATE * 80 / 1000;
  gint64 want = frame - preroll;          /* latest start allowed, in frames */
  gint64 back = 256 * 1024;

  if (want <= 0 || st->data_start <= 0)
    {
      st->skip += frame;
      return TRUE;
    }

  for (;;)
    {
      gint64   guess = self->info.n_frames > 0 ? st->data_start
                                                 + (gint64) ((double) want / self->info.n_frames
                                                             * (self->file_size - st->data_start))
                                               : st->data_start;
      gint64 from = MAX (st->data_start, guess - back);
      gint64 prev_granule = -1, best_offset = -1, best_start = -1, page_offset = from;
      gboolean past = FALSE;

      ogg_sync_reset (&st->oy);
      if (lseek (self->fd, from, SEEK_SET) < 0)
        break;

      while (!past)
        {
          ogg_page og;
          int r = ogg_sync_pageseek (&st->oy, &og);

          if (r == 0)
            {
              char *buffer = ogg_sync_buffer (&st->oy, 65536);
              gssize got = read (self->fd, buffer, 65536);

              if (got <= 0)
                break;
              ogg_sync_wrote (&st->oy, (long) got);
              continue;
            }
          if (r < 0)
            {
              page_offset += -r;   /* skipped bytes while looking for a page */
              continue;
            }

          if (ogg_page_serialno (&og) == st->os.serialno)
            {
              /* a page that starts a packet, after a page whose granule position is known */
              if (prev_granule >= 0 && !ogg_page_continued (&og))
                {
                  gint64 start = (prev_granule - (gint64) st->pre_skip) * OPUS_RATE / 48000;

                  if (start > want)
                    past = TRUE;
                  else if (start >= 0)
                    {
                      best_offset = page_offset;
                      best_start = start;
                    }
                }
              if (ogg_page_granulepos (&og) >= 0)
                prev_granule = ogg_page_granulepos (&og);
            }
          page_offset += r;
        }

      if (best_offset >= 0)
        {
          ogg_sync_reset (&st->oy);
          ogg_stream_reset (&st->os);
          opus_decoder_ctl (st->dec, OPUS_RESET_STATE);
          if (lseek (self->fd, best_offset, SEEK_SET) < 0)
            break;
          st->eos_page = FALSE;
          st->file_eof = FALSE;
          st->skip = frame - best_start;
          return TRUE;
        }
      if (from <= st->data_start)
        break;
      back *= 4;
    }

  /* no page to start from: decode from the beginning and drop what comes before */
  ogg_sync_reset (&st->oy);
  ogg_stream_reset (&st->os);
  opus_decoder_ctl (st->dec, OPUS_RESET_STATE);
  if (lseek (self->fd, st->data_start, SEEK_SET) < 0)
    {
      _assay_audio_reader_set_read_error (self, error, errno);
      return FALSE;
    }
  st->eos_page = FALSE;
  st->file_eof = FALSE;
  st->skip = frame + (gint64) st->pre_skip * OPUS_RATE / 48000;
  return TRUE;
}

static gboolean
oggopus_probe (const guint8 *head,
               gsize         head_len)
{
  return head_len >= 36 && memcmp (head, "OggS", 4) == 0 && memcmp (head + 28, "OpusHead", 8) == 0;
}

static void
oggopus_clear (AssayAudioReader *self)
{
  if (self->decoder_data == NULL)
    return;
  oggopus_reset (self);
  g_clear_pointer (&self->decoder_data, g_free);
}

const AssayAudioDecoder _assay_audio_decoder_opus = {
  .probe = oggopus_probe,
  .open = oggopus_open,
  .read = oggopus_read,
  .seek = oggopus_seek,
  .clear = oggopus_clear,
};
