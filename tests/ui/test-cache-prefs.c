/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences → Recordings Cache: the two limits are the settings keys, both ways, within
 * the schema's ranges. */
#include <adwaita.h>

#include "assay-context.h"
#include "assay-preferences-window.h"

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_cache_limits (void)
{
  g_autoptr(AssayStore) store = assay_store_new ("/tmp/somewhere/assay.db");   /* never opened */
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.assayqa.Assay");
  AssayPreferencesWindow *prefs = assay_preferences_window_new (NULL, context);
  GtkSpinButton *size, *age;

  g_object_ref (prefs);
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  size = GTK_SPIN_BUTTON (find_named (GTK_WIDGET (prefs), "recordings-cache-size-mb"));
  age = GTK_SPIN_BUTTON (find_named (GTK_WIDGET (prefs), "recordings-cache-max-age-days"));
  g_assert_nonnull (size);
  g_assert_nonnull (age);

  /* the defaults shown */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (size), ==, 2048);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (age), ==, 30);

  /* a change elsewhere shows; a change here is kept */
  g_settings_set_uint (settings, "recordings-cache-size-mb", 500);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (size), ==, 500);
  gtk_spin_button_set_value (age, 7);
  g_assert_cmpuint (g_settings_get_uint (settings, "recordings-cache-max-age-days"), ==, 7);

  /* below the schema's range is clamped, not stored */
  gtk_spin_button_set_value (size, 10);
  g_assert_cmpuint (g_settings_get_uint (settings, "recordings-cache-size-mb"), ==, 100);
  gtk_spin_button_set_value (age, 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "recordings-cache-max-age-days"), ==, 1);

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);
}

/* the review workspace's choices: moving on, the next item, skipping silences and how long */
static void
test_review_choices (void)
{
  g_autoptr(AssayStore) store = assay_store_new ("/tmp/somewhere/assay.db");   /* never opened */
  g_autoptr(AssayContext) context = assay_context_new (store, NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.assayqa.Assay");
  AssayPreferencesWindow *prefs = assay_preferences_window_new (NULL, context);
  GtkSwitch *advance, *next, *skip;
  GtkSpinButton *min;

  g_object_ref (prefs);
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  advance = GTK_SWITCH (find_named (GTK_WIDGET (prefs), "review-advance"));
  next = GTK_SWITCH (find_named (GTK_WIDGET (prefs), "review-open-next"));
  skip = GTK_SWITCH (find_named (GTK_WIDGET (prefs), "review-skip-silence"));
  min = GTK_SPIN_BUTTON (find_named (GTK_WIDGET (prefs), "review-skip-silence-min-s"));
  g_assert_nonnull (advance);
  g_assert_nonnull (next);
  g_assert_nonnull (skip);
  g_assert_nonnull (min);

  /* the defaults: move on and open the next, no skipping, 1.5 s */
  g_assert_true (gtk_switch_get_active (advance));
  g_assert_true (gtk_switch_get_active (next));
  g_assert_false (gtk_switch_get_active (skip));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (min), 1.5, 1e-9);

  gtk_switch_set_active (skip, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "review-skip-silence"));
  gtk_switch_set_active (advance, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "review-advance"));
  gtk_spin_button_set_value (min, 3);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "review-skip-silence-min-s"), 3, 1e-9);
  /* below the range: the shortest allowed */
  gtk_spin_button_set_value (min, 0);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "review-skip-silence-min-s"), 0.6, 1e-9);

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/preferences/recordings-cache", test_cache_limits);
  g_test_add_func ("/preferences/review", test_review_choices);
  return g_test_run ();
}
