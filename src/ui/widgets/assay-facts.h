/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/assay-interaction.h"

G_BEGIN_DECLS

/* A contact's facts as preference groups (Contact, Times, Outcome, Service level agreement),
 * shown by the Interactions detail pane and by the review workspace of a contact without a
 * recording. */

/* A "name: value" row in @group (an AdwPreferencesGroup); a missing value shows a dash. */
void       assay_facts_add_row (GtkWidget                   *group,
                                const char                  *title,
                                const char                  *value);
/*
 * Empties @box and fills it with the groups of @facts. Returns the (hidden) "Speech" group, for
 * the caller to fill and show once a stored speech analysis turns up.
 */
GtkWidget *assay_facts_fill    (GtkBox                      *box,
                                const AssayInteractionFacts *facts,
                                const char                  *agent_name,
                                const char                  *team_name);

G_END_DECLS
