/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-places.h"
#include "core/assay-util.h"
#include "pages/assay-agent-scorecard-page.h"
#include "pages/assay-agents-page.h"
#include "pages/assay-callbacks-page.h"
#include "pages/assay-calibration-page.h"
#include "pages/assay-coaching-page.h"
#include "pages/assay-dashboard-page.h"
#include "pages/assay-disputes-page.h"
#include "pages/assay-evaluations-page.h"
#include "pages/assay-interactions-page.h"
#include "pages/assay-my-results-page.h"
#include "pages/assay-overdue-page.h"
#include "pages/assay-queue-page.h"
#include "pages/assay-reports-page.h"
#include "pages/assay-scorecards-page.h"
#include "pages/assay-sync-page.h"
#include "store/assay-store-queue.h"

/* the badges count what the pages list */
#define QUEUE_LIMIT 1000
#define EVALUATIONS_LIMIT 500
#define DAY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))

/* ---- badges ---- */

static void
queue_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = assay_store_list_queue_finish (ASSAY_STORE (source), result, &error);
  gint64 due = 0;

  if (items == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < items->len; i++)
    if (((AssayQueueItem *) g_ptr_array_index (items, i))->state != ASSAY_QUEUE_STATE_DONE)
      due++;
  g_task_return_int (task, due);
}

/* Reviews not done yet. */
static void
count_due (AssayContext        *context,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (context, cancellable, callback, user_data);
  const AssayStaffRecord *me = assay_context_get_me (context);
  gint64 now = assay_now_ms ();

  if (me == NULL)
    {
      g_task_return_int (task, 0);
      g_object_unref (task);
      return;
    }
  assay_store_list_queue_async (assay_context_get_store (context), me->id, now, now - DAY_MS,
                                QUEUE_LIMIT, cancellable, queue_listed_cb, task);
}

static void
evaluations_listed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = assay_store_list_evaluations_finish (ASSAY_STORE (source), result,
                                                                      &error);
  gint64 drafts = 0;

  if (records == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (((AssayEvaluationRecord *) g_ptr_array_index (records, i))->state, "draft") == 0)
      drafts++;
  g_task_return_int (task, drafts);
}

/* Drafts not yet submitted. */
static void
count_drafts (AssayContext        *context,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (context, cancellable, callback, user_data);
  const AssayStaffRecord *me = assay_context_get_me (context);

  if (me == NULL)
    {
      g_task_return_int (task, 0);
      g_object_unref (task);
      return;
    }
  assay_store_list_evaluations_async (assay_context_get_store (context), me->id, NULL, EVALUATIONS_LIMIT,
                                      cancellable, evaluations_listed_cb, task);
}

gint64
assay_place_count_finish (AssayContext  *context,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, context), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- the table ---- */

static const char * const queue_collections[] = {
  ASSAY_STORE_ASSIGNMENTS, ASSAY_STORE_EVALUATIONS, NULL
};
static const char * const evaluation_collections[] = { ASSAY_STORE_EVALUATIONS, NULL };
static const char * const overdue_collections[] = {
  ASSAY_STORE_COACHING, ASSAY_STORE_EVALUATIONS, ASSAY_STORE_ASSIGNMENTS, ASSAY_STORE_INTERACTIONS,
  NULL
};

/*
 * A new place is one row here, in the group of its heading. Places that later issues add:
 * Coaching, Training, Improvement actions (People); Mystery shopper
 * (Audits); Dashboard, Callbacks, Reports (Insights); Disputes, Sync (Centre); Overdue.
 */
static const AssayPlace places[] = {
  { "my-results", N_("My Results"), "emblem-default-symbolic", ASSAY_ROLE_AGENT,
    ASSAY_HEADING_MINE, assay_my_results_page_get_type },
  { "queue", N_("Review Queue"), "checkbox-checked-symbolic", ASSAY_ROLE_INSPECTOR,
    ASSAY_HEADING_REVIEW, assay_queue_page_get_type,
    count_due, N_("Reviews not done yet"), queue_collections },
  { "evaluations", N_("My Evaluations"), "document-edit-symbolic", ASSAY_ROLE_INSPECTOR,
    ASSAY_HEADING_REVIEW, assay_evaluations_page_get_type,
    count_drafts, N_("Drafts not yet submitted"), evaluation_collections },
  { "calibration", N_("Calibration"), "view-dual-symbolic",
    ASSAY_ROLE_INSPECTOR | ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER,
    ASSAY_HEADING_REVIEW, assay_calibration_page_get_type },
  { "agents", N_("Agents & Teams"), "system-users-symbolic", ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER,
    ASSAY_HEADING_PEOPLE, assay_agents_page_get_type },
  { "coaching", N_("Coaching"), "system-users-symbolic", ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER,
    ASSAY_HEADING_PEOPLE, assay_coaching_page_get_type },
  { "overdue", N_("Overdue"), "alarm-symbolic", ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER,
    ASSAY_HEADING_PEOPLE, assay_overdue_page_get_type,
    assay_overdue_count, N_("Things past their due date"), overdue_collections },
  { "dashboard", N_("Dashboard"), "x-office-presentation-symbolic",
    ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER, ASSAY_HEADING_INSIGHTS, assay_dashboard_page_get_type },
  { "agent-scorecard", N_("Agent Scorecard"), "avatar-default-symbolic",
    ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER, ASSAY_HEADING_INSIGHTS,
    assay_agent_scorecard_page_get_type },
  { "callbacks", N_("Callbacks"), "call-start-symbolic", ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER,
    ASSAY_HEADING_INSIGHTS, assay_callbacks_page_get_type },
  { "reports", N_("Reports"), "x-office-document-symbolic", ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER,
    ASSAY_HEADING_INSIGHTS, assay_reports_page_get_type },
  { "interactions", N_("Interactions"), "call-start-symbolic",
    ASSAY_ROLE_INSPECTOR | ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER,
    ASSAY_HEADING_CENTRE, assay_interactions_page_get_type },
  { "scorecards", N_("Scorecards"), "view-list-symbolic",
    ASSAY_ROLE_INSPECTOR | ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER,
    ASSAY_HEADING_CENTRE, assay_scorecards_page_get_type },
  { "disputes", N_("Disputes"), "dialog-question-symbolic",
    ASSAY_ROLE_INSPECTOR | ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER | ASSAY_ROLE_AGENT,
    ASSAY_HEADING_CENTRE, assay_disputes_page_get_type },
  { "sync", N_("Sync"), "emblem-synchronizing-symbolic",
    ASSAY_ROLE_INSPECTOR | ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER | ASSAY_ROLE_AGENT | ASSAY_ROLE_ADMIN,
    ASSAY_HEADING_CENTRE, assay_sync_page_get_type },
};

const AssayPlace *
assay_places_get (guint *n_places)
{
  *n_places = G_N_ELEMENTS (places);
  return places;
}

const AssayPlace *
assay_places_lookup (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (places); i++)
    if (g_str_equal (places[i].name, name))
      return &places[i];
  return NULL;
}

const char *
assay_heading_get_title (AssayHeading heading)
{
  switch (heading)
    {
    case ASSAY_HEADING_REVIEW:
      return C_("sidebar heading", "Review");
    case ASSAY_HEADING_PEOPLE:
      return C_("sidebar heading", "People");
    case ASSAY_HEADING_AUDITS:
      return C_("sidebar heading", "Audits");
    case ASSAY_HEADING_INSIGHTS:
      return C_("sidebar heading", "Insights");
    case ASSAY_HEADING_CENTRE:
      return C_("sidebar heading", "Centre");
    case ASSAY_HEADING_MINE:
    default:
      return NULL;
    }
}
