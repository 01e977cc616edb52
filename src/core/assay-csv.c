/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-csv.h"

#include <string.h>

/*
 * A byte-at-a-time RFC 4180 state machine. Line numbers count physical lines, so a quoted field
 * holding two line breaks moves the next record's line on by three; that is what an editor shows
 * and what an error message must point at.
 */

#define BUFFER_SIZE (64 * 1024)
#define END_OF_INPUT (-1)
#define READ_ERROR   (-2)

struct _AssayCsvReader
{
  AssayCsvReadFunc  read_func;
  gpointer          user_data;
  GDestroyNotify    user_data_free;

  char             *buffer;
  gsize             pos;
  gsize             len;
  gboolean          eof;
  GError           *read_error;

  guint64           line;        /* the line of the next byte */
  gboolean          prev_cr;     /* the last byte consumed was a CR */
  gboolean          bom_checked;
  gboolean          skip_line;   /* after a syntax error */
  gboolean          done;

  guint64           record_line;
  GString          *data;        /* the record's fields, each ended by a NUL */
  GArray           *offsets;     /* guint: where each field starts in data */
  GArray           *field_lines; /* guint64 */
  GPtrArray        *fields;      /* pointers into data, NULL-terminated */
};

G_DEFINE_QUARK (assay-csv-error-quark, assay_csv_error)

typedef struct {
  char  *data;
  gsize  len;
  gsize  pos;
} DataSource;

static void
data_source_free (gpointer user_data)
{
  DataSource *source = user_data;

  g_free (source->data);
  g_free (source);
}

static gssize
data_source_read (gpointer   user_data,
                  char      *buffer,
                  gsize      size,
                  GError   **error)
{
  DataSource *source = user_data;
  gsize n = MIN (size, source->len - source->pos);

  if (n == 0)
    return 0;
  memcpy (buffer, source->data + source->pos, n);
  source->pos += n;
  return (gssize) n;
}

AssayCsvReader *
assay_csv_reader_new (AssayCsvReadFunc read_func,
                      gpointer         user_data,
                      GDestroyNotify   user_data_free)
{
  AssayCsvReader *self;

  g_return_val_if_fail (read_func != NULL, NULL);

  self = g_new0 (AssayCsvReader, 1);
  self->read_func = read_func;
  self->user_data = user_data;
  self->user_data_free = user_data_free;
  self->buffer = g_malloc (BUFFER_SIZE);
  self->line = 1;
  self->data = g_string_sized_new (1024);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  self->field_lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->fields = g_ptr_array_new ();
  g_ptr_array_add (self->fields, NULL);
  return self;
}

AssayCsvReader *
assay_csv_reader_new_for_data (const char *data,
                               gssize      len)
{
  DataSource *source;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  source = g_new0 (DataSource, 1);
  source->len = len < 0 ? strlen (data) : (gsize) len;
  source->data = g_memdup2 (data, source->len);
  return assay_csv_reader_new (data_source_read, source, data_source_free);
}

void
assay_csv_reader_free (AssayCsvReader *self)
{
  if (self == NULL)
    return;
  if (self->user_data_free != NULL)
    self->user_data_free (self->user_data);
  g_free (self->buffer);
  g_clear_error (&self->read_error);
  g_string_free (self->data, TRUE);
  g_array_unref (self->offsets);
  g_array_unref (self->field_lines);
  g_ptr_array_unref (self->fields);
  g_free (self);
}

/* Makes at least @n bytes available unless the input ends first. */
static gboolean
ensure (AssayCsvReader *self,
        gsize           n)
{
  while (self->len - self->pos < n && !self->eof && self->read_error == NULL)
    {
      gssize got;

      if (self->pos > 0)
        {
          memmove (self->buffer, self->buffer + self->pos, self->len - self->pos);
          self->len -= self->pos;
          self->pos = 0;
        }
      got = self->read_func (self->user_data, self->buffer + self->len, BUFFER_SIZE - self->len,
                             &self->read_error);
      if (got < 0)
        {
          if (self->read_error == NULL)
            g_set_error_literal (&self->read_error, G_FILE_ERROR, G_FILE_ERROR_IO,
                                 "Reading the file failed");
          return FALSE;
        }
      if (got == 0)
        self->eof = TRUE;
      self->len += (gsize) got;
    }
  return self->len - self->pos >= n;
}

static inline int
peek_byte (AssayCsvReader *self)
{
  if (G_LIKELY (self->pos < self->len) || ensure (self, 1))
    return (guchar) self->buffer[self->pos];
  return self->read_error != NULL ? READ_ERROR : END_OF_INPUT;
}

static inline int
get_byte (AssayCsvReader *self)
{
  int c = peek_byte (self);

  if (c < 0)
    return c;
  self->pos++;
  if (c == '\r')
    self->line++;
  else if (c == '\n' && !self->prev_cr)
    self->line++;
  self->prev_cr = c == '\r';
  return c;
}

static void
start_field (AssayCsvReader *self)
{
  guint offset = (guint) self->data->len;

  g_array_append_val (self->offsets, offset);
  g_array_append_val (self->field_lines, self->line);
}

static void
end_field (AssayCsvReader *self)
{
  g_string_append_c (self->data, '\0');
}

static void
finish_record (AssayCsvReader *self)
{
  g_ptr_array_set_size (self->fields, 0);
  for (guint i = 0; i < self->offsets->len; i++)
    g_ptr_array_add (self->fields, self->data->str + g_array_index (self->offsets, guint, i));
  g_ptr_array_add (self->fields, NULL);
}

static void
reset_record (AssayCsvReader *self)
{
  g_string_truncate (self->data, 0);
  g_array_set_size (self->offsets, 0);
  g_array_set_size (self->field_lines, 0);
  g_ptr_array_set_size (self->fields, 0);
  g_ptr_array_add (self->fields, NULL);
}

static gboolean
fail_read (AssayCsvReader  *self,
           GError         **error)
{
  self->done = TRUE;
  reset_record (self);
  g_propagate_error (error, g_steal_pointer (&self->read_error));
  return FALSE;
}

static char *
describe_byte (int c)
{
  if (c >= 0x20 && c < 0x7f)
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("byte 0x%02X", (guint) c);
}

enum {
  START_FIELD,
  UNQUOTED,
  QUOTED,
  QUOTE_IN_QUOTED,
};

gboolean
assay_csv_reader_next (AssayCsvReader  *self,
                       GError         **error)
{
  int state = START_FIELD;

  g_return_val_if_fail (self != NULL, FALSE);

  reset_record (self);
  if (self->done)
    return FALSE;

  if (!self->bom_checked)
    {
      self->bom_checked = TRUE;
      if (ensure (self, 3) && memcmp (self->buffer + self->pos, "\xEF\xBB\xBF", 3) == 0)
        self->pos += 3;
      if (self->read_error != NULL)
        return fail_read (self, error);
      if (self->len - self->pos >= 2
          && (memcmp (self->buffer + self->pos, "\xFF\xFE", 2) == 0
              || memcmp (self->buffer + self->pos, "\xFE\xFF", 2) == 0))
        {
          g_set_error_literal (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_ENCODING,
                               "the file is UTF-16 (\"Unicode text\"); save it as CSV in UTF-8");
          self->record_line = 1;
          self->done = TRUE;
          return FALSE;
        }
    }

  if (self->skip_line)
    {
      int c;

      self->skip_line = FALSE;
      while ((c = peek_byte (self)) >= 0 && c != '\r' && c != '\n')
        get_byte (self);
      if (c == READ_ERROR)
        return fail_read (self, error);
    }

  /* empty lines, and the LF of a CR LF that ended the last record */
  for (;;)
    {
      int c = peek_byte (self);

      if (c == READ_ERROR)
        return fail_read (self, error);
      if (c == END_OF_INPUT)
        {
          self->done = TRUE;
          return FALSE;
        }
      if (c != '\r' && c != '\n')
        break;
      get_byte (self);
    }

  self->record_line = self->line;
  start_field (self);

  for (;;)
    {
      int c = get_byte (self);

      if (c == READ_ERROR)
        return fail_read (self, error);

      if (G_UNLIKELY (c == '\0'))
        {
          g_set_error_literal (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_SYNTAX,
                               "a NUL byte, which a text file does not have; save the file as "
                               "CSV in UTF-8");
          self->record_line = self->line;
          self->skip_line = TRUE;
          reset_record (self);
          return FALSE;
        }

      if (G_UNLIKELY (self->data->len > ASSAY_CSV_MAX_RECORD))
        {
          g_set_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_TOO_LONG,
                       "the record is longer than %d KiB; is a quote left open?",
                       ASSAY_CSV_MAX_RECORD / 1024);
          self->done = TRUE;
          reset_record (self);
          return FALSE;
        }

      switch (state)
        {
        case START_FIELD:
          if (c == '"')
            {
              state = QUOTED;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case UNQUOTED:
          if (c == ',')
            {
              end_field (self);
              start_field (self);
              state = START_FIELD;
            }
          else if (c == '\r' || c == '\n' || c == END_OF_INPUT)
            {
              end_field (self);
              finish_record (self);
              return TRUE;
            }
          else
            {
              g_string_append_c (self->data, (char) c);
              state = UNQUOTED;
            }
          break;

        case QUOTED:
          if (c == '"')
            state = QUOTE_IN_QUOTED;
          else if (c == END_OF_INPUT)
            {
              guint64 opened = g_array_index (self->field_lines, guint64,
                                              self->field_lines->len - 1);

              g_set_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_SYNTAX,
                           "the quoted field that starts here has no closing quote");
              self->record_line = opened;
              self->done = TRUE;
              reset_record (self);
              return FALSE;
            }
          else
            g_string_append_c (self->data, (char) c);
          break;

        case QUOTE_IN_QUOTED:
          if (c == '"')
            {
              g_string_append_c (self->data, '"');
              state = QUOTED;
            }
          else if (c == ',')
            {
              end_field (self);
              start_field (self);
              state = START_FIELD;
            }
          else if (c == '\r' || c == '\n' || c == END_OF_INPUT)
            {
              end_field (self);
              finish_record (self);
              return TRUE;
            }
          else
            {
              g_autofree char *what = describe_byte (c);

              g_set_error (error, ASSAY_CSV_ERROR, ASSAY_CSV_ERROR_SYNTAX,
                           "%s after the closing quote of field %u; a quote inside a quoted "
                           "field must be doubled (\"\")", what, self->offsets->len);
              self->record_line = self->line;
              self->skip_line = TRUE;
              reset_record (self);
              return FALSE;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

guint
assay_csv_reader_get_n_fields (AssayCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->fields->len - 1;
}

const char *const *
assay_csv_reader_get_fields (AssayCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char *const *) self->fields->pdata;
}

guint64
assay_csv_reader_get_line (AssayCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->record_line;
}

guint64
assay_csv_reader_get_field_line (AssayCsvReader *self,
                                 guint           index)
{
  g_return_val_if_fail (self != NULL, 0);
  if (index >= self->field_lines->len)
    return self->record_line;
  return g_array_index (self->field_lines, guint64, index);
}

gboolean
assay_csv_field_needs_quotes (const char *field)
{
  gsize len;

  if (field == NULL || *field == '\0')
    return FALSE;
  if (strpbrk (field, ",\"\r\n") != NULL)
    return TRUE;
  len = strlen (field);
  return field[0] == ' ' || field[0] == '\t' || field[len - 1] == ' ' || field[len - 1] == '\t';
}

void
assay_csv_append_field (GString    *out,
                        const char *field,
                        gboolean    first)
{
  g_return_if_fail (out != NULL);

  if (!first)
    g_string_append_c (out, ',');
  if (field == NULL)
    return;
  if (!assay_csv_field_needs_quotes (field))
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
assay_csv_end_record (GString *out)
{
  g_return_if_fail (out != NULL);
  g_string_append (out, "\r\n");
}
