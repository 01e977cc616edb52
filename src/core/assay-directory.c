/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-directory.h"

#include <string.h>

/*
 * Whether @needle starts a word of @haystack (both folded): "wei" finds "Zhang Wei" but "ei"
 * does not, so a short search is not drowned in chance matches. Chinese is written without
 * spaces, so every wide character starts a word: "芳" finds "王芳".
 */
static gboolean
word_match (const char *haystack,
            const char *needle)
{
  for (const char *hit = strstr (haystack, needle); hit != NULL; hit = strstr (hit + 1, needle))
    {
      const char *before;

      if (hit == haystack || g_unichar_iswide (g_utf8_get_char (hit)))
        return TRUE;
      before = g_utf8_find_prev_char (haystack, hit);
      if (before != NULL && !g_unichar_isalnum (g_utf8_get_char (before)))
        return TRUE;
    }
  return FALSE;
}

/* team */

struct _AssayTeam
{
  GObject         parent_instance;
  char           *id;
  char           *name;
  char           *lead_name;
  guint           agent_count;
  AssayKpiCounts  counts;
  gboolean        has_counts;
};

enum {
  TEAM_PROP_0,
  TEAM_PROP_ID,
  TEAM_PROP_NAME,
  TEAM_PROP_LEAD_NAME,
  TEAM_PROP_AGENT_COUNT,
  TEAM_PROP_COUNTS,
  TEAM_N_PROPS
};

static GParamSpec *team_properties[TEAM_N_PROPS];

G_DEFINE_FINAL_TYPE (AssayTeam, assay_team, G_TYPE_OBJECT)

static void
assay_team_finalize (GObject *object)
{
  AssayTeam *self = ASSAY_TEAM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->lead_name);

  G_OBJECT_CLASS (assay_team_parent_class)->finalize (object);
}

static void
assay_team_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AssayTeam *self = ASSAY_TEAM (object);

  switch (prop_id)
    {
    case TEAM_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case TEAM_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case TEAM_PROP_LEAD_NAME:
      g_value_set_string (value, self->lead_name);
      break;
    case TEAM_PROP_AGENT_COUNT:
      g_value_set_uint (value, self->agent_count);
      break;
    case TEAM_PROP_COUNTS:
      g_value_set_pointer (value, self->has_counts ? &self->counts : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_team_class_init (AssayTeamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_team_finalize;
  object_class->get_property = assay_team_get_property;

  team_properties[TEAM_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  team_properties[TEAM_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  team_properties[TEAM_PROP_LEAD_NAME] =
    g_param_spec_string ("lead-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  team_properties[TEAM_PROP_AGENT_COUNT] =
    g_param_spec_uint ("agent-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* the figures over the period the directory shows: a const AssayKpiCounts *, or NULL */
  team_properties[TEAM_PROP_COUNTS] =
    g_param_spec_pointer ("counts", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, TEAM_N_PROPS, team_properties);
}

static void
assay_team_init (AssayTeam *self)
{
}

AssayTeam *
assay_team_new (const char *id,
                const char *name,
                const char *lead_name,
                guint       agent_count)
{
  AssayTeam *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (ASSAY_TYPE_TEAM, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->lead_name = g_strdup (lead_name);
  self->agent_count = agent_count;
  return self;
}

const char *
assay_team_get_id (AssayTeam *self)
{
  g_return_val_if_fail (ASSAY_IS_TEAM (self), NULL);
  return self->id;
}

const char *
assay_team_get_name (AssayTeam *self)
{
  g_return_val_if_fail (ASSAY_IS_TEAM (self), NULL);
  return self->name;
}

const char *
assay_team_get_lead_name (AssayTeam *self)
{
  g_return_val_if_fail (ASSAY_IS_TEAM (self), NULL);
  return self->lead_name;
}

guint
assay_team_get_agent_count (AssayTeam *self)
{
  g_return_val_if_fail (ASSAY_IS_TEAM (self), 0);
  return self->agent_count;
}

const AssayKpiCounts *
assay_team_get_counts (AssayTeam *self)
{
  g_return_val_if_fail (ASSAY_IS_TEAM (self), NULL);
  return self->has_counts ? &self->counts : NULL;
}

void
assay_team_set_counts (AssayTeam            *self,
                       const AssayKpiCounts *counts)
{
  g_return_if_fail (ASSAY_IS_TEAM (self));

  if (counts == NULL && !self->has_counts)
    return;
  if (counts != NULL && self->has_counts && memcmp (counts, &self->counts, sizeof *counts) == 0)
    return;

  self->has_counts = counts != NULL;
  if (counts != NULL)
    self->counts = *counts;
  else
    memset (&self->counts, 0, sizeof self->counts);
  g_object_notify_by_pspec (G_OBJECT (self), team_properties[TEAM_PROP_COUNTS]);
}

/* agent */

struct _AssayAgent
{
  GObject   parent_instance;
  char     *id;
  char     *name;
  char     *employee_code;
  char     *team_id;
  char     *team_name;
  gboolean  active;
  guint     recent_contacts;
  /* search keys, made once */
  char     *folded_name;
  char     *folded_code;
};

enum {
  AGENT_PROP_0,
  AGENT_PROP_ID,
  AGENT_PROP_NAME,
  AGENT_PROP_EMPLOYEE_CODE,
  AGENT_PROP_TEAM_ID,
  AGENT_PROP_TEAM_NAME,
  AGENT_PROP_ACTIVE,
  AGENT_PROP_RECENT_CONTACTS,
  AGENT_N_PROPS
};

static GParamSpec *agent_properties[AGENT_N_PROPS];

G_DEFINE_FINAL_TYPE (AssayAgent, assay_agent, G_TYPE_OBJECT)

static void
assay_agent_finalize (GObject *object)
{
  AssayAgent *self = ASSAY_AGENT (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->employee_code);
  g_free (self->team_id);
  g_free (self->team_name);
  g_free (self->folded_name);
  g_free (self->folded_code);

  G_OBJECT_CLASS (assay_agent_parent_class)->finalize (object);
}

static void
assay_agent_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AssayAgent *self = ASSAY_AGENT (object);

  switch (prop_id)
    {
    case AGENT_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case AGENT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case AGENT_PROP_EMPLOYEE_CODE:
      g_value_set_string (value, self->employee_code);
      break;
    case AGENT_PROP_TEAM_ID:
      g_value_set_string (value, self->team_id);
      break;
    case AGENT_PROP_TEAM_NAME:
      g_value_set_string (value, self->team_name);
      break;
    case AGENT_PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case AGENT_PROP_RECENT_CONTACTS:
      g_value_set_uint (value, self->recent_contacts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_agent_class_init (AssayAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_agent_finalize;
  object_class->get_property = assay_agent_get_property;

  agent_properties[AGENT_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  agent_properties[AGENT_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  agent_properties[AGENT_PROP_EMPLOYEE_CODE] =
    g_param_spec_string ("employee-code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  agent_properties[AGENT_PROP_TEAM_ID] =
    g_param_spec_string ("team-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  agent_properties[AGENT_PROP_TEAM_NAME] =
    g_param_spec_string ("team-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  agent_properties[AGENT_PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  agent_properties[AGENT_PROP_RECENT_CONTACTS] =
    g_param_spec_uint ("recent-contacts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, AGENT_N_PROPS, agent_properties);
}

static void
assay_agent_init (AssayAgent *self)
{
}

AssayAgent *
assay_agent_new (const char *id,
                 const char *name,
                 const char *employee_code,
                 const char *team_id,
                 const char *team_name,
                 gboolean    active,
                 guint       recent_contacts)
{
  AssayAgent *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (ASSAY_TYPE_AGENT, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->employee_code = g_strdup (employee_code != NULL ? employee_code : "");
  self->team_id = g_strdup (team_id);
  self->team_name = g_strdup (team_name);
  self->active = !!active;
  self->recent_contacts = recent_contacts;
  self->folded_name = assay_directory_fold_text (self->name);
  self->folded_code = assay_directory_fold_text (self->employee_code);
  return self;
}

const char *
assay_agent_get_id (AssayAgent *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENT (self), NULL);
  return self->id;
}

const char *
assay_agent_get_name (AssayAgent *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENT (self), NULL);
  return self->name;
}

const char *
assay_agent_get_employee_code (AssayAgent *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENT (self), NULL);
  return self->employee_code;
}

const char *
assay_agent_get_team_id (AssayAgent *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENT (self), NULL);
  return self->team_id;
}

const char *
assay_agent_get_team_name (AssayAgent *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENT (self), NULL);
  return self->team_name;
}

gboolean
assay_agent_get_active (AssayAgent *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENT (self), FALSE);
  return self->active;
}

guint
assay_agent_get_recent_contacts (AssayAgent *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENT (self), 0);
  return self->recent_contacts;
}

gboolean
assay_agent_matches (AssayAgent *self,
                     const char *folded_needle)
{
  g_return_val_if_fail (ASSAY_IS_AGENT (self), FALSE);

  if (folded_needle == NULL || *folded_needle == '\0')
    return TRUE;
  /* codes match anywhere: people remember "the one ending in 42" */
  return word_match (self->folded_name, folded_needle)
         || strstr (self->folded_code, folded_needle) != NULL;
}

char *
assay_directory_fold_text (const char *text)
{
  g_autofree char *normal = NULL;

  if (text == NULL)
    return g_strdup ("");
  normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (normal == NULL)   /* not UTF-8: search it as it is */
    return g_ascii_strdown (text, -1);
  return g_utf8_casefold (normal, -1);
}

gboolean
assay_directory_text_matches (const char *text,
                              const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (folded_needle == NULL || *folded_needle == '\0')
    return TRUE;
  folded = assay_directory_fold_text (text);
  return word_match (folded, folded_needle);
}
