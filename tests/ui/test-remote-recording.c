/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Recordings on demand in the app, against the real assay-central on 127.0.0.1 port 0: a
 * contact whose recording is only on the central service plays in the review workspace from
 * the recording cache's partial file (a growing file) before the whole file has arrived; the
 * waveform follows once it is complete and checked; a second opening plays the cached file
 * without a request; a contact the server has no recording of shows its facts; not signed in,
 * nothing is fetched. The session bus has no Secret Service: the sign-in is kept for the session.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "central-test.h"
#include "assay-context-sync.h"
#include "assay-credentials.h"
#include "assay-remote-recording.h"
#include "sync/assay-sync-engine.h"
#include "store/assay-store-sync.h"
#include "assay-window.h"
#include "pages/assay-review-page-private.h"
#include "test-db.h"

#define CALL_ID "52000000-0000-4000-8000-0000000000a1"
#define SECONDS 60

static struct {
  char          *dir;
  char          *data;
  CentralServer *server;
  char          *token;
  char          *inspector_token;
  char          *sha;
  gsize          size;
  char          *cache_dir;
} centre;

typedef struct {
  AssayStore   *store;
  AssayContext *context;
  AssayWindow  *window;
} Ui;

static gboolean
window_ready (gpointer data)
{
  return g_strcmp0 (assay_window_get_view (data), "pages") == 0;
}

static gboolean
synced_once (gpointer data)
{
  AssaySyncEngine *engine = assay_context_get_sync_engine (((Ui *) data)->context);

  return engine != NULL && assay_sync_engine_get_last_sync (engine) > 0
         && assay_sync_engine_get_state (engine) != ASSAY_SYNC_STATE_SYNCING;
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  assay_context_sign_in_finish (ASSAY_CONTEXT (source), result, NULL, error);
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "signed in");
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

static void
ui_open_as (Ui         *ui,
            gboolean    signed_in,
            const char *token)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "roles");
  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "sync-server");
  g_settings_reset (settings, "sync-login");
  ui->store = test_db_new (3);
  ui->context = assay_context_new (ui->store, NULL);
  ui->window = assay_window_new (NULL, ui->context);
  gtk_window_set_default_size (GTK_WINDOW (ui->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (ui->window));
  test_wait_until (window_ready, ui->window, 30);
  if (signed_in)
    {
      g_autoptr(GError) error = NULL;

      /* no keyring on this bus: the app asks, and the sign-in is kept for the session */
      assay_context_sign_in_async (ui->context, centre.server->base, NULL, NULL, token, NULL,
                                   sign_in_cb, &error);
      test_wait_until (error_set, &error, 30);
      g_assert_true (g_error_matches (error, ASSAY_CREDENTIALS_ERROR, ASSAY_CREDENTIALS_ERROR_NO_KEYRING));
      g_assert_true (assay_context_keep_sign_in_for_session (ui->context));
      test_wait_until (synced_once, ui, 60);
    }
}

static void
ui_open (Ui       *ui,
         gboolean  signed_in)
{
  ui_open_as (ui, signed_in, centre.token);
}

static void
ui_close (Ui *ui)
{
  assay_context_sign_out (ui->context);
  gtk_window_destroy (GTK_WINDOW (ui->window));
  g_clear_object (&ui->context);
  g_clear_object (&ui->store);
}

static gboolean
page_ready (gpointer data)
{
  return g_strcmp0 (assay_review_page_get_status (data), "loading") != 0;
}

static AssayReviewPage *
open_review (Ui         *ui,
             const char *interaction_id)
{
  AssayReviewPage *page;

  assay_window_review (ui->window, interaction_id, NULL);
  page = ASSAY_REVIEW_PAGE (assay_window_get_page_widget (ui->window, "review"));
  test_wait_until (page_ready, page, 30);
  g_assert_cmpstr (assay_review_page_get_status (page), ==, "ready");
  return page;
}

static gboolean
player_ready (gpointer data)
{
  AssayPlayerState state = assay_player_get_state (data);

  return state == ASSAY_PLAYER_STATE_PAUSED || state == ASSAY_PLAYER_STATE_ERROR;
}

static gboolean
peaks_complete (gpointer data)
{
  AssayReviewPage *page = data;

  return page->peaks != NULL && assay_peaks_get_complete (page->peaks);
}

static gboolean
remote_done (gpointer data)
{
  AssayReviewPage *page = data;

  return page->remote == NULL || assay_remote_recording_is_complete (page->remote)
         || !gtk_widget_get_visible (GTK_WIDGET (page->remote_label));
}

static gboolean
player_stack_is_not_player (gpointer data)
{
  AssayReviewPage *page = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (page->player_stack), "player") != 0;
}

/* The server's recordings object of the contact is in the store after a sync. */
static void
test_lookup (void)
{
  Ui ui = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySyncRecording) rec = NULL;
  g_autoptr(AssaySyncRecording) none = NULL;

  ui_open (&ui, TRUE);
  rec = assay_store_sync_find_recording_sync (ui.store, CALL_ID, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rec);
  g_assert_nonnull (rec->id);
  g_assert_cmpstr (rec->sha256, ==, centre.sha);
  g_assert_cmpint (rec->size, ==, (gint64) centre.size);
  none = assay_store_sync_find_recording_sync (ui.store, "52000000-0000-4000-8000-00000000ffff", &error);
  g_assert_no_error (error);
  g_assert_null (none);
  ui_close (&ui);
}

/* Played from the partial file while it arrives; then the waveform; then from the cache. */
static void
test_plays_while_arriving (void)
{
  Ui ui = { NULL };
  AssayReviewPage *page;
  AssayPlayer *player;
  g_autoptr(AssaySyncRecording) rec = NULL;
  g_autofree char *complete = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  ui_open (&ui, TRUE);
  rec = assay_store_sync_find_recording_sync (ui.store, CALL_ID, &error);
  g_assert_nonnull (rec);
  complete = g_strdup_printf ("%s/%s-%s", centre.cache_dir, rec->id, rec->sha256);
  g_assert_false (g_file_test (complete, G_FILE_TEST_EXISTS));

  page = open_review (&ui, CALL_ID);
  player = assay_review_page_get_player (page);
  g_assert_nonnull (page->remote);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->player_stack), ==, "player");
  test_wait_until (player_ready, player, 60);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PAUSED);
  /* opened as a growing file: the cache's partial file, before the whole had arrived */
  g_assert_true (g_str_has_suffix (assay_player_get_path (player), ".part"));
  g_assert_cmpint (assay_player_get_duration (player), >=, SECONDS * 1000 - 100);
  g_assert_cmpint (assay_player_get_duration (player), <=, SECONDS * 1000 + 100);

  test_wait_until (remote_done, page, 60);
  g_assert_true (assay_remote_recording_is_complete (page->remote));
  g_assert_cmpint (assay_remote_recording_get_received (page->remote), ==, (goffset) centre.size);
  /* the whole file, checked, under its SHA-256; the waveform from it */
  g_assert_true (g_file_get_contents (complete, &contents, &len, &error));
  g_assert_cmpuint (len, ==, centre.size);
  test_wait_until (peaks_complete, page, 60);
  g_assert_cmpuint (assay_peaks_get_source_channels (page->peaks), ==, 2);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->remote_label)));

  /* again: the cache has it; no partial file this time */
  open_review (&ui, CALL_ID);
  test_wait_until (player_ready, player, 60);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PAUSED);
  g_assert_cmpstr (assay_player_get_path (player), ==, complete);
  ui_close (&ui);
}

/* A contact the server has no recording of shows its facts, as without a central service. */
static void
test_no_recording (void)
{
  Ui ui = { NULL };
  AssayReviewPage *page;
  g_autofree char *dump = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GError) error = NULL;
  const char *p;

  ui_open (&ui, TRUE);
  dump = assay_store_sync_dump_sync (ui.store, "interactions", &error);
  g_assert_no_error (error);
  /* the first contact that is not the one with a recording */
  for (p = dump; p != NULL && *p != '\0'; p = strchr (p, '\n') + 1)
    {
      const char *id = strstr (p, "\"id\":\"");

      g_assert_nonnull (id);
      if (strncmp (id + 6, CALL_ID, strlen (CALL_ID)) != 0)
        {
          other = g_strndup (id + 6, 36);
          break;
        }
    }
  g_assert_nonnull (other);
  page = open_review (&ui, other);
  test_wait_until (player_stack_is_not_player, page, 30);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->player_stack), ==, "none");
  g_assert_cmpint (assay_player_get_state (assay_review_page_get_player (page)), ==,
                   ASSAY_PLAYER_STATE_EMPTY);
  ui_close (&ui);
}

/* Signed out, a contact whose recording is only on the server shows its facts: nothing is fetched. */
static void
test_signed_out (void)
{
  Ui ui = { NULL };
  AssayReviewPage *page;

  ui_open (&ui, TRUE);
  assay_context_sign_out (ui.context);
  g_assert_false (assay_remote_recording_can_fetch (ui.context));
  page = open_review (&ui, CALL_ID);
  g_assert_null (page->remote);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->player_stack), ==, "none");
  g_assert_cmpint (assay_player_get_state (assay_review_page_get_player (page)), ==,
                   ASSAY_PLAYER_STATE_EMPTY);
  ui_close (&ui);
}

static gboolean
player_stack_is_error (gpointer data)
{
  AssayReviewPage *page = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (page->player_stack), "error") == 0;
}

/* The administrator's CA file is the recordings' trust too: one that cannot be read is said,
 * and nothing is fetched. */
static void
test_bad_ca_file (void)
{
  Ui ui = { NULL };
  AssayReviewPage *page;
  GSettings *settings;

  ui_open (&ui, TRUE);
  settings = assay_context_get_settings (ui.context);
  g_settings_set_string (settings, "sync-ca-file", "/nonexistent/ca.pem");
  page = open_review (&ui, CALL_ID);
  test_wait_until (player_stack_is_error, page, 30);
  g_assert_nonnull (strstr (adw_status_page_get_description (page->player_error_page), "/nonexistent/ca.pem"));
  g_assert_cmpint (assay_player_get_state (assay_review_page_get_player (page)), ==,
                   ASSAY_PLAYER_STATE_EMPTY);
  g_settings_reset (settings, "sync-ca-file");
  ui_close (&ui);
}

static gboolean
says_saved_locally (gpointer data)
{
  return g_strcmp0 (review_page_sync_get_text (data), "Saved locally") == 0;
}

static gboolean
says_synced (gpointer data)
{
  const char *text = review_page_sync_get_text (data);

  return text != NULL && g_str_has_prefix (text, "Synced at ");
}

/* The header tells the evaluation's one sync state, live: saved locally after a change, synced
 * at T once the central service holds it; signed out, nothing (no central service to speak of). */
static void
test_sync_state (void)
{
  Ui ui = { NULL };
  AssayReviewPage *page;
  AssayScoringPanel *panel;

  ui_open_as (&ui, TRUE, centre.inspector_token);
  page = open_review (&ui, CALL_ID);
  /* nothing saved yet: no evaluation, no state */
  g_assert_null (review_page_sync_get_text (page));
  panel = assay_review_page_get_panel (page);
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_1));
  test_wait_until (says_saved_locally, page, 30);
  g_assert_cmpstr (assay_review_page_get_state (page), ==, "draft");

  assay_context_sync_now (ui.context);
  test_wait_until (says_synced, page, 60);

  /* another change: local again until the next sync */
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_Down));
  g_assert_true (assay_scoring_panel_press_key (panel, GDK_KEY_1));
  test_wait_until (says_saved_locally, page, 30);
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
  g_autofree char *csv = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *cache_home = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

  centre.dir = central_new_dir ();
  /* a cache of its own, before anything asks GLib where the cache is */
  cache_home = g_build_filename (centre.dir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  centre.cache_dir = g_build_filename (cache_home, "assay", "recordings", NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  centre.data = g_build_filename (centre.dir, "data", NULL);
  empty = g_build_filename (centre.dir, "no-recordings", NULL);
  g_mkdir (empty, 0700);
  forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms", NULL);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "seed", "--interactions", "20",
                                "--days", "3", "--recordings", empty, "--forms", forms, NULL), ==, 0);
  /* one call with a recording of a minute, 8 kHz stereo: about 1.9 MB */
  csv = g_build_filename (centre.dir, "calls.csv", NULL);
  wav = g_build_filename (centre.dir, "call.wav", NULL);
  test_write_stereo_wav (wav, SECONDS);
  g_assert_true (g_file_get_contents (wav, &contents, &centre.size, &error));
  centre.sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, centre.size);
  g_assert_true (g_file_set_contents (csv,
    "id,channel,queue,agent_code,agent_name,team,started_at,talk_s,recording\n"
    CALL_ID ",phone,Billing,T900,Test Agent,Test Team,2026-11-14T10:42:00Z,60,call.wav\n",
    -1, &error));
  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "import", csv, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", "manager", NULL), ==, 0);
  centre.token = g_strdup (g_strstrip (out));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", "inspector", NULL), ==, 0);
  centre.inspector_token = g_strdup (g_strstrip (out));
  centre.server = central_server_start (centre.data, NULL);

  g_test_add_func ("/remote-recording/lookup", test_lookup);
  g_test_add_func ("/remote-recording/plays-while-arriving", test_plays_while_arriving);
  g_test_add_func ("/remote-recording/no-recording", test_no_recording);
  g_test_add_func ("/remote-recording/signed-out", test_signed_out);
  g_test_add_func ("/remote-recording/bad-ca-file", test_bad_ca_file);
  g_test_add_func ("/review-sync/state", test_sync_state);
  rc = g_test_run ();

  central_server_stop (centre.server);
  central_remove_dir (centre.dir);
  g_free (centre.dir);
  g_free (centre.data);
  g_free (centre.token);
  g_free (centre.inspector_token);
  g_free (centre.sha);
  g_free (centre.cache_dir);
  g_test_dbus_stop (bus);
  return rc;
}
