/* fcm-probe-window.h: "Test a Hub…" and "Test an App…", the conformance probes in a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-connection.h"

G_BEGIN_DECLS

#define FCM_TYPE_PROBE_WINDOW (fcm_probe_window_get_type ())

G_DECLARE_FINAL_TYPE (FcmProbeWindow, fcm_probe_window, FCM, PROBE_WINDOW, AdwWindow)

FcmProbeWindow *fcm_probe_window_new_for_hub    (GtkWindow      *parent,
                                                 FcmConnection  *connection);
FcmProbeWindow *fcm_probe_window_new_for_app    (GtkWindow      *parent,
                                                 GError        **error);
FcmConnection  *fcm_probe_window_get_connection (FcmProbeWindow *self);
gboolean        fcm_probe_window_get_for_app    (FcmProbeWindow *self);
void            fcm_probe_window_run            (FcmProbeWindow *self);
void            fcm_probe_window_stop           (FcmProbeWindow *self);

G_END_DECLS
