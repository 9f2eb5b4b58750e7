/* test-window-reports.c: the main window's report actions on the built-in hub
 *
 * Open Report, Update, Select and Close answered inline, and suspended
 * reports chosen, resumed and closed from the context panel. The
 * application and the window come from fcm-test-window-util.c.
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
#include "fcm-open-report-dialog.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-window-util.h"
#include "fcm-window-private.h"

/* The built-in hub: live at once; Open Report → dialog → the hub's answer inline,
 * the context panel shows the report and the timeline gets the rows (issue 5, C-44). */
static void
test_window_open_report (Fixture       *f,
                         gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  g_autofree char *report_id = NULL;
  FcmOpenReportDialog *dialog;
  FcmWindowParts parts;

  fcm_window_get_parts (window, &parts);
  g_assert_true (fcm_window_get_connection (window) == connection);
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 1);
  g_assert_nonnull (gtk_list_box_get_row_at_index (parts.connection_list, 0));
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));
  g_assert_cmpstr (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), ==, "empty");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-report", NULL);
  dialog = find_open_dialog ();
  g_assert_nonnull (dialog);
  fcm_open_report_dialog_fill_random (dialog);
  report_id = g_strdup (fcm_open_report_dialog_get_report_id (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "open");

  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-open: 200"));
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), "report") == 0);
  g_assert_cmpstr (_fcm_context_panel_get_field_text (FCM_CONTEXT_PANEL (parts.context_panel),
                                                      FCM_CONTEXT_FIELD_REPORT_ID), ==, report_id);
  /* the echo of our open, plus the derived patient/study events are not ours to see:
   * at least the open is in the timeline */
  FCM_TEST_WAIT_UNTIL (timeline_rows (parts.timeline) >= 1);

  /* Update and Select are now possible, and answered inline too */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.update-report", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-update: "));
  g_assert_cmpstr (gtk_label_get_text (parts.answer_label), ==, "DiagnosticReport-update: 200 OK");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_field_text (FCM_CONTEXT_PANEL (parts.context_panel),
                                                                     FCM_CONTEXT_FIELD_N_CONTENT), "1") == 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-content", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-select: 200"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-report", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-close: 200"));
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), "empty") == 0);
  g_assert_cmpuint (timeline_rows (parts.timeline), >=, 4);

  close_window (window);
}

/* Suspended reports (C-37): listed with their patient, counted in the
 * panel's header; Close/Update/Select act on one when it is chosen; resume
 * and close from the list. */
static void
test_window_suspended (Fixture       *f,
                       gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  FcmContextStore *store = fcm_monitor_get_context_store (fcm_connection_get_monitor (connection));
  FcmContextPanel *panel;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  FcmContextItem *first_item;
  FcmWindowParts parts;
  GtkWidget *row;

  fcm_window_get_parts (window, &parts);
  panel = FCM_CONTEXT_PANEL (parts.context_panel);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));
  first = open_random_report (window, &parts);
  second = open_random_report (window, &parts);
  first_item = fcm_context_store_lookup (store, first);
  g_assert_nonnull (first_item);

  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_n_suspended (panel) == 1);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_count (panel), ==, "1 Suspended");
  /* listed by its patient */
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (panel, 0), ==,
                   fcm_context_item_get_patient_name (first_item));

  /* choose it: Update goes to the suspended report, not the current one */
  row = _fcm_context_panel_get_suspended_row (panel, 0);
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
  g_assert_true (fcm_context_panel_get_chosen (panel) == first_item);
  g_assert_nonnull (strstr (_fcm_window_get_button_tooltip (fcm_test_find_action_button (GTK_WIDGET (window), "win.update-report")),
                            first));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.update-report", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-update: "));
  g_assert_cmpstr (gtk_label_get_text (parts.answer_label), ==, "DiagnosticReport-update: 200 OK");
  FCM_TEST_WAIT_UNTIL (fcm_context_item_get_n_content (first_item) == 1);
  g_assert_cmpuint (fcm_context_item_get_n_content (fcm_context_store_get_current (store)), ==, 0);
  g_assert_cmpstr (fcm_context_item_get_anchor_id (fcm_context_store_get_current (store)), ==, second);

  /* Select on the chosen one too */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-content", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-select: "));
  g_assert_cmpstr (gtk_label_get_text (parts.answer_label), ==, "DiagnosticReport-select: 200 OK");
  FCM_TEST_WAIT_UNTIL (fcm_context_item_get_selection (first_item) != NULL);

  /* Resume from the list: it is current again, the other one suspended */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.resume-report", "s", first);
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_field_text (panel, FCM_CONTEXT_FIELD_REPORT_ID), first) == 0);
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_n_suspended (panel) == 1);
  g_assert_null (fcm_context_panel_get_chosen (panel));
  g_assert_cmpuint (fcm_context_item_get_n_content (first_item), ==, 1);

  /* Close from the list: the suspended one goes, the current one stays */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-suspended", "s", second);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-close: 200"));
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_n_suspended (panel) == 0);
  g_assert_null (_fcm_context_panel_get_suspended_count (panel));
  g_assert_cmpstr (fcm_context_item_get_anchor_id (fcm_context_store_get_current (store)), ==, first);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-window-reports"))
    return 77;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/fcm/window/open-report", test_window_open_report);
  ADD ("/fcm/window/suspended", test_window_suspended);

#undef ADD

  /* The tests run from "activate"; with no window left afterwards, the
   * application shuts down and g_application_run() returns. */
  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);

  return status;
}
