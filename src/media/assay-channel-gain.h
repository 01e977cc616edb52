/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/audio/gstaudiofilter.h>

G_BEGIN_DECLS

#define ASSAY_TYPE_CHANNEL_GAIN (assay_channel_gain_get_type ())
G_DECLARE_FINAL_TYPE (AssayChannelGain, assay_channel_gain, ASSAY, CHANNEL_GAIN, GstAudioFilter)

/**
 * AssayChannelGain:
 * An in-place audio filter (F32 interleaved) that scales the left and right channel of a
 * stereo stream by #AssayChannelGain:left-gain and #AssayChannelGain:right-gain. Gains may
 * change while playing: the change ramps over one buffer, so it does not click. Streams
 * with other channel counts pass through untouched.
 *
 * (audioconvert's mix-matrix would do the same, but GStreamer 1.22 only applies a new matrix
 * on the next caps change, not while playing.)
 */
GstElement *assay_channel_gain_new       (const char       *name);
void        assay_channel_gain_set_gains (AssayChannelGain *self,
                                          double            left,
                                          double            right);

G_END_DECLS
