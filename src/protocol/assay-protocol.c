/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-protocol.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

/*
 * Every JSON document Assay reads comes through assay_protocol_parse_json(). json-glib 1.6 has
 * no size or depth limit (a document nested 100 000 deep overflows its recursive parser's
 * stack), silently keeps the last of two members with the same key, and reads 1e400 as
 * infinity. So a scanner walks the text first, in one pass and without recursion, and only a
 * document it accepts is handed to json-glib. The scanner is a full RFC 8259 recogniser, so
 * "accepted" means the same thing whichever file format is read.
 */

G_DEFINE_QUARK (assay-protocol-error-quark, assay_protocol_error)

/* objects with up to this many keys compare them one by one; larger ones use a hash table */
#define SMALL_KEYS 8

typedef struct
{
  gboolean    is_object;
  guint       index;   /* the element (array) or member (object) being read */
  const char *key;     /* objects: the member being read, owned by @small or @keys */
  guint       n_small;
  char       *small[SMALL_KEYS]; /* objects: the first keys, unescaped */
  GHashTable *keys;    /* objects: every key, unescaped, once there are more */
} Frame;

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  Frame      *stack;
  guint       depth;
  guint       max_depth;
  GString    *key;
} Scanner;

static void
position (const Scanner *s,
          gsize          pos,
          guint         *line,
          guint         *column)
{
  gsize line_start = 0;

  *line = 1;
  for (gsize i = 0; i < pos && i < s->len; i++)
    if (s->data[i] == '\n')
      {
        (*line)++;
        line_start = i + 1;
      }
  /* columns in characters; the text before @pos was checked as UTF-8 */
  *column = 1 + (guint) g_utf8_strlen (s->data + line_start, (gssize) (MIN (pos, s->len) - line_start));
}

static char *
path_of (const Scanner *s)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < s->depth; i++)
    {
      const Frame *f = &s->stack[i];

      if (f->is_object)
        {
          if (f->key == NULL)
            break;
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append (path, f->key);
        }
      else
        g_string_append_printf (path, "[%u]", f->index);
    }
  return g_string_free (path, FALSE);
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (const Scanner  *s,
      GError        **error,
      int             code,
      gsize           pos,
      const char     *format,
      ...)
{
  g_autofree char *what = NULL;
  g_autofree char *path = path_of (s);
  guint line, column;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  position (s, pos, &line, &column);
  /* a path 64 levels deep says nothing more than its two ends */
  if (g_utf8_strlen (path, -1) > 72)
    {
      g_autofree char *head = g_utf8_substring (path, 0, 24);
      g_autofree char *tail = g_utf8_substring (path, g_utf8_strlen (path, -1) - 39,
                                                g_utf8_strlen (path, -1));

      g_free (path);
      path = g_strconcat (head, "…", tail, NULL);
    }
  g_set_error (error, ASSAY_PROTOCOL_ERROR, code, "%s%s%s (line %u, column %u)",
               path, *path != '\0' ? ": " : "", what, line, column);
  return FALSE;
}

static gboolean
truncated (const Scanner  *s,
           GError        **error)
{
  return fail (s, error, ASSAY_PROTOCOL_ERROR_SYNTAX, s->len,
               "the document ends too early: it is truncated");
}

static gboolean
unexpected (const Scanner  *s,
            const char     *expected,
            GError        **error)
{
  guchar c;

  if (s->pos >= s->len)
    return truncated (s, error);
  c = (guchar) s->data[s->pos];
  if (c >= 0x21 && c < 0x7f)
    return fail (s, error, ASSAY_PROTOCOL_ERROR_SYNTAX, s->pos, "expected %s, found '%c'",
                 expected, c);
  return fail (s, error, ASSAY_PROTOCOL_ERROR_SYNTAX, s->pos, "expected %s", expected);
}

static void
skip_space (Scanner *s)
{
  while (s->pos < s->len)
    {
      char c = s->data[s->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      s->pos++;
    }
}

static int
hex4 (const Scanner *s,
      gsize          at)
{
  int value = 0;

  if (at + 4 > s->len)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (s->data[at + i]);

      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

/* Reads a string at s->pos (on its opening quote); with @out, the unescaped text goes there. */
static gboolean
scan_string (Scanner  *s,
             GString  *out,
             GError  **error)
{
  s->pos++;
  for (;;)
    {
      guchar c;

      if (s->pos >= s->len)
        return truncated (s, error);
      c = (guchar) s->data[s->pos];
      if (c == '"')
        {
          s->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, error, ASSAY_PROTOCOL_ERROR_SYNTAX, s->pos,
                     "a control character inside a string must be escaped");
      if (c != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, (char) c);
          s->pos++;
          continue;
        }
      if (s->pos + 1 >= s->len)
        return truncated (s, error);
      c = (guchar) s->data[s->pos + 1];
      if (c == 'u')
        {
          gsize at = s->pos;
          int unit = hex4 (s, s->pos + 2);
          gunichar ch;

          if (unit < 0)
            return s->pos + 6 > s->len ? truncated (s, error)
                                       : fail (s, error, ASSAY_PROTOCOL_ERROR_SYNTAX, at,
                                               "\\u must be followed by four hex digits");
          s->pos += 6;
          if (unit == 0)
            return fail (s, error, ASSAY_PROTOCOL_ERROR_ENCODING, at,
                         "a string holds a NUL character (\\u0000)");
          if (unit >= 0xdc00 && unit <= 0xdfff)
            return fail (s, error, ASSAY_PROTOCOL_ERROR_ENCODING, at,
                         "a string holds a lone surrogate (\\u%04x)", (guint) unit);
          ch = (gunichar) unit;
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              int low = -1;

              if (s->pos + 1 < s->len && s->data[s->pos] == '\\' && s->data[s->pos + 1] == 'u')
                low = hex4 (s, s->pos + 2);
              if (low < 0xdc00 || low > 0xdfff)
                return fail (s, error, ASSAY_PROTOCOL_ERROR_ENCODING, at,
                             "a string holds a lone surrogate (\\u%04x)", (guint) unit);
              s->pos += 6;
              ch = 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
            }
          if (out != NULL)
            g_string_append_unichar (out, ch);
          continue;
        }
      if (out != NULL)
        {
          switch (c)
            {
            case '"': case '\\': case '/':
              g_string_append_c (out, (char) c);
              break;
            case 'b': g_string_append_c (out, '\b'); break;
            case 'f': g_string_append_c (out, '\f'); break;
            case 'n': g_string_append_c (out, '\n'); break;
            case 'r': g_string_append_c (out, '\r'); break;
            case 't': g_string_append_c (out, '\t'); break;
            default: break;
            }
        }
      if (strchr ("\"\\/bfnrt", c) == NULL || c == '\0')
        return fail (s, error, ASSAY_PROTOCOL_ERROR_SYNTAX, s->pos, "unknown escape in a string");
      s->pos += 2;
    }
}

static gboolean
digits (Scanner *s)
{
  gsize start = s->pos;

  while (s->pos < s->len && g_ascii_isdigit (s->data[s->pos]))
    s->pos++;
  return s->pos > start;
}

static gboolean
scan_number (Scanner  *s,
             GError  **error)
{
  gsize start = s->pos;
  gboolean whole = TRUE, too_large;
  char buffer[64];
  char *text;
  gsize n;

  if (s->data[s->pos] == '-')
    s->pos++;
  if (s->pos >= s->len)
    return truncated (s, error);
  if (s->data[s->pos] == '0')
    s->pos++;
  else if (!digits (s))
    return unexpected (s, "a digit", error);
  if (s->pos < s->len && s->data[s->pos] == '.')
    {
      whole = FALSE;
      s->pos++;
      if (!digits (s))
        return unexpected (s, "a digit after the decimal point", error);
    }
  if (s->pos < s->len && (s->data[s->pos] == 'e' || s->data[s->pos] == 'E'))
    {
      whole = FALSE;
      s->pos++;
      if (s->pos < s->len && (s->data[s->pos] == '+' || s->data[s->pos] == '-'))
        s->pos++;
      if (!digits (s))
        return unexpected (s, "a digit in the exponent", error);
    }

  n = s->pos - start;
  /* most numbers are short: read them from a copy on the stack */
  text = n < sizeof buffer ? memcpy (buffer, s->data + start, n) : g_malloc (n + 1);
  if (text != buffer)
    memcpy (text, s->data + start, n);
  text[n] = '\0';
  if (whole)
    {
      /* json-glib reads a whole number as a 64-bit integer: it must fit */
      errno = 0;
      g_ascii_strtoll (text, NULL, 10);
      too_large = errno == ERANGE || n > 20;
    }
  else
    too_large = !isfinite (g_ascii_strtod (text, NULL));
  if (too_large)
    {
      g_autofree char *shown = n > 24 ? g_strdup_printf ("%.20s…", text) : g_strdup (text);

      if (text != buffer)
        g_free (text);
      if (whole)
        return fail (s, error, ASSAY_PROTOCOL_ERROR_NUMBER, start,
                     "the whole number %s is too large (at most %" G_GINT64_FORMAT " either way)",
                     shown, G_MAXINT64);
      return fail (s, error, ASSAY_PROTOCOL_ERROR_NUMBER, start, "the number %s is too large",
                   shown);
    }
  if (text != buffer)
    g_free (text);
  return TRUE;
}

static gboolean
push (Scanner   *s,
      gboolean   is_object,
      GError   **error)
{
  if (s->depth >= s->max_depth)
    return fail (s, error, ASSAY_PROTOCOL_ERROR_TOO_DEEP, s->pos,
                 "arrays and objects are nested deeper than %u levels", s->max_depth);
  s->stack[s->depth] = (Frame) { .is_object = is_object };
  s->depth++;
  s->pos++;
  return TRUE;
}

static void
frame_clear (Frame *f)
{
  for (guint i = 0; i < f->n_small; i++)
    g_free (f->small[i]);
  f->n_small = 0;
  g_clear_pointer (&f->keys, g_hash_table_unref);
  f->key = NULL;
}

static void
pop (Scanner *s)
{
  frame_clear (&s->stack[--s->depth]);
  s->pos++;
}

/* Adds the key in s->key to @f; returns the stored copy, or %NULL when @f has it already
 * (then *@existing is that copy). */
static const char *
add_key (Scanner     *s,
         Frame       *f,
         const char **existing)
{
  char *key;

  if (f->keys == NULL)
    {
      for (guint i = 0; i < f->n_small; i++)
        if (strcmp (f->small[i], s->key->str) == 0)
          {
            *existing = f->small[i];
            return NULL;
          }
      if (f->n_small < SMALL_KEYS)
        {
          f->small[f->n_small] = g_strndup (s->key->str, s->key->len);
          return f->small[f->n_small++];
        }
      f->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < f->n_small; i++)
        g_hash_table_add (f->keys, f->small[i]);
      f->n_small = 0;
    }
  if (g_hash_table_lookup_extended (f->keys, s->key->str, (gpointer *) existing, NULL))
    return NULL;
  key = g_strndup (s->key->str, s->key->len);
  g_hash_table_add (f->keys, key);
  return key;
}

static gboolean
scan_key (Scanner  *s,
          GError  **error)
{
  Frame *f = &s->stack[s->depth - 1];
  const char *existing = NULL;
  const char *key;
  gsize at;

  f->key = NULL;
  skip_space (s);
  if (s->pos >= s->len || s->data[s->pos] != '"')
    return unexpected (s, "a key in quotes", error);
  at = s->pos;
  g_string_truncate (s->key, 0);
  if (!scan_string (s, s->key, error))
    return FALSE;
  key = add_key (s, f, &existing);
  if (key == NULL)
    {
      f->key = existing;
      return fail (s, error, ASSAY_PROTOCOL_ERROR_DUPLICATE_KEY, at,
                   "the key \"%s\" appears twice in one object", s->key->str);
    }
  f->key = key;
  skip_space (s);
  if (s->pos >= s->len || s->data[s->pos] != ':')
    return unexpected (s, "':' after the key", error);
  s->pos++;
  return TRUE;
}

static gboolean
scan (Scanner  *s,
      GError  **error)
{
  enum { VALUE, AFTER } state = VALUE;

  for (;;)
    {
      skip_space (s);
      if (state == VALUE)
        {
          char c;

          if (s->pos >= s->len)
            return truncated (s, error);
          c = s->data[s->pos];
          state = AFTER;
          if (c == '{')
            {
              if (!push (s, TRUE, error))
                return FALSE;
              skip_space (s);
              if (s->pos < s->len && s->data[s->pos] == '}')
                pop (s);
              else if (!scan_key (s, error))
                return FALSE;
              else
                state = VALUE;
            }
          else if (c == '[')
            {
              if (!push (s, FALSE, error))
                return FALSE;
              skip_space (s);
              if (s->pos < s->len && s->data[s->pos] == ']')
                pop (s);
              else
                state = VALUE;
            }
          else if (c == '"')
            {
              if (!scan_string (s, NULL, error))
                return FALSE;
            }
          else if (c == '-' || g_ascii_isdigit (c))
            {
              if (!scan_number (s, error))
                return FALSE;
            }
          else
            {
              static const char * const literals[] = { "true", "false", "null" };
              gboolean found = FALSE;

              for (guint i = 0; i < G_N_ELEMENTS (literals) && !found; i++)
                {
                  gsize n = strlen (literals[i]);

                  if (s->len - s->pos >= n && memcmp (s->data + s->pos, literals[i], n) == 0)
                    {
                      s->pos += n;
                      found = TRUE;
                    }
                }
              if (!found)
                return unexpected (s, "a value", error);
            }
          continue;
        }

      /* after a value */
      if (s->depth == 0)
        {
          if (s->pos < s->len)
            return fail (s, error, ASSAY_PROTOCOL_ERROR_SYNTAX, s->pos,
                         "there is more text after the end of the document");
          return TRUE;
        }
      else
        {
          Frame *f = &s->stack[s->depth - 1];
          char close = f->is_object ? '}' : ']';

          if (s->pos >= s->len)
            return truncated (s, error);
          if (s->data[s->pos] == ',')
            {
              s->pos++;
              f->index++;
              if (f->is_object && !scan_key (s, error))
                return FALSE;
              state = VALUE;
            }
          else if (s->data[s->pos] == close)
            pop (s);
          else
            return unexpected (s, f->is_object ? "',' or '}'" : "',' or ']'", error);
        }
    }
}

JsonNode *
assay_protocol_parse_json (const char             *data,
                           gssize                  length,
                           const AssayJsonLimits  *limits,
                           GError                **error)
{
  gsize max_bytes = limits != NULL && limits->max_bytes > 0 ? limits->max_bytes
                                                            : ASSAY_JSON_MAX_BYTES;
  guint max_depth = limits != NULL && limits->max_depth > 0 ? limits->max_depth
                                                            : ASSAY_JSON_MAX_DEPTH;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  Scanner s = { 0 };
  const char *end = NULL;
  const char *nul;
  gboolean ok;
  gsize len;

  g_return_val_if_fail (data != NULL, NULL);

  len = length < 0 ? strnlen (data, max_bytes + 1) : (gsize) length;
  if (len > max_bytes)
    {
      if (length < 0)
        g_set_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_TOO_LARGE,
                     "the document is larger than the %" G_GSIZE_FORMAT " bytes Assay reads",
                     max_bytes);
      else
        g_set_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_TOO_LARGE,
                     "the document is %" G_GSIZE_FORMAT " bytes, more than the %"
                     G_GSIZE_FORMAT " bytes Assay reads", len, max_bytes);
      return NULL;
    }

  s.data = data;
  s.len = len;
  nul = memchr (data, '\0', len);
  if (nul != NULL)
    {
      s.len = (gsize) (nul - data);
      fail (&s, error, ASSAY_PROTOCOL_ERROR_ENCODING, s.len,
            "the text holds a NUL byte (byte %" G_GSIZE_FORMAT ")", s.len);
      return NULL;
    }
  if (!g_utf8_validate (data, (gssize) len, &end))
    {
      s.len = (gsize) (end - data);
      fail (&s, error, ASSAY_PROTOCOL_ERROR_ENCODING, s.len,
            "the text is not valid UTF-8 (byte %" G_GSIZE_FORMAT ")", s.len);
      return NULL;
    }

  /* a byte order mark is allowed before the text (RFC 8259, 8.1) */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      len -= 3;
      s.data = data;
      s.len = len;
    }
  skip_space (&s);
  if (s.pos >= s.len)
    {
      g_set_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_EMPTY,
                   "the document is empty");
      return NULL;
    }

  s.max_depth = max_depth;
  s.stack = g_new0 (Frame, max_depth);
  s.key = g_string_new (NULL);
  ok = scan (&s, error);
  while (s.depth > 0)
    frame_clear (&s.stack[--s.depth]);
  g_free (s.stack);
  g_string_free (s.key, TRUE);
  if (!ok)
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_SYNTAX, "%s", local->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_EMPTY,
                   "the document is empty");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

char *
assay_protocol_load_file (const char             *path,
                          const AssayJsonLimits  *limits,
                          gsize                  *length,
                          GError                **error)
{
  gsize max_bytes = limits != NULL && limits->max_bytes > 0 ? limits->max_bytes
                                                            : ASSAY_JSON_MAX_BYTES;
  GStatBuf st;
  char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  /* refuse a huge regular file before reading it; a pipe is checked once read */
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && (guint64) st.st_size > max_bytes)
    {
      g_set_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_TOO_LARGE,
                   "the file is %" G_GUINT64_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
                   " bytes Assay reads", (guint64) st.st_size, max_bytes);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (len > max_bytes)
    {
      g_free (data);
      g_set_error (error, ASSAY_PROTOCOL_ERROR, ASSAY_PROTOCOL_ERROR_TOO_LARGE,
                   "the file is %" G_GSIZE_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
                   " bytes Assay reads", len, max_bytes);
      return NULL;
    }
  if (length != NULL)
    *length = len;
  return data;
}

char *
assay_protocol_to_string (JsonNode *node,
                          gboolean  pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, pretty);
  json_generator_set_indent (gen, 2);
  return json_generator_to_data (gen, NULL);
}
