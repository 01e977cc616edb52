/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "assay-store-evaluations.h"

G_BEGIN_DECLS

/*
 * Amends a submitted evaluation inside the caller's transaction, through the same draft and
 * submit steps as the review page: @answers (an answers file), @score and @results become the
 * next revision by @author_id with @reason, and its outbox operation is queued. Refused while
 * an amendment draft is open, so nobody's unsubmitted change is overwritten. @revision_id gets
 * the new revision's id; returns its number, 0 on error.
 */
int _assay_store_amend_locked (sqlite3     *db,
                               const char  *evaluation_id,
                               const char  *author_id,
                               const char  *answers,
                               double       score,
                               const char  *results,
                               const char  *reason,
                               char       **revision_id,
                               GError     **error);

G_END_DECLS
