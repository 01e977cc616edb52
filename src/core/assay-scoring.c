/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-scoring.h"

#include <math.h>

G_DEFINE_BOXED_TYPE (AssayScore, assay_score, assay_score_copy, assay_score_free)

static gboolean
comment_is_empty (const char *comment)
{
  if (comment == NULL)
    return TRUE;
  for (; *comment != '\0'; comment++)
    if (!g_ascii_isspace (*comment))
      return FALSE;
  return TRUE;
}

/* Sums one section's answers into @ss; returns the critical items answered and passed. */
static void
score_section (AssayScore         *score,
               const AssayForm    *form,
               const AssaySection *section,
               const AssayAnswers *answers,
               AssaySectionScore  *ss,
               guint              *crit_n,
               guint              *crit_pass)
{
  double e_pos = 0, e_ded = 0, p_ans = 0, p_na = 0, p_missed = 0;

  ss->id = section->id;
  ss->bonus = section->bonus;

  for (guint i = 0; i < section->items->len; i++)
    {
      const AssayItem *item = g_ptr_array_index (section->items, i);
      const AssayAnswer *a = assay_answers_get (answers, item->index);
      double r, m, e, p;

      if (a->suggested)
        score->n_unconfirmed++;
      if (a->state == ASSAY_ANSWER_NONE)
        {
          if (item->required)
            g_ptr_array_add (score->unanswered_required, item->id);
          /* there is no N/A in a bonus section: a bonus not given is a bonus not earned */
          if (section->bonus && assay_item_kind_is_scored (item->kind))
            p_missed += assay_item_get_max_points (item);
          continue;
        }
      if (!assay_item_kind_is_scored (item->kind))
        continue;
      if (a->state == ASSAY_ANSWER_NA)
        {
          p_na += assay_item_get_max_points (item);
          ss->na++;
          continue;
        }

      assay_answer_raw (item, a, &r, &m);
      e = r * item->weight;
      p = m * item->weight;
      ss->answered++;
      /* deductions (nothing to gain) are never scaled by N/A redistribution */
      if (p > 0)
        e_pos += e;
      else
        e_ded += e;
      p_ans += p;

      if (r < m)
        {
          if (comment_is_empty (a->comment) && assay_answer_needs_comment (item, a))
            g_ptr_array_add (score->missing_comments, item->id);
          if (item->fatal)
            g_ptr_array_add (score->fatal_failed, item->id);
          if (item->fail_section)
            ss->failed = TRUE;
        }
      if (item->critical)
        {
          (*crit_n)++;
          if (r >= m)
            (*crit_pass)++;
          else
            g_ptr_array_add (score->critical_failed, item->id);
        }
    }

  if (ss->answered == 0)
    {
      ss->earned = ss->possible = 0;
      ss->percent = NAN;
      return;
    }

  ss->possible = p_ans + p_missed;
  if (form->na_redistribution && p_na > 0 && p_ans > 0)
    {
      /* the N/A items' points are shared among the answered ones in proportion */
      e_pos *= (p_ans + p_na) / p_ans;
      ss->possible = p_ans + p_na;
    }
  ss->earned = e_pos + e_ded + section->baseline;
  ss->possible += section->baseline;
  if (ss->failed)
    ss->earned = 0;
  if (section->bonus)
    ss->earned = CLAMP (ss->earned, 0, ss->possible);
  ss->percent = ss->possible > 0 ? CLAMP (ss->earned / ss->possible * 100, 0, 100) : NAN;
}

AssayScore *
assay_score_compute (const AssayAnswers *answers)
{
  AssayForm *form;
  AssayScore *score;
  guint crit_n = 0, crit_pass = 0;
  double regular = NAN, num = 0, den = 0;

  g_return_val_if_fail (answers != NULL, NULL);

  form = assay_answers_get_form (answers);
  g_return_val_if_fail (assay_form_is_valid (form), NULL);
  g_return_val_if_fail (assay_form_get_n_items (form) == assay_answers_get_n_items (answers),
                        NULL);
  score = g_new0 (AssayScore, 1);
  score->form = assay_form_ref (form);
  score->fatal_failed = g_ptr_array_new ();
  score->critical_failed = g_ptr_array_new ();
  score->missing_comments = g_ptr_array_new ();
  score->unanswered_required = g_ptr_array_new ();
  score->n_sections = form->sections->len;
  score->sections = g_new0 (AssaySectionScore, MAX (score->n_sections, 1));

  for (guint s = 0; s < score->n_sections; s++)
    {
      AssaySectionScore *ss = &score->sections[s];

      score_section (score, form, g_ptr_array_index (form->sections, s), answers, ss,
                     &crit_n, &crit_pass);
      score->answered += ss->answered;
      score->na += ss->na;
    }

  if (form->mode == ASSAY_FORM_MODE_POINTS)
    {
      /* Σ w·earned / Σ w·possible; deductions may take points from other sections */
      for (guint s = 0; s < score->n_sections; s++)
        {
          const AssaySection *section = g_ptr_array_index (form->sections, s);
          const AssaySectionScore *ss = &score->sections[s];

          if (ss->answered > 0 && !section->bonus)
            {
              num += section->weight * ss->earned;
              den += section->weight * ss->possible;
            }
        }
      if (den > 0)
        {
          regular = CLAMP (num / den * 100, 0, 100);
          for (guint s = 0; s < score->n_sections; s++)
            {
              const AssaySection *section = g_ptr_array_index (form->sections, s);
              AssaySectionScore *ss = &score->sections[s];

              if (ss->answered == 0)
                continue;
              ss->contribution = section->weight * ss->earned / den * 100;
              if (section->bonus)
                score->bonus += ss->contribution;
            }
        }
    }
  else
    {
      /* Σ (earned_s / possible_s) × percent_s over the sections that apply, renormalised when
       * some sections are entirely N/A so that a form of answered sections still reaches 100 */
      for (guint s = 0; s < score->n_sections; s++)
        {
          const AssaySection *section = g_ptr_array_index (form->sections, s);
          const AssaySectionScore *ss = &score->sections[s];

          if (!section->bonus && !isnan (ss->percent))
            {
              num += ss->percent / 100 * section->weight;
              den += section->weight;
            }
        }
      if (den > 0)
        regular = CLAMP (num / den * 100, 0, 100);
      for (guint s = 0; s < score->n_sections; s++)
        {
          const AssaySection *section = g_ptr_array_index (form->sections, s);
          AssaySectionScore *ss = &score->sections[s];

          if (isnan (ss->percent))
            continue;
          if (section->bonus)
            {
              ss->contribution = ss->percent / 100 * section->weight;
              score->bonus += ss->contribution;
            }
          else if (den > 0)
            ss->contribution = ss->percent * section->weight / den;
        }
    }

  if (!isnan (regular))
    {
      regular = MAX (regular, form->minimum);
      score->without_fatal = regular + score->bonus;
    }
  else
    score->without_fatal = NAN;
  score->overall = score->fatal_failed->len > 0 ? 0 : score->without_fatal;
  score->critical = crit_n > 0 ? 100.0 * crit_pass / crit_n : NAN;
  score->band = assay_form_band_for (form, score->overall);
  return score;
}

static GPtrArray *
ptr_array_copy (GPtrArray *src)
{
  GPtrArray *dest = g_ptr_array_sized_new (src->len);

  for (guint i = 0; i < src->len; i++)
    g_ptr_array_add (dest, g_ptr_array_index (src, i));
  return dest;
}

AssayScore *
assay_score_copy (const AssayScore *src)
{
  AssayScore *score;

  g_return_val_if_fail (src != NULL, NULL);

  score = g_memdup2 (src, sizeof *src);
  score->form = assay_form_ref (src->form);
  score->fatal_failed = ptr_array_copy (src->fatal_failed);
  score->critical_failed = ptr_array_copy (src->critical_failed);
  score->missing_comments = ptr_array_copy (src->missing_comments);
  score->unanswered_required = ptr_array_copy (src->unanswered_required);
  score->sections = g_memdup2 (src->sections,
                               sizeof (AssaySectionScore) * MAX (src->n_sections, 1));
  return score;
}

void
assay_score_free (AssayScore *score)
{
  if (score == NULL)
    return;
  g_ptr_array_unref (score->fatal_failed);
  g_ptr_array_unref (score->critical_failed);
  g_ptr_array_unref (score->missing_comments);
  g_ptr_array_unref (score->unanswered_required);
  g_free (score->sections);
  assay_form_unref (score->form);
  g_free (score);
}

gboolean
assay_score_is_complete (const AssayScore *score)
{
  g_return_val_if_fail (score != NULL, FALSE);
  return score->missing_comments->len == 0 && score->unanswered_required->len == 0
         && score->n_unconfirmed == 0;
}

double
assay_score_mean (const double *scores,
                  gsize         n_scores,
                  guint        *out_n)
{
  double sum = 0;
  guint n = 0;

  for (gsize i = 0; i < n_scores; i++)
    {
      if (isnan (scores[i]))
        continue;
      sum += scores[i];
      n++;
    }
  if (out_n != NULL)
    *out_n = n;
  return n > 0 ? sum / n : NAN;
}
