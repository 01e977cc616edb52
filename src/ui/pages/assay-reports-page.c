/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "assay-reports-page.h"
#include "assay-insights-common.h"
#include "assay-ui-util.h"
#include "core/assay-kpi.h"
#include "report/assay-report.h"
#include "widgets/assay-period-picker.h"

/* what the render thread reports, read by the main thread on a timer */
typedef struct {
  gatomicrefcount ref;
  gint            permille;
} Progress;

struct _AssayReportsPage
{
  GtkWidget          parent_instance;

  AssayContext      *context;
  GCancellable      *cancellable;
  GCancellable      *export_cancellable;
  GtkWidget         *frame;
  AssayPeriodPicker *period;
  GtkWidget         *stack;
  GtkWidget         *content;
  AdwToastOverlay   *toasts;
  GtkWidget         *progress_bar;
  GtkWidget         *cancel_button;
  GtkWidget         *pdf_button;
  GtkWidget         *csv_button;
  GtkWidget         *preview;
  Progress          *progress;
  guint              progress_timer;
  const char        *export_state;
  char              *target;
};

G_DEFINE_FINAL_TYPE (AssayReportsPage, assay_reports_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static Progress *
progress_ref (Progress *p)
{
  g_atomic_ref_count_inc (&p->ref);
  return p;
}

static void
progress_unref (Progress *p)
{
  if (g_atomic_ref_count_dec (&p->ref))
    g_free (p);
}

static void
report_progress (double   fraction,
                 gpointer data)
{
  Progress *p = data;

  g_atomic_int_set (&p->permille, (gint) (fraction * 1000));
}

static void
options_for (AssayReportsPage   *self,
             AssayReportOptions *options)
{
  g_autofree char *text = assay_kpi_day_format (assay_period_picker_get_from_day (self->period));
  int y = 0, m = 0;

  sscanf (text, "%d-%d", &y, &m);
  memset (options, 0, sizeof *options);
  options->year = y;
  options->month = m;
  options->min_n = g_settings_get_uint (assay_context_get_settings (self->context), "kpi-min-n");
}

/* ---- preview ---- */

static void
line_activated (AssayKpiLine line,
                gpointer     user_data)
{
  AssayReportsPage *self = user_data;
  AssayKpiQuery q = {
    ASSAY_KPI_SCOPE_CENTRE, NULL, assay_period_picker_get_from_day (self->period),
    assay_period_picker_get_to_day (self->period), 0,
  };

  assay_insights_show_evaluations (GTK_WIDGET (self), self->context, &q,
                                   assay_insights_line_title (line));
}

static void
preview_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayKpiScorecard) card = assay_store_kpi_scorecard_finish (ASSAY_STORE (source),
                                                                        result, &error);
  AssayReportsPage *self;
  GtkWidget *child, *grid;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  while ((child = gtk_widget_get_first_child (self->preview)) != NULL)
    gtk_box_remove (GTK_BOX (self->preview), child);
  if (card == NULL)
    {
      adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (error->message));
      return;
    }
  grid = assay_insights_figure_grid (card->figures, NULL, NULL, NULL, NULL);
  assay_insights_figure_grid_connect (grid, line_activated, self);
  gtk_box_append (GTK_BOX (self->preview),
                  assay_insights_section (_("Headline figures of the month"), grid,
                                          _("The report holds these figures against their "
                                            "targets, the weekly trend, a page per team, the "
                                            "improvement points and the callback list.")));
}

static void
load_preview (AssayReportsPage *self)
{
  AssayKpiQuery q = {
    ASSAY_KPI_SCOPE_CENTRE, NULL, assay_period_picker_get_from_day (self->period),
    assay_period_picker_get_to_day (self->period),
    g_settings_get_uint (assay_context_get_settings (self->context), "kpi-min-n"),
  };

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  assay_store_kpi_scorecard_async (assay_context_get_store (self->context), &q,
                                   self->cancellable, preview_cb, self);
}

/* ---- export ---- */

static gboolean
progress_tick_cb (gpointer data)
{
  AssayReportsPage *self = data;

  if (self->progress != NULL)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                   g_atomic_int_get (&self->progress->permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
export_begin (AssayReportsPage *self,
              const char       *target)
{
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  g_clear_pointer (&self->progress, progress_unref);
  self->progress = g_new0 (Progress, 1);
  g_atomic_ref_count_init (&self->progress->ref);
  g_free (self->target);
  self->target = g_strdup (target);
  self->export_state = "exporting";
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
  gtk_widget_set_visible (self->progress_bar, TRUE);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_widget_set_sensitive (self->pdf_button, FALSE);
  gtk_widget_set_sensitive (self->csv_button, FALSE);
  if (self->progress_timer == 0)
    self->progress_timer = g_timeout_add (100, progress_tick_cb, self);
}

static void
export_end (AssayReportsPage *self,
            GError           *error)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->progress_timer, g_source_remove);
  gtk_widget_set_visible (self->progress_bar, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_sensitive (self->pdf_button, TRUE);
  gtk_widget_set_sensitive (self->csv_button, TRUE);
  if (error == NULL)
    {
      self->export_state = "done";
      text = g_strdup_printf (_("The report was saved as %s"), self->target);
    }
  else
    {
      self->export_state = "failed";
      text = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
             ? g_strdup (_("The export was cancelled; no file was written"))
             : g_strdup_printf (_("The report could not be saved: %s. Choose another place "
                                  "and try again."), error->message);
    }
  adw_toast_overlay_add_toast (self->toasts, assay_ui_toast_new (text));
}

static void
pdf_written_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayReportsPage *self = user_data;

  assay_report_write_pdf_finish (ASSAY_STORE (source), result, &error);
  if (self->context == NULL)
    {
      g_object_unref (self);
      return;
    }
  export_end (self, error);
  g_object_unref (self);
}

void
_assay_reports_page_export_pdf (AssayReportsPage *self,
                                const char       *path)
{
  AssayReportOptions options;

  options_for (self, &options);
  export_begin (self, path);
  assay_report_write_pdf_async (assay_context_get_store (self->context), &options, path,
                                report_progress, progress_ref (self->progress),
                                self->export_cancellable, pdf_written_cb, g_object_ref (self));
  /* the progress block lives as long as the render may call it */
  g_object_set_data_full (G_OBJECT (self->export_cancellable), "progress", self->progress,
                          (GDestroyNotify) progress_unref);
}

typedef struct {
  AssayStore         *store;
  AssayReportOptions  options;
  char               *dir;
} CsvJob;

static void
csv_job_free (CsvJob *job)
{
  g_object_unref (job->store);
  g_free (job->dir);
  g_free (job);
}

static void
csv_thread (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  CsvJob *job = data;
  g_autoptr(GError) error = NULL;

  if (assay_report_write_csv_sync (job->store, &job->options, job->dir, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
csv_written_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AssayReportsPage *self = ASSAY_REPORTS_PAGE (source);

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self->context != NULL)
    export_end (self, error);
}

void
_assay_reports_page_export_csv (AssayReportsPage *self,
                                const char       *dir)
{
  CsvJob *job = g_new0 (CsvJob, 1);
  g_autoptr(GTask) task = NULL;

  export_begin (self, dir);
  job->store = g_object_ref (assay_context_get_store (self->context));
  options_for (self, &job->options);
  job->dir = g_strdup (dir);
  task = g_task_new (self, self->export_cancellable, csv_written_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) csv_job_free);
  g_task_run_in_thread (task, csv_thread);
}

static void
pdf_chosen_cb (GtkNativeDialog  *dialog,
               int               response,
               AssayReportsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        _assay_reports_page_export_pdf (self, path);
    }
  g_object_unref (dialog);
}

static void
csv_chosen_cb (GtkNativeDialog  *dialog,
               int               response,
               AssayReportsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        _assay_reports_page_export_csv (self, path);
    }
  g_object_unref (dialog);
}

static void
pdf_clicked_cb (AssayReportsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
    _("Export Report"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
    GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  g_autofree char *month = assay_kpi_day_format (assay_period_picker_get_from_day (self->period));
  g_autofree char *name = NULL;

  month[7] = '\0';
  /* Translators: the suggested file name of the monthly report; %s is YYYY-MM */
  name = g_strdup_printf (_("qc-report-%s.pdf"), month);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (pdf_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
csv_clicked_cb (AssayReportsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
    _("Export Tables as CSV"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
    GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));

  g_signal_connect_object (dialog, "response", G_CALLBACK (csv_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
cancel_clicked_cb (AssayReportsPage *self)
{
  g_cancellable_cancel (self->export_cancellable);
}

static void
period_changed_cb (AssayReportsPage *self)
{
  /* a report is a calendar month */
  if (assay_period_picker_get_kind (self->period) != ASSAY_PERIOD_MONTH)
    assay_period_picker_set_period (self->period, ASSAY_PERIOD_MONTH,
                                    assay_period_picker_get_from_day (self->period), 0);
  else
    load_preview (self);
}

/* ---- GObject ---- */

static void
assay_reports_page_constructed (GObject *object)
{
  AssayReportsPage *self = ASSAY_REPORTS_PAGE (object);
  int from = assay_period_picker_get_from_day (self->period);
  int to = from;

  G_OBJECT_CLASS (assay_reports_page_parent_class)->constructed (object);
  /* the last whole month is the one a QC report is about */
  assay_period_shift (ASSAY_PERIOD_MONTH, &from, &to, -1);
  assay_period_picker_set_period (self->period, ASSAY_PERIOD_MONTH, from, to);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "ready");
  load_preview (self);
}

static void
assay_reports_page_dispose (GObject *object)
{
  AssayReportsPage *self = ASSAY_REPORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_handle_id (&self->progress_timer, g_source_remove);
  g_clear_pointer (&self->progress, progress_unref);
  g_clear_pointer (&self->frame, gtk_widget_unparent);
  g_clear_pointer (&self->target, g_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (assay_reports_page_parent_class)->dispose (object);
}

static void
assay_reports_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AssayReportsPage *self = ASSAY_REPORTS_PAGE (object);

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
assay_reports_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AssayReportsPage *self = ASSAY_REPORTS_PAGE (object);

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
assay_reports_page_class_init (AssayReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = assay_reports_page_constructed;
  object_class->dispose = assay_reports_page_dispose;
  object_class->get_property = assay_reports_page_get_property;
  object_class->set_property = assay_reports_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
assay_reports_page_init (AssayReportsPage *self)
{
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *intro;

  self->export_state = "idle";
  self->period = ASSAY_PERIOD_PICKER (assay_period_picker_new ());
  self->frame = assay_insights_page_frame (GTK_WIDGET (self), _("Reports"), NULL,
                                           GTK_WIDGET (self->period), &self->stack,
                                           &self->content, &self->toasts);
  g_signal_connect_swapped (self->period, "changed", G_CALLBACK (period_changed_cb), self);

  intro = gtk_label_new (_("The monthly QC report of the whole centre: a PDF in your language "
                           "with the fonts embedded, or its tables as CSV files."));
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_box_append (GTK_BOX (self->content), intro);

  self->pdf_button = gtk_button_new_with_mnemonic (_("Export _PDF…"));
  gtk_widget_add_css_class (self->pdf_button, "suggested-action");
  gtk_widget_add_css_class (self->pdf_button, "pill");
  g_signal_connect_swapped (self->pdf_button, "clicked", G_CALLBACK (pdf_clicked_cb), self);
  self->csv_button = gtk_button_new_with_mnemonic (_("Export _CSV…"));
  gtk_widget_add_css_class (self->csv_button, "pill");
  g_signal_connect_swapped (self->csv_button, "clicked", G_CALLBACK (csv_clicked_cb), self);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel Export"));
  gtk_widget_set_visible (self->cancel_button, FALSE);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (actions), self->pdf_button);
  gtk_box_append (GTK_BOX (actions), self->csv_button);
  gtk_box_append (GTK_BOX (actions), self->cancel_button);
  gtk_box_append (GTK_BOX (self->content), actions);

  self->progress_bar = gtk_progress_bar_new ();
  gtk_widget_set_visible (self->progress_bar, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export progress"), -1);
  gtk_box_append (GTK_BOX (self->content), self->progress_bar);

  self->preview = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (self->content), self->preview);
}

const char *
_assay_reports_page_get_export_state (AssayReportsPage *self)
{
  return self->export_state;
}

void
_assay_reports_page_set_month (AssayReportsPage *self,
                               int               year,
                               int               month)
{
  int day = assay_kpi_day_from_ymd (year, month, 1);

  assay_period_picker_set_period (self->period, ASSAY_PERIOD_MONTH, day, day);
}
