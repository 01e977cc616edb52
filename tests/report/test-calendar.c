/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <time.h>
#include <libical/ical.h>

#include "test-assayctl.h"
#include "test-db.h"
#include "store/assay-store-coaching.h"

/* The calendar export (assayctl calendar, report/assay-calendar.c) read back with libical, in
 * Asia/Shanghai (UTC+8): local days bound the range, times are written in UTC. */

#define LEAD    "30000000-0000-4000-8000-00000000000a"
#define AGENT_1 "10000000-0000-4000-8000-000000000001"   /* Billing */
#define AGENT_3 "10000000-0000-4000-8000-000000000003"   /* Technical Support */

static gint64
utc_ms (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (y, mo, d, h, mi, 0);

  return g_date_time_to_unix (t) * 1000;
}

static char *
session (AssayStore *store,
         const char *agent,
         gint64      at,
         const char *agenda)
{
  AssayCoachingSessionSpec spec = { agent, LEAD, NULL, NULL, at, agenda };
  g_autoptr(GError) error = NULL;
  char *id = assay_store_create_coaching_session_sync (store, &spec, &error);

  g_assert_no_error (error);
  return id;
}

typedef struct {
  char       *path;
  char       *dir;
  AssayStore *store;
  char       *s1, *s2, *s3, *s4;
} Fixture;

static void
fixture_open (Fixture *f)
{
  f->store = test_db_new (0);
  f->path = g_strdup (assay_store_get_path (f->store));
  f->dir = g_path_get_dirname (f->path);
  test_db_exec (f->store,
    "INSERT INTO staff (id, name, roles) VALUES ('" LEAD "', 'Liu Yang', 'lead');"
    "INSERT INTO training_plan (id, title, created_at) VALUES ('p1', 'Identity checks', 1);"
    "INSERT INTO training_assignment (id, plan_id, agent_id, due_at, created_at)"
    " VALUES ('t1', 'p1', '" AGENT_1 "', 1797321600000, 1);"          /* 2026-12-15 08:00Z */
    "INSERT INTO assessment (id, title, kind, quarter, pass_mark, due_at, created_at)"
    " VALUES ('a1', 'Q4 written test', 'written', '2026-Q4', 80, 1797753600000, 1);");
  /* 10:00 on 8 December in Shanghai is 02:00 UTC */
  f->s1 = session (f->store, AGENT_1, utc_ms (2026, 12, 8, 2, 0), "Verified identity");
  f->s2 = session (f->store, AGENT_3, utc_ms (2026, 12, 9, 1, 30), "Hold times");
  /* 23:30 on 31 December in Shanghai: in; 00:30 on 1 January there (still 31 December in UTC):
   * out */
  f->s3 = session (f->store, AGENT_1, utc_ms (2026, 12, 31, 15, 30), "Year end");
  f->s4 = session (f->store, AGENT_1, utc_ms (2026, 12, 31, 16, 30), "New year");
}

static void
fixture_close (Fixture *f)
{
  g_clear_object (&f->store);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->s1);
  g_free (f->s2);
  g_free (f->s3);
  g_free (f->s4);
}

/* Runs the export; returns the file's text. */
static char *
export (Fixture    *f,
        const char *name,
        const char *team)
{
  g_auto(TestRun) run = { 0 };
  g_autofree char *out = g_build_filename (f->dir, name, NULL);
  char *text = NULL;

  if (team != NULL)
    test_run_assayctl (&run, "--database", f->path, "calendar", "--team", team,
                       "--from", "2026-12-01", "--to", "2026-12-31", "-o", out, NULL);
  else
    test_run_assayctl (&run, "--database", f->path, "calendar",
                       "--from", "2026-12-01", "--to", "2026-12-31", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  return text;
}

/* UID → DTSTART (unix s) of every VEVENT; asserts each time is UTC */
static GHashTable *
parse (const char *text,
       GHashTable *sequences)
{
  icalcomponent *cal = icalparser_parse_string (text);
  GHashTable *events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_nonnull (cal);
  g_assert_cmpint (icalcomponent_isa (cal), ==, ICAL_VCALENDAR_COMPONENT);
  for (icalcomponent *ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
       ev != NULL; ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
    {
      struct icaltimetype start = icalcomponent_get_dtstart (ev);
      struct icaltimetype end = icalcomponent_get_dtend (ev);
      const char *uid = icalcomponent_get_uid (ev);

      g_assert_true (icaltime_is_utc (start));
      g_assert_true (icaltime_is_utc (end));
      g_assert_cmpint (icaltime_as_timet (end), >, icaltime_as_timet (start));
      g_assert_false (g_hash_table_contains (events, uid));   /* one event per row */
      g_hash_table_insert (events, g_strdup (uid),
                           GSIZE_TO_POINTER ((gsize) icaltime_as_timet (start)));
      if (sequences != NULL)
        g_hash_table_insert (sequences, g_strdup (uid),
                             GINT_TO_POINTER (icalcomponent_get_sequence (ev)));
    }
  icalcomponent_free (cal);
  return events;
}

static char *
uid (const char *kind,
     const char *id)
{
  return g_strdup_printf ("%s-%s@assay.assayqa.github.io", kind, id);
}

/* The days are Shanghai's; every time is written in UTC and reads back as the same instant. */
static void
test_export_utc (void)
{
  Fixture f = { 0 };
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) events = NULL;
  g_autofree char *u1 = NULL, *u3 = NULL, *u4 = NULL;

  fixture_open (&f);
  text = export (&f, "all.ics", NULL);
  events = parse (text, NULL);
  g_assert_cmpuint (g_hash_table_size (events), ==, 5);   /* 3 sessions, training, assessment */
  u1 = uid ("coaching", f.s1);
  u3 = uid ("coaching", f.s3);
  u4 = uid ("coaching", f.s4);
  g_assert_cmpint (GPOINTER_TO_SIZE (g_hash_table_lookup (events, u1)), ==,
                   utc_ms (2026, 12, 8, 2, 0) / 1000);
  g_assert_nonnull (strstr (text, "DTSTART:20261208T020000Z"));
  g_assert_true (g_hash_table_contains (events, u3));
  g_assert_false (g_hash_table_contains (events, u4));   /* 1 January in Shanghai */
  g_assert_true (g_hash_table_contains (events, "training-t1@assay.assayqa.github.io"));
  g_assert_true (g_hash_table_contains (events, "assessment-a1@assay.assayqa.github.io"));
  fixture_close (&f);
}

/* Exporting again gives the same UIDs (the same bytes when nothing changed); a moved session
 * keeps its UID, gets its new time and a higher SEQUENCE, so calendars update it. */
static void
test_uids_stable (void)
{
  Fixture f = { 0 };
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autoptr(GHashTable) first = NULL, moved = NULL;
  g_autoptr(GHashTable) seq1 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seq2 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *u1 = NULL;
  g_autofree char *sql = NULL;
  GHashTableIter iter;
  gpointer key;

  fixture_open (&f);
  a = export (&f, "a.ics", NULL);
  b = export (&f, "b.ics", NULL);
  g_assert_cmpstr (a, ==, b);

  sql = g_strdup_printf ("UPDATE coaching_session SET scheduled_at = %" G_GINT64_FORMAT ","
                         " updated_at = updated_at + 60000 WHERE id = '%s'",
                         utc_ms (2026, 12, 10, 6, 0), f.s1);
  test_db_exec (f.store, sql);
  c = export (&f, "c.ics", NULL);
  first = parse (a, seq1);
  moved = parse (c, seq2);
  g_assert_cmpuint (g_hash_table_size (moved), ==, g_hash_table_size (first));
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (moved, key));
  u1 = uid ("coaching", f.s1);
  g_assert_cmpint (GPOINTER_TO_SIZE (g_hash_table_lookup (moved, u1)), ==,
                   utc_ms (2026, 12, 10, 6, 0) / 1000);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (seq2, u1)), >,
                   GPOINTER_TO_INT (g_hash_table_lookup (seq1, u1)));
  fixture_close (&f);
}

/* --team keeps one team's agents (assessments belong to everyone); bad input is refused. */
static void
test_team_and_errors (void)
{
  Fixture f = { 0 };
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) events = NULL;
  g_autofree char *u2 = NULL;
  g_autofree char *out = NULL;
  g_auto(TestRun) bad_team = { 0 };
  g_auto(TestRun) bad_day = { 0 };

  fixture_open (&f);
  text = export (&f, "billing.ics", "Billing");
  events = parse (text, NULL);
  g_assert_cmpuint (g_hash_table_size (events), ==, 4);
  u2 = uid ("coaching", f.s2);
  g_assert_false (g_hash_table_contains (events, u2));

  out = g_build_filename (f.dir, "none.ics", NULL);
  test_run_assayctl (&bad_team, "--database", f.path, "calendar", "--team", "Nowhere",
                     "--from", "2026-12-01", "--to", "2026-12-31", "-o", out, NULL);
  g_assert_cmpint (bad_team.status, ==, 2);
  test_run_assayctl (&bad_day, "--database", f.path, "calendar", "--from", "December",
                     "--to", "2026-12-31", "-o", out, NULL);
  g_assert_cmpint (bad_day.status, ==, 2);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  /* a zone that is not UTC, before anything reads the local zone */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/calendar/export-utc", test_export_utc);
  g_test_add_func ("/calendar/uids-stable", test_uids_stable);
  g_test_add_func ("/calendar/team-and-errors", test_team_and_errors);
  return g_test_run ();
}
