/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* An unknown integer fact (no survey answer, not a ticket, ...). */
#define ASSAY_NONE (-1)

/**
 * AssayInteractionFacts:
 * One contact (call, chat, email, ticket) with its KPI facts, as the store holds it.
 * Integer facts use %ASSAY_NONE for "not known". Times are UTC unix milliseconds.
 */
typedef struct {
  char   *id;
  char   *channel;          /* phone, chat, email, ticket */
  char   *queue;
  char   *agent_id;
  char   *team_id;
  char   *customer_ref;
  gint64  started_at;
  int     wait_s;
  int     talk_s;
  int     hold_s;
  int     wrap_s;
  int     csat;             /* 1..5 */
  int     nps;              /* 0..10 */
  int     fcr;              /* 0/1 */
  int     answered_in_sl;   /* 0/1 */
  int     abandoned;        /* 0/1 */
  char   *priority;         /* low, normal, high, urgent, or NULL */
  int     first_response_s;
  int     first_response_target_s;
  int     resolution_s;
  int     resolution_target_s;
} AssayInteractionFacts;

/** assay_interaction_facts_init: sets every fact to unknown. */
void     assay_interaction_facts_init  (AssayInteractionFacts       *facts);
/** assay_interaction_facts_clear: frees the strings held by @facts. */
void     assay_interaction_facts_clear (AssayInteractionFacts       *facts);
void     assay_interaction_facts_copy  (AssayInteractionFacts       *dest,
                                        const AssayInteractionFacts *src);
/** assay_channel_is_valid: whether @channel is one of phone, chat, email, ticket. */
gboolean assay_channel_is_valid        (const char                  *channel);
/** assay_priority_is_valid: whether @priority is one of low, normal, high, urgent. */
gboolean assay_priority_is_valid       (const char                  *priority);

#define ASSAY_TYPE_INTERACTION (assay_interaction_get_type ())
G_DECLARE_FINAL_TYPE (AssayInteraction, assay_interaction, ASSAY, INTERACTION, GObject)

/**
 * AssayInteraction:
 * A row of a list of interactions. A lazy list hands out rows before their facts are read
 * (#AssayInteraction:loaded is %FALSE) and fills them in later, notifying "loaded".
 */
AssayInteraction            *assay_interaction_new        (void);
gboolean                     assay_interaction_get_loaded (AssayInteraction            *self);
const AssayInteractionFacts *assay_interaction_get_facts  (AssayInteraction            *self);
const char                  *assay_interaction_get_agent_name (AssayInteraction        *self);
const char                  *assay_interaction_get_team_name  (AssayInteraction        *self);
/** assay_interaction_get_handle_s: talk + hold + wrap. */
int                          assay_interaction_get_handle_s   (AssayInteraction        *self);
/**
 * AssayInteractionReview:
 * What a list shows of a contact's review: whether it has a recording, how many submitted
 * evaluations it has and the score of the latest (NAN when none), and whether a draft exists.
 */
typedef struct {
  gboolean has_recording;
  guint    n_evaluations;
  double   score;
  gboolean has_draft;
} AssayInteractionReview;

/** assay_interaction_review_init: no recording, no evaluation, score NAN. */
void                          assay_interaction_review_init (AssayInteractionReview *review);
const AssayInteractionReview *assay_interaction_get_review  (AssayInteraction       *self);
/* Sets the review facts of the row; call it before assay_interaction_load(), which notifies. */
void                          assay_interaction_set_review  (AssayInteraction             *self,
                                                             const AssayInteractionReview *review);
/* Fills in the row; takes the strings of @facts (leaves it cleared). */
void                         assay_interaction_load       (AssayInteraction            *self,
                                                           AssayInteractionFacts       *facts,
                                                           const char                  *agent_name,
                                                           const char                  *team_name);

G_END_DECLS
