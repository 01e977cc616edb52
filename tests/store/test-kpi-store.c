/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assay-store-evaluations.h"
#include "assay-store-kpi.h"
#include "assay-store-seed.h"
#include "core/assay-util.h"
#include "test-db.h"

/*
 * Every scorecard figure against a naive recomputation written here, straight over the
 * interactions and evaluations (its own SQL, its own arithmetic), on a seeded centre; and the
 * summary tables against a rebuild after random writes. The program runs in the time zone given
 * with --time-zone (meson runs it in UTC, Asia/Kolkata and America/New_York).
 */

/* 2026-03-30 12:00 UTC: 60 days back covers the US and the EU switch to summer time */
#define END_MS G_GINT64_CONSTANT (1774872000000)
#define N_DAYS 60

typedef struct {
  char       *dir;
  char       *path;
  AssayStore *store;
  sqlite3    *db;        /* a connection of the test's own, for the naive recomputation */
  int         first_day;
  int         last_day;
} Centre;

static Centre *centre;

static char *
forms_dir (void)
{
  const char *root = g_getenv ("ASSAY_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "data", "demo", "forms", NULL);
}

static int
local_day_of_ms (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);

  return assay_kpi_day_from_ymd (g_date_time_get_year (dt), g_date_time_get_month (dt),
                                 g_date_time_get_day_of_month (dt));
}

/* the first UTC ms of a local day, computed here from the date, not by the store */
static gint64
local_midnight_ms (int day)
{
  g_autofree char *text = assay_kpi_day_format (day);
  int y, m, d;
  g_autoptr(GDateTime) dt = NULL;

  g_assert_cmpint (sscanf (text, "%d-%d-%d", &y, &m, &d), ==, 3);
  dt = g_date_time_new_local (y, m, d, 0, 0, 0);
  return g_date_time_to_unix (dt) * 1000;
}

static void
centre_free (Centre *c)
{
  sqlite3_close_v2 (c->db);
  assay_store_close (c->store);
  g_object_unref (c->store);
  g_free (c->path);
  g_free (c->dir);
  g_free (c);
}

static Centre *
centre_new (guint n_interactions,
            guint n_evaluations)
{
  Centre *c = g_new0 (Centre, 1);
  g_autofree char *forms = forms_dir ();
  g_autoptr(GError) error = NULL;
  AssaySeedOptions options;
  AssaySeedSummary summary = { 0 };

  c->dir = g_dir_make_tmp ("assay-kpi-XXXXXX", NULL);
  c->path = g_build_filename (c->dir, "assay.db", NULL);
  c->store = assay_store_new (c->path);
  g_assert_true (assay_store_open_sync (c->store, &error));
  assay_seed_options_init (&options);
  options.n_interactions = n_interactions;
  options.n_days = N_DAYS;
  options.end_ms = END_MS;
  options.forms_dir = forms;
  options.n_evaluations = n_evaluations;
  g_assert_true (assay_store_seed_sync (c->store, &options, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_evaluations, >=, n_evaluations);
  c->first_day = local_day_of_ms (summary.first_ms);
  c->last_day = local_day_of_ms (summary.last_ms);
  assay_seed_summary_clear (&summary);
  g_assert_cmpint (sqlite3_open_v2 (c->path, &c->db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return c;
}

/* ---- the naive recomputation ---- */

static AssayKpiEstimate
mean_of (GArray *values)
{
  AssayKpiEstimate e = { 0 };
  guint n = values->len;
  double mean = 0, ss = 0, half;

  if (n == 0)
    return e;
  for (guint i = 0; i < n; i++)
    mean += g_array_index (values, double, i);
  mean /= n;
  for (guint i = 0; i < n; i++)
    {
      double d = g_array_index (values, double, i) - mean;

      ss += d * d;
    }
  e.known = TRUE;
  e.n = n;
  e.value = mean;
  e.ci_lo = e.ci_hi = mean;
  if (n >= 2)
    {
      half = assay_kpi_t_quantile (0.975, n - 1) * sqrt (ss / (n - 1)) / sqrt (n);
      e.has_ci = TRUE;
      e.ci_lo = mean - half;
      e.ci_hi = mean + half;
    }
  return e;
}

/* a share with the Wilson interval written out: (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n) */
static AssayKpiEstimate
share_of (gint64 part,
          gint64 n)
{
  AssayKpiEstimate e = { 0 };
  double z = 1.959963984540054, p, d, c, h;

  if (n == 0)
    return e;
  p = (double) part / n;
  d = 1 + z * z / n;
  c = (p + z * z / (2.0 * n)) / d;
  h = z * sqrt (p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
  e.known = TRUE;
  e.has_ci = TRUE;
  e.n = n;
  e.value = 100.0 * p;
  e.ci_lo = 100.0 * MAX (0.0, c - h);
  e.ci_hi = 100.0 * MIN (1.0, c + h);
  return e;
}

typedef struct {
  AssayKpiEstimate line[ASSAY_KPI_N_LINES];
} Naive;

static const char *
scope_where (AssayKpiScope scope)
{
  switch (scope)
    {
    case ASSAY_KPI_SCOPE_AGENT:
      return " AND i.agent_id = (SELECT id FROM agent WHERE employee_code = ?3)";
    case ASSAY_KPI_SCOPE_TEAM:
      return " AND i.team_id = (SELECT id FROM team WHERE name = ?3)";
    case ASSAY_KPI_SCOPE_CENTRE:
    default:
      return " AND ?3 IS NULL";
    }
}

static sqlite3_stmt *
naive_prepare (sqlite3       *db,
               const char    *select,
               AssayKpiScope  scope,
               const char    *subject,
               gint64         from_ms,
               gint64         to_ms)
{
  g_autofree char *sql = g_strconcat (select, " WHERE i.started_at >= ?1 AND i.started_at < ?2",
                                      scope_where (scope), NULL);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  if (scope == ASSAY_KPI_SCOPE_CENTRE)
    sqlite3_bind_null (stmt, 3);
  else
    sqlite3_bind_text (stmt, 3, subject, -1, SQLITE_TRANSIENT);
  return stmt;
}

static double
json_number (JsonObject *o,
             const char *member,
             gboolean   *present)
{
  JsonNode *n = json_object_get_member (o, member);

  *present = n != NULL && !json_node_is_null (n);
  return *present ? json_node_get_double (n) : 0.0;
}

static void
naive_compute (sqlite3       *db,
               AssayKpiScope  scope,
               const char    *subject,
               int            from_day,
               int            to_day,
               Naive         *out)
{
  gint64 from_ms = local_midnight_ms (from_day), to_ms = local_midnight_ms (to_day + 1);
  gint64 csat_n = 0, csat_ok = 0, nps_n = 0, nps_pro = 0, nps_det = 0, fcr_n = 0, fcr_ok = 0;
  gint64 sl_n = 0, sl_ok = 0, sla_n = 0, sla_ok = 0, evals = 0, fatal = 0;
  GArray *aht[ASSAY_KPI_N_CHANNELS];
  g_autoptr(GArray) fr = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) qa = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) nf = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) crit = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_stmt *stmt;

  for (int c = 0; c < ASSAY_KPI_N_CHANNELS; c++)
    aht[c] = g_array_new (FALSE, FALSE, sizeof (double));

  stmt = naive_prepare (db, "SELECT i.channel, i.abandoned, i.talk_s, i.hold_s, i.wrap_s, i.csat,"
                            " i.nps, i.fcr, i.answered_in_sl, i.first_response_s,"
                            " i.priority, i.first_response_target_s, i.resolution_s,"
                            " i.resolution_target_s FROM interaction i",
                        scope, subject, from_ms, to_ms);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *channel = (const char *) sqlite3_column_text (stmt, 0);
      int ch = strcmp (channel, "phone") == 0 ? 0 : strcmp (channel, "chat") == 0 ? 1
               : strcmp (channel, "email") == 0 ? 2 : 3;
      gboolean null[14];

      for (int k = 0; k < 14; k++)
        null[k] = sqlite3_column_type (stmt, k) == SQLITE_NULL;
      if (sqlite3_column_int (stmt, 1) == 0)
        {
          double h = sqlite3_column_int (stmt, 2) + sqlite3_column_int (stmt, 3)
                     + sqlite3_column_int (stmt, 4);

          g_array_append_val (aht[ch], h);
        }
      if (!null[5])
        csat_n++, csat_ok += sqlite3_column_int (stmt, 5) >= 4;
      if (!null[6])
        {
          int v = sqlite3_column_int (stmt, 6);

          nps_n++;
          nps_pro += v >= 9;
          nps_det += v <= 6;
        }
      if (!null[7])
        fcr_n++, fcr_ok += sqlite3_column_int (stmt, 7);
      if (!null[8])
        sl_n++, sl_ok += sqlite3_column_int (stmt, 8);
      if (!null[9] && ch != 0)
        {
          double v = sqlite3_column_int (stmt, 9);

          g_array_append_val (fr, v);
        }
      if (!null[10] && (!null[11] || !null[13]))
        {
          gboolean met = TRUE;

          if (!null[11])
            met = met && !null[9] && sqlite3_column_int (stmt, 9) <= sqlite3_column_int (stmt, 11);
          if (!null[13])
            met = met && !null[12] && sqlite3_column_int (stmt, 12) <= sqlite3_column_int (stmt, 13);
          sla_n++;
          sla_ok += met;
        }
    }
  sqlite3_finalize (stmt);

  stmt = naive_prepare (db, "SELECT r.score, r.results FROM evaluation e"
                            " JOIN evaluation_revision r ON r.id = e.current_revision_id"
                            " JOIN interaction i ON i.id = e.interaction_id AND e.state = 'submitted'",
                        scope, subject, from_ms, to_ms);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;
      JsonArray *failed;
      gboolean present;
      double v;

      evals++;
      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        {
          v = sqlite3_column_double (stmt, 0);
          g_array_append_val (qa, v);
        }
      /* results that are not JSON give no figures beyond the score */
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL
          || !json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 1),
                                          -1, NULL))
        continue;
      o = json_node_get_object (json_parser_get_root (parser));
      v = json_number (o, "without_fatal", &present);
      if (present)
        g_array_append_val (nf, v);
      v = json_number (o, "critical", &present);
      if (present)
        g_array_append_val (crit, v);
      failed = json_object_has_member (o, "fatal_failed")
               ? json_object_get_array_member (o, "fatal_failed") : NULL;
      fatal += failed != NULL && json_array_get_length (failed) > 0;
    }
  sqlite3_finalize (stmt);

  out->line[ASSAY_KPI_LINE_QA_SCORE] = mean_of (qa);
  out->line[ASSAY_KPI_LINE_SCORE_WITHOUT_FATAL] = mean_of (nf);
  out->line[ASSAY_KPI_LINE_CRITICAL_SCORE] = mean_of (crit);
  out->line[ASSAY_KPI_LINE_CRITICAL_FAIL_RATE] = share_of (fatal, evals);
  out->line[ASSAY_KPI_LINE_CSAT] = share_of (csat_ok, csat_n);
  /* NPS: the mean of +100, 0, −100 per answer */
  {
    g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));

    for (gint64 k = 0; k < nps_n; k++)
      {
        double v = k < nps_pro ? 100.0 : k < nps_pro + nps_det ? -100.0 : 0.0;

        g_array_append_val (points, v);
      }
    out->line[ASSAY_KPI_LINE_NPS] = mean_of (points);
    /* an NPS interval never leaves −100 … 100 */
    out->line[ASSAY_KPI_LINE_NPS].ci_lo = MAX (-100.0, out->line[ASSAY_KPI_LINE_NPS].ci_lo);
    out->line[ASSAY_KPI_LINE_NPS].ci_hi = MIN (100.0, out->line[ASSAY_KPI_LINE_NPS].ci_hi);
  }
  out->line[ASSAY_KPI_LINE_FCR] = share_of (fcr_ok, fcr_n);
  for (int c = 0; c < ASSAY_KPI_N_CHANNELS; c++)
    {
      out->line[ASSAY_KPI_LINE_AHT_PHONE + c] = mean_of (aht[c]);
      g_array_unref (aht[c]);
    }
  out->line[ASSAY_KPI_LINE_SERVICE_LEVEL] = share_of (sl_ok, sl_n);
  out->line[ASSAY_KPI_LINE_FIRST_RESPONSE] = mean_of (fr);
  out->line[ASSAY_KPI_LINE_SLA_ATTAINMENT] = share_of (sla_ok, sla_n);
}

static void
assert_estimate (const char             *what,
                 AssayKpiLine            line,
                 const AssayKpiEstimate *got,
                 const AssayKpiEstimate *want)
{
  /* QA scores are summed in 1/10,000 points; everything else exactly */
  gboolean qa = line <= ASSAY_KPI_LINE_CRITICAL_SCORE;
  double eps = qa ? 1e-4 : 1e-7 * MAX (1.0, fabs (want->value));

  if (got->known != want->known || got->n != want->n
      || (want->known && fabs (got->value - want->value) > eps)
      || got->has_ci != want->has_ci
      || (want->has_ci && (fabs (got->ci_lo - want->ci_lo) > (qa ? 1e-3 : eps)
                           || fabs (got->ci_hi - want->ci_hi) > (qa ? 1e-3 : eps))))
    g_error ("%s %s: got %s %.9f n=%" G_GINT64_FORMAT " [%.9f, %.9f], want %s %.9f n=%"
             G_GINT64_FORMAT " [%.9f, %.9f]", what, assay_kpi_line_key (line),
             got->known ? "known" : "unknown", got->value, got->n, got->ci_lo, got->ci_hi,
             want->known ? "known" : "unknown", want->value, want->n, want->ci_lo, want->ci_hi);
}

static AssayKpiScorecard *
scorecard (AssayKpiScope  scope,
           const char    *subject,
           int            from_day,
           int            to_day)
{
  AssayKpiQuery q = { scope, subject, from_day, to_day, 0 };
  g_autoptr(GError) error = NULL;
  AssayKpiScorecard *card = assay_store_kpi_scorecard_sync (centre->store, &q, &error);

  g_assert_no_error (error);
  g_assert_nonnull (card);
  return card;
}

static void
compare_with_naive (AssayKpiScope  scope,
                    const char    *subject,
                    int            from_day,
                    int            to_day)
{
  g_autoptr(AssayKpiScorecard) card = scorecard (scope, subject, from_day, to_day);
  g_autofree char *from = assay_kpi_day_format (from_day);
  g_autofree char *to = assay_kpi_day_format (to_day);
  g_autofree char *what = g_strdup_printf ("%s %s %s–%s",
                                           scope == ASSAY_KPI_SCOPE_AGENT ? "agent" :
                                           scope == ASSAY_KPI_SCOPE_TEAM ? "team" : "centre",
                                           subject ? subject : "", from, to);
  Naive naive;
  Naive week;

  naive_compute (centre->db, scope, subject, from_day, to_day, &naive);
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    assert_estimate (what, line, &card->figures[line].estimate, &naive.line[line]);

  /* the weekly trend: each week cut to the period, in order */
  g_assert_cmpint (g_array_index (card->weeks, AssayKpiWeek, 0).from_day, ==, from_day);
  g_assert_cmpint (g_array_index (card->weeks, AssayKpiWeek, card->weeks->len - 1).to_day, ==,
                   to_day);
  for (guint w = 0; w < card->weeks->len; w++)
    {
      const AssayKpiWeek *wk = &g_array_index (card->weeks, AssayKpiWeek, w);

      g_assert_cmpint (wk->to_day - wk->from_day, <=, 6);
      g_assert_true (w == 0 || assay_kpi_day_weekday (wk->from_day) == 1);
      g_assert_true (w + 1 == card->weeks->len || assay_kpi_day_weekday (wk->to_day) == 7);
      if (w % 2 == 0)   /* half of them, to keep the test quick */
        {
          g_autofree char *week_what = g_strdup_printf ("%s week %u", what, w);

          naive_compute (centre->db, scope, subject, wk->from_day, wk->to_day, &week);
          for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
            assert_estimate (week_what, line, &wk->figures[line].estimate, &week.line[line]);
        }
    }

  /* the centre beside it */
  if (scope != ASSAY_KPI_SCOPE_CENTRE)
    {
      naive_compute (centre->db, ASSAY_KPI_SCOPE_CENTRE, NULL, from_day, to_day, &naive);
      for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
        assert_estimate ("centre beside", line, &card->centre[line].estimate, &naive.line[line]);
    }
  if (scope == ASSAY_KPI_SCOPE_AGENT)
    {
      g_assert_true (card->has_team);
      naive_compute (centre->db, ASSAY_KPI_SCOPE_TEAM, card->team_name, from_day, to_day, &naive);
      for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
        assert_estimate ("team beside", line, &card->team[line].estimate, &naive.line[line]);
    }
}

static GPtrArray *
column_strings (sqlite3    *db,
                const char *sql)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return out;
}

static void
test_naive_random (void)
{
  g_autoptr(GPtrArray) codes = column_strings (centre->db, "SELECT employee_code FROM agent ORDER BY 1");
  g_autoptr(GPtrArray) teams = column_strings (centre->db, "SELECT name FROM team ORDER BY 1");
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  int span = centre->last_day - centre->first_day;

  g_assert_cmpuint (codes->len, >, 5);
  g_assert_cmpint (span, >=, N_DAYS - 2);

  /* the whole period, and a day at either edge */
  compare_with_naive (ASSAY_KPI_SCOPE_CENTRE, NULL, centre->first_day, centre->last_day);
  compare_with_naive (ASSAY_KPI_SCOPE_CENTRE, NULL, centre->first_day, centre->first_day);
  compare_with_naive (ASSAY_KPI_SCOPE_CENTRE, NULL, centre->last_day, centre->last_day);
  /* random periods, agents and teams */
  for (int i = 0; i < 12; i++)
    {
      int from = centre->first_day + g_rand_int_range (rand, -2, span + 1);
      int to = from + g_rand_int_range (rand, 0, 35);
      AssayKpiScope scope = i % 3;
      const char *subject = scope == ASSAY_KPI_SCOPE_AGENT
                            ? g_ptr_array_index (codes, g_rand_int_range (rand, 0, codes->len))
                            : scope == ASSAY_KPI_SCOPE_TEAM
                            ? g_ptr_array_index (teams, g_rand_int_range (rand, 0, teams->len))
                            : NULL;

      compare_with_naive (scope, subject, from, to);
    }
}

/* contacts that start just before and just after a local midnight land on their own days */
static void
test_day_boundaries (void)
{
  g_autoptr(GError) error = NULL;
  int day = centre->first_day + 20;
  gint64 midnight = local_midnight_ms (day);
  g_autofree char *sql = NULL;
  g_autoptr(AssayKpiScorecard) before = NULL;
  g_autoptr(AssayKpiScorecard) after = NULL;
  g_autoptr(AssayKpiScorecard) both = NULL;
  AssayKpiSums sums0 = { 0 };
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_AGENT, "KPI-EDGE", day - 1, day - 1, 0 };

  sql = g_strdup_printf (
    "INSERT INTO agent (id, team_id, name, employee_code) VALUES"
    " ('edge-agent', (SELECT min(id) FROM team), 'Edge Case', 'KPI-EDGE');"
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, started_at, talk_s, csat)"
    " VALUES ('edge-1', 'phone', 'edge', 'edge-agent', (SELECT min(id) FROM team), %" G_GINT64_FORMAT ", 100, 5),"
    " ('edge-2', 'phone', 'edge', 'edge-agent', (SELECT min(id) FROM team), %" G_GINT64_FORMAT ", 300, 1),"
    " ('edge-3', 'phone', 'edge', 'edge-agent', (SELECT min(id) FROM team), %" G_GINT64_FORMAT ", 500, 2);",
    midnight - 1, midnight, midnight + 1000);
  test_db_exec (centre->store, sql);

  before = assay_store_kpi_scorecard_sync (centre->store, &q, &error);
  g_assert_no_error (error);
  q.from_day = q.to_day = day;
  after = assay_store_kpi_scorecard_sync (centre->store, &q, &error);
  q.from_day = day - 1;
  both = assay_store_kpi_scorecard_sync (centre->store, &q, &error);
  g_assert_cmpint (before->figures[ASSAY_KPI_LINE_AHT_PHONE].estimate.n, ==, 1);
  g_assert_cmpfloat (before->figures[ASSAY_KPI_LINE_AHT_PHONE].estimate.value, ==, 100.0);
  g_assert_cmpint (after->figures[ASSAY_KPI_LINE_AHT_PHONE].estimate.n, ==, 2);
  g_assert_cmpfloat (after->figures[ASSAY_KPI_LINE_AHT_PHONE].estimate.value, ==, 400.0);
  g_assert_cmpfloat (after->figures[ASSAY_KPI_LINE_CSAT].estimate.value, ==, 0.0);
  g_assert_cmpint (both->figures[ASSAY_KPI_LINE_CSAT].estimate.n, ==, 3);
  /* two answers: a figure, but too few to judge */
  g_assert_cmpint (after->figures[ASSAY_KPI_LINE_CSAT].status, ==, ASSAY_KPI_STATUS_TOO_FEW);
  g_assert_cmpint (after->figures[ASSAY_KPI_LINE_NPS].status, ==, ASSAY_KPI_STATUS_NO_DATA);
  g_assert_true (assay_store_kpi_sums_sync (centre->store, &q, &sums0, &error));
  g_assert_cmpint (sums0.contacts, ==, 3);

  test_db_exec (centre->store, "DELETE FROM interaction WHERE agent_id = 'edge-agent';"
                               "DELETE FROM agent WHERE id = 'edge-agent';");
}

static void
assert_summaries_match (const char *when)
{
  g_autoptr(GError) error = NULL;
  AssayKpiCheck check = { 0 };

  g_assert_true (assay_store_kpi_check_sync (centre->store, &check, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %" G_GINT64_FORMAT " + %" G_GINT64_FORMAT " rows, %" G_GINT64_FORMAT
                  " + %" G_GINT64_FORMAT " differ", when, check.contact_rows, check.qa_rows,
                  check.contact_diff, check.qa_diff);
  g_assert_cmpint (check.contact_rows, >, 0);
  g_assert_cmpint (check.qa_rows, >, 0);
  if (check.contact_diff != 0 || check.qa_diff != 0)
    g_error ("%s: the summaries differ from a rebuild (%" G_GINT64_FORMAT " contact, %"
             G_GINT64_FORMAT " evaluation rows)", when, check.contact_diff, check.qa_diff);
}

static char *
pick (sqlite3    *db,
      GRand      *rand,
      const char *sql)
{
  g_autoptr(GPtrArray) all = column_strings (db, sql);

  g_assert_cmpuint (all->len, >, 0);
  return g_strdup (g_ptr_array_index (all, g_rand_int_range (rand, 0, all->len)));
}

static void
test_random_writes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autofree char *inspector = pick (centre->db, rand, "SELECT id FROM staff");

  assert_summaries_match ("seeded");
  for (int step = 0; step < 120; step++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *id = NULL;
      g_autofree char *other = NULL;
      int kind = g_rand_int_range (rand, 0, 9);
      gint64 shift = (gint64) g_rand_int_range (rand, -30 * 3600, 30 * 3600) * 1000;

      switch (kind)
        {
        case 0:   /* a new contact, any channel, with or without answers */
          id = g_strdup_printf ("new-%d", step);
          other = pick (centre->db, rand, "SELECT id FROM agent");
          sql = g_strdup_printf (
            "INSERT INTO interaction (id, channel, queue, agent_id, team_id, started_at, talk_s,"
            " hold_s, wrap_s, csat, nps, fcr, answered_in_sl, abandoned, priority,"
            " first_response_s, first_response_target_s, resolution_s, resolution_target_s)"
            " VALUES ('%s', '%s', 'q', '%s', (SELECT team_id FROM agent WHERE id = '%s'),"
            " %" G_GINT64_FORMAT ", %d, %d, %d, %s, %s, %s, %s, %d, %s, %d, %d, %d, %s)",
            id, (const char *[]) { "phone", "chat", "email", "ticket" }[g_rand_int_range (rand, 0, 4)],
            other, other, END_MS - G_GINT64_CONSTANT (20 * 86400000) + shift, g_rand_int_range (rand, 0, 900),
            g_rand_int_range (rand, 0, 60), g_rand_int_range (rand, 0, 90),
            g_rand_boolean (rand) ? "NULL" : "3", g_rand_boolean (rand) ? "NULL" : "9",
            g_rand_boolean (rand) ? "NULL" : "1", g_rand_boolean (rand) ? "NULL" : "0",
            g_rand_int_range (rand, 0, 2), g_rand_boolean (rand) ? "NULL" : "'urgent'",
            g_rand_int_range (rand, 0, 7200), 3600, g_rand_int_range (rand, 0, 90000),
            g_rand_boolean (rand) ? "NULL" : "86400");
          break;
        case 1:   /* answers change */
          id = pick (centre->db, rand, "SELECT id FROM interaction ORDER BY id LIMIT 300");
          sql = g_strdup_printf ("UPDATE interaction SET csat = %d, nps = %d, fcr = NULL,"
                                 " talk_s = talk_s + 7 WHERE id = '%s'",
                                 g_rand_int_range (rand, 1, 6), g_rand_int_range (rand, 0, 11), id);
          break;
        case 2:   /* a contact moves across day boundaries, with its evaluations */
          id = pick (centre->db, rand, "SELECT interaction_id FROM evaluation LIMIT 500");
          sql = g_strdup_printf ("UPDATE interaction SET started_at = started_at + %" G_GINT64_FORMAT
                                 " WHERE id = '%s'", shift, id);
          break;
        case 3:   /* to another agent and team */
          id = pick (centre->db, rand, "SELECT interaction_id FROM evaluation LIMIT 500");
          other = pick (centre->db, rand, "SELECT id FROM agent");
          sql = g_strdup_printf ("UPDATE interaction SET agent_id = '%s', team_id ="
                                 " (SELECT team_id FROM agent WHERE id = '%s'),"
                                 " abandoned = 1 - abandoned WHERE id = '%s'", other, other, id);
          break;
        case 4:   /* an amendment: a new revision, then the pointer */
          id = pick (centre->db, rand, "SELECT id FROM evaluation WHERE state = 'submitted' LIMIT 500");
          sql = g_strdup_printf (
            "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, score, results,"
            " author_id, created_at, reason) SELECT 'am-%d', '%s', max(number) + 1, '{}', %d,"
            " '{\"without_fatal\": %d, \"critical\": null, \"fatal_failed\": [\"x\"]}', '%s', 0,"
            " 'appeal' FROM evaluation_revision WHERE evaluation_id = '%s';"
            "UPDATE evaluation SET current_revision_id = 'am-%d' WHERE id = '%s';",
            step, id, g_rand_int_range (rand, 0, 101), g_rand_int_range (rand, 0, 101), inspector,
            id, step, id);
          break;
        case 5:   /* the pointer first, then the revision */
          id = pick (centre->db, rand, "SELECT id FROM evaluation WHERE state = 'submitted' LIMIT 500");
          sql = g_strdup_printf (
            "UPDATE evaluation SET current_revision_id = 'pf-%d' WHERE id = '%s';"
            "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, score, results,"
            " author_id, created_at) SELECT 'pf-%d', '%s', max(number) + 1, '{}', NULL, 'not json',"
            " '%s', 0 FROM evaluation_revision WHERE evaluation_id = '%s';",
            step, id, step, id, inspector, id);
          break;
        case 6:   /* a new evaluation, submitted before its revision exists */
          id = pick (centre->db, rand, "SELECT id FROM interaction ORDER BY id LIMIT 2000");
          sql = g_strdup_printf (
            "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
            " current_revision_id, created_at, updated_at) VALUES ('ev-%d', '%s',"
            " (SELECT min(id) FROM form_version), '%s', 'submitted', 'evr-%d', 0, 0);"
            "INSERT INTO evaluation_revision (id, evaluation_id, number, answers, score, results,"
            " author_id, created_at) VALUES ('evr-%d', 'ev-%d', 1, '{}', 42.125,"
            " '{\"without_fatal\": 80.5, \"critical\": 100, \"fatal_failed\": []}', '%s', 0);",
            step, id, inspector, step, step, step, inspector);
          break;
        case 7:   /* a submitted evaluation back to draft, or a draft submitted */
          id = pick (centre->db, rand, "SELECT id FROM evaluation ORDER BY id LIMIT 400");
          sql = g_strdup_printf ("UPDATE evaluation SET state = CASE state WHEN 'draft' THEN"
                                 " 'submitted' ELSE 'draft' END WHERE id = '%s'", id);
          break;
        default:  /* a contact without evaluations goes */
          id = pick (centre->db, rand, "SELECT id FROM interaction i WHERE NOT EXISTS (SELECT 1"
                                       " FROM evaluation e WHERE e.interaction_id = i.id)"
                                       " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE"
                                       " a.interaction_id = i.id) ORDER BY id LIMIT 300");
          sql = g_strdup_printf ("DELETE FROM interaction WHERE id = '%s'", id);
          break;
        }
      test_db_exec (centre->store, sql);
      if (step % 40 == 39)
        {
          g_autofree char *when = g_strdup_printf ("after %d random writes", step + 1);

          assert_summaries_match (when);
        }
    }

  /* and the figures still equal the naive ones */
  compare_with_naive (ASSAY_KPI_SCOPE_CENTRE, NULL, centre->first_day, centre->last_day + 2);
}

/* the store's own evaluation workflow (draft, submit, amend) keeps the summaries right */
static void
test_evaluation_workflow (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pick_row = NULL;
  g_autoptr(AssayKpiScorecard) before = NULL;
  g_autoptr(AssayKpiScorecard) drafted = NULL;
  g_autoptr(AssayKpiScorecard) submitted = NULL;
  g_autoptr(AssayKpiScorecard) amended = NULL;
  AssayEvaluationRecord r = { 0 };
  g_autofree char *me = NULL;
  g_autofree char *code = NULL;
  g_autofree char *sql = NULL;
  gint64 started_at;
  int day;
  const AssayKpiEstimate *qa;

  pick_row = column_strings (centre->db,
    "SELECT i.id FROM interaction i WHERE i.abandoned = 0 AND NOT EXISTS (SELECT 1 FROM"
    " evaluation e WHERE e.interaction_id = i.id) ORDER BY i.started_at DESC LIMIT 1");
  sql = g_strdup_printf ("SELECT started_at FROM interaction WHERE id = '%s'",
                         (const char *) g_ptr_array_index (pick_row, 0));
  started_at = test_db_query_int (centre->store, sql);
  day = local_day_of_ms (started_at);
  g_free (sql);
  sql = g_strdup_printf ("SELECT employee_code FROM agent WHERE id = (SELECT agent_id FROM"
                         " interaction WHERE id = '%s')",
                         (const char *) g_ptr_array_index (pick_row, 0));
  {
    g_autoptr(GPtrArray) codes = column_strings (centre->db, sql);

    code = g_strdup (g_ptr_array_index (codes, 0));
  }
  {
    g_autoptr(GPtrArray) staff = column_strings (centre->db, "SELECT id FROM staff WHERE is_me = 1");

    me = g_strdup (g_ptr_array_index (staff, 0));
  }
  before = scorecard (ASSAY_KPI_SCOPE_AGENT, code, day, day);

  r.id = assay_uuid_new ();
  r.interaction_id = g_ptr_array_index (pick_row, 0);
  {
    g_autoptr(GPtrArray) versions = column_strings (centre->db, "SELECT min(id) FROM form_version");

    r.form_version_id = g_strdup (g_ptr_array_index (versions, 0));
  }
  r.inspector_id = me;
  r.answers = (char *) "{\"answers\":{}}";
  r.score = 61.5;
  r.results = (char *) "{\"overall\": 61.5, \"without_fatal\": 70, \"critical\": 50, \"fatal_failed\": []}";
  g_assert_cmpint (assay_store_save_draft_sync (centre->store, &r, &error), >, 0);
  g_assert_no_error (error);
  drafted = scorecard (ASSAY_KPI_SCOPE_AGENT, code, day, day);
  /* a draft is not a figure */
  g_assert_cmpint (drafted->figures[ASSAY_KPI_LINE_QA_SCORE].estimate.n, ==,
                   before->figures[ASSAY_KPI_LINE_QA_SCORE].estimate.n);

  g_assert_cmpint (assay_store_submit_evaluation_sync (centre->store, r.id, me, NULL, &error), ==, 1);
  g_assert_no_error (error);
  submitted = scorecard (ASSAY_KPI_SCOPE_AGENT, code, day, day);
  qa = &submitted->figures[ASSAY_KPI_LINE_QA_SCORE].estimate;
  g_assert_cmpint (qa->n, ==, before->figures[ASSAY_KPI_LINE_QA_SCORE].estimate.n + 1);
  g_assert_cmpint (submitted->sums.qa_e4 - before->sums.qa_e4, ==, 615000);
  g_assert_cmpint (submitted->sums.nf_e4 - before->sums.nf_e4, ==, 700000);
  g_assert_cmpint (submitted->sums.crit_e4 - before->sums.crit_e4, ==, 500000);
  assert_summaries_match ("submitted through the store");

  /* an amendment replaces the score; it does not add an evaluation */
  r.score = 90.25;
  r.results = (char *) "{\"overall\": 0, \"without_fatal\": 90.25, \"critical\": 100, \"fatal_failed\": [\"disclosure\"]}";
  g_assert_cmpint (assay_store_save_draft_sync (centre->store, &r, &error), >, 0);
  g_assert_cmpint (assay_store_submit_evaluation_sync (centre->store, r.id, me, "heard on replay",
                                                       &error), ==, 2);
  g_assert_no_error (error);
  amended = scorecard (ASSAY_KPI_SCOPE_AGENT, code, day, day);
  g_assert_cmpint (amended->figures[ASSAY_KPI_LINE_QA_SCORE].estimate.n, ==, qa->n);
  g_assert_cmpint (amended->sums.qa_e4 - before->sums.qa_e4, ==, 902500);
  g_assert_cmpint (amended->sums.fatal - before->sums.fatal, ==, 1);
  assert_summaries_match ("amended through the store");
  g_free (r.id);
  g_free (r.form_version_id);
}

static void
test_rebuild_and_time_zone (void)
{
  g_autoptr(GError) error = NULL;
  AssayKpiCheck check = { 0 };
  g_autoptr(AssayKpiScorecard) card = NULL;

  /* damage the summaries: a check sees it, a rebuild mends it */
  test_db_exec (centre->store, "UPDATE kpi_contact_day SET csat_ok = csat_ok + 1"
                               " WHERE day = (SELECT min(day) FROM kpi_contact_day);"
                               "DELETE FROM kpi_qa_day WHERE day = (SELECT max(day) FROM kpi_qa_day)");
  g_assert_true (assay_store_kpi_check_sync (centre->store, &check, &error));
  g_assert_cmpint (check.contact_diff, >, 0);
  g_assert_cmpint (check.qa_diff, >, 0);
  g_assert_true (assay_store_kpi_rebuild_sync (centre->store, &check, &error));
  g_assert_cmpint (check.contact_diff, >, 0);
  g_assert_cmpint (check.contact_diff_after, ==, 0);
  g_assert_cmpint (check.qa_diff_after, ==, 0);
  g_assert_false (check.time_zone_changed);
  assert_summaries_match ("rebuilt");

  /* summaries made in another time zone are rebuilt by the first read */
  test_db_exec (centre->store, "UPDATE kpi_summary_state SET value = 'elsewhere'"
                               " WHERE key = 'time_zone';"
                               "UPDATE kpi_contact_day SET contacts = contacts + 5;");
  g_assert_true (assay_store_kpi_check_sync (centre->store, &check, &error));
  g_assert_true (check.time_zone_changed);
  card = scorecard (ASSAY_KPI_SCOPE_CENTRE, NULL, centre->first_day, centre->last_day);
  g_assert_true (assay_store_kpi_check_sync (centre->store, &check, &error));
  g_assert_false (check.time_zone_changed);
  g_assert_cmpint (check.contact_diff, ==, 0);
  compare_with_naive (ASSAY_KPI_SCOPE_CENTRE, NULL, centre->first_day, centre->last_day);
}

static gint64
outbox_count (const char *collection,
              const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE collection = '%s'"
                                          " AND action = '%s'", collection, action);

  return test_db_query_int (centre->store, sql);
}

static void
test_targets (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) teams = column_strings (centre->db, "SELECT id FROM team ORDER BY 1");
  const char *team = g_ptr_array_index (teams, 0);
  g_autofree char *id = NULL;
  g_autofree char *late = NULL;
  g_autofree char *team_target = NULL;
  g_autoptr(AssayKpiScorecard) card = NULL;
  g_autoptr(AssayKpiScorecard) team_card = NULL;
  gint64 ops;
  double csat;

  /* the demo seed sets the centre's targets: this case starts from a centre without any */
  test_db_exec (centre->store, "DELETE FROM kpi_target");
  ops = outbox_count ("kpi_targets", "create");

  /* higher is better: the warning must not be above the target; lower: not below */
  g_assert_null (assay_store_kpi_set_target_sync (centre->store, NULL, ASSAY_KPI_LINE_CSAT, 80, 90,
                                                  0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (assay_store_kpi_set_target_sync (centre->store, NULL, ASSAY_KPI_LINE_AHT_PHONE,
                                                  300, 200, 0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (assay_store_kpi_set_target_sync (centre->store, "no-such-team",
                                                  ASSAY_KPI_LINE_CSAT, 80, 70, 0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (outbox_count ("kpi_targets", "create"), ==, ops);

  card = scorecard (ASSAY_KPI_SCOPE_CENTRE, NULL, centre->first_day, centre->last_day);
  csat = card->figures[ASSAY_KPI_LINE_CSAT].estimate.value;
  g_assert_false (card->figures[ASSAY_KPI_LINE_CSAT].has_target);
  g_assert_cmpint (card->figures[ASSAY_KPI_LINE_CSAT].status, ==, ASSAY_KPI_STATUS_NO_TARGET);
  g_clear_pointer (&card, assay_kpi_scorecard_free);

  /* a centre target the figure misses by a little: warning */
  id = assay_store_kpi_set_target_sync (centre->store, NULL, ASSAY_KPI_LINE_CSAT, csat + 1,
                                        csat - 1, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  /* one from after the period does not count for it */
  late = assay_store_kpi_set_target_sync (centre->store, NULL, ASSAY_KPI_LINE_CSAT, 0, 0,
                                          END_MS + 7 * 86400000LL, &error);
  g_assert_no_error (error);
  /* AHT: lower is better, the centre is well under 10,000 s */
  g_free (assay_store_kpi_set_target_sync (centre->store, NULL, ASSAY_KPI_LINE_AHT_PHONE, 10000,
                                           12000, 0, &error));
  g_assert_cmpint (outbox_count ("kpi_targets", "create"), ==, ops + 3);
  g_assert_cmpint (test_db_query_int (centre->store, "SELECT count(*) FROM kpi_target"
                                                     " WHERE dirty = 1"), ==, 3);

  card = scorecard (ASSAY_KPI_SCOPE_CENTRE, NULL, centre->first_day, centre->last_day);
  g_assert_true (card->figures[ASSAY_KPI_LINE_CSAT].has_target);
  g_assert_cmpfloat (card->figures[ASSAY_KPI_LINE_CSAT].target, ==, csat + 1);
  g_assert_cmpfloat (card->figures[ASSAY_KPI_LINE_CSAT].warning, ==, csat - 1);
  g_assert_cmpint (card->figures[ASSAY_KPI_LINE_CSAT].status, ==, ASSAY_KPI_STATUS_WARNING);
  g_assert_cmpint (card->figures[ASSAY_KPI_LINE_AHT_PHONE].status, ==, ASSAY_KPI_STATUS_ON_TARGET);
  g_assert_cmpint (card->centre[ASSAY_KPI_LINE_CSAT].status, ==, ASSAY_KPI_STATUS_WARNING);

  /* a team's own target wins over the centre's for the team, not for the centre beside it */
  team_target = assay_store_kpi_set_target_sync (centre->store, team, ASSAY_KPI_LINE_CSAT, 100,
                                                 99.5, 0, &error);
  g_assert_no_error (error);
  team_card = scorecard (ASSAY_KPI_SCOPE_TEAM, team, centre->first_day, centre->last_day);
  g_assert_cmpfloat (team_card->figures[ASSAY_KPI_LINE_CSAT].target, ==, 100);
  g_assert_cmpint (team_card->figures[ASSAY_KPI_LINE_CSAT].status, ==, ASSAY_KPI_STATUS_BREACH);
  g_assert_cmpfloat (team_card->centre[ASSAY_KPI_LINE_CSAT].target, ==, csat + 1);
  g_assert_cmpint (team_card->figures[ASSAY_KPI_LINE_AHT_PHONE].status, ==,
                   ASSAY_KPI_STATUS_ON_TARGET);
  /* the SLA breakdown is there, by priority and channel */
  g_assert_true (team_card->sla[1][2].estimate.known || team_card->sla[2][2].estimate.known);
  g_assert_false (team_card->sla[0][0].estimate.known);
  test_db_exec (centre->store, "DELETE FROM kpi_target");
}

static void
test_bad_queries (void)
{
  g_autoptr(GError) error = NULL;
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_AGENT, "nobody", centre->first_day, centre->last_day, 0 };

  g_assert_null (assay_store_kpi_scorecard_sync (centre->store, &q, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  q.scope = ASSAY_KPI_SCOPE_TEAM;
  g_assert_null (assay_store_kpi_scorecard_sync (centre->store, &q, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  q.subject = NULL;
  g_assert_null (assay_store_kpi_scorecard_sync (centre->store, &q, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  q.scope = ASSAY_KPI_SCOPE_CENTRE;
  q.from_day = q.to_day + 1;
  g_assert_null (assay_store_kpi_scorecard_sync (centre->store, &q, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* a period with nothing in it: every figure says no data */
  {
    g_autoptr(AssayKpiScorecard) card = scorecard (ASSAY_KPI_SCOPE_CENTRE, NULL,
                                                   centre->first_day - 400, centre->first_day - 390);

    for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
      g_assert_cmpint (card->figures[line].status, ==, ASSAY_KPI_STATUS_NO_DATA);
    g_assert_cmpuint (card->weeks->len, >=, 2);
  }
}

static void
scorecard_ready_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  AssayKpiScorecard **out = data;
  g_autoptr(GError) error = NULL;

  *out = assay_store_kpi_scorecard_finish (ASSAY_STORE (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_async (void)
{
  AssayKpiScorecard *card = NULL;
  AssayKpiQuery q = { ASSAY_KPI_SCOPE_CENTRE, NULL, centre->first_day, centre->last_day, 3 };

  assay_store_kpi_scorecard_async (centre->store, &q, NULL, scorecard_ready_cb, &card);
  test_wait_until (pointer_set, &card, 30);
  g_assert_cmpint (card->min_n, ==, 3);
  g_assert_cmpint (card->sums.contacts, >, 1000);
  assay_kpi_scorecard_free (card);
}

static void
test_callbacks (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) strict = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *none = NULL;
  AssayKpiCallbackQuery q;
  AssayKpiCallback *first;
  gint64 naive;
  gint64 from_ms = local_midnight_ms (centre->last_day - 13);
  gint64 to_ms = local_midnight_ms (centre->last_day + 1);
  g_autofree char *sql = NULL;

  assay_kpi_callback_query_init (&q, centre->last_day - 13, centre->last_day);
  g_assert_cmpuint (q.max_rows, ==, 500);
  q.now_ms = END_MS;
  q.max_rows = 7;
  list = assay_store_kpi_callbacks_sync (centre->store, &q, &error);
  g_assert_cmpuint (list->len, ==, 7);
  g_clear_pointer (&list, g_ptr_array_unref);
  q.max_rows = 0;
  list = assay_store_kpi_callbacks_sync (centre->store, &q, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM interaction WHERE started_at >= %" G_GINT64_FORMAT
                         " AND started_at < %" G_GINT64_FORMAT " AND (csat <= 2 OR nps <= 6)",
                         from_ms, to_ms);
  naive = test_db_query_int (centre->store, sql);
  g_assert_cmpint (list->len, ==, naive);
  g_assert_cmpuint (list->len, >, 5);
  for (guint i = 0; i < list->len; i++)
    {
      AssayKpiCallback *c = g_ptr_array_index (list, i);

      g_assert_true ((c->csat >= 1 && c->csat <= 2) || (c->nps >= 0 && c->nps <= 6));
      g_assert_cmpstr (c->reason, ==, c->csat >= 1 && c->csat <= 2 ? "low_csat" : "low_nps");
      g_assert_null (c->id);
      g_assert_cmpstr (c->state, ==, "to_call");
      g_assert_cmpint (c->due_at, ==, c->started_at + 48 * 3600 * 1000LL);
      g_assert_true (c->overdue == (c->due_at < END_MS));
      g_assert_true (i == 0 || c->started_at <= ((AssayKpiCallback *) g_ptr_array_index (list, i - 1))->started_at);
    }

  /* working one: create, then update, each with its operation */
  first = g_ptr_array_index (list, list->len - 1);
  owner = pick (centre->db, g_rand_new_with_seed (1), "SELECT id FROM staff WHERE roles LIKE '%lead%'");
  id = assay_store_kpi_save_callback_sync (centre->store, first->interaction_id, owner, "called",
                                           "left a message, 回电", 0, &error);
  g_assert_no_error (error);
  id2 = assay_store_kpi_save_callback_sync (centre->store, first->interaction_id, owner, "resolved",
                                            "refund agreed", END_MS + 3600000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, id2);
  g_assert_cmpint (outbox_count ("callbacks", "create"), ==, 1);
  g_assert_cmpint (outbox_count ("callbacks", "update"), ==, 1);
  again = assay_store_kpi_callbacks_sync (centre->store, &q, &error);
  for (guint i = 0; i < again->len; i++)
    {
      AssayKpiCallback *c = g_ptr_array_index (again, i);

      if (g_strcmp0 (c->interaction_id, first->interaction_id) != 0)
        continue;
      g_assert_cmpstr (c->id, ==, id);
      g_assert_cmpstr (c->state, ==, "resolved");
      g_assert_cmpstr (c->note, ==, "refund agreed");
      g_assert_cmpstr (c->owner_id, ==, owner);
      g_assert_nonnull (c->owner_name);
      g_assert_cmpint (c->due_at, ==, END_MS + 3600000);
      g_assert_false (c->overdue);
    }

  /* stricter thresholds give fewer */
  q.csat_max = 1;
  q.nps_max = 2;
  strict = assay_store_kpi_callbacks_sync (centre->store, &q, &error);
  g_assert_cmpuint (strict->len, <, list->len);
  for (guint i = 0; i < strict->len; i++)
    {
      AssayKpiCallback *c = g_ptr_array_index (strict, i);

      g_assert_true (c->csat == 1 || (c->nps >= 0 && c->nps <= 2));
    }

  /* bad input */
  g_assert_null (assay_store_kpi_save_callback_sync (centre->store, first->interaction_id, NULL,
                                                     "maybe", "", 0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (assay_store_kpi_save_callback_sync (centre->store, "no-such-contact", NULL,
                                                     "called", "", 0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  none = g_strdup_printf ("SELECT count(*) FROM interaction WHERE csat IS NULL AND nps IS NULL");
  g_assert_cmpint (test_db_query_int (centre->store, none), >, 0);
  {
    g_autoptr(GPtrArray) quiet = column_strings (centre->db, "SELECT id FROM interaction WHERE"
                                                             " csat IS NULL AND nps IS NULL LIMIT 1");

    g_assert_null (assay_store_kpi_save_callback_sync (centre->store,
                                                       g_ptr_array_index (quiet, 0), NULL,
                                                       "called", "", 0, &error));
    g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_cmpint (outbox_count ("callbacks", "create"), ==, 1);
}

static void
test_root_causes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) causes = NULL;
  g_autoptr(GPtrArray) pareto = NULL;
  g_autoptr(GPtrArray) evaluations = NULL;
  g_autofree char *people = NULL;
  g_autofree char *same = NULL;
  g_autofree char *process = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *breach = NULL;
  g_autofree char *sql = NULL;
  double lost = 0;
  AssayKpiRootCause *top;

  /* the demo seed writes the centre's root causes and tags: this case starts without them */
  test_db_exec (centre->store, "DELETE FROM root_cause_tag; DELETE FROM root_cause");
  people = assay_store_kpi_add_root_cause_sync (centre->store, "people", "  product knowledge ",
                                                &error);
  g_assert_no_error (error);
  same = assay_store_kpi_add_root_cause_sync (centre->store, "people", "product knowledge", &error);
  g_assert_cmpstr (people, ==, same);
  process = assay_store_kpi_add_root_cause_sync (centre->store, "process", "流程不清", &error);
  g_assert_null (assay_store_kpi_add_root_cause_sync (centre->store, "weather", "rain", &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (outbox_count ("root_causes", "create"), ==, 2);
  causes = assay_store_kpi_list_root_causes_sync (centre->store, &error);
  g_assert_cmpuint (causes->len, ==, 2);
  g_assert_cmpstr (((AssayKpiRootCause *) g_ptr_array_index (causes, 0))->category, ==, "people");
  g_assert_cmpstr (((AssayKpiRootCause *) g_ptr_array_index (causes, 0))->sub_cause, ==,
                   "product knowledge");

  /* tag three evaluations of the period with people, one with process */
  sql = g_strdup_printf ("SELECT e.id FROM evaluation e JOIN interaction i ON i.id = e.interaction_id"
                         " JOIN evaluation_revision r ON r.id = e.current_revision_id"
                         " WHERE e.state = 'submitted' AND r.score < 95 AND i.started_at >= %"
                         G_GINT64_FORMAT " ORDER BY e.id LIMIT 4",
                         local_midnight_ms (centre->first_day + 7));
  evaluations = column_strings (centre->db, sql);
  g_assert_cmpuint (evaluations->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *t = assay_store_kpi_tag_sync (centre->store, i < 3 ? people : process,
                                                     ASSAY_KPI_TAG_EVALUATION,
                                                     g_ptr_array_index (evaluations, i), 0, 0, 0,
                                                     &error);
      g_autofree char *q = g_strdup_printf ("SELECT CAST (round ((100 - r.score) * 1000) AS INTEGER)"
                                            " FROM evaluation e JOIN evaluation_revision r"
                                            " ON r.id = e.current_revision_id WHERE e.id = '%s'",
                                            (const char *) g_ptr_array_index (evaluations, i));

      g_assert_no_error (error);
      if (i < 3)
        lost += test_db_query_int (centre->store, q) / 1000.0;
      if (i == 0)
        tag = g_steal_pointer (&t);
    }
  breach = assay_store_kpi_tag_sync (centre->store, process, ASSAY_KPI_TAG_KPI_BREACH, "centre",
                                     ASSAY_KPI_LINE_CSAT, centre->first_day, centre->first_day + 6,
                                     &error);
  g_assert_no_error (error);
  g_assert_null (assay_store_kpi_tag_sync (centre->store, process, ASSAY_KPI_TAG_EVALUATION,
                                           "no-such-evaluation", 0, 0, 0, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (assay_store_kpi_tag_sync (centre->store, process, ASSAY_KPI_TAG_KPI_BREACH,
                                           "centre", ASSAY_KPI_LINE_CSAT, 10, 5, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (outbox_count ("root_cause_tags", "create"), ==, 5);

  pareto = assay_store_kpi_root_cause_pareto_sync (centre->store, centre->first_day,
                                                   centre->last_day, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pareto->len, ==, 2);
  top = g_ptr_array_index (pareto, 0);
  g_assert_cmpstr (top->id, ==, people);
  g_assert_cmpint (top->n_tags, ==, 3);
  g_assert_cmpfloat_with_epsilon (top->lost_points, lost, 0.01);
  g_assert_cmpint (((AssayKpiRootCause *) g_ptr_array_index (pareto, 1))->n_tags, ==, 2);
  g_clear_pointer (&pareto, g_ptr_array_unref);

  /* a period after the breach and before the evaluations holds nothing */
  pareto = assay_store_kpi_root_cause_pareto_sync (centre->store, centre->first_day + 7,
                                                   centre->first_day + 7, NULL, &error);
  g_assert_cmpuint (pareto->len, <=, 2);
  g_clear_pointer (&pareto, g_ptr_array_unref);

  /* a tagged contact moved out of the period takes its tag with it */
  {
    g_autofree char *move = g_strdup_printf ("UPDATE interaction SET started_at = started_at - %"
                                             G_GINT64_FORMAT " WHERE id = (SELECT interaction_id"
                                             " FROM evaluation WHERE id = '%s')",
                                             G_GINT64_CONSTANT (400) * 86400000,
                                             (const char *) g_ptr_array_index (evaluations, 1));
    g_autofree char *back = g_strdup_printf ("UPDATE interaction SET started_at = started_at + %"
                                             G_GINT64_FORMAT " WHERE id = (SELECT interaction_id"
                                             " FROM evaluation WHERE id = '%s')",
                                             G_GINT64_CONSTANT (400) * 86400000,
                                             (const char *) g_ptr_array_index (evaluations, 1));

    test_db_exec (centre->store, move);
    pareto = assay_store_kpi_root_cause_pareto_sync (centre->store, centre->first_day,
                                                     centre->last_day, NULL, &error);
    g_assert_cmpint (((AssayKpiRootCause *) g_ptr_array_index (pareto, 0))->n_tags
                     + ((AssayKpiRootCause *) g_ptr_array_index (pareto, 1))->n_tags, ==, 4);
    g_clear_pointer (&pareto, g_ptr_array_unref);
    test_db_exec (centre->store, back);
  }
  /* and for one team only: its own contacts */
  {
    g_autoptr(GPtrArray) teams = column_strings (centre->db, "SELECT id FROM team");
    gint64 total = 0;

    for (guint i = 0; i < teams->len; i++)
      {
        g_autoptr(GPtrArray) part = assay_store_kpi_root_cause_pareto_sync (centre->store,
                                                                           centre->first_day,
                                                                           centre->last_day,
                                                                           g_ptr_array_index (teams, i),
                                                                           &error);

        for (guint k = 0; k < part->len; k++)
          total += ((AssayKpiRootCause *) g_ptr_array_index (part, k))->n_tags;
      }
    g_assert_cmpint (total, ==, 4);   /* the four evaluations; the centre's breach is no team's */
  }

  g_assert_true (assay_store_kpi_untag_sync (centre->store, tag, &error));
  g_assert_false (assay_store_kpi_untag_sync (centre->store, tag, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (outbox_count ("root_cause_tags", "delete"), ==, 1);
  pareto = assay_store_kpi_root_cause_pareto_sync (centre->store, centre->first_day,
                                                   centre->last_day, NULL, &error);
  top = g_ptr_array_index (pareto, 0);
  g_assert_cmpint (top->n_tags + ((AssayKpiRootCause *) g_ptr_array_index (pareto, 1))->n_tags,
                   ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* --time-zone=ZONE, before anything reads the local time zone */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--time-zone="))
      {
        g_setenv ("TZ", argv[i] + strlen ("--time-zone="), TRUE);
        tzset ();
        for (int j = i; j < argc; j++)
          argv[j] = argv[j + 1];
        argc--;
        break;
      }

  g_test_init (&argc, &argv, NULL);
  g_test_message ("time zone %s", g_getenv ("TZ"));
  centre = centre_new (6000, 700);
  g_test_add_func ("/store/kpi/naive-random", test_naive_random);
  g_test_add_func ("/store/kpi/day-boundaries", test_day_boundaries);
  g_test_add_func ("/store/kpi/bad-queries", test_bad_queries);
  g_test_add_func ("/store/kpi/async", test_async);
  g_test_add_func ("/store/kpi/targets", test_targets);
  g_test_add_func ("/store/kpi/callbacks", test_callbacks);
  g_test_add_func ("/store/kpi/root-causes", test_root_causes);
  g_test_add_func ("/store/kpi/evaluation-workflow", test_evaluation_workflow);
  g_test_add_func ("/store/kpi/random-writes", test_random_writes);
  g_test_add_func ("/store/kpi/rebuild-and-time-zone", test_rebuild_and_time_zone);
  status = g_test_run ();
  centre_free (centre);
  return status;
}
