/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-private.h"

#include <glib/gstdio.h>

/*
 * One SQLite connection lives on one worker thread. Every caller hands the worker a job; the
 * GUI gets its answer through GTask on its own main context and never waits on disk.
 */

typedef struct {
  AssayStoreFunc  func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
  GTask          *task;      /* async jobs */
  /* sync jobs */
  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gpointer        result;
  GError         *error;
  gboolean        quit;
} Job;

struct _AssayStore
{
  GObject      parent_instance;

  char        *path;
  GThread     *thread;
  GAsyncQueue *queue;
  sqlite3     *db;        /* touched only on the worker */
  gboolean     closed;
  AssayStoreHealth *health;  /* read-only, damaged (assay-store-health.c) */
};

G_DEFINE_FINAL_TYPE (AssayStore, assay_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (assay-store-error-quark, assay_store_error)

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_clear_object (&job->task);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

static Job *
job_new (AssayStoreFunc func,
         gpointer       data,
         GDestroyNotify data_free)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  job->data_free = data_free;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  return job;
}

static gpointer open_func (sqlite3 *db, gpointer data, GCancellable *cancellable, GError **error);

static gpointer
worker_main (gpointer user_data)
{
  AssayStore *self = user_data;
  GAsyncQueue *queue = g_async_queue_ref (self->queue);

  for (;;)
    {
      Job *job = g_async_queue_pop (queue);
      gboolean quit = job->quit;

      if (!quit)
        {
          GCancellable *cancellable = job->task ? g_task_get_cancellable (job->task) : NULL;
          GError *error = NULL;
          gpointer result = NULL;

          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            ;
          else if (self->db == NULL && job->func != open_func)
            g_set_error_literal (&error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CLOSED,
                                 "The database is not open");
          else
            result = job->func (self->db, job->data, cancellable, &error);
          _assay_store_health_after_job (self->health, self->db, error);

          if (job->task != NULL)
            {
              if (error != NULL)
                g_task_return_error (job->task, error);
              else
                g_task_return_pointer (job->task, result, job->result_free);
              job_free (job);
              continue;
            }

          g_mutex_lock (&job->mutex);
          job->result = result;
          job->error = error;
          job->done = TRUE;
          g_cond_signal (&job->cond);
          g_mutex_unlock (&job->mutex);
          continue;
        }

      /* quit: close the connection on the thread that owns it */
      if (self->db != NULL)
        {
          sqlite3_close_v2 (self->db);
          self->db = NULL;
        }
      g_mutex_lock (&job->mutex);
      job->done = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
      break;
    }

  g_async_queue_unref (queue);
  return NULL;
}

static void
wait_job (Job *job)
{
  g_mutex_lock (&job->mutex);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);
}

void
assay_store_close (AssayStore *self)
{
  Job *job;

  g_return_if_fail (ASSAY_IS_STORE (self));

  if (self->closed)
    return;
  self->closed = TRUE;

  job = job_new (NULL, NULL, NULL);
  job->quit = TRUE;
  g_async_queue_push (self->queue, job);
  wait_job (job);
  job_free (job);
  g_thread_join (g_steal_pointer (&self->thread));
}

static void
assay_store_finalize (GObject *object)
{
  AssayStore *self = (AssayStore *) object;

  assay_store_close (self);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->health, _assay_store_health_unref);
  g_free (self->path);

  G_OBJECT_CLASS (assay_store_parent_class)->finalize (object);
}

static void
assay_store_class_init (AssayStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_store_finalize;
  /* last: it chains up to the get_property set above it */
  _assay_store_health_class_init (G_OBJECT_CLASS (klass));
}

static void
assay_store_init (AssayStore *self)
{
  self->queue = g_async_queue_new ();
  self->health = _assay_store_health_new (self);
}

AssayStore *
assay_store_new (const char *path)
{
  AssayStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (ASSAY_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->thread = g_thread_new ("assay-store", worker_main, self);
  return self;
}

AssayStoreHealth *
_assay_store_get_health (AssayStore *self)
{
  return self->health;
}

const char *
assay_store_get_path (AssayStore *self)
{
  g_return_val_if_fail (ASSAY_IS_STORE (self), NULL);
  return self->path;
}

char *
assay_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "assay", "assay.db", NULL);
}

int
assay_store_schema_version (void)
{
  return _assay_store_schema_version ();
}

void
_assay_store_run_async (AssayStore          *self,
                        AssayStoreFunc       func,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        GDestroyNotify       result_free,
                        gpointer             source_tag,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Job *job;

  g_return_if_fail (ASSAY_IS_STORE (self));

  job = job_new (func, data, data_free);
  job->result_free = result_free;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);

  if (self->closed)
    {
      g_task_return_new_error (job->task, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CLOSED,
                               "The database is closed");
      job_free (job);
      return;
    }
  g_async_queue_push (self->queue, job);
}

gpointer
_assay_store_run_finish (AssayStore    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
_assay_store_run_sync (AssayStore     *self,
                       AssayStoreFunc  func,
                       gpointer        data,
                       GError        **error)
{
  Job *job;
  gpointer result;

  g_return_val_if_fail (ASSAY_IS_STORE (self), NULL);

  if (self->closed)
    {
      g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CLOSED,
                           "The database is closed");
      return NULL;
    }

  job = job_new (func, data, NULL);
  g_async_queue_push (self->queue, job);
  wait_job (job);
  result = job->result;
  if (job->error != NULL)
    g_propagate_error (error, job->error);
  job_free (job);
  return result;
}

/* The one job that runs before there is a connection: it makes it. */
static gpointer
open_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  AssayStore *self = data;
  g_autofree char *dir = NULL;
  sqlite3 *conn;

  if (self->db != NULL)
    return GINT_TO_POINTER (TRUE);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_OPEN,
                   "Cannot create the folder %s: %s", dir, g_strerror (saved));
      return NULL;
    }

  /* read-write and migrated, or read-only when Assay cannot write it */
  conn = _assay_store_health_connect (self->health, self->path, error);
  if (conn == NULL)
    return NULL;

  self->db = conn;
  return GINT_TO_POINTER (TRUE);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (_assay_store_run_finish (ASSAY_STORE (source), result, &error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  /* the damage check queues behind the queries the caller's callback just asked for */
  _assay_store_health_start_check (ASSAY_STORE (source));
}

void
assay_store_open_async (AssayStore          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, assay_store_open_async);
  _assay_store_run_async (self, open_func, self, NULL, NULL, assay_store_open_async,
                          cancellable, open_done_cb, task);
}

gboolean
assay_store_open_finish (AssayStore    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
assay_store_open_sync (AssayStore  *self,
                       GError     **error)
{
  return _assay_store_run_sync (self, open_func, self, error) != NULL;
}

/* helpers for repositories */

gboolean
_assay_store_set_error (sqlite3  *db,
                        int       rc,
                        GError  **error)
{
  return _assay_store_health_set_error (db, rc, NULL, error);
}

gboolean
_assay_store_exec (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &msg);

  if (rc != SQLITE_OK)
    {
      _assay_store_health_set_error (db, rc, msg, error);
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
_assay_store_prepare (sqlite3     *db,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return stmt;
}

gboolean
_assay_store_begin (sqlite3  *db,
                    GError  **error)
{
  return _assay_store_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
_assay_store_commit (sqlite3  *db,
                     GError  **error)
{
  if (!_assay_store_exec (db, "COMMIT", error))
    {
      _assay_store_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gpointer
_assay_store_in_transaction (sqlite3        *db,
                             gpointer      (*func) (sqlite3  *db,
                                                    gpointer  data,
                                                    GError  **error),
                             gpointer        data,
                             GDestroyNotify  result_free,
                             GError        **error)
{
  gpointer result;

  if (!_assay_store_begin (db, error))
    return NULL;
  result = func (db, data, error);
  if (result == NULL)
    {
      _assay_store_rollback (db);
      return NULL;
    }
  if (!_assay_store_commit (db, error))
    {
      if (result_free != NULL)
        result_free (result);
      return NULL;
    }
  return result;
}

void
_assay_store_rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

void
_assay_store_bind_text_or_null (sqlite3_stmt *stmt,
                                int           idx,
                                const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_TRANSIENT);
}

void
_assay_store_bind_int_or_null (sqlite3_stmt *stmt,
                               int           idx,
                               gint64        value,
                               gboolean      is_null)
{
  if (is_null)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int64 (stmt, idx, value);
}

const char *
_assay_store_column_text (sqlite3_stmt *stmt,
                          int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

char *
_assay_store_column_dup (sqlite3_stmt *stmt,
                         int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

int
_assay_store_column_int_or_none (sqlite3_stmt *stmt,
                                 int           col)
{
  /* ASSAY_NONE is -1 (core/assay-interaction.h) */
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, col);
}

gboolean
_assay_store_step_done (sqlite3       *db,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _assay_store_set_error (db, rc, error);
  return TRUE;
}
