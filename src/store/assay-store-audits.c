/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include <glib/gi18n.h>

#include "assay-store-audits-private.h"
#include "assay-store-private.h"
#include "core/assay-scoring.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

/* Writes of the audit programme: programmes, scenarios, shoppers, visits, audits and their
 * revisions (docs/audits.md). Reads are in assay-store-audits-read.c. */

typedef struct
{
  char   *s[10];
  gint64  n[2];
} Args;

static void
args_free (Args *a)
{
  for (guint i = 0; i < G_N_ELEMENTS (a->s); i++)
    g_free (a->s[i]);
  g_free (a);
}

void
assay_audit_programme_record_free (AssayAuditProgrammeRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->name);
  g_free (r->description);
  g_free (r);
}

void
assay_audit_scenario_record_free (AssayAuditScenarioRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->programme_id);
  g_free (r->name);
  g_free (r->channel);
  g_free (r->site);
  g_free (r->queue);
  g_free (r->team_id);
  g_free (r->target);
  g_free (r->script);
  g_free (r->observe);
  g_free (r->form_version_id);
  g_free (r);
}

void
assay_audit_shopper_record_free (AssayAuditShopperRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->name);
  g_free (r->kind);
  g_free (r->agency);
  g_free (r->phone);
  g_free (r->staff_id);
  g_free (r);
}

void
assay_audit_visit_record_free (AssayAuditVisitRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->scenario_id);
  g_free (r->scenario_name);
  g_free (r->channel);
  g_free (r->target);
  g_free (r->shopper_id);
  g_free (r->shopper_name);
  g_free (r->audit_id);
  g_free (r);
}

void
assay_audit_quota_record_free (AssayAuditQuotaRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->target);
  g_free (r->team_id);
  g_free (r);
}

void
assay_audit_record_free (AssayAuditRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->visit_id);
  g_free (r->scenario_id);
  g_free (r->scenario_name);
  g_free (r->channel);
  g_free (r->target);
  g_free (r->form_version_id);
  g_free (r->shopper_id);
  g_free (r->shopper_name);
  g_free (r->author_id);
  g_free (r->agent_id);
  g_free (r->interaction_id);
  g_free (r->state);
  g_free (r->answers);
  g_free (r->results);
  g_free (r);
}

AssayAuditRecord *
assay_audit_record_copy (const AssayAuditRecord *src)
{
  AssayAuditRecord *r = g_memdup2 (src, sizeof *src);

  r->id = g_strdup (src->id);
  r->visit_id = g_strdup (src->visit_id);
  r->scenario_id = g_strdup (src->scenario_id);
  r->scenario_name = g_strdup (src->scenario_name);
  r->channel = g_strdup (src->channel);
  r->target = g_strdup (src->target);
  r->form_version_id = g_strdup (src->form_version_id);
  r->shopper_id = g_strdup (src->shopper_id);
  r->shopper_name = g_strdup (src->shopper_name);
  r->author_id = g_strdup (src->author_id);
  r->agent_id = g_strdup (src->agent_id);
  r->interaction_id = g_strdup (src->interaction_id);
  r->state = g_strdup (src->state);
  r->answers = g_strdup (src->answers);
  r->results = g_strdup (src->results);
  return r;
}

gboolean
_assay_audits_invalid (GError     **error,
                       const char  *message)
{
  g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* the row as a JSON object, the sync operation's data, read back as written */
static char *
row_json (sqlite3     *db,
          const char  *table,
          const char  *id,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) cols = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT json_object (");
  char *q;
  int rc;

  q = sqlite3_mprintf ("SELECT name FROM pragma_table_info (%Q) WHERE name NOT IN ('rev', 'dirty')",
                       table);
  cols = _assay_store_prepare (db, q, error);
  sqlite3_free (q);
  if (cols == NULL)
    return NULL;
  for (gboolean first = TRUE; (rc = sqlite3_step (cols)) == SQLITE_ROW; first = FALSE)
    {
      const char *name = (const char *) sqlite3_column_text (cols, 0);

      q = sqlite3_mprintf ("%s%Q, \"%w\"", first ? "" : ", ", name, name);
      g_string_append (sql, q);
      sqlite3_free (q);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  q = sqlite3_mprintf (") FROM \"%w\" WHERE id = ?", table);
  g_string_append (sql, q);
  sqlite3_free (q);
  stmt = _assay_store_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error), NULL;
  return _assay_store_column_dup (stmt, 0);
}

gboolean
_assay_audits_queue_row (sqlite3     *db,
                         const char  *table,
                         const char  *collection,
                         const char  *id,
                         const char  *action,
                         gboolean     coalesce,
                         GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET dirty = 1 WHERE id = ?", table);
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autofree char *data = NULL;
  AssayStoreOutboxOp op = { .collection = collection, .object_id = id, .action = action,
                            .base_rev = -1, .coalesce = coalesce };

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  data = row_json (db, table, id, error);
  if (data == NULL)
    return FALSE;
  op.data = data;
  if (g_strcmp0 (action, "create") != 0)
    op.base_rev_of = table;
  if (!_assay_store_enqueue (db, &op, error))
    return FALSE;
  _assay_store_note_change (db, ASSAY_STORE_AUDITS, id);
  return TRUE;
}

static char *
nonempty (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *copy != '\0' ? g_steal_pointer (&copy) : NULL;
}

/* ---- programme, scenarios, shoppers, visits ---- */

static gpointer
programme_locked (sqlite3  *db,
                  gpointer  data,
                  GError  **error)
{
  Args *a = data;
  g_autofree char *id = assay_uuid_new ();
  g_autofree char *name = nonempty (a->s[0]);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (name == NULL)
    return _assay_audits_invalid (error, _("Give the programme a name")), NULL;
  if (a->n[1] <= a->n[0])
    return _assay_audits_invalid (error, _("A programme must end after it starts: pick a later "
                                           "end")), NULL;
  stmt = _assay_store_prepare (db, "INSERT INTO audit_programme (id, name, description, starts_at,"
                                   " ends_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->s[1] ? a->s[1] : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, a->n[0]);
  sqlite3_bind_int64 (stmt, 5, a->n[1]);
  _assay_store_bind_text_or_null (stmt, 6, a->s[2]);
  sqlite3_bind_int64 (stmt, 7, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error)
      || !_assay_audits_queue_row (db, "audit_programme", "audit_programmes", id, "create", FALSE,
                                   error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
row_exists (sqlite3     *db,
            const char  *sql,
            const char  *id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (id == NULL || sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gpointer
scenario_locked (sqlite3  *db,
                 gpointer  data,
                 GError  **error)
{
  Args *a = data;
  g_autofree char *id = assay_uuid_new ();
  g_autofree char *name = nonempty (a->s[1]);
  g_autofree char *site = nonempty (a->s[3]);
  g_autofree char *queue = nonempty (a->s[4]);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  static const char *const channels[] = { "phone", "chat", "email", "visit", NULL };

  if (!row_exists (db, "SELECT 1 FROM audit_programme WHERE id = ?", a->s[0]))
    return _assay_audits_invalid (error, _("The programme no longer exists; pick another")), NULL;
  if (name == NULL)
    return _assay_audits_invalid (error, _("Give the scenario a name")), NULL;
  if (a->s[2] == NULL || !g_strv_contains (channels, a->s[2]))
    return _assay_audits_invalid (error, _("Pick the scenario's channel: phone, chat, email or "
                                           "visit")), NULL;
  if (site == NULL && queue == NULL && a->s[5] == NULL)
    return _assay_audits_invalid (error, _("Say what the scenario targets: a site, a queue or a "
                                           "team")), NULL;
  if (!row_exists (db, "SELECT 1 FROM form_version WHERE id = ? AND published_at IS NOT NULL",
                   a->s[8]))
    return _assay_audits_invalid (error, _("Audits are scored on a published scorecard: publish "
                                           "the form or pick a published version")), NULL;
  if (a->n[0] < 0 || a->n[0] > 1000)
    return _assay_audits_invalid (error, _("A monthly quota is between 0 and 1000 audits")), NULL;

  stmt = _assay_store_prepare (db, "INSERT INTO audit_scenario (id, programme_id, name, channel, site,"
                                   " queue, team_id, script, observe, form_version_id, monthly_quota,"
                                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->s[0], -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, a->s[2], -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 5, site);
  _assay_store_bind_text_or_null (stmt, 6, queue);
  _assay_store_bind_text_or_null (stmt, 7, a->s[5]);
  sqlite3_bind_text (stmt, 8, a->s[6] ? a->s[6] : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, a->s[7] ? a->s[7] : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, a->s[8], -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 11, a->n[0]);
  sqlite3_bind_int64 (stmt, 12, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error)
      || !_assay_audits_queue_row (db, "audit_scenario", "audit_scenarios", id, "create", FALSE,
                                   error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
shopper_locked (sqlite3  *db,
                gpointer  data,
                GError  **error)
{
  Args *a = data;
  g_autofree char *id = assay_uuid_new ();
  g_autofree char *name = nonempty (a->s[0]);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *kind = a->s[1] ? a->s[1] : "internal";

  if (name == NULL)
    return _assay_audits_invalid (error, _("Give the shopper a name")), NULL;
  if (g_strcmp0 (kind, "internal") != 0 && g_strcmp0 (kind, "agency") != 0)
    return _assay_audits_invalid (error, _("A shopper is internal staff or an agency's")), NULL;
  stmt = _assay_store_prepare (db, "INSERT INTO audit_shopper (id, name, kind, agency, phone, staff_id,"
                                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  _assay_store_bind_text_or_null (stmt, 4, a->s[2]);
  _assay_store_bind_text_or_null (stmt, 5, a->s[3]);
  _assay_store_bind_text_or_null (stmt, 6, a->s[4]);
  sqlite3_bind_int64 (stmt, 7, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error)
      || !_assay_audits_queue_row (db, "audit_shopper", "audit_shoppers", id, "create", FALSE,
                                   error))
    return NULL;
  return g_steal_pointer (&id);
}

static gpointer
visit_locked (sqlite3  *db,
              gpointer  data,
              GError  **error)
{
  Args *a = data;
  g_autofree char *id = assay_uuid_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!row_exists (db, "SELECT 1 FROM audit_scenario WHERE id = ?", a->s[0]))
    return _assay_audits_invalid (error, _("The scenario no longer exists; pick another")), NULL;
  if (a->s[1] != NULL && !row_exists (db, "SELECT 1 FROM audit_shopper WHERE id = ?", a->s[1]))
    return _assay_audits_invalid (error, _("The shopper no longer exists; pick another")), NULL;
  stmt = _assay_store_prepare (db, "INSERT INTO audit_visit (id, scenario_id, shopper_id, due_at,"
                                   " created_at) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->s[0], -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 3, a->s[1]);
  sqlite3_bind_int64 (stmt, 4, a->n[0]);
  sqlite3_bind_int64 (stmt, 5, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error)
      || !_assay_audits_queue_row (db, "audit_visit", "audit_visits", id, "create", FALSE, error))
    return NULL;
  return g_steal_pointer (&id);
}

typedef struct
{
  gpointer (*locked) (sqlite3 *, gpointer, GError **);
  Args     *a;
} WriteCall;

static gpointer
write_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  WriteCall *call = data;

  return _assay_store_in_transaction (db, call->locked, call->a, g_free, error);
}

static void
write_call_free (WriteCall *call)
{
  args_free (call->a);
  g_free (call);
}

static char *
run_write_sync (AssayStore  *store,
                gpointer   (*locked) (sqlite3 *, gpointer, GError **),
                Args        *a,
                GError     **error)
{
  WriteCall call = { locked, a };
  char *id = _assay_store_run_sync (store, write_func, &call, error);

  args_free (a);
  return id;
}

static Args *
args_new (const char *s0,
          const char *s1,
          const char *s2,
          const char *s3,
          const char *s4)
{
  Args *a = g_new0 (Args, 1);

  a->s[0] = g_strdup (s0);
  a->s[1] = g_strdup (s1);
  a->s[2] = g_strdup (s2);
  a->s[3] = g_strdup (s3);
  a->s[4] = g_strdup (s4);
  return a;
}

char *
assay_store_audits_create_programme_sync (AssayStore  *store,
                                          const char  *name,
                                          const char  *description,
                                          gint64       starts_at,
                                          gint64       ends_at,
                                          const char  *created_by,
                                          GError     **error)
{
  Args *a = args_new (name, description, created_by, NULL, NULL);

  a->n[0] = starts_at;
  a->n[1] = ends_at;
  return run_write_sync (store, programme_locked, a, error);
}

char *
assay_store_audits_create_scenario_sync (AssayStore  *store,
                                         const char  *programme_id,
                                         const char  *name,
                                         const char  *channel,
                                         const char  *site,
                                         const char  *queue,
                                         const char  *team_id,
                                         const char  *script,
                                         const char  *observe,
                                         const char  *form_version_id,
                                         guint        monthly_quota,
                                         GError     **error)
{
  Args *a = args_new (programme_id, name, channel, site, queue);

  a->s[5] = g_strdup (team_id);
  a->s[6] = g_strdup (script);
  a->s[7] = g_strdup (observe);
  a->s[8] = g_strdup (form_version_id);
  a->n[0] = monthly_quota;
  return run_write_sync (store, scenario_locked, a, error);
}

char *
assay_store_audits_create_shopper_sync (AssayStore  *store,
                                        const char  *name,
                                        const char  *kind,
                                        const char  *agency,
                                        const char  *phone,
                                        const char  *staff_id,
                                        GError     **error)
{
  return run_write_sync (store, shopper_locked, args_new (name, kind, agency, phone, staff_id),
                         error);
}

char *
assay_store_audits_schedule_visit_sync (AssayStore  *store,
                                        const char  *scenario_id,
                                        const char  *shopper_id,
                                        gint64       due_at,
                                        GError     **error)
{
  Args *a = args_new (scenario_id, shopper_id, NULL, NULL, NULL);

  a->n[0] = due_at;
  return run_write_sync (store, visit_locked, a, error);
}

void
assay_store_audits_schedule_visit_async (AssayStore          *store,
                                         const char          *scenario_id,
                                         const char          *shopper_id,
                                         gint64               due_at,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  WriteCall *call = g_new0 (WriteCall, 1);

  call->locked = visit_locked;
  call->a = args_new (scenario_id, shopper_id, NULL, NULL, NULL);
  call->a->n[0] = due_at;
  _assay_store_run_async (store, write_func, call, (GDestroyNotify) write_call_free, g_free,
                          assay_store_audits_schedule_visit_async, cancellable, callback,
                          user_data);
}

char *
assay_store_audits_schedule_visit_finish (AssayStore    *store,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}
