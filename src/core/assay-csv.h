/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ASSAY_CSV_ERROR (assay_csv_error_quark ())

typedef enum {
  ASSAY_CSV_ERROR_SYNTAX,     /* a quote in the wrong place; reading resumes at the next line */
  ASSAY_CSV_ERROR_TOO_LONG,   /* a record longer than the limit (an unclosed quote?); fatal */
  ASSAY_CSV_ERROR_HEADER,     /* the header row names unknown, doubled or missing columns */
  ASSAY_CSV_ERROR_EMPTY,      /* no header row at all */
  ASSAY_CSV_ERROR_ENCODING,   /* UTF-16 or another encoding that is not UTF-8; fatal */
} AssayCsvError;

GQuark assay_csv_error_quark (void);

/* The longest record the reader accepts, in bytes. */
#define ASSAY_CSV_MAX_RECORD (1024 * 1024)

/*
 * Fills @buffer with up to @size bytes. Returns the number of bytes read, 0 at the end of the
 * input, or -1 with @error set.
 */
typedef gssize (*AssayCsvReadFunc) (gpointer   user_data,
                                    char      *buffer,
                                    gsize      size,
                                    GError   **error);

typedef struct _AssayCsvReader AssayCsvReader;

/**
 * assay_csv_reader_new:
 * A streaming RFC 4180 reader pulling bytes from @read_func. A UTF-8 byte order mark at the
 * start is skipped; a UTF-16 one is an %ASSAY_CSV_ERROR_ENCODING error. Records end at CR LF, LF
 * or CR outside quotes; quoted fields may hold commas, doubled quotes and line breaks. Empty lines
 * are skipped. A NUL byte is a syntax error. Otherwise the reader does not check the encoding:
 * fields are bytes.
 */
AssayCsvReader *assay_csv_reader_new          (AssayCsvReadFunc   read_func,
                                               gpointer           user_data,
                                               GDestroyNotify     user_data_free);
/** assay_csv_reader_new_for_data: a reader over @len bytes of @data (-1: up to NUL), copied. */
AssayCsvReader *assay_csv_reader_new_for_data (const char        *data,
                                               gssize             len);
void            assay_csv_reader_free         (AssayCsvReader    *self);

/**
 * assay_csv_reader_next:
 * Reads the next record. Returns %TRUE when a record was read; %FALSE at the end of the input
 * (@error unset) or on an error. After %ASSAY_CSV_ERROR_SYNTAX the rest of that line is skipped
 * and the next call goes on; after any other error the reader is at its end.
 */
gboolean        assay_csv_reader_next         (AssayCsvReader    *self,
                                               GError           **error);
/** assay_csv_reader_get_n_fields: the number of fields in the current record. */
guint           assay_csv_reader_get_n_fields (AssayCsvReader    *self);
/**
 * assay_csv_reader_get_fields:
 * The fields of the current record, a %NULL-terminated array owned by the reader and valid
 * until the next call to assay_csv_reader_next().
 */
const char *const *assay_csv_reader_get_fields (AssayCsvReader   *self);
/**
 * assay_csv_reader_get_line:
 * The physical line (from 1) where the current record started, or where the last error was
 * found.
 */
guint64         assay_csv_reader_get_line     (AssayCsvReader    *self);
/** assay_csv_reader_get_field_line: the physical line where field @index of the record starts. */
guint64         assay_csv_reader_get_field_line (AssayCsvReader  *self,
                                                 guint            index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCsvReader, assay_csv_reader_free)

/**
 * assay_csv_field_needs_quotes:
 * Whether @field must be quoted: it holds a comma, a quote or a line break, or starts or ends
 * with a space.
 */
gboolean assay_csv_field_needs_quotes (const char *field);
/**
 * assay_csv_append_field:
 * Appends @field (%NULL is empty) to the record being built in @out, after a comma unless
 * @first, quoting it when needed.
 */
void     assay_csv_append_field       (GString    *out,
                                       const char *field,
                                       gboolean    first);
/** assay_csv_end_record: ends the record in @out with CR LF, as RFC 4180 asks. */
void     assay_csv_end_record         (GString    *out);

G_END_DECLS
