/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "test-db.h"
#include "store/assay-store-sync.h"
#include "store/assay-store-evaluations.h"

/*
 * The store side of sync that needs no server: the signed-in account ("me" after sign-in) and
 * the one truthful sync state of each evaluation, computed from the outbox, the conflicts and
 * the server's copy.
 */

#define LOCAL_ME   "50000000-0000-4000-8000-000000000001"
#define SERVER_ME  "50000000-0000-4000-8000-000000000002"
#define FORM_V     "41000000-0000-4000-8000-000000000009"
#define I1         "20000000-0000-4000-8000-000000000001"

typedef struct {
  gboolean done;
  gpointer result;
  GError  *error;
  guint    directory_changes;
  guint    evaluation_changes;
} Wait;

static gboolean
is_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
set_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->result = GINT_TO_POINTER (assay_store_sync_set_account_finish (ASSAY_STORE (source), result,
                                                                   &w->error));
  w->done = TRUE;
}

static void
get_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->result = assay_store_sync_get_account_finish (ASSAY_STORE (source), result, &w->error);
  w->done = TRUE;
}

static void
me_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = assay_store_get_me_finish (ASSAY_STORE (source), result, &w->error);
  w->done = TRUE;
}

static void
changed_cb (AssayStore  *store,
            const char  *collection,
            GStrv        ids,
            Wait        *w)
{
  if (g_str_equal (collection, ASSAY_STORE_DIRECTORY))
    w->directory_changes++;
  else if (g_str_equal (collection, ASSAY_STORE_EVALUATIONS))
    w->evaluation_changes++;
}

static AssayStore *
store_with_local_work (void)
{
  AssayStore *store = test_db_new (4);

  test_db_exec (store,
    "INSERT INTO staff (id, name, roles, is_me) VALUES ('" LOCAL_ME "', 'Local Me', 'inspector', 1);"
    "INSERT INTO form (id, name, created_at) VALUES ('f', 'Service', 0);"
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    "  VALUES ('" FORM_V "', 'f', 1, '{}', 1);");
  return store;
}

static gboolean
set_account (AssayStore                  *store,
             const AssayStoreSyncAccount *account,
             Wait                        *w)
{
  w->done = FALSE;
  assay_store_sync_set_account_async (store, account, NULL, set_done, w);
  test_wait_until (is_done, w, 20);
  return GPOINTER_TO_INT (w->result);
}

static AssayStoreSyncAccount *
get_account (AssayStore *store)
{
  Wait w = { 0 };

  assay_store_sync_get_account_async (store, NULL, get_done, &w);
  test_wait_until (is_done, &w, 20);
  g_assert_no_error (w.error);
  return w.result;
}

static AssayStaffRecord *
get_me (AssayStore *store)
{
  Wait w = { 0 };

  assay_store_get_me_async (store, NULL, me_done, &w);
  test_wait_until (is_done, &w, 20);
  g_assert_no_error (w.error);
  return w.result;
}

static void
test_account (void)
{
  g_autoptr(AssayStore) store = store_with_local_work ();
  AssayStoreSyncAccount account = {
    .server_url = "https://qa.example.org", .login = "inspector", .user_id = SERVER_ME,
    .name = "Lin Wei", .roles = "inspector,lead", .signed_in_at = 1795176000000,
  };
  g_autoptr(AssayStoreSyncAccount) read = NULL;
  g_autoptr(AssayStaffRecord) me = NULL;
  Wait w = { 0 };
  gulong handler;

  /* nobody signed in yet: no account, no error */
  read = get_account (store);
  g_assert_null (read);

  /* a draft made before signing in, never synced, and one that reached a server */
  test_db_exec (store,
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
    "  created_at, updated_at) VALUES ('e-new', '" I1 "', '" FORM_V "', '" LOCAL_ME "', 'draft', 1, 1);"
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
    "  created_at, updated_at, rev) VALUES ('e-old', '" I1 "', '" FORM_V "', '" LOCAL_ME "', 'draft', 1, 1, 3);");

  handler = g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &w);
  g_assert_true (set_account (store, &account, &w));
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.directory_changes, >=, 1);
  g_assert_cmpuint (w.evaluation_changes, >=, 1);

  read = get_account (store);
  g_assert_nonnull (read);
  g_assert_cmpstr (read->server_url, ==, "https://qa.example.org");
  g_assert_cmpstr (read->login, ==, "inspector");
  g_assert_cmpstr (read->user_id, ==, SERVER_ME);
  g_assert_cmpstr (read->roles, ==, "inspector,lead");
  g_assert_cmpint (read->signed_in_at, ==, 1795176000000);
  g_assert_null (read->agent_id);

  /* "me" is now the server's account, with its roles; one "me" only */
  me = get_me (store);
  g_assert_cmpstr (me->id, ==, SERVER_ME);
  g_assert_cmpstr (me->name, ==, "Lin Wei");
  g_assert_cmpstr (me->roles, ==, "inspector,lead");
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM staff WHERE is_me = 1"), ==, 1);
  /* the never-synced draft is the account's; the synced one stays whose it was */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation WHERE id = 'e-new'"
                                             " AND inspector_id = '" SERVER_ME "'"), ==, 1);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation WHERE id = 'e-old'"
                                             " AND inspector_id = '" LOCAL_ME "'"), ==, 1);

  /* signing in again (roles changed on the server) updates the row in place */
  account.roles = "manager";
  account.name = NULL;
  g_assert_true (set_account (store, &account, &w));
  g_clear_pointer (&me, assay_staff_record_free);
  me = get_me (store);
  g_assert_cmpstr (me->roles, ==, "manager");
  g_assert_cmpstr (me->name, ==, "inspector");   /* no name: the login */
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM sync_account"), ==, 1);

  /* an incomplete account is refused with a message, and changes nothing */
  account.user_id = NULL;
  g_assert_false (set_account (store, &account, &w));
  g_assert_error (w.error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&w.error);

  /* signing out forgets the account; "me" and the work stay */
  g_assert_true (set_account (store, NULL, &w));
  g_clear_pointer (&read, assay_store_sync_account_free);
  read = get_account (store);
  g_assert_null (read);
  g_clear_pointer (&me, assay_staff_record_free);
  me = get_me (store);
  g_assert_cmpstr (me->id, ==, SERVER_ME);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM evaluation"), ==, 2);
  g_signal_handler_disconnect (store, handler);
  assay_store_close (store);
}

typedef struct {
  gboolean    done;
  GHashTable *states;
} StatesWait;

static void
states_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  StatesWait *w = user_data;
  g_autoptr(GError) error = NULL;

  w->states = assay_store_sync_evaluation_states_finish (ASSAY_STORE (source), result, &error);
  g_assert_no_error (error);
  w->done = TRUE;
}

static gboolean
states_is_done (gpointer data)
{
  return ((StatesWait *) data)->done;
}

static AssayEvaluationSyncState
state_of (AssayStore *store,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayEvaluationSync) s = assay_store_sync_evaluation_state_sync (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_cmpstr (s->id, ==, id);
  return s->state;
}

static void
test_evaluation_states (void)
{
  g_autoptr(AssayStore) store = store_with_local_work ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayEvaluationSync) s = NULL;
  AssayEvaluationRecord r = { 0 };
  const char *ids[] = { "e1", "e-synced", "nope", NULL };
  StatesWait w = { 0 };

  /* a draft saved through the store: its outbox operation makes it "saved locally" */
  r.id = "e1";
  r.interaction_id = I1;
  r.form_version_id = FORM_V;
  r.inspector_id = LOCAL_ME;
  r.answers = "{}";
  g_assert_cmpint (assay_store_save_draft_sync (store, &r, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (state_of (store, "e1"), ==, ASSAY_EVALUATION_SYNC_LOCAL);

  /* put in a batch (sent, no answer yet): syncing */
  test_db_exec (store, "UPDATE outbox SET batch_key = 'k1', sent_at = 5 WHERE object_id = 'e1'");
  g_assert_cmpint (state_of (store, "e1"), ==, ASSAY_EVALUATION_SYNC_SYNCING);

  /* applied: the outbox is empty and the server's copy is here */
  test_db_exec (store,
    "DELETE FROM outbox WHERE object_id = 'e1';"
    "INSERT INTO sync_object (collection, id, rev, data) VALUES ('evaluations', 'e1', 1, '{}');"
    "UPDATE evaluation SET rev = 1, synced_at = 1795176000000 WHERE id = 'e1';");
  s = assay_store_sync_evaluation_state_sync (store, "e1", &error);
  g_assert_cmpint (s->state, ==, ASSAY_EVALUATION_SYNC_SYNCED);
  g_assert_cmpint (s->synced_at, ==, 1795176000000);
  g_assert_cmpint (s->server_rev, ==, 1);
  g_assert_null (s->reason);
  g_clear_pointer (&s, assay_evaluation_sync_free);

  /* a stored state cannot lie: a column saying "synced" does not hide a new local edit */
  test_db_exec (store, "UPDATE evaluation SET sync_state = 'synced' WHERE id = 'e1'");
  g_assert_cmpint (assay_store_save_draft_sync (store, &r, &error), >, 0);
  g_assert_cmpint (state_of (store, "e1"), ==, ASSAY_EVALUATION_SYNC_LOCAL);
  test_db_exec (store, "DELETE FROM outbox WHERE object_id = 'e1'");

  /* rejected, with the server's reason; a conflict wins over it */
  test_db_exec (store,
    "INSERT INTO evaluation_conflict (id, evaluation_id, kind, op_id, action, reason, created_at)"
    "  VALUES ('c1', 'e1', 'rejected', 'o1', 'amend', 'The evaluation changed since', 10);");
  s = assay_store_sync_evaluation_state_sync (store, "e1", &error);
  g_assert_cmpint (s->state, ==, ASSAY_EVALUATION_SYNC_REJECTED);
  g_assert_cmpstr (s->reason, ==, "The evaluation changed since");
  g_assert_cmpstr (s->conflict_id, ==, "c1");
  g_clear_pointer (&s, assay_evaluation_sync_free);
  test_db_exec (store,
    "INSERT INTO evaluation_conflict (id, evaluation_id, kind, op_id, action, created_at)"
    "  VALUES ('c2', 'e1', 'conflict', 'o2', 'update', 11);");
  g_assert_cmpint (state_of (store, "e1"), ==, ASSAY_EVALUATION_SYNC_CONFLICT);

  /* resolved: synced again */
  g_assert_true (assay_store_sync_resolve_conflict_sync (store, "c1", &error));
  g_assert_true (assay_store_sync_resolve_conflict_sync (store, "c2", &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (store, "e1"), ==, ASSAY_EVALUATION_SYNC_SYNCED);

  /* an amendment draft open is a local change */
  test_db_exec (store,
    "INSERT INTO evaluation (id, interaction_id, form_version_id, inspector_id, state,"
    "  created_at, updated_at, rev) VALUES ('e-synced', '" I1 "', '" FORM_V "', '" LOCAL_ME "',"
    "  'submitted', 1, 1, 2);"
    "INSERT INTO sync_object (collection, id, rev, data) VALUES ('evaluations', 'e-synced', 2, '{}');");
  g_assert_cmpint (state_of (store, "e-synced"), ==, ASSAY_EVALUATION_SYNC_SYNCED);
  test_db_exec (store, "INSERT INTO evaluation_draft (evaluation_id, answers, amending, saved_at)"
                       " VALUES ('e-synced', '{}', 1, 3)");
  g_assert_cmpint (state_of (store, "e-synced"), ==, ASSAY_EVALUATION_SYNC_LOCAL);

  /* the list read: several at once, unknown ids absent */
  assay_store_sync_evaluation_states_async (store, ids, NULL, states_done, &w);
  test_wait_until (states_is_done, &w, 20);
  g_assert_cmpuint (g_hash_table_size (w.states), ==, 2);
  g_assert_cmpint (((AssayEvaluationSync *) g_hash_table_lookup (w.states, "e1"))->state, ==,
                   ASSAY_EVALUATION_SYNC_SYNCED);
  g_assert_false (g_hash_table_contains (w.states, "nope"));
  g_hash_table_unref (w.states);

  g_assert_null (assay_store_sync_evaluation_state_sync (store, "nope", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (assay_evaluation_sync_state_to_string (ASSAY_EVALUATION_SYNC_REJECTED), ==,
                   "rejected");
  assay_store_close (store);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-store/account", test_account);
  g_test_add_func ("/sync-store/evaluation-states", test_evaluation_states);
  return g_test_run ();
}
