/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-ui-util.h"
#include "assay-evaluations-page.h"
#include "assay-context.h"
#include "core/assay-util.h"
#include "store/assay-store-evaluations.h"
#include "store/assay-store-sync.h"
#include "assay-evaluation-item.h"

#define LIST_LIMIT 500

typedef enum {
  COL_AGENT,
  COL_QUEUE,
  COL_FORM,
  COL_CONTACT,
  COL_SCORE,
  COL_BAND,
  COL_STATE,
  COL_REVIEWED,
  COL_CHANGED,
  COL_SYNC,
  N_COLUMNS
} Column;

static const struct {
  const char *title;
  float       xalign;
  gboolean    expand;
} columns[N_COLUMNS] = {
  [COL_AGENT]    = { N_("Agent"),       0.0f, TRUE },
  [COL_QUEUE]    = { N_("Queue"),       0.0f, TRUE },
  [COL_FORM]     = { N_("Scorecard"),   0.0f, TRUE },
  [COL_CONTACT]  = { N_("Contact Time"), 0.0f, FALSE },
  [COL_SCORE]    = { N_("Score"),       1.0f, FALSE },
  [COL_BAND]     = { N_("Band"),        0.0f, FALSE },
  [COL_STATE]    = { N_("State"),       0.0f, FALSE },
  [COL_REVIEWED] = { N_("Reviewed in"), 1.0f, FALSE },
  [COL_CHANGED]  = { N_("Changed"),     0.0f, FALSE },
  [COL_SYNC]     = { N_("Sync"),        0.0f, FALSE },
};

struct _AssayEvaluationsPage
{
  GtkWidget         parent_instance;

  AssayStore       *store;
  AssayContext     *context;
  GCancellable     *cancellable;
  GCancellable     *sync_cancellable;
  const AssayStaffRecord *me;  /* the context's */
  GPtrArray        *records;
  char             *filter;        /* NULL, "draft" or "submitted" */
  char             *search;        /* lower case, or NULL */
  gboolean          folded;
  guint             n_drafts;

  GListStore         *items;       /* AssayEvaluationItem */
  GtkCustomFilter    *item_filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;

  GtkStack         *stack;
  GtkColumnView    *view;
  GtkSearchEntry   *search_entry;
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

static char *
format_when (gint64 ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (ms / 1000);

  if (then != NULL && g_date_time_get_year (then) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (then) == g_date_time_get_day_of_year (now))
    return assay_ui_format_time (ms, "%H:%M");
  return assay_ui_format_time (ms, "%x %H:%M");
}

/* the words of a state, never colour alone */
static const char *
state_label (const AssayEvaluationRecord *r)
{
  if (g_strcmp0 (r->state, "draft") == 0)
    return _("Draft");
  return r->amending ? _("Amending") : _("Submitted");
}

/* the one truthful sync state of an evaluation, as the review page's header says it */
static char *
sync_text (const AssayEvaluationSync *st,
           char                     **tooltip)
{
  *tooltip = NULL;
  if (st == NULL)
    return g_strdup ("…");
  switch (st->state)
    {
    case ASSAY_EVALUATION_SYNC_LOCAL:
      *tooltip = g_strdup (_("Saved on this computer; the next sync sends it to the central service."));
      return g_strdup (_("Saved locally"));
    case ASSAY_EVALUATION_SYNC_SYNCING:
      *tooltip = g_strdup (_("Sent to the central service; waiting for its answer."));
      return g_strdup (_("Syncing…"));
    case ASSAY_EVALUATION_SYNC_SYNCED:
      {
        g_autofree char *when = format_when (st->synced_at);

        *tooltip = g_strdup (_("The central service holds exactly this copy."));
        return g_strdup_printf (_("Synced at %s"), when);
      }
    case ASSAY_EVALUATION_SYNC_CONFLICT:
      *tooltip = g_strdup (_("This draft was also changed on another computer. Both copies are kept: "
                             "compare them side by side and choose what to keep."));
      return g_strdup (_("Conflict"));
    case ASSAY_EVALUATION_SYNC_REJECTED:
    default:
      *tooltip = g_strdup_printf (_("The central service refused this change: %s. Your copy is kept; "
                                    "open it to redo the change on the current evaluation."),
                                  st->reason != NULL ? st->reason : _("no reason given"));
      return g_strdup (_("Rejected"));
    }
}

static char *
cell_text (AssayEvaluationItem *item,
           Column               column,
           char               **tooltip)
{
  const AssayEvaluationRecord *r = assay_evaluation_item_get_record (item);

  *tooltip = NULL;
  switch (column)
    {
    case COL_AGENT:
      return g_strdup (r->agent_name ? r->agent_name : "—");
    case COL_QUEUE:
      return g_strdup (r->queue ? r->queue : "—");
    case COL_FORM:
      /* Translators: a scorecard's name and version, e.g. "Phone quality v3" */
      return g_strdup_printf (_("%s v%d"), r->form_name ? r->form_name : "—", r->form_version);
    case COL_CONTACT:
      return assay_ui_format_time (r->interaction_started_at, "%x %H:%M");
    case COL_SCORE:
      {
        g_autofree char *score = assay_ui_format_percent (r->score);
        double bonus = assay_evaluation_item_get_bonus (item);

        if (!isnan (r->score) && r->score > 100.0 && bonus > 0)
          {
            g_autofree char *points = g_strdup_printf ("%.0f", bonus);

            /* Translators: %s is how many percentage points bonus sections added */
            *tooltip = g_strdup_printf (_("Above 100 %% because bonus sections added %s points"), points);
            /* Translators: a score over 100 %, e.g. "105 % · bonus" */
            return g_strdup_printf (_("%s · bonus"), score);
          }
        return g_steal_pointer (&score);
      }
    case COL_BAND:
      return g_strdup (assay_evaluation_item_get_band (item) ? assay_evaluation_item_get_band (item) : "—");
    case COL_STATE:
      return g_strdup (state_label (r));
    case COL_REVIEWED:
      return r->review_s > 0 ? assay_format_duration (r->review_s) : g_strdup ("—");
    case COL_CHANGED:
      return format_when (r->updated_at);
    case COL_SYNC:
      return sync_text (assay_evaluation_item_get_sync (item), tooltip);
    case N_COLUMNS:
    default:
      break;
    }
  return NULL;
}

static void
update_cell (GtkListItem *list_item)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  AssayEvaluationItem *item = gtk_list_item_get_item (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "column"));
  g_autofree char *tooltip = NULL;
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  text = cell_text (item, column, &tooltip);
  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
  gtk_widget_set_tooltip_text (label, tooltip);
  if (column == COL_STATE)
    {
      gboolean draft = assay_evaluation_item_get_draft (item);

      gtk_widget_remove_css_class (label, draft ? "evaluation-submitted" : "evaluation-draft");
      gtk_widget_add_css_class (label, draft ? "evaluation-draft" : "evaluation-submitted");
    }
  else if (column == COL_SYNC)
    {
      const AssayEvaluationSync *st = assay_evaluation_item_get_sync (item);
      gboolean bad = st != NULL && (st->state == ASSAY_EVALUATION_SYNC_CONFLICT
                                    || st->state == ASSAY_EVALUATION_SYNC_REJECTED);

      if (bad)
        gtk_widget_add_css_class (label, "error");
      else
        gtk_widget_remove_css_class (label, "error");
    }
}

static void
item_sync_cb (AssayEvaluationItem *item,
              GParamSpec          *pspec,
              GtkListItem         *list_item)
{
  if (gtk_list_item_get_item (list_item) == (gpointer) item)
    update_cell (list_item);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), columns[column].xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (columns[column].xalign == 1.0f || column == COL_CONTACT || column == COL_CHANGED)
    gtk_widget_add_css_class (label, "numeric");
  if (column == COL_STATE)
    {
      gtk_widget_add_css_class (label, "badge");
      gtk_widget_set_halign (label, GTK_ALIGN_START);
    }
  if (column == COL_AGENT)
    gtk_label_set_width_chars (GTK_LABEL (label), 6);
  g_object_set_data (G_OBJECT (label), "column", GINT_TO_POINTER (column));
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  AssayEvaluationItem *item = gtk_list_item_get_item (list_item);

  update_cell (list_item);
  if (item != NULL && GPOINTER_TO_INT (user_data) == COL_SYNC)
    g_signal_connect_object (item, "notify::sync", G_CALLBACK (item_sync_cb), list_item, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  AssayEvaluationItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_sync_cb, list_item);
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  AssayEvaluationItem *ia = (AssayEvaluationItem *) a;
  AssayEvaluationItem *ib = (AssayEvaluationItem *) b;
  const AssayEvaluationRecord *ra = assay_evaluation_item_get_record (ia);
  const AssayEvaluationRecord *rb = assay_evaluation_item_get_record (ib);
  int c = 0;

  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COL_AGENT:
      c = g_utf8_collate (ra->agent_name ? ra->agent_name : "", rb->agent_name ? rb->agent_name : "");
      break;
    case COL_QUEUE:
      c = g_utf8_collate (ra->queue ? ra->queue : "", rb->queue ? rb->queue : "");
      break;
    case COL_FORM:
      c = g_utf8_collate (ra->form_name ? ra->form_name : "", rb->form_name ? rb->form_name : "");
      break;
    case COL_CONTACT:
      c = (ra->interaction_started_at > rb->interaction_started_at) - (ra->interaction_started_at < rb->interaction_started_at);
      break;
    case COL_SCORE:
    case COL_BAND:
      {
        double sa = isnan (ra->score) ? -1 : ra->score;
        double sb = isnan (rb->score) ? -1 : rb->score;

        c = (sa > sb) - (sa < sb);
      }
      break;
    case COL_STATE:
      c = g_strcmp0 (ra->state, rb->state);
      break;
    case COL_REVIEWED:
      c = (ra->review_s > rb->review_s) - (ra->review_s < rb->review_s);
      break;
    case COL_CHANGED:
      c = (ra->updated_at > rb->updated_at) - (ra->updated_at < rb->updated_at);
      break;
    case COL_SYNC:
      {
        const AssayEvaluationSync *sa = assay_evaluation_item_get_sync (ia);
        const AssayEvaluationSync *sb = assay_evaluation_item_get_sync (ib);
        int va = sa ? (int) sa->state : -1;
        int vb = sb ? (int) sb->state : -1;

        c = (va > vb) - (va < vb);
      }
      break;
    case N_COLUMNS:
    default:
      break;
    }
  return c < 0 ? GTK_ORDERING_SMALLER : c > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static gboolean
filter_item (gpointer item,
             gpointer user_data)
{
  AssayEvaluationsPage *self = user_data;
  const AssayEvaluationRecord *r = assay_evaluation_item_get_record (item);

  if (self->filter != NULL && g_strcmp0 (r->state, self->filter) != 0)
    return FALSE;
  return assay_evaluation_item_matches (item, self->search);
}

static void
view_activate_cb (AssayEvaluationsPage *self,
                  guint                 position)
{
  g_autoptr(AssayEvaluationItem) item = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (item != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.review", "s",
                                assay_evaluation_item_get_record (item)->interaction_id);
}

static void
update_view (AssayEvaluationsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    {
      adw_status_page_set_title (self->empty_page,
                                 self->search != NULL ? _("No Matching Evaluations")
                                 : self->filter == NULL ? _("No Evaluations Yet")
                                 : g_str_equal (self->filter, "draft") ? _("No Drafts")
                                                                       : _("Nothing Submitted Yet"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
}

static void
sync_states_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) states = assay_store_sync_evaluation_states_finish (ASSAY_STORE (source), result, &error);
  AssayEvaluationsPage *self;

  if (states == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_EVALUATIONS_PAGE (user_data);
  if (states == NULL)
    {
      g_warning ("Reading the evaluations' sync states failed: %s", error->message);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr(AssayEvaluationItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      const char *id = assay_evaluation_item_get_record (item)->id;
      gpointer key = NULL, value = NULL;

      /* the key is the state's own id: the state is taken whole */
      if (g_hash_table_steal_extended (states, id, &key, &value))
        assay_evaluation_item_set_sync (item, value);
    }
}

static void
fill (AssayEvaluationsPage *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  guint drafts = 0;

  for (guint i = 0; self->records != NULL && i < self->records->len; i++)
    {
      AssayEvaluationRecord *r = g_ptr_array_index (self->records, i);

      if (g_strcmp0 (r->state, "draft") == 0)
        drafts++;
      g_ptr_array_add (items, assay_evaluation_item_new (self->records, i));
      g_ptr_array_add (ids, r->id);
    }
  g_ptr_array_add (ids, NULL);
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);

  if (self->n_drafts != drafts)
    {
      self->n_drafts = drafts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DRAFTS]);
    }
  update_view (self);

  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  self->sync_cancellable = g_cancellable_new ();
  if (self->store != NULL && ids->len > 1)
    assay_store_sync_evaluation_states_async (self->store, (const char * const *) ids->pdata,
                                              self->sync_cancellable, sync_states_cb, self);
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
search_changed_cb (AssayEvaluationsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_strdown (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->item_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_view (self);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (ASSAY_EVALUATIONS_PAGE (widget)->search_entry));
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
  g_cancellable_cancel (self->sync_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_EVALUATIONS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync_cancellable);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->item_filter);
  g_clear_object (&self->items);
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
  g_clear_pointer (&self->search, g_free);

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
  gtk_widget_class_bind_template_child (widget_class, AssayEvaluationsPage, view);
  gtk_widget_class_bind_template_child (widget_class, AssayEvaluationsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AssayEvaluationsPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayEvaluationsPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "evaluations.search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "evaluations.search", NULL);
}

static void
assay_evaluations_page_init (AssayEvaluationsPage *self)
{
  GtkSelectionModel *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* a few hundred rows at most: sorted and filtered in memory, by the column view's sorter */
  self->items = g_list_store_new (ASSAY_TYPE_EVALUATION_ITEM);
  self->item_filter = gtk_custom_filter_new (filter_item, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                              g_object_ref (GTK_FILTER (self->item_filter)));
  for (int c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items, GINT_TO_POINTER (c), NULL));

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (self->view, column);
      g_object_unref (column);
    }
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->view)));
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted))));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  gtk_single_selection_set_can_unselect (GTK_SINGLE_SELECTION (selection), TRUE);
  gtk_column_view_set_model (self->view, selection);
  g_object_unref (selection);
  g_signal_connect_object (self->view, "activate", G_CALLBACK (view_activate_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
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
  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

AssayEvaluationItem *
assay_evaluations_page_get_item (AssayEvaluationsPage *self,
                                 guint                 position)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self), NULL);
  return g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
}

char *
assay_evaluations_page_get_cell (AssayEvaluationsPage *self,
                                 guint                 position,
                                 const char           *column,
                                 char                **tooltip)
{
  g_autoptr(AssayEvaluationItem) item = NULL;
  g_autofree char *tip = NULL;

  g_return_val_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  if (item == NULL)
    return NULL;
  for (int c = 0; c < N_COLUMNS; c++)
    if (g_strcmp0 (columns[c].title, column) == 0)
      {
        char *text = cell_text (item, c, &tip);

        if (tooltip != NULL)
          *tooltip = g_steal_pointer (&tip);
        return text;
      }
  return NULL;
}

void
assay_evaluations_page_search (AssayEvaluationsPage *self,
                               const char           *text)
{
  g_return_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* search-changed comes after the entry's delay: apply it now */
  search_changed_cb (self);
}

void
assay_evaluations_page_sort_by (AssayEvaluationsPage *self,
                                const char           *column,
                                gboolean              descending)
{
  GListModel *cols;

  g_return_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self));
  cols = gtk_column_view_get_columns (self->view);
  for (int c = 0; c < N_COLUMNS; c++)
    if (g_strcmp0 (columns[c].title, column) == 0)
      {
        g_autoptr(GtkColumnViewColumn) col = g_list_model_get_item (cols, c);

        gtk_column_view_sort_by_column (self->view, col, descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
      }
}

void
assay_evaluations_page_set_filter (AssayEvaluationsPage *self,
                                   const char           *state)
{
  g_return_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self));

  g_free (self->filter);
  self->filter = g_strdup (state);
  gtk_filter_changed (GTK_FILTER (self->item_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_view (self);
}

guint
assay_evaluations_page_get_n_drafts (AssayEvaluationsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATIONS_PAGE (self), 0);
  return self->n_drafts;
}
