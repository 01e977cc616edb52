/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * Whether a database holds anything besides the demo that `assayctl seed` made, so that
 * `seed --force` never replaces real work (docs/demo-seed.md). Once the seed (and the analysis
 * of the demo recordings) is done, assay_store_mark_demo_sync() writes a fingerprint of every
 * table into the database header (PRAGMA application_id). The database is "only demo" while
 * the fingerprint still matches: any row added, changed or removed since — an evaluation, a
 * revision, a draft saved, a scorecard edited, staff, an import — changes it. Speech analyses
 * are left out: they are computed from the recordings and made again at will.
 */

typedef enum
{
  ASSAY_WORK_NONE,       /* no rows at all (analyses aside) */
  ASSAY_WORK_DEMO_ONLY,  /* exactly what the seed made */
  ASSAY_WORK_REAL,       /* anything else: replacing it would lose work */
} AssayWorkKind;

/**
 * assay_store_check_work_sync:
 * Classifies what @store holds. For %ASSAY_WORK_REAL, @description (if not %NULL) says what
 * is there and why it is not taken for the demo, e.g. "312 evaluations, 330 evaluation
 * revisions, 2 scorecard versions, 41 staff and 20,000 interactions; it changed after
 * 'assayctl seed' made it". Never call from the GUI's main thread.
 */
AssayWorkKind assay_store_check_work_sync (AssayStore  *store,
                                           char       **description,
                                           GError     **error);

/**
 * assay_store_mark_demo_sync:
 * Records that @store holds exactly the demo: to be called by the seed right after it filled an
 * empty database. Never call from the GUI's main thread.
 */
gboolean      assay_store_mark_demo_sync  (AssayStore  *store,
                                           GError     **error);

G_END_DECLS
