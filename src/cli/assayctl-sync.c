/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "assayctl.h"
#include "core/assay-util.h"
#include "store/assay-store.h"
#include "sync/assay-sync-engine.h"
#include "sync/assay-sync-error.h"

/*
 * assayctl sync --server URL --token-file FILE [--ca-file FILE] [--attempts N] [--json]
 *
 * Runs the sync engine headless: cycles until one ends well (or a cycle fails in a way a retry
 * will not fix, or --attempts cycles failed), waiting the engine's backoff between them.
 * Exits 0 only when nothing is left to send and no conflict or rejection is pending.
 */

typedef struct {
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  g_clear_error (&w->error);
  w->ok = assay_sync_engine_sync_finish (ASSAY_SYNC_ENGINE (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
assayctl_sync (int          argc,
               char       **argv,
               const char  *database)
{
  g_autofree char *server = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *token = NULL;
  gboolean json = FALSE;
  int attempts = 8;
  double time_scale = 1.0;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, "the central service, https://host[:port]", "URL" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, "a file holding the bearer token", "FILE" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, "PEM CA certificates to trust besides the system's", "FILE" },
    { "attempts", 0, 0, G_OPTION_ARG_INT, &attempts, "cycles to try before giving up (default 8)", "N" },
    { "time-scale", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &time_scale, NULL, NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print a JSON report", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("— push local work to the central service and pull its changes");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(AssaySyncEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  const AssaySyncReport *r;
  AssaySyncReport total = { 0 };
  Wait w = { 0 };
  int status;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      assayctl_error ("%s", error->message);
      return 2;
    }
  if (server == NULL || token_file == NULL)
    {
      assayctl_error ("sync needs --server URL and --token-file FILE (a file holding the token an "
                      "administrator created with `assay-central token create LOGIN`)");
      return 2;
    }
  if (!assay_sync_engine_check_url (server, &error))
    {
      assayctl_error ("%s", error->message);
      return 2;
    }
  if (!g_file_get_contents (token_file, &token, NULL, &error))
    {
      assayctl_error ("cannot read the token: %s", error->message);
      return 2;
    }
  g_strstrip (token);
  if (*token == '\0')
    {
      assayctl_error ("the token file %s is empty", token_file);
      return 2;
    }

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  engine = assay_sync_engine_new (store, server, token);
  assay_sync_engine_set_time_scale (engine, time_scale);
  if (ca_file != NULL && !assay_sync_engine_set_ca_file (engine, ca_file, &error))
    {
      assayctl_error ("%s", error->message);
      assay_store_close (store);
      return 2;
    }

  loop = g_main_loop_new (NULL, FALSE);
  w.loop = loop;
  for (int i = 0; i < MAX (attempts, 1); i++)
    {
      assay_sync_engine_sync_async (engine, NULL, sync_done, &w);
      g_main_loop_run (loop);
      r = assay_sync_engine_get_report (engine);
      total.pushed += r->pushed;
      total.pulled += r->pulled;
      total.conflicts += r->conflicts;
      total.rejected += r->rejected;
      total.requests += r->requests;
      total.bytes_received += r->bytes_received;
      if (w.ok || assay_sync_engine_get_state (engine) != ASSAY_SYNC_STATE_WAITING
          || i + 1 >= MAX (attempts, 1))
        break;
      /* the engine's backoff (full jitter, Retry-After), then the next cycle */
      {
        gint64 wait_us;
        gint64 retry_at = 0;

        g_object_get (engine, "retry-at", &retry_at, NULL);
        wait_us = MAX (retry_at - g_get_monotonic_time (), 0);
        g_timeout_add ((guint) MIN (wait_us / 1000, G_MAXUINT), quit_loop, loop);
        g_main_loop_run (loop);
      }
    }
  r = assay_sync_engine_get_report (engine);
  status = w.ok && r->pending == 0 && r->open_conflicts == 0 ? 0 : 1;

  if (json)
    {
      g_autofree char *err_json = NULL;

      if (w.error != NULL)
        {
          g_autoptr(JsonNode) n = json_node_init_string (json_node_alloc (), w.error->message);
          err_json = json_to_string (n, FALSE);
        }
      else
        err_json = g_strdup ("null");
      printf ("{\"ok\": %s, \"pushed\": %u, \"pulled\": %u, \"conflicts\": %u, \"rejected\": %u,"
            " \"pending\": %u, \"openConflicts\": %u, \"requests\": %u, \"bytes\": %" G_GUINT64_FORMAT
            ", \"error\": %s}\n",
            w.ok ? "true" : "false", total.pushed, total.pulled, total.conflicts, total.rejected,
            r->pending, r->open_conflicts, total.requests, total.bytes_received,
            err_json);
    }
  else
    {
      printf ("pushed %u, pulled %u, conflicts %u, rejected %u; %u pending, %u waiting for you\n",
              total.pushed, total.pulled, total.conflicts, total.rejected, r->pending, r->open_conflicts);
    }
  if (w.error != NULL)
    assayctl_error ("%s", w.error->message);
  else if (status != 0)
    assayctl_error ("sync left work to do: %u operations pending, %u conflicts or rejections to resolve",
                    r->pending, r->open_conflicts);
  g_clear_error (&w.error);
  g_clear_object (&engine);
  assay_store_close (store);
  return status;
}
