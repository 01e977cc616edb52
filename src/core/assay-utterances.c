/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-utterances.h"

static const char *const role_names[] = { "unknown", "agent", "customer" };

const char *
assay_speaker_to_string (AssaySpeaker role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

gboolean
assay_speaker_from_string (const char *text,
                        AssaySpeaker *out_role)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (strcmp (text, role_names[i]) == 0)
      {
        *out_role = (AssaySpeaker) i;
        return TRUE;
      }
  return FALSE;
}

AssaySpeaker
assay_role_guess (const char *speaker)
{
  static const char *const agent_words[] = { "agent", "advisor", "adviser", "operator",
                                             "representative", "坐席", "客服", "座席", "話務員",
                                             "话务员", NULL };
  static const char *const customer_words[] = { "customer", "caller", "client", "客户", "客戶",
                                                "顾客", "顧客", "来电", "來電", NULL };
  g_autofree char *folded = NULL;

  if (speaker == NULL)
    return ASSAY_SPEAKER_UNKNOWN;
  folded = g_utf8_casefold (speaker, -1);
  for (guint i = 0; agent_words[i] != NULL; i++)
    if (strstr (folded, agent_words[i]) != NULL)
      return ASSAY_SPEAKER_AGENT;
  for (guint i = 0; customer_words[i] != NULL; i++)
    if (strstr (folded, customer_words[i]) != NULL)
      return ASSAY_SPEAKER_CUSTOMER;
  return ASSAY_SPEAKER_UNKNOWN;
}

const char *
assay_transcript_kind_to_string (AssayTranscriptKind kind)
{
  return kind == ASSAY_TRANSCRIPT_CONVERSATION ? "conversation" : "call_transcript";
}

static void
segment_clear (gpointer data)
{
  AssayUtterance *segment = data;

  g_free (segment->speaker);
  g_free (segment->text);
  g_free (segment->subject);
}

AssayUtterances *
assay_utterances_new (AssayTranscriptKind kind)
{
  AssayUtterances *self = g_new0 (AssayUtterances, 1);

  self->kind = kind;
  self->segments = g_array_new (FALSE, TRUE, sizeof (AssayUtterance));
  g_array_set_clear_func (self->segments, segment_clear);
  return self;
}

void
assay_utterances_free (AssayUtterances *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->segments);
  g_free (self);
}

AssayUtterance *
assay_utterances_add (AssayUtterances *self,
                    gint64         start_ms,
                    gint64         end_ms,
                    const char    *speaker,
                    AssaySpeaker      role,
                    const char    *text)
{
  AssayUtterance segment = { start_ms, end_ms, g_strdup (speaker), role, g_strdup (text), NULL };

  g_return_val_if_fail (self != NULL, NULL);
  g_array_append_val (self->segments, segment);
  return &g_array_index (self->segments, AssayUtterance, self->segments->len - 1);
}

guint
assay_utterances_get_n (const AssayUtterances *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->segments->len;
}

const AssayUtterance *
assay_utterances_get (const AssayUtterances *self,
                    guint                index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->segments->len, NULL);
  return &g_array_index (self->segments, AssayUtterance, index);
}

int
assay_utterances_find_at (const AssayUtterances *self,
                        gint64               position_ms)
{
  guint lo = 0, hi;

  g_return_val_if_fail (self != NULL, -1);
  hi = self->segments->len;
  /* first segment starting after the position; the one before it is current */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->segments, AssayUtterance, mid).start_ms <= position_ms)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (int) lo - 1;
}
