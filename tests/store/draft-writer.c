/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The child of test-draft-kill: saves a draft the way the scoring panel does on every change,
 * one change after the other through the store's async API, and prints "saved N" once each
 * save is reported done. Usage: draft-writer DB EVALUATION INTERACTION FORM_VERSION INSPECTOR
 */
#include <math.h>
#include <stdio.h>

#include "store/assay-store-evaluations.h"

typedef struct {
  AssayStore            *store;
  AssayEvaluationRecord  record;
  guint                  seq;
} Writer;

static void save_next (Writer *w);

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Writer *w = user_data;
  g_autoptr(GError) error = NULL;

  if (assay_store_save_draft_finish (w->store, result, &error) == 0)
    {
      fprintf (stderr, "draft-writer: %s\n", error->message);
      exit (1);
    }
  printf ("saved %u\n", w->seq);
  fflush (stdout);
  save_next (w);
}

static void
save_next (Writer *w)
{
  w->seq++;
  g_free (w->record.answers);
  w->record.answers = g_strdup_printf ("{\"seq\":%u}", w->seq);
  w->record.score = w->seq % 101;
  assay_store_save_draft_async (w->store, &w->record, NULL, saved_cb, w);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Writer w = { 0 };

  if (argc != 6)
    {
      fprintf (stderr, "usage: draft-writer DB EVALUATION INTERACTION FORM_VERSION INSPECTOR\n");
      return 2;
    }
  w.store = assay_store_new (argv[1]);
  if (!assay_store_open_sync (w.store, &error))
    {
      fprintf (stderr, "draft-writer: %s\n", error->message);
      return 1;
    }
  w.record.id = argv[2];
  w.record.interaction_id = argv[3];
  w.record.form_version_id = argv[4];
  w.record.inspector_id = argv[5];
  w.record.score = NAN;
  save_next (&w);
  g_main_loop_run (loop);
  return 0;
}
