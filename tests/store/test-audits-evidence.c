/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "test-db.h"
#include "core/assay-photo-meta.h"
#include "store/assay-store-audits.h"

#define SHOP "30000000-0000-4000-8000-000000000005"

typedef struct {
  AssayStore *store;
  char       *audit;
  char       *audit2;
  char       *dir;      /* a folder for the files to attach */
} Fixture;

static char *
new_draft (AssayStore *store,
           const char *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAuditRecord) r = assay_store_audits_open_sync (store, NULL, scenario, SHOP, &error);
  g_autoptr(AssayAuditRecord) saved = NULL;

  g_assert_no_error (error);
  saved = assay_store_audits_save_draft_sync (store, r, &error);
  g_assert_no_error (error);
  return g_strdup (saved->id);
}

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *programme = NULL;
  g_autofree char *scenario = NULL;

  f->store = test_db_new (0);
  test_db_add_review_form (f->store);
  test_db_exec (f->store, "INSERT INTO staff (id, name) VALUES ('" SHOP "', 'Sam')");
  programme = assay_store_audits_create_programme_sync (f->store, "P", "", 1, 2, SHOP, &error);
  scenario = assay_store_audits_create_scenario_sync (f->store, programme, "Visit", "visit", "Xuhui",
                                                      NULL, NULL, "", "", TEST_FORM_VERSION_ID, 1,
                                                      &error);
  g_assert_no_error (error);
  f->audit = new_draft (f->store, scenario);
  f->audit2 = new_draft (f->store, scenario);
  f->dir = g_dir_make_tmp ("assay-evidence-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f)
{
  assay_store_close (f->store);
  g_clear_object (&f->store);
  g_free (f->audit);
  g_free (f->audit2);
  g_free (f->dir);
}

static GBytes *
fixture_bytes (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "audits", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize n = 0;

  g_file_get_contents (path, &data, &n, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, n);
}

/* An Exif APP1 segment with a GPS IFD: 31°14′0″ N, as a phone writes it. */
static const guint8 exif_gps[] = {
  0xff, 0xe1, 0x00, 0x58,
  'E', 'x', 'i', 'f', 0, 0,
  'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,             /* TIFF, IFD0 at 8 */
  0x01, 0x00,                                               /* IFD0: 1 entry */
  0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00,   /* GPSInfo → 26 */
  0x00, 0x00, 0x00, 0x00,
  0x02, 0x00,                                               /* GPS IFD: 2 entries */
  0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 'N', 0x00, 0x00, 0x00,    /* LatitudeRef */
  0x02, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00,   /* Latitude → 44 */
  0x00, 0x00, 0x00, 0x00,
  31, 0, 0, 0, 1, 0, 0, 0, 14, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};
static const char comment[] = "\xff\xfe\x00\x1cShot at 31.2304N 121.4737E";

/* the fixture (SOI, JFIF, tables, scan) with Exif GPS and a comment after its APP0 */
static GBytes *
jpeg_with_gps (GBytes *clean)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (clean, &n);
  GByteArray *out = g_byte_array_new ();
  gsize app0_end = 4 + ((d[4] << 8) | d[5]);

  g_assert_cmpuint (d[3], ==, 0xe0);
  g_assert_cmpuint (sizeof exif_gps, ==, 0x58 + 2);
  g_byte_array_append (out, d, app0_end);
  g_byte_array_append (out, exif_gps, sizeof exif_gps);
  g_byte_array_append (out, (const guint8 *) comment, sizeof comment - 1);
  g_byte_array_append (out, d + app0_end, n - app0_end);
  return g_byte_array_free_to_bytes (out);
}

static gboolean
contains (GBytes     *bytes,
          const void *needle,
          gsize       len)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (bytes, &n);

  for (gsize i = 0; i + len <= n; i++)
    if (memcmp (d + i, needle, len) == 0)
      return TRUE;
  return FALSE;
}

static void
test_jpeg_gps_stripped (void)
{
  Fixture f = { 0 };
  g_autoptr(GBytes) clean = fixture_bytes ("door-8x8.jpg");
  g_autoptr(GBytes) tagged = jpeg_with_gps (clean);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAuditEvidenceRecord) r = NULL;
  g_autofree char *src = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *files_dir = NULL;
  guint removed = 0;
  char *data;
  gsize n;

  /* the marker walk leaves out the Exif (GPS) segment and the comment, and nothing else */
  g_assert_true (contains (tagged, "Exif", 4));
  g_assert_true (contains (tagged, "\x25\x88", 2));
  out = assay_photo_strip_metadata (tagged, &removed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 2);
  g_assert_true (g_bytes_equal (out, clean));
  g_assert_false (contains (out, "Exif", 4));
  g_assert_false (contains (out, "121.4737E", 9));
  g_clear_pointer (&out, g_bytes_unref);
  /* a clean photo comes back as it was */
  out = assay_photo_strip_metadata (clean, &removed, &error);
  g_assert_cmpuint (removed, ==, 0);
  g_assert_true (g_bytes_equal (out, clean));

  /* attached to an audit: the file kept is the clean one, named by its SHA-256 */
  fixture_set_up (&f);
  src = g_build_filename (f.dir, "门店-door.jpg", NULL);
  g_file_set_contents (src, g_bytes_get_data (tagged, NULL), g_bytes_get_size (tagged), &error);
  g_assert_no_error (error);
  r = assay_store_audits_add_evidence_sync (f.store, f.audit, "greeting", src, &error);
  g_assert_no_error (error);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, clean);
  g_assert_cmpstr (r->sha256, ==, sha);
  g_assert_cmpuint (r->stripped, ==, 2);
  g_assert_cmpstr (r->media_type, ==, "image/jpeg");
  g_assert_cmpstr (r->file_name, ==, "门店-door.jpg");
  g_assert_cmpint (r->size, ==, g_bytes_get_size (clean));
  files_dir = assay_store_audits_files_dir (f.store);
  g_assert_true (g_str_has_prefix (r->path, files_dir));
  {
    g_autofree char *a = g_strndup (sha, 2);
    g_autofree char *b = g_strndup (sha + 2, 2);
    g_autofree char *expect = g_build_filename (files_dir, a, b, sha, NULL);

    g_assert_cmpstr (r->path, ==, expect);
  }
  g_file_get_contents (r->path, &data, &n, &error);
  g_assert_no_error (error);
  stored = g_bytes_new_take (data, n);
  g_assert_true (g_bytes_equal (stored, clean));
  g_assert_false (contains (stored, "Exif", 4));
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM outbox WHERE collection = 'audits'"
                                              " AND action = 'update'"
                                              " AND json_extract (data, '$.evidence[0].itemId') = 'greeting'"),
                   ==, 1);
  fixture_tear_down (&f);
}

static void
test_png_text_stripped (void)
{
  g_autoptr(GBytes) clean = fixture_bytes ("sign-4x4.png");
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  GByteArray *tagged = g_byte_array_new ();
  g_autoptr(GBytes) tagged_bytes = NULL;
  static const guint8 text_chunk[] = { 0, 0, 0, 9, 't', 'E', 'X', 't', 'G', 'P', 'S', 0, '3', '1', 'N',
                                       ' ', 'E', 0xde, 0xad, 0xbe, 0xef };
  gsize n;
  const guint8 *d = g_bytes_get_data (clean, &n);
  guint removed = 0;

  /* after the signature and IHDR (8 + 25 bytes) */
  g_byte_array_append (tagged, d, 33);
  g_byte_array_append (tagged, text_chunk, sizeof text_chunk);
  g_byte_array_append (tagged, d + 33, n - 33);
  tagged_bytes = g_byte_array_free_to_bytes (tagged);
  out = assay_photo_strip_metadata (tagged_bytes, &removed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_true (g_bytes_equal (out, clean));
}

static void
test_malformed_refused (void)
{
  Fixture f = { 0 };
  g_autoptr(GBytes) clean = fixture_bytes ("door-8x8.jpg");
  g_autoptr(GBytes) tagged = jpeg_with_gps (clean);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (tagged, 0, 40);   /* inside the Exif segment */
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAuditEvidenceRecord) r = NULL;
  g_autofree char *src = NULL;

  g_assert_null (assay_photo_strip_metadata (cut, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  fixture_set_up (&f);
  src = g_build_filename (f.dir, "cut.jpg", NULL);
  g_file_set_contents (src, g_bytes_get_data (cut, NULL), 40, &error);
  r = assay_store_audits_add_evidence_sync (f.store, f.audit, NULL, src, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM blob"), ==, 0);
  fixture_tear_down (&f);
}

static void
test_once_per_content (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(AssayAuditEvidenceRecord) r1 = NULL;
  g_autoptr(AssayAuditEvidenceRecord) r2 = NULL;
  g_autoptr(AssayAuditEvidenceRecord) r3 = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *files_dir = NULL;
  g_autofree char *sub = NULL;
  GDir *dir;
  guint n_files = 0;

  fixture_set_up (&f);
  a = g_build_filename (f.dir, "receipt.pdf", NULL);
  b = g_build_filename (f.dir, "receipt copy.pdf", NULL);
  g_file_set_contents (a, "%PDF-1.4 receipt", -1, &error);
  g_file_set_contents (b, "%PDF-1.4 receipt", -1, &error);
  r1 = assay_store_audits_add_evidence_sync (f.store, f.audit, NULL, a, &error);
  g_assert_no_error (error);
  r2 = assay_store_audits_add_evidence_sync (f.store, f.audit2, "fix", b, &error);
  g_assert_no_error (error);
  r3 = assay_store_audits_add_evidence_sync (f.store, f.audit, NULL, a, &error);   /* again */
  g_assert_no_error (error);
  g_assert_cmpstr (r1->sha256, ==, r2->sha256);
  g_assert_cmpstr (r1->path, ==, r2->path);
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM blob"), ==, 1);
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM audit_evidence"), ==, 2);
  /* one file on disk */
  files_dir = assay_store_audits_files_dir (f.store);
  sub = g_path_get_dirname (r1->path);
  dir = g_dir_open (sub, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_dir_close (dir);
  g_assert_cmpuint (n_files, ==, 1);
  list = assay_store_audits_list_evidence_sync (f.store, f.audit2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((AssayAuditEvidenceRecord *) list->pdata[0])->file_name, ==, "receipt copy.pdf");
  g_assert_cmpstr (((AssayAuditEvidenceRecord *) list->pdata[0])->item_id, ==, "fix");
  fixture_tear_down (&f);
}

static void
test_size_limit (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAuditEvidenceRecord) r = NULL;
  g_autofree char *big = NULL;
  FILE *fp;

  fixture_set_up (&f);
  big = g_build_filename (f.dir, "video.mp4", NULL);
  fp = g_fopen (big, "wb");
  g_assert_nonnull (fp);
  /* sparse: one byte past the limit costs no disk */
  g_assert_cmpint (fseek (fp, ASSAY_AUDIT_EVIDENCE_MAX_BYTES, SEEK_SET), ==, 0);
  fputc ('x', fp);
  fclose (fp);
  r = assay_store_audits_add_evidence_sync (f.store, f.audit, NULL, big, &error);
  g_assert_null (r);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "at most"));
  g_clear_error (&error);
  g_assert_cmpint (test_db_query_int (f.store, "SELECT count(*) FROM blob"), ==, 0);
  /* a folder is no file; a submitted audit takes no evidence until amended */
  r = assay_store_audits_add_evidence_sync (f.store, f.audit, NULL, f.dir, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  test_db_exec (f.store, "UPDATE audit SET state = 'submitted', draft_saved_at = NULL");
  r = assay_store_audits_add_evidence_sync (f.store, f.audit, NULL, big, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  fixture_tear_down (&f);
}

static void
test_paths_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("assay-files-XXXXXX", &error);
  g_autofree char *files = g_build_filename (root, "db.files", NULL);
  g_autofree char *outside = g_build_filename (root, "outside", NULL);
  g_autofree char *link = g_build_filename (files, "ab", NULL);
  const char *sha = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = assay_store_audits_blob_path (files, "../../etc/passwd", &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  path = assay_store_audits_blob_path (files, "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
                                       &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_clear_error (&error);
  path = assay_store_audits_blob_path (files, sha, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, files));
  g_assert_true (g_str_has_suffix (path, "/ab/cd/abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"));
  g_clear_pointer (&path, g_free);
  /* a folder inside that links elsewhere is never followed */
  g_assert_cmpint (g_mkdir_with_parents (files, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (outside, 0700), ==, 0);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  path = assay_store_audits_blob_path (files, sha, &error);
  g_assert_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID);
  g_assert_null (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audits/evidence/jpeg-gps-stripped", test_jpeg_gps_stripped);
  g_test_add_func ("/audits/evidence/png-text-stripped", test_png_text_stripped);
  g_test_add_func ("/audits/evidence/malformed-refused", test_malformed_refused);
  g_test_add_func ("/audits/evidence/once-per-content", test_once_per_content);
  g_test_add_func ("/audits/evidence/size-limit", test_size_limit);
  g_test_add_func ("/audits/evidence/paths-refused", test_paths_refused);
  return g_test_run ();
}
