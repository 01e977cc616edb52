/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_COACHING_SESSION_VIEW (assay_coaching_session_view_get_type ())
G_DECLARE_FINAL_TYPE (AssayCoachingSessionView, assay_coaching_session_view, ASSAY,
                      COACHING_SESSION_VIEW, GtkWidget)

/*
 * One coaching session (docs/coaching.md): its focus (the items the evaluation lost), goals
 * with their figure before and after with n and met or not, action items with owner and due
 * date, and the agent's acknowledgement. A lead adds goals and actions and ticks actions off;
 * with an agent id (the agent's own view) it shows only that agent's session and offers to
 * acknowledge it with a comment. Live through the store's coaching and evaluation changes.
 */
AssayCoachingSessionView *assay_coaching_session_view_new          (AssayContext             *context);
void                      assay_coaching_session_view_show         (AssayCoachingSessionView *self,
                                                                    const char               *session_id,
                                                                    const char               *agent_id);
const char               *assay_coaching_session_view_get_session_id (AssayCoachingSessionView *self);
void                      assay_coaching_session_view_add_goal     (AssayCoachingSessionView *self);
void                      assay_coaching_session_view_add_action   (AssayCoachingSessionView *self);
void                      assay_coaching_session_view_acknowledge  (AssayCoachingSessionView *self);

/* for tests: "loading", "shown" or "error"; the status word shown for goal @i ("Met", ...) */
const char *_assay_coaching_session_view_get_state       (AssayCoachingSessionView *self);
const char *_assay_coaching_session_view_get_goal_status (AssayCoachingSessionView *self,
                                                          guint                     i);
guint       _assay_coaching_session_view_get_n_focus     (AssayCoachingSessionView *self);

G_END_DECLS
