/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/assay-form.h"
#include "store/assay-store.h"

G_BEGIN_DECLS

/*
 * The dispute packet (docs/disputes.md, "The packet"): a PDF for one submitted evaluation that
 * shows how its score was reached: the form and version, every answer with the points it
 * earned and lost, the formula that turns them into the score (scored with the same code as
 * `assayctl score`, so the numbers are the same), the evidence spans with their times and
 * comments, the revision history, and every dispute with its steps, decisions and
 * acknowledgements. Drawn with cairo and Pango like the monthly report; the text is in the
 * language of the process's LC_MESSAGES, and Pango-cairo embeds the fonts it uses.
 */

/**
 * assay_packet_write_pdf_sync:
 * Reads the evaluation @evaluation_id from @store and writes its packet to @path, replacing it
 * only when complete. Not on the GUI's main thread. An unknown evaluation is
 * %ASSAY_STORE_ERROR_NOT_FOUND; one never submitted %ASSAY_STORE_ERROR_INVALID.
 */
gboolean assay_packet_write_pdf_sync   (AssayStore           *store,
                                        const char           *evaluation_id,
                                        const char           *path,
                                        GCancellable         *cancellable,
                                        GError              **error);

/** assay_packet_write_pdf_async: assay_packet_write_pdf_sync() in a thread of its own. */
void     assay_packet_write_pdf_async  (AssayStore           *store,
                                        const char           *evaluation_id,
                                        const char           *path,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean assay_packet_write_pdf_finish (AssayStore           *store,
                                        GAsyncResult         *result,
                                        GError              **error);

/** assay_packet_state_label: a dispute's state ("open", "upheld", ...) in words. */
const char *assay_packet_state_label    (const char *state);
/** assay_packet_decision_label: a step's decision ("upheld", ...) in words, "" for %NULL. */
const char *assay_packet_decision_label (const char *decision);
/** assay_packet_reason_label: a decision reason code (assay_dispute_reasons()) in words. */
const char *assay_packet_reason_label   (const char *code);
/** assay_packet_role_label: a step's role ("lead", "manager") in words. */
const char *assay_packet_role_label     (const char *role);
/** assay_packet_answer_text: what @answer to @item says, in words ("Yes", an option, "N/A"). */
char       *assay_packet_answer_text    (const AssayItem   *item,
                                         const AssayAnswer *answer);

G_END_DECLS
