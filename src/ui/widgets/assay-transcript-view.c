/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gi18n.h>

#include "assay-transcript-view.h"

#include "assay-ui-util.h"
#include "core/assay-phrase.h"
#include "core/assay-util.h"

typedef struct {
  gint64     start_ms;
  gint64     end_ms;
  char      *text;
  char      *normalised;
  GArray    *offsets;       /* guint32: byte offset in @text of each normalised character */
  GtkWidget *row;           /* owned by the list */
  GtkLabel  *text_label;
} Line;

struct _AssayTranscriptView
{
  GtkWidget       parent_instance;

  AssayTranscriptKind kind;
  gint64          origin_ms;  /* conversations: the first message, for evidence offsets */
  GArray         *lines;      /* Line */
  AssayUtterances *find;      /* start times only, for the binary search of the position */
  gint64          position;
  int             current;
  char           *search_text;
  char           *search_norm;
  guint           n_visible;
  gboolean        setting_entry;   /* the entry changes because the property did */

  /* template */
  GtkWidget      *box;
  GtkSearchEntry *search_entry;
  GtkScrolledWindow *scroller;
  GtkListBox     *list;
  GtkWidget      *empty_label;
};

enum {
  PROP_0,
  PROP_POSITION,
  PROP_CURRENT_LINE,
  PROP_SEARCH_TEXT,
  PROP_N_VISIBLE,
  N_PROPS
};

enum {
  SIGNAL_SEEK,
  SIGNAL_MARK_EVIDENCE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AssayTranscriptView, assay_transcript_view, GTK_TYPE_WIDGET)

static void
line_clear (gpointer data)
{
  Line *line = data;

  g_free (line->text);
  g_free (line->normalised);
  g_clear_pointer (&line->offsets, g_array_unref);
}

static Line *
line_at (AssayTranscriptView *self,
         guint                index)
{
  return &g_array_index (self->lines, Line, index);
}

/* Where the match of the search is in @line, as bytes of its text; FALSE when there is none. */
static gboolean
find_match (AssayTranscriptView *self,
            Line                *line,
            guint               *start,
            guint               *end)
{
  const char *hit;
  glong first, last;

  if (self->search_norm == NULL || *self->search_norm == '\0')
    return FALSE;
  hit = strstr (line->normalised, self->search_norm);
  if (hit == NULL)
    return FALSE;
  first = g_utf8_pointer_to_offset (line->normalised, hit);
  last = first + g_utf8_strlen (self->search_norm, -1) - 1;
  *start = g_array_index (line->offsets, guint32, first);
  *end = (guint) (g_utf8_next_char (line->text + g_array_index (line->offsets, guint32, last))
                  - line->text);
  return TRUE;
}

static void
update_highlight (AssayTranscriptView *self,
                  Line                *line)
{
  g_autoptr(PangoAttrList) attrs = NULL;
  guint start, end;

  if (find_match (self, line, &start, &end))
    {
      PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
      PangoAttribute *under = pango_attr_underline_new (PANGO_UNDERLINE_SINGLE);

      attrs = pango_attr_list_new ();
      bold->start_index = under->start_index = start;
      bold->end_index = under->end_index = end;
      pango_attr_list_insert (attrs, bold);
      pango_attr_list_insert (attrs, under);
    }
  gtk_label_set_attributes (line->text_label, attrs);
}

static gboolean
filter_func (GtkListBoxRow *row,
             gpointer       user_data)
{
  AssayTranscriptView *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "line"));
  guint start, end;

  if (self->search_norm == NULL || *self->search_norm == '\0')
    return TRUE;
  return index < self->lines->len && find_match (self, line_at (self, index), &start, &end);
}

static void
apply_search (AssayTranscriptView *self)
{
  guint visible = 0;

  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = line_at (self, i);
      guint start, end;

      update_highlight (self, line);
      if (self->search_norm == NULL || *self->search_norm == '\0'
          || find_match (self, line, &start, &end))
        visible++;
    }
  gtk_list_box_invalidate_filter (self->list);
  gtk_widget_set_visible (self->empty_label, self->lines->len > 0 && visible == 0);
  if (visible != self->n_visible)
    {
      self->n_visible = visible;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_VISIBLE]);
    }
}

static void
scroll_to_row (AssayTranscriptView *self,
               GtkWidget           *row)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  graphene_point_t p;
  double top, page, height;

  if (!gtk_widget_compute_point (row, GTK_WIDGET (self->list), &GRAPHENE_POINT_INIT (0, 0), &p))
    return;
  top = gtk_adjustment_get_value (adj);
  page = gtk_adjustment_get_page_size (adj);
  height = gtk_widget_get_height (row);
  if (p.y < top)
    gtk_adjustment_set_value (adj, p.y);
  else if (p.y + height > top + page)
    gtk_adjustment_set_value (adj, p.y + height - page);
}

static void
set_current (AssayTranscriptView *self,
             int                  current)
{
  if (current == self->current)
    return;
  if (self->current >= 0 && (guint) self->current < self->lines->len)
    gtk_widget_remove_css_class (line_at (self, self->current)->row, "current");
  self->current = current;
  if (current >= 0)
    {
      GtkWidget *row = line_at (self, current)->row;

      gtk_widget_add_css_class (row, "current");
      scroll_to_row (self, row);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_LINE]);
}

/* A transcript names its speakers as the file does; the generic English roles are shown in
 * the user's language, names as they are. */
static const char *
speaker_label (const char *speaker)
{
  if (speaker == NULL)
    return "";
  if (g_ascii_strcasecmp (speaker, "agent") == 0)
    return C_("transcript speaker", "Agent");
  if (g_ascii_strcasecmp (speaker, "customer") == 0)
    return C_("transcript speaker", "Customer");
  if (g_ascii_strcasecmp (speaker, "caller") == 0)
    return C_("transcript speaker", "Caller");
  return speaker;
}

static char *
format_time (AssayTranscriptView *self,
             gint64               ms,
             gboolean             with_day)
{
  if (self->kind == ASSAY_TRANSCRIPT_CALL)
    return assay_format_duration (ms / 1000.0);
  /* Translators: a message's time in a chat or email thread, see g_date_time_format() */
  return assay_ui_format_time (ms, with_day ? _("%e %b %H:%M") : _("%H:%M"));
}

static GtkWidget *
make_row (AssayTranscriptView  *self,
          const AssayUtterance *u,
          guint                 index,
          gboolean              with_day,
          GtkLabel            **out_text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *speaker = gtk_label_new (speaker_label (u->speaker));
  g_autofree char *time = format_time (self, u->start_ms, with_day);
  GtkWidget *time_label = gtk_label_new (time);
  GtkWidget *text = gtk_label_new (u->text);
  g_autofree char *accessible = NULL;

  gtk_widget_add_css_class (speaker, "speaker");
  gtk_widget_add_css_class (speaker, u->role == ASSAY_SPEAKER_AGENT ? "agent"
                                     : u->role == ASSAY_SPEAKER_CUSTOMER ? "customer" : "other");
  gtk_widget_add_css_class (speaker, "heading");
  gtk_widget_add_css_class (time_label, "dim-label");
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_add_css_class (time_label, "caption");
  gtk_label_set_xalign (GTK_LABEL (speaker), 0);
  gtk_label_set_ellipsize (GTK_LABEL (speaker), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (header), speaker);
  gtk_box_append (GTK_BOX (header), time_label);

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_add_css_class (text, "line-text");
  gtk_box_append (GTK_BOX (vbox), header);
  gtk_box_append (GTK_BOX (vbox), text);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), vbox);
  gtk_widget_add_css_class (row, "line");
  if (u->subject != NULL && index == 0)
    gtk_widget_set_tooltip_text (row, u->subject);

  /* Translators: how a screen reader reads one line: speaker, time, what was said */
  accessible = g_strdup_printf (_("%s, %s: %s"), speaker_label (u->speaker), time, u->text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data (G_OBJECT (row), "line", GUINT_TO_POINTER (index));
  *out_text = GTK_LABEL (text);
  return row;
}

/* callbacks */

static void
search_changed_cb (AssayTranscriptView *self)
{
  if (self->setting_entry)
    return;
  assay_transcript_view_set_search_text (self,
                                         gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Enter in the search: to the first line that matches, ready for Enter again to seek there */
static void
search_activate_cb (AssayTranscriptView *self)
{
  for (guint i = 0; i < self->lines->len; i++)
    if (gtk_widget_get_child_visible (line_at (self, i)->row))
      {
        gtk_widget_grab_focus (line_at (self, i)->row);
        return;
      }
}

static void
row_activated_cb (AssayTranscriptView *self,
                  GtkListBoxRow       *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "line"));

  if (index < self->lines->len)
    g_signal_emit (self, signals[SIGNAL_SEEK], 0, line_at (self, index)->start_ms);
}

static gboolean
legacy_event_cb (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 AssayTranscriptView      *self)
{
  if (gdk_event_get_event_type (event) == GDK_BUTTON_RELEASE)
    assay_transcript_view_mark_selection (self);
  return GDK_EVENT_PROPAGATE;
}

static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 AssayTranscriptView   *self)
{
  if (keyval == GDK_KEY_Shift_L || keyval == GDK_KEY_Shift_R)
    assay_transcript_view_mark_selection (self);
}

/* vfuncs */

static void
assay_transcript_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ASSAY_TYPE_TRANSCRIPT_VIEW);

  G_OBJECT_CLASS (assay_transcript_view_parent_class)->dispose (object);
}

static void
assay_transcript_view_finalize (GObject *object)
{
  AssayTranscriptView *self = ASSAY_TRANSCRIPT_VIEW (object);

  g_array_unref (self->lines);
  g_clear_pointer (&self->find, assay_utterances_free);
  g_free (self->search_text);
  g_free (self->search_norm);

  G_OBJECT_CLASS (assay_transcript_view_parent_class)->finalize (object);
}

static void
assay_transcript_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AssayTranscriptView *self = ASSAY_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_CURRENT_LINE:
      g_value_set_int (value, self->current);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    case PROP_N_VISIBLE:
      g_value_set_uint (value, self->n_visible);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_transcript_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AssayTranscriptView *self = ASSAY_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      assay_transcript_view_set_position (self, g_value_get_int64 (value));
      break;
    case PROP_SEARCH_TEXT:
      assay_transcript_view_set_search_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_transcript_view_class_init (AssayTranscriptViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_transcript_view_dispose;
  object_class->finalize = assay_transcript_view_finalize;
  object_class->get_property = assay_transcript_view_get_property;
  object_class->set_property = assay_transcript_view_set_property;

  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_LINE] =
    g_param_spec_int ("current-line", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_VISIBLE] =
    g_param_spec_uint ("n-visible", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SEEK] =
    g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_MARK_EVIDENCE] =
    g_signal_new ("mark-evidence", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "transcriptview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/assayqa/Assay/ui/assay-transcript-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, box);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, scroller);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, list);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
assay_transcript_view_init (AssayTranscriptView *self)
{
  GtkEventController *legacy, *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_array_set_clear_func (self->lines, line_clear);
  self->position = -1;
  self->current = -1;
  gtk_list_box_set_filter_func (self->list, filter_func, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Transcript"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search the transcript"), -1);

  /* a selection ends when the button or Shift is released: then it is offered as evidence */
  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (legacy_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list), legacy);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list), keys);
}

/* public */

GtkWidget *
assay_transcript_view_new (void)
{
  return g_object_new (ASSAY_TYPE_TRANSCRIPT_VIEW, NULL);
}

void
assay_transcript_view_set_utterances (AssayTranscriptView   *self,
                                      const AssayUtterances *utterances)
{
  GtkWidget *child;
  guint n;
  gboolean with_day = FALSE;
  int old_current;

  g_return_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_array_set_size (self->lines, 0);
  g_clear_pointer (&self->find, assay_utterances_free);
  old_current = self->current;
  self->current = -1;
  self->origin_ms = 0;

  n = utterances != NULL ? assay_utterances_get_n (utterances) : 0;
  self->kind = utterances != NULL ? utterances->kind : ASSAY_TRANSCRIPT_CALL;
  self->find = assay_utterances_new (self->kind);
  if (n > 0 && self->kind == ASSAY_TRANSCRIPT_CONVERSATION)
    {
      self->origin_ms = assay_utterances_get (utterances, 0)->start_ms;
      with_day = assay_utterances_get (utterances, n - 1)->start_ms - self->origin_ms
                 > 12 * 3600 * 1000;
    }
  for (guint i = 0; i < n; i++)
    {
      const AssayUtterance *u = assay_utterances_get (utterances, i);
      Line line = { u->start_ms, u->end_ms, g_strdup (u->text), NULL, NULL, NULL, NULL };

      line.offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
      line.normalised = assay_phrase_normalise (u->text, line.offsets);
      line.row = make_row (self, u, i, with_day, &line.text_label);
      gtk_list_box_append (self->list, line.row);
      g_array_append_val (self->lines, line);
      assay_utterances_add (self->find, u->start_ms, u->end_ms, u->speaker, u->role, "");
    }
  self->n_visible = 0;
  apply_search (self);
  if (old_current != -1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_LINE]);
  if (self->position >= 0)
    {
      gint64 position = self->position;

      self->position = -1;
      assay_transcript_view_set_position (self, position);
    }
}

guint
assay_transcript_view_get_n_lines (AssayTranscriptView *self)
{
  g_return_val_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self), 0);
  return self->lines->len;
}

void
assay_transcript_view_set_position (AssayTranscriptView *self,
                                    gint64               position_ms)
{
  g_return_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self));

  position_ms = MAX (position_ms, -1);
  if (position_ms == self->position)
    return;
  self->position = position_ms;
  /* a conversation has no playback: its lines are not followed */
  if (self->find != NULL && self->kind == ASSAY_TRANSCRIPT_CALL && position_ms >= 0)
    set_current (self, assay_utterances_find_at (self->find, position_ms));
  else
    set_current (self, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

gint64
assay_transcript_view_get_position (AssayTranscriptView *self)
{
  g_return_val_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self), -1);
  return self->position;
}

int
assay_transcript_view_get_current_line (AssayTranscriptView *self)
{
  g_return_val_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self), -1);
  return self->current;
}

void
assay_transcript_view_set_search_text (AssayTranscriptView *self,
                                       const char          *text)
{
  g_return_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (!assay_set_str (&self->search_text, text))
    return;
  g_free (self->search_norm);
  self->search_norm = text != NULL ? assay_phrase_normalise (text, NULL) : NULL;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                 text != NULL ? text : "") != 0)
    {
      /* set_text deletes, then inserts: the entry is empty for a moment */
      self->setting_entry = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
      self->setting_entry = FALSE;
    }
  apply_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

const char *
assay_transcript_view_get_search_text (AssayTranscriptView *self)
{
  g_return_val_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self), NULL);
  return self->search_text;
}

guint
assay_transcript_view_get_n_visible (AssayTranscriptView *self)
{
  g_return_val_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self), 0);
  return self->n_visible;
}

gboolean
assay_transcript_view_mark_selection (AssayTranscriptView *self)
{
  g_return_val_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self), FALSE);

  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = line_at (self, i);
      int start, end;
      glong n_chars;
      gint64 span, from, to;
      g_autofree char *text = NULL;

      if (!gtk_label_get_selection_bounds (line->text_label, &start, &end) || start == end)
        continue;
      /* the span within the line, in proportion to the characters selected */
      n_chars = MAX (g_utf8_strlen (line->text, -1), 1);
      span = line->end_ms - line->start_ms;
      from = line->start_ms + span * start / n_chars;
      to = line->start_ms + span * end / n_chars;
      if (self->kind == ASSAY_TRANSCRIPT_CONVERSATION)
        {
          from = to = line->start_ms - self->origin_ms;
        }
      text = g_utf8_substring (line->text, start, end);
      /* one offer per selection: clear it, so a second release does not mark it again */
      gtk_label_select_region (line->text_label, 0, 0);
      g_signal_emit (self, signals[SIGNAL_MARK_EVIDENCE], 0, from, to, text);
      return TRUE;
    }
  return FALSE;
}

GtkWidget *
assay_transcript_view_get_row (AssayTranscriptView *self,
                               guint                index)
{
  g_return_val_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self), NULL);
  return index < self->lines->len ? line_at (self, index)->row : NULL;
}
