/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "assay-utterances.h"

G_BEGIN_DECLS

/*
 * A scorecard ("form") in memory: sections of items, with the answers an inspector gives.
 * The JSON format and the scoring rules are documented in docs/forms.md; scoring itself is in
 * assay-scoring.h. Everything here is plain structs so that rescoring a large form on each
 * keystroke costs microseconds.
 *
 * The fields of AssayForm, AssaySection, AssayItem, AssayOption and AssayBand are public for
 * reading. A draft form may be changed through its fields and the assay_form_add_*() builders;
 * call assay_form_validate() after a change. A published form never changes: editing it means
 * assay_form_new_version(), and answers keep a reference to the version they were given on.
 */

#define ASSAY_FORM_ERROR (assay_form_error_quark ())

typedef enum {
  ASSAY_FORM_ERROR_SYNTAX,          /* the file is not JSON, or not JSON of the right shape */
  ASSAY_FORM_ERROR_INVALID,         /* a field breaks a rule; the message starts with its path */
  ASSAY_FORM_ERROR_UNSUPPORTED,     /* a "format" this build does not read */
  ASSAY_FORM_ERROR_INVALID_ANSWER,  /* an answer does not fit its item */
  ASSAY_FORM_ERROR_WRONG_FORM,      /* answers given on another form or another version */
} AssayFormError;

GQuark assay_form_error_quark (void);

/** ASSAY_FORM_FORMAT: the "format" number of the form and answers files this build reads. */
#define ASSAY_FORM_FORMAT 1

/** ASSAY_FORM_MAX_OPTIONS: the most options a choice item may have. */
#define ASSAY_FORM_MAX_OPTIONS 64

/** ASSAY_ITEM_MAX_EVIDENCE: the most evidence files an item may ask for. */
#define ASSAY_ITEM_MAX_EVIDENCE 20

/** ASSAY_SCALE_MAX_STEPS: the widest scale, max − min. */
#define ASSAY_SCALE_MAX_STEPS 100

typedef enum {
  ASSAY_FORM_MODE_POINTS,   /* Σ weighted earned / Σ weighted possible */
  ASSAY_FORM_MODE_PERCENT,  /* Σ (earned_s / possible_s) × percent_s, Σ percent_s = 100 */
} AssayFormMode;

typedef enum {
  ASSAY_ITEM_YES_NO,
  ASSAY_ITEM_YES_NO_NA,
  ASSAY_ITEM_SCALE,
  ASSAY_ITEM_POINTS,
  ASSAY_ITEM_SINGLE_CHOICE,
  ASSAY_ITEM_MULTIPLE_CHOICE,
  ASSAY_ITEM_NUMBER,
  ASSAY_ITEM_TEXT,
  ASSAY_ITEM_DATE,
} AssayItemKind;

#define ASSAY_ITEM_N_KINDS (ASSAY_ITEM_DATE + 1)

/** assay_item_kind_to_string: the name of @kind in the JSON format ("yes_no", ...). */
const char *assay_item_kind_to_string   (AssayItemKind  kind);
/** assay_item_kind_from_string: parses a kind name; %FALSE if @text names no kind. */
gboolean    assay_item_kind_from_string (const char    *text,
                                         AssayItemKind *out_kind);
/** assay_item_kind_is_scored: whether items of @kind earn points (not number, text, date). */
gboolean    assay_item_kind_is_scored   (AssayItemKind  kind);
/** assay_form_mode_to_string: "points" or "percent". */
const char *assay_form_mode_to_string   (AssayFormMode  mode);
/** assay_form_mode_from_string: parses "points" or "percent". */
gboolean    assay_form_mode_from_string (const char    *text,
                                         AssayFormMode *out_mode);

typedef struct {
  char   *id;
  char   *label;
  double  points;     /* may be negative: a deduction */
} AssayOption;

/**
 * AssayCommentRule:
 * When an answered item needs the inspector's comment before Submit (the item's `comment`).
 * @ASSAY_COMMENT_NEVER: never
 * @ASSAY_COMMENT_ON_FAIL: when the answer fails: it earns nothing (No on a yes/no item, the
 *   lowest step of a scale, points at the minimum, a choice worth nothing or less)
 * @ASSAY_COMMENT_BELOW_FULL: whenever the answer earns less than full marks
 */
typedef enum {
  ASSAY_COMMENT_NEVER,
  ASSAY_COMMENT_ON_FAIL,
  ASSAY_COMMENT_BELOW_FULL,
} AssayCommentRule;

/** assay_comment_rule_to_string: "never", "on_fail" or "below_full". */
const char *assay_comment_rule_to_string   (AssayCommentRule  rule);
/** assay_comment_rule_from_string: parses "never", "on_fail" or "below_full". */
gboolean    assay_comment_rule_from_string (const char       *text,
                                            AssayCommentRule *out_rule);

/**
 * AssayScript:
 * Script compliance on a yes/no item: phrases the speaker must say and must not say, found in a
 * transcript or conversation by assay-phrase.h. Each phrase is a %NULL-terminated array of its
 * equal forms (Simplified and Traditional, say), any of which matches.
 * @must_say: (element-type GStrv): all must be found for a Yes
 * @must_not_say: (element-type GStrv): any found means No
 * @speaker: whose words count (agent by default); %ASSAY_SPEAKER_UNKNOWN: anyone's
 * @within_s: > 0: only what is said in the first @within_s seconds of the contact
 */
typedef struct {
  GPtrArray *must_say;
  GPtrArray *must_not_say;
  AssaySpeaker  speaker;
  double     within_s;
} AssayScript;

/** assay_script_new: an empty script for the agent, over the whole contact. */
AssayScript *assay_script_new  (void);
/** assay_script_copy: a deep copy. */
AssayScript *assay_script_copy (const AssayScript *script);
void         assay_script_free (AssayScript       *script);
/** assay_script_add_phrase: adds a phrase with its equal @forms to must-say or must-not-say. */
void         assay_script_add_phrase (AssayScript       *script,
                                      gboolean           must_say,
                                      const char *const *forms);

typedef struct {
  char          *id;
  AssayItemKind  kind;
  char          *text;
  char          *help;                  /* or NULL */
  double         weight;                /* ≥ 0, multiplies the item's points */
  gboolean       required;              /* Submit needs an answer (or N/A) */
  gboolean       allow_na;              /* always for yes_no_na, never for yes_no */
  gboolean       fatal;                 /* a No makes the whole evaluation 0 % */
  gboolean       fail_section;          /* a No makes its section 0 % */
  gboolean       critical;              /* counted in the separate critical score */
  gboolean       comment_on_deduction;  /* an answer that loses points needs a comment */
  double         min;                   /* scale (whole numbers), points; number if has_min */
  double         max;                   /* scale, points; number if has_max */
  gboolean       has_min;
  gboolean       has_max;
  GPtrArray     *options;               /* AssayOption*, single and multiple choice */
  gboolean       comment_on_fail;       /* a failed answer needs a comment (when not on deduction) */
  AssayScript   *script;                /* script compliance (yes/no items), or NULL */
  /* audits (docs/audits.md) */
  gboolean       observation;           /* an answered item needs the observation text (its comment) */
  gboolean       duration;              /* a number item that is a measured time, in seconds */
  guint          evidence_min;          /* photos or files an audit attaches for the item */

  /*< read-only, set by assay_form_validate() >*/
  guint          index;                 /* position in the whole form, section by section */
  guint          section;               /* index of its section */
} AssayItem;

typedef struct {
  char      *id;
  char      *title;
  double     weight;      /* points mode: multiplier; percent mode: percent of the form */
  gboolean   bonus;       /* adds on top of the score, may pass 100 %; no N/A inside */
  double     baseline;    /* points granted once anything in the section is answered */
  GPtrArray *items;       /* AssayItem* */

  /*< read-only, set by assay_form_validate() >*/
  guint      index;
} AssaySection;

typedef struct {
  char   *name;
  double  min;            /* lowest overall percent that gets this band */
} AssayBand;

typedef struct {
  char          *id;
  char          *name;
  char          *description;          /* or NULL */
  guint          version;              /* ≥ 1 */
  AssayFormMode  mode;
  gboolean       na_redistribution;    /* a N/A item's points stay in its section */
  double         minimum;              /* floor of the score once anything is answered, 0..100 */
  gboolean       comment_on_deduction; /* default for items added later */
  gboolean       comment_on_fail;      /* default for items added later (when not on deduction) */
  GPtrArray     *bands;                /* AssayBand*, ascending by min */
  GPtrArray     *sections;             /* AssaySection* */

  /*< private >*/
  gboolean        published;
  gboolean        validated;
  GPtrArray      *items;               /* AssayItem*, borrowed, in form order */
  GHashTable     *item_ids;            /* id → index + 1 */
  gatomicrefcount ref_count;
} AssayForm;

#define ASSAY_TYPE_FORM (assay_form_get_type ())
GType assay_form_get_type (void) G_GNUC_CONST;

/**
 * assay_form_new:
 * A new, empty draft form (points mode unless @mode says otherwise).
 */
AssayForm    *assay_form_new            (const char     *id,
                                         const char     *name,
                                         guint           version,
                                         AssayFormMode   mode);
/** assay_form_ref: adds a reference to @form. */
AssayForm    *assay_form_ref            (AssayForm      *form);
/** assay_form_unref: drops a reference; the last one frees the form. */
void          assay_form_unref          (AssayForm      *form);

/**
 * assay_form_add_section:
 * Appends a section to a draft form. Returns: (transfer none): the section, for setting its
 * other fields, or %NULL if @form is published.
 */
AssaySection *assay_form_add_section    (AssayForm      *form,
                                         const char     *id,
                                         const char     *title,
                                         double          weight);
/**
 * assay_form_add_item:
 * Appends an item to @section of a draft form, with the defaults of its kind: weight 1,
 * required when scored (except in a bonus section), N/A only for yes_no_na, a 1–5 scale,
 * 0–1 points. Set the section's bonus flag before adding its items.
 * Returns: (transfer none): the item, or %NULL if @form is published.
 */
AssayItem    *assay_form_add_item       (AssayForm      *form,
                                         AssaySection   *section,
                                         const char     *id,
                                         AssayItemKind   kind,
                                         const char     *text);
/** assay_form_add_option: appends an option to a choice item of a draft form. */
AssayOption  *assay_form_add_option     (AssayForm      *form,
                                         AssayItem      *item,
                                         const char     *id,
                                         const char     *label,
                                         double          points);
/** assay_form_add_band: appends a score band (keep them ascending by @min). */
AssayBand    *assay_form_add_band       (AssayForm      *form,
                                         const char     *name,
                                         double          min);

/**
 * assay_form_validate:
 * Checks every rule of docs/forms.md and indexes the items. On failure the error
 * (%ASSAY_FORM_ERROR_INVALID) message starts with the exact field path, for example
 * `sections[2].items[0].weight: must be >= 0`.
 */
gboolean      assay_form_validate       (AssayForm      *form,
                                         GError        **error);
/** assay_form_is_valid: whether the form was validated since its last change. */
gboolean      assay_form_is_valid       (const AssayForm *form);

/**
 * assay_form_publish:
 * Validates @form and freezes it: from now on it is immutable.
 */
gboolean      assay_form_publish        (AssayForm      *form,
                                         GError        **error);
gboolean      assay_form_is_published   (const AssayForm *form);

/**
 * assay_form_new_version:
 * Editing a published form: a deep copy as an unpublished draft numbered version + 1. The
 * original stays as it is, and so do answers given on it.
 */
AssayForm    *assay_form_new_version    (const AssayForm *form);

/**
 * assay_form_copy:
 * A deep copy of @form with the same id and version, as an unpublished draft (validated when
 * @form was). For a scorecard editor: answers are made on a copy, so that the draft being edited
 * may keep changing under them.
 */
AssayForm    *assay_form_copy           (const AssayForm *form);

/** assay_form_get_n_items: the number of items of a validated form. */
guint            assay_form_get_n_items (const AssayForm *form);
/** assay_form_get_item: the item at @index (form order) of a validated form. */
const AssayItem *assay_form_get_item    (const AssayForm *form,
                                         guint            index);
/** assay_form_lookup_item: the index of the item called @id, or -1. */
int              assay_form_lookup_item (const AssayForm *form,
                                         const char      *id);
/** assay_form_band_for: the name of the band @percent falls in, or %NULL. */
const char      *assay_form_band_for    (const AssayForm *form,
                                         double           percent);

/**
 * assay_item_get_comment_rule:
 * The item's comment rule: below_full when `comment_on_deduction` is set, else on_fail when
 * `comment_on_fail` is, else never.
 */
AssayCommentRule assay_item_get_comment_rule (const AssayItem *item);
/** assay_form_get_comment_rule: the form's default comment rule for its items, likewise. */
AssayCommentRule assay_form_get_comment_rule (const AssayForm *form);
/** assay_item_set_comment_rule: sets `comment_on_deduction` and `comment_on_fail` from @rule. */
void             assay_item_set_comment_rule (AssayItem        *item,
                                              AssayCommentRule  rule);

/** assay_item_get_max_points: what the item can earn at most (its weight applied), ≥ 0. */
double   assay_item_get_max_points (const AssayItem *item);

/** ASSAY_CHOICE_NA: assay_item_choice_for_key() for the N key on an item that allows N/A. */
#define ASSAY_CHOICE_NA (-2)

/**
 * assay_item_get_n_choices:
 * How many choices the item offers in order: 2 for yes/no (Yes, No), max − min + 1 for a
 * scale (min first), the options of a choice item; 0 for the others.
 */
guint    assay_item_get_n_choices  (const AssayItem *item);
/**
 * assay_item_choice_for_key:
 * Number keys 1..9 select choice 0..8; N (either case) selects N/A where the item allows it.
 * Returns: the choice, %ASSAY_CHOICE_NA, or -1 if @key means nothing for @item.
 */
int      assay_item_choice_for_key (const AssayItem *item,
                                    gunichar         key);

/* Answers ------------------------------------------------------------------------------------ */

typedef enum {
  ASSAY_ANSWER_NONE,     /* not answered yet */
  ASSAY_ANSWER_VALUE,
  ASSAY_ANSWER_NA,
} AssayAnswerState;

typedef struct {
  gint64 start_ms;
  gint64 end_ms;
} AssayEvidence;

/**
 * AssayAnswer:
 * The answer to one item. Which value field holds it depends on the kind: @choice for yes/no
 * (0 Yes, 1 No), scale (value − min) and single choice (option index); @choices for multiple
 * choice (bit n = option n); @value for scale, points and number; @text for text and date
 * (YYYY-MM-DD).
 */
typedef struct {
  AssayAnswerState  state;
  int               choice;
  guint64           choices;
  double            value;
  char             *text;
  char             *comment;     /* or NULL */
  GArray           *evidence;    /* AssayEvidence, or NULL when none */
  gboolean          suggested;   /* a suggestion (assay_phrase_suggest()) not yet confirmed */
} AssayAnswer;

typedef struct _AssayAnswers AssayAnswers;

#define ASSAY_TYPE_ANSWERS (assay_answers_get_type ())
GType assay_answers_get_type (void) G_GNUC_CONST;

/**
 * assay_answers_new:
 * Empty answers on @form, which must be valid. The answers keep a reference to this very
 * version of the form: they are scored on it even when a newer version exists.
 */
AssayAnswers      *assay_answers_new          (AssayForm          *form);
/** assay_answers_copy: a deep copy, on the same form version. */
AssayAnswers      *assay_answers_copy         (const AssayAnswers *self);
/** assay_answers_free: frees the answers and drops their reference to the form. */
void               assay_answers_free         (AssayAnswers       *self);
/** assay_answers_get_n_items: how many items the answers cover (those of their form). */
guint              assay_answers_get_n_items  (const AssayAnswers *self);
/** assay_answers_get_form: (transfer none): the form version the answers belong to. */
AssayForm         *assay_answers_get_form     (const AssayAnswers *self);
/** assay_answers_get: the answer to the item at @item (form order). */
const AssayAnswer *assay_answers_get          (const AssayAnswers *self,
                                               guint               item);

/*
 * The setters return %FALSE and set @error (%ASSAY_FORM_ERROR_INVALID_ANSWER, the message
 * without a path) when the value does not fit the item; the answer is then unchanged.
 * The comment and the evidence are kept when the value changes.
 */

/** assay_answers_set_choice: yes/no (0 Yes, 1 No), scale (0 = min) or single choice. */
gboolean assay_answers_set_choice   (AssayAnswers  *self,
                                     guint          item,
                                     int            choice,
                                     GError       **error);
/** assay_answers_set_choices: the selected options of a multiple choice item, bit n = option n. */
gboolean assay_answers_set_choices  (AssayAnswers  *self,
                                     guint          item,
                                     guint64        choices,
                                     GError       **error);
/** assay_answers_set_value: a scale value (whole, min..max), points (min..max) or a number. */
gboolean assay_answers_set_value    (AssayAnswers  *self,
                                     guint          item,
                                     double         value,
                                     GError       **error);
/** assay_answers_set_text: a text item's text, or a date item's YYYY-MM-DD; "" clears it. */
gboolean assay_answers_set_text     (AssayAnswers  *self,
                                     guint          item,
                                     const char    *text,
                                     GError       **error);
/** assay_answers_set_na: marks the item N/A, if it allows N/A. */
gboolean assay_answers_set_na       (AssayAnswers  *self,
                                     guint          item,
                                     GError       **error);
/** assay_answers_clear: makes the item unanswered (its comment and evidence stay). */
void     assay_answers_clear        (AssayAnswers  *self,
                                     guint          item);
/** assay_answers_set_comment: the inspector's comment on the item; %NULL or "" removes it. */
void     assay_answers_set_comment  (AssayAnswers  *self,
                                     guint          item,
                                     const char    *comment);
/** assay_answers_add_evidence: marks a span of the recording as evidence for the answer. */
gboolean assay_answers_add_evidence (AssayAnswers  *self,
                                     guint          item,
                                     gint64         start_ms,
                                     gint64         end_ms,
                                     GError       **error);
/** assay_answers_clear_evidence: removes the evidence spans of the item. */
void     assay_answers_clear_evidence (AssayAnswers *self,
                                       guint         item);
/**
 * assay_answers_press_key:
 * Answers the item as a number key or N would in the scoring panel (see
 * assay_item_choice_for_key()); on a multiple choice item a number key toggles the option.
 * Returns: %TRUE if the key did something.
 */
gboolean assay_answers_press_key    (AssayAnswers  *self,
                                     guint          item,
                                     gunichar       key);

/**
 * assay_answers_set_suggestion:
 * Answers a yes/no, scale or single choice item with @choice as a suggestion: the answer is
 * flagged `suggested` until assay_answers_confirm() or any other setter, and
 * assay_answers_check_submit() refuses it meanwhile. @evidence (of AssayEvidence, nullable)
 * replaces the item's evidence.
 */
gboolean assay_answers_set_suggestion (AssayAnswers  *self,
                                       guint          item,
                                       int            choice,
                                       GArray        *evidence,
                                       GError       **error);
/**
 * assay_answers_confirm:
 * The inspector accepts the suggested answer of @item as their own.
 * Returns: %TRUE if there was a suggestion to confirm.
 */
gboolean assay_answers_confirm        (AssayAnswers  *self,
                                       guint          item);

typedef enum {
  ASSAY_PROBLEM_UNANSWERED,       /* a required item has no answer */
  ASSAY_PROBLEM_COMMENT_MISSING,  /* the answer needs a comment by the item's comment rule */
  ASSAY_PROBLEM_UNCONFIRMED,      /* the answer is a suggestion the inspector has not confirmed */
} AssayProblemKind;

typedef struct {
  AssayProblemKind kind;
  guint            item;          /* index of the item */
} AssayProblem;

/**
 * assay_answers_check_submit:
 * What stops these answers from being submitted, in form order.
 * Returns: (transfer full): an array of AssayProblem, empty when Submit may go ahead.
 */
GArray  *assay_answers_check_submit (const AssayAnswers *self);

/**
 * assay_answer_raw:
 * The unweighted points of an answered scored item (@out_earned) and of its best answer
 * (@out_max): 1/1 for Yes, (value − min)/(max − min) for a scale, and so on (docs/forms.md).
 * Returns: %FALSE if the item is not scored or @answer is not a value.
 */
gboolean assay_answer_raw           (const AssayItem    *item,
                                     const AssayAnswer  *answer,
                                     double             *out_earned,
                                     double             *out_max);
/**
 * assay_answer_needs_comment:
 * Whether @answer needs a comment by the item's comment rule (whether or not it has one).
 */
gboolean assay_answer_needs_comment (const AssayItem    *item,
                                     const AssayAnswer  *answer);
/** assay_answer_is_failed: whether an answered scored item earns nothing (see AssayCommentRule). */
gboolean assay_answer_is_failed     (const AssayItem    *item,
                                     const AssayAnswer  *answer);
/** assay_answer_is_deduction: whether an answered scored item lost points. */
gboolean assay_answer_is_deduction  (const AssayItem    *item,
                                     const AssayAnswer  *answer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayForm, assay_form_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayScript, assay_script_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAnswers, assay_answers_free)

G_END_DECLS
