/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-channel-gain.h"

struct _AssayChannelGain
{
  GstAudioFilter parent_instance;

  /* Set from any thread under the object lock. */
  double gain[2];
  /* Streaming thread only: the gains the last buffer ended with. */
  double applied[2];
};

enum {
  PROP_0,
  PROP_LEFT_GAIN,
  PROP_RIGHT_GAIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayChannelGain, assay_channel_gain, GST_TYPE_AUDIO_FILTER)

#define CHANNEL_GAIN_CAPS \
  "audio/x-raw, format = (string) " GST_AUDIO_NE (F32) ", layout = (string) interleaved, " \
  "rate = (int) [ 1, MAX ], channels = (int) [ 1, MAX ]"

static gboolean
assay_channel_gain_start (GstBaseTransform *trans)
{
  AssayChannelGain *self = ASSAY_CHANNEL_GAIN (trans);

  GST_OBJECT_LOCK (self);
  self->applied[0] = self->gain[0];
  self->applied[1] = self->gain[1];
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static GstFlowReturn
assay_channel_gain_transform_ip (GstBaseTransform *trans,
                                 GstBuffer        *buffer)
{
  AssayChannelGain *self = ASSAY_CHANNEL_GAIN (trans);
  GstAudioInfo *info = &GST_AUDIO_FILTER (self)->info;
  GstMapInfo map;
  double from[2], to[2];
  gsize frames;
  float *samples;

  if (GST_AUDIO_INFO_CHANNELS (info) != 2 || GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_GAP))
    return GST_FLOW_OK;

  GST_OBJECT_LOCK (self);
  to[0] = self->gain[0];
  to[1] = self->gain[1];
  GST_OBJECT_UNLOCK (self);
  from[0] = self->applied[0];
  from[1] = self->applied[1];
  self->applied[0] = to[0];
  self->applied[1] = to[1];

  if (from[0] == 1.0 && from[1] == 1.0 && to[0] == 1.0 && to[1] == 1.0)
    return GST_FLOW_OK;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READWRITE))
    return GST_FLOW_OK;

  samples = (float *) map.data;
  frames = map.size / (2 * sizeof (float));
  for (gsize i = 0; i < frames; i++)
    {
      double t = (double) (i + 1) / (double) frames;

      samples[2 * i] *= (float) (from[0] + (to[0] - from[0]) * t);
      samples[2 * i + 1] *= (float) (from[1] + (to[1] - from[1]) * t);
    }
  gst_buffer_unmap (buffer, &map);

  return GST_FLOW_OK;
}

static void
assay_channel_gain_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AssayChannelGain *self = ASSAY_CHANNEL_GAIN (object);

  switch (prop_id)
    {
    case PROP_LEFT_GAIN:
    case PROP_RIGHT_GAIN:
      GST_OBJECT_LOCK (self);
      g_value_set_double (value, self->gain[prop_id == PROP_LEFT_GAIN ? 0 : 1]);
      GST_OBJECT_UNLOCK (self);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_channel_gain_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AssayChannelGain *self = ASSAY_CHANNEL_GAIN (object);
  int channel;
  double gain;
  gboolean changed;

  switch (prop_id)
    {
    case PROP_LEFT_GAIN:
    case PROP_RIGHT_GAIN:
      channel = prop_id == PROP_LEFT_GAIN ? 0 : 1;
      gain = g_value_get_double (value);
      GST_OBJECT_LOCK (self);
      changed = self->gain[channel] != gain;
      self->gain[channel] = gain;
      GST_OBJECT_UNLOCK (self);
      if (changed)
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_channel_gain_class_init (AssayChannelGainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *transform_class = GST_BASE_TRANSFORM_CLASS (klass);
  g_autoptr(GstCaps) caps = gst_caps_from_string (CHANNEL_GAIN_CAPS);

  object_class->get_property = assay_channel_gain_get_property;
  object_class->set_property = assay_channel_gain_set_property;

  transform_class->start = assay_channel_gain_start;
  transform_class->transform_ip = assay_channel_gain_transform_ip;

  gst_element_class_set_static_metadata (element_class, "Assay channel gain",
                                         "Filter/Effect/Audio",
                                         "Scales the two channels of a stereo stream separately",
                                         "Assay");
  gst_audio_filter_class_add_pad_templates (GST_AUDIO_FILTER_CLASS (klass), caps);

  properties[PROP_LEFT_GAIN] =
    g_param_spec_double ("left-gain", NULL, NULL, 0.0, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RIGHT_GAIN] =
    g_param_spec_double ("right-gain", NULL, NULL, 0.0, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
assay_channel_gain_init (AssayChannelGain *self)
{
  self->gain[0] = self->gain[1] = 1.0;
  self->applied[0] = self->applied[1] = 1.0;
}

/**
 * assay_channel_gain_new:
 * @name: (nullable): the element's name
 *
 * Returns: (transfer floating): a new channel gain element, both gains 1.0.
 */
GstElement *
assay_channel_gain_new (const char *name)
{
  return g_object_new (ASSAY_TYPE_CHANNEL_GAIN, "name", name, NULL);
}

/**
 * assay_channel_gain_set_gains:
 * Sets both gains (each clamped to 0..1) in one step, so a solo switch never lets both
 * channels through for a buffer.
 */
void
assay_channel_gain_set_gains (AssayChannelGain *self,
                              double            left,
                              double            right)
{
  gboolean left_changed, right_changed;

  g_return_if_fail (ASSAY_IS_CHANNEL_GAIN (self));

  left = CLAMP (left, 0.0, 1.0);
  right = CLAMP (right, 0.0, 1.0);
  GST_OBJECT_LOCK (self);
  left_changed = self->gain[0] != left;
  right_changed = self->gain[1] != right;
  self->gain[0] = left;
  self->gain[1] = right;
  GST_OBJECT_UNLOCK (self);

  if (left_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEFT_GAIN]);
  if (right_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RIGHT_GAIN]);
}
