/* test-client-resilience.c: FcmHubClient against hubs that misbehave on purpose
 *
 * Issue 14 point 7, with scripted hubs (a SoupServer in this process):
 * - a hub that takes the resubscribe but never answers it held the client
 *   for libsoup's 60 s instead of the request timeout;
 * - a hub that drops the socket soon after every activation got a
 *   resubscribe every second or two: the backoff started over with every
 *   confirmation. Now it starts over only after a stable period (C-68).
 * And point 11: plain http/ws only to this machine unless allowed; the
 * bearer token on the WebSocket upgrade only to the hub's own origin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-test-util.h"

typedef enum
{
  HUB_HANG_AFTER_FIRST,   /* answers the first subscribe, never another POST */
  HUB_DROP_AFTER_CONFIRM, /* every subscribe works, every socket is dropped soon after */
} HubMode;

typedef struct
{
  HubMode                  mode;
  char                    *endpoint_override;   /* the endpoint the 202 names, if not ours */
  GPtrArray               *upgrade_auth;        /* the Authorization of each upgrade, "" = none */
  SoupServer              *server;
  char                    *url;
  char                    *ws_url;
  GPtrArray               *sockets;      /* SoupWebsocketConnection */
  GPtrArray               *held;         /* SoupServerMessage, never answered */
  GArray                  *subscribes;   /* gint64 monotonic µs of each subscribe POST */
  guint                    hold_ms;
} Hub;

static void
hub_http_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           data)
{
  Hub *hub = data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = NULL;
  gboolean subscribe;

  if (!g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      /* Get Current Context: nothing open */
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
      return;
    }
  form = soup_form_decode (text);
  subscribe = g_strcmp0 (g_hash_table_lookup (form, "hub.mode"), "subscribe") == 0 &&
              !g_hash_table_contains (form, "hub.channel.endpoint");
  if (subscribe)
    {
      gint64 now = g_get_monotonic_time ();

      g_array_append_val (hub->subscribes, now);
    }
  if (hub->mode == HUB_HANG_AFTER_FIRST && hub->subscribes->len > 1)
    {
      /* taken, never answered */
      soup_server_message_pause (msg);
      g_ptr_array_add (hub->held, g_object_ref (msg));
      return;
    }
  if (subscribe)
    {
      g_autofree char *body = g_strdup_printf ("{\"hub.channel.endpoint\":\"%s\"}",
                                               hub->endpoint_override != NULL ? hub->endpoint_override
                                                                              : hub->ws_url);

      soup_server_message_set_status (msg, 202, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
  soup_server_message_set_status (msg, 202, NULL);
}

static gboolean
drop_cb (gpointer data)
{
  SoupWebsocketConnection *ws = data;

  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, "dropped");
  return G_SOURCE_REMOVE;
}

static void
hub_ws_cb (SoupServer              *server,
           SoupServerMessage       *msg,
           const char              *path,
           SoupWebsocketConnection *ws,
           gpointer                 data)
{
  Hub *hub = data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  g_ptr_array_add (hub->upgrade_auth, g_strdup (auth != NULL ? auth : ""));
  g_ptr_array_add (hub->sockets, g_object_ref (ws));
  soup_websocket_connection_send_text (ws, "{\"hub.mode\":\"subscribe\",\"hub.topic\":\"t\","
                                           "\"hub.events\":\"DiagnosticReport-open\",\"hub.lease_seconds\":3600}");
  if (hub->mode == HUB_HANG_AFTER_FIRST)
    g_timeout_add (50, drop_cb, ws);
  else
    g_timeout_add (hub->hold_ms, drop_cb, ws);
}

static void
hub_start (Hub     *hub,
           HubMode  mode)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  int port;

  hub->mode = mode;
  hub->hold_ms = 50;
  hub->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  hub->held = g_ptr_array_new_with_free_func (g_object_unref);
  hub->upgrade_auth = g_ptr_array_new_with_free_func (g_free);
  hub->subscribes = g_array_new (FALSE, FALSE, sizeof (gint64));
  hub->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (hub->server, "/hub", hub_http_cb, hub, NULL);
  soup_server_add_websocket_handler (hub->server, "/ws", NULL, NULL, hub_ws_cb, hub, NULL);
  g_assert_true (soup_server_listen_local (hub->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (hub->server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  hub->url = g_strdup_printf ("http://127.0.0.1:%d/hub", port);
  hub->ws_url = g_strdup_printf ("ws://127.0.0.1:%d/ws", port);
}

static void
hub_stop (Hub *hub)
{
  for (guint i = 0; i < hub->sockets->len; i++)
    {
      SoupWebsocketConnection *ws = g_ptr_array_index (hub->sockets, i);

      if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  soup_server_disconnect (hub->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (hub->sockets);
  g_ptr_array_unref (hub->held);
  g_ptr_array_unref (hub->upgrade_auth);
  g_array_unref (hub->subscribes);
  g_free (hub->endpoint_override);
  g_clear_object (&hub->server);
  g_free (hub->url);
  g_free (hub->ws_url);
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  gboolean *done = data;

  g_assert_true (fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, NULL));
  *done = TRUE;
}

static gint64
subscribe_at (Hub   *hub,
              guint  i)
{
  return g_array_index (hub->subscribes, gint64, i);
}

/* A resubscribe the hub takes and never answers ends after the request
 * timeout (here 300 ms), and the client tries again; it used to wait for
 * libsoup's 60 s. */
static void
test_resubscribe_unanswered (void)
{
  g_autoptr(FcmHubClient) client = NULL;
  Hub hub = { 0, };
  gboolean done = FALSE;

  hub_start (&hub, HUB_HANG_AFTER_FIRST);
  client = fcm_hub_client_new (hub.url, "t");
  fcm_hub_client_set_request_timeout (client, 300);
  fcm_hub_client_set_reconnect_delay (client, 20, 100);
  fcm_hub_client_set_keepalive (client, 0);
  fcm_hub_client_subscribe_async (client, NULL, subscribed_cb, &done);
  FCM_TEST_WAIT_UNTIL (done);

  /* the socket drops 50 ms after the confirmation: resubscribes follow,
   * each given up after 300 ms */
  FCM_TEST_WAIT_UNTIL (hub.subscribes->len >= 4);
  g_test_message ("%u subscribes, %u requests left unanswered", hub.subscribes->len, hub.held->len);
  g_assert_cmpint (fcm_hub_client_get_state (client), ==, FCM_CLIENT_STATE_RECONNECTING);
  /* each unanswered one was given up no earlier than the timeout */
  for (guint i = 2; i < hub.subscribes->len; i++)
    g_assert_cmpint (subscribe_at (&hub, i) - subscribe_at (&hub, i - 1), >=, 300 * 1000);

  g_clear_object (&client);
  hub_stop (&hub);
}

/* A hub that drops every socket 50 ms after the confirmation: the delays
 * between the resubscribes grow (50 ms doubling, half of each fixed), as
 * the connections never last the stable period. The fifth delay is at
 * least 400 ms; it used to start over at 25-50 ms every time. */
static void
test_backoff_grows (void)
{
  g_autoptr(FcmHubClient) client = NULL;
  Hub hub = { 0, };
  gboolean done = FALSE;
  gint64 gap;

  hub_start (&hub, HUB_DROP_AFTER_CONFIRM);
  client = fcm_hub_client_new (hub.url, "t");
  fcm_hub_client_set_reconnect_delay (client, 50, 60000);
  fcm_hub_client_set_keepalive (client, 0);
  fcm_hub_client_subscribe_async (client, NULL, subscribed_cb, &done);
  FCM_TEST_WAIT_UNTIL (done);

  FCM_TEST_WAIT_UNTIL (hub.subscribes->len >= 6);
  for (guint i = 1; i < hub.subscribes->len; i++)
    g_test_message ("resubscribe %u after %" G_GINT64_FORMAT " ms", i,
                    (subscribe_at (&hub, i) - subscribe_at (&hub, i - 1)) / 1000);
  gap = subscribe_at (&hub, 5) - subscribe_at (&hub, 4);
  /* 50 ms up, then attempt 5: 50 × 2⁴ = 800 ms, at least half of it */
  g_assert_cmpint (gap, >=, (50 + 400) * 1000);

  g_clear_object (&client);
  hub_stop (&hub);
}

/* A connection that lasts the stable period counts as a success: after it
 * drops, the backoff starts from its first delay again. */
static void
test_backoff_resets_after_stable (void)
{
  g_autoptr(FcmHubClient) client = NULL;
  Hub hub = { 0, };
  gboolean done = FALSE;
  gint64 early, late;

  hub_start (&hub, HUB_DROP_AFTER_CONFIRM);
  client = fcm_hub_client_new (hub.url, "t");
  fcm_hub_client_set_reconnect_delay (client, 400, 60000);
  fcm_hub_client_set_stable_period (client, 100);
  fcm_hub_client_set_keepalive (client, 0);
  fcm_hub_client_subscribe_async (client, NULL, subscribed_cb, &done);
  FCM_TEST_WAIT_UNTIL (done);

  /* the first two connections drop at once (the delays grow: 400, 800 ms),
   * then they last 1 s, longer than the stable period */
  FCM_TEST_WAIT_UNTIL (hub.subscribes->len >= 3);
  hub.hold_ms = 1000;
  FCM_TEST_WAIT_UNTIL (hub.subscribes->len >= 5);
  early = subscribe_at (&hub, 2) - subscribe_at (&hub, 1);
  late = subscribe_at (&hub, 4) - subscribe_at (&hub, 3);
  g_test_message ("early delay %" G_GINT64_FORMAT " ms, after a stable connection %" G_GINT64_FORMAT " ms",
                  early / 1000, late / 1000);
  /* the second drop waited at least 400 ms (half of 800); after a stable
   * connection the wait starts over at 200-400 ms (1 s up first); without
   * the reset it would be 1.6-3.2 s */
  g_assert_cmpint (early, >=, (50 + 400) * 1000);
  g_assert_cmpint (late, <, (gint64) ((1000 + 1400) * 1000 * fcm_test_timeout_scale ()));

  g_clear_object (&client);
  hub_stop (&hub);
}

/* ------------------------------------------------------------------------ */
/* point 11                                                                  */

typedef struct
{
  gboolean  done;
  GError   *error;
} Result;

static void
subscribe_result_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  Result *r = data;

  fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

static void
publish_result_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Result *r = data;

  fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, NULL, NULL, &r->error);
  r->done = TRUE;
}

static void
context_result_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Result *r = data;
  g_autoptr(JsonNode) node = fcm_hub_client_get_context_finish (FCM_HUB_CLIENT (source), result, &r->error);

  r->done = TRUE;
}

/* Plain http:// to a hub that is not on this machine fails at once with
 * FCM_ERROR_INSECURE (192.0.2.0/24 is TEST-NET-1: nothing is contacted). */
static void
test_insecure_refused (void)
{
  g_autoptr(FcmHubClient) client = fcm_hub_client_new ("http://192.0.2.10:8080/fhircast", "t");
  g_autoptr(FcmEvent) event = fcm_event_new ("insecure-1", NULL, "t", "x-custom", NULL, NULL, NULL);
  Result sub = { FALSE, NULL }, pub = { FALSE, NULL }, ctx = { FALSE, NULL };

  g_assert_false (fcm_hub_client_get_insecure (client));
  fcm_hub_client_subscribe_async (client, NULL, subscribe_result_cb, &sub);
  fcm_hub_client_publish_async (client, event, NULL, publish_result_cb, &pub);
  fcm_hub_client_get_context_async (client, NULL, context_result_cb, &ctx);
  FCM_TEST_WAIT_UNTIL (sub.done && pub.done && ctx.done);
  g_assert_error (sub.error, FCM_ERROR, FCM_ERROR_INSECURE);
  g_assert_error (pub.error, FCM_ERROR, FCM_ERROR_INSECURE);
  g_assert_error (ctx.error, FCM_ERROR, FCM_ERROR_INSECURE);
  g_assert_nonnull (strstr (sub.error->message, "refusing plain http:// to 192.0.2.10"));
  g_assert_cmpint (fcm_hub_client_get_state (client), ==, FCM_CLIENT_STATE_ERROR);
  g_error_free (sub.error);
  g_error_free (pub.error);
  g_error_free (ctx.error);
}

/* A hub on this machine that names a ws:// endpoint elsewhere: refused
 * before connecting, as the notifications would cross the network in the
 * clear. */
static void
test_insecure_endpoint_refused (void)
{
  g_autoptr(FcmHubClient) client = NULL;
  Hub hub = { 0, };
  Result sub = { FALSE, NULL };

  hub_start (&hub, HUB_DROP_AFTER_CONFIRM);
  hub.endpoint_override = g_strdup ("ws://192.0.2.10/ws/0123456789abcdef0123456789abcdef");
  client = fcm_hub_client_new (hub.url, "t");
  fcm_hub_client_subscribe_async (client, NULL, subscribe_result_cb, &sub);
  FCM_TEST_WAIT_UNTIL (sub.done);
  g_assert_error (sub.error, FCM_ERROR, FCM_ERROR_INSECURE);
  g_assert_nonnull (strstr (sub.error->message, "hub.channel.endpoint: refusing plain ws://"));
  g_error_free (sub.error);
  g_clear_object (&client);
  hub_stop (&hub);
}

/* The bearer token goes on the WebSocket upgrade (a hub with tokens binds
 * the endpoint to it), to the hub's own origin only: an endpoint on
 * another port gets none. */
static void
test_token_same_origin (void)
{
  g_autoptr(FcmHubClient) client = NULL;
  Hub hub = { 0, };
  Hub other = { 0, };
  Result sub = { FALSE, NULL };

  hub_start (&hub, HUB_DROP_AFTER_CONFIRM);
  hub.hold_ms = 60000;
  client = fcm_hub_client_new (hub.url, "t");
  fcm_hub_client_set_token (client, "tok-5e1a");
  fcm_hub_client_subscribe_async (client, NULL, subscribe_result_cb, &sub);
  FCM_TEST_WAIT_UNTIL (sub.done);
  g_assert_no_error (sub.error);
  g_assert_cmpuint (hub.upgrade_auth->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (hub.upgrade_auth, 0), ==, "Bearer tok-5e1a");
  g_clear_object (&client);

  /* the same hub naming an endpoint on another server */
  hub_start (&other, HUB_DROP_AFTER_CONFIRM);
  other.hold_ms = 60000;
  hub.endpoint_override = g_strdup (other.ws_url);
  client = fcm_hub_client_new (hub.url, "t");
  fcm_hub_client_set_token (client, "tok-5e1a");
  sub.done = FALSE;
  fcm_hub_client_subscribe_async (client, NULL, subscribe_result_cb, &sub);
  FCM_TEST_WAIT_UNTIL (sub.done);
  g_assert_no_error (sub.error);
  g_assert_cmpuint (other.upgrade_auth->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (other.upgrade_auth, 0), ==, "");

  g_clear_object (&client);
  hub_stop (&other);
  hub_stop (&hub);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/client/resilience/resubscribe-unanswered", test_resubscribe_unanswered);
  g_test_add_func ("/fcm/client/resilience/backoff-grows", test_backoff_grows);
  g_test_add_func ("/fcm/client/resilience/backoff-resets-after-stable", test_backoff_resets_after_stable);
  g_test_add_func ("/fcm/client/security/insecure-refused", test_insecure_refused);
  g_test_add_func ("/fcm/client/security/insecure-endpoint-refused", test_insecure_endpoint_refused);
  g_test_add_func ("/fcm/client/security/token-same-origin", test_token_same_origin);

  return g_test_run ();
}
