/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "assay-growing-file.h"

G_BEGIN_DECLS

/**
 * AssayPlayerState:
 * @ASSAY_PLAYER_STATE_EMPTY: no recording is open
 * @ASSAY_PLAYER_STATE_LOADING: a recording is being opened; commands given now are kept and
 *   carried out once it is ready
 * @ASSAY_PLAYER_STATE_PAUSED: ready and not playing (also right after loading)
 * @ASSAY_PLAYER_STATE_PLAYING: playing
 * @ASSAY_PLAYER_STATE_ENDED: playback reached the end; play starts again from the beginning
 * @ASSAY_PLAYER_STATE_ERROR: the recording cannot be played; #AssayPlayer:error says why
 */
typedef enum {
  ASSAY_PLAYER_STATE_EMPTY,
  ASSAY_PLAYER_STATE_LOADING,
  ASSAY_PLAYER_STATE_PAUSED,
  ASSAY_PLAYER_STATE_PLAYING,
  ASSAY_PLAYER_STATE_ENDED,
  ASSAY_PLAYER_STATE_ERROR,
} AssayPlayerState;

/**
 * AssayPlayerSolo:
 * @ASSAY_PLAYER_SOLO_NONE: both parties are heard
 * @ASSAY_PLAYER_SOLO_AGENT: only the agent's channel is heard
 * @ASSAY_PLAYER_SOLO_CUSTOMER: only the customer's channel is heard
 *
 * Which party of a stereo recording to hear alone. Mono recordings ignore it.
 */
typedef enum {
  ASSAY_PLAYER_SOLO_NONE,
  ASSAY_PLAYER_SOLO_AGENT,
  ASSAY_PLAYER_SOLO_CUSTOMER,
} AssayPlayerSolo;

#define ASSAY_PLAYER_MIN_RATE 0.5
#define ASSAY_PLAYER_MAX_RATE 2.0

#define ASSAY_TYPE_PLAYER_STATE (assay_player_state_get_type ())
GType assay_player_state_get_type (void);

#define ASSAY_TYPE_PLAYER_SOLO (assay_player_solo_get_type ())
GType assay_player_solo_get_type (void);

#define ASSAY_TYPE_PLAYER (assay_player_get_type ())
G_DECLARE_FINAL_TYPE (AssayPlayer, assay_player, ASSAY, PLAYER, GObject)

/**
 * AssayPlayer:
 * Plays one call recording (WAV PCM/µ-law/A-law/GSM 6.10, MP3, Ogg Vorbis/Opus, FLAC) with
 * GStreamer. Every command returns at once: GStreamer works on its own threads and the player
 * reports back through properties, updated from a bus watch on the thread-default main context
 * of the thread that called assay_player_open(). Times are in milliseconds.
 *
 * The audio goes to `autoaudiosink`, or to the element described by the environment variable
 * `ASSAY_AUDIO_SINK` (for example `fakesink`; it gets sync=true unless the description sets
 * sync itself). Without a usable audio device the player plays into a clock-synchronised fake
 * sink, so position and the end still come in real time, and sets
 * #AssayPlayer:no-audio-device.
 */
AssayPlayer      *assay_player_new                 (void);

void              assay_player_open                (AssayPlayer     *self,
                                                    const char      *path);
/**
 * assay_player_open_growing:
 * Opens a recording still arriving (@file, whose path is @path): playback and seeking wait for
 * bytes not there yet (bounded; a stall becomes the player's error) and start before the rest
 * has come. The length comes from the file's header where it has one.
 */
void              assay_player_open_growing        (AssayPlayer      *self,
                                                    AssayGrowingFile *file,
                                                    const char       *path);
void              assay_player_close               (AssayPlayer     *self);
void              assay_player_play                (AssayPlayer     *self);
void              assay_player_pause               (AssayPlayer     *self);
void              assay_player_toggle              (AssayPlayer     *self);
void              assay_player_stop                (AssayPlayer     *self);
void              assay_player_seek                (AssayPlayer     *self,
                                                    gint64           position_ms);
void              assay_player_skip                (AssayPlayer     *self,
                                                    gint64           delta_ms);
void              assay_player_set_loop            (AssayPlayer     *self,
                                                    gint64           start_ms,
                                                    gint64           end_ms);
void              assay_player_clear_loop          (AssayPlayer     *self);

const char       *assay_player_get_path            (AssayPlayer     *self);
AssayPlayerState  assay_player_get_state           (AssayPlayer     *self);
gint64            assay_player_get_duration        (AssayPlayer     *self);
gint64            assay_player_get_position        (AssayPlayer     *self);
int               assay_player_get_channels        (AssayPlayer     *self);
const GError     *assay_player_get_error           (AssayPlayer     *self);
gboolean          assay_player_get_no_audio_device (AssayPlayer     *self);
gint64            assay_player_get_loop_start      (AssayPlayer     *self);
gint64            assay_player_get_loop_end        (AssayPlayer     *self);

double            assay_player_get_rate            (AssayPlayer     *self);
void              assay_player_set_rate            (AssayPlayer     *self,
                                                    double           rate);
double            assay_player_get_agent_volume    (AssayPlayer     *self);
void              assay_player_set_agent_volume    (AssayPlayer     *self,
                                                    double           volume);
double            assay_player_get_customer_volume (AssayPlayer     *self);
void              assay_player_set_customer_volume (AssayPlayer     *self,
                                                    double           volume);
AssayPlayerSolo   assay_player_get_solo            (AssayPlayer     *self);
void              assay_player_set_solo            (AssayPlayer     *self,
                                                    AssayPlayerSolo  solo);
guint             assay_player_get_agent_channel   (AssayPlayer     *self);
void              assay_player_set_agent_channel   (AssayPlayer     *self,
                                                    guint            channel);

G_END_DECLS
