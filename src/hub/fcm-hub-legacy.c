/* fcm-hub-legacy.c: the 2019 prototype's WebSocket (--legacy; digest §4.1)
 *
 * The prototype's subscribers connect to ws://host/{topic} instead of
 * their endpoint. Such a socket is bound to the oldest subscription of the
 * topic that never connected (or to a legacy one that reconnects) and
 * answered with the prototype's status frame instead of the confirmation;
 * notifications go out in its {"header","body"} wrapper with the
 * subscriber's own spelling of the event name, and its replies, which
 * carry no id, answer the notifications in the order they were sent.
 *
 * The prototype's GetTopic (--users) is in fcm-hub-auth.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-hub-private.h"

/* 2019 prototype: the subscriber's own (legacy) spelling of the event
 * name, and the {"header","body"} wrapper (digest §4.1). */
char *
_fcm_hub_legacy_wrap (Subscriber *sub,
                      const char *text)
{
  g_autoptr(JsonNode) root = fcm_json_parse (text, -1, NULL);
  g_autoptr(JsonObject) wrapper = json_object_new ();
  JsonObject *header = json_object_new ();
  JsonObject *event;
  const char *name;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      json_object_unref (header);
      return g_strdup (text);
    }
  event = fcm_json_get_object (json_node_get_object (root), "event");
  name = fcm_json_get_string (event, "hub.event");
  for (guint i = 0; name != NULL && i < sub->events->len; i++)
    {
      const char *mine = g_ptr_array_index (sub->events, i);

      if (fcm_event_name_equal (mine, name))
        {
          json_object_set_string_member (event, "hub.event", mine);
          break;
        }
    }
  /* the prototype copied the HTTP headers here; never the secret */
  json_object_set_string_member (header, "Content-Type", "application/json");
  json_object_set_object_member (wrapper, "header", header);
  json_object_set_member (wrapper, "body", g_steal_pointer (&root));
  return _fcm_hub_object_to_string (wrapper);
}

/* 2019 prototype reply {"timestamp","status","statusCode"}: no id, so it
 * answers the oldest notification not yet answered on this socket. */
void
_fcm_hub_handle_legacy_reply (Subscriber *sub,
                              JsonObject *obj)
{
  g_autoptr(JsonObject) ack = json_object_new ();
  g_autofree char *id = NULL;
  JsonNode *code = json_object_get_member (obj, "statusCode");

  if (code == NULL)
    code = json_object_get_member (obj, "statuscode");   /* the gkustas client */
  if (code == NULL && !json_object_has_member (obj, "status"))
    return;   /* not a reply (the prototype's client→hub events are not served) */

  id = g_queue_pop_head (sub->legacy_sent);
  if (id == NULL)
    return;
  json_object_set_string_member (ack, "id", id);
  if (code != NULL)
    json_object_set_member (ack, "status", json_node_copy (code));
  else if (g_ascii_strcasecmp (fcm_json_get_string (obj, "status") ? fcm_json_get_string (obj, "status") : "",
                               "OK") != 0)
    json_object_set_int_member (ack, "status", 500);   /* a status word other than OK, no code */
  _fcm_hub_handle_ack (sub, ack);
}

/* The subscription a 2019 prototype socket to ws://host/{topic} belongs
 * to: the oldest one of the topic never connected, else the oldest legacy
 * one whose socket is down (a reconnect). */
/* @principal: (nullable): with tokens, the application the socket belongs
 * to: only its own subscriptions (and ones made without a token) qualify */
static Subscriber *
legacy_find_subscription (FcmHub     *self,
                          const char *topic,
                          const char *principal)
{
  GHashTableIter iter;
  gpointer value;
  Subscriber *fresh = NULL, *again = NULL;

  g_hash_table_iter_init (&iter, self->subscribers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Subscriber *sub = value;

      if (!g_str_equal (sub->topic, topic) || sub->conn != NULL)
        continue;
      if (principal != NULL && sub->owner != NULL && !g_str_equal (principal, sub->owner))
        continue;
      if (principal == NULL && sub->owner != NULL && !self->ws_token_optional)
        continue;
      if (!sub->ever_connected && (fresh == NULL || sub->seq < fresh->seq))
        fresh = sub;
      else if (sub->ever_connected && sub->legacy && (again == NULL || sub->seq < again->seq))
        again = sub;
    }
  return fresh != NULL ? fresh : again;
}

void
_fcm_hub_legacy_ws_cb (FcmHub     *self,
                       const char *topic,
                       const char *principal,
                       FcmWsConn  *conn)
{
  Subscriber *sub = legacy_find_subscription (self, topic, principal);
  g_autoptr(JsonObject) status = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *text = NULL;

  if (sub == NULL)
    {
      _fcm_hub_close_connection (self, conn, FCM_WS_CLOSE_POLICY_VIOLATION,
                                 "no subscription waiting for this topic");
      return;
    }

  _fcm_hub_subscriber_attach (sub, conn, TRUE);
  /* the prototype's connect answer instead of the STU3 confirmation (no replay) */
  json_object_set_string_member (status, "timestamp", timestamp);
  json_object_set_string_member (status, "status", "OK");
  json_object_set_string_member (status, "statusCode", "200");
  text = _fcm_hub_object_to_string (status);
  _fcm_hub_subscriber_send_text (sub, text);
}

gboolean
_fcm_hub_is_legacy_ws_path (FcmHub     *self,
                            const char *path)
{
  return path[0] == '/' && path[1] != '\0' && strchr (path + 1, '/') == NULL &&
         g_hash_table_contains (self->topics, path + 1);
}

/**
 * fcm_hub_set_legacy:
 *
 * Also serves the 2019 prototype's derived WebSocket `ws://host/{topic}`
 * (digest §4.1): status frames, wrapped notifications, legacy event names
 * and id-less replies. Off by default.
 */
void
fcm_hub_set_legacy (FcmHub   *self,
                    gboolean  legacy)
{
  g_return_if_fail (FCM_IS_HUB (self));
  self->legacy = !!legacy;
}

gboolean
fcm_hub_get_legacy (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);
  return self->legacy;
}
