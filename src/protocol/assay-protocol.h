/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/** ASSAY_PROTOCOL_VERSION: the version of the JSON formats this build reads and writes. */
#define ASSAY_PROTOCOL_VERSION 1

/**
 * assay_protocol_to_string:
 * Serialises @node as pretty JSON.
 */
char *assay_protocol_to_string (JsonNode *node,
                                gboolean  pretty);

G_END_DECLS
