/* fcm-hub.h: a small FHIRcast STU3 / IHE IRA reference hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FCM_TYPE_HUB (fcm_hub_get_type ())

G_DECLARE_FINAL_TYPE (FcmHub, fcm_hub, FCM, HUB, GObject)

/* Base path of hub.url; the WebSocket endpoints live below FCM_HUB_BASE_PATH "/ws/". */
#define FCM_HUB_BASE_PATH "/fhircast"

/* Largest HTTP body or WebSocket message the hub accepts. */
#define FCM_HUB_MAX_MESSAGE_BYTES (1024 * 1024)

FcmHub      *fcm_hub_new                    (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean     fcm_hub_listen                 (FcmHub           *self,
                                             const char       *host,
                                             guint             port,
                                             GTlsCertificate  *tls_certificate,
                                             GError          **error);
const char  *fcm_hub_get_url                (FcmHub           *self);
void         fcm_hub_shutdown               (FcmHub           *self);
guint        fcm_hub_get_n_subscribers      (FcmHub           *self,
                                             const char       *topic);
GStrv        fcm_hub_dup_subscriber_names   (FcmHub           *self,
                                             const char       *topic) G_GNUC_WARN_UNUSED_RESULT;

const char  *fcm_hub_get_secret             (FcmHub           *self);
void         fcm_hub_set_secret             (FcmHub           *self,
                                             const char       *secret);
double       fcm_hub_get_ack_timeout        (FcmHub           *self);
void         fcm_hub_set_ack_timeout        (FcmHub           *self,
                                             double            seconds);
guint        fcm_hub_get_lease_default      (FcmHub           *self);
void         fcm_hub_set_lease_default      (FcmHub           *self,
                                             guint             seconds);
guint        fcm_hub_get_heartbeat          (FcmHub           *self);
void         fcm_hub_set_heartbeat          (FcmHub           *self,
                                             guint             seconds);
const char  *fcm_hub_get_syncerror_severity (FcmHub           *self);
void         fcm_hub_set_syncerror_severity (FcmHub           *self,
                                             const char       *severity);
gboolean     fcm_hub_get_validate           (FcmHub           *self);
void         fcm_hub_set_validate           (FcmHub           *self,
                                             gboolean          validate);
guint        fcm_hub_get_max_missed_acks    (FcmHub           *self);
void         fcm_hub_set_max_missed_acks    (FcmHub           *self,
                                             guint             n);
void         fcm_hub_set_syncerror_resend   (FcmHub           *self,
                                             double            interval,
                                             guint             resends);
double       fcm_hub_get_syncerror_resend_interval (FcmHub    *self);
guint        fcm_hub_get_syncerror_resends  (FcmHub           *self);
void         fcm_hub_set_admin              (FcmHub           *self,
                                             gboolean          admin);
gboolean     fcm_hub_get_admin              (FcmHub           *self);
void         fcm_hub_set_legacy             (FcmHub           *self,
                                             gboolean          legacy);
gboolean     fcm_hub_get_legacy             (FcmHub           *self);
gboolean     fcm_hub_load_users             (FcmHub           *self,
                                             const char       *path,
                                             GError          **error);
const char  *fcm_hub_get_user_topic         (FcmHub           *self,
                                             const char       *username);
gboolean     fcm_hub_load_tokens            (FcmHub           *self,
                                             const char       *path,
                                             GError          **error);
void         fcm_hub_set_audit_stream       (FcmHub           *self,
                                             GOutputStream    *stream);
guint        fcm_hub_get_audit_pending      (FcmHub           *self);
guint        fcm_hub_get_n_closing          (FcmHub           *self);
gboolean     fcm_hub_set_audit_syslog       (FcmHub           *self,
                                            const char       *url,
                                            GError          **error);
gboolean     fcm_hub_set_introspection      (FcmHub           *self,
                                            const char       *url,
                                            const char       *client_id,
                                            const char       *client_secret,
                                            GError          **error);
gboolean     fcm_hub_set_audit_syslog_tls   (FcmHub           *self,
                                             GTlsCertificate  *client_certificate,
                                             GTlsDatabase     *trust,
                                             GError          **error);
void         fcm_hub_set_idle_timeout       (FcmHub           *self,
                                             double            seconds);
double       fcm_hub_get_idle_timeout       (FcmHub           *self);
void         fcm_hub_set_accept_priority    (FcmHub           *self,
                                             int               priority);
void         fcm_hub_set_admin_token        (FcmHub           *self,
                                             const char       *secret);
void         fcm_hub_set_ws_token_optional  (FcmHub           *self,
                                             gboolean          optional);
guint        fcm_hub_get_lease_max          (FcmHub           *self);
void         fcm_hub_set_lease_max          (FcmHub           *self,
                                             guint             seconds);
double       fcm_hub_get_unconnected_timeout (FcmHub          *self);
void         fcm_hub_set_unconnected_timeout (FcmHub          *self,
                                             double            seconds);
guint        fcm_hub_get_max_subscriptions  (FcmHub           *self);
void         fcm_hub_set_max_subscriptions  (FcmHub           *self,
                                             guint             n);
gsize        fcm_hub_get_max_queued_bytes   (FcmHub           *self);
void         fcm_hub_set_max_queued_bytes   (FcmHub           *self,
                                             gsize             bytes);

/* Subscribers, for inspection (fcm-hub-admin.c) */

/* FcmHub::subscribers-changed comes at most this often: a burst of events
 * costs a listener nothing per event. */
#define FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS 250

/**
 * FcmHubSubscriberInfo:
 * @serial: the subscription's number in this hub, from 1 in subscribe
 *   order; not a secret
 * @name: (nullable): the name it subscribed with
 * @endpoint: its endpoint id, redacted: the first characters and "…"
 *   (the full id is a bearer ticket, C-09, H-02)
 * @events: the events it subscribed to, as it spelled them
 * @connected: its WebSocket is open
 * @acks: acks received for notifications that waited for one (H-32)
 * @refused_acks: of @acks, those with a status other than 2xx (H-33)
 * @missed_acks: notifications not acknowledged within ack-timeout, in
 *   total (H-34)
 * @pending_acks: notifications waiting for their ack now
 * @last_ack_latency: microseconds from sending a notification to its ack,
 *   for the last one acknowledged; -1 before the first
 *
 * A snapshot of one subscription, from fcm_hub_list_subscribers().
 */
typedef struct
{
  guint64   serial;
  char     *name;
  char     *endpoint;
  char    **events;
  gboolean  connected;
  guint64   acks;
  guint64   refused_acks;
  guint64   missed_acks;
  guint     pending_acks;
  gint64    last_ack_latency;
} FcmHubSubscriberInfo;

#define FCM_TYPE_HUB_SUBSCRIBER_INFO (fcm_hub_subscriber_info_get_type ())
GType                 fcm_hub_subscriber_info_get_type (void) G_GNUC_CONST;
FcmHubSubscriberInfo *fcm_hub_subscriber_info_copy     (const FcmHubSubscriberInfo *info);
void                  fcm_hub_subscriber_info_free     (FcmHubSubscriberInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FcmHubSubscriberInfo, fcm_hub_subscriber_info_free)

GPtrArray   *fcm_hub_list_subscribers       (FcmHub           *self,
                                             const char       *topic) G_GNUC_WARN_UNUSED_RESULT;
guint64      fcm_hub_get_subscriber_serial  (FcmHub           *self,
                                             const char       *endpoint);

G_END_DECLS
