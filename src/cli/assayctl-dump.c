/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>

#include "assayctl.h"
#include "protocol/assay-collections.h"
#include "store/assay-store.h"
#include "store/assay-store-sync.h"

/*
 * assayctl dump COLLECTION: the local copy of a synced collection in exactly the canonical form
 * of `assay-central dump` (docs/sync-protocol.md, "Canonical JSON and dump"), so the two can be
 * compared with diff.
 */
int
assayctl_dump (int          argc,
               char       **argv,
               const char  *database)
{
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  if (argc != 2 || assay_collection_lookup (argv[1]) == NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      guint n;
      const AssayCollection *all = assay_collections_get (&n);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", all[i].name);
      assayctl_error ("usage: assayctl dump COLLECTION, where COLLECTION is one of %s", names->str);
      return 2;
    }
  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error)
      || (out = assay_store_sync_dump_sync (store, argv[1], &error)) == NULL)
    {
      assayctl_error ("%s", error->message);
      assay_store_close (store);
      return 1;
    }
  fputs (out, stdout);
  assay_store_close (store);
  return 0;
}
