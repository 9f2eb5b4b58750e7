/* fcm-subscriber-probe.h: a hub that misbehaves on purpose, to test subscribers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-probe-runner.h"

G_BEGIN_DECLS

/**
 * FcmSubscriberProbeAction:
 * @FCM_SUBSCRIBER_PROBE_ACTION_CONNECT: the app should subscribe to the
 *   probe's hub URL and topic (it is not subscribed at the moment)
 * @FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT: the app should end its
 *   subscription normally (unsubscribe, close the socket)
 * @FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH: the app should request a context
 *   change (for example open a report)
 *
 * What the probe needs the app under test to do. With a command
 * (fcm_subscriber_probe_set_command()) the probe does the first two itself
 * (it starts the command, and stops it with SIGTERM) and skips the scenarios
 * that need the third.
 */
typedef enum
{
  FCM_SUBSCRIBER_PROBE_ACTION_CONNECT,
  FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT,
  FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH,
} FcmSubscriberProbeAction;

#define FCM_TYPE_SUBSCRIBER_PROBE_ACTION (fcm_subscriber_probe_action_get_type ())
GType fcm_subscriber_probe_action_get_type (void) G_GNUC_CONST;

#define FCM_TYPE_SUBSCRIBER_PROBE (fcm_subscriber_probe_get_type ())

G_DECLARE_FINAL_TYPE (FcmSubscriberProbe, fcm_subscriber_probe, FCM, SUBSCRIBER_PROBE, FcmProbe)

FcmSubscriberProbe *fcm_subscriber_probe_new                 (void) G_GNUC_WARN_UNUSED_RESULT;
void                fcm_subscriber_probe_set_host            (FcmSubscriberProbe  *self,
                                                              const char          *host);
void                fcm_subscriber_probe_set_port            (FcmSubscriberProbe  *self,
                                                              guint                port);
gboolean            fcm_subscriber_probe_listen              (FcmSubscriberProbe  *self,
                                                              GError             **error);
const char         *fcm_subscriber_probe_get_hub_url         (FcmSubscriberProbe  *self);
const char         *fcm_subscriber_probe_get_topic           (FcmSubscriberProbe  *self);
gboolean            fcm_subscriber_probe_set_command         (FcmSubscriberProbe  *self,
                                                              const char          *command,
                                                              GError             **error);
void                fcm_subscriber_probe_set_lease           (FcmSubscriberProbe  *self,
                                                              guint                seconds);
void                fcm_subscriber_probe_set_connect_timeout (FcmSubscriberProbe  *self,
                                                              double               seconds);

G_END_DECLS
