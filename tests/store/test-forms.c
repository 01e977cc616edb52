/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-private.h"
#include "core/assay-form.h"
#include "protocol/assay-form-json.h"
#include "store/assay-store-forms.h"
#include "test-db.h"

static char *
demo_form (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms",
                                            name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* A small points form as JSON: two yes/no items, the first with @weight. */
static char *
small_form (const char *id,
            guint       version,
            double      weight)
{
  g_autoptr(AssayForm) form = assay_form_new (id, "Small", version, ASSAY_FORM_MODE_POINTS);
  AssaySection *section = assay_form_add_section (form, "s1", "Opening", 1);
  AssayItem *item = assay_form_add_item (form, section, "greeting", ASSAY_ITEM_YES_NO, "Greeted");

  item->weight = weight;
  assay_form_add_item (form, section, "closing", ASSAY_ITEM_YES_NO, "Closed");
  return assay_form_to_json (form);
}

static gpointer
exec_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return _assay_store_exec (db, data, error) ? GINT_TO_POINTER (1) : NULL;
}

/* Runs @sql, which must fail, and returns the message. */
static char *
exec_fails (AssayStore *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (_assay_store_run_sync (store, exec_func, (gpointer) sql, &error));
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

typedef struct {
  const char *sql;
  char       *value;
} TextQuery;

static gpointer
text_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  TextQuery *q = data;
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, q->sql, error);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  q->value = g_strdup (_assay_store_column_text (stmt, 0));
  return GINT_TO_POINTER (1);
}

static char *
query_text (AssayStore *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  TextQuery q = { sql, NULL };

  g_assert_nonnull (_assay_store_run_sync (store, text_func, &q, &error));
  g_assert_no_error (error);
  return q.value;
}

static AssayFormRecord *
find_form (GPtrArray  *forms,
           const char *code)
{
  for (guint i = 0; i < forms->len; i++)
    {
      AssayFormRecord *r = g_ptr_array_index (forms, i);

      if (g_strcmp0 (r->code, code) == 0)
        return r;
    }
  return NULL;
}

static void
test_empty (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) forms = assay_store_list_forms_sync (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (forms->len, ==, 0);
}

static void
test_publish_file (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autoptr(GError) error = NULL;
  g_autofree char *en = demo_form ("service-quality-en.json");
  g_autofree char *zh = demo_form ("service-quality-zh.json");
  g_autofree char *en_id = NULL;
  g_autofree char *zh_id = NULL;
  g_autofree char *again = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(AssayForm) form = NULL;
  AssayFormRecord *r;

  en_id = assay_store_publish_form_sync (store, en, &error);
  g_assert_no_error (error);
  zh_id = assay_store_publish_form_sync (store, zh, &error);
  g_assert_no_error (error);
  g_assert_nonnull (en_id);
  g_assert_cmpstr (en_id, !=, zh_id);

  forms = assay_store_list_forms_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forms->len, ==, 2);
  r = find_form (forms, "service-quality-en");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->name, ==, "Customer Service Call Quality");
  g_assert_cmpint (r->version, ==, 2);          /* the file's own number */
  g_assert_cmpint (r->published_version, ==, 2);
  g_assert_false (r->has_draft);
  g_assert_cmpint (r->published_at, >, 0);
  g_assert_cmpstr (r->version_id, ==, en_id);
  g_assert_nonnull (find_form (forms, "service-quality-zh"));

  /* seeding twice changes nothing */
  again = assay_store_publish_form_sync (store, en, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, en_id);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version"), ==, 2);

  /* the stored definition says what its row says */
  stored = query_text (store, "SELECT definition FROM form_version v JOIN form f ON f.id = v.form_id"
                              " WHERE f.code = 'service-quality-en'");
  form = assay_form_from_json (stored, -1, &error);
  g_assert_no_error (error);
  g_assert_true (assay_form_is_published (form));
  g_assert_cmpuint (form->version, ==, 2);

  /* other content under a published number is refused */
  changed = small_form ("service-quality-en", 2, 1);
  g_assert_null (assay_store_publish_form_sync (store, changed, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already published"));
  g_clear_error (&error);

  /* a broken file names the field */
  g_assert_null (assay_store_publish_form_sync (store, "{\"format\": 1}", &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "id: must be given");
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form"), ==, 2);
}

static void
test_drafts_and_versions (void)
{
  g_autoptr(AssayStore) store = test_db_new (3);
  g_autoptr(GError) error = NULL;
  g_autofree char *v1_json = small_form ("billing", 1, 1);
  g_autofree char *bad = small_form ("billing", 1, -2);
  g_autoptr(AssayFormVersionRecord) created = NULL;
  g_autoptr(AssayFormVersionRecord) saved = NULL;
  g_autoptr(AssayFormVersionRecord) published = NULL;
  g_autoptr(AssayFormVersionRecord) v2 = NULL;
  g_autoptr(AssayFormVersionRecord) newest = NULL;
  g_autoptr(AssayFormVersionRecord) first = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayForm) draft = NULL;
  g_autoptr(GPtrArray) forms = NULL;
  g_autofree char *v1_stored = NULL;
  g_autofree char *v2_json = NULL;
  g_autofree char *message = NULL;
  g_autofree char *sql = NULL;
  AssayFormRecord *r;

  /* a new form starts as a draft, which may break rules while it is edited */
  created = assay_store_create_form_sync (store, bad, &error);
  g_assert_no_error (error);
  g_assert_cmpint (created->version, ==, 1);
  g_assert_cmpint (created->published_at, ==, 0);
  g_assert_cmpstr (created->code, ==, "billing");

  saved = assay_store_save_form_draft_sync (store, created->form_id, bad, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->id, ==, created->id);   /* the same draft row */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version"), ==, 1);

  /* publishing checks every rule and names the field */
  g_assert_null (assay_store_publish_form_draft_sync (store, created->form_id, bad, &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "sections[0].items[0].weight: must be >= 0");
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version"
                                             " WHERE published_at IS NOT NULL"), ==, 0);

  published = assay_store_publish_form_draft_sync (store, created->form_id, v1_json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (published->id, ==, created->id);
  g_assert_cmpint (published->version, ==, 1);
  g_assert_cmpint (published->published_at, >, 0);
  form = assay_form_from_json (published->definition, -1, &error);
  g_assert_no_error (error);
  g_assert_true (assay_form_is_published (form));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM outbox"
                                             " WHERE collection = 'form_versions'"), ==, 1);

  /* a published version never changes */
  message = exec_fails (store, "UPDATE form_version SET definition = '{}'");
  g_assert_nonnull (strstr (message, "a published form version cannot change"));
  g_assert_null (assay_store_save_form_draft_sync (store, created->form_id, v1_json, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* an evaluation made on version 1 */
  sql = g_strdup_printf ("INSERT INTO staff (id, name) VALUES ('s1', 'Li Na');"
                         "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id,"
                         " state, created_at, updated_at) VALUES ('e1',"
                         " '20000000-0000-4000-8000-000000000000', '%s', 's1', 'submitted', 1, 1)",
                         published->id);
  test_db_exec (store, sql);

  /* editing makes version 2, as a draft; version 1 stays as it was */
  v1_stored = g_strdup (published->definition);
  draft = assay_form_new_version (form);
  ((AssayItem *) g_ptr_array_index (((AssaySection *) g_ptr_array_index (draft->sections, 0))->items,
                                    0))->weight = 3;
  v2_json = assay_form_to_json (draft);
  v2 = assay_store_save_form_draft_sync (store, created->form_id, v2_json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v2->version, ==, 2);
  g_assert_cmpstr (v2->id, !=, published->id);

  forms = assay_store_list_forms_sync (store, &error);
  g_assert_no_error (error);
  r = find_form (forms, "billing");
  g_assert_cmpint (r->version, ==, 2);
  g_assert_true (r->has_draft);
  g_assert_cmpint (r->published_version, ==, 1);
  g_assert_cmpuint (r->n_evaluations, ==, 1);
  g_clear_pointer (&forms, g_ptr_array_unref);

  /* one draft per form: a draft numbered otherwise is refused */
  {
    g_autofree char *v3 = small_form ("billing", 3, 1);

    g_assert_null (assay_store_save_form_draft_sync (store, created->form_id, v3, &error));
    g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  /* and a definition of another form too */
  {
    g_autofree char *other = small_form ("sales", 2, 1);

    g_assert_null (assay_store_save_form_draft_sync (store, created->form_id, other, &error));
    g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  g_clear_pointer (&published, assay_form_version_record_free);
  published = assay_store_publish_form_draft_sync (store, created->form_id, v2_json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (published->version, ==, 2);
  g_assert_cmpstr (published->id, ==, v2->id);

  newest = assay_store_get_form_version_sync (store, created->form_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (newest->version, ==, 2);
  first = assay_store_get_form_version_sync (store, created->form_id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->definition, ==, v1_stored);
  g_assert_cmpuint (first->n_evaluations, ==, 1);
  /* the evaluation keeps the version it was scored on */
  g_assert_cmpint (test_db_query_int (store, "SELECT v.version FROM evaluation e"
                                             " JOIN form_version v ON v.id = e.form_version_id"), ==, 1);
}

static void
test_discard (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autoptr(GError) error = NULL;
  g_autofree char *en = demo_form ("service-quality-en.json");
  g_autofree char *json = small_form ("fresh", 1, 1);
  g_autoptr(AssayFormVersionRecord) created = NULL;
  g_autoptr(AssayFormVersionRecord) head = NULL;
  g_autoptr(AssayFormVersionRecord) draft = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayForm) next = NULL;
  g_autofree char *next_json = NULL;
  g_autofree char *en_id = NULL;

  /* a form never published goes with its draft */
  created = assay_store_create_form_sync (store, json, &error);
  g_assert_no_error (error);
  g_assert_true (assay_store_discard_form_draft_sync (store, created->form_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form"), ==, 0);

  /* a published one stays with its versions */
  en_id = assay_store_publish_form_sync (store, en, &error);
  g_assert_no_error (error);
  head = assay_store_get_form_version_sync (store, created->form_id, 0, &error);
  g_assert_null (head);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    g_autoptr(GPtrArray) forms = assay_store_list_forms_sync (store, &error);
    AssayFormRecord *r = find_form (forms, "service-quality-en");

    g_assert_no_error (error);
    head = assay_store_get_form_version_sync (store, r->id, 0, &error);
    g_assert_no_error (error);
    form = assay_form_from_json (head->definition, -1, &error);
    g_assert_no_error (error);
    next = assay_form_new_version (form);
    next_json = assay_form_to_json (next);
    draft = assay_store_save_form_draft_sync (store, r->id, next_json, &error);
    g_assert_no_error (error);
    g_assert_cmpint (draft->version, ==, 3);
    g_assert_true (assay_store_discard_form_draft_sync (store, r->id, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version"), ==, 1);
}

static void
test_import (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autoptr(GError) error = NULL;
  g_autofree char *en = demo_form ("service-quality-en.json");
  g_autofree char *draft_json = small_form ("small", 7, 1);
  g_autofree char *bad = small_form ("small", 1, -1);
  g_autoptr(AssayFormVersionRecord) first = NULL;
  g_autoptr(AssayFormVersionRecord) second = NULL;
  g_autoptr(AssayFormVersionRecord) draft = NULL;
  g_autoptr(AssayForm) form = NULL;

  /* a new form: version 1, published as the file says */
  first = assay_store_import_form_sync (store, en, "service-quality-en.json", &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->version, ==, 1);
  g_assert_cmpint (first->published_at, >, 0);
  g_assert_cmpstr (first->code, ==, "service-quality-en");
  form = assay_form_from_json (first->definition, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (form->version, ==, 1);
  g_assert_true (assay_form_is_published (form));

  /* the same id again: the next version of that form */
  second = assay_store_import_form_sync (store, en, "service-quality-en.json", &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->version, ==, 2);
  g_assert_cmpstr (second->form_id, ==, first->form_id);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form"), ==, 1);

  /* an unpublished file becomes a draft */
  draft = assay_store_import_form_sync (store, draft_json, "small.json", &error);
  g_assert_no_error (error);
  g_assert_cmpint (draft->version, ==, 1);
  g_assert_cmpint (draft->published_at, ==, 0);
  /* ... and one draft per form */
  g_assert_null (assay_store_import_form_sync (store, draft_json, "small.json", &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "unpublished draft"));
  g_clear_error (&error);

  /* a broken file: its name and the field */
  g_assert_null (assay_store_import_form_sync (store, bad, "bad.json", &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "bad.json: sections[0].items[0].weight: must be >= 0");
  g_clear_error (&error);
  g_assert_null (assay_store_import_form_sync (store, "not json", "x.json", &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version"), ==, 3);
}

static void
test_create_free_code (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = small_form ("scorecard", 1, 1);
  g_autoptr(AssayFormVersionRecord) a = NULL;
  g_autoptr(AssayFormVersionRecord) b = NULL;
  g_autoptr(AssayForm) form = NULL;

  a = assay_store_create_form_sync (store, json, &error);
  g_assert_no_error (error);
  b = assay_store_create_form_sync (store, json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->code, ==, "scorecard");
  g_assert_cmpstr (b->code, ==, "scorecard-2");
  form = assay_form_draft_from_json (b->definition, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (form->id, ==, "scorecard-2");

  /* not a form at all */
  g_assert_null (assay_store_create_form_sync (store, "[]", &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_SYNTAX);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/forms/empty", test_empty);
  g_test_add_func ("/store/forms/publish-file", test_publish_file);
  g_test_add_func ("/store/forms/drafts-and-versions", test_drafts_and_versions);
  g_test_add_func ("/store/forms/discard", test_discard);
  g_test_add_func ("/store/forms/import", test_import);
  g_test_add_func ("/store/forms/create-free-code", test_create_free_code);

  return g_test_run ();
}
