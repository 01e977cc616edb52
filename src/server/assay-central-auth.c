/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <gio/gio.h>
#include <nettle/pbkdf2.h>

#include "assay-central-auth.h"

#define SALT_BYTES 16
#define HASH_BYTES 32

gboolean
assay_central_random_bytes (guint8  *buf,
                            gsize    len,
                            GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot read random bytes: %s", g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

char *
assay_central_base64url (const guint8 *data,
                         gsize         len)
{
  char *text = g_base64_encode (data, len);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

char *
assay_central_password_hash (const char  *password,
                             GError     **error)
{
  guint8 salt[SALT_BYTES], hash[HASH_BYTES];
  g_autofree char *salt_text = NULL;
  g_autofree char *hash_text = NULL;

  if (!assay_central_random_bytes (salt, sizeof salt, error))
    return NULL;
  pbkdf2_hmac_sha256 (strlen (password), (const guint8 *) password,
                      ASSAY_CENTRAL_PBKDF2_ITERATIONS, sizeof salt, salt, sizeof hash, hash);
  salt_text = g_base64_encode (salt, sizeof salt);
  hash_text = g_base64_encode (hash, sizeof hash);
  return g_strdup_printf ("pbkdf2-sha256$%u$%s$%s", ASSAY_CENTRAL_PBKDF2_ITERATIONS, salt_text,
                          hash_text);
}

gboolean
assay_central_password_verify (const char *password,
                               const char *stored)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *expected = NULL;
  guint8 hash[HASH_BYTES];
  gsize salt_len = 0, expected_len = 0;
  guint64 iterations;
  guint8 diff = 0;

  if (password == NULL || stored == NULL)
    return FALSE;
  parts = g_strsplit (stored, "$", -1);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], "pbkdf2-sha256") != 0
      || !g_ascii_string_to_unsigned (parts[1], 10, 1000, 10000000, &iterations, NULL))
    return FALSE;
  salt = g_base64_decode (parts[2], &salt_len);
  expected = g_base64_decode (parts[3], &expected_len);
  if (salt_len == 0 || expected_len != HASH_BYTES)
    return FALSE;
  pbkdf2_hmac_sha256 (strlen (password), (const guint8 *) password, (unsigned) iterations,
                      salt_len, salt, sizeof hash, hash);
  for (guint i = 0; i < HASH_BYTES; i++)
    diff |= hash[i] ^ expected[i];
  return diff == 0;
}

char *
assay_central_token_new (GError **error)
{
  guint8 bytes[32];
  g_autofree char *text = NULL;

  if (!assay_central_random_bytes (bytes, sizeof bytes, error))
    return NULL;
  text = assay_central_base64url (bytes, sizeof bytes);
  return g_strconcat ("ast_", text, NULL);
}

char *
assay_central_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
assay_central_new_uuid (void)
{
  guint8 b[16];

  if (!assay_central_random_bytes (b, sizeof b, NULL))
    return g_uuid_string_random ();
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6],
                          b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
assay_central_hmac (const char *key,
                    const char *text)
{
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key),
                                    text, -1);
}
