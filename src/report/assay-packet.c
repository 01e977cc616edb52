/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "assay-packet.h"
#include "assay-pdf-doc.h"
#include "core/assay-file.h"
#include "core/assay-scoring.h"
#include "protocol/assay-form-json.h"
#include "store/assay-store-acknowledgements.h"
#include "store/assay-store-disputes.h"

/* ---- words ---- */

const char *
assay_packet_state_label (const char *state)
{
  if (g_strcmp0 (state, "open") == 0)
    return C_("dispute", "Open");
  if (g_strcmp0 (state, "upheld") == 0)
    return C_("dispute", "Upheld");
  if (g_strcmp0 (state, "partly_upheld") == 0)
    return C_("dispute", "Partly upheld");
  if (g_strcmp0 (state, "rejected") == 0)
    return C_("dispute", "Rejected");
  if (g_strcmp0 (state, "withdrawn") == 0)
    return C_("dispute", "Withdrawn");
  return state != NULL ? state : "";
}

const char *
assay_packet_decision_label (const char *decision)
{
  return decision != NULL ? assay_packet_state_label (decision) : "";
}

const char *
assay_packet_reason_label (const char *code)
{
  if (g_strcmp0 (code, "evidence_supports_agent") == 0)
    return C_("dispute", "The evidence supports the agent");
  if (g_strcmp0 (code, "item_misapplied") == 0)
    return C_("dispute", "The item was misapplied");
  if (g_strcmp0 (code, "missing_context") == 0)
    return C_("dispute", "Context was missing");
  if (g_strcmp0 (code, "policy_unclear") == 0)
    return C_("dispute", "The policy is unclear");
  if (g_strcmp0 (code, "evaluation_correct") == 0)
    return C_("dispute", "The evaluation is correct");
  if (g_strcmp0 (code, "other") == 0)
    return C_("dispute", "Other");
  return code != NULL ? code : "";
}

const char *
assay_packet_role_label (const char *role)
{
  if (g_strcmp0 (role, "lead") == 0)
    return C_("dispute", "Team lead");
  if (g_strcmp0 (role, "manager") == 0)
    return C_("dispute", "QA manager");
  return role != NULL ? role : "";
}

static const char *
channel_label (const char *channel)
{
  if (g_strcmp0 (channel, "phone") == 0)
    return C_("packet", "Phone");
  if (g_strcmp0 (channel, "chat") == 0)
    return C_("packet", "Chat");
  if (g_strcmp0 (channel, "email") == 0)
    return C_("packet", "Email");
  if (g_strcmp0 (channel, "ticket") == 0)
    return C_("packet", "Ticket");
  return channel != NULL ? channel : "";
}

/* the figures as `assayctl score` prints them: rounded to 4 decimals, shortest form */
static char *
num (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *text, *end;

  if (isnan (value))
    return g_strdup ("–");
  value = round (value * 10000) / 10000;
  if (value == 0)
    value = 0;
  text = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4f", value));
  end = text + strlen (text) - 1;
  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return text;
}

static char *
time_text (gint64 ms)
{
  g_autoptr(GDateTime) utc = ms > 0 ? g_date_time_new_from_unix_utc (ms / 1000) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("–");
}

static char *
span_text (const AssayEvidence *e)
{
  return g_strdup_printf ("%d:%02d–%d:%02d", (int) (e->start_ms / 60000),
                          (int) (e->start_ms / 1000 % 60), (int) (e->end_ms / 60000),
                          (int) (e->end_ms / 1000 % 60));
}

static gboolean
text_is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

char *
assay_packet_answer_text (const AssayItem   *item,
                          const AssayAnswer *a)
{
  if (a->state == ASSAY_ANSWER_NONE)
    return g_strdup (C_("packet", "not answered"));
  if (a->state == ASSAY_ANSWER_NA)
    return g_strdup (C_("packet", "N/A"));
  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      return g_strdup (a->choice == 0 ? C_("packet", "Yes") : C_("packet", "No"));
    case ASSAY_ITEM_SINGLE_CHOICE:
      if (a->choice >= 0 && (guint) a->choice < item->options->len)
        return g_strdup (((AssayOption *) g_ptr_array_index (item->options, a->choice))->label);
      return g_strdup ("");
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      {
        GString *out = g_string_new (NULL);

        for (guint i = 0; i < item->options->len; i++)
          if (a->choices & (G_GUINT64_CONSTANT (1) << i))
            {
              if (out->len > 0)
                g_string_append (out, C_("packet", ", "));
              g_string_append (out, ((AssayOption *) g_ptr_array_index (item->options, i))->label);
            }
        return g_string_free (out, FALSE);
      }
    case ASSAY_ITEM_SCALE:
    case ASSAY_ITEM_POINTS:
    case ASSAY_ITEM_NUMBER:
      return num (a->value);
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return g_strdup (a->text != NULL ? a->text : "");
    }
}

/* ---- drawing ---- */

#define RULE   0xc0bfbc
#define GOOD   0x26a269
#define SHADE  0xf0f0f0

typedef struct {
  double   width;
  gboolean right;
} Col;

/* a row of @n cells; @font NULL is the body text; @shade fills the row's background */
static void
doc_row (AssayPdfDoc         *doc,
         const Col   *cols,
         guint        n,
         const char **cells,
         const char  *font,
         guint32      colour,
         gboolean     shade)
{
  double x = MARGIN, height = 0;

  font = font != NULL ? font : "Sans 8";
  for (guint c = 0; c < n; c++)
    height = MAX (height, assay_pdf_text_at (doc, 0, 0, cols[c].width - 6, cells[c], font, colour,
                                   cols[c].right, TRUE));
  assay_pdf_doc_need (doc, height + 5);
  if (shade)
    {
      assay_pdf_set_rgb (doc->cr, SHADE);
      cairo_rectangle (doc->cr, MARGIN, doc->y - 1.5, WIDTH, height + 3);
      cairo_fill (doc->cr);
    }
  for (guint c = 0; c < n; c++)
    {
      assay_pdf_text_at (doc, x, doc->y, cols[c].width - 6, cells[c], font, colour, cols[c].right, FALSE);
      x += cols[c].width;
    }
  doc->y += height + 2;
  assay_pdf_set_rgb (doc->cr, RULE);
  cairo_set_line_width (doc->cr, 0.3);
  cairo_move_to (doc->cr, MARGIN, doc->y);
  cairo_line_to (doc->cr, MARGIN + WIDTH, doc->y);
  cairo_stroke (doc->cr);
  doc->y += 3;
}

/* a label and its value on one line (the facts at the top) */
static void
doc_fact (AssayPdfDoc        *doc,
          const char *label,
          const char *value)
{
  double h = assay_pdf_text_at (doc, 0, 0, WIDTH - 110, value, "Sans 9", INK, FALSE, TRUE);

  assay_pdf_doc_need (doc, h);
  assay_pdf_text_at (doc, MARGIN, doc->y, 104, label, "Sans Bold 9", DIM, FALSE, FALSE);
  doc->y += assay_pdf_text_at (doc, MARGIN + 110, doc->y, WIDTH - 110, value, "Sans 9", INK, FALSE, FALSE);
  doc->y += 2;
}

/* ---- the parts ---- */

typedef struct {
  AssayDisputePacketData *data;
  const AssayRevisionRecord *current;
  AssayForm              *form;
  AssayAnswers           *answers;
  AssayScore             *score;
  GPtrArray              *acks;      /* AssayAcknowledgement, of the evaluation and its disputes */
} Packet;

static void
packet_clear (Packet *p)
{
  g_clear_pointer (&p->data, assay_dispute_packet_data_free);
  g_clear_pointer (&p->score, assay_score_free);
  g_clear_pointer (&p->answers, assay_answers_free);
  g_clear_pointer (&p->form, assay_form_unref);
  g_clear_pointer (&p->acks, g_ptr_array_unref);
}

static void
draw_facts (AssayPdfDoc    *doc,
            Packet *p)
{
  AssayDisputePacketData *d = p->data;
  g_autofree char *form = g_strdup_printf (C_("packet", "%s, version %d"), d->form_name,
                                           d->form_version);
  g_autofree char *when = time_text (d->interaction_started_at);
  g_autofree char *contact = g_strdup_printf ("%s · %s · %s", channel_label (d->channel),
                                              d->queue != NULL ? d->queue : "", when);
  g_autofree char *submitted = time_text (p->current->created_at);
  g_autofree char *revision = g_strdup_printf (C_("packet", "%d of %u, submitted %s by %s"),
                                               p->current->number, d->revisions->len, submitted,
                                               p->current->author_name != NULL
                                               ? p->current->author_name : "–");
  g_autofree char *made = time_text (g_get_real_time () / 1000);

  assay_pdf_doc_text (doc, 0, C_("packet", "Dispute packet"), "Sans Bold 22", INK, 4);
  assay_pdf_doc_text (doc, 0, form, "Sans 13", ACCENT, 14);
  doc_fact (doc, C_("packet", "Agent"), d->agent_name != NULL ? d->agent_name : "–");
  doc_fact (doc, C_("packet", "Team"), d->team_name != NULL ? d->team_name : "–");
  doc_fact (doc, C_("packet", "Inspector"), d->inspector_name != NULL ? d->inspector_name : "–");
  doc_fact (doc, C_("packet", "Contact"), contact);
  doc_fact (doc, C_("packet", "Form"), form);
  doc_fact (doc, C_("packet", "Revision"), revision);
  doc_fact (doc, C_("packet", "Evaluation"), d->evaluation_id);
  doc_fact (doc, C_("packet", "Printed"), made);
}

static void
draw_summary (AssayPdfDoc    *doc,
              Packet *p)
{
  const AssayScore *s = p->score;
  g_autofree char *overall = num (s->overall);
  g_autofree char *without = num (s->without_fatal);
  g_autofree char *critical = num (s->critical);
  g_autofree char *bonus = num (s->bonus);
  g_autofree char *big = NULL;
  g_autofree char *line = NULL;

  big = g_strdup_printf (C_("packet", "Score %s %%"), overall);
  line = isnan (s->critical)
         ? g_strdup_printf (C_("packet", "Score without fatal %s %% · no critical item answered · bonus %s points"),
                            without, bonus)
         : g_strdup_printf (C_("packet", "Score without fatal %s %% · critical score %s %% · bonus %s points"),
                            without, critical, bonus);
  doc->y += 12;
  assay_pdf_doc_text (doc, 0, big, "Sans Bold 18", s->fatal_failed->len > 0 ? BAD : INK, 2);
  if (s->band != NULL)
    assay_pdf_doc_text (doc, 0, s->band, "Sans Bold 12", ACCENT, 4);
  assay_pdf_doc_text (doc, 0, line, "Sans 9", DIM, 4);
}

static const char *
item_flags (const AssayItem *item)
{
  if (item->fatal)
    return C_("packet", "fatal");
  if (item->fail_section)
    return C_("packet", "fails section");
  if (item->critical)
    return C_("packet", "critical");
  return "";
}

static void
draw_answers (AssayPdfDoc    *doc,
              Packet *p)
{
  static const Col cols[] = {
    { 20, FALSE }, { 160, FALSE }, { 95, FALSE }, { 54, TRUE }, { 56, TRUE }, { 46, TRUE },
    { 68, FALSE },
  };
  const char *head[] = { "#", C_("packet", "Item"), C_("packet", "Answer"),
                         C_("packet", "Earned"), C_("packet", "Possible"), C_("packet", "Lost"),
                         C_("packet", "Note") };
  guint number = 0;

  assay_pdf_doc_heading (doc, C_("packet", "Answers and points"), 70);
  assay_pdf_doc_text (doc, 0, C_("packet", "Points are the item's weight times its answer's share of the best answer; lost is what the best answer would have added. N/A leaves both out."),
            "Sans 8", DIM, 6);
  doc_row (doc, cols, G_N_ELEMENTS (cols), head, "Sans Bold 8", DIM, FALSE);
  for (guint s = 0; s < p->form->sections->len; s++)
    {
      const AssaySection *section = g_ptr_array_index (p->form->sections, s);
      const char *title[] = { "", section->title, "", "", "", "", "" };

      doc_row (doc, cols, G_N_ELEMENTS (cols), title, "Sans Bold 8", INK, TRUE);
      for (guint i = 0; i < section->items->len; i++)
        {
          const AssayItem *item = g_ptr_array_index (section->items, i);
          const AssayAnswer *a = assay_answers_get (p->answers, item->index);
          g_autofree char *no = g_strdup_printf ("%u", ++number);
          g_autofree char *answer = assay_packet_answer_text (item, a);
          g_autofree char *earned = NULL, *possible = NULL, *lost = NULL;
          double r, m;
          guint32 colour = INK;

          if (a->state == ASSAY_ANSWER_VALUE && assay_answer_raw (item, a, &r, &m))
            {
              earned = num (r * item->weight);
              possible = num (m * item->weight);
              lost = num ((m - r) * item->weight);
              if (r < m)
                colour = item->fatal ? BAD : INK;
            }
          {
            const char *cells[] = { no, item->text, answer, earned ? earned : "",
                                    possible ? possible : "", lost ? lost : "",
                                    item_flags (item) };

            doc_row (doc, cols, G_N_ELEMENTS (cols), cells, NULL, colour, FALSE);
          }
        }
    }
}

static void
draw_formula (AssayPdfDoc    *doc,
              Packet *p)
{
  static const Col cols[] = {
    { 160, FALSE }, { 58, TRUE }, { 58, TRUE }, { 58, TRUE }, { 58, TRUE }, { 107, TRUE },
  };
  const AssayScore *s = p->score;
  const AssayForm *form = p->form;
  gboolean points = form->mode == ASSAY_FORM_MODE_POINTS;
  const char *head[] = { C_("packet", "Section"),
                         points ? C_("packet", "Weight") : C_("packet", "Share %"),
                         C_("packet", "Earned"), C_("packet", "Possible"),
                         C_("packet", "Percent"), C_("packet", "Contribution") };
  double a = 0, b = 0;
  g_autoptr(GString) sum = g_string_new (NULL);
  g_autofree char *regular_text = NULL;
  g_autofree char *line = NULL;
  double regular = 0;

  assay_pdf_doc_heading (doc, C_("packet", "How the score is computed"), 70);
  doc_row (doc, cols, G_N_ELEMENTS (cols), head, "Sans Bold 8", DIM, FALSE);
  for (guint i = 0; i < s->n_sections; i++)
    {
      const AssaySection *section = g_ptr_array_index (form->sections, i);
      const AssaySectionScore *ss = &s->sections[i];
      g_autofree char *weight = num (section->weight);
      g_autofree char *earned = num (ss->earned);
      g_autofree char *possible = num (ss->possible);
      g_autofree char *percent = num (ss->percent);
      g_autofree char *contribution = num (ss->contribution);
      g_autofree char *title = section->bonus
                               ? g_strdup_printf (C_("packet", "%s (bonus)"), section->title)
                               : g_strdup (section->title);
      const char *cells[] = { title, weight, earned, possible, percent, contribution };

      doc_row (doc, cols, G_N_ELEMENTS (cols), cells, NULL, ss->failed ? BAD : INK, FALSE);
      if (section->bonus || ss->answered == 0)
        continue;
      if (points)
        {
          a += section->weight * ss->earned;
          b += section->weight * ss->possible;
        }
      else if (!isnan (ss->percent))
        {
          a += ss->percent * section->weight;
          b += section->weight;
        }
    }

  doc->y += 6;
  if (b > 0)
    {
      g_autofree char *na = num (a), *nb = num (b);

      regular = CLAMP (points ? a / b * 100 : a / b, 0, 100);
      regular_text = num (regular);
      /* Translators: the two formulas of docs/forms.md with their figures filled in */
      line = points
             ? g_strdup_printf (C_("packet", "Points form: score = Σ (section weight × earned) ÷ Σ (section weight × possible) × 100 = %s ÷ %s × 100 = %s"),
                                na, nb, regular_text)
             : g_strdup_printf (C_("packet", "Percent form: score = Σ (section percent × share) ÷ Σ share of the answered sections = %s ÷ %s = %s"),
                                na, nb, regular_text);
      assay_pdf_doc_text (doc, 0, line, "Sans 9", INK, 4);
      for (guint i = 0; i < s->n_sections; i++)
        if (!((AssaySection *) g_ptr_array_index (form->sections, i))->bonus
            && s->sections[i].answered > 0)
          {
            g_autofree char *c = num (s->sections[i].contribution);

            g_string_append_printf (sum, "%s%s", sum->len > 0 ? " + " : "", c);
          }
      g_clear_pointer (&line, g_free);
      line = g_strdup_printf (C_("packet", "The sections' contributions add up to it: %s = %s"),
                              sum->str, regular_text);
      assay_pdf_doc_text (doc, 0, line, "Sans 9", DIM, 4);
    }
  else
    assay_pdf_doc_text (doc, 0, C_("packet", "Nothing scored is answered, so there is no score."),
              "Sans 9", INK, 4);

  if (form->minimum > 0 && b > 0)
    {
      g_autofree char *m = num (form->minimum);

      g_clear_pointer (&line, g_free);
      line = g_strdup_printf (C_("packet", "The form's floor is %s: the score is at least that once anything is answered."), m);
      assay_pdf_doc_text (doc, 0, line, "Sans 9", INK, 4);
    }
  if (s->bonus != 0)
    {
      g_autofree char *bonus = num (s->bonus);

      g_clear_pointer (&line, g_free);
      line = g_strdup_printf (C_("packet", "Bonus sections add %s points."), bonus);
      assay_pdf_doc_text (doc, 0, line, "Sans 9", INK, 4);
    }
  {
    g_autofree char *without = num (s->without_fatal);

    g_clear_pointer (&line, g_free);
    line = g_strdup_printf (C_("packet", "Score without fatal = %s"), without);
    assay_pdf_doc_text (doc, 0, line, "Sans Bold 9", INK, 4);
  }
  if (s->fatal_failed->len > 0)
    {
      g_autoptr(GString) items = g_string_new (NULL);

      for (guint i = 0; i < s->fatal_failed->len; i++)
        {
          int index = assay_form_lookup_item (form, g_ptr_array_index (s->fatal_failed, i));
          const AssayItem *item = index >= 0 ? assay_form_get_item (form, index) : NULL;

          g_string_append_printf (items, "%s%s", i > 0 ? C_("packet", ", ") : "",
                                  item != NULL ? item->text : "");
        }
      g_clear_pointer (&line, g_free);
      line = g_strdup_printf (C_("packet", "A fatal item failed (%s): the overall score is 0."),
                              items->str);
      assay_pdf_doc_text (doc, 0, line, "Sans 9", BAD, 4);
    }
  {
    g_autofree char *overall = num (s->overall);

    g_clear_pointer (&line, g_free);
    line = s->band != NULL
           ? g_strdup_printf (C_("packet", "Overall score = %s (%s)"), overall, s->band)
           : g_strdup_printf (C_("packet", "Overall score = %s"), overall);
    assay_pdf_doc_text (doc, 0, line, "Sans Bold 11", INK, 4);
  }
  assay_pdf_doc_text (doc, 0, C_("packet", "These figures are computed from the answers with the same rules as `assayctl score` (docs/forms.md)."),
            "Sans 8", DIM, 4);
}

static void
draw_evidence (AssayPdfDoc    *doc,
               Packet *p)
{
  static const Col cols[] = { { 170, FALSE }, { 100, FALSE }, { 229, FALSE } };
  const char *head[] = { C_("packet", "Item"), C_("packet", "Time"), C_("packet", "Comment") };
  gboolean any = FALSE;

  assay_pdf_doc_heading (doc, C_("packet", "Evidence and comments"), 70);
  for (guint i = 0; i < assay_form_get_n_items (p->form); i++)
    {
      const AssayItem *item = assay_form_get_item (p->form, i);
      const AssayAnswer *a = assay_answers_get (p->answers, i);
      g_autoptr(GString) spans = g_string_new (NULL);
      gboolean has_comment = !text_is_blank (a->comment);

      if (!has_comment && (a->evidence == NULL || a->evidence->len == 0))
        continue;
      for (guint e = 0; a->evidence != NULL && e < a->evidence->len; e++)
        {
          g_autofree char *span = span_text (&g_array_index (a->evidence, AssayEvidence, e));

          g_string_append_printf (spans, "%s%s", e > 0 ? "\n" : "", span);
        }
      if (!any)
        doc_row (doc, cols, G_N_ELEMENTS (cols), head, "Sans Bold 8", DIM, FALSE);
      any = TRUE;
      {
        const char *cells[] = { item->text, spans->len > 0 ? spans->str : "–",
                                a->comment != NULL ? a->comment : "" };

        doc_row (doc, cols, G_N_ELEMENTS (cols), cells, NULL, INK, FALSE);
      }
    }
  if (!any)
    assay_pdf_doc_text (doc, 0, C_("packet", "No answer has a comment or marked evidence."), "Sans 9",
              DIM, 4);
}

static void
draw_revisions (AssayPdfDoc    *doc,
                Packet *p)
{
  static const Col cols[] = { { 52, TRUE }, { 112, FALSE }, { 92, FALSE }, { 56, TRUE },
                              { 187, FALSE } };
  const char *head[] = { C_("packet", "Revision"), C_("packet", "Submitted"),
                         C_("packet", "By"), C_("packet", "Score"), C_("packet", "Reason") };

  assay_pdf_doc_heading (doc, C_("packet", "Revision history"), 70);
  doc_row (doc, cols, G_N_ELEMENTS (cols), head, "Sans Bold 8", DIM, FALSE);
  for (guint i = 0; i < p->data->revisions->len; i++)
    {
      const AssayRevisionRecord *r = g_ptr_array_index (p->data->revisions, i);
      g_autofree char *number = g_strdup_printf ("%d", r->number);
      g_autofree char *when = time_text (r->created_at);
      g_autofree char *score = num (r->score);
      const char *reason = r->reason != NULL && *r->reason != '\0'
                           ? r->reason : (r->number == 1 ? C_("packet", "First submission") : "");
      const char *cells[] = { number, when, r->author_name != NULL ? r->author_name : "–", score,
                              reason };

      doc_row (doc, cols, G_N_ELEMENTS (cols), cells, NULL, INK, FALSE);
    }
}

static char *
items_text (Packet     *p,
            const char *json)
{
  g_auto(GStrv) ids = NULL;
  GString *out;
  char *body;

  if (json == NULL || strstr (json, "\"") == NULL)
    return g_strdup (C_("packet", "the whole evaluation"));
  /* a JSON array of plain item ids: ["a", "b"] */
  body = g_strdelimit (g_strdup (json), "[]\"", ' ');
  ids = g_strsplit (body, ",", -1);
  g_free (body);
  out = g_string_new (NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      int index = assay_form_lookup_item (p->form, g_strstrip (ids[i]));
      const AssayItem *item = index >= 0 ? assay_form_get_item (p->form, index) : NULL;

      if (*ids[i] == '\0')
        continue;
      g_string_append_printf (out, "%s%s", out->len > 0 ? C_("packet", ", ") : "",
                              item != NULL ? item->text : ids[i]);
    }
  return g_string_free (out, FALSE);
}

static guint
draw_acks (AssayPdfDoc        *doc,
           Packet     *p,
           const char *kind,
           const char *object_id)
{
  guint drawn = 0;

  for (guint i = 0; i < p->acks->len; i++)
    {
      const AssayAcknowledgement *k = g_ptr_array_index (p->acks, i);
      g_autofree char *when = NULL;
      g_autofree char *line = NULL;

      if (g_strcmp0 (k->kind, kind) != 0 || g_strcmp0 (k->object_id, object_id) != 0)
        continue;
      when = time_text (k->created_at);
      line = k->revision_number > 0
             ? g_strdup_printf (C_("packet", "Acknowledged revision %d by %s on %s"),
                                k->revision_number, k->by_name != NULL ? k->by_name : "–", when)
             : g_strdup_printf (C_("packet", "Acknowledged by %s on %s"),
                                k->by_name != NULL ? k->by_name : "–", when);
      assay_pdf_doc_text (doc, 0, line, "Sans 9", GOOD, 2);
      if (!text_is_blank (k->comment))
        assay_pdf_doc_text (doc, 12, k->comment, "Sans Italic 9", DIM, 2);
      drawn++;
    }
  return drawn;
}

static void
draw_disputes (AssayPdfDoc    *doc,
               Packet *p)
{
  static const Col cols[] = { { 18, TRUE }, { 98, FALSE }, { 112, FALSE }, { 112, FALSE },
                              { 159, FALSE } };
  const char *head[] = { "#", C_("packet", "Step and assignee"),
                         C_("packet", "Due"), C_("packet", "Decision"),
                         C_("packet", "Reason and comment") };

  assay_pdf_doc_heading (doc, C_("packet", "Disputes"), 70);
  if (p->data->disputes->len == 0)
    assay_pdf_doc_text (doc, 0, C_("packet", "This evaluation has not been disputed."), "Sans 9", DIM, 4);
  for (guint i = 0; i < p->data->disputes->len; i++)
    {
      const AssayDisputeRecord *r = g_ptr_array_index (p->data->disputes, i);
      g_autofree char *raised = time_text (r->raised_at);
      g_autofree char *items = items_text (p, r->items);
      g_autofree char *title = NULL;
      g_autofree char *by = NULL;
      g_autofree char *what = NULL;

      title = g_strdup_printf (C_("packet", "Dispute raised %s · %s"), raised,
                               assay_packet_state_label (r->state));
      by = r->on_behalf
           ? g_strdup_printf (C_("packet", "Raised by %s on behalf of %s, about revision %d"),
                              r->raised_by_name ? r->raised_by_name : "–",
                              r->agent_name ? r->agent_name : "–", r->revision_number)
           : g_strdup_printf (C_("packet", "Raised by %s, about revision %d"),
                              r->raised_by_name ? r->raised_by_name : "–", r->revision_number);
      what = g_strdup_printf (C_("packet", "Disputed: %s. Reason: %s"), items,
                              r->reason != NULL ? r->reason : "");
      doc->y += 4;
      assay_pdf_doc_text (doc, 0, title, "Sans Bold 10", INK, 2);
      assay_pdf_doc_text (doc, 0, by, "Sans 9", DIM, 2);
      assay_pdf_doc_text (doc, 0, what, "Sans 9", INK, 6);
      doc_row (doc, cols, G_N_ELEMENTS (cols), head, "Sans Bold 8", DIM, FALSE);
      for (guint s = 0; r->steps != NULL && s < r->steps->len; s++)
        {
          const AssayDisputeStep *step = g_ptr_array_index (r->steps, s);
          g_autofree char *no = g_strdup_printf ("%d", step->position);
          g_autofree char *due = step->due_at > 0 ? time_text (step->due_at) : g_strdup ("–");
          g_autofree char *decided = step->decided_at > 0 ? time_text (step->decided_at) : NULL;
          g_autofree char *decision = NULL;
          g_autofree char *detail = NULL;
          g_autofree char *who = g_strdup_printf ("%s\n%s", assay_packet_role_label (step->role),
                                                  step->assignee_name ? step->assignee_name : "–");

          decision = step->decision != NULL
                     ? g_strdup_printf ("%s\n%s", assay_packet_decision_label (step->decision),
                                        decided != NULL ? decided : "")
                     : g_strdup (g_strcmp0 (r->state, "open") == 0 && step->position == r->current_step
                                 ? C_("packet", "under review") : "–");
          detail = step->decision != NULL
                   ? g_strdup_printf ("%s%s%s%s%s", assay_packet_reason_label (step->reason),
                                      step->comment && *step->comment ? "\n" : "",
                                      step->comment ? step->comment : "",
                                      step->decided_by_name ? "\n— " : "",
                                      step->decided_by_name ? step->decided_by_name : "")
                   : g_strdup ("");
          {
            const char *cells[] = { no, who, due, decision, detail };

            doc_row (doc, cols, G_N_ELEMENTS (cols), cells, NULL, INK, FALSE);
          }
        }
      if (r->outcome_revision_number > 0)
        {
          g_autofree char *line = g_strdup_printf (C_("packet", "The outcome amended the evaluation: revision %d."),
                                                   r->outcome_revision_number);

          assay_pdf_doc_text (doc, 0, line, "Sans Bold 9", ACCENT, 2);
        }
      draw_acks (doc, p, "dispute", r->id);
    }
  assay_pdf_doc_heading (doc, C_("packet", "Agent's acknowledgement"), 70);
  if (draw_acks (doc, p, "evaluation", p->data->evaluation_id) == 0)
    assay_pdf_doc_text (doc, 0, C_("packet", "The agent has not acknowledged this evaluation."), "Sans 9",
              DIM, 4);
}

/* ---- reading and rendering ---- */

static gboolean
packet_read (AssayStore    *store,
             const char    *evaluation_id,
             Packet        *p,
             GError       **error)
{
  const AssayRevisionRecord *current;

  p->data = assay_store_get_dispute_packet_data_sync (store, evaluation_id, error);
  if (p->data == NULL)
    return FALSE;
  if (p->data->revisions->len == 0)
    {
      g_set_error (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID,
                   C_("packet", "The evaluation %s has not been submitted; a packet shows submitted evaluations"),
                   evaluation_id);
      return FALSE;
    }
  current = g_ptr_array_index (p->data->revisions, p->data->revisions->len - 1);
  p->current = current;
  p->form = assay_form_from_json (p->data->form_definition, -1, error);
  if (p->form == NULL)
    return FALSE;
  p->answers = assay_answers_from_json (p->form, current->answers, -1, error);
  if (p->answers == NULL)
    return FALSE;
  p->score = assay_score_compute (p->answers);

  p->acks = assay_store_list_acknowledgements_sync (store, "evaluation", evaluation_id, error);
  if (p->acks == NULL)
    return FALSE;
  for (guint i = 0; i < p->data->disputes->len; i++)
    {
      const AssayDisputeRecord *r = g_ptr_array_index (p->data->disputes, i);
      g_autoptr(GPtrArray) more = assay_store_list_acknowledgements_sync (store, "dispute", r->id,
                                                                          error);

      if (more == NULL)
        return FALSE;
      g_ptr_array_extend_and_steal (p->acks, g_steal_pointer (&more));
    }
  return TRUE;
}

static GBytes *
render (Packet        *p,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  AssayPdfDoc doc;
  g_autofree char *title = g_strdup_printf (C_("packet", "Dispute packet: %s, %s"),
                                            p->data->agent_name ? p->data->agent_name : "",
                                            p->data->form_name);

  assay_pdf_doc_begin (&doc, title, C_("packet", "Page %d"));
  draw_facts (&doc, p);
  draw_summary (&doc, p);
  draw_answers (&doc, p);
  draw_formula (&doc, p);
  draw_evidence (&doc, p);
  draw_revisions (&doc, p);
  draw_disputes (&doc, p);
  bytes = assay_pdf_doc_end (&doc, C_("packet", "Could not draw the packet (%s)"), &local_error);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (bytes == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return g_steal_pointer (&bytes);
}

gboolean
assay_packet_write_pdf_sync (AssayStore    *store,
                             const char    *evaluation_id,
                             const char    *path,
                             GCancellable  *cancellable,
                             GError       **error)
{
  Packet p = { 0 };
  g_autoptr(GBytes) pdf = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (evaluation_id != NULL && path != NULL, FALSE);
  if (packet_read (store, evaluation_id, &p, error))
    pdf = render (&p, cancellable, error);
  if (pdf != NULL)
    ok = assay_file_write_atomic (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                  cancellable, error);
  packet_clear (&p);
  return ok;
}

/* ---- in a thread ---- */

typedef struct {
  char *evaluation_id;
  char *path;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->evaluation_id);
  g_free (data->path);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (assay_packet_write_pdf_sync (source, data->evaluation_id, data->path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
assay_packet_write_pdf_async (AssayStore          *store,
                              const char          *evaluation_id,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  data->evaluation_id = g_strdup (evaluation_id);
  data->path = g_strdup (path);
  g_task_set_source_tag (task, assay_packet_write_pdf_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
assay_packet_write_pdf_finish (AssayStore    *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
