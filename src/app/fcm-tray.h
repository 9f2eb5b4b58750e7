/* fcm-tray.h: a tray icon as a StatusNotifierItem over GDBus (no GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * FcmTrayStatus:
 * @FCM_TRAY_STATUS_PASSIVE: nothing to show (the host may hide the item)
 * @FCM_TRAY_STATUS_ACTIVE: normal state, e.g. subscribed and in sync
 * @FCM_TRAY_STATUS_NEEDS_ATTENTION: FHIRcast sync lost; the attention icon is shown
 */
typedef enum {
  FCM_TRAY_STATUS_PASSIVE,
  FCM_TRAY_STATUS_ACTIVE,
  FCM_TRAY_STATUS_NEEDS_ATTENTION,
} FcmTrayStatus;

#define FCM_TYPE_TRAY_STATUS (fcm_tray_status_get_type ())
GType fcm_tray_status_get_type (void) G_GNUC_CONST;

#define FCM_TYPE_TRAY (fcm_tray_get_type ())
G_DECLARE_FINAL_TYPE (FcmTray, fcm_tray, FCM, TRAY, GObject)

FcmTray       *fcm_tray_new            (const char      *app_id,
                                        const char      *icon_name) G_GNUC_WARN_UNUSED_RESULT;
void           fcm_tray_register       (FcmTray         *self,
                                        GDBusConnection *connection);
void           fcm_tray_set_status     (FcmTray         *self,
                                        FcmTrayStatus    status);
FcmTrayStatus  fcm_tray_get_status     (FcmTray         *self);
void           fcm_tray_set_tooltip    (FcmTray         *self,
                                        const char      *title,
                                        const char      *body);
void           fcm_tray_set_menu_path  (FcmTray         *self,
                                        const char      *object_path);
gboolean       fcm_tray_get_registered (FcmTray         *self);
const char    *fcm_tray_get_bus_name   (FcmTray         *self);

G_END_DECLS
