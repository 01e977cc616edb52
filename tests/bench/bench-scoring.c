/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How long one rescore of a 200-item form takes: the scoring panel rescores on every keystroke,
 * so this must stay well under 1 ms. Prints figures; never passes or fails on time.
 */
#include <stdio.h>
#include <string.h>

#include "core/assay-form.h"
#include "core/assay-scoring.h"
#include "protocol/assay-form-json.h"

#define N_SECTIONS 10
#define N_PER_SECTION 20

/* A realistic mix: yes/no, yes/no/N/A, scales, choices, deductions, a fatal and critical items. */
static AssayForm *
make_form (void)
{
  AssayForm *form = assay_form_new ("bench", "Bench 200", 1, ASSAY_FORM_MODE_PERCENT);
  g_autoptr(GError) error = NULL;

  form->comment_on_deduction = TRUE;
  form->na_redistribution = TRUE;
  assay_form_add_band (form, "Needs improvement", 0);
  assay_form_add_band (form, "Meets", 70);
  assay_form_add_band (form, "Exceeds", 90);
  for (int s = 0; s < N_SECTIONS; s++)
    {
      g_autofree char *sid = g_strdup_printf ("s%d", s);
      AssaySection *section = assay_form_add_section (form, sid, sid, 100.0 / N_SECTIONS);

      section->baseline = s == 3 ? 5 : 0;
      for (int i = 0; i < N_PER_SECTION; i++)
        {
          g_autofree char *iid = g_strdup_printf ("s%d.i%d", s, i);
          AssayItemKind kind = (AssayItemKind) ((s + i) % 6);
          AssayItem *item = assay_form_add_item (form, section, iid, kind, iid);

          item->weight = 1 + i % 3;
          item->critical = i == 7;
          item->fatal = i == 3 && s == 9 && kind <= ASSAY_ITEM_YES_NO_NA;
          if (kind == ASSAY_ITEM_POINTS)
            {
              item->min = -5;
              item->max = 5;
            }
          if (kind == ASSAY_ITEM_SINGLE_CHOICE || kind == ASSAY_ITEM_MULTIPLE_CHOICE)
            for (int k = 0; k < 4; k++)
              {
                g_autofree char *oid = g_strdup_printf ("o%d", k);

                assay_form_add_option (form, item, oid, oid, 3 - k);
              }
        }
    }
  if (!assay_form_publish (form, &error))
    g_error ("bench form: %s", error->message);
  return form;
}

static void
answer_all (AssayAnswers *answers,
            GRand        *rand)
{
  AssayForm *form = assay_answers_get_form (answers);

  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);

      if (item->allow_na && g_rand_int_range (rand, 0, 8) == 0)
        assay_answers_set_na (answers, i, NULL);
      else if (item->kind == ASSAY_ITEM_POINTS)
        assay_answers_set_value (answers, i, g_rand_int_range (rand, -5, 6), NULL);
      else if (item->kind == ASSAY_ITEM_MULTIPLE_CHOICE)
        assay_answers_set_choices (answers, i, g_rand_int_range (rand, 0, 16), NULL);
      else
        assay_answers_set_choice (answers, i,
                                  g_rand_int_range (rand, 0, assay_item_get_n_choices (item)),
                                  NULL);
      if (g_rand_boolean (rand))
        assay_answers_set_comment (answers, i, "noted");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AssayForm) form = make_form ();
  g_autoptr(AssayAnswers) answers = assay_answers_new (form);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree char *form_json = NULL;
  const int iterations = 20000;
  double checksum = 0;
  gint64 start;
  double ms;

  answer_all (answers, rand);

  /* warm up */
  for (int i = 0; i < 100; i++)
    assay_score_free (assay_score_compute (answers));

  start = g_get_monotonic_time ();
  for (int i = 0; i < iterations; i++)
    {
      AssayScore *score;

      /* as on a keystroke: one answer changes, then the whole form is rescored */
      assay_answers_press_key (answers, (guint) (i % 200), '1' + (i % 2));
      score = assay_score_compute (answers);
      checksum += score->without_fatal;
      assay_score_free (score);
    }
  ms = (g_get_monotonic_time () - start) / 1000.0 / iterations;
  printf ("rescore %u-item form: %.4f ms (mean of %d, target well under 1 ms)\n",
          assay_form_get_n_items (form), ms, iterations);

  start = g_get_monotonic_time ();
  for (int i = 0; i < iterations; i++)
    {
      g_autoptr(GArray) problems = assay_answers_check_submit (answers);

      checksum += problems->len;
    }
  printf ("submit check of the same form: %.4f ms\n",
          (g_get_monotonic_time () - start) / 1000.0 / iterations);

  form_json = assay_form_to_json (form);
  start = g_get_monotonic_time ();
  for (int i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayForm) parsed = assay_form_from_json (form_json, -1, &error);

      if (parsed == NULL)
        g_error ("parse: %s", error->message);
    }
  printf ("parse and validate the %u-item form from JSON (%zu bytes): %.3f ms\n",
          assay_form_get_n_items (form), strlen (form_json),
          (g_get_monotonic_time () - start) / 1000.0 / 200);

  start = g_get_monotonic_time ();
  for (int i = 0; i < 1000; i++)
    {
      g_autoptr(AssayScore) score = assay_score_compute (answers);
      g_autofree char *json = assay_score_to_json (score, FALSE);

      checksum += json[0];
    }
  printf ("rescore and write the result JSON: %.4f ms\n",
          (g_get_monotonic_time () - start) / 1000.0 / 1000);

  /* keeps the loops from being optimised away */
  if (checksum == 42.4242)
    printf ("%f\n", checksum);
  return 0;
}
