/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/assay-utterances.h"

G_BEGIN_DECLS

/*
 * The words of the demo's chats and emails. Each demo chat or email gets a conversation that
 * fits its queue (technical chats, billing emails), language, agent and timing: the customer
 * writes at the start, the agent answers after the first-response time, and the thread ends by
 * the resolution time. Everything comes from the demo's seed and the interaction's id, so the
 * same centre gets the same words, in any order of calls.
 */

/**
 * AssayDemoContact:
 * What a conversation is written from.
 * @id: the interaction's id (with the seed, it picks the words)
 * @channel: "chat" or "email" (anything else gets no conversation)
 * @chinese: a Chinese queue
 * @agent_name: the agent's name, as the customer sees it
 * @started_at: when the customer wrote (UTC unix ms)
 * @first_response_s: seconds to the agent's first answer, or < 0 when not known
 * @talk_s: the agent's handling time (a chat's length)
 * @resolution_s: seconds to the resolution, or < 0 when not known
 * @resolved: whether the contact was resolved (first-contact resolution)
 */
typedef struct {
  const char *id;
  const char *channel;
  gboolean    chinese;
  const char *agent_name;
  gint64      started_at;
  int         first_response_s;
  int         talk_s;
  int         resolution_s;
  gboolean    resolved;
} AssayDemoContact;

/**
 * assay_demo_conversation:
 * The conversation of one demo chat or email, or %NULL for another channel.
 * Returns: (transfer full) (nullable): messages in time order, the customer first.
 */
AssayUtterances *assay_demo_conversation (guint32                 seed,
                                          const AssayDemoContact *contact);

G_END_DECLS
