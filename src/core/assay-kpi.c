/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-kpi.h"

G_DEFINE_ENUM_TYPE (AssayKpiLevel, assay_kpi_level,
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_LEVEL_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_LEVEL_LOW, "low"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_LEVEL_MID, "mid"),
  G_DEFINE_ENUM_VALUE (ASSAY_KPI_LEVEL_HIGH, "high"))

static const AssayKpiValue no_data = { FALSE, 0.0, 0 };

AssayKpiValue
assay_kpi_share (gint64 part,
                 gint64 whole)
{
  AssayKpiValue v = no_data;

  if (whole <= 0 || part < 0 || part > whole)
    return v;
  v.known = TRUE;
  v.value = 100.0 * (double) part / (double) whole;
  v.n = whole;
  return v;
}

AssayKpiValue
assay_kpi_nps (gint64 promoters,
               gint64 detractors,
               gint64 answers)
{
  AssayKpiValue v = no_data;

  if (answers <= 0 || promoters < 0 || detractors < 0 || promoters > answers
      || detractors > answers - promoters)
    return v;
  v.known = TRUE;
  /* one division, so 1 promoter and 1 detractor of 3 gives exactly 0 */
  v.value = 100.0 * (double) (promoters - detractors) / (double) answers;
  v.n = answers;
  return v;
}

AssayKpiValue
assay_kpi_mean (gint64 sum,
                gint64 n)
{
  AssayKpiValue v = no_data;

  if (n <= 0)
    return v;
  v.known = TRUE;
  v.value = (double) sum / (double) n;
  v.n = n;
  return v;
}

void
assay_kpi_counts_add (AssayKpiCounts       *dest,
                      const AssayKpiCounts *src)
{
  dest->contacts += src->contacts;
  dest->abandoned += src->abandoned;
  dest->handled += src->handled;
  dest->handled_phone += src->handled_phone;
  dest->handle_s_phone += src->handle_s_phone;
  dest->handled_written += src->handled_written;
  dest->handle_s_written += src->handle_s_written;
  dest->csat_answers += src->csat_answers;
  dest->csat_satisfied += src->csat_satisfied;
  dest->nps_answers += src->nps_answers;
  dest->nps_promoters += src->nps_promoters;
  dest->nps_detractors += src->nps_detractors;
  dest->fcr_known += src->fcr_known;
  dest->fcr_resolved += src->fcr_resolved;
  dest->sl_offered += src->sl_offered;
  dest->sl_answered += src->sl_answered;
}

void
assay_kpi_figures_compute (const AssayKpiCounts *counts,
                           AssayKpiFigures      *figures)
{
  figures->contacts = counts->contacts;
  figures->handled = counts->handled;
  figures->abandoned = counts->abandoned;
  figures->csat = assay_kpi_share (counts->csat_satisfied, counts->csat_answers);
  figures->nps = assay_kpi_nps (counts->nps_promoters, counts->nps_detractors,
                                counts->nps_answers);
  figures->fcr = assay_kpi_share (counts->fcr_resolved, counts->fcr_known);
  figures->aht_phone = assay_kpi_mean (counts->handle_s_phone, counts->handled_phone);
  figures->aht_written = assay_kpi_mean (counts->handle_s_written, counts->handled_written);
  figures->aht = assay_kpi_mean (counts->handle_s_phone + counts->handle_s_written,
                                 counts->handled_phone + counts->handled_written);
  figures->service_level = assay_kpi_share (counts->sl_answered, counts->sl_offered);
  figures->abandon_rate = assay_kpi_share (counts->abandoned, counts->contacts);
}

AssayKpiLevel
assay_kpi_level (AssayKpi             kpi,
                 const AssayKpiValue *value)
{
  double low, high;
  gboolean lower_is_better = FALSE;

  if (value == NULL || !value->known || value->n < ASSAY_KPI_MIN_N_FOR_LEVEL)
    return ASSAY_KPI_LEVEL_NONE;

  switch (kpi)
    {
    case ASSAY_KPI_CSAT:
      low = 70, high = 85;
      break;
    case ASSAY_KPI_NPS:
      low = 0, high = 30;
      break;
    case ASSAY_KPI_FCR:
      low = 60, high = 80;
      break;
    case ASSAY_KPI_SERVICE_LEVEL:
      low = 70, high = 80;
      break;
    case ASSAY_KPI_ABANDON_RATE:
      low = 10, high = 5;
      lower_is_better = TRUE;
      break;
    case ASSAY_KPI_AHT:
    default:
      return ASSAY_KPI_LEVEL_NONE;
    }

  if (lower_is_better)
    {
      if (value->value > low)
        return ASSAY_KPI_LEVEL_LOW;
      if (value->value <= high)
        return ASSAY_KPI_LEVEL_HIGH;
      return ASSAY_KPI_LEVEL_MID;
    }
  if (value->value < low)
    return ASSAY_KPI_LEVEL_LOW;
  if (value->value >= high)
    return ASSAY_KPI_LEVEL_HIGH;
  return ASSAY_KPI_LEVEL_MID;
}
