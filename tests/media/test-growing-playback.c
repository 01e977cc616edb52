/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "assay-growing-file.h"
#include "assay-player-private.h"

/*
 * Playback starts on a recording still arriving: the player reads a growing file whose first
 * seconds only are on disk, and its position advances before the rest has come. Audio goes to
 * a fake sink that keeps to the clock. Every wait is bounded.
 */

#define TEST_SINK "fakesink sync=true"
#define WAIT_LIMIT_S 15
#define RATE 8000
#define SECONDS 20
#define HEADER 44

static guint8 *
make_wav (gsize *len)
{
  gsize data_len = (gsize) RATE * SECONDS * 2;
  guint8 *buf = g_malloc (HEADER + data_len);
  guint32 v;
  guint16 s;

  memcpy (buf, "RIFF", 4);
  v = GUINT32_TO_LE ((guint32) (36 + data_len)); memcpy (buf + 4, &v, 4);
  memcpy (buf + 8, "WAVEfmt ", 8);
  v = GUINT32_TO_LE (16); memcpy (buf + 16, &v, 4);
  s = GUINT16_TO_LE (1); memcpy (buf + 20, &s, 2);             /* PCM */
  s = GUINT16_TO_LE (1); memcpy (buf + 22, &s, 2);             /* mono */
  v = GUINT32_TO_LE (RATE); memcpy (buf + 24, &v, 4);
  v = GUINT32_TO_LE (RATE * 2); memcpy (buf + 28, &v, 4);
  s = GUINT16_TO_LE (2); memcpy (buf + 32, &s, 2);
  s = GUINT16_TO_LE (16); memcpy (buf + 34, &s, 2);
  memcpy (buf + 36, "data", 4);
  v = GUINT32_TO_LE ((guint32) data_len); memcpy (buf + 40, &v, 4);
  for (gsize i = 0; i < (gsize) RATE * SECONDS; i++)
    {
      gint16 x = (gint16) (8000 * sin (2 * G_PI * 440 * (double) i / RATE));

      s = GUINT16_TO_LE ((guint16) x);
      memcpy (buf + HEADER + 2 * i, &s, 2);
    }
  *len = HEADER + data_len;
  return buf;
}

typedef struct {
  AssayPlayer *player;
  gint64       position_ms;
  AssayPlayerState state;
} Cond;

static gboolean
limit_reached_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* iterates the main context (the player's position timer and bus watch) until @cond holds */
static gboolean
wait_for (gboolean (*cond) (Cond *),
          Cond     *c)
{
  gboolean limit_reached = FALSE;
  guint id = g_timeout_add_seconds (WAIT_LIMIT_S, limit_reached_cb, &limit_reached);

  while (!cond (c) && !limit_reached)
    g_main_context_iteration (NULL, TRUE);
  if (!limit_reached)
    g_source_remove (id);
  return !limit_reached;
}

static gboolean
position_past (Cond *c)
{
  return assay_player_get_state (c->player) == ASSAY_PLAYER_STATE_ERROR
         || assay_player_get_position (c->player) >= c->position_ms;
}

static gboolean
state_is (Cond *c)
{
  return assay_player_get_state (c->player) == c->state
         || assay_player_get_state (c->player) == ASSAY_PLAYER_STATE_ERROR;
}

static void
append_to (const char   *path,
           const guint8 *bytes,
           gsize         len)
{
  FILE *f = g_fopen (path, "ab");

  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (bytes, 1, len, f), ==, len);
  fclose (f);
}

static void
test_plays_before_complete (void)
{
  gsize len = 0;
  g_autofree guint8 *wav = make_wav (&len);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayGrowingFile) file = NULL;
  g_autoptr(AssayPlayer) player = assay_player_new ();
  gsize first = HEADER + RATE * 2 * 3;   /* the header and 3 s */
  gint64 start;
  Cond c = { player, 0, 0 };
  int fd;

  fd = g_file_open_tmp ("growing-XXXXXX.wav", &path, &error);
  g_assert_no_error (error);
  close (fd);
  append_to (path, wav, first);
  file = assay_growing_file_new (path, (goffset) len, &error);
  g_assert_no_error (error);
  assay_growing_file_set_available (file, (goffset) first);

  _assay_player_set_sink_description (player, TEST_SINK);
  start = g_get_monotonic_time ();
  assay_player_open_growing (player, file, path);
  assay_player_play (player);

  /* half a second of audio plays while 17 s of the file have not arrived */
  c.position_ms = 500;
  g_assert_true (wait_for (position_past, &c));
  g_assert_null (assay_player_get_error (player));
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_PLAYING);
  g_assert_cmpint (assay_growing_file_get_available (file), <, (goffset) len);
  g_assert_false (assay_growing_file_is_complete (file));
  /* the length comes from the WAV header, not from the bytes on disk */
  g_assert_cmpint (assay_player_get_duration (player), >=, SECONDS * 1000 - 50);
  g_test_message ("time to 500 ms of audio on a partial file: %.0f ms (includes the 500 ms played)",
                  (g_get_monotonic_time () - start) / 1000.0);

  /* the rest arrives; a seek near the end plays to the end */
  append_to (path, wav + first, len - first);
  assay_growing_file_set_available (file, (goffset) len);
  assay_growing_file_complete (file);
  assay_player_seek (player, SECONDS * 1000 - 700);
  c.state = ASSAY_PLAYER_STATE_ENDED;
  g_assert_true (wait_for (state_is, &c));
  g_assert_null (assay_player_get_error (player));

  /* closing while a read would wait does not hang */
  assay_player_close (player);
  g_unlink (path);
}

static void
test_close_while_waiting (void)
{
  gsize len = 0;
  g_autofree guint8 *wav = make_wav (&len);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayGrowingFile) file = NULL;
  g_autoptr(AssayPlayer) player = assay_player_new ();
  gsize first = HEADER + RATE * 2 / 2;   /* the header and 0.5 s */
  gint64 start;
  Cond c = { player, 300, 0 };
  int fd;

  fd = g_file_open_tmp ("growing-XXXXXX.wav", &path, &error);
  g_assert_no_error (error);
  close (fd);
  append_to (path, wav, first);
  file = assay_growing_file_new (path, (goffset) len, &error);
  g_assert_no_error (error);
  assay_growing_file_set_available (file, (goffset) first);

  _assay_player_set_sink_description (player, TEST_SINK);
  assay_player_open_growing (player, file, path);
  assay_player_play (player);
  g_assert_true (wait_for (position_past, &c));
  /* by now the source waits for bytes that do not come: closing cancels the wait */
  start = g_get_monotonic_time ();
  assay_player_close (player);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (assay_player_get_state (player), ==, ASSAY_PLAYER_STATE_EMPTY);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/growing-playback/plays-before-complete", test_plays_before_complete);
  g_test_add_func ("/growing-playback/close-while-waiting", test_close_while_waiting);
  return g_test_run ();
}
