/* fcm-test-window-util.c: one real FcmApplication and its main window, for the test-window* programs
 *
 * The fixture (the application every test runs in, its settings reset),
 * new and shown windows, the built-in hub added to the window, the Open
 * Report dialog and a random report opened from it. Shared by
 * test-window.c, test-window-hubs.c and test-window-reports.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "fcm-application-private.h"
#include "fcm-connection.h"
#include "fcm-context-panel-private.h"
#include "fcm-open-report-dialog.h"
#include "fcm-test-util.h"
#include "fcm-timeline.h"
#include "fcm-window-private.h"
#include "fcm-test-window-util.h"

/* One real application for the whole run: the tests execute inside its
 * "activate" (see each program's main()), so startup and shutdown happen
 * as in the app. */
FcmApplication *the_app;

GtkWindow *
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

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->app = the_app;

  /* GSETTINGS_BACKEND=memory is shared by every test in this process. */
  f->settings = g_object_ref (fcm_application_get_settings (f->app));
  g_settings_reset (f->settings, "hub-url");
  g_settings_reset (f->settings, "ack-policy");
  g_settings_reset (f->settings, "window-width");
  g_settings_reset (f->settings, "window-height");
  g_settings_reset (f->settings, "window-maximized");
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Each test destroys what it created. */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  g_assert_null (find_toplevel (GTK_TYPE_WINDOW));

  g_clear_object (&f->settings);
}

FcmWindow *
new_window (Fixture *f)
{
  /* The window belongs to GTK's toplevel list; keep our own reference so
   * that g_assert_finalize_object() can check nothing else holds one. */
  return g_object_ref (fcm_window_new (f->app));
}

void
show_and_wait (FcmWindow *window)
{
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

FcmConnection *
add_embedded (Fixture    *f,
              FcmWindow **out_window)
{
  g_autoptr(GError) error = NULL;
  FcmConnection *connection = fcm_connection_new_embedded (&error);

  g_assert_no_error (error);
  fcm_application_add_connection (f->app, connection);
  *out_window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app))));
  show_and_wait (*out_window);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  return connection;
}

FcmOpenReportDialog *
find_open_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (FCM_IS_OPEN_REPORT_DIALOG (w))
        return FCM_OPEN_REPORT_DIALOG (w);
    }
  return NULL;
}

void
close_window (FcmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

guint
timeline_rows (GtkWidget *timeline)
{
  FcmEventLog *log = fcm_timeline_get_event_log (FCM_TIMELINE (timeline));

  return log ? g_list_model_get_n_items (G_LIST_MODEL (log)) : 0;
}

/* Opens a random demo report from the window; returns its id. */
char *
open_random_report (FcmWindow      *window,
                    FcmWindowParts *parts)
{
  FcmOpenReportDialog *dialog;
  char *report_id;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-report", NULL);
  dialog = find_open_dialog ();
  g_assert_nonnull (dialog);
  fcm_open_report_dialog_fill_random (dialog);
  report_id = g_strdup (fcm_open_report_dialog_get_report_id (dialog));
  gtk_label_set_text (parts->answer_label, "");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "open");
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts->answer_label), "DiagnosticReport-open: 200"));
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_field_text (FCM_CONTEXT_PANEL (parts->context_panel),
                                                                     FCM_CONTEXT_FIELD_REPORT_ID), report_id) == 0);
  return report_id;
}
