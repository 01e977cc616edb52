/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/assay-speech.h"
#include "media/assay-peaks.h"

G_BEGIN_DECLS

typedef enum {
  ASSAY_WAVEFORM_LANE_SILENCE,     /* dead air */
  ASSAY_WAVEFORM_LANE_OVERTALK,    /* both speak */
  ASSAY_WAVEFORM_LANE_AGENT,       /* agent voice activity */
  ASSAY_WAVEFORM_LANE_CUSTOMER,    /* customer voice activity */
  ASSAY_WAVEFORM_N_LANES
} AssayWaveformLane;

#define ASSAY_TYPE_WAVEFORM (assay_waveform_get_type ())
G_DECLARE_FINAL_TYPE (AssayWaveform, assay_waveform, ASSAY, WAVEFORM, GtkWidget)

/**
 * AssayWaveform:
 * The recording's waveform: one lane per channel (agent and customer for stereo), speech lanes
 * (voice, silence, over-talk) and evidence marks under it, the playhead and a selection.
 * Click seeks, drag selects a span, scroll (with Ctrl) or +/- zooms, Left/Right seek by 5 s
 * (Shift: 1 s); it is an accessible slider over the position. Peaks are drawn as they arrive.
 */
AssayWaveform *assay_waveform_new              (void);
/* Peaks may still be computing: call assay_waveform_peaks_updated() as more arrive. */
void           assay_waveform_set_peaks        (AssayWaveform      *self,
                                                AssayPeaks         *peaks);
void           assay_waveform_peaks_updated    (AssayWaveform      *self);
/* Which peaks channel is the agent (0 or 1); the other is the customer. */
void           assay_waveform_set_agent_channel (AssayWaveform     *self,
                                                 guint              channel);
void           assay_waveform_set_duration     (AssayWaveform      *self,
                                                gint64              duration_ms);
gint64         assay_waveform_get_duration     (AssayWaveform      *self);
void           assay_waveform_set_position     (AssayWaveform      *self,
                                                gint64              position_ms);
gint64         assay_waveform_get_position     (AssayWaveform      *self);
/* Segments of a speech lane (copied); %NULL or 0 clears it. */
void           assay_waveform_set_lane         (AssayWaveform      *self,
                                                AssayWaveformLane   lane,
                                                const AssaySegment *segments,
                                                gsize               n_segments);
/* Evidence marks: spans in ms with a short label each (copied). */
void           assay_waveform_clear_marks      (AssayWaveform      *self);
void           assay_waveform_add_mark         (AssayWaveform      *self,
                                                gint64              start_ms,
                                                gint64              end_ms,
                                                const char         *label);
/* The selected span; returns %FALSE when nothing is selected. */
gboolean       assay_waveform_get_selection    (AssayWaveform      *self,
                                                gint64             *start_ms,
                                                gint64             *end_ms);
void           assay_waveform_set_selection    (AssayWaveform      *self,
                                                gint64              start_ms,
                                                gint64              end_ms);
void           assay_waveform_clear_selection  (AssayWaveform      *self);
/* Zoom: 1.0 shows the whole recording; larger shows less. */
double         assay_waveform_get_zoom         (AssayWaveform      *self);
void           assay_waveform_set_zoom         (AssayWaveform      *self,
                                                double              zoom);

/* Signals: "seek" (gint64 position_ms) when the user clicks or uses keys;
 * "selection-changed" when a span is selected or cleared. */

G_END_DECLS
