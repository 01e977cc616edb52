/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <json-glib/json-glib.h>
#include <string.h>

#include "assay-evaluation-item.h"
#include "protocol/assay-protocol.h"

struct _AssayEvaluationItem
{
  GObject              parent_instance;

  GPtrArray           *records;   /* a reference: the record is records[index] */
  guint                index;
  char                *band;
  double               bonus;
  char                *haystack;  /* what the search looks in, lower case */
  AssayEvaluationSync *sync;
};

enum {
  PROP_0,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayEvaluationItem, assay_evaluation_item, G_TYPE_OBJECT)

/* the band and the bonus from the stored results; missing or bad results show none */
static void
read_results (AssayEvaluationItem *self,
              const char          *results)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;

  if (results == NULL)
    return;
  root = assay_protocol_parse_json (results, -1, NULL, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  o = json_node_get_object (root);
  if (json_object_has_member (o, "band")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "band"))
      && json_node_get_value_type (json_object_get_member (o, "band")) == G_TYPE_STRING)
    self->band = g_strdup (json_object_get_string_member (o, "band"));
  if (json_object_has_member (o, "bonus")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "bonus")))
    self->bonus = json_object_get_double_member (o, "bonus");
}

static void
assay_evaluation_item_finalize (GObject *object)
{
  AssayEvaluationItem *self = ASSAY_EVALUATION_ITEM (object);

  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->band, g_free);
  g_clear_pointer (&self->haystack, g_free);
  g_clear_pointer (&self->sync, assay_evaluation_sync_free);

  G_OBJECT_CLASS (assay_evaluation_item_parent_class)->finalize (object);
}

static void
assay_evaluation_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AssayEvaluationItem *self = ASSAY_EVALUATION_ITEM (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_boolean (value, self->sync != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_evaluation_item_class_init (AssayEvaluationItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = assay_evaluation_item_finalize;
  object_class->get_property = assay_evaluation_item_get_property;

  /* whether the sync state is known; notified whenever it is set */
  properties[PROP_SYNC] =
    g_param_spec_boolean ("sync", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
assay_evaluation_item_init (AssayEvaluationItem *self)
{
}

AssayEvaluationItem *
assay_evaluation_item_new (GPtrArray *records,
                           guint      index)
{
  AssayEvaluationItem *self;
  const AssayEvaluationRecord *r;
  g_autofree char *haystack = NULL;

  g_return_val_if_fail (records != NULL && index < records->len, NULL);

  self = g_object_new (ASSAY_TYPE_EVALUATION_ITEM, NULL);
  self->records = g_ptr_array_ref (records);
  self->index = index;
  r = g_ptr_array_index (records, index);
  read_results (self, r->results);
  haystack = g_strjoin ("\n", r->agent_name ? r->agent_name : "", r->queue ? r->queue : "",
                        r->form_name ? r->form_name : "", self->band ? self->band : "",
                        r->interaction_id ? r->interaction_id : "", NULL);
  self->haystack = g_utf8_strdown (haystack, -1);
  return self;
}

const AssayEvaluationRecord *
assay_evaluation_item_get_record (AssayEvaluationItem *self)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATION_ITEM (self), NULL);
  return g_ptr_array_index (self->records, self->index);
}

const char *
assay_evaluation_item_get_band (AssayEvaluationItem *self)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATION_ITEM (self), NULL);
  return self->band;
}

double
assay_evaluation_item_get_bonus (AssayEvaluationItem *self)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATION_ITEM (self), 0);
  return self->bonus;
}

gboolean
assay_evaluation_item_get_draft (AssayEvaluationItem *self)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATION_ITEM (self), FALSE);
  return g_strcmp0 (assay_evaluation_item_get_record (self)->state, "draft") == 0;
}

const AssayEvaluationSync *
assay_evaluation_item_get_sync (AssayEvaluationItem *self)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATION_ITEM (self), NULL);
  return self->sync;
}

void
assay_evaluation_item_set_sync (AssayEvaluationItem *self,
                                AssayEvaluationSync *sync)
{
  g_return_if_fail (ASSAY_IS_EVALUATION_ITEM (self));

  g_clear_pointer (&self->sync, assay_evaluation_sync_free);
  self->sync = sync;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

gboolean
assay_evaluation_item_matches (AssayEvaluationItem *self,
                               const char          *needle)
{
  g_return_val_if_fail (ASSAY_IS_EVALUATION_ITEM (self), FALSE);
  return needle == NULL || *needle == '\0' || strstr (self->haystack, needle) != NULL;
}
