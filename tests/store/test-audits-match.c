/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-db.h"
#include "store/assay-store-audits.h"

#define SHOP    "30000000-0000-4000-8000-000000000005"
#define T0      G_GINT64_CONSTANT (1795176000000)   /* interaction 0 of test_db_new() */
#define MINUTE  G_GINT64_CONSTANT (60000)
#define I(n)    "20000000-0000-4000-8000-0000000000" #n

typedef struct {
  AssayStore *store;
  char       *call_scenario;
  char       *visit_scenario;
  char       *shopper;        /* calls from C-100030, interaction 30's customer */
  char       *shopper2;       /* calls from +86 138-0000-0001 */
} Fixture;

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *programme = NULL;

  /* interactions one a minute back from T0; every third a Billing phone call */
  f->store = test_db_new (120);
  test_db_add_review_form (f->store);
  test_db_exec (f->store, "INSERT INTO staff (id, name) VALUES ('" SHOP "', 'Sam');"
                          "UPDATE interaction SET customer_ref = '13800000001'"
                          " WHERE id = '" I(33) "'");
  programme = assay_store_audits_create_programme_sync (f->store, "P", "", 1, 2, SHOP, &error);
  f->call_scenario = assay_store_audits_create_scenario_sync (f->store, programme, "Bill query",
                                                              "phone", NULL, "Billing", NULL, "", "",
                                                              TEST_FORM_VERSION_ID, 2, &error);
  f->visit_scenario = assay_store_audits_create_scenario_sync (f->store, programme, "Visit", "visit",
                                                               "Xuhui", NULL, NULL, "", "",
                                                               TEST_FORM_VERSION_ID, 2, &error);
  f->shopper = assay_store_audits_create_shopper_sync (f->store, "Sam", "internal", NULL,
                                                       "C-100030", SHOP, &error);
  f->shopper2 = assay_store_audits_create_shopper_sync (f->store, "Lin", "agency", "Eyes",
                                                        "+86 138-0000-0001", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f)
{
  assay_store_close (f->store);
  g_clear_object (&f->store);
  g_free (f->call_scenario);
  g_free (f->visit_scenario);
  g_free (f->shopper);
  g_free (f->shopper2);
}

static char *
audit_of (Fixture    *f,
          const char *scenario,
          const char *shopper,
          gint64      at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAuditRecord) r = assay_store_audits_open_sync (f->store, NULL, scenario, SHOP, &error);
  g_autoptr(AssayAuditRecord) saved = NULL;

  g_assert_no_error (error);
  r->shopper_id = g_strdup (shopper);
  r->visited_at = at;
  saved = assay_store_audits_save_draft_sync (f->store, r, &error);
  g_assert_no_error (error);
  return g_strdup (saved->id);
}

static void
test_match_by_number_time_queue (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) m = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *audit2 = NULL;
  AssayAuditMatchRecord *r;

  fixture_set_up (&f);
  /* the shopper noted 20 s after interaction 30 started */
  audit = audit_of (&f, f.call_scenario, f.shopper, T0 - 30 * MINUTE + 20000);
  m = assay_store_audits_match_test_call_sync (f.store, audit, 5 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->len, ==, 1);           /* 27, 30, 33 are Billing calls; one is theirs */
  r = m->pdata[0];
  g_assert_cmpstr (r->interaction_id, ==, I(30));
  g_assert_cmpint (r->offset_ms, ==, -20000);
  g_assert_cmpstr (r->queue, ==, "Billing");
  g_assert_nonnull (r->agent_name);
  g_assert_false (r->confirmed);
  g_clear_pointer (&m, g_ptr_array_unref);
  /* outside the window, nothing */
  m = assay_store_audits_match_test_call_sync (f.store, audit, 10000, &error);
  g_assert_cmpuint (m->len, ==, 0);
  g_clear_pointer (&m, g_ptr_array_unref);

  /* a number with its country code still meets the centre's record without it */
  audit2 = audit_of (&f, f.call_scenario, f.shopper2, T0 - 31 * MINUTE);
  m = assay_store_audits_match_test_call_sync (f.store, audit2, 5 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->len, ==, 1);
  g_assert_cmpstr (((AssayAuditMatchRecord *) m->pdata[0])->interaction_id, ==, I(33));
  g_clear_pointer (&m, g_ptr_array_unref);
  fixture_tear_down (&f);
}

static void
test_confirm_and_unlink (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) m = NULL;
  g_autoptr(AssayAuditRecord) r = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *visit = NULL;

  fixture_set_up (&f);
  audit = audit_of (&f, f.call_scenario, f.shopper, T0 - 30 * MINUTE);
  g_assert_true (assay_store_audits_confirm_test_call_sync (f.store, audit, I(30), SHOP, &error));
  g_assert_no_error (error);
  r = assay_store_audits_get_sync (f.store, audit, &error);
  g_assert_cmpstr (r->interaction_id, ==, I(30));
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM audit WHERE matched_by = '" SHOP "'"
                                               " AND matched_at > 0"), ==, 1);
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM outbox WHERE collection = 'audits'"
                                               " AND json_extract (data, '$.interaction_id') = '" I(30) "'"),
                   ==, 1);
  m = assay_store_audits_match_test_call_sync (f.store, audit, 5 * MINUTE, &error);
  g_assert_true (((AssayAuditMatchRecord *) m->pdata[0])->confirmed);
  g_clear_pointer (&m, g_ptr_array_unref);
  /* unlinked again */
  g_assert_true (assay_store_audits_confirm_test_call_sync (f.store, audit, NULL, SHOP, &error));
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM audit WHERE interaction_id IS NULL"
                                               " AND matched_at IS NULL AND matched_by IS NULL"), ==, 1);
  /* a visit has no recorded contact; an unknown audit is not found */
  visit = audit_of (&f, f.visit_scenario, f.shopper, T0);
  m = assay_store_audits_match_test_call_sync (f.store, visit, 5 * MINUTE, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (assay_store_audits_confirm_test_call_sync (f.store, "nope", I(30), SHOP, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audits/match/number-time-queue", test_match_by_number_time_queue);
  g_test_add_func ("/audits/match/confirm-unlink", test_confirm_and_unlink);
  return g_test_run ();
}
