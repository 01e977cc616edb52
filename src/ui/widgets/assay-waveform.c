/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "assay-waveform.h"
#include "core/assay-time-view.h"
#include "core/assay-util.h"

#define LANE_HEIGHT 8
#define MARK_HEIGHT 16
#define GAP 4

typedef struct {
  gint64  start_ms;
  gint64  end_ms;
  char   *label;
} Mark;

struct _AssayWaveform
{
  GtkWidget      parent_instance;

  AssayPeaks    *peaks;
  guint          agent_channel;
  gint64         duration_ms;
  gint64         position_ms;
  GArray        *lanes[ASSAY_WAVEFORM_N_LANES];   /* AssaySegment */
  GArray        *marks;                           /* Mark */
  gint64         sel_start;
  gint64         sel_end;
  AssayTimeView  view;

  /* per-pixel columns, recomputed only when the view, width or peaks change */
  float         *mins[2];
  float         *maxs[2];
  guint          n_columns;
  gsize          columns_buckets;
  AssayTimeView  columns_view;

  double         drag_start_x;
  gboolean       dragging;

  GdkRGBA        agent_color;
  GdkRGBA        customer_color;
  GdkRGBA        silence_color;
  GdkRGBA        bg_color;
  GdkRGBA        overtalk_color;
  GdkRGBA        mark_color;
  GdkRGBA        fg_color;
  GdkRGBA        accent_color;
};

enum {
  SEEK,
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayWaveform, assay_waveform, GTK_TYPE_WIDGET)

static void
mark_clear (Mark *mark)
{
  g_free (mark->label);
}

static double
duration_s (AssayWaveform *self)
{
  if (self->duration_ms > 0)
    return self->duration_ms / 1000.0;
  if (self->peaks != NULL)
    return assay_peaks_get_duration (self->peaks);
  return 0;
}

static void
invalidate_columns (AssayWaveform *self)
{
  self->n_columns = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_accessible (AssayWaveform *self)
{
  g_autofree char *pos = assay_format_duration (self->position_ms / 1000.0);
  g_autofree char *dur = assay_format_duration (duration_s (self));
  /* Translators: the waveform's position for a screen reader, e.g. "1:12 of 6:12" */
  g_autofree char *text = g_strdup_printf (_("%s of %s"), pos, dur);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, duration_s (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, self->position_ms / 1000.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

static void
lookup (GtkWidget  *widget,
        const char *name,
        const char *fallback,
        GdkRGBA    *out)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (style, name, out))
    gdk_rgba_parse (out, fallback);
}

static void
assay_waveform_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  AssayWaveform *self = ASSAY_WAVEFORM (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  GTK_WIDGET_CLASS (assay_waveform_parent_class)->css_changed (widget, change);

  /* agent and customer differ in hue and in lightness, so greyscale still tells them apart */
  lookup (widget, "accent_bg_color", "#3584e4", &self->agent_color);
  lookup (widget, "success_color", "#26a269", &self->customer_color);
  self->customer_color.red = MIN (1, self->customer_color.red + 0.25);
  self->customer_color.green = MIN (1, self->customer_color.green + 0.25);
  self->customer_color.blue = MIN (1, self->customer_color.blue + 0.25);
  lookup (widget, "warning_color", "#c64600", &self->overtalk_color);
  lookup (widget, "error_color", "#c01c28", &self->mark_color);
  lookup (widget, "accent_color", "#1c71d8", &self->accent_color);
  gtk_style_context_get_color (style, &self->fg_color);
  lookup (widget, "view_bg_color", "#ffffff", &self->bg_color);
  self->silence_color = self->fg_color;
  self->silence_color.alpha = 0.3;
  gtk_widget_queue_draw (widget);
}

static void
wave_geometry (AssayWaveform *self,
               int            height,
               double        *wave_h,
               double        *lanes_y,
               double        *marks_y)
{
  *wave_h = MAX (20, height - (2 * LANE_HEIGHT + LANE_HEIGHT) - MARK_HEIGHT - 3 * GAP);
  *lanes_y = *wave_h + GAP;
  *marks_y = *lanes_y + 3 * LANE_HEIGHT + GAP;
}

static void
ensure_columns (AssayWaveform *self,
                guint          width)
{
  guint channels;
  gsize buckets;

  if (self->peaks == NULL || width == 0)
    return;
  channels = MIN (2, assay_peaks_get_n_channels (self->peaks));
  buckets = assay_peaks_get_n_buckets (self->peaks);
  if (self->n_columns == width && self->columns_buckets == buckets
      && self->columns_view.start_s == self->view.start_s && self->columns_view.span_s == self->view.span_s)
    return;

  for (guint c = 0; c < 2; c++)
    {
      self->mins[c] = g_renew (float, self->mins[c], width);
      self->maxs[c] = g_renew (float, self->maxs[c], width);
      if (c < channels)
        assay_peaks_resample (self->peaks, c, self->view.start_s, self->view.start_s + self->view.span_s,
                              width, self->mins[c], self->maxs[c]);
      else
        memset (self->mins[c], 0, width * sizeof (float)), memset (self->maxs[c], 0, width * sizeof (float));
    }
  self->n_columns = width;
  self->columns_buckets = buckets;
  self->columns_view = self->view;
}

static void
draw_channel (AssayWaveform *self,
              cairo_t       *cr,
              guint          channel,
              double         top,
              double         height,
              const GdkRGBA *color)
{
  double mid = top + height / 2;
  double half = height / 2 - 1;

  gdk_cairo_set_source_rgba (cr, color);
  for (guint x = 0; x < self->n_columns; x++)
    {
      double y1 = mid - self->maxs[channel][x] * half;
      double y2 = mid - self->mins[channel][x] * half;

      cairo_rectangle (cr, x, y1, 1, MAX (1, y2 - y1));
    }
  cairo_fill (cr);

  /* the centre line */
  cairo_set_source_rgba (cr, self->fg_color.red, self->fg_color.green, self->fg_color.blue, 0.15);
  cairo_rectangle (cr, 0, mid, self->n_columns, 1);
  cairo_fill (cr);
}

static void
draw_segments (AssayWaveform *self,
               cairo_t       *cr,
               GArray        *segments,
               double         y,
               double         h,
               double         width,
               const GdkRGBA *color)
{
  if (segments == NULL)
    return;
  gdk_cairo_set_source_rgba (cr, color);
  for (guint i = 0; i < segments->len; i++)
    {
      const AssaySegment *s = &g_array_index (segments, AssaySegment, i);
      double x1 = assay_time_view_x_for_time (&self->view, s->start, width);
      double x2 = assay_time_view_x_for_time (&self->view, s->end, width);

      if (x2 < 0 || x1 > width)
        continue;
      cairo_rectangle (cr, MAX (0, x1), y, MAX (1, MIN (width, x2) - MAX (0, x1)), h);
    }
  cairo_fill (cr);
}

/* The time axis along the top of the wave: a faint line and an m:ss label at each tick. */
static void
draw_axis (AssayWaveform *self,
           cairo_t       *cr,
           double         width,
           double         wave_h)
{
  double step = assay_time_view_tick_step (&self->view, width, 64);
  double first = ceil (self->view.start_s / step) * step;

  for (double t = first; t <= self->view.start_s + self->view.span_s + 1e-9; t += step)
    {
      double x = floor (assay_time_view_x_for_time (&self->view, t, width));
      g_autofree char *text = assay_format_duration (t);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      PangoAttrList *attrs = pango_attr_list_new ();

      cairo_set_source_rgba (cr, self->fg_color.red, self->fg_color.green, self->fg_color.blue, 0.12);
      cairo_rectangle (cr, x, 0, 1, wave_h);
      cairo_fill (cr);
      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      cairo_set_source_rgba (cr, self->fg_color.red, self->fg_color.green, self->fg_color.blue, 0.6);
      cairo_move_to (cr, x + 3, 1);
      pango_cairo_show_layout (cr, layout);
    }
}

/* The lane legend, bottom right of the wave: what the colours of the lanes under it mean. */
static void
draw_legend (AssayWaveform *self,
             cairo_t       *cr,
             double         width,
             double         wave_h)
{
  const struct { const char *name; const GdkRGBA *color; } keys[] = {
    { C_("waveform lane", "Agent"), &self->agent_color },
    { C_("waveform lane", "Customer"), &self->customer_color },
    { C_("waveform lane", "Silence"), &self->silence_color },
    { C_("waveform lane", "Over-talk"), &self->overtalk_color },
  };
  PangoLayout *layouts[G_N_ELEMENTS (keys)];
  double total = 0, x, h = 0;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      PangoAttrList *attrs = pango_attr_list_new ();
      int w, lh;

      layouts[i] = gtk_widget_create_pango_layout (GTK_WIDGET (self), keys[i].name);
      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layouts[i], attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layouts[i], &w, &lh);
      total += 10 + 4 + w + 10;
      h = MAX (h, lh);
    }
  x = width - total - 4;
  if (x > 0 && wave_h > 3 * h)
    {
      double y = wave_h - h - 3;

      cairo_set_source_rgba (cr, self->bg_color.red, self->bg_color.green, self->bg_color.blue, 0.8);
      cairo_rectangle (cr, x - 4, y - 1, total + 4, h + 2);
      cairo_fill (cr);
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          int w, lh;

          pango_layout_get_pixel_size (layouts[i], &w, &lh);
          gdk_cairo_set_source_rgba (cr, keys[i].color);
          cairo_rectangle (cr, x, y + (h - 8) / 2, 10, 8);
          cairo_fill (cr);
          cairo_set_source_rgba (cr, self->fg_color.red, self->fg_color.green, self->fg_color.blue, 0.8);
          cairo_move_to (cr, x + 14, y);
          pango_cairo_show_layout (cr, layouts[i]);
          x += 10 + 4 + w + 10;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_object_unref (layouts[i]);
}

static void
assay_waveform_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  AssayWaveform *self = ASSAY_WAVEFORM (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double wave_h, lanes_y, marks_y;
  cairo_t *cr;
  guint channels = self->peaks ? MIN (2, assay_peaks_get_n_channels (self->peaks)) : 0;

  if (width <= 0 || height <= 0)
    return;
  wave_geometry (self, height, &wave_h, &lanes_y, &marks_y);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* background of the wave area */
  cairo_set_source_rgba (cr, self->fg_color.red, self->fg_color.green, self->fg_color.blue, 0.04);
  cairo_rectangle (cr, 0, 0, width, wave_h);
  cairo_fill (cr);

  if (channels > 0)
    {
      ensure_columns (self, (guint) width);
      if (channels == 2)
        {
          guint agent = MIN (self->agent_channel, 1);
          draw_channel (self, cr, agent, 0, wave_h / 2, &self->agent_color);
          draw_channel (self, cr, 1 - agent, wave_h / 2, wave_h / 2, &self->customer_color);
        }
      else
        draw_channel (self, cr, 0, 0, wave_h, &self->agent_color);
    }

  if (duration_s (self) > 0)
    draw_axis (self, cr, width, wave_h);
  if (self->lanes[ASSAY_WAVEFORM_LANE_AGENT] != NULL || self->lanes[ASSAY_WAVEFORM_LANE_SILENCE] != NULL)
    draw_legend (self, cr, width, wave_h);

  /* speech lanes: agent voice, customer voice, then silence and over-talk on one row */
  draw_segments (self, cr, self->lanes[ASSAY_WAVEFORM_LANE_AGENT], lanes_y, LANE_HEIGHT - 1, width,
                 &self->agent_color);
  draw_segments (self, cr, self->lanes[ASSAY_WAVEFORM_LANE_CUSTOMER], lanes_y + LANE_HEIGHT,
                 LANE_HEIGHT - 1, width, &self->customer_color);
  draw_segments (self, cr, self->lanes[ASSAY_WAVEFORM_LANE_SILENCE], lanes_y + 2 * LANE_HEIGHT,
                 LANE_HEIGHT - 1, width, &self->silence_color);
  draw_segments (self, cr, self->lanes[ASSAY_WAVEFORM_LANE_OVERTALK], lanes_y + 2 * LANE_HEIGHT,
                 LANE_HEIGHT - 1, width, &self->overtalk_color);

  /* evidence marks: a bar over the span and a diamond with its label */
  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *m = &g_array_index (self->marks, Mark, i);
      double x1 = assay_time_view_x_for_time (&self->view, m->start_ms / 1000.0, width);
      double x2 = assay_time_view_x_for_time (&self->view, m->end_ms / 1000.0, width);
      double cy = marks_y + MARK_HEIGHT / 2.0;

      if (x2 < 0 || x1 > width)
        continue;
      gdk_cairo_set_source_rgba (cr, &self->mark_color);
      cairo_rectangle (cr, x1, marks_y, MAX (2, x2 - x1), 2);
      cairo_fill (cr);
      cairo_move_to (cr, x1, cy - 5);
      cairo_line_to (cr, x1 + 5, cy);
      cairo_line_to (cr, x1, cy + 5);
      cairo_line_to (cr, x1 - 5, cy);
      cairo_close_path (cr);
      cairo_fill (cr);
      if (m->label != NULL)
        {
          cairo_move_to (cr, x1 + 7, cy + 4);
          cairo_set_font_size (cr, 10);
          cairo_show_text (cr, m->label);
        }
    }

  /* the selection */
  if (self->sel_start >= 0 && self->sel_end > self->sel_start)
    {
      double x1 = assay_time_view_x_for_time (&self->view, self->sel_start / 1000.0, width);
      double x2 = assay_time_view_x_for_time (&self->view, self->sel_end / 1000.0, width);

      cairo_set_source_rgba (cr, self->accent_color.red, self->accent_color.green, self->accent_color.blue, 0.2);
      cairo_rectangle (cr, x1, 0, x2 - x1, wave_h);
      cairo_fill (cr);
    }

  /* the playhead */
  if (duration_s (self) > 0)
    {
      double x = assay_time_view_x_for_time (&self->view, self->position_ms / 1000.0, width);

      gdk_cairo_set_source_rgba (cr, &self->fg_color);
      cairo_rectangle (cr, floor (x), 0, 2, marks_y);
      cairo_fill (cr);
    }

  if (gtk_widget_has_visible_focus (widget))
    {
      gdk_cairo_set_source_rgba (cr, &self->accent_color);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, 1, 1, width - 2, wave_h - 2);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

/* ---- input ---- */

static gint64
ms_at (AssayWaveform *self,
       double         x)
{
  return (gint64) (assay_time_view_time_for_x (&self->view, x, gtk_widget_get_width (GTK_WIDGET (self))) * 1000);
}

static void
emit_seek (AssayWaveform *self,
           gint64         ms)
{
  ms = CLAMP (ms, 0, (gint64) (duration_s (self) * 1000));
  assay_waveform_set_position (self, ms);
  g_signal_emit (self, signals[SEEK], 0, ms);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               AssayWaveform  *self)
{
  self->drag_start_x = x;
  self->dragging = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                AssayWaveform  *self)
{
  gint64 a, b;

  if (!self->dragging && fabs (dx) < 4)
    return;
  self->dragging = TRUE;
  a = ms_at (self, self->drag_start_x);
  b = ms_at (self, self->drag_start_x + dx);
  assay_waveform_set_selection (self, MIN (a, b), MAX (a, b));
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             AssayWaveform  *self)
{
  if (!self->dragging)
    {
      assay_waveform_clear_selection (self);
      emit_seek (self, ms_at (self, self->drag_start_x));
    }
  self->dragging = FALSE;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           AssayWaveform            *self)
{
  double dur = duration_s (self);
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (dur <= 0)
    return FALSE;
  if ((state & GDK_SHIFT_MASK) || fabs (dx) > fabs (dy))
    {
      /* pan */
      self->view.start_s += (fabs (dx) > fabs (dy) ? dx : dy) * self->view.span_s * 0.1;
      assay_time_view_clamp (&self->view, dur);
    }
  else
    {
      double x = 0, y = 0;
      double anchor = self->position_ms / 1000.0;
      GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

      if (event != NULL && gdk_event_get_position (event, &x, &y))
        {
          graphene_point_t p;
          GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));

          if (native != NULL && gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self),
                                                          &GRAPHENE_POINT_INIT (x, y), &p))
            anchor = assay_time_view_time_for_x (&self->view, p.x, gtk_widget_get_width (GTK_WIDGET (self)));
        }
      assay_time_view_set_zoom (&self->view, dur,
                                assay_time_view_get_zoom (&self->view, dur) * (dy < 0 ? 1.25 : 0.8), anchor);
    }
  invalidate_columns (self);
  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AssayWaveform         *self)
{
  gint64 step = (state & GDK_SHIFT_MASK) ? 1000 : 5000;
  double dur = duration_s (self);

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      emit_seek (self, self->position_ms - step);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      emit_seek (self, self->position_ms + step);
      return TRUE;
    case GDK_KEY_Home:
      emit_seek (self, 0);
      return TRUE;
    case GDK_KEY_End:
      emit_seek (self, (gint64) (dur * 1000));
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      assay_waveform_set_zoom (self, assay_waveform_get_zoom (self) * 2);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      assay_waveform_set_zoom (self, assay_waveform_get_zoom (self) / 2);
      return TRUE;
    case GDK_KEY_0:
      assay_waveform_set_zoom (self, 1);
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- GObject ---- */

static void
assay_waveform_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  invalidate_columns (ASSAY_WAVEFORM (widget));
}

static void
assay_waveform_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 120, *natural = 600;
  else
    *minimum = 100, *natural = 200;
}

static void
assay_waveform_dispose (GObject *object)
{
  AssayWaveform *self = ASSAY_WAVEFORM (object);

  g_clear_object (&self->peaks);
  G_OBJECT_CLASS (assay_waveform_parent_class)->dispose (object);
}

static void
assay_waveform_finalize (GObject *object)
{
  AssayWaveform *self = ASSAY_WAVEFORM (object);

  for (int i = 0; i < ASSAY_WAVEFORM_N_LANES; i++)
    g_clear_pointer (&self->lanes[i], g_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  for (int c = 0; c < 2; c++)
    {
      g_free (self->mins[c]);
      g_free (self->maxs[c]);
    }
  G_OBJECT_CLASS (assay_waveform_parent_class)->finalize (object);
}

static void
assay_waveform_class_init (AssayWaveformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_waveform_dispose;
  object_class->finalize = assay_waveform_finalize;
  widget_class->snapshot = assay_waveform_snapshot;
  widget_class->measure = assay_waveform_measure;
  widget_class->size_allocate = assay_waveform_size_allocate;
  widget_class->css_changed = assay_waveform_css_changed;

  /* the user clicked or used a key to move the position (ms) */
  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "waveform");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
assay_waveform_init (AssayWaveform *self)
{
  GtkGesture *drag;
  GtkEventController *scroll;
  GtkEventController *keys;

  for (int i = 0; i < ASSAY_WAVEFORM_N_LANES; i++)
    self->lanes[i] = g_array_new (FALSE, FALSE, sizeof (AssaySegment));
  self->marks = g_array_new (FALSE, TRUE, sizeof (Mark));
  g_array_set_clear_func (self->marks, (GDestroyNotify) mark_clear);
  self->sel_start = self->sel_end = -1;
  assay_time_view_reset (&self->view, 1);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("Click to seek, drag to select a span; Left/Right seek 5 s, + and − zoom"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Recording position"), -1);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES
                                            | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  update_accessible (self);
}

AssayWaveform *
assay_waveform_new (void)
{
  return g_object_new (ASSAY_TYPE_WAVEFORM, NULL);
}

void
assay_waveform_set_peaks (AssayWaveform *self,
                          AssayPeaks    *peaks)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));

  if (g_set_object (&self->peaks, peaks) && self->duration_ms <= 0)
    assay_time_view_reset (&self->view, duration_s (self));
  invalidate_columns (self);
}

void
assay_waveform_peaks_updated (AssayWaveform *self)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
assay_waveform_set_agent_channel (AssayWaveform *self,
                                  guint          channel)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));
  self->agent_channel = MIN (channel, 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
assay_waveform_set_duration (AssayWaveform *self,
                             gint64         duration_ms)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));

  if (self->duration_ms == duration_ms)
    return;
  self->duration_ms = MAX (0, duration_ms);
  assay_time_view_reset (&self->view, duration_s (self));
  update_accessible (self);
  invalidate_columns (self);
}

gint64
assay_waveform_get_duration (AssayWaveform *self)
{
  g_return_val_if_fail (ASSAY_IS_WAVEFORM (self), 0);
  return (gint64) (duration_s (self) * 1000);
}

void
assay_waveform_set_position (AssayWaveform *self,
                             gint64         position_ms)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));

  if (self->position_ms == position_ms)
    return;
  self->position_ms = MAX (0, position_ms);
  if (assay_time_view_follow (&self->view, duration_s (self), self->position_ms / 1000.0))
    invalidate_columns (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
assay_waveform_get_position (AssayWaveform *self)
{
  g_return_val_if_fail (ASSAY_IS_WAVEFORM (self), 0);
  return self->position_ms;
}

void
assay_waveform_set_lane (AssayWaveform      *self,
                         AssayWaveformLane   lane,
                         const AssaySegment *segments,
                         gsize               n_segments)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));
  g_return_if_fail (lane < ASSAY_WAVEFORM_N_LANES);

  g_array_set_size (self->lanes[lane], 0);
  if (segments != NULL && n_segments > 0)
    g_array_append_vals (self->lanes[lane], segments, n_segments);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
assay_waveform_clear_marks (AssayWaveform *self)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));
  g_array_set_size (self->marks, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
assay_waveform_add_mark (AssayWaveform *self,
                         gint64         start_ms,
                         gint64         end_ms,
                         const char    *label)
{
  Mark mark = { start_ms, MAX (start_ms, end_ms), g_strdup (label) };

  g_return_if_fail (ASSAY_IS_WAVEFORM (self));
  g_array_append_val (self->marks, mark);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
assay_waveform_get_selection (AssayWaveform *self,
                              gint64        *start_ms,
                              gint64        *end_ms)
{
  g_return_val_if_fail (ASSAY_IS_WAVEFORM (self), FALSE);

  if (self->sel_start < 0 || self->sel_end <= self->sel_start)
    return FALSE;
  *start_ms = self->sel_start;
  *end_ms = self->sel_end;
  return TRUE;
}

void
assay_waveform_set_selection (AssayWaveform *self,
                              gint64         start_ms,
                              gint64         end_ms)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));

  self->sel_start = MAX (0, MIN (start_ms, end_ms));
  self->sel_end = MAX (start_ms, end_ms);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
assay_waveform_clear_selection (AssayWaveform *self)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));

  if (self->sel_start < 0)
    return;
  self->sel_start = self->sel_end = -1;
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
assay_waveform_get_zoom (AssayWaveform *self)
{
  g_return_val_if_fail (ASSAY_IS_WAVEFORM (self), 1);
  return assay_time_view_get_zoom (&self->view, duration_s (self));
}

void
assay_waveform_set_zoom (AssayWaveform *self,
                         double         zoom)
{
  g_return_if_fail (ASSAY_IS_WAVEFORM (self));

  assay_time_view_set_zoom (&self->view, duration_s (self), zoom, self->position_ms / 1000.0);
  invalidate_columns (self);
}
