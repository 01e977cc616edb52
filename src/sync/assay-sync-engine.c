/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "assay-sync-engine.h"
#include "assay-sync-error.h"
#include "core/assay-util.h"
#include "protocol/assay-collections.h"
#include "protocol/assay-sync-json.h"
#include "store/assay-store-sync.h"

/*
 * One cycle is a chain of callbacks on the main context: session → push (batch, POST, results,
 * again) → pull (per collection: stored cursor, GET page, apply page, again while hasMore) →
 * counts. Every step that writes goes through the store's worker in one transaction, so a cycle
 * cut anywhere leaves a consistent database and the next cycle carries on from there.
 */

#define BACKOFF_BASE_MS  2000
#define BACKOFF_CAP_MS   (10 * 60 * 1000)
#define API_TIMEOUT_S    60
#define CONNECT_IDLE_S   15

G_DEFINE_ENUM_TYPE (AssaySyncState, assay_sync_state,
  G_DEFINE_ENUM_VALUE (ASSAY_SYNC_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (ASSAY_SYNC_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (ASSAY_SYNC_STATE_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (ASSAY_SYNC_STATE_SIGNED_OUT, "signed-out"),
  G_DEFINE_ENUM_VALUE (ASSAY_SYNC_STATE_FAILED, "failed"))

G_DEFINE_BOXED_TYPE (AssaySyncAccount, assay_sync_account, assay_sync_account_copy,
                     assay_sync_account_free)

AssaySyncAccount *
assay_sync_account_copy (const AssaySyncAccount *a)
{
  AssaySyncAccount *c = g_new0 (AssaySyncAccount, 1);

  c->user_id = g_strdup (a->user_id);
  c->login = g_strdup (a->login);
  c->name = g_strdup (a->name);
  c->roles = a->roles;
  c->agent_id = g_strdup (a->agent_id);
  c->team_ids = g_strdupv (a->team_ids);
  return c;
}

void
assay_sync_account_free (AssaySyncAccount *a)
{
  if (a == NULL)
    return;
  g_free (a->user_id);
  g_free (a->login);
  g_free (a->name);
  g_free (a->agent_id);
  g_strfreev (a->team_ids);
  g_free (a);
}

typedef struct {
  char    *name;
  gboolean read;
  char    *state;
} FeedInfo;

static void
feed_info_free (FeedInfo *f)
{
  g_free (f->name);
  g_free (f->state);
  g_free (f);
}

struct _AssaySyncEngine {
  GObject           parent_instance;

  AssayStore       *store;
  char             *server_url;
  char             *token;
  char             *ca_file;
  SoupSession      *session;
  double            time_scale;
  guint             page_size;

  AssaySyncState    state;
  gint64            last_sync;
  guint             pending;
  guint             conflicts;
  char             *last_error;
  gint64            retry_at;
  AssaySyncAccount *account;
  AssaySyncReport   report;

  /* the cycle under way */
  GPtrArray        *waiters;        /* GTask */
  GCancellable     *cancellable;
  AssaySyncReport   cycle;
  GPtrArray        *feeds;          /* FeedInfo, in session order */
  guint             feed_index;
  char             *feed_cursor;
  gboolean          feed_resynced;
  guint             max_ops;
  guint             max_page;
  guint             attempt;        /* failed cycles in a row */
  gint64            retry_after_ms; /* from the last answer */

  guint             interval_s;
  guint             timer_id;
};

G_DEFINE_FINAL_TYPE (AssaySyncEngine, assay_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_SYNC,
  PROP_PENDING,
  PROP_CONFLICTS,
  PROP_LAST_ERROR,
  PROP_RETRY_AT,
  PROP_ACCOUNT,
  PROP_TOKEN,
  PROP_CA_FILE,
  PROP_TIME_SCALE,
  PROP_PAGE_SIZE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

gint64
assay_sync_backoff_delay_ms (guint   attempt,
                             double  random,
                             gint64  retry_after_ms)
{
  gint64 ceiling = BACKOFF_CAP_MS;

  if (attempt == 0)
    attempt = 1;
  if (attempt <= 20)
    ceiling = MIN ((gint64) BACKOFF_BASE_MS << (attempt - 1), (gint64) BACKOFF_CAP_MS);
  random = CLAMP (random, 0.0, 1.0);
  return MAX ((gint64) (ceiling * random), retry_after_ms);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

gboolean
assay_sync_engine_check_url (const char  *server_url,
                             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  uri = server_url ? g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address. Give it as https://host or https://host:port."),
                   server_url ? server_url : "");
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (host_is_loopback (g_uri_get_host (uri)))
        return TRUE;
      g_set_error (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_INSECURE,
                   _("The server %s must be reached over HTTPS: plain HTTP is only allowed to this "
                     "computer (127.0.0.1). Use an https:// address."), g_uri_get_host (uri));
      return FALSE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a server address. Give it as https://host or https://host:port."),
               server_url);
  return FALSE;
}

static SoupSession *
make_session (const char  *ca_file,
              GError     **error)
{
  SoupSession *session;

  /* the session timeout of libsoup defaults to none: every request gets a deadline */
  session = soup_session_new_with_options ("timeout", API_TIMEOUT_S,
                                           "idle-timeout", API_TIMEOUT_S,
                                           "user-agent", "Assay/" ASSAY_VERSION " ",
                                           NULL);
  if (ca_file != NULL)
    {
      /* the administrator's CA file is the trust: no accept-certificate handler anywhere */
      g_autoptr(GTlsDatabase) db = g_tls_file_database_new (ca_file, error);

      if (db == NULL)
        {
          g_prefix_error (error, _("Cannot read the CA file %s: "), ca_file);
          g_object_unref (session);
          return NULL;
        }
      soup_session_set_tls_database (session, db);
    }
  return session;
}

/* ---- object ---- */

static void
assay_sync_engine_finalize (GObject *object)
{
  AssaySyncEngine *self = ASSAY_SYNC_ENGINE (object);

  assay_sync_engine_stop (self);
  g_clear_object (&self->store);
  g_free (self->server_url);
  g_free (self->token);
  g_free (self->ca_file);
  g_clear_object (&self->session);
  g_free (self->last_error);
  g_clear_pointer (&self->account, assay_sync_account_free);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->feeds, g_ptr_array_unref);
  g_free (self->feed_cursor);
  G_OBJECT_CLASS (assay_sync_engine_parent_class)->finalize (object);
}

static void
assay_sync_engine_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AssaySyncEngine *self = ASSAY_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_LAST_SYNC: g_value_set_int64 (value, self->last_sync); break;
    case PROP_PENDING: g_value_set_uint (value, self->pending); break;
    case PROP_CONFLICTS: g_value_set_uint (value, self->conflicts); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    case PROP_RETRY_AT: g_value_set_int64 (value, self->retry_at); break;
    case PROP_ACCOUNT: g_value_set_boxed (value, self->account); break;
    case PROP_CA_FILE: g_value_set_string (value, self->ca_file); break;
    case PROP_TIME_SCALE: g_value_set_double (value, self->time_scale); break;
    case PROP_PAGE_SIZE: g_value_set_uint (value, self->page_size); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_sync_engine_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AssaySyncEngine *self = ASSAY_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_TOKEN: assay_sync_engine_set_token (self, g_value_get_string (value)); break;
    case PROP_CA_FILE:
      {
        g_autoptr(GError) error = NULL;
        if (!assay_sync_engine_set_ca_file (self, g_value_get_string (value), &error))
          g_warning ("%s", error->message);
      }
      break;
    case PROP_TIME_SCALE: assay_sync_engine_set_time_scale (self, g_value_get_double (value)); break;
    case PROP_PAGE_SIZE: self->page_size = CLAMP (g_value_get_uint (value), 1, ASSAY_SYNC_MAX_PAGE); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_sync_engine_class_init (AssaySyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_sync_engine_finalize;
  object_class->get_property = assay_sync_engine_get_property;
  object_class->set_property = assay_sync_engine_set_property;

  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, ASSAY_TYPE_SYNC_STATE,
                                         ASSAY_SYNC_STATE_IDLE,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_LAST_SYNC] = g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_PENDING] = g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_CONFLICTS] = g_param_spec_uint ("conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_RETRY_AT] = g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_ACCOUNT] = g_param_spec_boxed ("account", NULL, NULL, ASSAY_TYPE_SYNC_ACCOUNT,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL,
                                           G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_TIME_SCALE] = g_param_spec_double ("time-scale", NULL, NULL, 0.0, 1000.0, 1.0,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_PAGE_SIZE] = g_param_spec_uint ("page-size", NULL, NULL, 1, ASSAY_SYNC_MAX_PAGE,
                                             ASSAY_SYNC_DEFAULT_PAGE,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
assay_sync_engine_init (AssaySyncEngine *self)
{
  self->time_scale = 1.0;
  self->page_size = ASSAY_SYNC_DEFAULT_PAGE;
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

AssaySyncEngine *
assay_sync_engine_new (AssayStore *store,
                       const char *server_url,
                       const char *token)
{
  AssaySyncEngine *self;

  g_return_val_if_fail (ASSAY_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (ASSAY_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->server_url = g_strdup (server_url);
  while (g_str_has_suffix (self->server_url, "/"))
    self->server_url[strlen (self->server_url) - 1] = '\0';
  self->token = g_strdup (token);
  if (token == NULL)
    self->state = ASSAY_SYNC_STATE_SIGNED_OUT;
  return self;
}

const char *
assay_sync_engine_get_server_url (AssaySyncEngine *self)
{
  return self->server_url;
}

static void
set_state (AssaySyncEngine *self,
           AssaySyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static void
set_last_error (AssaySyncEngine *self,
                const char      *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_ERROR]);
}

void
assay_sync_engine_set_token (AssaySyncEngine *self,
                             const char      *token)
{
  g_free (self->token);
  self->token = g_strdup (token);
  if (self->state == ASSAY_SYNC_STATE_SIGNED_OUT && token != NULL)
    set_state (self, ASSAY_SYNC_STATE_IDLE);
  else if (token == NULL)
    set_state (self, ASSAY_SYNC_STATE_SIGNED_OUT);
}

gboolean
assay_sync_engine_set_ca_file (AssaySyncEngine  *self,
                               const char       *ca_file,
                               GError          **error)
{
  SoupSession *session = NULL;

  if (ca_file != NULL && (session = make_session (ca_file, error)) == NULL)
    return FALSE;
  g_clear_object (&self->session);
  self->session = session;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CA_FILE]);
  return TRUE;
}

void
assay_sync_engine_set_time_scale (AssaySyncEngine *self,
                                  double           scale)
{
  self->time_scale = MAX (scale, 0.0);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TIME_SCALE]);
}

AssaySyncState   assay_sync_engine_get_state (AssaySyncEngine *self) { return self->state; }
gint64           assay_sync_engine_get_last_sync (AssaySyncEngine *self) { return self->last_sync; }
guint            assay_sync_engine_get_pending (AssaySyncEngine *self) { return self->pending; }
guint            assay_sync_engine_get_conflicts (AssaySyncEngine *self) { return self->conflicts; }
const char      *assay_sync_engine_get_last_error (AssaySyncEngine *self) { return self->last_error; }
const AssaySyncAccount *assay_sync_engine_get_account (AssaySyncEngine *self) { return self->account; }
const AssaySyncReport  *assay_sync_engine_get_report (AssaySyncEngine *self) { return &self->report; }

/* ---- requests ---- */

typedef void (*ReplyFunc) (AssaySyncEngine *self,
                           guint            status,
                           JsonNode        *json,
                           GError          *error);

typedef struct {
  AssaySyncEngine *self;
  SoupMessage     *msg;
  ReplyFunc        func;
} Request;

static SoupSession *
get_session (AssaySyncEngine *self)
{
  if (self->session == NULL)
    self->session = make_session (NULL, NULL);
  return self->session;
}

/* Turns a failed exchange into an error a person can act on; sets retry_after_ms. */
static GError *
reply_error (AssaySyncEngine *self,
             SoupMessage     *msg,
             guint            status,
             JsonNode        *json,
             GError          *transport)
{
  const char *detail = NULL;

  if (transport != NULL)
    {
      if (transport->domain == G_TLS_ERROR
          || (soup_message_get_tls_peer_certificate_errors (msg) != 0))
        return g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_TLS,
                            _("The certificate of %s is not trusted, so Assay did not connect. "
                              "Ask your administrator for the centre's CA file and set it in "
                              "Preferences (%s)."), self->server_url, transport->message);
      return g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK,
                          _("Cannot reach %s (%s). Assay will try again."),
                          self->server_url, transport->message);
    }
  if (json != NULL && JSON_NODE_HOLDS_OBJECT (json))
    detail = json_object_get_string_member_with_default (json_node_get_object (json), "detail", NULL);
  {
    const char *ra = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
    self->retry_after_ms = ra ? g_ascii_strtoll (ra, NULL, 10) * 1000 : 0;
  }
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH,
                        _("The server no longer accepts this sign-in. Sign in again."));
  if (status == 429)
    return g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_SLOW_DOWN,
                        _("The server asks to wait before trying again."));
  if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT)
    return g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK,
                        _("The server had a problem (HTTP %u). Assay will try again."), status);
  if (status == SOUP_STATUS_GONE)
    return g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_CURSOR_EXPIRED, "cursor expired");
  return g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                      _("The server refused a request (HTTP %u): %s"), status,
                      detail ? detail : soup_status_get_phrase (status));
}

static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) json = NULL;
  guint status = 0;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);

      status = soup_message_get_status (r->msg);
      r->self->cycle.bytes_received += len;
      if (len > 0 && json_parser_load_from_data (parser, data, len, NULL))
        json = json_node_ref (json_parser_get_root (parser));
      if (status >= 200 && status < 300 && json == NULL)
        {
          status = 0;
          error = g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                               _("the answer was cut short or is not JSON"));
        }
    }
  if (error != NULL || status < 200 || status >= 300)
    {
      GError *e = reply_error (r->self, r->msg, status, json, error);
      r->func (r->self, status, json, e);
      g_error_free (e);
    }
  else
    r->func (r->self, status, json, NULL);
  g_object_unref (r->msg);
  g_object_unref (r->self);
  g_free (r);
}

static void
send_request (AssaySyncEngine *self,
              const char      *method,
              const char      *path,
              const char      *idempotency_key,
              JsonNode        *body,
              ReplyFunc        func)
{
  g_autofree char *url = g_strconcat (self->server_url, path, NULL);
  g_autofree char *auth = NULL;
  SoupMessageHeaders *headers;
  Request *r = g_new0 (Request, 1);

  r->self = g_object_ref (self);
  r->func = func;
  r->msg = soup_message_new (method, url);
  headers = soup_message_get_request_headers (r->msg);
  if (self->token != NULL)
    {
      auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);

      if (len > 1024 * 1024)
        soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
      soup_message_set_request_body_from_bytes (r->msg, "application/json", bytes);
    }
  self->cycle.requests++;
  soup_session_send_and_read_async (get_session (self), r->msg, G_PRIORITY_DEFAULT,
                                    self->cancellable, request_done, r);
}

/* ---- the cycle ---- */

static void schedule_next (AssaySyncEngine *self, guint delay_ms);
static void push_next (AssaySyncEngine *self);
static void pull_next (AssaySyncEngine *self);
static void request_page (AssaySyncEngine *self);

static void
cycle_end (AssaySyncEngine *self,
           GError          *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_clear_object (&self->cancellable);
  self->report = self->cycle;

  if (error == NULL)
    {
      self->attempt = 0;
      self->last_sync = assay_now_ms ();
      set_last_error (self, NULL);
      set_state (self, ASSAY_SYNC_STATE_IDLE);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_SYNC]);
      if (self->interval_s > 0)
        schedule_next (self, self->interval_s * 1000);
    }
  else
    {
      set_last_error (self, error->message);
      if (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH))
        set_state (self, ASSAY_SYNC_STATE_SIGNED_OUT);
      else if (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK)
               || g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_SLOW_DOWN))
        {
          gint64 delay;

          self->attempt++;
          delay = assay_sync_backoff_delay_ms (self->attempt, g_random_double (), self->retry_after_ms);
          delay = (gint64) (delay * self->time_scale);
          self->retry_at = g_get_monotonic_time () + delay * 1000;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETRY_AT]);
          set_state (self, ASSAY_SYNC_STATE_WAITING);
          if (self->interval_s > 0)
            schedule_next (self, (guint) MIN (delay, G_MAXUINT));
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_state (self, ASSAY_SYNC_STATE_IDLE);
      else
        set_state (self, ASSAY_SYNC_STATE_FAILED);
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
counts_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AssaySyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  AssaySyncCounts counts = { 0 };
  GError *cycle_error = g_object_steal_data (G_OBJECT (self), "cycle-error");

  if (assay_store_sync_counts_finish (ASSAY_STORE (source), result, &counts, &error))
    {
      self->cycle.pending = counts.pending;
      self->cycle.open_conflicts = counts.conflicts;
      if (self->pending != counts.pending)
        {
          self->pending = counts.pending;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PENDING]);
        }
      if (self->conflicts != counts.conflicts)
        {
          self->conflicts = counts.conflicts;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONFLICTS]);
        }
    }
  cycle_end (self, cycle_error ? cycle_error : error);
  g_clear_error (&cycle_error);
}

/* Ends the cycle after counting what waits (also after an error: the counts are still true). */
static void
finish_cycle (AssaySyncEngine *self,
              GError          *error)
{
  if (error != NULL)
    g_object_set_data (G_OBJECT (self), "cycle-error", g_error_copy (error));
  assay_store_sync_counts_async (self->store, NULL, counts_done, g_object_ref (self));
}

/* pull */

static void
page_reply (AssaySyncEngine *self,
            guint            status,
            JsonNode        *json,
            GError          *error);

static void
page_applied (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AssaySyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *page = g_object_steal_data (G_OBJECT (self), "page");
  guint n = 0;
  gboolean more;

  if (!assay_store_sync_apply_page_finish (ASSAY_STORE (source), result, &n, &error))
    {
      json_node_unref (page);
      finish_cycle (self, error);
      return;
    }
  self->cycle.pulled += n;
  more = json_object_get_boolean_member_with_default (json_node_get_object (page), "hasMore", FALSE);
  g_free (self->feed_cursor);
  self->feed_cursor = g_strdup (json_object_get_string_member_with_default (json_node_get_object (page),
                                                                           "cursor", NULL));
  json_node_unref (page);
  /* the next page at once from the cursor just stored: going through pull_next would read the
   * stored feed again and could take the page's state for a complete feed */
  if (more && self->feed_cursor != NULL)
    {
      request_page (self);
      return;
    }
  self->feed_index++;
  pull_next (self);
}

static void
request_page (AssaySyncEngine *self)
{
  FeedInfo *f = self->feeds->pdata[self->feed_index];
  g_autofree char *path = NULL;
  g_autofree char *escaped = self->feed_cursor ? g_uri_escape_string (self->feed_cursor, NULL, FALSE) : NULL;
  guint limit = MIN (self->page_size, self->max_page);

  if (escaped)
    path = g_strdup_printf (ASSAY_SYNC_API_PREFIX "/changes/%s?since=%s&limit=%u", f->name, escaped, limit);
  else
    path = g_strdup_printf (ASSAY_SYNC_API_PREFIX "/changes/%s?limit=%u", f->name, limit);
  send_request (self, "GET", path, NULL, NULL, page_reply);
}

static void
resync_begun (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AssaySyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!assay_store_sync_begin_resync_finish (ASSAY_STORE (source), result, &error))
    {
      finish_cycle (self, error);
      return;
    }
  g_clear_pointer (&self->feed_cursor, g_free);
  request_page (self);
}

static void
page_reply (AssaySyncEngine *self,
            guint            status,
            JsonNode        *json,
            GError          *error)
{
  FeedInfo *f = self->feeds->pdata[self->feed_index];

  if (g_error_matches (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_CURSOR_EXPIRED) && !self->feed_resynced)
    {
      /* routine: pull the collection again from the start, keeping local work */
      self->feed_resynced = TRUE;
      assay_store_sync_begin_resync_async (self->store, f->name, NULL, resync_begun, g_object_ref (self));
      return;
    }
  if (error != NULL)
    {
      finish_cycle (self, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json))
    {
      g_autoptr(GError) e = g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                                         _("The server's feed of %s is not a JSON object."), f->name);
      finish_cycle (self, e);
      return;
    }
  g_object_set_data (G_OBJECT (self), "page", json_node_ref (json));
  assay_store_sync_apply_page_async (self->store, f->name, json, NULL, page_applied, g_object_ref (self));
}

static void
feed_loaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AssaySyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stored = assay_store_sync_get_feed_finish (ASSAY_STORE (source), result, &error);
  FeedInfo *f = self->feeds->pdata[self->feed_index];
  JsonObject *o;
  const char *cursor, *state;

  if (stored == NULL)
    {
      finish_cycle (self, error);
      return;
    }
  o = json_node_get_object (stored);
  cursor = json_object_get_string_member_with_default (o, "cursor", NULL);
  state = json_object_get_string_member_with_default (o, "state", NULL);
  /* nothing new in the collection for anyone since the last page applied: no request (the
   * session's states were read before this cycle pushed, so only when it pushed nothing) */
  if (cursor != NULL && state != NULL && g_strcmp0 (state, f->state) == 0
      && self->cycle.pushed + self->cycle.conflicts + self->cycle.rejected == 0)
    {
      self->feed_index++;
      pull_next (self);
      return;
    }
  g_free (self->feed_cursor);
  self->feed_cursor = g_strdup (cursor);
  request_page (self);
}

static void
pull_next (AssaySyncEngine *self)
{
  while (self->feed_index < self->feeds->len
         && !((FeedInfo *) self->feeds->pdata[self->feed_index])->read)
    self->feed_index++;
  if (self->feed_index >= self->feeds->len)
    {
      finish_cycle (self, NULL);
      return;
    }
  self->feed_resynced = FALSE;
  g_clear_pointer (&self->feed_cursor, g_free);
  assay_store_sync_get_feed_async (self->store, ((FeedInfo *) self->feeds->pdata[self->feed_index])->name,
                                   NULL, feed_loaded, g_object_ref (self));
}

/* push */

static void
results_applied (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AssaySyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  AssaySyncPushResult r = { 0 };

  if (!assay_store_sync_apply_results_finish (ASSAY_STORE (source), result, &r, &error))
    {
      finish_cycle (self, error);
      return;
    }
  self->cycle.pushed += r.applied;
  self->cycle.conflicts += r.conflicts;
  self->cycle.rejected += r.rejected;
  /* a batch where nothing moved (all blocked) would come back the same: pull first */
  if (r.applied + r.conflicts + r.rejected == 0)
    {
      self->feed_index = 0;
      pull_next (self);
      return;
    }
  push_next (self);
}

static void
ops_reply (AssaySyncEngine *self,
           guint            status,
           JsonNode        *json,
           GError          *error)
{
  g_autofree char *key = g_object_steal_data (G_OBJECT (self), "batch-key");
  JsonNode *results;

  if (error != NULL)
    {
      finish_cycle (self, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json)
      || (results = json_object_get_member (json_node_get_object (json), "results")) == NULL)
    {
      g_autoptr(GError) e = g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                                         _("The server's answer to the operations has no results."));
      finish_cycle (self, e);
      return;
    }
  assay_store_sync_apply_results_async (self->store, key, results, NULL, results_applied,
                                        g_object_ref (self));
}

static void
batch_ready (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AssaySyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySyncBatch) batch = assay_store_sync_next_batch_finish (ASSAY_STORE (source), result, &error);

  if (error != NULL)
    {
      finish_cycle (self, error);
      return;
    }
  if (batch == NULL)
    {
      self->feed_index = 0;
      pull_next (self);
      return;
    }
  g_object_set_data_full (G_OBJECT (self), "batch-key", g_strdup (batch->key), g_free);
  send_request (self, "POST", ASSAY_SYNC_API_PREFIX "/ops", batch->key, batch->body, ops_reply);
}

static void
push_next (AssaySyncEngine *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint n;
  const AssayCollection *all = assay_collections_get (&n);

  /* every declared collection: an operation outside the account's rights is sent and comes
   * back rejected, so it is kept as a rejected draft instead of waiting forever */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, (gpointer) all[i].name);
  g_ptr_array_add (names, NULL);
  assay_store_sync_next_batch_async (self->store, (const char * const *) names->pdata, self->max_ops,
                                     NULL, batch_ready, g_object_ref (self));
}

/* session */

static gboolean
parse_session (AssaySyncEngine *self,
               JsonNode        *json,
               GError         **error)
{
  JsonObject *root, *user, *limits;
  JsonArray *collections;
  g_autoptr(GPtrArray) roles = g_ptr_array_new ();
  g_autoptr(GPtrArray) teams = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *role_list = NULL;
  AssaySyncAccount *account;

  if (!JSON_NODE_HOLDS_OBJECT (json)
      || !json_object_has_member ((root = json_node_get_object (json)), "user")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "user")))
    {
      g_set_error (error, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                   _("The server's session answer does not follow the sync protocol."));
      return FALSE;
    }
  user = json_object_get_object_member (root, "user");
  account = g_new0 (AssaySyncAccount, 1);
  account->user_id = g_strdup (json_object_get_string_member_with_default (user, "id", NULL));
  account->login = g_strdup (json_object_get_string_member_with_default (user, "login", NULL));
  account->name = g_strdup (json_object_get_string_member_with_default (user, "name", NULL));
  account->agent_id = g_strdup (json_object_get_string_member_with_default (user, "agentId", NULL));
  if (json_object_has_member (user, "roles") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (user, "roles")))
    {
      JsonArray *a = json_object_get_array_member (user, "roles");
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          AssayRole role;
          if (assay_role_from_name (json_array_get_string_element (a, i), &role))
            account->roles |= 1u << role;
        }
    }
  if (json_object_has_member (user, "teamIds") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (user, "teamIds")))
    {
      JsonArray *a = json_object_get_array_member (user, "teamIds");
      for (guint i = 0; i < json_array_get_length (a); i++)
        g_ptr_array_add (teams, g_strdup (json_array_get_string_element (a, i)));
    }
  g_ptr_array_add (teams, NULL);
  account->team_ids = (char **) g_ptr_array_steal (teams, NULL);
  g_clear_pointer (&self->account, assay_sync_account_free);
  self->account = account;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACCOUNT]);

  self->max_ops = ASSAY_SYNC_MAX_OPS;
  self->max_page = ASSAY_SYNC_MAX_PAGE;
  if (json_object_has_member (root, "limits") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "limits")))
    {
      limits = json_object_get_object_member (root, "limits");
      self->max_ops = CLAMP (json_object_get_int_member_with_default (limits, "maxOpsPerRequest",
                                                                      ASSAY_SYNC_MAX_OPS), 1, 10000);
      self->max_page = CLAMP (json_object_get_int_member_with_default (limits, "maxPageSize",
                                                                       ASSAY_SYNC_MAX_PAGE), 1, 100000);
    }

  g_clear_pointer (&self->feeds, g_ptr_array_unref);
  self->feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) feed_info_free);
  if (json_object_has_member (root, "collections")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "collections")))
    {
      collections = json_object_get_array_member (root, "collections");
      for (guint i = 0; i < json_array_get_length (collections); i++)
        {
          JsonObject *c = json_array_get_object_element (collections, i);
          FeedInfo *f;
          const char *name = c ? json_object_get_string_member_with_default (c, "name", NULL) : NULL;

          /* only collections both sides declare: a newer server may offer more */
          if (name == NULL || assay_collection_lookup (name) == NULL)
            continue;
          f = g_new0 (FeedInfo, 1);
          f->name = g_strdup (name);
          f->read = json_object_get_boolean_member_with_default (c, "read", FALSE);
          f->state = g_strdup (json_object_get_string_member_with_default (c, "state", NULL));
          g_ptr_array_add (self->feeds, f);
        }
    }
  return TRUE;
}

static void
session_reply (AssaySyncEngine *self,
               guint            status,
               JsonNode        *json,
               GError          *error)
{
  g_autoptr(GError) e = NULL;

  if (error != NULL)
    {
      finish_cycle (self, error);
      return;
    }
  if (!parse_session (self, json, &e))
    {
      finish_cycle (self, e);
      return;
    }
  push_next (self);
}

static void
start_cycle (AssaySyncEngine *self)
{
  g_autoptr(GError) error = NULL;

  memset (&self->cycle, 0, sizeof self->cycle);
  self->retry_after_ms = 0;
  self->cancellable = g_cancellable_new ();
  set_state (self, ASSAY_SYNC_STATE_SYNCING);
  if (self->retry_at != 0)
    {
      self->retry_at = 0;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETRY_AT]);
    }
  if (!assay_sync_engine_check_url (self->server_url, &error))
    {
      finish_cycle (self, error);
      return;
    }
  if (self->token == NULL)
    {
      g_autoptr(GError) e = g_error_new (ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH,
                                         _("Not signed in. Sign in to the central service in Preferences."));
      finish_cycle (self, e);
      return;
    }
  send_request (self, "GET", ASSAY_SYNC_API_PREFIX "/session", NULL, NULL, session_reply);
}

void
assay_sync_engine_sync_async (AssaySyncEngine     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  gboolean running = self->waiters->len > 0;

  g_task_set_source_tag (task, assay_sync_engine_sync_async);
  g_ptr_array_add (self->waiters, task);
  if (!running)
    start_cycle (self);
}

gboolean
assay_sync_engine_sync_finish (AssaySyncEngine  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* timer */

static void
timer_sync_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  assay_sync_engine_sync_finish (ASSAY_SYNC_ENGINE (source), result, NULL);
}

static gboolean
timer_fired (gpointer user_data)
{
  AssaySyncEngine *self = user_data;

  self->timer_id = 0;
  if (self->state != ASSAY_SYNC_STATE_SIGNED_OUT && self->state != ASSAY_SYNC_STATE_FAILED)
    assay_sync_engine_sync_async (self, NULL, timer_sync_done, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_next (AssaySyncEngine *self,
               guint            delay_ms)
{
  if (self->timer_id != 0)
    g_source_remove (self->timer_id);
  self->timer_id = g_timeout_add (delay_ms, timer_fired, self);
}

void
assay_sync_engine_start (AssaySyncEngine *self,
                         guint            interval_s)
{
  self->interval_s = MAX (interval_s, 1);
  schedule_next (self, 0);
}

void
assay_sync_engine_stop (AssaySyncEngine *self)
{
  self->interval_s = 0;
  if (self->timer_id != 0)
    g_source_remove (self->timer_id);
  self->timer_id = 0;
}

/* account only */

static void
account_reply (AssaySyncEngine *self,
               guint            status,
               JsonNode        *json,
               GError          *error)
{
  GTask *task = g_object_steal_data (G_OBJECT (self), "account-task");
  GError *e = NULL;

  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else if (!parse_session (self, json, &e))
    g_task_return_error (task, e);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
assay_sync_engine_refresh_account_async (AssaySyncEngine     *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, assay_sync_engine_refresh_account_async);
  if (!assay_sync_engine_check_url (self->server_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (g_object_get_data (G_OBJECT (self), "account-task") != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "already reading the session");
      g_object_unref (task);
      return;
    }
  g_object_set_data (G_OBJECT (self), "account-task", task);
  send_request (self, "GET", ASSAY_SYNC_API_PREFIX "/session", NULL, NULL, account_reply);
}

const AssaySyncAccount *
assay_sync_engine_refresh_account_finish (AssaySyncEngine  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return self->account;
}

/* sign-in */

typedef struct {
  SoupSession *session;
  SoupMessage *msg;
  char        *server_url;
} SignIn;

static void
sign_in_free (SignIn *s)
{
  g_clear_object (&s->session);
  g_clear_object (&s->msg);
  g_free (s->server_url);
  g_free (s);
}

static void
sign_in_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *s = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status = soup_message_get_status (s->msg);
  const char *ra;
  const char *token = NULL;

  if (body == NULL)
    {
      if (error->domain == G_TLS_ERROR || soup_message_get_tls_peer_certificate_errors (s->msg))
        g_task_return_new_error (task, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_TLS,
                                 _("The certificate of %s is not trusted, so Assay did not connect. "
                                   "Ask your administrator for the centre's CA file."), s->server_url);
      else
        g_task_return_new_error (task, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_NETWORK,
                                 _("Cannot reach %s (%s)."), s->server_url, error->message);
      return;
    }
  ra = soup_message_headers_get_one (soup_message_get_response_headers (s->msg), "Retry-After");
  if (ra != NULL)
    g_object_set_data (G_OBJECT (task), "retry-after", GUINT_TO_POINTER ((guint) g_ascii_strtoull (ra, NULL, 10)));
  if (status == 429)
    {
      g_task_return_new_error (task, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_SLOW_DOWN,
                               _("Too many failed sign-ins. Try again in %s s."), ra ? ra : "?");
      return;
    }
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_new_error (task, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_AUTH,
                               _("The login or the password is wrong."));
      return;
    }
  if (status == SOUP_STATUS_OK
      && json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    token = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                        "token", NULL);
  if (token == NULL)
    {
      g_task_return_new_error (task, ASSAY_SYNC_ERROR, ASSAY_SYNC_ERROR_PROTOCOL,
                               _("The server did not sign in (HTTP %u)."), status);
      return;
    }
  g_task_return_pointer (task, g_strdup (token), g_free);
}

void
assay_sync_sign_in_async (const char          *server_url,
                          const char          *ca_file,
                          const char          *login,
                          const char          *password,
                          const char          *label,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  SignIn *s;

  g_task_set_source_tag (task, assay_sync_sign_in_async);
  if (!assay_sync_engine_check_url (server_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  s = g_new0 (SignIn, 1);
  s->server_url = g_strdup (server_url);
  s->session = make_session (ca_file, &error);
  if (s->session == NULL)
    {
      sign_in_free (s);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "login");
  json_builder_add_string_value (b, login ? login : "");
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password ? password : "");
  if (label != NULL)
    {
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, label);
    }
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  text = json_to_string (body, FALSE);
  base = g_strdup (server_url);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  url = g_strconcat (base, ASSAY_SYNC_API_PREFIX "/auth/token", NULL);
  s->msg = soup_message_new ("POST", url);
  {
    gsize len = strlen (text);
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);
    soup_message_set_request_body_from_bytes (s->msg, "application/json", bytes);
  }
  g_task_set_task_data (task, s, (GDestroyNotify) sign_in_free);
  soup_session_send_and_read_async (s->session, s->msg, G_PRIORITY_DEFAULT, cancellable,
                                    sign_in_done, task);
}

char *
assay_sync_sign_in_finish (GAsyncResult  *result,
                           guint         *retry_after_s,
                           GError       **error)
{
  if (retry_after_s)
    *retry_after_s = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "retry-after"));
  return g_task_propagate_pointer (G_TASK (result), error);
}
