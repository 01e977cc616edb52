/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "central-test.h"
#include "protocol/assay-sync-json.h"

/*
 * The real assay-central on 127.0.0.1 port 0 over one seeded data folder, driven through
 * HTTP as docs/sync-protocol.md says. Each test uses its own objects so they may run in any
 * order.
 */

static const char *const logins[] = { "inspector", "lead", "manager", "agent", "admin" };

static struct {
  char          *dir;
  char          *data;
  CentralServer *server;
  char          *tokens[G_N_ELEMENTS (logins)];
} centre;

static const char *
token (const char *login)
{
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    if (strcmp (logins[i], login) == 0)
      return centre.tokens[i];
  g_assert_not_reached ();
}

static char *
new_uuid (void)
{
  return g_uuid_string_random ();
}

/* pulls a whole collection; returns the upserted items (JsonNode*), sets the last cursor */
static GPtrArray *
pull (const char  *login,
      const char  *collection,
      guint        limit,
      const char  *since,
      char       **cursor_out,
      guint       *n_pages)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *cursor = g_strdup (since);
  gboolean more = TRUE;
  guint pages = 0;

  while (more)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) page = NULL;
      JsonObject *object;
      JsonArray *upserted;

      if (cursor != NULL)
        path = g_strdup_printf ("/api/v1/changes/%s?limit=%u&since=%s", collection, limit, cursor);
      else
        path = g_strdup_printf ("/api/v1/changes/%s?limit=%u", collection, limit);
      page = central_get_json (centre.server->base, path, token (login), 200);
      object = json_node_get_object (page);
      upserted = json_object_get_array_member (object, "upserted");
      g_assert_cmpuint (json_array_get_length (upserted)
                        + json_array_get_length (json_object_get_array_member (object, "deleted")),
                        <=, limit);
      for (guint i = 0; i < json_array_get_length (upserted); i++)
        g_ptr_array_add (items, json_node_ref (json_array_get_element (upserted, i)));
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      more = json_object_get_boolean_member (object, "hasMore");
      pages++;
      g_assert_cmpuint (pages, <, 10000);
    }
  if (cursor_out != NULL)
    *cursor_out = g_steal_pointer (&cursor);
  if (n_pages != NULL)
    *n_pages = pages;
  return items;
}

static JsonObject *
item_data (GPtrArray *items,
           guint      i)
{
  return json_object_get_object_member (json_node_get_object (g_ptr_array_index (items, i)),
                                        "data");
}

static const char *
item_id (GPtrArray *items,
         guint      i)
{
  return json_object_get_string_member (json_node_get_object (g_ptr_array_index (items, i)), "id");
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

static guint
dump_count (const char *collection)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "dump", collection, NULL), ==, 0);
  return count_lines (out);
}

static CentralReply *
post_ops (const char *login,
          const char *key,
          const char *body)
{
  g_autofree char *url = g_strconcat (centre.server->base, "/api/v1/ops", NULL);
  const char *headers[] = { "Idempotency-Key", key, NULL };

  return central_request (NULL, "POST", url, token (login), key != NULL ? headers : NULL, body,
                          -1);
}

static JsonObject *
result_at (CentralReply *reply,
           guint         i)
{
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  return json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (reply->json), "results"), i);
}

/* one evaluation operation as JSON */
static char *
eval_op (const char *op_id,
         const char *id,
         const char *action,
         gint64      base_rev,
         const char *interaction,
         const char *form,
         const char *inspector,
         const char *state,
         int         empathy,
         const char *reason)
{
  g_autofree char *base = base_rev > 0 ? g_strdup_printf (",\"baseRev\":%" G_GINT64_FORMAT,
                                                          base_rev) : g_strdup ("");
  g_autofree char *why = reason != NULL ? g_strdup_printf (",\"reason\":\"%s\"", reason)
                                        : g_strdup ("");

  return g_strdup_printf ("{\"opId\":\"%s\",\"collection\":\"evaluations\",\"id\":\"%s\","
                          "\"action\":\"%s\"%s%s,\"data\":{\"interactionId\":\"%s\","
                          "\"formVersionId\":\"%s\",\"inspectorId\":\"%s\",\"state\":\"%s\","
                          "\"answers\":{\"empathy\":{\"value\":%d}}}}",
                          op_id, id, action, base, why, interaction, form, inspector, state,
                          empathy);
}

static char *
batch (const char *op)
{
  return g_strdup_printf ("{\"ops\":[%s]}", op);
}

typedef struct {
  char *me;             /* the inspector's staff id */
  char *lead_team;      /* a team the lead leads */
  char *interaction;    /* an interaction of that team */
  char *other_interaction; /* an interaction of another team */
  char *form;           /* a form version id */
} Ids;

static void
ids_clear (Ids *ids)
{
  g_free (ids->me);
  g_free (ids->lead_team);
  g_free (ids->interaction);
  g_free (ids->other_interaction);
  g_free (ids->form);
}

/* picks the objects the op tests work on; @skip picks different interactions per test */
static void
pick_ids (Ids  *ids,
          guint skip)
{
  g_autoptr(JsonNode) me = central_get_json (centre.server->base, "/api/v1/session",
                                             token ("inspector"), 200);
  g_autoptr(JsonNode) lead = central_get_json (centre.server->base, "/api/v1/session",
                                               token ("lead"), 200);
  g_autoptr(GPtrArray) interactions = pull ("inspector", "interactions", 1000, NULL, NULL, NULL);
  g_autoptr(GPtrArray) forms = pull ("inspector", "forms", 100, NULL, NULL, NULL);
  JsonArray *teams;
  guint seen_in = 0, seen_out = 0;

  ids->me = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (me), "user"), "id"));
  teams = json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (lead), "user"), "teamIds");
  g_assert_cmpuint (json_array_get_length (teams), >=, 1);
  ids->lead_team = g_strdup (json_array_get_string_element (teams, 0));
  for (guint i = interactions->len; i-- > 0;)
    {
      const char *team = json_object_get_string_member (item_data (interactions, i), "teamId");

      if (g_strcmp0 (team, ids->lead_team) == 0 && ids->interaction == NULL
          && seen_in++ == skip)
        ids->interaction = g_strdup (item_id (interactions, i));
      else if (g_strcmp0 (team, ids->lead_team) != 0 && ids->other_interaction == NULL
               && seen_out++ == skip)
        ids->other_interaction = g_strdup (item_id (interactions, i));
    }
  g_assert_nonnull (ids->interaction);
  g_assert_nonnull (ids->other_interaction);
  g_assert_cmpuint (forms->len, ==, 2);
  ids->form = g_strdup (item_id (forms, 0));
}

/* tests */

static void
test_cli_dump (void)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *previous = NULL;
  guint n;

  g_assert_cmpint (central_run (centre.data, NULL, &first, NULL, "dump", "evaluations", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, &second, NULL, "dump", "evaluations", NULL), ==, 0);
  g_assert_cmpstr (first, ==, second);
  lines = g_strsplit (first, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >, 10);
  g_assert_cmpstr (lines[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *again = NULL;
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      /* canonical: re-serialising gives the same bytes; sorted by id */
      again = assay_sync_dump_line (json_object_get_string_member (object, "id"),
                                    json_object_get_int_member (object, "rev"),
                                    json_object_get_member (object, "data"));
      g_assert_cmpstr (again, ==, lines[i]);
      g_assert_null (strchr (lines[i], ' ') != NULL && strstr (lines[i], "\": ") != NULL
                     ? "spaced" : NULL);
      if (previous != NULL)
        g_assert_cmpint (strcmp (previous, json_object_get_string_member (object, "id")), <, 0);
      g_free (previous);
      previous = g_strdup (json_object_get_string_member (object, "id"));
    }

  g_assert_cmpuint (dump_count ("teams"), ==, 3);
  g_assert_cmpuint (dump_count ("users"), ==, 5);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, &err, "dump", "nonsense", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not a collection"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, &err, "user", "add", "x", "--name", "X",
                                "--role", "boss", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "unknown role 'boss'"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, &err, "user", "add", "y", "--name", "Y",
                                "--role", "agent", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--agent CODE"));
}

static void
test_session (void)
{
  g_autoptr(JsonNode) inspector = central_get_json (centre.server->base, "/api/v1/session",
                                                    token ("inspector"), 200);
  g_autoptr(JsonNode) admin = central_get_json (centre.server->base, "/api/v1/session",
                                                token ("admin"), 200);
  g_autoptr(JsonNode) anonymous = central_get_json (centre.server->base, "/api/v1/session",
                                                    NULL, 401);
  JsonObject *object = json_node_get_object (inspector);
  JsonArray *collections = json_object_get_array_member (object, "collections");
  gboolean has_users = FALSE, has_evaluations = FALSE;

  g_assert_cmpint (json_object_get_int_member (object, "protocol"), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (
    json_object_get_array_member (json_object_get_object_member (object, "user"), "roles"), 0),
    ==, "inspector");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "limits"),
                                               "maxPageSize"), ==, ASSAY_SYNC_MAX_PAGE);
  for (guint i = 0; i < json_array_get_length (collections); i++)
    {
      JsonObject *c = json_array_get_object_element (collections, i);
      const char *name = json_object_get_string_member (c, "name");

      has_users |= strcmp (name, "users") == 0;
      if (strcmp (name, "evaluations") == 0)
        {
          has_evaluations = TRUE;
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "actions")),
                            ==, 5);
        }
    }
  g_assert_false (has_users);
  g_assert_true (has_evaluations);

  collections = json_object_get_array_member (json_node_get_object (admin), "collections");
  has_users = FALSE;
  for (guint i = 0; i < json_array_get_length (collections); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (collections, i),
                                                        "name");

      has_users |= strcmp (name, "users") == 0;
      g_assert_cmpstr (name, !=, "interactions");
    }
  g_assert_true (has_users);
  g_assert_cmpstr (central_member_string (anonymous, "type"), ==,
                   ASSAY_SYNC_PROBLEM_BASE "unauthorized");
}

static void
test_feed_paging (void)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *cursor = NULL;
  g_autofree char *end = NULL;
  g_autofree char *end2 = NULL;
  g_autofree char *mid = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) page = NULL;
  guint pages = 0, n = dump_count ("interactions");

  all = pull ("inspector", "interactions", 150, NULL, &end, &pages);
  g_assert_cmpuint (all->len, ==, n);
  g_assert_cmpuint (pages, >=, n / 150);
  for (guint i = 0; i < all->len; i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) item_id (all, i)));

  /* resume: one page, then the rest from its cursor, is the same as all */
  path = g_strdup_printf ("/api/v1/changes/interactions?limit=100");
  page = central_get_json (centre.server->base, path, token ("inspector"), 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (page), "hasMore"));
  mid = g_strdup (central_member_string (page, "cursor"));
  rest = pull ("inspector", "interactions", 300, mid, NULL, NULL);
  g_assert_cmpuint (rest->len + 100, ==, all->len);
  for (guint i = 0; i < rest->len; i++)
    g_assert_cmpstr (item_id (rest, i), ==, item_id (all, i + 100));

  /* nothing new: one page, empty, not more */
  again = pull ("inspector", "interactions", 150, end, &end2, &pages);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpuint (pages, ==, 1);
}

static void
test_feed_gone (void)
{
  g_autofree char *lead_cursor = NULL;
  g_autofree char *inspector_cursor = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tampered = NULL;
  g_autoptr(GPtrArray) a = pull ("lead", "evaluations", 1000, NULL, &lead_cursor, NULL);
  g_autoptr(GPtrArray) b = pull ("inspector", "evaluations", 1000, NULL, &inspector_cursor, NULL);
  g_autoptr(JsonNode) foreign = NULL;
  g_autoptr(JsonNode) damaged = NULL;
  g_autoptr(JsonNode) other = NULL;

  /* another user's cursor */
  path = g_strdup_printf ("/api/v1/changes/evaluations?since=%s", lead_cursor);
  foreign = central_get_json (centre.server->base, path, token ("inspector"), 410);
  g_assert_cmpstr (central_member_string (foreign, "type"), ==,
                   ASSAY_SYNC_PROBLEM_BASE "cursor-expired");
  g_assert_nonnull (strstr (central_member_string (foreign, "detail"), "another user"));
  /* a cursor of another collection */
  g_free (path);
  path = g_strdup_printf ("/api/v1/changes/assignments?since=%s", inspector_cursor);
  other = central_get_json (centre.server->base, path, token ("inspector"), 410);
  /* a damaged one */
  tampered = g_strdup (inspector_cursor);
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  g_free (path);
  path = g_strdup_printf ("/api/v1/changes/evaluations?since=%s", tampered);
  damaged = central_get_json (centre.server->base, path, token ("inspector"), 410);
}

static void
test_ops_apply_duplicate (void)
{
  Ids ids = { 0 };
  g_autofree char *op_id = new_uuid ();
  g_autofree char *id = new_uuid ();
  g_autofree char *key = new_uuid ();
  g_autofree char *key2 = new_uuid ();
  g_autofree char *op = NULL;
  g_autofree char *body = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *dump = NULL;
  g_autoptr(CentralReply) first = NULL;
  g_autoptr(CentralReply) replay = NULL;
  g_autoptr(CentralReply) other_batch = NULL;
  g_autoptr(CentralReply) reused = NULL;
  g_autoptr(CentralReply) no_key = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) echo = NULL;
  JsonObject *r;
  gint64 seq;

  pick_ids (&ids, 0);
  before = pull ("inspector", "evaluations", 1000, NULL, &cursor, NULL);
  op = eval_op (op_id, id, "create", 0, ids.interaction, ids.form, ids.me, "draft", 3, NULL);
  body = batch (op);

  first = post_ops ("inspector", key, body);
  r = result_at (first, 0);
  g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (r, "rev"), ==, 1);
  seq = json_object_get_int_member (r, "seq");

  /* the same batch again (a retry after a lost answer): the stored result, one effect */
  replay = post_ops ("inspector", key, body);
  r = result_at (replay, 0);
  g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "duplicate");
  g_assert_cmpint (json_object_get_int_member (r, "rev"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (r, "seq"), ==, seq);
  /* the same operation in another batch: still one effect */
  other_batch = post_ops ("inspector", key2, body);
  g_assert_cmpstr (json_object_get_string_member (result_at (other_batch, 0), "status"), ==,
                   "duplicate");
  /* the key again with another body */
  reused = post_ops ("inspector", key, "{\"ops\":[]}");
  g_assert_cmpuint (reused->status, ==, 422);
  no_key = post_ops ("inspector", NULL, body);
  g_assert_cmpuint (no_key->status, ==, 400);

  g_assert_cmpint (central_run (centre.data, NULL, &dump, NULL, "dump", "evaluations", NULL), ==, 0);
  g_assert_nonnull (strstr (dump, id));
  g_assert_null (strstr (strstr (dump, id) + 1, id));

  /* the echo: one item with our op id */
  echo = pull ("inspector", "evaluations", 1000, cursor, NULL, NULL);
  g_assert_cmpuint (echo->len, ==, 1);
  g_assert_cmpstr (item_id (echo, 0), ==, id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (g_ptr_array_index (echo, 0)),
                                                  "lastOpId"), ==, op_id);
  ids_clear (&ids);
}

static gint64
apply_ok (const char *login,
          const char *op)
{
  g_autofree char *key = new_uuid ();
  g_autofree char *body = batch (op);
  g_autoptr(CentralReply) reply = post_ops (login, key, body);
  JsonObject *r = result_at (reply, 0);

  if (strcmp (json_object_get_string_member (r, "status"), "applied") != 0)
    g_test_message ("%.*s", (int) g_bytes_get_size (reply->body),
                    (const char *) g_bytes_get_data (reply->body, NULL));
  g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "applied");
  return json_object_get_int_member (r, "rev");
}

/* the same audit checks as below, on the PostgreSQL database of the server-pg suite */
static void
check_audit_pg (const char *url,
                const char *id,
                const char *me)
{
  PGconn *conn = PQconnectdb (url);
  const char *params[] = { id };
  PGresult *res;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexecParams (conn, "SELECT action, reason, user_id, after FROM audit_log "
                            "WHERE object_id = $1 ORDER BY n", 1, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (res), ==, 3);
  g_assert_cmpstr (PQgetvalue (res, 2, 0), ==, "amend");
  g_assert_cmpstr (PQgetvalue (res, 2, 1), ==, "Appeal upheld: the customer asked for the hold");
  g_assert_cmpstr (PQgetvalue (res, 2, 2), !=, me);
  g_assert_cmpstr (PQgetvalue (res, 2, 3), ==, "{\"empathy\":{\"value\":3}}");
  PQclear (res);
  /* append-only */
  res = PQexec (conn, "UPDATE audit_log SET reason = 'x'");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_FATAL_ERROR);
  PQclear (res);
  res = PQexec (conn, "DELETE FROM audit_log");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_FATAL_ERROR);
  PQclear (res);
  PQfinish (conn);
}

static void
test_ops_conflict (void)
{
  Ids ids = { 0 };
  g_autofree char *id = new_uuid ();
  g_autofree char *o1 = new_uuid (), *o2 = new_uuid (), *o3 = new_uuid (), *o4 = new_uuid ();
  g_autofree char *create = NULL, *update = NULL, *stale = NULL, *after = NULL, *body = NULL;
  g_autofree char *key = new_uuid ();
  g_autoptr(CentralReply) reply = NULL;
  JsonObject *r, *current;

  pick_ids (&ids, 1);
  create = eval_op (o1, id, "create", 0, ids.interaction, ids.form, ids.me, "draft", 1, NULL);
  g_assert_cmpint (apply_ok ("inspector", create), ==, 1);
  update = eval_op (o2, id, "update", 1, ids.interaction, ids.form, ids.me, "draft", 2, NULL);
  g_assert_cmpint (apply_ok ("inspector", update), ==, 2);

  /* the other machine's edit, from rev 1, and a later one of the same object in its batch */
  stale = eval_op (o3, id, "update", 1, ids.interaction, ids.form, ids.me, "draft", 5, NULL);
  after = eval_op (o4, id, "submit", 1, ids.interaction, ids.form, ids.me, "draft", 5, NULL);
  body = g_strdup_printf ("{\"ops\":[%s,%s]}", stale, after);
  reply = post_ops ("inspector", key, body);
  r = result_at (reply, 0);
  g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "conflict");
  current = json_object_get_object_member (r, "current");
  g_assert_cmpint (json_object_get_int_member (current, "rev"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (
    json_object_get_object_member (json_object_get_object_member (
      json_object_get_object_member (current, "data"), "answers"), "empathy"), "value"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
    json_object_get_object_member (r, "problem"), "type"), ==, "stale-revision");
  g_assert_cmpstr (json_object_get_string_member (result_at (reply, 1), "status"), ==, "blocked");
  ids_clear (&ids);
}

static void
test_ops_amend (void)
{
  Ids ids = { 0 };
  g_autofree char *id = new_uuid ();
  g_autofree char *o1 = new_uuid (), *o2 = new_uuid (), *o3 = new_uuid (), *o4 = new_uuid ();
  g_autofree char *o5 = new_uuid (), *o6 = new_uuid ();
  g_autofree char *op = NULL, *body = NULL, *key = NULL, *db_path = NULL;
  g_autoptr(CentralReply) reply = NULL;
  g_autoptr(CentralReply) no_reason = NULL;
  JsonObject *r;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_rows = 0;

  pick_ids (&ids, 2);
  op = eval_op (o1, id, "create", 0, ids.interaction, ids.form, ids.me, "draft", 1, NULL);
  apply_ok ("inspector", op);
  g_free (op);
  op = eval_op (o2, id, "submit", 1, ids.interaction, ids.form, ids.me, "draft", 4, NULL);
  g_assert_cmpint (apply_ok ("inspector", op), ==, 2);

  /* submitted work is not updated */
  g_free (op);
  op = eval_op (o3, id, "update", 2, ids.interaction, ids.form, ids.me, "draft", 5, NULL);
  body = batch (op);
  key = new_uuid ();
  reply = post_ops ("inspector", key, body);
  r = result_at (reply, 0);
  g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "problem"),
                                                  "type"), ==, "submitted-immutable");

  /* an amend says why */
  g_free (op);
  g_free (body);
  g_free (key);
  op = eval_op (o4, id, "amend", 2, ids.interaction, ids.form, ids.me, "submitted", 3, NULL);
  body = batch (op);
  key = new_uuid ();
  no_reason = post_ops ("lead", key, body);
  g_assert_cmpuint (no_reason->status, ==, 400);
  g_assert_nonnull (strstr (central_member_string (no_reason->json, "detail"), "reason"));

  /* the lead of the contact's team amends with a reason */
  g_free (op);
  op = eval_op (o5, id, "amend", 2, ids.interaction, ids.form, ids.me, "submitted", 3,
                "Appeal upheld: the customer asked for the hold");
  g_assert_cmpint (apply_ok ("lead", op), ==, 3);

  /* a stale amend is rejected, with the current object */
  g_free (op);
  g_free (body);
  g_free (key);
  g_clear_pointer (&reply, central_reply_free);
  op = eval_op (o6, id, "amend", 2, ids.interaction, ids.form, ids.me, "submitted", 1,
                "Second thoughts");
  body = batch (op);
  key = new_uuid ();
  reply = post_ops ("inspector", key, body);
  r = result_at (reply, 0);
  g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "problem"),
                                                  "type"), ==, "stale-revision");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (r, "current"),
                                               "rev"), ==, 3);

  /* the audit log: create, submit, amend with the lead, the reason and the answers */
  if (central_db_url (centre.data) != NULL)
    {
      check_audit_pg (central_db_url (centre.data), id, ids.me);
      ids_clear (&ids);
      return;
    }
  db_path = g_build_filename (centre.data, "central.db", NULL);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT action, reason, user_id, after "
                                           "FROM audit_log WHERE object_id = ?1 ORDER BY n",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *action = (const char *) sqlite3_column_text (stmt, 0);

      n_rows++;
      if (n_rows == 3)
        {
          g_assert_cmpstr (action, ==, "amend");
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==,
                           "Appeal upheld: the customer asked for the hold");
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), !=, ids.me);
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 3), ==,
                           "{\"empathy\":{\"value\":3}}");
        }
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_rows, ==, 3);
  /* append-only */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit_log SET reason = 'x'", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit_log", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT);
  sqlite3_close (db);
  ids_clear (&ids);
}

static void
test_ops_partial (void)
{
  Ids ids = { 0 };
  g_autofree char *x = new_uuid (), *y = new_uuid ();
  g_autofree char *o1 = new_uuid (), *o2 = new_uuid (), *o3 = new_uuid ();
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *body = NULL, *dump = NULL;
  g_autofree char *key = new_uuid ();
  g_autoptr(CentralReply) reply = NULL;

  pick_ids (&ids, 5);
  /* one operation that may not apply, between two that do: it undoes only itself */
  a = eval_op (o1, x, "create", 0, ids.interaction, ids.form, ids.me, "draft", 1, NULL);
  b = g_strdup_printf ("{\"opId\":\"%s\",\"collection\":\"teams\",\"id\":\"%s\","
                       "\"action\":\"update\",\"baseRev\":1,\"data\":{\"name\":\"Mine\"}}",
                       o2, ids.lead_team);
  c = eval_op (o3, y, "create", 0, ids.other_interaction, ids.form, ids.me, "draft", 2, NULL);
  body = g_strdup_printf ("{\"ops\":[%s,%s,%s]}", a, b, c);
  reply = post_ops ("inspector", key, body);
  g_assert_cmpstr (json_object_get_string_member (result_at (reply, 0), "status"), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (result_at (reply, 1), "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (reply, 2), "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (result_at (reply, 2), "seq"), >,
                   json_object_get_int_member (result_at (reply, 0), "seq"));
  g_assert_cmpint (central_run (centre.data, NULL, &dump, NULL, "dump", "evaluations", NULL), ==, 0);
  g_assert_nonnull (strstr (dump, x));
  g_assert_nonnull (strstr (dump, y));
  ids_clear (&ids);
}

static void
assert_rejected_right (const char *login,
                       const char *op,
                       const char *right)
{
  g_autofree char *key = new_uuid ();
  g_autofree char *body = batch (op);
  g_autoptr(CentralReply) reply = post_ops (login, key, body);
  JsonObject *r = result_at (reply, 0);
  JsonObject *problem;

  g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "rejected");
  problem = json_object_get_object_member (r, "problem");
  g_assert_cmpstr (json_object_get_string_member (problem, "type"), ==, "missing-right");
  g_assert_cmpstr (json_object_get_string_member (problem, "right"), ==, right);
}

static void
test_roles (void)
{
  Ids ids = { 0 };
  g_autofree char *o1 = new_uuid (), *o2 = new_uuid (), *o3 = new_uuid (), *o4 = new_uuid ();
  g_autofree char *id = new_uuid (), *id2 = new_uuid (), *id3 = new_uuid ();
  g_autofree char *op = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL;
  g_autoptr(JsonNode) lead_session = NULL, agent_session = NULL;
  g_autoptr(GPtrArray) evals = NULL, lead_evals = NULL, agent_evals = NULL, manager_evals = NULL;
  g_autoptr(GPtrArray) lead_contacts = NULL, agent_contacts = NULL, agent_forms = NULL;
  JsonArray *lead_teams;
  const char *agent_id;
  guint n_submitted_of_agent = 0;

  pick_ids (&ids, 3);

  /* inspector: their own evaluations only; no users; no edits of contacts or others' work */
  evals = pull ("inspector", "evaluations", 1000, NULL, NULL, NULL);
  g_assert_cmpuint (evals->len, >, 0);
  for (guint i = 0; i < evals->len; i++)
    g_assert_cmpstr (json_object_get_string_member (item_data (evals, i), "inspectorId"), ==,
                     ids.me);
  manager_evals = pull ("manager", "evaluations", 1000, NULL, NULL, NULL);
  g_assert_cmpuint (manager_evals->len, ==, dump_count ("evaluations"));
  g_assert_cmpuint (manager_evals->len, >, evals->len);
  n1 = central_get_json (centre.server->base, "/api/v1/changes/users", token ("inspector"), 403);
  op = g_strdup_printf ("{\"opId\":\"%s\",\"collection\":\"interactions\",\"id\":\"%s\","
                        "\"action\":\"update\",\"baseRev\":1,\"data\":{\"channel\":\"phone\"}}",
                        o1, ids.interaction);
  assert_rejected_right ("inspector", op, "interactions:update");
  g_free (op);
  /* creating an evaluation in another inspector's name */
  op = eval_op (o2, id, "create", 0, ids.interaction, ids.form,
                json_object_get_string_member (item_data (manager_evals, 0), "inspectorId")
                  != NULL && g_strcmp0 (json_object_get_string_member (item_data (manager_evals, 0),
                                                                       "inspectorId"), ids.me) != 0
                  ? json_object_get_string_member (item_data (manager_evals, 0), "inspectorId")
                  : "00000000-0000-4000-8000-000000000000",
                "draft", 1, NULL);
  assert_rejected_right ("inspector", op, "evaluations:create");

  /* lead: their teams' contacts and evaluations; no evaluations of their own; amend only theirs */
  lead_session = central_get_json (centre.server->base, "/api/v1/session", token ("lead"), 200);
  lead_teams = json_object_get_array_member (json_object_get_object_member (
    json_node_get_object (lead_session), "user"), "teamIds");
  lead_contacts = pull ("lead", "interactions", 1000, NULL, NULL, NULL);
  g_assert_cmpuint (lead_contacts->len, >, 0);
  g_assert_cmpuint (lead_contacts->len, <, dump_count ("interactions"));
  for (guint i = 0; i < lead_contacts->len; i++)
    {
      const char *team = json_object_get_string_member (item_data (lead_contacts, i), "teamId");
      gboolean theirs = FALSE;

      for (guint t = 0; t < json_array_get_length (lead_teams); t++)
        theirs |= g_strcmp0 (team, json_array_get_string_element (lead_teams, t)) == 0;
      g_assert_true (theirs);
    }
  lead_evals = pull ("lead", "evaluations", 1000, NULL, NULL, NULL);
  g_assert_cmpuint (lead_evals->len, <, manager_evals->len);
  g_free (op);
  op = eval_op (o3, id2, "create", 0, ids.interaction, ids.form, ids.me, "draft", 1, NULL);
  assert_rejected_right ("lead", op, "evaluations:create");
  /* an evaluation of another team's contact, submitted by the inspector, is not the lead's */
  g_free (op);
  op = eval_op (o4, id3, "create", 0, ids.other_interaction, ids.form, ids.me, "draft", 1, NULL);
  apply_ok ("inspector", op);
  {
    g_autofree char *s = new_uuid (), *a = new_uuid ();
    g_autofree char *submit = eval_op (s, id3, "submit", 1, ids.other_interaction, ids.form,
                                       ids.me, "draft", 2, NULL);
    g_autofree char *amend = eval_op (a, id3, "amend", 2, ids.other_interaction, ids.form, ids.me,
                                      "submitted", 1, "Not my team");
    g_autofree char *key = new_uuid ();
    g_autofree char *body = batch (amend);
    g_autoptr(CentralReply) reply = NULL;
    JsonObject *r;

    apply_ok ("inspector", submit);
    reply = post_ops ("lead", key, body);
    r = result_at (reply, 0);
    g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "rejected");
    /* the lead may not even see it */
    g_assert_false (json_object_has_member (r, "current"));
  }

  /* agent: own contacts and own submitted evaluations, the forms of those; no assignments */
  agent_session = central_get_json (centre.server->base, "/api/v1/session", token ("agent"), 200);
  agent_id = json_object_get_string_member (json_object_get_object_member (
    json_node_get_object (agent_session), "user"), "agentId");
  g_assert_nonnull (agent_id);
  agent_contacts = pull ("agent", "interactions", 1000, NULL, NULL, NULL);
  g_assert_cmpuint (agent_contacts->len, >, 0);
  for (guint i = 0; i < agent_contacts->len; i++)
    g_assert_cmpstr (json_object_get_string_member (item_data (agent_contacts, i), "agentId"), ==,
                     agent_id);
  agent_evals = pull ("agent", "evaluations", 1000, NULL, NULL, NULL);
  g_assert_cmpuint (agent_evals->len, >, 0);
  for (guint i = 0; i < agent_evals->len; i++)
    {
      const char *interaction = json_object_get_string_member (item_data (agent_evals, i),
                                                               "interactionId");
      gboolean own = FALSE;

      g_assert_cmpstr (json_object_get_string_member (item_data (agent_evals, i), "state"), ==,
                       "submitted");
      for (guint j = 0; j < agent_contacts->len; j++)
        own |= g_strcmp0 (item_id (agent_contacts, j), interaction) == 0;
      g_assert_true (own);
      n_submitted_of_agent++;
    }
  agent_forms = pull ("agent", "forms", 100, NULL, NULL, NULL);
  g_assert_cmpuint (agent_forms->len, >=, 1);
  g_assert_cmpuint (agent_forms->len, <=, 2);
  n2 = central_get_json (centre.server->base, "/api/v1/changes/assignments", token ("agent"), 403);

  /* admin: users, no contacts */
  n3 = central_get_json (centre.server->base, "/api/v1/changes/interactions", token ("admin"), 403);
  n4 = central_get_json (centre.server->base, "/api/v1/changes/users", token ("admin"), 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (n4), "upserted")), ==, dump_count ("users"));
  ids_clear (&ids);
}

static void
test_scope_exit (void)
{
  Ids ids = { 0 };
  g_autofree char *a = new_uuid (), *o1 = new_uuid (), *o2 = new_uuid ();
  g_autofree char *op = NULL, *cursor = NULL, *path = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(JsonNode) page = NULL;
  JsonArray *deleted;

  pick_ids (&ids, 4);
  /* the lead assigns a contact of their team to the inspector, who pulls it */
  op = g_strdup_printf ("{\"opId\":\"%s\",\"collection\":\"assignments\",\"id\":\"%s\","
                        "\"action\":\"create\",\"data\":{\"interactionId\":\"%s\","
                        "\"inspectorId\":\"%s\",\"formVersionId\":\"%s\",\"source\":\"centre\"}}",
                        o1, a, ids.interaction, ids.me, ids.form);
  apply_ok ("lead", op);
  before = pull ("inspector", "assignments", 1000, NULL, &cursor, NULL);
  /* then reassigns it to someone else: it leaves the inspector's queue */
  g_free (op);
  op = g_strdup_printf ("{\"opId\":\"%s\",\"collection\":\"assignments\",\"id\":\"%s\","
                        "\"action\":\"update\",\"baseRev\":1,\"data\":{\"interactionId\":\"%s\","
                        "\"inspectorId\":\"%s\",\"formVersionId\":\"%s\",\"source\":\"centre\"}}",
                        o2, a, ids.interaction, "00000000-0000-4000-8000-00000000000a", ids.form);
  apply_ok ("lead", op);
  path = g_strdup_printf ("/api/v1/changes/assignments?since=%s", cursor);
  page = central_get_json (centre.server->base, path, token ("inspector"), 200);
  deleted = json_object_get_array_member (json_node_get_object (page), "deleted");
  g_assert_cmpuint (json_array_get_length (deleted), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (deleted, 0), "id"),
                   ==, a);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (deleted, 0),
                                                  "reason"), ==, "out-of-scope");
  ids_clear (&ids);
}

static void
test_revoked_token (void)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) other = NULL;
  char *token_text;

  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", "manager", NULL),
                   ==, 0);
  token_text = g_strstrip (out);
  before = central_get_json (centre.server->base, "/api/v1/session", token_text, 200);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "token", "revoke", token_text, NULL),
                   ==, 0);
  after = central_get_json (centre.server->base, "/api/v1/session", token_text, 401);
  g_assert_nonnull (strstr (central_member_string (after, "detail"), "revoked"));
  /* the manager's other token still works */
  other = central_get_json (centre.server->base, "/api/v1/session", token ("manager"), 200);
}

static CentralReply *
sign_in (const char *login,
         const char *password)
{
  g_autofree char *url = g_strconcat (centre.server->base, "/api/v1/auth/token", NULL);
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login,
                                           password);

  return central_request (NULL, "POST", url, NULL, NULL, body, -1);
}

static void
test_sign_in (void)
{
  g_autoptr(CentralReply) good = NULL;
  g_autoptr(JsonNode) session = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "user", "add", "signin",
                                "--name", "Sign In", "--role", "inspector", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, "short\n", NULL, &err, "user", "password", "signin",
                                NULL), ==, 2);
  g_assert_nonnull (strstr (err, "at least 8"));
  g_assert_cmpint (central_run (centre.data, "correct horse battery\n", NULL, NULL, "user",
                                "password", "signin", NULL), ==, 0);

  good = sign_in ("signin", "correct horse battery");
  g_assert_cmpuint (good->status, ==, 200);
  session = central_get_json (centre.server->base, "/api/v1/session",
                              central_member_string (good->json, "token"), 200);

  /* wrong passwords: the third starts a wait, the next is refused with Retry-After */
  for (guint i = 1; i <= 4; i++)
    {
      g_autoptr(CentralReply) bad = sign_in ("signin", "wrong password");
      const char *retry = soup_message_headers_get_one (bad->headers, "Retry-After");

      if (i < 3)
        {
          g_assert_cmpuint (bad->status, ==, 401);
          g_assert_null (retry);
        }
      else if (i == 3)
        {
          g_assert_cmpuint (bad->status, ==, 401);
          g_assert_cmpstr (retry, ==, "1");
        }
      else
        {
          g_assert_cmpuint (bad->status, ==, 429);
          g_assert_nonnull (retry);
          g_assert_cmpint (g_ascii_strtoll (retry, NULL, 10), >=, 1);
          g_assert_cmpstr (central_member_string (bad->json, "type"), ==,
                           ASSAY_SYNC_PROBLEM_BASE "slow-down");
        }
    }
  /* during the wait even the right password is refused */
  {
    g_autoptr(CentralReply) waiting = sign_in ("signin", "correct horse battery");

    g_assert_cmpuint (waiting->status, ==, 429);
  }
  /* an unknown login answers as a wrong password does */
  {
    g_autoptr(CentralReply) unknown = sign_in ("nobody", "whatever123");

    g_assert_cmpuint (unknown->status, ==, 401);
    g_assert_cmpstr (central_member_string (unknown->json, "type"), ==,
                     ASSAY_SYNC_PROBLEM_BASE "sign-in-failed");
  }
}

static void
test_media (void)
{
  g_autofree char *csv = g_build_filename (centre.dir, "calls.csv", NULL);
  g_autofree char *wav = g_build_filename (centre.dir, "call.wav", NULL);
  g_autofree char *out = NULL;
  g_autofree char *url = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(CentralReply) full = NULL, part = NULL, cached = NULL, past = NULL, other = NULL;
  g_autoptr(GError) error = NULL;
  const char *recording_id = NULL;
  const char *range_headers[] = { "Range", "bytes=100-199", NULL };
  const char *past_headers[] = { "Range", "bytes=999999-", NULL };
  const char *none_match[] = { "If-None-Match", NULL, NULL };
  const char *if_range[] = { "Range", "bytes=100-199", "If-Range", "\"sha256:0000\"", NULL };

  for (guint i = 0; i < 50000; i++)
    {
      guint8 b = (guint8) (i * 7 + i / 251);

      g_byte_array_append (bytes, &b, 1);
    }
  g_assert_true (g_file_set_contents (wav, (const char *) bytes->data, bytes->len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv,
    "id,channel,queue,agent_code,agent_name,team,started_at,talk_s,recording\n"
    "5b7f6a3e-1111-4c2d-9e0f-000000000001,phone,Billing,T900,Test Agent,Test Team,"
    "2026-11-14T10:42:00Z,300,call.wav\n"
    "nonsense,fax,Billing,T900,,,yesterday,,\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "import", csv, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported 1 interactions (1 recordings)"));

  recordings = pull ("manager", "recordings", 1000, NULL, NULL, NULL);
  for (guint i = 0; i < recordings->len; i++)
    if (g_strcmp0 (json_object_get_string_member (item_data (recordings, i), "interactionId"),
                   "5b7f6a3e-1111-4c2d-9e0f-000000000001") == 0)
      recording_id = item_id (recordings, i);
  g_assert_nonnull (recording_id);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes->data, bytes->len);
  etag = g_strdup_printf ("\"sha256:%s\"", sha);
  url = g_strdup_printf ("%s/api/v1/recordings/%s/media", centre.server->base, recording_id);

  full = central_request (NULL, "GET", url, token ("manager"), NULL, NULL, 0);
  g_assert_cmpuint (full->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (full->body), ==, bytes->len);
  g_assert_cmpstr (soup_message_headers_get_one (full->headers, "ETag"), ==, etag);
  g_assert_cmpstr (soup_message_headers_get_one (full->headers, "Accept-Ranges"), ==, "bytes");

  part = central_request (NULL, "GET", url, token ("manager"), range_headers, NULL, 0);
  g_assert_cmpuint (part->status, ==, 206);
  g_assert_cmpuint (g_bytes_get_size (part->body), ==, 100);
  g_assert_cmpmem (g_bytes_get_data (part->body, NULL), 100, bytes->data + 100, 100);
  g_assert_cmpstr (soup_message_headers_get_one (part->headers, "Content-Range"), ==,
                   "bytes 100-199/50000");

  none_match[1] = etag;
  cached = central_request (NULL, "GET", url, token ("manager"), none_match, NULL, 0);
  g_assert_cmpuint (cached->status, ==, 304);

  past = central_request (NULL, "GET", url, token ("manager"), past_headers, NULL, 0);
  g_assert_cmpuint (past->status, ==, 416);

  /* a resume against another version of the file gets the whole file */
  other = central_request (NULL, "GET", url, token ("manager"), if_range, NULL, 0);
  g_assert_cmpuint (other->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (other->body), ==, bytes->len);

  /* an admin may not hear contacts */
  {
    g_autoptr(CentralReply) denied = central_request (NULL, "GET", url, token ("admin"), NULL,
                                                      NULL, 0);

    g_assert_cmpuint (denied->status, ==, 404);
  }
}

static void
test_limits (void)
{
  g_autofree char *url = g_strconcat (centre.server->base, "/api/v1/ops", NULL);
  g_autofree char *key = new_uuid ();
  const char *headers[] = { "Idempotency-Key", key, NULL };
  gsize big_len = ASSAY_SYNC_MAX_REQUEST_BYTES + 1024;
  g_autofree char *big = g_malloc (big_len);
  g_autoptr(GString) many = g_string_new ("{\"ops\":[");
  g_autoptr(CentralReply) too_big = NULL;
  g_autoptr(CentralReply) too_many = NULL;
  g_autoptr(CentralReply) bad = NULL;
  g_autoptr(CentralReply) deep = NULL;
  g_autoptr(GString) nested = g_string_new ("{\"ops\":");

  memset (big, ' ', big_len);
  /* read to the end, then refused */
  too_big = central_request (NULL, "POST", url, token ("inspector"), headers, big,
                             (gssize) big_len);
  g_assert_cmpuint (too_big->status, ==, 413);
  g_assert_cmpstr (central_member_string (too_big->json, "type"), ==,
                   ASSAY_SYNC_PROBLEM_BASE "too-large");
  /* refused before the body is sent, when the client waits for 100 Continue */

  {
    const char *expect[] = { "Idempotency-Key", key, "Expect", "100-continue", NULL };
    g_autoptr(CentralReply) early = central_request (NULL, "POST", url, token ("inspector"),
                                                     expect, big, (gssize) big_len);

    g_assert_cmpuint (early->status, ==, 413);
  }

  for (guint i = 0; i <= ASSAY_SYNC_MAX_OPS; i++)
    {
      g_autofree char *o = new_uuid ();

      g_string_append_printf (many, "%s{\"opId\":\"%s\",\"collection\":\"evaluations\","
                              "\"id\":\"%s\",\"action\":\"delete\",\"baseRev\":1}",
                              i > 0 ? "," : "", o, o);
    }
  g_string_append (many, "]}");
  too_many = central_request (NULL, "POST", url, token ("inspector"), headers, many->str, -1);
  g_assert_cmpuint (too_many->status, ==, 413);

  bad = central_request (NULL, "POST", url, token ("inspector"), headers,
                         "{\"ops\":[{\"opId\":\"x\"}]}", -1);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_nonnull (strstr (central_member_string (bad->json, "detail"), "ops[0].opId"));

  for (guint i = 0; i < 100; i++)
    g_string_append_c (nested, '[');
  for (guint i = 0; i < 100; i++)
    g_string_append_c (nested, ']');
  g_string_append_c (nested, '}');
  deep = central_request (NULL, "POST", url, token ("inspector"), headers, nested->str, -1);
  g_assert_cmpuint (deep->status, ==, 400);
}

static void
test_gzip (void)
{
  g_autofree char *url = g_strconcat (centre.server->base,
                                      "/api/v1/changes/interactions?limit=200", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CentralReply) plain = NULL;
  g_autoptr(CentralReply) zipped = NULL;

  /* a libsoup session asks for gzip by default and decodes it */
  zipped = central_request (session, "GET", url, token ("inspector"), NULL, NULL, 0);
  g_assert_cmpuint (zipped->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (zipped->headers, "Content-Encoding"), ==, "gzip");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (zipped->json), "upserted")), ==, 200);

  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  plain = central_request (session, "GET", url, token ("inspector"), NULL, NULL, 0);
  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_null (soup_message_headers_get_one (plain->headers, "Content-Encoding"));
  g_assert_cmpuint (g_bytes_get_size (plain->body), ==, g_bytes_get_size (zipped->body));
}

static void
test_compact_expires_cursors (void)
{
  g_autofree char *cursor = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) items = pull ("manager", "teams", 100, NULL, &cursor, NULL);
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) gone = NULL;

  path = g_strdup_printf ("/api/v1/changes/teams?since=%s", cursor);
  ok = central_get_json (centre.server->base, path, token ("manager"), 200);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "compact", NULL), ==, 0);
  gone = central_get_json (centre.server->base, path, token ("manager"), 410);
  g_assert_nonnull (strstr (central_member_string (gone, "detail"), "expired"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *empty = NULL;
  g_autofree char *forms = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  centre.dir = central_new_dir ();
  centre.data = g_build_filename (centre.dir, "data", NULL);
  empty = g_build_filename (centre.dir, "no-recordings", NULL);
  g_mkdir (empty, 0700);
  forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms", NULL);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (central_run (centre.data, NULL, NULL, NULL, "seed", "--interactions", "1500",
                                "--days", "21", "--recordings", empty, "--forms", forms,
                                NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_autofree char *out = NULL;

      g_assert_cmpint (central_run (centre.data, NULL, &out, NULL, "token", "create", logins[i],
                                    NULL), ==, 0);
      centre.tokens[i] = g_strdup (g_strstrip (out));
      g_assert_true (g_str_has_prefix (centre.tokens[i], "ast_"));
    }
  centre.server = central_server_start (centre.data, NULL);

  g_test_add_func ("/server/dump", test_cli_dump);
  g_test_add_func ("/server/session", test_session);
  g_test_add_func ("/server/feed-paging", test_feed_paging);
  g_test_add_func ("/server/feed-gone", test_feed_gone);
  g_test_add_func ("/server/ops-apply-duplicate", test_ops_apply_duplicate);
  g_test_add_func ("/server/ops-conflict", test_ops_conflict);
  g_test_add_func ("/server/ops-amend", test_ops_amend);
  g_test_add_func ("/server/ops-partial", test_ops_partial);
  g_test_add_func ("/server/roles", test_roles);
  g_test_add_func ("/server/feed-scope-exit", test_scope_exit);
  g_test_add_func ("/server/auth-revoked", test_revoked_token);
  g_test_add_func ("/server/auth-sign-in", test_sign_in);
  g_test_add_func ("/server/media", test_media);
  g_test_add_func ("/server/limits", test_limits);
  g_test_add_func ("/server/gzip", test_gzip);
  g_test_add_func ("/server/feed-compact", test_compact_expires_cursors);
  rc = g_test_run ();

  central_server_stop (centre.server);
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    g_free (centre.tokens[i]);
  central_remove_dir (centre.dir);
  g_free (centre.dir);
  g_free (centre.data);
  return rc;
}
