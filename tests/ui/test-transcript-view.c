/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transcript view: instantiate, present, draw, its property and signal contract, finalize. */
#include <adwaita.h>

#include "widgets/assay-transcript-view.h"

static AssayUtterances *
call (void)
{
  AssayUtterances *u = assay_utterances_new (ASSAY_TRANSCRIPT_CALL);

  assay_utterances_add (u, 800, 4200, "Agent", ASSAY_SPEAKER_AGENT,
                        "Thank you for calling Northwind Telecom, this is Emily.");
  assay_utterances_add (u, 4900, 7000, "Customer", ASSAY_SPEAKER_CUSTOMER,
                        "Hi Emily, my bill is wrong.");
  assay_utterances_add (u, 8000, 12000, "坐席", ASSAY_SPEAKER_AGENT, "您好，请问有什么可以帮您？");
  for (int i = 0; i < 60; i++)
    assay_utterances_add (u, 13000 + i * 3000, 15000 + i * 3000, i % 2 ? "Customer" : "Agent",
                          i % 2 ? ASSAY_SPEAKER_CUSTOMER : ASSAY_SPEAKER_AGENT, "Filler line.");
  return u;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
seek_cb (AssayTranscriptView *view,
         gint64               ms,
         gint64              *out)
{
  *out = ms;
}

typedef struct {
  gint64  start, end;
  char   *text;
  guint   n;
} Mark;

static void
mark_cb (AssayTranscriptView *view,
         gint64               start,
         gint64               end,
         const char          *text,
         Mark                *mark)
{
  mark->start = start;
  mark->end = end;
  g_free (mark->text);
  mark->text = g_strdup (text);
  mark->n++;
}

static GtkLabel *
text_label_of (GtkWidget *row)
{
  GtkWidget *vbox = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  return GTK_LABEL (gtk_widget_get_last_child (vbox));
}

static void
test_contract (void)
{
  AssayTranscriptView *view = ASSAY_TRANSCRIPT_VIEW (assay_transcript_view_new ());
  g_autoptr(AssayUtterances) u = call ();
  GtkWidget *window = gtk_window_new ();
  guint current_notifies = 0, position_notifies = 0;
  gint64 seeked = -1;
  Mark mark = { 0 };
  GtkWidget *speaker;

  g_object_ref_sink (view);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 300);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  g_signal_connect (view, "notify::current-line", G_CALLBACK (notify_cb), &current_notifies);
  g_signal_connect (view, "notify::position", G_CALLBACK (notify_cb), &position_notifies);
  g_signal_connect (view, "seek", G_CALLBACK (seek_cb), &seeked);
  g_signal_connect (view, "mark-evidence", G_CALLBACK (mark_cb), &mark);
  gtk_window_present (GTK_WINDOW (window));

  /* empty first, then the lines */
  g_assert_cmpuint (assay_transcript_view_get_n_lines (view), ==, 0);
  g_assert_cmpint (assay_transcript_view_get_current_line (view), ==, -1);
  assay_transcript_view_set_utterances (view, u);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));
  g_assert_cmpuint (assay_transcript_view_get_n_lines (view), ==, 63);
  g_assert_cmpuint (assay_transcript_view_get_n_visible (view), ==, 63);
  /* speakers are coloured by role through style classes */
  speaker = gtk_widget_get_first_child (
    gtk_widget_get_first_child (gtk_list_box_row_get_child (
      GTK_LIST_BOX_ROW (assay_transcript_view_get_row (view, 1)))));
  g_assert_true (gtk_widget_has_css_class (speaker, "customer"));
  g_assert_true (gtk_widget_get_focusable (assay_transcript_view_get_row (view, 0)));

  /* the current line follows the position; setting the same position again is no change */
  assay_transcript_view_set_position (view, 5000);
  g_assert_cmpint (assay_transcript_view_get_current_line (view), ==, 1);
  g_assert_true (gtk_widget_has_css_class (assay_transcript_view_get_row (view, 1), "current"));
  g_object_set (view, "position", (gint64) 5000, NULL);
  g_assert_cmpuint (position_notifies, ==, 1);
  assay_transcript_view_set_position (view, 100);
  g_assert_cmpint (assay_transcript_view_get_current_line (view), ==, -1);
  g_assert_false (gtk_widget_has_css_class (assay_transcript_view_get_row (view, 1), "current"));
  /* far down: the line is scrolled into view */
  assay_transcript_view_set_position (view, 13000 + 59 * 3000 + 10);
  g_assert_cmpint (assay_transcript_view_get_current_line (view), ==, 62);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (
                       GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
                         assay_transcript_view_get_row (view, 62), GTK_TYPE_SCROLLED_WINDOW)))),
                     >, 0);
  g_assert_cmpuint (current_notifies, ==, 3);

  /* activating a line (Enter or a click) seeks to its start */
  gtk_widget_activate (assay_transcript_view_get_row (view, 2));
  g_assert_cmpint (seeked, ==, 8000);

  /* a selection in a line is offered as evidence, its span in proportion, once */
  gtk_label_select_region (text_label_of (assay_transcript_view_get_row (view, 1)), 10, 27);
  g_assert_true (assay_transcript_view_mark_selection (view));
  g_assert_cmpuint (mark.n, ==, 1);
  g_assert_cmpstr (mark.text, ==, "my bill is wrong.");
  g_assert_cmpint (mark.start, ==, 4900 + 2100 * 10 / 27);
  g_assert_cmpint (mark.end, ==, 7000);
  g_assert_false (assay_transcript_view_mark_selection (view));
  g_assert_cmpuint (mark.n, ==, 1);

  /* search: normalised like script checks (case, full-width, punctuation) */
  g_object_set (view, "search-text", "ＢＩＬＬ IS", NULL);
  g_assert_cmpuint (assay_transcript_view_get_n_visible (view), ==, 1);
  g_assert_nonnull (gtk_label_get_attributes (text_label_of (assay_transcript_view_get_row (view,
                                                                                           1))));
  assay_transcript_view_set_search_text (view, "请问 有什么");
  g_assert_cmpuint (assay_transcript_view_get_n_visible (view), ==, 1);
  assay_transcript_view_set_search_text (view, "nothing like this");
  g_assert_cmpuint (assay_transcript_view_get_n_visible (view), ==, 0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));
  assay_transcript_view_set_search_text (view, "");
  g_assert_null (assay_transcript_view_get_search_text (view));
  g_assert_cmpuint (assay_transcript_view_get_n_visible (view), ==, 63);
  g_assert_null (gtk_label_get_attributes (text_label_of (assay_transcript_view_get_row (view,
                                                                                        1))));

  /* emptied */
  assay_transcript_view_set_utterances (view, NULL);
  g_assert_cmpuint (assay_transcript_view_get_n_lines (view), ==, 0);
  g_assert_cmpint (assay_transcript_view_get_current_line (view), ==, -1);

  g_free (mark.text);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

static void
test_conversation (void)
{
  AssayTranscriptView *view = ASSAY_TRANSCRIPT_VIEW (assay_transcript_view_new ());
  g_autoptr(AssayUtterances) u = assay_utterances_new (ASSAY_TRANSCRIPT_CONVERSATION);
  GtkWidget *window = gtk_window_new ();
  gint64 t0 = G_GINT64_CONSTANT (1794652920000);
  Mark mark = { 0 };

  assay_utterances_add (u, t0, t0, "客户", ASSAY_SPEAKER_CUSTOMER, "在吗？");
  assay_utterances_add (u, t0 + 45000, t0 + 45000, "王芳", ASSAY_SPEAKER_AGENT,
                        "您好，我是在线客服王芳。");
  g_object_ref_sink (view);
  g_signal_connect (view, "mark-evidence", G_CALLBACK (mark_cb), &mark);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  assay_transcript_view_set_utterances (view, u);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));

  /* no playback to follow; evidence is the message's offset from the first */
  assay_transcript_view_set_position (view, 1000);
  g_assert_cmpint (assay_transcript_view_get_current_line (view), ==, -1);
  gtk_label_select_region (text_label_of (assay_transcript_view_get_row (view, 1)), 0, 2);
  g_assert_true (assay_transcript_view_mark_selection (view));
  g_assert_cmpint (mark.start, ==, 45000);
  g_assert_cmpint (mark.end, ==, 45000);
  g_assert_cmpstr (mark.text, ==, "您好");

  g_free (mark.text);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/transcript-view/contract", test_contract);
  g_test_add_func ("/ui/transcript-view/conversation", test_conversation);
  return g_test_run ();
}
