/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "assay-report.h"
#include "core/assay-chart-math.h"
#include "core/assay-kpi.h"
#include "store/assay-store-directory.h"
#include "store/assay-store-kpi.h"

/* ---- the month's figures ---- */

typedef struct {
  int                year, month;
  int                from_day, to_day;
  gint64             min_n;
  AssayKpiScorecard *card;        /* the centre's, or the team's */
  GPtrArray         *teams;       /* AssayKpiScorecard of each team (centre reports only) */
  GPtrArray         *pareto;      /* AssayKpiRootCause */
  GPtrArray         *callbacks;   /* AssayKpiCallback */
} ReportData;

static void
report_data_free (ReportData *data)
{
  g_clear_pointer (&data->card, assay_kpi_scorecard_free);
  g_clear_pointer (&data->teams, g_ptr_array_unref);
  g_clear_pointer (&data->pareto, g_ptr_array_unref);
  g_clear_pointer (&data->callbacks, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReportData, report_data_free)

static void
report_progress (AssayReportProgress progress,
                 gpointer            progress_data,
                 double              fraction)
{
  if (progress != NULL)
    progress (CLAMP (fraction, 0.0, 1.0), progress_data);
}

static AssayKpiScorecard *
read_card (AssayStore           *store,
           const AssayKpiQuery  *query,
           GCancellable         *cancellable,
           GError              **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return assay_store_kpi_scorecard_sync (store, query, error);
}

static ReportData *
report_data_read (AssayStore                *store,
                  const AssayReportOptions  *options,
                  AssayReportProgress        progress,
                  gpointer                   progress_data,
                  double                     share,
                  GCancellable              *cancellable,
                  GError                   **error)
{
  g_autoptr(ReportData) data = g_new0 (ReportData, 1);
  AssayKpiQuery query = { 0 };
  AssayKpiCallbackQuery cbq;
  int next_year, next_month;

  if (options->year < 1970 || options->year > 9999 || options->month < 1 || options->month > 12)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   C_("report", "The month %04d-%02d is not a calendar month; give it as YYYY-MM"),
                   options->year, options->month);
      return NULL;
    }
  data->year = options->year;
  data->month = options->month;
  next_year = options->month == 12 ? options->year + 1 : options->year;
  next_month = options->month == 12 ? 1 : options->month + 1;
  data->from_day = assay_kpi_day_from_ymd (options->year, options->month, 1);
  data->to_day = assay_kpi_day_from_ymd (next_year, next_month, 1) - 1;
  data->min_n = options->min_n > 0 ? options->min_n : ASSAY_KPI_DEFAULT_MIN_N;

  query.scope = options->team != NULL ? ASSAY_KPI_SCOPE_TEAM : ASSAY_KPI_SCOPE_CENTRE;
  query.subject = options->team;
  query.from_day = data->from_day;
  query.to_day = data->to_day;
  query.min_n = data->min_n;
  data->card = read_card (store, &query, cancellable, error);
  if (data->card == NULL)
    return NULL;
  report_progress (progress, progress_data, share * 0.2);

  data->teams = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_kpi_scorecard_free);
  if (options->team == NULL)
    {
      g_autoptr(GPtrArray) teams = assay_store_list_teams_sync (store, error);

      if (teams == NULL)
        return NULL;
      for (guint i = 0; i < teams->len; i++)
        {
          AssayTeam *team = g_ptr_array_index (teams, i);
          AssayKpiScorecard *card;

          if (assay_team_get_id (team) == NULL)
            continue;
          query.scope = ASSAY_KPI_SCOPE_TEAM;
          query.subject = assay_team_get_id (team);
          card = read_card (store, &query, cancellable, error);
          if (card == NULL)
            return NULL;
          g_ptr_array_add (data->teams, card);
          report_progress (progress, progress_data, share * (0.2 + 0.6 * (i + 1) / teams->len));
        }
    }

  data->pareto = assay_store_kpi_root_cause_pareto_sync (store, data->from_day, data->to_day,
                                                         data->card->scope == ASSAY_KPI_SCOPE_TEAM
                                                         ? data->card->subject_id : NULL, error);
  if (data->pareto == NULL)
    return NULL;
  assay_kpi_callback_query_init (&cbq, data->from_day, data->to_day);
  cbq.team_id = data->card->scope == ASSAY_KPI_SCOPE_TEAM ? data->card->subject_id : NULL;
  cbq.max_rows = options->max_callbacks > 0 ? options->max_callbacks : 200;
  data->callbacks = assay_store_kpi_callbacks_sync (store, &cbq, error);
  if (data->callbacks == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  report_progress (progress, progress_data, share);
  return g_steal_pointer (&data);
}

/* ---- words ---- */

static const char *
line_label (AssayKpiLine line)
{
  switch (line)
    {
    case ASSAY_KPI_LINE_QA_SCORE: return C_("report", "QA score");
    case ASSAY_KPI_LINE_SCORE_WITHOUT_FATAL: return C_("report", "Score without fatal");
    case ASSAY_KPI_LINE_CRITICAL_SCORE: return C_("report", "Critical score");
    case ASSAY_KPI_LINE_CRITICAL_FAIL_RATE: return C_("report", "Critical-fail rate (%)");
    case ASSAY_KPI_LINE_CSAT: return C_("report", "CSAT (%)");
    case ASSAY_KPI_LINE_NPS: return C_("report", "NPS");
    case ASSAY_KPI_LINE_FCR: return C_("report", "FCR (%)");
    case ASSAY_KPI_LINE_AHT_PHONE: return C_("report", "AHT phone (s)");
    case ASSAY_KPI_LINE_AHT_CHAT: return C_("report", "AHT chat (s)");
    case ASSAY_KPI_LINE_AHT_EMAIL: return C_("report", "AHT email (s)");
    case ASSAY_KPI_LINE_AHT_TICKET: return C_("report", "AHT ticket (s)");
    case ASSAY_KPI_LINE_SERVICE_LEVEL: return C_("report", "Service level (%)");
    case ASSAY_KPI_LINE_FIRST_RESPONSE: return C_("report", "First response (s)");
    case ASSAY_KPI_LINE_SLA_ATTAINMENT: return C_("report", "SLA attainment (%)");
    case ASSAY_KPI_N_LINES:
    default: return "";
    }
}

static const char *
status_label (AssayKpiStatus status)
{
  switch (status)
    {
    case ASSAY_KPI_STATUS_NO_DATA: return C_("report", "no data");
    case ASSAY_KPI_STATUS_TOO_FEW: return C_("report", "too few to judge");
    case ASSAY_KPI_STATUS_NO_TARGET: return C_("report", "no target");
    case ASSAY_KPI_STATUS_ON_TARGET: return C_("report", "on target");
    case ASSAY_KPI_STATUS_WARNING: return C_("report", "warning");
    case ASSAY_KPI_STATUS_BREACH: return C_("report", "breach");
    default: return "";
    }
}

static const char *
category_label (const char *category)
{
  if (g_strcmp0 (category, "people") == 0)
    return C_("report", "People");
  if (g_strcmp0 (category, "process") == 0)
    return C_("report", "Process");
  if (g_strcmp0 (category, "technology") == 0)
    return C_("report", "Technology");
  if (g_strcmp0 (category, "resources") == 0)
    return C_("report", "Resources");
  if (g_strcmp0 (category, "environment") == 0)
    return C_("report", "Environment");
  return category != NULL ? category : "";
}

static const char *
callback_state_label (const char *state)
{
  if (g_strcmp0 (state, "called") == 0)
    return C_("report", "called");
  if (g_strcmp0 (state, "resolved") == 0)
    return C_("report", "resolved");
  if (g_strcmp0 (state, "unreachable") == 0)
    return C_("report", "not reachable");
  return C_("report", "to call");
}

/* one decimal, always with a point (the report's numbers are read back by scripts) */
static char *
number_text (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.1f", value == 0.0 ? 0.0 : value));
}

static char *
figure_value_text (const AssayKpiFigure *figure)
{
  return figure->estimate.known ? number_text (figure->estimate.value) : g_strdup ("–");
}

static char *
figure_ci_text (const AssayKpiFigure *figure)
{
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;

  if (!figure->estimate.known || !figure->estimate.has_ci)
    return g_strdup ("");
  lo = number_text (figure->estimate.ci_lo);
  hi = number_text (figure->estimate.ci_hi);
  return g_strdup_printf ("%s – %s", lo, hi);
}

static char *
time_text (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");
}

/* ---- drawing ---- */

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 48.0
#define BOTTOM (PAGE_H - MARGIN - 18.0)

typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  PangoLayout     *layout;
  double           y;
  int              page;
  char            *footer;
} Pdf;

typedef enum { ALIGN_LEFT, ALIGN_RIGHT } Align;

static void
set_rgb (cairo_t    *cr,
         guint32     rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

#define INK      0x241f31
#define DIM      0x5e5c64
#define RULE     0xc0bfbc
#define ACCENT   0x1c71d8
#define GOOD     0x26a269
#define WARN     0xc64600
#define BAD      0xc01c28

static guint32
status_colour (AssayKpiStatus status)
{
  switch (status)
    {
    case ASSAY_KPI_STATUS_ON_TARGET: return GOOD;
    case ASSAY_KPI_STATUS_WARNING: return WARN;
    case ASSAY_KPI_STATUS_BREACH: return BAD;
    default: return DIM;
    }
}

/* draws @text at (@x, @y) within @width; returns its height */
static double
draw_text_at (Pdf        *pdf,
              double      x,
              double      y,
              double      width,
              const char *text,
              const char *font,
              guint32     colour,
              Align       align)
{
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (pdf->layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (pdf->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (pdf->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (pdf->layout, align == ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                                : PANGO_ALIGN_LEFT);
  pango_layout_set_text (pdf->layout, text, -1);
  pango_layout_get_size (pdf->layout, &w, &h);
  set_rgb (pdf->cr, colour);
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, pdf->layout);
  cairo_new_path (pdf->cr);
  return (double) h / PANGO_SCALE;
}

static void
pdf_footer (Pdf *pdf)
{
  g_autofree char *page = g_strdup_printf (C_("report", "Page %d"), pdf->page);

  draw_text_at (pdf, MARGIN, PAGE_H - MARGIN, PAGE_W - 2 * MARGIN, pdf->footer, "Sans 7", DIM,
                ALIGN_LEFT);
  draw_text_at (pdf, MARGIN, PAGE_H - MARGIN, PAGE_W - 2 * MARGIN, page, "Sans 7", DIM,
                ALIGN_RIGHT);
}

static void
pdf_new_page (Pdf *pdf)
{
  pdf_footer (pdf);
  cairo_show_page (pdf->cr);
  pdf->page++;
  pdf->y = MARGIN;
}

static void
pdf_need (Pdf    *pdf,
          double  height)
{
  if (pdf->y + height > BOTTOM)
    pdf_new_page (pdf);
}

static void
pdf_paragraph (Pdf        *pdf,
               const char *text,
               const char *font,
               guint32     colour,
               double      space_after)
{
  pdf_need (pdf, 14);
  pdf->y += draw_text_at (pdf, MARGIN, pdf->y, PAGE_W - 2 * MARGIN, text, font, colour,
                          ALIGN_LEFT);
  pdf->y += space_after;
}

static void
pdf_heading (Pdf        *pdf,
             const char *text)
{
  pdf_need (pdf, 60);
  pdf->y += 6;
  pdf_paragraph (pdf, text, "Sans Bold 13", ACCENT, 6);
}

typedef struct {
  const char *title;
  double      width;
  Align       align;
} Column;

/* a table row: @cells (one per column), @colours (0: ink) */
static void
pdf_row (Pdf           *pdf,
         const Column  *columns,
         guint          n_columns,
         const char   **cells,
         const guint32 *colours,
         gboolean       header)
{
  double x = MARGIN, height = 0;

  pdf_need (pdf, 16);
  for (guint c = 0; c < n_columns; c++)
    {
      double h = draw_text_at (pdf, x, pdf->y, columns[c].width - 4, cells[c] != NULL ? cells[c] : "",
                               header ? "Sans Bold 7.5" : "Sans 7.5",
                               header ? DIM : (colours != NULL && colours[c] ? colours[c] : INK),
                               columns[c].align);
      height = MAX (height, h);
      x += columns[c].width;
    }
  pdf->y += height + 2;
  set_rgb (pdf->cr, RULE);
  cairo_set_line_width (pdf->cr, header ? 0.8 : 0.3);
  cairo_move_to (pdf->cr, MARGIN, pdf->y);
  cairo_line_to (pdf->cr, x, pdf->y);
  cairo_stroke (pdf->cr);
  pdf->y += 3;
}

static void
pdf_header_row (Pdf          *pdf,
                const Column *columns,
                guint         n_columns)
{
  const char *cells[16];

  g_assert (n_columns <= G_N_ELEMENTS (cells));
  for (guint c = 0; c < n_columns; c++)
    cells[c] = columns[c].title;
  pdf_row (pdf, columns, n_columns, cells, NULL, TRUE);
}

/* the scorecard table: KPI, value, n, interval, target, warning, status[, team][, centre] */
static void
pdf_scorecard (Pdf                     *pdf,
               const AssayKpiScorecard *card,
               gboolean                 with_team,
               gboolean                 with_centre)
{
  Column columns[9] = {
    { C_("report", "KPI"), 100, ALIGN_LEFT },
    { C_("report", "Value"), 46, ALIGN_RIGHT },
    { C_("report", "n"), 38, ALIGN_RIGHT },
    /* xgettext:no-c-format */
    { C_("report", "95 % interval"), 84, ALIGN_RIGHT },
    { C_("report", "Target"), 40, ALIGN_RIGHT },
    { C_("report", "Warning"), 44, ALIGN_RIGHT },
    { C_("report", "Status"), 60, ALIGN_LEFT },
  };
  guint n = 7;

  if (with_team)
    columns[n++] = (Column) { C_("report", "Team"), 42, ALIGN_RIGHT };
  if (with_centre)
    columns[n++] = (Column) { C_("report", "Centre"), 42, ALIGN_RIGHT };
  pdf_header_row (pdf, columns, n);
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      const AssayKpiFigure *f = &card->figures[line];
      g_autofree char *value = figure_value_text (f);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, f->estimate.n);
      g_autofree char *ci = figure_ci_text (f);
      g_autofree char *target = f->has_target ? number_text (f->target) : g_strdup ("");
      g_autofree char *warning = f->has_target ? number_text (f->warning) : g_strdup ("");
      g_autofree char *team = card->has_team ? figure_value_text (&card->team[line])
                                             : g_strdup ("");
      g_autofree char *centre = figure_value_text (&card->centre[line]);
      const char *cells[9] = { line_label (line), value, count, ci, target, warning,
                               status_label (f->status) };
      guint32 colours[9] = { 0, 0, 0, DIM, DIM, DIM, status_colour (f->status), DIM, DIM };
      guint c = 7;

      if (f->status == ASSAY_KPI_STATUS_TOO_FEW)
        colours[1] = DIM;
      if (with_team)
        cells[c++] = team;
      if (with_centre)
        cells[c++] = centre;
      pdf_row (pdf, columns, n, cells, colours, FALSE);
    }
}

/* a line chart of one KPI's weekly trend, with the target as a dashed rule */
static void
pdf_trend_chart (Pdf                     *pdf,
                 const AssayKpiScorecard *card,
                 AssayKpiLine             line)
{
  const double height = 120, left = MARGIN + 30, right = PAGE_W - MARGIN - 10;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, top, bottom;
  AssayChartTicks ticks;
  AssayChartScale ys, xs;
  gboolean started = FALSE;
  guint n = card->weeks->len;

  for (guint i = 0; i < n; i++)
    {
      const AssayKpiWeek *w = &g_array_index (card->weeks, AssayKpiWeek, i);

      if (w->figures[line].estimate.known)
        {
          lo = MIN (lo, w->figures[line].estimate.value);
          hi = MAX (hi, w->figures[line].estimate.value);
        }
    }
  if (card->figures[line].has_target)
    {
      lo = MIN (lo, card->figures[line].warning);
      hi = MAX (hi, card->figures[line].target);
    }
  if (lo > hi)
    return;
  pdf_need (pdf, height + 30);
  pdf_paragraph (pdf, line_label (line), "Sans Bold 8", INK, 4);
  top = pdf->y;
  bottom = pdf->y + height;
  assay_chart_nice_ticks (lo, hi, 5, &ticks);
  ys = (AssayChartScale) { ticks.lo, ticks.hi, bottom, top };
  xs = (AssayChartScale) { 0, MAX (n, 2) - 1, left + 10, right - 10 };

  cairo_set_line_width (pdf->cr, 0.3);
  for (guint t = 0; t < ticks.n; t++)
    {
      double v = assay_chart_tick_value (&ticks, t);
      double y = assay_chart_scale_map (&ys, v);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *fmt = g_strdup_printf ("%%.%uf", ticks.decimals);

      set_rgb (pdf->cr, RULE);
      cairo_move_to (pdf->cr, left, y);
      cairo_line_to (pdf->cr, right, y);
      cairo_stroke (pdf->cr);
      draw_text_at (pdf, MARGIN - 10, y - 5, 36, g_ascii_formatd (buf, sizeof buf, fmt, v),
                    "Sans 6", DIM, ALIGN_RIGHT);
    }
  if (card->figures[line].has_target)
    {
      double y = assay_chart_scale_map (&ys, card->figures[line].target);
      const double dash[] = { 3, 2 };

      set_rgb (pdf->cr, GOOD);
      cairo_set_dash (pdf->cr, dash, 2, 0);
      cairo_set_line_width (pdf->cr, 0.8);
      cairo_move_to (pdf->cr, left, y);
      cairo_line_to (pdf->cr, right, y);
      cairo_stroke (pdf->cr);
      cairo_set_dash (pdf->cr, NULL, 0, 0);
    }
  set_rgb (pdf->cr, ACCENT);
  cairo_new_path (pdf->cr);
  cairo_set_line_width (pdf->cr, 1.5);
  for (guint i = 0; i < n; i++)
    {
      const AssayKpiWeek *w = &g_array_index (card->weeks, AssayKpiWeek, i);
      double x = assay_chart_scale_map (&xs, i);

      if (!w->figures[line].estimate.known)
        {
          started = FALSE;
          continue;
        }
      if (started)
        cairo_line_to (pdf->cr, x, assay_chart_scale_map (&ys, w->figures[line].estimate.value));
      else
        cairo_move_to (pdf->cr, x, assay_chart_scale_map (&ys, w->figures[line].estimate.value));
      started = TRUE;
    }
  cairo_stroke (pdf->cr);
  for (guint i = 0; i < n; i++)
    {
      const AssayKpiWeek *w = &g_array_index (card->weeks, AssayKpiWeek, i);
      double x = assay_chart_scale_map (&xs, i);
      g_autofree char *day = assay_kpi_day_format (w->from_day);

      if (w->figures[line].estimate.known)
        {
          set_rgb (pdf->cr, ACCENT);
          cairo_new_sub_path (pdf->cr);
          cairo_arc (pdf->cr, x, assay_chart_scale_map (&ys, w->figures[line].estimate.value), 2.2,
                     0, 2 * G_PI);
          cairo_fill (pdf->cr);
        }
      draw_text_at (pdf, x - 30, bottom + 3, 60, day + 5, "Sans 6", DIM, ALIGN_LEFT);
    }
  pdf->y = bottom + 18;
}

static void
pdf_weeks (Pdf                     *pdf,
           const AssayKpiScorecard *card)
{
  static const AssayKpiLine lines[] = {
    ASSAY_KPI_LINE_QA_SCORE, ASSAY_KPI_LINE_CRITICAL_FAIL_RATE, ASSAY_KPI_LINE_CSAT,
    ASSAY_KPI_LINE_NPS, ASSAY_KPI_LINE_FCR, ASSAY_KPI_LINE_SERVICE_LEVEL,
  };
  Column columns[1 + G_N_ELEMENTS (lines)] = { { C_("report", "Week"), 90, ALIGN_LEFT } };

  for (guint l = 0; l < G_N_ELEMENTS (lines); l++)
    columns[l + 1] = (Column) { line_label (lines[l]), 68, ALIGN_RIGHT };
  pdf_header_row (pdf, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < card->weeks->len; i++)
    {
      const AssayKpiWeek *w = &g_array_index (card->weeks, AssayKpiWeek, i);
      g_autofree char *from = assay_kpi_day_format (w->from_day);
      g_autofree char *to = assay_kpi_day_format (w->to_day);
      g_autofree char *week = g_strdup_printf ("%s – %s", from + 5, to + 5);
      char *values[G_N_ELEMENTS (lines)];
      const char *cells[1 + G_N_ELEMENTS (lines)] = { week };
      guint32 colours[1 + G_N_ELEMENTS (lines)] = { 0 };

      for (guint l = 0; l < G_N_ELEMENTS (lines); l++)
        {
          const AssayKpiFigure *f = &w->figures[lines[l]];

          values[l] = figure_value_text (f);
          cells[l + 1] = values[l];
          colours[l + 1] = f->status == ASSAY_KPI_STATUS_TOO_FEW ? DIM
                           : f->status >= ASSAY_KPI_STATUS_ON_TARGET ? status_colour (f->status)
                           : INK;
        }
      pdf_row (pdf, columns, G_N_ELEMENTS (columns), cells, colours, FALSE);
      for (guint l = 0; l < G_N_ELEMENTS (lines); l++)
        g_free (values[l]);
    }
}

/* improvement points: the figures past their warning value or short of target, then causes */
static void
pdf_improvements (Pdf              *pdf,
                  const ReportData *data)
{
  gboolean any = FALSE;
  double *values;
  AssayChartParetoItem *items;
  Column columns[] = {
    { C_("report", "Category"), 80, ALIGN_LEFT },
    { C_("report", "Sub-cause"), 140, ALIGN_LEFT },
    { C_("report", "Tags"), 50, ALIGN_RIGHT },
    { C_("report", "Lost points"), 70, ALIGN_RIGHT },
    { C_("report", "Complaints"), 70, ALIGN_RIGHT },
    { C_("report", "Cumulative %"), 70, ALIGN_RIGHT },
  };

  for (int pass = ASSAY_KPI_STATUS_BREACH; pass >= ASSAY_KPI_STATUS_WARNING; pass--)
    for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
      {
        const AssayKpiFigure *f = &data->card->figures[line];
        g_autofree char *value = NULL;
        g_autofree char *target = NULL;
        g_autofree char *text = NULL;

        if ((int) f->status != pass)
          continue;
        value = figure_value_text (f);
        target = number_text (f->target);
        /* Translators: "QA score: 71.2 against a target of 80.0 (breach)" */
        text = g_strdup_printf (C_("report", "%s: %s against a target of %s (%s)"),
                                line_label (line), value, target, status_label (f->status));
        pdf_paragraph (pdf, text, "Sans 8.5", status_colour (f->status), 2);
        any = TRUE;
      }
  if (!any)
    pdf_paragraph (pdf, C_("report", "Every figure with a target is on target, or rests on too few contacts to judge."),
                   "Sans 8.5", INK, 2);
  pdf->y += 8;
  pdf_paragraph (pdf, C_("report", "Root causes, by lost points (Pareto)"), "Sans Bold 9", INK, 4);
  if (data->pareto->len == 0)
    {
      pdf_paragraph (pdf, C_("report", "No evaluation, callback or breach of this month carries a root cause."),
                     "Sans 8.5", DIM, 2);
      return;
    }
  values = g_new0 (double, data->pareto->len);
  items = g_new0 (AssayChartParetoItem, data->pareto->len);
  for (guint i = 0; i < data->pareto->len; i++)
    {
      const AssayKpiRootCause *c = g_ptr_array_index (data->pareto, i);

      values[i] = c->lost_points > 0 ? c->lost_points : (double) c->n_tags;
    }
  assay_chart_pareto (values, data->pareto->len, items);
  pdf_header_row (pdf, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < data->pareto->len; i++)
    {
      const AssayKpiRootCause *c = g_ptr_array_index (data->pareto, items[i].index);
      g_autofree char *tags = g_strdup_printf ("%" G_GINT64_FORMAT, c->n_tags);
      g_autofree char *lost = number_text (c->lost_points);
      g_autofree char *complaints = g_strdup_printf ("%" G_GINT64_FORMAT, c->n_complaints);
      g_autofree char *cumulative = number_text (items[i].cumulative);
      const char *cells[] = { category_label (c->category), c->sub_cause, tags, lost, complaints,
                              cumulative };

      pdf_row (pdf, columns, G_N_ELEMENTS (columns), cells, NULL, FALSE);
    }
  g_free (values);
  g_free (items);
}

static void
pdf_callbacks (Pdf              *pdf,
               const ReportData *data)
{
  Column columns[] = {
    { C_("report", "Contact started"), 78, ALIGN_LEFT },
    { C_("report", "Agent"), 90, ALIGN_LEFT },
    { C_("report", "Channel"), 44, ALIGN_LEFT },
    { C_("report", "CSAT"), 32, ALIGN_RIGHT },
    { C_("report", "NPS"), 32, ALIGN_RIGHT },
    { C_("report", "State"), 58, ALIGN_LEFT },
    { C_("report", "Owner"), 70, ALIGN_LEFT },
    { C_("report", "Note"), 95, ALIGN_LEFT },
  };

  if (data->callbacks->len == 0)
    {
      pdf_paragraph (pdf, C_("report", "No contact of this month has a low score."), "Sans 8.5", DIM, 2);
      return;
    }
  pdf_header_row (pdf, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < data->callbacks->len; i++)
    {
      const AssayKpiCallback *cb = g_ptr_array_index (data->callbacks, i);
      g_autofree char *started = time_text (cb->started_at);
      g_autofree char *csat = cb->csat >= 0 ? g_strdup_printf ("%d", cb->csat) : g_strdup ("");
      g_autofree char *nps = cb->nps >= 0 ? g_strdup_printf ("%d", cb->nps) : g_strdup ("");
      g_autofree char *state = cb->overdue
        ? g_strdup_printf (C_("report", "%s, overdue"), callback_state_label (cb->state))
        : g_strdup (callback_state_label (cb->state));
      const char *cells[] = { started, cb->agent_name, cb->channel, csat, nps, state,
                              cb->owner_name, cb->note };
      guint32 colours[G_N_ELEMENTS (cells)] = { 0 };

      colours[5] = cb->overdue ? BAD : 0;
      pdf_row (pdf, columns, G_N_ELEMENTS (columns), cells, colours, FALSE);
    }
}

static const char *
month_name (int month)
{
  static const char *const names[] = {
    NC_("report", "January"), NC_("report", "February"), NC_("report", "March"),
    NC_("report", "April"), NC_("report", "May"), NC_("report", "June"), NC_("report", "July"),
    NC_("report", "August"), NC_("report", "September"), NC_("report", "October"),
    NC_("report", "November"), NC_("report", "December"),
  };

  return g_dpgettext2 (GETTEXT_PACKAGE, "report", names[month - 1]);
}

static gboolean
render (const ReportData     *data,
        const char           *path,
        AssayReportProgress   progress,
        gpointer              progress_data,
        GCancellable         *cancellable,
        GError              **error)
{
  Pdf pdf = { 0 };
  const AssayKpiScorecard *card = data->card;
  g_autofree char *title = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *from = assay_kpi_day_format (data->from_day);
  g_autofree char *to = assay_kpi_day_format (data->to_day);
  g_autofree char *period = NULL;
  g_autofree char *min_n = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *made = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *made_text = NULL;
  g_autofree char *month = NULL;
  cairo_status_t status;

  /* Translators: the month of the report, "%2$s %1$d" is e.g. "November 2026" */
  month = g_strdup_printf (C_("report", "%2$s %1$d"), data->year, month_name (data->month));
  title = g_strdup_printf (C_("report", "Monthly QC report, %s"), month);
  scope = card->scope == ASSAY_KPI_SCOPE_TEAM
          ? g_strdup_printf (C_("report", "Team %s"), card->subject_name)
          : g_strdup (C_("report", "The whole centre"));
  period = g_strdup_printf (C_("report", "Contacts started %s to %s (local days)"), from, to);
  min_n = g_strdup_printf (C_("report", "Figures resting on fewer than %d answers or evaluations say \"too few to judge\"."), (int) MIN (data->min_n, G_MAXINT));
  made_text = g_strdup_printf (C_("report", "Made by Assay on %s"), made);

  pdf.surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_CREATOR, "Assay");
  pdf.cr = cairo_create (pdf.surface);
  pdf.layout = pango_cairo_create_layout (pdf.cr);
  pdf.page = 1;
  pdf.y = MARGIN;
  pdf.footer = g_strdup_printf ("%s · %s", title, scope);

  /* cover */
  pdf.y = 220;
  pdf_paragraph (&pdf, C_("report", "Monthly QC report"), "Sans Bold 26", INK, 10);
  pdf_paragraph (&pdf, month, "Sans 18", ACCENT, 24);
  pdf_paragraph (&pdf, scope, "Sans Bold 13", INK, 6);
  pdf_paragraph (&pdf, period, "Sans 10", DIM, 4);
  pdf_paragraph (&pdf, made_text, "Sans 10", DIM, 30);
  pdf_paragraph (&pdf, min_n, "Sans 9", DIM, 4);
  pdf_paragraph (&pdf, C_("report", "Status words: on target; warning (short of the target, not past the warning value); breach (past the warning value)."),
                 "Sans 9", DIM, 4);
  pdf_new_page (&pdf);

  /* headline figures */
  pdf_heading (&pdf, C_("report", "Headline figures against targets"));
  pdf_paragraph (&pdf, scope, "Sans 9", DIM, 6);
  pdf_scorecard (&pdf, card, card->has_team && card->scope != ASSAY_KPI_SCOPE_TEAM,
                 card->scope != ASSAY_KPI_SCOPE_CENTRE);

  /* trends */
  pdf_heading (&pdf, C_("report", "Weekly trend"));
  pdf_weeks (&pdf, card);
  pdf.y += 10;
  pdf_trend_chart (&pdf, card, ASSAY_KPI_LINE_QA_SCORE);
  pdf_trend_chart (&pdf, card, ASSAY_KPI_LINE_CSAT);
  if (g_cancellable_is_cancelled (cancellable))
    goto done;
  report_progress (progress, progress_data, 0.75);

  /* a page per team */
  for (guint i = 0; i < data->teams->len; i++)
    {
      const AssayKpiScorecard *team = g_ptr_array_index (data->teams, i);
      g_autofree char *heading = g_strdup_printf (C_("report", "Team %s"), team->subject_name);

      pdf_new_page (&pdf);
      pdf_heading (&pdf, heading);
      pdf_scorecard (&pdf, team, FALSE, TRUE);
      pdf.y += 10;
      pdf_trend_chart (&pdf, team, ASSAY_KPI_LINE_QA_SCORE);
      if (g_cancellable_is_cancelled (cancellable))
        goto done;
    }
  report_progress (progress, progress_data, 0.85);

  pdf_new_page (&pdf);
  pdf_heading (&pdf, C_("report", "Improvement points"));
  pdf_improvements (&pdf, data);

  pdf_heading (&pdf, C_("report", "Low-score callbacks"));
  pdf_callbacks (&pdf, data);
  pdf_footer (&pdf);

done:
  g_object_unref (pdf.layout);
  cairo_destroy (pdf.cr);
  cairo_surface_finish (pdf.surface);
  status = cairo_surface_status (pdf.surface);
  cairo_surface_destroy (pdf.surface);
  g_free (pdf.footer);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   C_("report", "Could not write the report to %s (%s); choose a folder you can write to"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
assay_report_write_pdf_sync (AssayStore                *store,
                             const AssayReportOptions  *options,
                             const char                *path,
                             AssayReportProgress        progress,
                             gpointer                   progress_data,
                             GCancellable              *cancellable,
                             GError                   **error)
{
  g_autoptr(ReportData) data = NULL;
  g_autofree char *part = NULL;

  g_return_val_if_fail (options != NULL && path != NULL, FALSE);
  data = report_data_read (store, options, progress, progress_data, 0.6, cancellable, error);
  if (data == NULL)
    return FALSE;
  part = g_strconcat (path, ".part", NULL);
  if (!render (data, part, progress, progress_data, cancellable, error))
    {
      g_unlink (part);
      return FALSE;
    }
  if (g_rename (part, path) != 0)
    {
      int saved = errno;

      g_unlink (part);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   C_("report", "Could not write the report to %s (%s); choose a folder you can write to"),
                   path, g_strerror (saved));
      return FALSE;
    }
  report_progress (progress, progress_data, 1.0);
  return TRUE;
}

/* ---- CSV ---- */

static void
csv_cell (GString    *out,
          const char *text,
          gboolean    last)
{
  text = text != NULL ? text : "";
  if (strpbrk (text, ",\"\n\r") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append (out, last ? "\n" : ",");
}

static void
csv_number (GString *out,
            gboolean known,
            double   value,
            gboolean last)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  csv_cell (out, known ? g_ascii_formatd (buf, sizeof buf, "%.4f", value) : "", last);
}

static void
csv_figure (GString              *out,
            const AssayKpiFigure *f)
{
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, f->estimate.n);

  csv_number (out, f->estimate.known, f->estimate.value, FALSE);
  csv_cell (out, n, FALSE);
  csv_number (out, f->estimate.known && f->estimate.has_ci, f->estimate.ci_lo, FALSE);
  csv_number (out, f->estimate.known && f->estimate.has_ci, f->estimate.ci_hi, FALSE);
  csv_number (out, f->has_target, f->target, FALSE);
  csv_number (out, f->has_target, f->warning, FALSE);
  csv_cell (out, assay_kpi_status_key (f->status), TRUE);
}

static const char figure_header[] = "value,n,ci95_lo,ci95_hi,target,warning,status\n";

static void
csv_card (GString                 *out,
          const AssayKpiScorecard *card)
{
  for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
    {
      csv_cell (out, card->scope == ASSAY_KPI_SCOPE_CENTRE ? "centre" : card->subject_name, FALSE);
      csv_cell (out, assay_kpi_line_key (line), FALSE);
      csv_figure (out, &card->figures[line]);
    }
}

static gboolean
csv_write (const char  *dir,
           const char  *name,
           GString     *text,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents (path, text->str, (gssize) text->len, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   C_("report", "Could not write %s (%s); choose a folder you can write to"), path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
assay_report_write_csv_sync (AssayStore                *store,
                             const AssayReportOptions  *options,
                             const char                *dir,
                             GCancellable              *cancellable,
                             GError                   **error)
{
  g_autoptr(ReportData) data = NULL;
  g_autoptr(GString) kpis = g_string_new ("scope,line,");
  g_autoptr(GString) weeks = g_string_new ("from,to,line,");
  g_autoptr(GString) teams = g_string_new ("team,line,");
  g_autoptr(GString) causes = g_string_new ("category,sub_cause,tags,complaints,lost_points\n");
  g_autoptr(GString) callbacks = g_string_new (
    "interaction_id,started,agent,team_id,channel,csat,nps,reason,state,overdue,owner,note\n");

  g_return_val_if_fail (options != NULL && dir != NULL, FALSE);
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   C_("report", "Could not make the folder %s (%s); choose a folder you can write to"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  data = report_data_read (store, options, NULL, NULL, 1.0, cancellable, error);
  if (data == NULL)
    return FALSE;

  g_string_append (kpis, figure_header);
  csv_card (kpis, data->card);

  g_string_append (weeks, figure_header);
  for (guint i = 0; i < data->card->weeks->len; i++)
    {
      const AssayKpiWeek *w = &g_array_index (data->card->weeks, AssayKpiWeek, i);
      g_autofree char *from = assay_kpi_day_format (w->from_day);
      g_autofree char *to = assay_kpi_day_format (w->to_day);

      for (int line = 0; line < ASSAY_KPI_N_LINES; line++)
        {
          csv_cell (weeks, from, FALSE);
          csv_cell (weeks, to, FALSE);
          csv_cell (weeks, assay_kpi_line_key (line), FALSE);
          csv_figure (weeks, &w->figures[line]);
        }
    }

  g_string_append (teams, figure_header);
  for (guint i = 0; i < data->teams->len; i++)
    csv_card (teams, g_ptr_array_index (data->teams, i));
  if (data->card->scope == ASSAY_KPI_SCOPE_TEAM)
    csv_card (teams, data->card);

  for (guint i = 0; i < data->pareto->len; i++)
    {
      const AssayKpiRootCause *c = g_ptr_array_index (data->pareto, i);
      g_autofree char *tags = g_strdup_printf ("%" G_GINT64_FORMAT, c->n_tags);
      g_autofree char *complaints = g_strdup_printf ("%" G_GINT64_FORMAT, c->n_complaints);

      csv_cell (causes, c->category, FALSE);
      csv_cell (causes, c->sub_cause, FALSE);
      csv_cell (causes, tags, FALSE);
      csv_cell (causes, complaints, FALSE);
      csv_number (causes, TRUE, c->lost_points, TRUE);
    }

  for (guint i = 0; i < data->callbacks->len; i++)
    {
      const AssayKpiCallback *cb = g_ptr_array_index (data->callbacks, i);
      g_autofree char *started = time_text (cb->started_at);
      g_autofree char *csat = cb->csat >= 0 ? g_strdup_printf ("%d", cb->csat) : g_strdup ("");
      g_autofree char *nps = cb->nps >= 0 ? g_strdup_printf ("%d", cb->nps) : g_strdup ("");

      csv_cell (callbacks, cb->interaction_id, FALSE);
      csv_cell (callbacks, started, FALSE);
      csv_cell (callbacks, cb->agent_name, FALSE);
      csv_cell (callbacks, cb->team_id, FALSE);
      csv_cell (callbacks, cb->channel, FALSE);
      csv_cell (callbacks, csat, FALSE);
      csv_cell (callbacks, nps, FALSE);
      csv_cell (callbacks, cb->reason, FALSE);
      csv_cell (callbacks, cb->state, FALSE);
      csv_cell (callbacks, cb->overdue ? "yes" : "no", FALSE);
      csv_cell (callbacks, cb->owner_name, FALSE);
      csv_cell (callbacks, cb->note, TRUE);
    }

  return csv_write (dir, "kpis.csv", kpis, error)
         && csv_write (dir, "weeks.csv", weeks, error)
         && csv_write (dir, "teams.csv", teams, error)
         && csv_write (dir, "root-causes.csv", causes, error)
         && csv_write (dir, "callbacks.csv", callbacks, error);
}

/* ---- in a thread ---- */

typedef struct {
  AssayReportOptions  options;
  char               *team;
  char               *path;
  AssayReportProgress progress;
  gpointer            progress_data;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->team);
  g_free (data->path);
  g_free (data);
}

static void
write_pdf_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (assay_report_write_pdf_sync (source, &data->options, data->path, data->progress,
                                   data->progress_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
assay_report_write_pdf_async (AssayStore                *store,
                              const AssayReportOptions  *options,
                              const char                *path,
                              AssayReportProgress        progress,
                              gpointer                   progress_data,
                              GCancellable              *cancellable,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  data->options = *options;
  data->team = g_strdup (options->team);
  data->options.team = data->team;
  data->path = g_strdup (path);
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_source_tag (task, assay_report_write_pdf_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, write_pdf_thread);
}

gboolean
assay_report_write_pdf_finish (AssayStore    *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
