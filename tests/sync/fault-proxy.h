/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A TCP proxy for the sync tests: listens on 127.0.0.1 (port 0) and forwards each connection
 * to the server, after choosing, per connection and from a seeded random sequence, one fault:
 * none, a cut after a random number of bytes (either direction), a delay, a reset before
 * anything is forwarded, a 503 answer, or a 429 answer with Retry-After. Each connection is
 * served by threads of its own (GThreadedSocketService) with blocking I/O and socket timeouts.
 */

typedef enum {
  FAULT_NONE,
  FAULT_CUT,
  FAULT_DELAY,
  FAULT_RESET,
  FAULT_5XX,
  FAULT_429,
  FAULT_N_KINDS
} FaultKind;

typedef struct _FaultProxy FaultProxy;

FaultProxy *fault_proxy_new          (guint16     upstream_port,
                                      guint32     seed);
/* "http://127.0.0.1:PORT" */
const char *fault_proxy_get_base     (FaultProxy *proxy);
/* with %FALSE every new connection is forwarded as is, and every open one is closed */
void        fault_proxy_set_faults   (FaultProxy *proxy,
                                      gboolean    enabled);
/* how many connections got each FaultKind */
guint       fault_proxy_get_count    (FaultProxy *proxy,
                                      FaultKind   kind);
/* stops listening, shuts every open connection and waits (bounded) for its threads */
void        fault_proxy_free         (FaultProxy *proxy);

G_END_DECLS
