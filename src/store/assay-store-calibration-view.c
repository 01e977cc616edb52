/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "assay-store-calibration-view.h"
#include "assay-store-forms.h"
#include "protocol/assay-form-json.h"

void
assay_calibration_view_free (AssayCalibrationView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->record, assay_calibration_session_record_free);
  g_clear_pointer (&view->form, assay_form_unref);
  g_clear_pointer (&view->answers, g_ptr_array_unref);
  g_clear_pointer (&view->consensus, g_ptr_array_unref);
  g_clear_pointer (&view->submitted, g_ptr_array_unref);
  g_clear_pointer (&view->own, g_ptr_array_unref);
  g_clear_pointer (&view->stats, assay_calibration_stats_free);
  g_clear_pointer (&view->history, g_ptr_array_unref);
  g_free (view);
}

static void
answers_free0 (gpointer p)
{
  if (p != NULL)
    assay_answers_free (p);
}

int
assay_calibration_view_index_of (GStrv       ids,
                                 const char *id)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (strcmp (ids[i], id) == 0)
      return (int) i;
  return -1;
}

/* The consensus answers of one interaction as one answers set on the form. */
static AssayAnswers *
consensus_answers (AssayForm   *form,
                   GPtrArray   *rows,
                   const char  *interaction_id,
                   GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) doc = NULL;
  gboolean any = FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, ASSAY_FORM_FORMAT);
  json_builder_set_member_name (b, "form_id");
  json_builder_add_string_value (b, form->id);
  json_builder_set_member_name (b, "form_version");
  json_builder_add_int_value (b, form->version);
  json_builder_set_member_name (b, "answers");
  json_builder_begin_object (b);
  for (guint i = 0; i < rows->len; i++)
    {
      AssayCalibrationConsensusRecord *c = g_ptr_array_index (rows, i);
      JsonNode *node;

      if (strcmp (c->interaction_id, interaction_id) != 0
          || assay_form_lookup_item (form, c->item_id) < 0)
        continue;
      node = json_from_string (c->answer, NULL);
      if (node == NULL)
        continue;
      json_builder_set_member_name (b, c->item_id);
      json_builder_add_value (b, node);
      any = TRUE;
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  if (!any)
    return NULL;
  doc = json_builder_get_root (b);
  return assay_answers_from_json_node (form, doc, error);
}

AssayCalibrationView *
assay_calibration_view_new (AssayCalibrationSessionRecord *record,
                            const char                    *definition,
                            GPtrArray                     *scorings,
                            GPtrArray                     *rows,
                            const char                    *viewer_id,
                            GError                       **error)
{
  g_autoptr(AssayCalibrationView) s = g_new0 (AssayCalibrationView, 1);
  g_autoptr(GPtrArray) all = scorings;
  guint n_units, n_inspectors;

  s->record = record;
  s->form = assay_form_from_json (definition, -1, error);
  if (s->form == NULL)
    return NULL;

  n_units = g_strv_length (s->record->interaction_ids);
  n_inspectors = g_strv_length (s->record->participant_ids);
  s->answers = g_ptr_array_new_with_free_func (answers_free0);
  g_ptr_array_set_size (s->answers, n_units * n_inspectors);
  s->consensus = g_ptr_array_new_with_free_func (answers_free0);
  g_ptr_array_set_size (s->consensus, n_units);
  s->submitted = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calibration_scoring_record_free);
  s->own = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calibration_scoring_record_free);

  for (guint i = 0; i < all->len; i++)
    {
      AssayCalibrationScoringRecord *r = g_ptr_array_index (all, i);
      int u = assay_calibration_view_index_of (s->record->interaction_ids, r->interaction_id);
      int j = assay_calibration_view_index_of (s->record->participant_ids, r->inspector_id);
      AssayAnswers *answers;

      if (viewer_id != NULL && g_strcmp0 (r->inspector_id, viewer_id) == 0)
        g_ptr_array_add (s->own, assay_calibration_scoring_record_copy (r));
      /* drafts are not ratings */
      if (r->submitted_at == 0 || u < 0 || j < 0)
        continue;
      answers = assay_answers_from_json (s->form, r->answers, -1, error);
      if (answers == NULL)
        {
          g_prefix_error (error, "The scoring %s cannot be read: ", r->id);
          return NULL;
        }
      g_ptr_array_index (s->answers, u * n_inspectors + j) = answers;
      g_ptr_array_add (s->submitted, g_ptr_array_steal_index (all, i--));
    }

  for (guint u = 0; u < n_units; u++)
    {
      GError *local = NULL;
      AssayAnswers *c = consensus_answers (s->form, rows, s->record->interaction_ids[u], &local);

      if (local != NULL)
        {
          g_propagate_prefixed_error (error, local, "The consensus cannot be read: ");
          return NULL;
        }
      g_ptr_array_index (s->consensus, u) = c;
    }

  s->stats = assay_calibration_stats_compute (s->form, n_units, n_inspectors,
                                              (AssayAnswers *const *) s->answers->pdata,
                                              (AssayAnswers *const *) s->consensus->pdata,
                                              (const char *const *) s->record->participant_ids);
  return g_steal_pointer (&s);
}

AssayCalibrationView *
assay_store_load_calibration_view_sync (AssayStore  *store,
                                        const char  *session_id,
                                        const char  *viewer_id,
                                        GError     **error)
{
  g_autoptr(AssayCalibrationSessionRecord) record = NULL;
  g_autoptr(AssayFormVersionRecord) version = NULL;
  g_autoptr(GPtrArray) scorings = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  record = assay_store_get_calibration_session_sync (store, session_id, error);
  if (record == NULL)
    return NULL;
  version = assay_store_get_form_version_sync (store, record->form_id, record->form_version, error);
  if (version == NULL)
    return NULL;
  scorings = assay_store_list_calibration_scorings_sync (store, session_id, viewer_id, error);
  if (scorings == NULL)
    return NULL;
  rows = assay_store_list_calibration_consensus_sync (store, session_id, error);
  if (rows == NULL)
    return NULL;
  return assay_calibration_view_new (g_steal_pointer (&record), version->definition,
                                     g_steal_pointer (&scorings), rows, viewer_id, error);
}

typedef struct {
  char *session_id;
  char *viewer_id;
} ViewArgs;

static void
view_args_free (ViewArgs *a)
{
  g_free (a->session_id);
  g_free (a->viewer_id);
  g_free (a);
}

/* on a thread of its own: the _sync calls wait for the store's worker */
static void
load_view_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  ViewArgs *a = data;
  GError *error = NULL;
  AssayCalibrationView *view;

  view = assay_store_load_calibration_view_sync (source, a->session_id, a->viewer_id, &error);
  if (view != NULL && !assay_store_load_calibration_history_sync (source, view, &error))
    g_clear_pointer (&view, assay_calibration_view_free);
  if (view == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, view, (GDestroyNotify) assay_calibration_view_free);
}

void
assay_store_load_calibration_view_async (AssayStore          *store,
                                         const char          *session_id,
                                         const char          *viewer_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  ViewArgs *a = g_new0 (ViewArgs, 1);

  a->session_id = g_strdup (session_id);
  a->viewer_id = g_strdup (viewer_id);
  g_task_set_source_tag (task, assay_store_load_calibration_view_async);
  g_task_set_task_data (task, a, (GDestroyNotify) view_args_free);
  g_task_run_in_thread (task, load_view_thread);
}

AssayCalibrationView *
assay_store_load_calibration_view_finish (AssayStore    *store,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
