/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "assayctl.h"
#include "demo/assay-demo.h"
#include "store/assay-store.h"
#include "store/assay-store-seed.h"

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
      "Replace the interactions the database holds, and all work done on them", NULL },
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
    "A database that already holds interactions is left alone unless --force is given.\n");
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

  timer = g_timer_new ();
  if (!assay_store_seed_sync (store, &options, &summary, &error))
    {
      if (!force && g_error_matches (error, ASSAY_STORE_ERROR, ASSAY_STORE_ERROR_INVALID)
          && strstr (error->message, "forced") != NULL)
        assayctl_error ("%s\nRun 'assayctl --database %s seed --force' to replace them.",
                        error->message, database);
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
    {
      assay_seed_summary_clear (&summary);
      return assayctl_analyze_pending (database, FALSE, FALSE);
    }
  assay_seed_summary_clear (&summary);
  return 0;
}
