/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "assay-central.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AssayCentral) central = assay_central_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  guint port = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 8080;

  port = assay_central_listen_local (central, port, &error);
  if (port == 0)
    {
      fprintf (stderr, "assay-central: %s\n", error->message);
      return 1;
    }
  printf ("assay-central listening on http://127.0.0.1:%u/\n", port);
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}
