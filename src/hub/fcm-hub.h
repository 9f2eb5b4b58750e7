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

G_END_DECLS
