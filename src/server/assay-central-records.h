/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-central-sync.h"

G_BEGIN_DECLS

/*
 * The rules of the later kinds of records (calibration, disputes, acknowledgements) that the
 * generic collection table cannot say by itself (docs/sync-protocol.md, "Collections"):
 * the calibration scopes (who takes part in a session, blind until it is opened), what a write
 * to them must keep, and re-announcing a session's scorings when it opens so that the other
 * participants' feeds hand them over then.
 */

/* whether @object of @collection is in @scope for @caller, for the calibration scopes only */
gboolean assay_central_records_in_scope (AssayCentralStorage       *storage,
                                         const AssayCentralCaller  *caller,
                                         const AssayCollection     *collection,
                                         AssayScope                 scope,
                                         const AssayCentralObject  *object);

/*
 * The rules of a write beyond rights and revisions, on the new @data (which it may complete,
 * e.g. `submittedAt` on a submit). %FALSE with the problem's name in @problem and what to do in
 * @detail (free it) when the operation must be rejected.
 */
gboolean assay_central_records_check    (AssayCentralStorage       *storage,
                                         const AssayCollection     *collection,
                                         AssayOpAction              action,
                                         JsonObject                *before_data,
                                         JsonObject                *data,
                                         const char               **problem,
                                         char                     **detail,
                                         GError                   **error);

/*
 * After @after was stored (inside the write transaction): a calibration session that has just
 * been opened or closed re-announces its scorings and consensus (new seq, same rev), so feeds
 * that passed them while they were blind hand them over now.
 */
gboolean assay_central_records_after    (AssayCentralStorage       *storage,
                                         const AssayCollection     *collection,
                                         JsonObject                *before_data,
                                         JsonObject                *data,
                                         const char                *id,
                                         GError                   **error);

G_END_DECLS
