/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <stdlib.h>

#include "assay-window.h"
#include "assay-database-problem.h"
#include "assay-ui-util.h"
#include "assay-places.h"
#include "core/assay-util.h"
#include "pages/assay-interactions-page.h"
#include "pages/assay-review-page.h"

/*
 * The window shows the places of the signed-in person's roles (assay-places.c) in the sidebar
 * and builds each page the first time it is shown: nothing is read for a page nobody looks at
 * (the interactions page counts a million rows). Pages take everything from the context and
 * keep themselves current from the store's change notifications; the window only keeps the
 * sidebar's badges current the same way.
 */

struct _AssayWindow
{
  AdwApplicationWindow  parent_instance;

  AssayContext         *context;
  GSettings            *settings;
  GCancellable         *cancellable;
  GCancellable         *badge_cancellable;
  GHashTable           *badges;          /* place name -> its badge GtkLabel (in the sidebar) */
  guint                 badge_idle;

  /* template */
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar;
  GtkStack             *main_stack;
  GtkStack             *pages;
  AdwStatusPage        *error_page;
  AdwToastOverlay      *toasts;

  char                 *return_page;     /* where the review goes back to */
  char                 *pending_review;  /* asked for before the database was open */
  gboolean              selecting;       /* the window itself selects a sidebar row */
};

G_DEFINE_FINAL_TYPE (AssayWindow, assay_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh_badges (AssayWindow *self);

static gboolean
place_shown (AssayWindow      *self,
             const AssayPlace *place)
{
  return place != NULL && assay_context_has_role (self->context, place->roles);
}

static void
select_sidebar_row (AssayWindow *self,
                    const char  *name)
{
  GtkListBoxRow *row;

  /* rows by index: the list box's children also include the headings */
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->sidebar, i)) != NULL; i++)
    if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), name) == 0)
      {
        self->selecting = TRUE;
        gtk_list_box_select_row (self->sidebar, row);
        self->selecting = FALSE;
        return;
      }
}

static void
review_closed_cb (AssayWindow *self)
{
  /* the pages behind it have followed the store's changes on their own */
  assay_window_show_page (self, self->return_page ? self->return_page : "interactions");
}

/* The page named @name, built now if it is not yet. */
static GtkWidget *
ensure_page (AssayWindow *self,
             const char  *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->pages, name);
  const AssayPlace *place;

  if (page != NULL)
    return page;

  if (g_strcmp0 (name, "review") == 0)
    {
      page = g_object_new (ASSAY_TYPE_REVIEW_PAGE, "context", self->context, NULL);
      g_signal_connect_object (page, "close", G_CALLBACK (review_closed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  else if ((place = assay_places_lookup (name)) != NULL)
    page = g_object_new (place->page_type (), "context", self->context, NULL);
  else
    return NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "folded") != NULL)
    g_object_bind_property (self->leaflet, "folded", page, "folded", G_BINDING_SYNC_CREATE);
  gtk_stack_add_named (self->pages, page, name);
  return page;
}

static void
sidebar_header_cb (GtkListBoxRow *row,
                   GtkListBoxRow *before,
                   gpointer       user_data)
{
  const AssayPlace *place = assay_places_lookup (gtk_widget_get_name (GTK_WIDGET (row)));
  const AssayPlace *previous = NULL;
  const char *title;
  GtkWidget *label;

  if (before != NULL)
    previous = assay_places_lookup (gtk_widget_get_name (GTK_WIDGET (before)));
  title = place != NULL ? assay_heading_get_title (place->heading) : NULL;
  if (title == NULL || (previous != NULL && previous->heading == place->heading))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* small headings (UI.md) */
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, before != NULL ? 12 : 6);
  gtk_widget_set_margin_bottom (label, 3);
  gtk_list_box_row_set_header (row, label);
}

static GtkWidget *
make_row (AssayWindow      *self,
          const AssayPlace *place)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_(place->title));

  gtk_widget_set_name (row, place->name);
  /* a screen reader says the place, not "list item" */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(place->title), -1);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (place->icon_name));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  if (place->count != NULL)
    {
      GtkWidget *badge = gtk_label_new (NULL);

      gtk_widget_set_visible (badge, FALSE);
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (badge, _(place->badge_tooltip));
      gtk_widget_add_css_class (badge, "badge");
      gtk_widget_add_css_class (badge, "numeric");
      gtk_box_append (GTK_BOX (box), badge);
      g_hash_table_insert (self->badges, (gpointer) place->name, badge);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static const char *
first_place (AssayWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar, 0);

  return row != NULL ? gtk_widget_get_name (GTK_WIDGET (row)) : NULL;
}

/* Shows the places of the roles "me" holds now (also when they change). */
static void
rebuild_sidebar (AssayWindow *self)
{
  const AssayPlace *places;
  GtkWidget *row;
  const char *current;
  guint n;

  g_hash_table_remove_all (self->badges);
  while ((row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->sidebar, 0))) != NULL)
    gtk_list_box_remove (self->sidebar, row);

  places = assay_places_get (&n);
  for (guint i = 0; i < n; i++)
    if (place_shown (self, &places[i]))
      gtk_list_box_append (self->sidebar, make_row (self, &places[i]));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "pages") != 0)
    return;
  current = gtk_stack_get_visible_child_name (self->pages);
  if (current == NULL)
    ;  /* the first page is still to be chosen */
  else if (g_str_equal (current, "review"))
    select_sidebar_row (self, self->return_page);
  else if (place_shown (self, assay_places_lookup (current)))
    select_sidebar_row (self, current);
  else if (first_place (self) != NULL)
    assay_window_show_page (self, first_place (self));
  refresh_badges (self);
}

/* The first search entry on screen in @widget, else its first list. */
static GtkWidget *
find_focus_target (GtkWidget *widget,
                   gboolean   lists)
{
  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget))
    return NULL;
  if (lists ? (GTK_IS_LIST_VIEW (widget) || GTK_IS_COLUMN_VIEW (widget)
               || GTK_IS_GRID_VIEW (widget)
               || (GTK_IS_LIST_BOX (widget) && gtk_list_box_get_row_at_index (GTK_LIST_BOX (widget), 0)))
            : GTK_IS_SEARCH_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_focus_target (child, lists);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* After the user chose a place: focus goes to where they will type or move next (the page's
 * search entry, else its list), so Ctrl+F, typing and the arrow keys work at once. */
static void
focus_page (AssayWindow *self)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->pages);
  GtkWidget *target;

  if (page == NULL)
    return;
  target = find_focus_target (page, FALSE);
  if (target == NULL)
    target = find_focus_target (page, TRUE);
  /* in a list box, its first row: the arrows and Return work from there */
  if (GTK_IS_LIST_BOX (target))
    target = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (target), 0));
  if (target == NULL || !gtk_widget_grab_focus (target))
    gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

static void
sidebar_row_activated_cb (AssayWindow   *self,
                          GtkListBoxRow *row,
                          GtkListBox    *box)
{
  assay_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  focus_page (self);
}

/* A row selected by the arrow keys or a screen reader shows its place too; the focus stays in
 * the sidebar so the arrows keep moving there. */
static void
sidebar_row_selected_cb (AssayWindow   *self,
                         GtkListBoxRow *row,
                         GtkListBox    *box)
{
  if (self->selecting || row == NULL)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "pages") != 0)
    return;
  assay_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

/* ---- badges ---- */

typedef struct {
  AssayWindow *self;
  char        *name;
} BadgeCall;

static void
badge_call_free (BadgeCall *call)
{
  g_object_unref (call->self);
  g_free (call->name);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BadgeCall, badge_call_free)

static void
badge_counted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BadgeCall) call = user_data;
  g_autoptr(GError) error = NULL;
  gint64 n = assay_place_count_finish (ASSAY_CONTEXT (source), result, &error);
  g_autofree char *text = NULL;
  GtkLabel *badge;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  badge = g_hash_table_lookup (call->self->badges, call->name);
  if (badge == NULL)
    return;
  /* a badge that cannot be counted says nothing rather than something wrong */
  if (error != NULL)
    n = 0;
  text = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  gtk_label_set_text (badge, text);
  gtk_widget_set_visible (GTK_WIDGET (badge), n > 0);
}

static void
refresh_badges (AssayWindow *self)
{
  GHashTableIter iter;
  const char *name;

  if (!assay_context_get_ready (self->context))
    return;
  g_cancellable_cancel (self->badge_cancellable);
  g_clear_object (&self->badge_cancellable);
  self->badge_cancellable = g_cancellable_new ();

  g_hash_table_iter_init (&iter, self->badges);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      const AssayPlace *place = assay_places_lookup (name);
      BadgeCall *call = g_new0 (BadgeCall, 1);

      call->self = g_object_ref (self);
      call->name = g_strdup (name);
      place->count (self->context, self->badge_cancellable, badge_counted_cb, call);
    }
}

static gboolean
badge_idle_cb (gpointer user_data)
{
  AssayWindow *self = user_data;

  self->badge_idle = 0;
  refresh_badges (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (AssayStore         *store,
                  const char         *collection,
                  const char * const *ids,
                  AssayWindow        *self)
{
  GHashTableIter iter;
  const char *name;
  gboolean affected = FALSE;

  g_hash_table_iter_init (&iter, self->badges);
  while (!affected && g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      const AssayPlace *place = assay_places_lookup (name);

      affected = place->badge_collections != NULL
                 && g_strv_contains (place->badge_collections, collection);
    }
  /* several collections change together: count once, after the last */
  if (affected && self->badge_idle == 0)
    self->badge_idle = g_idle_add (badge_idle_cb, self);
}

/* ---- loading ---- */

/* ASSAY_BENCH_FIRST_FRAME: `make bench` measures launch to the first frame that shows rows. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      AssayWindow   *self)
{
  GtkWidget *page = assay_window_peek_page_widget (self, "interactions");
  AssayInteractionModel *model;
  g_autoptr(AssayInteraction) first = NULL;

  if (page == NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "pages") != 0)
    return;
  model = assay_interaction_list_get_model (assay_interactions_page_get_list (ASSAY_INTERACTIONS_PAGE (page)));
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
context_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AssayWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;

  if (!assay_context_load_finish (ASSAY_CONTEXT (source), result, &error))
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
  /* the launch benchmark times the interactions list */
  if (g_getenv ("ASSAY_BENCH_FIRST_FRAME") != NULL)
    assay_set_str (&page, "interactions");

  /* The sidebar's rows before the pages are shown (so without counting its badges), then the
   * page, then the badges: the page's first rows are the first job on the store's worker,
   * ahead of the badges' counts, which take long on a large centre. */
  rebuild_sidebar (self);
  gtk_stack_set_visible_child_name (self->main_stack, "pages");
  if (!place_shown (self, assay_places_lookup (page)))
    assay_set_str (&page, first_place (self));
  if (page != NULL)
    assay_window_show_page (self, page);
  refresh_badges (self);
  if (self->pending_review != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->pending_review);
      assay_window_review (self, id, NULL);
    }
}

/* ---- actions ---- */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayWindow *self = ASSAY_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
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

/* Alt+N: the Nth place of the sidebar, whichever places the roles show. */
static void
show_place_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AssayWindow *self = ASSAY_WINDOW (widget);
  int n = g_variant_get_int32 (parameter);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar, n - 1);

  if (row != NULL)
    {
      assay_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
      focus_page (self);
    }
}

/* ---- GObject ---- */

static void
assay_window_constructed (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  G_OBJECT_CLASS (assay_window_parent_class)->constructed (object);

  g_assert (ASSAY_IS_CONTEXT (self->context));
  self->settings = g_object_ref (assay_context_get_settings (self->context));

  {
    int width = 0, height = 0;

    g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
    if (g_settings_get_boolean (self->settings, "window-maximized"))
      gtk_window_maximize (GTK_WINDOW (self));
  }

  g_signal_connect_object (self->context, "notify::roles", G_CALLBACK (rebuild_sidebar), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (assay_context_get_store (self->context), "changed",
                           G_CALLBACK (store_changed_cb), self, 0);

  /* read-only bar, damaged-database dialog */
  assay_database_problem_watch (GTK_WINDOW (self), self->toasts, assay_context_get_store (self->context));
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  assay_context_load_async (self->context, self->cancellable, context_loaded_cb, g_object_ref (self));
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
  g_cancellable_cancel (self->badge_cancellable);
  g_clear_handle_id (&self->badge_idle, g_source_remove);
  /* the context and its store outlive the window */
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->context, self);
      g_signal_handlers_disconnect_by_data (assay_context_get_store (self->context), self);
    }
  g_hash_table_remove_all (self->badges);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_WINDOW);

  G_OBJECT_CLASS (assay_window_parent_class)->dispose (object);
}

static void
assay_window_finalize (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->badge_cancellable);
  g_clear_pointer (&self->badges, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
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
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
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
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
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

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, toasts);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-place", "i", show_place_action);
  gtk_widget_class_install_action (widget_class, "win.review", "s", review_action);
  /* Alt+number follows the order of the places shown in the sidebar */
  for (int i = 1; i <= 9; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, GDK_ALT_MASK,
                                         "win.show-place", "i", i);
}

static void
assay_window_init (AssayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_getenv ("ASSAY_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (bench_realize_cb), NULL);

  self->cancellable = g_cancellable_new ();
  self->badges = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_list_box_set_header_func (self->sidebar, sidebar_header_cb, NULL, NULL);
  g_signal_connect_swapped (self->sidebar, "row-selected", G_CALLBACK (sidebar_row_selected_cb),
                            self);
}

AssayWindow *
assay_window_new (AssayApplication *app,
                  AssayContext     *context)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (context), NULL);
  return g_object_new (ASSAY_TYPE_WINDOW, "application", app, "context", context, NULL);
}

AssayContext *
assay_window_get_context (AssayWindow *self)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);
  return self->context;
}

AssayStore *
assay_window_get_store (AssayWindow *self)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);
  return assay_context_get_store (self->context);
}

void
assay_window_show_page (AssayWindow *self,
                        const char  *name)
{
  GtkWidget *page;

  g_return_if_fail (ASSAY_IS_WINDOW (self));

  if (name == NULL)
    return;
  if (!g_str_equal (name, "review") && !place_shown (self, assay_places_lookup (name)))
    return;
  page = ensure_page (self, name);
  if (page == NULL)
    return;
  gtk_stack_set_visible_child (self->pages, page);
  /* GTK 4.8 shows a screen reader every page of a stack; only the one on screen counts */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->pages)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN,
                                 child != page, -1);
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
  assay_review_page_open (ASSAY_REVIEW_PAGE (ensure_page (self, "review")), interaction_id,
                          form_version_id);
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
  return ensure_page (self, name);
}

GtkWidget *
assay_window_peek_page_widget (AssayWindow *self,
                               const char  *name)
{
  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->pages, name);
}

char **
assay_window_list_places (AssayWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkListBoxRow *row;

  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->sidebar, i)) != NULL; i++)
    g_strv_builder_add (builder, gtk_widget_get_name (GTK_WIDGET (row)));
  return g_strv_builder_end (builder);
}

const char *
assay_window_get_badge (AssayWindow *self,
                        const char  *name)
{
  GtkWidget *badge;

  g_return_val_if_fail (ASSAY_IS_WINDOW (self), NULL);

  badge = g_hash_table_lookup (self->badges, name);
  if (badge == NULL || !gtk_widget_get_visible (badge))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (badge));
}

void
assay_window_toast (AssayWindow *self,
                    const char  *message)
{
  g_return_if_fail (ASSAY_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (message));
}
