/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-player-private.h"

#include <math.h>

/*
 * Where playback is and where it goes: the position poll while playing, the one place seeks
 * are made (each carries the rate and the loop's end), the loop (a segment seek queued again
 * at SEGMENT_DONE, so it does not gap) and the rate.
 */

static gboolean
query_position (AssayPlayer *self,
                gint64      *out_ms)
{
  gint64 ns;

  if (self->pipeline == NULL || !self->prerolled
      || !gst_element_query_position (self->pipeline, GST_FORMAT_TIME, &ns) || ns < 0)
    return FALSE;
  *out_ms = _assay_player_clamp_to_duration (self, ns / GST_MSECOND);
  return TRUE;
}

/* where playback is now, or the last known position when the pipeline cannot say */
static gint64
current_position (AssayPlayer *self)
{
  gint64 ms;

  return query_position (self, &ms) ? ms : self->position;
}

void
_assay_player_update_position (AssayPlayer *self)
{
  gint64 ms;

  if (query_position (self, &ms))
    _assay_player_set_position (self, ms);
}

/* The one place seeks are made: every seek carries the rate and, inside a loop, the loop's
 * end as the segment's stop, so a rate change or a seek never loses either. */
void
_assay_player_do_seek (AssayPlayer *self,
                       gint64       target,
                       gboolean     flush)
{
  GstSeekFlags flags = GST_SEEK_FLAG_ACCURATE;
  gint64 stop = -1;

  if (self->pipeline == NULL)
    return;

  target = _assay_player_clamp_to_duration (self, target);
  if (!self->prerolled)
    {
      self->pending_seek = target;
      _assay_player_set_position (self, target);
      return;
    }

  if (flush)
    flags |= GST_SEEK_FLAG_FLUSH;
  self->segment_seek = _assay_player_loop_active (self) && target < self->loop_end;
  if (self->segment_seek)
    {
      flags |= GST_SEEK_FLAG_SEGMENT;
      stop = self->loop_end * GST_MSECOND;
    }

  /* A stop of -1 set explicitly: GST_SEEK_TYPE_NONE would keep an old loop end. */
  if (!gst_element_seek (self->pipeline, self->rate, GST_FORMAT_TIME, flags,
                         GST_SEEK_TYPE_SET, target * GST_MSECOND, GST_SEEK_TYPE_SET, stop))
    {
      g_debug ("Seek to %" G_GINT64_FORMAT " ms was refused", target);
      return;
    }

  /* A flushing seek moves what is heard now; the position follows at once, and the position
   * poll waits for the seek to finish (ASYNC_DONE) instead of reading stale positions. A
   * non-flushing seek only queues the next stretch of audio behind what is playing. */
  if (flush)
    {
      self->seeking = TRUE;
      self->seek_ticks = 0;
      _assay_player_set_position (self, target);
    }
}

/* Jumps back to the loop's start now (at the end of the stream, or when a demuxer overran
 * the loop's end). */
void
_assay_player_loop_back (AssayPlayer *self)
{
  _assay_player_do_seek (self, self->loop_start, TRUE);
  _assay_player_emit_looped (self);
}

gboolean
_assay_player_position_tick_cb (gpointer user_data)
{
  AssayPlayer *self = user_data;
  gboolean wrapped = FALSE;
  gint64 ms;

  if (!query_position (self, &ms))
    return G_SOURCE_CONTINUE;

  /* Until a flushing seek completes (ASYNC_DONE) the pipeline may still report the old
   * position; after half a second without it, trust the pipeline again. */
  if (self->seeking && ++self->seek_ticks < 500 / POSITION_INTERVAL_MS)
    return G_SOURCE_CONTINUE;
  self->seeking = FALSE;

  if (self->segment_seek && _assay_player_loop_active (self))
    {
      if (ms > self->loop_end + LOOP_SLACK_MS)
        {
          _assay_player_loop_back (self);
          return G_SOURCE_CONTINUE;
        }
      /* Going backwards by itself inside the loop: the queued loop is being heard. */
      wrapped = ms < self->position && ms >= self->loop_start && self->position >= self->loop_start;
    }

  _assay_player_set_position (self, ms);
  if (wrapped)
    _assay_player_emit_looped (self);

  return G_SOURCE_CONTINUE;
}

/**
 * assay_player_seek:
 * @position_ms: where to go, clamped to the recording
 *
 * Moves the playback position. From ENDED the player becomes PAUSED at @position_ms.
 * A loop applies again whenever the new position is before its end.
 */
void
assay_player_seek (AssayPlayer *self,
                   gint64       position_ms)
{
  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (self->pipeline == NULL || self->state == ASSAY_PLAYER_STATE_EMPTY
      || self->state == ASSAY_PLAYER_STATE_ERROR)
    return;

  if (self->state == ASSAY_PLAYER_STATE_ENDED)
    _assay_player_set_state (self, ASSAY_PLAYER_STATE_PAUSED);
  _assay_player_do_seek (self, position_ms, TRUE);
}

/**
 * assay_player_skip:
 * @delta_ms: how far to move, negative to go back (±5000 for the usual buttons)
 *
 * Seeks relative to the position, clamped to the start and the end of the recording.
 */
void
assay_player_skip (AssayPlayer *self,
                   gint64       delta_ms)
{
  gint64 position;

  g_return_if_fail (ASSAY_IS_PLAYER (self));

  position = current_position (self);
  assay_player_seek (self, _assay_player_clamp_to_duration (self, position + delta_ms));
}

/**
 * assay_player_set_loop:
 * @start_ms: the region's start
 * @end_ms: the region's end; a region with @end_ms <= @start_ms turns the loop off
 *
 * Loops playback over a region: when playback reaches @end_ms it goes on from @start_ms,
 * seamlessly. When the position is outside the region it moves to @start_ms. A seek past
 * the region's end plays on to the end of the recording.
 */
void
assay_player_set_loop (AssayPlayer *self,
                       gint64       start_ms,
                       gint64       end_ms)
{
  gint64 position;

  g_return_if_fail (ASSAY_IS_PLAYER (self));

  start_ms = _assay_player_clamp_to_duration (self, start_ms);
  end_ms = _assay_player_clamp_to_duration (self, end_ms);
  if (end_ms <= start_ms)
    {
      assay_player_clear_loop (self);
      return;
    }
  if (self->loop_start == start_ms && self->loop_end == end_ms)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->loop_start != start_ms)
    {
      self->loop_start = start_ms;
      _assay_player_notify (self, PROP_LOOP_START);
    }
  if (self->loop_end != end_ms)
    {
      self->loop_end = end_ms;
      _assay_player_notify (self, PROP_LOOP_END);
    }

  if (self->state == ASSAY_PLAYER_STATE_PAUSED || self->state == ASSAY_PLAYER_STATE_PLAYING)
    {
      position = current_position (self);
      if (position < start_ms || position >= end_ms)
        position = start_ms;
      _assay_player_do_seek (self, position, TRUE);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * assay_player_clear_loop:
 * Turns the loop off; playback goes on from where it is.
 */
void
assay_player_clear_loop (AssayPlayer *self)
{
  gint64 position;

  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (self->loop_start == -1 && self->loop_end == -1)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->loop_start = -1;
  self->loop_end = -1;
  _assay_player_notify (self, PROP_LOOP_START);
  _assay_player_notify (self, PROP_LOOP_END);

  /* The current segment still stops at the old loop end: replace it. */
  if (self->segment_seek
      && (self->state == ASSAY_PLAYER_STATE_PAUSED || self->state == ASSAY_PLAYER_STATE_PLAYING))
    {
      position = current_position (self);
      _assay_player_do_seek (self, position, TRUE);
    }
  self->segment_seek = FALSE;
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * assay_player_set_rate:
 * @rate: the speed, clamped to 0.5–2.0
 *
 * Changes the playback speed, keeping the pitch. Playback goes on from the same position.
 */
void
assay_player_set_rate (AssayPlayer *self,
                       double       rate)
{
  gint64 position;

  g_return_if_fail (ASSAY_IS_PLAYER (self));

  if (isnan (rate))
    return;
  rate = CLAMP (rate, ASSAY_PLAYER_MIN_RATE, ASSAY_PLAYER_MAX_RATE);
  if (self->rate == rate)
    return;
  self->rate = rate;
  _assay_player_notify (self, PROP_RATE);

  /* A rate is a property of the segment: seek to where we are with the new rate. From ENDED
   * the next play seeks anyway, and while loading the first seek carries it. */
  if (self->prerolled
      && (self->state == ASSAY_PLAYER_STATE_PAUSED || self->state == ASSAY_PLAYER_STATE_PLAYING))
    {
      position = current_position (self);
      _assay_player_do_seek (self, position, TRUE);
    }
}
