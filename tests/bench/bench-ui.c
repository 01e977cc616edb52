/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The list benchmarks of the foundation, on a database of 1,000,000 interactions
 * (ASSAY_BENCH_DB, made by scripts/run-bench.sh with `assayctl seed --interactions 1000000`):
 *  - launch to first frame: the real `assay` binary started as a process, until it paints its
 *    first frame with rows (ASSAY_BENCH_FIRST_FRAME makes it report that and quit), beside an
 *    empty libadwaita window (bench-empty-window) launched in turn in the same run;
 *  - apply a filter or a search and show the first rows;
 *  - resident memory after scrolling to the end.
 * Figures are printed; nothing passes or fails on time.
 */
#include <stdio.h>
#include <stdlib.h>

#include "assay-window.h"
#include "pages/assay-interactions-page.h"

static gboolean painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  painted = TRUE;
}

static void
wait_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  painted = FALSE;
  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

static gboolean
first_rows_shown (AssayInteractionModel *model)
{
  g_autoptr(AssayInteraction) first = NULL;

  /* a query that matches nothing is done when it has finished counting */
  if (g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return !assay_interaction_model_get_loading (model);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  return first != NULL && assay_interaction_get_loaded (first);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

/* Starts PROGRAM (with ARGS) and returns the milliseconds until it reports its first frame,
 * or a negative number after printing why it could not. */
static double
launch_once (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start;
  gint64 frame = 0;

  g_subprocess_launcher_setenv (launcher, "ASSAY_BENCH_FIRST_FRAME", "1", TRUE);
  start = g_get_monotonic_time ();
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error))
    {
      printf ("launch: cannot run %s: %s\n", argv[0], error->message);
      return -1;
    }
  if (out == NULL || sscanf (out, "first-frame %" G_GINT64_FORMAT, &frame) != 1)
    {
      printf ("launch: %s did not report its first frame\n", argv[0]);
      return -1;
    }
  return (frame - start) / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        int     n)
{
  qsort (values, n, sizeof (double), compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* Seven interleaved pairs: the empty libadwaita window (the reference, ASSAY_BENCH_EMPTY_WINDOW)
 * then `assay` on the 1,000,000-row database, so both see the same machine load. */
static void
bench_launch (const char *assay,
              const char *empty,
              const char *db)
{
  enum { PAIRS = 7 };
  double app[PAIRS], ref[PAIRS];
  const char *app_argv[] = { assay, "--database", db, NULL };
  const char *ref_argv[] = { empty, NULL };
  double app_median, ref_median;

  for (int i = 0; i < PAIRS; i++)
    {
      if (empty != NULL && (ref[i] = launch_once (ref_argv)) < 0)
        return;
      if ((app[i] = launch_once (app_argv)) < 0)
        return;
    }
  app_median = median (app, PAIRS);
  printf ("launch to first frame with rows: median %.0f ms (min %.0f, max %.0f) over %d runs\n",
          app_median, app[0], app[PAIRS - 1], PAIRS);
  if (empty == NULL)
    {
      printf ("launch: set ASSAY_BENCH_EMPTY_WINDOW for the empty-window reference\n");
      return;
    }
  ref_median = median (ref, PAIRS);
  printf ("empty libadwaita window (reference, same run): median %.0f ms (min %.0f, max %.0f)\n",
          ref_median, ref[0], ref[PAIRS - 1]);
  printf ("launch ratio to the empty window: %.2f x (target <= 1.25 x)\n", app_median / ref_median);
}

static void
run_filter (AssayInteractionList *list,
            GtkWidget            *window,
            const char           *label,
            const AssayInteractionFilter *filter)
{
  AssayInteractionModel *model = assay_interaction_list_get_model (list);
  gint64 start = g_get_monotonic_time ();

  double shown;

  assay_interaction_list_set_filter (list, filter);
  while (!first_rows_shown (model))
    g_main_context_iteration (NULL, TRUE);
  shown = ms_since (start);
  wait_paint (window);
  printf ("%-32s first rows in %6.1f ms, painted at %6.1f ms (target <= 100 ms)", label, shown,
          ms_since (start));
  while (assay_interaction_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
  printf ("  (all %u counted at %.0f ms)\n", g_list_model_get_n_items (G_LIST_MODEL (model)),
          ms_since (start));
}

int
main (int   argc,
      char *argv[])
{
  const char *db = g_getenv ("ASSAY_BENCH_DB");
  const char *assay = g_getenv ("ASSAY_BIN");
  const char *empty = g_getenv ("ASSAY_BENCH_EMPTY_WINDOW");
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  AssayWindow *window;
  AssayInteractionsPage *page;
  AssayInteractionList *list;
  AssayInteractionModel *model;
  AssayInteractionFilter filter;
  GtkAdjustment *adj;
  GtkWidget *scrolled;
  guint n;

  if (db == NULL || !g_file_test (db, G_FILE_TEST_EXISTS))
    {
      printf ("bench-ui: set ASSAY_BENCH_DB to a database made with "
              "`assayctl seed --interactions 1000000` (make bench does)\n");
      return 0;
    }

  if (assay != NULL)
    bench_launch (assay, empty, db);

  gtk_init ();
  adw_init ();
  store = assay_store_new (db);
  if (!assay_store_open_sync (store, &error))
    {
      printf ("bench-ui: %s\n", error->message);
      return 1;
    }

  {
    g_autoptr(AssayContext) context = assay_context_new (store, NULL);

    window = assay_window_new (NULL, context);
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (assay_window_get_view (window), "pages") != 0)
    g_main_context_iteration (NULL, TRUE);
  assay_window_show_page (window, "interactions");
  page = ASSAY_INTERACTIONS_PAGE (assay_window_get_page_widget (window, "interactions"));
  list = assay_interactions_page_get_list (page);
  model = assay_interaction_list_get_model (list);
  while (assay_interaction_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
  printf ("interactions in the database: %u\n", g_list_model_get_n_items (G_LIST_MODEL (model)));
  wait_paint (GTK_WIDGET (window));
  printf ("resident memory with the first rows shown: %.1f MB\n", rss_kb () / 1024.0);

  assay_interaction_filter_init (&filter);
  filter.channel = (char *) "chat";
  run_filter (list, GTK_WIDGET (window), "filter channel = chat:", &filter);
  assay_interaction_filter_init (&filter);
  filter.csat_min = 1, filter.csat_max = 2;
  run_filter (list, GTK_WIDGET (window), "filter CSAT 1-2:", &filter);
  assay_interaction_filter_init (&filter);
  filter.search = (char *) "C-1234";
  run_filter (list, GTK_WIDGET (window), "search customer \"C-1234\":", &filter);
  assay_interaction_filter_init (&filter);
  filter.search = (char *) "Wang";
  run_filter (list, GTK_WIDGET (window), "search agent \"Wang\":", &filter);
  run_filter (list, GTK_WIDGET (window), "no filter (newest first):", NULL);

  /* scroll to the end in steps, as a user dragging the scrollbar would */
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (assay_interaction_list_get_column_view (list)),
                                      GTK_TYPE_SCROLLED_WINDOW);
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  {
    gint64 start = g_get_monotonic_time ();
    for (int step = 1; step <= 50; step++)
      {
        gtk_adjustment_set_value (adj, (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)) * step / 50);
        wait_paint (GTK_WIDGET (window));
      }
    {
      g_autoptr(AssayInteraction) last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
      while (!assay_interaction_get_loaded (last))
        g_main_context_iteration (NULL, TRUE);
    }
    wait_paint (GTK_WIDGET (window));
    printf ("scrolled through %u rows to the end in 50 steps: %.0f ms (%.1f ms a step)\n", n,
            ms_since (start), ms_since (start) / 50);
  }
  printf ("resident memory after scrolling to the end: %.1f MB (target <= 150 MB)\n",
          rss_kb () / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
