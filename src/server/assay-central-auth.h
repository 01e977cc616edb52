/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* passwords: PBKDF2-HMAC-SHA256 from nettle, 16 random bytes of salt */
#define ASSAY_CENTRAL_PBKDF2_ITERATIONS 200000

/** assay_central_random_bytes: fills @buf from the kernel's random source. */
gboolean assay_central_random_bytes     (guint8      *buf,
                                         gsize        len,
                                         GError     **error);
/** assay_central_password_hash: "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>". */
char    *assay_central_password_hash    (const char  *password,
                                         GError     **error);
/** assay_central_password_verify: whether @password matches @stored (constant time compare). */
gboolean assay_central_password_verify  (const char  *password,
                                         const char  *stored);
/** assay_central_token_new: a new bearer token, "ast_" and 43 base64url characters. */
char    *assay_central_token_new        (GError     **error);
/** assay_central_token_hash: the SHA-256 (hex) of @token, which is all the server keeps. */
char    *assay_central_token_hash       (const char  *token);
/** assay_central_new_uuid: a random (version 4) UUID. */
char    *assay_central_new_uuid         (void);
/** assay_central_hmac: HMAC-SHA256 of @text under @key, hex. */
char    *assay_central_hmac             (const char  *key,
                                         const char  *text);
/** assay_central_base64url: @data in unpadded base64url. */
char    *assay_central_base64url        (const guint8 *data,
                                         gsize         len);

G_END_DECLS
