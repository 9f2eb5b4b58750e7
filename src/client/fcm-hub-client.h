/* fcm-hub-client.h: a FHIRcast STU3 / IHE IRA subscriber (WebSocket channel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fcm-context-builders.h"
#include "fcm-event.h"
#include "fcm-message.h"
#include "fcm-validator.h"

G_BEGIN_DECLS

/**
 * FcmClientState:
 * @FCM_CLIENT_STATE_DISCONNECTED: no subscription (Subscription "off")
 * @FCM_CLIENT_STATE_SUBSCRIBING: subscribe POST in flight ("requested")
 * @FCM_CLIENT_STATE_CONNECTING: WebSocket opening, waiting for the confirmation
 * @FCM_CLIENT_STATE_ACTIVE: confirmed ("active")
 * @FCM_CLIENT_STATE_RENEWING: lease renewal in flight (still receiving)
 * @FCM_CLIENT_STATE_RECONNECTING: sync lost, resubscribing with backoff ("error")
 * @FCM_CLIENT_STATE_DENIED: the hub denied or ended the subscription
 * @FCM_CLIENT_STATE_ERROR: subscribing failed; no automatic retry
 */
typedef enum {
  FCM_CLIENT_STATE_DISCONNECTED,
  FCM_CLIENT_STATE_SUBSCRIBING,
  FCM_CLIENT_STATE_CONNECTING,
  FCM_CLIENT_STATE_ACTIVE,
  FCM_CLIENT_STATE_RENEWING,
  FCM_CLIENT_STATE_RECONNECTING,
  FCM_CLIENT_STATE_DENIED,
  FCM_CLIENT_STATE_ERROR,
} FcmClientState;

#define FCM_TYPE_CLIENT_STATE (fcm_client_state_get_type ())
GType fcm_client_state_get_type (void) G_GNUC_CONST;
const char *fcm_client_state_to_string (FcmClientState state);

#define FCM_TYPE_HUB_CLIENT (fcm_hub_client_get_type ())
G_DECLARE_FINAL_TYPE (FcmHubClient, fcm_hub_client, FCM, HUB_CLIENT, GObject)

/* The events IRA requires a subscriber to ask for (C-12). */
#define FCM_HUB_CLIENT_DEFAULT_EVENTS \
  "DiagnosticReport-open,DiagnosticReport-close,DiagnosticReport-update,DiagnosticReport-select,SyncError"
/* The 2019 prototype's event names (digest §3.12), used in legacy mode instead of the default set. */
#define FCM_HUB_CLIENT_LEGACY_EVENTS \
  "open-imaging-study,close-imaging-study,switch-imaging-study,user-logout"

FcmHubClient   *fcm_hub_client_new                 (const char          *hub_url,
                                                    const char          *topic) G_GNUC_WARN_UNUSED_RESULT;

FcmClientState  fcm_hub_client_get_state           (FcmHubClient        *self);
const char     *fcm_hub_client_get_hub_url         (FcmHubClient        *self);
const char     *fcm_hub_client_get_topic           (FcmHubClient        *self);
const char * const *fcm_hub_client_get_events      (FcmHubClient        *self);
void            fcm_hub_client_set_events          (FcmHubClient        *self,
                                                    const char * const  *events);
const char     *fcm_hub_client_get_subscriber_name (FcmHubClient        *self);
void            fcm_hub_client_set_subscriber_name (FcmHubClient        *self,
                                                    const char          *name);
const char     *fcm_hub_client_get_token           (FcmHubClient        *self);
void            fcm_hub_client_set_token           (FcmHubClient        *self,
                                                    const char          *token);
guint           fcm_hub_client_get_lease_seconds   (FcmHubClient        *self);
void            fcm_hub_client_set_lease_seconds   (FcmHubClient        *self,
                                                    guint                seconds);
const char * const *fcm_hub_client_get_granted_events (FcmHubClient     *self);
gboolean        fcm_hub_client_get_legacy          (FcmHubClient        *self);
void            fcm_hub_client_set_legacy          (FcmHubClient        *self,
                                                    gboolean             legacy);
const char     *fcm_hub_client_get_endpoint        (FcmHubClient        *self);
gboolean        fcm_hub_client_is_own_request      (FcmHubClient        *self,
                                                    const char          *event_id);
gboolean        fcm_hub_client_get_resend_on_syncerror (FcmHubClient    *self);
void            fcm_hub_client_set_resend_on_syncerror (FcmHubClient    *self,
                                                    gboolean             resend);
void            fcm_hub_client_set_resend_policy   (FcmHubClient        *self,
                                                    guint                interval_ms,
                                                    guint                max_tries);

void            fcm_hub_client_set_ack_policy      (FcmHubClient        *self,
                                                    const char          *event_name,
                                                    guint                status);
guint           fcm_hub_client_get_ack_status      (FcmHubClient        *self,
                                                    const char          *event_name);
void            fcm_hub_client_set_reconnect_delay (FcmHubClient        *self,
                                                    guint                initial_ms,
                                                    guint                max_ms);
void            fcm_hub_client_set_post_to_topic   (FcmHubClient        *self,
                                                    gboolean             post_to_topic);
#define FCM_HUB_CLIENT_FRAMES_MAX_WAIT_MS 100
void            fcm_hub_client_set_frame_priority  (FcmHubClient        *self,
                                                    int                  priority,
                                                    guint                max_wait_ms);
void            fcm_hub_client_set_keepalive       (FcmHubClient        *self,
                                                    guint                seconds);
void            fcm_hub_client_set_request_timeout (FcmHubClient        *self,
                                                    guint                timeout_ms);
void            fcm_hub_client_set_stable_period   (FcmHubClient        *self,
                                                    guint                ms);
void            fcm_hub_client_set_insecure        (FcmHubClient        *self,
                                                    gboolean             insecure);
gboolean        fcm_hub_client_get_insecure        (FcmHubClient        *self);
gboolean        fcm_hub_client_set_ca_file         (FcmHubClient        *self,
                                                    const char          *path,
                                                    GError             **error);

void            fcm_hub_client_subscribe_async     (FcmHubClient        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        fcm_hub_client_subscribe_finish    (FcmHubClient        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void            fcm_hub_client_unsubscribe_async   (FcmHubClient        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        fcm_hub_client_unsubscribe_finish  (FcmHubClient        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void            fcm_hub_client_get_context_async   (FcmHubClient        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
JsonNode       *fcm_hub_client_get_context_finish  (FcmHubClient        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
JsonNode       *fcm_hub_client_get_current_context (FcmHubClient        *self);

void            fcm_hub_client_publish_async       (FcmHubClient        *self,
                                                    FcmEvent            *event,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
guint           fcm_hub_client_publish_finish      (FcmHubClient        *self,
                                                    GAsyncResult        *result,
                                                    char               **out_reason,
                                                    char               **out_id,
                                                    GError             **error);

void            fcm_hub_client_gettopic_async      (FcmHubClient        *self,
                                                    const char          *username,
                                                    const char          *secret,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char           *fcm_hub_client_gettopic_finish     (FcmHubClient        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
