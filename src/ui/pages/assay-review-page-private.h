/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The review workspace's insides, shared by assay-review-page.c (loading, draft, submit),
 * assay-review-page-player.c (the recording, waveform, figures, playback keys)
 * and assay-review-page-flow.c (the day's flow: Ctrl+Enter, the next due item, review time,
 * script suggestions). */

#include <adwaita.h>

#include "assay-review-page.h"
#include "core/assay-review-time.h"
#include "store/assay-store-review.h"
#include "store/assay-store-evaluations.h"
#include "assay-context.h"
#include "media/assay-analysis.h"
#include "media/assay-peaks.h"
#include "widgets/assay-transcript-view.h"
#include "widgets/assay-waveform.h"
#include "assay-remote-recording.h"

G_BEGIN_DECLS

struct _AssayReviewPage
{
  GtkWidget              parent_instance;

  AssayContext          *app_context;
  AssayStore            *store;
  GCancellable          *cancellable;      /* the interaction open now */
  const AssayStaffRecord *me;              /* the app context's */
  char                  *interaction_id;
  char                  *form_version_id;
  AssayReviewContext    *context;
  AssayEvaluationRecord *record;
  AssayForm             *form;
  AssayPlayer           *player;
  AssayPeaks            *peaks;
  AssayAnalysis         *analysis;
  GPtrArray             *revisions;
  const char            *status;
  guint                  pending_saves;
  gint64                 play_until_ms;
  gboolean               narrow;
  guint                  relayout_id;
  AssayReviewClock       clock;            /* active review time of this session */
  AssayReviewNowFunc     now_func;         /* unix ms; tests set their own */
  gpointer               now_data;
  gboolean               open_next;        /* after Ctrl+Enter submitted: the next due item */
  GSettings             *settings;
  gint64                 span_in_ms;       /* I: the evidence span's start, or -1 */
  gint64                 span_out_ms;      /* O: its end, or -1 */
  GArray                *skip_gaps;        /* silences playback skips when asked (AssaySegment) */
  AssayRemoteRecording  *remote;           /* the recording fetched from the central service */
  GtkLabel              *remote_label;     /* how far it arrived (assay-review-page-remote.c) */
  struct _ReviewPageSync *sync_ui;         /* the sync state in the header (assay-review-page-sync.c) */

  /* template */
  AdwWindowTitle        *title;
  GtkButton             *submit_button;
  GtkButton             *amend_button;
  GtkButton             *coach_button;     /* leads and managers: a session from this one */
  GtkMenuButton         *history_button;
  GtkListBox            *history_list;
  GtkLabel              *saved_label;
  GtkStack              *content_stack;
  AdwStatusPage         *error_page;
  GtkBox                *workspace;
  GtkStack              *player_stack;
  AdwStatusPage         *player_error_page;
  GtkButton             *play_button;
  GtkLabel              *time_label;
  GtkLabel              *rate_label;
  GtkToggleButton       *agent_solo;
  GtkToggleButton       *customer_solo;
  GtkToggleButton       *loop_button;
  GtkToggleButton       *skip_button;
  GtkLabel              *listen_label;
  GtkScale              *agent_volume;
  GtkScale              *customer_volume;
  AssayWaveform         *waveform;
  GtkLabel              *figures_label;
  GtkLabel              *facts_label;
  GtkBox                *facts_box;        /* a contact without a recording: its facts */
  GtkFlowBox            *evidence_box;
  GtkLabel              *evidence_heading;
  AssayScoringPanel     *panel;
  AdwToastOverlay       *toasts;
  GtkPopover            *problems_popover;
  GtkWidget             *transcript_view;  /* AssayTranscriptView, under the player */
  GtkListBox            *problems_list;
};


void     review_page_toast              (AssayReviewPage *self,
                                         const char      *text);
/* assay-review-page-player.c */
void     review_page_player_class_init  (GtkWidgetClass  *widget_class);
void     review_page_player_init        (AssayReviewPage *self);
/* opens the context's recording in the player, or shows the contact's facts without one */
void     review_page_open_media         (AssayReviewPage *self);
/* the contact's facts in place of a player (no recording) */
void     review_page_show_facts         (AssayReviewPage *self);
/* opens @path in the player (@file: still arriving) and, when complete, loads its peaks */
void     review_page_play_media         (AssayReviewPage *self,
                                         AssayGrowingFile *file,
                                         const char      *path);
/* loads the waveform of the context's recording (once the whole file is there) */
void     review_page_load_peaks         (AssayReviewPage *self);
/* assay-review-page-remote.c: the recording from the central service when there is no local
 * file and the context is signed in; %FALSE when it cannot be fetched */
gboolean review_page_remote_open        (AssayReviewPage *self);
void     review_page_remote_dispose     (AssayReviewPage *self);
/* assay-review-page-sync.c: the evaluation's sync state in the header, live */
typedef struct _ReviewPageSync ReviewPageSync;
void     review_page_sync_init          (AssayReviewPage *self);
void     review_page_sync_connect       (AssayReviewPage *self);
void     review_page_sync_refresh       (AssayReviewPage *self);
void     review_page_sync_dispose       (AssayReviewPage *self);
/* what the header says now ("Synced at 10:42"), or %NULL when it shows nothing */
const char *review_page_sync_get_text   (AssayReviewPage *self);
/* plays @start to @end of the recording and selects it on the waveform */
void     review_page_play_span          (AssayReviewPage *self,
                                         gint64           start,
                                         gint64           end);
/* assay-review-page-flow.c */
void     review_page_flow_class_init    (GtkWidgetClass  *widget_class);
void     review_page_flow_init          (AssayReviewPage *self);
void     review_page_flow_dispose       (AssayReviewPage *self);
/* an activity: counts toward the active review time */
void     review_page_touch              (AssayReviewPage *self);
/* the evaluation was opened: the clock starts; script items get their suggestions */
void     review_page_opened             (AssayReviewPage *self);
/* the evaluation was submitted: its review time is stored; perhaps the next item opens */
void     review_page_submitted          (AssayReviewPage *self);
/* Ctrl+Enter: submit, or list what blocks it */
void     review_page_submit_or_list     (AssayReviewPage *self);

G_END_DECLS
