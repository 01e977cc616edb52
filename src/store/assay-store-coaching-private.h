/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "assay-store-coaching.h"

G_BEGIN_DECLS

/* The arguments of every coaching job on the store's worker (assay-store-coaching*.c). */
typedef struct
{
  char     *id;
  char     *session_id;
  char     *agent_id;
  char     *coach_id;
  char     *evaluation_id;
  char     *kpi;
  char     *item_id;
  char     *text;
  char     *owner;
  gint64    at;
  double    target;
  gboolean  flag;
  GDateTime *now;
} Args;

void     _assay_coaching_args_free (Args        *a);
/* Sets ASSAY_STORE_ERROR_INVALID with @message; returns FALSE. */
gboolean _assay_coaching_invalid   (GError     **error,
                                    const char  *message);
/* Marks the row dirty, queues its operation on @collection with the row as JSON and announces
 * ASSAY_STORE_COACHING; inside the caller's transaction. */
gboolean _assay_coaching_queue_row (sqlite3     *db,
                                    const char  *table,
                                    const char  *collection,
                                    const char  *id,
                                    const char  *action,
                                    GError     **error);

/* A session with its names and counts: ASSAY_COACHING_SESSION_SQL's row. */
#define ASSAY_COACHING_SESSION_SQL \
  "SELECT s.id, s.agent_id, ag.name, ag.team_id, s.coach_id, st.name, s.source," \
  " s.evaluation_id, s.kpi, s.focus, s.scheduled_at, s.agenda, s.notes, s.state," \
  " s.acknowledged_at, s.ack_comment," \
  " (SELECT count(*) FROM coaching_goal g WHERE g.session_id = s.id)," \
  " (SELECT count(*) FROM coaching_action c WHERE c.session_id = s.id)," \
  " (SELECT count(*) FROM coaching_action c WHERE c.session_id = s.id AND c.done_at IS NULL)" \
  " FROM coaching_session s JOIN agent ag ON ag.id = s.agent_id" \
  " LEFT JOIN staff st ON st.id = s.coach_id"

AssayCoachingSessionRecord *_assay_coaching_session_from_row (sqlite3_stmt *stmt);

G_END_DECLS
