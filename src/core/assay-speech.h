/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Speech analytics on per-frame energy tracks: voice activity with an adaptive noise floor,
 * then talk time, dead air, over-talk and monologues as lists of segments. Pure functions,
 * no I/O: media decodes the audio and hands the energies over.
 */

/** AssaySegment: a span of time in seconds, @start < @end. */
typedef struct {
  double start;
  double end;
} AssaySegment;

/**
 * AssaySpeechParams:
 * @frame_s: length of one energy frame in seconds (media uses 0.01)
 * @threshold_db: a frame is voice when it is this much above the local noise floor
 * @abs_floor_db: and above this absolute level (dBFS), so faint hiss is never speech
 * @floor_window_s: the noise floor is estimated over this long before and after each frame
 * @floor_percentile: the floor is this low percentile (0..1) of frame energies in the window
 * @bridge_gap_s: pauses shorter than this inside one speaker's speech are bridged
 * @min_speech_s: voice bursts shorter than this (after bridging) are dropped as clicks
 * @silence_min_s: dead air counts from this length on (the 3 s)
 * @overtalk_min_s: over-talk counts from this length on, so turn-taking overlaps do not
 * @agent_channel: which channel of a stereo recording is the agent (0 = left)
 */
typedef struct {
  double frame_s;
  double threshold_db;
  double abs_floor_db;
  double floor_window_s;
  double floor_percentile;
  double bridge_gap_s;
  double min_speech_s;
  double silence_min_s;
  double overtalk_min_s;
  guint  agent_channel;
} AssaySpeechParams;

/** assay_speech_params_init: fills @params with the defaults. */
void    assay_speech_params_init     (AssaySpeechParams       *params);

/**
 * assay_speech_energy_db:
 * Converts a mean-square energy (full scale = 1.0) into dBFS, clamped to [-120, 0].
 */
double  assay_speech_energy_db       (double                   mean_square);

/**
 * assay_speech_noise_floor:
 * The adaptive noise floor in dBFS for each of the @n frames of @energy (mean squares): the
 * higher of a low percentile of the energies before the frame and one after it, so it follows a
 * noise level that changes during the call but not the speech on top of it.
 * Returns: (transfer full): @n values, free with g_free().
 */
float  *assay_speech_noise_floor     (const float             *energy,
                                      gsize                    n,
                                      const AssaySpeechParams *params);

/**
 * assay_speech_detect:
 * Voice activity for one channel: frames above floor + threshold (and above the absolute
 * floor), short pauses bridged, short bursts dropped.
 * Returns: (transfer full): a #GArray of #AssaySegment in time order.
 */
GArray *assay_speech_detect          (const float             *energy,
                                      gsize                    n,
                                      const AssaySpeechParams *params);

/** assay_segments_new: an empty #GArray of #AssaySegment. */
GArray *assay_segments_new           (void);

/** assay_segments_total: the summed length of @segments in seconds. */
double  assay_segments_total         (GArray                  *segments);

/**
 * assay_segments_intersect:
 * Where both sorted, non-overlapping lists @a and @b are active, keeping pieces at least
 * @min_len long.
 */
GArray *assay_segments_intersect     (GArray                  *a,
                                      GArray                  *b,
                                      double                   min_len);

/** assay_segments_union: where @a or @b (sorted lists) is active, touching spans merged. */
GArray *assay_segments_union         (GArray                  *a,
                                      GArray                  *b);

/**
 * assay_segments_gaps:
 * The stretches of [0, @duration] not covered by the sorted list @active that are at least
 * @min_len long.
 */
GArray *assay_segments_gaps          (GArray                  *active,
                                      double                   duration,
                                      double                   min_len);

/**
 * assay_speech_skip_gaps:
 * The silences to skip in playback: the stretches of [0, @duration] where neither voice
 * (@a, @b: sorted voice segments of the two channels; @n_b 0 for mono) speaks, at least
 * @min_len long.
 */
GArray *assay_speech_skip_gaps       (const AssaySegment      *a,
                                      guint                    n_a,
                                      const AssaySegment      *b,
                                      guint                    n_b,
                                      double                   duration,
                                      double                   min_len);

/**
 * assay_segments_skip_target:
 * Skipping silences in playback: where playback at @position jumps to, given the silences to
 * skip (@gaps, sorted, each at least as long as the user asked). The first and last @keep
 * seconds of each gap are played, so speech is never clipped and a pause is still heard as one.
 * Returns: the time to seek to, or a negative value to play on.
 */
double  assay_segments_skip_target   (GArray                  *gaps,
                                      double                   position,
                                      double                   keep);

/**
 * assay_segments_listening_time:
 * How long playing a @duration recording at @rate takes when @gaps are skipped as
 * assay_segments_skip_target() does (each keeps @keep at both ends).
 */
double  assay_segments_listening_time (GArray                 *gaps,
                                       double                  duration,
                                       double                  keep,
                                       double                  rate);

/**
 * assay_speech_longest_monologue:
 * The longest stretch in which the agent keeps the floor: consecutive agent segments are one
 * monologue while the pause between them is shorter than @max_pause and the customer says
 * nothing in it (a customer "mm-hm" over the agent's speech does not end it).
 * Returns: %FALSE if @agent is empty; otherwise @out holds the stretch.
 */
gboolean assay_speech_longest_monologue (GArray               *agent,
                                         GArray               *customer,
                                         double                max_pause,
                                         AssaySegment         *out);

/**
 * AssaySpeechStats:
 * The figures of one recording. For a mono recording @has_talk_split is %FALSE and only the
 * silence figures (and @voice[0]) are filled.
 */
typedef struct {
  double    duration_s;
  guint     n_channels;
  gboolean  has_talk_split;
  GArray   *voice[2];            /* per channel (agent = voice[agent_channel]) */
  double    agent_talk_s;
  double    customer_talk_s;
  double    talk_ratio;          /* agent / (agent + customer); NAN without any talk */
  GArray   *silence;             /* dead air: nobody speaks for >= silence_min_s */
  double    silence_s;
  GArray   *overtalk;            /* both speak for >= overtalk_min_s */
  double    overtalk_s;
  AssaySegment longest_monologue; /* 0..0 when the agent never speaks */
  double    longest_monologue_s;
} AssaySpeechStats;

/**
 * assay_speech_analyze:
 * Runs voice activity on each channel's energies (@energies[c] has @n frames of
 * @params->frame_s each) and derives the figures. With two or more channels the agent is
 * channel @params->agent_channel and the customer the other of the first two.
 * Returns: (transfer full): free with assay_speech_stats_free().
 */
AssaySpeechStats *assay_speech_analyze (const float * const     *energies,
                                        guint                    n_channels,
                                        gsize                    n,
                                        double                   duration_s,
                                        const AssaySpeechParams *params);

void assay_speech_stats_free (AssaySpeechStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySpeechStats, assay_speech_stats_free)

/**
 * ASSAY_ANALYSER_VERSION:
 * The version of the speech analysis. Stored analyses of another version are computed again, so
 * bump it whenever a change to the algorithm or its default parameters changes the figures.
 */
#define ASSAY_ANALYSER_VERSION 1

#define ASSAY_SPEECH_ERROR (assay_speech_error_quark ())

typedef enum {
  ASSAY_SPEECH_ERROR_INVALID,   /* stored figures of the wrong shape; the message names the key */
} AssaySpeechError;

GQuark assay_speech_error_quark (void);

/**
 * AssaySpeechSummary:
 * The figures and lanes of one recording's analysis as plain data, for storing, printing and
 * showing without the media room: media fills it from an analysis, protocol writes and reads it
 * as JSON (the format of `assayctl analyze --json`), the store keeps it per recording.
 *
 * Without a talk split (mono) @agent_talk_s, @customer_talk_s, @talk_ratio, @overtalk_s and
 * @longest_monologue_s are NAN and @overtalk is empty. @talk_ratio is also NAN when nobody
 * speaks. The arrays hold #AssaySegment and are never %NULL.
 */
typedef struct {
  char         *file;                 /* the recording analysed; %NULL when read from the store */
  double        duration_s;
  guint         channels;             /* of the recording */
  guint         sample_rate;          /* Hz */
  guint         agent_channel;        /* which of the first two channels is the agent */
  gboolean      has_talk_split;
  double        agent_talk_s;
  double        customer_talk_s;
  double        talk_ratio;
  double        silence_s;
  GArray       *silence;
  double        overtalk_s;
  GArray       *overtalk;
  double        longest_monologue_s;
  AssaySegment  longest_monologue;
  GArray       *voice[2];             /* per channel, for the speech lanes; [1] empty for mono */
  double        silence_min_s;        /* the parameters the stretches were counted with */
  double        overtalk_min_s;
} AssaySpeechSummary;

/**
 * assay_speech_summary_new:
 * An empty summary: no talk split, figures NAN or 0, empty lists, default parameters.
 * Returns: (transfer full): free with assay_speech_summary_free().
 */
AssaySpeechSummary *assay_speech_summary_new  (void);
/** assay_speech_summary_copy: a deep copy of @summary. */
AssaySpeechSummary *assay_speech_summary_copy (const AssaySpeechSummary *summary);
void                assay_speech_summary_free (AssaySpeechSummary       *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySpeechSummary, assay_speech_summary_free)

G_END_DECLS
