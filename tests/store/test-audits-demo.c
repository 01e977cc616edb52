/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "test-db.h"
#include "core/assay-photo-meta.h"
#include "store/assay-store-audits.h"
#include "store/assay-store-seed.h"

/*
 * The demo's mystery-shopper programme (assay-store-seed-audits.c): three scenarios, two
 * shoppers, 30 audits over the quarter with their scores as the engine gives them, the visits'
 * photos on disk, and two test calls that the matcher finds again among the demo contacts.
 */

#define END_MS G_GINT64_CONSTANT (1795176000000)   /* 2026-11-20 12:00 UTC */

static AssayStore *
seeded (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-audits-demo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "assay.db", NULL);
  g_autofree char *forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo",
                                             "forms", NULL);
  AssayStore *store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  AssaySeedOptions options;
  AssaySeedSummary summary = { 0 };

  g_assert_true (assay_store_open_sync (store, &error));
  assay_seed_options_init (&options);
  options.n_interactions = 3000;
  options.end_ms = END_MS;
  options.forms_dir = forms;
  g_assert_true (assay_store_seed_sync (store, &options, &summary, &error));
  g_assert_no_error (error);
  assay_seed_summary_clear (&summary);
  return store;
}

static void
test_programme (void)
{
  g_autoptr(AssayStore) store = seeded ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = assay_store_audits_list_scenarios_sync (store, NULL, &error);
  g_autoptr(GPtrArray) shoppers = assay_store_audits_list_shoppers_sync (store, &error);
  gboolean phone = FALSE, chat = FALSE, visit = FALSE;

  g_assert_no_error (error);
  g_assert_cmpuint (scenarios->len, ==, 3);
  for (guint i = 0; i < scenarios->len; i++)
    {
      AssayAuditScenarioRecord *s = scenarios->pdata[i];

      phone |= g_strcmp0 (s->channel, "phone") == 0;
      chat |= g_strcmp0 (s->channel, "chat") == 0;
      visit |= g_strcmp0 (s->channel, "visit") == 0;
    }
  g_assert_true (phone && chat && visit);
  g_assert_cmpuint (shoppers->len, ==, 2);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM audit WHERE state = 'submitted'"),
                   ==, 30);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM audit_revision"), ==, 30);
  /* over the quarter, in Chinese and English */
  g_assert_cmpint (test_db_query_int (store, "SELECT (max (visited_at) - min (visited_at)) / 86400000"
                                             " FROM audit"), >=, 60);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM audit_scenario"
                                             " WHERE name GLOB '*[电网]*'"), ==, 2);
  /* every score is the engine's: the results document says the same as the score column */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM audit_revision WHERE"
                                             " abs (score - json_extract (results, '$.overall')) > 0.001"),
                   ==, 0);
  /* the schedule has visits due and overdue this month */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM audit_visit v WHERE NOT EXISTS"
                                             " (SELECT 1 FROM audit a WHERE a.visit_id = v.id)"), ==, 6);

  /* the visits' photos: on disk, content-addressed, nothing to strip; the test calls linked */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(DISTINCT audit_id) FROM audit_evidence"),
                   ==, 10);
  {
    g_autoptr(GPtrArray) visits = assay_store_audits_list_visits_sync (store, 0, G_MAXINT64, END_MS,
                                                                       &error);
    guint photos = 0, linked = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < visits->len; i++)
      {
        AssayAuditVisitRecord *v = visits->pdata[i];
        g_autoptr(AssayAuditRecord) audit = NULL;

        if (v->audit_id == NULL)
          continue;
        g_assert_cmpint (v->status, ==, ASSAY_AUDIT_DONE);
        if (g_strcmp0 (v->channel, "visit") == 0)
          {
            g_autoptr(GPtrArray) evidence = assay_store_audits_list_evidence_sync (store, v->audit_id,
                                                                                   &error);
            AssayAuditEvidenceRecord *e;
            g_autoptr(GBytes) bytes = NULL;
            g_autoptr(GBytes) clean = NULL;
            g_autofree char *sha = NULL;
            char *data = NULL;
            gsize n = 0;
            guint removed = 9;

            g_assert_cmpuint (evidence->len, ==, 1);
            e = evidence->pdata[0];
            g_assert_cmpstr (e->media_type, ==, "image/png");
            g_assert_true (g_file_get_contents (e->path, &data, &n, NULL));
            bytes = g_bytes_new_take (data, n);
            g_assert_true (assay_photo_is_png (g_bytes_get_data (bytes, NULL), n));
            sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
            g_assert_cmpstr (sha, ==, e->sha256);
            clean = assay_photo_strip_metadata (bytes, &removed, &error);
            g_assert_no_error (error);
            g_assert_cmpuint (removed, ==, 0);
            photos++;
          }
        audit = assay_store_audits_get_sync (store, v->audit_id, &error);
        g_assert_no_error (error);
        if (audit->interaction_id != NULL)
          {
            g_autoptr(GPtrArray) m = assay_store_audits_match_test_call_sync (store, audit->id,
                                                                              10 * 60000, &error);

            g_assert_no_error (error);
            g_assert_cmpuint (m->len, >=, 1);
            g_assert_cmpstr (((AssayAuditMatchRecord *) m->pdata[0])->interaction_id, ==,
                             audit->interaction_id);
            g_assert_true (((AssayAuditMatchRecord *) m->pdata[0])->confirmed);
            linked++;
          }
      }
    g_assert_cmpuint (photos, ==, 10);
    g_assert_cmpuint (linked, ==, 2);
  }
  assay_store_close (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audits/demo/programme", test_programme);
  return g_test_run ();
}
