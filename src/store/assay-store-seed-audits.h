/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "core/assay-form.h"

G_BEGIN_DECLS

/*
 * The demo's mystery-shopper programme (docs/audits.md), for the seed's transaction: a quarter
 * ending with the demo, three scenarios (a phone test call and a service-point visit scored on
 * the Chinese scorecard @form_zh, a chat on the English @form_en), two shoppers, 30 submitted
 * audits scored by the form engine, photos of the visits (small generated PNGs kept in
 * `<db>.files`), two test calls linked to the demo contacts they were, and this month's schedule
 * with visits due and overdue. The same @seed gives the same rows. Like the rest of the demo,
 * nothing goes to the outbox. Does nothing without phone contacts.
 */
gboolean _assay_store_seed_audits (sqlite3     *db,
                                   AssayForm   *form_en,
                                   const char  *version_en,
                                   AssayForm   *form_zh,
                                   const char  *version_zh,
                                   guint32      seed,
                                   GError     **error);

G_END_DECLS
