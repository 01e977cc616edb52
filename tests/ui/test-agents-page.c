/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/assay-directory.h"
#include "assay-context.h"
#include "core/assay-util.h"
#include "pages/assay-agents-page-private.h"
#include "test-db.h"

#define HOUR_MS G_GINT64_CONSTANT (3600000)
#define DAY_MS  (24 * HOUR_MS)

/*
 * Teams Billing (lead Li Na) and Sales; Zhang Wei and 王芳 in Billing, Oliver Grant (inactive)
 * in Sales, Nobody Yet in no team. Zhang Wei's contacts, back from now:
 *   i1  1 h  phone  talk 300 hold 20 wrap 40  CSAT 5  NPS 10  FCR 1  in SL
 *   i2  2 d  phone  talk 200 wrap 40          CSAT 3  NPS 6   FCR 0  not in SL
 *   i3  3 d  phone  abandoned
 *   i4  4 d  chat   talk 600 wrap 60          CSAT 4  NPS 8   FCR 1
 *   i5 10 d  email  wrap 300                  CSAT 2
 *   i6 40 d  phone  talk 100                  CSAT 1
 * and 王芳's i7, 1 d, phone, CSAT 1, NPS 0, in SL.
 */
static AssayStore *
fixture_store (gboolean with_data)
{
  g_autofree char *path = test_db_path ();
  g_autoptr(AssayStore) store = assay_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 now = assay_now_ms ();

  g_assert_true (assay_store_open_sync (store, &error));
  g_assert_no_error (error);
  if (!with_data)
    return g_steal_pointer (&store);

  test_db_exec (store,
    "INSERT INTO staff (id, name) VALUES ('s1', 'Li Na');"
    "INSERT INTO team (id, name, lead_id) VALUES ('t1', 'Billing', 's1'), ('t2', 'Sales', NULL);"
    "INSERT INTO agent (id, team_id, name, employee_code, active) VALUES"
    "  ('a1', 't1', 'Zhang Wei', 'E001', 1), ('a2', 't1', '王芳', 'E002', 1),"
    "  ('a3', 't2', 'Oliver Grant', 'E003', 0), ('a4', NULL, 'Nobody Yet', 'E004', 1);");
  sql = g_strdup_printf (
    "INSERT INTO interaction (id, channel, queue, agent_id, team_id, started_at, talk_s, hold_s,"
    "  wrap_s, csat, nps, fcr, answered_in_sl, abandoned) VALUES"
    " ('i1', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT ", 300, 20, 40, 5, 10, 1, 1, 0),"
    " ('i2', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT ", 200, 0, 40, 3, 6, 0, 0, 0),"
    " ('i3', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT ", 0, 0, 0, NULL, NULL, NULL, NULL, 1),"
    " ('i4', 'chat', 'Web', 'a1', 't1', %" G_GINT64_FORMAT ", 600, 0, 60, 4, 8, 1, NULL, 0),"
    " ('i5', 'email', 'Mail', 'a1', 't1', %" G_GINT64_FORMAT ", 0, 0, 300, 2, NULL, NULL, NULL, 0),"
    " ('i6', 'phone', 'Billing', 'a1', 't1', %" G_GINT64_FORMAT ", 100, 0, 0, 1, NULL, NULL, NULL, 0),"
    " ('i7', 'phone', 'Billing', 'a2', 't1', %" G_GINT64_FORMAT ", 100, 0, 0, 1, 0, NULL, 1, 0);",
    now - HOUR_MS, now - 2 * DAY_MS, now - 3 * DAY_MS, now - 4 * DAY_MS, now - 10 * DAY_MS,
    now - 40 * DAY_MS, now - DAY_MS);
  test_db_exec (store, sql);
  return g_steal_pointer (&store);
}

typedef struct {
  GtkWindow       *window;
  AssayAgentsPage *page;
} Ui;

static gboolean
page_idle (gpointer data)
{
  AssayAgentsPage *page = data;
  const char *state = _assay_agents_page_get_directory_state (page);

  return !assay_agents_page_get_busy (page) && g_strcmp0 (state, "loading") != 0;
}

static void
wait_idle (AssayAgentsPage *page)
{
  test_wait_until (page_idle, page, 10);
}

static gboolean
interactions_ready (gpointer data)
{
  AssayInteractionModel *model = assay_interaction_list_get_model (data);

  return model != NULL && !assay_interaction_model_get_loading (model);
}

static guint
n_interactions (AssayAgentsPage *page)
{
  AssayInteractionList *list = _assay_agents_page_get_interactions (page);

  test_wait_until (interactions_ready, list, 10);
  return g_list_model_get_n_items (G_LIST_MODEL (assay_interaction_list_get_model (list)));
}

static void
ui_open_sized (Ui         *ui,
               AssayStore *store,
               int         width,
               int         height)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  ui->window = GTK_WINDOW (gtk_window_new ());
  ui->page = g_object_new (ASSAY_TYPE_AGENTS_PAGE, "context", context, NULL);
  gtk_window_set_default_size (ui->window, width, height);
  gtk_window_set_child (ui->window, GTK_WIDGET (ui->page));
  gtk_window_present (ui->window);
  wait_idle (ui->page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui->window));
}

static void
ui_open (Ui         *ui,
         AssayStore *store,
         int         width)
{
  ui_open_sized (ui, store, width, 700);
}

static void
ui_close (Ui *ui)
{
  g_object_ref (ui->page);
  gtk_window_set_child (ui->window, NULL);
  gtk_window_destroy (ui->window);
  g_assert_finalize_object (ui->page);
}

/* The rows as "T:name" and "A:name", joined by commas. */
static char *
rows_text (AssayAgentsPage *page)
{
  GListModel *rows = _assay_agents_page_get_rows (page);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (rows, i);

      if (i > 0)
        g_string_append_c (text, ',');
      if (ASSAY_IS_TEAM (row))
        g_string_append_printf (text, "T:%s", assay_team_get_name (ASSAY_TEAM (row)));
      else
        g_string_append_printf (text, "A:%s", assay_agent_get_name (ASSAY_AGENT (row)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static guint
row_position (AssayAgentsPage *page,
              const char      *name)
{
  GListModel *rows = _assay_agents_page_get_rows (page);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (rows, i);
      const char *row_name = ASSAY_IS_TEAM (row) ? assay_team_get_name (ASSAY_TEAM (row))
                                                 : assay_agent_get_name (ASSAY_AGENT (row));

      if (g_strcmp0 (row_name, name) == 0)
        return i;
    }
  g_assert_not_reached ();
}

static void
assert_card (AssayAgentsPage *page,
             const char      *kpi,
             const char      *value,
             const char      *caption)
{
  AssayFigureCard *card = _assay_agents_page_get_card (page, kpi);

  g_test_message ("%s: %s (%s)", kpi, assay_figure_card_get_value (card),
                  assay_figure_card_get_caption (card));
  g_assert_cmpstr (assay_figure_card_get_value (card), ==, value);
  g_assert_cmpstr (assay_figure_card_get_caption (card), ==, caption);
  /* every figure says what it means */
  g_assert_nonnull (assay_figure_card_get_definition (card));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (card)), ==,
                   assay_figure_card_get_definition (card));
}

static void
search (AssayAgentsPage *page,
        const char      *text)
{
  /* the entry reports changes after a short delay; don't wait for it */
  gtk_editable_set_text (_assay_agents_page_get_search_entry (page), text);
  g_signal_emit_by_name (_assay_agents_page_get_search_entry (page), "search-changed");
}

static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type, css_class);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_directory_and_search (void)
{
  g_autoptr(AssayStore) store = fixture_store (TRUE);
  g_autofree char *all = NULL;
  Ui ui;

  ui_open (&ui, store, 1100);
  g_assert_cmpstr (_assay_agents_page_get_directory_state (ui.page), ==, "list");
  g_assert_cmpstr (_assay_agents_page_get_detail_state (ui.page), ==, "none");

  /* teams by name, each followed by its agents; the agents of no team last */
  all = rows_text (ui.page);
  g_assert_cmpstr (all, ==, "T:Billing,A:Zhang Wei,A:王芳,T:Sales,A:Oliver Grant,"
                            "T:No Team,A:Nobody Yet");

  /* by name, case-insensitively; a team shows with its matching agents only */
  search (ui.page, "ZHANG");
  {
    g_autofree char *text = rows_text (ui.page);
    g_assert_cmpstr (text, ==, "T:Billing,A:Zhang Wei");
  }
  /* by employee code */
  search (ui.page, "e003");
  {
    g_autofree char *text = rows_text (ui.page);
    g_assert_cmpstr (text, ==, "T:Sales,A:Oliver Grant");
  }
  /* Chinese, by a part of the name */
  search (ui.page, "芳");
  {
    g_autofree char *text = rows_text (ui.page);
    g_assert_cmpstr (text, ==, "T:Billing,A:王芳");
  }
  /* a team's name shows the whole team */
  search (ui.page, "billing");
  {
    g_autofree char *text = rows_text (ui.page);
    g_assert_cmpstr (text, ==, "T:Billing,A:Zhang Wei,A:王芳");
  }
  /* nothing found says so */
  search (ui.page, "nobody by that name");
  g_assert_cmpuint (g_list_model_get_n_items (_assay_agents_page_get_rows (ui.page)), ==, 0);
  g_assert_cmpstr (_assay_agents_page_get_directory_state (ui.page), ==, "no-results");
  search (ui.page, "");
  {
    g_autofree char *text = rows_text (ui.page);
    g_assert_cmpstr (text, ==, all);
  }
  /* Ctrl+F: to the search entry */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "agents.search", NULL));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (ui.window)),
                                         GTK_WIDGET (_assay_agents_page_get_search_entry (ui.page))));
  g_assert_cmpstr (_assay_agents_page_get_directory_state (ui.page), ==, "list");

  /* the team rows get their figures */
  {
    g_autoptr(GObject) billing = g_list_model_get_item (_assay_agents_page_get_rows (ui.page), 0);
    const AssayKpiCounts *counts = assay_team_get_counts (ASSAY_TEAM (billing));

    g_assert_nonnull (counts);
    g_assert_cmpint (counts->contacts, ==, 6);   /* i1–i5 and i7 in the last 30 days */
    g_assert_cmpstr (assay_team_get_lead_name (ASSAY_TEAM (billing)), ==, "Li Na");
  }
  {
    g_autoptr(GObject) zhang = g_list_model_get_item (_assay_agents_page_get_rows (ui.page), 1);
    g_assert_cmpuint (assay_agent_get_recent_contacts (ASSAY_AGENT (zhang)), ==, 5);
  }

  ui_close (&ui);
}

static void
test_agent_figures (void)
{
  g_autoptr(AssayStore) store = fixture_store (TRUE);
  Ui ui;

  ui_open (&ui, store, 1100);
  g_assert_cmpint (assay_agents_page_get_period_days (ui.page), ==, 30);

  _assay_agents_page_select_row (ui.page, row_position (ui.page, "Zhang Wei"));
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_agents_page_get_detail_state (ui.page), ==, "detail");
  g_assert_cmpstr (_assay_agents_page_get_title (ui.page), ==, "Zhang Wei");

  /* the last 30 days: i1–i5 */
  assert_card (ui.page, "contacts", "5", "4\u00a0handled · 1\u00a0abandoned");
  assert_card (ui.page, "csat", "50 %", "of 4 answers");             /* 5 3 4 2 */
  assert_card (ui.page, "nps", "0", "of 3 answers");                 /* 10 6 8 */
  assert_card (ui.page, "fcr", "67 %", "of 3 contacts with a known outcome");
  assert_card (ui.page, "aht-phone", "5:00", "over 2 calls");        /* 360, 240 */
  assert_card (ui.page, "aht-written", "8:00", "over 2 contacts");   /* 660, 300 */
  assert_card (ui.page, "service-level", "33 %", "of 3 calls offered");
  /* too few answers for a colour cue */
  g_assert_cmpint (assay_figure_card_get_level (_assay_agents_page_get_card (ui.page, "csat")),
                   ==, ASSAY_KPI_LEVEL_NONE);
  g_assert_cmpuint (n_interactions (ui.page), ==, 5);

  /* the last 7 days: i1–i4 */
  assay_agents_page_set_period_days (ui.page, 7);
  wait_idle (ui.page);
  assert_card (ui.page, "contacts", "4", "3\u00a0handled · 1\u00a0abandoned");
  assert_card (ui.page, "csat", "67 %", "of 3 answers");
  assert_card (ui.page, "aht-written", "11:00", "over 1 contact");
  g_assert_cmpuint (n_interactions (ui.page), ==, 4);

  /* the last 90 days: i1–i6; five answers, 40 % satisfied, is low */
  assay_agents_page_set_period_days (ui.page, 90);
  wait_idle (ui.page);
  assert_card (ui.page, "contacts", "6", "5\u00a0handled · 1\u00a0abandoned");
  assert_card (ui.page, "csat", "40 %", "of 5 answers");
  g_assert_cmpint (assay_figure_card_get_level (_assay_agents_page_get_card (ui.page, "csat")),
                   ==, ASSAY_KPI_LEVEL_LOW);
  g_assert_cmpuint (n_interactions (ui.page), ==, 6);

  /* an agent with nothing in the period: no data, not 0 % */
  assay_agents_page_set_period_days (ui.page, 30);
  assay_agents_page_show_agent (ui.page, "a3");
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_agents_page_get_title (ui.page), ==, "Oliver Grant");
  assert_card (ui.page, "contacts", "0", "None in this period");
  assert_card (ui.page, "csat", NULL, "No survey answers");
  assert_card (ui.page, "service-level", NULL, "No calls offered");
  assert_card (ui.page, "aht-phone", NULL, "No handled calls");

  /* a team's page */
  _assay_agents_page_select_row (ui.page, row_position (ui.page, "Billing"));
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_agents_page_get_title (ui.page), ==, "Billing");
  assert_card (ui.page, "contacts", "6", "5\u00a0handled · 1\u00a0abandoned");
  assert_card (ui.page, "csat", "40 %", "of 5 answers");             /* 5 3 4 2 and 王芳's 1 */
  assert_card (ui.page, "service-level", "50 %", "of 4 calls offered");
  g_assert_cmpuint (n_interactions (ui.page), ==, 6);

  /* reloading keeps the page on show */
  assay_agents_page_reload (ui.page);
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_agents_page_get_detail_state (ui.page), ==, "detail");
  g_assert_cmpstr (_assay_agents_page_get_title (ui.page), ==, "Billing");

  ui_close (&ui);
}

static gboolean
leaflet_shows (gpointer data)
{
  const char **args = data;
  AdwLeaflet *leaflet = ADW_LEAFLET (find_descendant (GTK_WIDGET (args[0]), ADW_TYPE_LEAFLET,
                                                      NULL));

  return g_strcmp0 (adw_leaflet_get_visible_child_name (leaflet), args[1]) == 0;
}

/* A narrow window shows the list or the agent, with a way back that keeps the list's place. */
static void
test_narrow (void)
{
  g_autoptr(AssayStore) store = fixture_store (TRUE);
  const char *detail[] = { NULL, "detail" };
  const char *directory[] = { NULL, "directory" };
  AdwLeaflet *leaflet;
  GtkAdjustment *vadj;
  double scrolled;
  Ui ui;

  ui_open_sized (&ui, store, 360, 300);
  detail[0] = directory[0] = (const char *) ui.page;
  leaflet = ADW_LEAFLET (find_descendant (GTK_WIDGET (ui.page), ADW_TYPE_LEAFLET, NULL));
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "directory");

  /* scroll the list down, then open the last agent */
  vadj = gtk_scrollable_get_vadjustment (
    GTK_SCROLLABLE (find_descendant (GTK_WIDGET (ui.page), GTK_TYPE_LIST_VIEW, "directory")));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadj), >, gtk_adjustment_get_page_size (vadj));
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
  scrolled = gtk_adjustment_get_value (vadj);
  g_assert_cmpfloat (scrolled, >, 0);

  _assay_agents_page_select_row (ui.page, row_position (ui.page, "Nobody Yet"));
  test_wait_until (leaflet_shows, detail, 10);
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_agents_page_get_title (ui.page), ==, "Nobody Yet");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui.window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "agents.back", NULL));
  test_wait_until (leaflet_shows, directory, 10);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui.window));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, scrolled);

  /* the same row opens again, by a click or by Return */
  _assay_agents_page_select_row (ui.page, row_position (ui.page, "Nobody Yet"));
  test_wait_until (leaflet_shows, detail, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "agents.back", NULL));
  test_wait_until (leaflet_shows, directory, 10);
  g_signal_emit_by_name (find_descendant (GTK_WIDGET (ui.page), GTK_TYPE_LIST_VIEW, "directory"),
                         "activate", row_position (ui.page, "Nobody Yet"));
  test_wait_until (leaflet_shows, detail, 10);
  /* and so does another */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "agents.back", NULL));
  test_wait_until (leaflet_shows, directory, 10);
  _assay_agents_page_select_row (ui.page, row_position (ui.page, "王芳"));
  test_wait_until (leaflet_shows, detail, 10);
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_agents_page_get_title (ui.page), ==, "王芳");
  assert_card (ui.page, "csat", "0 %", "of 1 answer");

  ui_close (&ui);
}

static void
test_empty (void)
{
  g_autoptr(AssayStore) store = fixture_store (FALSE);
  Ui ui;

  ui_open (&ui, store, 800);
  g_assert_cmpstr (_assay_agents_page_get_directory_state (ui.page), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (_assay_agents_page_get_rows (ui.page)), ==, 0);
  ui_close (&ui);
}

static void
test_error (void)
{
  g_autoptr(AssayStore) store = fixture_store (TRUE);
  Ui ui;

  /* a store that went away: the page says so and offers to try again */
  assay_store_close (store);
  ui_open (&ui, store, 800);
  g_assert_cmpstr (_assay_agents_page_get_directory_state (ui.page), ==, "error");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "agents.reload", NULL));
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_agents_page_get_directory_state (ui.page), ==, "error");
  ui_close (&ui);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_figure_card (void)
{
  GtkWidget *window = gtk_window_new ();
  AssayFigureCard *card = ASSAY_FIGURE_CARD (assay_figure_card_new ());
  guint notified = 0;

  g_signal_connect_swapped (card, "notify::value", G_CALLBACK (count_cb), &notified);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (card));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  g_object_set (card, "title", "CSAT", "value", "84 %", "caption", "of 212 answers",
                "definition", "Share of answers 4–5.", "level", ASSAY_KPI_LEVEL_HIGH, NULL);
  g_assert_cmpstr (assay_figure_card_get_title (card), ==, "CSAT");
  g_assert_cmpstr (assay_figure_card_get_value (card), ==, "84 %");
  g_assert_cmpstr (assay_figure_card_get_caption (card), ==, "of 212 answers");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (card)), ==, "Share of answers 4–5.");
  g_assert_cmpint (assay_figure_card_get_level (card), ==, ASSAY_KPI_LEVEL_HIGH);
  g_assert_cmpuint (notified, ==, 1);
  assay_figure_card_set_value (card, "84 %");
  g_assert_cmpuint (notified, ==, 1);

  /* no value shows a dash, never 0 */
  assay_figure_card_set_value (card, NULL);
  g_assert_null (assay_figure_card_get_value (card));
  g_assert_cmpuint (notified, ==, 2);
  gtk_test_widget_wait_for_draw (window);

  g_object_ref (card);
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (card);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/figure-card/properties", test_figure_card);
  g_test_add_func ("/ui/agents-page/directory-and-search", test_directory_and_search);
  g_test_add_func ("/ui/agents-page/agent-figures", test_agent_figures);
  g_test_add_func ("/ui/agents-page/narrow", test_narrow);
  g_test_add_func ("/ui/agents-page/empty", test_empty);
  g_test_add_func ("/ui/agents-page/error", test_error);
  return g_test_run ();
}
