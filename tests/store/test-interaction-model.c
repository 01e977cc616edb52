/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "store/assay-interaction-model.h"
#include "test-db.h"

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

static AssayInteraction *
get_loaded (AssayInteractionModel *model,
            guint                  position)
{
  AssayInteraction *item = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (item);
  test_wait_until (item_loaded, item, 30);
  return item;
}

static void
run_query (AssayInteractionModel        *model,
           const AssayInteractionFilter *filter,
           AssayInteractionSort          sort,
           gboolean                      descending)
{
  assay_interaction_model_set_query (model, filter, sort, descending);
  g_assert_true (assay_interaction_model_get_loading (model));
  test_wait_until (not_loading, model, 30);
  g_assert_null (assay_interaction_model_get_error (model));
}

static void
test_all_rows (void)
{
  g_autoptr(AssayStore) store = test_db_new (1000);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);
  g_autoptr(AssayInteraction) first = NULL;
  g_autoptr(AssayInteraction) last = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  run_query (model, NULL, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == ASSAY_TYPE_INTERACTION);

  first = get_loaded (model, 0);
  last = get_loaded (model, 999);
  /* newest first: row 0 is the newest, row 999 the oldest */
  g_assert_cmpstr (assay_interaction_get_facts (first)->customer_ref, ==, "C-100000");
  g_assert_cmpstr (assay_interaction_get_facts (last)->customer_ref, ==, "C-100999");
  g_assert_cmpstr (assay_interaction_get_agent_name (first), ==, "Wang Fang");
  g_assert_cmpstr (assay_interaction_get_team_name (first), ==, "Billing");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 1000));
}

static void
test_filters (void)
{
  g_autoptr(AssayStore) store = test_db_new (1000);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);
  AssayInteractionFilter filter;
  gint64 expected;

  assay_interaction_filter_init (&filter);
  filter.channel = g_strdup ("chat");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  expected = test_db_query_int (store, "SELECT count(*) FROM interaction WHERE channel = 'chat'");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected);
  assay_interaction_filter_clear (&filter);

  /* CSAT 1–2 for one agent */
  assay_interaction_filter_init (&filter);
  filter.agent_id = g_strdup ("10000000-0000-4000-8000-000000000003");
  filter.csat_min = 1;
  filter.csat_max = 2;
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  expected = test_db_query_int (store, "SELECT count(*) FROM interaction WHERE agent_id ="
                                       " '10000000-0000-4000-8000-000000000003' AND csat <= 2");
  g_assert_cmpint (expected, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(AssayInteraction) item = get_loaded (model, i);
      g_assert_cmpint (assay_interaction_get_facts (item)->csat, <=, 2);
      g_assert_cmpstr (assay_interaction_get_agent_name (item), ==, "Emma Clarke");
    }
  assay_interaction_filter_clear (&filter);

  /* date range [from, to) */
  assay_interaction_filter_init (&filter);
  filter.from_ms = 1795176000000 - 99 * 60000;
  filter.to_ms = 1795176000000 - 9 * 60000;
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 90);
  assay_interaction_filter_clear (&filter);

  /* search: customer reference prefix, agent name part, employee code, queue part */
  assay_interaction_filter_init (&filter);
  filter.search = g_strdup ("C-10012");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  /* customer references match whatever case is typed */
  g_free (filter.search);
  filter.search = g_strdup ("c-10012");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  /* the start of an id */
  g_free (filter.search);
  filter.search = g_strdup ("20000000-0000-4000-8000-00000000012");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  /* a part of a queue name */
  g_free (filter.search);
  filter.search = g_strdup ("uppor");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    test_db_query_int (store, "SELECT count(*) FROM interaction WHERE queue = 'Support'"));
  g_free (filter.search);
  filter.search = g_strdup ("clarke");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    test_db_query_int (store, "SELECT count(*) FROM interaction WHERE agent_id ="
                                              " '10000000-0000-4000-8000-000000000003'"));
  g_free (filter.search);
  filter.search = g_strdup ("E005");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    test_db_query_int (store, "SELECT count(*) FROM interaction WHERE agent_id ="
                                              " '10000000-0000-4000-8000-000000000005'"));
  /* a search that matches nothing, with a quote that must not break the SQL */
  g_free (filter.search);
  filter.search = g_strdup ("no' such");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  assay_interaction_filter_clear (&filter);
}

static void
test_sorting (void)
{
  g_autoptr(AssayStore) store = test_db_new (500);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);
  int previous = -1;

  run_query (model, NULL, ASSAY_INTERACTION_SORT_HANDLE, FALSE);
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(AssayInteraction) item = get_loaded (model, i);
      int handle = assay_interaction_get_handle_s (item);

      g_assert_cmpint (handle, >=, previous);
      previous = handle;
    }

  run_query (model, NULL, ASSAY_INTERACTION_SORT_AGENT, TRUE);
  {
    g_autoptr(AssayInteraction) first = get_loaded (model, 0);
    g_autoptr(AssayInteraction) last = get_loaded (model, 499);
    g_assert_cmpstr (assay_interaction_get_agent_name (first), ==, "Zhang Min");
    g_assert_cmpstr (assay_interaction_get_agent_name (last), ==, "Chen Jing");
  }
}

static void
test_bounded_cache (void)
{
  g_autoptr(AssayStore) store = test_db_new (20000);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);

  run_query (model, NULL, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 20000);
  for (guint i = 0; i < 20000; i += 97)
    {
      g_autoptr(AssayInteraction) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_assert_nonnull (item);
    }
  /* 100 pages were touched; only a bounded number stay */
  g_assert_cmpuint (assay_interaction_model_get_cached_pages (model), <=, 24);
  {
    g_autoptr(AssayInteraction) item = get_loaded (model, 19999);
    g_assert_cmpstr (assay_interaction_get_facts (item)->customer_ref, ==, "C-119999");
  }
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *changes)
{
  (*changes)++;
}

static void
test_newer_query_wins (void)
{
  g_autoptr(AssayStore) store = test_db_new (3000);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);
  AssayInteractionFilter filter;
  guint changes = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  assay_interaction_filter_init (&filter);
  filter.channel = g_strdup ("email");
  /* the first query is still running when the second replaces it */
  assay_interaction_model_set_query (model, NULL, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  /* first page, then the rest: two changes, none from the stale query */
  g_assert_cmpuint (changes, ==, 2);
  assay_interaction_filter_clear (&filter);
}

typedef struct {
  guint position, removed, added, count;
} Change;

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               Change     *change)
{
  change->position = position, change->removed = removed, change->added = added;
  change->count++;
}

/* A new query loads its first rows into the objects of the rows already shown and announces
 * only the tail, so GTK keeps its row widgets (GTK48-LISTS.md 2a). */
static void
test_query_reuses_first_rows (void)
{
  g_autoptr(AssayStore) store = test_db_new (3000);
  g_autoptr(AssayInteractionModel) model = assay_interaction_model_new (store);
  g_autoptr(AssayInteraction) first = NULL;
  g_autoptr(AssayInteraction) again = NULL;
  g_autoptr(AssayInteraction) tail = NULL;
  AssayInteractionFilter filter;
  Change change = { 0 };

  run_query (model, NULL, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  first = get_loaded (model, 0);
  g_assert_cmpstr (assay_interaction_get_facts (first)->customer_ref, ==, "C-100000");

  g_signal_connect (model, "items-changed", G_CALLBACK (record_change), &change);
  assay_interaction_filter_init (&filter);
  filter.channel = g_strdup ("email");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  /* 3000 → 200 (the first page, in place) → 1000: two changes, both past the first page */
  g_assert_cmpuint (change.count, ==, 2);
  g_assert_cmpuint (change.position, ==, 200);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 800);

  /* the same object, now holding the new query's first row */
  again = get_loaded (model, 0);
  g_assert_true (again == first);
  g_assert_cmpstr (assay_interaction_get_facts (again)->channel, ==, "email");
  tail = get_loaded (model, 999);
  g_assert_cmpstr (assay_interaction_get_facts (tail)->channel, ==, "email");
  g_assert_cmpint (assay_interaction_get_facts (again)->started_at, <=,
                   assay_interaction_get_facts (tail)->started_at);

  /* a query with fewer rows than a page removes the rest */
  change.count = 0;
  g_free (filter.search);
  filter.search = g_strdup ("C-100002");
  run_query (model, &filter, ASSAY_INTERACTION_SORT_STARTED, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (change.position, ==, 1);
  g_assert_cmpuint (change.removed, ==, 999);
  g_assert_cmpuint (change.added, ==, 0);
  g_clear_object (&again);
  again = get_loaded (model, 0);
  g_assert_true (again == first);
  g_assert_cmpstr (assay_interaction_get_facts (again)->customer_ref, ==, "C-100002");
  assay_interaction_filter_clear (&filter);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/interaction-model/all-rows", test_all_rows);
  g_test_add_func ("/store/interaction-model/filters", test_filters);
  g_test_add_func ("/store/interaction-model/sorting", test_sorting);
  g_test_add_func ("/store/interaction-model/bounded-cache", test_bounded_cache);
  g_test_add_func ("/store/interaction-model/newer-query-wins", test_newer_query_wins);
  g_test_add_func ("/store/interaction-model/query-reuses-first-rows", test_query_reuses_first_rows);
  return g_test_run ();
}
