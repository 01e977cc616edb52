/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "core/assay-form.h"
#include "core/assay-scoring.h"

G_BEGIN_DECLS

/*
 * The JSON files of docs/forms.md: a form definition, the answers given on one version of it,
 * and the result of scoring them. Every error is in the %ASSAY_FORM_ERROR domain and its message
 * starts with the exact path of the field at fault, e.g. `sections[2].items[0].weight: must be
 * >= 0` or `answers.greeting.value: must be "yes" or "no"`.
 */

/**
 * assay_form_from_json:
 * Parses and validates a form definition. A form marked "published" comes back published
 * (immutable). Returns: (transfer full): the form, or %NULL with @error set.
 */
AssayForm    *assay_form_from_json          (const char          *data,
                                             gssize               length,
                                             GError             **error);
/** assay_form_from_json_node: as assay_form_from_json(), from a parsed document. */
AssayForm    *assay_form_from_json_node     (JsonNode            *node,
                                             GError             **error);
/**
 * assay_form_draft_from_json:
 * Reads a draft saved while it was being edited: the JSON must have the shape of a form file
 * (types, known fields, kinds), but the rules of assay_form_validate() are not enforced and
 * "published" is ignored. The form comes back as an unpublished draft, validated only if it
 * happens to follow every rule (assay_form_is_valid()). Returns: (transfer full): the draft.
 */
AssayForm    *assay_form_draft_from_json    (const char          *data,
                                             gssize               length,
                                             GError             **error);
/** assay_form_to_json_node: the form as JSON, fields in a stable order, defaults left out. */
JsonNode     *assay_form_to_json_node       (const AssayForm     *form);
/** assay_form_to_json: the form as pretty JSON text. */
char         *assay_form_to_json            (const AssayForm     *form);

/**
 * assay_answers_from_json:
 * Parses answers given on @form. They must name @form's id and version: answers given on
 * another version fail with %ASSAY_FORM_ERROR_WRONG_FORM, as they must be scored on the
 * version they were given on. Returns: (transfer full): the answers, or %NULL.
 */
AssayAnswers *assay_answers_from_json       (AssayForm           *form,
                                             const char          *data,
                                             gssize               length,
                                             GError             **error);
AssayAnswers *assay_answers_from_json_node  (AssayForm           *form,
                                             JsonNode            *node,
                                             GError             **error);
/** assay_answers_to_json_node: answered, N/A or commented items in form order. */
JsonNode     *assay_answers_to_json_node    (const AssayAnswers  *answers);
char         *assay_answers_to_json         (const AssayAnswers  *answers);
/**
 * assay_answers_json_count_unconfirmed:
 * How many answers in an answers file are unconfirmed suggestions (`"suggested": true`), read
 * without the form: the store refuses to submit a draft with any. Text that is not an answers
 * file counts as none.
 */
guint         assay_answers_json_count_unconfirmed (const char  *data);

/**
 * assay_score_to_json_node:
 * The result of scoring, keys in a fixed order, figures rounded to 4 decimals, absent figures
 * as null (docs/forms.md, "The result").
 */
JsonNode     *assay_score_to_json_node      (const AssayScore    *score);
char         *assay_score_to_json           (const AssayScore    *score,
                                             gboolean             pretty);

/**
 * assay_json_write:
 * Writes @node as JSON text, members in their order, numbers in their shortest exact form
 * (60, 57.1429, not 57.142899999999997), UTF-8 left as it is.
 */
char         *assay_json_write              (JsonNode            *node,
                                             gboolean             pretty);

G_END_DECLS
