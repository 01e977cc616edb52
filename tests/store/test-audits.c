/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "test-db.h"
#include "core/assay-audit.h"
#include "store/assay-store-audits.h"
#include "store/assay-store-evaluations.h"
#include "protocol/assay-form-json.h"

#define LEAD    "30000000-0000-4000-8000-00000000000a"
#define SHOP    "30000000-0000-4000-8000-000000000005"
#define BILLING "00000000-0000-4000-8000-000000000001"
#define SALES   "00000000-0000-4000-8000-000000000003"
#define DAY     (G_GINT64_CONSTANT (86400000))

static gint64
utc_ms (int y, int m, int d, int h, int min, int s)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (y, m, d, h, min, s);

  return g_date_time_to_unix (t) * 1000;
}

typedef struct {
  AssayStore *store;
  char       *programme;
  char       *scenario;     /* phone test calls to the Billing team, quota 3 */
  char       *visit_scenario;  /* visits to the Shanghai service point, quota 2 */
  char       *shopper;
} Fixture;

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = test_db_new (0);
  test_db_add_review_form (f->store);
  test_db_exec (f->store, "INSERT INTO staff (id, name, roles) VALUES ('" LEAD "', 'Lena', 'manager'),"
                          " ('" SHOP "', 'Sam Shopper', 'inspector')");
  f->programme = assay_store_audits_create_programme_sync (f->store, "  Q1 mystery shopping  ", "",
                                                           utc_ms (2027, 1, 1, 0, 0, 0),
                                                           utc_ms (2027, 4, 1, 0, 0, 0), LEAD,
                                                           &error);
  g_assert_no_error (error);
  f->scenario = assay_store_audits_create_scenario_sync (f->store, f->programme, "Billing test call",
                                                         "phone", NULL, "Billing", BILLING,
                                                         "Ask why the bill doubled",
                                                         "Greeting, ID check, fix",
                                                         TEST_FORM_VERSION_ID, 3, &error);
  g_assert_no_error (error);
  f->visit_scenario = assay_store_audits_create_scenario_sync (f->store, f->programme,
                                                               "Service point visit", "visit",
                                                               "Shanghai Xuhui", NULL, NULL, "", "",
                                                               TEST_FORM_VERSION_ID, 2, &error);
  g_assert_no_error (error);
  f->shopper = assay_store_audits_create_shopper_sync (f->store, "Sam Shopper", "agency",
                                                       "Secret Eyes Ltd", "+8613800000001", SHOP,
                                                       &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f)
{
  assay_store_close (f->store);
  g_clear_object (&f->store);
  g_free (f->programme);
  g_free (f->scenario);
  g_free (f->visit_scenario);
  g_free (f->shopper);
}

static const char *full_answers =
  "{\"format\":1,\"form_id\":\"ui-test\",\"form_version\":1,\"answers\":{"
  "\"greeting\":{\"value\":\"yes\"},\"disclosure\":{\"value\":\"yes\"},"
  "\"fix\":{\"value\":4,\"comment\":\"missed one step\"}}}";

/* Fills and submits an audit of @visit_id (or of @scenario_id) visited at @at. */
static char *
fill_audit (Fixture    *f,
            const char *visit_id,
            const char *scenario_id,
            gint64      at,
            const char *answers,
            gboolean    submit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAuditRecord) r = assay_store_audits_open_sync (f->store, visit_id, scenario_id,
                                                                SHOP, &error);
  g_autoptr(AssayAuditRecord) saved = NULL;

  g_assert_no_error (error);
  g_assert_null (r->state);
  g_free (r->answers);
  r->answers = g_strdup (answers);
  r->visited_at = at;
  saved = assay_store_audits_save_draft_sync (f->store, r, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->state, ==, "draft");
  if (submit)
    {
      g_assert_cmpint (assay_store_audits_submit_sync (f->store, saved->id, SHOP, NULL, &error),
                       ==, 1);
      g_assert_no_error (error);
    }
  return g_strdup (saved->id);
}

/* ---- core: day and month boundaries ---- */

static void
test_status_day_boundaries (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) dec = NULL;
  gint64 due, start, end;

  g_assert_nonnull (shanghai);
  /* a visit planned for 31 March (Shanghai, UTC+8) is due until 1 April 00:00 there */
  day = g_date_time_new (shanghai, 2027, 3, 31, 15, 30, 0);
  due = assay_audit_due_at_for_day (day);
  g_assert_cmpint (due, ==, utc_ms (2027, 3, 31, 16, 0, 0));
  g_assert_cmpint (assay_audit_visit_status (FALSE, FALSE, due, due - 1), ==, ASSAY_AUDIT_DUE);
  g_assert_cmpint (assay_audit_visit_status (FALSE, FALSE, due, due), ==, ASSAY_AUDIT_OVERDUE);
  g_assert_cmpint (assay_audit_visit_status (TRUE, FALSE, due, due + DAY), ==, ASSAY_AUDIT_DONE);
  g_assert_cmpint (assay_audit_visit_status (FALSE, TRUE, due, due + DAY), ==,
                   ASSAY_AUDIT_CANCELLED);
  g_assert_cmpstr (assay_audit_status_to_string (ASSAY_AUDIT_OVERDUE), ==, "overdue");

  /* months in the viewer's zone, across the year's end */
  dec = g_date_time_new (shanghai, 2026, 12, 31, 23, 59, 59);
  assay_audit_month_bounds (dec, 0, &start, &end);
  g_assert_cmpint (start, ==, utc_ms (2026, 11, 30, 16, 0, 0));
  g_assert_cmpint (end, ==, utc_ms (2026, 12, 31, 16, 0, 0));
  assay_audit_month_bounds (dec, 1, &start, &end);
  g_assert_cmpint (start, ==, utc_ms (2026, 12, 31, 16, 0, 0));
  g_assert_cmpint (end, ==, utc_ms (2027, 1, 31, 16, 0, 0));

  /* quota arithmetic */
  g_assert_cmpuint (assay_audit_quota_due (3, 1), ==, 2);
  g_assert_cmpuint (assay_audit_quota_due (3, 5), ==, 0);
  g_assert_false (assay_audit_quota_behind (4, 0, 0, 100, 10));   /* 10 % in: 0.4 → 0 owed */
  g_assert_true (assay_audit_quota_behind (4, 1, 0, 100, 50));    /* half way: 2 owed */
  g_assert_false (assay_audit_quota_behind (4, 2, 0, 100, 50));
  g_assert_true (assay_audit_quota_behind (4, 3, 0, 100, 100));   /* month over, short */
  g_assert_false (assay_audit_quota_behind (4, 4, 0, 100, 100));
}

/* ---- store ---- */

static void
test_programme_rules (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) programmes = NULL;
  g_autoptr(GPtrArray) scenarios = NULL;
  g_autoptr(GPtrArray) shoppers = NULL;
  AssayAuditScenarioRecord *sc;

  fixture_set_up (&f);
  programmes = assay_store_audits_list_programmes_sync (f.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (programmes->len, ==, 1);
  g_assert_cmpstr (((AssayAuditProgrammeRecord *) programmes->pdata[0])->name, ==,
                   "Q1 mystery shopping");
  g_assert_cmpuint (((AssayAuditProgrammeRecord *) programmes->pdata[0])->n_scenarios, ==, 2);
  scenarios = assay_store_audits_list_scenarios_sync (f.store, f.programme, &error);
  g_assert_cmpuint (scenarios->len, ==, 2);
  sc = scenarios->pdata[0];
  g_assert_cmpstr (sc->name, ==, "Billing test call");
  g_assert_cmpstr (sc->target, ==, "Billing");     /* the team's name */
  g_assert_cmpuint (sc->monthly_quota, ==, 3);
  sc = scenarios->pdata[1];
  g_assert_cmpstr (sc->target, ==, "Shanghai Xuhui");
  shoppers = assay_store_audits_list_shoppers_sync (f.store, &error);
  g_assert_cmpuint (shoppers->len, ==, 1);
  g_assert_cmpstr (((AssayAuditShopperRecord *) shoppers->pdata[0])->agency, ==, "Secret Eyes Ltd");

  /* every write queued its operation on its collection */
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM outbox"
                                               " WHERE collection = 'audit_programmes'"), ==, 1);
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM outbox"
                                               " WHERE collection = 'audit_scenarios'"
                                               " AND json_extract (data, '$.monthly_quota') IN (2, 3)"),
                   ==, 2);
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM outbox"
                                               " WHERE collection = 'audit_shoppers'"), ==, 1);

  /* refused: no name, an end before the start, no target, an unknown channel, a draft form */
  id = assay_store_audits_create_programme_sync (f.store, " ", "", 1, 2, LEAD, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  id = assay_store_audits_create_programme_sync (f.store, "Backwards", "", 5, 2, LEAD, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  id = assay_store_audits_create_scenario_sync (f.store, f.programme, "Nowhere", "phone", " ", NULL,
                                                NULL, "", "", TEST_FORM_VERSION_ID, 1, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  id = assay_store_audits_create_scenario_sync (f.store, f.programme, "Fax", "fax", "A", NULL,
                                                NULL, "", "", TEST_FORM_VERSION_ID, 1, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  test_db_exec (f.store, "UPDATE form_version SET published_at = NULL");
  id = assay_store_audits_create_scenario_sync (f.store, f.programme, "Draft form", "chat", NULL,
                                                "Support", NULL, "", "", TEST_FORM_VERSION_ID, 1,
                                                &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (id);
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM audit_scenario"), ==, 2);
  fixture_tear_down (&f);
}

/* The audit's score is the engine's on the scorecard (points mode: greeting and disclosure 1
 * each, the fix a 1–5 scale of weight 2), never the caller's. */
static void
test_scoring_vectors (void)
{
  struct {
    const char *answers;
    double      score;
    double      without_fatal;
  } vectors[] = {
    /* Yes, Yes, 4 of 1..5: (1 + 1 + 0.75 × 2) / 4 */
    { full_answers, 87.5, 87.5 },
    /* the fatal disclosure failed: 0, without fatal (1 + 0 + 2) / 4 */
    { "{\"format\":1,\"form_id\":\"ui-test\",\"form_version\":1,\"answers\":{"
      "\"greeting\":{\"value\":\"yes\"},\"disclosure\":{\"value\":\"no\",\"comment\":\"none\"},"
      "\"fix\":{\"value\":5}}}", 0, 75 },
    /* only the greeting answered, No: 0 of 1 */
    { "{\"format\":1,\"form_id\":\"ui-test\",\"form_version\":1,\"answers\":{"
      "\"greeting\":{\"value\":\"no\"}}}", 0, 0 },
  };
  Fixture f = { 0 };

  fixture_set_up (&f);
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayAuditRecord) r = assay_store_audits_open_sync (f.store, NULL, f.visit_scenario,
                                                                    SHOP, &error);
      g_autoptr(AssayAuditRecord) saved = NULL;
      g_autofree char *sql = NULL;

      g_assert_no_error (error);
      r->answers = g_strdup (vectors[i].answers);
      r->score = 12345;    /* never taken from the caller */
      saved = assay_store_audits_save_draft_sync (f.store, r, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (saved->score, vectors[i].score, 1e-9);
      sql = g_strdup_printf ("SELECT round (json_extract (draft_results, '$.without_fatal') * 100)"
                             " FROM audit WHERE id = '%s'", saved->id);
      g_assert_cmpint (test_db_query_int (f.store, sql), ==, (gint64) (vectors[i].without_fatal * 100));
    }

  /* nothing answered yet: no score; answers on another form are refused */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AssayAuditRecord) r = assay_store_audits_open_sync (f.store, NULL, f.scenario, SHOP,
                                                                  &error);
    g_autoptr(AssayAuditRecord) saved = assay_store_audits_save_draft_sync (f.store, r, &error);

    g_assert_no_error (error);
    g_assert_true (isnan (saved->score));
    g_free (r->answers);
    r->answers = g_strdup ("{\"format\":1,\"form_id\":\"other\",\"form_version\":1,\"answers\":{}}");
    g_clear_pointer (&saved, assay_audit_record_free);
    saved = assay_store_audits_save_draft_sync (f.store, r, &error);
    g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
    g_assert_null (saved);
  }
  fixture_tear_down (&f);
}

static void
test_submit_amend_revisions (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAuditRecord) r = NULL;
  g_autoptr(AssayAuditRecord) saved = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autofree char *visit = NULL;
  g_autofree char *sql = NULL;
  AssayRevisionRecord *rev;

  fixture_set_up (&f);
  visit = assay_store_audits_schedule_visit_sync (f.store, f.scenario, f.shopper,
                                                  utc_ms (2027, 1, 20, 0, 0, 0), &error);
  g_assert_no_error (error);
  r = assay_store_audits_open_sync (f.store, visit, NULL, SHOP, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->scenario_id, ==, f.scenario);
  g_assert_cmpstr (r->shopper_id, ==, f.shopper);
  g_assert_cmpstr (r->form_version_id, ==, TEST_FORM_VERSION_ID);

  /* an incomplete draft cannot be submitted: the fix is unanswered */
  r->answers = g_strdup ("{\"format\":1,\"form_id\":\"ui-test\",\"form_version\":1,\"answers\":{"
                         "\"greeting\":{\"value\":\"yes\"},\"disclosure\":{\"value\":\"yes\"}}}");
  saved = assay_store_audits_save_draft_sync (f.store, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, SHOP, NULL, &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* saved as typed: the second save updates the unsent create in place */
  g_free (r->answers);
  r->answers = g_strdup (full_answers);
  g_clear_pointer (&saved, assay_audit_record_free);
  saved = assay_store_audits_save_draft_sync (f.store, r, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE collection = 'audits' AND object_id = '%s'",
                         r->id);
  g_assert_cmpint (test_db_query_int (f.store, sql), ==, 1);
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, SHOP, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (f.store, sql), ==, 2);
  /* nothing changed: nothing to submit */
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, SHOP, "again", &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* amending: a draft over the submitted audit, local until submitted with a reason */
  g_free (r->answers);
  r->answers = g_strdup ("{\"format\":1,\"form_id\":\"ui-test\",\"form_version\":1,\"answers\":{"
                         "\"greeting\":{\"value\":\"yes\"},\"disclosure\":{\"value\":\"yes\"},"
                         "\"fix\":{\"value\":5}}}");
  g_clear_pointer (&saved, assay_audit_record_free);
  saved = assay_store_audits_save_draft_sync (f.store, r, &error);
  g_assert_no_error (error);
  g_assert_true (saved->amending);
  g_assert_cmpstr (saved->state, ==, "submitted");
  g_assert_cmpfloat_with_epsilon (saved->score, 100, 1e-9);
  g_assert_cmpint (saved->revision, ==, 1);
  g_assert_cmpint (test_db_query_int (f.store, sql), ==, 2);
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, LEAD, "  ", &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, LEAD, "Recording shows the fix",
                                                   &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (f.store, sql), ==, 3);

  revisions = assay_store_audits_list_revisions_sync (f.store, r->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 2);
  rev = revisions->pdata[0];
  g_assert_cmpfloat_with_epsilon (rev->score, 87.5, 1e-9);
  g_assert_null (rev->reason);
  rev = revisions->pdata[1];
  g_assert_cmpfloat_with_epsilon (rev->score, 100, 1e-9);
  g_assert_cmpstr (rev->reason, ==, "Recording shows the fix");
  g_assert_cmpstr (rev->author_name, ==, "Lena");
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM outbox WHERE collection = 'audits'"
                                               " AND action = 'amend'"
                                               " AND reason = 'Recording shows the fix'"), ==, 1);
  g_clear_pointer (&saved, assay_audit_record_free);
  saved = assay_store_audits_get_sync (f.store, r->id, &error);
  g_assert_cmpint (saved->revision, ==, 2);
  g_assert_false (saved->amending);
  g_assert_cmpfloat_with_epsilon (saved->score, 100, 1e-9);
  g_clear_pointer (&saved, assay_audit_record_free);
  /* reopening the visit finds the same audit */
  saved = assay_store_audits_open_sync (f.store, visit, NULL, SHOP, &error);
  g_assert_cmpstr (saved->id, ==, r->id);
  fixture_tear_down (&f);
}

/* A test call's visit due on 20 Jan, audits around the month's ends, the quota of 3. */
static void
test_quota_and_overdue (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_utc (2027, 1, 20, 9, 0, 0);
  gint64 due = assay_audit_due_at_for_day (day);
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *v3 = NULL;
  g_autofree char *a = NULL;
  g_autoptr(GPtrArray) visits = NULL;
  g_autoptr(GPtrArray) quotas = NULL;
  AssayAuditQuotaRecord *billing;
  AssayAuditQuotaRecord *site;
  gint64 jan = utc_ms (2027, 1, 1, 0, 0, 0);
  gint64 feb = utc_ms (2027, 2, 1, 0, 0, 0);

  fixture_set_up (&f);
  g_assert_cmpint (due, ==, utc_ms (2027, 1, 21, 0, 0, 0));
  v1 = assay_store_audits_schedule_visit_sync (f.store, f.scenario, f.shopper, due, &error);
  v2 = assay_store_audits_schedule_visit_sync (f.store, f.scenario, f.shopper, due, &error);
  /* planned for 31 Jan: due_at is 1 Feb 00:00, still January's */
  v3 = assay_store_audits_schedule_visit_sync (f.store, f.visit_scenario, NULL, feb, &error);
  g_assert_no_error (error);
  g_free (fill_audit (&f, v1, NULL, utc_ms (2027, 1, 20, 10, 0, 0), full_answers, TRUE));
  /* audits of the scenario on the month's last and next month's first millisecond */
  g_free (fill_audit (&f, NULL, f.scenario, feb - 1, full_answers, TRUE));
  g_free (fill_audit (&f, NULL, f.scenario, feb, full_answers, TRUE));
  g_free (fill_audit (&f, NULL, f.scenario, jan - 1, full_answers, TRUE));
  /* a draft does not count */
  a = fill_audit (&f, NULL, f.scenario, jan + DAY, full_answers, FALSE);

  /* the visits at the last millisecond of their day, and at the first of the next */
  visits = assay_store_audits_list_visits_sync (f.store, jan, feb, due - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (visits->len, ==, 3);
  g_assert_cmpint (((AssayAuditVisitRecord *) visits->pdata[0])->status, ==, ASSAY_AUDIT_DONE);
  g_assert_nonnull (((AssayAuditVisitRecord *) visits->pdata[0])->audit_id);
  g_assert_cmpint (((AssayAuditVisitRecord *) visits->pdata[1])->status, ==, ASSAY_AUDIT_DUE);
  g_assert_cmpint (((AssayAuditVisitRecord *) visits->pdata[2])->status, ==, ASSAY_AUDIT_DUE);
  g_assert_cmpstr (((AssayAuditVisitRecord *) visits->pdata[2])->target, ==, "Shanghai Xuhui");
  g_clear_pointer (&visits, g_ptr_array_unref);
  visits = assay_store_audits_list_visits_sync (f.store, jan, feb, due, &error);
  g_assert_cmpint (((AssayAuditVisitRecord *) visits->pdata[1])->status, ==, ASSAY_AUDIT_OVERDUE);
  g_assert_cmpint (((AssayAuditVisitRecord *) visits->pdata[2])->status, ==, ASSAY_AUDIT_DUE);

  /* January, seen a millisecond before the 20th ends, and when it has ended */
  {
    g_autoptr(GDateTime) before = g_date_time_new_from_unix_utc ((due - 1000) / 1000);

    quotas = assay_store_audits_quotas_sync (f.store, before, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (quotas->len, ==, 2);
    billing = quotas->pdata[0];
    site = quotas->pdata[1];
    g_assert_cmpstr (billing->target, ==, "Billing");
    g_assert_cmpstr (billing->team_id, ==, BILLING);
    g_assert_cmpuint (billing->quota, ==, 3);
    g_assert_cmpuint (billing->done, ==, 2);        /* the visit's audit and the 31st's */
    g_assert_cmpuint (billing->due, ==, 1);
    g_assert_cmpuint (billing->scheduled, ==, 2);
    g_assert_cmpuint (billing->overdue, ==, 0);
    g_assert_cmpstr (site->target, ==, "Shanghai Xuhui");
    g_assert_cmpuint (site->scheduled, ==, 1);
    g_assert_cmpuint (site->done, ==, 0);
    g_assert_cmpuint (site->due, ==, 2);
    g_clear_pointer (&quotas, g_ptr_array_unref);
  }
  {
    g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (due / 1000);

    quotas = assay_store_audits_quotas_sync (f.store, at, &error);
    billing = quotas->pdata[0];
    g_assert_cmpuint (billing->overdue, ==, 1);
    site = quotas->pdata[1];
    g_assert_cmpuint (site->overdue, ==, 0);
    g_assert_true (site->behind);                   /* two thirds in, none of 2 done */
    g_clear_pointer (&quotas, g_ptr_array_unref);
  }
  {
    /* February: one audit at its first millisecond */
    g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (feb / 1000);

    quotas = assay_store_audits_quotas_sync (f.store, at, &error);
    billing = quotas->pdata[0];
    g_assert_cmpuint (billing->done, ==, 1);
    g_assert_cmpuint (billing->scheduled, ==, 0);
    g_clear_pointer (&quotas, g_ptr_array_unref);
  }
  fixture_tear_down (&f);
}

static void
changed_cb (AssayStore *store,
            const char *collection,
            GStrv       ids,
            gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static gboolean
count_reached (gpointer data)
{
  return *(guint *) data >= 2;
}

static void
test_change_notifications (void)
{
  Fixture f = { 0 };
  guint count = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *visit = NULL;
  g_autofree char *id = NULL;

  fixture_set_up (&f);
  g_signal_connect (f.store, "changed::" ASSAY_STORE_AUDITS, G_CALLBACK (changed_cb), &count);
  visit = assay_store_audits_schedule_visit_sync (f.store, f.scenario, NULL, 1, &error);
  g_assert_no_error (error);
  id = fill_audit (&f, NULL, f.scenario, 5, full_answers, FALSE);
  test_wait_until (count_reached, &count, 10);
  g_assert_cmpuint (count, >=, 2);
  fixture_tear_down (&f);
}

/* An audit form: a yes/no with observation text, a measured wait, a photo for the door. */
static const char *audit_form_json =
  "{\"format\": 1, \"id\": \"visit\", \"name\": \"Service point visit\", \"version\": 1,"
  " \"published\": true, \"mode\": \"points\","
  " \"sections\": [{\"id\": \"arrival\", \"title\": \"Arrival\", \"weight\": 1, \"items\": ["
  "   {\"id\": \"greeted\", \"kind\": \"yes_no\", \"text\": \"Greeted within a minute\","
  "    \"observation\": true},"
  "   {\"id\": \"door\", \"kind\": \"yes_no\", \"text\": \"Opening hours on the door\","
  "    \"evidence\": 1},"
  "   {\"id\": \"wait\", \"kind\": \"number\", \"text\": \"Waited\", \"unit\": \"seconds\","
  "    \"min\": 0, \"required\": false}]}]}";

static void
test_audit_item_kinds (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayForm) form = assay_form_from_json (audit_form_json, -1, &error);
  g_autoptr(AssayForm) bad = NULL;
  g_autofree char *json = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *photo = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(AssayAuditRecord) r = NULL;
  g_autoptr(AssayAuditRecord) saved = NULL;
  g_autoptr(AssayAuditEvidenceRecord) ev = NULL;
  const AssayItem *item;

  /* the format: read, written back, and refused where it makes no sense */
  g_assert_no_error (error);
  item = assay_form_get_item (form, 0);
  g_assert_true (item->observation);
  g_assert_cmpuint (assay_form_get_item (form, 1)->evidence_min, ==, 1);
  g_assert_true (assay_form_get_item (form, 2)->duration);
  g_assert_false (assay_form_get_item (form, 1)->observation);
  json = assay_form_to_json (form);
  g_assert_nonnull (strstr (json, "\"observation\": true"));
  g_assert_nonnull (strstr (json, "\"unit\": \"seconds\""));
  g_assert_nonnull (strstr (json, "\"evidence\": 1"));
  bad = assay_form_from_json ("{\"format\":1,\"id\":\"x\",\"name\":\"x\",\"version\":1,"
                              "\"sections\":[{\"id\":\"s\",\"title\":\"s\",\"weight\":1,\"items\":["
                              "{\"id\":\"t\",\"kind\":\"text\",\"text\":\"t\",\"observation\":true}]}]}",
                              -1, &error);
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "observation"));
  g_clear_error (&error);
  bad = assay_form_from_json ("{\"format\":1,\"id\":\"x\",\"name\":\"x\",\"version\":1,"
                              "\"sections\":[{\"id\":\"s\",\"title\":\"s\",\"weight\":1,\"items\":["
                              "{\"id\":\"t\",\"kind\":\"yes_no\",\"text\":\"t\",\"unit\":\"seconds\"}]}]}",
                              -1, &error);
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID);
  g_clear_error (&error);
  bad = assay_form_from_json ("{\"format\":1,\"id\":\"x\",\"name\":\"x\",\"version\":1,"
                              "\"sections\":[{\"id\":\"s\",\"title\":\"s\",\"weight\":1,\"items\":["
                              "{\"id\":\"t\",\"kind\":\"yes_no\",\"text\":\"t\",\"evidence\":1.5}]}]}",
                              -1, &error);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* through the store: the observation is a comment the answer needs; the photo is required */
  fixture_set_up (&f);
  test_db_exec (f.store, "INSERT INTO form (id, name, created_at) VALUES ('vf', 'Visit', 0)");
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO form_version (id, form_id, version,"
                                            " definition, published_at) VALUES ('vv', 'vf', 1, '%s', 1)",
                                            audit_form_json);

    test_db_exec (f.store, sql);
  }
  scenario = assay_store_audits_create_scenario_sync (f.store, f.programme, "Door check", "visit",
                                                      "Xuhui", NULL, NULL, "", "", "vv", 1, &error);
  g_assert_no_error (error);
  r = assay_store_audits_open_sync (f.store, NULL, scenario, SHOP, &error);
  r->answers = g_strdup ("{\"format\":1,\"form_id\":\"visit\",\"form_version\":1,\"answers\":{"
                         "\"greeted\":{\"value\":\"yes\"},\"door\":{\"value\":\"yes\"},"
                         "\"wait\":{\"value\":250}}}");
  saved = assay_store_audits_save_draft_sync (f.store, r, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (saved->score, 100, 1e-9);   /* the wait is not scored */
  g_assert_cmpint (test_db_query_int (f.store, "SELECT json_extract (draft_answers, '$.answers.wait.value')"
                                               " FROM audit WHERE form_version_id = 'vv'"), ==, 250);
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, SHOP, NULL, &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1 comment"));      /* the observation */
  g_clear_error (&error);
  g_free (r->answers);
  r->answers = g_strdup ("{\"format\":1,\"form_id\":\"visit\",\"form_version\":1,\"answers\":{"
                         "\"greeted\":{\"value\":\"yes\",\"comment\":\"Smiled, offered water\"},"
                         "\"door\":{\"value\":\"yes\"},\"wait\":{\"value\":250}}}");
  g_clear_pointer (&saved, assay_audit_record_free);
  saved = assay_store_audits_save_draft_sync (f.store, r, &error);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, SHOP, NULL, &error), ==, 0);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "photos or files"));
  g_clear_error (&error);
  /* a photo for another item does not count; one for the door does */
  dir = g_dir_make_tmp ("assay-audit-XXXXXX", &error);
  photo = g_build_filename (dir, "door.png", NULL);
  g_file_set_contents (photo, "not really a png", -1, &error);
  ev = assay_store_audits_add_evidence_sync (f.store, r->id, "greeted", photo, &error);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, SHOP, NULL, &error), ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&ev, assay_audit_evidence_record_free);
  ev = assay_store_audits_add_evidence_sync (f.store, r->id, "door", photo, &error);
  g_assert_no_error (error);
  g_assert_cmpint (assay_store_audits_submit_sync (f.store, r->id, SHOP, NULL, &error), ==, 1);
  g_assert_no_error (error);
  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audits/status/day-boundaries", test_status_day_boundaries);
  g_test_add_func ("/audits/programme/rules", test_programme_rules);
  g_test_add_func ("/audits/scoring/vectors", test_scoring_vectors);
  g_test_add_func ("/audits/submit/amend-revisions", test_submit_amend_revisions);
  g_test_add_func ("/audits/schedule/quota-overdue", test_quota_and_overdue);
  g_test_add_func ("/audits/store/changes", test_change_notifications);
  g_test_add_func ("/audits/form/audit-item-kinds", test_audit_item_kinds);
  return g_test_run ();
}
