/* fcm-hub-client-subscribe.c: subscribing, the confirmation, lease renewal, unsubscribing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmHubClient (see fcm-hub-client-private.h): the subscription's
 * life over HTTP (C-11 … C-23, C-40), and the 2019 prototype's GetTopic.
 * The WebSocket it opens is fcm-hub-client-socket.c.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-error.h"
#include "fcm-hub-client-private.h"
#include "fcm-json-private.h"

/* Never log a secret (token, endpoint id, topic) in full (C-09). */
static char *
redact (const char *text)
{
  if (text == NULL)
    return g_strdup ("(null)");
  if (strlen (text) <= 4)
    return g_strdup ("…");
  return g_strdup_printf ("%.4s…", text);
}

static char *
redact_url (const char *url)
{
  const char *slash;

  if (url == NULL)
    return g_strdup ("(null)");
  slash = strrchr (url, '/');
  if (slash == NULL)
    return redact (url);
  return g_strdup_printf ("%.*s/%.4s…", (int) (slash - url), url, slash + 1);
}

/* ---------------------------------------------------------------- subscribe */

SoupMessage *
_fcm_hub_client_subscribe_message (FcmHubClient *self,
                                   const char   *mode,
                                   const char   *endpoint)
{
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  SoupMessage *msg;
  char *encoded;

  g_hash_table_insert (form, (char *) "hub.channel.type", g_strdup ("websocket"));
  g_hash_table_insert (form, (char *) "hub.mode", g_strdup (mode));
  g_hash_table_insert (form, (char *) "hub.topic", g_strdup (self->topic));
  if (g_str_equal (mode, "subscribe") && self->legacy)
    {
      g_autofree char *events = g_strjoinv (",", self->events);

      /* 2019 prototype (digest §4.1): legacy names, no lease, no subscriber.name */
      if (g_str_equal (events, FCM_HUB_CLIENT_DEFAULT_EVENTS))
        g_hash_table_insert (form, (char *) "hub.events", g_strdup (FCM_HUB_CLIENT_LEGACY_EVENTS));
      else
        g_hash_table_insert (form, (char *) "hub.events", g_steal_pointer (&events));
    }
  else if (g_str_equal (mode, "subscribe"))
    {
      g_hash_table_insert (form, (char *) "hub.events",
                           g_strjoinv (",", self->events));
      if (self->lease_seconds > 0)
        g_hash_table_insert (form, (char *) "hub.lease_seconds",
                             g_strdup_printf ("%u", self->lease_seconds));
      if (self->subscriber_name != NULL && self->subscriber_name[0] != '\0')
        g_hash_table_insert (form, (char *) "subscriber.name", g_strdup (self->subscriber_name));
    }
  if (endpoint != NULL)
    g_hash_table_insert (form, (char *) "hub.channel.endpoint", g_strdup (endpoint));

  encoded = soup_form_encode_hash (form);
  msg = soup_message_new_from_encoded_form (SOUP_METHOD_POST, self->hub_url, encoded);
  if (msg != NULL)
    {
      _fcm_hub_client_add_auth (self, msg);
      _fcm_hub_client_post_closes (msg);
    }
  return msg;
}

/* Ends the attempt in self->pending with @error (takes it). */
void
_fcm_hub_client_attempt_failed (FcmHubClient *self,
                                GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);
  gboolean internal;

  g_clear_handle_id (&self->confirm_timeout_id, g_source_remove);
  _fcm_hub_client_ws_disconnect (self, TRUE);
  g_clear_pointer (&self->endpoint, g_free);

  if (task == NULL)
    {
      g_error_free (error);
      return;
    }

  internal = _fcm_hub_client_is_reconnect (task);
  if (g_error_matches (error, FCM_ERROR, FCM_ERROR_DENIED))
    _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_DENIED);
  else if (internal && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("client: resubscribe failed: %s", error->message);
      _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_RECONNECTING);
      _fcm_hub_client_schedule_reconnect (self);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_ERROR);
  else
    _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_DISCONNECTED);

  g_task_return_error (task, error);
}

static void
subscribe_post_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmHubClient *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) ws_msg = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *legacy_endpoint = NULL;
  const char *endpoint = NULL;

  /* Translators: starts "%s: the hub answered 403 Forbidden" */
  body = _fcm_hub_client_read_answer (source, result, _("subscribing"), &error);
  if (error == NULL && self->legacy)
    {
      /* 2019 prototype: the socket is derived, ws(s)://host/{topic} */
      g_autoptr(GUri) uri = g_uri_parse (self->hub_url, G_URI_FLAGS_NONE, NULL);
      g_autofree char *escaped = g_uri_escape_string (self->topic, NULL, FALSE);
      g_autofree char *path = g_strconcat ("/", escaped, NULL);

      if (uri != NULL)
        {
          g_autoptr(GUri) ws = g_uri_build (G_URI_FLAGS_NONE,
                                            g_str_equal (g_uri_get_scheme (uri), "https") ? "wss" : "ws",
                                            NULL, g_uri_get_host (uri), g_uri_get_port (uri),
                                            path, NULL, NULL);

          legacy_endpoint = g_uri_to_string (ws);
          endpoint = legacy_endpoint;
        }
    }
  else if (error == NULL)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);

      root = fcm_json_parse (data ? data : "", (gssize) len, &error);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        endpoint = fcm_json_get_string (json_node_get_object (root), "hub.channel.endpoint");
      if (root != NULL && endpoint == NULL)
        error = g_error_new (FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                             _("the hub's subscription response has no hub.channel.endpoint (C-15)"));
      else if (error != NULL)
        g_prefix_error (&error, _("subscription response: "));
    }
  if (error == NULL && endpoint == NULL)
    error = g_error_new (FCM_ERROR, FCM_ERROR_INVALID_MESSAGE, _("hub URL is not a valid URL"));
  if (error != NULL)
    {
      _fcm_hub_client_prefix_tls_error (&error);
      self->pending = g_steal_pointer (&task);
      _fcm_hub_client_attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  g_free (self->endpoint);
  self->endpoint = g_strstrip (g_strdup (endpoint));   /* digest §4.3 item 13 */
  shown = redact_url (self->endpoint);
  g_debug ("client: subscribed, endpoint %s", shown);

  /* C-17: exactly the returned endpoint (over TLS off this machine) */
  ws_msg = soup_message_new (SOUP_METHOD_GET, self->endpoint);
  if (ws_msg == NULL)
    {
      self->pending = g_steal_pointer (&task);
      _fcm_hub_client_attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                                                         _("hub.channel.endpoint is not a valid URL")));
      return;
    }
  if (!_fcm_hub_client_check_url (self, self->endpoint, &error))
    {
      g_prefix_error (&error, "hub.channel.endpoint: ");
      self->pending = g_steal_pointer (&task);
      _fcm_hub_client_attempt_failed (self, g_steal_pointer (&error));
      return;
    }
  /* a hub with tokens binds the endpoint to the token that subscribed: the
   * upgrade carries it, to the hub's own origin only (docs/hub.md) */
  if (_fcm_hub_client_same_origin (self, self->endpoint))
    _fcm_hub_client_add_auth (self, ws_msg);
  _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_CONNECTING);
  _fcm_hub_client_connect_socket (self, ws_msg, g_steal_pointer (&task));
}

void
_fcm_hub_client_start_subscribe (FcmHubClient *self,
                                 GTask        *task)
{
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  self->closing = FALSE;
  if (self->state != FCM_CLIENT_STATE_RECONNECTING)
    _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_SUBSCRIBING);

  /* TLS off this machine */
  if (!_fcm_hub_client_check_url (self, self->hub_url, &error))
    {
      self->pending = g_object_ref (task);
      _fcm_hub_client_attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  /* C-11 / C-12: form POST to hub.url itself */
  msg = _fcm_hub_client_subscribe_message (self, "subscribe", NULL);
  if (msg == NULL)
    {
      self->pending = g_object_ref (task);
      _fcm_hub_client_attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                                                         _("hub URL is not a valid http(s) URL")));
      return;
    }
  _fcm_hub_client_send (self, msg, g_task_get_cancellable (task), subscribe_post_cb, g_object_ref (task));
}

void
fcm_hub_client_subscribe_async (FcmHubClient        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_subscribe_async);

  if (self->pending != NULL || self->ws != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("already subscribed or subscribing"));
      return;
    }
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  self->attempt = 0;
  _fcm_hub_client_start_subscribe (self, task);
}

gboolean
fcm_hub_client_subscribe_finish (FcmHubClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- renewal */

static gboolean renew_cb (gpointer data);

static void
schedule_renewal (FcmHubClient *self)
{
  guint lease = self->granted_lease ? self->granted_lease : self->lease_seconds;
  guint64 ms;

  g_clear_handle_id (&self->renew_id, g_source_remove);
  if (lease == 0 || self->legacy)
    return;
  /* C-23: renew at about 80 % of the lease */
  ms = (guint64) lease * 800;
  self->renew_id = g_timeout_add ((guint) MIN (ms, G_MAXUINT), renew_cb, self);
}

static void
renew_post_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FcmHubClient) self = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = _fcm_hub_client_read_answer (source, result, _("renewing the lease"), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->state != FCM_CLIENT_STATE_RENEWING)
    return;
  if (error != NULL)
    {
      g_debug ("client: %s", error->message);
      _fcm_hub_client_lost_sync (self, "lease renewal failed");
      return;
    }

  /* The hub may send a fresh confirmation (handled in _fcm_hub_client_on_confirmation); don't rely on it. */
  _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_ACTIVE);
  schedule_renewal (self);
}

static gboolean
renew_cb (gpointer data)
{
  FcmHubClient *self = data;
  g_autoptr(SoupMessage) msg = NULL;

  self->renew_id = 0;
  if (self->state != FCM_CLIENT_STATE_ACTIVE || self->endpoint == NULL)
    return G_SOURCE_REMOVE;

  _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_RENEWING);
  /* C-23: same topic and the same hub.channel.endpoint */
  msg = _fcm_hub_client_subscribe_message (self, "subscribe", self->endpoint);
  _fcm_hub_client_send (self, msg, self->cancellable, renew_post_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------- confirmation and denial */

static void
subscribe_context_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) context = NULL;

  context = fcm_hub_client_get_context_finish (FCM_HUB_CLIENT (source), result, &error);
  if (error != NULL)
    g_debug ("client: fetching the current context failed: %s", error->message);
  /* the subscription is up either way; get_context_finish already stored the context */
  g_task_return_boolean (task, TRUE);
}

void
_fcm_hub_client_on_confirmation (FcmHubClient *self,
                                 JsonObject   *object)
{
  const char *events = fcm_json_get_string (object, "hub.events");
  gint64 lease = 0;
  g_autoptr(GTask) task = NULL;

  if (events != NULL)
    {
      g_auto(GStrv) split = g_strsplit (events, ",", -1);

      for (guint i = 0; split[i] != NULL; i++)
        g_strstrip (split[i]);
      g_strfreev (self->granted_events);
      self->granted_events = g_steal_pointer (&split);
      g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_GRANTED_EVENTS]);
    }
  else if (self->granted_events == NULL || self->granted_events[0] == NULL)
    {
      /* sandbox-style hubs omit hub.events (interop.md): assume the request was granted */
      g_strfreev (self->granted_events);
      self->granted_events = g_strdupv (self->events);
      g_object_notify_by_pspec (G_OBJECT (self), _fcm_hub_client_properties[PROP_GRANTED_EVENTS]);
    }
  if (fcm_json_get_int (object, "hub.lease_seconds", &lease) && lease > 0)
    self->granted_lease = (guint) MIN (lease, G_MAXUINT / 1000);
  else
    self->granted_lease = 0;

  g_clear_handle_id (&self->confirm_timeout_id, g_source_remove);
  /* C-68: the backoff starts over only once this connection proved stable */
  _fcm_hub_client_start_stable_timer (self);
  _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_ACTIVE);
  schedule_renewal (self);

  task = g_steal_pointer (&self->pending);
  if (task != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* C-22 / C-52: current context right after subscribing (also after a reconnect, C-68) */
      fcm_hub_client_get_context_async (self, cancellable, subscribe_context_cb,
                                        g_steal_pointer (&task));
    }
}

void
_fcm_hub_client_on_denial (FcmHubClient *self,
                           JsonObject   *object)
{
  const char *reason = fcm_json_get_string (object, "hub.reason");

  if (self->closing)
    return;                          /* the answer to our own unsubscribe */

  g_debug ("client: denied: %s", reason ? reason : "(no reason)");
  if (self->pending != NULL)
    {
      g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_DENIED], 0, reason);
      _fcm_hub_client_attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_DENIED, _("subscription denied: %s"),
                                                         reason ? reason : _("no reason given")));
      return;
    }

  /* C-23 / C-68: a lapsed lease is lost sync, not a refusal */
  if (reason != NULL && strstr (reason, "lease") != NULL)
    {
      g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_DENIED], 0, reason);
      _fcm_hub_client_lost_sync (self, reason);
      return;
    }

  /* C-20: gone for good; no automatic retry, so no hot loop */
  g_clear_handle_id (&self->renew_id, g_source_remove);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  _fcm_hub_client_ws_disconnect (self, TRUE);
  g_clear_pointer (&self->endpoint, g_free);
  _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_DENIED);
  g_signal_emit (self, _fcm_hub_client_signals[SIGNAL_DENIED], 0, reason);
}

/* ---------------------------------------------------------------- unsubscribe */

static void
unsubscribe_post_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmHubClient *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = _fcm_hub_client_read_answer (source, result, _("unsubscribing"), &error);

  /* C-42: close with 1000 whatever the hub said */
  _fcm_hub_client_ws_disconnect (self, TRUE);
  g_clear_pointer (&self->endpoint, g_free);
  _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_DISCONNECTED);

  if (error != NULL && self->legacy && error->domain == FCM_ERROR)
    {
      /* the prototype has no unsubscribe of its own; closing the socket is what counts */
      g_debug ("client: legacy unsubscribe: %s", error->message);
      g_clear_error (&error);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
fcm_hub_client_unsubscribe_async (FcmHubClient        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_unsubscribe_async);

  self->closing = TRUE;
  g_clear_handle_id (&self->renew_id, g_source_remove);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->pending != NULL)
    _fcm_hub_client_attempt_failed (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("unsubscribed")));

  if (self->endpoint == NULL)
    {
      _fcm_hub_client_ws_disconnect (self, TRUE);
      _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_DISCONNECTED);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* C-40: all four fields */
  msg = _fcm_hub_client_subscribe_message (self, "unsubscribe", self->legacy ? NULL : self->endpoint);
  _fcm_hub_client_send (self, msg, cancellable, unsubscribe_post_cb, g_steal_pointer (&task));
}

gboolean
fcm_hub_client_unsubscribe_finish (FcmHubClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- 2019 GetTopic */

static void
gettopic_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  g_autofree char *text = NULL;

  body = _fcm_hub_client_read_answer (source, result, "GetTopic", &error);
  if (error != NULL)
    {
      _fcm_hub_client_prefix_tls_error (&error);
      g_task_return_error (task, error);
      return;
    }
  text = _fcm_hub_client_reason_from_body (body);
  /* a plain-text topic, or a JSON string (digest §4.1 item 1) */
  if (text[0] == '"')
    {
      g_autoptr(JsonNode) node = fcm_json_parse (text, -1, NULL);

      if (node != NULL && fcm_json_node_is_string (node))
        {
          g_free (text);
          text = g_strdup (json_node_get_string (node));
        }
    }
  if (text[0] == '\0')
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               _("GetTopic: the hub answered an empty topic"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&text), g_free);
}

/**
 * fcm_hub_client_gettopic_async:
 * @username: the user name known to the hub
 * @secret: the application-wide secret
 *
 * 2019 prototype session discovery: `GET /gettopic?username=…&secret=…` on
 * the hub's host (digest §4.1). The secret is never logged.
 */
void
fcm_hub_client_gettopic_async (FcmHubClient        *self,
                               const char          *username,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *query = NULL;
  GError *error = NULL;

  g_return_if_fail (FCM_IS_HUB_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_hub_client_gettopic_async);

  base = g_uri_parse (self->hub_url, G_URI_FLAGS_NONE, NULL);
  if (base == NULL)
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                               _("hub URL is not a valid http(s) URL"));
      return;
    }
  if (!_fcm_hub_client_check_url (self, self->hub_url, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  query = soup_form_encode ("username", username, secret ? "secret" : NULL, secret, NULL);
  uri = g_uri_build (G_URI_FLAGS_ENCODED_QUERY, g_uri_get_scheme (base), NULL, g_uri_get_host (base),
                     g_uri_get_port (base), "/gettopic", query, NULL);
  msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  _fcm_hub_client_send (self, msg, cancellable, gettopic_cb, g_steal_pointer (&task));
}

/**
 * fcm_hub_client_gettopic_finish:
 *
 * Returns: (transfer full): the topic
 */
char *
fcm_hub_client_gettopic_finish (FcmHubClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (FCM_IS_HUB_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
