/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-codec-hints.h"

#include <string.h>

#define PKG_BASE "gstreamer1.0-plugins-base"
#define PKG_GOOD "gstreamer1.0-plugins-good"
#define PKG_BAD "gstreamer1.0-plugins-bad"
#define PKG_UGLY "gstreamer1.0-plugins-ugly"
#define PKG_LIBAV "gstreamer1.0-libav"

typedef struct {
  const char         *media_type;
  AssayCodecHintKind  kind;
  const char         *name;
  const char         *package;
} MediaTypeHint;

/* Which Debian 12 package ships the element GStreamer would plug for each media type. */
static const MediaTypeHint media_type_hints[] = {
  { "audio/x-gsm", ASSAY_CODEC_HINT_DECODER, "GSM", PKG_BAD },
  { "audio/ms-gsm", ASSAY_CODEC_HINT_DECODER, "GSM", PKG_BAD },
  { "audio/x-vorbis", ASSAY_CODEC_HINT_DECODER, "Vorbis", PKG_BASE },
  { "audio/x-opus", ASSAY_CODEC_HINT_DECODER, "Opus", PKG_BASE },
  { "audio/x-flac", ASSAY_CODEC_HINT_DECODER, "FLAC", PKG_GOOD },
  { "audio/x-alaw", ASSAY_CODEC_HINT_DECODER, "A-law", PKG_GOOD },
  { "audio/x-mulaw", ASSAY_CODEC_HINT_DECODER, "µ-law", PKG_GOOD },
  { "audio/x-speex", ASSAY_CODEC_HINT_DECODER, "Speex", PKG_GOOD },
  { "audio/x-adpcm", ASSAY_CODEC_HINT_DECODER, "ADPCM", PKG_BAD },
  { "audio/x-raw", ASSAY_CODEC_HINT_DECODER, "PCM", PKG_BASE },
  { "audio/amr", ASSAY_CODEC_HINT_DECODER, "AMR", PKG_UGLY },
  { "audio/amr-wb", ASSAY_CODEC_HINT_DECODER, "AMR-WB", PKG_UGLY },
  { "audio/x-wma", ASSAY_CODEC_HINT_DECODER, "WMA", PKG_LIBAV },
  { "audio/x-ac3", ASSAY_CODEC_HINT_DECODER, "AC-3", PKG_LIBAV },
  { "audio/x-g726", ASSAY_CODEC_HINT_DECODER, "G.726", PKG_LIBAV },
  { "audio/g729", ASSAY_CODEC_HINT_DECODER, "G.729", PKG_LIBAV },
  { "application/ogg", ASSAY_CODEC_HINT_CONTAINER, "Ogg", PKG_BASE },
  { "audio/ogg", ASSAY_CODEC_HINT_CONTAINER, "Ogg", PKG_BASE },
  { "audio/x-wav", ASSAY_CODEC_HINT_CONTAINER, "WAV", PKG_GOOD },
  { "audio/x-rf64", ASSAY_CODEC_HINT_CONTAINER, "WAV", PKG_GOOD },
  { "audio/x-aiff", ASSAY_CODEC_HINT_CONTAINER, "AIFF", PKG_GOOD },
  { "audio/x-au", ASSAY_CODEC_HINT_CONTAINER, "AU", PKG_GOOD },
  { "audio/x-m4a", ASSAY_CODEC_HINT_CONTAINER, "MP4", PKG_GOOD },
  { "video/quicktime", ASSAY_CODEC_HINT_CONTAINER, "MP4", PKG_GOOD },
  { "application/x-id3", ASSAY_CODEC_HINT_CONTAINER, "ID3", PKG_GOOD },
  { "application/x-apetag", ASSAY_CODEC_HINT_CONTAINER, "APE tag", PKG_GOOD },
  { "video/x-matroska", ASSAY_CODEC_HINT_CONTAINER, "Matroska", PKG_GOOD },
  { "audio/webm", ASSAY_CODEC_HINT_CONTAINER, "WebM", PKG_GOOD },
  { "video/webm", ASSAY_CODEC_HINT_CONTAINER, "WebM", PKG_GOOD },
  { "video/x-ms-asf", ASSAY_CODEC_HINT_CONTAINER, "ASF", PKG_UGLY },
};

typedef struct {
  const char *element;
  const char *package;
} ElementHint;

static const ElementHint element_hints[] = {
  { "playbin", PKG_BASE },
  { "playbin3", PKG_BASE },
  { "decodebin", PKG_BASE },
  { "uridecodebin", PKG_BASE },
  { "audioconvert", PKG_BASE },
  { "audioresample", PKG_BASE },
  { "typefind", "libgstreamer1.0-0" },
  { "fakesink", "libgstreamer1.0-0" },
  { "alsasink", PKG_BASE },
  { "oggdemux", PKG_BASE },
  { "vorbisdec", PKG_BASE },
  { "opusdec", PKG_BASE },
  { "scaletempo", PKG_GOOD },
  { "autoaudiosink", PKG_GOOD },
  { "pulsesink", PKG_GOOD },
  { "wavparse", PKG_GOOD },
  { "mulawdec", PKG_GOOD },
  { "alawdec", PKG_GOOD },
  { "flacdec", PKG_GOOD },
  { "mpg123audiodec", PKG_GOOD },
  { "level", PKG_GOOD },
  { "gsmdec", PKG_BAD },
};

/* Reads the integer after "field=" (skipping a "(int)" type tag) in a caps string. */
static int
caps_int_field (const char *caps,
                const char *field)
{
  const char *p = caps;
  size_t len = strlen (field);

  while ((p = strstr (p, field)) != NULL)
    {
      gboolean at_start = p == caps || p[-1] == ' ' || p[-1] == ',';

      p += len;
      if (!at_start || *p != '=')
        continue;
      p++;
      if (g_str_has_prefix (p, "(int)"))
        p += strlen ("(int)");
      else if (g_str_has_prefix (p, "(gint)"))
        p += strlen ("(gint)");
      if (g_ascii_isdigit (*p))
        return (int) g_ascii_strtoll (p, NULL, 10);
      return -1;
    }
  return -1;
}

static void
lookup_caps (const char     *caps,
             AssayCodecHint *hint)
{
  g_autofree char *media_type = NULL;
  size_t len = strcspn (caps, ",; ");

  media_type = g_ascii_strdown (caps, (gssize) len);
  hint->kind = ASSAY_CODEC_HINT_DECODER;
  hint->name = NULL;
  hint->package = PKG_LIBAV;

  if (g_str_equal (media_type, "audio/mpeg"))
    {
      int version = caps_int_field (caps, "mpegversion");

      /* MPEG-1/2 audio (layers 1-3) is mpg123's; MPEG-2/4 AAC needs libav on Debian. */
      if (version == 2 || version == 4)
        hint->name = "AAC";
      else
        {
          int layer = caps_int_field (caps, "layer");

          hint->name = (layer == 1 || layer == 2) ? "MPEG audio" : "MP3";
          hint->package = PKG_GOOD;
        }
      return;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (media_type_hints); i++)
    if (g_ascii_strcasecmp (media_type, media_type_hints[i].media_type) == 0)
      {
        hint->kind = media_type_hints[i].kind;
        hint->name = media_type_hints[i].name;
        hint->package = media_type_hints[i].package;
        return;
      }
}

static void
lookup_element (const char     *element,
                AssayCodecHint *hint)
{
  hint->kind = ASSAY_CODEC_HINT_ELEMENT;
  hint->name = NULL;
  /* Most elements Assay could miss beyond the table are in -bad. */
  hint->package = PKG_BAD;

  for (gsize i = 0; i < G_N_ELEMENTS (element_hints); i++)
    if (g_str_equal (element, element_hints[i].element))
      {
        hint->name = element_hints[i].element;
        hint->package = element_hints[i].package;
        return;
      }
}

gboolean
assay_codec_hint_lookup (const char     *detail,
                         AssayCodecHint *hint)
{
  g_autofree char *text = NULL;
  const char *field;

  g_return_val_if_fail (hint != NULL, FALSE);

  if (detail == NULL)
    return FALSE;

  /* An installer detail is "gstreamer|1.0|app|description|type-detail": keep the last field. */
  field = strrchr (detail, '|');
  field = field != NULL ? field + 1 : detail;
  text = g_strstrip (g_strdup (field));
  if (*text == '\0')
    return FALSE;

  if (g_str_has_prefix (text, "decoder-"))
    lookup_caps (text + strlen ("decoder-"), hint);
  else if (g_str_has_prefix (text, "element-"))
    lookup_element (text + strlen ("element-"), hint);
  else if (strchr (text, '/') != NULL)
    lookup_caps (text, hint);
  else
    lookup_element (text, hint);

  return TRUE;
}
