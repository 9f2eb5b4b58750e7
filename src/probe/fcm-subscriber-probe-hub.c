/* fcm-subscriber-probe-hub.c: the subscriber probe's own small hub
 *
 * Just enough of a FHIRcast hub for an app to subscribe, connect, fetch
 * the current context, publish and unsubscribe; everything it sees is
 * recorded for the scenarios, which make it misbehave on purpose (drop the
 * socket, deny, send garbage, …). It serves one topic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-subscriber-probe-private.h"

#define BASE_PATH "/fhircast"
#define WS_PATH   BASE_PATH "/ws"

/* Delay between the 202 and the syncerror of a rejected request (H-17). */
#define REJECT_DELAY_MS 100

/* ------------------------------------------------------------------ HTTP */

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_endpoint (FcmSubscriberProbe *self,
                  SoupServerMessage  *msg,
                  FcmSpSub           *sub)
{
  g_autofree char *body = g_strdup_printf ("{\"hub.channel.endpoint\":\"%s\"}", sub->endpoint);

  fcm_sp_evidence (self, "→ 202 %s", body);
  respond (msg, SOUP_STATUS_ACCEPTED, "application/json", body);
}

static void
refuse (FcmSubscriberProbe *self,
        SoupServerMessage  *msg,
        guint               status,
        const char         *reason)
{
  fcm_sp_evidence (self, "→ %u %s", status, reason);
  respond (msg, status, "text/plain", reason);
}

static char *
new_endpoint_id (void)
{
  return g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (), g_random_int (), g_random_int ());
}

static void
handle_subscribe (FcmSubscriberProbe *self,
                  SoupServerMessage  *msg,
                  GHashTable         *form,
                  const char         *content_type)
{
  const char *endpoint = g_hash_table_lookup (form, "hub.channel.endpoint");
  const char *type = g_hash_table_lookup (form, "hub.channel.type");
  const char *topic = g_hash_table_lookup (form, "hub.topic");
  const char *events = g_hash_table_lookup (form, "hub.events");
  const char *lease = g_hash_table_lookup (form, "hub.lease_seconds");
  guint64 asked = 0;
  FcmSpSub *sub;

  if (endpoint != NULL && endpoint[0] != '\0')
    {
      sub = fcm_sp_find_sub (self, endpoint);
      if (sub == NULL || sub->retired)
        {
          refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "unknown hub.channel.endpoint");
          return;
        }
      /* C-23: a renewal */
      {
        gint64 now = g_get_monotonic_time ();

        g_array_append_val (sub->renewals, now);
      }
      respond_endpoint (self, msg, sub);
      fcm_sp_poke (self);
      return;
    }
  if (type == NULL || g_ascii_strcasecmp (type, "websocket") != 0)
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "hub.channel.type must be \"websocket\"");
      return;
    }
  if (g_strcmp0 (topic, self->topic) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("this probe serves the topic %s only", self->topic);

      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, reason);
      return;
    }
  if (events == NULL || events[0] == '\0')
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "hub.events is missing or empty");
      return;
    }

  sub = fcm_sp_sub_new (self);
  sub->id = new_endpoint_id ();
  sub->endpoint = g_strconcat (self->ws_base, sub->id, NULL);
  sub->form = g_hash_table_ref (form);
  sub->content_type = g_strdup (content_type);
  sub->name = g_strdup (g_hash_table_lookup (form, "subscriber.name"));
  sub->events = g_strsplit (events, ",", -1);
  for (guint i = 0; sub->events[i] != NULL; i++)
    g_strstrip (sub->events[i]);
  if (lease != NULL)
    g_ascii_string_to_unsigned (lease, 10, 1, 86400, &asked, NULL);
  sub->lease = self->grant_lease > 0 ? self->grant_lease : asked > 0 ? (guint) asked : 3600;
  fcm_probe_add_endpoint_secret (FCM_PROBE (self), sub->endpoint);
  respond_endpoint (self, msg, sub);
  fcm_sp_poke (self);
}

static void
handle_unsubscribe (FcmSubscriberProbe *self,
                    SoupServerMessage  *msg,
                    GHashTable         *form)
{
  FcmSpSub *sub = fcm_sp_find_sub (self, g_hash_table_lookup (form, "hub.channel.endpoint"));

  if (sub == NULL)
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "unknown hub.channel.endpoint");
      return;
    }
  if (sub->unsubscribe == NULL)
    sub->unsubscribe = g_hash_table_ref (form);
  respond_endpoint (self, msg, sub);
  /* H-14: a denial; the socket stays up so that the app closes it (C-42) */
  fcm_sp_send_denial (sub, "unsubscribed");
  sub->retired = TRUE;
  fcm_sp_poke (self);
}

typedef struct
{
  FcmSubscriberProbe *probe;
  char               *id;
  char               *event;
} Rejection;

static void
rejection_free (gpointer data)
{
  Rejection *r = data;

  g_object_unref (r->probe);
  g_free (r->id);
  g_free (r->event);
  g_free (r);
}

static gboolean
reject_cb (gpointer data)
{
  Rejection *r = data;
  FcmSubscriberProbe *self = r->probe;
  const char *id = r->id;
  const char *event = r->event;

  /* the requester is the subscription the scenario watches */
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      FcmSpSub *sub = g_ptr_array_index (self->subscriptions, i);

      if (sub->claimed && !sub->retired && sub->ws != NULL && !sub->closed)
        {
          g_autofree char *diagnostics =
            g_strdup_printf ("The hub rejected %s after accepting it for asynchronous processing (fhircast probe)",
                             event);
          g_autoptr(JsonArray) context = fcm_probe_context_syncerror (id, event, sub->name ? sub->name : "",
                                                                      diagnostics);
          g_free (fcm_sp_send_event (sub, NULL, NULL, "SyncError", context, NULL, NULL));
          break;
        }
    }
  fcm_sp_poke (self);
  return G_SOURCE_REMOVE;
}

static void
handle_context_change (FcmSubscriberProbe *self,
                       SoupServerMessage  *msg,
                       const char         *body,
                       gsize               len)
{
  g_autoptr(JsonNode) root = fcm_json_parse (body, (gssize) len, NULL);
  JsonObject *obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *event = obj != NULL ? fcm_json_get_object (obj, "event") : NULL;
  FcmSpRequest *request;

  if (obj == NULL || event == NULL || fcm_json_get_string (obj, "id") == NULL)
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "not a FHIRcast context change");
      return;
    }
  request = g_new0 (FcmSpRequest, 1);
  request->id = g_strdup (fcm_json_get_string (obj, "id"));
  request->event = g_strdup (fcm_json_get_string (event, "hub.event"));
  request->timestamp = g_strdup (fcm_json_get_string (obj, "timestamp"));
  request->at = g_get_monotonic_time ();
  g_ptr_array_add (self->requests, request);

  if (self->reject_requests)
    {
      /* H-17: 202, then a syncerror to the requester only */
      Rejection *r = g_new0 (Rejection, 1);

      r->probe = g_object_ref (self);
      r->id = g_strdup (request->id);
      r->event = g_strdup (request->event ? request->event : "");
      g_timeout_add_full (G_PRIORITY_DEFAULT, REJECT_DELAY_MS, reject_cb, r, rejection_free);
      fcm_sp_evidence (self, "→ 202");
      respond (msg, SOUP_STATUS_ACCEPTED, "text/plain", "");
    }
  else
    {
      /* accepted and echoed to every subscriber (C-38) */
      for (guint i = 0; i < self->subscriptions->len; i++)
        {
          FcmSpSub *sub = g_ptr_array_index (self->subscriptions, i);

          if (!sub->retired && sub->ws != NULL && !sub->closed)
            fcm_sp_send (sub, body, len);
        }
      fcm_sp_evidence (self, "→ 200");
      respond (msg, SOUP_STATUS_OK, "text/plain", "");
    }
  fcm_sp_poke (self);
}

static char *
current_context (FcmSubscriberProbe *self)
{
  g_autoptr(JsonArray) context = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "context.type");
  json_builder_add_string_value (b, self->context_open ? "DiagnosticReport" : "");
  if (self->context_open)
    {
      json_builder_set_member_name (b, "context.versionId");
      json_builder_add_string_value (b, self->version);
    }
  json_builder_set_member_name (b, "context");
  json_builder_begin_array (b);
  if (self->context_open)
    {
      context = fcm_probe_context_open (self->report, self->patient, self->study);
      for (guint i = 0; i < json_array_get_length (context); i++)
        json_builder_add_value (b, json_node_copy (json_array_get_element (context, i)));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, "content");
      json_builder_set_member_name (b, "resource");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "resourceType");
      json_builder_add_string_value (b, "Bundle");
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "collection");
      json_builder_set_member_name (b, "entry");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return fcm_json_to_string (root, FALSE);
}

static const char configuration[] =
  "{\"eventsSupported\":[\"DiagnosticReport-open\",\"DiagnosticReport-close\",\"DiagnosticReport-update\","
  "\"DiagnosticReport-select\",\"SyncError\"],\"websocketSupport\":true,\"fhircastVersion\":\"3.0.0\","
  "\"getCurrentSupport\":true,\"capabilities\":{\"supportsGetCurrentContext\":true,"
  "\"supportsNonCurrentContextUpdates\":false},\"fhirVersion\":\"R5\"}";

static void
http_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  FcmSubscriberProbe *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = g_strndup (data != NULL ? data : "", len);

  if (g_str_equal (method, "POST") && g_str_equal (path, BASE_PATH))
    {
      fcm_sp_evidence (self, "← POST %s %.300s", type ? type : "", text);
      if (type != NULL && g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0)
        {
          g_autoptr(GHashTable) form = soup_form_decode (text);
          const char *mode = g_hash_table_lookup (form, "hub.mode");

          if (g_strcmp0 (mode, "subscribe") == 0)
            handle_subscribe (self, msg, form, type);
          else if (g_strcmp0 (mode, "unsubscribe") == 0)
            handle_unsubscribe (self, msg, form);
          else
            refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "hub.mode must be \"subscribe\" or \"unsubscribe\"");
        }
      else
        handle_context_change (self, msg, text, len);
      return;
    }
  if (g_str_equal (method, "GET") && g_str_equal (path, BASE_PATH "/.well-known/fhircast-configuration"))
    {
      respond (msg, SOUP_STATUS_OK, "application/json", configuration);
      return;
    }
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, BASE_PATH "/"))
    {
      g_autofree char *topic = g_uri_unescape_string (path + strlen (BASE_PATH "/"), NULL);
      g_autofree char *answer = NULL;
      gint64 now = g_get_monotonic_time ();

      fcm_sp_evidence (self, "← GET %s", path);
      if (g_strcmp0 (topic, self->topic) != 0)
        {
          refuse (self, msg, SOUP_STATUS_NOT_FOUND, "unknown topic");
          return;
        }
      g_array_append_val (self->gets, now);
      answer = current_context (self);
      fcm_sp_evidence (self, "→ 200 %.200s", answer);
      respond (msg, SOUP_STATUS_OK, "application/json", answer);
      fcm_sp_poke (self);
      return;
    }
  respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "not found");
}

/* -------------------------------------------------------------- WebSocket */

static void
ws_message_cb (SoupWebsocketConnection *ws,
               SoupWebsocketDataType    type,
               GBytes                  *message,
               FcmSpSub                *sub)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  g_autofree char *text = g_strndup (data != NULL ? data : "", len);
  g_autoptr(JsonNode) root = type == SOUP_WEBSOCKET_DATA_TEXT ? fcm_json_parse (text, (gssize) len, NULL) : NULL;
  JsonObject *obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *id = obj != NULL ? fcm_json_get_string (obj, "id") : NULL;

  if (id != NULL && obj != NULL && !json_object_has_member (obj, "event"))
    {
      FcmSpAck *ack = g_new0 (FcmSpAck, 1);
      JsonNode *status = json_object_get_member (obj, "status");
      gint64 value = 0;

      ack->id = g_strdup (id);
      ack->at = g_get_monotonic_time ();
      if (status != NULL && JSON_NODE_HOLDS_VALUE (status) && json_node_get_value_type (status) == G_TYPE_INT64 &&
          json_node_get_int (status) >= 100 && json_node_get_int (status) <= 599)
        {
          ack->status = (int) json_node_get_int (status);
          ack->has_status = TRUE;
        }
      else if (status != NULL && fcm_json_node_is_string (status) &&
               g_ascii_string_to_signed (json_node_get_string (status), 10, 100, 599, &value, NULL))
        {
          ack->status = (int) value;
          ack->has_status = TRUE;
        }
      g_ptr_array_add (sub->acks, ack);
      fcm_sp_evidence (sub->probe, "← ack %.200s", text);
    }
  else
    {
      sub->n_other++;
      fcm_sp_evidence (sub->probe, "← %.200s", type == SOUP_WEBSOCKET_DATA_TEXT ? text : "<binary>");
    }
  fcm_sp_poke (sub->probe);
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              FcmSpSub                *sub)
{
  sub->closed = TRUE;
  sub->close_code = soup_websocket_connection_get_close_code (ws);
  fcm_sp_evidence (sub->probe, "⇄ the socket closed (code %u)", sub->close_code);
  fcm_sp_poke (sub->probe);
}

/* Refuses the upgrade to an unknown or retired endpoint before the handshake. */
static void
ws_early_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  FcmSubscriberProbe *self = user_data;
  FcmSpSub *sub = fcm_sp_find_sub (self, path);

  if (sub == NULL || sub->retired)
    {
      fcm_sp_evidence (self, "← WebSocket upgrade to %s: refused (404)", sub != NULL ? sub->endpoint : path);
      respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "unknown endpoint");
    }
}

static void
ws_cb (SoupServer              *server,
       SoupServerMessage       *msg,
       const char              *path,
       SoupWebsocketConnection *connection,
       gpointer                 user_data)
{
  FcmSubscriberProbe *self = user_data;
  FcmSpSub *sub = fcm_sp_find_sub (self, path);

  if (sub == NULL || sub->retired)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unknown endpoint");
      return;
    }
  if (sub->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->ws, sub);
      if (soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (sub->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&sub->ws);
    }
  sub->ws = g_object_ref (connection);
  sub->connected = TRUE;
  sub->closed = FALSE;
  soup_websocket_connection_set_max_incoming_payload_size (connection, 16 * 1024 * 1024);
  g_signal_connect (connection, "message", G_CALLBACK (ws_message_cb), sub);
  g_signal_connect (connection, "closed", G_CALLBACK (ws_closed_cb), sub);
  fcm_sp_evidence (self, "⇄ the app connected to %s", sub->endpoint);

  /* H-11 then H-12: the confirmation, then the open context */
  fcm_sp_send_confirmation (sub);
  if (self->context_open && fcm_sp_granted (sub, "DiagnosticReport-open"))
    {
      g_autoptr(JsonArray) context = fcm_probe_context_open (self->report, self->patient, self->study);

      g_free (fcm_sp_send_event (sub, self->open_id, self->open_timestamp, "DiagnosticReport-open",
                                 context, self->version, NULL));
    }
  fcm_sp_poke (self);
}

/* ------------------------------------------------------------------ setup */

gboolean
fcm_sp_hub_listen (FcmSubscriberProbe  *self,
                   GError             **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GSList *listeners;
  g_autofree char *host = NULL;
  int port;

  if (self->server != NULL)
    return TRUE;

  address = g_inet_address_new_from_string (self->host);
  if (address == NULL)
    {
      g_set_error (error, FCM_PROBE_ERROR, FCM_PROBE_ERROR_INVALID, _("Not an IP address: %s"), self->host);
      return FALSE;
    }
  self->server = soup_server_new ("server-header", "fhircast-probe", NULL);
  soup_server_add_early_handler (self->server, WS_PATH, ws_early_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, WS_PATH, NULL, NULL, ws_cb, self, NULL);
  soup_server_add_handler (self->server, BASE_PATH, http_cb, self, NULL);

  socket_address = g_inet_socket_address_new (address, self->port);
  if (!soup_server_listen (self->server, socket_address, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  /* not soup_server_get_uris(): it leaks a GSocketAddress in libsoup 3.2 */
  listeners = soup_server_get_listeners (self->server);
  local = listeners != NULL ? g_socket_get_local_address (listeners->data, error) : NULL;
  g_slist_free (listeners);
  if (local == NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
      return FALSE;
    }
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  host = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6
         ? g_strdup_printf ("[%s]", self->host) : g_strdup (self->host);
  self->hub_url = g_strdup_printf ("http://%s:%d" BASE_PATH, host, port);
  self->ws_base = g_strdup_printf ("ws://%s:%d" WS_PATH "/", host, port);
  return TRUE;
}

void
fcm_sp_hub_stop (FcmSubscriberProbe *self)
{
  if (self->subscriptions != NULL)
    g_ptr_array_set_size (self->subscriptions, 0);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}
