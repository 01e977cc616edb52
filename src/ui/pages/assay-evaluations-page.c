/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-ui-util.h"
#include "assay-evaluations-page.h"
#include "assay-context.h"
#include "core/assay-util.h"
#include "store/assay-store-evaluations.h"

#define LIST_LIMIT 500

struct _AssayEvaluationsPage
{
  GtkWidget         parent_instance;

  AssayStore       *store;
  AssayContext     *context;
  GCancellable     *cancellable;
  const AssayStaffRecord *me;  /* the context's */
  GPtrArray        *records;
  char             *filter;        /* NULL, "draft" or "submitted" */
  gboolean          folded;
  guint             n_rows;
  guint             n_drafts;

  GtkStack         *stack;
  GtkListBox       *list;
  GtkDropDown      *filter_dropdown;
  AdwStatusPage    *empty_page;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FOLDED,
  PROP_N_DRAFTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayEvaluationsPage, assay_evaluations_page, GTK_TYPE_WIDGET)

static void set_context (AssayEvaluationsPage *self,
                         AssayContext         *context);

static void
row_activated_cb (AssayEvaluationsPage *self,
                  GtkListBoxRow        *row)
{
  const char *interaction = g_object_get_data (G_OBJECT (row), "interaction");

  if (interaction != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.review", "s", interaction);
}

static GtkWidget *
make_row (AssayEvaluationRecord *r)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *score;
  GtkWidget *state;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *contact = assay_ui_format_time (r->interaction_started_at, "%x %H:%M");
  g_autofree char *changed = assay_ui_format_time (r->updated_at, "%x %H:%M");
  g_autofree char *score_text = NULL;
  gboolean draft = g_strcmp0 (r->state, "draft") == 0;

  title = g_strdup_printf ("%s · %s", r->agent_name ? r->agent_name : "—", r->queue ? r->queue : "");
  /* Translators: scorecard name and version, when the contact happened, when the evaluation changed */
  if (r->review_s > 0)
    {
      g_autofree char *reviewed = assay_format_duration (r->review_s);

      /* Translators: scorecard name and version, when the contact happened, when the evaluation
       * changed, and the active time spent reviewing it (open to submit, long pauses left out) */
      subtitle = g_strdup_printf (_("%s v%d · contact %s · changed %s · reviewed in %s"), r->form_name,
                                  r->form_version, contact, changed, reviewed);
    }
  else
    subtitle = g_strdup_printf (_("%s v%d · contact %s · changed %s"), r->form_name, r->form_version,
                                contact, changed);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  score_text = assay_ui_format_percent (r->score);
  score = gtk_label_new (score_text);
  gtk_widget_add_css_class (score, "numeric");
  gtk_widget_add_css_class (score, "heading");
  state = gtk_label_new (draft ? _("Draft") : r->amending ? _("Amending") : _("Submitted"));
  gtk_widget_add_css_class (state, "badge");
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), score);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "interaction", g_strdup (r->interaction_id), g_free);
  return row;
}

static void
fill (AssayEvaluationsPage *self)
{
  GtkWidget *child;
  guint drafts = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_rows = 0;

  for (guint i = 0; self->records != NULL && i < self->records->len; i++)
    {
      AssayEvaluationRecord *r = g_ptr_array_index (self->records, i);

      if (g_strcmp0 (r->state, "draft") == 0)
        drafts++;
      if (self->filter != NULL && g_strcmp0 (r->state, self->filter) != 0)
        continue;
      gtk_list_box_append (self->list, make_row (r));
      self->n_rows++;
    }

  if (self->n_drafts != drafts)
    {
      self->n_drafts = drafts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DRAFTS]);
    }

  if (self->n_rows > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    {
      adw_status_page_set_title (self->empty_page,
                                 self->filter == NULL ? _("No Evaluations Yet")
                                 : g_str_equal (self->filter, "draft") ? _("No Drafts")
                                                                       : _("Nothing Submitted Yet"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = assay_store_list_evaluations_finish (ASSAY_STORE (source), result, &error);
  AssayEvaluationsPage *self;

  if (records == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_EVALUATIONS_PAGE (user_data);
  if (records == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("The Evaluations Could Not Be Read"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  g_clear_pointer (&self->records, g_ptr_array_unref);
  self->records = records;
  fill (self);
}

static void
context_ready_cb (AssayEvaluationsPage *self)
{
  self->me = assay_context_get_me (self->context);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    assay_evaluations_page_reload (self);
}

static void
store_changed_cb (AssayStore           *store,
                  const char           *collection,
                  const char * const   *ids,
                  AssayEvaluationsPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    assay_evaluations_page_reload (self);
}

static void
set_context (AssayEvaluationsPage *self,
             AssayContext         *context)
{
  if (context == NULL)
    return;
  g_assert (self->context == NULL);
  self->context = g_object_ref (context);
  self->store = g_object_ref (assay_context_get_store (context));
  g_signal_connect_object (context, "notify::ready", G_CALLBACK (context_ready_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::" ASSAY_STORE_EVALUATIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  if (assay_context_get_ready (context))
    context_ready_cb (self);
}

static void
filter_changed_cb (AssayEvaluationsPage *self)
{
  static const char *const states[] = { NULL, "draft", "submitted" };
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  assay_evaluations_page_set_filter (self, selected < G_N_ELEMENTS (states) ? states[selected] : NULL);
}

static void
assay_evaluations_page_dispose (GObject *object)
{
  AssayEvaluationsPage *self = ASSAY_EVALUATIONS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_EVALUATIONS_PAGE);
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
  self->me = NULL;
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->filter, g_free);

  G_OBJECT_CLASS (assay_evaluations_page_parent_class)->dispose (object);
}

static void
assay_evaluations_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AssayEvaluationsPage *self = ASSAY_EVALUATIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_N_DRAFTS:
      g_value_set_uint (value, self->n_drafts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_evaluations_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AssayEvaluationsPage *self = ASSAY_EVALUATIONS_PAGE (object);

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
assay_evaluations_page_class_init (AssayEvaluationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_evaluations_page_dispose;
  object_class->get_property = assay_evaluations_page_get_property;
  object_class->set_property = assay_evaluations_page_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DRAFTS] =
    g_param_spec_uint ("n-drafts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-evaluations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayEvaluationsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayEvaluationsPage, list);
  gtk_widget_class_bind_template_child (widget_class, AssayEvaluationsPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayEvaluationsPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
}

static void
assay_evaluations_page_init (AssayEvaluationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* read when shown, and on the store's changes while shown */
  g_signal_connect_swapped (self, "map", G_CALLBACK (assay_evaluations_page_reload), self);
}

void
assay_evaluations_page_reload (AssayEvaluationsPage *self)
{
  g_return_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self));

  if (self->store == NULL || self->me == NULL)
    return;
  assay_store_list_evaluations_async (self->store, self->me->id, NULL, LIST_LIMIT, self->cancellable,
                                      list_cb, self);
}

guint
assay_evaluations_page_get_n_rows (AssayEvaluationsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self), 0);
  return self->n_rows;
}

void
assay_evaluations_page_set_filter (AssayEvaluationsPage *self,
                                   const char           *state)
{
  g_return_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self));

  g_free (self->filter);
  self->filter = g_strdup (state);
  fill (self);
}

guint
assay_evaluations_page_get_n_drafts (AssayEvaluationsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self), 0);
  return self->n_drafts;
}
