/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-private.h"
#include "core/assay-util.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/*
 * One SQLite connection lives on one worker thread. Every caller hands the worker a job; the
 * GUI gets its answer through GTask on its own main context and never waits on disk.
 *
 * Async jobs return on the main context of their task: the worker hands the finished job to
 * that context, which returns the task and frees the job there. So the last reference to a task
 * (and through it to the store) is never dropped on the worker, and the store is never
 * finalized on its own thread (which would make it wait for itself).
 *
 * Change notifications: a write records what it changes with _assay_store_note_change() inside
 * its transaction. The records wait in `pending` until the transaction commits
 * (_assay_store_commit(), or at once for a statement outside a transaction) and any rollback
 * drops them (the connection's rollback hook). When a job ends, what it committed goes to the
 * store's main context in one idle and is emitted there as ::changed, once a collection, before
 * the job's own task returns.
 *
 * Changes from other processes: between jobs the worker reads `PRAGMA data_version` every
 * EXTERNAL_POLL_MS while someone listens to ::changed. SQLite changes that number on this
 * connection exactly when another connection has committed; reading it is a look at a counter
 * in shared memory (no disk I/O). A file monitor would be worse: with WAL a commit writes the
 * -wal file and a checkpoint writes the database later, so file events neither mark commits nor
 * come in a useful order, and they race with our own writes.
 */

#define EXTERNAL_POLL_MS 500
/* More ids than this in one job are announced as "everything in the collection". */
#define MAX_CHANGE_IDS 1000

typedef struct {
  AssayStoreFunc  func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
  GTask          *task;      /* async jobs */
  /* sync jobs, and the answer of async ones */
  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gpointer        result;
  GError         *error;
  gboolean        quit;
} Job;

/* What changed in one collection: some ids, or (ids == NULL) anything. */
typedef struct {
  GHashTable *ids;
} ChangeSet;

struct _AssayStore
{
  GObject       parent_instance;

  char         *path;
  GThread      *thread;
  GAsyncQueue  *queue;
  sqlite3      *db;        /* touched only on the worker */
  gboolean      closed;
  GMainContext *context;   /* the thread-default context of the thread that made the store */
  guint         n_jobs;    /* async jobs not yet returned; main thread only */

  /* worker only */
  GHashTable   *pending;   /* collection -> ChangeSet of the open transaction */
  GHashTable   *committed; /* collection -> ChangeSet committed by the current job */
  sqlite3_stmt *data_version;
  gint64        last_data_version;
  gint64        last_poll;   /* monotonic µs */

  AssayStoreHealth *health;  /* read-only, damaged (assay-store-health.c) */
};

G_DEFINE_FINAL_TYPE (AssayStore, assay_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (assay-store-error-quark, assay_store_error)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The store whose worker is the current thread: where _assay_store_note_change() records. */
static GPrivate current_store;

static const char *const collections[] = {
  ASSAY_STORE_INTERACTIONS,
  ASSAY_STORE_EVALUATIONS,
  ASSAY_STORE_ASSIGNMENTS,
  ASSAY_STORE_FORMS,
  ASSAY_STORE_DIRECTORY,
  ASSAY_STORE_ANALYSES,
  ASSAY_STORE_DISPUTES,
  ASSAY_STORE_ACKNOWLEDGEMENTS,
  ASSAY_STORE_COACHING,
  ASSAY_STORE_AUDITS,
  NULL
};

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

/* ---- change sets, on the worker ---- */

static void
change_set_free (ChangeSet *set)
{
  g_clear_pointer (&set->ids, g_hash_table_unref);
  g_free (set);
}

static GHashTable *
changes_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) change_set_free);
}

static void
changes_add (GHashTable *changes,
             const char *collection,
             const char *id)
{
  ChangeSet *set = g_hash_table_lookup (changes, collection);

  if (set == NULL)
    {
      set = g_new0 (ChangeSet, 1);
      set->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (changes, g_strdup (collection), set);
    }
  if (set->ids == NULL)
    return;
  if (id == NULL || g_hash_table_size (set->ids) >= MAX_CHANGE_IDS)
    g_clear_pointer (&set->ids, g_hash_table_unref);
  else
    g_hash_table_add (set->ids, g_strdup (id));
}

/* Moves every change of @from into @to. */
static void
changes_merge (GHashTable *to,
               GHashTable *from)
{
  GHashTableIter iter;
  const char *collection;
  ChangeSet *set;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, (gpointer *) &collection, (gpointer *) &set))
    {
      GHashTableIter ids;
      const char *id;

      if (set->ids == NULL)
        {
          changes_add (to, collection, NULL);
          continue;
        }
      g_hash_table_iter_init (&ids, set->ids);
      while (g_hash_table_iter_next (&ids, (gpointer *) &id, NULL))
        changes_add (to, collection, id);
    }
  g_hash_table_remove_all (from);
}

static void
rollback_hook_cb (void *user_data)
{
  AssayStore *self = user_data;

  /* nothing of a rolled-back transaction is announced */
  g_hash_table_remove_all (self->pending);
}

typedef struct {
  AssayStore *store;
  GHashTable *changes;
} Emission;

static void
emission_free (Emission *e)
{
  g_object_unref (e->store);
  g_hash_table_unref (e->changes);
  g_free (e);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* On the store's context. */
static gboolean
emit_changes_cb (gpointer user_data)
{
  Emission *e = user_data;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, e->changes);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_ptr_array_add (names, name);
  /* the same order every time, so listeners of several collections can rely on it */
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *collection = g_ptr_array_index (names, i);
      ChangeSet *set = g_hash_table_lookup (e->changes, collection);
      g_autoptr(GStrvBuilder) builder = NULL;
      g_auto(GStrv) ids = NULL;

      if (set->ids != NULL)
        {
          GHashTableIter ids_iter;
          const char *id;

          builder = g_strv_builder_new ();
          g_hash_table_iter_init (&ids_iter, set->ids);
          while (g_hash_table_iter_next (&ids_iter, (gpointer *) &id, NULL))
            g_strv_builder_add (builder, id);
          ids = g_strv_builder_end (builder);
          qsort (ids, g_strv_length (ids), sizeof (char *), compare_strings);
        }
      g_signal_emit (e->store, signals[CHANGED], g_quark_from_string (collection), collection, ids);
    }
  return G_SOURCE_REMOVE;
}

/* Whether anyone listens to ::changed for @collection (%NULL: for any collection). Handlers
 * are matched by their exact detail, so ask for no detail and for the collection's. */
static gboolean
has_listeners (AssayStore *self,
               const char *collection)
{
  if (g_signal_has_handler_pending (self, signals[CHANGED], 0, TRUE))
    return TRUE;
  if (collection != NULL)
    return g_signal_has_handler_pending (self, signals[CHANGED],
                                         g_quark_from_string (collection), TRUE);
  for (guint i = 0; collections[i] != NULL; i++)
    if (has_listeners (self, collections[i]))
      return TRUE;
  return FALSE;
}

/* Sends what the finished job committed to the store's context, for the collections that
 * someone listens to. */
static void
flush_changes (AssayStore *self)
{
  GHashTableIter iter;
  const char *collection;
  Emission *e;

  g_hash_table_iter_init (&iter, self->committed);
  while (g_hash_table_iter_next (&iter, (gpointer *) &collection, NULL))
    if (!has_listeners (self, collection))
      g_hash_table_iter_remove (&iter);
  if (g_hash_table_size (self->committed) == 0)
    return;
  e = g_new0 (Emission, 1);
  e->store = g_object_ref (self);
  e->changes = changes_new ();
  changes_merge (e->changes, self->committed);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_changes_cb, e,
                              (GDestroyNotify) emission_free);
}

/* Between jobs: has another connection committed since we last looked? */
static void
poll_external_changes (AssayStore *self)
{
  gint64 version;

  if (self->data_version == NULL)
    return;
  if (sqlite3_step (self->data_version) != SQLITE_ROW)
    {
      sqlite3_reset (self->data_version);
      return;
    }
  version = sqlite3_column_int64 (self->data_version, 0);
  sqlite3_reset (self->data_version);
  if (version == self->last_data_version)
    return;
  self->last_data_version = version;
  for (guint i = 0; collections[i] != NULL; i++)
    changes_add (self->committed, collections[i], NULL);
  flush_changes (self);
}

/* ---- the worker ---- */

static void
store_job_done (AssayStore *self)
{
  g_assert (self->n_jobs > 0);
  if (--self->n_jobs == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* On the task's context: returns the job's answer and frees the job there. */
static gboolean
return_job_cb (gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(AssayStore) self = g_object_ref (g_task_get_source_object (job->task));

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else
    g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_free);
  job_free (job);
  store_job_done (self);
  return G_SOURCE_REMOVE;
}

static gpointer
worker_main (gpointer user_data)
{
  AssayStore *self = user_data;
  GAsyncQueue *queue = g_async_queue_ref (self->queue);

  g_private_set (&current_store, self);

  for (;;)
    {
      Job *job;
      gboolean quit;

      if (self->data_version != NULL)
        {
          /* also between jobs when the worker is never idle for a whole interval */
          if (g_get_monotonic_time () - self->last_poll >= EXTERNAL_POLL_MS * G_TIME_SPAN_MILLISECOND)
            {
              self->last_poll = g_get_monotonic_time ();
              if (has_listeners (self, NULL))
                poll_external_changes (self);
            }
          job = g_async_queue_timeout_pop (queue, EXTERNAL_POLL_MS * G_TIME_SPAN_MILLISECOND);
          if (job == NULL)
            continue;
        }
      else
        job = g_async_queue_pop (queue);
      quit = job->quit;

      if (!quit)
        {
          GCancellable *cancellable = job->task ? g_task_get_cancellable (job->task) : NULL;
          GError *error = NULL;
          gpointer result = NULL;

          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            ;
          else if (self->db == NULL && job->func != open_func)
            g_set_error_literal (&error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CLOSED,
                                 _("The database is not open yet. Wait a moment and try again."));
          else
            result = job->func (self->db, job->data, cancellable, &error);
          _assay_store_health_after_job (self->health, self->db, error);

          /* a transaction that ended with a plain "COMMIT" (not _assay_store_commit()) has
           * committed too: rollbacks have already emptied `pending` through the hook. A
           * transaction still open is not committed: nothing of it is announced yet. */
          if (self->db != NULL && sqlite3_get_autocommit (self->db))
            changes_merge (self->committed, self->pending);
          flush_changes (self);

          if (job->task != NULL)
            {
              job->result = result;
              job->error = error;
              g_main_context_invoke_full (g_task_get_context (job->task), G_PRIORITY_DEFAULT,
                                          return_job_cb, job, NULL);
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
      g_clear_pointer (&self->data_version, sqlite3_finalize);
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

  g_private_set (&current_store, NULL);
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
  /* the worker would wait for itself */
  g_return_if_fail (g_thread_self () != self->thread);
  self->closed = TRUE;

  /* jobs queued before this one run first: closing drains the store */
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
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->committed, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->path);

  G_OBJECT_CLASS (assay_store_parent_class)->finalize (object);
}

static void
assay_store_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AssayStore *self = ASSAY_STORE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, assay_store_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_store_class_init (AssayStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_store_finalize;
  object_class->get_property = assay_store_get_property;

  /**
   * AssayStore:busy:
   * Whether async work handed to the store has not yet returned. The application holds itself
   * while the store is busy, so a save started just before quitting reaches the database.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AssayStore::changed:
   * @store: the store
   * @collection: what changed, one of the ASSAY_STORE_* collection names (also the detail)
   * @ids: (nullable): the ids that changed (sorted), or %NULL when anything in the collection
   *   may have changed (a bulk write, or a commit by another process)
   *
   * Emitted on the store's main context after a transaction committed, before the task of
   * the job that wrote it returns. Never for a rolled-back transaction.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRV | G_SIGNAL_TYPE_STATIC_SCOPE);

  /* last: it chains up to the get_property set above it */
  _assay_store_health_class_init (object_class);
}

static void
assay_store_init (AssayStore *self)
{
  self->queue = g_async_queue_new ();
  self->health = _assay_store_health_new (self);
  self->pending = changes_new ();
  self->committed = changes_new ();
  self->context = g_main_context_ref_thread_default ();
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

gboolean
assay_store_get_busy (AssayStore *self)
{
  g_return_val_if_fail (ASSAY_IS_STORE (self), FALSE);
  return self->n_jobs > 0;
}

const char * const *
assay_store_get_collections (void)
{
  return collections;
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
  if (self->n_jobs++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
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
                           _("The database is already closed. Start Assay again to go on."));
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

static void watch_connection (AssayStore *self);

/* The one job that runs before there is a connection: it makes it. */
/* Starts recording changes on the new connection and watching for other writers. */
static void
watch_connection (AssayStore *self)
{
  sqlite3_rollback_hook (self->db, rollback_hook_cb, self);
  if (sqlite3_prepare_v2 (self->db, "PRAGMA data_version", -1, &self->data_version, NULL) == SQLITE_OK
      && sqlite3_step (self->data_version) == SQLITE_ROW)
    self->last_data_version = sqlite3_column_int64 (self->data_version, 0);
  /* a statement left active would lock tables for DROP and the like */
  if (self->data_version != NULL)
    sqlite3_reset (self->data_version);
}

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
                   /* Translators: a folder, then the system's reason */
                   _("Cannot create the folder %s for the database: %s. Choose another location "
                     "in Preferences."), dir, g_strerror (saved));
      return NULL;
    }

  /* read-write and migrated, or read-only when Assay cannot write it */
  conn = _assay_store_health_connect (self->health, self->path, error);
  if (conn == NULL)
    return NULL;

  self->db = conn;
  watch_connection (self);
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

/* change records, on the worker */

void
_assay_store_note_change (sqlite3    *db,
                          const char *collection,
                          const char *id)
{
  AssayStore *self = g_private_get (&current_store);

  g_return_if_fail (collection != NULL);

  if (self == NULL || self->db != db)
    return;
  /* outside a transaction the statement has already committed */
  changes_add (sqlite3_get_autocommit (db) ? self->committed : self->pending, collection, id);
}

static void
promote_changes (sqlite3 *db)
{
  AssayStore *self = g_private_get (&current_store);

  if (self != NULL && self->db == db)
    changes_merge (self->committed, self->pending);
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
  promote_changes (db);
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

typedef struct
{
  gboolean (*func) (sqlite3 *db, gpointer data, GError **error);
  gpointer   data;
} CheckCall;

static gpointer
check_call (sqlite3  *db,
            gpointer  data,
            GError  **error)
{
  CheckCall *call = data;

  return call->func (db, call->data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

gboolean
_assay_store_in_transaction_ok (sqlite3    *db,
                                gboolean  (*func) (sqlite3  *db,
                                                   gpointer  data,
                                                   GError  **error),
                                gpointer    data,
                                GError    **error)
{
  CheckCall call = { func, data };

  return _assay_store_in_transaction (db, check_call, &call, NULL, error) != NULL;
}

gboolean
_assay_store_in_read_transaction (sqlite3   *db,
                                  gboolean (*func) (sqlite3  *db,
                                                    gpointer  data,
                                                    GError  **error),
                                  gpointer   data,
                                  GError   **error)
{
  gboolean ok;

  if (!_assay_store_exec (db, "BEGIN", error))
    return FALSE;
  ok = func (db, data, error);
  /* only read: ending it with a rollback keeps nothing and announces nothing */
  _assay_store_rollback (db);
  return ok;
}

gboolean
_assay_store_enqueue (sqlite3                  *db,
                      const AssayStoreOutboxOp *op,
                      GError                  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *sql = NULL;
  gint64 at = op->created_at != 0 ? op->created_at : assay_now_ms ();

  if (op->coalesce)
    {
      /* an operation not yet sent is updated in place; once sent it never changes */
      stmt = _assay_store_prepare (db, "UPDATE outbox SET data = ?1, created_at = ?2"
                                       " WHERE object_id = ?3 AND collection = ?4"
                                       " AND action IN ('create', 'update') AND sent_at IS NULL",
                                   error);
      if (stmt == NULL)
        return FALSE;
      _assay_store_bind_text_or_null (stmt, 1, op->data);
      sqlite3_bind_int64 (stmt, 2, at);
      sqlite3_bind_text (stmt, 3, op->object_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, op->collection, -1, SQLITE_TRANSIENT);
      if (!_assay_store_step_done (db, stmt, error))
        return FALSE;
      if (sqlite3_changes (db) > 0)
        return TRUE;
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  op_id = assay_uuid_new ();
  if (op->base_rev_of != NULL)
    {
      char *from = sqlite3_mprintf ("(SELECT rev FROM \"%w\" WHERE id = ?3)", op->base_rev_of);

      sql = g_strdup_printf ("INSERT INTO outbox (op_id, collection, object_id, action, base_rev,"
                             " data, reason, created_at) VALUES (?1, ?2, ?3, ?4, %s, ?5, ?6, ?7)",
                             from);
      sqlite3_free (from);
    }
  else
    sql = g_strdup ("INSERT INTO outbox (op_id, collection, object_id, action, base_rev,"
                    " data, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?8, ?5, ?6, ?7)");
  stmt = _assay_store_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, op->collection, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, op->object_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, op->action, -1, SQLITE_TRANSIENT);
  _assay_store_bind_text_or_null (stmt, 5, op->data);
  _assay_store_bind_text_or_null (stmt, 6, op->reason);
  sqlite3_bind_int64 (stmt, 7, at);
  if (op->base_rev_of == NULL)
    _assay_store_bind_int_or_null (stmt, 8, op->base_rev, op->base_rev < 0);
  return _assay_store_step_done (db, stmt, error);
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
