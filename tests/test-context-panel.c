/* test-context-panel.c: FcmContextPanel's report, headline and stale context over a real hub
 *
 * A real FcmHub on 127.0.0.1, the monitored FcmHubClient with its FcmMonitor,
 * and a second client as the "other app" that opens and closes reports
 * (fcm-test-context-panel-util.c). Suspended reports are in
 * test-context-panel-suspended.c, the Open Report dialog in
 * test-open-report-dialog.c.
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "fcm-compact-row.h"
#include "fcm-context-panel-private.h"
#include "fcm-line-text.h"
#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-open-report-dialog.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-context-panel-util.h"

static void
unsubscribe_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  Wait *w = data;

  w->ok = fcm_hub_client_unsubscribe_finish (FCM_HUB_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
unsubscribe (FcmHubClient *client)
{
  Wait w = { 0 };

  fcm_hub_client_unsubscribe_async (client, NULL, unsubscribe_done_cb, &w);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
}

static void
publish_update (Fixture   *f,
                JsonArray *context)
{
  g_autofree char *id = g_uuid_string_random ();
  const char *version = fcm_context_store_get_version_id (fcm_monitor_get_context_store (f->monitor));
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, TOPIC, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE,
                                             context, version, NULL);
  Wait w = { 0 };

  fcm_hub_client_publish_async (f->other, event, NULL, publish_done_cb, &w);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.status, ==, 200);
}

/* ------------------------------------------------------------------ panel */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* No monitor: "Not Connected"; a connected monitor with no context: "No Report Open" */
static void
test_panel_empty (Fixture       *f,
                  gconstpointer  data)
{
  guint n_notify = 0;

  g_signal_connect (f->panel, "notify::monitor", G_CALLBACK (count_notify_cb), &n_notify);

  g_assert_null (fcm_context_panel_get_monitor (f->panel));
  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "not-connected");
  g_assert_null (_fcm_context_panel_get_stale_reason (f->panel));

  g_object_set (f->panel, "monitor", f->monitor, NULL);
  g_assert_true (fcm_context_panel_get_monitor (f->panel) == f->monitor);
  g_assert_cmpuint (n_notify, ==, 1);
  fcm_context_panel_set_monitor (f->panel, f->monitor);
  g_assert_cmpuint (n_notify, ==, 1);

  g_assert_cmpint (fcm_monitor_get_state (f->monitor), ==, FCM_CLIENT_STATE_ACTIVE);
  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "empty");
  /* the states without a report crossfade (a report appears at once: below) */
  g_assert_true (_fcm_context_panel_get_page_switching (f->panel));
  g_assert_null (_fcm_context_panel_get_stale_reason (f->panel));
  g_assert_null (field (f, FCM_CONTEXT_FIELD_REPORT_ID));
  g_assert_false (_fcm_context_panel_get_suspended_visible (f->panel));

  fcm_context_panel_set_monitor (f->panel, NULL);
  g_assert_cmpuint (n_notify, ==, 2);
  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "not-connected");
}

/* An open from another app shows up in the report card (C-46, C-47) */
static void
test_panel_open (Fixture       *f,
                 gconstpointer  data)
{
  const char *uid;
  GtkWidget *label;
  g_autofree char *tooltip = NULL;

  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_open (f, "rpt-1", "ACC-4711", "MRN-123456");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-1") == 0);

  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "report");
  /* the report is there at once, not faded in over "No report" (issue 15.1) */
  g_assert_false (_fcm_context_panel_get_page_switching (f->panel));
  g_assert_true (_fcm_context_panel_get_headline_visible (f->panel));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MRN), ==, "MRN-123456");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_ACCESSION), ==, "ACC-4711");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_PATIENT_ID), ==, "pat-1");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_STUDY_ID), ==, "st-1");
  uid = field (f, FCM_CONTEXT_FIELD_STUDY_UID);
  g_assert_nonnull (uid);
  g_assert_true (g_str_has_prefix (uid, "urn:oid:"));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_REPORT_STATUS), ==, "unknown");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_N_CONTENT), ==, "0");
  /* C-32: the hub gives every context a versionId */
  g_assert_nonnull (field (f, FCM_CONTEXT_FIELD_VERSION_ID));
  /* no demographics in the event: the headline says so instead of guessing */
  g_assert_null (field (f, FCM_CONTEXT_FIELD_PATIENT_NAME));
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_PATIENT), ==, "Name not given");
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_PATIENT_DETAIL), ==,
                   "MRN MRN-123456");
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_STUDY), ==,
                   "Study description not given");
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_STUDY_DETAIL), ==,
                   "Accession ACC-4711");
  /* IRA's "unknown" (C-47) in words, not a lone lower-case code */
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_STATUS), ==, "Status Unknown");
  g_assert_true (gtk_widget_has_css_class (_fcm_context_panel_get_line (f->panel, FCM_CONTEXT_LINE_STATUS),
                                           "neutral"));
  g_assert_true (_fcm_context_panel_get_field_visible (f->panel, FCM_CONTEXT_FIELD_SELECTION));
  g_assert_null (field (f, FCM_CONTEXT_FIELD_SELECTION));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_OPENED_BY), ==, "Opened by another app");
  tooltip = _fcm_context_panel_dup_field_tooltip (f->panel, FCM_CONTEXT_FIELD_OPENED_BY);
  g_assert_true (g_str_has_prefix (tooltip, "Opening event: "));

  /* values are copyable, and named for assistive technologies */
  label = _fcm_context_panel_get_field_label (f->panel, FCM_CONTEXT_FIELD_REPORT_ID);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  g_assert_true (gtk_widget_get_focusable (label));
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_MIDDLE);
  g_assert_true (gtk_widget_has_css_class (label, "monospace"));
  /* the full value in a tooltip, computed when asked for, never set per event */
  g_assert_true (gtk_widget_get_has_tooltip (label));
  g_assert_null (gtk_widget_get_tooltip_text (label));
  g_clear_pointer (&tooltip, g_free);
  tooltip = _fcm_context_panel_dup_field_tooltip (f->panel, FCM_CONTEXT_FIELD_REPORT_ID);
  g_assert_cmpstr (tooltip, ==, "rpt-1");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, "rpt-1");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Report ID");
  /* a missing value is a dim, unselectable dash without a tooltip */
  label = _fcm_context_panel_get_field_label (f->panel, FCM_CONTEXT_FIELD_SELECTION);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "—");
  g_assert_false (gtk_label_get_selectable (GTK_LABEL (label)));
  g_assert_true (gtk_widget_has_css_class (label, "dim-label"));
  g_assert_null (_fcm_context_panel_dup_field_tooltip (f->panel, FCM_CONTEXT_FIELD_SELECTION));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Not given");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Selection");

  g_assert_false (_fcm_context_panel_get_suspended_visible (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 0);
  g_assert_null (_fcm_context_panel_get_suspended_count (f->panel));
  g_assert_null (_fcm_context_panel_get_stale_reason (f->panel));

  /* a select shows up as the current selection */
  {
    const char *sel[] = { "ImagingStudy/st-1", NULL };
    g_autoptr(JsonArray) ctx = fcm_context_build_select ("rpt-1", sel);

    publish (f, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, ctx);
    FCM_TEST_WAIT_UNTIL (field (f, FCM_CONTEXT_FIELD_SELECTION) != NULL);
    g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_SELECTION), ==, "ImagingStudy/st-1");
  }
}

/* "Right patient?" in one look: name, sex, birth date, MRN; study, modality,
 * date, accession; status and who opened it (C-47: FC SHOULD name, gender,
 * birthDate) */
static void
test_panel_headline (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_open ("rpt-7", "pat-7", "st-7", "ACC-7", "MRN-7");
  g_autoptr(GError) error = NULL;
  FcmReportDetails details = {
    .patient_name = "Jane Doe",
    .patient_sex = "female",
    .birth_date = "1961-04-12",
    .study_description = "CT Chest with contrast",
    .modality = "CT",
    .study_date = "2025-11-21T14:05:00+01:00",
  };
  const char *detail;

  g_assert_true (fcm_context_add_details (ctx, &details, &error));
  g_assert_no_error (error);
  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish (f, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-7") == 0);

  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_PATIENT), ==, "Jane Doe");
  g_assert_true (gtk_widget_has_css_class (_fcm_context_panel_get_line (f->panel, FCM_CONTEXT_LINE_PATIENT),
                                           "title-1"));
  detail = _fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_PATIENT_DETAIL);
  g_assert_true (g_str_has_prefix (detail, "Female · born 1961-04-12 ("));
  g_assert_true (g_str_has_suffix (detail, " years) · MRN MRN-7"));
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_STUDY), ==,
                   "CT Chest with contrast");
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_STUDY_DETAIL), ==,
                   "CT · 2025-11-21 14:05 · Accession ACC-7");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_PATIENT_SEX), ==, "Female");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MODALITY), ==, "CT");
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_OPENED_BY), ==,
                   "Opened by another app");
  /* the status pill is named for a screen reader */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (_fcm_context_panel_get_line (f->panel, FCM_CONTEXT_LINE_STATUS)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Report status unknown");

  /* C-57: a status change travels as an update of the report */
  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonArray) entries = json_array_new ();
    g_autoptr(JsonArray) update = NULL;
    JsonNode *entry;

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "fullUrl");
    json_builder_add_string_value (b, "DiagnosticReport/rpt-7");
    json_builder_set_member_name (b, "resource");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "resourceType");
    json_builder_add_string_value (b, "DiagnosticReport");
    json_builder_set_member_name (b, "id");
    json_builder_add_string_value (b, "rpt-7");
    json_builder_set_member_name (b, "status");
    json_builder_add_string_value (b, "final");
    json_builder_end_object (b);
    json_builder_set_member_name (b, "request");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "method");
    json_builder_add_string_value (b, "PUT");
    json_builder_set_member_name (b, "url");
    json_builder_add_string_value (b, "DiagnosticReport/rpt-7");
    json_builder_end_object (b);
    json_builder_end_object (b);
    entry = json_builder_get_root (b);
    json_array_add_element (entries, entry);
    update = fcm_context_build_update ("rpt-7", "pat-7", entries);
    publish_update (f, update);
  }
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_STATUS), "final") == 0);
  g_assert_true (gtk_widget_has_css_class (_fcm_context_panel_get_line (f->panel, FCM_CONTEXT_LINE_STATUS),
                                           "success"));
  g_assert_false (gtk_widget_has_css_class (_fcm_context_panel_get_line (f->panel, FCM_CONTEXT_LINE_STATUS),
                                            "neutral"));
  g_assert_cmpstr (_fcm_context_panel_get_line_text (f->panel, FCM_CONTEXT_LINE_STATUS), ==, "Final");
}

/* C-68: without a live subscription the context is marked stale, and still shown */
static void
test_panel_stale (Fixture       *f,
                  gconstpointer  data)
{
  const char *reason;

  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_open (f, "rpt-1", "ACC-1", "MRN-1");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-1") == 0);
  g_assert_null (_fcm_context_panel_get_stale_reason (f->panel));

  unsubscribe (f->client);
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_stale_reason (f->panel) != NULL);
  reason = _fcm_context_panel_get_stale_reason (f->panel);
  g_assert_nonnull (strstr (reason, "Not subscribed"));
  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "report");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_REPORT_ID), ==, "rpt-1");

  /* back online: the warning goes away */
  subscribe (f->client);
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_stale_reason (f->panel) == NULL);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_REPORT_ID), ==, "rpt-1");

  /* the hub going away: reconnecting, stale again */
  fcm_hub_shutdown (f->hub);
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_stale_reason (f->panel) != NULL);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_REPORT_ID), ==, "rpt-1");
}

/* Issue 15.1: the report page is laid out once, unseen, in the panel's
 * first frame (its styles and fonts ready before a stream's first report),
 * and afterwards everything is as it was; an apply during it ends it first */
static GtkWidget *
panel_stack (FcmContextPanel *panel)
{
  return gtk_widget_get_ancestor (_fcm_context_panel_get_line (panel, FCM_CONTEXT_LINE_PATIENT), GTK_TYPE_STACK);
}

static void
test_panel_rehearsal (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *stack = panel_stack (f->panel);
  GtkWidget *mrn = _fcm_context_panel_get_field_label (f->panel, FCM_CONTEXT_FIELD_MRN);
  GtkWindow *window;
  FcmContextPanel *panel;

  /* presented without a monitor (fixture_setup): the first frame rehearses */
  g_assert_true (_fcm_context_panel_get_rehearsing (f->panel));
  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "not-connected");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "report");
  g_assert_cmpfloat (gtk_widget_get_opacity (stack), ==, 0.0);
  g_assert_false (gtk_widget_get_can_focus (stack));
  g_assert_false (gtk_widget_get_can_target (stack));
  g_assert_true (gtk_widget_has_css_class (mrn, "monospace"));

  fcm_test_wait_frames (GTK_WIDGET (f->panel), 2);
  g_assert_false (_fcm_context_panel_get_rehearsing (f->panel));
  g_assert_cmpint (_fcm_context_panel_get_rehearsed_width (f->panel), >, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "not-connected");
  g_assert_cmpfloat (gtk_widget_get_opacity (stack), ==, 1.0);
  g_assert_true (gtk_widget_get_can_focus (stack));
  g_assert_true (gtk_widget_get_can_target (stack));
  g_assert_false (_fcm_context_panel_get_headline_visible (f->panel));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (mrn)), ==, "—");
  g_assert_false (gtk_widget_has_css_class (mrn, "monospace"));
  for (guint i = 0; i < FCM_CONTEXT_N_LINES; i++)
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (_fcm_context_panel_get_line (f->panel, i))), ==, "");

  /* a report shows as usual */
  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_open (f, "rpt-r", "ACC-rehearsal", "MRN-rehearsal");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_MRN), "MRN-rehearsal") == 0);
  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "report");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (mrn)), ==, "MRN-rehearsal");
  g_assert_true (gtk_widget_has_css_class (mrn, "monospace"));

  /* a second panel, rehearsing, is given a monitor with a report: the
   * apply ends the rehearsal and shows the report, which stays */
  window = GTK_WINDOW (gtk_window_new ());
  panel = FCM_CONTEXT_PANEL (fcm_context_panel_new ());
  gtk_window_set_default_size (window, 360, 700);
  gtk_window_set_child (window, GTK_WIDGET (panel));
  gtk_window_present (window);
  g_assert_true (_fcm_context_panel_get_rehearsing (panel));
  fcm_context_panel_set_monitor (panel, f->monitor);
  g_assert_false (_fcm_context_panel_get_rehearsing (panel));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (panel_stack (panel))), ==, "report");
  g_assert_cmpfloat (gtk_widget_get_opacity (panel_stack (panel)), ==, 1.0);
  fcm_test_wait_frames (GTK_WIDGET (panel), 2);
  g_assert_cmpstr (_fcm_context_panel_get_page (panel), ==, "report");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (_fcm_context_panel_get_field_label (panel, FCM_CONTEXT_FIELD_MRN))),
                   ==, "MRN-rehearsal");
  g_assert_cmpstr (_fcm_context_panel_get_line_text (panel, FCM_CONTEXT_LINE_STUDY_DETAIL), !=, "");
  gtk_window_destroy (window);

  /* a panel that has a report when it is first shown does not rehearse */
  window = GTK_WINDOW (gtk_window_new ());
  panel = FCM_CONTEXT_PANEL (fcm_context_panel_new ());
  fcm_context_panel_set_monitor (panel, f->monitor);
  gtk_window_set_child (window, GTK_WIDGET (panel));
  gtk_window_present (window);
  g_assert_false (_fcm_context_panel_get_rehearsing (panel));
  fcm_test_wait_frames (GTK_WIDGET (panel), 2);
  g_assert_cmpint (_fcm_context_panel_get_rehearsed_width (panel), ==, 0);
  g_assert_cmpstr (_fcm_context_panel_get_page (panel), ==, "report");
  gtk_window_destroy (window);
}

/* In a narrow column (the subscribers pane open) an identifier's title
 * wraps between words, never inside one ("Versi-on") */
static void
test_panel_narrow_titles (Fixture       *f,
                          gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  FcmContextPanel *panel = FCM_CONTEXT_PANEL (fcm_context_panel_new ());
  static const FcmContextField one_word[] = {
    FCM_CONTEXT_FIELD_VERSION_ID, FCM_CONTEXT_FIELD_ACCESSION, FCM_CONTEXT_FIELD_SELECTION,
  };

  gtk_window_set_default_size (window, 250, 700);
  gtk_window_set_child (window, GTK_WIDGET (panel));
  fcm_context_panel_set_monitor (panel, f->monitor);
  gtk_window_present (window);
  publish_open (f, "rpt-n", "ACC-narrow", "MRN-narrow");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_field_text (panel, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-n") == 0);
  fcm_test_wait_frames (GTK_WIDGET (panel), 3);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (panel)), <=, 260);

  for (guint i = 0; i < G_N_ELEMENTS (one_word); i++)
    {
      GtkLabel *title = _fcm_context_panel_get_field_title (panel, one_word[i]);

      g_assert_nonnull (title);
      g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (title)), ==, 1);
    }

  gtk_window_destroy (window);
}

/* Issue 15.1: a suspended row's title and subtitle are one line each,
 * drawn; the row's size does not depend on them, so new texts are drawn
 * without measuring anything again. A text that does not fit is cut
 * short. */
static void
test_compact_row_texts (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = fcm_compact_row_new ();
  FcmLineText *title = FCM_LINE_TEXT (_fcm_compact_row_get_title_widget (FCM_COMPACT_ROW (row)));
  FcmLineText *subtitle = FCM_LINE_TEXT (_fcm_compact_row_get_subtitle_widget (FCM_COMPACT_ROW (row)));
  g_autoptr(GString) long_name = g_string_new (NULL);
  int height, natural, natural_long, title_height;
  guint measured;

  for (guint i = 0; i < 40; i++)
    g_string_append (long_name, "Nielsen-Haddad ");
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  fcm_compact_row_add_suffix (FCM_COMPACT_ROW (row), gtk_button_new_from_icon_name ("window-close-symbolic"));
  fcm_compact_row_set_texts (FCM_COMPACT_ROW (row), "Ingrid Nielsen", "MRN MRN-1 · CT Chest · Report rpt-1");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, -1);
  gtk_window_present (GTK_WINDOW (window));
  fcm_test_wait_frames (row, 3);

  height = gtk_widget_get_height (row);
  title_height = gtk_widget_get_height (GTK_WIDGET (title));
  g_assert_cmpint (title_height, >, 0);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (subtitle)), >, 0);
  gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_assert_false (fcm_line_text_get_ellipsized (title));
  g_assert_cmpstr (fcm_compact_row_get_title (FCM_COMPACT_ROW (row)), ==, "Ingrid Nielsen");

  /* another report's texts, one far too long: drawn, nothing measured */
  measured = _fcm_line_text_get_n_measured ();
  fcm_compact_row_set_texts (FCM_COMPACT_ROW (row), long_name->str, "MRN MRN-2 · MR Brain · Report rpt-2");
  fcm_test_wait_frames (row, 3);
  g_assert_cmpuint (_fcm_line_text_get_n_measured (), ==, measured);
  g_assert_cmpint (gtk_widget_get_height (row), ==, height);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (title)), ==, title_height);
  g_assert_true (fcm_line_text_get_ellipsized (title));
  g_assert_cmpint (gtk_widget_get_width (row), <=, 360);
  gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural_long, NULL, NULL);
  g_assert_cmpint (natural_long, ==, natural);
  g_assert_cmpstr (fcm_compact_row_get_title (FCM_COMPACT_ROW (row)), ==, long_name->str);

  /* no subtitle: one line, a smaller row */
  fcm_compact_row_set_texts (FCM_COMPACT_ROW (row), "Ingrid Nielsen", NULL);
  fcm_test_wait_frames (row, 3);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (subtitle)));
  g_assert_cmpint (gtk_widget_get_height (row), <=, height);
  g_assert_false (fcm_line_text_get_ellipsized (title));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!fcm_gtk_test_init (&argc, &argv, "test-context-panel"))
    return 77;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fcm/context-panel/empty", test_panel_empty);
  ADD ("/fcm/context-panel/open", test_panel_open);
  ADD ("/fcm/context-panel/headline", test_panel_headline);
  ADD ("/fcm/context-panel/stale", test_panel_stale);
  ADD ("/fcm/context-panel/narrow-titles", test_panel_narrow_titles);
  ADD ("/fcm/context-panel/rehearsal", test_panel_rehearsal);
  g_test_add_func ("/fcm/compact-row/texts", test_compact_row_texts);
#undef ADD

  return g_test_run ();
}
