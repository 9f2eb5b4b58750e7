/* fcm-probe-scripted.h: a scripted subscriber for the subscriber probe tests
 *
 * A small FHIRcast subscriber on libsoup that does everything right (it
 * passes every subscriber probe scenario) unless told to get one thing
 * wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-subscriber-probe.h"

G_BEGIN_DECLS

typedef enum
{
  BAD_NONE             = 0,
  BAD_NO_NAME          = 1 << 0,   /* no subscriber.name */
  BAD_NO_FETCH         = 1 << 1,   /* never fetches the current context */
  BAD_NO_GAP_FETCH     = 1 << 2,   /* fetches after connecting only */
  BAD_ACK_NO_STATUS    = 1 << 3,   /* acks {"id"} without a status */
  BAD_ACK_ONCE         = 1 << 4,   /* acks an id only the first time */
  BAD_DIE_ON_GARBAGE   = 1 << 5,   /* stops acking after a frame that is not JSON */
  BAD_SMALL_FRAMES     = 1 << 6,   /* takes frames of 64 KiB at most (libsoup closes with 1009) */
  BAD_NO_RENEW         = 1 << 7,
  BAD_NO_RECONNECT     = 1 << 8,
  BAD_IGNORE_DENIAL    = 1 << 9,   /* subscribes again after a denial */
  BAD_NO_SYNCERROR_ACK = 1 << 10,
  BAD_RESEND_AT_ONCE   = 1 << 11,  /* resends a rejected request at once */
  BAD_NO_UNSUBSCRIBE   = 1 << 12,  /* leaves with a close only */
  BAD_CLOSE_4000       = 1 << 13,  /* unsubscribes, then closes with 4000 */
  BAD_CLOSE_ON_GARBAGE = 1 << 14,  /* closes the socket (1003) on a frame that is not JSON */
} BadFlags;

typedef struct _Scripted Scripted;

Scripted *scripted_new     (FcmSubscriberProbe *probe,
                            guint               flags);
void      scripted_stop    (Scripted           *sc);
void      scripted_publish (Scripted           *sc);
void      scripted_free    (Scripted           *sc);

G_END_DECLS
