/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-chart.h"
#include "core/assay-chart-math.h"

#define AXIS_W      48.0
#define LABEL_H     20.0
#define TOP_PAD     10.0
#define RIGHT_PAD   10.0
#define PARETO_AXIS 40.0
#define ROW_H       26.0

struct _AssayChart
{
  GtkWidget       parent_instance;

  AssayChartKind  kind;
  AssayChartUnit  unit;
  char           *title;
  guint           n;
  char          **labels;
  double         *values;
  double         *lo;
  double         *hi;
  double         *comparison;
  char           *comparison_label;
  double          target;
  double          range_min;
  double          range_max;
  int             selected;
  char           *summary;

  /* Pareto order: the index of the category drawn at each place */
  AssayChartParetoItem *pareto;

  GdkRGBA         accent;
  GdkRGBA         fg;
  GdkRGBA         warning;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_SELECTED,
  N_PROPS
};

enum {
  ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayChart, assay_chart, GTK_TYPE_WIDGET)

/* ---- text ---- */

static char *
format_value (AssayChart *self,
              double      v)
{
  if (!isfinite (v))
    return g_strdup (C_("chart value", "no data"));
  switch (self->unit)
    {
    case ASSAY_CHART_UNIT_PERCENT:
      /* Translators: a percentage in a chart; keep %.1f and the escaped %% */
      return g_strdup_printf (C_("chart value", "%.1f %%"), v);
    case ASSAY_CHART_UNIT_SECONDS:
      {
        gint64 s = (gint64) llround (v);

        if (ABS (s) >= 3600)
          return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600,
                                  (int) (ABS (s) / 60 % 60), (int) (ABS (s) % 60));
        return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", s / 60, (int) (ABS (s) % 60));
      }
    case ASSAY_CHART_UNIT_NUMBER:
    default:
      return fabs (v - round (v)) < 1e-9 ? g_strdup_printf ("%.0f", v)
                                         : g_strdup_printf ("%.1f", v);
    }
}

static char *
format_tick (AssayChart            *self,
             const AssayChartTicks *ticks,
             double                 v)
{
  if (self->unit == ASSAY_CHART_UNIT_SECONDS)
    return format_value (self, v);
  return g_strdup_printf ("%.*f", (int) ticks->decimals, v);
}

char *
assay_chart_describe (AssayChart *self,
                      guint       i)
{
  g_autofree char *value = NULL;
  GString *text;

  g_return_val_if_fail (ASSAY_IS_CHART (self), NULL);
  g_return_val_if_fail (i < self->n, NULL);

  value = format_value (self, self->values[i]);
  text = g_string_new (NULL);
  g_string_append_printf (text, "%s: %s", self->labels[i], value);
  if (self->lo != NULL && self->hi != NULL && isfinite (self->lo[i]) && isfinite (self->hi[i]))
    {
      g_autofree char *lo = format_value (self, self->lo[i]);
      g_autofree char *hi = format_value (self, self->hi[i]);

      /* Translators: a 95 % confidence interval after a value in a chart */
      g_string_append_printf (text, _(" (95 %% interval %s – %s)"), lo, hi);
    }
  if (self->comparison != NULL && isfinite (self->comparison[i]))
    {
      g_autofree char *cmp = format_value (self, self->comparison[i]);

      g_string_append_printf (text, "; %s %s",
                              self->comparison_label ? self->comparison_label : "", cmp);
    }
  if (self->kind == ASSAY_CHART_PARETO && self->pareto != NULL)
    for (guint k = 0; k < self->n; k++)
      if (self->pareto[k].index == i)
        /* Translators: the cumulative share in a Pareto chart */
        g_string_append_printf (text, _("; %.0f %% of the total with the larger ones"),
                                self->pareto[k].cumulative);
  return g_string_free (text, FALSE);
}

static void
update_summary (AssayChart *self)
{
  GString *text = g_string_new (self->title ? self->title : "");

  if (self->n == 0)
    g_string_append_printf (text, text->len ? ": %s" : "%s", _("no data"));
  for (guint k = 0; k < self->n; k++)
    {
      guint i = self->kind == ASSAY_CHART_PARETO && self->pareto ? self->pareto[k].index : k;
      g_autofree char *line = assay_chart_describe (self, i);

      g_string_append (text, k == 0 && text->len ? ". " : k > 0 ? ". " : "");
      g_string_append (text, line);
    }
  g_free (self->summary);
  self->summary = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title ? self->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
}

/* ---- geometry ---- */

typedef struct {
  double          x0, y0, w, h;     /* the plot area */
  AssayChartScale scale;            /* values: vertical, or horizontal for intervals */
  AssayChartTicks ticks;
  AssayChartBand *bands;            /* by place (Pareto: by rank) */
} Geometry;

static guint
index_at_place (AssayChart *self,
                guint       place)
{
  return self->kind == ASSAY_CHART_PARETO && self->pareto ? self->pareto[place].index : place;
}

static void
compute_geometry (AssayChart *self,
                  double      width,
                  double      height,
                  Geometry   *g)
{
  double min = INFINITY, max = -INFINITY;

  if (isfinite (self->range_min) && isfinite (self->range_max))
    {
      min = self->range_min;
      max = self->range_max;
    }
  else
    {
      assay_chart_data_range (self->values, self->n, &min, &max);
      assay_chart_data_range (self->lo, self->lo ? self->n : 0, &min, &max);
      assay_chart_data_range (self->hi, self->hi ? self->n : 0, &min, &max);
      assay_chart_data_range (self->comparison, self->comparison ? self->n : 0, &min, &max);
      if (isfinite (self->target))
        assay_chart_data_range (&self->target, 1, &min, &max);
      if (self->kind != ASSAY_CHART_LINE && self->kind != ASSAY_CHART_INTERVALS && min > 0)
        min = 0;   /* bars start at zero */
      if (min > max)
        min = 0, max = 1;
    }
  assay_chart_nice_ticks (min, max, self->kind == ASSAY_CHART_INTERVALS ? 6 : 5, &g->ticks);

  g->bands = g_new0 (AssayChartBand, MAX (self->n, 1));
  if (self->kind == ASSAY_CHART_INTERVALS)
    {
      double label_w = MIN (180.0, width * 0.35);

      g->x0 = label_w;
      g->y0 = TOP_PAD;
      g->w = MAX (1.0, width - label_w - RIGHT_PAD - 10);
      g->h = MAX (1.0, height - TOP_PAD - LABEL_H);
      g->scale = (AssayChartScale) { g->ticks.lo, g->ticks.hi, g->x0, g->x0 + g->w };
      assay_chart_band_layout (self->n, g->y0, g->h, 0.3, g->bands);
    }
  else
    {
      double right = self->kind == ASSAY_CHART_PARETO ? PARETO_AXIS : RIGHT_PAD;

      g->x0 = AXIS_W;
      g->y0 = TOP_PAD;
      g->w = MAX (1.0, width - AXIS_W - right);
      g->h = MAX (1.0, height - TOP_PAD - LABEL_H);
      g->scale = (AssayChartScale) { g->ticks.lo, g->ticks.hi, g->y0 + g->h, g->y0 };
      assay_chart_band_layout (self->n, g->x0, g->w,
                               self->kind == ASSAY_CHART_HISTOGRAM ? 0.06 : 0.35, g->bands);
    }
}

/* ---- drawing ---- */

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
show_text (AssayChart  *self,
           cairo_t     *cr,
           const char  *text,
           double       x,
           double       y,
           double       max_w,
           double       xalign,
           double       yalign,
           double       alpha)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;

  if (max_w > 0)
    {
      pango_layout_set_width (layout, (int) (max_w * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  set_color (cr, &self->fg, alpha);
  cairo_move_to (cr, x - w * xalign, y - h * yalign);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_value_axis (AssayChart *self,
                 cairo_t    *cr,
                 Geometry   *g)
{
  for (guint t = 0; t < g->ticks.n; t++)
    {
      double v = assay_chart_tick_value (&g->ticks, t);
      double p = round (assay_chart_scale_map (&g->scale, v)) + 0.5;
      g_autofree char *label = format_tick (self, &g->ticks, v);

      set_color (cr, &self->fg, 0.12);
      cairo_set_line_width (cr, 1);
      if (self->kind == ASSAY_CHART_INTERVALS)
        {
          cairo_move_to (cr, p, g->y0);
          cairo_line_to (cr, p, g->y0 + g->h);
          cairo_stroke (cr);
          show_text (self, cr, label, p, g->y0 + g->h + 2, 0, 0.5, 0, 0.6);
        }
      else
        {
          cairo_move_to (cr, g->x0, p);
          cairo_line_to (cr, g->x0 + g->w, p);
          cairo_stroke (cr);
          show_text (self, cr, label, g->x0 - 6, p, AXIS_W - 8, 1, 0.5, 0.6);
        }
    }
}

static void
draw_target (AssayChart *self,
             cairo_t    *cr,
             Geometry   *g)
{
  const double dash[] = { 5, 3 };
  double p;

  if (!isfinite (self->target))
    return;
  p = assay_chart_scale_map (&g->scale, self->target);
  set_color (cr, &self->warning, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dash, 2, 0);
  if (self->kind == ASSAY_CHART_INTERVALS)
    {
      cairo_move_to (cr, p, g->y0);
      cairo_line_to (cr, p, g->y0 + g->h);
    }
  else
    {
      cairo_move_to (cr, g->x0, p);
      cairo_line_to (cr, g->x0 + g->w, p);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
draw_category_labels (AssayChart *self,
                      cairo_t    *cr,
                      Geometry   *g)
{
  /* labels under the bars, thinned out when they would collide */
  double slot = self->n > 0 ? g->w / self->n : g->w;
  guint every = slot >= 48 ? 1 : (guint) ceil (48 / MAX (slot, 1));

  for (guint k = 0; k < self->n; k += every)
    {
      guint i = index_at_place (self, k);

      show_text (self, cr, self->labels[i], g->bands[k].x + g->bands[k].width / 2,
                 g->y0 + g->h + 2, slot * every - 2, 0.5, 0, k == (guint) self->selected ? 1 : 0.7);
    }
}

static void
draw_line (AssayChart   *self,
           cairo_t      *cr,
           Geometry     *g,
           const double *values,
           const GdkRGBA *color,
           double        alpha,
           double        width)
{
  g_autofree double *xs = g_new (double, self->n);
  g_autofree double *ys = g_new (double, self->n);
  gboolean down = FALSE;

  assay_chart_line_points (g->bands, values, self->n, &g->scale, xs, ys);
  set_color (cr, color, alpha);
  cairo_set_line_width (cr, width);
  for (guint i = 0; i < self->n; i++)
    {
      if (isnan (ys[i]))
        {
          down = FALSE;
          continue;
        }
      if (down)
        cairo_line_to (cr, xs[i], ys[i]);
      else
        cairo_move_to (cr, xs[i], ys[i]);
      down = TRUE;
    }
  cairo_stroke (cr);
  for (guint i = 0; i < self->n; i++)
    if (!isnan (ys[i]))
      {
        cairo_arc (cr, xs[i], ys[i], (int) i == self->selected ? 5 : 3, 0, 2 * G_PI);
        cairo_fill (cr);
      }
}

static void
draw_bars (AssayChart *self,
           cairo_t    *cr,
           Geometry   *g)
{
  double base = assay_chart_scale_map (&g->scale, MAX (g->ticks.lo, 0));

  for (guint k = 0; k < self->n; k++)
    {
      guint i = index_at_place (self, k);
      double v = self->values[i];
      double y;

      if (!isfinite (v))
        continue;
      y = assay_chart_scale_map (&g->scale, v);
      set_color (cr, &self->accent, (int) k == self->selected ? 1.0 : 0.75);
      cairo_rectangle (cr, g->bands[k].x, MIN (y, base), g->bands[k].width, fabs (base - y));
      cairo_fill (cr);
      if (self->comparison != NULL && isfinite (self->comparison[i]))
        {
          double c = assay_chart_scale_map (&g->scale, self->comparison[i]);

          set_color (cr, &self->fg, 0.55);
          cairo_set_line_width (cr, 2);
          cairo_move_to (cr, g->bands[k].x - 2, c);
          cairo_line_to (cr, g->bands[k].x + g->bands[k].width + 2, c);
          cairo_stroke (cr);
        }
    }
}

static void
draw_pareto_line (AssayChart *self,
                  cairo_t    *cr,
                  Geometry   *g)
{
  AssayChartScale pct = { 0, 100, g->y0 + g->h, g->y0 };

  if (self->pareto == NULL || self->n == 0)
    return;
  set_color (cr, &self->fg, 0.7);
  cairo_set_line_width (cr, 1.5);
  for (guint k = 0; k < self->n; k++)
    {
      double x = g->bands[k].x + g->bands[k].width / 2;
      double y = assay_chart_scale_map (&pct, self->pareto[k].cumulative);

      if (k == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  for (guint t = 0; t <= 4; t++)
    {
      g_autofree char *label = g_strdup_printf ("%u %%", t * 25);

      show_text (self, cr, label, g->x0 + g->w + 4, assay_chart_scale_map (&pct, t * 25.0),
                 PARETO_AXIS - 4, 0, 0.5, 0.6);
    }
}

static void
draw_intervals (AssayChart *self,
                cairo_t    *cr,
                Geometry   *g)
{
  for (guint i = 0; i < self->n; i++)
    {
      double y = g->bands[i].x + g->bands[i].width / 2;
      gboolean sel = (int) i == self->selected;

      show_text (self, cr, self->labels[i], g->x0 - 8, y, g->x0 - 12, 1, 0.5, sel ? 1 : 0.8);
      if (self->lo != NULL && self->hi != NULL && isfinite (self->lo[i]) && isfinite (self->hi[i]))
        {
          double a = assay_chart_scale_map (&g->scale, self->lo[i]);
          double b = assay_chart_scale_map (&g->scale, self->hi[i]);

          set_color (cr, &self->accent, 0.35);
          cairo_rectangle (cr, a, y - 4, MAX (b - a, 1), 8);
          cairo_fill (cr);
        }
      if (isfinite (self->values[i]))
        {
          set_color (cr, &self->accent, 1);
          cairo_arc (cr, assay_chart_scale_map (&g->scale, self->values[i]), y, sel ? 6 : 4.5,
                     0, 2 * G_PI);
          cairo_fill (cr);
        }
      if (sel)
        {
          set_color (cr, &self->accent, 0.1);
          cairo_rectangle (cr, 0, g->bands[i].x - 2, g->x0 + g->w, g->bands[i].width + 4);
          cairo_fill (cr);
        }
    }
  if (self->comparison != NULL && self->n > 0 && isfinite (self->comparison[0]))
    {
      /* one comparison value for every row (the team's mean): a grey line */
      double x = assay_chart_scale_map (&g->scale, self->comparison[0]);

      set_color (cr, &self->fg, 0.5);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, x, g->y0);
      cairo_line_to (cr, x, g->y0 + g->h);
      cairo_stroke (cr);
    }
}

static void
assay_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  AssayChart *self = ASSAY_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  Geometry g = { 0 };
  cairo_t *cr;

  if (width <= 1 || height <= 1)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->n == 0)
    {
      show_text (self, cr, _("No data in this period"), width / 2, height / 2, width, 0.5, 0.5,
                 0.55);
      cairo_destroy (cr);
      return;
    }
  compute_geometry (self, width, height, &g);
  draw_value_axis (self, cr, &g);
  switch (self->kind)
    {
    case ASSAY_CHART_LINE:
      if (self->comparison != NULL)
        draw_line (self, cr, &g, self->comparison, &self->fg, 0.45, 1.5);
      draw_line (self, cr, &g, self->values, &self->accent, 1, 2.5);
      draw_category_labels (self, cr, &g);
      break;
    case ASSAY_CHART_BAR:
    case ASSAY_CHART_HISTOGRAM:
      draw_bars (self, cr, &g);
      draw_category_labels (self, cr, &g);
      break;
    case ASSAY_CHART_PARETO:
      draw_bars (self, cr, &g);
      draw_pareto_line (self, cr, &g);
      draw_category_labels (self, cr, &g);
      break;
    case ASSAY_CHART_INTERVALS:
    default:
      draw_intervals (self, cr, &g);
      break;
    }
  draw_target (self, cr, &g);
  if (gtk_widget_has_visible_focus (widget))
    {
      set_color (cr, &self->accent, 0.5);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, 1, 1, width - 2, height - 2);
      cairo_stroke (cr);
    }
  g_free (g.bands);
  cairo_destroy (cr);
}

static void
assay_chart_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  AssayChart *self = ASSAY_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else if (self->kind == ASSAY_CHART_INTERVALS)
    *minimum = *natural = (int) (TOP_PAD + LABEL_H + ROW_H * MAX (self->n, 2));
  else
    {
      *minimum = 140;
      *natural = 200;
    }
}

/* ---- input ---- */

static int
place_at (AssayChart *self,
          double      x,
          double      y)
{
  Geometry g = { 0 };
  int place;

  if (self->n == 0)
    return -1;
  compute_geometry (self, gtk_widget_get_width (GTK_WIDGET (self)),
                    gtk_widget_get_height (GTK_WIDGET (self)), &g);
  place = assay_chart_band_at (g.bands, self->n,
                               self->kind == ASSAY_CHART_INTERVALS ? y : x);
  g_free (g.bands);
  return place;
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  AssayChart *self = ASSAY_CHART (widget);
  int place = keyboard ? self->selected : place_at (self, x, y);
  g_autofree char *text = NULL;

  if (place < 0 || (guint) place >= self->n)
    return FALSE;
  text = assay_chart_describe (self, index_at_place (self, place));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  AssayChart      *self)
{
  int place = place_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (place < 0)
    return;
  assay_chart_set_selected (self, place);
  if (n_press == 2)
    g_signal_emit (self, signals[ACTIVATED], 0, index_at_place (self, place));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AssayChart            *self)
{
  gboolean vertical = self->kind == ASSAY_CHART_INTERVALS;
  int step = 0;

  if (self->n == 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      step = vertical ? 0 : -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      step = vertical ? 0 : 1;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      step = vertical ? -1 : 0;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      step = vertical ? 1 : 0;
      break;
    case GDK_KEY_Home:
      assay_chart_set_selected (self, 0);
      return TRUE;
    case GDK_KEY_End:
      assay_chart_set_selected (self, (int) self->n - 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (self->selected >= 0)
        {
          g_signal_emit (self, signals[ACTIVATED], 0, index_at_place (self, self->selected));
          return TRUE;
        }
      return FALSE;
    default:
      return FALSE;
    }
  if (step == 0)
    return FALSE;
  assay_chart_set_selected (self, CLAMP (self->selected < 0 ? 0 : self->selected + step, 0,
                                         (int) self->n - 1));
  return TRUE;
}

/* ---- GObject ---- */

static void
assay_chart_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  AssayChart *self = ASSAY_CHART (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  GTK_WIDGET_CLASS (assay_chart_parent_class)->css_changed (widget, change);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &self->accent))
    gdk_rgba_parse (&self->accent, "#3584e4");
  if (!gtk_style_context_lookup_color (style, "warning_color", &self->warning))
    gdk_rgba_parse (&self->warning, "#c64600");
  gtk_style_context_get_color (style, &self->fg);
  gtk_widget_queue_draw (widget);
}

static void
clear_data (AssayChart *self)
{
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->lo, g_free);
  g_clear_pointer (&self->hi, g_free);
  g_clear_pointer (&self->comparison, g_free);
  g_clear_pointer (&self->pareto, g_free);
  self->n = 0;
}

static void
assay_chart_finalize (GObject *object)
{
  AssayChart *self = ASSAY_CHART (object);

  clear_data (self);
  g_free (self->title);
  g_free (self->comparison_label);
  g_free (self->summary);
  G_OBJECT_CLASS (assay_chart_parent_class)->finalize (object);
}

static void
assay_chart_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AssayChart *self = ASSAY_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_chart_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AssayChart *self = ASSAY_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_int (value);
      break;
    case PROP_SELECTED:
      assay_chart_set_selected (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_chart_class_init (AssayChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = assay_chart_finalize;
  object_class->get_property = assay_chart_get_property;
  object_class->set_property = assay_chart_set_property;
  widget_class->snapshot = assay_chart_snapshot;
  widget_class->measure = assay_chart_measure;
  widget_class->css_changed = assay_chart_css_changed;

  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, ASSAY_CHART_BAR, ASSAY_CHART_INTERVALS, ASSAY_CHART_BAR,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* the category (its index in the data) the user opened: double click or Enter */
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "chart");
}

static void
assay_chart_init (AssayChart *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->selected = -1;
  self->target = NAN;
  self->range_min = NAN;
  self->range_max = NAN;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  update_summary (self);
}

/* ---- public ---- */

GtkWidget *
assay_chart_new (AssayChartKind kind)
{
  return g_object_new (ASSAY_TYPE_CHART, "kind", kind, NULL);
}

AssayChartKind
assay_chart_get_kind (AssayChart *self)
{
  g_return_val_if_fail (ASSAY_IS_CHART (self), ASSAY_CHART_BAR);
  return self->kind;
}

void
assay_chart_set_title (AssayChart *self,
                       const char *title)
{
  g_return_if_fail (ASSAY_IS_CHART (self));
  g_free (self->title);
  self->title = g_strdup (title);
  update_summary (self);
}

void
assay_chart_set_unit (AssayChart     *self,
                      AssayChartUnit  unit)
{
  g_return_if_fail (ASSAY_IS_CHART (self));
  self->unit = unit;
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double *
copy_values (const double *values,
             guint         n)
{
  return values != NULL && n > 0 ? g_memdup2 (values, sizeof (double) * n) : NULL;
}

void
assay_chart_set_data (AssayChart         *self,
                      guint               n,
                      const char * const *labels,
                      const double       *values,
                      const double       *lo,
                      const double       *hi)
{
  g_return_if_fail (ASSAY_IS_CHART (self));
  g_return_if_fail (n == 0 || (labels != NULL && values != NULL));

  clear_data (self);
  self->n = n;
  self->labels = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    self->labels[i] = g_strdup (labels[i] ? labels[i] : "");
  self->values = copy_values (values, n);
  self->lo = copy_values (lo, n);
  self->hi = copy_values (hi, n);
  if (self->kind == ASSAY_CHART_PARETO && n > 0)
    {
      self->pareto = g_new0 (AssayChartParetoItem, n);
      assay_chart_pareto (values, n, self->pareto);
    }
  if (self->selected >= (int) n)
    assay_chart_set_selected (self, (int) n - 1);
  update_summary (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
assay_chart_set_comparison (AssayChart   *self,
                            const double *values,
                            const char   *label)
{
  g_return_if_fail (ASSAY_IS_CHART (self));
  g_clear_pointer (&self->comparison, g_free);
  self->comparison = copy_values (values, self->n);
  g_free (self->comparison_label);
  self->comparison_label = g_strdup (label);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
assay_chart_set_target (AssayChart *self,
                        double      target)
{
  g_return_if_fail (ASSAY_IS_CHART (self));
  self->target = target;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
assay_chart_set_range (AssayChart *self,
                       double      min,
                       double      max)
{
  g_return_if_fail (ASSAY_IS_CHART (self));
  self->range_min = min;
  self->range_max = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
assay_chart_get_n (AssayChart *self)
{
  g_return_val_if_fail (ASSAY_IS_CHART (self), 0);
  return self->n;
}

int
assay_chart_get_selected (AssayChart *self)
{
  g_return_val_if_fail (ASSAY_IS_CHART (self), -1);
  return self->selected;
}

void
assay_chart_set_selected (AssayChart *self,
                          int         selected)
{
  g_return_if_fail (ASSAY_IS_CHART (self));
  selected = CLAMP (selected, -1, (int) self->n - 1);
  if (self->selected == selected)
    return;
  self->selected = selected;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

const char *
assay_chart_get_summary (AssayChart *self)
{
  g_return_val_if_fail (ASSAY_IS_CHART (self), NULL);
  return self->summary;
}
