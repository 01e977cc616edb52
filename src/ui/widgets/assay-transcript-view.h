/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/assay-utterances.h"

G_BEGIN_DECLS

/*
 * A call's transcript or a chat's or email's conversation, line by line: the speaker's name in
 * the colour of their role, the time, the text. The line being played follows `position`;
 * activating a line (click, Enter) emits `seek` with its start; selecting text in a line and
 * releasing the mouse or the Shift key emits `mark-evidence` with the span of the selection; the
 * search entry keeps only the lines that match (the same matching as script checks) and
 * highlights the match. The review page places it under the player.
 *
 * Properties: `position` (gint64, ms; -1 for none), `current-line` (int, read-only, -1 for
 * none), `search-text` (string), `n-visible` (uint, read-only: the lines the search keeps).
 * Signals: `seek (gint64 ms)`, `mark-evidence (gint64 start_ms, gint64 end_ms, const char *text)`.
 */

#define ASSAY_TYPE_TRANSCRIPT_VIEW (assay_transcript_view_get_type ())
G_DECLARE_FINAL_TYPE (AssayTranscriptView, assay_transcript_view, ASSAY, TRANSCRIPT_VIEW,
                      GtkWidget)

GtkWidget  *assay_transcript_view_new             (void);
/* Shows @utterances (copied into rows; the view does not keep it). %NULL empties the view. */
void        assay_transcript_view_set_utterances  (AssayTranscriptView   *self,
                                                   const AssayUtterances *utterances);
guint       assay_transcript_view_get_n_lines     (AssayTranscriptView   *self);
void        assay_transcript_view_set_position    (AssayTranscriptView   *self,
                                                   gint64                 position_ms);
gint64      assay_transcript_view_get_position    (AssayTranscriptView   *self);
int         assay_transcript_view_get_current_line (AssayTranscriptView  *self);
void        assay_transcript_view_set_search_text (AssayTranscriptView   *self,
                                                   const char            *text);
const char *assay_transcript_view_get_search_text (AssayTranscriptView   *self);
guint       assay_transcript_view_get_n_visible   (AssayTranscriptView   *self);
/*
 * Emits `mark-evidence` for the text selected in a line, if any (what releasing the mouse or
 * Shift does). Returns: whether there was a selection.
 */
gboolean    assay_transcript_view_mark_selection  (AssayTranscriptView   *self);
/* The row widget of line @index (for tests and for placing focus), or %NULL. */
GtkWidget  *assay_transcript_view_get_row         (AssayTranscriptView   *self,
                                                   guint                  index);

G_END_DECLS
