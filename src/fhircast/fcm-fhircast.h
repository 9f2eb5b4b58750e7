/* fcm-fhircast.h: umbrella header of the FHIRcast model library
 *
 * The protocol model and its rules: events, context items and the context
 * store, received messages, the validator and its issues, errors. GLib and
 * json-glib only: no libsoup, no GTK (src/fhircast/meson.build enforces both).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-context-details.h"
#include "fcm-context-item.h"
#include "fcm-context-store.h"
#include "fcm-error.h"
#include "fcm-event.h"
#include "fcm-i18n.h"
#include "fcm-issue.h"
#include "fcm-message.h"
#include "fcm-validator.h"
