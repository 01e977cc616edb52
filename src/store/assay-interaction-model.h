/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/assay-interaction.h"
#include "assay-store.h"

G_BEGIN_DECLS

/**
 * AssayInteractionFilter:
 * What a list of interactions shows. NULL strings and %ASSAY_NONE numbers mean "any";
 * @from_ms and @to_ms (0 = open) bound started_at as [from, to).
 * @search matches the start of the customer reference (in capitals) or of the id, a part of
 * the agent's name, the agent's employee code, or a part of the name of a known queue.
 * @recording and @evaluated are %ASSAY_NONE (any), 1 (has a recording / a submitted
 * evaluation) or 0 (has none).
 */
typedef struct {
  char   *search;
  char   *agent_id;
  char   *team_id;
  char   *channel;
  char   *queue;
  gint64  from_ms;
  gint64  to_ms;
  int     csat_min;
  int     csat_max;
  int     recording;
  int     evaluated;
} AssayInteractionFilter;

void assay_interaction_filter_init  (AssayInteractionFilter       *filter);
void assay_interaction_filter_clear (AssayInteractionFilter       *filter);
void assay_interaction_filter_copy  (AssayInteractionFilter       *dest,
                                     const AssayInteractionFilter *src);

typedef enum {
  ASSAY_INTERACTION_SORT_STARTED,
  ASSAY_INTERACTION_SORT_AGENT,
  ASSAY_INTERACTION_SORT_TEAM,
  ASSAY_INTERACTION_SORT_QUEUE,
  ASSAY_INTERACTION_SORT_CHANNEL,
  ASSAY_INTERACTION_SORT_HANDLE,
  ASSAY_INTERACTION_SORT_CSAT,
  ASSAY_INTERACTION_SORT_NPS,
  ASSAY_INTERACTION_SORT_CUSTOMER,
} AssayInteractionSort;

#define ASSAY_TYPE_INTERACTION_MODEL (assay_interaction_model_get_type ())
G_DECLARE_FINAL_TYPE (AssayInteractionModel, assay_interaction_model, ASSAY, INTERACTION_MODEL, GObject)

/**
 * AssayInteractionModel:
 * A lazy #GListModel of #AssayInteraction rows that pages from SQLite on the store's worker.
 * Nothing loads all rows: the model keeps the ordered row ids of the query (8 bytes a row) and a
 * bounded cache of pages; rows handed out before their page arrives are filled in later
 * (#AssayInteraction:loaded). The first page is published before the full count is known, so a
 * new filter shows rows at once. Each row also carries its review facts (recording, submitted
 * evaluations and the latest score, draft); an evaluation's change reads the cached rows again
 * in place.
 */
AssayInteractionModel *assay_interaction_model_new        (AssayStore                   *store);
/* Runs a new query; the model empties and refills. A %NULL filter shows everything. */
void                   assay_interaction_model_set_query  (AssayInteractionModel        *self,
                                                           const AssayInteractionFilter *filter,
                                                           AssayInteractionSort          sort,
                                                           gboolean                      descending);
/* %TRUE until the query has counted all its rows. */
gboolean               assay_interaction_model_get_loading (AssayInteractionModel       *self);
/* The last error of a query, or %NULL. */
const GError          *assay_interaction_model_get_error  (AssayInteractionModel        *self);
/* The number of cached pages (for tests and benchmarks). */
guint                  assay_interaction_model_get_cached_pages (AssayInteractionModel  *self);

G_END_DECLS
