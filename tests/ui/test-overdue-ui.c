/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-context.h"
#include "core/assay-util.h"
#include "assay-places.h"
#include "pages/assay-overdue-page.h"
#include "store/assay-store-coaching.h"
#include "test-db.h"

#define AGENT_1 "10000000-0000-4000-8000-000000000001"
#define DAY     (24 * 3600 * G_GINT64_CONSTANT (1000))

typedef struct {
  AssayStore       *store;
  AssayContext     *context;
  GtkWindow        *window;
  AssayOverduePage *page;
} Ui;

static gboolean
context_ready (gpointer data)
{
  return assay_context_get_ready (data);
}

static void
ui_open (Ui *ui)
{
  ui->store = test_db_new (6);
  ui->context = assay_context_new (ui->store, NULL);
  assay_context_load_async (ui->context, NULL, NULL, NULL);
  test_wait_until (context_ready, ui->context, 10);
  ui->window = GTK_WINDOW (gtk_window_new ());
  ui->page = g_object_new (ASSAY_TYPE_OVERDUE_PAGE, "context", ui->context, NULL);
  gtk_window_set_child (ui->window, GTK_WIDGET (ui->page));
  gtk_window_present (ui->window);
}

static void
ui_close (Ui *ui)
{
  gtk_window_destroy (ui->window);
  g_clear_object (&ui->context);
  g_clear_object (&ui->store);
}

typedef struct {
  AssayOverduePage *page;
  const char       *state;
  guint             n;
} Want;

static gboolean
page_shows (gpointer data)
{
  Want *w = data;

  return g_strcmp0 (_assay_overdue_page_get_state (w->page), w->state) == 0
         && _assay_overdue_page_get_n_rows (w->page) == w->n;
}

typedef struct {
  gboolean done;
  gint64   count;
} Count;

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Count *c = user_data;
  g_autoptr(GError) error = NULL;

  c->count = assay_place_count_finish (ASSAY_CONTEXT (source), result, &error);
  g_assert_no_error (error);
  c->done = TRUE;
}

static gboolean
count_done (gpointer data)
{
  return ((Count *) data)->done;
}

/* Nothing due: the designed empty state; an action past due reaches the list and the badge's
 * count through the store's change; done, it leaves both. */
static void
test_list_and_count (void)
{
  Ui ui = { 0 };
  Want w = { 0 };
  Count c = { 0 };
  g_autoptr(GError) error = NULL;
  AssayCoachingSessionSpec spec = { AGENT_1, NULL, NULL, NULL, assay_now_ms (), "ID" };
  g_autofree char *session = NULL;
  g_autofree char *action = NULL;

  ui_open (&ui);
  w.page = ui.page;
  w.state = "empty";
  test_wait_until (page_shows, &w, 10);

  spec.coach_id = assay_context_get_me (ui.context)->id;
  session = assay_store_create_coaching_session_sync (ui.store, &spec, &error);
  g_assert_no_error (error);
  action = assay_store_add_coaching_action_sync (ui.store, session, "Listen to two calls",
                                                 "agent", assay_now_ms () - 3 * DAY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assay_store_add_coaching_action_sync (ui.store, session, "Not yet", "agent",
                                                          assay_now_ms () + 3 * DAY, &error));
  w.state = "list";
  w.n = 1;
  test_wait_until (page_shows, &w, 10);
  assay_overdue_count (ui.context, NULL, counted_cb, &c);
  test_wait_until (count_done, &c, 10);
  g_assert_cmpint (c.count, ==, 1);

  g_assert_true (assay_store_set_coaching_action_done_sync (ui.store, action, TRUE, &error));
  w.state = "empty";
  w.n = 0;
  test_wait_until (page_shows, &w, 10);
  ui_close (&ui);
}

static AssayOverdueRecord *
due (gint64 ms)
{
  AssayOverdueRecord *r = g_new0 (AssayOverdueRecord, 1);

  r->kind = g_strdup ("training");
  r->due_at = ms;
  return r;
}

static gint64
utc (int d, int h)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (2026, 12, d, h, 0, 0);

  return g_date_time_to_unix (t) * 1000;
}

/* What the daily notification counts as "became overdue today": due yesterday by the local
 * calendar (Asia/Shanghai here, UTC+8), not UTC's. */
static void
test_new_today (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) now = g_date_time_new (shanghai, 2026, 12, 8, 0, 30, 0);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              assay_overdue_record_free);

  g_assert_nonnull (shanghai);
  g_ptr_array_add (list, due (utc (7, 15)));   /* 23:00 on the 7th in Shanghai: yes */
  g_ptr_array_add (list, due (utc (7, 10)));   /* 18:00 on the 7th: yes */
  g_ptr_array_add (list, due (utc (6, 20)));   /* 04:00 on the 7th (the 6th in UTC): yes */
  g_ptr_array_add (list, due (utc (6, 15)));   /* 23:00 on the 6th: overdue since yesterday */
  g_assert_cmpuint (assay_overdue_count_new_today (list, now), ==, 3);
  g_assert_cmpuint (assay_overdue_count_new_today (NULL, now), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/overdue-ui/list-and-count", test_list_and_count);
  g_test_add_func ("/overdue-ui/new-today", test_new_today);
  return g_test_run ();
}
