/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * AssayCodecHintKind:
 * @ASSAY_CODEC_HINT_DECODER: an audio decoder (GSM, MP3, Vorbis, ...)
 * @ASSAY_CODEC_HINT_CONTAINER: a file reader (demuxer) for a container (Ogg, WAV, MP4, ...)
 * @ASSAY_CODEC_HINT_ELEMENT: another GStreamer element, named by its factory name
 *
 * What kind of GStreamer plugin is missing.
 */
typedef enum {
  ASSAY_CODEC_HINT_DECODER,
  ASSAY_CODEC_HINT_CONTAINER,
  ASSAY_CODEC_HINT_ELEMENT,
} AssayCodecHintKind;

/**
 * AssayCodecHint:
 * @kind: what is missing
 * @name: a short name to show the user ("GSM", "MP3", "Ogg"), or the element's factory name
 *   for %ASSAY_CODEC_HINT_ELEMENT; %NULL when the format is not one Assay knows
 * @package: the Debian package that provides it (never %NULL after a successful lookup)
 *
 * Static strings only: nothing to free.
 */
typedef struct {
  AssayCodecHintKind  kind;
  const char         *name;
  const char         *package;
} AssayCodecHint;

/**
 * assay_codec_hint_lookup:
 * @detail: what GStreamer says is missing: an installer detail
 *   ("gstreamer|1.0|assay|GSM audio decoder|decoder-audio/ms-gsm"), its last field
 *   ("decoder-audio/ms-gsm", "element-scaletempo") or bare caps ("audio/x-flac")
 * @hint: (out): where to put the answer
 *
 * Maps a missing plugin to the Debian package that installs it, so the user can be told
 * exactly what to install. Unknown audio formats map to gstreamer1.0-libav, the catch-all.
 *
 * Returns: %FALSE only when @detail cannot be read at all (empty or %NULL).
 */
gboolean assay_codec_hint_lookup (const char     *detail,
                                  AssayCodecHint *hint);

G_END_DECLS
