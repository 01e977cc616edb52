/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "assay-store-queue.h"
#include "assay-store-evaluations.h"
#include "assay-store-private.h"
#include "core/assay-util.h"

/*
 * A draw and its replay read the candidates with the same function, as of the draw's time:
 * a contact counts as taken when an assignment (not of this draw) or an evaluation of it was
 * created before the draw. The draw's time is made later than every such row already in the
 * database, so nothing written before the draw can look as if it came after it.
 */

#define DAY_MS (G_GINT64_CONSTANT (86400000))

const char *
assay_queue_state_to_string (AssayQueueState state)
{
  switch (state)
    {
    case ASSAY_QUEUE_STATE_OVERDUE:
      return "overdue";
    case ASSAY_QUEUE_STATE_IN_PROGRESS:
      return "in-progress";
    case ASSAY_QUEUE_STATE_DUE:
      return "due";
    case ASSAY_QUEUE_STATE_DONE:
      return "done";
    default:
      return "due";
    }
}

void
assay_queue_item_free (AssayQueueItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->interaction_id);
  g_free (item->inspector_id);
  g_free (item->form_version_id);
  g_free (item->agent_id);
  g_free (item->agent_name);
  g_free (item->queue);
  g_free (item->channel);
  g_free (item->source);
  g_free (item->draw_id);
  g_free (item->form_id);
  g_free (item->form_name);
  g_free (item->customer_ref);
  g_free (item);
}

void
assay_draw_result_free (AssayDrawResult *result)
{
  if (result == NULL)
    return;
  g_free (result->draw_id);
  g_free (result->drawn_by);
  g_free (result->inspector_id);
  g_free (result->form_version_id);
  g_free (result);
}

void
assay_draw_record_free (AssayDrawRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->rule_json);
  g_free (record->drawn_by);
  g_free (record->drawn_by_name);
  g_free (record);
}

static void
progress_row_free (AssayProgressRow *row)
{
  g_free (row->id);
  g_free (row->name);
  g_free (row);
}

void
assay_queue_progress_free (AssayQueueProgress *progress)
{
  if (progress == NULL)
    return;
  g_clear_pointer (&progress->agents, g_ptr_array_unref);
  g_clear_pointer (&progress->inspectors, g_ptr_array_unref);
  g_free (progress);
}

/* ---- helpers ---- */

typedef struct {
  char              *id;             /* assignment, interaction or draw */
  char              *inspector_id;
  char              *form_version_id;
  AssaySamplingRule *rule;
  char              *rule_json;
  char              *drawn_by;
  guint64            seed;
  gint64             at_ms;
  gint64             since_ms;
  gint64             from_ms;
  gint64             to_ms;
  guint              limit;
  char              *search;         /* the queue's filter */
  char              *channel;
  char              *form_id;
  gboolean           with_recording;
  gboolean           with_transcript;
  AssayQueueShow     show;
  AssayQueueSort     sort;
} Args;

static void
args_free (Args *a)
{
  g_free (a->id);
  g_free (a->inspector_id);
  g_free (a->form_version_id);
  g_clear_pointer (&a->rule, assay_sampling_rule_free);
  g_free (a->rule_json);
  g_free (a->drawn_by);
  g_free (a->search);
  g_free (a->channel);
  g_free (a->form_id);
  g_free (a);
}

/* The text of a one-value query with up to one text parameter; NULL when there is no row. */
static char *
query_text (sqlite3     *db,
            const char  *sql,
            const char  *param,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _assay_store_column_dup (stmt, 0);
  if (rc != SQLITE_DONE)
    _assay_store_set_error (db, rc, error);
  return NULL;
}

/* "me": the staff row of this workstation's user, made on first use */
static char *
me_id_locked (sqlite3  *db,
              GError  **error)
{
  AssayStaffRecord *me = _assay_store_get_me_locked (db, error);
  char *id;

  if (me == NULL)
    return NULL;
  id = g_steal_pointer (&me->id);
  assay_staff_record_free (me);
  return id;
}

/* @requested if it is a published version, else the newest published version of the form
 * published last */
static char *
form_version_locked (sqlite3     *db,
                     const char  *requested,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (requested != NULL)
    stmt = _assay_store_prepare (db, "SELECT id, published_at IS NOT NULL FROM form_version"
                                     " WHERE id = ?", error);
  else
    stmt = _assay_store_prepare (db, "SELECT fv.id, 1 FROM form_version fv"
                                     " WHERE fv.published_at IS NOT NULL"
                                     " AND fv.form_id = (SELECT form_id FROM form_version"
                                     "  WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1)"
                                     " ORDER BY fv.version DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  if (requested != NULL)
    sqlite3_bind_text (stmt, 1, requested, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      if (requested != NULL)
        g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                     _("There is no scorecard version %s: pick one that exists"), requested);
      else
        g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                             _("There is no published scorecard to review with: publish one in "
                               "Scorecards first"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  if (!sqlite3_column_int (stmt, 1))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The scorecard version %s is not published yet: publish it first"), requested);
      return NULL;
    }
  return _assay_store_column_dup (stmt, 0);
}

static gboolean
staff_exists_locked (sqlite3     *db,
                     const char  *id,
                     GError     **error)
{
  GError *local_error = NULL;
  g_autofree char *found = query_text (db, "SELECT id FROM staff WHERE id = ?", id, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (found == NULL)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("There is no inspector %s in this database"), id);
      return FALSE;
    }
  return TRUE;
}

/* ---- the queue ---- */

#define DONE_SQL(a) \
  "(SELECT max(e.updated_at) FROM evaluation e WHERE e.interaction_id = " a ".interaction_id" \
  " AND e.form_version_id = " a ".form_version_id AND e.state = 'submitted')"
#define DRAFT_SQL(a) \
  "EXISTS (SELECT 1 FROM evaluation e WHERE e.interaction_id = " a ".interaction_id" \
  " AND e.form_version_id = " a ".form_version_id AND e.state = 'draft')"

static gpointer
list_queue_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_queue_item_free);
  int rc;

  /* every filter is a bound value that is NULL or 0 when unused: one statement for all */
  stmt = _assay_store_prepare (db,
    "WITH q AS (SELECT a.id, a.interaction_id, a.inspector_id, a.form_version_id, i.agent_id,"
    "   ag.name AS agent_name, i.queue, i.channel, i.started_at, i.handle_s, i.csat, a.due_at,"
    "   a.source, a.draw_id, a.created_at, " DONE_SQL ("a") " AS done_at,"
    "   " DRAFT_SQL ("a") " AS drafting,"
    "   fv.form_id, f.name AS form_name, i.customer_ref"
    "  FROM assignment a JOIN interaction i ON i.id = a.interaction_id"
    "  LEFT JOIN agent ag ON ag.id = i.agent_id"
    "  LEFT JOIN form_version fv ON fv.id = a.form_version_id"
    "  LEFT JOIN form f ON f.id = fv.form_id"
    "  WHERE a.inspector_id = ?1"
    "   AND (?5 IS NULL OR i.channel = ?5)"
    "   AND (?6 IS NULL OR fv.form_id = ?6)"
    "   AND (?7 = 0 OR EXISTS (SELECT 1 FROM recording r WHERE r.interaction_id = i.id))"
    "   AND (?8 = 0 OR EXISTS (SELECT 1 FROM transcript t WHERE t.interaction_id = i.id))"
    "   AND (?9 IS NULL OR instr (lower (coalesce (ag.name, '')), ?9) > 0"
    "        OR instr (lower (i.queue), ?9) > 0 OR instr (lower (coalesce (i.customer_ref, '')), ?9) > 0"
    "        OR instr (lower (i.id), ?9) > 0)),"
    " r AS (SELECT *, CASE WHEN done_at IS NOT NULL THEN 2"
    "   WHEN due_at IS NOT NULL AND due_at < ?2 THEN 0 ELSE 1 END AS rank FROM q)"
    " SELECT id, interaction_id, inspector_id, form_version_id, agent_id, agent_name, queue,"
    "   channel, started_at, handle_s, csat, due_at, source, draw_id, created_at, done_at,"
    "   drafting, rank,"
    "   EXISTS (SELECT 1 FROM recording rc WHERE rc.interaction_id = r.interaction_id),"
    "   EXISTS (SELECT 1 FROM transcript t WHERE t.interaction_id = r.interaction_id),"
    "   form_id, form_name, customer_ref"
    " FROM r WHERE (done_at IS NULL OR done_at >= ?3)"
    "  AND (?10 = 0 OR (?10 = 1 AND rank < 2) OR (?10 = 2 AND rank = 0))"
    " ORDER BY rank,"
    "   CASE WHEN ?11 = 0 THEN (CASE WHEN rank = 2 THEN -done_at"
    "                                ELSE coalesce (due_at, 9223372036854775807) END)"
    "        WHEN ?11 = 1 THEN -started_at WHEN ?11 = 2 THEN started_at"
    "        WHEN ?11 = 3 THEN -coalesce (handle_s, -1) ELSE 0 END,"
    "   CASE WHEN ?11 = 4 THEN coalesce (agent_name, '') END COLLATE NOCASE,"
    "   started_at, id"
    " LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->inspector_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, a->at_ms);
  sqlite3_bind_int64 (stmt, 3, a->since_ms);
  sqlite3_bind_int64 (stmt, 4, a->limit ? a->limit : G_MAXINT64);
  if (a->channel != NULL)
    sqlite3_bind_text (stmt, 5, a->channel, -1, SQLITE_TRANSIENT);
  if (a->form_id != NULL)
    sqlite3_bind_text (stmt, 6, a->form_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 7, a->with_recording ? 1 : 0);
  sqlite3_bind_int (stmt, 8, a->with_transcript ? 1 : 0);
  if (a->search != NULL)
    sqlite3_bind_text (stmt, 9, a->search, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 10, (int) a->show);
  sqlite3_bind_int (stmt, 11, (int) a->sort);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayQueueItem *item = g_new0 (AssayQueueItem, 1);
      int rank = sqlite3_column_int (stmt, 17);

      item->id = _assay_store_column_dup (stmt, 0);
      item->interaction_id = _assay_store_column_dup (stmt, 1);
      item->inspector_id = _assay_store_column_dup (stmt, 2);
      item->form_version_id = _assay_store_column_dup (stmt, 3);
      item->agent_id = _assay_store_column_dup (stmt, 4);
      item->agent_name = _assay_store_column_dup (stmt, 5);
      item->queue = _assay_store_column_dup (stmt, 6);
      item->channel = _assay_store_column_dup (stmt, 7);
      item->started_at = sqlite3_column_int64 (stmt, 8);
      item->handle_s = _assay_store_column_int_or_none (stmt, 9);
      item->csat = _assay_store_column_int_or_none (stmt, 10);
      item->due_at = sqlite3_column_int64 (stmt, 11);
      item->source = _assay_store_column_dup (stmt, 12);
      item->draw_id = _assay_store_column_dup (stmt, 13);
      item->created_at = sqlite3_column_int64 (stmt, 14);
      item->done_at = sqlite3_column_int64 (stmt, 15);
      item->has_draft = sqlite3_column_int (stmt, 16);
      item->has_recording = sqlite3_column_int (stmt, 18);
      item->has_transcript = sqlite3_column_int (stmt, 19);
      item->form_id = _assay_store_column_dup (stmt, 20);
      item->form_name = _assay_store_column_dup (stmt, 21);
      item->customer_ref = _assay_store_column_dup (stmt, 22);
      if (rank == 2)
        item->state = ASSAY_QUEUE_STATE_DONE;
      else if (rank == 0)
        item->state = ASSAY_QUEUE_STATE_OVERDUE;
      else if (item->has_draft)
        item->state = ASSAY_QUEUE_STATE_IN_PROGRESS;
      else
        item->state = ASSAY_QUEUE_STATE_DUE;
      g_ptr_array_add (out, item);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static Args *
list_args (const char             *inspector_id,
           gint64                  now_ms,
           gint64                  done_since_ms,
           guint                   limit,
           const AssayQueueFilter *filter)
{
  Args *a = g_new0 (Args, 1);

  a->inspector_id = g_strdup (inspector_id);
  a->at_ms = now_ms;
  a->since_ms = done_since_ms;
  a->limit = limit;
  if (filter != NULL)
    {
      g_autofree char *search = filter->search != NULL ? g_strstrip (g_strdup (filter->search)) : NULL;

      /* SQLite's lower() folds ASCII only: fold here so "WANG" finds "Wang"; Chinese has no case */
      if (search != NULL && *search != '\0')
        a->search = g_utf8_strdown (search, -1);
      a->channel = g_strdup (filter->channel);
      a->form_id = g_strdup (filter->form_id);
      a->with_recording = filter->with_recording;
      a->with_transcript = filter->with_transcript;
      a->show = filter->show;
      a->sort = filter->sort;
    }
  return a;
}

void
assay_store_list_queue_async (AssayStore          *store,
                              const char          *inspector_id,
                              gint64               now_ms,
                              gint64               done_since_ms,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (inspector_id != NULL);

  _assay_store_run_async (store, list_queue_func, list_args (inspector_id, now_ms, done_since_ms, limit, NULL),
                          (GDestroyNotify) args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_queue_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_queue_finish (AssayStore    *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_queue_sync (AssayStore  *store,
                             const char  *inspector_id,
                             gint64       now_ms,
                             gint64       done_since_ms,
                             guint        limit,
                             GError     **error)
{
  Args *a;
  GPtrArray *out;

  g_return_val_if_fail (inspector_id != NULL, NULL);

  a = list_args (inspector_id, now_ms, done_since_ms, limit, NULL);
  out = _assay_store_run_sync (store, list_queue_func, a, error);
  args_free (a);
  return out;
}

void
assay_store_list_queue_filtered_async (AssayStore             *store,
                                       const char             *inspector_id,
                                       gint64                  now_ms,
                                       gint64                  done_since_ms,
                                       guint                   limit,
                                       const AssayQueueFilter *filter,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  g_return_if_fail (inspector_id != NULL);

  /* finished with assay_store_list_queue_finish(): the same task, the same source tag */
  _assay_store_run_async (store, list_queue_func,
                          list_args (inspector_id, now_ms, done_since_ms, limit, filter),
                          (GDestroyNotify) args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_queue_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_queue_filtered_sync (AssayStore              *store,
                                      const char              *inspector_id,
                                      gint64                   now_ms,
                                      gint64                   done_since_ms,
                                      guint                    limit,
                                      const AssayQueueFilter  *filter,
                                      GError                 **error)
{
  Args *a;
  GPtrArray *out;

  g_return_val_if_fail (inspector_id != NULL, NULL);

  a = list_args (inspector_id, now_ms, done_since_ms, limit, filter);
  out = _assay_store_run_sync (store, list_queue_func, a, error);
  args_free (a);
  return out;
}

/* ---- centre assignments ---- */

/* returns the new assignment's id */
static gpointer
add_assignment_locked (sqlite3     *db,
                       gpointer     data,
                       GError     **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = assay_uuid_new ();
  g_autofree char *version = NULL;
  g_autofree char *found = NULL;
  GError *local_error = NULL;

  found = query_text (db, "SELECT id FROM interaction WHERE id = ?", a->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (found == NULL)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("There is no interaction %s to assign"), a->id);
      return NULL;
    }
  if (a->inspector_id != NULL && !staff_exists_locked (db, a->inspector_id, error))
    return NULL;
  version = form_version_locked (db, a->form_version_id, error);
  if (version == NULL)
    return NULL;

  stmt = _assay_store_prepare (db, "INSERT INTO assignment (id, interaction_id, inspector_id,"
                                   " form_version_id, due_at, source, created_at)"
                                   " VALUES (?, ?, ?, ?, ?, 'centre', ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->id, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 3, a->inspector_id);
  sqlite3_bind_text (stmt, 4, version, -1, SQLITE_TRANSIENT);
  _assay_store_bind_int_or_null (stmt, 5, a->at_ms, a->at_ms == 0);
  sqlite3_bind_int64 (stmt, 6, assay_now_ms ());
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  _assay_store_note_change (db, ASSAY_STORE_ASSIGNMENTS, id);
  return g_steal_pointer (&id);
}

static gpointer
add_assignment_func (sqlite3       *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return _assay_store_in_transaction (db, add_assignment_locked, data, g_free, error);
}

static Args *
assignment_args (const char *interaction_id,
                 const char *inspector_id,
                 const char *form_version_id,
                 gint64      due_at)
{
  Args *a = g_new0 (Args, 1);

  a->id = g_strdup (interaction_id);
  a->inspector_id = g_strdup (inspector_id);
  a->form_version_id = g_strdup (form_version_id);
  a->at_ms = due_at;
  return a;
}

void
assay_store_add_assignment_async (AssayStore          *store,
                                  const char          *interaction_id,
                                  const char          *inspector_id,
                                  const char          *form_version_id,
                                  gint64               due_at,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (interaction_id != NULL);

  _assay_store_run_async (store, add_assignment_func,
                          assignment_args (interaction_id, inspector_id, form_version_id, due_at),
                          (GDestroyNotify) args_free, g_free, assay_store_add_assignment_async,
                          cancellable, callback, user_data);
}

char *
assay_store_add_assignment_finish (AssayStore    *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

char *
assay_store_add_assignment_sync (AssayStore  *store,
                                 const char  *interaction_id,
                                 const char  *inspector_id,
                                 const char  *form_version_id,
                                 gint64       due_at,
                                 GError     **error)
{
  Args *a;
  char *id;

  g_return_val_if_fail (interaction_id != NULL, NULL);

  a = assignment_args (interaction_id, inspector_id, form_version_id, due_at);
  id = _assay_store_run_sync (store, add_assignment_func, a, error);
  args_free (a);
  return id;
}

/* ---- candidates ---- */

typedef struct {
  GStringChunk *strings;
  GArray       *candidates;   /* AssaySamplingCandidate, pointing into strings */
} Candidates;

static void
candidates_clear (Candidates *c)
{
  g_clear_pointer (&c->candidates, g_array_unref);
  g_clear_pointer (&c->strings, g_string_chunk_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Candidates, candidates_clear)

/*
 * The contacts of the rule's period as they stood at @drawn_at for draw @draw_id; abandoned
 * contacts never reached an agent, so there is nothing to review in them. The period,
 * the CSAT and handle-time bounds and a single channel or queue narrow the query (indexes on
 * started_at, channel, queue); lists of channels or queues are left to
 * assay_sampling_rule_matches(), which the draw applies to every candidate anyway.
 */
static gboolean
read_candidates (sqlite3                  *db,
                 const AssaySamplingRule  *rule,
                 const char               *draw_id,
                 gint64                    drawn_at,
                 Candidates               *out,
                 GCancellable             *cancellable,
                 GError                  **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean one_channel = rule->channels != NULL && rule->channels[0] != NULL && rule->channels[1] == NULL;
  gboolean one_queue = rule->queues != NULL && rule->queues[0] != NULL && rule->queues[1] == NULL;
  int rc;

  g_string_append (sql,
    "SELECT i.id, i.agent_id, i.channel, i.queue, i.started_at, i.handle_s, i.csat,"
    " EXISTS (SELECT 1 FROM assignment a WHERE a.interaction_id = i.id AND a.created_at < ?3"
    "   AND a.draw_id IS NOT ?4)"
    " OR EXISTS (SELECT 1 FROM evaluation e WHERE e.interaction_id = i.id AND e.created_at < ?3)"
    " FROM interaction i WHERE i.started_at >= ?1 AND i.started_at < ?2 AND i.abandoned = 0");
  if (rule->csat_max != ASSAY_NONE)
    g_string_append (sql, " AND i.csat <= ?5");
  if (rule->min_handle_s != ASSAY_NONE)
    g_string_append (sql, " AND i.handle_s >= ?6");
  if (rule->max_handle_s != ASSAY_NONE)
    g_string_append (sql, " AND i.handle_s <= ?7");
  if (one_channel)
    g_string_append (sql, " AND i.channel = ?8");
  if (one_queue)
    g_string_append (sql, " AND i.queue = ?9");
  /* no ORDER BY: the draw does not depend on the order of its candidates */

  stmt = _assay_store_prepare (db, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rule->from_ms);
  sqlite3_bind_int64 (stmt, 2, rule->to_ms);
  sqlite3_bind_int64 (stmt, 3, drawn_at);
  sqlite3_bind_text (stmt, 4, draw_id, -1, SQLITE_TRANSIENT);
  if (rule->csat_max != ASSAY_NONE)
    sqlite3_bind_int (stmt, 5, rule->csat_max);
  if (rule->min_handle_s != ASSAY_NONE)
    sqlite3_bind_int (stmt, 6, rule->min_handle_s);
  if (rule->max_handle_s != ASSAY_NONE)
    sqlite3_bind_int (stmt, 7, rule->max_handle_s);
  if (one_channel)
    sqlite3_bind_text (stmt, 8, rule->channels[0], -1, SQLITE_TRANSIENT);
  if (one_queue)
    sqlite3_bind_text (stmt, 9, rule->queues[0], -1, SQLITE_TRANSIENT);

  out->strings = g_string_chunk_new (64 * 1024);
  out->candidates = g_array_new (FALSE, TRUE, sizeof (AssaySamplingCandidate));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssaySamplingCandidate c = { 0 };

      if ((out->candidates->len & 4095) == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      c.id = g_string_chunk_insert (out->strings, _assay_store_column_text (stmt, 0));
      c.agent_id = g_string_chunk_insert_const (out->strings, _assay_store_column_text (stmt, 1));
      c.channel = g_string_chunk_insert_const (out->strings, _assay_store_column_text (stmt, 2));
      c.queue = g_string_chunk_insert_const (out->strings, _assay_store_column_text (stmt, 3));
      c.started_at = sqlite3_column_int64 (stmt, 4);
      c.handle_s = _assay_store_column_int_or_none (stmt, 5);
      c.csat = _assay_store_column_int_or_none (stmt, 6);
      c.taken = sqlite3_column_int (stmt, 7);
      g_array_append_val (out->candidates, c);
    }
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  return TRUE;
}

static void
count_matching (const AssaySamplingRule *rule,
                const Candidates        *c,
                guint                   *n_matching,
                guint                   *n_taken)
{
  *n_matching = *n_taken = 0;
  for (guint i = 0; i < c->candidates->len; i++)
    {
      const AssaySamplingCandidate *candidate = &g_array_index (c->candidates, AssaySamplingCandidate, i);

      if (!assay_sampling_rule_matches (rule, candidate))
        continue;
      (*n_matching)++;
      if (candidate->taken)
        (*n_taken)++;
    }
}

/* ---- draw ---- */

static gint64
max_created_at (sqlite3    *db,
                const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  return 0;
}

static char *
draw_operation (const AssayDrawResult *r,
                const char            *rule_json,
                const Candidates      *c,
                GArray                *picks)
{
  GString *out = g_string_new (NULL);

  /* ids are UUIDs, the rule is JSON already: nothing here needs escaping */
  g_string_append_printf (out, "{\"drawId\":\"%s\",\"rule\":%s,\"seed\":%" G_GUINT64_FORMAT ","
                          "\"drawnAt\":%" G_GINT64_FORMAT ",\"drawnBy\":\"%s\","
                          "\"inspectorId\":\"%s\",\"formVersionId\":\"%s\",\"interactions\":[",
                          r->draw_id, rule_json, r->seed, r->drawn_at, r->drawn_by,
                          r->inspector_id, r->form_version_id);
  for (guint i = 0; i < picks->len; i++)
    g_string_append_printf (out, "%s\"%s\"", i ? "," : "",
                            g_array_index (c->candidates, AssaySamplingCandidate,
                                           g_array_index (picks, guint, i)).id);
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static gboolean
draw_locked (sqlite3           *db,
             Args              *a,
             AssayDrawResult   *r,
             GCancellable      *cancellable,
             GError           **error)
{
  g_auto(Candidates) c = { NULL, NULL };
  g_autoptr(GArray) picks = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *op_data = NULL;
  gint64 due_at;

  r->drawn_by = a->drawn_by ? g_strdup (a->drawn_by) : me_id_locked (db, error);
  if (r->drawn_by == NULL)
    return FALSE;
  if (!staff_exists_locked (db, r->drawn_by, error))
    return FALSE;
  r->inspector_id = g_strdup (a->rule->inspector_id ? a->rule->inspector_id : r->drawn_by);
  if (!staff_exists_locked (db, r->inspector_id, error))
    return FALSE;
  r->form_version_id = form_version_locked (db, a->rule->form_version_id, error);
  if (r->form_version_id == NULL)
    return FALSE;

  r->draw_id = assay_uuid_new ();
  r->seed = a->seed;
  r->drawn_at = MAX (assay_now_ms (),
                     MAX (max_created_at (db, "SELECT max(created_at) + 1 FROM assignment"),
                          max_created_at (db, "SELECT max(created_at) + 1 FROM evaluation")));

  if (!read_candidates (db, a->rule, r->draw_id, r->drawn_at, &c, cancellable, error))
    return FALSE;
  count_matching (a->rule, &c, &r->n_matching, &r->n_taken);
  picks = assay_sampling_draw (a->rule, a->seed, (const AssaySamplingCandidate *) c.candidates->data,
                               c.candidates->len);
  r->n_drawn = picks->len;

  stmt = _assay_store_prepare (db, "INSERT INTO sampling_draw (id, rule, seed, drawn_at, drawn_by)"
                                   " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, r->draw_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, a->rule_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) a->seed);
  sqlite3_bind_int64 (stmt, 4, r->drawn_at);
  sqlite3_bind_text (stmt, 5, r->drawn_by, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  due_at = a->rule->due_days > 0 ? r->drawn_at + (gint64) a->rule->due_days * DAY_MS : 0;
  stmt = _assay_store_prepare (db, "INSERT INTO assignment (id, interaction_id, inspector_id,"
                                   " form_version_id, due_at, source, draw_id, created_at, dirty)"
                                   " VALUES (?, ?, ?, ?, ?, 'sampling', ?, ?, 1)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < picks->len; i++)
    {
      const AssaySamplingCandidate *pick =
        &g_array_index (c.candidates, AssaySamplingCandidate, g_array_index (picks, guint, i));
      g_autofree char *id = assay_uuid_new ();

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, pick->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, r->inspector_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, r->form_version_id, -1, SQLITE_TRANSIENT);
      _assay_store_bind_int_or_null (stmt, 5, due_at, due_at == 0);
      sqlite3_bind_text (stmt, 6, r->draw_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 7, r->drawn_at);
      if (!_assay_store_step_done (db, stmt, error))
        return FALSE;
      _assay_store_note_change (db, ASSAY_STORE_ASSIGNMENTS, id);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* the centre learns of the draw, with its rule and seed, so it can check it too */
  op_data = draw_operation (r, a->rule_json, &c, picks);
  {
    AssayStoreOutboxOp op = { .collection = "sampling_draws", .object_id = r->draw_id,
                              .action = "create", .data = op_data, .base_rev = -1,
                              .created_at = r->drawn_at };

    return _assay_store_enqueue (db, &op, error);
  }
}

typedef struct
{
  Args            *a;
  AssayDrawResult *r;
  GCancellable    *cancellable;
} DrawCall;

static gboolean
draw_call (sqlite3  *db,
           gpointer  data,
           GError  **error)
{
  DrawCall *call = data;

  return draw_locked (db, call->a, call->r, call->cancellable, error);
}

static gpointer
draw_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Args *a = data;
  g_autoptr(AssayDrawResult) r = g_new0 (AssayDrawResult, 1);
  GError *local_error = NULL;

  if (!assay_sampling_rule_validate (a->rule, &local_error))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The sampling rule is not valid: %s"), local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  if (a->rule_json == NULL || *a->rule_json != '{')
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("A draw needs its rule as JSON to store with it"));
      return NULL;
    }
  if (a->seed > ASSAY_SAMPLING_MAX_SEED)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The seed must be from 0 to %lld"), (long long) ASSAY_SAMPLING_MAX_SEED);
      return NULL;
    }

  {
    DrawCall call = { a, r, cancellable };

    if (!_assay_store_in_transaction_ok (db, draw_call, &call, error))
      return NULL;
  }
  return g_steal_pointer (&r);
}

static Args *
draw_args (const AssaySamplingRule *rule,
           const char              *rule_json,
           guint64                  seed,
           const char              *drawn_by)
{
  Args *a = g_new0 (Args, 1);

  a->rule = assay_sampling_rule_copy (rule);
  a->rule_json = g_strdup (rule_json);
  a->seed = seed;
  a->drawn_by = g_strdup (drawn_by);
  return a;
}

void
assay_store_draw_async (AssayStore              *store,
                        const AssaySamplingRule *rule,
                        const char              *rule_json,
                        guint64                  seed,
                        const char              *drawn_by,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_return_if_fail (rule != NULL);

  _assay_store_run_async (store, draw_func, draw_args (rule, rule_json, seed, drawn_by),
                          (GDestroyNotify) args_free, (GDestroyNotify) assay_draw_result_free,
                          assay_store_draw_async, cancellable, callback, user_data);
}

AssayDrawResult *
assay_store_draw_finish (AssayStore    *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayDrawResult *
assay_store_draw_sync (AssayStore              *store,
                       const AssaySamplingRule *rule,
                       const char              *rule_json,
                       guint64                  seed,
                       const char              *drawn_by,
                       GError                 **error)
{
  Args *a;
  AssayDrawResult *r;

  g_return_val_if_fail (rule != NULL, NULL);

  a = draw_args (rule, rule_json, seed, drawn_by);
  r = _assay_store_run_sync (store, draw_func, a, error);
  args_free (a);
  return r;
}

/* ---- stored draws ---- */

static AssayDrawRecord *
read_draw_locked (sqlite3     *db,
                  const char  *draw_id,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AssayDrawRecord *d;
  int rc;

  stmt = _assay_store_prepare (db, "SELECT d.id, d.rule, d.seed, d.drawn_at, d.drawn_by, s.name,"
                                   " (SELECT count(*) FROM assignment a WHERE a.draw_id = d.id)"
                                   " FROM sampling_draw d LEFT JOIN staff s ON s.id = d.drawn_by"
                                   " WHERE d.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, draw_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                   _("There is no draw %s in this database"), draw_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  d = g_new0 (AssayDrawRecord, 1);
  d->id = _assay_store_column_dup (stmt, 0);
  d->rule_json = _assay_store_column_dup (stmt, 1);
  d->seed = (guint64) sqlite3_column_int64 (stmt, 2);
  d->drawn_at = sqlite3_column_int64 (stmt, 3);
  d->drawn_by = _assay_store_column_dup (stmt, 4);
  d->drawn_by_name = _assay_store_column_dup (stmt, 5);
  d->n_assignments = (guint) sqlite3_column_int (stmt, 6);
  return d;
}

static gpointer
get_draw_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  return read_draw_locked (db, ((Args *) data)->id, error);
}

AssayDrawRecord *
assay_store_get_draw_sync (AssayStore  *store,
                           const char  *draw_id,
                           GError     **error)
{
  Args a = { 0 };

  g_return_val_if_fail (draw_id != NULL, NULL);

  a.id = (char *) draw_id;
  return _assay_store_run_sync (store, get_draw_func, &a, error);
}

typedef struct
{
  Args            *a;
  GCancellable    *cancellable;
  AssayDrawRecord *d;       /* out */
  Candidates      *c;       /* out */
  GHashTable      *stored;  /* out: the ids the draw assigned */
} VerifyRead;

static gboolean
verify_read_locked (sqlite3  *db,
                    gpointer  data,
                    GError  **error)
{
  VerifyRead *read = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  read->d = read_draw_locked (db, read->a->id, error);
  if (read->d == NULL
      || !read_candidates (db, read->a->rule, read->d->id, read->d->drawn_at, read->c,
                           read->cancellable, error))
    return FALSE;
  stmt = _assay_store_prepare (db, "SELECT interaction_id FROM assignment WHERE draw_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, read->d->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (read->stored, _assay_store_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error);
  return TRUE;
}

static gpointer
verify_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Args *a = data;
  g_autoptr(AssayDrawRecord) d = NULL;
  g_auto(Candidates) c = { NULL, NULL };
  g_autoptr(GArray) picks = NULL;
  g_autoptr(GHashTable) stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  AssayDrawCheck *check;
  guint n_taken;

  if (!assay_sampling_rule_validate (a->rule, NULL))
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                           _("The sampling rule to replay with is not valid"));
      return NULL;
    }

  /* one read transaction, so that the draw, its candidates and its assignments agree */
  {
    VerifyRead read = { a, cancellable, NULL, &c, stored };
    gboolean ok = _assay_store_in_read_transaction (db, verify_read_locked, &read, error);

    d = read.d;
    if (!ok)
      return NULL;
  }

  picks = assay_sampling_draw (a->rule, d->seed, (const AssaySamplingCandidate *) c.candidates->data,
                               c.candidates->len);
  check = g_new0 (AssayDrawCheck, 1);
  check->n_stored = g_hash_table_size (stored);
  check->n_replayed = picks->len;
  count_matching (a->rule, &c, &check->n_matching, &n_taken);
  for (guint i = 0; i < picks->len; i++)
    {
      const char *id = g_array_index (c.candidates, AssaySamplingCandidate,
                                      g_array_index (picks, guint, i)).id;

      if (!g_hash_table_contains (stored, id))
        check->n_extra++;
    }
  check->n_missing = check->n_stored - (check->n_replayed - check->n_extra);
  check->matches = check->n_missing == 0 && check->n_extra == 0;
  return check;
}

static Args *
verify_args (const char              *draw_id,
             const AssaySamplingRule *rule)
{
  Args *a = g_new0 (Args, 1);

  a->id = g_strdup (draw_id);
  a->rule = assay_sampling_rule_copy (rule);
  return a;
}

void
assay_store_verify_draw_async (AssayStore              *store,
                               const char              *draw_id,
                               const AssaySamplingRule *rule,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  g_return_if_fail (draw_id != NULL && rule != NULL);

  _assay_store_run_async (store, verify_func, verify_args (draw_id, rule), (GDestroyNotify) args_free,
                          g_free, assay_store_verify_draw_async, cancellable, callback, user_data);
}

AssayDrawCheck *
assay_store_verify_draw_finish (AssayStore    *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayDrawCheck *
assay_store_verify_draw_sync (AssayStore              *store,
                              const char              *draw_id,
                              const AssaySamplingRule *rule,
                              GError                 **error)
{
  Args *a;
  AssayDrawCheck *check;

  g_return_val_if_fail (draw_id != NULL && rule != NULL, NULL);

  a = verify_args (draw_id, rule);
  check = _assay_store_run_sync (store, verify_func, a, error);
  args_free (a);
  return check;
}

/* ---- progress ---- */

static GPtrArray *
read_progress (sqlite3     *db,
               const char  *sql,
               Args        *a,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) progress_row_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, a->from_ms);
  sqlite3_bind_int64 (stmt, 2, a->to_ms);
  sqlite3_bind_int64 (stmt, 3, a->at_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayProgressRow *row = g_new0 (AssayProgressRow, 1);

      row->id = _assay_store_column_dup (stmt, 0);
      row->name = _assay_store_column_dup (stmt, 1);
      row->n_assigned = (guint) sqlite3_column_int (stmt, 2);
      row->n_done = (guint) sqlite3_column_int (stmt, 3);
      row->n_overdue = (guint) sqlite3_column_int (stmt, 4);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

#define PROGRESS_SQL(who, table) \
  "WITH x AS (SELECT " who " AS who, a.due_at," \
  "   EXISTS (SELECT 1 FROM evaluation e WHERE e.interaction_id = a.interaction_id" \
  "    AND e.form_version_id = a.form_version_id AND e.state = 'submitted') AS done" \
  "  FROM assignment a JOIN interaction i ON i.id = a.interaction_id" \
  "  WHERE i.started_at >= ?1 AND i.started_at < ?2)" \
  " SELECT x.who, t.name, count(*), sum(done), sum(NOT done AND due_at IS NOT NULL AND due_at < ?3)" \
  " FROM x LEFT JOIN " table " t ON t.id = x.who GROUP BY x.who" \
  " ORDER BY t.name IS NULL, t.name, x.who"

typedef struct
{
  Args               *a;
  AssayQueueProgress *p;  /* out */
} ProgressRead;

/* both lists from one snapshot */
static gboolean
progress_read_locked (sqlite3  *db,
                      gpointer  data,
                      GError  **error)
{
  ProgressRead *read = data;

  read->p->agents = read_progress (db, PROGRESS_SQL ("i.agent_id", "agent"), read->a, error);
  if (read->p->agents != NULL)
    read->p->inspectors = read_progress (db, PROGRESS_SQL ("a.inspector_id", "staff"), read->a,
                                         error);
  return read->p->inspectors != NULL;
}

static gpointer
progress_func (sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Args *a = data;
  g_autoptr(AssayQueueProgress) p = g_new0 (AssayQueueProgress, 1);

  ProgressRead read = { a, p };

  if (!_assay_store_in_read_transaction (db, progress_read_locked, &read, error))
    return NULL;
  return g_steal_pointer (&p);
}

static Args *
progress_args (gint64 from_ms,
               gint64 to_ms,
               gint64 now_ms)
{
  Args *a = g_new0 (Args, 1);

  a->from_ms = from_ms;
  a->to_ms = to_ms;
  a->at_ms = now_ms;
  return a;
}

void
assay_store_queue_progress_async (AssayStore          *store,
                                  gint64               from_ms,
                                  gint64               to_ms,
                                  gint64               now_ms,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  _assay_store_run_async (store, progress_func, progress_args (from_ms, to_ms, now_ms),
                          (GDestroyNotify) args_free, (GDestroyNotify) assay_queue_progress_free,
                          assay_store_queue_progress_async, cancellable, callback, user_data);
}

AssayQueueProgress *
assay_store_queue_progress_finish (AssayStore    *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayQueueProgress *
assay_store_queue_progress_sync (AssayStore  *store,
                                 gint64       from_ms,
                                 gint64       to_ms,
                                 gint64       now_ms,
                                 GError     **error)
{
  Args *a = progress_args (from_ms, to_ms, now_ms);
  AssayQueueProgress *p = _assay_store_run_sync (store, progress_func, a, error);

  args_free (a);
  return p;
}
