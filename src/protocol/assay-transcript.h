/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/assay-utterances.h"

G_BEGIN_DECLS

/*
 * Transcript and conversation files (docs/transcripts.md): WebVTT with voice tags, SRT with
 * "Name:" prefixes, the JSON call transcript and the JSON conversation of a chat or email. All
 * are read into AssayUtterances; the store keeps them normalised as assay_utterances_to_json()
 * writes them. Reading is strict: a malformed file is refused with its name, the line and what
 * is wrong ("call.vtt:12: the cue ends before it starts (00:00:05.000 --> 00:00:04.000)").
 */

#define ASSAY_TRANSCRIPT_ERROR (assay_transcript_error_quark ())

typedef enum {
  ASSAY_TRANSCRIPT_ERROR_SYNTAX,       /* the file breaks its format; the message names the line */
  ASSAY_TRANSCRIPT_ERROR_UNSUPPORTED,  /* not a format Assay reads (by its name or "format") */
} AssayTranscriptError;

GQuark assay_transcript_error_quark (void);

typedef enum {
  ASSAY_TRANSCRIPT_FORMAT_VTT,
  ASSAY_TRANSCRIPT_FORMAT_SRT,
  ASSAY_TRANSCRIPT_FORMAT_JSON,          /* {"kind": "call_transcript", "segments": [...]} */
  ASSAY_TRANSCRIPT_FORMAT_CONVERSATION,  /* {"kind": "conversation", "messages": [...]} */
} AssayTranscriptFormat;

/** assay_transcript_format_to_string: "vtt", "srt", "json" or "conversation". */
const char *assay_transcript_format_to_string (AssayTranscriptFormat format);

/**
 * assay_transcript_parse:
 * @data: the file's bytes (need not be NUL-terminated)
 * @name: the file's name, for messages and to choose the format: `.vtt`, `.srt`, or `.json`
 *   (a call transcript or a conversation, by its "kind")
 * @out_format: (nullable): gets the format read
 * Returns: (transfer full): the segments, in time order, or %NULL with @error set.
 */
AssayUtterances *assay_transcript_parse   (const char             *data,
                                         gsize                   length,
                                         const char             *name,
                                         AssayTranscriptFormat  *out_format,
                                         GError                **error);

/**
 * assay_transcript_parse_as:
 * Like assay_transcript_parse(), in the format given rather than the one @name suggests.
 */
AssayUtterances *assay_transcript_parse_as (const char             *data,
                                          gsize                   length,
                                          const char             *name,
                                          AssayTranscriptFormat   format,
                                          GError                **error);

/**
 * assay_utterances_to_json:
 * The normalised form the store keeps: an array of {speaker, role, start_ms, end_ms, text}
 * (and subject where there is one), in time order.
 */
char          *assay_utterances_to_json   (const AssayUtterances    *segments);
/** assay_utterances_from_json: reads what assay_utterances_to_json() wrote. */
AssayUtterances *assay_utterances_from_json (AssayTranscriptKind     kind,
                                         const char             *json,
                                         GError                **error);

G_END_DECLS
