/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gio/gio.h>

#include "core/assay-wav.h"

/*
 * The WAV header reader on headers written here byte by byte: the bytes are the oracle, so they
 * share no code with the reader.
 */

static void
put16 (GByteArray *b,
       guint16     v)
{
  guint8 p[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (b, p, 2);
}

static void
put32 (GByteArray *b,
       guint32     v)
{
  guint8 p[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (b, p, 4);
}

static void
put_tag (GByteArray *b,
         const char *tag)
{
  g_byte_array_append (b, (const guint8 *) tag, 4);
}

/* RIFF/WAVE, a 16-byte (or 40-byte extensible) fmt chunk */
static GByteArray *
wav_start (guint16 format,
           guint16 channels,
           guint32 rate,
           guint16 bits,
           gboolean extensible)
{
  GByteArray *b = g_byte_array_new ();
  guint16 block_align = channels * bits / 8;

  put_tag (b, "RIFF");
  put32 (b, 0);
  put_tag (b, "WAVE");
  put_tag (b, "fmt ");
  put32 (b, extensible ? 40 : 16);
  put16 (b, extensible ? 0xFFFE : format);
  put16 (b, channels);
  put32 (b, rate);
  put32 (b, rate * block_align);
  put16 (b, block_align);
  put16 (b, bits);
  if (extensible)
    {
      put16 (b, 22);          /* extension size */
      put16 (b, bits);        /* valid bits */
      put32 (b, 3);           /* channel mask */
      put16 (b, format);      /* the sub-format GUID starts with the tag */
      for (int i = 0; i < 14; i++)
        g_byte_array_append (b, (const guint8 *) "\0", 1);
    }
  return b;
}

static void
data_chunk (GByteArray *b,
            guint32     declared,
            guint       bytes)
{
  put_tag (b, "data");
  put32 (b, declared);
  for (guint i = 0; i < bytes; i++)
    {
      guint8 v = i & 0xff;

      g_byte_array_append (b, &v, 1);
    }
}

static void
test_pcm (void)
{
  g_autoptr(GByteArray) b = wav_start (1, 2, 8000, 16, FALSE);
  g_autoptr(GError) error = NULL;
  AssayWavHeader h;

  data_chunk (b, 4000, 4000);
  g_assert_true (assay_wav_parse_header (b->data, b->len, b->len, &h, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (h.format, ==, 1);
  g_assert_cmpuint (h.channels, ==, 2);
  g_assert_cmpuint (h.rate, ==, 8000);
  g_assert_cmpuint (h.byte_rate, ==, 32000);
  g_assert_cmpuint (h.block_align, ==, 4);
  g_assert_cmpuint (h.bits, ==, 16);
  g_assert_cmpuint (h.data_offset, ==, 44);
  g_assert_cmpuint (h.data_size, ==, 4000);
  g_assert_cmpuint (h.data_available, ==, 4000);
}

/* a LIST chunk of odd size (padded to even) before the data; extensible float */
static void
test_chunks (void)
{
  g_autoptr(GByteArray) b = wav_start (3, 1, 16000, 32, TRUE);
  g_autoptr(GError) error = NULL;
  AssayWavHeader h;
  guint before;

  put_tag (b, "LIST");
  put32 (b, 5);
  g_byte_array_append (b, (const guint8 *) "INFO\0\0", 6);   /* 5 bytes and the pad byte */
  before = b->len;
  data_chunk (b, 64, 64);
  g_assert_true (assay_wav_parse_header (b->data, b->len, b->len, &h, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (h.format, ==, 3);
  g_assert_cmpuint (h.channels, ==, 1);
  g_assert_cmpuint (h.data_offset, ==, before + 8);
  g_assert_cmpuint (h.data_size, ==, 64);
}

/* a streaming writer that never went back leaves 0 or 0xFFFFFFFF: the file says how much */
static void
test_unset_size (void)
{
  guint32 unset[] = { 0, G_MAXUINT32 };

  for (guint i = 0; i < G_N_ELEMENTS (unset); i++)
    {
      g_autoptr(GByteArray) b = wav_start (1, 1, 8000, 16, FALSE);
      g_autoptr(GError) error = NULL;
      AssayWavHeader h;

      data_chunk (b, unset[i], 300);
      g_assert_true (assay_wav_parse_header (b->data, b->len, b->len, &h, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (h.data_size, ==, 300);
      g_assert_cmpuint (h.data_available, ==, 300);
    }
}

/* cut off: the header announces more than the file holds */
static void
test_truncated (void)
{
  g_autoptr(GByteArray) b = wav_start (1, 1, 8000, 16, FALSE);
  g_autoptr(GError) error = NULL;
  AssayWavHeader h;

  data_chunk (b, 16000, 1000);
  g_assert_true (assay_wav_parse_header (b->data, b->len, b->len, &h, &error));
  g_assert_cmpuint (h.data_size, ==, 16000);
  g_assert_cmpuint (h.data_available, ==, 1000);
}

static void
expect_error (GByteArray *b,
              int         code)
{
  g_autoptr(GError) error = NULL;
  AssayWavHeader h;

  g_assert_false (assay_wav_parse_header (b->data, b->len, b->len, &h, &error));
  g_assert_error (error, ASSAY_WAV_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_errors (void)
{
  g_autoptr(GByteArray) not_wav = g_byte_array_new ();
  g_autoptr(GByteArray) no_data = wav_start (1, 1, 8000, 16, FALSE);
  g_autoptr(GByteArray) incomplete = wav_start (1, 1, 8000, 16, FALSE);
  g_autoptr(GByteArray) short_fmt = g_byte_array_new ();
  g_autoptr(GByteArray) data_first = g_byte_array_new ();

  g_byte_array_append (not_wav, (const guint8 *) "this is not a WAV file", 22);
  expect_error (not_wav, ASSAY_WAV_ERROR_NOT_WAV);

  expect_error (no_data, ASSAY_WAV_ERROR_NO_DATA);

  g_byte_array_set_size (incomplete, 16);   /* ends inside the fmt chunk's header */
  expect_error (incomplete, ASSAY_WAV_ERROR_INCOMPLETE);

  put_tag (short_fmt, "RIFF");
  put32 (short_fmt, 0);
  put_tag (short_fmt, "WAVE");
  put_tag (short_fmt, "fmt ");
  put32 (short_fmt, 8);
  put32 (short_fmt, 0x00010001);
  put32 (short_fmt, 8000);
  data_chunk (short_fmt, 8, 8);
  expect_error (short_fmt, ASSAY_WAV_ERROR_BAD_FORMAT);

  put_tag (data_first, "RIFF");
  put32 (data_first, 0);
  put_tag (data_first, "WAVE");
  data_chunk (data_first, 8, 8);
  expect_error (data_first, ASSAY_WAV_ERROR_DATA_BEFORE_FORMAT);
}

/* only the head of a long file: the header is read, and the sizes come from the file's size */
static void
test_head_only (void)
{
  g_autoptr(GByteArray) b = wav_start (1, 2, 8000, 16, FALSE);
  g_autoptr(GError) error = NULL;
  AssayWavHeader h;

  data_chunk (b, 0, 16);
  g_assert_true (assay_wav_parse_header (b->data, b->len, 1000044, &h, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (h.data_size, ==, 1000000);
  g_assert_cmpuint (h.data_available, ==, 1000000);
}

static gssize
failing_read (gpointer   user_data,
              guint64    offset,
              guint8    *buffer,
              gsize      count,
              GError   **error)
{
  guint *calls = user_data;

  if (++*calls > 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the disk went away");
      return -1;
    }
  memcpy (buffer, "RIFF\0\0\0\0WAVE", MIN (count, 12));
  return (gssize) MIN (count, 12);
}

/* the read function's error is passed on as it is */
static void
test_read_error (void)
{
  g_autoptr(GError) error = NULL;
  AssayWavHeader h;
  guint calls = 0;

  g_assert_false (assay_wav_read_header (failing_read, &calls, 1000, &h, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (calls, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wav/pcm", test_pcm);
  g_test_add_func ("/wav/chunks", test_chunks);
  g_test_add_func ("/wav/unset-size", test_unset_size);
  g_test_add_func ("/wav/truncated", test_truncated);
  g_test_add_func ("/wav/errors", test_errors);
  g_test_add_func ("/wav/head-only", test_head_only);
  g_test_add_func ("/wav/read-error", test_read_error);
  return g_test_run ();
}
