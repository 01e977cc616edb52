/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "core/assay-sampling.h"

G_BEGIN_DECLS

/*
 * A sampling rule as JSON (docs/sampling.md), as it is stored with each draw: snake_case keys
 * in a fixed order, every key always present (null or [] for "no filter"), times as ISO-8601
 * UTC. Errors are in the %ASSAY_SAMPLING_ERROR domain; messages start with the field's name.
 */

/** assay_sampling_rule_to_json_node: the rule as a JSON object, keys in a fixed order. */
JsonNode          *assay_sampling_rule_to_json_node   (const AssaySamplingRule  *rule);
/** assay_sampling_rule_to_json: the rule as JSON text (one line unless @pretty). */
char              *assay_sampling_rule_to_json        (const AssaySamplingRule  *rule,
                                                       gboolean                  pretty);
/**
 * assay_sampling_rule_from_json_node:
 * Reads and validates a rule. An unknown key, a key of the wrong type or a value out of range
 * is an error naming the key; a newer "format" or "algorithm" is
 * %ASSAY_SAMPLING_ERROR_UNSUPPORTED. Returns: (transfer full): the rule, or %NULL.
 */
AssaySamplingRule *assay_sampling_rule_from_json_node (JsonNode                 *node,
                                                       GError                  **error);
AssaySamplingRule *assay_sampling_rule_from_json      (const char               *data,
                                                       gssize                    length,
                                                       GError                  **error);

G_END_DECLS
