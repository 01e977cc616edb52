/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The child of test-crash: writes interactions one transaction at a time through the real
 * import path, and after each commit prints the interaction's id on a line of its own, until it
 * is killed. Usage: crash-writer DATABASE
 */
#include <stdio.h>
#include <stdlib.h>

#include "assay-store-import.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new ();

  if (argc != 2)
    {
      fprintf (stderr, "usage: crash-writer DATABASE\n");
      return 2;
    }

  store = assay_store_new (argv[1]);
  if (!assay_store_open_sync (store, &error))
    {
      fprintf (stderr, "crash-writer: %s\n", error->message);
      return 1;
    }

  /* bounded so that a writer nobody kills still ends */
  for (int i = 0; i < 100000; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *started = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
      g_autofree char *csv = NULL;
      g_autoptr(GInputStream) input = NULL;
      int agent = g_rand_int_range (rand, 0, 40);

      /* some rows bring a new agent or team, so transactions vary in size */
      csv = g_strdup_printf ("id,channel,queue,agent_code,agent_name,team,customer_ref,started_at,"
                             "talk_s,csat\n"
                             "%s,phone,Crash %d,C%03d,Crash agent %d,Team %d,\"ref, %d\",%s,"
                             "%d,%d\n",
                             id, g_rand_int_range (rand, 0, 5), agent, agent, agent % 7, i,
                             started, g_rand_int_range (rand, 0, 3600),
                             g_rand_int_range (rand, 1, 6));
      input = g_memory_input_stream_new_from_data (g_steal_pointer (&csv), -1, g_free);
      if (!assay_store_import_csv_sync (store, input, "crash", NULL, ASSAY_IMPORT_NONE, NULL,
                                        NULL, &error))
        {
          fprintf (stderr, "crash-writer: %s\n", error->message);
          return 1;
        }
      /* committed: only now may the parent count on it */
      printf ("%s\n", id);
      fflush (stdout);
    }
  return 0;
}
