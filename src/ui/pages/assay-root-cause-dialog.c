/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-root-cause-dialog.h"
#include "assay-insights-common.h"
#include "assay-ui-util.h"
#include "store/assay-store-calibration.h"
#include "store/assay-store-evaluations.h"

static const char *const categories[] = {
  "people", "process", "technology", "resources", "environment",
};

static const char *const states[] = { "to_call", "called", "resolved", "unreachable" };

/* a check row: a root cause of the centre's list (or one to add) and its tag on the object */
typedef struct {
  char      *category;
  char      *sub_cause;
  char      *root_cause_id;    /* NULL: not in the centre's list yet */
  char      *tag_id;           /* NULL: not tagged yet */
  GtkWidget *check;
} Item;

static void
item_free (Item *item)
{
  g_free (item->category);
  g_free (item->sub_cause);
  g_free (item->root_cause_id);
  g_free (item->tag_id);
  g_free (item);
}

struct _AssayRootCauseDialog
{
  AdwWindow        parent_instance;

  AssayContext    *context;
  GCancellable    *cancellable;
  AssayKpiTagKind  kind;
  char            *object_id;
  AssayKpiLine     line;
  int              from_day;
  int              to_day;
  AssayKpiCallback *callback;     /* a callback's follow-up, or NULL */

  AdwToastOverlay *toasts;
  GtkWidget       *page;
  GtkWidget       *spinner;
  GtkWidget       *save_button;
  GtkWidget       *groups[G_N_ELEMENTS (categories)];
  GtkWidget       *entries[G_N_ELEMENTS (categories)];
  GtkWidget       *state_row;
  GtkWidget       *owner_row;
  GtkWidget       *note_row;
  GPtrArray       *owners;        /* AssayStaffRecord, as in the owner row after "Nobody" */
  GPtrArray       *items;         /* Item */
  const char      *state;
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayRootCauseDialog, assay_root_cause_dialog, ADW_TYPE_WINDOW)

static const char *
state_title (const char *state)
{
  if (g_strcmp0 (state, "called") == 0)
    return C_("callback", "Called");
  if (g_strcmp0 (state, "resolved") == 0)
    return C_("callback", "Resolved");
  if (g_strcmp0 (state, "unreachable") == 0)
    return C_("callback", "Not reachable");
  return C_("callback", "To call");
}

static void
toast (AssayRootCauseDialog *self,
       char                 *text)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
  g_free (text);
}

/* ---- the rows ---- */

static Item *
add_item (AssayRootCauseDialog *self,
          const char           *category,
          const char           *sub_cause,
          const char           *root_cause_id)
{
  Item *item = g_new0 (Item, 1);
  GtkWidget *row = adw_action_row_new ();
  const char *title = sub_cause != NULL && *sub_cause != '\0' ? sub_cause
                      /* Translators: the root-cause row of a category without a sub-cause */
                      : C_("root cause", "In general");
  guint c;

  for (c = 0; c < G_N_ELEMENTS (categories); c++)
    if (g_strcmp0 (categories[c], category) == 0)
      break;
  if (c == G_N_ELEMENTS (categories))
    {
      g_free (item);
      return NULL;
    }
  item->category = g_strdup (category);
  item->sub_cause = g_strdup (sub_cause != NULL ? sub_cause : "");
  item->root_cause_id = g_strdup (root_cause_id);
  item->check = gtk_check_button_new ();
  gtk_widget_set_valign (item->check, GTK_ALIGN_CENTER);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), item->check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), item->check);
  /* the row sits before the category's "add" entry row */
  g_object_ref (self->entries[c]);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->groups[c]), self->entries[c]);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[c]), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[c]), self->entries[c]);
  g_object_unref (self->entries[c]);
  g_ptr_array_add (self->items, item);
  return item;
}

static Item *
find_item (AssayRootCauseDialog *self,
           const char           *category,
           const char           *sub_cause)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (item->category, category) == 0
          && g_utf8_collate (item->sub_cause, sub_cause ? sub_cause : "") == 0)
        return item;
    }
  return NULL;
}

static void
add_typed (AssayRootCauseDialog *self,
           guint                 c)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->entries[c]))));
  Item *item;

  if (*text == '\0')
    return;
  item = find_item (self, categories[c], text);
  if (item == NULL)
    item = add_item (self, categories[c], text, NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (item->check), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->entries[c]), "");
}

static void
entry_applied_cb (AdwEntryRow          *entry,
                  AssayRootCauseDialog *self)
{
  for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
    if (self->entries[c] == GTK_WIDGET (entry))
      add_typed (self, c);
}

/* ---- loading: the centre's list, the object's tags, the people for a callback's owner ---- */

typedef struct {
  AssayStore      *store;
  AssayKpiTagKind  kind;
  char            *object_id;
  AssayKpiLine     line;
  int              from_day;
  int              to_day;
  GPtrArray       *causes;
  GPtrArray       *tags;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_object_unref (job->store);
  g_free (job->object_id);
  g_clear_pointer (&job->causes, g_ptr_array_unref);
  g_clear_pointer (&job->tags, g_ptr_array_unref);
  g_free (job);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  LoadJob *job = data;
  GError *error = NULL;

  job->causes = assay_store_kpi_list_root_causes_sync (job->store, &error);
  if (job->causes != NULL && job->object_id != NULL)
    job->tags = assay_store_kpi_list_tags_sync (job->store, job->kind, job->object_id, job->line,
                                                job->from_day, job->to_day, &error);
  else if (job->causes != NULL)
    job->tags = g_ptr_array_new ();
  if (job->tags == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayRootCauseDialog *self = ASSAY_ROOT_CAUSE_DIALOG (source);
  LoadJob *job = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->state = "error";
      toast (self, g_strdup_printf (_("The root causes could not be read: %s"),
                                    error->message));
      return;
    }
  for (guint i = 0; i < job->causes->len; i++)
    {
      const AssayKpiRootCause *c = g_ptr_array_index (job->causes, i);

      if (find_item (self, c->category, c->sub_cause) == NULL)
        add_item (self, c->category, c->sub_cause, c->id);
    }
  /* every category can be tagged as such, in the centre's list or not */
  for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
    if (find_item (self, categories[c], "") == NULL)
      add_item (self, categories[c], "", NULL);
  for (guint i = 0; i < job->tags->len; i++)
    {
      const AssayKpiTag *t = g_ptr_array_index (job->tags, i);
      Item *item = find_item (self, t->category, t->sub_cause);

      if (item == NULL || item->tag_id != NULL)
        continue;
      item->tag_id = g_strdup (t->id);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (item->check), TRUE);
    }
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_visible (self->page, TRUE);
  gtk_widget_set_sensitive (self->save_button, TRUE);
  self->state = "ready";
}

static void
staff_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = assay_store_list_calibration_staff_finish (ASSAY_STORE (source),
                                                                          result, &error);
  AssayRootCauseDialog *self;
  GtkStringList *names;
  const AssayStaffRecord *me;
  const char *owner;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (staff == NULL)
    {
      toast (self, g_strdup_printf (_("The people who could own the callback could not be "
                                      "read: %s"), error->message));
      return;
    }
  me = assay_context_get_me (self->context);
  owner = self->callback->owner_id != NULL ? self->callback->owner_id : me ? me->id : NULL;
  names = gtk_string_list_new (NULL);
  gtk_string_list_append (names, C_("owner", "Nobody"));
  for (guint i = 0; i < staff->len; i++)
    gtk_string_list_append (names, ((AssayStaffRecord *) g_ptr_array_index (staff, i))->name);
  g_clear_pointer (&self->owners, g_ptr_array_unref);
  self->owners = g_ptr_array_ref (staff);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->owner_row), G_LIST_MODEL (names));
  g_object_unref (names);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->owner_row), 0);
  for (guint i = 0; i < staff->len; i++)
    if (g_strcmp0 (((AssayStaffRecord *) g_ptr_array_index (staff, i))->id, owner) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->owner_row), i + 1);
}

static void
load (AssayRootCauseDialog *self)
{
  LoadJob *job = g_new0 (LoadJob, 1);
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, loaded_cb, NULL);

  job->store = g_object_ref (assay_context_get_store (self->context));
  job->kind = self->kind;
  job->object_id = g_strdup (self->object_id);
  job->line = self->line;
  job->from_day = self->from_day;
  job->to_day = self->to_day;
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (task, load_thread);
  if (self->callback != NULL)
    assay_store_list_calibration_staff_async (assay_context_get_store (self->context),
                                              self->cancellable, staff_cb, self);
}

/* ---- saving ---- */

typedef struct {
  AssayStore      *store;
  AssayKpiTagKind  kind;
  char            *object_id;
  AssayKpiLine     line;
  int              from_day;
  int              to_day;
  /* a callback's follow-up */
  char            *interaction_id;
  char            *owner_id;
  char            *state;
  char            *note;
  gint64           due_at;
  GPtrArray       *add;           /* Item (no widget): causes to tag */
  GPtrArray       *remove;        /* tag ids */
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_object_unref (job->store);
  g_free (job->object_id);
  g_free (job->interaction_id);
  g_free (job->owner_id);
  g_free (job->state);
  g_free (job->note);
  g_ptr_array_unref (job->add);
  g_ptr_array_unref (job->remove);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  SaveJob *job = data;
  GError *error = NULL;

  if (job->interaction_id != NULL)
    {
      char *id = assay_store_kpi_save_callback_sync (job->store, job->interaction_id,
                                                     job->owner_id, job->state, job->note,
                                                     job->due_at, &error);

      if (id == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_free (job->object_id);
      job->object_id = id;
    }
  for (guint i = 0; i < job->remove->len; i++)
    if (!assay_store_kpi_untag_sync (job->store, g_ptr_array_index (job->remove, i), &error))
      {
        g_task_return_error (task, error);
        return;
      }
  for (guint i = 0; i < job->add->len; i++)
    {
      Item *item = g_ptr_array_index (job->add, i);
      g_autofree char *tag = NULL;

      if (item->root_cause_id == NULL)
        item->root_cause_id = assay_store_kpi_add_root_cause_sync (job->store, item->category,
                                                                   item->sub_cause, &error);
      if (item->root_cause_id != NULL)
        tag = assay_store_kpi_tag_sync (job->store, item->root_cause_id, job->kind,
                                        job->object_id, job->line, job->from_day, job->to_day,
                                        &error);
      if (tag == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayRootCauseDialog *self = ASSAY_ROOT_CAUSE_DIALOG (source);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->state = "error";
      gtk_widget_set_sensitive (self->save_button, TRUE);
      toast (self, g_strdup_printf (_("The follow-up could not be saved: %s. Nothing you chose "
                                      "is lost; try again."), error->message));
      return;
    }
  self->state = "saved";
  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
_assay_root_cause_dialog_save (AssayRootCauseDialog *self)
{
  SaveJob *job;
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (self->state, "loading") == 0 || g_strcmp0 (self->state, "saving") == 0)
    return;
  /* a sub-cause typed but not yet added counts as chosen */
  for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
    add_typed (self, c);
  job = g_new0 (SaveJob, 1);
  job->store = g_object_ref (assay_context_get_store (self->context));
  job->kind = self->kind;
  job->object_id = g_strdup (self->object_id);
  job->line = self->line;
  job->from_day = self->from_day;
  job->to_day = self->to_day;
  job->add = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  job->remove = g_ptr_array_new_with_free_func (g_free);
  if (self->callback != NULL)
    {
      guint s = adw_combo_row_get_selected (ADW_COMBO_ROW (self->state_row));
      guint o = adw_combo_row_get_selected (ADW_COMBO_ROW (self->owner_row));
      const AssayStaffRecord *me = assay_context_get_me (self->context);

      job->interaction_id = g_strdup (self->callback->interaction_id);
      if (self->owners == NULL || o == GTK_INVALID_LIST_POSITION)
        /* the people are not read yet: the owner stays, or is whoever works it first */
        job->owner_id = g_strdup (self->callback->owner_id != NULL ? self->callback->owner_id
                                  : me != NULL ? me->id : NULL);
      else if (o > 0 && o - 1 < self->owners->len)
        job->owner_id = g_strdup (((AssayStaffRecord *) g_ptr_array_index (self->owners,
                                                                           o - 1))->id);
      job->state = g_strdup (states[s < G_N_ELEMENTS (states) ? s : 0]);
      job->note = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row)));
      job->due_at = self->callback->id != NULL ? self->callback->due_at : 0;
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      gboolean on = gtk_check_button_get_active (GTK_CHECK_BUTTON (item->check));

      if (on && item->tag_id == NULL)
        {
          Item *copy = g_new0 (Item, 1);

          copy->category = g_strdup (item->category);
          copy->sub_cause = g_strdup (item->sub_cause);
          copy->root_cause_id = g_strdup (item->root_cause_id);
          g_ptr_array_add (job->add, copy);
        }
      else if (!on && item->tag_id != NULL)
        g_ptr_array_add (job->remove, g_strdup (item->tag_id));
    }
  self->state = "saving";
  gtk_widget_set_sensitive (self->save_button, FALSE);
  task = g_task_new (self, self->cancellable, saved_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

/* ---- GObject ---- */

static void
assay_root_cause_dialog_dispose (GObject *object)
{
  AssayRootCauseDialog *self = ASSAY_ROOT_CAUSE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->object_id, g_free);
  g_clear_pointer (&self->callback, assay_kpi_callback_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->owners, g_ptr_array_unref);
  G_OBJECT_CLASS (assay_root_cause_dialog_parent_class)->dispose (object);
}

static void
assay_root_cause_dialog_class_init (AssayRootCauseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_root_cause_dialog_dispose;
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
assay_root_cause_dialog_init (AssayRootCauseDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->state = "loading";
}

static AssayRootCauseDialog *
dialog_new (AssayContext *context,
            const char   *title,
            const char   *subject)
{
  AssayRootCauseDialog *self = g_object_new (ASSAY_TYPE_ROOT_CAUSE_DIALOG, "modal", TRUE,
                                             "default-width", 520, "default-height", 680,
                                             NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *stack_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *overlay = adw_toast_overlay_new ();

  self->context = g_object_ref (context);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, subject));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_sensitive (self->save_button, FALSE);
  g_signal_connect_swapped (self->save_button, "clicked",
                            G_CALLBACK (_assay_root_cause_dialog_save), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);

  self->spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  gtk_widget_set_size_request (self->spinner, 32, 32);
  gtk_widget_set_vexpand (self->spinner, TRUE);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  self->page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (self->page, TRUE);
  gtk_widget_set_visible (self->page, FALSE);
  for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
    {
      self->groups[c] = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->groups[c]),
                                       assay_insights_category_title (categories[c]));
      self->entries[c] = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->entries[c]),
                                     _("Add a sub-cause"));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->entries[c]), TRUE);
      g_signal_connect (self->entries[c], "apply", G_CALLBACK (entry_applied_cb), self);
      g_signal_connect (self->entries[c], "entry-activated", G_CALLBACK (entry_applied_cb), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[c]), self->entries[c]);
    }
  gtk_box_append (GTK_BOX (stack_box), self->spinner);
  gtk_box_append (GTK_BOX (stack_box), self->page);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), stack_box);
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_box_append (GTK_BOX (box), overlay);
  self->toasts = ADW_TOAST_OVERLAY (overlay);
  adw_window_set_content (ADW_WINDOW (self), box);
  return self;
}

static void
add_cause_groups (AssayRootCauseDialog *self)
{
  for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                              ADW_PREFERENCES_GROUP (self->groups[c]));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->groups[0]),
                                         _("Check every cause that played a part. A sub-cause "
                                           "added here joins the centre's list."));
}

AssayRootCauseDialog *
assay_root_cause_dialog_new (AssayContext    *context,
                             AssayKpiTagKind  kind,
                             const char      *object_id,
                             AssayKpiLine     line,
                             int              from_day,
                             int              to_day,
                             const char      *subject)
{
  AssayRootCauseDialog *self;

  g_return_val_if_fail (ASSAY_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (object_id != NULL, NULL);
  self = dialog_new (context, _("Root Causes"), subject);
  self->kind = kind;
  self->object_id = g_strdup (object_id);
  self->line = line;
  self->from_day = from_day;
  self->to_day = to_day;
  add_cause_groups (self);
  load (self);
  return self;
}

AssayRootCauseDialog *
assay_root_cause_dialog_new_for_callback (AssayContext           *context,
                                          const AssayKpiCallback *callback,
                                          const char             *subject)
{
  AssayRootCauseDialog *self;
  GtkWidget *group = adw_preferences_group_new ();
  GtkStringList *names = gtk_string_list_new (NULL);
  GtkStringList *owners = gtk_string_list_new (NULL);

  g_return_val_if_fail (ASSAY_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (callback != NULL && callback->interaction_id != NULL, NULL);
  self = dialog_new (context, _("Follow Up"), subject);
  self->kind = ASSAY_KPI_TAG_CALLBACK;
  self->object_id = g_strdup (callback->id);
  self->callback = g_new0 (AssayKpiCallback, 1);
  self->callback->id = g_strdup (callback->id);
  self->callback->interaction_id = g_strdup (callback->interaction_id);
  self->callback->owner_id = g_strdup (callback->owner_id);
  self->callback->due_at = callback->due_at;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Follow-up"));
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    gtk_string_list_append (names, state_title (states[s]));
  self->state_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row), _("State"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->state_row), G_LIST_MODEL (names));
  g_object_unref (names);
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    if (g_strcmp0 (states[s], callback->state ? callback->state : "to_call") == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->state_row), s);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->state_row);

  /* the owner as it is; "Nobody" and everyone once read (staff_cb) */
  gtk_string_list_append (owners, callback->owner_name != NULL ? callback->owner_name
                          : assay_context_get_me (context) != NULL
                          ? assay_context_get_me (context)->name : C_("owner", "Nobody"));
  self->owner_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->owner_row), _("Owner"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->owner_row), G_LIST_MODEL (owners));
  g_object_unref (owners);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->owner_row);

  self->note_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->note_row), _("Note"));
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), callback->note ? callback->note : "");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->note_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (group));

  add_cause_groups (self);
  load (self);
  return self;
}

/* ---- for tests ---- */

const char *
_assay_root_cause_dialog_get_state (AssayRootCauseDialog *self)
{
  return self->state;
}

gboolean
_assay_root_cause_dialog_set_checked (AssayRootCauseDialog *self,
                                      const char           *category,
                                      const char           *sub_cause,
                                      gboolean              checked)
{
  Item *item = find_item (self, category, sub_cause);

  if (item == NULL)
    return FALSE;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (item->check), checked);
  return TRUE;
}

void
_assay_root_cause_dialog_add_sub_cause (AssayRootCauseDialog *self,
                                        const char           *category,
                                        const char           *sub_cause)
{
  for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
    if (g_strcmp0 (categories[c], category) == 0)
      {
        gtk_editable_set_text (GTK_EDITABLE (self->entries[c]), sub_cause);
        add_typed (self, c);
      }
}

void
_assay_root_cause_dialog_set_follow_up (AssayRootCauseDialog *self,
                                        const char           *state,
                                        const char           *note)
{
  g_return_if_fail (self->callback != NULL);
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    if (g_strcmp0 (states[s], state) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->state_row), s);
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), note);
}
