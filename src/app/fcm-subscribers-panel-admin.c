/* fcm-subscribers-panel-admin.c: the subscribers of a hub on this computer
 *
 * A remote hub does not tell a subscriber who else subscribed. Our own hub
 * does, on loopback, when it runs with --admin: GET /admin/subscribers
 * (docs/hub.md). While the panel is shown and the hub's URL is a loopback
 * one, the panel asks every 2 seconds, one request at a time; any failure
 * (no --admin, 403, another hub's 404, not JSON) quietly falls back to our
 * own subscription. The answer carries full endpoint ids: they are
 * redacted here and never kept (C-09, H-02).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmSubscribersPanel"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-json-private.h"
#include "fcm-subscribers-panel-private.h"

#define ADMIN_POLL_SECONDS 2
#define ADMIN_TIMEOUT_SECONDS 5

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* GUri gives an IPv6 literal without its brackets */
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* http(s)://host:port/admin/subscribers?topic=…, or NULL when the hub is
 * not on this computer (or the connection is a recording: no hub now) */
static char *
admin_url (FcmSubscribersPanel *self)
{
  FcmHubClient *client = fcm_connection_get_client (self->connection);
  g_autoptr(GUri) uri = g_uri_parse (fcm_hub_client_get_hub_url (client), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) admin = NULL;
  g_autofree char *query = NULL;
  g_autofree char *topic = NULL;

  if (uri == NULL || !host_is_loopback (g_uri_get_host (uri)) ||
      fcm_connection_get_recording (self->connection) != NULL)
    return NULL;
  topic = g_uri_escape_string (fcm_hub_client_get_topic (client), NULL, FALSE);
  query = g_strconcat ("topic=", topic, NULL);
  admin = g_uri_build (G_URI_FLAGS_ENCODED_QUERY, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                       g_uri_get_port (uri), "/admin/subscribers", query, NULL);
  return g_uri_to_string (admin);
}

gboolean
_fcm_subscribers_admin_possible (FcmSubscribersPanel *self)
{
  g_autofree char *url = NULL;

  if (self->connection == NULL || self->hub != NULL)
    return FALSE;
  url = admin_url (self);
  return url != NULL;
}

static char **
read_events (JsonObject *obj)
{
  JsonArray *array = fcm_json_get_array (obj, "events");
  GStrvBuilder *builder = g_strv_builder_new ();
  char **events;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *event = fcm_json_array_get_string (array, i);

      if (event != NULL)
        g_strv_builder_add (builder, event);
    }
  events = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return events;
}

static guint64
read_count (JsonObject *obj,
            const char *member)
{
  gint64 value = 0;

  return fcm_json_get_int (obj, member, &value) && value > 0 ? (guint64) value : 0;
}

/* The answer as views, or NULL when it is not our /admin/subscribers */
static GPtrArray *
parse_answer (FcmSubscribersPanel *self,
              GBytes              *body)
{
  const char *own = fcm_hub_client_get_endpoint (fcm_connection_get_client (self->connection));
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func ((GDestroyNotify) _fcm_subscriber_view_free);
  JsonArray *subscribers;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (own != NULL && strrchr (own, '/') != NULL)
    own = strrchr (own, '/') + 1;
  root = fcm_json_parse (data, (gssize) size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  subscribers = fcm_json_get_array (json_node_get_object (root), "subscribers");
  if (subscribers == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (subscribers); i++)
    {
      JsonObject *obj = fcm_json_array_get_object (subscribers, i);
      const char *endpoint = obj != NULL ? fcm_json_get_string (obj, "endpoint") : NULL;
      FcmSubscriberView *view;
      gboolean connected = FALSE;
      JsonNode *latency;

      if (endpoint == NULL)
        continue;
      view = g_new0 (FcmSubscriberView, 1);
      /* a digest tells rows apart without keeping the id */
      view->key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, endpoint, -1);
      view->endpoint = _fcm_subscribers_redact (endpoint);
      view->is_self = own != NULL && g_str_equal (own, endpoint);
      view->name = g_strdup (fcm_json_get_string (obj, "name"));
      view->events = read_events (obj);
      fcm_json_get_bool (obj, "connected", &connected);
      view->state = connected ? _("Connected") : _("Not connected");
      view->has_figures = TRUE;
      view->acks = read_count (obj, "acks");
      view->refused_acks = read_count (obj, "refusedAcks");
      /* an older hub has only the misses in a row */
      view->missed_acks = read_count (obj, json_object_has_member (obj, "missedAcksTotal")
                                           ? "missedAcksTotal" : "missedAcks");
      view->pending_acks = (guint) MIN (read_count (obj, "acksPending"), G_MAXUINT);
      latency = json_object_get_member (obj, "lastAckLatencyMs");
      view->last_ack_latency = latency != NULL && JSON_NODE_HOLDS_VALUE (latency) &&
                               (json_node_get_value_type (latency) == G_TYPE_DOUBLE ||
                                json_node_get_value_type (latency) == G_TYPE_INT64)
                               ? (gint64) (json_node_get_double (latency) * 1000.0) : -1;
      g_ptr_array_add (views, view);
    }
  return g_steal_pointer (&views);
}

static void
answer_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  FcmSubscribersPanel *self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  GPtrArray *views = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  self->admin_busy = FALSE;
  if (body != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK)
    views = parse_answer (self, body);
  else
    g_debug ("no /admin/subscribers here: %s", error != NULL ? error->message
                                                             : soup_status_get_phrase (soup_message_get_status (msg)));
  g_clear_pointer (&self->admin_views, g_ptr_array_unref);
  self->admin_views = views;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    _fcm_subscribers_panel_refresh (self);
  g_object_unref (self);
}

static gboolean
poll_cb (gpointer data)
{
  FcmSubscribersPanel *self = data;
  g_autofree char *url = admin_url (self);
  g_autoptr(SoupMessage) msg = NULL;
  const char *token = fcm_hub_client_get_token (fcm_connection_get_client (self->connection));

  if (self->admin_busy || url == NULL)
    return G_SOURCE_CONTINUE;
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    return G_SOURCE_CONTINUE;
  if (token != NULL && *token != '\0')
    {
      /* the hub's own secret, to the hub it belongs to (on this computer) */
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", ADMIN_TIMEOUT_SECONDS, NULL);
  self->admin_busy = TRUE;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_LOW, self->admin_cancel,
                                    answer_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

void
_fcm_subscribers_admin_start (FcmSubscribersPanel *self)
{
  if (self->admin_poll_id != 0 || !_fcm_subscribers_admin_possible (self))
    return;
  self->admin_cancel = g_cancellable_new ();
  self->admin_poll_id = g_timeout_add_seconds (ADMIN_POLL_SECONDS, poll_cb, self);
  poll_cb (self);
}

void
_fcm_subscribers_admin_stop (FcmSubscribersPanel *self)
{
  g_clear_handle_id (&self->admin_poll_id, g_source_remove);
  if (self->admin_cancel != NULL)
    g_cancellable_cancel (self->admin_cancel);
  g_clear_object (&self->admin_cancel);
  self->admin_busy = FALSE;
}
