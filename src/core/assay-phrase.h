/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "assay-form.h"
#include "assay-utterances.h"

G_BEGIN_DECLS

/*
 * Script compliance (标准用语): finding the phrases a form item names (AssayScript, see
 * docs/forms.md) in a transcript or conversation, and pre-answering those items as suggestions.
 *
 * Matching compares normalised text: letters are lower-cased, full-width ASCII forms
 * (ＡＢＣ１２３, the ideographic space) become their ASCII forms, and punctuation, symbols and
 * white space are left out, so "Thank you for calling!" matches "thank you, for calling" and
 * "您好！" matches "您好". Simplified and Traditional characters are not converted: a phrase lists
 * its equal forms (["请问有什么可以帮您", "請問有什麼可以幫您"]) and any of them matches.
 * A phrase matches inside one line (or message), never across two.
 */

/**
 * assay_phrase_normalise:
 * @text: UTF-8 text
 * @offsets: (nullable): gets, for each character of the result, the byte offset in @text of the
 *   character it came from (a guint32 each), plus one more entry: the length of @text
 * Returns: (transfer full): @text normalised for matching.
 */
char *assay_phrase_normalise (const char *text,
                              GArray     *offsets);

typedef struct _AssayPhraseIndex AssayPhraseIndex;

/**
 * AssayPhraseMatch:
 * Where a phrase was found.
 * @segment: index of the line or message
 * @start, @end: byte offsets of the phrase within the segment's text (@end exclusive)
 * @start_ms, @end_ms: the span to mark as evidence: the line's times for a call; for a
 *   conversation, the message's offset from the first message (its end is its start)
 */
typedef struct {
  guint  segment;
  gsize  start;
  gsize  end;
  gint64 start_ms;
  gint64 end_ms;
} AssayPhraseMatch;

/**
 * assay_phrase_index_new:
 * Normalises every segment of @segments once, for many searches. @segments must outlive the
 * index and not change while it is used.
 */
AssayPhraseIndex *assay_phrase_index_new  (const AssayUtterances *segments);
void              assay_phrase_index_free (AssayPhraseIndex    *self);

/**
 * assay_phrase_index_find:
 * @forms: the equal forms of one phrase (%NULL-terminated); any of them may match
 * @role: whose lines count; %ASSAY_SPEAKER_UNKNOWN: anyone's
 * @within_ms: > 0: only lines that start within the first @within_ms of the contact
 * @out_match: (nullable): gets the first match in time order
 * Returns: whether the phrase was found.
 */
gboolean          assay_phrase_index_find (const AssayPhraseIndex *self,
                                           const char *const      *forms,
                                           AssaySpeaker               role,
                                           gint64                  within_ms,
                                           AssayPhraseMatch       *out_match);

/**
 * assay_script_check:
 * Applies an item's script to a transcript: it passes when every must-say phrase was found and
 * no must-not-say phrase was. @matches (nullable, of AssayPhraseMatch) gets the spans that
 * decide it: the must-say phrases found, or the must-not-say phrases found when they fail it.
 * Returns: whether the script was followed.
 */
gboolean          assay_script_check      (const AssayScript      *script,
                                           const AssayPhraseIndex *index,
                                           GArray                 *matches);

/**
 * assay_phrase_suggest:
 * Pre-answers every unanswered yes/no item of @answers that has a script: Yes when the script
 * was followed, No when it was not, with the deciding spans as evidence, each flagged as an
 * unconfirmed suggestion (AssayAnswer.suggested) until the inspector confirms it
 * (assay_answers_confirm()) or answers otherwise. Answered items are left alone.
 * Returns: how many items got a suggestion.
 */
guint             assay_phrase_suggest    (AssayAnswers           *answers,
                                           const AssayPhraseIndex *index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayPhraseIndex, assay_phrase_index_free)

G_END_DECLS
