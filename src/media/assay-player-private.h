/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

#include "assay-player.h"

G_BEGIN_DECLS

/* For tests: replaces autoaudiosink / $ASSAY_AUDIO_SINK for the next assay_player_open(). */
void        _assay_player_set_sink_description (AssayPlayer *self,
                                                const char  *description);
/* The playbin of the open recording, or NULL. (transfer none) */
GstElement *_assay_player_get_pipeline         (AssayPlayer *self);
/* The per-channel gain element in the playbin's audio filter, or NULL. (transfer none) */
GstElement *_assay_player_get_channel_gain     (AssayPlayer *self);

G_END_DECLS
