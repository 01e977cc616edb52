/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-store-choices.h"
#include "assay-store-private.h"

static void
choice_free (AssayChoice *choice)
{
  g_free (choice->id);
  g_free (choice->name);
  g_free (choice);
}

void
assay_choices_free (AssayChoices *choices)
{
  g_clear_pointer (&choices->agents, g_ptr_array_unref);
  g_clear_pointer (&choices->teams, g_ptr_array_unref);
  g_clear_pointer (&choices->queues, g_ptr_array_unref);
  g_free (choices);
}

static GPtrArray *
read_choices (sqlite3     *db,
              const char  *sql,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autoptr(GPtrArray) out = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayChoice *c = g_new0 (AssayChoice, 1);

      c->id = g_strdup (_assay_store_column_text (stmt, 0));
      c->name = g_strdup (_assay_store_column_text (stmt, 1));
      g_ptr_array_add (out, c);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gpointer
list_choices_func (sqlite3       *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(AssayChoices) choices = g_new0 (AssayChoices, 1);

  choices->agents = read_choices (db, "SELECT id, name FROM agent ORDER BY name", error);
  if (choices->agents == NULL)
    return NULL;
  choices->teams = read_choices (db, "SELECT id, name FROM team ORDER BY name", error);
  if (choices->teams == NULL)
    return NULL;
  choices->queues = read_choices (db, "SELECT name, name FROM queue ORDER BY name", error);
  if (choices->queues == NULL)
    return NULL;
  return g_steal_pointer (&choices);
}

void
assay_store_list_choices_async (AssayStore          *store,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  _assay_store_run_async (store, list_choices_func, NULL, NULL, (GDestroyNotify) assay_choices_free,
                          assay_store_list_choices_async, cancellable, callback, user_data);
}

AssayChoices *
assay_store_list_choices_finish (AssayStore    *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _assay_store_run_finish (store, result, error);
}
