/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The scorecard and answers formats in four files: assay-form-json.c (scorecards, read and
 * written), assay-form-json-answers.c (answers and scores), assay-form-json-write.c (the
 * canonical JSON writer, assay_json_write) and assay-form-json-util.c (below: the strict
 * reading helpers every reader uses, which name the path of what is wrong, and the builder
 * helpers every writer uses).
 */

void _assay_form_json_add_number (JsonBuilder *builder,
                                  double       value);
void _assay_form_json_member_number (JsonBuilder *builder,
                                     const char  *name,
                                     double       value);
void _assay_form_json_member_string (JsonBuilder *builder,
                                     const char  *name,
                                     const char  *value);
void _assay_form_json_member_bool (JsonBuilder *builder,
                                   const char  *name,
                                   gboolean     value);
char *_assay_form_json_join (const char *base,
                             const char *name);
gboolean _assay_form_json_bad (GError    **error,
                               int         code,
                               const char *path,
                               const char *format,
                               ...) G_GNUC_PRINTF (4, 5);
gboolean _assay_form_json_bad_member (GError    **error,
                                      int         code,
                                      const char *base,
                                      const char *name,
                                      const char *format,
                                      ...) G_GNUC_PRINTF (5, 6);
gboolean _assay_form_json_check_members (JsonObject         *obj,
                                         const char         *base,
                                         const char * const *allowed,
                                         int                 code,
                                         GError            **error);
JsonNode *_assay_form_json_member (JsonObject *obj,
                                   const char *name);
gboolean _assay_form_json_holds_type (JsonNode *node,
                                      GType     type);
gboolean _assay_form_json_holds_number (JsonNode *node);
gboolean _assay_form_json_get_string (JsonObject  *obj,
                                      const char  *base,
                                      const char  *name,
                                      gboolean     required,
                                      const char **out,
                                      int          code,
                                      GError     **error);
gboolean _assay_form_json_get_number (JsonObject  *obj,
                                      const char  *base,
                                      const char  *name,
                                      gboolean     required,
                                      double      *out,
                                      gboolean    *present,
                                      int          code,
                                      GError     **error);
gboolean _assay_form_json_get_whole (JsonObject  *obj,
                                     const char  *base,
                                     const char  *name,
                                     gboolean     required,
                                     gint64      *out,
                                     gboolean    *present,
                                     int          code,
                                     GError     **error);
gboolean _assay_form_json_get_bool (JsonObject  *obj,
                                    const char  *base,
                                    const char  *name,
                                    gboolean    *out,
                                    gboolean    *present,
                                    int          code,
                                    GError     **error);
gboolean _assay_form_json_get_array (JsonObject  *obj,
                                     const char  *base,
                                     const char  *name,
                                     gboolean     required,
                                     JsonArray  **out,
                                     int          code,
                                     GError     **error);
JsonObject *_assay_form_json_element_object (JsonArray  *array,
                                             guint       index,
                                             const char *path,
                                             int         code,
                                             GError    **error);
JsonNode *_assay_form_json_parse_data (const char  *data,
                                       gssize       length,
                                       GError     **error);
gboolean _assay_form_json_check_format (JsonObject *obj,
                                        int         code,
                                        GError    **error);

G_END_DECLS
