/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "assay-store-seed-calibration.h"
#include "assay-store-private.h"
#include "protocol/assay-form-json.h"

#define DAY_MS          (24 * 3600 * G_GINT64_CONSTANT (1000))
#define N_SESSIONS      3
#define N_CONTACTS      6
#define N_INSPECTORS    4
/* the item the demo's inspectors cannot agree on: it asks two things at once */
#define POOR_ITEM       "empathy"

static const char *const session_names[N_SESSIONS] = {
  "Calibration: billing calls, week 1",
  "Calibration: billing calls, week 2",
  "Calibration: billing calls, week 3",
};

/* How each inspector leans: the chance of a step down a scale or a Yes taken for a No (harsh),
 * and of a step up or a No taken for a Yes (lenient). */
static const struct {
  double down;
  double up;
} leanings[N_INSPECTORS] = {
  { 0.05, 0.05 },
  { 0.02, 0.45 },     /* lenient */
  { 0.55, 0.02 },     /* harsh */
  { 0.10, 0.10 },
};

/* A UUID made from the seed and a name, so the same seed writes the same rows. */
static char *
demo_uuid (guint32     seed,
           const char *what)
{
  g_autofree char *key = g_strdup_printf ("assay-demo-calibration/%u/%s", seed, what);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strdup_printf ("%.8s-%.4s-4%.3s-8%.3s-%.12s", hex, hex + 8, hex + 13, hex + 17, hex + 20);
}

static GPtrArray *
strings (sqlite3     *db,
         const char  *sql,
         const char  *arg,
         gint64       number,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  /* ?1 is @arg, ?2 @number, where the query has them */
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, number);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, _assay_store_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    return _assay_store_set_error (db, rc, error), NULL;
  return g_steal_pointer (&out);
}

static gboolean
add_staff (sqlite3     *db,
           const char  *id,
           const char  *name,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, "INSERT INTO staff (id, name, roles)"
                                                           " VALUES (?, ?, 'inspector')", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  return _assay_store_step_done (db, stmt, error);
}

static gboolean
rated (const AssayItem *item)
{
  return item->kind != ASSAY_ITEM_TEXT && item->kind != ASSAY_ITEM_DATE
         && item->kind != ASSAY_ITEM_MULTIPLE_CHOICE && item->kind != ASSAY_ITEM_POINTS;
}

/* A value of a scale item, every one as likely. */
static double
random_step (const AssayItem *item,
             GRand           *rand)
{
  return item->min + g_rand_int_range (rand, 0, (int) (item->max - item->min) + 1);
}

/* What the call really deserved, item by item. */
static void
true_answers (AssayAnswers *truth,
              GRand        *rand)
{
  AssayForm *form = assay_answers_get_form (truth);

  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      double p = g_rand_double (rand);

      switch (item->kind)
        {
        case ASSAY_ITEM_YES_NO:
          assay_answers_set_choice (truth, i, p < 0.7 ? 0 : 1, NULL);
          break;
        case ASSAY_ITEM_YES_NO_NA:
          if (p < 0.2)
            assay_answers_set_na (truth, i, NULL);
          else
            assay_answers_set_choice (truth, i, p < 0.75 ? 0 : 1, NULL);
          break;
        case ASSAY_ITEM_SCALE:
          assay_answers_set_value (truth, i, random_step (item, rand), NULL);
          break;
        case ASSAY_ITEM_SINGLE_CHOICE:
          assay_answers_set_choice (truth, i, g_rand_int_range (rand, 0, (int) item->options->len),
                                    NULL);
          break;
        case ASSAY_ITEM_NUMBER:
          assay_answers_set_value (truth, i, 10 * g_rand_int_range (rand, 0, 13), NULL);
          break;
        default:
          break;
        }
    }
}

/* An inspector's answers: the true ones, with the inspector's slips and leanings. */
static AssayAnswers *
inspector_answers (const AssayAnswers *truth,
                   guint               inspector,
                   GRand              *rand)
{
  AssayAnswers *given = assay_answers_copy (truth);
  AssayForm *form = assay_answers_get_form (truth);

  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    {
      const AssayItem *item = assay_form_get_item (form, i);
      const AssayAnswer *t = assay_answers_get (truth, i);
      double p = g_rand_double (rand);

      if (t->state == ASSAY_ANSWER_NONE)
        continue;
      if (strcmp (item->id, POOR_ITEM) == 0 && item->kind == ASSAY_ITEM_SCALE)
        {
          /* the item asks two things at once (feelings acknowledged, an apology "where it
           * fitted"): each inspector weighs them differently from call to call */
          assay_answers_set_value (given, i, random_step (item, rand), NULL);
          continue;
        }
      switch (item->kind)
        {
        case ASSAY_ITEM_YES_NO:
        case ASSAY_ITEM_YES_NO_NA:
          if (t->state != ASSAY_ANSWER_VALUE)
            break;
          if (t->choice == 0 && p < leanings[inspector].down / 5)
            assay_answers_set_choice (given, i, 1, NULL);
          else if (t->choice == 1 && p < leanings[inspector].up / 3)
            assay_answers_set_choice (given, i, 0, NULL);
          break;
        case ASSAY_ITEM_SCALE:
          if (p < leanings[inspector].down && t->value > item->min)
            assay_answers_set_value (given, i, t->value - 1, NULL);
          else if (p > 1 - leanings[inspector].up && t->value < item->max)
            assay_answers_set_value (given, i, t->value + 1, NULL);
          break;
        case ASSAY_ITEM_SINGLE_CHOICE:
          if (p < 0.05 && item->options->len > 1)
            assay_answers_set_choice (given, i, (t->choice + 1) % (int) item->options->len, NULL);
          break;
        case ASSAY_ITEM_NUMBER:
          /* hold time read off the recording: within a few seconds */
          assay_answers_set_value (given, i, MAX (0, t->value + g_rand_int_range (rand, -3, 4)), NULL);
          break;
        default:
          break;
        }
    }

  /* the scorecard asks for a comment on every deduction */
  for (guint i = 0; i < assay_form_get_n_items (form); i++)
    if (assay_answer_is_deduction (assay_form_get_item (form, i), assay_answers_get (given, i)))
      assay_answers_set_comment (given, i, "Heard in the call.");
  return given;
}

static gboolean
insert_session (sqlite3       *db,
                AssayForm     *form,
                const char    *form_version_id,
                guint32        seed,
                guint          number,
                gint64         created_at,
                const char    *lead_id,
                const char    *expert_id,
                GPtrArray     *inspectors,
                GPtrArray     *contacts,
                GRand         *rand,
                GError       **error)
{
  g_autofree char *key = g_strdup_printf ("session-%u", number);
  g_autofree char *id = demo_uuid (seed, key);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean closed = number + 1 < N_SESSIONS;
  gint64 opened_at = created_at + 3 * DAY_MS;

  stmt = _assay_store_prepare (db, "INSERT INTO calibration_session (id, name, form_version_id,"
                                   " created_by, expert_id, state, created_at, opened_at, closed_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, session_names[number], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, form_version_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, lead_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, expert_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, closed ? "closed" : "opened", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, created_at);
  sqlite3_bind_int64 (stmt, 8, opened_at);
  _assay_store_bind_int_or_null (stmt, 9, opened_at + DAY_MS, !closed);
  if (!_assay_store_step_done (db, stmt, error))
    return FALSE;

  for (guint j = 0; j < inspectors->len; j++)
    {
      g_autoptr(sqlite3_stmt) p = _assay_store_prepare (db, "INSERT INTO calibration_participant"
                                                            " (session_id, staff_id) VALUES (?, ?)",
                                                        error);

      if (p == NULL)
        return FALSE;
      sqlite3_bind_text (p, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (p, 2, g_ptr_array_index (inspectors, j), -1, SQLITE_TRANSIENT);
      if (!_assay_store_step_done (db, p, error))
        return FALSE;
    }

  for (guint u = 0; u < contacts->len; u++)
    {
      const char *contact = g_ptr_array_index (contacts, u);
      g_autoptr(AssayAnswers) truth = assay_answers_new (form);
      g_autoptr(sqlite3_stmt) ci = NULL;

      ci = _assay_store_prepare (db, "INSERT INTO calibration_interaction (session_id, interaction_id,"
                                     " position) VALUES (?, ?, ?)", error);
      if (ci == NULL)
        return FALSE;
      sqlite3_bind_text (ci, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (ci, 2, contact, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (ci, 3, (int) u);
      if (!_assay_store_step_done (db, ci, error))
        return FALSE;

      true_answers (truth, rand);
      for (guint j = 0; j < inspectors->len; j++)
        {
          g_autoptr(AssayAnswers) given = inspector_answers (truth, j, rand);
          g_autofree char *json = NULL;
          g_autofree char *sk = g_strdup_printf ("scoring-%u-%u-%u", number, u, j);
          g_autofree char *scoring_id = demo_uuid (seed, sk);
          g_autoptr(sqlite3_stmt) sc = NULL;
          gint64 at = created_at + DAY_MS / 2 + (gint64) (j * 4 + u) * 3600 * 1000;

          /* in the second session the fourth inspector was away for the last call */
          if (number == 1 && j == 3 && u + 1 == contacts->len)
            continue;
          json = assay_answers_to_json (given);
          sc = _assay_store_prepare (db, "INSERT INTO calibration_scoring (id, session_id,"
                                         " interaction_id, inspector_id, answers, updated_at,"
                                         " submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
          if (sc == NULL)
            return FALSE;
          sqlite3_bind_text (sc, 1, scoring_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (sc, 2, id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (sc, 3, contact, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (sc, 4, g_ptr_array_index (inspectors, j), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (sc, 5, json, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (sc, 6, at);
          sqlite3_bind_int64 (sc, 7, at);
          if (!_assay_store_step_done (db, sc, error))
            return FALSE;
        }

      /* the expert's consensus is what the call deserved */
      {
        g_autoptr(JsonNode) doc = assay_answers_to_json_node (truth);
        JsonObject *answers = json_object_get_object_member (json_node_get_object (doc), "answers");

        for (guint i = 0; i < assay_form_get_n_items (form); i++)
          {
            const AssayItem *item = assay_form_get_item (form, i);
            g_autoptr(sqlite3_stmt) cc = NULL;
            g_autofree char *answer = NULL;

            if (!rated (item) || !json_object_has_member (answers, item->id))
              continue;
            answer = assay_json_write (json_object_get_member (answers, item->id), FALSE);
            cc = _assay_store_prepare (db, "INSERT INTO calibration_consensus (session_id,"
                                           " interaction_id, item_id, answer, set_by, set_at)"
                                           " VALUES (?, ?, ?, ?, ?, ?)", error);
            if (cc == NULL)
              return FALSE;
            sqlite3_bind_text (cc, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (cc, 2, contact, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (cc, 3, item->id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (cc, 4, answer, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (cc, 5, expert_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64 (cc, 6, opened_at);
            if (!_assay_store_step_done (db, cc, error))
              return FALSE;
          }
      }
    }
  return TRUE;
}

gboolean
_assay_store_seed_calibration (sqlite3     *db,
                               AssayForm   *form,
                               const char  *form_version_id,
                               guint32      seed,
                               GError     **error)
{
  static const char *const extra_names[] = { "Daniel Okafor", "Sofia Marin", "Kenji Mori" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0x0ca11b8u);
  g_autoptr(GPtrArray) inspectors = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autofree char *expert_id = demo_uuid (seed, "expert");
  gint64 end;

  last = strings (db, "SELECT max(i.started_at) FROM interaction i JOIN evaluation e"
                      " ON e.interaction_id = i.id WHERE e.form_version_id = ?1",
                  form_version_id, 0, error);
  if (last == NULL)
    return FALSE;
  if (last->len == 0 || g_ptr_array_index (last, 0) == NULL)
    return TRUE;
  end = g_ascii_strtoll (g_ptr_array_index (last, 0), NULL, 10);

  /* four inspectors, "me" first; the centre's own, and new ones where it has too few */
  inspectors = strings (db, "SELECT id FROM staff WHERE roles = 'inspector'"
                            " ORDER BY is_me DESC, name", NULL, 0, error);
  if (inspectors == NULL)
    return FALSE;
  g_ptr_array_set_size (inspectors, MIN (inspectors->len, N_INSPECTORS));
  for (guint k = 0; inspectors->len < N_INSPECTORS; k++)
    {
      g_autofree char *key = g_strdup_printf ("inspector-%u", k);
      char *id = demo_uuid (seed, key);

      g_ptr_array_add (inspectors, id);
      if (!add_staff (db, id, extra_names[k], error))
        return FALSE;
    }
  /* the centre's senior inspector, who sets the consensus */
  if (!add_staff (db, expert_id, "Grace Huang", error))
    return FALSE;
  leads = strings (db, "SELECT t.lead_id FROM team t JOIN staff s ON s.id = t.lead_id"
                       " ORDER BY t.name", NULL, 0, error);
  if (leads == NULL)
    return FALSE;
  if (leads->len == 0)
    g_ptr_array_add (leads, g_strdup (expert_id));

  for (guint s = 0; s < N_SESSIONS; s++)
    {
      gint64 created_at = end - (gint64) (N_SESSIONS - s) * 7 * DAY_MS;
      g_autoptr(GPtrArray) contacts = NULL;

      /* contacts already reviewed on this scorecard, from the days before the session */
      contacts = strings (db, "SELECT i.id FROM interaction i WHERE i.started_at < ?2"
                              " AND EXISTS (SELECT 1 FROM evaluation e WHERE e.interaction_id = i.id"
                              "   AND e.form_version_id = ?1)"
                              " ORDER BY i.started_at DESC LIMIT " G_STRINGIFY (N_CONTACTS),
                          form_version_id, created_at, error);
      if (contacts == NULL)
        return FALSE;
      if (contacts->len < 2)
        continue;
      if (!insert_session (db, form, form_version_id, seed, s, created_at,
                           g_ptr_array_index (leads, s % leads->len), expert_id, inspectors,
                           contacts, rand, error))
        return FALSE;
    }
  return TRUE;
}
