/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/*
 * Scorecards (forms) and their versions. A form is a family of versions sharing the JSON "id"
 * (kept in form.code); form.id is the store's own UUID. Every version's definition is the JSON
 * of docs/forms.md. Versions are immutable once published (a trigger refuses changes); each form
 * has at most one unpublished draft, numbered after its newest version, which the editor
 * overwrites as the user types. Publishing turns the draft into that version.
 */

/**
 * AssayFormRecord:
 * A form in the list of scorecards, with its newest version.
 * @version: the newest version number, a draft's if there is one.
 * @version_id: that version's form_version.id.
 * @has_draft: whether the newest version is an unpublished draft.
 * @published_version: the newest published version number, 0 if none was published yet.
 * @published_at: when that version was published (unix ms), 0 if none.
 * @n_evaluations: evaluations made on any version of the form.
 */
typedef struct {
  char     *id;
  char     *code;
  char     *name;
  char     *description;
  int       version;
  char     *version_id;
  gboolean  has_draft;
  int       published_version;
  gint64    published_at;
  guint     n_evaluations;
  gint64    created_at;
} AssayFormRecord;

void assay_form_record_free (AssayFormRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayFormRecord, assay_form_record_free)

/**
 * AssayFormVersionRecord:
 * One version of a form. @published_at is 0 for the draft. @definition is the JSON.
 */
typedef struct {
  char   *id;
  char   *form_id;
  char   *code;
  int     version;
  char   *definition;
  gint64  published_at;
  guint   n_evaluations;
} AssayFormVersionRecord;

void assay_form_version_record_free (AssayFormVersionRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayFormVersionRecord, assay_form_version_record_free)

/**
 * assay_store_list_forms_async:
 * Every form with its newest version, by name. Items are #AssayFormRecord.
 */
void       assay_store_list_forms_async           (AssayStore          *store,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *assay_store_list_forms_finish          (AssayStore          *store,
                                                   GAsyncResult        *result,
                                                   GError             **error);
GPtrArray *assay_store_list_forms_sync            (AssayStore          *store,
                                                   GError             **error);

/**
 * assay_store_list_form_versions_async:
 * The versions of form @form_id, newest first, definitions included. Items are
 * #AssayFormVersionRecord.
 */
void       assay_store_list_form_versions_async   (AssayStore          *store,
                                                   const char          *form_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *assay_store_list_form_versions_finish  (AssayStore          *store,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/**
 * assay_store_get_form_version_async:
 * Version @version of form @form_id; @version 0 means the newest one (the draft if there is
 * one). This is also how a version is exported: its definition is the file.
 */
void                    assay_store_get_form_version_async  (AssayStore          *store,
                                                             const char          *form_id,
                                                             int                  version,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
AssayFormVersionRecord *assay_store_get_form_version_finish (AssayStore          *store,
                                                             GAsyncResult        *result,
                                                             GError             **error);
AssayFormVersionRecord *assay_store_get_form_version_sync   (AssayStore          *store,
                                                             const char          *form_id,
                                                             int                  version,
                                                             GError             **error);

/**
 * assay_store_create_form_async:
 * A new form whose version 1 is the draft @definition (JSON; it may break rules, but must have
 * the shape of a form file). When another form already has its "id", the new one gets a free
 * id ("id-2", ...), written into its definition. Returns the draft.
 */
void                    assay_store_create_form_async       (AssayStore          *store,
                                                             const char          *definition,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
AssayFormVersionRecord *assay_store_create_form_finish      (AssayStore          *store,
                                                             GAsyncResult        *result,
                                                             GError             **error);
AssayFormVersionRecord *assay_store_create_form_sync        (AssayStore          *store,
                                                             const char          *definition,
                                                             GError             **error);

/**
 * assay_store_save_form_draft_async:
 * Writes @definition as the draft of form @form_id: updates the draft, or makes one numbered
 * after the newest version. The definition's "id" and "version" must be the form's and the
 * draft's; it need not follow every rule yet. Returns the draft.
 */
void                    assay_store_save_form_draft_async   (AssayStore          *store,
                                                             const char          *form_id,
                                                             const char          *definition,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
AssayFormVersionRecord *assay_store_save_form_draft_finish  (AssayStore          *store,
                                                             GAsyncResult        *result,
                                                             GError             **error);
AssayFormVersionRecord *assay_store_save_form_draft_sync    (AssayStore          *store,
                                                             const char          *form_id,
                                                             const char          *definition,
                                                             GError             **error);

/**
 * assay_store_publish_form_draft_async:
 * Publishes @definition as the form's draft version: it must follow every rule (the error is
 * %ASSAY_FORM_ERROR_INVALID with the field's path) and carry the draft's version number. The
 * stored definition says "published": true, the row gets its published_at, the form takes the
 * version's name and description, and a sync operation is queued, in one transaction.
 * Returns the published version.
 */
void                    assay_store_publish_form_draft_async  (AssayStore          *store,
                                                               const char          *form_id,
                                                               const char          *definition,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
AssayFormVersionRecord *assay_store_publish_form_draft_finish (AssayStore          *store,
                                                               GAsyncResult        *result,
                                                               GError             **error);
AssayFormVersionRecord *assay_store_publish_form_draft_sync   (AssayStore          *store,
                                                               const char          *form_id,
                                                               const char          *definition,
                                                               GError             **error);

/** assay_store_discard_form_draft_async: drops the form's draft; a form never published goes too. */
void     assay_store_discard_form_draft_async  (AssayStore          *store,
                                                const char          *form_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean assay_store_discard_form_draft_finish (AssayStore          *store,
                                                GAsyncResult        *result,
                                                GError             **error);
gboolean assay_store_discard_form_draft_sync   (AssayStore          *store,
                                                const char          *form_id,
                                                GError             **error);

/**
 * assay_store_import_form_async:
 * Imports a form file (the JSON text @data; @filename only names it in errors): checked as
 * strictly as `assayctl score` does. A file whose "id" no form has becomes a new form at
 * version 1; otherwise it becomes the next version of that form. A file marked "published" is
 * published at once, any other becomes the form's draft (refused while the form already has one).
 * Returns the new version.
 */
void                    assay_store_import_form_async  (AssayStore          *store,
                                                        const char          *data,
                                                        const char          *filename,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
AssayFormVersionRecord *assay_store_import_form_finish (AssayStore          *store,
                                                        GAsyncResult        *result,
                                                        GError             **error);
AssayFormVersionRecord *assay_store_import_form_sync   (AssayStore          *store,
                                                        const char          *data,
                                                        const char          *filename,
                                                        GError             **error);

/**
 * assay_store_publish_form_sync:
 * For `assayctl seed` and sync: stores the form file @json as published under its own "id"
 * and "version" (the form is created when needed). Publishing the same version again with the
 * same content changes nothing; another content for a stored version is refused, as versions
 * are immutable. Never call it from the GUI's main thread.
 * Returns: (transfer full): the form_version.id of that version, or %NULL with @error set.
 */
char *assay_store_publish_form_sync (AssayStore  *store,
                                     const char  *json,
                                     GError     **error);

G_END_DECLS
