/* fcm-ws-private.h: the hub's server side of a WebSocket connection (RFC 6455)
 *
 * The hub sends one notification to many sockets. SoupWebsocketConnection
 * frames, copies and logs every message for every socket; FcmWsConn sends a
 * frame encoded once (fcm_ws_frame_new_text) to every subscriber without a
 * copy, and writes it at once when the socket's queue is empty. Incoming
 * frames are read into one buffer and unmasked in place.
 *
 * Server side only: incoming frames must be masked, no extensions are
 * negotiated, text messages are checked for UTF-8 (1007), messages above the
 * size limit close the socket with 1009, protocol errors with 1002. Pings
 * are answered; the close handshake is completed both ways, with a timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FCM_WS_STATE_OPEN,
  FCM_WS_STATE_CLOSING,
  FCM_WS_STATE_CLOSED,
} FcmWsState;

/* RFC 6455 §7.4.1 */
#define FCM_WS_CLOSE_NORMAL           1000
#define FCM_WS_CLOSE_GOING_AWAY       1001
#define FCM_WS_CLOSE_PROTOCOL_ERROR   1002
#define FCM_WS_CLOSE_NO_STATUS        1005
#define FCM_WS_CLOSE_ABNORMAL         1006
#define FCM_WS_CLOSE_BAD_DATA         1007
#define FCM_WS_CLOSE_POLICY_VIOLATION 1008
#define FCM_WS_CLOSE_TOO_BIG          1009

#define FCM_TYPE_WS_CONN (fcm_ws_conn_get_type ())
G_DECLARE_FINAL_TYPE (FcmWsConn, fcm_ws_conn, FCM, WS_CONN, GObject)

/* @text is the whole message (not NUL-terminated); @is_text is FALSE for a
 * binary message. */
typedef void (*FcmWsMessageFunc) (FcmWsConn  *conn,
                                  gboolean    is_text,
                                  const char *data,
                                  gsize       size,
                                  gpointer    user_data);
typedef void (*FcmWsClosedFunc)  (FcmWsConn  *conn,
                                  gpointer    user_data);

FcmWsConn  *fcm_ws_conn_new             (GIOStream        *stream,
                                         gsize             max_message_size);
void        fcm_ws_conn_set_callbacks   (FcmWsConn        *self,
                                         FcmWsMessageFunc  message_func,
                                         FcmWsClosedFunc   closed_func,
                                         gpointer          user_data);
FcmWsState  fcm_ws_conn_get_state       (FcmWsConn        *self);
gushort     fcm_ws_conn_get_close_code  (FcmWsConn        *self);
const char *fcm_ws_conn_get_close_reason (FcmWsConn       *self);
void        fcm_ws_conn_send_text       (FcmWsConn        *self,
                                         const char       *text);
void        fcm_ws_conn_send_frame      (FcmWsConn        *self,
                                         GBytes           *frame);
void        fcm_ws_conn_close           (FcmWsConn        *self,
                                         gushort           code,
                                         const char       *reason);
gsize       fcm_ws_conn_get_queued_bytes (FcmWsConn       *self);

GBytes     *fcm_ws_frame_new_text       (const char       *text,
                                         gsize             size);

G_END_DECLS
