/* test-leave.c: leaving every hub cleanly (no display needed)
 *
 * The app's connections against real hubs over loopback: a built-in hub
 * (embedded in a connection, as in the app) with another application on
 * it, and another hub with another application, both of which subscribe to
 * syncerror. Leaving unsubscribes everywhere (C-42), closes the other
 * application's socket on the built-in hub with 1001, and no hub sends or
 * signals a syncerror for an abnormal close (H-35). A hub that never
 * answers the unsubscribe does not hold the exit past the deadline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-connection.h"
#include "fcm-leave.h"
#include "fcm-test-util.h"

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  gint64    took_us;
  gint64    started;
} Left;

static void
left_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Left *left = user_data;

  left->ok = fcm_leave_finish (result, &left->error);
  left->took_us = g_get_monotonic_time () - left->started;
  left->done = TRUE;
}

static void
leave (GPtrArray *connections,
       guint      timeout_ms,
       Left      *left)
{
  left->started = g_get_monotonic_time ();
  fcm_leave_async (connections, timeout_ms, left_cb, left);
  FCM_TEST_WAIT_UNTIL (left->done);
}

static void
count_syncerror_cb (FcmHub     *hub,
                    const char *topic,
                    const char *diagnostics,
                    guint      *n)
{
  g_test_message ("syncerror on %s: %s", topic, diagnostics);
  (*n)++;
}

typedef struct
{
  GPtrArray *reasons;
} Removed;

static void
subscriber_removed_cb (FcmHub     *hub,
                       const char *topic,
                       const char *name,
                       const char *reason,
                       GPtrArray  *reasons)
{
  g_ptr_array_add (reasons, g_strdup_printf ("%s: %s", name ? name : "?", reason));
}

static FcmConnection *
start (FcmConnection *connection)
{
  fcm_hub_client_set_subscriber_name (fcm_connection_get_client (connection), "FHIRcast Monitor");
  fcm_connection_start (connection);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  return connection;
}

/* Issue 12.4: the app leaves the built-in hub and another hub; the other
 * applications see 1001 (built-in hub stopping) and nothing on the other
 * hub; no syncerror anywhere. */
static void
test_leave_clean (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHub) other_hub = fcm_hub_new ();
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(FcmTestSubscriber) reporting = NULL;
  g_autoptr(FcmTestSubscriber) pacs = NULL;
  g_autoptr(FcmTestSubscriber) viewer = NULL;
  g_auto(GStrv) names = NULL;
  FcmConnection *builtin, *remote;
  FcmHub *builtin_hub;
  guint n_syncerrors = 0;
  Left left = { 0 };
  gint64 deadline;

  g_assert_true (fcm_hub_listen (other_hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (other_hub, "syncerror", G_CALLBACK (count_syncerror_cb), &n_syncerrors);
  g_signal_connect (other_hub, "subscriber-removed", G_CALLBACK (subscriber_removed_cb), removed);

  builtin = fcm_connection_new_embedded_at (0, "session-topic", &error);
  g_assert_no_error (error);
  g_ptr_array_add (connections, start (builtin));
  builtin_hub = fcm_connection_get_hub (builtin);
  g_signal_connect (builtin_hub, "syncerror", G_CALLBACK (count_syncerror_cb), &n_syncerrors);
  remote = fcm_connection_new (fcm_hub_get_url (other_hub), "remote-topic", NULL);
  g_ptr_array_add (connections, start (remote));

  reporting = fcm_test_subscriber_new (fcm_hub_get_url (builtin_hub), "session-topic", "Reporting App",
                                       "DiagnosticReport-open,DiagnosticReport-close,SyncError");
  pacs = fcm_test_subscriber_new (fcm_hub_get_url (builtin_hub), "session-topic", "PACS",
                                  "DiagnosticReport-open,SyncError");
  viewer = fcm_test_subscriber_new (fcm_hub_get_url (other_hub), "remote-topic", "Viewer",
                                    "DiagnosticReport-open,SyncError");

  /* who the app would name before quitting: everyone connected, in order */
  names = fcm_hub_dup_subscriber_names (builtin_hub, NULL);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "FHIRcast Monitor");
  g_assert_cmpstr (names[1], ==, "Reporting App");
  g_assert_cmpstr (names[2], ==, "PACS");
  g_clear_pointer (&names, g_strfreev);
  names = fcm_hub_dup_subscriber_names (builtin_hub, "another-topic");
  g_assert_cmpuint (g_strv_length (names), ==, 0);

  leave (connections, FCM_LEAVE_TIMEOUT_MS, &left);
  g_assert_no_error (left.error);
  g_assert_true (left.ok);
  g_assert_cmpint (left.took_us, <, FCM_LEAVE_TIMEOUT_MS * 1000);

  /* the built-in hub went away: 1001 to the others (H-35), in time */
  FCM_TEST_WAIT_UNTIL (reporting->closed && pacs->closed);
  g_assert_cmpuint (reporting->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpuint (pacs->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpint (reporting->closed_at - left.started, <, FCM_LEAVE_TIMEOUT_MS * 1000);
  g_assert_cmpuint (fcm_hub_get_n_closing (builtin_hub), ==, 0);

  /* the other hub: we unsubscribed (C-42); its application stays */
  g_assert_cmpuint (fcm_hub_get_n_subscribers (other_hub, "remote-topic"), ==, 1);
  g_assert_cmpuint (removed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (removed, 0), ==, "FHIRcast Monitor: unsubscribed");
  g_assert_cmpint (fcm_connection_get_state (remote), ==, FCM_CLIENT_STATE_DISCONNECTED);
  g_assert_false (viewer->closed);

  /* and no syncerror, not even a little later */
  deadline = g_get_monotonic_time () + 200 * 1000;
  FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > deadline);
  g_assert_cmpuint (n_syncerrors, ==, 0);
  for (guint i = 0; i < reporting->events->len; i++)
    g_assert_cmpstr (g_ptr_array_index (reporting->events, i), !=, "SyncError");
  for (guint i = 0; i < pacs->events->len; i++)
    g_assert_cmpstr (g_ptr_array_index (pacs->events, i), !=, "SyncError");
  g_assert_cmpuint (viewer->events->len, ==, 0);

  fcm_hub_shutdown (other_hub);
}

/* A hub that subscribes but takes the unsubscribe and never answers. */
typedef struct
{
  GPtrArray               *held;
  SoupWebsocketConnection *ws;
  char                    *base;
  gboolean                 answer_unsubscribe;
  gushort                  close_code;    /* what the client closed with */
  gboolean                 closed;
} StuckHub;

static void
stuck_http_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  StuckHub *hub = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(GHashTable) form = NULL;
  const char *mode;

  if (g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      /* the current context (C-22): none */
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
  form = soup_form_decode (g_bytes_get_data (bytes, NULL) ? g_bytes_get_data (bytes, NULL) : "");
  mode = g_hash_table_lookup (form, "hub.mode");
  if (g_strcmp0 (mode, "subscribe") == 0)
    {
      g_autofree char *answer = g_strdup_printf ("{\"hub.channel.endpoint\":\"%s/ws/x\"}", hub->base);

      soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
      return;
    }
  if (hub->answer_unsubscribe)
    {
      /* and leaves the socket to the client (C-42: it closes it) */
      soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
      return;
    }
  soup_server_message_pause (msg);
  g_ptr_array_add (hub->held, g_object_ref (msg));
}

static void
stuck_ws_closed_cb (SoupWebsocketConnection *ws,
                    StuckHub                *hub)
{
  hub->close_code = soup_websocket_connection_get_close_code (ws);
  hub->closed = TRUE;
}

static void
stuck_ws_cb (SoupServer              *server,
             SoupServerMessage       *msg,
             const char              *path,
             SoupWebsocketConnection *connection,
             gpointer                 user_data)
{
  StuckHub *hub = user_data;

  g_set_object (&hub->ws, connection);
  g_signal_connect (connection, "closed", G_CALLBACK (stuck_ws_closed_cb), hub);
  soup_websocket_connection_send_text (connection, "{\"hub.mode\":\"subscribe\",\"hub.topic\":\"topic\","
                                                   "\"hub.events\":\"DiagnosticReport-open\"}");
}

static void
test_leave_deadline (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmTestSubscriber) other = NULL;
  StuckHub stuck_hub = { g_ptr_array_new_with_free_func (g_object_unref), NULL, NULL, FALSE, 0, FALSE };
  GSList *uris;
  FcmConnection *builtin, *stuck;
  Left left = { 0 };

  soup_server_add_handler (server, "/fhircast", stuck_http_cb, &stuck_hub, NULL);
  soup_server_add_websocket_handler (server, "/fhircast/ws", NULL, NULL, stuck_ws_cb, &stuck_hub, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  stuck_hub.base = g_strdup_printf ("ws://127.0.0.1:%d/fhircast", g_uri_get_port (uris->data));
  {
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%d/fhircast", g_uri_get_port (uris->data));

    stuck = fcm_connection_new (url, "topic", NULL);
  }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_ptr_array_add (connections, start (stuck));

  builtin = fcm_connection_new_embedded (&error);
  g_assert_no_error (error);
  g_ptr_array_add (connections, start (builtin));
  other = fcm_test_subscriber_new (fcm_hub_get_url (fcm_connection_get_hub (builtin)),
                                   fcm_hub_client_get_topic (fcm_connection_get_client (builtin)),
                                   "Reporting App", "DiagnosticReport-open");

  leave (connections, 600, &left);
  g_assert_cmpuint (stuck_hub.held->len, ==, 1);   /* the unsubscribe came, unanswered */
  g_assert_error (left.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_false (left.ok);
  g_clear_error (&left.error);
  g_assert_cmpint (left.took_us, >=, 600 * 1000 * 6 / 10);
  g_assert_cmpint (left.took_us, <, 600 * 1000 + 300 * 1000);
  /* the built-in hub was stopped cleanly all the same */
  FCM_TEST_WAIT_UNTIL (other->closed);
  g_assert_cmpuint (other->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  g_ptr_array_set_size (connections, 0);
  for (guint i = 0; i < stuck_hub.held->len; i++)
    soup_server_message_unpause (g_ptr_array_index (stuck_hub.held, i));
  g_ptr_array_unref (stuck_hub.held);
  g_clear_object (&stuck_hub.ws);
  g_free (stuck_hub.base);
  soup_server_disconnect (server);
}

/* A hub that does not close the socket on unsubscribe sees the client
 * close it with 1000 (C-42), not a dropped connection. */
static void
test_leave_close_normal (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  StuckHub hub = { g_ptr_array_new_with_free_func (g_object_unref), NULL, NULL, TRUE, 0, FALSE };
  g_autofree char *url = NULL;
  GSList *uris;
  Left left = { 0 };

  soup_server_add_handler (server, "/fhircast", stuck_http_cb, &hub, NULL);
  soup_server_add_websocket_handler (server, "/fhircast/ws", NULL, NULL, stuck_ws_cb, &hub, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  hub.base = g_strdup_printf ("ws://127.0.0.1:%d/fhircast", g_uri_get_port (uris->data));
  url = g_strdup_printf ("http://127.0.0.1:%d/fhircast", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_ptr_array_add (connections, start (fcm_connection_new (url, "topic", NULL)));

  leave (connections, FCM_LEAVE_TIMEOUT_MS, &left);
  g_assert_no_error (left.error);
  /* even once the app is gone */
  g_ptr_array_set_size (connections, 0);
  FCM_TEST_WAIT_UNTIL (hub.closed);
  g_assert_cmpuint (hub.close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);

  g_ptr_array_unref (hub.held);
  g_clear_object (&hub.ws);
  g_free (hub.base);
  soup_server_disconnect (server);
}

/* Nothing to leave: done at once. */
static void
test_leave_nothing (void)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  Left left = { 0 };

  leave (connections, FCM_LEAVE_TIMEOUT_MS, &left);
  g_assert_no_error (left.error);
  g_assert_true (left.ok);
  g_assert_cmpint (left.took_us, <, 100 * 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/leave/clean", test_leave_clean);
  g_test_add_func ("/leave/deadline", test_leave_deadline);
  g_test_add_func ("/leave/close-normal", test_leave_close_normal);
  g_test_add_func ("/leave/nothing", test_leave_nothing);

  return g_test_run ();
}
