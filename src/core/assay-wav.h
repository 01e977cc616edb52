/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The one reader of RIFF/WAVE headers: media's audio reader, the store's import and the demo
 * seed all walk a WAV file's chunks with it. It does no I/O itself (core does none): the caller
 * hands it a function that reads bytes at an offset, or the first bytes of the file.
 */

#define ASSAY_WAV_ERROR (assay_wav_error_quark ())

typedef enum {
  ASSAY_WAV_ERROR_NOT_WAV,             /* no RIFF/WAVE signature */
  ASSAY_WAV_ERROR_INCOMPLETE,          /* the file ends before its format chunk */
  ASSAY_WAV_ERROR_NO_DATA,             /* a format chunk, but the file ends before a data chunk */
  ASSAY_WAV_ERROR_BAD_FORMAT,          /* the format chunk is shorter than 16 bytes, or cut off */
  ASSAY_WAV_ERROR_DATA_BEFORE_FORMAT,  /* a data chunk before any format chunk */
} AssayWavError;

GQuark assay_wav_error_quark (void);

/**
 * AssayWavReadFunc:
 * Reads up to @count bytes at @offset of the file into @buffer. Returns: how many were read
 * (fewer at the end of the file), or -1 with @error set.
 */
typedef gssize (*AssayWavReadFunc) (gpointer   user_data,
                                    guint64    offset,
                                    guint8    *buffer,
                                    gsize      count,
                                    GError   **error);

/**
 * AssayWavHeader:
 * @format: the format tag (1 PCM, 3 float, 6 A-law, 7 µ-law, 0x31 GSM, ...); for
 *   WAVE_FORMAT_EXTENSIBLE (0xFFFE) with the full extension, the sub-format's tag
 * @channels, @rate, @byte_rate, @block_align, @bits: as the format chunk says (unchecked)
 * @data_offset: where the samples start
 * @data_size: the data chunk's size; when a streaming writer left it unset (0 or 0xFFFFFFFF),
 *   what the file holds from @data_offset
 * @data_available: what the file holds from @data_offset (less than @data_size: cut off)
 */
typedef struct {
  guint16 format;
  guint16 channels;
  guint32 rate;
  guint32 byte_rate;
  guint16 block_align;
  guint16 bits;
  guint64 data_offset;
  guint64 data_size;
  guint64 data_available;
} AssayWavHeader;

/**
 * assay_wav_read_header:
 * @read_func: reads the file
 * @file_size: the size of the file
 *
 * Checks the RIFF/WAVE signature and walks the chunks to the first data chunk, taking the
 * format chunk on the way (other chunks, LIST or JUNK, are skipped).
 * Returns: %FALSE with an %ASSAY_WAV_ERROR, or the error of @read_func.
 */
gboolean assay_wav_read_header (AssayWavReadFunc   read_func,
                                gpointer           user_data,
                                guint64            file_size,
                                AssayWavHeader    *header,
                                GError           **error);

/**
 * assay_wav_parse_header:
 * assay_wav_read_header() on the first @length bytes of a file of @file_size bytes (the whole
 * file when they are equal): a header that reaches past @data fails as if the file ended there.
 */
gboolean assay_wav_parse_header (const guint8     *data,
                                 gsize             length,
                                 guint64           file_size,
                                 AssayWavHeader   *header,
                                 GError          **error);

G_END_DECLS
