/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-overdue-page.h"
#include "assay-ui-util.h"
#include "store/assay-store-coaching.h"

#define DAY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))

struct _AssayOverduePage
{
  GtkWidget        parent_instance;

  AssayContext    *context;
  GCancellable    *cancellable;
  AdwToastOverlay *toasts;
  GtkStack        *stack;
  GtkListBox      *list;
  gboolean         loading;
  gboolean         loaded;
  gboolean         reload;
  guint            n_rows;
};

G_DEFINE_FINAL_TYPE (AssayOverduePage, assay_overdue_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load (AssayOverduePage *self);

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "coaching_action") == 0)
    return _("Coaching action");
  if (g_strcmp0 (kind, "training") == 0)
    return _("Training");
  if (g_strcmp0 (kind, "improvement") == 0)
    return _("Improvement action");
  if (g_strcmp0 (kind, "review") == 0)
    return _("Review");
  if (g_strcmp0 (kind, "callback") == 0)
    return _("Callback");
  if (g_strcmp0 (kind, "dispute") == 0)
    return _("Dispute");
  return kind;
}

guint
assay_overdue_count_new_today (GPtrArray *overdue,
                               GDateTime *now)
{
  gint64 today = assay_coaching_day_start_ms (now);
  guint n = 0;

  /* due yesterday (local days): overdue since today's midnight */
  for (guint i = 0; overdue != NULL && i < overdue->len; i++)
    {
      AssayOverdueRecord *r = g_ptr_array_index (overdue, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (r->due_at / 1000);
      g_autoptr(GDateTime) due = g_date_time_to_timezone (utc, g_date_time_get_timezone (now));
      g_autoptr(GDateTime) next = g_date_time_add_days (due, 1);

      if (assay_coaching_day_start_ms (next) == today)
        n++;
    }
  return n;
}

static void
notify_once_a_day (AssayContext *context,
                   GPtrArray    *overdue)
{
  GApplication *app = g_application_get_default ();
  GSettings *settings = assay_context_get_settings (context);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *last = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  guint fresh;

  if (app == NULL || !g_application_get_is_registered (app) || g_application_get_is_remote (app)
      || settings == NULL)
    return;
  last = g_settings_get_string (settings, "overdue-notified-day");
  if (g_strcmp0 (last, today) == 0)
    return;
  g_settings_set_string (settings, "overdue-notified-day", today);
  fresh = assay_overdue_count_new_today (overdue, now);
  if (fresh == 0)
    return;
  notification = g_notification_new (_("Overdue"));
  body = g_strdup_printf (g_dngettext (NULL, "%u item became overdue today, %u overdue in all",
                                       "%u items became overdue today, %u overdue in all", fresh),
                          fresh, overdue->len);
  g_notification_set_body (notification, body);
  g_application_send_notification (app, "overdue", notification);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) overdue = assay_store_list_overdue_finish (ASSAY_STORE (source), result,
                                                                  &error);

  if (overdue == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  notify_once_a_day (g_task_get_source_object (task), overdue);
  g_task_return_int (task, overdue->len);
}

void
assay_overdue_count (AssayContext        *context,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (context, cancellable, callback, user_data);

  assay_store_list_overdue_async (assay_context_get_store (context), NULL, cancellable,
                                  counted_cb, task);
}

static GtkWidget *
overdue_row (AssayOverdueRecord *r)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *due = assay_ui_format_time (r->due_at, "%x");
  g_autofree char *subtitle = NULL;

  /* Translators: an overdue item: what it is, whose it is, when it was due */
  subtitle = g_strdup_printf (_("%s · %s · due %s"), kind_label (r->kind),
                              r->who != NULL ? r->who : "—", due);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 r->title != NULL && *r->title != '\0' ? r->title
                                                                        : kind_label (r->kind));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AssayOverduePage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) overdue = assay_store_list_overdue_finish (ASSAY_STORE (source), result,
                                                                  &error);
  GtkWidget *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (overdue == NULL)
    {
      adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (error->message));
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < overdue->len; i++)
    gtk_list_box_append (self->list, overdue_row (g_ptr_array_index (overdue, i)));
  self->n_rows = overdue->len;
  self->loaded = TRUE;
  gtk_stack_set_visible_child_name (self->stack, overdue->len > 0 ? "list" : "empty");
  if (self->reload)
    {
      self->reload = FALSE;
      load (self);
    }
}

static void
load (AssayOverduePage *self)
{
  if (self->loading)
    {
      self->reload = TRUE;
      return;
    }
  self->loading = TRUE;
  assay_store_list_overdue_async (assay_context_get_store (self->context), NULL,
                                  self->cancellable, listed_cb, self);
}

static void
store_changed_cb (AssayStore         *store,
                  const char         *collection,
                  const char * const *ids,
                  AssayOverduePage   *self)
{
  load (self);
}

const char *
_assay_overdue_page_get_state (AssayOverduePage *self)
{
  if (self->loading || self->reload || !self->loaded)
    return "loading";
  return gtk_stack_get_visible_child_name (self->stack);
}

guint
_assay_overdue_page_get_n_rows (AssayOverduePage *self)
{
  return self->n_rows;
}

static void
assay_overdue_page_constructed (GObject *object)
{
  AssayOverduePage *self = ASSAY_OVERDUE_PAGE (object);
  AssayStore *store = assay_context_get_store (self->context);
  const char *collections[] = { "changed::" ASSAY_STORE_COACHING,
                                "changed::" ASSAY_STORE_EVALUATIONS,
                                "changed::" ASSAY_STORE_ASSIGNMENTS,
                                "changed::" ASSAY_STORE_INTERACTIONS,
                                "changed::" ASSAY_STORE_DIRECTORY };

  G_OBJECT_CLASS (assay_overdue_page_parent_class)->constructed (object);
  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    g_signal_connect_object (store, collections[i], G_CALLBACK (store_changed_cb), self, 0);
  load (self);
}

static void
assay_overdue_page_dispose (GObject *object)
{
  AssayOverduePage *self = ASSAY_OVERDUE_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_overdue_page_parent_class)->dispose (object);
}

static void
assay_overdue_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AssayOverduePage *self = ASSAY_OVERDUE_PAGE (object);

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
assay_overdue_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AssayOverduePage *self = ASSAY_OVERDUE_PAGE (object);

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
assay_overdue_page_class_init (AssayOverduePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_overdue_page_constructed;
  object_class->dispose = assay_overdue_page_dispose;
  object_class->get_property = assay_overdue_page_get_property;
  object_class->set_property = assay_overdue_page_set_property;
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_overdue_page_init (AssayOverduePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *scrolled;
  GtkWidget *coaching = gtk_button_new_with_mnemonic (_("Open _Coaching"));

  self->cancellable = g_cancellable_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Overdue"), NULL));
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Nothing Is Overdue"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Coaching actions, training, improvement actions, reviews "
                                     "and callbacks appear here the day after they were due."));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (coaching), "s", "coaching");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (coaching), "win.show-page");
  gtk_widget_set_halign (coaching, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (coaching, "pill");
  adw_status_page_set_child (ADW_STATUS_PAGE (status), coaching);

  self->list = assay_ui_boxed_list_new (_("Overdue items"), &scrolled);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, status, "empty");
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
}
