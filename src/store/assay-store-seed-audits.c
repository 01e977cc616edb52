/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "assay-store-seed-audits.h"
#include "assay-store-audits.h"
#include "assay-store-private.h"
#include "core/assay-audit.h"
#include "core/assay-scoring.h"
#include "protocol/assay-form-json.h"

#define DAY_MS    (24 * 3600 * G_GINT64_CONSTANT (1000))
#define N_AUDITS  30

/* A UUID made from the seed and a name, so the same seed writes the same rows. */
static char *
demo_uuid (guint32     seed,
           const char *what)
{
  g_autofree char *key = g_strdup_printf ("assay-demo-audits/%u/%s", seed, what);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strdup_printf ("%.8s-%.4s-4%.3s-8%.3s-%.12s", hex, hex + 8, hex + 13, hex + 17, hex + 20);
}

static char *
one_string (sqlite3     *db,
            const char  *sql,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _assay_store_column_dup (stmt, 0);
  if (rc != SQLITE_DONE)
    _assay_store_set_error (db, rc, error);
  return NULL;
}

/* ---- a small photo: an 8×8 RGB PNG with stored (uncompressed) deflate blocks ---- */

static guint32
crc32_of (const guint8 *d,
          gsize         n,
          guint32       crc)
{
  crc = ~crc;
  for (gsize i = 0; i < n; i++)
    {
      crc ^= d[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
  return ~crc;
}

static void
put32 (GByteArray *out,
       guint32     v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

static void
chunk (GByteArray   *out,
       const char   *type,
       const guint8 *data,
       gsize         n)
{
  guint32 crc = crc32_of ((const guint8 *) type, 4, 0);

  crc = crc32_of (data, n, crc);
  put32 (out, n);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, n);
  put32 (out, crc);
}

static GBytes *
demo_photo (guint8 r,
            guint8 g,
            guint8 b)
{
  const guint w = 8, h = 8;
  static const guint8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 ihdr[13] = { 0, 0, 0, w, 0, 0, 0, h, 8, 2, 0, 0, 0 };
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GByteArray) z = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  guint32 s1 = 1, s2 = 0;

  for (guint y = 0; y < h; y++)
    {
      guint8 filter = 0;

      g_byte_array_append (raw, &filter, 1);
      for (guint x = 0; x < w; x++)
        {
          /* a door frame: darker at the edges */
          guint8 px[3] = { r, g, b };

          if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
            px[0] /= 2, px[1] /= 2, px[2] /= 2;
          g_byte_array_append (raw, px, 3);
        }
    }
  {
    guint8 head[2] = { 0x78, 0x01 };
    guint8 block[5] = { 1, raw->len & 0xff, raw->len >> 8, ~raw->len & 0xff, (~raw->len >> 8) & 0xff };

    g_byte_array_append (z, head, 2);
    g_byte_array_append (z, block, 5);
    g_byte_array_append (z, raw->data, raw->len);
    for (guint i = 0; i < raw->len; i++)
      {
        s1 = (s1 + raw->data[i]) % 65521;
        s2 = (s2 + s1) % 65521;
      }
    put32 (z, (s2 << 16) | s1);
  }
  g_byte_array_append (out, sig, 8);
  chunk (out, "IHDR", ihdr, sizeof ihdr);
  chunk (out, "IDAT", z->data, z->len);
  chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (out);
}

/* ---- answers ---- */

/* answers on @form: mostly good, now and then a miss, an observation where the form asks */
static char *
demo_answers (AssayForm  *form,
              GRand      *rand,
              gboolean    chinese,
              double     *score,
              char      **results)
{
  g_autoptr(AssayAnswers) answers = assay_answers_new (form);
  g_autoptr(AssayScore) scored = NULL;
  double skill = g_rand_double_range (rand, 0.6, 0.97);

  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      guint n = assay_item_get_n_choices (item);
      const AssayAnswer *a;

      switch (item->kind)
        {
        case ASSAY_ITEM_YES_NO:
        case ASSAY_ITEM_YES_NO_NA:
          assay_answers_set_choice (answers, i,
                                    g_rand_double (rand) < (item->fatal ? 0.97 : skill) ? 0 : 1,
                                    NULL);
          break;
        case ASSAY_ITEM_SCALE:
        case ASSAY_ITEM_SINGLE_CHOICE:
          if (n > 0)
            {
              int best = item->kind == ASSAY_ITEM_SCALE ? (int) n - 1 : 0;
              int pick = g_rand_double (rand) < skill ? best : g_rand_int_range (rand, 0, n);

              assay_answers_set_choice (answers, i, pick, NULL);
            }
          break;
        case ASSAY_ITEM_POINTS:
          assay_answers_set_value (answers, i, item->max, NULL);
          break;
        case ASSAY_ITEM_MULTIPLE_CHOICE:
        case ASSAY_ITEM_NUMBER:
        case ASSAY_ITEM_TEXT:
        case ASSAY_ITEM_DATE:
        default:
          break;
        }
      a = assay_answers_get (answers, i);
      if (a->state == ASSAY_ANSWER_VALUE && assay_answer_needs_comment (item, a))
        assay_answers_set_comment (answers, i, chinese ? "暗访员观察：等候时无人主动招呼"
                                                       : "Observed: nobody offered help while waiting");
    }
  scored = assay_score_compute (answers);
  *score = scored->overall;
  *results = assay_score_to_json (scored, FALSE);
  return assay_answers_to_json (answers);
}

/* ---- the programme ---- */

typedef struct {
  const char *key;
  const char *name;
  const char *channel;
  const char *site;
  const char *script;
  const char *observe;
  gboolean    chinese;
  guint       quota;
} Scenario;

static const Scenario scenarios[] = {
  { "phone", "电话暗访：账单疑问 (Billing test call)", "phone", NULL,
    "来电询问本月账单为何翻倍，要求解释并申请退款 (Ask why this month's bill doubled; ask for a refund)",
    "问候语、身份核验、解释是否准确、等候时长 (Greeting, ID check, a correct explanation, time on hold)",
    TRUE, 4 },
  { "chat", "Chat: cancel a subscription", "chat", NULL,
    "Ask in chat how to cancel a subscription before renewal",
    "First response time, retention offer made politely, the steps given correctly", FALSE, 3 },
  { "visit", "网点暗访：徐汇服务厅 (Xuhui service point visit)", "visit",
    "徐汇服务厅 (Xuhui service point)",
    "到店办理套餐变更，询问优惠 (Change a plan at the counter; ask about offers)",
    "门口营业时间、取号等候、柜员着装与问候、环境整洁 (Opening hours on the door, queue ticket and wait, "
    "uniform and greeting, a tidy hall)", TRUE, 3 },
};

static gboolean
insert (sqlite3     *db,
        const char  *sql,
        const char **text,
        guint        n_text,
        gint64      *numbers,
        guint        n_numbers,
        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n_text; i++)
    _assay_store_bind_text_or_null (stmt, i + 1, text[i]);
  for (guint i = 0; i < n_numbers; i++)
    sqlite3_bind_int64 (stmt, n_text + i + 1, numbers[i]);
  return _assay_store_step_done (db, stmt, error);
}

gboolean
_assay_store_seed_audits (sqlite3     *db,
                          AssayForm   *form_en,
                          const char  *version_en,
                          AssayForm   *form_zh,
                          const char  *version_zh,
                          guint32      seed,
                          GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0x5a0d17u);
  g_autofree char *manager = NULL;
  g_autofree char *inspector = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *phone_queue = NULL;
  g_autofree char *phone_team = NULL;
  g_autofree char *chat_queue = NULL;
  g_autofree char *programme = demo_uuid (seed, "programme");
  g_autofree char *files_dir = g_strconcat (sqlite3_db_filename (db, "main"), ".files", NULL);
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  char *scenario_ids[G_N_ELEMENTS (scenarios)] = { NULL };
  char *shopper_ids[2] = { NULL };
  gint64 end, calls_at[2] = { 0, 0 };
  gboolean ok = FALSE;

  if (form_en == NULL || form_zh == NULL || version_en == NULL || version_zh == NULL)
    return TRUE;
  end_text = one_string (db, "SELECT max (started_at) FROM interaction WHERE channel = 'phone'", error);
  if (end_text == NULL)
    return error == NULL || *error == NULL;
  end = g_ascii_strtoll (end_text, NULL, 10);
  manager = one_string (db, "SELECT id FROM staff WHERE roles LIKE '%manager%' ORDER BY id LIMIT 1",
                        NULL);
  inspector = one_string (db, "SELECT id FROM staff WHERE roles LIKE '%inspector%' ORDER BY id"
                              " LIMIT 1", NULL);
  phone_queue = one_string (db, "SELECT queue FROM interaction WHERE channel = 'phone'"
                                " GROUP BY queue ORDER BY count(*) DESC, queue LIMIT 1", error);
  chat_queue = one_string (db, "SELECT queue FROM interaction WHERE channel = 'chat'"
                               " GROUP BY queue ORDER BY count(*) DESC, queue LIMIT 1", NULL);
  if (phone_queue == NULL || inspector == NULL)
    return error == NULL || *error == NULL;
  {
    char *sql = sqlite3_mprintf ("SELECT team_id FROM interaction WHERE queue = %Q"
                                 " AND team_id IS NOT NULL GROUP BY team_id"
                                 " ORDER BY count(*) DESC LIMIT 1", phone_queue);

    phone_team = one_string (db, sql, NULL);
    sqlite3_free (sql);
  }
  /* the two test calls: the queue's last two calls from different customers */
  {
    g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db,
      "SELECT id, customer_ref, started_at FROM interaction WHERE queue = ? AND channel = 'phone'"
      " AND customer_ref IS NOT NULL ORDER BY started_at DESC LIMIT 40", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, phone_queue, -1, SQLITE_TRANSIENT);
    while (calls->len < 2 && sqlite3_step (stmt) == SQLITE_ROW)
      {
        const char *ref = _assay_store_column_text (stmt, 1);

        if (refs->len > 0 && g_strcmp0 (refs->pdata[0], ref) == 0)
          continue;
        calls_at[calls->len] = sqlite3_column_int64 (stmt, 2);
        g_ptr_array_add (calls, _assay_store_column_dup (stmt, 0));
        g_ptr_array_add (refs, g_strdup (ref));
      }
  }
  if (calls->len < 2)
    return TRUE;

  {
    const char *t[] = { programme, "2026 季度神秘顾客暗访 (Quarterly mystery shopping)",
                        "电话、在线聊天与网点到访 (Phone, chat and service point visits)", manager };
    gint64 n[] = { end - 91 * DAY_MS, end + 2 * DAY_MS, end - 91 * DAY_MS };

    if (!insert (db, "INSERT INTO audit_programme (id, name, description, created_by, starts_at,"
                     " ends_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", t, 4, n, 3, error))
      return FALSE;
  }
  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    {
      const Scenario *sc = &scenarios[s];
      const char *queue = g_strcmp0 (sc->channel, "phone") == 0 ? phone_queue
                          : g_strcmp0 (sc->channel, "chat") == 0 ? chat_queue : NULL;
      const char *team = g_strcmp0 (sc->channel, "chat") == 0 ? NULL : phone_team;
      const char *t[] = { NULL, programme, sc->name, sc->channel, sc->site, queue, team, sc->script,
                          sc->observe, sc->chinese ? version_zh : version_en };
      gint64 n[] = { sc->quota, end - 91 * DAY_MS };

      scenario_ids[s] = demo_uuid (seed, sc->key);
      t[0] = scenario_ids[s];
      if (queue == NULL && team == NULL && sc->site == NULL)
        t[4] = "Online";
      if (!insert (db, "INSERT INTO audit_scenario (id, programme_id, name, channel, site, queue,"
                       " team_id, script, observe, form_version_id, monthly_quota, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", t, 10, n, 2, error))
        goto out;
    }
  {
    const char *names[2] = { "王晓明 (Wang Xiaoming)", "Lucy Chen" };
    const char *kinds[2] = { "internal", "agency" };
    const char *agencies[2] = { NULL, "明察顾问 (Insight Eyes Consulting)" };

    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *key = g_strdup_printf ("shopper-%u", i);
        const char *t[] = { NULL, names[i], kinds[i], agencies[i], refs->pdata[i],
                            i == 0 ? inspector : NULL };
        gint64 n[] = { end - 91 * DAY_MS };

        shopper_ids[i] = demo_uuid (seed, key);
        t[0] = shopper_ids[i];
        if (!insert (db, "INSERT INTO audit_shopper (id, name, kind, agency, phone, staff_id,"
                         " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", t, 6, n, 1, error))
          goto out;
      }
  }

  for (guint k = 0; k < N_AUDITS; k++)
    {
      guint s = k % G_N_ELEMENTS (scenarios);
      const Scenario *sc = &scenarios[s];
      g_autofree char *vkey = g_strdup_printf ("visit-%u", k);
      g_autofree char *akey = g_strdup_printf ("audit-%u", k);
      g_autofree char *rkey = g_strdup_printf ("revision-%u", k);
      g_autofree char *visit = demo_uuid (seed, vkey);
      g_autofree char *audit = demo_uuid (seed, akey);
      g_autofree char *revision = demo_uuid (seed, rkey);
      g_autofree char *answers = NULL;
      g_autofree char *results = NULL;
      g_autoptr(GDateTime) day = NULL;
      const char *interaction = NULL;
      double score;
      gint64 visited = end - (gint64) (k / 3) * 9 * DAY_MS - (gint64) (k % 3 + 1) * 3600 * 1000;

      /* the first two phone audits were the test calls the centre recorded */
      if (s == 0 && k / 3 < 2)
        {
          interaction = calls->pdata[k / 3];
          visited = calls_at[k / 3] + 15000;
        }
      day = g_date_time_new_from_unix_local (visited / 1000);
      answers = demo_answers (sc->chinese ? form_zh : form_en, rand, sc->chinese, &score, &results);
      {
        const char *t[] = { visit, scenario_ids[s], shopper_ids[k % 2] };
        gint64 n[] = { assay_audit_due_at_for_day (day), visited - 5 * DAY_MS };

        if (!insert (db, "INSERT INTO audit_visit (id, scenario_id, shopper_id, due_at, created_at)"
                         " VALUES (?, ?, ?, ?, ?)", t, 3, n, 2, error))
          goto out;
      }
      {
        const char *t[] = { audit, visit, scenario_ids[s], sc->chinese ? version_zh : version_en,
                            shopper_ids[k % 2], k % 2 == 0 ? inspector : (manager ? manager : inspector),
                            interaction, interaction ? manager : NULL, revision };
        gint64 n[] = { visited, interaction ? visited + DAY_MS : 0, visited + 3600 * 1000 };
        g_autoptr(sqlite3_stmt) stmt = NULL;

        if (!insert (db, "INSERT INTO audit (id, visit_id, scenario_id, form_version_id, shopper_id,"
                         " author_id, interaction_id, matched_by, current_revision_id, visited_at,"
                         " matched_at, created_at, updated_at, state)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                         " CASE WHEN ?7 IS NULL THEN NULL ELSE ?11 END, ?12, ?12, 'submitted')",
                     t, 9, n, 3, error))
          goto out;
        stmt = _assay_store_prepare (db, "INSERT INTO audit_revision (id, audit_id, number, answers,"
                                         " score, results, author_id, created_at)"
                                         " VALUES (?, ?, 1, ?, ?, ?, ?, ?)", error);
        if (stmt == NULL)
          goto out;
        sqlite3_bind_text (stmt, 1, revision, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 2, audit, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 3, answers, -1, SQLITE_TRANSIENT);
        if (isnan (score))
          sqlite3_bind_null (stmt, 4);
        else
          sqlite3_bind_double (stmt, 4, score);
        sqlite3_bind_text (stmt, 5, results, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 6, t[5], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64 (stmt, 7, visited + 3600 * 1000);
        if (!_assay_store_step_done (db, stmt, error))
          goto out;
      }
      /* the visits' photos: the door with its opening hours */
      if (g_strcmp0 (sc->channel, "visit") == 0)
        {
          g_autoptr(GBytes) png = demo_photo (60 + 6 * k, 120, 200 - 5 * k);
          g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
          g_autofree char *path = assay_store_audits_blob_path (files_dir, sha, NULL);
          g_autofree char *dir = path ? g_path_get_dirname (path) : NULL;
          g_autofree char *name = g_strdup_printf ("门店-%02u.png", k);
          const AssayItem *first = assay_form_get_item (form_zh, 0);
          const char *t[] = { sha, "image/png", audit, first->id, name };
          gint64 n[] = { g_bytes_get_size (png), visited };

          if (path == NULL || g_mkdir_with_parents (dir, 0700) != 0
              || !g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL))
            continue;   /* a demo without its photos is still a demo */
          if (!insert (db, "INSERT OR IGNORE INTO blob (sha256, media_type, size, created_at)"
                           " VALUES (?1, ?2, ?6, ?7)", t, 5, n, 2, error)
              || !insert (db, "INSERT INTO audit_evidence (audit_id, item_id, sha256, file_name,"
                              " added_at) VALUES (?3, ?4, ?1, ?5, ?7)", t, 5, n, 2, error))
            goto out;
        }
    }
  /* this month's schedule: visits still to do, and two that slipped */
  for (guint v = 0; v < 6; v++)
    {
      g_autofree char *key = g_strdup_printf ("planned-%u", v);
      g_autofree char *visit = demo_uuid (seed, key);
      g_autoptr(GDateTime) day = g_date_time_new_from_unix_local ((end + ((gint64) v - 2) * 2 * DAY_MS) / 1000);
      const char *t[] = { visit, scenario_ids[v % G_N_ELEMENTS (scenarios)], shopper_ids[v % 2] };
      gint64 n[] = { assay_audit_due_at_for_day (day), end - 10 * DAY_MS };

      if (!insert (db, "INSERT INTO audit_visit (id, scenario_id, shopper_id, due_at, created_at)"
                       " VALUES (?, ?, ?, ?, ?)", t, 3, n, 2, error))
        goto out;
    }
  ok = TRUE;
out:
  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    g_free (scenario_ids[s]);
  g_free (shopper_ids[0]);
  g_free (shopper_ids[1]);
  return ok;
}
