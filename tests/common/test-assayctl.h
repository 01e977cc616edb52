/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What one run of assayctl gave: its exit status and everything it printed. */
typedef struct {
  int   status;
  char *out;
  char *err;
} TestRun;

void test_run_clear (TestRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TestRun, test_run_clear)

/* Runs $ASSAYCTL with the NULL-terminated arguments and waits for it (the test's own time
 * limit bounds the wait); the output goes to the test log. */
void test_run_assayctl (TestRun *run,
                        ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
