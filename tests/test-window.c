/* test-window.c: the main window, built under the real FcmApplication
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <adwaita.h>

#include "fcm-application.h"
#include "fcm-window.h"

typedef struct
{
  FcmApplication *app;
  GSettings      *settings;
} Fixture;

/* One real application for the whole run: the tests execute inside its
 * "activate" (see main()), so startup and shutdown happen as in the app. */
static FcmApplication *the_app;

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->app = the_app;

  /* GSETTINGS_BACKEND=memory is shared by every test in this process. */
  f->settings = g_object_ref (fcm_application_get_settings (f->app));
  g_settings_reset (f->settings, "hub-url");
  g_settings_reset (f->settings, "window-width");
  g_settings_reset (f->settings, "window-height");
  g_settings_reset (f->settings, "window-maximized");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Each test destroys what it created. */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  g_assert_null (find_toplevel (GTK_TYPE_WINDOW));

  g_clear_object (&f->settings);
}

static FcmWindow *
new_window (Fixture *f)
{
  /* The window belongs to GTK's toplevel list; keep our own reference so
   * that g_assert_finalize_object() can check nothing else holds one. */
  return g_object_ref (fcm_window_new (f->app));
}

static void
show_and_wait (FcmWindow *window)
{
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static void
test_window_empty_state (Fixture       *f,
                         gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  GtkWidget *status_page;
  GtkWidget *window_title;
  GtkWidget *hub_label;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "FHIRcast Monitor");
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (f->app));

  window_title = find_widget (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
  g_assert_nonnull (window_title);
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (window_title)), ==,
                   "FHIRcast Monitor");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (window_title)), ==,
                   "Not connected");

  g_assert_nonnull (find_widget (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY));

  status_page = find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status_page);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)), ==,
                   "Not Connected Yet");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status_page)),
                            "FHIRcast"));
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (status_page)), ==,
                   BASE_APP_ID "-symbolic");

  /* The empty state says which hub will be used, and follows the setting. */
  hub_label = adw_status_page_get_child (ADW_STATUS_PAGE (status_page));
  g_assert_true (GTK_IS_LABEL (hub_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (hub_label)), "built-in"));

  g_settings_set_string (f->settings, "hub-url", "https://hub.example.org/fhircast");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (hub_label)),
                            "https://hub.example.org/fhircast"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
assert_menu_actions_exist (GMenuModel   *menu,
                           GActionGroup *app_actions,
                           GActionGroup *win_actions,
                           guint        *n_items)
{
  int n = g_menu_model_get_n_items (menu);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GMenuModel) section = NULL;
      g_autofree char *action = NULL;

      section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (section != NULL)
        {
          assert_menu_actions_exist (section, app_actions, win_actions, n_items);
          continue;
        }

      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION,
                                                      "s", &action));
      if (g_str_has_prefix (action, "app."))
        g_assert_true (g_action_group_has_action (app_actions, action + strlen ("app.")));
      else if (g_str_has_prefix (action, "win."))
        g_assert_true (g_action_group_has_action (win_actions, action + strlen ("win.")));
      else
        g_assert_not_reached ();

      (*n_items)++;
    }
}

static void
test_window_primary_menu (Fixture       *f,
                          gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  GtkWidget *menu_button;
  GMenuModel *menu;
  guint n_items = 0;

  menu_button = find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (menu_button)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");

  /* Every entry points at an action that exists; the shortcuts window
   * comes from gtk/help-overlay.ui under the resource base path. */
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  assert_menu_actions_exist (menu, G_ACTION_GROUP (f->app), G_ACTION_GROUP (window), &n_items);
  g_assert_cmpuint (n_items, ==, 3);

  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_size_remembered (Fixture       *f,
                             gconstpointer  data)
{
  FcmWindow *window;
  int width = 0;
  int height = 0;

  /* Defaults fit a 1366×768 screen. */
  window = new_window (f);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 720);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  /* A stored size is restored... */
  g_settings_set_int (f->settings, "window-width", 900);
  g_settings_set_int (f->settings, "window-height", 600);
  window = new_window (f);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 600);

  /* ...and the current one saved on close (which needs a shown window). */
  show_and_wait (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (f->settings, "window-maximized"));
  g_assert_finalize_object (window);
}

static void
test_application_about (Fixture       *f,
                        gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  GtkWindow *about;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "about"));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);

  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_object_ref (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "FHIRcast Monitor");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==,
                   APP_ID);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));

  gtk_window_destroy (about);
  g_assert_finalize_object (about);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_application_quit (Fixture       *f,
                       gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  g_auto(GStrv) accels = NULL;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.quit");
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>q");

  g_settings_set_int (f->settings, "window-width", 800);
  show_and_wait (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 740);

  /* Quitting closes the windows, which saves their state. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 1200);
  g_assert_finalize_object (window);
}

static void
run_tests_cb (GApplication *app,
              int          *status)
{
  /* Instead of FcmApplication's own activate, which opens a window. */
  g_signal_stop_emission_by_name (app, "activate");

  *status = g_test_run ();
}

int
main (int   argc,
      char *argv[])
{
  int status = 1;

  g_test_init (&argc, &argv, NULL);

  /* What gtk_test_init() does, except that no display means SKIP. */
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  /* GTK's in-process accessibility backend: accessible properties can be
   * checked, and no AT-SPI bus is needed (without a session bus the AT-SPI
   * backend warns, and warnings are fatal). */
  g_setenv ("GTK_A11Y", "test", FALSE);

  if (!gtk_init_check ())
    {
      g_printerr ("test-window: no display, skipping\n");
      return 77;
    }
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/fcm/window/empty-state", test_window_empty_state);
  ADD ("/fcm/window/primary-menu", test_window_primary_menu);
  ADD ("/fcm/window/size-remembered", test_window_size_remembered);
  ADD ("/fcm/application/about", test_application_about);
  ADD ("/fcm/application/quit", test_application_quit);

#undef ADD

  /* The tests run from "activate"; with no window left afterwards, the
   * application shuts down and g_application_run() returns. */
  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (the_app, "activate", G_CALLBACK (run_tests_cb), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (the_app), 0, NULL), ==, 0);
  g_assert_finalize_object (the_app);

  return status;
}
