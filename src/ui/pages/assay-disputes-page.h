/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_DISPUTES_PAGE (assay_disputes_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayDisputesPage, assay_disputes_page, ASSAY, DISPUTES_PAGE, GtkWidget)

/*
 * Disputes (docs/disputes.md): the list with its filters (all, open, overdue, awaiting the
 * agent's acknowledgement, closed; an overdue step is a warning), and a dispute's detail: the
 * evaluation's score, items and revisions, the steps with their deadlines and decisions.
 * Raise Dispute (Ctrl+N; an agent on their own evaluation, a lead on the agent's behalf),
 * Decide… for the current step's role, Acknowledge… for the agent, Export Packet… (the PDF of
 * src/report/assay-packet.c). An empty list explains disputes and offers to raise one.
 */

/* Shows the dispute @dispute_id in the detail. */
void assay_disputes_page_open_dispute (AssayDisputesPage *self,
                                       const char        *dispute_id);

G_END_DECLS
