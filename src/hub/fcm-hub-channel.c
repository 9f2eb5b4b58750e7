/* fcm-hub-channel.c: the WebSocket endpoints (H-10, H-11, H-12, H-35)
 *
 * An upgrade to {ws_url}/{endpoint id} is accepted for a known id only
 * (H-10). After the 101 the hub takes the connection over as an FcmWsConn
 * (fcm-ws.c speaks RFC 6455), binds it to the subscription (a reconnect
 * replaces the old socket), sends the confirmation (H-11) and replays the
 * open contexts (H-12). Incoming frames are acks: the usual
 * acks real clients send ({"id":"…","status":200}, "status":"200",
 * {"id","timestamp"}) are read here without building a JSON tree,
 * anything else takes json-glib, and fcm-hub-acks.c matches them. A close
 * other than 1000 or 1001 sends a syncerror and ends the subscription
 * (H-35).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-hub-private.h"

static void
closing_closed_cb (FcmWsConn *conn,
                   gpointer   user_data)
{
  FcmHub *self = user_data;

  fcm_ws_conn_set_callbacks (conn, NULL, NULL, NULL);
  g_hash_table_remove (self->closing, conn);
}

/* Closes and forgets a connection; it is kept alive until the close
 * handshake finishes. */
void
_fcm_hub_close_connection (FcmHub     *self,
                           FcmWsConn  *conn,
                           gushort     code,
                           const char *reason)
{
  fcm_ws_conn_set_callbacks (conn, NULL, NULL, NULL);
  if (fcm_ws_conn_get_state (conn) == FCM_WS_STATE_CLOSED)
    return;

  g_hash_table_add (self->closing, g_object_ref (conn));
  fcm_ws_conn_set_callbacks (conn, NULL, closing_closed_cb, self);
  if (fcm_ws_conn_get_state (conn) == FCM_WS_STATE_OPEN)
    fcm_ws_conn_close (conn, code, reason);
}

/* What a subscriber loses with its socket: the acks and syncerror resends
 * waiting on it, and the order of the legacy socket's notifications. */
static void
subscriber_forget_conn (Subscriber *sub)
{
  _fcm_hub_subscribers_changed (sub->hub, sub->topic);
  g_clear_object (&sub->conn);
  g_hash_table_remove_all (sub->pending);
  g_hash_table_remove_all (sub->resends);
  g_queue_clear_full (sub->legacy_sent, g_free);
  _fcm_hub_subscriber_wait_for_socket (sub);
}

void
_fcm_hub_subscriber_detach (Subscriber *sub,
                            gushort     code,
                            const char *reason)
{
  if (sub->conn == NULL)
    return;

  _fcm_hub_close_connection (sub->hub, sub->conn, code, reason);
  subscriber_forget_conn (sub);
}

void
_fcm_hub_subscriber_send_text (Subscriber *sub,
                               const char *text)
{
  if (_fcm_hub_subscriber_is_open (sub))
    fcm_ws_conn_send_text (sub->conn, text);
}

static const char *
skip_ws (const char *p,
         const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* The acks real clients send, read without building a JSON tree: an "id",
 * a "status" as a number (digest C-28), as a numeric string (our client,
 * H-32) or absent, and a "timestamp" (@medplum/core, interop.md), in any
 * order, nothing else. Anything else (escapes, other members, a status
 * that is not 1-3 digits or a string of exactly three digits 100-999,
 * duplicates) returns FALSE and takes the full parser, which gives the
 * same result for everything accepted here (_fcm_hub_handle_ack()).
 * @id_buf gets the id, NUL-terminated. */
static gboolean
parse_plain_ack (const char *data,
                 gsize       size,
                 char       *id_buf,
                 gsize       id_buf_size,
                 guint      *out_status)
{
  const char *p = data, *end = data + size;
  gboolean have_id = FALSE, have_status = FALSE, have_timestamp = FALSE;
  guint status = 200;

  p = skip_ws (p, end);
  if (p == end || *p++ != '{')
    return FALSE;
  for (;;)
    {
      const char *name;
      gsize name_len;

      p = skip_ws (p, end);
      if (p == end || *p++ != '"')
        return FALSE;
      name = p;
      while (p < end && *p != '"' && *p != '\\')
        p++;
      if (p == end || *p != '"')
        return FALSE;
      name_len = (gsize) (p - name);
      p = skip_ws (p + 1, end);
      if (p == end || *p++ != ':')
        return FALSE;
      p = skip_ws (p, end);

      if (name_len == 2 && memcmp (name, "id", 2) == 0 && !have_id)
        {
          const char *value;

          if (p == end || *p++ != '"')
            return FALSE;
          value = p;
          /* plain printable ASCII only; anything else takes the full path */
          while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20 && (guchar) *p < 0x7f)
            p++;
          if (p == end || *p != '"' || (gsize) (p - value) >= id_buf_size)
            return FALSE;
          memcpy (id_buf, value, (gsize) (p - value));
          id_buf[p - value] = '\0';
          p++;
          have_id = TRUE;
        }
      else if (name_len == 6 && memcmp (name, "status", 6) == 0 && !have_status &&
               p < end && *p == '"')
        {
          /* "200": what the full path takes with g_ascii_string_to_unsigned
           * (100-999); any other string takes the full path */
          if (end - p < 5 || p[1] < '1' || p[1] > '9' || !g_ascii_isdigit (p[2]) ||
              !g_ascii_isdigit (p[3]) || p[4] != '"')
            return FALSE;
          status = (guint) (p[1] - '0') * 100 + (guint) (p[2] - '0') * 10 + (guint) (p[3] - '0');
          p += 5;
          have_status = TRUE;
        }
      else if (name_len == 9 && memcmp (name, "timestamp", 9) == 0 && !have_timestamp)
        {
          /* not used; a plain string like the id, else the full path */
          if (p == end || *p++ != '"')
            return FALSE;
          while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20 && (guchar) *p < 0x7f)
            p++;
          if (p == end || *p != '"')
            return FALSE;
          p++;
          have_timestamp = TRUE;
        }
      else if (name_len == 6 && memcmp (name, "status", 6) == 0 && !have_status)
        {
          const char *first = p;
          guint digits = 0;

          status = 0;
          while (p < end && g_ascii_isdigit (*p) && digits < 4)
            {
              status = status * 10 + (guint) (*p++ - '0');
              digits++;
            }
          /* 1 to 3 digits, no leading zero (JSON) */
          if (digits == 0 || digits > 3 || (digits > 1 && *first == '0'))
            return FALSE;
          if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
            return FALSE;
          have_status = TRUE;
        }
      else
        return FALSE;

      p = skip_ws (p, end);
      if (p == end)
        return FALSE;
      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p++ != '}')
        return FALSE;
      break;
    }
  if (skip_ws (p, end) != end || !have_id)
    return FALSE;
  *out_status = status;
  return TRUE;
}

static void
ws_message_cb (FcmWsConn  *conn,
               gboolean    is_text,
               const char *data,
               gsize       size,
               gpointer    user_data)
{
  Subscriber *sub = user_data;
  g_autoptr(JsonNode) root = NULL;

  if (!is_text)
    return;

  /* the hot path: a plain STU3 ack (C-28) */
  if (!sub->legacy)
    {
      char id[256];
      guint status;

      if (parse_plain_ack (data, size, id, sizeof id, &status))
        {
          _fcm_hub_handle_ack_status (sub, id, status);
          return;
        }
    }

  root = fcm_json_parse (data, size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  /* an ack is {"id", "status"?}; frames carrying "event" are not acks */
  if (json_object_has_member (json_node_get_object (root), "event"))
    return;

  if (sub->legacy && !json_object_has_member (json_node_get_object (root), "id"))
    {
      _fcm_hub_handle_legacy_reply (sub, json_node_get_object (root));
      return;
    }
  if (sub->legacy)
    {
      /* an STU3-style ack on the legacy socket: forget its place in line */
      GList *l = g_queue_find_custom (sub->legacy_sent, fcm_json_get_string (json_node_get_object (root), "id"),
                                      (GCompareFunc)g_strcmp0);

      if (l != NULL)
        {
          g_free (l->data);
          g_queue_delete_link (sub->legacy_sent, l);
        }
    }
  _fcm_hub_handle_ack (sub, json_node_get_object (root));
}

static void
ws_closed_cb (FcmWsConn *conn,
              gpointer   user_data)
{
  Subscriber *sub = user_data;
  FcmHub *self = sub->hub;
  gushort code = fcm_ws_conn_get_close_code (conn);
  g_autofree char *topic = g_strdup (sub->topic);

  fcm_ws_conn_set_callbacks (conn, NULL, NULL, NULL);
  subscriber_forget_conn (sub);

  if (self->shutting_down)
    return;

  if (code == FCM_WS_CLOSE_NORMAL || code == FCM_WS_CLOSE_GOING_AWAY)
    return;   /* H-35: no syncerror; the endpoint stays valid until the lease ends */

  {
    g_autofree char *diagnostics = g_strdup_printf ("%s lost its WebSocket connection (close code %u)",
                                                    sub->name ? sub->name : "A subscriber", code);

    _fcm_hub_emit_syncerror (self, topic, sub, NULL, NULL, diagnostics);
    _fcm_hub_remove_subscriber (self, sub, "websocket closed abnormally", FALSE);
  }
}

static void
hub_replay_open_contexts (FcmHub     *self,
                          Subscriber *sub)
{
  Topic *topic = g_hash_table_lookup (self->topics, sub->topic);
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);

  if (topic == NULL)
    return;

  /* the most recently activated open context per anchor type (H-12) */
  for (guint i = topic->contexts->len; i > 0; i--)
    {
      Context *ctx = g_ptr_array_index (topic->contexts, i - 1);
      g_autofree char *text = NULL;
      JsonObject *msg;

      if (g_hash_table_contains (done, ctx->anchor_type))
        continue;
      g_hash_table_add (done, ctx->anchor_type);
      if (!_fcm_hub_subscriber_wants (sub, ctx->open_name))
        continue;

      msg = json_node_get_object (ctx->open_message);
      text = _fcm_hub_node_to_string (ctx->open_message);
      _fcm_hub_deliver (self, sub, fcm_json_get_string (msg, "id"), ctx->open_name, text, TRUE);
    }

  _fcm_hub_replay_derived_opens (self, sub, topic);
}

void
_fcm_hub_subscriber_attach (Subscriber *sub,
                            FcmWsConn  *conn,
                            gboolean    legacy)
{
  sub->conn = g_object_ref (conn);
  sub->legacy = legacy;
  sub->ever_connected = TRUE;
  g_clear_handle_id (&sub->unconnected_id, g_source_remove);
  fcm_ws_conn_set_callbacks (conn, ws_message_cb, ws_closed_cb, sub);
  _fcm_hub_subscribers_changed (sub->hub, sub->topic);
}

static void
ws_open (FcmHub     *self,
         const char *path,
         const char *principal,
         FcmWsConn  *conn)
{
  const char *id = path + strlen (WS_PATH "/");
  Subscriber *sub;

  if (!g_str_has_prefix (path, WS_PATH "/"))
    {
      _fcm_hub_legacy_ws_cb (self, path + 1, principal, conn);
      return;
    }

  sub = g_hash_table_lookup (self->subscribers, id);
  if (sub == NULL)
    {
      /* checked before the upgrade, but it may have ended since */
      _fcm_hub_close_connection (self, conn, FCM_WS_CLOSE_POLICY_VIOLATION, "unknown endpoint");
      return;
    }

  /* a reconnect to the same endpoint replaces the old socket */
  _fcm_hub_subscriber_detach (sub, FCM_WS_CLOSE_NORMAL, "replaced by a new connection");

  _fcm_hub_subscriber_attach (sub, conn, FALSE);
  _fcm_hub_subscriber_send_mode (sub, "subscribe", NULL);   /* H-11 */
  hub_replay_open_contexts (self, sub);            /* H-12 */
}

/* The 101 answer is out: the connection is ours (RFC 6455 §4.2.2). */
static void
ws_upgrade_cb (SoupServerMessage *msg,
               gpointer           user_data)
{
  FcmHub *self = user_data;
  g_autofree char *path = NULL;
  g_autofree char *principal = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(FcmWsConn) conn = NULL;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;
  g_signal_handlers_disconnect_by_func (msg, ws_upgrade_cb, self);

  path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  principal = g_strdup (g_object_get_data (G_OBJECT (msg), "fcm-principal"));
  _fcm_hub_conn_forget (self, msg);   /* ours now, not libsoup's */
  g_object_ref (msg);
  stream = soup_server_message_steal_connection (msg);
  g_object_unref (msg);
  if (stream == NULL)
    return;
  conn = fcm_ws_conn_new (stream, FCM_HUB_MAX_MESSAGE_BYTES);
  if (conn == NULL)
    return;
  if (self->shutting_down)
    {
      _fcm_hub_close_connection (self, conn, FCM_WS_CLOSE_GOING_AWAY, "hub shutting down");
      return;
    }
  ws_open (self, path, principal, conn);
}

/* Answers a WebSocket handshake (400 when it is not one); the hub's own
 * connection takes over once the 101 is written. No extension is
 * negotiated: permessage-deflate offers are ignored (RFC 6455 §9.1). */
void
_fcm_hub_ws_handshake (FcmHub            *self,
                       SoupServerMessage *msg)
{
  if (soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    g_signal_connect_object (msg, "wrote-informational", G_CALLBACK (ws_upgrade_cb), self, 0);
}
