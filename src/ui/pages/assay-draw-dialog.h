/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/assay-sampling.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_DRAW_DIALOG (assay_draw_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AssayDrawDialog, assay_draw_dialog, ASSAY, DRAW_DIALOG, AdwWindow)

/**
 * AssayDrawDialog:
 * "Draw a Sample": the form of a sampling rule (contacts per agent and week, weeks back,
 * channel, queue, handle time, CSAT, oversampling) and its seed. Emits "draw" when the user
 * asks for the draw; whoever opened it reads the rule and the seed and runs it.
 */
AssayDrawDialog   *assay_draw_dialog_new            (void);
/* The queues offered by the queue filter, by name. */
void               assay_draw_dialog_set_queues     (AssayDrawDialog     *self,
                                                     const char * const  *queues);
/* The rule the form describes, its weeks counted back from @now_ms at the local offset. */
AssaySamplingRule *assay_draw_dialog_build_rule     (AssayDrawDialog     *self,
                                                     gint64               now_ms);
guint64            assay_draw_dialog_get_seed       (AssayDrawDialog     *self);
void               assay_draw_dialog_set_seed       (AssayDrawDialog     *self,
                                                     guint64              seed);
void               assay_draw_dialog_set_per_agent  (AssayDrawDialog     *self,
                                                     guint                n);
/* Whether the form can be drawn (a seed that is a number). */
gboolean           assay_draw_dialog_get_valid      (AssayDrawDialog     *self);

G_END_DECLS
