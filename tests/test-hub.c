/* test-hub.c: the reference hub's subscriptions over real loopback sockets
 *
 * Subscribe, unsubscribe, leases and their renewal, the context replayed to
 * a new subscriber, the heartbeat and the size of requests and frames.
 * Every test starts its own FcmHub on 127.0.0.1 port 0 and talks to it
 * with SoupSession (HTTP and WebSocket); the helpers are in
 * fcm-test-hub-util.c. Rule ids refer to the spec digest, §2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-hub-util.h"

/* H-01 */
static void
test_well_known (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  gboolean ws = FALSE;

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, &body), ==, 200);
  root = fcm_json_parse (body, -1, NULL);
  obj = json_node_get_object (root);
  g_assert_nonnull (fcm_json_get_array (obj, "eventsSupported"));
  g_assert_true (fcm_json_get_bool (obj, "websocketSupport", &ws) && ws);
  g_assert_cmpstr (fcm_json_get_string (obj, "fhircastVersion"), ==, "3.0.0");
  g_assert_nonnull (fcm_json_get_object (obj, "capabilities"));
}

/* H-08, H-11, H-02 */
static void
test_subscribe_confirm (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) c = subscribe (f, "Watcher A", "DiagnosticReport-open,SyncError");
  JsonNode *confirm = g_ptr_array_index (c->frames, 0);
  const char *id = strrchr (c->endpoint, '/') + 1;
  gint64 lease = 0;

  g_assert_true (g_str_has_prefix (c->endpoint, "ws://127.0.0.1:"));
  g_assert_cmpuint (strlen (id), >=, 32);   /* ≥ 128 bits */
  g_assert_cmpstr (frame_get (confirm, "hub.mode"), ==, "subscribe");
  g_assert_cmpstr (frame_get (confirm, "hub.topic"), ==, TOPIC);
  g_assert_cmpstr (frame_get (confirm, "hub.events"), ==, "DiagnosticReport-open,SyncError");
  g_assert_true (fcm_json_get_int (json_node_get_object (confirm), "hub.lease_seconds", &lease));
  g_assert_cmpint (lease, ==, 3600);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
}

/* H-05 (IRA 400 rules), hub.lease alias, optional subscriber.name */
static void
test_subscribe_invalid (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *body = NULL;
  g_autoptr(Client) c = client_new ();
  gint64 lease = 0;

  g_assert_cmpuint (post_form (f, NULL, "hub.channel.type", "webhook", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", "syncerror", NULL), ==, 400);
  g_assert_cmpuint (post_form (f, NULL, "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", "syncerror", NULL), ==, 400);
  g_assert_cmpuint (post_form (f, NULL, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", "", "hub.events", "syncerror", NULL), ==, 400);
  g_assert_cmpuint (post_form (f, NULL, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, NULL), ==, 400);
  g_assert_cmpuint (post_form (f, NULL, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", " , ", NULL), ==, 400);
  g_assert_cmpuint (post_form (f, &body, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", "syncerror", "subscriber.name", "", NULL),
                    ==, 400);
  g_assert_nonnull (strstr (body, "subscriber.name"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (post_form (f, NULL, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", "syncerror", "hub.lease_seconds", "-5", NULL),
                    ==, 400);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, NULL), ==, 0);

  /* Medplum-style: no subscriber.name, lease as hub.lease */
  g_assert_cmpuint (post_form (f, &body, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", "syncerror", "hub.lease", "120", NULL),
                    ==, 202);
  c->endpoint = endpoint_from_body (body);
  g_assert_true (client_connect (f, c, c->endpoint));
  FCM_TEST_WAIT_UNTIL (c->frames->len > 0);
  g_assert_true (fcm_json_get_int (json_node_get_object (g_ptr_array_index (c->frames, 0)),
                                   "hub.lease_seconds", &lease));
  g_assert_cmpint (lease, ==, 120);
}

/* H-10 */
static void
test_unknown_endpoint (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Client) c = client_new ();
  g_autofree char *endpoint = g_strdup_printf ("ws://%s/ws/00112233445566778899aabbccddeeff",
                                               f->url + strlen ("http://"));

  g_assert_false (client_connect (f, c, endpoint));
  g_assert_nonnull (c->error);
}

/* H-14 */
static void
test_unsubscribe (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Client) c = subscribe (f, "Watcher A", "syncerror");
  g_autoptr(Client) again = client_new ();
  g_autofree char *body = NULL;
  g_autofree char *endpoint = NULL;
  JsonNode *denial;

  /* wrong endpoint or topic */
  g_assert_cmpuint (post_form (f, NULL, "hub.channel.type", "websocket", "hub.mode", "unsubscribe",
                               "hub.topic", TOPIC, NULL), ==, 400);
  g_assert_cmpuint (post_form (f, NULL, "hub.channel.type", "websocket", "hub.mode", "unsubscribe",
                               "hub.topic", "other-topic", "hub.channel.endpoint", c->endpoint, NULL), ==, 400);

  g_assert_cmpuint (post_form (f, &body, "hub.channel.type", "websocket", "hub.mode", "unsubscribe",
                               "hub.topic", TOPIC, "hub.channel.endpoint", c->endpoint, NULL), ==, 202);
  endpoint = endpoint_from_body (body);
  g_assert_cmpstr (endpoint, ==, c->endpoint);

  FCM_TEST_WAIT_UNTIL (client_is_closed (c));
  denial = client_find_mode (c, "denied");
  g_assert_nonnull (denial);
  g_assert_cmpstr (frame_get (denial, "hub.topic"), ==, TOPIC);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 0);

  /* the id is dead */
  g_assert_false (client_connect (f, again, c->endpoint));
  g_assert_cmpuint (post_form (f, NULL, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", "syncerror",
                               "hub.channel.endpoint", c->endpoint, NULL), ==, 400);
}

/* H-13 */
static void
test_lease_expiry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) c = client_new ();
  g_autofree char *body = NULL;

  g_assert_cmpuint (post_form (f, &body, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", "syncerror", "hub.lease_seconds", "1",
                               "subscriber.name", "Short", NULL), ==, 202);
  c->endpoint = endpoint_from_body (body);
  g_assert_true (client_connect (f, c, c->endpoint));
  FCM_TEST_WAIT_UNTIL (client_is_closed (c));
  g_assert_nonnull (client_find_mode (c, "subscribe"));
  g_assert_nonnull (client_find_mode (c, "denied"));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 0);
}

/* H-07 */
static void
test_renewal (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Client) c = subscribe (f, "Watcher A", "syncerror");
  g_autofree char *body = NULL;
  g_autofree char *endpoint = NULL;
  JsonNode *last;
  gint64 lease = 0;

  g_assert_cmpuint (post_form (f, &body, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC, "hub.events", "syncerror,x-custom-marker",
                               "hub.lease_seconds", "1800", "hub.channel.endpoint", c->endpoint, NULL),
                    ==, 202);
  endpoint = endpoint_from_body (body);
  g_assert_cmpstr (endpoint, ==, c->endpoint);
  FCM_TEST_WAIT_UNTIL (c->frames->len == 2);
  last = g_ptr_array_index (c->frames, 1);
  g_assert_cmpstr (frame_get (last, "hub.mode"), ==, "subscribe");
  g_assert_cmpstr (frame_get (last, "hub.events"), ==, "syncerror,x-custom-marker");
  g_assert_true (fcm_json_get_int (json_node_get_object (last), "hub.lease_seconds", &lease));
  g_assert_cmpint (lease, ==, 1800);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);

  /* the new event list is in force */
  send_marker (f, (Client *[]) { c }, 1);
}

/* H-12 */
static void
test_replay_open (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autoptr(Client) b = NULL;
  g_autoptr(Client) n = NULL;
  g_autofree char *version = open_report (f, a, "ev-open-1", "rpt-1");
  JsonNode *replayed;

  b = subscribe (f, "Late Watcher", "diagnosticreport-open,syncerror,x-custom-marker");
  FCM_TEST_WAIT_UNTIL (client_count (b, "DiagnosticReport-open") == 1);
  replayed = client_last (b, "DiagnosticReport-open");
  g_assert_cmpstr (frame_get (replayed, "id"), ==, "ev-open-1");
  g_assert_cmpstr (frame_get (replayed, "timestamp"), ==, "2025-03-14T09:26:53.589Z");
  g_assert_cmpstr (frame_event_get (replayed, "context.versionId"), ==, version);

  /* a subscriber without the open event gets no replay */
  n = subscribe (f, "Errors only", "syncerror,x-custom-marker");
  send_marker (f, (Client *[]) { n }, 1);
  g_assert_cmpuint (client_count (n, "DiagnosticReport-open"), ==, 0);

  /* nothing is replayed after a close */
  {
    g_autofree char *close = simple_event ("ev-close-1", "DiagnosticReport-close", "rpt-1");
    g_autoptr(Client) d = NULL;

    g_assert_cmpuint (post_json (f, close), ==, 200);
    d = subscribe (f, "After close", ALL_EVENTS);
    send_marker (f, (Client *[]) { d }, 1);
    g_assert_cmpuint (client_count (d, "DiagnosticReport-open"), ==, 0);
  }
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  gsize n = FCM_HUB_MAX_MESSAGE_BYTES + 10;
  g_autofree char *big = g_malloc (n);

  memset (big, ' ', n);
  big[0] = '{';
  big[n - 1] = '}';
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/json", big, n, NULL, NULL), ==, 413);
  send_marker (f, (Client *[]) { a }, 1);
}

/* WebSocket messages are capped too: the hub drops the socket (1009) */
static void
test_ws_too_large (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) big = subscribe (f, "Big", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  gsize n = FCM_HUB_MAX_MESSAGE_BYTES + 10;
  g_autofree char *text = g_malloc (n + 1);

  memset (text, ' ', n);
  text[n] = '\0';
  soup_websocket_connection_set_max_incoming_payload_size (big->ws, 0);
  soup_websocket_connection_send_text (big->ws, text);
  FCM_TEST_WAIT_UNTIL (client_is_closed (big) && client_count (b, "syncerror") == 1);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
}

/* H-39: heartbeats carry a period, and a missing ack is never a syncerror */
static void
test_heartbeat (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Quiet", "syncerror");
  g_autoptr(Client) b = subscribe (f, "Watcher", "syncerror");
  JsonArray *context;
  gint64 period = 0;

  a->ack_mode = ACK_NONE;
  fcm_hub_set_ack_timeout (f->hub, 0.2);
  fcm_hub_set_heartbeat (f->hub, 1);
  FCM_TEST_WAIT_UNTIL (client_count (a, "heartbeat") == 2);
  context = fcm_json_get_array (fcm_json_get_object (json_node_get_object (client_last (a, "heartbeat")),
                                                     "event"), "context");
  g_assert_cmpstr (fcm_json_get_string (fcm_json_array_get_object (context, 0), "key"), ==, "period");
  g_assert_true (fcm_json_get_int (fcm_json_array_get_object (context, 0), "decimal", &period));
  g_assert_cmpint (period, ==, 1);
  g_assert_cmpuint (client_count (b, "syncerror"), ==, 0);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("well-known", test_well_known);
  ADD ("subscribe/confirm", test_subscribe_confirm);
  ADD ("subscribe/invalid", test_subscribe_invalid);
  ADD ("subscribe/unknown-endpoint", test_unknown_endpoint);
  ADD ("subscribe/unsubscribe", test_unsubscribe);
  ADD ("subscribe/lease-expiry", test_lease_expiry);
  ADD ("subscribe/renewal", test_renewal);
  ADD ("subscribe/replay", test_replay_open);
  ADD ("limits/too-large", test_too_large);
  ADD ("limits/ws-too-large", test_ws_too_large);
  ADD ("heartbeat", test_heartbeat);
#undef ADD

  return g_test_run ();
}
