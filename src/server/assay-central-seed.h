/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-central-storage.h"

G_BEGIN_DECLS

typedef struct {
  guint       n_interactions;
  guint       n_days;
  guint32     seed;
  const char *recordings_dir;   /* demo recordings (*.wav and .meta), or NULL */
  const char *forms_dir;        /* service-quality-en.json and -zh.json, or NULL */
} AssayCentralSeedOptions;

typedef struct {
  guint n_teams, n_agents, n_staff, n_interactions, n_recordings, n_forms;
  guint n_assignments, n_evaluations;
} AssayCentralSeedSummary;

/**
 * assay_central_seed:
 * Writes the demo centre (src/demo/assay-demo.h) into the central storage, in one transaction:
 * teams, staff, agents, interactions with recordings (copied into the blob store), the demo
 * scorecards, assignments and evaluations, and one account per role whose login is the role's
 * name (inspector is the demo's "me").
 */
gboolean assay_central_seed   (AssayCentralStorage            *storage,
                               const AssayCentralSeedOptions  *options,
                               AssayCentralSeedSummary        *summary,
                               GError                        **error);

typedef struct {
  guint n_interactions, n_agents, n_teams, n_recordings;
  GPtrArray *problems;          /* "line 3: column 'csat': ..." */
} AssayCentralImportSummary;

/**
 * assay_central_import:
 * Imports the interaction CSV of `assayctl import` (docs/csv.md) into the central storage, with
 * the recordings it names (relative to @recordings_dir, default the CSV's folder). A record with
 * problems is skipped and listed; nothing is written when the file cannot be read as CSV at all.
 */
gboolean assay_central_import (AssayCentralStorage            *storage,
                               const char                     *csv_path,
                               const char                     *recordings_dir,
                               AssayCentralImportSummary      *summary,
                               GError                        **error);

/** assay_central_store_blob: copies the file @path into the blob store; returns its sha256. */
char    *assay_central_store_blob (AssayCentralStorage        *storage,
                                   const char                 *path,
                                   gint64                     *size,
                                   GError                    **error);

G_END_DECLS
