/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-audio-reader.h"
#include "assay-media-error.h"
#include "assay-codec-hints.h"
#include "core/assay-wav.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/pbutils/pbutils.h>

#ifdef ASSAY_HAVE_MPG123
#include <mpg123.h>
#endif
#ifdef ASSAY_HAVE_OPUS
#include <ogg/ogg.h>
#include <opus.h>
#endif

/*
 * Why four paths: analysis has to be faster than `ffmpeg -f null` on a one-hour call. Plain WAV
 * is read with read(2) and a lookup table (the floor is the disk). GStreamer costs tens of
 * microseconds per buffer, and its MP3 decoder hands out one frame (576 samples at 8 kHz) per
 * buffer, so MP3 goes to libmpg123 directly, with its cheap 1:2 / 1:4 output rates for 44.1 and
 * 48 kHz files. GStreamer's opusdec always decodes at 48 kHz and is five times slower than
 * libopus decoding straight to 8 kHz, which is plenty for peaks and voice activity. The rest is
 * rare in contact centres and goes through a GStreamer appsink at 8–16 kHz.
 */

#define BLOCK_FRAMES   16384
#define LOW_RATE       8000
#define GST_POLL_MS    100
#define GST_OPEN_LIMIT (60 * G_USEC_PER_SEC)

typedef enum {
  OPEN_OK,
  OPEN_ERROR,
  OPEN_PASS,    /* not for this path: try GStreamer */
} OpenResult;

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

struct _AssayAudioReader
{
  AssayAudioInfo  info;
  char           *path;
  char           *name;          /* for messages */
  int             fd;
  gint64          file_size;
  gint16         *out;           /* BLOCK_FRAMES * channels */
  guint8         *raw;
  gint64          frames_out;    /* position of the next frame read */
  gint64          end_frame;     /* read nothing from here on; -1: to the end */
  gboolean        done;

  /* wav */
  WavEncoding     wav_encoding;
  guint           block_align;
  gint64          data_offset;
  gint64          data_size;
  gint64          data_left;

#ifdef ASSAY_HAVE_MPG123
  mpg123_handle  *mh;
  /* libmpg123 reads one frame (a hundred bytes) at a time: it reads through this buffer */
  guint8         *io_buf;
  gsize           io_pos;
  gsize           io_len;
  gint64          io_start;      /* file offset of io_buf[0] */
#endif

#ifdef ASSAY_HAVE_OPUS
  ogg_sync_state    oy;
  ogg_stream_state  os;
  gboolean          os_ready;
  gboolean          eos_page;
  gboolean          file_eof;
  gint64            data_start;   /* first byte after the header pages */
  guint             pre_skip;     /* in 48 kHz samples */
  OpusDecoder      *dec;
  gint64            skip;         /* frames still to drop (pre-skip) */
  gint64            end_frames;   /* from the last granule position, -1 if unknown */
#endif

  /* gstreamer */
  GstElement     *pipeline;
  GstElement     *sink;
  GstBus         *bus;
  GstSample      *sample;
  GstMapInfo      map;
  gboolean        mapped;
  GPtrArray      *missing;       /* caps strings of missing decoders */
};

/* ---------- errors ---------- */

static void
set_corrupt (AssayAudioReader  *self,
             GError           **error,
             const char        *detail)
{
  g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
               _("The recording “%s” is damaged or is not a recording: %s."),
               self->name, detail);
}

static void
set_truncated (AssayAudioReader  *self,
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

static gboolean
read_full (int     fd,
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

static void
alloc_out (AssayAudioReader *self)
{
  g_free (self->out);
  self->out = g_new (gint16, (gsize) BLOCK_FRAMES * MAX (self->info.channels, 1));
}

/* ---------- WAV ---------- */

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

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
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

static OpenResult
wav_open (AssayAudioReader  *self,
          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  AssayWavHeader header;
  guint16 tag, channels, block_align, bits;
  guint32 rate;
  gint64 offset, avail, data_size;

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
      set_corrupt (self, error, detail);
      return OPEN_ERROR;
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
      self->wav_encoding = bits == 8 ? WAV_PCM_U8 : bits == 16 ? WAV_PCM_S16 :
                           bits == 24 ? WAV_PCM_S24 : WAV_PCM_S32;
      if (bits != 8 && bits != 16 && bits != 24 && bits != 32)
        return OPEN_PASS;
      break;
    case 3:
      if (bits != 32 && bits != 64)
        return OPEN_PASS;
      self->wav_encoding = bits == 32 ? WAV_FLOAT32 : WAV_FLOAT64;
      break;
    case 6:
      self->wav_encoding = WAV_ALAW;
      bits = 8;
      break;
    case 7:
      self->wav_encoding = WAV_MULAW;
      bits = 8;
      break;
    default:
      return OPEN_PASS;   /* GSM 6.10, ADPCM, MP3 in WAV, ...: GStreamer */
    }

  if (channels == 0 || rate == 0 || rate > 768000 || block_align != channels * (bits / 8))
    {
      set_corrupt (self, error, _("the WAV format header is damaged"));
      return OPEN_ERROR;
    }
  if (channels > ASSAY_AUDIO_MAX_CHANNELS)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_UNSUPPORTED,
                   _("The recording “%s” has %u channels; Assay analyses "
                     "recordings of up to %d channels."),
                   self->name, channels, ASSAY_AUDIO_MAX_CHANNELS);
      return OPEN_ERROR;
    }

  /* a size left unset by a streaming writer was taken from the file */
  if (data_size > avail)
    {
      set_truncated (self, error, (double) (data_size / block_align) / rate,
                     (double) (MAX (avail, 0) / block_align) / rate);
      return OPEN_ERROR;
    }
  data_size -= data_size % block_align;

  if (lseek (self->fd, offset, SEEK_SET) < 0)
    {
      set_corrupt (self, error, g_strerror (errno));
      return OPEN_ERROR;
    }

  self->block_align = block_align;
  self->data_offset = offset;
  self->data_size = data_size;
  self->data_left = data_size;
  self->info.rate = self->info.source_rate = rate;
  self->info.channels = self->info.source_channels = channels;
  self->info.n_frames = data_size / block_align;
  self->info.decoder = "wav";
  if (self->wav_encoding == WAV_ALAW || self->wav_encoding == WAV_MULAW)
    g711_tables_init ();
  if (self->wav_encoding != WAV_PCM_S16 || G_BYTE_ORDER != G_LITTLE_ENDIAN)
    self->raw = g_malloc ((gsize) BLOCK_FRAMES * block_align);
  alloc_out (self);
  return OPEN_OK;
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
          GError           **error)
{
  gsize want_frames = (gsize) MIN ((gint64) BLOCK_FRAMES, self->data_left / self->block_align);
  gsize want = want_frames * self->block_align;
  gsize got = 0, n, samples;
  void *dest = self->raw != NULL ? (void *) self->raw : (void *) self->out;

  *frames = self->out;
  *n_frames = 0;
  if (want_frames == 0)
    return TRUE;

  if (!read_full (self->fd, dest, want, &got))
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be read: %s."), self->name, g_strerror (errno));
      return FALSE;
    }
  if (got < want)
    {
      /* the file shrank under us */
      set_truncated (self, error, (double) self->info.n_frames / self->info.rate,
                     (double) (self->frames_out + (gint64) (got / self->block_align))
                       / self->info.rate);
      return FALSE;
    }
  self->data_left -= (gint64) want;
  n = want_frames;
  samples = n * self->info.channels;

  switch (self->wav_encoding)
    {
    case WAV_PCM_S16:
      if (self->raw != NULL)
        for (gsize i = 0; i < samples; i++)
          self->out[i] = (gint16) le16 (self->raw + 2 * i);
      break;
    case WAV_PCM_U8:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = (gint16) ((self->raw[i] - 128) << 8);
      break;
    case WAV_PCM_S24:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = (gint16) (self->raw[3 * i + 1] | (self->raw[3 * i + 2] << 8));
      break;
    case WAV_PCM_S32:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = (gint16) le16 (self->raw + 4 * i + 2);
      break;
    case WAV_FLOAT32:
      for (gsize i = 0; i < samples; i++)
        {
          guint32 bits = le32 (self->raw + 4 * i);
          float f;

          memcpy (&f, &bits, sizeof f);
          self->out[i] = float_to_s16 (f);
        }
      break;
    case WAV_FLOAT64:
      for (gsize i = 0; i < samples; i++)
        {
          guint64 bits = le32 (self->raw + 8 * i) | ((guint64) le32 (self->raw + 8 * i + 4) << 32);
          double d;

          memcpy (&d, &bits, sizeof d);
          self->out[i] = float_to_s16 (d);
        }
      break;
    case WAV_ALAW:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = alaw_table[self->raw[i]];
      break;
    case WAV_MULAW:
      for (gsize i = 0; i < samples; i++)
        self->out[i] = ulaw_table[self->raw[i]];
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
  gint64 offset = MIN (frame * self->block_align, self->data_size);

  if (lseek (self->fd, self->data_offset + offset, SEEK_SET) < 0)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be read: %s."), self->name, g_strerror (errno));
      return FALSE;
    }
  self->data_left = self->data_size - offset;
  return TRUE;
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

/* ---------- MP3 (libmpg123) ---------- */

#ifdef ASSAY_HAVE_MPG123

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
  gsize done = 0;

  while (done < len)
    {
      gsize avail = self->io_len - self->io_pos;

      if (avail == 0)
        {
          gsize got = 0;

          self->io_start += (gint64) self->io_len;
          self->io_pos = self->io_len = 0;
          if (!read_full (self->fd, self->io_buf, IO_BUF_SIZE, &got))
            return done > 0 ? (ssize_t) done : -1;
          if (got == 0)
            break;
          self->io_len = got;
          continue;
        }
      avail = MIN (avail, len - done);
      memcpy ((guint8 *) buf + done, self->io_buf + self->io_pos, avail);
      self->io_pos += avail;
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
  gint64 target;

  if (whence == SEEK_SET)
    target = offset;
  else if (whence == SEEK_CUR)
    target = self->io_start + (gint64) self->io_pos + offset;
  else if (whence == SEEK_END)
    target = self->file_size + offset;
  else
    return -1;
  if (target < 0)
    return -1;

  if (target >= self->io_start && target <= self->io_start + (gint64) self->io_len)
    {
      self->io_pos = (gsize) (target - self->io_start);
      return (off_t) target;
    }
  if (lseek (self->fd, target, SEEK_SET) < 0)
    return -1;
  self->io_start = target;
  self->io_pos = self->io_len = 0;
  return (off_t) target;
}

static int
mp3_io_open (AssayAudioReader *self)
{
  self->io_start = 0;
  self->io_pos = self->io_len = 0;
  if (lseek (self->fd, 0, SEEK_SET) < 0)
    return MPG123_ERR;
  return mpg123_open_handle (self->mh, self);
}

static OpenResult
mp3_open (AssayAudioReader  *self,
          GError           **error)
{
  static gsize init = 0;
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

  self->mh = mpg123_new (NULL, &err);
  if (self->mh == NULL)
    return OPEN_PASS;
  mpg123_param (self->mh, MPG123_ADD_FLAGS, MPG123_QUIET, 0);
  mp3_setup_formats (self->mh);
  self->io_buf = g_malloc (IO_BUF_SIZE);
  mpg123_replace_reader_handle (self->mh, mp3_io_read, mp3_io_lseek, NULL);

  if (mp3_io_open (self) != MPG123_OK ||
      mpg123_getformat (self->mh, &rate, &channels, &encoding) != MPG123_OK ||
      rate <= 0 || channels < 1 || channels > 2)
    goto pass;

  self->info.source_rate = (guint) rate;
  self->info.source_channels = (guint) channels;

  /* 44.1 / 48 kHz decode at a quarter rate, 16-24 kHz at half: the synthesis gets cheaper */
  while (down < 2 && (rate >> (down + 1)) >= LOW_RATE)
    down++;
  if (down > 0)
    {
      mpg123_close (self->mh);
      mpg123_param (self->mh, MPG123_DOWN_SAMPLE, down, 0);
      if (mp3_io_open (self) != MPG123_OK ||
          mpg123_getformat (self->mh, &rate, &channels, &encoding) != MPG123_OK)
        goto pass;
    }
  /* no format changes from here on */
  mpg123_format_none (self->mh);
  mpg123_format (self->mh, rate, channels, MPG123_ENC_SIGNED_16);

  length = mpg123_length (self->mh);
  self->info.rate = (guint) rate;
  self->info.channels = (guint) channels;
  self->info.n_frames = length > 0 ? (gint64) length : -1;
  self->info.decoder = "mpg123";
  alloc_out (self);
  return OPEN_OK;

pass:
  g_clear_pointer (&self->mh, mpg123_delete);
  g_clear_pointer (&self->io_buf, g_free);
  lseek (self->fd, 0, SEEK_SET);
  return OPEN_PASS;
}

static gboolean
mp3_read (AssayAudioReader  *self,
          const gint16     **frames,
          gsize             *n_frames,
          GError           **error)
{
  gsize frame_bytes = 2 * self->info.channels;

  *frames = self->out;
  *n_frames = 0;

  for (;;)
    {
      size_t done = 0;
      int r = mpg123_read (self->mh, (unsigned char *) self->out,
                           (size_t) BLOCK_FRAMES * frame_bytes, &done);

      if (done > 0)
        {
          *n_frames = done / frame_bytes;
          return TRUE;
        }
      if (r == MPG123_DONE)
        {
          if (self->frames_out == 0)
            {
              set_corrupt (self, error, _("no MPEG audio frames were found"));
              return FALSE;
            }
          return TRUE;
        }
      if (r == MPG123_NEW_FORMAT)
        {
          long rate;
          int channels, encoding;

          mpg123_getformat (self->mh, &rate, &channels, &encoding);
          if ((guint) channels != self->info.channels || (guint) rate != self->info.rate)
            {
              set_corrupt (self, error, _("the MP3 stream changes its format midway"));
              return FALSE;
            }
          continue;
        }
      if (r != MPG123_OK)
        {
          set_corrupt (self, error, mpg123_strerror (self->mh));
          return FALSE;
        }
    }
}

static gboolean
mp3_seek (AssayAudioReader  *self,
          gint64             frame,
          GError           **error)
{
  /* sample-exact: libmpg123 decodes the frames before the target for the bit reservoir */
  off_t got = mpg123_seek (self->mh, (off_t) frame, SEEK_SET);

  if (got < 0)
    {
      set_corrupt (self, error, mpg123_strerror (self->mh));
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

#endif /* ASSAY_HAVE_MPG123 */

/* ---------- Ogg Opus (libogg + libopus) ---------- */

#ifdef ASSAY_HAVE_OPUS

#define OPUS_RATE        LOW_RATE
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
      if (memcmp (buf + i, "OggS", 4) == 0 && (int) le32 (buf + i + 14) == serial)
        {
          gint64 g =
            (gint64) ((guint64) le32 (buf + i + 6) | ((guint64) le32 (buf + i + 10) << 32));

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
  for (;;)
    {
      ogg_page og;
      int r;
      char *buffer;
      gsize got = 0;

      if (self->os_ready)
        {
          r = ogg_stream_packetout (&self->os, op);
          if (r == 1)
            return PACKET_OK;
          if (r < 0)
            {
              set_corrupt (self, error, _("a part of the Ogg stream is missing"));
              return PACKET_ERROR;
            }
          if (self->eos_page)
            return PACKET_END;
        }

      r = ogg_sync_pageout (&self->oy, &og);
      if (r == 1)
        {
          if (!self->os_ready)
            {
              if (!ogg_page_bos (&og))
                continue;
              ogg_stream_init (&self->os, ogg_page_serialno (&og));
              self->os_ready = TRUE;
            }
          if (ogg_page_serialno (&og) != self->os.serialno)
            continue;   /* another logical stream: not ours */
          if (ogg_stream_pagein (&self->os, &og) != 0)
            {
              set_corrupt (self, error, _("an Ogg page is damaged"));
              return PACKET_ERROR;
            }
          if (ogg_page_eos (&og))
            self->eos_page = TRUE;
          continue;
        }
      if (r < 0)
        {
          set_corrupt (self, error, _("the Ogg stream is damaged (a page failed its checksum)"));
          return PACKET_ERROR;
        }

      if (self->file_eof)
        {
          if (self->oy.fill > self->oy.returned)
            {
              g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
                           _("The recording “%s” is incomplete: it ends in the middle of "
                             "an Ogg page. It was probably cut off while recording or "
                             "copying; fetch it again."),
                           self->name);
              return PACKET_ERROR;
            }
          return PACKET_END;
        }

      buffer = ogg_sync_buffer (&self->oy, 65536);
      if (!read_full (self->fd, buffer, 65536, &got))
        {
          g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                       _("The recording “%s” cannot be read: %s."), self->name,
                       g_strerror (errno));
          return PACKET_ERROR;
        }
      ogg_sync_wrote (&self->oy, (long) got);
      if (got < 65536)
        self->file_eof = TRUE;
    }
}

static void
oggopus_clear (AssayAudioReader *self)
{
  if (self->os_ready)
    ogg_stream_clear (&self->os);
  self->os_ready = FALSE;
  ogg_sync_clear (&self->oy);
  g_clear_pointer (&self->dec, opus_decoder_destroy);
}

static OpenResult
oggopus_open (AssayAudioReader  *self,
              GError           **error)
{
  ogg_packet op;
  int channels, family, err = 0;
  gint16 gain;
  guint pre_skip;
  gint64 granule;

  ogg_sync_init (&self->oy);

  if (next_ogg_packet (self, &op, error) != PACKET_OK)
    {
      oggopus_clear (self);
      g_clear_error (error);
      lseek (self->fd, 0, SEEK_SET);
      return OPEN_PASS;   /* let GStreamer say what is wrong with it */
    }
  if (op.bytes < 19 || memcmp (op.packet, "OpusHead", 8) != 0 || (op.packet[8] & 0xF0) != 0)
    goto pass;
  channels = op.packet[9];
  pre_skip = le16 (op.packet + 10);
  gain = (gint16) le16 (op.packet + 16);
  family = op.packet[18];
  if (family != 0 || channels < 1 || channels > 2)
    goto pass;   /* multichannel mappings: GStreamer */

  self->info.source_rate = le32 (op.packet + 12);
  if (self->info.source_rate == 0)
    self->info.source_rate = 48000;
  self->info.source_channels = (guint) channels;
  self->info.rate = OPUS_RATE;
  self->info.channels = (guint) channels;
  self->info.decoder = "opus";

  self->dec = opus_decoder_create (OPUS_RATE, channels, &err);
  if (self->dec == NULL)
    goto pass;
  if (gain != 0)
    opus_decoder_ctl (self->dec, OPUS_SET_GAIN (gain));

  /* OpusTags */
  if (next_ogg_packet (self, &op, error) != PACKET_OK)
    {
      oggopus_clear (self);
      return OPEN_ERROR;
    }

  /* granule positions count 48 kHz samples whatever the decoding rate */
  self->pre_skip = pre_skip;
  self->data_start = lseek (self->fd, 0, SEEK_CUR) - (self->oy.fill - self->oy.returned);
  self->skip = (gint64) pre_skip * OPUS_RATE / 48000;
  granule = last_ogg_granule (self, self->os.serialno);
  self->end_frames = granule > (gint64) pre_skip ? (granule - pre_skip) * OPUS_RATE / 48000 : -1;
  self->info.n_frames = self->end_frames;
  alloc_out (self);
  return OPEN_OK;

pass:
  oggopus_clear (self);
  lseek (self->fd, 0, SEEK_SET);
  return OPEN_PASS;
}

static gboolean
oggopus_read (AssayAudioReader  *self,
              const gint16     **frames,
              gsize             *n_frames,
              GError           **error)
{
  gsize fill = 0;
  guint ch = self->info.channels;

  *frames = self->out;
  *n_frames = 0;

  while (!self->done && fill + OPUS_MAX_FRAMES <= BLOCK_FRAMES)
    {
      ogg_packet op;
      int n;
      PacketResult r = next_ogg_packet (self, &op, error);

      if (r == PACKET_ERROR)
        return FALSE;
      if (r == PACKET_END)
        {
          self->done = TRUE;
          break;
        }

      n = opus_decode (self->dec, op.packet, (opus_int32) op.bytes, self->out + fill * ch,
                       OPUS_MAX_FRAMES, 0);
      if (n < 0)
        {
          set_corrupt (self, error, opus_strerror (n));
          return FALSE;
        }
      if (self->skip > 0)
        {
          gint64 drop = MIN (self->skip, (gint64) n);

          memmove (self->out + fill * ch, self->out + (fill + (gsize) drop) * ch,
                   (gsize) (n - drop) * ch * sizeof (gint16));
          n -= (int) drop;
          self->skip -= drop;
        }
      fill += (gsize) n;
    }

  /* the last page's granule position trims the padding of the last packet */
  if (self->end_frames >= 0 && self->frames_out + (gint64) fill > self->end_frames)
    {
      fill = (gsize) MAX (self->end_frames - self->frames_out, 0);
      self->done = TRUE;
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
  const gint64 preroll = OPUS_RATE * 80 / 1000;
  gint64 want = frame - preroll;          /* latest start allowed, in frames */
  gint64 back = 256 * 1024;

  if (want <= 0 || self->data_start <= 0)
    {
      self->skip += frame;
      return TRUE;
    }

  for (;;)
    {
      gint64   guess = self->info.n_frames > 0 ? self->data_start
                                                 + (gint64) ((double) want / self->info.n_frames
                                                             * (self->file_size - self->data_start))
                                               : self->data_start;
      gint64 from = MAX (self->data_start, guess - back);
      gint64 prev_granule = -1, best_offset = -1, best_start = -1, page_offset = from;
      gboolean past = FALSE;

      ogg_sync_reset (&self->oy);
      if (lseek (self->fd, from, SEEK_SET) < 0)
        break;

      while (!past)
        {
          ogg_page og;
          int r = ogg_sync_pageseek (&self->oy, &og);

          if (r == 0)
            {
              char *buffer = ogg_sync_buffer (&self->oy, 65536);
              gssize got = read (self->fd, buffer, 65536);

              if (got <= 0)
                break;
              ogg_sync_wrote (&self->oy, (long) got);
              continue;
            }
          if (r < 0)
            {
              page_offset += -r;   /* skipped bytes while looking for a page */
              continue;
            }

          if (ogg_page_serialno (&og) == self->os.serialno)
            {
              /* a page that starts a packet, after a page whose granule position is known */
              if (prev_granule >= 0 && !ogg_page_continued (&og))
                {
                  gint64 start = (prev_granule - (gint64) self->pre_skip) * OPUS_RATE / 48000;

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
          ogg_sync_reset (&self->oy);
          ogg_stream_reset (&self->os);
          opus_decoder_ctl (self->dec, OPUS_RESET_STATE);
          if (lseek (self->fd, best_offset, SEEK_SET) < 0)
            break;
          self->eos_page = FALSE;
          self->file_eof = FALSE;
          self->skip = frame - best_start;
          return TRUE;
        }
      if (from <= self->data_start)
        break;
      back *= 4;
    }

  /* no page to start from: decode from the beginning and drop what comes before */
  ogg_sync_reset (&self->oy);
  ogg_stream_reset (&self->os);
  opus_decoder_ctl (self->dec, OPUS_RESET_STATE);
  if (lseek (self->fd, self->data_start, SEEK_SET) < 0)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be read: %s."), self->name, g_strerror (errno));
      return FALSE;
    }
  self->eos_page = FALSE;
  self->file_eof = FALSE;
  self->skip = frame + (gint64) self->pre_skip * OPUS_RATE / 48000;
  return TRUE;
}

#endif /* ASSAY_HAVE_OPUS */

/* ---------- GStreamer ---------- */

static void
gstreamer_note_missing (AssayAudioReader *self,
                        GstMessage       *msg)
{
  char *detail = gst_missing_plugin_message_get_installer_detail (msg);

  if (detail == NULL)
    detail = gst_missing_plugin_message_get_description (msg);
  if (detail != NULL)
    g_ptr_array_add (self->missing, detail);
}

static void
gstreamer_set_error_from_message (AssayAudioReader  *self,
                                  GstMessage        *msg,
                                  GError           **error)
{
  g_autoptr(GError) gerr = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (msg, &gerr, &debug);

  if (self->missing->len > 0 ||
      g_error_matches (gerr, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN) ||
      g_error_matches (gerr, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    {
      AssayCodecHint hint = { ASSAY_CODEC_HINT_DECODER, NULL, "gstreamer1.0-libav" };
      const char *detail = self->missing->len > 0 ? g_ptr_array_index (self->missing, 0) : NULL;

      if (detail == NULL || !assay_codec_hint_lookup (detail, &hint))
        hint.package = "gstreamer1.0-libav";
      if (hint.kind == ASSAY_CODEC_HINT_CONTAINER)
        g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                     _("Assay cannot read “%s”: the reader for %s files is not installed. "
                       "Install the Debian package %s (sudo apt install %s) and try again."),
                     self->name, hint.name ? hint.name : _("these"), hint.package, hint.package);
      else
        g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                     _("Assay cannot read “%s”: the %s audio decoder is not installed. "
                       "Install the Debian package %s (sudo apt install %s) and try again."),
                     self->name, hint.name ? hint.name : _("needed"), hint.package, hint.package);
      return;
    }

  if (gerr->domain == GST_RESOURCE_ERROR &&
      (gerr->code == GST_RESOURCE_ERROR_NOT_FOUND || gerr->code == GST_RESOURCE_ERROR_OPEN_READ ||
       gerr->code == GST_RESOURCE_ERROR_READ))
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_NOT_FOUND,
                   _("The recording “%s” cannot be read: %s."), self->name, gerr->message);
      return;
    }

  if (gerr->domain == GST_STREAM_ERROR)
    {
      if (gerr->code == GST_STREAM_ERROR_TYPE_NOT_FOUND)
        set_corrupt (self, error, _("it is not in an audio format Assay knows"));
      else
        set_corrupt (self, error, gerr->message);
      return;
    }

  g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
               _("The recording “%s” cannot be decoded: %s"), self->name, gerr->message);
}

static OpenResult
gstreamer_open (AssayAudioReader  *self,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autoptr(GError) gerr = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) conv = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  g_autoptr(GstPad) conv_pad = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstAudioInfo ainfo;
  gint64 deadline = g_get_monotonic_time () + GST_OPEN_LIMIT;
  gint64 duration = -1;
  gboolean prerolled = FALSE;

  if (!gst_init_check (NULL, NULL, &gerr))
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
                   _("GStreamer cannot start: %s"), gerr->message);
      return OPEN_ERROR;
    }

  self->pipeline = gst_parse_launch (
      "filesrc name=src ! decodebin ! audioconvert name=conv ! audioresample quality=2 ! "
      "audio/x-raw,format=S16LE,layout=interleaved,rate=[8000,16000],channels=[1,8] ! "
      "appsink name=sink sync=false max-buffers=64", &gerr);
  if (self->pipeline == NULL)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_MISSING_DECODER,
                   _("GStreamer's basic elements are missing (%s). Install the Debian packages "
                     "gstreamer1.0-plugins-base and gstreamer1.0-plugins-good."), gerr->message);
      return OPEN_ERROR;
    }
  gst_object_ref_sink (self->pipeline);
  src = gst_bin_get_by_name (GST_BIN (self->pipeline), "src");
  conv = gst_bin_get_by_name (GST_BIN (self->pipeline), "conv");
  self->sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "sink");
  g_object_set (src, "location", self->path, NULL);
  self->bus = gst_element_get_bus (self->pipeline);

  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  while (!prerolled)
    {
      g_autoptr(GstMessage) msg = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return OPEN_ERROR;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_FAILED,
                       _("GStreamer took too long to open the recording “%s”."), self->name);
          return OPEN_ERROR;
        }
      msg = gst_bus_timed_pop_filtered (self->bus, GST_POLL_MS * GST_MSECOND,
                                        GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE |
                                        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS);
      if (msg == NULL)
        continue;
      switch (GST_MESSAGE_TYPE (msg))
        {
        case GST_MESSAGE_ELEMENT:
          if (gst_is_missing_plugin_message (msg))
            gstreamer_note_missing (self, msg);
          break;
        case GST_MESSAGE_ERROR:
          gstreamer_set_error_from_message (self, msg, error);
          return OPEN_ERROR;
        case GST_MESSAGE_EOS:
          set_corrupt (self, error, _("it contains no audio"));
          return OPEN_ERROR;
        case GST_MESSAGE_ASYNC_DONE:
          prerolled = TRUE;
          break;
        default:
          break;
        }
    }

  sink_pad = gst_element_get_static_pad (self->sink, "sink");
  caps = gst_pad_get_current_caps (sink_pad);
  if (caps == NULL || !gst_audio_info_from_caps (&ainfo, caps))
    {
      set_corrupt (self, error, _("it has no audio stream"));
      return OPEN_ERROR;
    }
  self->info.rate = (guint) GST_AUDIO_INFO_RATE (&ainfo);
  self->info.channels = (guint) GST_AUDIO_INFO_CHANNELS (&ainfo);
  self->info.source_rate = self->info.rate;
  self->info.source_channels = self->info.channels;
  g_clear_pointer (&caps, gst_caps_unref);

  conv_pad = gst_element_get_static_pad (conv, "sink");
  caps = gst_pad_get_current_caps (conv_pad);
  if (caps != NULL && gst_audio_info_from_caps (&ainfo, caps))
    {
      self->info.source_rate = (guint) GST_AUDIO_INFO_RATE (&ainfo);
      self->info.source_channels = (guint) GST_AUDIO_INFO_CHANNELS (&ainfo);
    }

  if (gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
    self->info.n_frames =
      (gint64) gst_util_uint64_scale ((guint64) duration, self->info.rate, GST_SECOND);
  self->info.decoder = "gstreamer";

  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  return OPEN_OK;
}

static void
gstreamer_release_sample (AssayAudioReader *self)
{
  if (self->mapped)
    gst_buffer_unmap (gst_sample_get_buffer (self->sample), &self->map);
  self->mapped = FALSE;
  g_clear_pointer (&self->sample, gst_sample_unref);
}

static gboolean
gstreamer_check_bus (AssayAudioReader  *self,
                     GError           **error)
{
  for (;;)
    {
      g_autoptr(GstMessage) msg =
        gst_bus_pop_filtered (self->bus, GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);

      if (msg == NULL)
        return TRUE;
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT)
        {
          if (gst_is_missing_plugin_message (msg))
            gstreamer_note_missing (self, msg);
          continue;
        }
      gstreamer_set_error_from_message (self, msg, error);
      return FALSE;
    }
}

static gboolean
gstreamer_read (AssayAudioReader  *self,
                const gint16     **frames,
                gsize             *n_frames,
                GCancellable      *cancellable,
                GError           **error)
{
  gsize frame_bytes = 2 * self->info.channels;

  gstreamer_release_sample (self);
  *frames = self->out;
  *n_frames = 0;

  for (;;)
    {
      GstBuffer *buffer;

      self->sample =
        gst_app_sink_try_pull_sample (GST_APP_SINK (self->sink), GST_POLL_MS * GST_MSECOND);
      if (self->sample == NULL)
        {
          if (!gstreamer_check_bus (self, error))
            return FALSE;
          if (gst_app_sink_is_eos (GST_APP_SINK (self->sink)))
            {
              gint64 expected = self->info.n_frames;

              /* a container that knew its length but ends well before it was cut off */
              if (expected > 0 && self->frames_out < expected * 9 / 10 - (gint64) self->info.rate)
                {
                  set_truncated (self, error, (double) expected / self->info.rate,
                                 (double) self->frames_out / self->info.rate);
                  return FALSE;
                }
              return TRUE;
            }
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          continue;
        }

      buffer = gst_sample_get_buffer (self->sample);
      if (buffer == NULL || !gst_buffer_map (buffer, &self->map, GST_MAP_READ))
        {
          g_clear_pointer (&self->sample, gst_sample_unref);
          continue;
        }
      self->mapped = TRUE;
      if (self->map.size < frame_bytes)
        {
          gstreamer_release_sample (self);
          continue;
        }
      *frames = (const gint16 *) self->map.data;
      *n_frames = self->map.size / frame_bytes;
      return TRUE;
    }
}

static void
gstreamer_clear (AssayAudioReader *self)
{
  gstreamer_release_sample (self);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_object (&self->sink);
  g_clear_object (&self->bus);
  g_clear_object (&self->pipeline);
}

/* ---------- public ---------- */

AssayAudioReader *
assay_audio_reader_open (const char    *path,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(AssayAudioReader) self = NULL;
  guint8 head[64] = { 0 };
  gssize head_len;
  struct stat st;
  OpenResult r = OPEN_PASS;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (AssayAudioReader, 1);
  self->fd = -1;
  self->path = g_strdup (path);
  self->name = g_filename_display_basename (path);
  self->info.n_frames = -1;
  self->end_frame = -1;
  self->missing = g_ptr_array_new_with_free_func (g_free);
#ifdef ASSAY_HAVE_OPUS
  self->end_frames = -1;
#endif

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
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_CORRUPT,
                   _("The recording “%s” is incomplete: it ends in the middle of an Ogg page. "
                     "It was probably cut off while recording or copying; fetch it again."),
                   self->name);
      return NULL;
    }

  if (head_len >= 12 && memcmp (head, "RIFF", 4) == 0 && memcmp (head + 8, "WAVE", 4) == 0)
    r = wav_open (self, error);
#ifdef ASSAY_HAVE_OPUS
  else if (head_len >= 36 && memcmp (head, "OggS", 4) == 0
           && memcmp (head + 28, "OpusHead", 8) == 0)
    r = oggopus_open (self, error);
#endif
#ifdef ASSAY_HAVE_MPG123
  else if (head_len >= 4 &&
           (memcmp (head, "ID3", 3) == 0 ||
            /* MPEG audio frame sync with layer bits set (00 would be AAC's ADTS) */
            (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0)))
    r = mp3_open (self, error);
#endif

  if (r == OPEN_PASS)
    {
      self->info = (AssayAudioInfo) { .n_frames = -1 };
      r = gstreamer_open (self, cancellable, error);
    }
  if (r != OPEN_OK)
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

  if (self->pipeline != NULL)
    ok = gstreamer_read (self, frames, n_frames, cancellable, error);
#ifdef ASSAY_HAVE_MPG123
  else if (self->mh != NULL)
    ok = mp3_read (self, frames, n_frames, error);
#endif
#ifdef ASSAY_HAVE_OPUS
  else if (self->dec != NULL)
    ok = oggopus_read (self, frames, n_frames, error);
#endif
  else
    ok = wav_read (self, frames, n_frames, error);

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
  return self->pipeline == NULL;
}

gboolean
assay_audio_reader_seek (AssayAudioReader  *self,
                         gint64             frame,
                         GError           **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->frames_out == 0, FALSE);
  g_return_val_if_fail (frame >= 0, FALSE);

  if (self->pipeline != NULL)
    {
      g_set_error (error, ASSAY_MEDIA_ERROR, ASSAY_MEDIA_ERROR_UNSUPPORTED,
                   _("The recording “%s” cannot be read from the middle."), self->name);
      return FALSE;
    }
#ifdef ASSAY_HAVE_MPG123
  if (self->mh != NULL)
    ok = mp3_seek (self, frame, error);
  else
#endif
#ifdef ASSAY_HAVE_OPUS
  if (self->dec != NULL)
    ok = oggopus_seek (self, frame, error);
  else
#endif
    ok = wav_seek (self, frame, error);

  if (ok)
    self->frames_out = frame;
  return ok;
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
  gstreamer_clear (self);
#ifdef ASSAY_HAVE_MPG123
  if (self->mh != NULL)
    {
      mpg123_close (self->mh);
      mpg123_delete (self->mh);
    }
  g_free (self->io_buf);
#endif
#ifdef ASSAY_HAVE_OPUS
  if (self->dec != NULL)
    oggopus_clear (self);
#endif
  if (self->fd >= 0)
    close (self->fd);
  g_clear_pointer (&self->missing, g_ptr_array_unref);
  g_free (self->out);
  g_free (self->raw);
  g_free (self->path);
  g_free (self->name);
  g_free (self);
}
