/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "assay-store-audits.h"

G_BEGIN_DECLS

/* Shared by the audit files of the store (writes, reads, evidence, matching). */

/* the columns read_audit() reads, after "SELECT " */
#define AUDIT_COLUMNS \
  "a.id, a.visit_id, a.scenario_id, sc.name, sc.channel," \
  " coalesce (t.name, sc.site, sc.queue), a.form_version_id, a.shopper_id, sh.name, a.author_id," \
  " a.agent_id, a.interaction_id, a.visited_at, a.state, a.amending," \
  " coalesce (a.draft_answers, r.answers), CASE WHEN a.draft_saved_at IS NOT NULL" \
  " THEN a.draft_score ELSE r.score END, coalesce (a.draft_results, r.results)," \
  " coalesce (a.draft_saved_at, 0), coalesce (r.number, 0), a.updated_at"
#define AUDIT_FROM \
  " FROM audit a JOIN audit_scenario sc ON sc.id = a.scenario_id" \
  " LEFT JOIN team t ON t.id = sc.team_id" \
  " LEFT JOIN audit_shopper sh ON sh.id = a.shopper_id" \
  " LEFT JOIN audit_revision r ON r.id = a.current_revision_id"

AssayAuditRecord *_assay_audit_read (sqlite3_stmt *stmt);
/* The audit @id, or NULL with ASSAY_STORE_ERROR_NOT_FOUND. */
AssayAuditRecord *_assay_audit_get_locked (sqlite3     *db,
                                           const char  *id,
                                           GError     **error);
/* Marks @table's row @id dirty and queues its whole row as the operation on @collection. */
gboolean _assay_audits_queue_row (sqlite3     *db,
                                  const char  *table,
                                  const char  *collection,
                                  const char  *id,
                                  const char  *action,
                                  gboolean     coalesce,
                                  GError     **error);
gboolean _assay_audits_invalid   (GError     **error,
                                  const char  *message);

G_END_DECLS
