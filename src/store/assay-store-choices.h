/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-store.h"

G_BEGIN_DECLS

/**
 * AssayChoice:
 * An id and a name to choose from in a filter (an agent, a team, a queue).
 */
typedef struct {
  char *id;
  char *name;
} AssayChoice;

/**
 * AssayChoices:
 * What the filters of a list of interactions offer: agents, teams and queues, by name.
 * Each array holds #AssayChoice pointers.
 */
typedef struct {
  GPtrArray *agents;
  GPtrArray *teams;
  GPtrArray *queues;
} AssayChoices;

void          assay_choices_free              (AssayChoices  *choices);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayChoices, assay_choices_free)

/** assay_store_list_choices_async: reads the agents, teams and queues on the worker. */
void          assay_store_list_choices_async  (AssayStore          *store,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
AssayChoices *assay_store_list_choices_finish (AssayStore          *store,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
