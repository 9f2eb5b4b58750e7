/* test-timeline.c: the event timeline's rows, details, syncerror links and notes
 *
 * Rows appear as the monitor logs them (filter, search, details, copy,
 * export), validation issues, the count's format, a syncerror's link to the
 * event it names, and the notes among the messages. Over a real hub, client
 * and monitor (fcm-test-timeline-util.c).
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-timeline-util.h"
#include "fcm-view-pace.h"
#include "fcm-timeline.h"
#include "fcm-timeline-private.h"

static guint
row_of (Fixture    *f,
        const char *event_id)
{
  GListModel *model = _fcm_timeline_get_model (f->timeline);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (model, i);

      if (g_strcmp0 (fcm_event_log_entry_get_event_id (entry), event_id) == 0)
        return i;
    }
  g_assert_not_reached ();
}

/* rows appear as the monitor logs them; filter, search, details, copy, export */
static void
test_timeline_rows (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonArray) open1 = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-1", "MRN-1");
  g_autoptr(JsonArray) close1 = fcm_context_build_close ("rpt-1", "pat-1", "st-1");
  g_autoptr(JsonArray) open2 = fcm_context_build_open ("rpt-2", "pat-2", "st-2", "ACC-2", "MRN-2");
  g_autoptr(JsonArray) open3 = fcm_context_build_open ("rpt-3", "pat-3", "st-3", "ACC-3", "MRN-3");
  g_autoptr(JsonArray) close3 = fcm_context_build_close ("rpt-3", "pat-3", "st-3");
  g_autofree char *other_open = NULL;
  g_autofree char *other_close = NULL;
  g_autofree char *our_open = NULL;
  GtkDropDown *type_filter = _fcm_timeline_get_type_filter (f->timeline);
  GtkEditable *search = _fcm_timeline_get_search_entry (f->timeline);
  FcmEventDetails *details = _fcm_timeline_get_details (f->timeline);
  GtkWidget *copy_button = fcm_test_find_action_button (GTK_WIDGET (f->timeline), "timeline.copy-json");
  GtkWidget *empty_page = fcm_test_find_widget (GTK_WIDGET (f->timeline), ADW_TYPE_STATUS_PAGE);
  GtkTextView *text_view;
  GtkTextIter start, end;
  g_autofree char *json = NULL;
  GtkStack *stack;
  guint row;

  g_assert_nonnull (copy_button);
  g_assert_true (gtk_widget_get_visible (empty_page));
  subscribe (f->ours);
  subscribe (f->other);
  /* the confirmation frame (C-17) is the first row, the note that the
   * subscription is live the second (issue 11.9) */
  FCM_TEST_WAIT_UNTIL (n_rows (f) == 2);
  g_assert_false (gtk_widget_get_visible (empty_page));

  other_open = publish (f, f->other, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open1);
  other_close = publish (f, f->other, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, close1);
  our_open = publish (f, f->ours, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open2);
  FCM_TEST_WAIT_UNTIL (n_log (f) == 5 && n_rows (f) == 5);
  /* our client acks every notification (C-28), the rows follow */
  FCM_TEST_WAIT_UNTIL (fcm_event_log_entry_get_ack_status (fcm_event_log_find_event (
                         fcm_monitor_get_event_log (f->monitor), other_close)) == 200);
  g_assert_true (fcm_event_log_entry_get_own_echo (fcm_event_log_find_event (
                   fcm_monitor_get_event_log (f->monitor), our_open)));

  /* the count next to the filter (issue 11.9) */
  g_assert_cmpstr (_fcm_timeline_get_count_text (f->timeline), ==, "5 messages");

  /* filter by type */
  gtk_drop_down_set_selected (type_filter, 1);     /* DiagnosticReport-open */
  g_assert_cmpuint (n_rows (f), ==, 2);
  g_assert_cmpstr (_fcm_timeline_get_count_text (f->timeline), ==, "2 of 5");
  gtk_drop_down_set_selected (type_filter, 2);     /* DiagnosticReport-close */
  g_assert_cmpuint (n_rows (f), ==, 1);
  gtk_drop_down_set_selected (type_filter, 5);     /* SyncError */
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_true (gtk_widget_get_visible (empty_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty_page)), ==, "No Matching Messages");
  gtk_drop_down_set_selected (type_filter, 6);     /* other messages: the confirmation, the note */
  g_assert_cmpuint (n_rows (f), ==, 2);
  gtk_drop_down_set_selected (type_filter, 0);
  g_assert_cmpuint (n_rows (f), ==, 5);
  g_assert_cmpstr (_fcm_timeline_get_count_text (f->timeline), ==, "5 messages");

  /* free-text search over the raw message, case-insensitive */
  gtk_editable_set_text (search, "RPT-2");
  FCM_TEST_WAIT_UNTIL (n_rows (f) == 1);
  gtk_editable_set_text (search, "rpt-");
  FCM_TEST_WAIT_UNTIL (n_rows (f) == 3);
  g_assert_cmpstr (_fcm_timeline_get_count_text (f->timeline), ==, "3 of 5");
  /* search and type together */
  gtk_drop_down_set_selected (type_filter, 2);
  g_assert_cmpuint (n_rows (f), ==, 1);
  gtk_drop_down_set_selected (type_filter, 0);
  gtk_editable_set_text (search, "");
  FCM_TEST_WAIT_UNTIL (n_rows (f) == 5);

  /* nothing selected: empty details, copy disabled */
  stack = GTK_STACK (fcm_test_find_widget (GTK_WIDGET (details), GTK_TYPE_STACK));
  g_assert_null (fcm_timeline_get_selected (f->timeline));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_false (gtk_widget_get_sensitive (copy_button));

  /* select our own open: pretty JSON with its id in the details */
  row = row_of (f, our_open);
  _fcm_timeline_select (f->timeline, row);
  g_assert_nonnull (fcm_timeline_get_selected (f->timeline));
  g_assert_cmpstr (fcm_event_log_entry_get_event_id (fcm_timeline_get_selected (f->timeline)), ==, our_open);
  g_assert_true (fcm_event_details_get_entry (details) == fcm_timeline_get_selected (f->timeline));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "entry");
  g_assert_true (gtk_widget_get_sensitive (copy_button));
  text_view = GTK_TEXT_VIEW (fcm_test_find_widget (GTK_WIDGET (details), GTK_TYPE_TEXT_VIEW));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (text_view), &start, &end);
  json = gtk_text_buffer_get_text (gtk_text_view_get_buffer (text_view), &start, &end, FALSE);
  g_assert_nonnull (strstr (json, our_open));
  g_assert_nonnull (strstr (json, "\n  \"id\" : "));        /* pretty-printed */

  /* copy-json: the pretty JSON on the clipboard */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->timeline));
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *copied = NULL;

    gdk_clipboard_set_text (clipboard, "nothing yet");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.copy-json", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, done_cb, &result);
    FCM_TEST_WAIT_UNTIL (result != NULL);
    copied = gdk_clipboard_read_text_finish (clipboard, result, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (copied, ==, json);
    /* and says so (issue 11.8) */
    g_assert_cmpstr (adw_toast_get_title (_fcm_timeline_get_feedback (f->timeline)), ==,
                     "Copied the JSON of DiagnosticReport-open");
  }

  /* export the shown rows as NDJSON: every line parses */
  {
    g_autofree char *dir = g_dir_make_tmp ("fcm-timeline-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "t.ndjson", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;

    gtk_drop_down_set_selected (type_filter, 1);
    _fcm_timeline_export_to_file (f->timeline, file, NULL, done_cb, &result);
    FCM_TEST_WAIT_UNTIL (result != NULL);
    g_assert_true (_fcm_timeline_export_finish (f->timeline, result, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);      /* two opens and "" */
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        JsonObject *obj;

        g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
        obj = json_node_get_object (json_parser_get_root (parser));
        g_assert_cmpstr (json_object_get_string_member (obj, "kind"), ==, "event");
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj, "message"), "id"),
                         ==, i == 0 ? other_open : our_open);
        g_assert_cmpint (json_object_get_boolean_member (obj, "ownEcho"), ==, i == 1);
      }
    g_assert_cmpstr (lines[2], ==, "");
    {
      g_autofree char *said = g_strdup_printf ("Exported 2 messages to %s", path);

      g_assert_cmpstr (adw_toast_get_title (_fcm_timeline_get_feedback (f->timeline)), ==, said);
    }
    gtk_drop_down_set_selected (type_filter, 0);
    g_unlink (path);
    g_rmdir (dir);
  }

  /* unselect: empty state again */
  _fcm_timeline_select (f->timeline, GTK_INVALID_LIST_POSITION);
  g_assert_null (fcm_timeline_get_selected (f->timeline));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_false (gtk_widget_get_sensitive (copy_button));

  /* Ctrl+F: the search entry takes the focus */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.focus-search", NULL));
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

    g_assert_nonnull (focus);
    g_assert_true (focus == GTK_WIDGET (search) || gtk_widget_is_ancestor (focus, GTK_WIDGET (search)));
  }

  /* clear, with Undo (issue 11.8) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.clear", NULL));
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (_fcm_timeline_get_count_text (f->timeline), ==, "0 messages");
  {
    AdwToast *toast = _fcm_timeline_get_feedback (f->timeline);

    g_assert_cmpstr (adw_toast_get_title (toast), ==, "Cleared 5 messages");
    g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
    g_assert_cmpuint (n_log (f), ==, 5);
    g_signal_emit_by_name (toast, "button-clicked");
    adw_toast_dismiss (toast);
  }
  g_assert_cmpuint (n_rows (f), ==, 5);
  g_assert_cmpuint (n_log (f), ==, 5);
  /* once the toast goes without Undo, the log is cleared for real */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.clear", NULL));
  g_assert_cmpuint (n_rows (f), ==, 0);
  adw_toast_dismiss (_fcm_timeline_get_feedback (f->timeline));
  g_assert_cmpuint (n_log (f), ==, 0);
  g_assert_cmpuint (n_rows (f), ==, 0);

  /* new messages after a clear show; Undo puts the old ones back before them */
  g_free (publish (f, f->other, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open3));
  FCM_TEST_WAIT_UNTIL (n_rows (f) == 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.clear", NULL));
  {
    AdwToast *toast = _fcm_timeline_get_feedback (f->timeline);

    g_assert_cmpstr (adw_toast_get_title (toast), ==, "Cleared 1 message");
    g_free (publish (f, f->other, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, close3));
    FCM_TEST_WAIT_UNTIL (n_rows (f) == 1 && n_log (f) == 2);
    g_signal_emit_by_name (toast, "button-clicked");
    adw_toast_dismiss (toast);
    g_assert_cmpuint (n_rows (f), ==, 2);
    {
      g_autoptr(FcmEventLogEntry) first = g_list_model_get_item (_fcm_timeline_get_model (f->timeline), 0);

      g_assert_cmpstr (fcm_event_log_entry_get_name (first), ==, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN);
    }
  }
}

/* a message with validation issues lists them in the details pane */
static void
test_timeline_issues (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonArray) open1 = fcm_context_build_open ("rpt-9", "pat-9", "st-9", "ACC-9", "MRN-9");
  g_autofree char *id = NULL;
  FcmEventLogEntry *entry;
  FcmEventDetails *details = _fcm_timeline_get_details (f->timeline);
  GtkWidget *issues_list;
  GPtrArray *issues;
  guint n_children = 0;

  subscribe (f->ours);
  subscribe (f->other);
  /* the legacy lower-case name: accepted, but worth a warning */
  id = publish (f, f->other, "diagnosticreport-open", open1);
  FCM_TEST_WAIT_UNTIL ((entry = fcm_event_log_find_event (fcm_monitor_get_event_log (f->monitor), id)) != NULL);
  issues = fcm_event_log_entry_get_issues (entry);
  g_assert_cmpuint (issues->len, >, 0);
  /* the view takes new rows once per main-loop turn */
  FCM_TEST_WAIT_UNTIL (n_rows (f) == n_log (f));

  _fcm_timeline_select (f->timeline, row_of (f, id));
  issues_list = fcm_test_find_widget (GTK_WIDGET (details), GTK_TYPE_LIST_BOX);
  for (GtkWidget *child = gtk_widget_get_first_child (issues_list); child; child = gtk_widget_get_next_sibling (child))
    n_children++;
  g_assert_cmpuint (n_children, ==, issues->len);
  /* the row shows rule id, path and message */
  {
    FcmIssue *issue = g_ptr_array_index (issues, 0);
    GtkWidget *row = gtk_widget_get_first_child (issues_list);
    gboolean rule = FALSE, path = FALSE, message = FALSE;
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, row);
    while (stack->len > 0)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_LABEL (w))
          {
            const char *t = gtk_label_get_label (GTK_LABEL (w));

            rule |= g_strcmp0 (t, fcm_issue_get_rule_id (issue)) == 0;
            path |= g_strcmp0 (t, fcm_issue_get_path (issue)) == 0;
            message |= g_strcmp0 (t, fcm_issue_get_message (issue)) == 0;
          }
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
    g_ptr_array_unref (stack);
    g_assert_true (rule && path && message);
  }
}

/* "27 of 1,204": thousands grouped (C locale: a comma) */
static void
test_timeline_count_format (void)
{
  const struct { guint n; const char *text; } cases[] = {
    { 0, "0" }, { 27, "27" }, { 999, "999" }, { 1204, "1,204" }, { 100000, "100,000" }, { 1234567, "1,234,567" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = _fcm_format_count (cases[i].n);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* issue 11.3: a syncerror row reads as an error, and activating it selects
 * the row of the event it names, even when the filter hid that row */
static void
test_timeline_syncerror_link (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(FcmHubClient) refuser = NULL;
  g_autoptr(JsonArray) open = fcm_context_build_open ("rpt-5", "pat-5", "st-5", "ACC-5", "MRN-5");
  GtkDropDown *type_filter = _fcm_timeline_get_type_filter (f->timeline);
  GtkListView *list_view = _fcm_timeline_get_list_view (f->timeline);
  g_autofree char *open_id = NULL;
  FcmEventLogEntry *syncerror = NULL;
  FcmEventLogEntry *selected;
  guint position = GTK_INVALID_LIST_POSITION;
  GListModel *model = _fcm_timeline_get_model (f->timeline);

  refuser = fcm_hub_client_new (fcm_hub_get_url (f->hub), f->topic);
  fcm_hub_client_set_subscriber_name (refuser, "PACS");
  fcm_hub_client_set_ack_policy (refuser, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, 409);
  subscribe (f->ours);
  subscribe (f->other);
  subscribe (refuser);
  open_id = publish (f, f->other, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open);
  FCM_TEST_WAIT_UNTIL (fcm_monitor_get_sync_lost (f->monitor));
  FCM_TEST_WAIT_UNTIL (n_rows (f) == n_log (f));
  wait_frames (f, 1);

  /* in red, marked without colour too */
  g_assert_nonnull (find_row (GTK_WIDGET (list_view), FCM_TIMELINE_COLUMN_EVENT, "⚠ syncerror", "fcm-syncerror"));
  g_assert_nonnull (find_row (GTK_WIDGET (list_view), FCM_TIMELINE_COLUMN_EVENT, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, NULL));
  g_assert_null (find_row (GTK_WIDGET (list_view), FCM_TIMELINE_COLUMN_EVENT, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                           "fcm-syncerror"));

  /* only syncerrors shown: the open is filtered out */
  gtk_drop_down_set_selected (type_filter, 5);
  g_assert_cmpuint (n_rows (f), ==, 1);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (model, i);

      if (fcm_event_log_entry_get_name (entry) != NULL &&
          fcm_event_name_equal (fcm_event_log_entry_get_name (entry), FCM_EVENT_SYNCERROR))
        {
          syncerror = entry;
          position = i;
        }
    }
  g_assert_nonnull (syncerror);

  /* Enter on the syncerror row: the open it names is selected */
  g_signal_emit_by_name (list_view, "activate", position);
  g_assert_cmpuint (gtk_drop_down_get_selected (type_filter), ==, 0);
  selected = fcm_timeline_get_selected (f->timeline);
  g_assert_nonnull (selected);
  g_assert_cmpstr (fcm_event_log_entry_get_event_id (selected), ==, open_id);
  /* the view goes there and stays */
  g_assert_false (_fcm_timeline_get_following (f->timeline));

  /* a double click on the syncerror row (on its Event cell) does the same,
   * even when the first click made the list move under the pointer; on the
   * space below the rows, nothing */
  _fcm_timeline_select (f->timeline, GTK_INVALID_LIST_POSITION);
  wait_frames (f, 1);
  {
    FcmTimelineRow *row = find_row (GTK_WIDGET (list_view), FCM_TIMELINE_COLUMN_EVENT, "⚠ syncerror", "fcm-syncerror");
    graphene_rect_t bounds;
    double x, y, below = gtk_widget_get_height (GTK_WIDGET (list_view)) - 2;

    g_assert_nonnull (row);
    cell_bounds (row, FCM_TIMELINE_COLUMN_EVENT, GTK_WIDGET (list_view), &bounds);
    x = bounds.origin.x + bounds.size.width / 2;
    y = bounds.origin.y + bounds.size.height / 2;
    g_assert_cmpfloat (below, >, bounds.origin.y + 2 * bounds.size.height);
    g_assert_false (_fcm_timeline_click (f->timeline, 1, x, below));
    g_assert_false (_fcm_timeline_click (f->timeline, 2, x, below));
    g_assert_null (fcm_timeline_get_selected (f->timeline));

    g_assert_true (_fcm_timeline_click (f->timeline, 1, x, y));
    /* the rows moved before the second click: it lands on the row above */
    g_assert_true (_fcm_timeline_click (f->timeline, 2, x, y - bounds.size.height));
  }
  selected = fcm_timeline_get_selected (f->timeline);
  g_assert_nonnull (selected);
  g_assert_cmpstr (fcm_event_log_entry_get_event_id (selected), ==, open_id);
}

/* ------------------------------------------------------------------ notes */

static void
admin_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  guint *status = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  *status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
}


/* issue 11.9: subscribing, losing the hub and resubscribing are rows among
 * the messages, from this app, quieter than messages and without ack,
 * latency or validation; the hub drops our socket (its /admin/ close, as a
 * crashed proxy would) and the client comes back by itself (C-68) */
static void
test_timeline_notes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *base = g_strdup (fcm_hub_get_url (f->hub));
  g_autofree char *url = NULL;
  g_autofree char *old_endpoint = NULL;
  GtkWidget *list;
  FcmTimelineRow *row = NULL;
  guint status = 0;

  subscribe (f->ours);
  FCM_TEST_WAIT_UNTIL (n_rows (f) == 2);
  old_endpoint = g_strdup (fcm_hub_client_get_endpoint (f->ours));

  /* hub.url is …/fhircast; the admin paths live at the root */
  *strstr (base, "/fhircast") = '\0';
  url = g_strdup_printf ("%s/admin/subscribers/%s/close?code=4000", base, strrchr (old_endpoint, '/') + 1);
  msg = soup_message_new ("POST", url);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, admin_done_cb, &status);
  FCM_TEST_WAIT_UNTIL (status != 0);
  g_assert_cmpuint (status, ==, 200);

  /* lost, then live again on a new endpoint: two more rows */
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (f->ours) == FCM_CLIENT_STATE_ACTIVE &&
                       g_strcmp0 (fcm_hub_client_get_endpoint (f->ours), old_endpoint) != 0);
  FCM_TEST_WAIT_UNTIL (n_log (f) >= 5 && n_rows (f) == n_log (f));
  wait_frames (f, 1);

  list = list_view_of (f);
  for (guint i = 0; i < 3; i++)
    {
      const char *title = (const char *[]) { "Subscribed", "Connection lost", "Resubscribed" }[i];

      row = find_row (list, FCM_TIMELINE_COLUMN_EVENT, title, "fcm-note");
      if (row == NULL)
        g_error ("no note row \"%s\" in the timeline", title);
      /* from this app; not a message: no id, ack, latency or validation */
      g_assert_cmpstr (_fcm_timeline_row_get_text (row, FCM_TIMELINE_COLUMN_FROM), ==, "This app");
      g_assert_cmpstr (_fcm_timeline_row_get_text (row, FCM_TIMELINE_COLUMN_ID), ==, "");
      g_assert_cmpstr (_fcm_timeline_row_get_text (row, FCM_TIMELINE_COLUMN_ACK), ==, "");
      g_assert_cmpstr (_fcm_timeline_row_get_text (row, FCM_TIMELINE_COLUMN_LATENCY), ==, "");
      g_assert_false (gtk_widget_get_visible (_fcm_timeline_row_get_badge (row)));
    }
  /* a message row is not a note, and has all its cells */
  row = find_row (list, FCM_TIMELINE_COLUMN_FROM, "Hub", NULL);
  g_assert_nonnull (row);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "fcm-note"));
  g_assert_true (gtk_widget_get_visible (_fcm_timeline_row_get_badge (row)));
  /* they are counted with the messages and filtered with "other" */
  {
    GtkDropDown *type_filter = _fcm_timeline_get_type_filter (f->timeline);

    gtk_drop_down_set_selected (type_filter, 1);     /* DiagnosticReport-open */
    g_assert_cmpuint (n_rows (f), ==, 0);
    gtk_drop_down_set_selected (type_filter, 0);
    g_assert_cmpuint (n_rows (f), ==, n_log (f));
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fcm_gtk_test_set_fatal_handler ();
  if (!gtk_init_check ())
    {
      g_printerr ("No display; skipping\n");
      return 77;
    }
  adw_init ();

  g_test_add_func ("/timeline/count-format", test_timeline_count_format);
  g_test_add ("/timeline/rows", Fixture, NULL, fixture_setup, test_timeline_rows, fixture_teardown);
  g_test_add ("/timeline/issues", Fixture, NULL, fixture_setup, test_timeline_issues, fixture_teardown);
  g_test_add ("/timeline/syncerror-link", Fixture, NULL, fixture_setup, test_timeline_syncerror_link, fixture_teardown);
  g_test_add ("/timeline/notes", Fixture, "admin", fixture_setup, test_timeline_notes, fixture_teardown);

  return g_test_run ();
}
