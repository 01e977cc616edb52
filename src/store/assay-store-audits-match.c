/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gi18n.h>

#include "assay-store-audits-private.h"
#include "assay-store-private.h"
#include "core/assay-util.h"

/* Test calls meet the centre's records (docs/audits.md): a phone audit is matched to the
 * contact the centre recorded by time window, queue and the shopper's number, and linked once
 * a person confirms it. */

void
assay_audit_match_record_free (AssayAuditMatchRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->interaction_id);
  g_free (r->queue);
  g_free (r->channel);
  g_free (r->customer_ref);
  g_free (r->agent_id);
  g_free (r->agent_name);
  g_free (r);
}

static char *
digits_of (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

/* the same number: equal digits, or one ends with the other of at least 7 digits (+86 …) */
static gboolean
same_number (const char *a,
             const char *b)
{
  g_autofree char *da = digits_of (a);
  g_autofree char *db = digits_of (b);
  gsize la = strlen (da), lb = strlen (db);

  if (la == 0 || lb == 0)
    return FALSE;
  if (la == lb)
    return strcmp (da, db) == 0;
  if (MIN (la, lb) < 7)
    return FALSE;
  return la > lb ? strcmp (da + la - lb, db) == 0 : strcmp (db + lb - la, da) == 0;
}

typedef struct
{
  char   *audit_id;
  char   *interaction_id;
  char   *user_id;
  gint64  window_ms;
} Call;

static void
call_free (Call *call)
{
  g_free (call->audit_id);
  g_free (call->interaction_id);
  g_free (call->user_id);
  g_free (call);
}

static gint
by_offset (gconstpointer a,
           gconstpointer b)
{
  const AssayAuditMatchRecord *x = *(AssayAuditMatchRecord *const *) a;
  const AssayAuditMatchRecord *y = *(AssayAuditMatchRecord *const *) b;
  gint64 dx = ABS (x->offset_ms), dy = ABS (y->offset_ms);

  return dx < dy ? -1 : dx > dy ? 1 : g_strcmp0 (x->interaction_id, y->interaction_id);
}

static gpointer
match_func (sqlite3       *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Call *call = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_audit_match_record_free);
  g_autofree char *channel = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *linked = NULL;
  gint64 visited_at;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT sc.channel, sc.queue, sh.phone, a.visited_at, a.interaction_id"
                                   " FROM audit a JOIN audit_scenario sc ON sc.id = a.scenario_id"
                                   " LEFT JOIN audit_shopper sh ON sh.id = a.shopper_id"
                                   " WHERE a.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, call->audit_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The audit %s does not exist"), call->audit_id);
      return NULL;
    }
  channel = _assay_store_column_dup (stmt, 0);
  queue = _assay_store_column_dup (stmt, 1);
  phone = _assay_store_column_dup (stmt, 2);
  visited_at = sqlite3_column_int64 (stmt, 3);
  linked = _assay_store_column_dup (stmt, 4);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (g_strcmp0 (channel, "visit") == 0)
    return _assay_audits_invalid (error, _("A visit to a service point has no recorded contact "
                                           "to match")), NULL;
  if (phone == NULL && g_strcmp0 (channel, "phone") == 0)
    return _assay_audits_invalid (error, _("The shopper has no phone number: add the number "
                                           "their test calls come from")), NULL;

  /* interaction_queue (queue, started_at) or interaction_channel (channel, started_at) */
  stmt = _assay_store_prepare (db, "SELECT i.id, i.queue, i.channel, i.customer_ref, i.agent_id,"
                                   " ag.name, i.started_at FROM interaction i"
                                   " LEFT JOIN agent ag ON ag.id = i.agent_id"
                                   " WHERE (?1 IS NULL OR i.queue = ?1) AND i.channel = ?2"
                                   " AND i.started_at BETWEEN ?3 AND ?4", error);
  if (stmt == NULL)
    return NULL;
  _assay_store_bind_text_or_null (stmt, 1, queue);
  sqlite3_bind_text (stmt, 2, channel, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, visited_at - call->window_ms);
  sqlite3_bind_int64 (stmt, 4, visited_at + call->window_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAuditMatchRecord *r;

      if (phone != NULL && !same_number (phone, _assay_store_column_text (stmt, 3)))
        continue;
      r = g_new0 (AssayAuditMatchRecord, 1);
      r->interaction_id = _assay_store_column_dup (stmt, 0);
      r->queue = _assay_store_column_dup (stmt, 1);
      r->channel = _assay_store_column_dup (stmt, 2);
      r->customer_ref = _assay_store_column_dup (stmt, 3);
      r->agent_id = _assay_store_column_dup (stmt, 4);
      r->agent_name = _assay_store_column_dup (stmt, 5);
      r->started_at = sqlite3_column_int64 (stmt, 6);
      r->offset_ms = r->started_at - visited_at;
      r->confirmed = g_strcmp0 (linked, r->interaction_id) == 0;
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  g_ptr_array_sort (out, by_offset);
  return g_steal_pointer (&out);
}

static Call *
call_new (const char *audit_id,
          const char *interaction_id,
          const char *user_id,
          gint64      window_ms)
{
  Call *call = g_new0 (Call, 1);

  call->audit_id = g_strdup (audit_id);
  call->interaction_id = g_strdup (interaction_id);
  call->user_id = g_strdup (user_id);
  call->window_ms = window_ms;
  return call;
}

void
assay_store_audits_match_test_call_async (AssayStore          *store,
                                          const char          *audit_id,
                                          gint64               window_ms,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  _assay_store_run_async (store, match_func, call_new (audit_id, NULL, NULL, window_ms),
                          (GDestroyNotify) call_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_audits_match_test_call_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_audits_match_test_call_finish (AssayStore    *store,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_audits_match_test_call_sync (AssayStore  *store,
                                         const char  *audit_id,
                                         gint64       window_ms,
                                         GError     **error)
{
  Call *call = call_new (audit_id, NULL, NULL, window_ms);
  GPtrArray *out = _assay_store_run_sync (store, match_func, call, error);

  call_free (call);
  return out;
}

static gboolean
confirm_locked (sqlite3  *db,
                gpointer  data,
                GError  **error)
{
  Call *call = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "UPDATE audit SET interaction_id = ?1,"
                                   " matched_by = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END,"
                                   " matched_at = CASE WHEN ?1 IS NULL THEN NULL ELSE ?3 END,"
                                   " updated_at = ?3 WHERE id = ?4", error);
  if (stmt == NULL)
    return FALSE;
  _assay_store_bind_text_or_null (stmt, 1, call->interaction_id);
  _assay_store_bind_text_or_null (stmt, 2, call->user_id);
  sqlite3_bind_int64 (stmt, 3, assay_now_ms ());
  sqlite3_bind_text (stmt, 4, call->audit_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The audit %s does not exist"), call->audit_id);
      return FALSE;
    }
  return _assay_audits_queue_row (db, "audit", "audits", call->audit_id, "update", FALSE, error);
}

static gpointer
confirm_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return _assay_store_in_transaction_ok (db, confirm_locked, data, error) ? GINT_TO_POINTER (1)
                                                                          : NULL;
}

void
assay_store_audits_confirm_test_call_async (AssayStore          *store,
                                            const char          *audit_id,
                                            const char          *interaction_id,
                                            const char          *user_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  _assay_store_run_async (store, confirm_func, call_new (audit_id, interaction_id, user_id, 0),
                          (GDestroyNotify) call_free, NULL,
                          assay_store_audits_confirm_test_call_async, cancellable, callback,
                          user_data);
}

gboolean
assay_store_audits_confirm_test_call_finish (AssayStore    *store,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

gboolean
assay_store_audits_confirm_test_call_sync (AssayStore  *store,
                                           const char  *audit_id,
                                           const char  *interaction_id,
                                           const char  *user_id,
                                           GError     **error)
{
  Call *call = call_new (audit_id, interaction_id, user_id, 0);
  gboolean ok = _assay_store_run_sync (store, confirm_func, call, error) != NULL;

  call_free (call);
  return ok;
}
