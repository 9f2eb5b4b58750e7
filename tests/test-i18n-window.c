/* test-i18n-window.c: the real window under LANGUAGE=de (issue 12.6)
 *
 * The app's own strings (GtkBuilder templates and C), the Open Report
 * dialog and a validator issue in the timeline's details come out in
 * German from the translations built in this build dir; the rule id and
 * the JSON path of the issue stay as they are.
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "fcm-application-private.h"
#include "fcm-client.h"
#include "fcm-connection.h"
#include "fcm-context-builders.h"
#include "fcm-fhircast.h"
#include "fcm-gtk-test-util.h"
#include "fcm-open-report-dialog.h"
#include "fcm-test-util.h"
#include "fcm-timeline.h"
#include "fcm-timeline-private.h"
#include "fcm-window-private.h"

static FcmApplication *the_app;

static FcmOpenReportDialog *
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

/* Every label's text below @root, depth first. */
static void
collect_labels (GtkWidget *root,
                GPtrArray *texts)
{
  if (GTK_IS_LABEL (root))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_label (GTK_LABEL (root)));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, texts);
}

static gboolean
has_label (GPtrArray  *texts,
           const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_strcmp0 (g_ptr_array_index (texts, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
publish_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_window_german (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(FcmHubClient) other = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(JsonArray) open = fcm_context_build_open ("rpt-de", "pat-de", "st-de", "ACC-DE", "MRN-DE");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autofree char *id = g_uuid_string_random ();
  FcmHubClient *client;
  FcmWindow *window;
  FcmWindowParts parts;
  FcmOpenReportDialog *dialog;
  FcmTimeline *timeline;
  FcmEventLogEntry *entry = NULL;
  FcmIssue *issue;
  GListModel *rows;
  GtkWidget *title;
  guint row = G_MAXUINT;

  /* not connected yet: the window's own words */
  window = g_object_ref (fcm_window_new (the_app));
  fcm_window_get_parts (window, &parts);
  title = fcm_test_find_widget (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, "Nicht verbunden");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (parts.open_button)), ==, "Befund _öffnen …");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (parts.open_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Befund öffnen …");
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (_fcm_window_get_button_tooltip (parts.open_button), ==, "Nicht mit einem Hub verbunden");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  /* the built-in hub: the window the application opens for it */
  connection = fcm_connection_new_embedded (&error);
  g_assert_no_error (error);
  fcm_application_add_connection (the_app, connection);
  window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app))));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  fcm_window_get_parts (window, &parts);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));
  g_assert_cmpstr (_fcm_window_get_button_tooltip (parts.open_button), ==,
                   "Einen Befund in der Sitzung öffnen (Strg+O)");
  g_assert_cmpstr (fcm_connection_get_title (connection), ==, "Eingebauter Hub");

  /* Open Report…: the dialog, its rows and its buttons */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-report", NULL);
  dialog = find_open_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Befund öffnen");
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "open"), ==, "_Öffnen");
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "cancel"), ==, "_Abbrechen");
  g_assert_nonnull (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Accession-Nummer"));
  g_assert_nonnull (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Patienten-ID"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Another app publishes an open with the event name in lower case: the
   * hub relays it, and our validator notes it (C-14). */
  client = fcm_connection_get_client (connection);
  other = fcm_hub_client_new (fcm_hub_client_get_hub_url (client), fcm_hub_client_get_topic (client));
  fcm_hub_client_set_subscriber_name (other, "Report Creator");
  fcm_hub_client_subscribe_async (other, NULL, NULL, NULL);
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (other) == FCM_CLIENT_STATE_ACTIVE);
  event = fcm_event_new (id, NULL, fcm_hub_client_get_topic (client), "diagnosticreport-open", open, NULL, NULL);
  fcm_hub_client_publish_async (other, event, NULL, publish_done_cb, &result);
  FCM_TEST_WAIT_UNTIL (result != NULL);
  g_assert_cmpuint (fcm_hub_client_publish_finish (other, result, NULL, NULL, &error), ==, 200);
  g_assert_no_error (error);

  timeline = FCM_TIMELINE (parts.timeline);
  rows = _fcm_timeline_get_model (timeline);
  while (row == G_MAXUINT)
    {
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(FcmEventLogEntry) e = g_list_model_get_item (rows, i);

          if (g_strcmp0 (fcm_event_log_entry_get_event_id (e), id) == 0 &&
              fcm_event_log_entry_get_issues (e)->len > 0)
            {
              row = i;
              entry = e;
            }
        }
      if (row == G_MAXUINT)
        g_main_context_iteration (NULL, TRUE);
    }
  issue = g_ptr_array_index (fcm_event_log_entry_get_issues (entry), 0);
  g_assert_cmpstr (fcm_issue_get_rule_id (issue), ==, "C-14");
  g_assert_cmpstr (fcm_issue_get_path (issue), ==, "$.event['hub.event']");
  g_assert_cmpstr (fcm_issue_get_message (issue), ==,
                   "Ereignisnamen werden ohne Beachtung der Groß-/Kleinschreibung verglichen, daher ist "
                   "'diagnosticreport-open' in Ordnung; die empfohlene Schreibweise ist 'DiagnosticReport-open'");

  /* selected, the details pane shows it: German words around the rule id
   * and the path as they are */
  _fcm_timeline_select (timeline, row);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  collect_labels (GTK_WIDGET (_fcm_timeline_get_details (timeline)), texts);
  g_assert_true (has_label (texts, "C-14"));
  g_assert_true (has_label (texts, "$.event['hub.event']"));
  g_assert_true (has_label (texts, fcm_issue_get_message (issue)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fcm_test_find_widget (GTK_WIDGET (_fcm_timeline_get_details (timeline)),
                                                                            GTK_TYPE_LIST_BOX)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Prüfergebnisse");

  fcm_hub_client_unsubscribe_async (other, NULL, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("FCM_TEST_LOCALEDIR");
  int status;

  /* before any gettext call: German, from this build dir's po/ */
  g_assert_nonnull (localedir);
  g_setenv ("FCM_LOCALEDIR", localedir, TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);

  if (!fcm_gtk_test_init (&argc, &argv, "test-i18n-window"))
    return 77;
  /* as main() of the app does (LC_ALL=C.UTF-8 from the test environment:
   * glibc honours LANGUAGE in every locale but plain "C") */
  fcm_i18n_init ();

  g_test_add_func ("/fcm/i18n/window-german", test_window_german);

  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);

  return status;
}
