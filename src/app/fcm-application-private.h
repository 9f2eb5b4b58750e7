/* fcm-application-private.h: for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-application.h"

G_BEGIN_DECLS

/* What a first activation does when "auto-connect" is on: the built-in hub,
 * or the hub and topic (or GetTopic user) from the preferences. */
void _fcm_application_start_default_connections (FcmApplication *self);
/* Stop reconnecting when the hub URL, topic or GetTopic user change. */
void _fcm_application_stop_following_settings   (FcmApplication *self);

G_END_DECLS
