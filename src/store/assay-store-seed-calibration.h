/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "core/assay-form.h"

G_BEGIN_DECLS

/*
 * The demo's calibration work (docs/calibration.md), for the seed's transaction: four
 * inspectors (one is added when the centre has fewer) and an expert score three sessions of
 * contacts already reviewed on @form (stored as @form_version_id); one item ("empathy" when the
 * form has it) is answered with poor agreement. The same @seed gives the same sessions. Like the
 * rest of the demo, nothing goes to the outbox. Does nothing when fewer than two contacts were
 * reviewed on @form.
 */
gboolean _assay_store_seed_calibration (sqlite3     *db,
                                        AssayForm   *form,
                                        const char  *form_version_id,
                                        guint32      seed,
                                        GError     **error);

G_END_DECLS
