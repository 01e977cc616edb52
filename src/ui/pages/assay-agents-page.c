/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <math.h>

#include "assay-agents-page-private.h"
#include "assay-context.h"
#include "core/assay-directory.h"
#include "core/assay-kpi.h"
#include "core/assay-util.h"
#include "store/assay-store-directory.h"

#define DAY_MS      G_GINT64_CONSTANT (86400000)
/* agent rows count the interactions of this many days, whatever the period of the figures */
#define RECENT_DAYS 30

struct _AssayAgentsPage
{
  GtkWidget             parent_instance;

  AssayStore           *store;
  AssayContext         *context;
  GCancellable         *directory_cancellable;
  GCancellable         *team_figures_cancellable;
  GCancellable         *figures_cancellable;
  gboolean              folded;
  int                   period_days;
  gint64                period_from_ms;
  gint64                period_to_ms;
  gboolean              loading_directory;
  gboolean              loading_team_figures;
  gboolean              loading_figures;
  gboolean              busy;
  gboolean              loaded_once;
  gboolean              reload_on_map;   /* the store changed while the page was hidden */
  GError               *directory_error;
  const char           *state;           /* loading, empty, error, no-results or list */

  GListStore           *rows;            /* each AssayTeam followed by its AssayAgents */
  GtkCustomFilter      *filter;
  GtkFilterListModel   *filtered;
  GtkSingleSelection   *selection;
  GHashTable           *known_teams;     /* ids of the teams in rows */
  char                 *needle;          /* the folded search text, or NULL */
  GHashTable           *matched_teams;   /* team keys whose name matches the search */
  GHashTable           *shown_teams;     /* ... or that have a matching agent */
  GPtrArray            *loaded_teams;    /* between the two directory queries */
  gboolean              restoring;       /* selection changes made by the page itself */

  GObject              *subject;         /* the AssayAgent or AssayTeam in the detail */
  char                 *wanted_agent;    /* assay_agents_page_show_agent() before the load */
  AssayInteractionList *interactions;
  gboolean              interactions_have_store;

  /* template */
  GtkStack             *page_stack;
  GtkStack             *status_stack;
  AdwLeaflet           *leaflet;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *directory_stack;
  AdwStatusPage        *error_page;
  GtkListView          *list_view;
  GtkStack             *detail_stack;
  GtkScrolledWindow    *detail_scroller;
  AdwWindowTitle       *detail_title;
  AdwAvatar            *avatar;
  GtkLabel             *name_label;
  GtkLabel             *meta_label;
  GtkToggleButton      *period_7;
  GtkToggleButton      *period_30;
  GtkToggleButton      *period_90;
  GtkRevealer          *figures_error_revealer;
  GtkLabel             *figures_error_label;
  AssayFigureCard      *contacts_card;
  AssayFigureCard      *csat_card;
  AssayFigureCard      *nps_card;
  AssayFigureCard      *fcr_card;
  AssayFigureCard      *aht_phone_card;
  AssayFigureCard      *aht_written_card;
  AssayFigureCard      *service_level_card;
  GtkBox               *interactions_box;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FOLDED,
  PROP_PERIOD_DAYS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AssayAgentsPage, assay_agents_page, GTK_TYPE_WIDGET)

static void set_context (AssayAgentsPage *self,
                         AssayContext    *context);

static void load_figures      (AssayAgentsPage *self);
static void load_team_figures (AssayAgentsPage *self);

/* formatting, for the user's locale */

static char *
format_count (gint64 n)
{
  /* the ' flag groups thousands as the locale does */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static char *
format_percent (double value)
{
  g_autofree char *number = g_strdup_printf ("%.0f", round (value));

  /* Translators: a percentage; %s is the number. Write "%s%%" where no space is usual. */
  return g_strdup_printf (_("%s %%"), number);
}

static char *
format_nps (double value)
{
  double r = round (value);

  if (r > 0)
    return g_strdup_printf ("+%.0f", r);
  if (r < 0)
    return g_strdup_printf ("−%.0f", -r);   /* a real minus sign */
  return g_strdup ("0");
}

/* the n for ngettext () */
#define NCOUNT(n) ((gulong) CLAMP ((n), 0, G_MAXLONG))

/* state */

static void
update_busy (AssayAgentsPage *self)
{
  gboolean busy = self->loading_directory || self->loading_team_figures || self->loading_figures;

  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_directory_state (AssayAgentsPage *self)
{
  const char *state;

  if (self->directory_error != NULL)
    state = "error";
  else if (!self->loaded_once)
    state = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->rows)) == 0)
    state = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    state = "no-results";
  else
    state = "list";

  self->state = state;
  /* with nothing to pick from, the state covers the whole page; else only the list */
  if (g_str_equal (state, "list") || g_str_equal (state, "no-results"))
    {
      gtk_stack_set_visible_child_name (self->directory_stack, state);
      gtk_stack_set_visible_child_name (self->page_stack, "content");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->status_stack, state);
      gtk_stack_set_visible_child_name (self->page_stack, "status");
    }
}

static void
replace_cancellable (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
}

static void
cancel_all (AssayAgentsPage *self)
{
  g_cancellable_cancel (self->directory_cancellable);
  g_cancellable_cancel (self->team_figures_cancellable);
  g_cancellable_cancel (self->figures_cancellable);
  self->loading_directory = FALSE;
  self->loading_team_figures = FALSE;
  self->loading_figures = FALSE;
}

/* search */

static const char *
team_key (AssayTeam *team)
{
  const char *id = assay_team_get_id (team);

  return id != NULL ? id : "";
}

/* the group an agent is listed in: their team, or "" for the agents of no (known) team */
static const char *
agent_key (AssayAgentsPage *self,
           AssayAgent      *agent)
{
  const char *id = assay_agent_get_team_id (agent);

  return id != NULL && g_hash_table_contains (self->known_teams, id) ? id : "";
}

static gboolean
row_visible (gpointer item,
             gpointer user_data)
{
  AssayAgentsPage *self = user_data;

  if (self->needle == NULL)
    return TRUE;
  if (ASSAY_IS_TEAM (item))
    return g_hash_table_contains (self->shown_teams, team_key (item));
  return assay_agent_matches (item, self->needle)
         || g_hash_table_contains (self->matched_teams, agent_key (self, item));
}

static void
refilter (AssayAgentsPage *self)
{
  GListModel *rows = G_LIST_MODEL (self->rows);
  guint n = g_list_model_get_n_items (rows);

  g_hash_table_remove_all (self->matched_teams);
  g_hash_table_remove_all (self->shown_teams);
  if (self->needle != NULL)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (rows, i);

          if (ASSAY_IS_TEAM (item))
            {
              AssayTeam *team = ASSAY_TEAM (item);

              if (assay_directory_text_matches (assay_team_get_name (team), self->needle))
                {
                  g_hash_table_add (self->matched_teams, g_strdup (team_key (team)));
                  g_hash_table_add (self->shown_teams, g_strdup (team_key (team)));
                }
            }
          else if (assay_agent_matches (ASSAY_AGENT (item), self->needle))
            g_hash_table_add (self->shown_teams, g_strdup (agent_key (self, ASSAY_AGENT (item))));
        }
    }

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_directory_state (self);
}

static void
search_changed_cb (AssayAgentsPage *self,
                   GtkSearchEntry  *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->needle, g_free);
  if (*stripped != '\0')
    self->needle = assay_directory_fold_text (stripped);
  refilter (self);
}

static void
search_mode_cb (AssayAgentsPage *self,
                GParamSpec      *pspec,
                GtkSearchBar    *bar)
{
  /* a hidden search must not keep filtering the list */
  if (!gtk_search_bar_get_search_mode (bar))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* the directory list */

typedef struct {
  GtkWidget *avatar;
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *figures;
  GtkWidget *suffix;
} RowParts;

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              AssayAgentsPage          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  RowParts *parts = g_new0 (RowParts, 1);

  parts->avatar = adw_avatar_new (32, NULL, TRUE);
  gtk_widget_set_valign (parts->avatar, GTK_ALIGN_CENTER);
  parts->title = g_object_new (GTK_TYPE_LABEL, "xalign", 0.0f, "ellipsize", PANGO_ELLIPSIZE_END,
                               NULL);
  parts->subtitle = g_object_new (GTK_TYPE_LABEL, "xalign", 0.0f,
                                  "ellipsize", PANGO_ELLIPSIZE_END, NULL);
  gtk_widget_add_css_class (parts->subtitle, "caption");
  gtk_widget_add_css_class (parts->subtitle, "dim-label");
  parts->figures = g_object_new (GTK_TYPE_LABEL, "xalign", 0.0f, "wrap", TRUE,
                                 "wrap-mode", PANGO_WRAP_WORD_CHAR, NULL);
  gtk_widget_add_css_class (parts->figures, "caption");
  gtk_widget_add_css_class (parts->figures, "numeric");
  parts->suffix = g_object_new (GTK_TYPE_LABEL, "valign", GTK_ALIGN_CENTER, "xalign", 1.0f,
                                NULL);
  gtk_widget_add_css_class (parts->suffix, "caption");
  gtk_widget_add_css_class (parts->suffix, "dim-label");
  gtk_widget_add_css_class (parts->suffix, "numeric");

  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), parts->title);
  gtk_box_append (GTK_BOX (texts), parts->subtitle);
  gtk_box_append (GTK_BOX (texts), parts->figures);
  gtk_box_append (GTK_BOX (box), parts->avatar);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), parts->suffix);

  g_object_set_data_full (G_OBJECT (box), "parts", parts, g_free);
  g_object_set_data (G_OBJECT (box), "page", self);
  gtk_list_item_set_child (item, box);
}

/*
 * Keeps "CSAT 84 %" and "11 abandoned" on one line when a narrow label wraps: the spaces of
 * @text (taken) become no-break spaces, except around the " · " between its parts.
 */
static char *
keep_together (char *text)
{
  GString *string = g_string_new (text);

  g_free (text);
  g_string_replace (string, " ", "\u00a0", 0);
  g_string_replace (string, "\u00a0·\u00a0", " · ", 0);
  return g_string_free (string, FALSE);
}

static void
team_row_update (GtkWidget *box,
                 AssayTeam *team)
{
  RowParts *parts = g_object_get_data (G_OBJECT (box), "parts");
  AssayAgentsPage *self = g_object_get_data (G_OBJECT (box), "page");
  const AssayKpiCounts *counts = assay_team_get_counts (team);
  AssayKpiFigures figures;
  g_autoptr(GPtrArray) bits = NULL;
  g_autofree char *text = NULL;
  g_autofree char *period = NULL;

  if (counts == NULL)
    {
      gtk_widget_set_visible (parts->figures, FALSE);
      return;
    }

  assay_kpi_figures_compute (counts, &figures);
  bits = g_ptr_array_new_with_free_func (g_free);
  {
    g_autofree char *count = format_count (figures.contacts);
    g_ptr_array_add (bits, keep_together (g_strdup_printf (ngettext ("%s contact", "%s contacts",
                                                                   NCOUNT (figures.contacts)),
                                                         count)));
  }
  if (figures.csat.known)
    {
      g_autofree char *value = format_percent (figures.csat.value);
      /* Translators: CSAT and its value in a team row, e.g. "CSAT 84 %" */
      g_ptr_array_add (bits, keep_together (g_strdup_printf (_("CSAT %s"), value)));
    }
  if (figures.nps.known)
    {
      g_autofree char *value = format_nps (figures.nps.value);
      /* Translators: NPS and its value in a team row, e.g. "NPS +12" */
      g_ptr_array_add (bits, keep_together (g_strdup_printf (_("NPS %s"), value)));
    }
  g_ptr_array_add (bits, NULL);
  text = g_strjoinv (" · ", (char **) bits->pdata);
  gtk_label_set_label (GTK_LABEL (parts->figures), text);
  period = g_strdup_printf (ngettext ("Over the last %d day", "Over the last %d days",
                                      self->period_days), self->period_days);
  gtk_widget_set_tooltip_text (parts->figures, period);
  gtk_widget_set_visible (parts->figures, TRUE);
}

static void
team_counts_changed_cb (AssayTeam  *team,
                        GParamSpec *pspec,
                        GtkWidget  *box)
{
  team_row_update (box, team);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             AssayAgentsPage          *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  RowParts *parts = g_object_get_data (G_OBJECT (box), "parts");
  GObject *row = gtk_list_item_get_item (item);

  if (ASSAY_IS_TEAM (row))
    {
      AssayTeam *team = ASSAY_TEAM (row);
      const char *lead = assay_team_get_lead_name (team);
      g_autofree char *count = format_count (assay_team_get_agent_count (team));
      g_autofree char *agents = g_strdup_printf (ngettext ("%s agent", "%s agents",
                                                           assay_team_get_agent_count (team)),
                                                 count);
      gtk_widget_set_visible (parts->avatar, FALSE);
      gtk_label_set_label (GTK_LABEL (parts->title), assay_team_get_name (team));
      gtk_widget_add_css_class (parts->title, "heading");
      gtk_widget_remove_css_class (parts->title, "dim-label");
      if (lead != NULL)
        {
          /* Translators: a team's lead and size, e.g. "Lead: Li Na · 12 agents" */
          g_autofree char *text = g_strdup_printf (_("Lead: %s · %s"), lead, agents);
          gtk_label_set_label (GTK_LABEL (parts->subtitle), text);
        }
      else
        gtk_label_set_label (GTK_LABEL (parts->subtitle), agents);
      /* heads the agents' numbers of contacts below it */
      gtk_label_set_label (GTK_LABEL (parts->suffix),
                           C_("contacts of agents in a team", "30 days"));
      gtk_widget_set_tooltip_text (parts->suffix, _("Interactions in the last 30 days"));
      gtk_widget_set_valign (parts->suffix, GTK_ALIGN_START);
      gtk_widget_set_visible (parts->suffix, assay_team_get_agent_count (team) > 0);
      gtk_widget_add_css_class (box, "team-row");

      /* the group of agents in no team has no figures and no page */
      gtk_list_item_set_selectable (item, assay_team_get_id (team) != NULL);
      gtk_list_item_set_activatable (item, assay_team_get_id (team) != NULL);
      team_row_update (box, team);
      g_signal_connect_object (team, "notify::counts", G_CALLBACK (team_counts_changed_cb),
                               box, 0);
    }
  else
    {
      AssayAgent *agent = ASSAY_AGENT (row);
      g_autofree char *contacts = format_count (assay_agent_get_recent_contacts (agent));
      g_autofree char *tooltip =
        g_strdup_printf (ngettext ("%s interaction in the last 30 days",
                                   "%s interactions in the last 30 days",
                                   assay_agent_get_recent_contacts (agent)), contacts);

      gtk_widget_set_visible (parts->avatar, TRUE);
      adw_avatar_set_text (ADW_AVATAR (parts->avatar), assay_agent_get_name (agent));
      gtk_label_set_label (GTK_LABEL (parts->title), assay_agent_get_name (agent));
      gtk_widget_remove_css_class (parts->title, "heading");
      if (assay_agent_get_active (agent))
        {
          gtk_label_set_label (GTK_LABEL (parts->subtitle), assay_agent_get_employee_code (agent));
          gtk_widget_remove_css_class (parts->title, "dim-label");
        }
      else
        {
          /* Translators: an employee code and a state, e.g. "E042 · Inactive" */
          g_autofree char *text = g_strdup_printf (_("%s · Inactive"),
                                                   assay_agent_get_employee_code (agent));
          gtk_label_set_label (GTK_LABEL (parts->subtitle), text);
          gtk_widget_add_css_class (parts->title, "dim-label");
        }
      gtk_widget_set_visible (parts->figures, FALSE);
      gtk_label_set_label (GTK_LABEL (parts->suffix), contacts);
      gtk_widget_set_tooltip_text (parts->suffix, tooltip);
      gtk_widget_set_valign (parts->suffix, GTK_ALIGN_CENTER);
      gtk_widget_set_visible (parts->suffix, TRUE);
      gtk_widget_remove_css_class (box, "team-row");
      gtk_list_item_set_selectable (item, TRUE);
      gtk_list_item_set_activatable (item, TRUE);
    }
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               AssayAgentsPage          *self)
{
  GObject *row = gtk_list_item_get_item (item);

  if (ASSAY_IS_TEAM (row))
    g_signal_handlers_disconnect_by_func (row, team_counts_changed_cb,
                                          gtk_list_item_get_child (item));
}

/* the detail */

static void
reset_cards (AssayAgentsPage *self)
{
  AssayFigureCard *cards[] = { self->contacts_card, self->csat_card, self->nps_card,
                               self->fcr_card, self->aht_phone_card, self->aht_written_card,
                               self->service_level_card };

  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    {
      assay_figure_card_set_value (cards[i], NULL);
      assay_figure_card_set_caption (cards[i], NULL);
      assay_figure_card_set_level (cards[i], ASSAY_KPI_LEVEL_NONE);
    }
}

/* @caption: what the figure rests on ("of 212 answers"), shown when it is known */
static void
set_share_card (AssayFigureCard     *card,
                AssayKpi             kpi,
                const AssayKpiValue *value,
                const char          *caption,
                const char          *no_data)
{
  if (value->known)
    {
      g_autofree char *text = kpi == ASSAY_KPI_NPS ? format_nps (value->value)
                                                  : format_percent (value->value);

      assay_figure_card_set_value (card, text);
      assay_figure_card_set_caption (card, caption);
    }
  else
    {
      assay_figure_card_set_value (card, NULL);
      assay_figure_card_set_caption (card, no_data);
    }
  assay_figure_card_set_level (card, assay_kpi_level (kpi, value));
}

static void
set_time_card (AssayFigureCard     *card,
               const AssayKpiValue *value,
               const char          *caption,
               const char          *no_data)
{
  if (value->known)
    {
      g_autofree char *text = assay_format_duration (value->value);

      assay_figure_card_set_value (card, text);
      assay_figure_card_set_caption (card, caption);
    }
  else
    {
      assay_figure_card_set_value (card, NULL);
      assay_figure_card_set_caption (card, no_data);
    }
  assay_figure_card_set_level (card, ASSAY_KPI_LEVEL_NONE);
}

static void
apply_counts (AssayAgentsPage      *self,
              const AssayKpiCounts *counts)
{
  AssayKpiFigures f;
  g_autofree char *contacts = NULL;
  char *n, *caption;

  assay_kpi_figures_compute (counts, &f);

  contacts = format_count (f.contacts);
  assay_figure_card_set_value (self->contacts_card, contacts);
  if (f.contacts > 0)
    {
      g_autofree char *handled = format_count (f.handled);
      g_autofree char *abandoned = format_count (f.abandoned);
      /* Translators: under the number of contacts, e.g. "40 handled · 2 abandoned" */
      g_autofree char *text = keep_together (g_strdup_printf (_("%s handled · %s abandoned"),
                                                              handled, abandoned));
      assay_figure_card_set_caption (self->contacts_card, text);
    }
  else
    assay_figure_card_set_caption (self->contacts_card, _("None in this period"));
  assay_figure_card_set_level (self->contacts_card, ASSAY_KPI_LEVEL_NONE);

  n = format_count (f.csat.n);
  caption = g_strdup_printf (ngettext ("of %s answer", "of %s answers", NCOUNT (f.csat.n)), n);
  set_share_card (self->csat_card, ASSAY_KPI_CSAT, &f.csat, caption, _("No survey answers"));
  g_free (n), g_free (caption);

  n = format_count (f.nps.n);
  caption = g_strdup_printf (ngettext ("of %s answer", "of %s answers", NCOUNT (f.nps.n)), n);
  set_share_card (self->nps_card, ASSAY_KPI_NPS, &f.nps, caption, _("No survey answers"));
  g_free (n), g_free (caption);

  n = format_count (f.fcr.n);
  caption = g_strdup_printf (ngettext ("of %s contact with a known outcome",
                                       "of %s contacts with a known outcome",
                                       NCOUNT (f.fcr.n)), n);
  set_share_card (self->fcr_card, ASSAY_KPI_FCR, &f.fcr, caption, _("No known outcomes"));
  g_free (n), g_free (caption);

  n = format_count (f.aht_phone.n);
  caption = g_strdup_printf (ngettext ("over %s call", "over %s calls", NCOUNT (f.aht_phone.n)),
                             n);
  set_time_card (self->aht_phone_card, &f.aht_phone, caption, _("No handled calls"));
  g_free (n), g_free (caption);

  n = format_count (f.aht_written.n);
  caption = g_strdup_printf (ngettext ("over %s contact", "over %s contacts",
                                       NCOUNT (f.aht_written.n)), n);
  set_time_card (self->aht_written_card, &f.aht_written, caption,
                 _("No handled chats or emails"));
  g_free (n), g_free (caption);

  n = format_count (f.service_level.n);
  caption = g_strdup_printf (ngettext ("of %s call offered", "of %s calls offered",
                                       NCOUNT (f.service_level.n)), n);
  set_share_card (self->service_level_card, ASSAY_KPI_SERVICE_LEVEL, &f.service_level, caption,
                  _("No calls offered"));
  g_free (n), g_free (caption);
}

/* An error above the cards, or with %NULL none; hidden, it takes no room. */
static void
show_figures_error (AssayAgentsPage *self,
                    const char      *message)
{
  if (message != NULL)
    gtk_label_set_label (self->figures_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->figures_error_revealer), message != NULL);
  gtk_revealer_set_reveal_child (self->figures_error_revealer, message != NULL);
}

static void
figures_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AssayStore *store = ASSAY_STORE (source);
  g_autoptr(GError) error = NULL;
  AssayKpiCounts counts = { 0 };
  AssayAgentsPage *self;
  gboolean ok;

  if (g_async_result_is_tagged (result, assay_store_agent_counts_async))
    ok = assay_store_agent_counts_finish (store, result, &counts, &error);
  else
    ok = assay_store_team_counts_finish (store, result, &counts, &error);
  /* a cancelled load belongs to a page that moved on, or is gone */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = ASSAY_AGENTS_PAGE (user_data);
  self->loading_figures = FALSE;
  update_busy (self);

  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("The figures could not be computed: %s"),
                                                  error->message);
      show_figures_error (self, message);
      reset_cards (self);
      return;
    }
  show_figures_error (self, NULL);
  apply_counts (self, &counts);
}

static void
update_period (AssayAgentsPage *self)
{
  self->period_to_ms = assay_now_ms ();
  self->period_from_ms = self->period_to_ms - self->period_days * DAY_MS;
}

static void
update_interactions (AssayAgentsPage *self)
{
  AssayInteractionFilter filter;

  if (self->subject == NULL || self->store == NULL)
    return;

  assay_interaction_filter_init (&filter);
  if (ASSAY_IS_AGENT (self->subject))
    filter.agent_id = g_strdup (assay_agent_get_id (ASSAY_AGENT (self->subject)));
  else
    filter.team_id = g_strdup (assay_team_get_id (ASSAY_TEAM (self->subject)));
  /* the same period as the figures; open-ended so that what arrives meanwhile shows */
  filter.from_ms = self->period_from_ms;
  assay_interaction_list_set_show_agent (self->interactions, ASSAY_IS_TEAM (self->subject));
  assay_interaction_list_set_filter (self->interactions, &filter);
  assay_interaction_filter_clear (&filter);
  /* given the store only now, so the list never runs an unfiltered query */
  if (!self->interactions_have_store)
    {
      assay_interaction_list_set_store (self->interactions, self->store);
      self->interactions_have_store = TRUE;
    }
}

static void
load_figures (AssayAgentsPage *self)
{
  if (self->subject == NULL || self->store == NULL)
    return;

  replace_cancellable (&self->figures_cancellable);
  self->loading_figures = TRUE;
  update_busy (self);
  update_period (self);

  if (ASSAY_IS_AGENT (self->subject))
    assay_store_agent_counts_async (self->store, assay_agent_get_id (ASSAY_AGENT (self->subject)),
                                    self->period_from_ms, self->period_to_ms,
                                    self->figures_cancellable, figures_cb, self);
  else
    assay_store_team_counts_async (self->store, assay_team_get_id (ASSAY_TEAM (self->subject)),
                                   self->period_from_ms, self->period_to_ms,
                                   self->figures_cancellable, figures_cb, self);
  update_interactions (self);
}

static void
update_detail_header (AssayAgentsPage *self)
{
  g_autoptr(GPtrArray) bits = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *meta = NULL;
  g_autofree char *period = NULL;
  const char *name;

  if (ASSAY_IS_AGENT (self->subject))
    {
      AssayAgent *agent = ASSAY_AGENT (self->subject);
      const char *team = assay_agent_get_team_name (agent);

      name = assay_agent_get_name (agent);
      g_ptr_array_add (bits, g_strdup (team != NULL ? team : _("No team")));
      /* Translators: an agent's employee code, e.g. "Code E042" */
      g_ptr_array_add (bits, g_strdup_printf (_("Code %s"), assay_agent_get_employee_code (agent)));
      if (!assay_agent_get_active (agent))
        g_ptr_array_add (bits, g_strdup (_("Inactive")));
    }
  else
    {
      AssayTeam *team = ASSAY_TEAM (self->subject);
      const char *lead = assay_team_get_lead_name (team);

      name = assay_team_get_name (team);
      if (lead != NULL)
        g_ptr_array_add (bits, g_strdup_printf (_("Lead: %s"), lead));
      else
        g_ptr_array_add (bits, g_strdup (_("No lead")));
      g_autofree char *count = format_count (assay_team_get_agent_count (team));

      g_ptr_array_add (bits, g_strdup_printf (ngettext ("%s agent", "%s agents",
                                                        assay_team_get_agent_count (team)),
                                              count));
    }
  g_ptr_array_add (bits, NULL);
  meta = g_strjoinv (" · ", (char **) bits->pdata);

  adw_avatar_set_text (self->avatar, name);
  adw_avatar_set_icon_name (self->avatar, ASSAY_IS_TEAM (self->subject)
                                          ? "system-users-symbolic" : NULL);
  adw_avatar_set_show_initials (self->avatar, ASSAY_IS_AGENT (self->subject));
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->meta_label, meta);

  period = g_strdup_printf (ngettext ("Last %d day", "Last %d days", self->period_days),
                            self->period_days);
  adw_window_title_set_title (self->detail_title, name);
  adw_window_title_set_subtitle (self->detail_title, period);
}

static void
show_subject (AssayAgentsPage *self,
              GObject         *subject,
              gboolean         navigate)
{
  gboolean same = self->subject != NULL && subject != NULL
                  && G_OBJECT_TYPE (self->subject) == G_OBJECT_TYPE (subject)
                  && g_strcmp0 (ASSAY_IS_AGENT (subject)
                                  ? assay_agent_get_id (ASSAY_AGENT (subject))
                                  : assay_team_get_id (ASSAY_TEAM (subject)),
                                ASSAY_IS_AGENT (self->subject)
                                  ? assay_agent_get_id (ASSAY_AGENT (self->subject))
                                  : assay_team_get_id (ASSAY_TEAM (self->subject))) == 0;

  g_set_object (&self->subject, subject);
  if (subject == NULL)
    {
      g_cancellable_cancel (self->figures_cancellable);
      self->loading_figures = FALSE;
      update_busy (self);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      adw_window_title_set_title (self->detail_title, "");
      adw_window_title_set_subtitle (self->detail_title, "");
      return;
    }

  update_detail_header (self);
  if (!same)
    {
      /* never show one agent's figures under another's name */
      reset_cards (self);
      show_figures_error (self, NULL);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
    }
  load_figures (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  /* only when folded: an unfolded leaflet would move the focus out of the list */
  if (navigate && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

static void
selection_changed_cb (AssayAgentsPage    *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  GObject *item = gtk_single_selection_get_selected_item (selection);

  if (self->restoring || item == NULL
      || (ASSAY_IS_TEAM (item) && assay_team_get_id (ASSAY_TEAM (item)) == NULL))
    return;
  if (item == self->subject)   /* back in a folded page, the same row again */
    adw_leaflet_set_visible_child_name (self->leaflet, "detail");
  else
    show_subject (self, item, TRUE);
}

static void
leaflet_visible_child_cb (AssayAgentsPage *self,
                          GParamSpec      *pspec,
                          AdwLeaflet      *leaflet)
{
  /* back in the list of a folded page: a click on the same row must open it again */
  if (adw_leaflet_get_folded (leaflet)
      && g_strcmp0 (adw_leaflet_get_visible_child_name (leaflet), "directory") == 0)
    {
      self->restoring = TRUE;
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      self->restoring = FALSE;
    }
}

/* Selects the row of @item without navigating; returns whether it is shown. */
static gboolean
select_item (AssayAgentsPage *self,
             GObject         *item)
{
  GListModel *model = G_LIST_MODEL (self->filtered);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (model, i);

      if (row == item)
        {
          self->restoring = TRUE;
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
          self->restoring = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

static GObject *
find_row (AssayAgentsPage *self,
          GType            type,
          const char      *id)
{
  GListModel *rows = G_LIST_MODEL (self->rows);
  guint n = g_list_model_get_n_items (rows);

  if (id == NULL)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (rows, i);

      if (G_OBJECT_TYPE (row) != type)
        continue;
      if (g_strcmp0 (type == ASSAY_TYPE_AGENT ? assay_agent_get_id (ASSAY_AGENT (row))
                                               : assay_team_get_id (ASSAY_TEAM (row)), id) == 0)
        return row;   /* the list store keeps it alive */
    }
  return NULL;
}

static void
open_wanted_agent (AssayAgentsPage *self)
{
  g_autofree char *id = g_steal_pointer (&self->wanted_agent);
  GObject *agent = find_row (self, ASSAY_TYPE_AGENT, id);

  if (agent == NULL)
    return;
  if (!select_item (self, agent))
    {
      /* hidden by the search: show everything */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      select_item (self, agent);
    }
  show_subject (self, agent, TRUE);
}

/* loading the directory */

static void
directory_failed (AssayAgentsPage *self,
                  GError          *error)
{
  g_clear_error (&self->directory_error);
  self->directory_error = g_error_copy (error);
  adw_status_page_set_description (self->error_page, error->message);
  self->loading_directory = FALSE;
  update_busy (self);
  update_directory_state (self);
}

static void
fill_rows (AssayAgentsPage *self,
           GPtrArray       *teams,
           GPtrArray       *agents)
{
  g_autoptr(GHashTable) by_team = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) no_team = g_ptr_array_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(AssayTeam) no_team_header = NULL;
  const char *subject_id = NULL;
  GObject *subject = NULL;

  g_hash_table_remove_all (self->known_teams);
  for (guint i = 0; i < teams->len; i++)
    {
      const char *id = assay_team_get_id (teams->pdata[i]);

      g_hash_table_add (self->known_teams, g_strdup (id));
      g_hash_table_insert (by_team, (gpointer) id, g_ptr_array_new ());
    }
  for (guint i = 0; i < agents->len; i++)
    {
      const char *id = assay_agent_get_team_id (agents->pdata[i]);
      GPtrArray *members = id != NULL ? g_hash_table_lookup (by_team, id) : NULL;

      g_ptr_array_add (members != NULL ? members : no_team, agents->pdata[i]);
    }

  for (guint i = 0; i < teams->len; i++)
    {
      GPtrArray *members = g_hash_table_lookup (by_team, assay_team_get_id (teams->pdata[i]));

      g_ptr_array_add (items, teams->pdata[i]);
      g_ptr_array_extend (items, members, NULL, NULL);
    }
  if (no_team->len > 0)
    {
      no_team_header = assay_team_new (NULL, _("No Team"), NULL, no_team->len);
      g_ptr_array_add (items, no_team_header);
      g_ptr_array_extend (items, no_team, NULL, NULL);
    }

  if (self->subject != NULL)
    subject_id = ASSAY_IS_AGENT (self->subject) ? assay_agent_get_id (ASSAY_AGENT (self->subject))
                                                : assay_team_get_id (ASSAY_TEAM (self->subject));

  self->restoring = TRUE;
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
  self->restoring = FALSE;
  self->loaded_once = TRUE;
  refilter (self);

  /* keep the agent or team on show, now as its fresh row */
  if (self->subject != NULL)
    {
      subject = find_row (self, G_OBJECT_TYPE (self->subject), subject_id);
      if (subject != NULL)
        select_item (self, subject);
      show_subject (self, subject, FALSE);
    }
}

static void
agents_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  AssayAgentsPage *self;

  agents = assay_store_list_agents_finish (ASSAY_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = ASSAY_AGENTS_PAGE (user_data);
  teams = g_steal_pointer (&self->loaded_teams);
  if (agents == NULL)
    {
      directory_failed (self, error);
      return;
    }

  g_clear_error (&self->directory_error);
  self->loading_directory = FALSE;
  fill_rows (self, teams, agents);
  update_busy (self);
  load_team_figures (self);
  if (self->wanted_agent != NULL)
    open_wanted_agent (self);
}

static void
teams_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  AssayAgentsPage *self;

  teams = assay_store_list_teams_finish (ASSAY_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = ASSAY_AGENTS_PAGE (user_data);
  if (teams == NULL)
    {
      directory_failed (self, error);
      return;
    }

  g_clear_pointer (&self->loaded_teams, g_ptr_array_unref);
  self->loaded_teams = g_steal_pointer (&teams);
  assay_store_list_agents_async (self->store, assay_now_ms () - RECENT_DAYS * DAY_MS,
                                 self->directory_cancellable, agents_loaded_cb, self);
}

static void
team_figures_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) counts = NULL;
  AssayAgentsPage *self;
  guint n;

  counts = assay_store_all_team_counts_finish (ASSAY_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = ASSAY_AGENTS_PAGE (user_data);
  self->loading_team_figures = FALSE;
  update_busy (self);
  /* the rows simply go without figures; the agent's page reports its own errors */
  if (counts == NULL)
    {
      g_debug ("Team figures: %s", error->message);
      return;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);
      const char *id;

      if (!ASSAY_IS_TEAM (row) || (id = assay_team_get_id (ASSAY_TEAM (row))) == NULL)
        continue;
      assay_team_set_counts (ASSAY_TEAM (row), g_hash_table_lookup (counts, id));
    }
}

static void
load_team_figures (AssayAgentsPage *self)
{
  gint64 to_ms;

  if (self->store == NULL || !self->loaded_once)
    return;

  replace_cancellable (&self->team_figures_cancellable);
  self->loading_team_figures = TRUE;
  update_busy (self);
  to_ms = assay_now_ms ();
  assay_store_all_team_counts_async (self->store, to_ms - self->period_days * DAY_MS, to_ms,
                                     self->team_figures_cancellable, team_figures_cb, self);
}

/* actions */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  assay_agents_page_reload (ASSAY_AGENTS_PAGE (widget));
}

static void
reload_figures_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  load_figures (ASSAY_AGENTS_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Return on a row (or a double click): open it, in a folded page too */
static void
list_activate_cb (AssayAgentsPage *self,
                  guint            position,
                  GtkListView     *view)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (item == NULL || (ASSAY_IS_TEAM (item) && assay_team_get_id (ASSAY_TEAM (item)) == NULL))
    return;
  if (item != self->subject)
    {
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
      return;   /* the selection shows it */
    }
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
period_toggled_cb (AssayAgentsPage *self,
                   GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->period_7)
    assay_agents_page_set_period_days (self, 7);
  else if (button == self->period_90)
    assay_agents_page_set_period_days (self, 90);
  else
    assay_agents_page_set_period_days (self, 30);
}

/* GObject */

static void
assay_agents_page_dispose (GObject *object)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (object);

  cancel_all (self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_AGENTS_PAGE);
  self->interactions = NULL;
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->rows);
  g_clear_object (&self->subject);
  g_clear_pointer (&self->loaded_teams, g_ptr_array_unref);
  g_clear_object (&self->directory_cancellable);
  g_clear_object (&self->team_figures_cancellable);
  g_clear_object (&self->figures_cancellable);
  /* the store and the context outlive the page: nothing of theirs reaches it once disposed */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (assay_agents_page_parent_class)->dispose (object);
}

static void
assay_agents_page_finalize (GObject *object)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (object);

  g_clear_error (&self->directory_error);
  g_clear_pointer (&self->known_teams, g_hash_table_unref);
  g_clear_pointer (&self->matched_teams, g_hash_table_unref);
  g_clear_pointer (&self->shown_teams, g_hash_table_unref);
  g_free (self->needle);
  g_free (self->wanted_agent);

  G_OBJECT_CLASS (assay_agents_page_parent_class)->finalize (object);
}

static void
assay_agents_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_PERIOD_DAYS:
      g_value_set_int (value, self->period_days);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_agents_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AssayAgentsPage *self = ASSAY_AGENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      set_context (self, g_value_get_object (value));
      break;
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PERIOD_DAYS:
      assay_agents_page_set_period_days (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_agents_page_class_init (AssayAgentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_agents_page_dispose;
  object_class->finalize = assay_agents_page_finalize;
  object_class->get_property = assay_agents_page_get_property;
  object_class->set_property = assay_agents_page_set_property;

  /* whether the window shows the page alone (narrow): the page then offers a back button */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERIOD_DAYS] =
    g_param_spec_int ("period-days", NULL, NULL, 1, 3660, 30,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASSAY_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ASSAY_TYPE_FIGURE_CARD);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assayqa/Assay/ui/assay-agents-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, status_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, directory_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, period_7);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, period_30);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, period_90);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, figures_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, figures_error_label);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, contacts_card);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, csat_card);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, nps_card);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, fcr_card);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, aht_phone_card);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, aht_written_card);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, service_level_card);
  gtk_widget_class_bind_template_child (widget_class, AssayAgentsPage, interactions_box);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_cb);
  gtk_widget_class_bind_template_callback (widget_class, period_toggled_cb);

  gtk_widget_class_install_action (widget_class, "agents.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "agents.reload-figures", NULL,
                                   reload_figures_action);
  gtk_widget_class_install_action (widget_class, "agents.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "agents.search", NULL, search_action);
  /* listed in the shortcuts window as "Lists: Search" */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "agents.search", NULL);
}

static void
store_changed_cb (AssayAgentsPage *self)
{
  /* new contacts, agents or teams: the directory and its figures are read again, now if the
   * page is shown, else when it is */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    assay_agents_page_reload (self);
  else
    self->reload_on_map = TRUE;
}

/* The figures of every team are heavy on a large centre: they are read when the page is
 * shown, so they do not hold up the page the user is looking at. */
static void
set_context (AssayAgentsPage *self,
             AssayContext    *context)
{
  if (context == NULL)
    return;
  g_assert (self->context == NULL);
  self->context = g_object_ref (context);
  self->store = g_object_ref (assay_context_get_store (context));
  g_signal_connect_object (self->store, "changed::" ASSAY_STORE_DIRECTORY,
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::" ASSAY_STORE_INTERACTIONS,
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  self->reload_on_map = TRUE;
}

static void
agents_page_map_cb (AssayAgentsPage *self)
{
  if (!self->reload_on_map)
    return;
  self->reload_on_map = FALSE;
  assay_agents_page_reload (self);
}

static void
assay_agents_page_init (AssayAgentsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  self->period_days = 30;
  self->known_teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->matched_teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->shown_teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->directory_cancellable = g_cancellable_new ();
  self->team_figures_cancellable = g_cancellable_new ();
  self->figures_cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (agents_page_map_cb), NULL);

  self->rows = g_list_store_new (G_TYPE_OBJECT);
  self->filter = gtk_custom_filter_new (row_visible, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->rows)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (update_directory_state), self, G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (list_activate_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  self->interactions = assay_interaction_list_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (self->interactions), TRUE);
  gtk_box_append (self->interactions_box, GTK_WIDGET (self->interactions));

  update_directory_state (self);
}

/* public API */

void
assay_agents_page_reload (AssayAgentsPage *self)
{
  g_return_if_fail (ASSAY_IS_AGENTS_PAGE (self));

  if (self->store == NULL)
    return;

  replace_cancellable (&self->directory_cancellable);
  g_clear_error (&self->directory_error);
  self->loading_directory = TRUE;
  update_busy (self);
  update_directory_state (self);
  assay_store_list_teams_async (self->store, self->directory_cancellable, teams_loaded_cb, self);
}

void
assay_agents_page_show_agent (AssayAgentsPage *self,
                              const char      *agent_id)
{
  g_return_if_fail (ASSAY_IS_AGENTS_PAGE (self));
  g_return_if_fail (agent_id != NULL);

  assay_set_str (&self->wanted_agent, agent_id);
  if (self->loaded_once && !self->loading_directory)
    open_wanted_agent (self);
}

int
assay_agents_page_get_period_days (AssayAgentsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENTS_PAGE (self), 30);
  return self->period_days;
}

void
assay_agents_page_set_period_days (AssayAgentsPage *self,
                                   int              days)
{
  GtkToggleButton *button = NULL;

  g_return_if_fail (ASSAY_IS_AGENTS_PAGE (self));
  g_return_if_fail (days >= 1 && days <= 3660);

  if (self->period_days == days)
    return;
  self->period_days = days;

  if (days == 7)
    button = self->period_7;
  else if (days == 30)
    button = self->period_30;
  else if (days == 90)
    button = self->period_90;
  if (button != NULL)
    gtk_toggle_button_set_active (button, TRUE);
  else
    {
      gtk_toggle_button_set_active (self->period_7, FALSE);
      gtk_toggle_button_set_active (self->period_30, FALSE);
      gtk_toggle_button_set_active (self->period_90, FALSE);
    }

  if (self->subject != NULL)
    {
      update_detail_header (self);
      load_figures (self);
    }
  load_team_figures (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD_DAYS]);
}

gboolean
assay_agents_page_get_busy (AssayAgentsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_AGENTS_PAGE (self), FALSE);
  return self->busy;
}

/* for tests */

GListModel *
_assay_agents_page_get_rows (AssayAgentsPage *self)
{
  return G_LIST_MODEL (self->filtered);
}

const char *
_assay_agents_page_get_directory_state (AssayAgentsPage *self)
{
  return self->state;
}

const char *
_assay_agents_page_get_detail_state (AssayAgentsPage *self)
{
  return gtk_stack_get_visible_child_name (self->detail_stack);
}

GtkEditable *
_assay_agents_page_get_search_entry (AssayAgentsPage *self)
{
  return GTK_EDITABLE (self->search_entry);
}

void
_assay_agents_page_select_row (AssayAgentsPage *self,
                               guint            position)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

AssayFigureCard *
_assay_agents_page_get_card (AssayAgentsPage *self,
                             const char      *kpi)
{
  if (g_str_equal (kpi, "contacts"))
    return self->contacts_card;
  if (g_str_equal (kpi, "csat"))
    return self->csat_card;
  if (g_str_equal (kpi, "nps"))
    return self->nps_card;
  if (g_str_equal (kpi, "fcr"))
    return self->fcr_card;
  if (g_str_equal (kpi, "aht-phone"))
    return self->aht_phone_card;
  if (g_str_equal (kpi, "aht-written"))
    return self->aht_written_card;
  if (g_str_equal (kpi, "service-level"))
    return self->service_level_card;
  g_return_val_if_reached (NULL);
}

const char *
_assay_agents_page_get_title (AssayAgentsPage *self)
{
  return gtk_label_get_label (self->name_label);
}

AssayInteractionList *
_assay_agents_page_get_interactions (AssayAgentsPage *self)
{
  return self->interactions;
}
