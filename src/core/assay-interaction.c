/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "assay-interaction.h"

struct _AssayInteraction
{
  GObject               parent_instance;
  AssayInteractionFacts facts;
  char                 *agent_name;
  char                 *team_name;
  AssayInteractionReview review;
  gboolean              loaded;
};

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayInteraction, assay_interaction, G_TYPE_OBJECT)

void
assay_interaction_facts_init (AssayInteractionFacts *facts)
{
  memset (facts, 0, sizeof *facts);
  facts->wait_s = ASSAY_NONE;
  facts->csat = ASSAY_NONE;
  facts->nps = ASSAY_NONE;
  facts->fcr = ASSAY_NONE;
  facts->answered_in_sl = ASSAY_NONE;
  facts->first_response_s = ASSAY_NONE;
  facts->first_response_target_s = ASSAY_NONE;
  facts->resolution_s = ASSAY_NONE;
  facts->resolution_target_s = ASSAY_NONE;
}

void
assay_interaction_facts_clear (AssayInteractionFacts *facts)
{
  g_clear_pointer (&facts->id, g_free);
  g_clear_pointer (&facts->channel, g_free);
  g_clear_pointer (&facts->queue, g_free);
  g_clear_pointer (&facts->agent_id, g_free);
  g_clear_pointer (&facts->team_id, g_free);
  g_clear_pointer (&facts->customer_ref, g_free);
  g_clear_pointer (&facts->priority, g_free);
}

void
assay_interaction_facts_copy (AssayInteractionFacts       *dest,
                              const AssayInteractionFacts *src)
{
  *dest = *src;
  dest->id = g_strdup (src->id);
  dest->channel = g_strdup (src->channel);
  dest->queue = g_strdup (src->queue);
  dest->agent_id = g_strdup (src->agent_id);
  dest->team_id = g_strdup (src->team_id);
  dest->customer_ref = g_strdup (src->customer_ref);
  dest->priority = g_strdup (src->priority);
}

gboolean
assay_channel_is_valid (const char *channel)
{
  return g_strcmp0 (channel, "phone") == 0 || g_strcmp0 (channel, "chat") == 0
         || g_strcmp0 (channel, "email") == 0 || g_strcmp0 (channel, "ticket") == 0;
}

gboolean
assay_priority_is_valid (const char *priority)
{
  return g_strcmp0 (priority, "low") == 0 || g_strcmp0 (priority, "normal") == 0
         || g_strcmp0 (priority, "high") == 0 || g_strcmp0 (priority, "urgent") == 0;
}

static void
assay_interaction_finalize (GObject *object)
{
  AssayInteraction *self = (AssayInteraction *) object;

  assay_interaction_facts_clear (&self->facts);
  g_free (self->agent_name);
  g_free (self->team_name);

  G_OBJECT_CLASS (assay_interaction_parent_class)->finalize (object);
}

static void
assay_interaction_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AssayInteraction *self = ASSAY_INTERACTION (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_interaction_class_init (AssayInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_interaction_finalize;
  object_class->get_property = assay_interaction_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
assay_interaction_init (AssayInteraction *self)
{
  assay_interaction_facts_init (&self->facts);
  assay_interaction_review_init (&self->review);
}

AssayInteraction *
assay_interaction_new (void)
{
  return g_object_new (ASSAY_TYPE_INTERACTION, NULL);
}

gboolean
assay_interaction_get_loaded (AssayInteraction *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION (self), FALSE);
  return self->loaded;
}

const AssayInteractionFacts *
assay_interaction_get_facts (AssayInteraction *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION (self), NULL);
  return &self->facts;
}

const char *
assay_interaction_get_agent_name (AssayInteraction *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION (self), NULL);
  return self->agent_name;
}

const char *
assay_interaction_get_team_name (AssayInteraction *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION (self), NULL);
  return self->team_name;
}

int
assay_interaction_get_handle_s (AssayInteraction *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION (self), 0);
  return self->facts.talk_s + self->facts.hold_s + self->facts.wrap_s;
}

void
assay_interaction_load (AssayInteraction      *self,
                        AssayInteractionFacts *facts,
                        const char            *agent_name,
                        const char            *team_name)
{
  g_return_if_fail (ASSAY_IS_INTERACTION (self));

  assay_interaction_facts_clear (&self->facts);
  self->facts = *facts;
  assay_interaction_facts_init (facts);
  g_free (self->agent_name);
  self->agent_name = g_strdup (agent_name);
  g_free (self->team_name);
  self->team_name = g_strdup (team_name);
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

void
assay_interaction_review_init (AssayInteractionReview *review)
{
  memset (review, 0, sizeof *review);
  review->score = NAN;
}

const AssayInteractionReview *
assay_interaction_get_review (AssayInteraction *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION (self), NULL);
  return &self->review;
}

void
assay_interaction_set_review (AssayInteraction             *self,
                              const AssayInteractionReview *review)
{
  g_return_if_fail (ASSAY_IS_INTERACTION (self));
  g_return_if_fail (review != NULL);
  self->review = *review;
}
