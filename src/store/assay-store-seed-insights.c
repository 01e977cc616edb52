/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-seed-insights.h"
#include "assay-store-private.h"

/* the centre's list; how often the demo's low scores are put down to each (weights) */
static const struct {
  const char *category;
  const char *sub_cause;
  guint       weight;
} causes[] = {
  { "people", "Product knowledge / 产品知识", 9 },
  { "people", "Did not verify the caller / 未核实身份", 7 },
  { "people", "Tone and empathy / 语气与同理心", 4 },
  { "process", "Refund policy unclear / 退款政策不清", 6 },
  { "process", "Handover between teams / 跨组转接", 3 },
  { "technology", "CRM slow or down / 系统卡顿", 5 },
  { "technology", "Line quality / 线路质量", 2 },
  { "resources", "Understaffed shift / 排班不足", 3 },
  { "resources", "Knowledge base out of date / 知识库过时", 2 },
  { "environment", "Noisy workplace / 环境嘈杂", 1 },
  { "environment", "Provider outage / 运营商故障", 1 },
};

/* the centre's targets and warning values (docs/kpi.md), in force from the start */
static const struct {
  const char *kpi;
  double      target;
  double      warning;
} targets[] = {
  { "qa_score", 85, 80 },
  { "critical_fail_rate", 5, 10 },
  { "csat", 80, 75 },
  { "nps", 30, 20 },
  { "fcr", 75, 70 },
  { "aht_s.phone", 420, 480 },
  { "aht_s.chat", 300, 360 },
  { "service_level", 80, 75 },
  { "sla_attainment", 85, 80 },
};

/* a UUID made from the seed and a name, so the same seed writes the same rows */
static char *
demo_uuid (guint32     seed,
           const char *what)
{
  g_autofree char *key = g_strdup_printf ("assay-demo-insights/%u/%s", seed, what);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strdup_printf ("%.8s-%.4s-4%.3s-8%.3s-%.12s", hex, hex + 8, hex + 13, hex + 17, hex + 20);
}

gboolean
_assay_store_seed_insights (sqlite3  *db,
                            guint32   seed,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) cause = NULL;
  g_autoptr(sqlite3_stmt) low = NULL;
  g_autoptr(sqlite3_stmt) tag = NULL;
  char *ids[G_N_ELEMENTS (causes)] = { NULL };
  guint total = 0;
  gboolean ok = FALSE;
  int rc;

  cause = _assay_store_prepare (db, "INSERT INTO root_cause (id, category, sub_cause, created_at)"
                                    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (category, sub_cause)"
                                    " DO UPDATE SET active = 1", error);
  if (cause == NULL)
    return FALSE;
  for (guint c = 0; c < G_N_ELEMENTS (causes); c++)
    {
      g_autofree char *id = demo_uuid (seed, causes[c].sub_cause);

      sqlite3_reset (cause);
      sqlite3_bind_text (cause, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (cause, 2, causes[c].category, -1, SQLITE_STATIC);
      sqlite3_bind_text (cause, 3, causes[c].sub_cause, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (cause, 4, 0);
      if ((rc = sqlite3_step (cause)) != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
      total += causes[c].weight;
    }
  g_clear_pointer (&cause, sqlite3_finalize);
  cause = _assay_store_prepare (db, "INSERT OR IGNORE INTO kpi_target (id, scope, kpi, target,"
                                    " warning, from_at, created_at) VALUES (?1, 'centre', ?2, ?3,"
                                    " ?4, 0, 0)", error);
  if (cause == NULL)
    return FALSE;
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *key = g_strdup_printf ("target/%s", targets[t].kpi);
      g_autofree char *id = demo_uuid (seed, key);

      sqlite3_reset (cause);
      sqlite3_bind_text (cause, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (cause, 2, targets[t].kpi, -1, SQLITE_STATIC);
      sqlite3_bind_double (cause, 3, targets[t].target);
      sqlite3_bind_double (cause, 4, targets[t].warning);
      if ((rc = sqlite3_step (cause)) != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
    }
  /* the ids as they are (a cause kept from an earlier seed keeps its id) */
  low = _assay_store_prepare (db, "SELECT id FROM root_cause WHERE category = ?1"
                                  " AND sub_cause = ?2", error);
  if (low == NULL)
    return FALSE;
  for (guint c = 0; c < G_N_ELEMENTS (causes); c++)
    {
      sqlite3_reset (low);
      sqlite3_bind_text (low, 1, causes[c].category, -1, SQLITE_STATIC);
      sqlite3_bind_text (low, 2, causes[c].sub_cause, -1, SQLITE_STATIC);
      if (sqlite3_step (low) != SQLITE_ROW)
        goto out;
      ids[c] = g_strdup ((const char *) sqlite3_column_text (low, 0));
    }
  g_clear_pointer (&low, sqlite3_finalize);

  low = _assay_store_prepare (db, "SELECT e.id, e.inspector_id, i.started_at, i.team_id"
                                  " FROM evaluation e"
                                  " JOIN evaluation_revision r ON r.id = e.current_revision_id"
                                  " JOIN interaction i ON i.id = e.interaction_id"
                                  " WHERE e.state = 'submitted' AND r.score < 80", error);
  tag = _assay_store_prepare (db, "INSERT INTO root_cause_tag (id, root_cause_id, kind, object_id,"
                                  " author_id, created_at, contact_at, contact_team_id)"
                                  " VALUES (?1, ?2, 'evaluation', ?3, ?4, ?5, ?5, ?6)", error);
  if (low == NULL || tag == NULL)
    goto out;
  while ((rc = sqlite3_step (low)) == SQLITE_ROW)
    {
      const char *evaluation = (const char *) sqlite3_column_text (low, 0);
      g_autofree char *id = demo_uuid (seed, evaluation);
      guint pick = g_str_hash (id) % total;
      guint c = 0;

      while (pick >= causes[c].weight)
        pick -= causes[c++].weight;
      sqlite3_reset (tag);
      sqlite3_bind_text (tag, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (tag, 2, ids[c], -1, SQLITE_STATIC);
      sqlite3_bind_text (tag, 3, evaluation, -1, SQLITE_TRANSIENT);
      sqlite3_bind_value (tag, 4, sqlite3_column_value (low, 1));
      sqlite3_bind_int64 (tag, 5, sqlite3_column_int64 (low, 2));
      sqlite3_bind_value (tag, 6, sqlite3_column_value (low, 3));
      if ((rc = sqlite3_step (tag)) != SQLITE_DONE)
        {
          _assay_store_set_error (db, rc, error);
          goto out;
        }
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      goto out;
    }
  ok = TRUE;
out:
  if (!ok && error != NULL && *error == NULL)
    g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                         "The demo's root causes could not be written");
  for (guint c = 0; c < G_N_ELEMENTS (causes); c++)
    g_free (ids[c]);
  return ok;
}
