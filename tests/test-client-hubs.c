/* test-client-hubs.c: FcmHubClient against hubs other than ours
 *
 * The 2019 prototype's hub (--users), a scripted hub that misbehaves, one
 * that answers as Medplum's does, and the reference hub over TLS with a
 * burst of events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-client-util.h"

/* 2019 prototype mode against the hub's legacy socket: derived ws://host/{topic}, the status
 * frame as confirmation, wrapped notifications, status-frame acks (digest §4.1) */
static void
test_legacy (Fixture       *f,
             gconstpointer  data)
{
  const char *events[] = { "DiagnosticReport-open", "DiagnosticReport-close", NULL };
  g_autoptr(FcmEvent) open = open_event (f, "rpt-1");
  g_autofree char *subs = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;
  FcmEvent *got;

  fcm_hub_set_legacy (f->hub, TRUE);
  fcm_hub_client_set_legacy (f->a->client, TRUE);
  fcm_hub_client_set_events (f->a->client, events);
  sub_subscribe (f->a);
  g_assert_no_error (f->a->error);
  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_ACTIVE);
  g_assert_true (g_str_has_suffix (fcm_hub_client_get_endpoint (f->a->client), f->topic));
  g_assert_true (g_str_has_prefix (fcm_hub_client_get_endpoint (f->a->client), "ws://127.0.0.1:"));

  sub_subscribe (f->b);
  g_assert_cmpuint (publish (f->b, open, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (f->a->events->len == 1);
  got = g_ptr_array_index (f->a->events, 0);
  g_assert_cmpstr (fcm_event_get_id (got), ==, fcm_event_get_id (open));
  g_assert_true (fcm_event_is_legacy_wrapped (got));
  g_assert_cmpuint (f->a->acks->len, ==, 1);

  /* the hub matched our status-frame ack: no syncerror, nothing pending */
  run_for (700);
  g_assert_cmpuint (f->hub_syncerrors, ==, 0);
  subs = admin (f, "GET", "/admin/subscribers");
  root = parse (subs);
  list = fcm_json_get_array (json_node_get_object (root), "subscribers");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *s = fcm_json_array_get_object (list, i);
      gint64 pending = -1;

      g_assert_true (fcm_json_get_int (s, "acksPending", &pending));
      g_assert_cmpint (pending, ==, 0);
    }
  sub_unsubscribe (f->a);
  g_assert_cmpint (fcm_hub_client_get_state (f->a->client), ==, FCM_CLIENT_STATE_DISCONNECTED);
}

/* ------------------------------------------------------------------ misbehaving scripted hub */

typedef struct
{
  SoupServer *server;
  char *url;
  SoupWebsocketConnection *ws;
  GPtrArray *acks;      /* "id status" */
  guint n_messages;
} Bad;

static void
bad_ack_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            Bad                     *b)
{
  g_autoptr(JsonNode) root = fcm_json_parse (g_bytes_get_data (message, NULL),
                                             (gssize) g_bytes_get_size (message), NULL);
  JsonObject *obj;

  b->n_messages++;
  g_assert_nonnull (root);
  obj = json_node_get_object (root);
  g_ptr_array_add (b->acks, g_strdup_printf ("%s %s", fcm_json_get_string (obj, "id"),
                                             fcm_json_get_string (obj, "status")));
}

static void
bad_ws_cb (SoupServer              *server,
           SoupServerMessage       *msg,
           const char              *path,
           SoupWebsocketConnection *ws,
           gpointer                 data)
{
  Bad *b = data;
  const char *frames[] = {
    /* sandbox confirmation: no hub.topic, no hub.events */
    "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"bound\":\"x\",\"hub.mode\":\"subscribe\",\"hub.lease_seconds\":7200}",
    "this is not JSON",
    "{\"weird\":1}",
    "[1,2,3]",
    /* heartbeat with a constant id and no context, twice */
    "{\"timestamp\":\"2026-01-01T00:00:01Z\",\"id\":\"JS SANDBOX\",\"event\":{\"hub.topic\":\"t\",\"hub.event\":\"heartbeat\"}}",
    "{\"timestamp\":\"2026-01-01T00:00:02Z\",\"id\":\"JS SANDBOX\",\"event\":{\"hub.topic\":\"t\",\"hub.event\":\"heartbeat\"}}",
    /* a duplicate id, and an out-of-order timestamp */
    "{\"timestamp\":\"2026-01-01T00:00:05Z\",\"id\":\"e1\",\"event\":{\"hub.topic\":\"t\",\"hub.event\":\"Home-open\",\"context\":[]}}",
    "{\"timestamp\":\"2026-01-01T00:00:05Z\",\"id\":\"e1\",\"event\":{\"hub.topic\":\"t\",\"hub.event\":\"Home-open\",\"context\":[]}}",
    "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"id\":\"e0\",\"event\":{\"hub.topic\":\"t\",\"hub.event\":\"Home-open\",\"context\":[]}}",
    /* an event without an id cannot be acked */
    "{\"timestamp\":\"2026-01-01T00:00:06Z\",\"event\":{\"hub.topic\":\"t\",\"hub.event\":\"Home-open\",\"context\":[]}}",
  };

  g_clear_object (&b->ws);
  b->ws = g_object_ref (ws);
  g_signal_connect (ws, "message", G_CALLBACK (bad_ack_cb), b);
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    soup_websocket_connection_send_text (ws, frames[i]);
}

static void
bad_http_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           data)
{
  Bad *b = data;

  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      g_autofree char *body = g_strdup_printf ("{\"hub.channel.endpoint\":\"%s\"}", b->url);
      char *ws = strstr (body, "http://");

      /* http://host/… → ws://host/ws */
      memcpy (ws, "ws:// ", 6);
      memmove (ws + 5, ws + 7, strlen (ws + 7) + 1);
      *strstr (body, "/hub") = '\0';
      {
        g_autofree char *full = g_strconcat (body, "/ws\"}", NULL);

        soup_server_message_set_status (msg, 202, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, full, strlen (full));
      }
      return;
    }
  /* GET {hub}/{topic}: a bare, empty context array */
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
}

/* Tolerate a sandbox-like hub: no topic/events in the confirmation, junk frames,
 * constant heartbeat ids, duplicate ids, a bare context array (interop.md; C-28, C-67) */
static void
test_misbehaving_hub (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  GSList *uris;
  Bad b = { 0 };
  Sub s = { 0 };
  guint frames = 0;
  JsonNode *context;

  b.server = soup_server_new (NULL, NULL);
  b.acks = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (b.server, "/hub", bad_http_cb, &b, NULL);
  soup_server_add_websocket_handler (b.server, "/ws", NULL, NULL, bad_ws_cb, &b, NULL);
  g_assert_true (soup_server_listen_local (b.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (b.server);
  b.url = g_strdup_printf ("http://127.0.0.1:%d/hub", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  client = fcm_hub_client_new (b.url, "t");
  g_signal_connect (client, "frame", G_CALLBACK (frame_cb), &s);
  s.client = client;
  fcm_hub_client_subscribe_async (client, NULL, subscribe_done_cb, &s);
  FCM_TEST_WAIT_UNTIL (s.done);
  g_assert_no_error (s.error);
  g_assert_cmpint (fcm_hub_client_get_state (client), ==, FCM_CLIENT_STATE_ACTIVE);
  g_assert_true (g_strv_contains (fcm_hub_client_get_granted_events (client), "SyncError"));
  g_assert_cmpuint (fcm_hub_client_get_lease_seconds (client), ==, 7200);
  context = fcm_hub_client_get_current_context (client);
  g_assert_nonnull (context);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (context));

  /* every copy acked, junk and the id-less event not */
  FCM_TEST_WAIT_UNTIL (b.acks->len >= 5);
  run_for (100);
  frames = s.n_frames;
  g_assert_cmpuint (frames, ==, 10);
  g_assert_cmpuint (b.acks->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (b.acks, 0), ==, "JS SANDBOX 200");
  g_assert_cmpstr (g_ptr_array_index (b.acks, 1), ==, "JS SANDBOX 200");
  g_assert_cmpstr (g_ptr_array_index (b.acks, 2), ==, "e1 200");
  g_assert_cmpstr (g_ptr_array_index (b.acks, 3), ==, "e1 200");
  g_assert_cmpstr (g_ptr_array_index (b.acks, 4), ==, "e0 200");
  g_assert_cmpint (fcm_hub_client_get_state (client), ==, FCM_CLIENT_STATE_ACTIVE);

  g_signal_handlers_disconnect_by_data (client, &s);
  g_clear_object (&client);
  if (b.ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (b.ws, &b);
      FCM_TEST_WAIT_UNTIL (soup_websocket_connection_get_state (b.ws) == SOUP_WEBSOCKET_STATE_CLOSED);
      g_clear_object (&b.ws);
    }
  soup_server_disconnect (b.server);
  g_object_unref (b.server);
  g_ptr_array_unref (b.acks);
  g_free (b.url);
}

/* ------------------------------------------------------------------ Medplum-like scripted hub */

typedef struct
{
  SoupServer *server;
  char *ws_url;
  SoupWebsocketConnection *ws;
  guint n_subscribes;
  guint n_acks;
  guint n_heartbeats;
  gboolean beating;
  guint beat_id;
} Med;

static void
med_ack_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            Med                     *m)
{
  m->n_acks++;               /* read and ignored, like Medplum */
}

static gboolean
med_beat_cb (gpointer data)
{
  Med *m = data;
  g_autofree char *id = NULL;
  g_autofree char *frame = NULL;

  if (!m->beating || m->ws == NULL ||
      soup_websocket_connection_get_state (m->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return G_SOURCE_CONTINUE;
  id = g_uuid_string_random ();
  frame = g_strdup_printf ("{\"timestamp\":\"2026-01-01T00:00:00Z\",\"id\":\"%s\",\"event\":"
                           "{\"hub.topic\":\"t\",\"hub.event\":\"heartbeat\","
                           "\"context\":[{\"key\":\"period\",\"decimal\":0.2}]}}", id);
  soup_websocket_connection_send_text (m->ws, frame);
  m->n_heartbeats++;
  return G_SOURCE_CONTINUE;
}

static void
med_ws_cb (SoupServer              *server,
           SoupServerMessage       *msg,
           const char              *path,
           SoupWebsocketConnection *ws,
           gpointer                 data)
{
  Med *m = data;

  if (m->ws != NULL)
    g_signal_handlers_disconnect_by_data (m->ws, m);
  g_clear_object (&m->ws);
  m->ws = g_object_ref (ws);
  g_signal_connect (ws, "message", G_CALLBACK (med_ack_cb), m);
  /* the lease is fixed at 3600 s whatever was asked */
  soup_websocket_connection_send_text (ws, "{\"hub.mode\":\"subscribe\",\"hub.topic\":\"t\","
                                       "\"hub.events\":\"DiagnosticReport-open\","
                                       "\"hub.lease_seconds\":3600}");
}

static void
med_http_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           data)
{
  Med *m = data;

  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      SoupMessageBody *req = soup_server_message_get_request_body (msg);
      g_autofree char *form = g_strndup (req->data, req->length);
      g_autofree char *body = g_strdup_printf ("{\"hub.channel.endpoint\":\"%s\"}", m->ws_url);

      if (strstr (form, "hub.mode=subscribe") != NULL)
        m->n_subscribes++;
      soup_server_message_set_status (msg, 202, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"context.type\":\"\",\"context\":[]}", 33);
}

/* Medplum's hub (interop.md, C-69): heartbeats with a context period, acks ignored, lease
 * fixed at 3600 s. The client stays active, acks heartbeats without counting them as events,
 * renews at ~80 % of the granted lease (not the asked one), and its liveness watchdog follows
 * the announced period. */
static void
test_medplum_hub (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  Med m = { 0 };
  Sub s = { 0 };
  guint acks;

  m.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (m.server, "/hub", med_http_cb, &m, NULL);
  soup_server_add_websocket_handler (m.server, "/ws", NULL, NULL, med_ws_cb, &m, NULL);
  g_assert_true (soup_server_listen_local (m.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (m.server);
  url = g_strdup_printf ("http://127.0.0.1:%d/hub", g_uri_get_port (uris->data));
  m.ws_url = g_strdup_printf ("ws://127.0.0.1:%d/ws", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  m.beating = TRUE;
  m.beat_id = g_timeout_add (200, med_beat_cb, &m);

  client = fcm_hub_client_new (url, "t");
  fcm_hub_client_set_reconnect_delay (client, 20, 200);
  /* ask for 1 s: renewing at 80 % of what we asked would show up as a second subscribe */
  fcm_hub_client_set_lease_seconds (client, 1);
  s.client = client;
  s.events = g_ptr_array_new_with_free_func (g_object_unref);
  s.acks = g_ptr_array_new_with_free_func (g_free);
  s.states = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (client, "event", G_CALLBACK (event_cb), &s);
  g_signal_connect (client, "ack-sent", G_CALLBACK (ack_cb), &s);
  g_signal_connect (client, "notify::state", G_CALLBACK (state_cb), &s);
  fcm_hub_client_subscribe_async (client, NULL, subscribe_done_cb, &s);
  FCM_TEST_WAIT_UNTIL (s.done);
  g_assert_no_error (s.error);
  g_assert_cmpint (fcm_hub_client_get_state (client), ==, FCM_CLIENT_STATE_ACTIVE);
  g_assert_cmpuint (fcm_hub_client_get_lease_seconds (client), ==, 3600);

  /* 1.5 s of heartbeats: longer than the watchdog (0.6 s) and than 80 % of the asked lease */
  run_for (1500);
  g_assert_cmpuint (m.n_heartbeats, >=, 5);
  g_assert_cmpuint (s.acks->len, >=, 5);
  g_assert_cmpuint (m.n_acks, >=, 5);
  g_assert_cmpuint (s.events->len, ==, 0);
  g_assert_cmpuint (m.n_subscribes, ==, 1);
  g_assert_false (sub_has_state (&s, "reconnecting"));
  g_assert_false (sub_has_state (&s, "renewing"));
  g_assert_cmpint (fcm_hub_client_get_state (client), ==, FCM_CLIENT_STATE_ACTIVE);

  /* the heartbeats stop while the socket stays open: sync lost, resubscribe */
  m.beating = FALSE;
  acks = s.acks->len;
  FCM_TEST_WAIT_UNTIL (sub_has_state (&s, "reconnecting"));
  FCM_TEST_WAIT_UNTIL (m.n_subscribes == 2 &&
                       fcm_hub_client_get_state (client) == FCM_CLIENT_STATE_ACTIVE);
  g_assert_cmpuint (s.acks->len, ==, acks);

  g_signal_handlers_disconnect_by_data (client, &s);
  g_clear_object (&client);
  g_source_remove (m.beat_id);
  if (m.ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (m.ws, &m);
      FCM_TEST_WAIT_UNTIL (soup_websocket_connection_get_state (m.ws) == SOUP_WEBSOCKET_STATE_CLOSED);
      g_clear_object (&m.ws);
    }
  soup_server_disconnect (m.server);
  g_object_unref (m.server);
  g_ptr_array_unref (s.events);
  g_ptr_array_unref (s.acks);
  g_ptr_array_unref (s.states);
  g_free (m.ws_url);
}

/* ------------------------------------------------------------------ TLS */

#define TLS_BURST 40

static void
tls_event_cb (GPtrArray *seen,
              FcmEvent  *event)
{
  g_ptr_array_add (seen, g_strdup (fcm_event_get_id (event)));
}

/* wss/https verified by default; --ca-file trusts a private CA; clear error otherwise (toolchain §6) */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(FcmHub) hub = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *key = NULL;
  g_autofree char *topic = g_uuid_string_random ();
  g_autofree char *missing = NULL;
  Sub trusted = { 0 }, untrusted = { 0 };
  Cli c = { 0 };

  if (!(cert = fcm_test_make_certificate ("fcm-client-tls", &dir, &pem, &key)))
    return;
  missing = g_build_filename (dir, "missing.pem", NULL);

  hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, cert, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fcm_hub_get_url (hub), "https://"));

  trusted.client = fcm_hub_client_new (fcm_hub_get_url (hub), topic);
  g_assert_false (fcm_hub_client_set_ca_file (trusted.client, missing, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (fcm_hub_client_set_ca_file (trusted.client, pem, &error));
  g_assert_no_error (error);
  fcm_hub_client_subscribe_async (trusted.client, NULL, subscribe_done_cb, &trusted);
  FCM_TEST_WAIT_UNTIL (trusted.done);
  g_assert_no_error (trusted.error);
  g_assert_true (g_str_has_prefix (fcm_hub_client_get_endpoint (trusted.client), "wss://"));
  g_assert_cmpint (fcm_hub_client_get_state (trusted.client), ==, FCM_CLIENT_STATE_ACTIVE);

  /* a burst of events over wss, every one read and in order: the TLS
   * stream is read 64 KiB at a time beneath libsoup (fcm-read-ahead-stream.c) */
  {
    Publish p[TLS_BURST] = { { 0, } };
    GPtrArray *seen = g_ptr_array_new_with_free_func (g_free);
    gulong handler = g_signal_connect_swapped (trusted.client, "event", G_CALLBACK (tls_event_cb), seen);
    gboolean all_done = FALSE;

    for (guint i = 0; i < TLS_BURST; i++)
      {
        g_autofree char *report = g_strdup_printf ("rpt-tls-%02u", i);
        g_autofree char *id = g_strdup_printf ("tls-%02u", i);
        g_autoptr(JsonArray) ctx = fcm_context_build_open (report, "pat-tls", "st-tls", "ACC-tls", "MRN-tls");
        g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, topic, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                                                   ctx, NULL, NULL);

        fcm_hub_client_publish_async (trusted.client, event, NULL, publish_done_cb, &p[i]);
      }
    while (!all_done)
      {
        g_main_context_iteration (NULL, TRUE);
        all_done = TRUE;
        for (guint i = 0; i < TLS_BURST; i++)
          all_done = all_done && p[i].done;
      }
    FCM_TEST_WAIT_UNTIL (seen->len == TLS_BURST);
    for (guint i = 0; i < TLS_BURST; i++)
      {
        g_autofree char *id = g_strdup_printf ("tls-%02u", i);

        g_assert_no_error (p[i].error);
        g_assert_cmpuint (p[i].status, ==, 200);
        g_free (p[i].id);
        g_free (p[i].reason);
      }
    /* the hub delivers in the order it accepted them: every id once */
    for (guint i = 0; i < TLS_BURST; i++)
      for (guint j = i + 1; j < TLS_BURST; j++)
        g_assert_cmpstr (seen->pdata[i], !=, seen->pdata[j]);
    g_signal_handler_disconnect (trusted.client, handler);
    g_ptr_array_unref (seen);
  }

  untrusted.client = fcm_hub_client_new (fcm_hub_get_url (hub), topic);
  fcm_hub_client_subscribe_async (untrusted.client, NULL, subscribe_done_cb, &untrusted);
  FCM_TEST_WAIT_UNTIL (untrusted.done);
  g_assert_error (untrusted.error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_nonnull (strstr (untrusted.error->message, "not trusted"));
  g_assert_cmpint (fcm_hub_client_get_state (untrusted.client), ==, FCM_CLIENT_STATE_ERROR);

  /* the CLI: --ca-file */
  {
    const char *ok_args[] = { "context", "--hub", fcm_hub_get_url (hub), "--topic", topic,
                              "--ca-file", pem, NULL };
    const char *bad_args[] = { "context", "--hub", fcm_hub_get_url (hub), "--topic", topic, NULL };

    g_assert_cmpint (cli_run (&c, ok_args), ==, 0);
    g_assert_nonnull (strstr (c.out, "context.type"));
    cli_clear (&c);
    g_assert_cmpint (cli_run (&c, bad_args), ==, 1);
    g_assert_nonnull (strstr (c.err, "not trusted"));
    cli_clear (&c);
  }

  g_clear_error (&untrusted.error);
  g_clear_object (&untrusted.client);
  g_clear_object (&trusted.client);
  fcm_hub_shutdown (hub);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (g_unlink (pem), ==, 0);
  g_assert_cmpint (g_unlink (key), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/client/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("legacy", test_legacy);
  g_test_add_func ("/fcm/client/misbehaving-hub", test_misbehaving_hub);
  g_test_add_func ("/fcm/client/medplum-hub", test_medplum_hub);
  g_test_add_func ("/fcm/client/tls", test_tls);

  return g_test_run ();
}
