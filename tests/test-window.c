/* test-window.c: the main window, built under the real FcmApplication
 *
 * With no hub, F6 and the buttons' names and copies, Add Hub's errors, the
 * window at 800×600, the primary menu, the size remembered, About and Quit.
 * The application and the window come from fcm-test-window-util.c.
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "fcm-connection.h"
#include "fcm-context-panel-private.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-window-util.h"
#include "fcm-timeline.h"
#include "fcm-window-private.h"

static void
test_window_no_connection (Fixture       *f,
                           gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  FcmWindowParts parts;
  GtkWidget *window_title;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "FHIRcast Monitor");
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (f->app));

  window_title = fcm_test_find_widget (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
  g_assert_nonnull (window_title);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (window_title)), ==,
                   "Not connected");
  g_assert_nonnull (fcm_test_find_widget (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY));

  /* no connection: the panel explains, and the buttons say why they are off */
  fcm_window_get_parts (window, &parts);
  g_assert_cmpstr (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), ==,
                   "not-connected");
  show_and_wait (window);
  g_assert_false (gtk_widget_get_sensitive (parts.open_button));
  g_assert_cmpstr (_fcm_window_get_button_tooltip (parts.open_button), ==, "Not connected to a hub");
  g_assert_false (gtk_revealer_get_reveal_child (parts.alert_revealer));
  g_assert_null (fcm_window_get_connection (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  char **text = data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static char *
read_clipboard (GdkClipboard *clipboard)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &text);
  FCM_TEST_WAIT_UNTIL (text != NULL);
  return text;
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

/* F6 cycles sidebar → context → timeline → details; buttons have one name
 * each; the hub URL and topic are copied in full (issue 11) */
static void
test_window_keyboard (Fixture       *f,
                      gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  GtkWidget *focus;
  GtkWidget *seen[4] = { NULL, };
  FcmWindowParts parts;
  g_autofree char *copied = NULL;

  fcm_window_get_parts (window, &parts);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));
  g_free (open_random_report (window, &parts));
  adw_flap_set_reveal_flap (parts.flap, TRUE);
  FCM_TEST_WAIT_UNTIL (gtk_widget_is_drawable (adw_flap_get_flap (parts.flap)));
  /* a message in the details, so that region has something to focus */
  FCM_TEST_WAIT_UNTIL (timeline_rows (parts.timeline) >= 1);

  for (guint i = 0; i < 4; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next-region", NULL);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (window)));
      seen[i] = focus;
    }
  g_assert_true (gtk_widget_is_ancestor (seen[0], adw_flap_get_flap (parts.flap)));
  g_assert_true (gtk_widget_is_ancestor (seen[1], parts.context_panel));
  g_assert_true (seen[2] == fcm_timeline_get_rows (FCM_TIMELINE (parts.timeline)) ||
                 gtk_widget_is_ancestor (seen[2], fcm_timeline_get_rows (FCM_TIMELINE (parts.timeline))));
  /* then around again; Shift+F6 goes back */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-region", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), adw_flap_get_flap (parts.flap)) ||
                 gtk_root_get_focus (GTK_ROOT (window)) == seen[3] || seen[3] == NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-region", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-region", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), parts.timeline));

  /* with the sidebar hidden, F6 passes over it */
  adw_flap_set_reveal_flap (parts.flap, FALSE);
  FCM_TEST_WAIT_UNTIL (!gtk_widget_is_drawable (adw_flap_get_flap (parts.flap)));
  gtk_widget_grab_focus (fcm_timeline_get_rows (FCM_TIMELINE (parts.timeline)));
  for (guint i = 0; i < 3; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next-region", NULL);
      g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), adw_flap_get_flap (parts.flap)));
    }

  /* one accessible name each: no "Close Report Close", no "_Open" */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fcm_test_find_action_button (GTK_WIDGET (window), "win.close-report")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Close Report");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (parts.open_button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Open Report…");
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (parts.open_button),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));

  /* the hub URL and topic: in full in a tooltip, and copied in full */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (parts.hub_url_label)), ==,
                   fcm_hub_client_get_hub_url (fcm_connection_get_client (connection)));
  g_assert_nonnull (fcm_test_find_widget_matching (GTK_WIDGET (window), is_named, "Copy Hub URL"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-hub-url", NULL);
  copied = read_clipboard (clipboard);
  g_assert_cmpstr (copied, ==, fcm_hub_client_get_hub_url (fcm_connection_get_client (connection)));
  g_clear_pointer (&copied, g_free);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-topic", NULL);
  copied = read_clipboard (clipboard);
  g_assert_cmpstr (copied, ==, fcm_hub_client_get_topic (fcm_connection_get_client (connection)));

  close_window (window);
}

static GtkWindow *
find_message_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w)), heading) == 0)
        return w;
    }
  return NULL;
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
         gtk_widget_get_visible (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

/* Add Hub: bad input is explained in words under the field; Enter never
 * drops a value silently (issue 11) */
static void
test_window_add_hub_errors (Fixture       *f,
                            gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  AdwMessageDialog *dialog;
  GtkWidget *url, *topic;

  show_and_wait (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-connection", NULL);
  dialog = ADW_MESSAGE_DIALOG (find_message_dialog ("Add Hub"));
  g_assert_nonnull (dialog);
  url = fcm_test_find_entry_row (GTK_WIDGET (dialog), "Hub URL");
  topic = fcm_test_find_entry_row (GTK_WIDGET (dialog), "Topic");

  /* nothing typed yet: nothing to complain about, but nothing to connect */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "connect"));
  g_assert_null (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, ""));

  gtk_editable_set_text (GTK_EDITABLE (url), "htp://hub.example.org/api/hub");
  g_assert_true (gtk_widget_has_css_class (url, "error"));
  g_assert_nonnull (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label,
                                                   "Not a hub URL: it starts with http:// or https://"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (url), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_editable_set_text (GTK_EDITABLE (url), "http://");
  g_assert_nonnull (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, "host name is missing"));

  /* Enter with the topic empty: says so, keeps what was typed */
  gtk_editable_set_text (GTK_EDITABLE (url), "http://127.0.0.1:9/api/hub");
  g_assert_null (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, ""));
  g_signal_emit_by_name (url, "entry-activated");
  g_assert_nonnull (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, "The topic is required"));
  g_assert_true (gtk_widget_has_css_class (topic, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url)), ==, "http://127.0.0.1:9/api/hub");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "connect"));

  gtk_editable_set_text (GTK_EDITABLE (topic), "session-1");
  g_assert_null (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, ""));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "connect"));

  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* Usable at 800×600: the sidebar folds away (F9 shows it over the rest),
 * the context and the timeline keep their minimum widths side by side; at
 * 1366×768 all three show (issue 11) */
static void
test_window_small (Fixture       *f,
                   gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  FcmWindowParts parts;

  fcm_window_get_parts (window, &parts);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  /* the window's width, less its client-side shadow */
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) >= 1300);
  adw_flap_set_reveal_flap (parts.flap, TRUE);
  FCM_TEST_WAIT_UNTIL (!adw_flap_get_folded (parts.flap) && gtk_widget_get_width (parts.timeline) > 0);
  g_assert_true (gtk_widget_get_mapped (adw_flap_get_flap (parts.flap)));
  g_assert_cmpint (gtk_widget_get_width (parts.timeline), >=, 700);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) <= 800);
  FCM_TEST_WAIT_UNTIL (adw_flap_get_folded (parts.flap));
  FCM_TEST_WAIT_UNTIL (!adw_flap_get_reveal_flap (parts.flap));
  g_assert_cmpint (gtk_widget_get_width (parts.context_panel), >=, 260);
  g_assert_cmpint (gtk_widget_get_width (parts.timeline), >=, 500);
  /* side by side, inside the window */
  {
    graphene_point_t p;

    g_assert_true (gtk_widget_compute_point (parts.timeline, GTK_WIDGET (window),
                                             &GRAPHENE_POINT_INIT (gtk_widget_get_width (parts.timeline), 0), &p));
    g_assert_cmpfloat (p.x, <=, 800);
  }

  /* F9 shows the sidebar over the content, with the hub URL copy button */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (adw_flap_get_flap (parts.flap)));

  close_window (window);
}

static gboolean
widget_class_has_action (GType       type,
                         const char *name)
{
  GtkWidgetClass *klass = g_type_class_peek (type);
  const char *action_name;
  const GVariantType *parameter_type;
  const char *property_name;
  GType owner;
  gboolean found = FALSE;

  /* GTK 4.8 writes every out argument */
  for (guint i = 0;
       !found && gtk_widget_class_query_action (klass, i, &owner, &action_name, &parameter_type, &property_name);
       i++)
    found = g_strcmp0 (action_name, name) == 0;
  return found;
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
        g_assert_true (g_action_group_has_action (win_actions, action + strlen ("win.")) ||
                       widget_class_has_action (G_OBJECT_TYPE (win_actions), action));
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

  menu_button = fcm_test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (menu_button)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");

  /* Every entry points at an action that exists; the shortcuts window
   * comes from gtk/help-overlay.ui under the resource base path. */
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  assert_menu_actions_exist (menu, G_ACTION_GROUP (f->app), G_ACTION_GROUP (window), &n_items);
  g_assert_cmpuint (n_items, ==, 14);

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
  g_assert_cmpint (width, ==, 1280);
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

  /* ...and the current one saved on close (which needs a shown window);
   * running in the background, closing only hides the window (issue 12.1) */
  show_and_wait (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_assert_true (g_settings_get_boolean (f->settings, "run-in-background"));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (f->settings, "window-maximized"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (gtk_application_get_windows (GTK_APPLICATION (f->app))->data == window);
  gtk_window_destroy (GTK_WINDOW (window));
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

  /* Quitting leaves every hub first (nobody else is on the built-in hub, so
   * it does not ask), then closes the windows, which saves their state. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  FCM_TEST_WAIT_UNTIL (gtk_application_get_windows (GTK_APPLICATION (f->app)) == NULL);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 1200);
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-window"))
    return 77;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/fcm/window/no-connection", test_window_no_connection);
  ADD ("/fcm/window/keyboard", test_window_keyboard);
  ADD ("/fcm/window/add-hub-errors", test_window_add_hub_errors);
  ADD ("/fcm/window/small", test_window_small);
  ADD ("/fcm/window/primary-menu", test_window_primary_menu);
  ADD ("/fcm/window/size-remembered", test_window_size_remembered);
  ADD ("/fcm/application/about", test_application_about);
  ADD ("/fcm/application/quit", test_application_quit);

#undef ADD

  /* The tests run from "activate"; with no window left afterwards, the
   * application shuts down and g_application_run() returns. */
  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);

  return status;
}
