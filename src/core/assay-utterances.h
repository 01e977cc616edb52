/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What was said in a contact, in time order: the lines of a call transcript (speaker, start,
 * end, text) or the messages of a chat or email conversation (sender, time, text; a message's
 * end is its start). The file formats are in protocol/assay-transcript.h and docs/transcripts.md;
 * phrase matching over them in assay-phrase.h.
 */

typedef enum {
  ASSAY_SPEAKER_UNKNOWN,
  ASSAY_SPEAKER_AGENT,
  ASSAY_SPEAKER_CUSTOMER,
} AssaySpeaker;

/** assay_speaker_to_string: "agent", "customer" or "unknown". */
const char *assay_speaker_to_string   (AssaySpeaker   role);
/** assay_speaker_from_string: parses "agent", "customer" or "unknown". */
gboolean    assay_speaker_from_string (const char *text,
                                    AssaySpeaker *out_role);
/**
 * assay_role_guess:
 * The role a speaker's name suggests ("Agent", "agent 1", "坐席", "客服" are the agent;
 * "Customer", "Caller", "客户" the customer), or %ASSAY_SPEAKER_UNKNOWN.
 */
AssaySpeaker   assay_role_guess       (const char *speaker);

typedef enum {
  ASSAY_TRANSCRIPT_CALL,          /* a call transcript: lines with a start and an end */
  ASSAY_TRANSCRIPT_CONVERSATION,  /* a chat or email conversation: messages at a time */
} AssayTranscriptKind;

/** assay_transcript_kind_to_string: "call_transcript" or "conversation". */
const char *assay_transcript_kind_to_string (AssayTranscriptKind kind);

typedef struct {
  gint64     start_ms;   /* calls: from the start of the recording; conversations: UTC unix ms */
  gint64     end_ms;     /* ≥ start_ms; a message's end is its start */
  char      *speaker;    /* the speaker's or sender's name as the file gives it, not empty */
  AssaySpeaker  role;
  char      *text;       /* valid UTF-8, not empty */
  char      *subject;    /* email messages: the subject, or NULL */
} AssayUtterance;

/**
 * AssayUtterances:
 * A transcript or conversation in memory. @segments holds AssayUtterance, ordered by start.
 */
typedef struct {
  AssayTranscriptKind  kind;
  GArray              *segments;
} AssayUtterances;

/** assay_utterances_new: an empty transcript of @kind. */
AssayUtterances *assay_utterances_new    (AssayTranscriptKind  kind);
/** assay_utterances_free: frees @self and its segments. */
void           assay_utterances_free   (AssayUtterances       *self);
/** assay_utterances_add: appends a segment (the strings are copied). */
AssayUtterance  *assay_utterances_add    (AssayUtterances       *self,
                                      gint64               start_ms,
                                      gint64               end_ms,
                                      const char          *speaker,
                                      AssaySpeaker            role,
                                      const char          *text);
/** assay_utterances_get_n: the number of segments. */
guint          assay_utterances_get_n  (const AssayUtterances *self);
/** assay_utterances_get: the segment at @index. */
const AssayUtterance *assay_utterances_get (const AssayUtterances *self,
                                        guint                index);
/**
 * assay_utterances_find_at:
 * The last segment that starts at or before @position_ms (a player position), or -1 before the
 * first. Binary search: the transcript view follows playback with it.
 */
int            assay_utterances_find_at (const AssayUtterances *self,
                                       gint64               position_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayUtterances, assay_utterances_free)

G_END_DECLS
