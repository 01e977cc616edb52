/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The monthly QC report: `assayctl report` read back with pdftotext holds the figures of
 * `assayctl kpi` for the same month, in English and Chinese, with the fonts embedded; the CSV
 * tables; bad input; cancelling and progress of the in-process renderer.
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "report/assay-report.h"
#include "store/assay-store-directory.h"
#include "store/assay-store-kpi.h"
#include "test-db.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *dir;        /* the test's temporary folder */

/* fontconfig keeps its configuration for the life of the process; under LeakSanitizer (the ASan
 * build) that is not a leak of ours, in this program or in the assayctl it runs */
#define FONTCONFIG_SUPPRESSION "leak:libfontconfig.so\n"
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return FONTCONFIG_SUPPRESSION;
}

static void
run_argv (Run                *run,
          const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *localedir = g_build_filename (g_getenv ("ASSAY_BUILD_ROOT"), "po", NULL);
  g_autofree char *supp = g_build_filename (dir, "lsan.supp", NULL);
  g_autofree char *lsan = g_strconcat ("suppressions=", supp, NULL);

  g_subprocess_launcher_setenv (launcher, "ASSAY_LOCALEDIR", localedir, TRUE);
  g_assert_true (g_file_set_contents (supp, FONTCONFIG_SUPPRESSION, -1, NULL));
  g_subprocess_launcher_setenv (launcher, "LSAN_OPTIONS", lsan, TRUE);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
  g_test_message ("%s: exit %d\nstderr:\n%s", argv[0], run->status, run->err);
}

static void
run_assayctl (Run *run,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("ASSAYCTL"));
  g_assert_nonnull (args->pdata[0]);
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  run_argv (run, (const char * const *) args->pdata);
}

static char *db_path;
static char *month;      /* YYYY-MM, the previous calendar month, fully seeded */
static char *from;
static char *to;
static char *team_name;  /* a team with a target of its own */

static void
make_centre (void)
{
  g_autofree char *forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo",
                                             "forms", NULL);
  g_autofree char *empty = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) first = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now), 1, 0, 0, 0);
  g_autoptr(GDateTime) prev = g_date_time_add_months (first, -1);
  g_autoptr(GDateTime) last = g_date_time_add_days (first, -1);
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  char *id;

  dir = g_dir_make_tmp ("assay-report-XXXXXX", NULL);
  empty = g_build_filename (dir, "no-recordings", NULL);
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  db_path = g_build_filename (dir, "assay.db", NULL);
  /* 70 days always hold the whole previous month */
  run_assayctl (&run, "--database", db_path, "seed", "--interactions", "6000", "--days", "70",
                "--evaluations", "900", "--forms", forms, "--recordings", empty, NULL);
  g_assert_cmpint (run.status, ==, 0);
  month = g_date_time_format (prev, "%Y-%m");
  from = g_date_time_format (prev, "%Y-%m-%d");
  to = g_date_time_format (last, "%Y-%m-%d");

  /* targets: the centre's QA score and CSAT, and a team's own QA score */
  store = assay_store_new (db_path);
  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);
  id = assay_store_kpi_set_target_sync (store, NULL, ASSAY_KPI_LINE_QA_SCORE, 95, 90, 0, &error);
  g_assert_no_error (error);
  g_free (id);
  id = assay_store_kpi_set_target_sync (store, NULL, ASSAY_KPI_LINE_CSAT, 50, 40, 0, &error);
  g_assert_no_error (error);
  g_free (id);
  teams = assay_store_list_teams_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teams->len, >=, 2);
  for (guint i = 0; i < teams->len && team_name == NULL; i++)
    {
      AssayTeam *team = g_ptr_array_index (teams, i);

      if (assay_team_get_id (team) == NULL)
        continue;
      team_name = g_strdup (assay_team_get_name (team));
      id = assay_store_kpi_set_target_sync (store, assay_team_get_id (team),
                                            ASSAY_KPI_LINE_QA_SCORE, 60, 50, 0, &error);
      g_assert_no_error (error);
      g_free (id);
    }
  assay_store_close (store);
}

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_auto(Run) run = { 0 };

  run_argv (&run, argv);
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

/* pdftotext keeps the words of a table cell but not the spaces between cells: compare without
 * white space */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* the report prints one decimal; the JSON four, already rounded: either neighbour of a tie */
static gboolean
holds_value (const char *squeezed,
             double      value)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (a, sizeof a, "%.1f", value - 0.00006);
  g_ascii_formatd (b, sizeof b, "%.1f", value + 0.00006);
  return strstr (squeezed, a) != NULL || strstr (squeezed, b) != NULL;
}

static JsonObject *
kpi_json (JsonParser *parser,
          const char *scope,
          const char *subject)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GError) error = NULL;

  if (subject != NULL)
    run_assayctl (&run, "--database", db_path, "kpi", scope, subject, "--from", from, "--to", to,
                  "--json", NULL);
  else
    run_assayctl (&run, "--database", db_path, "kpi", scope, "--from", from, "--to", to,
                  "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static const char *const keys[] = {
  "qa_score", "score_without_fatal", "critical_score", "critical_fail_rate", "csat", "nps", "fcr",
  "service_level", "first_response_s", "sla_attainment",
};

/* every known figure of @kpi, its n, and the words of the statuses @words[status] */
static void
check_figures (const char *squeezed,
               JsonObject *kpi,
               const char *const *status_words)
{
  guint known = 0;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonObject *o = json_object_get_object_member (kpi, keys[i]);
      JsonNode *value = json_object_get_member (o, "value");
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "n"));

      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      known++;
      if (!holds_value (squeezed, json_node_get_double (value)))
        g_error ("%s = %f is not in the report", keys[i], json_node_get_double (value));
      g_assert_nonnull (strstr (squeezed, n));
    }
  g_assert_cmpuint (known, >=, 8);
  /* the centre's QA score target 95 / warning 90, CSAT 50 / 40: printed, with their status */
  g_assert_true (holds_value (squeezed, 95) && holds_value (squeezed, 90));
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_object_get_object_member (kpi, i == 0 ? "qa_score" : "csat");
      const char *status = json_object_get_string_member (o, "status");

      if (strcmp (status, "breach") == 0)
        g_assert_nonnull (strstr (squeezed, status_words[0]));
      else if (strcmp (status, "on_target") == 0)
        g_assert_nonnull (strstr (squeezed, status_words[1]));
    }
}

static void
test_english (void)
{
  g_autofree char *pdf = g_build_filename (dir, "report-en.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) team_parser = json_parser_new ();
  g_autofree char *title = NULL;
  const char *const words[] = { "breach", "ontarget" };
  g_auto(Run) run = { 0 };
  JsonObject *kpi, *team;

  run_assayctl (&run, "--database", db_path, "report", "--month", month, "--lang", "en", "-o", pdf,
                NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
  text = pdf_text (pdf);
  squeezed = squeeze (text);
  g_assert_nonnull (strstr (text, "Monthly QC report"));
  g_assert_nonnull (strstr (text, "Headline figures against targets"));
  g_assert_nonnull (strstr (text, "Low-score callbacks"));
  title = g_strdup_printf ("Contactsstarted%sto%s", from, to);
  g_assert_nonnull (strstr (squeezed, title));
  kpi = kpi_json (parser, "--centre", NULL);
  check_figures (squeezed, kpi, words);

  /* a page per team, with the team's own figures */
  team = kpi_json (team_parser, "--team", team_name);
  {
    g_autofree char *heading = g_strdup_printf ("Team %s", team_name);
    JsonObject *qa = json_object_get_object_member (team, "qa_score");

    g_assert_nonnull (strstr (text, heading));
    g_assert_true (holds_value (squeezed, json_object_get_double_member (qa, "value")));
    g_assert_true (holds_value (squeezed, 60));   /* the team's own target */
  }
}

static void
test_chinese_fonts_embedded (void)
{
  g_autofree char *pdf = g_build_filename (dir, "report-zh.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *const words[] = { "超限", "达标" };
  const char *fonts_argv[] = { "pdffonts", pdf, NULL };
  g_auto(Run) run = { 0 };
  g_auto(Run) fonts = { 0 };
  g_auto(GStrv) lines = NULL;
  gboolean cjk = FALSE;

  run_assayctl (&run, "--database", db_path, "report", "--month", month, "--lang", "zh_CN",
                "-o", pdf, NULL);
  g_assert_cmpint (run.status, ==, 0);
  text = pdf_text (pdf);
  squeezed = squeeze (text);
  g_assert_nonnull (strstr (text, "月度质检报告"));
  g_assert_nonnull (strstr (text, "主要指标与目标对比"));
  g_assert_nonnull (strstr (text, "质检得分"));
  g_assert_null (strstr (text, "Headline figures"));
  check_figures (squeezed, kpi_json (parser, "--centre", NULL), words);

  /* every font is embedded (a subset), a CJK one among them */
  run_argv (&fonts, fonts_argv);
  g_assert_cmpint (fonts.status, ==, 0);
  lines = g_strsplit (fonts.out, "\n", -1);
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) split = NULL;
      const char *cols[32];
      guint n = 0;

      if (lines[i][0] == '\0')
        continue;
      split = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      /* name type... encoding emb sub uni object ID: emb is the fifth column from the end */
      for (guint c = 0; split[c] != NULL && n < G_N_ELEMENTS (cols); c++)
        if (split[c][0] != '\0')
          cols[n++] = split[c];
      g_assert_cmpuint (n, >=, 6);
      g_assert_cmpstr (cols[n - 5], ==, "yes");
      g_assert_cmpstr (cols[n - 4], ==, "yes");
      cjk = cjk || strstr (lines[i], "WenQuanYi") != NULL;
    }
  g_assert_true (cjk);
}

static void
test_team_report_and_csv (void)
{
  g_autofree char *pdf = g_build_filename (dir, "report-team.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "csv", NULL);
  g_autofree char *kpis_path = g_build_filename (csv, "kpis.csv", NULL);
  g_autofree char *kpis = NULL;
  g_autofree char *text = NULL;
  g_autofree char *heading = g_strdup_printf ("Team %s", team_name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) rows = NULL;
  g_auto(Run) run = { 0 };
  const char *files[] = { "weeks.csv", "teams.csv", "root-causes.csv", "callbacks.csv" };
  JsonObject *team, *qa;
  gboolean found = FALSE;

  run_assayctl (&run, "--database", db_path, "report", "--month", month, "--team", team_name,
                "--lang", "en", "-o", pdf, "--csv", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, heading));
  g_assert_null (strstr (text, "The whole centre"));

  team = kpi_json (parser, "--team", team_name);
  qa = json_object_get_object_member (team, "qa_score");
  g_assert_true (g_file_get_contents (kpis_path, &kpis, NULL, NULL));
  rows = g_strsplit (kpis, "\n", -1);
  g_assert_cmpstr (rows[0], ==, "scope,line,value,n,ci95_lo,ci95_hi,target,warning,status");
  g_assert_cmpuint (g_strv_length (rows), ==, 1 + ASSAY_KPI_N_LINES + 1);   /* and the last \n */
  for (guint i = 1; rows[i] != NULL; i++)
    if (strstr (rows[i], ",qa_score,") != NULL)
      {
        g_auto(GStrv) cells = g_strsplit (rows[i], ",", -1);

        g_assert_cmpstr (cells[0], ==, team_name);
        g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[2], NULL),
                                        json_object_get_double_member (qa, "value"), 0.00011);
        g_assert_cmpint (g_ascii_strtoll (cells[3], NULL, 10), ==,
                         json_object_get_int_member (qa, "n"));
        g_assert_cmpfloat (g_ascii_strtod (cells[6], NULL), ==, 60);
        g_assert_cmpstr (cells[8], ==, json_object_get_string_member (qa, "status"));
        found = TRUE;
      }
  g_assert_true (found);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (csv, files[i], NULL);
      g_autofree char *contents = NULL;

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_nonnull (strchr (contents, '\n'));
    }
}

static void
test_bad_input (void)
{
  g_autofree char *pdf = g_build_filename (dir, "bad.pdf", NULL);
  struct { const char *args[4]; const char *says; } cases[] = {
    { { "--month", "2026-13", NULL }, "--month YYYY-MM" },
    { { "--month", "november", NULL }, "--month YYYY-MM" },
    { { "--month", month, "--lang", "fr" }, "zh_CN, zh_TW or en" },
    { { "--month", month, "--team", "No such team" }, "No such team" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      if (cases[i].args[2] != NULL)
        run_assayctl (&run, "--database", db_path, "report", cases[i].args[0], cases[i].args[1],
                      cases[i].args[2], cases[i].args[3], "-o", pdf, NULL);
      else
        run_assayctl (&run, "--database", db_path, "report", cases[i].args[0], cases[i].args[1],
                      "-o", pdf, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].says));
      g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
    }
  {
    g_auto(Run) run = { 0 };

    run_assayctl (&run, "--database", db_path, "report", "--month", month, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "-o FILE.pdf"));
  }
}

/* in process: cancelling leaves no file; progress rises to 1 and the file is whole */
typedef struct {
  GArray   *fractions;
  GMutex    lock;
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Progress;

static void
on_progress (double   fraction,
             gpointer data)
{
  Progress *p = data;

  g_mutex_lock (&p->lock);
  g_array_append_val (p->fractions, fraction);
  g_mutex_unlock (&p->lock);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Progress *p = data;

  p->ok = assay_report_write_pdf_finish (ASSAY_STORE (source), result, &p->error);
  p->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Progress *) data)->done;
}

static void
test_cancel_and_progress (void)
{
  g_autofree char *pdf = g_build_filename (dir, "in-process.pdf", NULL);
  g_autofree char *part = g_strconcat (pdf, ".part", NULL);
  g_autoptr(AssayStore) store = assay_store_new (db_path);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AssayReportOptions options = { 0 };
  Progress p = { 0 };

  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_true (sscanf (month, "%d-%d", &options.year, &options.month) == 2);
  g_cancellable_cancel (cancelled);
  g_assert_false (assay_report_write_pdf_sync (store, &options, pdf, NULL, NULL, cancelled,
                                               &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  p.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_mutex_init (&p.lock);
  assay_report_write_pdf_async (store, &options, pdf, on_progress, &p, NULL, on_written, &p);
  test_wait_until (is_done, &p, 120);
  g_assert_no_error (p.error);
  g_assert_true (p.ok);
  g_assert_cmpuint (p.fractions->len, >=, 3);
  for (guint i = 1; i < p.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (p.fractions, double, i), >=,
                       g_array_index (p.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (p.fractions, double, p.fractions->len - 1), ==, 1.0);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "Low-score callbacks"));
  g_array_unref (p.fractions);
  g_mutex_clear (&p.lock);

  /* a month that is no month */
  options.month = 13;
  g_assert_false (assay_report_write_pdf_sync (store, &options, pdf, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  assay_store_close (store);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  make_centre ();
  g_test_add_func ("/report/english", test_english);
  g_test_add_func ("/report/chinese-fonts-embedded", test_chinese_fonts_embedded);
  g_test_add_func ("/report/team-and-csv", test_team_report_and_csv);
  g_test_add_func ("/report/bad-input", test_bad_input);
  g_test_add_func ("/report/cancel-and-progress", test_cancel_and_progress);
  status = g_test_run ();
  g_free (db_path);
  g_free (month);
  g_free (from);
  g_free (to);
  g_free (team_name);
  g_free (dir);
  return status;
}
