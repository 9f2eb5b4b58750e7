/* fcm-core.h: umbrella header of the GTK-free core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#define FCM_CORE_INSIDE

#include "fcm-context-item.h"
#include "fcm-context-store.h"
#include "fcm-error.h"
#include "fcm-event.h"
#include "fcm-event-log.h"
#include "fcm-hub.h"
#include "fcm-hub-client.h"
#include "fcm-issue.h"
#include "fcm-monitor.h"
#include "fcm-validator.h"

#undef FCM_CORE_INSIDE
