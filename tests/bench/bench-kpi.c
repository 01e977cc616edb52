/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * KPI figures and scorecards at 1,000,000 contacts and 200,000 submitted evaluations, beside
 * the 100 ms target (issue 11, item 9). The database is $ASSAY_BENCH_KPI_DB, made once (as
 * `assayctl seed --interactions 1000000 --evaluations 200000` would) when it does not exist.
 * Prints figures; asserts nothing about time.
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>

#include "report/assay-report.h"
#include "store/assay-store-kpi.h"
#include "store/assay-store-seed.h"
#include "test-db.h"

#define TARGET_MS   100.0
#define N_CONTACTS  1000000
#define N_EVALS     200000
#define RUNS        7

static AssayStore *store;
static int first_day, last_day;
static char *temporary_dir;   /* when no $ASSAY_BENCH_KPI_DB: made here, removed at the end */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

typedef gboolean (*BenchFunc) (gpointer data);

/* the CPU time of the process (the store's worker included), so a busy machine shows as the
 * gap between the wall-clock and the CPU figure */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* runs @func RUNS times; prints the first (cold) run, the median and the slowest */
static void
measure (const char *what,
         BenchFunc   func,
         gpointer    data)
{
  double ms[RUNS];
  g_autoptr(GTimer) timer = g_timer_new ();
  double sorted[RUNS], cpu[RUNS];

  for (int i = 0; i < RUNS; i++)
    {
      double c0 = cpu_ms ();

      g_timer_start (timer);
      g_assert_true (func (data));
      ms[i] = g_timer_elapsed (timer, NULL) * 1000.0;
      cpu[i] = cpu_ms () - c0;
      sorted[i] = ms[i];
    }
  qsort (sorted, RUNS, sizeof sorted[0], compare_double);
  qsort (cpu, RUNS, sizeof cpu[0], compare_double);
  g_print ("%-40s median %6.1f ms (cpu %5.1f)  slowest %6.1f ms  first %6.1f ms  target %3.0f ms%s\n",
           what, sorted[RUNS / 2], cpu[RUNS / 2], sorted[RUNS - 1], ms[0], TARGET_MS,
           sorted[RUNS - 1] <= TARGET_MS ? "" : " (over)");
}

typedef struct {
  AssayKpiQuery query;
  AssayKpiLine  line;
} Job;

static gboolean
scorecard_job (gpointer data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayKpiScorecard) card = assay_store_kpi_scorecard_sync (store, &job->query, &error);

  g_assert_no_error (error);
  return card != NULL && card->sums.contacts > 0;
}

static gboolean
figure_job (gpointer data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  AssayKpiSums sums;
  AssayKpiEstimate e;

  if (!assay_store_kpi_sums_sync (store, &job->query, &sums, &error))
    return FALSE;
  e = assay_kpi_sums_estimate (&sums, job->line);
  return e.known || job->line == ASSAY_KPI_LINE_AHT_TICKET;
}

static gboolean
callbacks_job (gpointer data)
{
  Job *job = data;
  AssayKpiCallbackQuery q;
  g_autoptr(GPtrArray) list = NULL;

  assay_kpi_callback_query_init (&q, job->query.from_day, job->query.to_day);
  list = assay_store_kpi_callbacks_sync (store, &q, NULL);
  return list != NULL && list->len > 0;
}

static gboolean
pareto_job (gpointer data)
{
  Job *job = data;
  g_autoptr(GPtrArray) causes = assay_store_kpi_root_cause_pareto_sync (store, job->query.from_day,
                                                                       job->query.to_day, NULL,
                                                                       NULL);

  return causes != NULL;
}

static int
day_of_ms (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);

  return assay_kpi_day_from_ymd (g_date_time_get_year (dt), g_date_time_get_month (dt),
                                 g_date_time_get_day_of_month (dt));
}

static void
open_centre (void)
{
  const char *path = g_getenv ("ASSAY_BENCH_KPI_DB");
  g_autofree char *made = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();

  if (path == NULL || *path == '\0')
    {
      temporary_dir = g_dir_make_tmp ("assay-bench-kpi-XXXXXX", NULL);
      path = made = g_build_filename (temporary_dir, "bench-kpi.db", NULL);
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo",
                                                 "forms", NULL);
      g_autofree char *partial = g_strconcat (path, ".tmp", NULL);
      g_autoptr(AssayStore) maker = assay_store_new (partial);
      AssaySeedOptions options;
      AssaySeedSummary summary = { 0 };

      g_print ("Making the benchmark centre (once): %d contacts, %d evaluations…\n", N_CONTACTS,
               N_EVALS);
      g_assert_true (assay_store_open_sync (maker, &error));
      assay_seed_options_init (&options);
      options.n_interactions = N_CONTACTS;
      options.n_evaluations = N_EVALS;
      options.forms_dir = forms;
      options.force = TRUE;
      g_assert_true (assay_store_seed_sync (maker, &options, &summary, &error));
      g_assert_no_error (error);
      assay_store_close (maker);
      g_print ("seed with the summaries kept by triggers: %.1f s\n", g_timer_elapsed (timer, NULL));
      assay_seed_summary_clear (&summary);
      g_assert_cmpint (g_rename (partial, path), ==, 0);
    }

  store = assay_store_new (path);
  g_timer_start (timer);
  g_assert_true (assay_store_open_sync (store, &error));
  g_print ("open (and migrate) %s: %.1f s\n", path, g_timer_elapsed (timer, NULL));
  first_day = day_of_ms (test_db_query_int (store, "SELECT min(started_at) FROM interaction"));
  last_day = day_of_ms (test_db_query_int (store, "SELECT max(started_at) FROM interaction"));
  g_print ("%" G_GINT64_FORMAT " contacts, %" G_GINT64_FORMAT " submitted evaluations, %d days,"
           " %" G_GINT64_FORMAT " + %" G_GINT64_FORMAT " summary rows\n",
           test_db_query_int (store, "SELECT count(*) FROM interaction"),
           test_db_query_int (store, "SELECT count(*) FROM evaluation WHERE state = 'submitted'"),
           last_day - first_day + 1,
           test_db_query_int (store, "SELECT count(*) FROM kpi_contact_day"),
           test_db_query_int (store, "SELECT count(*) FROM kpi_qa_day"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  AssayKpiCheck check;
  struct {
    const char *name;
    int         days;
  } periods[] = { { "month", 30 }, { "quarter", 0 } };

  g_test_init (&argc, &argv, NULL);
  open_centre ();
  {
    g_autoptr(AssayKpiScorecard) any = NULL;
    Job job = { { ASSAY_KPI_SCOPE_CENTRE, NULL, last_day, last_day, 0 }, 0 };

    /* the first read after a time-zone change rebuilds; take that out of the figures */
    any = assay_store_kpi_scorecard_sync (store, &job.query, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GPtrArray) causes = assay_store_kpi_list_root_causes_sync (store, &error);
    g_autofree char *sql = NULL;

    g_assert_no_error (error);
    if (causes->len == 0)
      {
        /* a few root-cause tags, so the Pareto query has something to add up */
        g_autofree char *cause = assay_store_kpi_add_root_cause_sync (store, "process",
                                                                     "bench", &error);

        sql = g_strdup_printf ("INSERT INTO root_cause_tag (id, root_cause_id, kind, object_id,"
                               " created_at, contact_at, contact_team_id)"
                               " SELECT 'bench-' || e.id, '%s', 'evaluation', e.id, 0,"
                               " i.started_at, i.team_id FROM evaluation e"
                               " JOIN interaction i ON i.id = e.interaction_id"
                               " WHERE e.rowid %% 50 = 0", cause);
        test_db_exec (store, sql);
      }
  }
  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    {
      int from = periods[p].days > 0 ? last_day - periods[p].days + 1 : first_day;
      const char *scopes[] = { "agent", "team", "centre" };

      for (int scope = 0; scope < 3; scope++)
        {
          Job job = { { scope, NULL, from, last_day, 0 }, 0 };
          g_autofree char *what = NULL;

          if (scope == ASSAY_KPI_SCOPE_AGENT)
            job.query.subject = "E1001";
          else if (scope == ASSAY_KPI_SCOPE_TEAM)
            job.query.subject = "Billing & Accounts";
          what = g_strdup_printf ("scorecard %s, %s", scopes[scope], periods[p].name);
          measure (what, scorecard_job, &job);
        }
    }

  /* each KPI on its own, over a month of the centre (the widest a figure card reads) */
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      Job job = { { ASSAY_KPI_SCOPE_CENTRE, NULL, last_day - 29, last_day, 0 }, 0 };
      g_autofree char *what = g_strdup_printf ("figure %s, centre, month", assay_kpi_line_key (line));

      job.line = line;

      measure (what, figure_job, &job);
    }
  {
    Job job = { { ASSAY_KPI_SCOPE_CENTRE, NULL, last_day - 29, last_day, 0 }, 0 };

    measure ("low-score callbacks (newest 500), month", callbacks_job, &job);
    measure ("root-cause Pareto, month", pareto_job, &job);
  }

  /* the monthly QC report of the last whole month of the data, beside its 5 s target */
  {
    g_autoptr(GDate) date = g_date_new_dmy (1, G_DATE_JANUARY, 1970);
    g_autofree char *dir = g_dir_make_tmp ("assay-bench-report-XXXXXX", NULL);
    g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
    AssayReportOptions options = { 0 };
    double ms[3];

    g_date_add_days (date, (guint) last_day);
    g_date_subtract_months (date, 1);
    options.year = g_date_get_year (date);
    options.month = g_date_get_month (date);
    for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
      {
        g_timer_start (timer);
        g_assert_true (assay_report_write_pdf_sync (store, &options, pdf, NULL, NULL, NULL, &error));
        g_assert_no_error (error);
        ms[i] = g_timer_elapsed (timer, NULL) * 1000.0;
      }
    g_print ("%-40s first %6.0f ms, then %6.0f and %6.0f ms  target %5.0f ms%s\n",
             "monthly QC report (PDF), centre", ms[0], ms[1], ms[2], 5000.0,
             MAX (ms[1], ms[2]) > 5000.0 ? " (over)" : "");
    g_unlink (pdf);
    g_rmdir (dir);
  }

  g_timer_start (timer);
  g_assert_true (assay_store_kpi_check_sync (store, &check, &error));
  g_print ("summaries checked against a recomputation: %.1f s, %" G_GINT64_FORMAT " + %"
           G_GINT64_FORMAT " rows differ (no target; `assayctl kpi rebuild --check`)\n",
           g_timer_elapsed (timer, NULL), check.contact_diff, check.qa_diff);
  assay_store_close (store);
  g_object_unref (store);
  if (temporary_dir != NULL)
    {
      static const char *const files[] = { "bench-kpi.db", "bench-kpi.db-wal", "bench-kpi.db-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *file = g_build_filename (temporary_dir, files[i], NULL);

          g_unlink (file);
        }
      g_rmdir (temporary_dir);
      g_free (temporary_dir);
    }
  return 0;
}
