/* test-hub-subscribers.c: FcmHub's subscriber list and its change signal
 *
 * fcm_hub_list_subscribers() and FcmHub::subscribers-changed, what an app
 * that embeds the hub shows in its subscribers panel, over a real hub on
 * 127.0.0.1: FcmHubClient subscribers that ack (200 or 409) and a raw
 * WebSocket subscriber that never acks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-test-util.h"

#define TOPIC "5c0de3b1-9a7e-4f26-8d1c-3e4b2a6f7d90"
#define MARKER "x-panel-marker"

typedef struct
{
  FcmHub      *hub;
  SoupSession *session;
  guint        n_changed;       /* ::subscribers-changed for TOPIC */
  guint        n_other_topic;
  guint64      acks_seen;       /* Alpha's acks when the signal came */
  guint        subscribers_seen;
} Fixture;

static FcmHubSubscriberInfo *
find (GPtrArray  *list,
      const char *name)
{
  for (guint i = 0; i < list->len; i++)
    {
      FcmHubSubscriberInfo *info = g_ptr_array_index (list, i);

      if (g_strcmp0 (info->name, name) == 0)
        return info;
    }
  return NULL;
}

static void
changed_cb (FcmHub     *hub,
            const char *topic,
            Fixture    *f)
{
  g_autoptr(GPtrArray) list = NULL;
  FcmHubSubscriberInfo *alpha;

  if (!g_str_equal (topic, TOPIC))
    {
      f->n_other_topic++;
      return;
    }
  f->n_changed++;
  list = fcm_hub_list_subscribers (hub, topic);
  alpha = find (list, "Alpha");
  f->acks_seen = alpha != NULL ? alpha->acks : 0;
  f->subscribers_seen = list->len;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (f->hub, "subscribers-changed", G_CALLBACK (changed_cb), f);
  f->session = soup_session_new_with_options ("max-conns", 8, "max-conns-per-host", 6, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_clear_object (&f->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
subscribe_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  gboolean *done = data;

  g_assert_true (fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, NULL));
  *done = TRUE;
}

static FcmHubClient *
subscribe (Fixture    *f,
           const char *name,
           guint       ack_status)
{
  FcmHubClient *client = fcm_hub_client_new (fcm_hub_get_url (f->hub), TOPIC);
  const char *events[] = { "DiagnosticReport-open", "DiagnosticReport-close", "syncerror", MARKER, NULL };
  gboolean done = FALSE;

  fcm_hub_client_set_subscriber_name (client, name);
  fcm_hub_client_set_events (client, events);
  fcm_hub_client_set_ack_policy (client, NULL, ack_status);
  fcm_hub_client_subscribe_async (client, NULL, subscribe_cb, &done);
  FCM_TEST_WAIT_UNTIL (done && fcm_hub_client_get_state (client) == FCM_CLIENT_STATE_ACTIVE);
  return client;
}

/* A subscriber that connects and never acks */
static void
silent_connect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  SoupWebsocketConnection **ws = data;

  *ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, NULL);
  g_assert_nonnull (*ws);
}

static SoupWebsocketConnection *
subscribe_silent (Fixture  *f,
                  char    **out_endpoint)
{
  g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe",
                                            "hub.topic", TOPIC, "hub.events", MARKER,
                                            "subscriber.name", "Silent", NULL);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupWebsocketConnection *ws = NULL;

  g_assert_cmpuint (fcm_test_http (f->session, "POST", fcm_hub_get_url (f->hub),
                                   "application/x-www-form-urlencoded", form, -1, NULL, &body), ==, 202);
  root = json_from_string (body, NULL);
  g_assert_nonnull (root);
  *out_endpoint = g_strdup (json_object_get_string_member (json_node_get_object (root), "hub.channel.endpoint"));
  msg = soup_message_new ("GET", *out_endpoint);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        silent_connect_cb, &ws);
  FCM_TEST_WAIT_UNTIL (ws != NULL);
  return ws;
}

typedef struct
{
  guint pending;
  guint failed;
} Posts;

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Posts *posts = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (soup_message_get_status (msg) != 200)
    {
      g_test_message ("POST answered %u: %s", soup_message_get_status (msg),
                      error != NULL ? error->message : "");
      posts->failed++;
    }
  posts->pending--;
}

/* Posts @n marker events at once, without waiting for each answer */
static void
post_markers (Fixture *f,
              guint    n)
{
  Posts posts = { 0, };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *text = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"%s\",\"event\":"
                                               "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"" MARKER "\","
                                               "\"context\":[]}}", id);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", fcm_hub_get_url (f->hub));
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      posts.pending++;
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, posted_cb, &posts);
    }
  FCM_TEST_WAIT_UNTIL (posts.pending == 0);
  g_assert_cmpuint (posts.failed, ==, 0);
}

/* A copy of @name's figures now */
static FcmHubSubscriberInfo *
info_of (Fixture    *f,
         const char *name)
{
  g_autoptr(GPtrArray) list = fcm_hub_list_subscribers (f->hub, TOPIC);
  FcmHubSubscriberInfo *info = find (list, name);

  g_assert_nonnull (info);
  return fcm_hub_subscriber_info_copy (info);
}

static guint64
acks_of (Fixture    *f,
         const char *name)
{
  g_autoptr(FcmHubSubscriberInfo) info = info_of (f, name);

  return info->acks;
}

static guint64
missed_of (Fixture    *f,
           const char *name)
{
  g_autoptr(FcmHubSubscriberInfo) info = info_of (f, name);

  return info->missed_acks;
}

static gboolean
connected (Fixture    *f,
           const char *name)
{
  g_autoptr(FcmHubSubscriberInfo) info = info_of (f, name);

  return info->connected;
}

/* The figures of each subscriber, its endpoint redacted (C-09, H-02) */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(FcmHubClient) alpha = NULL;
  g_autoptr(FcmHubClient) refuser = NULL;
  g_autoptr(SoupWebsocketConnection) silent = NULL;
  g_autofree char *silent_endpoint = NULL;
  g_autoptr(GPtrArray) list = NULL;
  FcmHubSubscriberInfo *info;

  fcm_hub_set_ack_timeout (f->hub, 0.3);
  fcm_hub_set_max_missed_acks (f->hub, 100);   /* Silent stays */

  list = fcm_hub_list_subscribers (f->hub, TOPIC);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  alpha = subscribe (f, "Alpha", 200);
  refuser = subscribe (f, "Refuser", 409);
  silent = subscribe_silent (f, &silent_endpoint);

  /* the signal tells of them */
  FCM_TEST_WAIT_UNTIL (f->subscribers_seen == 3);

  list = fcm_hub_list_subscribers (f->hub, TOPIC);
  g_assert_cmpuint (list->len, ==, 3);
  /* in subscribe order */
  g_assert_cmpstr (((FcmHubSubscriberInfo *) g_ptr_array_index (list, 0))->name, ==, "Alpha");
  g_assert_cmpstr (((FcmHubSubscriberInfo *) g_ptr_array_index (list, 1))->name, ==, "Refuser");
  g_assert_cmpstr (((FcmHubSubscriberInfo *) g_ptr_array_index (list, 2))->name, ==, "Silent");
  info = find (list, "Alpha");
  g_assert_true (info->connected);
  g_assert_cmpuint (g_strv_length (info->events), ==, 4);
  g_assert_true (g_strv_contains ((const char * const *) info->events, MARKER));
  g_assert_cmpuint (info->acks, ==, 0);
  g_assert_cmpint (info->last_ack_latency, ==, -1);
  g_assert_cmpuint (info->serial, ==, fcm_hub_get_subscriber_serial (f->hub, fcm_hub_client_get_endpoint (alpha)));
  g_assert_cmpuint (find (list, "Silent")->serial, ==, fcm_hub_get_subscriber_serial (f->hub, silent_endpoint));
  g_assert_cmpuint (fcm_hub_get_subscriber_serial (f->hub, "ws://127.0.0.1:1/fhircast/ws/nope"), ==, 0);
  g_assert_cmpuint (fcm_hub_get_subscriber_serial (f->hub, NULL), ==, 0);

  /* never the full endpoint id: a bearer ticket */
  for (guint i = 0; i < list->len; i++)
    {
      FcmHubSubscriberInfo *sub = g_ptr_array_index (list, i);

      g_assert_true (g_str_has_suffix (sub->endpoint, "…"));
      g_assert_cmpuint (strlen (sub->endpoint), <=, 4 + strlen ("…"));
    }
  g_assert_cmpint (strncmp (strrchr (silent_endpoint, '/') + 1, find (list, "Silent")->endpoint, 4), ==, 0);

  /* a copy is a deep copy */
  {
    g_autoptr(FcmHubSubscriberInfo) copy = fcm_hub_subscriber_info_copy (info);

    g_assert_true (copy->name != info->name);
    g_assert_cmpstr (copy->name, ==, "Alpha");
    g_assert_cmpstr (copy->events[3], ==, info->events[3]);
  }
  g_clear_pointer (&list, g_ptr_array_unref);

  /* two events: acks, refusals (H-33) and misses (H-34) counted */
  post_markers (f, 2);
  FCM_TEST_WAIT_UNTIL (acks_of (f, "Alpha") == 2 && acks_of (f, "Refuser") == 2 &&
                       missed_of (f, "Silent") == 2);
  list = fcm_hub_list_subscribers (f->hub, TOPIC);
  info = find (list, "Alpha");
  g_assert_cmpuint (info->refused_acks, ==, 0);
  g_assert_cmpuint (info->missed_acks, ==, 0);
  g_assert_cmpint (info->last_ack_latency, >=, 0);
  info = find (list, "Refuser");
  g_assert_cmpuint (info->refused_acks, ==, 2);
  info = find (list, "Silent");
  g_assert_cmpuint (info->acks, ==, 0);
  g_assert_cmpuint (info->pending_acks, ==, 0);
  g_assert_cmpint (info->last_ack_latency, ==, -1);
  g_assert_true (info->connected);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* one leaves: the signal says so */
  soup_websocket_connection_close (silent, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  FCM_TEST_WAIT_UNTIL (!connected (f, "Silent"));
  {
    guint before = f->n_changed;

    fcm_hub_client_unsubscribe_async (refuser, NULL, NULL, NULL);
    FCM_TEST_WAIT_UNTIL (f->n_changed > before && f->subscribers_seen == 2);
  }
  g_assert_cmpuint (f->n_other_topic, ==, 0);

  /* every topic at once */
  list = fcm_hub_list_subscribers (f->hub, NULL);
  g_assert_cmpuint (list->len, ==, 2);
}

/* A burst of events costs a listener nothing per event: the signal comes
 * at most every FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS, and its last one
 * carries the final figures. */
static void
test_coalesced (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(FcmHubClient) alpha = subscribe (f, "Alpha", 200);
  g_autoptr(FcmHubClient) beta = subscribe (f, "Beta", 200);
  const guint n = 400;
  gint64 start, elapsed_ms;
  guint signals;

  FCM_TEST_WAIT_UNTIL (f->subscribers_seen == 2);
  f->n_changed = 0;
  start = g_get_monotonic_time ();
  post_markers (f, n);
  FCM_TEST_WAIT_UNTIL (acks_of (f, "Alpha") == n && acks_of (f, "Beta") == n);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  signals = f->n_changed;
  g_test_message ("%u events to 2 subscribers in %" G_GINT64_FORMAT " ms: %u signals",
                  n, elapsed_ms, signals);
  /* 2 × 400 acks; a signal per ack would be 800 */
  g_assert_cmpuint (signals, <=, 1 + elapsed_ms / FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS + 1);
  /* the last changes are told, once */
  FCM_TEST_WAIT_UNTIL (f->acks_seen == n);
  signals = f->n_changed;
  {
    gint64 until = g_get_monotonic_time () + 3 * FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS * 1000;
    guint wake = g_timeout_add (20, fcm_test_wakeup, NULL);

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (wake);
  }
  g_assert_cmpuint (f->n_changed, ==, signals);
}

/* Without a listener the hub arms no timer and emits nothing; a listener
 * connected later is told of the next change. */
static void
test_no_listener (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(GPtrArray) list = NULL;
  Fixture f = { 0, };
  gboolean done = FALSE;

  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  client = fcm_hub_client_new (fcm_hub_get_url (hub), TOPIC);
  fcm_hub_client_set_subscriber_name (client, "Alpha");
  fcm_hub_client_subscribe_async (client, NULL, subscribe_cb, &done);
  FCM_TEST_WAIT_UNTIL (done && fcm_hub_client_get_state (client) == FCM_CLIENT_STATE_ACTIVE);
  list = fcm_hub_list_subscribers (hub, TOPIC);
  g_assert_cmpuint (list->len, ==, 1);

  g_signal_connect (hub, "subscribers-changed", G_CALLBACK (changed_cb), &f);
  fcm_hub_client_unsubscribe_async (client, NULL, NULL, NULL);
  FCM_TEST_WAIT_UNTIL (f.n_changed == 1);
  g_assert_cmpuint (f.subscribers_seen, ==, 0);
  fcm_hub_shutdown (hub);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fcm/hub/subscribers/list", Fixture, NULL, fixture_setup, test_list, fixture_teardown);
  g_test_add ("/fcm/hub/subscribers/coalesced", Fixture, NULL, fixture_setup, test_coalesced, fixture_teardown);
  g_test_add_func ("/fcm/hub/subscribers/no-listener", test_no_listener);

  return g_test_run ();
}
