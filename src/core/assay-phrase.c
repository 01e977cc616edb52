/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-phrase.h"

#include <string.h>

typedef struct {
  char   *text;        /* normalised */
  GArray *offsets;     /* guint32: byte offset in the segment's text of each character */
  gint64  rel_ms;      /* start from the start of the contact */
} IndexedSegment;

struct _AssayPhraseIndex
{
  const AssayUtterances *segments;
  IndexedSegment      *entries;
  guint                n;
};

static gboolean
is_ignored (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
assay_phrase_normalise (const char *text,
                        GArray     *offsets)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint32 offset = (guint32) (p - text);
      gunichar c = (guchar) *p;

      if (c < 0x80)
        {
          /* the common case, without a table look-up */
          if (!g_ascii_isalnum (c))
            continue;
          g_string_append_c (out, g_ascii_tolower (c));
        }
      else
        {
          c = g_utf8_get_char (p);
          if (c >= 0xFF01 && c <= 0xFF5E)         /* full-width ASCII forms */
            c -= 0xFEE0;
          if (is_ignored (c) || g_unichar_isspace (c))
            continue;
          c = g_unichar_tolower (c);
          g_string_append_unichar (out, c);
        }
      if (offsets != NULL)
        g_array_append_val (offsets, offset);
    }
  if (offsets != NULL)
    {
      guint32 end = (guint32) (p - text);

      g_array_append_val (offsets, end);
    }
  return g_string_free (out, FALSE);
}

AssayPhraseIndex *
assay_phrase_index_new (const AssayUtterances *segments)
{
  AssayPhraseIndex *self;
  gint64 origin = 0;

  g_return_val_if_fail (segments != NULL, NULL);

  self = g_new0 (AssayPhraseIndex, 1);
  self->segments = segments;
  self->n = assay_utterances_get_n (segments);
  self->entries = g_new0 (IndexedSegment, MAX (self->n, 1));
  /* a conversation's times are wall-clock: windows count from its first message */
  if (segments->kind == ASSAY_TRANSCRIPT_CONVERSATION && self->n > 0)
    origin = assay_utterances_get (segments, 0)->start_ms;
  for (guint i = 0; i < self->n; i++)
    {
      const AssayUtterance *segment = assay_utterances_get (segments, i);
      IndexedSegment *e = &self->entries[i];

      e->offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
      e->text = assay_phrase_normalise (segment->text, e->offsets);
      e->rel_ms = segment->start_ms - origin;
    }
  return self;
}

void
assay_phrase_index_free (AssayPhraseIndex *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n; i++)
    {
      g_free (self->entries[i].text);
      g_array_unref (self->entries[i].offsets);
    }
  g_free (self->entries);
  g_free (self);
}

static glong
char_index (const char *text,
            const char *at)
{
  return g_utf8_pointer_to_offset (text, at);
}

gboolean
assay_phrase_index_find (const AssayPhraseIndex *self,
                         const char *const      *forms,
                         AssaySpeaker               role,
                         gint64                  within_ms,
                         AssayPhraseMatch       *out_match)
{
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (forms != NULL, FALSE);

  for (guint f = 0; forms[f] != NULL; f++)
    {
      char *needle = assay_phrase_normalise (forms[f], NULL);

      if (*needle == '\0')
        g_free (needle);
      else
        g_ptr_array_add (needles, needle);
    }
  if (needles->len == 0)
    return FALSE;

  for (guint i = 0; i < self->n; i++)
    {
      const AssayUtterance *segment = assay_utterances_get (self->segments, i);
      const IndexedSegment *e = &self->entries[i];

      if (within_ms > 0 && e->rel_ms >= within_ms)
        break;    /* segments are in time order */
      if (role != ASSAY_SPEAKER_UNKNOWN && segment->role != role)
        continue;
      for (guint f = 0; f < needles->len; f++)
        {
          const char *needle = g_ptr_array_index (needles, f);
          /* UTF-8 is self-synchronising: a byte match is a character match */
          const char *hit = strstr (e->text, needle);
          glong first, last;

          if (hit == NULL)
            continue;
          if (out_match != NULL)
            {
              first = char_index (e->text, hit);
              last = first + g_utf8_strlen (needle, -1);
              out_match->segment = i;
              out_match->start = g_array_index (e->offsets, guint32, first);
              /* end: where the character after the last matched one starts, less what the
               * normalisation dropped in between (trailing punctuation stays outside) */
              {
                const char *last_char = segment->text
                                        + g_array_index (e->offsets, guint32, last - 1);

                out_match->end = (gsize) (g_utf8_next_char (last_char) - segment->text);
              }
              if (self->segments->kind == ASSAY_TRANSCRIPT_CONVERSATION)
                out_match->start_ms = out_match->end_ms = e->rel_ms;
              else
                {
                  out_match->start_ms = segment->start_ms;
                  out_match->end_ms = segment->end_ms;
                }
            }
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
assay_script_check (const AssayScript      *script,
                    const AssayPhraseIndex *index,
                    GArray                 *matches)
{
  gint64 within_ms;
  gboolean said_all = TRUE;
  guint found_from = matches != NULL ? matches->len : 0;

  g_return_val_if_fail (script != NULL, FALSE);
  g_return_val_if_fail (index != NULL, FALSE);

  within_ms = script->within_s > 0 ? (gint64) (script->within_s * 1000.0 + 0.5) : 0;
  for (guint i = 0; i < script->must_not_say->len; i++)
    {
      AssayPhraseMatch match;

      if (assay_phrase_index_find (index, g_ptr_array_index (script->must_not_say, i),
                                   script->speaker, within_ms, &match))
        {
          if (matches != NULL && said_all)
            g_array_set_size (matches, found_from);   /* what fails it is the evidence */
          said_all = FALSE;
          if (matches != NULL)
            g_array_append_val (matches, match);
        }
    }
  if (!said_all)
    return FALSE;
  for (guint i = 0; i < script->must_say->len; i++)
    {
      AssayPhraseMatch match;

      if (!assay_phrase_index_find (index, g_ptr_array_index (script->must_say, i),
                                    script->speaker, within_ms, &match))
        said_all = FALSE;
      else if (matches != NULL)
        g_array_append_val (matches, match);
    }
  return said_all;
}

guint
assay_phrase_suggest (AssayAnswers           *answers,
                      const AssayPhraseIndex *index)
{
  AssayForm *form;
  guint n, suggested = 0;

  g_return_val_if_fail (answers != NULL, 0);
  g_return_val_if_fail (index != NULL, 0);

  form = assay_answers_get_form (answers);
  n = assay_form_get_n_items (form);
  for (guint i = 0; i < n; i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      g_autoptr(GArray) matches = NULL;
      g_autoptr(GArray) evidence = NULL;
      gboolean pass;

      if (item->script == NULL
          || (item->kind != ASSAY_ITEM_YES_NO && item->kind != ASSAY_ITEM_YES_NO_NA)
          || assay_answers_get (answers, i)->state != ASSAY_ANSWER_NONE)
        continue;
      matches = g_array_new (FALSE, FALSE, sizeof (AssayPhraseMatch));
      pass = assay_script_check (item->script, index, matches);
      evidence = g_array_sized_new (FALSE, FALSE, sizeof (AssayEvidence), matches->len);
      for (guint m = 0; m < matches->len; m++)
        {
          const AssayPhraseMatch *match = &g_array_index (matches, AssayPhraseMatch, m);
          AssayEvidence span = { match->start_ms, match->end_ms };
          gboolean seen = FALSE;

          /* several phrases said in one line are one span of evidence, not one each */
          for (guint e = 0; e < evidence->len && !seen; e++)
            seen = g_array_index (evidence, AssayEvidence, e).start_ms == span.start_ms
                   && g_array_index (evidence, AssayEvidence, e).end_ms == span.end_ms;
          if (!seen)
            g_array_append_val (evidence, span);
        }
      if (assay_answers_set_suggestion (answers, i, pass ? 0 : 1, evidence, NULL))
        suggested++;
    }
  return suggested;
}
