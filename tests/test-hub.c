/* test-hub.c: the reference hub over real loopback sockets
 *
 * Every test starts its own FcmHub on 127.0.0.1 port 0 and talks to it
 * with SoupSession (HTTP and WebSocket). Rule ids refer to the spec
 * digest, §2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fcm-fhircast.h"
#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

#define TOPIC "7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37"
#define ALL_EVENTS "DiagnosticReport-open,DiagnosticReport-close,DiagnosticReport-update," \
                   "DiagnosticReport-select,syncerror,x-custom-marker"

typedef enum
{
  ACK_NONE,
  ACK_NUMBER,
  ACK_STRING,
  ACK_NO_STATUS,
  ACK_SPACED,     /* { "status" : N , "id" : "…" } */
  ACK_ESCAPED,    /* {"id":"…\u002d…","status":N}: '-' escaped */
  ACK_TEMPLATE,   /* ack_template with @ID@ replaced */
} AckMode;

typedef struct
{
  SoupWebsocketConnection *ws;
  GPtrArray               *frames;   /* JsonNode */
  char                    *endpoint;
  const char              *ack_template;
  char                    *auth;     /* Authorization of the upgrade (tokens bind endpoints) */
  GError                  *error;
  gboolean                 connect_done;
  AckMode                  ack_mode;
  guint                    ack_status;
  gboolean                 no_ack_syncerror;
  gboolean                 legacy;    /* 2019 prototype replies: no id */
} Client;

typedef struct
{
  FcmHub      *hub;
  SoupSession *session;
  const char  *url;
  guint        n_syncerror_signals;
  GOutputStream *audit;
} Fixture;

/* ------------------------------------------------------------------------ */

static void
syncerror_signal_cb (FcmHub     *hub,
                     const char *topic,
                     const char *diagnostics,
                     Fixture    *f)
{
  f->n_syncerror_signals++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = fcm_hub_new ();
  fcm_hub_set_ack_timeout (f->hub, 5.0);
  g_signal_connect (f->hub, "syncerror", G_CALLBACK (syncerror_signal_cb), f);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->url = fcm_hub_get_url (f->hub);
  g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (f->url, "/fhircast"));
  f->session = soup_session_new_with_options ("max-conns", 128, "max-conns-per-host", 64, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_clear_object (&f->session);
  g_clear_object (&f->audit);
  /* let pending close handshakes run */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
client_free (Client *c)
{
  if (c->ws != NULL && soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&c->ws);
  g_ptr_array_unref (c->frames);
  g_free (c->endpoint);
  g_free (c->auth);
  g_clear_error (&c->error);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static Client *
client_new (void)
{
  Client *c = g_new0 (Client, 1);

  c->frames = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  c->ack_mode = ACK_NUMBER;
  c->ack_status = 200;
  return c;
}

/* ------------------------------------------------------------------------ */
/* HTTP                                                                     */

static guint
http_full (Fixture     *f,
           const char  *method,
           const char  *url,
           const char  *content_type,
           const char  *body,
           gsize        body_length,
           const char  *auth,
           char       **out_body)
{
  return fcm_test_http (f->session, method, url, content_type, body, body != NULL ? (gssize) body_length : -1,
                        auth, out_body);
}

static guint
http (Fixture     *f,
      const char  *method,
      const char  *url,
      const char  *content_type,
      const char  *body,
      char       **out_body)
{
  return http_full (f, method, url, content_type, body, body ? strlen (body) : 0, NULL, out_body);
}

static guint
post_json (Fixture    *f,
           const char *text)
{
  return http (f, "POST", f->url, "application/json", text, NULL);
}

/* Posts a form built from NULL-terminated key/value pairs. */
static guint
post_form (Fixture     *f,
           char       **out_body,
           const char  *first_key,
           ...)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  const char *key;
  va_list ap;

  va_start (ap, first_key);
  for (key = first_key; key != NULL; key = va_arg (ap, const char *))
    g_hash_table_insert (form, (gpointer)key, va_arg (ap, char *));
  va_end (ap);

  encoded = soup_form_encode_hash (form);
  return http (f, "POST", f->url, "application/x-www-form-urlencoded", encoded, out_body);
}

static char *
endpoint_from_body (const char *body)
{
  g_autoptr(JsonNode) root = fcm_json_parse (body, -1, NULL);
  const char *endpoint;

  g_assert_nonnull (root);
  endpoint = fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint");
  g_assert_nonnull (endpoint);
  return g_strdup (endpoint);
}

/* ------------------------------------------------------------------------ */
/* WebSocket client                                                         */

static const char *
frame_event_name (JsonNode *frame)
{
  return fcm_json_get_string (fcm_json_get_object (json_node_get_object (frame), "event"), "hub.event");
}

static const char *
frame_get (JsonNode   *frame,
           const char *member)
{
  return fcm_json_get_string (json_node_get_object (frame), member);
}

static const char *
frame_event_get (JsonNode   *frame,
                 const char *member)
{
  return fcm_json_get_string (fcm_json_get_object (json_node_get_object (frame), "event"), member);
}

static void
client_message_cb (SoupWebsocketConnection *ws,
                   SoupWebsocketDataType    type,
                   GBytes                  *message,
                   Client                  *c)
{
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  g_autoptr(GError) error = NULL;
  JsonNode *root = fcm_json_parse (data, size, &error);
  JsonObject *obj;
  const char *id;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_ptr_array_add (c->frames, root);

  obj = json_node_get_object (root);
  if (c->legacy && json_object_has_member (obj, "body") && c->ack_mode != ACK_NONE)
    {
      g_autofree char *reply = g_strdup_printf ("{\"timestamp\":\"2019-08-02T14:06:41.10\",\"status\":\"%s\","
                                                "\"statusCode\":\"%u\"}",
                                                c->ack_status == 200 ? "OK" : "Conflict", c->ack_status);

      soup_websocket_connection_send_text (ws, reply);
      return;
    }
  id = fcm_json_get_string (obj, "id");
  if (id == NULL || !json_object_has_member (obj, "event") || c->ack_mode == ACK_NONE)
    return;
  if (c->no_ack_syncerror && fcm_event_name_equal (frame_event_name (root), "syncerror"))
    return;

  {
    g_autofree char *ack = NULL;

    switch (c->ack_mode)
      {
      case ACK_NUMBER:
        ack = g_strdup_printf ("{\"id\":\"%s\",\"status\":%u}", id, c->ack_status);
        break;
      case ACK_STRING:
        ack = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"%u\"}", id, c->ack_status);
        break;
      case ACK_NO_STATUS:
        ack = g_strdup_printf ("{\"id\":\"%s\",\"timestamp\":\"2025-03-14T09:26:54Z\"}", id);
        break;
      case ACK_SPACED:
        ack = g_strdup_printf ("{ \"status\" : %u ,\n \"id\" : \"%s\" }", c->ack_status, id);
        break;
      case ACK_ESCAPED:
        {
          g_autoptr(GString) escaped = g_string_new (id);

          g_assert_nonnull (strchr (id, '-'));
          g_string_replace (escaped, "-", "\\u002d", 0);
          ack = g_strdup_printf ("{\"id\":\"%s\",\"status\":%u}", escaped->str, c->ack_status);
        }
        break;
      case ACK_TEMPLATE:
        {
          g_autoptr(GString) text = g_string_new (c->ack_template);

          g_string_replace (text, "@ID@", id, 0);
          ack = g_string_free (g_steal_pointer (&text), FALSE);
        }
        break;
      case ACK_NONE:
      default:
        g_assert_not_reached ();
      }
    soup_websocket_connection_send_text (ws, ack);
  }
}

static void
client_connect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Client *c = data;

  c->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &c->error);
  if (c->ws != NULL)
    g_signal_connect (c->ws, "message", G_CALLBACK (client_message_cb), c);
  c->connect_done = TRUE;
}

static gboolean
client_connect (Fixture    *f,
                Client     *c,
                const char *endpoint)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", endpoint);

  g_assert_nonnull (msg);
  if (c->auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", c->auth);
  c->connect_done = FALSE;
  g_clear_error (&c->error);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        client_connect_cb, c);
  FCM_TEST_WAIT_UNTIL (c->connect_done);
  return c->ws != NULL;
}

static gboolean
client_is_closed (Client *c)
{
  return c->ws != NULL && soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_CLOSED;
}

static guint
client_count (Client     *c,
              const char *event_name)
{
  guint n = 0;

  for (guint i = 0; i < c->frames->len; i++)
    {
      const char *name = frame_event_name (g_ptr_array_index (c->frames, i));

      if (name != NULL && fcm_event_name_equal (name, event_name))
        n++;
    }
  return n;
}

static JsonNode *
client_last (Client     *c,
             const char *event_name)
{
  for (guint i = c->frames->len; i > 0; i--)
    {
      JsonNode *frame = g_ptr_array_index (c->frames, i - 1);
      const char *name = frame_event_name (frame);

      if (name != NULL && fcm_event_name_equal (name, event_name))
        return frame;
    }
  return NULL;
}

static JsonNode *
client_find_mode (Client     *c,
                  const char *mode)
{
  for (guint i = 0; i < c->frames->len; i++)
    {
      JsonNode *frame = g_ptr_array_index (c->frames, i);

      if (g_strcmp0 (frame_get (frame, "hub.mode"), mode) == 0)
        return frame;
    }
  return NULL;
}

/* Subscribes and connects; waits for the confirmation frame. */
static Client *
subscribe (Fixture    *f,
           const char *name,
           const char *events)
{
  Client *c = client_new ();
  g_autofree char *body = NULL;
  guint status;

  if (name != NULL)
    status = post_form (f, &body, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                        "hub.topic", TOPIC, "hub.events", events, "subscriber.name", name, NULL);
  else
    status = post_form (f, &body, "hub.channel.type", "websocket", "hub.mode", "subscribe",
                        "hub.topic", TOPIC, "hub.events", events, NULL);
  g_assert_cmpuint (status, ==, 202);
  c->endpoint = endpoint_from_body (body);
  g_assert_true (client_connect (f, c, c->endpoint));
  FCM_TEST_WAIT_UNTIL (client_find_mode (c, "subscribe") != NULL);
  return c;
}

/* A custom event every test subscriber gets: used as a barrier to prove
 * that something did *not* arrive before it. */
static void
send_marker (Fixture    *f,
             Client    **clients,
             guint       n_clients)
{
  static guint counter;
  g_autofree char *text = NULL;
  g_autofree char *id = g_strdup_printf ("marker-%u", ++counter);

  text = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"%s\",\"event\":"
                          "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"x-custom-marker\",\"context\":[]}}",
                          id);
  g_assert_cmpuint (post_json (f, text), ==, 200);
  for (guint i = 0; i < n_clients; i++)
    {
      Client *c = clients[i];

      FCM_TEST_WAIT_UNTIL (client_last (c, "x-custom-marker") != NULL &&
                           g_strcmp0 (frame_get (client_last (c, "x-custom-marker"), "id"), id) == 0);
    }
}

/* ------------------------------------------------------------------------ */
/* messages                                                                 */

/* A DiagnosticReport-open that satisfies IRA's profiles: the spec vector
 * with its ids replaced; @patient or @study NULL drops that context item. */
static char *
open_event (const char *id,
            const char *report,
            const char *patient,
            const char *study)
{
  g_autofree char *vector = fcm_test_load_text ("data", "vectors", "diagnosticreport-open.json", NULL);
  GString *text = g_string_new (vector);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *event;
  JsonArray *context;

  g_string_replace (text, "e1a7c3f0-52b8-4d19-8e6a-0f3b9d2c7a45", id, 0);
  g_string_replace (text, "rpt-9a41c7d2", report, 0);
  g_string_replace (text, "pat-5f2c8e1a", patient != NULL ? patient : "pat-none", 0);
  g_string_replace (text, "st-0b8d44f3", study != NULL ? study : "st-none", 0);
  root = fcm_json_parse (text->str, text->len, NULL);
  g_string_free (text, TRUE);
  g_assert_nonnull (root);

  event = fcm_json_get_object (json_node_get_object (root), "event");
  g_assert_cmpstr (fcm_json_get_string (event, "hub.topic"), ==, TOPIC);
  context = fcm_json_get_array (event, "context");
  for (guint i = json_array_get_length (context); i > 0; i--)
    {
      const char *key = fcm_json_get_string (fcm_json_array_get_object (context, i - 1), "key");

      if ((patient == NULL && g_strcmp0 (key, "patient") == 0) ||
          (study == NULL && g_strcmp0 (key, "study") == 0))
        json_array_remove_element (context, i - 1);
    }
  return fcm_json_to_string (root, FALSE);
}

static char *
simple_event (const char *id,
              const char *name,
              const char *report)
{
  return g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"%s\",\"event\":"
                          "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"%s\",\"context\":["
                          "{\"key\":\"report\",\"resource\":{\"resourceType\":\"DiagnosticReport\",\"id\":\"%s\"}},"
                          "{\"key\":\"patient\",\"reference\":{\"reference\":\"Patient/pat-1\"}}]}}",
                          id, name, report);
}

static char *
select_event (const char *id,
              const char *report,
              const char *reference)
{
  return g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"%s\",\"event\":"
                          "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-select\",\"context\":["
                          "{\"key\":\"report\",\"reference\":{\"reference\":\"DiagnosticReport/%s\"}},"
                          "{\"key\":\"select\",\"reference\":{\"reference\":\"%s\"}}]}}",
                          id, report, reference);
}

static char *
update_event (const char *id,
              const char *report,
              const char *version,
              const char *entries)
{
  return g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:31:00Z\",\"id\":\"%s\",\"event\":"
                          "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-update\","
                          "\"context.versionId\":\"%s\",\"context\":["
                          "{\"key\":\"report\",\"reference\":{\"reference\":\"DiagnosticReport/%s\"}},"
                          "{\"key\":\"updates\",\"resource\":{\"resourceType\":\"Bundle\",\"id\":\"bdl-1\","
                          "\"type\":\"transaction\",\"entry\":[%s]}}]}}",
                          id, version, report, entries);
}

#define OBS_PUT(obs) \
  "{\"fullUrl\":\"Observation/" obs "\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"" obs "\"," \
  "\"status\":\"preliminary\"},\"request\":{\"method\":\"PUT\",\"url\":\"Observation/" obs "\"}}"

static JsonNode *
get_current (Fixture *f)
{
  g_autofree char *url = g_strconcat (f->url, "/", TOPIC, NULL);
  g_autofree char *body = NULL;
  JsonNode *root;

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, &body), ==, 200);
  root = fcm_json_parse (body, -1, NULL);
  g_assert_nonnull (root);
  return root;
}

/* Opens rpt-1 and returns the broadcast versionId. */
static char *
open_report (Fixture    *f,
             Client     *c,
             const char *id,
             const char *report)
{
  g_autofree char *text = open_event (id, report, "pat-1", "st-1");
  guint before = client_count (c, "DiagnosticReport-open");

  g_assert_cmpuint (post_json (f, text), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (c, "DiagnosticReport-open") == before + 1);
  return g_strdup (frame_event_get (client_last (c, "DiagnosticReport-open"), "context.versionId"));
}

/* ------------------------------------------------------------------------ */
/* tests                                                                    */

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

/* H-18, H-23, both URLs and content types */
static void
test_broadcast (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", "DIAGNOSTICREPORT-OPEN,syncerror,x-custom-marker");
  g_autoptr(Client) n = subscribe (f, "Not interested", "syncerror,x-custom-marker");
  g_autofree char *text = open_event ("ev-open-1", "rpt-1", "pat-1", "st-1");
  g_autofree char *text2 = open_event ("ev-open-2", "rpt-2", "pat-1", "st-1");
  g_autofree char *topic_url = g_strconcat (f->url, "/", TOPIC, NULL);
  g_autofree char *wrong_url = g_strconcat (f->url, "/another-topic", NULL);
  JsonNode *fa, *fb;

  g_assert_cmpuint (post_json (f, text), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-open") == 1 &&
                       client_count (b, "DiagnosticReport-open") == 1);
  fa = client_last (a, "DiagnosticReport-open");
  fb = client_last (b, "DiagnosticReport-open");
  g_assert_cmpstr (frame_get (fa, "id"), ==, "ev-open-1");
  g_assert_cmpstr (frame_get (fb, "id"), ==, "ev-open-1");
  g_assert_nonnull (frame_event_get (fa, "context.versionId"));
  g_assert_cmpstr (frame_event_get (fa, "context.versionId"), ==, frame_event_get (fb, "context.versionId"));

  /* hub.url/{topic} with application/fhir+json */
  g_assert_cmpuint (http (f, "POST", topic_url, "application/fhir+json", text2, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (b, "DiagnosticReport-open") == 2);
  g_assert_cmpstr (frame_event_get (client_last (b, "DiagnosticReport-open"), "context.versionId"), !=,
                   frame_event_get (fb, "context.versionId"));
  g_assert_cmpuint (http (f, "POST", wrong_url, "application/json", text2, NULL), ==, 400);
  g_assert_cmpuint (http (f, "POST", f->url, "text/plain", text2, NULL), ==, 415);

  send_marker (f, (Client *[]) { n }, 1);
  g_assert_cmpuint (client_count (n, "DiagnosticReport-open"), ==, 0);
}

/* H-15 */
static void
test_bad_requests (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *no_study = open_event ("ev-1", "rpt-1", "pat-1", NULL);
  g_autofree char *no_patient = open_event ("ev-2", "rpt-1", NULL, "st-1");
  g_autofree char *body = NULL;
  const char *no_id = "{\"timestamp\":\"2025-03-14T09:26:53Z\",\"event\":{\"hub.topic\":\"" TOPIC "\","
                      "\"hub.event\":\"x-custom-marker\",\"context\":[]}}";
  const char *unknown_topic = "{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"x\",\"event\":"
                              "{\"hub.topic\":\"nope\",\"hub.event\":\"x-custom-marker\",\"context\":[]}}";
  const char *bad_syncerror = "{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"y\",\"event\":"
                              "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"syncerror\",\"context\":[]}}";

  g_assert_cmpuint (http (f, "POST", f->url, "application/json", "{\"id\":", &body), ==, 400);
  g_assert_cmpstr (body, !=, "");
  g_assert_cmpuint (post_json (f, "[1,2]"), ==, 400);
  g_assert_cmpuint (post_json (f, no_id), ==, 400);
  g_assert_cmpuint (post_json (f, unknown_topic), ==, 400);
  g_assert_cmpuint (post_json (f, bad_syncerror), ==, 400);
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http (f, "POST", f->url, "application/json", no_study, &body), ==, 400);
  g_assert_nonnull (strstr (body, "study"));
  g_assert_cmpuint (post_json (f, no_patient), ==, 400);

  /* issue 14.2: a valid event followed by more JSON is refused, with where
   * (json-glib parsed the first value and kept the rest in memory) */
  {
    g_autofree char *valid = open_event ("ev-3", "rpt-3", "pat-1", "st-1");
    g_autofree char *then_more = g_strconcat (valid, "{\"id\":5}", NULL);
    g_autofree char *one_then_array = g_strconcat ("1[", valid, ",", valid, "]", NULL);

    g_clear_pointer (&body, g_free);
    g_assert_cmpuint (http (f, "POST", f->url, "application/json", then_more, &body), ==, 400);
    g_assert_nonnull (strstr (body, "a message is exactly one JSON value"));
    g_clear_pointer (&body, g_free);
    g_assert_cmpuint (http (f, "POST", f->url, "application/json", one_then_array, &body), ==, 400);
    g_assert_nonnull (strstr (body, "after the end of the JSON value at line 1, column 2"));
  }

  /* validator errors: "RULE: message" as the reason */
  {
    const char *minimal =
      "{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"ev-min\",\"event\":{\"hub.topic\":\"" TOPIC "\","
      "\"hub.event\":\"DiagnosticReport-open\",\"context\":["
      "{\"key\":\"report\",\"resource\":{\"resourceType\":\"DiagnosticReport\",\"id\":\"r\"}},"
      "{\"key\":\"patient\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p\"}},"
      "{\"key\":\"study\",\"resource\":{\"resourceType\":\"ImagingStudy\",\"id\":\"s\"}}]}}";

    g_clear_pointer (&body, g_free);
    g_assert_cmpuint (http (f, "POST", f->url, "application/json", minimal, &body), ==, 400);
    g_assert_true (g_regex_match_simple ("^[CH]-[0-9]+: ", body, 0, 0));
    fcm_hub_set_validate (f->hub, FALSE);
    g_assert_cmpuint (post_json (f, minimal), ==, 200);
    FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-open") == 1);
    fcm_hub_set_validate (f->hub, TRUE);
  }

  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 1);
}

/* H-16 */
static void
test_not_open_409 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *close = simple_event ("ev-c", "DiagnosticReport-close", "rpt-x");
  g_autofree char *select = select_event ("ev-s", "rpt-x", "Observation/obs-1");
  g_autofree char *update = update_event ("ev-u", "rpt-x", "v1", OBS_PUT ("obs-1"));

  g_assert_cmpuint (post_json (f, close), ==, 409);
  g_assert_cmpuint (post_json (f, select), ==, 409);
  g_assert_cmpuint (post_json (f, update), ==, 409);
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-close"), ==, 0);
}

/* H-19 */
static void
test_duplicate_id (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *text = open_event ("ev-dup", "rpt-1", "pat-1", "st-1");

  g_assert_cmpuint (post_json (f, text), ==, 200);
  g_assert_cmpuint (post_json (f, text), ==, 200);
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 1);
}

/* H-19 with a bound: the hub remembers the newest processed_max ids of a
 * topic (4,096; 3 here), so a retry of a recent one is spotted and the table
 * no longer grows by every event */
static void
test_duplicate_id_window (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *first = open_event ("ev-w0", "rpt-1", "pat-1", "st-1");
  Topic *topic;

  f->hub->processed_max = 3;
  g_assert_cmpuint (post_json (f, first), ==, 200);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("ev-w%u", i);
      g_autofree char *text = open_event (id, "rpt-1", "pat-1", "st-1");

      g_assert_cmpuint (post_json (f, text), ==, 200);
      if (i == 5)
        /* the newest: a retry, broadcast once */
        g_assert_cmpuint (post_json (f, text), ==, 200);
    }
  topic = g_hash_table_lookup (f->hub->topics, TOPIC);
  g_assert_nonnull (topic);
  g_assert_cmpuint (g_hash_table_size (topic->processed), ==, 3);
  g_assert_cmpuint (topic->processed_order.length, ==, 3);
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 6);
  /* the oldest is forgotten: its id counts as new again */
  g_assert_cmpuint (post_json (f, first), ==, 200);
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 7);
}

/* H-20, H-29, H-30 */
static void
test_current_context (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *close = simple_event ("ev-c2", "DiagnosticReport-close", "rpt-2");
  g_autofree char *wrong_patient = open_event ("ev-wp", "rpt-1", "pat-other", "st-1");
  g_autofree char *url = g_strconcat (f->url, "/unknown-topic", NULL);
  g_autoptr(JsonNode) empty = get_current (f);
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) after_close = NULL;
  JsonObject *obj;
  JsonArray *context;
  JsonObject *content;

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 404);
  obj = json_node_get_object (empty);
  g_assert_cmpstr (fcm_json_get_string (obj, "context.type"), ==, "");
  g_assert_cmpuint (json_array_get_length (fcm_json_get_array (obj, "context")), ==, 0);

  v1 = open_report (f, a, "ev-o1", "rpt-1");
  v2 = open_report (f, a, "ev-o2", "rpt-2");
  g_assert_cmpstr (v1, !=, v2);

  second = get_current (f);
  obj = json_node_get_object (second);
  g_assert_cmpstr (fcm_json_get_string (obj, "context.type"), ==, "DiagnosticReport");
  g_assert_cmpstr (fcm_json_get_string (obj, "context.versionId"), ==, v2);
  context = fcm_json_get_array (obj, "context");
  g_assert_cmpuint (json_array_get_length (context), ==, 4);
  g_assert_cmpstr (fcm_json_get_string (fcm_json_get_object (fcm_json_array_get_object (context, 0), "resource"),
                                        "id"), ==, "rpt-2");
  content = fcm_json_get_object (fcm_json_array_get_object (context, 3), "resource");
  g_assert_cmpstr (fcm_json_get_string (fcm_json_array_get_object (context, 3), "key"), ==, "content");
  g_assert_cmpstr (fcm_json_get_string (content, "type"), ==, "collection");

  /* same report, different patient: refused, not resumed */
  g_assert_cmpuint (post_json (f, wrong_patient), ==, 400);

  /* close the current one: empty, no fallback to rpt-1 */
  g_assert_cmpuint (post_json (f, close), ==, 200);
  after_close = get_current (f);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (after_close), "context.type"), ==, "");

  /* rpt-1 is still open (suspended): select on it works, close on rpt-2 is 409 now */
  {
    g_autofree char *select = simple_event ("ev-s1", "DiagnosticReport-select", "rpt-1");
    g_autofree char *select_with = NULL;
    g_autofree char *close_again = simple_event ("ev-c3", "DiagnosticReport-close", "rpt-2");

    g_assert_cmpuint (post_json (f, select), ==, 400);   /* no "select" key */
    select_with = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"ev-s2\",\"event\":"
                                   "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-select\","
                                   "\"context\":[{\"key\":\"report\",\"reference\":{\"reference\":"
                                   "\"DiagnosticReport/rpt-1\"}},{\"key\":\"select\",\"reference\":"
                                   "{\"reference\":\"Patient/pat-1\"}}]}}");
    g_assert_cmpuint (post_json (f, select_with), ==, 200);
    g_assert_cmpuint (post_json (f, close_again), ==, 409);
  }
}

/* H-24, H-25, H-27 */
static void
test_update_and_select (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *v1 = open_report (f, a, "ev-o1", "rpt-1");
  g_autofree char *stale = update_event ("ev-u0", "rpt-1", "not-the-version", OBS_PUT ("obs-1"));
  g_autofree char *with_post = update_event ("ev-u1", "rpt-1", v1,
                                             OBS_PUT ("obs-9") ",{\"resource\":{\"resourceType\":\"Observation\","
                                             "\"id\":\"obs-2\"},\"request\":{\"method\":\"POST\","
                                             "\"url\":\"Observation\"}}");
  g_autofree char *delete_patient = update_event ("ev-u2", "rpt-1", v1,
                                                  "{\"fullUrl\":\"Patient/pat-1\",\"request\":"
                                                  "{\"method\":\"DELETE\",\"url\":\"Patient/pat-1\"}}");
  g_autofree char *good = update_event ("ev-u3", "rpt-1", v1, OBS_PUT ("obs-1"));
  g_autoptr(JsonNode) current = NULL;
  JsonArray *context;
  JsonObject *bundle;
  JsonNode *frame;
  const char *v2;

  g_assert_cmpuint (post_json (f, stale), ==, 400);
  g_assert_cmpuint (post_json (f, with_post), ==, 400);
  g_assert_cmpuint (post_json (f, delete_patient), ==, 400);

  /* nothing of the rejected bundles was applied */
  current = get_current (f);
  context = fcm_json_get_array (json_node_get_object (current), "context");
  bundle = fcm_json_get_object (fcm_json_array_get_object (context, json_array_get_length (context) - 1),
                                "resource");
  g_assert_cmpuint (json_array_get_length (fcm_json_get_array (bundle, "entry")), ==, 0);
  g_clear_pointer (&current, json_node_unref);

  g_assert_cmpuint (post_json (f, good), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-update") == 1);
  frame = client_last (a, "DiagnosticReport-update");
  g_assert_cmpstr (frame_get (frame, "id"), ==, "ev-u3");
  g_assert_cmpstr (frame_event_get (frame, "context.priorVersionId"), ==, v1);
  v2 = frame_event_get (frame, "context.versionId");
  g_assert_nonnull (v2);
  g_assert_cmpstr (v2, !=, v1);

  current = get_current (f);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (current), "context.versionId"), ==, v2);
  context = fcm_json_get_array (json_node_get_object (current), "context");
  bundle = fcm_json_get_object (fcm_json_array_get_object (context, json_array_get_length (context) - 1),
                                "resource");
  g_assert_cmpuint (json_array_get_length (fcm_json_get_array (bundle, "entry")), ==, 1);
  g_assert_null (fcm_json_get_object (fcm_json_array_get_object (fcm_json_get_array (bundle, "entry"), 0),
                                      "request"));

  /* the old version is stale now */
  {
    g_autofree char *again = update_event ("ev-u4", "rpt-1", v1, OBS_PUT ("obs-1"));
    g_autofree char *known = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"ev-s1\",\"event\":"
                                              "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-select\","
                                              "\"context\":[{\"key\":\"report\",\"reference\":{\"reference\":"
                                              "\"DiagnosticReport/rpt-1\"}},{\"key\":\"select\",\"reference\":"
                                              "{\"reference\":\"Observation/obs-1\"}}]}}");
    g_autofree char *unknown = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"ev-s2\",\"event\":"
                                                "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-select\","
                                                "\"context\":[{\"key\":\"report\",\"reference\":{\"reference\":"
                                                "\"DiagnosticReport/rpt-1\"}},{\"key\":\"select\",\"reference\":"
                                                "{\"reference\":\"Observation/obs-404\"}}]}}");

    g_assert_cmpuint (post_json (f, again), ==, 400);
    g_assert_cmpuint (post_json (f, known), ==, 200);
    g_assert_cmpuint (post_json (f, unknown), ==, 206);
    FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-select") == 2);
  }

  /* H-20 resume: re-opening rpt-1 after rpt-2 makes it current again, content kept */
  {
    g_autofree char *v3 = open_report (f, a, "ev-o2", "rpt-2");
    g_autofree char *v4 = open_report (f, a, "ev-o3", "rpt-1");
    g_autoptr(JsonNode) resumed = get_current (f);
    JsonArray *ctx = fcm_json_get_array (json_node_get_object (resumed), "context");
    JsonObject *content = fcm_json_get_object (fcm_json_array_get_object (ctx, json_array_get_length (ctx) - 1),
                                               "resource");

    g_assert_cmpstr (v4, !=, v3);
    g_assert_cmpstr (fcm_json_get_string (json_node_get_object (resumed), "context.versionId"), ==, v4);
    g_assert_cmpstr (fcm_json_get_string (fcm_json_get_object (fcm_json_array_get_object (ctx, 0), "resource"),
                                          "id"), ==, "rpt-1");
    g_assert_cmpuint (json_array_get_length (fcm_json_get_array (content, "entry")), ==, 1);
  }
}

static JsonArray *
syncerror_codings (JsonNode *frame)
{
  JsonArray *context = fcm_json_get_array (fcm_json_get_object (json_node_get_object (frame), "event"), "context");
  JsonObject *item = fcm_json_array_get_object (context, 0);
  JsonObject *oo = fcm_json_get_object (item, "resource");
  JsonObject *issue = fcm_json_array_get_object (fcm_json_get_array (oo, "issue"), 0);

  g_assert_cmpstr (fcm_json_get_string (item, "key"), ==, "operationoutcome");
  g_assert_cmpstr (fcm_json_get_string (issue, "severity"), ==, "warning");
  g_assert_cmpstr (fcm_json_get_string (issue, "code"), ==, "processing");
  g_assert_nonnull (fcm_json_get_string (issue, "diagnostics"));
  return fcm_json_get_array (fcm_json_get_object (issue, "details"), "coding");
}

static const char *
coding_code (JsonArray *coding,
             guint      index,
             const char *system_suffix)
{
  JsonObject *c = fcm_json_array_get_object (coding, index);

  g_assert_true (g_str_has_suffix (fcm_json_get_string (c, "system"), system_suffix));
  return fcm_json_get_string (c, "code");
}

/* H-32, H-33, H-36, H-20 (failing acks don't change the context) */
static void
test_ack_refused (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  g_autoptr(JsonNode) current = NULL;
  g_autofree char *version = NULL;
  JsonArray *coding;

  a->ack_mode = ACK_NUMBER;
  a->ack_status = 409;
  version = open_report (f, b, "ev-o1", "rpt-1");

  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, "ev-o1");
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "DiagnosticReport-open");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");
  g_assert_cmpuint (client_count (a, "syncerror"), ==, 0);

  current = get_current (f);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (current), "context.versionId"), ==, version);

  /* status as a string */
  a->ack_mode = ACK_STRING;
  a->ack_status = 500;
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 2);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "x-custom-marker");
}

/* The resource id of context item @key of a notification frame. */
static const char *
frame_context_id (JsonNode   *frame,
                  const char *key)
{
  JsonArray *context = fcm_json_get_array (fcm_json_get_object (json_node_get_object (frame), "event"),
                                           "context");

  for (guint i = 0; context != NULL && i < json_array_get_length (context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (context, i);

      if (g_strcmp0 (fcm_json_get_string (item, "key"), key) == 0)
        return fcm_json_get_string (fcm_json_get_object (item, "resource"), "id");
    }
  return NULL;
}

/* H-21: derived Patient-* / ImagingStudy-* events for subscribers with
 * narrower event sets, without duplicates */
static void
test_implied_events (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Viewer", "Patient-open,Patient-close,ImagingStudy-open,"
                                                "ImagingStudy-close,syncerror,x-custom-marker");
  g_autoptr(Client) b = subscribe (f, "Reporter", ALL_EVENTS);
  g_autoptr(Client) c = subscribe (f, "Both", "DiagnosticReport-open,Patient-open,x-custom-marker");
  g_autoptr(Client) d = subscribe (f, "Patients only", "Patient-open,x-custom-marker");
  g_autofree char *open1 = open_event ("ev-o1", "rpt-1", "pat-1", "st-1");
  g_autofree char *open2 = open_event ("ev-o2", "rpt-2", "pat-1", "st-2");
  g_autofree char *open3 = open_event ("ev-o3", "rpt-3", "pat-3", "st-3");
  g_autofree char *close2 = simple_event ("ev-c2", "DiagnosticReport-close", "rpt-2");
  g_autofree char *close1 = simple_event ("ev-c1", "DiagnosticReport-close", "rpt-1");
  Client *all[] = { a, b, c, d };
  JsonNode *frame;
  JsonNode *study_frame;

  g_assert_cmpuint (post_json (f, open1), ==, 200);
  send_marker (f, all, 4);
  /* the viewer gets both derived opens, each with its own hub id */
  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "ImagingStudy-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 0);
  frame = client_last (a, "Patient-open");
  study_frame = client_last (a, "ImagingStudy-open");
  g_assert_cmpstr (frame_context_id (frame, "patient"), ==, "pat-1");
  g_assert_null (frame_context_id (frame, "study"));
  g_assert_cmpstr (frame_context_id (study_frame, "study"), ==, "st-1");
  g_assert_cmpstr (frame_context_id (study_frame, "patient"), ==, "pat-1");
  g_assert_cmpstr (frame_event_get (frame, "hub.topic"), ==, TOPIC);
  g_assert_cmpstr (frame_get (frame, "id"), !=, "ev-o1");
  g_assert_cmpstr (frame_get (study_frame, "id"), !=, "ev-o1");
  g_assert_cmpstr (frame_get (frame, "id"), !=, frame_get (study_frame, "id"));
  g_assert_cmpstr (frame_get (frame, "timestamp"), ==,
                   frame_get (client_last (b, "DiagnosticReport-open"), "timestamp"));
  /* subscribers of the DiagnosticReport event get no derived ones */
  g_assert_cmpuint (client_count (b, "Patient-open") + client_count (c, "Patient-open"), ==, 0);
  g_assert_cmpuint (client_count (c, "DiagnosticReport-open"), ==, 1);
  g_assert_cmpuint (client_count (d, "Patient-open"), ==, 1);

  /* same patient, new study: no second Patient-open */
  g_assert_cmpuint (post_json (f, open2), ==, 200);
  send_marker (f, all, 4);
  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (d, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "ImagingStudy-open"), ==, 2);
  g_assert_cmpstr (frame_context_id (client_last (a, "ImagingStudy-open"), "study"), ==, "st-2");

  /* closing the current report closes its study and patient */
  g_assert_cmpuint (post_json (f, close2), ==, 200);
  send_marker (f, all, 4);
  g_assert_cmpuint (client_count (a, "ImagingStudy-close"), ==, 1);
  g_assert_cmpuint (client_count (a, "Patient-close"), ==, 1);
  g_assert_cmpstr (frame_context_id (client_last (a, "ImagingStudy-close"), "study"), ==, "st-2");
  g_assert_cmpstr (frame_context_id (client_last (a, "Patient-close"), "patient"), ==, "pat-1");
  g_assert_cmpuint (client_count (b, "Patient-close") + client_count (b, "ImagingStudy-close"), ==, 0);

  /* closing the suspended report: its study and patient are not current, nothing derived */
  g_assert_cmpuint (post_json (f, close1), ==, 200);
  send_marker (f, all, 4);
  g_assert_cmpuint (client_count (a, "ImagingStudy-close"), ==, 1);
  g_assert_cmpuint (client_count (a, "Patient-close"), ==, 1);

  /* another patient: a fresh Patient-open */
  g_assert_cmpuint (post_json (f, open3), ==, 200);
  send_marker (f, all, 4);
  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 2);
  g_assert_cmpuint (client_count (d, "Patient-open"), ==, 2);
  g_assert_cmpstr (frame_context_id (client_last (d, "Patient-open"), "patient"), ==, "pat-3");

  /* derived events are acked like any other: nothing went wrong */
  g_assert_cmpuint (client_count (a, "syncerror") + client_count (b, "syncerror"), ==, 0);
  g_assert_cmpuint (f->n_syncerror_signals, ==, 0);
}

/* H-12 with H-21: on connect, a subscriber of Patient-open / ImagingStudy-open
 * only gets the derived opens of the current report, with its timestamp */
static void
test_implied_replay (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Client) b = subscribe (f, "Reporter", ALL_EVENTS);
  g_autofree char *open1 = open_event ("ev-r1", "rpt-1", "pat-1", "st-1");
  g_autofree char *open2 = open_event ("ev-r2", "rpt-2", "pat-1", "st-2");
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) c = NULL;
  JsonNode *frame;

  g_assert_cmpuint (post_json (f, open1), ==, 200);

  a = subscribe (f, "Viewer", "Patient-open,ImagingStudy-open,x-custom-marker");
  c = subscribe (f, "Both", "DiagnosticReport-open,Patient-open,x-custom-marker");
  {
    Client *all[] = { a, b, c };

    send_marker (f, all, 3);
  }

  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "ImagingStudy-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 0);
  frame = client_last (a, "ImagingStudy-open");
  g_assert_cmpstr (frame_context_id (frame, "study"), ==, "st-1");
  g_assert_cmpstr (frame_get (frame, "timestamp"), ==,
                   frame_get (client_last (b, "DiagnosticReport-open"), "timestamp"));
  g_assert_cmpstr (frame_get (frame, "id"), !=, "ev-r1");
  /* a subscriber of the report's own -open gets the real replay, nothing derived */
  g_assert_cmpuint (client_count (c, "DiagnosticReport-open"), ==, 1);
  g_assert_cmpuint (client_count (c, "Patient-open"), ==, 0);

  /* the replayed patient counts as current: same patient, no second Patient-open */
  g_assert_cmpuint (post_json (f, open2), ==, 200);
  {
    Client *all[] = { a, b, c };

    send_marker (f, all, 3);
  }
  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "ImagingStudy-open"), ==, 2);
  g_assert_cmpuint (client_count (a, "syncerror") + client_count (b, "syncerror"), ==, 0);
}

/* H-21: a refused derived event produces the usual syncerror, naming it */
static void
test_implied_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Viewer", "Patient-open,x-custom-marker");
  g_autoptr(Client) b = subscribe (f, "Reporter", ALL_EVENTS);
  g_autofree char *open1 = open_event ("ev-o1", "rpt-1", "pat-1", "st-1");
  JsonArray *coding;

  a->ack_status = 409;
  g_assert_cmpuint (post_json (f, open1), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, frame_get (client_last (a, "Patient-open"), "id"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "Patient-open");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Viewer");
}

/* A DiagnosticReport-open whose context also has the report's encounter
 * (FC §3.6.1: `encounter`, 0..1). */
static char *
open_event_with_encounter (const char *id,
                           const char *report,
                           const char *patient,
                           const char *encounter)
{
  g_autofree char *text = open_event (id, report, patient, "st-1");
  g_autoptr(JsonNode) root = fcm_json_parse (text, -1, NULL);
  JsonArray *context = fcm_json_get_array (fcm_json_get_object (json_node_get_object (root), "event"), "context");
  JsonObject *item = json_object_new ();
  JsonObject *resource = json_object_new ();

  json_object_set_string_member (resource, "resourceType", "Encounter");
  json_object_set_string_member (resource, "id", encounter);
  json_object_set_string_member (resource, "status", "in-progress");
  json_object_set_object_member (item, "resource", resource);
  json_object_set_string_member (item, "key", "encounter");
  json_array_add_object_element (context, item);
  return fcm_json_to_string (root, FALSE);
}

/* H-21 for the report's encounter: a subscriber of Encounter-open/-close
 * (and not of DiagnosticReport-*) follows the encounter of the current
 * report, once per encounter; none is derived for a report without one. */
static void
test_implied_encounter (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Encounters", "Encounter-open,Encounter-close,x-custom-marker");
  g_autoptr(Client) b = subscribe (f, "Reporter", ALL_EVENTS);
  g_autofree char *open1 = open_event_with_encounter ("ev-e1", "rpt-1", "pat-1", "enc-1");
  g_autofree char *open2 = open_event_with_encounter ("ev-e2", "rpt-2", "pat-1", "enc-1");
  g_autofree char *open3 = open_event ("ev-e3", "rpt-3", "pat-3", "st-3");
  g_autofree char *close2 = simple_event ("ev-c2", "DiagnosticReport-close", "rpt-2");
  g_autofree char *close3 = simple_event ("ev-c3", "DiagnosticReport-close", "rpt-3");
  Client *all[] = { a, b };
  JsonNode *frame;

  g_assert_cmpuint (post_json (f, open1), ==, 200);
  send_marker (f, all, 2);
  g_assert_cmpuint (client_count (a, "Encounter-open"), ==, 1);
  frame = client_last (a, "Encounter-open");
  g_assert_cmpstr (frame_context_id (frame, "encounter"), ==, "enc-1");
  g_assert_cmpstr (frame_context_id (frame, "patient"), ==, "pat-1");
  g_assert_cmpstr (frame_get (frame, "id"), !=, "ev-e1");
  g_assert_cmpuint (client_count (b, "Encounter-open"), ==, 0);

  /* another report in the same encounter: nothing new */
  g_assert_cmpuint (post_json (f, open2), ==, 200);
  send_marker (f, all, 2);
  g_assert_cmpuint (client_count (a, "Encounter-open"), ==, 1);

  /* closing the current report closes its encounter */
  g_assert_cmpuint (post_json (f, close2), ==, 200);
  send_marker (f, all, 2);
  g_assert_cmpuint (client_count (a, "Encounter-close"), ==, 1);
  g_assert_cmpstr (frame_context_id (client_last (a, "Encounter-close"), "encounter"), ==, "enc-1");

  /* a report without an encounter, then its close: no encounter event */
  g_assert_cmpuint (post_json (f, open3), ==, 200);
  g_assert_cmpuint (post_json (f, close3), ==, 200);
  send_marker (f, all, 2);
  g_assert_cmpuint (client_count (a, "Encounter-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "Encounter-close"), ==, 1);
  g_assert_cmpuint (client_count (a, "syncerror") + client_count (b, "syncerror"), ==, 0);
}

/* H-37: an unacknowledged hub syncerror is resent with its id and
 * timestamp, a limited number of times, and never cascades */
static void
test_syncerror_resend (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Client) refuser = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) deaf = subscribe (f, "Deaf", ALL_EVENTS);
  g_autoptr(Client) acker = subscribe (f, "Acker", ALL_EVENTS);
  JsonNode *first;

  g_assert_cmpfloat (fcm_hub_get_syncerror_resend_interval (f->hub), ==, 10.0);
  g_assert_cmpuint (fcm_hub_get_syncerror_resends (f->hub), ==, 1);
  fcm_hub_set_syncerror_resend (f->hub, 0.15, 2);
  refuser->ack_status = 409;
  deaf->no_ack_syncerror = TRUE;

  g_free (open_report (f, acker, "ev-o1", "rpt-1"));
  FCM_TEST_WAIT_UNTIL (client_count (deaf, "syncerror") == 3);
  first = g_ptr_array_index (deaf->frames, 0);
  for (guint i = 0; i < deaf->frames->len; i++)
    {
      JsonNode *frame = g_ptr_array_index (deaf->frames, i);

      if (g_strcmp0 (frame_event_name (frame), "syncerror") != 0)
        continue;
      if (g_strcmp0 (frame_event_name (first), "syncerror") != 0)
        first = frame;
      g_assert_cmpstr (frame_get (frame, "id"), ==, frame_get (first, "id"));
      g_assert_cmpstr (frame_get (frame, "timestamp"), ==, frame_get (first, "timestamp"));
    }
  {
    /* no fourth copy */
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > until);
  }
  refuser->ack_status = 200;
  send_marker (f, (Client *[]) { refuser, deaf, acker }, 3);
  g_assert_cmpuint (client_count (deaf, "syncerror"), ==, 3);
  g_assert_cmpuint (client_count (acker, "syncerror"), ==, 1);
  g_assert_cmpuint (client_count (refuser, "syncerror"), ==, 0);
  g_assert_cmpuint (f->n_syncerror_signals, ==, 1);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 3);

  /* resends off */
  fcm_hub_set_syncerror_resend (f->hub, 0.1, 0);
  refuser->ack_status = 409;
  send_marker (f, (Client *[]) { refuser, deaf, acker }, 3);
  FCM_TEST_WAIT_UNTIL (client_count (deaf, "syncerror") == 4);
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC * 3 / 10;

    FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > until);
  }
  refuser->ack_status = 200;
  send_marker (f, (Client *[]) { refuser, deaf, acker }, 3);
  g_assert_cmpuint (client_count (deaf, "syncerror"), ==, 4);
}

/* H-32: an ack without status (Medplum) is success; "200" strings too */
static void
test_ack_success_forms (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Medplum", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);

  fcm_hub_set_ack_timeout (f->hub, 0.3);
  a->ack_mode = ACK_NO_STATUS;
  b->ack_mode = ACK_STRING;
  b->ack_status = 202;
  send_marker (f, (Client *[]) { a, b }, 2);
  g_free (open_report (f, a, "ev-o1", "rpt-1"));
  {
    /* outlive the ack timeout on the main loop, then a barrier */
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    FCM_TEST_WAIT_UNTIL (g_get_monotonic_time () > until);
  }
  send_marker (f, (Client *[]) { a, b }, 2);
  g_assert_cmpuint (client_count (a, "syncerror") + client_count (b, "syncerror"), ==, 0);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
  g_assert_cmpuint (f->n_syncerror_signals, ==, 0);
}

/* C-28 acks spelled differently (members swapped, whitespace, an escape in
 * the id) mean the same: the hub's quick ack reader must agree with the
 * full JSON parser. A refusal is only seen if id and status were read. */
static void
test_ack_spellings (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  JsonArray *coding;

  a->ack_mode = ACK_SPACED;
  a->ack_status = 409;
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "x-custom-marker");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");

  a->ack_mode = ACK_ESCAPED;
  a->ack_status = 500;
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 2);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
}

/* H-32, H-33: what the quick ack reader takes (status a string of three
 * digits, a "timestamp" beside it, in any order) and what it leaves to the
 * full parser (other strings, which count as success as they always did)
 * give the same verdicts: a refusal is seen, the others are successes. */
static void
test_ack_string_status (Fixture       *f,
                        gconstpointer  data)
{
  const char * const successes[] = {
    "{\"timestamp\":\"2025-03-14T09:26:54Z\",\"status\":\"202\",\"id\":\"@ID@\"}",
    "{\"id\":\"@ID@\",\"status\":\"OK\"}",
    "{\"id\":\"@ID@\",\"status\":\"20\"}",
    "{\"id\":\"@ID@\",\"status\":\"099\"}",
    "{\"id\":\"@ID@\",\"status\":\" 409\"}",
    "{\"id\":\"@ID@\",\"timestamp\":\"2025-03-14T09:26:54\\u005a\"}",
  };
  g_autoptr(Client) a = subscribe (f, "Refuser", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  JsonArray *coding;

  a->ack_mode = ACK_TEMPLATE;
  a->ack_template = "{\"status\":\"409\",\"id\":\"@ID@\",\"timestamp\":\"2025-03-14T09:26:54Z\"}";
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "x-custom-marker");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Refuser");

  for (guint i = 0; i < G_N_ELEMENTS (successes); i++)
    {
      a->ack_template = successes[i];
      send_marker (f, (Client *[]) { a, b }, 2);
    }
  /* the refusal after them is the second syncerror, about its own event:
   * a success read as a refusal would have come first */
  a->ack_template = "{\"id\":\"@ID@\",\"status\":\"500\"}";
  send_marker (f, (Client *[]) { a, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 2);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, frame_get (client_last (a, "x-custom-marker"), "id"));
  g_assert_cmpuint (f->n_syncerror_signals, ==, 2);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
}

/* H-34: one timer serves every ack deadline; a shorter timeout set later
 * fires first, before the earlier notification's longer one */
static void
test_ack_timeout_order (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) silent = NULL;
  g_autoptr(Client) b = NULL;
  JsonArray *coding;

  /* longer than FCM_TEST_WAIT_UNTIL's limit: a timer armed only for the
   * first deadline would fail the wait below */
  fcm_hub_set_ack_timeout (f->hub, 60.0);
  silent = subscribe (f, "Silent", ALL_EVENTS);
  b = subscribe (f, "Watcher", ALL_EVENTS);
  silent->ack_mode = ACK_NONE;

  g_free (open_report (f, b, "ev-o1", "rpt-1"));
  fcm_hub_set_ack_timeout (f->hub, 0.2);
  send_marker (f, (Client *[]) { silent, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1 && client_is_closed (silent));
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "x-custom-marker");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Silent");
}

/* H-34 */
static void
test_ack_timeout (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Client) silent = NULL;
  g_autoptr(Client) b = NULL;
  JsonArray *coding;

  fcm_hub_set_ack_timeout (f->hub, 0.2);
  silent = subscribe (f, "Silent", ALL_EVENTS);
  b = subscribe (f, "Watcher", ALL_EVENTS);
  silent->ack_mode = ACK_NONE;

  g_free (open_report (f, b, "ev-o1", "rpt-1"));
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1 && client_is_closed (silent));
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, "ev-o1");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Silent");
  g_assert_nonnull (client_find_mode (silent, "denied"));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
}

/* H-34 with a threshold: the second consecutive miss unsubscribes */
static void
test_ack_timeout_threshold (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Client) slow = NULL;
  g_autoptr(Client) b = NULL;

  fcm_hub_set_ack_timeout (f->hub, 0.2);
  fcm_hub_set_max_missed_acks (f->hub, 2);
  slow = subscribe (f, "Slow", ALL_EVENTS);
  b = subscribe (f, "Watcher", ALL_EVENTS);
  slow->ack_mode = ACK_NONE;

  send_marker (f, (Client *[]) { slow, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  g_assert_false (client_is_closed (slow));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);

  send_marker (f, (Client *[]) { slow, b }, 2);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 2 && client_is_closed (slow));
  g_assert_nonnull (client_find_mode (slow, "denied"));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
}

/* H-35 */
static void
test_abnormal_close (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Client) polite = subscribe (f, "Polite", ALL_EVENTS);
  g_autoptr(Client) rude = subscribe (f, "Rude", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  JsonArray *coding;

  soup_websocket_connection_close (polite->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  FCM_TEST_WAIT_UNTIL (client_is_closed (polite));
  send_marker (f, (Client *[]) { b }, 1);
  g_assert_cmpuint (client_count (b, "syncerror"), ==, 0);
  /* a clean close keeps the subscription (the client may reconnect) */
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 3);

  soup_websocket_connection_close (rude->ws, 4000, "bye");
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "syncerror");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Rude");
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 2);
}

/* H-38 */
static void
test_subscriber_syncerror (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "ACME Report Creator", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", ALL_EVENTS);
  const char *text =
    "{\"timestamp\":\"2025-03-14T09:27:00Z\",\"id\":\"se-1\",\"event\":{\"hub.topic\":\"" TOPIC "\","
    "\"hub.event\":\"syncerror\",\"context\":[{\"key\":\"operationoutcome\",\"resource\":"
    "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"warning\",\"code\":\"processing\","
    "\"diagnostics\":\"refused\",\"details\":{\"coding\":["
    "{\"system\":\"https://fhircast.hl7.org/events/syncerror/eventid\",\"code\":\"e1\"},"
    "{\"system\":\"https://fhircast.hl7.org/events/syncerror/eventname\",\"code\":\"DiagnosticReport-open\"},"
    "{\"system\":\"https://fhircast.hl7.org/events/syncerror/subscribername\",\"code\":\"ACME Report Creator\"}"
    "]}}]}}]}}";

  g_assert_cmpuint (post_json (f, text), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  g_assert_cmpstr (frame_get (client_last (b, "syncerror"), "id"), ==, "se-1");
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "syncerror"), ==, 0);
}

/* auth and limits */
static void
test_secret (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *wk = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);
  const char *form = "hub.channel.type=websocket&hub.mode=subscribe&hub.topic=" TOPIC "&hub.events=syncerror";

  fcm_hub_set_secret (f->hub, "s3cret");
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               "Bearer s3cre", NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               "Bearer s3cretX", NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               "Bearer s3cret", NULL), ==, 202);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, "Bearer s3cret", NULL), ==, 200);
  g_assert_cmpuint (http (f, "GET", wk, NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", wk, NULL, NULL, 0, "Bearer s3cret", NULL), ==, 200);
}

/* ---- per-app tokens (H-03, H-09) and the audit trail (H-40) ---- */

#define T_CREATOR   "Bearer creator-secret-4b1f9c"
#define T_WATCHER   "Bearer watcher-secret-7d02ae"
#define T_PATIENT   "Bearer patient-secret-1c5e80"
#define T_PUBLISHER "Bearer publisher-secret-93aa17"
#define T_EXPIRED   "Bearer expired-secret-e0e0e0"
#define T_SHORT     "Bearer short-secret-5f5f5f"

static void
fixture_setup_tokens (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "hub-tokens.ini", NULL);

  fixture_setup (f, data);
  g_assert_true (fcm_hub_load_tokens (f->hub, path, &error));
  g_assert_no_error (error);
  f->audit = g_memory_output_stream_new_resizable ();
  fcm_hub_set_audit_stream (f->hub, f->audit);
}

/* Subscribes with @auth; on 202 connects *out_client and waits for the confirmation. */
static guint
token_subscribe (Fixture     *f,
                 const char  *auth,
                 const char  *name,
                 const char  *events,
                 const char  *lease,
                 char       **out_body,
                 Client     **out_client)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  g_autofree char *body = NULL;
  guint status;

  g_hash_table_insert (form, (gpointer)"hub.channel.type", (gpointer)"websocket");
  g_hash_table_insert (form, (gpointer)"hub.mode", (gpointer)"subscribe");
  g_hash_table_insert (form, (gpointer)"hub.topic", (gpointer)TOPIC);
  g_hash_table_insert (form, (gpointer)"hub.events", (gpointer)events);
  g_hash_table_insert (form, (gpointer)"subscriber.name", (gpointer)name);
  if (lease != NULL)
    g_hash_table_insert (form, (gpointer)"hub.lease_seconds", (gpointer)lease);
  encoded = soup_form_encode_hash (form);
  status = http_full (f, "POST", f->url, "application/x-www-form-urlencoded", encoded, strlen (encoded),
                      auth, &body);
  if (status == 202 && out_client != NULL)
    {
      Client *c = client_new ();

      c->endpoint = endpoint_from_body (body);
      c->auth = g_strdup (auth);
      g_assert_true (client_connect (f, c, c->endpoint));
      FCM_TEST_WAIT_UNTIL (client_find_mode (c, "subscribe") != NULL);
      *out_client = c;
    }
  if (out_body != NULL)
    *out_body = g_steal_pointer (&body);
  return status;
}

static guint
token_post_json (Fixture     *f,
                 const char  *auth,
                 const char  *text,
                 char       **out_body)
{
  return http_full (f, "POST", f->url, "application/json", text, strlen (text), auth, out_body);
}

/* H-03: missing / unknown / expired token → 401 with a reason; scopes gate
 * subscribe (.read), publish (.write) and Get Current Context. */
static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);
  g_autofree char *wk = g_strconcat (f->url, "/.well-known/fhircast-configuration", NULL);
  g_autofree char *body = NULL;
  g_autofree char *open = open_event ("tok-open-1", "rpt-t1", "pat-1", "st-1");
  g_autoptr(Client) watcher = NULL;
  g_autoptr(Client) creator = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* 401: no token, a wrong one, an expired one, the static secret is not used */
  fcm_hub_set_secret (f->hub, "s3cret");
  g_assert_cmpuint (token_subscribe (f, NULL, "W", "syncerror", NULL, &body, NULL), ==, 401);
  g_assert_nonnull (strstr (body, "missing"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (token_subscribe (f, "Bearer s3cret", "W", "syncerror", NULL, &body, NULL), ==, 401);
  g_assert_nonnull (strstr (body, "unknown"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (token_subscribe (f, "Bearer watcher-secret-7d02a", "W", "syncerror", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (token_subscribe (f, T_EXPIRED, "W", "syncerror", NULL, &body, NULL), ==, 401);
  g_assert_nonnull (strstr (body, "expired"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_EXPIRED, NULL), ==, 401);
  g_assert_cmpuint (token_post_json (f, NULL, open, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", wk, NULL, NULL, 0, "Bearer nope", NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", wk, NULL, NULL, 0, T_WATCHER, NULL), ==, 200);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, NULL), ==, 0);

  /* subscribing needs .read for every requested event: 403 naming the scope */
  g_assert_cmpuint (token_subscribe (f, T_WATCHER, "Watcher", "DiagnosticReport-open,DiagnosticReport-update",
                                     NULL, &body, NULL), ==, 403);
  g_assert_nonnull (strstr (body, "fhircast/DiagnosticReport-update.read"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (token_subscribe (f, T_PUBLISHER, "P", "DiagnosticReport-open", NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, NULL), ==, 0);

  /* a read-only token subscribes (event names case-insensitive) but cannot publish */
  g_assert_cmpuint (token_subscribe (f, T_WATCHER, "Watcher", "diagnosticreport-open,SyncError", NULL, NULL,
                                     &watcher), ==, 202);
  g_assert_cmpuint (token_subscribe (f, T_CREATOR, "Creator", ALL_EVENTS, NULL, NULL, &creator), ==, 202);
  g_assert_cmpuint (token_post_json (f, T_WATCHER, open, &body), ==, 403);
  g_assert_nonnull (strstr (body, "fhircast/DiagnosticReport-open.write"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (client_count (watcher, "DiagnosticReport-open"), ==, 0);

  /* a write-only token publishes; the read-only one receives */
  g_assert_cmpuint (token_post_json (f, T_PUBLISHER, open, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (watcher, "DiagnosticReport-open") == 1 &&
                       client_count (creator, "DiagnosticReport-open") == 1);
  g_assert_cmpstr (frame_get (client_last (watcher, "DiagnosticReport-open"), "id"), ==, "tok-open-1");

  /* Get Current Context: some read scope needed; only what the scopes allow */
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_PUBLISHER, &body), ==, 403);
  g_assert_nonnull (strstr (body, "read"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_WATCHER, &body), ==, 200);
  root = fcm_json_parse (body, -1, NULL);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "context.type"), ==, "DiagnosticReport");
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_PATIENT, &body), ==, 200);
  root = fcm_json_parse (body, -1, NULL);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (root), "context.type"), ==, "");
  g_assert_cmpuint (json_array_get_length (fcm_json_get_array (json_node_get_object (root), "context")), ==, 0);
  g_assert_null (strstr (body, "pat-1"));
}

/* H-09: the lease is capped at the token's lifetime; at expiry the
 * subscription ends with a denial and a close. */
static void
test_tokens_lease (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) c = NULL;
  g_autoptr(Client) other = NULL;
  JsonNode *denial;
  gint64 lease = 0;

  g_assert_cmpuint (token_subscribe (f, T_SHORT, "Short", "syncerror", "3600", NULL, &c), ==, 202);
  g_assert_cmpuint (token_subscribe (f, T_CREATOR, "Creator", "syncerror", "3600", NULL, &other), ==, 202);
  g_assert_true (fcm_json_get_int (json_node_get_object (client_find_mode (c, "subscribe")),
                                   "hub.lease_seconds", &lease));
  g_assert_cmpint (lease, >=, 1);
  g_assert_cmpint (lease, <=, 2);
  g_assert_true (fcm_json_get_int (json_node_get_object (client_find_mode (other, "subscribe")),
                                   "hub.lease_seconds", &lease));
  g_assert_cmpint (lease, ==, 3600);

  FCM_TEST_WAIT_UNTIL (client_is_closed (c));
  denial = client_find_mode (c, "denied");
  g_assert_nonnull (denial);
  g_assert_cmpstr (frame_get (denial, "hub.reason"), ==, "access token expired");
  g_assert_cmpuint (fcm_hub_get_n_subscribers (f->hub, TOPIC), ==, 1);
  g_assert_false (client_is_closed (other));

  /* and the token is refused from now on */
  g_assert_cmpuint (token_subscribe (f, T_SHORT, "Short", "syncerror", NULL, NULL, NULL), ==, 401);
}

/* A bad tokens file is an error and keeps the tokens loaded before. */
static void
test_tokens_file_errors (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const bad[] = {
    "",
    "[token a]\nscopes=fhircast/*.read\n",
    "[token a]\nsecret=x\n",
    "[token a]\nsecret=x\nscopes=patient/*.read\n",
    "[token a]\nsecret=x\nscopes=fhircast/Patient-open.readwrite\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nexpires=2030-01-01T00:00:00\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nlifetime=0\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nlifetime=10\nexpires=2030-01-01T00:00:00Z\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nscope=fhircast/*.write\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\n[token b]\nsecret=x\nscopes=fhircast/*.read\n",
    "[a]\nsecret=x\nscopes=fhircast/*.read\n",
    "[token a]\nsecret=x\nscopes=fhircast/*.read\nname=\n",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-hub-tokens-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tokens.ini", NULL);
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_true (g_file_set_contents (path, bad[i], -1, &error));
      g_assert_no_error (error);
      g_assert_false (fcm_hub_load_tokens (f->hub, path, &error));
      g_assert_nonnull (error);
      g_test_message ("case %u: %s", i, error->message);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);
    }
  /* the fixture's tokens are still in force */
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, NULL, NULL), ==, 401);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_WATCHER, NULL), ==, 404);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* H-40: one JSON line per audited transaction, in order, with the token's
 * name as requester; no secret, no full endpoint id. */
static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  static const struct { const char *transaction; guint outcome; const char *requester; } expected[] = {
    { "RAD-146", 202, "Desk Watcher" },
    { "RAD-146", 401, "127.0.0.1" },
    { "RAD-148", 403, "Desk Watcher" },
    { "RAD-148", 200, "ACME Report Creator" },
    { "RAD-153", 200, "Desk Watcher" },
    { "RAD-153", 401, "127.0.0.1" },
    { "RAD-152", 202, "Desk Watcher" },
  };
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);
  g_autofree char *open = open_event ("audit-open-1", "rpt-a1", "pat-1", "st-1");
  g_autofree char *form = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Client) c = NULL;
  g_auto(GStrv) lines = NULL;
  const char *id;

  g_assert_cmpuint (token_subscribe (f, T_WATCHER, "Watcher GTK", "DiagnosticReport-open,syncerror", NULL, NULL,
                                     &c), ==, 202);
  g_assert_cmpuint (token_subscribe (f, "Bearer bogus", "Watcher GTK", "syncerror", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (token_post_json (f, T_WATCHER, open, NULL), ==, 403);
  g_assert_cmpuint (token_post_json (f, T_CREATOR, open, NULL), ==, 200);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_WATCHER, NULL), ==, 200);
  g_assert_cmpuint (http_full (f, "GET", cur, NULL, NULL, 0, T_EXPIRED, NULL), ==, 401);
  /* not audited: discovery */
  g_assert_cmpuint (http_full (f, "GET", f->url, NULL, NULL, 0, T_WATCHER, NULL), ==, 404);
  form = g_strdup_printf ("hub.channel.type=websocket&hub.mode=unsubscribe&hub.topic=" TOPIC
                          "&hub.channel.endpoint=%s", c->endpoint);
  g_assert_cmpuint (http_full (f, "POST", f->url, "application/x-www-form-urlencoded", form, strlen (form),
                               T_WATCHER, NULL), ==, 202);

  FCM_TEST_WAIT_UNTIL (fcm_hub_get_audit_pending (f->hub) == 0);
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (f->audit)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (f->audit)));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = fcm_json_parse (lines[i], -1, &error);
      g_autoptr(GDateTime) time = NULL;
      JsonObject *obj;
      gint64 outcome = 0;

      g_assert_no_error (error);
      obj = json_node_get_object (root);
      g_assert_cmpstr (fcm_json_get_string (obj, "transaction"), ==, expected[i].transaction);
      g_assert_true (fcm_json_get_int (obj, "outcome", &outcome));
      g_assert_cmpint (outcome, ==, expected[i].outcome);
      g_assert_cmpstr (fcm_json_get_string (obj, "requester"), ==, expected[i].requester);
      g_assert_cmpstr (fcm_json_get_string (obj, "address"), ==, "127.0.0.1");
      g_assert_cmpstr (fcm_json_get_string (obj, "topic"), ==, TOPIC);
      time = g_date_time_new_from_iso8601 (fcm_json_get_string (obj, "time"), NULL);
      g_assert_nonnull (time);
      g_assert_true (g_str_has_suffix (fcm_json_get_string (obj, "time"), "Z"));
    }
  /* the subscriber's name and the event are there; secrets and endpoint ids are not */
  g_assert_nonnull (strstr (lines[0], "\"subscriber\":\"Watcher GTK\""));
  g_assert_nonnull (strstr (lines[3], "\"eventId\":\"audit-open-1\""));
  g_assert_nonnull (strstr (lines[3], "\"event\":\"DiagnosticReport-open\""));
  g_assert_nonnull (strstr (lines[6], "\"action\":\"unsubscribe\""));
  id = strrchr (c->endpoint, '/') + 1;
  g_assert_null (strstr (text, id));
  g_assert_null (strstr (text, "secret"));
  g_assert_null (strstr (text, "bogus"));
}

/* Without tokens the requester is subscriber.name or the address. */
static void
test_audit_no_tokens (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GOutputStream) audit = g_memory_output_stream_new_resizable ();
  g_autoptr(Client) c = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  g_autofree char *cur = g_strconcat (f->url, "/", TOPIC, NULL);

  fcm_hub_set_audit_stream (f->hub, audit);
  c = subscribe (f, "Desk Watcher GTK", "syncerror");
  g_assert_cmpuint (http (f, "GET", cur, NULL, NULL, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (fcm_hub_get_audit_pending (f->hub) == 0);
  fcm_hub_set_audit_stream (f->hub, NULL);
  g_assert_cmpuint (http (f, "GET", cur, NULL, NULL, NULL), ==, 200);   /* not recorded */

  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (audit)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (audit)));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\"transaction\":\"RAD-146\""));
  g_assert_nonnull (strstr (text, "\"requester\":\"Desk Watcher GTK\""));
  g_assert_nonnull (strstr (text, "\"requesterType\":\"subscriber.name\""));
  g_assert_nonnull (strstr (text, "\"transaction\":\"RAD-153\""));
  g_assert_nonnull (strstr (text, "\"requester\":\"127.0.0.1\""));
  g_assert_nonnull (strstr (text, "\"requesterType\":\"address\""));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);   /* two records and the final newline */
  g_assert_null (strstr (text, strrchr (c->endpoint, '/') + 1));
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

/* A self-signed P-256 certificate for 127.0.0.1, test use only (toolchain §6). */
static const char test_tls_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBmzCCAUGgAwIBAgIUfVB3fZxYayd/Pw4sF+lnQixC5JMwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjA1NTY0OFoYDzIxMjYxMDI5\n"
  "MDU1NjQ4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAASxLyWynGF8wsvFUmizaXz1NcZvIMt9GvIvKFcHQrj5uWu6xzyFjL/z\n"
  "ZdkbRc/tUmwmS9L5azd5QfkhNRreQ9veo28wbTAdBgNVHQ4EFgQUz8bbwzVbD3tn\n"
  "yQxnoAiLB/MNX00wHwYDVR0jBBgwFoAUz8bbwzVbD3tnyQxnoAiLB/MNX00wDwYD\n"
  "VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI\n"
  "zj0EAwIDSAAwRQIhAOBaVPyQpOuZUOmf55xEKbk/lrOeLW3rnDhxIaCsagWiAiBb\n"
  "2o/8iQjfW1HDId2ofsZ4PqvG4qyR0BnQIplsco9dPw==\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpDSSTOwFUCEfiM5G\n"
  "lUlyd/QZFCufYp+B+f0hCWr9FcmhRANCAASxLyWynGF8wsvFUmizaXz1NcZvIMt9\n"
  "GvIvKFcHQrj5uWu6xzyFjL/zZdkbRc/tUmwmS9L5azd5QfkhNRreQ9ve\n"
  "-----END PRIVATE KEY-----\n";

static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              data)
{
  GTlsCertificate *expected = data;

  return g_tls_certificate_is_same (certificate, expected);
}

/* https:// and wss:// with a pinned self-signed certificate */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(FcmHub) hub = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) ws_msg = NULL;
  g_autoptr(Client) c = client_new ();
  g_autofree char *form = NULL;
  g_autofree char *body = NULL;
  Fixture f = { NULL, NULL, NULL, 0 };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend");
      return;
    }

  cert = g_tls_certificate_new_from_pem (test_tls_pem, -1, &error);
  g_assert_no_error (error);
  hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (hub, NULL, 0, cert, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fcm_hub_get_url (hub), "https://127.0.0.1:"));
  session = soup_session_new ();
  f.hub = hub;
  f.session = session;
  f.url = fcm_hub_get_url (hub);

  form = g_strdup ("hub.channel.type=websocket&hub.mode=subscribe&hub.topic=" TOPIC "&hub.events=syncerror");
  msg = soup_message_new ("POST", f.url);
  {
    g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), cert);
  g_assert_cmpuint (fcm_test_send (session, msg, &body), ==, 202);
  c->endpoint = endpoint_from_body (body);
  g_assert_true (g_str_has_prefix (c->endpoint, "wss://127.0.0.1:"));

  ws_msg = soup_message_new ("GET", c->endpoint);
  g_signal_connect (ws_msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), cert);
  soup_session_websocket_connect_async (session, ws_msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        client_connect_cb, c);
  FCM_TEST_WAIT_UNTIL (c->connect_done);
  g_assert_no_error (c->error);
  FCM_TEST_WAIT_UNTIL (client_find_mode (c, "subscribe") != NULL);

  fcm_hub_shutdown (hub);
  FCM_TEST_WAIT_UNTIL (client_is_closed (c));
  g_assert_cmpuint (soup_websocket_connection_get_close_code (c->ws), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

/* `fhircast hub`: first line is hub.url; SIGTERM exits 0 */
static void
test_cli (void)
{
  const char *cli = g_getenv ("FHIRCAST_CLI");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  if (cli == NULL)
    {
      g_test_skip ("FHIRCAST_CLI not set");
      return;
    }

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, cli, "hub", "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/fhircast"));
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

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

/* ------------------------------------------------------------------------ */
/* `fhircast hub` as a process                                              */

/* Starts `fhircast hub ARGS…` and reads its first stdout line, the hub.url. */
static GSubprocess *
cli_spawn (char       **out_url,
           const char  *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *proc;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer)g_getenv ("FHIRCAST_CLI"));
  g_ptr_array_add (argv, (gpointer)"hub");
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *)argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  *out_url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out_url);
  return proc;
}

static void
cli_terminate (GSubprocess *proc)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

/* A blocking GET; returns the status and the body. */
static guint
cli_get (const char       *url,
         GTlsCertificate  *pinned,
         char            **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (pinned != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), pinned);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (msg);
}

static gboolean
cli_available (void)
{
  if (g_getenv ("FHIRCAST_CLI") == NULL)
    {
      g_test_skip ("FHIRCAST_CLI not set");
      return FALSE;
    }
  return TRUE;
}

/* the hub answers .well-known at the URL it printed */
static void
test_cli_well_known (void)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *url = NULL;
  g_autofree char *wk = NULL;
  g_autofree char *body = NULL;

  if (!cli_available ())
    return;
  proc = cli_spawn (&url, "--port", "0", "--no-auth", NULL);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  wk = g_strconcat (url, "/.well-known/fhircast-configuration", NULL);
  g_assert_cmpuint (cli_get (wk, NULL, &body), ==, 200);
  g_assert_nonnull (strstr (body, "\"eventsSupported\""));
  cli_terminate (proc);
}

/* bad command lines: exit 64 (EX_USAGE) with a message on stderr */
static void
test_cli_bad_options (void)
{
  static const char * const cases[][5] = {
    { "--bogus", NULL },
    { "--port", "70000", NULL },
    { "--port", "x", NULL },
    { "--secret", "s", "--no-auth", NULL },
    { "--tokens", "tokens.ini", "--secret", "s", NULL },
    { "--tokens", "tokens.ini", "--no-auth", NULL },
    { "--tls-cert", "/nonexistent.pem", NULL },
    { "--admin", "--host", "0.0.0.0", NULL },
    { "--ack-timeout", "-1", NULL },
    { "--syncerror-resend", "0", NULL },
    { "--syncerror-resends", "-1", NULL },
    { "extra-argument", NULL },
  };

  if (!cli_available ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (argv, (gpointer)g_getenv ("FHIRCAST_CLI"));
      g_ptr_array_add (argv, (gpointer)"hub");
      for (guint j = 0; cases[i][j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer)cases[i][j]);
      g_ptr_array_add (argv, NULL);
      proc = g_subprocess_newv ((const char * const *)argv->pdata,
                                G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error));
      g_assert_no_error (error);
      g_test_message ("case %u: %s", i, err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 64);
      g_assert_true (g_str_has_prefix (err, "hub: "));
    }
}

/* --users and --admin through the command line */
static void
test_cli_users_admin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *topic2 = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *admin_file = NULL;
  g_autofree char *get = NULL;

  if (!cli_available ())
    return;
  dir = g_dir_make_tmp ("fcm-hub-cli-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "users.ini", NULL);
  g_assert_true (g_file_set_contents (path, "[Dr Smith]\nusers=joe;joe2\n", -1, &error));
  g_assert_no_error (error);
  admin_file = g_build_filename (dir, "admin-token", NULL);
  g_assert_true (g_file_set_contents (admin_file, "admin-token-3f9c\n", -1, &error));
  g_assert_no_error (error);

  proc = cli_spawn (&url, "--port", "0", "--secret", "S", "--users", path, "--admin", "--legacy",
                    "--admin-token-file", admin_file, "--syncerror-resend", "0.5", "--syncerror-resends", "2", NULL);
  base = g_strndup (url, strlen (url) - strlen ("/fhircast"));
  get = g_strconcat (base, "/gettopic?username=joe&secret=S", NULL);
  g_assert_cmpuint (cli_get (get, NULL, &topic), ==, 200);
  g_free (get);
  get = g_strconcat (base, "/authenticate?username=joe2&secret=S", NULL);
  g_assert_cmpuint (cli_get (get, NULL, &topic2), ==, 200);
  g_assert_cmpstr (topic, ==, topic2);
  g_assert_cmpuint (strlen (topic), ==, 36);
  /* admin is behind its own token (issue 14.4), not the shared secret */
  g_free (get);
  get = g_strconcat (base, "/admin/topics", NULL);
  g_assert_cmpuint (cli_get (get, NULL, &admin), ==, 401);
  cli_terminate (proc);

  g_assert_cmpint (g_unlink (admin_file), ==, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --tokens and --audit through the command line; a bad tokens file exits 2 */
static void
test_cli_tokens_audit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *tokens = g_test_build_filename (G_TEST_DIST, "data", "hub-tokens.ini", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *url = NULL;
  g_autofree char *cur = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_auto(GStrv) lines = NULL;

  if (!cli_available ())
    return;
  dir = g_dir_make_tmp ("fcm-hub-cli-XXXXXX", &error);
  g_assert_no_error (error);
  audit = g_build_filename (dir, "audit.jsonl", NULL);
  bad = g_build_filename (dir, "bad.ini", NULL);

  proc = cli_spawn (&url, "--port", "0", "--tokens", tokens, "--audit", audit, NULL);
  cur = g_strconcat (url, "/", TOPIC, NULL);
  g_assert_cmpuint (cli_get (cur, NULL, NULL), ==, 401);
  session = soup_session_new ();
  msg = soup_message_new ("GET", cur);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", T_WATCHER);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);   /* known token, unknown topic */
  cli_terminate (proc);
  g_clear_object (&proc);

  g_assert_true (g_file_get_contents (audit, &text, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", text);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[0], "\"transaction\":\"RAD-153\""));
  g_assert_nonnull (strstr (lines[0], "\"outcome\":401"));
  g_assert_nonnull (strstr (lines[1], "\"outcome\":404"));
  g_assert_nonnull (strstr (lines[1], "\"requester\":\"Desk Watcher\""));
  g_assert_null (strstr (text, "secret"));

  /* an invalid tokens file: exit 2 with the reason */
  g_assert_true (g_file_set_contents (bad, "[token a]\nsecret=x\nscopes=openid\n", -1, &error));
  g_assert_no_error (error);
  g_clear_object (&proc);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           g_getenv ("FHIRCAST_CLI"), "hub", "--tokens", bad, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_nonnull (strstr (err, "openid"));

  g_assert_cmpint (g_unlink (audit), ==, 0);
  g_assert_cmpint (g_unlink (bad), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --tls-cert/--tls-key with a certificate made by openssl */
static void
test_cli_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;
  g_autofree char *wk = NULL;

  if (!cli_available ())
    return;
  if (!(cert = fcm_test_make_certificate ("fcm-hub-tls", &dir, &pem, &key)))
    return;

  proc = cli_spawn (&url, "--port", "0", "--tls-cert", pem, "--tls-key", key, NULL);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  wk = g_strconcat (url, "/.well-known/fhircast-configuration", NULL);
  g_assert_cmpuint (cli_get (wk, cert, NULL), ==, 200);
  cli_terminate (proc);

  g_assert_cmpint (g_unlink (pem), ==, 0);
  g_assert_cmpint (g_unlink (key), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
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
  ADD ("well-known", test_well_known);
  ADD ("subscribe/confirm", test_subscribe_confirm);
  ADD ("subscribe/invalid", test_subscribe_invalid);
  ADD ("subscribe/unknown-endpoint", test_unknown_endpoint);
  ADD ("subscribe/unsubscribe", test_unsubscribe);
  ADD ("subscribe/lease-expiry", test_lease_expiry);
  ADD ("subscribe/renewal", test_renewal);
  ADD ("subscribe/replay", test_replay_open);
  ADD ("context/broadcast", test_broadcast);
  ADD ("context/bad-requests", test_bad_requests);
  ADD ("context/not-open", test_not_open_409);
  ADD ("context/duplicate-id", test_duplicate_id);
  ADD ("context/duplicate-id-window", test_duplicate_id_window);
  ADD ("context/current", test_current_context);
  ADD ("context/update-select", test_update_and_select);
  ADD ("ack/refused", test_ack_refused);
  ADD ("ack/success-forms", test_ack_success_forms);
  ADD ("ack/string-status", test_ack_string_status);
  ADD ("ack/spellings", test_ack_spellings);
  ADD ("ack/timeout", test_ack_timeout);
  ADD ("ack/timeout-order", test_ack_timeout_order);
  ADD ("ack/timeout-threshold", test_ack_timeout_threshold);
  ADD ("ack/abnormal-close", test_abnormal_close);
  ADD ("ack/subscriber-syncerror", test_subscriber_syncerror);
  ADD ("ack/syncerror-resend", test_syncerror_resend);
  ADD ("context/implied", test_implied_events);
  ADD ("context/implied-refused", test_implied_refused);
  ADD ("context/implied-encounter", test_implied_encounter);
  ADD ("context/implied-replay", test_implied_replay);
  ADD ("auth/secret", test_secret);
  ADD ("audit/no-tokens", test_audit_no_tokens);
  ADD ("limits/too-large", test_too_large);
  ADD ("limits/ws-too-large", test_ws_too_large);
  ADD ("heartbeat", test_heartbeat);
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
#define ADD_TOKENS(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup_tokens, fn, fixture_teardown)
  ADD_TOKENS ("auth/tokens", test_tokens);
  ADD_TOKENS ("auth/tokens-lease", test_tokens_lease);
  ADD_TOKENS ("auth/tokens-file-errors", test_tokens_file_errors);
  ADD_TOKENS ("audit/tokens", test_audit);
#undef ADD_TOKENS
  g_test_add_func ("/fcm/hub/admin/ack-histogram", test_ack_histogram);
  g_test_add_func ("/fcm/hub/admin/refuses-public", test_admin_refuses_public);
  g_test_add_func ("/fcm/hub/cli", test_cli);
  g_test_add_func ("/fcm/hub/tls", test_tls);
  g_test_add_func ("/fcm/hub/cli/well-known", test_cli_well_known);
  g_test_add_func ("/fcm/hub/cli/bad-options", test_cli_bad_options);
  g_test_add_func ("/fcm/hub/cli/users-admin", test_cli_users_admin);
  g_test_add_func ("/fcm/hub/cli/tls", test_cli_tls);
  g_test_add_func ("/fcm/hub/cli/tokens-audit", test_cli_tokens_audit);

  return g_test_run ();
}
