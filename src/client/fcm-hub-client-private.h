/* fcm-hub-client-private.h: core-internal access to FcmHubClient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-hub-client.h"

G_BEGIN_DECLS

FcmEvent *_fcm_hub_client_get_frame_event (FcmHubClient *self);

G_END_DECLS
