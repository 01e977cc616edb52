/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-player-private.h"
#include "assay-growing-src.h"

#include <glib/gi18n-lib.h>
#include <gst/pbutils/pbutils.h>
#include <math.h>
#include <string.h>

#include "assay-channel-gain.h"
#include "assay-media-error.h"
#include "assay-codec-hints.h"
#include "core/assay-util.h"

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (AssayPlayerState, assay_player_state,
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_EMPTY, "empty"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_PLAYING, "playing"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_ENDED, "ended"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_STATE_ERROR, "error"))

G_DEFINE_ENUM_TYPE (AssayPlayerSolo, assay_player_solo,
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_SOLO_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_SOLO_AGENT, "agent"),
  G_DEFINE_ENUM_VALUE (ASSAY_PLAYER_SOLO_CUSTOMER, "customer"))

G_DEFINE_FINAL_TYPE (AssayPlayer, assay_player, G_TYPE_OBJECT)

void
_assay_player_notify (AssayPlayer *self,
                      guint        prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_assay_player_emit_looped (AssayPlayer *self)
{
  g_signal_emit (self, signals[LOOPED], 0);
}

gboolean
_assay_player_loop_active (AssayPlayer *self)
{
  return self->loop_start >= 0 && self->loop_end > self->loop_start;
}

gint64
_assay_player_clamp_to_duration (AssayPlayer *self,
                                 gint64       ms)
{
  if (ms < 0)
    ms = 0;
  if (self->duration > 0 && ms > self->duration)
    ms = self->duration;
  return ms;
}

void
_assay_player_set_position (AssayPlayer *self,
                            gint64       position)
{
  position = _assay_player_clamp_to_duration (self, position);
  if (self->position == position)
    return;
  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

void
_assay_player_set_duration (AssayPlayer *self,
                            gint64       duration)
{
  if (self->duration == duration)
    return;
  self->duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

void
_assay_player_set_channels (AssayPlayer *self,
                            int          channels)
{
  if (self->channels == channels)
    return;
  self->channels = channels;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNELS]);
}

void
_assay_player_set_no_audio_device (AssayPlayer *self,
                                   gboolean     no_audio_device)
{
  if (self->no_audio_device == no_audio_device)
    return;
  self->no_audio_device = no_audio_device;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_AUDIO_DEVICE]);
}

void
_assay_player_set_state (AssayPlayer      *self,
                         AssayPlayerState  state)
{
  if (self->state == state)
    return;
  self->state = state;

  /* The position only moves by itself while playing: poll it then, and only then. */
  if (state == ASSAY_PLAYER_STATE_PLAYING && self->position_id == 0)
    self->position_id = g_timeout_add (POSITION_INTERVAL_MS, _assay_player_position_tick_cb, self);
  else if (state != ASSAY_PLAYER_STATE_PLAYING)
    g_clear_handle_id (&self->position_id, g_source_remove);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
clear_missing_plugin (AssayPlayer *self)
{
  g_clear_pointer (&self->missing_detail, g_free);
  g_clear_pointer (&self->missing_description, g_free);
}

char *
_assay_player_display_name (AssayPlayer *self)
{
  return self->path != NULL ? g_filename_display_basename (self->path) : g_strdup ("");
}

void
_assay_player_update_gains (AssayPlayer *self)
{
  double agent, customer;

  if (self->gain == NULL)
    return;

  agent = self->solo == ASSAY_PLAYER_SOLO_CUSTOMER ? 0.0 : self->agent_volume;
  customer = self->solo == ASSAY_PLAYER_SOLO_AGENT ? 0.0 : self->customer_volume;
  if (self->agent_channel == 0)
    assay_channel_gain_set_gains (ASSAY_CHANNEL_GAIN (self->gain), agent, customer);
  else
    assay_channel_gain_set_gains (ASSAY_CHANNEL_GAIN (self->gain), customer, agent);
}

static void
assay_player_dispose (GObject *object)
{
  AssayPlayer *self = ASSAY_PLAYER (object);

  _assay_player_teardown_pipeline (self);
  g_clear_object (&self->growing);

  G_OBJECT_CLASS (assay_player_parent_class)->dispose (object);
}

static void
assay_player_finalize (GObject *object)
{
  AssayPlayer *self = ASSAY_PLAYER (object);

  g_free (self->path);
  g_free (self->uri);
  g_free (self->sink_description);
  g_clear_error (&self->error);
  clear_missing_plugin (self);

  G_OBJECT_CLASS (assay_player_parent_class)->finalize (object);
}

static void
assay_player_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AssayPlayer *self = ASSAY_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_CHANNELS:
      g_value_set_int (value, self->channels);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_NO_AUDIO_DEVICE:
      g_value_set_boolean (value, self->no_audio_device);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_AGENT_VOLUME:
      g_value_set_double (value, self->agent_volume);
      break;
    case PROP_CUSTOMER_VOLUME:
      g_value_set_double (value, self->customer_volume);
      break;
    case PROP_SOLO:
      g_value_set_enum (value, self->solo);
      break;
    case PROP_AGENT_CHANNEL:
      g_value_set_uint (value, self->agent_channel);
      break;
    case PROP_LOOP_START:
      g_value_set_int64 (value, self->loop_start);
      break;
    case PROP_LOOP_END:
      g_value_set_int64 (value, self->loop_end);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_player_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AssayPlayer *self = ASSAY_PLAYER (object);

  switch (prop_id)
    {
    case PROP_RATE:
      assay_player_set_rate (self, g_value_get_double (value));
      break;
    case PROP_AGENT_VOLUME:
      assay_player_set_agent_volume (self, g_value_get_double (value));
      break;
    case PROP_CUSTOMER_VOLUME:
      assay_player_set_customer_volume (self, g_value_get_double (value));
      break;
    case PROP_SOLO:
      assay_player_set_solo (self, g_value_get_enum (value));
      break;
    case PROP_AGENT_CHANNEL:
      assay_player_set_agent_channel (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_player_class_init (AssayPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = assay_player_dispose;
  object_class->finalize = assay_player_finalize;
  object_class->get_property = assay_player_get_property;
  object_class->set_property = assay_player_set_property;

  /** AssayPlayer:path: the file of the open recording, or %NULL. */
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, ro);
  /** AssayPlayer:state: see #AssayPlayerState. */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ASSAY_TYPE_PLAYER_STATE, ASSAY_PLAYER_STATE_EMPTY,
                       ro);
  /** AssayPlayer:duration: the recording's length in milliseconds, 0 while unknown. */
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /** AssayPlayer:position: the playback position in milliseconds. */
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /** AssayPlayer:channels: 1 for mono, 2 for stereo, 0 while unknown. */
  properties[PROP_CHANNELS] = g_param_spec_int ("channels", NULL, NULL, 0, G_MAXINT, 0, ro);
  /** AssayPlayer:error: why the recording cannot be played (%ASSAY_MEDIA_ERROR), or %NULL. */
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  /** AssayPlayer:no-audio-device: playback goes nowhere audible (no sound device). */
  properties[PROP_NO_AUDIO_DEVICE] =
    g_param_spec_boolean ("no-audio-device", NULL, NULL, FALSE, ro);
  /** AssayPlayer:rate: playback speed, 0.5 to 2.0; the pitch stays the same. */
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, ASSAY_PLAYER_MIN_RATE, ASSAY_PLAYER_MAX_RATE, 1.0,
                         rw);
  /** AssayPlayer:agent-volume: the agent channel's volume, 0 to 1 (stereo only). */
  properties[PROP_AGENT_VOLUME] =
    g_param_spec_double ("agent-volume", NULL, NULL, 0.0, 1.0, 1.0, rw);
  /** AssayPlayer:customer-volume: the customer channel's volume, 0 to 1 (stereo only). */
  properties[PROP_CUSTOMER_VOLUME] =
    g_param_spec_double ("customer-volume", NULL, NULL, 0.0, 1.0, 1.0, rw);
  /** AssayPlayer:solo: which party alone to hear (stereo only). */
  properties[PROP_SOLO] =
    g_param_spec_enum ("solo", NULL, NULL, ASSAY_TYPE_PLAYER_SOLO, ASSAY_PLAYER_SOLO_NONE, rw);
  /** AssayPlayer:agent-channel: which stereo channel (0 left, 1 right) holds the agent. */
  properties[PROP_AGENT_CHANNEL] =
    g_param_spec_uint ("agent-channel", NULL, NULL, 0, 1, 0, rw);
  /** AssayPlayer:loop-start: start of the looped region in milliseconds, -1 without a loop. */
  properties[PROP_LOOP_START] =
    g_param_spec_int64 ("loop-start", NULL, NULL, -1, G_MAXINT64, -1, ro);
  /** AssayPlayer:loop-end: end of the looped region in milliseconds, -1 without a loop. */
  properties[PROP_LOOP_END] =
    g_param_spec_int64 ("loop-end", NULL, NULL, -1, G_MAXINT64, -1, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AssayPlayer::looped:
   * Playback reached the end of the looped region and went back to its start.
   */
  signals[LOOPED] = g_signal_new ("looped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
assay_player_init (AssayPlayer *self)
{
  self->state = ASSAY_PLAYER_STATE_EMPTY;
  self->rate = 1.0;
  self->agent_volume = 1.0;
  self->customer_volume = 1.0;
  self->solo = ASSAY_PLAYER_SOLO_NONE;
  self->agent_channel = 0;
  self->loop_start = -1;
  self->loop_end = -1;
  self->pending_seek = -1;
}

/**
 * assay_player_new:
 * Returns: (transfer full): a player with nothing open. Initialises GStreamer if needed.
 */
AssayPlayer *
assay_player_new (void)
{
  return g_object_new (ASSAY_TYPE_PLAYER, NULL);
}

/**
 * assay_player_open:
 * @path: the recording's file
 *
 * Starts loading @path, replacing what was open. The player goes to LOADING and then to
 * PAUSED (with #AssayPlayer:duration set) or to ERROR. The rate, volumes and solo are kept;
 * the loop is cleared.
 */
static void open_path (AssayPlayer *self,
                       const char  *path);

void
assay_player_open (AssayPlayer *self,
                   const char  *path)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  g_return_if_fail (path != NULL);

  _assay_player_teardown_pipeline (self);
  g_clear_object (&self->growing);
  open_path (self, path);
}

void
assay_player_open_growing (AssayPlayer      *self,
                           AssayGrowingFile *file,
                           const char       *path)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  g_return_if_fail (ASSAY_IS_GROWING_FILE (file));
  g_return_if_fail (path != NULL);

  _assay_player_teardown_pipeline (self);
  g_set_object (&self->growing, file);
  open_path (self, path);
}

static void
open_path (AssayPlayer *self,
           const char  *path)
{
  g_object_freeze_notify (G_OBJECT (self));

  _assay_player_teardown_pipeline (self);
  clear_missing_plugin (self);
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (assay_set_str (&self->path, path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);

  self->want_playing = FALSE;
  self->pending_seek = -1;
  self->fallback_sink = FALSE;
  assay_player_clear_loop (self);
  _assay_player_set_duration (self, 0);
  _assay_player_set_position (self, 0);
  _assay_player_set_channels (self, 0);
  _assay_player_set_no_audio_device (self, FALSE);

  _assay_player_start_loading (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * assay_player_close:
 * Closes the recording and releases the audio device; the player goes back to EMPTY.
 */
void
assay_player_close (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  g_object_freeze_notify (G_OBJECT (self));
  _assay_player_teardown_pipeline (self);
  g_clear_object (&self->growing);
  clear_missing_plugin (self);
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (assay_set_str (&self->path, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  self->want_playing = FALSE;
  self->pending_seek = -1;
  self->fallback_sink = FALSE;
  assay_player_clear_loop (self);
  _assay_player_set_duration (self, 0);
  _assay_player_set_position (self, 0);
  _assay_player_set_channels (self, 0);
  _assay_player_set_no_audio_device (self, FALSE);
  _assay_player_set_state (self, ASSAY_PLAYER_STATE_EMPTY);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * assay_player_play:
 * Plays from the position; from ENDED, plays again from the start (or the loop's start).
 * While LOADING, playback starts as soon as the recording is ready.
 */
void
assay_player_play (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  switch (self->state)
    {
    case ASSAY_PLAYER_STATE_LOADING:
      self->want_playing = TRUE;
      break;

    case ASSAY_PLAYER_STATE_ENDED:
      _assay_player_do_seek (self, _assay_player_loop_active (self) ? self->loop_start : 0, TRUE);
      G_GNUC_FALLTHROUGH;
    case ASSAY_PLAYER_STATE_PAUSED:
      self->want_playing = TRUE;
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
      _assay_player_set_state (self, ASSAY_PLAYER_STATE_PLAYING);
      break;

    case ASSAY_PLAYER_STATE_EMPTY:
    case ASSAY_PLAYER_STATE_PLAYING:
    case ASSAY_PLAYER_STATE_ERROR:
    default:
      break;
    }
}

/**
 * assay_player_pause:
 * Pauses playback (or, while LOADING, cancels a pending play).
 */
void
assay_player_pause (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  self->want_playing = FALSE;
  if (self->state != ASSAY_PLAYER_STATE_PLAYING)
    return;

  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  _assay_player_update_position (self);
  _assay_player_set_state (self, ASSAY_PLAYER_STATE_PAUSED);
}

/**
 * assay_player_toggle:
 * Pauses when playing (or about to play), plays otherwise.
 */
void
assay_player_toggle (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (self->state == ASSAY_PLAYER_STATE_PLAYING
      || (self->state == ASSAY_PLAYER_STATE_LOADING && self->want_playing))
    assay_player_pause (self);
  else
    assay_player_play (self);
}

/**
 * assay_player_stop:
 * Pauses and goes back to the start of the recording.
 */
void
assay_player_stop (AssayPlayer *self)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  assay_player_pause (self);
  assay_player_seek (self, 0);
}

const char *
assay_player_get_path (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), NULL);
  return self->path;
}

AssayPlayerState
assay_player_get_state (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), ASSAY_PLAYER_STATE_EMPTY);
  return self->state;
}

gint64
assay_player_get_duration (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 0);
  return self->duration;
}

gint64
assay_player_get_position (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 0);
  return self->position;
}

int
assay_player_get_channels (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 0);
  return self->channels;
}

/**
 * assay_player_get_error:
 * Returns: (nullable) (transfer none): why the recording cannot be played, in the
 *   %ASSAY_MEDIA_ERROR domain, or %NULL.
 */
const GError *
assay_player_get_error (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), NULL);
  return self->error;
}

gboolean
assay_player_get_no_audio_device (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), FALSE);
  return self->no_audio_device;
}

gint64
assay_player_get_loop_start (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), -1);
  return self->loop_start;
}

gint64
assay_player_get_loop_end (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), -1);
  return self->loop_end;
}

double
assay_player_get_rate (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 1.0);
  return self->rate;
}

double
assay_player_get_agent_volume (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 1.0);
  return self->agent_volume;
}

/**
 * assay_player_set_agent_volume:
 * @volume: 0 (silent) to 1 (as recorded)
 *
 * Sets the volume of the agent's channel of a stereo recording, at once.
 */
void
assay_player_set_agent_volume (AssayPlayer *self,
                               double       volume)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (isnan (volume))
    return;
  volume = CLAMP (volume, 0.0, 1.0);
  if (self->agent_volume == volume)
    return;
  self->agent_volume = volume;
  _assay_player_update_gains (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_VOLUME]);
}

double
assay_player_get_customer_volume (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 1.0);
  return self->customer_volume;
}

/**
 * assay_player_set_customer_volume:
 * @volume: 0 (silent) to 1 (as recorded)
 *
 * Sets the volume of the customer's channel of a stereo recording, at once.
 */
void
assay_player_set_customer_volume (AssayPlayer *self,
                                  double       volume)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (isnan (volume))
    return;
  volume = CLAMP (volume, 0.0, 1.0);
  if (self->customer_volume == volume)
    return;
  self->customer_volume = volume;
  _assay_player_update_gains (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_VOLUME]);
}

AssayPlayerSolo
assay_player_get_solo (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), ASSAY_PLAYER_SOLO_NONE);
  return self->solo;
}

/**
 * assay_player_set_solo:
 * Hears one party of a stereo recording alone, or both again. Mono recordings ignore it.
 */
void
assay_player_set_solo (AssayPlayer     *self,
                       AssayPlayerSolo  solo)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  g_return_if_fail (solo <= ASSAY_PLAYER_SOLO_CUSTOMER);

  if (self->solo == solo)
    return;
  self->solo = solo;
  _assay_player_update_gains (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOLO]);
}

guint
assay_player_get_agent_channel (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), 0);
  return self->agent_channel;
}

/**
 * assay_player_set_agent_channel:
 * @channel: 0 if the agent is on the left channel, 1 if on the right
 */
void
assay_player_set_agent_channel (AssayPlayer *self,
                                guint        channel)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  g_return_if_fail (channel <= 1);

  if (self->agent_channel == channel)
    return;
  self->agent_channel = channel;
  _assay_player_update_gains (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_CHANNEL]);
}

void
_assay_player_set_sink_description (AssayPlayer *self,
                                    const char  *description)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));
  assay_set_str (&self->sink_description, description);
}

GstElement *
_assay_player_get_pipeline (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), NULL);
  return self->pipeline;
}

GstElement *
_assay_player_get_channel_gain (AssayPlayer *self)
{
  g_return_val_if_fail (ASSAY_IS_PLAYER (self), NULL);
  return self->gain;
}
