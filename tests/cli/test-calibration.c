/* SPDX-License-Identifier: GPL-3.0-or-later */
/* assayctl calibration, run as a user would; its JSON is parsed back and every statistic is
 * computed again here from the printed ratings, by the pairwise definitions. */
#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "test-assayctl.h"
#include "test-db.h"
#include "store/assay-store-calibration.h"

#define LEAD   "30000000-0000-4000-8000-00000000000a"
#define EXPERT "30000000-0000-4000-8000-00000000000e"

static const char *const inspectors[] = {
  "30000000-0000-4000-8000-000000000001", "30000000-0000-4000-8000-000000000002",
  "30000000-0000-4000-8000-000000000003", NULL,
};

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* ---- the session database ---- */

static char *
answers_json (int         version,
              const char *greeting,
              const char *disclosure,
              int         fix)
{
  return g_strdup_printf ("{\"format\": 1, \"form_id\": \"ui-test\", \"form_version\": %d,"
                          " \"answers\": {\"greeting\": {\"value\": \"%s\", \"comment\": \"c\"},"
                          " \"disclosure\": {\"value\": \"%s\", \"comment\": \"c\"},"
                          " \"fix\": {\"value\": %d, \"comment\": \"c\"}}}",
                          version, greeting, disclosure, fix);
}

/* One session on calls @first..@first+3: inspector j answers greeting as in @greetings[u][j]
 * ('y', 'n' or '-' for not scored), disclosure always yes, fix @fixes[u][j]. Consensus from the
 * expert: greeting yes, fix 3. Returns the session id. */
static char *
add_session_on (AssayStore  *store,
                const char  *form_version_id,
                int          version,
                const char  *name,
             guint        first,
             const char  *greetings[4],
             const int    fixes[4][3],
             const char  *state)
{
  g_autoptr(GError) error = NULL;
  char *calls[5] = { NULL };
  AssayCalibrationSpec spec = { name, form_version_id, LEAD, EXPERT, NULL, inspectors };
  char *id;

  for (guint u = 0; u < 4; u++)
    calls[u] = g_strdup_printf ("20000000-0000-4000-8000-%012u", first + u);
  spec.interaction_ids = (const char *const *) calls;
  id = assay_store_create_calibration_session_sync (store, &spec, &error);
  g_assert_no_error (error);

  for (guint u = 0; u < 4; u++)
    {
      for (guint j = 0; j < 3; j++)
        {
          g_autofree char *json = NULL;

          if (greetings[u][j] == '-')
            continue;
          json = answers_json (version, greetings[u][j] == 'y' ? "yes" : "no", "yes", fixes[u][j]);
          g_assert_true (assay_store_save_calibration_scoring_sync (store, id, calls[u],
                                                                    inspectors[j], json, NULL,
                                                                    TRUE, &error));
          g_assert_no_error (error);
        }
      g_assert_true (assay_store_set_calibration_consensus_sync (store, id, calls[u], "greeting",
                                                                 "{\"value\": \"yes\"}", EXPERT,
                                                                 &error));
      g_assert_true (assay_store_set_calibration_consensus_sync (store, id, calls[u], "fix",
                                                                 "{\"value\": 3}", EXPERT, &error));
      g_assert_no_error (error);
    }
  if (state != NULL)
    {
      g_assert_true (assay_store_set_calibration_state_sync (store, id, state, LEAD, &error));
      g_assert_no_error (error);
    }
  for (guint u = 0; u < 4; u++)
    g_free (calls[u]);
  return id;
}

static char *
add_session (AssayStore  *store,
             const char  *name,
             guint        first,
             const char  *greetings[4],
             const int    fixes[4][3],
             const char  *state)
{
  return add_session_on (store, TEST_FORM_VERSION_ID, 1, name, first, greetings, fixes, state);
}

static AssayStore *
store_new (void)
{
  AssayStore *store = test_db_new (20);

  test_db_add_review_form (store);
  test_db_exec (store,
    "INSERT INTO staff (id, name, roles) VALUES"
    " ('" LEAD "', 'Lena Lead', 'lead'), ('" EXPERT "', 'Eve Expert', 'inspector'),"
    " ('30000000-0000-4000-8000-000000000001', 'Ann', 'inspector'),"
    " ('30000000-0000-4000-8000-000000000002', 'Bob', 'inspector'),"
    " ('30000000-0000-4000-8000-000000000003', 'Cai', 'inspector');");
  return store;
}

/* ---- the independent computation ---- */

typedef struct {
  guint   unit;
  JsonNode *value;
} Rating;

static gboolean
same (JsonNode *a,
      JsonNode *b)
{
  return json_node_equal (a, b);
}

static gboolean
numeric (JsonNode *v)
{
  return JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) != G_TYPE_STRING
         && json_node_get_value_type (v) != G_TYPE_BOOLEAN;
}

static double
distance2 (GArray     *all,
           const char *metric,
           JsonNode   *a,
           JsonNode   *b)
{
  double x, y, lo, hi, inside = 0, ends = 0;

  if (strcmp (metric, "nominal") == 0)
    return same (a, b) ? 0 : 1;
  x = json_node_get_double (a);
  y = json_node_get_double (b);
  if (strcmp (metric, "interval") == 0)
    return (x - y) * (x - y);
  lo = MIN (x, y);
  hi = MAX (x, y);
  for (guint i = 0; i < all->len; i++)
    {
      double v = json_node_get_double (g_array_index (all, Rating, i).value);

      inside += v >= lo && v <= hi;
      ends += (v == lo) + (v == hi);
    }
  return (inside - ends / 2) * (inside - ends / 2);
}

/* Checks the printed figures of one item against its printed ratings. */
static void
check_item (const char *item_id,
            JsonObject *ratings,
            JsonObject *figures)
{
  const char *metric = json_object_get_string_member (figures, "metric");
  g_autoptr(GList) units = json_object_get_members (ratings);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Rating));
  double d_o = 0, d_e = 0, agree = 0, pairs = 0, p_bar = 0, p_e = 0, n;
  guint n_units = 0, u = 0;

  /* the pairable ratings: n/a is a category of nominal items and missing otherwise */
  for (GList *l = units; l != NULL; l = l->next, u++)
    {
      JsonObject *by = json_object_get_object_member (ratings, l->data);
      g_autoptr(GList) raters = json_object_get_members (by);
      g_autoptr(GArray) here = g_array_new (FALSE, FALSE, sizeof (Rating));

      for (GList *r = raters; r != NULL; r = r->next)
        {
          Rating x = { u, json_object_get_member (by, r->data) };

          if (strcmp (metric, "nominal") != 0 && !numeric (x.value))
            continue;
          g_array_append_val (here, x);
        }
      if (here->len >= 2)
        {
          g_array_append_vals (all, here->data, here->len);
          n_units++;
        }
    }
  n = all->len;
  g_assert_cmpint (json_object_get_int_member (figures, "n"), ==, all->len);

  for (guint i = 0; i < all->len; i++)
    for (guint j = 0; j < all->len; j++)
      {
        Rating *a = &g_array_index (all, Rating, i), *b = &g_array_index (all, Rating, j);
        double d;
        guint m = 0;

        if (i == j)
          continue;
        d = distance2 (all, metric, a->value, b->value);
        d_e += d;
        if (a->unit != b->unit)
          continue;
        for (guint k = 0; k < all->len; k++)
          m += g_array_index (all, Rating, k).unit == a->unit;
        d_o += d / (m - 1);
        pairs++;
        agree += same (a->value, b->value);
      }

  /* Fleiss: P_u per unit from its pairs, P_e from the share of each category */
  for (guint unit = 0; unit < u; unit++)
    {
      double unit_pairs = 0, unit_agree = 0;

      for (guint i = 0; i < all->len; i++)
        for (guint j = 0; j < all->len; j++)
          if (i != j && g_array_index (all, Rating, i).unit == unit
              && g_array_index (all, Rating, j).unit == unit)
            {
              unit_pairs++;
              unit_agree += same (g_array_index (all, Rating, i).value,
                                  g_array_index (all, Rating, j).value);
            }
      if (unit_pairs > 0)
        p_bar += unit_agree / unit_pairs / n_units;
    }
  for (guint i = 0; i < all->len; i++)
    {
      double share = 0;

      for (guint j = 0; j < all->len; j++)
        share += same (g_array_index (all, Rating, i).value, g_array_index (all, Rating, j).value);
      /* Σ_c p_c² as the mean over ratings of their category's share */
      p_e += share / n / n;
    }

  g_test_message ("%s (%s): agreement %g, alpha %g, kappa %g", item_id, metric,
                  pairs ? agree / pairs : NAN, d_e > 0 ? 1 - d_o / n / (d_e / (n * (n - 1))) : NAN,
                  (p_bar - p_e) / (1 - p_e));
  if (pairs > 0)
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (figures, "agreement"),
                                    agree / pairs, 0.00006);
  else
    g_assert_true (json_object_get_null_member (figures, "agreement"));
  if (d_e > 0)
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (figures, "krippendorff_alpha"),
                                    1 - (d_o / n) / (d_e / (n * (n - 1))), 0.00006);
  else
    g_assert_true (json_object_get_null_member (figures, "krippendorff_alpha"));
  if (strcmp (metric, "nominal") == 0 && n > 0 && p_e < 1 - 1e-12)
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (figures, "fleiss_kappa"),
                                    (p_bar - p_e) / (1 - p_e), 0.00006);
  else
    g_assert_true (json_object_get_null_member (figures, "fleiss_kappa"));
}

static void
check_all_items (JsonObject *root)
{
  JsonObject *ratings = json_object_get_object_member (root, "ratings");
  JsonObject *items = json_object_get_object_member (root, "items");
  g_autoptr(GList) ids = json_object_get_members (items);

  g_assert_cmpuint (g_list_length (ids), >, 0);
  for (GList *l = ids; l != NULL; l = l->next)
    check_item (l->data, json_object_get_object_member (ratings, l->data),
                json_object_get_object_member (items, l->data));
}

/* ---- tests ---- */

static void
test_list_and_stats (void)
{
  g_autoptr(AssayStore) store = store_new ();
  g_autofree char *path = g_strdup (assay_store_get_path (store));
  /* Ann agrees with the consensus, Bob is lenient on fix, Cai harsh and missed a call */
  const char *greetings[4] = { "yyy", "yyn", "yny", "yy-" };
  const int fixes[4][3] = { { 3, 4, 2 }, { 3, 5, 3 }, { 3, 4, 1 }, { 3, 3, 0 } };
  g_autofree char *id = add_session (store, "Week 1", 0, greetings, fixes, ASSAY_CALIBRATION_OPENED);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) stats = NULL;
  g_auto(TestRun) run = { 0 };
  g_auto(TestRun) again = { 0 };
  JsonObject *session, *root, *ratings, *greeting, *ann, *bob, *cai;
  JsonArray *sessions;

  assay_store_close (store);

  test_run_assayctl (&run, "--database", path, "calibration", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  list = parse (run.out);
  sessions = json_object_get_array_member (json_node_get_object (list), "sessions");
  g_assert_cmpuint (json_array_get_length (sessions), ==, 1);
  session = json_array_get_object_element (sessions, 0);
  g_assert_cmpstr (json_object_get_string_member (session, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (session, "name"), ==, "Week 1");
  g_assert_cmpstr (json_object_get_string_member (session, "state"), ==, "opened");
  g_assert_cmpint (json_object_get_int_member (session, "interactions"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (session, "inspectors"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (session, "submitted"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (session, "expected"), ==, 12);

  test_run_assayctl (&again, "--database", path, "calibration", "stats", id, "--json", NULL);
  g_assert_cmpint (again.status, ==, 0);
  stats = parse (again.out);
  root = json_node_get_object (stats);

  /* the ratings are what was submitted */
  ratings = json_object_get_object_member (root, "ratings");
  greeting = json_object_get_object_member (ratings, "greeting");
  g_assert_cmpuint (json_object_get_size (greeting), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (greeting, "20000000-0000-4000-8000-000000000001"),
                     inspectors[2]), ==, "no");
  g_assert_false (json_object_has_member (
                    json_object_get_object_member (greeting, "20000000-0000-4000-8000-000000000003"),
                    inspectors[2]));
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (
                       json_object_get_object_member (ratings, "fix"),
                       "20000000-0000-4000-8000-000000000001"), inspectors[1]), ==, 5);

  check_all_items (root);
  /* the spread of greeting on the second call: y y n, 2 of 6 ordered pairs agree */
  {
    JsonObject *spread = json_object_get_object_member (
                           json_object_get_object_member (
                             json_object_get_object_member (root, "spread"), "greeting"),
                           "20000000-0000-4000-8000-000000000001");
    JsonObject *fix = json_object_get_object_member (
                        json_object_get_object_member (
                          json_object_get_object_member (root, "spread"), "fix"),
                        "20000000-0000-4000-8000-000000000002");

    g_assert_cmpint (json_object_get_int_member (spread, "ratings"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (spread, "distinct"), ==, 2);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (spread, "agreement"), 1.0 / 3,
                                    0.00006);
    g_assert_false (json_object_has_member (spread, "min"));
    /* fix on the third call: 3, 4, 1 */
    g_assert_cmpfloat (json_object_get_double_member (fix, "min"), ==, 1.0);
    g_assert_cmpfloat (json_object_get_double_member (fix, "max"), ==, 4.0);
  }
  /* disclosure: every answer Yes, so kappa and alpha are undefined (null), agreement 1 */
  g_assert_true (json_object_get_null_member (
                   json_object_get_object_member (json_object_get_object_member (root, "items"),
                                                  "disclosure"), "fleiss_kappa"));
  g_assert_cmpfloat (json_object_get_double_member (
                       json_object_get_object_member (json_object_get_object_member (root, "items"),
                                                      "disclosure"), "agreement"), ==, 1.0);

  /* per inspector, against greeting yes and fix 3 (fix, weight 2 on a 1–5 scale, is worth half a
   * point a step) */
  ann = json_object_get_object_member (json_object_get_object_member (root, "inspectors"),
                                       inspectors[0]);
  bob = json_object_get_object_member (json_object_get_object_member (root, "inspectors"),
                                       inspectors[1]);
  cai = json_object_get_object_member (json_object_get_object_member (root, "inspectors"),
                                       inspectors[2]);
  g_assert_cmpfloat (json_object_get_double_member (ann, "agreement_with_consensus"), ==, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (ann, "mean_deviation"), ==, 0.0);
  g_assert_cmpint (json_object_get_int_member (ann, "n"), ==, 8);
  /* Bob: greeting y y n y (−1 point), fix 4 5 4 3 (+0.5, +1, +0.5, 0): 4 of 8 differ */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (bob, "agreement_with_consensus"),
                                  4.0 / 8, 0.00006);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (bob, "mean_deviation"), 1.0 / 8,
                                  0.00006);
  /* Cai, three calls: greeting n y y (−1 point), fix 2 3 1 (−0.5, 0, −1): (−1 − 1.5) / 6 */
  g_assert_cmpint (json_object_get_int_member (cai, "n"), ==, 6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (cai, "agreement_with_consensus"),
                                  3.0 / 6, 0.00006);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (cai, "mean_deviation"), -2.5 / 6,
                                  0.00006);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "flagged")), ==, 0);
}

static void
test_flagged_and_trend (void)
{
  g_autoptr(AssayStore) store = store_new ();
  g_autofree char *path = g_strdup (assay_store_get_path (store));
  /* fix is all over the place every time; greeting agrees */
  const char *greetings[4] = { "yyy", "nnn", "yyy", "nnn" };
  const int poor[4][3] = { { 1, 5, 3 }, { 5, 1, 2 }, { 2, 4, 5 }, { 4, 1, 3 } };
  const int good[4][3] = { { 3, 3, 3 }, { 3, 3, 3 }, { 2, 2, 3 }, { 4, 4, 4 } };
  g_autofree char *s1 = add_session (store, "Week 1", 0, greetings, poor, ASSAY_CALIBRATION_CLOSED);
  g_autofree char *s2 = add_session (store, "Week 2", 4, greetings, poor, ASSAY_CALIBRATION_CLOSED);
  g_autofree char *s3 = add_session (store, "Week 3", 8, greetings, poor, ASSAY_CALIBRATION_OPENED);
  g_autofree char *s4 = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) more = NULL;
  g_autoptr(JsonNode) fewer = NULL;
  g_auto(TestRun) run = { 0 };
  g_auto(TestRun) run4 = { 0 };
  g_auto(TestRun) run_k = { 0 };
  g_auto(TestRun) run_t = { 0 };
  JsonArray *flagged, *history, *trend;
  JsonObject *ann;

  test_db_exec (store, "UPDATE calibration_session SET created_at = 1000 WHERE name = 'Week 1';"
                       "UPDATE calibration_session SET created_at = 2000 WHERE name = 'Week 2';"
                       "UPDATE calibration_session SET created_at = 3000 WHERE name = 'Week 3';");
  assay_store_close (store);

  test_run_assayctl (&run, "--database", path, "calibration", "stats", s3, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  node = parse (run.out);
  check_all_items (json_node_get_object (node));
  flagged = json_object_get_array_member (json_node_get_object (node), "flagged");
  g_assert_cmpuint (json_array_get_length (flagged), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (flagged, 0), ==, "fix");
  history = json_object_get_array_member (
              json_object_get_object_member (
                json_object_get_object_member (json_node_get_object (node), "items"), "fix"),
              "alpha_history");
  g_assert_cmpuint (json_array_get_length (history), ==, 3);

  /* four sessions asked for, three exist: nothing stays low for long enough */
  test_run_assayctl (&run_k, "--database", path, "calibration", "stats", s3, "--json", "--sessions", "4",
                NULL);
  more = parse (run_k.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (more),
                                                                        "flagged")), ==, 0);
  test_run_assayctl (&run_t, "--database", path, "calibration", "stats", s3, "--json", "--threshold",
                "-0.99", NULL);
  fewer = parse (run_t.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (fewer),
                                                                        "flagged")), ==, 0);

  /* a fourth session where fix agrees: no longer flagged; Ann's agreement rises */
  g_clear_object (&store);
  store = assay_store_new (path);
  g_assert_true (assay_store_open_sync (store, NULL));
  s4 = add_session (store, "Week 4", 12, greetings, good, ASSAY_CALIBRATION_OPENED);
  test_db_exec (store, "UPDATE calibration_session SET created_at = 4000 WHERE name = 'Week 4'");
  assay_store_close (store);
  test_run_assayctl (&run4, "--database", path, "calibration", "stats", s4, "--json", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = parse (run4.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node),
                                                                        "flagged")), ==, 0);
  ann = json_object_get_object_member (json_object_get_object_member (json_node_get_object (node),
                                                                      "inspectors"), inspectors[0]);
  trend = json_object_get_array_member (json_object_get_object_member (ann, "trend"), "sessions");
  g_assert_cmpuint (json_array_get_length (trend), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (trend, 0),
                                                  "session"), ==, s1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (trend, 1),
                                                  "session"), ==, s2);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (ann, "trend"),
                                                    "agreement_change_per_session"), >, 0);
}

/* Version 2 of the scorecard rewords "fix": its history starts again, greeting's goes on. */
static void
test_reworded (void)
{
  g_autoptr(AssayStore) store = store_new ();
  g_autofree char *path = g_strdup (assay_store_get_path (store));
  const char *greetings[4] = { "yyy", "nnn", "yyy", "nnn" };
  const int poor[4][3] = { { 1, 5, 3 }, { 5, 1, 2 }, { 2, 4, 5 }, { 4, 1, 3 } };
  g_autofree char *s1 = add_session (store, "Week 1", 0, greetings, poor, ASSAY_CALIBRATION_CLOSED);
  g_autofree char *s2 = add_session (store, "Week 2", 4, greetings, poor, ASSAY_CALIBRATION_CLOSED);
  g_autofree char *s3 = add_session (store, "Week 3", 8, greetings, poor, ASSAY_CALIBRATION_CLOSED);
  g_autofree char *s4 = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(TestRun) run = { 0 };
  JsonObject *items;
  JsonArray *fix, *greeting;

  test_db_exec (store,
    "INSERT INTO form_version (id, form_id, version, definition, published_at)"
    " SELECT 'v2', form_id, 2, replace (replace (definition, '\"version\": 1', '\"version\": 2'),"
    "   'Correct fix', 'Solved the problem for good'), 2"
    " FROM form_version WHERE id = '" TEST_FORM_VERSION_ID "';");
  s4 = add_session_on (store, "v2", 2, "Week 4", 12, greetings, poor, ASSAY_CALIBRATION_OPENED);
  test_db_exec (store, "UPDATE calibration_session SET created_at = 1000 WHERE name = 'Week 1';"
                       "UPDATE calibration_session SET created_at = 2000 WHERE name = 'Week 2';"
                       "UPDATE calibration_session SET created_at = 3000 WHERE name = 'Week 3';"
                       "UPDATE calibration_session SET created_at = 4000 WHERE name = 'Week 4';");
  assay_store_close (store);

  test_run_assayctl (&run, "--database", path, "calibration", "stats", s4, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  node = parse (run.out);
  items = json_object_get_object_member (json_node_get_object (node), "items");
  fix = json_object_get_array_member (json_object_get_object_member (items, "fix"), "alpha_history");
  greeting = json_object_get_array_member (json_object_get_object_member (items, "greeting"),
                                           "alpha_history");
  g_assert_cmpuint (json_array_get_length (fix), ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (fix, i)));
      g_assert_cmpfloat (json_array_get_double_element (greeting, i), ==, 1.0);
    }
  g_assert_cmpfloat (json_array_get_double_element (fix, 3), <, 0.667);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node),
                                                                        "flagged")), ==, 0);
  g_assert_nonnull (s1);
  g_assert_nonnull (s2);
  g_assert_nonnull (s3);
}

static void
test_demo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-cli-calibration-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *forms = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms",
                                             NULL);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) stats = NULL;
  g_auto(TestRun) seed = { 0 };
  g_auto(TestRun) run = { 0 };
  g_auto(TestRun) run_stats = { 0 };
  JsonArray *sessions, *flagged;
  JsonObject *newest;
  const char *id;

  test_run_assayctl (&seed, "--database", path, "seed", "--interactions", "500", "--forms", forms, NULL);
  g_assert_cmpint (seed.status, ==, 0);
  test_run_assayctl (&run, "--database", path, "calibration", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  list = parse (run.out);
  sessions = json_object_get_array_member (json_node_get_object (list), "sessions");
  g_assert_cmpuint (json_array_get_length (sessions), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *s = json_array_get_object_element (sessions, i);

      g_assert_cmpint (json_object_get_int_member (s, "inspectors"), ==, 4);
      g_assert_nonnull (json_object_get_string_member (s, "expert_id"));
      g_assert_cmpint (json_object_get_int_member (s, "submitted"), >=,
                       json_object_get_int_member (s, "expected") - 1);
    }

  newest = json_array_get_object_element (sessions, 0);
  id = json_object_get_string_member (newest, "id");
  test_run_assayctl (&run_stats, "--database", path, "calibration", "stats", id, "--json", NULL);
  g_assert_cmpint (run_stats.status, ==, 0);
  stats = parse (run_stats.out);
  /* nominal, ordinal and interval items, each computed again here */
  check_all_items (json_node_get_object (stats));
  flagged = json_object_get_array_member (json_node_get_object (stats), "flagged");
  g_assert_cmpuint (json_array_get_length (flagged), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (flagged, 0), ==, "empathy");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (
                       json_object_get_object_member (json_node_get_object (stats), "items"),
                       "hold_seconds"), "metric"), ==, "interval");
}

static void
test_bad_input (void)
{
  g_autoptr(AssayStore) store = store_new ();
  g_autofree char *path = g_strdup (assay_store_get_path (store));
  g_auto(TestRun) missing = { 0 };
  g_auto(TestRun) none = { 0 };
  g_auto(TestRun) bad = { 0 };
  g_auto(TestRun) no_id = { 0 };
  g_auto(TestRun) empty = { 0 };

  assay_store_close (store);
  test_run_assayctl (&missing, "--database", path, "calibration", "stats", "nope", "--json", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "calibration list"));
  test_run_assayctl (&none, "--database", path, "calibration", NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "Usage"));
  test_run_assayctl (&bad, "--database", path, "calibration", "stats", "x", "--threshold", "high", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "--threshold"));
  test_run_assayctl (&no_id, "--database", path, "calibration", "stats", NULL);
  g_assert_cmpint (no_id.status, ==, 2);
  test_run_assayctl (&empty, "--database", path, "calibration", "list", NULL);
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_nonnull (strstr (empty.out, "No calibration sessions"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/calibration/list-and-stats", test_list_and_stats);
  g_test_add_func ("/cli/calibration/flagged-and-trend", test_flagged_and_trend);
  g_test_add_func ("/cli/calibration/reworded", test_reworded);
  g_test_add_func ("/cli/calibration/demo", test_demo);
  g_test_add_func ("/cli/calibration/bad-input", test_bad_input);
  return g_test_run ();
}
