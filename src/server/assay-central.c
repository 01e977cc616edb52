/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-central.h"
#include "assay-central-auth.h"
#include "assay-central-sync.h"
#include "protocol/assay-protocol.h"

/*
 * The HTTP layer: routes, authentication, limits, compression, problem answers. What a request
 * means is in assay-central-sync.c; where data lives is behind AssayCentralStorage.
 */

#define GZIP_MIN_BYTES      1024
#define SIGN_IN_FREE_TRIES  3
#define SIGN_IN_MAX_WAIT_S  300

typedef struct {
  guint  failures;
  gint64 until_us;
} SignInState;

struct _AssayCentral
{
  GObject              parent_instance;
  SoupServer          *server;
  AssayCentralStorage *storage;
  GHashTable          *sign_ins;   /* "login\nhost" → SignInState */
};

G_DEFINE_FINAL_TYPE (AssayCentral, assay_central, G_TYPE_OBJECT)

/* answers */

static gboolean
accepts_gzip (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Encoding");

  return accept != NULL && soup_header_contains (accept, "gzip");
}

static GBytes *
gzip_bytes (const char *data,
            gsize       len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (out, data, len, NULL, NULL, NULL)
      || !g_output_stream_close (out, NULL, NULL))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *content_type,
       const char        *body,
       gsize              len)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_append (headers, "Vary", "Accept-Encoding");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (len >= GZIP_MIN_BYTES && accepts_gzip (msg))
    {
      g_autoptr(GBytes) gz = gzip_bytes (body, len);

      if (gz != NULL)
        {
          soup_message_headers_replace (headers, "Content-Encoding", "gzip");
          soup_message_headers_set_content_type (headers, content_type, NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), gz);
          return;
        }
    }
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, len);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autofree char *body = assay_protocol_to_string (node, FALSE);

  reply (msg, status, "application/json", body, strlen (body));
}

static void
problem (SoupServerMessage *msg,
         guint              status,
         const char        *name,
         const char        *detail)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *type = g_strconcat (ASSAY_SYNC_PROBLEM_BASE, name, NULL);
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, status == 429 ? "Too Many Requests"
                                    : status == 422 ? "Unprocessable Content"
                                    : soup_status_get_phrase (status));
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "detail");
  json_builder_add_string_value (b, detail);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = assay_protocol_to_string (root, FALSE);
  reply (msg, status, "application/problem+json", body, strlen (body));
}

static void
storage_problem (SoupServerMessage *msg,
                 const GError      *error)
{
  g_warning ("storage: %s", error->message);
  problem (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server-error",
           "The server's database failed; try again later");
}

static GBytes *
request_body (SoupServerMessage *msg,
              gsize              limit)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GBytes *bytes = soup_message_body_flatten (body);

  if (g_bytes_get_size (bytes) > limit)
    {
      g_autofree char *detail =
        g_strdup_printf ("The request body is larger than the limit of %" G_GSIZE_FORMAT
                         " bytes; send less at once", limit);

      g_bytes_unref (bytes);
      problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", detail);
      return NULL;
    }
  return bytes;
}

static JsonNode *
request_json (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = request_body (msg, ASSAY_SYNC_MAX_REQUEST_BYTES);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (bytes == NULL)
    return NULL;
  node = assay_central_parse_json (g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), &error);
  if (node == NULL)
    {
      problem (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      json_node_unref (node);
      problem (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", "The body must be a JSON object");
      return NULL;
    }
  return node;
}

/* authentication */

static AssayCentralCaller *
authenticate (AssayCentral      *self,
              SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autoptr(AssayCentralUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  AssayCentralCaller *caller;
  int found;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || header[7] == '\0')
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"assay-central\"");
      problem (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
               "Sign in first: send 'Authorization: Bearer <token>'");
      return NULL;
    }
  hash = assay_central_token_hash (header + 7);
  found = self->storage->vtable->token_user (self->storage, hash, &user, &error);
  if (found < 0)
    {
      storage_problem (msg, error);
      return NULL;
    }
  if (found == 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate",
                                    "Bearer realm=\"assay-central\", error=\"invalid_token\"");
      problem (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
               "This token is unknown or was revoked: sign in again");
      return NULL;
    }
  caller = assay_central_caller_new (self->storage, g_steal_pointer (&user), &error);
  if (caller == NULL)
    storage_problem (msg, error);
  return caller;
}

static void
sign_in (AssayCentral      *self,
         SoupServerMessage *msg)
{
  g_autoptr(JsonNode) body = request_json (msg);
  g_autoptr(AssayCentralUser) user = NULL;
  g_autoptr(AssayCentralCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object;
  const char *login, *password, *label;
  SignInState *state;
  gint64 now = g_get_monotonic_time ();
  gboolean ok;
  int found;

  if (body == NULL)
    return;
  object = json_node_get_object (body);
  login = json_object_get_string_member_with_default (object, "login", NULL);
  password = json_object_get_string_member_with_default (object, "password", NULL);
  label = json_object_get_string_member_with_default (object, "label", NULL);
  if (login == NULL || password == NULL)
    {
      problem (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
               "Send {\"login\": \"…\", \"password\": \"…\"}");
      return;
    }

  key = g_strdup_printf ("%s\n%s", login, soup_server_message_get_remote_host (msg));
  state = g_hash_table_lookup (self->sign_ins, key);
  if (state != NULL && state->until_us > now)
    {
      g_autofree char *wait = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               (state->until_us - now + G_USEC_PER_SEC - 1)
                                               / G_USEC_PER_SEC);
      g_autofree char *detail = g_strdup_printf ("Too many failed sign-ins for %s: try again in "
                                                 "%s s", login, wait);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", wait);
      problem (msg, 429, "slow-down", detail);
      return;
    }

  found = self->storage->vtable->get_user (self->storage, login, NULL, &user, &error);
  if (found < 0)
    {
      storage_problem (msg, error);
      return;
    }
  /* an unknown login costs the same time as a wrong password */
  ok = assay_central_password_verify (password, found > 0 && user->password != NULL
                                      ? user->password
                                      : "pbkdf2-sha256$200000$AAAAAAAAAAAAAAAAAAAAAA==$"
                                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
       && found > 0;
  if (!ok)
    {
      if (state == NULL)
        {
          state = g_new0 (SignInState, 1);
          g_hash_table_insert (self->sign_ins, g_steal_pointer (&key), state);
        }
      state->failures++;
      if (state->failures >= SIGN_IN_FREE_TRIES)
        {
          guint shift = MIN (state->failures - SIGN_IN_FREE_TRIES, 9);
          gint64 wait_s = MIN ((gint64) 1 << shift, SIGN_IN_MAX_WAIT_S);
          g_autofree char *wait = g_strdup_printf ("%" G_GINT64_FORMAT, wait_s);

          state->until_us = now + wait_s * G_USEC_PER_SEC;
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", wait);
        }
      problem (msg, SOUP_STATUS_UNAUTHORIZED, "sign-in-failed",
               "The login or the password is wrong");
      return;
    }
  g_hash_table_remove (self->sign_ins, key);

  token = assay_central_token_new (&error);
  if (token == NULL)
    {
      storage_problem (msg, error);
      return;
    }
  hash = assay_central_token_hash (token);
  if (!self->storage->vtable->begin (self->storage, &error)
      || !self->storage->vtable->put_token (self->storage, hash, user->id,
                                            label != NULL ? label : "sign-in", &error)
      || !self->storage->vtable->commit (self->storage, &error))
    {
      self->storage->vtable->rollback (self->storage);
      storage_problem (msg, error);
      return;
    }
  caller = assay_central_caller_new (self->storage, g_steal_pointer (&user), &error);
  if (caller == NULL)
    {
      storage_problem (msg, error);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "user");
  json_builder_add_value (b, assay_central_user_node (caller));
  json_builder_end_object (b);
  answer = json_builder_get_root (b);
  reply_json (msg, SOUP_STATUS_OK, answer);
}

/* endpoints */

static void
health (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "protocol");
  json_builder_add_int_value (b, ASSAY_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, ASSAY_VERSION);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static void
session (AssayCentral       *self,
         SoupServerMessage  *msg,
         AssayCentralCaller *caller)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const AssayCollection *collections;
  guint n;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_int_value (b, ASSAY_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "server");
  json_builder_add_string_value (b, "assay-central " ASSAY_VERSION);
  json_builder_set_member_name (b, "user");
  json_builder_add_value (b, assay_central_user_node (caller));
  json_builder_set_member_name (b, "limits");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "maxRequestBytes");
  json_builder_add_int_value (b, ASSAY_SYNC_MAX_REQUEST_BYTES);
  json_builder_set_member_name (b, "maxBlobBytes");
  json_builder_add_int_value (b, ASSAY_SYNC_MAX_BLOB_BYTES);
  json_builder_set_member_name (b, "defaultPageSize");
  json_builder_add_int_value (b, ASSAY_SYNC_DEFAULT_PAGE);
  json_builder_set_member_name (b, "maxPageSize");
  json_builder_add_int_value (b, ASSAY_SYNC_MAX_PAGE);
  json_builder_set_member_name (b, "maxOpsPerRequest");
  json_builder_add_int_value (b, ASSAY_SYNC_MAX_OPS);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "collections");
  json_builder_begin_array (b);
  collections = assay_collections_get (&n);
  for (guint i = 0; i < n; i++)
    {
      const AssayCollection *c = &collections[i];
      gboolean can_read = assay_collection_can_read (c, caller->user->roles);
      guint actions = c->conflict == ASSAY_CONFLICT_SERVER_WINS
                      ? 0 : assay_collection_write_actions (c, caller->user->roles);
      g_autofree char *state = NULL;
      gint64 seq = 0;

      if (!can_read && actions == 0)
        continue;
      if (!self->storage->vtable->max_seq (self->storage, c->name, &seq, &error))
        {
          storage_problem (msg, error);
          return;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, c->name);
      json_builder_set_member_name (b, "read");
      json_builder_add_boolean_value (b, can_read);
      json_builder_set_member_name (b, "actions");
      json_builder_begin_array (b);
      for (guint a = 0; a < 5; a++)
        if (actions & (1u << a))
          json_builder_add_string_value (b, assay_op_action_name (1u << a));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "state");
      state = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
      json_builder_add_string_value (b, state);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static const AssayCollection *
collection_or_404 (SoupServerMessage *msg,
                   const char        *name)
{
  const AssayCollection *collection = assay_collection_lookup (name);

  if (collection == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("'%s' is not a collection of this server",
                                                 name != NULL ? name : "");

      problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", detail);
    }
  return collection;
}

static void
sync_error (SoupServerMessage *msg,
            const GError      *error)
{
  if (g_error_matches (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_FORBIDDEN))
    problem (msg, SOUP_STATUS_FORBIDDEN, "forbidden", error->message);
  else if (g_error_matches (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_GONE))
    problem (msg, SOUP_STATUS_GONE, "cursor-expired", error->message);
  else
    storage_problem (msg, error);
}

static void
changes (AssayCentral       *self,
         SoupServerMessage  *msg,
         AssayCentralCaller *caller,
         const char         *name,
         GHashTable         *query)
{
  const AssayCollection *collection = collection_or_404 (msg, name);
  const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  guint64 limit = ASSAY_SYNC_DEFAULT_PAGE;

  if (collection == NULL)
    return;
  if (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, G_MAXUINT32, &limit,
                                                         NULL))
    {
      problem (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
               "limit: must be a whole number from 1");
      return;
    }
  if (since != NULL && *since == '\0')
    since = NULL;
  page = assay_central_feed (self->storage, caller, collection, since,
                             (guint) MIN (limit, ASSAY_SYNC_MAX_PAGE), &error);
  if (page == NULL)
    {
      sync_error (msg, error);
      return;
    }
  reply (msg, SOUP_STATUS_OK, "application/json", page, strlen (page));
}

static void
objects (AssayCentral       *self,
         SoupServerMessage  *msg,
         AssayCentralCaller *caller,
         const char         *name,
         GHashTable         *query)
{
  const AssayCollection *collection = collection_or_404 (msg, name);
  const char *ids_text = query != NULL ? g_hash_table_lookup (query, "ids") : NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  if (collection == NULL)
    return;
  ids = g_strsplit (ids_text != NULL ? ids_text : "", ",", -1);
  if (g_strv_length (ids) > 200 || ids_text == NULL || *ids_text == '\0')
    {
      problem (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
               "ids: give from 1 to 200 ids, separated by commas");
      return;
    }
  answer = assay_central_objects (self->storage, caller, collection, (const char *const *) ids,
                                  &error);
  if (answer == NULL)
    {
      sync_error (msg, error);
      return;
    }
  reply (msg, SOUP_STATUS_OK, "application/json", answer, strlen (answer));
}

static void
ops (AssayCentral       *self,
     SoupServerMessage  *msg,
     AssayCentralCaller *caller)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Idempotency-Key");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GHashTable) failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) parsed = g_array_new (FALSE, TRUE, sizeof (AssaySyncOp));
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body_hash = NULL;
  AssayCentralStorage *storage = self->storage;
  JsonNode *list;
  JsonArray *array;
  int seen;

  if (key == NULL || *key == '\0' || strlen (key) > 100)
    {
      problem (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
               "Idempotency-Key: send one (a UUID) with every batch, the same on every retry");
      return;
    }
  bytes = request_body (msg, ASSAY_SYNC_MAX_REQUEST_BYTES);
  if (bytes == NULL)
    return;
  body = request_json (msg);
  if (body == NULL)
    return;
  list = json_object_get_member (json_node_get_object (body), "ops");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      problem (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", "ops: must be an array of operations");
      return;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) > ASSAY_SYNC_MAX_OPS)
    {
      g_autofree char *detail = g_strdup_printf ("ops: at most %d operations a request",
                                                 ASSAY_SYNC_MAX_OPS);

      problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", detail);
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      AssaySyncOp op;

      if (!assay_sync_op_parse (json_array_get_element (array, i), &op, &error))
        {
          g_autofree char *detail = g_strdup_printf ("ops[%u].%s; no operation was applied", i,
                                                     error->message);

          problem (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", detail);
          return;
        }
      g_array_append_val (parsed, op);
    }

  body_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (!storage->vtable->begin (storage, &error))
    {
      storage_problem (msg, error);
      return;
    }
  seen = storage->vtable->check_batch (storage, caller->user->id, key, body_hash, &error);
  if (seen < 0 || !storage->vtable->commit (storage, &error))
    {
      storage->vtable->rollback (storage);
      storage_problem (msg, error);
      return;
    }
  if (seen == 2)
    {
      problem (msg, 422, "idempotency-key-reused",
               "This Idempotency-Key was sent before with another body; a sent batch never "
               "changes, a new batch needs a new key");
      return;
    }

  /* one transaction, one savepoint per operation: one fsync for the batch, and the answer
   * goes out only once every result in it is committed */
  if (!storage->vtable->begin (storage, &error))
    {
      storage_problem (msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < parsed->len; i++)
    {
      JsonNode *result = assay_central_apply_op (storage, caller,
                                                 &g_array_index (parsed, AssaySyncOp, i),
                                                 failed, &error);

      if (result == NULL)
        {
          storage->vtable->rollback (storage);
          storage_problem (msg, error);
          return;
        }
      json_builder_add_value (b, result);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (!storage->vtable->commit (storage, &error))
    {
      storage->vtable->rollback (storage);
      storage_problem (msg, error);
      return;
    }
  answer = json_builder_get_root (b);
  reply_json (msg, SOUP_STATUS_OK, answer);
}

/* bytes: recordings and blobs */

static void
serve_bytes (SoupServerMessage *msg,
             const char        *path,
             const char        *sha256,
             const char        *content_type)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autofree char *etag = g_strdup_printf ("\"sha256:%s\"", sha256);
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) all = NULL;
  g_autoptr(GError) error = NULL;
  const char *if_none_match = soup_message_headers_get_one (request, "If-None-Match");
  const char *if_range = soup_message_headers_get_one (request, "If-Range");
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  goffset size;

  soup_message_headers_replace (response, "ETag", etag);
  soup_message_headers_replace (response, "Accept-Ranges", "bytes");
  soup_message_headers_replace (response, "Cache-Control", "private, max-age=31536000, immutable");
  if (if_none_match != NULL && (strcmp (if_none_match, "*") == 0
                                || soup_header_contains (if_none_match, etag)))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL)
    {
      g_warning ("cannot read %s: %s", path, error->message);
      problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", "The server lost these bytes");
      return;
    }
  all = g_mapped_file_get_bytes (file);
  size = (goffset) g_bytes_get_size (all);

  /* a resumed download of something that changed starts over */
  if (if_range != NULL && strcmp (if_range, etag) != 0)
    soup_message_headers_remove (request, "Range");

  if (soup_message_headers_get_one (request, "Range") != NULL)
    {
      gboolean ok = soup_message_headers_get_ranges (request, size, &ranges, &n_ranges);

      if (ok && (n_ranges < 1 || ranges[0].start < 0 || ranges[0].start >= size
                 || ranges[0].end < ranges[0].start))
        {
          soup_message_headers_free_ranges (request, ranges);
          ok = FALSE;
        }
      if (!ok)
        {
          g_autofree char *range = g_strdup_printf ("bytes */%" G_GOFFSET_FORMAT, size);

          soup_message_headers_replace (response, "Content-Range", range);
          problem (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
                   "The range asked for lies past the end of the file");
          soup_message_headers_replace (response, "Content-Type", "application/problem+json");
          return;
        }
      {
        goffset start = ranges[0].start, end = MIN (ranges[0].end, size - 1);
        g_autoptr(GBytes) part = g_bytes_new_from_bytes (all, (gsize) start,
                                                         (gsize) (end - start + 1));

        soup_message_headers_free_ranges (request, ranges);
        soup_message_headers_set_content_range (response, start, end, size);
        soup_message_headers_set_content_type (response, content_type, NULL);
        soup_message_body_append_bytes (soup_server_message_get_response_body (msg), part);
        soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
        return;
      }
    }
  soup_message_headers_set_content_type (response, content_type, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), all);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
recording_media (AssayCentral       *self,
                 SoupServerMessage  *msg,
                 AssayCentralCaller *caller,
                 const char         *id)
{
  const AssayCollection *collection = assay_collection_lookup ("recordings");
  g_auto(AssayCentralObject) object = { 0 };
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *content_type = NULL;
  const char *sha256, *format;
  int found;

  found = self->storage->vtable->get_object (self->storage, "recordings", id, &object, &error);
  if (found < 0)
    {
      storage_problem (msg, error);
      return;
    }
  if (found == 0 || object.deleted
      || !assay_central_can_read (self->storage, caller, collection, &object))
    {
      problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", "No such recording (or you may not hear it)");
      return;
    }
  data = assay_central_parse_json (object.data, -1, NULL);
  sha256 = data != NULL ? json_object_get_string_member_with_default (json_node_get_object (data),
                                                                      "sha256", NULL) : NULL;
  format = data != NULL ? json_object_get_string_member_with_default (json_node_get_object (data),
                                                                      "format", "wav") : "wav";
  if (sha256 == NULL)
    {
      problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", "This recording has no media");
      return;
    }
  path = assay_central_blob_path (self->storage, sha256);
  content_type = g_strcmp0 (format, "wav") == 0 ? g_strdup ("audio/wav")
                                                : g_strdup_printf ("audio/%s", format);
  serve_bytes (msg, path, sha256, content_type);
}

static gboolean
is_sha256 (const char *hex)
{
  if (hex == NULL || strlen (hex) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (hex[i]) || g_ascii_isupper (hex[i]))
      return FALSE;
  return TRUE;
}

static void
blob (AssayCentral       *self,
      SoupServerMessage  *msg,
      AssayCentralCaller *caller,
      const char         *name)
{
  AssayCentralStorage *storage = self->storage;
  const char *method = soup_server_message_get_method (msg);
  const char *hex = g_str_has_prefix (name, "sha256:") ? name + 7 : NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gint64 size = 0;
  int found;

  if (!is_sha256 (hex))
    {
      problem (msg, SOUP_STATUS_NOT_FOUND, "not-found",
               "Blobs are named sha256:<64 lower-case hex digits>");
      return;
    }
  path = assay_central_blob_path (storage, hex);
  found = storage->vtable->get_blob (storage, hex, &size, &error);
  if (found < 0)
    {
      storage_problem (msg, error);
      return;
    }
  if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    {
      if (found == 0)
        problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", "No such blob");
      else
        serve_bytes (msg, path, hex, "application/octet-stream");
      return;
    }
  if (method != SOUP_METHOD_PUT)
    {
      problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad-request", "Blobs take GET and PUT");
      return;
    }
  {
    const AssayCollection *collections;
    guint n, actions = 0;
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *digest = NULL;

    collections = assay_collections_get (&n);
    for (guint i = 0; i < n; i++)
      if (collections[i].conflict != ASSAY_CONFLICT_SERVER_WINS)
        actions |= assay_collection_write_actions (&collections[i], caller->user->roles);
    if (actions == 0)
      {
        problem (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                 "Your roles write nothing, so they upload nothing");
        return;
      }
    bytes = request_body (msg, ASSAY_SYNC_MAX_BLOB_BYTES);
    if (bytes == NULL)
      return;
    digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
    if (strcmp (digest, hex) != 0)
      {
        problem (msg, SOUP_STATUS_BAD_REQUEST, "digest-mismatch",
                 "The body's SHA-256 is not the one in the address; the upload was damaged");
        return;
      }
    if (found > 0)
      {
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        return;
      }
    if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                              (gssize) g_bytes_get_size (bytes), &error)
        || !storage->vtable->begin (storage, &error)
        || !storage->vtable->put_blob (storage, hex, (gint64) g_bytes_get_size (bytes), &error)
        || !storage->vtable->commit (storage, &error))
      {
        storage->vtable->rollback (storage);
        storage_problem (msg, error);
        return;
      }
    soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
  }
}

/* routing */

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  AssayCentral *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *rest = path + strlen (ASSAY_SYNC_API_PREFIX);
  g_autoptr(AssayCentralCaller) caller = NULL;
  g_auto(GStrv) parts = NULL;
  guint n;

  if (*rest == '/')
    rest++;
  parts = g_strsplit (rest, "/", 4);
  n = g_strv_length (parts);

  if (n == 1 && strcmp (parts[0], "health") == 0)
    {
      health (msg);
      return;
    }
  if (n == 2 && strcmp (parts[0], "auth") == 0 && strcmp (parts[1], "token") == 0)
    {
      if (method != SOUP_METHOD_POST)
        problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad-request", "Sign in with POST");
      else
        sign_in (self, msg);
      return;
    }

  caller = authenticate (self, msg);
  if (caller == NULL)
    return;

  if (n == 1 && strcmp (parts[0], "session") == 0 && method == SOUP_METHOD_GET)
    session (self, msg, caller);
  else if (n == 2 && strcmp (parts[0], "changes") == 0 && method == SOUP_METHOD_GET)
    changes (self, msg, caller, parts[1], query);
  else if (n == 2 && strcmp (parts[0], "objects") == 0 && method == SOUP_METHOD_GET)
    objects (self, msg, caller, parts[1], query);
  else if (n == 1 && strcmp (parts[0], "ops") == 0 && method == SOUP_METHOD_POST)
    ops (self, msg, caller);
  else if (n == 3 && strcmp (parts[0], "recordings") == 0 && strcmp (parts[2], "media") == 0
           && (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD))
    recording_media (self, msg, caller, parts[1]);
  else if (n == 2 && strcmp (parts[0], "blobs") == 0)
    blob (self, msg, caller, parts[1]);
  else
    problem (msg, SOUP_STATUS_NOT_FOUND, "not-found",
             "No such endpoint (see docs/sync-protocol.md)");
}

/* refuses a body over the limit before reading it */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset limit = g_str_has_prefix (path, ASSAY_SYNC_API_PREFIX "/blobs/")
                  ? ASSAY_SYNC_MAX_BLOB_BYTES : ASSAY_SYNC_MAX_REQUEST_BYTES;

  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;
  length = soup_message_headers_get_content_length (headers);
  /*
   * A client that waits for "100 Continue" is told before it sends the body. One that does not
   * is read to the end (up to a hard cap) and then told, so that it hears the answer instead of
   * a connection reset while it is still writing.
   */
  if (length > limit
      && ((soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
          || length > 16 * limit))
    {
      g_autofree char *detail = g_strdup_printf ("The request body is larger than the limit of "
                                                 "%" G_GOFFSET_FORMAT " bytes; send less at once",
                                                 limit);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", detail);
    }
}

static void
assay_central_finalize (GObject *object)
{
  AssayCentral *self = ASSAY_CENTRAL (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->sign_ins, g_hash_table_unref);
  G_OBJECT_CLASS (assay_central_parent_class)->finalize (object);
}

static void
assay_central_class_init (AssayCentralClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_central_finalize;
}

static void
assay_central_init (AssayCentral *self)
{
  self->sign_ins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

AssayCentral *
assay_central_new (AssayCentralStorage *storage)
{
  AssayCentral *self = g_object_new (ASSAY_TYPE_CENTRAL, NULL);

  self->storage = storage;
  return self;
}

static gboolean
make_server (AssayCentral  *self,
             const char    *tls_cert,
             const char    *tls_key,
             GError       **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  if (tls_cert != NULL || tls_key != NULL)
    {
      if (tls_cert == NULL || tls_key == NULL)
        {
          g_set_error_literal (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                               "HTTPS needs both --tls-cert FILE and --tls-key FILE");
          return FALSE;
        }
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, error);
      if (certificate == NULL)
        {
          g_prefix_error (error, "Cannot use the TLS certificate %s with the key %s: ", tls_cert,
                          tls_key);
          return FALSE;
        }
    }
  self->server = soup_server_new ("server-header", "assay-central ",
                                  "tls-certificate", certificate, NULL);
  if (self->server == NULL)
    {
      g_set_error_literal (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                           "Cannot start the HTTP server");
      return FALSE;
    }
  soup_server_add_early_handler (self->server, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->server, ASSAY_SYNC_API_PREFIX, api_cb, self, NULL);
  return TRUE;
}

char *
assay_central_listen (AssayCentral  *self,
                      const char    *host,
                      guint          port,
                      const char    *tls_cert,
                      const char    *tls_key,
                      GError       **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSList *uris;
  guint bound = 0;
  gboolean https = tls_cert != NULL;

  g_return_val_if_fail (ASSAY_IS_CENTRAL (self), NULL);
  g_return_val_if_fail (self->server == NULL, NULL);

  address = g_inet_address_new_from_string (g_strcmp0 (host, "localhost") == 0 ? "127.0.0.1"
                                                                               : host);
  if (address == NULL)
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_INVALID,
                   "'%s' is not an IP address to listen on (e.g. 127.0.0.1, 0.0.0.0 or ::1)",
                   host);
      return NULL;
    }
  if (!make_server (self, tls_cert, tls_key, error))
    return NULL;
  socket_address = g_inet_socket_address_new (address, (guint16) port);
  if (!soup_server_listen (self->server, socket_address, https ? SOUP_SERVER_LISTEN_HTTPS : 0,
                           error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    bound = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("%s://[%s]:%u", https ? "https" : "http", host, bound);
  return g_strdup_printf ("%s://%s:%u", https ? "https" : "http", host, bound);
}

guint
assay_central_listen_local (AssayCentral  *self,
                            guint          port,
                            GError       **error)
{
  g_autofree char *uri = assay_central_listen (self, "127.0.0.1", port, NULL, NULL, error);
  const char *colon;

  if (uri == NULL)
    return 0;
  colon = strrchr (uri, ':');
  return (guint) g_ascii_strtoull (colon + 1, NULL, 10);
}
