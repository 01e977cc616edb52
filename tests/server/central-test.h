/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * Helpers for the server tests: the real assay-central program ($ASSAY_CENTRAL) run as a
 * subprocess on 127.0.0.1 port 0, and a small HTTP client on libsoup's async API. Every wait
 * iterates the main context with a deadline.
 */

#define CENTRAL_WAIT_S 30

/** central_run: runs `assay-central --data DIR ARGS...` to its end; returns its exit status. */
int          central_run          (const char  *data_dir,
                                   const char  *stdin_text,
                                   char       **out,
                                   char       **err,
                                   ...) G_GNUC_NULL_TERMINATED;

typedef struct {
  GSubprocess      *process;
  GDataInputStream *stdout_lines;
  char             *base;      /* "http://127.0.0.1:PORT" */
} CentralServer;

/** central_server_start: `assay-central --data DIR serve --listen 127.0.0.1:0 EXTRA...`. */
CentralServer *central_server_start (const char *data_dir,
                                     ...) G_GNUC_NULL_TERMINATED;
void           central_server_stop  (CentralServer *server);
/** central_demo_start: `assay-central demo --listen 127.0.0.1:0`. */
CentralServer *central_demo_start   (void);
/** central_server_read_line: the next line the server prints, or %NULL at its end. */
char          *central_server_read_line (CentralServer *server);

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *json;      /* the body parsed, when it is JSON */
  GError             *error;     /* a transport error (TLS, connection) */
} CentralReply;

void central_reply_free (CentralReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CentralReply, central_reply_free)

/**
 * central_request:
 * Sends one request on @session (a new default one when %NULL) and waits for the answer.
 * @headers: %NULL-terminated name, value pairs, or %NULL. @body may be %NULL.
 */
CentralReply *central_request     (SoupSession        *session,
                                   const char         *method,
                                   const char         *url,
                                   const char         *token,
                                   const char *const  *headers,
                                   const char         *body,
                                   gssize              body_len);

/** central_get_json: GET @base@path with @token, expecting @status; returns the JSON root. */
JsonNode     *central_get_json    (const char         *base,
                                   const char         *path,
                                   const char         *token,
                                   guint               status);

/** central_member_string: a string member of an object node (asserting it exists). */
const char   *central_member_string (JsonNode        *node,
                                     const char      *member);

/** central_new_dir: a new temporary folder (removed by central_remove_dir). */
char         *central_new_dir     (void);
void          central_remove_dir  (const char         *dir);

/*
 * The server-pg suite: run-with-pg.sh starts a throwaway PostgreSQL cluster and sets
 * ASSAY_TEST_PG to its address; then every central_new_dir() gets its own new database and
 * central_run/central_server_start pass it as --db. Without it, SQLite in the folder.
 */
const char   *central_pg_cluster  (void);
char         *central_pg_new_database (void);
/** central_db_url: the --db address of @data_dir, %NULL for SQLite. */
const char   *central_db_url      (const char         *data_dir);

/* Makes, with openssl in @dir: a test CA (ca.pem), a certificate it signed for 127.0.0.1
 * (server.pem, server.key) and a self-signed one (self.pem, self.key). */
void          central_make_certificates (const char *dir);

G_END_DECLS
