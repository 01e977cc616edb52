/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "assay-store-calibration.h"
#include "assay-store-private.h"
#include "protocol/assay-form-json.h"

G_BEGIN_DECLS

/*
 * Calibration in the store, split by responsibility: sessions (create, read, open and close) in
 * assay-store-calibration.c, blind scorings in assay-store-calibration-scoring.c, consensus and
 * the staff list in assay-store-calibration-consensus.c. These helpers are shared by the three.
 */

typedef struct {
  char     *session_id;
  char     *name;
  char     *form_version_id;
  char     *created_by;
  char     *expert_id;
  GStrv     interaction_ids;
  GStrv     participant_ids;
  char     *interaction_id;
  char     *inspector_id;
  char     *item_id;
  char     *answers;
  char     *comments;
  char     *state;
  char     *by_id;
  gboolean  submit;
} Args;

void        _assay_calibration_args_free  (Args *a);
/* Arguments naming only a session. */
Args       *_assay_calibration_session_args (const char *session_id);

gboolean    _assay_calibration_invalid    (GError     **error,
                                           const char  *format,
                                           ...) G_GNUC_PRINTF (2, 3);

/* Runs a query that names one row and checks it exists; 1 found, 0 not, -1 error. */
int         _assay_calibration_exists     (sqlite3     *db,
                                           const char  *sql,
                                           const char  *a,
                                           const char  *b,
                                           GError     **error);

/* The session's form version as the form engine reads it. */
AssayForm  *_assay_calibration_load_form  (sqlite3     *db,
                                           const char  *form_version_id,
                                           GError     **error);

typedef struct {
  char *form_version_id;
  char *created_by;
  char *expert_id;
  char *state;
} SessionRow;

void        _assay_calibration_session_row_clear (SessionRow *s);
gboolean    _assay_calibration_load_session (sqlite3     *db,
                                             const char  *session_id,
                                             SessionRow  *out,
                                             GError     **error);

char       *_assay_calibration_build_json (JsonBuilder *builder);
void        _assay_calibration_add_string_or_null (JsonBuilder *b,
                                                   const char  *name,
                                                   const char  *value);
void        _assay_calibration_add_json   (JsonBuilder *b,
                                           const char  *name,
                                           const char  *json);

/*
 * Queues a sync operation. With @coalesce, an unsent create or update of the same object is
 * rewritten in place instead (drafts saved on every change send only their last state).
 * Scorings go whole and are created on the server by their first operation; a consensus
 * answer's composite key becomes a derived UUID (assay-store-calibration-sync.c).
 */
gboolean    _assay_calibration_queue_operation (sqlite3     *db,
                                                const char  *collection,
                                                gint64       base_rev,
                                                const char  *object_id,
                                                const char  *action,
                                                const char  *data,
                                                gboolean     coalesce,
                                                GError     **error);

/* The server revision a row was last seen at (its rev), -1 for none; -2 on error. */
gint64      _assay_calibration_row_rev    (sqlite3     *db,
                                           const char  *sql,
                                           const char  *a,
                                           const char  *b,
                                           const char  *c,
                                           GError     **error);

G_END_DECLS
