/* fcm-hub-client-private.h: what the parts of FcmHubClient share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FcmHubClient is one object in four files:
 *
 *   fcm-hub-client.c            the object: properties, signals, state,
 *                               settings; helpers for HTTP answers
 *   fcm-hub-client-subscribe.c  subscribe, the confirmation or denial,
 *                               lease renewal, unsubscribe; 2019 GetTopic
 *   fcm-hub-client-socket.c     the WebSocket: frames (one FcmMessage each),
 *                               acks, liveness watchdogs, reconnect/backoff
 *   fcm-hub-client-publish.c    our context-change requests (retry-id rules,
 *                               echo, resends after a syncerror, the
 *                               follow-up syncerror), Get Current Context
 *   fcm-hub-client-http.c       every request within the request timeout;
 *                               which URLs may be used (TLS off this machine)
 *
 * Functions shared between them have an _fcm_hub_client_ prefix.
 */

#pragma once

#include <libsoup/soup.h>

#include "fcm-hub-client.h"
#include "fcm-message.h"

G_BEGIN_DECLS

struct _FcmHubClient
{
  GObject parent_instance;

  SoupSession *session;
  GCancellable *cancellable;         /* internal operations; cancelled in dispose */

  char *hub_url;
  char *topic;
  GStrv events;
  char *subscriber_name;
  char *token;
  guint lease_seconds;               /* requested; 0 = let the hub choose */
  guint granted_lease;
  GStrv granted_events;
  gboolean legacy;
  gboolean insecure;                 /* plain http/ws to other hosts allowed */

  FcmClientState state;
  char *endpoint;
  SoupWebsocketConnection *ws;
  gboolean closing;                  /* we asked for the close */
  GSocket *ws_socket;                /* its TCP socket, when libsoup tells (acks are corked) */
  guint acks_corked;                 /* acks written since the socket was corked */
  guint uncork_id;

  /* frames read and acked, not yet handled (fcm_hub_client_set_frame_priority()) */
  int frame_priority;
  GQueue frames;                     /* FcmQueuedFrame, oldest first */
  GSource *frames_source;
  GSource *frames_watch;             /* the oldest must not wait too long */
  gboolean handling_frames;
  gint64 frames_max_wait_usec;

  GTask *pending;                    /* subscribe attempt waiting for the confirmation */
  guint confirm_timeout_id;
  guint renew_id;
  guint reconnect_id;
  guint attempt;                     /* reconnects since the last stable connection */
  guint stable_id;                   /* the connection has not been up long enough yet */
  guint stable_ms;
  guint reconnect_initial_ms;
  guint reconnect_max_ms;
  guint request_timeout_ms;

  /* liveness (C-69): heartbeat period seen, and WebSocket ping/pong */
  gboolean post_to_topic;            /* publish to {hub}/{topic} (some vendors) */
  guint keepalive_seconds;
  guint heartbeat_period_ms;         /* 0 until a heartbeat carries a period */
  guint heartbeat_watch_id;
  gint64 last_rx_usec;               /* when the last frame or pong came (monotonic) */
  guint pong_watch_id;

  GHashTable *ack_policy;            /* lower-case event name → status */
  guint default_ack;

  JsonNode *current_context;

  /* requests we published by id, oldest first, to spot the hub's echo (C-38) */
  GHashTable *own_ids;               /* id → FcmEvent */
  GQueue own_id_queue;

  /* C-51: resending our requests named by a syncerror */
  gboolean resend_on_syncerror;
  guint resend_interval_ms;
  guint resend_max_tries;
  GHashTable *resends;               /* id → Resend (fcm-hub-client-publish.c) */
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_HUB_URL,
  PROP_TOPIC,
  PROP_EVENTS,
  PROP_SUBSCRIBER_NAME,
  PROP_TOKEN,
  PROP_LEASE_SECONDS,
  PROP_GRANTED_EVENTS,
  PROP_LEGACY,
  PROP_CURRENT_CONTEXT,
  PROP_RESEND_ON_SYNCERROR,
  N_PROPS
};

enum {
  SIGNAL_EVENT,
  SIGNAL_SYNCERROR,
  SIGNAL_DENIED,
  SIGNAL_MESSAGE,
  SIGNAL_FRAME,
  SIGNAL_ACK_SENT,
  SIGNAL_SENT,
  N_SIGNALS
};

extern GParamSpec *_fcm_hub_client_properties[N_PROPS];
extern guint _fcm_hub_client_signals[N_SIGNALS];

typedef struct _FcmDeadline FcmDeadline;

/* fcm-hub-client-frames.c */
void         _fcm_hub_client_take_frame              (FcmHubClient   *self,
                                                      FcmMessage     *message);
void         _fcm_hub_client_frames_drain            (FcmHubClient   *self);
void         _fcm_hub_client_frames_clear            (FcmHubClient   *self);

/* fcm-hub-client-socket.c */
char        *_fcm_hub_client_write_ack               (FcmHubClient   *self,
                                                      const char     *id,
                                                      guint           status);
void         _fcm_hub_client_note_heartbeat          (FcmHubClient   *self,
                                                      FcmEvent       *event);

/* fcm-hub-client-http.c */
FcmDeadline *_fcm_hub_client_deadline_new             (GCancellable   *outer,
                                                      guint           ms);
GCancellable *_fcm_hub_client_deadline_get_cancellable (FcmDeadline   *deadline);
void         _fcm_hub_client_deadline_free            (FcmDeadline    *deadline,
                                                      GError        **error);
void         _fcm_hub_client_send                    (FcmHubClient   *self,
                                                      SoupMessage    *msg,
                                                      GCancellable   *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer        user_data);
GBytes      *_fcm_hub_client_read_answer             (GObject        *source,
                                                      GAsyncResult   *result,
                                                      const char     *what,
                                                      GError        **error);
gboolean     _fcm_hub_client_check_url               (FcmHubClient   *self,
                                                      const char     *url,
                                                      GError        **error);
gboolean     _fcm_hub_client_same_origin             (FcmHubClient   *self,
                                                      const char     *endpoint);

/* fcm-hub-client.c */
void         _fcm_hub_client_set_state               (FcmHubClient   *self,
                                                      FcmClientState  state);
void         _fcm_hub_client_add_auth                (FcmHubClient   *self,
                                                      SoupMessage    *msg);
void         _fcm_hub_client_post_closes             (SoupMessage    *msg);
char        *_fcm_hub_client_reason_from_body        (GBytes         *body);
void         _fcm_hub_client_prefix_tls_error        (GError        **error);

/* fcm-hub-client-subscribe.c */
SoupMessage *_fcm_hub_client_subscribe_message       (FcmHubClient   *self,
                                                      const char     *mode,
                                                      const char     *endpoint);
void         _fcm_hub_client_start_subscribe         (FcmHubClient   *self,
                                                      GTask          *task);
void         _fcm_hub_client_attempt_failed          (FcmHubClient   *self,
                                                      GError         *error);
void         _fcm_hub_client_on_confirmation         (FcmHubClient   *self,
                                                      JsonObject     *object);
void         _fcm_hub_client_on_denial               (FcmHubClient   *self,
                                                      JsonObject     *object);

/* fcm-hub-client-socket.c */
void         _fcm_hub_client_connect_socket          (FcmHubClient   *self,
                                                      SoupMessage    *msg,
                                                      GTask          *task);
void         _fcm_hub_client_attach_socket           (FcmHubClient   *self,
                                                      SoupWebsocketConnection *ws);
void         _fcm_hub_client_ws_disconnect           (FcmHubClient   *self,
                                                      gboolean        send_close);
void         _fcm_hub_client_lost_sync               (FcmHubClient   *self,
                                                      const char     *why);
void         _fcm_hub_client_schedule_reconnect      (FcmHubClient   *self);
gboolean     _fcm_hub_client_is_reconnect            (GTask          *task);
void         _fcm_hub_client_start_stable_timer      (FcmHubClient   *self);

/* fcm-hub-client-publish.c */
void         _fcm_hub_client_send_followup_syncerror (FcmHubClient   *self,
                                                      FcmEvent       *event);
void         _fcm_hub_client_maybe_resend            (FcmHubClient   *self,
                                                      FcmEvent       *syncerror);
void         _fcm_hub_client_stop_resends            (FcmHubClient   *self);
void         _fcm_hub_client_resend_free             (gpointer        resend);

G_END_DECLS
