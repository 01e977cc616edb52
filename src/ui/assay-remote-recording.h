/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-context.h"
#include "media/assay-growing-file.h"

G_BEGIN_DECLS

/*
 * Recordings on demand (issue 9, item 4) for a page: the recording of an interaction that has
 * no local file is fetched from the central service the context is signed in to (the server's
 * `recordings` object from the store, the token from the keyring, the bytes into the recording
 * cache), and is playable from its first bytes:
 *
 * - "opened" (AssayGrowingFile *file, const char *path): something can be played. @file is the
 *   file still arriving (its path the cache's partial file) at the first bytes, or %NULL when
 *   the cache had the whole recording already (then @path is complete).
 * - "finished" (const char *path): the whole recording arrived and its SHA-256 checked.
 * - "failed" (GError *error): nothing more comes. G_IO_ERROR_NOT_FOUND when the server names
 *   no recording for the interaction; ASSAY_SYNC_ERROR_* for the network and the server. The
 *   message is a sentence for the user.
 * "received" and "total" (notify) tell how far it is.
 *
 * Cancelling the cancellable given to start ends it silently. The cache's limits follow the
 * settings "recordings-cache-size-mb" and "recordings-cache-max-age-days".
 */

#define ASSAY_TYPE_REMOTE_RECORDING (assay_remote_recording_get_type ())
G_DECLARE_FINAL_TYPE (AssayRemoteRecording, assay_remote_recording, ASSAY, REMOTE_RECORDING, GObject)

/* Whether @context can fetch recordings (signed in to a central service). */
gboolean              assay_remote_recording_can_fetch    (AssayContext         *context);

AssayRemoteRecording *assay_remote_recording_new          (AssayContext         *context,
                                                           const char           *interaction_id);
void                  assay_remote_recording_start        (AssayRemoteRecording *self,
                                                           GCancellable         *cancellable);
goffset               assay_remote_recording_get_received (AssayRemoteRecording *self);
/* -1 while unknown */
goffset               assay_remote_recording_get_total    (AssayRemoteRecording *self);
gboolean              assay_remote_recording_is_complete  (AssayRemoteRecording *self);
/* The server's agent channel of the recording, or -1 (known once "opened" was emitted). */
int                   assay_remote_recording_get_agent_channel (AssayRemoteRecording *self);

G_END_DECLS
