/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-calibration-page-private.h"
#include "assay-ui-util.h"

/*
 * The Calibration page's figures per inspector, with the trend over the sessions on the same
 * scorecard ("grade the grader"), and the rewording flag of an item whose agreement stays low
 * (docs/calibration.md). The view carries its history (assay_store_load_calibration_history_sync).
 */

static const char *
name_in (GHashTable *names,
         const char *id)
{
  const char *name = id != NULL ? g_hash_table_lookup (names, id) : NULL;

  return name != NULL && *name != '\0' ? name : id;
}

static char *
trend_text (const AssayCalibrationView *view,
            const char                 *inspector_id)
{
  guint n, defined = 0;
  g_autofree double *series = assay_calibration_view_inspector_series (view, inspector_id, &n);
  double slope = assay_agreement_trend (series, n);
  g_autofree char *change = NULL;

  for (guint i = 0; i < n; i++)
    defined += !isnan (series[i]);
  if (isnan (slope))
    return g_strdup (_("Trend: needs two sessions on this scorecard"));
  change = assay_ui_format_percent (100 * fabs (slope));
  if (slope > 0.005)
    /* Translators: the change of the agreement with the consensus per session, over N sessions */
    return g_strdup_printf (ngettext ("Trend: improving by %s per session over %u session",
                                      "Trend: improving by %s per session over %u sessions",
                                      defined), change, defined);
  if (slope < -0.005)
    return g_strdup_printf (ngettext ("Trend: falling by %s per session over %u session",
                                      "Trend: falling by %s per session over %u sessions",
                                      defined), change, defined);
  return g_strdup_printf (ngettext ("Trend: steady over %u session",
                                    "Trend: steady over %u sessions", defined), defined);
}

GtkWidget *
_assay_calibration_inspectors_group_new (const AssayCalibrationView *view,
                                         GHashTable                 *names)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Inspectors"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Each inspector against the consensus: a negative "
                                           "deviation scores harsher, a positive one more "
                                           "leniently."));
  for (guint i = 0; i < view->stats->inspectors->len; i++)
    {
      AssayInspectorAgreement *a = g_ptr_array_index (view->stats->inspectors, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *agreement = isnan (a->agreement_with_consensus)
                                   ? g_strdup (C_("figure", "—"))
                                   : assay_ui_format_percent (100 * a->agreement_with_consensus);
      g_autofree char *deviation = NULL;
      g_autofree char *figures = NULL;
      g_autofree char *trend = trend_text (view, a->inspector_id);
      g_autofree char *subtitle = NULL;

      if (isnan (a->mean_deviation))
        deviation = g_strdup (C_("figure", "—"));
      else if (a->mean_deviation < 0)
        /* Translators: mean deviation in points from the consensus, scoring harsher */
        deviation = g_strdup_printf (_("%+.2f points (harsh)"), a->mean_deviation);
      else if (a->mean_deviation > 0)
        deviation = g_strdup_printf (_("%+.2f points (lenient)"), a->mean_deviation);
      else
        deviation = g_strdup_printf (_("%+.2f points"), a->mean_deviation);
      /* Translators: agreement with the consensus with its n, mean deviation with its n */
      figures = g_strdup_printf (_("Agrees with the consensus %s (n %u) · mean deviation %s (n %u)"),
                                 agreement, a->n_compared, deviation, a->n_deviation);
      subtitle = g_strdup_printf ("%s\n%s", figures, trend);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name_in (names, a->inspector_id));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  return group;
}

char *
_assay_calibration_item_flag (const AssayCalibrationView *view,
                              const AssayItemAgreement   *a)
{
  if (assay_calibration_view_stays_low (view, a->item, ASSAY_CALIBRATION_REWORD_SESSIONS,
                                        ASSAY_CALIBRATION_REWORD_ALPHA))
    /* Translators: %u is how many sessions in a row */
    return g_strdup_printf (ngettext ("Agreement stayed low in the last %u session: a candidate "
                                      "for rewording.",
                                      "Agreement stayed low in the last %u sessions: a candidate "
                                      "for rewording.", ASSAY_CALIBRATION_REWORD_SESSIONS),
                            ASSAY_CALIBRATION_REWORD_SESSIONS);
  if (!isnan (a->alpha.value) && a->alpha.value < ASSAY_CALIBRATION_REWORD_ALPHA)
    return g_strdup (_("Low agreement in this session; a candidate for rewording if it stays low."));
  return NULL;
}
