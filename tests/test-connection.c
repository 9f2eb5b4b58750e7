/* test-connection.c: the app's hub connections over the embedded hub (no display needed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-connection.h"
#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-test-util.h"

typedef struct
{
  guint status;
  char *reason;
  GError *error;
  gboolean done;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->reason, g_free);
  g_clear_error (&a->error);
  a->done = FALSE;
  a->status = 0;
}

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Answer *a = user_data;

  a->status = fcm_connection_publish_finish (FCM_CONNECTION (source), result, &a->reason, &a->error);
  a->done = TRUE;
}

static guint
publish_and_wait (FcmConnection *connection,
                  const char    *event_name,
                  JsonArray     *context,
                  Answer        *a)
{
  answer_clear (a);
  fcm_connection_publish_async (connection, event_name, context, NULL, published_cb, a);
  FCM_TEST_WAIT_UNTIL (a->done);
  g_assert_no_error (a->error);
  return a->status;
}

static FcmConnection *
start_embedded (void)
{
  g_autoptr(GError) error = NULL;
  FcmConnection *connection = fcm_connection_new_embedded (&error);

  g_assert_no_error (error);
  g_assert_true (fcm_connection_get_embedded (connection));
  g_assert_nonnull (fcm_connection_get_hub (connection));
  g_assert_false (fcm_connection_get_live (connection));
  g_assert_cmpstr (fcm_connection_get_status_text (connection), ==, "Not connected");

  fcm_connection_start (connection);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  g_assert_cmpstr (fcm_connection_get_status_text (connection), ==, "Live");
  g_assert_null (fcm_connection_dup_alert (connection));
  return connection;
}

static FcmContextStore *
store_of (FcmConnection *connection)
{
  return fcm_monitor_get_context_store (fcm_connection_get_monitor (connection));
}

/* The built-in hub: live, then open → update → select → close, each answered by the hub
 * and reflected in the context store (C-44, C-46, C-47, C-56, C-59). */
static void
test_embedded_session (void)
{
  g_autoptr(FcmConnection) connection = start_embedded ();
  g_autoptr(GError) error = NULL;
  FcmContextItem *current;
  Answer a = { 0, };
  JsonArray *context;

  /* nothing open: the builders say so instead of sending nonsense */
  g_assert_null (fcm_connection_build_close (connection, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  context = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-77", "MRN-5");
  g_assert_cmpuint (publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, context, &a), ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_context_store_get_current (store_of (connection)) != NULL);
  current = fcm_context_store_get_current (store_of (connection));
  g_assert_cmpstr (fcm_context_item_get_anchor_id (current), ==, "rpt-1");
  g_assert_cmpstr (fcm_context_item_get_accession (current), ==, "ACC-77");

  /* select before any content: a clear error */
  g_assert_null (fcm_connection_build_select (connection, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  context = fcm_connection_build_demo_update (connection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, context, &a), ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_context_item_get_n_content (fcm_context_store_get_current (store_of (connection))) == 1);

  /* a second update carries the new versionId and is accepted too (C-56) */
  context = fcm_connection_build_demo_update (connection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE, context, &a), ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_context_item_get_n_content (fcm_context_store_get_current (store_of (connection))) == 2);

  context = fcm_connection_build_select (connection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, context, &a), ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_context_item_get_selection (fcm_context_store_get_current (store_of (connection))) != NULL);

  context = fcm_connection_build_close (connection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, context, &a), ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_context_store_get_current (store_of (connection)) == NULL);

  /* closing what is not open: the hub refuses, and the answer says why (H-… 409) */
  context = fcm_context_build_close ("rpt-1", "pat-1", "st-1");
  g_assert_cmpuint (publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, context, &a), ==, 409);
  g_assert_nonnull (a.reason);
  g_assert_cmpstr (a.reason, !=, "");

  answer_clear (&a);
}

/* Another app refuses an open: the hub's syncerror makes the alert say which app and
 * which event; an event at least as new restores sync (C-63, C-66). */
static void
test_syncerror_alert (void)
{
  g_autoptr(FcmConnection) connection = start_embedded ();
  g_autoptr(FcmHubClient) refuser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alert = NULL;
  FcmMonitor *monitor = fcm_connection_get_monitor (connection);
  FcmHubClient *client = fcm_connection_get_client (connection);
  Answer a = { 0, };

  refuser = fcm_hub_client_new (fcm_hub_client_get_hub_url (client), fcm_hub_client_get_topic (client));
  fcm_hub_client_set_subscriber_name (refuser, "Refusing Viewer");
  fcm_hub_client_set_ack_policy (refuser, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, 409);
  fcm_hub_client_subscribe_async (refuser, NULL, NULL, NULL);
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (refuser) == FCM_CLIENT_STATE_ACTIVE);

  publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                    fcm_context_build_open ("rpt-2", "pat-2", "st-2", "ACC-2", "MRN-2"), &a);
  g_assert_cmpuint (a.status, ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_monitor_get_sync_lost (monitor));

  alert = fcm_connection_dup_alert (connection);
  g_assert_nonnull (alert);
  g_assert_nonnull (strstr (alert, "Refusing Viewer"));
  g_assert_nonnull (strstr (alert, "DiagnosticReport-open"));
  g_assert_cmpstr (fcm_connection_get_status_text (connection), ==, "Sync lost");
  g_clear_pointer (&alert, g_free);
  alert = fcm_connection_dup_alert_title (connection);
  g_assert_cmpstr (alert, ==, "Sync lost on Built-in Hub");
  g_clear_pointer (&alert, g_free);

  /* the refuser follows updates; a newer event restores sync (C-66) */
  publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE,
                    fcm_connection_build_demo_update (connection, &error), &a);
  g_assert_no_error (error);
  g_assert_cmpuint (a.status, ==, 200);
  FCM_TEST_WAIT_UNTIL (!fcm_monitor_get_sync_lost (monitor));
  g_assert_null (fcm_connection_dup_alert (connection));
  g_assert_cmpstr (fcm_connection_get_status_text (connection), ==, "Live");

  answer_clear (&a);
}

/* The hub goes away: the connection says so, the context becomes stale (C-68). */
static void
test_connection_loss (void)
{
  g_autoptr(FcmConnection) connection = start_embedded ();
  g_autofree char *alert = NULL;
  Answer a = { 0, };

  publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                    fcm_context_build_open ("rpt-3", "pat-3", "st-3", "ACC-3", "MRN-3"), &a);
  FCM_TEST_WAIT_UNTIL (fcm_context_store_get_current (store_of (connection)) != NULL);

  fcm_hub_shutdown (fcm_connection_get_hub (connection));
  FCM_TEST_WAIT_UNTIL (!fcm_connection_get_live (connection));
  FCM_TEST_WAIT_UNTIL ((alert = fcm_connection_dup_alert_title (connection)) != NULL);
  /* it was live: lost, not "could not connect" */
  g_assert_cmpint (fcm_connection_get_alert_kind (connection), ==, FCM_CONNECTION_ALERT_CONNECTION_LOST);
  g_assert_cmpstr (alert, ==, "Connection lost to Built-in Hub");
  /* that the context may be stale is the context panel's to say, once */
  g_clear_pointer (&alert, g_free);
  alert = fcm_connection_dup_alert (connection);
  g_assert_null (strstr (alert, "stale"));
  g_assert_true (fcm_context_store_get_stale (store_of (connection)));

  answer_clear (&a);
}

/* Sync lost, then the hub goes away: losing the hub is what the alert says
 * first (C-68 before C-63); the sync stays lost. */
static void
test_connection_loss_first (void)
{
  g_autoptr(FcmConnection) connection = start_embedded ();
  g_autoptr(FcmHubClient) refuser = NULL;
  g_autofree char *alert = NULL;
  FcmHubClient *client = fcm_connection_get_client (connection);
  Answer a = { 0, };

  refuser = fcm_hub_client_new (fcm_hub_client_get_hub_url (client), fcm_hub_client_get_topic (client));
  fcm_hub_client_set_subscriber_name (refuser, "Refusing Viewer");
  fcm_hub_client_set_ack_policy (refuser, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, 409);
  fcm_hub_client_subscribe_async (refuser, NULL, NULL, NULL);
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (refuser) == FCM_CLIENT_STATE_ACTIVE);
  publish_and_wait (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                    fcm_context_build_open ("rpt-4", "pat-4", "st-4", "ACC-4", "MRN-4"), &a);
  FCM_TEST_WAIT_UNTIL (fcm_monitor_get_sync_lost (fcm_connection_get_monitor (connection)));
  g_assert_false (fcm_connection_get_connection_lost (connection));

  fcm_hub_shutdown (fcm_connection_get_hub (connection));
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_connection_lost (connection));
  alert = fcm_connection_dup_alert_title (connection);
  g_assert_cmpstr (alert, ==, "Connection lost to Built-in Hub");
  g_assert_true (fcm_monitor_get_sync_lost (fcm_connection_get_monitor (connection)));

  answer_clear (&a);
}

/* A hub that is not there: a clear failure, not a hang. */
static void
test_unreachable_hub (void)
{
  g_autoptr(FcmConnection) connection = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  connection = fcm_connection_new ("http://127.0.0.1:9/fhircast", "t", "Tester");
  g_assert_false (fcm_connection_get_embedded (connection));
  g_assert_cmpstr (fcm_connection_get_title (connection), ==, "127.0.0.1:9");
  fcm_connection_start (connection);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_last_error (connection) != NULL);
  g_assert_false (fcm_connection_get_live (connection));

  /* never live: "could not connect", with the reason, not "connection lost" */
  g_assert_cmpint (fcm_connection_get_alert_kind (connection), ==, FCM_CONNECTION_ALERT_COULD_NOT_CONNECT);
  title = fcm_connection_dup_alert_title (connection);
  g_assert_cmpstr (title, ==, "Could not connect to 127.0.0.1:9");
  text = fcm_connection_dup_alert (connection);
  g_assert_cmpstr (text, ==, fcm_connection_get_last_error (connection));
  g_assert_null (strstr (fcm_connection_get_status_text (connection), "lost"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connection/embedded-session", test_embedded_session);
  g_test_add_func ("/connection/syncerror-alert", test_syncerror_alert);
  g_test_add_func ("/connection/connection-loss", test_connection_loss);
  g_test_add_func ("/connection/connection-loss-first", test_connection_loss_first);
  g_test_add_func ("/connection/unreachable-hub", test_unreachable_hub);

  return g_test_run ();
}
