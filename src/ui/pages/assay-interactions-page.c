/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-ui-util.h"
#include "assay-interactions-page.h"
#include "assay-context.h"
#include "core/assay-util.h"
#include "store/assay-store-analysis.h"
#include "store/assay-store-choices.h"
#include "store/assay-store-evaluations.h"
#include "widgets/assay-facts.h"
#include "widgets/assay-interaction-list.h"

typedef enum {
  PERIOD_ALL,
  PERIOD_TODAY,
  PERIOD_7_DAYS,
  PERIOD_30_DAYS,
  PERIOD_90_DAYS,
} Period;

typedef enum {
  CSAT_ANY,
  CSAT_LOW,
  CSAT_NEUTRAL,
  CSAT_HIGH,
} CsatBand;

static const char *const channel_ids[] = { NULL, "phone", "chat", "email", "ticket" };

struct _AssayInteractionsPage
{
  GtkWidget             parent_instance;

  AssayStore           *store;
  AssayContext         *context;
  GCancellable         *cancellable;
  gboolean              folded;
  AssayChoices         *choices;
  gboolean              updating_choices;

  /* template */
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *filter_button;
  GtkDropDown          *agent_dropdown;
  GtkDropDown          *team_dropdown;
  GtkDropDown          *channel_dropdown;
  GtkDropDown          *queue_dropdown;
  GtkDropDown          *period_dropdown;
  GtkDropDown          *csat_dropdown;
  GtkDropDown          *recording_dropdown;
  GtkDropDown          *evaluated_dropdown;
  AssayInteractionList *list;
  GtkLabel             *count_label;
  AdwFlap              *flap;
  GtkBox               *detail_box;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayInteractionsPage, assay_interactions_page, GTK_TYPE_WIDGET)

static void set_context (AssayInteractionsPage *self,
                         AssayContext          *context);

static const char *
choice_id (GPtrArray   *choices,
           GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  /* position 0 is "any" */
  if (choices == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION
      || selected > choices->len)
    return NULL;
  return ((AssayChoice *) g_ptr_array_index (choices, selected - 1))->id;
}

static gint64
local_midnight_ms (int days_back)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GDateTime) start = g_date_time_add_days (midnight, -days_back);

  return g_date_time_to_unix (start) * 1000;
}

static gboolean
filters_active (AssayInteractionsPage *self)
{
  return gtk_drop_down_get_selected (self->agent_dropdown) != 0
         || gtk_drop_down_get_selected (self->team_dropdown) != 0
         || gtk_drop_down_get_selected (self->channel_dropdown) != 0
         || gtk_drop_down_get_selected (self->queue_dropdown) != 0
         || gtk_drop_down_get_selected (self->period_dropdown) != 0
         || gtk_drop_down_get_selected (self->csat_dropdown) != 0
         || gtk_drop_down_get_selected (self->recording_dropdown) != 0
         || gtk_drop_down_get_selected (self->evaluated_dropdown) != 0;
}

static void
apply_filters (AssayInteractionsPage *self)
{
  AssayInteractionFilter filter;
  const char *search;
  guint channel = gtk_drop_down_get_selected (self->channel_dropdown);

  if (self->store == NULL || self->updating_choices)
    return;

  assay_interaction_filter_init (&filter);
  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (search != NULL && *search != '\0')
    filter.search = g_strstrip (g_strdup (search));
  if (self->choices != NULL)
    {
      filter.agent_id = g_strdup (choice_id (self->choices->agents, self->agent_dropdown));
      filter.team_id = g_strdup (choice_id (self->choices->teams, self->team_dropdown));
      filter.queue = g_strdup (choice_id (self->choices->queues, self->queue_dropdown));
    }
  if (channel < G_N_ELEMENTS (channel_ids))
    filter.channel = g_strdup (channel_ids[channel]);

  switch ((Period) gtk_drop_down_get_selected (self->period_dropdown))
    {
    case PERIOD_TODAY:
      filter.from_ms = local_midnight_ms (0);
      break;
    case PERIOD_7_DAYS:
      filter.from_ms = local_midnight_ms (6);
      break;
    case PERIOD_30_DAYS:
      filter.from_ms = local_midnight_ms (29);
      break;
    case PERIOD_90_DAYS:
      filter.from_ms = local_midnight_ms (89);
      break;
    case PERIOD_ALL:
    default:
      break;
    }

  switch ((CsatBand) gtk_drop_down_get_selected (self->csat_dropdown))
    {
    case CSAT_LOW:
      filter.csat_min = 1, filter.csat_max = 2;
      break;
    case CSAT_NEUTRAL:
      filter.csat_min = 3, filter.csat_max = 3;
      break;
    case CSAT_HIGH:
      filter.csat_min = 4, filter.csat_max = 5;
      break;
    case CSAT_ANY:
    default:
      break;
    }

  /* 0 any, 1 with, 2 without */
  switch (gtk_drop_down_get_selected (self->recording_dropdown))
    {
    case 1:
      filter.recording = 1;
      break;
    case 2:
      filter.recording = 0;
      break;
    default:
      break;
    }
  switch (gtk_drop_down_get_selected (self->evaluated_dropdown))
    {
    case 1:
      filter.evaluated = 1;
      break;
    case 2:
      filter.evaluated = 0;
      break;
    default:
      break;
    }

  if (filters_active (self))
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "suggested-action");

  assay_interaction_list_set_filter (self->list, &filter);
  assay_interaction_filter_clear (&filter);
}

static void
update_count (AssayInteractionsPage *self)
{
  AssayInteractionModel *model = assay_interaction_list_get_model (self->list);
  g_autofree char *text = NULL;
  guint n;

  if (model == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  if (assay_interaction_model_get_loading (model))
    text = g_strdup (_("Counting…"));
  else
    /* Translators: the number of interactions the list shows */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u interaction", "%'u interactions", n), n);
  gtk_label_set_text (self->count_label, text);
}

static GtkStringList *
choices_model (GPtrArray  *choices,
               const char *any)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, any);
  for (guint i = 0; choices != NULL && i < choices->len; i++)
    gtk_string_list_append (list, ((AssayChoice *) g_ptr_array_index (choices, i))->name);
  return list;
}

static void
choices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AssayInteractionsPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayChoices) choices = assay_store_list_choices_finish (ASSAY_STORE (source), result, &error);
  g_autoptr(GtkStringList) agents = NULL;
  g_autoptr(GtkStringList) teams = NULL;
  g_autoptr(GtkStringList) queues = NULL;

  if (choices == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Reading the filter choices failed: %s", error->message);
      return;
    }
  self = ASSAY_INTERACTIONS_PAGE (user_data);

  agents = choices_model (choices->agents, _("All agents"));
  teams = choices_model (choices->teams, _("All teams"));
  queues = choices_model (choices->queues, _("All queues"));

  self->updating_choices = TRUE;
  g_clear_pointer (&self->choices, assay_choices_free);
  self->choices = g_steal_pointer (&choices);
  gtk_drop_down_set_model (self->agent_dropdown, G_LIST_MODEL (agents));
  gtk_drop_down_set_model (self->team_dropdown, G_LIST_MODEL (teams));
  gtk_drop_down_set_model (self->queue_dropdown, G_LIST_MODEL (queues));
  self->updating_choices = FALSE;
}

static void
search_changed_cb (AssayInteractionsPage *self)
{
  apply_filters (self);
}

static void
filter_changed_cb (AssayInteractionsPage *self)
{
  apply_filters (self);
}

static void
reset_filters_cb (AssayInteractionsPage *self)
{
  self->updating_choices = TRUE;
  gtk_drop_down_set_selected (self->agent_dropdown, 0);
  gtk_drop_down_set_selected (self->team_dropdown, 0);
  gtk_drop_down_set_selected (self->channel_dropdown, 0);
  gtk_drop_down_set_selected (self->queue_dropdown, 0);
  gtk_drop_down_set_selected (self->period_dropdown, 0);
  gtk_drop_down_set_selected (self->csat_dropdown, 0);
  gtk_drop_down_set_selected (self->recording_dropdown, 0);
  gtk_drop_down_set_selected (self->evaluated_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->updating_choices = FALSE;
  apply_filters (self);
}

/* ---- detail ---- */

static char *
stretches (double seconds,
           guint  n)
{
  g_autofree char *duration = assay_format_duration (seconds);

  /* Translators: total time of dead air or over-talk, and in how many stretches, e.g. "0:12 (3 stretches)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%u stretch)", "%s (%u stretches)", n),
                          duration, n);
}

static void
speech_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkWidget) group = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySpeechSummary) s = assay_store_load_analysis_finish (ASSAY_STORE (source), result,
                                                                      &error);
  g_autofree char *silence = NULL;

  if (s == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Reading the speech analysis failed: %s", error->message);
      return;
    }
  /* the detail shows another interaction by now */
  if (gtk_widget_get_parent (group) == NULL)
    return;

  if (s->has_talk_split)
    {
      g_autofree char *ratio = NULL;
      g_autofree char *agent = assay_format_duration (s->agent_talk_s);
      g_autofree char *customer = assay_format_duration (s->customer_talk_s);

      if (isfinite (s->talk_ratio))
        /* Translators: the agent's share of all talk time, e.g. "62 % agent" */
        ratio = g_strdup_printf (_("%.0f %% agent"), s->talk_ratio * 100.0);
      else
        ratio = g_strdup (_("Nobody speaks"));
      assay_facts_add_row (group, _("Talk ratio"), ratio);
      assay_facts_add_row (group, _("Agent talk"), agent);
      assay_facts_add_row (group, _("Customer talk"), customer);
    }
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("Talk split unavailable (mono recording)"));

  silence = stretches (s->silence_s, s->silence->len);
  assay_facts_add_row (group, _("Silence"), silence);
  if (s->has_talk_split)
    {
      g_autofree char *overtalk = stretches (s->overtalk_s, s->overtalk->len);
      g_autofree char *monologue = assay_format_duration (s->longest_monologue_s);

      assay_facts_add_row (group, _("Over-talk"), overtalk);
      assay_facts_add_row (group, _("Longest monologue"), monologue);
    }
  gtk_widget_set_visible (group, TRUE);
}

static const char *
evaluation_state_label (const AssayEvaluationRecord *r)
{
  if (g_strcmp0 (r->state, "submitted") == 0)
    return r->amending ? C_("evaluation state", "Being amended") : C_("evaluation state", "Submitted");
  return C_("evaluation state", "Draft");
}

static void
evaluations_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GtkWidget) group = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = assay_store_list_interaction_evaluations_finish (ASSAY_STORE (source),
                                                                                  result, &error);

  if (records == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Reading the contact's evaluations failed: %s", error->message);
      return;
    }
  /* the detail shows another interaction by now */
  if (gtk_widget_get_parent (group) == NULL)
    return;

  if (records->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("Not evaluated yet: Review scores it."));
  for (guint i = 0; i < records->len; i++)
    {
      AssayEvaluationRecord *r = g_ptr_array_index (records, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *state = gtk_label_new (evaluation_state_label (r));
      g_autofree char *when = assay_ui_format_time (r->updated_at, "%x %H:%M");
      g_autofree char *score = assay_ui_format_percent (r->score);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* Translators: a scorecard's name and the score it gave, e.g. "Phone quality · 82 %" */
      title = g_strdup_printf (_("%s · %s"), r->form_name ? r->form_name : "—", score);
      /* Translators: who evaluated and when it last changed */
      subtitle = g_strdup_printf (_("%s · %s"), r->inspector_name ? r->inspector_name : "—", when);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (state, "badge");
      gtk_widget_add_css_class (state, g_strcmp0 (r->state, "submitted") == 0 ? "evaluation-submitted"
                                                                               : "evaluation-draft");
      gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

static void
show_detail (AssayInteractionsPage *self,
             AssayInteraction      *item)
{
  GtkWidget *evaluations;
  GtkWidget *group;

  if (item == NULL || !assay_interaction_get_loaded (item))
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
        gtk_box_remove (self->detail_box, child);
      adw_flap_set_reveal_flap (self->flap, FALSE);
      return;
    }

  group = assay_facts_fill (self->detail_box, assay_interaction_get_facts (item),
                            assay_interaction_get_agent_name (item),
                            assay_interaction_get_team_name (item));
  if (self->store != NULL)
    assay_store_load_analysis_async (self->store, assay_interaction_get_facts (item)->id,
                                     self->cancellable, speech_loaded_cb, g_object_ref (group));

  /* the contact's evaluations, anyone's, under its facts */
  evaluations = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (evaluations), _("Evaluations"));
  gtk_box_append (self->detail_box, evaluations);
  if (self->store != NULL)
    assay_store_list_interaction_evaluations_async (self->store, assay_interaction_get_facts (item)->id,
                                                    self->cancellable, evaluations_loaded_cb,
                                                    g_object_ref (evaluations));

  adw_flap_set_reveal_flap (self->flap, TRUE);
}

static void
selected_changed_cb (AssayInteractionsPage *self)
{
  show_detail (self, assay_interaction_list_get_selected (self->list));
}

static void
review_clicked_cb (AssayInteractionsPage *self)
{
  AssayInteraction *item = assay_interaction_list_get_selected (self->list);

  if (item != NULL && assay_interaction_get_loaded (item))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.review", "s",
                                assay_interaction_get_facts (item)->id);
}

/* beside an open detail pane the list keeps its key columns */
static void
flap_revealed_cb (AssayInteractionsPage *self)
{
  assay_interaction_list_set_compact (self->list, adw_flap_get_reveal_flap (self->flap));
}

static void
close_detail_cb (AssayInteractionsPage *self)
{
  adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AssayInteractionsPage *self = ASSAY_INTERACTIONS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- GObject ---- */

static void
directory_changed_cb (AssayInteractionsPage *self)
{
  /* the filters offer the queues and agents the centre has now */
  assay_store_list_choices_async (self->store, self->cancellable, choices_cb, self);
}

/* Built the first time the page is shown (AssayWindow): the query starts now. */
static void
set_context (AssayInteractionsPage *self,
             AssayContext          *context)
{
  AssayInteractionModel *model;

  if (context == NULL)
    return;
  g_assert (self->context == NULL);
  self->context = g_object_ref (context);
  self->store = g_object_ref (assay_context_get_store (context));

  /* the list's model follows the store's changes to interactions on its own */
  assay_interaction_list_set_store (self->list, self->store);
  model = assay_interaction_list_get_model (self->list);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "notify::loading", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::" ASSAY_STORE_DIRECTORY,
                           G_CALLBACK (directory_changed_cb), self, G_CONNECT_SWAPPED);
  assay_store_list_choices_async (self->store, self->cancellable, choices_cb, self);
}

static void
assay_interactions_page_dispose (GObject *object)
{
  GtkWidget *child;
  AssayInteractionsPage *self = ASSAY_INTERACTIONS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->list != NULL && assay_interaction_list_get_model (self->list) != NULL)
    g_signal_handlers_disconnect_by_data (assay_interaction_list_get_model (self->list), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_INTERACTIONS_PAGE);
  /* the template's top child is not bound, so unparent it here */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  /* the store and the context outlive the page: nothing of theirs reaches it once disposed */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->store);
  g_clear_object (&self->context);
  g_clear_pointer (&self->choices, assay_choices_free);

  G_OBJECT_CLASS (assay_interactions_page_parent_class)->dispose (object);
}

static void
assay_interactions_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  AssayInteractionsPage *self = ASSAY_INTERACTIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_interactions_page_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  AssayInteractionsPage *self = ASSAY_INTERACTIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      set_context (self, g_value_get_object (value));
      break;
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_interactions_page_class_init (AssayInteractionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_interactions_page_dispose;
  object_class->get_property = assay_interactions_page_get_property;
  object_class->set_property = assay_interactions_page_set_property;

  /* whether the window shows the page alone (narrow): the page then offers a back button */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ASSAY_TYPE_INTERACTION_LIST);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-interactions-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, recording_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, evaluated_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, agent_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, queue_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, csat_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, list);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionsPage, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, flap_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_filters_cb);
  gtk_widget_class_bind_template_callback (widget_class, selected_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_detail_cb);
  gtk_widget_class_bind_template_callback (widget_class, review_clicked_cb);

  gtk_widget_class_install_action (widget_class, "interactions.search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "interactions.search", NULL);
}

static void
assay_interactions_page_init (AssayInteractionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}

AssayInteractionList *
assay_interactions_page_get_list (AssayInteractionsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTIONS_PAGE (self), NULL);
  return self->list;
}

void
assay_interactions_page_search (AssayInteractionsPage *self,
                                const char            *text)
{
  g_return_if_fail (ASSAY_IS_INTERACTIONS_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
}

void
assay_interactions_page_set_review_filter (AssayInteractionsPage *self,
                                           guint                  recording,
                                           guint                  evaluated)
{
  g_return_if_fail (ASSAY_IS_INTERACTIONS_PAGE (self));
  g_return_if_fail (recording <= 2 && evaluated <= 2);

  self->updating_choices = TRUE;
  gtk_drop_down_set_selected (self->recording_dropdown, recording);
  gtk_drop_down_set_selected (self->evaluated_dropdown, evaluated);
  self->updating_choices = FALSE;
  apply_filters (self);
}
