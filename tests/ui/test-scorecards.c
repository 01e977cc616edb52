/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-context.h"
#include <glib/gstdio.h>
#include <math.h>

#include "pages/assay-scorecards-page-private.h"
#include "protocol/assay-form-json.h"
#include "test-db.h"
#include "widgets/assay-form-editor-private.h"

typedef struct {
  GtkWindow           *window;
  AssayScorecardsPage *page;
} Ui;

static gboolean
page_idle (gpointer data)
{
  return !assay_scorecards_page_get_busy (data);
}

static void
wait_idle (AssayScorecardsPage *page)
{
  test_wait_until (page_idle, page, 20);
}

static void
ui_open (Ui         *ui,
         AssayStore *store)
{
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);

  ui->window = GTK_WINDOW (gtk_window_new ());
  ui->page = g_object_new (ASSAY_TYPE_SCORECARDS_PAGE, "context", context, NULL);
  gtk_window_set_default_size (ui->window, 1300, 800);
  gtk_window_set_child (ui->window, GTK_WIDGET (ui->page));
  gtk_window_present (ui->window);
  wait_idle (ui->page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui->window));
}

static void
ui_close (Ui *ui)
{
  g_object_ref (ui->page);
  gtk_window_set_child (ui->window, NULL);
  gtk_window_destroy (ui->window);
  g_assert_finalize_object (ui->page);
}

static GFile *
demo_file (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("ASSAY_SOURCE_ROOT"), "data", "demo", "forms",
                                            "service-quality-en.json", NULL);

  return g_file_new_for_path (path);
}

static double
preview_score (AssayFormEditor *editor)
{
  return assay_scoring_panel_get_score (assay_form_editor_get_preview (editor))->overall;
}

static GtkSpinButton *
spin_at (AssayFormEditor *editor,
         const char      *path)
{
  GtkWidget *w = _assay_form_editor_get_field (editor, path);

  g_assert_true (GTK_IS_SPIN_BUTTON (w));
  return GTK_SPIN_BUTTON (w);
}

static void
answer (AssayFormEditor *editor,
        guint            item,
        guint            key)
{
  AssayScoringPanel *panel = assay_form_editor_get_preview (editor);

  assay_scoring_panel_focus_item (panel, item);
  g_assert_true (assay_scoring_panel_press_key (panel, key));
}

/* Publish, and say yes when asked. */
static void
publish (Ui *ui)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui->page), "scorecards.publish", NULL));
  dialog = _assay_scorecards_page_get_dialog (ui->page);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "publish");
  /* the dialog closes itself on a response */
  if ((dialog = _assay_scorecards_page_get_dialog (ui->page)) != NULL)
    gtk_window_destroy (dialog);
  wait_idle (ui->page);
}

static void
test_empty (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  Ui ui;

  ui_open (&ui, store);
  g_assert_cmpstr (_assay_scorecards_page_get_state (ui.page), ==, "empty");
  g_assert_cmpuint (_assay_scorecards_page_get_n_forms (ui.page), ==, 0);
  g_assert_cmpint (_assay_scorecards_page_get_version (ui.page, NULL), ==, 0);
  /* nothing to publish or edit without a scorecard: the actions do nothing */
  gtk_widget_activate_action (GTK_WIDGET (ui.page), "scorecards.publish", NULL);
  gtk_widget_activate_action (GTK_WIDGET (ui.page), "scorecards.edit", NULL);
  g_assert_false (assay_scorecards_page_get_busy (ui.page));
  g_assert_null (_assay_scorecards_page_get_dialog (ui.page));
  ui_close (&ui);
}

static char *
definition_of (AssayStore *store,
               int         version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) forms = assay_store_list_forms_sync (store, &error);
  g_autoptr(AssayFormVersionRecord) r = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (forms->len, >, 0);
  r = assay_store_get_form_version_sync (store, ((AssayFormRecord *) g_ptr_array_index (forms, 0))->id,
                                         version, &error);
  g_assert_no_error (error);
  return g_strdup (r->definition);
}

static void
test_edit_preview_publish (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autoptr(GFile) file = demo_file ();
  g_autofree char *v1_before = NULL;
  g_autofree char *v1_after = NULL;
  const AssayFormRecord *record;
  AssayFormEditor *editor;
  AssayForm *form;
  gint64 published_at = 0;
  double before, after;
  Ui ui;

  ui_open (&ui, store);

  /* import: listed, and opened (published, read-only) */
  _assay_scorecards_page_import_file (ui.page, file);
  wait_idle (ui.page);
  g_assert_null (_assay_scorecards_page_get_last_error (ui.page));
  g_assert_cmpstr (_assay_scorecards_page_get_state (ui.page), ==, "list");
  g_assert_cmpuint (_assay_scorecards_page_get_n_forms (ui.page), ==, 1);
  record = _assay_scorecards_page_get_form (ui.page, 0);
  g_assert_cmpstr (record->name, ==, "Customer Service Call Quality");
  g_assert_cmpint (record->published_version, ==, 1);
  g_assert_cmpint (_assay_scorecards_page_get_version (ui.page, &published_at), ==, 1);
  g_assert_cmpint (published_at, >, 0);

  editor = _assay_scorecards_page_get_editor (ui.page);
  g_assert_true (assay_form_editor_get_read_only (editor));
  form = assay_form_editor_get_form (editor);
  g_assert_cmpuint (form->sections->len, ==, 7);
  /* the editor shows every section and item */
  g_assert_nonnull (_assay_form_editor_get_field (editor, "sections[0].title"));
  g_assert_nonnull (_assay_form_editor_get_field (editor, "sections[6].items[2].text"));
  g_assert_null (_assay_form_editor_get_field (editor, "sections[7].title"));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (spin_at (editor, "sections[0].items[0].weight"))));
  gtk_widget_activate_action (GTK_WIDGET (ui.page), "scorecards.publish", NULL);
  g_assert_false (assay_scorecards_page_get_busy (ui.page));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui.window));
  v1_before = definition_of (store, 1);

  /* Edit: version 2 as a draft, saved at once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "scorecards.edit", NULL));
  wait_idle (ui.page);
  g_assert_cmpint (_assay_scorecards_page_get_version (ui.page, &published_at), ==, 2);
  g_assert_cmpint (published_at, ==, 0);
  g_assert_false (assay_form_editor_get_read_only (editor));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version WHERE version = 2"
                                             " AND published_at IS NULL"), ==, 1);

  /* what if: greeting Yes (weight 1), identity No (weight 2) in the opening */
  answer (editor, 0, GDK_KEY_1);
  answer (editor, 1, GDK_KEY_2);
  before = preview_score (editor);
  g_assert_cmpfloat_with_epsilon (before, 100.0 / 3, 1e-6);
  gtk_spin_button_set_value (spin_at (editor, "sections[0].items[0].weight"), 3);
  after = preview_score (editor);
  g_assert_cmpfloat_with_epsilon (after, 60, 1e-6);   /* 3 of 5 */
  {
    /* a figure, not a test: what one change costs (check, rescore, rebuild the preview) */
    gint64 start = g_get_monotonic_time ();

    for (int k = 0; k < 20; k++)
      gtk_spin_button_set_value (spin_at (editor, "sections[0].items[0].weight"), 4 + k % 2);
    g_test_message ("one change of a 19-item scorecard with its preview: %.2f ms",
                    (g_get_monotonic_time () - start) / 20000.0);
    gtk_spin_button_set_value (spin_at (editor, "sections[0].items[0].weight"), 3);
    g_assert_cmpfloat_with_epsilon (preview_score (editor), 60, 1e-6);
  }
  form = assay_form_editor_get_form (editor);
  g_assert_cmpfloat (((AssayItem *) g_ptr_array_index (
                        ((AssaySection *) g_ptr_array_index (form->sections, 0))->items, 0))->weight,
                     ==, 3);

  /* the change is saved as the draft */
  wait_idle (ui.page);
  {
    g_autofree char *draft = definition_of (store, 2);
    g_autoptr(AssayForm) saved = assay_form_draft_from_json (draft, -1, NULL);

    g_assert_nonnull (saved);
    g_assert_cmpfloat (((AssayItem *) g_ptr_array_index (
                          ((AssaySection *) g_ptr_array_index (saved->sections, 0))->items, 0))->weight,
                       ==, 3);
  }

  /* publish, once asked: version 2 exists, version 1 is as it was */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "scorecards.publish", NULL));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (_assay_scorecards_page_get_dialog (ui.page)), "cancel");
  if (_assay_scorecards_page_get_dialog (ui.page) != NULL)
    gtk_window_destroy (_assay_scorecards_page_get_dialog (ui.page));
  wait_idle (ui.page);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version WHERE version = 2"
                                             " AND published_at IS NOT NULL"), ==, 0);
  publish (&ui);
  g_assert_null (_assay_scorecards_page_get_last_error (ui.page));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version WHERE version = 2"
                                             " AND published_at IS NOT NULL"), ==, 1);
  v1_after = definition_of (store, 1);
  g_assert_cmpstr (v1_after, ==, v1_before);
  g_assert_cmpint (_assay_scorecards_page_get_version (ui.page, &published_at), ==, 2);
  g_assert_cmpint (published_at, >, 0);
  g_assert_true (assay_form_editor_get_read_only (editor));
  record = _assay_scorecards_page_get_form (ui.page, 0);
  g_assert_cmpint (record->published_version, ==, 2);
  g_assert_false (record->has_draft);

  /* a broken draft is refused with the path of the field */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "scorecards.edit", NULL));
  wait_idle (ui.page);
  g_assert_cmpint (_assay_scorecards_page_get_version (ui.page, NULL), ==, 3);
  gtk_spin_button_set_value (spin_at (editor, "sections[0].items[0].weight"), -1);
  g_assert_cmpstr (assay_form_editor_get_problem (editor), ==,
                   "sections[0].items[0].weight: must be >= 0");
  /* the field at fault is marked */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (spin_at (editor, "sections[0].items[0].weight")),
                                           "error"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "scorecards.publish", NULL));
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_scorecards_page_get_last_error (ui.page), ==,
                   "sections[0].items[0].weight: must be >= 0");
  g_assert_nonnull (_assay_scorecards_page_get_dialog (ui.page));
  gtk_window_destroy (_assay_scorecards_page_get_dialog (ui.page));
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version"
                                             " WHERE published_at IS NOT NULL"), ==, 2);
  /* ... but the draft keeps the edit */
  {
    g_autofree char *draft = definition_of (store, 3);

    g_assert_nonnull (strstr (draft, "\"weight\": -1"));
  }

  /* fixed, it publishes */
  gtk_spin_button_set_value (spin_at (editor, "sections[0].items[0].weight"), 2);
  g_assert_null (assay_form_editor_get_problem (editor));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (spin_at (editor, "sections[0].items[0].weight")),
                                            "error"));
  publish (&ui);
  g_assert_cmpint (test_db_query_int (store, "SELECT count(*) FROM form_version"
                                             " WHERE published_at IS NOT NULL"), ==, 3);
  ui_close (&ui);
}


static void
test_new_structure_and_flush (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autofree char *draft = NULL;
  g_autoptr(AssayForm) saved = NULL;
  AssayFormEditor *editor;
  AssayForm *form;
  GtkWidget *text;
  Ui ui;

  ui_open (&ui, store);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.page), "scorecards.new", NULL));
  wait_idle (ui.page);
  g_assert_cmpuint (_assay_scorecards_page_get_n_forms (ui.page), ==, 1);
  g_assert_cmpint (_assay_scorecards_page_get_version (ui.page, NULL), ==, 1);
  editor = _assay_scorecards_page_get_editor (ui.page);
  form = assay_form_editor_get_form (editor);
  g_assert_false (assay_form_editor_get_read_only (editor));
  g_assert_null (assay_form_editor_get_problem (editor));
  g_assert_cmpuint (form->sections->len, ==, 1);

  /* the kind of an item decides its fields: a scale has a range, no fatal flag */
  {
    GtkWidget *kind = _assay_form_editor_get_field (editor, "sections[0].items[0].kind");

    g_assert_true (ADW_IS_COMBO_ROW (kind));
    g_assert_nonnull (_assay_form_editor_get_field (editor, "sections[0].items[0].fatal"));
    adw_combo_row_set_selected (ADW_COMBO_ROW (kind), ASSAY_ITEM_SCALE);
    g_assert_null (_assay_form_editor_get_field (editor, "sections[0].items[0].fatal"));
    g_assert_cmpfloat (gtk_spin_button_get_value (spin_at (editor, "sections[0].items[0].max")), ==, 5);
    adw_combo_row_set_selected (ADW_COMBO_ROW (_assay_form_editor_get_field (editor, "sections[0].items[0].kind")),
                                ASSAY_ITEM_SINGLE_CHOICE);
    g_assert_nonnull (_assay_form_editor_get_field (editor, "sections[0].items[0].options[1].points"));
    g_assert_null (assay_form_editor_get_problem (editor));
  }

  /* an item added */
  {
    GtkWidget *button = _assay_form_editor_get_field (editor, "sections[0].items");

    /* "Add Item" */
    g_signal_emit_by_name (button, "clicked");
    g_assert_cmpuint (((AssaySection *) g_ptr_array_index (form->sections, 0))->items->len, ==, 2);
    g_assert_nonnull (_assay_form_editor_get_field (editor, "sections[0].items[1].text"));
  }

  /* a change still waiting is written when the page goes */
  text = _assay_form_editor_get_field (editor, "sections[0].items[1].text");
  gtk_editable_set_text (GTK_EDITABLE (text), "Closed the call & thanked <them>");
  g_assert_true (assay_scorecards_page_get_busy (ui.page));
  test_wait_until (page_idle, ui.page, 20);   /* the first saves */
  gtk_editable_set_text (GTK_EDITABLE (text), "Thanked the customer & closed");
  g_assert_true (assay_scorecards_page_get_busy (ui.page));   /* the save waits for typing to pause */
  ui_close (&ui);

  draft = definition_of (store, 1);
  saved = assay_form_draft_from_json (draft, -1, NULL);
  g_assert_nonnull (saved);
  g_assert_cmpstr (((AssayItem *) g_ptr_array_index (
                      ((AssaySection *) g_ptr_array_index (saved->sections, 0))->items, 1))->text,
                   ==, "Thanked the customer & closed");
}

static void
test_import_errors_and_export (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autofree char *dir = g_dir_make_tmp ("assay-forms-XXXXXX", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "broken.json", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out.json", NULL);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GFile) demo = demo_file ();
  g_autofree char *exported = NULL;
  g_autoptr(AssayForm) form = NULL;
  g_autoptr(GError) error = NULL;
  Ui ui;

  g_assert_true (g_file_set_contents (bad_path,
                                      "{\"format\": 1, \"id\": \"x\", \"name\": \"X\", \"version\": 1,"
                                      " \"sections\": [{\"id\": \"s\", \"title\": \"S\", \"items\": ["
                                      "{\"id\": \"a\", \"kind\": \"yes_no\", \"text\": \"A\","
                                      " \"weight\": -2}]}]}", -1, NULL));
  ui_open (&ui, store);
  _assay_scorecards_page_import_file (ui.page, bad);
  wait_idle (ui.page);
  g_assert_cmpstr (_assay_scorecards_page_get_last_error (ui.page), ==,
                   "broken.json: sections[0].items[0].weight: must be >= 0");
  g_assert_nonnull (_assay_scorecards_page_get_dialog (ui.page));
  gtk_window_destroy (_assay_scorecards_page_get_dialog (ui.page));
  g_assert_cmpstr (_assay_scorecards_page_get_state (ui.page), ==, "empty");

  _assay_scorecards_page_import_file (ui.page, demo);
  wait_idle (ui.page);
  _assay_scorecards_page_export_file (ui.page, out);
  wait_idle (ui.page);
  g_assert_true (g_file_get_contents (out_path, &exported, NULL, &error));
  g_assert_no_error (error);
  form = assay_form_from_json (exported, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (form->id, ==, "service-quality-en");
  g_assert_cmpuint (form->version, ==, 1);
  g_assert_true (assay_form_is_published (form));
  ui_close (&ui);

  g_unlink (bad_path);
  g_unlink (out_path);
  g_rmdir (dir);
}

/* Hostile files (docs/json-limits.md) get a clear message and change nothing; an export to a
 * folder fails with a message and leaves no file. */
static void
test_hostile_import_and_failed_export (void)
{
  g_autoptr(AssayStore) store = test_db_new (0);
  g_autofree char *dir = g_dir_make_tmp ("assay-forms-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "hostile.json", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autoptr(GFile) demo = demo_file ();
  GString *deep = g_string_new (NULL);
  g_autofree char *deep_text = NULL;
  const char *head = "{\"format\": 1, \"id\": \"x\", \"name\": \"X\", \"version\": 1, \"sections\": "
                     "[{\"id\": \"s\", \"title\": \"S\", \"items\": [{\"id\": \"a\", \"kind\": "
                     "\"yes_no\", \"text\": \"A\"";
  struct { char *text; const char *message; } cases[4];
  Ui ui;

  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  deep_text = g_string_free (deep, FALSE);
  cases[0].text = g_strdup_printf ("%s, \"text\": \"B\"}]}]}", head);
  cases[0].message = "hostile.json: not valid JSON: sections[0].items[0].text: the key \"text\" "
                     "appears twice in one object (line 1, column ";
  cases[1].text = g_strdup_printf ("%s, \"weight\": 1e400}]}]}", head);
  cases[1].message = "hostile.json: not valid JSON: sections[0].items[0].weight: the number 1e400 "
                     "is too large";
  cases[2].text = g_strdup_printf ("%s, \"help\": \"\xff\xfe\"}]}]}", head);
  cases[2].message = "hostile.json: not valid JSON: the text is not valid UTF-8";
  cases[3].text = g_strdup (deep_text);
  cases[3].message = "hostile.json: not valid JSON: [0][0][0][0][0][0][0][0]…[0][0][0][0][0][0][0][0][0][0][0][0][0]: "
                     "arrays and objects are nested deeper than 64 levels (line 1, column 65)";

  ui_open (&ui, store);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (g_file_set_contents (path, cases[i].text, -1, NULL));
      _assay_scorecards_page_import_file (ui.page, file);
      wait_idle (ui.page);
      if (!g_str_has_prefix (_assay_scorecards_page_get_last_error (ui.page), cases[i].message))
        g_error ("\"%s\" does not start with \"%s\"",
                 _assay_scorecards_page_get_last_error (ui.page), cases[i].message);
      g_assert_nonnull (_assay_scorecards_page_get_dialog (ui.page));
      gtk_window_destroy (_assay_scorecards_page_get_dialog (ui.page));
      g_assert_cmpstr (_assay_scorecards_page_get_state (ui.page), ==, "empty");
      g_free (cases[i].text);
    }

  _assay_scorecards_page_import_file (ui.page, demo);
  wait_idle (ui.page);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  _assay_scorecards_page_export_file (ui.page, folder_file);
  wait_idle (ui.page);
  g_assert_true (g_str_has_suffix (_assay_scorecards_page_get_last_error (ui.page),
                                   "folder.json is a folder: give a file name inside it"));
  g_assert_nonnull (_assay_scorecards_page_get_dialog (ui.page));
  gtk_window_destroy (_assay_scorecards_page_get_dialog (ui.page));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  ui_close (&ui);

  g_rmdir (folder);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/scorecards/empty", test_empty);
  g_test_add_func ("/ui/scorecards/edit-preview-publish", test_edit_preview_publish);
  g_test_add_func ("/ui/scorecards/new-structure-and-flush", test_new_structure_and_flush);
  g_test_add_func ("/ui/scorecards/import-errors-and-export", test_import_errors_and_export);
  g_test_add_func ("/ui/scorecards/hostile-import-and-failed-export",
                   test_hostile_import_and_failed_export);

  return g_test_run ();
}
