/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-audio-reader.h"

G_BEGIN_DECLS

/*
 * The audio reader is a front (assay-audio-reader.c: opening the file, choosing a decoder,
 * the block and end-frame bookkeeping) and one file per decoder behind AssayAudioDecoder:
 * assay-audio-reader-wav.c, -mp3.c (libmpg123), -opus.c (libogg + libopus) and -gst.c (a
 * GStreamer appsink, for everything else). Each decoder keeps its own state in
 * AssayAudioReader.decoder_data.
 */

/* frames per block handed out by assay_audio_reader_read() */
#define ASSAY_AUDIO_BLOCK_FRAMES 16384
/* the rate the compressed decoders aim for: plenty for peaks and voice activity */
#define ASSAY_AUDIO_LOW_RATE     8000

typedef enum {
  ASSAY_AUDIO_OPEN_OK,
  ASSAY_AUDIO_OPEN_ERROR,
  ASSAY_AUDIO_OPEN_PASS,    /* not for this decoder: try GStreamer */
} AssayAudioOpenResult;

typedef struct _AssayAudioDecoder AssayAudioDecoder;

struct _AssayAudioReader
{
  AssayAudioInfo           info;
  char                    *path;
  char                    *name;          /* for messages */
  int                      fd;
  gint64                   file_size;
  gint16                  *out;           /* ASSAY_AUDIO_BLOCK_FRAMES * channels */
  gint64                   frames_out;    /* position of the next frame read */
  gint64                   end_frame;     /* read nothing from here on; -1: to the end */

  const AssayAudioDecoder *decoder;
  gpointer                 decoder_data;  /* the decoder's own state, freed by its clear () */
};

/*
 * One decoder. @probe says from the first bytes of the file whether it is the decoder's
 * (NULL: the fallback, GStreamer); @open reads the header, fills in the reader's info and may
 * decline with ASSAY_AUDIO_OPEN_PASS after undoing what it did (the file offset back at 0);
 * @read decodes the next block (into the reader's `out`, or a buffer of its own); @seek, NULL
 * when the decoder cannot, is called only before the first read; @clear frees decoder_data
 * (also after a failed or declined open) and sets it to NULL.
 */
struct _AssayAudioDecoder
{
  gboolean             (*probe) (const guint8      *head,
                                 gsize              head_len);
  AssayAudioOpenResult (*open)  (AssayAudioReader  *self,
                                 GCancellable      *cancellable,
                                 GError           **error);
  gboolean             (*read)  (AssayAudioReader  *self,
                                 const gint16     **frames,
                                 gsize             *n_frames,
                                 GCancellable      *cancellable,
                                 GError           **error);
  gboolean             (*seek)  (AssayAudioReader  *self,
                                 gint64             frame,
                                 GError           **error);
  void                 (*clear) (AssayAudioReader  *self);
};

extern const AssayAudioDecoder _assay_audio_decoder_wav;
extern const AssayAudioDecoder _assay_audio_decoder_gst;
#ifdef ASSAY_HAVE_MPG123
extern const AssayAudioDecoder _assay_audio_decoder_mp3;
#endif
#ifdef ASSAY_HAVE_OPUS
extern const AssayAudioDecoder _assay_audio_decoder_opus;
#endif

/* CORRUPT: “The recording is damaged or is not a recording: @detail.” */
void     _assay_audio_reader_set_corrupt    (AssayAudioReader  *self,
                                             GError           **error,
                                             const char        *detail);
/* CORRUPT: the header announced @expected_s seconds, the file holds @found_s */
void     _assay_audio_reader_set_truncated  (AssayAudioReader  *self,
                                             GError           **error,
                                             double             expected_s,
                                             double             found_s);
/* NOT_FOUND: the file cannot be read, with errno's text */
void     _assay_audio_reader_set_read_error (AssayAudioReader  *self,
                                             GError           **error,
                                             int                saved_errno);
/* CORRUPT: the file ends inside an Ogg page */
void     _assay_audio_reader_set_ogg_cut    (AssayAudioReader  *self,
                                             GError           **error);
/* read(2) until @len bytes or the end of the file; FALSE on an error (errno says which) */
gboolean _assay_audio_read_full             (int                fd,
                                             void              *buf,
                                             gsize              len,
                                             gsize             *got);
/* (re)allocates `out` for ASSAY_AUDIO_BLOCK_FRAMES frames of info.channels */
void     _assay_audio_reader_alloc_out      (AssayAudioReader  *self);

static inline guint32
_assay_audio_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static inline guint16
_assay_audio_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

G_END_DECLS
