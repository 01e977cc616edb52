/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "central-test.h"
#include "test-db.h"
#include "assay-recording-cache.h"
#include "assay-sync-error.h"

/*
 * Recordings on demand: the cache against the real assay-central on 127.0.0.1 port 0 serving
 * a real WAV (imported with `assay-central import`), and against a hostile server written here
 * (a socket service that answers canned, wrong responses).
 */

#define CALL_ID "5b7f6a3e-2222-4c2d-9e0f-000000000001"

static struct {
  char          *dir;
  char          *data;
  CentralServer *server;
  char          *token;
  char          *recording_id;
  char          *sha;
  GBytes        *wav;
} centre;

typedef struct {
  gboolean      done;
  char         *path;
  GError       *error;
  goffset       first_progress;  /* received at the first progress call, -1 before */
  goffset       cancel_after;    /* cancel once this many bytes are on disk (0: never) */
  GCancellable *cancellable;
  guint         n_progress;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
progress_cb (const char *partial_path,
             goffset     received,
             goffset     total,
             gpointer    user_data)
{
  Wait *w = user_data;

  g_assert_true (g_file_test (partial_path, G_FILE_TEST_EXISTS));
  if (total >= 0)
    g_assert_cmpint (received, <=, total);
  if (w->n_progress++ == 0)
    w->first_progress = received;
  if (w->cancel_after > 0 && received >= w->cancel_after)
    g_cancellable_cancel (w->cancellable);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->path = assay_recording_cache_fetch_finish (ASSAY_RECORDING_CACHE (source), result,
                                                &w->error);
  w->done = TRUE;
}

static void
wait_clear (Wait *w)
{
  g_clear_pointer (&w->path, g_free);
  g_clear_error (&w->error);
  g_clear_object (&w->cancellable);
}

static void
fetch (AssayRecordingCache *cache,
       const char          *base,
       const char          *id,
       const char          *sha,
       Wait                *w)
{
  w->first_progress = -1;
  if (w->cancellable == NULL)
    w->cancellable = g_cancellable_new ();
  assay_recording_cache_fetch_async (cache, base, centre.token, id, sha, progress_cb, w,
                                     w->cancellable, fetched, w);
  test_wait_until (wait_done, w, CENTRAL_WAIT_S);
}

static char *
new_cache_dir (void)
{
  g_autofree char *name = g_strdup_printf ("cache-%s", g_uuid_string_random ());

  return g_build_filename (centre.dir, name, NULL);
}

static void
assert_file_is_wav (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (centre.wav, NULL), g_bytes_get_size (centre.wav));
}

static void
test_full_fetch (void)
{
  g_autofree char *dir = new_cache_dir ();
  g_autoptr(AssayRecordingCache) cache = assay_recording_cache_new (dir);
  g_autofree char *expected = NULL;
  g_autofree char *again = NULL;
  Wait w = { 0 };

  fetch (cache, centre.server->base, centre.recording_id, centre.sha, &w);
  g_assert_no_error (w.error);
  expected = g_strdup_printf ("%s/%s-%s", dir, centre.recording_id, centre.sha);
  g_assert_cmpstr (w.path, ==, expected);
  assert_file_is_wav (w.path);
  g_assert_cmpint (assay_recording_cache_get_last_resumed_from (cache), ==, 0);
  g_assert_cmpint (assay_recording_cache_get_last_received (cache), ==,
                   (goffset) g_bytes_get_size (centre.wav));
  g_assert_cmpuint (w.n_progress, >, 1);
  /* the first progress comes before any byte: a player may open the file then */
  g_assert_cmpint (w.first_progress, ==, 0);
  wait_clear (&w);

  /* a second fetch is a cache hit: no request, same file */
  memset (&w, 0, sizeof w);
  fetch (cache, centre.server->base, centre.recording_id, centre.sha, &w);
  g_assert_no_error (w.error);
  g_assert_cmpstr (w.path, ==, expected);
  g_assert_cmpint (assay_recording_cache_get_last_received (cache), ==, 0);
  g_assert_cmpuint (w.n_progress, ==, 0);
  again = assay_recording_cache_lookup (cache, centre.recording_id, NULL);
  g_assert_cmpstr (again, ==, expected);
  wait_clear (&w);

  /* a recording the server does not have */
  memset (&w, 0, sizeof w);
  fetch (cache, centre.server->base, "00000000-0000-4000-8000-00000000dead", NULL, &w);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  wait_clear (&w);

  /* an id that would leave the folder is refused before any request */
  memset (&w, 0, sizeof w);
  fetch (cache, centre.server->base, "../../etc/passwd", NULL, &w);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  wait_clear (&w);
  central_remove_dir (dir);
}

static void
test_resume_after_cut (void)
{
  g_autofree char *dir = new_cache_dir ();
  g_autoptr(AssayRecordingCache) cache = assay_recording_cache_new (dir);
  g_autofree char *part = NULL;
  goffset size = (goffset) g_bytes_get_size (centre.wav);
  goffset cut;
  GStatBuf st;
  Wait w = { 0 };

  /* cut: the download stops once 256 KiB are on disk */
  w.cancel_after = 256 * 1024;
  fetch (cache, centre.server->base, centre.recording_id, centre.sha, &w);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  part = g_strdup_printf ("%s/%s-%s.part", dir, centre.recording_id, centre.sha);
  g_assert_cmpint (g_stat (part, &st), ==, 0);
  cut = st.st_size;
  g_assert_cmpint (cut, >=, 256 * 1024);
  g_assert_cmpint (cut, <, size);
  g_assert_null (assay_recording_cache_lookup (cache, centre.recording_id, centre.sha));
  wait_clear (&w);

  /* the next fetch asks only for the rest (Range + If-Range) */
  memset (&w, 0, sizeof w);
  fetch (cache, centre.server->base, centre.recording_id, NULL, &w);
  g_assert_no_error (w.error);
  g_assert_cmpint (assay_recording_cache_get_last_resumed_from (cache), ==, cut);
  g_assert_cmpint (assay_recording_cache_get_last_received (cache), ==, size - cut);
  g_assert_cmpint (w.first_progress, ==, cut);
  assert_file_is_wav (w.path);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  wait_clear (&w);
  central_remove_dir (dir);
}

static void
test_etag_change_restarts (void)
{
  g_autofree char *dir = new_cache_dir ();
  g_autoptr(AssayRecordingCache) cache = assay_recording_cache_new (dir);
  g_autofree char *old_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "older", -1);
  g_autofree char *old_part = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0 };

  /* a partial file of an older version of the recording: 100 KiB of other bytes */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  old_part = g_strdup_printf ("%s/%s-%s.part", dir, centre.recording_id, old_sha);
  {
    g_autofree char *junk = g_malloc0 (100 * 1024);

    g_assert_true (g_file_set_contents (old_part, junk, 100 * 1024, &error));
    g_assert_no_error (error);
  }

  /* If-Range names the old ETag: the server sends the whole new file, nothing is spliced */
  fetch (cache, centre.server->base, centre.recording_id, NULL, &w);
  g_assert_no_error (w.error);
  g_assert_cmpint (assay_recording_cache_get_last_resumed_from (cache), ==, 0);
  g_assert_cmpint (assay_recording_cache_get_last_received (cache), ==,
                   (goffset) g_bytes_get_size (centre.wav));
  g_assert_true (g_str_has_suffix (w.path, centre.sha));
  assert_file_is_wav (w.path);
  g_assert_false (g_file_test (old_part, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (w.path), ==, 0);
  wait_clear (&w);

  /* asked for the new version with a stale partial of the old one lying around: dropped */
  g_assert_true (g_file_set_contents (old_part, "x", 1, NULL));
  memset (&w, 0, sizeof w);
  fetch (cache, centre.server->base, centre.recording_id, centre.sha, &w);
  g_assert_no_error (w.error);
  assert_file_is_wav (w.path);
  g_assert_false (g_file_test (old_part, G_FILE_TEST_EXISTS));
  wait_clear (&w);
  central_remove_dir (dir);
}

static void
put_file (const char *dir,
          const char *name,
          gsize       size,
          gint64      age_s)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *bytes = g_malloc0 (size);
  struct utimbuf times;

  g_assert_true (g_file_set_contents (path, bytes, (gssize) size, NULL));
  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - age_s);
  g_assert_cmpint (utime (path, &times), ==, 0);
}

static gboolean
has (const char *dir,
     const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_eviction (void)
{
  g_autofree char *dir = new_cache_dir ();
  g_autoptr(AssayRecordingCache) cache = assay_recording_cache_new (dir);
  g_autofree char *hit = NULL;
  Wait w = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* a (40 days unused), b (3 days), c (2 days), d (1 day); 1,000 bytes each */
  put_file (dir, "a-1111111111111111111111111111111111111111111111111111111111111111", 1000, 40 * 86400);
  put_file (dir, "b-2222222222222222222222222222222222222222222222222222222222222222", 1000, 3 * 86400);
  put_file (dir, "c-3333333333333333333333333333333333333333333333333333333333333333", 1000, 2 * 86400);
  put_file (dir, "d-4444444444444444444444444444444444444444444444444444444444444444", 1000, 1 * 86400);

  /* age: 30 days drops a only */
  assay_recording_cache_set_limits (cache, 1000000, 30 * 86400);
  g_assert_cmpuint (assay_recording_cache_evict (cache), ==, 1);
  g_assert_false (has (dir, "a-1111111111111111111111111111111111111111111111111111111111111111"));
  g_assert_true (has (dir, "b-2222222222222222222222222222222222222222222222222222222222222222"));

  /* using b makes it the most recent: size 2,000 then drops c (least recently used) and d */
  hit = assay_recording_cache_lookup (cache, "b",
                                      "2222222222222222222222222222222222222222222222222222222222222222");
  g_assert_nonnull (hit);
  assay_recording_cache_set_limits (cache, 2000, 30 * 86400);
  g_assert_cmpuint (assay_recording_cache_evict (cache), ==, 1);
  g_assert_false (has (dir, "c-3333333333333333333333333333333333333333333333333333333333333333"));
  g_assert_true (has (dir, "b-2222222222222222222222222222222222222222222222222222222222222222"));
  g_assert_true (has (dir, "d-4444444444444444444444444444444444444444444444444444444444444444"));

  /* a fetched recording evicts older files to fit, and is kept itself */
  assay_recording_cache_set_limits (cache, g_bytes_get_size (centre.wav) + 1500, 30 * 86400);
  fetch (cache, centre.server->base, centre.recording_id, centre.sha, &w);
  g_assert_no_error (w.error);
  g_assert_true (g_file_test (w.path, G_FILE_TEST_EXISTS));
  g_assert_false (has (dir, "d-4444444444444444444444444444444444444444444444444444444444444444"));
  g_assert_true (has (dir, "b-2222222222222222222222222222222222222222222222222222222222222222"));
  g_assert_cmpint (g_unlink (w.path), ==, 0);
  wait_clear (&w);

  /* a recording larger than the whole cache is refused with a sentence saying what to do */
  memset (&w, 0, sizeof w);
  assay_recording_cache_set_limits (cache, 1000, 30 * 86400);
  fetch (cache, centre.server->base, centre.recording_id, centre.sha, &w);
  g_assert_error (w.error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (w.error->message, "Preferences"));
  g_assert_null (assay_recording_cache_lookup (cache, centre.recording_id, NULL));
  wait_clear (&w);
  central_remove_dir (dir);
}

/* ---- a hostile server ---- */

static const char *hostile_answer;

static gboolean
hostile_run (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source,
             gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  char buf[1024];

  while (strstr (request->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL);

      if (n <= 0)
        return TRUE;
      g_string_append_len (request, buf, n);
    }
  g_output_stream_write_all (out, hostile_answer, strlen (hostile_answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_hostile_server (void)
{
  g_autofree char *dir = new_cache_dir ();
  g_autoptr(AssayRecordingCache) cache = assay_recording_cache_new (dir);
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (2);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *etag = g_strdup_printf ("ETag: \"sha256:%s\"\r\n", centre.sha);
  g_autofree char *huge = g_strconcat ("HTTP/1.1 200 OK\r\nContent-Length: 999999999999999\r\n",
                                       etag, "\r\nRIFF", NULL);
  g_autofree char *short_body = g_strconcat ("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n",
                                             etag, "Connection: close\r\n\r\nRIFF0123", NULL);
  g_autofree char *wrong_bytes = g_strconcat ("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n",
                                              etag, "\r\nRIFF0123", NULL);
  const char *weak = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nETag: W/\"x\"\r\n\r\nRIFF";
  g_autofree char *bad_range = g_strconcat ("HTTP/1.1 206 Partial Content\r\nContent-Length: 4\r\n"
                                            "Content-Range: bytes 0-3/4\r\n", etag, "\r\nRIFF",
                                            NULL);
  Wait w = { 0 };

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (hostile_run), NULL);
  g_socket_service_start (service);
  base = g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  /* a Content-Length of a petabyte: refused before anything is written */
  hostile_answer = huge;
  fetch (cache, base, centre.recording_id, NULL, &w);
  g_assert_error (w.error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (w.error->message, "larger than the whole recordings cache"));
  wait_clear (&w);

  /* fewer bytes than announced: a network error, the partial kept for a resume */
  memset (&w, 0, sizeof w);
  hostile_answer = short_body;
  fetch (cache, base, centre.recording_id, NULL, &w);
  g_assert_error (w.error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK);
  g_assert_null (w.path);
  wait_clear (&w);

  /* bytes that are not the ETag's: dropped, never kept as the recording */
  memset (&w, 0, sizeof w);
  hostile_answer = wrong_bytes;
  fetch (cache, base, centre.recording_id, NULL, &w);
  g_assert_error (w.error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (w.error->message, "ETag"));
  g_assert_null (assay_recording_cache_lookup (cache, centre.recording_id, NULL));
  wait_clear (&w);

  /* a weak ETag */
  memset (&w, 0, sizeof w);
  hostile_answer = weak;
  fetch (cache, base, centre.recording_id, NULL, &w);
  g_assert_error (w.error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL);
  wait_clear (&w);

  /* a 206 to a request that asked for no range */
  memset (&w, 0, sizeof w);
  hostile_answer = bad_range;
  fetch (cache, base, centre.recording_id, NULL, &w);
  g_assert_error (w.error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL);
  wait_clear (&w);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  central_remove_dir (dir);
}

/* ---- setup ---- */

static void
import_recording (void)
{
  g_autofree char *csv = g_build_filename (centre.dir, "calls.csv", NULL);
  g_autofree char *wav = g_build_filename (centre.dir, "call.wav", NULL);
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *upserted;
  gsize len = 0;

  /* 60 s of 8 kHz stereo 16-bit: about 1.9 MB */
  test_write_stereo_wav (wav, 60);
  g_assert_true (g_file_get_contents (wav, &contents, &len, &error));
  g_assert_no_error (error);
  centre.wav = g_bytes_new_take (g_steal_pointer (&contents), len);
  centre.sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, centre.wav);
  g_assert_true (g_file_set_contents (csv,
    "id,channel,queue,agent_code,agent_name,team,started_at,talk_s,recording\n"
    CALL_ID ",phone,Billing,T900,Test Agent,Test Team,2026-11-14T10:42:00Z,60,call.wav\n",
    -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "import", csv, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "(1 recordings)"));

  page = central_get_json (centre.server->base, "/api/v1/changes/recordings?limit=1000",
                           centre.token, 200);
  upserted = json_object_get_array_member (json_node_get_object (page), "upserted");
  for (guint i = 0; i < json_array_get_length (upserted); i++)
    {
      JsonObject *item = json_array_get_object_element (upserted, i);
      JsonObject *data = json_object_get_object_member (item, "data");

      if (g_strcmp0 (json_object_get_string_member (data, "interactionId"), CALL_ID) == 0)
        {
          centre.recording_id = g_strdup (json_object_get_string_member (item, "id"));
          g_assert_cmpstr (json_object_get_string_member (data, "sha256"), ==, centre.sha);
        }
    }
  g_assert_nonnull (centre.recording_id);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *empty = NULL;
  g_autofree char *forms = NULL;
  g_autofree char *out = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  centre.dir = central_new_dir ();
  centre.data = g_build_filename (centre.dir, "data", NULL);
  empty = g_build_filename (centre.dir, "no-recordings", NULL);
  g_mkdir (empty, 0700);
  forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms", NULL);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "seed", "--interactions", "20",
                                "--days", "3", "--recordings", empty, "--forms", forms,
                                NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", "manager",
                                NULL), ==, 0);
  centre.token = g_strdup (g_strstrip (out));
  centre.server = central_server_start (centre.data, NULL);
  import_recording ();

  g_test_add_func ("/recording-cache/full-fetch", test_full_fetch);
  g_test_add_func ("/recording-cache/resume-after-cut", test_resume_after_cut);
  g_test_add_func ("/recording-cache/etag-change-restarts", test_etag_change_restarts);
  g_test_add_func ("/recording-cache/eviction", test_eviction);
  g_test_add_func ("/recording-cache/hostile-server", test_hostile_server);
  rc = g_test_run ();

  central_server_stop (centre.server);
  central_remove_dir (centre.dir);
  g_free (centre.dir);
  g_free (centre.data);
  g_free (centre.token);
  g_free (centre.recording_id);
  g_free (centre.sha);
  g_bytes_unref (centre.wav);
  return rc;
}
