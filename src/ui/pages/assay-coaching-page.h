/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"
#include "assay-coaching-session-view.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_COACHING_PAGE (assay_coaching_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayCoachingPage, assay_coaching_page, ASSAY, COACHING_PAGE, GtkWidget)

/*
 * The team lead's coaching sessions (docs/coaching.md): each session's agent, time, where it came
 * from, its goals, open actions and whether the agent acknowledged it; "New Session" plans one.
 * An empty list explains coaching and offers to plan the first session.
 */

/* Opens the new-session dialog (also the page's "coaching.new" action). */
void assay_coaching_page_new_session (AssayCoachingPage *self);

/* Opens a session: its focus, goals with figures, actions and acknowledgement. */
void assay_coaching_page_open_session (AssayCoachingPage *self,
                                       const char        *session_id);
/* Plans a session from an evaluation ("Coach…"): its agent, and the items it lost as focus;
 * the new session opens. */
void assay_coaching_page_coach_evaluation (AssayCoachingPage *self,
                                           const char        *evaluation_id);
/* The session view inside the page. */
AssayCoachingSessionView *_assay_coaching_page_get_session_view (AssayCoachingPage *self);

/* For tests: "loading", "empty" or "list", and the number of sessions listed. */
const char *_assay_coaching_page_get_state      (AssayCoachingPage *self);
guint       _assay_coaching_page_get_n_sessions (AssayCoachingPage *self);

G_END_DECLS
