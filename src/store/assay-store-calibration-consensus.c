/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "assay-store-calibration-private.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

/* The consensus of a calibration session, and who may take part. */

static gpointer
consensus_locked (sqlite3  *db,
                  gpointer  data,
                  GError  **error)
{
  Args *a = data;
  SessionRow s = { 0 };
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *answer = NULL;
  g_autofree char *object_id = NULL;
  g_autofree char *op = NULL;
  gboolean ok = FALSE;
  gint64 rev;
  int found;

  if (!_assay_calibration_load_session (db, a->session_id, &s, error))
    goto out;
  if (g_strcmp0 (s.state, ASSAY_CALIBRATION_CLOSED) == 0)
    {
      _assay_calibration_invalid (error, "The session is closed; its consensus can no longer change");
      goto out;
    }
  if (g_strcmp0 (a->by_id, s.created_by) != 0 && g_strcmp0 (a->by_id, s.expert_id) != 0)
    {
      _assay_calibration_invalid (error, "Only the session's lead or its expert can set the consensus");
      goto out;
    }
  found = _assay_calibration_exists (db, "SELECT 1 FROM calibration_interaction WHERE session_id = ?"
                      " AND interaction_id = ?", a->session_id, a->interaction_id, error);
  if (found <= 0)
    {
      if (found == 0)
        _assay_calibration_invalid (error, "The interaction %s is not part of this session", a->interaction_id);
      goto out;
    }
  form = _assay_calibration_load_form (db, s.form_version_id, error);
  if (form == NULL)
    goto out;
  if (assay_form_lookup_item (form, a->item_id) < 0)
    {
      _assay_calibration_invalid (error, "The scorecard has no item \"%s\"", a->item_id);
      goto out;
    }

  if (a->answers != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonNode) doc = NULL;
      g_autoptr(AssayAnswers) parsed = NULL;
      g_autoptr(JsonBuilder) file = json_builder_new ();
      int index = assay_form_lookup_item (form, a->item_id);

      if (!json_parser_load_from_data (parser, a->answers, -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          _assay_calibration_invalid (error, "The consensus answer is not a JSON object like {\"value\": \"yes\"}");
          goto out;
        }
      /* the form engine checks the answer as part of an answers file on the session's form */
      json_builder_begin_object (file);
      json_builder_set_member_name (file, "format");
      json_builder_add_int_value (file, ASSAY_FORM_FORMAT);
      _assay_calibration_add_string_or_null (file, "form_id", form->id);
      json_builder_set_member_name (file, "form_version");
      json_builder_add_int_value (file, form->version);
      json_builder_set_member_name (file, "answers");
      json_builder_begin_object (file);
      json_builder_set_member_name (file, a->item_id);
      json_builder_add_value (file, json_node_copy (json_parser_get_root (parser)));
      json_builder_end_object (file);
      json_builder_end_object (file);
      doc = json_builder_get_root (file);
      parsed = assay_answers_from_json_node (form, doc, error);
      if (parsed == NULL)
        {
          g_prefix_error (error, "The consensus answer does not fit the item: ");
          if (*error != NULL)
            (*error)->domain = ASSAY_STORE_ERROR, (*error)->code = ASSAY_STORE_ERROR_INVALID;
          goto out;
        }
      if (assay_answers_get (parsed, index)->state == ASSAY_ANSWER_NONE)
        {
          _assay_calibration_invalid (error, "The consensus answer is empty; give a value or N/A, or clear it");
          goto out;
        }
      {
        g_autoptr(JsonNode) written = assay_answers_to_json_node (parsed);
        JsonObject *answers = json_object_get_object_member (json_node_get_object (written), "answers");

        answer = assay_json_write (json_object_get_member (answers, a->item_id), FALSE);
      }
    }
  rev = _assay_calibration_row_rev (db, "SELECT rev FROM calibration_consensus WHERE session_id = ?"
                     " AND interaction_id = ? AND item_id = ?",
                 a->session_id, a->interaction_id, a->item_id, error);
  if (rev == -2)
    goto out;
  if (answer != NULL)
    {
      stmt = _assay_store_prepare (db, "INSERT INTO calibration_consensus (session_id, interaction_id,"
                                       " item_id, answer, set_by, set_at, dirty)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)"
                                       " ON CONFLICT (session_id, interaction_id, item_id) DO UPDATE"
                                       " SET answer = ?4, set_by = ?5, set_at = ?6, dirty = 1",
                                   error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 4, answer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, a->by_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, assay_now_ms ());
    }
  else
    {
      stmt = _assay_store_prepare (db, "DELETE FROM calibration_consensus WHERE session_id = ?1"
                                       " AND interaction_id = ?2 AND item_id = ?3", error);
      if (stmt == NULL)
        goto out;
    }
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->interaction_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, a->item_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    goto out;

  json_builder_begin_object (b);
  _assay_calibration_add_string_or_null (b, "sessionId", a->session_id);
  _assay_calibration_add_string_or_null (b, "interactionId", a->interaction_id);
  _assay_calibration_add_string_or_null (b, "itemId", a->item_id);
  _assay_calibration_add_json (b, "answer", answer);
  _assay_calibration_add_string_or_null (b, "setBy", a->by_id);
  json_builder_end_object (b);
  op = _assay_calibration_build_json (b);
  /* the row's key is composite: the object id joins its parts */
  object_id = g_strdup_printf ("%s/%s/%s", a->session_id, a->interaction_id, a->item_id);
  ok = _assay_calibration_queue_operation (db, "calibration_consensus", rev, object_id,
                        answer != NULL ? "update" : "delete", op, FALSE, error);
out:
  _assay_calibration_session_row_clear (&s);
  return ok ? GINT_TO_POINTER (1) : NULL;
}

static gpointer
consensus_func (sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  gpointer result = _assay_store_in_transaction (db, consensus_locked, data, NULL, error);

  /* announced once the transaction has committed */
  if (result != NULL)
    _assay_store_note_change (db, ASSAY_STORE_CALIBRATION, ((Args *) data)->session_id);
  return result;
}

static Args *
consensus_args (const char *session_id,
                const char *interaction_id,
                const char *item_id,
                const char *answer,
                const char *set_by)
{
  Args *a = _assay_calibration_session_args (session_id);

  a->interaction_id = g_strdup (interaction_id);
  a->item_id = g_strdup (item_id);
  a->answers = g_strdup (answer);
  a->by_id = g_strdup (set_by);
  return a;
}

void
assay_store_set_calibration_consensus_async (AssayStore          *store,
                                             const char          *session_id,
                                             const char          *interaction_id,
                                             const char          *item_id,
                                             const char          *answer,
                                             const char          *set_by,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  _assay_store_run_async (store, consensus_func,
                          consensus_args (session_id, interaction_id, item_id, answer, set_by),
                          (GDestroyNotify) _assay_calibration_args_free, NULL,
                          assay_store_set_calibration_consensus_async, cancellable, callback,
                          user_data);
}

gboolean
assay_store_set_calibration_consensus_finish (AssayStore    *store,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

gboolean
assay_store_set_calibration_consensus_sync (AssayStore  *store,
                                            const char  *session_id,
                                            const char  *interaction_id,
                                            const char  *item_id,
                                            const char  *answer,
                                            const char  *set_by,
                                            GError     **error)
{
  Args *a = consensus_args (session_id, interaction_id, item_id, answer, set_by);
  gboolean ok = _assay_store_run_sync (store, consensus_func, a, error) != NULL;

  _assay_calibration_args_free (a);
  return ok;
}

static gpointer
list_consensus_func (sqlite3       *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT c.interaction_id, c.item_id, c.answer, c.set_by, c.set_at"
                                   " FROM calibration_consensus c"
                                   " LEFT JOIN calibration_interaction ci"
                                   "   ON ci.session_id = c.session_id"
                                   "   AND ci.interaction_id = c.interaction_id"
                                   " WHERE c.session_id = ? ORDER BY ci.position, c.item_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->session_id, -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calibration_consensus_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCalibrationConsensusRecord *r = g_new0 (AssayCalibrationConsensusRecord, 1);

      r->interaction_id = _assay_store_column_dup (stmt, 0);
      r->item_id = _assay_store_column_dup (stmt, 1);
      r->answer = _assay_store_column_dup (stmt, 2);
      r->set_by = _assay_store_column_dup (stmt, 3);
      r->set_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

void
assay_store_list_calibration_consensus_async (AssayStore          *store,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  _assay_store_run_async (store, list_consensus_func, _assay_calibration_session_args (session_id),
                          (GDestroyNotify) _assay_calibration_args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_calibration_consensus_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_list_calibration_consensus_finish (AssayStore    *store,
                                               GAsyncResult  *result,
                                               GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_calibration_consensus_sync (AssayStore  *store,
                                             const char  *session_id,
                                             GError     **error)
{
  Args *a = _assay_calibration_session_args (session_id);
  GPtrArray *list = _assay_store_run_sync (store, list_consensus_func, a, error);

  _assay_calibration_args_free (a);
  return list;
}

static gpointer
list_staff_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT id, name, roles FROM staff ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_staff_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayStaffRecord *r = g_new0 (AssayStaffRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->name = _assay_store_column_dup (stmt, 1);
      r->roles = _assay_store_column_dup (stmt, 2);
      g_ptr_array_add (list, r);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&list);
}

void
assay_store_list_calibration_staff_async (AssayStore          *store,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  _assay_store_run_async (store, list_staff_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_calibration_staff_async, cancellable, callback,
                          user_data);
}

GPtrArray *
assay_store_list_calibration_staff_finish (AssayStore    *store,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}
