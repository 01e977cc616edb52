/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ASSAY_MEDIA_ERROR (assay_media_error_quark ())

typedef enum {
  ASSAY_MEDIA_ERROR_NOT_FOUND,      /* the file does not exist or cannot be read */
  ASSAY_MEDIA_ERROR_MISSING_DECODER, /* a GStreamer plugin is missing; the message names the package */
  ASSAY_MEDIA_ERROR_CORRUPT,        /* the file is damaged or truncated */
  ASSAY_MEDIA_ERROR_UNSUPPORTED,
  ASSAY_MEDIA_ERROR_FAILED,
} AssayMediaError;

GQuark assay_media_error_quark (void);

G_END_DECLS
