/* fcm-client.h: umbrella header of the subscriber library
 *
 * The subscriber side of FHIRcast: the hub client, the monitor that wires it
 * to the validator, the event log and the context store. Uses the fhircast
 * library, never the hub (src/client/meson.build enforces it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-fhircast.h"

#include "fcm-anonymizer.h"
#include "fcm-context-builders.h"
#include "fcm-event-log.h"
#include "fcm-hub-client.h"
#include "fcm-monitor.h"
#include "fcm-recorder.h"
#include "fcm-recording.h"
