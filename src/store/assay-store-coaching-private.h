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

G_END_DECLS
