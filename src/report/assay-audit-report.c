/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "assay-audit-report.h"
#include "assay-pdf-doc.h"
#include "core/assay-file.h"
#include "core/assay-photo-meta.h"
#include "core/assay-scoring.h"
#include "protocol/assay-form-json.h"
#include "store/assay-store-audits.h"
#include "store/assay-store-evaluations.h"

#define THUMB  150.0

static char *
percent (double value)
{
  return isnan (value) ? g_strdup ("–") : g_strdup_printf ("%.1f %%", value);
}

static char *
time_text (gint64 ms)
{
  g_autoptr(GDateTime) utc = ms > 0 ? g_date_time_new_from_unix_utc (ms / 1000) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("–");
}

static const char *
channel_label (const char *channel)
{
  if (g_strcmp0 (channel, "phone") == 0)
    return C_("audit report", "Phone test call");
  if (g_strcmp0 (channel, "chat") == 0)
    return C_("audit report", "Chat");
  if (g_strcmp0 (channel, "email") == 0)
    return C_("audit report", "Email");
  if (g_strcmp0 (channel, "visit") == 0)
    return C_("audit report", "Service point visit");
  return channel != NULL ? channel : "";
}

static char *
answer_text (const AssayItem   *item,
             const AssayAnswer *a)
{
  if (a->state == ASSAY_ANSWER_NONE)
    return g_strdup (C_("audit report", "not answered"));
  if (a->state == ASSAY_ANSWER_NA)
    return g_strdup (C_("audit report", "N/A"));
  switch (item->kind)
    {
    case ASSAY_ITEM_YES_NO:
    case ASSAY_ITEM_YES_NO_NA:
      return g_strdup (a->choice == 0 ? C_("audit report", "Yes") : C_("audit report", "No"));
    case ASSAY_ITEM_SINGLE_CHOICE:
      if (a->choice >= 0 && (guint) a->choice < item->options->len)
        return g_strdup (((AssayOption *) g_ptr_array_index (item->options, a->choice))->label);
      return g_strdup ("");
    case ASSAY_ITEM_NUMBER:
      if (item->duration)
        {
          guint s = (guint) MAX (a->value, 0);

          /* TRANSLATORS: a measured time, e.g. "4 min 10 s" */
          return g_strdup_printf (C_("audit report", "%u min %u s"), s / 60, s % 60);
        }
      return g_strdup_printf ("%g", a->value);
    case ASSAY_ITEM_SCALE:
    case ASSAY_ITEM_POINTS:
      return g_strdup_printf ("%g", a->value);
    case ASSAY_ITEM_MULTIPLE_CHOICE:
    case ASSAY_ITEM_TEXT:
    case ASSAY_ITEM_DATE:
    default:
      return g_strdup (a->text != NULL ? a->text : "");
    }
}

/* a photo drawn at most THUMB wide: PNG through cairo, JPEG embedded as it is (mime data) */
static cairo_surface_t *
photo_surface (const char *path,
               GBytes    **keep)
{
  g_autoptr(GBytes) bytes = NULL;
  char *data = NULL;
  gsize n = 0;
  const guint8 *d;

  if (path == NULL || !g_file_get_contents (path, &data, &n, NULL))
    return NULL;
  bytes = g_bytes_new_take (data, n);
  d = g_bytes_get_data (bytes, NULL);
  if (assay_photo_is_png (d, n))
    {
      cairo_surface_t *s = cairo_image_surface_create_from_png (path);

      if (cairo_surface_status (s) == CAIRO_STATUS_SUCCESS)
        return s;
      cairo_surface_destroy (s);
      return NULL;
    }
  if (assay_photo_is_jpeg (d, n))
    {
      /* the size from the first start-of-frame marker */
      for (gsize i = 2; i + 9 < n;)
        {
          guint8 m;
          gsize len;

          if (d[i] != 0xff)
            return NULL;
          m = d[i + 1];
          len = ((gsize) d[i + 2] << 8) | d[i + 3];
          if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)
            {
              int h = (d[i + 5] << 8) | d[i + 6];
              int w = (d[i + 7] << 8) | d[i + 8];
              cairo_surface_t *s;

              if (w <= 0 || h <= 0 || w > 20000 || h > 20000)
                return NULL;
              s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
              *keep = g_bytes_ref (bytes);
              cairo_surface_set_mime_data (s, CAIRO_MIME_TYPE_JPEG, g_bytes_get_data (*keep, NULL),
                                           n, (cairo_destroy_func_t) g_bytes_unref, *keep);
              return s;
            }
          i += 2 + len;
        }
    }
  return NULL;
}

static void
draw_photo (AssayPdfDoc        *doc,
            const char *path)
{
  GBytes *keep = NULL;
  cairo_surface_t *s = photo_surface (path, &keep);
  double w, h, scale;

  if (s == NULL)
    return;
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  scale = MIN (THUMB / w, THUMB / h);
  assay_pdf_doc_need (doc, h * scale + 6);
  cairo_save (doc->cr);
  cairo_translate (doc->cr, MARGIN + 12, doc->y);
  cairo_scale (doc->cr, scale, scale);
  cairo_set_source_surface (doc->cr, s, 0, 0);
  cairo_paint (doc->cr);
  cairo_restore (doc->cr);
  doc->y += h * scale + 6;
  cairo_surface_destroy (s);
}

static void
draw_audit (AssayPdfDoc              *doc,
            AssayAuditRecord *audit,
            AssayForm        *form,
            AssayAnswers     *answers,
            GPtrArray        *evidence,
            GPtrArray        *revisions)
{
  g_autoptr(AssayScore) score = answers != NULL ? assay_score_compute (answers) : NULL;
  g_autofree char *when = time_text (audit->visited_at);
  g_autofree char *overall = percent (audit->score);
  g_autofree char *line = NULL;

  assay_pdf_doc_text (doc, 0, C_("audit report", "Mystery-shopper audit"), "Sans Bold 18", INK, 4);
  assay_pdf_doc_text (doc, 0, audit->scenario_name, "Sans 13", DIM, 10);
  line = g_strdup_printf (C_("audit report", "Channel: %s · Target: %s · Shopper: %s · Visited: %s"),
                          channel_label (audit->channel), audit->target ? audit->target : "–",
                          audit->shopper_name ? audit->shopper_name : "–", when);
  assay_pdf_doc_text (doc, 0, line, "Sans 9", INK, 4);
  g_clear_pointer (&line, g_free);
  if (g_strcmp0 (audit->state, "submitted") == 0)
    line = g_strdup_printf (C_("audit report", "Submitted, revision %d"), audit->revision);
  else
    line = g_strdup (C_("audit report", "Draft, not submitted"));
  assay_pdf_doc_text (doc, 0, line, "Sans 9", INK, 8);
  g_clear_pointer (&line, g_free);
  if (score != NULL)
    {
      g_autofree char *wf = percent (score->without_fatal);

      line = g_strdup_printf (C_("audit report", "Score %s (%s) · without fatal %s"), overall,
                              score->band != NULL ? score->band : "–", wf);
    }
  else
    line = g_strdup_printf (C_("audit report", "Score %s"), overall);
  assay_pdf_doc_text (doc, 0, line, "Sans Bold 12",
            score != NULL && score->fatal_failed->len > 0 ? BAD : INK, 4);
  g_clear_pointer (&line, g_free);

  assay_pdf_doc_heading (doc, C_("audit report", "Answers and observations"), 60);
  for (guint i = 0; form != NULL && i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      const AssayAnswer *a = assay_answers_get (answers, i);
      g_autofree char *value = answer_text (item, a);
      g_autofree char *row = g_strdup_printf ("%u. %s — %s", i + 1, item->text, value);

      assay_pdf_doc_text (doc, 0, row, "Sans 9", INK, 2);
      if (a->comment != NULL && *a->comment != '\0')
        {
          g_autofree char *obs = g_strdup_printf (C_("audit report", "Observation: %s"), a->comment);

          assay_pdf_doc_text (doc, 14, obs, "Sans Italic 9", DIM, 2);
        }
      for (guint k = 0; evidence != NULL && k < evidence->len; k++)
        {
          AssayAuditEvidenceRecord *e = evidence->pdata[k];

          if (g_strcmp0 (e->item_id, item->id) == 0)
            {
              g_autofree char *file = g_strdup_printf (C_("audit report", "Evidence: %s"),
                                                       e->file_name);

              assay_pdf_doc_text (doc, 14, file, "Sans 8", DIM, 2);
              draw_photo (doc, e->path);
            }
        }
      doc->y += 3;
    }

  assay_pdf_doc_heading (doc, C_("audit report", "Photos and files"), 60);
  if (evidence == NULL || evidence->len == 0)
    assay_pdf_doc_text (doc, 0, C_("audit report", "No photos or files were attached."), "Sans 9", DIM, 4);
  for (guint k = 0; evidence != NULL && k < evidence->len; k++)
    {
      AssayAuditEvidenceRecord *e = evidence->pdata[k];
      g_autofree char *size = g_format_size (e->size);
      g_autofree char *row = g_strdup_printf ("%s · %s · %s · SHA-256 %.16s…", e->file_name,
                                              e->media_type, size, e->sha256);

      assay_pdf_doc_text (doc, 0, row, "Sans 8", INK, 2);
      if (*e->item_id == '\0')
        draw_photo (doc, e->path);
    }

  assay_pdf_doc_heading (doc, C_("audit report", "Revisions"), 60);
  if (revisions == NULL || revisions->len == 0)
    assay_pdf_doc_text (doc, 0, C_("audit report", "Not submitted yet."), "Sans 9", DIM, 4);
  for (guint k = 0; revisions != NULL && k < revisions->len; k++)
    {
      AssayRevisionRecord *r = revisions->pdata[k];
      g_autofree char *at = time_text (r->created_at);
      g_autofree char *sc = percent (r->score);
      g_autofree char *row = g_strdup_printf (C_("audit report", "Revision %d · %s · %s · %s"),
                                              r->number, at,
                                              r->author_name ? r->author_name : "–", sc);

      assay_pdf_doc_text (doc, 0, row, "Sans 9", INK, 2);
      if (r->reason != NULL)
        {
          g_autofree char *why = g_strdup_printf (C_("audit report", "Reason: %s"), r->reason);

          assay_pdf_doc_text (doc, 14, why, "Sans Italic 9", DIM, 3);
        }
    }
}

gboolean
assay_audit_report_write_pdf_sync (AssayStore    *store,
                                   const char    *audit_id,
                                   const char    *path,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(AssayAuditRecord) audit = NULL;
  g_autoptr(GPtrArray) evidence = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(AssayAnswers) answers = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *definition = NULL;
  g_autofree char *title = NULL;
  gconstpointer data;
  gsize size;
  AssayPdfDoc doc;

  g_return_val_if_fail (audit_id != NULL && path != NULL, FALSE);
  audit = assay_store_audits_get_sync (store, audit_id, error);
  if (audit == NULL)
    return FALSE;
  evidence = assay_store_audits_list_evidence_sync (store, audit_id, error);
  revisions = evidence != NULL ? assay_store_audits_list_revisions_sync (store, audit_id, error) : NULL;
  definition = revisions != NULL ? assay_store_audits_get_definition_sync (store, audit_id, error)
                                 : NULL;
  if (definition == NULL)
    return FALSE;
  form = assay_form_from_json (definition, -1, error);
  if (form == NULL)
    return FALSE;
  if (audit->answers != NULL && *audit->answers != '\0')
    answers = assay_answers_from_json (form, audit->answers, -1, error);
  else
    answers = assay_answers_new (form);
  if (answers == NULL)
    return FALSE;

  title = g_strdup_printf (C_("audit report", "Audit: %s"), audit->scenario_name);
  assay_pdf_doc_begin (&doc, title, C_("audit report", "Page %d"));
  draw_audit (&doc, audit, form, answers, evidence, revisions);
  bytes = assay_pdf_doc_end (&doc, C_("audit report", "Could not draw the audit report (%s)"),
                             &local_error);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (bytes == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &size);
  return assay_file_write_atomic (path, data, size, cancellable, error);
}
