/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "assay-player.h"
#include "assay-growing-file.h"

G_BEGIN_DECLS

/* For tests: replaces autoaudiosink / $ASSAY_AUDIO_SINK for the next assay_player_open(). */
void        _assay_player_set_sink_description (AssayPlayer *self,
                                                const char  *description);
/* The playbin of the open recording, or NULL. (transfer none) */
GstElement *_assay_player_get_pipeline         (AssayPlayer *self);
/* The per-channel gain element in the playbin's audio filter, or NULL. (transfer none) */
GstElement *_assay_player_get_channel_gain     (AssayPlayer *self);

/*
 * AssayPlayer is one class in four files, the gnome-text-editor way: assay-player.c (the
 * object, its properties and public API), assay-player-pipeline.c (the playbin with its audio
 * filter and output, the growing file's appsrc), assay-player-bus.c (loading, the bus watch,
 * preroll, end of stream, GStreamer errors turned into the user's) and assay-player-position.c
 * (the position poll, seeks, the loop and the rate). What they share is below.
 */

/* The position follows playback at about 30 Hz. */
#define POSITION_INTERVAL_MS 33
/* How far past the loop end the position may get before the player loops by itself, in
 * case a demuxer ignored the segment's stop. */
#define LOOP_SLACK_MS 250

struct _AssayPlayer
{
  GObject           parent_instance;

  GstElement       *pipeline;
  GstElement       *output;          /* the audio sink bin, which ends in the device sink */
  GstElement       *gain;
  GstDiscoverer    *discoverer;
  guint             bus_watch_id;
  guint             position_id;
  guint             failure_id;
  guint             restart_id;

  char             *path;
  char             *uri;
  AssayGrowingFile *growing;         /* a recording still arriving, or NULL */
  GCancellable     *growing_cancellable;
  char             *sink_description;
  AssayPlayerState  state;
  gint64            duration;
  gint64            position;
  int               channels;
  GError           *error;
  gboolean          no_audio_device;
  gboolean          fallback_sink;

  double            rate;
  double            agent_volume;
  double            customer_volume;
  AssayPlayerSolo   solo;
  guint             agent_channel;
  gint64            loop_start;
  gint64            loop_end;

  gboolean          prerolled;
  gboolean          want_playing;
  gint64            pending_seek;
  gboolean          segment_seek;
  gboolean          seeking;
  guint             seek_ticks;
  gboolean          duration_from_pipeline;

  char             *missing_detail;
  char             *missing_description;
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_STATE,
  PROP_DURATION,
  PROP_POSITION,
  PROP_CHANNELS,
  PROP_ERROR,
  PROP_NO_AUDIO_DEVICE,
  PROP_RATE,
  PROP_AGENT_VOLUME,
  PROP_CUSTOMER_VOLUME,
  PROP_SOLO,
  PROP_AGENT_CHANNEL,
  PROP_LOOP_START,
  PROP_LOOP_END,
  N_PROPS
};

enum {
  LOOPED,
  N_SIGNALS
};


/* assay-player.c: property setters and what every part needs */
void _assay_player_notify (AssayPlayer *self,
                           guint        prop_id);
void _assay_player_emit_looped (AssayPlayer *self);
gboolean _assay_player_loop_active (AssayPlayer *self);
gint64 _assay_player_clamp_to_duration (AssayPlayer *self,
                                        gint64       ms);
void _assay_player_set_position (AssayPlayer *self,
                                 gint64       position);
void _assay_player_set_duration (AssayPlayer *self,
                                 gint64       duration);
void _assay_player_set_channels (AssayPlayer *self,
                                 int          channels);
void _assay_player_set_no_audio_device (AssayPlayer *self,
                                        gboolean     no_audio_device);
void _assay_player_set_state (AssayPlayer      *self,
                              AssayPlayerState  state);
char *_assay_player_display_name (AssayPlayer *self);
void _assay_player_update_gains (AssayPlayer *self);

/* assay-player-pipeline.c: building and dropping the playbin */
void _assay_player_teardown_pipeline (AssayPlayer *self);
GError *_assay_player_missing_plugin_error (const char *detail,
                                            const char *description);
gboolean _assay_player_element_is_fake_sink (GstElement *element);
gboolean _assay_player_build_pipeline (AssayPlayer  *self,
                                       GError      **error);

/* assay-player-bus.c: loading, the bus, errors for the user */
void _assay_player_start_loading (AssayPlayer *self);
gboolean _assay_player_bus_message_cb (GstBus     *bus,
                                       GstMessage *message,
                                       gpointer    user_data);

/* assay-player-position.c: position, seeks, the loop */
void _assay_player_update_position (AssayPlayer *self);
void _assay_player_do_seek (AssayPlayer *self,
                            gint64       target,
                            gboolean     flush);
void _assay_player_loop_back (AssayPlayer *self);
gboolean _assay_player_position_tick_cb (gpointer user_data);

G_END_DECLS
