/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-store-work.h"

#include "assay-store-kpi-private.h"
#include "assay-store-private.h"

/* tables whose rows are computed from others and may be made again: not work */
static const char *const derived_tables[] = {
  "analysis",
  KPI_SUMMARY_TABLES,
  NULL
};

/* tables a migration fills with defaults (configuration a centre may change): their rows are
 * fingerprinted like any other, but a database holding only these defaults is still empty.
 * A migration that inserts rows names its table here. */
static const char *const default_tables[] = {
  "dispute_stage",
  NULL
};

/* what the description counts, in this order: table, one, many */
static const struct {
  const char *table;
  const char *one;
  const char *many;
} counted[] = {
  { "evaluation", "evaluation", "evaluations" },
  { "evaluation_revision", "evaluation revision", "evaluation revisions" },
  { "evaluation_draft", "draft", "drafts" },
  { "annotation", "annotation", "annotations" },
  { "form_version", "scorecard version", "scorecard versions" },
  { "assignment", "assignment", "assignments" },
  { "sampling_draw", "sampling draw", "sampling draws" },
  { "staff", "staff member", "staff" },
  { "interaction", "interaction", "interactions" },
};

static GPtrArray *
table_names (sqlite3  *db,
             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_schema"
                                   " WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                                   " ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_strv_contains (derived_tables, name))
        g_ptr_array_add (names, g_strdup_printf ("%c%s", sqlite3_column_int (stmt, 1) ? 'w' : 'r',
                                                 name));
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&names);
}

/* A digest of every row of every table but the derived ones, and whether there is any row
 * besides the defaults migrations made. */
static gboolean
fingerprint (sqlite3   *db,
             gint32    *out,
             gboolean  *any_rows,
             GError   **error)
{
  g_autoptr(GPtrArray) tables = table_names (db, error);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  guint32 value;

  if (tables == NULL)
    return FALSE;
  *any_rows = FALSE;
  for (guint t = 0; t < tables->len; t++)
    {
      const char *entry = g_ptr_array_index (tables, t);
      char *sql = sqlite3_mprintf ("SELECT * FROM \"%w\" ORDER BY %s", entry + 1,
                                   entry[0] == 'w' ? "1" : "rowid");
      g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
      int rc;

      sqlite3_free (sql);
      if (stmt == NULL)
        return FALSE;
      g_checksum_update (sum, (const guchar *) entry, (gssize) strlen (entry) + 1);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (!g_strv_contains (default_tables, entry + 1))
            *any_rows = TRUE;
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              guchar type = (guchar) sqlite3_column_type (stmt, c);
              const void *bytes = sqlite3_column_blob (stmt, c);
              guint32 n = (guint32) sqlite3_column_bytes (stmt, c);

              g_checksum_update (sum, &type, 1);
              g_checksum_update (sum, (const guchar *) &n, sizeof n);
              if (n > 0)
                g_checksum_update (sum, bytes, n);
            }
        }
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
    }
  g_checksum_get_digest (sum, digest, &digest_len);
  memcpy (&value, digest, sizeof value);
  /* 0 is the header's "no mark" */
  *out = value == 0 ? 1 : (gint32) value;
  return TRUE;
}

static gint64
count_rows (sqlite3    *db,
            const char *table)
{
  char *sql = sqlite3_mprintf ("SELECT count(*) FROM \"%w\"", table);
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_free (sql);
  return n;
}

static char *
format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
describe (sqlite3  *db,
          gboolean  marked)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (counted); i++)
    {
      gint64 n = count_rows (db, counted[i].table);
      g_autofree char *number = NULL;

      if (n <= 0)
        continue;
      number = format_count (n);
      g_ptr_array_add (parts, g_strdup_printf ("%s %s", number,
                                               n == 1 ? counted[i].one : counted[i].many));
    }
  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == parts->len ? " and " : ", ");
      g_string_append (out, g_ptr_array_index (parts, i));
    }
  if (parts->len == 0)
    g_string_append (out, "rows of its own");
  g_string_append (out, marked ? "; it changed after 'assayctl seed' made it"
                               : "; it was not made by 'assayctl seed'");
  return g_string_free (out, FALSE);
}

typedef struct {
  char          *description;
  AssayWorkKind  kind;
} Check;

static gpointer
check_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Check *check = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean any_rows = FALSE;
  gint32 now = 0, mark = 0;

  if (!fingerprint (db, &now, &any_rows, error))
    return NULL;
  stmt = _assay_store_prepare (db, "PRAGMA application_id", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    mark = sqlite3_column_int (stmt, 0);

  if (!any_rows)
    check->kind = ASSAY_WORK_NONE;
  else if (mark != 0 && mark == now)
    check->kind = ASSAY_WORK_DEMO_ONLY;
  else
    {
      check->kind = ASSAY_WORK_REAL;
      check->description = describe (db, mark != 0);
    }
  return GINT_TO_POINTER (TRUE);
}

AssayWorkKind
assay_store_check_work_sync (AssayStore  *store,
                             char       **description,
                             GError     **error)
{
  Check check = { NULL, ASSAY_WORK_REAL };
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (ASSAY_IS_STORE (store), ASSAY_WORK_REAL);

  if (_assay_store_run_sync (store, check_func, &check, &local) == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return ASSAY_WORK_REAL;
    }
  if (description != NULL)
    *description = g_steal_pointer (&check.description);
  g_free (check.description);
  return check.kind;
}

static gpointer
mark_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *sql = NULL;
  gboolean any_rows = FALSE;
  gint32 now = 0;

  if (!fingerprint (db, &now, &any_rows, error))
    return NULL;
  sql = g_strdup_printf ("PRAGMA application_id = %d", now);
  if (!_assay_store_exec (db, sql, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

gboolean
assay_store_mark_demo_sync (AssayStore  *store,
                            GError     **error)
{
  g_return_val_if_fail (ASSAY_IS_STORE (store), FALSE);
  return _assay_store_run_sync (store, mark_func, NULL, error) != NULL;
}
