/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-protocol.h"

char *
assay_protocol_to_string (JsonNode *node,
                          gboolean  pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, pretty);
  json_generator_set_indent (gen, 2);
  return json_generator_to_data (gen, NULL);
}
