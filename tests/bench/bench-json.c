/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the checks of assay_protocol_parse_json() (docs/json-limits.md) cost on top of json-glib:
 * a 9.6 MB document of 200 000 small objects, parsed through the checked door and by json-glib
 * alone, best of five. Prints figures; never passes or fails on time.
 */
#include <stdio.h>

#include "protocol/assay-protocol.h"

int
main (void)
{
  g_autoptr(GString) text = g_string_new ("[");
  gint64 checked = G_MAXINT64, plain = G_MAXINT64;

  for (int i = 0; i < 200000; i++)
    g_string_append_printf (text, "%s{\"id\":\"item%d\",\"weight\":%d.5,\"text\":\"q\"}",
                            i ? "," : "", i, i);
  g_string_append_c (text, ']');

  for (int r = 0; r < 5; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(JsonNode) node = NULL;
      gint64 t0, t1, t2;

      t0 = g_get_monotonic_time ();
      node = assay_protocol_parse_json (text->str, (gssize) text->len, NULL, &error);
      t1 = g_get_monotonic_time ();
      g_assert_no_error (error);
      json_parser_load_from_data (parser, text->str, (gssize) text->len, &error);
      t2 = g_get_monotonic_time ();
      g_assert_no_error (error);
      checked = MIN (checked, t1 - t0);
      plain = MIN (plain, t2 - t1);
    }
  printf ("parse %.1f MB (200 000 objects) through the checked door: %.0f ms; json-glib alone: "
          "%.0f ms; the checks: %.0f ms (best of 5)\n", text->len / 1e6, checked / 1e3,
          plain / 1e3, (checked - plain) / 1e3);
  return 0;
}
