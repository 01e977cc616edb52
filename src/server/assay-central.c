/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-central.h"
#include "protocol/assay-protocol.h"

struct _AssayCentral
{
  GObject     parent_instance;
  SoupServer *server;
};

G_DEFINE_FINAL_TYPE (AssayCentral, assay_central, G_TYPE_OBJECT)

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *body = assay_protocol_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
health_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "protocol");
  json_builder_add_int_value (b, ASSAY_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, ASSAY_VERSION);
  json_builder_end_object (b);
  reply_json (msg, SOUP_STATUS_OK, b);
}

static void
assay_central_finalize (GObject *object)
{
  AssayCentral *self = ASSAY_CENTRAL (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
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
  self->server = soup_server_new ("server-header", "assay-central ", NULL);
  soup_server_add_handler (self->server, "/api/v1/health", health_cb, self, NULL);
}

AssayCentral *
assay_central_new (void)
{
  return g_object_new (ASSAY_TYPE_CENTRAL, NULL);
}

guint
assay_central_listen_local (AssayCentral  *self,
                            guint          port,
                            GError       **error)
{
  GSList *uris;
  guint bound = 0;

  g_return_val_if_fail (ASSAY_IS_CENTRAL (self), 0);

  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return 0;
  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    bound = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return bound;
}
