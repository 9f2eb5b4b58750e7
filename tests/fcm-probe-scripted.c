/* fcm-probe-scripted.c: a scripted subscriber for the subscriber probe tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-probe-scripted.h"

struct _Scripted
{
  SoupSession             *session;
  GCancellable            *cancellable;
  char                    *hub;
  char                    *topic;
  guint                    flags;
  char                    *endpoint;
  SoupWebsocketConnection *ws;
  char                    *version;
  char                    *published;
  GHashTable              *acked;
  guint                    renew_id;
  guint                    reconnect_id;
  gboolean                 stopped;
  gboolean                 dead;
  gboolean                 fetched;
};

static void scripted_subscribe (Scripted *sc);

static void
ignore_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
}

static void
post (Scripted   *sc,
      const char *content_type,
      const char *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", sc->hub);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  soup_session_send_and_read_async (sc->session, msg, G_PRIORITY_DEFAULT, sc->cancellable, ignore_cb, NULL);
}

static void
fetch (Scripted *sc)
{
  g_autofree char *url = g_strconcat (sc->hub, "/", sc->topic, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  soup_session_send_and_read_async (sc->session, msg, G_PRIORITY_DEFAULT, sc->cancellable, ignore_cb, NULL);
}

static void
send_ack (Scripted   *sc,
          const char *id)
{
  g_autofree char *ack = NULL;

  if (soup_websocket_connection_get_state (sc->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  if ((sc->flags & BAD_ACK_ONCE) && !g_hash_table_add (sc->acked, g_strdup (id)))
    return;
  ack = (sc->flags & BAD_ACK_NO_STATUS) ? g_strdup_printf ("{\"id\":\"%s\"}", id)
                                        : g_strdup_printf ("{\"id\":\"%s\",\"status\":200}", id);
  soup_websocket_connection_send_text (sc->ws, ack);
}

static gboolean
renew_cb (gpointer data)
{
  Scripted *sc = data;
  g_autofree char *form = NULL;

  sc->renew_id = 0;
  form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", sc->topic,
                           "hub.events", "DiagnosticReport-open,DiagnosticReport-close,DiagnosticReport-update,"
                           "DiagnosticReport-select,SyncError", "subscriber.name", "scripted",
                           "hub.channel.endpoint", sc->endpoint, NULL);
  post (sc, "application/x-www-form-urlencoded", form);
  return G_SOURCE_REMOVE;
}

static void
on_event (Scripted   *sc,
          JsonObject *obj)
{
  JsonObject *event = fcm_json_get_object (obj, "event");
  const char *id = fcm_json_get_string (obj, "id");
  const char *name = event != NULL ? fcm_json_get_string (event, "hub.event") : NULL;
  const char *version = event != NULL ? fcm_json_get_string (event, "context.versionId") : NULL;
  const char *prior = event != NULL ? fcm_json_get_string (event, "context.priorVersionId") : NULL;
  gboolean syncerror = name != NULL && fcm_event_name_equal (name, "syncerror");

  if (id != NULL && !(syncerror && (sc->flags & BAD_NO_SYNCERROR_ACK)))
    send_ack (sc, id);
  if (syncerror && sc->published != NULL && (sc->flags & BAD_RESEND_AT_ONCE))
    post (sc, "application/json", sc->published);
  /* C-33: a version gap → fetch again */
  if (prior != NULL && g_strcmp0 (prior, sc->version) != 0 && !(sc->flags & (BAD_NO_GAP_FETCH | BAD_NO_FETCH)))
    fetch (sc);
  if (version != NULL)
    {
      g_free (sc->version);
      sc->version = g_strdup (version);
    }
}

static void
message_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            Scripted                *sc)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_autoptr(JsonNode) root = type == SOUP_WEBSOCKET_DATA_TEXT ? fcm_json_parse (text, -1, NULL) : NULL;
  FcmMessageKind kind = root != NULL ? fcm_validator_classify (root) : FCM_MESSAGE_UNKNOWN;
  gint64 lease = 0;

  if (root == NULL && (sc->flags & BAD_DIE_ON_GARBAGE))
    sc->dead = TRUE;
  if (root == NULL && (sc->flags & BAD_CLOSE_ON_GARBAGE) &&
      soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA, NULL);
      return;
    }
  if (sc->dead)
    return;
  switch (kind)
    {
    case FCM_MESSAGE_CONFIRMATION:
      fcm_json_get_int (json_node_get_object (root), "hub.lease_seconds", &lease);
      g_clear_handle_id (&sc->renew_id, g_source_remove);
      if (lease > 0 && !(sc->flags & BAD_NO_RENEW))
        sc->renew_id = g_timeout_add ((guint) (lease * 500), renew_cb, sc);
      if (!sc->fetched && !(sc->flags & BAD_NO_FETCH))
        fetch (sc);
      sc->fetched = TRUE;
      break;
    case FCM_MESSAGE_DENIAL:
      if (sc->flags & BAD_IGNORE_DENIAL)
        scripted_subscribe (sc);
      else
        sc->stopped = TRUE;
      break;
    case FCM_MESSAGE_EVENT:
      on_event (sc, json_node_get_object (root));
      break;
    case FCM_MESSAGE_UNKNOWN:
    case FCM_MESSAGE_LEGACY_EVENT:
    case FCM_MESSAGE_ACK:
    case FCM_MESSAGE_LEGACY_STATUS:
    case FCM_MESSAGE_CURRENT_CONTEXT:
    case FCM_MESSAGE_SUBSCRIPTION_REQUEST:
    case FCM_MESSAGE_SUBSCRIPTION_RESPONSE:
    case FCM_MESSAGE_CONFIGURATION:
    case FCM_MESSAGE_BACKPORT:
    case FCM_MESSAGE_GETTOPIC:
    default:
      break;
    }
}

static gboolean
reconnect_cb (gpointer data)
{
  Scripted *sc = data;

  sc->reconnect_id = 0;
  scripted_subscribe (sc);
  return G_SOURCE_REMOVE;
}

static void
closed_cb (SoupWebsocketConnection *ws,
           Scripted                *sc)
{
  g_clear_handle_id (&sc->renew_id, g_source_remove);
  if (sc->stopped || (sc->flags & BAD_NO_RECONNECT))
    return;
  /* C-68: a new subscription */
  sc->reconnect_id = g_timeout_add (100, reconnect_cb, sc);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Scripted *sc = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (ws == NULL)
    return;
  if (sc->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (sc->ws, sc);
      g_object_unref (sc->ws);
    }
  sc->ws = ws;
  soup_websocket_connection_set_max_incoming_payload_size (ws, (sc->flags & BAD_SMALL_FRAMES) ? 64 * 1024
                                                                                             : 16 * 1024 * 1024);
  g_signal_connect (ws, "message", G_CALLBACK (message_cb), sc);
  g_signal_connect (ws, "closed", G_CALLBACK (closed_cb), sc);
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Scripted *sc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *endpoint;

  if (body == NULL)
    return;
  root = fcm_json_parse (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL);
  endpoint = root != NULL ? fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint") : NULL;
  if (endpoint == NULL)
    return;
  g_free (sc->endpoint);
  sc->endpoint = g_strdup (endpoint);
  msg = soup_message_new ("GET", endpoint);
  soup_session_websocket_connect_async (sc->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, sc->cancellable,
                                        connected_cb, sc);
}

static void
scripted_subscribe (Scripted *sc)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *form = NULL;
  const char *events = "DiagnosticReport-open,DiagnosticReport-close,DiagnosticReport-update,"
                       "DiagnosticReport-select,SyncError";

  sc->fetched = FALSE;
  if (sc->flags & BAD_NO_NAME)
    form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", sc->topic,
                             "hub.events", events, NULL);
  else
    form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", sc->topic,
                             "hub.events", events, "subscriber.name", "scripted", NULL);
  msg = soup_message_new ("POST", sc->hub);
  bytes = g_bytes_new (form, strlen (form));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_session_send_and_read_async (sc->session, msg, G_PRIORITY_DEFAULT, sc->cancellable, subscribed_cb, sc);
}

Scripted *
scripted_new (FcmSubscriberProbe *probe,
              guint               flags)
{
  Scripted *sc = g_new0 (Scripted, 1);

  sc->session = soup_session_new ();
  sc->cancellable = g_cancellable_new ();
  sc->hub = g_strdup (fcm_subscriber_probe_get_hub_url (probe));
  sc->topic = g_strdup (fcm_subscriber_probe_get_topic (probe));
  sc->flags = flags;
  sc->acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scripted_subscribe (sc);
  return sc;
}

void
scripted_stop (Scripted *sc)
{
  sc->stopped = TRUE;
  if (sc->endpoint != NULL && !(sc->flags & BAD_NO_UNSUBSCRIBE))
    {
      g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "unsubscribe",
                                                "hub.topic", sc->topic, "hub.channel.endpoint", sc->endpoint, NULL);

      post (sc, "application/x-www-form-urlencoded", form);
    }
  if (sc->ws != NULL && soup_websocket_connection_get_state (sc->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (sc->ws, (sc->flags & BAD_CLOSE_4000) ? 4000 : SOUP_WEBSOCKET_CLOSE_NORMAL,
                                     NULL);
}

void
scripted_publish (Scripted *sc)
{
  g_autoptr(JsonArray) context = fcm_context_build_open ("rpt-scripted", "pat-scripted", "st-scripted", NULL, NULL);
  g_autoptr(FcmEvent) event = NULL;
  g_autofree char *id = g_uuid_string_random ();

  event = fcm_event_new (id, "2025-01-01T00:00:00Z", sc->topic, "DiagnosticReport-open", context, NULL, NULL);
  g_free (sc->published);
  sc->published = fcm_event_to_json (event, FALSE);
  post (sc, "application/json", sc->published);
}

void
scripted_free (Scripted *sc)
{
  g_cancellable_cancel (sc->cancellable);
  g_clear_handle_id (&sc->renew_id, g_source_remove);
  g_clear_handle_id (&sc->reconnect_id, g_source_remove);
  if (sc->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (sc->ws, sc);
      if (soup_websocket_connection_get_state (sc->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (sc->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (sc->ws);
    }
  soup_session_abort (sc->session);
  g_object_unref (sc->session);
  g_object_unref (sc->cancellable);
  g_hash_table_unref (sc->acked);
  g_free (sc->hub);
  g_free (sc->topic);
  g_free (sc->endpoint);
  g_free (sc->version);
  g_free (sc->published);
  g_free (sc);
}
