/* fcm-autostart.h: starting the app at login (no GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libportal/portal.h>

G_BEGIN_DECLS

/* The option autostart starts the app with: no window, tray and hubs only. */
#define FCM_AUTOSTART_OPTION "--background"

gboolean  fcm_autostart_use_portal           (void);
char     *fcm_autostart_dup_desktop_path     (const char          *app_id) G_GNUC_WARN_UNUSED_RESULT;
char     *fcm_autostart_build_desktop_entry  (const char          *app_id,
                                              const char          *executable) G_GNUC_WARN_UNUSED_RESULT;

void      fcm_autostart_set_async            (const char          *app_id,
                                              gboolean             enabled,
                                              XdpPortal           *portal,
                                              XdpParent           *parent,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  fcm_autostart_set_finish           (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
