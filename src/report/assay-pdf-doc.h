/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/*
 * The report room's one A4 document of flowing text, shared by the dispute packet and the audit
 * report (private to src/report): the page geometry and colours, a text laid out at a point, a
 * paragraph that moves to a new page when it would not fit, headings and the page footer, and
 * the PDF surface written into memory.
 */

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 48.0
#define WIDTH  (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 18.0)

#define INK    0x241f31
#define DIM    0x5e5c64
#define ACCENT 0x1c71d8
#define BAD    0xc01c28

typedef struct {
  cairo_t         *cr;
  PangoLayout     *layout;
  cairo_surface_t *surface;
  GByteArray      *bytes;
  double           y;
  int              page;
  char            *footer;       /* the title, at the foot of every page */
  const char      *page_format;  /* translated "Page %d" */
} AssayPdfDoc;

/* starts a PDF in memory with @title as its metadata and footer */
void    assay_pdf_doc_begin   (AssayPdfDoc        *doc,
                     const char *title,
                     const char *page_format);
/* draws the last footer and ends the PDF: its bytes, or %NULL with @error set to @failed
 * (a translated format with one %s for cairo's reason) */
GBytes *assay_pdf_doc_end     (AssayPdfDoc        *doc,
                     const char *failed,
                     GError    **error);
void    assay_pdf_set_rgb     (cairo_t    *cr,
                     guint32     rgb);
/* lays @text out at (@x, @y) within @width and returns its height; draws it unless @measure */
double  assay_pdf_text_at     (AssayPdfDoc        *doc,
                     double      x,
                     double      y,
                     double      width,
                     const char *text,
                     const char *font,
                     guint32     colour,
                     gboolean    right,
                     gboolean    measure);
void    assay_pdf_doc_footer  (AssayPdfDoc        *doc);
/* a new page unless @height still fits on this one */
void    assay_pdf_doc_need    (AssayPdfDoc        *doc,
                     double      height);
void    assay_pdf_doc_text    (AssayPdfDoc        *doc,
                     double      indent,
                     const char *text,
                     const char *font,
                     guint32     colour,
                     double      space_after);
/* a heading kept with at least @keep points of what follows it */
void    assay_pdf_doc_heading (AssayPdfDoc        *doc,
                     const char *text,
                     double      keep);

G_END_DECLS
