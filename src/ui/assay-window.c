/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <stdlib.h>

#include "assay-window.h"
#include "assay-database-problem.h"
#include "assay-ui-util.h"
#include "core/assay-util.h"
#include "pages/assay-agents-page.h"
#include "pages/assay-evaluations-page.h"
#include "pages/assay-interactions-page.h"
#include "pages/assay-queue-page.h"
#include "pages/assay-review-page.h"
#include "pages/assay-scorecards-page.h"

struct _AssayWindow
{
  AdwApplicationWindow  parent_instance;

  AssayStore           *store;
  GSettings            *settings;
  GCancellable         *cancellable;

  /* template */
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar;
  GtkStack             *main_stack;
  GtkStack             *pages;
  AdwStatusPage        *error_page;
  AdwToastOverlay      *toasts;
  AssayInteractionsPage *interactions_page;
  AssayAgentsPage      *agents_page;
  AssayScorecardsPage  *scorecards_page;
  AssayReviewPage      *review_page;
  AssayEvaluationsPage *evaluations_page;
  AssayQueuePage       *queue_page;
  GtkLabel             *queue_badge;
  GtkLabel             *drafts_badge;
  char                 *return_page;     /* where the review goes back to */
  char                 *pending_review;  /* asked for before the database was open */
};

G_DEFINE_FINAL_TYPE (AssayWindow, assay_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
select_sidebar_row (AssayWindow *self,
                    const char  *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (g_strcmp0 (gtk_widget_get_name (row), name) == 0)
        {
          gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
          return;
        }
    }
}

static void
sidebar_row_activated_cb (AssayWindow   *self,
                          GtkListBoxRow *row,
                          GtkListBox    *box)
{
  assay_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* ASSAY_BENCH_FIRST_FRAME: `make bench` measures launch to the first frame that shows rows. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      AssayWindow   *self)
{
  AssayInteractionModel *model;
  g_autoptr(AssayInteraction) first = NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "pages") != 0)
    return;
  model = assay_interaction_list_get_model (assay_interactions_page_get_list (self->interactions_page));
  if (model == NULL || g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return;
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  if (first == NULL || !assay_interaction_get_loaded (first))
    return;
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  exit (0);
}

static void
bench_realize_cb (AssayWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (bench_after_paint_cb), self, 0);
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AssayStore *store = ASSAY_STORE (source);
  g_autoptr(AssayWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;

  if (!assay_store_open_finish (store, result, &error))
    {
      /* a status page's description is markup; the message may hold a path with "&" */
      g_autofree char *description = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      description = g_markup_escape_text (error->message, -1);
      adw_status_page_set_description (self->error_page, description);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      return;
    }

  page = g_settings_get_string (self->settings, "last-page");
  if (gtk_stack_get_child_by_name (self->pages, page) == NULL || g_str_equal (page, "review"))
    assay_set_str (&page, "queue");
  /* the launch benchmark times the interactions list */
  if (g_getenv ("ASSAY_BENCH_FIRST_FRAME") != NULL)
    assay_set_str (&page, "interactions");

  /* the store's worker takes jobs in order: the page the user sees first asks first */
  if (g_str_equal (page, "queue"))
    assay_queue_page_set_store (self->queue_page, store);
  else if (g_str_equal (page, "evaluations"))
    assay_evaluations_page_set_store (self->evaluations_page, store);
  assay_interactions_page_set_store (self->interactions_page, store);
  assay_agents_page_set_store (self->agents_page, store);
  assay_scorecards_page_set_store (self->scorecards_page, store);
  assay_review_page_set_store (self->review_page, store);
  assay_evaluations_page_set_store (self->evaluations_page, store);
  assay_queue_page_set_store (self->queue_page, store);
  assay_window_show_page (self, page);
  gtk_stack_set_visible_child_name (self->main_stack, "pages");
  if (self->pending_review != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->pending_review);
      assay_window_review (self, id, NULL);
    }
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
drafts_changed_cb (AssayWindow *self)
{
  guint n = assay_evaluations_page_get_n_drafts (self->evaluations_page);
  g_autofree char *text = g_strdup_printf ("%u", n);

  gtk_label_set_text (self->drafts_badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->drafts_badge), n > 0);
}

static void
queue_changed_cb (AssayWindow *self)
{
  guint n = assay_queue_page_get_n_due (self->queue_page);
  g_autofree char *text = g_strdup_printf ("%u", n);

  gtk_label_set_text (self->queue_badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->queue_badge), n > 0);
}

static void
review_closed_cb (AssayWindow *self)
{
  assay_evaluations_page_reload (self->evaluations_page);
  assay_queue_page_reload (self->queue_page);
  assay_window_show_page (self, self->return_page ? self->return_page : "interactions");
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  assay_window_review (ASSAY_WINDOW (widget), g_variant_get_string (parameter, NULL), NULL);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  assay_window_show_page (ASSAY_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
assay_window_constructed (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  G_OBJECT_CLASS (assay_window_parent_class)->constructed (object);

  g_object_bind_property (self->leaflet, "folded", self->interactions_page, "folded",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->leaflet, "folded", self->agents_page, "folded",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->leaflet, "folded", self->scorecards_page, "folded",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->leaflet, "folded", self->evaluations_page, "folded",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->evaluations_page, "notify::n-drafts", G_CALLBACK (drafts_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->leaflet, "folded", self->queue_page, "folded", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->queue_page, "notify::n-due", G_CALLBACK (queue_changed_cb),
                           self, G_CONNECT_SWAPPED);

  /* read-only bar, damaged-database dialog */
  assay_database_problem_watch (GTK_WINDOW (self), self->toasts, self->store);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  assay_store_open_async (self->store, self->cancellable, store_opened_cb, g_object_ref (self));
}

static gboolean
assay_window_close_request (GtkWindow *window)
{
  AssayWindow *self = ASSAY_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (assay_window_parent_class)->close_request (window);
}

static void
assay_window_dispose (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_WINDOW);

  G_OBJECT_CLASS (assay_window_parent_class)->dispose (object);
}

static void
assay_window_finalize (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_free (self->return_page);
  g_free (self->pending_review);

  G_OBJECT_CLASS (assay_window_parent_class)->finalize (object);
}

static void
assay_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_window_class_init (AssayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = assay_window_constructed;
  object_class->dispose = assay_window_dispose;
  object_class->finalize = assay_window_finalize;
  object_class->set_property = assay_window_set_property;
  object_class->get_property = assay_window_get_property;
  window_class->close_request = assay_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ASSAY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ASSAY_TYPE_INTERACTIONS_PAGE);
  g_type_ensure (ASSAY_TYPE_AGENTS_PAGE);
  g_type_ensure (ASSAY_TYPE_SCORECARDS_PAGE);
  g_type_ensure (ASSAY_TYPE_REVIEW_PAGE);
  g_type_ensure (ASSAY_TYPE_EVALUATIONS_PAGE);
  g_type_ensure (ASSAY_TYPE_QUEUE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, interactions_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, agents_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, scorecards_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, review_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, evaluations_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, drafts_badge);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, queue_badge);
  gtk_widget_class_bind_template_callback (widget_class, review_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.review", "s", review_action);
  /* Alt+number follows the order of the sidebar */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-page", "s", "queue");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-page", "s", "evaluations");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-page", "s", "interactions");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK,
                                       "win.show-page", "s", "agents");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK,
                                       "win.show-page", "s", "scorecards");
}

static void
assay_window_init (AssayWindow *self)
{
  int width = 0, height = 0;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_getenv ("ASSAY_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (bench_realize_cb), NULL);

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

AssayWindow *
assay_window_new (AssayApplication *app,
                  AssayStore       *store)
{
  return g_object_new (ASSAY_TYPE_WINDOW, "application", app, "store", store, NULL);
}

AssayStore *
assay_window_get_store (AssayWindow *self)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);
  return self->store;
}

void
assay_window_show_page (AssayWindow *self,
                        const char  *name)
{
  g_return_if_fail (ASSAY_IS_WINDOW (self));

  if (gtk_stack_get_child_by_name (self->pages, name) == NULL)
    return;
  gtk_stack_set_visible_child_name (self->pages, name);
  select_sidebar_row (self, name);
  if (!g_str_equal (name, "review"))
    g_settings_set_string (self->settings, "last-page", name);
}

void
assay_window_review (AssayWindow *self,
                     const char  *interaction_id,
                     const char  *form_version_id)
{
  const char *current;

  g_return_if_fail (ASSAY_IS_WINDOW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "pages") != 0)
    {
      /* the database is still opening: review once it is open */
      assay_set_str (&self->pending_review, interaction_id);
      return;
    }

  current = gtk_stack_get_visible_child_name (self->pages);
  if (current != NULL && !g_str_equal (current, "review"))
    assay_set_str (&self->return_page, current);
  assay_review_page_open (self->review_page, interaction_id, form_version_id);
  assay_window_show_page (self, "review");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

const char *
assay_window_get_page (AssayWindow *self)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->pages);
}

const char *
assay_window_get_view (AssayWindow *self)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

GtkWidget *
assay_window_get_page_widget (AssayWindow *self,
                              const char  *name)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->pages, name);
}

void
assay_window_toast (AssayWindow *self,
                    const char  *message)
{
  g_return_if_fail (ASSAY_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (message));
}
