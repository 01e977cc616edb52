/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/socket.h>

#include "fault-proxy.h"

#define IO_TIMEOUT_S 20

struct _FaultProxy {
  GSocketService *service;
  guint16         upstream_port;
  char           *base;
  GMutex          lock;
  GRand          *rand;           /* under lock */
  gboolean        faults;
  guint           counts[FAULT_N_KINDS];
  GPtrArray      *open;           /* GSocket, under lock */
  gint            active;         /* threads serving a connection, under lock */
  GCond           idle;
};

typedef struct {
  FaultProxy *proxy;
  GSocket    *from;
  GSocket    *to;
  gint64      limit;              /* bytes to forward before cutting, -1 for all */
} Pump;

static void
active_add (FaultProxy *proxy,
            gint        delta)
{
  g_mutex_lock (&proxy->lock);
  proxy->active += delta;
  if (proxy->active == 0)
    g_cond_broadcast (&proxy->idle);
  g_mutex_unlock (&proxy->lock);
}

static void
shut (GSocket *a,
      GSocket *b)
{
  g_socket_shutdown (a, TRUE, TRUE, NULL);
  g_socket_shutdown (b, TRUE, TRUE, NULL);
}

static void
pump (Pump *p)
{
  char buf[16384];
  gint64 sent = 0;

  for (;;)
    {
      gssize n = g_socket_receive (p->from, buf, sizeof buf, NULL, NULL);
      gssize off = 0;

      if (n <= 0)
        break;
      if (p->limit >= 0 && sent + n > p->limit)
        n = p->limit - sent;
      while (off < n)
        {
          gssize w = g_socket_send (p->to, buf + off, n - off, NULL, NULL);
          if (w <= 0)
            goto out;
          off += w;
        }
      sent += n;
      if (p->limit >= 0 && sent >= p->limit)
        break;
    }
out:
  shut (p->from, p->to);
}

static gpointer
pump_thread (gpointer data)
{
  Pump *p = data;

  pump (p);
  active_add (p->proxy, -1);
  g_free (p);
  return NULL;
}

static void
track (FaultProxy *proxy,
       GSocket    *socket,
       gboolean    add)
{
  g_mutex_lock (&proxy->lock);
  if (add)
    g_ptr_array_add (proxy->open, g_object_ref (socket));
  else
    g_ptr_array_remove (proxy->open, socket);
  g_mutex_unlock (&proxy->lock);
}

/* reads a request's head (to its blank line) so that an answer is one the client reads */
static void
read_head (GSocket *socket)
{
  char buf[4096];
  GString *seen = g_string_new (NULL);

  while (strstr (seen->str, "\r\n\r\n") == NULL && seen->len < 65536)
    {
      gssize n = g_socket_receive (socket, buf, sizeof buf - 1, NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (seen, buf, n);
    }
  g_string_free (seen, TRUE);
}

static void
answer (GSocket    *socket,
        const char *text)
{
  gsize len = strlen (text), off = 0;

  while (off < len)
    {
      gssize w = g_socket_send (socket, text + off, len - off, NULL, NULL);
      if (w <= 0)
        break;
      off += w;
    }
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  FaultProxy *proxy = user_data;
  GSocket *client = g_socket_connection_get_socket (connection);
  g_autoptr(GSocketClient) connector = g_socket_client_new ();
  g_autoptr(GSocketConnection) up = NULL;
  GSocket *server;
  FaultKind kind = FAULT_NONE;
  gint64 limit_in = -1, limit_out = -1;
  guint delay_ms = 0;
  Pump *back;
  GThread *thread;

  active_add (proxy, 1);
  g_socket_set_timeout (client, IO_TIMEOUT_S);
  g_mutex_lock (&proxy->lock);
  if (proxy->faults)
    {
      /* half the connections are clean, the rest share the faults */
      if (g_rand_int_range (proxy->rand, 0, 2) == 1)
        kind = g_rand_int_range (proxy->rand, FAULT_CUT, FAULT_N_KINDS);
      if (kind == FAULT_CUT)
        {
          if (g_rand_boolean (proxy->rand))
            limit_in = g_rand_int_range (proxy->rand, 0, 6000);
          else
            limit_out = g_rand_int_range (proxy->rand, 0, 6000);
        }
      if (kind == FAULT_DELAY)
        delay_ms = g_rand_int_range (proxy->rand, 1, 150);
    }
  proxy->counts[kind]++;
  g_mutex_unlock (&proxy->lock);
  track (proxy, client, TRUE);

  switch (kind)
    {
    case FAULT_RESET:
      {
        /* SO_LINGER 0: close sends a reset */
        {
          struct linger l = { 1, 0 };
          setsockopt (g_socket_get_fd (client), SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        g_socket_close (client, NULL);
        goto done;
      }
    case FAULT_5XX:
      read_head (client);
      answer (client, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                      "Content-Length: 12\r\nConnection: close\r\n\r\nunavailable\n");
      g_socket_shutdown (client, TRUE, TRUE, NULL);
      goto done;
    case FAULT_429:
      read_head (client);
      answer (client, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\n"
                      "Content-Length: 0\r\nConnection: close\r\n\r\n");
      g_socket_shutdown (client, TRUE, TRUE, NULL);
      goto done;
    case FAULT_DELAY:
      /* the fault is the delay itself (the client's deadlines are far longer) */
      g_usleep (delay_ms * 1000);
      break;
    default:
      break;
    }

  up = g_socket_client_connect_to_host (connector, "127.0.0.1", proxy->upstream_port, NULL, NULL);
  if (up == NULL)
    {
      g_socket_shutdown (client, TRUE, TRUE, NULL);
      goto done;
    }
  server = g_socket_connection_get_socket (up);
  g_socket_set_timeout (server, IO_TIMEOUT_S);
  track (proxy, server, TRUE);

  back = g_new0 (Pump, 1);
  back->proxy = proxy;
  back->from = server;
  back->to = client;
  back->limit = limit_in;
  active_add (proxy, 1);
  thread = g_thread_new ("fault-proxy-back", pump_thread, back);
  {
    Pump forth = { proxy, client, server, limit_out };
    pump (&forth);
  }
  g_thread_join (thread);
  track (proxy, server, FALSE);

done:
  track (proxy, client, FALSE);
  active_add (proxy, -1);
  return TRUE;
}

FaultProxy *
fault_proxy_new (guint16 upstream_port,
                 guint32 seed)
{
  FaultProxy *proxy = g_new0 (FaultProxy, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->idle);
  proxy->rand = g_rand_new_with_seed (seed);
  proxy->faults = TRUE;
  proxy->upstream_port = upstream_port;
  proxy->open = g_ptr_array_new_with_free_func (g_object_unref);
  proxy->service = g_threaded_socket_service_new (64);
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), addr,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  proxy->base = g_strdup_printf ("http://127.0.0.1:%u",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_signal_connect (proxy->service, "run", G_CALLBACK (on_run), proxy);
  g_socket_service_start (proxy->service);
  return proxy;
}

const char *
fault_proxy_get_base (FaultProxy *proxy)
{
  return proxy->base;
}

void
fault_proxy_set_faults (FaultProxy *proxy,
                        gboolean    enabled)
{
  g_mutex_lock (&proxy->lock);
  proxy->faults = enabled;
  /* the network heals: a kept-alive connection opened with a fault (a cut after so many bytes)
   * would still carry it, so every open connection goes; clients connect afresh */
  if (!enabled)
    for (guint i = 0; i < proxy->open->len; i++)
      g_socket_shutdown (proxy->open->pdata[i], TRUE, TRUE, NULL);
  g_mutex_unlock (&proxy->lock);
}

guint
fault_proxy_get_count (FaultProxy *proxy,
                       FaultKind   kind)
{
  guint n;

  g_mutex_lock (&proxy->lock);
  n = proxy->counts[kind];
  g_mutex_unlock (&proxy->lock);
  return n;
}

void
fault_proxy_free (FaultProxy *proxy)
{
  gint64 deadline = g_get_monotonic_time () + 2 * IO_TIMEOUT_S * G_USEC_PER_SEC;


  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_mutex_lock (&proxy->lock);
  for (guint i = 0; i < proxy->open->len; i++)
    g_socket_shutdown (proxy->open->pdata[i], TRUE, TRUE, NULL);
  while (proxy->active > 0)
    g_assert_true (g_cond_wait_until (&proxy->idle, &proxy->lock, deadline));
  g_mutex_unlock (&proxy->lock);
  g_object_unref (proxy->service);
  g_ptr_array_unref (proxy->open);
  g_rand_free (proxy->rand);
  g_mutex_clear (&proxy->lock);
  g_cond_clear (&proxy->idle);
  g_free (proxy->base);
  g_free (proxy);
}
