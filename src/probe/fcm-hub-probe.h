/* fcm-hub-probe.h: conformance scenarios run against any FHIRcast hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-probe-runner.h"

G_BEGIN_DECLS

#define FCM_TYPE_HUB_PROBE (fcm_hub_probe_get_type ())

G_DECLARE_FINAL_TYPE (FcmHubProbe, fcm_hub_probe, FCM, HUB_PROBE, FcmProbe)

FcmHubProbe *fcm_hub_probe_new          (const char  *hub_url) G_GNUC_WARN_UNUSED_RESULT;
const char  *fcm_hub_probe_get_hub_url  (FcmHubProbe *self);
const char  *fcm_hub_probe_get_topic    (FcmHubProbe *self);
void         fcm_hub_probe_set_topic    (FcmHubProbe *self,
                                         const char  *topic);
void         fcm_hub_probe_set_token    (FcmHubProbe *self,
                                         const char  *token);
guint        fcm_hub_probe_get_lease    (FcmHubProbe *self);
void         fcm_hub_probe_set_lease    (FcmHubProbe *self,
                                         guint        seconds);
double       fcm_hub_probe_get_ack_wait (FcmHubProbe *self);
void         fcm_hub_probe_set_ack_wait (FcmHubProbe *self,
                                         double       seconds);

G_END_DECLS
