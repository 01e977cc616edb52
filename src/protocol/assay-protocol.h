/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/** ASSAY_PROTOCOL_VERSION: the version of the JSON formats this build reads and writes. */
#define ASSAY_PROTOCOL_VERSION 1

/** ASSAY_JSON_MAX_BYTES: the largest JSON document read by default (16 MiB). */
#define ASSAY_JSON_MAX_BYTES ((gsize) 16 * 1024 * 1024)
/** ASSAY_JSON_MAX_DEPTH: the deepest nesting of arrays and objects read by default. */
#define ASSAY_JSON_MAX_DEPTH 64

#define ASSAY_PROTOCOL_ERROR (assay_protocol_error_quark ())

typedef enum
{
  ASSAY_PROTOCOL_ERROR_TOO_LARGE,     /* more bytes than the limit */
  ASSAY_PROTOCOL_ERROR_TOO_DEEP,      /* arrays and objects nested deeper than the limit */
  ASSAY_PROTOCOL_ERROR_ENCODING,      /* not UTF-8, or a NUL / lone surrogate in a string */
  ASSAY_PROTOCOL_ERROR_DUPLICATE_KEY, /* the same key twice in one object */
  ASSAY_PROTOCOL_ERROR_NUMBER,        /* a number too large to hold */
  ASSAY_PROTOCOL_ERROR_SYNTAX,        /* not JSON, or truncated */
  ASSAY_PROTOCOL_ERROR_EMPTY,         /* nothing but white space */
} AssayProtocolError;

GQuark assay_protocol_error_quark (void);

/**
 * AssayJsonLimits:
 * @max_bytes: the largest document accepted, 0 for %ASSAY_JSON_MAX_BYTES
 * @max_depth: the deepest nesting accepted, 0 for %ASSAY_JSON_MAX_DEPTH
 */
typedef struct
{
  gsize max_bytes;
  guint max_depth;
} AssayJsonLimits;

/**
 * assay_protocol_parse_json:
 * The one door through which Assay reads JSON (docs/json-limits.md). Before json-glib sees the
 * text, a scanner checks it is at most @limits' size, nested at most @limits' depth, valid UTF-8
 * with no NUL character or lone surrogate in a string, strict RFC 8259 JSON (no comments, no
 * trailing commas, nothing after the document), without a key twice in any object (compared
 * after unescaping), and that every number fits a double (and every whole number written
 * without fraction or exponent fits 64 bits). The error message names the path of the value
 * at fault where there is one, and the line and column. @length may be -1 for NUL-terminated
 * text. @limits may be %NULL for the defaults.
 * Returns: (transfer full): the root node, or %NULL with @error set in %ASSAY_PROTOCOL_ERROR.
 */
JsonNode *assay_protocol_parse_json (const char             *data,
                                     gssize                  length,
                                     const AssayJsonLimits  *limits,
                                     GError                **error);

/**
 * assay_protocol_load_file:
 * Reads the file at @path for assay_protocol_parse_json(), refusing it by its size before
 * reading it when it is larger than @limits allow. Returns: (transfer full): the contents
 * (NUL-terminated, @length set), or %NULL with @error set (%G_FILE_ERROR or
 * %ASSAY_PROTOCOL_ERROR_TOO_LARGE).
 */
char     *assay_protocol_load_file  (const char             *path,
                                     const AssayJsonLimits  *limits,
                                     gsize                  *length,
                                     GError                **error);

/**
 * assay_protocol_to_string:
 * Serialises @node as pretty JSON.
 */
char *assay_protocol_to_string (JsonNode *node,
                                gboolean  pretty);

G_END_DECLS
