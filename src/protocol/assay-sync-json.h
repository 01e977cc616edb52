/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "assay-collections.h"

G_BEGIN_DECLS

/*
 * The sync wire format (docs/sync-protocol.md): the canonical JSON form used by `dump` on both
 * sides, operations and their results. Shared by the client, assay-central and assayctl.
 */

#define ASSAY_SYNC_API_PREFIX        "/api/v1"
#define ASSAY_SYNC_MAX_REQUEST_BYTES (4 * 1024 * 1024)
#define ASSAY_SYNC_MAX_BLOB_BYTES    (64 * 1024 * 1024)
#define ASSAY_SYNC_DEFAULT_PAGE      500
#define ASSAY_SYNC_MAX_PAGE          1000
#define ASSAY_SYNC_MAX_OPS           200
#define ASSAY_SYNC_PROBLEM_BASE      "https://assayqa.github.io/problems/"

typedef enum {
  ASSAY_OP_STATUS_APPLIED,
  ASSAY_OP_STATUS_DUPLICATE,
  ASSAY_OP_STATUS_CONFLICT,
  ASSAY_OP_STATUS_REJECTED,
  ASSAY_OP_STATUS_BLOCKED,
} AssayOpStatus;

/** assay_op_status_name: "applied", "duplicate", "conflict", "rejected", "blocked". */
const char *assay_op_status_name (AssayOpStatus status);

/**
 * assay_sync_canonical_json:
 * @node as canonical JSON: no white space, object members sorted by their UTF-8 bytes, strings
 * escaped only where JSON requires (", \, control characters as \b \f \n \r \t or \u00XX; all
 * other characters as UTF-8), integral numbers within ±2^53 as integers, other numbers with
 * 17 significant digits. Returns %NULL for a number that is not finite.
 */
char       *assay_sync_canonical_json (JsonNode   *node);

/**
 * assay_sync_dump_line:
 * One line of `dump`: the canonical JSON of {"data": @data, "id": @id, "rev": @rev}, without
 * the newline. The client's `assayctl dump` and the server's `assay-central dump` both print
 * exactly this, one object per line sorted by id (byte order), deleted objects left out.
 */
char       *assay_sync_dump_line      (const char *id,
                                       gint64      rev,
                                       JsonNode   *data);

/**
 * AssaySyncOp:
 * One operation of a POST /ops batch. Strings point into the parsed document (@data too).
 * @base_rev is 0 when the member is absent.
 */
typedef struct {
  const char            *op_id;
  const AssayCollection *collection;
  const char            *id;
  AssayOpAction          action;
  gint64                 base_rev;
  JsonNode              *data;
  const char            *reason;
} AssaySyncOp;

/**
 * assay_sync_op_parse:
 * Reads and checks one operation: opId and id are UUIDs, the collection is declared, the action
 * known, baseRev a whole number ≥ 1 when present, data an object when present (required for
 * create, update, submit and amend), reason a non-empty string for amend.
 * Returns: %FALSE with a message naming the member (G_IO_ERROR_INVALID_DATA).
 */
gboolean    assay_sync_op_parse       (JsonNode    *node,
                                       AssaySyncOp *op,
                                       GError     **error);

/** assay_sync_is_uuid: whether @text is a UUID in its 36-character hex form. */
gboolean    assay_sync_is_uuid        (const char  *text);

G_END_DECLS
