/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "assay-store-review.h"
#include "assay-store-private.h"

void
assay_review_context_free (AssayReviewContext *c)
{
  if (c == NULL)
    return;
  assay_interaction_facts_clear (&c->facts);
  g_free (c->agent_name);
  g_free (c->team_name);
  g_free (c->recording_id);
  g_free (c->recording_location);
  g_free (c->recording_format);
  g_free (c->form_version_id);
  g_free (c->form_name);
  g_free (c->form_definition);
  g_free (c->assignment_id);
  g_free (c);
}

typedef struct {
  char *interaction_id;
  char *form_version_id;
  char *inspector_id;
} Args;

static void
args_free (Args *a)
{
  g_free (a->interaction_id);
  g_free (a->form_version_id);
  g_free (a->inspector_id);
  g_free (a);
}

static char *
first_text (sqlite3     *db,
            const char  *sql,
            const char  *arg1,
            const char  *arg2)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  _assay_store_bind_text_or_null (stmt, 1, arg1);
  _assay_store_bind_text_or_null (stmt, 2, arg2);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return _assay_store_column_dup (stmt, 0);
}

static gpointer
context_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Args *a = data;
  g_autoptr(AssayReviewContext) c = g_new0 (AssayReviewContext, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *version_id = NULL;

  assay_interaction_facts_init (&c->facts);
  c->recording_agent_channel = ASSAY_NONE;

  stmt = _assay_store_prepare (db, "SELECT i.id, i.channel, i.queue, i.agent_id, i.team_id, i.customer_ref,"
                                   " i.started_at, i.wait_s, i.talk_s, i.hold_s, i.wrap_s, i.csat, i.nps,"
                                   " i.fcr, i.answered_in_sl, i.abandoned, i.priority, a.name, t.name"
                                   " FROM interaction i LEFT JOIN agent a ON a.id = i.agent_id"
                                   " LEFT JOIN team t ON t.id = i.team_id WHERE i.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->interaction_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The interaction %s does not exist"), a->interaction_id);
      return NULL;
    }
  c->facts.id = _assay_store_column_dup (stmt, 0);
  c->facts.channel = _assay_store_column_dup (stmt, 1);
  c->facts.queue = _assay_store_column_dup (stmt, 2);
  c->facts.agent_id = _assay_store_column_dup (stmt, 3);
  c->facts.team_id = _assay_store_column_dup (stmt, 4);
  c->facts.customer_ref = _assay_store_column_dup (stmt, 5);
  c->facts.started_at = sqlite3_column_int64 (stmt, 6);
  c->facts.wait_s = _assay_store_column_int_or_none (stmt, 7);
  c->facts.talk_s = sqlite3_column_int (stmt, 8);
  c->facts.hold_s = sqlite3_column_int (stmt, 9);
  c->facts.wrap_s = sqlite3_column_int (stmt, 10);
  c->facts.csat = _assay_store_column_int_or_none (stmt, 11);
  c->facts.nps = _assay_store_column_int_or_none (stmt, 12);
  c->facts.fcr = _assay_store_column_int_or_none (stmt, 13);
  c->facts.answered_in_sl = _assay_store_column_int_or_none (stmt, 14);
  c->facts.abandoned = sqlite3_column_int (stmt, 15);
  c->facts.priority = _assay_store_column_dup (stmt, 16);
  c->agent_name = _assay_store_column_dup (stmt, 17);
  c->team_name = _assay_store_column_dup (stmt, 18);
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _assay_store_prepare (db, "SELECT id, location, format, channels, agent_channel, duration_s"
                                   " FROM recording WHERE interaction_id = ? ORDER BY rowid LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->interaction_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      c->recording_id = _assay_store_column_dup (stmt, 0);
      c->recording_location = _assay_store_column_dup (stmt, 1);
      c->recording_format = _assay_store_column_dup (stmt, 2);
      c->recording_channels = _assay_store_column_int_or_none (stmt, 3);
      c->recording_agent_channel = _assay_store_column_int_or_none (stmt, 4);
      c->recording_duration_s = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? 0 : sqlite3_column_double (stmt, 5);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  c->assignment_id = first_text (db, "SELECT id FROM assignment WHERE interaction_id = ?1"
                                     " AND (?2 IS NULL OR inspector_id = ?2 OR inspector_id IS NULL)"
                                     " ORDER BY inspector_id IS NULL, created_at DESC LIMIT 1",
                                 a->interaction_id, a->inspector_id);

  /* which form version: asked for, pinned by an earlier evaluation or the assignment, or the
   * newest published one of the form used last */
  version_id = g_strdup (a->form_version_id);
  if (version_id == NULL)
    version_id = first_text (db, "SELECT form_version_id FROM evaluation WHERE interaction_id = ?1"
                                 " AND (?2 IS NULL OR inspector_id = ?2) ORDER BY created_at DESC LIMIT 1",
                             a->interaction_id, a->inspector_id);
  if (version_id == NULL && c->assignment_id != NULL)
    version_id = first_text (db, "SELECT form_version_id FROM assignment WHERE id = ?1",
                             c->assignment_id, NULL);
  if (version_id == NULL)
    version_id = first_text (db, "SELECT fv.id FROM form_version fv WHERE fv.published_at IS NOT NULL"
                                 " AND fv.form_id = coalesce((SELECT v.form_id FROM evaluation e"
                                 "   JOIN form_version v ON v.id = e.form_version_id"
                                 "   WHERE ?1 IS NULL OR e.inspector_id = ?1 ORDER BY e.updated_at DESC LIMIT 1),"
                                 "  (SELECT form_id FROM form_version WHERE published_at IS NOT NULL"
                                 "   ORDER BY published_at DESC LIMIT 1))"
                                 " ORDER BY fv.version DESC LIMIT 1",
                             a->inspector_id, NULL);
  if (version_id == NULL)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                           _("There is no published scorecard to score with: publish one in "
                             "Scorecards"));
      return NULL;
    }

  stmt = _assay_store_prepare (db, "SELECT fv.id, f.name, fv.version, fv.definition FROM form_version fv"
                                   " JOIN form f ON f.id = fv.form_id WHERE fv.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, version_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("The scorecard version %s does not exist"), version_id);
      return NULL;
    }
  c->form_version_id = _assay_store_column_dup (stmt, 0);
  c->form_name = _assay_store_column_dup (stmt, 1);
  c->form_version = sqlite3_column_int (stmt, 2);
  c->form_definition = _assay_store_column_dup (stmt, 3);
  return g_steal_pointer (&c);
}

void
assay_store_get_review_context_async (AssayStore          *store,
                                      const char          *interaction_id,
                                      const char          *form_version_id,
                                      const char          *inspector_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Args *a = g_new0 (Args, 1);

  a->interaction_id = g_strdup (interaction_id);
  a->form_version_id = g_strdup (form_version_id);
  a->inspector_id = g_strdup (inspector_id);
  _assay_store_run_async (store, context_func, a, (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_review_context_free,
                          assay_store_get_review_context_async, cancellable, callback, user_data);
}

AssayReviewContext *
assay_store_get_review_context_finish (AssayStore    *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}
