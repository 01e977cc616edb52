/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "assay-store-forms.h"
#include "assay-store-private.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"

/*
 * Definitions are stored as assay_form_to_json() writes them, so that the same content is always
 * the same text: publishing a version twice can then be told apart from changing it.
 */

void
assay_form_record_free (AssayFormRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->code);
  g_free (r->name);
  g_free (r->description);
  g_free (r->version_id);
  g_free (r);
}

void
assay_form_version_record_free (AssayFormVersionRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->form_id);
  g_free (r->code);
  g_free (r->definition);
  g_free (r);
}

typedef struct {
  char *form_id;
  char *definition;
  char *filename;
  int   version;
} Args;

static void
args_free (Args *a)
{
  g_free (a->form_id);
  g_free (a->definition);
  g_free (a->filename);
  g_free (a);
}

static Args *
args_new (const char *form_id,
          const char *definition,
          const char *filename,
          int         version)
{
  Args *a = g_new0 (Args, 1);

  a->form_id = g_strdup (form_id);
  a->definition = g_strdup (definition);
  a->filename = g_strdup (filename);
  a->version = version;
  return a;
}

/* ---- reading ---- */

#define VERSION_SQL \
  "SELECT v.id, v.form_id, f.code, v.version, v.definition, v.published_at," \
  " (SELECT count(*) FROM evaluation e WHERE e.form_version_id = v.id)" \
  " FROM form_version v JOIN form f ON f.id = v.form_id"

static AssayFormVersionRecord *
read_version (sqlite3_stmt *stmt)
{
  AssayFormVersionRecord *r = g_new0 (AssayFormVersionRecord, 1);

  r->id = _assay_store_column_dup (stmt, 0);
  r->form_id = _assay_store_column_dup (stmt, 1);
  r->code = _assay_store_column_dup (stmt, 2);
  r->version = sqlite3_column_int (stmt, 3);
  r->definition = _assay_store_column_dup (stmt, 4);
  r->published_at = sqlite3_column_int64 (stmt, 5);
  r->n_evaluations = (guint) sqlite3_column_int64 (stmt, 6);
  return r;
}

static AssayFormVersionRecord *
get_version_by_id (sqlite3     *db,
                   const char  *version_id,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, VERSION_SQL " WHERE v.id = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, version_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_version (stmt);
  if (rc != SQLITE_DONE)
    _assay_store_set_error (db, rc, error);
  else
    g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                 _("The scorecard version %s does not exist"), version_id);
  return NULL;
}

static gpointer
list_forms_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_form_record_free);
  int rc;

  stmt = _assay_store_prepare (db,
    "SELECT f.id, f.code, f.name, f.description, f.created_at, n.id, n.version,"
    " n.published_at IS NULL AND n.id IS NOT NULL, p.version, p.published_at,"
    " (SELECT count(*) FROM evaluation e JOIN form_version v ON v.id = e.form_version_id"
    "  WHERE v.form_id = f.id)"
    " FROM form f"
    " LEFT JOIN form_version n ON n.id = (SELECT id FROM form_version WHERE form_id = f.id"
    "   ORDER BY version DESC LIMIT 1)"
    " LEFT JOIN form_version p ON p.id = (SELECT id FROM form_version WHERE form_id = f.id"
    "   AND published_at IS NOT NULL ORDER BY version DESC LIMIT 1)"
    " ORDER BY f.name COLLATE NOCASE, f.created_at, f.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayFormRecord *r = g_new0 (AssayFormRecord, 1);

      r->id = _assay_store_column_dup (stmt, 0);
      r->code = _assay_store_column_dup (stmt, 1);
      r->name = _assay_store_column_dup (stmt, 2);
      r->description = _assay_store_column_dup (stmt, 3);
      r->created_at = sqlite3_column_int64 (stmt, 4);
      r->version_id = _assay_store_column_dup (stmt, 5);
      r->version = sqlite3_column_int (stmt, 6);
      r->has_draft = sqlite3_column_int (stmt, 7);
      r->published_version = sqlite3_column_int (stmt, 8);
      r->published_at = sqlite3_column_int64 (stmt, 9);
      r->n_evaluations = (guint) sqlite3_column_int64 (stmt, 10);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
assay_store_list_forms_async (AssayStore          *store,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  _assay_store_run_async (store, list_forms_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_forms_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_forms_finish (AssayStore    *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

GPtrArray *
assay_store_list_forms_sync (AssayStore  *store,
                             GError     **error)
{
  return _assay_store_run_sync (store, list_forms_func, NULL, error);
}

static gpointer
list_versions_func (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) assay_form_version_record_free);
  int rc;

  stmt = _assay_store_prepare (db, VERSION_SQL " WHERE v.form_id = ? ORDER BY v.version DESC",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->form_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, read_version (stmt));
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

void
assay_store_list_form_versions_async (AssayStore          *store,
                                      const char          *form_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  _assay_store_run_async (store, list_versions_func, args_new (form_id, NULL, NULL, 0),
                          (GDestroyNotify) args_free, (GDestroyNotify) g_ptr_array_unref,
                          assay_store_list_form_versions_async, cancellable, callback, user_data);
}

GPtrArray *
assay_store_list_form_versions_finish (AssayStore    *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

static gpointer
get_version_func (sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _assay_store_prepare (db, VERSION_SQL " WHERE v.form_id = ?1 AND (?2 = 0 OR v.version = ?2)"
                                   " ORDER BY v.version DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->form_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, a->version);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_version (stmt);
  if (rc != SQLITE_DONE)
    _assay_store_set_error (db, rc, error);
  else if (a->version > 0)
    g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                 _("The scorecard has no version %d"), a->version);
  else
    g_set_error_literal (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                         _("The scorecard does not exist, or has no version"));
  return NULL;
}

void
assay_store_get_form_version_async (AssayStore          *store,
                                    const char          *form_id,
                                    int                  version,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  _assay_store_run_async (store, get_version_func, args_new (form_id, NULL, NULL, version),
                          (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_form_version_record_free,
                          assay_store_get_form_version_async, cancellable, callback, user_data);
}

AssayFormVersionRecord *
assay_store_get_form_version_finish (AssayStore    *store,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayFormVersionRecord *
assay_store_get_form_version_sync (AssayStore  *store,
                                   const char  *form_id,
                                   int          version,
                                   GError     **error)
{
  Args *a = args_new (form_id, NULL, NULL, version);
  AssayFormVersionRecord *r = _assay_store_run_sync (store, get_version_func, a, error);

  args_free (a);
  return r;
}

/* ---- writing helpers ---- */

/* The form's code, or NULL with @error set. */
static char *
form_code (sqlite3     *db,
           const char  *form_id,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, "SELECT code FROM form WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, form_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup (sqlite3_column_type (stmt, 0) == SQLITE_NULL ? "" : _assay_store_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    _assay_store_set_error (db, rc, error);
  else
    g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND,
                 _("The scorecard %s does not exist"), form_id);
  return NULL;
}

/* The id of the form with @code, or NULL (also on error: check @error). */
static char *
form_by_code (sqlite3     *db,
              const char  *code,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, "SELECT id FROM form WHERE code = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _assay_store_column_dup (stmt, 0);
  if (rc != SQLITE_DONE)
    _assay_store_set_error (db, rc, error);
  return NULL;
}

/* The newest version number of the form (0 if none) and its draft, if it has one. */
static gboolean
form_versions (sqlite3     *db,
               const char  *form_id,
               int         *out_newest,
               char       **out_draft_id,
               int         *out_draft_version,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "SELECT coalesce(max(version), 0),"
                                   " (SELECT id FROM form_version WHERE form_id = ?1 AND published_at IS NULL),"
                                   " (SELECT version FROM form_version WHERE form_id = ?1 AND published_at IS NULL)"
                                   " FROM form_version WHERE form_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, form_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _assay_store_set_error (db, SQLITE_ERROR, error);
  *out_newest = sqlite3_column_int (stmt, 0);
  *out_draft_id = _assay_store_column_dup (stmt, 1);
  *out_draft_version = sqlite3_column_int (stmt, 2);
  return TRUE;
}

static char *
insert_form (sqlite3          *db,
             const AssayForm  *form,
             const char       *code,
             GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = assay_uuid_new ();

  stmt = _assay_store_prepare (db, "INSERT INTO form (id, name, description, created_at, code, dirty)"
                                   " VALUES (?, ?, ?, ?, ?, 1)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, form->name ? form->name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, form->description ? form->description : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, assay_now_ms ());
  sqlite3_bind_text (stmt, 5, code, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  _assay_store_note_change (db, ASSAY_STORE_FORMS, id);
  return g_steal_pointer (&id);
}

static gboolean
update_form_names (sqlite3          *db,
                   const char       *form_id,
                   const AssayForm  *form,
                   GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "UPDATE form SET name = ?, description = ?, dirty = 1 WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, form->name ? form->name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, form->description ? form->description : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, form_id, -1, SQLITE_TRANSIENT);
  _assay_store_note_change (db, ASSAY_STORE_FORMS, form_id);
  return _assay_store_step_done (db, stmt, error);
}

/* Inserts a version; @published_at 0 makes it the draft. Returns its id. */
static char *
insert_version (sqlite3     *db,
                const char  *form_id,
                guint        version,
                const char  *definition,
                gint64       published_at,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = assay_uuid_new ();

  stmt = _assay_store_prepare (db, "INSERT INTO form_version (id, form_id, version, definition,"
                                   " published_at, author_id, dirty)"
                                   " VALUES (?, ?, ?, ?, ?, (SELECT id FROM staff WHERE is_me = 1), 1)",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, form_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, version);
  sqlite3_bind_text (stmt, 4, definition, -1, SQLITE_TRANSIENT);
  _assay_store_bind_int_or_null (stmt, 5, published_at, published_at == 0);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  _assay_store_note_change (db, ASSAY_STORE_FORMS, form_id);
  return g_steal_pointer (&id);
}

/* A published version goes to the central service with the next sync. */
static gboolean
queue_published (sqlite3     *db,
                 const char  *version_id,
                 const char  *definition,
                 GError     **error)
{
  AssayStoreOutboxOp op = { .collection = "form_versions", .object_id = version_id,
                            .action = "create", .data = definition, .base_rev = -1 };

  return _assay_store_enqueue (db, &op, error);
}

/* @form with version @version and published if asked, as the text the store keeps. */
static char *
definition_for (const AssayForm *form,
                guint            version,
                gboolean         publish)
{
  g_autoptr(AssayForm) copy = assay_form_copy (form);

  copy->version = version;
  if (publish)
    assay_form_publish (copy, NULL);
  return assay_form_to_json (copy);
}

static gboolean
check_code (const AssayForm  *form,
            const char       *code,
            GError          **error)
{
  if (g_strcmp0 (form->id, code) != 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The definition is for scorecard “%s”, not “%s”"), form->id ? form->id : "",
                   code);
      return FALSE;
    }
  return TRUE;
}

/* ---- create ---- */

static gpointer
create_locked (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  Args *a = data;
  g_autoptr(AssayForm) form = NULL;
  g_autofree char *code = NULL;
  g_autofree char *form_id = NULL;
  g_autofree char *version_id = NULL;
  g_autofree char *definition = NULL;

  form = assay_form_draft_from_json (a->definition, -1, error);
  if (form == NULL)
    return NULL;

  /* a free code: the draft's id, or the same with -2, -3, ... */
  for (guint n = 1; code == NULL; n++)
    {
      g_autofree char *candidate = NULL;
      g_autofree char *taken = NULL;
      const char *base = form->id != NULL && *form->id != '\0' ? form->id : "scorecard";

      candidate = n == 1 ? g_strdup (base) : g_strdup_printf ("%.56s-%u", base, n);
      taken = form_by_code (db, candidate, error);
      if (taken == NULL && error != NULL && *error != NULL)
        return NULL;
      if (taken == NULL)
        code = g_steal_pointer (&candidate);
    }
  assay_set_str (&form->id, code);

  definition = definition_for (form, 1, FALSE);
  form_id = insert_form (db, form, code, error);
  if (form_id == NULL)
    return NULL;
  version_id = insert_version (db, form_id, 1, definition, 0, error);
  if (version_id == NULL)
    return NULL;
  return get_version_by_id (db, version_id, error);
}

static gpointer
create_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _assay_store_in_transaction (db, create_locked, data,
                                      (GDestroyNotify) assay_form_version_record_free, error);
}

void
assay_store_create_form_async (AssayStore          *store,
                               const char          *definition,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _assay_store_run_async (store, create_func, args_new (NULL, definition, NULL, 0),
                          (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_form_version_record_free,
                          assay_store_create_form_async, cancellable, callback, user_data);
}

AssayFormVersionRecord *
assay_store_create_form_finish (AssayStore    *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayFormVersionRecord *
assay_store_create_form_sync (AssayStore  *store,
                              const char  *definition,
                              GError     **error)
{
  Args *a = args_new (NULL, definition, NULL, 0);
  AssayFormVersionRecord *r = _assay_store_run_sync (store, create_func, a, error);

  args_free (a);
  return r;
}

/* ---- save a draft ---- */

static gpointer
save_draft_locked (sqlite3  *db,
                   gpointer  data,
                   GError  **error)
{
  Args *a = data;
  g_autoptr(AssayForm) form = NULL;
  g_autofree char *code = NULL;
  g_autofree char *draft_id = NULL;
  g_autofree char *definition = NULL;
  int newest = 0, draft_version = 0, expected;

  code = form_code (db, a->form_id, error);
  if (code == NULL)
    return NULL;
  form = assay_form_draft_from_json (a->definition, -1, error);
  if (form == NULL || !check_code (form, code, error))
    return NULL;
  if (!form_versions (db, a->form_id, &newest, &draft_id, &draft_version, error))
    return NULL;

  expected = draft_id != NULL ? draft_version : newest + 1;
  if ((int) form->version != expected)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The draft of “%s” is version %d, not version %u: edit the newest version"),
                   code, expected, form->version);
      return NULL;
    }

  definition = definition_for (form, form->version, FALSE);
  if (draft_id != NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      stmt = _assay_store_prepare (db, "UPDATE form_version SET definition = ?, dirty = 1"
                                       " WHERE id = ? AND published_at IS NULL", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, definition, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, draft_id, -1, SQLITE_TRANSIENT);
      if (!_assay_store_step_done (db, stmt, error))
        return NULL;
      _assay_store_note_change (db, ASSAY_STORE_FORMS, a->form_id);
    }
  else
    {
      draft_id = insert_version (db, a->form_id, form->version, definition, 0, error);
      if (draft_id == NULL)
        return NULL;
    }
  return get_version_by_id (db, draft_id, error);
}

static gpointer
save_draft_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return _assay_store_in_transaction (db, save_draft_locked, data,
                                      (GDestroyNotify) assay_form_version_record_free, error);
}

void
assay_store_save_form_draft_async (AssayStore          *store,
                                   const char          *form_id,
                                   const char          *definition,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  _assay_store_run_async (store, save_draft_func, args_new (form_id, definition, NULL, 0),
                          (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_form_version_record_free,
                          assay_store_save_form_draft_async, cancellable, callback, user_data);
}

AssayFormVersionRecord *
assay_store_save_form_draft_finish (AssayStore    *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayFormVersionRecord *
assay_store_save_form_draft_sync (AssayStore  *store,
                                  const char  *form_id,
                                  const char  *definition,
                                  GError     **error)
{
  Args *a = args_new (form_id, definition, NULL, 0);
  AssayFormVersionRecord *r = _assay_store_run_sync (store, save_draft_func, a, error);

  args_free (a);
  return r;
}

/* ---- publish the draft ---- */

static gpointer
publish_draft_locked (sqlite3  *db,
                      gpointer  data,
                      GError  **error)
{
  Args *a = data;
  g_autoptr(AssayForm) form = NULL;
  g_autofree char *code = NULL;
  g_autofree char *draft_id = NULL;
  g_autofree char *definition = NULL;
  int newest = 0, draft_version = 0, expected;
  gint64 now = assay_now_ms ();

  code = form_code (db, a->form_id, error);
  if (code == NULL)
    return NULL;
  /* every rule, with the path of the field at fault */
  form = assay_form_from_json (a->definition, -1, error);
  if (form == NULL || !check_code (form, code, error))
    return NULL;
  if (!form_versions (db, a->form_id, &newest, &draft_id, &draft_version, error))
    return NULL;

  expected = draft_id != NULL ? draft_version : newest + 1;
  if ((int) form->version != expected)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The next version of “%s” is %d, not %u: versions are published in order"),
                   code, expected, form->version);
      return NULL;
    }

  definition = definition_for (form, form->version, TRUE);
  if (draft_id != NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      stmt = _assay_store_prepare (db, "UPDATE form_version SET definition = ?, published_at = ?,"
                                       " author_id = coalesce((SELECT id FROM staff WHERE is_me = 1), author_id),"
                                       " dirty = 1 WHERE id = ? AND published_at IS NULL", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, definition, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_text (stmt, 3, draft_id, -1, SQLITE_TRANSIENT);
      if (!_assay_store_step_done (db, stmt, error))
        return NULL;
      _assay_store_note_change (db, ASSAY_STORE_FORMS, a->form_id);
    }
  else
    {
      draft_id = insert_version (db, a->form_id, form->version, definition, now, error);
      if (draft_id == NULL)
        return NULL;
    }
  if (!update_form_names (db, a->form_id, form, error)
      || !queue_published (db, draft_id, definition, error))
    return NULL;
  return get_version_by_id (db, draft_id, error);
}

static gpointer
publish_draft_func (sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return _assay_store_in_transaction (db, publish_draft_locked, data,
                                      (GDestroyNotify) assay_form_version_record_free, error);
}

void
assay_store_publish_form_draft_async (AssayStore          *store,
                                      const char          *form_id,
                                      const char          *definition,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  _assay_store_run_async (store, publish_draft_func, args_new (form_id, definition, NULL, 0),
                          (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_form_version_record_free,
                          assay_store_publish_form_draft_async, cancellable, callback, user_data);
}

AssayFormVersionRecord *
assay_store_publish_form_draft_finish (AssayStore    *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayFormVersionRecord *
assay_store_publish_form_draft_sync (AssayStore  *store,
                                     const char  *form_id,
                                     const char  *definition,
                                     GError     **error)
{
  Args *a = args_new (form_id, definition, NULL, 0);
  AssayFormVersionRecord *r = _assay_store_run_sync (store, publish_draft_func, a, error);

  args_free (a);
  return r;
}

/* ---- discard the draft ---- */

static gpointer
discard_locked (sqlite3  *db,
                gpointer  data,
                GError  **error)
{
  Args *a = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _assay_store_prepare (db, "DELETE FROM form_version WHERE form_id = ? AND published_at IS NULL",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->form_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* a form that was never published is nothing but its draft */
  stmt = _assay_store_prepare (db, "DELETE FROM form WHERE id = ?1"
                                   " AND NOT EXISTS (SELECT 1 FROM form_version WHERE form_id = ?1)",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, a->form_id, -1, SQLITE_TRANSIENT);
  if (!_assay_store_step_done (db, stmt, error))
    return NULL;
  _assay_store_note_change (db, ASSAY_STORE_FORMS, a->form_id);
  return GINT_TO_POINTER (TRUE);
}

static gpointer
discard_func (sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return _assay_store_in_transaction (db, discard_locked, data, NULL, error);
}

void
assay_store_discard_form_draft_async (AssayStore          *store,
                                      const char          *form_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  _assay_store_run_async (store, discard_func, args_new (form_id, NULL, NULL, 0),
                          (GDestroyNotify) args_free, NULL,
                          assay_store_discard_form_draft_async, cancellable, callback, user_data);
}

gboolean
assay_store_discard_form_draft_finish (AssayStore    *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _assay_store_run_finish (store, result, error) != NULL;
}

gboolean
assay_store_discard_form_draft_sync (AssayStore  *store,
                                     const char  *form_id,
                                     GError     **error)
{
  Args *a = args_new (form_id, NULL, NULL, 0);
  gboolean ok = _assay_store_run_sync (store, discard_func, a, error) != NULL;

  args_free (a);
  return ok;
}

/* ---- import ---- */

static gpointer
import_locked (sqlite3  *db,
               gpointer  data,
               GError  **error)
{
  Args *a = data;
  g_autoptr(AssayForm) form = NULL;
  g_autofree char *form_id = NULL;
  g_autofree char *draft_id = NULL;
  g_autofree char *version_id = NULL;
  g_autofree char *definition = NULL;
  int newest = 0, draft_version = 0;
  gboolean publish;

  form = assay_form_from_json (a->definition, -1, error);
  if (form == NULL)
    {
      if (a->filename != NULL)
        g_prefix_error (error, "%s: ", a->filename);
      return NULL;
    }
  publish = assay_form_is_published (form);

  form_id = form_by_code (db, form->id, error);
  if (form_id == NULL && *error != NULL)
    return NULL;
  if (form_id == NULL)
    {
      form_id = insert_form (db, form, form->id, error);
      if (form_id == NULL)
        return NULL;
    }
  if (!form_versions (db, form_id, &newest, &draft_id, &draft_version, error))
    return NULL;
  if (draft_id != NULL)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   _("The scorecard “%s” has an unpublished draft (version %d): publish or "
                     "discard the draft, then import the file again"), form->name, draft_version);
      return NULL;
    }

  definition = definition_for (form, newest + 1, publish);
  version_id = insert_version (db, form_id, newest + 1, definition,
                               publish ? assay_now_ms () : 0, error);
  if (version_id == NULL)
    return NULL;
  if (publish && (!update_form_names (db, form_id, form, error)
                  || !queue_published (db, version_id, definition, error)))
    return NULL;
  return get_version_by_id (db, version_id, error);
}

static gpointer
import_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _assay_store_in_transaction (db, import_locked, data,
                                      (GDestroyNotify) assay_form_version_record_free, error);
}

void
assay_store_import_form_async (AssayStore          *store,
                               const char          *data,
                               const char          *filename,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _assay_store_run_async (store, import_func, args_new (NULL, data, filename, 0),
                          (GDestroyNotify) args_free,
                          (GDestroyNotify) assay_form_version_record_free,
                          assay_store_import_form_async, cancellable, callback, user_data);
}

AssayFormVersionRecord *
assay_store_import_form_finish (AssayStore    *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}

AssayFormVersionRecord *
assay_store_import_form_sync (AssayStore  *store,
                              const char  *data,
                              const char  *filename,
                              GError     **error)
{
  Args *a = args_new (NULL, data, filename, 0);
  AssayFormVersionRecord *r = _assay_store_run_sync (store, import_func, a, error);

  args_free (a);
  return r;
}

/* ---- publish a file as it is (seed, sync) ---- */

static gpointer
publish_file_locked (sqlite3  *db,
                     gpointer  data,
                     GError  **error)
{
  Args *a = data;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *form_id = NULL;
  g_autofree char *version_id = NULL;
  g_autofree char *definition = NULL;
  gboolean created = FALSE;
  int rc;

  form = assay_form_from_json (a->definition, -1, error);
  if (form == NULL)
    return NULL;
  definition = definition_for (form, form->version, TRUE);

  form_id = form_by_code (db, form->id, error);
  if (form_id == NULL && *error != NULL)
    return NULL;
  if (form_id == NULL)
    {
      form_id = insert_form (db, form, form->id, error);
      if (form_id == NULL)
        return NULL;
      created = TRUE;
    }

  stmt = _assay_store_prepare (db, "SELECT id, definition, published_at IS NOT NULL FROM form_version"
                                   " WHERE form_id = ? AND version = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, form_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, form->version);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (!sqlite3_column_int (stmt, 2))
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                       _("Version %u of scorecard “%s” is an unpublished draft here: publish or "
                         "discard it first"), form->version, form->id);
          return NULL;
        }
      if (g_strcmp0 (_assay_store_column_text (stmt, 1), definition) != 0)
        {
          g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                       _("Version %u of scorecard “%s” is already published with other content; "
                         "a published version never changes, so give the new content a new "
                         "version number"), form->version, form->id);
          return NULL;
        }
      return _assay_store_column_dup (stmt, 0);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  version_id = insert_version (db, form_id, form->version, definition, assay_now_ms (), error);
  if (version_id == NULL)
    return NULL;

  /* the form is named after its newest published version */
  stmt = _assay_store_prepare (db, "SELECT max(version) FROM form_version WHERE form_id = ?"
                                   " AND published_at IS NOT NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, form_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _assay_store_set_error (db, SQLITE_ERROR, error);
      return NULL;
    }
  if (!created && sqlite3_column_int64 (stmt, 0) == form->version
      && !update_form_names (db, form_id, form, error))
    return NULL;
  return g_steal_pointer (&version_id);
}

static gpointer
publish_file_func (sqlite3       *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return _assay_store_in_transaction (db, publish_file_locked, data, g_free, error);
}

char *
assay_store_publish_form_sync (AssayStore  *store,
                               const char  *json,
                               GError     **error)
{
  Args *a;
  char *id;

  g_return_val_if_fail (ASSAY_IS_STORE (store), NULL);
  g_return_val_if_fail (json != NULL, NULL);

  a = args_new (NULL, json, NULL, 0);
  id = _assay_store_run_sync (store, publish_file_func, a, error);
  args_free (a);
  return id;
}
