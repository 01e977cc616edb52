/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "assay-store-calibration-view.h"

/*
 * A session's history: the earlier open sessions on the same scorecard, for the inspectors'
 * trend ("grade the grader") and the items whose agreement stays low (docs/calibration.md).
 */

gboolean
assay_store_load_calibration_history_sync (AssayStore            *store,
                                           AssayCalibrationView  *view,
                                           GError               **error)
{
  AssayCalibrationSessionRecord *current = view->record;
  g_autoptr(GPtrArray) all = assay_store_list_calibration_sessions_sync (store, error);
  g_autoptr(GPtrArray) past = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calibration_view_free);

  if (all == NULL)
    return FALSE;
  /* the list is newest first */
  for (guint i = all->len; i > 0; i--)
    {
      AssayCalibrationSessionRecord *r = g_ptr_array_index (all, i - 1);
      AssayCalibrationView *v;

      if (strcmp (r->id, current->id) == 0)
        break;
      if (strcmp (r->form_id, current->form_id) != 0
          || strcmp (r->state, ASSAY_CALIBRATION_SCORING) == 0
          || r->created_at > current->created_at)
        continue;
      /* open answers: everyone may see them, so the statistics take them all */
      v = assay_store_load_calibration_view_sync (store, r->id, NULL, error);
      if (v == NULL)
        return FALSE;
      g_ptr_array_add (past, v);
    }
  g_clear_pointer (&view->history, g_ptr_array_unref);
  view->history = g_steal_pointer (&past);
  return TRUE;
}

const AssayItemAgreement *
assay_calibration_view_item_in (const AssayCalibrationView *other,
                                const AssayItem            *item)
{
  for (guint i = 0; i < other->stats->items->len; i++)
    {
      const AssayItemAgreement *ia = g_ptr_array_index (other->stats->items, i);

      /* a reworded item starts a new history */
      if (strcmp (ia->item->id, item->id) == 0)
        return g_strcmp0 (ia->item->text, item->text) == 0 && ia->item->kind == item->kind
               ? ia : NULL;
    }
  return NULL;
}

const AssayInspectorAgreement *
assay_calibration_view_inspector_in (const AssayCalibrationView *other,
                                     const char                 *inspector_id)
{
  for (guint i = 0; i < other->stats->inspectors->len; i++)
    {
      const AssayInspectorAgreement *a = g_ptr_array_index (other->stats->inspectors, i);

      if (strcmp (a->inspector_id, inspector_id) == 0)
        return a;
    }
  return NULL;
}

static guint
history_len (const AssayCalibrationView *view)
{
  return view->history != NULL ? view->history->len : 0;
}

double *
assay_calibration_view_item_alphas (const AssayCalibrationView *view,
                                    const AssayItem            *item,
                                    guint                      *n)
{
  guint len = history_len (view);
  double *alphas = g_new (double, len + 1);

  for (guint p = 0; p <= len; p++)
    {
      const AssayCalibrationView *v = p < len ? g_ptr_array_index (view->history, p) : view;
      const AssayItemAgreement *ia = assay_calibration_view_item_in (v, item);

      alphas[p] = ia != NULL ? ia->alpha.value : NAN;
    }
  *n = len + 1;
  return alphas;
}

double *
assay_calibration_view_inspector_series (const AssayCalibrationView *view,
                                         const char                 *inspector_id,
                                         guint                      *n)
{
  guint len = history_len (view);
  double *series = g_new (double, len + 1);

  for (guint p = 0; p <= len; p++)
    {
      const AssayCalibrationView *v = p < len ? g_ptr_array_index (view->history, p) : view;
      const AssayInspectorAgreement *a = assay_calibration_view_inspector_in (v, inspector_id);

      series[p] = a != NULL ? a->agreement_with_consensus : NAN;
    }
  *n = len + 1;
  return series;
}

gboolean
assay_calibration_view_stays_low (const AssayCalibrationView *view,
                                  const AssayItem            *item,
                                  guint                       k,
                                  double                      threshold)
{
  guint n;
  g_autofree double *alphas = assay_calibration_view_item_alphas (view, item, &n);

  return assay_agreement_stays_low (alphas, n, k, threshold);
}
