/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "assay-context.h"
#include "pages/assay-calibration-page-private.h"
#include "store/assay-store-calibration.h"
#include "test-db.h"

#define LEAD   "30000000-0000-4000-8000-00000000000a"
#define EXPERT "30000000-0000-4000-8000-00000000000e"
#define INSP_A "30000000-0000-4000-8000-000000000001"
#define INSP_B "30000000-0000-4000-8000-000000000002"
#define INSP_C "30000000-0000-4000-8000-000000000003"
#define CALL_1 "20000000-0000-4000-8000-000000000001"
#define CALL_2 "20000000-0000-4000-8000-000000000002"

#define ANSWERS(greeting, fix) \
  "{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": 1, \"answers\": {" \
  "\"greeting\": {\"value\": \"" greeting "\", \"comment\": \"noted " greeting "\"}," \
  " \"disclosure\": {\"value\": \"yes\"}, \"fix\": {\"value\": " fix ", \"comment\": \"so so\"}}}"

/* A database with the test scorecard, the people (@me the workstation's user) and a session
 * on two calls scored by Ann, Bob and Cai, led by Lena with Eve as expert. */
static AssayStore *
calibration_db (const char  *me,
                char       **out_session)
{
  AssayStore *store = test_db_new (4);
  g_autofree char *sql = NULL;
  const char *const calls[] = { CALL_1, CALL_2, NULL };
  const char *const inspectors[] = { INSP_A, INSP_B, INSP_C, NULL };
  AssayCalibrationSpec spec = { "Week 48, billing", TEST_FORM_VERSION_ID, LEAD, EXPERT, calls,
                                inspectors };
  g_autoptr(GError) error = NULL;

  test_db_add_review_form (store);
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES"
    " ('" LEAD "', 'Lena Lead', 'lead'), ('" EXPERT "', 'Eve Expert', 'inspector'),"
    " ('" INSP_A "', 'Ann', 'inspector'), ('" INSP_B "', 'Bob', 'inspector'),"
    " ('" INSP_C "', 'Cai', 'inspector');");
  if (me != NULL)
    {
      sql = g_strdup_printf ("UPDATE staff SET is_me = 1 WHERE id = '%s';", me);
      test_db_exec (store, sql);
    }
  if (out_session != NULL)
    {
      *out_session = assay_store_create_calibration_session_sync (store, &spec, &error);
      g_assert_no_error (error);
    }
  return store;
}

static void
save (AssayStore *store,
      const char *session,
      const char *call,
      const char *inspector,
      const char *answers)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_store_save_calibration_scoring_sync (store, session, call, inspector,
                                                            answers, NULL, TRUE, &error));
  g_assert_no_error (error);
}

typedef struct {
  GtkWindow            *window;
  AssayCalibrationPage *page;
} Ui;

static gboolean
settled (gpointer data)
{
  return g_strcmp0 (_assay_calibration_page_get_state (data), "loading") != 0;
}

static void
ui_open (Ui         *ui,
         AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  ui->window = GTK_WINDOW (gtk_window_new ());
  ui->page = g_object_new (ASSAY_TYPE_CALIBRATION_PAGE, "context", context, NULL);
  gtk_window_set_default_size (ui->window, 1000, 800);
  gtk_window_set_child (ui->window, GTK_WIDGET (ui->page));
  gtk_window_present (ui->window);
  test_wait_until (settled, ui->page, 20);
}

static void
ui_show (Ui         *ui,
         const char *session)
{
  _assay_calibration_page_show (ui->page, session);
  test_wait_until (settled, ui->page, 20);
  g_assert_cmpstr (_assay_calibration_page_get_state (ui->page), ==, "session");
}

static void
ui_close (Ui *ui)
{
  gtk_window_destroy (ui->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct {
  AssayStore *store;
  gint64      n;
} Count;

static gboolean
a_submitted (gpointer data)
{
  Count *c = data;

  return test_db_query_int (c->store, "SELECT count(*) FROM calibration_scoring WHERE"
                                      " inspector_id = '" INSP_A "' AND submitted_at IS NOT NULL")
         >= c->n;
}

/* Yes, Yes and 5 on the scorecard's three items, with the keys an inspector presses */
static void
answer_all (AssayScoringPanel *panel)
{
  const guint keys[] = { GDK_KEY_1, GDK_KEY_1, GDK_KEY_5 };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      assay_scoring_panel_focus_item (panel, i);
      g_assert_true (assay_scoring_panel_press_key (panel, keys[i]));
    }
  g_assert_true (assay_scoring_panel_check_submit (panel));
}

/* the submitted scorings of others than Ann the page was handed */
static guint
n_others (Ui *ui)
{
  AssayCalibrationView *view = _assay_calibration_page_get_view (ui->page);
  guint n = 0;

  for (guint i = 0; view != NULL && i < view->submitted->len; i++)
    n += g_strcmp0 (((AssayCalibrationScoringRecord *) g_ptr_array_index (view->submitted, i))->inspector_id,
                    INSP_A) != 0;
  return n;
}

static void
test_empty (void)
{
  g_autoptr(AssayStore) store = calibration_db (INSP_A, NULL);
  Ui ui;

  ui_open (&ui, store);
  g_assert_cmpstr (_assay_calibration_page_get_state (ui.page), ==, "empty");
  g_assert_cmpuint (_assay_calibration_page_get_n_rows (ui.page), ==, 0);
  ui_close (&ui);
}

/* Another inspector's answers reach nobody before they have submitted everything. */
static void
test_blind (void)
{
  g_autofree char *session = NULL;
  g_autoptr(AssayStore) store = calibration_db (INSP_A, &session);
  AssayScoringPanel *panel;
  g_autofree char *dump = NULL;
  Ui ui;

  save (store, session, CALL_1, INSP_B, ANSWERS ("no", "2"));
  save (store, session, CALL_2, INSP_B, ANSWERS ("no", "1"));
  ui_open (&ui, store);
  g_assert_cmpstr (_assay_calibration_page_get_state (ui.page), ==, "list");
  g_assert_cmpuint (_assay_calibration_page_get_n_rows (ui.page), ==, 1);

  ui_show (&ui, session);
  g_assert_cmpstr (_assay_calibration_page_get_mode (ui.page), ==, "score");
  g_assert_cmpuint (n_others (&ui), ==, 0);
  dump = _assay_calibration_page_dump (ui.page);
  g_assert_null (strstr (dump, "Bob"));
  g_assert_null (strstr (dump, "noted no"));
  g_assert_nonnull (strstr (dump, "You have submitted 0 of 2 interactions"));

  /* an incomplete scoring is refused, nothing is stored */
  panel = _assay_calibration_page_get_panel (ui.page);
  g_assert_nonnull (panel);
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_1));
  _assay_calibration_page_activate (ui.page, "submit");
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM calibration_scoring"
                                             " WHERE inspector_id = '" INSP_A "'"), ==, 0);

  /* first call: Yes, Yes, 5 (full marks need no comment) */
  answer_all (panel);
  _assay_calibration_page_activate (ui.page, "submit");
  test_wait_until (a_submitted, &(Count) { store, 1 }, 20);
  ui_show (&ui, session);
  g_assert_cmpstr (_assay_calibration_page_get_mode (ui.page), ==, "score");
  g_assert_cmpuint (n_others (&ui), ==, 0);

  /* the second call, on the panel the page shows next */
  panel = _assay_calibration_page_get_panel (ui.page);
  g_assert_true (assay_scoring_panel_get_editable (panel));
  answer_all (panel);
  _assay_calibration_page_activate (ui.page, "submit");
  test_wait_until (a_submitted, &(Count) { store, 2 }, 20);
  ui_show (&ui, session);

  /* done: Bob's submitted answers show, side by side with Ann's */
  g_assert_cmpstr (_assay_calibration_page_get_mode (ui.page), ==, "results");
  g_assert_cmpuint (n_others (&ui), ==, 2);
  g_clear_pointer (&dump, g_free);
  dump = _assay_calibration_page_dump (ui.page);
  g_assert_nonnull (strstr (dump, "Bob | noted no"));
  g_assert_nonnull (strstr (dump, "Ann"));
  g_assert_nonnull (strstr (dump, "Not submitted"));
  ui_close (&ui);
}

static gboolean
state_is_opened (gpointer data)
{
  AssayCalibrationView *view = _assay_calibration_page_get_view (data);

  return view != NULL && g_strcmp0 (view->record->state, ASSAY_CALIBRATION_OPENED) == 0;
}

static gboolean
state_is_closed (gpointer data)
{
  AssayCalibrationView *view = _assay_calibration_page_get_view (data);

  return view != NULL && g_strcmp0 (view->record->state, ASSAY_CALIBRATION_CLOSED) == 0;
}

static gboolean
has_consensus (gpointer data)
{
  AssayCalibrationView *view = _assay_calibration_page_get_view (data);

  return view != NULL && g_ptr_array_index (view->consensus, 0) != NULL;
}

/* The lead sees the statistics as the core computes them, sets a consensus, opens and closes. */
static void
test_results (void)
{
  g_autofree char *session = NULL;
  g_autoptr(AssayStore) store = calibration_db (LEAD, &session);
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;
  AssayCalibrationView *view;
  AssayItemAgreement *greeting;
  Ui ui;

  save (store, session, CALL_1, INSP_A, ANSWERS ("yes", "5"));
  save (store, session, CALL_1, INSP_B, ANSWERS ("yes", "2"));
  save (store, session, CALL_1, INSP_C, ANSWERS ("no", "1"));
  save (store, session, CALL_2, INSP_A, ANSWERS ("no", "4"));
  save (store, session, CALL_2, INSP_B, ANSWERS ("no", "4"));
  ui_open (&ui, store);
  ui_show (&ui, session);
  g_assert_cmpstr (_assay_calibration_page_get_mode (ui.page), ==, "results");
  view = _assay_calibration_page_get_view (ui.page);
  g_assert_cmpuint (view->submitted->len, ==, 5);

  /* greeting: call 1 yes yes no, call 2 no no: 5 pairable ratings in 2 units */
  greeting = g_ptr_array_index (view->stats->items, 0);
  g_assert_cmpstr (greeting->item->id, ==, "greeting");
  g_assert_cmpuint (greeting->alpha.n_values, ==, 5);
  g_assert_cmpuint (greeting->alpha.n_units, ==, 2);
  dump = _assay_calibration_page_dump (ui.page);
  g_assert_nonnull (strstr (dump, "Krippendorff α"));
  g_assert_nonnull (strstr (dump, "n 5"));
  g_assert_nonnull (strstr (dump, "Cai | noted no"));
  g_assert_nonnull (strstr (dump, "5 of 6 scorings submitted"));
  /* the fix scale spreads from 1 to 5 on call 1: low agreement, flagged */
  g_assert_nonnull (strstr (dump, "Low agreement"));
  g_assert_nonnull (strstr (dump, "Consensus: —"));

  /* a consensus set elsewhere (the expert) reaches the page through the change notification */
  g_assert_true (assay_store_set_calibration_consensus_sync (store, session, CALL_1, "greeting",
                                                             "{\"value\": \"yes\"}", EXPERT,
                                                             &error));
  g_assert_no_error (error);
  test_wait_until (has_consensus, ui.page, 20);
  g_clear_pointer (&dump, g_free);
  dump = _assay_calibration_page_dump (ui.page);
  g_assert_nonnull (strstr (dump, "Consensus: Yes"));
  g_assert_nonnull (strstr (dump, "Agrees with the consensus"));

  _assay_calibration_page_activate (ui.page, "open");
  test_wait_until (state_is_opened, ui.page, 20);
  _assay_calibration_page_activate (ui.page, "close");
  test_wait_until (state_is_closed, ui.page, 20);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM calibration_session"
                                             " WHERE state = 'closed'"), ==, 1);
  ui_close (&ui);
}

/* The inspectors' table: agreement with the consensus and harsh or lenient deviation. */
static void
test_inspectors (void)
{
  g_autofree char *session = NULL;
  g_autoptr(AssayStore) store = calibration_db (EXPERT, &session);
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;
  AssayCalibrationView *view;
  Ui ui;

  save (store, session, CALL_1, INSP_A, ANSWERS ("yes", "5"));
  save (store, session, CALL_1, INSP_B, ANSWERS ("yes", "3"));
  save (store, session, CALL_1, INSP_C, ANSWERS ("yes", "4"));
  g_assert_true (assay_store_set_calibration_state_sync (store, session, ASSAY_CALIBRATION_OPENED,
                                                         LEAD, &error));
  g_assert_true (assay_store_set_calibration_consensus_sync (store, session, CALL_1, "fix",
                                                             "{\"value\": 4}", EXPERT, &error));
  g_assert_no_error (error);
  ui_open (&ui, store);
  ui_show (&ui, session);
  view = _assay_calibration_page_get_view (ui.page);
  g_assert_cmpuint (view->stats->inspectors->len, ==, 3);
  dump = _assay_calibration_page_dump (ui.page);
  /* Ann gave 5 where the consensus is 4: lenient; Bob 3: harsh; Cai agrees */
  g_assert_nonnull (strstr (dump, "Ann | Agrees with the consensus 0 % (n 1) · mean deviation +"));
  g_assert_nonnull (strstr (dump, "(lenient)"));
  g_assert_nonnull (strstr (dump, "Bob | Agrees with the consensus 0 % (n 1) · mean deviation -"));
  g_assert_nonnull (strstr (dump, "(harsh)"));
  g_assert_nonnull (strstr (dump, "Cai | Agrees with the consensus 100 % (n 1)"));
  ui_close (&ui);
}

/* Three sessions on one scorecard: the "fix" item spreads 1 to 5 in each (flagged as staying
 * low), Ann comes closer to the consensus each week (improving), Bob always agrees (steady). */
static void
test_history (void)
{
  g_autoptr(AssayStore) store = calibration_db (LEAD, NULL);
  const char *const calls[] = { CALL_1, CALL_2, NULL };
  const char *const inspectors[] = { INSP_A, INSP_B, INSP_C, NULL };
  const char *const ann[] = { ANSWERS ("yes", "1"), ANSWERS ("yes", "2"), ANSWERS ("yes", "3") };
  g_autofree char *last = NULL;
  g_autofree char *dump = NULL;
  g_autoptr(GError) error = NULL;
  AssayCalibrationView *view;
  Ui ui;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Week %u", 46 + i);
      g_autofree char *sql = NULL;
      AssayCalibrationSpec spec = { name, TEST_FORM_VERSION_ID, LEAD, EXPERT, calls, inspectors };
      g_autofree char *id = assay_store_create_calibration_session_sync (store, &spec, &error);

      g_assert_no_error (error);
      /* a week apart, oldest first */
      sql = g_strdup_printf ("UPDATE calibration_session SET created_at = created_at - %u * 604800000"
                             " WHERE id = '%s'", 3 - i, id);
      test_db_exec (store, sql);
      for (guint c = 0; calls[c] != NULL; c++)
        {
          save (store, id, calls[c], INSP_A, ann[i]);
          save (store, id, calls[c], INSP_B, ANSWERS ("yes", "3"));
          save (store, id, calls[c], INSP_C, ANSWERS ("yes", "5"));
        }
      g_assert_true (assay_store_set_calibration_state_sync (store, id, ASSAY_CALIBRATION_OPENED,
                                                             LEAD, &error));
      for (guint c = 0; calls[c] != NULL; c++)
        g_assert_true (assay_store_set_calibration_consensus_sync (store, id, calls[c], "fix",
                                                                   "{\"value\": 3}", EXPERT,
                                                                   &error));
      g_assert_no_error (error);
      if (i < 2)
        g_assert_true (assay_store_set_calibration_state_sync (store, id, ASSAY_CALIBRATION_CLOSED,
                                                               LEAD, &error));
      g_assert_no_error (error);
      g_free (last);
      last = g_steal_pointer (&id);
    }

  ui_open (&ui, store);
  ui_show (&ui, last);
  view = _assay_calibration_page_get_view (ui.page);
  /* the two earlier sessions are the history, oldest first */
  g_assert_nonnull (view->history);
  g_assert_cmpuint (view->history->len, ==, 2);
  g_assert_cmpstr (((AssayCalibrationView *) g_ptr_array_index (view->history, 0))->record->name, ==,
                   "Week 46");
  dump = _assay_calibration_page_dump (ui.page);
  g_assert_nonnull (strstr (dump, "Agreement stayed low in the last 3 sessions: a candidate for rewording."));
  g_assert_nonnull (strstr (dump, "Trend: improving by 50"));
  g_assert_nonnull (strstr (dump, "Trend: steady over 3 sessions"));
  g_assert_null (strstr (dump, "Trend: falling"));
  ui_close (&ui);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/calibration-page/empty", test_empty);
  g_test_add_func ("/calibration-page/blind", test_blind);
  g_test_add_func ("/calibration-page/results", test_results);
  g_test_add_func ("/calibration-page/inspectors", test_inspectors);
  g_test_add_func ("/calibration-page/history", test_history);
  return g_test_run ();
}
