/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include <json-glib/json-glib.h>

#include "assay-calibration-page-private.h"
#include "assay-ui-util.h"
#include "protocol/assay-form-json.h"

struct _AssayCalibrationPage
{
  GtkWidget             parent_instance;

  AssayContext         *context;
  GCancellable         *cancellable;
  GCancellable         *view_cancellable;

  GtkWidget            *box;
  AdwWindowTitle       *title;
  GtkWidget            *back_button;
  GtkWidget            *stack;
  GtkWidget            *list;
  GtkWidget            *empty_status;
  GtkWidget            *error_status;
  GtkWidget            *session_box;
  AdwToastOverlay      *toasts;

  GPtrArray            *sessions;     /* AssayCalibrationSessionRecord* */
  GHashTable           *names;        /* staff id → name */
  char                 *session_id;   /* the session shown, or NULL */
  AssayCalibrationView *view;
  const char           *mode;
  AssayScoringPanel    *panel;
  GtkWidget            *unit_dropdown;
  guint                 unit;
  const char           *state;
};

G_DEFINE_FINAL_TYPE (AssayCalibrationPage, assay_calibration_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load (AssayCalibrationPage *self);
static void load_view (AssayCalibrationPage *self);

static void
set_state (AssayCalibrationPage *self,
           const char           *state)
{
  self->state = state;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), state);
  gtk_widget_set_visible (self->back_button, g_strcmp0 (state, "session") == 0);
}

static void
toast (AssayCalibrationPage *self,
       const char           *text)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
}

static const char *
name_of (AssayCalibrationPage *self,
         const char           *id)
{
  const char *name = id != NULL ? g_hash_table_lookup (self->names, id) : NULL;

  return name != NULL ? name : id;
}

static const char *
me_id (AssayCalibrationPage *self)
{
  const AssayStaffRecord *me = assay_context_get_me (self->context);

  return me != NULL ? me->id : NULL;
}

static const char *
state_label (const char *state)
{
  if (g_strcmp0 (state, ASSAY_CALIBRATION_SCORING) == 0)
    return C_("calibration", "Scoring blind");
  if (g_strcmp0 (state, ASSAY_CALIBRATION_OPENED) == 0)
    return C_("calibration", "Answers open");
  return C_("calibration", "Closed");
}

static gboolean
strv_has (GStrv       ids,
          const char *id)
{
  return id != NULL && assay_calibration_view_index_of (ids, id) >= 0;
}

/* ---- the list ---- */

static void
row_activated_cb (AssayCalibrationPage *self,
                  GtkListBoxRow        *row)
{
  _assay_calibration_page_show (self, g_object_get_data (G_OBJECT (row), "session-id"));
}

static void
fill_list (AssayCalibrationPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  for (guint i = 0; i < self->sessions->len; i++)
    {
      AssayCalibrationSessionRecord *r = g_ptr_array_index (self->sessions, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *created = assay_ui_format_time (r->created_at, "%x");
      g_autofree char *subtitle = NULL;

      /* Translators: scorecard name and version, the session's state, when it was created,
       * how many scorings were submitted out of how many expected */
      subtitle = g_strdup_printf (_("%s v%d · %s · created %s · %u of %u scorings submitted"),
                                  r->form_name, r->form_version, state_label (r->state), created,
                                  r->n_submitted, r->n_interactions * r->n_participants);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), r->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "session-id", g_strdup (r->id), g_free);
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
    }
}

/* The sessions this person takes part in: all of them for leads and managers. */
static gboolean
visible_to_me (AssayCalibrationPage          *self,
               AssayCalibrationSessionRecord *r)
{
  const char *me = me_id (self);

  if (assay_context_has_role (self->context, ASSAY_ROLE_LEAD)
      || assay_context_has_role (self->context, ASSAY_ROLE_MANAGER))
    return TRUE;
  return g_strcmp0 (r->created_by, me) == 0 || g_strcmp0 (r->expert_id, me) == 0
         || r->n_participants == 0 || r->participant_ids == NULL
         || strv_has (r->participant_ids, me);
}

static void
sessions_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = assay_store_list_calibration_sessions_finish (ASSAY_STORE (source),
                                                                               result, &error);
  AssayCalibrationPage *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sessions == NULL)
    {
      adw_status_page_set_description (ADW_STATUS_PAGE (self->error_status), error->message);
      set_state (self, "error");
      return;
    }
  g_ptr_array_set_size (self->sessions, 0);
  for (guint i = 0; i < sessions->len; i++)
    if (visible_to_me (self, g_ptr_array_index (sessions, i)))
      g_ptr_array_add (self->sessions, g_steal_pointer (&g_ptr_array_index (sessions, i)));
  fill_list (self);
  if (self->session_id != NULL)
    return;
  set_state (self, self->sessions->len > 0 ? "list" : "empty");
}

static void
staff_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = assay_store_list_calibration_staff_finish (ASSAY_STORE (source),
                                                                          result, &error);
  AssayCalibrationPage *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (staff != NULL)
    for (guint i = 0; i < staff->len; i++)
      {
        AssayStaffRecord *s = g_ptr_array_index (staff, i);

        g_hash_table_replace (self->names, g_strdup (s->id), g_strdup (s->name));
      }
  assay_store_list_calibration_sessions_async (assay_context_get_store (self->context),
                                               self->cancellable, sessions_listed_cb, self);
}

static void
load (AssayCalibrationPage *self)
{
  if (!assay_context_get_ready (self->context))
    return;
  assay_store_list_calibration_staff_async (assay_context_get_store (self->context),
                                            self->cancellable, staff_listed_cb, self);
}

/* ---- answers as text ---- */

static char *
answer_text (const AssayItem   *item,
             const AssayAnswer *answer)
{
  if (answer == NULL || answer->state == ASSAY_ANSWER_NONE)
    return g_strdup (C_("answer", "—"));
  if (answer->state == ASSAY_ANSWER_NA)
    return g_strdup (C_("answer", "N/A"));
  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      return g_strdup (answer->choice == 0 ? C_("answer", "Yes") : C_("answer", "No"));
    case ASSAY_ITEM_SINGLE_CHOICE:
      if (item->options != NULL && answer->choice >= 0 && (guint) answer->choice < item->options->len)
        return g_strdup (((AssayOption *) g_ptr_array_index (item->options, answer->choice))->label);
      return g_strdup ("?");
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      {
        g_autoptr(GString) s = g_string_new (NULL);

        for (guint i = 0; item->options != NULL && i < item->options->len && i < 64; i++)
          if (answer->choices & (G_GUINT64_CONSTANT (1) << i))
            {
              if (s->len > 0)
                g_string_append (s, C_("answer list", ", "));
              g_string_append (s, ((AssayOption *) g_ptr_array_index (item->options, i))->label);
            }
        return g_string_free (g_steal_pointer (&s), FALSE);
      }
    case ASSAY_ITEM_SCALE:
    case ASSAY_ITEM_POINTS:
    case ASSAY_ITEM_NUMBER:
      return g_strdup_printf ("%g", answer->value);
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return g_strdup (answer->text != NULL ? answer->text : "");
    }
}

static char *
figure_text (double value)
{
  if (isnan (value))
    return g_strdup (C_("figure", "—"));
  return g_strdup_printf ("%.2f", value);
}

static gboolean
can_set_consensus (AssayCalibrationPage *self)
{
  AssayCalibrationSessionRecord *r = self->view->record;
  const char *me = me_id (self);

  return me != NULL && g_strcmp0 (r->state, ASSAY_CALIBRATION_CLOSED) != 0
         && (g_strcmp0 (r->created_by, me) == 0 || g_strcmp0 (r->expert_id, me) == 0);
}


/* ---- the session ---- */

static void
clear_session_box (AssayCalibrationPage *self)
{
  GtkWidget *child;

  self->panel = NULL;
  self->unit_dropdown = NULL;
  while ((child = gtk_widget_get_first_child (self->session_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->session_box), child);
}

static GtkWidget *
add_label (GtkWidget  *box,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static AssayCalibrationScoringRecord *
own_scoring (AssayCalibrationPage *self,
             guint                 unit)
{
  const char *interaction_id = self->view->record->interaction_ids[unit];

  for (guint i = 0; i < self->view->own->len; i++)
    {
      AssayCalibrationScoringRecord *r = g_ptr_array_index (self->view->own, i);

      if (g_strcmp0 (r->interaction_id, interaction_id) == 0)
        return r;
    }
  return NULL;
}

static guint
own_submitted (AssayCalibrationPage *self)
{
  guint n = 0;

  for (guint i = 0; i < self->view->own->len; i++)
    if (((AssayCalibrationScoringRecord *) g_ptr_array_index (self->view->own, i))->submitted_at != 0)
      n++;
  return n;
}

static void
show_unit (AssayCalibrationPage *self,
           guint                 unit)
{
  AssayCalibrationScoringRecord *r = own_scoring (self, unit);
  g_autoptr(AssayAnswers) answers = NULL;

  self->unit = unit;
  if (r != NULL)
    answers = assay_answers_from_json (self->view->form, r->answers, -1, NULL);
  if (answers == NULL)
    answers = assay_answers_new (self->view->form);
  assay_scoring_panel_set_answers (self->panel, answers);
  assay_scoring_panel_set_editable (self->panel, r == NULL || r->submitted_at == 0);
}

static void
unit_selected_cb (AssayCalibrationPage *self)
{
  guint unit = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->unit_dropdown));

  if (unit != GTK_INVALID_LIST_POSITION && unit != self->unit)
    show_unit (self, unit);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayCalibrationPage *self = user_data;

  if (assay_store_save_calibration_scoring_finish (ASSAY_STORE (source), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  toast (self, error->message);
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayCalibrationPage *self = user_data;

  if (!assay_store_save_calibration_scoring_finish (ASSAY_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  toast (self, _("Scoring submitted"));
  load_view (self);
}

static void
save (AssayCalibrationPage *self,
      gboolean              submit)
{
  g_autofree char *json = NULL;

  if (self->panel == NULL || !assay_scoring_panel_get_editable (self->panel))
    return;
  if (submit && !assay_scoring_panel_check_submit (self->panel))
    {
      toast (self, _("Answer every required item, with a comment where one is asked for, then submit"));
      return;
    }
  json = assay_answers_to_json (assay_scoring_panel_get_answers (self->panel));
  assay_store_save_calibration_scoring_async (assay_context_get_store (self->context),
                                              self->session_id,
                                              self->view->record->interaction_ids[self->unit],
                                              me_id (self), json, NULL, submit, self->cancellable,
                                              submit ? submitted_cb : saved_cb, self);
}

static void
save_clicked_cb (AssayCalibrationPage *self)
{
  save (self, FALSE);
  toast (self, _("Draft saved"));
}

static void
submit_clicked_cb (AssayCalibrationPage *self)
{
  save (self, TRUE);
}

static void
build_score (AssayCalibrationPage *self)
{
  AssayCalibrationSessionRecord *r = self->view->record;
  g_autoptr(GtkStringList) units = gtk_string_list_new (NULL);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *button;
  g_autofree char *progress = NULL;
  guint first = 0;
  gboolean found = FALSE;

  add_label (self->session_box,
             _("You score blind: nobody sees your answers, and you see nobody else's, until you "
               "have submitted every interaction or the lead opens the session."), "dim-label");
  /* Translators: how many of the session's interactions this inspector has submitted */
  progress = g_strdup_printf (_("You have submitted %u of %u interactions."), own_submitted (self),
                              r->n_interactions);
  add_label (self->session_box, progress, NULL);

  for (guint u = 0; r->interaction_ids[u] != NULL; u++)
    {
      AssayCalibrationScoringRecord *own = own_scoring (self, u);
      g_autofree char *label = NULL;

      if (own != NULL && own->submitted_at != 0)
        /* Translators: an interaction of a calibration session, by its position */
        label = g_strdup_printf (_("Interaction %u (submitted)"), u + 1);
      else
        label = g_strdup_printf (_("Interaction %u"), u + 1);
      gtk_string_list_append (units, label);
      if (!found && (own == NULL || own->submitted_at == 0))
        {
          first = u;
          found = TRUE;
        }
    }
  self->unit_dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (units)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->unit_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Interaction to score"), -1);
  gtk_widget_set_tooltip_text (self->unit_dropdown, _("Interaction to score"));
  gtk_box_append (GTK_BOX (row), self->unit_dropdown);
  button = gtk_button_new_with_mnemonic (_("Save _Draft"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (save_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), button);
  button = gtk_button_new_with_mnemonic (_("_Submit"));
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (submit_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (GTK_BOX (self->session_box), row);

  self->panel = assay_scoring_panel_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (self->panel), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->panel), -1, 420);
  gtk_box_append (GTK_BOX (self->session_box), GTK_WIDGET (self->panel));
  self->unit = G_MAXUINT;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->unit_dropdown), first);
  show_unit (self, first);
  g_signal_connect_swapped (self->unit_dropdown, "notify::selected",
                            G_CALLBACK (unit_selected_cb), self);
}

/* ---- results ---- */

static void
state_set_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayCalibrationPage *self = user_data;

  if (!assay_store_set_calibration_state_finish (ASSAY_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  load_view (self);
}

static void
set_session_state (AssayCalibrationPage *self,
                   const char           *state)
{
  assay_store_set_calibration_state_async (assay_context_get_store (self->context),
                                           self->session_id, state, me_id (self),
                                           self->cancellable, state_set_cb, self);
}

static void
open_clicked_cb (AssayCalibrationPage *self)
{
  set_session_state (self, ASSAY_CALIBRATION_OPENED);
}

static void
close_clicked_cb (AssayCalibrationPage *self)
{
  set_session_state (self, ASSAY_CALIBRATION_CLOSED);
}

static void
consensus_set_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayCalibrationPage *self = user_data;

  if (!assay_store_set_calibration_consensus_finish (ASSAY_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  toast (self, _("Consensus set"));
  load_view (self);
}

/* The answer alone (no comment, no evidence) as the consensus takes it. */
static char *
bare_answer_json (const AssayAnswers *answers,
                  const char         *item_id)
{
  g_autoptr(JsonNode) doc = assay_answers_to_json_node (answers);
  JsonObject *all, *one;
  g_autoptr(JsonObject) bare = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  GList *members;

  if (doc == NULL || !JSON_NODE_HOLDS_OBJECT (doc))
    return NULL;
  all = json_object_get_object_member (json_node_get_object (doc), "answers");
  if (all == NULL || !json_object_has_member (all, item_id))
    return NULL;
  one = json_object_get_object_member (all, item_id);
  if (one == NULL)
    return NULL;
  members = json_object_get_members (one);
  for (GList *m = members; m != NULL; m = m->next)
    if (g_strcmp0 (m->data, "comment") != 0 && g_strcmp0 (m->data, "evidence") != 0)
      json_object_set_member (bare, m->data, json_object_dup_member (one, m->data));
  g_list_free (members);
  json_node_set_object (node, bare);
  return json_to_string (node, FALSE);
}

static void
use_clicked_cb (GtkButton            *button,
                AssayCalibrationPage *self)
{
  guint unit = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "unit"));
  guint inspector = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "inspector"));
  const AssayItem *item = g_object_get_data (G_OBJECT (button), "item");
  guint n_inspectors = g_strv_length (self->view->record->participant_ids);
  AssayAnswers *given = g_ptr_array_index (self->view->answers, unit * n_inspectors + inspector);
  g_autofree char *json = given != NULL ? bare_answer_json (given, item->id) : NULL;

  if (json == NULL)
    {
      toast (self, _("This answer cannot be the consensus: it is empty"));
      return;
    }
  assay_store_set_calibration_consensus_async (assay_context_get_store (self->context),
                                               self->session_id,
                                               self->view->record->interaction_ids[unit],
                                               item->id, json, me_id (self), self->cancellable,
                                               consensus_set_cb, self);
}

static char *
item_summary (AssayItemAgreement *a)
{
  g_autofree char *agreement = isnan (a->agreement.value)
                               ? g_strdup (C_("figure", "—"))
                               : assay_ui_format_percent (100 * a->agreement.value);
  g_autofree char *kappa = figure_text (a->kappa.value);
  g_autofree char *alpha = figure_text (a->alpha.value);
  const char *metric;

  switch (a->metric)
    {
    case ASSAY_METRIC_ORDINAL:
      metric = C_("metric", "ordinal");
      break;
    case ASSAY_METRIC_INTERVAL:
      metric = C_("metric", "interval");
      break;
    case ASSAY_METRIC_NOMINAL:
    default:
      metric = C_("metric", "nominal");
      break;
    }
  /* Translators: observed agreement, Fleiss' kappa, Krippendorff's alpha with its metric, and
   * n, the number of pairable ratings */
  return g_strdup_printf (_("Agreement %s · Fleiss κ %s · Krippendorff α %s (%s) · n %u"),
                          agreement, kappa, alpha, metric, a->alpha.n_values);
}

static void
build_item (AssayCalibrationPage *self,
            AssayItemAgreement   *a)
{
  AssayCalibrationSessionRecord *r = self->view->record;
  guint n_inspectors = g_strv_length (r->participant_ids);
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *summary = item_summary (a);
  g_autofree char *description = NULL;
  g_autofree char *flag = _assay_calibration_item_flag (self->view, a);
  gboolean consensus = can_set_consensus (self);

  if (flag != NULL)
    description = g_strdup_printf ("%s\n%s", summary, flag);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), a->item->text);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         description != NULL ? description : summary);

  for (guint u = 0; r->interaction_ids[u] != NULL; u++)
    {
      AssayUnitSpread *spread = &g_array_index (a->spread, AssayUnitSpread, u);
      AssayAnswers *c = g_ptr_array_index (self->view->consensus, u);
      const AssayAnswer *ca = c != NULL ? assay_answers_get (c, a->item->index) : NULL;
      g_autofree char *consensus_text = answer_text (a->item, ca);
      g_autofree char *title = g_strdup_printf (_("Interaction %u"), u + 1);
      g_autofree char *subtitle = NULL;
      GtkWidget *expander = adw_expander_row_new ();

      /* Translators: the consensus answer, how many different answers among how many */
      subtitle = g_strdup_printf (_("Consensus: %s · %u different answers among %u ratings"),
                                  consensus_text, spread->n_distinct, spread->n_ratings);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
      if (spread->n_distinct > 1)
        adw_expander_row_add_prefix (ADW_EXPANDER_ROW (expander),
                                     gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      for (guint j = 0; j < n_inspectors; j++)
        {
          AssayAnswers *given = g_ptr_array_index (self->view->answers, u * n_inspectors + j);
          const AssayAnswer *answer = given != NULL ? assay_answers_get (given, a->item->index) : NULL;
          g_autofree char *text = NULL;
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *label;

          if (given == NULL)
            text = g_strdup (_("Not submitted"));
          else
            text = answer_text (a->item, answer);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         name_of (self, r->participant_ids[j]));
          if (answer != NULL && answer->comment != NULL)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), answer->comment);
          label = gtk_label_new (text);
          gtk_widget_add_css_class (label, "heading");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          if (consensus && answer != NULL && answer->state != ASSAY_ANSWER_NONE)
            {
              GtkWidget *button = gtk_button_new_with_label (_("Use as Consensus"));

              gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
              g_object_set_data (G_OBJECT (button), "unit", GUINT_TO_POINTER (u));
              g_object_set_data (G_OBJECT (button), "inspector", GUINT_TO_POINTER (j));
              g_object_set_data (G_OBJECT (button), "item", (gpointer) a->item);
              g_signal_connect (button, "clicked", G_CALLBACK (use_clicked_cb), self);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
            }
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
    }
  gtk_box_append (GTK_BOX (self->session_box), group);
}

static void
build_results (AssayCalibrationPage *self)
{
  AssayCalibrationSessionRecord *r = self->view->record;
  const char *me = me_id (self);
  gboolean lead = g_strcmp0 (r->created_by, me) == 0;
  g_autofree char *summary = NULL;
  GtkWidget *row;
  GtkWidget *button;

  /* Translators: scorecard and version, state, counts of interactions, inspectors, scorings */
  summary = g_strdup_printf (_("%s v%d · %s · %u interactions, %u inspectors, %u of %u scorings submitted"),
                             r->form_name, r->form_version, state_label (r->state),
                             r->n_interactions, r->n_participants, r->n_submitted,
                             r->n_interactions * r->n_participants);
  add_label (self->session_box, summary, NULL);
  if (g_strcmp0 (r->state, ASSAY_CALIBRATION_SCORING) == 0 && !strv_has (r->participant_ids, me))
    add_label (self->session_box,
               lead ? _("The inspectors are still scoring blind: you see what they have "
                        "submitted. Open the answers to show them to everyone.")
                    : _("The inspectors are still scoring blind. Their answers appear here once "
                        "the lead opens the session."),
               "dim-label");
  if (lead && g_strcmp0 (r->state, ASSAY_CALIBRATION_CLOSED) != 0)
    {
      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      if (g_strcmp0 (r->state, ASSAY_CALIBRATION_SCORING) == 0)
        {
          button = gtk_button_new_with_mnemonic (_("_Open Answers to All"));
          g_signal_connect_swapped (button, "clicked", G_CALLBACK (open_clicked_cb), self);
          gtk_box_append (GTK_BOX (row), button);
        }
      button = gtk_button_new_with_mnemonic (_("_Close Session"));
      gtk_widget_add_css_class (button, "destructive-action");
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (close_clicked_cb), self);
      gtk_box_append (GTK_BOX (row), button);
      gtk_box_append (GTK_BOX (self->session_box), row);
    }

  if (self->view->submitted->len == 0)
    {
      add_label (self->session_box, _("No submitted scorings to compare yet."), "dim-label");
      return;
    }
  for (guint i = 0; i < self->view->stats->items->len; i++)
    build_item (self, g_ptr_array_index (self->view->stats->items, i));
  gtk_box_append (GTK_BOX (self->session_box),
                  _assay_calibration_inspectors_group_new (self->view, self->names));
}

static void
build_session (AssayCalibrationPage *self)
{
  AssayCalibrationSessionRecord *r = self->view->record;
  const char *me = me_id (self);

  clear_session_box (self);
  adw_window_title_set_title (self->title, r->name);
  adw_window_title_set_subtitle (self->title, state_label (r->state));
  if (g_strcmp0 (r->state, ASSAY_CALIBRATION_SCORING) == 0 && strv_has (r->participant_ids, me)
      && own_submitted (self) < r->n_interactions)
    {
      self->mode = "score";
      build_score (self);
    }
  else
    {
      self->mode = "results";
      build_results (self);
    }
}

static void
view_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayCalibrationView *view = assay_store_load_calibration_view_finish (ASSAY_STORE (source),
                                                                         result, &error);
  AssayCalibrationPage *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (view == NULL)
    {
      toast (self, error->message);
      g_clear_pointer (&self->session_id, g_free);
      set_state (self, self->sessions->len > 0 ? "list" : "empty");
      return;
    }
  g_clear_pointer (&self->view, assay_calibration_view_free);
  self->view = view;
  build_session (self);
  set_state (self, "session");
}

static void
load_view (AssayCalibrationPage *self)
{
  if (self->session_id == NULL)
    return;
  g_cancellable_cancel (self->view_cancellable);
  g_clear_object (&self->view_cancellable);
  self->view_cancellable = g_cancellable_new ();
  assay_store_load_calibration_view_async (assay_context_get_store (self->context),
                                           self->session_id, me_id (self),
                                           self->view_cancellable, view_loaded_cb, self);
}

static void
back_clicked_cb (AssayCalibrationPage *self)
{
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->view, assay_calibration_view_free);
  clear_session_box (self);
  self->mode = NULL;
  adw_window_title_set_title (self->title, _("Calibration"));
  adw_window_title_set_subtitle (self->title, NULL);
  set_state (self, self->sessions->len > 0 ? "list" : "empty");
  load (self);
}

static void
store_changed_cb (AssayStore           *store,
                  const char           *collection,
                  const char * const   *ids,
                  AssayCalibrationPage *self)
{
  load (self);
  /* never under an inspector scoring: their panel keeps what they typed */
  if (self->session_id != NULL && g_strcmp0 (self->mode, "score") != 0
      && (ids == NULL || g_strv_contains (ids, self->session_id)))
    load_view (self);
}

static void
ready_cb (AssayCalibrationPage *self)
{
  load (self);
}

/* ---- for the tests ---- */

const char *
_assay_calibration_page_get_state (AssayCalibrationPage *self)
{
  return self->state;
}

guint
_assay_calibration_page_get_n_rows (AssayCalibrationPage *self)
{
  return self->sessions->len;
}

void
_assay_calibration_page_show (AssayCalibrationPage *self,
                              const char           *session_id)
{
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
  set_state (self, "loading");
  load_view (self);
}

AssayCalibrationView *
_assay_calibration_page_get_view (AssayCalibrationPage *self)
{
  return self->state == NULL || g_strcmp0 (self->state, "session") != 0 ? NULL : self->view;
}

const char *
_assay_calibration_page_get_mode (AssayCalibrationPage *self)
{
  return self->mode;
}

AssayScoringPanel *
_assay_calibration_page_get_panel (AssayCalibrationPage *self)
{
  return self->panel;
}

void
_assay_calibration_page_activate (AssayCalibrationPage *self,
                                  const char           *action)
{
  if (g_strcmp0 (action, "submit") == 0)
    save (self, TRUE);
  else if (g_strcmp0 (action, "save") == 0)
    save (self, FALSE);
  else if (g_strcmp0 (action, "open") == 0)
    open_clicked_cb (self);
  else if (g_strcmp0 (action, "close") == 0)
    close_clicked_cb (self);
}

static void
dump_widget (GtkWidget *widget,
             GString   *out)
{
  if (ADW_IS_PREFERENCES_GROUP (widget))
    g_string_append_printf (out, "%s\n%s\n",
                            adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)),
                            adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)));
  else if (ADW_IS_ACTION_ROW (widget) || ADW_IS_EXPANDER_ROW (widget))
    g_string_append_printf (out, "%s | %s\n",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                            ADW_IS_ACTION_ROW (widget)
                            ? adw_action_row_get_subtitle (ADW_ACTION_ROW (widget))
                            : adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget)));
  else if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    dump_widget (c, out);
}

char *
_assay_calibration_page_dump (AssayCalibrationPage *self)
{
  GString *out = g_string_new (NULL);

  dump_widget (self->session_box, out);
  return g_string_free (out, FALSE);
}

/* ---- the object ---- */

static void
assay_calibration_page_constructed (GObject *object)
{
  AssayCalibrationPage *self = ASSAY_CALIBRATION_PAGE (object);

  G_OBJECT_CLASS (assay_calibration_page_parent_class)->constructed (object);
  g_signal_connect_object (assay_context_get_store (self->context), "changed::" ASSAY_STORE_CALIBRATION,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (self->context, "notify::ready", G_CALLBACK (ready_cb), self,
                           G_CONNECT_SWAPPED);
  if (assay_context_get_ready (self->context))
    load (self);
  else
    assay_context_load_async (self->context, self->cancellable, NULL, NULL);
}

static void
assay_calibration_page_dispose (GObject *object)
{
  AssayCalibrationPage *self = ASSAY_CALIBRATION_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->view_cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (assay_calibration_page_parent_class)->dispose (object);
}

static void
assay_calibration_page_finalize (GObject *object)
{
  AssayCalibrationPage *self = ASSAY_CALIBRATION_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->view_cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->view, assay_calibration_view_free);
  G_OBJECT_CLASS (assay_calibration_page_parent_class)->finalize (object);
}

static void
assay_calibration_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AssayCalibrationPage *self = ASSAY_CALIBRATION_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_calibration_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AssayCalibrationPage *self = ASSAY_CALIBRATION_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_calibration_page_class_init (AssayCalibrationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_calibration_page_constructed;
  object_class->dispose = assay_calibration_page_dispose;
  object_class->finalize = assay_calibration_page_finalize;
  object_class->set_property = assay_calibration_page_set_property;
  object_class->get_property = assay_calibration_page_get_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkWidget *
scrolled_clamp (GtkWidget *child)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  gtk_widget_set_margin_top (child, 18);
  gtk_widget_set_margin_bottom (child, 24);
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1000);
  adw_clamp_set_child (ADW_CLAMP (clamp), child);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  return scrolled;
}

static void
assay_calibration_page_init (AssayCalibrationPage *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *list_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->cancellable = g_cancellable_new ();
  self->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_calibration_session_record_free);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Calibration"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  self->back_button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (self->back_button, _("All sessions"));
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (back_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->back_button);
  gtk_box_append (GTK_BOX (self->box), header);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_stack_add_named (GTK_STACK (self->stack), spinner, "loading");

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Calibration sessions"), -1);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  add_label (list_box, _("Inspectors score the same contacts blind; then the answers are laid "
                         "side by side and their agreement measured."), "dim-label");
  gtk_box_append (GTK_BOX (list_box), self->list);
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled_clamp (list_box), "list");

  self->session_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled_clamp (self->session_box), "session");

  self->empty_status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty_status), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_status), _("No Calibration Sessions"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_status),
                                   _("In a calibration session a lead picks a few interactions, "
                                     "a scorecard version and the inspectors who score them "
                                     "blind. The sessions you lead or are invited to appear "
                                     "here, ready to score."));
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty_status, "empty");

  self->error_status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->error_status), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->error_status),
                             _("The Sessions Could Not Be Read"));
  gtk_stack_add_named (GTK_STACK (self->stack), self->error_status, "error");

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), self->stack);
  gtk_box_append (GTK_BOX (self->box), overlay);
  self->toasts = ADW_TOAST_OVERLAY (overlay);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  set_state (self, "loading");
}
