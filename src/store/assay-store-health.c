/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-store-health.h"
#include "assay-store-kpi-private.h"
#include "assay-store-private.h"

/*
 * Read-only databases, damaged databases and the salvage of what can still be read.
 *
 * SQLite 3.40 and WAL: a read-only connection needs the -shm file. It opens a read-only file
 * when its folder is writable (it makes the -wal and -shm there), and a read-only folder when
 * the -wal and -shm already exist; with neither it fails with SQLITE_READONLY_DIRECTORY. Then,
 * if there is no -wal with changes in it, the file alone is the whole database and
 * `immutable=1` opens it without the -shm (no locks: fine for a file nobody here may write).
 * With changes waiting in a -wal that cannot be opened, Assay says so rather than show stale
 * data.
 */

enum {
  /* far from assay-store.c's own property ids */
  PROP_READ_ONLY = 100,
  PROP_DAMAGED,
};

static GParamSpec *prop_read_only;
static GParamSpec *prop_damaged;
static GObjectGetPropertyFunc parent_get_property;

struct _AssayStoreHealth
{
  gatomicrefcount  ref_count;
  GWeakRef         store;
  GMainContext    *context;   /* where the properties are notified */
  GMutex           mutex;
  gboolean         read_only;
  gboolean         damaged;
  char            *damage;
  gboolean         check_started;
};

/* ---- state ---- */

AssayStoreHealth *
_assay_store_health_new (AssayStore *store)
{
  AssayStoreHealth *health = g_new0 (AssayStoreHealth, 1);

  g_atomic_ref_count_init (&health->ref_count);
  g_weak_ref_init (&health->store, store);
  health->context = g_main_context_ref_thread_default ();
  g_mutex_init (&health->mutex);
  return health;
}

static AssayStoreHealth *
health_ref (AssayStoreHealth *health)
{
  g_atomic_ref_count_inc (&health->ref_count);
  return health;
}

void
_assay_store_health_unref (AssayStoreHealth *health)
{
  if (!g_atomic_ref_count_dec (&health->ref_count))
    return;
  g_weak_ref_clear (&health->store);
  g_main_context_unref (health->context);
  g_mutex_clear (&health->mutex);
  g_free (health->damage);
  g_free (health);
}

typedef struct {
  AssayStoreHealth *health;
  GParamSpec       *pspec;
} Notify;

static void
notify_free (Notify *notify)
{
  _assay_store_health_unref (notify->health);
  g_free (notify);
}

static gboolean
notify_cb (gpointer user_data)
{
  Notify *notify = user_data;
  g_autoptr(AssayStore) store = g_weak_ref_get (&notify->health->store);

  if (store != NULL)
    g_object_notify_by_pspec (G_OBJECT (store), notify->pspec);
  return G_SOURCE_REMOVE;
}

/* Any thread: the property changes now, its notification comes on the store's main context. */
static void
schedule_notify (AssayStoreHealth *health,
                 GParamSpec       *pspec)
{
  Notify *notify = g_new0 (Notify, 1);
  g_autoptr(GSource) source = g_idle_source_new ();

  notify->health = health_ref (health);
  notify->pspec = pspec;
  /* always through the context, never called right here: g_main_context_invoke() would run it
   * on this (worker) thread whenever it can acquire the context between two iterations */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, notify_cb, notify, (GDestroyNotify) notify_free);
  g_source_set_static_name (source, "[assay] store health notify");
  g_source_attach (source, health->context);
}

static void
set_read_only (AssayStoreHealth *health,
               gboolean          read_only)
{
  gboolean changed;

  g_mutex_lock (&health->mutex);
  changed = health->read_only != read_only;
  health->read_only = read_only;
  g_mutex_unlock (&health->mutex);
  if (changed)
    schedule_notify (health, prop_read_only);
}

static void
mark_damaged (AssayStoreHealth *health,
              const char       *problem)
{
  gboolean changed;

  g_mutex_lock (&health->mutex);
  changed = !health->damaged;
  health->damaged = TRUE;
  if (health->damage == NULL)
    health->damage = g_strdup (problem);
  g_mutex_unlock (&health->mutex);
  if (changed)
    {
      g_message ("The database is damaged: %s", problem);
      schedule_notify (health, prop_damaged);
    }
}

static void
health_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_READ_ONLY:
      g_value_set_boolean (value, assay_store_get_read_only (ASSAY_STORE (object)));
      break;
    case PROP_DAMAGED:
      g_value_set_boolean (value, assay_store_get_damaged (ASSAY_STORE (object)));
      break;
    default:
      if (parent_get_property != NULL)
        parent_get_property (object, prop_id, value, pspec);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
_assay_store_health_class_init (GObjectClass *klass)
{
  parent_get_property = klass->get_property;
  klass->get_property = health_get_property;

  /**
   * AssayStore:read-only:
   * Whether the open database refuses writes because Assay cannot write it.
   */
  prop_read_only = g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                         | G_PARAM_STATIC_STRINGS);
  /**
   * AssayStore:damaged:
   * Whether the background check or a statement found the database damaged.
   */
  prop_damaged = g_param_spec_boolean ("damaged", NULL, NULL, FALSE,
                                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                       | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (klass, PROP_READ_ONLY, prop_read_only);
  g_object_class_install_property (klass, PROP_DAMAGED, prop_damaged);
}

/* ---- errors ---- */

static const char *
db_path (sqlite3 *db)
{
  const char *path = db ? sqlite3_db_filename (db, "main") : NULL;

  return path && *path ? path : _("in memory");
}

static void
set_read_only_error (GError     **error,
                     const char  *path)
{
  g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY,
               /* Translators: %s is the path of the database file */
               _("The database %s is read-only, so nothing can be changed. Ask whoever manages "
                 "it for write access to the file and its folder, or choose another location "
                 "in Preferences."),
               path);
}

/*
 * On the worker, once the database is known to be damaged: no more writes (they could spread
 * the damage), and no checkpoint, so what was written since opening stays in the -wal instead
 * of going into the damaged file. The salvage reads the -wal too.
 */
static void
stop_writing (sqlite3 *db)
{
  if (db == NULL)
    return;
  sqlite3_exec (db, "PRAGMA query_only = ON; PRAGMA wal_autocheckpoint = 0;", NULL, NULL, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
}

static gboolean
stopped_writing (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean stopped = FALSE;

  if (db != NULL && sqlite3_prepare_v2 (db, "PRAGMA query_only", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    stopped = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  return stopped;
}

gboolean
_assay_store_health_set_error (sqlite3     *db,
                               int          rc,
                               const char  *message,
                               GError     **error)
{
  int code = rc != SQLITE_OK ? rc : (db ? sqlite3_extended_errcode (db) : SQLITE_ERROR);
  g_autofree char *text = g_strdup (message ? message
                                            : (db ? sqlite3_errmsg (db) : sqlite3_errstr (rc)));

  switch (code & 0xff)
    {
    case SQLITE_READONLY:
      if (stopped_writing (db))
        g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CORRUPT,
                     /* Translators: %s is the path of the database file */
                     _("The database %s is damaged, so Assay no longer writes to it. Salvage what "
                       "can be read into a new database, or restore a backup."),
                     db_path (db));
      else
        set_read_only_error (error, db_path (db));
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CORRUPT,
                   /* Translators: %s is the path of the database file, %s SQLite's words */
                   _("The database %s is damaged (%s). Assay can copy what can still be read "
                     "into a new database."),
                   db_path (db), text);
      break;
    default:
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_SQL,
                   /* Translators: SQLite's own words follow */
                   _("Database error: %s"), text);
    }
  return FALSE;
}

static void
damaged_on_worker (AssayStoreHealth *health,
                   sqlite3          *db,
                   const char       *problem)
{
  stop_writing (db);
  mark_damaged (health, problem);
}

void
_assay_store_health_after_job (AssayStoreHealth *health,
                               sqlite3          *db,
                               const GError     *error)
{
  if (error == NULL)
    return;
  if (g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_CORRUPT))
    damaged_on_worker (health, db, error->message);
  else if (db != NULL && (sqlite3_extended_errcode (db) & 0xff) == SQLITE_CORRUPT)
    {
      g_autofree char *message = g_strdup (sqlite3_errmsg (db));

      damaged_on_worker (health, db, message);
    }
}

/* ---- opening ---- */

/* Whether Assay may write @path: the process may (access) and the mode says so (a write bit). */
static gboolean
writable (const char *path,
          gboolean   *exists)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      if (exists != NULL)
        *exists = FALSE;
      return TRUE;
    }
  if (exists != NULL)
    *exists = TRUE;
  return (st.st_mode & 0222) != 0 && g_access (path, W_OK) == 0;
}

static gboolean
wal_has_changes (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  return g_stat (wal, &st) == 0 && st.st_size > 0;
}

static int
probe (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

static sqlite3 *
open_uri (const char  *path,
          const char  *query,
          int         *rc_out)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *file_uri = g_filename_to_uri (absolute, NULL, NULL);
  g_autofree char *uri = g_strconcat (file_uri, "?", query, NULL);
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, 1);
      sqlite3_busy_timeout (db, 5000);
      rc = probe (db);
    }
  if (rc != SQLITE_OK)
    {
      *rc_out = db ? sqlite3_extended_errcode (db) : rc;
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

/*
 * Opens @path read-only: the usual way, or `immutable=1` when the folder stops the usual way.
 * With @quiet, a database without a -wal (closed cleanly, nobody has it open) is opened
 * `immutable=1` at once, so that not even a -shm appears next to it (check, salvage).
 */
static sqlite3 *
open_read_only (const char  *path,
                gboolean     quiet,
                GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  sqlite3 *db = NULL;
  int rc = SQLITE_OK;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_OPEN,
                   /* Translators: %s is the path of the database file */
                   _("There is no database at %s."), path);
      return NULL;
    }

  /* a folder Assay may not write (by its mode, even for root) gets no -wal or -shm from us */
  if (quiet && !g_file_test (wal, G_FILE_TEST_EXISTS))
    rc = SQLITE_READONLY_DIRECTORY;
  else if (writable (folder, NULL) || g_file_test (shm, G_FILE_TEST_EXISTS))
    db = open_uri (path, "mode=ro", &rc);
  else
    rc = SQLITE_READONLY_DIRECTORY;
  if (db == NULL
      && (rc == SQLITE_READONLY_DIRECTORY || rc == SQLITE_READONLY_CANTINIT
          || (rc & 0xff) == SQLITE_CANTOPEN))
    {

      if (wal_has_changes (path))
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY,
                       /* Translators: %s are the path of the database file and its folder */
                       _("The database %s has recent changes that cannot be read because its "
                         "folder %s is read-only. Ask whoever manages it for write access to the "
                         "folder, or choose another location in Preferences."),
                       path, folder);
          return NULL;
        }
      db = open_uri (path, "mode=ro&immutable=1", &rc);
    }
  if (db == NULL)
    {
      if ((rc & 0xff) == SQLITE_CORRUPT)
        _assay_store_health_set_error (NULL, rc, NULL, error);
      else
        g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_OPEN,
                     /* Translators: %s is the path, then SQLite's words */
                     _("Cannot read the database %s: %s"), path, sqlite3_errstr (rc));
      return NULL;
    }
  return db;
}

static int
user_version (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

static sqlite3 *
connect_read_only (const char  *path,
                   GError     **error)
{
  sqlite3 *db = open_read_only (path, FALSE, error);
  int version;

  if (db == NULL)
    return NULL;

  version = user_version (db);
  if (version >= 0 && version < _assay_store_schema_version ())
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY,
                   /* Translators: %s is the path of the database file */
                   _("The database %s was made by an older Assay and must be upgraded, but it "
                     "is read-only. Ask whoever manages it for write access to the file and its "
                     "folder, or choose another location in Preferences."),
                   path);
      sqlite3_close_v2 (db);
      return NULL;
    }
  /* refuses a newer or foreign database the usual way; writes nothing at this version */
  if (!_assay_store_migrate (db, _assay_store_schema_version (), error)
      || !_assay_store_exec (db, "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;", error))
    {
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

sqlite3 *
_assay_store_health_connect (AssayStoreHealth  *health,
                             const char        *path,
                             GError           **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  gboolean exists = FALSE;
  gboolean read_only;
  sqlite3 *db;

  read_only = !writable (path, &exists) || !writable (wal, NULL) || !writable (shm, NULL);
  if (!writable (folder, NULL))
    {
      if (!exists)
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_READ_ONLY,
                       /* Translators: %s is a folder */
                       _("Cannot make a database in %s: the folder is read-only. Choose another "
                         "location in Preferences."),
                       folder);
          return NULL;
        }
      read_only = TRUE;
    }

  if (read_only)
    db = connect_read_only (path, error);
  else
    {
      db = _assay_store_connect (path, error);
      if (db != NULL && !_assay_store_migrate (db, _assay_store_schema_version (), error))
        g_clear_pointer (&db, sqlite3_close_v2);
      /* SQLite fell back to reading only (the file is write-protected in a way we missed) */
      if (db != NULL && sqlite3_db_readonly (db, "main") == 1)
        read_only = TRUE;
    }

  if (db != NULL)
    set_read_only (health, read_only);
  return db;
}

/* ---- checking ---- */

static GStrv
check_db (sqlite3   *db,
          gboolean   full,
          GError   **error)
{
  g_autoptr(GStrvBuilder) problems = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, full ? "PRAGMA integrity_check" : "PRAGMA quick_check", -1,
                           &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _assay_store_health_set_error (db, rc, NULL, error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_strv_builder_add (problems, line ? line : "?");
    }
  if (rc != SQLITE_DONE)
    {
      /* the check itself ran into damage it could not step over */
      if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        g_strv_builder_add (problems, sqlite3_errmsg (db));
      else
        {
          _assay_store_health_set_error (db, rc, NULL, error);
          return NULL;
        }
    }
  return g_strv_builder_end (problems);
}

GStrv
assay_store_check_path (const char  *path,
                        gboolean     full,
                        GError     **error)
{
  sqlite3 *db;
  GStrv problems;

  g_return_val_if_fail (path != NULL, NULL);

  db = open_read_only (path, TRUE, error);
  if (db == NULL)
    return NULL;
  problems = check_db (db, full, error);
  sqlite3_close_v2 (db);
  return problems;
}

static gpointer
background_check_func (sqlite3       *db,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  AssayStoreHealth *health = data;
  g_auto(GStrv) problems = check_db (db, FALSE, error);

  if (problems == NULL)
    return NULL;
  if (problems[0] != NULL)
    damaged_on_worker (health, db, problems[0]);
  return GINT_TO_POINTER (TRUE);
}

typedef struct {
  AssayStoreHealth *health;
  char             *problem;
} Damage;

static void
damage_free (Damage *damage)
{
  _assay_store_health_unref (damage->health);
  g_free (damage->problem);
  g_free (damage);
}

/* the check found damage: on the worker, the store stops writing and says so */
static gpointer
report_damage_func (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Damage *damage = data;

  damaged_on_worker (damage->health, db, damage->problem);
  return GINT_TO_POINTER (TRUE);
}

/* The check reads the whole file (seconds on a large centre): on a connection of its own in a
 * thread of its own, so that the store's worker serves the window's first queries meanwhile. */
static void
check_thread_func (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  sqlite3 *db = open_read_only (path, FALSE, &error);

  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sqlite3_busy_timeout (db, 5000);
  problems = check_db (db, FALSE, &error);
  sqlite3_close_v2 (db);
  if (problems == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&problems), (GDestroyNotify) g_strfreev);
}

static void
check_thread_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  AssayStore *store = ASSAY_STORE (source);
  AssayStoreHealth *health = _assay_store_get_health (store);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = g_task_propagate_pointer (G_TASK (result), &error);

  if (problems == NULL)
    {
      /* no second connection to be had (a read-only folder): the worker checks */
      _assay_store_run_async (store, background_check_func, health_ref (health),
                              (GDestroyNotify) _assay_store_health_unref, NULL,
                              _assay_store_health_start_check, NULL, NULL, NULL);
      return;
    }
  if (problems[0] != NULL)
    {
      Damage *damage = g_new0 (Damage, 1);

      damage->health = health_ref (health);
      damage->problem = g_strdup (problems[0]);
      _assay_store_run_async (store, report_damage_func, damage, (GDestroyNotify) damage_free,
                              NULL, _assay_store_health_start_check, NULL, NULL, NULL);
    }
}

void
_assay_store_health_start_check (AssayStore *store)
{
  AssayStoreHealth *health = _assay_store_get_health (store);
  g_autoptr(GTask) task = NULL;

  if (health->check_started)
    return;
  health->check_started = TRUE;
  if (health->read_only)
    {
      _assay_store_run_async (store, background_check_func, health_ref (health),
                              (GDestroyNotify) _assay_store_health_unref, NULL,
                              _assay_store_health_start_check, NULL, NULL, NULL);
      return;
    }
  task = g_task_new (store, NULL, check_thread_done_cb, NULL);
  g_task_set_source_tag (task, _assay_store_health_start_check);
  g_task_set_task_data (task, g_strdup (assay_store_get_path (store)), g_free);
  g_task_run_in_thread (task, check_thread_func);
}

/* ---- salvage ---- */

void
assay_store_salvage_free (AssayStoreSalvage *salvage)
{
  if (salvage == NULL)
    return;
  g_free (salvage->path);
  g_free (salvage);
}

char *
assay_store_salvage_default_path (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  /* next to it, or where Assay keeps its own database when it may not write there */
  if (!writable (folder, NULL))
    {
      g_free (folder);
      folder = g_build_filename (g_get_user_data_dir (), "assay", NULL);
      g_mkdir_with_parents (folder, 0700);
    }

  for (guint n = 1;; n++)
    {
      g_autofree char *name = n == 1
        ? g_strdup_printf ("assay-salvaged-%s.db", stamp)
        : g_strdup_printf ("assay-salvaged-%s-%u.db", stamp, n);
      char *candidate = g_build_filename (folder, name, NULL);

      if (!g_file_test (candidate, G_FILE_TEST_EXISTS))
        return candidate;
      g_free (candidate);
    }
}

static char *
quote_ident (const char *name)
{
  g_autoptr(GString) s = g_string_new ("\"");

  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The columns of @table in @dst that take values (not generated), also present in @src. */
static GPtrArray *
common_columns (sqlite3    *src,
                sqlite3    *dst,
                const char *table)
{
  g_autofree char *quoted = quote_ident (table);
  g_autofree char *info_sql = g_strdup_printf ("PRAGMA table_xinfo(%s)", quoted);
  g_autofree char *src_sql = g_strdup_printf ("SELECT * FROM %s LIMIT 0", quoted);
  g_autoptr(sqlite3_stmt) info = NULL;
  g_autoptr(sqlite3_stmt) probe_stmt = NULL;
  g_autoptr(GHashTable) in_src = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (src, src_sql, -1, &probe_stmt, NULL) != SQLITE_OK)
    return columns;
  for (int i = 0; i < sqlite3_column_count (probe_stmt); i++)
    g_hash_table_add (in_src, g_strdup (sqlite3_column_name (probe_stmt, i)));

  if (sqlite3_prepare_v2 (dst, info_sql, -1, &info, NULL) != SQLITE_OK)
    return columns;
  while (sqlite3_step (info) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (info, 1);
      int hidden = sqlite3_column_int (info, 6);

      if (hidden == 0 && name != NULL && g_hash_table_contains (in_src, name))
        g_ptr_array_add (columns, g_strdup (name));
    }
  return columns;
}

/* Runs @read from rowid >= @start (a ">=" seek lands right of a damaged leaf whose last rowid is
 * @start - 1, where "> @start - 1" would descend into it); whether that gives a row or the end without an error. */
static gboolean
readable_from (sqlite3_stmt *read,
               gint64        start)
{
  int rc;

  sqlite3_reset (read);
  sqlite3_bind_int64 (read, 1, start);
  rc = sqlite3_step (read);
  sqlite3_reset (read);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/*
 * Reading after @last failed: finds the first rowid from which reading works again, jumping
 * 1, 2, 4... ahead, then narrowing the last jump down. Returns FALSE if nothing past @last can
 * be read.
 */
static gboolean
skip_damage (sqlite3_stmt *read,
             gint64        last,
             gint64       *resume)
{
  gint64 bad = last;
  gint64 good = 0;
  gboolean found = FALSE;

  for (int k = 0; k < 63; k++)
    {
      gint64 step = (gint64) 1 << k;
      gint64 at;

      if (step > G_MAXINT64 - last)
        break;
      at = last + step;

      if (readable_from (read, at))
        {
          good = at;
          found = TRUE;
          break;
        }
      bad = at;
    }
  if (!found)
    return FALSE;

  while (good - bad > 1)
    {
      gint64 mid = bad + (good - bad) / 2;

      if (readable_from (read, mid))
        good = mid;
      else
        bad = mid;
    }
  *resume = good;
  return TRUE;
}

static gboolean
copy_table (sqlite3            *src,
            sqlite3            *dst,
            const char         *table,
            AssayStoreSalvage  *salvage,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(GPtrArray) columns = common_columns (src, dst, table);
  g_autoptr(GString) names = g_string_new ("rowid");
  g_autoptr(GString) marks = g_string_new ("?");
  g_autofree char *quoted = quote_ident (table);
  g_autofree char *read_sql = NULL;
  g_autofree char *write_sql = NULL;
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  gint64 last = G_MININT64;
  guint64 copied = 0;
  gboolean had_damage = FALSE;
  gboolean cleared = FALSE;
  int rc;

  for (guint i = 0; i < columns->len; i++)
    {
      g_autofree char *column = quote_ident (g_ptr_array_index (columns, i));

      g_string_append_printf (names, ", %s", column);
      g_string_append (marks, ", ?");
    }
  /* by rowid through the table itself, never an index that may be damaged too */
  read_sql = g_strdup_printf ("SELECT %s FROM %s NOT INDEXED WHERE rowid >= ? ORDER BY rowid",
                              names->str, quoted);
  write_sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)", quoted, names->str, marks->str);

  if (sqlite3_prepare_v2 (src, read_sql, -1, &read, NULL) != SQLITE_OK)
    {
      g_debug ("Salvage: %s cannot be read: %s", table, sqlite3_errmsg (src));
      salvage->tables_lost++;
      return TRUE;
    }
  if (sqlite3_prepare_v2 (dst, write_sql, -1, &write, NULL) != SQLITE_OK)
    return _assay_store_set_error (dst, SQLITE_OK, error);

  sqlite3_bind_int64 (read, 1, last);
  for (;;)
    {
      gint64 resume;

      rc = sqlite3_step (read);
      if (rc == SQLITE_ROW)
        {
          gint64 rowid = sqlite3_column_int64 (read, 0);

          /* the new database holds only what its migrations put there (default configuration,
           * such as the dispute steps): the damaged database's own rows replace it, once the
           * first of them has been read */
          if (!cleared)
            {
              g_autofree char *clear = g_strdup_printf ("DELETE FROM %s", quoted);

              if (!_assay_store_exec (dst, clear, error))
                return FALSE;
              cleared = TRUE;
            }
          for (int i = 0; i <= (int) columns->len; i++)
            sqlite3_bind_value (write, i + 1, sqlite3_column_value (read, i));
          if (sqlite3_step (write) == SQLITE_DONE)
            {
              salvage->rows_copied++;
              copied++;
            }
          else
            {
              g_debug ("Salvage: row %" G_GINT64_FORMAT " of %s not stored: %s", rowid, table,
                       sqlite3_errmsg (dst));
              salvage->rows_lost++;
            }
          sqlite3_reset (write);
          last = rowid;
          if (copied % 4096 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          continue;
        }
      if (rc == SQLITE_DONE)
        break;

      /* a damaged stretch: step over it */
      g_debug ("Salvage: %s after row %" G_GINT64_FORMAT ": %s", table, last,
               sqlite3_errmsg (src));
      had_damage = TRUE;
      salvage->damaged_areas++;
      if (!skip_damage (read, MAX (last, 0), &resume))
        break;
      sqlite3_reset (read);
      sqlite3_bind_int64 (read, 1, resume);
      /* the rows that were there are counted when the next one is read */
      rc = sqlite3_step (read);
      if (rc == SQLITE_ROW)
        {
          gint64 next = sqlite3_column_int64 (read, 0);

          salvage->rows_lost += (guint64) (next - MAX (last, 0) - 1);
        }
      sqlite3_reset (read);
      sqlite3_bind_int64 (read, 1, resume);
    }
  if (had_damage && copied == 0)
    salvage->tables_lost++;
  return TRUE;
}

static void
remove_database_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* The KPI summaries (assay-store-kpi-private.h) are not copied: their triggers fill them in the
 * new database as the facts are copied, so they agree with what could be saved, and the
 * migration that made the new database wrote their state. */
static gboolean
is_derived_table (const char *name)
{
  static const char *const summaries[] = { KPI_SUMMARY_TABLES, NULL };

  return g_strv_contains (summaries, name);
}

typedef struct
{
  sqlite3           *src;
  GPtrArray         *names;
  AssayStoreSalvage *salvage;
  GCancellable      *cancellable;
} CopyTables;

/* every table but the derived ones, from src into the database it runs on */
static gboolean
copy_tables_locked (sqlite3  *dst,
                    gpointer  data,
                    GError  **error)
{
  CopyTables *copy = data;

  for (guint i = 0; i < copy->names->len; i++)
    if (!is_derived_table (g_ptr_array_index (copy->names, i))
        && !copy_table (copy->src, dst, g_ptr_array_index (copy->names, i), copy->salvage,
                        copy->cancellable, error))
      return FALSE;
  return TRUE;
}

static gboolean
fill (sqlite3            *src,
      sqlite3            *dst,
      int                 version,
      AssayStoreSalvage  *salvage,
      GCancellable       *cancellable,
      GError            **error)
{
  g_autoptr(sqlite3_stmt) tables = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  /* the same schema version as the source, so every column has its place */
  if (!_assay_store_migrate (dst, version, error)
      || !_assay_store_exec (dst, "PRAGMA foreign_keys = OFF", error))
    return FALSE;

  tables = _assay_store_prepare (dst, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                      " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rootpage",
                                 error);
  if (tables == NULL)
    return FALSE;
  while (sqlite3_step (tables) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (tables, 0)));

  {
    CopyTables copy = { src, names, salvage, cancellable };

    if (!_assay_store_in_transaction_ok (dst, copy_tables_locked, &copy, error))
      return FALSE;
  }

  /* then up to this Assay's schema, as any older database would be */
  return _assay_store_migrate (dst, _assay_store_schema_version (), error);
}

AssayStoreSalvage *
assay_store_salvage (const char    *path,
                     const char    *dest,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(AssayStoreSalvage) salvage = g_new0 (AssayStoreSalvage, 1);
  g_autofree char *partial = NULL;
  sqlite3 *src;
  sqlite3 *dst;
  int version;
  int fd;
  gboolean ok;

  g_return_val_if_fail (path != NULL && dest != NULL, NULL);

  if (g_file_test (dest, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   /* Translators: %s is a file path */
                   _("%s already exists, and Assay never overwrites a file: choose a new name "
                     "for the salvaged database."),
                   dest);
      return NULL;
    }

  src = open_read_only (path, TRUE, error);
  if (src == NULL)
    return NULL;
  version = user_version (src);
  if (version > _assay_store_schema_version ())
    {
      _assay_store_migrate (src, _assay_store_schema_version (), error);
      sqlite3_close_v2 (src);
      return NULL;
    }
  if (version < 1)
    version = _assay_store_schema_version ();

  /* a new file of our own next to the target; it takes the target's name only when complete */
  partial = g_strconcat (dest, ".XXXXXX", NULL);
  fd = g_mkstemp_full (partial, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *folder = g_path_get_dirname (dest);

      g_set_error (error, ASSAY_STORE_ERROR,
                   saved == EACCES || saved == EROFS || saved == EPERM
                     ? ASSAY_STORE_ERROR_READ_ONLY : ASSAY_STORE_ERROR_OPEN,
                   /* Translators: %s is a folder, then the system's words */
                   _("Cannot write the salvaged database in %s: %s. Choose another folder."),
                   folder, g_strerror (saved));
      sqlite3_close_v2 (src);
      return NULL;
    }
  {
    GStatBuf st;

    /* the permissions of the original, and writable by its owner */
    if (g_stat (path, &st) == 0)
      fchmod (fd, (st.st_mode & 0666) | 0600);
  }
  close (fd);

  dst = _assay_store_connect (partial, error);
  ok = dst != NULL && fill (src, dst, version, salvage, cancellable, error);
  sqlite3_close_v2 (src);
  if (dst != NULL)
    sqlite3_close_v2 (dst);   /* the last connection folds the -wal into the file */

  /* link() never replaces an existing file, unlike rename() */
  if (ok && link (partial, dest) != 0)
    {
      int saved = errno;

      g_set_error (error, ASSAY_STORE_ERROR,
                   saved == EEXIST ? ASSAY_STORE_ERROR_INVALID : ASSAY_STORE_ERROR_OPEN,
                   _("Cannot write the salvaged database %s: %s"), dest, g_strerror (saved));
      ok = FALSE;
    }
  remove_database_files (partial);
  if (!ok)
    return NULL;

  salvage->path = g_strdup (dest);
  return g_steal_pointer (&salvage);
}

typedef struct {
  char *path;
  char *dest;
} SalvageArgs;

static void
salvage_args_free (SalvageArgs *args)
{
  g_free (args->path);
  g_free (args->dest);
  g_free (args);
}

static void
salvage_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SalvageArgs *args = task_data;
  GError *error = NULL;
  AssayStoreSalvage *salvage = assay_store_salvage (args->path, args->dest, cancellable, &error);

  if (salvage == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, salvage, (GDestroyNotify) assay_store_salvage_free);
}

void
assay_store_salvage_async (const char          *path,
                           const char          *dest,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SalvageArgs *args = g_new0 (SalvageArgs, 1);

  args->path = g_strdup (path);
  args->dest = g_strdup (dest);
  g_task_set_source_tag (task, assay_store_salvage_async);
  g_task_set_task_data (task, args, (GDestroyNotify) salvage_args_free);
  g_task_run_in_thread (task, salvage_thread);
}

AssayStoreSalvage *
assay_store_salvage_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- public state ---- */

gboolean
assay_store_get_read_only (AssayStore *self)
{
  AssayStoreHealth *health;
  gboolean read_only;

  g_return_val_if_fail (ASSAY_IS_STORE (self), FALSE);
  health = _assay_store_get_health (self);
  g_mutex_lock (&health->mutex);
  read_only = health->read_only;
  g_mutex_unlock (&health->mutex);
  return read_only;
}

gboolean
assay_store_get_damaged (AssayStore *self)
{
  AssayStoreHealth *health;
  gboolean damaged;

  g_return_val_if_fail (ASSAY_IS_STORE (self), FALSE);
  health = _assay_store_get_health (self);
  g_mutex_lock (&health->mutex);
  damaged = health->damaged;
  g_mutex_unlock (&health->mutex);
  return damaged;
}

char *
assay_store_dup_damage (AssayStore *self)
{
  AssayStoreHealth *health;
  char *damage;

  g_return_val_if_fail (ASSAY_IS_STORE (self), NULL);
  health = _assay_store_get_health (self);
  g_mutex_lock (&health->mutex);
  damage = g_strdup (health->damage);
  g_mutex_unlock (&health->mutex);
  return damage;
}
