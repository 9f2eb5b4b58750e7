/* fcm-probe.h: umbrella header of the conformance probe library
 *
 * Scripted conformance scenarios against a FHIRcast hub (FcmHubProbe) and,
 * through a hub that misbehaves on purpose, against a subscriber
 * (FcmSubscriberProbe); their results (FcmProbeResult) and reports (a
 * table, NDJSON, JUnit XML). GTK-free: uses the fhircast library and
 * libsoup, never the client or the hub library (src/probe/meson.build
 * enforces it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-hub-probe.h"
#include "fcm-probe-report.h"
#include "fcm-probe-result.h"
#include "fcm-probe-runner.h"
#include "fcm-subscriber-probe.h"
