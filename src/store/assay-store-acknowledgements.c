/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "assay-store-acknowledgements.h"
#include "assay-store-private.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

#define DAY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))

void
assay_acknowledgement_free (AssayAcknowledgement *ack)
{
  if (ack == NULL)
    return;
  g_free (ack->id);
  g_free (ack->kind);
  g_free (ack->object_id);
  g_free (ack->revision_id);
  g_free (ack->by_id);
  g_free (ack->by_name);
  g_free (ack->comment);
  g_free (ack);
}

void
assay_unacknowledged_free (AssayUnacknowledged *u)
{
  if (u == NULL)
    return;
  g_free (u->evaluation_id);
  g_free (u->agent_id);
  g_free (u->agent_name);
  g_free (u->form_name);
  g_free (u);
}

typedef struct
{
  char   *kind;
  char   *object_id;
  char   *by_id;
  char   *comment;
  guint   days;
  gint64  now;
  guint   limit;
  char   *id;        /* out */
} Call;

static void
call_free (Call *c)
{
  g_free (c->kind);
  g_free (c->object_id);
  g_free (c->by_id);
  g_free (c->comment);
  g_free (c->id);
  g_free (c);
}

static Call *
call_new (const char *kind,
          const char *object_id,
          const char *by_id,
          const char *comment)
{
  Call *c = g_new0 (Call, 1);

  c->kind = g_strdup (kind);
  c->object_id = g_strdup (object_id);
  c->by_id = g_strdup (by_id);
  c->comment = g_strstrip (g_strdup (comment ? comment : ""));
  return c;
}

static gboolean
acknowledge_locked (sqlite3  *db,
                    gpointer  data,
                    GError  **error)
{
  Call *c = data;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *revision_id = NULL;
  g_autofree char *agent_id = NULL;
  g_autofree char *op_json = NULL;
  g_autofree char *id = assay_uuid_new ();
  gboolean is_evaluation = g_strcmp0 (c->kind, "evaluation") == 0;
  gint64 now = assay_now_ms ();
  int rc;

  if (is_evaluation)
    find = _assay_store_prepare (db, "SELECT e.state = 'submitted', e.current_revision_id, i.agent_id"
                                     " FROM evaluation e JOIN interaction i ON i.id = e.interaction_id"
                                     " WHERE e.id = ?", error);
  else if (g_strcmp0 (c->kind, "dispute") == 0)
    find = _assay_store_prepare (db, "SELECT state NOT IN ('open', 'withdrawn'), NULL, agent_id"
                                     " FROM dispute WHERE id = ?", error);
  else
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("Only evaluations and disputes are acknowledged, not “%s”"), c->kind);
      return FALSE;
    }
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, c->object_id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (find)) != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        return _assay_store_set_error (db, rc, error);
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   is_evaluation ? _("The evaluation %s does not exist")
                                 : _("The dispute %s does not exist"), c->object_id);
      return FALSE;
    }
  if (!sqlite3_column_int (find, 0))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           is_evaluation ? _("Only a submitted evaluation can be acknowledged")
                                         : _("Only a decided dispute can be acknowledged: wait "
                                             "for its outcome"));
      return FALSE;
    }
  revision_id = _assay_store_column_dup (find, 1);
  agent_id = _assay_store_column_dup (find, 2);

  stmt = _assay_store_prepare (db, "INSERT INTO acknowledgement (id, kind, object_id, revision_id,"
                                   " agent_id, by_id, comment, created_at, dirty)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, c->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, c->object_id, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 4, revision_id);
  _assay_store_bind_text_or_null (stmt, 5, agent_id);
  _assay_store_bind_text_or_null (stmt, 6, c->by_id);
  sqlite3_bind_text (stmt, 7, c->comment, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("This is acknowledged already"));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!is_evaluation)
    {
      stmt = _assay_store_prepare (db, "UPDATE dispute SET acknowledged_at = ?, dirty = 1 WHERE id = ?",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_text (stmt, 2, c->object_id, -1, SQLITE_TRANSIENT);
      if (!_assay_store_step_done (db, stmt, error))
        return FALSE;
      _assay_store_note_change (db, ASSAY_STORE_DISPUTES, c->object_id);
    }
  _assay_store_note_change (db, ASSAY_STORE_ACKNOWLEDGEMENTS, id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, c->kind);
  json_builder_set_member_name (b, "objectId");
  json_builder_add_string_value (b, c->object_id);
  json_builder_set_member_name (b, "revisionId");
  if (revision_id != NULL)
    json_builder_add_string_value (b, revision_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "agentId");   /* the server's scope: whose sign-off */
  if (agent_id != NULL)
    json_builder_add_string_value (b, agent_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "byId");
  json_builder_add_string_value (b, c->by_id);
  json_builder_set_member_name (b, "comment");
  json_builder_add_string_value (b, c->comment);
  json_builder_set_member_name (b, "createdAt");
  json_builder_add_int_value (b, now);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  op_json = assay_json_write (root, FALSE);
  {
    AssayStoreOutboxOp op = { .collection = "acknowledgements", .object_id = id,
                              .action = "create", .data = op_json, .base_rev = -1 };

    if (!_assay_store_enqueue (db, &op, error))
      return FALSE;
  }
  c->id = g_steal_pointer (&id);
  return TRUE;
}

static gpointer
acknowledge_func (sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Call *c = data;

  if (c->object_id == NULL || c->by_id == NULL)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("An acknowledgement needs what is acknowledged and who does it"));
      return NULL;
    }
  if (!_assay_store_in_transaction_ok (db, acknowledge_locked, c, error))
    return NULL;
  return g_steal_pointer (&c->id);
}

void
assay_store_acknowledge_async (AssayStore          *store,
                               const char          *kind,
                               const char          *object_id,
                               const char          *by_id,
                               const char          *comment,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _assay_store_run_async (store, acknowledge_func, call_new (kind, object_id, by_id, comment),
                          (GDestroyNotify) call_free, g_free, assay_store_acknowledge_async,
                          cancellable, callback, user_data);
}

char *
assay_store_acknowledge_finish (AssayStore    *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

char *
assay_store_acknowledge_sync (AssayStore  *store,
                              const char  *kind,
                              const char  *object_id,
                              const char  *by_id,
                              const char  *comment,
                              GError     **error)
{
  Call *c = call_new (kind, object_id, by_id, comment);
  char *id = _assay_store_run_sync (store, acknowledge_func, c, error);

  call_free (c);
  return id;
}

static gpointer
list_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Call *c = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_acknowledgement_free);
  int rc;

  stmt = _assay_store_prepare (db, "SELECT k.id, k.kind, k.object_id, k.revision_id, r.number, k.by_id,"
                                   " s.name, k.comment, k.created_at FROM acknowledgement k"
                                   " LEFT JOIN evaluation_revision r ON r.id = k.revision_id"
                                   " LEFT JOIN staff s ON s.id = k.by_id"
                                   " WHERE k.kind = ? AND k.object_id = ? ORDER BY k.created_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, c->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, c->object_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAcknowledgement *a = g_new0 (AssayAcknowledgement, 1);

      a->id = _assay_store_column_dup (stmt, 0);
      a->kind = _assay_store_column_dup (stmt, 1);
      a->object_id = _assay_store_column_dup (stmt, 2);
      a->revision_id = _assay_store_column_dup (stmt, 3);
      a->revision_number = sqlite3_column_int (stmt, 4);
      a->by_id = _assay_store_column_dup (stmt, 5);
      a->by_name = _assay_store_column_dup (stmt, 6);
      a->comment = _assay_store_column_dup (stmt, 7);
      a->created_at = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (out, a);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
assay_store_list_acknowledgements_sync (AssayStore  *store,
                                        const char  *kind,
                                        const char  *object_id,
                                        GError     **error)
{
  Call *c = call_new (kind, object_id, NULL, NULL);
  GPtrArray *out = _assay_store_run_sync (store, list_func, c, error);

  call_free (c);
  return out;
}

static gpointer
unacknowledged_func (sqlite3       *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  Call *c = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_unacknowledged_free);
  gint64 now = c->now > 0 ? c->now : assay_now_ms ();
  int rc;

  /* evaluation_revision_created finds the old revisions; acknowledgement_object the sign-off */
  stmt = _assay_store_prepare (db, "SELECT e.id, i.agent_id, a.name, f.name, r.number, r.created_at,"
                                   " r.score FROM evaluation_revision r"
                                   " JOIN evaluation e ON e.current_revision_id = r.id"
                                   " JOIN interaction i ON i.id = e.interaction_id"
                                   " LEFT JOIN agent a ON a.id = i.agent_id"
                                   " JOIN form_version fv ON fv.id = e.form_version_id"
                                   " JOIN form f ON f.id = fv.form_id"
                                   " WHERE r.created_at <= ?1 AND e.state = 'submitted'"
                                   " AND NOT EXISTS (SELECT 1 FROM acknowledgement k"
                                   "  WHERE k.kind = 'evaluation' AND k.object_id = e.id"
                                   "  AND coalesce (k.revision_id, '') = r.id)"
                                   " ORDER BY r.created_at, e.id LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now - (gint64) c->days * DAY_MS);
  sqlite3_bind_int64 (stmt, 2, c->limit ? c->limit : G_MAXINT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayUnacknowledged *u = g_new0 (AssayUnacknowledged, 1);

      u->evaluation_id = _assay_store_column_dup (stmt, 0);
      u->agent_id = _assay_store_column_dup (stmt, 1);
      u->agent_name = _assay_store_column_dup (stmt, 2);
      u->form_name = _assay_store_column_dup (stmt, 3);
      u->revision_number = sqlite3_column_int (stmt, 4);
      u->submitted_at = sqlite3_column_int64 (stmt, 5);
      u->score = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 6);
      g_ptr_array_add (out, u);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
assay_store_list_unacknowledged_async (AssayStore          *store,
                                       guint                days,
                                       gint64               now,
                                       guint                limit,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Call *c = call_new ("evaluation", NULL, NULL, NULL);

  c->days = days;
  c->now = now;
  c->limit = limit;
  _assay_store_run_async (store, unacknowledged_func, c, (GDestroyNotify) call_free,
                          (GDestroyNotify) g_ptr_array_unref, assay_store_list_unacknowledged_async,
                          cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_unacknowledged_finish (AssayStore    *store,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_unacknowledged_sync (AssayStore  *store,
                                      guint        days,
                                      gint64       now,
                                      guint        limit,
                                      GError     **error)
{
  Call *c = call_new ("evaluation", NULL, NULL, NULL);
  GPtrArray *out;

  c->days = days;
  c->now = now;
  c->limit = limit;
  out = _assay_store_run_sync (store, unacknowledged_func, c, error);
  call_free (c);
  return out;
}
