/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <string.h>

#include "assay-ui-util.h"
#include "assay-queue-page.h"
#include "assay-context.h"
#include "core/assay-util.h"
#include "protocol/assay-sampling-json.h"
#include "store/assay-store-choices.h"
#include "store/assay-store-evaluations.h"

#define LIST_LIMIT   1000
#define DONE_DAYS    14
#define DAY_MS       (G_GINT64_CONSTANT (86400000))

typedef enum {
  PERIOD_LAST_WEEK,
  PERIOD_THIS_WEEK,
  PERIOD_LAST_4_WEEKS,
} Period;

struct _AssayQueuePage
{
  GtkWidget           parent_instance;

  AssayStore         *store;
  AssayContext       *context;
  GCancellable       *cancellable;     /* everything; cancelled in dispose */
  GCancellable       *list_cancellable;
  GCancellable       *progress_cancellable;
  const AssayStaffRecord *me;        /* the context's */
  GPtrArray          *items;           /* AssayQueueItem */
  GPtrArray          *rows;            /* the AdwActionRow of each item */
  AssayQueueProgress *progress;
  AssayDrawDialog    *dialog;          /* weak: while open */
  char               *message;
  gboolean            folded;
  guint               n_due;
  guint               drawing;

  AdwToastOverlay    *toasts;
  GtkStack           *stack;
  GtkBox             *sections;
  GtkBox             *progress_box;
  GtkStack           *progress_stack;
  GtkDropDown        *period_dropdown;
  AdwStatusPage      *empty_page;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkMenuButton      *filter_button;
  GtkDropDown        *show_dropdown;
  GtkDropDown        *channel_dropdown;
  GtkDropDown        *form_dropdown;
  GtkDropDown        *sort_dropdown;
  GtkCheckButton     *recording_check;
  GtkCheckButton     *transcript_check;
  GtkStringList      *form_names;       /* the form dropdown's model: "All scorecards", names */
  GPtrArray          *form_ids;         /* parallel to form_names; NULL first */
  gboolean            filtered;         /* the items shown are narrowed by the header */
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FOLDED,
  PROP_N_DUE,
  PROP_DRAWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayQueuePage, assay_queue_page, GTK_TYPE_WIDGET)

static void set_context (AssayQueuePage *self,
                         AssayContext   *context);

static void reload_progress (AssayQueuePage *self);

static int
local_offset_min (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return (int) (g_date_time_get_utc_offset (now) / G_TIME_SPAN_MINUTE);
}

static void
set_message (AssayQueuePage *self,
             const char     *message)
{
  assay_set_str (&self->message, message);
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (message));
}

static void
set_drawing (AssayQueuePage *self,
             gboolean        more)
{
  gboolean was = self->drawing > 0;

  if (more)
    self->drawing++;
  else if (self->drawing > 0)
    self->drawing--;
  if (was != (self->drawing > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAWING]);
}

/* ---- the queue ---- */

static const char * const channel_ids[] = { NULL, "phone", "chat", "email", "ticket" };

/* the header's search and filters as the store takes them; TRUE when any narrows the queue */
static gboolean
read_filter (AssayQueuePage   *self,
             AssayQueueFilter *filter)
{
  guint channel = gtk_drop_down_get_selected (self->channel_dropdown);
  guint form = gtk_drop_down_get_selected (self->form_dropdown);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint show = gtk_drop_down_get_selected (self->show_dropdown);
  guint sort = gtk_drop_down_get_selected (self->sort_dropdown);

  memset (filter, 0, sizeof *filter);
  filter->search = search != NULL && *search != '\0' ? search : NULL;
  filter->channel = channel < G_N_ELEMENTS (channel_ids) ? channel_ids[channel] : NULL;
  filter->form_id = form < self->form_ids->len ? g_ptr_array_index (self->form_ids, form) : NULL;
  filter->with_recording = gtk_check_button_get_active (self->recording_check);
  filter->with_transcript = gtk_check_button_get_active (self->transcript_check);
  filter->show = show <= ASSAY_QUEUE_SHOW_OVERDUE ? (AssayQueueShow) show : ASSAY_QUEUE_SHOW_ALL;
  filter->sort = sort <= ASSAY_QUEUE_SORT_AGENT ? (AssayQueueSort) sort : ASSAY_QUEUE_SORT_DUE;
  return filter->search != NULL || filter->channel != NULL || filter->form_id != NULL
         || filter->with_recording || filter->with_transcript || filter->show != ASSAY_QUEUE_SHOW_ALL;
}

/* the scorecards met in the queue become choices of the form filter, and stay */
static void
note_forms (AssayQueuePage *self,
            GPtrArray      *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      AssayQueueItem *item = g_ptr_array_index (items, i);
      gboolean known = FALSE;

      if (item->form_id == NULL)
        continue;
      for (guint j = 1; j < self->form_ids->len && !known; j++)
        known = g_strcmp0 (g_ptr_array_index (self->form_ids, j), item->form_id) == 0;
      if (known)
        continue;
      g_ptr_array_add (self->form_ids, g_strdup (item->form_id));
      gtk_string_list_append (self->form_names, item->form_name ? item->form_name : item->form_id);
    }
}

static void
row_activated_cb (AdwActionRow   *row,
                  AssayQueuePage *self)
{
  const char *interaction = g_object_get_data (G_OBJECT (row), "interaction");

  if (interaction != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.review", "s", interaction);
}

static GtkWidget *
make_row (AssayQueuePage *self,
          AssayQueueItem *item)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *when;
  GtkWidget *state;
  g_autofree char *started = assay_ui_format_time (item->started_at, "%x %H:%M");
  g_autofree char *duration = item->handle_s != ASSAY_NONE ? assay_format_duration (item->handle_s) : NULL;
  g_autofree char *csat = item->csat != ASSAY_NONE ? g_strdup_printf (_("CSAT %d"), item->csat) : NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *when_text = NULL;
  g_autofree char *tooltip = NULL;
  const char *state_text;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->agent_name ? item->agent_name : "—");
  /* Translators: queue · channel · when the contact started · how long it was handled */
  subtitle = g_strdup_printf (_("%s · %s · %s · %s"), item->queue ? item->queue : "",
                              assay_ui_channel_label (item->channel), started, duration ? duration : "—");
  if (csat != NULL)
    {
      char *with_csat = g_strdup_printf ("%s · %s", subtitle, csat);
      g_free (subtitle);
      subtitle = with_csat;
    }
  if (item->has_recording || item->has_transcript)
    {
      /* what there is to review besides the facts */
      const char *what = item->has_recording && item->has_transcript
                         ? C_("queue row", "recording and transcript")
                         : item->has_recording ? C_("queue row", "recording")
                         : g_strcmp0 (item->channel, "phone") == 0 ? C_("queue row", "transcript")
                         : C_("queue row", "conversation");
      char *with_what = g_strdup_printf ("%s · %s", subtitle, what);

      g_free (subtitle);
      subtitle = with_what;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  switch (item->state)
    {
    case ASSAY_QUEUE_STATE_DONE:
      {
        g_autofree char *day = assay_ui_format_time (item->done_at, "%x");
        /* Translators: when a review was submitted */
        when_text = g_strdup_printf (_("Done %s"), day);
        state_text = C_("review state", "Done");
      }
      break;
    case ASSAY_QUEUE_STATE_OVERDUE:
      {
        g_autofree char *day = assay_ui_format_time (item->due_at, "%x");
        /* Translators: the due date that has passed */
        when_text = g_strdup_printf (_("Was due %s"), day);
        state_text = C_("review state", "Overdue");
      }
      break;
    case ASSAY_QUEUE_STATE_IN_PROGRESS:
    case ASSAY_QUEUE_STATE_DUE:
    default:
      if (item->due_at != 0)
        {
          g_autofree char *day = assay_ui_format_time (item->due_at, "%x");
          /* Translators: the due date */
          when_text = g_strdup_printf (_("Due %s"), day);
        }
      else
        when_text = g_strdup (_("No due date"));
      state_text = item->state == ASSAY_QUEUE_STATE_IN_PROGRESS ? C_("review state", "In Progress")
                                                                : C_("review state", "To Do");
      break;
    }

  when = gtk_label_new (when_text);
  gtk_widget_add_css_class (when, "dim-label");
  gtk_widget_add_css_class (when, "numeric");
  if (item->state == ASSAY_QUEUE_STATE_OVERDUE)
    {
      gtk_widget_remove_css_class (when, "dim-label");
      gtk_widget_add_css_class (when, "error");
    }
  state = gtk_label_new (state_text);
  gtk_widget_add_css_class (state, "badge");
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), when);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  tooltip = g_strcmp0 (item->source, "sampling") == 0 ? g_strdup (_("Drawn by a sampling rule"))
                                                      : g_strdup (_("Assigned by the centre"));
  gtk_widget_set_tooltip_text (row, tooltip);

  g_object_set_data_full (G_OBJECT (row), "interaction", g_strdup (item->interaction_id), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (row_activated_cb), self, 0);
  return row;
}

static const char *
section_title (AssayQueueState state)
{
  switch (state)
    {
    case ASSAY_QUEUE_STATE_OVERDUE:
      return C_("queue section", "Overdue");
    case ASSAY_QUEUE_STATE_DONE:
      return C_("queue section", "Done Recently");
    case ASSAY_QUEUE_STATE_IN_PROGRESS:
    case ASSAY_QUEUE_STATE_DUE:
    default:
      return C_("queue section", "To Review");
    }
}

static int
section_of (AssayQueueState state)
{
  return state == ASSAY_QUEUE_STATE_OVERDUE ? 0 : state == ASSAY_QUEUE_STATE_DONE ? 2 : 1;
}

static void
fill (AssayQueuePage *self)
{
  GtkWidget *child;
  GtkWidget *group = NULL;
  int section = -1;
  guint due = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections))) != NULL)
    gtk_box_remove (self->sections, child);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      AssayQueueItem *item = g_ptr_array_index (self->items, i);
      GtkWidget *row;

      if (item->state != ASSAY_QUEUE_STATE_DONE)
        due++;
      if (section_of (item->state) != section)
        {
          section = section_of (item->state);
          group = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), section_title (item->state));
          gtk_box_append (self->sections, group);
        }
      row = make_row (self, item);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_ptr_array_add (self->rows, row);
    }

  /* n-due counts the whole queue: a narrowed one does not change it */
  if (!self->filtered && self->n_due != due)
    {
      self->n_due = due;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DUE]);
    }
  gtk_stack_set_visible_child_name (self->stack, self->rows->len > 0 ? "list"
                                                 : self->filtered ? "no-match" : "empty");
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = assay_store_list_queue_finish (ASSAY_STORE (source), result, &error);
  AssayQueuePage *self;

  if (items == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_QUEUE_PAGE (user_data);
  if (items == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("The Review Queue Could Not Be Read"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  adw_status_page_set_title (self->empty_page, _("Nothing to Review"));
  adw_status_page_set_description (self->empty_page,
                                   _("Draw a sample of last week’s contacts to review, or wait for "
                                     "assignments from the centre."));
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items;
  note_forms (self, items);
  fill (self);
}

static void
reload_list (AssayQueuePage *self)
{
  AssayQueueFilter filter;
  gint64 now;

  if (self->store == NULL || self->me == NULL)
    return;
  now = assay_now_ms ();
  self->filtered = read_filter (self, &filter);
  if (self->filtered)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  assay_store_list_queue_filtered_async (self->store, self->me->id, now, now - DONE_DAYS * DAY_MS,
                                         LIST_LIMIT, &filter, self->list_cancellable, list_cb, self);
}

static void
filter_changed_cb (AssayQueuePage *self)
{
  reload_list (self);
}

static void
reset_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AssayQueuePage *self = ASSAY_QUEUE_PAGE (widget);

  /* each setter would read the queue again: block that and read it once, in set_filter */
  g_signal_handlers_block_by_func (self->form_dropdown, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->sort_dropdown, filter_changed_cb, self);
  gtk_drop_down_set_selected (self->form_dropdown, 0);
  gtk_drop_down_set_selected (self->sort_dropdown, ASSAY_QUEUE_SORT_DUE);
  g_signal_handlers_unblock_by_func (self->form_dropdown, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->sort_dropdown, filter_changed_cb, self);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  assay_queue_page_set_filter (self, "", NULL, ASSAY_QUEUE_SHOW_ALL, FALSE, FALSE);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AssayQueuePage *self = ASSAY_QUEUE_PAGE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- progress ---- */

static GtkWidget *
progress_group (const char *title,
                GPtrArray  *rows)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  for (guint i = 0; i < rows->len; i++)
    {
      AssayProgressRow *p = g_ptr_array_index (rows, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, MAX (p->n_assigned, 1));
      g_autofree char *count = NULL;
      GtkWidget *label;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     p->name ? p->name : C_("inspector", "Not assigned to anyone"));
      if (p->n_overdue > 0)
        {
          g_autofree char *overdue = g_strdup_printf (ngettext ("%u overdue", "%u overdue", p->n_overdue),
                                                      p->n_overdue);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), overdue);
        }
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), p->n_done);
      gtk_widget_set_size_request (bar, 120, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      /* Translators: reviews done of reviews assigned, e.g. "3 / 5 done" */
      count = g_strdup_printf (_("%u / %u done"), p->n_done, p->n_assigned);
      label = gtk_label_new (count);
      gtk_widget_add_css_class (label, "numeric");
      gtk_label_set_width_chars (GTK_LABEL (label), 10);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, count, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  return group;
}

static void
progress_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayQueueProgress *progress = assay_store_queue_progress_finish (ASSAY_STORE (source), result, &error);
  AssayQueuePage *self;
  GtkWidget *child;

  if (progress == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_QUEUE_PAGE (user_data);
  if (progress == NULL)
    {
      g_warning ("Reading the review progress failed: %s", error->message);
      return;
    }
  g_clear_pointer (&self->progress, assay_queue_progress_free);
  self->progress = progress;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->progress_box))) != NULL)
    gtk_box_remove (self->progress_box, child);
  if (progress->inspectors->len == 0)
    {
      gtk_stack_set_visible_child_name (self->progress_stack, "empty");
      return;
    }
  gtk_box_append (self->progress_box, progress_group (_("Inspectors"), progress->inspectors));
  gtk_box_append (self->progress_box, progress_group (_("Agents"), progress->agents));
  gtk_stack_set_visible_child_name (self->progress_stack, "groups");
}

static void
reload_progress (AssayQueuePage *self)
{
  gint64 now = assay_now_ms ();
  int offset = local_offset_min ();
  gint64 week = assay_sampling_week_of (now, offset);
  gint64 from_week, to_week;

  if (self->store == NULL)
    return;
  switch ((Period) gtk_drop_down_get_selected (self->period_dropdown))
    {
    case PERIOD_THIS_WEEK:
      from_week = week;
      to_week = week + 1;
      break;
    case PERIOD_LAST_4_WEEKS:
      from_week = week - 4;
      to_week = week;
      break;
    case PERIOD_LAST_WEEK:
    default:
      from_week = week - 1;
      to_week = week;
      break;
    }

  g_cancellable_cancel (self->progress_cancellable);
  g_clear_object (&self->progress_cancellable);
  self->progress_cancellable = g_cancellable_new ();
  assay_store_queue_progress_async (self->store, assay_sampling_week_start (from_week, offset),
                                    assay_sampling_week_start (to_week, offset), now,
                                    self->progress_cancellable, progress_cb, self);
}

static void
period_changed_cb (AssayQueuePage *self)
{
  reload_progress (self);
}

/* ---- drawing ---- */

static void
draw_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayDrawResult) r = assay_store_draw_finish (ASSAY_STORE (source), result, &error);
  AssayQueuePage *self;
  g_autofree char *message = NULL;
  g_autofree char *seed = NULL;

  if (r == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_QUEUE_PAGE (user_data);
  set_drawing (self, FALSE);
  if (r == NULL)
    {
      /* Translators: %s says why, e.g. that no scorecard is published */
      message = g_strdup_printf (_("Nothing was drawn: %s"), error->message);
      set_message (self, message);
      return;
    }

  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, r->seed);
  if (r->n_drawn > 0)
    /* Translators: the number of contacts drawn, and the seed of the draw */
    message = g_strdup_printf (ngettext ("Drew %u contact (seed %s)", "Drew %u contacts (seed %s)",
                                         r->n_drawn), r->n_drawn, seed);
  else if (r->n_matching == 0)
    message = g_strdup (_("No contact of the period passes the filters: nothing was drawn"));
  else
    message = g_strdup (_("Every agent already has enough contacts to review: nothing was drawn"));
  set_message (self, message);
  assay_queue_page_reload (self);
}

static void
dialog_draw_cb (AssayDrawDialog *dialog,
                AssayQueuePage  *self)
{
  g_autoptr(AssaySamplingRule) rule = assay_draw_dialog_build_rule (dialog, assay_now_ms ());
  guint64 seed = assay_draw_dialog_get_seed (dialog);

  assay_queue_page_draw (self, rule, seed);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
choices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayChoices) choices = assay_store_list_choices_finish (ASSAY_STORE (source), result, &error);
  AssayQueuePage *self;
  g_autoptr(GPtrArray) names = NULL;

  if (choices == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = ASSAY_QUEUE_PAGE (user_data);
  if (choices == NULL || self->dialog == NULL)
    return;
  names = g_ptr_array_new ();
  for (guint i = 0; i < choices->queues->len; i++)
    g_ptr_array_add (names, ((AssayChoice *) g_ptr_array_index (choices->queues, i))->name);
  g_ptr_array_add (names, NULL);
  assay_draw_dialog_set_queues (self->dialog, (const char * const *) names->pdata);
}

static void
draw_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  assay_queue_page_open_draw_dialog (ASSAY_QUEUE_PAGE (widget));
}

/* ---- context ---- */

static void
context_ready_cb (AssayQueuePage *self)
{
  self->me = assay_context_get_me (self->context);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    assay_queue_page_reload (self);
}

static void
store_changed_cb (AssayStore         *store,
                  const char         *collection,
                  const char * const *ids,
                  AssayQueuePage     *self)
{
  /* drafts and submissions move items between the sections, draws and the centre add them */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    assay_queue_page_reload (self);
}

static void
set_context (AssayQueuePage *self,
             AssayContext   *context)
{
  if (context == NULL)
    return;
  g_assert (self->context == NULL);
  self->context = g_object_ref (context);
  self->store = g_object_ref (assay_context_get_store (context));
  g_signal_connect_object (context, "notify::ready", G_CALLBACK (context_ready_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::" ASSAY_STORE_ASSIGNMENTS,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (self->store, "changed::" ASSAY_STORE_EVALUATIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  if (assay_context_get_ready (context))
    context_ready_cb (self);
}

/* ---- GObject ---- */

static void
assay_queue_page_dispose (GObject *object)
{
  AssayQueuePage *self = ASSAY_QUEUE_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  g_cancellable_cancel (self->progress_cancellable);
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (GTK_WINDOW (self->dialog));
      self->dialog = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_QUEUE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->progress_cancellable);
  g_clear_object (&self->cancellable);
  /* the store and the context outlive the page: nothing of theirs reaches it once disposed */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->store);
  g_clear_object (&self->context);
  self->me = NULL;
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->form_ids, g_ptr_array_unref);
  g_clear_object (&self->form_names);
  g_clear_pointer (&self->progress, assay_queue_progress_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (assay_queue_page_parent_class)->dispose (object);
}

static void
assay_queue_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AssayQueuePage *self = ASSAY_QUEUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_N_DUE:
      g_value_set_uint (value, self->n_due);
      break;
    case PROP_DRAWING:
      g_value_set_boolean (value, self->drawing > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_queue_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AssayQueuePage *self = ASSAY_QUEUE_PAGE (object);

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
assay_queue_page_class_init (AssayQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_queue_page_dispose;
  object_class->get_property = assay_queue_page_get_property;
  object_class->set_property = assay_queue_page_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DUE] =
    g_param_spec_uint ("n-due", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAWING] =
    g_param_spec_boolean ("drawing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, toasts);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, sections);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, progress_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, show_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, form_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, recording_check);
  gtk_widget_class_bind_template_child (widget_class, AssayQueuePage, transcript_check);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);

  gtk_widget_class_install_action (widget_class, "queue.draw", NULL, draw_action);
  gtk_widget_class_install_action (widget_class, "queue.reset-filters", NULL, reset_filters_action);
  gtk_widget_class_install_action (widget_class, "queue.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "queue.search", NULL);
}

static void
assay_queue_page_init (AssayQueuePage *self)
{
  g_type_ensure (ADW_TYPE_VIEW_STACK);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->form_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->form_ids, NULL);
  self->form_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->form_names, _("All scorecards"));
  gtk_drop_down_set_model (self->form_dropdown, G_LIST_MODEL (self->form_names));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  /* the page is read when it is shown, and again on the store's changes while it is; being
   * shown again reads it again too (an item may have become overdue meanwhile) */
  g_signal_connect_swapped (self, "map", G_CALLBACK (assay_queue_page_reload), self);
}

/* ---- public ---- */

void
assay_queue_page_reload (AssayQueuePage *self)
{
  g_return_if_fail (ASSAY_IS_QUEUE_PAGE (self));

  if (self->store == NULL || self->me == NULL)
    return;
  reload_list (self);
  reload_progress (self);
}

void
assay_queue_page_set_filter (AssayQueuePage *self,
                             const char     *search,
                             const char     *channel,
                             AssayQueueShow  show,
                             gboolean        with_recording,
                             gboolean        with_transcript)
{
  guint channel_index = 0;

  g_return_if_fail (ASSAY_IS_QUEUE_PAGE (self));

  for (guint i = 1; channel != NULL && i < G_N_ELEMENTS (channel_ids); i++)
    if (g_strcmp0 (channel_ids[i], channel) == 0)
      channel_index = i;
  g_signal_handlers_block_by_func (self->search_entry, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->channel_dropdown, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->show_dropdown, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->recording_check, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->transcript_check, filter_changed_cb, self);
  if (search != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), search);
  gtk_drop_down_set_selected (self->channel_dropdown, channel_index);
  gtk_drop_down_set_selected (self->show_dropdown, show);
  gtk_check_button_set_active (self->recording_check, with_recording);
  gtk_check_button_set_active (self->transcript_check, with_transcript);
  g_signal_handlers_unblock_by_func (self->search_entry, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->channel_dropdown, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->show_dropdown, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->recording_check, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->transcript_check, filter_changed_cb, self);
  reload_list (self);
}

void
assay_queue_page_set_sort (AssayQueuePage *self,
                           AssayQueueSort  sort)
{
  g_return_if_fail (ASSAY_IS_QUEUE_PAGE (self));
  /* notify::selected reads the queue again */
  gtk_drop_down_set_selected (self->sort_dropdown, sort);
}

gboolean
assay_queue_page_get_filtered (AssayQueuePage *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), FALSE);
  return self->filtered;
}

guint
assay_queue_page_get_n_due (AssayQueuePage *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), 0);
  return self->n_due;
}

guint
assay_queue_page_get_n_rows (AssayQueuePage *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), 0);
  return self->rows->len;
}

const AssayQueueItem *
assay_queue_page_get_item (AssayQueuePage *self,
                           guint           index)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), NULL);
  g_return_val_if_fail (self->items != NULL && index < self->items->len, NULL);
  return g_ptr_array_index (self->items, index);
}

GtkWidget *
assay_queue_page_get_row (AssayQueuePage *self,
                          guint           index)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, index);
}

const char *
assay_queue_page_get_view (AssayQueuePage *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
assay_queue_page_get_drawing (AssayQueuePage *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), FALSE);
  return self->drawing > 0;
}

void
assay_queue_page_draw (AssayQueuePage          *self,
                       const AssaySamplingRule *rule,
                       guint64                  seed)
{
  g_autoptr(AssaySamplingRule) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  g_return_if_fail (ASSAY_IS_QUEUE_PAGE (self));
  g_return_if_fail (rule != NULL);

  if (self->store == NULL || self->me == NULL)
    {
      set_message (self, _("The database is not open yet: try again in a moment"));
      return;
    }
  copy = assay_sampling_rule_copy (rule);
  if (copy->inspector_id == NULL)
    copy->inspector_id = g_strdup (self->me->id);
  if (!assay_sampling_rule_validate (copy, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Nothing was drawn: %s"), error->message);
      set_message (self, message);
      return;
    }
  json = assay_sampling_rule_to_json (copy, FALSE);
  set_drawing (self, TRUE);
  assay_store_draw_async (self->store, copy, json, seed, self->me->id, self->cancellable, draw_cb, self);
}

const char *
assay_queue_page_get_message (AssayQueuePage *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), NULL);
  return self->message;
}

AssayDrawDialog *
assay_queue_page_open_draw_dialog (AssayQueuePage *self)
{
  GtkRoot *root;

  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), NULL);

  if (self->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->dialog));
      return self->dialog;
    }
  self->dialog = assay_draw_dialog_new ();
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self->dialog), GTK_WINDOW (root));
  g_signal_connect_object (self->dialog, "draw", G_CALLBACK (dialog_draw_cb), self, 0);
  if (self->store != NULL)
    assay_store_list_choices_async (self->store, self->cancellable, choices_cb, self);
  gtk_window_present (GTK_WINDOW (self->dialog));
  return self->dialog;
}

const AssayQueueProgress *
assay_queue_page_get_progress (AssayQueuePage *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_PAGE (self), NULL);
  return self->progress;
}
