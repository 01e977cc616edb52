/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Change notifications: AssayStore::changed after a commit (never after a rollback), reaching an
 * AssayInteractionModel in place, and commits by another process (the real assayctl) reaching
 * an open store through PRAGMA data_version.
 */
#include "store/assay-interaction-model.h"
#include "store/assay-store-evaluations.h"
#include "store/assay-store-import.h"
#include "store/assay-store-queue.h"
#include "test-db.h"

#include <glib/gstdio.h>

#define ROW3_ID "20000000-0000-4000-8000-000000000003"
#define CSV_HEADER "id,channel,queue,agent_code,agent_name,team,customer_ref,started_at,wait_s," \
  "talk_s,hold_s,wrap_s,csat,nps,fcr,answered_in_sl,abandoned,priority,first_response_s," \
  "first_response_target_s,resolution_s,resolution_target_s,recording,recording_agent_channel\n"

typedef struct {
  char *collection;
  char **ids;   /* NULL: everything */
} Seen;

static void
seen_free (Seen *seen)
{
  g_free (seen->collection);
  g_strfreev (seen->ids);
  g_free (seen);
}

static void
changed_cb (AssayStore          *store,
            const char          *collection,
            const char * const  *ids,
            GPtrArray           *log)
{
  Seen *seen = g_new0 (Seen, 1);

  seen->collection = g_strdup (collection);
  seen->ids = g_strdupv ((char **) ids);
  g_ptr_array_add (log, seen);
}

static GPtrArray *
watch (AssayStore *store,
       const char *detailed_signal)
{
  GPtrArray *log = g_ptr_array_new_with_free_func ((GDestroyNotify) seen_free);

  g_signal_connect_data (store, detailed_signal, G_CALLBACK (changed_cb), log, NULL, 0);
  return log;
}

static gboolean
log_not_empty (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

static gboolean
not_loading (gpointer data)
{
  return !assay_interaction_model_get_loading (data);
}

static gboolean
item_loaded (gpointer data)
{
  return assay_interaction_get_loaded (data);
}

static void
import_text (AssayStore       *store,
             const char       *csv,
             AssayImportFlags  flags,
             gboolean          expect_ok)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (g_strdup (csv), -1, g_free);
  g_autoptr(GError) error = NULL;
  gboolean ok = assay_store_import_csv_sync (store, input, "test.csv", NULL, flags, NULL, NULL, &error);

  if (expect_ok)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
      g_assert_false (ok);
    }
}

typedef struct {
  GPtrArray    *log;
  GAsyncResult *result;
  guint         n_seen_at_callback;
} Wait;

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->n_seen_at_callback = w->log->len;
  w->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static AssayStaffRecord *
me_of (AssayStore *store)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  AssayStaffRecord *me;

  assay_store_get_me_async (store, NULL, me_cb, &result);
  test_wait_until (pointer_set, &result, 10);
  me = assay_store_get_me_finish (store, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return me;
}

/* A draft save announces its evaluation, before its own callback runs. */
static void
test_draft_announced (void)
{
  g_autoptr(AssayStore) store = test_db_new (5);
  g_autoptr(GPtrArray) log = watch (store, "changed");
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(AssayStaffRecord) me = NULL;
  g_autoptr(GError) error = NULL;
  AssayEvaluationRecord r = { 0 };
  Wait w = { log };
  Seen *seen;

  test_db_add_review_form (store);   /* written on the worker without a record: no emission */
  me = me_of (store);
  test_wait_until (log_not_empty, log, 10);   /* "me" was made: the directory changed */
  seen = g_ptr_array_index (log, 0);
  g_assert_cmpstr (seen->collection, ==, ASSAY_STORE_DIRECTORY);
  g_assert_cmpstrv (seen->ids, ((const char *[]) { me->id, NULL }));
  g_ptr_array_set_size (log, 0);

  r.id = (char *) "50000000-0000-4000-8000-000000000001";
  r.interaction_id = (char *) "20000000-0000-4000-8000-000000000001";
  r.form_version_id = (char *) TEST_FORM_VERSION_ID;
  r.inspector_id = me->id;
  r.answers = (char *) "{}";
  r.score = 50;
  assay_store_save_draft_async (store, &r, NULL, saved_cb, &w);
  g_assert_true (assay_store_get_busy (store));
  test_wait_until (has_result, &w, 10);
  g_assert_cmpint (assay_store_save_draft_finish (store, w.result, &error), >, 0);
  g_assert_no_error (error);
  g_clear_object (&w.result);

  g_assert_cmpuint (w.n_seen_at_callback, ==, 1);
  g_assert_cmpuint (log->len, ==, 1);
  seen = g_ptr_array_index (log, 0);
  g_assert_cmpstr (seen->collection, ==, ASSAY_STORE_EVALUATIONS);
  g_assert_cmpstrv (seen->ids, ((const char *[]) { r.id, NULL }));
  g_assert_false (assay_store_get_busy (store));
}

/* A transaction that rolls back announces nothing, though it recorded changes before failing. */
static void
test_rollback_silent (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autoptr(GPtrArray) log = watch (store, "changed::" ASSAY_STORE_INTERACTIONS);
  Seen *seen;

  /* the first row goes in (and is recorded), the second is bad: nothing is imported */
  import_text (store, CSV_HEADER
               "60000000-0000-4000-8000-000000000001,phone,Billing,E001,Wang Fang,Billing,C-1,"
               "2026-11-14T10:00:00Z,1,60,0,0,4,9,,,0,,,,,,,\n"
               "60000000-0000-4000-8000-000000000002,phone,Billing,E001,Wang Fang,Billing,C-2,"
               "2026-11-14T10:01:00Z,1,60,0,0,7,9,,,0,,,,,,,\n", ASSAY_IMPORT_NONE, FALSE);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM interaction"), ==, 0);

  /* a good import after it: its emission is the first one, so the failed one emitted nothing */
  import_text (store, CSV_HEADER
               "60000000-0000-4000-8000-000000000003,phone,Billing,E001,Wang Fang,Billing,C-3,"
               "2026-11-14T10:02:00Z,1,60,0,0,4,9,,,0,,,,,,,\n", ASSAY_IMPORT_NONE, TRUE);
  test_wait_until (log_not_empty, log, 10);
  g_assert_cmpuint (log->len, ==, 1);
  seen = g_ptr_array_index (log, 0);
  g_assert_cmpstrv (seen->ids, ((const char *[]) { "60000000-0000-4000-8000-000000000003", NULL }));
}

typedef struct {
  guint position, removed, added, count;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *ic)
{
  ic->position = position;
  ic->removed = removed;
  ic->added = added;
  ic->count++;
}

static gboolean
csat_is_one (gpointer data)
{
  return assay_interaction_get_facts (data)->csat == 1;
}

static void
run_query (AssayInteractionModel *model)
{
  assay_interaction_model_set_query (model, NULL, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  test_wait_until (not_loading, model, 30);
  g_assert_null (assay_interaction_model_get_error (model));
}

/* A changed row updates in place: the same object, items-changed for its position only. */
static void
test_model_in_place (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);
  g_autoptr(AssayInteraction) item = NULL;
  g_autoptr(AssayInteraction) again = NULL;
  ItemsChanged ic = { 0 };

  run_query (model);
  item = g_list_model_get_item (G_LIST_MODEL (model), 3);
  test_wait_until (item_loaded, item, 10);
  g_assert_cmpstr (assay_interaction_get_facts (item)->id, ==, ROW3_ID);
  g_assert_cmpint (assay_interaction_get_facts (item)->csat, ==, 5);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &ic);

  import_text (store, CSV_HEADER ROW3_ID ",phone,Billing,E004,Zhang Min,Technical Support,C-100003,"
               "2026-11-20T11:57:00Z,3,171,21,33,1,0,0,0,0,,,,,,,\n", ASSAY_IMPORT_UPDATE, TRUE);
  test_wait_until (csat_is_one, item, 10);

  g_assert_cmpuint (ic.count, ==, 1);
  g_assert_cmpuint (ic.position, ==, 3);
  g_assert_cmpuint (ic.removed, ==, 1);
  g_assert_cmpuint (ic.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  again = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_assert_true (again == item);
}

static gboolean
has_eleven (gpointer data)
{
  return g_list_model_get_n_items (data) == 11;
}

/* A new row in process: the rows are counted again, the new one announced alone, and the rows
 * already shown keep their objects. */
static void
test_model_insert (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);
  g_autoptr(AssayInteraction) first = NULL;
  g_autoptr(AssayInteraction) first_again = NULL;
  g_autoptr(AssayInteraction) oldest = NULL;
  ItemsChanged ic = { 0 };

  run_query (model);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  test_wait_until (item_loaded, first, 10);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &ic);

  /* older than every row: it goes last in newest-first order */
  import_text (store, CSV_HEADER "60000000-0000-4000-8000-000000000009,phone,Billing,E001,Wang Fang,"
               "Billing,C-9,2026-11-01T10:00:00Z,1,60,0,0,4,9,,,0,,,,,,,\n", ASSAY_IMPORT_NONE, TRUE);
  test_wait_until (has_eleven, model, 10);
  g_assert_cmpuint (ic.count, ==, 1);
  g_assert_cmpuint (ic.position, ==, 10);
  g_assert_cmpuint (ic.removed, ==, 0);
  g_assert_cmpuint (ic.added, ==, 1);
  first_again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (first_again == first);
  oldest = g_list_model_get_item (G_LIST_MODEL (model), 10);
  test_wait_until (item_loaded, oldest, 10);
  g_assert_cmpstr (assay_interaction_get_facts (oldest)->customer_ref, ==, "C-9");
}

typedef struct {
  gboolean  done;
  GError   *error;
} Child;

static void
child_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Child *child = user_data;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &child->error);
  child->done = TRUE;
}

static gboolean
child_done (gpointer data)
{
  return ((Child *) data)->done;
}

/* `assayctl import` in another process while the store is open: the model shows its row. */
static void
test_other_process (void)
{
  g_autoptr(AssayStore) store = test_db_new (10);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);
  g_autoptr(GPtrArray) log = watch (store, "changed::" ASSAY_STORE_INTERACTIONS);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("assay-changes-XXXXXX", &error);
  g_autofree char *csv = g_build_filename (dir, "more.csv", NULL);
  g_autoptr(AssayInteraction) oldest = NULL;
  Child child = { FALSE };
  Seen *seen;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv, CSV_HEADER "70000000-0000-4000-8000-000000000001,phone,"
                                      "Billing,E001,Wang Fang,Billing,C-77,2026-11-01T10:00:00Z,"
                                      "1,60,0,0,4,9,,,0,,,,,,,\n", -1, NULL));
  run_query (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("ASSAYCTL"),
                              "--database", assay_store_get_path (store), "import", csv, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, child_done_cb, &child);
  test_wait_until (child_done, &child, 60);
  g_assert_no_error (child.error);

  /* the worker polls data_version every 500 ms; 10 s only guards against a hang */
  test_wait_until (has_eleven, model, 10);
  g_assert_cmpuint (log->len, >=, 1);
  seen = g_ptr_array_index (log, 0);
  g_assert_null (seen->ids);
  oldest = g_list_model_get_item (G_LIST_MODEL (model), 10);
  test_wait_until (item_loaded, oldest, 10);
  g_assert_cmpstr (assay_interaction_get_facts (oldest)->customer_ref, ==, "C-77");

  g_unlink (csv);
  g_rmdir (dir);
}

/* Closing drains: an async write queued just before close is in the database, and its task
 * still returns on the main context. */
static void
test_close_drains (void)
{
  g_autoptr(AssayStore) store = test_db_new (3);
  g_autoptr(AssayStore) reopened = NULL;
  g_autoptr(GPtrArray) log = watch (store, "changed");
  g_autoptr(AssayStaffRecord) me = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (assay_store_get_path (store));
  Wait w = { log };

  test_db_add_review_form (store);
  me = me_of (store);
  assay_store_add_assignment_async (store, "20000000-0000-4000-8000-000000000001", me->id, NULL,
                                    0, NULL, saved_cb, &w);
  /* on the main thread, as the application does at shutdown */
  assay_store_close (store);
  test_wait_until (has_result, &w, 10);
  g_clear_object (&w.result);
  g_assert_false (assay_store_get_busy (store));

  reopened = assay_store_new (path);
  g_assert_true (assay_store_open_sync (reopened, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_db_query_int (reopened, "SELECT count(*) FROM assignment"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/changes/draft-announced", test_draft_announced);
  g_test_add_func ("/changes/rollback-silent", test_rollback_silent);
  g_test_add_func ("/changes/model-in-place", test_model_in_place);
  g_test_add_func ("/changes/model-insert", test_model_insert);
  g_test_add_func ("/changes/other-process", test_other_process);
  g_test_add_func ("/changes/close-drains", test_close_drains);
  return g_test_run ();
}
