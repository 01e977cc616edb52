/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Stripping location and camera metadata from photos before they are kept as audit evidence
 * (docs/audits.md). Bytes in, bytes out, no decoding: a JPEG is walked marker by marker and
 * its APP1 (Exif with GPS, XMP), APP3–APP13, APP15 and comment segments are left out, keeping
 * JFIF (APP0), the colour profile (APP2) and Adobe's colour transform (APP14); a PNG keeps every
 * chunk except eXIf, tEXt, zTXt, iTXt and tIME. Anything else passes unchanged.
 */

/**
 * assay_photo_strip_metadata:
 * @data: the file's bytes
 * @out_removed: (optional): how many segments or chunks were left out
 * Returns: (transfer full): the bytes without metadata (@data itself, referenced, when it is no
 * JPEG or PNG or had none), or %NULL with %G_IO_ERROR_INVALID_DATA when a JPEG or PNG is
 * truncated or malformed.
 */
GBytes *assay_photo_strip_metadata (GBytes  *data,
                                    guint   *out_removed,
                                    GError **error);

/** assay_photo_is_jpeg: whether @data starts as a JPEG does (FF D8 FF). */
gboolean assay_photo_is_jpeg (const guint8 *data,
                              gsize         length);
/** assay_photo_is_png: whether @data starts with the PNG signature. */
gboolean assay_photo_is_png  (const guint8 *data,
                              gsize         length);

G_END_DECLS
