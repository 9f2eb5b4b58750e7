/* fcm-probe-proxy.h: a hub made broken on purpose, for the probe tests
 *
 * An HTTP and WebSocket proxy in front of a real (conformant) hub that
 * breaks exactly the behaviours its faults name, so that a probe scenario
 * run through it must fail with the rule of that behaviour.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  FCM_PROXY_DISCOVERY_STRIP   = 1 << 0,   /* websocketSupport removed from discovery */
  FCM_PROXY_SUBSCRIBE_200     = 1 << 1,   /* subscribe answered 200 instead of 202 */
  FCM_PROXY_ACCEPT_INVALID    = 1 << 2,   /* a 400 becomes 202 (form POST) or 200 (context change) */
  FCM_PROXY_DROP_CONFIRMATION = 1 << 3,   /* the confirmation frame never arrives */
  FCM_PROXY_ACCEPT_UNKNOWN    = 1 << 4,   /* sockets to unknown endpoints stay open */
  FCM_PROXY_SEQUENTIAL_IDS    = 1 << 5,   /* endpoint ids sub-1, sub-2, … */
  FCM_PROXY_SWALLOW_CLOSE     = 1 << 6,   /* the hub's denials and closes never arrive */
  FCM_PROXY_DROP_DENIAL       = 1 << 7,   /* denial frames never arrive */
  FCM_PROXY_REWRITE_IDS       = 1 << 8,   /* notifications carry another id than the request */
  FCM_PROXY_STRIP_PRIOR       = 1 << 9,   /* context.priorVersionId removed from updates */
  FCM_PROXY_CONFLICT_200      = 1 << 10,  /* 409 answered as 200 */
  FCM_PROXY_STRIP_CONTENT     = 1 << 11,  /* no content Bundle in Get Current Context */
  FCM_PROXY_DROP_REPLAY       = 1 << 12,  /* the open replayed after a confirmation is dropped */
  FCM_PROXY_DROP_SYNCERROR    = 1 << 13,  /* syncerror notifications never arrive */
  FCM_PROXY_LEAK_TOPICS       = 1 << 14,  /* every event also goes to every other socket */
  FCM_PROXY_CLOSE_4000        = 1 << 15,  /* a subscriber's close 1000 reaches the hub as 4000 */
  FCM_PROXY_BIG_500           = 1 << 16,  /* requests over 1 MiB answered 500 */
} FcmProxyFaults;

typedef struct _FcmProbeProxy FcmProbeProxy;

FcmProbeProxy *fcm_probe_proxy_new     (const char    *upstream_url,
                                        FcmProxyFaults faults);
const char    *fcm_probe_proxy_get_url (FcmProbeProxy *self);
void           fcm_probe_proxy_free    (FcmProbeProxy *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FcmProbeProxy, fcm_probe_proxy_free)

G_END_DECLS
