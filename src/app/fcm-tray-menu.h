/* fcm-tray-menu.h: the tray icon's menu over com.canonical.dbusmenu (no GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-connection.h"

G_BEGIN_DECLS

/* What the menu's commands ask for (FcmTrayMenu::activated). */
#define FCM_TRAY_MENU_SHOW_WINDOW  "show-window"
#define FCM_TRAY_MENU_OPEN_REPORT  "open-report"
#define FCM_TRAY_MENU_CLOSE_REPORT "close-report"
#define FCM_TRAY_MENU_QUIT         "quit"

#define FCM_TYPE_TRAY_MENU (fcm_tray_menu_get_type ())
G_DECLARE_FINAL_TYPE (FcmTrayMenu, fcm_tray_menu, FCM, TRAY_MENU, GObject)

FcmTrayMenu *fcm_tray_menu_new             (const char    *object_path) G_GNUC_WARN_UNUSED_RESULT;
const char  *fcm_tray_menu_get_object_path (FcmTrayMenu   *self);
void         fcm_tray_menu_update          (FcmTrayMenu   *self,
                                            GListModel    *connections,
                                            FcmConnection *shown);

char        *fcm_tray_describe_patient     (FcmConnection *connection) G_GNUC_WARN_UNUSED_RESULT;
const char  *fcm_tray_describe_state       (FcmConnection *connection);
char        *fcm_tray_dup_summary          (FcmConnection *connection) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
