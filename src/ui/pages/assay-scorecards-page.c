/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <string.h>

#include "assay-scorecards-page.h"
#include "assay-context.h"
#include "assay-ui-util.h"
#include "assay-scorecards-page-private.h"
#include "core/assay-file.h"
#include "core/assay-util.h"
#include "protocol/assay-form-json.h"
#include "widgets/assay-form-editor.h"

/* how long typing may pause before the draft is written */
#define SAVE_DELAY_MS 500

struct _AssayScorecardsPage
{
  GtkWidget             parent_instance;

  AssayStore           *store;
  AssayContext         *context;
  GCancellable         *cancellable;    /* reads; cancelled when the page goes */
  gboolean              disposed;
  gboolean              folded;
  guint                 busy;           /* store calls under way */
  guint                 reload_idle;    /* the list follows the store's changes */
  GPtrArray            *forms;          /* AssayFormRecord */
  char                 *form_id;        /* the form in the editor */
  guint                 open_serial;    /* the latest request to open a form */
  int                   version;        /* the version in the editor, 0 for none */
  gint64                published_at;   /* of that version; 0 for a draft */
  gint64                saved_at;       /* when the draft was last saved (unix ms), 0 if not yet */
  guint                 save_id;        /* a draft save waiting for typing to pause */
  guint                 reselect_id;
  gboolean              selecting;      /* the list is being rebuilt: selections are not the user's */
  gboolean              publishing;
  char                 *last_error;
  GtkWindow            *dialog;         /* weak */
  GtkNativeDialog      *chooser;

  /* template */
  AdwToastOverlay      *toasts;
  AdwLeaflet           *leaflet;
  GtkStack             *list_stack;
  AdwStatusPage        *list_error_page;
  GtkListBox           *list_box;
  AdwWindowTitle       *editor_title;
  GtkStack             *editor_stack;
  AdwStatusPage        *editor_error_page;
  AssayFormEditor      *editor;
  GtkWidget            *publish_button;
  GtkWidget            *edit_button;
  GtkWidget            *menu_button;
  GtkWidget            *preview_button;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FOLDED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayScorecardsPage, assay_scorecards_page, GTK_TYPE_WIDGET)

static void set_context (AssayScorecardsPage *self,
                         AssayContext        *context);

static void open_form   (AssayScorecardsPage *self,
                         const char          *form_id);
static void reload_list (AssayScorecardsPage *self);

/* ---- busy ---- */

static void
notify_busy (AssayScorecardsPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A store call begins: the callback gets a reference, so it may always look at the page. */
static gpointer
begin_call (AssayScorecardsPage *self)
{
  self->busy++;
  notify_busy (self);
  return g_object_ref (self);
}

/* A store call ended: whether the page still wants its result. */
static gboolean
end_call (AssayScorecardsPage *self,
          GError              *error)
{
  g_assert (self->busy > 0);
  self->busy--;
  notify_busy (self);
  return !self->disposed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- messages ---- */

static void
toast (AssayScorecardsPage *self,
       const char          *text)
{
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
}

/* The one dialog of the page: a new one replaces the one on screen. */
static void
set_dialog (AssayScorecardsPage *self,
            GtkWidget           *dialog)
{
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (self->dialog);
    }
  self->dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
}

static void
show_error (AssayScorecardsPage *self,
            const char          *heading,
            const char          *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  assay_set_str (&self->last_error, message);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  set_dialog (self, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- header ---- */

static AssayFormRecord *
record_of (AssayScorecardsPage *self,
           const char          *form_id)
{
  for (guint i = 0; self->forms != NULL && i < self->forms->len; i++)
    {
      AssayFormRecord *r = g_ptr_array_index (self->forms, i);

      if (g_strcmp0 (r->id, form_id) == 0)
        return r;
    }
  return NULL;
}

static void
update_header (AssayScorecardsPage *self)
{
  AssayForm *form = self->version > 0 ? assay_form_editor_get_form (self->editor) : NULL;
  gboolean draft = form != NULL && self->published_at == 0;
  gboolean published = form != NULL && self->published_at > 0;
  g_autofree char *subtitle = NULL;

  if (published)
    {
      g_autofree char *date = assay_ui_format_time (self->published_at, "%x");

      /* Translators: the subtitle of a published scorecard: its version and when it was published */
      subtitle = g_strdup_printf (_("Version %d · published %s"), self->version, date);
    }
  else if (draft && self->save_id != 0)
    /* Translators: the subtitle of a scorecard draft while it is being edited */
    subtitle = g_strdup_printf (_("Draft of version %d · editing"), self->version);
  else if (draft && self->saved_at > 0)
    {
      g_autofree char *time = assay_ui_format_time (self->saved_at, "%X");

      /* Translators: the subtitle of a scorecard draft: its version and when it was saved */
      subtitle = g_strdup_printf (_("Draft of version %d · saved %s"), self->version, time);
    }
  else if (draft)
    subtitle = g_strdup_printf (_("Draft of version %d"), self->version);

  adw_window_title_set_title (self->editor_title, form != NULL && form->name != NULL ? form->name : "");
  adw_window_title_set_subtitle (self->editor_title, subtitle ? subtitle : "");

  gtk_widget_set_visible (self->publish_button, draft);
  gtk_widget_set_visible (self->edit_button, published);
  gtk_widget_set_visible (self->menu_button, form != NULL);
  gtk_widget_set_visible (self->preview_button, form != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scorecards.publish", draft && !self->publishing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scorecards.edit", published && !self->publishing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scorecards.export", form != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scorecards.discard", draft && !self->publishing);
}

static void
show_form (AssayScorecardsPage *self,
           AssayForm           *form,
           gint64               published_at)
{
  self->version = form != NULL ? (int) form->version : 0;
  self->published_at = published_at;
  self->saved_at = 0;
  assay_form_editor_set_form (self->editor, form);
  gtk_stack_set_visible_child_name (self->editor_stack, form != NULL ? "editor" : "none");
  update_header (self);
}

/* ---- saving drafts ---- */

static void
draft_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AssayScorecardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayFormVersionRecord) record =
    assay_store_save_form_draft_finish (ASSAY_STORE (source), result, &error);

  if (!end_call (self, error))
    return;
  if (record == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The draft was not saved: %s"), error->message);

      assay_set_str (&self->last_error, error->message);
      toast (self, text);
      return;
    }
  if (g_strcmp0 (record->form_id, self->form_id) == 0 && record->version == self->version
      && self->published_at == 0)
    {
      self->saved_at = assay_now_ms ();
      update_header (self);
    }
  /* a new draft, or a new name: the list follows the store's change (forms_changed_cb) */
}

static void
save_draft (AssayScorecardsPage *self)
{
  AssayForm *form = assay_form_editor_get_form (self->editor);
  g_autofree char *json = NULL;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (form == NULL || self->store == NULL || self->form_id == NULL || self->published_at > 0)
    return;
  json = assay_form_to_json (form);
  /* never cancelled: what was typed is not lost */
  assay_store_save_form_draft_async (self->store, self->form_id, json, NULL, draft_saved_cb,
                                     begin_call (self));
  update_header (self);
}

/* Writes a draft change that waits for typing to pause, now. */
static void
flush_draft (AssayScorecardsPage *self)
{
  if (self->save_id != 0)
    save_draft (self);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  AssayScorecardsPage *self = user_data;

  self->save_id = 0;
  save_draft (self);
  notify_busy (self);
  return G_SOURCE_REMOVE;
}

static void
editor_changed_cb (AssayScorecardsPage *self)
{
  if (self->form_id == NULL || self->published_at > 0 || self->publishing)
    return;
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
  update_header (self);
  notify_busy (self);
}

/* ---- the list ---- */

static GtkWidget *
make_row (AssayFormRecord *r)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (r->name && *r->name ? r->name : _("(no name)"));
  GtkWidget *line1, *line2;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *evaluations = NULL;

  if (r->published_version > 0)
    {
      g_autofree char *date = assay_ui_format_time (r->published_at, "%x");

      /* Translators: a scorecard in the list: its newest published version and its date */
      text1 = g_strdup_printf (_("Version %d · %s"), r->published_version, date);
    }
  else
    text1 = g_strdup (_("Not published yet"));

  /* Translators: how many evaluations were made with any version of a scorecard */
  evaluations = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u evaluation", "%'u evaluations",
                                              r->n_evaluations), r->n_evaluations);
  if (r->has_draft)
    /* Translators: "12 evaluations · draft of version 3" */
    text2 = g_strdup_printf (_("%s · draft of version %d"), evaluations, r->version);
  else
    text2 = g_strdup (evaluations);

  line1 = gtk_label_new (text1);
  line2 = gtk_label_new (text2);
  for (GtkWidget *l = name; l != NULL; l = l == name ? line1 : l == line1 ? line2 : NULL)
    {
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
      gtk_box_append (GTK_BOX (box), l);
    }
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (line1, "dim-label");
  gtk_widget_add_css_class (line1, "caption");
  gtk_widget_add_css_class (line2, "dim-label");
  gtk_widget_add_css_class (line2, "caption");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, r->name, -1);
  g_object_set_data_full (G_OBJECT (row), "form-id", g_strdup (r->id), g_free);
  return row;
}

static void
select_current (AssayScorecardsPage *self)
{
  GtkListBoxRow *row;

  if (self->list_box == NULL)
    return;
  self->selecting = TRUE;
  gtk_list_box_unselect_all (self->list_box);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list_box, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "form-id"), self->form_id) == 0)
      {
        gtk_list_box_select_row (self->list_box, row);
        break;
      }
  self->selecting = FALSE;
}

/* Whether two lists of forms show the same rows. */
static gboolean
forms_equal (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const AssayFormRecord *x = g_ptr_array_index (a, i);
      const AssayFormRecord *y = g_ptr_array_index (b, i);

      if (g_strcmp0 (x->id, y->id) != 0 || g_strcmp0 (x->name, y->name) != 0
          || g_strcmp0 (x->description, y->description) != 0 || x->version != y->version
          || g_strcmp0 (x->version_id, y->version_id) != 0 || x->has_draft != y->has_draft
          || x->published_version != y->published_version || x->published_at != y->published_at
          || x->n_evaluations != y->n_evaluations)
        return FALSE;
    }
  return TRUE;
}

static void
forms_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AssayScorecardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) forms = assay_store_list_forms_finish (ASSAY_STORE (source), result, &error);
  GtkWidget *child;

  if (!end_call (self, error))
    return;
  if (forms == NULL)
    {
      adw_status_page_set_description (self->list_error_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      return;
    }

  /* the store's change was a draft saved again: the rows say the same, leave them be */
  if (self->forms != NULL && forms_equal (self->forms, forms))
    {
      g_clear_pointer (&self->forms, g_ptr_array_unref);
      self->forms = g_steal_pointer (&forms);
      return;
    }
  g_clear_pointer (&self->forms, g_ptr_array_unref);
  self->forms = g_steal_pointer (&forms);

  self->selecting = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < self->forms->len; i++)
    gtk_list_box_append (self->list_box, make_row (g_ptr_array_index (self->forms, i)));
  self->selecting = FALSE;
  select_current (self);

  gtk_stack_set_visible_child_name (self->list_stack, self->forms->len > 0 ? "list" : "empty");

  /* the form shown is gone (its draft discarded elsewhere) */
  if (self->form_id != NULL && record_of (self, self->form_id) == NULL)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      g_clear_pointer (&self->form_id, g_free);
      show_form (self, NULL, 0);
    }
}

static void
reload_list (AssayScorecardsPage *self)
{
  if (self->store == NULL || self->disposed)
    return;
  if (self->forms == NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  assay_store_list_forms_async (self->store, self->cancellable, forms_loaded_cb, begin_call (self));
}

/* ---- opening a form ---- */

typedef struct {
  AssayScorecardsPage *self;
  guint                serial;
} OpenCall;

static void
version_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OpenCall *call = user_data;
  g_autoptr(AssayScorecardsPage) self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayFormVersionRecord) record =
    assay_store_get_form_version_finish (ASSAY_STORE (source), result, &error);
  g_autoptr(AssayForm) form = NULL;
  guint serial = call->serial;

  g_free (call);
  if (!end_call (self, error) || serial != self->open_serial)
    return;
  if (record != NULL)
    form = record->published_at > 0 ? assay_form_from_json (record->definition, -1, &error)
                                    : assay_form_draft_from_json (record->definition, -1, &error);
  if (form == NULL)
    {
      adw_status_page_set_description (self->editor_error_page, error->message);
      gtk_stack_set_visible_child_name (self->editor_stack, "error");
      self->version = 0;
      update_header (self);
      return;
    }
  show_form (self, form, record->published_at);
}

static void
open_form (AssayScorecardsPage *self,
           const char          *form_id)
{
  OpenCall *call;

  flush_draft (self);
  assay_set_str (&self->form_id, form_id);
  self->version = 0;
  self->open_serial++;
  select_current (self);
  if (form_id == NULL || self->store == NULL)
    {
      show_form (self, NULL, 0);
      return;
    }
  gtk_stack_set_visible_child_name (self->editor_stack, "loading");
  update_header (self);
  call = g_new0 (OpenCall, 1);
  call->self = begin_call (self);
  call->serial = self->open_serial;
  assay_store_get_form_version_async (self->store, form_id, 0, self->cancellable, version_loaded_cb, call);
}

static gboolean
reselect_cb (gpointer user_data)
{
  AssayScorecardsPage *self = user_data;

  self->reselect_id = 0;
  select_current (self);
  return G_SOURCE_REMOVE;
}

/* Only a click or Enter opens a scorecard: the selection also moves with the focus (when the
 * page folds, for one), and then it goes back to the scorecard shown. */
static void
row_selected_cb (AssayScorecardsPage *self,
                 GtkListBoxRow       *row)
{
  if (self->selecting || self->reselect_id != 0 || self->disposed)
    return;
  if (row == NULL || g_strcmp0 (g_object_get_data (G_OBJECT (row), "form-id"), self->form_id) != 0)
    self->reselect_id = g_idle_add (reselect_cb, self);
}

static void
row_activated_cb (AssayScorecardsPage *self,
                  GtkListBoxRow       *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "form-id");

  if (g_strcmp0 (id, self->form_id) != 0 || self->version == 0)
    open_form (self, id);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* ---- new, edit, publish, discard ---- */

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AssayScorecardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayFormVersionRecord) record =
    assay_store_create_form_finish (ASSAY_STORE (source), result, &error);

  if (!end_call (self, error))
    return;
  if (record == NULL)
    {
      show_error (self, _("The Scorecard Could Not Be Made"), error->message);
      return;
    }
  open_form (self, record->form_id);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (widget);
  g_autoptr(AssayForm) form = NULL;
  g_autofree char *json = NULL;
  AssaySection *section;

  if (self->store == NULL)
    return;
  flush_draft (self);
  form = assay_form_new ("scorecard", _("New scorecard"), 1, ASSAY_FORM_MODE_POINTS);
  assay_form_add_band (form, _("Needs improvement"), 0);
  assay_form_add_band (form, _("Meets expectations"), 75);
  section = assay_form_add_section (form, "section-1", _("Section 1"), 1);
  assay_form_add_item (form, section, "item-1", ASSAY_ITEM_YES_NO, _("New question"));
  json = assay_form_to_json (form);
  assay_store_create_form_async (self->store, json, NULL, created_cb, begin_call (self));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (widget);
  AssayForm *form = assay_form_editor_get_form (self->editor);
  g_autoptr(AssayForm) draft = NULL;

  if (form == NULL || self->published_at == 0)
    return;
  /* the published version stays as it is; the draft is its copy, numbered next */
  draft = assay_form_new_version (form);
  show_form (self, draft, 0);
  save_draft (self);
}

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AssayScorecardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayFormVersionRecord) record =
    assay_store_publish_form_draft_finish (ASSAY_STORE (source), result, &error);
  g_autoptr(AssayForm) form = NULL;

  if (!end_call (self, error))
    return;
  self->publishing = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->editor), TRUE);
  if (record != NULL)
    form = assay_form_from_json (record->definition, -1, &error);
  if (form == NULL)
    {
      update_header (self);
      show_error (self, _("The Draft Cannot Be Published"), error->message);
      return;
    }
  if (g_strcmp0 (record->form_id, self->form_id) == 0)
    show_form (self, form, record->published_at);
  {
    g_autofree char *text = g_strdup_printf (_("Version %d published"), record->version);

    toast (self, text);
  }
}

static void
publish (AssayScorecardsPage *self)
{
  AssayForm *form = assay_form_editor_get_form (self->editor);
  g_autofree char *json = NULL;

  if (form == NULL || self->published_at > 0 || self->publishing || self->store == NULL
      || assay_form_editor_get_problem (self->editor) != NULL)
    return;

  /* the publication holds the draft as it is now; nothing else may change it meanwhile */
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->publishing = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->editor), FALSE);
  update_header (self);
  json = assay_form_to_json (form);
  assay_store_publish_form_draft_async (self->store, self->form_id, json, NULL, published_cb,
                                        begin_call (self));
}

static void
publish_response_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     AssayScorecardsPage *self)
{
  if (g_str_equal (response, "publish"))
    publish (self);
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (widget);
  AssayForm *form = assay_form_editor_get_form (self->editor);
  const char *problem = assay_form_editor_get_problem (self->editor);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (form == NULL || self->published_at > 0 || self->publishing || self->store == NULL)
    return;
  if (problem != NULL)
    {
      show_error (self, _("The Draft Cannot Be Published"), problem);
      return;
    }

  /* a published version never changes: ask first */
  heading = g_strdup_printf (_("Publish Version %d?"), self->version);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Inspectors score new evaluations with the newest published "
                                     "version. Once published, this version never changes: later "
                                     "edits make a new version."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "publish", _("_Publish"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "publish",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "publish");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (publish_response_cb), self, 0);
  set_dialog (self, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
discarded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AssayScorecardsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!assay_store_discard_form_draft_finish (ASSAY_STORE (source), result, &error))
    {
      if (end_call (self, error))
        show_error (self, _("The Draft Could Not Be Discarded"), error->message);
      return;
    }
  if (!end_call (self, NULL))
    return;
  toast (self, _("Draft discarded"));
  /* back to the newest published version; a form never published went with its draft */
  if (self->form_id != NULL)
    {
      AssayFormRecord *record = record_of (self, self->form_id);

      open_form (self, record != NULL && record->published_version > 0 ? self->form_id : NULL);
    }
}

static void
discard_response_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     AssayScorecardsPage *self)
{
  if (!g_str_equal (response, "discard") || self->form_id == NULL || self->published_at > 0)
    return;
  g_clear_handle_id (&self->save_id, g_source_remove);
  assay_store_discard_form_draft_async (self->store, self->form_id, NULL, discarded_cb,
                                        begin_call (self));
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (widget);
  AssayFormRecord *record = record_of (self, self->form_id);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->form_id == NULL || self->published_at > 0)
    return;
  if (record != NULL && record->published_version > 0)
    body = g_strdup_printf (_("The changes of draft version %d are lost. The published versions "
                              "stay as they are."), self->version);
  else
    body = g_strdup (_("This scorecard was never published: it goes with its draft."));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Discard the Draft?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  set_dialog (self, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- import, export ---- */

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AssayScorecardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayFormVersionRecord) record =
    assay_store_import_form_finish (ASSAY_STORE (source), result, &error);
  g_autoptr(AssayForm) form = NULL;
  g_autofree char *text = NULL;

  if (!end_call (self, error))
    return;
  if (record == NULL)
    {
      show_error (self, _("The Scorecard Could Not Be Imported"), error->message);
      return;
    }
  form = assay_form_draft_from_json (record->definition, -1, NULL);
  text = g_strdup_printf (record->published_at > 0 ? _("“%s” imported as version %d")
                                                   : _("“%s” imported as the draft of version %d"),
                          form != NULL ? form->name : record->code, record->version);
  toast (self, text);
  open_form (self, record->form_id);
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AssayScorecardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (end_call (self, error))
        show_error (self, _("The Scorecard Could Not Be Imported"), error->message);
      return;
    }
  if (!end_call (self, NULL) || self->store == NULL)
    return;
  if (strlen (contents) != length)
    {
      g_autofree char *message = g_strdup_printf (_("%s is not a text file: choose a scorecard saved as JSON"),
                                                  name);
      show_error (self, _("The Scorecard Could Not Be Imported"), message);
      return;
    }
  assay_store_import_form_async (self->store, contents, name, NULL, imported_cb, begin_call (self));
}

static void
import_file (AssayScorecardsPage *self,
             GFile               *file)
{
  flush_draft (self);
  g_file_load_contents_async (file, self->cancellable, file_loaded_cb, begin_call (self));
}

static void
import_response_cb (GtkNativeDialog     *chooser,
                    int                  response,
                    AssayScorecardsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        import_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static GtkFileFilter *
scorecard_file_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Scorecards (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  return filter;
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = scorecard_file_filter ();

  if (self->store == NULL || self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Import Scorecard"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (import_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AssayScorecardsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));

  if (!assay_file_write_atomic_finish (G_FILE (source), result, &error))
    {
      if (end_call (self, error))
        show_error (self, _("The Scorecard Could Not Be Exported"), error->message);
      return;
    }
  if (end_call (self, NULL))
    {
      g_autofree char *text = g_strdup_printf (_("Exported to %s"), name);

      toast (self, text);
    }
}

static void
export_file (AssayScorecardsPage *self,
             GFile               *file)
{
  AssayForm *form = assay_form_editor_get_form (self->editor);
  g_autoptr(GBytes) bytes = NULL;
  char *json;

  if (form == NULL)
    return;
  json = assay_form_to_json (form);
  bytes = g_bytes_new_take (json, strlen (json));
  /* a temporary file renamed over the target: a failed export leaves no partial file */
  assay_file_write_atomic_async (file, bytes, self->cancellable, exported_cb, begin_call (self));
}

static void
export_response_cb (GtkNativeDialog     *chooser,
                    int                  response,
                    AssayScorecardsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        export_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (widget);
  AssayForm *form = assay_form_editor_get_form (self->editor);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = scorecard_file_filter ();
  g_autofree char *name = NULL;

  if (form == NULL || self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Scorecard"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  name = g_strdup_printf ("%s-v%u.json", form->id ? form->id : "scorecard", form->version);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* ---- other actions ---- */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  assay_scorecards_page_reload (ASSAY_SCORECARDS_PAGE (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  adw_leaflet_navigate (ASSAY_SCORECARDS_PAGE (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* ---- GObject ---- */

static gboolean
reload_idle_cb (gpointer user_data)
{
  AssayScorecardsPage *self = user_data;

  self->reload_idle = 0;
  self->busy--;
  if (!self->disposed)
    reload_list (self);
  return G_SOURCE_REMOVE;
}

static void
forms_changed_cb (AssayScorecardsPage *self)
{
  /* a scorecard saved, imported, published or discarded here or elsewhere: the list follows
   * (once for a burst of changes); the editor keeps what is being typed. A page being
   * disposed follows nothing: an idle scheduled now would outlive it. */
  if (self->disposed)
    return;
  if (self->reload_idle == 0)
    self->reload_idle = g_idle_add_full (G_PRIORITY_LOW, reload_idle_cb, self, NULL);
  /* busy until the list has followed, so the page is never idle with a stale list */
  else
    return;
  self->busy++;
  notify_busy (self);
}

static void
set_context (AssayScorecardsPage *self,
             AssayContext        *context)
{
  if (context == NULL)
    return;
  g_assert (self->context == NULL);
  self->context = g_object_ref (context);
  self->store = g_object_ref (assay_context_get_store (context));
  g_signal_connect_object (self->store, "changed::" ASSAY_STORE_FORMS,
                           G_CALLBACK (forms_changed_cb), self, G_CONNECT_SWAPPED);
  reload_list (self);
}

static void
assay_scorecards_page_dispose (GObject *object)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (object);
  GtkWidget *child;

  /* nothing typed is lost: a draft change still waiting goes to the store's worker before the
   * page goes (without waiting for it: the worker finishes queued work before it closes) */
  if (self->save_id != 0 && self->store != NULL && self->form_id != NULL)
    {
      AssayForm *form = assay_form_editor_get_form (self->editor);
      g_autofree char *json = form ? assay_form_to_json (form) : NULL;

      g_clear_handle_id (&self->save_id, g_source_remove);
      if (json != NULL)
        assay_store_save_form_draft_async (self->store, self->form_id, json, NULL, NULL, NULL);
    }
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_handle_id (&self->reselect_id, g_source_remove);
  self->disposed = TRUE;
  /* the store and the context outlive the page: nothing of theirs reaches it once disposed
   * (disconnected before the children go, whose own disposal may make the store speak) */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (g_steal_pointer (&self->dialog));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_SCORECARDS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (assay_scorecards_page_parent_class)->dispose (object);
}

static void
assay_scorecards_page_finalize (GObject *object)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->forms, g_ptr_array_unref);
  g_free (self->form_id);
  g_free (self->last_error);

  G_OBJECT_CLASS (assay_scorecards_page_parent_class)->finalize (object);
}

static void
assay_scorecards_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, assay_scorecards_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_scorecards_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AssayScorecardsPage *self = ASSAY_SCORECARDS_PAGE (object);

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
assay_scorecards_page_class_init (AssayScorecardsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_scorecards_page_dispose;
  object_class->finalize = assay_scorecards_page_finalize;
  object_class->get_property = assay_scorecards_page_get_property;
  object_class->set_property = assay_scorecards_page_set_property;

  /* whether the window shows the page alone (narrow): the page then offers a back button */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ASSAY_TYPE_FORM_EDITOR);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-scorecards-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, list_error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, editor_title);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, editor_error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, editor);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, publish_button);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AssayScorecardsPage, preview_button);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_changed_cb);

  gtk_widget_class_install_action (widget_class, "scorecards.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "scorecards.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "scorecards.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "scorecards.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "scorecards.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "scorecards.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "scorecards.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "scorecards.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "scorecards.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "scorecards.import", NULL);
}

static void
assay_scorecards_page_init (AssayScorecardsPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  update_header (self);
}

/* ---- public API ---- */

void
assay_scorecards_page_reload (AssayScorecardsPage *self)
{
  g_return_if_fail (ASSAY_IS_SCORECARDS_PAGE (self));
  reload_list (self);
}

gboolean
assay_scorecards_page_get_busy (AssayScorecardsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_SCORECARDS_PAGE (self), FALSE);
  return self->busy > 0 || self->save_id != 0;
}

/* ---- for tests ---- */

const char *
_assay_scorecards_page_get_state (AssayScorecardsPage *self)
{
  return gtk_stack_get_visible_child_name (self->list_stack);
}

guint
_assay_scorecards_page_get_n_forms (AssayScorecardsPage *self)
{
  return self->forms != NULL ? self->forms->len : 0;
}

const AssayFormRecord *
_assay_scorecards_page_get_form (AssayScorecardsPage *self,
                                 guint                index)
{
  g_return_val_if_fail (self->forms != NULL && index < self->forms->len, NULL);
  return g_ptr_array_index (self->forms, index);
}

void
_assay_scorecards_page_select (AssayScorecardsPage *self,
                               guint                index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, (int) index);

  g_return_if_fail (row != NULL);
  g_signal_emit_by_name (row, "activate");
}

int
_assay_scorecards_page_get_version (AssayScorecardsPage *self,
                                    gint64              *published_at)
{
  if (published_at != NULL)
    *published_at = self->published_at;
  return self->version;
}

AssayFormEditor *
_assay_scorecards_page_get_editor (AssayScorecardsPage *self)
{
  return self->editor;
}

void
_assay_scorecards_page_import_file (AssayScorecardsPage *self,
                                    GFile               *file)
{
  import_file (self, file);
}

void
_assay_scorecards_page_export_file (AssayScorecardsPage *self,
                                    GFile               *file)
{
  export_file (self, file);
}

const char *
_assay_scorecards_page_get_last_error (AssayScorecardsPage *self)
{
  return self->last_error;
}

GtkWindow *
_assay_scorecards_page_get_dialog (AssayScorecardsPage *self)
{
  return self->dialog;
}
