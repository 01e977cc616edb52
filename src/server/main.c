/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "assay-central.h"
#include "assay-central-auth.h"
#include "assay-central-seed.h"
#include "assay-central-sync.h"
#include "demo/assay-demo.h"

#define USAGE \
  "Usage: assay-central --data DIR [--db postgresql://...] COMMAND ...\n" \
  "\n" \
  "The reference central service of Assay (docs/sync-protocol.md).\n" \
  "\n" \
  "Commands:\n" \
  "  init                                   make a new central database in DIR (or in the\n" \
  "                                         PostgreSQL database of --db / ASSAY_CENTRAL_DB)\n" \
  "  migrate                                bring a PostgreSQL database's schema up to date\n" \
  "  seed [--interactions N] [--days N] [--seed N] [--recordings DIR] [--forms DIR]\n" \
  "                                         write the demo centre and one account per role\n" \
  "                                         (logins inspector, lead, manager, agent, admin)\n" \
  "  import FILE.csv [--recordings DIR]     import contacts (the CSV of 'assayctl import')\n" \
  "  user add LOGIN --name NAME --role ROLE[,ROLE] [--agent CODE]\n" \
  "                                         roles: inspector, lead, manager, agent, admin\n" \
  "  user password LOGIN                    set the password read from standard input\n" \
  "  token create LOGIN [--label TEXT]      print a new bearer token for LOGIN\n" \
  "  token revoke TOKEN|LOGIN               revoke one token, or every token of LOGIN\n" \
  "  serve --listen HOST:PORT [--tls-cert FILE --tls-key FILE]\n" \
  "                                         serve (port 0 picks a free port); the first line\n" \
  "                                         printed is 'listening on http(s)://HOST:PORT'\n" \
  "  dump COLLECTION                        every object as canonical JSON, one a line, by id\n" \
  "  compact                                forget deletions; older cursors get 410\n" \
  "  demo --listen HOST:PORT                init, seed and serve in a temporary folder and\n" \
  "                                         print each demo account's token\n"

static void
say_error (const char *format,
           ...) G_GNUC_PRINTF (1, 2);

static void
say_error (const char *format,
           ...)
{
  va_list args;

  fputs ("assay-central: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
}

static int
fail_with (GError *error)
{
  say_error ("%s", error->message);
  g_error_free (error);
  return 1;
}

/* parses "--name VALUE" options out of @argv (from @first); unknown ones are an error */
static gboolean
parse_options (int          argc,
               char       **argv,
               int          first,
               const char  *const *names,
               const char **values,
               GPtrArray   *positional)
{
  for (int i = first; i < argc; i++)
    {
      gboolean matched = FALSE;

      if (g_str_has_prefix (argv[i], "--"))
        {
          for (guint n = 0; names[n] != NULL; n++)
            if (strcmp (argv[i] + 2, names[n]) == 0)
              {
                if (i + 1 >= argc)
                  {
                    say_error ("%s needs a value (see 'assay-central --help')", argv[i]);
                    return FALSE;
                  }
                values[n] = argv[++i];
                matched = TRUE;
                break;
              }
          if (!matched)
            {
              say_error ("unknown option %s (see 'assay-central --help')", argv[i]);
              return FALSE;
            }
        }
      else
        g_ptr_array_add (positional, argv[i]);
    }
  return TRUE;
}

static AssayCentralStorage *
open_storage (const char *dir)
{
  GError *error = NULL;
  AssayCentralStorage *storage = assay_central_storage_open (dir, FALSE, &error);

  if (storage == NULL)
    fail_with (error);
  return storage;
}

static int
cmd_init (const char *dir,
          gboolean    quiet)
{
  g_autoptr(AssayCentralStorage) storage = NULL;
  GError *error = NULL;
  guint8 key[32];
  g_autofree char *key_text = NULL;

  storage = assay_central_storage_open (dir, TRUE, &error);
  if (storage == NULL)
    return fail_with (error);
  if (!assay_central_random_bytes (key, sizeof key, &error))
    return fail_with (error);
  key_text = assay_central_base64url (key, sizeof key);
  if (!storage->vtable->begin (storage, &error)
      || !storage->vtable->set_meta (storage, "cursor_key", key_text, &error)
      || !storage->vtable->commit (storage, &error))
    return fail_with (error);
  if (!quiet)
    printf ("Made a new central database in %s\n", dir);
  return 0;
}

static char *
demo_dir (const char *name)
{
  const char *dir = g_getenv ("ASSAY_DEMO_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, name, NULL);
  return g_build_filename (PKGDATADIR, "demo", name, NULL);
}

static gboolean
parse_count (const char *option,
             const char *text,
             guint64     min,
             guint64     max,
             guint64    *out)
{
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      say_error ("%s wants a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                 ", not '%s'", option, min, max, text);
      return FALSE;
    }
  return TRUE;
}

static int
do_seed (AssayCentralStorage *storage,
         const char          *interactions,
         const char          *days,
         const char          *seed,
         const char          *recordings,
         const char          *forms,
         gboolean             quiet)
{
  AssayCentralSeedOptions options = { 0 };
  AssayCentralSeedSummary summary;
  g_autofree char *default_recordings = NULL;
  g_autofree char *default_forms = NULL;
  guint64 n_interactions = 5000, n_days = 30, seed_value = ASSAY_DEMO_DEFAULT_SEED;
  GError *error = NULL;

  if (!parse_count ("--interactions", interactions, 0, 10000000, &n_interactions)
      || !parse_count ("--days", days, 1, ASSAY_DEMO_MAX_DAYS, &n_days)
      || !parse_count ("--seed", seed, 0, G_MAXUINT32, &seed_value))
    return 2;
  if (recordings == NULL)
    recordings = default_recordings = demo_dir ("recordings");
  if (forms == NULL)
    forms = default_forms = demo_dir ("forms");
  if (!g_file_test (recordings, G_FILE_TEST_IS_DIR))
    {
      say_error ("no demo recordings in %s, so the demo has none (build them with ninja, or "
                 "pass --recordings DIR)", recordings);
      recordings = NULL;
    }
  if (!g_file_test (forms, G_FILE_TEST_IS_DIR))
    {
      say_error ("no demo scorecards in %s, so the demo has no QA work (pass --forms DIR)",
                 forms);
      forms = NULL;
    }
  options.n_interactions = (guint) n_interactions;
  options.n_days = (guint) n_days;
  options.seed = (guint32) seed_value;
  options.recordings_dir = recordings;
  options.forms_dir = forms;
  if (!assay_central_seed (storage, &options, &summary, &error))
    return fail_with (error);
  if (!quiet)
    printf ("Seeded the demo centre: %u teams, %u agents, %u staff, %u interactions, "
            "%u recordings, %u scorecards, %u assignments, %u evaluations; accounts inspector, "
            "lead, manager, agent, admin\n", summary.n_teams, summary.n_agents, summary.n_staff,
            summary.n_interactions, summary.n_recordings, summary.n_forms,
            summary.n_assignments, summary.n_evaluations);
  return 0;
}

static int
cmd_seed (const char  *dir,
          int          argc,
          char       **argv)
{
  static const char *const names[] = { "interactions", "days", "seed", "recordings", "forms",
                                       NULL };
  const char *values[G_N_ELEMENTS (names)] = { NULL };
  g_autoptr(GPtrArray) positional = g_ptr_array_new ();
  g_autoptr(AssayCentralStorage) storage = NULL;

  if (!parse_options (argc, argv, 1, names, values, positional))
    return 2;
  if (positional->len > 0)
    {
      say_error ("seed takes options only");
      return 2;
    }
  storage = open_storage (dir);
  if (storage == NULL)
    return 1;
  return do_seed (storage, values[0], values[1], values[2], values[3], values[4], FALSE);
}

static int
cmd_import (const char  *dir,
            int          argc,
            char       **argv)
{
  static const char *const names[] = { "recordings", NULL };
  const char *values[1] = { NULL };
  g_autoptr(GPtrArray) positional = g_ptr_array_new ();
  g_autoptr(AssayCentralStorage) storage = NULL;
  AssayCentralImportSummary summary = { 0 };
  GError *error = NULL;

  if (!parse_options (argc, argv, 1, names, values, positional))
    return 2;
  if (positional->len != 1)
    {
      say_error ("import takes one CSV file: import FILE.csv [--recordings DIR]");
      return 2;
    }
  storage = open_storage (dir);
  if (storage == NULL)
    return 1;
  if (!assay_central_import (storage, g_ptr_array_index (positional, 0), values[0], &summary,
                             &error))
    {
      g_clear_pointer (&summary.problems, g_ptr_array_unref);
      return fail_with (error);
    }
  for (guint i = 0; i < summary.problems->len; i++)
    say_error ("%s", (const char *) g_ptr_array_index (summary.problems, i));
  printf ("Imported %u interactions (%u recordings); %u agents and %u teams added; %u problems\n",
          summary.n_interactions, summary.n_recordings, summary.n_agents, summary.n_teams,
          summary.problems->len);
  g_ptr_array_unref (summary.problems);
  return 0;
}

static int
cmd_user (const char  *dir,
          int          argc,
          char       **argv)
{
  static const char *const names[] = { "name", "role", "agent", NULL };
  const char *values[3] = { NULL };
  g_autoptr(GPtrArray) positional = g_ptr_array_new ();
  g_autoptr(AssayCentralStorage) storage = NULL;
  GError *error = NULL;

  if (!parse_options (argc, argv, 1, names, values, positional))
    return 2;
  if (positional->len != 2
      || (strcmp (g_ptr_array_index (positional, 0), "add") != 0
          && strcmp (g_ptr_array_index (positional, 0), "password") != 0))
    {
      say_error ("use 'user add LOGIN --name NAME --role ROLE[,ROLE] [--agent CODE]' or "
                 "'user password LOGIN'");
      return 2;
    }
  storage = open_storage (dir);
  if (storage == NULL)
    return 1;

  if (strcmp (g_ptr_array_index (positional, 0), "add") == 0)
    {
      const char *login = g_ptr_array_index (positional, 1);
      guint roles = 0;

      if (values[0] == NULL || values[1] == NULL)
        {
          say_error ("user add needs --name NAME and --role ROLE[,ROLE]");
          return 2;
        }
      if (!assay_roles_parse (values[1], &roles, &error))
        {
          say_error ("--role: %s", error->message);
          g_error_free (error);
          return 2;
        }
      if (!assay_central_add_user (storage, login, values[0], roles, values[2], NULL, &error))
        return fail_with (error);
      printf ("Account %s (%s) has the roles %s\n", login, values[0], values[1]);
      return 0;
    }
  else
    {
      const char *login = g_ptr_array_index (positional, 1);
      g_autoptr(AssayCentralUser) user = NULL;
      g_autofree char *hash = NULL;
      char line[1024];
      gsize len;
      int found;

      if (fgets (line, sizeof line, stdin) == NULL)
        {
          say_error ("give the password on standard input (one line)");
          return 2;
        }
      len = strlen (line);
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
      if (g_utf8_strlen (line, -1) < 8 || !g_utf8_validate (line, -1, NULL))
        {
          say_error ("a password has at least 8 characters (UTF-8)");
          return 2;
        }
      found = storage->vtable->get_user (storage, login, NULL, &user, &error);
      if (found < 0)
        return fail_with (error);
      if (found == 0)
        {
          say_error ("there is no account %s (add it with 'user add')", login);
          return 1;
        }
      hash = assay_central_password_hash (line, &error);
      memset (line, 0, sizeof line);
      if (hash == NULL)
        return fail_with (error);
      g_free (user->password);
      user->password = g_steal_pointer (&hash);
      if (!storage->vtable->begin (storage, &error)
          || !storage->vtable->put_user (storage, user, &error)
          || !storage->vtable->commit (storage, &error))
        return fail_with (error);
      printf ("Set the password of %s\n", login);
      return 0;
    }
}

static char *
create_token (AssayCentralStorage  *storage,
              const char           *login,
              const char           *label,
              GError              **error)
{
  g_autoptr(AssayCentralUser) user = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  int found = storage->vtable->get_user (storage, login, NULL, &user, error);

  if (found < 0)
    return NULL;
  if (found == 0)
    {
      g_set_error (error, ASSAY_CENTRAL_ERROR, ASSAY_CENTRAL_ERROR_NOT_FOUND,
                   "There is no account %s (add it with 'user add')", login);
      return NULL;
    }
  token = assay_central_token_new (error);
  if (token == NULL)
    return NULL;
  hash = assay_central_token_hash (token);
  if (!storage->vtable->begin (storage, error)
      || !storage->vtable->put_token (storage, hash, user->id, label, error)
      || !storage->vtable->commit (storage, error))
    {
      storage->vtable->rollback (storage);
      return NULL;
    }
  return g_steal_pointer (&token);
}

static int
cmd_token (const char  *dir,
           int          argc,
           char       **argv)
{
  static const char *const names[] = { "label", NULL };
  const char *values[1] = { NULL };
  g_autoptr(GPtrArray) positional = g_ptr_array_new ();
  g_autoptr(AssayCentralStorage) storage = NULL;
  GError *error = NULL;
  const char *what;

  if (!parse_options (argc, argv, 1, names, values, positional))
    return 2;
  if (positional->len != 2
      || (strcmp (g_ptr_array_index (positional, 0), "create") != 0
          && strcmp (g_ptr_array_index (positional, 0), "revoke") != 0))
    {
      say_error ("use 'token create LOGIN' or 'token revoke TOKEN|LOGIN'");
      return 2;
    }
  storage = open_storage (dir);
  if (storage == NULL)
    return 1;
  what = g_ptr_array_index (positional, 1);

  if (strcmp (g_ptr_array_index (positional, 0), "create") == 0)
    {
      g_autofree char *token = create_token (storage, what, values[0] ? values[0] : "cli",
                                             &error);

      if (token == NULL)
        return fail_with (error);
      printf ("%s\n", token);
      return 0;
    }
  else
    {
      g_autoptr(AssayCentralUser) user = NULL;
      int n;

      if (g_str_has_prefix (what, "ast_"))
        {
          g_autofree char *hash = assay_central_token_hash (what);

          n = storage->vtable->revoke_tokens (storage, hash, NULL, &error);
        }
      else
        {
          int found = storage->vtable->get_user (storage, what, NULL, &user, &error);

          if (found < 0)
            return fail_with (error);
          if (found == 0)
            {
              say_error ("%s is neither a token (ast_…) nor an account", what);
              return 1;
            }
          n = storage->vtable->revoke_tokens (storage, NULL, user->id, &error);
        }
      if (n < 0)
        return fail_with (error);
      if (n == 0)
        {
          say_error ("no live token matched %s", user != NULL ? what : "that token");
          return 1;
        }
      printf ("Revoked %d token%s\n", n, n == 1 ? "" : "s");
      return 0;
    }
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_listen (const char  *listen,
              char       **host,
              guint       *port)
{
  const char *colon = listen != NULL ? strrchr (listen, ':') : NULL;
  guint64 value;

  if (colon == NULL || colon == listen
      || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    {
      say_error ("--listen wants HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free one)");
      return FALSE;
    }
  *host = g_strndup (listen, (gsize) (colon - listen));
  if (**host == '[' && (*host)[strlen (*host) - 1] == ']')
    {
      char *inner = g_strndup (*host + 1, strlen (*host) - 2);

      g_free (*host);
      *host = inner;
    }
  *port = (guint) value;
  return TRUE;
}

/* serves until SIGINT or SIGTERM; @tokens are printed after the first line (demo) */
static int
serve (AssayCentralStorage *storage,
       const char          *listen,
       const char          *tls_cert,
       const char          *tls_key,
       GPtrArray           *tokens)
{
  g_autoptr(AssayCentral) central = assay_central_new (storage);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *host = NULL;
  g_autofree char *uri = NULL;
  GError *error = NULL;
  guint port;

  if (!parse_listen (listen, &host, &port))
    return 2;
  uri = assay_central_listen (central, host, port, tls_cert, tls_key, &error);
  if (uri == NULL)
    return fail_with (error);
  printf ("listening on %s\n", uri);
  for (guint i = 0; tokens != NULL && i < tokens->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (tokens, i));
  fflush (stdout);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}

static int
cmd_serve (const char  *dir,
           int          argc,
           char       **argv)
{
  static const char *const names[] = { "listen", "tls-cert", "tls-key", NULL };
  const char *values[3] = { NULL };
  g_autoptr(GPtrArray) positional = g_ptr_array_new ();
  g_autoptr(AssayCentralStorage) storage = NULL;

  if (!parse_options (argc, argv, 1, names, values, positional))
    return 2;
  if (values[0] == NULL || positional->len > 0)
    {
      say_error ("use 'serve --listen HOST:PORT [--tls-cert FILE --tls-key FILE]'");
      return 2;
    }
  if ((values[1] == NULL) != (values[2] == NULL))
    {
      say_error ("HTTPS needs both --tls-cert FILE and --tls-key FILE");
      return 2;
    }
  storage = open_storage (dir);
  if (storage == NULL)
    return 1;
  return serve (storage, values[0], values[1], values[2], NULL);
}

static int
cmd_dump (const char  *dir,
          int          argc,
          char       **argv)
{
  g_autoptr(AssayCentralStorage) storage = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GError *error = NULL;

  if (argc != 2)
    {
      say_error ("use 'dump COLLECTION'");
      return 2;
    }
  storage = open_storage (dir);
  if (storage == NULL)
    return 1;
  if (!assay_central_dump (storage, argv[1], out, &error))
    return fail_with (error);
  fwrite (out->str, 1, out->len, stdout);
  return 0;
}

static int
cmd_compact (const char *dir)
{
  g_autoptr(AssayCentralStorage) storage = open_storage (dir);
  GError *error = NULL;
  gint64 n = 0;

  if (storage == NULL)
    return 1;
  if (!assay_central_compact (storage, &n, &error))
    return fail_with (error);
  printf ("Forgot %" G_GINT64_FORMAT " deletions; cursors made before now will get 410\n", n);
  return 0;
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  return g_rmdir (path) == 0;
}

static int
cmd_demo (int    argc,
          char **argv)
{
  static const char *const names[] = { "listen", NULL };
  const char *values[1] = { NULL };
  static const char *const logins[] = { "inspector", "lead", "manager", "agent", "admin" };
  g_autoptr(GPtrArray) positional = g_ptr_array_new ();
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AssayCentralStorage) storage = NULL;
  g_autofree char *dir = NULL;
  GError *error = NULL;
  int rc;

  if (!parse_options (argc, argv, 1, names, values, positional))
    return 2;
  if (values[0] == NULL || positional->len > 0)
    {
      say_error ("use 'demo --listen HOST:PORT'");
      return 2;
    }
  dir = g_dir_make_tmp ("assay-central-XXXXXX", &error);
  if (dir == NULL)
    return fail_with (error);
  rc = cmd_init (dir, TRUE);
  if (rc == 0)
    {
      storage = open_storage (dir);
      rc = storage == NULL ? 1 : do_seed (storage, NULL, NULL, NULL, NULL, NULL, TRUE);
    }
  for (guint i = 0; rc == 0 && i < G_N_ELEMENTS (logins); i++)
    {
      g_autofree char *token = create_token (storage, logins[i], "demo", &error);

      if (token == NULL)
        {
          rc = fail_with (error);
          break;
        }
      g_ptr_array_add (tokens, g_strdup_printf ("token %s %s", logins[i], token));
    }
  if (rc == 0)
    {
      g_ptr_array_add (tokens, g_strdup_printf ("data in %s (removed on exit)", dir));
      rc = serve (storage, values[0], NULL, NULL, tokens);
    }
  g_clear_pointer (&storage, assay_central_storage_close);
  remove_tree (dir);
  return rc;
}

/* a --db (or ASSAY_CENTRAL_DB) that is not PostgreSQL's is a mistake, not SQLite */
static gboolean
check_db_url (void)
{
  const char *url = g_getenv ("ASSAY_CENTRAL_DB");

  if (url != NULL && *url != '\0' && assay_central_storage_pg_url () == NULL)
    {
      say_error ("--db (or ASSAY_CENTRAL_DB) takes a postgresql://USER@HOST:PORT/DATABASE "
                 "address, not '%s'; leave it out to use SQLite in the data folder", url);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_migrate (const char *dir)
{
  const char *url = assay_central_storage_pg_url ();
  GError *error = NULL;
  int from = 0, to;

  if (url == NULL)
    {
      say_error ("migrate is for PostgreSQL: pass --db postgresql://... (SQLite databases "
                 "need no migration in this version)");
      return 2;
    }
  to = assay_central_pg_migrate (dir, url, &from, &error);
  if (to < 0)
    return fail_with (error);
  if (from == to)
    printf ("The central database is at schema version %d already\n", to);
  else
    printf ("Migrated the central database from schema version %d to %d\n", from, to);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *dir = NULL;
  int i = 1;

  setvbuf (stdout, NULL, _IOLBF, 0);
  while (i < argc && g_str_has_prefix (argv[i], "--"))
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          fputs (USAGE, stdout);
          return 0;
        }
      if (strcmp (argv[i], "--version") == 0)
        {
          printf ("assay-central %s\n", ASSAY_VERSION);
          return 0;
        }
      if (strcmp (argv[i], "--data") == 0 && i + 1 < argc)
        {
          dir = argv[i + 1];
          i += 2;
          continue;
        }
      if (strcmp (argv[i], "--db") == 0 && i + 1 < argc)
        {
          g_setenv ("ASSAY_CENTRAL_DB", argv[i + 1], TRUE);
          i += 2;
          continue;
        }
      if (g_str_has_prefix (argv[i], "--data="))
        {
          dir = argv[i] + strlen ("--data=");
          i++;
          continue;
        }
      say_error ("unknown option %s\n%s", argv[i], USAGE);
      return 2;
    }
  if (i >= argc)
    {
      fputs (USAGE, stderr);
      return 2;
    }
  if (dir == NULL)
    dir = g_getenv ("ASSAY_CENTRAL_DATA");
  if (strcmp (argv[i], "demo") == 0)
    return cmd_demo (argc - i, argv + i);
  if (dir == NULL)
    {
      say_error ("say where the data lives: assay-central --data DIR %s ...", argv[i]);
      return 2;
    }
  if (!check_db_url ())
    return 2;
  if (strcmp (argv[i], "init") == 0)
    return cmd_init (dir, FALSE);
  if (strcmp (argv[i], "migrate") == 0)
    return cmd_migrate (dir);
  if (strcmp (argv[i], "seed") == 0)
    return cmd_seed (dir, argc - i, argv + i);
  if (strcmp (argv[i], "import") == 0)
    return cmd_import (dir, argc - i, argv + i);
  if (strcmp (argv[i], "user") == 0)
    return cmd_user (dir, argc - i, argv + i);
  if (strcmp (argv[i], "token") == 0)
    return cmd_token (dir, argc - i, argv + i);
  if (strcmp (argv[i], "serve") == 0)
    return cmd_serve (dir, argc - i, argv + i);
  if (strcmp (argv[i], "dump") == 0)
    return cmd_dump (dir, argc - i, argv + i);
  if (strcmp (argv[i], "compact") == 0)
    return cmd_compact (dir);
  say_error ("unknown command '%s'\n%s", argv[i], USAGE);
  return 2;
}
