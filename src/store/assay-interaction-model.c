/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-interaction-model.h"
#include "assay-store-private.h"

#define PAGE_SIZE 200
#define MAX_CACHED_PAGES 24
/* More changed ids than this are handled as a bulk change (the row ids are read again). */
#define MAX_UPDATE_IDS 64

/*
 * Live updates (AssayStore::changed for "interactions"):
 * - some ids: each is read again by id; a row the list holds is updated in place (its item
 *   object stays the same, items-changed for its position only, so selection and scroll stay).
 *   It keeps its place until the next query even if a sort key changed, so the list never jumps
 *   under the pointer. A new or deleted id is handled as a bulk change.
 * - everything (ids %NULL, another process wrote): the row ids are read again, the differing
 *   middle of the old and new lists is announced as one items-changed, and the cached pages are
 *   read again into the same item objects (matched by rowid), so what is on screen refreshes in
 *   place and keeps its selection.
 */

struct _AssayInteractionModel
{
  GObject                 parent_instance;

  AssayStore             *store;
  AssayInteractionFilter  filter;
  AssayInteractionSort    sort;
  gboolean                descending;

  guint                   generation;     /* bumped by each query; stale answers are dropped */
  GCancellable           *cancellable;
  GArray                 *ids;            /* gint64 rowids in order, once counted */
  guint                   n_items;
  gboolean                loading;
  GError                 *error;

  GHashTable             *pages;          /* page index -> GPtrArray of AssayInteraction */
  GQueue                  lru;            /* page indexes, most recent first */
  GHashTable             *survivors;      /* rowid -> AssayInteraction kept across a reload */
  GPtrArray              *reuse;          /* the old first page, refilled by the next query */
  gboolean                queried;        /* set_query() has been called */
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AssayInteractionModel, assay_interaction_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

void
assay_interaction_filter_init (AssayInteractionFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->csat_min = ASSAY_NONE;
  filter->csat_max = ASSAY_NONE;
  filter->recording = ASSAY_NONE;
  filter->evaluated = ASSAY_NONE;
}

void
assay_interaction_filter_clear (AssayInteractionFilter *filter)
{
  g_clear_pointer (&filter->search, g_free);
  g_clear_pointer (&filter->agent_id, g_free);
  g_clear_pointer (&filter->team_id, g_free);
  g_clear_pointer (&filter->channel, g_free);
  g_clear_pointer (&filter->queue, g_free);
}

void
assay_interaction_filter_copy (AssayInteractionFilter       *dest,
                               const AssayInteractionFilter *src)
{
  *dest = *src;
  dest->search = g_strdup (src->search);
  dest->agent_id = g_strdup (src->agent_id);
  dest->team_id = g_strdup (src->team_id);
  dest->channel = g_strdup (src->channel);
  dest->queue = g_strdup (src->queue);
}

/* ---- SQL, on the worker ---- */

#define ROW_COLUMNS \
  "i.rowid, i.id, i.channel, i.queue, i.agent_id, i.team_id, i.customer_ref, i.started_at," \
  " i.wait_s, i.talk_s, i.hold_s, i.wrap_s, i.csat, i.nps, i.fcr, i.answered_in_sl, i.abandoned," \
  " i.priority, i.first_response_s, i.first_response_target_s, i.resolution_s," \
  " i.resolution_target_s, a.name, t.name," \
  " EXISTS (SELECT 1 FROM recording rc WHERE rc.interaction_id = i.id)," \
  " (SELECT count(*) FROM evaluation e WHERE e.interaction_id = i.id AND e.state = 'submitted')," \
  " (SELECT er.score FROM evaluation e JOIN evaluation_revision er ON er.id = e.current_revision_id" \
  "  WHERE e.interaction_id = i.id AND e.state = 'submitted' ORDER BY e.updated_at DESC LIMIT 1)," \
  " EXISTS (SELECT 1 FROM evaluation e WHERE e.interaction_id = i.id AND e.state = 'draft')"

typedef struct {
  AssayInteractionFilter filter;
  AssayInteractionSort   sort;
  gboolean               descending;
  GArray                *rowids;   /* page loads: the rows to read */
} Query;

static void
query_free (Query *q)
{
  assay_interaction_filter_clear (&q->filter);
  g_clear_pointer (&q->rowids, g_array_unref);
  g_free (q);
}

typedef struct {
  gint64                rowid;
  AssayInteractionFacts facts;
  char                 *agent_name;
  char                 *team_name;
  AssayInteractionReview review;
} Row;

static void
row_clear (Row *row)
{
  assay_interaction_facts_clear (&row->facts);
  g_free (row->agent_name);
  g_free (row->team_name);
}

static GArray *
row_array_new (void)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  return rows;
}

static void
read_row (sqlite3_stmt *stmt,
          Row          *row)
{
  AssayInteractionFacts *f = &row->facts;

  assay_interaction_facts_init (f);
  row->rowid = sqlite3_column_int64 (stmt, 0);
  f->id = _assay_store_column_dup (stmt, 1);
  f->channel = _assay_store_column_dup (stmt, 2);
  f->queue = _assay_store_column_dup (stmt, 3);
  f->agent_id = _assay_store_column_dup (stmt, 4);
  f->team_id = _assay_store_column_dup (stmt, 5);
  f->customer_ref = _assay_store_column_dup (stmt, 6);
  f->started_at = sqlite3_column_int64 (stmt, 7);
  f->wait_s = _assay_store_column_int_or_none (stmt, 8);
  f->talk_s = sqlite3_column_int (stmt, 9);
  f->hold_s = sqlite3_column_int (stmt, 10);
  f->wrap_s = sqlite3_column_int (stmt, 11);
  f->csat = _assay_store_column_int_or_none (stmt, 12);
  f->nps = _assay_store_column_int_or_none (stmt, 13);
  f->fcr = _assay_store_column_int_or_none (stmt, 14);
  f->answered_in_sl = _assay_store_column_int_or_none (stmt, 15);
  f->abandoned = sqlite3_column_int (stmt, 16);
  f->priority = _assay_store_column_dup (stmt, 17);
  f->first_response_s = _assay_store_column_int_or_none (stmt, 18);
  f->first_response_target_s = _assay_store_column_int_or_none (stmt, 19);
  f->resolution_s = _assay_store_column_int_or_none (stmt, 20);
  f->resolution_target_s = _assay_store_column_int_or_none (stmt, 21);
  row->agent_name = _assay_store_column_dup (stmt, 22);
  row->team_name = _assay_store_column_dup (stmt, 23);
  assay_interaction_review_init (&row->review);
  row->review.has_recording = sqlite3_column_int (stmt, 24);
  row->review.n_evaluations = (guint) sqlite3_column_int (stmt, 25);
  if (sqlite3_column_type (stmt, 26) != SQLITE_NULL)
    row->review.score = sqlite3_column_double (stmt, 26);
  row->review.has_draft = sqlite3_column_int (stmt, 27);
}

static const char *
order_by (AssayInteractionSort sort,
          gboolean             descending)
{
  /* rowid breaks ties so the order is the same in every query: the first page and the
   * counted ids agree */
  static const char *const asc[] = {
    [ASSAY_INTERACTION_SORT_STARTED] = " ORDER BY i.started_at, i.rowid",
    [ASSAY_INTERACTION_SORT_AGENT] = " ORDER BY a.name, i.started_at, i.rowid",
    [ASSAY_INTERACTION_SORT_TEAM] = " ORDER BY t.name, i.started_at, i.rowid",
    [ASSAY_INTERACTION_SORT_QUEUE] = " ORDER BY i.queue, i.started_at, i.rowid",
    [ASSAY_INTERACTION_SORT_CHANNEL] = " ORDER BY i.channel, i.started_at, i.rowid",
    [ASSAY_INTERACTION_SORT_HANDLE] = " ORDER BY i.handle_s, i.rowid",
    [ASSAY_INTERACTION_SORT_CSAT] = " ORDER BY i.csat, i.started_at, i.rowid",
    [ASSAY_INTERACTION_SORT_NPS] = " ORDER BY i.nps, i.started_at, i.rowid",
    [ASSAY_INTERACTION_SORT_CUSTOMER] = " ORDER BY i.customer_ref, i.rowid",
  };
  static const char *const desc[] = {
    [ASSAY_INTERACTION_SORT_STARTED] = " ORDER BY i.started_at DESC, i.rowid DESC",
    [ASSAY_INTERACTION_SORT_AGENT] = " ORDER BY a.name DESC, i.started_at DESC, i.rowid DESC",
    [ASSAY_INTERACTION_SORT_TEAM] = " ORDER BY t.name DESC, i.started_at DESC, i.rowid DESC",
    [ASSAY_INTERACTION_SORT_QUEUE] = " ORDER BY i.queue DESC, i.started_at DESC, i.rowid DESC",
    [ASSAY_INTERACTION_SORT_CHANNEL] = " ORDER BY i.channel DESC, i.started_at DESC, i.rowid DESC",
    [ASSAY_INTERACTION_SORT_HANDLE] = " ORDER BY i.handle_s DESC, i.rowid DESC",
    [ASSAY_INTERACTION_SORT_CSAT] = " ORDER BY i.csat DESC, i.started_at DESC, i.rowid DESC",
    [ASSAY_INTERACTION_SORT_NPS] = " ORDER BY i.nps DESC, i.started_at DESC, i.rowid DESC",
    [ASSAY_INTERACTION_SORT_CUSTOMER] = " ORDER BY i.customer_ref DESC, i.rowid DESC",
  };

  if ((guint) sort >= G_N_ELEMENTS (asc))
    sort = ASSAY_INTERACTION_SORT_STARTED;
  return descending ? desc[sort] : asc[sort];
}

/* Builds "SELECT <columns> FROM ... WHERE ... ORDER BY ..." with numbered parameters. Values
 * are never formatted into the SQL: bind_filter() binds them to the same numbers. */
static char *
build_sql (const char          *columns,
           const Query         *q,
           const char          *tail)
{
  GString *sql = g_string_new ("SELECT ");
  const AssayInteractionFilter *f = &q->filter;

  g_string_append (sql, columns);
  g_string_append (sql, " FROM interaction i LEFT JOIN agent a ON a.id = i.agent_id"
                        " LEFT JOIN team t ON t.id = i.team_id WHERE 1");
  /* every term of the search can use an index (customer and id prefixes as ranges, queues and
   * agents through their small tables), so SQLite unions index lookups instead of scanning a
   * million rows; customer references are matched upper case, ids lower case */
  if (f->search != NULL && *f->search != '\0')
    g_string_append (sql, " AND ((i.customer_ref >= upper(?1) AND i.customer_ref < upper(?1) || char(1114111))"
                          " OR (i.id >= lower(?1) AND i.id < lower(?1) || char(1114111))"
                          " OR i.queue IN (SELECT name FROM queue WHERE name LIKE '%' || ?1 || '%')"
                          " OR i.agent_id IN (SELECT id FROM agent WHERE name LIKE '%' || ?1 || '%'"
                          " OR employee_code = ?1))");
  if (f->agent_id != NULL)
    g_string_append (sql, " AND i.agent_id = ?2");
  if (f->team_id != NULL)
    g_string_append (sql, " AND i.team_id = ?3");
  if (f->channel != NULL)
    g_string_append (sql, " AND i.channel = ?4");
  if (f->queue != NULL)
    g_string_append (sql, " AND i.queue = ?5");
  if (f->from_ms > 0)
    g_string_append (sql, " AND i.started_at >= ?6");
  if (f->to_ms > 0)
    g_string_append (sql, " AND i.started_at < ?7");
  if (f->csat_min != ASSAY_NONE)
    g_string_append (sql, " AND i.csat >= ?8");
  if (f->csat_max != ASSAY_NONE)
    g_string_append (sql, " AND i.csat <= ?9");
  /* IN over the small tables: SQLite looks the (few) recorded or evaluated contacts up by
   * their id rather than probing a million rows; NOT IN builds the set once */
  if (f->recording == 1)
    g_string_append (sql, " AND i.id IN (SELECT interaction_id FROM recording)");
  else if (f->recording == 0)
    g_string_append (sql, " AND i.id NOT IN (SELECT interaction_id FROM recording)");
  if (f->evaluated == 1)
    g_string_append (sql, " AND i.id IN (SELECT interaction_id FROM evaluation WHERE state = 'submitted')");
  else if (f->evaluated == 0)
    g_string_append (sql, " AND i.id NOT IN (SELECT interaction_id FROM evaluation WHERE state = 'submitted')");
  g_string_append (sql, order_by (q->sort, q->descending));
  if (tail != NULL)
    g_string_append (sql, tail);
  return g_string_free (sql, FALSE);
}

static void
bind_filter (sqlite3_stmt                 *stmt,
             const AssayInteractionFilter *f)
{
  if (f->search != NULL && *f->search != '\0')
    sqlite3_bind_text (stmt, 1, f->search, -1, SQLITE_TRANSIENT);
  if (f->agent_id != NULL)
    sqlite3_bind_text (stmt, 2, f->agent_id, -1, SQLITE_TRANSIENT);
  if (f->team_id != NULL)
    sqlite3_bind_text (stmt, 3, f->team_id, -1, SQLITE_TRANSIENT);
  if (f->channel != NULL)
    sqlite3_bind_text (stmt, 4, f->channel, -1, SQLITE_TRANSIENT);
  if (f->queue != NULL)
    sqlite3_bind_text (stmt, 5, f->queue, -1, SQLITE_TRANSIENT);
  if (f->from_ms > 0)
    sqlite3_bind_int64 (stmt, 6, f->from_ms);
  if (f->to_ms > 0)
    sqlite3_bind_int64 (stmt, 7, f->to_ms);
  if (f->csat_min != ASSAY_NONE)
    sqlite3_bind_int (stmt, 8, f->csat_min);
  if (f->csat_max != ASSAY_NONE)
    sqlite3_bind_int (stmt, 9, f->csat_max);
}

static gpointer
ids_func (sqlite3       *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Query *q = data;
  g_autofree char *sql = build_sql ("i.rowid", q, NULL);
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autoptr(GArray) ids = NULL;
  int rc;
  guint n = 0;

  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, &q->filter);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 4096);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      /* a newer query makes this one pointless */
      if ((++n & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* Reads whole rows by rowid, in the order given. */
static GArray *
read_rows (sqlite3  *db,
           GArray   *rowids,
           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) rows = row_array_new ();

  stmt = _assay_store_prepare (db, "SELECT " ROW_COLUMNS " FROM interaction i"
                                   " LEFT JOIN agent a ON a.id = i.agent_id"
                                   " LEFT JOIN team t ON t.id = i.team_id WHERE i.rowid = ?",
                               error);
  if (stmt == NULL)
    return NULL;

  g_array_set_size (rows, rowids->len);
  for (guint i = 0; i < rowids->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (rowids, gint64, i));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        read_row (stmt, row);
      else
        {
          /* deleted since it was counted: leave an empty row rather than shifting the list */
          assay_interaction_facts_init (&row->facts);
          row->rowid = g_array_index (rowids, gint64, i);
        }
    }
  return g_steal_pointer (&rows);
}

static gpointer
page_func (sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Query *q = data;

  return read_rows (db, q->rowids, error);
}

/* Rows by their text ids, for an update in place: a missing one has facts.id NULL. */
static gpointer
lookup_func (sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  const char * const *ids = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) rows = row_array_new ();

  stmt = _assay_store_prepare (db, "SELECT " ROW_COLUMNS " FROM interaction i"
                                   " LEFT JOIN agent a ON a.id = i.agent_id"
                                   " LEFT JOIN team t ON t.id = i.team_id WHERE i.id = ?",
                               error);
  if (stmt == NULL)
    return NULL;
  g_array_set_size (rows, g_strv_length ((char **) ids));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        read_row (stmt, row);
      else
        assay_interaction_facts_init (&row->facts);
    }
  return g_steal_pointer (&rows);
}

/* The first page: its rowids alone first, which an index often answers without touching the
 * table (a filter that must sort would otherwise read every matching row), then its rows. */
static gpointer
first_page_func (sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Query *q = data;
  g_autofree char *tail = g_strdup_printf (" LIMIT %d", PAGE_SIZE);
  g_autofree char *sql = build_sql ("i.rowid", q, tail);
  g_autoptr(sqlite3_stmt) stmt = _assay_store_prepare (db, sql, error);
  g_autoptr(GArray) rowids = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, &q->filter);
  rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PAGE_SIZE);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _assay_store_set_error (db, rc, error);
      return NULL;
    }
  return read_rows (db, rowids, error);
}

/* ---- main thread ---- */

static void
set_loading (AssayInteractionModel *self,
             gboolean               loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static Query *
query_new (AssayInteractionModel *self)
{
  Query *q = g_new0 (Query, 1);

  assay_interaction_filter_copy (&q->filter, &self->filter);
  q->sort = self->sort;
  q->descending = self->descending;
  return q;
}

typedef struct {
  AssayInteractionModel *self;
  guint                  generation;
  guint                  page;
} Pending;

static Pending *
pending_new (AssayInteractionModel *self,
             guint                  page)
{
  Pending *p = g_new0 (Pending, 1);

  p->self = g_object_ref (self);
  p->generation = self->generation;
  p->page = page;
  return p;
}

static void
pending_free (Pending *p)
{
  g_object_unref (p->self);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void
set_error (AssayInteractionModel *self,
           GError                *error)
{
  g_clear_error (&self->error);
  self->error = error;
}

static void
fill_page (GPtrArray *items,
           GArray    *rows)
{
  for (guint i = 0; i < rows->len && i < items->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      AssayInteraction *item = g_ptr_array_index (items, i);

      if (row->facts.id != NULL)
        {
          assay_interaction_set_review (item, &row->review);
          assay_interaction_load (item, &row->facts, row->agent_name, row->team_name);
        }
    }
}

static void
touch_page (AssayInteractionModel *self,
            guint                  page)
{
  GList *link = g_queue_find (&self->lru, GUINT_TO_POINTER (page));

  if (link != NULL)
    g_queue_unlink (&self->lru, link), g_queue_push_head_link (&self->lru, link);
  else
    g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));

  while (self->lru.length > MAX_CACHED_PAGES)
    {
      guint old = GPOINTER_TO_UINT (g_queue_pop_tail (&self->lru));
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (old));
    }
}

static GPtrArray *
new_page (AssayInteractionModel *self,
          guint                  page,
          guint                  n)
{
  GPtrArray *items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      AssayInteraction *item = NULL;

      /* after a reload, a row the list already showed keeps its object */
      if (self->survivors != NULL && self->ids != NULL && page * PAGE_SIZE + i < self->ids->len)
        {
          gint64 rowid = g_array_index (self->ids, gint64, page * PAGE_SIZE + i);
          gpointer key = NULL;

          if (g_hash_table_steal_extended (self->survivors, &rowid, &key, (gpointer *) &item))
            g_free (key);
        }
      g_ptr_array_add (items, item != NULL ? item : assay_interaction_new ());
    }
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
  touch_page (self, page);
  return items;
}

static void
page_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Pending) p = user_data;
  AssayInteractionModel *self = p->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = _assay_store_run_finish (ASSAY_STORE (source), result, &error);
  GPtrArray *items;

  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Reading interactions failed: %s", error->message);
      return;
    }
  if (p->generation != self->generation)
    return;
  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (p->page));
  if (items != NULL)
    fill_page (items, rows);
}

static void
ids_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Pending) p = user_data;
  AssayInteractionModel *self = p->self;
  g_autoptr(GError) error = NULL;
  GArray *ids = _assay_store_run_finish (ASSAY_STORE (source), result, &error);
  guint old_n;

  if (p->generation != self->generation)
    {
      g_clear_pointer (&ids, g_array_unref);
      return;
    }
  if (ids == NULL)
    {
      set_error (self, g_steal_pointer (&error));
      set_loading (self, FALSE);
      return;
    }

  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = ids;
  old_n = self->n_items;
  self->n_items = ids->len;
  set_loading (self, FALSE);

  /* the first page is already out and is the same rows: only announce the rest */
  if (self->n_items > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->n_items - old_n);
  else if (self->n_items < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), self->n_items, old_n - self->n_items, 0);
}

static void
first_page_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Pending) p = user_data;
  AssayInteractionModel *self = p->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = _assay_store_run_finish (ASSAY_STORE (source), result, &error);
  GPtrArray *items;
  guint old_n;

  if (p->generation != self->generation)
    return;
  if (rows == NULL)
    {
      set_error (self, g_steal_pointer (&error));
      set_loading (self, FALSE);
      return;
    }

  old_n = self->n_items;
  /* ids_loaded_cb may not have come first: it runs after on the same worker */
  if (self->reuse != NULL)
    {
      g_autoptr(GPtrArray) reuse = g_steal_pointer (&self->reuse);
      guint kept = MIN (MIN (reuse->len, rows->len), old_n);

      /* A new query keeps the objects of the first rows and loads the new rows into them
       * (notify::loaded): GTK 4.8 then keeps its row widgets, where new objects would make it
       * destroy and build every shown row (docs: GTK48-LISTS.md 2a). Only the difference in
       * length is announced, at the end. */
      items = g_ptr_array_new_full (rows->len, g_object_unref);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (items, i < kept ? g_object_ref (g_ptr_array_index (reuse, i))
                                         : assay_interaction_new ());
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (0), items);
      touch_page (self, 0);
      fill_page (items, rows);
      self->n_items = rows->len;
      if (old_n > kept || self->n_items > kept)
        g_list_model_items_changed (G_LIST_MODEL (self), kept, old_n - kept, self->n_items - kept);
      return;
    }
  items = new_page (self, 0, rows->len);
  fill_page (items, rows);
  self->n_items = rows->len;
  if (old_n != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

static void
request_page (AssayInteractionModel *self,
              guint                  page)
{
  Query *q;
  guint start = page * PAGE_SIZE;
  guint n;

  if (self->ids == NULL || start >= self->ids->len)
    return;
  n = MIN (PAGE_SIZE, self->ids->len - start);
  new_page (self, page, n);

  q = g_new0 (Query, 1);
  assay_interaction_filter_init (&q->filter);
  q->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_array_append_vals (q->rowids, &g_array_index (self->ids, gint64, start), n);
  _assay_store_run_async (self->store, page_func, q, (GDestroyNotify) query_free,
                          (GDestroyNotify) g_array_unref, request_page, self->cancellable,
                          page_loaded_cb, pending_new (self, page));
}

static gboolean
find_position (AssayInteractionModel *self,
               gint64                 rowid,
               guint                 *position)
{
  for (guint i = 0; self->ids != NULL && i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == rowid)
      {
        *position = i;
        return TRUE;
      }
  return FALSE;
}

static void
reloaded_ids_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Pending) p = user_data;
  AssayInteractionModel *self = p->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = _assay_store_run_finish (ASSAY_STORE (source), result, &error);
  g_autoptr(GArray) old_ids = NULL;
  g_autoptr(GList) cached = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint old_n, new_n, prefix = 0, suffix = 0;

  if (p->generation != self->generation)
    return;
  if (ids == NULL)
    {
      set_error (self, g_steal_pointer (&error));
      set_loading (self, FALSE);
      return;
    }

  /* the objects of the cached rows, by rowid, to be handed out again */
  g_clear_pointer (&self->survivors, g_hash_table_unref);
  self->survivors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint page = GPOINTER_TO_UINT (key);
      GPtrArray *items = value;

      cached = g_list_prepend (cached, key);
      for (guint i = 0; i < items->len && page * PAGE_SIZE + i < self->ids->len; i++)
        g_hash_table_insert (self->survivors,
                             g_memdup2 (&g_array_index (self->ids, gint64, page * PAGE_SIZE + i),
                                        sizeof (gint64)),
                             g_object_ref (g_ptr_array_index (items, i)));
    }

  old_ids = g_steal_pointer (&self->ids);
  old_n = self->n_items;
  new_n = ids->len;
  while (prefix < old_ids->len && prefix < new_n
         && g_array_index (old_ids, gint64, prefix) == g_array_index (ids, gint64, prefix))
    prefix++;
  while (suffix < old_ids->len - prefix && suffix < new_n - prefix
         && g_array_index (old_ids, gint64, old_ids->len - 1 - suffix)
            == g_array_index (ids, gint64, new_n - 1 - suffix))
    suffix++;

  self->ids = g_steal_pointer (&ids);
  self->n_items = new_n;
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  set_loading (self, FALSE);

  /* what was on screen is read again into the same objects */
  for (GList *l = cached; l != NULL; l = l->next)
    request_page (self, GPOINTER_TO_UINT (l->data));

  if (old_n != new_n || prefix + suffix < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_n - MIN (old_n, prefix + suffix),
                                new_n - MIN (new_n, prefix + suffix));
}

/* Reads the row ids of the same query again, keeping what is shown (a bulk change). */
static void
reload (AssayInteractionModel *self)
{
  if (!self->queried)
    return;
  if (self->ids == NULL)
    {
      /* still counting: the count in flight may predate the change, so count again */
      AssayInteractionFilter filter;

      assay_interaction_filter_copy (&filter, &self->filter);
      assay_interaction_model_set_query (self, &filter, self->sort, self->descending);
      assay_interaction_filter_clear (&filter);
      return;
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  /* no "loading" state: the rows shown stay as they are until the new ids arrive */
  _assay_store_run_async (self->store, ids_func, query_new (self), (GDestroyNotify) query_free,
                          (GDestroyNotify) g_array_unref, reload, self->cancellable,
                          reloaded_ids_cb, pending_new (self, 0));
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Pending) p = user_data;
  AssayInteractionModel *self = p->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = _assay_store_run_finish (ASSAY_STORE (source), result, &error);

  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Reading changed interactions failed: %s", error->message);
      return;
    }
  if (p->generation != self->generation)
    return;

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      GPtrArray *items;
      guint position;

      /* deleted, or not (yet) in this list: its rows must be counted again */
      if (row->facts.id == NULL || !find_position (self, row->rowid, &position))
        {
          reload (self);
          return;
        }
      items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (position / PAGE_SIZE));
      /* a row of a page not cached is read when it is next shown */
      if (items == NULL || position % PAGE_SIZE >= items->len)
        continue;
      assay_interaction_set_review (g_ptr_array_index (items, position % PAGE_SIZE), &row->review);
      assay_interaction_load (g_ptr_array_index (items, position % PAGE_SIZE), &row->facts,
                              row->agent_name, row->team_name);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
    }
}

static void
store_changed_cb (AssayStore            *store,
                  const char            *collection,
                  const char * const    *ids,
                  AssayInteractionModel *self)
{
  if (!self->queried)
    return;
  if (ids == NULL || self->ids == NULL || g_strv_length ((char **) ids) > MAX_UPDATE_IDS)
    {
      reload (self);
      return;
    }
  _assay_store_run_async (self->store, lookup_func, g_strdupv ((char **) ids),
                          (GDestroyNotify) g_strfreev, (GDestroyNotify) g_array_unref,
                          store_changed_cb, self->cancellable, looked_up_cb,
                          pending_new (self, 0));
}

/* An evaluation was saved or submitted: the rows in the cache are read again into the same
 * objects (their Evaluated cells change), without counting the list again, unless the list is
 * filtered by being evaluated. */
static void
evaluations_changed_cb (AssayStore            *store,
                        const char            *collection,
                        const char * const    *ids,
                        AssayInteractionModel *self)
{
  GHashTableIter iter;
  gpointer key, value;

  if (!self->queried)
    return;
  if (self->filter.evaluated != ASSAY_NONE || self->ids == NULL)
    {
      reload (self);
      return;
    }
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint page = GPOINTER_TO_UINT (key);
      GPtrArray *items = value;
      guint start = page * PAGE_SIZE;
      Query *q;

      if (start >= self->ids->len)
        continue;
      q = g_new0 (Query, 1);
      assay_interaction_filter_init (&q->filter);
      q->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);
      g_array_append_vals (q->rowids, &g_array_index (self->ids, gint64, start),
                           MIN (items->len, self->ids->len - start));
      _assay_store_run_async (self->store, page_func, q, (GDestroyNotify) query_free,
                              (GDestroyNotify) g_array_unref, evaluations_changed_cb,
                              self->cancellable, page_loaded_cb, pending_new (self, page));
    }
}

/* ---- GListModel ---- */

static GType
get_item_type (GListModel *model)
{
  return ASSAY_TYPE_INTERACTION;
}

static guint
get_n_items (GListModel *model)
{
  return ASSAY_INTERACTION_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  AssayInteractionModel *self = ASSAY_INTERACTION_MODEL (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL)
    {
      request_page (self, page);
      items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
      if (items == NULL)
        return NULL;
    }
  else
    touch_page (self, page);

  if (position % PAGE_SIZE >= items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (items, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- GObject ---- */

static void
assay_interaction_model_dispose (GObject *object)
{
  AssayInteractionModel *self = ASSAY_INTERACTION_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (assay_interaction_model_parent_class)->dispose (object);
}

static void
assay_interaction_model_finalize (GObject *object)
{
  AssayInteractionModel *self = ASSAY_INTERACTION_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->survivors, g_hash_table_unref);
  g_clear_pointer (&self->reuse, g_ptr_array_unref);
  g_queue_clear (&self->lru);
  g_clear_error (&self->error);
  assay_interaction_filter_clear (&self->filter);

  G_OBJECT_CLASS (assay_interaction_model_parent_class)->finalize (object);
}

static void
assay_interaction_model_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  AssayInteractionModel *self = ASSAY_INTERACTION_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_interaction_model_class_init (AssayInteractionModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = assay_interaction_model_dispose;
  object_class->finalize = assay_interaction_model_finalize;
  object_class->get_property = assay_interaction_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
assay_interaction_model_init (AssayInteractionModel *self)
{
  assay_interaction_filter_init (&self->filter);
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->sort = ASSAY_INTERACTION_SORT_STARTED;
  self->descending = TRUE;
}

AssayInteractionModel *
assay_interaction_model_new (AssayStore *store)
{
  AssayInteractionModel *self;

  g_return_val_if_fail (ASSAY_IS_STORE (store), NULL);

  self = g_object_new (ASSAY_TYPE_INTERACTION_MODEL, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_INTERACTIONS,
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (store, "changed::" ASSAY_STORE_EVALUATIONS,
                           G_CALLBACK (evaluations_changed_cb), self, 0);
  return self;
}

void
assay_interaction_model_set_query (AssayInteractionModel        *self,
                                   const AssayInteractionFilter *filter,
                                   AssayInteractionSort          sort,
                                   gboolean                      descending)
{
  AssayInteractionFilter empty;

  g_return_if_fail (ASSAY_IS_INTERACTION_MODEL (self));

  if (filter == NULL)
    {
      assay_interaction_filter_init (&empty);
      filter = &empty;
    }

  assay_interaction_filter_clear (&self->filter);
  assay_interaction_filter_copy (&self->filter, filter);
  self->sort = sort;
  self->descending = descending;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->queried = TRUE;
  set_error (self, NULL);

  /* the rows shown stay until the first page of the new query replaces them */
  g_clear_pointer (&self->survivors, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_array_unref);
  /* the first page's objects are refilled by the new query (first_page_cb); when it was
   * dropped from the cache, or a newer query came first, the old one's are kept */
  if (self->reuse == NULL || g_hash_table_contains (self->pages, GUINT_TO_POINTER (0)))
    {
      g_clear_pointer (&self->reuse, g_ptr_array_unref);
      g_hash_table_steal_extended (self->pages, GUINT_TO_POINTER (0), NULL, (gpointer *) &self->reuse);
    }
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  set_loading (self, TRUE);

  _assay_store_run_async (self->store, first_page_func, query_new (self),
                          (GDestroyNotify) query_free, (GDestroyNotify) g_array_unref,
                          assay_interaction_model_set_query, self->cancellable, first_page_cb,
                          pending_new (self, 0));
  _assay_store_run_async (self->store, ids_func, query_new (self), (GDestroyNotify) query_free,
                          (GDestroyNotify) g_array_unref, assay_interaction_model_set_query,
                          self->cancellable, ids_loaded_cb, pending_new (self, 0));
}

gboolean
assay_interaction_model_get_loading (AssayInteractionModel *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION_MODEL (self), FALSE);
  return self->loading;
}

const GError *
assay_interaction_model_get_error (AssayInteractionModel *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION_MODEL (self), NULL);
  return self->error;
}

guint
assay_interaction_model_get_cached_pages (AssayInteractionModel *self)
{
  g_return_val_if_fail (ASSAY_IS_INTERACTION_MODEL (self), 0);
  return g_hash_table_size (self->pages);
}
