/* fcm-test-hub-util.c: a hub on loopback and WebSocket subscribers, for the test-hub* programs
 *
 * The fixture (an FcmHub on 127.0.0.1 port 0 and a SoupSession), HTTP
 * helpers, a subscriber that acks each event as it is told to, and the
 * events the tests publish. Shared by test-hub.c, test-hub-context.c,
 * test-hub-ack.c, test-hub-tokens.c, test-hub-admin.c and test-hub-cli.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-fhircast.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-hub-util.h"

/* ------------------------------------------------------------------------ */

void
syncerror_signal_cb (FcmHub     *hub,
                     const char *topic,
                     const char *diagnostics,
                     Fixture    *f)
{
  f->n_syncerror_signals++;
}

void
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

void
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

void
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

Client *
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

guint
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

guint
http (Fixture     *f,
      const char  *method,
      const char  *url,
      const char  *content_type,
      const char  *body,
      char       **out_body)
{
  return http_full (f, method, url, content_type, body, body ? strlen (body) : 0, NULL, out_body);
}

guint
post_json (Fixture    *f,
           const char *text)
{
  return http (f, "POST", f->url, "application/json", text, NULL);
}

/* Posts a form built from NULL-terminated key/value pairs. */
guint
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

char *
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

const char *
frame_event_name (JsonNode *frame)
{
  return fcm_json_get_string (fcm_json_get_object (json_node_get_object (frame), "event"), "hub.event");
}

const char *
frame_get (JsonNode   *frame,
           const char *member)
{
  return fcm_json_get_string (json_node_get_object (frame), member);
}

const char *
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

void
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

gboolean
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

gboolean
client_is_closed (Client *c)
{
  return c->ws != NULL && soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_CLOSED;
}

guint
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

JsonNode *
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

JsonNode *
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
Client *
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
void
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
char *
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

char *
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

JsonNode *
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
char *
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

JsonArray *
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

const char *
coding_code (JsonArray *coding,
             guint      index,
             const char *system_suffix)
{
  JsonObject *c = fcm_json_array_get_object (coding, index);

  g_assert_true (g_str_has_suffix (fcm_json_get_string (c, "system"), system_suffix));
  return fcm_json_get_string (c, "code");
}
