/* test-context-panel.c: FcmContextPanel and FcmOpenReportDialog over a real hub
 *
 * A real FcmHub on 127.0.0.1, the monitored FcmHubClient with its FcmMonitor,
 * and a second client as the "other app" that opens and closes reports.
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

#define TOPIC "panel-test"

typedef struct
{
  FcmHub          *hub;
  FcmHubClient    *client;     /* monitored */
  FcmHubClient    *other;      /* the app that publishes */
  FcmMonitor      *monitor;
  GtkWindow       *window;
  FcmContextPanel *panel;
} Fixture;

typedef struct
{
  gboolean  done;
  gboolean  ok;
  guint     status;
  GError   *error;
} Wait;

static void
subscribe_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Wait *w = data;

  w->ok = fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
subscribe (FcmHubClient *client)
{
  Wait w = { 0 };

  fcm_hub_client_subscribe_async (client, NULL, subscribe_done_cb, &w);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
}

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
publish_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Wait *w = data;
  g_autofree char *reason = NULL;
  g_autofree char *id = NULL;

  w->status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result,
                                             &reason, &id, &w->error);
  w->done = TRUE;
}

static void
publish_from (FcmHubClient *client,
              const char   *name,
              JsonArray    *context)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, TOPIC, name, context, NULL, NULL);
  Wait w = { 0 };

  fcm_hub_client_publish_async (client, event, NULL, publish_done_cb, &w);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.status, ==, 200);
}

/* as the other app */
static void
publish (Fixture    *f,
         const char *name,
         JsonArray  *context)
{
  publish_from (f->other, name, context);
}

static void
publish_open (Fixture    *f,
              const char *report,
              const char *accession,
              const char *mrn)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_open (report, "pat-1", "st-1", accession, mrn);

  publish (f, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
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

static void
publish_close (Fixture    *f,
               const char *report)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_close (report, "pat-1", "st-1");

  publish (f, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, ctx);
}

static const char *
field (Fixture         *f,
       FcmContextField  which)
{
  return _fcm_context_panel_get_field_text (f->panel, which);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);

  f->client = fcm_hub_client_new (fcm_hub_get_url (f->hub), TOPIC);
  fcm_hub_client_set_subscriber_name (f->client, "Monitor");
  f->monitor = fcm_monitor_new (f->client);
  f->other = fcm_hub_client_new (fcm_hub_get_url (f->hub), TOPIC);
  fcm_hub_client_set_subscriber_name (f->other, "Reporting App");
  subscribe (f->client);
  subscribe (f->other);

  f->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref (f->window);
  gtk_window_set_default_size (f->window, 360, 700);
  f->panel = FCM_CONTEXT_PANEL (fcm_context_panel_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->panel));
  gtk_window_present (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->window);
  g_clear_object (&f->monitor);
  g_clear_object (&f->client);
  g_clear_object (&f->other);
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  /* let pending closes finish */
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

typedef struct
{
  guint n_sent;
  guint n_done;
  guint n_failed;
} Burst;

static void
burst_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Burst *burst = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *id = NULL;
  guint status;

  status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, &reason, &id, &error);
  if (status != 200)
    burst->n_failed++;
  burst->n_done++;
}

/* Sends @n copies of an event built by @build, at most 32 in flight. */
static void
publish_burst (Fixture    *f,
               const char *name,
               JsonArray  *context,
               guint       n)
{
  Burst burst = { 0 };

  while (burst.n_done < n)
    {
      while (burst.n_sent < n && burst.n_sent - burst.n_done < 32)
        {
          g_autofree char *id = g_uuid_string_random ();
          g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, TOPIC, name, context, NULL, NULL);

          fcm_hub_client_publish_async (f->other, event, NULL, burst_done_cb, &burst);
          burst.n_sent++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (burst.n_failed, ==, 0);
}

static gboolean
tooltips_unset (Fixture *f)
{
  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    {
      GtkWidget *label = _fcm_context_panel_get_field_label (f->panel, i);

      if (label != NULL && gtk_widget_get_tooltip_text (label) != NULL)
        return FALSE;
    }
  return TRUE;
}

/* Issue 15: the panel must not cost per event. 1,000 re-opens of the current
 * report (C-37) change nothing but its versionId (C-32): the changes are
 * applied at most once per frame, only the version label is touched, and no
 * tooltip is set (GTK 4.8 asks the X server for the pointer on each). */
static void
test_panel_unchanged_is_free (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-1", "MRN-1");
  const guint n_events = 1000;
  g_autofree char *version = NULL;
  guint updates, applies;

  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish (f, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-1") == 0);
  FCM_TEST_WAIT_UNTIL (!_fcm_context_panel_get_pending (f->panel));
  version = g_strdup (field (f, FCM_CONTEXT_FIELD_VERSION_ID));
  updates = _fcm_context_panel_get_n_label_updates (f->panel);
  applies = _fcm_context_panel_get_n_applies (f->panel);

  publish_burst (f, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx, n_events);
  /* the last one's echo carries the hub's newest version */
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (fcm_context_store_get_version_id (fcm_monitor_get_context_store (f->monitor)),
                                  version) != 0 && !_fcm_context_panel_get_pending (f->panel));
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_VERSION_ID),
                                  fcm_context_store_get_version_id (fcm_monitor_get_context_store (f->monitor))) == 0);

  applies = _fcm_context_panel_get_n_applies (f->panel) - applies;
  updates = _fcm_context_panel_get_n_label_updates (f->panel) - updates;
  g_test_message ("%u events: %u applies, %u label updates", n_events, applies, updates);
  g_assert_cmpuint (applies, >=, 1);
  g_assert_cmpuint (applies, <, n_events);
  /* only the version label, once per apply at most */
  g_assert_cmpuint (updates, <=, applies);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_REPORT_ID), ==, "rpt-1");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MRN), ==, "MRN-1");
  g_assert_true (tooltips_unset (f));
}

/* A second open suspends the first (C-37); closing all leaves the empty state (C-35) */
static void
test_panel_suspended (Fixture       *f,
                      gconstpointer  data)
{
  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_open (f, "rpt-1", "ACC-1", "MRN-1");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-1") == 0);

  publish_open (f, "rpt-2", "ACC-2", "MRN-2");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-2") == 0);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_ACCESSION), ==, "ACC-2");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MRN), ==, "MRN-2");
  g_assert_true (_fcm_context_panel_get_suspended_visible (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 1);
  /* listed with their patient (here only the MRN is known) and the report */
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-1");
  g_assert_nonnull (strstr (_fcm_context_panel_get_suspended_subtitle (f->panel, 0), "Report rpt-1"));
  g_assert_nonnull (strstr (_fcm_context_panel_get_suspended_subtitle (f->panel, 0), "Accession ACC-1"));
  g_assert_cmpstr (_fcm_context_panel_get_suspended_count (f->panel), ==, "1 Suspended");
  /* one line each in the row (issue 15.1), whole in its tooltip */
  {
    GtkWidget *row = _fcm_context_panel_get_suspended_row (f->panel, 0);
    g_autofree char *tip = _fcm_context_panel_suspended_row_tooltip (row);
    g_autofree char *whole = g_strdup_printf ("MRN MRN-1\n%s", _fcm_context_panel_get_suspended_subtitle (f->panel, 0));

    g_assert_true (FCM_IS_COMPACT_ROW (row));
    g_assert_true (gtk_widget_get_has_tooltip (row));
    g_assert_cmpstr (tip, ==, whole);
  }

  /* re-opening the suspended one resumes it and suspends the other */
  publish_open (f, "rpt-1", "ACC-1", "MRN-1");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-1") == 0);
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 1);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-2");

  /* C-35: closing the current one leaves no current report, the suspended one stays */
  publish_close (f, "rpt-1");
  FCM_TEST_WAIT_UNTIL (field (f, FCM_CONTEXT_FIELD_REPORT_ID) == NULL);
  g_assert_cmpstr (_fcm_context_panel_get_page (f->panel), ==, "report");
  g_assert_false (_fcm_context_panel_get_field_visible (f->panel, FCM_CONTEXT_FIELD_REPORT_ID));
  g_assert_false (_fcm_context_panel_get_headline_visible (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 1);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-2");

  publish_close (f, "rpt-2");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_page (f->panel), "empty") == 0);
  g_assert_false (_fcm_context_panel_get_suspended_visible (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 0);
}

static const char *
row_target (FcmContextPanel *panel,
            guint            position,
            const char      *button)
{
  GtkWidget *row = _fcm_context_panel_get_suspended_row (panel, position);
  GVariant *target = gtk_actionable_get_action_target_value (g_object_get_data (G_OBJECT (row), button));

  return g_variant_get_string (target, NULL);
}

/* the suspended row showing @anchor_id's report, or NULL */
static GtkWidget *
row_for (FcmContextPanel *panel,
         const char      *anchor_id)
{
  for (guint i = 0; i < _fcm_context_panel_get_n_suspended (panel); i++)
    if (g_strcmp0 (row_target (panel, i, "resume"), anchor_id) == 0)
      return _fcm_context_panel_get_suspended_row (panel, i);
  return NULL;
}

/* Issue 15: under load the suspended reports change with every event, and
 * an AdwActionRow with its buttons cost milliseconds to make and measure.
 * A report that stays suspended keeps its row (its texts unchanged: its
 * wrapping labels are not measured again), the rows follow the store's
 * order, a row no longer needed waits for the list to grow, and the chosen
 * report keeps its selection. */
static void
test_panel_suspended_rows_reused (Fixture       *f,
                                  gconstpointer  data)
{
  GtkWidget *rows[2];
  GtkWidget *row_2, *row_4;
  g_autoptr(FcmContextItem) chosen = NULL;
  GtkListBoxRow *selected;

  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_open (f, "rpt-1", "ACC-1", "MRN-1");
  publish_open (f, "rpt-2", "ACC-2", "MRN-2");
  publish_open (f, "rpt-3", "ACC-3", "MRN-3");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-3") == 0 &&
                       _fcm_context_panel_get_n_suspended (f->panel) == 2);
  for (guint i = 0; i < 2; i++)
    rows[i] = _fcm_context_panel_get_suspended_row (f->panel, i);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-1");
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 1), ==, "MRN MRN-2");

  /* choose rpt-2, then close rpt-1: rpt-2 is first now, in its own row */
  chosen = g_list_model_get_item (G_LIST_MODEL (fcm_monitor_get_context_store (f->monitor)), 1);
  g_assert_cmpstr (fcm_context_item_get_anchor_id (chosen), ==, "rpt-2");
  fcm_context_panel_set_chosen (f->panel, chosen);
  publish_close (f, "rpt-1");
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_n_suspended (f->panel) == 1 && !_fcm_context_panel_get_pending (f->panel));
  g_assert_true (_fcm_context_panel_get_suspended_row (f->panel, 0) == rows[1]);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 0), ==, "MRN MRN-2");
  g_assert_cmpstr (row_target (f->panel, 0, "resume"), ==, "rpt-2");
  g_assert_cmpstr (row_target (f->panel, 0, "close"), ==, "rpt-2");
  g_assert_true (fcm_context_panel_get_chosen (f->panel) == chosen);
  selected = gtk_list_box_get_selected_row (GTK_LIST_BOX (gtk_widget_get_parent (rows[1])));
  g_assert_true (GTK_WIDGET (selected) == rows[1]);

  /* two more suspended: rpt-2 keeps its row, rpt-1's (kept aside) shows one
   * of the new ones, a third is made */
  publish_open (f, "rpt-4", "ACC-4", "MRN-4");
  publish_open (f, "rpt-5", "ACC-5", "MRN-5");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-5") == 0 &&
                       _fcm_context_panel_get_n_suspended (f->panel) == 3 && !_fcm_context_panel_get_pending (f->panel));
  g_assert_true (_fcm_context_panel_get_suspended_row (f->panel, 0) == rows[1]);
  g_assert_true (row_for (f->panel, "rpt-3") == rows[0] || row_for (f->panel, "rpt-4") == rows[0]);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 1), ==, "MRN MRN-3");
  g_assert_cmpstr (row_target (f->panel, 1, "resume"), ==, "rpt-3");
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (f->panel, 2), ==, "MRN MRN-4");
  g_assert_cmpstr (row_target (f->panel, 2, "close"), ==, "rpt-4");

  /* rpt-3 resumed: the order changes, rows stay with their reports */
  row_2 = row_for (f->panel, "rpt-2");
  row_4 = row_for (f->panel, "rpt-4");
  publish_open (f, "rpt-3", "ACC-3", "MRN-3");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID), "rpt-3") == 0 &&
                       row_for (f->panel, "rpt-5") != NULL && !_fcm_context_panel_get_pending (f->panel));
  g_assert_cmpuint (_fcm_context_panel_get_n_suspended (f->panel), ==, 3);
  g_assert_true (row_for (f->panel, "rpt-2") == row_2);
  g_assert_true (row_for (f->panel, "rpt-4") == row_4);
  g_assert_null (row_for (f->panel, "rpt-3"));
  /* in the store's order */
  {
    GListModel *store = G_LIST_MODEL (fcm_monitor_get_context_store (f->monitor));
    guint shown = 0;

    for (guint i = 0; i < g_list_model_get_n_items (store); i++)
      {
        g_autoptr(FcmContextItem) item = g_list_model_get_item (store, i);

        if (!fcm_context_item_get_current (item))
          g_assert_cmpstr (row_target (f->panel, shown++, "resume"), ==, fcm_context_item_get_anchor_id (item));
      }
    g_assert_cmpuint (shown, ==, 3);
  }
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

/* ----------------------------------------------------------------- dialog */

static void
set_row (FcmOpenReportDialog *dialog,
         const char          *title,
         const char          *text)
{
  GtkWidget *row = fcm_test_find_entry_row (GTK_WIDGET (dialog), title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
open_enabled (FcmOpenReportDialog *dialog)
{
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "open");
}

static gboolean
is_random_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Random Demo Study") == 0;
}

/* C-46, C-47: "open" needs the report, the patient and the study, and
 * (IHE IRA) the MRN and the accession number */
static void
test_dialog_required (Fixture       *f,
                      gconstpointer  data)
{
  FcmOpenReportDialog *dialog = g_object_ref (fcm_open_report_dialog_new (f->window));
  g_autofree char *errors = NULL;

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == f->window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "cancel"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "open"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open"),
                   ==, ADW_RESPONSE_SUGGESTED);
  g_assert_false (open_enabled (dialog));
  g_assert_null (fcm_open_report_dialog_get_report_id (dialog));

  /* the focusable text fields carry their row's name */
  {
    GtkWidget *row = fcm_test_find_entry_row (GTK_WIDGET (dialog), "Patient ID");
    GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));

    g_assert_nonnull (text);
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         "Patient ID");
  }

  /* required: marked so for assistive technologies too */
  {
    GtkWidget *row = fcm_test_find_entry_row (GTK_WIDGET (dialog), "MRN");

    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (row))),
                                         GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE);
    g_assert_null (fcm_test_find_entry_row (GTK_WIDGET (dialog), "MRN (optional)"));
  }

  set_row (dialog, "Report ID", "rpt-9");
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "Patient ID", "pat-9");
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "Study ID (ImagingStudy)", " st-9 ");
  /* without the MRN and the accession the hub would answer 400 (C-47) */
  g_assert_false (open_enabled (dialog));
  /* nothing said about what was not reached yet */
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));
  set_row (dialog, "MRN", "MRN-9");
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "Accession Number", "ACC9");
  g_assert_true (open_enabled (dialog));
  g_assert_cmpstr (fcm_open_report_dialog_get_report_id (dialog), ==, "rpt-9");
  g_assert_cmpstr (fcm_open_report_dialog_get_patient_id (dialog), ==, "pat-9");
  g_assert_cmpstr (fcm_open_report_dialog_get_study_id (dialog), ==, "st-9");
  g_assert_cmpstr (fcm_open_report_dialog_get_mrn (dialog), ==, "MRN-9");
  g_assert_cmpstr (fcm_open_report_dialog_get_accession (dialog), ==, "ACC9");

  /* empty or blank, they are NULL and "open" is off again */
  set_row (dialog, "MRN", "");
  set_row (dialog, "Accession Number", "   ");
  g_assert_null (fcm_open_report_dialog_get_mrn (dialog));
  g_assert_null (fcm_open_report_dialog_get_accession (dialog));
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "MRN", "MRN-9");
  set_row (dialog, "Accession Number", "ACC9");
  g_assert_true (open_enabled (dialog));

  /* not a FHIR id: it would not fit in a reference; said in words */
  set_row (dialog, "Report ID", "rpt 9/x");
  g_assert_false (open_enabled (dialog));
  g_assert_true (gtk_widget_has_css_class (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Report ID"), "error"));
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_cmpstr (errors, ==, "Report ID: use up to 64 letters, digits, “-” and “.”");
  g_clear_pointer (&errors, g_free);
  /* nothing typed is changed */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Report ID"))),
                   ==, "rpt 9/x");
  set_row (dialog, "Report ID", "rpt-9");
  g_assert_true (open_enabled (dialog));
  g_assert_false (gtk_widget_has_css_class (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Report ID"), "error"));
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));

  /* the details are checked as typed, each reason under its group */
  set_row (dialog, "Birth Date (optional, YYYY-MM-DD)", "12.04.1961");
  set_row (dialog, "Modality (optional, e.g. CT)", "ct");
  set_row (dialog, "Date (optional, YYYY-MM-DD)", "2025-02-30");
  g_assert_false (open_enabled (dialog));
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_nonnull (strstr (errors, "Birth Date (optional, YYYY-MM-DD): not a date; use YYYY-MM-DD"));
  g_assert_nonnull (strstr (errors, "Modality (optional, e.g. CT): use a DICOM modality code in capitals"));
  g_assert_nonnull (strstr (errors, "Date (optional, YYYY-MM-DD): not a date"));
  g_clear_pointer (&errors, g_free);
  set_row (dialog, "Birth Date (optional, YYYY-MM-DD)", "2999-01-01");
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_nonnull (strstr (errors, "is in the future"));
  g_clear_pointer (&errors, g_free);
  set_row (dialog, "Name (optional)", "Doe, Jane");
  set_row (dialog, "Birth Date (optional, YYYY-MM-DD)", "1961-04-12");
  set_row (dialog, "Modality (optional, e.g. CT)", "MR");
  set_row (dialog, "Date (optional, YYYY-MM-DD)", "2025-02-28");
  g_assert_true (open_enabled (dialog));
  {
    FcmReportDetails details;

    fcm_open_report_dialog_get_details (dialog, &details);
    g_assert_cmpstr (details.patient_name, ==, "Doe, Jane");
    g_assert_null (details.patient_sex);
    g_assert_cmpstr (details.birth_date, ==, "1961-04-12");
    g_assert_cmpstr (details.modality, ==, "MR");
    g_assert_cmpstr (details.study_date, ==, "2025-02-28");
    g_assert_null (details.study_description);
  }

  set_row (dialog, "Study ID (ImagingStudy)", "");
  set_row (dialog, "Accession Number", "");
  g_assert_false (open_enabled (dialog));
  g_assert_null (fcm_open_report_dialog_get_study_id (dialog));

  /* Enter with required fields empty says which, and why the accession
   * is needed, under the field, instead of nothing */
  g_signal_emit_by_name (fcm_test_find_entry_row (GTK_WIDGET (dialog), "MRN"), "entry-activated");
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_cmpstr (errors, ==,
                   "Study ID (ImagingStudy) is required\n"
                   "Accession Number is required: IHE IRA identifies the study by its accession number "
                   "(identifier type ACSN), and the hub refuses an open without it");
  g_clear_pointer (&errors, g_free);
  g_assert_true (gtk_widget_has_css_class (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Accession Number"),
                                           "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (
                                      fcm_test_find_entry_row (GTK_WIDGET (dialog), "Accession Number")))),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  /* filled in, the reason goes */
  set_row (dialog, "Accession Number", "ACC9");
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_cmpstr (errors, ==, "Study ID (ImagingStudy) is required");
  g_clear_pointer (&errors, g_free);
  g_assert_false (gtk_widget_has_css_class (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Accession Number"),
                                            "error"));
  g_assert_true (gtk_window_is_active (GTK_WINDOW (dialog)) == FALSE ||
                 gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (
                   GTK_EDITABLE (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Study ID (ImagingStudy)"))))));

  /* the Random button is named without its mnemonic */
  {
    GtkWidget *random = fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_random_button, NULL);

    g_assert_nonnull (random);
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (random), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         "Random Demo Study");
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

/* fill_random gives a valid open request (C-46, C-47) that the hub accepts and the panel shows */
static void
test_dialog_random (Fixture       *f,
                    gconstpointer  data)
{
  FcmOpenReportDialog *dialog = g_object_ref (fcm_open_report_dialog_new (f->window));
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(JsonArray) ctx = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *first_report = NULL;
  g_autoptr(GError) error = NULL;
  FcmReportDetails details;
  const char *mrn;

  fcm_open_report_dialog_fill_random (dialog);
  g_assert_true (open_enabled (dialog));
  g_assert_true (g_uuid_string_is_valid (fcm_open_report_dialog_get_report_id (dialog)));
  g_assert_true (g_str_has_prefix (fcm_open_report_dialog_get_patient_id (dialog), "demo-"));
  g_assert_nonnull (fcm_open_report_dialog_get_study_id (dialog));
  g_assert_true (g_str_has_prefix (fcm_open_report_dialog_get_accession (dialog), "ACC"));
  mrn = fcm_open_report_dialog_get_mrn (dialog);
  g_assert_true (g_str_has_prefix (mrn, "MRN-"));
  g_assert_cmpuint (strlen (mrn), ==, strlen ("MRN-123456"));
  g_assert_cmpuint (strspn (mrn + 4, "0123456789"), ==, 6);

  /* a second fill gives another report */
  first_report = g_strdup (fcm_open_report_dialog_get_report_id (dialog));
  fcm_open_report_dialog_fill_random (dialog);
  g_assert_cmpstr (first_report, !=, fcm_open_report_dialog_get_report_id (dialog));

  ctx = fcm_context_build_open (fcm_open_report_dialog_get_report_id (dialog),
                                fcm_open_report_dialog_get_patient_id (dialog),
                                fcm_open_report_dialog_get_study_id (dialog),
                                fcm_open_report_dialog_get_accession (dialog),
                                fcm_open_report_dialog_get_mrn (dialog));
  /* a realistic patient and study come with it */
  fcm_open_report_dialog_get_details (dialog, &details);
  g_assert_nonnull (strchr (details.patient_name, ' '));
  g_assert_true (fcm_patient_sex_is_valid (details.patient_sex));
  g_assert_true (fcm_fhir_date_is_valid (details.birth_date));
  g_assert_true (fcm_modality_is_valid (details.modality));
  g_assert_nonnull (details.study_description);
  g_assert_true (fcm_fhir_date_is_valid (details.study_date));
  g_assert_true (fcm_context_add_details (ctx, &details, &error));
  event = fcm_event_new (id, NULL, TOPIC, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx, NULL, NULL);
  fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_REQUEST);
  issues = fcm_validator_validate_event (validator, event);
  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      g_test_message ("%s %s (%s)", fcm_issue_get_rule_id (issue),
                      fcm_issue_get_message (issue), fcm_issue_get_path (issue));
    }
  g_assert_false (fcm_issues_have_errors (issues));

  /* the hub takes it from the monitored client, and the panel shows what was asked for */
  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_from (f->client, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID),
                                  fcm_open_report_dialog_get_report_id (dialog)) == 0);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MRN), ==, fcm_open_report_dialog_get_mrn (dialog));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_ACCESSION), ==,
                   fcm_open_report_dialog_get_accession (dialog));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_PATIENT_ID), ==,
                   fcm_open_report_dialog_get_patient_id (dialog));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_STUDY_ID), ==,
                   fcm_open_report_dialog_get_study_id (dialog));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_OPENED_BY), ==, "Opened by this app");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_PATIENT_NAME), ==, details.patient_name);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_STUDY_DESCRIPTION), ==, details.study_description);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MODALITY), ==, details.modality);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

/* The fewest fields the dialog opens with are what the hub needs: a dialog
 * that looks complete is never answered 400 (C-46, C-47); a required field
 * left empty says why as soon as focus leaves it */
static void
test_dialog_minimal (Fixture       *f,
                     gconstpointer  data)
{
  FcmOpenReportDialog *dialog = g_object_ref (fcm_open_report_dialog_new (f->window));
  GtkWidget *mrn = fcm_test_find_entry_row (GTK_WIDGET (dialog), "MRN");
  g_autoptr(JsonArray) ctx = NULL;
  g_autofree char *errors = NULL;
  FcmReportDetails details;

  gtk_window_present (GTK_WINDOW (dialog));
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));
  set_row (dialog, "Report ID", "rpt-min");
  set_row (dialog, "Patient ID", "pat-min");

  /* into the MRN and out again, leaving it empty */
  gtk_widget_grab_focus (mrn);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (mrn)))));
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));
  gtk_widget_grab_focus (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Study ID (ImagingStudy)"));
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_cmpstr (errors, ==, "MRN is required: IHE IRA identifies the patient by the medical record number "
                               "(identifier type MR), and the hub refuses an open without it");
  g_clear_pointer (&errors, g_free);
  g_assert_true (gtk_widget_has_css_class (mrn, "error"));

  set_row (dialog, "MRN", "0042 17");
  set_row (dialog, "Study ID (ImagingStudy)", "st-min");
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "Accession Number", "A/2026/7");
  g_assert_true (open_enabled (dialog));
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));

  /* what the window sends for it: the real hub (validating) takes it */
  ctx = fcm_context_build_open (fcm_open_report_dialog_get_report_id (dialog),
                                fcm_open_report_dialog_get_patient_id (dialog),
                                fcm_open_report_dialog_get_study_id (dialog),
                                fcm_open_report_dialog_get_accession (dialog),
                                fcm_open_report_dialog_get_mrn (dialog));
  fcm_open_report_dialog_get_details (dialog, &details);
  g_assert_true (fcm_context_add_details (ctx, &details, NULL));
  g_assert_true (fcm_hub_get_validate (f->hub));
  publish_from (f->client, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);   /* asserts 200 */

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
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
  ADD ("/fcm/context-panel/unchanged-is-free", test_panel_unchanged_is_free);
  ADD ("/fcm/context-panel/suspended", test_panel_suspended);
  ADD ("/fcm/context-panel/suspended-rows-reused", test_panel_suspended_rows_reused);
  ADD ("/fcm/context-panel/stale", test_panel_stale);
  ADD ("/fcm/context-panel/narrow-titles", test_panel_narrow_titles);
  ADD ("/fcm/context-panel/rehearsal", test_panel_rehearsal);
  ADD ("/fcm/open-report-dialog/required", test_dialog_required);
  g_test_add_func ("/fcm/compact-row/texts", test_compact_row_texts);
  ADD ("/fcm/open-report-dialog/random", test_dialog_random);
  ADD ("/fcm/open-report-dialog/minimal", test_dialog_minimal);
#undef ADD

  return g_test_run ();
}
