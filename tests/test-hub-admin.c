/* test-hub-admin.c: the hub's --users and --admin pages and the 2019 prototype's socket
 *
 * GetTopic (--users), the /admin/ inspection, injected faults and held or
 * asynchronous acks (--admin), its ack latency quantiles, and subscribers
 * that speak the 2019 prototype's WebSocket replies. Every test starts its
 * own FcmHub on 127.0.0.1 port 0 and talks to it with SoupSession (HTTP and
 * WebSocket).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-hub-util.h"

/* ------------------------------------------------------------------------ */
/* --users: the 2019 prototype's GetTopic                                   */

static char *
root_url (Fixture    *f,
          const char *path_and_query)
{
  g_autofree char *base = g_strndup (f->url, strlen (f->url) - strlen ("/fhircast"));

  return g_strconcat (base, path_and_query, NULL);
}

static void
test_users_gettopic (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-hub-users-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *other = NULL;
  g_autofree char *again = NULL;
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *form = NULL;
  const char *users =
    "# one group per radiologist\n"
    "[Dr Smith]\n"
    "users=joe;joe2\n"
    "[Dr Jones]\n"
    "users=ann;\n";

  g_assert_no_error (error);
  path = g_build_filename (dir, "users.ini", NULL);
  g_assert_true (g_file_set_contents (path, users, -1, &error));
  g_assert_no_error (error);
  g_assert_true (fcm_hub_load_users (f->hub, path, &error));
  g_assert_no_error (error);
  fcm_hub_set_secret (f->hub, "S3CR3T");

  /* PACS user joe and RIS user joe2 share a topic; a bare text/plain body */
  url = root_url (f, "/gettopic?username=joe&secret=S3CR3T");
  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, &topic), ==, 200);
  g_assert_cmpuint (strlen (topic), ==, 36);
  g_assert_cmpint (topic[14], ==, '4');   /* a version-4 UUID */
  g_assert_nonnull (strchr ("89ab", topic[19]));
  g_assert_cmpstr (topic, ==, fcm_hub_get_user_topic (f->hub, "joe"));
  g_free (url);
  url = root_url (f, "/authenticate?username=joe2&secret=S3CR3T");
  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, &again), ==, 200);
  g_assert_cmpstr (again, ==, topic);
  g_free (url);
  url = root_url (f, "/api/hub/gettopic?username=ann&secret=S3CR3T");
  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, &other), ==, 200);
  g_assert_cmpuint (strlen (other), ==, 36);
  g_assert_cmpstr (other, !=, topic);

  /* wrong or missing secret → 401, unknown user → 404, no user → 400 */
  g_free (url);
  url = root_url (f, "/gettopic?username=joe&secret=wrong");
  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 401);
  g_free (url);
  url = root_url (f, "/gettopic?username=joe");
  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 401);
  g_free (url);
  url = root_url (f, "/gettopic?username=nobody&secret=S3CR3T");
  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 404);
  g_free (url);
  url = root_url (f, "/gettopic?secret=S3CR3T");
  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 400);

  /* the topic is usable for a subscription */
  fcm_hub_set_secret (f->hub, NULL);
  form = g_strdup_printf ("hub.channel.type=websocket&hub.mode=subscribe&hub.topic=%s&hub.events=syncerror", topic);
  g_assert_cmpuint (http (f, "POST", f->url, "application/x-www-form-urlencoded", form, &body), ==, 202);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, topic), ==, 1);

  /* a user listed twice is an error */
  g_assert_true (g_file_set_contents (path, "[a]\nusers=x\n[b]\nusers=y;x\n", -1, &error));
  g_assert_false (fcm_hub_load_users (f->hub, path, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpstr (fcm_hub_get_user_topic (f->hub, "joe"), ==, topic);   /* unchanged */

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* without --users there is no GetTopic */
static void
test_users_off (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = root_url (f, "/gettopic?username=joe&secret=x");

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 404);
}

/* ------------------------------------------------------------------------ */
/* --admin                                                                  */

static void
fixture_setup_admin (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = fcm_hub_new ();
  fcm_hub_set_admin (f->hub, TRUE);
  fcm_hub_set_ack_timeout (f->hub, 5.0);
  g_signal_connect (f->hub, "syncerror", G_CALLBACK (syncerror_signal_cb), f);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->url = fcm_hub_get_url (f->hub);
  f->session = soup_session_new_with_options ("max-conns", 128, "max-conns-per-host", 64, NULL);
}

static JsonNode *
admin_get (Fixture    *f,
           const char *what)
{
  g_autofree char *url = root_url (f, what);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, &body), ==, 200);
  root = fcm_json_parse (body, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return root;
}

static guint
admin_post (Fixture    *f,
            const char *endpoint,
            const char *action_and_query)
{
  const char *id = strrchr (endpoint, '/') + 1;
  g_autofree char *path = g_strdup_printf ("/admin/subscribers/%s/%s", id, action_and_query);
  g_autofree char *url = root_url (f, path);

  return http (f, "POST", url, "text/plain", "", NULL);
}

static JsonObject *
admin_find_subscriber (JsonNode   *root,
                       const char *name)
{
  JsonArray *subs = fcm_json_get_array (json_node_get_object (root), "subscribers");

  g_assert_nonnull (subs);
  for (guint i = 0; i < json_array_get_length (subs); i++)
    {
      JsonObject *sub = json_array_get_object_element (subs, i);

      if (g_strcmp0 (fcm_json_get_string (sub, "name"), name) == 0)
        return sub;
    }
  return NULL;
}

static void
test_admin_refuses_public (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;

  fcm_hub_set_admin (hub, TRUE);
  g_assert_false (fcm_hub_listen (hub, "0.0.0.0", 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
}

static void
test_admin_off (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = root_url (f, "/admin/topics");

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 404);
}

static void
test_admin_inspect (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Alpha", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, NULL, "syncerror");
  g_autoptr(JsonNode) topics = NULL;
  g_autoptr(JsonNode) subs = NULL;
  g_autoptr(JsonNode) contexts = NULL;
  g_autofree char *version = NULL;
  JsonObject *obj, *current, *sub;
  JsonArray *list;

  version = open_report (f, a, "ev-o1", "rpt-1");
  send_marker (f, (Client *[]) { a }, 1);

  topics = admin_get (f, "/admin/topics");
  list = fcm_json_get_array (json_node_get_object (topics), "topics");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  obj = json_array_get_object_element (list, 0);
  g_assert_cmpstr (fcm_json_get_string (obj, "topic"), ==, TOPIC);
  g_assert_cmpint (json_object_get_int_member (obj, "subscribers"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (obj, "openContexts"), ==, 1);
  current = fcm_json_get_object (obj, "current");
  g_assert_nonnull (current);
  g_assert_cmpstr (fcm_json_get_string (current, "type"), ==, "DiagnosticReport");
  g_assert_cmpstr (fcm_json_get_string (current, "id"), ==, "rpt-1");
  g_assert_cmpstr (fcm_json_get_string (current, "versionId"), ==, version);

  subs = admin_get (f, "/admin/subscribers");
  sub = admin_find_subscriber (subs, "Alpha");
  g_assert_nonnull (sub);
  g_assert_cmpstr (fcm_json_get_string (sub, "topic"), ==, TOPIC);
  g_assert_true (json_object_get_boolean_member (sub, "connected"));
  g_assert_cmpint (json_array_get_length (fcm_json_get_array (sub, "events")), ==, 6);
  g_assert_cmpint (json_object_get_int_member (sub, "leaseSecondsLeft"), >, 3500);
  g_assert_cmpint (json_object_get_int_member (sub, "acksPending"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (sub, "lastAckLatencyMs"), >=, 0.0);
  /* every matched ack's latency: count, p50, p99 and max */
  {
    JsonObject *latencies = json_object_get_object_member (sub, "ackLatencyMs");

    g_assert_nonnull (latencies);
    g_assert_cmpint (json_object_get_int_member (latencies, "count"), >=, 1);
    g_assert_cmpfloat (json_object_get_double_member (latencies, "p50"), <=,
                       json_object_get_double_member (latencies, "p99"));
    g_assert_cmpfloat (json_object_get_double_member (latencies, "p99"), <=,
                       json_object_get_double_member (latencies, "max"));
    g_assert_cmpfloat (json_object_get_double_member (latencies, "max"), >=,
                       json_object_get_double_member (sub, "lastAckLatencyMs"));
  }
  g_assert_cmpint (json_object_get_int_member (sub, "acks"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (sub, "refusedAcks"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (sub, "missedAcksTotal"), ==, 0);
  sub = admin_find_subscriber (subs, NULL);
  g_assert_nonnull (sub);
  g_assert_true (json_object_get_null_member (sub, "lastAckLatencyMs"));
  g_assert_true (json_object_get_null_member (sub, "ackLatencyMs"));
  g_assert_cmpstr (fcm_json_get_string (sub, "endpoint"), ==, strrchr (b->endpoint, '/') + 1);

  contexts = admin_get (f, "/admin/contexts?topic=" TOPIC);
  list = fcm_json_get_array (json_node_get_object (contexts), "contexts");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  list = fcm_json_get_array (json_array_get_object_element (list, 0), "contexts");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (list, 0), "current"));

  /* acks pending: a subscriber that never acks */
  a->ack_mode = ACK_NONE;
  send_marker (f, (Client *[]) { a }, 1);
  g_clear_pointer (&subs, json_node_unref);
  subs = admin_get (f, "/admin/subscribers");
  g_assert_cmpint (json_object_get_int_member (admin_find_subscriber (subs, "Alpha"), "acksPending"), ==, 1);
}

static void
test_admin_faults (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Alpha", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Beta", ALL_EVENTS);
  g_autoptr(Client) c = subscribe (f, "Gamma", ALL_EVENTS);
  g_autoptr(Client) a2 = client_new ();
  gint64 start;

  /* unknown subscriber, bad code */
  g_assert_cmpuint (admin_post (f, "/nope", "close?code=4000"), ==, 404);
  g_assert_cmpuint (admin_post (f, a->endpoint, "close?code=1006"), ==, 400);
  g_assert_cmpuint (admin_post (f, a->endpoint, "explode"), ==, 404);
  g_assert_cmpuint (admin_post (f, a->endpoint, "deny?reason=%FF"), ==, 400);
  g_assert_cmpuint (admin_post (f, a->endpoint, "faults?delay_ms=-5"), ==, 400);
  g_assert_cmpuint (admin_post (f, a->endpoint, "faults?drop=x"), ==, 400);

  /* close with a given code; the subscription stays and the client may reconnect */
  g_assert_cmpuint (admin_post (f, a->endpoint, "close?code=4002&reason=test"), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_is_closed (a));
  g_assert_cmpuint (soup_websocket_connection_get_close_code (a->ws), ==, 4002);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 3);
  g_assert_true (client_connect (f, a2, a->endpoint));
  FCM_TEST_WAIT_UNTIL (client_find_mode (a2, "subscribe") != NULL);

  /* drop the next notification: it never arrives, and the ack timer still runs */
  fcm_hub_set_ack_timeout (f->hub, 0.5);
  g_assert_cmpuint (admin_post (f, b->endpoint, "faults?drop=1"), ==, 200);
  g_free (open_report (f, c, "ev-o1", "rpt-1"));
  FCM_TEST_WAIT_UNTIL (client_count (c, "syncerror") == 1 && client_is_closed (b));
  g_assert_cmpuint (client_count (b, "DiagnosticReport-open"), ==, 0);
  g_assert_nonnull (client_find_mode (b, "denied"));
  fcm_hub_set_ack_timeout (f->hub, 5.0);

  /* delay: the frame arrives late */
  g_assert_cmpuint (admin_post (f, c->endpoint, "faults?delay_ms=300"), ==, 200);
  start = g_get_monotonic_time ();
  send_marker (f, (Client *[]) { c, a2 }, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);
  g_assert_cmpuint (admin_post (f, c->endpoint, "faults?delay_ms=0&drop=0"), ==, 200);

  /* a denial, then close; the subscription is gone */
  g_assert_cmpuint (admin_post (f, c->endpoint, "deny?reason=maintenance"), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_is_closed (c));
  g_assert_cmpstr (frame_get (client_find_mode (c, "denied"), "hub.reason"), ==, "maintenance");
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
}

/* H-17 via the admin async fault: 202, then a syncerror to the requester
 * only and no broadcast; or 202, then the normal broadcast */
static void
test_admin_async (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Requester", "DiagnosticReport-open,x-custom-marker");
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  g_autofree char *open1 = open_event ("ev-a1", "rpt-1", "pat-1", "st-1");
  g_autofree char *open2 = open_event ("ev-a2", "rpt-2", "pat-1", "st-1");
  g_autofree char *close9 = simple_event ("ev-c9", "DiagnosticReport-close", "rpt-9");
  g_autoptr(JsonNode) current = NULL;
  g_autoptr(JsonNode) subs = NULL;
  JsonArray *coding;

  g_assert_cmpuint (admin_post (f, a->endpoint, "async?mode=sometimes"), ==, 400);
  g_assert_cmpuint (admin_post (f, a->endpoint, "async?mode=reject&count=0"), ==, 400);
  g_assert_cmpuint (admin_post (f, a->endpoint, "async?mode=reject&delay_ms=x"), ==, 400);
  g_assert_cmpuint (admin_post (f, a->endpoint, "async?mode=reject&delay_ms=20&reason=no%20beds"), ==, 200);
  subs = admin_get (f, "/admin/subscribers");
  g_assert_cmpstr (fcm_json_get_string (admin_find_subscriber (subs, "Requester"), "async"), ==, "reject");

  /* 202, then one syncerror to the requester (which did not even subscribe to syncerror) */
  g_assert_cmpuint (post_json (f, open1), ==, 202);
  FCM_TEST_WAIT_UNTIL (client_count (a, "syncerror") == 1);
  coding = syncerror_codings (client_last (a, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, "ev-a1");
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "DiagnosticReport-open");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Requester");
  send_marker (f, (Client *[]) { a, b }, 2);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open") + client_count (b, "DiagnosticReport-open"), ==, 0);
  g_assert_cmpuint (client_count (b, "syncerror"), ==, 0);
  current = get_current (f);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (current), "context.type"), ==, "");

  /* the fault was for one request; the rejected id may be retried */
  g_assert_cmpuint (post_json (f, open1), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (b, "DiagnosticReport-open") == 1);

  /* accept: 202, then the normal broadcast; a retry gets 202 again and nothing more */
  g_assert_cmpuint (admin_post (f, a->endpoint, "async?mode=accept&count=2&delay_ms=0"), ==, 200);
  g_assert_cmpuint (post_json (f, open2), ==, 202);
  FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-open") == 2 &&
                       client_count (b, "DiagnosticReport-open") == 2);
  g_assert_cmpstr (frame_get (client_last (b, "DiagnosticReport-open"), "id"), ==, "ev-a2");
  g_assert_cmpuint (post_json (f, open2), ==, 202);

  /* an accepted request that fails later: syncerror to the requester only */
  g_assert_cmpuint (post_json (f, close9), ==, 202);
  FCM_TEST_WAIT_UNTIL (client_count (a, "syncerror") == 2);
  coding = syncerror_codings (client_last (a, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, "ev-c9");
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "DiagnosticReport-close");
  send_marker (f, (Client *[]) { a, b }, 2);
  g_assert_cmpuint (client_count (b, "syncerror") + client_count (b, "DiagnosticReport-close"), ==, 0);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 2);

  /* the count is used up: synchronous again */
  g_assert_cmpuint (post_json (f, close9), ==, 409);
  g_assert_cmpuint (admin_post (f, a->endpoint, "async?mode=reject&count=all"), ==, 200);
  g_assert_cmpuint (admin_post (f, a->endpoint, "async?mode=off"), ==, 200);
  g_assert_cmpuint (post_json (f, close9), ==, 409);
}

/* 2019 prototype frames: {"header","body":{timestamp,id,event}} */
static JsonObject *
legacy_body (JsonNode *frame)
{
  return fcm_json_get_object (json_node_get_object (frame), "body");
}

static guint
legacy_count (Client     *c,
              const char *spelling)
{
  guint n = 0;

  for (guint i = 0; i < c->frames->len; i++)
    {
      JsonObject *body = legacy_body (g_ptr_array_index (c->frames, i));

      if (body != NULL && g_strcmp0 (fcm_json_get_string (fcm_json_get_object (body, "event"), "hub.event"),
                                     spelling) == 0)
        n++;
    }
  return n;
}

/* digest §4.1: the 2019 prototype's derived socket ws://host/{topic} */
static void
test_legacy_socket (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Client) legacy = client_new ();
  g_autoptr(Client) extra = client_new ();
  g_autoptr(Client) nobody = client_new ();
  g_autoptr(Client) b = NULL;
  g_autofree char *body = NULL;
  g_autofree char *ws_base = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *ws_unknown = NULL;
  g_autofree char *open1 = open_event ("ev-o1", "rpt-1", "pat-1", "st-1");
  g_autofree char *open2 = open_event ("ev-o2", "rpt-2", "pat-1", "st-2");
  JsonNode *frame;
  JsonObject *event;
  JsonArray *coding;

  fcm_hub_set_legacy (f->hub, TRUE);
  fcm_hub_set_ack_timeout (f->hub, 0.3);
  /* prototype subscribe: no subscriber.name, no lease, legacy event names */
  g_assert_cmpuint (post_form (f, &body, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                               "hub.topic", TOPIC,
                               "hub.events", "open-imaging-study,close-imaging-study,user-logout", NULL), ==, 202);
  b = subscribe (f, "Reporter", ALL_EVENTS);

  ws_base = g_strndup (f->url, strlen (f->url) - strlen ("/fhircast"));
  g_assert_true (g_str_has_prefix (ws_base, "http://"));
  ws_url = g_strconcat ("ws://", ws_base + strlen ("http://"), "/" TOPIC, NULL);
  ws_unknown = g_strconcat ("ws://", ws_base + strlen ("http://"), "/no-such-topic", NULL);

  /* an unknown topic is refused before the handshake */
  g_assert_false (client_connect (f, nobody, ws_unknown));

  legacy->legacy = TRUE;
  g_assert_true (client_connect (f, legacy, ws_url));
  FCM_TEST_WAIT_UNTIL (legacy->frames->len >= 1);
  frame = g_ptr_array_index (legacy->frames, 0);
  g_assert_cmpstr (frame_get (frame, "status"), ==, "OK");
  g_assert_cmpstr (frame_get (frame, "statusCode"), ==, "200");
  g_assert_nonnull (frame_get (frame, "timestamp"));

  /* no subscription left for a second socket */
  g_assert_true (client_connect (f, extra, ws_url));
  FCM_TEST_WAIT_UNTIL (client_is_closed (extra));
  g_assert_cmpuint (soup_websocket_connection_get_close_code (extra->ws), ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);

  /* a DiagnosticReport-open reaches it as a derived, wrapped open-imaging-study */
  g_assert_cmpuint (post_json (f, open1), ==, 200);
  FCM_TEST_WAIT_UNTIL (legacy_count (legacy, "open-imaging-study") == 1);
  frame = g_ptr_array_index (legacy->frames, legacy->frames->len - 1);
  g_assert_nonnull (fcm_json_get_object (json_node_get_object (frame), "header"));
  g_assert_null (frame_get (frame, "id"));
  event = fcm_json_get_object (legacy_body (frame), "event");
  g_assert_cmpstr (fcm_json_get_string (event, "hub.topic"), ==, TOPIC);
  g_assert_nonnull (fcm_json_get_string (legacy_body (frame), "id"));
  g_assert_nonnull (fcm_json_get_string (legacy_body (frame), "timestamp"));
  g_assert_cmpuint (legacy_count (legacy, "ImagingStudy-open"), ==, 0);

  /* its id-less "200" reply counts as the ack: no syncerror after the timeout */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > until);
  }
  send_marker (f, (Client *[]) { b }, 1);
  g_assert_cmpuint (client_count (b, "syncerror"), ==, 0);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);

  /* a "409" reply is a refusal of the oldest unanswered notification */
  legacy->ack_status = 409;
  g_assert_cmpuint (post_json (f, open2), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "ImagingStudy-open");
  frame = g_ptr_array_index (legacy->frames, legacy->frames->len - 1);
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, fcm_json_get_string (legacy_body (frame), "id"));
  g_assert_cmpuint (legacy_count (legacy, "open-imaging-study"), ==, 2);
  g_assert_cmpuint (client_count (legacy, "syncerror"), ==, 0);

  /* a relayed userLogout arrives as user-logout, the subscriber's spelling */
  legacy->ack_status = 200;
  {
    g_autofree char *logout = fcm_test_load_text ("data", "vectors", "userlogout.json", NULL);

    g_assert_cmpuint (post_json (f, logout), ==, 200);
  }
  FCM_TEST_WAIT_UNTIL (legacy_count (legacy, "user-logout") == 1);
  g_assert_cmpuint (legacy_count (legacy, "userLogout"), ==, 0);

  /* a normal close keeps the subscription; the next socket to the topic takes it over */
  soup_websocket_connection_close (legacy->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  FCM_TEST_WAIT_UNTIL (client_is_closed (legacy));
  g_clear_object (&extra->ws);
  g_ptr_array_set_size (extra->frames, 0);
  extra->legacy = TRUE;
  g_assert_true (client_connect (f, extra, ws_url));
  FCM_TEST_WAIT_UNTIL (extra->frames->len >= 1);
  g_assert_cmpstr (frame_get (g_ptr_array_index (extra->frames, 0), "statusCode"), ==, "200");
  g_assert_false (client_is_closed (extra));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
}

/* H-37: a syncerror lost on the way (admin drop fault) arrives with the resend */
static void
test_admin_resend_after_drop (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Errors only", "syncerror");
  JsonArray *coding;

  fcm_hub_set_syncerror_resend (f->hub, 0.2, 1);
  a->ack_status = 409;
  g_assert_cmpuint (admin_post (f, b->endpoint, "faults?drop=1"), ==, 200);
  g_free (open_report (f, a, "ev-o1", "rpt-1"));
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, "ev-o1");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");
  {
    /* acked: no further copy */
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > until);
  }
  g_assert_cmpuint (client_count (b, "syncerror"), ==, 1);
}

/* the ack latency quantiles /admin/ reports: within about 10 % */
static void
test_ack_histogram (void)
{
  AckHistogram h = { { 0, }, 0, 0 };

  g_assert_cmpfloat (_fcm_hub_ack_histogram_quantile (&h, 0.5), ==, 0);
  /* 1 ms … 1,000 ms, one each */
  for (gint64 ms = 1; ms <= 1000; ms++)
    _fcm_hub_ack_histogram_add (&h, ms * 1000);
  g_assert_cmpuint (h.n, ==, 1000);
  g_assert_cmpint (h.max, ==, 1000000);
  g_assert_cmpfloat_with_epsilon (_fcm_hub_ack_histogram_quantile (&h, 0.50), 500000, 50000);
  g_assert_cmpfloat_with_epsilon (_fcm_hub_ack_histogram_quantile (&h, 0.99), 990000, 99000);
  g_assert_cmpfloat (_fcm_hub_ack_histogram_quantile (&h, 1.0), <=, 1000000);
  /* a long one at the end is the max */
  _fcm_hub_ack_histogram_add (&h, 30 * G_USEC_PER_SEC);
  g_assert_cmpint (h.max, ==, 30 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (_fcm_hub_ack_histogram_quantile (&h, 0.50), 500000, 50000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("users/gettopic", test_users_gettopic);
  ADD ("users/off", test_users_off);
  ADD ("admin/off", test_admin_off);
  ADD ("legacy/socket", test_legacy_socket);
#undef ADD
#define ADD_ADMIN(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup_admin, fn, fixture_teardown)
  ADD_ADMIN ("admin/inspect", test_admin_inspect);
  ADD_ADMIN ("admin/faults", test_admin_faults);
  ADD_ADMIN ("admin/async", test_admin_async);
  ADD_ADMIN ("admin/resend-after-drop", test_admin_resend_after_drop);
#undef ADD_ADMIN
  g_test_add_func ("/fcm/hub/admin/ack-histogram", test_ack_histogram);
  g_test_add_func ("/fcm/hub/admin/refuses-public", test_admin_refuses_public);

  return g_test_run ();
}
