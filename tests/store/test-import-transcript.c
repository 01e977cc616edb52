/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV 'transcript' column: files confined to the folder given, parsed, stored. */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "store/assay-store-import.h"
#include "store/assay-store-transcript.h"
#include "test-db.h"

static const char *vtt =
  "WEBVTT\n\n00:00:00.800 --> 00:00:04.200\n<v Agent>Thank you for calling.\n\n"
  "00:00:05.000 --> 00:00:06.000\n<v Customer>Hi.\n";
static const char *chat =
  "{ \"format\": 1, \"kind\": \"conversation\", \"channel\": \"chat\", \"messages\": [\n"
  "  { \"time\": \"2026-11-14T10:42:00Z\", \"sender\": \"客户\", \"text\": \"在吗？\" },\n"
  "  { \"time\": \"2026-11-14T10:42:30Z\", \"sender\": \"王芳\", \"role\": \"agent\","
  " \"text\": \"您好，请问有什么可以帮您？\" } ] }\n";

typedef struct {
  char       *dir;
  char       *files;
  char       *outside;
  AssayStore *store;
} Fixture;

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *link = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *sub = NULL;

  f->dir = g_dir_make_tmp ("assay-import-transcript-XXXXXX", NULL);
  f->files = g_build_filename (f->dir, "files", NULL);
  f->outside = g_build_filename (f->dir, "outside", NULL);
  sub = g_build_filename (f->files, "2026-11-14", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (f->outside, 0700), ==, 0);
  write_file (f->files, "c1.vtt", vtt);
  write_file (sub, "chat1.json", chat);
  write_file (f->files, "broken.srt", "1\n00:00:09,000 --> 00:00:02,000\nAgent: hi\n");
  write_file (f->outside, "secret.vtt", vtt);
  /* a link inside the folder that leads out of it */
  secret = g_build_filename (f->outside, "secret.vtt", NULL);
  link = g_build_filename (f->files, "escape.vtt", NULL);
  g_assert_cmpint (symlink (secret, link), ==, 0);
  f->store = test_db_new (0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->files);
  g_free (f->outside);
  g_free (f->dir);
}

static gboolean
import (Fixture             *f,
        const char          *text,
        AssayImportSummary  *summary,
        GError             **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (g_strdup (text), -1,
                                                                         g_free);

  return assay_store_import_csv_sync (f->store, input, "calls.csv", f->files, ASSAY_IMPORT_NONE,
                                      summary, NULL, error);
}

static void
test_good (Fixture       *f,
           gconstpointer  data)
{
  const char *csv =
    "id,channel,queue,agent_code,started_at,transcript\n"
    "6a1f1c4e-0000-4000-8000-000000000001,phone,Billing,E001,2026-11-14T10:42:00Z,c1.vtt\n"
    "6a1f1c4e-0000-4000-8000-000000000002,chat,Chat,E001,2026-11-14T10:42:00Z,"
    "2026-11-14/chat1.json\n"
    "6a1f1c4e-0000-4000-8000-000000000003,email,Mail,E001,2026-11-14T10:42:00Z,\n";
  AssayImportSummary summary = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStoredTranscript) call = NULL;
  g_autoptr(AssayStoredTranscript) conv = NULL;
  g_autoptr(AssayStoredTranscript) none = NULL;

  g_assert_true (import (f, csv, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_interactions, ==, 3);
  g_assert_cmpuint (summary.n_transcripts, ==, 2);

  call = assay_store_get_transcript_sync (f->store, "6a1f1c4e-0000-4000-8000-000000000001",
                                          &error);
  g_assert_cmpint (call->format, ==, ASSAY_TRANSCRIPT_FORMAT_VTT);
  g_assert_cmpstr (call->source, ==, "c1.vtt");
  g_assert_cmpuint (assay_utterances_get_n (call->utterances), ==, 2);
  g_assert_cmpint (assay_utterances_get (call->utterances, 0)->role, ==, ASSAY_SPEAKER_AGENT);
  conv = assay_store_get_transcript_sync (f->store, "6a1f1c4e-0000-4000-8000-000000000002",
                                          &error);
  g_assert_cmpint (conv->utterances->kind, ==, ASSAY_TRANSCRIPT_CONVERSATION);
  g_assert_cmpstr (assay_utterances_get (conv->utterances, 1)->speaker, ==, "王芳");
  none = assay_store_get_transcript_sync (f->store, "6a1f1c4e-0000-4000-8000-000000000003",
                                          &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *absolute = g_build_filename (f->outside, "secret.vtt", NULL);
  g_autofree char *csv = g_strdup_printf (
    "channel,queue,agent_code,started_at,transcript\n"
    "phone,Billing,E001,2026-11-14T10:42:00Z,../outside/secret.vtt\n"
    "phone,Billing,E001,2026-11-14T10:43:00Z,%s\n"
    "phone,Billing,E001,2026-11-14T10:44:00Z,escape.vtt\n"
    "phone,Billing,E001,2026-11-14T10:45:00Z,https://example.com/t.vtt\n"
    "phone,Billing,E001,2026-11-14T10:46:00Z,file:///etc/passwd\n"
    "phone,Billing,E001,2026-11-14T10:47:00Z,2026-11-14/../../outside/secret.vtt\n"
    "phone,Billing,E001,2026-11-14T10:48:00Z,missing.vtt\n"
    "phone,Billing,E001,2026-11-14T10:49:00Z,broken.srt\n"
    "phone,Billing,E001,2026-11-14T10:50:00Z,2026-11-14/chat1.json\n"
    "chat,Chat,E001,2026-11-14T10:51:00Z,c1.vtt\n"
    "phone,Billing,E001,2026-11-14T10:52:00Z,2026-11-14\n"
    "phone,Billing,E001,2026-11-14T10:53:00Z,c1.vtt\n", absolute);
  const char *expected[] = {
    "calls.csv:2: column 'transcript': '../outside/secret.vtt' leads out of the folder given "
    "with --recordings (\"..\"); name a file inside it",
    "calls.csv:3: column 'transcript': '", /* absolute */
    "calls.csv:4: column 'transcript': ", /* link */
    "calls.csv:5: column 'transcript': 'https://example.com/t.vtt' is a URL; name a file in the "
    "folder given with --recordings",
    "calls.csv:6: column 'transcript': 'file:///etc/passwd' is a URL; name a file in the folder "
    "given with --recordings",
    "calls.csv:7: column 'transcript': '2026-11-14/../../outside/secret.vtt' leads out of the "
    "folder",
    "calls.csv:8: column 'transcript': there is no file ",
    "calls.csv:9: column 'transcript': broken.srt:2: cue end before start (00:00:09.000 --> "
    "00:00:02.000)",
    "calls.csv:10: column 'transcript': 2026-11-14/chat1.json is a conversation, but the contact "
    "is a phone: a call takes a transcript, a chat or email its conversation "
    "(docs/transcripts.md)",
    "calls.csv:11: column 'transcript': c1.vtt is a call transcript, but the contact is a chat",
    "calls.csv:12: column 'transcript': ",  /* a folder */
    "calls.csv: 11 bad rows; nothing was imported.",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_false (import (f, csv, NULL, &error));
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (lines[i], expected[i]));
  g_assert_nonnull (strstr (lines[1], "is not a name relative to the folder"));
  g_assert_nonnull (strstr (lines[2], "outside the folder given with --recordings"));
  g_assert_nonnull (strstr (lines[10], "is not a file"));
  /* all or nothing: the good last row is not imported either */
  g_assert_cmpint (test_db_query_int (f->store, "SELECT count(*) FROM interaction"), ==, 0);
  g_assert_cmpint (test_db_query_int (f->store, "SELECT count(*) FROM transcript"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/import/transcript/good", Fixture, NULL, fixture_set_up, test_good,
              fixture_tear_down);
  g_test_add ("/import/transcript/hostile", Fixture, NULL, fixture_set_up, test_hostile,
              fixture_tear_down);
  return g_test_run ();
}
