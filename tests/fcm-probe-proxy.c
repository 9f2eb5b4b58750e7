/* fcm-probe-proxy.c: a hub made broken on purpose, for the probe tests
 *
 * Requests are forwarded to the real hub and its answers sent back, both
 * rewritten where a fault says so; WebSockets are relayed frame by frame.
 * Endpoint URLs are rewritten both ways so that subscribers only ever see
 * the proxy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-probe-proxy.h"

#define BIG (1024 * 1024)

struct _FcmProbeProxy
{
  FcmProxyFaults  faults;
  SoupServer     *server;
  SoupSession    *session;
  char           *upstream_origin;   /* http://host:port */
  char           *upstream_ws;       /* ws://host:port/fhircast/ws/ */
  char           *url;
  char           *ws;
  GHashTable     *fake_to_real;
  GHashTable     *real_to_fake;
  guint           next_fake;
  GPtrArray      *pairs;
  GHashTable     *seen_ids;
};

typedef struct
{
  FcmProbeProxy           *proxy;
  SoupWebsocketConnection *client;
  SoupWebsocketConnection *upstream;
  GPtrArray               *pending;
  GCancellable            *cancellable;
  gboolean                 after_confirmation;
} Pair;

typedef struct
{
  FcmProbeProxy     *proxy;
  SoupServerMessage *msg;
  char              *path;
  char              *method;
  gboolean           form;
} Job;

static char *
bytes_to_string (GBytes *bytes)
{
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* ------------------------------------------------------------------- ids */

static const char *
last_segment (const char *url)
{
  const char *slash = strrchr (url, '/');

  return slash != NULL ? slash + 1 : url;
}

static const char *
fake_for_real (FcmProbeProxy *self,
               const char    *real)
{
  const char *fake;

  if (!(self->faults & FCM_PROXY_SEQUENTIAL_IDS))
    return real;
  fake = g_hash_table_lookup (self->real_to_fake, real);
  if (fake == NULL)
    {
      char *new_fake = g_strdup_printf ("sub-%u", ++self->next_fake);

      g_hash_table_insert (self->real_to_fake, g_strdup (real), new_fake);
      g_hash_table_insert (self->fake_to_real, g_strdup (new_fake), g_strdup (real));
      fake = new_fake;
    }
  return fake;
}

static const char *
real_for_fake (FcmProbeProxy *self,
               const char    *fake)
{
  const char *real = g_hash_table_lookup (self->fake_to_real, fake);

  return real != NULL ? real : fake;
}

/* ------------------------------------------------------------------ HTTP */

static char *
rewrite_form (FcmProbeProxy *self,
              const char    *body)
{
  g_autoptr(GHashTable) form = soup_form_decode (body);
  g_autoptr(GHashTable) out = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GHashTableIter iter;
  gpointer key, value;

  /* soup_form_decode()'s table owns its keys only: build a new one */
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_str_equal (key, "hub.channel.endpoint") && ((char *) value)[0] != '\0')
        {
          g_autofree char *id = g_strstrip (g_strdup (last_segment (value)));

          g_hash_table_insert (out, key, g_strconcat (self->upstream_ws, real_for_fake (self, id), NULL));
        }
      else
        g_hash_table_insert (out, key, g_strdup (value));
    }
  return soup_form_encode_hash (out);
}

static void
job_free (Job *job)
{
  g_object_unref (job->msg);
  g_free (job->path);
  g_free (job->method);
  g_free (job);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *type,
         const char        *body,
         gsize              len)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, len);
}

static void
upstream_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Job *job = data;
  FcmProbeProxy *self = job->proxy;
  SoupMessage *umsg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *type = NULL;
  guint status;

  if (error != NULL)
    {
      respond (job->msg, SOUP_STATUS_BAD_GATEWAY, "text/plain", error->message, strlen (error->message));
      soup_server_message_unpause (job->msg);
      job_free (job);
      return;
    }
  status = soup_message_get_status (umsg);
  type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (umsg), NULL));
  body = bytes_to_string (bytes);

  if (job->form && status == SOUP_STATUS_BAD_REQUEST && (self->faults & FCM_PROXY_ACCEPT_INVALID))
    {
      status = SOUP_STATUS_ACCEPTED;
      g_free (body);
      body = g_strdup_printf ("{\"hub.channel.endpoint\":\"%sfake%08x%08x%08x%08x\"}", self->ws,
                              g_random_int (), g_random_int (), g_random_int (), g_random_int ());
      g_free (type);
      type = g_strdup ("application/json");
    }
  else if (!job->form && g_str_equal (job->method, "POST") && status == SOUP_STATUS_BAD_REQUEST &&
           (self->faults & FCM_PROXY_ACCEPT_INVALID))
    {
      status = SOUP_STATUS_OK;
      g_free (body);
      body = g_strdup ("");
    }
  if (job->form && status == SOUP_STATUS_ACCEPTED && (self->faults & FCM_PROXY_SUBSCRIBE_200))
    status = SOUP_STATUS_OK;
  if (status == SOUP_STATUS_CONFLICT && (self->faults & FCM_PROXY_CONFLICT_200))
    status = SOUP_STATUS_OK;

  root = fcm_json_parse (body, -1, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      const char *endpoint = fcm_json_get_string (obj, "hub.channel.endpoint");
      JsonArray *context = fcm_json_get_array (obj, "context");

      if (endpoint != NULL && g_str_has_prefix (endpoint, self->upstream_ws))
        {
          g_autofree char *fake = g_strconcat (self->ws, fake_for_real (self, last_segment (endpoint)), NULL);

          json_object_set_string_member (obj, "hub.channel.endpoint", fake);
        }
      if (g_str_has_suffix (job->path, "/.well-known/fhircast-configuration") &&
          (self->faults & FCM_PROXY_DISCOVERY_STRIP))
        json_object_remove_member (obj, "websocketSupport");
      if (g_str_equal (job->method, "GET") && context != NULL && (self->faults & FCM_PROXY_STRIP_CONTENT))
        for (guint i = json_array_get_length (context); i > 0; i--)
          {
            JsonObject *item = fcm_json_array_get_object (context, i - 1);

            if (item != NULL && g_strcmp0 (fcm_json_get_string (item, "key"), "content") == 0)
              json_array_remove_element (context, i - 1);
          }
      g_free (body);
      body = fcm_json_to_string (root, FALSE);
    }
  respond (job->msg, status, type != NULL ? type : "text/plain", body, strlen (body));
  soup_server_message_unpause (job->msg);
  job_free (job);
}

static void
http_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  FcmProbeProxy *self = data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) umsg = NULL;
  Job *job;

  if (g_bytes_get_size (body) > BIG && (self->faults & FCM_PROXY_BIG_500))
    {
      respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", "too big", 7);
      return;
    }
  url = g_strconcat (self->upstream_origin, path, g_uri_get_query (uri) ? "?" : "",
                     g_uri_get_query (uri) ? g_uri_get_query (uri) : "", NULL);
  umsg = soup_message_new (method, url);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (umsg), "Authorization", auth);

  job = g_new0 (Job, 1);
  job->proxy = self;
  job->msg = g_object_ref (msg);
  job->path = g_strdup (path);
  job->method = g_strdup (method);
  job->form = type != NULL && g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0;
  if (job->form)
    {
      g_autofree char *text = bytes_to_string (body);
      g_autofree char *rewritten = rewrite_form (self, text);
      g_autoptr(GBytes) bytes = g_bytes_new (rewritten, strlen (rewritten));

      soup_message_set_request_body_from_bytes (umsg, type, bytes);
    }
  else if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (umsg, type, body);
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (self->session, umsg, G_PRIORITY_DEFAULT, NULL, upstream_cb, job);
}

/* ------------------------------------------------------------- WebSocket */

static void
pair_free (Pair *pair)
{
  g_cancellable_cancel (pair->cancellable);
  g_clear_object (&pair->cancellable);
  if (pair->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (pair->client, pair);
      if (soup_websocket_connection_get_state (pair->client) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (pair->client, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&pair->client);
    }
  if (pair->upstream != NULL)
    {
      g_signal_handlers_disconnect_by_data (pair->upstream, pair);
      if (soup_websocket_connection_get_state (pair->upstream) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (pair->upstream, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&pair->upstream);
    }
  g_ptr_array_unref (pair->pending);
  g_free (pair);
}

static gboolean
is_open (SoupWebsocketConnection *ws)
{
  return ws != NULL && soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

static gushort
sendable (gushort code)
{
  return (code >= 1000 && code <= 4999 && code != 1004 && code != 1005 && code != 1006 && code != 1015) ? code : 1000;
}

/* A frame from the hub on its way to the subscriber; NULL drops it. */
static char *
mutate_down (Pair       *pair,
             const char *text)
{
  FcmProbeProxy *self = pair->proxy;
  g_autoptr(JsonNode) root = fcm_json_parse (text, -1, NULL);
  FcmMessageKind kind = root != NULL ? fcm_validator_classify (root) : FCM_MESSAGE_UNKNOWN;
  JsonObject *obj, *event;
  const char *id, *name;
  gboolean first_after_confirmation = pair->after_confirmation;

  if (kind == FCM_MESSAGE_CONFIRMATION)
    {
      pair->after_confirmation = TRUE;
      return (self->faults & FCM_PROXY_DROP_CONFIRMATION) ? NULL : g_strdup (text);
    }
  if (kind == FCM_MESSAGE_DENIAL)
    return (self->faults & (FCM_PROXY_DROP_DENIAL | FCM_PROXY_SWALLOW_CLOSE)) ? NULL : g_strdup (text);
  if (kind != FCM_MESSAGE_EVENT)
    return g_strdup (text);

  pair->after_confirmation = FALSE;
  obj = json_node_get_object (root);
  event = fcm_json_get_object (obj, "event");
  id = fcm_json_get_string (obj, "id");
  name = event != NULL ? fcm_json_get_string (event, "hub.event") : NULL;
  if (id != NULL && first_after_confirmation && g_hash_table_contains (self->seen_ids, id) &&
      (self->faults & FCM_PROXY_DROP_REPLAY))
    return NULL;
  if (id != NULL)
    g_hash_table_add (self->seen_ids, g_strdup (id));
  if (name != NULL && fcm_event_name_equal (name, "syncerror") && (self->faults & FCM_PROXY_DROP_SYNCERROR))
    return NULL;
  if (id != NULL && (self->faults & FCM_PROXY_REWRITE_IDS))
    {
      g_autofree char *other = g_strconcat ("rewritten-", id, NULL);

      json_object_set_string_member (obj, "id", other);
    }
  if (event != NULL && (self->faults & FCM_PROXY_STRIP_PRIOR))
    json_object_remove_member (event, "context.priorVersionId");
  return fcm_json_to_string (root, FALSE);
}

static void
upstream_message_cb (SoupWebsocketConnection *ws,
                     SoupWebsocketDataType    type,
                     GBytes                  *message,
                     Pair                    *pair)
{
  FcmProbeProxy *self = pair->proxy;
  g_autofree char *text = bytes_to_string (message);
  g_autofree char *out = type == SOUP_WEBSOCKET_DATA_TEXT ? mutate_down (pair, text) : NULL;

  if (out == NULL || !is_open (pair->client))
    return;
  soup_websocket_connection_send_text (pair->client, out);
  if ((self->faults & FCM_PROXY_LEAK_TOPICS) && strstr (out, "\"event\"") != NULL)
    for (guint i = 0; i < self->pairs->len; i++)
      {
        Pair *other = g_ptr_array_index (self->pairs, i);

        if (other != pair && is_open (other->client))
          soup_websocket_connection_send_text (other->client, out);
      }
}

static void
upstream_closed_cb (SoupWebsocketConnection *ws,
                    Pair                    *pair)
{
  if (pair->proxy->faults & FCM_PROXY_SWALLOW_CLOSE)
    return;
  if (is_open (pair->client))
    soup_websocket_connection_close (pair->client, sendable (soup_websocket_connection_get_close_code (ws)), NULL);
}

static void
client_message_cb (SoupWebsocketConnection *ws,
                   SoupWebsocketDataType    type,
                   GBytes                  *message,
                   Pair                    *pair)
{
  if (is_open (pair->upstream))
    soup_websocket_connection_send_message (pair->upstream, type, message);
  else
    g_ptr_array_add (pair->pending, g_bytes_ref (message));
}

static void
client_closed_cb (SoupWebsocketConnection *ws,
                  Pair                    *pair)
{
  gushort code = soup_websocket_connection_get_close_code (ws);

  if (!is_open (pair->upstream))
    return;
  if (code == 0 || code == 1005 || code == 1006)
    {
      /* no close frame from the subscriber: none to the hub either */
      g_io_stream_close (soup_websocket_connection_get_io_stream (pair->upstream), NULL, NULL);
      return;
    }
  if (code == SOUP_WEBSOCKET_CLOSE_NORMAL && (pair->proxy->faults & FCM_PROXY_CLOSE_4000))
    code = 4000;
  soup_websocket_connection_close (pair->upstream, sendable (code), NULL);
}

static void
upstream_connected_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  Pair *pair = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ws == NULL)
    {
      if (!(pair->proxy->faults & FCM_PROXY_ACCEPT_UNKNOWN) && is_open (pair->client))
        soup_websocket_connection_close (pair->client, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unknown endpoint");
      return;
    }
  pair->upstream = ws;
  soup_websocket_connection_set_max_incoming_payload_size (ws, 16 * 1024 * 1024);
  g_signal_connect (ws, "message", G_CALLBACK (upstream_message_cb), pair);
  g_signal_connect (ws, "closed", G_CALLBACK (upstream_closed_cb), pair);
  for (guint i = 0; i < pair->pending->len; i++)
    soup_websocket_connection_send_message (ws, SOUP_WEBSOCKET_DATA_TEXT, g_ptr_array_index (pair->pending, i));
  g_ptr_array_set_size (pair->pending, 0);
  if (!is_open (pair->client))
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

static void
ws_cb (SoupServer              *server,
       SoupServerMessage       *msg,
       const char              *path,
       SoupWebsocketConnection *connection,
       gpointer                 data)
{
  FcmProbeProxy *self = data;
  Pair *pair = g_new0 (Pair, 1);
  g_autofree char *url = g_strconcat (self->upstream_ws, real_for_fake (self, last_segment (path)), NULL);
  g_autoptr(SoupMessage) umsg = soup_message_new ("GET", url);

  pair->proxy = self;
  pair->client = g_object_ref (connection);
  pair->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  pair->cancellable = g_cancellable_new ();
  soup_websocket_connection_set_max_incoming_payload_size (connection, 16 * 1024 * 1024);
  g_signal_connect (connection, "message", G_CALLBACK (client_message_cb), pair);
  g_signal_connect (connection, "closed", G_CALLBACK (client_closed_cb), pair);
  g_ptr_array_add (self->pairs, pair);
  soup_session_websocket_connect_async (self->session, umsg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        pair->cancellable, upstream_connected_cb, pair);
}

/* ------------------------------------------------------------------ life */

FcmProbeProxy *
fcm_probe_proxy_new (const char     *upstream_url,
                     FcmProxyFaults  faults)
{
  FcmProbeProxy *self = g_new0 (FcmProbeProxy, 1);
  g_autoptr(GUri) upstream = g_uri_parse (upstream_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GSList *listeners;
  guint16 port;

  g_assert_nonnull (upstream);
  self->faults = faults;
  self->upstream_origin = g_strdup_printf ("http://%s:%d", g_uri_get_host (upstream), g_uri_get_port (upstream));
  self->upstream_ws = g_strdup_printf ("ws://%s:%d/fhircast/ws/", g_uri_get_host (upstream), g_uri_get_port (upstream));
  self->fake_to_real = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->real_to_fake = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_free);
  self->session = soup_session_new_with_options ("max-conns-per-host", 64, NULL);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (self->server, "/fhircast/ws", NULL, NULL, ws_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, http_cb, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  /* not soup_server_get_uris(): it leaks a GSocketAddress in libsoup 3.2 */
  listeners = soup_server_get_listeners (self->server);
  local = g_socket_get_local_address (listeners->data, &error);
  g_slist_free (listeners);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  self->url = g_strdup_printf ("http://127.0.0.1:%u/fhircast", port);
  self->ws = g_strdup_printf ("ws://127.0.0.1:%u/fhircast/ws/", port);
  return self;
}

const char *
fcm_probe_proxy_get_url (FcmProbeProxy *self)
{
  return self->url;
}

void
fcm_probe_proxy_free (FcmProbeProxy *self)
{
  g_ptr_array_unref (self->pairs);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  soup_session_abort (self->session);
  g_object_unref (self->session);
  g_hash_table_unref (self->fake_to_real);
  g_hash_table_unref (self->real_to_fake);
  g_hash_table_unref (self->seen_ids);
  g_free (self->upstream_origin);
  g_free (self->upstream_ws);
  g_free (self->url);
  g_free (self->ws);
  g_free (self);
}
