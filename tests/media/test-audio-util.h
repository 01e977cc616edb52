/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Test recordings made by the tests themselves: a synthetic conversation (voice-like tone
 * bursts over low background noise, on the channel of whoever speaks) written as WAV in PCM,
 * µ-law or A-law. GLib only, header-only so the media, CLI and bench programs can share it.
 */

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

typedef struct {
  double start;
  double end;
  guint  channel;
} TestSpan;

#define TEST_WAV_PCM   1
#define TEST_WAV_ALAW  6
#define TEST_WAV_MULAW 7

/* The reference call of the tests, 30 s, agent on the left:
 * agent 1-6, 7-12, 15.5-17, 24-28; customer 11-15, 21-25.
 * agent talk 15.5 s, customer 8 s, dead air 17-21, over-talk 11-12 and 24-25,
 * longest agent monologue 1-12 (11 s). */
static const TestSpan test_call_spans[] G_GNUC_UNUSED = {
  { 1, 6, 0 }, { 7, 12, 0 }, { 15.5, 17, 0 }, { 24, 28, 0 },
  { 11, 15, 1 }, { 21, 25, 1 },
};
#define TEST_CALL_DURATION 30.0

/* Interleaved 16-bit frames: noise at about -62 dBFS, speech at about -14 dBFS. */
static G_GNUC_UNUSED gint16 *
test_synth_call (guint           rate,
                 guint           channels,
                 double          duration,
                 const TestSpan *spans,
                 guint           n_spans,
                 guint32         seed,
                 gsize          *n_frames)
{
  gsize n = (gsize) llround (duration * rate);
  gint16 *pcm = g_new (gint16, n * channels);
  guint32 state = seed * 2654435761u + 1;

  for (gsize i = 0; i < n * channels; i++)
    {
      state = state * 1664525u + 1013904223u;
      pcm[i] = (gint16) ((int) (state >> 24) % 81 - 40);
    }

  for (guint s = 0; s < n_spans; s++)
    {
      gsize a = (gsize) llround (spans[s].start * rate);
      gsize b = MIN ((gsize) llround (spans[s].end * rate), n);
      guint ch = spans[s].channel;

      g_assert_cmpuint (ch, <, channels);
      for (gsize i = a; i < b; i++)
        {
          double t = (double) i / rate;
          /* three partials under a 4 Hz syllable envelope (never below half) */
          double env = 0.75 + 0.25 * sin (2 * G_PI * 4 * t);
          double v = 0.5 * sin (2 * G_PI * 220 * t) + 0.3 * sin (2 * G_PI * 660 * t + 1) +
                     0.2 * sin (2 * G_PI * 1250 * t + 2);

          pcm[i * channels + ch] =
            (gint16) CLAMP (pcm[i * channels + ch] + 9000 * env * v, -32768, 32767);
        }
    }

  *n_frames = n;
  return pcm;
}

static G_GNUC_UNUSED guint8
test_linear_to_ulaw (int pcm)
{
  int sign = (pcm >> 8) & 0x80, exponent = 7, mantissa;

  if (sign)
    pcm = -pcm;
  if (pcm > 32635)
    pcm = 32635;
  pcm += 0x84;
  for (int mask = 0x4000; !(pcm & mask) && exponent > 0; exponent--, mask >>= 1)
    ;
  mantissa = (pcm >> (exponent + 3)) & 0x0F;
  return (guint8) ~(sign | (exponent << 4) | mantissa);
}

static G_GNUC_UNUSED guint8
test_linear_to_alaw (int pcm)
{
  static const int seg_end[8] = { 0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF };
  int mask, seg;
  guint8 aval;

  pcm >>= 3;
  if (pcm >= 0)
    mask = 0xD5;
  else
    {
      mask = 0x55;
      pcm = -pcm - 1;
    }
  for (seg = 0; seg < 8 && pcm > seg_end[seg]; seg++)
    ;
  if (seg >= 8)
    return (guint8) (0x7F ^ mask);
  aval = (guint8) (seg << 4);
  aval |= seg < 2 ? (pcm >> 1) & 0xF : (pcm >> seg) & 0xF;
  return (guint8) (aval ^ mask);
}

static G_GNUC_UNUSED void
test_put32 (guint8 *p,
            guint32 v)
{
  p[0] = v & 0xFF;
  p[1] = (v >> 8) & 0xFF;
  p[2] = (v >> 16) & 0xFF;
  p[3] = (v >> 24) & 0xFF;
}

static G_GNUC_UNUSED void
test_put16 (guint8 *p,
            guint16 v)
{
  p[0] = v & 0xFF;
  p[1] = (v >> 8) & 0xFF;
}

/* Writes @frames as a WAV file in @format (TEST_WAV_*). By hand, not through src's reader
 * (core/assay-wav.h): the file is what the reader is checked against. */
static G_GNUC_UNUSED void
test_write_wav (const char   *path,
                guint16       format,
                guint         rate,
                guint         channels,
                const gint16 *frames,
                gsize         n_frames)
{
  guint bytes_per_sample = format == TEST_WAV_PCM ? 2 : 1;
  gsize data_len = n_frames * channels * bytes_per_sample;
  guint8 *buf = g_malloc (44 + data_len);
  g_autoptr(GError) error = NULL;

  memcpy (buf, "RIFF", 4);
  test_put32 (buf + 4, (guint32) (36 + data_len));
  memcpy (buf + 8, "WAVEfmt ", 8);
  test_put32 (buf + 16, 16);
  test_put16 (buf + 20, format);
  test_put16 (buf + 22, (guint16) channels);
  test_put32 (buf + 24, rate);
  test_put32 (buf + 28, rate * channels * bytes_per_sample);
  test_put16 (buf + 32, (guint16) (channels * bytes_per_sample));
  test_put16 (buf + 34, (guint16) (bytes_per_sample * 8));
  memcpy (buf + 36, "data", 4);
  test_put32 (buf + 40, (guint32) data_len);

  for (gsize i = 0; i < n_frames * channels; i++)
    {
      if (format == TEST_WAV_PCM)
        test_put16 (buf + 44 + 2 * i, (guint16) frames[i]);
      else if (format == TEST_WAV_MULAW)
        buf[44 + i] = test_linear_to_ulaw (frames[i]);
      else
        buf[44 + i] = test_linear_to_alaw (frames[i]);
    }

  g_file_set_contents (path, (const char *) buf, (gssize) (44 + data_len), &error);
  g_assert_no_error (error);
  g_free (buf);
}

/* The reference call as a WAV file in @format at @rate. */
static G_GNUC_UNUSED void
test_write_call (const char *path,
                 guint16     format,
                 guint       rate)
{
  gsize n;
  g_autofree gint16 *pcm = test_synth_call (rate, 2, TEST_CALL_DURATION, test_call_spans,
                                            G_N_ELEMENTS (test_call_spans), 1, &n);

  test_write_wav (path, format, rate, 2, pcm, n);
}

/* A mono recording, 16 s: speech 2-5 and 10-12; dead air 5-10 and 12-16. */
static G_GNUC_UNUSED void
test_write_mono (const char *path,
                 guint       rate)
{
  static const TestSpan spans[] = { { 2, 5, 0 }, { 10, 12, 0 } };
  gsize n;
  g_autofree gint16 *pcm = test_synth_call (rate, 1, 16.0, spans, G_N_ELEMENTS (spans), 2, &n);

  test_write_wav (path, TEST_WAV_PCM, rate, 1, pcm, n);
}

#ifdef GST_VERSION_MAJOR
/* Runs a gst-launch style @description to the end; FALSE (with a message) if it fails. */
static G_GNUC_UNUSED gboolean
test_gst_run (const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  gboolean ok;

  if (pipeline == NULL)
    {
      g_printerr ("cannot run %s: %s\n", description, error->message);
      return FALSE;
    }
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ok = msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  if (!ok && msg != NULL)
    {
      g_autoptr(GError) gerr = NULL;

      gst_message_parse_error (msg, &gerr, NULL);
      g_printerr ("%s failed: %s\n", description, gerr->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

/* Encodes the WAV @from with @encoder ("lamemp3enc", "opusenc ! oggmux", ...) into @to. */
static G_GNUC_UNUSED gboolean
test_encode (const char *from,
             const char *encoder,
             const char *to)
{
  g_autofree char *desc = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! audioconvert ! "
                                           "audioresample ! %s ! filesink location=\"%s\"",
                                           from, encoder, to);

  return test_gst_run (desc);
}

/* Skips the test unless every element of the NULL-terminated @names is installed. */
static G_GNUC_UNUSED gboolean
test_have_elements (const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) f = gst_element_factory_find (names[i]);

      if (f == NULL)
        {
          g_autofree char *msg =
            g_strdup_printf ("GStreamer element %s is not installed", names[i]);

          g_test_skip (msg);
          return FALSE;
        }
    }
  return TRUE;
}
#endif
