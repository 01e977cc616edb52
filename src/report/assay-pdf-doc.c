/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <cairo-pdf.h>

#include "assay-pdf-doc.h"

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

void
assay_pdf_doc_begin (AssayPdfDoc        *doc,
           const char *title,
           const char *page_format)
{
  *doc = (AssayPdfDoc) { 0 };
  doc->bytes = g_byte_array_new ();
  doc->surface = cairo_pdf_surface_create_for_stream (write_cb, doc->bytes, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (doc->surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (doc->surface, CAIRO_PDF_METADATA_CREATOR, "Assay");
  doc->cr = cairo_create (doc->surface);
  doc->layout = pango_cairo_create_layout (doc->cr);
  doc->page = 1;
  doc->y = MARGIN;
  doc->footer = g_strdup (title);
  doc->page_format = page_format;
}

GBytes *
assay_pdf_doc_end (AssayPdfDoc        *doc,
         const char *failed,
         GError    **error)
{
  cairo_status_t status;
  GByteArray *bytes = g_steal_pointer (&doc->bytes);

  assay_pdf_doc_footer (doc);
  g_clear_object (&doc->layout);
  g_clear_pointer (&doc->cr, cairo_destroy);
  cairo_surface_finish (doc->surface);
  status = cairo_surface_status (doc->surface);
  g_clear_pointer (&doc->surface, cairo_surface_destroy);
  g_clear_pointer (&doc->footer, g_free);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      /* @failed is the caller's translated format with one %s */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, failed, cairo_status_to_string (status));
#pragma GCC diagnostic pop
      g_byte_array_unref (bytes);
      return NULL;
    }
  return g_byte_array_free_to_bytes (bytes);
}

void
assay_pdf_set_rgb (cairo_t *cr,
         guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

double
assay_pdf_text_at (AssayPdfDoc        *doc,
         double      x,
         double      y,
         double      width,
         const char *text,
         const char *font,
         guint32     colour,
         gboolean    right,
         gboolean    measure)
{
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (doc->layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (doc->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (doc->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (doc->layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_text (doc->layout, text != NULL ? text : "", -1);
  pango_layout_get_size (doc->layout, &w, &h);
  if (!measure)
    {
      assay_pdf_set_rgb (doc->cr, colour);
      cairo_move_to (doc->cr, x, y);
      pango_cairo_show_layout (doc->cr, doc->layout);
      cairo_new_path (doc->cr);
    }
  return (double) h / PANGO_SCALE;
}

void
assay_pdf_doc_footer (AssayPdfDoc *doc)
{
  g_autofree char *page = NULL;

  /* the caller's translated "Page %d" */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  page = g_strdup_printf (doc->page_format, doc->page);
#pragma GCC diagnostic pop

  assay_pdf_text_at (doc, MARGIN, PAGE_H - MARGIN, WIDTH - 60, doc->footer, "Sans 7", DIM, FALSE, FALSE);
  assay_pdf_text_at (doc, MARGIN, PAGE_H - MARGIN, WIDTH, page, "Sans 7", DIM, TRUE, FALSE);
}

void
assay_pdf_doc_need (AssayPdfDoc    *doc,
          double  height)
{
  if (doc->y + height <= BOTTOM)
    return;
  assay_pdf_doc_footer (doc);
  cairo_show_page (doc->cr);
  doc->page++;
  doc->y = MARGIN;
}

void
assay_pdf_doc_text (AssayPdfDoc        *doc,
          double      indent,
          const char *text,
          const char *font,
          guint32     colour,
          double      space_after)
{
  double h = assay_pdf_text_at (doc, 0, 0, WIDTH - indent, text, font, colour, FALSE, TRUE);

  assay_pdf_doc_need (doc, h);
  doc->y += assay_pdf_text_at (doc, MARGIN + indent, doc->y, WIDTH - indent, text, font, colour, FALSE,
                     FALSE);
  doc->y += space_after;
}

void
assay_pdf_doc_heading (AssayPdfDoc        *doc,
             const char *text,
             double      keep)
{
  assay_pdf_doc_need (doc, keep);
  doc->y += 10;
  assay_pdf_doc_text (doc, 0, text, "Sans Bold 13", ACCENT, 6);
}
