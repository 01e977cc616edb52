/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-ui-util.h"
#include "assay-interaction-list.h"
#include "core/assay-util.h"

typedef enum {
  COL_STARTED,
  COL_CUSTOMER,
  COL_AGENT,
  COL_TEAM,
  COL_QUEUE,
  COL_CHANNEL,
  COL_DURATION,
  COL_RECORDING,
  COL_EVALUATED,
  COL_CSAT,
  COL_NPS,
  COL_FCR,
  COL_SL,
  N_COLUMNS
} Column;

static const struct {
  const char          *title;
  float                xalign;
  gboolean             expand;
  gboolean             key;           /* kept when the list is compact (a detail pane is open) */
  int                  sort;          /* AssayInteractionSort, or -1 when not sortable */
  guint                min_chars;     /* cell width, in characters */
  guint                nat_chars;
} columns[N_COLUMNS] = {
  [COL_STARTED]   = { N_("Started"),   0.0f, FALSE, TRUE,  ASSAY_INTERACTION_SORT_STARTED,  22, 22 },
  [COL_CUSTOMER]  = { N_("Customer"),  0.0f, TRUE,  TRUE,  ASSAY_INTERACTION_SORT_CUSTOMER,  6, 10 },
  [COL_AGENT]     = { N_("Agent"),     0.0f, TRUE,  TRUE,  ASSAY_INTERACTION_SORT_AGENT,     6, 14 },
  [COL_TEAM]      = { N_("Team"),      0.0f, TRUE,  FALSE, ASSAY_INTERACTION_SORT_TEAM,      6, 14 },
  [COL_QUEUE]     = { N_("Queue"),     0.0f, TRUE,  FALSE, ASSAY_INTERACTION_SORT_QUEUE,     6, 14 },
  [COL_CHANNEL]   = { N_("Channel"),   0.0f, FALSE, TRUE,  ASSAY_INTERACTION_SORT_CHANNEL,   9,  9 },
  [COL_DURATION]  = { N_("Duration"),  1.0f, FALSE, FALSE, ASSAY_INTERACTION_SORT_HANDLE,    7,  7 },
  [COL_RECORDING] = { N_("Recording"), 0.5f, FALSE, FALSE, -1,                               4,  6 },
  [COL_EVALUATED] = { N_("Evaluated"), 1.0f, FALSE, TRUE,  -1,                               6,  9 },
  [COL_CSAT]      = { N_("CSAT"),      1.0f, FALSE, FALSE, ASSAY_INTERACTION_SORT_CSAT,      3,  4 },
  [COL_NPS]       = { N_("NPS"),       1.0f, FALSE, FALSE, ASSAY_INTERACTION_SORT_NPS,       3,  4 },
  [COL_FCR]       = { N_("FCR"),       0.5f, FALSE, FALSE, -1,                               3,  4 },
  [COL_SL]        = { N_("SLA Met"),   0.5f, FALSE, FALSE, -1,                               3,  4 },
};

struct _AssayInteractionList
{
  GtkWidget               parent_instance;

  AssayInteractionModel  *model;
  GtkSingleSelection     *selection;
  AssayInteractionFilter  filter;
  AssayInteractionSort    sort;
  gboolean                descending;
  GtkColumnViewColumn    *columns[N_COLUMNS];
  gboolean                compact;
  gboolean                show_agent;

  GtkStack               *stack;
  GtkColumnView          *view;
  AdwStatusPage          *empty_page;
};

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayInteractionList, assay_interaction_list, GTK_TYPE_WIDGET)

/* The column view's sorter cannot be asked for its primary column in GTK 4.8. Each column's
 * sorter records which column it is when it compares, so comparing two dummy items tells the
 * primary column and, by the sign, the direction. */
static int last_compared_column = -1;

static int
column_compare (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  last_compared_column = GPOINTER_TO_INT (user_data);
  return GTK_ORDERING_SMALLER;
}

static const char *
yes_no (int value)
{
  if (value == ASSAY_NONE)
    return "—";
  return value ? _("Yes") : _("No");
}

/* the latest submitted score, how many evaluations when more than one, or that only a draft
 * exists: in words, not only by colour */
static char *
evaluated_text (const AssayInteractionReview *review)
{
  g_autofree char *score = NULL;

  if (review->n_evaluations == 0)
    return g_strdup (review->has_draft ? C_("evaluated", "Draft") : "—");
  score = isnan (review->score) ? g_strdup (C_("evaluated", "Yes")) : assay_ui_format_percent (review->score);
  if (review->n_evaluations == 1)
    return g_steal_pointer (&score);
  /* Translators: the latest score and how many submitted evaluations a contact has, e.g. "82 % (×2)" */
  return g_strdup_printf (_("%s (×%u)"), score, review->n_evaluations);
}

static char *
cell_text (AssayInteraction *item,
           Column            column)
{
  const AssayInteractionFacts *f = assay_interaction_get_facts (item);

  if (!assay_interaction_get_loaded (item))
    return g_strdup (column == COL_STARTED ? "…" : "");

  switch (column)
    {
    case COL_STARTED:
      return assay_ui_format_time (f->started_at, "%x %H:%M");
    case COL_CUSTOMER:
      return g_strdup (f->customer_ref != NULL ? f->customer_ref : "—");
    case COL_AGENT:
      return g_strdup (assay_interaction_get_agent_name (item));
    case COL_TEAM:
      return g_strdup (assay_interaction_get_team_name (item));
    case COL_QUEUE:
      return g_strdup (f->queue);
    case COL_CHANNEL:
      return g_strdup (assay_ui_channel_label (f->channel));
    case COL_DURATION:
      return assay_format_duration (assay_interaction_get_handle_s (item));
    case COL_RECORDING:
      return g_strdup (assay_interaction_get_review (item)->has_recording ? C_("has a recording", "Yes")
                                                                          : "—");
    case COL_EVALUATED:
      return evaluated_text (assay_interaction_get_review (item));
    case COL_CSAT:
      return f->csat == ASSAY_NONE ? g_strdup ("—") : g_strdup_printf ("%d", f->csat);
    case COL_NPS:
      return f->nps == ASSAY_NONE ? g_strdup ("—") : g_strdup_printf ("%d", f->nps);
    case COL_FCR:
      return g_strdup (yes_no (f->fcr));
    case COL_SL:
      return g_strdup (yes_no (f->answered_in_sl));
    case N_COLUMNS:
    default:
      break;
    }
  return NULL;
}

static void
update_cell (GtkListItem *list_item)
{
  GtkInscription *label = GTK_INSCRIPTION (gtk_list_item_get_child (list_item));
  AssayInteraction *item = gtk_list_item_get_item (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "column"));
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  text = cell_text (item, column);
  if (g_strcmp0 (gtk_inscription_get_text (label), text ? text : "") != 0)
    gtk_inscription_set_text (label, text ? text : "");

  /* colour is only a secondary cue for survey answers */
  if (column == COL_CSAT || column == COL_NPS)
    {
      const AssayInteractionFacts *f = assay_interaction_get_facts (item);
      gboolean low = column == COL_CSAT ? (f->csat != ASSAY_NONE && f->csat <= 2)
                                        : (f->nps != ASSAY_NONE && f->nps <= 6);
      gboolean high = column == COL_CSAT ? f->csat >= 4 : f->nps >= 9;

      if (!assay_interaction_get_loaded (item))
        low = high = FALSE;
      /* a class change restyles the label: touch them only when they change */
      if (low != gtk_widget_has_css_class (GTK_WIDGET (label), "kpi-low"))
        {
          if (low)
            gtk_widget_add_css_class (GTK_WIDGET (label), "kpi-low");
          else
            gtk_widget_remove_css_class (GTK_WIDGET (label), "kpi-low");
        }
      if (high != gtk_widget_has_css_class (GTK_WIDGET (label), "kpi-high"))
        {
          if (high)
            gtk_widget_add_css_class (GTK_WIDGET (label), "kpi-high");
          else
            gtk_widget_remove_css_class (GTK_WIDGET (label), "kpi-high");
        }
    }
}

static void
item_loaded_cb (AssayInteraction *item,
                GParamSpec       *pspec,
                GtkListItem      *list_item)
{
  if (gtk_list_item_get_item (list_item) == item)
    update_cell (list_item);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  /* GtkInscription, not GtkLabel: a list cell whose size does not depend on its text, so
   * rebinding a screen of rows after a new query does not measure every string */
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (label), columns[column].xalign);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* the start time is read in full, and a Chinese date counts its characters twice; the
   * channel ("电子邮件") too; the rest may ellipsize */
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), columns[column].min_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), columns[column].nat_chars);
  if (columns[column].xalign == 1.0f || column == COL_STARTED)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "column", GINT_TO_POINTER (column));
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  AssayInteraction *item = gtk_list_item_get_item (list_item);

  update_cell (list_item);
  /* also when loaded: a new query loads its first rows into the objects already shown */
  if (item != NULL)
    g_signal_connect_object (item, "notify::loaded", G_CALLBACK (item_loaded_cb), list_item, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  AssayInteraction *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_loaded_cb, list_item);
}

static void
run_query (AssayInteractionList *self)
{
  GtkWidget *scrolled;

  if (self->model == NULL)
    return;
  /* The new rows are loaded into the objects of the rows shown (the model keeps the first
   * page's objects), so a selection would stay on a position that now holds another
   * interaction: a new query starts unselected, at the top. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->view), GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), 0);
  assay_interaction_model_set_query (self->model, &self->filter, self->sort, self->descending);
}

static void
sorter_changed_cb (AssayInteractionList *self,
                   GtkSorterChange       change,
                   GtkSorter            *sorter)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  last_compared_column = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (last_compared_column < 0)
    {
      /* no column sorts: back to the newest first */
      self->sort = ASSAY_INTERACTION_SORT_STARTED;
      self->descending = TRUE;
    }
  else
    {
      self->sort = (AssayInteractionSort) columns[last_compared_column].sort;
      self->descending = order == GTK_ORDERING_LARGER;
    }
  run_query (self);
}

static void
update_empty (AssayInteractionList *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  const GError *error = self->model ? assay_interaction_model_get_error (self->model) : NULL;
  gboolean loading = self->model ? assay_interaction_model_get_loading (self->model) : TRUE;

  if (error != NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->empty_page, _("The Interactions Could Not Be Read"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else if (n == 0 && !loading)
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Interactions"));
      adw_status_page_set_description (self->empty_page,
                                       _("Nothing matches the search and filters. Change them, "
                                         "or import interactions with “assayctl import”."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

/* Enter or a double click on a row: score it */
static void
view_activate_cb (AssayInteractionList *self,
                  guint                 position)
{
  g_autoptr(AssayInteraction) item = NULL;

  if (self->model == NULL)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (item != NULL && assay_interaction_get_loaded (item))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.review", "s",
                                assay_interaction_get_facts (item)->id);
}

static void
selection_changed_cb (AssayInteractionList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
assay_interaction_list_dispose (GObject *object)
{
  GtkWidget *child;
  AssayInteractionList *self = ASSAY_INTERACTION_LIST (object);

  /* removing the columns changes the sorter: nothing may run a query while tearing down */
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->view), self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_INTERACTION_LIST);
  /* the template's top child is not bound, so unparent it here */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (assay_interaction_list_parent_class)->dispose (object);
}

static void
assay_interaction_list_finalize (GObject *object)
{
  AssayInteractionList *self = ASSAY_INTERACTION_LIST (object);

  assay_interaction_filter_clear (&self->filter);
  G_OBJECT_CLASS (assay_interaction_list_parent_class)->finalize (object);
}

static void
assay_interaction_list_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AssayInteractionList *self = ASSAY_INTERACTION_LIST (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_object (value, assay_interaction_list_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_interaction_list_class_init (AssayInteractionListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_interaction_list_dispose;
  object_class->finalize = assay_interaction_list_finalize;
  object_class->get_property = assay_interaction_list_get_property;

  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, ASSAY_TYPE_INTERACTION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-interaction-list.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionList, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionList, view);
  gtk_widget_class_bind_template_child (widget_class, AssayInteractionList, empty_page);
}

static void
assay_interaction_list_init (AssayInteractionList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  assay_interaction_filter_init (&self->filter);
  self->sort = ASSAY_INTERACTION_SORT_STARTED;
  self->descending = TRUE;
  self->show_agent = TRUE;

  for (int c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (columns[c].sort >= 0)
        {
          g_autoptr(GtkSorter) sorter =
            GTK_SORTER (gtk_custom_sorter_new (column_compare, GINT_TO_POINTER (c), NULL));
          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_append_column (self->view, column);
      self->columns[c] = column;
      g_object_unref (column);
    }

  g_signal_connect_object (gtk_column_view_get_sorter (self->view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "activate", G_CALLBACK (view_activate_cb), self,
                           G_CONNECT_SWAPPED);
}

AssayInteractionList *
assay_interaction_list_new (void)
{
  return g_object_new (ASSAY_TYPE_INTERACTION_LIST, NULL);
}

void
assay_interaction_list_set_store (AssayInteractionList *self,
                                  AssayStore           *store)
{
  g_return_if_fail (ASSAY_IS_INTERACTION_LIST (self));
  g_return_if_fail (ASSAY_IS_STORE (store));

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  self->model = assay_interaction_model_new (store);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_empty), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_empty), self,
                           G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  run_query (self);
}

void
assay_interaction_list_set_filter (AssayInteractionList         *self,
                                   const AssayInteractionFilter *filter)
{
  g_return_if_fail (ASSAY_IS_INTERACTION_LIST (self));

  assay_interaction_filter_clear (&self->filter);
  if (filter != NULL)
    assay_interaction_filter_copy (&self->filter, filter);
  else
    assay_interaction_filter_init (&self->filter);
  run_query (self);
}

AssayInteractionModel *
assay_interaction_list_get_model (AssayInteractionList *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION_LIST (self), NULL);
  return self->model;
}

AssayInteraction *
assay_interaction_list_get_selected (AssayInteractionList *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION_LIST (self), NULL);
  if (self->selection == NULL)
    return NULL;
  return gtk_single_selection_get_selected_item (self->selection);
}

GtkColumnView *
assay_interaction_list_get_column_view (AssayInteractionList *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION_LIST (self), NULL);
  return self->view;
}

void
assay_interaction_list_sort_by (AssayInteractionList *self,
                                AssayInteractionSort  sort,
                                gboolean              descending)
{
  g_return_if_fail (ASSAY_IS_INTERACTION_LIST (self));

  for (int c = 0; c < N_COLUMNS; c++)
    if (columns[c].sort == (int) sort)
      {
        gtk_column_view_sort_by_column (self->view, self->columns[c],
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
        return;
      }
}

static void
update_columns (AssayInteractionList *self)
{
  for (int c = 0; c < N_COLUMNS; c++)
    {
      gboolean visible = !self->compact || columns[c].key;

      if (!self->show_agent && (c == COL_AGENT || c == COL_TEAM))
        visible = FALSE;
      if (gtk_column_view_column_get_visible (self->columns[c]) != visible)
        gtk_column_view_column_set_visible (self->columns[c], visible);
    }
}

void
assay_interaction_list_set_show_agent (AssayInteractionList *self,
                                       gboolean              show)
{
  g_return_if_fail (ASSAY_IS_INTERACTION_LIST (self));
  self->show_agent = show;
  update_columns (self);
}

void
assay_interaction_list_set_compact (AssayInteractionList *self,
                                    gboolean              compact)
{
  g_return_if_fail (ASSAY_IS_INTERACTION_LIST (self));
  if (self->compact == compact)
    return;
  self->compact = compact;
  update_columns (self);
}

gboolean
assay_interaction_list_get_column_visible (AssayInteractionList *self,
                                           const char           *title)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION_LIST (self), FALSE);
  for (int c = 0; c < N_COLUMNS; c++)
    if (g_strcmp0 (columns[c].title, title) == 0)
      return gtk_column_view_column_get_visible (self->columns[c]);
  return FALSE;
}
