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
/* The ids of the form that test_db_add_review_form() publishes. */
#define TEST_FORM_ID         "40000000-0000-4000-8000-000000000001"
#define TEST_FORM_VERSION_ID "41000000-0000-4000-8000-000000000001"
/* Publishes a small scorecard for review tests: Opening (greeting yes/no, disclosure yes/no and
 * fatal) and Resolution (fix, a 1–5 scale of weight 2); points mode, a comment on every deduction,
 * bands "Needs improvement" from 0 and "Meets" from 70. */
void        test_db_add_review_form (AssayStore *store);
/* Writes a 16-bit 8 kHz stereo WAV of @seconds: a tone on the agent's channel (left) in the
 * first half, on the customer's (right) in the second. */
void        test_write_stereo_wav (const char  *path,
                                   guint        seconds);
/* Iterates the default main context until @cond returns TRUE; fails the test after
 * @timeout_s seconds (a guard against hangs, not a timing assertion). */
void        test_wait_until       (gboolean   (*cond) (gpointer),
                                   gpointer     data,
                                   guint        timeout_s);

G_END_DECLS
