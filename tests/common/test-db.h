/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "store/assay-store.h"

G_BEGIN_DECLS

/* A temporary database path in a fresh folder. */
char       *test_db_path          (void);
/* An open store on a fresh database holding @n_interactions made-up interactions over 3 teams
 * and 6 agents; deterministic. */
AssayStore *test_db_new           (guint        n_interactions);
/* Runs @sql (several statements) on the store's worker; asserts success. */
void        test_db_exec          (AssayStore  *store,
                                   const char  *sql);
/* The integer result of a one-value query. */
gint64      test_db_query_int     (AssayStore  *store,
                                   const char  *sql);
/* Iterates the default main context until @cond returns TRUE; fails the test after
 * @timeout_s seconds (a guard against hangs, not a timing assertion). */
void        test_wait_until       (gboolean   (*cond) (gpointer),
                                   gpointer     data,
                                   guint        timeout_s);

G_END_DECLS
