/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The scoring engine: every worked example of shared/design/SCORING.md as a vector, the rules of
 * docs/forms.md one by one, and property tests over many seeded random forms and answers.
 */
#include <math.h>
#include <string.h>

#include "core/assay-form.h"
#include "core/assay-scoring.h"

#define EPS 1e-9

static guint
item_index (AssayAnswers *answers,
            const char   *id)
{
  int index = assay_form_lookup_item (assay_answers_get_form (answers), id);

  g_assert_cmpint (index, >=, 0);
  return (guint) index;
}

static void
yes (AssayAnswers *answers,
     const char   *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_answers_set_choice (answers, item_index (answers, id), 0, &error));
  g_assert_no_error (error);
}

static void
no (AssayAnswers *answers,
    const char   *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_answers_set_choice (answers, item_index (answers, id), 1, &error));
  g_assert_no_error (error);
}

static void
value (AssayAnswers *answers,
       const char   *id,
       double        v)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_answers_set_value (answers, item_index (answers, id), v, &error));
  g_assert_no_error (error);
}

static void
na (AssayAnswers *answers,
    const char   *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_answers_set_na (answers, item_index (answers, id), &error));
  g_assert_no_error (error);
}

static void
validate (AssayForm *form)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_form_validate (form, &error));
  g_assert_no_error (error);
}

static const AssaySectionScore *
section_score (const AssayScore *score,
               const char       *id)
{
  for (guint s = 0; s < score->n_sections; s++)
    if (g_strcmp0 (score->sections[s].id, id) == 0)
      return &score->sections[s];
  g_assert_not_reached ();
  return NULL;
}

static AssayItem *
add_points (AssayForm    *form,
            AssaySection *section,
            const char   *id,
            double        min,
            double        max)
{
  AssayItem *item = assay_form_add_item (form, section, id, ASSAY_ITEM_POINTS, id);

  item->min = min;
  item->max = max;
  return item;
}

static AssayItem *
add_scale (AssayForm    *form,
           AssaySection *section,
           const char   *id,
           double        min,
           double        max)
{
  AssayItem *item = assay_form_add_item (form, section, id, ASSAY_ITEM_SCALE, id);

  item->min = min;
  item->max = max;
  return item;
}

/* Worked examples ------------------------------------------------------------------------------ */

/* 1. G1 weight 40: Yes, No; G2 weight 20: Yes. (1×40 + 1×20) / (2×40 + 1×20) = 60 % */
static void
test_example_1_weighted_groups (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("ex1", "Example 1", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *g1 = assay_form_add_section (form, "g1", "G1", 40);
  AssaySection *g2 = assay_form_add_section (form, "g2", "G2", 20);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) score = NULL;

  assay_form_add_item (form, g1, "a", ASSAY_ITEM_YES_NO, "A");
  assay_form_add_item (form, g1, "b", ASSAY_ITEM_YES_NO, "B");
  assay_form_add_item (form, g2, "c", ASSAY_ITEM_YES_NO, "C");
  validate (form);
  answers = assay_answers_new (form);
  yes (answers, "a");
  no (answers, "b");
  yes (answers, "c");
  score = assay_score_compute (answers);

  g_assert_cmpfloat_with_epsilon (score->overall, 60, EPS);
  g_assert_cmpfloat_with_epsilon (score->without_fatal, 60, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (score, "g1")->earned, 1, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (score, "g1")->possible, 2, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (score, "g1")->percent, 50, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (score, "g1")->contribution, 40, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (score, "g2")->contribution, 20, EPS);
  g_assert_true (isnan (score->critical));
  g_assert_null (score->band);
  g_assert_cmpuint (score->answered, ==, 3);
  g_assert_true (assay_score_is_complete (score));
}

/* 2. Sections 10/30/50/10 % scoring 3/3, 5/10, 4/5, 1/2 → 70 %; as plain points 13/20 → 65 % */
static AssayForm *
example_2_form (AssayFormMode mode)
{
  AssayForm *form = assay_form_new ("ex2", "Example 2", 1, mode);
  gboolean percent = mode == ASSAY_FORM_MODE_PERCENT;
  AssaySection *s1 = assay_form_add_section (form, "s1", "S1", percent ? 10 : 1);
  AssaySection *s2 = assay_form_add_section (form, "s2", "S2", percent ? 30 : 1);
  AssaySection *s3 = assay_form_add_section (form, "s3", "S3", percent ? 50 : 1);
  AssaySection *s4 = assay_form_add_section (form, "s4", "S4", percent ? 10 : 1);

  assay_form_add_item (form, s1, "s1a", ASSAY_ITEM_YES_NO, "a");
  assay_form_add_item (form, s1, "s1b", ASSAY_ITEM_YES_NO, "b");
  assay_form_add_item (form, s1, "s1c", ASSAY_ITEM_YES_NO, "c");
  add_points (form, s2, "s2a", 0, 10);
  /* "4/5" are points: as a scale, 0–5 would be worth its weight (1), not 5 points */
  add_points (form, s3, "s3a", 0, 5);
  assay_form_add_item (form, s4, "s4a", ASSAY_ITEM_YES_NO, "a");
  assay_form_add_item (form, s4, "s4b", ASSAY_ITEM_YES_NO, "b");
  validate (form);
  return form;
}

static AssayScore *
example_2_score (AssayFormMode mode)
{
  g_autoptr(AssayForm) form = example_2_form (mode);
  g_autoptr(AssayAnswers) answers = assay_answers_new (form);

  yes (answers, "s1a");
  yes (answers, "s1b");
  yes (answers, "s1c");
  value (answers, "s2a", 5);
  value (answers, "s3a", 4);
  yes (answers, "s4a");
  no (answers, "s4b");
  return assay_score_compute (answers);
}

static void
test_example_2_percent_of_form (void)
{
  g_autoptr(AssayScore) percent = example_2_score (ASSAY_FORM_MODE_PERCENT);
  g_autoptr(AssayScore) points = example_2_score (ASSAY_FORM_MODE_POINTS);

  g_assert_cmpfloat_with_epsilon (percent->overall, 70, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (percent, "s1")->contribution, 10, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (percent, "s2")->contribution, 15, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (percent, "s3")->contribution, 40, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (percent, "s4")->contribution, 5, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (percent, "s3")->percent, 80, EPS);

  g_assert_cmpfloat_with_epsilon (points->overall, 65, EPS);
}

/* 3. Five reviews scoring 100, 9.91, 63.96, 90.99 and 0: team score 52.97 % (plain mean) */
static void
test_example_3_team_mean (void)
{
  const double scores[] = { 100, 9.91, 63.96, 90.99, 0 };
  const double with_gap[] = { 100, NAN, 9.91, 63.96, 90.99, 0, NAN };
  guint n = 0;
  double mean = assay_score_mean (scores, G_N_ELEMENTS (scores), &n);

  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat_with_epsilon (round (mean * 100) / 100, 52.97, EPS);
  g_assert_cmpfloat_with_epsilon (assay_score_mean (with_gap, G_N_ELEMENTS (with_gap), &n), mean,
                                  EPS);
  g_assert_cmpuint (n, ==, 5);
  g_assert_true (isnan (assay_score_mean (scores, 0, &n)));
  g_assert_cmpuint (n, ==, 0);
}

/* 4. A category scoring (10 + 5) of 20 possible, with base percentage 50: 0.75 × 50 = 37.5 */
static void
test_example_4_category_percentage (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("ex4", "Example 4", 1, ASSAY_FORM_MODE_PERCENT);
  AssaySection *cat = assay_form_add_section (form, "cat", "Category", 50);
  AssaySection *other = assay_form_add_section (form, "other", "Other", 50);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) score = NULL;

  add_points (form, cat, "p1", 0, 10);
  add_points (form, cat, "p2", 0, 10);
  assay_form_add_item (form, other, "o", ASSAY_ITEM_YES_NO, "o");
  validate (form);
  answers = assay_answers_new (form);
  value (answers, "p1", 10);
  value (answers, "p2", 5);
  yes (answers, "o");
  score = assay_score_compute (answers);

  g_assert_cmpfloat_with_epsilon (section_score (score, "cat")->earned, 15, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (score, "cat")->possible, 20, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (score, "cat")->contribution, 37.5, EPS);
  g_assert_cmpfloat_with_epsilon (score->overall, 87.5, EPS);
}

/* 5. A 3 on a 0–5 item weighted 40 %: (3/5) × 40 = 24 % of the form */
static void
test_example_5_scale_weighted (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("ex5", "Example 5", 1, ASSAY_FORM_MODE_PERCENT);
  AssaySection *res = assay_form_add_section (form, "res", "Resolution", 40);
  AssaySection *rest = assay_form_add_section (form, "rest", "Rest", 60);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) score = NULL;

  add_scale (form, res, "fix", 0, 5);
  assay_form_add_item (form, rest, "other", ASSAY_ITEM_YES_NO, "Other");
  validate (form);
  answers = assay_answers_new (form);
  value (answers, "fix", 3);
  no (answers, "other");
  score = assay_score_compute (answers);

  g_assert_cmpfloat_with_epsilon (section_score (score, "res")->contribution, 24, EPS);
  g_assert_cmpfloat_with_epsilon (score->overall, 24, EPS);
}

/* 6. Any failed fatal item: overall 0 %; score without fatal unchanged from the weighted result */
static void
test_example_6_fatal (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("ex6", "Example 6", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  AssaySection *c = assay_form_add_section (form, "c", "Compliance", 1);
  AssayItem *disclosure;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) passed = NULL;
  g_autoptr(AssayScore) failed = NULL;

  assay_form_add_item (form, s, "greet", ASSAY_ITEM_YES_NO, "Greeting");
  assay_form_add_item (form, s, "close", ASSAY_ITEM_YES_NO, "Closing");
  disclosure = assay_form_add_item (form, c, "disclosure", ASSAY_ITEM_YES_NO, "Disclosure");
  disclosure->fatal = TRUE;
  assay_form_add_band (form, "Needs improvement", 0);
  assay_form_add_band (form, "Meets", 70);
  assay_form_add_band (form, "Exceeds", 90);
  validate (form);
  answers = assay_answers_new (form);
  yes (answers, "greet");
  no (answers, "close");
  yes (answers, "disclosure");
  passed = assay_score_compute (answers);
  no (answers, "disclosure");
  failed = assay_score_compute (answers);

  g_assert_cmpfloat_with_epsilon (passed->overall, 200.0 / 3, EPS);
  g_assert_cmpuint (passed->fatal_failed->len, ==, 0);
  g_assert_cmpstr (passed->band, ==, "Needs improvement");

  g_assert_cmpfloat (failed->overall, ==, 0);
  g_assert_cmpfloat_with_epsilon (failed->without_fatal, 100.0 / 3, EPS);
  g_assert_cmpuint (failed->fatal_failed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (failed->fatal_failed, 0), ==, "disclosure");
  g_assert_cmpstr (failed->band, ==, "Needs improvement");
}

/* 7. One item at 100 % and one N/A: 100 % (in both modes) */
static void
test_example_7_na_is_not_zero (void)
{
  for (int mode = ASSAY_FORM_MODE_POINTS; mode <= ASSAY_FORM_MODE_PERCENT; mode++)
    {
      g_autoptr(AssayForm) form = assay_form_new ("ex7", "Example 7", 1, mode);
      AssaySection *s = assay_form_add_section (form, "s", "S",
                                                mode == ASSAY_FORM_MODE_PERCENT ? 100 : 1);
      g_autoptr(AssayAnswers) answers = NULL;
      g_autoptr(AssayScore) score = NULL;

      assay_form_add_item (form, s, "a", ASSAY_ITEM_YES_NO_NA, "A");
      assay_form_add_item (form, s, "b", ASSAY_ITEM_YES_NO_NA, "B");
      validate (form);
      answers = assay_answers_new (form);
      yes (answers, "a");
      na (answers, "b");
      score = assay_score_compute (answers);

      g_assert_cmpfloat_with_epsilon (score->overall, 100, EPS);
      g_assert_cmpuint (score->na, ==, 1);
      g_assert_cmpuint (score->answered, ==, 1);
      g_assert_cmpfloat_with_epsilon (section_score (score, "s")->possible, 1, EPS);
    }
}

/* Rules ---------------------------------------------------------------------------------------- */

/* A 5-point scale gives 0, 25, 50, 75, 100 % */
static void
test_scale_steps (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("scale", "Scale", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  g_autoptr(AssayAnswers) answers = NULL;

  add_scale (form, s, "q", 1, 5);
  validate (form);
  answers = assay_answers_new (form);
  for (int v = 1; v <= 5; v++)
    {
      g_autoptr(AssayScore) score = NULL;

      value (answers, "q", v);
      g_assert_cmpint (assay_answers_get (answers, 0)->choice, ==, v - 1);
      score = assay_score_compute (answers);
      g_assert_cmpfloat_with_epsilon (score->overall, (v - 1) * 25.0, EPS);
    }
}

/* 40/30/30 with the third N/A: its weight is shared among the rest, 57.1/42.9 */
static void
test_na_redistribution (void)
{
  for (int redistribute = 0; redistribute <= 1; redistribute++)
    {
      g_autoptr(AssayForm) form = assay_form_new ("na", "N/A", 1, ASSAY_FORM_MODE_POINTS);
      AssaySection *a = assay_form_add_section (form, "a", "A", 1);
      AssaySection *b = assay_form_add_section (form, "b", "B", 1);
      g_autoptr(AssayAnswers) answers = NULL;
      g_autoptr(AssayScore) score = NULL;
      const AssaySectionScore *sa;

      form->na_redistribution = redistribute;
      assay_form_add_item (form, a, "a1", ASSAY_ITEM_YES_NO_NA, "a1")->weight = 40;
      assay_form_add_item (form, a, "a2", ASSAY_ITEM_YES_NO_NA, "a2")->weight = 30;
      assay_form_add_item (form, a, "a3", ASSAY_ITEM_YES_NO_NA, "a3")->weight = 30;
      assay_form_add_item (form, b, "b1", ASSAY_ITEM_YES_NO, "b1")->weight = 100;
      validate (form);
      answers = assay_answers_new (form);
      yes (answers, "a1");
      no (answers, "a2");
      na (answers, "a3");
      no (answers, "b1");
      score = assay_score_compute (answers);
      sa = section_score (score, "a");

      /* within the section the share is 40/70 either way */
      g_assert_cmpfloat_with_epsilon (sa->percent, 4000.0 / 70, EPS);
      if (redistribute)
        {
          /* the section keeps its 100 points: a1 is now worth 57.14, a2 42.86 */
          g_assert_cmpfloat_with_epsilon (sa->possible, 100, EPS);
          g_assert_cmpfloat_with_epsilon (sa->earned, 4000.0 / 70, EPS);
          g_assert_cmpfloat_with_epsilon (round (sa->earned * 10) / 10, 57.1, EPS);
          g_assert_cmpfloat_with_epsilon (score->overall, 4000.0 / 70 / 2, EPS);
        }
      else
        {
          /* "0 out of 0": the section shrinks to 70 points */
          g_assert_cmpfloat_with_epsilon (sa->possible, 70, EPS);
          g_assert_cmpfloat_with_epsilon (sa->earned, 40, EPS);
          g_assert_cmpfloat_with_epsilon (score->overall, 40.0 / 170 * 100, EPS);
        }
    }
}

/* A failed fail-section item zeroes its section only */
static void
test_fail_section (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("fs", "Fail section", 1, ASSAY_FORM_MODE_PERCENT);
  AssaySection *id = assay_form_add_section (form, "id", "Identity", 50);
  AssaySection *other = assay_form_add_section (form, "other", "Other", 50);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) score = NULL;

  assay_form_add_item (form, id, "verify", ASSAY_ITEM_YES_NO, "Verified")->fail_section = TRUE;
  assay_form_add_item (form, id, "name", ASSAY_ITEM_YES_NO, "Used name")->weight = 3;
  assay_form_add_item (form, other, "o", ASSAY_ITEM_YES_NO, "o");
  validate (form);
  answers = assay_answers_new (form);
  no (answers, "verify");
  yes (answers, "name");
  yes (answers, "o");
  score = assay_score_compute (answers);

  g_assert_true (section_score (score, "id")->failed);
  g_assert_cmpfloat (section_score (score, "id")->earned, ==, 0);
  g_assert_cmpfloat_with_epsilon (section_score (score, "id")->possible, 4, EPS);
  g_assert_cmpfloat (section_score (score, "id")->percent, ==, 0);
  g_assert_false (section_score (score, "other")->failed);
  g_assert_cmpfloat_with_epsilon (section_score (score, "other")->percent, 100, EPS);
  g_assert_cmpfloat_with_epsilon (score->overall, 50, EPS);
  g_assert_cmpuint (score->fatal_failed->len, ==, 0);
}

/* Critical score: the share of critical items passed, apart from (but still in) the overall */
static void
test_critical (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("crit", "Critical", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) none = NULL;
  g_autoptr(AssayScore) score = NULL;
  AssayItem *choice;

  assay_form_add_item (form, s, "c1", ASSAY_ITEM_YES_NO_NA, "c1")->critical = TRUE;
  assay_form_add_item (form, s, "c2", ASSAY_ITEM_YES_NO, "c2")->critical = TRUE;
  add_scale (form, s, "c3", 1, 5)->critical = TRUE;
  choice = assay_form_add_item (form, s, "c4", ASSAY_ITEM_SINGLE_CHOICE, "c4");
  choice->critical = TRUE;
  assay_form_add_option (form, choice, "full", "Full", 2);
  assay_form_add_option (form, choice, "part", "Partial", 1);
  assay_form_add_item (form, s, "plain", ASSAY_ITEM_YES_NO, "plain");
  validate (form);
  answers = assay_answers_new (form);
  yes (answers, "plain");
  none = assay_score_compute (answers);
  g_assert_true (isnan (none->critical));

  na (answers, "c1");
  yes (answers, "c2");
  value (answers, "c3", 4);
  g_assert_true (assay_answers_set_choice (answers, item_index (answers, "c4"), 0, NULL));
  score = assay_score_compute (answers);

  /* c1 is N/A; c2 and c4 pass, c3 misses full marks */
  g_assert_cmpfloat_with_epsilon (score->critical, 200.0 / 3, EPS);
  g_assert_cmpuint (score->critical_failed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (score->critical_failed, 0), ==, "c3");
  /* they count in the overall score, the scale as its weight: (1 + 0.75 + 2 + 1) / (1 + 1 + 2 + 1) */
  g_assert_cmpfloat_with_epsilon (score->overall, 95, EPS);
}

/* A bonus section adds on top and may pass 100 % */
static void
test_bonus (void)
{
  g_autoptr(AssayForm) pts = assay_form_new ("bp", "Bonus points", 1, ASSAY_FORM_MODE_POINTS);
  g_autoptr(AssayForm) pct = assay_form_new ("bq", "Bonus percent", 1, ASSAY_FORM_MODE_PERCENT);
  AssaySection *s, *bonus;
  AssayItem *thanks;
  g_autoptr(AssayAnswers) a1 = NULL;
  g_autoptr(AssayAnswers) a2 = NULL;
  g_autoptr(AssayScore) r1 = NULL;
  g_autoptr(AssayScore) r2 = NULL;
  g_autoptr(AssayScore) r3 = NULL;

  s = assay_form_add_section (pts, "s", "S", 1);
  assay_form_add_item (pts, s, "a", ASSAY_ITEM_YES_NO, "a")->weight = 4;
  bonus = assay_form_add_section (pts, "wow", "Wow", 1);
  bonus->bonus = TRUE;
  assay_form_add_item (pts, bonus, "extra", ASSAY_ITEM_YES_NO, "Went the extra mile");
  validate (pts);
  a1 = assay_answers_new (pts);
  yes (a1, "a");
  yes (a1, "extra");
  r1 = assay_score_compute (a1);
  g_assert_cmpfloat_with_epsilon (r1->overall, 125, EPS);
  g_assert_cmpfloat_with_epsilon (r1->bonus, 25, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (r1, "wow")->contribution, 25, EPS);

  s = assay_form_add_section (pct, "s", "S", 100);
  assay_form_add_item (pct, s, "a", ASSAY_ITEM_YES_NO, "a");
  assay_form_add_item (pct, s, "b", ASSAY_ITEM_YES_NO, "b");
  bonus = assay_form_add_section (pct, "wow", "Wow", 10);
  bonus->bonus = TRUE;
  add_scale (pct, bonus, "delight", 0, 4);
  thanks = assay_form_add_item (pct, bonus, "thanks", ASSAY_ITEM_YES_NO, "Thanked by name");
  g_assert_false (thanks->required);   /* bonus items are optional unless a form says so */
  validate (pct);
  a2 = assay_answers_new (pct);
  yes (a2, "a");
  yes (a2, "b");
  value (a2, "delight", 2);
  r2 = assay_score_compute (a2);
  /* 2 of 0–4 (half the scale's weight, 0.5 of 1) + "thanks" not given (no N/A in a bonus
   * section): 0.5 of 2, a quarter of the 10 bonus points */
  g_assert_cmpfloat_with_epsilon (section_score (r2, "wow")->earned, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (r2, "wow")->possible, 2, EPS);
  g_assert_cmpfloat_with_epsilon (r2->overall, 102.5, EPS);
  g_assert_cmpfloat_with_epsilon (r2->bonus, 2.5, EPS);
  /* the bonus adds to whatever the regular sections score */
  no (a2, "a");
  r3 = assay_score_compute (a2);
  g_assert_cmpfloat_with_epsilon (r3->overall, 52.5, EPS);
}

/* Deductions: negative points never make possible points negative; bounded at 0 */
static void
test_negative_points (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("neg", "Deductions", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  AssaySection *d = assay_form_add_section (form, "d", "Deductions", 1);
  AssayItem *rude;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) clean = NULL;
  g_autoptr(AssayScore) once = NULL;
  g_autoptr(AssayScore) floor0 = NULL;

  add_points (form, s, "quality", 0, 10);
  rude = assay_form_add_item (form, d, "rude", ASSAY_ITEM_SINGLE_CHOICE, "Rude remark");
  assay_form_add_option (form, rude, "none", "None", 0);
  assay_form_add_option (form, rude, "one", "One rude remark", -5);
  assay_form_add_option (form, rude, "many", "Several", -20);
  validate (form);
  g_assert_cmpfloat (assay_item_get_max_points (rude), ==, 0);

  answers = assay_answers_new (form);
  value (answers, "quality", 8);
  g_assert_true (assay_answers_set_choice (answers, item_index (answers, "rude"), 0, NULL));
  clean = assay_score_compute (answers);
  g_assert_cmpfloat_with_epsilon (clean->overall, 80, EPS);
  g_assert_cmpfloat (section_score (clean, "d")->possible, ==, 0);
  g_assert_true (isnan (section_score (clean, "d")->percent));

  g_assert_true (assay_answers_set_choice (answers, item_index (answers, "rude"), 1, NULL));
  once = assay_score_compute (answers);
  g_assert_cmpfloat_with_epsilon (once->overall, 30, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (once, "d")->earned, -5, EPS);
  g_assert_cmpfloat (section_score (once, "d")->possible, ==, 0);

  g_assert_true (assay_answers_set_choice (answers, item_index (answers, "rude"), 2, NULL));
  floor0 = assay_score_compute (answers);
  g_assert_cmpfloat (floor0->overall, ==, 0);
}

/* Baseline: a constant added to a section once it is answered; minimum: a floor on the score */
static void
test_baseline_and_minimum (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("base", "Baseline", 1, ASSAY_FORM_MODE_PERCENT);
  AssaySection *prof = assay_form_add_section (form, "prof", "Professionalism", 50);
  AssaySection *res = assay_form_add_section (form, "res", "Resolution", 50);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) empty = NULL;
  g_autoptr(AssayScore) first = NULL;
  g_autoptr(AssayScore) second = NULL;

  form->minimum = 20;
  prof->baseline = 10;
  add_points (form, prof, "interrupt", -4, 0);
  add_points (form, prof, "jargon", -3, 0);
  assay_form_add_item (form, res, "fixed", ASSAY_ITEM_YES_NO, "Fixed");
  validate (form);
  answers = assay_answers_new (form);

  empty = assay_score_compute (answers);
  g_assert_true (isnan (empty->overall));
  g_assert_true (isnan (empty->without_fatal));
  g_assert_true (isnan (section_score (empty, "prof")->percent));
  g_assert_cmpfloat (section_score (empty, "prof")->possible, ==, 0);
  g_assert_cmpuint (empty->unanswered_required->len, ==, 3);

  value (answers, "interrupt", -4);
  value (answers, "jargon", 0);
  no (answers, "fixed");
  first = assay_score_compute (answers);
  g_assert_cmpfloat_with_epsilon (section_score (first, "prof")->earned, 6, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (first, "prof")->possible, 10, EPS);
  g_assert_cmpfloat_with_epsilon (section_score (first, "prof")->percent, 60, EPS);
  /* 30 from the baseline section, 0 from resolution */
  g_assert_cmpfloat_with_epsilon (first->overall, 30, EPS);

  value (answers, "jargon", -3);
  value (answers, "interrupt", -4);
  second = assay_score_compute (answers);
  /* 3/10 of 50 = 15, floored at the minimum 20 */
  g_assert_cmpfloat_with_epsilon (section_score (second, "prof")->percent, 30, EPS);
  g_assert_cmpfloat_with_epsilon (second->overall, 20, EPS);
}

static void
test_bands (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("bands", "Bands", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  g_autoptr(AssayAnswers) answers = NULL;
  const struct { int v; const char *band; } cases[] = {
    { 0, "Needs improvement" }, { 69, "Needs improvement" }, { 70, "Meets" },
    { 89, "Meets" }, { 90, "Exceeds" }, { 100, "Exceeds" },
  };

  add_points (form, s, "p", 0, 100);
  assay_form_add_band (form, "Needs improvement", 0);
  assay_form_add_band (form, "Meets", 70);
  assay_form_add_band (form, "Exceeds", 90);
  validate (form);
  answers = assay_answers_new (form);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AssayScore) score = NULL;

      value (answers, "p", cases[i].v);
      score = assay_score_compute (answers);
      g_assert_cmpstr (score->band, ==, cases[i].band);
    }
  g_assert_null (assay_form_band_for (form, NAN));
  g_assert_cmpstr (assay_form_band_for (form, 69.99999999999), ==, "Meets");
}

/* Submit checks: a deduction needs a comment where asked; required items need an answer */
static void
test_submit_checks (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("sub", "Submit", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(GArray) problems = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(AssayScore) score = NULL;
  AssayItem *notes;

  form->comment_on_deduction = TRUE;
  assay_form_add_item (form, s, "greet", ASSAY_ITEM_YES_NO, "Greeting");
  add_scale (form, s, "empathy", 1, 5);
  assay_form_add_item (form, s, "hold", ASSAY_ITEM_YES_NO_NA, "Hold");
  notes = assay_form_add_item (form, s, "notes", ASSAY_ITEM_TEXT, "Notes");
  assay_form_add_item (form, s, "date", ASSAY_ITEM_DATE, "Follow-up")->required = TRUE;
  validate (form);
  g_assert_false (notes->required);
  g_assert_false (notes->comment_on_deduction);

  answers = assay_answers_new (form);
  no (answers, "greet");
  value (answers, "empathy", 5);
  problems = assay_answers_check_submit (answers);
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_cmpint (g_array_index (problems, AssayProblem, 0).kind, ==,
                   ASSAY_PROBLEM_COMMENT_MISSING);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 0).item, ==, 0);
  g_assert_cmpint (g_array_index (problems, AssayProblem, 1).kind, ==, ASSAY_PROBLEM_UNANSWERED);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 1).item, ==, 2);
  g_assert_cmpuint (g_array_index (problems, AssayProblem, 2).item, ==, 4);

  score = assay_score_compute (answers);
  g_assert_false (assay_score_is_complete (score));
  g_assert_cmpuint (score->missing_comments->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (score->missing_comments, 0), ==, "greet");
  g_assert_cmpuint (score->unanswered_required->len, ==, 2);

  assay_answers_set_comment (answers, 0, "   ");
  na (answers, "hold");
  g_assert_true (assay_answers_set_text (answers, item_index (answers, "date"), "2026-11-14",
                                         NULL));
  g_clear_pointer (&problems, g_array_unref);
  problems = assay_answers_check_submit (answers);
  g_assert_cmpuint (problems->len, ==, 1);   /* a blank comment is no comment */

  assay_answers_set_comment (answers, 0, "没有问候客户");
  after = assay_answers_check_submit (answers);
  g_assert_cmpuint (after->len, ==, 0);
}

/* Number keys 1..9 pick an item's options in order; N marks N/A */
static void
test_number_keys (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("keys", "Keys", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  AssayItem *single, *multi;
  g_autoptr(AssayAnswers) answers = NULL;
  const AssayAnswer *a;

  assay_form_add_item (form, s, "yn", ASSAY_ITEM_YES_NO, "yn");
  assay_form_add_item (form, s, "ynna", ASSAY_ITEM_YES_NO_NA, "ynna");
  add_scale (form, s, "scale", 0, 10);
  single = assay_form_add_item (form, s, "single", ASSAY_ITEM_SINGLE_CHOICE, "single");
  assay_form_add_option (form, single, "a", "A", 2);
  assay_form_add_option (form, single, "b", "B", 1);
  assay_form_add_option (form, single, "c", "C", 0);
  multi = assay_form_add_item (form, s, "multi", ASSAY_ITEM_MULTIPLE_CHOICE, "multi");
  assay_form_add_option (form, multi, "x", "X", 1);
  assay_form_add_option (form, multi, "y", "Y", 1);
  add_points (form, s, "pts", 0, 5);
  validate (form);

  g_assert_cmpuint (assay_item_get_n_choices (assay_form_get_item (form, 0)), ==, 2);
  g_assert_cmpuint (assay_item_get_n_choices (assay_form_get_item (form, 2)), ==, 11);
  g_assert_cmpuint (assay_item_get_n_choices (assay_form_get_item (form, 3)), ==, 3);
  g_assert_cmpuint (assay_item_get_n_choices (assay_form_get_item (form, 5)), ==, 0);
  g_assert_cmpint (assay_item_choice_for_key (assay_form_get_item (form, 0), '1'), ==, 0);
  g_assert_cmpint (assay_item_choice_for_key (assay_form_get_item (form, 0), '2'), ==, 1);
  g_assert_cmpint (assay_item_choice_for_key (assay_form_get_item (form, 0), '3'), ==, -1);
  g_assert_cmpint (assay_item_choice_for_key (assay_form_get_item (form, 0), 'n'), ==, -1);
  g_assert_cmpint (assay_item_choice_for_key (assay_form_get_item (form, 1), 'N'), ==,
                   ASSAY_CHOICE_NA);
  g_assert_cmpint (assay_item_choice_for_key (assay_form_get_item (form, 2), '9'), ==, 8);
  g_assert_cmpint (assay_item_choice_for_key (assay_form_get_item (form, 2), '0'), ==, -1);
  g_assert_cmpint (assay_item_choice_for_key (assay_form_get_item (form, 5), '1'), ==, -1);

  answers = assay_answers_new (form);
  g_assert_true (assay_answers_press_key (answers, 0, '2'));
  a = assay_answers_get (answers, 0);
  g_assert_cmpint (a->state, ==, ASSAY_ANSWER_VALUE);
  g_assert_cmpint (a->choice, ==, 1);
  g_assert_false (assay_answers_press_key (answers, 0, 'n'));
  g_assert_cmpint (assay_answers_get (answers, 0)->state, ==, ASSAY_ANSWER_VALUE);
  g_assert_true (assay_answers_press_key (answers, 1, 'n'));
  g_assert_cmpint (assay_answers_get (answers, 1)->state, ==, ASSAY_ANSWER_NA);
  g_assert_true (assay_answers_press_key (answers, 2, '4'));
  g_assert_cmpfloat (assay_answers_get (answers, 2)->value, ==, 3);
  g_assert_true (assay_answers_press_key (answers, 3, '3'));
  g_assert_cmpint (assay_answers_get (answers, 3)->choice, ==, 2);
  g_assert_false (assay_answers_press_key (answers, 3, '4'));
  g_assert_true (assay_answers_press_key (answers, 4, '2'));
  g_assert_true (assay_answers_press_key (answers, 4, '1'));
  g_assert_cmpuint (assay_answers_get (answers, 4)->choices, ==, 3);
  g_assert_true (assay_answers_press_key (answers, 4, '2'));
  g_assert_cmpuint (assay_answers_get (answers, 4)->choices, ==, 1);
  g_assert_false (assay_answers_press_key (answers, 5, '1'));
  g_assert_cmpint (assay_answers_get (answers, 5)->state, ==, ASSAY_ANSWER_NONE);
}

static void
test_answer_setters (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("set", "Setters", 1, ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  AssayItem *num;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayAnswers) copy = NULL;
  g_autoptr(GError) error = NULL;

  assay_form_add_item (form, s, "yn", ASSAY_ITEM_YES_NO, "yn");
  add_scale (form, s, "scale", 1, 5);
  add_points (form, s, "pts", -2, 3);
  num = assay_form_add_item (form, s, "num", ASSAY_ITEM_NUMBER, "num");
  num->min = 0;
  num->has_min = TRUE;
  assay_form_add_item (form, s, "text", ASSAY_ITEM_TEXT, "text");
  assay_form_add_item (form, s, "date", ASSAY_ITEM_DATE, "date");
  validate (form);
  answers = assay_answers_new (form);

  g_assert_false (assay_answers_set_value (answers, 0, 1, &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER);
  g_clear_error (&error);
  g_assert_false (assay_answers_set_choice (answers, 0, 2, &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER);
  g_clear_error (&error);
  g_assert_false (assay_answers_set_na (answers, 0, &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER);
  g_clear_error (&error);
  g_assert_false (assay_answers_set_value (answers, 1, 2.5, &error));
  g_assert_cmpstr (error->message, ==, "must be a whole number from 1 to 5");
  g_clear_error (&error);
  g_assert_false (assay_answers_set_value (answers, 1, 6, NULL));
  g_assert_false (assay_answers_set_value (answers, 2, -2.5, &error));
  g_assert_cmpstr (error->message, ==, "must be from -2 to 3");
  g_clear_error (&error);
  g_assert_true (assay_answers_set_value (answers, 2, 1.5, NULL));
  g_assert_false (assay_answers_set_value (answers, 3, -1, &error));
  g_assert_cmpstr (error->message, ==, "must be >= 0");
  g_clear_error (&error);
  g_assert_true (assay_answers_set_value (answers, 3, 1e6, NULL));
  g_assert_false (assay_answers_set_text (answers, 5, "2026-02-30", &error));
  g_assert_cmpstr (error->message, ==, "must be a date as YYYY-MM-DD");
  g_clear_error (&error);
  g_assert_false (assay_answers_set_text (answers, 5, "14/11/2026", NULL));
  g_assert_true (assay_answers_set_text (answers, 5, "2028-02-29", NULL));
  g_assert_true (assay_answers_set_text (answers, 4, "客户很满意", NULL));
  g_assert_cmpint (assay_answers_get (answers, 2)->state, ==, ASSAY_ANSWER_VALUE);
  g_assert_true (assay_answers_add_evidence (answers, 2, 1000, 2500, NULL));
  g_assert_false (assay_answers_add_evidence (answers, 2, 3000, 2500, &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID_ANSWER);
  assay_answers_set_comment (answers, 2, "talked over the customer");

  copy = assay_answers_copy (answers);
  g_assert_cmpstr (assay_answers_get (copy, 4)->text, ==, "客户很满意");
  g_assert_cmpstr (assay_answers_get (copy, 2)->comment, ==, "talked over the customer");
  g_assert_cmpuint (assay_answers_get (copy, 2)->evidence->len, ==, 1);

  /* clearing keeps comment and evidence, as the inspector wrote them */
  assay_answers_clear (answers, 2);
  g_assert_cmpint (assay_answers_get (answers, 2)->state, ==, ASSAY_ANSWER_NONE);
  g_assert_nonnull (assay_answers_get (answers, 2)->comment);
  g_assert_nonnull (assay_answers_get (answers, 2)->evidence);
  assay_answers_set_text (answers, 4, "", NULL);
  g_assert_cmpint (assay_answers_get (answers, 4)->state, ==, ASSAY_ANSWER_NONE);
  g_assert_cmpint (assay_answers_get (copy, 4)->state, ==, ASSAY_ANSWER_VALUE);
}

/* Form validation names the exact field ------------------------------------------------------ */

static void
assert_invalid (AssayForm  *form,
                const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (assay_form_validate (form, &error));
  g_assert_error (error, ASSAY_FORM_ERROR, ASSAY_FORM_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_false (assay_form_is_valid (form));
}

static AssayForm *
three_sections (void)
{
  AssayForm *form = assay_form_new ("v", "Validation", 1, ASSAY_FORM_MODE_POINTS);

  for (int s = 0; s < 3; s++)
    {
      g_autofree char *id = g_strdup_printf ("s%d", s);
      g_autofree char *item = g_strdup_printf ("i%d", s);
      AssaySection *section = assay_form_add_section (form, id, id, 1);

      assay_form_add_item (form, section, item, ASSAY_ITEM_YES_NO, item);
    }
  return form;
}

static AssayItem *
item_at (AssayForm *form,
         guint      s,
         guint      i)
{
  AssaySection *section = g_ptr_array_index (form->sections, s);

  return g_ptr_array_index (section->items, i);
}

static void
test_validation_paths (void)
{
  g_autoptr(AssayForm) form = three_sections ();
  AssaySection *s2 = g_ptr_array_index (form->sections, 2);
  AssayItem *choice;

  validate (form);
  g_assert_cmpint (assay_form_lookup_item (form, "i2"), ==, 2);
  g_assert_cmpint (assay_form_lookup_item (form, "nope"), ==, -1);

  item_at (form, 2, 0)->weight = -1;
  assert_invalid (form, "sections[2].items[0].weight: must be >= 0");
  item_at (form, 2, 0)->weight = 1;

  g_free (item_at (form, 1, 0)->id);
  item_at (form, 1, 0)->id = g_strdup ("i0");
  assert_invalid (form, "sections[1].items[0].id: duplicate item id \"i0\" "
                        "(also at sections[0].items[0])");
  g_free (item_at (form, 1, 0)->id);
  item_at (form, 1, 0)->id = g_strdup ("i 1");
  assert_invalid (form, "sections[1].items[0].id: \"i 1\" may use only letters, digits, "
                        "'_', '-' and '.' (at most 64)");
  g_free (item_at (form, 1, 0)->id);
  item_at (form, 1, 0)->id = g_strdup ("i1");

  choice = assay_form_add_item (form, s2, "c", ASSAY_ITEM_SINGLE_CHOICE, "c");
  assert_invalid (form, "sections[2].items[1].options: must not be empty");
  assay_form_add_option (form, choice, "a", "A", 1);
  assay_form_add_option (form, choice, "a", "B", 0);
  assert_invalid (form, "sections[2].items[1].options[1].id: duplicate option id \"a\" "
                        "(also at options[0])");
  g_free (((AssayOption *) g_ptr_array_index (choice->options, 1))->id);
  ((AssayOption *) g_ptr_array_index (choice->options, 1))->id = g_strdup ("b");
  validate (form);

  choice->fatal = TRUE;
  assert_invalid (form, "sections[2].items[1].fatal: only yes_no and yes_no_na items can be "
                        "fatal, not a single_choice item");
  choice->fatal = FALSE;

  add_scale (form, s2, "sc", 3, 3);
  assert_invalid (form, "sections[2].items[2].max: must be greater than min (3)");
  item_at (form, 2, 2)->max = 4.5;
  assert_invalid (form, "sections[2].items[2].max: must be a whole number");
  item_at (form, 2, 2)->max = 5;
  validate (form);

  item_at (form, 0, 0)->allow_na = TRUE;
  assert_invalid (form, "sections[0].items[0].na: a yes_no item has no N/A; use kind yes_no_na");
  item_at (form, 0, 0)->allow_na = FALSE;

  assay_form_add_item (form, s2, "t", ASSAY_ITEM_TEXT, "t")->critical = TRUE;
  assert_invalid (form, "sections[2].items[3].critical: a text item is not scored and cannot be "
                        "critical");
  item_at (form, 2, 3)->critical = FALSE;

  s2->bonus = TRUE;
  assay_form_add_item (form, s2, "na", ASSAY_ITEM_YES_NO_NA, "na");
  assert_invalid (form, "sections[2].items[4].kind: N/A is disabled in a bonus section; use "
                        "yes_no");
  item_at (form, 2, 4)->kind = ASSAY_ITEM_YES_NO;
  item_at (form, 2, 4)->allow_na = FALSE;
  validate (form);

  s2->weight = -3;
  assert_invalid (form, "sections[2].weight: must be >= 0");
  s2->weight = NAN;
  assert_invalid (form, "sections[2].weight: must be a finite number");
  s2->weight = 1;

  form->mode = ASSAY_FORM_MODE_PERCENT;
  assert_invalid (form, "sections: in percent mode the weights of the sections that are not "
                        "bonus must add up to 100, they add up to 2");
  ((AssaySection *) g_ptr_array_index (form->sections, 0))->weight = 60;
  ((AssaySection *) g_ptr_array_index (form->sections, 1))->weight = 40;
  validate (form);

  assay_form_add_band (form, "Low", 10);
  assay_form_add_band (form, "High", 10);
  assert_invalid (form, "bands[1].min: must be greater than bands[0].min");
  ((AssayBand *) g_ptr_array_index (form->bands, 1))->min = 80;
  form->minimum = 101;
  assert_invalid (form, "minimum: must be <= 100");
  form->minimum = 0;
  form->version = 0;
  assert_invalid (form, "version: must be >= 1");
  form->version = 1;
  validate (form);

  assay_form_add_section (form, "s0", "again", 0);
  assert_invalid (form, "sections[3].id: duplicate section id \"s0\" (also at sections[0])");
}

/* Versions are immutable --------------------------------------------------------------------- */

static void
test_versions (void)
{
  g_autoptr(AssayForm) v1 = three_sections ();
  g_autoptr(AssayForm) v2 = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayAnswers) answers2 = NULL;
  g_autoptr(AssayScore) before = NULL;
  g_autoptr(AssayScore) after = NULL;
  g_autoptr(AssayScore) on_v2 = NULL;
  g_autoptr(GError) error = NULL;
  AssaySection *added;

  g_assert_false (assay_form_is_published (v1));
  g_assert_true (assay_form_publish (v1, &error));
  g_assert_no_error (error);
  g_assert_true (assay_form_is_published (v1));

  answers = assay_answers_new (v1);
  yes (answers, "i0");
  no (answers, "i1");
  yes (answers, "i2");
  before = assay_score_compute (answers);

  /* editing a published form is refused */
  g_test_expect_message (NULL, G_LOG_LEVEL_CRITICAL, "*published*");
  added = assay_form_add_section (v1, "s9", "late", 1);
  g_test_assert_expected_messages ();
  g_assert_null (added);
  g_assert_cmpuint (v1->sections->len, ==, 3);

  /* editing makes a new version; the old one and its answers are untouched */
  v2 = assay_form_new_version (v1);
  g_assert_cmpuint (v2->version, ==, 2);
  g_assert_cmpstr (v2->id, ==, v1->id);
  g_assert_false (assay_form_is_published (v2));
  item_at (v2, 1, 0)->weight = 5;
  added = assay_form_add_section (v2, "s9", "Added", 1);
  assay_form_add_item (v2, added, "i9", ASSAY_ITEM_YES_NO, "i9");
  validate (v2);
  g_assert_cmpfloat (item_at (v1, 1, 0)->weight, ==, 1);
  g_assert_cmpuint (assay_form_get_n_items (v1), ==, 3);
  g_assert_cmpuint (assay_form_get_n_items (v2), ==, 4);

  after = assay_score_compute (answers);
  g_assert_true (assay_answers_get_form (answers) == v1);
  g_assert_cmpfloat (after->overall, ==, before->overall);
  g_assert_cmpfloat_with_epsilon (after->overall, 200.0 / 3, EPS);

  answers2 = assay_answers_new (v2);
  yes (answers2, "i0");
  no (answers2, "i1");
  yes (answers2, "i2");
  on_v2 = assay_score_compute (answers2);
  g_assert_cmpfloat_with_epsilon (on_v2->overall, 2.0 / 7 * 100, EPS);
}

static void
test_large_form (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("big", "Big", 1, ASSAY_FORM_MODE_PERCENT);
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) score = NULL;

  for (int s = 0; s < 10; s++)
    {
      g_autofree char *sid = g_strdup_printf ("s%d", s);
      AssaySection *section = assay_form_add_section (form, sid, sid, 10);

      for (int i = 0; i < 20; i++)
        {
          g_autofree char *iid = g_strdup_printf ("s%d.i%d", s, i);

          assay_form_add_item (form, section, iid, ASSAY_ITEM_YES_NO_NA, iid);
        }
    }
  validate (form);
  answers = assay_answers_new (form);
  for (guint i = 0; i < 200; i++)
    assay_answers_set_choice (answers, i, i % 4 == 0 ? 1 : 0, NULL);
  score = assay_score_compute (answers);
  g_assert_cmpuint (score->answered, ==, 200);
  g_assert_cmpfloat_with_epsilon (score->overall, 75, EPS);
}

/* Properties ---------------------------------------------------------------------------------- */

static AssayForm *
random_form (GRand    *rand,
             gboolean  plain,
             int       serial)
{
  g_autofree char *fid = g_strdup_printf ("rand-%d", serial);
  AssayFormMode mode = g_rand_boolean (rand) ? ASSAY_FORM_MODE_PERCENT : ASSAY_FORM_MODE_POINTS;
  AssayForm *form = assay_form_new (fid, "Random", 1, mode);
  int n_sections = g_rand_int_range (rand, 1, 6);
  int remaining = 100;
  int n_item = 0;
  gboolean have_regular = FALSE;
  g_autoptr(GError) error = NULL;

  form->na_redistribution = g_rand_boolean (rand);
  if (!plain && g_rand_int_range (rand, 0, 4) == 0)
    form->minimum = g_rand_int_range (rand, 0, 60);
  if (g_rand_boolean (rand))
    {
      assay_form_add_band (form, "Low", 0);
      assay_form_add_band (form, "Mid", 60);
      assay_form_add_band (form, "High", 85);
    }

  for (int s = 0; s < n_sections; s++)
    {
      g_autofree char *sid = g_strdup_printf ("sec%d", s);
      gboolean bonus = !plain && have_regular && g_rand_int_range (rand, 0, 5) == 0;
      double weight;
      AssaySection *section;
      int n_items = g_rand_int_range (rand, 1, 9);

      /* the last section must take the rest of the 100 %, so it cannot be bonus */
      if (mode == ASSAY_FORM_MODE_PERCENT && s == n_sections - 1)
        bonus = FALSE;
      if (mode == ASSAY_FORM_MODE_PERCENT)
        {
          if (bonus)
            weight = g_rand_int_range (rand, 0, 21);
          else if (s == n_sections - 1)
            weight = remaining;
          else
            {
              weight = g_rand_int_range (rand, 0, remaining + 1);
              remaining -= (int) weight;
            }
        }
      else
        weight = g_rand_int_range (rand, 0, 9) / 2.0;

      section = assay_form_add_section (form, sid, sid, weight);
      section->bonus = bonus;
      have_regular |= !bonus;
      if (!plain && !bonus && g_rand_int_range (rand, 0, 5) == 0)
        section->baseline = g_rand_int_range (rand, 1, 11);

      for (int i = 0; i < n_items; i++)
        {
          g_autofree char *iid = g_strdup_printf ("item%d", n_item++);
          AssayItemKind kind = (AssayItemKind) g_rand_int_range (rand, 0, ASSAY_ITEM_N_KINDS);
          AssayItem *item;

          if (bonus && kind == ASSAY_ITEM_YES_NO_NA)
            kind = ASSAY_ITEM_YES_NO;
          item = assay_form_add_item (form, section, iid, kind, iid);
          item->weight = g_rand_int_range (rand, 0, 7) / 2.0;
          if (!bonus && assay_item_kind_is_scored (kind) && kind != ASSAY_ITEM_YES_NO)
            item->allow_na = kind == ASSAY_ITEM_YES_NO_NA || g_rand_boolean (rand);
          item->required = g_rand_int_range (rand, 0, 4) != 0;
          item->comment_on_deduction = assay_item_kind_is_scored (kind) && g_rand_boolean (rand);
          if (!plain && !bonus)
            {
              item->critical = assay_item_kind_is_scored (kind)
                               && g_rand_int_range (rand, 0, 4) == 0;
              if (kind == ASSAY_ITEM_YES_NO || kind == ASSAY_ITEM_YES_NO_NA)
                {
                  item->fatal = g_rand_int_range (rand, 0, 8) == 0;
                  item->fail_section = g_rand_int_range (rand, 0, 6) == 0;
                }
            }

          switch (kind)
            {
            case ASSAY_ITEM_SCALE:
              item->min = g_rand_int_range (rand, -2, 2);
              item->max = item->min + g_rand_int_range (rand, 1, 11);
              break;
            case ASSAY_ITEM_POINTS:
              item->min = plain ? 0 : g_rand_int_range (rand, -10, 1);
              item->max = item->min + g_rand_int_range (rand, 1, 11);
              if (!plain && g_rand_int_range (rand, 0, 3) == 0)
                item->max = 0;   /* a pure deduction */
              if (item->max <= item->min)
                item->min = item->max - 5;
              break;
            case ASSAY_ITEM_SINGLE_CHOICE:
            case ASSAY_ITEM_MULTIPLE_CHOICE:
              {
                int n = g_rand_int_range (rand, 1, 7);

                for (int k = 0; k < n; k++)
                  {
                    g_autofree char *oid = g_strdup_printf ("o%d", k);
                    double points = k == 0 && plain
                                    ? 0 : g_rand_int_range (rand, plain ? 0 : -5, 6);

                    assay_form_add_option (form, item, oid, oid, points);
                  }
              }
              break;
            case ASSAY_ITEM_NUMBER:
              if (g_rand_boolean (rand))
                {
                  item->has_min = item->has_max = TRUE;
                  item->min = 0;
                  item->max = 1000;
                }
              break;
            case ASSAY_ITEM_YES_NO:
            case ASSAY_ITEM_YES_NO_NA:
            case ASSAY_ITEM_TEXT:
            case ASSAY_ITEM_DATE:
            default:
              break;
            }
        }
    }

  g_assert_true (assay_form_validate (form, &error));
  g_assert_no_error (error);
  return form;
}

static void
random_answer (GRand        *rand,
               AssayAnswers *answers,
               guint         index)
{
  const AssayItem *item = assay_form_get_item (assay_answers_get_form (answers), index);
  int roll = g_rand_int_range (rand, 0, 10);

  if (roll == 0)
    {
      assay_answers_clear (answers, index);
      return;
    }
  if (roll == 1 && item->allow_na)
    {
      g_assert_true (assay_answers_set_na (answers, index, NULL));
      return;
    }
  if (g_rand_int_range (rand, 0, 3) == 0)
    assay_answers_set_comment (answers, index, "comment");

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
    case ASSAY_ITEM_SCALE:
    case ASSAY_ITEM_SINGLE_CHOICE:
      g_assert_true (assay_answers_set_choice (answers, index,
                                               g_rand_int_range (rand, 0,
                                                                 assay_item_get_n_choices (item)),
                                               NULL));
      break;
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      {
        guint64 all = (G_GUINT64_CONSTANT (1) << item->options->len) - 1;

        g_assert_true (assay_answers_set_choices (answers, index, g_rand_int (rand) & all, NULL));
      }
      break;
    case ASSAY_ITEM_POINTS:
      g_assert_true (assay_answers_set_value (answers, index,
                                              g_rand_double_range (rand, item->min, item->max),
                                              NULL));
      break;
    case ASSAY_ITEM_NUMBER:
      g_assert_true (assay_answers_set_value (answers, index, g_rand_int_range (rand, 0, 1000),
                                              NULL));
      break;
    case ASSAY_ITEM_TEXT:
      g_assert_true (assay_answers_set_text (answers, index, "text", NULL));
      break;
    case ASSAY_ITEM_DATE:
      g_assert_true (assay_answers_set_text (answers, index, "2026-11-14", NULL));
      break;
    default:
      g_assert_not_reached ();
    }
}

static AssayAnswers *
random_answers (GRand     *rand,
                AssayForm *form)
{
  AssayAnswers *answers = assay_answers_new (form);

  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    random_answer (rand, answers, i);
  return answers;
}

static gboolean
has_bonus (const AssayForm *form)
{
  for (guint s = 0; s < form->sections->len; s++)
    if (((AssaySection *) g_ptr_array_index (form->sections, s))->bonus)
      return TRUE;
  return FALSE;
}

static void
assert_within_bounds (const AssayScore *score)
{
  const AssayForm *form = score->form;

  g_assert_true (isnan (score->overall) == isnan (score->without_fatal)
                 || score->fatal_failed->len > 0);
  if (!isnan (score->overall))
    {
      g_assert_cmpfloat (score->overall, >=, 0);
      g_assert_cmpfloat (score->overall, <=, 100 + score->bonus + EPS);
      if (!has_bonus (form))
        g_assert_cmpfloat (score->overall, <=, 100 + EPS);
      g_assert_nonnull (form->bands->len > 0 ? score->band : "no bands");
    }
  if (!isnan (score->without_fatal))
    {
      g_assert_cmpfloat (score->without_fatal, >=, form->minimum - EPS);
      g_assert_cmpfloat (score->without_fatal, <=, 100 + score->bonus + EPS);
    }
  if (score->fatal_failed->len > 0)
    g_assert_cmpfloat (score->overall, ==, 0);
  else if (!isnan (score->overall))
    g_assert_cmpfloat (score->overall, ==, score->without_fatal);
  g_assert_cmpfloat (score->bonus, >=, 0);
  if (!isnan (score->critical))
    {
      g_assert_cmpfloat (score->critical, >=, 0);
      g_assert_cmpfloat (score->critical, <=, 100);
    }
  g_assert_cmpuint (score->critical_failed->len, <=, score->answered);
  for (guint s = 0; s < score->n_sections; s++)
    {
      const AssaySectionScore *ss = &score->sections[s];

      g_assert_cmpfloat (ss->possible, >=, 0);
      if (!isnan (ss->percent))
        {
          g_assert_cmpfloat (ss->percent, >=, 0);
          g_assert_cmpfloat (ss->percent, <=, 100);
        }
      if (ss->failed)
        g_assert_cmpfloat (ss->earned, ==, 0);
      if (ss->answered == 0)
        g_assert_true (isnan (ss->percent));
    }
}

#define N_RANDOM_FORMS 400

static void
test_property_bounds (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261114);

  for (int f = 0; f < N_RANDOM_FORMS; f++)
    {
      g_autoptr(AssayForm) form = random_form (rand, g_rand_int_range (rand, 0, 4) == 0, f);

      for (int round = 0; round < 10; round++)
        {
          g_autoptr(AssayAnswers) answers = random_answers (rand, form);
          g_autoptr(AssayScore) score = assay_score_compute (answers);
          g_autoptr(AssayScore) copy = assay_score_copy (score);

          assert_within_bounds (score);
          g_assert_true (copy->form == score->form);
          g_assert_cmpuint (copy->n_sections, ==, score->n_sections);
          g_assert_cmpuint (copy->fatal_failed->len, ==, score->fatal_failed->len);
          g_assert_true (memcmp (copy->sections, score->sections,
                                 sizeof (AssaySectionScore) * score->n_sections) == 0);
        }
    }
}

/* Sets the item to an answer that earns nothing: No, the lowest step, zero points, no option. */
static gboolean
answer_zero (AssayAnswers *answers,
             guint         index)
{
  const AssayItem *item = assay_form_get_item (assay_answers_get_form (answers), index);

  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      return assay_answers_set_choice (answers, index, 1, NULL);
    case ASSAY_ITEM_SCALE:
      return assay_answers_set_choice (answers, index, 0, NULL);
    case ASSAY_ITEM_POINTS:
      return assay_answers_set_value (answers, index, 0, NULL);
    case ASSAY_ITEM_SINGLE_CHOICE:
      for (guint k = 0; k < item->options->len; k++)
        if (((AssayOption *) g_ptr_array_index (item->options, k))->points == 0)
          return assay_answers_set_choice (answers, index, (int) k, NULL);
      return FALSE;
    case ASSAY_ITEM_MULTIPLE_CHOICE:
      return assay_answers_set_choices (answers, index, 0, NULL);
    case ASSAY_ITEM_NUMBER:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return FALSE;
    }
}

/* N/A is not 0: marking an item N/A never lowers a plain weighted score below failing it */
static void
test_property_na_never_lowers (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (424242);
  guint checked = 0, raised = 0;

  for (int f = 0; f < N_RANDOM_FORMS; f++)
    {
      g_autoptr(AssayForm) form = random_form (rand, TRUE, f);
      g_autoptr(AssayAnswers) answers = random_answers (rand, form);

      for (guint i = 0; i < assay_form_get_n_items (form); i++)
        {
          const AssayItem *item = assay_form_get_item (form, i);
          g_autoptr(AssayAnswers) zero = NULL;
          g_autoptr(AssayScore) failed = NULL;
          g_autoptr(AssayScore) skipped = NULL;

          if (!item->allow_na || !assay_item_kind_is_scored (item->kind))
            continue;
          zero = assay_answers_copy (answers);
          if (!answer_zero (zero, i))
            continue;
          failed = assay_score_compute (zero);
          g_assert_true (assay_answers_set_na (zero, i, NULL));
          skipped = assay_score_compute (zero);
          if (isnan (failed->overall) || isnan (skipped->overall))
            continue;
          g_assert_cmpfloat (skipped->overall, >=, failed->overall - EPS);
          checked++;
          raised += skipped->overall > failed->overall + EPS;
        }
    }
  g_assert_cmpuint (checked, >, 500);
  /* and N/A is not 0: often it does raise the score */
  g_assert_cmpuint (raised, >, checked / 4);
}

/* Rebuilds @src with its sections and the items of each section in a shuffled order. */
static AssayForm *
shuffled_copy (GRand           *rand,
               const AssayForm *src)
{
  AssayForm *form = assay_form_new (src->id, src->name, src->version, src->mode);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;

  form->na_redistribution = src->na_redistribution;
  form->minimum = src->minimum;
  for (guint b = 0; b < src->bands->len; b++)
    {
      const AssayBand *band = g_ptr_array_index (src->bands, b);

      assay_form_add_band (form, band->name, band->min);
    }
  for (guint s = 0; s < src->sections->len; s++)
    g_array_append_val (order, s);
  for (guint s = order->len; s > 1; s--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) s);
      guint tmp = g_array_index (order, guint, s - 1);

      g_array_index (order, guint, s - 1) = g_array_index (order, guint, j);
      g_array_index (order, guint, j) = tmp;
    }

  for (guint k = 0; k < order->len; k++)
    {
      const AssaySection *ss = g_ptr_array_index (src->sections, g_array_index (order, guint, k));
      AssaySection *section = assay_form_add_section (form, ss->id, ss->title, ss->weight);
      g_autoptr(GPtrArray) items = g_ptr_array_new ();

      section->bonus = ss->bonus;
      section->baseline = ss->baseline;
      for (guint i = 0; i < ss->items->len; i++)
        g_ptr_array_add (items, g_ptr_array_index (ss->items, i));
      for (guint i = items->len; i > 1; i--)
        {
          guint j = g_rand_int_range (rand, 0, (gint32) i);
          gpointer tmp = items->pdata[i - 1];

          items->pdata[i - 1] = items->pdata[j];
          items->pdata[j] = tmp;
        }
      for (guint i = 0; i < items->len; i++)
        {
          const AssayItem *si = g_ptr_array_index (items, i);
          AssayItem *item = assay_form_add_item (form, section, si->id, si->kind, si->text);
          guint index = item->index, sec = item->section;
          GPtrArray *options = item->options;
          char *id = item->id, *text = item->text;

          *item = *si;
          item->id = id;
          item->text = text;
          item->help = NULL;
          item->index = index;
          item->section = sec;
          item->options = options;
          for (guint o = 0; o < si->options->len; o++)
            {
              const AssayOption *so = g_ptr_array_index (si->options, o);

              assay_form_add_option (form, item, so->id, so->label, so->points);
            }
        }
    }
  g_assert_true (assay_form_validate (form, &error));
  g_assert_no_error (error);
  return form;
}

static void
copy_answer (AssayAnswers      *dest,
             guint              index,
             const AssayAnswer *a)
{
  const AssayItem *item = assay_form_get_item (assay_answers_get_form (dest), index);

  assay_answers_set_comment (dest, index, a->comment);
  if (a->state == ASSAY_ANSWER_NA)
    g_assert_true (assay_answers_set_na (dest, index, NULL));
  else if (a->state == ASSAY_ANSWER_VALUE)
    {
      switch (item->kind)
        {
        case ASSAY_ITEM_MULTIPLE_CHOICE:
          g_assert_true (assay_answers_set_choices (dest, index, a->choices, NULL));
          break;
        case ASSAY_ITEM_POINTS:
        case ASSAY_ITEM_NUMBER:
          g_assert_true (assay_answers_set_value (dest, index, a->value, NULL));
          break;
        case ASSAY_ITEM_TEXT:
        case ASSAY_ITEM_DATE:
          g_assert_true (assay_answers_set_text (dest, index, a->text, NULL));
          break;
        case ASSAY_ITEM_YES_NO:
        case ASSAY_ITEM_YES_NO_NA:
        case ASSAY_ITEM_SCALE:
        case ASSAY_ITEM_SINGLE_CHOICE:
        default:
          g_assert_true (assay_answers_set_choice (dest, index, a->choice, NULL));
          break;
        }
    }
}

static void
assert_same_ids (GPtrArray *a,
                 GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < b->len && !found; j++)
        found = g_strcmp0 (a->pdata[i], b->pdata[j]) == 0;
      g_assert_true (found);
    }
}

static void
assert_close (double a,
              double b)
{
  if (isnan (a) || isnan (b))
    g_assert_true (isnan (a) && isnan (b));
  else
    g_assert_cmpfloat_with_epsilon (a, b, 1e-7);
}

/* Reordering sections and items changes nothing */
static void
test_property_reorder (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (int f = 0; f < N_RANDOM_FORMS; f++)
    {
      g_autoptr(AssayForm) form = random_form (rand, g_rand_boolean (rand), f);
      g_autoptr(AssayForm) shuffled = shuffled_copy (rand, form);
      g_autoptr(AssayAnswers) answers = random_answers (rand, form);
      g_autoptr(AssayAnswers) moved = assay_answers_new (shuffled);
      g_autoptr(AssayScore) a = NULL;
      g_autoptr(AssayScore) b = NULL;

      for (guint i = 0; i < assay_form_get_n_items (form); i++)
        {
          const AssayItem *item = assay_form_get_item (form, i);
          int j = assay_form_lookup_item (shuffled, item->id);

          g_assert_cmpint (j, >=, 0);
          copy_answer (moved, (guint) j, assay_answers_get (answers, i));
        }
      a = assay_score_compute (answers);
      b = assay_score_compute (moved);

      assert_close (a->overall, b->overall);
      assert_close (a->without_fatal, b->without_fatal);
      assert_close (a->critical, b->critical);
      assert_close (a->bonus, b->bonus);
      g_assert_cmpstr (a->band, ==, b->band);
      g_assert_cmpuint (a->answered, ==, b->answered);
      g_assert_cmpuint (a->na, ==, b->na);
      assert_same_ids (a->fatal_failed, b->fatal_failed);
      assert_same_ids (a->critical_failed, b->critical_failed);
      assert_same_ids (a->missing_comments, b->missing_comments);
      assert_same_ids (a->unanswered_required, b->unanswered_required);
      for (guint s = 0; s < a->n_sections; s++)
        {
          const AssaySectionScore *sa = &a->sections[s];
          const AssaySectionScore *sb = section_score (b, sa->id);

          assert_close (sa->earned, sb->earned);
          assert_close (sa->possible, sb->possible);
          assert_close (sa->percent, sb->percent);
          assert_close (sa->contribution, sb->contribution);
          g_assert_cmpint (sa->failed, ==, sb->failed);
        }
    }
}

/* Scale items are worth their weight (issue 6) -------------------------------------------------- */

/* A 1–5 scale and a yes/no of the same weight count the same: best for best, worst for worst. */
static void
test_scale_counts_as_yes_no (void)
{
  for (int mode = 0; mode <= 1; mode++)
    {
      g_autoptr(AssayForm) form = assay_form_new ("same", "Same weight", 1,
                                                  mode ? ASSAY_FORM_MODE_PERCENT
                                                       : ASSAY_FORM_MODE_POINTS);
      AssaySection *s = assay_form_add_section (form, "s", "S", mode ? 100 : 1);
      AssayItem *yn, *scale;
      g_autoptr(AssayAnswers) answers = NULL;
      const struct { gboolean yes; double step; double overall; } cases[] = {
        { FALSE, 5, 50 },   /* the scale at its best, the yes/no at its worst */
        { TRUE, 1, 50 },    /* and the other way round */
        { TRUE, 5, 100 },
        { FALSE, 1, 0 },
        { TRUE, 3, 75 },
      };

      yn = assay_form_add_item (form, s, "yn", ASSAY_ITEM_YES_NO, "Yes or no");
      yn->weight = 3;
      scale = add_scale (form, s, "scale", 1, 5);
      scale->weight = 3;
      validate (form);
      g_assert_cmpfloat (assay_item_get_max_points (scale), ==, 3);
      g_assert_cmpfloat (assay_item_get_max_points (scale), ==, assay_item_get_max_points (yn));

      answers = assay_answers_new (form);
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autoptr(AssayScore) score = NULL;

          if (cases[i].yes)
            yes (answers, "yn");
          else
            no (answers, "yn");
          value (answers, "scale", cases[i].step);
          score = assay_score_compute (answers);
          g_assert_cmpfloat_with_epsilon (score->overall, cases[i].overall, EPS);
          g_assert_cmpfloat_with_epsilon (section_score (score, "s")->possible, 6, EPS);
        }
    }
}

/* The lowest step earns nothing and the highest the full weight, whatever the range. */
static void
test_scale_min_max (void)
{
  const struct { double min, max, weight, answer, earned; } cases[] = {
    { 1, 5, 2.5, 1, 0 },
    { 1, 5, 2.5, 5, 2.5 },
    { 1, 5, 2.5, 4, 1.875 },
    { 0, 10, 4, 0, 0 },
    { 0, 10, 4, 10, 4 },
    { 0, 10, 4, 7, 2.8 },
    { -2, 2, 1, 0, 0.5 },
    { 0, 1, 5, 1, 5 },
    { 0, 100, 1, 1, 0.01 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AssayForm) form = assay_form_new ("mm", "Min and max", 1, ASSAY_FORM_MODE_POINTS);
      AssaySection *s = assay_form_add_section (form, "s", "S", 1);
      AssayItem *item = add_scale (form, s, "q", cases[i].min, cases[i].max);
      g_autoptr(AssayAnswers) answers = NULL;
      g_autoptr(AssayScore) score = NULL;
      double raw, best;

      item->weight = cases[i].weight;
      validate (form);
      answers = assay_answers_new (form);
      value (answers, "q", cases[i].answer);
      g_assert_true (assay_answer_raw (item, assay_answers_get (answers, 0), &raw, &best));
      g_assert_cmpfloat (best, ==, 1);
      g_assert_cmpfloat_with_epsilon (raw * item->weight, cases[i].earned, EPS);
      score = assay_score_compute (answers);
      g_assert_cmpfloat_with_epsilon (section_score (score, "s")->earned, cases[i].earned, EPS);
      g_assert_cmpfloat_with_epsilon (section_score (score, "s")->possible, cases[i].weight, EPS);
      g_assert_cmpfloat_with_epsilon (score->overall, cases[i].earned / cases[i].weight * 100, EPS);
      /* only the top step is no deduction */
      g_assert_cmpint (assay_answer_is_deduction (item, assay_answers_get (answers, 0)), ==,
                       cases[i].answer < cases[i].max);
    }
}

/* A critical scale passes only at its top step and still counts its share in the overall; a
 * bonus scale adds its share of the bonus; a fail-section yes/no zeroes a scale's section. */
static void
test_scale_bonus_critical (void)
{
  g_autoptr(AssayForm) form = assay_form_new ("sbc", "Scale, bonus, critical", 1,
                                              ASSAY_FORM_MODE_POINTS);
  AssaySection *s = assay_form_add_section (form, "s", "S", 1);
  AssaySection *b = assay_form_add_section (form, "b", "Bonus", 1);
  AssayItem *gate;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(AssayScore) top = NULL;
  g_autoptr(AssayScore) four = NULL;
  g_autoptr(AssayScore) failed = NULL;

  add_scale (form, s, "crit", 1, 5)->critical = TRUE;
  gate = assay_form_add_item (form, s, "gate", ASSAY_ITEM_YES_NO, "Gate");
  gate->weight = 2;
  gate->fail_section = TRUE;
  b->bonus = TRUE;
  add_scale (form, b, "extra", 0, 4)->weight = 2;
  validate (form);

  answers = assay_answers_new (form);
  value (answers, "crit", 5);
  yes (answers, "gate");
  value (answers, "extra", 1);
  top = assay_score_compute (answers);
  /* regular: 1 + 2 of 1 + 2; bonus: 1/4 × 2 = 0.5 points of 3 possible = 16.67 % */
  g_assert_cmpfloat_with_epsilon (top->critical, 100, EPS);
  g_assert_cmpfloat_with_epsilon (top->bonus, 0.5 / 3 * 100, EPS);
  g_assert_cmpfloat_with_epsilon (top->overall, 100 + 0.5 / 3 * 100, EPS);

  value (answers, "crit", 4);
  four = assay_score_compute (answers);
  g_assert_cmpfloat_with_epsilon (four->critical, 0, EPS);
  g_assert_cmpuint (four->critical_failed->len, ==, 1);
  /* (0.75 + 2) / 3, bonus unchanged */
  g_assert_cmpfloat_with_epsilon (four->without_fatal, 2.75 / 3 * 100 + 0.5 / 3 * 100, EPS);

  no (answers, "gate");
  failed = assay_score_compute (answers);
  g_assert_true (section_score (failed, "s")->failed);
  g_assert_cmpfloat_with_epsilon (section_score (failed, "s")->earned, 0, EPS);
  g_assert_cmpfloat_with_epsilon (failed->overall, 0.5 / 3 * 100, EPS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scoring/example/1-weighted-groups", test_example_1_weighted_groups);
  g_test_add_func ("/scoring/example/2-percent-of-form", test_example_2_percent_of_form);
  g_test_add_func ("/scoring/example/3-team-mean", test_example_3_team_mean);
  g_test_add_func ("/scoring/example/4-category-percentage", test_example_4_category_percentage);
  g_test_add_func ("/scoring/example/5-scale-weighted", test_example_5_scale_weighted);
  g_test_add_func ("/scoring/example/6-fatal", test_example_6_fatal);
  g_test_add_func ("/scoring/example/7-na-is-not-zero", test_example_7_na_is_not_zero);
  g_test_add_func ("/scoring/rule/scale-steps", test_scale_steps);
  g_test_add_func ("/scoring/scale/counts-as-yes-no", test_scale_counts_as_yes_no);
  g_test_add_func ("/scoring/scale/min-max", test_scale_min_max);
  g_test_add_func ("/scoring/scale/bonus-critical", test_scale_bonus_critical);
  g_test_add_func ("/scoring/rule/na-redistribution", test_na_redistribution);
  g_test_add_func ("/scoring/rule/fail-section", test_fail_section);
  g_test_add_func ("/scoring/rule/critical", test_critical);
  g_test_add_func ("/scoring/rule/bonus", test_bonus);
  g_test_add_func ("/scoring/rule/negative-points", test_negative_points);
  g_test_add_func ("/scoring/rule/baseline-and-minimum", test_baseline_and_minimum);
  g_test_add_func ("/scoring/rule/bands", test_bands);
  g_test_add_func ("/scoring/answers/submit-checks", test_submit_checks);
  g_test_add_func ("/scoring/answers/number-keys", test_number_keys);
  g_test_add_func ("/scoring/answers/setters", test_answer_setters);
  g_test_add_func ("/scoring/form/validation-paths", test_validation_paths);
  g_test_add_func ("/scoring/form/versions", test_versions);
  g_test_add_func ("/scoring/form/large", test_large_form);
  g_test_add_func ("/scoring/property/bounds", test_property_bounds);
  g_test_add_func ("/scoring/property/na-never-lowers", test_property_na_never_lowers);
  g_test_add_func ("/scoring/property/reorder", test_property_reorder);

  return g_test_run ();
}
