/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

#include "assay-growing-file.h"

G_BEGIN_DECLS

/* Private to media (the player): feeds playbin's "appsrc://" source from @file. Reads wait for
 * bytes not arrived yet; cancelling @cancellable (the player does so on close) ends the wait. */
void assay_growing_src_attach (GstElement       *appsrc,
                               AssayGrowingFile *file,
                               GCancellable     *cancellable);

G_END_DECLS
