/* test-recording-window.c: the app records its connections, Open Recording…
 * shows a recording read-only with the same rows, Export Bug Report…; and
 * both from the main menu through the real file chooser dialogs
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include <adwaita.h>

#include "fcm-application-private.h"
#include "fcm-connection.h"
#include "fcm-context-panel-private.h"
#include "fcm-gtk-test-util.h"
#include "fcm-hub.h"
#include "fcm-preferences-window.h"
#include "fcm-probe-window.h"
#include "fcm-recordings.h"
#include "fcm-test-util.h"
#include "fcm-timeline-private.h"
#include "fcm-tray-menu.h"
#include "fcm-window-private.h"

static FcmApplication *the_app;

typedef struct
{
  FcmHub *hub;
  FcmHubClient *other;      /* another app on the same topic */
  char *topic;
  char *dir;
  GSettings *settings;
} Fixture;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  FCM_TEST_WAIT_UNTIL (*slot != NULL);
  return *slot;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  f->settings = g_object_ref (fcm_application_get_settings (the_app));
  g_settings_reset (f->settings, "record-sessions");
  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->topic = g_uuid_string_random ();
  f->other = fcm_hub_client_new (fcm_hub_get_url (f->hub), f->topic);
  fcm_hub_client_set_subscriber_name (f->other, "Other app");
  fcm_hub_client_subscribe_async (f->other, NULL, done_cb, &result);
  g_assert_true (fcm_hub_client_subscribe_finish (f->other, wait_result (&result), &error));
  f->dir = g_dir_make_tmp ("fcm-recording-window-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_object_unref (f->other);
  fcm_hub_shutdown (f->hub);
  g_object_unref (f->hub);
  g_free (f->topic);
  g_settings_reset (f->settings, "record-sessions");
  g_object_unref (f->settings);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (the_app)));
}

static char *
publish_from (FcmHubClient *client,
              const char   *name,
              JsonArray    *context)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, fcm_hub_client_get_topic (client), name,
                                             context, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fcm_hub_client_publish_async (client, event, NULL, done_cb, &result);
  g_assert_cmpuint (fcm_hub_client_publish_finish (client, wait_result (&result), NULL, NULL, &error), ==, 200);
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static guint
last_ack (FcmEventLog *log)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_autoptr(FcmEventLogEntry) entry = n > 0 ? g_list_model_get_item (G_LIST_MODEL (log), n - 1) : NULL;

  return entry ? fcm_event_log_entry_get_ack_status (entry) : 0;
}

/* A live session on the built-in path: the other app opens two reports
 * (one with a patient name and birth date), closes one, selects; we open a
 * third ourselves (our own echo, C-38). */
static FcmConnection *
live_session (Fixture    *f,
              FcmWindow **out_window)
{
  FcmConnection *connection = fcm_connection_new (fcm_hub_get_url (f->hub), f->topic, "Recorded app");
  FcmEventLog *log;
  g_autoptr(JsonArray) open1 = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-1", "MRN-448120");
  g_autoptr(JsonArray) open2 = fcm_context_build_open ("rpt-2", "pat-2", "st-2", "ACC-2", "MRN-2");
  g_autoptr(JsonArray) close2 = fcm_context_build_close ("rpt-2", "pat-2", "st-2");
  g_autoptr(JsonArray) select1 = fcm_context_build_select ("rpt-1", (const char *[]) { "ImagingStudy/st-1", NULL });
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  FcmReportDetails details = { "Doe, Jane", "female", "1961-04-12", NULL, NULL, NULL };
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  g_assert_true (fcm_context_add_details (open1, &details, &error));
  fcm_application_add_connection (the_app, connection);
  *out_window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app))));
  gtk_window_present (GTK_WINDOW (*out_window));
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));

  log = fcm_monitor_get_event_log (fcm_connection_get_monitor (connection));
  a = publish_from (f->other, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open1);
  b = publish_from (f->other, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open2);
  c = publish_from (f->other, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, close2);
  d = publish_from (f->other, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, select1);
  {
    g_autoptr(JsonArray) open3 = fcm_context_build_open ("rpt-3", "pat-3", "st-3", "ACC-3", "MRN-3");

    fcm_connection_publish_async (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                                  g_steal_pointer (&open3), NULL, done_cb, &result);
    g_assert_cmpuint (fcm_connection_publish_finish (connection, wait_result (&result), NULL, &error), ==, 200);
  }
  /* the confirmation, the note that the subscription is live (issue 11.9)
   * and five events, each acked */
  FCM_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (log)) == 7);
  FCM_TEST_WAIT_UNTIL (last_ack (log) == 200);
  return connection;
}

static void
wait_recorded (FcmConnection *connection)
{
  FcmRecorder *recorder = fcm_recordings_get_recorder (connection);

  g_assert_nonnull (recorder);
  FCM_TEST_WAIT_UNTIL (fcm_recorder_get_written_seq (recorder) == fcm_recorder_get_queued_seq (recorder));
  g_assert_null (fcm_recorder_get_error (recorder));
}

static guint
shown_rows (FcmWindow *window)
{
  FcmWindowParts parts;

  fcm_window_get_parts (window, &parts);
  return g_list_model_get_n_items (_fcm_timeline_get_model (FCM_TIMELINE (parts.timeline)));
}

/* Open Recording… on what the app recorded: a read-only connection whose
 * timeline has the same rows, under every filter, with the same validation,
 * acks and own echoes, and the same context. */
static void
test_open_recording (Fixture       *f,
                     gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) live = live_session (f, &window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  FcmConnection *recording;
  FcmEventLog *live_log = fcm_monitor_get_event_log (fcm_connection_get_monitor (live));
  FcmEventLog *recorded_log;
  FcmWindowParts parts;
  GtkDropDown *type_filter;
  guint live_counts[7];
  g_autofree char *path = NULL;

  wait_recorded (live);
  file = fcm_recordings_dup_source (live);
  g_assert_nonnull (file);
  path = g_file_get_path (file);
  /* under $XDG_DATA_HOME/fhircast-monitor/recordings/ */
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  g_assert_nonnull (strstr (path, "/fhircast-monitor/recordings/"));

  /* rows of the live timeline under each type filter */
  fcm_window_get_parts (window, &parts);
  type_filter = _fcm_timeline_get_type_filter (FCM_TIMELINE (parts.timeline));
  /* the timeline takes new rows once per frame */
  FCM_TEST_WAIT_UNTIL (shown_rows (window) == 7);
  for (guint i = 0; i < G_N_ELEMENTS (live_counts); i++)
    {
      gtk_drop_down_set_selected (type_filter, i);
      live_counts[i] = shown_rows (window);
    }
  gtk_drop_down_set_selected (type_filter, 0);
  g_assert_cmpuint (live_counts[0], ==, 7);

  _fcm_window_open_recording (window, file, NULL, done_cb, &result);
  g_assert_cmpint (_fcm_window_open_recording_finish (window, wait_result (&result), &error), ==, 6);
  g_assert_no_error (error);

  /* a second connection, selected, read-only, without a hub */
  recording = fcm_window_get_connection (window);
  g_assert_true (recording != live);
  g_assert_true (fcm_connection_get_recording (recording) != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 2);
  g_assert_cmpstr (fcm_connection_get_status_text (recording), ==, "Recording, read-only");
  g_assert_false (fcm_connection_get_live (recording));
  g_assert_null (fcm_recordings_get_recorder (recording));
  /* the tray does not present the recorded patient as the live context */
  g_assert_cmpstr (fcm_tray_describe_state (recording), ==, "a recording, read-only");
  /* Test a Hub… has no hub to test: the one in the header is not probed */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.test-hub", NULL));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        g_assert_false (FCM_IS_PROBE_WINDOW (toplevel));
      }
  }

  /* the timeline shows the recording: the same rows */
  recorded_log = fcm_monitor_get_event_log (fcm_connection_get_monitor (recording));
  g_assert_true (fcm_timeline_get_event_log (FCM_TIMELINE (parts.timeline)) == recorded_log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorded_log)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (live_log)));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (live_log)); i++)
    {
      g_autoptr(FcmEventLogEntry) a = g_list_model_get_item (G_LIST_MODEL (live_log), i);
      g_autoptr(FcmEventLogEntry) b = g_list_model_get_item (G_LIST_MODEL (recorded_log), i);
      const char *css_a = NULL, *css_b = NULL;
      g_autofree char *badge_a = _fcm_entry_badge (a, &css_a);
      g_autofree char *badge_b = _fcm_entry_badge (b, &css_b);

      g_assert_cmpstr (fcm_event_log_entry_get_text (a), ==, fcm_event_log_entry_get_text (b));
      g_assert_cmpstr (_fcm_entry_title (a), ==, _fcm_entry_title (b));
      g_assert_cmpstr (badge_a, ==, badge_b);
      g_assert_cmpstr (css_a, ==, css_b);
      g_assert_cmpuint (fcm_event_log_entry_get_ack_status (a), ==, fcm_event_log_entry_get_ack_status (b));
      g_assert_cmpint (fcm_event_log_entry_get_own_echo (a), ==, fcm_event_log_entry_get_own_echo (b));
      /* the recorded receive time (within the µs between the two stamps) */
      g_assert_cmpint (ABS (fcm_event_log_entry_get_received (a) - fcm_event_log_entry_get_received (b)), <,
                       G_USEC_PER_SEC / 10);
    }
  /* … under every filter */
  FCM_TEST_WAIT_UNTIL (shown_rows (window) == live_counts[0]);
  for (guint i = 0; i < G_N_ELEMENTS (live_counts); i++)
    {
      gtk_drop_down_set_selected (type_filter, i);
      g_assert_cmpuint (shown_rows (window), ==, live_counts[i]);
    }
  gtk_drop_down_set_selected (type_filter, 0);

  /* the same context: rpt-3 current (ours), rpt-1 suspended */
  {
    FcmContextStore *a = fcm_monitor_get_context_store (fcm_connection_get_monitor (live));
    FcmContextStore *b = fcm_monitor_get_context_store (fcm_connection_get_monitor (recording));

    g_assert_nonnull (fcm_context_store_get_current (b));
    g_assert_cmpstr (fcm_context_item_get_anchor_id (fcm_context_store_get_current (b)), ==,
                     fcm_context_item_get_anchor_id (fcm_context_store_get_current (a)));
    g_assert_nonnull (fcm_context_store_lookup (b, "rpt-1"));
    g_assert_null (fcm_context_store_lookup (b, "rpt-2"));
  }

  /* read-only: no publishing, the report buttons off */
  {
    g_autoptr(JsonArray) close = fcm_context_build_close ("rpt-3", "pat-3", "st-3");

    g_clear_object (&result);
    fcm_connection_publish_async (recording, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, g_steal_pointer (&close),
                                  NULL, done_cb, &result);
    g_assert_cmpuint (fcm_connection_publish_finish (recording, wait_result (&result), NULL, &error), ==, 0);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
    g_clear_error (&error);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
    g_assert_false (gtk_widget_get_sensitive (parts.open_button));
  }

  g_clear_object (&result);     /* its task holds the window */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* Not a recording: said so, nothing added. */
static void
test_open_not_recording (Fixture       *f,
                         gconstpointer  data)
{
  FcmWindow *window = g_object_ref (fcm_window_new (the_app));
  g_autofree char *path = g_build_filename (f->dir, "not.ndjson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "{\"id\":\"x\"}\n", -1, &error));
  _fcm_window_open_recording (window, file, NULL, done_cb, &result);
  g_assert_cmpint (_fcm_window_open_recording_finish (window, wait_result (&result), &error), ==, -1);
  g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE);
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 0);

  g_clear_object (&result);     /* its task holds the window */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static GPtrArray *
read_export (const char *path)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = fcm_recording_read_file (path, &error);

  g_assert_no_error (error);
  return records;
}

/* Export Bug Report… of the selected connection: anonymized, with the
 * validation results; from the timeline when it was not recorded. */
static void
test_export_bug_report (Fixture       *f,
                        gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) live = live_session (f, &window);
  g_autofree char *path = g_build_filename (f->dir, "report.ndjson", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) records = NULL;
  FcmRecord *header, *summary;

  wait_recorded (live);
  _fcm_window_export_bug_report (window, destination, NULL, done_cb, &result);
  g_assert_true (_fcm_window_export_bug_report_finish (window, wait_result (&result), &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  for (const char *phi = "MRN-448120\0Doe\0Jane\0" "1961-04-12\0pat-1\0"; *phi; phi += strlen (phi) + 1)
    if (strstr (contents, phi) != NULL)
      g_error ("%s is in the bug report", phi);
  records = read_export (path);
  header = g_ptr_array_index (records, 0);
  summary = g_ptr_array_index (records, records->len - 1);
  g_assert_cmpint (header->type, ==, FCM_RECORD_HEADER);
  g_assert_cmpstr (fcm_record_get_string (header, "topic"), ==, f->topic);
  g_assert_cmpint (summary->type, ==, FCM_RECORD_SUMMARY);
  /* frames and acks and our request, each with its issues */
  for (guint i = 1; i + 1 < records->len; i++)
    {
      FcmRecord *r = g_ptr_array_index (records, i);

      if (r->type == FCM_RECORD_FRAME || r->type == FCM_RECORD_ACK || r->type == FCM_RECORD_REQUEST)
        g_assert_true (json_object_has_member (r->object, "issues"));
    }
  g_clear_object (&result);     /* its task holds the window */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  /* not recorded: from what the timeline holds */
  g_settings_set_boolean (f->settings, "record-sessions", FALSE);
  {
    FcmWindow *second = NULL;
    g_autoptr(FcmConnection) unrecorded = NULL;
    g_autoptr(GPtrArray) again = NULL;
    g_autofree char *text = NULL;
    guint n_frames = 0;

    g_free (f->topic);
    f->topic = g_uuid_string_random ();
    g_clear_object (&f->other);
    f->other = fcm_hub_client_new (fcm_hub_get_url (f->hub), f->topic);
    fcm_hub_client_subscribe_async (f->other, NULL, done_cb, &result);
    g_assert_true (fcm_hub_client_subscribe_finish (f->other, wait_result (&result), &error));
    g_clear_object (&result);
    unrecorded = live_session (f, &second);
    g_assert_null (fcm_recordings_get_recorder (unrecorded));
    _fcm_window_export_bug_report (second, destination, NULL, done_cb, &result);
    g_assert_true (_fcm_window_export_bug_report_finish (second, wait_result (&result), &error));
    g_assert_true (g_file_get_contents (path, &text, NULL, &error));
    g_assert_null (strstr (text, "MRN-448120"));
    again = read_export (path);
    for (guint i = 0; i < again->len; i++)
      n_frames += ((FcmRecord *) g_ptr_array_index (again, i))->type == FCM_RECORD_FRAME;
    g_assert_cmpuint (n_frames, ==, 6);
    g_clear_object (&result);
    gtk_window_destroy (GTK_WINDOW (second));
    g_assert_finalize_object (second);
  }
}

/* ------------------------------------------------ through the menu */

/* the item of @menu (and its sections) that runs @action; its label */
static char *
menu_label_for (GMenuModel *menu,
                const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *item_action = NULL;
      g_autofree char *label = NULL;

      if (section != NULL)
        {
          char *found = menu_label_for (section, action);

          if (found != NULL)
            return found;
          continue;
        }
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_str_equal (item_action, action) &&
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        return g_steal_pointer (&label);
    }
  return NULL;
}

/* The file chooser a GtkFileChooserNative shows without a portal: a real
 * GtkFileChooserDialog, transient for @parent. */
static GtkWidget *
find_file_chooser (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          gtk_window_get_transient_for (window) == parent)
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
chooser_has (GtkFileChooser *chooser,
             GFile          *wanted)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL && g_file_equal (file, wanted);
}

static gboolean
in_folder (GtkFileChooser *chooser,
           const char     *path)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (chooser);

  return folder != NULL && g_strcmp0 (g_file_peek_path (folder), path) == 0;
}

/* a whole bug report: written to its last line, the summary */
static gboolean
report_written (const char *path)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, NULL) || length == 0 || text[length - 1] != '\n')
    return FALSE;
  return strstr (text, "\"type\":\"summary\"") != NULL;
}

static gboolean
contains_phi (const char *text)
{
  for (const char *phi = "MRN-448120\0Doe\0Jane\0" "1961-04-12\0pat-1\0"; *phi; phi += strlen (phi) + 1)
    if (strstr (text, phi) != NULL)
      return TRUE;
  return FALSE;
}

/* What a user does: the main menu's Export Bug Report…, a name in the save
 * dialog, Export; then Open Recording…, the exported file chosen in the
 * open dialog, Open. Real menu model, real actions, real file chooser. */
static void
test_menu_and_file_chooser (Fixture       *f,
                            gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) live = live_session (f, &window);
  g_autofree char *path = g_build_filename (f->dir, "bug.ndjson", NULL);
  g_autoptr(GFile) report = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *open_label = NULL;
  g_autofree char *export_label = NULL;
  g_autofree char *text = NULL;
  g_autofree char *recordings = NULL;
  GtkWidget *menu_button;
  GMenuModel *menu;
  GtkWidget *chooser;
  FcmConnection *recording;
  FcmEventLog *log;

  wait_recorded (live);

  /* both items in the main menu */
  menu_button = fcm_test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  open_label = menu_label_for (menu, "win.open-recording");
  export_label = menu_label_for (menu, "win.export-bug-report");
  g_assert_cmpstr (open_label, ==, "_Open Recording…");
  g_assert_cmpstr (export_label, ==, "Export _Bug Report…");

  /* Export Bug Report…: a save dialog with a dated name */
  g_assert_null (find_file_chooser (GTK_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-bug-report", NULL));
  FCM_TEST_WAIT_UNTIL ((chooser = find_file_chooser (GTK_WINDOW (window))) != NULL);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (chooser)));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  {
    g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

    g_assert_true (g_str_has_prefix (name, "fhircast-bug-report-"));
    g_assert_true (g_str_has_suffix (name, ".ndjson"));
  }
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (chooser));
  /* a whole path typed into the Name field, as a user may (a folder set
   * with gtk_file_chooser_set_current_folder() here did not hold: the
   * dialog showed its parent) */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), path);
  /* only ever into our temporary folder: never Export anywhere else */
  FCM_TEST_WAIT_UNTIL (chooser_has (GTK_FILE_CHOOSER (chooser), report));
  gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT));
  FCM_TEST_WAIT_UNTIL (report_written (path));
  FCM_TEST_WAIT_UNTIL (find_file_chooser (GTK_WINDOW (window)) == NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  if (contains_phi (text))
    g_error ("patient data in the bug report: %s", text);

  /* Open Recording…: an open dialog in the app's recordings folder */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recording", NULL));
  FCM_TEST_WAIT_UNTIL ((chooser = find_file_chooser (GTK_WINDOW (window))) != NULL);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, GTK_FILE_CHOOSER_ACTION_OPEN);
  recordings = fcm_recording_default_dir ();
  FCM_TEST_WAIT_UNTIL (in_folder (GTK_FILE_CHOOSER (chooser), recordings));
  /* the exported report opens like any recording */
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), report, &error));
  g_assert_no_error (error);
  FCM_TEST_WAIT_UNTIL (chooser_has (GTK_FILE_CHOOSER (chooser), report));
  gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT));
  FCM_TEST_WAIT_UNTIL (g_list_model_get_n_items (fcm_window_get_connections (window)) == 2);
  FCM_TEST_WAIT_UNTIL (find_file_chooser (GTK_WINDOW (window)) == NULL);

  recording = fcm_window_get_connection (window);
  g_assert_true (recording != live);
  g_assert_true (g_file_equal (fcm_connection_get_recording (recording), report));
  log = fcm_monitor_get_event_log (fcm_connection_get_monitor (recording));
  FCM_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (log)) == 7);
  FCM_TEST_WAIT_UNTIL (shown_rows (window) == 7);
  /* pseudonyms in the timeline, and a current report in the context */
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      g_assert_false (contains_phi (fcm_event_log_entry_get_text (entry)));
    }
  g_assert_nonnull (fcm_context_store_get_current (fcm_monitor_get_context_store (fcm_connection_get_monitor (recording))));

  /* the dialogs' handlers and the open's task let go of the window */
  {
    gpointer weak = window;

    g_object_add_weak_pointer (G_OBJECT (window), &weak);
    gtk_window_destroy (GTK_WINDOW (window));
    g_object_unref (window);
    FCM_TEST_WAIT_UNTIL (weak == NULL);
  }
}

/* ------------------------------------------------ shown once written */

static guint
timeline_rows (FcmTimeline *timeline)
{
  return g_list_model_get_n_items (_fcm_timeline_get_model (timeline));
}

static void
run_for_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* A row shows only once its line is in the recording (issue 16.5: a crash
 * loses nothing that was shown). The recording is a FIFO nobody reads yet:
 * once its 64 KiB are full, the recorder's write waits, and so does the
 * row; reading the FIFO lets the write finish and the row show. */
static void
test_timeline_waits_for_write (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "recording.ndjson", NULL);
  g_autoptr(FcmRecorder) recorder = NULL;
  g_autoptr(FcmEventLog) log = fcm_event_log_new ();
  g_autoptr(FcmEventLog) unrecorded_log = fcm_event_log_new ();
  g_autoptr(FcmEvent) event = fcm_event_new ("ev-1", NULL, "t", FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, NULL, NULL, NULL);
  g_autofree char *text = fcm_event_to_json (event, FALSE);
  g_autofree char *filler = g_strnfill (96 * 1024, 'x');
  g_autoptr(FcmEventLogEntry) entry = fcm_event_log_entry_new (text, FCM_MESSAGE_EVENT, event, NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *timeline = fcm_timeline_new ();
  char buffer[16 * 1024];
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  /* a reader end first, so that opening the FIFO for writing does not wait */
  fd = g_open (fifo, O_RDONLY | O_NONBLOCK, 0);
  g_assert_cmpint (fd, >=, 0);

  gtk_window_set_child (GTK_WINDOW (window), timeline);
  gtk_window_present (GTK_WINDOW (window));
  recorder = fcm_recorder_new (fifo);
  fcm_timeline_set_recorder (FCM_TIMELINE (timeline), recorder);
  fcm_timeline_set_event_log (FCM_TIMELINE (timeline), log);

  /* more than the FIFO holds: this write cannot finish until it is read */
  fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, filler);
  run_for_ms (100);
  g_assert_cmpuint (fcm_recorder_get_written_seq (recorder), <, fcm_recorder_get_queued_seq (recorder));

  /* the monitor logs a frame, the recorder queues its line: not shown */
  fcm_event_log_append (log, entry);
  fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, text);
  run_for_ms (300);                     /* many frames */
  g_assert_cmpuint (timeline_rows (FCM_TIMELINE (timeline)), ==, 0);
  g_assert_cmpuint (fcm_recorder_get_written_seq (recorder), <, fcm_recorder_get_queued_seq (recorder));

  /* read: the writes finish, the row shows */
  while (fcm_recorder_get_written_seq (recorder) < fcm_recorder_get_queued_seq (recorder))
    {
      while (read (fd, buffer, sizeof buffer) > 0)
        ;
      g_main_context_iteration (NULL, FALSE);
    }
  FCM_TEST_WAIT_UNTIL (timeline_rows (FCM_TIMELINE (timeline)) == 1);
  g_assert_null (fcm_recorder_get_error (recorder));

  /* without a recorder nothing waits */
  fcm_timeline_set_recorder (FCM_TIMELINE (timeline), NULL);
  fcm_timeline_set_event_log (FCM_TIMELINE (timeline), unrecorded_log);
  fcm_event_log_append (unrecorded_log, entry);
  FCM_TEST_WAIT_UNTIL (timeline_rows (FCM_TIMELINE (timeline)) == 1);

  gtk_window_destroy (GTK_WINDOW (window));
  close (fd);
  g_unlink (fifo);
}

/* ------------------------------------------------ preferences */

/* Preferences → Record Sessions is the record-sessions setting; the group
 * says where the recordings go */
static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *prefs = g_object_ref (fcm_preferences_window_new (NULL, f->settings));
  GtkWidget *group, *row, *sw;
  g_autofree char *dir = fcm_recording_default_dir ();
  const char *tail = strstr (dir, "/fhircast-monitor/recordings");

  gtk_window_present (GTK_WINDOW (prefs));
  group = fcm_test_find_widget_named (prefs, "recordings_group");
  row = fcm_test_find_widget_named (prefs, "record_sessions_row");
  g_assert_nonnull (group);
  g_assert_nonnull (row);
  g_assert_nonnull (tail);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), tail));

  sw = fcm_test_find_widget (row, GTK_TYPE_SWITCH);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "record-sessions"));
  g_settings_set_boolean (f->settings, "record-sessions", TRUE);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-recording-window"))
    return 77;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/fcm/recording/open", test_open_recording);
  ADD ("/fcm/recording/open-not-recording", test_open_not_recording);
  ADD ("/fcm/recording/export-bug-report", test_export_bug_report);
  ADD ("/fcm/recording/menu-and-file-chooser", test_menu_and_file_chooser);
  ADD ("/fcm/recording/timeline-waits-for-write", test_timeline_waits_for_write);
  ADD ("/fcm/recording/preferences", test_preferences);

#undef ADD

  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);
  return status;
}
