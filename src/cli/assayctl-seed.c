/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "assayctl.h"
#include "demo/assay-demo.h"
#include "store/assay-store.h"
#include "store/assay-store-seed.h"
#include "store/assay-store-work.h"

/* the --help text names the default seed */
G_STATIC_ASSERT (ASSAY_DEMO_DEFAULT_SEED == 20240611u);

static gboolean
parse_number (const char *option,
              const char *text,
              guint64     min,
              guint64     max,
              guint64    *out)
{
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      assayctl_error ("%s wants a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                      ", not '%s'", option, min, max, text);
      return FALSE;
    }
  return TRUE;
}

/* a folder of the demo data: $ASSAY_DEMO_DIR/NAME (the build tree), else the installed one */
static char *
default_demo_dir (const char *name)
{
  const char *demo_dir = g_getenv ("ASSAY_DEMO_DIR");

  if (demo_dir != NULL && *demo_dir != '\0')
    return g_build_filename (demo_dir, name, NULL);
  return g_build_filename (PKGDATADIR, "demo", name, NULL);
}

/* Removes the database and its journal files, so that the seed starts from an empty database
 * (the append-only triggers are never lifted to empty one). */
static gboolean
remove_database (const char  *database,
                 GError     **error)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (database, suffixes[i], NULL);

      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "cannot remove %s to seed it again: %s", path, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

/* Marks the freshly seeded (and analysed) database as the demo, so that a later --force knows
 * it replaces nothing else. */
static int
mark_demo (const char *database)
{
  g_autoptr(AssayStore) store = assay_store_new (database);
  g_autoptr(GError) error = NULL;

  if (!assay_store_open_sync (store, &error) || !assay_store_mark_demo_sync (store, &error))
    {
      assayctl_error ("warning: the demo could not be marked as such, so 'seed --force' will "
                      "refuse to replace it: %s", error->message);
      return 1;
    }
  assay_store_close (store);
  return 0;
}

static char *
format_day (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
}

int
assayctl_seed (int          argc,
               char       **argv,
               const char  *database)
{
  g_autofree char *interactions_text = NULL;
  g_autofree char *evaluations_text = NULL;
  g_autofree char *days_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *recordings = NULL;
  g_autofree char *forms = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  gboolean force = FALSE;
  gboolean no_conversations = FALSE;
  g_autofree char *work_text = NULL;
  AssayWorkKind work;
  const GOptionEntry entries[] = {
    { "interactions", 0, 0, G_OPTION_ARG_STRING, &interactions_text,
      "How many interactions (default 20000; 1000000 makes a large centre for benchmarks)", "N" },
    { "evaluations", 0, 0, G_OPTION_ARG_STRING, &evaluations_text,
      "At least this many submitted evaluations (default: the demo's few hundred; 200000 for "
      "benchmarks)", "M" },
    { "days", 0, 0, G_OPTION_ARG_STRING, &days_text,
      "Over how many days, the last one today (default 90)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      "Seed of the random centre: the same seed gives the same centre (default 20240611)", "N" },
    { "recordings", 0, 0, G_OPTION_ARG_FILENAME, &recordings,
      "Folder of demo recordings (default: $ASSAY_DEMO_DIR/recordings, else the installed ones)",
      "DIR" },
    { "forms", 0, 0, G_OPTION_ARG_FILENAME, &forms,
      "Folder of the demo scorecards service-quality-en.json and service-quality-zh.json "
      "(default: $ASSAY_DEMO_DIR/forms, else the installed ones)", "DIR" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      "Replace a demo made by 'assayctl seed' before; refused when the database holds any "
      "other work", NULL },
    { "no-conversations", 0, 0, G_OPTION_ARG_NONE, &no_conversations,
      "Leave chats and emails without their conversations (for large benchmark centres)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- build the demo contact centre");
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStore) store = NULL;
  g_autoptr(GTimer) timer = NULL;
  AssaySeedOptions options;
  AssaySeedSummary summary = { 0 };
  guint64 n_interactions = ASSAY_DEMO_DEFAULT_INTERACTIONS;
  guint64 n_days = ASSAY_DEMO_DEFAULT_DAYS;
  guint64 n_evaluations = 0;
  guint64 seed = ASSAY_DEMO_DEFAULT_SEED;
  int status = 0;

  if (g_get_prgname () == NULL)
    g_set_prgname ("assayctl seed");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Writes a demo contact centre into the database: 3 teams, 24 agents, QA staff, queues and\n"
    "interactions over phone, chat and email ending today, with the demo call recordings\n"
    "copied next to the database and linked to fitting calls. With the demo scorecards it\n"
    "also writes QA work: the two scorecards published (English for the English queues,\n"
    "Chinese for the Chinese ones), a few hundred submitted evaluations, some amended, drafts,\n"
    "and a review queue for you (the recorded calls among it) with one sampling draw.\n"
    "A database that already holds interactions is left alone. --force replaces a demo that\n"
    "'assayctl seed' made, as long as nothing was done in it since; a database with any other\n"
    "work (evaluations, revisions, scorecards, staff, imports) is never replaced.\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      assayctl_error ("%s (see 'assayctl seed --help')", error->message);
      return 2;
    }
  if (argc > 1)
    {
      assayctl_error ("seed takes options only, not '%s' (see 'assayctl seed --help')", argv[1]);
      return 2;
    }
  if (!parse_number ("--interactions", interactions_text, 0, 100000000, &n_interactions)
      || !parse_number ("--evaluations", evaluations_text, 0, 100000000, &n_evaluations)
      || !parse_number ("--days", days_text, 1, ASSAY_DEMO_MAX_DAYS, &n_days)
      || !parse_number ("--seed", seed_text, 0, G_MAXUINT32, &seed))
    return 2;

  if (recordings != NULL)
    {
      if (!g_file_test (recordings, G_FILE_TEST_IS_DIR))
        {
          assayctl_error ("the recordings folder %s does not exist", recordings);
          return 2;
        }
    }
  else
    {
      recordings = default_demo_dir ("recordings");
      if (!g_file_test (recordings, G_FILE_TEST_IS_DIR))
        {
          assayctl_error ("no demo recordings in %s, so the demo has none (build them with "
                          "'ninja -C _build', or pass --recordings DIR)", recordings);
          g_clear_pointer (&recordings, g_free);
        }
    }

  if (forms != NULL)
    {
      if (!g_file_test (forms, G_FILE_TEST_IS_DIR))
        {
          assayctl_error ("the scorecards folder %s does not exist", forms);
          return 2;
        }
    }
  else
    {
      forms = default_demo_dir ("forms");
      if (!g_file_test (forms, G_FILE_TEST_IS_DIR))
        {
          assayctl_error ("no demo scorecards in %s, so the demo has no QA work (build them "
                          "with 'ninja -C _build', or pass --forms DIR)", forms);
          g_clear_pointer (&forms, g_free);
        }
    }

  assay_seed_options_init (&options);
  options.n_interactions = (guint) n_interactions;
  options.n_days = (guint) n_days;
  options.seed = (guint32) seed;
  options.recordings_dir = recordings;
  options.forms_dir = forms;
  options.force = force;
  options.n_evaluations = (guint) n_evaluations;
  options.no_conversations = no_conversations;

  store = assay_store_new (database);
  if (!assay_store_open_sync (store, &error))
    {
      assayctl_error ("%s", error->message);
      return 1;
    }

  /* --force replaces the demo only, never work done in it (docs/demo-seed.md) */
  work = assay_store_check_work_sync (store, &work_text, &error);
  if (error != NULL)
    {
      assayctl_error ("%s", error->message);
      return 1;
    }
  if (work == ASSAY_WORK_REAL && force)
    {
      assayctl_error ("%s holds work that is not the demo: %s.\n"
                      "Seeding with --force would lose it, so the database is left as it is. "
                      "Seed a new database instead: assayctl --database OTHER.db seed",
                      database, work_text);
      assay_store_close (store);
      return 2;
    }
  if (work == ASSAY_WORK_DEMO_ONLY && force)
    {
      /* an empty database instead of emptying this one: nothing lifts the append-only rules */
      assay_store_close (store);
      g_clear_object (&store);
      if (!remove_database (database, &error))
        {
          assayctl_error ("%s", error->message);
          return 1;
        }
      store = assay_store_new (database);
      if (!assay_store_open_sync (store, &error))
        {
          assayctl_error ("%s", error->message);
          return 1;
        }
      work = ASSAY_WORK_NONE;
    }
  options.force = FALSE;

  timer = g_timer_new ();
  if (!assay_store_seed_sync (store, &options, &summary, &error))
    {
      if (work == ASSAY_WORK_DEMO_ONLY
          && g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID)
          && strstr (error->message, "forced") != NULL)
        assayctl_error ("%s\nIt holds the demo and nothing else: run "
                        "'assayctl --database %s seed --force' to replace it.",
                        error->message, database);
      else if (work == ASSAY_WORK_REAL
               && g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID))
        assayctl_error ("%s already holds work that is not the demo: %s.\nIt is never "
                        "replaced: seed a new database with --database OTHER.db.", database,
                        work_text);
      else
        assayctl_error ("%s", error->message);
      assay_store_close (store);
      return 1;
    }
  g_timer_stop (timer);
  assay_store_close (store);

  for (guint i = 0; i < summary.warnings->len; i++)
    assayctl_error ("warning: %s", (const char *) g_ptr_array_index (summary.warnings, i));

  first = format_day (summary.first_ms);
  last = format_day (summary.last_ms);
  printf ("Seeded the demo contact centre into %s in %.1f s (seed %u):\n", database,
          g_timer_elapsed (timer, NULL), options.seed);
  printf ("  %u teams, %u agents, %u staff, %u queues\n", summary.n_teams, summary.n_agents,
          summary.n_staff, summary.n_queues);
  if (summary.n_interactions > 0)
    printf ("  %" G_GUINT64_FORMAT " interactions (%" G_GUINT64_FORMAT " phone, %" G_GUINT64_FORMAT
            " chat, %" G_GUINT64_FORMAT " email), %s to %s\n", summary.n_interactions,
            summary.n_phone, summary.n_chat, summary.n_email, first, last);
  else
    printf ("  no interactions\n");
  if (summary.n_recordings > 0)
    printf ("  %u recordings, copied to %s\n", summary.n_recordings, summary.recordings_dir);
  else
    printf ("  no recordings\n");
  if (summary.n_forms > 0)
    printf ("  %u scorecards, %u evaluations (%u amended), %u drafts, %u assignments for you"
            " (%u from a sampling draw)\n", summary.n_forms, summary.n_evaluations,
            summary.n_amended, summary.n_drafts, summary.n_assignments + summary.n_sampled,
            summary.n_sampled);
  else
    printf ("  no scorecards or QA work\n");

  /* the demo recordings get their speech analytics now, so lists show them before any review */
  if (summary.n_recordings > 0)
    status = assayctl_analyze_pending (database, FALSE, FALSE);
  assay_seed_summary_clear (&summary);
  /* only a database the seed filled from empty is the demo and nothing else */
  if (work == ASSAY_WORK_NONE && mark_demo (database) != 0 && status == 0)
    status = 1;
  return status;
}
