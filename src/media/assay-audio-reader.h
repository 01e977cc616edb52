/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Decodes a recording for analysis (waveform peaks, voice activity), not for listening: the
 * output is interleaved signed 16-bit frames at a low rate (8–16 kHz where the decoder can do
 * that cheaply), channels kept. Plain WAV (PCM, float, µ-law, A-law) is read directly; MP3 goes
 * through libmpg123 and Ogg Opus through libopus at 8 kHz when Assay was built with them;
 * everything else (GSM 6.10, Vorbis, FLAC, ...) through a GStreamer appsink pipeline.
 *
 * A reader is used from one thread at a time and may block: use it on a worker.
 */

#define ASSAY_AUDIO_MAX_CHANNELS 8

typedef struct _AssayAudioReader AssayAudioReader;

/**
 * AssayAudioInfo:
 * @rate: frames per second of what assay_audio_reader_read() returns
 * @channels: channels of what it returns
 * @source_rate: the recording's own sample rate
 * @source_channels: the recording's own channel count
 * @n_frames: the expected number of frames at @rate, or -1 if unknown
 * @decoder: which path decodes it: "wav", "mpg123", "opus" or "gstreamer"
 */
typedef struct {
  guint       rate;
  guint       channels;
  guint       source_rate;
  guint       source_channels;
  gint64      n_frames;
  const char *decoder;
} AssayAudioInfo;

/**
 * assay_audio_reader_open:
 * Opens @path and reads enough of it to know its format.
 * Errors (%ASSAY_MEDIA_ERROR): NOT_FOUND for a missing or unreadable file, MISSING_DECODER
 * (the message names the Debian package to install), CORRUPT for damaged or truncated data,
 * or %G_IO_ERROR_CANCELLED.
 * Returns: (transfer full) (nullable): the reader.
 */
AssayAudioReader     *assay_audio_reader_open     (const char        *path,
                                                   GCancellable      *cancellable,
                                                   GError           **error);

/** assay_audio_reader_get_info: the output format and what is known of the length. */
const AssayAudioInfo *assay_audio_reader_get_info (AssayAudioReader  *self);

/**
 * assay_audio_reader_read:
 * Decodes the next block. @frames points into the reader's own buffer, valid until the next
 * call; @n_frames is 0 at the end of the recording.
 * Returns: %FALSE with @error set on failure (a file that ends before its header said is
 * %ASSAY_MEDIA_ERROR_CORRUPT).
 */
gboolean              assay_audio_reader_read     (AssayAudioReader  *self,
                                                   const gint16     **frames,
                                                   gsize             *n_frames,
                                                   GCancellable      *cancellable,
                                                   GError           **error);

/**
 * assay_audio_reader_can_seek:
 * Whether assay_audio_reader_seek() works for this file (the direct WAV, MP3 and Opus paths).
 */
gboolean              assay_audio_reader_can_seek (AssayAudioReader  *self);

/**
 * assay_audio_reader_seek:
 * On a reader that has not read yet, makes the next frame read frame @frame (at
 * #AssayAudioInfo.rate), exactly: the decoder starts somewhat earlier and drops what comes
 * before. Used to decode the two halves of a long recording on two threads.
 */
gboolean              assay_audio_reader_seek     (AssayAudioReader  *self,
                                                   gint64             frame,
                                                   GError           **error);

/** assay_audio_reader_set_end: makes reading stop before frame @end_frame (-1: at the end). */
void                  assay_audio_reader_set_end  (AssayAudioReader  *self,
                                                   gint64             end_frame);

/** assay_audio_reader_free: closes the file and frees the reader. */
void                  assay_audio_reader_free     (AssayAudioReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAudioReader, assay_audio_reader_free)

G_END_DECLS
