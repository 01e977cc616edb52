/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store-private.h"
#include "assay-store-transcript.h"

G_BEGIN_DECLS

/* On the worker, inside the caller's transaction: import and seeding store transcripts with it. */
gboolean _assay_store_put_transcript_locked (sqlite3                *db,
                                             const char             *interaction_id,
                                             const AssayUtterances  *utterances,
                                             AssayTranscriptFormat   format,
                                             const char             *source,
                                             GError                **error);

/*
 * For seeding: like _assay_store_put_transcript_locked(), with an id made from the interaction's
 * (the same demo gives the same ids) and @created_at given. *@stmt caches the statement; the
 * caller finalizes it.
 */
gboolean _assay_store_seed_transcript_locked (sqlite3                *db,
                                              sqlite3_stmt          **stmt,
                                              const char             *interaction_id,
                                              const AssayUtterances  *utterances,
                                              AssayTranscriptFormat   format,
                                              const char             *source,
                                              gint64                  created_at,
                                              GError                **error);

G_END_DECLS
