/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Signing in and syncing from the app, against the real assay-central on 127.0.0.1 port 0:
 * Preferences → Central Service (password, wrong password, the server's slow-down, a pasted
 * token, no keyring → this session only), the context's engine and the server's roles in the
 * sidebar, and the Sync page (not signed in, signed in, Sync Now). The session bus is a private
 * one with no Secret Service on it, so the "no keyring" path is the one taken.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "central-test.h"
#include "assay-context-sync.h"
#include "sync/assay-sync-engine.h"
#include "assay-window.h"
#include "pages/assay-sync-page.h"
#include "widgets/assay-sync-prefs-group.h"
#include "test-db.h"

#define PASSWORD "correct horse battery"

static struct {
  char          *dir;
  char          *data;
  CentralServer *server;
  char          *manager_token;
} centre;

typedef struct {
  AssayStore   *store;
  AssayContext *context;
  AssayWindow  *window;
  GtkWidget    *prefs;        /* a window holding the Central Service group */
  GtkWidget    *group;
} Ui;

static gboolean
window_ready (gpointer data)
{
  return g_strcmp0 (assay_window_get_view (data), "pages") == 0;
}

static void
ui_open (Ui *ui)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "roles");
  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "sync-server");
  g_settings_reset (settings, "sync-login");
  ui->store = test_db_new (5);
  ui->context = assay_context_new (ui->store, NULL);
  ui->window = assay_window_new (NULL, ui->context);
  gtk_window_set_default_size (GTK_WINDOW (ui->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (ui->window));
  test_wait_until (window_ready, ui->window, 30);

  ui->prefs = gtk_window_new ();
  ui->group = assay_sync_prefs_group_new (ui->context);
  gtk_window_set_child (GTK_WINDOW (ui->prefs), ui->group);
  gtk_window_present (GTK_WINDOW (ui->prefs));
}

static void
ui_close (Ui *ui)
{
  assay_context_sign_out (ui->context);
  gtk_window_destroy (GTK_WINDOW (ui->prefs));
  gtk_window_destroy (GTK_WINDOW (ui->window));
  g_clear_object (&ui->context);
  g_clear_object (&ui->store);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
named (GtkWidget  *root,
       const char *name)
{
  GtkWidget *w = find_named (root, name);

  g_assert_nonnull (w);
  return w;
}

static void
type_text (Ui         *ui,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (named (ui->group, name)), text);
}

static void
click (Ui         *ui,
       const char *name)
{
  g_signal_emit_by_name (named (ui->group, name), "clicked");
}

static const char *
message (Ui *ui)
{
  return assay_sync_prefs_group_get_message (ASSAY_SYNC_PREFS_GROUP (ui->group));
}

static gboolean
message_set (gpointer data)
{
  Ui *ui = data;

  return *message (ui) != '\0' && gtk_widget_get_sensitive (named (ui->group, "sign-in-token"));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
account_known (gpointer data)
{
  AssaySyncEngine *engine = assay_context_get_sync_engine (((Ui *) data)->context);

  return engine != NULL && assay_sync_engine_get_account (engine) != NULL;
}

static gboolean
synced_once (gpointer data)
{
  AssaySyncEngine *engine = assay_context_get_sync_engine (((Ui *) data)->context);

  return engine != NULL && assay_sync_engine_get_last_sync (engine) > 0
         && assay_sync_engine_get_state (engine) != ASSAY_SYNC_STATE_SYNCING;
}

/* No keyring on this bus: the app says so, and the user keeps the sign-in for the session. */
static void
keep_for_session (Ui *ui)
{
  AdwMessageDialog *dialog;

  test_wait_until (dialog_shown, NULL, 30);
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "keyring"));
  g_assert_null (assay_context_get_sync_engine (ui->context));
  adw_message_dialog_response (dialog, "session");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_nonnull (assay_context_get_sync_engine (ui->context));
}

static AssaySyncPage *
sync_page (Ui *ui)
{
  assay_window_show_page (ui->window, "sync");
  g_assert_cmpstr (assay_window_get_page (ui->window), ==, "sync");
  return ASSAY_SYNC_PAGE (assay_window_get_page_widget (ui->window, "sync"));
}

/* Not signed in: the Sync page is a status page that offers Preferences; Sync Now leads there. */
static void
test_signed_out (void)
{
  Ui ui = { NULL };
  AssaySyncPage *page;
  g_auto(GStrv) places = NULL;

  ui_open (&ui);
  places = assay_window_list_places (ui.window);
  g_assert_true (g_strv_contains ((const char * const *) places, "sync"));
  g_assert_null (assay_context_get_sync_engine (ui.context));
  page = sync_page (&ui);
  g_assert_cmpstr (assay_sync_page_get_view (page), ==, "signed-out");
  g_assert_true (gtk_widget_get_visible (named (ui.group, "password")));
  g_assert_false (gtk_widget_get_visible (named (ui.group, "account")));

  /* a non-loopback address over plain HTTP is refused with a sentence, before any request */
  type_text (&ui, "server", "http://qa.example.org");
  type_text (&ui, "login", "inspector");
  type_text (&ui, "password", PASSWORD);
  click (&ui, "sign-in");
  test_wait_until (message_set, &ui, 10);
  g_assert_nonnull (strstr (message (&ui), "HTTPS"));
  g_assert_null (assay_context_get_sync_engine (ui.context));
  ui_close (&ui);
}

/* A wrong password says so; three in a row, and the server's slow-down is shown with its wait. */
static void
test_wrong_password (void)
{
  Ui ui = { NULL };

  ui_open (&ui);
  type_text (&ui, "server", centre.server->base);
  type_text (&ui, "login", "lead");
  type_text (&ui, "password", "not the password");
  for (guint i = 0; i < 3; i++)
    {
      click (&ui, "sign-in");
      test_wait_until (message_set, &ui, 30);
      if (i < 2)
        {
          g_assert_cmpstr (message (&ui), ==, "The login or the password is wrong.");
          gtk_label_set_text (GTK_LABEL (named (ui.group, "message")), "");
        }
    }
  /* the third failure starts the server's wait: the message counts it down, Sign In waits */
  g_assert_nonnull (strstr (message (&ui), "Try again in"));
  g_assert_false (gtk_widget_get_sensitive (named (ui.group, "sign-in")));
  g_assert_null (assay_context_get_sync_engine (ui.context));
  ui_close (&ui);
}

/* The password signs in; "me" and the roles become the server's; the page shows the sync. */
static void
test_password (void)
{
  Ui ui = { NULL };
  AssaySyncPage *page;
  g_autoptr(AssaySyncAccount) account = NULL;
  g_auto(GStrv) places = NULL;
  g_autofree char *login = NULL;
  g_autofree char *local_me = NULL;

  ui_open (&ui);
  local_me = g_strdup (assay_context_get_me (ui.context)->id);
  g_assert_true (assay_context_has_role (ui.context, ASSAY_ROLE_MANAGER));
  type_text (&ui, "server", centre.server->base);
  type_text (&ui, "login", "inspector");
  type_text (&ui, "password", PASSWORD);
  click (&ui, "sign-in");
  keep_for_session (&ui);
  test_wait_until (account_known, &ui, 30);
  /* a copy: the engine replaces its account with each session it reads */
  account = assay_sync_account_copy (assay_sync_engine_get_account (assay_context_get_sync_engine (ui.context)));
  g_assert_cmpstr (account->login, ==, "inspector");
  /* the server's account is "me", with its roles only: no People for an inspector */
  g_assert_cmpint (assay_context_get_roles (ui.context), ==, ASSAY_ROLE_INSPECTOR);
  g_assert_cmpstr (assay_context_get_me (ui.context)->id, ==, account->user_id);
  places = assay_window_list_places (ui.window);
  g_assert_false (g_strv_contains ((const char * const *) places, "agents"));
  g_assert_true (g_strv_contains ((const char * const *) places, "sync"));
  /* the token is nowhere but in memory; the settings keep only where and who */
  login = g_settings_get_string (assay_context_get_settings (ui.context), "sync-login");
  g_assert_cmpstr (login, ==, "inspector");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (ui.group, "password"))), ==, "");
  g_assert_true (gtk_widget_get_visible (named (ui.group, "account")));

  page = sync_page (&ui);
  g_assert_cmpstr (assay_sync_page_get_view (page), ==, "signed-in");
  test_wait_until (synced_once, &ui, 60);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (named (GTK_WIDGET (page), "account"))),
                   ==, account->name);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (named (GTK_WIDGET (page), "roles"))),
                   ==, "Inspector");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (named (GTK_WIDGET (page), "server"))),
                   ==, centre.server->base);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (named (GTK_WIDGET (page), "last-sync"))),
                   !=, "Never");
  g_assert_false (gtk_widget_get_visible (named (GTK_WIDGET (page), "error")));

  /* signing out: local again, the settings' roles, the page back to its status page */
  click (&ui, "sign-out");
  g_assert_null (assay_context_get_sync_engine (ui.context));
  g_assert_true (assay_context_has_role (ui.context, ASSAY_ROLE_MANAGER));
  g_assert_cmpstr (assay_context_get_me (ui.context)->id, ==, local_me);
  g_assert_cmpstr (assay_sync_page_get_view (page), ==, "signed-out");
  /* and the sidebar has the settings' places again: People for a manager */
  g_strfreev (places);
  places = assay_window_list_places (ui.window);
  g_assert_true (g_strv_contains ((const char * const *) places, "agents"));
  g_assert_true (g_strv_contains ((const char * const *) places, "sync"));
  ui_close (&ui);
}

/* A token an administrator made: the server says whose it is; a wrong one is refused. */
static void
test_token (void)
{
  Ui ui = { NULL };

  ui_open (&ui);
  type_text (&ui, "server", centre.server->base);
  type_text (&ui, "token", "ast_not-a-token");
  click (&ui, "sign-in-token");
  test_wait_until (message_set, &ui, 30);
  g_assert_nonnull (strstr (message (&ui), "does not accept this token"));
  g_assert_null (assay_context_get_sync_engine (ui.context));

  type_text (&ui, "token", centre.manager_token);
  click (&ui, "sign-in-token");
  keep_for_session (&ui);
  test_wait_until (account_known, &ui, 30);
  g_assert_cmpstr (assay_sync_engine_get_account (assay_context_get_sync_engine (ui.context))->login,
                   ==, "manager");
  g_assert_cmpint (assay_context_get_roles (ui.context), ==, ASSAY_ROLE_MANAGER);
  ui_close (&ui);
}

typedef struct {
  Ui     *ui;
  gint64  before;
} SyncWait;

static gboolean
synced_again (gpointer data)
{
  SyncWait *w = data;
  AssaySyncEngine *engine = assay_context_get_sync_engine (w->ui->context);

  return assay_sync_engine_get_last_sync (engine) > w->before
         && assay_sync_engine_get_state (engine) == ASSAY_SYNC_STATE_IDLE;
}

/* Sync Now (app.sync-now, Ctrl+R) runs a cycle, and the Sync page shows it. */
static void
test_sync_now (void)
{
  Ui ui = { NULL };
  AssaySyncPage *page;
  SyncWait w = { &ui, 0 };
  GtkWidget *state_row;

  ui_open (&ui);
  type_text (&ui, "server", centre.server->base);
  type_text (&ui, "token", centre.manager_token);
  click (&ui, "sign-in-token");
  keep_for_session (&ui);
  page = sync_page (&ui);
  test_wait_until (synced_once, &ui, 60);
  w.before = assay_sync_engine_get_last_sync (assay_context_get_sync_engine (ui.context));
  state_row = named (GTK_WIDGET (page), "sync-state");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (state_row)), ==, "Up to date");

  assay_context_sync_now (ui.context);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (state_row)), ==, "Syncing…");
  test_wait_until (synced_again, &w, 60);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (state_row)), ==, "Up to date");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (named (GTK_WIDGET (page), "pending"))),
                   ==, "0 operations waiting to be sent");
  g_assert_cmpuint (assay_sync_page_get_n_conflicts (page), ==, 0);
  ui_close (&ui);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  g_autofree char *empty = NULL;
  g_autofree char *forms = NULL;
  g_autofree char *out = NULL;
  int rc;

  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  /* GTestDBus unsets DISPLAY (for X11 autolaunch); the widgets need it */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  centre.dir = central_new_dir ();
  centre.data = g_build_filename (centre.dir, "data", NULL);
  empty = g_build_filename (centre.dir, "no-recordings", NULL);
  g_mkdir (empty, 0700);
  forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms", NULL);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "seed", "--interactions", "60",
                                "--days", "7", "--recordings", empty, "--forms", forms, NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, PASSWORD "\n", NULL, NULL, "user", "password",
                                "inspector", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, PASSWORD "\n", NULL, NULL, "user", "password",
                                "lead", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", "manager", NULL), ==, 0);
  centre.manager_token = g_strdup (g_strstrip (out));
  centre.server = central_server_start (centre.data, NULL);

  g_test_add_func ("/sync-ui/signed-out", test_signed_out);
  g_test_add_func ("/sync-ui/wrong-password", test_wrong_password);
  g_test_add_func ("/sync-ui/password", test_password);
  g_test_add_func ("/sync-ui/token", test_token);
  g_test_add_func ("/sync-ui/sync-now", test_sync_now);
  rc = g_test_run ();

  central_server_stop (centre.server);
  central_remove_dir (centre.dir);
  g_free (centre.dir);
  g_free (centre.data);
  g_free (centre.manager_token);
  g_test_dbus_stop (bus);
  return rc;
}
